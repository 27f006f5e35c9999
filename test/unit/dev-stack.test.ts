// The development files taken for production's: a compose file that is the developers' stack
// (models/process/devStack.ts, passes/developmentCompose.ts), and a start script nothing runs beside a
// production process that serves the app (passes/unrunStartScripts.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { argsDecideBranch } from '../../server/src/analysis/models/process/branch';
import {
  publishesContainerPort,
  pwdBindMount,
  runsDevelopmentServer,
  runserverPort,
  switchesDevelopmentOn,
} from '../../server/src/analysis/models/process/devStack';
import { readProcesses, type ProcessModel } from '../../server/src/analysis/models/process/index';
import { parseCompose } from '../../server/src/analysis/readers/container/compose';
import { recognise } from '../../server/src/analysis/readers/process/commands';
import { tokenize } from '../../server/src/analysis/readers/shell';
import { MappedText } from '../../server/src/analysis/readers/text';

const APP: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py':
    'import os\nSECRET_KEY = os.environ["K"]\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\nALLOWED_HOSTS = ["example.com"]\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'requirements.txt': 'Django==5.2.8\ngunicorn==23.0.0\n',
};

const IMAGE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/bin/run.sh"]\nCMD ["web"]\n';
const RUN_SH =
  '#!/bin/sh\ncase "$1" in\n  web)\n    exec gunicorn mysite.wsgi --bind 0.0.0.0:8000 --access-logfile -\n    ;;\n' +
  '  web-dev)\n    exec python manage.py runserver 0.0.0.0:8000\n    ;;\n  *)\n    exec "$@"\n    ;;\nesac\n';
const CI_PUSH =
  'on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n' +
  '      - run: docker build -t ghcr.io/example/shop:latest .\n      - run: docker push ghcr.io/example/shop:latest\n';
const DEV_COMPOSE =
  'services:\n  db:\n    image: postgres:9.6\n    environment:\n      POSTGRES_PASSWORD: kq8Zr2vLw5\n' +
  '  web:\n    build: .\n    command: web-dev\n    environment:\n      DJANGO_DEBUG: "1"\n    ports:\n      - "8000:8000"\n';

function model(files: Record<string, string>): ProcessModel {
  const ws = new Workspace(new MemoryFileSystem({ ...APP, ...files }, '/p'), ['/p']);
  return readProcesses(ws, ws.projects()[0]!);
}

function invocation(line: string) {
  const c = tokenize(MappedText.slice('/p/x.sh', line))[0]!;
  return recognise(c, {}).invocations[0]!;
}

function service(yaml: string) {
  return parseCompose('/p/docker-compose.yml', yaml).services[0]!;
}

describe('the signs of a developers’ stack', () => {
  it('a development switch set on: DEBUG, DJANGO_DEBUG, DEVELOPMENT, DEV_MODE with a true text; an environment named for development', () => {
    assert.equal(switchesDevelopmentOn('DJANGO_DEBUG', '1'), true);
    assert.equal(switchesDevelopmentOn('DEBUG', 'True'), true);
    assert.equal(switchesDevelopmentOn('DEVELOPMENT', 'yes'), true);
    assert.equal(switchesDevelopmentOn('DEV_MODE', 'on'), true);
    assert.equal(switchesDevelopmentOn('DJANGO_ENV', 'development'), true);
    assert.equal(switchesDevelopmentOn('ENVIRONMENT', 'local'), true);
  });

  it('not a switch set off, another variable, nor an environment named for production or tests', () => {
    assert.equal(switchesDevelopmentOn('DJANGO_DEBUG', '0'), false);
    assert.equal(switchesDevelopmentOn('DEBUG', 'False'), false);
    assert.equal(switchesDevelopmentOn('SENTRY_DEBUG_TOKEN', '1'), false);
    assert.equal(switchesDevelopmentOn('USE_LOCAL_STORAGE', 'true'), false);
    assert.equal(switchesDevelopmentOn('DJANGO_ENV', 'production'), false);
    assert.equal(switchesDevelopmentOn('DJANGO_ENV', 'test'), false);
    assert.equal(switchesDevelopmentOn('DATABASE_HOST', 'local'), false);
  });

  it('a bind mount from $PWD is the compose file’s folder; other volumes are none', () => {
    assert.deepEqual(pwdBindMount('$PWD:/app', '/p'), { host: '/p', container: '/app' });
    assert.deepEqual(pwdBindMount('${PWD}/src:/app/src:ro', '/p'), { host: '/p/src', container: '/app/src' });
    assert.equal(pwdBindMount('.:/app', '/p'), undefined);
    assert.equal(pwdBindMount('$PWDX:/app', '/p'), undefined);
    assert.equal(pwdBindMount('pgdata:/var/lib/postgresql/data', '/p'), undefined);
  });

  it('runserver listens on its addrport’s port, else 8000', () => {
    assert.equal(runserverPort(invocation('python manage.py runserver')), 8000);
    assert.equal(runserverPort(invocation('python manage.py runserver 0.0.0.0:8080')), 8080);
    assert.equal(runserverPort(invocation('python manage.py runserver 9000')), 9000);
    assert.equal(runserverPort(invocation('python manage.py runserver 0.0.0.0:$PORT')), undefined);
  });

  it('a published container port, in any short form or range', () => {
    assert.equal(publishesContainerPort(service('services:\n  web:\n    image: x\n    ports:\n      - "8000:8000"\n'), 8000), true);
    assert.equal(publishesContainerPort(service('services:\n  web:\n    image: x\n    ports:\n      - "127.0.0.1:80:8000"\n'), 8000), true);
    assert.equal(publishesContainerPort(service('services:\n  web:\n    image: x\n    ports:\n      - "7990-8010"\n'), 8000), true);
    assert.equal(publishesContainerPort(service('services:\n  web:\n    image: x\n    ports:\n      - "8000:80"\n'), 8000), false);
  });

  it('a development server: runserver, or an app server reloading on changes', () => {
    assert.equal(runsDevelopmentServer(invocation('python manage.py runserver')), true);
    assert.equal(runsDevelopmentServer(invocation('gunicorn mysite.wsgi --reload')), true);
    assert.equal(runsDevelopmentServer(invocation('uvicorn mysite.asgi:application --reload')), true);
    assert.equal(runsDevelopmentServer(invocation('gunicorn mysite.wsgi --workers 4')), false);
  });
});

describe('a start script’s own arguments deciding a branch', () => {
  const branchOf = (text: string, program: string) => {
    const c = tokenize(MappedText.slice('/p/run.sh', text)).find((x) => x.words.some((w) => w.text === program))!;
    return c.branch ?? [];
  };
  const args = (...words: string[]) => words.map((w) => tokenize(MappedText.slice('/p/a', w))[0]!.words[0]!);

  it('picks the arm its mode argument matches, turns away the others, and leaves undecided what it does not test', () => {
    assert.equal(argsDecideBranch(branchOf(RUN_SH, 'runserver'), args('web-dev')), true);
    assert.equal(argsDecideBranch(branchOf(RUN_SH, 'runserver'), args('web')), false);
    assert.equal(argsDecideBranch(branchOf(RUN_SH, 'gunicorn'), args('web')), true);
    const env = '#!/bin/sh\nif [ "$ENV_NAME" = local ]; then\n  exec python manage.py runserver\nfi\n';
    assert.equal(argsDecideBranch(branchOf(env, 'runserver'), args('web-dev')), undefined);
  });
});

describe('a compose file that is the developers’ stack', () => {
  const files = { Dockerfile: IMAGE, 'bin/run.sh': RUN_SH, '.github/workflows/publish.yml': CI_PUSH };
  const web = (m: ProcessModel) => m.invocations.find((i) => i.server === 'runserver' && i.source.kind === 'shell');

  it('is development’s: the mode resolving to runserver, DJANGO_DEBUG on and runserver’s port, while the image CI pushes serves with gunicorn', () => {
    const m = model({ ...files, 'docker-compose.yml': DEV_COMPOSE });
    const db = m.composeDev.get('/p/docker-compose.yml\0db');
    const reason = m.composeDev.get('/p/docker-compose.yml\0web') ?? '';
    assert.match(
      reason,
      /developers' stack: its command `web-dev` is the mode bin\/run\.sh runs manage\.py runserver for; it sets DJANGO_DEBUG=1; it publishes runserver's port 8000/,
    );
    assert.match(reason, /while production serves the app with gunicorn \(Dockerfile/);
    assert.match(db ?? '', /^the services of its file that run the app are the developers' stack/);
    assert.ok(m.scripts.filter((s) => s.source.kind === 'compose').every((s) => !s.source.production));
    assert.ok(web(m), 'run.sh is read');
    // the image's own command stays production's
    assert.ok(m.scripts.some((s) => s.source.kind === 'dockerfile' && s.source.production));
  });

  it('stays production’s with one sign only', () => {
    const one = DEV_COMPOSE.replace('    environment:\n      DJANGO_DEBUG: "1"\n    ports:\n      - "8000:8000"\n', '');
    const m = model({ ...files, 'docker-compose.yml': one });
    assert.equal(m.composeDev.get('/p/docker-compose.yml\0web'), undefined);
  });

  it('stays production’s when it serves with gunicorn without signs', () => {
    const prod = DEV_COMPOSE.replace('command: web-dev', 'command: web').replace('DJANGO_DEBUG: "1"', 'DJANGO_DEBUG: "0"');
    const m = model({ ...files, 'docker-compose.yml': prod });
    assert.equal(m.composeDev.get('/p/docker-compose.yml\0web'), undefined);
    assert.equal(m.composeDev.get('/p/docker-compose.yml\0db'), undefined);
  });

  it('stays production’s when nothing else serves the app (no CI pushes the image)', () => {
    const m = model({ Dockerfile: IMAGE, 'bin/run.sh': RUN_SH, 'docker-compose.yml': DEV_COMPOSE });
    assert.equal(m.composeDev.get('/p/docker-compose.yml\0web'), undefined);
  });

  it('stays production’s when a deploy script runs it on a host', () => {
    const m = model({ ...files, 'docker-compose.yml': DEV_COMPOSE, 'deploy.sh': '#!/bin/sh\nssh host docker compose up -d\n' });
    assert.equal(m.composeDev.get('/p/docker-compose.yml\0web'), undefined);
  });

  it('is development’s with the checkout mounted from $PWD and gunicorn reloading, beside a Procfile', () => {
    const compose =
      'services:\n  web:\n    image: python:3.12\n    working_dir: /code\n    command: gunicorn mysite.wsgi --reload --bind 0.0.0.0:8000\n' +
      '    volumes:\n      - $PWD:/code\n';
    const m = model({ Procfile: 'web: gunicorn mysite.wsgi --access-logfile -\n', 'docker-compose.yml': compose });
    assert.match(
      m.composeDev.get('/p/docker-compose.yml\0web') ?? '',
      /runs gunicorn --reload; it mounts the checkout over the image's code \(\$PWD:\/code\)/,
    );
    assert.ok(m.invocations.some((i) => i.source.kind === 'procfile' && i.source.production));
  });
});

describe('a start script nothing runs', () => {
  const RENDER =
    'services:\n  - type: web\n    name: shop\n    runtime: python\n    startCommand: gunicorn mysite.wsgi:application --bind 0.0.0.0:$PORT\n';
  const START = '#!/bin/sh\npython manage.py migrate --noinput\nexec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000\n';
  const script = (m: ProcessModel) => m.invocations.find((i) => i.source.kind === 'shell' && i.source.file === '/p/start.sh');

  it('is not production’s beside render.yaml’s start command, nor are its other commands', () => {
    const m = model({ 'render.yaml': RENDER, 'start.sh': START });
    const i = script(m);
    assert.equal(i?.source.production, false);
    assert.match(
      i?.source.devReason ?? '',
      /^start\.sh: nothing in the repository runs it .* while production serves the app with gunicorn \(render\.yaml/,
    );
    assert.ok(m.tasks.filter((t) => t.source.file === '/p/start.sh').every((t) => !t.source.production));
  });

  it('is production’s when it is all that serves the app', () => {
    assert.equal(script(model({ 'start.sh': START }))?.source.production, true);
  });

  it('is run when a README names it, or a script that is run calls it', () => {
    const readme = model({ 'render.yaml': RENDER, 'start.sh': START, 'README.md': 'Start it on the server: `./start.sh`.\n' });
    assert.equal(script(readme)?.source.production, true);
    const called = model({
      'render.yaml': RENDER.replace('gunicorn mysite.wsgi:application --bind 0.0.0.0:$PORT', './boot.sh'),
      'boot.sh': '#!/bin/sh\nexec ./start.sh\n',
      'start.sh': START,
    });
    assert.equal(script(called)?.source.production, true);
  });

  it('is production’s, presumed, when it is filed for production (deploy/start.sh)', () => {
    const m = model({ 'render.yaml': RENDER, 'deploy/start.sh': START });
    assert.equal(m.invocations.find((i) => i.source.file === '/p/deploy/start.sh')?.source.production, true);
  });

  it('is not named by a longer name that ends as its own (prestart.sh)', () => {
    const m = model({ 'render.yaml': RENDER, 'start.sh': START, 'README.md': 'Run `./prestart.sh` once.\n' });
    assert.equal(script(m)?.source.production, false);
  });
});

describe('a compose file its override file makes the developers’ stack (passes/overriddenCompose.ts)', () => {
  const BASE =
    'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: mysite\n    ports:\n      - "5432:5432"\n';
  const OVERRIDE = 'services:\n  django:\n    build: .\n    command: ./manage.py runserver_plus 0.0.0.0:8000\n';
  const PROCFILE = 'web: gunicorn mysite.wsgi\n';
  const IMG = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n';

  it('is development’s when the merged app service runs the development server and a Procfile serves the app', () => {
    const m = model({ 'docker-compose.yml': BASE, 'docker-compose.override.yml': OVERRIDE, Procfile: PROCFILE, Dockerfile: IMG });
    assert.match(m.composeDev.get('/p/docker-compose.yml\0db') ?? '', /docker-compose\.override\.yml beside it.*runserver_plus.*gunicorn/);
  });

  it('is development’s when the override names a development settings module in its env file', () => {
    const m = model({
      'docker-compose.yml': BASE,
      'docker-compose.override.yml': 'services:\n  django:\n    build: .\n    env_file: dev.env\n',
      'dev.env': 'DJANGO_SETTINGS_MODULE=mysite.settings.development\n',
      Procfile: PROCFILE,
      Dockerfile: IMG,
    });
    assert.match(m.composeDev.get('/p/docker-compose.yml\0db') ?? '', /mysite\.settings\.development/);
  });

  it('stays production’s when the override serves with gunicorn, nothing else serves the app, or a deploy job runs it', () => {
    const gunicorn = OVERRIDE.replace('./manage.py runserver_plus 0.0.0.0:8000', 'gunicorn mysite.wsgi');
    const cases: Record<string, string>[] = [
      { 'docker-compose.yml': BASE, 'docker-compose.override.yml': gunicorn, Procfile: PROCFILE, Dockerfile: IMG },
      { 'docker-compose.yml': BASE, 'docker-compose.override.yml': OVERRIDE, Dockerfile: IMG },
      {
        'docker-compose.yml': BASE,
        'docker-compose.override.yml': OVERRIDE,
        Procfile: PROCFILE,
        Dockerfile: IMG,
        '.github/workflows/deploy.yml':
          'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ssh host "docker compose -f docker-compose.yml up -d"\n',
      },
    ];
    for (const files of cases) assert.equal(model(files).composeDev.get('/p/docker-compose.yml\0db'), undefined);
  });
});

describe('a compose file beside production’s values of a chart the repository does not hold', () => {
  const COMPOSE =
    'services:\n  web:\n    build: .\n    environment:\n      ENV: localdev\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n';
  const VALUES =
    'image:\n  repository: registry.example.com/mysite\ningress:\n  enabled: true\nenvironmentVariables:\n  - name: ENV\n    value: prod\n';
  const IMG = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "mysite.wsgi"]\n';

  it('is development’s when its switch is one production’s values set otherwise', () => {
    const m = model({ 'docker-compose.yml': COMPOSE, 'docker/values-prod.yaml': VALUES, Dockerfile: IMG });
    assert.match(m.composeDev.get('/p/docker-compose.yml\0web') ?? '', /ENV=localdev.*docker\/values-prod\.yaml set ENV=prod/);
    assert.ok(m.composeDev.get('/p/docker-compose.yml\0db'));
  });

  it('stays production’s when the values do not set the variable, or the values file is a chart’s own', () => {
    const unset = VALUES.slice(0, VALUES.indexOf('environmentVariables:'));
    assert.equal(
      model({ 'docker-compose.yml': COMPOSE, 'docker/values-prod.yaml': unset, Dockerfile: IMG }).composeDev.get(
        '/p/docker-compose.yml\0web',
      ),
      undefined,
    );
    const own = model({
      'docker-compose.yml': COMPOSE,
      'chart/values-prod.yaml': VALUES,
      'chart/Chart.yaml': 'apiVersion: v2\nname: mysite\nversion: 0.1.0\n',
      Dockerfile: IMG,
    });
    assert.equal(own.composeDev.get('/p/docker-compose.yml\0web'), undefined);
  });
});

describe('production’s values of an outside chart by their folder (helm/production/values.yaml)', () => {
  const COMPOSE =
    'services:\n  web:\n    build: .\n    environment:\n      ENV: localdev\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n';
  const VALUES = (env: string): string =>
    `image:\n  repository: registry.example.com/mysite\ningress:\n  enabled: true\n  className: nginx\n  hosts: [shop.example.com]\n  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\npostgres:\n  secret:\n    name: postgres\nenvironmentVariables:\n  - name: ENV\n    value: ${env}\n`;
  const IMG = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "mysite.wsgi"]\n';

  it('reads the production folder’s values (not staging’s beside them), their Ingress and the Secrets they name', () => {
    const m = model({
      'docker-compose.yml': COMPOSE,
      'etc/helm/production/values.yaml': VALUES('prod'),
      'etc/helm/staging/values.yaml': VALUES('staging'),
      Dockerfile: IMG,
    });
    assert.deepEqual(
      m.externalCharts.map((c) => c.shown),
      ['etc/helm/production/values.yaml'],
    );
    const chart = m.externalCharts[0]!;
    assert.deepEqual(chart.values.secrets, ['postgres']);
    assert.equal(chart.ingress?.controller.kind, 'ingress-nginx');
    assert.equal(chart.ingress?.tls.state, 'yes');
    assert.match(m.composeDev.get('/p/docker-compose.yml\0web') ?? '', /etc\/helm\/production\/values\.yaml set ENV=prod/);
  });

  it('reads no values file in a development folder, or in a chart of the repository', () => {
    assert.deepEqual(model({ 'deploy/dev/values.yaml': VALUES('prod'), Dockerfile: IMG }).externalCharts, []);
    assert.deepEqual(
      model({
        'helm/production/values.yaml': VALUES('prod'),
        'helm/production/Chart.yaml': 'apiVersion: v2\nname: mysite\nversion: 0.1.0\n',
        Dockerfile: IMG,
      }).externalCharts,
      [],
    );
  });
});
