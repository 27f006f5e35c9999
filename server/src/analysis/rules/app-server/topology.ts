// Helpers shared by the container and process-topology rules (DDG301–DDG307): which Dockerfiles are
// built for production and run Python, the stages an image is made of, which process sources are
// one process (a Procfile entry, a compose service, a script), and which of them can run as several
// instances at once.
import * as path from 'node:path';
import { isBackingServiceImage } from '../../catalogue/databaseImages';
import { PUBLIC_BASE_IMAGE } from '../../catalogue/dockerBuild';
import type { AppServerModel, ProcessSource, ServerInvocation } from '../../models/appServer/model';
import { uwsgiUser } from '../../readers/process/appConfigs';
import { basename, type ScriptRef, type TaskInvocation } from '../../readers/process/commands';
import { composeDir, parsePort, type ComposeService } from '../../readers/container/compose';
import { LOOPBACK } from '../../models/requestPath/fronts';
import { ciFolderReason, devReasonOfPath } from '../../readers/devPaths';
import {
  finalStage,
  isFinalTarget,
  stageChain,
  type Dockerfile,
  type DockerInstruction,
  type DockerStage,
} from '../../readers/container/dockerfile';
import { publishedDockerfile } from '../../readers/container/publishedImages';
import { isProxyService, type Workload } from '../../models/process/index';
import { runsOfImage, runsUnnamedImage } from '../../models/process/imageRuns';
import { runsSeveral } from '../../readers/workload';
import type { DjangoProject } from '../../models/project/model';
import type { RuleContextBase } from '../types';

export { stageChain };

/** The chain's instructions of one keyword, in file order. */
export function chainInstructions(chain: readonly DockerStage[], keyword: string): DockerInstruction[] {
  return [...chain]
    .reverse()
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === keyword);
}

/**
 * The compose services that run the image a Dockerfile builds: those that build it, and those that
 * run it, without building it, under the name the repository's CI publishes it by
 * (`image: ghcr.io/acme/shop-backend:1.4`, built by a workflow from that Dockerfile).
 */
export function servicesRunning(m: AppServerModel, dockerfile: string): { service: ComposeService; composeFile: string }[] {
  const out = servicesBuilding(m, dockerfile);
  for (const c of m.processes.compose)
    for (const s of c.services)
      if (!s.build && s.image && publishedDockerfile(m.processes.published, s.image) === dockerfile)
        out.push({ service: s, composeFile: c.file });
  return out;
}

/** The compose services that build a Dockerfile. */
export function servicesBuilding(m: AppServerModel, dockerfile: string): { service: ComposeService; composeFile: string }[] {
  const out: { service: ComposeService; composeFile: string }[] = [];
  for (const c of m.processes.compose)
    for (const s of c.services) {
      if (!s.build) continue;
      const file = path.resolve(composeDir(c), s.build.context, s.build.dockerfile);
      if (file === dockerfile) out.push({ service: s, composeFile: c.file });
    }
  return out;
}

/**
 * The stage a compose service's image is built from (its \`target:\`, else the last) and the stage at
 * the root of its chain, whose FROM is the image it is built on; undefined without a build or when
 * the Dockerfile is not read.
 */
export function builtStage(
  m: AppServerModel,
  composeFile: string,
  s: ComposeService,
): { readonly dockerfile: Dockerfile; readonly root: DockerStage } | undefined {
  if (!s.build) return undefined;
  const file = path.resolve(path.dirname(composeFile), s.build.context, s.build.dockerfile);
  const d = m.processes.dockerfiles.find((x) => x.file === file);
  if (!d) return undefined;
  const target = s.build.target?.toLowerCase();
  const from = target === undefined ? finalStage(d) : d.stages.find((x) => x.name?.toLowerCase() === target);
  const chain = from ? stageChain(d, from) : [];
  const root = chain[chain.length - 1];
  return root ? { dockerfile: d, root } : undefined;
}

/**
 * Whether a compose service is development's: as the process model judged it (its file, name,
 * profiles, mounts, module, stage: models/process/sources/compose.ts), else by its file, name,
 * profiles or a mount of the project's folder.
 */
function composeServiceDev(m: AppServerModel, project: DjangoProject, composeFile: string, s: ComposeService): boolean {
  const key = `${composeFile}\0${s.name}`;
  // a production file beside it that layers over the service (`-f docker-compose.yml -f
  // docker-compose.prod.yml`, its `web:` without an image, and building nothing or only changing
  // the build's target or arguments: compose merges `build:` key by key, so the Dockerfile stays
  // this one's) runs what it builds in production
  const dir = path.dirname(composeFile);
  const sameBuild = (o: ComposeService): boolean =>
    !o.build ||
    (!o.build.dockerfileWritten && path.resolve(dir, o.build.context) === path.resolve(dir, s.build?.context ?? o.build.context));
  const overlaid = m.processes.compose.some(
    (c) =>
      c.file !== composeFile &&
      path.dirname(c.file) === dir &&
      c.services.some(
        (o) =>
          o.name === s.name &&
          sameBuild(o) &&
          !o.image &&
          m.processes.composeDev.has(`${c.file}\0${o.name}`) &&
          m.processes.composeDev.get(`${c.file}\0${o.name}`) === undefined,
      ),
  );
  if (overlaid) return false;
  if (m.processes.composeDev.has(key)) return m.processes.composeDev.get(key) !== undefined;
  return serviceSaysDev(project, composeFile, s);
}

/** Whether a compose service's file, name, profiles or mounts (the project mounted over the image's code) say development. */
function serviceSaysDev(project: DjangoProject, composeFile: string, s: ComposeService): boolean {
  const dir = path.dirname(composeFile);
  return (
    !!devReasonOfPath(path.relative(project.root, composeFile), ['override']) ||
    !!devReasonOfPath(s.name) ||
    s.profiles.some((p) => devReasonOfPath(p)) ||
    s.volumes.some((v) => /^\.{1,2}(\/[^:]*)?:/.test(v) && path.resolve(dir, v.split(':')[0]!) === project.root)
  );
}

/**
 * Whether a compose service building a Dockerfile makes that image development's: a proxy's, or a
 * development service, unless it is development's only because its file sits beside another
 * deployment of the app (the process model's composeBeside): that deployment runs the image.
 */
function buildsForDevelopment(m: AppServerModel, project: DjangoProject, composeFile: string, s: ComposeService): boolean {
  if (isProxyService(s)) return true;
  if (!composeServiceDev(m, project, composeFile, s)) return false;
  return !m.processes.composeBeside.has(`${composeFile}\0${s.name}`) || serviceSaysDev(project, composeFile, s);
}

/**
 * Whether a compose service runs in production: as the process model decided for the service when
 * it starts a process of its own; otherwise not when every service of its file that starts one is
 * development's (a database beside a development app), nor when its file, name, profile or mounts say
 * development (see composeServiceDev), or when its file sits beside a production compose file it
 * is not named for (docker-compose.yml next to docker-compose.prod.yml).
 */
export function composeServiceProduction(m: AppServerModel, project: DjangoProject, composeFile: string, s: ComposeService): boolean {
  const p = m.processes;
  const prodName = /(^|[-_.])(prod|production|live|deploy)([-_.]|$)/i;
  const named = /(^|[-_.])staging([-_.]|$)/i.test(path.basename(composeFile)) || prodName.test(path.basename(composeFile));
  // a file of backing services only (each runs a database, cache, broker or identity server image;
  // nothing of it builds an image or runs the app) whose name does not say production, beside a
  // production deployment that runs the app from another file (fly.toml, a manifest, a systemd
  // unit), or publishing every port it publishes on the host's loopback only (`127.0.0.1:5432:5432`:
  // for a program on the same machine): the services a developer starts to run the app locally
  const file = p.compose.find((c) => c.file === composeFile);
  const runsApp = [...p.invocations, ...p.tasks].some((x) => x.source.kind === 'compose' && x.source.file === composeFile);
  const ports = file?.services.flatMap((x) => x.ports.map((t) => parsePort(t.text))) ?? [];
  const loopbackOnly = ports.length > 0 && ports.every((x) => x !== undefined && LOOPBACK.has(x.hostIp));
  if (
    !named &&
    !runsApp &&
    file?.services.every((x) => !x.build && x.image !== undefined && isBackingServiceImage(x.image)) &&
    (loopbackOnly || p.invocations.some((x) => x.source.production && x.source.kind !== 'compose'))
  )
    return false;
  const src = [...p.invocations, ...p.tasks, ...p.scripts, ...p.forwards, ...p.others].find(
    (x) => x.source.kind === 'compose' && x.source.file === composeFile && x.source.service === s.name,
  )?.source;
  if (src) return src.production;
  // a service that says it is not production's (it runs another project, a development module or stage)
  if (p.composeDev.get(`${composeFile}\0${s.name}`)) return false;
  // a service beside the app's (a database): as the file's services that run the app are
  const others = [...p.invocations, ...p.tasks, ...p.scripts].filter((x) => x.source.kind === 'compose' && x.source.file === composeFile);
  if (others.length > 0 && others.every((x) => !x.source.production)) return false;
  // …or as the services that build the app's image, when they run its own command: all development's
  const built = file?.services.filter((x) => x.build && !isProxyService(x)) ?? [];
  if (built.length > 0 && built.every((x) => p.composeDev.get(`${composeFile}\0${x.name}`) !== undefined)) return false;
  if (composeServiceDev(m, project, composeFile, s)) return false;
  const dir = path.dirname(composeFile);
  return named || !p.compose.some((c) => c.file !== composeFile && path.dirname(c.file) === dir && prodName.test(path.basename(c.file)));
}

/**
 * Whether an image carries nothing of the workspace (no COPY or ADD but from another stage or
 * image) and sets no command (no CMD or ENTRYPOINT): it cannot run the app, whatever builds it.
 */
function carriesNoApp(chain: readonly DockerStage[]): boolean {
  return chain.every((s) =>
    s.instructions.every(
      (i) =>
        i.keyword !== 'CMD' &&
        i.keyword !== 'ENTRYPOINT' &&
        ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || /(^|\s)--from=/.test(i.args.text)),
    ),
  );
}

/**
 * Whether another Dockerfile of the project is built FROM this one's image, pushed under the name of
 * its folder (`FROM registry/…/base-web:3.12` for build/base-web/Dockerfile): a base image, whose
 * settings the app's image inherits.
 */
function baseOfAnother(m: AppServerModel, d: Dockerfile): boolean {
  const dir = path.basename(path.dirname(d.file)).toLowerCase();
  return m.processes.dockerfiles.some(
    (o) =>
      o !== d &&
      o.stages.some((s) => {
        const name = s.base.toLowerCase().split('@')[0]!.split('/').pop()!.split(':')[0]!;
        return name === dir;
      }),
  );
}

/** A stage named for development or tests (`AS django-unittests`, `AS dev`). */
function devStage(name: string | undefined): boolean {
  return (
    !!name &&
    (!!devReasonOfPath(name) || /(^|[-_.])(unit-?tests?|tests?|testing|dev|develop|development|debug|local|ci)([-_.]|$)/i.test(name))
  );
}

/** A base image of a proxy, Node.js or a data service: a stage on it runs no Python of the app. */
const NOT_PYTHON_BASE = /(^|\/)(nginx|caddy|traefik|haproxy|httpd|node|postgres|redis)(:|@|$)/i;

/** Whether a stage chain runs Python: a Python base, pip/poetry/uv, or (with the Dockerfile's commands) the app. */
function chainRunsPython(chain: readonly DockerStage[]): boolean {
  return (
    chain.some((s) => /python|pypy/i.test(s.base)) ||
    chain.some((s) => s.instructions.some((i) => i.keyword === 'RUN' && /\b(pip3?|poetry|pipenv|uv)\b/.test(i.args.text)))
  );
}

/**
 * Whether a Dockerfile is built for production and runs Python: 'yes'; 'no'; or 'target' when it
 * would be but its last stage is for development or tests (`FROM release AS django-unittests`), so
 * that production builds another stage with --target, which one the analysis does not read.
 */
function productionPython(m: AppServerModel, project: DjangoProject, d: Dockerfile): 'yes' | 'no' | 'target' {
  const chain = stageChain(d);
  const last = chain[0];
  if (!last) return 'no';
  const rel = path.relative(project.root, d.file);
  if (devReasonOfPath(rel) || ciFolderReason(rel) || m.processes.devImages.has(d.file)) return 'no';
  const target = devStage(last.name);
  if (!target && NOT_PYTHON_BASE.test(last.base)) return 'no';
  // (the services that build its last stage: one building another stage, `target: development`,
  // says nothing of what a plain build of the Dockerfile, production's, is for)
  const builders = servicesBuilding(m, d.file).filter((b) => target || isFinalTarget(d, b.service.build?.target));
  // an image that holds nothing of the app and runs nothing (a CI runner installing ansible): a tool's
  if (builders.length === 0 && carriesNoApp(chain) && !m.commands.some((c) => c.source.file === d.file) && !baseOfAnother(m, d))
    return 'no';
  // (built only by development services, but perhaps run by production all the same: a manifest's
  // container running an image its template names, the chart's values deciding which)
  if (
    builders.length > 0 &&
    builders.every((b) => buildsForDevelopment(m, project, b.composeFile, b.service)) &&
    !maybeRunByProduction(m, project, d)
  )
    return 'no';
  const runsPython =
    chainRunsPython(chain) || m.commands.some((c) => c.source.file === d.file) || m.processes.tasks.some((t) => t.source.file === d.file);
  if (!runsPython) return 'no';
  return target ? 'target' : 'yes';
}

/**
 * The Dockerfiles built for production that run Python: not named or staged for development, not
 * built only by development compose services, not a proxy image, and running pip/poetry/uv, based
 * on a Python image, or starting the app, a management command or celery.
 */
export function productionPythonDockerfiles(m: AppServerModel, project: DjangoProject): Dockerfile[] {
  return m.processes.dockerfiles.filter((d) => productionPython(m, project, d) === 'yes');
}

/**
 * The Dockerfiles that would be production's (productionPythonDockerfiles) but whose last stage is
 * for development or tests, so production builds one of the others with --target: each with the
 * stages it may build (not named for development, running Python, not a proxy's), as chains.
 */
export function targetedPythonDockerfiles(
  m: AppServerModel,
  project: DjangoProject,
): { readonly dockerfile: Dockerfile; readonly chains: readonly DockerStage[][] }[] {
  const out: { dockerfile: Dockerfile; chains: DockerStage[][] }[] = [];
  for (const d of m.processes.dockerfiles) {
    if (productionPython(m, project, d) !== 'target') continue;
    const chains = d.stages
      .filter((s) => !devStage(s.name) && !NOT_PYTHON_BASE.test(s.base))
      .map((s) => stageChain(d, s))
      .filter((c) => chainRunsPython(c) && !c.some((s) => devStage(s.name)));
    if (chains.length > 0) out.push({ dockerfile: d, chains });
  }
  return out;
}

/**
 * A production Kubernetes workload that runs, with the image's own command and as several instances,
 * an image the repository does not name (a deploy script or a chart's values fill it in:
 * `"<to be set by deploy_to_kubernetes>"`, `{{ .Values.image.repository }}`), presumed to be the
 * image of the project's one production Dockerfile `file` (as models/process/starters.ts presumes).
 */
export function presumedScaledRunner(
  m: AppServerModel,
  project: DjangoProject,
  file: string,
): { readonly workload: Workload; readonly why: string } | undefined {
  const images = productionPythonDockerfiles(m, project);
  if (images.length !== 1 || images[0]!.file !== file) return undefined;
  const w = m.processes.workloads.find((x) => clusterRunsUnnamedImage(x) && runsSeveral(x.process.instances));
  return w ? { workload: w, why: w.process.instances!.why } : undefined;
}

/**
 * A production Kubernetes workload that runs the image of Dockerfile `file` with the image's own
 * command as one instance: one the repository ties to the image (runsOfImage), or one whose image it
 * does not name, presumed the project's one production image's (as presumedScaledRunner presumes).
 */
export function singleImageWorkload(
  m: AppServerModel,
  project: DjangoProject,
  file: string,
): { readonly workload: Workload; readonly how?: string; readonly presumed?: true } | undefined {
  const images = productionPythonDockerfiles(m, project);
  const sole = images.length === 1 && images[0]!.file === file;
  for (const r of runsOfImage(m.processes, project, file, sole)) {
    const w = r.workload;
    if (r.production && w && w.source.kind === 'kubernetes' && !w.process.once && !w.process.scheduled && !runsSeveral(w.process.instances))
      return { workload: w, how: r.how };
  }
  if (!sole) return undefined;
  const w = m.processes.workloads.find((x) => clusterRunsUnnamedImage(x) && !runsSeveral(x.process.instances));
  return w ? { workload: w, presumed: true } : undefined;
}

/** A production Kubernetes container that runs, with its own command, an image the repository does not name. */
function clusterRunsUnnamedImage(w: Workload): boolean {
  return w.source.production && w.source.kind === 'kubernetes' && !w.process.words && !w.process.shell && runsUnnamedImage(w);
}

/**
 * Whether a production process may run the image a Dockerfile builds with the image's own command:
 * one the repository ties to it (runsOfImage), or a manifest's container whose image its template
 * names (`{{ .Values.image.repository }}`), which the starters presume to be the project's image.
 */
function maybeRunByProduction(m: AppServerModel, project: DjangoProject, d: Dockerfile): boolean {
  if (runsOfImage(m.processes, project, d.file, false).some((r) => r.production)) return true;
  // a production platform builds its image from it (heroku.yml's build.docker, fly.toml, render.yaml)
  if (m.processes.workloads.some((w) => w.source.production && w.process.dockerfile?.file === d.file)) return true;
  return m.processes.workloads.some(clusterRunsUnnamedImage);
}

/** The production Dockerfiles that run Python; the rule is not applicable when there are none. */
export function dockerfilesToCheck(ctx: RuleContextBase): Dockerfile[] {
  const files = productionPythonDockerfiles(ctx.appServer, ctx.project);
  if (files.length === 0) ctx.notApplicable('the project has no production Dockerfile that runs Python');
  return files;
}

/** The production command lines that start an app server; the rule is not applicable when there are none. */
export function productionServers(ctx: RuleContextBase): ServerInvocation[] {
  const servers = ctx.appServer.commands.filter((c) => c.source.production && c.server !== 'runserver');
  if (servers.length === 0) ctx.notApplicable('no production process starts the app');
  return servers;
}

/** Whether a production server or its workload's environment sets `name` (the deployment gives it). */
export function productionSetsVariable(ctx: RuleContextBase, servers: readonly ServerInvocation[], name: string): boolean {
  const sets = (env: ReadonlyMap<string, unknown>): boolean => env.has(name);
  if (servers.some((s) => sets(s.env) || sets(s.source.env))) return true;
  return ctx.appServer.processes.workloads.some((w) => w.source.production && sets(w.source.env));
}

/**
 * The environments some production server gets from a place the repository does not have: its own,
 * or those of whoever starts it (the compose service whose env_file is not committed runs the start
 * script that starts gunicorn), or a production workload's.
 */
export function unreadProductionEnv(ctx: RuleContextBase, servers: readonly ServerInvocation[]): string[] {
  const m = ctx.appServer;
  const starters = servers.flatMap((s) => (m.processes.starters.get(s.source) ?? []).map((st) => st.source ?? st.workload?.source));
  return [...servers.map((s) => s.source), ...starters, ...m.processes.workloads.map((w) => w.source)]
    .filter((s) => s !== undefined && s.production)
    .flatMap((s) => s!.unreadEnv ?? []);
}

/** Public base images whose ENV and USER are known (none sets PYTHONUNBUFFERED; all run as root). */
/**
 * The image the chain starts from, when it is not a public base image whose ENV and USER are known
 * (`FROM wger/base`, an image the project builds elsewhere): its settings cannot be seen.
 */
export function opaqueBase(chain: readonly DockerStage[]): string | undefined {
  const root = chain[chain.length - 1];
  if (!root || root.base === 'scratch') return undefined;
  return PUBLIC_BASE_IMAGE.value.test(root.base) ? undefined : root.base;
}

/** One process: the sources of a Procfile entry, a compose service, a Dockerfile or a script share it. */
export function processKey(s: ProcessSource): string {
  return `${s.file}\0${s.label}`;
}

/** The workload (manifest container, platform process) a process source is. */
export function workloadOf(m: AppServerModel, s: ProcessSource): Workload | undefined {
  return m.processes.workloads.find((w) => w.source === s || processKey(w.source) === processKey(s));
}

/** How many instances of a compose service run (`deploy.replicas`, `scale`), when written as a number. */
export function composeReplicas(m: AppServerModel, s: ProcessSource): number | undefined {
  if (s.kind !== 'compose' || !s.service) return undefined;
  const svc = m.processes.compose.find((c) => c.file === s.file)?.services.find((x) => x.name === s.service);
  const t = svc?.replicas?.text;
  return t && /^\d+$/.test(t) ? Number(t) : undefined;
}

/**
 * Whether a process can run as several instances at once: a Procfile process (the platform scales
 * each type to several dynos) other than the release phase, or a compose service with more than
 * one replica (or an image whose CMD such a service keeps). Containers started otherwise and
 * systemd units are not judged.
 */
export function canScale(m: AppServerModel, s: ProcessSource, project?: DjangoProject): string | undefined {
  if (s.kind === 'procfile' && !/\(release\)$/.test(s.label)) return 'the platform can scale it to several dynos';
  // a manifest's container, a platform's process, an app-server config's program: what its file says
  const w = workloadOf(m, s);
  if (w) return !w.process.once && runsSeveral(w.process.instances) ? `${w.process.instances!.why}` : undefined;
  const n = composeReplicas(m, s);
  if (n !== undefined && n > 1) return `it runs ${n} replicas`;
  // an image's CMD, run by a compose service that keeps it and runs several replicas
  if (s.kind === 'dockerfile') {
    for (const b of servicesBuilding(m, s.file)) {
      const r = b.service.replicas?.text;
      if (!b.service.command && !b.service.entrypoint && r && /^\d+$/.test(r) && Number(r) > 1)
        return `the compose service ${b.service.name} runs ${r} replicas of this image`;
    }
    // …or by a platform process that runs several instances of the image it builds
    for (const w of platformsRunningImage(m, s.file))
      if (w.source.production && !w.process.once && runsSeveral(w.process.instances))
        return `${w.source.label} runs this image's own command — ${w.process.instances!.why}`;
    // …or by a manifest's container or a compose (Swarm) service that names the image and gives no command
    if (project) {
      const sole = productionPythonDockerfiles(m, project).length === 1;
      for (const r of runsOfImage(m.processes, project, s.file, sole)) {
        if (!r.production) continue;
        const w = r.workload;
        if (w && !w.process.once && runsSeveral(w.process.instances))
          return `${r.label} runs this image (${r.how}) — ${w.process.instances!.why}`;
        const n = r.service?.replicas?.text;
        if (n && /^\d+$/.test(n) && Number(n) > 1) return `${r.label} runs ${n} replicas of this image (${r.how})`;
      }
    }
  }
  return undefined;
}

/**
 * The names of the variables the processes that run an image with its own command set for it: the
 * compose services that build or name it, the platform processes that build it, the manifests'
 * containers that name it (see canScale).
 */
export function imageRunnerVariables(m: AppServerModel, dockerfile: string, project: DjangoProject): Set<string> {
  const out = new Set<string>();
  for (const b of servicesBuilding(m, dockerfile))
    if (!b.service.command && !b.service.entrypoint) for (const k of b.service.environment.keys()) out.add(k);
  for (const w of platformsRunningImage(m, dockerfile)) for (const k of w.source.env.keys()) out.add(k);
  const sole = productionPythonDockerfiles(m, project).length === 1;
  for (const r of runsOfImage(m.processes, project, dockerfile, sole)) {
    for (const k of r.workload?.source.env.keys() ?? []) out.add(k);
    for (const k of r.service?.environment.keys() ?? []) out.add(k);
  }
  return out;
}

/**
 * The platform processes that run the CMD of the image a Dockerfile builds: no command of their own,
 * and the Dockerfile their platform file builds (fly.toml's `[build] dockerfile`, render's
 * `dockerfilePath`, heroku.yml's `build.docker`), its last stage or the stage named as the target.
 */
export function platformsRunningImage(m: AppServerModel, dockerfile: string): Workload[] {
  const d = m.processes.dockerfiles.find((x) => x.file === dockerfile);
  const last = d ? finalStage(d) : undefined;
  return m.processes.workloads.filter(
    (w) =>
      !w.process.words &&
      !w.process.shell &&
      w.process.dockerfile?.file === dockerfile &&
      (w.process.dockerfile.target === undefined || w.process.dockerfile.target === last?.name),
  );
}

/**
 * Whether a script reference runs the workspace script `script`: the file it resolves to (through its
 * image's COPY, its working folder), or, resolved to none, one of that name. A reference resolved to
 * another file (this image's own docker-entrypoint.sh) never stands for a namesake copied into another image.
 */
function runsScript(r: ModelScript, script: string): boolean {
  return r.file !== undefined ? r.file === script : basename(r.ref.script.text) === basename(script);
}

type ModelScript = AppServerModel['processes']['scripts'][number];

/** The production sources that run a script (`web: ./start.sh`, `ENTRYPOINT ["/entrypoint.sh"]`). */
export function sourcesRunning(m: AppServerModel, script: string): ProcessSource[] {
  return m.processes.scripts.filter((r) => runsScript(r, script)).map((r) => r.source);
}

/** One step up a start chain: the source that runs a script (or the supervisord whose program it is), and how. */
export interface StartStep {
  readonly source: ProcessSource;
  readonly ref: ScriptRef;
}

/**
 * What starts a process source directly: for a shell script, the sources that run it (the file
 * their reference resolves to, or by its name when it resolves to none, as sourcesRunning); for a supervisord program, the sources that start supervisord with its
 * configuration (or with none named, when the file is supervisord.conf).
 */
export function startedBy(m: AppServerModel, s: ProcessSource): StartStep[] {
  if (s.kind === 'shell') {
    return m.processes.scripts
      .filter((r) => !r.ref.make && !r.ref.npmScript && !r.ref.supervisord && runsScript(r, s.file) && r.source.file !== s.file)
      .map((r) => ({ source: r.source, ref: r.ref }));
  }
  if (s.kind === 'appconfig' && s.format === 'supervisord configuration') {
    const name = basename(s.file);
    return m.processes.scripts
      .filter((r) => {
        const sup = r.ref.supervisord;
        if (!sup) return false;
        return sup.config ? !sup.config.dynamic && basename(sup.config.text) === name : /^supervisord\.conf$/.test(name);
      })
      .map((r) => ({ source: r.source, ref: r.ref }));
  }
  return [];
}

/** The sources that start these server invocations: each one's own, and every source of its start chain, each once. */
export function startSources(m: AppServerModel, invocations: readonly { readonly source: ProcessSource }[]): ProcessSource[] {
  const out = new Map<string, ProcessSource>();
  for (const inv of invocations)
    for (const s of [inv.source, ...startChain(m, inv.source).map((c) => c.source)]) if (!out.has(processKey(s))) out.set(processKey(s), s);
  return [...out.values()];
}

/**
 * Every source that starts `s`, however many scripts lie between (a Dockerfile's ENTRYPOINT runs
 * entrypoint.sh, which runs startup_checks.sh), nearest first, each once, with the steps from it
 * down to `s` (the script references on the way).
 */
export function startChain(m: AppServerModel, s: ProcessSource): { source: ProcessSource; steps: StartStep[] }[] {
  const out: { source: ProcessSource; steps: StartStep[] }[] = [];
  const seen = new Set<string>([processKey(s)]);
  let level: { source: ProcessSource; steps: StartStep[] }[] = [{ source: s, steps: [] }];
  for (let depth = 0; depth < 6 && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { source, steps } of level)
      for (const step of startedBy(m, source)) {
        const key = processKey(step.source);
        if (seen.has(key)) continue;
        seen.add(key);
        const item = { source: step.source, steps: [step, ...steps] };
        out.push(item);
        next.push(item);
      }
    level = next;
  }
  return out;
}

/** A user name or id that is not root (`www-data`, `app:app`, `1000`). */
export function nonRootUser(text: string): boolean {
  const who = text.trim().split(':')[0]!;
  return who !== '' && who !== 'root' && who !== '0';
}

/**
 * The user a server process drops to after starting as root, from what the model read of it:
 * uWSGI's `uid` (on its command line or in the ini file it loads), gunicorn's `user` (its workers
 * switch to it; with `preload_app` the app is loaded first, in the root master, so not counted).
 */
export function serverDropsTo(m: AppServerModel, i: ServerInvocation): string | undefined {
  if (i.server === 'uwsgi') {
    const uid = i.uwsgiConfig ? uwsgiUser(i.uwsgiConfig) : undefined;
    if (!uid || !nonRootUser(uid.value.text)) return undefined;
    return `uWSGI drops to uid = ${uid.value.text} (${path.basename(uid.keyLoc.file)})`;
  }
  if (i.server === 'gunicorn') {
    const run = m.runs.find((r) => r.invocation === i);
    const user = run?.settings.get('user')?.value;
    const preload = run?.settings.get('preload_app')?.value;
    if (!run || (preload && !(preload.kind === 'bool' && !preload.v))) return undefined;
    if (user?.kind === 'str' && nonRootUser(user.v)) return `gunicorn's workers switch to user ${user.v}`;
    if (user?.kind === 'int' && user.v !== 0) return `gunicorn's workers switch to uid ${user.v}`;
  }
  return undefined;
}

/**
 * Whether every process the image of a Dockerfile keeps running drops root, as the model reads
 * what it starts: its ENTRYPOINT and CMD, the scripts they run (and the scripts those run), and
 * the programs of the supervisord configurations they start. A server counts when it drops to
 * another user itself (uWSGI's uid, gunicorn's user), a supervisord program when it has a non-root
 * `user=` or runs such a server; a management command run in the foreground is a step before the
 * server and is not counted, one in the background, celery, any other server or a supervisord
 * whose configuration is not found is root. How the processes drop (undefined: not all do, or
 * nothing known to drop is started).
 */
export function imageDropsRoot(m: AppServerModel, dockerfile: string): string | undefined {
  const p = m.processes;
  const how: string[] = [];
  let root = false;
  // the sources that run as the image's processes: the Dockerfile's own, then its scripts', its supervisord programs'
  const seen = new Set<string>();
  const visit = (belongs: (s: ProcessSource) => boolean, depth: number): void => {
    for (const i of p.invocations) {
      if (!belongs(i.source)) continue;
      const drop = serverDropsTo(m, i);
      if (drop) how.push(drop);
      else root = true;
    }
    for (const t of p.tasks) if (belongs(t.source) && (t.task.kind === 'celery' || t.task.background)) root = true;
    if (depth > 3) return;
    for (const r of p.scripts) {
      if (!belongs(r.source) || r.ref.make || r.ref.npmScript) continue;
      if (r.ref.supervisord) {
        const conf = r.ref.supervisord.config;
        const files =
          conf && !conf.dynamic
            ? [
                ...new Set(
                  p.workloads
                    .filter((w) => w.source.format === 'supervisord configuration' && basename(w.source.file) === basename(conf.text))
                    .map((w) => w.source.file),
                ),
              ]
            : [];
        if (files.length !== 1) {
          root = true;
          continue;
        }
        const key = `supervisord\0${files[0]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        for (const w of p.workloads) {
          if (w.source.file !== files[0]) continue;
          const user = w.process.user;
          if (user && !user.dynamic && nonRootUser(user.text)) {
            how.push(`${w.source.label} runs as user=${user.text}`);
            continue;
          }
          // a program without user= that starts a server dropping root itself
          const servers = p.invocations.filter((i) => i.source.file === w.source.file && i.source.label === w.source.label);
          if (servers.length === 0) root = true;
          else visit((s) => s.file === w.source.file && s.label === w.source.label, depth + 1);
        }
        continue;
      }
      const name = basename(r.ref.script.text);
      const key = `script\0${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      visit((s) => s.kind === 'shell' && basename(s.file) === name, depth + 1);
    }
  };
  visit((s) => s.kind === 'dockerfile' && s.file === dockerfile, 0);
  return !root && how.length > 0 ? [...new Set(how)].join('; ') : undefined;
}

/**
 * The program of other software than the app (caddy, nginx, redis-server) the image of a Dockerfile
 * runs, when its ENTRYPOINT and CMD, both in exec form (one command line, no shell to run more),
 * start that program as a word of their own and nothing else the model knows: no server,
 * management command, celery, script or `exec "$@"`. Undefined otherwise (Python, a script that
 * cannot be classified, a shell form or a `sh -c` script that may run more).
 */
export function imageRunsOtherSoftware(m: AppServerModel, dockerfile: string): string | undefined {
  const p = m.processes;
  const d = p.dockerfiles.find((x) => x.file === dockerfile);
  const last = d ? finalStage(d) : undefined;
  if (!last || (!last.cmd && !last.entrypoint)) return undefined;
  if ((last.cmd && last.cmd.form !== 'exec') || (last.entrypoint && last.entrypoint.form !== 'exec')) return undefined;
  const mine = (s: ProcessSource): boolean => s.kind === 'dockerfile' && s.file === dockerfile;
  if ([...p.invocations, ...p.tasks, ...p.scripts, ...p.forwards].some((x) => mine(x.source))) return undefined;
  // the program is a word of the exec form itself, not of a script it hands to a shell (`sh -c "caddy start && python …"`)
  const words = [...(last.entrypoint?.items ?? []), ...(last.cmd?.items ?? [])];
  return p.others.find((o) => mine(o.source) && words.includes(o.other.program))?.other.program.text;
}

/** Tasks of a kind (and subcommand) in a production source. */
export function tasksOf(m: AppServerModel, pred: (t: TaskInvocation) => boolean): { task: TaskInvocation; source: ProcessSource }[] {
  return m.processes.tasks.filter((t) => t.source.production && pred(t.task));
}

/** `manage.py migrate` (or django-admin / python -m django). */
export function isManage(t: TaskInvocation, sub: string): boolean {
  return t.kind === 'manage' && t.subcommand?.text === sub;
}

/** `celery … worker` / `celery … beat`. */
export function isCelery(t: TaskInvocation, sub: string): boolean {
  return t.kind === 'celery' && t.subcommand?.text === sub;
}

/**
 * The production images whose start hands over to a command the repository does not give: an
 * ENTRYPOINT whose script runs its arguments (`exec "$@"`) and no CMD, so the app server is what
 * the deployment that runs the image passes (a compose file or a manifest kept elsewhere). What the
 * entrypoint runs before it runs at every container start all the same. Their sources.
 */
export function imagesStartingUnknownServer(m: AppServerModel): ProcessSource[] {
  const p = m.processes;
  const out = new Map<string, ProcessSource>();
  for (const f of p.forwards) {
    if (!f.source.production || f.forward.conditional || f.forward.argsOf) continue;
    // the forward itself, or the script it is in, as far up as the image that runs it
    for (const o of [{ source: f.source }, ...startChain(m, f.source)]) {
      if (o.source.kind !== 'dockerfile' || !o.source.production) continue;
      const d = p.dockerfiles.find((x) => x.file === o.source.file);
      const last = d ? finalStage(d) : undefined;
      // (an ENTRYPOINT of the Dockerfile resets the CMD of its base image: with none of its own, none)
      if (last?.entrypoint && !last.cmd) out.set(processKey(o.source), o.source);
    }
  }
  return [...out.values()];
}
