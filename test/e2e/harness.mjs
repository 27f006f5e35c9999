// Helpers for end-to-end tests in a real VS Code: code-server (VS Code 1.100 served to a browser)
// driven by Debian's headless Chromium through playwright-core.
//
// Run `node test/e2e/setup.mjs` first (it installs code-server into .cache/code-server/).
// Every wait here is on a condition with an explicit timeout; there are no fixed sleeps.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, CODE_SERVER_ENTRY, MARKER, REPO_ROOT } from './setup.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
/** @typedef {{ pid: number, argv: string[], cmd: string }} ProcessInfo */
/** @typedef {{ line: number, kind: string, startCol: number, endCol: number }} Squiggle */
/**
 * A row of a monaco list as listSnapshot reads it.
 * @typedef {{ index: number, height: number, inView: boolean, label: string, text: string, description: string,
 *   level: number, expanded: boolean | undefined, icon: string | undefined }} ListRow
 */
/** @typedef {{ rows: ListRow[], total: number, top: string, atTop: boolean, atBottom: boolean }} ListSnapshot */
/** @typedef {{ timeout?: number }} TimeoutOption */

export { CHROMIUM_PATH, CODE_SERVER_ENTRY };
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', '.artifacts');

/** Settings that keep the workbench quiet and screenshots stable. Tests may override any of them. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.reduceMotion': 'on',
  'workbench.editor.enablePreview': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.minimap.enabled': false,
  // sticky scroll pins e.g. `DATABASES = {` over the first lines of a scrolled editor: it hides the
  // line a test wants to hover, and reads like a fold in screenshots
  'editor.stickyScroll.enabled': false,
  // the same in trees (Problems, the checklist): a group's header pinned over the first rows covers a
  // row the tests take to be in view, so a click on its twistie lands on the header instead
  'workbench.tree.enableStickyScroll': false,
  'editor.cursorBlinking': 'solid',
  'editor.accessibilitySupport': 'off',
  'editor.hover.delay': 200,
  'editor.inlineSuggest.enabled': false,
  // an untitled editor's language guessed from what is pasted into it can land after a test sets
  // the language itself: the checklist's Markdown once stayed "Ini", and the preview command was
  // never offered (CI of 3351f3b, scenario p)
  'workbench.editor.languageDetection': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'files.autoSave': 'off',
  'python.defaultInterpreterPath': 'python3',
};

const DEFAULT_TIMEOUT = 30_000;
const live = new Set(); // process-group ids of code-servers still running, killed on exit

process.on('exit', () => {
  for (const pgid of live) killTree(pgid, 'SIGKILL');
});

function assertSetup() {
  if (!fs.existsSync(MARKER)) {
    throw new Error(`code-server is not installed: run \`node test/e2e/setup.mjs\` first (no ${MARKER})`);
  }
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** Live (non-zombie) processes from /proc: { pid, ppid, pgrp }. */
function processTable() {
  const rows = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && state !== 'X') rows.push({ pid: Number(entry), ppid: Number(ppid), pgrp: Number(pgrp) });
    } catch {
      /* process went away */
    }
  }
  return rows;
}

/**
 * pids of every live descendant of `pid` (children, grandchildren, ...), e.g. to find leaked processes.
 * @param {number} pid
 * @returns {number[]}
 */
export function descendantsOf(pid) {
  const table = processTable();
  const found = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  found.delete(pid);
  return [...found];
}

/**
 * @param {number} pid
 * @returns {string[] | null}
 */
function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0');
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * Live descendants of `pid` with their command lines: [{ pid, argv, cmd }] (cmd = argv joined by spaces).
 * @param {number} pid
 * @returns {ProcessInfo[]}
 */
export function processesUnder(pid) {
  const out = [];
  for (const p of descendantsOf(pid)) {
    const argv = commandLine(p);
    if (argv) out.push({ pid: p, argv, cmd: argv.join(' ') });
  }
  return out;
}

/**
 * Samples the descendants of `pid` every `interval` ms (and once at once) and keeps those for which
 * `match({ pid, argv, cmd })` is true, however briefly they lived between two samples' worth of time:
 * to tell that something did NOT start (a short-lived child would slip between two one-off looks).
 * Returns { seen: [{ pid, cmd }], stop() } (stop() takes a last sample and returns `seen`).
 * @param {number} pid
 * @param {(p: ProcessInfo) => boolean} match
 */
export function watchProcesses(pid, match, { interval = 20 } = {}) {
  const seen = new Map();
  const sample = () => {
    for (const p of processesUnder(pid)) if (!seen.has(p.pid) && match(p)) seen.set(p.pid, { pid: p.pid, cmd: p.cmd });
  };
  sample();
  const timer = setInterval(sample, interval);
  return {
    get seen() {
      return [...seen.values()];
    },
    stop() {
      clearInterval(timer);
      sample();
      return [...seen.values()];
    },
  };
}

/**
 * Processes that LISTEN on TCP `port` (any address, IPv4 or IPv6), from /proc/net/tcp{,6}:
 * [{ pid, cmd }] (pid 0 when the socket's owner is not visible to us). Empty: the port is free.
 * @param {number} port
 * @returns {{ pid: number, cmd: string }[]}
 */
export function listenersOn(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const localPort = parseInt(/** @type {string} */ (f[1].split(':').pop()), 16);
      if (localPort === port && f[3] === '0A') inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return [];
  const owners = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds = [];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        let cmd = '';
        try {
          cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        } catch {
          /* gone */
        }
        owners.push({ pid: Number(entry), cmd });
        break;
      }
    }
  }
  return owners.length ? owners : [{ pid: 0, cmd: '(owner not visible)' }];
}

/**
 * pids of the process group `pgid` plus every descendant of it (even one that left the group).
 * @param {number} pgid
 * @returns {number[]}
 */
function treeOf(pgid) {
  const table = processTable();
  const found = new Set(table.filter((p) => p.pgrp === pgid || p.pid === pgid).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * @param {number} pgid
 * @param {NodeJS.Signals} signal
 */
function killTree(pgid, signal) {
  const pids = treeOf(pgid);
  try {
    process.kill(-pgid, signal); // the whole process group (code-server was started detached)
  } catch {
    /* already gone */
  }
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Polls `fn` until it returns a truthy value (returned) or `timeout` passes (throws, naming `what`).
 * A call of `fn` still running 5 s after the deadline (a helper that scrolls a list, say) does not hold
 * the wait up: it throws then, and the scenario fails naming this wait rather than at its own limit.
 * @template T
 * @param {string} what
 * @param {() => T | Promise<T>} fn
 * @param {{ timeout?: number, interval?: number }} [options]
 * @returns {Promise<Exclude<Awaited<T>, null | undefined | false>>}
 */
export async function until(what, fn, { timeout = DEFAULT_TIMEOUT, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  /** @type {Error | undefined} */
  let last;
  for (;;) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    try {
      const overdue = new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('a check was still running'), { overdue: true })),
          Math.max(0, deadline - Date.now()) + 5000,
        );
      });
      const v = await Promise.race([fn(), overdue]);
      if (v) return /** @type {Exclude<Awaited<T>, null | undefined | false>} */ (v);
    } catch (e) {
      last = /** @type {Error} */ (e);
      if (/** @type {{ overdue?: boolean }} */ (e).overdue)
        throw new Error(`timed out after ${timeout} ms waiting for ${what} (a check was still running 5 s later)`);
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Installs a .vsix into `extensionsDir` with code-server's own installer.
 * Returns the installer's output. Throws if it did not report success.
 * @param {string} vsixPath
 * @param {string} extensionsDir
 * @param {{ userDataDir?: string }} [options]
 */
export function installExtension(vsixPath, extensionsDir, { userDataDir } = {}) {
  assertSetup();
  fs.mkdirSync(extensionsDir, { recursive: true });
  const ud = userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-install-ud-'));
  try {
    const env = { ...process.env, XDG_DATA_HOME: path.join(ud, 'xdg-data') };
    const r = spawnSync(
      process.execPath,
      [
        CODE_SERVER_ENTRY,
        '--config',
        path.join(ud, 'code-server.yaml'), // else it writes ~/.config/code-server/config.yaml
        '--user-data-dir',
        ud,
        '--extensions-dir',
        extensionsDir,
        '--force',
        '--install-extension',
        path.resolve(vsixPath),
      ],
      { encoding: 'utf8', timeout: 120_000, env },
    );
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status !== 0 || !/successfully installed/i.test(output)) {
      throw new Error(`installing ${vsixPath} failed (exit ${r.status ?? r.signal ?? r.error?.message}):\n${output}`);
    }
    return output;
  } finally {
    if (!userDataDir) fs.rmSync(ud, { recursive: true, force: true });
  }
}

/**
 * Starts code-server on a free port and waits until it answers HTTP.
 * `trusted: false` leaves Workspace Trust on, so VS Code asks whether to trust the folder.
 * `settings` are added to DEFAULT_SETTINGS; `keybindings` (an array, as in keybindings.json) are the user's.
 * Returns { url, port, pid, logFile, stop() }; stop() ends the whole process tree.
 * @param {{ folder?: string, extensionsDir?: string, userDataDir?: string, trusted?: boolean, settings?: Record<string, unknown>,
 *   keybindings?: unknown[], timeout?: number, extraArgs?: string[], env?: Record<string, string> }} [options]
 */
export async function startCodeServer({
  folder,
  extensionsDir,
  userDataDir,
  trusted = true,
  settings = {},
  keybindings,
  timeout = 60_000,
  extraArgs = [],
  env = {},
} = {}) {
  assertSetup();
  if (!userDataDir) userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-ud-'));
  if (!extensionsDir) extensionsDir = path.join(userDataDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2) + '\n');
  if (keybindings) {
    fs.writeFileSync(path.join(userDataDir, 'User', 'keybindings.json'), JSON.stringify(keybindings, null, 2) + '\n');
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(userDataDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    CODE_SERVER_ENTRY,
    '--config',
    path.join(userDataDir, 'code-server.yaml'),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(trusted ? ['--disable-workspace-trust'] : []),
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const child = spawn(process.execPath, args, {
    detached: true, // own process group, so stop() can end the extension host and friends too
    stdio: ['ignore', out, out],
    // XDG_DATA_HOME: code-server keeps coder-logs/ and a heartbeat file there (else ~/.local/share/code-server)
    env: {
      ...process.env,
      PORT: undefined,
      PASSWORD: undefined,
      HASHED_PASSWORD: undefined,
      XDG_DATA_HOME: path.join(userDataDir, 'xdg-data'),
      ...env,
    },
  });
  fs.closeSync(out);
  const pid = /** @type {number} */ (child.pid);
  live.add(pid);
  /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const stop = async () => {
    if (!live.has(pid)) return;
    killTree(pid, 'SIGTERM');
    try {
      await until('code-server and its children to exit', () => exited !== null && treeOf(pid).length === 0, {
        timeout: 5000,
        interval: 50,
      });
    } catch {
      killTree(pid, 'SIGKILL');
    }
    live.delete(pid);
  };

  try {
    await until(
      `code-server to answer on ${url}`,
      async () => {
        if (exited) {
          throw Object.assign(new Error(`code-server exited (${exited.code ?? exited.signal}):\n${tailOf(logFile)}`), { fatal: true });
        }
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        return res.ok;
      },
      { timeout, interval: 100 },
    ).catch((e) => {
      throw new Error(`${e.message}\n--- ${logFile} ---\n${tailOf(logFile)}`);
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, pid, logFile, userDataDir, extensionsDir, stop };
}

/**
 * @param {string} file
 * @param {number} [n]
 */
function tailOf(file, n = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Opens the workbench for `folder` in headless Chromium (fresh profile) and waits for it.
 * Returns { browser, context, page, errors, close() }; `errors` collects uncaught page errors.
 * @param {string} url
 * @param {string | undefined} folder
 */
export async function openWorkbench(url, folder, { timeout = 60_000, viewport = { width: 1400, height: 900 } } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(DEFAULT_TIMEOUT);
    /** @type {string[]} */
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const target = new URL(url);
    // a .code-workspace file opens as a (multi-root) workspace, anything else as a folder
    if (folder) target.searchParams.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', folder);
    await page.goto(target.href, { waitUntil: 'domcontentloaded', timeout });
    await waitForWorkbench(page, { timeout });
    return { browser, context, page, errors, close: () => browser.close() };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/**
 * Waits until the workbench is shown with its configured theme (after opening or reloading the page).
 * @param {Page} page
 */
export async function waitForWorkbench(page, { timeout = 60_000 } = {}) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  // The workbench first paints with a built-in light fallback theme; the configured theme arrives
  // with the theme extension (class "vscode-theme-..."). Wait for it so screenshots are stable.
  await page.waitForFunction(() => /\bvscode-theme-/.test(document.querySelector('.monaco-workbench')?.className ?? ''), null, {
    timeout,
    polling: 100,
  });
}

/**
 * "Developer: Reload Window": the workbench shuts down as usual (its storage is flushed, the
 * extension host ends) and loads again. Waits for the new page's workbench.
 * @param {Page} page
 */
export async function reloadWindow(page, { timeout = 60_000 } = {}) {
  const widget = page.locator('.quick-input-widget');
  await openPaletteWith(page, '>Developer: Reload Window', { timeout });
  await until(
    'the command palette to offer "Developer: Reload Window"',
    async () =>
      ((await widget.locator('.quick-input-list .monaco-list-row').first().getAttribute('aria-label', { timeout: 1000 })) ?? '').startsWith(
        'Developer: Reload Window',
      ),
    { timeout },
  );
  const loaded = page.waitForEvent('load', { timeout });
  await page.keyboard.press('Enter');
  await loaded;
  await waitForWorkbench(page, { timeout });
}

/**
 * Waits until the explorer shows the folder's contents (its first tree row is rendered).
 * @param {Page} page
 */
export async function waitForExplorer(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await page.locator('.explorer-folders-view [role="treeitem"]').first().waitFor({ state: 'visible', timeout });
}

/**
 * Opens `relativePath` (relative to the opened folder, '/'-separated) by expanding its folders in
 * the explorer and clicking the file, then waits for its editor tab to be active and its text shown.
 * @param {Page} page
 * @param {string} relativePath
 */
export async function openFile(page, relativePath, { timeout = DEFAULT_TIMEOUT } = {}) {
  const parts = relativePath.split('/').filter(Boolean);
  const tree = page.locator('.explorer-folders-view');
  if (!(await tree.isVisible())) {
    await page.keyboard.press('Control+Shift+E');
  }
  await waitForExplorer(page, { timeout });
  let parentIndex = -1;
  for (let i = 0; i < parts.length; i++) {
    const isFile = i === parts.length - 1;
    // rows are [role=treeitem] with aria-level (1 = top of the folder) and data-index (row order);
    // the row we want is the first one with that name and level below its parent.
    const candidates = tree.locator(`[role="treeitem"][aria-level="${i + 1}"]`);
    const row = await until(
      `explorer row "${parts.slice(0, i + 1).join('/')}"`,
      async () => {
        const found = await candidates.evaluateAll(
          (els, [name, after]) => {
            const hits = els
              .map((el) => ({ el, idx: Number(el.getAttribute('data-index')) }))
              .filter(({ el, idx }) => idx > after && el.querySelector('.label-name')?.textContent === name)
              .sort((a, b) => a.idx - b.idx);
            return hits.length ? hits[0].idx : null;
          },
          /** @type {[string, number]} */ ([parts[i], parentIndex]),
        );
        return found === null ? null : { idx: found };
      },
      { timeout },
    );
    parentIndex = row.idx;
    const loc = tree.locator(`[role="treeitem"][data-index="${row.idx}"]`);
    if (isFile) {
      await loc.click();
    } else if ((await loc.getAttribute('aria-expanded')) !== 'true') {
      // The Explorer may expand the folder itself between our look and our click (revealing a file
      // just opened from elsewhere, seen in scenario t), and the click then folds it again: a folder
      // still folded a moment after a click is clicked again.
      await loc.click();
      let clicked = Date.now();
      await until(
        `folder "${parts.slice(0, i + 1).join('/')}" to expand`,
        async () => {
          if ((await loc.getAttribute('aria-expanded')) === 'true') return true;
          if (Date.now() - clicked > 2000) {
            await loc.click();
            clicked = Date.now();
          }
          return false;
        },
        { timeout },
      );
    }
  }
  const name = parts[parts.length - 1];
  await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor({ state: 'visible', timeout });
  await activeEditor(page).locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout });
}

/**
 * The editor of the active editor group.
 * @param {Page} page
 */
export function activeEditor(page) {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

const SQUIGGLE_KINDS = ['error', 'warning', 'info', 'hint'];

/**
 * Counts of squiggles in the active editor by kind (one element per decorated line segment).
 * @param {Page} page
 */
export async function countSquiggles(page) {
  return page.evaluate((kinds) => {
    const root = document.querySelector('.editor-group-container.active .monaco-editor') ?? document;
    /** @type {Record<string, number>} */
    const counts = { total: 0 };
    for (const k of kinds) {
      counts[k] = root.querySelectorAll(`.squiggly-${k}`).length;
      counts.total += counts[k];
    }
    return counts;
  }, SQUIGGLE_KINDS);
}

/**
 * Waits until the active editor shows at least `minCount` squiggles (of `kind`, or of any kind).
 * Returns { error, warning, info, hint, total }.
 * @param {Page} page
 * @param {{ minCount?: number, kind?: string, timeout?: number }} [options]
 */
export async function waitForSquiggles(page, { minCount = 1, kind, timeout = DEFAULT_TIMEOUT } = {}) {
  const handle = await page.waitForFunction(
    ([kinds, min, only]) => {
      const root = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!root) return null;
      /** @type {Record<string, number>} */
      const counts = { total: 0 };
      for (const k of kinds) {
        counts[k] = root.querySelectorAll(`.squiggly-${k}`).length;
        counts.total += counts[k];
      }
      return (only ? counts[only] : counts.total) >= min ? counts : null;
    },
    /** @type {[string[], number, string | null]} */ ([SQUIGGLE_KINDS, minCount, kind ?? null]),
    { timeout, polling: 100 },
  );
  return handle.jsonValue();
}

/**
 * Opens the Problems panel (Ctrl+Shift+M) and waits for it to be visible.
 * @param {Page} page
 */
export async function openProblems(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const panel = page.locator('.markers-panel');
  if (await panel.isVisible()) return;
  await activeEditorOrWorkbenchFocus(page);
  await page.keyboard.press('Control+Shift+M');
  try {
    await panel.waitFor({ state: 'visible', timeout: Math.min(timeout, 5000) });
  } catch {
    await runCommand(page, 'Problems: Focus on Problems View', { timeout });
    await panel.waitFor({ state: 'visible', timeout });
  }
}

/** @param {Page} page */
async function activeEditorOrWorkbenchFocus(page) {
  // Keyboard shortcuts need focus inside the workbench (not on <body> of a fresh page).
  const focused = await page.evaluate(() => !!document.activeElement?.closest('.monaco-workbench'));
  if (!focused) {
    const editor = activeEditor(page);
    if (await editor.isVisible()) await editor.locator('.view-lines').click();
    else await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
  }
}

/**
 * Rows of the Problems panel, waiting until there are at least `minRows` marker rows.
 * Each row is { kind: 'file' | 'marker', text, label } (label = its aria-label, which spells out
 * severity, message, source and position for markers).
 * @param {Page} page
 */
export async function readProblems(page, { minRows = 1, timeout = DEFAULT_TIMEOUT } = {}) {
  await openProblems(page, { timeout });
  const read = () =>
    page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
      rows
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((r) => ({
          kind: r.querySelector('.marker-icon, .marker-message-details, .details-container') ? 'marker' : 'file',
          text: /** @type {HTMLElement} */ (r).innerText.replace(/\s+/g, ' ').trim(),
          label: r.getAttribute('aria-label') ?? '',
        })),
    );
  return until(
    `${minRows} problem row(s)`,
    async () => {
      const rows = await read();
      return rows.filter((r) => r.kind === 'marker').length >= minRows ? rows : null;
    },
    { timeout },
  );
}

/**
 * Text of the visible hover widget once it has content.
 * @param {Page} page
 * @param {number} timeout
 */
async function hoverText(page, timeout) {
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).first();
  await hover.waitFor({ state: 'visible', timeout });
  return (await hover.innerText()).trim();
}

/**
 * Moves the mouse away so that the next hover starts fresh.
 * @param {Page} page
 */
async function resetMouse(page) {
  await page.mouse.move(2, 2);
  await page
    .locator('.monaco-hover:not(.hidden)')
    .first()
    .waitFor({ state: 'hidden', timeout: 5000 })
    .catch(() => {});
}

/**
 * Where `line`:`column` (1-based) of the active editor is on the page: the middle of that character
 * (or the start of the line when it is shorter). Scrolls the line into view first (see revealLine).
 * @param {Page} page
 * @param {number} line
 * @param {number} column
 */
async function pointAt(page, line, column, { timeout = DEFAULT_TIMEOUT } = {}) {
  await revealLine(page, line, { timeout });
  const point = await activeEditor(page).evaluate(
    (editor, [line, column]) => {
      const num = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find(
        (el) => (el.textContent ?? '').trim() === String(line),
      );
      if (!num) return null;
      const top =
        /** @type {HTMLElement | null} */ (num.closest('[style*="top"]'))?.style.top ??
        /** @type {HTMLElement} */ (num.parentElement).style.top;
      const viewLine = [.../** @type {NodeListOf<HTMLElement>} */ (editor.querySelectorAll('.view-lines .view-line'))].find(
        (el) => el.style.top === top,
      );
      if (!viewLine) return null;
      // walk the text nodes to the character at column-1
      const walker = document.createTreeWalker(viewLine, NodeFilter.SHOW_TEXT);
      let left = column - 1;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = (node.textContent ?? '').length;
        if (left < len) {
          const range = document.createRange();
          range.setStart(node, left);
          range.setEnd(node, left + 1);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        left -= len;
      }
      const r = viewLine.getBoundingClientRect();
      return { x: r.left + 2, y: r.top + r.height / 2 };
    },
    [line, column],
  );
  if (!point) throw new Error(`line ${line} is not rendered in the active editor`);
  return point;
}

/**
 * Hovers the mouse over `line`:`column` (1-based) of the active editor and returns the hover text.
 * Scrolls the line into view first (see revealLine).
 * @param {Page} page
 * @param {number} line
 * @param {number} column
 */
export async function hoverAt(page, line, column, { timeout = DEFAULT_TIMEOUT } = {}) {
  const point = await pointAt(page, line, column, { timeout });
  await resetMouse(page);
  await page.mouse.move(point.x, point.y, { steps: 2 });
  return hoverText(page, timeout);
}

/**
 * The cursor position the status bar shows for the active editor, e.g. "Ln 18, Col 9" or "Ln 122, Col 65 (48 selected)".
 * @param {Page} page
 */
export async function cursorPosition(page) {
  return (await page.locator('.part.statusbar #status\\.editor\\.selection').innerText()).trim();
}

/**
 * Clicks `line`:`column` (1-based) of the active editor, which puts the cursor there, and waits until
 * the status bar shows the cursor on that line.
 * @param {Page} page
 * @param {number} line
 * @param {number} column
 */
export async function clickAt(page, line, column, { timeout = DEFAULT_TIMEOUT } = {}) {
  const point = await pointAt(page, line, column, { timeout });
  await page.mouse.click(point.x, point.y);
  await until(`the cursor to be on line ${line}`, async () => (await cursorPosition(page)).startsWith(`Ln ${line},`), { timeout });
}

// ---- Code actions (the light bulb) ----

/**
 * The light bulb of the active editor (shown next to the cursor's line when code actions are offered).
 * @param {Page} page
 */
export function lightBulb(page) {
  return activeEditor(page).locator('.lightBulbWidget');
}

/**
 * The code-action menu the light bulb opens: a list of group headers and actions.
 * @param {Page} page
 */
export function codeActionMenu(page) {
  return page.locator('.action-widget');
}

/**
 * Puts the cursor on `line`:`column`, waits for the light bulb, clicks it and waits for the menu.
 * Returns the titles of the actions in the menu, in order (group headers such as "Quick Fix" left out).
 * @param {Page} page
 * @param {number} line
 * @param {number} column
 */
export async function openLightBulbMenu(page, line, column, { timeout = DEFAULT_TIMEOUT } = {}) {
  const bulb = lightBulb(page);
  // VS Code asks for the code actions at the cursor when the cursor moves. Once, in a full run
  // (the last scenario, the migration's squiggle shown), the light bulb never came in 30 s; alone,
  // the same scenario showed it five times out of five. Up to three tries, the cursor moved off
  // the line and back between them.
  const tries = 3;
  for (let attempt = 1; ; attempt++) {
    await clickAt(page, line, column, { timeout });
    try {
      await bulb.waitFor({ state: 'visible', timeout: timeout / tries });
      break;
    } catch (e) {
      if (attempt === tries) throw e;
      await clickAt(page, line > 1 ? line - 1 : line + 1, 1, { timeout });
    }
  }
  await bulb.click();
  const menu = codeActionMenu(page);
  await menu.waitFor({ state: 'visible', timeout });
  return until(
    'the code-action menu to list its actions',
    async () => {
      const titles = await menu
        .locator('.monaco-list-row.action')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent?.trim() ?? ''));
      return titles.length ? titles : null;
    },
    { timeout },
  );
}

/**
 * Clicks the action titled `title` in the open code-action menu and waits for the menu to close.
 * @param {Page} page
 * @param {string} title
 */
export async function chooseCodeAction(page, title, { timeout = DEFAULT_TIMEOUT } = {}) {
  const menu = codeActionMenu(page);
  const rows = menu.locator('.monaco-list-row.action');
  const index = await until(
    `the code-action menu to offer "${title}"`,
    async () => {
      const titles = await rows.evaluateAll((els) => els.map((r) => r.getAttribute('aria-label') ?? r.textContent?.trim() ?? ''));
      const i = titles.indexOf(title);
      return i >= 0 ? { i } : null;
    },
    { timeout },
  );
  const row = rows.nth(index.i);
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
  await menu.waitFor({ state: 'hidden', timeout });
}

/**
 * Saves the active editor (Ctrl+S) and waits until its tab is no longer marked as modified.
 * @param {Page} page
 */
export async function saveActiveEditor(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await focusEditor(page, { timeout });
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab.active:not(.dirty)').waitFor({ state: 'visible', timeout });
}

/**
 * Hovers the mouse over the first squiggle (of `kind`, or any) and returns the hover text.
 * @param {Page} page
 * @param {{ kind?: string, index?: number, timeout?: number }} [options]
 */
export async function hoverSquiggle(page, { kind, index = 0, timeout = DEFAULT_TIMEOUT } = {}) {
  await resetMouse(page);
  const sel = kind ? `.squiggly-${kind}` : SQUIGGLE_KINDS.map((k) => `.squiggly-${k}`).join(', ');
  const squiggle = activeEditor(page).locator(sel).nth(index);
  const box = await squiggle.boundingBox({ timeout });
  if (!box) throw new Error(`squiggle ${sel} #${index} is not visible`);
  // squiggles are drawn in an overlay layer; the hover is triggered by the text under them
  await page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2, { steps: 2 });
  return hoverText(page, timeout);
}

/**
 * Parks the mouse on the title bar, where nothing shows a tooltip, and waits until no hover or
 * tooltip (e.g. of a Problems row the mouse was over) is left on screen.
 * @param {Page} page
 */
export async function parkMouse(page, { timeout = 5000 } = {}) {
  const bar = await page
    .locator('.part.titlebar')
    .boundingBox()
    .catch(() => null);
  const vp = page.viewportSize() ?? { width: 1400, height: 900 };
  await page.mouse.move(bar ? bar.x + bar.width * 0.75 : vp.width * 0.75, bar ? bar.y + bar.height / 2 : 10);
  await page
    .locator('.monaco-hover:not(.hidden), .workbench-hover')
    .first()
    .waitFor({ state: 'hidden', timeout })
    .catch(() => {});
}

/**
 * Saves a PNG screenshot of the page into `dir` (default test/e2e/.artifacts/) and returns its path.
 * @param {Page} page
 * @param {string} name
 * @param {string} [dir]
 */
export async function screenshot(page, name, dir = ARTIFACTS_DIR) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name.endsWith('.png') ? name : `${name}.png`);
  // animations 'disabled': a hover or notification fading in is captured in its final state,
  // not half-transparent over the code
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

/**
 * Opens the command palette (F1) and types `text` into it. The palette closes when something else takes
 * the focus right after it opened (seen once after a notification was cleared): then it is opened again.
 * @param {Page} page
 * @param {string} text
 */
async function openPaletteWith(page, text, { timeout = DEFAULT_TIMEOUT } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const deadline = Date.now() + timeout;
  for (let attempt = 1; ; attempt++) {
    await activeEditorOrWorkbenchFocus(page);
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(text, { timeout: 2000 });
      if ((await input.inputValue({ timeout: 1000 })) === text && (await input.isVisible())) return;
    } catch (e) {
      if (attempt >= 3 || Date.now() > deadline) throw e;
    }
  }
}

/**
 * Runs a command from the command palette (F1) by its title, e.g. 'View: Toggle Word Wrap'.
 * Waits until the first entry in the list is the command, presses Enter, and waits for the palette to
 * close; `opensQuickPick` for a command that shows a quick pick of its own in the same widget (then
 * use waitForQuickPick).
 * @param {Page} page
 * @param {string} title
 */
export async function runCommand(page, title, { timeout = DEFAULT_TIMEOUT, opensQuickPick = false } = {}) {
  const widget = page.locator('.quick-input-widget');
  await openPaletteWith(page, `>${title}`, { timeout });
  const wanted = title.toLowerCase();
  // usually the first row; the fuzzy order can put another first ("File: Compare New Untitled Text
  // Files" before "File: New Untitled Text File"), and then the arrow keys go down to it
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const labels = () =>
    rows.evaluateAll((els) =>
      els
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((el) => ({ label: (el.getAttribute('aria-label') ?? '').toLowerCase(), focused: el.classList.contains('focused') })),
    );
  const index = await until(
    `command palette to offer "${title}"`,
    async () => {
      const i = (await labels()).findIndex((r) => r.label.startsWith(wanted));
      return i >= 0 ? { i } : null;
    },
    { timeout },
  );
  for (let n = 0; n < index.i; n++) await page.keyboard.press('ArrowDown');
  await until(`the palette's row "${title}" to be focused`, async () => (await labels()).find((r) => r.focused)?.label.startsWith(wanted), {
    timeout: 5000,
  });
  await page.keyboard.press('Enter');
  if (opensQuickPick) return;
  await widget.waitFor({ state: 'hidden', timeout });
}

// ---- An extension's quick pick, a view's "More Actions" menu, modal dialogs, the clipboard ----

/**
 * What the open quick pick shows: { title, placeholder, items: [{ label, description, detail, active }] }
 * (labels without their codicons; every item, as a short list is not virtualised).
 * @param {Page} page
 */
export async function quickPickState(page) {
  const widget = page.locator('.quick-input-widget');
  return widget.evaluate((w) => {
    /** @param {Element | null | undefined} el */
    const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const title = /** @type {HTMLElement | null} */ (w.querySelector('.quick-input-title'));
    return {
      title: title && title.style.display !== 'none' ? text(title) : '',
      placeholder: w.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '',
      items: [.../** @type {NodeListOf<HTMLElement>} */ (w.querySelectorAll('.quick-input-list .monaco-list-row'))]
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((row) => {
          const lines = row.querySelectorAll('.quick-input-list-row');
          return {
            label: text(lines[0]?.querySelector('.label-name')),
            description: text(lines[0]?.querySelector('.label-description')),
            detail: text(lines[1]),
            active: row.classList.contains('focused'), // where Enter goes
          };
        }),
    };
  });
}

/**
 * Waits for a quick pick (not the command palette) whose title or placeholder `match`es (RegExp or a
 * string it contains) with its items rendered; returns quickPickState.
 * @param {Page} page
 * @param {RegExp | string} match
 */
export async function waitForQuickPick(page, match, { timeout = DEFAULT_TIMEOUT } = {}) {
  /** @param {string} m */
  const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
  /** @type {Awaited<ReturnType<typeof quickPickState>> | undefined} */
  let last;
  return until(
    `a quick pick ${match}`,
    async () => {
      const widget = page.locator('.quick-input-widget');
      if (!(await widget.isVisible())) return null;
      if ((await widget.locator('.quick-input-box input').inputValue()).startsWith('>')) return null; // still the palette
      last = await quickPickState(page);
      return (test(last.title) || test(last.placeholder)) && last.items.length ? last : null;
    },
    { timeout },
  ).catch((e) => {
    throw new Error(`${e.message}; shown: ${JSON.stringify(last ?? null)}`);
  });
}

/**
 * Clicks the item of the open quick pick whose label is `label`, and waits for the quick pick to close.
 * @param {Page} page
 * @param {string} label
 */
export async function pickQuickItem(page, label, { timeout = DEFAULT_TIMEOUT, closes = true } = {}) {
  const widget = page.locator('.quick-input-widget');
  const row = widget.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.quick-input-list-row:first-child .label-name', {
      hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`),
    }),
  });
  await row.first().click({ timeout });
  // `closes: false` when the choice opens another quick pick at once (the widget stays)
  if (closes) await widget.waitFor({ state: 'hidden', timeout });
}

/**
 * Opens the "…" menu (Views and More Actions) of the side bar's title, where a view's secondary
 * actions are, and returns the titles it offers; with `choose`, clicks that entry (the menu closes).
 * @param {Page} page
 * @param {{ choose?: string, timeout?: number }} [options]
 */
export async function sideBarMoreActions(page, { choose, timeout = DEFAULT_TIMEOUT } = {}) {
  await page.locator('.part.sidebar .title-actions .action-label.codicon-toolbar-more').click({ timeout });
  const menu = page.locator('.monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout });
  const entries = menu.locator('.action-item:not(.disabled) .action-label:not(.separator)');
  const titles = (await entries.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()))).filter(
    Boolean,
  );
  if (choose) {
    if (!titles.includes(choose)) throw new Error(`the side bar's "…" menu has no "${choose}"; it offers: ${titles.join(' | ')}`);
    // chosen with the keyboard: a click on an entry was sometimes lost (the entry highlighted, the menu
    // left open), while the arrow keys and Enter always reach it
    const focused = async () =>
      (
        await menu
          .locator('.action-item.focused .action-label')
          .first()
          .textContent({ timeout: 1000 })
          .catch(() => '')
      )?.trim();
    for (let guard = 0; (await focused()) !== choose; guard++) {
      if (guard > titles.length * 2) throw new Error(`could not move the "…" menu's focus to "${choose}"`);
      const before = await focused();
      await page.keyboard.press('ArrowDown');
      await until("the menu's focus to move", async () => (await focused()) !== before, { timeout: 3000, interval: 25 });
    }
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout });
  }
  return titles;
}

/**
 * The modal dialog box (e.g. of showWarningMessage with { modal: true }).
 * @param {Page} page
 */
export function modalDialog(page) {
  return page.locator('.monaco-dialog-box');
}

/**
 * Waits for a modal dialog and returns { severity, message, detail, buttons }.
 * @param {Page} page
 */
export async function waitForDialog(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const box = modalDialog(page);
  await box.waitFor({ state: 'visible', timeout });
  return box.evaluate((el) => {
    const icon = el.querySelector('.dialog-icon');
    return {
      severity:
        ['error', 'warning', 'info'].find(
          (k) => icon?.classList.contains(`codicon-${k}`) || icon?.classList.contains(`codicon-dialog-${k}`),
        ) ?? 'unknown',
      message: (el.querySelector('.dialog-message-text')?.textContent ?? '').trim(),
      detail: (el.querySelector('.dialog-message-detail')?.textContent ?? '').trim(),
      buttons: [...el.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => (b.textContent ?? '').trim()),
    };
  });
}

/**
 * Clicks the button of the modal dialog whose text is `button`, and waits for the dialog to close.
 * @param {Page} page
 * @param {string} button
 */
export async function answerDialog(page, button, { timeout = DEFAULT_TIMEOUT } = {}) {
  const box = modalDialog(page);
  await box.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${button}\\s*$`) }).click({ timeout });
  await box.waitFor({ state: 'hidden', timeout });
}

/**
 * Lets the page use the system clipboard (code-server's clipboard service is the browser's
 * navigator.clipboard, which headless Chromium allows only with these permissions).
 * @param {Page} page
 */
export async function allowClipboard(page) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
}

/**
 * The text on the clipboard (after allowClipboard), as a paste would insert it.
 * @param {Page} page
 */
export async function readClipboard(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

// ---- Workspace Trust (start code-server with trusted: false) ----

/**
 * The modal trust dialog ("Do you trust the authors of the files in this folder?").
 * @param {Page} page
 */
export function trustDialog(page) {
  return page.locator('.monaco-dialog-box').filter({ hasText: /trust the authors/i });
}

/**
 * Waits for the trust dialog and returns its text.
 * @param {Page} page
 */
export async function waitForTrustDialog(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const dialog = trustDialog(page);
  await dialog.waitFor({ state: 'visible', timeout });
  return (await dialog.innerText()).trim();
}

/**
 * Answers the trust dialog with "No, I don't trust the authors" and waits for restricted mode.
 * @param {Page} page
 */
export async function chooseRestrictedMode(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const dialog = trustDialog(page);
  await dialog.waitFor({ state: 'visible', timeout });
  await dialog.getByRole('button', { name: /^No, I don.t trust/i }).click();
  await dialog.waitFor({ state: 'hidden', timeout });
  await until('restricted mode', () => isRestrictedMode(page), { timeout });
}

/**
 * Answers the trust dialog with "Yes, I trust the authors".
 * @param {Page} page
 */
export async function chooseTrust(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const dialog = trustDialog(page);
  await dialog.waitFor({ state: 'visible', timeout });
  await dialog.getByRole('button', { name: /^Yes, I trust/i }).click();
  await dialog.waitFor({ state: 'hidden', timeout });
  await until('restricted mode to end', async () => !(await isRestrictedMode(page)), { timeout });
}

/**
 * True while the workbench shows it is in restricted mode (the status bar's "Restricted Mode" item).
 * @param {Page} page
 */
export async function isRestrictedMode(page) {
  return page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).isVisible();
}

// ---- Reading whole files and panels (scrolling through virtualised views) ----

/**
 * Gives the active editor the keyboard focus (e.g. after the Problems panel took it).
 * @param {Page} page
 */
export async function focusEditor(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const focused = () => page.evaluate(() => !!document.activeElement?.closest('.editor-group-container.active .monaco-editor'));
  await page.keyboard.press('Control+1'); // View: Focus First Editor Group
  // A key press that lands while the workbench is still opening the editor (after a click in a
  // tree, say) can be lost, and a widget that holds the focus swallows it: press again, after an
  // Escape that closes such a widget, every two seconds until the editor has the focus.
  let pressed = Date.now();
  await until(
    'the editor to have the focus',
    async () => {
      if (await focused()) return true;
      if (Date.now() - pressed > 2000) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+1');
        pressed = Date.now();
      }
      return false;
    },
    { timeout },
  );
}

/**
 * What the active editor renders right now: its squiggles (with the columns they cover) and line range.
 * @param {Page} page
 */
function renderedSquiggles(page) {
  return activeEditor(page).evaluate((editor, kinds) => {
    /** @type {Map<string, number>} */
    const lineByTop = new Map();
    for (const num of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      const top = num.parentElement?.style.top;
      const n = Number((num.textContent ?? '').trim());
      if (top && n) lineByTop.set(top, n);
    }
    /** @type {Map<string, HTMLElement>} */
    const viewLineByTop = new Map();
    for (const vl of /** @type {NodeListOf<HTMLElement>} */ (editor.querySelectorAll('.view-lines .view-line')))
      viewLineByTop.set(vl.style.top, vl);
    // x of the left edge of every character of a view line, plus the right edge of the last one
    /** @param {HTMLElement} viewLine */
    const boundaries = (viewLine) => {
      const xs = [];
      const walker = document.createTreeWalker(viewLine, NodeFilter.SHOW_TEXT);
      let lastRight = viewLine.getBoundingClientRect().left;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < (node.textContent ?? '').length; i++) {
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + 1);
          const rect = r.getBoundingClientRect();
          xs.push(rect.left);
          lastRight = rect.right;
        }
      }
      xs.push(lastRight);
      return xs;
    };
    /** @param {number[]} xs @param {number} x */
    const closest = (xs, x) => {
      let best = 0;
      for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
      return best;
    };
    /** @type {Squiggle[]} */
    const squiggles = [];
    for (const kind of kinds) {
      for (const el of editor.querySelectorAll(`.view-overlays .squiggly-${kind}`)) {
        const top = el.parentElement?.style.top ?? '';
        const line = lineByTop.get(top);
        const viewLine = viewLineByTop.get(top);
        if (!line || !viewLine) continue;
        const xs = boundaries(viewLine);
        const rect = el.getBoundingClientRect();
        squiggles.push({ line, kind, startCol: closest(xs, rect.left) + 1, endCol: closest(xs, rect.right) + 1 });
      }
    }
    const lines = [...lineByTop.values()];
    return {
      squiggles,
      first: lines.length ? Math.min(...lines) : 0,
      last: lines.length ? Math.max(...lines) : 0,
      scrollTop: /** @type {HTMLElement | null} */ (editor.querySelector('.lines-content'))?.style.top ?? '',
    };
  }, SQUIGGLE_KINDS);
}

/**
 * The squiggles of the active editor on `line` (scrolled into view first): [{ line, kind, startCol, endCol }].
 * @param {Page} page
 * @param {number} line
 */
export async function squigglesOnLine(page, line, { timeout = DEFAULT_TIMEOUT } = {}) {
  await revealLine(page, line, { timeout });
  return (await renderedSquiggles(page)).squiggles.filter((q) => q.line === line);
}

/**
 * Scrolls the active editor until `line` is rendered with a line of margin (or the editor cannot
 * scroll further), using the editor's own scroll commands, which leave the cursor where it is:
 * Alt+PageUp/PageDown (scrollPageUp/Down) while far away, then Ctrl+Up/Down (scrollLineUp/Down).
 * Focuses the editor first (keyboard scrolling needs the focus). Returns the rendered line range.
 * @param {Page} page
 * @param {number} line
 */
export async function revealLine(page, line, { timeout = DEFAULT_TIMEOUT } = {}) {
  await focusEditor(page, { timeout });
  /** @type {boolean | undefined} */
  let wentUp;
  for (let guard = 0; guard < 500; guard++) {
    const v = await renderedSquiggles(page);
    const above = v.first > 1 && line <= v.first; // the first rendered line may be cut off
    const below = line > v.last - 2;
    if (!above && !below) return v;
    // the next-to-last line of a file shorter than the editor wants a line of margin below (it
    // scrolls down, the line becomes the first) and one above (it scrolls up, back again): once the
    // direction turns with the line on screen, it is as visible as it gets (line 9 of a ten-line
    // script was scrolled up and down until the real-repository pass's 60 s ran out)
    if (wentUp !== undefined && wentUp !== above && line >= v.first && line <= v.last) return v;
    wentUp = above;
    const far = above ? v.first - line > 3 : line - v.last > 3;
    const key = above ? (far ? 'Alt+PageUp' : 'Control+ArrowUp') : far ? 'Alt+PageDown' : 'Control+ArrowDown';
    const before = v.scrollTop;
    await page.keyboard.press(key);
    const moved = await until(
      `the editor to scroll ${above ? 'up' : 'down'} towards line ${line}`,
      async () => (await renderedSquiggles(page)).scrollTop !== before,
      { timeout: 3000, interval: 50 },
    ).catch(() => false);
    if (!moved) return renderedSquiggles(page); // an end of the file: `line` is as visible as it gets
    // a file shorter than the editor scrolls on past its last line (scrollBeyondLastLine): a line
    // near its end, wanted with a line of margin below it, goes off the top; one line back is as
    // visible as it gets (a one-line module was seen to loop here until the guard)
    if (!above && line < (await renderedSquiggles(page)).first) {
      await page.keyboard.press('Control+ArrowUp');
      await until('the editor to scroll back one line', async () => (await renderedSquiggles(page)).first <= line, {
        timeout: 3000,
        interval: 50,
      });
      return renderedSquiggles(page);
    }
  }
  throw new Error(`could not scroll the editor to line ${line}`);
}

/**
 * Every squiggle of the active editor, scrolling through the whole file (an editor only renders the
 * lines on screen). `lineCount` is the number of lines of the file. Returns a sorted array of
 * { line, kind, startCol, endCol } (1-based columns, end exclusive), one per rendered segment.
 * It scrolls by pages with the keyboard, so the cursor stays where it is; it ends at the top.
 * @param {Page} page
 * @param {number} lineCount
 */
export async function collectSquiggles(page, lineCount, { timeout = DEFAULT_TIMEOUT } = {}) {
  const seen = new Map();
  let view = await revealLine(page, 1, { timeout });
  for (let guard = 0; guard < 1000; guard++) {
    for (const s of view.squiggles) seen.set(`${s.line}:${s.kind}:${s.startCol}:${s.endCol}`, s);
    if (view.last >= lineCount) break;
    const before = view.first;
    await page.keyboard.press('Alt+PageDown');
    const next = await until(
      `the editor to scroll past line ${before}`,
      async () => {
        const v = await renderedSquiggles(page);
        return v.first > before ? v : null;
      },
      { timeout: 5000, interval: 50 },
    ).catch(() => null);
    if (!next)
      throw new Error(`the editor shows lines ${view.first}-${view.last} and does not scroll further (expected ${lineCount} lines)`);
    view = next;
  }
  await revealLine(page, 1, { timeout });
  return [...seen.values()].sort((a, b) => a.line - b.line || a.startCol - b.startCol || a.kind.localeCompare(b.kind));
}

/**
 * What a (virtualised) monaco list renders right now: its rows, its full height and its scroll offset.
 * @param {Locator} list
 */
function listSnapshot(list) {
  return list.evaluate((el) => {
    const rowsEl = /** @type {HTMLElement | null} */ (el.querySelector('.monaco-list-rows'));
    const box = el.getBoundingClientRect();
    // A tree row's depth: its aria-level. A row re-rendered while the tree scrolls can lack the
    // attribute for a moment (seen on expanded rows of an extension's tree), so the indentation of
    // its twistie, which grows by one step per level, stands in, calibrated on the rows that have both.
    /** @param {Element} r */
    const indentOf = (r) => /** @type {HTMLElement | null} */ (r.querySelector('.monaco-tl-twistie'))?.style.paddingLeft ?? '';
    /** @type {Map<string, number>} */
    const levelByIndent = new Map();
    for (const r of el.querySelectorAll('.monaco-list-row[aria-level]'))
      levelByIndent.set(indentOf(r), Number(r.getAttribute('aria-level')));
    const rows = [.../** @type {NodeListOf<HTMLElement>} */ (el.querySelectorAll('.monaco-list-row'))].map((r) => {
      const rect = r.getBoundingClientRect();
      const icon = r.querySelector('.custom-view-tree-node-item-icon, .marker-icon');
      return {
        index: Number(r.getAttribute('data-index')),
        height: rect.height,
        // inside the list's box (a row half scrolled out cannot be clicked reliably); up to 2 px may
        // be cut off: scrolled to its end, the Problems list can stop a pixel short of its last row
        // (seen: rows 616 px high in a 265 px view stopped at 350, the last row 1 px out)
        inView: rect.top >= box.top - 2 && rect.bottom <= box.bottom + 2,
        label: r.getAttribute('aria-label') ?? '',
        text: r.innerText.replace(/\s+/g, ' ').trim(),
        // a tree item's description (the dimmed text after its label)
        description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
        level: r.hasAttribute('aria-level') ? Number(r.getAttribute('aria-level')) : (levelByIndent.get(indentOf(r)) ?? 0),
        expanded: r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : undefined,
        // the codicon of a tree item's icon, e.g. "error", "pass", "circle-large-outline"
        icon: [...(icon?.classList ?? [])].find((c) => c.startsWith('codicon-'))?.slice('codicon-'.length),
      };
    });
    const total = parseFloat(rowsEl?.style.height ?? '0') || 0;
    const top = rowsEl?.style.top ?? '';
    const scrolled = -(parseFloat(top) || 0); // the rows are moved up by the scroll offset
    const view = rowsEl?.parentElement?.clientHeight ?? box.height;
    return { rows, total, top, atTop: scrolled <= 0.5, atBottom: scrolled + view >= total - 1 };
  });
}

/**
 * Scrolls a monaco list (e.g. the Problems panel or a tree view) step by step with the mouse wheel,
 * waiting for each step to happen (one wheel event scrolls by about 50 px, whatever its delta).
 * The mouse stays at the list's right edge, away from the labels whose tooltips would appear under
 * it and catch the wheel; a tooltip that shows anyway is sent away first.
 * `visit(snapshot)` is called on the first view and after every step; scrolling stops when it returns a
 * truthy value (returned) or at the end of the list (undefined). Starts at the top when `fromTop`.
 * @param {Page} page
 * @param {Locator} list
 * @param {(snap: ListSnapshot) => T | Promise<T>} visit
 * @param {{ fromTop?: boolean, timeout?: number }} [options]
 * @returns {Promise<Exclude<Awaited<T>, null | undefined | false> | undefined>}
 * @template T
 */
async function scrollList(page, list, visit, { fromTop = true, timeout = DEFAULT_TIMEOUT } = {}) {
  const box = await list.boundingBox({ timeout });
  if (!box) throw new Error('the list is not visible');
  const x = box.x + box.width - 4;
  const y = box.y + box.height / 2;
  let snap = await listSnapshot(list);
  // A hover over the list would take the wheel: park the mouse once. A hover that stays up anyway
  // (seen: the activity bar's Explorer tooltip after a click on its icon) is not over the
  // list; parking again before every step cost 5 s a step and made a whole reading of the Problems
  // panel miss its time (scenario f, twice in full runs).
  let parked = false;
  /** @param {number} dy @param {string} what */
  const step = async (dy, what) => {
    if (!parked && (await page.locator('.workbench-hover, .monaco-hover:not(.hidden)').count())) {
      await parkMouse(page);
      parked = true;
    }
    await page.mouse.move(x, y);
    const top = snap.top;
    await page.mouse.wheel(0, dy);
    snap = await until(
      what,
      async () => {
        const s = await listSnapshot(list);
        return s.top !== top ? s : null;
      },
      { timeout: 5000 },
    );
  };
  for (let guard = 0; fromTop && !snap.atTop; guard++) {
    if (guard >= 1000) throw new Error('the list does not scroll to its top');
    await step(-box.height, 'the list to scroll up');
  }
  for (let guard = 0; guard < 1000; guard++) {
    const found = await visit(snap);
    if (found) return /** @type {Exclude<Awaited<T>, null | undefined | false>} */ (found);
    if (snap.atBottom) return undefined;
    await step(box.height / 2, 'the list to scroll down');
  }
  throw new Error('the list does not reach its end');
}

/**
 * Every row of a (virtualised) monaco list, scrolling through it, in order: [{ index, label, text,
 * level, expanded, icon }]. Leaves the list at its top, as a person would see it first.
 * @param {Page} page
 * @param {Locator} list
 */
export async function readAllListRows(page, list, { timeout = DEFAULT_TIMEOUT } = {}) {
  const seen = new Map();
  await scrollList(
    page,
    list,
    (snap) => {
      for (const r of snap.rows) seen.set(r.index, r);
      const rowHeight = snap.rows[0]?.height || 22;
      return seen.size >= Math.round(snap.total / rowHeight);
    },
    { timeout },
  );
  await scrollList(page, list, () => true, { timeout });
  return [...seen.values()].sort((a, b) => a.index - b.index);
}

/**
 * Expands every collapsed row of a (virtualised) monaco tree, one by one, with its twistie.
 * @param {Page} page
 * @param {Locator} list
 */
export async function expandAllListRows(page, list, { timeout = DEFAULT_TIMEOUT } = {}) {
  for (let guard = 0; guard < 200; guard++) {
    const hit = await scrollList(page, list, (snap) => snap.rows.find((r) => r.inView && r.expanded === false), { timeout });
    if (!hit) return;
    const row = list.locator(`.monaco-list-row[data-index="${hit.index}"]`);
    await row.locator('.monaco-tl-twistie').click();
    await until(`the row "${hit.label}" to expand`, async () => (await row.getAttribute('aria-expanded')) === 'true', { timeout });
  }
  throw new Error('rows of the list keep collapsing');
}

/**
 * Scrolls a (virtualised) monaco list until a row for which `match(row)` is true is wholly in view,
 * and returns a locator for it (rows as in readAllListRows).
 * @param {Page} page
 * @param {Locator} list
 * @param {(row: ListRow) => boolean} match
 * @param {string} what
 */
export async function revealListRow(page, list, match, what, { timeout = DEFAULT_TIMEOUT } = {}) {
  const hit = await scrollList(page, list, (snap) => snap.rows.find((r) => r.inView && match(r)), { timeout });
  if (!hit) throw new Error(`no row of the list is ${what}`);
  return list.locator(`.monaco-list-row[data-index="${hit.index}"]`);
}

/**
 * Expands the row of a (virtualised) tree for which `match(row)` is true, with its twistie, and waits
 * until that row (found again by `match`, as a refresh of the tree can move rows between a look and a
 * click) shows as expanded. Returns its locator.
 * @param {Page} page
 * @param {Locator} list
 * @param {(row: ListRow) => boolean} match
 * @param {string} what
 */
export async function expandListRow(page, list, match, what, { timeout = DEFAULT_TIMEOUT } = {}) {
  let row;
  await until(
    `${what} to be expanded`,
    async () => {
      row = await revealListRow(page, list, match, what, { timeout });
      const [index, expanded] = await Promise.all([row.getAttribute('data-index'), row.getAttribute('aria-expanded')]);
      if (expanded === 'true') return true;
      await row.locator('.monaco-tl-twistie').click();
      // the same row (by index and match) shows as expanded, or the loop looks again
      await until(
        'the click to expand the row',
        async () => {
          const snap = (await listSnapshot(list)).rows.find((r) => String(r.index) === index);
          return snap && match(snap) && snap.expanded === true;
        },
        { timeout: 3000 },
      ).catch(() => undefined);
      return false;
    },
    { timeout },
  );
  return row;
}

/**
 * All rows of the Problems panel, scrolling through its (virtualised) list, grouped by file:
 * [{ name, folder, count, markers: [{ severity: 'Error'|'Warning'|'Info', text, label }] }].
 * `text` is the row's visible text with white space collapsed (message, source, code and
 * "[Ln L, Col C]"); `label` its aria-label.
 * @param {Page} page
 */
export async function readAllProblems(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await openProblems(page, { timeout });
  const list = page.locator('.markers-panel .monaco-list').first();
  await expandAllListRows(page, list, { timeout }); // a collapsed file group (see collapseOtherProblemGroups) hides its rows
  const rows = await readAllListRows(page, list, { timeout });
  /** @type {{ name: string, folder: string, count: number, markers: { severity: string, text: string, label: string }[] }[]} */
  const groups = [];
  for (const r of rows) {
    const file = /^(\d+) problems? in file (.+) of folder (.*)$/.exec(r.label);
    if (file) {
      // A file at the top of a workspace folder is "of folder ." in a multi-root workspace too: the
      // row's description (the workspace folder's name there, nothing in a single folder) tells which.
      const folder = (file[3] === '.' || file[3] === '') && r.description ? r.description : file[3];
      groups.push({ name: file[2], folder, count: Number(file[1]), markers: [] });
      continue;
    }
    const sev = /^(Error|Warning|Info|Hint):/.exec(r.label);
    if (sev && groups.length) groups[groups.length - 1].markers.push({ severity: sev[1], text: r.text, label: r.label });
  }
  return groups;
}

// ---- Views in the side bar, the status bar ----

/**
 * Clicks the activity-bar icon whose label starts with `label` and waits for its side-bar view container.
 * @param {Page} page
 * @param {string} label
 */
export async function openViewContainer(page, label, { timeout = DEFAULT_TIMEOUT } = {}) {
  // the icon's badge lies over the link, so the click goes to the whole item
  const item = page.locator('.activitybar .action-item').filter({ has: page.locator(`a[aria-label^="${label}"]`) });
  await item.waitFor({ state: 'visible', timeout });
  if (!(await item.evaluate((el) => el.classList.contains('checked')))) await item.click();
  await until(`the side bar to show "${label}"`, () => item.evaluate((el) => el.classList.contains('checked')), { timeout });
}

/**
 * The tree of the side-bar view named `name` (its header title, e.g. "Production Checklist").
 * @param {Page} page
 * @param {string} name
 */
export function sideBarTree(page, name) {
  const pane = page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator(`.pane-header[aria-label^="${name}"], .pane-header .title[title="${name}"]`) });
  // a container with one view hides that view's header: then the side bar holds just the one tree
  return pane.or(page.locator('.part.sidebar .pane-body')).first().locator('.monaco-list').first();
}

/**
 * Drags the side bar's edge so that it is `width` pixels wide (the default leaves long tree labels
 * cut off in screenshots). Waits for the new width.
 * @param {Page} page
 * @param {number} width
 */
export async function resizeSideBar(page, width, { timeout = DEFAULT_TIMEOUT } = {}) {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox({ timeout });
  if (!box) throw new Error('the side bar is not visible');
  if (Math.abs(box.width - width) < 2) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width - 1, y, { steps: 5 });
  await page.mouse.up();
  await until(
    `the side bar to be ${width}px wide`,
    async () => {
      const b = await sidebar.boundingBox();
      return b && Math.abs(b.width - width) < 4;
    },
    { timeout: 5000 },
  );
}

/**
 * The labels of the buttons in the side bar's title (the open view's actions, e.g. "Refresh Checklist").
 * @param {Page} page
 */
export async function sideBarTitleActions(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const buttons = page.locator('.part.sidebar .title-actions .action-label');
  await buttons.first().waitFor({ state: 'visible', timeout });
  return buttons.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.getAttribute('title') ?? '').trim()));
}

/**
 * A status-bar item by its id (for an extension's item: "<publisher>.<name>.<item id>").
 * @param {Page} page
 * @param {string} id
 */
export function statusBarItem(page, id) {
  return page.locator(`.part.statusbar [id="${id}"]`);
}

/**
 * Whether the command palette offers a command whose label starts with `title` (after the
 * palette has filtered for it). Closes the palette again.
 * @param {Page} page
 * @param {string} title
 */
export async function commandOffered(page, title, { timeout = DEFAULT_TIMEOUT } = {}) {
  const widget = page.locator('.quick-input-widget');
  await openPaletteWith(page, `>${title}`, { timeout });
  const wanted = title.toLowerCase();
  // Filtered: a row matches, or the palette has moved on to its fallbacks ("similar commands",
  // computed after the exact matches, or "No matching commands").
  const labels = await until(
    `the command palette to filter for "${title}"`,
    async () => {
      const ls = await widget
        .locator('.quick-input-list .monaco-list-row')
        .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('aria-label') ?? ''} ${r.textContent ?? ''}`.trim().toLowerCase()));
      const filtered = ls.some((l) => l.startsWith(wanted) || l.includes('similar commands') || l.includes('no matching commands'));
      return filtered ? ls : null;
    },
    { timeout },
  );
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout });
  return labels.some((l) => l.startsWith(wanted));
}

/**
 * Collapses, in the Problems panel, the groups of every file but `fileName` (its base name) that are
 * on screen, so that a screenshot shows that file's rows. The rows stay in the panel.
 * @param {Page} page
 * @param {string} fileName
 */
export async function collapseOtherProblemGroups(page, fileName, { timeout = DEFAULT_TIMEOUT } = {}) {
  await openProblems(page, { timeout });
  const rows = page.locator('.markers-panel .monaco-list-row[aria-expanded="true"]');
  for (let guard = 0; guard < 100; guard++) {
    const labels = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
    const i = labels.findIndex((l) => {
      const m = /problems? in file (.+) of folder /.exec(l);
      return m && m[1] !== fileName;
    });
    if (i < 0) return clearProblemsSelection(page, { timeout });
    // The group is found by its label at every look, not by its position: the list may change
    // between two looks (a file's diagnostics arriving), and the i-th expanded group can then be
    // another one, the file kept open included. A click the list swallows while it re-renders is
    // made again; a group whose label changed (its count) is met again by the outer loop.
    const label = labels[i];
    const group = page.locator(`.markers-panel .monaco-list-row[aria-expanded="true"][aria-label=${JSON.stringify(label)}]`);
    let clicked = 0;
    await until(
      `the Problems group "${label}" to collapse`,
      async () => {
        if ((await group.count()) === 0) return true;
        if (Date.now() - clicked > 2000) {
          clicked = Date.now();
          await group
            .first()
            .locator('.monaco-tl-twistie')
            .click({ timeout: 5000 })
            .catch(() => undefined);
        }
        return false;
      },
      { timeout },
    );
  }
}

/**
 * Clears the Problems list's selection and focus (list.clear, Escape). Opening the panel from the
 * keyboard selects its first row, which then shows a light bulb instead of its severity icon and
 * highlights its range in the editor: in a screenshot that reads like a chosen problem. The highlight
 * stays until the editor's cursor moves, so the cursor goes to the top of the file (Ctrl+Home).
 * @param {Page} page
 */
export async function clearProblemsSelection(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const list = page.locator('.markers-panel .monaco-list').first();
  await list.focus();
  await page.keyboard.press('Escape');
  await until(
    'the Problems list to have no selected or focused row',
    async () => (await list.locator('.monaco-list-row.selected, .monaco-list-row.focused').count()) === 0,
    { timeout: 5000 },
  );
  if (await activeEditor(page).isVisible()) {
    await focusEditor(page, { timeout });
    const at = await cursorPosition(page);
    await page.keyboard.press(at.startsWith('Ln 1, Col 1') ? 'Control+End' : 'Control+Home');
    if (at.startsWith('Ln 1, Col 1')) await page.keyboard.press('Control+Home'); // a real move, then back to the top
    await until('the cursor to be at the top of the file', async () => (await cursorPosition(page)) === 'Ln 1, Col 1', { timeout: 5000 });
  }
}

// ---- Notifications, welcome views, inline actions of tree rows ----

/**
 * The notification toasts on screen (bottom right): [{ severity: 'info'|'warning'|'error', message, buttons }].
 * A notification that VS Code has moved to the notification center is not a toast any more.
 * @param {Page} page
 */
export async function notificationToasts(page) {
  return page.locator('.notifications-toasts .notification-list-item').evaluateAll((items) =>
    items
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const icon = el.querySelector('.notification-list-item-icon');
        const severity = ['error', 'warning', 'info'].find((k) => icon?.classList.contains(`codicon-${k}`)) ?? 'unknown';
        return {
          severity,
          message: (el.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
          buttons: [...el.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) =>
            (b.textContent ?? '').trim(),
          ),
        };
      }),
  );
}

/**
 * Waits for a toast whose message `match`es (a RegExp or a string it contains) and returns it.
 * @param {Page} page
 * @param {RegExp | string} match
 */
export async function waitForNotification(page, match, { timeout = DEFAULT_TIMEOUT } = {}) {
  /** @param {string} m */
  const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
  /** @type {Awaited<ReturnType<typeof notificationToasts>>} */
  let last = [];
  return until(
    `a notification ${match}`,
    async () => {
      last = await notificationToasts(page);
      return last.find((n) => test(n.message)) ?? null;
    },
    { timeout },
  ).catch((e) => {
    throw new Error(`${e.message}; toasts on screen: ${last.map((n) => `[${n.severity}] ${n.message}`).join(' | ') || '(none)'}`);
  });
}

/**
 * Clicks the button `button` of the toast whose message `match`es (RegExp or a string it contains).
 * @param {Page} page
 * @param {RegExp | string} match
 * @param {string} button
 */
export async function clickNotificationButton(page, match, button, { timeout = DEFAULT_TIMEOUT } = {}) {
  const toast = page
    .locator('.notifications-toasts .notification-list-item')
    .filter({ has: page.locator('.notification-list-item-message', { hasText: match }) });
  await toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click({ timeout });
}

/**
 * Every notification of the session, from the notification center (which keeps them after their toast
 * is gone, until they are cleared): [{ severity, message }]. Opens the center and closes it again.
 * @param {Page} page
 */
export async function notificationCenter(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const center = page.locator('.notifications-center');
  await runCommand(page, 'Notifications: Show Notifications', { timeout });
  await center.waitFor({ state: 'visible', timeout });
  const list = await center.locator('.notification-list-item').evaluateAll((items) =>
    items.map((el) => {
      const icon = el.querySelector('.notification-list-item-icon');
      return {
        severity: ['error', 'warning', 'info'].find((k) => icon?.classList.contains(`codicon-${k}`)) ?? 'unknown',
        message: (el.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
      };
    }),
  );
  await runCommand(page, 'Notifications: Hide Notifications', { timeout });
  await center.waitFor({ state: 'hidden', timeout });
  return list;
}

/**
 * "Notifications: Clear All Notifications", then waits until no toast is left.
 * @param {Page} page
 */
export async function clearNotifications(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await runCommand(page, 'Notifications: Clear All Notifications', { timeout });
  await until('the notifications to be cleared', async () => (await notificationToasts(page)).length === 0, { timeout });
}

/**
 * The welcome content a view shows instead of an empty tree (package.json "viewsWelcome"), in the side
 * bar: { paragraphs: string[], buttons: string[] } once it is shown.
 * @param {Page} page
 */
export async function welcomeView(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const content = page.locator('.part.sidebar .welcome-view-content').first();
  await content.waitFor({ state: 'visible', timeout });
  return content.evaluate((el) => ({
    paragraphs: [...el.querySelectorAll('p')].map((p) => (p.textContent ?? '').trim()).filter(Boolean),
    buttons: [...el.querySelectorAll('.monaco-button')].map((b) => (b.textContent ?? '').trim()),
  }));
}

/**
 * Clicks the inline action of a tree row (a view/item/context "inline" menu entry) whose title starts
 * with `title` (or with one of several titles): the row's actions show while the mouse is over it.
 * Returns the title of the action clicked. Parks the mouse afterwards (its tooltip would stay).
 * @param {Page} page
 * @param {Locator} row
 * @param {string | string[]} title
 */
export async function clickRowAction(page, row, title, { timeout = DEFAULT_TIMEOUT } = {}) {
  const titles = Array.isArray(title) ? title : [title];
  await row.hover();
  const action = row.locator(titles.map((t) => `.actions .action-label[aria-label^="${t}"]`).join(', ')).first();
  await action.waitFor({ state: 'visible', timeout });
  const label = await action.getAttribute('aria-label');
  await action.click();
  await parkMouse(page);
  return label;
}

/**
 * Moves a tree's keyboard focus to `row` (a row locator of `list`) with the arrow keys, which (unlike a
 * click) do not run the row's command. The focused row shows its inline actions.
 * @param {Page} page
 * @param {Locator} list
 * @param {Locator} row
 * @param {TimeoutOption} [_options] (not used: each step waits at most 3 s)
 */
export async function focusListRow(page, list, row, _options = {}) {
  const target = Number(await row.getAttribute('data-index'));
  const focused = async () =>
    Number(
      await list
        .locator('.monaco-list-row.focused')
        .first()
        .getAttribute('data-index', { timeout: 1000 })
        .catch(() => NaN),
    );
  await list.focus();
  for (let guard = 0; guard < 500; guard++) {
    const at = await focused();
    if (at === target) return;
    const before = at;
    await page.keyboard.press(Number.isNaN(at) || at < target ? 'ArrowDown' : 'ArrowUp');
    await until("the tree's focus to move", async () => (await focused()) !== before || Number.isNaN(before), {
      timeout: 3000,
      interval: 25,
    });
  }
  throw new Error(`could not move the tree's focus to row ${target}`);
}

/**
 * Hides the panel (Problems, Output, ...) when it is shown: "View: Hide Panel".
 * @param {Page} page
 */
export async function hidePanel(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const panel = page.locator('.part.panel');
  if (!(await panel.isVisible())) return;
  await runCommand(page, 'View: Hide Panel', { timeout });
  await panel.waitFor({ state: 'hidden', timeout });
}
