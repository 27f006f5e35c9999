// Production on a platform's own runtime: a Dockerfile only development compose services build,
// while production runs on a platform's runtime (render's `runtime: python`, App Engine, a
// buildpack) and no production process builds or runs an image (a manifest, a platform building a
// Dockerfile), is never run by production, whatever its name says: its processes, and those of the
// compose services building their own images, are development's.
import { shownPath } from '../../../base/relPath';
import * as path from 'node:path';
import type { Collected } from '../collect';
import type { ProcessSource } from '../model';
import { runsOtherSoftware } from '../software';
import type { Demotions } from './demotion';

export function demoteBesideNativeRuntime(r: Collected, demoted: Demotions): void {
  const { project, workloads, composeBuilds } = r;
  const native = workloads.filter(
    (w) => w.source.production && w.process.nativeRuntime && !w.process.once && !w.process.scheduled && !runsOtherSoftware(w),
  );
  const imageRunners = workloads.filter(
    (w) => w.source.production && (w.source.kind === 'kubernetes' || (w.process.dockerfile && !w.process.nativeRuntime)),
  );
  if (native.length === 0 || imageRunners.length > 0) return;
  const rel = (p: string): string => shownPath(project, p);
  const runtime = `${native[0]!.process.nativeRuntime!.what} (${rel(native[0]!.source.file)})`;
  // a compose service that builds its own image, in a file not named for production: nothing in
  // production builds that image, so it is the local setup (micromasters' docker-compose.yml
  // beside its Heroku buildpacks)
  for (const b of composeBuilds)
    if (!b.devReason && b.service !== undefined && !/(^|[-_.])(prod|production|live|deploy)([-_.]|$)/i.test(path.basename(b.file)))
      b.devReason = `it builds an image production never runs: production runs on ${runtime}`;
  const dockerfileSources = new Map<string, ProcessSource>();
  for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others]) {
    if (!x.source.production || demoted.has(x.source)) continue;
    if (x.source.kind === 'dockerfile') dockerfileSources.set(x.source.file, x.source);
    const b =
      x.source.kind === 'compose' ? composeBuilds.find((c) => c.file === x.source.file && c.service === x.source.service) : undefined;
    if (b?.devReason) demoted.set(x.source, { ...x.source, production: false, devReason: `the service ${b.service}: ${b.devReason}` });
  }
  for (const [file, src] of dockerfileSources) {
    const builders = composeBuilds.filter((b) => b.dockerfile === file);
    if (builders.length === 0 || builders.some((b) => !b.devReason)) continue;
    const devReason = `only ${[...new Set(builders.map((b) => b.label))].join(', ')} build${builders.length === 1 ? 's' : ''} it (${builders[0]!.devReason}), while production runs on ${runtime}`;
    demoted.set(src, { ...src, production: false, devReason });
  }
}
