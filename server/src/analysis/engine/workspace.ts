// The analysed workspace: its folders, their scans and projects, and the parsed Python documents.
// The CLI builds one and analyses it once; the language server keeps one alive, feeding it the open
// editor buffers (whose documents it edits in place) and file-watcher events.
import * as path from 'node:path';
import type { DataNode, ModuleHost, Resolution } from '../eval/host';
import type { ModuleRef } from '../eval/scope';
import { computeLineStarts, positionIn, PythonDocument } from '../parse/pythonDocument';
import { PARSE_TIME_LIMIT_MS } from '../parse/treeSitter';
import { isWithin, MAX_FILE_BYTES, type FileSystem } from '../files/fs';
import { discover, optionsForFolder, type DjangoProject, type ProjectOptions } from '../models/project/model';
import { scanWorkspace, type ScanResult, type ScannedFile } from '../files/scan';
import { enterPhase, enterProject } from '../base/progress';
import { isJinjaPythonTemplate, isPythonTemplate } from '../catalogue/templateNames';
import { pythonTemplateAsText } from '../readers/jinja';
import { type AnsibleScope, ansibleScopes, renderedWith, templateExpressionValue } from '../readers/ansible';
import { parseYaml } from '../readers/yaml';
import { renderedInto } from '../models/project/renderedTemplates';

const PARSE_TIMED_OUT = `parsing it did not finish in time (at most ${PARSE_TIME_LIMIT_MS / 1000} s a file, within the analysis budget)`;

interface CachedDoc {
  readonly text: string;
  readonly doc: PythonDocument;
}

export class Workspace {
  private readonly scans = new Map<string, ScanResult>();
  private projectsCache: DjangoProject[] | undefined;
  private projectOptionsKey = '';
  private readonly closedDocs = new Map<string, CachedDoc>();
  /** Documents of files the deployment places in the package (a mounted ConfigMap): their text is written elsewhere. */
  private readonly virtualDocs = new Map<string, CachedDoc>();
  private readonly openDocs = new Map<string, PythonDocument>();
  /** Files that could not be analysed (too large, binary…), with the reason; reported once. */
  readonly skipped = new Map<string, string>();
  /**
   * Whether paths exist, for module resolution: every `import os` probes os.py and os/__init__.py
   * under each import root, and re-evaluating after each keystroke must not repeat those probes.
   * Only files being created or deleted change the answers (a structural invalidation clears it).
   */
  private readonly existsCache = new Map<string, boolean>();
  /** Module resolutions by project, level, name (and importing package); same lifetime. */
  readonly resolutionCache = new Map<string, Resolution>();

  constructor(
    readonly fs: FileSystem,
    readonly folders: readonly string[],
  ) {}

  // ---- documents -------------------------------------------------------------------------------

  /** Registers an open editor buffer; its document is edited in place by the caller. */
  setOpenDocument(file: string, doc: PythonDocument): void {
    // an open buffer can make a module resolvable before it exists on disk
    if (!this.openDocs.has(file)) this.resolutionCache.clear();
    this.openDocs.set(file, doc);
  }

  closeDocument(file: string): void {
    this.openDocs.delete(file);
    this.closedDocs.delete(file);
    this.resolutionCache.clear();
  }

  isOpen(file: string): boolean {
    return this.openDocs.has(file);
  }

  /** Whether a file is read as Python: a .py module, or an open Python buffer. */
  isPython(file: string): boolean {
    // (a module's committed template, `settings.py.sample`: the production module a deployment supplies may be read from it)
    return file.endsWith('.py') || file.endsWith('.pyw') || this.openDocs.has(file) || isPythonTemplate(path.basename(file));
  }

  /**
   * The text of any file (the open buffer, else the file on disk), never parsed: Procfiles,
   * Dockerfiles, unit files and the like are read as text. Undefined (and the reason kept in
   * `skipped`) when it cannot be read.
   */
  text(file: string): string | undefined {
    const open = this.openDocs.get(file);
    if (open) return open.text;
    return this.readText(file);
  }

  /**
   * Whether a file is inside the analysed roots, its symlinks resolved: nothing outside them is
   * read (a django-split-settings `include("/etc/passwd")` or `include("../../elsewhere/x.py")`, a
   * settings.py symlinked to a file elsewhere). The roots are the analysed folders and the git
   * repositories around them that their projects belong to (a deployment folder's imports resolve
   * through the repository's src/). A file that does not exist is judged by its path.
   */
  contains(file: string): boolean {
    let r = this.insideCache.get(file);
    if (r === undefined) {
      const abs = path.resolve(file);
      const roots = this.roots();
      if (!roots.some((f) => isWithin(f, abs))) r = false;
      else {
        const real = this.fs.realpath(abs);
        this.realFolders ??= roots.map((f) => this.fs.realpath(f) ?? f);
        r = real === undefined || this.realFolders.some((f) => isWithin(f, real));
      }
      this.insideCache.set(file, r);
    }
    return r;
  }

  /** The analysed folders, and the repository roots of their projects once they are known. */
  private roots(): string[] {
    if (!this.projectsCache) return [...this.folders];
    const repos = this.projectsCache.map((p) => p.repositoryRoot).filter((r): r is string => r !== undefined);
    return [...new Set([...this.folders, ...repos])];
  }

  private readonly insideCache = new Map<string, boolean>();
  private realFolders: string[] | undefined;

  /**
   * The texts read from the file system during the analysis under way (see readingOnce), by path
   * (undefined: unreadable), while one is under way.
   */
  private readsThisAnalysis: Map<string, string | undefined> | undefined;

  /**
   * Runs one analysis: while it runs, each file's text is asked of the file system once. The file
   * system keeps texts while their stat is the same, so each read was a stat, and a missing file two:
   * an analysis of DefectDojo stat-ed 68 times, 28 of them the two places of `dojo.middleware`
   * (`dojo/middleware.py`, `dojo/middleware/__init__.py`), asked again for each MIDDLEWARE entry
   * naming a class there; now 38 (stat calls were 0.5-0.7 ms of a 4-5 ms keystroke in process). The
   * files cannot change under one analysis (it runs without yielding), and the next asks again.
   * Nested calls share the outer one's reads.
   */
  readingOnce<T>(fn: () => T): T {
    if (this.readsThisAnalysis) return fn();
    this.readsThisAnalysis = new Map();
    try {
      return fn();
    } finally {
      this.readsThisAnalysis = undefined;
    }
  }

  private readText(file: string): string | undefined {
    const reads = this.readsThisAnalysis;
    if (reads?.has(file)) return reads.get(file);
    const text = this.readTextNow(file);
    reads?.set(file, text);
    return text;
  }

  private readTextNow(file: string): string | undefined {
    if (!this.contains(file)) {
      this.skipped.set(file, 'it is outside the analysed folders');
      this.closedDocs.delete(file);
      return undefined;
    }
    const text = this.fs.readText(file);
    if (text === undefined) {
      const size = this.fs.size(file);
      if (size !== undefined && size > MAX_FILE_BYTES) this.skipped.set(file, `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      else if (size !== undefined) this.skipped.set(file, 'not a text file');
      this.closedDocs.delete(file);
      return undefined;
    }
    return text;
  }

  /**
   * The parsed document of a Python file: the open buffer, else the file on disk (parsed once,
   * cached). Undefined for files that are not Python (see text()), and for files that cannot be
   * read or whose parse ran out of time (the reason is kept in `skipped`).
   */
  document(file: string): PythonDocument | undefined {
    const open = this.openDocs.get(file);
    if (open) {
      if (!open.timedOut) return open;
      this.skipped.set(file, PARSE_TIMED_OUT);
      return undefined;
    }
    if (!this.isPython(file)) return undefined;
    const raw = this.readText(file);
    if (raw === undefined) return undefined;
    // (a module's Jinja template, settings.py.j2: the Python it renders to, its Jinja parts values filled in then)
    const text = isJinjaPythonTemplate(path.basename(file)) ? pythonTemplateAsText(raw, this.ansibleValues(file)) : raw;
    const cached = this.closedDocs.get(file);
    if (cached && cached.text === text) {
      this.skipped.delete(file);
      return cached.doc;
    }
    const doc = PythonDocument.parse(text);
    if (doc.timedOut) {
      // not cached: with more time (another analysis, a quieter machine) it may parse
      this.skipped.set(file, PARSE_TIMED_OUT);
      this.closedDocs.delete(file);
      return undefined;
    }
    this.skipped.delete(file);
    this.closedDocs.set(file, { text, doc });
    return doc;
  }

  /** The document of a file the deployment places in the package with `text` (see ProductionMount). */
  virtualDocument(file: string, text: string): PythonDocument | undefined {
    const cached = this.virtualDocs.get(file);
    if (cached && cached.text === text) return cached.doc;
    const doc = PythonDocument.parse(text);
    if (doc.timedOut) return undefined;
    this.virtualDocs.set(file, { text, doc });
    return doc;
  }

  /** Zero-based line and character of an offset in any file (Python or not); undefined if unreadable. */
  positionAt(file: string, offset: number): { line: number; character: number } | undefined {
    const py = this.openDocs.get(file) ?? this.closedDocs.get(file)?.doc;
    if (py) return py.positionAt(offset);
    const text = this.readText(file);
    if (text === undefined) return undefined;
    let starts = this.lineStartsCache.get(file);
    if (!starts || starts.text !== text) {
      starts = { text, starts: computeLineStarts(text) };
      this.lineStartsCache.set(file, starts);
    }
    return positionIn(starts.starts, text.length, offset);
  }

  private readonly lineStartsCache = new Map<string, { text: string; starts: number[] }>();

  /** Forgets what is cached about a file (it changed on disk). Structural changes rescan. */
  invalidate(file: string, structural = false): void {
    // the file system keeps texts while their stat is the same; a watcher's word is taken over it
    if (file !== '') this.fs.forget?.(file);
    else if (structural) this.fs.forget?.();
    this.closedDocs.delete(file);
    this.lineStartsCache.delete(file);
    // a .gitignore decides which modules are deployed: the scan's ignore rules must be re-read
    if (path.basename(file) === '.gitignore') structural = true;
    if (structural) {
      this.existsCache.clear();
      this.insideCache.clear();
      this.realFolders = undefined;
      this.resolutionCache.clear();
      this.scans.clear();
      this.projectsCache = undefined;
    } else if (isProjectShapingFile(file)) {
      this.projectsCache = undefined;
    }
  }

  /**
   * A workspace over the same file system and folders, with the files listed and the projects found
   * here, and nothing else of this one: no open document, no parsed or kept module (typing practice,
   * practice.ts, types into one of its own).
   */
  forPractice(): Workspace {
    const w = new Workspace(this.fs, this.folders);
    for (const [folder, scan] of this.scans) w.scans.set(folder, scan);
    w.projectsCache = this.projectsCache;
    w.projectOptionsKey = this.projectOptionsKey;
    return w;
  }

  // ---- projects --------------------------------------------------------------------------------

  scan(folder: string, isCancelled?: () => boolean): ScanResult {
    let s = this.scans.get(folder);
    if (!s) {
      s = scanWorkspace(this.fs, folder, isCancelled);
      if (s.truncated !== 'cancelled') this.scans.set(folder, s);
    }
    return s;
  }

  /** Lists the files of every folder, as projects() does first: nothing of it depends on the options. */
  listFolders(): void {
    for (const folder of this.folders) {
      enterProject(undefined);
      enterPhase('finding the projects', folder);
      this.scan(folder);
    }
  }

  /**
   * The candidate project folders the last discovery left unread because options.runDeadline passed
   * (their projects are missing from projects()); empty when it finished.
   */
  unfinishedProjects: readonly string[] = [];

  projects(options: ProjectOptions = {}, isCancelled?: () => boolean): DjangoProject[] {
    // the deadline is not part of the key: a discovery that finished holds whatever the deadline (the
    // language server gives each pass its own)
    const key = JSON.stringify({ ...options, runDeadline: undefined });
    if (this.projectsCache && key === this.projectOptionsKey) return this.projectsCache;
    const out: DjangoProject[] = [];
    const unfinished: string[] = [];
    for (const folder of this.folders) {
      enterProject(undefined);
      enterPhase('finding the projects', folder);
      const found = discover(this.fs, this.scan(folder, isCancelled), optionsForFolder(options, folder));
      out.push(...found.projects);
      unfinished.push(...found.unfinished);
    }
    this.unfinishedProjects = unfinished;
    // a discovery the deadline cut short is not kept: the next run finds the rest
    this.projectsCache = unfinished.length === 0 ? out : undefined;
    this.projectOptionsKey = key;
    // the repositories around the folders may now be known (see contains())
    this.insideCache.clear();
    this.realFolders = undefined;
    return out;
  }

  /** The innermost workspace folder that holds `file`. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) {
      if ((file === folder || file.startsWith(folder + path.sep)) && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }

  /** The scan that covers a file. */
  /**
   * For a module's Jinja template in an Ansible role's or play's `templates/` folder: the Python an
   * expression that prints one variable renders to where production's inventory and the role's
   * variables give it one plain value (readers/ansible.ts templateExpressionValue), else undefined.
   */
  private ansibleValues(file: string): ((expression: string) => string | undefined) | undefined {
    const scope = this.ansibleScope(file);
    return scope ? (e) => templateExpressionValue(scope, e) : undefined;
  }

  /** The Ansible variables a template sees (readers/ansible.ts ansibleScopes), built once per scan's file list. */
  private ansibleScope(file: string): AnsibleScope | undefined {
    const files = this.scanFor(file)?.files;
    if (!files) return undefined;
    let scopes = this.ansibleScopesByFiles.get(files);
    if (!scopes) {
      scopes = ansibleScopes(this.fs, files);
      this.ansibleScopesByFiles.set(files, scopes);
    }
    return scopes(file);
  }

  private readonly ansibleScopesByFiles = new WeakMap<readonly ScannedFile[], (file: string) => AnsibleScope | undefined>();

  /**
   * A string of a module's Jinja template (`"{{ project_path }}/static"`) as Ansible renders it where
   * every expression is a variable the play's, the role's or the inventory's variables give one plain
   * value (readers/ansible.ts renderedWith), else undefined.
   */
  ansibleRenderedString(file: string, text: string): string | undefined {
    if (!isJinjaPythonTemplate(path.basename(file))) return undefined;
    const scope = this.ansibleScope(file);
    return scope ? renderedWith(scope, text) : undefined;
  }

  scanFor(file: string): ScanResult | undefined {
    for (const folder of this.folders) if (file === folder || file.startsWith(folder + path.sep)) return this.scan(folder);
    return undefined;
  }

  /** Whether a file exists (cached until a structural invalidation). */
  fileExists(file: string): boolean {
    let r = this.existsCache.get(file);
    if (r === undefined) {
      r = this.fs.exists(file);
      this.existsCache.set(file, r);
    }
    return r;
  }

  /** A module host for evaluating one project. */
  /**
   * The module host of a project's evaluation; `mounts`: the Python files production's deployment
   * places in the package (models/process/index.ts productionMounts), found there as Python finds them.
   */
  hostFor(project: DjangoProject, mounts?: ReadonlyMap<string, MountedModule>): ModuleHost {
    return new ProjectHost(this, project, mounts);
  }
}

/**
 * What /compose.*\.ya?ml$/ matched, reading the name once (each "compose" of a long name read the
 * rest again): after the name's last line break, its first "compose", then .yml or .yaml at the end.
 */
export function isComposeName(name: string): boolean {
  const cut = Math.max(name.lastIndexOf('\n'), name.lastIndexOf('\r'), name.lastIndexOf('\u2028'), name.lastIndexOf('\u2029'));
  const line = name.slice(cut + 1);
  const at = line.indexOf('compose');
  return at >= 0 && /\.ya?ml$/.test(line.slice(at + 'compose'.length));
}

/** Files whose change can change which projects exist or which module is production. */
function isProjectShapingFile(file: string): boolean {
  const name = path.basename(file);
  return (
    name === 'manage.py' ||
    name === 'wsgi.py' ||
    name === 'asgi.py' ||
    name === '.gitignore' ||
    name === 'pyproject.toml' ||
    name === 'Procfile' ||
    name.startsWith('Dockerfile') ||
    isComposeName(name) ||
    name.endsWith('.service') ||
    name.startsWith('.env') ||
    /^requirements.*\.txt$/.test(name) ||
    /\.lock$/.test(name) ||
    name === 'pytest.ini' ||
    name === 'setup.cfg' ||
    // the versions read from dependency files (models/project/version.ts)
    name === 'Pipfile' ||
    name === 'setup.py' ||
    /^constraints.*\.(txt|in)$/.test(name) ||
    /(^|[\\/])requirements[\\/][^\\/]+\.(txt|in)$/.test(file)
  );
}

/** A Python file the deployment places in the package: its text (unknown when undefined), or the repository's file it is. */
export interface MountedModule {
  readonly content?: { readonly text: string };
  readonly real?: string;
  /** When the content is not known: the upper-case names it may bind (sorted), if known. */
  readonly names?: readonly string[];
  /** Written by a shell script that fills in its expansions when it runs (ModuleHost.expandedBy): where. */
  readonly expandedBy?: string;
  /** Rendered by envsubst from a committed template (ModuleHost.envsubstBy): how. */
  readonly envsubstBy?: string;
}

class ProjectHost implements ModuleHost {
  /** The mounts, in the resolution cache's keys (another set of mounts resolves differently). */
  private readonly mountKey: string;

  constructor(
    private readonly ws: Workspace,
    private readonly project: DjangoProject,
    private readonly mounts: ReadonlyMap<string, MountedModule> = new Map(),
  ) {
    this.mountKey = this.mounts.size === 0 ? '' : [...this.mounts.keys()].sort().join('\0');
  }

  private exists(file: string): boolean {
    if (this.mounts.has(file)) return true;
    const scan = this.ws.scanFor(file);
    return (scan?.pythonFiles.has(file) ?? false) || this.ws.isOpen(file) || this.ws.fileExists(file);
  }

  private found(ref: ModuleRef): Resolution {
    // a file the deployment mounts is there in production, whatever git ignores
    if (this.mounts.has(ref.file) || [...this.mounts.values()].some((m) => m.real === ref.file)) return { status: 'found', ref };
    const scan = this.ws.scanFor(ref.file);
    if (scan?.gitignore.ignores(ref.file, false)) return { status: 'ignored', ref };
    return { status: 'found', ref };
  }

  resolve(name: string, level: number, from: ModuleRef): Resolution {
    const relative = level > 0 || (this.project.python2 !== undefined && inPackage(from));
    const key = `${this.project.root}\0${level}\0${name}${relative ? `\0${from.file}\0${from.name}\0${from.isPackage}` : ''}${this.mountKey ? `\0${this.mountKey}` : ''}`;
    let r = this.ws.resolutionCache.get(key);
    if (!r) {
      r = this.resolveUncached(name, level, from);
      this.ws.resolutionCache.set(key, r);
    }
    return r;
  }

  private resolveUncached(name: string, level: number, from: ModuleRef): Resolution {
    const parts = name === '' ? [] : name.split('.');
    if (level === 0) {
      // Python 2 reads `import x` in a package's module as the package's x first (an implicit
      // relative import, PEP 328), then as a top-level module
      if (this.project.python2 !== undefined && inPackage(from) && parts.length > 0) {
        const pkg = from.isPackage ? from.name : from.name.split('.').slice(0, -1).join('.');
        const r = this.lookup(path.join(path.dirname(from.file), ...parts), `${pkg}.${name}`);
        if (r) return this.found(r);
      }
      for (const root of this.project.importRoots) {
        const r = this.lookup(path.join(root, ...parts), name);
        if (r) return this.found(r);
      }
      return { status: 'missing', name };
    }
    // Relative: start at the package of `from`, go up level-1 packages.
    let dir = path.dirname(from.file);
    const pkgParts = from.name.split('.');
    if (!from.isPackage) pkgParts.pop();
    for (let i = 1; i < level; i++) {
      dir = path.dirname(dir);
      pkgParts.pop();
    }
    const dotted = [...pkgParts, ...parts].filter(Boolean).join('.');
    const r = parts.length === 0 ? this.lookupPackage(dir, dotted) : this.lookup(path.join(dir, ...parts), dotted);
    if (r) return this.found(r);
    // Python resolves a relative import by the importer's package name, not its file: a module
    // placed in the package from elsewhere (a compose bind mount) imports the package's modules
    if (dotted) {
      for (const root of this.project.importRoots) {
        const abs = this.lookup(path.join(root, ...dotted.split('.')), dotted);
        if (abs) return this.found(abs);
      }
    }
    return { status: 'missing', name: dotted || name };
  }

  private lookup(base: string, name: string): ModuleRef | undefined {
    // a file the deployment mounts there is what production imports, whatever the repository has
    const mounted = this.mounts.get(base + '.py');
    if (mounted) return { name, file: mounted.real ?? base + '.py', isPackage: false };
    if (this.exists(base + '.py')) return { name, file: base + '.py', isPackage: false };
    return this.lookupPackage(base, name);
  }

  private lookupPackage(dir: string, name: string): ModuleRef | undefined {
    const init = path.join(dir, '__init__.py');
    if (this.exists(init)) return { name, file: init, isPackage: true };
    return undefined;
  }

  document(file: string): PythonDocument | undefined {
    const mounted = this.mounts.get(file);
    if (mounted && !mounted.real) return mounted.content ? this.ws.virtualDocument(file, mounted.content.text) : undefined;
    return this.ws.document(file);
  }

  renderedBy(file: string): string | undefined {
    const m =
      this.project.settingsModules.find((x) => x.file === file)?.renderedBy ??
      this.project.renderedTemplates?.find((r) => r.template === file)?.by;
    // (a module's Jinja template, settings.py.j2, read in the place of the module the deployment renders from it)
    return m ?? (isJinjaPythonTemplate(path.basename(file)) ? `the deployment renders ${path.basename(file)}` : undefined);
  }

  renderedString(file: string, text: string): string | undefined {
    return this.renderedBy(file) ? this.ws.ansibleRenderedString(file, text) : undefined;
  }

  implicitRelativeImports(from: ModuleRef): string | undefined {
    return inPackage(from) ? this.project.python2 : undefined;
  }

  renderedFrom(file: string): { readonly template: string; readonly by: string } | undefined {
    const rendered = this.project.renderedTemplates;
    if (!rendered || this.mounts.has(file)) return undefined;
    for (const root of this.project.importRoots) {
      const rel = path.relative(root, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const r = renderedInto(rendered, rel);
      // (the template is read as the repository's other deployment files are: inside the workspace's roots)
      if (r && this.ws.contains(r.template)) return { template: r.template, by: r.by };
    }
    return undefined;
  }

  expandedBy(file: string): string | undefined {
    const m = this.mounts.get(file);
    return m && !m.real && m.content ? m.expandedBy : undefined;
  }

  envsubstBy(file: string): string | undefined {
    const m = this.mounts.get(file);
    return m && !m.real && m.content ? m.envsubstBy : undefined;
  }

  unreadableNames(file: string): readonly string[] | undefined {
    const m = this.mounts.get(file);
    return m && !m.content && !m.real ? m.names : undefined;
  }

  fileStatus(file: string): 'found' | 'ignored' | 'missing' {
    if (this.mounts.has(file)) return 'found';
    if (!this.exists(file)) return 'missing';
    return this.ws.scanFor(file)?.gitignore.ignores(file, false) ? 'ignored' : 'found';
  }

  dataFile(file: string): { readonly text: string; readonly root: DataNode | undefined } | undefined {
    if (!/\.ya?ml$/i.test(file) || !this.ws.contains(file)) return undefined;
    const text = this.ws.text(file);
    return text === undefined ? undefined : { text, root: parseYaml(file, text) };
  }

  listDir(dir: string): string[] | undefined {
    if (!this.ws.contains(dir)) return undefined;
    const entries = this.ws.fs.readDir(dir);
    return entries.filter((e) => e.isFile).map((e) => e.name);
  }
}

/** Whether a module is a package's (`mysite.settings`, or a package's `__init__`). */
function inPackage(from: ModuleRef): boolean {
  return from.isPackage || from.name.includes('.');
}
