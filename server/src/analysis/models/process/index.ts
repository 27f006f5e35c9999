// The process command lines of a project: what its Procfiles, Dockerfiles, docker-compose services,
// systemd units and shell scripts start, with the environment and working directory each process
// gets, whether it is meant for production, and whether a reverse proxy sits in front of the app.
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import type { DjangoProject } from '../project/model';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import type { FileView } from '../../files/view';
import { UWSGI_CONFIG_OPTIONS, readUwsgiIni, readUwsgiYaml, uwsgiEnv, type UwsgiCommandLine } from '../../readers/process/appConfigs';
import {
  recognise,
  recogniseWords,
  type ArgsForward,
  type Invocation,
  type OtherProgram,
  type ScriptRef,
  type TaskInvocation,
} from '../../readers/process/commands';
import { parseCompose, pathDefaults, type ComposeFile, type ComposeService, type ComposeValue } from '../../readers/container/compose';
import { readDotenv, type DotenvValue } from '../../readers/container/dotenv';
import { finalStage, parseDockerfile, type DockerCommand, type Dockerfile, type DockerStage } from '../../readers/container/dockerfile';
import { DEPLOY_KINDS, manifestTexts, readDeployFile } from '../../readers/deploy';
import { collectObjects } from '../../readers/kubernetes/manifests';
import { kustomizedFiles } from '../../readers/kubernetes/kustomize';
import { devReasonOfPath } from '../../readers/devPaths';
import { defaultTarget, makeRule } from '../../readers/process/makefile';
import { matchScripts } from '../../readers/process/npmRunAll';
import { parseProcfile } from '../../readers/process/procfile';
import { parseYamlDocuments, yget, yscalar } from '../../readers/yaml';
import { tokenize, type SimpleCommand } from '../../readers/shell';
import { parseSystemdService } from '../../readers/process/systemd';
import { MappedText, type Token } from '../../readers/text';
import { readProxyModel, type ProxyModel, type ProxyMount } from '../../readers/proxy/configs';
import { analysisBoundary } from '../../base/perAnalysis';
import type { DeployEnv, DeployProcess, UwsgiConfig, UwsgiOption } from '../../readers/workload';

export interface EnvValue {
  readonly name: string;
  readonly value: string;
  /** Where the value is written. */
  readonly token: Token;
  readonly nameLoc?: Loc;
  /**
   * Set, but its value is not written in the file (a Kubernetes secretKeyRef, a platform's secret or
   * generated value): what supplies it. `value` is then ''.
   */
  readonly from?: string;
  /**
   * The value is the default a compose file gives when the variable it interpolates is not set
   * where compose runs (`${DEBUG:-True}`): that variable's name.
   */
  readonly defaultOf?: string;
  /** Maybe set: only when a condition holds (a Helm template's `if`): why. */
  readonly maybe?: string;
}

export type SourceKind =
  | 'procfile'
  | 'dockerfile'
  | 'compose'
  | 'systemd'
  | 'shell'
  /** A Kubernetes manifest's container. */
  | 'kubernetes'
  /** A platform file's process (fly.toml, render.yaml, app.yaml, .do/app.yaml, app.json, heroku.yml, railway, nixpacks). */
  | 'platform'
  /** A uWSGI, supervisord or Circus configuration's process. */
  | 'appconfig';

export interface ProcessSource {
  readonly kind: SourceKind;
  readonly file: string;
  /** "Procfile (web)", "Dockerfile CMD", "docker-compose.yml (service web)", "mysite.service". */
  readonly label: string;
  /** Meant to run in production (not a development/test file, stage or service). */
  readonly production: boolean;
  /** Why it is not production. */
  readonly devReason?: string;
  /** Runs in a container or on a platform router (where binding all interfaces is required). */
  readonly containerized: boolean;
  /** The workspace folder the process starts in, when it can be told. */
  readonly workingDir?: string;
  /** The process's working directory as the process sees it (container or host path). */
  readonly runDir?: string;
  readonly env: ReadonlyMap<string, EnvValue>;
  /** systemd Type= (forking services are expected to daemonize). */
  readonly systemdType?: string;
  /** Maps a path as the process sees it (container path) to the workspace. */
  readonly mapPath?: (p: string) => string | undefined;
  /** The docker-compose service. */
  readonly service?: string;
  /** The deployment file's format ("Kubernetes manifest", "fly.toml"…), for the kinds read by a deploy reader. */
  readonly format?: string;
  /**
   * Environment files the process loads that the repository does not have (a compose `env_file:`
   * ignored by git or absent): "env_file .env.prod (ignored by git)". The variables they set are not known.
   */
  readonly unreadEnv?: readonly string[];
}

/** A process a deployment file (manifest, platform file, app-server config) runs, with what the file says of it. */
export interface Workload {
  readonly source: ProcessSource;
  readonly process: DeployProcess;
}

export interface ServerInvocation extends Invocation {
  readonly source: ProcessSource;
  /** The environment of the process: the source's, then the command's own assignments. */
  readonly env: ReadonlyMap<string, EnvValue>;
  /**
   * A uWSGI command line's configuration: its options, with those of the files it loads
   * (`--ini uwsgi.ini`, found in the workspace) in their place, as uWSGI reads them.
   */
  readonly uwsgiConfig?: UwsgiConfig;
}

export interface ProxyEvidence {
  readonly label: string;
  readonly loc: Loc;
  /** The proxy runs as a compose service (in front of containers), else on the host. */
  readonly composeFile?: string;
}

export interface ProcessModel {
  readonly invocations: ServerInvocation[];
  readonly scripts: { readonly ref: ScriptRef; readonly source: ProcessSource }[];
  /** Commands that run the arguments their script was given (`exec "$@"` in an entrypoint). */
  readonly forwards: { readonly forward: ArgsForward; readonly source: ProcessSource }[];
  /** Management commands and celery processes the command lines start (migrate, collectstatic, celery worker). */
  readonly tasks: { readonly task: TaskInvocation; readonly source: ProcessSource }[];
  /** Programs of other software than the app the command lines start (caddy, nginx, redis-server). */
  readonly others: { readonly other: OtherProgram; readonly source: ProcessSource }[];
  /** Dockerfiles not named for development that are the development image all the same, with why (one beside a prod/Dockerfile). */
  readonly devImages: ReadonlyMap<string, string>;
  readonly compose: ComposeFile[];
  readonly dockerfiles: Dockerfile[];
  readonly proxies: ProxyEvidence[];
  /** The nginx configurations of the project, read (readers/proxy/configs.ts). */
  readonly proxy: ProxyModel;
  /** The processes of Kubernetes manifests, platform files and app-server configs. */
  readonly workloads: Workload[];
  /** Literal values written in deployment files outside any process's environment (a Secret's stringData). */
  readonly literals: { readonly file: string; readonly env: DeployEnv }[];
  /** The project has container or platform process files (Dockerfile, compose, Procfile). */
  readonly containerized: boolean;
}

// ---- production or development -------------------------------------------------------------------

export { devReasonOfPath };

function relTo(project: DjangoProject, ws: FileView, file: string): string {
  const root = ws.scanFor(file)?.root ?? project.root;
  const base = file.startsWith(project.root + path.sep) ? project.root : root;
  return path.relative(base, file);
}

/**
 * The Dockerfile named or filed for production beside or below the folder of `file` (a
 * `Dockerfile.prod` next to it, a `prod/Dockerfile` under it), when `file` itself is not named for
 * any environment: then `file` is the development image, as docker-compose.yml is beside
 * docker-compose.prod.yml. A proxy's image (FROM nginx) is no such production image.
 */
function prodDockerfileBeside(
  file: string,
  rel: string,
  dockerfiles: readonly string[],
  read: (file: string) => Dockerfile | undefined,
): string | undefined {
  const named = (p: string): boolean => /(^|[-_.])(prod|production|live|deploy|staging|release)([-_.]|$)/i.test(p);
  if (rel.split(/[\\/]/).some(named)) return undefined;
  const dir = path.dirname(file);
  return dockerfiles.find((o) => {
    if (o === file || !o.startsWith(dir + path.sep)) return false;
    if (
      !path
        .relative(dir, o)
        .split(path.sep)
        .some((p) => /(^|[-_.])(prod|production)([-_.]|$)/i.test(p))
    )
      return false;
    const stage = read(o);
    const last = stage ? finalStage(stage) : undefined;
    return last !== undefined && !PROXY_IMAGE.test(last.base);
  });
}

// ---- reading ------------------------------------------------------------------------------------

interface Reader {
  readonly ws: FileView;
  readonly project: DjangoProject;
  readonly out: {
    invocations: ServerInvocation[];
    scripts: { ref: ScriptRef; source: ProcessSource }[];
    forwards: { forward: ArgsForward; source: ProcessSource }[];
    tasks: { task: TaskInvocation; source: ProcessSource }[];
    others: { other: OtherProgram; source: ProcessSource }[];
  };
}

function addCommands(
  r: Reader,
  commands: readonly SimpleCommand[],
  source: ProcessSource,
  lookup?: (name: string) => string | undefined,
): void {
  for (const c of commands) addRecognised(r, recognise(c, { lookup }), source);
}

function addRecognised(
  r: Reader,
  rec: { invocations: Invocation[]; scripts: ScriptRef[]; forwards: ArgsForward[]; tasks: TaskInvocation[]; others: OtherProgram[] },
  source: ProcessSource,
): void {
  for (const inv of rec.invocations) {
    const env = new Map(source.env);
    for (const a of inv.assignments) env.set(a.name, { name: a.name, value: a.value.text, token: a.value, nameLoc: a.nameLoc });
    const uwsgiConfig = inv.uwsgi ? uwsgiRun(r, inv.uwsgi, source, env) : undefined;
    r.out.invocations.push({ ...inv, source, env, ...(uwsgiConfig ? { uwsgiConfig } : {}) });
  }
  for (const s of rec.scripts) {
    r.out.scripts.push({ ref: s, source });
    if (s.make) followMake(r, s, source);
    if (s.npmScript) followNpmScript(r, s, source);
  }
  for (const f of rec.forwards) r.out.forwards.push({ forward: f, source });
  for (const t of rec.tasks) r.out.tasks.push({ task: t, source });
  for (const o of rec.others) r.out.others.push({ other: o, source });
}

/**
 * The workspace file a uWSGI command line's configuration path names: an absolute path through the
 * process's container paths (COPY, volumes), else the one uWSGI configuration of the project
 * ending with the most of its folders; a relative one from the process's working folder, its
 * file's folder or the project's root.
 */
function uwsgiConfigFile(r: Reader, p: string, source: ProcessSource): string | undefined {
  return workspaceFileFor(r, p, source, 'appconfig');
}

/**
 * The workspace file of a `kind` a process names by `p`: an absolute path through the process's
 * container paths (COPY, volumes), else the one file of that kind ending with the most of its
 * folders; a relative one from the process's working folder, its file's folder or the project's root.
 */
function workspaceFileFor(r: Reader, p: string, source: ProcessSource, kind: ScannedFile['kind']): string | undefined {
  const exists = (f: string | undefined): f is string => !!f && r.ws.fs.exists(f);
  if (p.startsWith('/')) {
    const mapped = source.mapPath?.(p);
    if (exists(mapped)) return mapped;
    const parts = p.split('/').filter((x) => x !== '' && x !== '.');
    const score = (f: string): number => {
      const fp = f.split(path.sep);
      let n = 0;
      while (n < parts.length && n < fp.length && fp[fp.length - 1 - n] === parts[parts.length - 1 - n]) n++;
      return n;
    };
    const cands = r.project.files.filter((f) => f.kind === kind && score(f.path) > 0).map((f) => ({ f: f.path, n: score(f.path) }));
    const best = Math.max(0, ...cands.map((c) => c.n));
    const top = cands.filter((c) => c.n === best);
    return top.length === 1 ? top[0]!.f : undefined;
  }
  for (const dir of [source.workingDir, path.dirname(source.file), r.project.root]) {
    const f = dir ? path.resolve(dir, p) : undefined;
    if (exists(f)) return f;
  }
  return undefined;
}

/**
 * A uWSGI command line's configuration: its options in order, each configuration file it loads
 * (`--ini file[:section]`, a YAML one) replaced by that file's options when the workspace has it
 * (uWSGI reads such a file at its place); a file not found stays an option (its content unknown).
 */
function uwsgiRun(r: Reader, cl: UwsgiCommandLine, source: ProcessSource, env: ReadonlyMap<string, EnvValue>): UwsgiConfig {
  const options: UwsgiOption[] = [];
  const loads: string[] = [];
  const lookup = envLookup(env);
  for (const o of cl.options) {
    if (!UWSGI_CONFIG_OPTIONS.has(o.key) || o.value.dynamic) {
      options.push(o);
      continue;
    }
    // `--ini file.ini:section`; `--ini $CONF` with the variable known
    let spec = o.value.text;
    if (spec.startsWith('$')) spec = lookup(spec.replace(/^\$\{?|\}$/g, '')) ?? spec;
    const colon = spec.lastIndexOf(':');
    const section = colon > 0 && /\.ini$/.test(spec.slice(0, colon)) ? spec.slice(colon + 1) : undefined;
    const p = section !== undefined ? spec.slice(0, colon) : spec;
    const file = /\.(ini|ya?ml)$/.test(p) ? uwsgiConfigFile(r, p, source) : undefined;
    const text = file ? r.ws.fs.readText(file) : undefined;
    let c: UwsgiConfig | undefined;
    try {
      c =
        file && text !== undefined
          ? /\.ini$/.test(file)
            ? readUwsgiIni(file, text, section || 'uwsgi')
            : readUwsgiYaml(file, text)
          : undefined;
    } catch {
      c = undefined;
    }
    if (!c || loads.includes(file!)) {
      options.push(o);
      continue;
    }
    loads.push(file!);
    options.push(...c.options.map((x) => (o.when && !x.when ? { ...x, when: o.when } : x)));
  }
  return { file: source.file, options, ...(loads.length > 0 ? { loads } : {}), ...(cl.opaque ? { opaque: cl.opaque } : {}) };
}

/** The folder a process runs `make` or `npm` in: its working folder, its Procfile's or platform file's, or the project's. */
function runnerDir(r: Reader, source: ProcessSource): string {
  return source.workingDir ?? (source.kind === 'procfile' || source.kind === 'platform' ? path.dirname(source.file) : r.project.root);
}

/** The commands of a recipe line or a package.json script, as the process's own; the make and npm runs they start are followed one level deeper. */
function addFollowed(r: Reader, text: MappedText, source: ProcessSource, depth: number, seen?: Set<string>): void {
  const lookup = envLookup(source.env);
  for (const c of tokenize(text, { lookup })) {
    const rec = recognise(c, { lookup });
    addRecognised(r, { ...rec, scripts: rec.scripts.filter((x) => !x.make && !x.npmScript) }, source);
    for (const x of rec.scripts) {
      if (x.make) followMake(r, x, source, depth + 1);
      if (x.npmScript) followNpmScript(r, x, source, depth + 1, seen);
    }
  }
}

/**
 * `make serve`: the commands of the target's recipe in the Makefile of the process's folder (or the
 * one `-f`/`-C` names), read as the process's own commands, in the Makefile (a finding on
 * `--reload` lands there). A target whose recipe runs make again is followed a few levels deep.
 */
function followMake(r: Reader, s: ScriptRef, source: ProcessSource, depth = 0): void {
  if (depth > 2) return;
  let dir = runnerDir(r, source);
  let file: string | undefined;
  const targets: string[] = [];
  for (let i = 0; i < s.args.length; i++) {
    const a = s.args[i]!;
    if (a.dynamic) return;
    if (a.text === '-C' || a.text === '--directory') dir = path.resolve(dir, s.args[++i]?.text ?? '.');
    else if (a.text === '-f' || a.text === '--file' || a.text === '--makefile') file = s.args[++i]?.text;
    else if (a.text.startsWith('-') || a.text.includes('=')) continue;
    else targets.push(a.text);
  }
  const makefile = file
    ? path.resolve(dir, file)
    : ['GNUmakefile', 'makefile', 'Makefile'].map((n) => path.join(dir, n)).find((p) => r.ws.fs.exists(p));
  if (!makefile || !makefile.startsWith(r.project.repositoryRoot ?? r.project.root)) return;
  const text = r.ws.fs.readText(makefile);
  if (text === undefined) return;
  if (targets.length === 0) {
    const t = defaultTarget(text);
    if (t) targets.push(t);
  }
  // each target after its prerequisites, once (make's order)
  const done = new Set<string>();
  const run = (t: string, level: number): void => {
    if (done.has(t) || level > 8) return;
    done.add(t);
    const rule = makeRule(makefile, text, t);
    if (!rule) return;
    for (const p of rule.prerequisites) run(p, level + 1);
    for (const line of rule.recipe) addFollowed(r, line, source, depth);
  };
  for (const t of targets) run(t, 0);
}

/**
 * `npm run start` (yarn, pnpm): the command of package.json's `scripts.start` in the process's folder,
 * read as the process's own command, in package.json. Its `prestart` runs first, as npm runs it.
 * An npm-run-all pattern (`npm-run-all -p render-*`) runs every script it matches; a script already
 * followed for this process (the one running the pattern, one two patterns match) is read once.
 */
function followNpmScript(r: Reader, s: ScriptRef, source: ProcessSource, depth = 0, seen: Set<string> = new Set()): void {
  if (depth > 2 || !s.npmScript) return;
  const dir = runnerDir(r, source);
  const file = path.join(dir, 'package.json');
  if (!file.startsWith(r.project.repositoryRoot ?? r.project.root)) return;
  const text = r.ws.fs.readText(file);
  if (text === undefined) return;
  const scripts = yget(parseYamlDocuments(file, text).documents[0], 'scripts');
  const names = s.npmPattern && scripts?.kind === 'map' ? scripts.entries.map((e) => e.key.value) : [];
  const runs = (s.npmPattern ? matchScripts(s.npmScript, names) : [s.npmScript]).filter((n) => !seen.has(n));
  for (const run of runs) seen.add(run);
  for (const run of runs)
    for (const name of [`pre${run}`, run]) {
      const cmd = yscalar(yget(scripts, name));
      if (cmd) addFollowed(r, cmd.map, source, depth, seen);
    }
}

function envLookup(env: ReadonlyMap<string, EnvValue>): (name: string) => string | undefined {
  return (name) => {
    const v = env.get(name);
    return v && !v.from && !v.token.dynamic ? v.value : undefined;
  };
}

/** Container path → workspace path, from a stage's COPY instructions and compose volumes. */
function pathMapper(
  ws: FileView,
  context: string,
  copies: readonly { sources: string[]; dest: string; from?: string }[],
  volumes: readonly { host: string; container: string }[] = [],
): (p: string) => string | undefined {
  const scan = ws.scanFor(context);
  const isDir = (abs: string): boolean => abs === context || (scan?.directories.has(abs) ?? false);
  const maps: { dest: string; src: string }[] = [];
  for (const c of copies) {
    if (c.from) continue;
    for (const s of c.sources) {
      const abs = path.resolve(context, s);
      if (isDir(abs)) maps.push({ dest: c.dest.replace(/(?<!\/)\/+$/, '') || '/', src: abs });
      else maps.push({ dest: (c.dest.endsWith('/') ? c.dest + path.basename(s) : c.dest).replace(/(?<!\/)\/+$/, ''), src: abs });
    }
  }
  for (const v of volumes) maps.push({ dest: v.container.replace(/(?<!\/)\/+$/, '') || '/', src: v.host });
  maps.sort((a, b) => b.dest.length - a.dest.length);
  return (p: string): string | undefined => {
    const norm = path.posix.normalize(p).replace(/(?<!\/)\/+$/, '') || '/';
    for (const m of maps) {
      if (norm === m.dest) return m.src;
      if (m.dest === '/' ? norm.startsWith('/') : norm.startsWith(m.dest + '/'))
        return path.join(m.src, norm.slice(m.dest === '/' ? 1 : m.dest.length + 1));
    }
    return undefined;
  };
}

function stageEnv(stage: DockerStage | undefined): Map<string, EnvValue> {
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

const PROXY_IMAGE =
  /(^|\/)(nginx|nginx-unprivileged|openresty|caddy|traefik|haproxy|envoy|httpd|apache|nginx-proxy|swag|h2o|varnish)(:|@|$)/i;
const PROXY_NAME =
  /^(nginx|caddy|traefik|haproxy|envoy|proxy|reverse-?proxy|web-?proxy|lb|loadbalancer|front(end)?-?proxy|openresty|apache|httpd)$/i;

/** The official nginx image (and its unprivileged variant), whose entrypoint fills /etc/nginx/templates into conf.d. */
const NGINX_IMAGE = /^(?:docker\.io\/)?(?:library\/|nginxinc\/)?nginx(?:-unprivileged)?(?::|@|$)/i;

/** A compose volume that binds a host path (`./nginx:/etc/nginx/conf.d`), resolved from the compose file's folder. */
function bindMount(volume: string, dir: string): { host: string; container: string } | undefined {
  const m = /^(\.{1,2}(?:\/[^:]*)?|\/[^:]*):(\/[^:]*)/.exec(volume);
  return m ? { host: path.resolve(dir, m[1]!), container: m[2]! } : undefined;
}

/**
 * The workspace files a proxy service's container sees, from its bind-mount volumes (a `${VAR:-x}`
 * in the path read as its default, as compose mounts it when VAR is not set). The nginx image's
 * entrypoint writes /etc/nginx/templates/x.template, its variables substituted, to
 * /etc/nginx/conf.d/x: the template is that file too (read with its variables as written).
 */
export function composeProxyMounts(s: ComposeService, dir: string, group: string): ProxyMount[] {
  const out: ProxyMount[] = [];
  for (const v of s.volumes) {
    const m = bindMount(pathDefaults(v), dir);
    if (!m) continue;
    const { host, container } = m;
    out.push({ host, container, group });
    const t = /^\/etc\/nginx\/templates\/(.+)\.template$/.exec(container);
    if (t && s.image && NGINX_IMAGE.test(s.image)) out.push({ host, container: `/etc/nginx/conf.d/${t[1]}`, group });
  }
  return out;
}

export function isProxyService(s: ComposeService): boolean {
  if (s.image && PROXY_IMAGE.test(s.image)) return true;
  if (PROXY_NAME.test(s.name)) return true;
  if (s.build && /(^|\/)(nginx|caddy|traefik|haproxy|proxy)(\/|$)/i.test(s.build.context.replace(/(?<!\/)\/+$/, ''))) return true;
  return false;
}

/** Images of software that is not the Django app (a database, a cache, a broker, a search engine). */
const SERVICE_IMAGE =
  /(^|\/)(postgres|postgresql|postgis|mysql|mariadb|redis|valkey|memcached|rabbitmq|elasticsearch|opensearch|mongo|mongodb|minio|kibana|grafana|prometheus|busybox|alpine)(:|@|$)/i;

/**
 * A workload whose container runs other software than the Django app: a proxy (nginx, Caddy…) or a
 * service (a database, a cache…) by its image, when it runs no command of its own that starts Django.
 */
export function runsOtherSoftware(w: Workload): boolean {
  const image = w.process.image;
  if (image && !image.includes('{{') && !image.startsWith('~{')) return PROXY_IMAGE.test(image) || SERVICE_IMAGE.test(image);
  // an image the chart's values decide: the container's name says what it runs, when it names other software
  const name = w.process.container;
  return !!name && (OTHER_CONTAINER.test(name) || PROXY_NAME.test(name));
}

/** Container names of software beside the app: proxies and caches, metrics exporters, log shippers, sidecars. */
const OTHER_CONTAINER =
  /^(varnish|redis|memcached|postgres(ql)?|mysql|mariadb|rabbitmq|elasticsearch|opensearch|mongo(db)?|minio|[a-z0-9-]*-exporter|metrics(-[a-z0-9-]+)?|statsd|fluent(d|-?bit)|cloud-?sql-proxy|istio-proxy|linkerd-proxy|[a-z0-9-]*-sidecar)$/i;

/**
 * A question the process model asked the file system, with its answer: a text read as the string
 * itself (compared with the text read again, no copy made), any other answer as JSON.
 */
interface FsCall {
  readonly op: 'readText' | 'exists' | 'isDirectory' | 'readDir' | 'realpath' | 'size';
  readonly path: string;
  readonly answer: string | undefined;
}

const FS_OPS = new Set<string>(['readText', 'exists', 'isDirectory', 'readDir', 'realpath', 'size']);

function ask(fs: FileSystem, op: FsCall['op'], p: string): unknown {
  return (fs[op] as (p: string) => unknown).call(fs, p);
}

function answerText(op: FsCall['op'], answer: unknown): string | undefined {
  if (op === 'readText') return typeof answer === 'string' ? answer : undefined;
  return JSON.stringify(answer) ?? 'u';
}

/** The process model of each project, with the questions it asked the file system (see readProcesses). */
const processModels = new WeakMap<
  DjangoProject,
  {
    readonly fs: FileSystem;
    readonly calls: readonly FsCall[];
    readonly model: ProcessModel;
    /** The analysis (see duringOneAnalysis) in which every answer was last found the same; -1 outside one. */
    checked: number;
  }
>();

/** The analysis running (see duringOneAnalysis), and how deeply nested; each analysis gets a number of its own. */
let analysisNumber = 0;
let analysisDepth = 0;

/**
 * Runs one analysis of a project (engine.ts's analyzeProject): within it, the process model is
 * checked against the file system once (the first readProcesses), and given again as it is to the
 * calls after it (the evidence, the environment, the app server and the mounts each ask for it).
 * The files are read once per analysis either way: one that changes while an analysis runs is
 * seen by the next one. Outside an analysis, every readProcesses checks every answer.
 */
export function duringOneAnalysis<T>(fn: () => T): T {
  if (analysisDepth === 0) {
    analysisNumber++;
    // the memos of the analysis before (perAnalysis.ts) are dropped
    analysisBoundary();
  }
  analysisDepth++;
  try {
    return fn();
  } finally {
    analysisDepth--;
    if (analysisDepth === 0) analysisNumber++;
  }
}

/**
 * A compose `environment:` value as the container gets it: a variable compose interpolates is read
 * from the committed `.env` beside the file when it sets it; otherwise `${X:-default}` gives its
 * default (what production gets unless X is set where compose runs), `${X:?message}` is set
 * (compose refuses to start without it), and `${X}` stays as written (filled in at deploy time).
 */
function composeEnvValue(name: string, v: ComposeValue, dotenv: Map<string, DotenvValue> | undefined): EnvValue {
  const plain: EnvValue = { name, value: v.value, token: v.token, nameLoc: v.nameLoc };
  const i = v.interpolates;
  if (!i) return plain;
  const set = dotenv?.get(i.name);
  if (set && !set.token.dynamic && !(i.colon && set.value === '' && i.default))
    return { name, value: set.value, token: set.token, nameLoc: v.nameLoc };
  if (i.required) return { name, value: '', token: v.token, nameLoc: v.nameLoc, from: `\${${i.name}}, which compose requires to be set` };
  if (i.default) return { name, value: i.default.text, token: i.default, nameLoc: v.nameLoc, defaultOf: i.name };
  return plain;
}

/**
 * The processes the project's files start (Procfile, Dockerfile, compose, systemd units, shell
 * scripts). The model is kept with every question its reading asked the file system (each
 * question once), and given again while every one gets the same answer: the language server asks
 * for it after each keystroke in a settings module, which changes none of these files. Within one
 * analysis the answers are asked once (see duringOneAnalysis).
 */
export function readProcesses(ws: FileView, project: DjangoProject): ProcessModel {
  const kept = processModels.get(project);
  const now = analysisDepth > 0 ? analysisNumber : -1;
  if (kept && kept.fs === ws.fs) {
    if (now >= 0 && kept.checked === now) return kept.model;
    if (kept.calls.every((c) => answerText(c.op, ask(ws.fs, c.op, c.path)) === c.answer)) {
      kept.checked = now;
      return kept.model;
    }
  }
  const calls: FsCall[] = [];
  const asked = new Map<string, string | undefined>();
  const fs = ws.fs;
  const recording = new Proxy(fs, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !FS_OPS.has(prop) || typeof v !== 'function') return v;
      return (p: string): unknown => {
        const answer = (v as (p: string) => unknown).call(target, p);
        const op = prop as FsCall['op'];
        const text = answerText(op, answer);
        // a question asked again with the same answer is checked once
        const key = `${op}\0${p}`;
        if (!asked.has(key) || asked.get(key) !== text) {
          asked.set(key, text);
          calls.push({ op, path: p, answer: text });
        }
        return answer;
      };
    },
  });
  // the workspace, asking the recording file system (its methods run with `this` the proxy)
  const recorded = new Proxy(ws, { get: (target, prop) => (prop === 'fs' ? recording : Reflect.get(target, prop, target)) });
  const model = buildProcesses(recorded, project);
  processModels.set(project, { fs, calls, model, checked: now });
  return model;
}

function buildProcesses(ws: FileView, project: DjangoProject): ProcessModel {
  const r: Reader = { ws, project, out: { invocations: [], scripts: [], forwards: [], tasks: [], others: [] } };
  const compose: ComposeFile[] = [];
  const dockerfiles: Dockerfile[] = [];
  const devImages = new Map<string, string>();
  const proxies: ProxyEvidence[] = [];
  const proxyMounts: ProxyMount[] = [];
  const workloads: Workload[] = [];
  const literals: { file: string; env: DeployEnv }[] = [];
  const files = project.files;
  // the ConfigMaps, Secrets and autoscalers of all the manifests, collected once for all of them
  // a kustomization's resources and patches are read through it (a base is not deployed alone)
  const kustomized = kustomizedFiles(ws.fs, files);
  const manifests = files.some((f) => f.kind === 'manifest')
    ? manifestTexts(ws.fs, kustomized ? files.filter((f) => !kustomized.has(f.path)) : files)
    : [];
  const objects = manifests.length > 1 ? collectObjects(manifests) : undefined;
  const composeFiles = files.filter((f) => f.kind === 'compose');
  const dockerfileFiles = files.filter((f) => f.kind === 'dockerfile').map((f) => f.path);
  const read = (f: ScannedFile): string | undefined => ws.fs.readText(f.path);
  const dockerCache = new Map<string, Dockerfile | undefined>();
  const dockerfileAt = (file: string): Dockerfile | undefined => {
    if (!dockerCache.has(file)) {
      const text = ws.fs.readText(file);
      dockerCache.set(file, text === undefined ? undefined : parseDockerfile(file, text));
    }
    return dockerCache.get(file);
  };
  let containerized = false;
  // the compose services that build each Dockerfile, with why each is for development (undefined: production)
  const composeBuilds: { dockerfile: string; label: string; devReason: string | undefined; file: string; service?: string }[] = [];

  for (const f of files) {
    const rel = relTo(project, ws, f.path);
    const name = path.basename(f.path);
    if (DEPLOY_KINDS.has(f.kind) && !kustomized?.has(f.path)) {
      const d = readDeployFile(ws.fs, f, objects);
      if (d) {
        const fileDev = devReasonOfPath(rel);
        for (const l of d.literals ?? []) literals.push({ file: f.path, env: l });
        for (const p of d.processes) {
          const source = deploySource(f, d.format, p, fileDev);
          if (p.containerized) containerized = true;
          workloads.push({ source, process: p });
          const lookup = envLookup(source.env);
          if (p.words) addRecognised(r, recogniseWords(p.words, [], { lookup }), source);
          if (p.shell) addCommands(r, tokenize(p.shell, { lookup }), source, lookup);
        }
      }
    }
    if (f.kind === 'procfile') {
      const text = read(f);
      if (text === undefined) continue;
      containerized = true;
      const fileDev = devReasonOfPath(rel);
      for (const e of parseProcfile(f.path, text)) {
        const typeDev = devReasonOfPath(e.type);
        const source: ProcessSource = {
          kind: 'procfile',
          file: f.path,
          label: `${name} (${e.type})`,
          production: !fileDev && !typeDev,
          devReason: fileDev ? `${name}: ${fileDev}` : typeDev ? `the process type ${e.type} is for development` : undefined,
          containerized: true,
          workingDir: path.dirname(f.path),
          runDir: path.dirname(f.path),
          env: new Map(),
        };
        addCommands(r, tokenize(e.command), source);
      }
    } else if (f.kind === 'dockerfile') {
      const d = dockerfileAt(f.path);
      if (!d) continue;
      containerized = true;
      dockerfiles.push(d);
      const stage = finalStage(d);
      if (!stage) continue;
      if (PROXY_IMAGE.test(stage.base)) {
        proxies.push({ label: `${rel} (FROM ${stage.base})`, loc: stage.baseLoc });
        continue;
      }
      const named = devReasonOfPath(rel);
      const prodImage = named ? undefined : prodDockerfileBeside(f.path, rel, dockerfileFiles, dockerfileAt);
      const fileDev = named ?? (prodImage ? `${path.relative(path.dirname(f.path), prodImage)} is the production image` : undefined);
      if (prodImage) devImages.set(f.path, fileDev!);
      const stageDev = stage.name ? devReasonOfPath(stage.name) : undefined;
      const context = path.dirname(f.path);
      const mapPath = pathMapper(ws, context, stage.copies);
      const env = stageEnv(stage);
      const source: ProcessSource = {
        kind: 'dockerfile',
        file: f.path,
        label: `${name} ${stage.entrypoint && !stage.cmd ? 'ENTRYPOINT' : 'CMD'}`,
        production: !fileDev && !stageDev,
        devReason: fileDev ? `${name}: ${fileDev}` : stageDev ? `its last stage (${stage.name}) is for development` : undefined,
        containerized: true,
        workingDir: stage.workdir ? mapPath(stage.workdir) : context,
        runDir: stage.workdir,
        env,
        mapPath,
      };
      for (const part of stageCommands(stage, envLookup(env))) {
        if (part.words) addRecognised(r, recogniseWords(part.words, [], { lookup: envLookup(env) }), source);
        addCommands(r, part.commands, source, envLookup(env));
      }
    } else if (f.kind === 'compose') {
      const text = read(f);
      if (text === undefined) continue;
      containerized = true;
      const c = parseCompose(f.path, text);
      compose.push(c);
      const dir = path.dirname(f.path);
      // the .env beside the compose file, which compose interpolates `${VAR}` from (when committed)
      let dotenv: Map<string, DotenvValue> | undefined | null = null;
      const interpolation = (): Map<string, DotenvValue> | undefined => {
        if (dotenv !== null) return dotenv;
        const p = path.join(dir, '.env');
        const t = ws.scanFor(p)?.gitignore.ignores(p, false) ? undefined : ws.fs.readText(p);
        dotenv = t === undefined ? undefined : readDotenv(p, t);
        return dotenv;
      };
      const fileDev = devReasonOfPath(rel, ['override']);
      // docker-compose.yml beside docker-compose.prod.yml (or with one in a docker/ or deploy/ folder
      // of the project, layered over it with -f) is the development setup
      const prodSibling = composeFiles.find(
        (o) =>
          o.path !== f.path &&
          /(^|[-_.])(prod|production|live|deploy)([-_.]|$)/i.test(path.basename(o.path)) &&
          (path.dirname(o.path) === dir || o.path.startsWith(dir + path.sep)),
      );
      const baseIsDev =
        !fileDev && prodSibling && !/(^|[-_.])(prod|production|live|deploy|staging)([-_.]|$)/i.test(name)
          ? `${path.basename(prodSibling.path)} is the production file`
          : undefined;
      for (const s of c.services) {
        if (s.build && isProxyService(s))
          composeBuilds.push({
            dockerfile: path.resolve(dir, s.build.context, s.build.dockerfile),
            label: `${name} (service ${s.name})`,
            devReason: undefined,
            file: f.path,
          });
        if (isProxyService(s)) {
          proxies.push({ label: `${name} (service ${s.name})`, loc: s.nameLoc, composeFile: f.path });
          proxyMounts.push(...composeProxyMounts(s, dir, `${f.path}#${s.name}`));
          continue;
        }
        let stage: DockerStage | undefined;
        let context = dir;
        if (s.build) {
          context = path.resolve(dir, s.build.context);
          const df = dockerfileAt(path.resolve(context, s.build.dockerfile));
          stage = df ? finalStage(df) : undefined;
        }
        const volumes = s.volumes.map((v) => bindMount(v, dir)).filter((v) => v !== undefined);
        const mountsSource = volumes.some((v) => v.host === dir || v.host === project.root || v.host === context);
        const mapPath = pathMapper(ws, context, stage?.copies ?? [], volumes);
        const env = stageEnv(stage);
        const unreadEnv: string[] = [];
        for (const ef of s.envFiles) {
          const p = path.resolve(dir, ef.path);
          const ignored = ws.scanFor(p)?.gitignore.ignores(p, false) === true;
          const t = ignored ? undefined : ws.fs.readText(p);
          if (t === undefined) {
            if (ef.required || ignored) unreadEnv.push(`env_file ${ef.path} (${ignored ? 'ignored by git' : 'not in the repository'})`);
            continue;
          }
          for (const [k, v] of readDotenv(p, t)) env.set(k, { name: k, value: v.value, token: v.token, nameLoc: v.nameLoc });
        }
        for (const [k, v] of s.environment) env.set(k, composeEnvValue(k, v, interpolation()));
        const svcDev =
          devReasonOfPath(s.name) ?? (s.profiles.some((p) => devReasonOfPath(p)) ? `its profile is ${s.profiles.join(', ')}` : undefined);
        const devReason = fileDev
          ? `${name}: ${fileDev}`
          : (baseIsDev ??
            (svcDev
              ? `the service ${s.name}: ${svcDev}`
              : mountsSource
                ? `the service ${s.name} mounts the source code (a development setup)`
                : undefined));
        const runDir = s.workingDir ?? stage?.workdir;
        if (s.build)
          composeBuilds.push({
            dockerfile: path.resolve(context, s.build.dockerfile),
            label: `${name} (service ${s.name})`,
            devReason,
            file: f.path,
            service: s.name,
          });
        const source: ProcessSource = {
          kind: 'compose',
          file: f.path,
          label: `${name} (service ${s.name})`,
          service: s.name,
          production: !devReason,
          devReason,
          containerized: true,
          workingDir: runDir ? mapPath(runDir) : context,
          runDir,
          env,
          mapPath,
          ...(unreadEnv.length > 0 ? { unreadEnv } : {}),
        };
        const lookup = envLookup(env);
        // compose's entrypoint/command replace the image's; `command` alone keeps its ENTRYPOINT
        const ep = s.entrypoint ?? (stage?.entrypoint?.form === 'exec' ? stage.entrypoint.items : undefined);
        if (s.command || s.entrypoint) {
          const words = [...(ep ?? []), ...(s.command ?? [])];
          addRecognised(r, recogniseWords(words, [], { lookup }), source);
        }
      }
    } else if (f.kind === 'systemd') {
      const text = read(f);
      if (text === undefined) continue;
      const unit = parseSystemdService(f.path, text);
      const fileDev = devReasonOfPath(rel);
      const env = new Map<string, EnvValue>();
      for (const [k, v] of unit.environment) env.set(k, { name: k, value: v.value, token: v.token, nameLoc: v.nameLoc });
      const source: ProcessSource = {
        kind: 'systemd',
        file: f.path,
        label: name,
        production: !fileDev,
        devReason: fileDev ? `${name}: ${fileDev}` : undefined,
        containerized: false,
        runDir: unit.workingDirectory,
        env,
        systemdType: unit.type,
      };
      for (const e of unit.execStart) addRecognised(r, recogniseWords(e.tokens, [], { lookup: envLookup(env) }), source);
    } else if (f.kind === 'shell') {
      const text = read(f);
      if (text === undefined) continue;
      const fileDev = devReasonOfPath(rel);
      const env = new Map<string, EnvValue>();
      const source: ProcessSource = {
        kind: 'shell',
        file: f.path,
        label: name,
        production: !fileDev,
        devReason: fileDev ? `${name}: ${fileDev}` : undefined,
        containerized: false,
        env,
      };
      // variables the script sets before starting the server (`export GUNICORN_CMD_ARGS=…`)
      const lookup = (n: string): string | undefined => env.get(n)?.value;
      for (const c of tokenize(MappedText.slice(f.path, text), { lookup })) {
        if (c.words.length === 0 && !c.conditional) {
          for (const a of c.assignments) env.set(a.name, { name: a.name, value: a.value.text, token: a.value, nameLoc: a.token.loc });
          continue;
        }
        if ((c.words[0]?.text === 'export' || c.words[0]?.text === 'declare') && !c.conditional) {
          for (const w of c.words.slice(1)) {
            const eq = w.text.indexOf('=');
            if (eq > 0 && /^[A-Za-z_]\w*$/.test(w.text.slice(0, eq))) {
              const map = w.map.sub(eq + 1, w.text.length);
              env.set(w.text.slice(0, eq), {
                name: w.text.slice(0, eq),
                value: map.text,
                token: { ...w, text: map.text, map, loc: map.length > 0 ? map.loc(0, map.length) : w.loc },
                nameLoc: w.map.loc(0, eq),
              });
            }
          }
          continue;
        }
        addRecognised(r, recognise(c, { lookup }), { ...source, env: new Map(env) });
      }
    } else if (f.kind === 'config') {
      if (name === 'nginx.conf' || name === 'Caddyfile') proxies.push({ label: rel, loc: { file: f.path, start: 0, end: 0 } });
    }
  }
  // nginx/caddy configuration folders (deploy/nginx/mysite.conf…)
  const scan = ws.scanFor(project.root);
  if (scan) {
    // Every folder of the workspace's scan is looked at for each of its projects: the test whether a
    // folder lies within the scan's root is a prefix test first (what the scan lists is built from
    // its root), path.relative only for what is not (20 projects, 5,000 files: ~4,800 calls of
    // path.relative, ~25 ms, for folders that were all within it)
    for (const d of scan.directories) {
      if (
        !within(d, project.root) &&
        !within(d, scan.root) &&
        !path
          .relative(scan.root, d)
          .split(path.sep)
          .every((p) => p !== '..')
      )
        continue;
      const b = path.basename(d).toLowerCase();
      if (b === 'nginx' || b === 'caddy' || b === 'traefik' || b === 'haproxy') {
        const entry = ws.fs.readDir(d).find((e) => e.isFile && /\.(conf|cfg|toml|ya?ml)$|^Caddyfile/.test(e.name));
        if (entry)
          proxies.push({
            label: path.relative(scan.root, path.join(d, entry.name)),
            loc: { file: path.join(d, entry.name), start: 0, end: 0 },
          });
      }
    }
  }
  // the nginx configurations themselves (any *.conf holding a server or http block)
  const proxyRoot = scan?.root ?? project.root;
  const proxy = readProxyModel(
    ws.fs,
    proxyRoot,
    files
      .filter(
        (f) =>
          f.kind === 'proxy' || (f.kind === 'config' && (path.basename(f.path) === 'nginx.conf' || path.basename(f.path) === 'Caddyfile')),
      )
      .map((f) => ({ path: f.path, rel: path.relative(proxyRoot, f.path).split(path.sep).join('/') })),
    proxyMounts,
  );
  for (const c of proxy.nginx)
    if (!proxies.some((p) => p.loc.file === c.file))
      proxies.push({ label: path.relative(proxyRoot, c.file), loc: { file: c.file, start: 0, end: 0 } });
  // A Dockerfile only development compose services build, while production runs on a platform's
  // own runtime (render's `runtime: python`, App Engine, a buildpack) and no production process
  // builds or runs an image (a manifest, a platform building a Dockerfile): production never runs
  // its CMD, whatever its name says; its processes are development's
  const demoted = new Map<ProcessSource, ProcessSource>();
  const native = workloads.filter(
    (w) => w.source.production && w.process.nativeRuntime && !w.process.once && !w.process.scheduled && !runsOtherSoftware(w),
  );
  const imageRunners = workloads.filter(
    (w) => w.source.production && (w.source.kind === 'kubernetes' || (w.process.dockerfile && !w.process.nativeRuntime)),
  );
  if (native.length > 0 && imageRunners.length === 0) {
    const rel = (p: string): string => path.relative(project.root, p) || path.basename(p);
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
  // A start script only processes not meant for production run (a development image's ENTRYPOINT,
  // a `dev` Procfile's process) is theirs: what it starts is development's too. A script no
  // process is seen to run, or one a production process may run, stays production.
  const effective = (src: ProcessSource): ProcessSource => demoted.get(src) ?? src;
  const shellSources = [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others]
    .map((x) => x.source)
    .filter((src) => src.kind === 'shell' && src.production);
  const runs =
    shellSources.length === 0
      ? []
      : r.out.scripts.flatMap((s) => {
          if (s.ref.make || s.ref.npmScript || s.ref.supervisord) return [];
          const file = workspaceFileFor(r, s.ref.script.text, s.source, 'shell');
          return file && file !== s.source.file ? [{ file, source: s.source }] : [];
        });
  for (let changed = runs.length > 0, rounds = 0; changed && rounds < 8; rounds++) {
    changed = false;
    const starters = new Map<string, ProcessSource[]>();
    for (const { file, source } of runs) starters.set(file, [...(starters.get(file) ?? []), effective(source)]);
    for (const src of shellSources) {
      const by = starters.get(src.file);
      if (demoted.has(src) || !by || by.some((b) => b.production)) continue;
      demoted.set(src, {
        ...src,
        production: false,
        devReason: `started only by ${[...new Set(by.map((b) => b.label))].join(', ')} (${by[0]!.devReason ?? 'development'})`,
      });
      changed = true;
    }
  }
  const moved = <T extends { source: ProcessSource }>(xs: T[]): T[] =>
    demoted.size === 0 ? xs : xs.map((x) => (demoted.has(x.source) ? { ...x, source: demoted.get(x.source)! } : x));
  r.out.invocations = moved(r.out.invocations);
  r.out.tasks = moved(r.out.tasks);
  r.out.scripts = moved(r.out.scripts);
  r.out.forwards = moved(r.out.forwards);
  r.out.others = moved(r.out.others);
  // a uWSGI configuration a command line loads (`uwsgi --ini uwsgi.ini`) runs as that process: for
  // production when one of the processes loading it is
  const loaders = new Map<string, ServerInvocation[]>();
  for (const i of r.out.invocations) for (const f of i.uwsgiConfig?.loads ?? []) loaders.set(f, [...(loaders.get(f) ?? []), i]);
  for (let k = 0; k < workloads.length; k++) {
    const w = workloads[k]!;
    const by = w.process.uwsgi ? loaders.get(w.source.file) : undefined;
    if (!by || !w.source.production || by.some((i) => i.source.production)) continue;
    const devReason = `loaded only by ${[...new Set(by.map((i) => i.source.label))].join(', ')} (${by[0]!.source.devReason ?? 'development'})`;
    workloads[k] = { source: { ...w.source, production: false, devReason }, process: w.process };
  }
  return {
    invocations: r.out.invocations,
    scripts: r.out.scripts,
    forwards: r.out.forwards,
    tasks: r.out.tasks,
    others: r.out.others,
    devImages,
    compose,
    dockerfiles,
    proxies,
    proxy,
    workloads,
    literals,
    containerized,
  };
}

/** The process source of a deployment file's process. */
function deploySource(f: ScannedFile, format: string, p: DeployProcess, fileDev: string | undefined): ProcessSource {
  const kind: SourceKind =
    f.kind === 'manifest' || format.startsWith('Kubernetes manifest') ? 'kubernetes' : f.kind === 'appconfig' ? 'appconfig' : 'platform';
  const env = new Map<string, EnvValue>();
  for (const [k, v] of p.env)
    env.set(k, {
      name: v.name,
      value: v.value,
      token: v.token,
      nameLoc: v.nameLoc,
      ...(v.from ? { from: v.from } : {}),
      ...(v.maybe ? { maybe: v.maybe } : {}),
    });
  const name = path.basename(f.path);
  const devReason = fileDev ? `${name}: ${fileDev}` : p.devReason;
  return {
    kind,
    file: f.path,
    label: p.label,
    production: !devReason,
    ...(devReason ? { devReason } : {}),
    containerized: p.containerized,
    // a platform builds from the repository root of its file; an app-server config names its folder
    ...(p.runDir ? { runDir: p.runDir } : kind === 'platform' ? { workingDir: path.dirname(f.path), runDir: path.dirname(f.path) } : {}),
    env,
    format,
    ...(p.unreadEnv?.length ? { unreadEnv: p.unreadEnv } : {}),
  };
}

export type { Invocation };

/** A uWSGI instance: a command line that starts uWSGI (with the files it loads), or a configuration file no command line loads. */
export interface UwsgiInstance {
  /** "the uwsgi command of entrypoint.sh", "uwsgi.ini (uWSGI)". */
  readonly label: string;
  readonly source: ProcessSource;
  readonly config: UwsgiConfig;
  readonly invocation?: ServerInvocation;
  readonly workload?: Workload;
}

/** The project's uWSGI instances: each command line that starts uWSGI, and each configuration file none of them loads. */
export function uwsgiInstances(m: ProcessModel): UwsgiInstance[] {
  const out: UwsgiInstance[] = [];
  const loaded = new Set<string>();
  for (const i of m.invocations) {
    if (!i.uwsgiConfig) continue;
    for (const f of i.uwsgiConfig.loads ?? []) loaded.add(f);
    out.push({ label: `the uwsgi command of ${i.source.label}`, source: i.source, config: i.uwsgiConfig, invocation: i });
  }
  for (const w of m.workloads)
    if (w.process.uwsgi && !loaded.has(w.source.file))
      out.push({ label: w.source.label, source: w.source, config: w.process.uwsgi, workload: w });
  return out;
}

/** A variable the production deployment sets for the processes that serve the app. */
export interface DeploymentVariable {
  readonly name: string;
  /** The value; undefined when it is set but not written here (a secret) or set differently by two processes. */
  readonly value?: string;
  readonly loc: Loc;
  /** "Deployment web (container django) in k8s/web.yaml". */
  readonly evidence: string;
  /** Why the value is not known, when it is not. */
  readonly why?: string;
  /**
   * Set to a value that is not empty though not known here: a secret, a platform's generated or
   * database value, a variable the platform requires (what a `from` names), in every serving
   * process that sets it. A `${VAR}` filled in at deploy time may be empty.
   */
  readonly nonEmpty?: boolean;
  /** The value is the default a compose file gives when this variable is not set where compose runs. */
  readonly defaultOf?: string;
  /** Set by some of the production deployments and not by others (two platforms): maybe set. */
  readonly partial?: boolean;
}

/**
 * The variables the production processes that serve the app get from the deployment files read by
 * a deployment reader (Kubernetes manifests, platform files, app-server configs): each production
 * workload that is not a one-off or scheduled job, starts an app server or runs its image's own
 * command, and names no other settings module than `module`. A variable two such processes set
 * differently is set, its value not known.
 */
export function deploymentVariables(m: ProcessModel, module: string | undefined, root: string): Map<string, DeploymentVariable> {
  const out = new Map<string, DeploymentVariable>();
  const serving = m.workloads.filter((w) => {
    if (!w.source.production || w.process.once || w.process.scheduled || runsOtherSoftware(w)) return false;
    const named = w.source.env.get('DJANGO_SETTINGS_MODULE');
    if (named && module && !named.from && named.value !== module && !module.endsWith('.' + named.value)) return false;
    const own = m.invocations.filter((i) => i.source === w.source);
    const tasks = m.tasks.filter((t) => t.source === w.source);
    if (own.some((i) => i.server !== 'runserver')) return true;
    // no command of its own (the image's CMD, the Procfile's processes): unless it runs celery or another task
    return !w.process.words && !w.process.shell && tasks.length === 0;
  });
  // …and the production Dockerfiles and compose services whose command starts the app server: their
  // ENV and `environment:` are the process's environment too
  const sources: ProcessSource[] = serving.map((w) => w.source);
  for (const i of m.invocations) {
    if (!i.source.production || i.server === 'runserver' || (i.source.kind !== 'dockerfile' && i.source.kind !== 'compose')) continue;
    const named = i.source.env.get('DJANGO_SETTINGS_MODULE');
    if (named && module && named.value !== module && !module.endsWith('.' + named.value)) continue;
    if (!sources.includes(i.source)) sources.push(i.source);
  }
  // …and the variables a production uWSGI command line gives the app (`--env NAME=value`, the
  // `env =` of the file it loads), as a uWSGI configuration file's `env =` lines
  for (const i of m.invocations) {
    if (!i.uwsgiConfig || !i.source.production) continue;
    const env = new Map<string, EnvValue>();
    for (const [k, v] of uwsgiEnv(i.uwsgiConfig)) env.set(k, { name: k, value: v.value, token: v.token, nameLoc: v.nameLoc });
    const named = env.get('DJANGO_SETTINGS_MODULE');
    if (env.size === 0 || (named && module && named.value !== module && !module.endsWith('.' + named.value))) continue;
    sources.push({ ...i.source, label: `the uwsgi command of ${i.source.label}`, env });
  }
  const maybes = new Set<string>();
  for (const source of sources) {
    const where = `${source.label} in ${path.relative(root, source.file) || path.basename(source.file)}`;
    for (const [name, v] of source.env) {
      // maybe set (a Helm template's condition): neither set nor unset, whatever else sets it
      if (v.maybe) {
        out.set(name, { name, loc: v.token.loc, evidence: where, why: v.maybe, partial: true });
        maybes.add(name);
        continue;
      }
      if (maybes.has(name)) continue;
      const dynamic = v.token.dynamic || /\$\{|\$\(|\{\{/.test(v.value);
      const value = v.from || dynamic ? undefined : v.value;
      const why = v.from ? `set from ${v.from}` : dynamic ? 'its value is filled in when the file is deployed' : undefined;
      const nonEmpty = v.from !== undefined || (value !== undefined && value !== '');
      const prev = out.get(name);
      if (!prev) {
        out.set(name, {
          name,
          ...(value !== undefined ? { value } : {}),
          loc: v.token.loc,
          evidence: where,
          ...(why ? { why } : {}),
          ...(nonEmpty ? { nonEmpty } : {}),
          ...(v.defaultOf && value !== undefined ? { defaultOf: v.defaultOf } : {}),
        });
      } else if (prev.value !== value) {
        out.set(name, {
          name,
          loc: prev.loc,
          evidence: `${prev.evidence} and ${where}`,
          why: `${prev.evidence} and ${where} set it differently`,
          ...(prev.nonEmpty && nonEmpty ? { nonEmpty: true } : {}),
        });
      } else if (prev.nonEmpty && !nonEmpty) {
        const { nonEmpty: _, ...rest } = prev;
        out.set(name, rest);
      }
    }
  }
  // Two platforms the repository deploys to (app.json and render.yaml, a manifest and fly.toml):
  // each is one production, not both at once. A variable only some of them set is set or not
  // depending on where the app runs: neither is assumed.
  const platformFiles = [
    ...new Set(sources.filter((s) => s.kind === 'platform' || s.kind === 'kubernetes' || s.kind === 'appconfig').map((s) => s.file)),
  ];
  if (platformFiles.length > 1) {
    for (const [name, v] of out) {
      const setIn = platformFiles.filter((f) => sources.some((s) => s.file === f && s.env.has(name)));
      if (setIn.length === 0 || setIn.length === platformFiles.length) continue;
      const rel = (f: string): string => path.relative(root, f) || path.basename(f);
      const missing = platformFiles.filter((f) => !setIn.includes(f));
      out.set(name, {
        name,
        loc: v.loc,
        evidence: v.evidence,
        why: `${setIn.map(rel).join(', ')} set${setIn.length === 1 ? 's' : ''} it and ${missing.map(rel).join(', ')} do${missing.length === 1 ? 'es' : ''} not: whether it is set depends on where the app runs`,
        partial: true,
      });
    }
  }
  return out;
}

/**
 * The platform in front of every production process that serves the app redirects plain HTTP to
 * HTTPS itself (fly.io's force_https, render's web services, App Engine's `secure: always`): how, and
 * in which file; undefined when some serving process is not behind such a platform.
 */
export function platformHttpsRedirect(m: ProcessModel): { readonly how: string; readonly file: string } | undefined {
  const serving = m.invocations.filter((i) => i.source.production && i.server !== 'runserver');
  const workloads = m.workloads.filter((w) => w.source.production && !w.process.once && !w.process.scheduled);
  const web = workloads.filter((w) => w.process.httpsRedirect || serving.some((i) => i.source === w.source));
  if (web.length === 0 || !web.every((w) => w.process.httpsRedirect)) return undefined;
  // a process started by a file no platform reads (a Procfile, a compose service) is not behind it,
  // but a Dockerfile's CMD is what a platform process without a command of its own runs
  // (and the scripts that CMD starts)
  const runsImage = web.some((w) => w.process.httpsRedirect && !w.process.words && !w.process.shell);
  const inImage = (k: SourceKind): boolean => runsImage && (k === 'dockerfile' || k === 'shell');
  if (serving.some((i) => !m.workloads.some((w) => w.source === i.source) && !inImage(i.source.kind))) return undefined;
  return { how: web[0]!.process.httpsRedirect!, file: web[0]!.source.file };
}

/**
 * The repository's files Kubernetes workloads mount into their containers as they are (a kustomize
 * configMapGenerator's files): an nginx configuration among them runs in a pod, behind the cluster's
 * Service and Ingress.
 */
export function filesMountedIntoPods(m: ProcessModel): Set<string> {
  const out = new Set<string>();
  for (const w of m.workloads)
    if (w.source.kind === 'kubernetes')
      for (const mount of w.process.mounts ?? []) if (mount.content && mount.content.file !== w.source.file) out.add(mount.content.file);
  return out;
}

/** A Python file production's deployment places in the project's package (a ConfigMap mounted there). */
export interface ProductionMount {
  /** Where it sits in the workspace (it need not exist there). */
  readonly file: string;
  /** Its content as the deployment writes it; undefined when not known (a ConfigMap outside the repository, two deployments disagreeing). */
  readonly content?: MappedText;
  /** The repository's file it is, when the deployment ships a file of the repository as it is. */
  readonly real?: string;
  /** "ConfigMap local-settings-file, key local_settings.py, mounted by Deployment web (container web) in k8s/web.yaml". */
  readonly from: string;
  /**
   * When the content is not known: the upper-case names its versions write (a Helm template's
   * Python, two deployments' files), sorted; undefined when they may bind any name.
   */
  readonly names?: readonly string[];
}

/** Python that may bind names it does not write: a star import, globals(), setattr, exec… */
const DYNAMIC_PYTHON =
  /import[ \t]+\*|\bglobals\(|\blocals\(|\bvars\(|\bsetattr\(|\bexec\(|\bexecfile\(|__dict__|\binclude\(|\b__import__\(|\bimportlib\b/;

/**
 * The upper-case names a Python text (or a template of one) writes or mentions: a superset of the
 * settings it can bind; undefined when it may bind names it never writes.
 */
export function upperNamesOf(text: string): string[] | undefined {
  if (DYNAMIC_PYTHON.test(text)) return undefined;
  const out = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const start = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!start) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || (d >= 48 && d <= 57)) j++;
      else break;
    }
    const id = text.slice(i, j);
    if (id === id.toUpperCase() && !id.startsWith('_')) out.add(id);
    i = j;
  }
  return [...out].sort();
}

/**
 * The Python files the production processes that serve the app find in their package because the
 * deployment mounts them there (a ConfigMap key mounted with `subPath` at
 * `/app/mysite/local_settings.py`). A path in the container is the workspace's when its end names a
 * folder of the project that holds Python files (`mysite/local_settings.py` under the project's
 * root or an import root): the image's layout is not known, the package's is. A file two production
 * deployments mount with different contents is there, its content not known.
 */
export function productionMounts(ws: FileView, project: DjangoProject): Map<string, ProductionMount> {
  const out = new Map<string, ProductionMount>();
  // each file's distinct contents (or templates), and one source of each
  const seen = new Map<string, { text: string | undefined; template?: string; from: string }[]>();
  const m = readProcesses(ws, project);
  const scan = ws.scanFor(project.root);
  const pyDirs = new Set<string>();
  for (const f of scan?.pythonFiles ?? []) pyDirs.add(path.dirname(f));
  const roots = [...new Set([project.root, ...project.importRoots])];
  // the processes that serve the app (a one-off Job or a CronJob may mount another version)
  for (const w of m.workloads) {
    if (!w.source.production || w.process.once || w.process.scheduled || runsOtherSoftware(w)) continue;
    for (const mount of w.process.mounts ?? []) {
      if (!mount.path.endsWith('.py')) continue;
      const parts = mount.path.split('/').filter((p) => p !== '' && p !== '.');
      let file: string | undefined;
      for (let k = 0; k <= parts.length - 2 && !file; k++)
        for (const root of roots) {
          const cand = path.join(root, ...parts.slice(k));
          if (pyDirs.has(path.dirname(cand))) {
            file = cand;
            break;
          }
        }
      if (!file) continue;
      const from = `${mount.from}, mounted by ${w.source.label} in ${path.relative(project.root, w.source.file) || path.basename(w.source.file)}`;
      const c = mount.content;
      const realText = c && c.file !== w.source.file ? ws.fs.readText(c.file) : undefined;
      const next: ProductionMount = { file, from, ...(c ? { content: c } : {}), ...(c && realText === c.text ? { real: c.file } : {}) };
      const versions = seen.get(file) ?? [];
      if (!versions.some((v) => v.text === next.content?.text && v.template === mount.template))
        versions.push({ text: next.content?.text, ...(mount.template !== undefined ? { template: mount.template } : {}), from });
      seen.set(file, versions);
      // a content not known: the names its versions write, when every version's text is there
      const texts = versions.map((v) => v.text ?? v.template);
      const named = texts.every((t) => t !== undefined) ? texts.map((t) => upperNamesOf(t!)) : undefined;
      const names = named?.every((n) => n !== undefined) ? [...new Set(named.flatMap((n) => n!))].sort() : undefined;
      if (versions.length === 1) out.set(file, out.get(file) ?? { ...next, ...(!next.content && names ? { names } : {}) });
      else
        out.set(file, {
          file,
          from: `with different contents by ${versions[0]!.from} and by ${versions[1]!.from}${versions.length > 2 ? ` (and ${versions.length - 2} more)` : ''}`,
          ...(names ? { names } : {}),
        });
    }
  }
  return out;
}

/** Whether `dir` is `root` or lies within it, by its spelling (both absolute and normalised). */
function within(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
