// Production on a platform's own runtime: a Dockerfile only development compose services build,
// while production runs on a platform's runtime (render's `runtime: python`, App Engine, a
// buildpack) and no production process builds or runs an image (a manifest, a platform building a
// Dockerfile), is never run by production, whatever its name says: its processes, and those of the
// compose services building their own images, are development's. So is a Dockerfile nothing
// builds at all (no compose service, no platform file, no CI step that publishes images): a local or
// dev-container image. Beside a buildpack's root Procfile, so is a Dockerfile only development compose
// services build and nothing else builds or publishes, whatever its command starts.
import { shownPath } from '../../../base/relPath';
import * as path from 'node:path';
import { ciPublishesImages, publishedImages } from '../../../readers/container/publishedImages';
import { namedForProduction } from '../../../readers/devPaths';
import { PROCFILE_RUNNERS } from '../../../catalogue/procfileLocation';
import { commandWords, stageChain } from '../../../readers/container/dockerfile';
import type { Collected, ComposeBuild } from '../collect';
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
  if (imageRunners.length > 0) return;
  const ciPublishes = ciPublishesImages(r.ws.fs, r.project.files);
  if (native.length === 0) {
    // a Procfile at the app's root is a buildpack platform's (Heroku, Dokku, Scalingo, Cloud Native
    // Buildpacks): the images nothing builds beside it are local ones
    const buildpack = procfileBuildpack(r);
    if (!buildpack) return;
    const sources = new Map<string, ProcessSource>();
    for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others])
      if (x.source.kind === 'dockerfile' && x.source.production && !demoted.has(x.source)) sources.set(x.source.file, x.source);
    // (only an image with a command of its own that starts no production server and no start
    // script: a Dockerfile that runs gunicorn may be the self-hosters' image beside the platform's,
    // and one without a command may be where the platform runs the Procfile, as cabotage does)
    const serves = (file: string): boolean => {
      const d = r.dockerfiles.find((x) => x.file === file);
      const chain = d ? stageChain(d) : [];
      if (!chain.some((st) => st.cmd || st.entrypoint)) return true;
      return (
        r.out.invocations.some((i) => i.source.file === file && i.server !== 'runserver') ||
        r.out.scripts.some((x) => x.source.file === file && !x.ref.make)
      );
    };
    demoteUnbuiltImages(r, demoted, buildpack, sources, ciPublishes, serves);
    demoteDevelopmentBuiltImages(r, demoted, buildpack, sources, ciPublishes);
    return;
  }
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
  demoteUnbuiltImages(r, demoted, runtime, dockerfileSources, ciPublishes);
  for (const [file, src] of dockerfileSources) {
    const builders = composeBuilds.filter((b) => b.dockerfile === file);
    if (builders.length === 0 || builders.some((b) => !b.devReason)) continue;
    const devReason = `only ${[...new Set(builders.map((b) => b.label))].join(', ')} build${builders.length === 1 ? 's' : ''} it (${builders[0]!.devReason}), while production runs on ${runtime}`;
    demoted.set(src, { ...src, production: false, devReason });
  }
  // A Dockerfile only those development services build (the local setup beside a buildpack
  // deployment), that no CI step publishes and nothing production runs starts: the development image,
  // whose findings are not production's (an image a platform builds, heroku.yml's container stack,
  // is an image runner and keeps it production's: this pass does not run then)
  for (const d of r.dockerfiles) {
    if (ciPublishes || r.devImages.has(d.file) || workloads.some((w) => w.process.dockerfile?.file === d.file)) continue;
    const builders = composeBuilds.filter((b) => b.dockerfile === d.file);
    if (builders.length === 0 || builders.some((b) => !b.devReason)) continue;
    if (namedForProduction(rel(d.file)) || d.stages.some((st) => st.name && namedForProduction(st.name))) continue;
    // a compose file named for production beside it overrides a service that builds it
    // (`docker compose -f docker-compose.yml -f docker-compose.prod.yml`): the image is production's
    if (productionOverrides(r, builders)) continue;
    r.devImages.set(
      d.file,
      `only ${[...new Set(builders.map((b) => b.label))].join(', ')} build${builders.length === 1 ? 's' : ''} it, while production runs on ${runtime}`,
    );
  }
}

/**
 * A Dockerfile nothing builds (no compose service, no platform file, no CI step that publishes
 * images), not filed or staged for production, while production runs on a platform's own runtime
 * (`runtime`): a local or dev-container image, whose processes are development's.
 */
function demoteUnbuiltImages(
  r: Collected,
  demoted: Demotions,
  runtime: string,
  dockerfileSources: ReadonlyMap<string, ProcessSource>,
  ciPublishes: boolean,
  keep: (dockerfile: string) => boolean = () => false,
): void {
  const rel = (p: string): string => shownPath(r.project, p);
  for (const d of r.dockerfiles) {
    if (ciPublishes || r.devImages.has(d.file) || r.composeBuilds.some((b) => b.dockerfile === d.file)) continue;
    if (r.workloads.some((w) => w.process.dockerfile?.file === d.file) || keep(d.file)) continue;
    // a Dockerfile filed or staged for production (docker/prod/Dockerfile, `FROM … AS production`)
    // is a production image its users build themselves, beside the platform
    if (namedForProduction(rel(d.file)) || d.stages.some((st) => st.name && namedForProduction(st.name))) continue;
    const devReason = `nothing builds it (no compose service, platform file or CI step that publishes images), while production runs on ${runtime}`;
    r.devImages.set(d.file, devReason);
    const src = dockerfileSources.get(d.file);
    if (src) demoted.set(src, { ...src, production: false, devReason: `${rel(d.file)}: ${devReason}` });
  }
}

/**
 * A Dockerfile only development compose services build (the local stack beside a buildpack
 * Procfile: it mounts the checkout, runs a throwaway database), while production runs on the
 * buildpack (`runtime`): the development image, even when its command starts a server through a
 * start script. Not a Dockerfile at the root of the Procfile's folder (a platform reading the Procfile
 * may build it: Dokku does), nor one something else builds or publishes (a CI step that publishes images, a
 * script or CI job that builds it under a name, a workload that runs it: the self-hosters' image),
 * when it is filed or staged for production, when a compose file named for production overrides a
 * service that builds it, or when a builder is development's only because its file sits beside
 * another deployment (passes/composeBeside.ts: that deployment runs the image).
 */
function demoteDevelopmentBuiltImages(
  r: Collected,
  demoted: Demotions,
  runtime: string,
  dockerfileSources: ReadonlyMap<string, ProcessSource>,
  ciPublishes: boolean,
): void {
  if (ciPublishes) return;
  const rel = (p: string): string => shownPath(r.project, p);
  // a Dockerfile at the root of a production Procfile's folder may be what its platform builds:
  // Dokku picks its Dockerfile builder for such a folder without .buildpacks (catalogue
  // DOKKU_HEROKUISH_DETECTION), so it stays as it is (presumed production's)
  const platformRoots = new Set(
    r.out.invocations
      .filter((i) => i.source.kind === 'procfile' && i.source.production)
      .map((i) => path.join(path.dirname(i.source.file), 'Dockerfile')),
  );
  let builtByName: Set<string> | undefined;
  for (const d of r.dockerfiles) {
    if (r.devImages.has(d.file) || platformRoots.has(d.file) || r.workloads.some((w) => w.process.dockerfile?.file === d.file)) continue;
    const builders = r.composeBuilds.filter((b) => b.dockerfile === d.file);
    if (builders.length === 0 || builders.some((b) => !b.devReason || r.composeBeside.has(`${b.file}\0${b.service}`))) continue;
    if (namedForProduction(rel(d.file)) || d.stages.some((st) => st.name && namedForProduction(st.name))) continue;
    if (productionOverrides(r, builders)) continue;
    // (built under a name by a script or a CI job: `docker build -t example/shop -f docker/Dockerfile .`)
    builtByName ??= new Set(
      [
        ...publishedImages(
          r.ws.fs,
          r.project.files.filter((f) => f.kind !== 'compose'),
        ).values(),
      ].map((p) => p.dockerfile),
    );
    if (builtByName.has(d.file)) continue;
    const devReason = `only ${[...new Set(builders.map((b) => b.label))].join(', ')} build${builders.length === 1 ? 's' : ''} it (${builders[0]!.devReason}), while production runs on ${runtime}`;
    r.devImages.set(d.file, devReason);
    const src = dockerfileSources.get(d.file);
    if (src && !demoted.has(src)) demoted.set(src, { ...src, production: false, devReason: `${rel(d.file)}: ${devReason}` });
  }
}

/**
 * Whether a compose file named for production beside one of the builders overrides its service
 * (`docker compose -f docker-compose.yml -f docker-compose.prod.yml`): the image is production's.
 */
function productionOverrides(r: Collected, builders: readonly ComposeBuild[]): boolean {
  return r.compose.some(
    (c) =>
      namedForProduction(path.basename(c.file)) &&
      builders.some((b) => path.dirname(b.file) === path.dirname(c.file) && c.services.some((s) => s.name === b.service)),
  );
}

/**
 * The buildpack a root Procfile's production web process runs on (the platforms read it there:
 * sources/procfile.ts keeps a Procfile elsewhere from production), when it starts a production
 * server and no image runs a Procfile runner (honcho, foreman…) on it: said as "a buildpack
 * platform running Procfile (web)".
 */
function procfileBuildpack(r: Collected): string | undefined {
  const web = r.out.invocations.find(
    (i) => i.source.kind === 'procfile' && i.source.production && /\(web\)$/.test(i.source.label) && i.server !== 'runserver',
  );
  if (!web) return undefined;
  for (const d of r.dockerfiles)
    for (const st of d.stages)
      for (const c of [st.entrypoint, st.cmd]) {
        if (commandWords(c).some((w) => PROCFILE_RUNNERS.includes(path.basename(w)))) return undefined;
      }
  return `a buildpack platform running ${web.source.label}`;
}
