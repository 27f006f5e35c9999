// Which of a project's dependency files production's build installs: the files a production
// Dockerfile installs (`pip install -r X`, `pip install .` and `-e .`, `uv sync`, `poetry install`,
// `pipenv install`/`sync`, `pdm install`/`sync`, the container path mapped back to the repository
// through the image's COPY/ADD from its build context: the Dockerfile's folder, or a compose file's
// `build:` context), a production build or start script's `pip install -r X` (X from the script's
// folder, the project's or the workspace's) — a requirements file of any name such an install names
// (`-r deploy/pip-packages`) is one, when it is there and not a development or test file —, and
// the requirements.txt the Python buildpack installs at a Procfile's root
// (catalogue/platformRuntime.ts). The versions a project runs are read from those first
// (version.ts); a file nothing installs, beside one that is installed, is a leftover (a stale freeze
// of an old release), not what production runs.
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { PYTHON_BUILDPACK_REQUIREMENTS } from '../../catalogue/platformRuntime';
import { parseCompose } from '../../readers/container/compose';
import { copyMapper, parseDockerfile, resolveDir } from '../../readers/container/dockerfile';
import { devReasonOfPath } from '../../readers/devPaths';
import { MAX_DEPENDENCY_BYTES } from '../../readers/python/dependencies';

/** The dependency files production's build is seen to install, each with what installs it. */
export interface InstalledFiles {
  /** Dependency file (absolute) → what installs it ("Dockerfile.django installs django/requirements.txt"). */
  readonly files: ReadonlyMap<string, string>;
  /**
   * True when every install seen was followed to its file: no `pip install -r $REQS`, no path that
   * maps to no file of the project. Only then is a file nothing installs known not to be installed.
   */
  readonly complete: boolean;
  /**
   * Requirements files of another name than the scan knows (`deploy/pip-packages`, `deps/base.pip`),
   * each named by a production install's `pip install -r`/`-c` and found at the path it maps to →
   * the command that names it ("Dockerfile's `pip install -r /tmp/pip-packages`"). They are in
   * `files` too; the versions read them as requirements files.
   */
  readonly named: ReadonlyMap<string, string>;
}

const DEV_IMAGE_ENV_LINE = /^ENV[ \t]+[A-Z_]*ENV(?:IRONMENT)?(?:=|[ \t]+)["']?(?:dev|development|local)["']?$/i;
/** `ENV DJANGO_ENV=development` (or `ENV ENVIRONMENT local`) on a line of a Dockerfile. */
export function devImage(text: string): boolean {
  return text.split('\n').some((l) => DEV_IMAGE_ENV_LINE.test(l.trim()));
}

/** The Dockerfiles among `files` that build production's image: not in a development path, not a development image. */
export function productionDockerfiles(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const f of files) {
    if (f.kind !== 'dockerfile' || devReasonOfPath(path.relative(projectRoot, f.path))) continue;
    const text = fs.readText(f.path);
    if (text !== undefined && text.length <= MAX_DEPENDENCY_BYTES && !devImage(text)) out.push({ file: f.path, text });
  }
  return out;
}

/** What one install command installs, as the container names it (relative to the RUN's working folder). */
interface InstallTarget {
  /** The paths, as written (`requirements.txt`, `/tmp/req/prod.txt`, `.`). */
  readonly paths: readonly string[];
  /** Those of `paths` given as a requirements or constraints file (`-r X`, `--requirement=X`, `-c X`), whatever their name. */
  readonly requirements: readonly string[];
  /** A path that could not be read (a variable: `-r $REQS`). */
  readonly dynamic: boolean;
}

const PIP = /(^|\/)pip[0-9.]*$/;
/**
 * The lock file a tool's install installs from, in its working folder (`uv sync`, `poetry install`,
 * `pipenv sync`/`install`, `pdm install`/`sync`): the releases installed are the lock's. The
 * pyproject.toml or Pipfile beside it only bounds them: without the lock in the repository, what the
 * build installs is not known, and no file is counted as installed.
 */
const TOOL_FILES: ReadonlyMap<string, readonly string[]> = new Map([
  ['uv', ['uv.lock']],
  ['poetry', ['poetry.lock']],
  ['pipenv', ['Pipfile.lock']],
  ['pdm', ['pdm.lock']],
]);
/** The files `pip install DIR` reads of a local project folder. */
const PROJECT_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];

/** The install commands of one shell command line (`&&`, `||`, `;` and newlines separate commands). */
export function installTargets(line: string): InstallTarget[] {
  const out: InstallTarget[] = [];
  if (line.length > 64 * 1024 || !/\b(?:install|sync)\b/.test(line)) return out;
  for (const command of line.split(/&&|\|\||;|\n/)) {
    const words = command
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/^["']|["']$/g, ''))
      .filter((w) => w !== '');
    for (let i = 1; i < words.length; i++) {
      const verb = words[i]!;
      const tool = words[i - 1]!;
      if (verb === 'install' && PIP.test(tool)) {
        const paths: string[] = [];
        const requirements: string[] = [];
        let dynamic = false;
        const take = (p: string | undefined, requirement = false): void => {
          if (p === undefined || p === '') return;
          if (p.includes('$')) dynamic = true;
          else {
            paths.push(p);
            if (requirement) requirements.push(p);
          }
        };
        for (let j = i + 1; j < words.length; j++) {
          const w = words[j]!;
          if (w === '-r' || w === '--requirement') take(words[++j], true);
          else if (w.startsWith('--requirement=')) take(w.slice('--requirement='.length), true);
          else if (w.startsWith('-r') && w.length > 2 && !w.startsWith('--')) take(w.slice(2), true);
          // a constraints file bounds the releases installed
          else if (w === '-c' || w === '--constraint') take(words[++j], true);
          else if (w.startsWith('--constraint=')) take(w.slice('--constraint='.length), true);
          else if (w === '-e' || w === '--editable') {
            const p = words[++j];
            if (p !== undefined && localProject(p)) take(stripExtras(p));
          } else if (/^(-i|--index-url|--extra-index-url|-f|--find-links|-t|--target|--prefix|--root)$/.test(w)) j++;
          else if (!w.startsWith('-') && localProject(w)) take(stripExtras(w));
        }
        if (paths.length > 0 || dynamic) out.push({ paths, requirements, dynamic });
        break;
      }
      const base = tool.split('/').pop() ?? '';
      const files = TOOL_FILES.get(base);
      if (files && (verb === 'install' || (verb === 'sync' && base !== 'poetry'))) {
        out.push({ paths: files, requirements: [], dynamic: false });
        break;
      }
    }
  }
  return out;
}

/** A `pip install` argument naming a local project folder (`.`, `./app`, `/src`, `.[prod]`), not a package. */
function localProject(w: string): boolean {
  return w === '.' || w.startsWith('./') || w.startsWith('../') || w.startsWith('/') || w.startsWith('.[');
}

function stripExtras(w: string): string {
  const b = w.indexOf('[');
  return b > 0 ? w.slice(0, b) : w;
}

/** The folders a Dockerfile is built from: its own, and the contexts of compose services that build it. */
function buildContexts(fs: FileSystem, dockerfile: string, files: readonly ScannedFile[]): string[] {
  const out = [path.dirname(dockerfile)];
  for (const f of files) {
    if (f.kind !== 'compose') continue;
    const text = fs.readText(f.path);
    if (text === undefined || text.length > MAX_DEPENDENCY_BYTES) continue;
    let services: ReturnType<typeof parseCompose>['services'];
    try {
      services = parseCompose(f.path, text).services;
    } catch {
      continue;
    }
    for (const s of services) {
      if (!s.build) continue;
      const context = path.resolve(path.dirname(f.path), s.build.context);
      if (path.resolve(context, s.build.dockerfile) === dockerfile && !out.includes(context)) out.push(context);
    }
  }
  return out;
}

/** The dependency files production's build installs (see InstalledFiles). */
export function installedDependencyFiles(
  fs: FileSystem,
  files: readonly ScannedFile[],
  projectRoot: string,
  deps: readonly string[],
  shownRoot = projectRoot,
): InstalledFiles {
  const known = new Set(deps);
  const installed = new Map<string, string>();
  const named = new Map<string, string>();
  let complete = true;
  const show = (f: string): string => path.relative(shownRoot, f).split(path.sep).join('/') || path.basename(f);
  // a file of the workspace at a path an install names, not one the scan found by its name, not a
  // development or test file by its path, and small enough to read
  const namedFile = (f: string | undefined): string | undefined => {
    if (f === undefined || known.has(f) || fs.isDirectory(f)) return undefined;
    if (devReasonOfPath(path.relative(projectRoot, f))) return undefined;
    const size = fs.size(f);
    return size !== undefined && size <= MAX_DEPENDENCY_BYTES ? f : undefined;
  };
  // a path the mapping misses, found by its last folders among the dependency files (one only)
  const byTail = (p: string): string | undefined => {
    const parts = p.split('/').filter((x) => x !== '' && x !== '.' && x !== '..');
    if (parts.length === 0) return undefined;
    const hits = deps.filter((d) => d.split(path.sep).slice(-parts.length).join('/') === parts.join('/'));
    return hits.length === 1 ? hits[0] : undefined;
  };
  for (const { file, text } of productionDockerfiles(fs, files, projectRoot)) {
    let d: ReturnType<typeof parseDockerfile>;
    try {
      d = parseDockerfile(file, text);
    } catch {
      complete = false;
      continue;
    }
    const contexts = buildContexts(fs, file, files);
    const passed = (name: string): boolean => buildArgPassed(fs, files, name);
    for (const stage of d.stages) {
      // a stage for development or tests (`FROM base AS dev`) is not production's
      if (stage.name && devReasonOfPath(stage.name)) continue;
      const parent = d.stages.find(
        (s) => s.index < stage.index && s.name !== undefined && s.name.toLowerCase() === stage.base.toLowerCase(),
      );
      let workdir = parent?.workdir;
      const mappers = contexts.map((c) => copyMapper(c, stage.copies, (abs) => fs.isDirectory(abs)));
      for (const ins of stage.instructions) {
        if (ins.keyword === 'WORKDIR') {
          const w = ins.args.text.trim().replace(/^["']|["']$/g, '');
          if (w !== '' && !w.includes('$')) workdir = resolveDir(workdir, w);
          continue;
        }
        if (ins.keyword !== 'RUN') continue;
        for (const target of installTargets(withArgDefaults(ins.args.text, stage.args, passed))) {
          if (target.dynamic) complete = false;
          for (const p of target.paths) {
            const inContainer = resolveDir(workdir, p);
            // a folder (`pip install .`, `uv sync`'s project) stands for the project files in it
            const names =
              TOOL_NAMES.has(p) || PROJECT_FILES.includes(p)
                ? [inContainer]
                : [inContainer, ...PROJECT_FILES.map((n) => `${inContainer}/${n}`)];
            let hit: string | undefined;
            for (const name of names) {
              for (const m of mappers) {
                const mapped = m(name);
                if (mapped && known.has(mapped)) hit ??= mapped;
              }
            }
            hit ??= byTail(p.startsWith('/') ? path.posix.basename(p) : p);
            // a requirements file of another name (`-r deploy/pip-packages`), where the image's COPY maps it
            if (!hit && target.requirements.includes(p)) {
              for (const m of mappers) hit ??= namedFile(m(inContainer));
              if (hit && !named.has(hit)) named.set(hit, `${show(file)}'s \`${commandOf(ins.args.text, p)}\``);
            }
            if (hit) {
              if (!installed.has(hit)) installed.set(hit, `${show(file)} installs ${show(hit)}`);
            } else complete = false;
          }
        }
      }
    }
  }
  // a production start or build script's `pip install -r X` (not a development or test script): X
  // read from the script's folder, the project's or the workspace's, where one of them holds it
  for (const f of files) {
    if (f.kind !== 'shell' || devReasonOfPath(path.relative(projectRoot, f.path))) continue;
    const text = fs.readText(f.path);
    if (text === undefined || text.length > MAX_DEPENDENCY_BYTES) continue;
    for (const raw of text.split('\n')) {
      const l = raw.trim();
      if (l.startsWith('#') || !(l.includes('-r') || l.includes('-c'))) continue;
      for (const target of installTargets(l)) {
        for (const p of target.requirements) {
          if (p.startsWith('/')) continue;
          let hit: string | undefined;
          for (const dir of [path.dirname(f.path), projectRoot, shownRoot]) hit ??= namedFile(path.resolve(dir, p));
          if (hit && !named.has(hit)) {
            named.set(hit, `${show(f.path)}'s \`${commandOf(l, p)}\``);
            if (!installed.has(hit)) installed.set(hit, `${show(f.path)} installs ${show(hit)}`);
          }
        }
      }
    }
  }
  // the Python buildpack a Procfile's app is built with installs the requirements.txt at its root
  for (const f of files) {
    if (f.kind !== 'procfile' || devReasonOfPath(path.relative(projectRoot, f.path))) continue;
    const req = path.join(path.dirname(f.path), PYTHON_BUILDPACK_REQUIREMENTS.value);
    if (known.has(req) && !installed.has(req))
      installed.set(req, `the Python buildpack that builds ${show(f.path)}'s app installs ${show(req)}`);
  }
  return { files: installed, complete, named };
}

const ARG_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * A RUN line with the build arguments it names replaced by the default the Dockerfile gives them
 * (`pip install -r /requirements/${BUILD_ENVIRONMENT}.txt` under `ARG BUILD_ENVIRONMENT=production`):
 * the file a build that passes no `--build-arg` installs. An argument without a default, or one a
 * compose file, script, CI job or platform file of the project may pass (its name written there), stays
 * a variable: what the build installs is then not known.
 */
function withArgDefaults(line: string, args: ReadonlyMap<string, string> | undefined, passed: (name: string) => boolean): string {
  if (!args || args.size === 0 || !line.includes('$')) return line;
  return line.replace(ARG_REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = args.get(name);
    return value === undefined || value.includes('$') || passed(name) ? whole : value;
  });
}

/** Whether a file that may build the image (compose, a script, CI, a platform file) names the build argument. */
function buildArgPassed(fs: FileSystem, files: readonly ScannedFile[], name: string): boolean {
  for (const f of files) {
    if (f.kind !== 'compose' && f.kind !== 'shell' && f.kind !== 'ci' && f.kind !== 'config') continue;
    const text = fs.readText(f.path);
    if (text === undefined || text.length > MAX_DEPENDENCY_BYTES || text.includes(name)) return true;
  }
  return false;
}

/** The install command of a command line that names `p` (`pip install -r deploy/pip-packages`), for a version's source. */
function commandOf(line: string, p: string): string {
  const command = line.split(/&&|\|\||;|\n/).find((c) => c.includes(p)) ?? line;
  const one = command.trim().replace(/\s+/g, ' ');
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

/** The lock files a tool's install reads (`uv.lock`…). */
const TOOL_NAMES = new Set([...TOOL_FILES.values()].flat());

/**
 * A dependency file named as a leftover: a backup (`requirements.txt.bak`, `requirements-old.txt`)
 * or a freeze or snapshot of a past release (`requirements-freeze-django1.10.txt`). A plain
 * `requirements-freeze.txt` is not one: it is often the pinned list production installs.
 */
export function staleDependencyFile(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  if (/\.(?:bak|old|orig|backup|save)$/.test(base) || base.endsWith('~')) return true;
  const words = base.replace(/\.[a-z]+$/, '').split(/[^a-z0-9]+/);
  if (words.some((w) => ['old', 'bak', 'backup', 'orig', 'legacy', 'deprecated', 'obsolete', 'archive', 'archived', 'unused'].includes(w)))
    return true;
  return words.some((w) => ['freeze', 'frozen', 'snapshot'].includes(w)) && words.some((w) => /[0-9]/.test(w));
}
