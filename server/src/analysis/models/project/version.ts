// Which Django, gunicorn and uvicorn a project runs, from its dependency files (read by
// ./dependencies: lock files, requirement files and their includes, constraints files,
// pyproject.toml, Pipfile, setup.cfg, setup.py, `pip install` in Dockerfiles), in this order of
// authority: a user setting; the files production's build installs (./installs: a production
// Dockerfile's `pip install -r`, `uv sync`, `poetry install`…, the buildpack's requirements.txt);
// then, among the files in each of those groups, a lock file (exact); an exact pin outside
// development files; any other constraint, read as the newest release it allows among the releases
// we know; a Dockerfile's `pip install`. A file named as a leftover (requirements-old.txt, a freeze
// of an old release) comes after every other; a requirements file nothing installs, in the folder
// of one production's build is seen to install, is not read at all. When none names Django the
// version is an assumption and says so: from the `django-admin startproject` header of a settings
// module (a lower bound only: the newest is assumed, and the header said) or the newest we know.
import * as path from 'node:path';
import { atLeast, compareVersions } from '../../base/versions';
import { pep440 } from '../../readers/python/parsers';
import { DJANGO_NEWEST_VERSION } from '../../catalogue/djangoDefaults';
import { DEBUG_TOOLBAR } from '../../catalogue/libraries';
import { DISTRIBUTION_PYTHON, DJANGO_MIN_PYTHON } from '../../catalogue/djangoPython';
import { baseImageReleases } from '../../catalogue/endOfLife';
import { finalStage, parseDockerfile } from '../../readers/container/dockerfile';
import {
  legacyWildcards,
  normalizeName,
  poetryToPep440,
  readDockerfile,
  readLockFile,
  readRequirementsFile,
  readSetupCfg,
  readSetupPy,
  readTomlDependencies,
  startprojectHeader,
  MAX_DEPENDENCY_BYTES,
  type Requirement,
} from '../../readers/python/dependencies';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { readDeployFile } from '../../readers/deploy';
import { devReasonOfPath } from '../../readers/devPaths';
import { devImage, installedDependencyFiles, productionDockerfiles, staleDependencyFile, type InstalledFiles } from './installs';

export { atLeast, compareVersions };

/** How a version was found, most authoritative first. */
export type VersionHow = 'setting' | 'lock' | 'pin' | 'constraint' | 'dockerfile' | 'url' | 'header' | 'none';

export interface DjangoVersion {
  /** "major.minor", e.g. "4.2". */
  readonly version: string;
  /**
   * Where it was read, for the checklist: the file and the matched constraint only
   * ("requirements.txt: Django>=4.2,<5"), never a URL; for an assumption, what it rests on.
   */
  readonly source: string;
  /** True when no dependency file says which version: `assumption` says what was assumed instead. */
  readonly assumed: boolean;
  readonly file?: string;
  /** The release installed, when a lock file or an exact pin says it ("4.2.7"). */
  readonly exact?: string;
  readonly how?: VersionHow;
  /**
   * For an assumed version, why: "no dependency file names it", "… startproject header …", or a
   * constraint that allows no release we know (`Django>=7.0`: checked as the newest we know).
   */
  readonly assumption?: string;
}

/** A server package (gunicorn, uvicorn) as the dependency files name it. */
export interface PackageVersion {
  /** The release installed, when a lock file or an exact pin says it. */
  readonly exact?: string;
  /** The PEP 440 specifier ("" any; undefined when only a URL names it). */
  readonly specifier?: string;
  /** "requirements.txt: gunicorn==23.0.0" (never a URL). */
  readonly source: string;
  readonly file: string;
  readonly how: VersionHow;
}

export interface ProjectVersions {
  readonly django: DjangoVersion;
  readonly gunicorn?: PackageVersion;
  readonly uvicorn?: PackageVersion;
  /** django-csp, whose 4.0 changed every setting name (models/settings/csp.ts). */
  readonly djangoCsp?: PackageVersion;
  /** Whether production's install has django-debug-toolbar (a settings import of it may be guarded by ImportError). */
  readonly debugToolbar?: PackageInstall;
}

/**
 * Whether production's install has a package, from the dependency files: `production` when a
 * file that is not for development names it (requirements.txt, pyproject's main dependencies, a
 * production Dockerfile's `pip install`, or a development requirements file that such a Dockerfile
 * installs with -r); `absent` when production's dependencies are seen (a file not for development
 * names Django) and only development files name it, or none does; `unknown` otherwise. Lock files
 * are not read for this: they hold the development groups too.
 */
export type PackageInstall =
  | { readonly kind: 'production'; readonly source: string }
  | { readonly kind: 'absent'; readonly dev?: string; readonly production: string }
  | { readonly kind: 'unknown' };

/**
 * Known Django release lines, oldest first: a constraint is read as the newest of these it allows.
 * 1.4–1.7 are here so that a project pinned to one runs as that release (its rules from 1.8 on are
 * not applicable, and DDG322 reports it), not as the newest.
 */
export const DJANGO_RELEASE_LINES: readonly string[] = [
  '1.4',
  '1.5',
  '1.6',
  '1.7',
  '1.8',
  '1.9',
  '1.10',
  '1.11',
  '2.0',
  '2.1',
  '2.2',
  '3.0',
  '3.1',
  '3.2',
  '4.0',
  '4.1',
  '4.2',
  '5.0',
  '5.1',
  '5.2',
  '6.0',
  '6.1',
];

function line(version: string): string {
  const [maj, min] = version.split('.');
  return `${maj}.${Number.parseInt(min ?? '0', 10) || 0}`;
}

/** A specifier in PEP 440 (Poetry's `^`, `~` and bare versions translated), as `||` alternatives. */
function alternatives(constraint: string): string[] | undefined {
  const c = constraint.trim();
  if (c.length > 200) return undefined;
  if (c === '' || c === '*') return [''];
  const pep = c.split('||').map((a) => legacyWildcards(a.replace(/\s+/g, '')));
  if (pep.every((a) => a !== '' && pep440.validRange(a))) return pep;
  return poetryToPep440(c);
}

const isDigit = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/**
 * The releases a constraint names, left to right: digits, then at least one `.digits`, then
 * perhaps `a`, `b` or `rc` and digits (`4.2`, `4.2.7`, `5.0rc1`; not `4`). One pass.
 */
export function releasesNamed(constraint: string): string[] {
  const out: string[] = [];
  const s = constraint;
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s, i)) {
      i++;
      continue;
    }
    const start = i;
    while (isDigit(s, i)) i++;
    let parts = 0;
    while (s[i] === '.' && isDigit(s, i + 1)) {
      i++;
      while (isDigit(s, i)) i++;
      parts++;
    }
    if (parts === 0) continue;
    const pre = s.startsWith('rc', i) ? 2 : s[i] === 'a' || s[i] === 'b' ? 1 : 0;
    if (pre > 0 && isDigit(s, i + pre)) {
      i += pre;
      while (isDigit(s, i)) i++;
    }
    out.push(s.slice(start, i));
  }
  return out;
}

/**
 * What a constraint allows among the Django releases we know: the newest release line it allows
 * (`>=4.2,<5.0` → 4.2, `==4.*` → 4.2, `^3.2` → 3.2, `~=4.2.0` → 4.2, `>=4.2` → the newest), or
 * why none: `{ none }` when it allows no release we know (a release newer than we know), undefined
 * when it does not read as a constraint. `*` and "" allow any release: undefined, as before.
 */
export function readConstraint(constraint: string, newestLine?: string): { line: string } | { none: string } | undefined {
  const alts = alternatives(constraint);
  if (!alts) return undefined;
  if (alts.every((a) => a === '')) return undefined;
  // every known line, at its first and at a late patch release, and the releases the constraint names
  const candidates = new Set<string>();
  const within = (l: string): boolean => !newestLine || compareVersions(l, newestLine) <= 0;
  for (const l of DJANGO_RELEASE_LINES) {
    if (!within(l)) continue;
    candidates.add(l);
    candidates.add(`${l}.9999`);
  }
  for (const v of releasesNamed(constraint)) {
    if (DJANGO_RELEASE_LINES.includes(line(v)) && within(line(v))) candidates.add(v);
  }
  const list = [...candidates];
  let best: string | undefined;
  for (const alt of alts) {
    let found: string | null;
    try {
      found = alt === '' ? (newestLine ?? DJANGO_NEWEST_VERSION) : pep440.maxSatisfying(list, alt, { prereleases: true });
    } catch {
      return undefined;
    }
    if (found && (!best || compareVersions(line(found), best) > 0)) best = line(found);
  }
  if (best) return { line: best };
  return { none: `allows no Django release this version of the extension knows (the newest it knows is ${DJANGO_NEWEST_VERSION})` };
}

/** The newest release line a constraint allows (see readConstraint); undefined when it allows any or none. */
export function newestAllowed(constraint: string): string | undefined {
  const r = readConstraint(constraint);
  return r && 'line' in r ? r.line : undefined;
}

/**
 * Which side of `release` a package's requirement keeps it on: 'below' when every release it allows
 * is older than `release` (`==3.8`, `<4`, `~=3.7`, `^3.8`), 'from' when every one is `release` or
 * newer, undefined when it allows both, any release, or does not read. An exact pin decides alone.
 */
export function sideOf(p: Pick<PackageVersion, 'exact' | 'specifier'>, release: string): 'below' | 'from' | undefined {
  if (p.exact) return compareVersions(p.exact, release) < 0 ? 'below' : 'from';
  const alts = p.specifier === undefined ? undefined : alternatives(p.specifier);
  if (!alts || alts.some((a) => a === '')) return undefined;
  // every interval a specifier allows holds one of these: its bounds (named releases), just above
  // a bound, `release` itself when it straddles it, or a release far out on either side
  const candidates = new Set(['0.0.1', `${release}`, '9999.0']);
  for (const v of releasesNamed(p.specifier!)) {
    candidates.add(v);
    candidates.add(`${v}.9999`);
  }
  const [major] = release.split('.');
  if (major && /^[0-9]+$/.test(major) && Number(major) > 0) candidates.add(`${Number(major) - 1}.9999.9999`);
  let below = false;
  let from = false;
  for (const alt of alts) {
    for (const c of candidates) {
      let ok: boolean;
      try {
        ok = pep440.satisfies(c, alt, { prereleases: true });
      } catch {
        return undefined;
      }
      if (!ok) continue;
      if (compareVersions(c, release) < 0) below = true;
      else from = true;
    }
  }
  return below && !from ? 'below' : from && !below ? 'from' : undefined;
}

const DEPENDENCY_KINDS = new Set<ScannedFile['kind']>(['lockfile', 'requirements', 'pyproject', 'pipfile', 'setupcfg', 'setuppy']);

/** A file meant for development or tests, by its name (requirements/dev.txt, requirements-test.txt…). */
function devFile(file: string): boolean {
  const words = path
    .basename(file)
    .toLowerCase()
    .replace(/\.[a-z]+$/, '')
    .split(/[^a-z0-9]+/);
  return words.some((w) => ['dev', 'develop', 'development', 'test', 'tests', 'testing', 'local', 'ci', 'lint', 'docs'].includes(w));
}

interface Found {
  readonly req: Requirement;
  readonly how: VersionHow;
  readonly distance: number;
  readonly order: number;
  /** What installs the dependency file it was read from (or the file that includes it), when production's build is seen to. */
  readonly installed?: string;
  /** The dependency file read (req.file may be a file it includes). */
  readonly top: string;
  /** For a requirements file of another name, the command that names it ("Dockerfile's `pip install -r /tmp/pip-packages`"). */
  readonly namedBy?: string;
}

/** "requirements.txt: Django>=4.2,<5", and for a file only an install names, which install. */
function sourceOf(shownRoot: string, x: Found): string {
  const s = `${display(shownRoot, x.req.file)}: ${x.req.display}`;
  return x.namedBy ? `${s}, installed by ${x.namedBy}` : s;
}

/** Common ancestor folder of some absolute paths. */
function commonFolder(paths: readonly string[]): string {
  let top = paths[0]!;
  for (const p of paths.slice(1)) {
    while (top !== path.dirname(top) && path.relative(top, p).startsWith('..')) top = path.dirname(top);
  }
  return top;
}

/** The dependency files production's build installs, worked out once per reading (the cache holds it). */
function installedOf(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  deps: readonly ScannedFile[],
  cache: Map<string, unknown>,
  shownRoot: string,
): InstalledFiles {
  const key = `installed:${projectRoot}`;
  if (!cache.has(key))
    cache.set(
      key,
      installedDependencyFiles(
        fs,
        files,
        projectRoot,
        deps.map((f) => f.path),
        shownRoot,
      ),
    );
  return cache.get(key) as InstalledFiles;
}

/** Whether it was read from a requirements (or constraints) file: one installed only by being named (`pip install -r`, an include). */
function requirementsFile(x: Found, deps: readonly ScannedFile[]): boolean {
  return x.how !== 'dockerfile' && deps.some((f) => f.path === x.top && f.kind === 'requirements');
}

/** Everything the dependency files say about one package, most authoritative first. */
function gather(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  wanted: string,
  cache: Map<string, unknown> = new Map(),
  deadline?: number,
  /** The folder sources and reasons name files from (the workspace folder). */
  shownRoot = projectRoot,
): { found: Found[]; unreadable: string[] } {
  const distance = (f: string): number => {
    const rel = path.relative(projectRoot, path.dirname(f));
    return rel.startsWith('..') ? 100 + rel.split(path.sep).length : rel === '' ? 0 : rel.split(path.sep).length;
  };
  const deps = files.filter((f) => DEPENDENCY_KINDS.has(f.kind));
  // constraints files are not deployment files the scan keeps: look beside the requirement files
  const dirs = new Set([projectRoot, ...deps.filter((f) => f.kind === 'requirements').map((f) => path.dirname(f.path))]);
  const known = new Set(deps.map((f) => f.path));
  for (const d of dirs) {
    for (const name of ['constraints.txt', 'constraints.in']) {
      const file = path.join(d, name);
      if (!known.has(file) && fs.size(file) !== undefined) {
        deps.push({ path: file, kind: 'requirements' });
        known.add(file);
      }
    }
  }
  // the texts, kept for the next package's reading (detectVersions reads three)
  const readCached = (file: string): string | undefined => {
    const key = `text:${file}`;
    if (!cache.has(key)) {
      const size = fs.size(file);
      const text = size !== undefined && size > MAX_DEPENDENCY_BYTES ? undefined : fs.readText(file);
      cache.set(key, text !== undefined && text.length <= MAX_DEPENDENCY_BYTES ? text : undefined);
    }
    return cache.get(key) as string | undefined;
  };
  // the files production's build installs (once for the three packages); a requirements file of
  // another name one of its installs names (`pip install -r deploy/pip-packages`) is read as one
  const installs = installedOf(fs, files, projectRoot, deps, cache, shownRoot);
  for (const file of installs.named.keys()) {
    if (!known.has(file)) {
      deps.push({ path: file, kind: 'requirements' });
      known.add(file);
    }
  }
  const top = commonFolder([projectRoot, ...deps.map((f) => path.dirname(f.path))]);
  const found: Found[] = [];
  const unreadable: string[] = [];
  let order = 0;
  const add = (r: Requirement | { error: string } | undefined, file: string, how: (r: Requirement) => VersionHow): void => {
    if (!r) return;
    if ('error' in r) {
      unreadable.push(`${display(shownRoot, file)}: ${r.error}`);
      return;
    }
    const installed = installs.files.get(file);
    const namedBy = installs.named.get(file);
    found.push({
      req: r,
      how: how(r),
      distance: distance(file),
      order: order++,
      top: file,
      ...(installed ? { installed } : {}),
      ...(namedBy ? { namedBy } : {}),
    });
  };
  const pinOrConstraint = (r: Requirement): VersionHow => (r.specifier === undefined ? 'url' : r.exact ? 'pin' : 'constraint');
  // past the run's deadline the files left are not read, and the version says so
  const late = (f: ScannedFile): boolean => {
    if (deadline === undefined || Date.now() <= deadline) return false;
    unreadable.push(`${display(shownRoot, f.path)}: not read, the time budget ran out`);
    return true;
  };
  for (const f of deps) {
    if (late(f)) continue;
    if (f.kind === 'requirements') {
      add(readRequirementsFile(fs, f.path, wanted, top), f.path, pinOrConstraint);
      continue;
    }
    const text = readCached(f.path);
    if (text === undefined) continue;
    if (f.kind === 'lockfile') add(readLockFile(text, f.path, wanted, cache), f.path, () => 'lock');
    else if (f.kind === 'pyproject' || f.kind === 'pipfile')
      add(readTomlDependencies(text, f.path, wanted, cache), f.path, pinOrConstraint);
    else if (f.kind === 'setupcfg') add(readSetupCfg(text, f.path, wanted, cache), f.path, pinOrConstraint);
    else if (f.kind === 'setuppy') add(readSetupPy(text, f.path, wanted), f.path, pinOrConstraint);
  }
  for (const f of files) {
    if (f.kind !== 'dockerfile' || late(f)) continue;
    const text = readCached(f.path);
    if (text !== undefined) add(readDockerfile(text, f.path, wanted), f.path, (r) => (r.specifier === undefined ? 'url' : 'dockerfile'));
  }
  const rank = (x: Found): number => {
    const dev = x.req.dev || devFile(x.req.file);
    switch (x.how) {
      case 'lock':
        return dev ? 3 : 0;
      case 'pin':
        return dev ? 3 : 1;
      case 'constraint':
        return dev ? 3 : 2;
      case 'dockerfile':
        return 4;
      default:
        return 5;
    }
  };
  // what production's build installs first; a file named as a leftover (requirements-old.txt, a
  // freeze of Django 1.10) after every other
  const tier = (x: Found): number => (x.installed ? 0 : x.how !== 'dockerfile' && x.how !== 'url' && staleDependencyFile(x.top) ? 2 : 1);
  found.sort((a, b) => tier(a) - tier(b) || rank(a) - rank(b) || a.distance - b.distance || a.order - b.order);
  // a requirements file nothing installs, in the folder of one production's build installs (every
  // install followed to its file), is not production's: it sets no version
  const installedDirs = new Set([...installs.files.keys()].map((f) => path.dirname(f)));
  const kept = installs.complete
    ? found.filter((x) => x.installed || !installedDirs.has(path.dirname(x.top)) || !requirementsFile(x, deps))
    : found;
  return { found: kept, unreadable };
}

function display(projectRoot: string, file: string): string {
  return path.relative(projectRoot, file).split(path.sep).join('/') || path.basename(file);
}

/** Django, gunicorn, uvicorn and django-csp as the project's dependency files name them. */
export function detectVersions(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  override?: string,
  settingsFiles: readonly string[] = [],
  deadline?: number,
  /** The folder the sources name files from (the workspace folder). */
  shownRoot = projectRoot,
): ProjectVersions {
  // one cache for the three: each dependency file is read and parsed once
  const cache = new Map<string, unknown>();
  return {
    django: detectDjangoVersion(fs, files, projectRoot, override, settingsFiles, cache, deadline, shownRoot),
    gunicorn: detectPackage(fs, files, projectRoot, 'gunicorn', cache, deadline, shownRoot),
    uvicorn: detectPackage(fs, files, projectRoot, 'uvicorn', cache, deadline, shownRoot),
    djangoCsp: detectPackage(fs, files, projectRoot, 'django-csp', cache, deadline, shownRoot),
    debugToolbar: packageInstall(fs, files, projectRoot, DEBUG_TOOLBAR.distribution, cache, deadline, shownRoot),
  };
}

/** Whether production's install has the package (see PackageInstall). */
export function packageInstall(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  name: string,
  cache?: Map<string, unknown>,
  deadline?: number,
  shownRoot = projectRoot,
): PackageInstall {
  const production = productionDockerfiles(fs, files, projectRoot);
  const isDev = (f: Found): boolean => {
    if (f.how === 'dockerfile') return !production.some((d) => d.file === f.req.file);
    return f.req.dev === true || devFile(f.req.file);
  };
  const found = gather(fs, files, projectRoot, normalizeName(name), cache, deadline, shownRoot).found.filter((f) => f.how !== 'lock');
  const source = (f: Found): string => sourceOf(shownRoot, f);
  const prod = found.find((f) => !isDev(f));
  if (prod) return { kind: 'production', source: source(prod) };
  // a development requirements file production's build installs is production's
  const hit = found.find((f) => f.installed);
  if (hit) return { kind: 'production', source: `${hit.installed}, which names ${hit.req.display}` };
  const django = gather(fs, files, projectRoot, 'django', cache, deadline, shownRoot).found.find((f) => f.how !== 'lock' && !isDev(f));
  if (!django) return { kind: 'unknown' };
  const dev = found[0];
  return { kind: 'absent', dev: dev ? source(dev) : undefined, production: source(django) };
}

/** What the dependency files say about a server package (undefined: none names it). */
export function detectPackage(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  name: string,
  cache?: Map<string, unknown>,
  deadline?: number,
  shownRoot = projectRoot,
): PackageVersion | undefined {
  const best = gather(fs, files, projectRoot, normalizeName(name), cache, deadline, shownRoot).found[0];
  if (!best) return undefined;
  return {
    exact: best.req.exact,
    specifier: best.req.specifier,
    source: sourceOf(shownRoot, best),
    file: best.req.file,
    how: best.how,
  };
}

/** The newest Django release line pip installs on Python `py` ("3.8" → "4.2"); undefined for a Python older than any we know. */
export function newestDjangoForPython(py: string): string | undefined {
  const families = DJANGO_MIN_PYTHON.value;
  for (const [from, min] of families) {
    if (compareVersions(py, min) < 0) continue;
    // the newest line of the family that starts at `from` (4.0 → 4.2), as far as we know lines
    const next = families[families.findIndex(([f]) => f === from) - 1]?.[0];
    const lines = DJANGO_RELEASE_LINES.filter((l) => compareVersions(l, from) >= 0 && (!next || compareVersions(l, next) < 0));
    return lines[lines.length - 1];
  }
  return undefined;
}

const PYTHON_IMAGE = /^[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?(?:docker\.io\/)?(?:library\/)?python:(\d)\.(\d{1,2})\b/gim;

/**
 * The Python the deployment runs, where it says so: `runtime.txt` (`python-3.8.10`) or
 * `.python-version` at the project root, or the `FROM python:X.Y` of its Dockerfiles. Several
 * Dockerfiles naming different versions give the newest (the bound that excludes least).
 */
export function deploymentPython(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  shownRoot = projectRoot,
): { version: string; source: string; image?: boolean } | undefined {
  for (const name of ['runtime.txt', '.python-version']) {
    const text = fs.readText(path.join(projectRoot, name));
    // the first line that says something (.python-version may list several; the first is used)
    const first = text
      ?.split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('#'));
    const m = first === undefined ? null : /^(?:python-)?(\d)\.(\d{1,2})(?:\.\d{1,4})?$/.exec(first);
    if (m) return { version: `${m[1]}.${m[2]}`, source: `${name}: ${first}` };
  }
  let best: { version: string; source: string; image?: boolean } | undefined;
  const consider = (version: string, source: string, image = false): void => {
    if (!best || compareVersions(version, best.version) > 0) best = { version, source, ...(image ? { image } : {}) };
  };
  for (const f of files) {
    // a platform's own setting: render's PYTHON_VERSION, nixpacks' NIXPACKS_PYTHON_VERSION, App Engine's runtime
    if (f.kind === 'config') {
      const text = fs.readText(f.path) ?? '';
      const env = readDeployFile(fs, f)?.processes.flatMap((p) => [p.env.get('PYTHON_VERSION'), p.env.get('NIXPACKS_PYTHON_VERSION')]);
      for (const v of env ?? []) {
        const m = v && !v.from && !v.token.dynamic ? /^(\d)\.(\d{1,2})(?:\.\d{1,4})?$/.exec(v.value.trim()) : null;
        if (m) consider(`${m[1]}.${m[2]}`, `${display(shownRoot, f.path)}: ${v!.name}=${v!.value.trim()}`);
      }
      const gae = /^runtime:[ \t]*python3(\d{1,2})[ \t]*$/m.exec(text);
      if (gae) consider(`3.${gae[1]}`, `${display(shownRoot, f.path)}: runtime: python3${gae[1]}`);
      continue;
    }
    if (f.kind !== 'dockerfile') continue;
    // a development image (docker/dev/Dockerfile, Dockerfile.local, ENV DJANGO_ENV=development) says
    // nothing of production's Python
    if (devReasonOfPath(path.relative(projectRoot, f.path))) continue;
    const text = fs.readText(f.path) ?? '';
    if (devImage(text)) continue;
    for (const m of text.matchAll(PYTHON_IMAGE)) {
      const version = `${m[1]}.${m[2]}`;
      consider(version, `${display(shownRoot, f.path)}: FROM python:${version}`, true);
    }
    const distro = distributionPython(f.path, text);
    if (distro) consider(distro.version, `${display(shownRoot, f.path)}: ${distro.source}`, true);
  }
  return best;
}

const DISTRIBUTION_PYTHON_PACKAGES = new Set(['python3', 'python3-pip', 'python3-venv', 'python3-dev', 'python-is-python3']);

/** Whether a command line runs `apt-get install` (or `apt install`) of the distribution's python3. */
function aptInstallsPython3(line: string): boolean {
  for (const command of line.split(/&&|\|\||;|\||\n/)) {
    const words = command.trim().split(/\s+/);
    const apt = words.findIndex((w) => w === 'apt-get' || w === 'apt');
    if (apt < 0) continue;
    const install = words.indexOf('install', apt + 1);
    if (install > 0 && words.slice(install + 1).some((w) => DISTRIBUTION_PYTHON_PACKAGES.has(w))) return true;
  }
  return false;
}

/** Another Python put in the image (deadsnakes' python3.11, pyenv, uv, conda): the distribution's is not the one. */
const OTHER_PYTHON = /\bpython3\.\d|\bpyenv\b|\buv[ \t]+python\b|\bconda\b|\bmamba\b|\bdeadsnakes\b|\bpython-build\b/;

/**
 * The Python of an image built FROM a Debian or Ubuntu release that installs the distribution's
 * `python3` with apt (`FROM ubuntu:20.04` … `apt-get install python3 python3-pip`: Python 3.8),
 * catalogue djangoPython.ts DISTRIBUTION_PYTHON. Undefined when the last stage is not built on one
 * of the releases we know, or the image puts another Python in (deadsnakes, pyenv, uv, conda).
 */
function distributionPython(file: string, text: string): { version: string; source: string } | undefined {
  if (!/\b(?:debian|ubuntu):/i.test(text) || !text.includes('python3') || OTHER_PYTHON.test(text)) return undefined;
  let stage: ReturnType<typeof finalStage>;
  try {
    stage = finalStage(parseDockerfile(file, text));
  } catch {
    return undefined;
  }
  if (!stage) return undefined;
  const name = stage.base.toLowerCase().split('@')[0]!.split(':')[0]!.split('/').pop();
  if (name !== 'debian' && name !== 'ubuntu') return undefined;
  const r = baseImageReleases(stage.base);
  const release = name === 'debian' ? r.debian : r.ubuntu;
  const hit = DISTRIBUTION_PYTHON.value.find((d) => d.distribution === name && d.release === release);
  if (!hit) return undefined;
  // the apt install is the last stage's (an earlier stage's Python is not what runs)
  const installs = stage.instructions.some((i) => i.keyword === 'RUN' && aptInstallsPython3(i.args.text));
  return installs ? { version: hit.python, source: `FROM ${stage.base} with apt's python3 (Python ${hit.python})` } : undefined;
}

/**
 * What says the project runs on Python 2, or undefined: the Python the deployment names
 * (deploymentPython: `runtime.txt`, `.python-version`, a Dockerfile's `FROM python:2.7`), else a
 * `python2` interpreter line of manage.py. (A Django older than 2.0 does not say it: 1.11 runs on
 * Python 3.4 to 3.7 as well.)
 */
export function pythonTwo(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  shownRoot: string,
  manage: string | undefined,
): string | undefined {
  const py = deploymentPython(fs, files, projectRoot, shownRoot);
  if (py) return py.version.startsWith('2.') ? py.source : undefined;
  const first = manage ? (fs.readText(manage) ?? '').split('\n', 1)[0]!.trim() : '';
  if (!first.startsWith('#!')) return undefined;
  // `#!/usr/bin/python2.7`, `#!/usr/bin/env python2`
  const words = first
    .slice(2)
    .trim()
    .split(/[ \t]+/);
  const command = words[0]?.split('/').pop() === 'env' ? words[1] : words[0]?.split('/').pop();
  if (command && /^python2(?:\.\d{1,2})?$/.test(command)) return `${display(shownRoot, manage!)}:1: ${first}`;
  return undefined;
}

/** A release older than the oldest line we know (`1.3.7`). */
function olderThanKnown(release: string): boolean {
  return /^\d+\.\d+/.test(release) && compareVersions(line(release), DJANGO_RELEASE_LINES[0]!) < 0;
}

/** Whether every release a specifier allows is older than the oldest line we know. */
function below(specifier: string): boolean {
  return sideOf({ specifier }, DJANGO_RELEASE_LINES[0]!) === 'below';
}

/** Detects the Django version from the project's dependency files (closest to the project root first). */
export function detectDjangoVersion(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  override?: string,
  settingsFiles: readonly string[] = [],
  cache?: Map<string, unknown>,
  deadline?: number,
  shownRoot = projectRoot,
): DjangoVersion {
  if (override && /^\d+\.\d+/.test(override)) {
    return { version: line(override), source: `the djangoVersion setting (${override})`, assumed: false, how: 'setting' };
  }
  const { found, unreadable } = gather(fs, files, projectRoot, 'django', cache, deadline, shownRoot);
  const unread = unreadable.length ? `; could not read ${unreadable.join(', ')}` : '';
  // the Python the deployment runs bounds what pip installs (Django 5.0 needs Python 3.10)
  let pyBound: { line: string; why: string; assuming: string } | undefined | null = null;
  const bound = (): { line: string; why: string; assuming: string } | undefined => {
    if (pyBound !== null) return pyBound;
    const py = deploymentPython(fs, files, projectRoot, shownRoot);
    const newest = py ? newestDjangoForPython(py.version) : undefined;
    pyBound =
      py && newest && compareVersions(newest, DJANGO_NEWEST_VERSION) < 0
        ? {
            line: newest,
            why: `Django ${newest}, the newest for Python ${py.version} of the ${py.image ? 'image' : 'deployment'} (${py.source})`,
            assuming: `assuming Django ${newest}, the newest for Python ${py.version} of the ${py.image ? 'image' : 'deployment'} (${py.source})`,
          }
        : undefined;
    return pyBound;
  };
  const newest = (): string => bound()?.line ?? DJANGO_NEWEST_VERSION;
  const assumingNewest = (): string => bound()?.assuming ?? `assuming the newest (${DJANGO_NEWEST_VERSION})`;
  let byUrl: Found | undefined;
  for (const f of found) {
    const source = sourceOf(shownRoot, f);
    if (f.how === 'url') {
      byUrl ??= f;
      continue;
    }
    // an exact release runs as itself, also one older than every line we know (`==1.3.7`): never as the newest
    if (f.req.exact && (DJANGO_RELEASE_LINES.includes(line(f.req.exact)) || olderThanKnown(f.req.exact))) {
      return { version: line(f.req.exact), source, assumed: false, file: f.req.file, exact: f.req.exact, how: f.how };
    }
    const c = readConstraint(f.req.specifier ?? '');
    if (c && 'line' in c) {
      const b = bound();
      const within = b && compareVersions(c.line, b.line) > 0 ? readConstraint(f.req.specifier ?? '', b.line) : undefined;
      if (b && within && 'line' in within)
        return { version: within.line, source: `${source}; ${b.why}`, assumed: false, file: f.req.file, how: f.how };
      return { version: c.line, source, assumed: false, file: f.req.file, how: f.how };
    }
    // a range that only allows releases older than every line we know (`<1.4`): the oldest we know,
    // as an assumption that says why (it is not the newest)
    if (c && 'none' in c && below(f.req.specifier ?? '')) {
      return {
        version: DJANGO_RELEASE_LINES[0]!,
        source,
        assumed: true,
        file: f.req.file,
        how: f.how,
        assumption: `${display(shownRoot, f.req.file)}: ${f.req.display} allows only Django releases older than ${DJANGO_RELEASE_LINES[0]}, the oldest this version of the extension knows`,
      };
    }
    // a range above what we know: the newest we know, as an assumption that says why
    if (c && 'none' in c) {
      return {
        version: DJANGO_NEWEST_VERSION,
        source,
        assumed: true,
        file: f.req.file,
        how: f.how,
        assumption: `${display(shownRoot, f.req.file)}: ${f.req.display} ${c.none}`,
      };
    }
    // any release (`Django`, `*`): pip installs the newest (the deployment's Python can install)
    return { version: newest(), source: bound() ? `${source}; ${bound()!.why}` : source, assumed: false, file: f.req.file, how: f.how };
  }
  const header = settingsHeader(fs, [...settingsFiles, ...files.filter((f) => f.kind === 'settings').map((f) => f.path)]);
  const named = byUrl ? `${display(shownRoot, byUrl.req.file)} names Django without a version` : 'no dependency file names it';
  // The header says which release generated the settings: a lower bound, not the release that runs
  // them (projects are upgraded; an unpinned install gets the newest). Checking against that old
  // release would report its old defaults (X_FRAME_OPTIONS, SECURE_CONTENT_TYPE_NOSNIFF…) that no
  // current install has, so the newest is assumed, as without any hint, and the header is said.
  if (header) {
    return {
      version: newest(),
      source: `${display(shownRoot, header.file)}: generated by django-admin startproject using Django ${header.version}${unread}; ${assumingNewest()}`,
      assumed: true,
      file: header.file,
      how: 'header',
      assumption: `${named}; ${display(shownRoot, header.file)} was generated by Django ${line(header.version)}'s startproject, so it runs on ${line(header.version)} or later`,
    };
  }
  if (byUrl) {
    return {
      version: newest(),
      source: `${display(shownRoot, byUrl.req.file)}: ${byUrl.req.display}; ${assumingNewest()}`,
      assumed: true,
      file: byUrl.req.file,
      how: 'url',
      assumption: bound() ? `${named}; ${bound()!.why}` : named,
    };
  }
  return {
    version: newest(),
    source: `no dependency file names Django; ${assumingNewest()}${unread}`,
    assumed: true,
    how: 'none',
    assumption: bound() ? `${named}; ${bound()!.why}` : named,
  };
}

/** The `startproject` header of the project's settings modules, if one has it. */
function settingsHeader(fs: FileSystem, files: readonly string[]): { version: string; file: string } | undefined {
  for (const file of new Set(files)) {
    const text = fs.readText(file);
    const version = text === undefined ? undefined : startprojectHeader(text);
    if (version && DJANGO_RELEASE_LINES.includes(line(version))) return { version, file };
  }
  return undefined;
}

/** "Django 4.2", or "assuming Django 6.1 (no dependency file names it)" for an assumed version. */
export function describeVersion(v: DjangoVersion): string {
  return v.assumed ? `assuming Django ${v.version} (${v.assumption ?? 'no dependency file names it'})` : `Django ${v.version}`;
}
