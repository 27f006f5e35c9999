// Whether the platform in front of production redirects plain HTTP to HTTPS itself (fly.io's
// force_https, render's web services, App Engine's `secure: always`).
import type { ProcessModel, SourceKind } from './model';

/**
 * The platform in front of every production process that serves the app redirects plain HTTP to
 * HTTPS itself (fly.io's force_https, render's web services, App Engine's `secure: always`): how, and
 * in which file; undefined when some serving process is not behind such a platform.
 */
export function platformHttpsRedirect(m: ProcessModel): { readonly how: string; readonly file: string } | undefined {
  const serving = m.invocations.filter((i) => i.source.production && i.server !== 'runserver');
  const workloads = m.workloads.filter((w) => w.source.production && !w.process.once && !w.process.scheduled);
  const web = workloads.filter((w) => w.process.httpsRedirect || serving.some((i) => i.source === w.source));
  if (web.length === 0 || !web.every((w) => w.process.httpsRedirect)) return undefined;
  // a process started by a file no platform reads (a Procfile, a compose service) is not behind it,
  // but a Dockerfile's CMD is what a platform process without a command of its own runs
  // (and the scripts that CMD starts)
  const runsImage = web.some((w) => w.process.httpsRedirect && !w.process.words && !w.process.shell);
  const inImage = (k: SourceKind): boolean => runsImage && (k === 'dockerfile' || k === 'shell');
  if (serving.some((i) => !m.workloads.some((w) => w.source === i.source) && !inImage(i.source.kind))) return undefined;
  return { how: web[0]!.process.httpsRedirect!, file: web[0]!.source.file };
}
