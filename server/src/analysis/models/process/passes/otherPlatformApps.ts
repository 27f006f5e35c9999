// A platform file of another app kept in the repository: a fly.toml in a folder of its own that
// deploys a prebuilt image the repository does not build (`[build] image = "flyio/postgres-flex:15"`,
// the app's database cluster) and whose processes start nothing (no command of their own, or one
// that starts no Django process), beside a platform file that deploys the project (it builds the
// repository's Dockerfile or runs the app on the platform's runtime, or its command starts Django).
// It is not a deployment of the app: its workloads are set aside, with why, and no hop of it is in
// front of the app. Alone, such a file stays production's: a prebuilt image may be the app's own,
// pushed by a build the repository does not show.
// So is a Fly Postgres app's fly.toml (made by `fly postgres create`, its image chosen by flyctl):
// no [build] section and no Dockerfile in its folder, so `fly deploy` would build nothing of the
// repository (catalogue platformRuntime.ts FLY_DEFAULT_BUILD), and its services are only a
// database's, TCP with the pg_tls handler or on a Postgres port (FLY_POSTGRES_SERVICES).
import { shownPath } from '../../../base/relPath';
import { imageRepository } from '../../../readers/container/publishedImages';
import { publishedOf, type Collected } from '../collect';
import type { Workload } from '../model';

/** Sets aside the platform workloads of another app (see the top of the file); the workloads are replaced in place. */
export function setAsideOtherPlatformApps(r: Collected): void {
  const workloads = r.workloads;
  const own = new Set<string>();
  for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards]) own.add(x.source.file);
  const deploysApp = (w: Workload): boolean =>
    w.source.production &&
    w.source.kind === 'platform' &&
    !w.process.once &&
    !w.process.scheduled &&
    (w.process.dockerfile !== undefined || w.process.nativeRuntime !== undefined || own.has(w.source.file));
  const published = new Set([...publishedOf(r).keys()].map(imageRepository).filter((x) => x !== undefined));
  const appBeside = (w: Workload): Workload | undefined =>
    workloads.find((o) => o.source.file !== w.source.file && o.source.format === w.source.format && deploysApp(o));
  for (let k = 0; k < workloads.length; k++) {
    const w = workloads[k]!;
    if (!w.source.production || w.source.kind !== 'platform' || w.process.nativeRuntime) continue;
    // its own processes start something of the project (a Django command, a script of the repository)
    if (own.has(w.source.file)) continue;
    const db = databaseApp(r, w);
    if (db) {
      const app = appBeside(w);
      if (!app) continue;
      const why = `another app's deployment: ${db}, and starts nothing of Django, while ${shownPath(r.project, app.source.file)} deploys the project`;
      workloads[k] = { source: { ...w.source, production: false, devReason: why, otherProject: why }, process: w.process };
      continue;
    }
    const image = w.process.image;
    if (!image || w.process.dockerfile) continue;
    // (an image the repository builds under that name: the app's, or a companion's deployed with it)
    const repo = imageRepository(image);
    if (repo === undefined || published.has(repo)) continue;
    const app = appBeside(w);
    if (!app) continue;
    const why = `another app's deployment: it deploys the prebuilt image ${image}, which the repository does not build, and starts nothing of Django, while ${shownPath(r.project, app.source.file)} deploys the project`;
    workloads[k] = { source: { ...w.source, production: false, devReason: why, otherProject: why }, process: w.process };
  }
}

/**
 * A Fly Postgres app's workload: it builds nothing of the repository (no prebuilt image written, and
 * the Dockerfile fly would build, its folder's when fly.toml has no [build], is not there) and its
 * services are only a database's. What it is, or undefined.
 */
function databaseApp(r: Collected, w: Workload): string | undefined {
  const p = w.process;
  if (w.source.format !== 'fly.toml' || !p.databaseServices || p.image !== undefined) return undefined;
  if (p.dockerfile && r.ws.fs.exists(p.dockerfile.file)) return undefined;
  const built = p.dockerfile
    ? `it builds nothing of the repository (no ${shownPath(r.project, p.dockerfile.file)}, which fly deploy would build)`
    : 'it builds nothing of the repository';
  return `${built} and ${p.databaseServices}`;
}
