// Debian packages the tests need (pre-commit, Django, Chromium…): which are missing, and installing
// them with apt-get when the tests run as root (as CI does on a fresh machine). And a package of
// Debian's backports unpacked into a private folder without installing it (debianBackport: the proxy
// lab's Django 4.2 beside the system's 3.2, which the parity and pydiff stages compare against).
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a step: spawnSync with output to this process's stderr; throws unless it exits 0. */
function defaultStep(title, cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], ...opts });
  if (r.error || r.status !== 0) throw new Error(`${title}: ${r.error?.message ?? `exited ${r.status ?? r.signal}`}`);
}

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
  if (!isRoot())
    throw new Error(`missing Debian packages ${missing.join(' ')}; run as root or: sudo apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const step = run ?? ((title, cmd, args) => defaultStep(title, cmd, args, { env }));
  log(`debian packages: apt-get update (missing: ${missing.join(' ')})`);
  step('apt-get update', 'apt-get', ['update'], env);
  log(`debian packages: apt-get install -y ${missing.join(' ')}`);
  step(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '--no-install-recommends', ...missing], env);
  const still = missingDebianPackages(pkgs);
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(' ')}`);
}

/** Debian 12's backports: not installed from unless asked for by name (their Release says NotAutomatic, priority 100). */
const BACKPORTS = {
  suite: 'bookworm-backports',
  uri: 'http://deb.debian.org/debian',
  keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
  sourcesFile: '/etc/apt/sources.list.d/bookworm-backports.sources',
};

/**
 * Where debianBackport keeps `pkg` for the repository at `repo`: the downloaded .deb in `dir`
 * (.cache/ is git-ignored), unpacked under `root`; `pythonPath` is its Python modules' folder.
 */
function backportPaths(repo, pkg) {
  const dir = path.join(repo, '.cache/debian-backports', pkg);
  const root = path.join(dir, 'root');
  return { dir, root, pythonPath: path.join(root, 'usr/lib/python3/dist-packages') };
}

/** Whether an apt source (sources.list, sources.list.d/*.list or *.sources) names the suite on a line not commented out. */
function aptSourceNames(suite) {
  const files = ['/etc/apt/sources.list'];
  const d = '/etc/apt/sources.list.d';
  if (existsSync(d)) for (const f of readdirSync(d)) if (f.endsWith('.list') || f.endsWith('.sources')) files.push(path.join(d, f));
  return files.some(
    (f) =>
      existsSync(f) &&
      readFileSync(f, 'utf8')
        .split('\n')
        .some((line) => !line.trimStart().startsWith('#') && line.split(/\s+/).includes(suite)),
  );
}

/**
 * `pkg` as Debian's backports have it, unpacked (dpkg-deb -x) into the repository's
 * .cache/debian-backports/<pkg>/root, never installed: dpkg and the system's Python keep their own
 * version. When the folder is there, nothing is done. Otherwise, as root when apt does not know the
 * suite yet: the backports suite is added as an apt source when none names it (a .sources file;
 * backports are never installed from unless asked for by name), apt-get update; then `apt-get
 * download pkg/bookworm-backports` (which needs no root once apt knows the suite). Throws what is
 * missing. Returns backportPaths(repo, pkg) and whether it was already there.
 */
function debianBackport(repo, pkg, { log = () => {} } = {}) {
  const paths = backportPaths(repo, pkg);
  if (existsSync(paths.root)) return { ...paths, present: true };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const step = (title, cmd, args, opts) => defaultStep(title, cmd, args, { env, ...opts });
  const { suite } = BACKPORTS;
  const debs = () => (existsSync(paths.dir) ? readdirSync(paths.dir).filter((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb')) : []);
  if (debs().length === 0) {
    // (apt-cache show pkg/suite does not look at the suite: madison lists each version with its suite)
    const known = () => (spawnSync('apt-cache', ['madison', pkg], { encoding: 'utf8' }).stdout ?? '').includes(` ${suite}/`);
    if (!known()) {
      if (!isRoot())
        throw new Error(
          `${pkg} from ${suite} is not in ${paths.dir} and apt does not know ${suite}; run as root: node test/proxy/setup.mjs (it adds ${BACKPORTS.sourcesFile} and runs apt-get update)`,
        );
      if (!aptSourceNames(suite)) {
        if (!existsSync(BACKPORTS.keyring))
          throw new Error(`no ${BACKPORTS.keyring} to check ${suite} with (apt-get install debian-archive-keyring)`);
        log(`apt source: ${BACKPORTS.sourcesFile} (${suite}; nothing is installed from it unless asked for by name)`);
        writeFileSync(
          BACKPORTS.sourcesFile,
          `# Added by test/helpers/debian.cjs (the proxy stage's loopback lab unpacks ${pkg} from it; nothing is installed)\nTypes: deb\nURIs: ${BACKPORTS.uri}\nSuites: ${suite}\nComponents: main\nSigned-By: ${BACKPORTS.keyring}\n`,
        );
      }
      log(`apt-get update (for ${suite})`);
      step('apt-get update', 'apt-get', ['update']);
      if (!known()) throw new Error(`apt does not know ${pkg}/${suite} after apt-get update`);
    }
    mkdirSync(paths.dir, { recursive: true });
    // (as root, apt warns that it downloads unsandboxed: its _apt user cannot write into the repository)
    log(`apt-get download ${pkg}/${suite} into ${paths.dir}`);
    step(`apt-get download ${pkg}/${suite}`, 'apt-get', ['download', `${pkg}/${suite}`], { cwd: paths.dir });
  }
  const [deb] = debs();
  if (!deb) throw new Error(`apt-get download ${pkg}/${suite} left no ${pkg}_*.deb in ${paths.dir}`);
  const tmp = `${paths.root}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  log(`dpkg-deb -x ${deb} ${paths.root}`);
  step(`dpkg-deb -x ${deb}`, 'dpkg-deb', ['-x', path.join(paths.dir, deb), tmp]);
  renameSync(tmp, paths.root);
  return { ...paths, present: false };
}

module.exports = { missingDebianPackages, ensureDebianPackages, backportPaths, debianBackport };
