// The repository around an analysed folder, and the source roots of a project.
//
// When the CLI or the editor is opened on a subfolder of a repository (src/, sandbox/,
// deployment/docker/), the files that start the project often live above it: a Dockerfile at the
// repository root, docker/provision/start-ralph.sh, docker/files/…/gunicorn/richie.py. The
// repository root is found by climbing through the folders above that each look like part of a
// repository (`.git`, a Dockerfile, compose file, Procfile, pyproject.toml, setup.py/setup.cfg, or a
// docker/deploy folder): the first with `.git`, else the last of them. A folder holding `.github` or
// `.gitlab-ci.yml` is a top as `.git` is: GitHub reads workflows and GitLab its pipeline only at a
// repository's root, and a tree exported without its history (an archive, a CI checkout without
// `.git`) keeps them. The climb stops at a folder
// that looks like none of that unless it is a folder code is kept in (`src/`, `apps/`, `backend/`:
// climbed through, never the top itself) or a `.git` holds the folders above it within MAX_UP (then
// that is the top: `volumes/cotr` under a repository whose compose file mounts it), while a folder
// of examples, fixtures, tests or docs on the way keeps its project apart; after MAX_UP folders, and never reaches the filesystem root, the
// home folder or the temporary folder. A folder with its own `.git` is the top.
//
// Source roots are the folders imports resolve from besides the project root: setup.cfg and
// pyproject.toml package dirs (read by the INI reader as setuptools reads setup.cfg, and by the TOML
// parser; never by a pattern over the text), a src/ layout, `sys.path.insert` in manage.py/wsgi.py,
// PYTHONPATH in a Dockerfile (mapped back through its COPY instructions), and the folder of another
// manage.py.
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import { scanWorkspace, type ScanResult, type ScannedFile } from '../../files/scan';
import { finalStage, parseDockerfile } from '../../readers/container/dockerfile';
import { DOC_DIRS, SUPERSEDED_DIRS } from '../../readers/devPaths';
import { readBounded, readToml, table } from '../../readers/python/dependencies';
import { parseSetupCfg, setuptoolsDict, setuptoolsList, setuptoolsOption } from '../../readers/python/setupcfg';
import { tomlKeyLine } from '../../readers/python/tomlLocate';
import { withAnsibleTemplates, withSaltTemplates } from './renderedTemplates';

const MAX_UP = 4;
const MARKER_FILES = new Set([
  'Dockerfile',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yml',
  'compose.yaml',
  'Procfile',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
]);
const MARKER_DIRS = new Set(['docker', 'deploy', 'deployment']);
/**
 * Folders a repository keeps its code in (src/backend, apps/api): climbed through without markers of
 * their own, never the top themselves (DriveBC's src/ holds backend/, frontend/, docs/, images/).
 */
const CODE_DIRS = new Set(['src', 'app', 'apps', 'backend', 'backends', 'server', 'services', 'packages', 'projects']);

/** Whether a folder's entries show a repository's root: its `.git`, or what a forge reads only there. */
function isRepositoryTop(entries: readonly { name: string; isFile: boolean; isDirectory: boolean }[]): boolean {
  return entries.some((e) => e.name === '.git' || (e.isDirectory && e.name === '.github') || (e.isFile && e.name === '.gitlab-ci.yml'));
}

function isBoundary(dir: string): boolean {
  const parent = path.dirname(dir);
  if (parent === dir) return true;
  for (const b of [os.homedir(), os.tmpdir()]) {
    if (!b) continue;
    const rel = path.relative(dir, b);
    // the home or temporary folder itself, or a folder above it
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return true;
  }
  return false;
}

/** The repository root above `folder`, or undefined when `folder` is the top (or nothing is above). */
export function repositoryRootAbove(fs: FileSystem, folder: string): string | undefined {
  // the folder is itself a repository's root
  if (fs.exists(path.join(folder, '.git')) || isRepositoryTop(fs.readDir(folder))) return undefined;
  let best: string | undefined;
  let dir = folder;
  for (let i = 0; i < MAX_UP; i++) {
    const parent = path.dirname(dir);
    if (parent === dir || isBoundary(parent)) break;
    const entries = fs.readDir(parent);
    if (isRepositoryTop(entries)) return parent;
    const looksLikeRepo = entries.some((e) => (e.isFile && MARKER_FILES.has(e.name)) || (e.isDirectory && MARKER_DIRS.has(e.name)));
    if (!looksLikeRepo) {
      if (!CODE_DIRS.has(path.basename(parent).toLowerCase())) return best ?? topThrough(fs, parent, MAX_UP - i - 1);
      dir = parent;
      continue;
    }
    best = parent;
    dir = parent;
  }
  return best;
}

/**
 * Folders that keep something beside the repository's own project (examples, fixtures, tests,
 * vendored code, and the documentation and superseded folders whose process files are never
 * production's: readers/devPaths.ts): a Django project inside one is not the repository's.
 */
const ASIDE_DIRS: ReadonlySet<string> = new Set([
  'example',
  'examples',
  'sample',
  'samples',
  'demo',
  'demos',
  'fixtures',
  'test',
  'tests',
  'testdata',
  'testing',
  'vendor',
  'third_party',
  'thirdparty',
  'node_modules',
  'site-packages',
  'templates',
  ...DOC_DIRS,
  ...SUPERSEDED_DIRS,
]);

/**
 * The repository's top above an unmarked folder `dir` (`volumes/` of volumes/cotr, mounted into the
 * container by compose/docker-compose.yml): the nearest folder within `up` more that holds `.git`
 * itself, when no folder on the way (`dir` included) keeps things aside (examples, tests, docs).
 */
function topThrough(fs: FileSystem, dir: string, up: number): string | undefined {
  let at = dir;
  for (let i = 0; i <= up; i++) {
    if (ASIDE_DIRS.has(path.basename(at).toLowerCase())) return undefined;
    const parent = path.dirname(at);
    if (parent === at || isBoundary(parent)) return undefined;
    if (fs.exists(path.join(parent, '.git'))) return parent;
    at = parent;
  }
  return undefined;
}

export interface SourceRoot {
  readonly dir: string;
  /** Why it is one: "setup.cfg package_dir", "src/ layout", "manage.py:4 sys.path.insert"… */
  readonly evidence: string;
}

export interface Repository {
  /** The repository root (the analysed folder itself when nothing above belongs to it). */
  readonly root: string;
  /** The scan of the repository root, when it is above the analysed folder. */
  readonly scan?: ScanResult;
  /** Deployment files of the repository outside the analysed folder. */
  readonly outside: ScannedFile[];
  /** Every Python file the analysis may resolve (the folder's and the repository's). */
  readonly pythonFiles: Set<string>;
  readonly sourceRoots: SourceRoot[];
}

const OUTSIDE_KINDS = new Set([
  'procfile',
  'dockerfile',
  'compose',
  'systemd',
  'shell',
  'gunicorn',
  'config',
  'dotenv',
  'manifest',
  'appconfig',
  'proxy',
]);
const cache = new WeakMap<ScanResult, Repository>();

function isInside(dir: string, file: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The repository around a scanned folder: files above it and the source roots. */
export function repositoryOf(fs: FileSystem, scan: ScanResult): Repository {
  const hit = cache.get(scan);
  if (hit) return hit;
  const top = repositoryRootAbove(fs, scan.root);
  let repo: Repository;
  if (!top) {
    repo = {
      root: scan.root,
      outside: [],
      pythonFiles: scan.pythonFiles,
      sourceRoots: sourceRootsOf(fs, scan.root, scan.root, scan.files, scan.pythonFiles, scan.directories),
    };
  } else {
    const rs = scanWorkspace(fs, top);
    // (a template a Salt state renders read as the file it becomes: renderedTemplates.ts)
    const outside = withAnsibleTemplates(fs, withSaltTemplates(fs, rs.files, scan.root), scan.root)
      .filter((f) => !isInside(scan.root, f.path) && (OUTSIDE_KINDS.has(f.kind) || isGunicornFolderConfig(f)))
      .map((f): ScannedFile => (isGunicornFolderConfig(f) ? { path: f.path, kind: 'gunicorn' } : f));
    const pythonFiles = new Set([...scan.pythonFiles, ...rs.pythonFiles]);
    const directories = new Set([...scan.directories, ...rs.directories]);
    repo = {
      root: top,
      scan: rs,
      outside,
      pythonFiles,
      sourceRoots: sourceRootsOf(fs, top, scan.root, rs.files, pythonFiles, directories),
    };
  }
  cache.set(scan, repo);
  return repo;
}

/** A Python file in a `gunicorn` folder (docker/files/usr/local/etc/gunicorn/app.py): a gunicorn config. */
function isGunicornFolderConfig(f: ScannedFile): boolean {
  return f.kind === 'python' && path.basename(path.dirname(f.path)) === 'gunicorn';
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** A path without its trailing slashes (`buffalogs/` → `buffalogs`), without a regular expression. */
export function withoutTrailingSlashes(p: string): string {
  let end = p.length;
  while (end > 0 && p.charCodeAt(end - 1) === 47 /* / */) end--;
  return p.slice(0, end);
}

/** A package folder a configuration file names, and the line that names it. */
interface PackageDir {
  readonly dir: string;
  readonly line: number;
}

/**
 * setup.cfg (read as setuptools reads it): the root package folder of `[options] package_dir`
 * (`=src`, its "" entry), else the first folder of `[options.packages.find] where`.
 */
export function setupCfgPackageDir(text: string): PackageDir | undefined {
  const doc = parseSetupCfg(text);
  const packageDir = setuptoolsOption(doc, 'options', 'package_dir');
  const root = packageDir && setuptoolsDict(packageDir.value)?.get('');
  if (packageDir && root) return { dir: root, line: packageDir.line };
  const where = setuptoolsOption(doc, 'options.packages.find', 'where');
  const first = where && setuptoolsList(where.value)[0];
  return where && first ? { dir: first, line: where.line } : undefined;
}

const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * pyproject.toml (through the TOML parser), the first of: setuptools' `[tool.setuptools.packages.find]
 * where = ["lib"]` (its first folder), setuptools' `package-dir = {"" = "src"}`, Poetry's
 * `packages = [{ include = "pkg", from = "lib" }]` (the first with a `from`), Hatch's wheel
 * `packages = ["src/pkg"]` (the folder of the first, when it has one). Not valid TOML: none.
 */
export function pyprojectPackageDir(text: string): PackageDir | undefined {
  const parsed = readToml(text);
  if ('error' in parsed) return undefined;
  const tool = table(parsed.doc.tool);
  const setuptools = table(tool?.setuptools);
  const at = (dir: string | undefined, ...keys: string[]): PackageDir | undefined =>
    dir === undefined ? undefined : { dir, line: tomlKeyLine(text, ['tool', ...keys]) };
  const where = table(table(setuptools?.packages)?.find)?.where;
  const found =
    at(nonEmpty(Array.isArray(where) ? where[0] : where), 'setuptools', 'packages', 'find', 'where') ??
    at(nonEmpty(table(setuptools?.['package-dir'])?.['']), 'setuptools', 'package-dir');
  if (found) return found;
  const poetry = table(tool?.poetry);
  const from = Array.isArray(poetry?.packages)
    ? poetry.packages.map((p) => nonEmpty(table(p)?.from)).find((x) => x !== undefined)
    : undefined;
  if (from) return at(from, 'poetry', 'packages', 'from');
  const hatch = table(table(tool?.hatch)?.build);
  for (const [packages, keys] of [
    [table(table(hatch?.targets)?.wheel)?.packages, ['hatch', 'build', 'targets', 'wheel', 'packages']],
    [hatch?.packages, ['hatch', 'build', 'packages']],
  ] as const) {
    const first = Array.isArray(packages) ? nonEmpty(packages[0]) : undefined;
    const slash = first?.lastIndexOf('/') ?? -1;
    if (first && slash > 0) return at(first.slice(0, slash), ...keys);
  }
  return undefined;
}

/**
 * The source roots under `top`, from the files of its scan. The folder of a manage.py counts only
 * outside the analysed folder `analysed` (inside it, that folder is a project of its own).
 */
export function sourceRootsOf(
  fs: FileSystem,
  top: string,
  analysed: string,
  files: readonly ScannedFile[],
  pythonFiles: ReadonlySet<string>,
  directories: ReadonlySet<string>,
): SourceRoot[] {
  const out: SourceRoot[] = [];
  const add = (dir: string, evidence: string): void => {
    const d = path.normalize(dir);
    if (!isInside(top, d) || out.some((r) => r.dir === d)) return;
    if (!directories.has(d) && !fs.isDirectory(d)) return;
    out.push({ dir: d, evidence });
  };
  const rel = (f: string): string => path.relative(top, f).split(path.sep).join('/');
  for (const f of files) {
    const dir = path.dirname(f.path);
    if (f.kind === 'manage' && !isInside(analysed, f.path)) add(dir, `${rel(f.path)} is there`);
    if (f.kind === 'setupcfg' || f.kind === 'pyproject') {
      const text = readBounded(fs, f.path);
      const found = text === undefined ? undefined : f.kind === 'setupcfg' ? setupCfgPackageDir(text) : pyprojectPackageDir(text);
      if (found) add(path.join(dir, found.dir), `${rel(f.path)}:${found.line} package dir`);
    }
    if (f.kind === 'manage' || f.kind === 'wsgi' || f.kind === 'asgi') {
      const text = fs.readText(f.path) ?? '';
      const re = /sys\.path\.(?:insert\(\s*\d+\s*,|append\()\s*([^\n]*)/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text))) {
        const parts = [...m[1]!.matchAll(/["']([\w./-]+)["']/g)].map((x) => x[1]!);
        // os.path.join(BASE_DIR, "apps"), str(Path(__file__).parent / "src"), "../src"
        const ups = (m[1]!.match(/\.parent\b/g) ?? []).length + (m[1]!.match(/dirname\(/g) ?? []).length;
        let base = dir;
        // dirname(dirname(abspath(__file__))) is the folder above the file's folder
        for (let k = 1; k < ups; k++) base = path.dirname(base);
        if (parts.length > 0) add(path.join(base, ...parts), `${rel(f.path)}:${lineOf(text, m.index)} sys.path`);
      }
    }
    if (f.kind === 'dockerfile') {
      const text = fs.readText(f.path);
      if (!text || !/PYTHONPATH/.test(text)) continue;
      try {
        const stage = finalStage(parseDockerfile(f.path, text));
        const pp = stage?.env.get('PYTHONPATH');
        if (!stage || !pp) continue;
        for (const p of pp.value.split(':')) {
          if (!p.startsWith('/')) continue;
          const norm = withoutTrailingSlashes(path.posix.normalize(p));
          for (const c of stage.copies) {
            if (c.from) continue;
            const dest = withoutTrailingSlashes(c.dest);
            for (const s of c.sources) {
              const src = path.resolve(dir, s);
              if (norm === dest) add(c.sources.length === 1 && directories.has(src) ? src : dir, `${rel(f.path)} PYTHONPATH`);
              else if (norm.startsWith(dest + '/')) add(path.join(src, norm.slice(dest.length + 1)), `${rel(f.path)} PYTHONPATH`);
            }
          }
        }
      } catch {
        // an unreadable Dockerfile names no source root
      }
    }
  }
  // src/ layout: a src folder at the top holding a package
  const src = path.join(top, 'src');
  if (directories.has(src) && [...pythonFiles].some((p) => path.basename(p) === '__init__.py' && path.dirname(path.dirname(p)) === src))
    add(src, 'src/ layout');
  return out;
}
