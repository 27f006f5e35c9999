// Issue 58: what a developer opening a real repository needs to see at once. Files named by their
// path and linked (a finding's related places), findings about absent settings placed where a
// reader would add them with one "searched" note per place naming only settings modules, findings
// that follow from DEBUG being on saying so and linking to it, one SQLite finding per construct.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { FileReferences } from '../../server/src/analysis/engine/related';
import type { Finding } from '../../server/src/analysis/rules/types';

const ROOT = '/repo';

function analyse(files: Record<string, string>): { findings: Finding[]; ws: Workspace } {
  const fs = new MemoryFileSystem(files, ROOT);
  const ws = new Workspace(fs, [ROOT]);
  const analysis = analyzeWorkspace(ws, { djangoVersion: '5.2' });
  return { findings: analysis.projects.flatMap((p) => p.findings), ws };
}

const at = (ws: Workspace, f: { loc: { file: string; start: number } }): string =>
  `${path.relative(ROOT, f.loc.file)}:${(ws.positionAt(f.loc.file, f.loc.start)?.line ?? -1) + 1}`;

const MANAGE = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
  'shop/__init__.py': '',
  'shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
};

describe('related places of findings (issue 58)', () => {
  before(async () => {
    await loadParser();
  });

  it('a file a message names is a related place at its line: docker/single/Dockerfile:4, not the root Dockerfile', () => {
    const { findings, ws } = analyse({
      ...MANAGE,
      'shop/settings.py':
        'import os\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\nSECRET_KEY = os.environ["SECRET_KEY"]\nALLOWED_HOSTS = ["example.com"]\n',
      'shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      // the root Dockerfile is the proxy's image: its line 4 is another line
      Dockerfile: 'FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/nginx.conf\nEXPOSE 80\nENV NGINX_ENTRYPOINT_QUIET_LOGS=1\n',
      'docker/single/Dockerfile':
        'FROM python:3.12\nCOPY . /app\nWORKDIR /app\nENV DJANGO_DEBUG=1\nCMD ["gunicorn", "--chdir", "/app", "shop.wsgi"]\n',
    });
    const debug = findings.find((f) => f.code === 'DDH107');
    assert.ok(debug, findings.map((f) => `${f.code} ${f.message}`).join('\n'));
    assert.match(debug.message, /docker\/single\/Dockerfile:4/);
    assert.doesNotMatch(debug.message, /(?<![/\w])Dockerfile:4/);
    assert.deepEqual(
      (debug.related ?? []).map((r) => [at(ws, r), r.message]),
      [['docker/single/Dockerfile:4', 'docker/single/Dockerfile:4']],
    );
    // the related place is the line's text, from its first character
    const r = debug.related![0]!;
    assert.equal(ws.text(r.loc.file)!.slice(r.loc.start, r.loc.end), 'ENV DJANGO_DEBUG=1');
  });

  it('what the settings add under `if DEBUG:` follows from DEBUG being on: said, linked, and known to the checklist', () => {
    const { findings, ws } = analyse({
      ...MANAGE,
      'shop/settings.py': [
        'import os',
        'DEBUG = True',
        'SECRET_KEY = os.environ["SECRET_KEY"]',
        'ALLOWED_HOSTS = ["example.com"]',
        'INSTALLED_APPS = ["django.contrib.staticfiles"]',
        'if DEBUG:',
        '    INSTALLED_APPS.append("debug_toolbar")',
        'MIDDLEWARE = [',
        '    "django.middleware.security.SecurityMiddleware",',
        '    "whitenoise.middleware.WhiteNoiseMiddleware",',
        '    "django.middleware.clickjacking.XFrameOptionsMiddleware",',
        ']',
        'if DEBUG:',
        '    MIDDLEWARE.insert(1, "debug_toolbar.middleware.DebugToolbarMiddleware")',
        '',
      ].join('\n'),
    });
    const cause = findings.find((f) => f.code === 'DDH107')!;
    assert.equal(at(ws, cause), 'shop/settings.py:2');
    const followers = findings.filter((f) => f.follows);
    assert.deepEqual(followers.map((f) => `${f.code} ${at(ws, f)}`).sort(), [
      'DDH502 shop/settings.py:10',
      'DDH509 shop/settings.py:14',
      'DDH509 shop/settings.py:7',
    ]);
    for (const f of followers) {
      assert.equal(f.follows!.code, 'DDH107');
      assert.deepEqual(f.follows!.loc, cause.loc);
      assert.match(f.message, /It follows from DEBUG being on \(DDH107, shop\/settings\.py:2\) and goes when DEBUG is off\.$/);
      assert.ok(f.related!.some((r) => r.loc.start === cause.loc.start && /DDH107/.test(r.message)));
      // the line the message names is that link, not a second one beside it (shop/settings.py:2)
      assert.equal(f.related!.filter((r) => ws.positionAt(r.loc.file, r.loc.start)?.line === 1).length, 1, f.message);
    }
    assert.equal(cause.follows, undefined);
  });

  it('with DEBUG off, nothing follows from it', () => {
    const { findings } = analyse({
      ...MANAGE,
      'shop/settings.py':
        'import os\nDEBUG = False\nSECRET_KEY = os.environ["SECRET_KEY"]\nALLOWED_HOSTS = ["example.com"]\nINSTALLED_APPS = ["debug_toolbar"]\n',
    });
    assert.ok(findings.some((f) => f.code === 'DDH509'));
    assert.ok(findings.every((f) => !f.follows));
  });

  it('absent settings land beside their block in the module production takes them from; one searched note per place, settings modules only', () => {
    const { findings, ws } = analyse({
      ...MANAGE,
      'shop/settings/__init__.py': 'from .base import *\n',
      'shop/settings/base.py': [
        'import os',
        'import sys',
        'from shop.queue import Channel',
        'DEBUG = False',
        'SECRET_KEY = os.environ["SECRET_KEY"]',
        'ALLOWED_HOSTS = ["example.com"]',
        'SECURE_CONTENT_TYPE_NOSNIFF = True',
        'SESSION_COOKIE_SECURE = True',
        'CSRF_COOKIE_SECURE = True',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
        'if "test" in sys.argv:',
        '    from .testing import *',
        '',
      ].join('\n'),
      'shop/settings/testing.py': 'from .base import *\nSECURE_SSL_REDIRECT = False\n',
      'shop/queue.py': 'class Channel:\n    pass\n',
      Procfile: 'web: gunicorn shop.wsgi\n',
      'app.json': '{"name": "shop"}\n',
    });
    const never = findings.filter((f) => f.code === 'DDH301' || f.code === 'DDH302');
    assert.equal(never.length, 2, findings.map((f) => `${f.code} ${at(ws, f)} ${f.message}`).join('\n'));
    // beside SECURE_CONTENT_TYPE_NOSNIFF in base.py, on its name: not on `from .base import *`
    for (const f of never) {
      assert.equal(at(ws, f), 'shop/settings/base.py:7');
      assert.equal(ws.text(f.loc.file)!.slice(f.loc.start, f.loc.end), 'SECURE_CONTENT_TYPE_NOSNIFF');
    }
    // what has no block to join lands at the end of the one-line production module, never at 1:1
    const init = findings.filter((f) => f.loc.file.endsWith('/shop/settings/__init__.py'));
    assert.ok(init.length > 0);
    for (const f of init) assert.equal(ws.positionAt(f.loc.file, f.loc.start)?.character, 18, `${f.code} at the end of the import`);
    const noted = findings.filter((f) => /Searched /.test(f.message));
    const places = new Set(noted.map((f) => `${f.loc.file}:${f.loc.start}`));
    assert.equal(noted.length, places.size, 'one note per place');
    for (const f of noted) {
      assert.match(f.message, /Searched shop\/settings\/__init__\.py and shop\/settings\/base\.py\./);
      assert.doesNotMatch(f.message, /queue\.py|testing\.py/);
    }
  });

  it('absent settings with no block to join go to the end of the production module, never its first import', () => {
    const { findings, ws } = analyse({
      ...MANAGE,
      'shop/settings.py': [
        'from pathlib import Path',
        'import os',
        'BASE_DIR = Path(__file__).resolve().parent.parent',
        'DEBUG = False',
        'SECRET_KEY = os.environ["SECRET_KEY"]',
        'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]',
        'INSTALLED_APPS = ["django.contrib.admin"]',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
        'ALLOWED_HOSTS = ["example.com"]',
        '',
      ].join('\n'),
      Procfile: 'web: gunicorn shop.wsgi\n',
      'app.json': '{"name": "shop"}\n',
    });
    const csp = findings.find((f) => f.code === 'DDH409')!;
    const hsts = findings.find((f) => f.code === 'DDH302')!;
    for (const f of [csp, hsts]) {
      assert.equal(at(ws, f), 'shop/settings.py:9');
      assert.equal(ws.text(f.loc.file)!.slice(f.loc.start, f.loc.end), 'ALLOWED_HOSTS');
    }
    assert.ok(findings.every((f) => at(ws, f) !== 'shop/settings.py:1'));
  });

  it('a file named both alone and at a line is one related place, at its line (the hover lists it once)', () => {
    const texts: Record<string, string> = {
      '/repo/docker/Dockerfile': 'FROM python:3.12\nENV DEBUG=1\n',
      '/repo/fly.toml': 'app = "shop"\n',
    };
    const refs = new FileReferences(
      ['/repo'],
      (f) => f in texts,
      (f) => texts[f],
    );
    const places = refs.of('DEBUG is set by docker/Dockerfile:2; docker/Dockerfile is the image fly.toml builds.');
    assert.deepEqual(
      places.map((p) => [p.message, p.loc.file, p.loc.start]),
      [
        ['docker/Dockerfile:2', '/repo/docker/Dockerfile', 17],
        ['fly.toml', '/repo/fly.toml', 0],
      ],
    );
  });
});
