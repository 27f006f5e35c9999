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
const RUN_DJANGO_CHECK_BUTTON = "Run Django's check --deploy"; // the same command as a button of the checklist's title bar
const CONTAINER_TITLE = 'Django Deploy Hygiene'; // the activity-bar icon (package.json viewsContainers)
const CHECKLIST_VIEW = 'Production Checklist'; // its tree view
const FIX_TITLE = 'Set DEBUG = False'; // DDH107's fix in the production module itself
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
  // an extension's status-bar item has the DOM id "<publisher>.<name>.<item id>" (see client/src/extension.ts)
  return { extensionsDir, cli, statusBarId: `${pkg.publisher}.${pkg.name}.djangoDeployHygiene.status` };
}

// ---- what the CLI expects -------------------------------------------------------------------

/** The CLI's JSON report for a project folder (the CLI shipped in the installed .vsix). */
function cliReport(cli, folder) {
  const out = execFileSync(process.execPath, [cli, folder, '--format', 'json', '--fail-on', 'never'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

/** The CLI's production checklist of a project folder (one project expected): the checklist object. */
function cliChecklist(cli, folder) {
  const out = execFileSync(process.execPath, [cli, 'checklist', folder, '--format', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const { checklists } = JSON.parse(out);
  assert.equal(checklists.length, 1, `the CLI should find one Django project in ${folder}`);
  return checklists[0];
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
    throw new assert.AssertionError({ message: `the Problems panel does not show what the CLI reports (${e.message}):\n${diff.join('\n')}` });
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

// ---- the checklist view and the status bar, as the CLI's checklist implies them ---------------

// how client/src/checklistView.ts shows a status: the word read out, the codicon
const STATUS_WORD = { failing: 'failing', attention: 'needs attention', unknown: 'unknown', passed: 'passed', manual: 'to check by hand' };
const STATUS_ICON = { failing: 'error', attention: 'warning', unknown: 'question', passed: 'pass', manual: 'circle-large-outline' };
const RANK = ['failing', 'attention', 'unknown', 'manual', 'passed'];

/** A tree row as one comparable line: indentation by level, [icon], ▾/▸ when it can expand, accessible label. */
function showTreeRow(r) {
  const twistie = r.expanded === true ? ' ▾' : r.expanded === false ? ' ▸' : '';
  return `${'  '.repeat(Math.max(0, r.level - 1))}[${r.icon ?? ''}]${twistie} ${r.label}`;
}

/**
 * The rows the checklist view shows for the CLI's checklist before anything is clicked: the
 * production module, the Django version, then each group (expanded unless all its items passed)
 * with its items (collapsed when they have findings under them).
 */
function expectedChecklistRows(c) {
  assert.ok(c.production, 'the CLI checklist should name a production settings module');
  const v = c.djangoVersion;
  const rows = [
    { level: 1, icon: 'settings-gear', label: `Production settings: ${c.production.module}` },
    { level: 1, icon: v.assumed ? 'question' : 'versions', label: `Django ${v.version}: ${v.assumed ? 'assumed (no dependency file names it)' : v.source}` },
  ];
  for (const g of c.groups) {
    const statuses = g.items.map((i) => i.status);
    const worst = RANK.find((r) => statuses.includes(r)) ?? 'passed';
    const n = (st) => statuses.filter((x) => x === st).length;
    const description = [n('failing') && `${n('failing')} failing`, n('attention') && `${n('attention')} to review`,
      `${n('passed')}/${statuses.length} passed`].filter(Boolean).join(' · ');
    const expanded = worst !== 'passed';
    rows.push({ level: 1, icon: STATUS_ICON[worst], expanded, label: `${g.title} ${description}` });
    if (!expanded) continue;
    for (const i of g.items) {
      const label = i.manual ? `${i.title}: ${STATUS_WORD.manual}`
        : `${i.title}: ${STATUS_WORD[i.status]}${i.status === 'passed' ? '' : `, ${i.description}`}`;
      rows.push({ level: 2, icon: STATUS_ICON[i.status], expanded: i.entries.length ? false : undefined, label });
    }
  }
  return rows.map(showTreeRow);
}

/** The one-line summary above the tree, e.g. "12 failing · 6 to review · 8 unknown · 3 passed". */
function checklistSummary(c) {
  const k = c.counts;
  return [k.failing && `${k.failing} failing`, k.attention && `${k.attention} to review`, k.unknown && `${k.unknown} unknown`, `${k.passed} passed`]
    .filter(Boolean).join(' · ');
}

/** Waits until the extension's status-bar item shows "N failing" (and says so to a screen reader). */
async function waitForStatusBarCount(page, item, failing) {
  const want = `${failing} failing`;
  const spoken = `${failing} production checklist item${failing === 1 ? '' : 's'} failing`;
  let seen = '';
  await H.until(`the status bar to show "${want}"`, async () => {
    seen = `${(await item.innerText({ timeout: 1000 })).trim()} | ${await item.getAttribute('aria-label')}`;
    return seen.startsWith(`${want} |`) && seen.endsWith(`| ${spoken}`);
  }, { timeout: 20_000 }).catch(() => assert.fail(`the status-bar item should show "${want}" (read as "${spoken}"); it shows: ${seen || '(nothing)'}`));
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
  // the Django check it mirrors is named once: in the heading, or in the paragraph under it, not both
  if (debug.django) {
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    const head = lines.findIndex((l) => l.startsWith(`${debug.code} ${debug.name}`));
    const twice = head >= 0 && lines[head].includes(debug.django) && lines[head + 1]?.includes(debug.django);
    assert.ok(!twice, `the hover names ${debug.django} in its heading and again right under it:\n${lines.slice(head, head + 2).join('\n')}`);
  }
  await shot(p.page, 'b-hover-debug-enabled', { keepHover: true });
  await p.page.mouse.move(2, 2);
}, { uses: 'mysite' });

scenario('c', 'gunicorn config: squiggles and Problems rows of gunicorn.conf.py match the CLI; DDG101 on "timout"', async (t) => {
  const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
  const rel = 'gunicorn.conf.py';
  const lines = read(p, rel).split('\n');
  // a known finding, asserted by code: the misspelt setting `timout = 120` (gunicorn ignores it)
  const typoLine = lines.findIndex((l) => /^timout\s*=/.test(l)) + 1;
  assert.ok(typoLine > 0, `${rel} should contain "timout = ..." (the example's misspelt setting)`);
  const typo = diagsOf(p, rel).find((d) => d.code === 'DDG101' && d.line === typoLine);
  assert.ok(typo, `the CLI should report DDG101 (unknown-gunicorn-setting) on line ${typoLine} of ${rel}`);
  assert.deepEqual([typo.column, typo.endLine, typo.endColumn], [1, typoLine, 7], 'DDG101 should cover the name "timout"');

  await H.openFile(p.page, rel);
  await H.waitForSquiggles(p.page, { kind: 'error' });
  const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
  assert.ok(seen.byFile.get(rel)?.some((r) => r.includes('DDG101') && r.includes(`[Ln ${typoLine}, Col 1]`)),
    `the Problems panel should list DDG101 at line ${typoLine} of ${rel}`);
  const squiggles = await checkFileSquiggles(p, rel);
  assert.ok(squiggles.some((q) => q.line === typoLine && q.kind === 'error' && q.startCol === 1 && q.endCol === 7),
    `an error squiggle should underline "timout" on line ${typoLine}`);
  await H.collapseOtherProblemGroups(p.page, rel);
  await H.focusEditor(p.page);
  const hover = await H.hoverAt(p.page, typoLine, 3);
  for (const want of [typo.message, `DDG101 ${typo.name}`]) {
    assert.ok(hover.includes(want), `the hover over "timout" should show ${JSON.stringify(want)}; it shows:\n${hover}`);
  }
  await shot(p.page, 'c-gunicorn-squiggles', { keepHover: true });
  await p.page.mouse.move(2, 2);
}, { uses: 'mysite' });

scenario('d', 'status bar: the item shows the CLI checklist\'s failing count; clicking it opens the checklist', async (t) => {
  const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
  const checklist = cliChecklist(t.env.cli, p.folder);
  const failing = checklist.counts.failing;
  assert.ok(failing > 0, 'the example project should have failing checklist items');
  const item = H.statusBarItem(p.page, t.env.statusBarId);
  await waitForStatusBarCount(p.page, item, failing);
  // its tooltip says what is counted; the screenshot shows it
  await item.hover();
  const tip = await H.until('the status-bar tooltip', async () => {
    const t = (await p.page.locator('.workbench-hover, .monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).first().innerText({ timeout: 500 })).trim();
    return t || null;
  }, { timeout: 10_000 });
  assert.match(tip, new RegExp(`${failing} production checklist items? failing`), 'the status-bar tooltip explains the count');
  await shot(p.page, 'd-status-bar-count', { keepHover: true });
  await item.click();
  await H.until('the checklist view to open', () => H.sideBarTree(p.page, CHECKLIST_VIEW).isVisible());
}, { uses: 'mysite' });

scenario('e', 'checklist view: groups and statuses are the CLI checklist\'s; a finding opens its file at its line', async (t) => {
  const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
  const checklist = cliChecklist(t.env.cli, p.folder);
  assert.ok(checklist.groups.some((g) => g.title === 'Settings & secrets'), 'the CLI checklist should have the group "Settings & secrets"');
  await H.openFile(p.page, 'gunicorn.conf.py'); // an editor to move the focus to, whichever scenarios ran before
  await H.openViewContainer(p.page, CONTAINER_TITLE);
  const defaultWidth = (await p.page.locator('.part.sidebar').boundingBox()).width;
  await H.resizeSideBar(p.page, 560); // the default width cuts most item titles off in the screenshot
  const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
  const want = expectedChecklistRows(checklist);
  let got = [];
  try {
    await H.until('the checklist view to show the CLI checklist', async () => {
      got = (await H.readAllListRows(p.page, tree)).map(showTreeRow);
      return JSON.stringify(got) === JSON.stringify(want);
    }, { timeout: 30_000, interval: 250 });
  } catch {
    assert.deepEqual(got, want, 'the checklist view (level, icon, expanded, accessible label) should show the CLI checklist');
  }
  // control for scenario h: a trusted workspace shows the button that runs Django
  const buttons = await H.sideBarTitleActions(p.page);
  assert.ok(buttons.some((b) => b.startsWith(RUN_DJANGO_CHECK_BUTTON)), `the checklist's title bar should offer "${RUN_DJANGO_CHECK_BUTTON}"; it has: ${buttons.join(' | ')}`);
  const summary = (await p.page.locator('.part.sidebar .pane-body .message').first().innerText()).trim();
  assert.equal(summary, checklistSummary(checklist), 'the message above the tree summarises the statuses');
  await H.focusEditor(p.page); // the tree's focus frame is not part of what it shows
  await shot(p.page, 'e-checklist-view');

  // a finding far down the settings file: EMAIL_BACKEND's console backend (DDH803)
  const itemWith = (code) => checklist.groups.flatMap((g) => g.items).find((i) => i.entries.some((e) => e.code === code));
  const item = itemWith('DDH803');
  assert.ok(item, 'the CLI checklist should list DDH803 (console e-mail backend) under an item');
  const entry = item.entries.find((e) => e.code === 'DDH803');
  const diag = p.report.diagnostics.find((d) => d.code === 'DDH803' && d.file === entry.loc.file && d.line === entry.loc.line);
  assert.ok(diag, `the CLI report should have DDH803 at ${entry.loc.file}:${entry.loc.line}`);
  const itemRow = await H.revealListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith(`${item.title}:`), `the item "${item.title}"`);
  await itemRow.locator('.monaco-tl-twistie').click();
  await H.until(`the item "${item.title}" to expand`, async () => (await itemRow.getAttribute('aria-expanded')) === 'true');
  const entryRow = await H.revealListRow(p.page, tree, (r) => r.level === 3 && r.label.startsWith(entry.label), `the finding "${entry.label}"`);
  assert.match(await entryRow.innerText(), new RegExp(`${entry.loc.file.replace(/[.]/g, '\\.')}:${entry.loc.line}\\b`),
    'the finding row names its file and line');
  await entryRow.click();
  const name = path.basename(entry.loc.file);
  await p.page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor({ state: 'visible' });
  // the finding's range is selected: the cursor at its end, the count of selected characters
  const selected = diag.endLine === diag.line ? ` (${diag.endColumn - diag.column} selected)` : '';
  await H.until(`the editor to select line ${diag.line}`, async () => (await H.cursorPosition(p.page)) === `Ln ${diag.endLine}, Col ${diag.endColumn}${selected}`,
    { timeout: 10_000 }).catch(async () => assert.fail(`after the click the status bar shows "${await H.cursorPosition(p.page)}", not the finding's range (Ln ${diag.line}, Col ${diag.column} to Ln ${diag.endLine}, Col ${diag.endColumn})`));
  assert.ok(await H.activeEditor(p.page).locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${diag.line}\\s*$`) }).isVisible(),
    `line ${diag.line} should be on screen`);
  await shot(p.page, 'e-checklist-opened-at-line');
  await H.resizeSideBar(p.page, defaultWidth);
}, { uses: 'mysite' });

scenario('f', 'quick fix from the light bulb: "Set DEBUG = False" rewrites the line; its squiggle, Problems row and checklist failure go', async (t) => {
  const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
  const rel = 'mysite/settings.py';
  const before = read(p, rel);
  const debug = diagsOf(p, rel).find((d) => d.code === 'DDH107');
  assert.ok(debug, `the CLI reports no DDH107 (debug-enabled) in ${rel}`);
  const lines = before.split('\n');
  assert.equal(lines[debug.line - 1], 'DEBUG = True');
  const failingBefore = cliChecklist(t.env.cli, p.folder).counts.failing;

  await H.openViewContainer(p.page, 'Explorer');
  await H.openFile(p.page, rel);
  await H.waitForSquiggles(p.page, { kind: 'error' });
  assert.ok((await H.squigglesOnLine(p.page, debug.line)).some((q) => q.kind === 'error'), `line ${debug.line} should have an error squiggle`);
  await H.revealLine(p.page, 1); // the file's top, with the comment above DEBUG, whatever showed before
  const titles = await H.openLightBulbMenu(p.page, debug.line, debug.column + 1);
  assert.ok(titles.includes(FIX_TITLE), `the light-bulb menu should offer "${FIX_TITLE}"; it offers: ${titles.join(' | ')}`);
  assert.ok(titles.includes(`Disable ${debug.code} for this line`), `the menu should offer to disable ${debug.code} for the line; it offers: ${titles.join(' | ')}`);
  await shot(p.page, 'f-quickfix-before');
  await H.chooseCodeAction(p.page, FIX_TITLE);

  // the edit is applied to the open document; the server re-analyses it before it is saved
  await H.until(`the squiggle on line ${debug.line} to go away`, async () => (await H.squigglesOnLine(p.page, debug.line)).length === 0, { timeout: 20_000 });
  await H.saveActiveEditor(p.page);
  const expected = [...lines.slice(0, debug.line - 1), 'DEBUG = False', ...lines.slice(debug.line)].join('\n');
  assert.equal(read(p, rel), expected, `the fix should change line ${debug.line} to "DEBUG = False" and nothing else`);

  // everything now agrees with the CLI run on the fixed file
  p.report = cliReport(t.env.cli, p.folder);
  assert.ok(!p.report.diagnostics.some((d) => d.code === 'DDH107'), 'the CLI should no longer report DDH107');
  const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
  assert.ok(!seen.byFile.get(rel)?.some((r) => r.includes('DDH107')), 'the Problems panel should no longer list DDH107');
  await checkFileSquiggles(p, rel);
  const after = cliChecklist(t.env.cli, p.folder);
  assert.equal(after.groups.flatMap((g) => g.items).find((i) => i.id === 'debug-off')?.status, 'passed', 'the checklist item "DEBUG is off in production" should pass');
  assert.equal(after.counts.failing, failingBefore - 1);
  await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), after.counts.failing);
  await H.collapseOtherProblemGroups(p.page, 'settings.py');
  await H.clickAt(p.page, debug.line, debug.column);
  await shot(p.page, 'f-quickfix-after');
}, { uses: 'mysite' });

scenario('g', 'split settings: base.py (inherited by production.py) has squiggles, local.py and test.py none', async (t) => {
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
  await H.clearProblemsSelection(p.page);
  await shot(p.page, 'g-split-base-squiggles');

  await H.openFile(p.page, local);
  // The analysis is complete (above) and opening a file does not change it: the state is final.
  const seenLocal = await checkFileSquiggles(p, local);
  assert.equal(seenLocal.length, 0);
  const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
  assert.equal(seen.byFile.has(local), false, `the Problems panel should list nothing for ${local}`);
  await H.clearProblemsSelection(p.page);
  await shot(p.page, 'g-split-local-no-squiggles');

  // a test settings module (named by no entry point) is not production either
  const test = 'mysite/settings/test.py';
  assert.deepEqual(diagsOf(p, test), [], `the CLI should report nothing in ${test} (a test module)`);
  await H.openFile(p.page, test);
  assert.equal((await checkFileSquiggles(p, test)).length, 0);
  assert.equal(seen.byFile.has(test), false, `the Problems panel should list nothing for ${test}`);
});

scenario('h', 'restricted mode (workspace not trusted): diagnostics still appear, nothing runs', async (t) => {
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
  await H.openViewContainer(p.page, CONTAINER_TITLE);
  const buttons = await H.sideBarTitleActions(p.page);
  assert.ok(buttons.some((b) => b.startsWith('Refresh Checklist')), `the checklist's title bar should be shown; it has: ${buttons.join(' | ')}`);
  assert.ok(!buttons.some((b) => b.startsWith(RUN_DJANGO_CHECK_BUTTON)), `restricted mode must not show "${RUN_DJANGO_CHECK_BUTTON}" in the checklist's title bar`);
  await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), cliChecklist(t.env.cli, p.folder).counts.failing);
  await H.openViewContainer(p.page, 'Explorer');
  assert.equal(await H.isRestrictedMode(p.page), true, 'still in restricted mode');
  await H.collapseOtherProblemGroups(p.page, 'settings.py');
  await H.focusEditor(p.page);
  await shot(p.page, 'h-restricted-mode-diagnostics');
});

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
