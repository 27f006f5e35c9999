// One analysis asks the file system for each file's text once (Workspace.readingOnce): the texts are
// kept while a stat of each file is the same, so every read was a stat, and the middleware rules read
// the file a project middleware could be in once for each MIDDLEWARE entry. The next analysis asks
// again, so what changed on disk in between is read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { middlewareInfo } from '../../server/src/analysis/models/settings/middleware';
import { analyzeProject, analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

/** A memory file system that counts the reads of each path. */
class Counting extends MemoryFileSystem {
  readonly reads = new Map<string, number>();
  override readText(path: string): string | undefined {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1);
    return super.readText(path);
  }
}

const ROOT = '/shop';
const MIDDLEWARE = (base: string): string =>
  [
    'from django.contrib.sessions.middleware import SessionMiddleware',
    'from django.utils.deprecation import MiddlewareMixin',
    '',
    `class Tenant(${base}):`,
    '    pass',
    '',
    'class Audit(MiddlewareMixin):',
    '    pass',
    '',
    'class Timing(MiddlewareMixin):',
    '    pass',
    '',
  ].join('\n');

const FILES = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
  'shop/__init__.py': '',
  'shop/middleware/__init__.py': MIDDLEWARE('MiddlewareMixin'),
  'shop/settings.py': [
    'import os',
    'SECRET_KEY = os.environ["SECRET_KEY"]',
    'DEBUG = False',
    'ALLOWED_HOSTS = ["shop.example.com"]',
    'MIDDLEWARE = [',
    '    "django.middleware.security.SecurityMiddleware",',
    '    "shop.middleware.Tenant",',
    '    "shop.middleware.Audit",',
    '    "shop.middleware.Timing",',
    '    "django.middleware.csrf.CsrfViewMiddleware",',
    '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
    ']',
    '',
  ].join('\n'),
};

describe('the file system asked once per analysis', () => {
  before(async () => {
    await loadParser();
  });

  it("reads each file once in an analysis, and again in the next: a project middleware's module is read again after it changed", () => {
    const fs = new Counting(FILES, ROOT);
    const ws = new Workspace(fs, [ROOT]);
    const first = analyzeWorkspace(ws, { fixes: false });
    const project = first.projects[0]!.project;
    const pkg = `${ROOT}/shop/middleware/__init__.py`;
    const missing = `${ROOT}/shop/middleware.py`;
    fs.reads.clear();
    analyzeProject(ws, project, { fixes: false });
    // three MIDDLEWARE entries name classes of shop.middleware: both places it could be are asked once
    assert.equal(fs.reads.get(pkg), 1);
    assert.equal(fs.reads.get(missing), 1);
    for (const [file, n] of fs.reads) assert.equal(n, 1, `${file} read ${n} times in one analysis`);
    // the next analysis asks again: Tenant now derives from SessionMiddleware, which
    // AuthenticationMiddleware below it needs (the list has no other)
    const before = analyzeProject(ws, project, { fixes: false }).findings.map((f) => f.code);
    fs.write(pkg, MIDDLEWARE('SessionMiddleware'));
    ws.invalidate(pkg);
    fs.reads.clear();
    const after = analyzeProject(ws, project, { fixes: false }).findings.map((f) => f.code);
    assert.equal(fs.reads.get(pkg), 1);
    assert.notDeepEqual(after, before, 'the changed middleware is read');
    // and equals a fresh workspace's analysis of the changed files
    const fresh = new Workspace(new MemoryFileSystem({ ...FILES, 'shop/middleware/__init__.py': MIDDLEWARE('SessionMiddleware') }, ROOT), [
      ROOT,
    ]);
    assert.deepEqual(
      after,
      analyzeWorkspace(fresh, { fixes: false }).projects[0]!.findings.map((f) => f.code),
    );
  });
});

// What the middleware rules found a MIDDLEWARE entry to be, and the evaluation of the app module
// the proxy and app-server rules resolve, are kept from one analysis to the next (the language
// server's keystrokes): taken again only while the documents and answers they were read from are
// the same.
describe('kept from one analysis to the next', () => {
  before(async () => {
    await loadParser();
  });

  it('what a MIDDLEWARE entry is: the same answer while its module is unchanged, read again once it changed (an open buffer typed into, a file on disk)', () => {
    const fs = new MemoryFileSystem(FILES, ROOT);
    const ws = new Workspace(fs, [ROOT]);
    const project = analyzeWorkspace(ws, { fixes: false }).projects[0]!.project;
    const reader = { importRoots: project.importRoots, document: (f: string) => ws.document(f) };
    const first = middlewareInfo(reader, 'shop.middleware.Tenant', {});
    assert.equal(first.is, undefined);
    assert.equal(middlewareInfo(reader, 'shop.middleware.Tenant', {}), first, 'kept for another analysis');
    const pkg = `${ROOT}/shop/middleware/__init__.py`;
    // typed into in the editor: the same document, another text
    const doc = PythonDocument.parse(MIDDLEWARE('MiddlewareMixin'), { incremental: true });
    ws.setOpenDocument(pkg, doc);
    assert.deepEqual(middlewareInfo(reader, 'shop.middleware.Tenant', {}), first, 'the same text, open');
    const at = doc.text.indexOf('class Tenant(') + 'class Tenant('.length;
    doc.applyEdit(at, at + 'MiddlewareMixin'.length, 'SessionMiddleware');
    const typed = middlewareInfo(reader, 'shop.middleware.Tenant', {});
    assert.equal(typed.is, 'django.contrib.sessions.middleware.SessionMiddleware');
    doc.applyEdit(at, at + 'SessionMiddleware'.length, 'MiddlewareMixin');
    assert.equal(middlewareInfo(reader, 'shop.middleware.Tenant', {}).is, undefined, 'typed back');
    // closed, and changed on disk; then a module file placed first on the import path
    ws.closeDocument(pkg);
    fs.write(pkg, MIDDLEWARE('SessionMiddleware'));
    ws.invalidate(pkg);
    assert.equal(middlewareInfo(reader, 'shop.middleware.Tenant', {}).is, 'django.contrib.sessions.middleware.SessionMiddleware');
    fs.write(`${ROOT}/shop/middleware.py`, MIDDLEWARE('MiddlewareMixin'));
    ws.invalidate(`${ROOT}/shop/middleware.py`, true);
    assert.equal(middlewareInfo(reader, 'shop.middleware.Tenant', {}).is, undefined, 'shop/middleware.py found first');
  });

  it("the app module's evaluation: each analysis equals a fresh workspace's while wsgi.py is typed into and changed on disk", () => {
    const files = {
      ...FILES,
      Procfile: 'web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n',
      'shop/wsgi.py':
        'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = get_wsgi_application()\n',
      'shop/helpers.py': 'application = None\n',
    };
    const fs = new MemoryFileSystem(files, ROOT);
    const ws = new Workspace(fs, [ROOT]);
    const options = { fixes: false, reuseModules: true } as const;
    const project = analyzeWorkspace(ws, options).projects[0]!.project;
    const codes = (w: Workspace, p = project): string[] => analyzeProject(w, p, options).findings.map((f) => `${f.code} ${f.message}`);
    const fresh = (text: string): string[] => {
      const w = new Workspace(new MemoryFileSystem({ ...files, 'shop/wsgi.py': text }, ROOT), [ROOT]);
      return analyzeWorkspace(w, { fixes: false }).projects[0]!.findings.map((f) => `${f.code} ${f.message}`);
    };
    const wsgi = `${ROOT}/shop/wsgi.py`;
    const original = files['shop/wsgi.py'];
    assert.deepEqual(codes(ws), fresh(original));
    assert.deepEqual(codes(ws), fresh(original), 'again, kept');
    // typed into: `application` renamed, then bound by a star import of another module, then back
    const doc = PythonDocument.parse(original, { incremental: true });
    ws.setOpenDocument(wsgi, doc);
    const at = doc.text.indexOf('application =');
    doc.applyEdit(at, at, 'x');
    const renamed = codes(ws);
    assert.ok(
      renamed.some((c) => c.startsWith('DDG202')),
      'application is missing',
    );
    assert.deepEqual(renamed, fresh(doc.text));
    doc.applyEdit(0, 0, 'from shop.helpers import *\n');
    assert.deepEqual(codes(ws), fresh(doc.text));
    doc.applyEdit(0, 'from shop.helpers import *\n'.length, '');
    doc.applyEdit(at, at + 1, '');
    assert.deepEqual(codes(ws), fresh(original), 'typed back');
    // on disk: the module it star-imports changed (a file the app module's evaluation read)
    ws.closeDocument(wsgi);
    fs.write(wsgi, `from shop.helpers import *\n${original.replace('application =', 'xapplication =')}`);
    ws.invalidate(wsgi);
    assert.deepEqual(codes(ws), fresh(`from shop.helpers import *\n${original.replace('application =', 'xapplication =')}`));
    fs.write(`${ROOT}/shop/helpers.py`, 'other = None\n');
    ws.invalidate(`${ROOT}/shop/helpers.py`);
    const helperChanged = codes(ws);
    assert.ok(
      helperChanged.some((c) => c.startsWith('DDG202')),
      'the star-imported module no longer binds application',
    );
    fs.write(`${ROOT}/shop/helpers.py`, 'application = None\n');
    ws.invalidate(`${ROOT}/shop/helpers.py`);
    assert.ok(!codes(ws).some((c) => c.startsWith('DDG202')));
  });
});
