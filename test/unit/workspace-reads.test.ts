// One analysis asks the file system for each file's text once (Workspace.readingOnce): the texts are
// kept while a stat of each file is the same, so every read was a stat, and the middleware rules read
// the file a project middleware could be in once for each MIDDLEWARE entry. The next analysis asks
// again, so what changed on disk in between is read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeProject, analyzeWorkspace } from '../../server/src/analysis/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/project/fs';
import { Workspace } from '../../server/src/analysis/workspace';

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
