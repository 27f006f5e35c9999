// AWS Copilot's service manifest (`copilot/<service>/manifest.yml`, what `copilot svc deploy` reads):
// the service as the process Copilot runs on ECS — the image it builds (`image.build`, a Dockerfile
// from the workspace's root, the folder that holds `copilot/`) or pulls (`image.location`), its
// `command`/`entrypoint` (else the image's), its `count`, its `variables:` as written, and its
// `secrets:`, set from SSM Parameter Store or Secrets Manager where it runs, their values never in the
// repository (catalogue COPILOT_SECRETS). The manifest's `environments:` overrides the rest for the
// environment named (COPILOT_ENVIRONMENT_OVERRIDES): production's is the one named for production
// (prod, production, prd, live), never staging, dev or test; without one the manifest as written is
// production's.
//
// A Load Balanced Web Service sits behind the environment's Application Load Balancer
// (catalogue/hops.ts `copilot`): HTTPS, and the redirect to it, when `http.alias` is set (which needs
// the application's domain or the environment's certificates) and `http.redirect_to_https` is not
// false. Without an alias, whether the load balancer has HTTPS is decided outside the repository.
import * as path from 'node:path';
import { COPILOT_SERVICE_TYPES } from '../../files/scan';
import { COPILOT_PROVIDED, COPILOT_SECRETS } from '../../catalogue/platformVariables';
import type { Loc } from '../../eval/values';
import { fixedInstances, plainInt, type DeployEnv, type DeployFile, type DeployProcess, type Instances, type Probe } from '../workload';
import type { Token } from '../text';
import { yget, type YamlMap, type YamlNode, type YamlScalar } from '../yaml';
import { firstDoc, seq, str, tok } from './common';

export const COPILOT_FORMAT = 'Copilot manifest';

const PRODUCTION_ENV_WORDS = new Set(['prod', 'production', 'prd', 'live']);
const NOT_PRODUCTION_ENV_WORDS = new Set([
  'staging',
  'stage',
  'stg',
  'dev',
  'development',
  'test',
  'testing',
  'qa',
  'preview',
  'sandbox',
  'demo',
  'local',
]);

/** Whether an environment's name says production (`prod`, `production-eu`, `live`), and nothing else (`prod-staging` is not). */
export function namesProductionEnvironment(name: string): boolean {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  return words.some((w) => PRODUCTION_ENV_WORDS.has(w)) && !words.some((w) => NOT_PRODUCTION_ENV_WORDS.has(w));
}

/** A node of the manifest as production's environment sees it: the override's where it writes one. */
class Layered {
  constructor(
    readonly base: YamlNode | undefined,
    readonly over: YamlNode | undefined,
  ) {}
  at(...keys: string[]): YamlNode | undefined {
    let o = this.over;
    let b = this.base;
    for (const k of keys) {
      o = yget(o, k);
      b = yget(b, k);
    }
    return o ?? b;
  }
  /** A map merged: the override's keys over the manifest's. */
  entries(key: string): { key: YamlScalar; value: YamlNode | undefined }[] {
    const out = new Map<string, { key: YamlScalar; value: YamlNode | undefined }>();
    for (const n of [yget(this.base, key), yget(this.over, key)]) if (n?.kind === 'map') for (const e of n.entries) out.set(e.key.value, e);
    return [...out.values()];
  }
}

/** A `command:`/`entrypoint:` as a shell line (a string) or words (a list). */
function commandOf(n: YamlNode | undefined): { shell?: DeployProcess['shell']; words?: Token[] } | undefined {
  const s = str(n);
  if (s) return s.value.trim() === '' ? undefined : { shell: s.map };
  const words = seq(n).filter((i): i is YamlScalar => i.kind === 'scalar');
  return words.length > 0 ? { words: words.map(tok) } : undefined;
}

function instancesOf(n: YamlNode | undefined): Instances | undefined {
  const s = str(n);
  if (s) return fixedInstances(s.value, s.loc, `count: ${s.value}`);
  if (n?.kind !== 'map') return undefined;
  // count: {range: 1-10, cpu_percentage: 70} or {range: {min, max}}: autoscaled
  const range = yget(n, 'range');
  const r = str(range);
  const dash = r ? /^\s*(\d{1,6})\s*-\s*(\d{1,6})\s*$/.exec(r.value) : null;
  const min = dash ? plainInt(dash[1]!) : plainInt(str(yget(range, 'min'))?.value ?? '');
  const max = dash ? plainInt(dash[2]!) : plainInt(str(yget(range, 'max'))?.value ?? '');
  const loc = (r ?? str(yget(range, 'max')) ?? str(yget(n, 'spot')))?.loc ?? n.loc;
  return {
    min: min ?? 1,
    ...(max !== undefined ? { max } : {}),
    autoscaled: true,
    why: `Copilot scales it${max !== undefined ? ` up to ${max} tasks` : ''}`,
    loc,
  };
}

export function readCopilot(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const type = str(yget(doc, 'type'));
  if (doc?.kind !== 'map' || !type || !COPILOT_SERVICE_TYPES.has(type.value)) return { file, format: COPILOT_FORMAT, processes: [] };
  const service = str(yget(doc, 'name'))?.value ?? path.basename(path.dirname(file));
  // production's environment: the override named for production
  const envs = yget(doc, 'environments');
  const prodEnv = envs?.kind === 'map' ? (envs as YamlMap).entries.find((e) => namesProductionEnvironment(e.key.value)) : undefined;
  const m = new Layered(doc, prodEnv?.value);
  const anchor = tok(type);
  const rel = `copilot/${path.basename(path.dirname(file))}/${path.basename(file)}`;
  const envNote = prodEnv ? ` (environments.${prodEnv.key.value})` : '';

  const env = new Map<string, DeployEnv>();
  const unread: string[] = [];
  for (const e of m.entries('variables')) {
    const s = str(e.value);
    if (s) env.set(e.key.value, { name: e.key.value, value: s.value, token: tok(s), nameLoc: e.key.loc });
    else if (e.value?.kind === 'map') {
      const cfn = str(yget(e.value, 'from_cfn'));
      env.set(e.key.value, {
        name: e.key.value,
        value: '',
        token: tok(cfn ?? e.key),
        nameLoc: e.key.loc,
        from: `the CloudFormation export ${cfn?.value ?? '?'} (${rel}${envNote})`,
      });
    }
  }
  for (const e of m.entries('secrets')) {
    const s = str(e.value) ?? str(yget(e.value, 'secretsmanager')) ?? str(yget(e.value, 'from_cfn'));
    const where = yget(e.value, 'secretsmanager')
      ? 'Secrets Manager'
      : yget(e.value, 'from_cfn')
        ? 'a CloudFormation export'
        : 'SSM Parameter Store';
    env.set(e.key.value, {
      name: e.key.value,
      value: '',
      token: tok(s ?? e.key),
      nameLoc: e.key.loc,
      from: `Copilot's secret ${s ? `${s.value} ` : ''}from ${where} (${rel}${envNote}; ${COPILOT_SECRETS.source.url})`,
    });
  }
  for (const v of COPILOT_PROVIDED.variables) {
    if (env.has(v)) continue;
    const value = v === 'COPILOT_SERVICE_NAME' ? service : v === 'COPILOT_ENVIRONMENT_NAME' && prodEnv ? prodEnv.key.value : undefined;
    env.set(v, {
      name: v,
      value: value ?? '',
      token: anchor,
      nameLoc: anchor.loc,
      ...(value === undefined ? { from: 'Copilot, which sets it in every service' } : {}),
    });
  }
  const envFile = str(m.at('env_file'));
  if (envFile) unread.push(`env_file ${envFile.value} (${rel})`);

  // the image: built from a Dockerfile of the workspace (the folder holding copilot/), or pulled
  const workspace = path.dirname(path.dirname(path.dirname(file)));
  const build = m.at('image', 'build');
  const buildFile = str(build) ?? str(yget(build, 'dockerfile'));
  const context = str(yget(build, 'context'));
  const dockerfile: DeployProcess['dockerfile'] = buildFile
    ? {
        file: path.resolve(workspace, buildFile.value),
        ...(str(yget(build, 'target')) ? { target: str(yget(build, 'target'))!.value } : {}),
        loc: buildFile.loc,
      }
    : context
      ? { file: path.resolve(workspace, context.value, 'Dockerfile'), loc: context.loc }
      : undefined;
  const location = str(m.at('image', 'location'));
  const command = commandOf(m.at('command'));
  const entrypoint = commandOf(m.at('entrypoint'));
  const run = entrypoint?.words && command?.words ? { words: [...entrypoint.words, ...command.words] } : (entrypoint ?? command);
  const port = str(m.at('image', 'port'));

  const t = type.value;
  const http = m.at('http');
  const httpOff = str(http)?.value === 'false';
  const web = t === 'Load Balanced Web Service' && !httpOff;
  const health = str(m.at('http', 'healthcheck')) ?? str(m.at('http', 'healthcheck', 'path'));
  const probes: Probe[] =
    web && health ? [{ kind: 'Copilot target group health check', path: health.value, pathLoc: health.loc, loc: health.loc }] : [];

  // the load balancer's HTTPS: with an alias, and its redirect unless turned off
  let platformTls: DeployProcess['platformTls'];
  let httpsRedirect: string | undefined;
  if (web) {
    const alias = m.at('http', 'alias');
    const aliasText =
      str(alias)?.value ??
      seq(alias)
        .map((a) => str(a)?.value ?? str(yget(a, 'name'))?.value)
        .filter((a) => a !== undefined)
        .join(', ');
    const aliasLoc: Loc | undefined = (str(alias) ?? str(seq(alias)[0]) ?? str(yget(seq(alias)[0], 'name')))?.loc;
    const redirectOff = str(m.at('http', 'redirect_to_https'));
    const off = redirectOff && /^(false|no|off)$/i.test(redirectOff.value);
    if (aliasText) {
      platformTls = {
        known: true,
        how: `its HTTPS listener serves http.alias ${aliasText}${envNote}`,
        loc: aliasLoc ?? anchor.loc,
        ...(off ? { redirectOff: `http.redirect_to_https: ${redirectOff.value}${envNote} turns off its redirect to HTTPS` } : {}),
      };
      if (!off)
        httpsRedirect = `Copilot's load balancer redirects HTTP to HTTPS for http.alias ${aliasText}${envNote} (http.redirect_to_https defaults to true)`;
    } else
      platformTls = {
        known: false,
        how: 'the manifest sets no http.alias: the load balancer has HTTPS only when the application has a domain (copilot app init --domain) or the environment imports certificates, which the repository does not say',
        loc: anchor.loc,
        ...(off ? { redirectOff: `http.redirect_to_https: ${redirectOff.value}${envNote} turns off its redirect to HTTPS` } : {}),
      };
  }

  const process: DeployProcess = {
    label: `${path.basename(file)} (${t} ${service}${prodEnv ? `, environment ${prodEnv.key.value}` : ''})`,
    file,
    ...(run?.shell ? { shell: run.shell } : run?.words ? { words: run.words } : {}),
    ...(dockerfile ? { dockerfile } : {}),
    ...(location && !dockerfile ? { image: location.value, imageLoc: location.loc } : {}),
    env,
    ...(t === 'Scheduled Job' ? { scheduled: true, once: 'Copilot runs the job on its schedule' } : {}),
    ...(t !== 'Scheduled Job' && instancesOf(m.at('count')) ? { instances: instancesOf(m.at('count'))! } : {}),
    probes,
    ports: port
      ? [
          {
            text: port.value,
            loc: port.loc,
            ...(plainInt(port.value) !== undefined ? { value: plainInt(port.value) } : {}),
            what: 'image.port',
          },
        ]
      : [],
    containerized: true,
    ...(httpsRedirect ? { httpsRedirect } : {}),
    ...(platformTls ? { platformTls } : {}),
    ...(unread.length > 0 ? { unreadEnv: unread } : {}),
  };
  // (only a Load Balanced Web Service is behind the load balancer the hop stands for)
  return { file, format: web ? COPILOT_FORMAT : `${COPILOT_FORMAT} (${t})`, processes: [process] };
}
