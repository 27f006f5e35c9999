// Process command lines (issue 5, part 1): the shell-style tokeniser and the parsers of Procfiles,
// Dockerfiles, docker-compose files, systemd units and shell scripts. Every word keeps its place in
// the file, so each test also checks that `text.slice(loc)` is the word as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recognise, recogniseWords } from '../../server/src/analysis/readers/process/commands';
import { readsArguments } from '../../server/src/analysis/models/process/ignoredArgs';
import { parseCompose } from '../../server/src/analysis/readers/container/compose';
import { finalStage, parseDockerfile, parseInstructions, parseJsonArray } from '../../server/src/analysis/readers/container/dockerfile';
import { parseProcfile } from '../../server/src/analysis/readers/process/procfile';
import { splitWords, tokenize, type SimpleCommand } from '../../server/src/analysis/readers/shell';
import { parseSystemdService } from '../../server/src/analysis/readers/process/systemd';
import { supervisordSignalName, systemdSignalName } from '../../server/src/analysis/catalogue/stopSignals';
import { MappedText, type Token } from '../../server/src/analysis/readers/text';
import { pick, rng } from '../helpers/random';
import { parseYaml, yget } from '../../server/src/analysis/readers/yaml';
import { takesTrailingComment } from '../../server/src/lsp/handlers/codeActions';

const F = '/w/file';

function sh(text: string, lookup?: (n: string) => string | undefined): SimpleCommand[] {
  return tokenize(MappedText.slice(F, text), { lookup });
}

function words(c: SimpleCommand | undefined): string[] {
  return c?.words.map((w) => w.text) ?? [];
}

/** The source text a token's location covers. */
function src(text: string, t: Token): string {
  return text.slice(t.loc.start, t.loc.end);
}

describe('shell tokeniser', () => {
  it('splits words and keeps their locations', () => {
    const text = 'gunicorn  mysite.wsgi --bind 0.0.0.0:8000';
    const [c] = sh(text);
    assert.deepEqual(words(c), ['gunicorn', 'mysite.wsgi', '--bind', '0.0.0.0:8000']);
    assert.deepEqual(
      c!.words.map((w) => src(text, w)),
      ['gunicorn', 'mysite.wsgi', '--bind', '0.0.0.0:8000'],
    );
  });

  it('removes quotes, keeps escapes, and maps inner characters back to the file', () => {
    const text = `gunicorn "my app" 'it''s' a\\ b --name="x y" "say \\"hi\\""`;
    const [c] = sh(text);
    assert.deepEqual(words(c), ['gunicorn', 'my app', 'its', 'a b', '--name=x y', 'say "hi"']);
    const name = c!.words[4]!;
    assert.equal(src(text, name), '--name="x y"');
    assert.ok(name.quoted);
    // the `y` inside the quotes maps to its own offset
    const y = name.map.loc(9, 10);
    assert.equal(text.slice(y.start, y.end), 'y');
  });

  it('joins backslash-newline continuations and separates commands on &&, ||, ;, | and newlines', () => {
    const text = 'python manage.py migrate && \\\n  gunicorn mysite.wsgi \\\n    --workers 3; echo done | cat\nexit 0 || true';
    const cmds = sh(text);
    assert.deepEqual(cmds.map(words), [
      ['python', 'manage.py', 'migrate'],
      ['gunicorn', 'mysite.wsgi', '--workers', '3'],
      ['echo', 'done'],
      ['cat'],
      ['exit', '0'],
      ['true'],
    ]);
    assert.equal(cmds[1]!.after, '&&');
    assert.equal(cmds[5]!.after, '||');
    assert.equal(cmds[5]!.conditional, true);
    assert.equal(src(text, cmds[1]!.words[3]!), '3');
  });

  it('skips comments, redirections and heredoc bodies', () => {
    const text = '# start\ngunicorn app >/var/log/g.log 2>&1 # noqa\ncat <<EOF > x\ngunicorn not-a-command\nEOF\nexec uvicorn a:b';
    const cmds = sh(text);
    assert.deepEqual(cmds.map(words), [['gunicorn', 'app'], ['cat'], ['exec', 'uvicorn', 'a:b']]);
  });

  it('expands variables with defaults and values from the context, and marks unknown ones', () => {
    const [c] = sh('gunicorn -w ${WEB_CONCURRENCY:-4} -b 0.0.0.0:$PORT --timeout "$TIMEOUT" -k ${WORKER}', (n) =>
      n === 'WORKER' ? 'gthread' : undefined,
    );
    const w = c!.words;
    assert.equal(w[2]!.text, '4');
    assert.deepEqual(w[2]!.env, [{ name: 'WEB_CONCURRENCY', value: '4', valueFrom: 'default' }]);
    assert.equal(w[2]!.dynamic, false);
    assert.equal(w[4]!.text, '0.0.0.0:$PORT');
    assert.equal(w[4]!.dynamic, true);
    assert.equal(w[6]!.dynamic, true);
    assert.equal(w[8]!.text, 'gthread');
    assert.equal(w[8]!.env[0]!.valueFrom, 'context');
  });

  it('reads assignments before the program and "$@"', () => {
    const [a, b] = sh('DJANGO_SETTINGS_MODULE=mysite.settings.prod PORT=80 gunicorn app\nexec "$@"');
    assert.deepEqual(
      a!.assignments.map((x) => `${x.name}=${x.value.text}`),
      ['DJANGO_SETTINGS_MODULE=mysite.settings.prod', 'PORT=80'],
    );
    assert.deepEqual(words(a), ['gunicorn', 'app']);
    assert.equal(b!.words[1]!.forwardsArgs, true);
  });

  it('marks commands inside if/case/functions as conditional', () => {
    const text = [
      'set -e',
      'if [ "$DEBUG" = "1" ]; then',
      '  python manage.py runserver 0.0.0.0:8000',
      'else',
      '  exec gunicorn mysite.wsgi',
      'fi',
      'case "$1" in',
      '  web|"app") exec gunicorn a.wsgi ;;',
      '  worker)',
      '    exec celery -A a worker;;',
      'esac',
      'start() {',
      '  uvicorn a.asgi:application',
      '}',
      'gunicorn last.wsgi',
    ].join('\n');
    const cmds = sh(text);
    const byProgram = (p: string): SimpleCommand[] => cmds.filter((c) => c.words.some((w) => w.text === p));
    assert.equal(byProgram('runserver')[0]!.conditional, true);
    assert.equal(byProgram('mysite.wsgi')[0]!.conditional, true);
    assert.equal(byProgram('a.wsgi')[0]!.conditional, true);
    assert.deepEqual(words(byProgram('a.wsgi')[0]), ['exec', 'gunicorn', 'a.wsgi']);
    assert.equal(byProgram('celery')[0]!.conditional, true);
    assert.equal(byProgram('uvicorn')[0]!.conditional, true);
    assert.equal(byProgram('last.wsgi')[0]!.conditional, false);
    assert.equal(
      cmds.some((c) => words(c)[0] === 'web' || words(c)[0] === 'worker'),
      false,
      'case patterns are not commands',
    );
  });

  it('keeps $(…) and backticks as one dynamic word', () => {
    const [c] = sh('gunicorn -w $(nproc --all) -b "$(hostname -i):80" `echo app`');
    assert.deepEqual(words(c), ['gunicorn', '-w', '$(nproc --all)', '-b', '$(hostname -i):80', '`echo app`']);
    assert.ok([2, 4, 5].every((i) => c!.words[i]!.dynamic));
  });

  it('splits compose string commands without operators and with $$ as a literal dollar', () => {
    const w = splitWords(MappedText.slice(F, 'gunicorn a.wsgi && echo $$HOME "${PORT:-80}"'), 'split');
    assert.deepEqual(
      w.map((x) => x.text),
      ['gunicorn', 'a.wsgi', '&&', 'echo', '$HOME', '80'],
    );
  });
});

describe('server recognition', () => {
  const inv = (text: string) => {
    const out = sh(text).flatMap((c) => recognise(c).invocations);
    return out;
  };

  it('sees through wrappers', () => {
    for (const line of [
      'exec gunicorn mysite.wsgi',
      'env DJANGO_SETTINGS_MODULE=x nohup gunicorn mysite.wsgi',
      'tini -- gosu app newrelic-admin run-program gunicorn mysite.wsgi',
      'poetry run gunicorn mysite.wsgi',
      'uv run --no-sync gunicorn mysite.wsgi',
      'uv run --env-file .env.prod --with gevent gunicorn mysite.wsgi',
      'poetry run -C backend gunicorn mysite.wsgi',
      '/usr/local/bin/pdm run -p /app -- gunicorn mysite.wsgi',
      'pixi run -e prod gunicorn mysite.wsgi',
      'conda run -n web --no-capture-output gunicorn mysite.wsgi',
      'conda run --prefix /opt/env -- gunicorn mysite.wsgi',
      'rye run gunicorn mysite.wsgi',
      'python -u -m gunicorn mysite.wsgi',
      '/venv/bin/gunicorn mysite.wsgi',
      'ddtrace-run gunicorn mysite.wsgi',
      'doppler run --project x -- gunicorn mysite.wsgi',
      'sh -c "python manage.py migrate && exec gunicorn mysite.wsgi"',
      "bash -lc 'cd /app; gunicorn mysite.wsgi'",
      'su -c "gunicorn mysite.wsgi --bind 127.0.0.1:8001" django',
      "su django -s /bin/sh -c 'exec gunicorn mysite.wsgi'",
      'su --command="gunicorn mysite.wsgi" app',
    ]) {
      const found = inv(line);
      assert.equal(found.length, 1, line);
      assert.equal(found[0]!.server, 'gunicorn', line);
      assert.equal(found[0]!.app?.module, 'mysite.wsgi', line);
    }
  });

  it("recognises litestream replicate's -exec subprocess, marked as replicated, with the database it names", () => {
    const text = 'exec litestream replicate -config /etc/ls.yml -exec "gunicorn mysite.wsgi --bind 0.0.0.0:8080"';
    const [g] = inv(text);
    assert.equal(g?.server, 'gunicorn');
    assert.equal(g!.app?.module, 'mysite.wsgi');
    assert.equal(g!.replicatedBy?.config?.text, '/etc/ls.yml');
    assert.equal(g!.replicatedBy?.database, undefined);
    const bind = g!.options.find((o) => o.key === 'bind')!;
    assert.equal(text.slice(bind.flag.loc.start, bind.flag.loc.end), '--bind');
    // command-line mode: DB_PATH REPLICA_URL, and -exec=… written with its value attached
    const [h] = inv('litestream replicate /data/db.sqlite3 s3://bucket/db -exec="gunicorn mysite.wsgi"');
    assert.equal(h?.replicatedBy?.database?.text, '/data/db.sqlite3');
    // without -exec (a sidecar), or another subcommand, it starts nothing of the app
    assert.equal(inv('litestream replicate').length, 0);
    assert.equal(inv('litestream restore -if-replica-exists /data/db.sqlite3').length, 0);
  });

  it('locates words inside sh -c "…" in the file', () => {
    const text = `sh -c "python manage.py migrate && gunicorn mysite.wsgi --reload"`;
    const [g] = inv(text);
    const reload = g!.options.find((o) => o.key === 'reload')!;
    assert.equal(text.slice(reload.flag.loc.start, reload.flag.loc.end), '--reload');
  });

  it('parses gunicorn options like argparse (=, attached short values, prefixes, switches)', () => {
    const [g] = inv(
      'gunicorn -w4 --bind=0.0.0.0:8000 -b [::]:8000 --timeo 60 --reload -D -k uvicorn.workers.UvicornWorker mysite.asgi:application --access-log x --nope',
    );
    const opts = g!.options.map((o) =>
      o.unknown ? `?${o.flag.text}` : o.ambiguous ? `~${o.flag.text}` : `${o.key}${o.value ? '=' + o.value.text : ''}`,
    );
    assert.deepEqual(opts, [
      'workers=4',
      'bind=0.0.0.0:8000',
      'bind=[::]:8000',
      'timeout=60',
      'reload',
      'daemon',
      'worker_class=uvicorn.workers.UvicornWorker',
      '~--access-log',
      '?--nope',
    ]);
    assert.equal(g!.app?.module, 'mysite.asgi');
    assert.equal(g!.app?.attr, 'application');
  });

  it('recognises runserver in its forms', () => {
    for (const line of [
      'python manage.py runserver 0.0.0.0:8000',
      './manage.py runserver',
      'django-admin runserver --settings=x',
      'python3 -m django runserver',
      'python manage.py runserver_plus',
    ]) {
      const [r] = inv(line);
      assert.equal(r?.server, 'runserver', line);
    }
    assert.equal(inv('python manage.py migrate').length, 0);
  });

  it('recognises uvicorn, daphne, hypercorn with their options', () => {
    const [u] = inv('uvicorn mysite.asgi:application --host 0.0.0.0 --port 8000 --reload --workers 2');
    assert.equal(u!.server, 'uvicorn');
    assert.equal(u!.app?.module, 'mysite.asgi');
    assert.ok(u!.options.some((o) => o.key === '--reload' && o.isSwitch));
    const [d] = inv('daphne -b 0.0.0.0 -p 8000 mysite.asgi:application');
    assert.equal(d!.app?.module, 'mysite.asgi');
    const [h] = inv('hypercorn --reload -b 0.0.0.0:8000 mysite.asgi:application');
    assert.equal(h!.app?.module, 'mysite.asgi');
  });

  it('follows an entrypoint script given the real command as arguments', () => {
    const words = ['/docker-entrypoint.sh', 'gunicorn', 'mysite.wsgi'].map((t, i) => ({
      text: t,
      loc: { file: F, start: i * 30, end: i * 30 + t.length },
      map: MappedText.slice(F, t),
      quoted: true,
      env: [],
      dynamic: false,
    }));
    const r = recogniseWords(words, [], {});
    assert.equal(r.scripts[0]?.script.text, '/docker-entrypoint.sh');
    assert.equal(r.invocations[0]?.server, 'gunicorn');
  });

  it('notes the commands that hand over to the script arguments (exec "$@"), conditional or not', () => {
    const text = 'if [ "$DEBUG" = 1 ]; then exec python manage.py runserver; fi\nexec "$@"\n';
    const all = sh(text).map((c) => recognise(c));
    const forwards = all.flatMap((r) => r.forwards);
    assert.equal(forwards.length, 1);
    assert.equal(src(text, forwards[0]!.token), '"$@"');
    assert.equal(forwards[0]!.conditional, false);
    const runserver = all.flatMap((r) => r.invocations)[0];
    assert.equal(runserver?.server, 'runserver');
    assert.equal(runserver?.conditional, true);
    assert.equal(recognise(sh('case "$1" in web) exec "$@";; esac')[0]!).forwards[0]?.conditional, true);
  });

  it('recognises granian with its interface, and --x/--no-x switches', () => {
    const [g] = inv('python -m granian --interface asgi mysite.asgi:application --host 0.0.0.0 --reload --no-reload');
    assert.equal(g?.server, 'granian');
    assert.equal(g?.app?.module, 'mysite.asgi');
    assert.deepEqual(
      g?.options.map((o) => [o.key, o.value?.text ?? (o.isSwitch ? 'switch' : '')]),
      [
        ['--interface', 'asgi'],
        ['--host', '0.0.0.0'],
        ['--reload', 'switch'],
        ['--no-reload', 'switch'],
      ],
    );
  });

  it('recognises management commands and celery, with what runs in the background', () => {
    const tasks = (text: string) => sh(text).flatMap((c) => recognise(c).tasks);
    const t = tasks('python manage.py migrate --noinput && django-admin collectstatic; python -m django check');
    assert.deepEqual(
      t.map((x) => [x.kind, x.subcommand?.text]),
      [
        ['manage', 'migrate'],
        ['manage', 'collectstatic'],
        ['manage', 'check'],
      ],
    );
    const text = 'celery -A mysite worker -B -l info & exec gunicorn mysite.wsgi';
    const [c] = tasks(text);
    assert.equal(c?.kind, 'celery');
    assert.equal(c?.subcommand?.text, 'worker');
    assert.equal(c?.background, true);
    assert.equal(src(text, c!.subcommand!), 'worker');
    const [g] = inv(text);
    assert.equal(g?.server, 'gunicorn');
    assert.equal(g?.background, undefined);
    assert.equal(inv('gunicorn mysite.wsgi & celery -A mysite beat')[0]?.background, true);
    // inside `sh -c`, and behind wrappers
    assert.deepEqual(
      tasks('sh -c "python manage.py migrate && exec gunicorn mysite.wsgi"').map((x) => x.subcommand?.text),
      ['migrate'],
    );
    assert.equal(tasks('poetry run python -m celery -A mysite beat')[0]?.subcommand?.text, 'beat');
  });
});

describe('Procfile', () => {
  it('reads process types and commands with locations', () => {
    const text =
      '# comment\nrelease: python manage.py migrate\nweb:   gunicorn mysite.wsgi --log-file -  \n\nworker: celery -A mysite worker\n';
    const entries = parseProcfile(F, text);
    assert.deepEqual(
      entries.map((e) => e.type),
      ['release', 'web', 'worker'],
    );
    const web = entries[1]!;
    assert.equal(web.command.text, 'gunicorn mysite.wsgi --log-file -');
    const [c] = tokenize(web.command);
    assert.equal(text.slice(c!.words[1]!.loc.start, c!.words[1]!.loc.end), 'mysite.wsgi');
  });
});

describe('Dockerfile', () => {
  it('parses exec-form JSON with escapes, mapping each item to the file', () => {
    const text = '["gunicorn", "--bind", "0.0.0.0:8000", "say \\"x\\"", "\\u0041"]';
    const items = parseJsonArray(MappedText.slice(F, text))!;
    assert.deepEqual(
      items.map((i) => i.text),
      ['gunicorn', '--bind', '0.0.0.0:8000', 'say "x"', 'A'],
    );
    assert.equal(text.slice(items[2]!.loc.start, items[2]!.loc.end), '"0.0.0.0:8000"');
    assert.equal(parseJsonArray(MappedText.slice(F, 'gunicorn app')), undefined);
    assert.equal(parseJsonArray(MappedText.slice(F, '["a", b]')), undefined);
  });

  it('joins continuation lines, drops comment lines inside them, skips heredocs', () => {
    const text = [
      'FROM python:3.12',
      'RUN pip install \\',
      '    # a comment inside',
      '    gunicorn',
      'RUN <<EOF',
      'CMD not an instruction',
      'EOF',
      'CMD gunicorn mysite.wsgi \\',
      '    --bind 0.0.0.0:8000 \\',
      '    --workers 2',
    ].join('\n');
    const ins = parseInstructions(F, text);
    assert.deepEqual(
      ins.map((i) => i.keyword),
      ['FROM', 'RUN', 'RUN', 'CMD'],
    );
    assert.equal(ins[1]!.args.text.replace(/\s+/g, ' '), 'pip install gunicorn');
    const cmd = ins[3]!;
    const [c] = tokenize(cmd.args);
    assert.deepEqual(words(c), ['gunicorn', 'mysite.wsgi', '--bind', '0.0.0.0:8000', '--workers', '2']);
    assert.equal(text.slice(c!.words[5]!.loc.start, c!.words[5]!.loc.end), '2');
  });

  it('keeps the last stage, its WORKDIR, ENV (both forms), COPY and command', () => {
    const text = [
      'ARG PY=3.12',
      'FROM python:${PY} AS build',
      'WORKDIR /src',
      'CMD ["python", "manage.py", "runserver"]',
      'FROM build AS runtime',
      'ENV PORT=8000 WEB_CONCURRENCY="3"',
      'ENV LEGACY some value',
      'WORKDIR /app',
      'WORKDIR src',
      'COPY . /app/',
      'ENTRYPOINT ["/entrypoint.sh"]',
      'CMD ["gunicorn", "mysite.wsgi"]',
    ].join('\n');
    const d = parseDockerfile(F, text);
    assert.equal(d.stages.length, 2);
    assert.equal(d.stages[0]!.base, 'python:3.12');
    const last = finalStage(d)!;
    assert.equal(last.name, 'runtime');
    assert.equal(last.workdir, '/app/src');
    assert.equal(last.env.get('WEB_CONCURRENCY')?.value, '3');
    assert.equal(last.env.get('LEGACY')?.value, 'some value');
    const port = last.env.get('PORT')!;
    assert.equal(text.slice(port.token.loc.start, port.token.loc.end), '8000');
    assert.deepEqual(
      last.entrypoint?.items?.map((i) => i.text),
      ['/entrypoint.sh'],
    );
    assert.deepEqual(
      last.cmd?.items?.map((i) => i.text),
      ['gunicorn', 'mysite.wsgi'],
    );
    const { sourceLocs, ...copy } = last.copies[0]!;
    assert.deepEqual(copy, { sources: ['.'], dest: '/app/', from: undefined, keyword: 'COPY' });
    assert.equal(sourceLocs?.length, 1);
  });

  it("reads a legacy ENV's quoted value as Docker does: quotes removed", () => {
    const last = finalStage(parseDockerfile(F, 'FROM python:3.12\nENV DJANGO_DEBUG \'False\'\nENV NAME "shop"\nENV SPACED a b\n'))!;
    assert.equal(last.env.get('DJANGO_DEBUG')?.value, 'False');
    assert.equal(last.env.get('NAME')?.value, 'shop');
    assert.equal(last.env.get('SPACED')?.value, 'a b');
  });

  it('inherits the command of the stage it is built from, and an ENTRYPOINT resets an inherited CMD', () => {
    const a = parseDockerfile(F, 'FROM python AS base\nCMD ["gunicorn", "a.wsgi"]\nFROM base\nENV X=1\n');
    assert.deepEqual(
      finalStage(a)!.cmd?.items?.map((i) => i.text),
      ['gunicorn', 'a.wsgi'],
    );
    const b = parseDockerfile(F, 'FROM python AS base\nCMD ["gunicorn", "a.wsgi"]\nFROM base\nENTRYPOINT ["uvicorn"]\n');
    assert.equal(finalStage(b)!.cmd, undefined);
  });

  it('honours the escape directive', () => {
    const text = '# escape=`\nFROM windows\nCMD gunicorn `\n  app.wsgi';
    const d = parseDockerfile(F, text);
    assert.equal(finalStage(d)!.cmd?.text?.text.replace(/\s+/g, ' '), 'gunicorn app.wsgi');
  });
});

describe('docker-compose (YAML)', () => {
  it('reads string and list commands per service, with anchors and merge keys', () => {
    const text = [
      'x-django: &django',
      '  build:',
      '    context: .',
      '    dockerfile: ./compose/production/django/Dockerfile',
      '  environment:',
      '    - DJANGO_SETTINGS_MODULE=config.settings.production',
      '    - "GUNICORN_CMD_ARGS=--workers 3"',
      'services:',
      '  web:',
      '    <<: *django',
      '    command: gunicorn config.wsgi --bind 0.0.0.0:5000  # the app',
      '    ports:',
      '      - "5000:5000"',
      '  worker:',
      '    <<: *django',
      '    command: ["celery", "-A", "config", "worker"]',
      '  asgi:',
      '    image: app',
      '    command:',
      '      - uvicorn',
      "      - 'config.asgi:application'",
      '      - --reload',
      '    environment:',
      '      PORT: "8000"',
      '      EMPTY:',
      '  nginx:',
      '    image: nginx:1.25',
      '    volumes: [ "./nginx:/etc/nginx/conf.d:ro" ]',
    ].join('\n');
    const c = parseCompose(F, text);
    assert.deepEqual(
      c.services.map((s) => s.name),
      ['web', 'worker', 'asgi', 'nginx'],
    );
    const web = c.services[0]!;
    assert.deepEqual(
      web.command?.map((t) => t.text),
      ['gunicorn', 'config.wsgi', '--bind', '0.0.0.0:5000'],
    );
    assert.equal(web.build?.dockerfile, './compose/production/django/Dockerfile');
    assert.equal(web.environment.get('GUNICORN_CMD_ARGS')?.value, '--workers 3');
    assert.deepEqual(
      web.ports.map((p) => p.text),
      ['5000:5000'],
    );
    const bind = web.command![3]!;
    assert.equal(text.slice(bind.loc.start, bind.loc.end), '0.0.0.0:5000');
    const asgi = c.services[2]!;
    assert.deepEqual(
      asgi.command?.map((t) => t.text),
      ['uvicorn', 'config.asgi:application', '--reload'],
    );
    assert.equal(text.slice(asgi.command![1]!.loc.start, asgi.command![1]!.loc.end), "'config.asgi:application'");
    assert.equal(asgi.environment.get('PORT')?.value, '8000');
    assert.deepEqual(c.services[3]!.volumes, ['./nginx:/etc/nginx/conf.d:ro']);
  });

  it('reads block scalars and multi-line plain and quoted scalars', () => {
    const text = [
      'services:',
      '  a:',
      '    command: >',
      '      sh -c "python manage.py migrate &&',
      '             gunicorn a.wsgi"',
      '  b:',
      '    command: |-',
      '      gunicorn b.wsgi',
      '  c:',
      '    command: gunicorn c.wsgi',
      '      --workers 2',
      '  d:',
      '    command: "gunicorn d.wsgi',
      '      --timeout 5"',
    ].join('\n');
    const root = parseYaml(F, text);
    const cmd = (s: string): string | undefined => {
      const n = yget(yget(yget(root, 'services'), s), 'command');
      return n?.kind === 'scalar' ? n.value : undefined;
    };
    // a more-indented line is not folded (YAML 1.2, 8.1.3)
    assert.equal(cmd('a'), 'sh -c "python manage.py migrate &&\n       gunicorn a.wsgi"\n');
    assert.equal(cmd('b'), 'gunicorn b.wsgi');
    assert.equal(cmd('c'), 'gunicorn c.wsgi --workers 2');
    assert.equal(cmd('d'), 'gunicorn d.wsgi --timeout 5');
    const c = parseCompose(F, text);
    const two = c.services[2]!.command![3]!;
    assert.equal(text.slice(two.loc.start, two.loc.end), '2');
  });

  it('reads flow mappings and sequences and never throws on broken input', () => {
    const root = parseYaml(F, 'services: {web: {command: [gunicorn, "a.wsgi"]}}\n');
    const cmd = yget(yget(yget(root, 'services'), 'web'), 'command');
    assert.equal(cmd?.kind, 'seq');
    for (const broken of ['services:\n  web: [unclosed', ':\n- - -\n  : :', 'a: "x', '\t\tservices:\n\tweb:'])
      assert.doesNotThrow(() => parseCompose(F, broken));
  });
});

describe('docker-compose replicas and user', () => {
  it('reads deploy.replicas, scale and user', () => {
    const c = parseCompose(
      F,
      'services:\n  web:\n    deploy:\n      replicas: 3\n    user: app\n  beat:\n    scale: 1\n  worker:\n    image: x\n',
    );
    assert.equal(c.services[0]?.replicas?.text, '3');
    assert.equal(c.services[0]?.user, 'app');
    assert.equal(c.services[1]?.replicas?.text, '1');
    assert.equal(c.services[2]?.replicas, undefined);
  });
});

describe('systemd units', () => {
  it('reads ExecStart with prefixes and continuations, WorkingDirectory, quoted Environment=', () => {
    const text = [
      '[Unit]',
      'Description=mysite',
      '[Service]',
      'Type=notify',
      'WorkingDirectory=/srv/mysite',
      'Environment="DJANGO_SETTINGS_MODULE=mysite.settings.production" "GUNICORN_CMD_ARGS=--workers 3 --timeout 60"',
      'Environment=PORT=8000',
      'ExecStart=-/srv/venv/bin/gunicorn \\',
      '    # a comment line inside the continuation',
      '    --bind 127.0.0.1:${PORT} \\',
      '    "mysite.wsgi:application"',
    ].join('\n');
    const u = parseSystemdService(F, text);
    assert.equal(u.type, 'notify');
    assert.equal(u.workingDirectory, '/srv/mysite');
    assert.equal(u.environment.get('GUNICORN_CMD_ARGS')?.value, '--workers 3 --timeout 60');
    assert.equal(u.environment.get('DJANGO_SETTINGS_MODULE')?.value, 'mysite.settings.production');
    const t = u.execStart[0]!.tokens;
    assert.deepEqual(
      t.map((x) => x.text),
      ['/srv/venv/bin/gunicorn', '--bind', '127.0.0.1:8000', 'mysite.wsgi:application'],
    );
    assert.equal(text.slice(t[0]!.loc.start, t[0]!.loc.end), '/srv/venv/bin/gunicorn');
    assert.equal(text.slice(t[3]!.loc.start, t[3]!.loc.end), '"mysite.wsgi:application"');
  });

  it('a unit written as a Jinja template: what it fills in is a value not known, in the same place', () => {
    const text =
      '[Service]\nEnvironmentFile=/etc/shop/shop.env\nExecStart={{ venv_path }}/bin/python -m gunicorn --config {{ gunicorn_config_file }}\n';
    const u = parseSystemdService('/p/ansible/roles/app/templates/gunicorn.service.j2', text);
    const t = u.execStart[0]!.tokens;
    assert.deepEqual(
      t.map((x) => x.text.replace(/t+/g, 't')),
      ['${t}/bin/python', '-m', 'gunicorn', '--config', '${t}'],
    );
    assert.equal(text.slice(t[0]!.loc.start, t[0]!.loc.end), '{{ venv_path }}/bin/python');
    // a unit that is not a template keeps its braces (systemd reads them as written)
    assert.equal(parseSystemdService('/p/gunicorn.service', text).execStart[0]!.tokens[0]!.text, '{{');
  });

  it('User= (the last, its word) and DynamicUser=; a User= inside a Jinja comment of a .j2 unit is not there', () => {
    const text = '[Service]\nUser=www-data\nUser=app  # the last wins\nDynamicUser=yes\n';
    const u = parseSystemdService(F, text);
    assert.equal(u.user?.text, 'app');
    assert.equal(text.slice(u.user!.loc.start, u.user!.loc.end), 'app');
    assert.ok(u.dynamicUser);
    assert.equal(parseSystemdService(F, '[Service]\nUser=app\nUser=\n').user, undefined);
    assert.equal(parseSystemdService(F, '[Service]\nDynamicUser=no\n').dynamicUser, undefined);
    const j2 = parseSystemdService(
      '/p/roles/web/templates/app.service.j2',
      '[Service]\n{# User={{ app_user }} #}\nExecStart=/srv/venv/bin/gunicorn app.wsgi\n',
    );
    assert.equal(j2.user, undefined);
    const filled = parseSystemdService('/p/roles/web/templates/app.service.j2', '[Service]\nUser={{ app_user }}\n');
    assert.match(filled.user!.text, /^\$\{t+\}$/);
  });

  it('signal names as systemd (KillSignal=) and supervisord (stopsignal=) read them', () => {
    assert.equal(systemdSignalName('SIGQUIT'), 'SIGQUIT');
    assert.equal(systemdSignalName('QUIT'), 'SIGQUIT');
    assert.equal(systemdSignalName('3'), 'SIGQUIT');
    assert.equal(systemdSignalName('RTMIN+3'), 'SIGRTMIN+3');
    // misspelt, or lower case (systemd's table is looked up as written): ignored by systemd
    assert.equal(systemdSignalName('SIQUIT'), undefined);
    assert.equal(systemdSignalName('SIGQUITE'), undefined);
    assert.equal(systemdSignalName('sigquit'), undefined);
    assert.equal(systemdSignalName('0'), undefined);
    // supervisord upper-cases the name and adds SIG
    assert.equal(supervisordSignalName('quit'), 'SIGQUIT');
    assert.equal(supervisordSignalName('SIGTERM'), 'SIGTERM');
    assert.equal(supervisordSignalName('9'), 'SIGKILL');
    assert.equal(supervisordSignalName('SIQUIT'), undefined);
    assert.equal(supervisordSignalName('TREM'), undefined);
  });

  it('an empty ExecStart= resets the list; a trailing # word is a comment', () => {
    const files = parseSystemdService(F, '[Service]\nEnvironmentFile=/etc/shop/shop.env\nEnvironmentFile=-/etc/shop/extra.env\n');
    assert.deepEqual(
      files.environmentFiles.map((e) => [e.path, e.optional]),
      [
        ['/etc/shop/shop.env', false],
        ['/etc/shop/extra.env', true],
      ],
    );
    const u = parseSystemdService(F, '[Service]\nExecStart=/bin/a\nExecStart=\nExecStart=/bin/gunicorn app # noqa: DDG203\n');
    assert.equal(u.execStart.length, 1);
    assert.deepEqual(
      u.execStart[0]!.tokens.map((t) => t.text),
      ['/bin/gunicorn', 'app'],
    );
  });
});

describe('hostile input', () => {
  it('no parser throws or loops on random fragments of process files, and every location is inside the file', () => {
    const r = rng(20260505);
    const pieces = [
      'gunicorn',
      ' ',
      '\n',
      '\\\n',
      '"',
      "'",
      '$',
      '${',
      '}',
      '$(',
      ')',
      '(',
      '`',
      '#',
      ';',
      '&&',
      '||',
      '|',
      '&',
      '<<EOF\n',
      'EOF\n',
      '-w',
      '--bind=',
      '=',
      ':',
      '- ',
      '  ',
      '\t',
      '[',
      ']',
      '{',
      '}',
      ',',
      'CMD ',
      'FROM x AS y\n',
      'ENV A=b ',
      'services:\n',
      '  web:\n',
      '    command: ',
      '[Service]\n',
      'ExecStart=',
      'web: ',
      'sh -c ',
      'case x in',
      'esac',
      'if',
      'then',
      'fi',
      '\\',
      '*',
      '&anchor ',
      '*anchor',
      '<<: ',
      '|',
      '>-\n',
      '"\\u00',
      'python manage.py runserver',
    ];
    for (let k = 0; k < 400; k++) {
      let text = '';
      const n = 1 + Math.floor(r() * 40);
      for (let i = 0; i < n; i++) text += pick(r, pieces);
      const inside = (t: { loc: { start: number; end: number } }): void => {
        assert.ok(t.loc.start >= 0 && t.loc.end <= text.length && t.loc.start <= t.loc.end, `bad location in ${JSON.stringify(text)}`);
      };
      const cmds = tokenize(MappedText.slice(F, text));
      cmds.forEach((c) => c.words.forEach(inside));
      cmds.forEach((c) => recognise(c));
      splitWords(MappedText.slice(F, text), 'split').forEach(inside);
      splitWords(MappedText.slice(F, text), 'systemd').forEach(inside);
      parseProcfile(F, text);
      const d = parseDockerfile(F, text);
      for (const s of d.stages) s.cmd?.items?.forEach(inside);
      const c = parseCompose(F, text);
      for (const s of c.services) s.command?.forEach(inside);
      parseSystemdService(F, text).execStart.forEach((e) => e.tokens.forEach(inside));
    }
  });
});

describe('"# noqa" placement on process files', () => {
  it('is only offered where a trailing comment stays a comment', () => {
    const at = (file: string, text: string, needle: string) =>
      takesTrailingComment(text, { file, start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
    assert.equal(at('/p/Procfile', 'web: gunicorn mysite.wsgi -w 3\n', '3'), true);
    assert.equal(at('/p/start.sh', 'exec gunicorn mysite.wsgi \\\n  -w 3\n', 'mysite'), false);
    // an exec-form CMD followed by text falls back to shell form; systemd passes "#" to the program
    assert.equal(at('/p/Dockerfile', 'CMD ["gunicorn", "mysite.wsgi", "-w", "3"]\n', '"3"'), false);
    assert.equal(at('/p/deploy/mysite.service', '[Service]\nExecStart=/v/bin/gunicorn mysite.wsgi -w 3\n', '3'), false);
    assert.equal(at('/p/docker-compose.yml', 'services:\n  web:\n    command: gunicorn mysite.wsgi -w 3\n', '3'), true);
    assert.equal(at('/p/docker-compose.yml', 'services:\n  web:\n    command: >-\n      gunicorn mysite.wsgi -w 3\n', '3'), false);
  });
});

describe('start scripts that ignore their arguments (models/process/ignoredArgs.ts)', () => {
  it('tells a script that reads its positional parameters from one that never does', () => {
    for (const t of [
      '#!/bin/sh\nexec "$@"\n',
      'exec gunicorn "$1"\n',
      'case "${1}" in web) ;; esac\n',
      'if [ $# -gt 0 ]; then :; fi\n',
      'shift\nexec x\n',
      'for a in $*; do :; done\n',
    ])
      assert.equal(readsArguments(t), true, t);
    for (const t of [
      '#!/bin/bash\nset -e\nexec gunicorn mysite.wsgi --bind 0.0.0.0:$PORT\n',
      'echo "$HOME" # $ sign\n',
      'python manage.py migrate\nexec uvicorn app:app\n',
      'unshift_queue\n',
    ])
      assert.equal(readsArguments(t), false, t);
  });
});
