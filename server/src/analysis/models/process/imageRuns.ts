// Which processes of the deployment files run the image a Dockerfile of the project builds with the
// image's own ENTRYPOINT and CMD: a Kubernetes container or a compose (Swarm) service that names an
// image and gives no command of its own. The image is tied to the Dockerfile by what the repository
// says: a compose service that builds the Dockerfile under that image name (`build:` beside
// `image:`), or, when the project has one production image, a name that is the project's own (the
// folder of manage.py, the repository's folder, the settings package: `acme/shop:1.4` for a project
// in shop/). An image named in a template (`{{ .Values.image.repository }}`) or a variable is not
// tied to anything: the chart's values or the deploy decide it.
import * as path from 'node:path';
import { composeDir, type ComposeService } from '../../readers/container/compose';
import { devReasonOfPath } from '../../readers/devPaths';
import type { DjangoProject } from '../project/model';
import type { ProcessModel, Workload } from './model';
import { runsOtherSoftware } from './software';
import { imageRepository, publishedDockerfile } from '../../readers/container/publishedImages';

export { imageRepository };

/** A process that runs an image of the project with the image's own command. */
export interface ImageRun {
  /** "Deployment web (container app)", "docker-stack.yml (service web)". */
  readonly label: string;
  readonly file: string;
  /** The image as written. */
  readonly image: string;
  /** Why the image is the Dockerfile's ("the image the compose service web builds", "shop, named after the project"). */
  readonly how: string;
  readonly production: boolean;
  /** The manifest's or platform's process, when it is one. */
  readonly workload?: Workload;
  /** The compose service, when it is one. */
  readonly service?: ComposeService;
}

/**
 * A workload that runs, with its image's own command and for good (not once, not on a schedule), an
 * image whose name the files cannot read (a chart's `{{ .Values.image.repository }}`): it may be the
 * project's image, and is presumed to be where one is.
 */
export function runsUnnamedImage(w: Workload): boolean {
  return (
    !w.process.dockerfile &&
    w.process.image !== undefined &&
    imageRepository(w.process.image) === undefined &&
    !w.process.once &&
    !w.process.scheduled
  );
}

/** The last part of an image's repository (`ghcr.io/acme/shop:1.4` → `shop`). */
export function imageShortName(ref: string): string | undefined {
  const repo = imageRepository(ref);
  return repo === undefined ? undefined : repo.slice(repo.lastIndexOf('/') + 1);
}

/** The image names the compose files give a Dockerfile they build (`build: .` with `image: acme/shop`), with the service. */
function namesFromCompose(p: ProcessModel, dockerfile: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of p.compose)
    for (const s of c.services) {
      if (!s.build || !s.image) continue;
      const file = path.resolve(composeDir(c), s.build.context, s.build.dockerfile);
      const repo = imageRepository(s.image);
      if (file === dockerfile && repo) out.set(repo, `the image the compose service ${s.name} builds`);
    }
  return out;
}

/** How an image reference is the image `dockerfile` builds (see runsOfImage), or undefined. */
function imageMatcher(p: ProcessModel, project: DjangoProject, dockerfile: string, sole: boolean): (image: string) => string | undefined {
  const named = namesFromCompose(p, dockerfile);
  const own = sole ? projectNames(project) : new Set<string>();
  return (image) => {
    const repo = imageRepository(image);
    const byCompose = repo ? named.get(repo) : undefined;
    if (byCompose) return byCompose;
    // an image the repository builds under that name (CI's docker build -t, the build-push action, a
    // build script's; a name written with variables, where the build writes the same text)
    if (publishedDockerfile(p.published, image) === dockerfile)
      return `the image the repository builds from ${path.basename(dockerfile)} under that name`;
    if (!repo) return undefined;
    const short = repo.slice(repo.lastIndexOf('/') + 1);
    return own.has(short) ? `${short}, named after the project` : undefined;
  };
}

/**
 * The workloads (manifest containers) that run the image `dockerfile` builds, whatever command they
 * give it (see runsOfImage for how an image is known to be it).
 */
export function workloadsOfImage(p: ProcessModel, project: DjangoProject, dockerfile: string, sole: boolean): ImageRun[] {
  const how = imageMatcher(p, project, dockerfile, sole);
  const out: ImageRun[] = [];
  for (const w of p.workloads) {
    const h = w.process.renderedImage
      ? (how(w.process.renderedImage) ?? how(w.process.image!))
      : w.process.image
        ? how(w.process.image)
        : undefined;
    if (h)
      out.push({
        label: w.source.label,
        file: w.source.file,
        image: w.process.image!,
        how: h,
        production: w.source.production,
        workload: w,
      });
  }
  return out;
}

/** The names a project's own image goes by: the folder of manage.py, the repository's folder, the settings package. */
function projectNames(project: DjangoProject): Set<string> {
  const out = new Set<string>();
  const add = (n: string | undefined): void => {
    const t = n?.trim().toLowerCase();
    if (t && t.length >= 3) {
      out.add(t);
      out.add(t.replace(/_/g, '-'));
    }
  };
  add(path.basename(project.root));
  if (project.repositoryRoot) add(path.basename(project.repositoryRoot));
  for (const m of project.settingsModules) add(m.name.split('.')[0]);
  return out;
}

/** Whether an image is named after the project (`acme/shop:1.4` for a project in shop/). */
export function namedAfterProject(project: DjangoProject, image: string): boolean {
  const repo = imageRepository(image);
  return repo !== undefined && projectNames(project).has(repo.slice(repo.lastIndexOf('/') + 1));
}

/**
 * The processes that run the image `dockerfile` builds with its own ENTRYPOINT and CMD. `sole`: the
 * Dockerfile is the project's only production image, so an image named after the project is it.
 */
export function runsOfImage(p: ProcessModel, project: DjangoProject, dockerfile: string, sole: boolean): ImageRun[] {
  const how = imageMatcher(p, project, dockerfile, sole);
  const out: ImageRun[] = [];
  for (const w of p.workloads) {
    const image = w.process.image;
    if (!image || w.process.words || w.process.shell || runsOtherSoftware(w)) continue;
    const h = (w.process.renderedImage ? how(w.process.renderedImage) : undefined) ?? how(image);
    if (h) out.push({ label: w.source.label, file: w.source.file, image, how: h, production: w.source.production, workload: w });
  }
  for (const c of p.compose)
    for (const s of c.services) {
      if (!s.image || s.build || s.command || s.entrypoint) continue;
      const h = how(s.image);
      if (!h) continue;
      const src = [...p.invocations, ...p.tasks, ...p.scripts].find(
        (x) => x.source.kind === 'compose' && x.source.service === s.name,
      )?.source;
      out.push({
        label: `${path.basename(c.file)} (service ${s.name})`,
        file: c.file,
        image: s.image,
        how: h,
        production: src?.production ?? !devReasonOfPath(path.relative(project.root, c.file), ['override']),
        service: s,
      });
    }
  return out;
}
