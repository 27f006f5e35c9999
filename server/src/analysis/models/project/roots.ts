// Where the projects of a scanned folder are: their sys.path roots (the folders of manage.py, else
// derived from the package layout of wsgi/asgi/settings files), the roots that the repository's
// process files above the analysed folder name, and which of those outside files start a project.
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import type { ScanResult, ScannedFile } from '../../files/scan';
import { chartContexts, DEPLOY_KINDS, deployMentions, readDeployFile } from '../../readers/deploy';
import { parseCompose } from '../../readers/container/compose';
import { parseDockerfile } from '../../readers/container/dockerfile';
import { publishedDockerfile, publishedImages, type PublishedImage } from '../../readers/container/publishedImages';
import type { ChartContext } from '../../readers/kubernetes/manifests';
import { servedApps } from './served';
import { type Repository, withoutTrailingSlashes } from './repository';
import { findMentions, MENTION_RE } from './mentions';
import { isInside, resolveModuleFile, suffixModule } from './modules';

/** The sys.path roots of the projects of a scanned folder (nested roots of one project counted once). */
export function projectRootsOf(fs: FileSystem, scan: ScanResult): string[] {
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

/** Project roots for settings modules here that process files above the analysed folder name. */
export function rootsNamedFromOutside(fs: FileSystem, scan: ScanResult, repo: Repository): string[] {
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
export function startsProject(
  fs: FileSystem,
  repo: Repository,
  root: string,
  f: ScannedFile,
  own: readonly ScannedFile[],
  depth = 0,
): boolean {
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
  // (a Helm template through its chart's values and named templates: `{{ include "app.env" . }}`)
  if (DEPLOY_KINDS.has(f.kind) && deployMentions(fs, f, repo.root, chartsOf(fs, repo)).some((m) => !m.devReason && inProject(m.module)))
    return true;
  if (
    servedApps(fs, [f], repo.root).some((a) => inProject(a.module)) &&
    !(f.kind === 'shell' && cdsElsewhere(fs, text, f.path, repo.root, root))
  )
    return true;
  // an image built from above the folder that copies the project in (`COPY buffalogs/ /opt/app/`),
  // and a compose file that builds one (BuffaLogs' docker-compose.yaml beside buffalogs/)
  if (f.kind === 'dockerfile' && copiesProject(text, f.path, root, [path.dirname(f.path), repo.root])) return true;
  if (f.kind === 'compose' && composeBuildsProject(fs, text, f.path, root)) return true;
  // …or builds an image whose Dockerfile above the folder starts it (`ENV DJANGO_SETTINGS_MODULE=web.settings`)
  if (f.kind === 'compose' && depth < 2)
    for (const dockerfile of composeDockerfiles(text, f.path)) {
      const outside = repo.outside.find((o) => o.path === dockerfile);
      if (outside && startsProject(fs, repo, root, outside, own, depth + 1)) return true;
    }
  // …or runs, without building it, the image CI builds from such a Dockerfile or from the project's
  // own (SecObserve's docker-compose-prod-postgres.yml runs ghcr.io/secobserve/secobserve-backend; a
  // Kubernetes Deployment in k8s/ beside the project runs the image a workflow builds from its Dockerfile)
  if ((f.kind === 'compose' || DEPLOY_KINDS.has(f.kind)) && depth < 2) {
    const images = f.kind === 'compose' ? composeImages(text, f.path) : deployImages(fs, f, repo);
    if (images.length > 0) {
      const published = publishedOf(fs, repo);
      for (const image of images) {
        const dockerfile = publishedDockerfile(published, image);
        if (!dockerfile) continue;
        if (isInside(root, dockerfile)) return true;
        const outside = repo.outside.find((o) => o.path === dockerfile);
        if (outside && startsProject(fs, repo, root, outside, own, depth + 1)) return true;
      }
    }
  }
  // …or a Procfile at the repository's root whose process runs a start script that starts it
  // (`web: bin/start_web`, the script doing `cd src/backend && exec gunicorn app.wsgi:application`):
  // the platform's process file of the project, as a compose file at the root is
  if (f.kind === 'procfile' && depth < 2 && path.dirname(f.path) === repo.root) {
    const scripts = repo.outside.filter((o) => o.kind === 'shell' && isInside(repo.root, o.path));
    for (const s of scripts) {
      const rel = path.relative(repo.root, s.path).split(path.sep).join('/');
      if (!procfileRuns(text, rel)) continue;
      const st = fs.readText(s.path) ?? '';
      if (servedApps(fs, [s], repo.root).some((a) => inProject(a.module)) && !cdsElsewhere(fs, st, s.path, repo.root, root)) return true;
    }
  }
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

/**
 * Whether a script changes into another folder of the repository than the project's before it starts
 * its server (`cd src/other && exec gunicorn app.wsgi:application`): a module of the same name there
 * is what it serves, not the project's. Only literal relative folders that exist, read from the
 * repository's root and from the script's folder.
 */
function cdsElsewhere(fs: FileSystem, text: string, file: string, repoRoot: string, root: string): boolean {
  const targets: string[] = [];
  for (const line of text.split('\n').slice(0, 500))
    for (const part of line.split(/&&|;|\|\|/)) {
      const words = part.trim().split(/[ \t]+/);
      if (words[0] !== 'cd' || words.length !== 2) continue;
      const t = words[1]!.replace(/^["']|["']$/g, '');
      if (t === '' || t.startsWith('/') || t.startsWith('~') || t.includes('$') || t === '-') continue;
      targets.push(t);
    }
  if (targets.length === 0) return false;
  const related = (d: string): boolean => isInside(d, root) || isInside(root, d);
  return targets.every((t) => {
    const dirs = [path.resolve(repoRoot, t), path.resolve(path.dirname(file), t)].filter((d) => fs.isDirectory(d));
    return dirs.length > 0 && !dirs.some(related);
  });
}

/** Whether a Procfile's process runs the script at `rel` from its folder (`web: bin/start_web`, `web: ./bin/start_web`). */
function procfileRuns(text: string, rel: string): boolean {
  return text.split('\n').some((line) => {
    const colon = line.indexOf(':');
    if (colon < 0) return false;
    const first =
      line
        .slice(colon + 1)
        .trim()
        .split(/[ \t]/)[0] ?? '';
    return first === rel || first === `./${rel}`;
  });
}

/**
 * Whether a Dockerfile COPYs (or ADDs) the project's folder itself from one of the build contexts it
 * may have (a piece of it, `ADD openprescribing/media/js /npm/`, does not make the image the project's);
 * with `holding`, also a folder above the project inside `holding` (`COPY . /app` of the repository
 * root the project's folder is in).
 */
function copiesProject(text: string, file: string, root: string, contexts: readonly string[], holding?: string): boolean {
  let d: ReturnType<typeof parseDockerfile>;
  try {
    d = parseDockerfile(file, text);
  } catch {
    return false;
  }
  const copied = (p: string): boolean => p === root || (holding !== undefined && isInside(holding, p) && isInside(p, root));
  return d.stages.some((st) =>
    st.copies.some(
      (c) =>
        c.from === undefined && c.sources.some((src) => contexts.some((ctx) => copied(path.resolve(ctx, withoutTrailingSlashes(src))))),
    ),
  );
}

/**
 * Whether a Dockerfile or compose file above the project builds an image holding the repository's
 * folder that holds the project (the Dockerfile at the root doing `COPY . /app`, from its own folder,
 * or the compose file building it): for the repository's only Django project, whose image that is,
 * as when the repository is opened.
 */
export function buildsProjectFromAbove(fs: FileSystem, repo: Repository, root: string, f: ScannedFile): boolean {
  if (f.kind !== 'dockerfile' && f.kind !== 'compose') return false;
  const text = fs.readText(f.path);
  if (text === undefined) return false;
  return f.kind === 'dockerfile'
    ? copiesProject(text, f.path, root, [path.dirname(f.path)], repo.root)
    : composeBuildsProject(fs, text, f.path, root, repo.root);
}

/** Whether a compose file builds an image, from a context above the project, that copies the project in. */
function composeBuildsProject(fs: FileSystem, text: string, file: string, root: string, holding?: string): boolean {
  let services: ReturnType<typeof parseCompose>['services'];
  try {
    services = parseCompose(file, text).services;
  } catch {
    return false;
  }
  return services.some((s) => {
    if (!s.build) return false;
    const context = path.resolve(path.dirname(file), s.build.context);
    const dockerfile = path.resolve(context, s.build.dockerfile);
    const t = fs.readText(dockerfile);
    return t !== undefined && copiesProject(t, dockerfile, root, [context], holding);
  });
}

/** The Dockerfiles a compose file's services build (absolute paths). */
function composeDockerfiles(text: string, file: string): string[] {
  try {
    return parseCompose(file, text).services.flatMap((s) =>
      s.build ? [path.resolve(path.resolve(path.dirname(file), s.build.context), s.build.dockerfile)] : [],
    );
  } catch {
    return [];
  }
}

/** The images a compose file's services run without building them. */
function composeImages(text: string, file: string): string[] {
  try {
    return parseCompose(file, text).services.flatMap((s) => (!s.build && s.image ? [s.image] : []));
  } catch {
    return [];
  }
}

/** The images a deployment file's workloads run (a Kubernetes manifest or a chart's template, read with its chart). */
function deployImages(fs: FileSystem, f: ScannedFile, repo: Repository): string[] {
  return (readDeployFile(fs, f, undefined, chartsOf(fs, repo))?.processes ?? []).flatMap((p) => (p.image ? [p.image] : []));
}

const repoPublished = new WeakMap<Repository, Map<string, PublishedImage>>();

/** The images the repository's CI and compose files build, with their Dockerfiles (publishedImages), read once per repository. */
function publishedOf(fs: FileSystem, repo: Repository): Map<string, PublishedImage> {
  let p = repoPublished.get(repo);
  if (!p) {
    p = publishedImages(fs, repo.scan?.files ?? []);
    repoPublished.set(repo, p);
  }
  return p;
}

const repoCharts = new WeakMap<Repository, (file: string) => ChartContext | undefined>();

/** The charts of the files above the analysed folder, found once per repository. */
function chartsOf(fs: FileSystem, repo: Repository): (file: string) => ChartContext | undefined {
  let c = repoCharts.get(repo);
  if (!c) {
    c = chartContexts(fs, repo.outside, repo.root);
    repoCharts.set(repo, c);
  }
  return c;
}
