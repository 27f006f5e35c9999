// Images the repository builds under a name, and the Dockerfiles built FROM them (issue 53: the
// base image a platform's Dockerfile starts from is the project's own, built by CI or compose): the
// image's ENV, WORKDIR, ENTRYPOINT and CMD reach the process, as Docker builds it.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import {
  imageRepository,
  publishedDockerfile,
  publishedImage,
  publishedImages,
} from '../../server/src/analysis/readers/container/publishedImages';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { evaluateFiles, ROOT } from './evalHarness';

before(async () => {
  await loadParser();
});

const p = (rel: string): string => path.join(ROOT, rel);

describe('imageRepository', () => {
  it('reads a reference as its repository name', () => {
    assert.equal(imageRepository('doccano/doccano:nightly'), 'doccano/doccano');
    assert.equal(imageRepository('docker.io/library/python:3.12'), 'python');
    assert.equal(imageRepository('ghcr.io/org/app@sha256:abc'), 'ghcr.io/org/app');
    assert.equal(imageRepository('registry:5000/team/web'), 'registry:5000/team/web');
    assert.equal(imageRepository('Org/App:${TAG}'), 'org/app');
    assert.equal(imageRepository('${REGISTRY}/app:1'), undefined);
    assert.equal(imageRepository('ghcr.io/example-org/bookshelf:${BOOKSHELF_TAG:-latest}'), 'ghcr.io/example-org/bookshelf');
  });
});

describe('publishedImages', () => {
  it('reads compose image names, docker build -t, and the build-push action with the metadata action', () => {
    const files = {
      'docker-compose.yml':
        'services:\n  web:\n    image: shop/web:latest\n    build:\n      context: .\n      dockerfile: docker/web.Dockerfile\n',
      Makefile: 'image:\n\tdocker build \\\n\t  --build-arg X=1 -t shop/worker:$(TAG) -f docker/worker.Dockerfile .\n',
      '.github/workflows/publish.yml': [
        'on: { push: { branches: [main] } }',
        'jobs:',
        '  image:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: meta',
        '        uses: docker/metadata-action@v5',
        '        with:',
        '          images: |',
        '            ghcr.io/shop/app',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          context: .',
        '          file: ./docker/app.Dockerfile',
        '          push: true',
        '          tags: ${{ steps.meta.outputs.tags }}',
        '      - run: docker buildx build --platform linux/amd64 -t shop/cron:1 cron',
        '',
      ].join('\n'),
    };
    const fs = new MemoryFileSystem(files, ROOT);
    const scanned = Object.keys(files).map((rel) => ({
      path: p(rel),
      kind: rel.endsWith('.yml') && rel.includes('compose') ? ('compose' as const) : ('ci' as const),
    }));
    const out = publishedImages(fs, scanned as never);
    assert.deepEqual(Object.fromEntries([...out].map(([k, v]) => [k, v.dockerfile])), {
      'shop/web:latest': p('docker/web.Dockerfile'),
      'shop/web': p('docker/web.Dockerfile'),
      'shop/worker': p('docker/worker.Dockerfile'),
      'ghcr.io/shop/app': p('docker/app.Dockerfile'),
      'shop/cron:1': p('cron/Dockerfile'),
      'shop/cron': p('cron/Dockerfile'),
    });
  });

  it('tells tags of one repository built from different Dockerfiles apart (doccano/doccano:backend beside the nightly image)', () => {
    const files = {
      '.github/workflows/publish.yml': [
        'jobs:',
        '  docker:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: meta',
        '        uses: docker/metadata-action@v5',
        '        with:',
        '          images: shop/app',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          file: ./docker/Dockerfile',
        '          push: true',
        '          tags: ${{ steps.meta.outputs.tags }}',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          file: ./docker/Dockerfile.prod',
        '          push: true',
        '          tags: shop/app:backend',
        '',
      ].join('\n'),
    };
    const out = publishedImages(new MemoryFileSystem(files, ROOT), [{ path: p('.github/workflows/publish.yml'), kind: 'ci' }] as never);
    assert.equal(publishedDockerfile(out, 'shop/app:backend'), p('docker/Dockerfile.prod'));
    assert.equal(publishedDockerfile(out, 'shop/app:nightly'), p('docker/Dockerfile'));
    assert.equal(publishedDockerfile(out, 'other/app:1'), undefined);
  });

  it("reads a committed build script's builds, with the stage --target names, and a name written with variables by its text", () => {
    const files = {
      'scripts/build-images.sh': [
        '#!/bin/bash',
        'set -e',
        'source .env',
        'docker buildx build $BUILDX_ARGS --load -t $REGISTRY$APP_IMAGE:$TAG --target app ..',
        'docker build -t "$REGISTRY$STATIC_IMAGE:$TAG" --target=static -f ../Dockerfile ..',
        'docker build -t shop/${NAME}:${TAG:-latest} ..',
        'docker build -t shop/worker:1 --target "$STAGE" ..',
        '',
      ].join('\n'),
    };
    const out = publishedImages(new MemoryFileSystem(files, ROOT), [{ path: p('scripts/build-images.sh'), kind: 'shell' }] as never);
    // `$X` and `${X}` are the same variable: the compose file's `${REGISTRY}${APP_IMAGE}:${TAG}` is that build
    assert.deepEqual(publishedImage(out, '${REGISTRY}${APP_IMAGE}:${TAG}'), { dockerfile: p('Dockerfile'), target: 'app' });
    assert.deepEqual(publishedImage(out, '$REGISTRY$APP_IMAGE:$TAG'), { dockerfile: p('Dockerfile'), target: 'app' });
    assert.deepEqual(publishedImage(out, '${REGISTRY}${STATIC_IMAGE}:${TAG}'), { dockerfile: p('Dockerfile'), target: 'static' });
    // only the same text: another variable, another tag, a default written beside it is another name
    assert.equal(publishedImage(out, '${REGISTRY}${APP_IMAGE}:latest'), undefined);
    assert.equal(publishedImage(out, '${REGISTRY}${APP_IMAGE}:${TAG:-latest}'), undefined);
    assert.equal(publishedImage(out, '${REGISTRY}${OTHER_IMAGE}:${TAG}'), undefined);
    assert.equal(publishedImage(out, 'shop/${NAME}:${TAG}'), undefined);
    assert.deepEqual(publishedImage(out, 'shop/$NAME:${TAG:-latest}'), { dockerfile: p('Dockerfile') });
    // a stage named by a variable is not known: no tie
    assert.equal(publishedImage(out, 'shop/worker:1'), undefined);
  });

  it("reads compose's build.target beside its image name", () => {
    const files = {
      'docker-compose.yml': 'services:\n  web:\n    image: shop/web:1\n    build:\n      context: .\n      target: app\n',
    };
    const out = publishedImages(new MemoryFileSystem(files, ROOT), [{ path: p('docker-compose.yml'), kind: 'compose' }] as never);
    assert.deepEqual(publishedImage(out, 'shop/web:1'), { dockerfile: p('Dockerfile'), target: 'app' });
  });
});

describe('a Dockerfile built FROM an image the repository builds', () => {
  const base = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'mysite/__init__.py': '',
    'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'mysite/settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = os.environ.get("DEBUG", "True") == "True"\n',
    'docker/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nENV DEBUG="False"\nENV STANDALONE="True"\n',
    // Heroku's container stack builds this one: nothing of its own but the base
    'docker/Dockerfile.heroku': 'FROM shop/app:nightly\n',
    'heroku.yml': 'build:\n  docker:\n    web: docker/Dockerfile.heroku\nrun:\n  web: gunicorn mysite.wsgi\n',
  };

  it('gets the ENV of the image CI builds under that name: DEBUG is off in production', () => {
    const workflow = [
      'on: { schedule: [{ cron: "0 10 * * *" }] }',
      'jobs:',
      '  docker:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - id: docker_meta',
      '        uses: crazy-max/ghaction-docker-meta@v1',
      '        with:',
      '          images: shop/app',
      '      - uses: docker/build-push-action@v3',
      '        with:',
      '          context: .',
      '          file: ./docker/Dockerfile',
      "          push: ${{ github.event_name != 'pull_request' }}",
      '          tags: ${{ steps.docker_meta.outputs.tags }}',
      '',
    ].join('\n');
    const e = evaluateFiles({ ...base, '.github/workflows/publish.yml': workflow }, { deployment: true });
    assert.equal(e.get('DEBUG'), false);
  });

  it('…when the platform runs a start script of the image that starts gunicorn (heroku.yml `run: web: /app/tools/run.sh`)', () => {
    const files = {
      ...base,
      'heroku.yml': 'build:\n  docker:\n    web: docker/Dockerfile.heroku\nrun:\n  web: /app/tools/run.sh\n',
      'tools/run.sh': '#!/bin/sh\nset -e\nexec gunicorn mysite.wsgi --bind "0.0.0.0:${PORT}"\n',
      'docker-compose.yml':
        'services:\n  app:\n    image: shop/app:nightly\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n',
    };
    const e = evaluateFiles(files, { deployment: true });
    assert.equal(e.get('DEBUG'), false);
  });

  it("Heroku's config vars (app.json) win over the image's ENV in the heroku.yml process, as in every dyno", () => {
    const files = {
      ...base,
      'docker-compose.yml':
        'services:\n  app:\n    image: shop/app:nightly\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n',
      'app.json': JSON.stringify({ name: 'shop', env: { DEBUG: { value: 'True' }, SECRET_KEY: { generator: 'secret' } } }),
    };
    const e = evaluateFiles(files, { deployment: true });
    assert.equal(e.get('DEBUG'), true);
  });

  it('without anything that builds that name, the image is not known: the default stands, as written', () => {
    const e = evaluateFiles(base, { deployment: true });
    assert.equal(e.get('DEBUG'), true);
  });
});
