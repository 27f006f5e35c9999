// Issue 58: checklist statements a developer opening a real repository can trust. Items that do not
// apply say so and why (gunicorn's when uWSGI serves); a Helm pre-upgrade Job running migrate is the
// release step; collectstatic in a script commented "for local development" is no evidence, nor is a
// Sphinx docs/Makefile a deployment file; hints the Problems panel does not list count for nothing;
// each settings module says why it is or is not production; only variables something reads are listed;
// Helm template text is shown as the name a reader knows.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readableName } from '../../server/src/analysis/base/relPath';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { buildChecklist, type Checklist, type ChecklistItem } from '../../server/src/analysis/outputs/checklist/checklist';
import { checklistText } from '../../server/src/analysis/outputs/checklist/render';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';

const ROOT = '/repo';

function checklistOf(files: Record<string, string>): Checklist {
  const ws = new Workspace(new MemoryFileSystem(files, ROOT), [ROOT]);
  const a = analyzeWorkspace(ws, { djangoVersion: '5.2' });
  assert.equal(a.projects.length, 1);
  return buildChecklist(ws, a.projects[0]!);
}

const item = (c: Checklist, id: string): ChecklistItem => {
  const i = c.groups.flatMap((g) => g.items).find((x) => x.id === id);
  assert.ok(i, `no item ${id}`);
  return i;
};

const SETTINGS = [
  'import os',
  'DEBUG = os.environ.get("DJANGO_DEBUG") == "1"',
  'SECRET_KEY = os.environ["SECRET_KEY"]',
  'ALLOWED_HOSTS = ["example.com"]',
  'INSTALLED_APPS = ["django.contrib.staticfiles"]',
  'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
  'STATIC_ROOT = "/srv/static"',
  '',
].join('\n');

const BASE = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
  'shop/__init__.py': '',
  'shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
  'shop/settings.py': SETTINGS,
};

describe('checklist statements that are true (issue 58)', () => {
  before(async () => {
    await loadParser();
  });

  it('the gunicorn items do not apply when uWSGI serves the app: "not applicable" and why, apart in the counts', () => {
    const c = checklistOf({
      ...BASE,
      'docker/uwsgi.ini':
        '[uwsgi]\nmodule = shop.wsgi:application\nhttp = :8000\nprocesses = 4\nenv = DJANGO_SETTINGS_MODULE=shop.settings\n',
      Dockerfile:
        'FROM python:3.12\nENV PYTHONUNBUFFERED=1\nCOPY . /app\nWORKDIR /app\nUSER app\nCMD ["uwsgi", "--ini", "docker/uwsgi.ini"]\n',
    });
    for (const id of ['gunicorn-settings', 'gunicorn-tuning']) {
      const i = item(c, id);
      assert.equal(i.status, 'passed');
      assert.match(i.notApplicable!, /^uWSGI serves the app, not gunicorn\b/);
      assert.equal(i.description, 'not applicable: uWSGI serves the app, not gunicorn');
    }
    const text = checklistText([c], () => undefined);
    assert.match(
      text,
      /^ {2}– Gunicorn settings are valid \(no typos, right types\) — not applicable: uWSGI serves the app, not gunicorn$/m,
    );
    assert.match(text, /\b\d+ not applicable$/m);
  });

  it('a Helm pre-upgrade Job running migrate is the release step; a script commented "for local development" is no collectstatic evidence', () => {
    const c = checklistOf({
      ...BASE,
      'helm/shop/templates/deployment.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: {{ include "shop.fullname" . }}-app',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: {{ .Chart.Name }}',
        '          image: "shop:{{ .Values.image.tag }}"',
        '          command: ["gunicorn", "shop.wsgi"]',
        '          env:',
        '            - name: DJANGO_SETTINGS_MODULE',
        '              value: shop.settings',
        '',
      ].join('\n'),
      'helm/shop/templates/migrate.yaml': [
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata:',
        '  name: "{{ .Release.Name }}-migrate"',
        '  annotations:',
        '    "helm.sh/hook": pre-upgrade',
        'spec:',
        '  template:',
        '    spec:',
        '      restartPolicy: Never',
        '      containers:',
        '        - name: migrate-db',
        '          image: "shop:{{ .Values.image.tag }}"',
        '          command: ["python", "manage.py", "migrate", "--noinput"]',
        '',
      ].join('\n'),
      'docker/run.sh': [
        '#!/usr/bin/env bash',
        'set -e',
        '',
        '# used to generate static files for local development.',
        'if [ "$STATIC_FILES_BACKEND" != "s3" ]',
        'then',
        '  python manage.py collectstatic --noinput',
        'fi',
        'exec gunicorn shop.wsgi',
        '',
      ].join('\n'),
      'docker/run_dev.sh': 'python manage.py collectstatic --noinput\n./manage.py runserver 0.0.0.0:8000\n',
    });
    const migrations = item(c, 'migrations-step');
    assert.equal(migrations.status, 'passed');
    assert.deepEqual(
      migrations.entries.map((e) => e.label),
      ['migrations run in a Kubernetes Job here (Helm pre-upgrade hook): helm/shop/templates/migrate.yaml'],
    );
    const collect = item(c, 'collectstatic');
    assert.equal(collect.status, 'attention', collect.entries.map((e) => e.label).join('\n'));
    assert.equal(collect.description, 'not found');
  });

  it('a deployment item whose rule reports something is decided by the finding, not "not found" beside it (a real Helm repository: an Ingress in an API Kubernetes no longer serves, under "supported releases")', () => {
    const c = checklistOf({
      ...BASE,
      Procfile: 'web: gunicorn shop.wsgi\n',
      'k8s/ingress.yaml': [
        'apiVersion: networking.k8s.io/v1beta1',
        'kind: Ingress',
        'metadata:',
        '  name: shop',
        'spec:',
        '  backend:',
        '    serviceName: shop',
        '    servicePort: 80',
        '',
      ].join('\n'),
    });
    const supported = item(c, 'supported-versions');
    const codes = supported.entries.map((e) => e.code);
    assert.ok(codes.includes('DDG323'), supported.entries.map((e) => e.label).join('\n'));
    assert.equal(supported.status, 'failing', supported.description);
    assert.notEqual(supported.description, 'not found');
    // every error or warning of the report is under some item: the checklist and the Problems panel agree
    const listed = new Set(c.groups.flatMap((g) => g.items.flatMap((i) => i.entries.map((e) => e.code))));
    assert.ok(listed.has('DDG323'), 'the error is under an item');
  });

  it('collectstatic does not apply without django.contrib.staticfiles: "not applicable" and why, with the place (issue 56)', () => {
    const dockerfile = 'FROM python:3.12-slim\nCOPY . .\nCMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]\n';
    const without = checklistOf({
      ...BASE,
      'shop/settings.py': SETTINGS.replace('INSTALLED_APPS = ["django.contrib.staticfiles"]', 'INSTALLED_APPS = ["rest_framework"]'),
      Dockerfile: dockerfile,
    });
    const na = item(without, 'collectstatic');
    assert.equal(na.status, 'passed');
    assert.equal(
      na.description,
      "not applicable: 'django.contrib.staticfiles' is not in INSTALLED_APPS (shop/settings.py:5), so there is no collectstatic command",
    );
    // with the app, the step is looked for as before: DDG304's finding decides the item (its
    // findings decide a deployment item when it reports, as the Problems panel shows them)
    const withApp = item(checklistOf({ ...BASE, Dockerfile: dockerfile }), 'collectstatic');
    assert.equal(withApp.status, 'attention');
    assert.ok(
      withApp.entries.some((e) => e.code === 'DDG304'),
      withApp.entries.map((e) => e.label).join('\n'),
    );
    assert.equal(withApp.notApplicable, undefined);
  });

  it('a Sphinx docs/Makefile naming a docs settings module is no deployment file', () => {
    const c = checklistOf({
      ...BASE,
      'shop/settings_docs.py': 'from .settings import *\n',
      'docs/Makefile': 'html:\n\tDJANGO_SETTINGS_MODULE=shop.settings_docs $(SPHINXBUILD) -b html . _build\n',
      Procfile: 'web: gunicorn shop.wsgi\n',
    });
    assert.doesNotMatch(c.production!.reason, /docs\/Makefile|other deployment files/);
    assert.ok(!(c.summary.deployment?.files ?? []).some((f) => f.startsWith('docs/')));
  });

  it('hints count for nothing: an item with only hints passes, saying the hints are in the editor', () => {
    // gunicorn's hardcoded --workers is a hint (DDG104)
    const c = checklistOf({ ...BASE, Procfile: 'web: gunicorn shop.wsgi --workers 3 --access-logfile - --timeout 30\n' });
    const all = c.groups.flatMap((g) => g.items);
    for (const i of all.filter((x) => x.entries.length > 0 && x.entries.every((e) => e.severity === 'hint'))) {
      assert.equal(i.status, 'passed', `${i.id}: ${i.description}`);
      assert.match(i.description, /^ok \(and \d+ hints? in the editor\)$/);
    }
    // an item's count is of what the Problems panel lists
    for (const i of all.filter((x) => (x.status === 'attention' || x.status === 'failing') && x.entries.some((e) => e.code))) {
      const n = i.entries.filter((e) => e.code && e.severity !== 'hint').length;
      assert.match(i.description, new RegExp(`^${n} (suggestion|problem)s?\\b`), `${i.id}: ${i.description}`);
    }
    assert.ok(
      all.some((x) => x.entries.some((e) => e.severity === 'hint')),
      'the fixture has a hint',
    );
  });

  it('each settings module says why it is production or why not; a production.py no deployment uses says so', () => {
    // as cla_backend: the package's __init__ is what wsgi.py names; production.py beside it, unused
    const { 'shop/settings.py': _single, ...rest } = BASE;
    const c = checklistOf({
      ...rest,
      'shop/settings/__init__.py': 'from .base import *\n',
      'shop/settings/base.py': SETTINGS,
      'shop/settings/production.py': 'from .base import *\nDEBUG = False\n',
      'shop/settings/testing.py': 'from .base import *\n',
      Procfile: 'web: gunicorn shop.wsgi\n',
      'Procfile.dev': 'web: DJANGO_SETTINGS_MODULE=shop.settings.testing python manage.py runserver\n',
    });
    const why = new Map(c.settingsModules.map((m) => [m.name, m]));
    assert.equal(why.get('shop.settings')!.production, true);
    assert.match(why.get('shop.settings')!.why, /shop\/wsgi\.py:2/);
    assert.equal(why.get('shop.settings.production')!.production, false);
    assert.equal(
      why.get('shop.settings.production')!.why,
      'its name says production, but no deployment file names it; production runs shop.settings',
    );
    assert.match(
      why.get('shop.settings.testing')!.why,
      /^its name says tests; named only by development or test files \(Procfile\.dev:1\)/,
    );
    assert.match(why.get('shop.settings.base')!.why, /^shop\.settings reads it/);
  });

  it('lists only the variables the settings or the app server read, and counts the rest', () => {
    const c = checklistOf({
      ...BASE,
      'fly.toml': [
        'app = "shop"',
        '[env]',
        '  DJANGO_DEBUG = "0"',
        '  PYTHONUNBUFFERED = "1"',
        '  PATH = "/venv/bin:/usr/bin"',
        '  FLY_SOMETHING = "x"',
        '[processes]',
        '  app = "gunicorn shop.wsgi"',
        '[http_service]',
        '  internal_port = 8000',
        '  processes = ["app"]',
        '',
      ].join('\n'),
      Dockerfile: 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\nCMD ["gunicorn", "shop.wsgi"]\n',
    });
    const names = (c.summary.deployment?.variables ?? []).map((v) => v.name);
    assert.ok(names.includes('DJANGO_DEBUG'), names.join(', '));
    for (const n of ['PYTHONUNBUFFERED', 'PATH', 'FLY_SOMETHING']) assert.ok(!names.includes(n), `${n} listed: ${names.join(', ')}`);
    assert.ok((c.summary.deployment?.ignored ?? 0) >= 3);
  });

  it('Helm template text reads as the name a reader knows', () => {
    assert.equal(
      readableName(
        'Deployment {{ include "cla-backend.fullname" . }}-worker (container {{ .Chart.Name }})',
        'helm/cla-backend/templates/w.yaml',
      ),
      'Deployment cla-backend-worker (container cla-backend)',
    );
    assert.equal(readableName('Job {{ .Values.job.name }}'), 'Job …');
    assert.equal(
      readableName('Deployment {{ .Chart.Name }} in helm_deploy/cla-backend/templates/deployment.yaml'),
      'Deployment cla-backend in helm_deploy/cla-backend/templates/deployment.yaml',
    );
    assert.equal(readableName('plain (container web)'), 'plain (container web)');
  });
});
