// railway.json / railway.toml (the deploy's start command, replicas, health check and pre-deploy
// commands) and nixpacks.toml (the start command and variables of a nixpacks build).
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { literalToken, MappedText, type Token } from '../text';
import { RAILWAY_PROVIDED } from '../../catalogue/platformVariables';
import { RAILWAY_DOCKERFILE } from '../../catalogue/platformRuntime';
import { fixedInstances, lineStarts, type DeployEnv, type DeployFile, type Instances } from '../workload';
import { yget, type YamlScalar } from '../yaml';
import { firstDoc, injected, oneOff, seq, str } from './common';
import { isTable, tomlEnv, tomlParse, tomlToken, tomlWritten } from './toml';

/** What a railway file says of its deploy, read from JSON or TOML. */
interface RailwayDeploy {
  readonly start?: MappedText;
  readonly replicas?: Instances;
  readonly health?: { readonly path: string; readonly loc: Loc };
  readonly pre: readonly MappedText[];
  /** `build.dockerfilePath`, as written, and `build.builder` (catalogue RAILWAY_DOCKERFILE). */
  readonly dockerfilePath?: { readonly path: string; readonly loc: Loc };
  readonly builder?: string;
}

/**
 * `rootDockerfile`: the file's folder holds a `Dockerfile`, which Railway builds when no other builder
 * or path is written (catalogue RAILWAY_DOCKERFILE).
 */
export function readRailway(file: string, text: string, rootDockerfile = false): DeployFile {
  const name = path.basename(file);
  const format = file.endsWith('.json') ? 'railway.json' : 'railway.toml';
  const deploy = format === 'railway.json' ? railwayJson(file, text) : railwayToml(file, text);
  if (!deploy) return { file, format, processes: [] };
  const env = new Map<string, DeployEnv>();
  // what Railway sets in every deployment, placed on the file's start
  const anchor = literalToken(MappedText.slice(file, text, 0, 0), { file, start: 0, end: 0 }, false);
  injected(
    env,
    anchor,
    RAILWAY_PROVIDED.variables.map((v) => [v, undefined] as const),
    'Railway',
  );
  const { start, replicas, health } = deploy;
  // the Dockerfile it builds: `build.dockerfilePath` from the file's folder, or the Dockerfile at the
  // root, which Railway detects and uses (readers/deploy.ts tells whether the folder holds one)
  const dockerfile = deploy.dockerfilePath
    ? { file: path.resolve(path.dirname(file), deploy.dockerfilePath.path), loc: deploy.dockerfilePath.loc }
    : rootDockerfile && (deploy.builder === undefined || deploy.builder === 'DOCKERFILE')
      ? { file: path.join(path.dirname(file), RAILWAY_DOCKERFILE.value), loc: anchor.loc }
      : undefined;
  return {
    file,
    format,
    processes: [
      {
        label: `${name} (deploy)`,
        file,
        ...(start ? { shell: start } : {}),
        env,
        ...(replicas ? { instances: replicas } : {}),
        ...(dockerfile ? { dockerfile } : {}),
        probes: health ? [{ kind: 'railway health check', path: health.path, pathLoc: health.loc, loc: health.loc }] : [],
        ports: [],
        containerized: true,
      },
      ...deploy.pre.map((p) => oneOff(`${name} (preDeployCommand)`, file, p, env, 'railway runs the pre-deploy command once per deploy')),
    ],
  };
}

function railwayJson(file: string, text: string): RailwayDeploy {
  const doc = firstDoc(file, text);
  const deploy = yget(doc, 'deploy');
  const start = str(yget(deploy, 'startCommand'));
  const replicas = str(yget(deploy, 'numReplicas'));
  const health = str(yget(deploy, 'healthcheckPath'));
  const pre = yget(deploy, 'preDeployCommand');
  const build = yget(doc, 'build');
  const dockerfilePath = str(yget(build, 'dockerfilePath'));
  const builder = str(yget(build, 'builder'));
  return {
    ...(dockerfilePath ? { dockerfilePath: { path: dockerfilePath.value, loc: dockerfilePath.loc } } : {}),
    ...(builder ? { builder: builder.value.toUpperCase() } : {}),
    ...(start ? { start: start.map } : {}),
    ...(replicas ? { replicas: fixedInstances(replicas.value, replicas.loc, `numReplicas: ${replicas.value}`) } : {}),
    ...(health ? { health: { path: health.value, loc: health.loc } } : {}),
    pre: (str(pre) ? [str(pre)!] : seq(pre).filter((i): i is YamlScalar => i.kind === 'scalar')).map((p) => p.map),
  };
}

function railwayToml(file: string, text: string): RailwayDeploy | undefined {
  const doc = tomlParse(text);
  const deploy = doc && isTable(doc.deploy) ? doc.deploy : undefined;
  if (!deploy) return undefined;
  const starts = lineStarts(text);
  const at = (key: string, value: string): Token => tomlToken(file, text, starts, ['deploy', key], value);
  const replicas = tomlWritten(file, text, starts, ['deploy', 'numReplicas'], deploy.numReplicas);
  const pre = deploy.preDeployCommand;
  const build = doc && isTable(doc.build) ? doc.build : undefined;
  return {
    ...(build && typeof build.dockerfilePath === 'string'
      ? {
          dockerfilePath: {
            path: build.dockerfilePath,
            loc: tomlToken(file, text, starts, ['build', 'dockerfilePath'], build.dockerfilePath).loc,
          },
        }
      : {}),
    ...(build && typeof build.builder === 'string' ? { builder: build.builder.toUpperCase() } : {}),
    ...(typeof deploy.startCommand === 'string' ? { start: at('startCommand', deploy.startCommand).map } : {}),
    ...(replicas ? { replicas: fixedInstances(replicas.text, replicas.loc, `numReplicas = ${replicas.text}`) } : {}),
    ...(typeof deploy.healthcheckPath === 'string'
      ? { health: { path: deploy.healthcheckPath, loc: at('healthcheckPath', deploy.healthcheckPath).loc } }
      : {}),
    pre: (typeof pre === 'string' ? [pre] : Array.isArray(pre) ? pre.filter((x): x is string => typeof x === 'string') : []).map(
      (p) => at('preDeployCommand', p).map,
    ),
  };
}

export function readNixpacks(file: string, text: string): DeployFile {
  const doc = tomlParse(text);
  const name = path.basename(file);
  if (!doc) return { file, format: 'nixpacks.toml', processes: [] };
  const starts = lineStarts(text);
  const env = tomlEnv(file, text, starts, doc.variables, ['variables']);
  const start =
    isTable(doc.start) && typeof doc.start.cmd === 'string' ? tomlToken(file, text, starts, ['start', 'cmd'], doc.start.cmd) : undefined;
  return {
    file,
    format: 'nixpacks.toml',
    processes: [
      { label: `${name} (start)`, file, ...(start ? { shell: start.map } : {}), env, probes: [], ports: [], containerized: true },
    ],
  };
}
