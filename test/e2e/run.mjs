#!/usr/bin/env node
// End-to-end tests of the packaged extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3)
// driven by Debian's headless Chromium through playwright-core. Started by `node scripts/test.mjs e2e`
// (after the build) or directly: `node test/e2e/run.mjs`.
//
//   1. setup.mjs: Debian packages and code-server (cached in .cache/code-server). A missing piece
//      is always a failure that names it, locally and under CI=true; nothing is ever skipped.
//   2. `npx @vscode/vsce package --no-dependencies` at the repository root (its vscode:prepublish
//      builds dist/ there; DDH_BUILD_DIR is removed from the environment), installed into a fresh
//      extensions folder with code-server's own installer.
//   3. Scenarios, one after the other. Each works on a copy of a project in a temporary folder, so
//      nothing in the repository changes. Expected diagnostics come from the CLI of the installed
//      extension (`dist/cli.js <copy> --format json`), so the tests stay true as rules are added.
//   4. Screenshots of the key states go to test/e2e/.artifacts/ (git-ignored; emptied first).
//
// Every wait is on a condition with a time limit. code-server and Chromium are ended after each
// project (also when a scenario fails or times out, on Ctrl+C and on the overall time limit), and
// the run fails if a process it started is still alive or a port it used is still taken.
//
// Environment: E2E_ONLY=a,c runs only those scenarios; E2E_KEEP=1 keeps the temporary folder
// (user data, code-server logs, project copies); E2E_TIMEOUT_MS is the overall limit (13 min).

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.join(HERE, '.artifacts');
const EXAMPLE = path.join(ROOT, 'examples', 'mysite');
const SPLIT = path.join(ROOT, 'test', 'fixtures', 'e2e', 'split');
const SOURCE = 'Django Deploy Hygiene'; // the diagnostics' source, shown in every Problems row
const RUN_DJANGO_CHECK = "Django Deploy Hygiene: Run Django's check --deploy";
const ONLY = process.env.E2E_ONLY ? new Set(process.env.E2E_ONLY.split(',').map((s) => s.trim())) : undefined;
const KEEP = process.env.E2E_KEEP === '1';
const TOTAL_TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 13 * 60_000);
const T0 = Date.now();

const log = (msg) => process.stdout.write(`[e2e ${((Date.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);

/** A failure of the environment (not of a scenario): printed as one line naming what is missing. */
class SetupError extends Error {}

let H; // the harness, imported once playwright-core is known to be there
let tmp; // the run's temporary folder

// ---- process hygiene ------------------------------------------------------------------------

/** SIGKILLs every process this run started that is still alive (code-server trees, Chromium, npx). */
function killEverything() {
  const pids = H ? H.descendantsOf(process.pid) : [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return pids;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`interrupted (${sig}): ending code-server and Chromium${tmp ? `; temporary files: ${tmp}` : ''}`);
    killEverything();
    process.exit(130);
  });
}
setTimeout(() => {
  log(`FAILED: the end-to-end tests did not finish within ${TOTAL_TIMEOUT / 1000} s; ending everything${tmp ? `; temporary files: ${tmp}` : ''}`);
  killEverything();
  process.exit(1);
}, TOTAL_TIMEOUT).unref();

/**
 * Waits until nothing listens on `port` any more (code-server's port after stop()); throws naming
 * the processes that still do. (Whether the port could be bound again is not the question: another
 * program on the machine may use the number for an outgoing connection meanwhile.)
 */
async function assertPortFreed(port) {
  const holders = await H.until(`port ${port} to be closed`, () => (H.listenersOn(port).length === 0 ? [] : null),
    { timeout: 5000, interval: 100 }).catch(() => H.listenersOn(port));
  if (holders.length) {
    throw new Error(`port ${port} is still listened on after stopping code-server: ${holders.map((h) => `${h.pid} ${h.cmd}`).join('; ')}`);
  }
}

// ---- steps before the scenarios ---------------------------------------------------------------

function runLogged(title, cmd, args, { cwd = ROOT, env = process.env, logFile } = {}) {
  return new Promise((resolve, reject) => {
    const out = logFile ? fs.openSync(logFile, 'w') : 'inherit';
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
    child.on('error', (e) => reject(new SetupError(`${title}: ${cmd}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (logFile) fs.closeSync(out);
      if (code === 0) return resolve();
      const tail = logFile ? `\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n')}` : '';
      reject(new SetupError(`${title} failed (\`${cmd} ${args.join(' ')}\` exited ${code ?? signal})${tail}`));
    });
  });
}

function checkNodeModules() {
  const req = createRequire(path.join(ROOT, 'package.json'));
  for (const [pkg, why] of [['playwright-core', 'drives Chromium'], ['@vscode/vsce', 'packages the extension']]) {
    try {
      req.resolve(`${pkg}/package.json`);
    } catch {
      throw new SetupError(`missing the devDependency ${pkg} (it ${why}): run \`npm ci\` (or \`npm install\`) in ${ROOT}`);
    }
  }
}

async function packageAndInstall() {
  const vsix = path.join(tmp, 'ddh.vsix');
  const env = { ...process.env };
  delete env.DDH_BUILD_DIR; // vscode:prepublish must build dist/ at the repository root
  const started = Date.now();
  await runLogged('packaging the extension', 'npx', ['@vscode/vsce', 'package', '--no-dependencies', '-o', vsix],
    { env, logFile: path.join(tmp, 'vsce-package.log') });
  log(`packaged ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const extensionsDir = path.join(tmp, 'extensions');
  H.installExtension(vsix, extensionsDir);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const installed = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  const cli = path.join(installed, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new SetupError(`the installed extension has no dist/cli.js (looked in ${installed})`);
  log(`installed into ${extensionsDir}`);
  return { extensionsDir, cli };
}

// ---- what the CLI expects -------------------------------------------------------------------

/** The CLI's JSON report for a project folder (the CLI shipped in the installed .vsix). */
function cliReport(cli, folder) {
  const out = execFileSync(process.execPath, [cli, folder, '--format', 'json', '--fail-on', 'never'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

const SQUIGGLE_KIND = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };
// The Problems panel does not list hints.
const PROBLEM_SEVERITY = { error: 'Error', warning: 'Warning', information: 'Info' };

const problemText = (d) => `${d.message} ${SOURCE} ${d.code} [Ln ${d.line}, Col ${d.column}]`.replace(/\s+/g, ' ').trim();

/** Problems rows the CLI report implies, by file (relative, '/'-separated): Map<file, string[]>. */
function expectedProblems(report) {
  const byFile = new Map();
  for (const d of report.diagnostics) {
    const sev = PROBLEM_SEVERITY[d.severity];
    if (!sev) continue;
    const list = byFile.get(d.file) ?? [];
    list.push(`${sev}: ${problemText(d)}`);
    byFile.set(d.file, list);
  }
  for (const list of byFile.values()) list.sort();
  return byFile;
}

/**
 * Squiggle segments the CLI report implies for one file, as VS Code draws them: one segment per
 * line of a range; segments of one kind that overlap or touch are drawn as one. An empty range is
 * widened by VS Code to the word under it and a hint is drawn as three dots, so those are `loose`:
 * only "a squiggle of that kind on that line covers that column" is checked.
 */
function expectedSquiggles(diags, text) {
  const lines = text.split(/\r?\n/);
  const maxCol = (l) => (lines[l - 1] ?? '').length + 1;
  const byKey = new Map();
  const loose = [];
  for (const d of diags) {
    const kind = SQUIGGLE_KIND[d.severity];
    let { line, column: col, endLine, endColumn: endCol } = d;
    if (kind === 'hint' || (line === endLine && endCol <= col)) {
      loose.push({ line, kind, col, code: d.code });
      continue;
    }
    if (endLine > line && endCol === 1) { // a range ending at the start of a line is drawn up to the line before
      endLine -= 1;
      endCol = maxCol(endLine);
    }
    for (let l = line; l <= endLine; l++) {
      const s = l === line ? col : 1;
      const e = Math.min(l === endLine ? endCol : maxCol(l), maxCol(l));
      if (e <= s) continue;
      const key = `${l}:${kind}`;
      byKey.set(key, [...(byKey.get(key) ?? []), { s, e, codes: [d.code] }]);
    }
  }
  const exact = [];
  for (const [key, spans] of byKey) {
    const [line, kind] = key.split(':');
    spans.sort((a, b) => a.s - b.s);
    let cur;
    for (const sp of spans) {
      if (cur && sp.s <= cur.endCol) {
        cur.endCol = Math.max(cur.endCol, sp.e);
        cur.codes.push(...sp.codes);
      } else {
        cur = { line: Number(line), kind, startCol: sp.s, endCol: sp.e, codes: [...sp.codes] };
        exact.push(cur);
      }
    }
  }
  for (const x of exact) x.codes = [...new Set(x.codes)];
  return {
    exact,
    loose,
    lines,
  };
}

/** Compares the squiggles seen in the editor with what the CLI expects; throws a readable diff. */
function assertSquiggles(relFile, seen, expected) {
  const used = new Set();
  const missing = [];
  const show = (line, s, e) => JSON.stringify((expected.lines[line - 1] ?? '').slice(s - 1, e - 1));
  for (const x of expected.exact) {
    const i = seen.findIndex((q) => q.line === x.line && q.kind === x.kind && q.startCol === x.startCol && q.endCol === x.endCol);
    if (i < 0) missing.push(`${x.kind} on line ${x.line}, columns ${x.startCol}-${x.endCol} ${show(x.line, x.startCol, x.endCol)} (${x.codes.join(', ')})`);
    else used.add(i);
  }
  for (const x of expected.loose) {
    const i = seen.findIndex((q) => q.line === x.line && q.kind === x.kind && q.startCol <= x.col && x.col <= q.endCol);
    if (i < 0) missing.push(`${x.kind} on line ${x.line} covering column ${x.col} (${x.code})`);
    else used.add(i);
  }
  const extra = seen.filter((_, i) => !used.has(i))
    .map((q) => `${q.kind} on line ${q.line}, columns ${q.startCol}-${q.endCol} ${show(q.line, q.startCol, q.endCol)}`);
  if (missing.length || extra.length) {
    assert.fail(`squiggles in ${relFile} differ from the CLI report:\n` +
      missing.map((m) => `  missing:    ${m}`).join('\n') + (missing.length && extra.length ? '\n' : '') +
      extra.map((m) => `  unexpected: ${m}`).join('\n'));
  }
}

/** Maps a Problems group ({ name, folder }) to the file's path relative to the project folder. */
function groupFile(group, projectFolder) {
  let folder = group.folder;
  if (path.isAbsolute(folder)) folder = path.relative(projectFolder, folder);
  folder = folder.split(path.sep).join('/');
  return folder && folder !== '.' ? `${folder}/${group.name}` : group.name;
}

/** Problems rows by file as VS Code shows them: Map<file, string[]> (sorted), plus the groups' own counts. */
function seenProblems(groups, projectFolder) {
  const byFile = new Map();
  const badCounts = [];
  for (const g of groups) {
    const file = groupFile(g, projectFolder);
    const rows = g.markers.map((m) => `${m.severity}: ${m.text}`).sort();
    byFile.set(file, rows);
    if (g.count !== rows.length) badCounts.push(`${file}: the group says ${g.count} problems but lists ${rows.length}`);
  }
  return { byFile, badCounts };
}

function problemsDiff(seen, expected) {
  const lines = [];
  for (const file of new Set([...expected.keys(), ...seen.byFile.keys()])) {
    const want = expected.get(file) ?? [];
    const got = [...(seen.byFile.get(file) ?? [])];
    for (const w of want) {
      const i = got.indexOf(w);
      if (i >= 0) got.splice(i, 1);
      else lines.push(`  missing in ${file}:    ${w}`);
    }
    for (const g of got) lines.push(`  unexpected in ${file}: ${g}`);
  }
  return [...lines, ...seen.badCounts.map((c) => `  ${c}`)];
}

/**
 * Waits until the Problems panel shows exactly the rows the CLI reports (every file of the project;
 * diagnostics arrive file by file), then returns them. On timeout it throws the difference.
 */
async function waitForProblemsLikeCli(page, report, projectFolder, { timeout = 45_000 } = {}) {
  const expected = expectedProblems(report);
  let diff = ['(the Problems panel was never read)'];
  try {
    return await H.until('the Problems panel to match the CLI report', async () => {
      const groups = await H.readAllProblems(page);
      const seen = seenProblems(groups, projectFolder);
      diff = problemsDiff(seen, expected);
      return diff.length === 0 ? seen : null;
    }, { timeout, interval: 250 });
  } catch (e) {
    throw new assert.AssertionError({ message: `the Problems panel does not show what the CLI reports (${e.message.split(' (last')[0]}):\n${diff.join('\n')}` });
  }
}

// ---- projects in code-server ----------------------------------------------------------------

/**
 * Copies `fixture` into the temporary folder and opens it in code-server + Chromium.
 * Returns { folder, page, workbench, server, report (the CLI's), close() }.
 */
async function openProject(env, fixture, name, { trusted = true } = {}) {
  const base = path.join(tmp, 'projects', `${name}-${Date.now().toString(36)}`);
  const folder = path.join(base, path.basename(fixture)); // keeps the folder's own name ("mysite") for the title bar
  fs.cpSync(fixture, folder, { recursive: true });
  const report = cliReport(env.cli, folder);
  const userDataDir = path.join(tmp, 'user-data', path.basename(base));
  const server = await H.startCodeServer({ folder, extensionsDir: env.extensionsDir, userDataDir, trusted });
  const project = { folder, server, report, page: undefined, workbench: undefined, closed: false };
  project.close = async () => {
    if (project.closed) return;
    project.closed = true;
    if (project.workbench?.errors.length) log(`  note: uncaught errors in the page: ${project.workbench.errors.slice(0, 3).join(' | ')}`);
    await project.workbench?.close().catch(() => {});
    await server.stop();
    await assertPortFreed(server.port);
  };
  try {
    project.workbench = await H.openWorkbench(server.url, folder);
    project.page = project.workbench.page;
  } catch (e) {
    await project.close();
    throw e;
  }
  return project;
}

const read = (project, rel) => fs.readFileSync(path.join(project.folder, rel), 'utf8');
const diagsOf = (project, rel) => project.report.diagnostics.filter((d) => d.file === rel);

/** Opens `rel`, then checks its squiggles against the CLI (scrolling through the whole file). */
async function checkFileSquiggles(project, rel) {
  const text = read(project, rel);
  const expected = expectedSquiggles(diagsOf(project, rel), text);
  const seen = await H.collectSquiggles(project.page, expected.lines.length);
  assertSquiggles(rel, seen, expected);
  return seen;
}

/** Screenshot into test/e2e/.artifacts/; the mouse is parked first unless `keepHover` (b's hover). */
async function shot(page, name, { keepHover = false } = {}) {
  if (!keepHover) await H.parkMouse(page);
  const file = await H.screenshot(page, name, ARTIFACTS);
  log(`  screenshot ${path.relative(ROOT, file)}`);
}

// ---- scenarios ------------------------------------------------------------------------------

const scenarios = [];
/** `uses` names a project session shared by consecutive scenarios (opened by the first that needs it). */
function scenario(id, title, fn, { uses, timeout = 150_000 } = {}) {
  scenarios.push({ id, title, fn, uses, timeout });
}

scenario('a', 'example project: squiggles and Problems rows of mysite/settings.py match the CLI', async (t) => {
  const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
  const rel = 'mysite/settings.py';
  const diags = diagsOf(p, rel);
  assert.ok(diags.some((d) => d.severity === 'error'), `the CLI reports no error for ${rel}; has the example changed?`);
  await H.openFile(p.page, rel);
  await H.waitForSquiggles(p.page, { kind: 'error' });
  const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
  assert.deepEqual(seen.byFile.get(rel), expectedProblems(p.report).get(rel));
  const squiggles = await checkFileSquiggles(p, rel);
  const counts = {};
  for (const d of diags) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
  const bySeverity = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  log(`  ${rel}: the CLI reports ${diags.length} (${bySeverity}); seen: ${seen.byFile.get(rel).length} Problems rows (hints are not listed), ${squiggles.length} squiggle segments`);
  await H.collapseOtherProblemGroups(p.page, 'settings.py');
  await H.focusEditor(p.page);
  await shot(p.page, 'a-example-settings-diagnostics');
  // control for scenario d: in a trusted workspace the palette offers the command that runs Django
  assert.equal(await H.commandOffered(p.page, RUN_DJANGO_CHECK), true, `a trusted workspace should offer "${RUN_DJANGO_CHECK}"`);
}, { uses: 'mysite' });

scenario('b', 'hover over the DEBUG = True squiggle shows the rule documentation', async (t) => {
  const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
  const rel = 'mysite/settings.py';
  const debug = diagsOf(p, rel).find((d) => d.code === 'DDH107');
  assert.ok(debug, `the CLI reports no DDH107 (debug-enabled) in ${rel}`);
  assert.match(read(p, rel).split('\n')[debug.line - 1], /^DEBUG = True/);
  await H.openFile(p.page, rel);
  await H.waitForSquiggles(p.page, { kind: 'error' });
  const text = await H.hoverAt(p.page, debug.line, debug.column + 1);
  for (const want of [debug.message, `${debug.code} ${debug.name}`, 'Why it matters']) {
    assert.ok(text.includes(want), `the hover should show ${JSON.stringify(want)}; it shows:\n${text}`);
  }
  await shot(p.page, 'b-hover-debug-enabled', { keepHover: true });
  await p.page.mouse.move(2, 2);
}, { uses: 'mysite' });

scenario('c', 'split settings: base.py (inherited by production.py) has squiggles, local.py none', async (t) => {
  const p = await t.project('split', () => openProject(t.env, SPLIT, 'split'));
  const base = 'mysite/settings/base.py';
  const local = 'mysite/settings/local.py';
  const production = p.report.projects[0]?.production?.module;
  assert.equal(production, 'mysite.settings.production', 'the CLI should take the production module from wsgi.py');
  for (const code of ['DDH101', 'DDH107']) {
    assert.ok(diagsOf(p, base).some((d) => d.code === code), `the CLI should report ${code} in ${base} (inherited by production.py)`);
  }
  assert.deepEqual(diagsOf(p, local), [], `the CLI should report nothing in ${local} (a development module)`);

  await H.openFile(p.page, base);
  await H.waitForSquiggles(p.page, { kind: 'error' });
  // The whole project's diagnostics are in: every file's Problems rows are those of the CLI.
  await waitForProblemsLikeCli(p.page, p.report, p.folder);
  await checkFileSquiggles(p, base);
  await H.focusEditor(p.page);
  await shot(p.page, 'c-split-base-squiggles');

  await H.openFile(p.page, local);
  // The analysis is complete (above) and opening a file does not change it: the state is final.
  const seenLocal = await checkFileSquiggles(p, local);
  assert.equal(seenLocal.length, 0);
  const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
  assert.equal(seen.byFile.has(local), false, `the Problems panel should list nothing for ${local}`);
  await H.focusEditor(p.page);
  await shot(p.page, 'c-split-local-no-squiggles');
});

scenario('d', 'restricted mode (workspace not trusted): diagnostics still appear, nothing runs', async (t) => {
  const p = await t.project('restricted', () => openProject(t.env, EXAMPLE, 'restricted', { trusted: false }));
  const rel = 'mysite/settings.py';
  await H.waitForTrustDialog(p.page);
  await H.chooseRestrictedMode(p.page);
  assert.equal(await H.isRestrictedMode(p.page), true, 'the status bar should show "Restricted Mode"');
  await H.openFile(p.page, rel);
  await H.waitForSquiggles(p.page, { kind: 'error' });
  const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
  assert.ok(seen.byFile.get(rel)?.length > 0, `the Problems panel should list ${rel}`);
  await checkFileSquiggles(p, rel);
  assert.equal(await H.commandOffered(p.page, RUN_DJANGO_CHECK), false,
    `restricted mode must not offer "${RUN_DJANGO_CHECK}" (it runs the project's Python)`);
  assert.equal(await H.isRestrictedMode(p.page), true, 'still in restricted mode');
  await H.collapseOtherProblemGroups(p.page, 'settings.py');
  await H.focusEditor(p.page);
  await shot(p.page, 'd-restricted-mode-diagnostics');
});

// TODO scenarios (features being built now; to be written when they land, not placeholders that pass):
// TODO(e2e) quick fix: on mysite/settings.py put the cursor on the SECRET_KEY squiggle, open the
//   light-bulb menu (Ctrl+.), choose the fix that reads it from the environment; assert the file's new
//   text (compare with `dist/cli.js --diff --unsafe-fixes` for that fix), that its squiggle and Problems
//   row go away, and screenshot before/after ("e-quickfix-before", "e-quickfix-after").
// TODO(e2e) checklist view: open the Django Deploy Hygiene activity-bar view; assert its groups and
//   the status of each item against `dist/cli.js checklist <copy> --format json`; click a failing item
//   and assert the editor opens the file at that line. Screenshot "f-checklist-view".
// TODO(e2e) status-bar count: the "$(shield) N failing" item shows the checklist's failing count (from
//   `dist/cli.js checklist --format json`), and changes after a fix. Screenshot "g-status-bar".
// TODO(e2e) gunicorn config: open examples/mysite/gunicorn.conf.py (and a Procfile-only project);
//   assert its squiggles and Problems rows match the CLI for that file (checkFileSquiggles and
//   waitForProblemsLikeCli already compare every file). Screenshot "h-gunicorn-squiggles".
const TODO = ['quick fix from the light bulb', 'checklist view', 'status-bar count', 'gunicorn config squiggles'];

// ---- runner ---------------------------------------------------------------------------------

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function runScenarios(env) {
  const selected = scenarios.filter((s) => !ONLY || ONLY.has(s.id));
  const open = new Map(); // session name -> project
  const results = [];
  const closeProject = async (name) => {
    const p = open.get(name);
    open.delete(name);
    await p?.close();
  };
  for (let i = 0; i < selected.length; i++) {
    const s = selected[i];
    const started = Date.now();
    log(`▶ ${s.id}: ${s.title}`);
    const used = new Set();
    const t = {
      env,
      project: async (name, opener) => {
        used.add(name);
        if (!open.has(name)) open.set(name, await opener());
        return open.get(name);
      },
    };
    let error;
    try {
      await withTimeout(s.fn(t), s.timeout, `scenario ${s.id}`);
    } catch (e) {
      error = e;
      for (const name of used) {
        const page = open.get(name)?.page;
        const file = page && await H.screenshot(page, `FAILED-${s.id}-${name}`, ARTIFACTS).catch(() => undefined);
        if (file) log(`  screenshot of the failure: ${path.relative(ROOT, file)}`);
      }
    }
    // close what no later scenario shares (and, after a failure, everything this one used)
    for (const name of used) {
      const later = selected.slice(i + 1).some((x) => x.uses === name);
      if (error || !later) {
        try {
          await closeProject(name);
        } catch (e) {
          error ??= e;
        }
      }
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (error) {
      log(`✘ ${s.id} FAILED (${secs}s): ${error.stack ?? error}`);
    } else {
      log(`✔ ${s.id} (${secs}s)`);
    }
    results.push({ id: s.id, ok: !error });
  }
  for (const name of [...open.keys()]) await closeProject(name).catch((e) => log(`closing ${name}: ${e.message}`));
  return results;
}

async function main() {
  log(`CI=${process.env.CI ?? ''}: a missing piece fails the run, it is never skipped`);
  checkNodeModules();
  await runLogged('e2e setup (node test/e2e/setup.mjs)', process.execPath, [path.join(HERE, 'setup.mjs')]);
  H = await import('./harness.mjs');
  if (!fs.existsSync(H.CHROMIUM_PATH)) throw new SetupError(`Chromium is missing at ${H.CHROMIUM_PATH} (Debian package "chromium")`);
  if (!fs.existsSync(H.CODE_SERVER_ENTRY)) throw new SetupError(`code-server is missing at ${H.CODE_SERVER_ENTRY}`);

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddh-e2e-'));
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let results = [];
  let leaked = [];
  try {
    const env = await packageAndInstall();
    results = await runScenarios(env);
  } finally {
    leaked = H.descendantsOf(process.pid);
    if (leaked.length) killEverything();
  }
  const failed = results.filter((r) => !r.ok);
  if (leaked.length) log(`FAILED: ${leaked.length} process(es) were still running after the scenarios (killed): ${leaked.join(' ')}`);
  log(`TODO, not tested yet: ${TODO.join('; ')}`);
  log(`${results.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.map((f) => f.id).join(', ')})` : ''}; ` +
    `screenshots in ${path.relative(ROOT, ARTIFACTS)}/; ${((Date.now() - T0) / 1000).toFixed(1)}s in all`);
  if (results.length === 0) throw new SetupError(`no scenario selected (E2E_ONLY=${process.env.E2E_ONLY ?? ''})`);
  const ok = failed.length === 0 && leaked.length === 0;
  if (ok && !KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  else log(`temporary files (code-server logs, user data, project copies): ${tmp}`);
  return ok;
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (e) {
  log(`FAILED: ${e instanceof SetupError ? e.message : e.stack ?? e}`);
  if (tmp) log(`temporary files: ${tmp}`);
  killEverything();
  process.exitCode = 1;
}
