// The process model's pass over images whose command every compose service replaces
// (models/process/passes/replacedCommand.ts): the Dockerfile's CMD does not run there, unless
// something else of the repository runs the image with its own command.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { deploymentEvidence } from '../../server/src/analysis/engine/deployment';
import { readProcesses, type ProcessModel } from '../../server/src/analysis/models/process/index';
import { parseCompose } from '../../server/src/analysis/readers/container/compose';

const APP: Record<string, string> = {
  'app/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'app/mysite/__init__.py': '',
  'app/mysite/settings.py': 'import os\nSECRET_KEY = os.environ["K"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
  'app/mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'app/requirements.txt': 'Django==5.2.8\ngunicorn==23.0.0\n',
};

const RUNSERVER_IMAGE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app/\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n';

const COMPOSE_SUPPLIED =
  'services:\n  django:\n    build:\n      context: ./app\n    command: ${COMMAND}\n    volumes:\n      - ./app:/app\n    restart: always\n' +
  '  nginx:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n      - "443:443"\n';

function model(files: Record<string, string>): ProcessModel {
  const ws = new Workspace(new MemoryFileSystem({ ...APP, ...files }, '/p'), ['/p']);
  return readProcesses(ws, ws.projects()[0]!);
}

/** The Dockerfile's runserver invocation. */
function imageRunserver(m: ProcessModel) {
  const i = m.invocations.find((x) => x.source.kind === 'dockerfile' && x.server === 'runserver');
  assert.ok(i, 'the Dockerfile CMD is read');
  return i;
}

describe("an image's command every compose service replaces", () => {
  it('does not run: the CMD is not production’s, and says whose command replaces it (a command the deployment supplies)', () => {
    const i = imageRunserver(model({ 'app/Dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': COMPOSE_SUPPLIED }));
    assert.equal(i.source.production, false);
    assert.match(
      i.source.replacedBy ?? '',
      /docker-compose\.yml \(service django\) runs `\$\{COMMAND\}`, a command the deployment supplies/,
    );
    assert.match(i.source.devReason ?? '', /^every compose service running its image replaces its CMD/);
  });

  it('does not run when a production service (no source mount) replaces it with its own command', () => {
    const compose = 'services:\n  web:\n    build: ./app\n    command: gunicorn mysite.wsgi --bind 0.0.0.0:8000\n';
    const m = model({ 'app/Dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': compose });
    assert.equal(imageRunserver(m).source.production, false);
    assert.ok(m.invocations.some((x) => x.source.kind === 'compose' && x.server === 'gunicorn' && x.source.production));
  });

  it('runs when one service keeps the image’s command', () => {
    const compose = 'services:\n  web:\n    build: ./app\n  worker:\n    build: ./app\n    command: celery -A mysite worker\n';
    assert.equal(imageRunserver(model({ 'app/Dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': compose })).source.production, true);
  });

  it('runs when it is an ENTRYPOINT that `command:` only gives arguments to', () => {
    const image = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app/\nENTRYPOINT ["python", "manage.py", "runserver"]\n';
    const compose = 'services:\n  web:\n    build: ./app\n    command: 0.0.0.0:8000\n';
    assert.equal(imageRunserver(model({ 'app/Dockerfile': image, 'docker-compose.yml': compose })).source.production, true);
    // …and does not when the service replaces the entrypoint too
    const replaced = 'services:\n  web:\n    build: ./app\n    entrypoint: ["gunicorn", "mysite.wsgi"]\n';
    assert.equal(imageRunserver(model({ 'app/Dockerfile': image, 'docker-compose.yml': replaced })).source.production, false);
  });

  it('runs when CI publishes images, or a Kubernetes container runs an image with its own command', () => {
    const ci =
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t registry.example.com/site:latest app && docker push registry.example.com/site:latest\n';
    const withCi = model({
      'app/Dockerfile': RUNSERVER_IMAGE,
      'docker-compose.yml': COMPOSE_SUPPLIED,
      '.github/workflows/publish.yml': ci,
    });
    assert.equal(imageRunserver(withCi).source.production, true);
    const k8s =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: site\nspec:\n  template:\n    spec:\n      containers:\n        - name: site\n          image: registry.example.com/site:1.0\n';
    const withK8s = model({ 'app/Dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': COMPOSE_SUPPLIED, 'k8s/deployment.yaml': k8s });
    assert.equal(imageRunserver(withK8s).source.production, true);
    // …or a release script builds it under another name: also when the Dockerfile is named in lower case
    const release = '#!/bin/bash\nset -e\ndocker build -t "$REGISTRY/site:$VERSION" app\ndocker push "$REGISTRY/site:$VERSION"\n';
    const lower = model({ 'app/dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': COMPOSE_SUPPLIED, 'release.sh': release });
    assert.equal(imageRunserver(lower).source.production, true);
    assert.equal(
      imageRunserver(model({ 'app/dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': COMPOSE_SUPPLIED })).source.production,
      false,
    );
  });
});

describe('a lower-case dockerfile', () => {
  it('is the Dockerfile a compose build of the default name reads when no Dockerfile exists (DOCKERFILE_LOWER_CASE)', () => {
    const compose = 'services:\n  web:\n    build: ./app\n    restart: always\n';
    const m = model({ 'app/dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': compose });
    assert.equal(m.compose[0]!.services[0]!.build?.dockerfile, 'dockerfile');
    const i = imageRunserver(m);
    assert.equal(i.source.file, '/p/app/dockerfile');
    // …and the one in upper case when both exist
    const both = model({ 'app/dockerfile': RUNSERVER_IMAGE, 'app/Dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': compose });
    assert.equal(both.compose[0]!.services[0]!.build?.dockerfile, 'Dockerfile');
  });
});

describe('a compose command a variable gives', () => {
  it('is the deployment’s when the whole command is an unset variable: said so, never presumed', () => {
    const compose = 'services:\n  web:\n    build: ./app\n    command: ${COMMAND}\n    restart: always\n';
    const ws = new Workspace(new MemoryFileSystem({ ...APP, 'app/Dockerfile': RUNSERVER_IMAGE, 'docker-compose.yml': compose }, '/p'), [
      '/p',
    ]);
    const project = ws.projects()[0]!;
    const m = readProcesses(ws, project);
    assert.equal(m.invocations.filter((i) => i.source.production).length, 0);
    const e = deploymentEvidence(ws, project);
    assert.deepEqual(e?.suppliedCommands, ['docker-compose.yml (service web): its command is ${COMMAND}, which the deployment supplies']);
    assert.ok(e?.files.some((f) => f.format === 'compose file' && f.processes === 1));
  });

  it('is the committed .env’s when it sets the variable: compose interpolates it, then splits it into words', () => {
    const compose = 'services:\n  web:\n    build: ./app\n    command: ${COMMAND}\n    restart: always\n';
    const ws = new Workspace(
      new MemoryFileSystem(
        {
          ...APP,
          'app/Dockerfile': RUNSERVER_IMAGE,
          'docker-compose.yml': compose,
          '.env': 'COMMAND=gunicorn mysite.wsgi --bind 0.0.0.0:8000 --reload\n',
        },
        '/p',
      ),
      ['/p'],
    );
    const project = ws.projects()[0]!;
    const m = readProcesses(ws, project);
    const g = m.invocations.find((i) => i.source.kind === 'compose' && i.server === 'gunicorn');
    assert.ok(g?.source.production, 'the .env’s gunicorn command is production’s process');
    assert.equal(g.program.loc.file, '/p/.env', 'located in the .env that writes it');
    assert.equal(m.composeSuppliedCommands.size, 0);
    assert.equal(deploymentEvidence(ws, project)?.suppliedCommands, undefined);
    // the Dockerfile's runserver is replaced, by the .env's command
    assert.match(imageRunserver(m).source.replacedBy ?? '', /runs `\$\{COMMAND\}` \(COMMAND as the \.env beside it sets it\)/);
  });

  it('is its default, split into words as compose splits the command after interpolating it', () => {
    const c = parseCompose(
      '/p/docker-compose.yml',
      'services:\n  web:\n    build: .\n    command: ${COMMAND:-gunicorn mysite.wsgi --reload}\n',
    );
    assert.deepEqual(
      c.services[0]!.command!.map((t) => t.text),
      ['gunicorn', 'mysite.wsgi', '--reload'],
    );
    // (a quoted default inside a shell command stays one word)
    const sh = parseCompose(
      '/p/docker-compose.yml',
      'services:\n  web:\n    build: .\n    command: sh -c "${COMMAND:-gunicorn mysite.wsgi}"\n',
    );
    assert.deepEqual(
      sh.services[0]!.command!.map((t) => t.text),
      ['sh', '-c', 'gunicorn mysite.wsgi'],
    );
  });
});

describe("an image's command a platform's process replaces", () => {
  const FLY =
    'app = "shop"\n[processes]\napp = "gunicorn mysite.wsgi --bind 0.0.0.0:8000"\n[http_service]\ninternal_port = 8000\nforce_https = true\n';

  it('does not run where fly.toml builds the image and gives its process group a command (it supersedes the CMD)', () => {
    const m = model({ 'app/Dockerfile': RUNSERVER_IMAGE, 'app/fly.toml': FLY });
    const i = imageRunserver(m);
    assert.equal(i.source.production, false);
    assert.match(
      i.source.devReason ?? '',
      /^every platform process running its image replaces its CMD: app\/fly\.toml \(process app\) runs `gunicorn/,
    );
    assert.ok(m.invocations.some((x) => x.source.kind === 'platform' && x.server === 'gunicorn' && x.source.production));
  });

  it('runs when the image has an ENTRYPOINT (fly.io replaces the CMD only), or a process group keeps the image’s command', () => {
    const entry = RUNSERVER_IMAGE.replace(
      'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]',
      'ENTRYPOINT ["python", "manage.py", "runserver", "0.0.0.0:8000"]',
    );
    assert.ok(
      model({ 'app/Dockerfile': entry, 'app/fly.toml': FLY }).invocations.some(
        (x) => x.source.kind === 'dockerfile' && x.source.production,
      ),
    );
    const kept = 'app = "shop"\n[processes]\napp = ""\nworker = "celery -A mysite worker"\n';
    assert.equal(imageRunserver(model({ 'app/Dockerfile': RUNSERVER_IMAGE, 'app/fly.toml': kept })).source.production, true);
  });
});

describe('a platform file of another app beside the app’s own', () => {
  const APP_FLY =
    'app = "shop"\n[processes]\napp = "gunicorn mysite.wsgi --bind 0.0.0.0:8000"\n[http_service]\ninternal_port = 8000\nforce_https = true\n';
  const DB_FLY =
    'app = "shop-db"\n[build]\nimage = "flyio/postgres-flex:15"\n[[services]]\ninternal_port = 5432\n[[services.ports]]\nport = 5432\nhandlers = ["pg_tls"]\n';

  it('is not production’s: a prebuilt image the repository does not build, starting nothing of Django; the deployment list says why', () => {
    const files = { 'app/Dockerfile': RUNSERVER_IMAGE, 'app/fly.toml': APP_FLY, 'app/db/fly.toml': DB_FLY };
    const m = model(files);
    const db = m.workloads.find((w) => w.source.file === '/p/app/db/fly.toml');
    assert.equal(db?.source.production, false);
    assert.match(db?.source.otherProject ?? '', /prebuilt image flyio\/postgres-flex:15, which the repository does not build/);
    assert.equal(m.workloads.find((w) => w.source.file === '/p/app/fly.toml')?.source.production, true);
    const ws = new Workspace(new MemoryFileSystem({ ...APP, ...files }, '/p'), ['/p']);
    const e = deploymentEvidence(ws, ws.projects()[0]!);
    assert.match(e?.files.find((f) => f.file === '/p/app/db/fly.toml')?.otherApp ?? '', /another app's deployment/);
  });

  it('stays production’s alone (a prebuilt image may be the app’s own, built where the repository does not show)', () => {
    const m = model({ 'app/db/fly.toml': DB_FLY });
    assert.equal(m.workloads.find((w) => w.source.file === '/p/app/db/fly.toml')?.source.production, true);
  });

  // a Fly Postgres app's fly.toml as `fly postgres create` leaves it: no [build], no Dockerfile beside it
  const PG_FLY =
    "app = 'shop-db'\n[[mounts]]\nsource = 'pg_data'\ndestination = '/data'\n[[services]]\nprotocol = 'tcp'\ninternal_port = 5432\n[[services.ports]]\nport = 5432\nhandlers = ['pg_tls']\n";
  const CI_FLY = 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: flyctl deploy --remote-only\n';

  it('is not production’s when it builds nothing of the repository and serves only Postgres; a CI `fly deploy` leaves the CMD replaced', () => {
    const files = {
      'app/Dockerfile': RUNSERVER_IMAGE,
      'app/fly.toml': APP_FLY,
      'app/db/fly.toml': PG_FLY,
      '.github/workflows/fly.yml': CI_FLY,
    };
    const m = model(files);
    const db = m.workloads.find((w) => w.source.file === '/p/app/db/fly.toml');
    assert.equal(db?.source.production, false);
    assert.match(db?.source.otherProject ?? '', /builds nothing of the repository \(no app\/db\/Dockerfile.*Fly Postgres app's/);
    assert.equal(imageRunserver(m).source.production, false);
  });

  it('stays production’s with a Dockerfile beside it, or a web service, or alone', () => {
    const beside = model({
      'app/Dockerfile': RUNSERVER_IMAGE,
      'app/fly.toml': APP_FLY,
      'app/db/fly.toml': PG_FLY,
      'app/db/Dockerfile': RUNSERVER_IMAGE,
    });
    assert.equal(beside.workloads.find((w) => w.source.file === '/p/app/db/fly.toml')?.source.production, true);
    const web = PG_FLY.replace("handlers = ['pg_tls']", "handlers = ['tls', 'http']").replace('5432', '8000');
    const served = model({ 'app/Dockerfile': RUNSERVER_IMAGE, 'app/fly.toml': APP_FLY, 'app/db/fly.toml': web });
    assert.equal(served.workloads.find((w) => w.source.file === '/p/app/db/fly.toml')?.source.production, true);
    const alone = model({ 'app/db/fly.toml': PG_FLY });
    assert.equal(alone.workloads.find((w) => w.source.file === '/p/app/db/fly.toml')?.source.production, true);
  });
});
