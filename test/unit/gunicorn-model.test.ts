// Gunicorn configs and process command lines combined (issue 5): config modules read with the
// evaluator (settings vs helpers, hooks), gunicorn's validators, name suggestions, and the model's
// runs: config file < GUNICORN_CMD_ARGS < command line, default ./gunicorn.conf.py, paths inside
// containers, which processes are production, and what kind of app a command serves.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as V from '../../server/src/analysis/eval/values';
import { buildAppServer, type AppServerModel } from '../../server/src/analysis/gunicorn/model';
import { editDistance, suggestFlag, suggestSetting, settingByName } from '../../server/src/analysis/gunicorn/names';
import { checkConfigValue, checkFlagValue, ipEntryProblem, parseAutoInt, parsePyInt, workerClassProblem } from '../../server/src/analysis/gunicorn/validate';
import { GUNICORN_SETTINGS } from '../../server/src/analysis/gunicorn/vocabulary';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { devReasonOfPath } from '../../server/src/analysis/process/index';
import { gunicornFlagTable } from '../../server/src/analysis/process/commands';
import { MemoryFileSystem } from '../../server/src/analysis/project/fs';
import { Workspace } from '../../server/src/analysis/workspace';

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
    for (const w of ['sync', 'gthread', 'gevent', 'asgi', 'egg:gunicorn#gevent', 'myapp.workers.Custom']) assert.equal(workerClassProblem(w), undefined, w);
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
    assert.deepEqual(cfg.others.map((o) => `${o.name}:${o.kind}:${o.used}`).sort(), ['Thing:class:false', 'cores:assign:true', 'helper:def:false', 'worker:assign:false']);
    assert.equal(cfg.settings.get('on_starting')?.arity?.count, 1);
  });
});

describe('app server model', () => {
  it('combines config < GUNICORN_CMD_ARGS < command line, with environment defaults first', () => {
    const { m } = model({
      'gunicorn.conf.py': 'workers = 2\ntimeout = 30\nloglevel = "debug"\nbind = "0.0.0.0:8000"\n',
      Dockerfile: 'FROM python\nWORKDIR /app\nCOPY . /app\nENV GUNICORN_CMD_ARGS="--timeout 60 --log-level info" WEB_CONCURRENCY=5 FORWARDED_ALLOW_IPS=10.0.0.1\nCMD gunicorn mysite.wsgi -w 3 -b 0.0.0.0:80 -b [::]:80\n',
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
      'deploy/mysite.service': '[Service]\nWorkingDirectory=/opt/mysite\nExecStart=/opt/venv/bin/gunicorn -c /opt/mysite/deploy/gunicorn.py mysite.wsgi\n',
    };
    const { m } = model(files);
    const byLabel = new Map(m.runs.map((r) => [r.label, r]));
    assert.equal(byLabel.get('Dockerfile CMD')?.config?.file, '/p/deploy/gunicorn.py');
    assert.equal(byLabel.get('Procfile (web)')?.config?.file, '/p/mysite/gunicorn_conf.py');
    assert.equal(byLabel.get('Procfile (alt)')?.configRef?.status, 'missing');
    assert.equal(byLabel.get('mysite.service')?.config?.file, '/p/deploy/gunicorn.py');
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
      'Dockerfile': 'FROM python AS development\nCMD ["python", "manage.py", "runserver"]\n',
    });
    const prod = m.commands.filter((c) => c.source.production).map((c) => `${c.server}@${c.source.label}`).sort();
    assert.deepEqual(prod, ['gunicorn@Procfile (web)', 'gunicorn@docker-compose.prod.yml (service web)', 'gunicorn@start']);
    const dev = m.commands.filter((c) => !c.source.production).map((c) => c.source.devReason);
    assert.equal(dev.length, 4);
    assert.ok(dev.every((r) => typeof r === 'string' && r.length > 0));
    assert.equal(devReasonOfPath('deploy/production/start.sh'), undefined);
    assert.match(devReasonOfPath('compose/local/django/start')!, /local/);
  });

  it('knows what kind of app a command serves and where its module is', () => {
    const { m } = model({
      Procfile: 'web: gunicorn mysite.asgi:application\nw2: gunicorn mysite.wsgi:app\nw3: gunicorn other.wsgi\nw4: gunicorn "django.core.wsgi:get_wsgi_application()"\n',
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
    const { m } = model({ 'gunicorn.conf.py': 'workers = (\n', Procfile: 'web: gunicorn\n', 'docker-compose.yml': 'services: [\n', Dockerfile: 'CMD ["gunicorn", \n' });
    assert.ok(m.configs.length === 1);
  });
});
