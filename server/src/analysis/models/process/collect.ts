// The one interface between the source adapters (sources/) and the process model: what a build has
// collected so far. Each adapter reads one family of files with its reader and adds what the file
// starts here (its commands through commandRecords.ts, its workloads, images and proxies); the passes
// (passes/) then read it all and rewrite what production runs. Also what the adapters share, read
// once per build: the project's Dockerfiles (parsed once whoever asks), its kustomized manifests and
// the Kubernetes objects of all its manifests.
import type { DjangoProject } from '../project/model';
import type { ScannedFile } from '../../files/scan';
import type { FileView } from '../../files/view';
import type { ArgsForward, OtherProgram, PackageInstall, ScriptRef, TaskInvocation } from '../../readers/process/commands';
import type { ComposeFile } from '../../readers/container/compose';
import { finalStage, parseDockerfile, targetStage, type Dockerfile, type DockerStage } from '../../readers/container/dockerfile';
import { publishedImage, publishedImages, type PublishedImage } from '../../readers/container/publishedImages';
import { chartContexts, manifestTexts } from '../../readers/deploy';
import { type AnsibleScope, ansibleScopes } from '../../readers/ansible';
import { type ChartContext, collectObjects, type Objects, secretTemplatesOf } from '../../readers/kubernetes/manifests';
import { kustomizeReach } from '../../readers/kubernetes/kustomize';
import { type BuildConfigRecord, readBuildConfigs } from '../../readers/kubernetes/openshiftImages';
import type { ProxyMount } from '../../readers/proxy/configs';
import type { DeployEnv } from '../../readers/workload';
import type { EnvValue, ProcessSource, ProxyEvidence, ServerInvocation, ShellChild, Workload } from './model';

/** The commands the processes run, recognised (commandRecords.ts); the passes replace the lists. */
export interface CommandRecords {
  invocations: ServerInvocation[];
  scripts: { ref: ScriptRef; source: ProcessSource }[];
  forwards: { forward: ArgsForward; source: ProcessSource }[];
  tasks: { task: TaskInvocation; source: ProcessSource }[];
  /** Package installations the command lines run (apt-get install, pip install, npm ci). */
  installs: { install: PackageInstall; source: ProcessSource }[];
  others: { other: OtherProgram; source: ProcessSource }[];
  /** The servers shell scripts start as their last command without exec (shellChildren.ts); their source is the script's as read, before the passes. */
  shellChildren: ShellChild[];
}

/** A compose service that builds a Dockerfile, with why it is for development (undefined: production). */
export interface ComposeBuild {
  readonly dockerfile: string;
  readonly label: string;
  devReason: string | undefined;
  readonly file: string;
  readonly service?: string;
}

export interface Collected {
  readonly ws: FileView;
  readonly project: DjangoProject;
  readonly out: CommandRecords;
  readonly compose: ComposeFile[];
  readonly dockerfiles: Dockerfile[];
  readonly devImages: Map<string, string>;
  readonly proxies: ProxyEvidence[];
  /** What the proxy services of compose files mount (passes/proxies.ts reads their configurations through them). */
  readonly proxyMounts: ProxyMount[];
  readonly workloads: Workload[];
  readonly literals: { file: string; env: DeployEnv }[];
  /** The compose services that build each Dockerfile. */
  readonly composeBuilds: ComposeBuild[];
  /**
   * Why each compose service (`file\0service`, proxies included) is for development, as its file,
   * name, profiles and mounts say; undefined: production (the passes may still demote what it runs).
   */
  readonly composeDev: Map<string, string | undefined>;
  /**
   * The compose services (`file\0service`) development's only because their file sits beside another
   * deployment of the app (passes/composeBeside.ts): that reason. The image they build stays
   * production's: the other deployment runs it.
   */
  readonly composeBeside: Map<string, string>;
  /** Compose services (`file\0service`) whose whole command is one variable the repository does not set (`${COMMAND}`): that text. */
  readonly composeSuppliedCommands: Map<string, string>;
  /**
   * The process source of each compose service that runs its image's own command (`file\0service`):
   * the environment that command runs with (the image's ENV, the env files, `environment:`).
   */
  readonly composeServiceSources: Map<string, ProcessSource>;
  /**
   * The environment of each compose proxy service (`file#service`, the group of its ProxyMounts):
   * its env files and `environment:`, as compose gives them (Caddy fills `{$VAR}` from it).
   */
  readonly proxyEnv: Map<string, Map<string, EnvValue>>;
  /** The project has container or platform process files. */
  containerized: boolean;
  /** The manifests a kustomization reads (read through it, never alone); undefined without one. */
  readonly kustomized: Set<string> | undefined;
  /** The ConfigMaps, Secrets and autoscalers of all the manifests, when there are several. */
  readonly objects: Objects | undefined;
  /** The chart a template file belongs to (its production values and named templates); undefined for any other file. */
  readonly chartOf: (file: string) => ChartContext | undefined;
  /** The variables an Ansible role's template sees (readers/ansible.ts); undefined for a file in no role. */
  readonly ansibleOf: (file: string) => AnsibleScope | undefined;
  readonly composeFiles: readonly ScannedFile[];
  readonly dockerfileFiles: readonly string[];
  /** Each Dockerfile parsed once (see dockerfileAt). */
  readonly dockerCache: Map<string, Dockerfile | undefined>;
  /** The images the repository builds under a name, by repository name (readers/container/publishedImages.ts), read when first asked: publishedOf. */
  published?: Map<string, PublishedImage>;
  /** The images CI jobs and build scripts publish, without the names compose files give their builds (foreignApps.ts). */
  publishedByBuilds?: Map<string, PublishedImage>;
  /** The OpenShift BuildConfigs of the repository's manifests (readers/kubernetes/openshiftImages.ts), read when first asked: buildConfigsOf. */
  buildConfigs?: BuildConfigRecord[];
}

/** Reads one scanned file of the kind it is registered for (build.ts) into `c`; `rel` is its path from the project. */
export type SourceAdapter = (c: Collected, f: ScannedFile, rel: string) => void;

/** An empty collection for `project`, with the manifests' shared reads done. */
export function startCollecting(ws: FileView, project: DjangoProject): Collected {
  const files = project.files;
  // the ConfigMaps, Secrets and autoscalers of all the manifests, collected once for all of them
  // a kustomization's resources and patches are read through it (a base is not deployed alone)
  // (and a manifest beside a kustomization that none lists is never deployed: a template the
  // cluster's Secret is made from, whose keys a container's envFrom of that Secret gets)
  const reach = kustomizeReach(ws.fs, files);
  const kustomized = reach && new Set([...reach.consumed, ...reach.unlisted]);
  const manifests = files.some((f) => f.kind === 'manifest')
    ? manifestTexts(ws.fs, kustomized ? files.filter((f) => !kustomized.has(f.path)) : files)
    : [];
  const templates = reach?.unlisted.size
    ? secretTemplatesOf(
        manifestTexts(
          ws.fs,
          files.filter((f) => reach.unlisted.has(f.path)),
        ),
      )
    : undefined;
  const collected = manifests.length > 1 || templates?.size ? collectObjects(manifests) : undefined;
  const objects = collected && templates?.size ? { ...collected, secretTemplates: templates } : collected;
  // the chart of a template, found when a template first asks (most projects have none)
  const chartOf = chartContexts(ws.fs, files, ws.scanFor(project.root)?.root ?? project.root);
  return {
    ws,
    project,
    out: { invocations: [], scripts: [], forwards: [], tasks: [], others: [], installs: [], shellChildren: [] },
    compose: [],
    dockerfiles: [],
    devImages: new Map(),
    proxies: [],
    proxyMounts: [],
    workloads: [],
    literals: [],
    composeBuilds: [],
    composeDev: new Map(),
    composeBeside: new Map(),
    composeSuppliedCommands: new Map(),
    composeServiceSources: new Map(),
    proxyEnv: new Map(),
    containerized: false,
    kustomized,
    objects,
    chartOf,
    ansibleOf: ansibleScopes(ws.fs, files),
    composeFiles: files.filter((f) => f.kind === 'compose'),
    dockerfileFiles: files.filter((f) => f.kind === 'dockerfile').map((f) => f.path),
    dockerCache: new Map(),
  };
}

/** The Dockerfile at `file`, parsed once per build (a Dockerfile, the compose services building it and its neighbours ask). */
export function dockerfileAt(c: Collected, file: string): Dockerfile | undefined {
  if (!c.dockerCache.has(file)) {
    const text = c.ws.fs.readText(file);
    const parsed = text === undefined ? undefined : parseDockerfile(file, text);
    // (cached before its base is looked up: two Dockerfiles built FROM each other end there)
    c.dockerCache.set(file, parsed);
    if (parsed) c.dockerCache.set(file, onPublishedBase(c, parsed));
  }
  return c.dockerCache.get(file);
}

/**
 * A Dockerfile whose last stage is built FROM an image the repository builds under a name (`FROM
 * doccano/doccano:nightly`, which CI builds from docker/Dockerfile): that stage with what the image
 * gives it, as Docker builds it — the image's ENV under its own, its WORKDIR, ENTRYPOINT and CMD
 * where it sets none (a CMD of its own keeps the image's ENTRYPOINT; an ENTRYPOINT of its own drops
 * the image's CMD). The parsed Dockerfile is shared by text, so a new one is made.
 */
function onPublishedBase(c: Collected, d: Dockerfile): Dockerfile {
  const last = finalStage(d);
  if (!last) return d;
  // the stage of the file the last one is built from, down to one built FROM an image
  let root = last;
  for (let n = 0; n < 20; n++) {
    const parent = d.stages.find((x) => x.index < root.index && x.name?.toLowerCase() === root.base.toLowerCase());
    if (!parent) break;
    root = parent;
  }
  const from = publishedImage(publishedOf(c), root.base);
  if (!from || from.dockerfile === d.file) return d;
  const base = dockerfileAt(c, from.dockerfile);
  // (the stage it is built with: `--target backend`, else the last)
  const image = base ? targetStage(base, from.target) : undefined;
  if (!image) return d;
  const stage: DockerStage = {
    ...last,
    env: new Map([...image.env, ...last.env]),
    workdir: last.workdir ?? image.workdir,
    entrypoint: last.entrypoint ?? image.entrypoint,
    cmd: last.cmd ?? (last.entrypoint ? undefined : image.cmd),
    copies: [...image.copies, ...last.copies],
    expose: [...new Set([...image.expose, ...last.expose])],
  };
  return { ...d, stages: [...d.stages.slice(0, -1), stage] };
}

/**
 * The BuildConfigs of the repository's manifests, read once per collection; a `contextDir` is
 * relative to the repository's root (the folder the analysis found the project in when none is known).
 */
export function buildConfigsOf(r: Collected): BuildConfigRecord[] {
  if (r.buildConfigs) return r.buildConfigs;
  const root = r.project.repositoryRoot ?? r.ws.scanFor(r.project.root)?.root ?? r.project.root;
  r.buildConfigs = manifestTexts(r.ws.fs, r.project.files).flatMap(({ file, text }) => readBuildConfigs(file, text, root));
  return r.buildConfigs;
}

/** The images the repository builds under a name, with their Dockerfiles (publishedImages), read once per collection. */
export function publishedOf(r: Collected): Map<string, PublishedImage> {
  r.published ??= publishedImages(r.ws.fs, r.project.files);
  return r.published;
}
