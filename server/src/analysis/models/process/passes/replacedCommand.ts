// An image's command that every compose service running the image replaces: a Dockerfile whose CMD
// (or ENTRYPOINT) no container the repository shows ever runs. Each compose service that builds the
// Dockerfile (its stage), or runs it by the name the repository builds it under, gives a `command:`
// (which replaces the image's CMD) or an `entrypoint:` (which replaces the ENTRYPOINT and makes
// compose ignore the CMD: catalogue/composeEnvironment.ts), whether that service is production's or
// development's; and nothing else runs the image with its own command: no platform file or
// Kubernetes container running an image without a command of its own, no CI step publishing images,
// no other name the repository builds the image under (a script's `docker build -t`). Then the
// image's command is not production's process: its processes are set aside, with whose command
// replaces it (`command: ${COMMAND}`, a command the deployment supplies). The image itself stays
// production's (its base, its user, its build are still what the services run).
// A platform process that builds the image and runs a command of its own replaces its CMD the same
// way where the platform documents it (fly.io's process groups: catalogue platformRuntime.ts
// FLY_PROCESS_COMMAND; never its ENTRYPOINT); another platform's command leaves the CMD as it is.
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import { composeDir, type ComposeService } from '../../../readers/container/compose';
import { finalStage, isFinalTarget, targetStage, type Dockerfile } from '../../../readers/container/dockerfile';
import { ciPublishesImages, imageRepository } from '../../../readers/container/publishedImages';
import { FLY_PROCESS_COMMAND } from '../../../catalogue/platformRuntime';
import { publishedOf, type Collected } from '../collect';
import type { ProcessSource } from '../model';
import { isProxyService, runsOtherSoftware } from '../software';
import type { Demotions } from './demotion';
import { chartValues } from './developmentCompose';

/** A compose service that runs a Dockerfile's image, in its file. */
interface Runner {
  readonly file: string;
  readonly service: ComposeService;
}

/**
 * A platform's process that builds the Dockerfile and runs a command of its own (fly.toml's
 * `[processes] app = "gunicorn …"`): whether that command replaces the image's CMD, by the
 * platform's documented behaviour (catalogue platformRuntime.ts FLY_PROCESS_COMMAND: fly.io's
 * supersedes the CMD, not the ENTRYPOINT), and what it runs.
 */
interface PlatformRunner {
  readonly label: string;
  readonly replacesCmd: boolean;
  readonly text: string;
  /** A fly.toml's process group. */
  readonly fly: boolean;
}

export function demoteReplacedImageCommands(r: Collected, demoted: Demotions): void {
  if (r.compose.length === 0 && !r.workloads.some((w) => w.source.kind === 'platform' && w.process.dockerfile)) return;
  let ciPublishes: boolean | undefined;
  let ciPublishesBesideFly: boolean | undefined;
  const sources = new Map<ProcessSource, ProcessSource>();
  for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others])
    if (x.source.kind === 'dockerfile' && x.source.production && !demoted.has(x.source)) sources.set(x.source, x.source);
  for (const src of sources.keys()) {
    const d = r.dockerfiles.find((f) => f.file === src.file);
    const stage = d ? (src.stage ? targetStage(d, src.stage) : finalStage(d)) : undefined;
    if (!d || !stage) continue;
    const runners = runnersOf(r, d, src.stage);
    const platforms = platformRunnersOf(r, d, src.stage);
    if (runners.length === 0 && platforms.length === 0) continue;
    // `command:` replaces the CMD only: an ENTRYPOINT stays, and runs the service's command
    const replaces = (s: ComposeService): boolean => s.entrypoint !== undefined || (!stage.entrypoint && s.command !== undefined);
    if (!runners.every((x) => replaces(x.service))) continue;
    // (a platform's command replaces the CMD, where the platform says so; never an ENTRYPOINT)
    if (!platforms.every((x) => x.replacesCmd && !stage.entrypoint)) continue;
    if (runWithItsOwnCommand(r, d, runners)) continue;
    // (production's values of a chart the repository does not hold run the image: its templates,
    // not the compose services, decide the command)
    if (chartRunsImage(r, d)) continue;
    // (a CI `fly deploy` deploys a fly.toml: where the processes replacing the CMD are fly.toml's
    // own, that deployment is theirs, and publishes no image run with its own command)
    const flyOnly = runners.length === 0 && platforms.length > 0 && platforms.every((x) => x.fly);
    if (flyOnly) {
      ciPublishesBesideFly ??= ciPublishesImages(r.ws.fs, r.project.files, { flyDeployShown: true });
      if (ciPublishesBesideFly) continue;
    } else {
      ciPublishes ??= ciPublishesImages(r.ws.fs, r.project.files);
      if (ciPublishes) continue;
    }
    const what = stage.entrypoint ? 'ENTRYPOINT' : 'CMD';
    const by = [
      ...runners.map((x) => `${shownPath(r.project, x.file)} (service ${x.service.name}) runs ${commandText(r, x)}`),
      ...platforms.map((x) => `${x.label} runs \`${x.text}\` (fly.io's process command supersedes the image's CMD)`),
    ];
    const replacedBy = by.join('; ');
    const devReason = `every ${platforms.length > 0 ? (runners.length > 0 ? 'compose service and platform process' : 'platform process') : 'compose service'} running its image replaces its ${what}: ${replacedBy}`;
    demoted.set(src, { ...src, production: false, devReason, replacedBy });
  }
}

/**
 * Whether production's values of a chart the repository does not hold name the Dockerfile's image:
 * by a name the repository builds it under, or, the project having this one Dockerfile, any image
 * (readers/kubernetes/externalChartValues.ts; the chart deploys the app, passes/developmentCompose.ts).
 */
function chartRunsImage(r: Collected, d: Dockerfile): boolean {
  const images = chartValues(r).flatMap((v) => (v.image ? [imageRepository(v.image)] : []));
  if (images.length === 0) return false;
  if (r.dockerfiles.length === 1) return true;
  for (const [name, p] of publishedOf(r)) if (p.dockerfile === d.file && images.includes(imageRepository(name))) return true;
  return false;
}

/** The compose services (of every file, production's or not) that build the Dockerfile's stage, or run the image by a name the repository builds it under. */
function runnersOf(r: Collected, d: Dockerfile, stage: string | undefined): Runner[] {
  const names = new Set<string>();
  for (const [name, p] of publishedOf(r))
    if (p.dockerfile === d.file && sameStage(d, p.target, stage)) {
      const repo = imageRepository(name);
      if (repo !== undefined) names.add(repo);
    }
  const out: Runner[] = [];
  for (const c of r.compose)
    for (const s of c.services) {
      if (isProxyService(s)) continue;
      const builds =
        s.build !== undefined &&
        path.resolve(composeDir(c), s.build.context, s.build.dockerfile) === d.file &&
        sameStage(d, s.build.target, stage);
      const repo = !s.build && s.image ? imageRepository(s.image) : undefined;
      if (builds || (repo !== undefined && names.has(repo))) out.push({ file: c.file, service: s });
    }
  return out;
}

/** The production platform processes that build the Dockerfile's stage and run a command of their own. */
function platformRunnersOf(r: Collected, d: Dockerfile, stage: string | undefined): PlatformRunner[] {
  const out: PlatformRunner[] = [];
  for (const w of r.workloads) {
    if (!w.source.production || w.source.kind !== 'platform' || w.process.once || w.process.scheduled) continue;
    if (w.process.dockerfile?.file !== d.file || !sameStage(d, w.process.dockerfile.target, stage)) continue;
    const text = w.process.shell?.text ?? w.process.words?.map((t) => t.text).join(' ');
    if (text === undefined || text.trim() === '') continue;
    out.push({
      label: `${shownPath(r.project, w.source.file)} (${w.source.label.replace(/^[^(]*\(/, '').replace(/\)$/, '')})`,
      replacesCmd: w.source.format === 'fly.toml' && FLY_PROCESS_COMMAND.value === 'replaces-cmd',
      text: text.trim(),
      fly: w.source.format === 'fly.toml',
    });
  }
  return out;
}

/** Whether a build's `target` (undefined: the last stage) is the stage a process source reads (undefined: the last). */
function sameStage(d: Dockerfile, target: string | undefined, stage: string | undefined): boolean {
  if (stage === undefined) return isFinalTarget(d, target);
  return target !== undefined && target.toLowerCase() === stage.toLowerCase();
}

/**
 * Whether something else of the repository may run the image with its own command: a production
 * platform file or Kubernetes container that builds the Dockerfile or runs an image of the app
 * without a command of its own, or a name the repository builds the image under that no compose
 * service building it gives (a script's `docker build -t`, which anything may run).
 */
function runWithItsOwnCommand(r: Collected, d: Dockerfile, runners: readonly Runner[]): boolean {
  for (const w of r.workloads) {
    if (!w.source.production || w.process.once || w.process.scheduled || runsOtherSoftware(w)) continue;
    if (w.process.words !== undefined || w.process.shell !== undefined) continue;
    if (w.process.dockerfile?.file === d.file || w.process.image !== undefined) return true;
  }
  const composeNames = new Set(
    runners.map((x) => (x.service.build && x.service.image ? imageRepository(x.service.image) : undefined)).filter((n) => n !== undefined),
  );
  for (const [name, p] of publishedOf(r)) {
    if (p.dockerfile !== d.file) continue;
    const repo = imageRepository(name);
    if (repo === undefined || !composeNames.has(repo)) return true;
  }
  return false;
}

/**
 * A service's command as written, with its entrypoint, and what it is when a variable gives all of
 * it: the deployment's (set where compose runs) or the committed .env's (COMPOSE_DOTENV).
 */
function commandText(r: Collected, x: Runner): string {
  const s = x.service;
  const words = [...(s.entrypoint ?? []), ...(s.command ?? [])].map((t) => t.text);
  const text = words.join(' ').trim();
  if (text === '') return 'an empty command';
  const whole = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(text);
  if (!whole) return `\`${text}\``;
  if (r.composeSuppliedCommands.has(`${x.file}\0${s.name}`))
    return `\`${text}\`, a command the deployment supplies (${whole[1]} is set where compose runs: unknown here)`;
  return `\`${text}\` (${whole[1]} as the .env beside it sets it)`;
}
