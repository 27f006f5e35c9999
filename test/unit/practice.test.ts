// Typing practice (practice.ts): the language server types into a copy of a settings module after a
// project's first analysis, so that V8 has compiled the paths of a keystroke's analysis before the
// developer's first keystrokes. It must leave nothing behind: the developer's workspace (its open
// document, its kept evaluations) analyses afterwards exactly as before, and as a fresh one does.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeProject, analyzeWorkspace, type AnalysisOptions, type ProjectAnalysis } from '../../server/src/analysis/engine/engine';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import {
  PRACTICE_BODY_ROUNDS,
  practiceModule,
  practiceTargets,
  stringStarts,
  TypingPractice,
} from '../../server/src/analysis/engine/practice';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { view as workspaceView } from '../helpers/analysisView';

const view = (a: ProjectAnalysis): unknown => workspaceView({ projects: [a], messages: [] });

const ROOT = '/blog';
const BASE = [
  'import os',
  'DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"',
  'SECRET_KEY = "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789"',
  'ALLOWED_HOSTS = ["blog.example.com", "www.blog.example.com"]',
  'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "blog", "HOST": "db"}}',
  'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]',
  'STATIC_URL = "/static/"',
  'EMAIL_HOST = "smtp.example.com"',
  'EMAIL_HOST_PASSWORD = "hunter2-but-longer"',
  'LANGUAGE_CODE = "en-us"',
  'TIME_ZONE = "UTC"',
  'CSRF_TRUSTED_ORIGINS = ["https://blog.example.com"]',
  '',
].join('\n');
const FILES = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "blog.settings.production")\n',
  'blog/__init__.py': '',
  'blog/settings/__init__.py': '',
  'blog/settings/base.py': BASE,
  'blog/settings/production.py': 'from .base import *\nSESSION_COOKIE_SECURE = True\n',
  Procfile: 'web: gunicorn blog.wsgi\n',
  'blog/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
};
const OPTIONS: AnalysisOptions = { fixes: false, reuseModules: true };

describe('typing practice', () => {
  before(async () => {
    await loadParser();
  });

  it('types into the largest module production reads, and leaves the workspace as it was', () => {
    const ws = new Workspace(new MemoryFileSystem(FILES, ROOT), [ROOT]);
    const first = analyzeWorkspace(ws, OPTIONS).projects[0]!;
    const project = first.project;
    const base = `${ROOT}/blog/settings/base.py`;
    assert.equal(practiceModule(ws, first.evaluation!.files), base);
    // the developer has base.py open, and has typed into it
    const open = PythonDocument.parse(BASE, { incremental: true });
    ws.setOpenDocument(base, open);
    const at = BASE.indexOf('en-us');
    open.applyEdit(at, at, 'fr-');
    const before = view(analyzeProject(ws, project, OPTIONS));
    const practice = new TypingPractice(ws, project, base, OPTIONS, 12);
    let steps = 0;
    while (practice.step()) steps++;
    assert.equal(practice.count, 12, 'twelve keystrokes typed');
    assert.equal(steps, 13, 'its first analysis, then one per keystroke');
    assert.equal(open.text, BASE.slice(0, at) + 'fr-' + BASE.slice(at), 'the open document untouched');
    const after = analyzeProject(ws, project, OPTIONS);
    assert.deepEqual(view(after), before);
    // and as a fresh workspace with the same text analyses it
    const fresh = new Workspace(new MemoryFileSystem({ ...FILES, 'blog/settings/base.py': open.text }, ROOT), [ROOT]);
    assert.deepEqual(view(after), view(analyzeWorkspace(fresh, { fixes: false }).projects[0]!));
    // the developer's next keystroke is still analysed from the kept evaluation, and equals a fresh one
    open.applyEdit(at, at + 3, '');
    const next = analyzeProject(ws, project, OPTIONS);
    const fresh2 = new Workspace(new MemoryFileSystem(FILES, ROOT), [ROOT]);
    assert.deepEqual(view(next), view(analyzeWorkspace(fresh2, { fixes: false }).projects[0]!));
  });

  it('stops at its budget, and has nothing to do in a module without a string literal', () => {
    const ws = new Workspace(new MemoryFileSystem(FILES, ROOT), [ROOT]);
    const project = analyzeWorkspace(ws, OPTIONS).projects[0]!.project;
    const spent = new TypingPractice(ws, project, `${ROOT}/blog/settings/base.py`, OPTIONS, 1000, 0);
    assert.equal(spent.step(), true, 'its first analysis');
    assert.equal(spent.step(), false, 'a budget of 0 ms is spent by then');
    assert.equal(spent.count, 0);
    const none = new TypingPractice(ws, project, `${ROOT}/blog/settings/__init__.py`, OPTIONS);
    assert.equal(none.step(), false);
    assert.equal(none.count, 0);
    assert.deepEqual(stringStarts(PythonDocument.parse('A = "x"\nB = f"{A}y"\n# "no"\n')), [5, 14]);
  });

  it("types first inside the bodies of the module's first functions (their calls are given to the new body again), then across the module", () => {
    const text = [
      'import functools',
      'A = "a"',
      'def env_flag(name, default=False):',
      '    """Docstring."""',
      '    return os.environ.get(name, "").lower() in ("1", "true")',
      '@functools.cache',
      'def env_list(name, default=""):',
      '    return [i.strip() for i in os.environ.get(name, default).split(",") if i]',
      'def no_strings(x):',
      '    return x',
      ...Array.from({ length: 40 }, (_, i) => `S${i} = env_flag("S${i}") or "s${i}"`),
      '',
    ].join('\n');
    const doc = PythonDocument.parse(text);
    const targets = practiceTargets(doc, 20);
    assert.equal(targets.length, 20);
    const line = (at: number): string => text.slice(text.lastIndexOf('\n', at) + 1, text.indexOf('\n', at)).trim();
    // env_flag's "" past its docstring, then env_list's "," (a decorated function's body), in turn,
    // PRACTICE_BODY_ROUNDS times each; none in no_strings()
    const flag = ['return os.environ.get(name, "").lower() in ("1", "true")', '"'];
    const list = ['return [i.strip() for i in os.environ.get(name, default).split(",") if i]', ','];
    const inBodies = 2 * PRACTICE_BODY_ROUNDS;
    assert.deepEqual(
      targets.slice(0, inBodies).map((at) => [line(at), text[at]]),
      Array.from({ length: inBodies }, (_, i) => (i % 2 === 0 ? flag : list)),
    );
    assert.equal(new Set(targets.slice(inBodies)).size, 20 - inBodies, 'then each literal once');
    assert.ok(
      targets.slice(inBodies).every((at) => !line(at).startsWith('return') && !line(at).startsWith('"""')),
      'then literals spread over the module, outside those bodies',
    );
    // fewer pairs than the bodies' rounds: the bodies only
    assert.deepEqual(practiceTargets(doc, 3), targets.slice(0, 3));
    // a module without functions: spread as before, every n-th literal
    const plain = PythonDocument.parse(Array.from({ length: 30 }, (_, i) => `P${i} = "p${i}"`).join('\n'));
    assert.deepEqual(
      practiceTargets(plain, 10),
      stringStarts(plain).filter((_, i) => i % 3 === 0),
    );
  });
});
