// The start script of an image built above the analysed folder (web/Dockerfile COPYing
// web/docker-entrypoint.sh onto the PATH and running it as its ENTRYPOINT, the project in web/app):
// the project's deployment files hold it (django-compressor's `manage.py compress` there, DDH603),
// and a namesake copied into another image (other/docker-entrypoint.sh) never stands for it (DDG305).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';

const SETTINGS = [
  'import os',
  '',
  'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
  'DEBUG = False',
  'ALLOWED_HOSTS = ["example.com"]',
  'INSTALLED_APPS = [',
  '    "django.contrib.admin",',
  '    "django.contrib.contenttypes",',
  '    "django.contrib.auth",',
  '    "django.contrib.sessions",',
  '    "django.contrib.staticfiles",',
  '    "compressor",',
  ']',
  'STATICFILES_FINDERS = [',
  '    "django.contrib.staticfiles.finders.FileSystemFinder",',
  '    "django.contrib.staticfiles.finders.AppDirectoriesFinder",',
  '    "compressor.finders.CompressorFinder",',
  ']',
  'STATIC_URL = "/static/"',
  // the environment decides it: presumed on where a deployment file runs `manage.py compress`
  'COMPRESS_ENABLED = os.environ.get("COMPRESS_ENABLED", "False") == "True"',
  'STATIC_ROOT = "/srv/mysite/staticfiles"',
  '',
].join('\n');

const TEMPLATE = [
  '{% load static compress %}<!doctype html>',
  '<html><head>',
  '  {% compress css %}<link rel="stylesheet" href="{% static \'css/site.css\' %}">{% endcompress %}',
  '</head><body>{% block content %}{% endblock %}</body></html>',
  '',
].join('\n');

/**
 * web/app is the project; web/Dockerfile builds it from above (`COPY . /opt/app`, the folder holding
 * it, or `COPY app /opt/app`, the project itself) and runs web/docker-entrypoint.sh.
 */
function repository(withOther: boolean, copy: 'COPY . /opt/app' | 'COPY app /opt/app'): Record<string, string> {
  return {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'docker-compose.yml': 'services:\n  web:\n    build: ./web\n    ports:\n      - "8000:8000"\n',
    'web/Dockerfile': [
      'FROM python:3.12-slim',
      'WORKDIR /opt/app',
      copy,
      'RUN pip install "Django==4.2.16" "django-compressor==4.5.1" "uwsgi==2.0.26"',
      'COPY docker-entrypoint.sh /usr/local/bin/',
      'ENTRYPOINT ["docker-entrypoint.sh"]',
      `CMD ["uwsgi", "--ini", "${copy === 'COPY app /opt/app' ? '/opt/app' : '/opt/app/app'}/uwsgi.ini"]`,
      '',
    ].join('\n'),
    'web/docker-entrypoint.sh': [
      '#!/bin/sh',
      'set -e',
      'python3 manage.py migrate --noinput',
      'python3 manage.py compress --force',
      'python3 manage.py collectstatic --noinput',
      'exec "$@"',
      '',
    ].join('\n'),
    'web/app/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'web/app/uwsgi.ini': '[uwsgi]\nmodule = mysite.wsgi:application\nhttp-socket = :8000\n',
    'web/app/mysite/__init__.py': '',
    'web/app/mysite/settings.py': SETTINGS,
    'web/app/mysite/wsgi.py':
      'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n',
    'web/app/mysite/templates/base.html': TEMPLATE,
    ...(withOther
      ? {
          'docker-compose-other.yaml': 'services:\n  other:\n    build: ./other\n    ports:\n      - "8001:8001"\n',
          'other/Dockerfile': [
            'FROM python:3.12-slim',
            'WORKDIR /srv/other',
            'COPY app /srv/other',
            'COPY docker-entrypoint.sh /usr/local/bin/',
            'ENTRYPOINT ["docker-entrypoint.sh"]',
            'CMD ["gunicorn", "other.wsgi:application", "--bind", "0.0.0.0:8001"]',
            '',
          ].join('\n'),
          'other/docker-entrypoint.sh': '#!/bin/sh\nset -e\npython3 manage.py migrate --noinput\nexec "$@"\n',
          'other/app/README.md': 'The other service.\n',
        }
      : {}),
  };
}

const analyse = (files: Record<string, string>, folder: string) =>
  analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/r'), [folder])).projects[0]!;

describe('an image built above the analysed folder runs its own start script', () => {
  before(async () => {
    await loadParser();
  });

  for (const copy of ['COPY . /opt/app', 'COPY app /opt/app'] as const)
    for (const withOther of [false, true]) {
      it(`holds web/docker-entrypoint.sh among the deployment files, analysed from web/app (${copy}${withOther ? ', a sibling image with its own' : ''})`, () => {
        const a = analyse(repository(withOther, copy), '/r/web/app');
        // django-compressor presumed on, as the script above runs `manage.py compress`: a hint
        const ddh603 = a.findings.filter((f) => f.code === 'DDH603');
        assert.equal(ddh603.length, 1);
        assert.equal(ddh603[0]!.severity, 'hint', ddh603[0]!.message);
        assert.match(ddh603[0]!.message, /\.\.\/docker-entrypoint\.sh:4 runs compress/);
        // the script's collectstatic is seen
        assert.deepEqual(
          a.findings.filter((f) => f.code === 'DDG304').map((f) => f.message),
          [],
        );
        // migrate at every start: this image's script alone, through this image's command
        const ddg305 = a.findings.filter((f) => f.code === 'DDG305');
        assert.deepEqual(
          ddg305.map((f) => f.loc.file),
          ['/r/web/docker-entrypoint.sh'],
          ddg305.map((f) => f.message).join('\n'),
        );
        assert.match(ddg305[0]!.message, /start command of \.\.\/Dockerfile CMD through docker-entrypoint\.sh/);
      });
    }
});
