// Platform files: fly.toml, render.yaml, Google App Engine's app.yaml, DigitalOcean's app spec
// (.do/app.yaml, .do/deploy.template.yaml), Heroku's app.json and heroku.yml, railway.json /
// railway.toml and nixpacks.toml. Each is read with its real grammar (TOML through smol-toml, YAML
// and JSON through the `yaml` package, which reads JSON as the YAML it is) into the processes the
// platform starts: their command, the variables it sets, how many instances run, the port it sends
// traffic to and the health check it makes. What each platform does when the file says nothing is
// said where it matters (fly.io starts two machines of a process group that serves HTTP; render and
// App Engine set PORT).
import * as path from 'node:path';
import type { Loc } from '../eval/values';
import { toml } from './python/parsers';
import { tomlKeyLine } from './python/tomlLocate';
import { literalToken, type MappedText, memoByText, type Token } from './text';
import {
  fixedInstances,
  lineStarts,
  plainInt,
  valueOnLine,
  type DeployEnv,
  type DeployFile,
  type DeployProcess,
  type Instances,
  type Probe,
  type Written,
} from './workload';
import { parseYamlDocuments, yget, yscalar, type YamlNode, type YamlScalar } from './yaml';

/** The platform a file name says, if any (`app.yaml` is told apart by its content). */
export function platformOf(relPath: string): string | undefined {
  const parts = relPath.split(/[\\/]/);
  const name = parts[parts.length - 1]!;
  const dir = parts.length > 1 ? parts[parts.length - 2] : '';
  if (name === 'fly.toml' || /^fly\.[\w.-]+\.toml$/.test(name)) return 'fly';
  if (name === 'render.yaml' || name === 'render.yml') return 'render';
  if (dir === '.do' && /\.ya?ml$/.test(name)) return 'digitalocean';
  if (name === 'app.yaml' || name === 'app.yml') return 'appengine';
  if (name === 'app.json') return 'heroku-app';
  if (name === 'heroku.yml') return 'heroku-yml';
  if (name === 'railway.json' || name === 'railway.toml') return 'railway';
  if (name === 'nixpacks.toml') return 'nixpacks';
  return undefined;
}

// ---- helpers -------------------------------------------------------------------------------------

function str(n: YamlNode | undefined): YamlScalar | undefined {
  return yscalar(n);
}

function seq(n: YamlNode | undefined): YamlNode[] {
  return n?.kind === 'seq' ? n.items : [];
}

function tok(s: YamlScalar): Token {
  return literalToken(s.map, s.loc, s.style !== 'plain');
}

function writtenOf(s: YamlScalar | undefined): Written | undefined {
  if (!s) return undefined;
  const n = plainInt(s.value);
  return { text: s.value, loc: s.loc, ...(n !== undefined ? { value: n } : {}) };
}

/** A YAML/JSON mapping of variables (`env_variables:`, `setup: config:`, app.json's `env`). */
function envMap(
  node: YamlNode | undefined,
  out: Map<string, DeployEnv>,
  objectValue?: (v: YamlNode) => DeployEnv | 'skip' | undefined,
): void {
  if (node?.kind !== 'map') return;
  for (const e of node.entries) {
    const v = e.value;
    if (v?.kind === 'map' && objectValue) {
      const got = objectValue(v);
      if (got === 'skip') continue;
      if (got) out.set(e.key.value, { ...got, name: e.key.value, nameLoc: e.key.loc });
      continue;
    }
    const s = str(v);
    if (s) out.set(e.key.value, { name: e.key.value, value: s.value, token: tok(s), nameLoc: e.key.loc });
  }
}

function firstDoc(file: string, text: string): YamlNode | undefined {
  return parseYamlDocuments(file, text).documents[0];
}

/**
 * Variables a platform sets in every process it runs, unless the file sets them: `value` when the
 * platform's documentation gives it, else set to a value not known here.
 */
function injected(
  out: Map<string, DeployEnv>,
  at: Token,
  vars: readonly (readonly [string, string | undefined])[],
  platform: string,
): void {
  for (const [name, value] of vars) {
    if (out.has(name)) continue;
    out.set(name, {
      name,
      value: value ?? '',
      token: at,
      nameLoc: at.loc,
      ...(value === undefined ? { from: `${platform}, which sets it in every process` } : {}),
    });
  }
}

/** A command the platform runs once per deploy (or once in all), with the process's environment. */
function oneOff(label: string, file: string, shell: MappedText, env: ReadonlyMap<string, DeployEnv>, once: string): DeployProcess {
  return { label, file, shell, env, once, probes: [], ports: [], containerized: true };
}

// ---- fly.toml -----------------------------------------------------------------------------------

type TomlTable = Record<string, unknown>;

function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function tomlParse(text: string): TomlTable | undefined {
  try {
    return toml.parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

/** A TOML value's token (found on the line of its key). */
function tomlToken(file: string, text: string, starts: readonly number[], keyPath: readonly string[], value: string): Token {
  return valueOnLine(file, text, starts, tomlKeyLine(text, keyPath), value);
}

function tomlKeyLoc(file: string, text: string, starts: readonly number[], keyPath: readonly string[]): Loc {
  const line = tomlKeyLine(text, keyPath);
  const start = starts[line - 1] ?? 0;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const lineText = text.slice(start, end);
  const lead = lineText.length - lineText.trimStart().length;
  const eq = lineText.indexOf('=');
  return { file, start: start + lead, end: start + (eq > lead ? lineText.slice(0, eq).trimEnd().length : lineText.trimEnd().length) };
}

function tomlWritten(file: string, text: string, starts: readonly number[], keyPath: readonly string[], v: unknown): Written | undefined {
  if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'bigint') return undefined;
  const t = tomlToken(file, text, starts, keyPath, String(v));
  const n = typeof v === 'string' ? plainInt(v) : Number(v);
  return { text: String(v), loc: t.loc, ...(n !== undefined && Number.isFinite(n) ? { value: n } : {}) };
}

function tomlEnv(
  file: string,
  text: string,
  starts: readonly number[],
  table: unknown,
  keyPath: readonly string[],
): Map<string, DeployEnv> {
  const env = new Map<string, DeployEnv>();
  if (!isTable(table)) return env;
  for (const [k, v] of Object.entries(table)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const value = String(v);
    env.set(k, {
      name: k,
      value,
      token: tomlToken(file, text, starts, [...keyPath, k], value),
      nameLoc: tomlKeyLoc(file, text, starts, [...keyPath, k]),
    });
  }
  return env;
}

function readFly(file: string, text: string): DeployFile {
  const doc = tomlParse(text);
  const out: DeployProcess[] = [];
  if (!doc) return { file, format: 'fly.toml', processes: out };
  const starts = lineStarts(text);
  const name = path.basename(file);
  const env = tomlEnv(file, text, starts, doc.env, ['env']);
  const appLine = tomlToken(file, text, starts, ['app'], typeof doc.app === 'string' ? doc.app : '');
  injected(
    env,
    appLine,
    [
      ['FLY_APP_NAME', typeof doc.app === 'string' ? doc.app : undefined],
      ['FLY_REGION', undefined],
      ['FLY_MACHINE_ID', undefined],
      ['PRIMARY_REGION', typeof doc.primary_region === 'string' ? doc.primary_region : undefined],
    ],
    'fly.io',
  );
  // services: [http_service] and [[services]], each for some process groups (all when not said)
  interface Service {
    port?: Written;
    processes?: string[];
    minRunning?: Written;
    checks: Probe[];
    forceHttps?: boolean;
  }
  const services: Service[] = [];
  const checksOf = (list: unknown, keyPath: readonly string[]): Probe[] =>
    (Array.isArray(list) ? list : isTable(list) ? Object.values(list) : [])
      .filter(isTable)
      .filter((c) => typeof c.path === 'string')
      .map((c) => {
        const t = tomlToken(file, text, starts, [...keyPath, 'path'], String(c.path));
        return { kind: 'fly.io health check', path: String(c.path), pathLoc: t.loc, loc: t.loc };
      });
  if (isTable(doc.http_service)) {
    const h = doc.http_service;
    services.push({
      port: tomlWritten(file, text, starts, ['http_service', 'internal_port'], h.internal_port),
      processes: Array.isArray(h.processes) ? h.processes.map(String) : undefined,
      minRunning: tomlWritten(file, text, starts, ['http_service', 'min_machines_running'], h.min_machines_running),
      checks: checksOf(h.checks, ['http_service', 'checks']),
      forceHttps: h.force_https === true,
    });
  }
  if (Array.isArray(doc.services))
    for (const s of doc.services.filter(isTable))
      services.push({
        port: tomlWritten(file, text, starts, ['services', 'internal_port'], s.internal_port),
        processes: Array.isArray(s.processes) ? s.processes.map(String) : undefined,
        minRunning: tomlWritten(file, text, starts, ['services', 'min_machines_running'], s.min_machines_running),
        checks: [...checksOf(s.http_checks, ['services', 'http_checks'])],
        // the legacy form: [[services.ports]] with handlers = ["http"] and force_https = true
        forceHttps: Array.isArray(s.ports) && s.ports.some((p) => isTable(p) && p.force_https === true),
      });
  const topChecks = isTable(doc.checks)
    ? Object.entries(doc.checks)
        .filter(([, c]) => isTable(c) && typeof c.path === 'string')
        .map(([k, c]) => {
          const t = tomlToken(file, text, starts, ['checks', k, 'path'], String((c as TomlTable).path));
          return { kind: 'fly.io health check', path: String((c as TomlTable).path), pathLoc: t.loc, loc: t.loc } as Probe;
        })
    : [];
  // the image fly builds: [build] dockerfile (or the Dockerfile beside fly.toml), unless it deploys a prebuilt image
  const build = isTable(doc.build) ? doc.build : undefined;
  const dockerfile =
    typeof build?.image === 'string' || typeof build?.builder === 'string' || typeof build?.buildpacks === 'object'
      ? undefined
      : {
          file: path.resolve(path.dirname(file), typeof build?.dockerfile === 'string' ? build.dockerfile : 'Dockerfile'),
          ...(typeof build?.['build-target'] === 'string' ? { target: build['build-target'] } : {}),
          loc:
            typeof build?.dockerfile === 'string'
              ? tomlToken(file, text, starts, ['build', 'dockerfile'], build.dockerfile).loc
              : appLine.loc,
        };
  // a buildpack builder builds the app without a Dockerfile
  const flyNative =
    typeof build?.builder === 'string' || typeof build?.buildpacks === 'object'
      ? {
          what: `${name} builds it with buildpacks ([build] ${typeof build?.builder === 'string' ? 'builder' : 'buildpacks'})`,
          loc: appLine.loc,
        }
      : undefined;
  const groups: { group: string; command?: Token }[] = [];
  if (isTable(doc.processes) && Object.keys(doc.processes).length > 0) {
    for (const [g, cmd] of Object.entries(doc.processes))
      groups.push({ group: g, ...(typeof cmd === 'string' ? { command: tomlToken(file, text, starts, ['processes', g], cmd) } : {}) });
  } else groups.push({ group: 'app' });
  // [mounts] (a table or an array of them, each for some process groups or all): a volume belongs to
  // one machine, and a group with one starts on one machine, cloned by hand to scale out, each clone
  // with a volume of its own (fly.io, "Add volume storage to a Fly Launch app")
  const mounts = (Array.isArray(doc.mounts) ? doc.mounts : isTable(doc.mounts) ? [doc.mounts] : []).filter(isTable);
  const mounted = (group: string): boolean => mounts.some((m) => !Array.isArray(m.processes) || m.processes.some((x) => x === group));
  for (const { group, command } of groups) {
    const mine = services.filter((s) => !s.processes || s.processes.includes(group));
    const min = mine.map((s) => s.minRunning).find((m) => m?.value !== undefined);
    const instances: Instances | undefined =
      mine.length > 0 && mounted(group)
        ? min?.value !== undefined && min.value > 1
          ? {
              min: min.value,
              why: `fly.io keeps min_machines_running = ${min.value} machines of the process group, each with a volume of its own`,
              loc: min.loc ?? mine[0]!.port?.loc ?? { file, start: 0, end: 0 },
            }
          : undefined
        : mine.length > 0
          ? {
              min: Math.max(2, min?.value ?? 0),
              why: `fly.io starts two machines of a process group that serves HTTP (and \`fly scale count\` more)${min?.value ? `, min_machines_running = ${min.value}` : ''}`,
              loc: min?.loc ?? mine[0]!.port?.loc ?? { file, start: 0, end: 0 },
            }
          : undefined;
    out.push({
      label: `${name} (process ${group})`,
      file,
      ...(command ? { shell: command.map } : dockerfile ? { dockerfile } : {}),
      ...(flyNative ? { nativeRuntime: flyNative } : {}),
      env,
      ...(/^(dev|development|local|test)$/.test(group) ? { devReason: `the process group ${group} is for development` } : {}),
      ...(instances ? { instances } : {}),
      probes: [...mine.flatMap((s) => s.checks), ...topChecks],
      ...(mine.some((s) => s.forceHttps) ? { httpsRedirect: 'fly.io redirects HTTP to HTTPS (force_https = true)' } : {}),
      ports: mine.flatMap((s) => (s.port ? [{ ...s.port, what: 'internal_port' }] : [])),
      containerized: true,
    });
  }
  const deploy = doc.deploy;
  if (isTable(deploy) && typeof deploy.release_command === 'string') {
    const t = tomlToken(file, text, starts, ['deploy', 'release_command'], deploy.release_command);
    out.push(
      oneOff(
        `${name} (release_command)`,
        file,
        t.map,
        env,
        'fly.io runs the release command once per deploy, before the new machines start',
      ),
    );
  }
  return { file, format: 'fly.toml', processes: out };
}

// ---- render.yaml ----------------------------------------------------------------------------------

function renderEnv(list: YamlNode | undefined, groups: Map<string, YamlNode>, out: Map<string, DeployEnv>, depth = 0): void {
  for (const item of seq(list)) {
    const key = str(yget(item, 'key'));
    const group = str(yget(item, 'fromGroup'));
    if (group && depth < 3) {
      renderEnv(groups.get(group.value), groups, out, depth + 1);
      continue;
    }
    if (!key) continue;
    const value = str(yget(item, 'value'));
    if (value) {
      out.set(key.value, { name: key.value, value: value.value, token: tok(value), nameLoc: key.loc });
      continue;
    }
    const from = str(yget(item, 'generateValue'))
      ? 'a value render generates'
      : yget(item, 'fromDatabase')
        ? `the database ${str(yget(yget(item, 'fromDatabase'), 'name'))?.value ?? ''}`.trim()
        : yget(item, 'fromService')
          ? `the service ${str(yget(yget(item, 'fromService'), 'name'))?.value ?? ''}`.trim()
          : 'a value set in the render dashboard';
    out.set(key.value, { name: key.value, value: '', token: tok(key), nameLoc: key.loc, from });
  }
}

function readRender(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const out: DeployProcess[] = [];
  const name = path.basename(file);
  const groups = new Map<string, YamlNode>();
  for (const g of seq(yget(doc, 'envVarGroups'))) {
    const n = str(yget(g, 'name'));
    const vars = yget(g, 'envVars');
    if (n && vars) groups.set(n.value, vars);
  }
  for (const s of seq(yget(doc, 'services'))) {
    const type = str(yget(s, 'type'))?.value ?? 'web';
    if (type === 'redis' || type === 'keyvalue') continue;
    const sname = str(yget(s, 'name'))?.value ?? '?';
    const env = new Map<string, DeployEnv>();
    renderEnv(yget(s, 'envVars'), groups, env);
    const typeNode = str(yget(s, 'type')) ?? str(yget(s, 'name'));
    if (typeNode)
      injected(
        env,
        tok(typeNode),
        [
          ['RENDER', 'true'],
          ['IS_PULL_REQUEST', 'false'],
          ['RENDER_SERVICE_NAME', sname],
          ['RENDER_EXTERNAL_HOSTNAME', undefined],
          ['RENDER_EXTERNAL_URL', undefined],
          ['PORT', '10000'],
        ],
        'render',
      );
    const start = str(yget(s, 'startCommand')) ?? str(yget(s, 'dockerCommand'));
    // a Docker service without a dockerCommand runs its image's CMD
    const runtime = str(yget(s, 'runtime'))?.value ?? str(yget(s, 'env'))?.value;
    const dfPath = str(yget(s, 'dockerfilePath'));
    const dockerfile =
      runtime === 'docker' && !start
        ? {
            file: path.resolve(path.dirname(file), dfPath?.value ?? './Dockerfile'),
            ...(str(yget(s, 'dockerTarget')) ? { target: str(yget(s, 'dockerTarget'))!.value } : {}),
            loc: (dfPath ?? str(yget(s, 'runtime')) ?? str(yget(s, 'env')))!.loc,
          }
        : undefined;
    // a native runtime (python, node…): render builds it with the buildCommand, no Dockerfile
    const runtimeTok = str(yget(s, 'runtime')) ?? str(yget(s, 'env'));
    const native =
      runtime && runtime !== 'docker' && runtime !== 'image' && runtimeTok
        ? { what: `${name} runs the service ${sname} on render's ${runtime} runtime`, loc: runtimeTok.loc }
        : undefined;
    const num = str(yget(s, 'numInstances'));
    const scaling = yget(s, 'scaling');
    const maxI = str(yget(scaling, 'maxInstances'));
    const minI = str(yget(scaling, 'minInstances'));
    const instances: Instances | undefined = maxI
      ? {
          min: plainInt(minI?.value ?? '1') ?? 1,
          ...(plainInt(maxI.value) !== undefined ? { max: plainInt(maxI.value) } : {}),
          autoscaled: true,
          why: `render scales it up to ${maxI.value} instances`,
          loc: maxI.loc,
        }
      : num
        ? fixedInstances(num.value, num.loc, `numInstances: ${num.value}`)
        : undefined;
    const health = str(yget(s, 'healthCheckPath'));
    out.push({
      label: `${name} (service ${sname})`,
      file,
      ...(start ? { shell: start.map } : dockerfile ? { dockerfile } : {}),
      ...(native ? { nativeRuntime: native } : {}),
      env,
      ...(type === 'cron' ? { scheduled: true, once: 'render runs a cron job on its schedule' } : {}),
      ...(type === 'web' ? { httpsRedirect: 'render redirects HTTP to HTTPS for web services' } : {}),
      ...(instances ? { instances } : {}),
      probes: health ? [{ kind: 'render health check', path: health.value, pathLoc: health.loc, loc: health.loc }] : [],
      ports: [],
      containerized: true,
    });
    const pre = str(yget(s, 'preDeployCommand'));
    if (pre)
      out.push(
        oneOff(`${name} (service ${sname}, preDeployCommand)`, file, pre.map, env, 'render runs the pre-deploy command once per deploy'),
      );
  }
  return { file, format: 'render.yaml', processes: out };
}

// ---- App Engine app.yaml ----------------------------------------------------------------------------

function readAppEngine(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const name = path.basename(file);
  // DigitalOcean's app spec is also named app.yaml (in .do/): it has services, not a runtime
  if (!str(yget(doc, 'runtime')))
    return yget(doc, 'services') || yget(doc, 'spec') ? readDigitalOcean(file, text) : { file, format: 'app.yaml', processes: [] };
  const env = new Map<string, DeployEnv>();
  envMap(yget(doc, 'env_variables'), env);
  const flex = str(yget(doc, 'env'))?.value === 'flex';
  injected(
    env,
    tok(str(yget(doc, 'runtime'))!),
    // the variables App Engine sets in every instance (standard; flex sets the second group)
    [
      ...(flex
        ? []
        : ([
            ['GAE_ENV', 'standard'],
            ['GAE_APPLICATION', undefined],
            ['GAE_DEPLOYMENT_ID', undefined],
            ['GAE_RUNTIME', str(yget(doc, 'runtime'))?.value],
          ] as const)),
      ['GAE_INSTANCE', undefined],
      ['GAE_MEMORY_MB', undefined],
      ['GAE_SERVICE', str(yget(doc, 'service'))?.value ?? 'default'],
      ['GAE_VERSION', undefined],
      ['GOOGLE_CLOUD_PROJECT', undefined],
      ['PORT', '8080'],
    ],
    'App Engine',
  );
  const entry = str(yget(doc, 'entrypoint'));
  const manual = str(yget(yget(doc, 'manual_scaling'), 'instances'));
  const autoMax = str(yget(yget(doc, 'automatic_scaling'), 'max_instances')) ?? str(yget(yget(doc, 'basic_scaling'), 'max_instances'));
  const runtime = str(yget(doc, 'runtime'))!;
  const instances: Instances = manual
    ? fixedInstances(manual.value, manual.loc, `manual_scaling instances: ${manual.value}`)
    : {
        min: 1,
        ...(autoMax && plainInt(autoMax.value) !== undefined ? { max: plainInt(autoMax.value) } : {}),
        autoscaled: true,
        why: `App Engine starts instances as traffic grows${autoMax ? ` (up to ${autoMax.value})` : ''}`,
        loc: (autoMax ?? runtime).loc,
      };
  // handlers that all say `secure: always` redirect HTTP to HTTPS before the app
  const handlers = seq(yget(doc, 'handlers'));
  const secure = handlers.length > 0 && handlers.every((h) => str(yget(h, 'secure'))?.value === 'always');
  const probes: Probe[] = [];
  for (const k of ['readiness_check', 'liveness_check']) {
    const p = str(yget(yget(doc, k), 'path'));
    if (p) probes.push({ kind: `App Engine ${k}`, path: p.value, pathLoc: p.loc, loc: p.loc });
  }
  return {
    file,
    format: 'App Engine app.yaml',
    processes: [
      {
        label: `${name} (App Engine ${str(yget(doc, 'service'))?.value ?? 'default'} service)`,
        file,
        ...(entry ? { shell: entry.map } : {}),
        ...(runtime.value !== 'custom'
          ? { nativeRuntime: { what: `${name} runs on App Engine's ${runtime.value} runtime`, loc: runtime.loc } }
          : {}),
        env,
        instances,
        probes,
        ports: [],
        containerized: true,
        ...(secure ? { httpsRedirect: 'App Engine redirects HTTP to HTTPS (every handler says secure: always)' } : {}),
      },
    ],
  };
}

// ---- DigitalOcean app spec ----------------------------------------------------------------------------

function doEnv(list: YamlNode | undefined, out: Map<string, DeployEnv>): void {
  for (const item of seq(list)) {
    const key = str(yget(item, 'key'));
    if (!key) continue;
    const value = str(yget(item, 'value'));
    const type = str(yget(item, 'type'))?.value;
    if (value && type !== 'SECRET' && !value.value.includes('${')) {
      out.set(key.value, { name: key.value, value: value.value, token: tok(value), nameLoc: key.loc });
      continue;
    }
    out.set(key.value, {
      name: key.value,
      value: '',
      token: tok(value ?? key),
      nameLoc: key.loc,
      from:
        type === 'SECRET'
          ? 'an encrypted secret of the app'
          : value
            ? `a value bound by the platform (${value.value})`
            : 'a value set in the dashboard',
    });
  }
}

function readDigitalOcean(file: string, text: string): DeployFile {
  const top = firstDoc(file, text);
  const doc = yget(top, 'spec') ?? top;
  const name = path.basename(file);
  const out: DeployProcess[] = [];
  const appEnv = new Map<string, DeployEnv>();
  doEnv(yget(doc, 'envs'), appEnv);
  for (const [list, what] of [
    ['services', 'service'],
    ['workers', 'worker'],
    ['jobs', 'job'],
  ] as const) {
    for (const c of seq(yget(doc, list))) {
      const cname = str(yget(c, 'name'))?.value ?? '?';
      const env = new Map(appEnv);
      doEnv(yget(c, 'envs'), env);
      const run = str(yget(c, 'run_command'));
      const count = str(yget(c, 'instance_count'));
      const auto = yget(c, 'autoscaling');
      const maxA = str(yget(auto, 'max_instance_count'));
      const instances: Instances | undefined = maxA
        ? {
            min: plainInt(str(yget(auto, 'min_instance_count'))?.value ?? '1') ?? 1,
            ...(plainInt(maxA.value) !== undefined ? { max: plainInt(maxA.value) } : {}),
            autoscaled: true,
            why: `autoscaling up to ${maxA.value} instances`,
            loc: maxA.loc,
          }
        : count
          ? fixedInstances(count.value, count.loc, `instance_count: ${count.value}`)
          : undefined;
      const kind = str(yget(c, 'kind'))?.value;
      // a buildpack environment (environment_slug) and no Dockerfile: built without one
      const slug = str(yget(c, 'environment_slug'));
      const native =
        slug && !yget(c, 'dockerfile_path') && !yget(c, 'image')
          ? { what: `${name} builds the ${what} ${cname} with the ${slug.value} buildpack`, loc: slug.loc }
          : undefined;
      const health = str(yget(yget(c, 'health_check'), 'http_path'));
      const port = str(yget(c, 'http_port'));
      out.push({
        label: `${name} (${what} ${cname})`,
        file,
        ...(run ? { shell: run.map } : {}),
        ...(native ? { nativeRuntime: native } : {}),
        env,
        ...(what === 'job' ? { once: `the platform runs the job ${kind ? `(${kind}) ` : ''}once per deploy` } : {}),
        ...(instances && what !== 'job' ? { instances } : {}),
        probes: health ? [{ kind: 'health_check', path: health.value, pathLoc: health.loc, loc: health.loc }] : [],
        ports: port ? [{ ...writtenOf(port)!, what: 'http_port' }] : [],
        containerized: true,
      });
    }
  }
  return { file, format: 'DigitalOcean app spec', processes: out };
}

// ---- Heroku app.json and heroku.yml -------------------------------------------------------------------

/** What Heroku sets in every dyno (the dyno's name, web.1 or release.1234, and the port to bind), placed on the file's `key` (or first) key. */
function herokuInjected(doc: YamlNode | undefined, env: Map<string, DeployEnv>, key: string): void {
  if (doc?.kind !== 'map') return;
  const anchor = (doc.entries.find((e) => e.key.value === key) ?? doc.entries[0])?.key;
  if (!anchor) return;
  injected(
    env,
    tok(anchor),
    [
      ['DYNO', undefined],
      ['PORT', undefined],
    ],
    'Heroku',
  );
}

function readAppJson(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const name = path.basename(file);
  if (doc?.kind !== 'map' || (!yget(doc, 'env') && !yget(doc, 'formation') && !yget(doc, 'scripts')))
    return { file, format: 'app.json', processes: [] };
  const env = new Map<string, DeployEnv>();
  envMap(yget(doc, 'env'), env, (v) => {
    const value = str(yget(v, 'value'));
    if (str(yget(v, 'generator'))?.value === 'secret')
      return { name: '', value: '', token: tok(str(yget(v, 'generator'))!), nameLoc: v.loc, from: 'a secret Heroku generates' };
    if (value) return { name: '', value: value.value, token: tok(value), nameLoc: v.loc };
    // a config var the app requires and whose value is set on the platform, not here
    if (str(yget(v, 'required'))?.value === 'true')
      return {
        name: '',
        value: '',
        token: tok(str(yget(v, 'required'))!),
        nameLoc: v.loc,
        from: 'a config var set on the platform (required by app.json)',
      };
    return 'skip';
  });
  herokuInjected(doc, env, 'env');
  // buildpacks (and not the container stack): Heroku builds the app without a Dockerfile
  const buildpacks = yget(doc, 'buildpacks');
  const native =
    buildpacks?.kind === 'seq' && buildpacks.items.length > 0 && str(yget(doc, 'stack'))?.value !== 'container'
      ? { what: `${name}'s buildpacks`, loc: yget(doc, 'buildpacks')!.loc }
      : undefined;
  const out: DeployProcess[] = [
    { label: `${name} (config vars)`, file, env, ...(native ? { nativeRuntime: native } : {}), probes: [], ports: [], containerized: true },
  ];
  const post = str(yget(yget(doc, 'scripts'), 'postdeploy'));
  if (post)
    out.push(oneOff(`${name} (postdeploy script)`, file, post.map, env, 'Heroku runs the postdeploy script once, when the app is created'));
  return { file, format: 'app.json', processes: out };
}

function readHerokuYml(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const name = path.basename(file);
  const env = new Map<string, DeployEnv>();
  envMap(yget(yget(doc, 'setup'), 'config'), env);
  herokuInjected(doc, env, 'run');
  const out: DeployProcess[] = [];
  const commandOf = (n: YamlNode | undefined): { shell?: YamlScalar; words?: YamlScalar[] } => {
    if (str(n)) return { shell: str(n) };
    const c = yget(n, 'command');
    if (str(c)) return { shell: str(c) };
    return { words: seq(c).filter((i): i is YamlScalar => i.kind === 'scalar') };
  };
  const run = yget(doc, 'run');
  // build.docker: the Dockerfile of each process type; a type heroku.yml does not `run` runs its image's CMD
  const builds = yget(yget(doc, 'build'), 'docker');
  const dockerfileOf = (type: string): DeployProcess['dockerfile'] => {
    const d = str(yget(builds, type)) ?? str(yget(yget(builds, type), 'dockerfile'));
    return d ? { file: path.resolve(path.dirname(file), d.value), loc: d.loc } : undefined;
  };
  const types = [
    ...(run?.kind === 'map' ? run.entries.map((e) => ({ type: e.key.value, value: e.value as YamlNode | undefined })) : []),
    ...(builds?.kind === 'map'
      ? builds.entries
          .filter((b) => !(run?.kind === 'map' && run.entries.some((e) => e.key.value === b.key.value)))
          .map((b) => ({ type: b.key.value, value: undefined }))
      : []),
  ];
  for (const e of types) {
    const c = e.value ? commandOf(e.value) : {};
    const own = c.shell ? { shell: c.shell.map } : c.words && c.words.length > 0 ? { words: c.words.map(tok) } : undefined;
    const dockerfile = own ? undefined : dockerfileOf(e.type);
    const keyLoc = [...(run?.kind === 'map' ? run.entries : []), ...(builds?.kind === 'map' ? builds.entries : [])].find(
      (x) => x.key.value === e.type,
    )!.key.loc;
    out.push({
      label: `${name} (process ${e.type})`,
      file,
      ...(own ?? (dockerfile ? { dockerfile } : {})),
      env,
      ...(/^(dev|development|local|test)$/.test(e.type) ? { devReason: `the process type ${e.type} is for development` } : {}),
      ...(e.type === 'release'
        ? { once: 'Heroku runs the release phase once per deploy' }
        : // as a Procfile's: Heroku scales a process type to several dynos
          { instances: { min: 1, autoscaled: true, why: 'Heroku can scale it to several dynos', loc: keyLoc } }),
      probes: [],
      ports: [],
      containerized: true,
    });
  }
  const release = yget(doc, 'release');
  if (release) {
    const c = commandOf(release);
    out.push({
      label: `${name} (release)`,
      file,
      ...(c.shell ? { shell: c.shell.map } : c.words && c.words.length > 0 ? { words: c.words.map(tok) } : {}),
      env,
      once: 'Heroku runs the release phase once per deploy',
      probes: [],
      ports: [],
      containerized: true,
    });
  }
  return { file, format: 'heroku.yml', processes: out };
}

// ---- railway and nixpacks ----------------------------------------------------------------------------

/** What a railway file says of its deploy, read from JSON or TOML. */
interface RailwayDeploy {
  readonly start?: MappedText;
  readonly replicas?: Instances;
  readonly health?: { readonly path: string; readonly loc: Loc };
  readonly pre: readonly MappedText[];
}

function readRailway(file: string, text: string): DeployFile {
  const name = path.basename(file);
  const format = file.endsWith('.json') ? 'railway.json' : 'railway.toml';
  const deploy = format === 'railway.json' ? railwayJson(file, text) : railwayToml(file, text);
  if (!deploy) return { file, format, processes: [] };
  const env = new Map<string, DeployEnv>();
  const { start, replicas, health } = deploy;
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
        probes: health ? [{ kind: 'railway health check', path: health.path, pathLoc: health.loc, loc: health.loc }] : [],
        ports: [],
        containerized: true,
      },
      ...deploy.pre.map((p) => oneOff(`${name} (preDeployCommand)`, file, p, env, 'railway runs the pre-deploy command once per deploy')),
    ],
  };
}

function railwayJson(file: string, text: string): RailwayDeploy {
  const deploy = yget(firstDoc(file, text), 'deploy');
  const start = str(yget(deploy, 'startCommand'));
  const replicas = str(yget(deploy, 'numReplicas'));
  const health = str(yget(deploy, 'healthcheckPath'));
  const pre = yget(deploy, 'preDeployCommand');
  return {
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
  return {
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

function readNixpacks(file: string, text: string): DeployFile {
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

// ---- entry -----------------------------------------------------------------------------------------------

function readPlatformFile(file: string, text: string): DeployFile | undefined {
  const platform = platformOf(file);
  try {
    switch (platform) {
      case 'fly':
        return readFly(file, text);
      case 'render':
        return readRender(file, text);
      case 'digitalocean':
        return readDigitalOcean(file, text);
      case 'appengine':
        return readAppEngine(file, text);
      case 'heroku-app':
        return readAppJson(file, text);
      case 'heroku-yml':
        return readHerokuYml(file, text);
      case 'railway':
        return readRailway(file, text);
      case 'nixpacks':
        return readNixpacks(file, text);
      default:
        return undefined;
    }
  } catch {
    // a file the reader cannot make sense of is no evidence
    return undefined;
  }
}

/** Reads a platform file by its name (each text once). */
export const parsePlatformFile = memoByText(readPlatformFile);
