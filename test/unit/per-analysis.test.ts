// Memos keyed by what one analysis makes (its Settings, its app-server model) are dropped when the
// next analysis starts (perAnalysis.ts). Kept in one WeakMap from analysis to analysis, V8's
// young-generation collections kept each analysis's memo values alive whatever their keys, and
// with them the analysis's settings and texts, copied into the old generation on every collection.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { analyzeProject, analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { PerAnalysis } from '../../server/src/analysis/base/perAnalysis';
import { duringOneAnalysis } from '../../server/src/analysis/models/process/index';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

describe('PerAnalysis', () => {
  it('finds what was set during the same analysis, nested calls included, and not during the next', () => {
    const memo = new PerAnalysis<object, string>();
    const key = {};
    duringOneAnalysis(() => {
      memo.set(key, 'first');
      assert.equal(memo.get(key), 'first');
      duringOneAnalysis(() => assert.equal(memo.get(key), 'first', 'a nested call is the same analysis'));
      assert.ok(memo.has(key));
    });
    // after the analysis (a quick fix computed from its results) it is still there
    assert.equal(memo.get(key), 'first');
    duringOneAnalysis(() => {
      assert.equal(memo.get(key), undefined);
      assert.equal(memo.has(key), false);
      memo.set(key, 'second');
    });
    assert.equal(memo.get(key), 'second');
  });
});

const ROOT = '/site';
const SETTINGS = [
  'import os',
  'SECRET_KEY = os.environ["SECRET_KEY"]',
  'DEBUG = False',
  'ALLOWED_HOSTS = ["site.example.com"]',
  'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
  'MIDDLEWARE = [',
  '    "django.middleware.security.SecurityMiddleware",',
  '    "django.contrib.sessions.middleware.SessionMiddleware",',
  '    "django.middleware.csrf.CsrfViewMiddleware",',
  '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
  ']',
  'CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["\'self\'"]}}',
  'TITLE = "site"',
  '',
].join('\n');
const FILES: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\n',
  'site_app/__init__.py': '',
  'site_app/wsgi.py':
    'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\napplication = get_wsgi_application()\n',
  'site_app/settings.py': SETTINGS,
  'requirements.txt': 'Django==5.1\ngunicorn==22.0.0\n',
  Procfile: 'web: gunicorn site_app.wsgi --bind 127.0.0.1:8000\n',
  'deploy/nginx/site.conf': [
    'server {',
    '    listen 443 ssl;',
    '    server_name site.example.com;',
    '    location / {',
    '        proxy_pass http://127.0.0.1:8000;',
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '    }',
    '}',
    '',
  ].join('\n'),
};

describe('what an analysis makes is not kept by the analyses after it', () => {
  before(async () => {
    await loadParser();
  });

  it('a young-generation collection keeps the text being typed into, not the text of every keystroke since the one before', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
    // a module of 3,000 lines written with an em-dash: its text is two bytes a character, 250 KB,
    // so that each version is an object of its own in V8's large-object space
    const lines = Array.from({ length: 3000 }, (_, i) => `OPTION_${i} = "value — ${i}"`);
    const text = `${SETTINGS}${lines.join('\n')}\n`;
    const fs = new MemoryFileSystem(
      Object.fromEntries(Object.entries({ ...FILES, 'site_app/settings.py': text }).map(([p, t]) => [path.posix.join(ROOT, p), t])),
    );
    const ws = new Workspace(fs, [ROOT]);
    const options = { fixes: false, reuseModules: true };
    const project = analyzeWorkspace(ws, options).projects[0]!.project;
    const file = path.posix.join(ROOT, 'site_app/settings.py');
    const doc = PythonDocument.parse(text, { incremental: true });
    ws.setOpenDocument(file, doc);
    const at = text.indexOf('"site"') + 1;
    let typed = 0;
    const keystroke = (): void => {
      doc.applyEdit(at, typed % 2 === 0 ? at : at + 1, typed % 2 === 0 ? 'x' : '');
      typed++;
      const a = analyzeProject(ws, project, options);
      assert.ok(a.settings && a.findings.length > 0);
    };
    for (let i = 0; i < 6; i++) keystroke();
    // what lives from one analysis to the next is now in the old generation, as in a server that
    // has been running for a while
    gc();
    gc();
    const largeObjects = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'large_object_space')!.space_used_size;
    const before = largeObjects();
    const rounds = 4;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < 5; i++) keystroke();
      gc({ type: 'minor' });
    }
    // the text being typed into and the one before it (moduleCache.ts compares them) are alive at each
    // collection; the three before those are garbage, which a memo kept from analysis to analysis
    // with each analysis's Settings as keys kept alive (20 of 20 were moved)
    const versions = (largeObjects() - before) / (doc.text.length * 2);
    assert.ok(
      versions <= rounds * 2.5,
      `${versions.toFixed(1)} texts of 20 keystrokes were moved to the old generation by ${rounds} young collections`,
    );
  });
});
