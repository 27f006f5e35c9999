// Compose files merged as a deployment's `docker compose -f a.yml -f b.yml up` merges them: the
// reader's merge key by key (readers/container/compose.ts mergeComposeLayers, catalogue
// COMPOSE_MERGE), the command lines that name the files (models/process/composeLayers.ts), and the
// process model reading the merge as production's compose file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { readProcesses, type ProcessModel } from '../../server/src/analysis/models/process/index';
import { composeCommandOf } from '../../server/src/analysis/models/process/composeLayers';
import { mergeComposeLayers, parseCompose, withExtends, type ComposeService } from '../../server/src/analysis/readers/container/compose';

const BASE = '/p/docker-compose.yml';
const PROD = '/p/docker-compose.prod.yml';

function merged(base: string, prod: string): ComposeService {
  const c = mergeComposeLayers([parseCompose(BASE, base), parseCompose(PROD, prod)]);
  assert.equal(c.file, PROD);
  assert.deepEqual(c.layers, [BASE, PROD]);
  const s = c.services.find((x) => x.name === 'web');
  assert.ok(s);
  return s;
}

/** The text of a location in whichever file wrote it. */
function at(texts: Record<string, string>, loc: { file: string; start: number; end: number } | undefined): string {
  assert.ok(loc);
  return `${loc.file}:${texts[loc.file]!.slice(loc.start, loc.end)}`;
}

describe('mergeComposeLayers: a later file laid over a service, key by key', () => {
  it('keeps what only the base writes (build, command, env_file, ports) where the base writes it', () => {
    const base =
      'services:\n  web:\n    build: .\n    command: gunicorn mysite.wsgi --bind 0.0.0.0:8000\n    env_file: .env\n    ports:\n      - "8000:8000"\n';
    const prod = 'services:\n  web:\n    environment:\n      DJANGO_LOG_LEVEL: info\n  nginx:\n    image: nginx:1.27\n';
    const texts = { [BASE]: base, [PROD]: prod };
    const s = merged(base, prod);
    assert.deepEqual(s.build, { context: '.', dockerfile: 'Dockerfile', dockerfileWritten: false });
    assert.deepEqual(
      s.command?.map((t) => t.text),
      ['gunicorn', 'mysite.wsgi', '--bind', '0.0.0.0:8000'],
    );
    assert.equal(s.command?.[0]?.loc.file, BASE);
    assert.deepEqual(
      s.envFiles.map((e) => e.path),
      ['.env'],
    );
    assert.equal(at(texts, s.ports[0]?.loc), `${BASE}:"8000:8000"`);
    assert.equal(at(texts, s.environment.get('DJANGO_LOG_LEVEL')?.token.loc), `${PROD}:info`);
    // the service is where the base defines it; a service only the later file has is added
    assert.equal(s.nameLoc.file, BASE);
  });

  it('replaces image, command and entrypoint; merges build key by key', () => {
    const base =
      'services:\n  web:\n    image: shop:dev\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    command: ["python", "manage.py", "runserver"]\n    entrypoint: /entry.sh\n    working_dir: /src\n    user: root\n';
    const prod =
      'services:\n  web:\n    image: shop:1.0\n    build:\n      context: .\n      target: production\n    command: gunicorn mysite.wsgi\n    user: app\n';
    const texts = { [BASE]: base, [PROD]: prod };
    const s = merged(base, prod);
    assert.equal(s.image, 'shop:1.0');
    assert.equal(at(texts, s.imageLoc), `${PROD}:shop:1.0`);
    assert.deepEqual(s.build, { context: '.', dockerfile: 'docker/Dockerfile', dockerfileWritten: true, target: 'production' });
    assert.deepEqual(
      s.command?.map((t) => t.text),
      ['gunicorn', 'mysite.wsgi'],
    );
    assert.equal(s.commandLoc?.file, PROD);
    assert.deepEqual(
      s.entrypoint?.map((t) => t.text),
      ['/entry.sh'],
    );
    assert.equal(s.workingDir, '/src');
    assert.equal(s.user, 'app');
  });

  it('merges environment by name whatever its syntax (the later value wins), labels by key', () => {
    const base =
      'services:\n  web:\n    build: .\n    environment:\n      - DEBUG=1\n      - SECRET_KEY\n      - TZ=UTC\n    labels:\n      traefik.enable: "true"\n      tier: dev\n';
    const prod =
      'services:\n  web:\n    environment:\n      DEBUG: "0"\n      SECRET_KEY: ${SECRET_KEY:?}\n    labels:\n      - tier=prod\n';
    const texts = { [BASE]: base, [PROD]: prod };
    const s = merged(base, prod);
    assert.equal(s.environment.get('DEBUG')?.value, '0');
    assert.equal(at(texts, s.environment.get('DEBUG')?.token.loc), `${PROD}:"0"`);
    assert.equal(s.environment.get('TZ')?.value, 'UTC');
    assert.equal(s.environment.get('TZ')?.token.loc.file, BASE);
    // a name the base passes through and the later file gives a value is that value
    assert.equal(s.environment.get('SECRET_KEY')?.interpolates?.required, true);
    assert.deepEqual(s.passThrough, []);
    assert.deepEqual(
      s.labels.map((l) => [l.key, l.value, l.valueLoc.file]),
      [
        ['traefik.enable', 'true', BASE],
        ['tier', 'prod', PROD],
      ],
    );
  });

  it('appends env_file, expose and ports, each published port once; merges volumes by container path', () => {
    const base =
      'services:\n  web:\n    build: .\n    env_file: .env\n    ports:\n      - "8000:8000"\n    expose:\n      - "8000"\n    volumes:\n      - ./src:/app\n      - static:/app/static\n';
    const prod =
      'services:\n  web:\n    env_file:\n      - .env\n      - .env.prod\n    ports:\n      - 8000:8000\n      - "127.0.0.1:9000:9000"\n    expose:\n      - "9000"\n    volumes:\n      - ./release:/app\n';
    const s = merged(base, prod);
    assert.deepEqual(
      s.envFiles.map((e) => [e.path, e.loc.file]),
      [
        ['.env', PROD],
        ['.env.prod', PROD],
      ],
    );
    assert.deepEqual(
      s.ports.map((p) => p.text),
      ['8000:8000', '127.0.0.1:9000:9000'],
    );
    assert.deepEqual(
      s.expose.map((e) => e.text),
      ['8000', '9000'],
    );
    assert.deepEqual(s.volumes, ['./release:/app', 'static:/app/static']);
  });

  it('reads three files in order, each later one over the merge before it', () => {
    const third = '/p/docker-compose.tls.yml';
    const c = mergeComposeLayers([
      parseCompose(BASE, 'services:\n  web:\n    build: .\n    command: a\n'),
      parseCompose(PROD, 'services:\n  web:\n    command: b\n'),
      parseCompose(third, 'services:\n  web:\n    command: c\n  proxy:\n    image: caddy:2\n'),
    ]);
    assert.equal(c.file, third);
    assert.deepEqual(
      c.services.map((s) => [s.name, s.command?.map((t) => t.text).join(' ')]),
      [
        ['web', 'c'],
        ['proxy', undefined],
      ],
    );
  });
});

describe('composeCommandOf: the files a compose command line names', () => {
  it('reads -f, --file and --file= in order, and whether it starts containers', () => {
    assert.deepEqual(composeCommandOf('docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d'), {
      files: ['docker-compose.yml', 'docker-compose.prod.yml'],
      starts: true,
    });
    assert.deepEqual(composeCommandOf("ssh srv 'cd /srv && docker-compose --file=a.yml --file b.yml pull'"), {
      files: ['a.yml', 'b.yml'],
      starts: false,
    });
    assert.equal(composeCommandOf('echo deploy'), undefined);
  });

  it('reads a subcommand the script’s arguments give ("$@") as passed on, not as one of its own', () => {
    assert.deepEqual(composeCommandOf('docker compose -f docker-compose.yml -f docker/compose/docker-compose.prod.yml "$@"'), {
      files: ['docker-compose.yml', 'docker/compose/docker-compose.prod.yml'],
      starts: false,
      passesArgs: true,
    });
    assert.deepEqual(composeCommandOf('docker compose -p shop --env-file .env.prod -f a.yml $*')?.passesArgs, true);
    // (a subcommand of its own decides)
    assert.deepEqual(composeCommandOf('docker compose -f a.yml logs "$@"'), { files: ['a.yml'], starts: false });
    assert.deepEqual(composeCommandOf('docker compose -f a.yml up "$@"'), { files: ['a.yml'], starts: true });
  });

  it('reads COMPOSE_FILE on the line, else the one the script exported', () => {
    assert.deepEqual(composeCommandOf('COMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml docker compose up -d')?.files, [
      'docker-compose.yml',
      'docker-compose.prod.yml',
    ]);
    assert.deepEqual(composeCommandOf('docker compose up -d', 'a.yml:b.yml')?.files, ['a.yml', 'b.yml']);
    // (-f wins over COMPOSE_FILE)
    assert.deepEqual(composeCommandOf('docker compose -f c.yml up -d', 'a.yml:b.yml')?.files, ['c.yml']);
  });
});

const APP: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py':
    'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\nCORS_ALLOWED_ORIGINS = os.environ.get("CORS_ALLOWED_ORIGINS", "http://localhost:3000").split(",")\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'requirements.txt': 'Django==5.2.8\ngunicorn==23.0.0\n',
  Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n',
  '.gitignore': '.env\n',
  'docker-compose.yml':
    'services:\n  web:\n    build: .\n    command: gunicorn mysite.wsgi:application --bind 0.0.0.0:8000\n    env_file: .env\n    ports:\n      - "8000:8000"\n',
  'docker-compose.prod.yml':
    'services:\n  web:\n    environment:\n      DJANGO_LOG_LEVEL: info\n  nginx:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n',
};

function workflow(command: string): string {
  return (
    'on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n' +
    '      - run: |\n          echo "SECRET_KEY=${{ secrets.SECRET_KEY }}" > .env\n          echo "CORS_ALLOWED_ORIGINS=${{ secrets.CORS_ALLOWED_ORIGINS }}" >> .env\n' +
    `      - run: ${command}\n`
  );
}

function model(files: Record<string, string>): ProcessModel {
  const ws = new Workspace(new MemoryFileSystem({ ...APP, ...files }, '/p'), ['/p']);
  return readProcesses(ws, ws.projects()[0]!);
}

function gunicorn(m: ProcessModel, file: string) {
  return m.invocations.filter((i) => i.source.kind === 'compose' && i.source.file === file && i.server === 'gunicorn');
}

describe('the process model of a deployment that merges compose files', () => {
  it('reads the merge as production’s compose file: the base’s command and the .env the deploy job writes', () => {
    const m = model({ '.github/workflows/deploy.yml': workflow('docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d') });
    const prod = m.compose.find((c) => c.file === PROD);
    assert.deepEqual(prod?.layers, [BASE, PROD]);
    const runs = gunicorn(m, PROD);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.source.production, true);
    assert.equal(runs[0]!.source.label, 'docker-compose.yml + docker-compose.prod.yml (service web)');
    // the command is where the base writes it
    assert.equal(runs[0]!.program.loc.file, BASE);
    const cors = runs[0]!.source.env.get('CORS_ALLOWED_ORIGINS');
    assert.ok(cors?.writtenBy, 'the .env the deploy job writes sets CORS_ALLOWED_ORIGINS');
    assert.equal(runs[0]!.source.env.get('DJANGO_LOG_LEVEL')?.value, 'info');
    // the base alone is not production's: no second production gunicorn
    const alone = gunicorn(m, BASE);
    assert.ok(alone.every((i) => !i.source.production));
    assert.match(alone[0]?.source.devReason ?? '', /runs it only with docker-compose\.prod\.yml laid over it/);
  });

  it('reads COMPOSE_FILE the same way', () => {
    const m = model({
      '.github/workflows/deploy.yml': workflow('COMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml docker compose up -d'),
    });
    assert.equal(gunicorn(m, PROD)[0]?.source.production, true);
  });

  it('says a file named by a variable is unknown: the base is production’s, what the other file adds is not read', () => {
    const m = model({
      '.github/workflows/deploy.yml': workflow('docker compose -f docker-compose.yml -f docker-compose.$TARGET.yml up -d'),
    });
    assert.equal(m.compose.find((c) => c.file === PROD)?.layers, undefined);
    const runs = gunicorn(m, BASE);
    assert.equal(runs[0]?.source.production, true);
    assert.ok(
      runs[0]?.source.unreadEnv?.some((u) =>
        /docker-compose\.\$TARGET\.yml, laid over it by \.github\/workflows\/deploy\.yml:\d+ \(a compose file named by a variable\)/.test(
          u,
        ),
      ),
      String(runs[0]?.source.unreadEnv),
    );
  });

  it('merges for a production script in scripts/ that passes its arguments, its files found from the project’s root, their paths from the base’s folder', () => {
    const prod =
      'services:\n  web:\n    build:\n      context: .\n      target: production\n    environment:\n      DJANGO_LOG_LEVEL: info\n';
    const m = model({
      'docker/compose/docker-compose.prod.yml': prod,
      'scripts/run_prod.sh': '#!/bin/sh\ndocker compose -f docker-compose.yml -f docker/compose/docker-compose.prod.yml "$@"\n',
    });
    const merged = m.compose.find((c) => c.file === '/p/docker/compose/docker-compose.prod.yml');
    assert.deepEqual(merged?.layers, [BASE, '/p/docker/compose/docker-compose.prod.yml']);
    const runs = gunicorn(m, '/p/docker/compose/docker-compose.prod.yml');
    assert.equal(runs[0]?.source.production, true);
    assert.equal(runs[0]?.source.env.get('DJANGO_LOG_LEVEL')?.value, 'info');
    // a script not named for production that passes its arguments starts nothing it can be said of
    const other = model({
      'docker/compose/docker-compose.prod.yml': prod,
      'scripts/compose.sh': '#!/bin/sh\ndocker compose -f docker-compose.yml -f docker/compose/docker-compose.prod.yml "$@"\n',
    });
    assert.equal(other.compose.find((c) => c.file === '/p/docker/compose/docker-compose.prod.yml')?.layers, undefined);
  });

  it('does not merge for a test job, nor for a development script', () => {
    const test =
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d\n';
    const m = model({
      '.github/workflows/test.yml': test,
      'scripts/dev.sh': 'docker compose -f docker-compose.yml -f docker-compose.prod.yml up\n',
    });
    assert.equal(m.compose.find((c) => c.file === PROD)?.layers, undefined);
  });

  it('does not merge a development file over the base, nor take the base from production when a deploy command runs it alone', () => {
    const dev = 'services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n';
    const m = model({
      'docker-compose.dev.yml': dev,
      'scripts/deploy.sh': 'docker compose -f docker-compose.yml -f docker-compose.dev.yml up -d\n',
    });
    assert.equal(m.compose.find((c) => c.file === '/p/docker-compose.dev.yml')?.layers, undefined);
    // (the base is docker-compose.prod.yml's base only when that merge is what a deploy command runs)
    const both = model({
      '.github/workflows/deploy.yml': workflow('docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d'),
      'deploy.sh': 'cd /srv/app && docker compose up -d web\n',
    });
    assert.ok(gunicorn(both, BASE).some((i) => !/laid over it/.test(i.source.devReason ?? '')));
  });
});

describe('withExtends: a service laid over the one it extends (catalogue COMPOSE_EXTENDS)', () => {
  const COMMON = '/p/etc/common.yml';
  const MAIN = '/p/etc/docker-compose.yml';
  const common =
    'services:\n  app:\n    env_file: $PWD/.env\n    environment:\n      A: from-common\n      B: from-common\n    volumes:\n      - $PWD:/app\n';
  const main =
    'services:\n  web:\n    extends:\n      service: app\n      file: ./common.yml\n    build: .\n    environment:\n      B: from-web\n  worker:\n    extends: web\n    command: celery -A mysite worker\n';
  const read = (f: string) => (f === COMMON ? parseCompose(COMMON, common) : undefined);

  it('merges the extended service’s env_file, environment and volumes, the extending one winning', () => {
    const c = withExtends(parseCompose(MAIN, main), read);
    const web = c.services.find((s) => s.name === 'web')!;
    assert.deepEqual(
      web.envFiles.map((e) => e.path),
      ['$PWD/.env'],
    );
    assert.equal(web.environment.get('A')?.value, 'from-common');
    assert.equal(web.environment.get('B')?.value, 'from-web');
    assert.deepEqual(web.volumes, ['$PWD:/app']);
    assert.equal(web.nameLoc.file, MAIN);
    // (a service of the same file, itself extending another file's)
    const worker = c.services.find((s) => s.name === 'worker')!;
    assert.deepEqual(
      worker.envFiles.map((e) => e.path),
      ['$PWD/.env'],
    );
    assert.deepEqual(
      worker.command?.map((t) => t.text),
      ['celery', '-A', 'mysite', 'worker'],
    );
    assert.deepEqual(worker.build, { context: '.', dockerfile: 'Dockerfile', dockerfileWritten: false });
  });

  it('leaves a service whose extended file cannot be read as written', () => {
    const c = withExtends(parseCompose(MAIN, main), () => undefined);
    assert.deepEqual(c.services.find((s) => s.name === 'web')!.envFiles, []);
  });
});
