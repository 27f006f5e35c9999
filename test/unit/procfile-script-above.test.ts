// A Procfile at the repository's root whose web process runs a start script (`web: bin/start_web`,
// no `.sh`) that starts Caddy with a configuration of the repository and then gunicorn in the
// project's folder (src/backend): analysed from src/backend, the Procfile is the project's platform
// process file, as a compose file at the root is, its script is followed, and the Caddy it starts is
// the hop in front of the app, whose `header` block sends the Content-Security-Policy (DDH409 a hint
// naming the Caddyfile). A Procfile whose script starts another app reaches nothing of the project.
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
  'INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "django.contrib.staticfiles"]',
  'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.clickjacking.XFrameOptionsMiddleware"]',
  'ROOT_URLCONF = "app.urls"',
  'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]',
  'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
  'STATIC_URL = "/static/"',
  '',
].join('\n');

const CADDYFILE = [
  ':{$PORT} {',
  '\theader {',
  "\t\tContent-Security-Policy \"default-src 'self'; frame-ancestors 'none'\"",
  '\t\tX-Frame-Options DENY',
  '\t}',
  '\thandle /api/* {',
  '\t\treverse_proxy localhost:8000',
  '\t}',
  '\thandle {',
  '\t\troot * /app/dist',
  '\t\tfile_server',
  '\t}',
  '}',
  '',
].join('\n');

function repository(app: string): Record<string, string> {
  return {
    '.git/HEAD': 'ref: refs/heads/main\n',
    Procfile: 'web: bin/start_web\nworker: python worker.py\n',
    'bin/start_web': [
      '#!/bin/bash',
      'caddy run --config src/frontend/caddy/Caddyfile --adapter caddyfile &',
      `cd ${app} && exec gunicorn -c gunicorn.conf.py app.wsgi:application`,
      '',
    ].join('\n'),
    'src/frontend/caddy/Caddyfile': CADDYFILE,
    'src/backend/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
    'src/backend/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\n',
    'src/backend/requirements.txt': 'Django==5.2.8\ngunicorn==23.0.0\n',
    'src/backend/Dockerfile':
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app.wsgi:application"]\n',
    'src/backend/app/__init__.py': '',
    'src/backend/app/settings.py': SETTINGS,
    'src/backend/app/urls.py': 'urlpatterns = []\n',
    'src/backend/app/wsgi.py':
      'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\napplication = get_wsgi_application()\n',
    // another app of the repository, for the Procfile that starts it instead
    'src/other/app/__init__.py': '',
    'src/other/app/wsgi.py': 'application = None\n',
  };
}

const analyse = (files: Record<string, string>, folder: string) =>
  analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/r'), [folder])).projects[0]!;

describe('a Procfile at the repository root runs a start script that starts Caddy and the app', () => {
  before(async () => {
    await loadParser();
  });

  for (const folder of ['/r/src/backend', '/r'])
    it(`reads the Procfile and its script, and the Caddy in front sends the CSP (analysed from ${folder})`, () => {
      const a = analyse(repository('src/backend'), folder);
      assert.ok(
        a.project.files.some((f) => f.path === '/r/Procfile'),
        a.project.files.map((f) => f.path).join(', '),
      );
      assert.ok(a.project.files.some((f) => f.path === '/r/bin/start_web' && f.kind === 'shell'));
      const csp = a.findings.filter((f) => f.code === 'DDH409');
      assert.equal(csp.length, 1);
      assert.equal(csp[0]!.severity, 'hint', csp[0]!.message);
      assert.match(csp[0]!.message, /restricts scripts \((\.\.\/frontend|src\/frontend)\/caddy\/Caddyfile\), so this is covered there/);
    });

  it('does not take a Procfile whose script starts another app as the project’s', () => {
    const a = analyse(repository('src/other'), '/r/src/backend');
    assert.ok(!a.project.files.some((f) => f.path === '/r/Procfile'));
    const csp = a.findings.filter((f) => f.code === 'DDH409');
    assert.equal(csp.length, 1);
    assert.equal(csp[0]!.severity, 'information', csp[0]!.message);
  });
});
