// What the deployment files (Kubernetes manifests, platform files, app-server configs, Dockerfiles,
// compose files) tell the analysis of a project: the environment production runs with, which the
// evaluation of the production settings starts from, and the evidence the checklist's summary shows
// (the files read as processes, the variables production gets from them, what was not read).
import { shownPath } from '../base/relPath';
import * as nodePath from 'node:path';
import type { Loc } from '../eval/values';
import type { FileKind } from '../files/scan';
import {
  closedEnvironment,
  deploymentVariables,
  isProxyService,
  readProcesses,
  runbookEnvironment,
  chartEnvironments,
  generatedEnvironments,
  unreadEnvironments,
  type ProcessSource,
  type RunbookEnvironment,
  type UnreadEnvironment,
} from '../models/process/index';
import type { DjangoProject } from '../models/project/model';
import type { Workspace } from './workspace';

/** The files whose processes may give production its environment (see deploymentVariables). */
const DEPLOYMENT_ENV_KINDS = new Set<FileKind>([
  'manifest',
  'config',
  'appconfig',
  'dockerfile',
  'compose',
  'procfile',
  'systemd',
  'generator',
]);

/** A variable production's deployment sets, as the evaluator takes it (EvalOptions.environment). */
interface ProductionVariable {
  value?: string;
  loc?: Loc;
  nonEmpty?: boolean;
  /** Its literal pieces, when parts of it are filled in where it runs (UnknownValue.knownText). */
  knownText?: readonly (string | null)[];
  defaultOf?: string;
  template?: string;
  maybe?: string;
  listed?: string;
}

/**
 * The environment production runs with, as far as the deployment files say: the variables the
 * processes serving the app get from Kubernetes manifests, platform files and app-server configs
 * (a secret's value unknown), then the variables that select what the production module loads
 * (see DjangoProject.productionEnv).
 */
export function productionEnvironment(project: DjangoProject, ws?: Workspace): Map<string, ProductionVariable> {
  const env = new Map<string, ProductionVariable>();
  if (ws && project.files.some((f) => DEPLOYMENT_ENV_KINDS.has(f.kind))) {
    for (const [name, v] of deploymentVariables(readProcesses(ws, project), project.production?.module.name, project.shownRoot))
      env.set(name, {
        ...(v.value !== undefined ? { value: v.value } : {}),
        loc: v.loc,
        ...(v.nonEmpty ? { nonEmpty: true } : {}),
        ...(v.knownText ? { knownText: v.knownText } : {}),
        ...(v.defaultOf ? { defaultOf: v.defaultOf } : {}),
        ...(v.template ? { template: v.template } : {}),
        ...(v.partial ? { maybe: v.why ?? 'only some production deployments set it' } : {}),
        ...(v.listed ? { listed: v.listed } : {}),
      });
  }
  // what a deployment runbook or deploy script sets with the platform's command line, where no
  // deployment file sets it (models/process/runbookVariables.ts)
  if (ws)
    for (const [name, v] of runbookEnvironment(ws.fs, project).variables)
      if (!env.has(name))
        env.set(name, {
          ...(v.value !== undefined ? { value: v.value } : {}),
          loc: v.loc,
          ...(v.template ? { template: v.template } : {}),
          ...(v.listed ? { listed: v.listed } : {}),
        });
  for (const e of project.productionEnv ?? []) {
    if (e.fromDefault) continue;
    env.set(e.name, {
      value: e.value,
      ...(e.file !== undefined && e.offset !== undefined ? { loc: { file: e.file, start: e.offset, end: e.offset } } : {}),
    });
  }
  return env;
}

/**
 * When the environment of every process serving the app in production is written in the
 * repository (see closedEnvironment): the files that show it. A variable none sets is unset there.
 */
export function productionEnvironmentClosed(project: DjangoProject, ws?: Workspace): string | undefined {
  if (!ws || !project.files.some((f) => DEPLOYMENT_ENV_KINDS.has(f.kind))) return undefined;
  return closedEnvironment(readProcesses(ws, project), project.production?.module.name, project.shownRoot);
}

/**
 * The environment sources the processes serving the app in production load that the repository
 * does not have (see unreadEnvironments): a variable one of them may hold is maybe set there.
 */
export function productionEnvironmentUnread(project: DjangoProject, ws?: Workspace): UnreadEnvironment[] {
  if (!ws || !project.files.some((f) => DEPLOYMENT_ENV_KINDS.has(f.kind))) return [];
  return unreadEnvironments(readProcesses(ws, project), project.production?.module.name);
}

/** See ProjectAnalysis.deployment. */
export interface DeploymentEvidence {
  /** Each file with its processes, or (a runbook, a deploy script) the variables its platform commands set. */
  readonly files: readonly {
    readonly file: string;
    readonly format: string;
    readonly processes: number;
    readonly variablesSet?: number;
    /** None of its processes is production's (a development file, a configuration nothing runs). */
    readonly notProduction?: boolean;
    /** It deploys another app than the project (a database cluster's fly.toml beside the app's): why. */
    readonly otherApp?: string;
  }[];
  readonly variables: readonly { readonly name: string; readonly evidence: string; readonly known: boolean }[];
  /** Environment files production's processes load that the repository does not have ("docker-compose.prod.yml (service web): env_file .env (ignored by git)"). */
  readonly unread: readonly string[];
  /** What the deployment readers could not read in production's files ("k8s/prod/kustomization.yaml: the remote resource … is not read"). */
  readonly notRead?: readonly string[];
  /** Proxy configurations not read as the proxy's, with why ("nginx/nginx.conf: in the build context of … (service nginx-proxy), whose Dockerfile does not copy it into the image …"). */
  readonly notRun?: readonly string[];
  /** Production processes whose whole command the deployment supplies ("docker-compose.yml (service web): its command is ${COMMAND}, which the deployment supplies"). */
  readonly suppliedCommands?: readonly string[];
}

/** How the summary names the files of processes that are no workloads (see deploymentEvidence). */
const OTHER_FORMATS: Readonly<Record<string, string>> = {
  compose: 'compose file',
  dockerfile: 'Dockerfile',
  systemd: 'systemd unit',
  procfile: 'Procfile',
};

/** The deployment evidence of a project, when it has such files. */
export function deploymentEvidence(ws: Workspace, project: DjangoProject): DeploymentEvidence | undefined {
  const runbook = runbookEnvironment(ws.fs, project);
  if (!project.files.some((f) => DEPLOYMENT_ENV_KINDS.has(f.kind))) {
    if (runbook.files.length === 0) return undefined;
    return { files: runbookEvidence(runbook), variables: runbookVariablesEvidence(project, runbook, new Set()), unread: [] };
  }
  const m = readProcesses(ws, project);
  // each unread source once, with the processes that load it
  const unreadBy = new Map<string, string[]>();
  const addUnread = (s: ProcessSource): void => {
    for (const u of s.unreadEnv ?? []) {
      const labels = unreadBy.get(u) ?? [];
      if (!labels.includes(s.label)) labels.push(s.label);
      unreadBy.set(u, labels);
    }
  };
  for (const i of m.invocations) if (i.source.production && i.server !== 'runserver') addUnread(i.source);
  for (const w of m.workloads) if (w.source.production && !w.process.once && !w.process.scheduled) addUnread(w.source);
  const unread = new Set(
    [...unreadBy].map(([u, labels]) => `${labels[0]}${labels.length > 1 ? ` (and ${labels.length - 1} more)` : ''}: ${u}`),
  );
  // (and what a chart the repository does not hold gives the app it deploys)
  for (const c of chartEnvironments(m, project.production?.module.name)) unread.add(`${c.label}: ${c.what}`);
  // (and what a program generating production's manifests gives it: passes/generatedDeployment.ts)
  for (const c of generatedEnvironments(m)) unread.add(`${c.label}: ${c.what}`);
  // each note once, with the files it is about (a chart's templates: its folder and how many)
  const noteFiles = new Map<string, string[]>();
  for (const w of m.workloads)
    if (w.source.production)
      for (const n of w.process.notes ?? []) {
        const files = noteFiles.get(n) ?? [];
        if (!files.includes(w.source.file)) files.push(w.source.file);
        noteFiles.set(n, files);
      }
  const notRead = new Set<string>();
  for (const g of m.generated)
    notRead.add(
      `${g.shown}: production's Kubernetes manifests, generated by ${g.generator.tool.noun} the analysis does not run${g.serves ? '' : ' (the command its containers run is not shown)'}`,
    );
  for (const [n, files] of noteFiles) {
    const rel = (f: string): string => shownPath(project, f);
    if (files.length === 1) notRead.add(`${rel(files[0]!)}: ${n}`);
    else {
      let dir = nodePath.dirname(files[0]!);
      while (!files.every((f) => f.startsWith(dir + nodePath.sep)) && dir !== nodePath.dirname(dir)) dir = nodePath.dirname(dir);
      notRead.add(`${rel(dir)}/ (${files.length} files): ${n}`);
    }
  }
  const files = new Map<string, { file: string; format: string; processes: number; notProduction?: boolean; otherApp?: string }>();
  for (const w of m.workloads) {
    const e = files.get(w.source.file) ?? { file: w.source.file, format: w.source.format ?? 'deployment file', processes: 0 };
    e.processes++;
    files.set(w.source.file, e);
  }
  // (a file none of whose processes is production's: said so, its findings are not production's)
  for (const e of files.values()) if (m.workloads.every((w) => w.source.file !== e.file || !w.source.production)) e.notProduction = true;
  // (…and why, when it deploys another app: passes/otherPlatformApps.ts)
  for (const e of files.values()) {
    const other = m.workloads.find((w) => w.source.file === e.file && w.source.otherProject)?.source.otherProject;
    if (e.notProduction && other) e.otherApp = other;
  }
  // …and the production files whose processes are no workloads of the model: compose services,
  // Dockerfiles, systemd units, Procfiles (their own commands, or an image's run by them), each
  // process once by its label
  const labels = new Map<string, Set<string>>();
  const supplied: string[] = [];
  const addProcess = (file: string, kind: string, label: string): void => {
    if (files.has(file) && !labels.has(file)) return;
    const format = OTHER_FORMATS[kind];
    if (!format) return;
    const seen = labels.get(file) ?? new Set<string>();
    labels.set(file, seen);
    const e = files.get(file) ?? { file, format, processes: 0 };
    if (!seen.has(label)) {
      seen.add(label);
      e.processes++;
    }
    files.set(file, e);
  };
  for (const x of [...m.invocations, ...m.tasks, ...m.scripts])
    if (x.source.production) {
      addProcess(x.source.file, x.source.kind, x.source.label);
      for (const st of m.starters.get(x.source) ?? []) if (st.production) addProcess(st.file, st.kind, st.label);
    }
  // a production compose service whose whole command is a variable (`command: ${COMMAND}`): the
  // deployment supplies what it runs, which the repository does not show (never presumed)
  for (const [key, whole] of m.composeSuppliedCommands) {
    const [file, service] = key.split('\0') as [string, string];
    if (m.composeDev.get(key) !== undefined || !m.composeDev.has(key)) continue;
    const sv = m.compose.find((c) => c.file === file)?.services.find((x) => x.name === service);
    if (!sv || isProxyService(sv)) continue;
    const label = `${shownPath(project, file)} (service ${service})`;
    addProcess(file, 'compose', label);
    supplied.push(`${label}: its command is ${whole}, which the deployment supplies`);
  }
  const variables = [...deploymentVariables(m, project.production?.module.name, project.shownRoot).values()].map((v) => ({
    name: v.name,
    evidence: v.evidence,
    known: v.value !== undefined && !v.partial,
  }));
  const setHere = new Set(variables.map((v) => v.name));
  variables.push(...runbookVariablesEvidence(project, runbook, setHere));
  const allFiles = [...files.values(), ...runbookEvidence(runbook)];
  // (a proxy configuration a built image leaves out: models/project/model.ts uncopiedProxyFiles)
  const notRun = (project.uncopiedProxyConfigs ?? []).map((u) => `${shownPath(project, u.file)}: ${u.why}`);
  if (allFiles.length === 0 && variables.length === 0 && unread.size === 0 && notRead.size === 0 && notRun.length === 0) return undefined;
  return {
    files: allFiles,
    variables,
    unread: [...unread],
    ...(notRead.size > 0 ? { notRead: [...notRead] } : {}),
    ...(notRun.length > 0 ? { notRun } : {}),
    ...(supplied.length > 0 ? { suppliedCommands: supplied } : {}),
  };
}

/** The runbook files as the summary lists them ("DEPLOY.md (dokku config:set, 5 variables)"). */
function runbookEvidence(r: RunbookEnvironment): { file: string; format: string; processes: number; variablesSet: number }[] {
  return r.files.map((f) => ({ file: f.file, format: f.commands.join(', '), processes: 0, variablesSet: f.variables }));
}

/** The variables a runbook sets that no deployment file sets. */
function runbookVariablesEvidence(
  project: DjangoProject,
  r: RunbookEnvironment,
  setHere: ReadonlySet<string>,
): { name: string; evidence: string; known: boolean }[] {
  return [...r.variables.values()]
    .filter((v) => !setHere.has(v.name))
    .map((v) => ({ name: v.name, evidence: `${shownPath(project, v.loc.file)} (platform command)`, known: v.value !== undefined }));
}
