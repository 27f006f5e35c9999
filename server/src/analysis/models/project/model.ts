// The project model: the Django projects of a workspace, their settings modules, which module is the
// production one (and why), what is only used for development or tests, and the Django version.
//
// Production is, in order: the user's choice (setting / --settings); the module production entry
// points name (wsgi.py/asgi.py, Procfile, Dockerfile ENV, docker-compose environment, systemd
// Environment=, .env.production…), or the production-named module beside it that extends the one
// wsgi.py merely defaults to; by name (production, prod, live, deploy, then staging); the only
// settings module; and last the module manage.py names (usually the development one). When an
// entry point names a module the workspace lacks (copied in when the image is built, supplied on
// the server), the last two guesses are not made: they would analyse another module.
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import { nearestProjectConfig, withConfig, type ProjectConfig } from './config';
import type { ScanResult, ScannedFile } from '../../files/scan';
import { detectVersions, type DjangoVersion, type ProjectVersions } from './version';
import { parseCompose } from '../../readers/container/compose';
import { DEPLOY_KINDS, deployMentions } from '../../readers/deploy';
import { kustomizedFiles } from '../../readers/kubernetes/kustomize';
import { servedApps } from './served';
import { findSelector, productionValue, type EnvChoice } from './selector';
import { isTemplateName } from '../../catalogue/templateNames';
import { repositoryOf, type Repository, type SourceRoot } from './repository';

export type ModuleRole = 'production' | 'development' | 'test' | 'shared';

export interface SettingsModule {
  readonly name: string;
  readonly file: string;
  readonly isPackage: boolean;
}

/** A place that names a settings module (DJANGO_SETTINGS_MODULE=…, --settings=…). */
export interface SettingsMention {
  readonly module: string;
  readonly file: string;
  /** Zero-based line. */
  readonly line: number;
  readonly kind: ScannedFile['kind'] | 'pytest';
  /** The mention is in a file meant for development or tests (local.yml, .env, pytest.ini…). */
  readonly devOnly: boolean;
  /** In an app module a production process serves: how it is started ("gunicorn in Procfile (web):1"). */
  readonly servedBy?: string;
  /** Set in the environment of a process a deployment file runs (a manifest's container, a platform's process). */
  readonly process?: string;
}

export interface ProductionChoice {
  readonly module: SettingsModule;
  readonly via: 'user' | 'entry-point' | 'name' | 'only' | 'manage';
  /** Human-readable reason, e.g. "named by wsgi.py (DJANGO_SETTINGS_MODULE)". */
  readonly reason: string;
  readonly mention?: SettingsMention;
}

export interface DjangoProject {
  /** sys.path root: the folder of manage.py (or derived from the package layout). */
  readonly root: string;
  /** Display name: the folder name, or the settings package. */
  readonly name: string;
  readonly manage?: string;
  readonly settingsModules: SettingsModule[];
  readonly mentions: SettingsMention[];
  readonly production?: ProductionChoice;
  /** Why no production module could be chosen. */
  readonly noProductionReason?: string;
  /**
   * Variables that select what the production module loads (`DJANGO_ENV` of a settings package that
   * includes `environments/{DJANGO_ENV}.py`), with the value production runs with and its evidence.
   */
  readonly productionEnv?: readonly EnvChoice[];
  readonly djangoVersion: DjangoVersion;
  /** Django (the same as djangoVersion), gunicorn and uvicorn as the dependency files name them. */
  readonly versions: ProjectVersions;
  /** Deployment-related files that apply to this project (Procfile, Dockerfile, gunicorn configs…). */
  readonly files: ScannedFile[];
  /** Search roots for absolute imports. */
  readonly importRoots: string[];
  /** Source roots besides the project's own folders (setup.cfg package dirs, src/, sys.path, PYTHONPATH). */
  readonly sourceRoots: readonly SourceRoot[];
  /** The repository root, when it is above the analysed folder (its process files were read too). */
  readonly repositoryRoot?: string;
  /** `[tool.django-deploy-check]` of the pyproject.toml nearest to the project ({} when none). */
  readonly config: ProjectConfig;
}

export interface ProjectOptions {
  /** Dotted production settings module chosen by the user. */
  readonly productionSettingsModule?: string;
  readonly djangoVersion?: string;
  /**
   * Options of single workspace folders (keyed by the folder's path), in place of the ones above for
   * the projects in that folder: a multi-root workspace's folder settings.
   */
  readonly byFolder?: Readonly<Record<string, ProjectOptions>>;
  /**
   * Wall-clock deadline (Date.now() ms) of the run: finding the projects and reading their
   * dependency files stop there, and what they left out is said (see Discovery).
   */
  readonly runDeadline?: number;
}

/** The projects found in one folder, and the candidate project folders the deadline left unread. */
export interface Discovery {
  readonly projects: DjangoProject[];
  readonly unfinished: readonly string[];
}

/** `options` as they apply in the workspace folder `folder`: its own options over the shared ones. */
export function optionsForFolder<T extends ProjectOptions>(options: T, folder: string | undefined): T {
  const own = folder === undefined ? undefined : options.byFolder?.[folder];
  return own ? ({ ...options, ...own } as T) : options;
}

const PROD_NAMES = ['production', 'prod', 'live', 'deploy', 'deployment', 'staging'];
const DEV_NAMES = new Set(['local', 'dev', 'develop', 'development', 'devel']);
const TEST_NAMES = new Set(['test', 'tests', 'testing', 'ci', 'pytest', 'test_settings', 'settings_test', 'settings_tests']);

/** The role a module's own name suggests. */
export function roleByName(moduleName: string): ModuleRole | undefined {
  const parts = moduleName.toLowerCase().split('.');
  const last = parts[parts.length - 1]!;
  const words = last.split(/[_-]/);
  const all = [last, ...words];
  if (all.some((w) => TEST_NAMES.has(w))) return 'test';
  if (all.some((w) => DEV_NAMES.has(w))) return 'development';
  if (all.some((w) => PROD_NAMES.includes(w))) return 'production';
  return undefined;
}

function prodRank(moduleName: string): number {
  const last = moduleName.toLowerCase().split('.').pop()!;
  const words = [last, ...last.split(/[_-]/)];
  for (let i = 0; i < PROD_NAMES.length; i++) if (words.includes(PROD_NAMES[i]!)) return i;
  return PROD_NAMES.length;
}

/** Dotted module name of `file` relative to `root`, or undefined when it is not importable from there. */
export function moduleNameOf(root: string, file: string): { name: string; isPackage: boolean } | undefined {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel) || !rel.endsWith('.py')) return undefined;
  const parts = rel.slice(0, -3).split(path.sep);
  let isPackage = false;
  if (parts[parts.length - 1] === '__init__') {
    parts.pop();
    isPackage = true;
  }
  if (parts.length === 0 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return undefined;
  return { name: parts.join('.'), isPackage };
}

/** Resolves a dotted module name under the given roots to a file. */
export function resolveModuleFile(
  fs: FileSystem,
  roots: readonly string[],
  name: string,
  known?: ReadonlySet<string>,
): SettingsModule | undefined {
  const rel = name.split('.');
  for (const root of roots) {
    const base = path.join(root, ...rel);
    const asFile = base + '.py';
    const asPkg = path.join(base, '__init__.py');
    if (known ? known.has(asFile) : fs.exists(asFile)) return { name, file: asFile, isPackage: false };
    if (known ? known.has(asPkg) : fs.exists(asPkg)) return { name, file: asPkg, isPackage: true };
  }
  return undefined;
}

/**
 * A settings module the image build creates from a workspace file: a Dockerfile's `RUN cp
 * docker/config.py settings/config.py` (or `mv`, or `COPY docker/config.py settings/config.py`)
 * whose destination ends with the module's path. The source is looked for in the build context (the
 * project's root, the repository's, the Dockerfile's folder).
 */
function copiedModule(
  fs: FileSystem,
  files: readonly ScannedFile[],
  m: SettingsMention,
  suffix: string,
  root: string,
): SettingsModule | undefined {
  for (const f of files) {
    if (f.kind !== 'dockerfile') continue;
    const text = fs.readText(f.path) ?? '';
    if (!text.includes(suffix.slice(suffix.lastIndexOf('/') + 1))) continue;
    for (const line of text.split('\n')) {
      for (const part of line.replace(/^[ \t]*RUN[ \t]+/i, '').split(/&&|;/)) {
        const words = part.trim().split(/[ \t]+/);
        const verb = words[0]?.toLowerCase();
        if (verb !== 'cp' && verb !== 'mv' && verb !== 'copy') continue;
        const args = words.slice(1).filter((w) => !w.startsWith('-'));
        if (args.length !== 2) continue;
        const [src, dst] = args as [string, string];
        if (!src.endsWith('.py') || !('/' + dst.replace(/^\.\//, '')).endsWith(suffix)) continue;
        for (const base of [root, path.dirname(f.path)]) {
          const file = path.resolve(base, src);
          if (file.startsWith(root) && fs.exists(file)) return { name: m.module, file, isPackage: false };
        }
      }
    }
  }
  return undefined;
}

/**
 * A settings module a compose file names and does not ship in the package, but mounts there: a
 * bind mount of a workspace file (`./deploy/production.py:/app/mysite/settings/production.py`)
 * whose path in the container ends with the module's path. The module keeps its name (its relative
 * imports are the package's); its file is the mounted one.
 */
function mountedModule(fs: FileSystem, files: readonly ScannedFile[], m: SettingsMention, root: string): SettingsModule | undefined {
  const suffix = '/' + m.module.split('.').join('/') + '.py';
  const copied = copiedModule(fs, files, m, suffix, root);
  if (copied) return copied;
  if (!files.some((f) => f.path === m.file && f.kind === 'compose')) return undefined;
  const text = fs.readText(m.file);
  if (text === undefined) return undefined;
  for (const s of parseCompose(m.file, text).services) {
    for (const v of s.volumes) {
      const parts = v.split(':');
      const host = parts[0] ?? '';
      const container = parts[1] ?? '';
      if (!/^\.{1,2}\//.test(host) || !host.endsWith('.py') || !container.endsWith(suffix)) continue;
      const file = path.resolve(path.dirname(m.file), host);
      if (fs.exists(file)) return { name: m.module, file, isPackage: false };
    }
  }
  return undefined;
}

// `${DJANGO_SETTINGS_MODULE:-mysite.settings.production}` (compose, shell) names its default.
// Between the name and the value: `=`, `:` or `,`, or spaces alone (one way to read them: the
// separator `\s` between two `\s*` was tried at each character of a run of spaces).
export const MENTION_RE =
  /DJANGO_SETTINGS_MODULE["']?\s*(?:\]\s*)?(?:[=:,]\s*|(?<=\s))["']?(?:\$\{\w+:?-)?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g;
const SETTINGS_FLAG_RE = /--settings[= ]["']?([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)/g;

function mentionIsDevOnly(file: string, root: string): boolean {
  const rel = path.relative(root, file).toLowerCase().split(path.sep).join('/');
  const name = path.basename(rel);
  if (name === 'manage.py') return true;
  if (name === '.env' || name === '.env.local' || name === '.env.dev' || name === '.env.development' || name === '.env.test') return true;
  if (/(^|\/)\.envs\/\.?(local|dev|development|test)\//.test(rel)) return true;
  if (/(override|local|dev|develop|development|test|ci)/.test(name.replace(/\.(ya?ml|env|sh|service|txt)$/, '')) && !/prod/.test(name))
    return true;
  if (/(^|\/)(tests?|\.github|\.gitlab|\.circleci)\//.test(rel)) return true;
  if (name === 'pytest.ini' || name === 'tox.ini' || name === 'setup.cfg' || name === 'conftest.py') return true;
  return false;
}

/** Finds DJANGO_SETTINGS_MODULE / --settings mentions in one file. */
export function findMentions(text: string, file: string, kind: SettingsMention['kind'], root: string): SettingsMention[] {
  const out: SettingsMention[] = [];
  const lines = text.split(/\r?\n/);
  // a Dockerfile's RUN runs while the image is built (`RUN DJANGO_SETTINGS_MODULE=…static collectstatic`):
  // the module it names is the build's, not the one the container serves with
  let inRun = false;
  lines.forEach((l, i) => {
    if (kind === 'dockerfile') {
      const starts = !inRun;
      if (starts) inRun = /^\s*RUN\s/i.test(l);
      const building = inRun;
      if (!l.trimEnd().endsWith('\\')) inRun = false;
      if (building) return;
    }
    if (/^\s*#/.test(l) && kind !== 'dotenv') return;
    for (const re of [MENTION_RE, SETTINGS_FLAG_RE]) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(l))) {
        out.push({ module: m[1]!, file, line: i, kind, devOnly: mentionIsDevOnly(file, root) || kind === 'pytest' });
      }
    }
  });
  return out;
}

function projectRootsOf(fs: FileSystem, scan: ScanResult): string[] {
  const roots = new Set<string>();
  for (const f of scan.files) if (f.kind === 'manage') roots.add(importRootOfManage(fs, scan, f.path));
  if (roots.size > 0) {
    // A manage.py inside a package that another project imports (pulpcore/app/manage.py beside the
    // repository's manage.py) runs the same settings: one project, the outer one.
    const importableFrom = (inner: string, outer: string): boolean => {
      for (let d = inner; d !== outer; d = path.dirname(d)) {
        if (!scan.pythonFiles.has(path.join(d, '__init__.py')) || path.dirname(d) === d) return false;
      }
      return true;
    };
    return [...roots].filter((r) => ![...roots].some((o) => o !== r && isInside(o, r) && importableFrom(r, o)));
  }
  // No manage.py: derive the import root from the package layout of wsgi/asgi/settings files.
  const packageRoot = (file: string): string => {
    let dir = path.dirname(file);
    while (scan.pythonFiles.has(path.join(dir, '__init__.py')) && dir !== scan.root && dir.length > scan.root.length)
      dir = path.dirname(dir);
    return dir;
  };
  for (const f of scan.files) if (f.kind === 'wsgi' || f.kind === 'asgi') roots.add(packageRoot(f.path));
  if (roots.size === 0) for (const f of scan.files) if (f.kind === 'settings') roots.add(packageRoot(f.path));
  // Keep only the outermost of nested roots derived this way.
  const sorted = [...roots].sort((a, b) => a.length - b.length);
  return sorted.filter((r, i) => !sorted.slice(0, i).some((o) => r.startsWith(o + path.sep)));
}

/**
 * The sys.path root of a project with this manage.py: its folder, unless the folder is a package
 * (pulpcore/app/manage.py) whose manage.py names its settings by their full dotted name
 * (`pulpcore.app.settings`), which only imports from the folder above the packages; then that
 * folder, so that module names are full names (no outer project: an outer manage.py is handled
 * where roots are deduplicated).
 */
function importRootOfManage(fs: FileSystem, scan: ScanResult, manage: string): string {
  const dir = path.dirname(manage);
  if (!scan.pythonFiles.has(path.join(dir, '__init__.py'))) return dir;
  let top = dir;
  while (scan.pythonFiles.has(path.join(top, '__init__.py')) && top !== scan.root && isInside(scan.root, path.dirname(top)))
    top = path.dirname(top);
  if (top === dir) return dir;
  const text = fs.readText(manage) ?? '';
  const named = [...text.matchAll(MENTION_RE)].map((m) => m[1]!);
  const fromTop = (name: string): boolean => resolveModuleFile(fs, [top], name, scan.pythonFiles) !== undefined;
  const fromDir = (name: string): boolean => resolveModuleFile(fs, [dir], name, scan.pythonFiles) !== undefined;
  return named.some((n) => fromTop(n) && !fromDir(n)) ? top : dir;
}

const pythonFilesByDir = new WeakMap<ScanResult, Map<string, string[]>>();

/** The Python files of the scan directly in `dir`. */
function pythonFilesIn(scan: ScanResult, dir: string): readonly string[] {
  let byDir = pythonFilesByDir.get(scan);
  if (!byDir) {
    byDir = new Map();
    for (const file of scan.pythonFiles) {
      const d = path.dirname(file);
      const list = byDir.get(d);
      if (list) list.push(file);
      else byDir.set(d, [file]);
    }
    pythonFilesByDir.set(scan, byDir);
  }
  return byDir.get(dir) ?? [];
}

function isInside(dir: string, file: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** Project roots for settings modules here that process files above the analysed folder name. */
function rootsNamedFromOutside(fs: FileSystem, scan: ScanResult, repo: Repository): string[] {
  const out: string[] = [];
  for (const f of repo.outside) {
    const text = fs.readText(f.path);
    if (!text || !/DJANGO_SETTINGS_MODULE|--settings/.test(text)) continue;
    for (const m of findMentions(text, f.path, f.kind, repo.root)) {
      if (m.devOnly) continue;
      const mod = suffixModule(scan, scan.root, m.module);
      if (!mod) continue;
      // the import root: the file's folder less the module's packages
      let r = mod.file.slice(0, -(m.module.split('.').join(path.sep).length + 3));
      r = r.replace(/(?<![\\/])[\\/]+$/, '') || path.sep;
      if (isInside(scan.root, r) && !out.includes(r)) out.push(r);
    }
  }
  return out;
}

/**
 * Whether a process file above the analysed folder starts this project: it names one of its
 * settings modules, serves one of its app modules, or is a gunicorn config or script that a file
 * already counted names.
 */
function startsProject(fs: FileSystem, repo: Repository, root: string, f: ScannedFile, own: readonly ScannedFile[], depth = 0): boolean {
  const text = fs.readText(f.path);
  if (text === undefined) return false;
  const roots = [root, ...repo.sourceRoots.map((r) => r.dir)];
  const inProject = (name: string): boolean => {
    const r = resolveModuleFile(fs, roots, name, repo.pythonFiles);
    if (r) return isInside(root, r.file);
    const tail = path.sep + name.split('.').join(path.sep);
    return [...repo.pythonFiles].some(
      (p) => isInside(root, p) && (p.endsWith(tail + '.py') || p.endsWith(tail + path.sep + '__init__.py')),
    );
  };
  if (
    /DJANGO_SETTINGS_MODULE|--settings/.test(text) &&
    findMentions(text, f.path, f.kind, repo.root).some((m) => !m.devOnly && inProject(m.module))
  )
    return true;
  if (DEPLOY_KINDS.has(f.kind) && deployMentions(fs, f, repo.root).some((m) => !m.devReason && inProject(m.module))) return true;
  if (servedApps(fs, [f], repo.root).some((a) => inProject(a.module))) return true;
  if (f.kind === 'gunicorn' || f.kind === 'python' || f.kind === 'shell') {
    // a config or script the project's own files, or the repository's that start it, name
    const base = path.basename(f.path);
    if (depth >= 2) return false;
    const namers = [...own, ...repo.outside.filter((o) => o !== f && o.kind !== 'gunicorn')];
    return namers.some(
      (o) => (fs.readText(o.path) ?? '').includes(base) && (own.includes(o) || startsProject(fs, repo, root, o, own, depth + 1)),
    );
  }
  return false;
}

/** The workspace module whose dotted name ends with `name` (the app of a process run from a subfolder). */
function suffixModule(scan: ScanResult, root: string, name: string): SettingsModule | undefined {
  const tail = path.sep + name.split('.').join(path.sep) + '.py';
  for (const file of scan.pythonFiles) {
    if (!isInside(root, file) || !file.endsWith(tail)) continue;
    return { name, file, isPackage: false };
  }
  return undefined;
}

/** Builds the projects of one scanned workspace folder. */
export function discoverProjects(fs: FileSystem, scan: ScanResult, options: ProjectOptions = {}): DjangoProject[] {
  return discover(fs, scan, options).projects;
}

/**
 * Builds the projects of one scanned workspace folder, within options.runDeadline: the candidate
 * project folders not reached by then are listed in `unfinished` (their projects are missing).
 */
export function discover(fs: FileSystem, scan: ScanResult, options: ProjectOptions = {}): Discovery {
  const unfinished: string[] = [];
  const projects = discoverWithin(fs, scan, options, unfinished);
  return { projects, unfinished: unfinished.filter((r) => !projects.some((p) => p.root === r)) };
}

function discoverWithin(fs: FileSystem, scan: ScanResult, options: ProjectOptions, unfinished: string[]): DjangoProject[] {
  const repo = repositoryOf(fs, scan);
  const roots = new Set(projectRootsOf(fs, scan));
  // Nothing here looks like a project, but the repository's process files name a settings module
  // that is here (deployment/docker/production_settings.py, named by the Dockerfile at the top).
  if (roots.size === 0 && !late(options)) for (const r of rootsNamedFromOutside(fs, scan, repo)) roots.add(r);
  const projects = projectsFor(fs, scan, repo, roots, options, unfinished);
  // Each settings module belongs to one project: a second project whose production module is the
  // same file (a manage.py linked or copied into a package) is the first one counted twice; the
  // project that imports it by its full dotted name keeps it, with the other one's files.
  const real = (f: string): string => fs.realpath(f) ?? f;
  const keep = new Map<string, DjangoProject>();
  const userFirst = (p: DjangoProject): number => (p.production?.via === 'user' ? 0 : 1);
  for (const p of [...projects].sort(
    (a, b) =>
      userFirst(a) - userFirst(b) ||
      (b.production?.module.name.length ?? 0) - (a.production?.module.name.length ?? 0) ||
      a.root.length - b.root.length,
  )) {
    if (!p.production) continue;
    const key = real(p.production.module.file);
    if (!keep.has(key)) keep.set(key, p);
  }
  const kept = [...keep.values()];
  const dropped = projects.filter((p) =>
    p.production
      ? p.production.via !== 'user' && keep.get(real(p.production.module.file)) !== p
      : // a project inside another whose entry points name the other's production module
        kept.some(
          (k) => k !== p && isInside(p.root, k.production!.module.file) && p.mentions.some((m) => m.module === k.production!.module.name),
        ),
  );
  if (dropped.length === 0) return projects;
  for (const d of dropped) roots.delete(d.root);
  unfinished.length = 0;
  return projectsFor(fs, scan, repo, roots, options, unfinished);
}

/** Whether the run's deadline has passed. */
function late(options: ProjectOptions): boolean {
  return options.runDeadline !== undefined && Date.now() > options.runDeadline;
}

function projectsFor(
  fs: FileSystem,
  scan: ScanResult,
  repo: Repository,
  roots: Set<string>,
  options: ProjectOptions,
  unfinished: string[],
): DjangoProject[] {
  // Each file belongs to the innermost project root above it (looked up by walking up its folders:
  // a monorepo or a folder of fixtures may hold hundreds of projects and tens of thousands of files).
  const owned = new Map<string, ScannedFile[]>([...roots].map((r) => [r, []]));
  const ownerOfDir = new Map<string, string | null>();
  const ownerOf = (dir: string): string | null => {
    let o = ownerOfDir.get(dir);
    if (o !== undefined) return o;
    const parent = path.dirname(dir);
    o = roots.has(dir) ? dir : parent === dir ? null : ownerOf(parent);
    ownerOfDir.set(dir, o);
    return o;
  };
  // A file no project holds (a repository-level Procfile, deploy/Dockerfile, .github/workflows) goes
  // to the projects under the innermost folder above it that holds any: in a monorepo, to the
  // projects of its part. Plain Python modules outside every project are not deployment files.
  const rootsUnder = new Map<string, string[]>();
  for (const r of roots) {
    for (let d = path.dirname(r); ; d = path.dirname(d)) {
      const list = rootsUnder.get(d);
      if (list) list.push(r);
      else rootsUnder.set(d, [r]);
      if (d === scan.root || path.dirname(d) === d) break;
    }
  }
  const sharedWith = (dir: string): readonly string[] => {
    for (let d = dir; ; d = path.dirname(d)) {
      const list = rootsUnder.get(d);
      if (list) return list;
      if (path.dirname(d) === d) return [];
    }
  };
  for (const f of scan.files) {
    const dir = path.dirname(f.path);
    const o = ownerOf(dir);
    if (o) owned.get(o)!.push(f);
    else if (f.kind !== 'python') for (const r of sharedWith(dir)) owned.get(r)!.push(f);
  }
  const projects: DjangoProject[] = [];
  for (const root of [...roots].sort()) {
    if (late(options)) {
      unfinished.push(root);
      continue;
    }
    // Files inside this root (and not inside a nested project), then the ones it shares, in scan order.
    const files = [...owned.get(root)!, ...repo.outside.filter((f) => startsProject(fs, repo, root, f, owned.get(root)!))];
    const config = nearestProjectConfig(fs, root, scan.root);
    projects.push(buildProject(fs, scan, root, files, withConfig(options, config), config, repo));
  }
  return projects;
}

function buildProject(
  fs: FileSystem,
  scan: ScanResult,
  root: string,
  files: ScannedFile[],
  options: ProjectOptions,
  config: ProjectConfig,
  repo: Repository,
): DjangoProject {
  const importRoots = [root];
  if (root !== scan.root && isInside(scan.root, root)) {
    // src/ layouts and monorepos sometimes put packages beside the project root.
    const parent = path.dirname(root);
    if (isInside(scan.root, parent)) importRoots.push(parent);
  }
  for (const r of repo.sourceRoots) if (!importRoots.includes(r.dir)) importRoots.push(r.dir);
  const known = repo.pythonFiles;
  const manage = files.find((f) => f.kind === 'manage')?.path;
  const modules = new Map<string, SettingsModule>();
  const addModule = (file: string): SettingsModule | undefined => {
    const mn = moduleNameOf(root, file);
    if (!mn) return undefined;
    const m = { name: mn.name, file, isPackage: mn.isPackage };
    if (!modules.has(m.name)) modules.set(m.name, m);
    return modules.get(m.name);
  };
  for (const f of files) if (f.kind === 'settings' && isInside(root, f.path)) addModule(f.path);

  const mentions: SettingsMention[] = [];
  const mentionKinds = new Set([
    'appconfig',
    'manage',
    'wsgi',
    'asgi',
    'procfile',
    'dockerfile',
    'compose',
    'systemd',
    'dotenv',
    'shell',
    'config',
    'ci',
    'gunicorn',
  ]);
  for (const f of files) {
    if (!mentionKinds.has(f.kind)) continue;
    const text = fs.readText(f.path);
    if (!text || !/DJANGO_SETTINGS_MODULE|--settings/.test(text)) continue;
    const kind = path.basename(f.path) === 'pytest.ini' ? 'pytest' : f.kind;
    mentions.push(...findMentions(text, f.path, kind, root));
  }
  // the environment of the processes deployment files run (a manifest's `env:` list, render's
  // `envVars`, app.json's `env`), read by their readers: what a pattern on one line cannot see
  // (the resources and patches a kustomization reads count through it: a base is not deployed alone)
  const kustomized = kustomizedFiles(fs, files);
  const fromDeploy = new Set<SettingsMention>();
  for (const f of files) {
    if (!DEPLOY_KINDS.has(f.kind) || kustomized?.has(f.path)) continue;
    for (const d of deployMentions(fs, f, root)) {
      const devOnly = !!d.devReason || mentionIsDevOnly(f.path, root);
      const i = mentions.findIndex((m) => m.file === d.file && m.line === d.line && m.module === d.module);
      // a value two deployments read (a base under a production and a development overlay) is
      // production's when either is production
      const prev = i >= 0 && fromDeploy.has(mentions[i]!) ? mentions[i]! : undefined;
      const m: SettingsMention = {
        module: d.module,
        file: d.file,
        line: d.line,
        kind: f.kind,
        devOnly: devOnly && (prev?.devOnly ?? true),
        process: prev && !prev.devOnly ? prev.process : d.label,
      };
      fromDeploy.add(m);
      if (i >= 0) mentions[i] = m;
      else mentions.push(m);
    }
  }
  for (const cfg of ['pytest.ini', 'setup.cfg', 'tox.ini', 'pyproject.toml']) {
    const p = path.join(root, cfg);
    const text = fs.readText(p);
    if (text && /DJANGO_SETTINGS_MODULE/.test(text))
      mentions.push(...findMentions(text, p, 'pytest', root).map((m) => ({ ...m, devOnly: true })));
  }
  // The app modules production processes serve (`gunicorn pkg.prod_wsgi:application`): the settings
  // they name are what those processes run, whatever another wsgi.py names.
  for (const app of servedApps(fs, files, root)) {
    if (!app.production) continue;
    const mod = resolveModuleFile(fs, importRoots, app.module, known) ?? suffixModule(scan, root, app.module);
    if (!mod || mod.isPackage) continue;
    const text = fs.readText(mod.file);
    if (!text || !/DJANGO_SETTINGS_MODULE/.test(text)) continue;
    const servedBy = `${path.basename(app.file)}:${app.line + 1}`;
    for (const m of findMentions(text, mod.file, 'wsgi', root)) {
      if (!mentions.some((o) => o.file === m.file && o.line === m.line && o.servedBy)) mentions.push({ ...m, devOnly: false, servedBy });
    }
  }
  // Modules that mentions name are settings modules even when not called settings*.
  const named: SettingsModule[] = [];
  for (const m of mentions) {
    if (!modules.has(m.module)) {
      // …or that a compose service mounts into the package (`./deploy/prod.py:/app/mysite/settings/prod.py`)
      const r = resolveModuleFile(fs, importRoots, m.module, known) ?? mountedModule(fs, scan.files, m, root);
      if (r) {
        modules.set(r.name, r);
        named.push(r);
      }
    }
  }
  // …and so are the modules beside them that extend them (config/django/production.py doing
  // `from .base import *` when wsgi.py names config.django.base), also when the module wsgi.py
  // defaults to is a settings module by its own name (mysite/production.py extending mysite.settings)
  for (const m of mentions) {
    const mod = (m.kind === 'wsgi' || m.kind === 'asgi') && modules.get(m.module);
    if (mod && !named.includes(mod)) named.push(mod);
  }
  for (const m of named) {
    if (m.isPackage) continue;
    for (const file of pythonFilesIn(scan, path.dirname(m.file))) {
      if (file === m.file) continue;
      const mn = moduleNameOf(root, file);
      if (!mn || modules.has(mn.name) || roleByName(mn.name) === undefined) continue;
      if (extendsModule(fs.readText(file), m)) addModule(file);
    }
  }
  const settingsModules = [...modules.values()].sort((a, b) => a.name.localeCompare(b.name));
  const versions = detectVersions(
    fs,
    files,
    root,
    options.djangoVersion,
    settingsModules.map((m) => m.file),
    options.runDeadline,
  );
  const djangoVersion = versions.django;
  const repositoryRoot = repo.root !== scan.root ? repo.root : undefined;
  const base = {
    root,
    name: path.basename(root) || root,
    manage,
    settingsModules,
    mentions,
    djangoVersion,
    versions,
    files,
    importRoots,
    sourceRoots: repo.sourceRoots,
    ...(repositoryRoot ? { repositoryRoot } : {}),
    config,
  };
  const choice = chooseProduction(fs, known, importRoots, settingsModules, mentions, options);
  if ('module' in choice) {
    // A module that picks what it loads by an environment variable: production's value of it.
    const text = fs.readText(choice.module.file) ?? '';
    const selector = findSelector(text);
    const env = selector ? productionValue(fs, files, root, selector, choice.module.file) : undefined;
    // django-configurations: the class the deployment names (the code's own default is development's)
    const configuration = /^(?:(?![\n\r\u2028\u2029])\s)*(?:from|import)\s+configurations\b/m.test(text)
      ? productionValue(fs, files, root, { name: 'DJANGO_CONFIGURATION', line: 0 }, choice.module.file)
      : undefined;
    const envs = [env, configuration].filter((e): e is EnvChoice => e !== undefined && (e === env || !e.fromDefault));
    if (envs.length > 0) {
      const reason = [
        choice.reason,
        ...envs.map((e) => `${e.name}=${e.value} ${e.fromDefault ? `(${e.evidence})` : `from ${e.evidence}`}`),
      ].join('; ');
      return { ...base, production: { ...choice, reason }, productionEnv: envs };
    }
    return { ...base, production: choice };
  }
  return { ...base, noProductionReason: choice.reason };
}

/** The template beside a module file the deployment supplies (see isTemplateName), if any. */
export function templateBeside(fs: FileSystem, file: string): string | undefined {
  const stem = path.basename(file, '.py');
  return fs
    .readDir(path.dirname(file))
    .filter((e) => e.isFile && isTemplateName(stem, e.name))
    .map((e) => e.name)
    .sort()[0];
}

/** Whether a module's text imports everything from `base` (`from .base import *`, `from config.django.base import *`). */
export function extendsModule(text: string | undefined, base: Pick<SettingsModule, 'name'>): boolean {
  if (!text) return false;
  const stem = base.name.split('.').pop()!;
  for (const m of text.matchAll(STAR_IMPORT)) if (m[1] === `.${stem}` || m[1] === base.name) return true;
  return false;
}

/**
 * `from module import *` on a line (one broken over lines without a backslash, which Python rejects,
 * is not read): the module. The spaces before it are \s but line breaks (^\s* ran over every blank
 * line below each line start).
 */
const STAR_IMPORT = /^(?:(?![\n\r\u2028\u2029])\s)*from[^\S\n\r\u2028\u2029]+(\S+)[^\S\n\r\u2028\u2029]+import[^\S\n\r\u2028\u2029]+\*/gm;

/** A module with nothing but comments, docstrings and blank lines (an empty package __init__). */
function isEmptyModule(text: string | undefined): boolean {
  if (text === undefined) return true;
  const stripped = text
    .replace(/("""|''')[\s\S]*?\1/g, '')
    .replace(/#.*$/gm, '')
    .trim();
  return stripped === '';
}

/** Where a module missing from the workspace would be, when its package exists (settings/config.py). */
function missingModulePath(fs: FileSystem, roots: readonly string[], name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length < 2) return undefined;
  const pkg = resolveModuleFile(fs, roots, parts.slice(0, -1).join('.'));
  return pkg?.isPackage ? path.join(path.dirname(pkg.file), parts[parts.length - 1]! + '.py') : undefined;
}

const SETTING_ASSIGNMENT = /^(?:DEBUG|SECRET_KEY|INSTALLED_APPS|DATABASES|ALLOWED_HOSTS|MIDDLEWARE|ROOT_URLCONF)[ \t]*=/gm;

/** A module that assigns at least two of Django's central settings at its top level, or star-imports a sibling. */
function writesSettings(text: string | undefined): boolean {
  if (!text) return false;
  let n = 0;
  for (const _ of text.matchAll(SETTING_ASSIGNMENT)) if (++n >= 2) return true;
  // …or takes them all from a sibling (`from .base import *`)
  return /^from[ \t]+\.[\w.]*[ \t]+import[ \t]+\*/m.test(text);
}

function lineAt(fs: FileSystem, m: SettingsMention): string {
  return (fs.readText(m.file) ?? '').split(/\r?\n/)[m.line] ?? '';
}

function chooseProduction(
  fs: FileSystem,
  known: ReadonlySet<string>,
  roots: string[],
  modules: SettingsModule[],
  mentions: SettingsMention[],
  options: ProjectOptions,
): ProductionChoice | { reason: string } {
  // A module by its dotted name; when the deployment runs from a subfolder (WORKDIR /app/src), the
  // workspace module whose name ends with it (src.shop.settings for shop.settings).
  const byName = (name: string): SettingsModule | undefined =>
    modules.find((m) => m.name === name) ?? resolveModuleFile(fs, roots, name, known) ?? modules.find((m) => m.name.endsWith('.' + name));
  if (options.productionSettingsModule) {
    const m = byName(options.productionSettingsModule);
    if (m) return { module: m, via: 'user', reason: `chosen in the settings (${options.productionSettingsModule})` };
  }
  const where = (m: SettingsMention): string => {
    const rel = path.basename(m.file);
    return `${rel}:${m.line + 1}`;
  };
  const entry = mentions.filter(
    (m) => !m.devOnly && m.kind !== 'manage' && roleByName(m.module) !== 'development' && roleByName(m.module) !== 'test',
  );
  const resolvable = entry
    .map((m) => ({ m, mod: byName(m.module) }))
    .filter(
      (x): x is { m: SettingsMention; mod: SettingsModule } => !!x.mod && !(x.mod.isPackage && isEmptyModule(fs.readText(x.mod.file))),
    );
  if (resolvable.length > 0) {
    // Several entry points may disagree (a Dockerfile and a Procfile): prefer production-like names,
    // then wsgi/asgi, then the rest in scan order.
    const kindRank: Record<string, number> = {
      wsgi: 0,
      asgi: 1,
      procfile: 2,
      manifest: 2,
      appconfig: 5,
      dockerfile: 3,
      compose: 4,
      systemd: 5,
      dotenv: 6,
      config: 7,
      shell: 8,
      gunicorn: 9,
      ci: 10,
    };
    resolvable.sort((a, b) => prodRank(a.mod.name) - prodRank(b.mod.name) || (kindRank[a.m.kind] ?? 20) - (kindRank[b.m.kind] ?? 20));
    if (resolvable.some((x) => x.m.servedBy)) {
      // A production process serves an app module that names its settings: that module's assignment
      // wins over everything, an environment the deployment sets (Dockerfile ENV, a Procfile's
      // `DJANGO_SETTINGS_MODULE=…`) over its setdefault(), and that over other wsgi.py files, which
      // no production process serves.
      const rank = (x: { m: SettingsMention }): number =>
        x.m.servedBy ? (/setdefault/.test(lineAt(fs, x.m)) ? 2 : 0) : x.m.kind === 'wsgi' || x.m.kind === 'asgi' ? 3 : 1;
      const served = resolvable.filter((x) => rank(x) < 3).sort((a, b) => rank(a) - rank(b));
      resolvable.splice(0, resolvable.length, ...served);
    }
    // The environment a deployment file gives the process it runs (a manifest's container, a
    // platform's process, a uWSGI `env =`) is what Django reads: a wsgi.py setdefault() is only
    // the default it overrides, and a module's name is only a guess.
    const fromProcess = resolvable.filter((x) => x.m.process);
    if (
      fromProcess.length > 0 &&
      !resolvable[0]!.m.process &&
      !(resolvable[0]!.m.servedBy && !/setdefault/.test(lineAt(fs, resolvable[0]!.m)))
    ) {
      resolvable.splice(0, resolvable.length, ...fromProcess, ...resolvable.filter((x) => !x.m.process));
    }
    const best = resolvable[0]!;
    const by = best.m.servedBy
      ? `, the app that ${best.m.servedBy} serves`
      : best.m.process
        ? `, the environment of ${best.m.process}`
        : '';
    // other production evidence naming another module: said, with where
    const others = [
      ...new Map(
        resolvable.filter((x) => x.mod.name !== best.mod.name && x.m.kind !== 'wsgi' && x.m.kind !== 'asgi').map((x) => [x.mod.name, x]),
      ).values(),
    ];
    const also = others.length > 0 ? `; other deployment files name ${others.map((x) => `${x.mod.name} (${where(x.m)})`).join(', ')}` : '';
    // wsgi.py's setdefault() is a default the deployment may override: when it names a neutral
    // module (config.django.base) that a production-named module beside it extends, and no other
    // entry point (a Dockerfile ENV, a Procfile) names it too, production runs that one.
    const explicit = resolvable.some((x) => x.mod.name === best.mod.name && x.m.kind !== 'wsgi' && x.m.kind !== 'asgi');
    if (
      (best.m.kind === 'wsgi' || best.m.kind === 'asgi') &&
      !explicit &&
      !best.mod.isPackage &&
      roleByName(best.mod.name) === undefined &&
      /setdefault/.test(lineAt(fs, best.m))
    ) {
      const dir = path.dirname(best.mod.file);
      const ext = modules
        .filter(
          (m) =>
            roleByName(m.name) === 'production' &&
            !m.isPackage &&
            path.dirname(m.file) === dir &&
            extendsModule(fs.readText(m.file), best.mod),
        )
        .sort((a, b) => prodRank(a.name) - prodRank(b.name))[0];
      if (ext)
        return {
          module: ext,
          via: 'entry-point',
          reason: `${ext.name} extends ${best.mod.name}, the default of ${where(best.m)} (DJANGO_SETTINGS_MODULE)${by}`,
          mention: best.m,
        };
    }
    return {
      module: best.mod,
      via: 'entry-point',
      reason: `named by ${where(best.m)} (DJANGO_SETTINGS_MODULE)${by}${also}`,
      mention: best.m,
    };
  }
  // A settings package whose __init__ assembles its modules with django-split-settings' include():
  // those modules are components (environments/production.py is not a settings module by itself).
  const splitPackages = modules.filter((m) => m.isPackage && /\bsplit_settings\b/.test(fs.readText(m.file) ?? ''));
  const isComponent = (m: SettingsModule): boolean => splitPackages.some((p) => m.name.startsWith(p.name + '.'));
  const prodNamed = modules
    .filter((m) => roleByName(m.name) === 'production' && !isComponent(m))
    .sort((a, b) => prodRank(a.name) - prodRank(b.name));
  if (prodNamed.length > 0) return { module: prodNamed[0]!, via: 'name', reason: `its name (${prodNamed[0]!.name}) says production` };
  if (splitPackages.length === 1)
    return { module: splitPackages[0]!, via: 'only', reason: 'it assembles the settings with django-split-settings' };
  // An entry point names a module this workspace does not have (created when the image is built,
  // or supplied on the server): the remaining guesses would analyse some other module as production.
  const unresolved = entry.find((m) => !byName(m.module));
  if (unresolved) {
    const file = missingModulePath(fs, roots, unresolved.module);
    const template = file ? templateBeside(fs, file) : undefined;
    const supplied = template ? ` (the deployment supplies it; its template ${template} is here)` : '';
    // the modules beside where it would be that write Django settings: what production may run instead
    const dir = file ? path.dirname(file) : undefined;
    const pkg = unresolved.module.split('.').slice(0, -1).join('.');
    const candidates = dir
      ? [...known]
          .filter((f) => path.dirname(f) === dir && f.endsWith('.py') && !f.endsWith('__init__.py') && writesSettings(fs.readText(f)))
          .map((f) => `${pkg}.${path.basename(f, '.py')}`)
          .sort()
          .slice(0, 6)
      : [];
    const also = !template && candidates.length > 0 ? `; modules beside it that write settings: ${candidates.join(', ')}` : '';
    return {
      reason: `${unresolved.module}, named by ${where(unresolved)} (DJANGO_SETTINGS_MODULE), is not in the workspace${supplied}${also}; set djangoDeployHygiene.productionSettingsModule to the module to analyse as production`,
    };
  }
  // An empty settings package (`settings/__init__.py` with nothing in it) is not a settings module.
  const neutral = modules.filter((m) => roleByName(m.name) === undefined && !(m.isPackage && isEmptyModule(fs.readText(m.file))));
  // A settings package whose __init__ is the entry and other modules only its parts.
  const entryCandidates = neutral.filter((m) => !neutral.some((o) => o !== m && o.isPackage && m.name.startsWith(o.name + '.')));
  if (entryCandidates.length === 1)
    return { module: entryCandidates[0]!, via: 'only', reason: 'it is the only settings module not meant for development or tests' };
  const manage = mentions.find((m) => m.kind === 'manage');
  const manageMod = manage ? byName(manage.module) : undefined;
  // …but never a module whose name says development or tests: its findings would not be production's
  const manageRole = manageMod ? roleByName(manageMod.name) : undefined;
  if (manageMod && manageRole !== 'test' && manageRole !== 'development') {
    return { module: manageMod, via: 'manage', reason: `named by manage.py, as nothing else names a production module`, mention: manage };
  }
  if (modules.length === 0) return { reason: 'no settings module was found' };
  return {
    reason: `no production settings module could be chosen among ${modules.map((m) => m.name).join(', ')}; set djangoDeployHygiene.productionSettingsModule`,
  };
}
