// Debian packages the tests need (pre-commit, Django, Chromium…): which are missing, and installing
// them with apt-get when the tests run as root (as CI does on a fresh machine).
'use strict';
const { spawnSync } = require('node:child_process');

/** The packages of `pkgs` that are not in state "install ok installed" (one dpkg-query call). */
function missingDebianPackages(pkgs) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...pkgs], { encoding: 'utf8' });
  if (r.error) return [...pkgs]; // no dpkg at all
  const ok = new Set();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+?)(?::\S+)? install ok installed$/.exec(line.trim());
    if (m) ok.add(m[1]);
  }
  return pkgs.filter((p) => !ok.has(p));
}

/**
 * Installs the missing ones of `pkgs` (apt-get update, then apt-get install). Throws when some are
 * missing and this process is not root, or when they are still missing afterwards.
 * `run(title, cmd, args, env)` runs a step (default: spawnSync with output to this process's stderr).
 */
function ensureDebianPackages(pkgs, { log = () => {}, run } = {}) {
  const missing = missingDebianPackages(pkgs);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot)
    throw new Error(`missing Debian packages ${missing.join(' ')}; run as root or: sudo apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const step =
    run ??
    ((title, cmd, args) => {
      const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.error || r.status !== 0) throw new Error(`${title}: ${r.error?.message ?? `exited ${r.status ?? r.signal}`}`);
    });
  log(`debian packages: apt-get update (missing: ${missing.join(' ')})`);
  step('apt-get update', 'apt-get', ['update'], env);
  log(`debian packages: apt-get install -y ${missing.join(' ')}`);
  step(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '--no-install-recommends', ...missing], env);
  const still = missingDebianPackages(pkgs);
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(' ')}`);
}

module.exports = { missingDebianPackages, ensureDebianPackages };
