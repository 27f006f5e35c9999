// Who runs a command line that is not itself a deployment's process: the compose services, Kubernetes
// containers, platform processes, Procfile entries and systemd units that end up starting a start
// script (`command: /start`, a Dockerfile's `CMD ["/start"]`), the ENTRYPOINT or CMD of an image
// (the compose services and workloads that run the image without a command of their own), or a
// supervisord program (whoever starts supervisord with its configuration). Read once per build of
// the process model, after the passes have decided what production runs; the request path and the
// proxies' ties ask it which deployment a gunicorn started by `/start` belongs to.
//
// Each step is one the files show: a script reference resolved to the workspace file (through the
// container's COPY and mounts, else by its name when it resolves to nothing), a compose service that
// builds the image or names the image another service builds, a platform file's Dockerfile, an image
// named after the project when the project has one image that starts the app (models/process/
// imageRuns.ts); a workload whose image the files cannot name (a chart's template) is presumed to run
// it too. An image whose runners none of these find is run, as before, by every production workload
// that gives no command of its own and runs no other software.
import { shownPath } from '../../base/relPath';
import * as path from 'node:path';
import { composeDir, type ComposeFile, type ComposeService } from '../../readers/container/compose';
import { finalStage, isFinalTarget } from '../../readers/container/dockerfile';
import { publishedImage } from '../../readers/container/publishedImages';
import { basename } from '../../readers/process/commands';
import { publishedOf, type Collected } from './collect';
import { imageRepository, namedAfterProject, runsUnnamedImage } from './imageRuns';
import type { ProcessSource, Starter, Starters, Workload } from './model';
import { workspaceFileFor } from './paths';
import { isProxyService, runsOtherSoftware } from './software';

/** A script reference with the workspace shell file it resolves to (undefined: none found). */
export interface ResolvedScript {
  readonly ref: Collected['out']['scripts'][number]['ref'];
  readonly source: ProcessSource;
  readonly file?: string;
}

/** Every script reference of the build with the workspace file it runs (not make, npm or supervisord). */
export function resolveScripts(r: Collected): ResolvedScript[] {
  return r.out.scripts.map((s) => {
    if (s.ref.make || s.ref.npmScript || s.ref.supervisord) return s;
    const file = workspaceFileFor(r, s.ref.script.text, s.source, 'shell');
    return file && file !== s.source.file ? { ...s, file } : s;
  });
}

const MAX_DEPTH = 6;

interface Walk {
  readonly r: Collected;
  readonly scripts: readonly ResolvedScript[];
  /** The Dockerfiles that hold an app server's start (for an image named after the project): set when there is exactly one. */
  readonly soleImage?: string;
}

/** A compose service's own process source (it runs a command of its own), when the build has one. */
function composeSource(r: Collected, file: string, service: string): ProcessSource | undefined {
  for (const list of [r.out.invocations, r.out.tasks, r.out.scripts, r.out.forwards, r.out.others])
    for (const x of list as readonly { source: ProcessSource }[])
      if (x.source.kind === 'compose' && x.source.file === file && x.source.service === service) return x.source;
  return undefined;
}

function composeStarter(w: Walk, c: ComposeFile, s: ComposeService, via: readonly string[]): Starter {
  const src = composeSource(w.r, c.file, s.name);
  const dev = w.r.composeDev.get(`${c.file}\0${s.name}`);
  const envSource = src ? undefined : w.r.composeServiceSources.get(`${c.file}\0${s.name}`);
  return {
    label: `${path.basename(c.file)} (service ${s.name})`,
    file: c.file,
    kind: 'compose',
    production: src ? src.production : !dev,
    service: s.name,
    ...(src ? { source: src } : {}),
    ...(envSource ? { envSource } : {}),
    via,
  };
}

function sourceStarter(w: Walk, src: ProcessSource, via: readonly string[]): Starter | undefined {
  switch (src.kind) {
    case 'compose': {
      const c = w.r.compose.find((x) => x.file === src.file);
      const s = c?.services.find((x) => x.name === src.service);
      return c && s
        ? { ...composeStarter(w, c, s, via), production: src.production, source: src }
        : { label: src.label, file: src.file, kind: 'compose', production: src.production, source: src, via };
    }
    case 'kubernetes':
    case 'platform': {
      const wl = w.r.workloads.find((x) => x.source === src || (x.source.file === src.file && x.source.label === src.label));
      return wl ? { label: src.label, file: src.file, kind: 'workload', production: src.production, workload: wl, via } : undefined;
    }
    case 'procfile':
      return { label: src.label, file: src.file, kind: 'procfile', production: src.production, source: src, via };
    case 'systemd':
      return { label: src.label, file: src.file, kind: 'systemd', production: src.production, source: src, via };
    default:
      return undefined;
  }
}

function rel(w: Walk, f: string): string {
  return shownPath(w.r.project, f);
}

/** The sources that run a shell script: the references resolved to it, or (resolved to nothing) named as it is. */
function scriptRunners(w: Walk, script: string): { source: ProcessSource; how: string }[] {
  const name = path.basename(script);
  return w.scripts
    .filter((s) => !s.ref.make && !s.ref.npmScript && !s.ref.supervisord && s.source.file !== script)
    .filter((s) => (s.file ? s.file === script : basename(s.ref.script.text) === name))
    .map((s) => ({ source: s.source, how: `runs ${s.ref.script.text}` }));
}

/** The sources that start supervisord with the configuration a program is in. */
function supervisordRunners(w: Walk, config: string): { source: ProcessSource; how: string }[] {
  const name = path.basename(config);
  return w.scripts
    .filter((s) => {
      const sup = s.ref.supervisord;
      if (!sup) return false;
      return sup.config ? !sup.config.dynamic && basename(sup.config.text) === name : name === 'supervisord.conf';
    })
    .map((s) => ({ source: s.source, how: `starts supervisord with ${name}` }));
}

/**
 * The command lines that load a uWSGI configuration file (`uwsgi --ini uwsgi.ini` in an image's
 * CMD or a start script): the file's own process is the one they start.
 */
function uwsgiRunners(w: Walk, config: string): { source: ProcessSource; how: string }[] {
  return w.r.out.invocations
    .filter((i) => i.source.file !== config && i.uwsgiConfig?.loads?.includes(config))
    .map((i) => ({ source: i.source, how: `starts uWSGI with ${path.basename(config)}` }));
}

/** The Dockerfile a compose service builds, resolved. */
function builtBy(c: ComposeFile, s: ComposeService): string | undefined {
  return s.build ? path.resolve(composeDir(c), s.build.context, s.build.dockerfile) : undefined;
}

/**
 * What runs the image a Dockerfile builds with its own command: compose services that build it (or
 * name the image another service builds from it), platform processes whose file builds it, and
 * containers and compose services that name an image of the project's own name (when it is the
 * project's one image that starts the app). Each with how.
 */
function imageRunners(
  w: Walk,
  dockerfile: string,
  stage?: string,
): { starter: (via: readonly string[]) => Starter | undefined; how: string }[] {
  const out: { starter: (via: readonly string[]) => Starter | undefined; how: string }[] = [];
  const d = w.r.dockerfiles.find((x) => x.file === dockerfile);
  const last = d ? finalStage(d) : undefined;
  // the image of that stage: built with `--target` naming it (`stage`), else without one or naming the last
  const ofStage = (target: string | undefined): boolean =>
    stage === undefined ? isFinalTarget(d, target) : target?.toLowerCase() === stage.toLowerCase();
  const names = new Set<string>();
  for (const c of w.r.compose)
    for (const s of c.services) if (builtBy(c, s) === dockerfile && s.image) names.add(imageRepository(s.image) ?? '');
  names.delete('');
  // an image a compose service builds from another Dockerfile (`image: x` beside `build:`) is that one's
  const otherBuilt = new Set<string>();
  for (const c of w.r.compose)
    for (const s of c.services) {
      const b = builtBy(c, s);
      const repo = b !== undefined && b !== dockerfile && s.image ? imageRepository(s.image) : undefined;
      if (repo !== undefined && !names.has(repo)) otherBuilt.add(repo);
    }
  // (or an image the repository's CI builds from it under that name: publishedImages.ts)
  const published = publishedOf(w.r);
  const fromHere = (image: string | undefined): boolean => {
    const p = image !== undefined ? publishedImage(published, image) : undefined;
    return p !== undefined && p.dockerfile === dockerfile && ofStage(p.target);
  };
  const named = (repo: string | undefined, image?: string): boolean =>
    // (a name written with variables: only the build that writes the same text, publishedImages.ts)
    (repo === undefined && fromHere(image)) ||
    (repo !== undefined &&
      !otherBuilt.has(repo) &&
      (fromHere(image) ||
        (stage === undefined &&
          (names.has(repo) || (w.soleImage === dockerfile && namedAfterProject(w.r.project, repo))) &&
          // (not the image of another stage, built with --target)
          !(image !== undefined && publishedImage(published, image)?.dockerfile === dockerfile))));
  const of = `${rel(w, dockerfile)}${stage ? ` (stage ${stage})` : ''}`;
  const how = `runs the image of ${of}`;
  for (const c of w.r.compose)
    for (const s of c.services) {
      if (s.command || s.entrypoint || isProxyService(s)) continue;
      const repo = s.image ? imageRepository(s.image) : undefined;
      const built = builtBy(c, s);
      // (a service building another stage than this one, `target: backend`, runs that stage's)
      const builtHere = built === dockerfile && (stage === undefined || ofStage(s.build?.target));
      const byName = !built && named(repo, s.image);
      if (builtHere || byName)
        out.push({
          starter: (via) => composeStarter(w, c, s, via),
          how: built ? how : `runs ${s.image}, the image of ${of}`,
        });
    }
  for (const wl of w.r.workloads) {
    if (wl.process.words || wl.process.shell || runsOtherSoftware(wl)) continue;
    const df = wl.process.dockerfile;
    const byFile =
      df?.file === dockerfile && (stage === undefined ? df.target === undefined || df.target === last?.name : ofStage(df.target));
    const repo = wl.process.image ? imageRepository(wl.process.image) : undefined;
    const byName = !df && named(repo, wl.process.image);
    // an image the files cannot name (a chart's `{{ .Values.image.repository }}`) may be this one
    const unnamed = runsUnnamedImage(wl);
    if (byFile || byName || unnamed)
      out.push({
        starter: (via) => sourceStarter(w, wl.source, via),
        how: byFile
          ? how
          : byName
            ? `runs ${wl.process.image}, the image of ${of}`
            : `runs ${wl.process.image}, presumed the image of ${of}`,
      });
  }
  return out;
}

/** The production workloads that run an image's own command and no other software: the runners of an image nothing ties. */
function anyImageRunners(w: Walk): Workload[] {
  return w.r.workloads.filter(
    (x) => x.source.production && !x.process.once && !x.process.scheduled && !x.process.words && !x.process.shell && !runsOtherSoftware(x),
  );
}

/** The starters of one source, walking up its scripts, images and supervisord configurations. */
function startersOf(w: Walk, start: ProcessSource): Starter[] {
  const out: Starter[] = [];
  const seen = new Set<string>();
  const key = (s: ProcessSource): string => `${s.kind}\0${s.file}\0${s.label}`;
  let level: { source: ProcessSource; via: readonly string[] }[] = [{ source: start, via: [] }];
  seen.add(key(start));
  const add = (s: Starter | undefined): void => {
    if (s && !out.some((o) => o.file === s.file && o.label === s.label)) out.push(s);
  };
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    const next: typeof level = [];
    const up = (source: ProcessSource, via: readonly string[]): void => {
      const k = key(source);
      if (seen.has(k)) return;
      seen.add(k);
      const terminal = sourceStarter(w, source, via);
      if (terminal) add(terminal);
      else next.push({ source, via });
    };
    for (const { source, via } of level) {
      if (source.kind === 'shell') for (const p of scriptRunners(w, source.file)) up(p.source, [`${p.how}`, ...via]);
      else if (source.kind === 'appconfig' && source.format === 'supervisord configuration')
        for (const p of supervisordRunners(w, source.file)) up(p.source, [p.how, ...via]);
      else if (source.kind === 'appconfig' && source.format === 'uWSGI configuration')
        for (const p of uwsgiRunners(w, source.file)) up(p.source, [p.how, ...via]);
      else if (source.kind === 'dockerfile') {
        const runners = imageRunners(w, source.file, source.stage).map((x) => x.starter([x.how, ...via]));
        for (const x of runners) add(x);
        // (only a development compose file builds it: production runs the image some other way)
        if (!runners.some((x) => x?.production))
          for (const wl of anyImageRunners(w))
            add(sourceStarter(w, wl.source, [`runs an image's own command (${rel(w, source.file)}'s, presumed)`, ...via]));
      }
    }
    level = next;
  }
  return out;
}

/** The Dockerfiles a source's start reaches (its scripts', its supervisord's and its own), without image runners. */
function imagesReached(w: Walk, start: ProcessSource): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>([start.file]);
  let level = [start];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    const next: ProcessSource[] = [];
    for (const s of level) {
      if (s.kind === 'dockerfile') out.add(s.file);
      // up a script's runners, and a supervisord program's: whoever starts supervisord with its file
      const runners =
        s.kind === 'shell'
          ? scriptRunners(w, s.file)
          : s.kind === 'appconfig' && s.format === 'supervisord configuration'
            ? supervisordRunners(w, s.file)
            : s.kind === 'appconfig' && s.format === 'uWSGI configuration'
              ? uwsgiRunners(w, s.file)
              : [];
      for (const p of runners)
        if (!seen.has(p.source.file)) {
          seen.add(p.source.file);
          next.push(p.source);
        }
    }
    level = next;
  }
  return out;
}

/**
 * The starters of every production command line that starts an app server from a script, an image's
 * command or a supervisord program (keyed by the command line's source).
 */
export function readStarters(r: Collected, scripts: readonly ResolvedScript[]): Starters {
  const out = new Map<ProcessSource, readonly Starter[]>();
  const sources = [...new Set(r.out.invocations.map((i) => i.source))].filter(
    (s) => s.production && (s.kind === 'shell' || s.kind === 'dockerfile' || s.kind === 'appconfig'),
  );
  if (sources.length === 0) return out;
  const base: Walk = { r, scripts };
  const images = new Set<string>();
  for (const s of sources) for (const d of imagesReached(base, s)) if (!r.devImages.has(d)) images.add(d);
  const w: Walk = images.size === 1 ? { ...base, soleImage: [...images][0]! } : base;
  for (const s of sources) out.set(s, startersOf(w, s));
  return out;
}
