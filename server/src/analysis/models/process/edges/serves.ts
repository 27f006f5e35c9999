// Whether a Kubernetes workload's container or a compose service runs the project's app, as the
// process model read what each one starts: an app server (gunicorn, uvicorn, daphne, hypercorn,
// granian, uWSGI, runserver) on its own command line, in a start script it runs, or in the CMD of
// the image it builds (a compose service or a workload without a command of its own). What runs
// other software (a proxy, a database, a frontend's `node server.js`, celery only) is 'other';
// what cannot be told is 'unknown', with why.
import { shownPath } from '../../../base/relPath';
import * as path from 'node:path';
import { composeDir, type ComposeFile, type ComposeService } from '../../../readers/container/compose';
import { finalStage } from '../../../readers/container/dockerfile';
import { publishedDockerfile } from '../../../readers/container/publishedImages';
import { publishedOf, type Collected } from '../collect';
import { namedAfterProject } from '../imageRuns';
import type { ProcessSource, Workload } from '../model';
import { PROXY_IMAGE, isProxyService, runsOtherSoftware } from '../software';

export interface Serves {
  readonly state: 'app' | 'other' | 'unknown';
  readonly why: string;
}

function same(a: ProcessSource, b: ProcessSource): boolean {
  return a === b || (a.file === b.file && a.label === b.label);
}

function scriptName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The app server a source starts, on its own line or through the start scripts it runs (two deep). */
export function serverStartedBy(r: Collected, belongs: (s: ProcessSource) => boolean, depth = 0): string | undefined {
  const inv = r.out.invocations.find((i) => belongs(i.source));
  if (inv) return inv.server;
  if (depth > 2) return undefined;
  for (const s of r.out.scripts) {
    if (!belongs(s.source) || s.ref.make || s.ref.npmScript || s.ref.supervisord) continue;
    const name = scriptName(s.ref.script.text);
    const found = serverStartedBy(r, (x) => x.kind === 'shell' && path.basename(x.file) === name, depth + 1);
    if (found) return `${found} (through ${name})`;
  }
  return undefined;
}

/** Other software a source starts (node, nginx…), or celery and management commands only. */
function otherStartedBy(r: Collected, belongs: (s: ProcessSource) => boolean): string | undefined {
  const other = r.out.others.find((o) => belongs(o.source));
  if (other) return other.other.program.text;
  const task = r.out.tasks.find((t) => belongs(t.source));
  if (task) return task.task.kind === 'celery' ? 'celery' : `the management command ${task.task.subcommand?.text ?? ''}`.trim();
  return undefined;
}

/** The app server the image a Dockerfile builds starts with its own ENTRYPOINT and CMD. */
export function imageServer(r: Collected, dockerfile: string): string | undefined {
  return serverStartedBy(r, (s) => s.kind === 'dockerfile' && s.file === dockerfile);
}

/** The project's Dockerfiles whose image starts the app (for a workload running its image's own command). */
function appImages(r: Collected): { file: string; server: string }[] {
  const out: { file: string; server: string }[] = [];
  for (const d of r.dockerfiles) {
    const last = finalStage(d);
    if (!last || PROXY_IMAGE.test(last.base) || r.devImages.has(d.file)) continue;
    const server = imageServer(r, d.file);
    if (server) out.push({ file: d.file, server });
  }
  return out;
}

/** Programs that run other languages than Python: a command starting one runs no Django app. */
const NOT_PYTHON = new Set([
  'node',
  'nodejs',
  'npm',
  'npx',
  'yarn',
  'pnpm',
  'bun',
  'deno',
  'java',
  'ruby',
  'bundle',
  'rails',
  'php',
  'php-fpm',
  'dotnet',
  'nginx',
  'caddy',
  'httpd',
]);

/** The program a command's first word runs, when it is one of NOT_PYTHON. */
function notPython(words: readonly { readonly text: string }[] | undefined): string | undefined {
  const first = words?.[0]?.text;
  if (!first) return undefined;
  const base = scriptName(first);
  return NOT_PYTHON.has(base) ? base : undefined;
}

/** Django's own variables: a container that sets them runs Django. */
const DJANGO_ENV = /^(DJANGO_[A-Z0-9_]+|DATABASE_URL|SECRET_KEY)$/;

/**
 * Whether a workload's container runs the app. `sole`: it is the only long-running workload of its
 * deployment set that runs its image's own command and no other software (a chart's one Deployment; a worker
 * whose own command starts something else does not count: edges/kubernetes.ts ownerServes).
 */
export function workloadServes(r: Collected, w: Workload, sole: boolean): Serves {
  const p = w.process;
  if (p.once || p.scheduled) return { state: 'other', why: `${w.source.label} runs once or on a schedule` };
  if (runsOtherSoftware(w)) return { state: 'other', why: `${w.source.label} runs ${p.image ?? `the container ${p.container ?? '?'}`}` };
  const belongs = (s: ProcessSource): boolean => same(s, w.source);
  const server = serverStartedBy(r, belongs);
  if (server) return { state: 'app', why: `${w.source.label} runs ${server}` };
  if (p.words || p.shell) {
    const other = otherStartedBy(r, belongs) ?? notPython(p.words);
    if (other) return { state: 'other', why: `${w.source.label} runs ${other}` };
    return { state: 'unknown', why: `${w.source.label}'s command starts no app server the analysis recognises` };
  }
  // no command of its own: its image's
  const images = appImages(r);
  if (images.length === 0)
    return {
      state: 'unknown',
      why: `${w.source.label} runs its image's own command, and no Dockerfile of the project is seen to start the app`,
    };
  // the image the repository's CI builds from the project's Dockerfile and publishes under that name
  const from = p.image ? publishedDockerfile(publishedOf(r), p.image) : undefined;
  const own = from ? images.find((i) => i.file === from) : undefined;
  if (own)
    return {
      state: 'app',
      why: `${w.source.label} runs ${p.image}, the image the repository builds from ${shownPath(r.project, own.file)}, which starts ${own.server}`,
    };
  // an image pushed from the project's one image that starts the app, under the project's name (as for a compose service)
  if (p.image && images.length === 1 && namedAfterProject(r.project, p.image))
    return {
      state: 'app',
      why: `${w.source.label} runs ${p.image}, named after the project: the project's image (${shownPath(r.project, images[0]!.file)}) starts ${images[0]!.server}`,
    };
  const built = `${images.map((i) => shownPath(r.project, i.file)).join(', ')} starts ${images[0]!.server}`;
  const django = [...p.env.keys()].find((k) => DJANGO_ENV.test(k));
  if (django)
    return { state: 'app', why: `${w.source.label} runs its image's own command and sets ${django}; the project's image (${built})` };
  if (sole)
    return {
      state: 'app',
      why: `${w.source.label} is the only workload of its deployment set and runs its image's own command; the project's image (${built})`,
    };
  return { state: 'unknown', why: `${w.source.label} runs its image's own command, and nothing says the image is the project's` };
}

/** The Dockerfile a compose service runs the image of: the one it builds, or the one another service builds into the image it names. */
export function composeDockerfile(c: ComposeFile, s: ComposeService): string | undefined {
  const b = s.build ?? c.services.find((o) => o.build && o.image && o.image === s.image)?.build;
  return b ? path.resolve(composeDir(c), b.context, b.dockerfile) : undefined;
}

/** Whether a compose service runs the app. */
export function composeServes(r: Collected, c: ComposeFile, s: ComposeService): Serves {
  const label = `${path.basename(c.file)} (service ${s.name})`;
  if (isProxyService(s)) return { state: 'other', why: `${label} runs a proxy` };
  const belongs = (x: ProcessSource): boolean => x.kind === 'compose' && x.file === c.file && x.service === s.name;
  const server = serverStartedBy(r, belongs);
  if (server) return { state: 'app', why: `${label} runs ${server}` };
  if (s.command || s.entrypoint) {
    const other = otherStartedBy(r, belongs) ?? notPython(s.entrypoint ?? s.command);
    if (other) return { state: 'other', why: `${label} runs ${other}` };
  }
  const dockerfile = composeDockerfile(c, s);
  if (dockerfile && !s.command && !s.entrypoint) {
    const image = imageServer(r, dockerfile);
    if (image) return { state: 'app', why: `${label} runs the image of ${path.basename(dockerfile)}, which starts ${image}` };
  }
  if (s.image && !s.build && !dockerfile) {
    const w = { source: { file: c.file, label } as ProcessSource, process: { image: s.image } } as Workload;
    if (runsOtherSoftware(w)) return { state: 'other', why: `${label} runs the image ${s.image}` };
    // an image pushed from the project's one image that starts the app, under the project's name
    const images = !s.command && !s.entrypoint && namedAfterProject(r.project, s.image) ? appImages(r) : [];
    if (images.length === 1)
      return {
        state: 'app',
        why: `${label} runs ${s.image}, named after the project: the project's image (${shownPath(r.project, images[0]!.file)}) starts ${images[0]!.server}`,
      };
    return { state: 'unknown', why: `${label} runs the image ${s.image}, which the repository does not build` };
  }
  return { state: 'unknown', why: `${label} starts no app server the analysis recognises` };
}

/**
 * Why a compose service's processes are not production's (its file, name or profiles say so, or a
 * pass demoted everything it runs); undefined: production.
 */
export function composeServiceDevReason(r: Collected, file: string, service: string): string | undefined {
  const dev = r.composeDev.get(`${file}\0${service}`);
  if (dev) return dev;
  const runs = r.out.invocations.filter((i) => i.source.kind === 'compose' && i.source.file === file && i.source.service === service);
  if (runs.length > 0 && runs.every((i) => !i.source.production)) return runs[0]!.source.devReason ?? 'development';
  return undefined;
}
