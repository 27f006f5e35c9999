// The files of another application kept in the repository (a demo stack among the tools: Celery
// workers and a producer, each in a folder of its own with its compose file; a swarm file running
// prebuilt images of a Flask app), which the scan lists with the project's deployment files.
//
// A Dockerfile is the Django project's only when it can run it: its build context (the folder of
// each compose service that builds it, else its own folder) holds the project (manage.py, a settings
// module, the WSGI/ASGI module), or it COPYs or ADDs a path that does, or its text or the files of its
// context name the project (Django, manage.py, DJANGO_SETTINGS_MODULE, the project's settings,
// WSGI or ASGI module), or a file of the project's deployment builds or runs it (a compose file that
// is not another application's, a platform file, a workload, a build that publishes it). One whose
// context holds an application of its own (Python modules, none naming Django) and none of the
// above is another application's image.
// A compose file is another application's when it holds nothing of the project (its folder, its
// services' builds and mounts, its text) and its services only build such images or run images no
// file of the repository builds, one of them at least building such an image or running a module
// that is not in the repository (`gunicorn flask_app:app` in a prebuilt image: the image's code).
// Their processes are set aside as another project's (ProcessSource.otherProject), their images and
// services are not production's: no finding of the project lands on them, and they feed none of the
// production model (processes, request path, image facts).
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import { isWithin } from '../../../files/fs';
import { composeDir, type ComposeFile, type ComposeService } from '../../../readers/container/compose';
import type { Dockerfile } from '../../../readers/container/dockerfile';
import { imageRepository, publishedImages, type PublishedImage } from '../../../readers/container/publishedImages';
import { moduleNameOf } from '../../project/model';
import { publishedOf, type Collected } from '../collect';
import type { ProcessSource } from '../model';
import { bindMount } from '../paths';
import type { Demotions } from './demotion';

/** How many files of a build context are read for what names the project; beyond it, nothing is set aside. */
const MAX_CONTEXT_FILES = 200;

/** What marks the project: its files, and the words that name it (module names, Django itself). */
interface ProjectMarks {
  readonly files: readonly string[];
  readonly names: readonly string[];
}

function marksOf(r: Collected): ProjectMarks | undefined {
  const p = r.project;
  const entries = p.files.filter((f) => f.kind === 'wsgi' || f.kind === 'asgi').map((f) => f.path);
  const files = [p.manage, p.production?.module.file, ...p.settingsModules.map((m) => m.file), ...entries].filter(
    (f): f is string => f !== undefined,
  );
  if (files.length === 0) return undefined;
  const names = new Set(['django', 'manage.py']);
  for (const m of p.settingsModules) names.add(m.name.toLowerCase());
  for (const f of entries)
    for (const root of [p.root, ...p.importRoots]) {
      const m = moduleNameOf(root, f);
      if (m) {
        names.add(m.name.toLowerCase());
        break;
      }
    }
  return { files, names: [...names] };
}

/**
 * Whether `text` names the project: one of its words, standing alone (`config.wsgi`, not
 * `myconfig.wsgix`), outside whole-line `#` comments (`# a demo, not the Django site`).
 */
function namesProject(marks: ProjectMarks, text: string): boolean {
  const lower = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .toLowerCase();
  const word = (c: string | undefined): boolean => c !== undefined && /[\w.]/.test(c);
  for (const n of marks.names) {
    if (n === 'django') {
      if (lower.includes(n)) return true;
      continue;
    }
    for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + 1)) {
      const after = lower[i + n.length];
      if (!word(lower[i - 1]) && (!word(after) || (after === '.' && !word(lower[i + n.length + 1])))) return true;
      if (!word(lower[i - 1]) && after === ':') return true;
    }
  }
  return false;
}

function holdsProject(marks: ProjectMarks, dir: string): boolean {
  return marks.files.some((f) => isWithin(dir, f));
}

/** The build contexts of a Dockerfile: those of the compose services building it; else its own folder. */
function contextsOf(r: Collected, d: Dockerfile): { contexts: string[]; built: boolean } {
  const out = new Set<string>();
  for (const c of r.compose)
    for (const s of c.services) {
      if (!s.build) continue;
      const context = path.resolve(composeDir(c), s.build.context);
      if (path.resolve(context, s.build.dockerfile) === d.file) out.add(context);
    }
  return out.size > 0 ? { contexts: [...out], built: true } : { contexts: [path.dirname(d.file)], built: false };
}

/**
 * Why Dockerfile `d` is another application's image by itself (whatever builds it): the Python
 * modules of its own it runs, shown; undefined when it may hold or run the project.
 */
function foreignImage(r: Collected, marks: ProjectMarks, d: Dockerfile): string | undefined {
  if (r.devImages.has(d.file)) return undefined;
  const { contexts, built } = contextsOf(r, d);
  if (contexts.some((c) => holdsProject(marks, c))) return undefined;
  // a path it copies that holds the project (`COPY ../backend /app`; without a compose file saying
  // where it is built, `COPY config /app/config` from the repository's root too)
  const roots = built ? contexts : [...contexts, r.project.repositoryRoot ?? r.project.root, r.project.root];
  for (const st of d.stages)
    for (const c of st.copies) {
      if (c.from) continue;
      for (const src of c.sources) {
        if (src.includes('$')) return undefined;
        const bases = src === '.' || src === './' ? contexts : roots;
        if (bases.some((b) => holdsProject(marks, path.resolve(b, src)))) return undefined;
      }
    }
  const text = r.ws.fs.readText(d.file);
  if (text === undefined || namesProject(marks, text)) return undefined;
  // an application of its own in the context: Python modules, none naming the project
  const python = r.ws.scanFor(contexts[0]!)?.pythonFiles ?? new Set<string>();
  const own = [...python].filter((f) => contexts.some((c) => isWithin(c, f)));
  if (own.length === 0) return undefined;
  const others = r.project.files.filter((f) => contexts.some((c) => isWithin(c, f.path)) && f.path !== d.file).map((f) => f.path);
  const requirements = contexts.flatMap((c) =>
    ['requirements.txt', 'pyproject.toml', 'setup.py', 'setup.cfg', 'Pipfile'].map((n) => path.join(c, n)),
  );
  const read = [...new Set([...own, ...others, ...requirements])];
  if (read.length > MAX_CONTEXT_FILES) return undefined;
  if (read.some((f) => namesProject(marks, r.ws.fs.readText(f) ?? ''))) return undefined;
  // a platform, a workload or a build that publishes it runs it as the project's deployment does
  if (r.workloads.some((w) => w.process.dockerfile?.file === d.file)) return undefined;
  // (a compose file's `image:` beside its `build:` only names a local build: whose compose file that is decides, below)
  if ([...publishedByBuilds(r).values()].some((p) => p.dockerfile === d.file)) return undefined;
  const shown = own
    .sort((a, b) => a.length - b.length)
    .slice(0, 2)
    .map((f) => shownPath(r.project, f));
  return `${shown.join(', ')}${own.length > 2 ? '…' : ''}`;
}

/** The images a build of the repository publishes under a name: CI jobs and build scripts, not compose files. */
export function publishedByBuilds(r: Collected): Map<string, PublishedImage> {
  r.publishedByBuilds ??= publishedImages(
    r.ws.fs,
    r.project.files.filter((f) => f.kind !== 'compose'),
  );
  return r.publishedByBuilds;
}

/** The image repositories the repository builds: a compose service's `image:` beside its `build:`, or a name a build publishes. */
function builtImages(r: Collected): Set<string> {
  const out = new Set<string>(publishedOf(r).keys());
  for (const c of r.compose)
    for (const s of c.services) {
      const name = s.build && s.image ? imageRepository(s.image) : undefined;
      if (name) out.add(name);
    }
  return out;
}

/**
 * Why compose file `c` is another application's, given the Dockerfiles that are (`foreign`): what
 * its services build and run; undefined when it may run the project.
 */
function foreignCompose(
  r: Collected,
  marks: ProjectMarks,
  c: ComposeFile,
  foreign: ReadonlyMap<string, string>,
  built: ReadonlySet<string>,
): string | undefined {
  if (c.layers || c.services.length === 0) return undefined;
  const dir = composeDir(c);
  if (holdsProject(marks, dir)) return undefined;
  const text = r.ws.fs.readText(c.file);
  if (text === undefined || namesProject(marks, text)) return undefined;
  const builds: string[] = [];
  const prebuilt: string[] = [];
  for (const s of c.services) {
    if (mountsProject(marks, s, dir)) return undefined;
    if (s.build) {
      const file = path.resolve(dir, s.build.context, s.build.dockerfile);
      if (!foreign.has(file)) return undefined;
      builds.push(shownPath(r.project, file));
      continue;
    }
    const name = s.image ? imageRepository(s.image) : undefined;
    if (!name || built.has(name)) return undefined;
    if (runsModuleOfImage(r, c.file, s)) prebuilt.push(s.image!);
  }
  if (builds.length === 0 && prebuilt.length === 0) return undefined;
  const parts = [
    ...(builds.length > 0
      ? [`its services build only other applications' images (${builds.slice(0, 2).join(', ')}${builds.length > 2 ? '…' : ''})`]
      : []),
    ...(prebuilt.length > 0 ? [`run the app of ${[...new Set(prebuilt)][0]}, an image no file of the repository builds`] : []),
  ];
  return `${parts.join(' and ')}, and nothing of it names this project`;
}

function mountsProject(marks: ProjectMarks, s: ComposeService, dir: string): boolean {
  return s.volumes.some((v) => {
    const m = bindMount(v, dir);
    return m !== undefined && holdsProject(marks, m.host);
  });
}

/** Whether a service of compose file `file` runs an app or module its image carries (one the repository does not hold). */
function runsModuleOfImage(r: Collected, file: string, s: ComposeService): boolean {
  const python = r.ws.scanFor(r.project.root)?.pythonFiles ?? new Set<string>();
  const held = (module: string): boolean => {
    const tail = module.split('.')[0]!;
    return [...python].some((f) => path.basename(f, '.py') === tail || path.basename(path.dirname(f)) === tail);
  };
  const mine = (src: ProcessSource): boolean => src.kind === 'compose' && src.file === file && src.service === s.name;
  if (r.out.invocations.some((i) => mine(i.source) && i.app && !i.app.token.dynamic && !held(i.app.module))) return true;
  // `python -m pkg.worker`, `celery -A pkg`: a module the image carries
  const words = (s.command ?? []).map((t) => t.text);
  const m = words.findIndex((w) => w === '-m' || w === '-A' || w === '--app');
  return m >= 0 && words[m + 1] !== undefined && /^[A-Za-z_][\w.]*$/.test(words[m + 1]!) && !held(words[m + 1]!);
}

/**
 * The compose services (`file\0service`) that run an image no file of the repository builds (no
 * `build:`, its repository neither a service's `image:` beside a `build:` nor a name a build
 * publishes), with that image: a third-party image, which carries its own code.
 */
export function prebuiltImageServices(r: Collected): Map<string, string> {
  const out = new Map<string, string>();
  let built: Set<string> | undefined;
  for (const c of r.compose)
    for (const s of c.services) {
      if (s.build || !s.image) continue;
      const name = imageRepository(s.image);
      built ??= builtImages(r);
      if (name && !built.has(name)) out.set(`${c.file}\0${s.name}`, s.image);
    }
  return out;
}

export function setAsideForeignApps(r: Collected, demoted: Demotions): void {
  const marks = marksOf(r);
  if (!marks || r.compose.length + r.dockerfiles.length === 0) return;
  const images = new Map<string, string>();
  for (const d of r.dockerfiles) {
    const why = foreignImage(r, marks, d);
    if (why) images.set(d.file, why);
  }
  const built = builtImages(r);
  let files = new Map<string, string>();
  // (an image stays the project's when a compose file of the project's builds it: until nothing changes)
  for (let round = 0; round < 5; round++) {
    files = new Map();
    for (const c of r.compose) {
      const why = foreignCompose(r, marks, c, images, built);
      if (why) files.set(c.file, why);
    }
    let changed = false;
    for (const file of [...images.keys()]) {
      const builders = r.compose.filter((c) =>
        c.services.some((s) => s.build && path.resolve(composeDir(c), s.build.context, s.build.dockerfile) === file),
      );
      if (builders.every((c) => files.has(c.file))) continue;
      images.delete(file);
      changed = true;
    }
    if (!changed) break;
  }
  for (const [file, own] of images)
    setAside(
      r,
      demoted,
      (s) => s.kind === 'dockerfile' && s.file === file,
      `another application's image: its build context holds ${own}, a Python app of its own that uses no Django, and nothing of this project's deployment builds or runs it`,
      () => r.devImages.set(file, `another application's image (${own})`),
    );
  for (const [file, why] of files) {
    const c = r.compose.find((x) => x.file === file)!;
    const reason = `another application's compose file: ${why}`;
    setAside(
      r,
      demoted,
      (s) => s.kind === 'compose' && s.file === file,
      reason,
      () => {
        for (const s of c.services) {
          const key = `${file}\0${s.name}`;
          r.composeDev.set(key, reason);
          const own = r.composeServiceSources.get(key);
          if (own?.production) r.composeServiceSources.set(key, { ...own, production: false, devReason: reason, otherProject: reason });
        }
        for (const b of r.composeBuilds) if (b.file === file && !b.devReason) b.devReason = reason;
      },
    );
  }
}

/** Sets aside the processes of the sources `of` picks as another project's, after `mark` records the file. */
function setAside(r: Collected, demoted: Demotions, of: (s: ProcessSource) => boolean, why: string, mark: () => void): void {
  mark();
  for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others]) {
    const src = x.source;
    if (!of(src) || demoted.has(src)) continue;
    demoted.set(src, { ...src, production: false, devReason: src.devReason ?? why, otherProject: why });
  }
}
