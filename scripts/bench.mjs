// npm run bench: the performance figures of BENCHMARKS.md, as a table of medians and p95s.
//   1. server cold start to first diagnostics (example project)
//   2. edit-to-diagnostics latency over 200 single-character edits on ~100, ~1,000 and ~4,000-line
//      settings modules, with the re-parse alone (ours, and tree-sitter's own incremental parse)
//   2b. the same on modules shaped like real large settings: a generated 5,000-line base (nested
//      FEATURES-style dicts, hundreds of django-environ and os.environ lookups, helper functions,
//      `if` blocks on environment flags) star-imported by a production module; edits typed in each,
//      with the ratio to tree-sitter's incremental re-parse of the same edits, and the server's
//      memory over 2,000 of them
//   2c. the shapes issue 31 names (split-settings include(), a module reading its importer's modules,
//      a production module rewriting its namespace after the star import, edits inside a `def`),
//      generated, each typed into through the server
//   3. the CLI on the example project, against `python3 manage.py check --deploy` (Debian's
//      python3-django, installed when missing and running as root) and a bare `node -e 0`,
//      timed alternately in the same run and reported as ratios
//   4. the CLI on a synthetic workspace of 5,000 Python files with 20 Django projects
//   4m. the CLI on a project with 1,000 migration files (a git repository, one new migration on a
//      branch) against the same project without them: the check, `migrations` (the change set) and
//      `migrations --all`, timed alternately, with the ratio to the project without migrations
//   5. the server's heap and RSS after 1,000 edits against after 10
// It is a script, not a test: it asserts nothing, it measures. BENCH_RUNS scales the repetitions;
// BENCH_ONLY=2b (a comma-separated list of section numbers) runs only those sections; BENCH_SHAPE=TEXT
// only the shapes of 2c whose description holds TEXT (e.g. BENCH_SHAPE=def); BENCH_SETTLE_MS=3000 has
// 2c start typing that long after the first diagnostics (the typing practice done), not at once.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { startServer as startLspServer, stats, stringTargets, typeInStrings } from './benchLsp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = process.env.DDH_BUILD_DIR || root;
const dist = join(buildDir, 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim())) : undefined;
const section = (id) => !ONLY || ONLY.has(id);
const work = mkdtempSync(join(tmpdir(), 'ddh-bench-'));
// A code cache of its own for this run, written by the first start of each bundle below (the
// example's analysis): the launcher keeps the first cache written for a build and never replaces
// it, so a cache left by an earlier run on a small project (or under other V8 flags, which V8
// rejects) made every CLI run here compile most of the rules again (the example: ~135 ms of CPU
// against ~85 with the example's own cache). Every build compared is measured the same way.
process.env.XDG_CACHE_HOME = join(work, 'code-cache');
const require = createRequire(import.meta.url);
const rows = [];
const startServer = (folder, env = {}) => startLspServer(join(dist, 'server.js'), folder, env);
const memory = [];

const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
function row(what, xs, note = '') {
  const s = stats(xs);
  rows.push([what, ms(s.median), ms(s.p95), String(s.n), note]);
  console.log(`${what}: median ${ms(s.median)} ms, p95 ${ms(s.p95)} ms (n=${s.n}) ${note}`);
}

if (!existsSync(join(dist, 'server.js'))) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

// ---- synthetic settings modules --------------------------------------------------------------
function settingsModule(lines) {
  const out = [
    '"""Generated settings module for benchmarks."""',
    'import os',
    'from pathlib import Path',
    '',
    'BASE_DIR = Path(__file__).resolve().parent.parent',
    'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    'DEBUG = True',
    'ALLOWED_HOSTS = ["example.com"]',
    '',
  ];
  let i = 0;
  while (out.length < lines) {
    i++;
    switch (i % 8) {
      case 0:
        out.push(`# Section ${i}`, `SETTING_${i} = os.environ.get("VAR_${i}", "default-${i}")`, '');
        break;
      case 1:
        out.push(`LIST_${i} = [`, `    "app${i}.one",`, `    "app${i}.two",`, ']');
        break;
      case 2:
        out.push(`DICT_${i} = {`, '    "ENGINE": "django.db.backends.postgresql",', `    "NAME": "db${i}",`, '}');
        break;
      case 3:
        out.push('if not DEBUG:', `    FLAG_${i} = True`);
        break;
      case 4:
        out.push(`PATH_${i} = BASE_DIR / "static" / "p${i}"`);
        break;
      case 5:
        out.push(`TIMEOUT_${i} = 60 * 60 * ${i % 24}`);
        break;
      case 6:
        out.push(`NAME_${i} = "value-${i}"  # a trailing comment`);
        break;
      default:
        out.push(`ENABLED_${i} = False`, '');
    }
  }
  return out.join('\n') + '\n';
}

function project(dir, settingsText) {
  mkdirSync(join(dir, 'mysite'), { recursive: true });
  writeFileSync(join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
  writeFileSync(join(dir, 'mysite/__init__.py'), '');
  writeFileSync(join(dir, 'mysite/wsgi.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
  writeFileSync(join(dir, 'mysite/settings.py'), settingsText);
  writeFileSync(join(dir, 'requirements.txt'), 'Django==4.2.11\n');
}

// 1. cold start: a new server process until its first diagnostics, with the V8 code cache the
// launcher keeps (as every start after the first), and without it (the very first start)
if (section('1')) {
  // one start that lives past its first analysis, which is when the server saves the cache
  const warm = await startServer(join(root, 'examples/mysite'));
  await warm.waitFor((p) => p.diagnostics.length > 0);
  await warm.conn.sendRequest('djangoDeployHygiene/memory');
  await new Promise((r) => setTimeout(r, 300));
  await warm.stop();
  for (const [what, env] of [
    ['with the code cache', {}],
    ['first start, no code cache', { DDH_NO_CODE_CACHE: '1' }],
  ]) {
    const times = [];
    for (let i = 0; i < 10 * RUNS; i++) {
      const t0 = performance.now();
      const s = await startServer(join(root, 'examples/mysite'), env);
      const t1 = await s.waitFor((p) => p.diagnostics.length > 0);
      times.push(t1 - t0);
      await s.stop();
    }
    row(`server cold start → first diagnostics (example), ${what}`, times, 'process start included');
  }
}

// 2. edit → diagnostics
if (section('2'))
  for (const lines of [100, 1000, 4000]) {
    const dir = join(work, `edit-${lines}`);
    const text = settingsModule(lines);
    project(dir, text);
    const file = join(dir, 'mysite/settings.py');
    const uri = pathToFileURL(file).href;
    const s = await startServer(dir);
    await s.waitFor((p) => p.uri === uri && p.diagnostics.length > 0);
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await s.waitFor((p) => p.uri === uri && p.version === 1);
    // single-character edits inside string literals all over the file, as typing does
    const { times } = await typeInStrings(s, uri, stringTargets(text), 200, 1);
    row(`edit → diagnostics, ${lines}-line module (200 edits)`, times);
    await s.stop();
  }

// the parser, in process (our PythonDocument and tree-sitter), for timing re-parses alone
let parseModule;
async function parseBench() {
  if (parseModule) return parseModule;
  const tmp = join(work, 'parse-bench.cjs');
  await esbuild.build({
    stdin: {
      contents: `export { PythonDocument } from './server/src/analysis/parse/pythonDocument'; export { loadParser, parser } from './server/src/analysis/parse/treeSitter';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: tmp,
    logLevel: 'error',
    alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
    define: { 'import.meta.url': '"file:///"' },
  });
  cpSync(join(dist, 'tree-sitter-python.wasm'), join(work, 'tree-sitter-python.wasm'));
  cpSync(join(dist, 'web-tree-sitter.wasm'), join(work, 'web-tree-sitter.wasm'));
  parseModule = require(tmp);
  await parseModule.loadParser();
  return parseModule;
}

/** tree-sitter's own incremental re-parse of `edits` ({at, insert}) applied one after the other to `text`, in ms each. */
function treeSitterReparse(m, text, edits) {
  let tree = m.parser().parse(text);
  let cur = text;
  const times = [];
  for (const { at, insert } of edits) {
    const before = cur.slice(0, at);
    const row_ = before.split('\n').length - 1;
    const col = at - before.lastIndexOf('\n') - 1;
    cur = before + (insert ? 'x' : '') + cur.slice(insert ? at : at + 1);
    const t1 = performance.now();
    tree.edit(
      insert
        ? {
            startIndex: at,
            oldEndIndex: at,
            newEndIndex: at + 1,
            startPosition: { row: row_, column: col },
            oldEndPosition: { row: row_, column: col },
            newEndPosition: { row: row_, column: col + 1 },
          }
        : {
            startIndex: at,
            oldEndIndex: at + 1,
            newEndIndex: at,
            startPosition: { row: row_, column: col },
            oldEndPosition: { row: row_, column: col + 1 },
            newEndPosition: { row: row_, column: col },
          },
    );
    const next = m.parser().parse(cur, tree);
    times.push(performance.now() - t1);
    tree.delete();
    tree = next;
  }
  tree.delete();
  return times;
}

// the re-parse alone, in process: ours against tree-sitter's incremental parse
if (section('2')) {
  const m = await parseBench();
  for (const lines of [1000, 4000]) {
    const text = settingsModule(lines);
    const doc = m.PythonDocument.parse(text, { incremental: true });
    // typing inside string literals: insert a character after an opening quote, delete it next time
    const openings = [];
    for (let k = text.indexOf('"value-'); k >= 0; k = text.indexOf('"value-', k + 1)) openings.push(k + 1);
    const edits = Array.from({ length: 200 }, (_, i) => ({ at: openings[(Math.floor(i / 2) * 7) % openings.length], insert: i % 2 === 0 }));
    const ours = edits.map(({ at, insert }) => {
      const t0 = performance.now();
      doc.applyEdit(at, insert ? at : at + 1, insert ? 'x' : '');
      return performance.now() - t0;
    });
    const theirs = treeSitterReparse(m, text, edits);
    // each insertion is deleted by the next edit: both end where they began
    if (doc.text !== text) throw new Error('bench: documents diverged');
    doc.dispose();
    row(`re-parse after a keystroke, ${lines} lines: statement-level (ours)`, ours);
    row(`re-parse after a keystroke, ${lines} lines: tree-sitter incremental`, theirs);
  }
}

// 2b. modules shaped like real large settings: a generated base star-imported by production
function realisticChain(baseLines) {
  const base = [
    '"""Base settings, generated for benchmarks in the shape of large real settings modules."""',
    'import os',
    'from pathlib import Path',
    '',
    'import environ',
    '',
    'env = environ.Env(DEBUG=(bool, False))',
    'BASE_DIR = Path(__file__).resolve().parent.parent.parent',
    '',
    '',
    'def env_flag(name, default=False):',
    '    value = os.environ.get(name)',
    '    if value is None:',
    '        return default',
    '    return value.lower() in ("1", "true", "yes", "on")',
    '',
    '',
    'def env_list(name, default=""):',
    '    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]',
    '',
    '',
    'SECRET_KEY = env("DJANGO_SECRET_KEY")',
    'DEBUG = env.bool("DJANGO_DEBUG", default=False)',
    'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])',
    'INSTALLED_APPS = [',
    '    "django.contrib.admin",',
    '    "django.contrib.auth",',
    '    "django.contrib.contenttypes",',
    '    "django.contrib.sessions",',
    '    "django.contrib.messages",',
    '    "django.contrib.staticfiles",',
    ']',
    'MIDDLEWARE = [',
    '    "django.middleware.security.SecurityMiddleware",',
    '    "django.contrib.sessions.middleware.SessionMiddleware",',
    '    "django.middleware.common.CommonMiddleware",',
    '    "django.middleware.csrf.CsrfViewMiddleware",',
    '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
    '    "django.contrib.messages.middleware.MessageMiddleware",',
    '    "django.middleware.clickjacking.XFrameOptionsMiddleware",',
    ']',
    'DATABASES = {"default": env.db("DATABASE_URL", default="postgres://app@db.internal/app")}',
    'FEATURES = {}',
    '',
  ];
  let i = 0;
  while (base.length < baseLines) {
    i++;
    switch (i % 8) {
      case 0:
        base.push(
          `FEATURES["GROUP_${i}"] = {`,
          `    "ENABLE_A_${i}": env_flag("ENABLE_A_${i}"),`,
          `    "ENABLE_B_${i}": env_flag("ENABLE_B_${i}", True),`,
          `    "LIMITS": {"max_${i}": env.int("MAX_${i}", default=${i}), "label": "group-${i}"},`,
          '}',
        );
        break;
      case 1:
        base.push(
          `if env_flag("USE_SERVICE_${i}"):`,
          `    SERVICE_${i}_URL = env("SERVICE_${i}_URL", default="https://s${i}.example.com")`,
          `    INSTALLED_APPS += ["service${i}"]`,
          'else:',
          `    SERVICE_${i}_URL = None`,
        );
        break;
      case 2:
        base.push(`LIST_${i} = env_list("LIST_${i}", "a${i},b${i}")`);
        break;
      case 3:
        base.push(`TIMEOUT_${i} = int(os.environ.get("TIMEOUT_${i}", "${30 + (i % 60)}"))`);
        break;
      case 4:
        base.push(`# Section ${i}: a comment as real modules have them`, `NAME_${i} = "value-${i}"`);
        break;
      case 5:
        base.push(
          `CACHE_${i} = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL_${i}", default="redis://cache.internal:6379/${i % 16}")}`,
        );
        break;
      case 6:
        base.push(`PATH_${i} = BASE_DIR / "data" / "p${i}"`);
        break;
      default:
        base.push(`LOG_LEVEL_${i} = os.getenv("LOG_LEVEL_${i}", "INFO")`, '');
    }
  }
  const production = [
    '"""Production settings."""',
    'from .base import *  # noqa: F401,F403',
    '',
    'DEBUG = False',
    'SECURE_SSL_REDIRECT = True',
    'SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=3600)',
    'SESSION_COOKIE_SECURE = True',
    'CSRF_COOKIE_SECURE = True',
    '',
  ];
  for (let k = 0; production.length < 120; k++)
    production.push(`PRODUCTION_NAME_${k} = "prod-${k}"`, `PRODUCTION_FLAG_${k} = env_flag("PRODUCTION_FLAG_${k}")`);
  return { base: base.join('\n') + '\n', production: production.join('\n') + '\n' };
}

function realisticChainFiles(lines) {
  const { base, production } = realisticChain(lines);
  return { 'mysite/settings/base.py': base, 'mysite/settings/production.py': production };
}

if (section('2b')) {
  const dir = join(work, 'realistic');
  const { base, production } = realisticChain(5000);
  mkdirSync(join(dir, 'mysite/settings'), { recursive: true });
  writeFileSync(join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n');
  writeFileSync(join(dir, 'mysite/__init__.py'), '');
  writeFileSync(join(dir, 'mysite/wsgi.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n');
  writeFileSync(join(dir, 'mysite/settings/__init__.py'), '');
  writeFileSync(join(dir, 'mysite/settings/base.py'), base);
  writeFileSync(join(dir, 'mysite/settings/production.py'), production);
  writeFileSync(join(dir, 'requirements.txt'), 'Django==5.2.4\ndjango-environ==0.12.0\n');
  const m = await parseBench();
  const s = await startServer(dir);
  const files = {
    production: [join(dir, 'mysite/settings/production.py'), production],
    base: [join(dir, 'mysite/settings/base.py'), base],
  };
  const versions = {};
  for (const [name, [file, text]] of Object.entries(files)) {
    const uri = pathToFileURL(file).href;
    versions[name] = 1;
    const opened = s.waitFor((p) => p.uri === uri && p.version === 1);
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await opened;
  }
  const typeIn = async (name, count, record) => {
    const [file, text] = files[name];
    const typed = await typeInStrings(s, pathToFileURL(file).href, stringTargets(text), count, versions[name]);
    versions[name] = typed.version;
    record?.push(...typed.times);
    return typed.edits;
  };
  for (const name of ['production', 'base']) {
    const times = [];
    const edits = await typeIn(name, 200 * RUNS, times);
    const reparse = treeSitterReparse(m, files[name][1], edits);
    const ratio = stats(times).median / stats(reparse).median;
    const lines = files[name][1].split('\n').length - 1;
    row(
      `edit → diagnostics, realistic chain: typing in ${name}.py (${lines.toLocaleString('en-US')} lines; base ${base.split('\n').length - 1} lines)`,
      times,
      `${ratio.toFixed(1)}× tree-sitter's re-parse of the same edit`,
    );
    row(`  tree-sitter incremental re-parse of the same edits in ${name}.py`, reparse);
  }
  // memory over 2,000 edits of the base
  const mem = [];
  await typeIn('base', 10);
  mem.push(await s.conn.sendRequest('djangoDeployHygiene/memory'));
  await typeIn('base', 990);
  mem.push(await s.conn.sendRequest('djangoDeployHygiene/memory'));
  await typeIn('base', 1000);
  mem.push(await s.conn.sendRequest('djangoDeployHygiene/memory'));
  const mb = (x) => (x / 1024 / 1024).toFixed(1);
  memory.push(['realistic chain, base.py edited: JS heap after a GC', ...mem.map((x) => mb(x.heapUsed))]);
  memory.push(['realistic chain, base.py edited: RSS', ...mem.map((x) => mb(x.rss))]);
  await s.stop();
}

// 2c. the shapes the incremental path declined (issue 31), generated: a django-split-settings
// include() running a 2,000-line file in the including module's namespace; a production module
// star-importing two modules, the second of which reads the first (it imports it too); a production
// module rewriting its namespace after the star import (vars().update() of a loaded dict, a loop
// over a dict, plugin hooks); and keystrokes inside the bodies of the base's functions. Each
// shape's file is typed into as in 2b (200 edits, timed to their diagnostics).
function includeShape(lines) {
  const { base } = realisticChain(lines);
  const dist = base.replace(
    'BASE_DIR = Path(__file__).resolve().parent.parent.parent',
    'BASE_DIR = Path(__file__).resolve().parent.parent',
  );
  const settings = [
    'from split_settings.tools import include, optional',
    '',
    '# generated for benchmarks: the settings live in settings.dist.py, run in this namespace',
    'include(',
    '    "settings.dist.py",',
    '    optional("local_settings.py"),',
    ')',
    '',
  ].join('\n');
  return { 'mysite/settings/settings.py': settings, 'mysite/settings/settings.dist.py': dist };
}

function readsImporterShape(lines) {
  const { base } = realisticChain(lines);
  const configured = ['import os', '', 'from .defaults import *  # noqa: F403', ''];
  for (let i = 0; i < 80; i++) configured.push(`CONFIGURED_${i} = os.environ.get("CONFIGURED_${i}", "value-${i}")`);
  configured.push('EXTERNAL_HOST = os.environ.get("EXTERNAL_HOST", "app.example.com")', '');
  const defaults = ['import os', '', 'DEBUG = False', 'REMOTE_POSTGRES_HOST = ""', 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")', ''];
  const computed = base.replace(
    'import environ\n',
    'import environ\n\nfrom .configured_settings import EXTERNAL_HOST, CONFIGURED_1, DEBUG\nfrom .configured_settings import *  # noqa: F403\n',
  );
  const settings = ['from .configured_settings import *  # noqa: F403', 'from .computed_settings import *  # noqa: F403', ''].join('\n');
  return {
    'mysite/settings/settings.py': settings,
    'mysite/settings/defaults.py': defaults.join('\n'),
    'mysite/settings/configured_settings.py': configured.join('\n'),
    'mysite/settings/computed_settings.py': computed,
  };
}

function rewritesShape(lines) {
  const { base, production } = realisticChain(lines);
  const prod = production.replace(
    'DEBUG = False\n',
    [
      'DEBUG = False',
      'import json',
      '',
      'config = {"SESSION_COOKIE_AGE": 3600, "EMAIL_HOST": "smtp.example.com", "LANGUAGE_CODE": "en-us"}',
      'vars().update(config)',
      'EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://user:password@localhost:25")',
      'vars().update(EMAIL_CONFIG)',
      'EXTRA = json.loads(os.environ.get("EXTRA_SETTINGS", \'{"CACHE_TTL": 60}\'))',
      'for key, value in EXTRA.items():',
      '    if key.startswith("CACHE_"):',
      '        globals()[key] = value',
      'OVERRIDES = {"TIME_ZONE": "UTC", "USE_TZ": True}',
      'for key, value in OVERRIDES.items():',
      '    globals()[key] = value',
      'PLUGINS = ["alpha", "beta"]',
      'for plugin in PLUGINS:',
      '    INSTALLED_APPS = INSTALLED_APPS + ["plugins." + plugin]',
      '',
    ].join('\n'),
  );
  return { 'mysite/settings/base.py': base, 'mysite/settings/production.py': prod };
}

/** Positions inside string literals of the bodies of functions (indented lines after a `def`). */
function defTargets(text) {
  const out = [];
  let inDef = false;
  let offset = 0;
  text.split('\n').forEach((l, n) => {
    if (/^def /.test(l)) inDef = true;
    else if (/^\S/.test(l)) inDef = false;
    const c = l.indexOf('"');
    if (inDef && /^\s/.test(l) && c >= 0) out.push({ line: n, character: c + 1, offset: offset + c + 1 });
    offset += l.length + 1;
  });
  return out;
}

if (section('2c')) {
  const shapes = [
    [
      'include(): typing in settings.dist.py (run by settings.py)',
      'mysite.settings.settings',
      includeShape(2000),
      'mysite/settings/settings.dist.py',
      stringTargets,
    ],
    [
      'a module reading the modules its importer imported: typing in computed_settings.py',
      'mysite.settings.settings',
      readsImporterShape(1300),
      'mysite/settings/computed_settings.py',
      stringTargets,
    ],
    [
      'production.py rewriting its namespace after the star import: typing in base.py',
      'mysite.settings.production',
      rewritesShape(5000),
      'mysite/settings/base.py',
      stringTargets,
    ],
    [
      'production.py rewriting its namespace after the star import: typing in production.py',
      'mysite.settings.production',
      rewritesShape(5000),
      'mysite/settings/production.py',
      stringTargets,
    ],
    [
      "an edit inside a def: typing in the bodies of base.py's functions",
      'mysite.settings.production',
      realisticChainFiles(5000),
      'mysite/settings/base.py',
      defTargets,
    ],
  ];
  for (const [what, module, files, typed, targetsOf] of shapes) {
    if (process.env.BENCH_SHAPE && !what.includes(process.env.BENCH_SHAPE)) continue;
    const dir = mkdtempSync(join(work, 'shape-'));
    mkdirSync(join(dir, 'mysite/settings'), { recursive: true });
    writeFileSync(join(dir, 'manage.py'), `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}")\n`);
    writeFileSync(join(dir, 'mysite/__init__.py'), '');
    writeFileSync(join(dir, 'mysite/wsgi.py'), `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}")\n`);
    writeFileSync(join(dir, 'mysite/settings/__init__.py'), '');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'requirements.txt'), 'Django==5.2.4\ndjango-environ==0.12.0\ndjango-split-settings==1.3.2\n');
    const s = await startServer(dir);
    const file = join(dir, typed);
    const text = files[typed];
    const uri = pathToFileURL(file).href;
    const opened = s.waitFor((p) => p.uri === uri && p.version === 1);
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await opened;
    const settle = Number(process.env.BENCH_SETTLE_MS ?? 0);
    if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
    const { times } = await typeInStrings(s, uri, targetsOf(text), 200 * RUNS, 1);
    row(`edit → diagnostics, ${what} (${text.split('\n').length - 1} lines)${settle > 0 ? `, ${settle} ms after opening` : ''}`, times);
    await s.stop();
  }
}

// 3. CLI vs check --deploy vs node -e 0
if (section('3')) {
  const example = join(work, 'example');
  cpSync(join(root, 'examples/mysite'), example, { recursive: true });
  // Debian's python3-django lives in /usr/bin/python3 (a python3 earlier on the PATH may lack it)
  const hasDjango = (py) => spawnSync(py, ['-c', 'import django'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
  const apt = (...args) =>
    spawnSync('apt-get', args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 300_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (!hasDjango('/usr/bin/python3') && !hasDjango('python3') && process.getuid?.() === 0) {
    console.log(
      'installing Debian python3-django (and python3-psycopg2, imported by the PostgreSQL backend of the example) for the comparison…',
    );
    if (!apt('install', '-y', '-q', 'python3-django', 'python3-psycopg2')) {
      apt('update', '-q');
      apt('install', '-y', '-q', 'python3-django', 'python3-psycopg2');
    }
  }
  const py = hasDjango('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const django = hasDjango(py);
  const time = (cmd, args, opts = {}) => {
    const t0 = performance.now();
    spawnSync(cmd, args, { stdio: 'ignore', timeout: 60_000, ...opts });
    return performance.now() - t0;
  };
  const cli = [];
  const node = [];
  const check = [];
  const n = 20 * RUNS;
  // the example's settings need psycopg2/corsheaders to import: give check --deploy stand-ins
  const stubs = join(work, 'stubs');
  mkdirSync(join(stubs, 'corsheaders'), { recursive: true });
  writeFileSync(join(stubs, 'corsheaders/__init__.py'), '');
  mkdirSync(join(stubs, 'sentry_sdk'), { recursive: true });
  writeFileSync(join(stubs, 'sentry_sdk/__init__.py'), 'def init(**kw):\n    pass\n');
  const env = { ...process.env, PYTHONPATH: stubs };
  time(process.execPath, [join(dist, 'cli.js'), example]); // the first run writes the code cache
  for (let i = 0; i < n; i++) {
    node.push(time(process.execPath, ['-e', '0']));
    cli.push(time(process.execPath, [join(dist, 'cli.js'), example]));
    if (django) check.push(time(py, ['manage.py', 'check', '--deploy'], { cwd: example, env }));
  }
  row('node -e 0 (floor)', node);
  row('django-deploy-check on the example', cli, `${ms(stats(cli).median - stats(node).median)} ms above node -e 0`);
  if (django) {
    row('python3 manage.py check --deploy on the example', check, `${(stats(check).median / stats(cli).median).toFixed(1)}× the CLI`);
  } else rows.push(['python3 manage.py check --deploy', '—', '—', '0', 'Django not installed (run as root to install python3-django)']);
}

// 4. 5,000-file workspace with 20 projects
if (section('4')) {
  const big = join(work, 'workspace');
  let files = 0;
  for (let p = 0; p < 20; p++) {
    const dir = join(big, `project${p}`);
    project(dir, settingsModule(120));
    files += 4;
    for (let a = 0; a < 10; a++) {
      const app = join(dir, `app${a}`);
      mkdirSync(join(app, 'migrations'), { recursive: true });
      for (let f = 0; f < 25 && files < 5000; f++, files++)
        writeFileSync(
          join(app, f < 5 ? `module${f}.py` : `migrations/m${f}.py`),
          `from django.db import models\n\nclass M${f}(models.Model):\n    name = models.CharField(max_length=${f + 1})\n`,
        );
    }
  }
  const times = [];
  for (let i = 0; i < 5 * RUNS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [join(dist, 'cli.js'), big, '--format', 'json'], { stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  row(`CLI on ${files} Python files in 20 projects`, times);
}

// 4m. a project with 1,000 migrations against the same project without them
if (section('4m')) {
  const git = (cwd, ...args) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd, stdio: 'ignore' });
  const migration = (app, n) => {
    const prev = n === 1 ? '' : `("${app}", "${String(n - 1).padStart(4, '0')}_step"),`;
    const ops = [
      n === 1
        ? `migrations.CreateModel(name="Thing", fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("name", models.CharField(max_length=100))])`
        : `migrations.AddField(model_name="thing", name="field_${n}", field=models.CharField(max_length=${20 + (n % 50)}, null=True, blank=True))`,
      n % 7 === 0 ? `migrations.AlterField(model_name="thing", name="field_${n - 1}", field=models.TextField(null=True, blank=True))` : '',
      n % 11 === 0 ? `migrations.RunPython(forwards, migrations.RunPython.noop)` : '',
    ].filter(Boolean);
    return [
      '# Generated by Django 4.2.11 for the benchmark',
      'from django.db import migrations, models',
      '',
      n % 11 === 0
        ? 'def forwards(apps, schema_editor):\n    Thing = apps.get_model("' + app + '", "Thing")\n    Thing.objects.update(name="x")\n\n'
        : '',
      'class Migration(migrations.Migration):',
      n === 1 ? '    initial = True\n' : '',
      `    dependencies = [${prev}]`,
      '',
      '    operations = [',
      ...ops.map((o) => `        ${o},`),
      '    ]',
      '',
    ].join('\n');
  };
  const make = (dir, migrations) => {
    project(dir, settingsModule(120));
    for (let a = 0; a < 10; a++) {
      const app = join(dir, `app${a}`);
      mkdirSync(join(app, 'migrations'), { recursive: true });
      writeFileSync(join(app, '__init__.py'), '');
      writeFileSync(
        join(app, 'models.py'),
        'from django.db import models\n\nclass Thing(models.Model):\n    name = models.CharField(max_length=100)\n',
      );
      writeFileSync(join(app, 'migrations/__init__.py'), '');
      for (let n = 1; n <= migrations / 10; n++)
        writeFileSync(join(app, `migrations/${String(n).padStart(4, '0')}_step.py`), migration(`app${a}`, n));
    }
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'history');
    if (migrations === 0) return;
    // a branch with one new migration, as a pull request has it
    git(dir, 'checkout', '-q', '-b', 'feature');
    const n = migrations / 10 + 1;
    mkdirSync(join(dir, 'app0/migrations'), { recursive: true });
    writeFileSync(join(dir, `app0/migrations/${String(n).padStart(4, '0')}_step.py`), migration('app0', n));
  };
  const without = join(work, 'migrations-none');
  const withMany = join(work, 'migrations-1000');
  make(without, 0);
  make(withMany, 1000);
  const cli = join(dist, 'cli.js');
  const time = (args) => {
    const t0 = performance.now();
    spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore', timeout: 120_000 });
    return performance.now() - t0;
  };
  const series = {
    base: [],
    check: [],
    changed: [],
    all: [],
  };
  time([without]); // code cache
  for (let i = 0; i < 10 * RUNS; i++) {
    series.base.push(time([without]));
    series.check.push(time([withMany]));
    series.changed.push(time(['migrations', withMany]));
    series.all.push(time(['migrations', withMany, '--all']));
  }
  const ratio = (xs) => `${(stats(xs).median / stats(series.base).median).toFixed(2)}× the project without migrations`;
  row('CLI check, project without migrations', series.base);
  row('CLI check, same project with 1,000 migrations', series.check, ratio(series.check));
  row('CLI migrations (change set: 1 new of 1,001)', series.changed, ratio(series.changed));
  row('CLI migrations --all (1,001 files)', series.all, ratio(series.all));
}

// 5. memory after 10 and 1,000 edits
if (section('5')) {
  const dir = join(work, 'memory');
  const text = settingsModule(1000);
  project(dir, text);
  const uri = pathToFileURL(join(dir, 'mysite/settings.py')).href;
  const s = await startServer(dir);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  await s.waitFor((p) => p.uri === uri && p.version === 1);
  let version = 1;
  const edit = async (k) => {
    for (let i = 0; i < k; i++) {
      version++;
      const at = { line: 6 + (i % 2), character: 0 };
      const done = s.waitFor((p) => p.uri === uri && p.version === version);
      await s.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line: 20, character: 1 }, end: { line: 20, character: i % 2 ? 2 : 1 } }, text: i % 2 ? '' : 'x' },
        ],
      });
      await done;
      void at;
    }
  };
  await edit(10);
  const m10 = await s.conn.sendRequest('djangoDeployHygiene/memory');
  await edit(990);
  const m1000 = await s.conn.sendRequest('djangoDeployHygiene/memory');
  // RSS first grows while V8 sizes its young generation (32 MB semi-spaces) to the edit rate; a
  // leak would keep it growing: 1,000 more edits tell the two apart
  await edit(1000);
  const m2000 = await s.conn.sendRequest('djangoDeployHygiene/memory');
  const mb = (x) => (x / 1024 / 1024).toFixed(1);
  memory.push(['JS heap after a GC', mb(m10.heapUsed), mb(m1000.heapUsed), mb(m2000.heapUsed)]);
  memory.push(['external (WASM trees, buffers)', mb(m10.external), mb(m1000.external), mb(m2000.external)]);
  memory.push(['RSS', mb(m10.rss), mb(m1000.rss), mb(m2000.rss)]);
  console.log(
    `memory: heap ${mb(m10.heapUsed)} → ${mb(m1000.heapUsed)} → ${mb(m2000.heapUsed)} MB, RSS ${mb(m10.rss)} → ${mb(m1000.rss)} → ${mb(m2000.rss)} MB`,
  );
  await s.stop();
}

rmSync(work, { recursive: true, force: true });
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
console.log(`\nMachine: ${machine}\n`);
console.log('| What | median (ms) | p95 (ms) | n | note |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('\n| Server memory (MB, 1,000-line module open) | after 10 edits | after 1,000 | after 2,000 |');
console.log('|---|---:|---:|---:|');
for (const r of memory) console.log(`| ${r.join(' | ')} |`);
// esbuild's service (used for the re-parse bundle) would keep the process alive
await esbuild.stop();
process.exit(0);
