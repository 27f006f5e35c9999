// Gunicorn configs and process command lines combined (issue 5): config modules read with the
// evaluator (settings vs helpers, hooks), gunicorn's validators, name suggestions, and the model's
// runs: config file < GUNICORN_CMD_ARGS < command line, default ./gunicorn.conf.py, paths inside
// containers, which processes are production, and what kind of app a command serves.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as V from '../../server/src/analysis/eval/values';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { applyEdits } from '../../server/src/analysis/rules/fixes/edits';
import { buildAppServer, pinnedGunicorn, type AppServerModel } from '../../server/src/analysis/models/appServer/model';
import {
  editDistance,
  settingExistsIn,
  suggestFlag,
  suggestSetting,
  settingByName,
} from '../../server/src/analysis/catalogue/gunicornNames';
import {
  checkConfigValue,
  checkFlagValue,
  ipEntryProblem,
  parseAutoInt,
  parsePyInt,
  workerClassProblem,
} from '../../server/src/analysis/models/appServer/validate';
import { GUNICORN_SETTINGS } from '../../server/src/analysis/catalogue/gunicornSettings';
import type { Finding } from '../../server/src/analysis/rules/types';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { devReasonOfPath } from '../../server/src/analysis/models/process/index';
import { gunicornFlagTable } from '../../server/src/analysis/readers/process/commands';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

before(async () => {
  await loadParser();
});

const SKELETON: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': 'DEBUG = False\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'mysite/asgi.py': 'from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n',
};

function model(files: Record<string, string>): { m: AppServerModel; ws: Workspace } {
  const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, ...files }, '/p'), ['/p']);
  const [project] = ws.projects();
  return { m: buildAppServer(ws, project!), ws };
}

/** Effective settings of the first run, as name → JS value (source). */
function effective(m: AppServerModel, index = 0): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, o] of m.runs[index]?.settings ?? []) out[k] = `${V.repr(o.value)} (${o.source})`;
  return out;
}

describe('vocabulary', () => {
  it('has every setting once, with flags that map back to it', () => {
    const current = GUNICORN_SETTINGS.filter((s) => !s.removedIn);
    assert.ok(current.length >= 119, `${current.length} settings`);
    assert.equal(new Set(current.map((s) => s.name)).size, current.length);
    const t = gunicornFlagTable();
    for (const s of current) for (const f of s.flags) assert.equal(t.get(f)?.setting?.name, s.name, f);
    for (const s of current.filter((x) => x.type === 'hook')) assert.ok(s.hookArity !== undefined, s.name);
    assert.equal(settingByName('workers')?.flags.join(' '), '-w --workers');
  });
});

// The 119 names of gunicorn's newest release, in gunicorn's order, as listed in the team's notes
// (shared/notes/django-deploy-checks.md, read from gunicorn's config.py).
const NOTES_NAMES =
  'config wsgi_app bind backlog workers worker_class threads worker_connections max_requests max_requests_jitter timeout graceful_timeout keepalive asgi_loop asgi_lifespan asgi_disconnect_grace_period http_parser limit_request_line limit_request_fields limit_request_field_size reload reload_engine reload_extra_files spew check_config print_config preload_app sendfile reuse_port chdir daemon raw_env pidfile worker_tmp_dir user group umask initgroups tmp_upload_dir secure_scheme_headers forwarded_allow_ips pythonpath paste proxy_protocol proxy_allow_ips protocol uwsgi_allow_ips raw_paste_global_conf permit_obsolete_folding strip_header_spaces permit_unconventional_http_method permit_unconventional_http_version casefold_http_method forwarder_headers header_map root_path accesslog disable_redirect_access_to_syslog access_log_format errorlog loglevel capture_output logger_class logconfig logconfig_dict logconfig_json syslog_addr syslog syslog_prefix syslog_facility enable_stdio_inheritance statsd_host dogstatsd_tags statsd_prefix enable_backlog_metric proc_name default_proc_name on_starting on_reload when_ready pre_fork post_fork post_worker_init worker_int worker_abort pre_exec pre_request post_request child_exit worker_exit nworkers_changed on_exit ssl_context keyfile certfile ssl_version cert_reqs ca_certs suppress_ragged_eofs do_handshake_on_connect ciphers http_protocols http2_cleartext http2_max_concurrent_streams http2_initial_window_size http2_max_frame_size http2_max_header_list_size dirty_apps dirty_workers dirty_timeout dirty_threads dirty_graceful_timeout on_dirty_starting dirty_post_fork dirty_worker_init dirty_worker_exit control_socket control_socket_mode control_socket_disable'.split(
    ' ',
  );

describe('vocabulary against the notes', () => {
  const current = GUNICORN_SETTINGS.filter((s) => !s.removedIn);
  const names = (version: string) => GUNICORN_SETTINGS.filter((s) => settingExistsIn(s, version)).map((s) => s.name);
  const added = (from: string, to: string) =>
    names(to)
      .filter((n) => !names(from).includes(n))
      .sort();

  it('has exactly the 119 names of the newest gunicorn', () => {
    assert.equal(NOTES_NAMES.length, 119);
    assert.deepEqual(current.map((s) => s.name).sort(), [...NOTES_NAMES].sort());
  });

  it('has 93 names in 23.0.0 and 118 in 26.1.0, with the additions by version', () => {
    assert.equal(names('23.0.0').length, 93);
    assert.equal(names('26.1.0').length, 118);
    assert.deepEqual(added('23.0.0', '24.0.0'), ['asgi_lifespan', 'asgi_loop', 'protocol', 'root_path', 'uwsgi_allow_ips']);
    assert.deepEqual(added('24.0.0', '24.1.0'), ['enable_backlog_metric']);
    const v25 = added('24.1.0', '25.0.0');
    assert.equal(v25.length, 14, v25.join());
    assert.ok(
      v25.every((n) => /^dirty_|^on_dirty_starting$|^http_protocols$|^http2_/.test(n)),
      v25.join(),
    );
    assert.ok(!v25.includes('http2_cleartext'));
    // the notes file these under 26.0.0; the 25.x releases already carried them (see vocabulary.ts's header)
    assert.deepEqual(added('25.0.0', '26.0.0'), [
      'asgi_disconnect_grace_period',
      'control_socket',
      'control_socket_disable',
      'control_socket_mode',
      'http_parser',
    ]);
    assert.deepEqual(added('26.1.0', '26.2.0'), ['http2_cleartext']);
    // the temporary 22.0 switch is gone in 23.0
    assert.ok(names('22.0.0').includes('tolerate_dangerous_framing') && !names('23.0.0').includes('tolerate_dangerous_framing'));
  });
});

describe('gunicorn version pins', () => {
  it('reads exact pins from requirements, lock files, pyproject.toml and Pipfile; ranges are not pins', () => {
    assert.equal(pinnedGunicorn('requirements', 'Django==4.2\ngunicorn==21.2.0\n'), '21.2.0');
    assert.equal(pinnedGunicorn('requirements', 'gunicorn[gevent] == 22.0.0 ; python_version >= "3.8"  # web\n'), '22.0.0');
    // pip-compile --generate-hashes, CRLF
    assert.equal(
      pinnedGunicorn('requirements', 'gunicorn==23.0.0 \\\r\n    --hash=sha256:abc\r\n    # via -r requirements.in\r\n'),
      '23.0.0',
    );
    assert.equal(pinnedGunicorn('requirements', 'gunicorn==23.0.0 --hash=sha256:abc\n'), '23.0.0');
    for (const loose of [
      'gunicorn>=21\n',
      'gunicorn~=21.2\n',
      'gunicorn\n',
      'gunicorn==21.*\n',
      '# gunicorn==19.0.0\n',
      'gunicorn-extras==1.0\n',
    ])
      assert.equal(pinnedGunicorn('requirements', loose), undefined, loose);
    assert.equal(pinnedGunicorn('pyproject', '[project]\ndependencies = ["django>=4.2", "gunicorn[gthread]==22.0.0"]\n'), '22.0.0');
    assert.equal(pinnedGunicorn('pyproject', '[tool.poetry.dependencies]\ngunicorn = "21.2.0"\n'), '21.2.0');
    assert.equal(
      pinnedGunicorn('pyproject', '[tool.poetry.dependencies]\ngunicorn = { version = "==20.1.0", extras = ["gevent"] }\n'),
      '20.1.0',
    );
    assert.equal(pinnedGunicorn('pyproject', '[tool.poetry.dependencies]\ngunicorn = "^21.2.0"\n'), undefined);
    assert.equal(pinnedGunicorn('pipfile', '[packages]\ngunicorn = "==23.0.0"\n'), '23.0.0');
    assert.equal(pinnedGunicorn('pipfile', '[packages]\ngunicorn = "*"\n'), undefined);
    assert.equal(pinnedGunicorn('lockfile', '[[package]]\nname = "gunicorn"\nversion = "22.0.0"\n'), '22.0.0');
    assert.equal(
      pinnedGunicorn('lockfile', '{"default": {"gunicorn": {"hashes": ["sha256:x"], "index": "pypi", "version": "==21.2.0"}}}'),
      '21.2.0',
    );
  });

  it('prefers what the lock file installs over the requirements', () => {
    const { m } = model({
      'requirements.txt': 'gunicorn==21.2.0\n',
      'poetry.lock': '[[package]]\nname = "gunicorn"\nversion = "23.0.0"\n',
    });
    assert.equal(m.gunicornVersion?.version, '23.0.0');
  });
});

describe('gunicorn validators', () => {
  it("parse integers as Python's int(s, 0) and gunicorn's auto_int do", () => {
    assert.equal(parsePyInt(' 8 '), 8);
    assert.equal(parsePyInt('0x10'), 16);
    assert.equal(parsePyInt('0o22'), 18);
    assert.equal(parsePyInt('1_000'), 1000);
    assert.equal(parsePyInt('022'), undefined);
    assert.equal(parsePyInt('4.0'), undefined);
    assert.equal(parsePyInt('-3'), -3);
    assert.equal(parseAutoInt('022'), 18);
  });

  it('check config values per setting type', () => {
    const s = (n: string) => settingByName(n)!;
    const msg = (n: string, v: V.Value) => checkConfigValue(s(n), v)?.message;
    assert.equal(msg('workers', V.int(4)), undefined);
    assert.equal(msg('workers', V.str('4')), undefined);
    assert.equal(msg('workers', V.bool(true)), undefined);
    assert.match(msg('workers', V.float(2.5))!, /integer/);
    assert.match(msg('workers', V.int(-1))!, /negative/);
    assert.match(msg('reload', V.int(1))!, /True or False/);
    assert.equal(msg('reload', V.str(' TRUE ')), undefined);
    assert.match(msg('reload', V.str('yes'))!, /True or False/);
    assert.match(msg('forwarded_allow_ips', V.seq('list', [V.str('a'), V.str('b')]))!, /"a,b"/);
    assert.equal(msg('forwarded_allow_ips', V.str('10.0.0.1, *')), undefined);
    assert.match(msg('accesslog', V.path('/x'))!, /pathlib/);
    assert.equal(msg('accesslog', V.none()), undefined);
    assert.match(msg('bind', V.int(8000))!, /list of strings/);
    assert.equal(msg('bind', V.str('0.0.0.0:8000')), undefined);
    assert.match(msg('worker_class', V.str('uvicorn'))!, /UvicornWorker/);
    assert.equal(msg('worker_class', V.str('uvicorn_worker.UvicornWorker')), undefined);
    assert.match(msg('on_starting', V.none())!, /function/);
    assert.equal(msg('on_starting', V.str('hooks.on_starting')), undefined);
    assert.match(msg('logconfig_dict', V.str('x'))!, /dict/);
    assert.equal(msg('workers', V.unknown('?')), undefined);
  });

  it('check command-line values (strings)', () => {
    assert.match(checkFlagValue(settingByName('workers')!, 'four')!, /whole number/);
    assert.equal(checkFlagValue(settingByName('umask')!, '022'), undefined);
    assert.match(checkFlagValue(settingByName('proxy_protocol')!, 'yes')!, /one of/);
    assert.equal(checkFlagValue(settingByName('http_protocols')!, 'h2,h1'), undefined);
    assert.match(checkFlagValue(settingByName('http_protocols')!, 'h1,h1')!, /twice/);
  });

  it('check IP entries strictly, as gunicorn 24.1+ does', () => {
    assert.equal(ipEntryProblem('*'), undefined);
    assert.equal(ipEntryProblem('10.0.0.1'), undefined);
    assert.equal(ipEntryProblem('10.0.0.0/8'), undefined);
    assert.match(ipEntryProblem('10.0.0.1/8')!, /host bits/);
    assert.equal(ipEntryProblem('::1'), undefined);
    assert.equal(ipEntryProblem('fd00::/8'), undefined);
    assert.match(ipEntryProblem('proxy.internal')!, /not an IP/);
  });

  it('knows the worker classes gunicorn ships', () => {
    for (const w of ['sync', 'gthread', 'gevent', 'asgi', 'egg:gunicorn#gevent', 'myapp.workers.Custom'])
      assert.equal(workerClassProblem(w), undefined, w);
    assert.ok(workerClassProblem('threads'));
  });
});

describe('setting name suggestions', () => {
  it('suggest the setting meant by a misspelt or wrongly named variable', () => {
    const s = (n: string, hooksOnly = false) => suggestSetting(n, { hooksOnly })?.name;
    assert.equal(s('worker'), 'workers');
    assert.equal(s('timout'), 'timeout');
    assert.equal(s('log_level'), 'loglevel');
    assert.equal(s('access_log'), 'accesslog');
    assert.equal(s('bind_address'), 'bind');
    assert.equal(s('preload'), 'preload_app');
    assert.equal(s('WORKERS'), 'workers');
    assert.equal(s('BASE_DIR'), undefined);
    assert.equal(s('PORT'), undefined);
    assert.equal(s('cores'), undefined);
    assert.equal(s('post_worker_int', true), 'post_worker_init');
    assert.equal(s('helper', true), undefined);
    assert.equal(editDistance('worker_class', 'workerclass'), 1);
    assert.equal(suggestFlag('--timout', [...gunicornFlagTable().keys()]), '--timeout');
    assert.equal(suggestFlag('--log_level', [...gunicornFlagTable().keys()]), '--log-level');
  });
});

describe('gunicorn config modules', () => {
  it('tell settings from imports, private names, helpers and misspellings; hooks are settings', () => {
    const { m } = model({
      'gunicorn.conf.py': [
        'import multiprocessing',
        'from os import environ',
        '_x = 1',
        'cores = multiprocessing.cpu_count()',
        'workers = cores * 2 + 1',
        'worker = 8',
        'def on_starting(server):',
        '    worker = server',
        'def helper():',
        '    return cores',
        'class Thing: pass',
      ].join('\n'),
    });
    const cfg = m.configs[0]!;
    assert.deepEqual([...cfg.settings.keys()].sort(), ['on_starting', 'workers']);
    assert.deepEqual(cfg.others.map((o) => `${o.name}:${o.kind}:${o.used}`).sort(), [
      'Thing:class:false',
      'cores:assign:true',
      'helper:def:false',
      'worker:assign:false',
    ]);
    assert.equal(cfg.settings.get('on_starting')?.arity?.count, 1);
  });
});

describe('app server model', () => {
  it('combines config < GUNICORN_CMD_ARGS < command line, with environment defaults first', () => {
    const { m } = model({
      'gunicorn.conf.py': 'workers = 2\ntimeout = 30\nloglevel = "debug"\nbind = "0.0.0.0:8000"\n',
      Dockerfile:
        'FROM python\nWORKDIR /app\nCOPY . /app\nENV GUNICORN_CMD_ARGS="--timeout 60 --log-level info" WEB_CONCURRENCY=5 FORWARDED_ALLOW_IPS=10.0.0.1\nCMD gunicorn mysite.wsgi -w 3 -b 0.0.0.0:80 -b [::]:80\n',
    });
    assert.equal(m.runs.length, 1, 'the config is loaded by the command, not a run of its own');
    assert.deepEqual(effective(m), {
      workers: '3 (command line)',
      forwarded_allow_ips: "'10.0.0.1' (environment)",
      timeout: '60 (GUNICORN_CMD_ARGS)',
      loglevel: "'info' (GUNICORN_CMD_ARGS)",
      bind: "['0.0.0.0:80', '[::]:80'] (command line)",
    });
    assert.equal(m.runs[0]!.config?.file, '/p/gunicorn.conf.py');
    // the config's debug log level is overridden everywhere it is used: not an occurrence
    assert.equal(m.occurrences('loglevel')[0]?.source, 'GUNICORN_CMD_ARGS');
  });

  it('finds -c configs through container paths, python: modules and suffixes; reports missing ones', () => {
    const files = {
      'deploy/gunicorn.py': 'workers = 4\n',
      'mysite/gunicorn_conf.py': 'timeout = 10\n',
      Dockerfile: 'FROM python\nCOPY . /srv/app/\nWORKDIR /srv/app\nCMD ["gunicorn", "-c", "/srv/app/deploy/gunicorn.py", "mysite.wsgi"]\n',
      Procfile: 'web: gunicorn -c python:mysite.gunicorn_conf mysite.wsgi\nalt: gunicorn --config=nope.py mysite.wsgi\n',
      'deploy/mysite.service':
        '[Service]\nWorkingDirectory=/opt/mysite\nExecStart=/opt/venv/bin/gunicorn -c /opt/mysite/deploy/gunicorn.py mysite.wsgi\n',
    };
    const { m } = model(files);
    const byLabel = new Map(m.runs.map((r) => [r.label, r]));
    assert.equal(byLabel.get('Dockerfile CMD')?.config?.file, '/p/deploy/gunicorn.py');
    assert.equal(byLabel.get('Procfile (web)')?.config?.file, '/p/mysite/gunicorn_conf.py');
    assert.equal(byLabel.get('Procfile (alt)')?.configRef?.status, 'missing');
    assert.equal(byLabel.get('deploy/mysite.service')?.config?.file, '/p/deploy/gunicorn.py');
  });

  it('loads ./gunicorn.conf.py by default from the working directory', () => {
    const { m } = model({ 'gunicorn.conf.py': 'workers = 3\n', Procfile: 'web: gunicorn mysite.wsgi\n' });
    assert.equal(m.runs.length, 1);
    assert.equal(effective(m).workers, '3 (config)');
  });

  it('tells production processes from development ones', () => {
    const { m } = model({
      Procfile: 'web: gunicorn mysite.wsgi\n',
      'Procfile.dev': 'web: python manage.py runserver\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n',
      'docker-compose.prod.yml': 'services:\n  web:\n    build: .\n    command: gunicorn mysite.wsgi\n',
      'compose/local/django/start': 'exec python manage.py runserver_plus\n',
      'compose/production/django/start': 'exec gunicorn mysite.wsgi\n',
      Dockerfile: 'FROM python AS development\nCMD ["python", "manage.py", "runserver"]\n',
    });
    const prod = m.commands
      .filter((c) => c.source.production)
      .map((c) => `${c.server}@${c.source.label}`)
      .sort();
    assert.deepEqual(prod, [
      'gunicorn@Procfile (web)',
      'gunicorn@compose/production/django/start',
      'gunicorn@docker-compose.prod.yml (service web)',
    ]);
    const dev = m.commands.filter((c) => !c.source.production).map((c) => c.source.devReason);
    assert.equal(dev.length, 4);
    assert.ok(dev.every((r) => typeof r === 'string' && r.length > 0));
    assert.equal(devReasonOfPath('deploy/production/start.sh'), undefined);
    assert.match(devReasonOfPath('compose/local/django/start')!, /local/);
  });

  it('knows what kind of app a command serves and where its module is', () => {
    const { m } = model({
      Procfile:
        'web: gunicorn mysite.asgi:application\nw2: gunicorn mysite.wsgi:app\nw3: gunicorn other.wsgi\nw4: gunicorn "django.core.wsgi:get_wsgi_application()"\n',
      'mysite/routing.py': 'from channels.routing import ProtocolTypeRouter\napplication = ProtocolTypeRouter({})\n',
    });
    const apps = m.runs.map((r) => r.app!);
    assert.equal(m.appKind(apps[0]!, m.runs[0]!.invocation), 'asgi');
    assert.equal(m.resolveApp(apps[1]!, m.runs[1]!.invocation).status, 'found');
    assert.equal((m.resolveApp(apps[1]!, m.runs[1]!.invocation) as { attrMissing?: boolean }).attrMissing, true);
    assert.equal(m.resolveApp(apps[2]!, m.runs[2]!.invocation).status, 'missing');
    assert.equal(m.resolveApp(apps[3]!, m.runs[3]!.invocation).status, 'external');
    assert.equal(m.appKind({ module: 'mysite.routing', attr: 'application', call: false, token: apps[0]!.token }), 'asgi');
  });

  it('sees reverse proxies: nginx/Caddy configs and compose proxy services', () => {
    const { m } = model({
      'deploy/nginx/site.conf': 'server {}\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n  proxy:\n    image: traefik:v3\n',
    });
    assert.deepEqual(m.processes.proxies.map((p) => p.label).sort(), ['deploy/nginx/site.conf', 'docker-compose.yml (service proxy)']);
  });

  it('evaluates configs only once per workspace build and survives broken files', () => {
    const { m } = model({
      'gunicorn.conf.py': 'workers = (\n',
      Procfile: 'web: gunicorn\n',
      'docker-compose.yml': 'services: [\n',
      Dockerfile: 'CMD ["gunicorn", \n',
    });
    assert.ok(m.configs.length === 1);
  });
});

/** Findings of a project made of the skeleton and `files`, analysed as the CLI and the server do. */
function findings(files: Record<string, string>): Finding[] {
  const settings = 'import os\nSECRET_KEY = os.environ["K"]\nDEBUG = False\nALLOWED_HOSTS = ["x.com"]\n';
  const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': settings, ...files }, '/p');
  return analyzeWorkspace(new Workspace(fs, ['/p'])).projects.flatMap((p) => p.findings);
}

/** `file` after the fix of `f` whose title matches. */
function fixed(files: Record<string, string>, file: string, f: Finding | undefined, title: RegExp): string {
  const fix = f?.fixes.find((x) => title.test(x.title));
  assert.ok(fix, `no fix ${title} among ${f?.fixes.map((x) => x.title).join(' | ')}`);
  return applyEdits(
    files[file]!,
    fix.edits.filter((e) => e.file === `/p/${file}`),
  );
}

describe('gunicorn quick fixes (issue 8)', () => {
  it('rename a misspelt setting or hook to the suggestion, as an unsafe fix that says it changes behaviour', () => {
    const files = {
      'gunicorn.conf.py':
        'import os\n\nbind = "0.0.0.0:8000"\ntimout = 60\nbind_addr = "127.0.0.1:8000"\nlog_levl = "info"\nlog_levl = "warning"\n\n\ndef post_frok(server, worker):\n    pass\n',
    };
    const ddg101 = findings(files).filter((f) => f.code === 'DDG101');
    const by = (name: string) => ddg101.find((f) => f.message.startsWith(`"${name}"`));
    const t = by('timout');
    assert.equal(t?.fixes.length, 1);
    assert.equal(t.fixes[0]!.safety, 'unsafe');
    assert.equal(t.fixes[0]!.title, 'Rename "timout" to "timeout" (gunicorn then applies this value)');
    assert.match(fixed(files, 'gunicorn.conf.py', t, /timeout/), /^timeout = 60$/m);
    assert.match(fixed(files, 'gunicorn.conf.py', by('post_frok'), /post_fork/), /^def post_fork\(server, worker\):$/m);
    // bind is set already: renaming would silently replace it
    assert.deepEqual(by('bind_addr')?.fixes, []);
    // bound twice: renaming one binding would leave the other
    assert.deepEqual(by('log_levl')?.fixes, []);
  });

  it('replace a misspelt command-line option with the suggestion', () => {
    const files = { Procfile: 'web: gunicorn mysite.wsgi --timout 60 --acess-logfile -\n' };
    const ddg101 = findings(files).filter((f) => f.code === 'DDG101');
    assert.equal(ddg101.length, 2);
    const out = applyEdits(
      files.Procfile,
      ddg101.flatMap((f) => f.fixes[0]?.edits ?? []),
    );
    assert.equal(out, 'web: gunicorn mysite.wsgi --timeout 60 --access-logfile -\n');
  });

  it('report options the pinned gunicorn does not have yet, and suggest none of them', () => {
    const ddg101 = findings({
      'requirements.txt': 'gunicorn==22.0.0\n',
      Procfile: 'web: gunicorn mysite.wsgi --no-control-socket --rot-path /api\n',
    }).filter((f) => f.code === 'DDG101');
    assert.equal(ddg101.length, 2);
    assert.match(ddg101[0]!.message, /gunicorn 22\.0\.0 has no --no-control-socket option .*arrived in 25\.1\.0/);
    // --root-path exists from 24.0 only: no "did you mean" into a newer release
    assert.match(ddg101[1]!.message, /no --rot-path option.*see gunicorn --help/);
    assert.deepEqual(ddg101[1]!.fixes, []);
  });

  it('replace hardcoded workers by WEB_CONCURRENCY with the (2 x cores) + 1 formula, adding the imports', () => {
    const files = { 'gunicorn.conf.py': '"""Gunicorn settings."""\nfrom os import environ\n\nworkers = 4\n' };
    const f = findings(files).find((x) => x.code === 'DDG104');
    assert.ok(f && f.fixes.length === 2 && f.fixes.every((x) => x.safety === 'unsafe'));
    assert.equal(
      fixed(files, 'gunicorn.conf.py', f, /2 × CPU cores/),
      '"""Gunicorn settings."""\nimport os\nimport multiprocessing\nfrom os import environ\n\nworkers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))\n',
    );
    assert.equal(
      fixed(files, 'gunicorn.conf.py', f, /defaulting to 4/),
      '"""Gunicorn settings."""\nimport os\nfrom os import environ\n\nworkers = int(os.environ.get("WEB_CONCURRENCY", 4))\n',
    );
    // imports the file already has are used, aliases included
    const aliased = { 'gunicorn.conf.py': 'import multiprocessing as mp\nimport os\nworkers = 3\n' };
    const g = findings(aliased).find((x) => x.code === 'DDG104');
    assert.equal(
      fixed(aliased, 'gunicorn.conf.py', g, /2 × CPU cores/),
      'import multiprocessing as mp\nimport os\nworkers = int(os.environ.get("WEB_CONCURRENCY", mp.cpu_count() * 2 + 1))\n',
    );
    // an import below the setting would come too late: no fix
    const late = findings({ 'gunicorn.conf.py': 'workers = 3\nimport os\n' }).find((x) => x.code === 'DDG104');
    assert.deepEqual(late?.fixes, []);
  });

  it('write "${WEB_CONCURRENCY:-N}" where a shell runs the command line, and nowhere else', () => {
    const procfile = { Procfile: 'web: gunicorn mysite.wsgi -w 3\n' };
    const p = findings(procfile).find((x) => x.code === 'DDG104');
    assert.equal(fixed(procfile, 'Procfile', p, /WEB_CONCURRENCY/), 'web: gunicorn mysite.wsgi -w "${WEB_CONCURRENCY:-3}"\n');
    const shellForm = { Dockerfile: 'FROM python\nWORKDIR /app\nCOPY . .\nCMD gunicorn mysite.wsgi --workers=2\n' };
    const d = findings(shellForm).find((x) => x.code === 'DDG104');
    assert.equal(
      fixed(shellForm, 'Dockerfile', d, /WEB_CONCURRENCY/),
      'FROM python\nWORKDIR /app\nCOPY . .\nCMD gunicorn mysite.wsgi --workers="${WEB_CONCURRENCY:-2}"\n',
    );
    // no shell: exec form, compose, systemd
    for (const files of <Record<string, string>[]>[
      { Dockerfile: 'FROM python\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "mysite.wsgi", "-w", "2"]\n' },
      { 'docker-compose.yml': 'services:\n  web:\n    image: x\n    command: gunicorn mysite.wsgi -w 2\n' },
      { 'deploy/mysite.service': '[Service]\nWorkingDirectory=/srv\nExecStart=/srv/venv/bin/gunicorn mysite.wsgi -w 2\n' },
    ]) {
      const f = findings(files).filter((x) => x.code === 'DDG104');
      assert.equal(f.length, 1, JSON.stringify(files));
      assert.deepEqual(f[0]!.fixes, [], JSON.stringify(files));
    }
  });
});

describe('config literal fixes', () => {
  it('set reload = False and loglevel = "info" (safe), daemon = False (unsafe); expressions and flags get none', () => {
    const files = { 'gunicorn.conf.py': "reload = True\nloglevel = 'DEBUG'\ndaemon = True\naccesslog = '-'\n" };
    const all = findings(files);
    const fixOf = (code: string) => all.find((f) => f.code === code)?.fixes ?? [];
    assert.deepEqual(
      fixOf('DDG106').map((f) => `${f.title}/${f.safety}`),
      ['Set reload = False/safe'],
    );
    assert.deepEqual(
      fixOf('DDG108').map((f) => `${f.title}/${f.safety}`),
      ['Set loglevel = "info"/safe'],
    );
    assert.deepEqual(
      fixOf('DDG107').map((f) => f.safety),
      ['unsafe'],
    );
    const inConfig = all.flatMap((f) => f.fixes.flatMap((x) => x.edits)).filter((e) => e.file.endsWith('gunicorn.conf.py'));
    const out = applyEdits(files['gunicorn.conf.py'], inConfig);
    assert.equal(out, "reload = False\nloglevel = 'info'\ndaemon = False\naccesslog = '-'\n");
    const computed = findings({
      'gunicorn.conf.py': 'import os\nreload = not os.path.exists("/etc/prod")\nreload = True if 1 else False\n',
      Procfile: 'web: gunicorn mysite.wsgi --log-level debug\n',
    });
    for (const f of computed.filter((x) => x.code === 'DDG106' || x.code === 'DDG108')) assert.deepEqual(f.fixes, [], f.message);
  });
});

describe('the process model, kept between analyses', () => {
  it('is read again when a file it read changes (even without an invalidation), and kept while none does', () => {
    const fs = new MemoryFileSystem(
      {
        ...SKELETON,
        Procfile: 'web: gunicorn mysite.wsgi --workers 2\n',
        Dockerfile: 'FROM python:3.12\nCOPY . /app\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]\n',
      },
      '/p',
    );
    const ws = new Workspace(fs, ['/p']);
    const [project] = ws.projects();
    const first = buildAppServer(ws, project!).processes;
    // a keystroke in the settings module: the same model
    fs.write('/p/mysite/settings.py', 'DEBUG = True\n');
    ws.invalidate('/p/mysite/settings.py');
    assert.equal(buildAppServer(ws, project!).processes, first);
    // the Procfile changes on disk, and nothing tells the workspace
    fs.write('/p/Procfile', 'web: gunicorn mysite.wsgi --workers 2 --reload\n');
    const second = buildAppServer(ws, project!).processes;
    assert.notEqual(second, first);
    assert.ok(second.invocations.some((i) => i.source.kind === 'procfile' && JSON.stringify(i).includes('--reload')));
    // the Dockerfile's command changes
    fs.write('/p/Dockerfile', 'FROM python:3.12\nCOPY . /app\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:9000"]\n');
    const third = buildAppServer(ws, project!).processes;
    assert.notEqual(third, second);
    assert.ok(JSON.stringify(third.invocations).includes('9000'));
  });
});
