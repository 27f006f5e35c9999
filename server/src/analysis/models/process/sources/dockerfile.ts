// Dockerfiles: the final stage's ENTRYPOINT and CMD, run with its ENV in its WORKDIR, its container
// paths mapped back to the workspace through its COPY instructions. A Dockerfile FROM a proxy image
// is the proxy's; one named for development, or one beside a production image (a Dockerfile.prod
// next to it, a prod/Dockerfile under it), is the development image. Compose services that build a
// Dockerfile read its stage through here too (stageEnv, the image's ENTRYPOINT).
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import {
  finalStage,
  isFinalTarget,
  targetStage,
  type Dockerfile,
  type DockerCommand,
  type DockerStage,
} from '../../../readers/container/dockerfile';
import { ciFolderReason, devReasonOfPath } from '../../../readers/devPaths';
import { recogniseWords } from '../../../readers/process/commands';
import { tokenize, type SimpleCommand } from '../../../readers/shell';
import type { Token } from '../../../readers/text';
import { dockerfileAt, publishedOf, type Collected } from '../collect';
import { addCommands, addRecognised } from '../commandRecords';
import { envLookup, type EnvValue, type ProcessSource } from '../model';
import { installedOnPath, isFile, pathMapper } from '../paths';
import { composeDir, parseCompose, type ComposeFile } from '../../../readers/container/compose';
import { dockerfileInlineChildren } from '../shellChildren';
import { PROXY_IMAGE } from '../software';

export function readDockerfileSource(r: Collected, f: ScannedFile, rel: string): void {
  const d = dockerfileAt(r, f.path);
  if (!d) return;
  r.containerized = true;
  r.dockerfiles.push(d);
  const stage = finalStage(d);
  if (!stage) return;
  // (labels and reasons name the file by its path: several Dockerfiles or Procfiles are usual)
  const name = rel.split(path.sep).join('/') || path.basename(f.path);
  const named = devReasonOfPath(rel) ?? ciFolderReason(rel);
  const prodImage = named ? undefined : prodDockerfileBeside(r, f.path, rel);
  const fileDev = named ?? (prodImage ? `${path.relative(path.dirname(f.path), prodImage)} is the production image` : undefined);
  if (prodImage) r.devImages.set(f.path, fileDev!);
  if (PROXY_IMAGE.test(stage.base)) r.proxies.push({ label: `${rel} (FROM ${stage.base})`, loc: stage.baseLoc });
  else readStage(r, d, stage, name, fileDev, undefined);
  // the other stages the repository builds an image of (`docker build --target backend`): each runs
  // its own ENTRYPOINT and CMD, as the last one does (a proxy's stage is not the app's)
  const targets = new Map<string, DockerStage>();
  for (const p of publishedOf(r).values()) {
    if (p.dockerfile !== f.path || isFinalTarget(d, p.target)) continue;
    const t = targetStage(d, p.target);
    if (t && t !== stage && !PROXY_IMAGE.test(t.base)) targets.set(t.name!.toLowerCase(), t);
  }
  for (const t of targets.values()) readStage(r, d, t, name, fileDev, t.name);
}

/** One stage's process: its ENTRYPOINT and CMD, run with its ENV in its WORKDIR; `target`: the stage when it is not the last. */
function readStage(
  r: Collected,
  d: Dockerfile,
  stage: DockerStage,
  name: string,
  fileDev: string | undefined,
  target: string | undefined,
): void {
  const stageDev = stage.name ? devReasonOfPath(stage.name) : undefined;
  const context = path.dirname(d.file);
  const mapPath = contextsMapper(r, d.file, pathMapper(r.ws, context, stage.copies), stage.copies);
  const env = stageEnv(stage);
  const source: ProcessSource = {
    kind: 'dockerfile',
    file: d.file,
    label: `${name}${target ? ` (stage ${target})` : ''} ${stage.entrypoint && !stage.cmd ? 'ENTRYPOINT' : 'CMD'}`,
    production: !fileDev && !stageDev,
    devReason: fileDev
      ? `${name}: ${fileDev}`
      : stageDev
        ? target
          ? `its stage ${stage.name} is for development`
          : `its last stage (${stage.name}) is for development`
        : undefined,
    containerized: true,
    workingDir: stage.workdir ? mapPath(stage.workdir) : context,
    runDir: stage.workdir,
    env,
    mapPath,
    ...(target ? { stage: target } : {}),
  };
  // a command name the image installs from the workspace (a start script copied to /usr/local/bin/app)
  const installedScript = (cmd: string): boolean => installedOnPath(cmd, mapPath, (x) => isFile(r, x)) !== undefined;
  for (const part of stageCommands(stage, envLookup(env))) {
    if (part.words) addRecognised(r, recogniseWords(part.words, [], { lookup: envLookup(env), installedScript }), source);
    addCommands(r, part.commands, source, envLookup(env));
  }
  // (the file as a build with --target sees it: its stages up to the target)
  const built = target ? { ...d, stages: d.stages.slice(0, d.stages.indexOf(stage) + 1) } : d;
  r.out.shellChildren.push(...dockerfileInlineChildren(r, built, source, envLookup(env)));
}

/**
 * The image's container paths mapped back to the workspace from the Dockerfile's folder (`own`), else
 * from the build context a compose file of the project gives it (`build: {context: ., dockerfile:
 * ./django/Dockerfile_prod}` from docker/: `COPY ./django/entrypoint_prod.sh /entrypoint.sh` is
 * docker/django/entrypoint_prod.sh), when that names a file the folder's does not.
 */
function contextsMapper(
  r: Collected,
  dockerfile: string,
  own: (p: string) => string | undefined,
  copies: Parameters<typeof pathMapper>[2],
): (p: string) => string | undefined {
  const contexts = composeContexts(r, dockerfile).filter((c) => c !== path.dirname(dockerfile));
  if (contexts.length === 0) return own;
  const others = contexts.map((c) => pathMapper(r.ws, c, copies));
  return (p) => {
    const mine = own(p);
    if (mine !== undefined && r.ws.fs.exists(mine)) return mine;
    for (const m of others) {
      const f = m(p);
      if (f !== undefined && r.ws.fs.exists(f)) return f;
    }
    return mine;
  };
}

const contextsMemo = new WeakMap<Collected, Map<string, string[]>>();

/** The build contexts the project's compose files build a Dockerfile from (absolute folders). */
function composeContexts(r: Collected, dockerfile: string): string[] {
  let all = contextsMemo.get(r);
  if (!all) {
    all = new Map();
    contextsMemo.set(r, all);
    for (const f of r.project.files) {
      if (f.kind !== 'compose') continue;
      const text = r.ws.fs.readText(f.path);
      if (text === undefined || !text.includes('build')) continue;
      let c: ComposeFile;
      try {
        c = parseCompose(f.path, text);
      } catch {
        continue;
      }
      for (const s of c.services) {
        if (!s.build) continue;
        const context = path.resolve(composeDir(c), s.build.context);
        const built = path.resolve(context, s.build.dockerfile);
        const list = all.get(built) ?? [];
        if (!list.includes(context)) list.push(context);
        all.set(built, list);
      }
    }
  }
  return all.get(dockerfile) ?? [];
}

/**
 * The Dockerfile named or filed for production beside or below the folder of `file` (a
 * `Dockerfile.prod` next to it, a `prod/Dockerfile` under it), when `file` itself is not named for
 * any environment: then `file` is the development image, as docker-compose.yml is beside
 * docker-compose.prod.yml. A proxy's image (FROM nginx) is no such production image.
 */
function prodDockerfileBeside(r: Collected, file: string, rel: string): string | undefined {
  const named = (p: string): boolean => /(^|[-_.])(prod|production|live|deploy|staging|release)([-_.]|$)/i.test(p);
  if (rel.split(/[\\/]/).some(named)) return undefined;
  const dir = path.dirname(file);
  return r.dockerfileFiles.find((o) => {
    if (o === file || !o.startsWith(dir + path.sep)) return false;
    if (
      !path
        .relative(dir, o)
        .split(path.sep)
        .some((p) => /(^|[-_.])(prod|production)([-_.]|$)/i.test(p))
    )
      return false;
    const stage = dockerfileAt(r, o);
    const last = stage ? finalStage(stage) : undefined;
    return last !== undefined && !PROXY_IMAGE.test(last.base);
  });
}

/** A stage's ENV, as the environment of the process it runs (a compose service building it adds its own). */
export function stageEnv(stage: DockerStage | undefined): Map<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  for (const [name, v] of stage?.env ?? []) env.set(name, { name, value: v.value, token: v.token, nameLoc: v.nameLoc });
  return env;
}

/** The words a stage's ENTRYPOINT + CMD run, as command lists. */
function stageCommands(stage: DockerStage, lookup: (name: string) => string | undefined): { commands: SimpleCommand[]; words?: Token[] }[] {
  const ep = stage.entrypoint;
  const cmd = stage.cmd;
  const asShell = (c: DockerCommand): SimpleCommand[] => tokenize(c.text!, { lookup });
  if (ep?.form === 'shell') return [{ commands: asShell(ep) }];
  if (ep?.form === 'exec') {
    const words = [...(ep.items ?? [])];
    if (cmd?.form === 'exec') words.push(...(cmd.items ?? []));
    const out: { commands: SimpleCommand[]; words?: Token[] }[] = [{ commands: [], words }];
    // `ENTRYPOINT ["/entrypoint.sh"]` + `CMD gunicorn …` (shell form): the script gets `/bin/sh -c "…"`
    if (cmd?.form === 'shell') out.push({ commands: asShell(cmd) });
    return out;
  }
  if (cmd?.form === 'exec') return [{ commands: [], words: cmd.items ?? [] }];
  if (cmd?.form === 'shell') return [{ commands: asShell(cmd) }];
  return [];
}
