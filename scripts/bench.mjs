// npm run bench: the performance figures of BENCHMARKS.md, as a table of medians and p95s.
//   1. server cold start to first diagnostics (example project)
//   2. edit-to-diagnostics latency over 200 single-character edits on ~100, ~1,000 and ~4,000-line
//      settings modules, with the re-parse alone (ours, and tree-sitter's own incremental parse)
//   3. the CLI on the example project, against `python3 manage.py check --deploy` (Debian's
//      python3-django, installed when missing and running as root) and a bare `node -e 0`,
//      timed alternately in the same run and reported as ratios
//   4. the CLI on a synthetic workspace of 5,000 Python files with 20 Django projects
//   5. the server's heap and RSS after 1,000 edits against after 10
// It is a script, not a test: it asserts nothing, it measures. BENCH_RUNS scales the repetitions.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = process.env.DDH_BUILD_DIR || root;
const dist = join(buildDir, 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const work = mkdtempSync(join(tmpdir(), 'ddh-bench-'));
const require = createRequire(import.meta.url);
const rows = [];
const memory = [];

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), n: s.length };
}
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
function row(what, xs, note = '') {
  const s = stats(xs);
  rows.push([what, ms(s.median), ms(s.p95), String(s.n), note]);
  console.log(`${what}: median ${ms(s.median)} ms, p95 ${ms(s.p95)} ms (n=${s.n}) ${note}`);
}

if (!existsSync(join(dist, 'server.js'))) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

// ---- synthetic settings modules --------------------------------------------------------------
function settingsModule(lines) {
  const out = ['"""Generated settings module for benchmarks."""', 'import os', 'from pathlib import Path', '', 'BASE_DIR = Path(__file__).resolve().parent.parent', 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', 'DEBUG = True', 'ALLOWED_HOSTS = ["example.com"]', ''];
  let i = 0;
  while (out.length < lines) {
    i++;
    switch (i % 8) {
      case 0: out.push(`# Section ${i}`, `SETTING_${i} = os.environ.get("VAR_${i}", "default-${i}")`, ''); break;
      case 1: out.push(`LIST_${i} = [`, `    "app${i}.one",`, `    "app${i}.two",`, ']'); break;
      case 2: out.push(`DICT_${i} = {`, '    "ENGINE": "django.db.backends.postgresql",', `    "NAME": "db${i}",`, '}'); break;
      case 3: out.push('if not DEBUG:', `    FLAG_${i} = True`); break;
      case 4: out.push(`PATH_${i} = BASE_DIR / "static" / "p${i}"`); break;
      case 5: out.push(`TIMEOUT_${i} = 60 * 60 * ${i % 24}`); break;
      case 6: out.push(`NAME_${i} = "value-${i}"  # a trailing comment`); break;
      default: out.push(`ENABLED_${i} = False`, '');
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

// ---- an LSP client over stdio -------------------------------------------------------------------
const rpc = require('vscode-languageserver-protocol/node');
async function startServer(folder, env = {}) {
  // the options the client starts the server with (SERVER_EXEC_ARGV in client/src/extension.ts)
  const proc = spawn(process.execPath, ['--max-semi-space-size=32', '--expose-gc', join(dist, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const waiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (const w of [...waiters]) if (w.test(p)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(performance.now());
    }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const waitFor = (test) => new Promise((resolve) => waiters.push({ test, resolve }));
  const uri = pathToFileURL(folder).href;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'bench' }], capabilities: { workspace: { configuration: true } } });
  await conn.sendNotification('initialized', {});
  return { proc, conn, waitFor, stop: () => { conn.dispose(); proc.kill(); } };
}

// 1. cold start: a new server process until its first diagnostics, with the V8 code cache the
// launcher keeps (as every start after the first), and without it (the very first start)
{
  // one start that lives past its first analysis, which is when the server saves the cache
  const warm = await startServer(join(root, 'examples/mysite'));
  await warm.waitFor((p) => p.diagnostics.length > 0);
  await warm.conn.sendRequest('djangoDeployHygiene/memory');
  await new Promise((r) => setTimeout(r, 300));
  warm.stop();
  for (const [what, env] of [['with the code cache', {}], ['first start, no code cache', { DDH_NO_CODE_CACHE: '1' }]]) {
    const times = [];
    for (let i = 0; i < 10 * RUNS; i++) {
      const t0 = performance.now();
      const s = await startServer(join(root, 'examples/mysite'), env);
      const t1 = await s.waitFor((p) => p.diagnostics.length > 0);
      times.push(t1 - t0);
      s.stop();
    }
    row(`server cold start → first diagnostics (example), ${what}`, times, 'process start included');
  }
}

// 2. edit → diagnostics
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
  const lineTexts = text.split('\n');
  const targets = [];
  lineTexts.forEach((l, n) => { const c = l.indexOf('"'); if (c >= 0) targets.push({ line: n, character: c + 1 }); });
  const times = [];
  let version = 1;
  for (let i = 0; i < 200; i++) {
    const at = targets[(i * 37) % targets.length];
    version++;
    const insert = i % 2 === 0;
    const range = insert ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
    const t0 = performance.now();
    const done = s.waitFor((p) => p.uri === uri && p.version === version);
    await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
    times.push((await done) - t0);
  }
  row(`edit → diagnostics, ${lines}-line module (200 edits)`, times);
  s.stop();
}

// the re-parse alone, in process: ours against tree-sitter's incremental parse
{
  const tmp = join(work, 'parse-bench.cjs');
  await esbuild.build({
    stdin: { contents: `export { PythonDocument } from './server/src/analysis/parse/pythonDocument'; export { loadParser, parser } from './server/src/analysis/parse/treeSitter';`, resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', outfile: tmp, logLevel: 'error',
    alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
    define: { 'import.meta.url': '"file:///"' },
  });
  cpSync(join(dist, 'tree-sitter-python.wasm'), join(work, 'tree-sitter-python.wasm'));
  cpSync(join(dist, 'web-tree-sitter.wasm'), join(work, 'web-tree-sitter.wasm'));
  const m = require(tmp);
  await m.loadParser();
  for (const lines of [1000, 4000]) {
    const text = settingsModule(lines);
    const doc = m.PythonDocument.parse(text, { incremental: true });
    const ours = [];
    const theirs = [];
    let tree = m.parser().parse(text);
    let cur = text;
    // typing inside string literals: insert a character after an opening quote, delete it next time
    const openings = [];
    for (let k = cur.indexOf('"value-'); k >= 0; k = cur.indexOf('"value-', k + 1)) openings.push(k + 1);
    for (let i = 0; i < 200; i++) {
      const insert = i % 2 === 0;
      const at = openings[Math.floor(i / 2) * 7 % openings.length] + (cur.length - text.length) * 0;
      const t0 = performance.now();
      doc.applyEdit(at, insert ? at : at + 1, insert ? 'x' : '');
      ours.push(performance.now() - t0);
      // tree-sitter alone
      const before = cur.slice(0, at);
      const row_ = before.split('\n').length - 1;
      const col = at - before.lastIndexOf('\n') - 1;
      cur = before + (insert ? 'x' : '') + cur.slice(insert ? at : at + 1);
      const t1 = performance.now();
      tree.edit(insert
        ? { startIndex: at, oldEndIndex: at, newEndIndex: at + 1, startPosition: { row: row_, column: col }, oldEndPosition: { row: row_, column: col }, newEndPosition: { row: row_, column: col + 1 } }
        : { startIndex: at, oldEndIndex: at + 1, newEndIndex: at, startPosition: { row: row_, column: col }, oldEndPosition: { row: row_, column: col + 1 }, newEndPosition: { row: row_, column: col } });
      const next = m.parser().parse(cur, tree);
      theirs.push(performance.now() - t1);
      tree.delete();
      tree = next;
    }
    tree.delete();
    if (doc.text !== cur) throw new Error('bench: documents diverged');
    doc.dispose();
    row(`re-parse after a keystroke, ${lines} lines: statement-level (ours)`, ours);
    row(`re-parse after a keystroke, ${lines} lines: tree-sitter incremental`, theirs);
  }
}

// 3. CLI vs check --deploy vs node -e 0
{
  const example = join(work, 'example');
  cpSync(join(root, 'examples/mysite'), example, { recursive: true });
  // Debian's python3-django lives in /usr/bin/python3 (a python3 earlier on the PATH may lack it)
  const hasDjango = (py) => spawnSync(py, ['-c', 'import django'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
  const apt = (...args) => spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!hasDjango('/usr/bin/python3') && !hasDjango('python3') && process.getuid?.() === 0) {
    console.log('installing Debian python3-django (and python3-psycopg2, imported by the PostgreSQL backend of the example) for the comparison…');
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
{
  const big = join(work, 'workspace');
  let files = 0;
  for (let p = 0; p < 20; p++) {
    const dir = join(big, `project${p}`);
    project(dir, settingsModule(120));
    files += 4;
    for (let a = 0; a < 10; a++) {
      const app = join(dir, `app${a}`);
      mkdirSync(join(app, 'migrations'), { recursive: true });
      for (let f = 0; f < 25 && files < 5000; f++, files++) writeFileSync(join(app, f < 5 ? `module${f}.py` : `migrations/m${f}.py`), `from django.db import models\n\nclass M${f}(models.Model):\n    name = models.CharField(max_length=${f + 1})\n`);
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

// 5. memory after 10 and 1,000 edits
{
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
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: 20, character: 1 }, end: { line: 20, character: i % 2 ? 2 : 1 } }, text: i % 2 ? '' : 'x' }] });
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
  console.log(`memory: heap ${mb(m10.heapUsed)} → ${mb(m1000.heapUsed)} → ${mb(m2000.heapUsed)} MB, RSS ${mb(m10.rss)} → ${mb(m1000.rss)} → ${mb(m2000.rss)} MB`);
  s.stop();
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
