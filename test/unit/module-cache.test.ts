// Reusing modules' evaluations between analyses (reuse/moduleCache.ts) never changes a result: the
// differential test. Every fixture is analysed three times in one workspace with reuseModules (the
// first evaluates every module, the second keeps them, the third reuses them); projects of several
// modules are then edited (a character typed into a string literal, a blank line shifting everything
// after it, the edit undone) and each edit is analysed with reuse and in a fresh workspace without
// it. Results must be identical: findings, suppressed findings, outcomes, notes, files, and every
// value the production settings evaluate to, with its provenance and location.
import assert from 'node:assert/strict';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace, type AnalysisOptions, type WorkspaceAnalysis } from '../../server/src/analysis/engine/engine';
import { moduleCache, prepareForTyping } from '../../server/src/analysis/engine/production';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { RULES } from '../../server/src/analysis/rules/registry';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { view } from '../helpers/analysisView';
import { casesOf, FIXTURES, loadCase, singleFileProject } from '../helpers/fixtures';

/** A character typed just inside the literal `s` (its first occurrence in `text`), then taken back. */
function typedAndTakenBack(text: string, s: string): [number, number, string][] {
  const i = text.indexOf(s) + 1;
  assert.ok(i > 0, s);
  return [
    [i, 0, 'x'],
    [i, 1, ''],
  ];
}

function hits(ws: Workspace, a: WorkspaceAnalysis): number {
  return a.projects.reduce((n, p) => n + moduleCache(ws, p.project).hits, 0);
}

/** A folder fixture's files, read into memory so that they can be edited. */
function readFolder(dir: string, root = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) readFolder(p, root, out);
    else out[path.relative(root, p)] = readFileSync(p, 'utf8');
  }
  return out;
}

/** Edits of a module's text: [description, new text]. */
function editsOf(text: string): [string, string][] {
  const out: [string, string][] = [];
  const quote = text.search(/^[A-Za-z_]\w*\s*=[^\n#]*?"/m);
  if (quote >= 0) {
    const at = text.indexOf('"', quote) + 1;
    out.push(['a character typed into a string', text.slice(0, at) + 'x' + text.slice(at)]);
  }
  out.push(['a blank line at the top', `\n${text}`]);
  out.push(['the edit undone', text]);
  return out;
}

/**
 * Analyses `files` in one workspace with reuse, then edits each of the production modules' Python
 * files (through the file system, as a saved file, or through an open document, as typing) and
 * compares each analysis with a fresh one.
 */
function differential(files: Record<string, string>, root: string, options: AnalysisOptions, editFiles: boolean): number {
  const fs = new MemoryFileSystem(files, root);
  const ws = new Workspace(fs, [root]);
  const fresh = (o: AnalysisOptions = options): unknown => view(analyzeWorkspace(new Workspace(fs, [root]), o));
  // the first analysis evaluates every module (nothing is kept yet): it is the full evaluation;
  // the second keeps what did not change since, the third reuses it
  const first = analyzeWorkspace(ws, { ...options, reuseModules: true });
  const expected = view(first);
  // (what is kept does not depend on quick fixes: this one builds none)
  analyzeWorkspace(ws, { ...options, fixes: false, reuseModules: true });
  const third = analyzeWorkspace(ws, { ...options, reuseModules: true });
  assert.deepEqual(view(third), expected, 'analysis reusing every module');
  let reused = hits(ws, third);
  if (!editFiles) return reused;
  // the edits are analysed without quick fixes, as the language server analyses after a keystroke
  const typing = { ...options, fixes: false };
  // the production module and the first module it reads
  const production = first.projects.map((p) => p.project.production?.module.file).filter((f): f is string => f !== undefined);
  const others = [...new Set(first.projects.flatMap((p) => [...p.files]))]
    .filter((f) => f.endsWith('.py') && !production.includes(f))
    .sort();
  const python = [...new Set([...production, ...others.slice(0, 1)])];
  for (const [i, file] of python.entries()) {
    const original = fs.readText(file);
    if (original === undefined) continue;
    const open = i % 2 === 1; // every other file typed into as an open buffer
    const doc = open ? PythonDocument.parse(original, { incremental: true }) : undefined;
    if (doc) ws.setOpenDocument(file, doc);
    try {
      for (const [what, text] of editsOf(original)) {
        fs.write(file, text);
        if (doc) doc.replaceAll(text);
        ws.invalidate(file);
        const a = analyzeWorkspace(ws, { ...typing, reuseModules: true });
        assert.deepEqual(view(a), fresh(typing), `${path.relative(root, file)}: ${what}`);
        reused += hits(ws, a);
      }
    } finally {
      if (doc) {
        ws.closeDocument(file);
        doc.dispose();
      }
    }
  }
  return reused;
}

describe('module reuse gives what a full evaluation gives', () => {
  before(async () => {
    await loadParser();
  });

  for (const rule of RULES) {
    it(`${rule.code}'s fixtures`, () => {
      for (const c of casesOf(rule.code)) {
        const loaded = loadCase(c, rule.target);
        const files = c.isDir ? readFolder(c.path) : singleFileProject(c, rule.target).files;
        // folders (projects of several modules) are edited; single files are analysed twice
        differential(files, loaded.root, loaded.options, c.isDir);
      }
    });
  }

  it('the model projects', () => {
    const dir = path.join(FIXTURES, 'projects');
    for (const name of readdirSync(dir)) differential(readFolder(path.join(dir, name)), '/' + name, {}, true);
  });

  it('a production module that changes what it star-imported, in place', () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': '',
      'mysite/settings/base.py': [
        'import os',
        'ALLOWED_HOSTS = ["base.example.com"]',
        'FEATURES = {"a": {"on": False}}',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
        'ALIAS = MIDDLEWARE',
        'SEEN = []',
        'def add_host(name):',
        '    ALLOWED_HOSTS.append(name)',
        '    SEEN.append(name)',
        '    return len(ALLOWED_HOSTS)',
        'def set_debug(value):',
        '    global DEBUG',
        '    DEBUG = value',
        'DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"',
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
        '',
      ].join('\n'),
      'mysite/settings/production.py': [
        'import os',
        'os.environ.setdefault("DJANGO_DEBUG", "0")',
        'from .base import *',
        'from . import base',
        'ALLOWED_HOSTS.append("prod.example.com")',
        'FEATURES["a"]["on"] = True',
        'MIDDLEWARE += ["django.middleware.common.CommonMiddleware"]',
        'COUNT = add_host("api.example.com")',
        'set_debug(False)',
        'base.EXTRA = 1',
        'SECURE_SSL_REDIRECT = True',
        '',
      ].join('\n'),
    };
    // each analysis appends to the lists again: a reused base must come back as it was made
    const reused = differential(files, '/chain', {}, true);
    assert.ok(reused > 0, 'the unchanged base module was reused');
  });
});

describe('module reuse, objects holding values', () => {
  before(async () => {
    await loadParser();
  });

  it('an Env whose schema holds a list default that production.py changes in place is not shared', () => {
    const files: Record<string, string> = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': '',
      'mysite/settings/base.py': 'import environ\nenv = environ.Env(HOSTS=(list, ["a.example.com"]))\n',
      'mysite/settings/production.py': 'from .base import *\nALLOWED_HOSTS = env("HOSTS")\nALLOWED_HOSTS.append("b.example.com")\n',
    };
    const reused = differential(files, '/envdefault', {}, true);
    assert.equal(reused, 0, 'base.py holds a value its Env object keeps: it is evaluated every time');
  });
});

describe('module reuse, when the import order changes', () => {
  before(async () => {
    await loadParser();
  });

  it('a kept module is not reused once a module it imported was evaluated before it', () => {
    const files: Record<string, string> = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': '',
      'mysite/settings/common.py': 'SHARED = ["a.example.com"]\n',
      'mysite/settings/base.py': 'from .common import SHARED\nSHARED.append("b.example.com")\nALLOWED_HOSTS = SHARED\n',
      'mysite/settings/production.py': 'from .base import *\n',
    };
    const root = '/order';
    const fs = new MemoryFileSystem(files, root);
    const ws = new Workspace(fs, [root]);
    for (let i = 0; i < 3; i++) analyzeWorkspace(ws, { reuseModules: true });
    const production = path.posix.join(root, 'mysite/settings/production.py');
    // production now imports common first and changes it: base then reads the changed list
    fs.write(production, 'from .common import SHARED\nSHARED.append("c.example.com")\nfrom .base import *\n');
    ws.invalidate(production);
    const a = analyzeWorkspace(ws, { reuseModules: true });
    assert.deepEqual(view(a), view(analyzeWorkspace(new Workspace(fs, [root]), {})));
    const hosts = a.projects[0]?.settings?.get('ALLOWED_HOSTS').value;
    assert.deepEqual(hosts?.kind === 'list' ? hosts.items.map((v) => (v.kind === 'str' ? v.v : v.kind)) : hosts, [
      'a.example.com',
      'c.example.com',
      'b.example.com',
    ]);
  });
});

// ---- statement-level re-evaluation (reuse/patch.ts) ----------------------------------------

/** Keystrokes typed one after another into `text`: [offset, deleted length, inserted text]. */
function keystrokes(text: string): [number, number, string][] {
  // offsets in the original text, typed in the order of the text
  const raw: [number, number, string][] = [];
  const at = (offset: number, del: number, ins: string): void => {
    raw.push([offset, del, ins]);
  };
  // into string literals spread over the text, each typed then taken back
  const strings = [...text.matchAll(/"([^"\\\n]*)"/g)];
  const step = Math.max(1, Math.floor(strings.length / 40));
  for (let i = 0; i < strings.length; i += step) {
    const m = strings[i]!;
    const inside = m.index! + 1 + Math.floor(m[1]!.length / 2);
    at(inside, 0, 'x');
    at(inside, 1, '');
    at(inside, 0, 'q');
  }
  // digits changed, blank lines and comments added between statements, a line removed
  for (const m of [...text.matchAll(/= (\d+)\n/g)].slice(0, 3)) at(m.index! + 2, 1, '7');
  const lines = [...text.matchAll(/\n(?=[A-Za-z_])/g)];
  for (const m of lines.filter((_, i) => i % 7 === 3).slice(0, 4)) at(m.index! + 1, 0, '\n# a comment typed here\n');
  raw.sort((a, b) => a[0] - b[0]);
  const out: [number, number, string][] = [];
  let shift = 0;
  for (const [o, d, s] of raw) {
    out.push([o + shift, d, s]);
    shift += s.length - d;
  }
  return out;
}

/**
 * Types keystrokes into `file` as an open buffer, analysing after each with reuse (the edited
 * module patched where sound) and comparing with an analysis of the same workspace that evaluates
 * every module in full. Returns how many
 * analyses patched a module.
 */
function typingDifferential(
  files: Record<string, string>,
  root: string,
  file: string,
  options: AnalysisOptions = {},
  edits?: (text: string) => [number, number, string][],
  /** How many times the workspace is analysed before the file is opened (the server, for a file opened after it started). */
  openedLater = 0,
  /** Other files open in the editor (before the file typed into), not typed into. */
  alsoOpen: readonly string[] = [],
): { patches: number; importer: number; unreached: number; patched: boolean[] } {
  const fs = new MemoryFileSystem(files, root);
  const ws = new Workspace(fs, [root]);
  const typing = { ...options, fixes: false, reuseModules: true };
  let text = fs.readText(file);
  if (text === undefined) return { patches: 0, importer: 0, unreached: 0, patched: [] };
  for (let i = 0; i < openedLater; i++) analyzeWorkspace(ws, typing);
  const others = alsoOpen.map((f) => {
    const d = PythonDocument.parse(fs.readText(f) ?? '', { incremental: true });
    ws.setOpenDocument(f, d);
    return [f, d] as const;
  });
  const doc = PythonDocument.parse(text, { incremental: true });
  ws.setOpenDocument(file, doc);
  let patches = 0;
  let importer = 0;
  // (keystrokes patched as edits no call of the function ran nor read)
  let unreached = 0;
  let unreachedBefore = 0;
  // (per edit: whether a module was patched rather than evaluated in full)
  const patched: boolean[] = [];
  let patchesBefore = 0;
  try {
    analyzeWorkspace(ws, typing);
    for (const [offset, del, ins] of (edits ?? keystrokes)(text)) {
      doc.applyEdit(offset, offset + del, ins);
      text = text.slice(0, offset) + ins + text.slice(offset + del);
      assert.equal(doc.text, text);
      fs.write(file, text);
      ws.invalidate(file);
      const a = analyzeWorkspace(ws, typing);
      // the same workspace (its project model) evaluating every module in full
      const expected = view(analyzeWorkspace(ws, { ...options, fixes: false }));
      assert.deepEqual(view(a), expected, `${path.relative(root, file)} after typing ${JSON.stringify(ins)} at ${offset}`);
      const now = a.projects.reduce((n, p) => n + moduleCache(ws, p.project).patches, 0);
      patched.push(now > patchesBefore);
      patchesBefore = now;
      patches += now;
      importer += a.projects.reduce((n, p) => n + moduleCache(ws, p.project).importerPatches, 0);
      const u = a.projects.reduce((n, p) => n + moduleCache(ws, p.project).unreachedPatches, 0);
      if (u > unreachedBefore) unreached++;
      unreachedBefore = u;
    }
  } finally {
    ws.closeDocument(file);
    doc.dispose();
    for (const [f, d] of others) {
      ws.closeDocument(f);
      d.dispose();
    }
  }
  return { patches, importer, unreached, patched };
}

/** Helpers the typing tests' base modules define (they read `os`): a flag and a list from the environment. */
const ENV_FLAG = [
  'def env_flag(name, default=False):',
  '    value = os.environ.get(name)',
  '    if value is None:',
  '        return default',
  '    return value.lower() in ("1", "true", "yes")',
];
const ENV_LIST = [
  'def env_list(name, default=""):',
  '    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]',
];

const CHAIN_BASE = [
  'import os',
  'import environ',
  'env = environ.Env(DEBUG=(bool, False))',
  '',
  'def env_flag(name, default=False):',
  '    value = os.environ.get(name)',
  '    if value is None:',
  '        return default',
  '    return value.lower() in ("1", "true")',
  '',
  'SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-secret-key-not-for-production")',
  'DEBUG = env.bool("DJANGO_DEBUG", default=True)',
  'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])',
  'INSTALLED_APPS = ["django.contrib.admin", "django.contrib.sessions"]',
  'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]',
  'FEATURES = {}',
  'FEATURES["GROUP_1"] = {"ENABLE": env_flag("ENABLE_1"), "LIMITS": {"max": env.int("MAX_1", default=1), "label": "group-1"}}',
  'FEATURES["GROUP_2"] = {"ENABLE": env_flag("ENABLE_2", True), "label": "group-2"}',
  'FEATURES["GROUP_1"]["LIMITS"]["label"] = "renamed"',
  'ALIAS = FEATURES["GROUP_2"]',
  'if env_flag("USE_SERVICE"):',
  '    SERVICE_URL = env("SERVICE_URL", default="https://s.example.com")',
  '    INSTALLED_APPS += ["service"]',
  'else:',
  '    SERVICE_URL = None',
  'TIMEOUT = int(os.environ.get("TIMEOUT", "30"))',
  'NAME = "value-1"',
  'LABEL = NAME + "-label"',
  'COPY = ALIAS',
  'DESCRIPTION = "prefix-" + ALIAS["label"]',
  'FEATURES["GROUP_2"]["label"] = "changed-through-the-dict"',
  'HOSTS_SEEN = []',
  'def remember(host):',
  '    HOSTS_SEEN.append(host)',
  '    return host',
  'FIRST = remember("first.example.com")',
  'MIDDLEWARE.append("django.middleware.common.CommonMiddleware")',
  'CSRF_TRUSTED_ORIGINS = ["https://" + h for h in ALLOWED_HOSTS]',
  'SESSION_COOKIE_SECURE = not DEBUG',
  'import sentry_sdk',
  'sentry_sdk.init(dsn=env("SENTRY_DSN", default=""), send_default_pii=True)',
  'LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler", "level": "INFO"}}}',
  'LOGGING["handlers"]["console"]["level"] = os.getenv("LOG_LEVEL", "DEBUG")',
  'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/1"}}',
  'EMAIL_HOST_PASSWORD = "hunter2-smtp-password"',
  'LATE = TIMEOUT * 2',
  '',
].join('\n');

describe('statement-level re-evaluation gives what a full evaluation gives', () => {
  before(async () => {
    await loadParser();
  });

  const chain = (base: string): Record<string, string> => ({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
    'mysite/__init__.py': '',
    'mysite/settings/__init__.py': '',
    'mysite/settings/base.py': base,
    'mysite/settings/production.py':
      'from .base import *\nDEBUG = False\nALLOWED_HOSTS += ["prod.example.com"]\nFEATURES["GROUP_3"] = {"label": "prod"}\nSECURE_HSTS_SECONDS = env.int("HSTS", default=3600)\nPROD_FLAG = env_flag("PROD_FLAG")\n',
  });

  it('typing in a base module with aliases, key paths, mutations, functions and library calls', () => {
    const files = chain(CHAIN_BASE);
    const { patches } = typingDifferential(files, '/typing', '/typing/mysite/settings/base.py');
    assert.ok(patches > 10, `the base module was patched (${patches} times)`);
  });

  it("typing in settings that read the deployment's variables (a secret, Heroku's DYNO, a compose default, a variable only one of two platforms sets)", () => {
    const base = [
      'import os',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'if "DYNO" in os.environ:',
      '    ON_DYNO = True',
      'else:',
      '    ON_DYNO = False',
      'if os.environ.get("DATABASE_URL"):',
      '    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}',
      'else:',
      '    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db"}}',
      'DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"',
      'REGION = os.environ.get("REGION", "none")',
      'ALLOWED_HOSTS = ["example.com"]',
      '',
    ].join('\n');
    const files = {
      ...chain(base),
      'app.json':
        '{"name": "shop", "env": {"SECRET_KEY": {"generator": "secret"}, "DATABASE_URL": {"required": true}, "REGION": {"value": "eu"}}}',
      'fly.toml':
        'app = "shop"\n[env]\n  DJANGO_DEBUG = "False"\n[processes]\n  app = "gunicorn mysite.wsgi --bind 0.0.0.0:8080"\n[http_service]\n  internal_port = 8080\n',
    };
    const { patches } = typingDifferential(files, '/typing-env', '/typing-env/mysite/settings/base.py');
    assert.ok(patches > 0, `the base module was patched (${patches} times)`);
  });

  it('typing in the production module that star-imports it', () => {
    const files = chain(CHAIN_BASE);
    const { patches } = typingDifferential(files, '/typing2', '/typing2/mysite/settings/production.py');
    assert.ok(patches > 0, `the production module was patched (${patches} times)`);
  });

  it('typing in a statement that reads a dict changed later through another name, or changing one read before', () => {
    // keys and values in single quotes: only the double-quoted strings are typed into (keystrokes())
    const base = [
      "CACHES = {'default': {'LOCATION': 'redis://cache:6379/1'}}",
      "CACHE_ALIAS = CACHES['default']",
      'CACHE_NOTE = "cache-at-" + CACHE_ALIAS[\'LOCATION\']',
      "CACHES['default']['LOCATION'] = 'redis://other:6379/2'",
      "LIST = ['a']",
      'SAME = LIST',
      'FIRST = "first-" + SAME[0]',
      "LIST.append('b')",
      "LIST[0] = 'changed'",
      'LATE = "late"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\nPROD = CACHE_NOTE + FIRST\n' };
    const { patches } = typingDifferential(files, '/typing3', '/typing3/mysite/settings/base.py');
    assert.ok(patches > 3, `the base module was patched (${patches} times)`);
  });

  it('typing a credential into one group of a dict of groups, the others kept as they were', () => {
    // what DDH103 and the secrets found in each group is kept per group: the typed group's must
    // follow each keystroke (the group is changed in place), the others need not be walked again
    const base = [
      "SERVICES = {'stripe': {'API_KEY': 'placeholder'}, 'mail': {'HOST': 'smtp.example.com', 'PASSWORD': 'mail-pass-0123456789'}}",
      "SERVICES['stripe']['API_KEY'] = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\"",
      "SERVICES['mail']['HOST'] = \"smtp.other.example.com\"",
      'LATE = "late"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const { patches } = typingDifferential(files, '/typing20', '/typing20/mysite/settings/base.py');
    assert.ok(patches > 3, `the base module was patched (${patches} times)`);
  });

  it('typing the value of a key path that a later statement reads through another name', () => {
    // `FEATURES['A']['label'] = …` changes the dict ALIAS names too: DESC, after it, must follow
    const base = [
      "FEATURES = {'A': {'label': 'start'}, 'B': {'label': 'other'}}",
      "ALIAS = FEATURES['A']",
      "FEATURES['A']['label'] = \"typed\"",
      "FEATURES['B']['label'] = \"alone\"",
      "DESC = 'prefix-' + ALIAS['label']",
      'LATE = "late"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const { patches } = typingDifferential(files, '/typing19', '/typing19/mysite/settings/base.py');
    assert.ok(patches > 3, `the base module was patched (${patches} times)`);
  });

  it('typing in a base whose namespace and lists the production module changes through its functions', () => {
    // the base is lent to the production module's evaluation, not copied: what production does to
    // it (a function rebinding a global, a list extended in place) is put back before the next keystroke
    const base = [
      'LABEL = "start"',
      "APPS = ['a']",
      'def relabel(label):',
      '    global LABEL',
      '    LABEL = label',
      '    return label',
      'def add(app):',
      '    APPS.append(app)',
      'NAME = "base-name"',
      '',
    ].join('\n');
    const files = {
      ...chain(base),
      'mysite/settings/production.py':
        'from .base import *\nfrom . import base\nDEBUG = False\nrelabel("prod")\nadd("prod-app")\nAPPS += ["more"]\nSEEN = base.LABEL + "/" + LABEL\n',
    };
    const { patches } = typingDifferential(files, '/typing5', '/typing5/mysite/settings/base.py');
    assert.ok(patches > 0, `the base module was patched (${patches} times)`);
  });

  it('an edit that changes the names a statement reads, then an edit of a statement before it', () => {
    // what each statement reads is indexed; a statement run again must replace its entries
    const base = 'A = "a"\nB = "b"\nC = A + "-c"\nD = "d"\n';
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const edits = (text: string): [number, number, string][] => {
      const c = text.indexOf('C = A') + 4;
      const b = text.indexOf('"b"') + 2;
      const d = text.indexOf('"d"') + 2;
      // (the first edit after opening evaluates in full and starts recording statements) D, then C
      // reads B instead of A, then B changes (C must follow it)
      return [
        [d, 0, 'y'],
        [c, 1, 'B'],
        [b, 0, 'x'],
      ];
    };
    const { patches } = typingDifferential(files, '/typing6', '/typing6/mysite/settings/base.py', {}, edits);
    assert.ok(patches > 0, `the base module was patched (${patches} times)`);
  });

  it('typing after statements that write the environment or make variables required', () => {
    const base = [
      'import os',
      'os.environ.setdefault("MY_FLAG", "on")',
      'VALUE = os.environ.get("MY_FLAG", "off") + "-x"',
      'HOST = os.environ.get("DB_HOST", "localhost")',
      'if os.environ.get("DB_HOST") is None:',
      '    raise RuntimeError("DB_HOST is required")',
      'URL = "postgres://" + os.environ.get("DB_HOST", "db") + "/app"',
      'NAME = "n"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const { patches } = typingDifferential(files, '/typing7', '/typing7/mysite/settings/base.py');
    assert.ok(patches > 0, `the base module was patched (${patches} times)`);
  });

  it('an edit that makes a statement read a variable a later condition makes required', () => {
    const base = [
      'import os',
      'OTHER = os.environ.get("DB_HOSX", "h")',
      'NAME = "n"',
      'if os.environ.get("DB_HOST") is None:',
      '    raise RuntimeError("DB_HOST is required")',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const edits = (text: string): [number, number, string][] => [
      [text.indexOf('"n"') + 1, 0, 'm'], // (the first edit evaluates in full and starts recording)
      [text.indexOf('"n"') + 2, 0, 'o'], // NAME, re-run alone across the condition
      [text.indexOf('DB_HOSX') + 6, 1, 'T'], // OTHER now defaults DB_HOST, which the condition makes required
    ];
    const { patches } = typingDifferential(files, '/typing8', '/typing8/mysite/settings/base.py', {}, edits);
    assert.ok(patches > 0, `the base module was patched (${patches} times)`);
  });

  it('typing a credential into a dict of the base that the production module changes in place', () => {
    // what is computed from FEATURES (the secrets to mask, DDH103) is kept while it is the same
    // object: the re-run statement changes it in place, which must drop what was kept
    const files = {
      ...chain(CHAIN_BASE),
      'mysite/settings/production.py':
        'from .base import *\nDEBUG = False\nPROD_FLAG = env_flag("PROD_FLAG")\nFEATURES["GROUP_3"] = {"label": "prod", "API_KEY": "prod-api-key-0123456789abcdef"}\n',
    };
    const { patches } = typingDifferential(files, '/typing4', '/typing4/mysite/settings/production.py');
    assert.ok(patches > 0, `the production module was patched (${patches} times)`);
  });

  it('typing in a base whose importer runs none of its statements again unless they depend on the edit', () => {
    // production.py is not run again after a keystroke in base.py when none of its statements after
    // the star import reads or writes what the edited statement binds, in its namespace or through
    // base's functions; its locations in base.py follow the edit, its imported calls are the new ones
    const base = [
      'import os',
      'import sentry_sdk',
      'EARLY = "early"',
      'PREFIX = "pre"',
      'def flag(name):',
      '    return PREFIX + "-" + name',
      'def literal():',
      '    return "from-the-helper"',
      '_PRIVATE = "private"',
      'NAME = "name"',
      'OVERRIDDEN = "base"',
      'READ = "read"',
      'HOST = os.environ.get("HOST", "localhost")',
      'def used():',
      '    return _PRIVATE + "-used"',
      'sentry_sdk.init(dsn="https://0123456789abcdef@o1.ingest.sentry.io/1", environment="staging")',
      'LATE = "late"',
      '',
    ].join('\n');
    const production = [
      'from .base import *',
      'OVERRIDDEN = "prod"',
      'COPY = READ + "-copy"',
      'FLAGGED = flag("x")',
      'HELPER = literal()',
      'USED = used()',
      'PROD_HOST = os.environ.get("PROD_HOST", "prod")',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const { importer } = typingDifferential(files, '/typing9', '/typing9/mysite/settings/base.py');
    assert.ok(importer > 3, `the production module was given without running its statements (${importer} times)`);
  });

  it('typing in a base whose importer is open in the editor too: the importer runs none of its statements again', () => {
    // production.py open (it would be recorded for a first keystroke of its own) while base.py is
    // typed into: it is kept as base.py's importer, not evaluated in full after every keystroke
    const base = ['import os', 'NAME = "name"', 'READ = "read"', 'HOST = os.environ.get("HOST", "localhost")', 'LATE = "late"', ''].join(
      '\n',
    );
    const production = ['from .base import *', 'COPY = READ + "-copy"', 'DEBUG = False', ''].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const root = '/typing9open';
    const typed = typingDifferential(files, root, `${root}/mysite/settings/base.py`, {}, undefined, 0, [
      `${root}/mysite/settings/production.py`,
    ]);
    assert.ok(typed.importer > 3, `the production module was given without running its statements (${typed.importer} times)`);
    // and production.py's own first keystroke, with base.py open and untouched, is still patched
    const oneKeystroke = (text: string): [number, number, string][] => [[text.indexOf('"-copy"') + 1, 0, 'x']];
    const own = typingDifferential(files, `${root}2`, `${root}2/mysite/settings/production.py`, {}, oneKeystroke, 0, [
      `${root}2/mysite/settings/base.py`,
    ]);
    assert.equal(own.patches, 1, 'the first keystroke in production.py was patched');
  });

  it('typing in a key path of a base dict that its importer reaches through another name, or does not read', () => {
    // `FEATURES["GROUP"] = …` changes FEATURES in place: the importer holds the same dict, and what
    // it computed from it through VIEW must be computed again
    const base = [
      'FEATURES = {}',
      'VIEW = [FEATURES]',
      // keys in single quotes: only the double-quoted strings are typed into (keystrokes())
      "FEATURES['GROUP'] = {'label': \"group\"}",
      "FEATURES['OTHER'] = {'label': \"other\"}",
      'NAME = "name"',
      '',
    ].join('\n');
    const reading = { ...chain(base), 'mysite/settings/production.py': "from .base import *\nSEEN = VIEW[0]['GROUP']['label']\n" };
    typingDifferential(reading, '/typing11', '/typing11/mysite/settings/base.py');
    const other = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nPROD = NAME\nLATER = "later"\n' };
    const { importer } = typingDifferential(other, '/typing12', '/typing12/mysite/settings/base.py');
    assert.ok(importer > 3, `the production module was given without running its statements (${importer} times)`);
  });

  it('an edit that makes a base statement bind another name, then one that stops binding it', () => {
    // the importer's namespace gets the base's names in the base's order: a name bound first now
    // is not added at its end, and one no longer bound is not left in it
    const base = 'NAME = "name"\nOTHER = "other"\nLATE = "late"\n';
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nPROD = "prod"\n' };
    const edits = (text: string): [number, number, string][] => {
      const name = text.indexOf('"name"') + 2;
      const other = text.indexOf('OTHER =') + 5;
      const added = ' = OTHERS';
      return [
        [name, 0, 'y'], // (evaluated in full: records start)
        [name, 0, 'z'], // production.py given as it was
        [other + 2, 0, added], // OTHER = OTHERS = "other": a name bound first (offsets after the two typed before)
        [name, 0, 'w'], // (production.py evaluated in full, and kept)
        [other + 3, added.length, ''], // OTHERS no longer bound (three characters typed before it by now)
        [name, 0, 'v'],
      ];
    };
    const { importer } = typingDifferential(files, '/typing13', '/typing13/mysite/settings/base.py', {}, edits);
    assert.ok(importer > 0, `the production module was given without running its statements (${importer} times)`);
  });

  it('an edit of a base statement that makes it default a variable a condition of the importer makes required', () => {
    const base = ['import os', 'OTHER = os.environ.get("DB_HOSX", "h")', 'NAME = "n"', ''].join('\n');
    const production = [
      'from .base import *',
      'if os.environ.get("DB_HOST") is None:',
      '    raise RuntimeError("DB_HOST is required")',
      'PROD = "prod"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const edits = (text: string): [number, number, string][] => [
      [text.indexOf('"n"') + 1, 0, 'm'], // (the first edit evaluates in full and starts recording)
      [text.indexOf('"n"') + 2, 0, 'o'], // NAME: production.py given as it was
      [text.indexOf('DB_HOSX') + 6, 1, 'T'], // OTHER now defaults DB_HOST, which production.py's condition makes required
    ];
    const { importer } = typingDifferential(files, '/typing14', '/typing14/mysite/settings/base.py', {}, edits);
    assert.ok(importer > 0, `the production module was given without running its statements (${importer} times)`);
  });

  it('typing in a base whose importer reads its namespace as a whole', () => {
    const base = 'NAME = "name"\nOTHER = "other"\n';
    const production = 'from .base import *\nSEEN = globals()["NAME"]\nCOUNT = len(dir())\n';
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    typingDifferential(files, '/typing15', '/typing15/mysite/settings/base.py');
  });

  it('typing in a base whose functions, called from its importer, make library calls', () => {
    // the calls production.py's call of init() adds to base.py are taken back before base.py is
    // patched, and added again when production.py is given as it was
    const base = [
      'import sentry_sdk',
      'NAME = "name"',
      'def init(environment):',
      '    sentry_sdk.init(dsn="https://0123456789abcdef@o1.ingest.sentry.io/1", environment=environment)',
      '    return environment',
      'LATE = "late"',
      '',
    ].join('\n');
    const production = 'from .base import *\nENVIRONMENT = init("production")\n';
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const { importer } = typingDifferential(files, '/typing16', '/typing16/mysite/settings/base.py');
    assert.ok(importer > 0, `the production module was given without running its statements (${importer} times)`);
  });

  it('an edit that makes a statement read the name it binds first', () => {
    // the old statement's binding stays in its place while the new one runs: the new one must not read it
    const base = 'NAME = "name"\nOTHER = "other"\nLATE = "late"\n';
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nPROD = "prod"\n' };
    const edits = (text: string): [number, number, string][] => {
      const name = text.indexOf('"name"') + 2;
      const other = text.indexOf('"other"');
      return [
        [name, 0, 'y'], // (evaluated in full: records start)
        [other + 1, 7, 'OTHER + "x"'], // OTHER = OTHER + "x": OTHER is not bound before it (one character typed before)
      ];
    };
    typingDifferential(files, '/typing17', '/typing17/mysite/settings/base.py', {}, edits);
  });

  it('an edit that binds another name before a statement that reads the names of the namespace', () => {
    const base = 'NAME = "name"\nOTHER = "other"\nNAMES = [n for n in dir() if n.isupper()]\nLATE = "late"\n';
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nPROD = "prod"\n' };
    const edits = (text: string): [number, number, string][] => {
      const name = text.indexOf('"name"') + 2;
      const other = text.indexOf('OTHER =') + 5;
      return [
        [name, 0, 'y'], // (evaluated in full: records start)
        [other + 1, 0, ' = OTHERS'], // OTHER = OTHERS = "other" (one character typed before it)
      ];
    };
    typingDifferential(files, '/typing18', '/typing18/mysite/settings/base.py', {}, edits);
  });

  it('the first keystroke in a module open in the editor is patched (its evaluation on opening is recorded)', () => {
    // one keystroke into a string of a statement read by nothing after it: patched, not evaluated in full
    const base = 'NAME = "name"\nDEBUG = False\nTIMEOUT = 30\n';
    const at = (text: string): [number, number, string][] => [[text.indexOf('"name"') + 1, 0, 'x']];
    const first = typingDifferential(chain(base), '/first1', '/first1/mysite/settings/base.py', {}, at);
    assert.equal(first.patches, 1, 'the first keystroke in base.py was patched');
    // opened after an analysis, which kept production.py's evaluation with base.py's in it: the
    // analysis on opening evaluates them again once, so that base.py is recorded
    const later = typingDifferential(chain(base), '/first4', '/first4/mysite/settings/base.py', {}, at, 1);
    assert.equal(later.patches, 1, 'the first keystroke in base.py, opened later, was patched');
    // a module reading a module its importer imported first (zulip's computed_settings.py), opened
    // after the first analysis (the server's start), or after two: the analysis on opening lends it
    // the kept evaluation of the module it reads (the first analysis keeps what it evaluates; a
    // later one keeps a module once its texts are read the same twice)
    const reading = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': 'from .configured import *\nfrom .computed import *\n',
      'mysite/settings/configured.py': 'DEBUG = False\nNAME = "site"\n',
      'mysite/settings/computed.py': 'from .configured import DEBUG, NAME\nTITLE = NAME + "-title"\nLABEL = "name"\n',
    };
    const computed = typingDifferential(reading, '/first5', '/first5/mysite/settings/computed.py', {}, at, 2);
    assert.equal(computed.patches, 1, 'the first keystroke in computed.py, opened later, was patched');
    const computedFirst = typingDifferential(reading, '/first6', '/first6/mysite/settings/computed.py', {}, at, 1);
    assert.equal(computedFirst.patches, 1, 'the first keystroke in computed.py, opened after the first analysis, was patched');
    const prodText = chain(base)['mysite/settings/production.py']!;
    const inProd = (text: string): [number, number, string][] => [[text.indexOf('"prod"}') + 1, 0, 'x']];
    assert.ok(prodText.includes('"prod"}'));
    const prod = typingDifferential(chain(base), '/first2', '/first2/mysite/settings/production.py', {}, inProd);
    assert.equal(prod.patches, 1, 'the first keystroke in production.py was patched');
    // a file a split-settings include() runs, open: the including module is recorded on opening
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': 'from split_settings.tools import include\ninclude("components/base.py")\nAFTER = "after"\n',
      'mysite/settings/components/base.py': 'NAME = "name"\nDEBUG = False\n',
    };
    // (which files a module includes is known from an evaluation of it: the file is opened after one)
    const included = typingDifferential(files, '/first3', '/first3/mysite/settings/components/base.py', {}, at, 1);
    assert.equal(included.patches, 1, 'the first keystroke in the included file was patched');
  });

  it('a character typed, deleted and typed again: the kept evaluation of a text seen before is not placed by a later patch', () => {
    // a patch moves the locations after the edit in place; a kept copy of an earlier text (made
    // from the same evaluation, sharing its locations) must not be reused once the text comes back
    const base = 'NAME = "name"\nDEBUG = False\nMW = ["a", "b"]\nMIDDLEWARE = MW\nTIMEOUT = 30\n';
    const again = (text: string): [number, number, string][] => {
      const at = text.indexOf('"name"') + 1;
      return [
        [at, 0, 'x'],
        [at, 1, ''],
        [at, 0, 'x'],
        [at, 1, ''],
        [at, 0, 'y'],
        [at, 0, 'z'],
        [at, 1, ''],
        [at, 1, ''],
      ];
    };
    typingDifferential(chain(base), '/again1', '/again1/mysite/settings/base.py', {}, again);
    typingDifferential(chain(base), '/again2', '/again2/mysite/settings/base.py', {}, again, 1);
    typingDifferential(chain(base), '/again3', '/again3/mysite/settings/production.py', {}, (text) => {
      const at = text.indexOf('"prod"}') + 1;
      return [
        [at, 0, 'x'],
        [at, 1, ''],
        [at, 0, 'x'],
        [at, 1, ''],
      ];
    });
  });

  it('typing in statements that import, or are read by statements importing, modules the workspace does not have', () => {
    // `import boto3` asks the workspace only to find it missing: such a statement runs again alone
    // when it asks the same again; an import of a module of the project is still a reason for a
    // full evaluation (the differential holds either way)
    const base = [
      'import os',
      'S3_KEY = os.environ.get("S3_KEY", "key")',
      'if S3_KEY is not None:',
      '    import boto3',
      '    S3_REGION = boto3.client("s3").meta.region_name',
      'BACKENDS = ("a.Backend",)',
      'USING_LDAP = "a.LDAPBackend" in BACKENDS',
      'if USING_LDAP or os.environ.get("LDAP"):',
      '    import ldap',
      '    OPTIONS = {ldap.OPT_REFERRALS: 0, "name": "ldap"}',
      'if os.environ.get("MORE"):',
      '    from mysite.settings import extra',
      '    EXTRA = extra.VALUE + S3_KEY',
      'NAME = "name"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/extra.py': 'VALUE = "value"\n' };
    const { patches } = typingDifferential(files, '/missing1', '/missing1/mysite/settings/base.py');
    assert.ok(patches > 5, `the base module was patched (${patches} times)`);
    // the statement that imports is the one typed into
    const inImport = (text: string): [number, number, string][] => {
      const at = text.indexOf('"s3"') + 1;
      const name = text.indexOf('"name": "ldap"') + 10;
      return [
        [at, 0, 'x'],
        [at, 1, ''],
        [name, 0, 'x'],
        [name, 1, ''],
      ];
    };
    const imports = typingDifferential(files, '/missing2', '/missing2/mysite/settings/base.py', {}, inImport);
    // (the cache's running total, summed after each keystroke: 1 + 2 + 3 + 4 when all four are patched)
    assert.equal(imports.patches, 10, 'each keystroke in a statement importing a missing module was patched');
  });

  it('a list changed in place through a name that may be it (a merge of branches), then a statement before it typed into', () => {
    // `MIDDLEWARE += …` under an undecided condition changes every list MIDDLEWARE may be, in place
    // (markUncertain); an earlier statement read one of them: run again alone, it would read the
    // list as that change left it
    const base = [
      'import os',
      'import environ',
      'env = environ.Env(DD_ENABLE=(bool, True))',
      'ENABLE = env("DD_ENABLE")',
      'MW = ["a.Middleware", "crum.Middleware"]',
      'MIDDLEWARE = MW',
      'if ENABLE:',
      '    middleware_list = list(MIDDLEWARE)',
      '    middleware_list.insert(1, "pg.Middleware")',
      '    MIDDLEWARE = middleware_list',
      'if os.environ.get("WHITE"):',
      '    MIDDLEWARE += ["whitenoise.Middleware"]',
      'NAME = "name"',
      '',
    ].join('\n');
    const flip = (text: string): [number, number, string][] => {
      const at = text.indexOf('"DD_ENABLE")') + 1;
      return [
        [at, 0, 'x'],
        [at, 1, ''],
        [at, 0, 'x'],
        [at, 1, ''],
      ];
    };
    typingDifferential(chain(base), '/uncertain1', '/uncertain1/mysite/settings/base.py', {}, flip);
    typingDifferential(chain(base), '/uncertain2', '/uncertain2/mysite/settings/base.py');
  });

  it("typing a key path written before statements calling another module's functions", () => {
    // DjangoGirls: `DATABASES["default"] = …`, then `FLAG = sanitize(…)` of utils/sanitize.py: the
    // helper's module holds nothing of DATABASES, so the key path is re-run alone; a helper module
    // that was given the dict (it keeps it in a list it reads later) sees the change: in full
    const base = [
      'import os',
      'from mysite.helpers import sanitize, register, registered',
      'DATABASES = {}',
      'DATABASES["default"] = {"ENGINE": "django.db.backends.postgresql", "HOST": os.getenv("DB_HOST", "localhost")}',
      'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}',
      'register(CACHES)',
      'CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379"}',
      'FLAG = sanitize(os.environ.get("FLAG", "yes"), bool)',
      'SEEN = registered()',
      'NAME = "name"',
      '',
    ].join('\n');
    const helpers = [
      'STORE = []',
      'def sanitize(value, kind):',
      '    if kind is bool:',
      '        return value in ("1", "yes", True)',
      '    return value',
      'def register(d):',
      '    STORE.append(d)',
      'def registered():',
      '    return [d.get("default") for d in STORE]',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/helpers.py': helpers };
    const edits = (text: string): [number, number, string][] => {
      const db = text.indexOf('"localhost"') + 1;
      const cache = text.indexOf('"redis://cache:6379"') + 1;
      return [
        [db, 0, 'x'],
        [db, 1, ''],
        [cache, 0, 'x'],
        [cache, 1, ''],
      ];
    };
    const typed = typingDifferential(files, '/foreign1', '/foreign1/mysite/settings/base.py', {}, edits);
    // (the cache's running total after each keystroke: the two in DATABASES patched, 1 + 2; the two
    // in CACHES, which registered() reads through helpers.STORE, evaluated in full: + 2 + 2)
    assert.equal(typed.patches, 7, 'the keystrokes in DATABASES were patched, those in CACHES not');
    typingDifferential(files, '/foreign2', '/foreign2/mysite/settings/base.py');
  });

  it('typing in a list shared through a star import, before an import of a module the workspace does not have', () => {
    // zulip's computed_settings.py: `ALLOWED_HOSTS += [...]` on the list configured_settings.py
    // star-imported, and later `if S3_KEY …: import boto3`. A module the workspace does not have
    // runs nothing that could see the list; one it has may read it (here it copies it).
    const files = (later: string[]): Record<string, string> => ({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
      'mysite/__init__.py': '',
      'mysite/reader.py': 'from mysite.settings.defaults import ALLOWED_HOSTS\nFIRST_HOSTS = list(ALLOWED_HOSTS)\n',
      'mysite/settings/__init__.py': '',
      'mysite/settings/defaults.py': 'ALLOWED_HOSTS = ["a.example.com"]\nDEBUG = False\n',
      'mysite/settings/base.py': [
        'import os',
        'from .defaults import *',
        'USE_S3 = os.getenv("USE_S3")',
        'ALLOWED_HOSTS += ["127.0.0.1", "localhost"]',
        'ALLOWED_HOSTS += ["x.example.com"]',
        ...later,
        'NAME = "n"',
        '',
      ].join('\n'),
      'mysite/settings/production.py': 'from .base import *\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
    });
    const edits = (text: string): [number, number, string][] => {
      const local = text.indexOf('"localhost"') + 1;
      const x = text.indexOf('"x.example.com"') + 1;
      return [
        [local, 0, 'y'],
        [local, 1, ''],
        [x, 0, 'y'],
        [x, 1, ''],
      ];
    };
    const missing = typingDifferential(
      files(['if USE_S3:', '    import boto3', '    S3_REGION = boto3.client("s3").meta.region_name', 'import ldap']),
      '/shared1',
      '/shared1/mysite/settings/base.py',
      {},
      edits,
    );
    assert.deepEqual(missing.patched, [true, true, true, true], 'the imports of missing modules see nothing of the list');
    const reading = typingDifferential(
      files(['if USE_S3:', '    import boto3', 'import mysite.reader', 'SEEN = mysite.reader.FIRST_HOSTS']),
      '/shared2',
      '/shared2/mysite/settings/base.py',
      {},
      edits,
    );
    assert.deepEqual(reading.patched, [false, false, false, false], 'a module of the workspace imported later reads the list');
  });

  it('typing in statements that change containers in place under an if (put back, then run again alone)', () => {
    // DefectDojo: `if API_TOKENS_ENABLED: REST_FRAMEWORK["…"] += (…)`, an `if` writing two key
    // paths of SPECTACULAR_SETTINGS, `.append()` and `+=` on lists: the containers are put back as
    // they were before the statement, which runs again alone; a container a later statement
    // changes too, or reads (through another name as well), is evaluated in full
    const base = [
      'import os',
      'REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ("rest_framework.authentication.SessionAuthentication",), "PAGE_SIZE": 10}',
      'API_TOKENS_ENABLED = True',
      'if API_TOKENS_ENABLED:',
      '    REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] += ("rest_framework.authentication.TokenAuthentication",)',
      'SPECTACULAR = {"TITLE": "api", "NESTED": {"a": "b"}}',
      'if not False:',
      '    SPECTACULAR["SWAGGER_UI_DIST"] = "SIDECAR"',
      '    SPECTACULAR["NESTED"]["c"] = "SIDECAR"',
      'INSTALLED_APPS = ["django.contrib.admin"]',
      'if True:',
      '    INSTALLED_APPS.append("debug_toolbar")',
      '    INSTALLED_APPS += ["extensions"]',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      'if os.environ.get("WHITENOISE"):',
      '    MIDDLEWARE.append("whitenoise.middleware.WhiteNoiseMiddleware")',
      'LOGGING = {"loggers": {}}',
      'if True:',
      '    LOGGING["loggers"]["django"] = {"level": "INFO"}',
      'LOGGING["loggers"]["django"]["level"] = os.getenv("LEVEL", "WARNING")',
      'CACHES = {"default": {"BACKEND": "locmem"}}',
      'ALIAS = CACHES',
      'if True:',
      '    CACHES["default"]["LOCATION"] = "redis://cache:6379"',
      'SEEN = ALIAS["default"]',
      'NAME = "name"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    // one keystroke typed and deleted in each string
    const at = typedAndTakenBack;
    const putBack = (text: string): [number, number, string][] => [
      ...at(text, '"rest_framework.authentication.TokenAuthentication"'),
      ...at(text, '"SIDECAR"'),
      ...at(text, '"debug_toolbar"'),
      ...at(text, '"extensions"'),
    ];
    const typed = typingDifferential(files, '/putback1', '/putback1/mysite/settings/base.py', {}, putBack);
    // (the running total after each keystroke: all 8 patched, 1 + 2 + … + 8)
    assert.equal(typed.patches, 36, 'the statements changing containers in place were run again alone');
    // changed again after (LOGGING) or read through another name after (CACHES through ALIAS): in full
    const inFull = (text: string): [number, number, string][] => [...at(text, '"INFO"'), ...at(text, '"redis://cache:6379"')];
    const full = typingDifferential(files, '/putback2', '/putback2/mysite/settings/base.py', {}, inFull);
    assert.equal(full.patches, 0, 'a container changed or read after the statement: evaluated in full');
    // every string of the module, typed into and deleted, in a single settings module too
    typingDifferential(files, '/putback3', '/putback3/mysite/settings/base.py');
    const single = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': base,
    };
    typingDifferential(single, '/putback4', '/putback4/mysite/settings.py');
  });

  it('typing in a statement read by statements that change containers in place (put back, then run again after it)', () => {
    // DefectDojo: `DJANGO_DEBUG_TOOLBAR_ENABLED = env(…)` read by `if DJANGO_DEBUG_TOOLBAR_ENABLED:
    // INSTALLED_APPS += (…)`: the containers the dependent changed are put back as they were before
    // it, and it runs again after the edited statement; evaluated in full when a statement run again
    // before it read or changed one, or a statement after it reads one
    const base = [
      'import os',
      'TOOLBAR = os.environ.get("TOOLBAR", "on") != "off"',
      'EXTRA = os.environ.get("EXTRA_APP", "extensions")',
      'INSTALLED_APPS = ["django.contrib.admin"]',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      'if TOOLBAR:',
      '    INSTALLED_APPS += ["debug_toolbar", EXTRA]',
      '    MIDDLEWARE.append("debug_toolbar.middleware.DebugToolbarMiddleware")',
      'OTHER_APPS = [EXTRA]',
      'NAME = "name"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const at = typedAndTakenBack;
    const edits = (text: string): [number, number, string][] => [...at(text, '"on")'), ...at(text, '"extensions"')];
    const typed = typingDifferential(files, '/depput1', '/depput1/mysite/settings/base.py', {}, edits);
    // (the running total after each keystroke: all 4 patched, 1 + 2 + 3 + 4)
    assert.equal(typed.patches, 10, 'the statements changing containers in place ran again after the edited one');
    typingDifferential(files, '/depput2', '/depput2/mysite/settings/base.py');
    // a statement run again before the dependent reads the list it changes, through another name
    // (it saw it before the dependent changed it, which a run again on the kept list would not)
    const reads = [
      'import os',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      'ALIAS = MIDDLEWARE',
      'TOOLBAR = os.environ.get("TOOLBAR", "on") != "off"',
      'COUNT = len(ALIAS) if TOOLBAR else 0',
      'if TOOLBAR:',
      '    MIDDLEWARE.append("debug_toolbar.middleware.DebugToolbarMiddleware")',
      'NAME = "name"',
      '',
    ].join('\n');
    const readsEdits = (text: string): [number, number, string][] => at(text, '"on")');
    typingDifferential({ ...files, 'mysite/settings/base.py': reads }, '/depput3', '/depput3/mysite/settings/base.py', {}, readsEdits);
    typingDifferential({ ...files, 'mysite/settings/base.py': reads }, '/depput4', '/depput4/mysite/settings/base.py');
    // a later statement not run again reads the list (through another name): evaluated in full, and the same
    const later = `${base.replace('if TOOLBAR:', 'APPS_ALIAS = INSTALLED_APPS\nif TOOLBAR:')}APPS_COUNT = len(APPS_ALIAS)\n`;
    const inFull = typingDifferential(
      { ...files, 'mysite/settings/base.py': later },
      '/depput5',
      '/depput5/mysite/settings/base.py',
      {},
      edits,
    );
    assert.equal(inFull.patches, 0, 'a later statement not run again reads the list: evaluated in full');
    // …but one that runs again too (it reads the name the dependent writes) reads the list as the dependent leaves it
    const rerunToo = `${base}APPS_COUNT = len(INSTALLED_APPS)\n`;
    const both = typingDifferential(
      { ...files, 'mysite/settings/base.py': rerunToo },
      '/depput6',
      '/depput6/mysite/settings/base.py',
      {},
      edits,
    );
    assert.equal(both.patches, 10, 'the statements changing the list and reading it ran again after the edited one');
    typingDifferential({ ...files, 'mysite/settings/base.py': rerunToo }, '/depput7', '/depput7/mysite/settings/base.py');
  });

  it('typing in a base whose lists its importer extends', () => {
    // what production.py did to base.py's values is put back before base.py is patched: production.py must run again
    const base = 'APPS = ["a"]\nNAME = "name"\nMIDDLEWARE = ["m"]\n';
    const production = 'from .base import *\nAPPS += ["more"]\nMIDDLEWARE.append("prod-mw")\nNEXT = "next"\n';
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    typingDifferential(files, '/typing10', '/typing10/mysite/settings/base.py');
  });

  it("typing in files a split-settings include() runs in the including module's namespace", () => {
    // the included files' statements have records of their own (incremental.ts): a keystroke in one
    // re-runs that statement only, from the shared state as the full evaluation had it there
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': [
        'from split_settings.tools import include, optional',
        'import os',
        'EARLY = "early"',
        'os.environ.setdefault("BEFORE_INCLUDE", "set-before-the-include")',
        // (the include's own arguments change the environment before the files run)
        'include(os.environ.setdefault("BASE_FILE", "components/base.py"), "components/extra.py", optional("local.py"))',
        'AFTER = NAME + "-after"',
        'if os.environ.get("USE_MORE"):',
        '    include("components/more.py")',
        '',
      ].join('\n'),
      'mysite/settings/components/base.py': [
        'import os',
        'import environ',
        'env = environ.Env(HOSTS=(list, ["a.example.com"]), LEVEL=(str, "INFO"))',
        'SEEN_BEFORE = os.environ.get("BEFORE_INCLUDE", "unset") + "-seen"',
        'SEEN_FILE = "pre-" + os.environ.get("BASE_FILE", "unset")',
        'os.environ.setdefault("FROM_BASE", "set-by-base")',
        'SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-secret-key-not-for-production")',
        'ALLOWED_HOSTS = env("HOSTS")',
        'NAME = "name"',
        'LEVEL = env("LEVEL")',
        'SEEN = os.environ.get("FROM_BASE", "unset")',
        'FEATURES = {"A": {"on": True, "label": "a"}}',
        'FEATURES["B"] = {"on": False, "label": "b"}',
        'def helper(x):',
        '    return "helped-" + x',
        'HELPED = helper("y")',
        'TIMEOUT = int(os.environ.get("TIMEOUT", "30"))',
        '',
      ].join('\n'),
      'mysite/settings/components/extra.py': [
        'EXTRA = "extra"',
        'ALLOWED_HOSTS.append("b.example.com")',
        'COPY = EARLY + "-copy"',
        'EMAIL_HOST_PASSWORD = "hunter2-smtp-password"',
        'LAST = "last"',
        '',
      ].join('\n'),
      'mysite/settings/components/more.py': 'MORE = "more"\n',
    };
    const base = typingDifferential(files, '/include1', '/include1/mysite/settings/components/base.py');
    assert.ok(base.patches > 10, `the included file was patched (${base.patches} times)`);
    const extra = typingDifferential(files, '/include2', '/include2/mysite/settings/components/extra.py');
    assert.ok(extra.patches > 5, `the second included file was patched (${extra.patches} times)`);
    typingDifferential(files, '/include3', '/include3/mysite/settings/__init__.py');
    // an include() in a branch is not given records of its own: the module is evaluated in full
    typingDifferential(files, '/include4', '/include4/mysite/settings/components/more.py');
  });

  it('typing before and after statements that rewrite the namespace (vars().update(), globals() in a loop)', () => {
    // a later statement that makes names unknown or opens the namespace saw which names were bound:
    // a statement before it is re-run alone only when it binds the same names
    const base = [
      'import json',
      'import os',
      'import environ',
      'env = environ.Env()',
      'NAME = "name"',
      'EMAIL_HOST = "smtp.example.com"',
      'OTHER = "other"',
      'EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://user:password@localhost:25")',
      'vars().update(EMAIL_CONFIG)',
      'LATER = "later"',
      'CONFIG = {"SESSION_COOKIE_AGE": 3600, "LANGUAGE_CODE": "en-us"}',
      'vars().update(CONFIG)',
      'for key, value in {"TIME_ZONE": "UTC", "USE_TZ": True}.items():',
      '    globals()[key] = value',
      'EXTRA = json.loads(os.environ.get("EXTRA_SETTINGS", "{}"))',
      'globals().update(EXTRA)',
      'AFTER = "after"',
      'COUNT = len([n for n in dir() if n.isupper()])',
      'LAST = "last"',
      '',
    ].join('\n');
    const files = chain(base);
    const typed = typingDifferential(files, '/rewrite1', '/rewrite1/mysite/settings/base.py');
    assert.ok(typed.patches > 5, `statements around the barriers were patched (${typed.patches} times)`);
    // edits that make a statement before the barriers bind another name, then the name back: the
    // names dir() lists, and those the environment's e-mail URL makes unknown, are others
    const base2 = [
      'import environ',
      'env = environ.Env()',
      'INSTALLED_APPS = ["django.contrib.admin"]',
      'NAME = "name"',
      'EMAIL_HOST = "smtp.example.com"',
      'OTHER = "other"',
      'EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://user:password@localhost:25")',
      'vars().update(EMAIL_CONFIG)',
      'NAMES = [n for n in dir() if n.startswith("OTHER")]',
      'LAST = "last"',
      '',
    ].join('\n');
    const edits = (): [number, number, string][] => [
      [base2.indexOf('"name"') + 1, 0, 'n'], // (the first edit evaluates in full and starts recording)
      [base2.indexOf('"name"') + 2, 0, 'm'], // patched
      [base2.indexOf('OTHER = ') + 6, 0, 'X'], // OTHERX: dir() lists another name
      [base2.indexOf('OTHER = ') + 6, 1, ''],
      [base2.indexOf('"name"') + 3, 0, 'o'],
      [base2.indexOf('EMAIL_HOST = ') + 10, 0, 'X'], // EMAIL_HOSTX: the e-mail URL makes it unknown
      [base2.indexOf('EMAIL_HOST = ') + 10, 1, ''],
    ];
    const renamed = typingDifferential(chain(base2), '/rewrite2', '/rewrite2/mysite/settings/base.py', {}, edits);
    assert.ok(renamed.patches > 0, `statements before the barriers were patched (${renamed.patches} times)`);
    // the production module rewrites its namespace after the star import: it is given as it was
    // when the base's edited statement binds the same names (the barriers saw the same names)
    const production = [
      'from .base import *',
      'vars().update({"PROD": "prod"})',
      'for k in ["A", "B"]:',
      '    globals()["FLAG_" + k] = True',
      'PROD_EMAIL = env.email_url("PROD_EMAIL_URL", default="smtp://user:password@localhost:25")',
      'vars().update(PROD_EMAIL)',
      'PROD_NAMES = [n for n in dir() if n.startswith("OTHER")]',
      'PLUGINS = ["alpha", "beta"]',
      'for plugin in PLUGINS:',
      '    INSTALLED_APPS = INSTALLED_APPS + ["plugins." + plugin]',
      '',
    ].join('\n');
    const rewritten = typingDifferential(
      { ...chain(base2), 'mysite/settings/production.py': production },
      '/rewrite3',
      '/rewrite3/mysite/settings/base.py',
      {},
      edits,
    );
    assert.ok(rewritten.importer > 0, `the production module was given as it was (${rewritten.importer} times)`);
    typingDifferential({ ...files, 'mysite/settings/production.py': production }, '/rewrite4', '/rewrite4/mysite/settings/base.py');
    typingDifferential({ ...files, 'mysite/settings/production.py': production }, '/rewrite5', '/rewrite5/mysite/settings/production.py');
  });

  it('typing in a module that reads the modules its importer imported first', () => {
    // settings.py star-imports configured_settings.py (which imports config.py and defaults.py),
    // then computed_settings.py, which imports from both: computed_settings.py is patched when the
    // modules it read are the instances it read, as they were given (the reused evaluations are
    // given as the same objects, put back after each analysis), and what it added to them (the
    // calls of config.py's function it called) is added again
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "zp.settings")\n',
      'zp/__init__.py': '',
      'zp/settings.py': 'from .configured_settings import *\nfrom .computed_settings import *\n',
      'zp/config.py': [
        'import os',
        'PRODUCTION = True',
        'def get_secret(key, default=None):',
        '    return os.environ.get("SECRET_" + key.upper(), default)',
        '',
      ].join('\n'),
      'zp/defaults.py':
        'import os\nEXTERNAL_HOST = os.environ.get("EXTERNAL_HOST", "zulip.example.com")\nAPPS = ["a", "b"]\nLIMITS = {"max": 10}\n',
      'zp/configured_settings.py': 'from .defaults import *\nfrom .config import PRODUCTION\nDEBUG = not PRODUCTION\n',
      'zp/computed_settings.py': [
        'import os',
        'from .config import get_secret, PRODUCTION',
        'from .configured_settings import EXTERNAL_HOST, DEBUG, APPS, LIMITS',
        'SECRET_KEY = get_secret("secret_key", "dev-secret-key-not-for-production")',
        'ALLOWED_HOSTS = [EXTERNAL_HOST, "localhost"]',
        'NAME = "name"',
        'LABEL = NAME + "-label"',
        'INSTALLED_APPS = APPS + ["zerver"]',
        'MAX = LIMITS["max"]',
        'EMAIL_HOST_PASSWORD = get_secret("email_password")',
        'SESSION_COOKIE_SECURE = PRODUCTION',
        'TIMEOUT = int(os.environ.get("TIMEOUT", "30"))',
        'LAST = "last"',
        '',
      ].join('\n'),
    };
    const typed = typingDifferential(files, '/reads1', '/reads1/zp/computed_settings.py');
    assert.ok(typed.patches > 10, `the module was patched (${typed.patches} times)`);
    typingDifferential(files, '/reads2', '/reads2/zp/configured_settings.py');
    typingDifferential(files, '/reads3', '/reads3/zp/settings.py');
    // it changes a list of the module it read, in place: it is evaluated in full
    const mutates = {
      ...files,
      'zp/computed_settings.py': `${files['zp/computed_settings.py']}APPS.append("late")\nLIMITS["min"] = 1\n`,
    };
    typingDifferential(mutates, '/reads4', '/reads4/zp/computed_settings.py');
    // the importer changes that list before importing it: it is not as it was given
    const before = {
      ...files,
      'zp/settings.py': 'from .configured_settings import *\nAPPS += ["early"]\nfrom .computed_settings import *\n',
    };
    typingDifferential(before, '/reads5', '/reads5/zp/computed_settings.py');
    // config.py's function makes a library call: a statement calling it adds that call to
    // config.py's calls (each statement's, in statement order: rebuilt after a patch), which a
    // later star import of config.py copies into settings.py's
    const calling = {
      ...files,
      'zp/config.py': [
        'import os',
        'import vault_client',
        'PRODUCTION = True',
        'def get_secret(key, default=None):',
        '    vault_client.fetch(key)',
        '    return os.environ.get("SECRET_" + key.upper(), default)',
        '',
      ].join('\n'),
      'zp/settings.py': 'from .configured_settings import *\nfrom .computed_settings import *\nfrom .config import *\n',
      // (a dict of its own changed through a key path: the modules it read stay untouched by it)
      'zp/computed_settings.py': `${files['zp/computed_settings.py']}GROUPS = {}\nGROUPS['a'] = {"label": "group-a"}\nGROUPS['b'] = {"label": "group-b"}\n`,
    };
    const called = typingDifferential(calling, '/reads6', '/reads6/zp/computed_settings.py');
    assert.ok(called.patches > 10, `the module was patched (${called.patches} times)`);
    // zulip's default_settings.py: the module star-imported first calls config.py's function too
    // (its statements add calls to config.py before computed_settings.py's): typing in its strings
    const first = {
      ...calling,
      'zp/defaults.py': `from .config import get_secret\n${files['zp/defaults.py']}GH_KEY = get_secret("gh_key")\nNAME = "defaults"\nGL_KEY = get_secret("gl_key")\n`,
    };
    const firstTyped = typingDifferential(first, '/reads7', '/reads7/zp/defaults.py');
    assert.ok(firstTyped.patches > 10, `the module was patched (${firstTyped.patches} times)`);
  });

  it('typing inside the bodies of functions: the statements that called them run again', () => {
    // the function is changed in place; the statements after it that called it (directly, through
    // another function, or through a list holding it) run again, when nothing after them reads
    // what they bind; else the module is evaluated in full
    const base = [
      'import os',
      'FEATURES = {}',
      'def label(name):',
      '    return "label-" + name + os.environ.get("LABEL_SUFFIX", "-x")',
      'def wrapped(name):',
      '    return label(name) + "-wrapped"',
      'def unused(name):',
      '    return "unused-" + name',
      'def read_later(name):',
      '    return "read-" + name',
      'def many(name):',
      '    return "many-" + name',
      'HOOKS = [label]',
      'A = label("a")',
      'B = wrapped("b")',
      'FEATURES["G"] = {"label": label("g"), "on": True}',
      'if os.environ.get("USE_X"):',
      '    X = label("x")',
      'else:',
      '    X = "none"',
      'C = [h("c") for h in HOOKS]',
      'R = read_later("r")',
      'COPY = R + "-copy"',
      ...Array.from({ length: 20 }, (_, i) => `M${i} = many("m${i}")`),
      'SECRET_KEY = "dev-secret-key-not-for-production-" + label("k")',
      'LAST = "last"',
      '',
    ].join('\n');
    const production = 'from .base import *\nPROD = label("prod")\nDEBUG = False\n';
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const typed = typingDifferential(files, '/defs1', '/defs1/mysite/settings/base.py');
    assert.ok(typed.patches > 10, `the module was patched (${typed.patches} times)`);
    typingDifferential(files, '/defs2', '/defs2/mysite/settings/production.py');
  });

  it('typing inside helpers that 130 statements each call: each call is given to the new body again, and only the statements whose calls give another result run again', () => {
    // more callers than are run again (96): a statement whose calls give the same result (values,
    // provenance, locations) keeps it; one binding a name to the result, read by no later
    // statement, is bound to the new one; the others run again with what depends on them
    const base = [
      'import os',
      'FEATURES = {}',
      'MODE = "a"',
      ...ENV_FLAG,
      ...ENV_LIST,
      'def moded(name):',
      '    return MODE + "-" + name',
      'def fresh(name):',
      '    return {"name": name, "kind": "fresh"}',
      ...Array.from({ length: 110 }, (_, i) => `F${i} = env_flag("F${i}")`),
      ...Array.from({ length: 110 }, (_, i) => `L${i} = env_list("L${i}", "a${i},b${i}")`),
      ...Array.from({ length: 20 }, (_, i) => `FEATURES["G${i}"] = {"on": env_flag("G${i}", True), "hosts": env_list("H${i}", "h,i")}`),
      'if os.environ.get("USE_Y"):',
      '    Y = env_list("Y", "y,z")',
      'COPY = L0 + ["copied"]',
      'A = moded("a")',
      'MODE = "b"',
      'B = moded("b")',
      'D = fresh("d")',
      'D["extra"] = "changed later"',
      'E = fresh("e")',
      'SECRET_KEY = "dev-secret-key-not-for-production-" + env_list("K", "k")[0]',
      'DEBUG = env_flag("DEBUG")',
      '',
    ].join('\n');
    const production = 'from .base import *\nPROD = env_flag("PROD")\nDEBUG = False\n';
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const inBodies = (text: string): [number, number, string][] => [
      ...typedAndTakenBack(text, '"1", "true"'),
      ...typedAndTakenBack(text, '",")'),
      ...typedAndTakenBack(text, '"-" + name'),
      ...typedAndTakenBack(text, '"fresh"}'),
    ];
    const typed = typingDifferential(files, '/probe1', '/probe1/mysite/settings/base.py', {}, inBodies);
    // (the cache's running total, summed after each keystroke: 1 + 2 + … + 8 when all eight are patched)
    assert.equal(typed.patches, 36, 'each keystroke was patched');
    typingDifferential(files, '/probe2', '/probe2/mysite/settings/base.py');
  });

  it("typing on in a helper's body: the locations of the results each keystroke replaces leave the log, which stays as long, and the others still follow edits", () => {
    const base = [
      'import os',
      'MODE = "a"',
      ...ENV_LIST,
      ...Array.from({ length: 150 }, (_, i) => `L${i} = env_list("L${i}", "a${i},b${i}")`),
      'LAST = "last"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const file = '/relog/mysite/settings/base.py';
    // keystrokes in env_list's body (each gives every L its new result), each followed by one
    // before the body (every location after it moves); then two after the calls
    const edits = (text: string): [number, number, string][] => {
      const body = text.indexOf('",")') + 1;
      const mode = text.indexOf('"a"') + 1;
      const last = text.indexOf('"last"') + 1;
      const rounds = Array.from({ length: 15 }, (): [number, number, string][] => [
        [body, 0, 'x'],
        [mode, 0, 'y'],
        [body + 1, 1, ''],
        [mode, 1, ''],
      ]);
      return [...rounds.flat(), [last, 0, 'z'], [last, 1, '']];
    };
    // every keystroke patched, and the analysis the same as a full evaluation's, locations included
    const typed = typingDifferential(files, '/relog', file, {}, edits);
    assert.ok(typed.patched.every(Boolean), `every keystroke patched: ${typed.patched}`);
    // the log of locations after each keystroke: as long after the last keystroke in the body as after the first
    const fs = new MemoryFileSystem(files, '/relog');
    const ws = new Workspace(fs, ['/relog']);
    const typing = { fixes: false, reuseModules: true };
    const doc = PythonDocument.parse(base, { incremental: true });
    ws.setOpenDocument(file, doc);
    try {
      let a = analyzeWorkspace(ws, typing);
      const lengths: number[] = [];
      for (const [offset, del, ins] of edits(base).slice(0, 60)) {
        doc.applyEdit(offset, offset + del, ins);
        ws.invalidate(file);
        a = analyzeWorkspace(ws, typing);
        const tracker = moduleCache(ws, a.projects[0]!.project).tracked.get(file)!.tracker;
        lengths.push(tracker.locs.length - tracker.deadLocs.size);
      }
      // (the first keystroke in the body adds the locations of its results, one per L; from then on
      // each replaces the last's: thirty of them add fewer than one does, those of MODE's statement run again)
      assert.ok(lengths.at(-1)! - lengths[0]! < 150, `the log's live locations: ${lengths}`);
      const tracker = moduleCache(ws, a.projects[0]!.project).tracked.get(file)!.tracker;
      assert.ok(
        tracker.locs.length < lengths[0]! * 1.5,
        `the log was rewritten without the dead (${tracker.locs.length} against ${lengths[0]})`,
      );
    } finally {
      ws.closeDocument(file);
      doc.dispose();
    }
  });

  it('the index of what each statement reads and writes, built while typing pauses (prepareForTyping), is the one the first patch builds, and stays so', () => {
    const base = [
      'import os',
      'FEATURES = {}',
      ...ENV_FLAG,
      ...ENV_LIST,
      ...Array.from({ length: 30 }, (_, i) => `L${i} = env_list("L${i}", "a${i},b${i}")`),
      ...Array.from({ length: 10 }, (_, i) => `FEATURES["G${i}"] = {"on": env_flag("G${i}", True)}`),
      'COPY = L0 + ["copied"]',
      'NAME = "n"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nPROD = env_flag("PROD")\nDEBUG = False\n' };
    const file = '/prep/mysite/settings/base.py';
    const edits = [...typedAndTakenBack(base, '",")'), ...typedAndTakenBack(base, '"copied"'), ...typedAndTakenBack(base, '"n"')];
    // two editors typing the same keystrokes, one of them preparing at each pause
    const run = (prepare: boolean): { views: unknown[]; indexes: unknown[]; patches: number } => {
      const fs = new MemoryFileSystem(files, '/prep');
      const ws = new Workspace(fs, ['/prep']);
      const typing = { fixes: false, reuseModules: true };
      const doc = PythonDocument.parse(base, { incremental: true });
      ws.setOpenDocument(file, doc);
      const views: unknown[] = [];
      const indexes: unknown[] = [];
      // (the index of each kept evaluation: undefined until built)
      const index = (a: WorkspaceAnalysis): unknown =>
        [...moduleCache(ws, a.projects[0]!.project).tracked.values()].map((e) => (e.tracker as unknown as { index?: unknown }).index);
      try {
        let a = analyzeWorkspace(ws, typing);
        for (const [offset, del, ins] of edits) {
          if (prepare) {
            prepareForTyping(ws, a.projects[0]!.project);
            const built = index(a) as unknown[];
            assert.ok(built.length > 0 && built.every((x) => x !== undefined), 'every kept evaluation indexed before the keystroke');
          }
          doc.applyEdit(offset, offset + del, ins);
          ws.invalidate(file);
          a = analyzeWorkspace(ws, typing);
          views.push(view(a));
          indexes.push(structuredClone(index(a)));
        }
        return { views, indexes, patches: moduleCache(ws, a.projects[0]!.project).patches };
      } finally {
        ws.closeDocument(file);
        doc.dispose();
      }
    };
    const lazy = run(false);
    const prepared = run(true);
    assert.equal(prepared.patches, edits.length, 'each keystroke patched');
    assert.equal(lazy.patches, edits.length);
    assert.deepEqual(prepared.views, lazy.views);
    assert.deepEqual(prepared.indexes, lazy.indexes, 'the same index after each keystroke');
  });

  it('typing inside a statement of a helper that no call ran: nothing runs again, and a call that ran it (production setting the variable) or read it counts', () => {
    // env_flag's last line runs only when the variable is set: in base.py none is, so a keystroke
    // there changes no result (nothing is given to the new body again); nor does one in the branch
    // of `searched` no call took, whose text was searched for the variable's name and found it
    // elsewhere (`os.environ[key]`). `strict`'s handler is read at every call (whether it
    // re-raises), `nested`'s inner def and `lam`'s lambda hold the body's text, and `unfound`'s
    // text was searched for the variable's name and found nothing: keystrokes in those are given
    // to the new body as before
    const base = [
      'import os',
      ...ENV_FLAG,
      'def strict(name):',
      '    try:',
      '        return int(os.environ.get(name, "5"))',
      '    except ValueError:',
      '        return "handled"',
      'def nested(name):',
      '    if name == "never":',
      '        return "never-a"',
      '    def inner():',
      '        return name + "-inner"',
      '    return inner() + "-x"',
      'def lam(name):',
      '    if name == "never":',
      '        return "never-b"',
      '    f = lambda: name + "-lam"',
      '    return f()',
      'def searched(key, default="off"):',
      '    if key in os.environ:',
      '        return os.environ[key] + "-on"',
      '    return default',
      'def unfound(default="off"):',
      '    if "UNFOUND" in os.environ:',
      '        return "found-on" + "!"',
      '    return default',
      'def later(name):',
      '    if name == "late":',
      '        return "late-" + name',
      '    return name',
      ...Array.from({ length: 30 }, (_, i) => `F${i} = env_flag("F${i}")`),
      ...Array.from({ length: 5 }, (_, i) => `S${i} = strict("S${i}")`),
      'N = nested("n")',
      'M = lam("m")',
      'Q = searched("Q")',
      'U = unfound()',
      'W = later("w")',
      'DEBUG = env_flag("DEBUG", True)',
      '',
    ].join('\n');
    // production sets a variable and calls env_flag, searched and later: what base.py's calls did
    // not run, production's do
    const production = 'from .base import *\nPROD = env_flag("PROD")\nDEBUG = False\n';
    const prodSets =
      'import os\nos.environ.setdefault("PROD", "yes")\nfrom .base import *\nPROD = env_flag("PROD")\nPS = searched("PROD")\nLATE = later("late")\nDEBUG = False\n';
    const inBodies = (text: string): [number, number, string][] => [
      ...typedAndTakenBack(text, '"1", "true"'),
      ...typedAndTakenBack(text, '"handled"'),
      ...typedAndTakenBack(text, '"never-a"'),
      ...typedAndTakenBack(text, '"never-b"'),
      ...typedAndTakenBack(text, '"-on"'),
      ...typedAndTakenBack(text, '"found-on"'),
      ...typedAndTakenBack(text, '"late-"'),
    ];
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const typed = typingDifferential(files, '/reach1', '/reach1/mysite/settings/base.py', {}, inBodies);
    // env_flag's last line, searched()'s and later()'s branches: run by no call; the handler, the
    // inner def, the lambda and unfound()'s text: read by every call
    assert.equal(typed.unreached, 6, 'the keystrokes in statements no call ran nor read');
    const typed2 = typingDifferential(
      { ...chain(base), 'mysite/settings/production.py': prodSets },
      '/reach2',
      '/reach2/mysite/settings/base.py',
      {},
      inBodies,
    );
    assert.equal(typed2.unreached, 0, 'production ran all three');
    typingDifferential(files, '/reach3', '/reach3/mysite/settings/base.py');
  });

  it('typing inside a helper whose calls give new results bound to names: the module star-importing it is kept unless it called the helper or reads those names', () => {
    // env_list's new results are bound to L0…L29 (nothing runs again); production.py, which calls
    // only env_flag and reads none of them, takes the new bindings; with a production that calls
    // env_list through wrap(), or reads L1, or changes L2 in place, production is evaluated again
    const base = [
      'import os',
      ...ENV_FLAG,
      ...ENV_LIST,
      'def wrap(name):',
      '    return env_list(name, "w,v")',
      ...Array.from({ length: 30 }, (_, i) => `L${i} = env_list("L${i}", "a${i},b${i}")`),
      ...Array.from({ length: 10 }, (_, i) => `F${i} = env_flag("F${i}")`),
      'DEBUG = env_flag("DEBUG", True)',
      '',
    ].join('\n');
    const inList = (text: string): [number, number, string][] => [...typedAndTakenBack(text, '",")'), ...typedAndTakenBack(text, '",")')];
    const productions = {
      keeps: 'from .base import *\nPROD = env_flag("PROD")\nDEBUG = False\n',
      calls: 'from .base import *\nW = wrap("W")\nDEBUG = False\n',
      reads: 'from .base import *\nBOTH = L1 + ["prod"]\nDEBUG = False\n',
      changes: 'from .base import *\nL2.append("prod")\nL3 += ["prod"]\nDEBUG = False\n',
    };
    const importer: Record<string, number> = {};
    for (const [name, production] of Object.entries(productions)) {
      const files = { ...chain(base), 'mysite/settings/production.py': production };
      importer[name] = typingDifferential(files, `/rebound-${name}`, `/rebound-${name}/mysite/settings/base.py`, {}, inList).importer;
    }
    // (the cache's running total after each keystroke: 1 + 2 + 3 + 4 when all four kept production.py)
    assert.deepEqual(importer, { keeps: 10, calls: 0, reads: 0, changes: 0 });
  });

  it('typing in a statement of a helper no call ran that makes the body another shape: given to the new body as before', () => {
    // a keystroke that splits the statement no call ran into two, opens a string, or changes what
    // an unrun branch says raises: the body's statements are not the same, or it does not parse;
    // a paste into the branch of `unfound` no call took, naming the variable its condition reads:
    // the default it returns becomes that variable's default (its text was searched)
    const base = [
      'import os',
      ...ENV_FLAG,
      'def unfound(default="off"):',
      '    if "UNFOUND" in os.environ:',
      '        return "found-on" + "!"',
      '    return default',
      'def required(name):',
      '    value = os.environ.get(name, "dflt")',
      '    if value == "":',
      '        raise ValueError("empty")',
      '    return value',
      ...Array.from({ length: 20 }, (_, i) => `F${i} = env_flag("F${i}")`),
      'R = required("R")',
      'U = unfound()',
      '',
    ].join('\n');
    const edits = (text: string): [number, number, string][] => {
      const a = text.indexOf('"true"');
      const b = text.indexOf('ValueError("empty")');
      const c = text.indexOf('"found-on"');
      return [
        [c, 10, 'os.environ["UNFOUND"]'],
        [c, 21, '"found-on"'],
        [a, 0, ')\n    return ('],
        [a, 12, ''],
        [a, 0, '"'],
        [a, 1, ''],
        [b, 10, 'KeyError'],
        [b, 8, 'ValueError'],
      ];
    };
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const typed = typingDifferential(files, '/reach4', '/reach4/mysite/settings/base.py', {}, edits);
    assert.ok(typed.patches > 0, 'the module was patched');
  });

  it('typing inside helpers whose calls read what changes after them: those calls are not taken as the same', () => {
    // each call given to the new body must see what it saw: a list appended to after the call, the
    // environment the settings set after it, a call in a branch the analysis cannot decide and one
    // in a try whose handler catches what the new body raises
    const base = [
      'import os',
      'APPS = ["a"]',
      'def count(label):',
      '    return label + "-" + str(len(APPS))',
      'def region(name):',
      '    return os.environ.get("REGION", "eu") + "-" + name',
      'def strict(name):',
      '    if name == "boom":',
      '        raise ValueError("no")',
      '    return name + "-ok"',
      'N = count("n")',
      'APPS.append("b")',
      'M = count("m")',
      'R1 = region("r1")',
      'os.environ.setdefault("REGION", "us")',
      'R2 = region("r2")',
      'if os.environ.get("FLAG"):',
      '    B = count("b")',
      'try:',
      '    S = strict("xboom")',
      'except ValueError:',
      '    S = "caught"',
      'T = strict("t")',
      '',
    ].join('\n');
    const inBodies = (text: string): [number, number, string][] => {
      const boom = text.indexOf('"boom"') + 1;
      return [
        ...typedAndTakenBack(text, '"-" + str'),
        ...typedAndTakenBack(text, '"eu"'),
        ...typedAndTakenBack(text, '"-ok"'),
        [boom, 0, 'x'],
        [boom, 1, ''],
      ];
    };
    typingDifferential(chain(base), '/probe4', '/probe4/mysite/settings/base.py', {}, inBodies);
    typingDifferential(chain(base), '/probe5', '/probe5/mysite/settings/base.py');
  });

  it('typing inside a helper whose new body does more than return: the module is evaluated in full', () => {
    // f("qb") returned without changing HOOKS; typing "q" makes the condition hold for it, and the
    // call given to the new body appends (the kept state is then not used); taking it back, the
    // calls gave HOOKS an item: the helper is no longer sampled, its callers run again
    const base = [
      'import os',
      'HOOKS = []',
      'def f(name):',
      '    if name == "b":',
      '        HOOKS.append(name)',
      '    return name.upper()',
      ...Array.from({ length: 10 }, (_, i) => `N${i} = f("qb${i}")`),
      'R = f("qb")',
      'COUNT = len(HOOKS)',
      '',
    ].join('\n');
    const edits = (text: string): [number, number, string][] => {
      const i = text.indexOf('"b"') + 1;
      return [
        [i, 0, 'q'],
        [i, 1, ''],
        [i, 0, 'q'],
      ];
    };
    typingDifferential(chain(base), '/probe3', '/probe3/mysite/settings/base.py', {}, edits);
  });

  it('an edit read by 40 statements, and inside a function 40 statements call: they run again, up to 96 of them', () => {
    // (zulip's zulip_path(), called by 25 statements whose values LOGGING reads: re-running them
    // takes a fraction of a full evaluation)
    const base = [
      'import os',
      'DEVELOPMENT = os.environ.get("DEV") == "1"',
      'ROOT = "/var"',
      'def zpath(path):',
      '    if DEVELOPMENT:',
      '        return "/dev" + path',
      '    return ROOT + path',
      ...Array.from({ length: 40 }, (_, i) => `P${i} = zpath("/log/${i}")`),
      ...Array.from({ length: 40 }, (_, i) => `R${i} = ROOT + "/r${i}"`),
      'LOGGING = {"handlers": {"a": {"filename": P0}, "b": {"filename": P39}}, "root": R0}',
      'NAME = "name"',
      '',
    ].join('\n');
    const edits = (text: string): [number, number, string][] => {
      const body = text.indexOf('"/dev"') + 1;
      const root = text.indexOf('"/var"') + 1;
      return [
        [body, 0, 'x'],
        [body, 1, ''],
        [root, 0, 'x'],
        [root, 1, ''],
      ];
    };
    const typed = typingDifferential(chain(base), '/many1', '/many1/mysite/settings/base.py', {}, edits);
    // (the cache's running total, summed after each keystroke: 1 + 2 + 3 + 4 when all four are patched)
    assert.equal(typed.patches, 10, 'each keystroke was patched');
    typingDifferential(chain(base), '/many2', '/many2/mysite/settings/base.py');
  });

  it('typing before a statement that made a function by calling one: the function made stays where its text is', () => {
    // `H = make("p")` makes make's nested `inner`, whose text sits in make's body before the edit
    // (or in another file): a keystroke above H moves H, not inner, which later calls still run
    const base = [
      'from .helpers import make_other',
      'def make(prefix):',
      '    def inner(x):',
      '        return [prefix, "-inner", x]',
      '    return inner',
      'NAME = "name"',
      'H = make("p")',
      'H2 = make_other("q")',
      'V = H("v")',
      'V2 = H2("w")',
      'LAST = "last"',
      '',
    ].join('\n');
    const files = {
      ...chain(base),
      'mysite/settings/helpers.py': 'def make_other(prefix):\n    return lambda x: [prefix, "-other", x]\n',
    };
    // a keystroke above H, then one in each call of the functions made, before the first is taken back
    const edits = (text: string): [number, number, string][] => {
      const a = text.indexOf('"name"') + 1;
      const v = text.indexOf('H("v")') + 4;
      const w = text.indexOf('H2("w")') + 5;
      // (offsets in the text as it is when each is typed: the x before the others, the y before the z)
      return [
        [a, 0, 'x'],
        [v + 1, 0, 'y'],
        [w + 2, 0, 'z'],
        [w + 2, 1, ''],
        [v + 1, 1, ''],
        [a, 1, ''],
      ];
    };
    const typed = typingDifferential(files, '/nest1', '/nest1/mysite/settings/base.py', {}, edits);
    // (the cache's running total, summed after each keystroke: 1 + 2 + … + 6 = 21 when all six are patched)
    assert.equal(typed.patches, 21, 'each keystroke was patched');
    typingDifferential(files, '/nest2', '/nest2/mysite/settings/base.py');
  });

  it('a statement first binding a name that the function it calls binds (global) and then reads runs again alone', () => {
    // Tandoor's `DATABASES = setup_database()`, whose function assigns `global DATABASES` and
    // returns it: run again, the name keeps its place in the namespace (its old binding stays while
    // the statement runs), and a read after the function bound it again is not a read of the old one
    const base = [
      'import os',
      'DB_URL = os.environ.get("DATABASE_URL", "postgres://db/app")',
      'def setup_database(url=None, engine=None):',
      '    global DB_URL, DATABASES',
      '    DB_URL = url or DB_URL',
      '    DATABASES = {"default": {"URL": DB_URL, "ENGINE": engine or "django.db.backends.postgresql"}}',
      '    return DATABASES',
      'DATABASES = setup_database(engine="django.db.backends.postgresql")',
      'NAME = "name"',
      'SECRET_KEY = "dev-secret-" + NAME',
      'LAST = "last"',
      '',
    ].join('\n');
    const edits = (text: string): [number, number, string][] => {
      const out: [number, number, string][] = [];
      for (const literal of ['"django.db.backends.postgresql"}}', 'engine="django.db', '"name"'])
        out.push([text.indexOf(literal) + 1, 0, 'x'], [text.indexOf(literal) + 1, 1, '']);
      return out;
    };
    const typed = typingDifferential(chain(base), '/glob1', '/glob1/mysite/settings/base.py', {}, edits);
    // (the cache's running total, summed after each keystroke: 1 + 2 + … + 6 = 21 when all six are patched)
    assert.equal(typed.patches, 21, 'each keystroke was patched');
    typingDifferential(chain(base), '/glob2', '/glob2/mysite/settings/base.py');
    // the function reads the global before binding it: the statement sees its own old binding
    const readsFirst = base.replace(
      '    DB_URL = url or DB_URL',
      '    DB_URL = url or DB_URL\n    PREVIOUS = DATABASES if "DATABASES" in globals() else None',
    );
    typingDifferential(chain(readsFirst), '/glob3', '/glob3/mysite/settings/base.py', {}, edits);
    const rebinds = `${base}DATABASES = {**DATABASES, "replica": {"URL": DB_URL}}\n`;
    typingDifferential(chain(rebinds), '/glob4', '/glob4/mysite/settings/base.py', {}, edits);
  });

  it('typing in statements that define functions (a lambda in an if, a def with defaults) and in those they depend on', () => {
    // DjangoGirls' `if DEBUG: … DEBUG_TOOLBAR_CONFIG = {"SHOW_TOOLBAR_CALLBACK": lambda request: …}`:
    // a statement defining a function runs again alone (new function objects, as a full evaluation
    // makes) when no statement that does not run again called the old ones
    const base = [
      'import os',
      'DEBUG = os.environ.get("DJANGO_DEBUG", "FALSE") != "FALSE"',
      'PREFIX = "app"',
      'def greet(name="world", sep="-"):',
      '    return PREFIX + sep + name',
      'GREETING = greet()',
      'OTHER = greet("other")',
      'if DEBUG:',
      '    INTERNAL_IPS = ["127.0.0.1"]',
      '    TOOLBAR = {"SHOW_TOOLBAR_CALLBACK": lambda request: request.path != "/admin"}',
      'else:',
      '    TOOLBAR = {"SHOW_TOOLBAR_CALLBACK": lambda request: False, "label": "off"}',
      'HANDLERS = {"on": lambda x: x + "-on"}',
      'ON = HANDLERS["on"]("a")',
      'STORE = [None]',
      'ALIAS = STORE',
      'STORE[0] = HANDLERS["on"]',
      'VIA_ALIAS = ALIAS[0]("b")',
      'SORTED = sorted(["b", "a"], key=lambda s: s + "z")',
      'class Conf:',
      '    NAME = "conf"',
      'CONF_NAME = Conf.NAME',
      'SECRET_KEY = "dev-secret-" + PREFIX',
      'LAST = "last"',
      '',
    ].join('\n');
    const at = (text: string, literal: string): number => text.indexOf(literal) + 1;
    const edits = (text: string): [number, number, string][] => {
      const out: [number, number, string][] = [];
      // (offsets in the text as it is when each is typed: each keystroke is taken back before the next)
      for (const literal of ['"FALSE")', '"world"', '"/admin"', '"off"', '"-on"', '"z")', '"app"'])
        out.push([at(text, literal), 0, 'x'], [at(text, literal), 1, '']);
      return out;
    };
    const typed = typingDifferential(chain(base), '/fns1', '/fns1/mysite/settings/base.py', {}, edits);
    // the running total after each of the 14 keystrokes (1 + 2 + … + 14 = 105 when every one is
    // patched): 94, all but the two in HANDLERS, read by `STORE[0] = …` whose list ALIAS holds too
    // (a full evaluation); 3 before statements defining functions ran again alone
    assert.ok(typed.patches >= 94, `the statements defining functions, and those depending on them, ran again alone (${typed.patches})`);
    typingDifferential(chain(base), '/fns2', '/fns2/mysite/settings/base.py');
    typingDifferential(
      { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nPROD = greet("prod")\nDEBUG = False\n' },
      '/fns3',
      '/fns3/mysite/settings/base.py',
    );
  });

  it('typing in statements that later statements read or write: those run again after them, in order', () => {
    // a dependency walk (evaluator.ts, dependentsOf): the statements after the edited one that read
    // or write what it wrote (and what those wrote) run again, each with the values of the names it
    // reads as they are at its place; a name they read that a statement not run again writes after
    // them, more than 96 of them, or one that cannot run alone, and the module is evaluated in full
    const base = [
      'import os',
      'LOG_LEVEL = os.getenv("LOG_LEVEL", "WARNING")',
      'DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"',
      'APPS = ["django.contrib.admin"]',
      'if DEBUG:',
      '    APPS += ["debug_toolbar"]',
      'USE_X = os.environ.get("USE_X", "yes") == "yes"',
      'if USE_X:',
      '    APPS = APPS + ["x"]',
      'APPS += ["last-app"]',
      'LOGGING = {"version": 1, "handlers": {"console": {"level": LOG_LEVEL}}, "root": {"level": LOG_LEVEL}}',
      'LOGGING["handlers"]["file"] = {"level": LOG_LEVEL, "filename": "x.log"}',
      'LOG_COPY = LOG_LEVEL + "-copy"',
      'PREFIX = "pre"',
      'NAME = PREFIX + "-name"',
      'NAME = NAME + "-more"',
      'LABEL = NAME + "-label"',
      'PREFIX = "post"',
      'AFTER = PREFIX + "-after"',
      'SECRET_KEY = "dev-secret-key-not-for-production-" + NAME',
      'MODE = "prod"',
      'if MODE == "prod":',
      '    PROD_ONLY = "yes"',
      '    SHARED = "p"',
      'else:',
      '    DEV_ONLY = "yes"',
      '    SHARED = "d"',
      'SHARED_COPY = SHARED + "-copy"',
      'TIMEOUT_S = "30"',
      'TIMEOUT = int(TIMEOUT_S)',
      'HOST = "example.com"',
      'ALLOWED_HOSTS = [HOST, "www." + HOST]',
      'CSRF_TRUSTED_ORIGINS = ["https://" + h for h in ALLOWED_HOSTS]',
      'HOSTS_ALIAS = ALLOWED_HOSTS',
      'TITLE = "title"',
      'NAMES = [n for n in dir() if n.startswith("T")]',
      'LAST = TITLE + "-last"',
      'MANY = "m"',
      ...Array.from({ length: 30 }, (_, i) => `MANY_${i} = MANY + "-${i}"`),
      '',
    ].join('\n');
    const production = 'from .base import *\nDEBUG = False\nPROD_LABEL = LABEL + "-prod"\nAPPS += ["prod-app"]\n';
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const typed = typingDifferential(files, '/walk1', '/walk1/mysite/settings/base.py');
    assert.ok(typed.patches > 20, `the base module was patched (${typed.patches} times)`);
    // edits that make a statement bind another name, read another name, and flip a branch
    const edits = (text: string): [number, number, string][] => {
      const mode = text.indexOf('"prod"') + 1;
      const debug = text.indexOf('"0") == "1"') + 1;
      const name = text.indexOf('"-name"') + 2;
      return [
        [name, 0, 'y'], // (the first edit evaluates in full and starts recording)
        [debug, 1, '1'], // DEBUG true: the branch after it extends APPS
        [mode, 0, 'x'], // MODE "xprod": the other branch binds DEV_ONLY first
        [mode, 1, ''], // back
        [text.indexOf('PREFIX + "-name"'), 6, 'LOG_LEVEL'], // NAME reads LOG_LEVEL instead of PREFIX (offsets before the edits above)
      ];
    };
    typingDifferential(files, '/walk2', '/walk2/mysite/settings/base.py', {}, edits);
    typingDifferential(files, '/walk3', '/walk3/mysite/settings/production.py');
    // a statement run again reads a name that one run again after it writes: it must not see that
    // one's value; an edit makes the statement bind a name first that one run again after it bound
    const small = [
      'B = "b0"',
      'A = "a"',
      'C = A + B',
      'B = A + "-b"',
      'W = "w"',
      'WW = W + "-1"',
      'Q = W + "-q"',
      'AFTER_Q = "after"',
      '',
    ].join('\n');
    const smallEdits = (text: string): [number, number, string][] => [
      [text.indexOf('"a"') + 1, 0, 'x'], // (evaluated in full: records start)
      [text.indexOf('"a"') + 1, 0, 'y'], // C reads B, which the statement after it binds again
      [text.indexOf('W = "w"') + 3, 0, ' = Q'], // W = Q = "w": Q bound first by it now (offset: two characters typed before it)
      [text.indexOf('"a"') + 1, 0, 'z'],
      [text.indexOf('"w"') + 8, 0, 'v'], // (evaluated in full: records start again; seven characters typed before it)
      [text.indexOf('"w"') + 8, 0, 'u'], // WW and Q run again after it
    ];
    const walked = typingDifferential(
      { ...chain(small), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' },
      '/walk4',
      '/walk4/mysite/settings/base.py',
      {},
      smallEdits,
    );
    assert.ok(walked.patches > 0, `the base module was patched (${walked.patches} times)`);
  });

  it('typing in a statement that reads a name a later statement binds again', () => {
    // zulip's `ONLY_LDAP = AUTHENTICATION_BACKENDS == (…)` before `AUTHENTICATION_BACKENDS += (…)`:
    // run again, it reads the name as it was at its place, and the namespace keeps the later value
    const base = [
      'BACKENDS = ("a.Backend",)',
      'ONLY_A = BACKENDS == ("a.Backend",)',
      'HAS_B = "b.Backend" in BACKENDS',
      'NAMES = [b + "-name" for b in BACKENDS]',
      'BACKENDS += ("b.Backend",)',
      'LATE_HAS_B = "b.Backend" in BACKENDS',
      'APPS = ["x"]',
      'FIRST_APP = APPS[0] + "-first"',
      'APPS.append("y")',
      'LAST = "last"',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\nPROD = ONLY_A\n' };
    const typed = typingDifferential(files, '/shifted1', '/shifted1/mysite/settings/base.py');
    assert.ok(typed.patches > 5, `the base module was patched (${typed.patches} times)`);
  });

  it('typing in a django-environ schema: only the statements that looked up a changed key run again', () => {
    // the Env stays the same object with its schema's changed entries (DefectDojo's FileAwareEnv(…)
    // read by every later statement): a reader of another key is not run again
    const base = [
      'import os',
      'import environ',
      'env = environ.FileAwareEnv(',
      '    DD_SITE_URL=(str, "http://localhost:8080"),',
      '    DD_DEBUG=(bool, False),',
      '    DD_HOSTS=(list, ["localhost", "127.0.0.1"]),',
      '    DD_SECRET_KEY=(str, ""),',
      '    DD_TIMEOUT=(int, 30),',
      '    DD_EMAIL_URL=(str, "smtp://user:password@localhost:25"),',
      '    DD_LABEL=(str, "label"),',
      ')',
      'SITE_URL = env("DD_SITE_URL")',
      'DEBUG = env("DD_DEBUG")',
      'ALLOWED_HOSTS = env("DD_HOSTS")',
      'ALLOWED_HOSTS.append("extra.example.com")',
      'SECRET_KEY = env("DD_SECRET_KEY") or "dev-secret-key-not-for-production"',
      'TIMEOUT = env.int("DD_TIMEOUT")',
      'EMAIL_CONFIG = env.email_url("DD_EMAIL_URL")',
      'reader = env',
      'LABEL = reader("DD_LABEL") + "-label"',
      'def lookup(name):',
      '    return env(name)',
      'VIA_FUNCTION = lookup("DD_SITE_URL") + "/via"',
      'NAME_VAR = "DD_" + "LABEL"',
      'COMPUTED = env(NAME_VAR)',
      'PLAIN = "plain"',
      'CSRF_TRUSTED_ORIGINS = [SITE_URL]',
      '',
    ].join('\n');
    const production = 'from .base import *\nDEBUG = False\nPROD_URL = env("DD_SITE_URL") + "/prod"\n';
    const files = { ...chain(base), 'mysite/settings/production.py': production };
    const typed = typingDifferential(files, '/envschema1', '/envschema1/mysite/settings/base.py');
    assert.ok(typed.patches > 10, `the base module was patched (${typed.patches} times)`);
    // edits that add a key, change a cast, and change the Env's class
    const edits = (text: string): [number, number, string][] => {
      const label = text.indexOf('"label"') + 1;
      return [
        [label, 0, 'x'], // (the first edit evaluates in full and starts recording)
        [label, 0, 'y'], // LABEL, reached through an alias, and COMPUTED (a name the analysis computed)
        [text.indexOf('DD_TIMEOUT=(int') + 12, 3, 'str'], // the cast (offsets: two characters typed after it)
        [text.indexOf('    DD_LABEL'), 0, '    DD_NEW=(str, "new"),\n'], // a key added
        [text.indexOf('FileAwareEnv'), 4, ''], // environ.AwareEnv: not an Env
      ];
    };
    typingDifferential(files, '/envschema2', '/envschema2/mysite/settings/base.py', {}, edits);
  });

  it('typing that flips a branch binding a name later statements read: they join the walk', () => {
    // DefectDojo's `LOG_LEVEL = env("DD_LOG_LEVEL")` then `if not LOG_LEVEL: LOG_LEVEL = …`: typing in
    // the schema's default flips the branch, which binds LOG_LEVEL again (read by LOGGING); in a
    // plain walk, a branch flipped binds EXTRA, read by a statement the walk did not hold
    const base = [
      'import environ',
      'env = environ.FileAwareEnv(',
      '    DD_LOG_LEVEL=(str, ""),',
      '    DD_OTHER=(str, "other"),',
      ')',
      'DEBUG = False',
      'LOG_LEVEL = env("DD_LOG_LEVEL")',
      'if not LOG_LEVEL:',
      '    LOG_LEVEL = "DEBUG" if DEBUG else "INFO"',
      'LOGGING = {"level": str(LOG_LEVEL)}',
      'EXTRA = "base"',
      'NAME = "n"',
      'LABEL = NAME + "-label"',
      'if LABEL != "n-label":',
      '    EXTRA = LABEL + "-extra"',
      '    FLIPPED = True',
      'EXTRA_COPY = EXTRA + "!"',
      'EXTRA_LIST = [EXTRA_COPY, LABEL]',
      'REBOUND = "r"',
      'if NAME == "nx":',
      '    REBOUND = "flipped"',
      'REBOUND = REBOUND + "-late"',
      'OTHER = env("DD_OTHER")',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\nPROD = EXTRA_COPY\n' };
    const edits = (text: string): [number, number, string][] => {
      const name = text.indexOf('"n"') + 1;
      const level = text.indexOf('DD_LOG_LEVEL=(str, "') + 'DD_LOG_LEVEL=(str, "'.length;
      return [
        [name, 0, 'y'], // "yn": the branch binds EXTRA (read by EXTRA_COPY, not in the walk) and FLIPPED
        [name, 1, ''], // "n": the branch binds nothing
        [name, 0, 'q'], // "qn": it binds EXTRA and FLIPPED again; EXTRA_COPY and EXTRA_LIST join the walk
        [name, 1, ''],
        [level, 0, 'x'], // DD_LOG_LEVEL "x": the branch after LOG_LEVEL binds nothing
        [level, 1, ''], // "": it binds LOG_LEVEL, which LOGGING reads
        [name + 1, 0, 'x'], // "nx": REBOUND bound where a later statement binds it again (declines)
        [name + 1, 1, ''], // "n": the branch binds nothing again (the binding before it is put back)
        [name + 1, 0, 'x'], // (declines again)
        [name + 1, 1, ''],
      ];
    };
    const { patched } = typingDifferential(files, '/flip1', '/flip1/mysite/settings/base.py', {}, edits);
    assert.deepEqual(patched, [true, true, true, true, true, true, false, true, false, true]);
    // a reader that cannot run again alone (it sets an environment variable other modules read): the walk is not widened
    const shared = [
      'import os',
      'EXTRA = "base"',
      'NAME = "n"',
      'if NAME != "n":',
      '    EXTRA = NAME + "-extra"',
      'os.environ.setdefault("EXTRA_ENV", EXTRA)',
      'AFTER = os.environ.get("EXTRA_ENV", "") + "!"',
      '',
    ].join('\n');
    const sharedEdits = (text: string): [number, number, string][] => {
      const name = text.indexOf('"n"') + 1;
      return [
        [name, 0, 'y'], // the branch binds EXTRA, read by a statement that writes the environment
        [name, 1, ''], // (it binds nothing again: that statement is in the walk, and cannot run again alone)
        [name, 0, 'y'],
      ];
    };
    const files2 = { ...chain(shared), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n' };
    const second = typingDifferential(files2, '/flip2', '/flip2/mysite/settings/base.py', {}, sharedEdits);
    assert.deepEqual(second.patched, [false, false, false]);
  });

  it('typing in one of several statements changing the same container in place: the later ones run again on it', () => {
    // zulip's `ALLOWED_HOSTS += [EXTERNAL_HOST_WITHOUT_PORT, …]` after `ALLOWED_HOSTS += ["127.0.0.1", …]`
    // and before another: each later one runs again on the list as the one before it leaves it
    const base = [
      'import os',
      'HOST = "example.com"',
      'ALLOWED_HOSTS = ["a.example.com"]',
      'ALLOWED_HOSTS += ["127.0.0.1", "localhost"]',
      'ALLOWED_HOSTS += [HOST, "." + HOST]',
      'FIRST_COUNT = len(ALLOWED_HOSTS)',
      'if HOST.endswith(".com"):',
      '    ALLOWED_HOSTS += ["com-only.example.com"]',
      'ALLOWED_HOSTS.append("last.example.com")',
      'HOSTS_TEXT = ",".join(ALLOWED_HOSTS)',
      'APPS = ["django.contrib.admin"]',
      'APPS += ["app-one"]',
      'ALIAS = APPS',
      'ALIAS += ["through-alias"]',
      'APPS += ["app-two"]',
      'EXTRA = {"a": 1}',
      'EXTRA.update({"b": 2})',
      'EXTRA["c"] = 3',
      'EXTRA.update({"d": 4})',
      'HOSTS = ["h"]',
      'HOSTS_ALIAS = HOSTS',
      'HOSTS += ["h2"]',
      'HOSTS_ALIAS += ["h3"]',
      'HOSTS_COUNT = len(HOSTS)',
      'KNAME = "x"',
      'KEYED = ["a", "b"]',
      'KEYED[0] = KNAME',
      'KEYED += [KNAME]',
      'KEYED_TEXT = "-".join(KEYED)',
      '',
    ].join('\n');
    const files = { ...chain(base), 'mysite/settings/production.py': 'from .base import *\nDEBUG = False\nPROD_HOSTS = ALLOWED_HOSTS\n' };
    const edits = (text: string): [number, number, string][] => {
      const local = text.indexOf('"localhost"') + 1;
      const host = text.indexOf('"example.com"') + 1;
      const one = text.indexOf('"app-one"') + 1;
      const b = text.indexOf('{"b": 2}') + 2;
      return [
        [local, 0, 'x'], // the first of the chain: the three after it run again on the list
        [local, 1, ''],
        [host, 0, 'y'], // HOST: every statement reading it, and the chain from the first reading it
        [host, 0, 'z'],
        [host, 2, ''], // (".com" again: the branch adds its host again)
        [one, 0, 'q'], // APPS, changed through an alias later too (the alias's statements are in the walk)
        [b + 1, 0, 'e'], // a key path written between two update() calls (offset: "q" typed before it)
        [text.indexOf('"last.example.com"') + 1, 0, 'w'], // the last of the chain
        [text.indexOf('"h2"') + 4, 0, 'v'], // the list is changed later through an alias bound before (not in the walk): declines (three typed before it)
        // KNAME: an item set to it, then the list extended with it: the item's statement puts the
        // list back, and the extension runs again on the list as it leaves it
        [text.indexOf('KNAME = "x"') + 'KNAME = "'.length + 4, 0, 'k'],
      ];
    };
    const { patched } = typingDifferential(files, '/chain1', '/chain1/mysite/settings/base.py', {}, edits);
    assert.deepEqual(patched, [true, true, true, true, true, true, true, true, false, true]);
    // the stride typing of the whole module, each keystroke against a full evaluation
    typingDifferential(files, '/chain2', '/chain2/mysite/settings/base.py');
  });

  it("every fixture's modules, typed into", () => {
    let patches = 0;
    for (const rule of RULES) {
      for (const c of casesOf(rule.code)) {
        const loaded = loadCase(c, rule.target);
        const files = c.isDir ? readFolder(c.path) : singleFileProject(c, rule.target).files;
        const first = analyzeWorkspace(new Workspace(new MemoryFileSystem(files, loaded.root), [loaded.root]), loaded.options);
        const modules = [...new Set(first.projects.flatMap((p) => [...p.files]))].filter((f) => f.endsWith('.py')).sort();
        for (const file of modules.slice(0, 2)) patches += typingDifferential(files, loaded.root, file, loaded.options).patches;
      }
    }
    const dir = path.join(FIXTURES, 'projects');
    for (const name of readdirSync(dir)) {
      const files = readFolder(path.join(dir, name));
      const root = '/' + name;
      const first = analyzeWorkspace(new Workspace(new MemoryFileSystem(files, root), [root]), {});
      const modules = [...new Set(first.projects.flatMap((p) => [...p.files]))].filter((f) => f.endsWith('.py')).sort();
      for (const file of modules.slice(0, 2)) patches += typingDifferential(files, root, file).patches;
    }
    assert.ok(patches > 100, `modules were patched (${patches} times)`);
  });
});
