// fly.toml (and fly.<name>.toml): the process groups fly.io runs (`[processes]`, else one `app`
// group running the image's command, as does a group whose command is empty), the services in front of each ([http_service], [[services]])
// with their ports, health checks, force_https and min_machines_running, the [[statics]] its proxy serves, how many machines run
// (two for a group that serves HTTP, one with a volume), the image it builds (or the prebuilt one it deploys, [build] image), [env], and the
// release command it runs once per deploy.
import * as path from 'node:path';
import { FLY_KILL_SIGNAL } from '../../catalogue/stopSignals';
import { FLY_EMPTY_PROCESS_COMMAND, FLY_POSTGRES_SERVICES, FLY_STRATEGIES_STARTING_BESIDE } from '../../catalogue/platformRuntime';
import { FLY_SERVICE_HANDLERS } from '../../catalogue/hops';
import type { Loc } from '../../eval/values';
import type { Token } from '../text';
import type { DeployFile, DeployProcess, Instances, Probe, Written } from '../workload';
import { lineStarts } from '../workload';
import { injected, oneOff } from './common';
import { isTable, tomlEnv, tomlParse, tomlToken, tomlWritten, type TomlTable } from './toml';

/** A service of fly.toml: [http_service] or one of [[services]], each for some process groups (all when not said). */
interface FlyService {
  port?: Written;
  processes?: string[];
  minRunning?: Written;
  checks: Probe[];
  forceHttps?: boolean;
  /**
   * Whether the Fly proxy ends TLS for it: always for [http_service] (port 443 with the tls and http
   * handlers), for [[services]] only where a port has the tls handler (catalogue FLY_SERVICE_HANDLERS).
   */
  tls: boolean;
  /** A Fly Postgres service (TCP, on a Postgres port or handed to the pg_tls handler: catalogue FLY_POSTGRES_SERVICES): what it is. */
  postgres?: string;
}

export function readFly(file: string, text: string): DeployFile {
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
  const { services, topChecks } = flyServices(file, text, starts, doc);
  // the signal fly.io stops each machine's process with (FLY_KILL_SIGNAL unless written)
  const stopSignal =
    typeof doc.kill_signal === 'string'
      ? {
          signal: doc.kill_signal.trim().toUpperCase(),
          loc: tomlToken(file, text, starts, ['kill_signal'], doc.kill_signal).loc,
          written: true,
        }
      : { signal: FLY_KILL_SIGNAL.value, loc: appLine.loc, written: false };
  const { dockerfile, flyNative } = flyImage(file, text, starts, doc, appLine.loc, name);
  // [build] image: a prebuilt image fly deploys as it is (no build of the repository's files)
  const build = isTable(doc.build) ? doc.build : undefined;
  const image =
    typeof build?.image === 'string' && build.image.trim() !== ''
      ? { image: build.image.trim(), imageLoc: tomlToken(file, text, starts, ['build', 'image'], build.image).loc }
      : undefined;
  const groups: { group: string; command?: Token }[] = [];
  if (isTable(doc.processes) && Object.keys(doc.processes).length > 0) {
    // an empty command runs the image's own command, as a group without one: flyctl gives the
    // machine no init command for it (FLY_EMPTY_PROCESS_COMMAND)
    for (const [g, cmd] of Object.entries(doc.processes))
      groups.push({
        group: g,
        ...(typeof cmd === 'string' && !runsImageCommand(cmd) ? { command: tomlToken(file, text, starts, ['processes', g], cmd) } : {}),
      });
  } else groups.push({ group: 'app' });
  // [mounts] (a table or an array of them, each for some process groups or all): a volume belongs to
  // one machine, and a group with one starts on one machine, cloned by hand to scale out, each clone
  // with a volume of its own (fly.io, "Add volume storage to a Fly Launch app")
  // [[statics]]: the Fly proxy answers requests under url_prefix with the files of guest_path in the image
  const statics = (Array.isArray(doc.statics) ? doc.statics : isTable(doc.statics) ? [doc.statics] : [])
    .filter(isTable)
    .filter((x) => typeof x.url_prefix === 'string' && typeof x.guest_path === 'string')
    .map((x) => ({
      urlPrefix: String(x.url_prefix),
      guestPath: String(x.guest_path),
      loc: tomlToken(file, text, starts, ['statics', 'url_prefix'], String(x.url_prefix)).loc,
    }));
  // [deploy] strategy: canary and bluegreen start a new machine beside a running one at each deploy
  const strategy = isTable(doc.deploy) && typeof doc.deploy.strategy === 'string' ? doc.deploy.strategy.trim().toLowerCase() : undefined;
  const startsBesideOnDeploy =
    strategy !== undefined && FLY_STRATEGIES_STARTING_BESIDE.value.includes(strategy)
      ? {
          why: `the ${strategy} deploy strategy starts the new release beside the running machine`,
          loc: tomlToken(file, text, starts, ['deploy', 'strategy'], String((doc.deploy as TomlTable).strategy)).loc,
        }
      : undefined;
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
      // the image is built from the Dockerfile whether or not the process has a command of its own
      ...(command ? { shell: command.map } : {}),
      ...(dockerfile ? { dockerfile } : {}),
      ...(image ?? {}),
      ...(flyNative ? { nativeRuntime: flyNative } : {}),
      env,
      ...(/^(dev|development|local|test)$/.test(group) ? { devReason: `the process group ${group} is for development` } : {}),
      ...(instances ? { instances } : {}),
      ...(mine.length > 0 && startsBesideOnDeploy ? { startsBesideOnDeploy } : {}),
      probes: [...mine.flatMap((s) => s.checks), ...topChecks],
      ...(mine.some((s) => s.forceHttps) ? { httpsRedirect: 'fly.io redirects HTTP to HTTPS (force_https = true)' } : {}),
      // [[services]] whose ports none hands to the tls handler: the Fly proxy ends no TLS in front of it
      ...(mine.length > 0 && mine.every((s) => !s.tls)
        ? {
            platformTls: {
              known: false,
              none: true,
              how: 'no [[services.ports]] of its services has the tls handler, so the Fly proxy ends no TLS in front of it',
              loc: mine[0]!.port?.loc ?? appLine.loc,
            },
          }
        : {}),
      ...(mine.length > 0 && statics.length > 0 ? { statics } : {}),
      ...(mine.length > 0 && mine.every((s) => s.postgres)
        ? { databaseServices: `its services are a Fly Postgres app's (${[...new Set(mine.map((s) => s.postgres))].join('; ')})` }
        : {}),
      stopSignal,
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

/** Whether a process group's command, as written, leaves the image's own command to run (an empty one). */
function runsImageCommand(cmd: string): boolean {
  return cmd.trim() === '' && FLY_EMPTY_PROCESS_COMMAND.value === 'image-command';
}

/** The services of fly.toml ([http_service] and [[services]]) and its top-level [checks]. */
function flyServices(
  file: string,
  text: string,
  starts: readonly number[],
  doc: TomlTable,
): { services: FlyService[]; topChecks: Probe[] } {
  const services: FlyService[] = [];
  if (isTable(doc.http_service)) {
    const h = doc.http_service;
    services.push({
      port: tomlWritten(file, text, starts, ['http_service', 'internal_port'], h.internal_port),
      processes: Array.isArray(h.processes) ? h.processes.map(String) : undefined,
      minRunning: tomlWritten(file, text, starts, ['http_service', 'min_machines_running'], h.min_machines_running),
      checks: flyChecks(file, text, starts, h.checks, ['http_service', 'checks']),
      forceHttps: h.force_https === true,
      tls: true,
    });
  }
  if (Array.isArray(doc.services))
    for (const s of doc.services.filter(isTable))
      services.push({
        port: tomlWritten(file, text, starts, ['services', 'internal_port'], s.internal_port),
        processes: Array.isArray(s.processes) ? s.processes.map(String) : undefined,
        minRunning: tomlWritten(file, text, starts, ['services', 'min_machines_running'], s.min_machines_running),
        checks: [...flyChecks(file, text, starts, s.http_checks, ['services', 'http_checks'])],
        // the legacy form: [[services.ports]] with handlers = ["http"] and force_https = true (the
        // http handler answers the redirect), and a port with the tls handler ending TLS at the Fly proxy
        forceHttps: portsOf(s).some((p) => p.force_https === true && handlersOf(p).includes('http')),
        tls: portsOf(s).some((p) => handlersOf(p).includes(FLY_SERVICE_HANDLERS.value.tls)),
        ...(postgresService(s) ? { postgres: postgresService(s) } : {}),
      });
  const topChecks = isTable(doc.checks)
    ? Object.entries(doc.checks)
        .filter(([, c]) => isTable(c) && typeof c.path === 'string')
        .map(([k, c]) => {
          const t = tomlToken(file, text, starts, ['checks', k, 'path'], String((c as TomlTable).path));
          return { kind: 'fly.io health check', path: String((c as TomlTable).path), pathLoc: t.loc, loc: t.loc } as Probe;
        })
    : [];
  return { services, topChecks };
}

/** The [[services.ports]] of a [[services]] entry. */
function portsOf(s: TomlTable): TomlTable[] {
  return (Array.isArray(s.ports) ? s.ports : []).filter(isTable);
}

/** The handlers of a [[services.ports]] entry, in lower case (fly.io's docs write them both ways). */
function handlersOf(p: TomlTable): string[] {
  return Array.isArray(p.handlers) ? p.handlers.map((h) => String(h).toLowerCase()) : [];
}

/**
 * Whether a [[services]] entry is a Fly Postgres app's (catalogue FLY_POSTGRES_SERVICES): TCP (fly's
 * default protocol), no port handed to the http or tls handlers, and a port handed to pg_tls or an
 * internal_port of Postgres.
 */
function postgresService(s: TomlTable): string | undefined {
  if (s.protocol !== undefined && s.protocol !== 'tcp') return undefined;
  const handlers = (Array.isArray(s.ports) ? s.ports : [])
    .filter(isTable)
    .flatMap((p) => (Array.isArray(p.handlers) ? p.handlers.map(String) : []));
  if (handlers.some((h) => h === 'http' || h === 'tls')) return undefined;
  const { handlers: pg, ports } = FLY_POSTGRES_SERVICES.value;
  const byHandler = handlers.find((h) => pg.includes(h));
  const port = typeof s.internal_port === 'number' ? s.internal_port : undefined;
  if (!byHandler && (port === undefined || !ports.includes(port))) return undefined;
  return `TCP on internal_port ${port ?? '(not set)'}${byHandler ? `, handlers = ["${byHandler}"]` : ''}`;
}

/** A service's health checks with a path (a list of them, or a table of named ones). */
function flyChecks(file: string, text: string, starts: readonly number[], list: unknown, keyPath: readonly string[]): Probe[] {
  return (Array.isArray(list) ? list : isTable(list) ? Object.values(list) : [])
    .filter(isTable)
    .filter((c) => typeof c.path === 'string')
    .map((c) => {
      const t = tomlToken(file, text, starts, [...keyPath, 'path'], String(c.path));
      return { kind: 'fly.io health check', path: String(c.path), pathLoc: t.loc, loc: t.loc };
    });
}

/**
 * The image fly builds: [build] dockerfile (or the Dockerfile beside fly.toml), unless it deploys a
 * prebuilt image or builds with buildpacks (then the app is built without a Dockerfile).
 */
function flyImage(
  file: string,
  text: string,
  starts: readonly number[],
  doc: TomlTable,
  appLoc: Loc,
  name: string,
): { dockerfile: DeployProcess['dockerfile']; flyNative: DeployProcess['nativeRuntime'] } {
  const build = isTable(doc.build) ? doc.build : undefined;
  const dockerfile =
    typeof build?.image === 'string' || typeof build?.builder === 'string' || typeof build?.buildpacks === 'object'
      ? undefined
      : {
          file: path.resolve(path.dirname(file), typeof build?.dockerfile === 'string' ? build.dockerfile : 'Dockerfile'),
          ...(typeof build?.['build-target'] === 'string' ? { target: build['build-target'] } : {}),
          loc:
            typeof build?.dockerfile === 'string' ? tomlToken(file, text, starts, ['build', 'dockerfile'], build.dockerfile).loc : appLoc,
        };
  // a buildpack builder builds the app without a Dockerfile
  const flyNative =
    typeof build?.builder === 'string' || typeof build?.buildpacks === 'object'
      ? {
          what: `${name} builds it with buildpacks ([build] ${typeof build?.builder === 'string' ? 'builder' : 'buildpacks'})`,
          loc: appLoc,
        }
      : undefined;
  return { dockerfile, flyNative };
}
