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
// (user data, code-server logs, project copies); E2E_TIMEOUT_MS is the overall limit (13 min);
// E2E_VSIX=path tests that .vsix instead of packaging this repository.

import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFramed, writeLegalAid, writePebbles } from './repos.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.join(HERE, '.artifacts');
const EXAMPLE = path.join(ROOT, 'examples', 'mysite');
const SPLIT = path.join(ROOT, 'test', 'fixtures', 'e2e', 'split');
const CLEAN = path.join(ROOT, 'test', 'fixtures', 'e2e', 'clean'); // a project whose CLI run finds no errors (the pre-commit hook lets it through)
const MIGRATIONS = path.join(ROOT, 'test', 'fixtures', 'e2e', 'migrations'); // PostgreSQL settings without errors, an orders app with two migrations
const SOURCE = 'Django Deploy Hygiene'; // the diagnostics' source, shown in every Problems row
const RUN_DJANGO_CHECK = "Django Deploy Hygiene: Run Django's check --deploy";
const RUN_DJANGO_CHECK_BUTTON = "Run Django's check --deploy"; // the same command as a button of the checklist's title bar
const CONTAINER_TITLE = 'Django Deploy Hygiene'; // the activity-bar icon (package.json viewsContainers)
const CHECKLIST_VIEW = 'Production Checklist'; // its tree view
const FIX_TITLE = 'Set DEBUG = False'; // DDH107's fix in the production module itself
// the commands of the checklist's "…" menu, by their titles there and in the palette (with the category)
const CATEGORY = 'Django Deploy Hygiene';
const OPEN_PRODUCTION_TITLE = 'Open the Production Settings Module';
const CHOOSE_PRODUCTION_TITLE = 'Choose the Production Settings Module';
const COPY_MARKDOWN_TITLE = 'Copy Checklist as Markdown';
const INSTALL_HOOK_TITLE = 'Install Git Pre-commit Hook';
const OPEN_PRODUCTION = `${CATEGORY}: ${OPEN_PRODUCTION_TITLE}`;
const CHOOSE_PRODUCTION = `${CATEGORY}: ${CHOOSE_PRODUCTION_TITLE}`;
const INSTALL_HOOK = `${CATEGORY}: ${INSTALL_HOOK_TITLE}`;
const HOOK_MARKER = '# installed by Django Deploy Hygiene'; // the hook's marker line (client/src/preCommit.ts)
// a keyboard shortcut of the user's own for the command (keybindings.json): no `when` clause hides it
const RUN_DJANGO_CHECK_KEY = { key: 'ctrl+alt+shift+d', press: 'Control+Alt+Shift+D' };
// the inline actions of a manual checklist item: one per state ("Mark as Done", "Mark as Not Done"),
// or the one toggle of an older manifest ("Mark as Done / Not Done"), whose title starts like the first
const MARK_DONE = 'Mark as Done';
const MARK_NOT_DONE = ['Mark as Not Done', 'Mark as Done / Not Done'];
const RESTART_WARNING = 'Django Deploy Hygiene: the language server stopped unexpectedly and was restarted.';
const ONLY = process.env.E2E_ONLY ? new Set(process.env.E2E_ONLY.split(',').map((s) => s.trim())) : undefined;
const KEEP = process.env.E2E_KEEP === '1';
const TOTAL_TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 13 * 60_000);
const T0 = Date.now();

/** @param {string} msg */
const log = (msg) => process.stdout.write(`[e2e ${((Date.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);

/** A failure of the environment (not of a scenario): printed as one line naming what is missing. */
class SetupError extends Error {}

/** @type {typeof import('./harness.mjs')} */
let H; // the harness, imported once playwright-core is known to be there
let tmp = ''; // the run's temporary folder ('' until main() makes it)

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
// The CLI's JSON output as these tests read it (server/src/cli/main.ts writes it; the tests run the
// CLI of the installed .vsix as a program, so its output is a contract, not an import)
/**
 * @typedef {{ file: string, line: number, column: number, endLine: number, endColumn: number, code: string,
 *   severity: 'error' | 'warning' | 'information' | 'hint', message: string, django: string | null, name: string,
 *   project: string, docs: string }} CliDiagnostic
 */
/**
 * @typedef {{ root: string, production: { module: string, file: string, reason: string } | null,
 *   noProductionReason: string | null, djangoVersion: { version: string, source: string, assumed: boolean },
 *   suppressed: number }} CliProject
 */
/** @typedef {{ version: string, diagnostics: CliDiagnostic[], projects: CliProject[] }} CliReport */
/** @typedef {'failing' | 'attention' | 'unknown' | 'passed' | 'manual'} ItemStatus */
/** @typedef {{ file: string, line: number, column: number }} CliLoc */
/**
 * @typedef {{ label: string, loc: CliLoc | null, code?: string, severity?: string,
 *   follows?: { code: string, loc: CliLoc | null }, related?: { label: string, loc: CliLoc | null }[] }} ChecklistEntry
 */
/**
 * @typedef {{ id: string, group: string, title: string, status: ItemStatus, description: string, detail: string,
 *   entries: ChecklistEntry[], manual: boolean, rules: string[], django: string[], notApplicable?: string, explained?: boolean }} ChecklistItem
 */
/**
 * The project summary of a checklist (what the CLI prints above its findings).
 * @typedef {{ production?: { module: string, file: string, evidence: string },
 *   environment: { name: string, value: string, evidence: string }[],
 *   versions: { name: string, version: string, source: string, assumed: boolean }[],
 *   repositoryRoot?: string, unread: string[],
 *   deployment?: { files: string[], variables: { name: string, evidence: string, known: boolean }[], ignored: number } }} ChecklistSummary
 */
/** @typedef {{ state: 'yes' | 'no' | 'unknown', text: string }} HopDoes */
/**
 * The request path (models/requestPath/view.ts): each deployment's hops and what each does.
 * @typedef {{ deployments: { label: string, file: string, hops: { label: string, file: string, presumed?: string, tls: HopDoes,
 *   does: { 'https-redirect': HopDoes, hsts: HopDoes, 'access-log': HopDoes } }[] }[],
 *   proxy: { 'https-redirect': string, hsts: string, 'access-log': string } }} RequestPath
 */
/**
 * A project's checklist (`checklist --format json`).
 * @typedef {{ root: string, name: string, production: { module: string, file: string, reason: string } | null,
 *   noProductionReason?: string, djangoVersion: { version: string, source: string, assumed: boolean },
 *   settingsModules: { name: string, file: string, production?: boolean, why?: string }[], summary: ChecklistSummary,
 *   groups: { id: string, title: string, items: ChecklistItem[] }[],
 *   counts: Record<ItemStatus, number>, requestPath?: RequestPath }} Checklist
 */
/** @typedef {Awaited<ReturnType<typeof packageAndInstall>>} Env */
/** @typedef {{ wrapper: string, stubs: string, logFile: string }} DjangoPython */
/** @typedef {{ line: number, kind: string, startCol: number, endCol: number }} Squiggle */
/**
 * A project open in code-server and Chromium (see openInCodeServer).
 * @typedef {{ folder: string, server: Awaited<ReturnType<typeof import('./harness.mjs').startCodeServer>>, report: CliReport,
 *   page: Page, workbench: Awaited<ReturnType<typeof import('./harness.mjs').openWorkbench>> | undefined, closed: boolean,
 *   close: () => Promise<void>, django?: ReturnType<typeof checklistWithDjango> & { runRow: string, debugItemLabel: string } }} Project
 */
/**
 * What a scenario gets: the installed extension, and the project session `name` (opened by `opener`
 * unless an earlier scenario left it open).
 * @typedef {{ env: Env, project: <P extends Project>(name: string, opener: () => Promise<P>) => Promise<P> }} ScenarioContext
 */
/** @typedef {ChecklistEntry & { loc: NonNullable<ChecklistEntry['loc']> }} LocatedEntry */
/** @typedef {NonNullable<Checklist['production']>} Production */
/** @typedef {{ id: string, title: string, fn: (t: ScenarioContext) => Promise<void>, uses?: string, timeout: number }} Scenario */

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
  log(
    `FAILED: the end-to-end tests did not finish within ${TOTAL_TIMEOUT / 1000} s; ending everything${tmp ? `; temporary files: ${tmp}` : ''}`,
  );
  killEverything();
  process.exit(1);
}, TOTAL_TIMEOUT).unref();

/**
 * Waits until nothing listens on `port` any more (code-server's port after stop()); throws naming
 * the processes that still do. (Whether the port could be bound again is not the question: another
 * program on the machine may use the number for an outgoing connection meanwhile.)
 * @param {number} port
 */
async function assertPortFreed(port) {
  const holders = await H.until(`port ${port} to be closed`, () => (H.listenersOn(port).length === 0 ? [] : null), {
    timeout: 5000,
    interval: 100,
  }).catch(() => H.listenersOn(port));
  if (holders.length) {
    throw new Error(`port ${port} is still listened on after stopping code-server: ${holders.map((h) => `${h.pid} ${h.cmd}`).join('; ')}`);
  }
}

// ---- steps before the scenarios ---------------------------------------------------------------

/**
 * @param {string} title
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string }} [options]
 * @returns {Promise<void>}
 */
function runLogged(title, cmd, args, { cwd = ROOT, env = process.env, logFile } = {}) {
  return new Promise(
    /** @param {(value: void) => void} resolve @param {(reason: Error) => void} reject */ (resolve, reject) => {
      const out = logFile ? fs.openSync(logFile, 'w') : 'inherit';
      const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
      child.on('error', (e) => reject(new SetupError(`${title}: ${cmd}: ${e.message}`)));
      child.on('close', (code, signal) => {
        if (logFile) fs.closeSync(/** @type {number} */ (out));
        if (code === 0) return resolve();
        const tail = logFile ? `\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n')}` : '';
        reject(new SetupError(`${title} failed (\`${cmd} ${args.join(' ')}\` exited ${code ?? signal})${tail}`));
      });
    },
  );
}

function checkNodeModules() {
  const req = createRequire(path.join(ROOT, 'package.json'));
  for (const [pkg, why] of [
    ['playwright-core', 'drives Chromium'],
    ['@vscode/vsce', 'packages the extension'],
  ]) {
    try {
      req.resolve(`${pkg}/package.json`);
    } catch {
      throw new SetupError(`missing the devDependency ${pkg} (it ${why}): run \`npm ci\` (or \`npm install\`) in ${ROOT}`);
    }
  }
}

async function packageAndInstall() {
  let vsix = path.join(tmp, 'ddh.vsix');
  if (process.env.E2E_VSIX) {
    // a .vsix made elsewhere (a release artifact, or a manifest change tried out in a copy of the repository)
    vsix = path.resolve(process.env.E2E_VSIX);
    if (!fs.existsSync(vsix)) throw new SetupError(`E2E_VSIX names no file: ${vsix}`);
    log(`testing ${vsix} (E2E_VSIX; not packaged from this repository)`);
  } else {
    const env = { ...process.env };
    delete env.DDH_BUILD_DIR; // vscode:prepublish must build dist/ at the repository root
    const started = Date.now();
    await runLogged('packaging the extension', 'npx', ['@vscode/vsce', 'package', '--no-dependencies', '-o', vsix], {
      env,
      logFile: path.join(tmp, 'vsce-package.log'),
    });
    log(
      `packaged ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  }
  const extensionsDir = path.join(tmp, 'extensions');
  H.installExtension(vsix, extensionsDir);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const installed = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  const cli = path.join(installed, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new SetupError(`the installed extension has no dist/cli.js (looked in ${installed})`);
  log(`installed into ${extensionsDir}`);
  // an extension's status-bar item has the DOM id "<publisher>.<name>.<item id>" (see client/src/extension.ts)
  return {
    extensionsDir,
    cli,
    serverModule: path.join(installed, 'dist', 'server.js'), // the language server, as its process's command line names it
    statusBarId: `${pkg.publisher}.${pkg.name}.djangoDeployHygiene.status`,
  };
}

// ---- what the CLI expects -------------------------------------------------------------------

/**
 * The CLI's JSON report for a project folder (the CLI shipped in the installed .vsix); `args` e.g. ['--settings', module].
 * @param {string} cli
 * @param {string} folder
 * @param {string[]} [args]
 * @returns {CliReport}
 */
function cliReport(cli, folder, args = []) {
  // exit 0, or 2 when there is no project at all to analyse (an empty folder): the report is printed either way
  const r = spawnSync(process.execPath, [cli, folder, '--format', 'json', '--fail-on', 'never', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(r.status === 0 || r.status === 2, `the CLI exited ${r.status} on ${folder}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * The CLI's production checklist of a project folder (one project expected): the checklist object.
 * @param {string} cli
 * @param {string} folder
 * @param {string[]} [args]
 * @returns {Checklist}
 */
function cliChecklist(cli, folder, args = []) {
  const out = execFileSync(process.execPath, [cli, 'checklist', folder, '--format', 'json', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  /** @type {{ checklists: Checklist[] }} */
  const { checklists } = JSON.parse(out);
  assert.equal(checklists.length, 1, `the CLI should find one Django project in ${folder}`);
  return checklists[0];
}

/** @type {Record<string, string>} */
const SQUIGGLE_KIND = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };
// The Problems panel does not list hints.
/** @type {Record<string, string | undefined>} */
const PROBLEM_SEVERITY = { error: 'Error', warning: 'Warning', information: 'Info' };

/** @param {CliDiagnostic} d */
const problemText = (d) => `${d.message} ${SOURCE} ${d.code} [Ln ${d.line}, Col ${d.column}]`.replace(/\s+/g, ' ').trim();

/**
 * Problems rows the CLI report implies, by file (relative, '/'-separated): Map<file, string[]>.
 * @param {Pick<CliReport, 'diagnostics'>} report
 * @returns {Map<string, string[]>}
 */
function expectedProblems(report) {
  /** @type {Map<string, string[]>} */
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
 * @param {CliDiagnostic[]} diags
 * @param {string} text
 */
function expectedSquiggles(diags, text) {
  const lines = text.split(/\r?\n/);
  /** @param {number} l */
  const maxCol = (l) => (lines[l - 1] ?? '').length + 1;
  /** @type {Map<string, { s: number, e: number, codes: string[] }[]>} */
  const byKey = new Map();
  /** @type {{ line: number, kind: string, col: number, code: string }[]} */
  const loose = [];
  for (const d of diags) {
    const kind = SQUIGGLE_KIND[d.severity];
    let { line, column: col, endLine, endColumn: endCol } = d;
    if (kind === 'hint' || (line === endLine && endCol <= col)) {
      loose.push({ line, kind, col, code: d.code });
      continue;
    }
    if (endLine > line && endCol === 1) {
      // a range ending at the start of a line is drawn up to the line before
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
  /** @type {(Squiggle & { codes: string[] })[]} */
  const exact = [];
  for (const [key, spans] of byKey) {
    const [line, kind] = key.split(':');
    spans.sort((a, b) => a.s - b.s);
    /** @type {(Squiggle & { codes: string[] }) | undefined} */
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

/**
 * Compares the squiggles seen in the editor with what the CLI expects; throws a readable diff.
 * @param {string} relFile
 * @param {Squiggle[]} seen
 * @param {ReturnType<typeof expectedSquiggles>} expected
 */
function assertSquiggles(relFile, seen, expected) {
  const used = new Set();
  const missing = [];
  /** @param {number} line @param {number} s @param {number} e */
  const show = (line, s, e) => JSON.stringify((expected.lines[line - 1] ?? '').slice(s - 1, e - 1));
  for (const x of expected.exact) {
    const i = seen.findIndex((q) => q.line === x.line && q.kind === x.kind && q.startCol === x.startCol && q.endCol === x.endCol);
    if (i < 0)
      missing.push(
        `${x.kind} on line ${x.line}, columns ${x.startCol}-${x.endCol} ${show(x.line, x.startCol, x.endCol)} (${x.codes.join(', ')})`,
      );
    else used.add(i);
  }
  for (const x of expected.loose) {
    const i = seen.findIndex((q) => q.line === x.line && q.kind === x.kind && q.startCol <= x.col && x.col <= q.endCol);
    if (i < 0) missing.push(`${x.kind} on line ${x.line} covering column ${x.col} (${x.code})`);
    else used.add(i);
  }
  const extra = seen
    .filter((_, i) => !used.has(i))
    .map((q) => `${q.kind} on line ${q.line}, columns ${q.startCol}-${q.endCol} ${show(q.line, q.startCol, q.endCol)}`);
  if (missing.length || extra.length) {
    assert.fail(
      `squiggles in ${relFile} differ from the CLI report:\n` +
        missing.map((m) => `  missing:    ${m}`).join('\n') +
        (missing.length && extra.length ? '\n' : '') +
        extra.map((m) => `  unexpected: ${m}`).join('\n'),
    );
  }
}

/**
 * Maps a Problems group ({ name, folder }) to the file's path relative to the project folder.
 * @param {{ name: string, folder: string }} group
 * @param {string} projectFolder
 */
function groupFile(group, projectFolder) {
  let folder = group.folder;
  if (path.isAbsolute(folder)) folder = path.relative(projectFolder, folder);
  // in a multi-root workspace the folder is "<workspace folder> • <path in it>"
  folder = folder.replace(' \u2022 ', '/');
  folder = folder.split(path.sep).join('/');
  return folder && folder !== '.' ? `${folder}/${group.name}` : group.name;
}

/**
 * Problems rows by file as VS Code shows them: Map<file, string[]> (sorted), plus the groups' own counts.
 * @param {Awaited<ReturnType<typeof import('./harness.mjs').readAllProblems>>} groups
 * @param {string} projectFolder
 */
function seenProblems(groups, projectFolder) {
  /** @type {Map<string, string[]>} */
  const byFile = new Map();
  /** @type {string[]} */
  const badCounts = [];
  for (const g of groups) {
    const file = groupFile(g, projectFolder);
    const rows = g.markers.map((m) => `${m.severity}: ${m.text}`).sort();
    byFile.set(file, rows);
    if (g.count !== rows.length) badCounts.push(`${file}: the group says ${g.count} problems but lists ${rows.length}`);
  }
  return { byFile, badCounts };
}

/**
 * @param {ReturnType<typeof seenProblems>} seen
 * @param {Map<string, string[]>} expected
 */
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
 * @param {Page} page
 * @param {Pick<CliReport, 'diagnostics'>} report
 * @param {string} projectFolder
 */
async function waitForProblemsLikeCli(page, report, projectFolder, { timeout = 45_000 } = {}) {
  const expected = expectedProblems(report);
  let diff = ['(the Problems panel was never read)'];
  try {
    return await H.until(
      'the Problems panel to match the CLI report',
      async () => {
        // one reading at most 10 s, so that a stuck one (the panel re-rendering under it) is retried
        const groups = await H.readAllProblems(page, { timeout: 10_000 });
        const seen = seenProblems(groups, projectFolder);
        diff = problemsDiff(seen, expected);
        return diff.length === 0 ? seen : null;
      },
      { timeout, interval: 250 },
    );
  } catch (e) {
    throw new assert.AssertionError({
      message: `the Problems panel does not show what the CLI reports (${/** @type {Error} */ (e).message}):\n${diff.join('\n')}`,
    });
  }
}

// ---- projects in code-server ----------------------------------------------------------------

/**
 * Copies `fixture` into the temporary folder and opens it in code-server + Chromium (`settings` and
 * `keybindings` are the user's, see H.startCodeServer).
 * Returns { folder, page, workbench, server, report (the CLI's), close() }.
 * @param {Env} env
 * @param {string} fixture
 * @param {string} name
 * @param {{ trusted?: boolean, settings?: Record<string, unknown>, keybindings?: unknown[] }} [options]
 * @returns {Promise<Project>}
 */
async function openProject(env, fixture, name, { trusted = true, settings, keybindings } = {}) {
  const base = path.join(tmp, 'projects', `${name}-${Date.now().toString(36)}`);
  const folder = path.join(base, path.basename(fixture)); // keeps the folder's own name ("mysite") for the title bar
  fs.cpSync(fixture, folder, { recursive: true });
  return openInCodeServer(env, base, folder, cliReport(env.cli, folder), { trusted, settings, keybindings });
}

/**
 * A multi-root workspace: a copy of `fixture` for each of `names` (the folders of a
 * `<name>.code-workspace` file beside them), opened in code-server + Chromium. Returns what
 * openProject does, with `folder` the workspace file's folder and `folders` the copies.
 * @param {Env} env
 * @param {string} fixture
 * @param {string} name
 * @param {string[]} names
 * @returns {Promise<Project & { folders: string[], workspaceFile: string }>}
 */
async function openMultiRoot(env, fixture, name, names) {
  const base = path.join(tmp, 'projects', `${name}-${Date.now().toString(36)}`);
  const folders = names.map((n) => path.join(base, n));
  for (const f of folders) fs.cpSync(fixture, f, { recursive: true });
  const file = path.join(base, `${name}.code-workspace`);
  fs.writeFileSync(file, JSON.stringify({ folders: names.map((n) => ({ path: n })), settings: {} }, null, 2) + '\n');
  // what the editor shows is each folder's analysis (its messages name files from that folder, as
  // VS Code does): the CLI run on each folder, its files placed under the folder's name
  const parts = names.map((n) => ({ n, r: cliReport(env.cli, path.join(base, n)) }));
  const report = /** @type {CliReport} */ ({
    ...parts[0].r,
    diagnostics: parts.flatMap(({ n, r }) => r.diagnostics.map((d) => ({ ...d, file: `${n}/${d.file}` }))),
    projects: parts.flatMap(({ r }) => r.projects),
  });
  const p = await openInCodeServer(env, base, file, report, {});
  return Object.assign(p, { folder: base, folders, workspaceFile: file });
}

/**
 * @param {Env} env
 * @param {string} base
 * @param {string} folder
 * @param {CliReport} report
 * @param {{ trusted?: boolean, settings?: Record<string, unknown>, keybindings?: unknown[], serverEnv?: Record<string, string> }} options
 * @returns {Promise<Project>}
 */
async function openInCodeServer(env, base, folder, report, { trusted = true, settings, keybindings, serverEnv }) {
  const userDataDir = path.join(tmp, 'user-data', path.basename(base));
  const server = await H.startCodeServer({
    folder,
    extensionsDir: env.extensionsDir,
    userDataDir,
    trusted,
    settings,
    keybindings,
    env: serverEnv,
  });
  // `page` is set below before the project is returned; `close` right after
  const project = /** @type {Project} */ (
    /** @type {unknown} */ ({ folder, server, report, page: undefined, workbench: undefined, closed: false })
  );
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

/** @param {Project} project @param {string} rel */
const read = (project, rel) => fs.readFileSync(path.join(project.folder, rel), 'utf8');
/** @param {{ report: CliReport }} project @param {string} rel */
const diagsOf = (project, rel) => project.report.diagnostics.filter((d) => d.file === rel);

/**
 * Opens `rel`, then checks its squiggles against the CLI (scrolling through the whole file).
 * @param {Project} project
 * @param {string} rel
 */
async function checkFileSquiggles(project, rel) {
  const text = read(project, rel);
  const expected = expectedSquiggles(diagsOf(project, rel), text);
  const seen = await H.collectSquiggles(project.page, expected.lines.length);
  assertSquiggles(rel, seen, expected);
  return seen;
}

/**
 * Screenshot into test/e2e/.artifacts/; the mouse is parked first unless `keepHover` (b's hover).
 * @param {Page} page
 * @param {string} name
 */
async function shot(page, name, { keepHover = false } = {}) {
  if (!keepHover) await H.parkMouse(page);
  const file = await H.screenshot(page, name, ARTIFACTS);
  log(`  screenshot ${path.relative(ROOT, file)}`);
}

// ---- the checklist view and the status bar, as the CLI's checklist implies them ---------------

// how client/src/checklistView.ts shows a status: the word read out, the codicon
/** @type {Record<string, string>} */
const STATUS_WORD = { failing: 'failing', attention: 'needs attention', unknown: 'unknown', passed: 'passed', manual: 'to check by hand' };
/** @type {Record<string, string>} */
const STATUS_ICON = { failing: 'error', attention: 'warning', unknown: 'question', passed: 'pass', manual: 'circle-large-outline' };
const RANK = ['failing', 'attention', 'unknown', 'manual', 'passed'];

/**
 * A tree row as one comparable line: indentation by level, [icon], ▾/▸ when it can expand, accessible label.
 * @param {{ level: number, icon?: string, expanded?: boolean, label: string }} r
 */
function showTreeRow(r) {
  const twistie = r.expanded === true ? ' ▾' : r.expanded === false ? ' ▸' : '';
  return `${'  '.repeat(Math.max(0, r.level - 1))}[${r.icon ?? ''}]${twistie} ${r.label}`;
}

/**
 * The first clause of the production module's reason, as the production row's description says it
 * ("named by shop/wsgi.py:6"): before ", the " or "; ", without " (DJANGO_SETTINGS_MODULE)".
 * @param {string} reason
 */
function firstClause(reason) {
  const part = reason.split('; ')[0] ?? reason;
  const i = part.indexOf(', the ');
  return (i > 0 ? part.slice(0, i) : part).replace(/ \(DJANGO_SETTINGS_MODULE\)$/, '');
}

/** The groups under which the view shows the request path (client/src/checklistView.ts). */
const PATH_GROUPS = new Set(['https-cookies', 'proxy']);

/**
 * The rows the checklist view shows for the CLI's checklist before anything is clicked (issue 58: it
 * opens on the checklist): one row for the production module with why in its description (the
 * evidence folded under it), then each group (expanded unless all its items passed), led under
 * HTTPS & cookies and Reverse proxy by the folded request path, with its items (collapsed when they
 * have rows under them; those that do not apply with their reason).
 * @param {Checklist} c
 */
function expectedChecklistRows(c) {
  assert.ok(c.production, 'the CLI checklist should name a production settings module');
  const s = c.summary;
  /** @type {{ level: number, icon: string, expanded?: boolean, label: string }[]} */
  const rows = [
    {
      level: 1,
      icon: 'settings-gear',
      expanded: false,
      label: `Production: ${c.production.module}, because ${firstClause(s.production?.evidence ?? c.production.reason)}`,
    },
  ];
  for (const g of c.groups) {
    const na = g.items.filter((i) => i.notApplicable !== undefined).length;
    const statuses = g.items.map((i) => i.status);
    const worst = RANK.find((r) => statuses.includes(/** @type {ItemStatus} */ (r))) ?? 'passed';
    /** @param {string} st */
    const n = (st) => statuses.filter((x) => x === st).length;
    const description = [
      n('failing') && `${n('failing')} failing`,
      n('attention') && `${n('attention')} to review`,
      `${n('passed') - na}/${statuses.length - na} passed`,
      na && `${na} n/a`,
    ]
      .filter(Boolean)
      .join(' · ');
    const expanded = worst !== 'passed';
    rows.push({ level: 1, icon: STATUS_ICON[worst], expanded, label: `${g.title} ${description}` });
    if (!expanded) continue;
    const path = c.requestPath;
    if (PATH_GROUPS.has(g.id) && path && path.deployments.length > 0) {
      const withHops = path.deployments.filter((d) => d.hops.length > 0).length;
      rows.push({
        level: 2,
        icon: 'globe',
        expanded: false,
        label: `In front of Django: ${path.deployments.length} deployment${path.deployments.length === 1 ? '' : 's'}, ${withHops} with a hop in front`,
      });
    }
    for (const i of g.items) {
      const label = i.manual
        ? `${i.title}: ${STATUS_WORD.manual}`
        : i.notApplicable !== undefined
          ? `${i.title}: ${i.description}`
          : `${i.title}: ${STATUS_WORD[i.status]}${i.status === 'passed' ? (i.explained ? ', explained by a comment' : '') : `, ${i.description}`}`;
      const icon = i.notApplicable !== undefined ? 'circle-slash' : STATUS_ICON[i.status];
      rows.push({ level: 2, icon, expanded: i.entries.length ? false : undefined, label });
    }
  }
  return rows.map(showTreeRow);
}

/**
 * The message above the tree: the production module, then the statuses, e.g. "Production: shop.settings
 * — 12 failing · 6 to review · 8 unknown · 3 passed · 2 not applicable" (items that do not apply are
 * counted apart from those that passed).
 * @param {{ counts: Checklist['counts'], groups?: Checklist['groups'], production?: Checklist['production'] }} c
 */
function checklistSummary(c) {
  const k = c.counts;
  const na = (c.groups ?? []).flatMap((g) => g.items).filter((i) => i.notApplicable !== undefined).length;
  const counts = [
    k.failing && `${k.failing} failing`,
    k.attention && `${k.attention} to review`,
    k.unknown && `${k.unknown} unknown`,
    `${k.passed - na} passed`,
    na && `${na} not applicable`,
  ]
    .filter(Boolean)
    .join(' · ');
  return `${c.production ? `Production: ${c.production.module}` : 'No production settings module'} — ${counts}`;
}

/**
 * The message above the checklist at the side bar's current width: it names the production module and
 * the counts (as checklistSummary says) and wraps rather than cutting them, as the production row's
 * label is cut at the default width when the module's name is long (issue 58).
 * @param {{ page: Page }} p
 * @param {Checklist} checklist
 */
async function assertHeadlineReadable(p, checklist) {
  const message = p.page.locator('.part.sidebar .pane-body .message').first();
  const want = checklistSummary(checklist);
  /** @type {{ text: string, cut: boolean } | undefined} */
  let got;
  await H.until('the message above the checklist', async () => {
    got = await message.evaluate((el) => ({
      text: el.textContent?.trim() ?? '',
      cut: el.scrollWidth > el.clientWidth + 1,
    }));
    return got.text === want;
  }).catch(() => assert.equal(got?.text, want, 'the message above the checklist'));
  assert.equal(got?.cut, false, `the message above the checklist is cut: "${got?.text}"`);
}

/**
 * Waits until the extension's status-bar item shows "N failing" (and says so to a screen reader).
 * @param {Page} _page
 * @param {Locator} item
 * @param {number} failing
 */
async function waitForStatusBarCount(_page, item, failing) {
  const want = `${failing} failing`;
  const spoken = `${failing} production checklist item${failing === 1 ? '' : 's'} failing`;
  let seen = '';
  await H.until(
    `the status bar to show "${want}"`,
    async () => {
      seen = `${(await item.innerText({ timeout: 1000 })).trim()} | ${await item.getAttribute('aria-label')}`;
      return seen.startsWith(`${want} |`) && seen.endsWith(`| ${spoken}`);
    },
    { timeout: 20_000 },
  ).catch(() => assert.fail(`the status-bar item should show "${want}" (read as "${spoken}"); it shows: ${seen || '(nothing)'}`));
}

// ---- Django's check --deploy: Debian's Django and a stand-in for the project's virtualenv ------

/**
 * The Python that "Run Django's check --deploy" is pointed at (setting djangoDeployHygiene.pythonPath):
 * a shell script that runs Debian's /usr/bin/python3 (with python3-django and python3-psycopg2 from
 * setup.mjs) with stand-ins on PYTHONPATH for the two packages the example imports that Debian does
 * not have: corsheaders (in INSTALLED_APPS) and sentry_sdk (imported under `if SENTRY_DSN:`). Every
 * start is logged (working directory and arguments), so a test can tell whether the extension ran it.
 * Made once per run in the temporary folder: { wrapper, stubs, logFile }.
 */
/** @type {DjangoPython | undefined} */
let djangoPythonCache;
/** @returns {DjangoPython} */
function djangoPython() {
  if (djangoPythonCache) return djangoPythonCache;
  const dir = path.join(tmp, 'django-python');
  const stubs = path.join(dir, 'stubs');
  fs.mkdirSync(path.join(stubs, 'corsheaders'), { recursive: true });
  fs.mkdirSync(path.join(stubs, 'sentry_sdk'), { recursive: true });
  fs.writeFileSync(path.join(stubs, 'corsheaders', '__init__.py'), '# stand-in for django-cors-headers: an app with no models or checks\n');
  fs.writeFileSync(
    path.join(stubs, 'sentry_sdk', '__init__.py'),
    '# stand-in for sentry-sdk: the settings only call init()\n\n\ndef init(**kw):\n    pass\n',
  );
  const logFile = path.join(dir, 'invocations.log');
  const wrapper = path.join(dir, 'python');
  /** @param {string} x */
  const q = (x) => `'${x.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      "# The project's Python for the end-to-end tests: Debian's python3 and Django, plus stand-ins",
      '# for packages Debian does not have. Logs each start: working directory, arguments.',
      `printf '%s\\t%s\\n' "$PWD" "$*" >> ${q(logFile)}`,
      `PYTHONPATH=${q(stubs)}\${PYTHONPATH:+:$PYTHONPATH}`,
      'export PYTHONPATH',
      'exec /usr/bin/python3 "$@"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  djangoPythonCache = { wrapper, stubs, logFile };
  return djangoPythonCache;
}

/**
 * The starts of the stand-in Python so far: [{ cwd, args }].
 * @param {DjangoPython} py
 */
function pythonStarts(py) {
  if (!fs.existsSync(py.logFile)) return [];
  return fs
    .readFileSync(py.logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [cwd, args] = l.split('\t');
      return { cwd, args };
    });
}

/** Whether a process is a Python (also through a shell script such as pyenv's shim, or the stand-in before it execs). */
/** @param {DjangoPython} py @returns {(p: import('./harness.mjs').ProcessInfo) => boolean} */
const isPython = (py) => (p) => p.argv.slice(0, 2).some((a) => /^python[\d.]*$/.test(path.basename(a))) || p.argv.includes(py.wrapper);

/**
 * Runs `manage.py check --deploy --settings=<module>` in `folder` the way the extension does (the same
 * Python, arguments and working directory) and returns what Django printed: { count, messages: [{ id,
 * message }] }, `count` from its "System check identified N issues" line.
 * @param {DjangoPython} py
 * @param {string} folder
 * @param {string} module
 */
function djangoCheckDeploy(py, folder, module) {
  const r = spawnSync(py.wrapper, ['manage.py', 'check', '--deploy', `--settings=${module}`], {
    cwd: folder,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const summary = /System check identified (no|\d+) issues? \(\d+ silenced\)/.exec(text);
  assert.ok(
    summary,
    `manage.py check --deploy did not run (exit ${r.status ?? r.signal ?? r.error?.message}):\n${text.trim().split('\n').slice(-15).join('\n')}`,
  );
  const messages = [...text.matchAll(/^(?:\S+: )?\(([a-z_0-9]+(?:\.[a-z_0-9]+)*\.[EWCI]\d{3})\) (.*)$/gim)].map((m) => ({
    id: m[1],
    message: m[2].trim(),
  }));
  const count = summary[1] === 'no' ? 0 : Number(summary[1]);
  assert.equal(messages.length, count, `Django says it identified ${count} issues; ${messages.length} message lines were read:\n${text}`);
  return { count, messages };
}

/**
 * Waits until exactly one language server runs for the project's code-server (a process under it that
 * runs the installed extension's dist/server.js), other than the process `not`; returns { pid, cmd }.
 * @param {Project} p
 * @param {Env} env
 * @param {string} what
 * @param {number} [not]
 */
async function oneLanguageServer(p, env, what, not) {
  /** @type {import('./harness.mjs').ProcessInfo[]} */
  let nodes = [];
  return H.until(
    what,
    () => {
      nodes = H.processesUnder(p.server.pid).filter((x) => /node/.test(path.basename(x.argv[0] ?? '')));
      const s = nodes.filter((x) => x.argv.includes(env.serverModule));
      return s.length === 1 && s[0].pid !== not ? s[0] : null;
    },
    { timeout: 30_000 },
  ).catch(() => assert.fail(`${what}: the node processes under code-server are\n${nodes.map((c) => `${c.pid} ${c.cmd}`).join('\n')}`));
}

/**
 * The "django" session: a copy of examples/mysite with djangoDeployHygiene.pythonPath set to the stand-in.
 * @param {Env} env
 */
async function openDjangoProject(env) {
  const py = djangoPython();
  const p = /** @type {Project & { py: DjangoPython }} */ (
    await openProject(env, EXAMPLE, 'django', { settings: { 'djangoDeployHygiene.pythonPath': py.wrapper } })
  );
  p.py = py;
  return p;
}

/**
 * What the checklist shows once Django's results are merged in (see toWire in server/src/lsp/server.ts),
 * from the CLI's checklist and what Django reported: each reported id belongs to the items that list
 * it in `django` (there as a finding confirmed by Django, or as a "Django <id>: ..." entry), or else
 * to the item "Other findings of check --deploy"; an item Django reports on is failing.
 * Returns { byId: Map<id, items[]>, other: messages[], counts, groups, production }.
 * @param {Checklist} checklist
 * @param {{ id: string, message: string }[]} messages
 */
function checklistWithDjango(checklist, messages) {
  const items = checklist.groups.flatMap((g) => g.items);
  const byId = new Map(messages.map((m) => [m.id, items.filter((i) => i.django.includes(m.id))]));
  const counts = { ...checklist.counts };
  for (const item of new Set([...byId.values()].flat())) {
    if (item.status === 'failing') continue;
    // whether one of its findings is "confirmed" (and the item keeps its status) depends on every Django id
    // of the findings' rules, which the CLI does not list: this example has no such case
    assert.ok(
      !item.entries.some((e) => e.code),
      `Django reports on "${item.title}" (${item.status}), which has findings: extend this test`,
    );
    counts[item.status]--;
    counts.failing++;
  }
  const other = messages.filter((m) => /** @type {ChecklistItem[]} */ (byId.get(m.id)).length === 0);
  if (other.length) counts.failing++;
  // an item Django fails applies after all: the view no longer counts it apart
  const failed = new Set([...byId.values()].flat());
  const groups = checklist.groups.map((g) => ({
    ...g,
    items: g.items.map((i) => (failed.has(i) && i.notApplicable !== undefined ? { ...i, notApplicable: undefined } : i)),
  }));
  return { byId, other, counts, groups, production: checklist.production };
}

/**
 * The items of "Choose the Production Settings Module" the CLI's checklist implies: each settings
 * module says why it is production, or why not (issue 58); Enter alone keeps the one in effect.
 * @param {Checklist} c
 */
function pickItems(c) {
  return c.settingsModules.map((m) => {
    const current = m.name === c.production?.module;
    return {
      label: m.name,
      description: current ? 'production now' : m.file,
      detail: current ? `Production because ${c.production?.reason}` : m.why ? `Not production: ${m.why}` : m.file,
      active: current,
    };
  });
}

// ---- git, for the pre-commit hook ---------------------------------------------------------------

/**
 * Runs git in `cwd`; returns its output (trimmed).
 * @param {string} cwd
 * @param {...string} args
 */
function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * Makes `folder` a repository with everything in a first commit (author set in the repository only).
 * @param {string} folder
 */
function gitInit(folder) {
  git(folder, 'init', '-q');
  git(folder, 'config', 'user.name', 'End-to-end Test');
  git(folder, 'config', 'user.email', 'e2e@example.invalid');
  git(folder, 'config', 'commit.gpgsign', 'false');
  git(folder, 'add', '-A');
  git(folder, 'commit', '-q', '--no-verify', '-m', 'initial');
}

/**
 * `git commit` in `folder` is refused by the pre-commit hook, which printed `output`; HEAD stays.
 * @param {string} folder
 * @param {string} output
 */
function assertCommitRefused(folder, output) {
  const head = git(folder, 'rev-parse', 'HEAD');
  const r = spawnSync('git', ['commit', '-q', '--allow-empty', '-m', 'should be refused'], {
    cwd: folder,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.notEqual(r.status, 0, `the pre-commit hook should refuse the commit:\n${r.stdout}${r.stderr}`);
  assert.ok(
    `${r.stdout}${r.stderr}`.includes(output.trim()),
    `git should show the hook's output (the CLI's findings); it shows:\n${r.stdout}${r.stderr}`,
  );
  assert.equal(git(folder, 'rev-parse', 'HEAD'), head, 'no commit was made');
}

// ---- scenarios ------------------------------------------------------------------------------

/** @type {Scenario[]} */
const scenarios = [];
/**
 * `uses` names a project session shared by consecutive scenarios (opened by the first that needs it).
 * @param {string} id
 * @param {string} title
 * @param {Scenario['fn']} fn
 * @param {{ uses?: string, timeout?: number }} [options]
 */
function scenario(id, title, fn, { uses, timeout = 150_000 } = {}) {
  scenarios.push({ id, title, fn, uses, timeout });
}

scenario(
  'a',
  'example project: squiggles and Problems rows of mysite/settings.py match the CLI',
  async (t) => {
    const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
    const rel = 'mysite/settings.py';
    const diags = diagsOf(p, rel);
    assert.ok(
      diags.some((d) => d.severity === 'error'),
      `the CLI reports no error for ${rel}; has the example changed?`,
    );
    await H.openFile(p.page, rel);
    await H.waitForSquiggles(p.page, { kind: 'error' });
    const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
    assert.deepEqual(seen.byFile.get(rel), expectedProblems(p.report).get(rel));
    const squiggles = await checkFileSquiggles(p, rel);
    /** @type {Record<string, number>} */
    const counts = {};
    for (const d of diags) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
    const bySeverity = Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    log(
      `  ${rel}: the CLI reports ${diags.length} (${bySeverity}); seen: ${/** @type {string[]} */ (seen.byFile.get(rel)).length} Problems rows (hints are not listed), ${squiggles.length} squiggle segments`,
    );
    await H.collapseOtherProblemGroups(p.page, 'settings.py');
    await H.focusEditor(p.page);
    await shot(p.page, 'a-example-settings-diagnostics');
    // control for scenario d: in a trusted workspace the palette offers the command that runs Django
    assert.equal(await H.commandOffered(p.page, RUN_DJANGO_CHECK), true, `a trusted workspace should offer "${RUN_DJANGO_CHECK}"`);
  },
  { uses: 'mysite' },
);

scenario(
  'b',
  'hover over the DEBUG = True squiggle shows the rule documentation',
  async (t) => {
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
      const lines = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const head = lines.findIndex((l) => l.startsWith(`${debug.code} ${debug.name}`));
      const twice = head >= 0 && lines[head].includes(debug.django) && lines[head + 1]?.includes(debug.django);
      assert.ok(
        !twice,
        `the hover names ${debug.django} in its heading and again right under it:\n${lines.slice(head, head + 2).join('\n')}`,
      );
    }
    await shot(p.page, 'b-hover-debug-enabled', { keepHover: true });
    await p.page.mouse.move(2, 2);
  },
  { uses: 'mysite' },
);

scenario(
  'c',
  'gunicorn config: squiggles and Problems rows of gunicorn.conf.py match the CLI; DDG101 on "timout"',
  async (t) => {
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
    assert.ok(
      seen.byFile.get(rel)?.some((r) => r.includes('DDG101') && r.includes(`[Ln ${typoLine}, Col 1]`)),
      `the Problems panel should list DDG101 at line ${typoLine} of ${rel}`,
    );
    const squiggles = await checkFileSquiggles(p, rel);
    assert.ok(
      squiggles.some((q) => q.line === typoLine && q.kind === 'error' && q.startCol === 1 && q.endCol === 7),
      `an error squiggle should underline "timout" on line ${typoLine}`,
    );
    await H.collapseOtherProblemGroups(p.page, rel);
    await H.focusEditor(p.page);
    const hover = await H.hoverAt(p.page, typoLine, 3);
    for (const want of [typo.message, `DDG101 ${typo.name}`]) {
      assert.ok(hover.includes(want), `the hover over "timout" should show ${JSON.stringify(want)}; it shows:\n${hover}`);
    }
    await shot(p.page, 'c-gunicorn-squiggles', { keepHover: true });
    await p.page.mouse.move(2, 2);
  },
  { uses: 'mysite' },
);

scenario(
  'd',
  "status bar: the item shows the CLI checklist's failing count; clicking it opens the checklist",
  async (t) => {
    const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
    const checklist = cliChecklist(t.env.cli, p.folder);
    const failing = checklist.counts.failing;
    assert.ok(failing > 0, 'the example project should have failing checklist items');
    const item = H.statusBarItem(p.page, t.env.statusBarId);
    await waitForStatusBarCount(p.page, item, failing);
    // its tooltip says what is counted; the screenshot shows it
    await item.hover();
    const tip = await H.until(
      'the status-bar tooltip',
      async () => {
        const t = (
          await p.page.locator('.workbench-hover, .monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).first().innerText({ timeout: 500 })
        ).trim();
        return t || null;
      },
      { timeout: 10_000 },
    );
    assert.match(tip, new RegExp(`${failing} production checklist items? failing`), 'the status-bar tooltip explains the count');
    await shot(p.page, 'd-status-bar-count', { keepHover: true });
    await item.click();
    await H.until('the checklist view to open', () => H.sideBarTree(p.page, CHECKLIST_VIEW).isVisible());
  },
  { uses: 'mysite' },
);

scenario(
  'e',
  "checklist view: groups and statuses are the CLI checklist's; a finding opens its file at its line",
  async (t) => {
    const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
    const checklist = cliChecklist(t.env.cli, p.folder);
    assert.ok(
      checklist.groups.some((g) => g.title === 'Settings & secrets'),
      'the CLI checklist should have the group "Settings & secrets"',
    );
    await H.openFile(p.page, 'gunicorn.conf.py'); // an editor to move the focus to, whichever scenarios ran before
    await H.openViewContainer(p.page, CONTAINER_TITLE);
    const defaultWidth = /** @type {{ width: number }} */ (await p.page.locator('.part.sidebar').boundingBox()).width;
    await H.resizeSideBar(p.page, 560); // the default width cuts most item titles off in the screenshot
    const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
    const want = expectedChecklistRows(checklist);
    /** @type {string[]} */
    let got = [];
    try {
      await H.until(
        'the checklist view to show the CLI checklist',
        async () => {
          got = (await H.readAllListRows(p.page, tree)).map(showTreeRow);
          return JSON.stringify(got) === JSON.stringify(want);
        },
        { timeout: 30_000, interval: 250 },
      );
    } catch {
      assert.deepEqual(got, want, 'the checklist view (level, icon, expanded, accessible label) should show the CLI checklist');
    }
    // control for scenario h: a trusted workspace shows the button that runs Django
    const buttons = await H.sideBarTitleActions(p.page);
    assert.ok(
      buttons.some((b) => b.startsWith(RUN_DJANGO_CHECK_BUTTON)),
      `the checklist's title bar should offer "${RUN_DJANGO_CHECK_BUTTON}"; it has: ${buttons.join(' | ')}`,
    );
    const message = p.page.locator('.part.sidebar .pane-body .message').first();
    const summary = (await message.innerText()).trim();
    assert.equal(
      summary,
      checklistSummary(checklist),
      'the message above the tree names the production module and summarises the statuses',
    );
    // it wraps rather than cutting the module's name (the production row's label is cut at the default width)
    const cut = await message.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    assert.equal(cut, false, `the message above the tree is cut: "${summary}"`);
    await H.focusEditor(p.page); // the tree's focus frame is not part of what it shows
    await shot(p.page, 'e-checklist-view');

    // a finding far down the settings file: EMAIL_BACKEND's console backend (DDH803)
    /** @param {string} code */
    const itemWith = (code) => checklist.groups.flatMap((g) => g.items).find((i) => i.entries.some((e) => e.code === code));
    const item = itemWith('DDH803');
    assert.ok(item, 'the CLI checklist should list DDH803 (console e-mail backend) under an item');
    const entry = /** @type {LocatedEntry} */ (item.entries.find((e) => e.code === 'DDH803'));
    const diag = p.report.diagnostics.find((d) => d.code === 'DDH803' && d.file === entry.loc.file && d.line === entry.loc.line);
    assert.ok(diag, `the CLI report should have DDH803 at ${entry.loc.file}:${entry.loc.line}`);
    const itemRow = await H.revealListRow(
      p.page,
      tree,
      (r) => r.level === 2 && r.label.startsWith(`${item.title}:`),
      `the item "${item.title}"`,
    );
    await itemRow.locator('.monaco-tl-twistie').click();
    await H.until(`the item "${item.title}" to expand`, async () => (await itemRow.getAttribute('aria-expanded')) === 'true');
    const entryRow = await H.revealListRow(
      p.page,
      tree,
      (r) => r.level === 3 && r.label.startsWith(entry.label),
      `the finding "${entry.label}"`,
    );
    assert.match(
      await entryRow.innerText(),
      new RegExp(`${entry.loc.file.replace(/[.]/g, '\\.')}:${entry.loc.line}\\b`),
      'the finding row names its file and line',
    );
    await entryRow.click();
    const name = path.basename(entry.loc.file);
    await p.page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor({ state: 'visible' });
    // the finding's range is selected: the cursor at its end, the count of selected characters
    const selected = diag.endLine === diag.line ? ` (${diag.endColumn - diag.column} selected)` : '';
    await H.until(
      `the editor to select line ${diag.line}`,
      async () => (await H.cursorPosition(p.page)) === `Ln ${diag.endLine}, Col ${diag.endColumn}${selected}`,
      { timeout: 10_000 },
    ).catch(async () =>
      assert.fail(
        `after the click the status bar shows "${await H.cursorPosition(p.page)}", not the finding's range (Ln ${diag.line}, Col ${diag.column} to Ln ${diag.endLine}, Col ${diag.endColumn})`,
      ),
    );
    assert.ok(
      await H.activeEditor(p.page)
        .locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${diag.line}\\s*$`) })
        .isVisible(),
      `line ${diag.line} should be on screen`,
    );
    await shot(p.page, 'e-checklist-opened-at-line');
    await H.resizeSideBar(p.page, defaultWidth);
  },
  { uses: 'mysite' },
);

scenario(
  'f',
  'quick fix from the light bulb: "Set DEBUG = False" rewrites the line; its squiggle, Problems row and checklist failure go',
  async (t) => {
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
    assert.ok(
      (await H.squigglesOnLine(p.page, debug.line)).some((q) => q.kind === 'error'),
      `line ${debug.line} should have an error squiggle`,
    );
    await H.revealLine(p.page, 1); // the file's top, with the comment above DEBUG, whatever showed before
    const titles = await H.openLightBulbMenu(p.page, debug.line, debug.column + 1);
    assert.ok(titles.includes(FIX_TITLE), `the light-bulb menu should offer "${FIX_TITLE}"; it offers: ${titles.join(' | ')}`);
    assert.ok(
      titles.includes(`Disable ${debug.code} for this line`),
      `the menu should offer to disable ${debug.code} for the line; it offers: ${titles.join(' | ')}`,
    );
    await shot(p.page, 'f-quickfix-before');
    await H.chooseCodeAction(p.page, FIX_TITLE);

    // the edit is applied to the open document; the server re-analyses it before it is saved
    await H.until(`the squiggle on line ${debug.line} to go away`, async () => (await H.squigglesOnLine(p.page, debug.line)).length === 0, {
      timeout: 20_000,
    });
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
    assert.equal(
      after.groups.flatMap((g) => g.items).find((i) => i.id === 'debug-off')?.status,
      'passed',
      'the checklist item "DEBUG is off in production" should pass',
    );
    assert.equal(after.counts.failing, failingBefore - 1);
    await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), after.counts.failing);
    await H.collapseOtherProblemGroups(p.page, 'settings.py');
    await H.clickAt(p.page, debug.line, debug.column);
    await shot(p.page, 'f-quickfix-after');
  },
  { uses: 'mysite' },
);

scenario(
  'm',
  'Install Git Pre-commit Hook: the hook runs the CLI and blocks a commit with errors; an existing hook is replaced only when the user says so, and kept',
  async (t) => {
    const p = await t.project('mysite', () => openProject(t.env, EXAMPLE, 'mysite'));
    // the session's copy (f fixed DEBUG in it) becomes a repository, as a user's project is
    gitInit(p.folder);
    const hooks = path.join(p.folder, '.git', 'hooks');
    const hook = path.join(hooks, 'pre-commit');
    assert.equal(fs.existsSync(hook), false, 'a new repository has no pre-commit hook (only pre-commit.sample)');
    /** @param {string} cwd @param {string} [file] */
    const hookRun = (cwd, file = hook) => spawnSync('sh', [file], { cwd, encoding: 'utf8', timeout: 60_000 });
    /** @param {string} cwd */
    const cliRun = (cwd) => spawnSync(process.execPath, [t.env.cli, '.', '--fail-on', 'error'], { cwd, encoding: 'utf8', timeout: 60_000 });
    /** @param {string} file */
    const isOurs = (file) => {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.startsWith('#!/bin/sh\n'), `${file} should be a shell script`);
      assert.ok(
        text.split('\n').some((l) => l.startsWith(HOOK_MARKER)),
        `${file} should carry the marker line "${HOOK_MARKER}…"`,
      );
      // single-quoted for sh (client/src/hookScript.ts): nothing in the path is expanded
      assert.ok(
        text.includes(`CLI='${t.env.cli.replace(/'/g, "'\\''")}'`),
        `${file} should run the installed extension's CLI (${t.env.cli}), single-quoted`,
      );
      assert.equal(fs.statSync(file).mode & 0o111, 0o111, `${file} should be executable`);
    };
    /** @param {string} rel @param {string} [kept] */
    const installed = (rel, kept = '') => `Installed ${rel}: commits now run django-deploy-check (errors block the commit).${kept}`;
    const OPEN_HOOK = ['Open Hook']; // the button of the messages, which opens the hook in an editor

    // 1. no hook yet: installed without a question
    await H.runCommand(p.page, INSTALL_HOOK);
    assert.deepEqual(await H.waitForNotification(p.page, /^Installed /), {
      severity: 'info',
      message: installed('.git/hooks/pre-commit'),
      buttons: OPEN_HOOK,
    });
    isOurs(hook);
    await shot(p.page, 'm-hook-installed');
    await H.clickNotificationButton(p.page, /^Installed /, 'Open Hook');
    await p.page.locator('.tabs-container .tab.active[data-resource-name="pre-commit"]').waitFor({ state: 'visible' });
    await H.clearNotifications(p.page);
    // the hook is the CLI on the project: its output and exit code (1: the example has errors)
    const cli = cliRun(p.folder);
    assert.equal(cli.status, 1, `the CLI should find errors in the example (exit 1 with --fail-on error):\n${cli.stdout}${cli.stderr}`);
    assert.match(cli.stdout, /: error DD[HG]\d{3} /);
    const ran = hookRun(p.folder);
    assert.deepEqual(
      { status: ran.status, stdout: ran.stdout },
      { status: 1, stdout: cli.stdout },
      `the hook should print the CLI's findings and exit 1; it said:\n${ran.stderr}`,
    );
    // and git runs it: the commit is refused, HEAD stays
    assertCommitRefused(p.folder, cli.stdout);

    // 2. again: nothing to do
    await H.runCommand(p.page, INSTALL_HOOK);
    assert.deepEqual(await H.waitForNotification(p.page, 'already installed'), {
      severity: 'info',
      message: 'The pre-commit hook is already installed (.git/hooks/pre-commit).',
      buttons: OPEN_HOOK,
    });
    await H.clearNotifications(p.page);

    // 3. a hook of the user's own: VS Code asks; "Cancel" leaves it alone, "Replace" keeps it as pre-commit.backup
    const theirs = "#!/bin/sh\n# the team's own checks\nexec make lint\n";
    fs.writeFileSync(hook, theirs, { mode: 0o755 });
    fs.chmodSync(hook, 0o755);
    const question = {
      severity: 'warning',
      message: 'This repository already has a pre-commit hook (.git/hooks/pre-commit).',
      detail:
        'Replace it with one that runs django-deploy-check? The current hook will be kept as .git/hooks/pre-commit.backup; it will no longer run.',
      buttons: ['Cancel', 'Replace'], // in the order VS Code shows them on Linux
    };
    await H.runCommand(p.page, INSTALL_HOOK);
    assert.deepEqual(await H.waitForDialog(p.page), question, 'the command should ask before replacing a hook');
    await shot(p.page, 'm-hook-replace-asked');
    await H.answerDialog(p.page, 'Cancel');
    assert.equal(fs.readFileSync(hook, 'utf8'), theirs, '"Cancel" must leave the existing hook as it was');
    assert.equal(fs.statSync(hook).mode & 0o777, 0o755);
    assert.deepEqual(
      fs.readdirSync(hooks).filter((f) => f.startsWith('pre-commit.backup')),
      [],
      '"Cancel" makes no backup',
    );
    assert.deepEqual(
      (await H.notificationToasts(p.page)).filter((n) => n.message.startsWith('Installed ')),
      [],
      '"Cancel" installs nothing',
    );

    await H.runCommand(p.page, INSTALL_HOOK);
    assert.deepEqual(await H.waitForDialog(p.page), question);
    await H.answerDialog(p.page, 'Replace');
    assert.deepEqual(await H.waitForNotification(p.page, /^Installed /), {
      severity: 'info',
      message: installed('.git/hooks/pre-commit', ' The previous hook is kept as .git/hooks/pre-commit.backup.'),
      buttons: OPEN_HOOK,
    });
    isOurs(hook);
    const backup = path.join(hooks, 'pre-commit.backup');
    assert.equal(fs.readFileSync(backup, 'utf8'), theirs, 'the replaced hook is kept as pre-commit.backup');
    assert.equal(fs.statSync(backup).mode & 0o777, 0o755, 'the backup keeps its mode');
    await H.clearNotifications(p.page);

    // 4. core.hooksPath: git runs the hooks of that folder, so the hook goes there; an earlier backup is
    // not overwritten (pre-commit.backup.1)
    git(p.folder, 'config', 'core.hooksPath', '.githooks');
    fs.rmSync(hook);
    fs.rmSync(backup);
    const shared = path.join(p.folder, '.githooks');
    fs.mkdirSync(shared);
    const older = '#!/bin/sh\necho an older backup\n';
    fs.writeFileSync(path.join(shared, 'pre-commit.backup'), older, { mode: 0o755 });
    fs.writeFileSync(path.join(shared, 'pre-commit'), theirs, { mode: 0o755 });
    await H.runCommand(p.page, INSTALL_HOOK);
    assert.deepEqual(await H.waitForDialog(p.page), {
      ...question,
      message: 'This repository already has a pre-commit hook (.githooks/pre-commit).',
      detail:
        'Replace it with one that runs django-deploy-check? The current hook will be kept as .githooks/pre-commit.backup.1; it will no longer run.',
    });
    await H.answerDialog(p.page, 'Replace');
    assert.deepEqual(await H.waitForNotification(p.page, /^Installed /), {
      severity: 'info',
      message: installed('.githooks/pre-commit', ' The previous hook is kept as .githooks/pre-commit.backup.1.'),
      buttons: OPEN_HOOK,
    });
    isOurs(path.join(shared, 'pre-commit'));
    assert.equal(fs.readFileSync(path.join(shared, 'pre-commit.backup'), 'utf8'), older, 'an earlier backup is left alone');
    assert.equal(fs.readFileSync(path.join(shared, 'pre-commit.backup.1'), 'utf8'), theirs);
    assert.equal(fs.existsSync(hook), false, 'nothing is written to .git/hooks while core.hooksPath is set');
    assertCommitRefused(p.folder, cli.stdout); // git found the hook in .githooks
    await H.clearNotifications(p.page);

    // 5. on a project without errors the same hook lets the commit through
    const clean = path.join(tmp, 'projects', `clean-${Date.now().toString(36)}`, 'clean');
    fs.cpSync(CLEAN, clean, { recursive: true });
    const cleanCli = cliRun(clean);
    assert.equal(cleanCli.status, 0, `the CLI should find no errors in ${path.relative(ROOT, CLEAN)} (the control):\n${cleanCli.stdout}`);
    gitInit(clean);
    fs.copyFileSync(path.join(shared, 'pre-commit'), path.join(clean, '.git', 'hooks', 'pre-commit'));
    fs.chmodSync(path.join(clean, '.git', 'hooks', 'pre-commit'), 0o755);
    const cleanRun = hookRun(clean, path.join(clean, '.git', 'hooks', 'pre-commit'));
    assert.deepEqual(
      { status: cleanRun.status, stdout: cleanRun.stdout },
      { status: 0, stdout: cleanCli.stdout },
      `on a project without errors the hook should exit 0:\n${cleanRun.stderr}`,
    );
    const head = git(clean, 'rev-parse', 'HEAD');
    const commit = spawnSync('git', ['commit', '-q', '--allow-empty', '-m', 'checked'], { cwd: clean, encoding: 'utf8' });
    assert.equal(commit.status, 0, `the commit should go through:\n${commit.stdout}${commit.stderr}`);
    assert.notEqual(git(clean, 'rev-parse', 'HEAD'), head);
    assert.ok(`${commit.stdout}${commit.stderr}`.includes(cleanCli.stdout.trim()), 'git ran the hook (its output is shown)');
  },
  { uses: 'mysite' },
);

scenario(
  'o',
  'Open the Production Settings Module: from the palette as soon as the window is open, and from the checklist\'s "…" menu: production.py opens',
  async (t) => {
    // the first scenario of the split session: the command is run right after the window opened, while
    // the language server is still at its first analysis (the command waits for it, rather than
    // answering "No Django project found in this workspace." as it did)
    const p = await t.project('split', () => openProject(t.env, SPLIT, 'split'));
    const tabs = p.page.locator('.editor-group-container .tab');
    const productionTab = p.page.locator('.tabs-container .tab.active[data-resource-name="production.py"]');
    /** @param {string} how */
    const opensProduction = async (how) => {
      /** @type {{ message: string } | undefined} */
      let answer;
      await H.until(`production.py to open (${how}), or the command to answer`, async () => {
        answer = (await H.notificationToasts(p.page)).find((n) => n.message.includes('No Django project'));
        return answer || productionTab.isVisible();
      });
      assert.equal(answer, undefined, `the command (${how}) answered "${answer?.message}" instead of opening production.py`);
      assert.equal(await tabs.count(), 1, 'one editor is open');
    };
    const closeAll = async () => {
      if (!(await tabs.count())) return;
      await H.runCommand(p.page, 'View: Close All Editors');
      await tabs.first().waitFor({ state: 'detached' });
    };
    await closeAll();
    await H.runCommand(p.page, OPEN_PRODUCTION);
    await opensProduction('the palette, at once');
    const production = /** @type {Production} */ (cliChecklist(t.env.cli, p.folder).production);
    assert.equal(production.file, 'mysite/settings/production.py');

    await closeAll();
    await waitForProductionRow(p, production.module);
    const offered = await H.sideBarMoreActions(p.page, { choose: OPEN_PRODUCTION_TITLE });
    for (const title of [OPEN_PRODUCTION_TITLE, CHOOSE_PRODUCTION_TITLE, COPY_MARKDOWN_TITLE, INSTALL_HOOK_TITLE]) {
      assert.ok(offered.includes(title), `the checklist's "…" menu should offer "${title}"; it offers: ${offered.join(' | ')}`);
    }
    await opensProduction('the "…" menu');
    // the breadcrumbs above the editor name its folder (there are four files named like the modules)
    const crumbs = p.page.locator('.breadcrumbs-control .monaco-breadcrumb-item');
    /** @type {string[]} */
    let shown = [];
    await H.until(
      'the breadcrumbs of production.py',
      async () => {
        shown = (await crumbs.allInnerTexts()).map((x) => x.trim()).filter(Boolean);
        return shown.slice(0, 3).join('/') === production.file;
      },
      { timeout: 10_000 },
    ).catch(() =>
      assert.fail(`the breadcrumbs should start with ${production.file.split('/').join(' › ')}; they show ${shown.join(' › ')}`),
    );
    assert.match(await p.page.title(), /^production\.py - split\b/);
    assert.deepEqual(
      (await H.notificationToasts(p.page)).map((n) => n.message),
      [],
      'no notification',
    );
    await H.parkMouse(p.page);
    await shot(p.page, 'o-production-module-opened');
  },
  { uses: 'split' },
);

scenario(
  'g',
  'split settings: base.py (inherited by production.py) has squiggles, local.py and test.py none',
  async (t) => {
    const p = await t.project('split', () => openProject(t.env, SPLIT, 'split'));
    const base = 'mysite/settings/base.py';
    const local = 'mysite/settings/local.py';
    const production = p.report.projects[0]?.production?.module;
    assert.equal(production, 'mysite.settings.production', 'the CLI should take the production module from wsgi.py');
    for (const code of ['DDH101', 'DDH107']) {
      assert.ok(
        diagsOf(p, base).some((d) => d.code === code),
        `the CLI should report ${code} in ${base} (inherited by production.py)`,
      );
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
  },
  { uses: 'split' },
);

/**
 * The "split" session's production module as the checklist view shows it (its first row).
 * @param {Project} p
 * @param {string} module
 */
async function waitForProductionRow(p, module) {
  await H.openViewContainer(p.page, CONTAINER_TITLE);
  const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
  const want = `Production: ${module}`;
  /** @type {import('./harness.mjs').ListRow[]} */
  let rows = [];
  await H.until(
    `the checklist to show "${want}"`,
    async () => {
      rows = await H.readAllListRows(p.page, tree);
      return rows[0]?.label === want || rows[0]?.label.startsWith(`${want}, because `) === true;
    },
    { timeout: 20_000 },
  ).catch(() => assert.fail(`the checklist's first row should be "${want}"; it shows:\n${rows.slice(0, 3).map(showTreeRow).join('\n')}`));
  return tree;
}

/**
 * The workspace settings of a project copy (.vscode/settings.json), {} when there are none.
 * @param {string} folder
 */
function workspaceSettings(folder) {
  const file = path.join(folder, '.vscode', 'settings.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

scenario(
  'n',
  'Choose the Production Settings Module: the quick pick stores the choice in .vscode/settings.json; diagnostics, checklist and "Open" follow it, and "Detect automatically" undoes it',
  async (t) => {
    const p = await t.project('split', () => openProject(t.env, SPLIT, 'split'));
    const detected = cliChecklist(t.env.cli, p.folder);
    assert.equal(detected.production?.module, 'mysite.settings.production', 'the CLI should take the production module from wsgi.py');
    const chosen = 'mysite.settings.local';
    const chosenReport = cliReport(t.env.cli, p.folder, ['--settings', chosen]);
    const chosenChecklist = cliChecklist(t.env.cli, p.folder, ['--settings', chosen]);
    const local = 'mysite/settings/local.py';
    // the control: the choice changes what is reported (local.py gets production findings)
    assert.ok(
      diagsOf({ report: chosenReport }, local).some((d) => d.code === 'DDH107'),
      `with --settings ${chosen} the CLI should report DDH107 in ${local}`,
    );
    assert.deepEqual(diagsOf(p, local), [], `with the detected module the CLI reports nothing in ${local}`);
    // each module says why it is production, or why not (issue 58); Enter alone keeps the one in effect
    assert.ok(
      pickItems(detected).some((i) => i.label === 'mysite.settings.local' && /its name says development/.test(i.detail)),
      'the control: the CLI says why local.py is not production',
    );

    await H.openViewContainer(p.page, 'Explorer');
    await H.openFile(p.page, local);
    await H.runCommand(p.page, CHOOSE_PRODUCTION, { opensQuickPick: true });
    const pick = await H.waitForQuickPick(p.page, 'Production Settings Module');
    assert.deepEqual(
      pick,
      {
        title: 'Production Settings Module of split',
        placeholder: 'The module production runs (stored in the workspace settings)',
        items: pickItems(detected),
      },
      'the quick pick lists every settings module, each with why it is or is not production',
    );
    await shot(p.page, 'n-choose-production-quick-pick');
    await H.pickQuickItem(p.page, chosen);
    assert.deepEqual(await H.waitForNotification(p.page, 'Production settings module'), {
      severity: 'info',
      message: `Production settings module: ${chosen} (stored in the workspace settings).`,
      buttons: ['Open Workspace Settings'],
    });
    assert.deepEqual(
      workspaceSettings(p.folder),
      { 'djangoDeployHygiene.productionSettingsModule': chosen },
      'the choice is stored in the workspace settings',
    );
    // everything follows: Problems, squiggles, the checklist's first row, the status bar
    await waitForProblemsLikeCli(p.page, chosenReport, p.folder);
    await checkFileSquiggles({ ...p, report: chosenReport }, local);
    await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), chosenChecklist.counts.failing);
    const defaultWidth = /** @type {{ width: number }} */ (await p.page.locator('.part.sidebar').boundingBox()).width;
    await waitForProductionRow(p, chosen);
    await H.resizeSideBar(p.page, 560);
    await H.collapseOtherProblemGroups(p.page, 'local.py');
    await H.focusEditor(p.page);
    await shot(p.page, 'n-chose-local-settings');
    await H.clickNotificationButton(p.page, 'Production settings module', 'Open Workspace Settings');
    await p.page.locator('.tabs-container .tab.active[data-resource-name="settings.json"]').waitFor({ state: 'visible' });
    const stored = /"djangoDeployHygiene\.productionSettingsModule":\s*"mysite\.settings\.local"/;
    let shownSettings = '';
    await H.until(
      'settings.json to show the setting',
      async () => stored.test((shownSettings = await H.activeEditor(p.page).locator('.view-lines').innerText())),
      { timeout: 10_000 },
    ).catch(() => assert.match(shownSettings, stored, 'the editor opened by "Open Workspace Settings" shows the setting'));
    await H.clearNotifications(p.page);
    // "Open the Production Settings Module" opens the chosen one
    await H.runCommand(p.page, OPEN_PRODUCTION);
    await p.page.locator('.tabs-container .tab.active[data-resource-name="local.py"]').waitFor({ state: 'visible' });

    // back to detection: the first item of the quick pick, while a choice is stored
    await H.runCommand(p.page, CHOOSE_PRODUCTION, { opensQuickPick: true });
    const again = await H.waitForQuickPick(p.page, 'Production Settings Module');
    assert.deepEqual(again.items, [
      {
        label: 'Detect automatically',
        description: `instead of ${chosen}`,
        detail: 'From wsgi.py or asgi.py, the Procfile, Dockerfile, docker-compose, systemd units, .env.production, then module names',
        active: false,
      },
      ...pickItems(chosenChecklist),
    ]);
    await H.pickQuickItem(p.page, 'Detect automatically');
    assert.deepEqual(await H.waitForNotification(p.page, 'detected again'), {
      severity: 'info',
      message: 'The production settings module is detected again.',
      buttons: [],
    });
    assert.deepEqual(workspaceSettings(p.folder), {}, 'the setting is removed from the workspace settings');
    await waitForProblemsLikeCli(p.page, p.report, p.folder);
    await waitForProductionRow(p, detected.production.module);
    await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), detected.counts.failing);
    await H.clearNotifications(p.page);
    await H.resizeSideBar(p.page, defaultWidth);
  },
  { uses: 'split' },
);

scenario(
  'p',
  'Copy Checklist as Markdown from the checklist\'s "…" menu: the clipboard holds the CLI\'s Markdown, with the item ticked by hand',
  async (t) => {
    const p = await t.project('split', () => openProject(t.env, SPLIT, 'split'));
    const checklist = cliChecklist(t.env.cli, p.folder);
    const cliMarkdown = execFileSync(process.execPath, [t.env.cli, 'checklist', p.folder, '--format', 'markdown'], { encoding: 'utf8' });
    assert.ok(cliMarkdown.startsWith('### Production checklist'), 'the CLI\'s Markdown starts with "### Production checklist"');
    const item = checklist.groups.flatMap((g) => g.items).find((i) => i.manual);
    assert.ok(item, 'the checklist should have an item to check by hand');
    const open = `- [ ] ✋ ${item.title} — check by hand`;
    assert.equal(cliMarkdown.split('\n').filter((l) => l === open).length, 1, `the CLI's Markdown should list "${open}" once`);
    // a tick given in the view is a ticked box in the Markdown (the CLI knows no ticks), and the
    // summary line counts it as passed, as the view does
    /** @param {string} line */
    const bump = (line) =>
      line.replace(
        /^\*\*(.*)\*\*$/,
        (/** @type {string} */ _m, /** @type {string} */ inner) =>
          `**${inner
            .replace(/(\d+) passed/, (_p, n) => `${Number(n) + 1} passed`)
            .replace(/(\d+) manual/, (_p, n) => `${Number(n) - 1} manual`)
            .replace(/, 0 manual|0 manual, /, '')}**`,
      );
    const want = cliMarkdown
      .split('\n')
      .map((l) => (l === open ? `- [x] ✅ ${item.title}` : /^\*\*\d+ .*(passed|manual).*\*\*$/.test(l) ? bump(l) : l))
      .join('\n');

    await H.allowClipboard(p.page);
    const tree = await waitForProductionRow(p, /** @type {Production} */ (checklist.production).module);
    const row = await H.revealListRow(
      p.page,
      tree,
      (r) => r.level === 2 && r.label === `${item.title}: to check by hand`,
      `the item "${item.title}"`,
    );
    await H.clickRowAction(p.page, row, MARK_DONE);
    await H.until(
      `"${item.title}" to be done`,
      async () => (await H.readAllListRows(p.page, tree)).some((r) => r.label === `${item.title}: done`),
      { timeout: 10_000 },
    );
    await H.sideBarMoreActions(p.page, { choose: COPY_MARKDOWN_TITLE });
    assert.deepEqual(await H.waitForNotification(p.page, 'copied'), {
      severity: 'info',
      message: 'Production checklist copied as Markdown.',
      buttons: [],
    });
    const copied = await H.readClipboard(p.page);
    assert.ok(
      copied.startsWith('### Production checklist'),
      `the clipboard should start with "### Production checklist"; it starts with ${JSON.stringify(copied.slice(0, 40))}`,
    );
    assert.equal(copied, want, "the clipboard holds the CLI's checklist in Markdown, with the ticked item ticked");
    // what a pull request gets: pasted into a new editor
    await H.runCommand(p.page, 'File: New Untitled Text File');
    await p.page.locator('.tabs-container .tab.active').filter({ hasText: 'Untitled-1' }).waitFor({ state: 'visible' });
    await H.focusEditor(p.page);
    await p.page.keyboard.press('Control+V');
    // an untitled editor is named after its first line
    await p.page
      .locator('.tabs-container .tab.active')
      .filter({ hasText: '### Production checklist' })
      .waitFor({ state: 'visible', timeout: 10_000 });
    await H.clearNotifications(p.page);
    // and as a pull request shows it: VS Code's Markdown preview beside it
    await H.runCommand(p.page, 'Change Language Mode', { opensQuickPick: true });
    await H.waitForQuickPick(p.page, /language mode/i);
    await p.page.keyboard.type('Markdown');
    await H.pickQuickItem(p.page, 'Markdown');
    await H.runCommand(p.page, 'Markdown: Open Preview to the Side');
    await H.until(
      'the Markdown preview to render the checklist',
      async () => {
        for (const frame of p.page.frames()) {
          const heading = await frame.evaluate(() => document.querySelector('h3')?.textContent ?? '').catch(() => '');
          if (heading.startsWith('Production checklist')) return true;
        }
        return false;
      },
      { timeout: 20_000 },
    );
    await H.hidePanel(p.page);
    // back to the text (the preview, a webview, has the focus and keeps Ctrl+1 to itself): a click in it
    // under load the first click can land before the editor takes the focus back: click and press again until it holds.
    // Each try gives the status bar a moment to show the move: read at once, it can still show where the click put
    // the cursor, and the next try's click moves it there again (a clean-clone CI run failed so, in 15 s of tries)
    await H.until(
      'the cursor at the top of the Markdown',
      async () => {
        await p.page.locator('.editor-group-container').first().locator('.monaco-editor').click();
        await p.page.keyboard.press('Control+Home');
        for (let i = 0; i < 20; i++) {
          if ((await H.cursorPosition(p.page)) === 'Ln 1, Col 1') return true;
          await p.page.waitForTimeout(100);
        }
        return false;
      },
      { timeout: 30_000 },
    );
    await shot(p.page, 'p-checklist-markdown-pasted');
  },
  { uses: 'split' },
);

scenario(
  'q',
  "Multi-root workspace: Choose the Production Settings Module asks which project, stores the choice in that folder's own settings, and only that folder follows it",
  async (t) => {
    const p = await t.project('multi', () => openMultiRoot(t.env, SPLIT, 'multi', ['shop', 'blog']));
    const [shop, blog] = p.folders;
    const chosen = 'mysite.settings.local';
    const local = 'mysite/settings/local.py';
    // the control: with --settings, the CLI reports DDH107 in the chosen module
    const blogChosen = cliReport(t.env.cli, blog, ['--settings', chosen]);
    assert.ok(
      diagsOf({ report: blogChosen }, local).some((d) => d.code === 'DDH107'),
      `with --settings ${chosen} the CLI should report DDH107 in ${local}`,
    );
    assert.deepEqual(diagsOf(p, `blog/${local}`), [], `with the detected module the CLI reports nothing in blog/${local}`);
    await waitForProblemsLikeCli(p.page, p.report, p.folder);

    await H.runCommand(p.page, CHOOSE_PRODUCTION, { opensQuickPick: true });
    const which = await H.waitForQuickPick(p.page, 'Which Django project?');
    assert.deepEqual(
      which.items.map((i) => [i.label, i.description]),
      [
        ['shop', 'mysite.settings.production'],
        ['blog', 'mysite.settings.production'],
      ],
      'the first quick pick asks which project (in the order of the workspace folders), naming each with its production module',
    );
    await shot(p.page, 'q-multi-root-which-project');
    await H.pickQuickItem(p.page, 'blog', { closes: false });
    const pick = await H.waitForQuickPick(p.page, 'Production Settings Module');
    assert.equal(pick.title, 'Production Settings Module of blog');
    assert.equal(pick.placeholder, 'The module production runs (stored in the folder settings)');
    await H.pickQuickItem(p.page, chosen);
    assert.deepEqual(await H.waitForNotification(p.page, 'Production settings module'), {
      severity: 'info',
      message: `Production settings module: ${chosen} (stored in the folder settings).`,
      buttons: ['Open Folder Settings'],
    });
    assert.deepEqual(
      workspaceSettings(blog),
      { 'djangoDeployHygiene.productionSettingsModule': chosen },
      "the choice is stored in blog's .vscode/settings.json",
    );
    assert.deepEqual(workspaceSettings(shop), {}, 'shop has no settings of its own');
    assert.deepEqual(
      JSON.parse(fs.readFileSync(p.workspaceFile, 'utf8')).settings,
      {},
      'the workspace file is left alone: its settings would apply to every folder',
    );
    // "Open Folder Settings" opens blog's .vscode/settings.json
    await H.clickNotificationButton(p.page, 'Production settings module', 'Open Folder Settings');
    await p.page.locator('.tabs-container .tab.active[data-resource-name="settings.json"]').waitFor({ state: 'visible' });
    const stored = /"djangoDeployHygiene\.productionSettingsModule":\s*"mysite\.settings\.local"/;
    let shown = '';
    await H.until(
      'settings.json to show the setting',
      async () => stored.test((shown = await H.activeEditor(p.page).locator('.view-lines').innerText())),
      { timeout: 10_000 },
    ).catch(() =>
      assert.match(shown, stored, 'the editor opened by "Open Folder Settings" shows the setting (only blog has a settings.json)'),
    );
    await H.clearNotifications(p.page);
    // blog's Problems follow the choice; shop's stay as detected
    const expected = {
      diagnostics: [
        ...p.report.diagnostics.filter((d) => !d.file.startsWith('blog/')),
        ...blogChosen.diagnostics.map((d) => ({ ...d, file: `blog/${d.file}` })),
      ],
    };
    await waitForProblemsLikeCli(p.page, expected, p.folder);
    await H.collapseOtherProblemGroups(p.page, 'local.py');
    await H.focusEditor(p.page);
    await shot(p.page, 'q-multi-root-chose-blog-local');
  },
);

scenario(
  's',
  'an analysis that never returns: the worker is stopped at its deadline, the file it was on says where, the other findings stay',
  async (t) => {
    const base = path.join(tmp, 'projects', `stuck-${Date.now().toString(36)}`);
    const folder = path.join(base, 'mysite');
    fs.cpSync(EXAMPLE, folder, { recursive: true });
    // the module whose evaluation never returns stands in for a hostile input (read by the server's worker only)
    const slow = path.join(folder, 'mysite', 'slow.py');
    fs.writeFileSync(slow, 'CACHE_MIDDLEWARE_SECONDS = 60\n');
    const p = await openInCodeServer(t.env, base, folder, cliReport(t.env.cli, folder), { serverEnv: { DDH_TEST_STALL_ON: slow } });
    try {
      await H.openFile(p.page, 'mysite/settings.py');
      await waitForProblemsLikeCli(p.page, p.report, p.folder);
      const before = (await H.readAllProblems(p.page)).find((g) => g.name === 'settings.py');
      assert.ok(before && before.count > 0, 'settings.py has its findings');
      // production now reads the module whose evaluation never returns
      await H.clickAt(p.page, 1, 1);
      await p.page.keyboard.press('Control+Home'); // the click may land after the first quote of the docstring
      // in one edit, on the docstring's line (`from .slow import *; """…`: still valid Python): typed key
      // by key, or with a line break the editor sends apart, the last analysis that finished would be
      // of a half-written line
      await p.page.keyboard.insertText('from .slow import *; ');
      /** @type {{ severity: string, text: string } | undefined} */
      let stopped;
      await H.until(
        'the analysis-stopped warning on slow.py (the deadline is 20 s)',
        async () =>
          !!(stopped = (await H.readAllProblems(p.page))
            .find((g) => g.name === 'slow.py')
            ?.markers.find((m) => m.text.includes('Analysis stopped'))),
        { timeout: 60_000, interval: 1000 },
      );
      assert.equal(stopped?.severity, 'Warning');
      assert.match(stopped?.text ?? '', /ran past its 20 s deadline while evaluating the settings in .*slow\.py/);
      const after = (await H.readAllProblems(p.page)).find((g) => g.name === 'settings.py');
      // settings.py keeps its findings, from the last analysis that finished
      assert.ok(
        after?.markers.some((m) => m.text.includes('DDH107')),
        JSON.stringify(after),
      );
      await H.openFile(p.page, 'mysite/slow.py');
      await H.waitForSquiggles(p.page, { kind: 'warning' });
      await shot(p.page, 's-analysis-stopped');
    } finally {
      await p.close();
    }
  },
  { timeout: 150_000 },
);

scenario(
  't',
  'a Kubernetes deployment: the checklist says which files chose the module and which variables production gets; the manifest line that turns DEBUG on has the finding',
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'projects', 'deploy-k8s');
    const p = await t.project('deploy-k8s', () => openProject(t.env, fixture, 'deploy-k8s'));
    // the CLI, as the control: the module comes from the manifest, DDG310 is on the ConfigMap's line
    const [project] = p.report.projects;
    assert.equal(project?.production?.module, 'mysite.cloud', JSON.stringify(project?.production));
    await H.hidePanel(p.page);
    await H.openViewContainer(p.page, CONTAINER_TITLE);
    await H.resizeSideBar(p.page, 560);
    // the checklist opens on its production row; the evidence is folded under it (issue 58)
    const tree = await waitForProductionRow(p, 'mysite.cloud');
    await H.expandListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith('Production: '), 'the production row');
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith('Deployment files'), 'the deployment files');
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith('Variables'), 'the variables');
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith('Other settings modules'), 'the other modules');
    /** @type {import('./harness.mjs').ListRow[]} */
    let rows = [];
    await H.until('the checklist names the deployment files it read', async () => {
      rows = await H.readAllListRows(p.page, tree);
      return rows.some((r) => r.label.startsWith('web.yaml'));
    });
    const row = (/** @type {string} */ label) => rows.find((r) => r.label.startsWith(label));
    assert.equal(row('Production: ')?.description, 'because named by k8s/web.yaml:26');
    assert.ok(row('named by k8s/web.yaml:26 (DJANGO_SETTINGS_MODULE)'), rows.map(showTreeRow).join('\n'));
    assert.ok(row('the environment of Deployment web (container django) in k8s/web.yaml'), rows.map(showTreeRow).join('\n'));
    assert.equal(row('Deployment files')?.description, '1 read');
    assert.equal(row('web.yaml')?.description, 'k8s · Kubernetes manifest, 1 process'); // the name first, its folder after it
    assert.match(row('Variables')?.description ?? '', /^\d+ the settings or the app server read$/);
    assert.match(row('SECRET_KEY')?.description ?? '', /^value not in the files/);
    assert.match(row('DJANGO_DEBUG')?.description ?? '', /Deployment web \(container django\) in k8s\/web\.yaml/);
    assert.match(row('mysite.settings')?.description ?? '', /^mysite\.cloud reads it/);
    await H.parkMouse(p.page);
    await shot(p.page, 't-checklist-deployment');
    // an evidence row opens the file it names at its line
    const evidence = await H.revealListRow(p.page, tree, (r) => r.label.startsWith('named by k8s/web.yaml:26'), 'the evidence row');
    await evidence.click();
    await p.page.locator('.tabs-container .tab.active[data-resource-name="web.yaml"]').waitFor({ state: 'visible' });
    await H.until('the editor to be at line 26', async () => /^Ln 26, /.test(await H.cursorPosition(p.page)), { timeout: 10_000 }).catch(
      async () =>
        assert.fail(`the evidence row should open k8s/web.yaml at line 26; the status bar shows ${await H.cursorPosition(p.page)}`),
    );
    await H.openFile(p.page, 'k8s/config.yaml');
    await H.waitForSquiggles(p.page, { kind: 'error' });
    const config = (await H.readAllProblems(p.page)).find((g) => g.name === 'config.yaml');
    assert.ok(
      config?.markers.some((m) => m.text.includes('DDG310') && m.text.includes('turns DEBUG on')),
      JSON.stringify(config),
    );
    await H.parkMouse(p.page);
    await shot(p.page, 't-deployment-evidence');
  },
  { uses: 'deploy-k8s' },
);

scenario(
  'u',
  'hover over a setting name shows its value in production, and says the deployment file sets the variable it reads',
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'projects', 'deploy-k8s');
    const p = await t.project('deploy-k8s', () => openProject(t.env, fixture, 'deploy-k8s'));
    const rel = 'mysite/settings.py';
    const line = read(p, rel)
      .split('\n')
      .findIndex((l) => l.startsWith('DEBUG = '));
    assert.ok(line >= 0, 'settings.py assigns DEBUG');
    await H.openFile(p.page, rel);
    await H.waitForSquiggles(p.page, { kind: 'error' });
    // on the name, not on the squiggled value: the settings hover
    const text = await H.hoverAt(p.page, line + 1, 2);
    assert.match(text, /In production: True/, text);
    assert.match(text, /DJANGO_DEBUG as k8s\/config\.yaml:7 sets it for the production process/, text);
    await shot(p.page, 'u-hover-setting-in-production', { keepHover: true });
    await p.page.mouse.move(2, 2);
  },
  { uses: 'deploy-k8s' },
);

scenario(
  'v',
  'an nginx file in front of the app: the redirect-loop squiggle on proxy_pass, its quick fix adds the X-Forwarded-Proto header, and the squiggle goes',
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'rules', 'DDX101', 'bad-no-header');
    // deploy/nginx is one row in compact folders; the walk to the file wants a row per folder
    const p = await t.project('nginx', () => openProject(t.env, fixture, 'nginx', { settings: { 'explorer.compactFolders': false } }));
    const rel = 'deploy/nginx/mysite.conf';
    const loop = diagsOf(p, rel).find((d) => d.code === 'DDX101');
    assert.ok(loop, `the CLI reports no DDX101 in ${rel}`);
    const before = read(p, rel);
    await H.openFile(p.page, rel);
    await H.waitForSquiggles(p.page, { kind: 'error' });
    assert.ok(
      (await H.squigglesOnLine(p.page, loop.line)).some((q) => q.kind === 'error'),
      `line ${loop.line} has the error squiggle`,
    );
    const title = 'Add proxy_set_header X-Forwarded-Proto $scheme;';
    const titles = await H.openLightBulbMenu(p.page, loop.line, loop.column + 1);
    assert.ok(titles.includes(title), `the light-bulb menu should offer "${title}"; it offers: ${titles.join(' | ')}`);
    await shot(p.page, 'v-nginx-redirect-loop');
    await H.chooseCodeAction(p.page, title);
    await H.until('the redirect-loop squiggle to go away', async () => (await H.squigglesOnLine(p.page, loop.line + 1)).length === 0, {
      timeout: 20_000,
    });
    await H.saveActiveEditor(p.page);
    const lines = before.split('\n');
    const at = loop.line - 1;
    const indent = (lines[at] ?? '').match(/^\s*/)?.[0] ?? '';
    const expected = [...lines.slice(0, at), `${indent}proxy_set_header X-Forwarded-Proto $scheme;`, ...lines.slice(at)].join('\n');
    assert.equal(read(p, rel), expected, 'the fix adds the header above proxy_pass and changes nothing else');
    p.report = cliReport(t.env.cli, p.folder);
    assert.ok(!p.report.diagnostics.some((d) => d.code === 'DDX101'), 'the CLI no longer reports DDX101');
    await shot(p.page, 'v-nginx-fixed');
  },
);

scenario(
  'w',
  "the checklist's Production settings row opens the production settings as Django will see them: a read-only document holding what the CLI's settings command prints",
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'projects', 'deploy-k8s');
    const p = await t.project('deploy-k8s', () => openProject(t.env, fixture, 'deploy-k8s'));
    // the control: the CLI's view of the same copy (DEBUG comes from the manifest's variable)
    const cli = execFileSync(process.execPath, [t.env.cli, 'settings', p.folder], { encoding: 'utf8' });
    assert.match(cli, /^mysite\.cloud \(mysite\/cloud\.py\), Django /, cli.slice(0, 200));
    assert.match(cli, /\nDEBUG = True {2}# environment: /);
    await H.hidePanel(p.page);
    await H.allowClipboard(p.page);
    const tree = await waitForProductionRow(p, 'mysite.cloud');
    const row = await H.revealListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith('Production: '), 'the production row');
    const clicked = await H.clickRowAction(p.page, row, 'Show the Production Settings');
    assert.equal(clicked, 'Show the Production Settings as Django Will See Them');
    const tab = p.page.locator('.tabs-container .tab.active').filter({ hasText: 'production settings' });
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    const copy = async () => {
      await H.focusEditor(p.page);
      await p.page.keyboard.press('Control+A');
      await p.page.keyboard.press('Control+C');
      return H.readClipboard(p.page);
    };
    /** @type {string} */
    let text = '';
    await H.until('the document to hold the settings', async () => (text = await copy()).startsWith('mysite.cloud'), { timeout: 20_000 });
    assert.equal(text, cli, "the document holds what the CLI's settings command prints");
    // read-only: a key typed changes nothing
    await p.page.keyboard.press('End');
    await p.page.keyboard.type('x');
    assert.equal(await copy(), cli, 'the document cannot be edited');
    await p.page.keyboard.press('Control+Home');
    await H.parkMouse(p.page);
    await shot(p.page, 'w-production-settings-document');
  },
  { uses: 'deploy-k8s' },
);

scenario(
  'x',
  "a production compose file's environment: the committed env_file's value that turns secure cookies off has the squiggle in the env file, and the ${DJANGO_DEBUG:-True} default has it in the compose file; the settings' DEBUG warning's hover says what it rests on (a value the deployment may override)",
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'rules', 'DDG310', 'bad-compose-default');
    const p = await t.project('compose-env', () => openProject(t.env, fixture, 'compose-env'));
    // the control: the CLI reports both on the deployment files' lines
    const ddg310 = p.report.diagnostics.filter((d) => d.code === 'DDG310').map((d) => `${d.file}:${d.line}`);
    assert.deepEqual(ddg310.sort(), ['docker-compose.prod.yml:8', 'production.env:2'], JSON.stringify(ddg310));
    await H.hidePanel(p.page);
    await H.openFile(p.page, 'production.env');
    await H.waitForSquiggles(p.page, { kind: 'error' });
    const env = (await H.readAllProblems(p.page)).find((g) => g.name === 'production.env');
    assert.ok(
      env?.markers.some((m) => m.text.includes('DDG310') && m.text.includes('SESSION_COOKIE_SECURE off')),
      JSON.stringify(env),
    );
    await H.parkMouse(p.page);
    await shot(p.page, 'x-compose-env-file');
    await H.openFile(p.page, 'docker-compose.prod.yml');
    await H.waitForSquiggles(p.page, { kind: 'error' });
    const compose = (await H.readAllProblems(p.page)).find((g) => g.name === 'docker-compose.prod.yml');
    assert.ok(
      compose?.markers.some((m) => m.text.includes('DDG310') && m.text.includes('the default compose gives it')),
      JSON.stringify(compose),
    );
    await H.parkMouse(p.page);
    await shot(p.page, 'x-compose-default');

    // the settings' DEBUG finding rests on a value the deployment may override: the hover says what
    // it rests on, and the warning is the rule's error lowered one step for it (issue 57)
    const debug = p.report.diagnostics.find((d) => d.code === 'DDH107' && d.file === 'mysite/settings.py');
    assert.ok(debug, 'the CLI reports DDH107 in mysite/settings.py');
    assert.equal(debug.severity, 'warning', JSON.stringify(debug));
    await H.openFile(p.page, 'mysite/settings.py');
    await H.waitForSquiggles(p.page, { kind: 'warning' });
    const hover = await H.hoverAt(p.page, debug.line, debug.column + 1);
    assert.match(hover, /Rests on:/, hover);
    assert.match(hover, /DJANGO_DEBUG[\s\S]*as written unless overridden/, hover);
    await shot(p.page, 'x-hover-rests-on', { keepHover: true });
    await p.page.mouse.move(2, 2);
  },
);

scenario(
  'y',
  'a settings file a Kubernetes Deployment mounts from a ConfigMap: its DEBUG = True has the squiggle inside the manifest, where production gets it from',
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'rules', 'DDH107', 'bad-configmap-mounted');
    const p = await t.project('configmap-mounted', () => openProject(t.env, fixture, 'configmap-mounted'));
    // the control: the CLI reports DEBUG on the ConfigMap's line, not on the development example
    const ddh107 = p.report.diagnostics.filter((d) => d.code === 'DDH107').map((d) => `${d.file}:${d.line}`);
    assert.deepEqual(ddh107, ['k8s/web.yaml:27'], JSON.stringify(ddh107));
    await H.hidePanel(p.page);
    await H.openFile(p.page, 'k8s/web.yaml');
    await H.waitForSquiggles(p.page, { kind: 'error' });
    // the error squiggle sits on the ConfigMap value's `True`, in the manifest
    const onLine = await H.squigglesOnLine(p.page, 27);
    assert.ok(
      onLine.some((q) => q.kind === 'error'),
      JSON.stringify(onLine),
    );
    const yaml = (await H.readAllProblems(p.page)).find((g) => g.name === 'web.yaml');
    assert.ok(
      yaml?.markers.some((m) => m.text.includes('DDH107') && m.text.includes('DEBUG is True')),
      JSON.stringify(yaml),
    );
    // the squiggled line in view beside the Problems panel
    await H.revealLine(p.page, 27);
    await H.parkMouse(p.page);
    await shot(p.page, 'y-configmap-mounted-settings');
  },
);

scenario('h', 'restricted mode (workspace not trusted): diagnostics still appear, nothing runs', async (t) => {
  // the same Python as scenario i (a user setting: restricted mode ignores only the workspace's value),
  // and a keyboard shortcut for the command, which the palette's and the title bar's `when` do not cover
  const py = djangoPython();
  const p = await t.project('restricted', () =>
    openProject(t.env, EXAMPLE, 'restricted', {
      trusted: false,
      settings: { 'djangoDeployHygiene.pythonPath': py.wrapper },
      keybindings: [{ key: RUN_DJANGO_CHECK_KEY.key, command: 'djangoDeployHygiene.runDjangoCheck' }],
    }),
  );
  const rel = 'mysite/settings.py';
  await H.waitForTrustDialog(p.page);
  await H.chooseRestrictedMode(p.page);
  assert.equal(await H.isRestrictedMode(p.page), true, 'the status bar should show "Restricted Mode"');
  await H.openFile(p.page, rel);
  await H.waitForSquiggles(p.page, { kind: 'error' });
  const seen = await waitForProblemsLikeCli(p.page, p.report, p.folder);
  assert.ok((seen.byFile.get(rel)?.length ?? 0) > 0, `the Problems panel should list ${rel}`);
  await checkFileSquiggles(p, rel);
  assert.equal(
    await H.commandOffered(p.page, RUN_DJANGO_CHECK),
    false,
    `restricted mode must not offer "${RUN_DJANGO_CHECK}" (it runs the project's Python)`,
  );
  await H.openViewContainer(p.page, CONTAINER_TITLE);
  const buttons = await H.sideBarTitleActions(p.page);
  assert.ok(
    buttons.some((b) => b.startsWith('Refresh Checklist')),
    `the checklist's title bar should be shown; it has: ${buttons.join(' | ')}`,
  );
  assert.ok(
    !buttons.some((b) => b.startsWith(RUN_DJANGO_CHECK_BUTTON)),
    `restricted mode must not show "${RUN_DJANGO_CHECK_BUTTON}" in the checklist's title bar`,
  );
  await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), cliChecklist(t.env.cli, p.folder).counts.failing);
  await H.openViewContainer(p.page, 'Explorer');

  // the shortcut reaches the command (VS Code lets it through: `enablement` only greys out menus), and
  // the command refuses with a warning without starting Python (scenario i is the control: there the
  // command does start Python, and the same watch sees it)
  const starts = pythonStarts(py).length;
  const watch = H.watchProcesses(p.server.pid, isPython(py));
  await H.focusEditor(p.page);
  await p.page.keyboard.press(RUN_DJANGO_CHECK_KEY.press);
  let refusal;
  try {
    refusal = await H.waitForNotification(p.page, 'needs a trusted workspace', { timeout: 15_000 });
  } finally {
    watch.stop();
  }
  assert.deepEqual(refusal, {
    severity: 'warning',
    message: "Running Django's check --deploy executes the project's code, so it needs a trusted workspace.",
    buttons: ['Manage Workspace Trust'],
  });
  assert.deepEqual(watch.seen, [], 'restricted mode must not start Python');
  assert.equal(pythonStarts(py).length, starts, 'restricted mode must not start the configured Python');
  await H.hidePanel(p.page);
  await H.focusEditor(p.page);
  await shot(p.page, 'h-restricted-run-refused');
  await H.clearNotifications(p.page);

  assert.equal(await H.isRestrictedMode(p.page), true, 'still in restricted mode');
  await H.collapseOtherProblemGroups(p.page, 'settings.py');
  await H.focusEditor(p.page);
  await shot(p.page, 'h-restricted-mode-diagnostics');
});

scenario(
  'i',
  "Run Django's check --deploy: Django runs for real and its findings are merged into the checklist",
  async (t) => {
    const p = await t.project('django', () => openDjangoProject(t.env));
    const checklist = cliChecklist(t.env.cli, p.folder);
    const module = /** @type {Production} */ (checklist.production).module;
    // what Django itself says, run the same way (and the stand-in Python works at all)
    const django = djangoCheckDeploy(p.py, p.folder, module);
    log(`  Django's check --deploy on the copy: ${django.count} issues (${django.messages.map((m) => m.id).join(', ')})`);
    assert.ok(
      django.messages.some((m) => m.id === 'security.W018'),
      'Django should report security.W018 (DEBUG = True)',
    );
    const want = checklistWithDjango(checklist, django.messages);
    const debugItem = /** @type {ChecklistItem} */ (checklist.groups.flatMap((g) => g.items).find((i) => i.id === 'debug-off'));
    const debugEntry = /** @type {LocatedEntry | undefined} */ (debugItem?.entries.find((e) => e.code === 'DDH107'));
    assert.ok(debugEntry, 'the CLI checklist should list DDH107 under "DEBUG is off in production"');

    await H.openFile(p.page, 'mysite/settings.py');
    await H.openViewContainer(p.page, CONTAINER_TITLE);
    const defaultWidth = /** @type {{ width: number }} */ (await p.page.locator('.part.sidebar').boundingBox()).width;
    await H.resizeSideBar(p.page, 560);
    const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
    /** @type {string[]} */
    let before = [];
    await H.until(
      'the checklist view to show the CLI checklist',
      async () => {
        before = (await H.readAllListRows(p.page, tree)).map(showTreeRow);
        return JSON.stringify(before) === JSON.stringify(expectedChecklistRows(checklist));
      },
      { timeout: 30_000, interval: 250 },
    ).catch(() => assert.deepEqual(before, expectedChecklistRows(checklist), 'the checklist before the run'));

    const starts = pythonStarts(p.py).length;
    const watch = H.watchProcesses(p.server.pid, isPython(p.py));
    let done;
    try {
      await H.runCommand(p.page, RUN_DJANGO_CHECK);
      done = await H.waitForNotification(p.page, /^Django's check --deploy(:| found| could not)/, { timeout: 60_000 });
    } finally {
      watch.stop();
    }
    const issues = `${django.count} issue${django.count === 1 ? '' : 's'}`;
    assert.equal(
      done.message,
      django.count ? `Django's check --deploy: ${issues}, now in the checklist.` : "Django's check --deploy found no issues.",
    );
    assert.equal(done.severity, 'info');
    // it ran the configured Python, in the project folder, on the production module, as a child of VS Code
    const ran = pythonStarts(p.py).slice(starts);
    assert.deepEqual(
      ran,
      [{ cwd: p.folder, args: `manage.py check --deploy --settings=${module}` }],
      'the extension should start the configured Python once',
    );
    assert.ok(watch.seen.length > 0, 'the Python process should be seen under code-server (the control for scenario h)');

    // the checklist: a row for the run, each of Django's ids where it belongs, the DEBUG finding confirmed
    const runRow = `Django's check --deploy: ${django.count ? `${issues} reported` : 'no issues'}`;
    await H.until(
      'the checklist to show the run',
      async () => (await H.readAllListRows(p.page, tree)).some((r) => r.level === 1 && r.label === runRow),
      { timeout: 20_000 },
    ).catch(async () =>
      assert.fail(
        `the checklist should show the row "${runRow}"; it shows:\n${(await H.readAllListRows(p.page, tree)).map(showTreeRow).join('\n')}`,
      ),
    );
    // the DEBUG item first, for the screenshot while the notification is still on screen
    const itemsToOpen = new Set([debugItem.title, ...[...want.byId.values()].flat().map((i) => i.title)]);
    if (want.other.length) itemsToOpen.add('Other findings of check --deploy');
    /** @param {string} title @returns {(r: import('./harness.mjs').ListRow) => boolean} */
    const isItem = (title) => (r) => r.level === 2 && r.label.startsWith(`${title}:`);
    /** @type {import('./harness.mjs').ListRow[]} */
    let rows = [];
    // the checklist can be refreshed meanwhile (the server re-announces it after Django's result), which
    // has been seen to collapse an item just expanded: so they are expanded until all show as expanded
    for (let pass = 1; ; pass++) {
      for (const title of itemsToOpen) {
        await H.expandListRow(p.page, tree, isItem(title), `the item "${title}"`);
        if (title === debugItem.title && pass === 1) {
          await H.focusEditor(p.page); // the tree's focus frame is not part of what it shows
          await shot(p.page, 'i-django-check-confirmed');
        }
      }
      rows = await H.readAllListRows(p.page, tree);
      const collapsed = [...itemsToOpen].filter((title) => rows.find(isItem(title))?.expanded !== true);
      if (collapsed.length === 0) break;
      if (pass === 3) assert.fail(`items keep collapsing: ${collapsed.join(', ')}`);
      log(`  note: expanded again (collapsed by a refresh of the tree): ${collapsed.join(', ')}`);
    }
    /** @param {string} title */
    const childrenOf = (title) => {
      const i = rows.findIndex((r) => r.level === 2 && r.label.startsWith(`${title}:`));
      assert.ok(i >= 0, `the checklist should have the item "${title}"; it shows:\n${rows.map(showTreeRow).join('\n')}`);
      const out = [];
      for (let j = i + 1; j < rows.length && rows[j].level > 2; j++) out.push(rows[j]);
      return out;
    };
    // the item says so (its findings' long labels hide their descriptions in the side bar), and its finding does
    const debugItemRow = /** @type {import('./harness.mjs').ListRow} */ (rows.find((r) => r.label.startsWith(`${debugItem.title}:`)));
    assert.equal(debugItemRow.label, `${debugItem.title}: failing, ${debugItem.description} · confirmed by Django`);
    const debugRows = childrenOf(debugItem.title);
    const confirmed = `${debugEntry.label}, confirmed by Django · ${debugEntry.loc.file}:${debugEntry.loc.line}`;
    assert.ok(
      debugRows.some((r) => r.label === confirmed && r.icon === 'error'),
      `"${debugItem.title}" should show its DDH107 finding as confirmed by Django ("${confirmed}"); it shows:\n${debugRows.map(showTreeRow).join('\n')}`,
    );
    for (const m of django.messages) {
      for (const item of /** @type {ChecklistItem[]} */ (want.byId.get(m.id))) {
        const under = childrenOf(item.title);
        assert.ok(
          under.some((r) => r.label.includes(', confirmed by Django') || r.label.startsWith(`Django ${m.id}: `)),
          `Django's ${m.id} should show under "${item.title}" (a finding confirmed by Django, or "Django ${m.id}: ..."); it shows:\n${under.map(showTreeRow).join('\n')}`,
        );
      }
    }
    const otherRows = want.other.length ? childrenOf('Other findings of check --deploy') : [];
    assert.deepEqual(
      otherRows.map((r) => r.label),
      want.other.map((m) => `${m.id}: ${m.message}, from Django`),
      'the ids Django reports that no checklist item covers are listed under "Other findings of check --deploy"',
    );
    const stray = rows.filter(
      (r) =>
        /^Django [a-z_0-9]+(?:\.[a-z_0-9]+)*\.[EWCI]\d{3}: /i.test(r.label) &&
        !django.messages.some((m) => r.label.startsWith(`Django ${m.id}: `)),
    );
    assert.deepEqual(stray.map(showTreeRow), [], 'no Django finding Django did not report');
    // the counts: the summary above the tree and the status bar
    const summary = (await p.page.locator('.part.sidebar .pane-body .message').first().innerText()).trim();
    assert.equal(summary, checklistSummary(want), "the summary above the tree counts Django's findings in");
    await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), want.counts.failing);
    p.django = { ...want, runRow, debugItemLabel: debugItemRow.label }; // for j and k: what the session's checklist shows now

    await H.clearNotifications(p.page);
    await H.resizeSideBar(p.page, defaultWidth);
  },
  { uses: 'django' },
);

scenario(
  'j',
  'language-server crash: one warning, the server is restarted, the diagnostics come back',
  async (t) => {
    const p = await t.project('django', () => openDjangoProject(t.env));
    const rel = 'mysite/settings.py';
    const failing = p.django?.counts.failing ?? cliChecklist(t.env.cli, p.folder).counts.failing;
    await H.openViewContainer(p.page, 'Explorer');
    await H.openFile(p.page, rel);
    await waitForProblemsLikeCli(p.page, p.report, p.folder);
    /** @param {string} what @param {number} [not] */
    const oneServer = (what, not) => oneLanguageServer(p, t.env, what, not);
    const first = await oneServer('the language server process');

    process.kill(first.pid, 'SIGKILL');
    const toast = await H.waitForNotification(p.page, RESTART_WARNING);
    assert.deepEqual(toast, { severity: 'warning', message: RESTART_WARNING, buttons: ['Show Output'] });
    const second = await oneServer('a new language server process', first.pid);
    // the restart throws the old diagnostics away: these are the new server's
    await waitForProblemsLikeCli(p.page, p.report, p.folder);
    await checkFileSquiggles(p, rel);
    await waitForStatusBarCount(p.page, H.statusBarItem(p.page, t.env.statusBarId), failing);
    const warnings = (await H.notificationToasts(p.page)).filter((n) => n.message === RESTART_WARNING);
    assert.equal(warnings.length, 1, 'the restart warning is shown once');
    if (p.django) {
      const django = p.django;
      // Django's results (scenario i) live in the server: the client hands them to the new one
      await H.openViewContainer(p.page, CONTAINER_TITLE);
      const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
      /** @type {import('./harness.mjs').ListRow[]} */
      let shown = [];
      await H.until(
        "the checklist to still show Django's run and confirmation",
        async () => {
          shown = await H.readAllListRows(p.page, tree);
          return shown.some((r) => r.label === django.runRow) && shown.some((r) => r.label === django.debugItemLabel);
        },
        { timeout: 20_000 },
      ).catch(() =>
        assert.fail(
          `after the restart the checklist should still show "${django.runRow}" and "${django.debugItemLabel}"; it shows:\n${shown.map(showTreeRow).join('\n')}`,
        ),
      );
      await H.openViewContainer(p.page, 'Explorer');
    }
    await H.collapseOtherProblemGroups(p.page, 'settings.py');
    await H.focusEditor(p.page);
    await shot(p.page, 'j-server-restarted');

    // a second crash restarts it again, without a second warning
    await H.clearNotifications(p.page);
    process.kill(second.pid, 'SIGKILL');
    await oneServer('another new language server process', second.pid);
    await waitForProblemsLikeCli(p.page, p.report, p.folder);
    const all = await H.notificationCenter(p.page);
    assert.deepEqual(
      all.filter((n) => n.message === RESTART_WARNING),
      [],
      'the restart warning is shown once per session, not again',
    );
  },
  { uses: 'django' },
);

scenario(
  'k',
  'manual checklist items: ticking one marks it done, and it is still ticked after the window reloads',
  async (t) => {
    const p = await t.project('django', () => openDjangoProject(t.env));
    const checklist = cliChecklist(t.env.cli, p.folder);
    const item = checklist.groups.flatMap((g) => g.items).find((i) => i.manual);
    assert.ok(item, 'the CLI checklist should have an item to check by hand');
    const group = /** @type {Checklist['groups'][number]} */ (checklist.groups.find((g) => g.items.includes(item)));
    const counts = p.django?.counts ?? checklist.counts; // what the view counts now (with Django's run of scenario i)
    const statusItem = H.statusBarItem(p.page, t.env.statusBarId);
    const summaryText = async () => (await p.page.locator('.part.sidebar .pane-body .message').first().innerText()).trim();

    // the screenshots are of the side bar: no panel (left open by j), no editor (its light bulb on line 1)
    await H.hidePanel(p.page);
    await H.runCommand(p.page, 'View: Close All Editors');
    await p.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached' });
    await H.openViewContainer(p.page, CONTAINER_TITLE);
    const defaultWidth = /** @type {{ width: number }} */ (await p.page.locator('.part.sidebar').boundingBox()).width;
    await H.resizeSideBar(p.page, 560);
    const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
    const itemRow = () =>
      H.revealListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith(`${item.title}:`), `the item "${item.title}"`);
    /** the item's row as shown: accessible label, icon, description; and its group's description */
    const shown = async () => {
      const rows = await H.readAllListRows(p.page, tree);
      const r = rows.find((x) => x.level === 2 && x.label.startsWith(`${item.title}:`));
      const g = rows.find((x) => x.level === 1 && x.label.startsWith(`${group.title} `));
      return r && g && { label: r.label, icon: r.icon, description: r.description, group: g.description };
    };
    /** @param {boolean} passedExtra */
    const groupDescription = (passedExtra) => {
      const st = group.items.map((i) => (i === item && passedExtra ? 'passed' : i.status));
      /** @param {string} x */
      const n = (x) => st.filter((y) => y === x).length;
      const na = group.items.filter((i) => i.notApplicable !== undefined).length;
      return [
        n('failing') && `${n('failing')} failing`,
        n('attention') && `${n('attention')} to review`,
        `${n('passed') - na}/${st.length - na} passed`,
        na && `${na} n/a`,
      ]
        .filter(Boolean)
        .join(' · ');
    };
    /** @param {boolean} ticked @param {string} what */
    const expectRow = async (ticked, what) => {
      const want = ticked
        ? { label: `${item.title}: done`, icon: 'pass-filled', description: 'done', group: groupDescription(true) }
        : {
            label: `${item.title}: to check by hand`,
            icon: 'circle-large-outline',
            description: 'check by hand',
            group: groupDescription(false),
          };
      /** @type {Awaited<ReturnType<typeof shown>> | undefined} */
      let got;
      await H.until(
        what,
        async () => {
          got = await shown();
          return JSON.stringify(got) === JSON.stringify(want);
        },
        { timeout: 20_000 },
      ).catch(() => assert.deepEqual(got, want, what));
    };
    const ticked = { ...counts, manual: counts.manual - 1, passed: counts.passed + 1 };

    await expectRow(false, `"${item.title}" to be shown as to check by hand`);
    const groups = p.django?.groups ?? checklist.groups; // (items that do not apply are counted apart)
    assert.equal(await summaryText(), checklistSummary({ counts, groups, production: checklist.production }));
    await H.clickRowAction(p.page, await itemRow(), MARK_DONE);
    await expectRow(true, `"${item.title}" to be shown as done`);
    assert.equal(
      await summaryText(),
      checklistSummary({ counts: ticked, groups, production: checklist.production }),
      'a ticked item counts as passed in the summary',
    );
    await waitForStatusBarCount(p.page, statusItem, counts.failing);
    // the focus on the row just ticked, which then shows its inline action (now the one that unticks)
    await H.focusListRow(p.page, tree, await itemRow());
    await shot(p.page, 'k-manual-item-ticked');

    // the tick is kept in the workspace's state: it survives a reload of the window, which starts a new
    // extension host and language server (so nothing is merely still in memory)
    const serverBefore = await oneLanguageServer(p, t.env, 'the language server before the reload');
    await H.reloadWindow(p.page);
    await oneLanguageServer(p, t.env, 'a new language server (and only it) after the reload', serverBefore.pid);
    await H.openViewContainer(p.page, CONTAINER_TITLE);
    await H.resizeSideBar(p.page, 560);
    await expectRow(true, `"${item.title}" to be still done after the reload`);
    // Django's run (scenario i) is not kept across a reload; without it the counts are the CLI's
    const django = p.django;
    const withDjango = django && (await H.readAllListRows(p.page, tree)).some((r) => r.label === django.runRow);
    const base = withDjango ? counts : checklist.counts;
    const baseGroups = withDjango ? groups : checklist.groups;
    const tickedAfter = { ...base, manual: base.manual - 1, passed: base.passed + 1 };
    await H.until(
      'the summary to count the tick',
      async () => (await summaryText()) === checklistSummary({ counts: tickedAfter, groups: baseGroups, production: checklist.production }),
      { timeout: 10_000 },
    ).catch(async () =>
      assert.equal(await summaryText(), checklistSummary({ counts: tickedAfter, groups: baseGroups, production: checklist.production })),
    );
    await waitForStatusBarCount(p.page, statusItem, base.failing);
    await (await itemRow()).scrollIntoViewIfNeeded();
    await H.parkMouse(p.page);
    await shot(p.page, 'k-manual-item-after-reload');

    // and the same action takes the tick away again
    await H.clickRowAction(p.page, await itemRow(), MARK_NOT_DONE);
    await expectRow(false, `"${item.title}" to be to check by hand again`);
    assert.equal(await summaryText(), checklistSummary({ counts: base, groups: baseGroups, production: checklist.production }));
    await H.resizeSideBar(p.page, defaultWidth);
  },
  { uses: 'django' },
);

scenario('l', 'a folder without a Django project: the checklist view explains what it looks for', async (t) => {
  const empty = path.join(tmp, 'fixtures', 'empty');
  fs.mkdirSync(empty, { recursive: true });
  const p = await t.project('empty', () => openProject(t.env, empty, 'empty'));
  assert.deepEqual(p.report.projects, [], 'the CLI should find no Django project in an empty folder');
  await H.openViewContainer(p.page, CONTAINER_TITLE);
  const welcome = await H.welcomeView(p.page);
  assert.deepEqual(
    welcome,
    {
      paragraphs: [
        'No Django project found in this workspace.',
        'Django Deploy Hygiene looks for a manage.py, a wsgi.py or a settings module.',
      ],
      buttons: ['Open Folder', 'Read the rules'],
    },
    'the welcome view of the checklist',
  );
  assert.equal(await H.statusBarItem(p.page, t.env.statusBarId).count(), 0, 'no status-bar count without a project');
  await H.parkMouse(p.page);
  await shot(p.page, 'l-welcome-no-project');
  // the command that runs Django says why it cannot, and starts nothing
  const py = djangoPython();
  const starts = pythonStarts(py).length;
  const watch = H.watchProcesses(p.server.pid, isPython(py));
  try {
    await H.runCommand(p.page, RUN_DJANGO_CHECK);
    const why = await H.waitForNotification(p.page, 'No Django project', { timeout: 15_000 });
    assert.deepEqual(why, { severity: 'warning', message: 'No Django project found in this workspace.', buttons: [] });
  } finally {
    watch.stop();
  }
  assert.deepEqual(watch.seen, [], 'no Python without a project');
  assert.equal(pythonStarts(py).length, starts);
  await H.clearNotifications(p.page);
  // its first button opens the folder picker
  await p.page.locator('.part.sidebar .welcome-view-content .monaco-button', { hasText: 'Open Folder' }).click();
  const picker = p.page.locator('.quick-input-widget');
  await picker.waitFor({ state: 'visible' });
  await H.until('the folder picker', async () => /Open Folder/.test(await picker.innerText()), { timeout: 10_000 });
  await p.page.keyboard.press('Escape');
  await picker.waitFor({ state: 'hidden' });
});

/**
 * The migrations project of scenario r: a copy of test/fixtures/e2e/migrations made a repository
 * (its two migrations are history on the default branch), then a new migration that adds a NOT
 * NULL column, not committed yet, as `makemigrations` leaves it on a branch.
 * @param {Env} env
 */
async function openMigrationsProject(env) {
  const base = path.join(tmp, 'projects', `migrations-${Date.now().toString(36)}`);
  const folder = path.join(base, 'migrations');
  fs.cpSync(MIGRATIONS, folder, { recursive: true });
  gitInit(folder);
  fs.copyFileSync(
    path.join(ROOT, 'test', 'fixtures', 'e2e', 'migrations-branch', path.basename(NEW_MIGRATION)),
    path.join(folder, NEW_MIGRATION),
  );
  return openInCodeServer(env, base, folder, cliReport(env.cli, folder), {});
}

const NEW_MIGRATION = 'orders/migrations/0003_order_currency.py';
const MIGRATIONS_ITEM_TITLE = 'Migrations reviewed, no destructive changes';

/**
 * `django-deploy-check migrations <folder> --format json`: the findings on the change set.
 * @param {string} cli
 * @param {string} folder
 * @returns {CliReport & { projects: (CliProject & { migrations: { files: string[], description: string } })[] }}
 */
function cliMigrations(cli, folder) {
  const r = spawnSync(process.execPath, [cli, 'migrations', folder, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `the CLI's migrations command exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Waits until the checklist view's row of the migrations item reads `label` (its accessible label).
 * @param {Page} page
 * @param {string} label
 */
async function waitForMigrationsItem(page, label) {
  await H.openViewContainer(page, CONTAINER_TITLE);
  const tree = H.sideBarTree(page, CHECKLIST_VIEW);
  /** @type {import('./harness.mjs').ListRow[]} */
  let rows = [];
  await H.until(
    `the checklist to show "${label}"`,
    async () => {
      rows = await H.readAllListRows(page, tree);
      return rows.some((r) => r.label === label);
    },
    { timeout: 30_000 },
  ).catch(() =>
    assert.fail(
      `the checklist should show "${label}"; its migrations row is: ${
        rows
          .filter((r) => r.label.startsWith(MIGRATIONS_ITEM_TITLE))
          .map(showTreeRow)
          .join(' | ') || '(none)'
      }`,
    ),
  );
  return rows.find((r) => r.label === label);
}

scenario(
  'r',
  'a new migration adding a NOT NULL column: squiggled before it is opened in the checklist, the "add null=True" quick fix, the migrations item failing then passing',
  async (t) => {
    const p = await t.project('migrations', () => openMigrationsProject(t.env));
    // the control: the CLI's migrations command reports DDM001 on the new migration only, the checklist item fails
    const before = cliMigrations(t.env.cli, p.folder);
    assert.deepEqual(before.projects[0]?.migrations.files, [NEW_MIGRATION], 'the change set is the uncommitted migration');
    const found = before.diagnostics.filter((d) => d.code === 'DDM001');
    assert.deepEqual(
      found.map((d) => [d.file, d.line, d.severity]),
      [[NEW_MIGRATION, 13, 'warning']],
      'the CLI reports DDM001 on the AddField of the new migration',
    );
    const ddm = found[0];
    const checklist = cliChecklist(t.env.cli, p.folder);
    const item = checklist.groups.flatMap((g) => g.items).find((i) => i.id === 'migrations-reviewed');
    assert.equal(item?.status, 'failing', 'the CLI checklist item fails');
    assert.equal(item.title, MIGRATIONS_ITEM_TITLE);

    // the view: the item fails with the finding under it, before the file is ever opened; every row,
    // the project summary at the top included (issue 15.7), is what the CLI checklist implies
    await waitForMigrationsItem(p.page, `${MIGRATIONS_ITEM_TITLE}: failing, ${item.description}`);
    await H.resizeSideBar(p.page, 560); // the default width cuts most item titles off in the screenshots
    const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
    const want = expectedChecklistRows(checklist);
    /** @type {string[]} */
    let got = [];
    await H.until(
      'the checklist view to show the CLI checklist',
      async () => {
        got = (await H.readAllListRows(p.page, tree)).map(showTreeRow);
        return JSON.stringify(got) === JSON.stringify(want);
      },
      { timeout: 30_000, interval: 250 },
    ).catch(() => assert.deepEqual(got, want, 'the checklist view shows the CLI checklist'));
    assert.deepEqual(
      want.slice(0, 1),
      ['[settings-gear] ▸ Production: shop.settings, because named by shop/wsgi.py:6'],
      'the production row (the control: what the CLI says, as the view shows it), the evidence folded under it',
    );
    await H.expandListRow(p.page, tree, (r) => r.label.startsWith(`${MIGRATIONS_ITEM_TITLE}:`), 'the migrations item');
    const entryRow = await H.revealListRow(p.page, tree, (r) => r.label.startsWith('DDM001 '), 'the DDM001 finding');
    assert.match(
      (await entryRow.getAttribute('aria-label')) ?? '',
      new RegExp(`^DDM001 AddField adds order\\.currency as NOT NULL.*${NEW_MIGRATION.replace(/\./g, '\\.')}:${ddm.line}$`),
      'the finding row names the migration and its line',
    );
    await shot(p.page, 'r-checklist-migration-failing');

    // the Problems panel holds the settings findings of the check and the migration's
    const both = { diagnostics: [...p.report.diagnostics, ...before.diagnostics] };
    await waitForProblemsLikeCli(p.page, both, p.folder);
    // a click on the finding opens the migration at the AddField
    await entryRow.click();
    await p.page.locator(`.tabs-container .tab.active[data-resource-name="${path.basename(NEW_MIGRATION)}"]`).waitFor({ state: 'visible' });
    await H.waitForSquiggles(p.page, { kind: 'warning' });
    assert.ok(
      (await H.squigglesOnLine(p.page, ddm.line)).some((q) => q.kind === 'warning'),
      `line ${ddm.line} of the migration has a warning squiggle`,
    );
    const fixTitle = 'Add null=True to order.currency as the expand step (unsafe: changes the schema; the model needs null=True too)';
    const titles = await H.openLightBulbMenu(p.page, ddm.line, ddm.column + 1);
    assert.ok(titles.includes(fixTitle), `the light-bulb menu should offer "${fixTitle}"; it offers: ${titles.join(' | ')}`);
    assert.ok(titles.includes('Disable DDM001 for this line'), `the menu should offer to disable DDM001; it offers: ${titles.join(' | ')}`);
    await shot(p.page, 'r-migration-quickfix-before');
    await H.chooseCodeAction(p.page, fixTitle);
    await H.until(`the squiggle on line ${ddm.line} to go away`, async () => (await H.squigglesOnLine(p.page, ddm.line)).length === 0, {
      timeout: 20_000,
    });
    await H.saveActiveEditor(p.page);
    const fixed = read(p, NEW_MIGRATION);
    assert.match(fixed, /field=models\.CharField\(default="EUR", max_length=3, null=True\),/, 'the fix adds null=True to the field');

    // everything agrees with the CLI on the fixed copy: no DDM001, the item passes
    const after = cliMigrations(t.env.cli, p.folder);
    assert.ok(!after.diagnostics.some((d) => d.code === 'DDM001'), 'the CLI no longer reports DDM001');
    const passed = cliChecklist(t.env.cli, p.folder)
      .groups.flatMap((g) => g.items)
      .find((i) => i.id === 'migrations-reviewed');
    assert.equal(passed?.status, 'passed', `the CLI checklist item passes: ${passed?.detail}`);
    await waitForMigrationsItem(p.page, `${MIGRATIONS_ITEM_TITLE}: passed`);
    await waitForProblemsLikeCli(p.page, { diagnostics: [...p.report.diagnostics, ...after.diagnostics] }, p.folder);
    await H.clickAt(p.page, ddm.line, ddm.column);
    await H.revealListRow(p.page, tree, (r) => r.label === `${MIGRATIONS_ITEM_TITLE}: passed`, 'the passed migrations item');
    await shot(p.page, 'r-checklist-migration-passed');
  },
);

// ---- repositories shaped like real ones (issue 58) ------------------------------------------------

/**
 * Waits until the checklist view shows every row the CLI's checklist implies, before anything is
 * clicked (the side bar at its width of the moment).
 * @param {Project} p
 * @param {Locator} tree
 * @param {Checklist} checklist
 */
async function waitForChecklistLikeCli(p, tree, checklist) {
  const want = expectedChecklistRows(checklist);
  /** @type {string[]} */
  let got = [];
  await H.until(
    'the checklist view to show the CLI checklist',
    async () => {
      got = (await H.readAllListRows(p.page, tree)).map(showTreeRow);
      return JSON.stringify(got) === JSON.stringify(want);
    },
    { timeout: 30_000, interval: 250 },
  ).catch(() => assert.deepEqual(got, want, 'the checklist view shows the CLI checklist'));
  return got;
}

/**
 * Opens `rel` and waits for its first squiggle of `kind`; returns the seconds it took.
 * @param {Project} p
 * @param {string} rel
 * @param {'error' | 'warning' | 'info'} kind
 */
async function timeToSquiggles(p, rel, kind) {
  const t0 = Date.now();
  await H.openFile(p.page, rel);
  await H.waitForSquiggles(p.page, { kind });
  return (Date.now() - t0) / 1000;
}

scenario(
  'z1',
  'a repository shaped like a real one (fly.io, compose and nginx in docker/ folders, a root Dockerfile, a local-dev folder): files named by their path, findings that follow from DEBUG say so and sit under it, one SQLite finding for four aliases, absent settings on the last setting',
  async (t) => {
    const p = await t.project('pebbles', () => openProject(t.env, writePebbles(path.join(tmp, 'fixtures', 'pebbles')), 'pebbles'));
    const rel = 'pebbles/settings.py';
    const diags = diagsOf(p, rel);
    const text = read(p, rel).split('\n');
    // the control: what the CLI says
    const debug = diags.find((d) => d.code === 'DDH107');
    assert.ok(debug, `the CLI should report DDH107 in ${rel}`);
    assert.match(debug.message, /DEBUG is set by docker\/fly\/Dockerfile:8, which this line reads/, 'the Dockerfile is named by its path');
    const followers = diags.filter((d) => d.message.includes(`It follows from DEBUG being on (DDH107, ${rel}:${debug.line})`));
    assert.deepEqual(followers.map((d) => `${d.code}:${d.line}`).sort(), ['DDH502:28', 'DDH509:24', 'DDH509:40']);
    const sqlite = diags.filter((d) => d.code === 'DDH704');
    assert.deepEqual(
      sqlite.map((d) => [d.line, /"default", "feeds", "celery" and "cache" \(one ENGINE for the 4\)/.test(d.message)]),
      [[55, true]],
      'one SQLite finding, on the ENGINE the four aliases share, naming them',
    );
    const lastSetting = Math.max(...text.map((l, i) => (/^[A-Z_]+ = /.test(l) ? i + 1 : 0)));
    for (const d of p.report.diagnostics) assert.equal(d.endLine, d.line, `${d.file}:${d.line} ${d.code} is on one line`);
    for (const d of diags) {
      const line = text[d.line - 1];
      assert.ok(!/^(from|import) /.test(line), `${d.code} should not be on an import: ${line}`);
      if (/ is never set|No Content Security Policy/.test(d.message))
        assert.equal(line.slice(d.column - 1, d.endColumn - 1), 'DEFAULT_AUTO_FIELD', `${d.code} on the last setting`);
    }
    assert.equal(text[lastSetting - 1].split(' ')[0], 'DEFAULT_AUTO_FIELD');
    assert.ok(!p.report.diagnostics.some((d) => d.file.startsWith('docker/local-dev/')), 'the local-dev folder is no deployment');

    // the editor: squiggles and Problems rows are the CLI's
    const seconds = await timeToSquiggles(p, rel, 'error');
    await waitForProblemsLikeCli(p.page, p.report, p.folder);
    const squiggles = await checkFileSquiggles(p, rel);
    log(
      `  pebbles: first squiggles of ${rel} ${seconds.toFixed(1)} s after opening it; the CLI reports ${p.report.diagnostics.length} in ${new Set(p.report.diagnostics.map((d) => d.file)).size} files, ${diags.length} in ${rel} (${squiggles.length} squiggle segments)`,
    );
    await H.collapseOtherProblemGroups(p.page, 'settings.py');
    await H.focusEditor(p.page);
    await shot(p.page, 'z1-problems-settings');
    // the hover of a finding that follows from DEBUG says so and links to it
    const toolbar = /** @type {CliDiagnostic} */ (followers.find((d) => d.code === 'DDH509'));
    const hover = await H.hoverAt(p.page, toolbar.line, toolbar.column + 2);
    assert.match(hover, /It follows from DEBUG being on \(DDH107, pebbles\/settings\.py:8\)/, hover);
    assert.match(hover, /settings\.py\(8, 9\)/, `the hover links to DDH107's line: ${hover}`);
    await shot(p.page, 'z1-hover-follows-from-debug', { keepHover: true });

    // the checklist at the default side-bar width: the production row first, then the groups
    await H.hidePanel(p.page);
    const checklist = cliChecklist(t.env.cli, p.folder);
    const tree = await waitForProductionRow(p, 'pebbles.settings');
    const rows = await waitForChecklistLikeCli(p, tree, checklist);
    assert.equal(rows[0], '[settings-gear] ▸ Production: pebbles.settings, because named by Dockerfile:8');
    await assertHeadlineReadable(p, checklist);
    await shot(p.page, 'z1-checklist-default-width');
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith('DEBUG is off in production:'), 'the DEBUG item');
    await H.expandListRow(p.page, tree, (r) => r.level === 3 && r.label.startsWith('DDH107 '), 'the DDH107 finding');
    /** @type {import('./harness.mjs').ListRow[]} */
    let under = [];
    await H.until('the findings that follow from DDH107 under it', async () => {
      const all = await H.readAllListRows(p.page, tree);
      const at = all.findIndex((r) => r.level === 3 && r.label.startsWith('DDH107 '));
      const end = all.findIndex((r, i) => i > at && r.level <= 3);
      under = all.slice(at + 1, end < 0 ? undefined : end);
      return under.length >= 3;
    });
    assert.match(
      (await H.readAllListRows(p.page, tree)).find((r) => r.label.startsWith('DDH107 '))?.label ?? '',
      /, 3 more follow from it · pebbles\/settings\.py:8$/,
    );
    const nested = under.filter((r) => / follows from DDH107 · /.test(r.label)).map((r) => r.label.split(' ')[0]);
    assert.deepEqual(nested.sort(), ['DDH502', 'DDH509', 'DDH509'], under.map(showTreeRow).join('\n'));
    assert.ok(
      under.some((r) => r.label.startsWith('docker/fly/Dockerfile:8')),
      `the related place under DDH107:\n${under.map(showTreeRow).join('\n')}`,
    );
    const followerRow = await H.revealListRow(p.page, tree, (r) => r.level === 4 && r.label.startsWith('DDH502 '), 'the DDH502 row');
    await followerRow.scrollIntoViewIfNeeded();
    await shot(p.page, 'z1-checklist-follows-from-debug');
  },
  { uses: 'pebbles' },
);

scenario(
  'z3',
  'choices a comment explains: no squiggle for SAMEORIGIN and HSTS without subdomains (nor for preload, which follows), the labelled insecure cookie still squiggled; the checklist says which comment explained each, and the row opens the comment',
  async (t) => {
    const p = await t.project('framed', () => openProject(t.env, writeFramed(path.join(tmp, 'fixtures', 'framed')), 'framed'));
    const rel = 'framed/settings.py';
    const codes = diagsOf(p, rel).map((d) => d.code);
    // the control: what the CLI says
    for (const code of ['DDH303', 'DDH304', 'DDH405']) assert.ok(!codes.includes(code), `${code} is explained by its comment: ${codes}`);
    assert.ok(codes.includes('DDH306'), `a label explains nothing: the insecure session cookie is reported (${codes})`);
    const checklist = cliChecklist(t.env.cli, p.folder);
    const items = checklist.groups.flatMap((g) => g.items);
    const hsts = items.find((i) => /explained: “Partners run their own sites/.test(i.description ?? ''));
    const frames = items.find((i) => /explained: “the page editor previews pages/.test(i.description ?? ''));
    assert.ok(hsts && frames, items.map((i) => `${i.title}: ${i.description}`).join('\n'));

    // the editor: squiggles and Problems rows are the CLI's
    await timeToSquiggles(p, rel, 'warning');
    await waitForProblemsLikeCli(p.page, p.report, p.folder);
    await checkFileSquiggles(p, rel);
    await H.focusEditor(p.page);
    await shot(p.page, 'z3-problems-explained');

    // the checklist: the explained item, expanded, and its row opening the comment
    await H.hidePanel(p.page);
    const tree = await waitForProductionRow(p, 'framed.settings');
    await waitForChecklistLikeCli(p, tree, checklist);
    const defaultWidth = /** @type {{ width: number }} */ (await p.page.locator('.part.sidebar').boundingBox()).width;
    await H.resizeSideBar(p.page, 640);
    assert.ok(
      (await H.readAllListRows(p.page, tree)).some((r) => r.label === `${hsts.title}: passed, explained by a comment`),
      'the HSTS item says a comment explains it',
    );
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith(`${hsts.title}:`), 'the HSTS item');
    const row = await H.revealListRow(
      p.page,
      tree,
      (r) => r.level === 3 && r.label.startsWith('explained: “Partners run their own sites'),
      'the explained row',
    );
    await shot(p.page, 'z3-checklist-explained');
    await row.click();
    await p.page.locator('.tabs-container .tab.active[data-resource-name="settings.py"]').waitFor({ state: 'visible' });
    const line =
      read(p, rel)
        .split('\n')
        .findIndex((l) => l.startsWith('# Partners run')) + 1;
    await H.until(`the editor at line ${line}`, async () => (await H.cursorPosition(p.page)).startsWith(`Ln ${line},`), {
      timeout: 10_000,
    }).catch(async () => assert.fail(`after the click the status bar shows "${await H.cursorPosition(p.page)}", not line ${line}`));
    await shot(p.page, 'z3-explained-row-opened');
    await H.resizeSideBar(p.page, defaultWidth);
  },
  { uses: 'framed' },
);

scenario(
  'z2',
  'a repository shaped like a real one (a settings package, uWSGI, a Helm chart with a migration Job and a test pod, a docs folder, a production.py no deployment uses, no git history): the checklist opens on the checklist and says what does not apply, absent settings at the end of the import, ranges on the key, the picker says why each module is or is not production',
  async (t) => {
    const p = await t.project('legalaid', () => openProject(t.env, writeLegalAid(path.join(tmp, 'fixtures', 'legalaid')), 'legalaid'));
    const checklist = cliChecklist(t.env.cli, p.folder);
    const migrations = cliMigrations(t.env.cli, p.folder);
    // the control: what the CLI says
    assert.equal(checklist.production?.module, 'legalaid.settings');
    const items = checklist.groups.flatMap((g) => g.items);
    const byTitle = (/** @type {string} */ title) => items.find((i) => i.title.startsWith(title));
    for (const title of ['Gunicorn settings are valid', 'Workers, timeouts and logs'])
      assert.match(byTitle(title)?.notApplicable ?? '', /^uWSGI serves the app, not gunicorn/, `${title}: not applicable`);
    assert.match(
      byTitle('Migrations run once per release')?.description ?? '',
      /Helm pre-upgrade hook\): helm_deploy\/legalaid\/templates\/migrate\.yaml$/,
    );
    const files = checklist.summary.deployment?.files ?? [];
    assert.ok(files.length > 0 && !files.some((f) => f.startsWith('docs/')), `docs/Makefile is no deployment file: ${files}`);
    assert.match(
      checklist.settingsModules.find((m) => m.name === 'legalaid.settings.production')?.why ?? '',
      /no deployment file names it/,
    );
    const init = 'legalaid/settings/__init__.py';
    const base = 'legalaid/settings/base.py';
    assert.ok(diagsOf(p, init).length > 0);
    for (const d of diagsOf(p, init)) assert.deepEqual([d.line, d.column], [1, 19], `${d.code} at the end of the import, not 1:1`);
    const conn = diagsOf(p, base).filter((d) => d.code === 'DDH701');
    assert.deepEqual(
      conn.map((d) =>
        read(p, base)
          .split('\n')
          [d.line - 1].slice(d.column - 1, d.endColumn - 1),
      ),
      ['"default"', '"reports"'],
      'CONN_MAX_AGE on the alias keys, not the dicts',
    );
    // the editor checks the newest migration of each app and says why in the Problems row
    const note =
      ' (Checked as the newest migration of its app: not a git repository, so git cannot tell new migrations from applied ones; if it was applied long ago, this does not matter.)';
    const inEditor = {
      diagnostics: [...p.report.diagnostics, ...migrations.diagnostics.map((d) => ({ ...d, message: d.message + note }))],
    };
    assert.ok(migrations.diagnostics.length > 0, 'the CLI reports the newest migration');

    const seconds = await timeToSquiggles(p, init, 'info');
    await waitForProblemsLikeCli(p.page, inEditor, p.folder);
    log(
      `  legalaid: first squiggles of ${init} ${seconds.toFixed(1)} s after opening it; the editor shows ${inEditor.diagnostics.length} findings (${migrations.diagnostics.length} on the newest migration) in ${new Set(inEditor.diagnostics.map((d) => d.file)).size} files`,
    );
    await checkFileSquiggles(p, init);
    const hover = await H.hoverAt(p.page, 1, 19);
    const searched = hover.split('Searched legalaid/settings/__init__.py and legalaid/settings/base.py').length - 1;
    assert.equal(searched, 1, `one "Searched" note for the place: ${hover}`);
    await shot(p.page, 'z2-init-hover', { keepHover: true });
    await H.openFile(p.page, base);
    await checkFileSquiggles(p, base);
    await H.hoverAt(p.page, conn[0].line, conn[0].column + 2);
    await shot(p.page, 'z2-base-conn-max-age-on-key', { keepHover: true });
    await H.openFile(p.page, 'legalaid/cases/migrations/0002_note_name.py');
    await H.waitForSquiggles(p.page, { kind: 'warning' });
    await H.collapseOtherProblemGroups(p.page, '0002_note_name.py');
    await H.focusEditor(p.page);
    await shot(p.page, 'z2-migration-without-git');

    // the checklist at the default side-bar width
    await H.hidePanel(p.page);
    const tree = await waitForProductionRow(p, 'legalaid.settings');
    const rows = await waitForChecklistLikeCli(p, tree, checklist);
    assert.equal(
      rows[0],
      '[settings-gear] ▸ Production: legalaid.settings, because named by helm_deploy/legalaid/templates/deployment.yaml:15',
    );
    await assertHeadlineReadable(p, checklist);
    await shot(p.page, 'z2-checklist-default-width');
    const appServer = /** @type {{ title: string }} */ (checklist.groups.find((g) => g.id === 'app-server'));
    await H.expandListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith(`${appServer.title} `), 'the app-server group');
    const na = await H.revealListRow(p.page, tree, (r) => r.label.startsWith('Workers, timeouts and logs'), 'the workers item');
    assert.match((await na.getAttribute('aria-label')) ?? '', /: not applicable: uWSGI serves the app, not gunicorn/);
    await H.revealListRow(
      p.page,
      tree,
      (r) => r.label.startsWith('Migrations run once per release, not by every web instance: passed'),
      'the migrations step',
    );
    await shot(p.page, 'z2-checklist-not-applicable');

    // the evidence under the production row: no Helm template text, no docs folder, only variables something reads
    await H.revealListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith('Production: '), 'the production row');
    await H.expandListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith('Production: '), 'the production row');
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith('Deployment files'), 'the deployment files');
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith('Variables'), 'the variables');
    await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith('Other settings modules'), 'the other modules');
    const all = await H.readAllListRows(p.page, tree);
    const show = all.map(showTreeRow).join('\n');
    assert.ok(!all.some((r) => r.label.includes('{{') || r.description?.includes('{{')), `no Helm template text:\n${show}`);
    assert.ok(
      // each deployment file by its name, its folder after it (five rows "helm_deploy/legalaid/templa…" were cut alike)
      all.some((r) => r.level === 3 && r.label === 'migrate.yaml: helm_deploy/legalaid/templates · Kubernetes manifest, 1 process'),
      show,
    );
    assert.ok(
      !all.some((r) => r.label.startsWith('Makefile') || r.description?.startsWith('docs')),
      `docs/Makefile is no deployment file:\n${show}`,
    );
    for (const name of ['PATH', 'PYTHONDONTWRITEBYTECODE', 'TEST_TARGET', 'MB_DB_CONNECTION_URI'])
      assert.ok(!all.some((r) => r.level === 3 && r.label.split(/[=: ]/)[0] === name), `${name} is not listed:\n${show}`);
    assert.match(
      all.find((r) => r.label.startsWith('legalaid.settings.production'))?.description ?? '',
      /no deployment file names it/,
      show,
    );
    await H.parkMouse(p.page);
    await shot(p.page, 'z2-checklist-production-evidence');
    const evidence = await H.revealListRow(
      p.page,
      tree,
      (r) => r.level === 2 && r.label.startsWith('named by helm_deploy/legalaid/templates/deployment.yaml:15'),
      'the evidence row',
    );
    await evidence.click();
    await p.page.locator('.tabs-container .tab.active[data-resource-name="deployment.yaml"]').waitFor({ state: 'visible' });
    await H.until('the editor to be at line 15', async () => /^Ln 15, /.test(await H.cursorPosition(p.page)), { timeout: 10_000 }).catch(
      async () =>
        assert.fail(`the evidence row should open deployment.yaml at line 15; the status bar shows ${await H.cursorPosition(p.page)}`),
    );

    // the module picker says why each module is or is not production
    await H.runCommand(p.page, CHOOSE_PRODUCTION, { opensQuickPick: true });
    const pick = await H.waitForQuickPick(p.page, 'Production Settings Module');
    assert.deepEqual(pick.items, pickItems(checklist), 'each settings module with why it is or is not production');
    await shot(p.page, 'z2-choose-production-quick-pick');
    await p.page.keyboard.press('Escape');
  },
  { uses: 'legalaid' },
);

scenario(
  'z4',
  'the request path in the checklist (issue 53): under "HTTPS & cookies", "In front of Django" shows the Kubernetes Deployment, the ingress in front of it and what the ingress does, each from the file and the documented default that say it, as the CLI checklist says',
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'projects', 'deploy-ingress');
    const p = await t.project('deploy-ingress', () => openProject(t.env, fixture, 'deploy-ingress'));
    // the control: the CLI's request path, one deployment with the ingress in front
    const checklist = cliChecklist(t.env.cli, p.folder);
    const path0 = checklist.requestPath;
    assert.equal(path0?.deployments.length, 1, JSON.stringify(path0));
    const [deployment] = path0.deployments;
    const [hop] = deployment.hops;
    assert.ok(hop, `a hop in front of ${deployment.label}`);
    assert.equal(hop.does['https-redirect'].state, 'yes');
    assert.equal(hop.does.hsts.state, 'yes');
    // DDH302 is information there, naming the ingress; DDH301 is not applicable (the ingress redirects
    // every request: nothing to do in Django), the checklist item saying so with the ingress
    const hsts = p.report.diagnostics.find((x) => x.code === 'DDH302');
    assert.equal(hsts?.severity, 'information', `DDH302: ${JSON.stringify(hsts)}`);
    assert.match(hsts?.message ?? '', /ingress-nginx controller/);
    assert.ok(!p.report.diagnostics.some((x) => x.code === 'DDH301'), JSON.stringify(p.report.diagnostics));
    const redirectItem = checklist.groups.flatMap((g) => g.items).find((i) => i.id === 'https-redirect');
    assert.match(redirectItem?.notApplicable ?? '', /ingress-nginx controller/, JSON.stringify(redirectItem));
    await H.hidePanel(p.page);
    assert.ok(checklist.production, 'the CLI names a production module');
    const tree = await waitForProductionRow(p, checklist.production.module);
    await H.resizeSideBar(p.page, 700);
    const inFront = (/** @type {import('./harness.mjs').ListRow} */ r) => r.level === 2 && r.label.startsWith('In front of Django');
    await H.expandListRow(p.page, tree, inFront, 'the first "In front of Django" row (HTTPS & cookies)');
    // (a row's accessible label is what it shows: "label: description")
    const deploymentRow = `${deployment.label}: ${hop.label}`;
    const hopRow = `${hop.label}: HTTPS redirect yes · HSTS yes`;
    await H.expandListRow(p.page, tree, (r) => r.level === 3 && r.label === deploymentRow, 'the deployment row');
    await H.expandListRow(p.page, tree, (r) => r.level === 4 && r.label === hopRow, 'the hop row');
    /** @type {import('./harness.mjs').ListRow[]} */
    let rows = [];
    const answers = [`HTTPS redirect: ${hop.does['https-redirect'].text}`, `HSTS: ${hop.does.hsts.text}`];
    await H.until('the hop row to show what the ingress does', async () => {
      rows = await H.readAllListRows(p.page, tree);
      return answers.every((a) => rows.some((r) => r.level === 5 && r.label === a));
    }).catch(() =>
      assert.fail(`the hop's rows should be ${JSON.stringify(answers)}; the tree shows:\n${rows.map(showTreeRow).join('\n')}`),
    );
    // under "HTTPS & cookies": the rows follow its "In front of Django", before its first item
    const at = rows.findIndex(inFront);
    assert.deepEqual(
      rows.slice(at + 1, at + 5).map((r) => [r.level, r.label]),
      [
        [3, deploymentRow],
        [4, hopRow],
        [5, answers[0]],
        [5, answers[1]],
      ],
      rows.map(showTreeRow).join('\n'),
    );
    await H.parkMouse(p.page);
    await shot(p.page, 'z4-checklist-request-path');
  },
  { uses: 'deploy-ingress' },
);

scenario(
  'z5',
  'a setting an optional, git-ignored local_settings.py may override (issue 54): the hover over its name, the hover of its finding and the production settings document say it is as written in the settings, unless local_settings.py overrides it',
  async (t) => {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'projects', 'optional-local-settings');
    const p = await t.project('optional-local-settings', () => openProject(t.env, fixture, 'optional-local-settings'));
    const rel = 'mysite/settings.py';
    // the control: the CLI's settings view says ALLOWED_HOSTS is overridable by local_settings.py, and
    // its report has DDH202 at information, saying the same
    const cli = execFileSync(process.execPath, [t.env.cli, 'settings', p.folder], { encoding: 'utf8' });
    assert.match(cli, /^mysite\.settings \(mysite\/settings\.py\), Django /, cli.slice(0, 200));
    const hostsLine = cli.split('\n').find((l) => l.startsWith('ALLOWED_HOSTS = '));
    assert.match(
      hostsLine ?? '',
      /^ALLOWED_HOSTS = \['\*'\] {2}# overridable: mysite\/settings\.py:\d+; .*unless local_settings\.py overrides it$/,
      hostsLine,
    );
    const hosts = p.report.diagnostics.find((d) => d.code === 'DDH202' && d.file === rel);
    assert.ok(hosts, `the CLI reports DDH202 in ${rel}: ${JSON.stringify(p.report.diagnostics.map((d) => d.code))}`);
    assert.equal(hosts.severity, 'information', JSON.stringify(hosts));
    assert.match(hosts.message, /\(unless local_settings\.py overrides it\)/, hosts.message);
    const line = read(p, rel)
      .split('\n')
      .findIndex((l) => l.startsWith('ALLOWED_HOSTS = '));
    assert.equal(line + 1, hosts.line, 'DDH202 is on the line that assigns ALLOWED_HOSTS');

    // in the editor: the hover over the setting's name (not its value) says what it is in production
    // and that local_settings.py may override it
    await H.hidePanel(p.page);
    await H.openFile(p.page, rel);
    await H.waitForSquiggles(p.page, { kind: 'info' });
    const setting = await H.hoverAt(p.page, hosts.line, 2);
    assert.match(setting, /In production: \['\*'\] — mysite\/settings\.py:8/, setting);
    assert.match(setting, /overridable: as written in the settings, unless local_settings\.py overrides it/, setting);
    await shot(p.page, 'z5-hover-overridable-setting', { keepHover: true });
    // the finding's hover: what it rests on, local_settings.py "as written unless overridden"
    const finding = await H.hoverAt(p.page, hosts.line, hosts.column + 1);
    assert.match(finding, /ALLOWED_HOSTS accepts any host \("\*"\) \(unless local_settings\.py overrides it\)/, finding);
    assert.match(finding, /Rests on:/, finding);
    assert.match(finding, /local_settings\.py — as written unless overridden/, finding);
    // the hover is taller than it may be: with the mouse in it (which keeps it open), it is scrolled
    // until the "Rests on:" line of local_settings.py is whole in view
    const hover = p.page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).first();
    const restsOn = hover.locator('li').filter({ hasText: 'as written unless overridden' });
    const box = await hover.boundingBox();
    assert.ok(box, 'the hover is on screen');
    await p.page.mouse.move(box.x + 30, box.y + 15, { steps: 3 });
    await H.until(
      'the local_settings.py line of "Rests on:" to be whole in the hover',
      async () => {
        const [h, r] = [await hover.boundingBox(), await restsOn.boundingBox()];
        if (h && r && r.y >= h.y && r.y + r.height <= h.y + h.height) return true;
        await p.page.mouse.wheel(0, 50);
        return false;
      },
      { timeout: 10_000 },
    );
    await shot(p.page, 'z5-hover-finding-rests-on', { keepHover: true });
    await p.page.mouse.move(2, 2);

    // the settings view: the production row's action opens the document, which is the CLI's settings output
    await H.allowClipboard(p.page);
    const tree = await waitForProductionRow(p, 'mysite.settings');
    const row = await H.revealListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith('Production: '), 'the production row');
    const clicked = await H.clickRowAction(p.page, row, 'Show the Production Settings');
    assert.equal(clicked, 'Show the Production Settings as Django Will See Them');
    const tab = p.page.locator('.tabs-container .tab.active').filter({ hasText: 'production settings' });
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    /** @type {string} */
    let text = '';
    await H.until(
      'the document to hold the settings',
      async () => {
        await H.focusEditor(p.page);
        await p.page.keyboard.press('Control+A');
        await p.page.keyboard.press('Control+C');
        return (text = await H.readClipboard(p.page)).startsWith('mysite.settings');
      },
      { timeout: 20_000 },
    );
    assert.equal(text, cli, "the document holds what the CLI's settings command prints");
    const docLine = text.split('\n').indexOf(hostsLine ?? '') + 1;
    assert.ok(docLine > 0, 'the document has the overridable ALLOWED_HOSTS line');
    // the line selected, and whole on screen (wrapped, as it is longer than the editor is wide)
    await p.page.keyboard.press('Control+Home');
    await H.clickAt(p.page, docLine, 1);
    await p.page.keyboard.press('Home');
    await p.page.keyboard.press('Shift+ArrowDown');
    await H.runCommand(p.page, 'View: Toggle Word Wrap');
    await H.until(
      `line ${docLine} to be selected`,
      async () => new RegExp(`^Ln ${docLine + 1}, Col 1 \\(\\d+ selected\\)`).test(await H.cursorPosition(p.page)),
      { timeout: 10_000 },
    ).catch(async () => assert.fail(`line ${docLine} should be selected; the status bar shows ${await H.cursorPosition(p.page)}`));
    await H.parkMouse(p.page);
    await shot(p.page, 'z5-settings-document-overridable');
  },
);

// ---- runner ---------------------------------------------------------------------------------

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  return Promise.race([
    promise,
    new Promise(
      /** @param {(value: T) => void} _ @param {(reason: Error) => void} reject */ (_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
      },
    ),
  ]).finally(() => clearTimeout(timer));
}

// A real repository opened as a new user opens theirs (issue 58): `E2E_REAL_REPOS=/path/a,/path/b
// node test/e2e/run.mjs` runs only these passes, one per folder (a copy of the whole tree), at the
// default layout and side-bar width: the time from opening the window to the Problems panel holding
// every row of the CLI's report, the time to the first squiggle in the file with the most findings,
// the counts, and screenshots of the Problems panel, that file and the checklist, to look at. Not
// part of the test command: the repositories are other people's code, fetched for measuring.
if (process.env.E2E_REAL_REPOS) {
  scenarios.length = 0;
  for (const dir of process.env.E2E_REAL_REPOS.split(',').filter(Boolean)) {
    const name = path.basename(path.resolve(dir));
    scenario(
      `real-${name}`,
      `a real repository, ${name}: the Problems panel is the CLI's, the checklist opens on its checklist at the default width`,
      async (t) => {
        const t0 = Date.now();
        const p = await t.project(name, () => openProject(t.env, path.resolve(dir), name));
        // the editor also checks the migrations (the newest of each app without git history): the
        // CLI's `migrations` command reports the same, so the Problems panel is compared with both
        const check = cliReport(t.env.cli, p.folder);
        const mig = spawnSync(process.execPath, [t.env.cli, 'migrations', p.folder, '--format', 'json'], {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        const migJson = mig.status === 0 || mig.status === 1 ? JSON.parse(mig.stdout) : { diagnostics: [], projects: [] };
        // without git history the editor checks the newest migration of each app and says so in each
        // of its rows (server/src/lsp/migrationPass.ts), where the CLI says it once on stderr
        /** @type {Map<string, string>} */
        const fallbackOf = new Map();
        for (const proj of migJson.projects ?? []) {
          const m = proj.migrations;
          if (m?.scope === 'newest' && m.fallback) for (const f of m.files ?? []) fallbackOf.set(f, m.fallback);
        }
        /** @type {CliDiagnostic[]} */
        const migDiags = migJson.diagnostics.map((/** @type {CliDiagnostic} */ d) => {
          const fallback = fallbackOf.get(d.file);
          return fallback
            ? {
                ...d,
                message: `${d.message} (Checked as the newest migration of its app: ${fallback}, so git cannot tell new migrations from applied ones; if it was applied long ago, this does not matter.)`,
              }
            : d;
        });
        p.report = { ...check, diagnostics: [...check.diagnostics, ...migDiags] };
        const opened = (Date.now() - t0) / 1000;
        const diags = p.report.diagnostics;
        const byFile = new Map();
        for (const d of diags) byFile.set(d.file, (byFile.get(d.file) ?? 0) + 1);
        const busiest = [...byFile.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
        let problems = 'not compared';
        const tp = Date.now();
        try {
          await waitForProblemsLikeCli(p.page, p.report, p.folder, { timeout: 120_000 });
          problems = `every row of the CLI's in ${((Date.now() - tp) / 1000).toFixed(1)} s after the window was up`;
        } catch (e) {
          problems = `differs: ${(e instanceof Error ? e.message : String(e)).split('\n').slice(0, 4).join(' | ')}`;
        }
        await shot(p.page, `real-${name}-problems`);
        let squiggles = 'no file with findings';
        if (busiest) {
          // the most severe finding of that file, first by line: its squiggle, scrolled to
          const rank = ['error', 'warning', 'information', 'hint'];
          const first = diags
            .filter((d) => d.file === busiest)
            .sort((a, b) => rank.indexOf(a.severity) - rank.indexOf(b.severity) || a.line - b.line)[0];
          const t1 = Date.now();
          await H.openFile(p.page, busiest);
          try {
            await H.until(
              "a squiggle on the finding's line",
              async () => ((await H.squigglesOnLine(p.page, first.line)).length > 0 ? true : null),
              {
                timeout: 60_000,
                interval: 250,
              },
            );
            squiggles = `${busiest}: its ${first.severity} on line ${first.line} squiggled ${((Date.now() - t1) / 1000).toFixed(1)} s after opening it`;
          } catch {
            squiggles = `${busiest}: no squiggle on line ${first.line} within 60 s`;
          }
          await shot(p.page, `real-${name}-busiest-file`);
          // its hover: the files it names, what it follows from, the "Searched" note, to look at
          await H.hoverAt(p.page, first.line, first.column)
            .then(() => shot(p.page, `real-${name}-busiest-hover`, { keepHover: true }))
            .catch((e) => log(`  no hover on ${busiest}:${first.line}: ${e instanceof Error ? e.message.split('\n')[0] : e}`));
        }
        await H.hidePanel(p.page);
        await H.openViewContainer(p.page, CONTAINER_TITLE);
        const tree = H.sideBarTree(p.page, CHECKLIST_VIEW);
        const rows = await H.until('the checklist rows', async () => {
          const r = await H.readAllListRows(p.page, tree);
          return r.length > 0 ? r : null;
        });
        await shot(p.page, `real-${name}-checklist-default-width`);
        const headline = await p.page
          .locator('.part.sidebar .pane-body .message')
          .first()
          .evaluate((el) => ({ text: el.textContent?.trim() ?? '', cut: el.scrollWidth > el.clientWidth + 1 }))
          .catch(() => ({ text: '(no message)', cut: false }));
        // the production row's evidence (why this module, the deployment files, the variables read)
        try {
          await H.expandListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith('Production: '), 'the production row');
          for (const folder of ['Deployment files', 'Variables', 'Other settings modules'])
            await H.expandListRow(p.page, tree, (r) => r.level === 2 && r.label.startsWith(folder), folder).catch(() => undefined);
          await H.revealListRow(p.page, tree, (r) => r.level === 1 && r.label.startsWith('Production: '), 'the production row');
          await H.parkMouse(p.page);
          await shot(p.page, `real-${name}-checklist-production-evidence`);
        } catch (e) {
          log(`  the production row could not be expanded: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
        }
        log(
          `  ${name}: window up in ${opened.toFixed(1)} s; the CLI reports ${diags.length} findings in ${byFile.size} files (${migDiags.length} of them from its migrations command) ` +
            `(${['error', 'warning', 'information', 'hint'].map((s) => `${diags.filter((d) => d.severity === s).length} ${s}`).join(', ')}); ` +
            `Problems panel: ${problems}; ${squiggles}; checklist: ${rows.length} rows, the first "${rows[0]?.label ?? ''}", above them "${headline.text}"${headline.cut ? ' (cut)' : ''}`,
        );
      },
      { timeout: 400_000 },
    );
  }
}

/** @param {Env} env */
async function runScenarios(env) {
  const selected = scenarios.filter((s) => !ONLY || ONLY.has(s.id));
  /** @type {Map<string, Project>} */
  const open = new Map(); // session name -> project
  /** @type {{ id: string, ok: boolean }[]} */
  const results = [];
  /** @param {string} name */
  const closeProject = async (name) => {
    const p = open.get(name);
    open.delete(name);
    await p?.close();
  };
  for (let i = 0; i < selected.length; i++) {
    const s = selected[i];
    const started = Date.now();
    log(`▶ ${s.id}: ${s.title}`);
    /** @type {Set<string>} */
    const used = new Set();
    /** @type {ScenarioContext} */
    const t = {
      env,
      project: async (name, opener) => {
        used.add(name);
        if (!open.has(name)) open.set(name, await opener());
        return /** @type {any} */ (open.get(name));
      },
    };
    /** @type {any} */
    let error;
    try {
      await withTimeout(s.fn(t), s.timeout, `scenario ${s.id}`);
    } catch (e) {
      error = e;
      for (const name of used) {
        const page = open.get(name)?.page;
        const file = page && (await H.screenshot(page, `FAILED-${s.id}-${name}`, ARTIFACTS).catch(() => undefined));
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
  log(
    `${results.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.map((f) => f.id).join(', ')})` : ''}; ` +
      `screenshots in ${path.relative(ROOT, ARTIFACTS)}/; ${((Date.now() - T0) / 1000).toFixed(1)}s in all`,
  );
  if (results.length === 0) throw new SetupError(`no scenario selected (E2E_ONLY=${process.env.E2E_ONLY ?? ''})`);
  const ok = failed.length === 0 && leaked.length === 0;
  if (ok && !KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  else log(`temporary files (code-server logs, user data, project copies): ${tmp}`);
  return ok;
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (e) {
  log(`FAILED: ${e instanceof SetupError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  if (tmp) log(`temporary files: ${tmp}`);
  killEverything();
  process.exitCode = 1;
}
