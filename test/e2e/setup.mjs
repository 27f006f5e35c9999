#!/usr/bin/env node
// Makes a working code-server (VS Code in a browser) and Debian's Chromium available for the
// end-to-end tests. Idempotent: once `.cache/code-server/.ready` holds the version, a re-run only
// checks the Debian packages (one dpkg-query call) and exits.
//
//   node test/e2e/setup.mjs               install what is missing
//   node test/e2e/setup.mjs --print-paths print {"entry": ..., "chromium": ...} as JSON (no install)
//
// Imported as a module it runs nothing; it exports the paths and `setup()`.
//
// Route (see shared notes "real-vscode.md"): code-server's own postinstall cannot work here
// (it downloads ripgrep, and calls `npx node-gyp` without --yes), so it is installed with
// --ignore-scripts and its native modules are built by hand.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDebianPackages as ensureDebianPackages_, missingDebianPackages } from '../helpers/debian.cjs';

export { missingDebianPackages };

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = process.env.E2E_CODE_SERVER_DIR
  ? path.resolve(process.env.E2E_CODE_SERVER_DIR)
  : path.join(REPO_ROOT, '.cache', 'code-server');
export const LOG_DIR = path.join(path.dirname(CACHE_DIR), 'code-server-setup-logs');
export const MARKER = path.join(CACHE_DIR, '.ready');
export const CODE_SERVER_DIR = path.join(CACHE_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
export const CHROMIUM_PATH = '/usr/bin/chromium';

// g++, make and python3 are on the machine already; listed so a leaner machine is caught too.
// python3-django and python3-psycopg2: "Run Django's check --deploy" runs Django for real on the
// example project (scenario i), whose settings use the PostgreSQL backend. git: the pre-commit hook
// (scenario m) is installed into a real repository and git runs it on a commit. fonts-noto-color-emoji:
// the checklist's Markdown marks items with ✅ ❌ ⚠️ ✋, drawn as empty boxes without an emoji font.
export const DEBIAN_PACKAGES = [
  'libkrb5-dev',
  'libx11-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
  'pkg-config',
  'ripgrep',
  'chromium',
  'g++',
  'make',
  'python3',
  'python3-django',
  'python3-psycopg2',
  'git',
  'fonts-noto-color-emoji',
];

const VSCODE_DIR = path.join(CODE_SERVER_DIR, 'lib', 'vscode');
const t0 = Date.now();

/** @param {string} msg */
function log(msg) {
  process.stdout.write(`[e2e-setup ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);
}

class StepError extends Error {}

/**
 * @param {string} step
 * @param {string} [detail]
 * @returns {never}
 */
function fail(step, detail) {
  throw new StepError(`step "${step}" failed${detail ? `: ${detail}` : ''}`);
}

function ensureDebianPackages() {
  try {
    if (missingDebianPackages(DEBIAN_PACKAGES).length === 0) return log(`debian packages: all ${DEBIAN_PACKAGES.length} present`);
    ensureDebianPackages_(DEBIAN_PACKAGES, { log, run: (title, cmd, args, env) => runSync(title, cmd, args, { env }) });
  } catch (e) {
    if (e instanceof StepError) throw e;
    fail('debian packages', /** @type {Error} */ (e).message);
  }
}

/** @param {string} step */
function logFile(step) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  return path.join(LOG_DIR, step.replace(/[^\w.-]+/g, '_') + '.log');
}

/**
 * @param {string} file
 * @param {number} [n]
 */
function tail(file, n = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

// npm on these machines warns about a user config it still honours ("nodedir"); keep it quiet.
const quietEnv = { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' };

/**
 * @param {string} step
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
function runSync(step, cmd, args, { cwd = process.cwd(), env = quietEnv } = {}) {
  const file = logFile(step);
  const fd = fs.openSync(file, 'w');
  const r = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  if (r.error) fail(step, `${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    process.stderr.write(tail(file) + '\n');
    fail(step, `\`${cmd} ${args.join(' ')}\` in ${cwd} exited ${r.status ?? r.signal} (full log: ${file})`);
  }
}

const running = new Set();
let signalsHandled = false;
/** While installing: on Ctrl+C / kill, end the running steps' process groups too, then exit. */
function handleSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      for (const pid of running) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      process.stderr.write(`[e2e-setup] interrupted (${sig}); the unfinished install is wiped on the next run\n`);
      process.exit(130);
    });
  }
}

/**
 * Async variant so independent native builds can overlap. Resolves on success, rejects with StepError.
 * @param {string} step
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<void>}
 */
function run(step, cmd, args, { cwd, env = quietEnv } = {}) {
  const file = logFile(step);
  const out = fs.openSync(file, 'w');
  const started = Date.now();
  log(`start  ${step}`);
  return new Promise(
    /** @param {(value: void) => void} resolve @param {(reason: Error) => void} reject */ (resolve, reject) => {
      // own process group, so an interrupted setup can end npm -> node-gyp -> make -> g++ as a whole
      const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
      running.add(child.pid);
      child.on('exit', () => running.delete(child.pid));
      child.on('error', (e) => {
        fs.closeSync(out);
        reject(new StepError(`step "${step}" failed: ${cmd}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        fs.closeSync(out);
        if (code === 0) {
          log(`done   ${step} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
          resolve();
        } else {
          process.stderr.write(`--- last lines of ${file} ---\n${tail(file)}\n`);
          reject(
            new StepError(`step "${step}" failed: \`${cmd} ${args.join(' ')}\` in ${cwd} exited ${code ?? signal} (full log: ${file})`),
          );
        }
      });
    },
  );
}

/**
 * Like Promise.all, but waits for every promise to settle before rethrowing the first error.
 * @param {Promise<unknown>[]} promises
 */
async function settleAll(promises) {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function isReady() {
  try {
    return fs.readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION && fs.existsSync(CODE_SERVER_ENTRY);
  } catch {
    return false;
  }
}

async function installCodeServer() {
  handleSignals();
  if (fs.existsSync(CACHE_DIR)) {
    log(`code-server: removing unfinished or outdated install in ${CACHE_DIR}`);
    fs.rmSync(CACHE_DIR, { recursive: true, force: true });
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(CACHE_DIR, 'package.json'),
    JSON.stringify({ name: 'e2e-code-server', private: true, version: '0.0.0' }, null, 2) + '\n',
  );

  const npm = 'npm';
  await run(
    `npm install code-server@${CODE_SERVER_VERSION}`,
    npm,
    ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-package-lock'],
    { cwd: CACHE_DIR },
  );
  if (!fs.existsSync(VSCODE_DIR)) fail('npm install code-server', `${VSCODE_DIR} not found`);

  const vscodeModules = path.join(VSCODE_DIR, 'node_modules');
  /** @param {string} pkg */
  const gyp = (pkg) => run(`node-gyp rebuild ${pkg}`, 'npx', ['--yes', 'node-gyp', 'rebuild'], { cwd: path.join(vscodeModules, pkg) });
  // E2E_SETUP_SERIAL=1 runs every step one after the other (slower; for debugging a failure).
  const serial = process.env.E2E_SETUP_SERIAL === '1';
  /** @param {(() => Promise<unknown>)[]} thunks */
  const all = async (thunks) => {
    if (!serial) return settleAll(thunks.map((f) => f()));
    for (const f of thunks) await f();
  };

  // Three independent chains. On 2 cores the compile-heavy work is split in two lanes, and the
  // registry-bound installs overlap with it.
  const vscodeChain = async () => {
    await all([
      () => run('npm install lib/vscode', npm, ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], { cwd: VSCODE_DIR }),
      // fetch node-gyp into npx's cache once, so the parallel `npx --yes node-gyp` calls below don't race on it
      () => run('npx --yes node-gyp --version', 'npx', ['--yes', 'node-gyp', '--version'], { cwd: CACHE_DIR }),
    ]);
    // ripgrep: Debian's binary instead of the download its postinstall would attempt.
    if (!fs.existsSync(path.join(vscodeModules, '@vscode', 'ripgrep'))) fail('copy rg', '@vscode/ripgrep not installed in lib/vscode');
    const rgDir = path.join(vscodeModules, '@vscode', 'ripgrep', 'bin');
    fs.mkdirSync(rgDir, { recursive: true });
    fs.copyFileSync('/usr/bin/rg', path.join(rgDir, 'rg'));
    fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
    log('done   copy /usr/bin/rg -> lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
    const asar = path.join(VSCODE_DIR, 'node_modules.asar');
    if (!fs.existsSync(asar)) fs.symlinkSync('node_modules', asar);
    log('done   symlink lib/vscode/node_modules.asar -> node_modules');
    await all([
      async () => {
        await run('npm rebuild kerberos @vscode/spdlog', npm, ['rebuild', 'kerberos', '@vscode/spdlog'], { cwd: VSCODE_DIR });
        await gyp('native-watchdog');
      },
      async () => {
        await gyp('node-pty');
        await gyp('@parcel/watcher');
      },
    ]);
  };
  const extensionsChain = () =>
    run('npm install lib/vscode/extensions', npm, ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], {
      cwd: path.join(VSCODE_DIR, 'extensions'),
    });
  const argonChain = () =>
    run('npm rebuild argon2 --build-from-source', npm, ['rebuild', 'argon2', '--build-from-source'], { cwd: CACHE_DIR });

  await all([vscodeChain, extensionsChain, argonChain]);

  // Smoke test: the entry point starts and knows its version.
  // (--config and XDG_DATA_HOME: otherwise it writes ~/.config/code-server/ and ~/.local/share/code-server/)
  const v = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--config', path.join(CACHE_DIR, 'config.yaml'), '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, XDG_DATA_HOME: path.join(CACHE_DIR, 'xdg-data') },
  });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) {
    fail('code-server --version', `${v.stdout}${v.stderr}`.trim().slice(0, 800));
  }
  log(`done   code-server --version: ${v.stdout.trim().split('\n').pop()}`);
  fs.writeFileSync(MARKER, CODE_SERVER_VERSION + '\n');
  log(`code-server ${CODE_SERVER_VERSION} ready in ${CACHE_DIR}`);
}

export async function setup() {
  ensureDebianPackages();
  if (isReady()) {
    log(`code-server ${CODE_SERVER_VERSION}: cached (${CACHE_DIR})`);
  } else {
    await installCodeServer();
  }
  return { entry: CODE_SERVER_ENTRY, chromium: CHROMIUM_PATH };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  if (process.argv.includes('--print-paths')) {
    process.stdout.write(JSON.stringify({ entry: CODE_SERVER_ENTRY, chromium: CHROMIUM_PATH, ready: isReady() }) + '\n');
  } else {
    try {
      await setup();
      log(`entry: ${CODE_SERVER_ENTRY}`);
      log(`chromium: ${CHROMIUM_PATH}`);
    } catch (e) {
      process.stderr.write(`[e2e-setup] ERROR: ${e instanceof StepError ? e.message : /** @type {Error} */ (e).stack || e}\n`);
      process.exitCode = 1;
    }
  }
}
