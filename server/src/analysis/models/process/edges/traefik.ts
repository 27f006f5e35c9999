// Traefik in front of compose services: the Traefik services of the compose files (an image or a
// Dockerfile of traefik) with their static configuration (readers/proxy/traefik.ts: the file it
// finds mounted or copied at /etc/traefik/traefik.{yml,yaml,toml} or at its --configFile, else its
// command's flags, else its TRAEFIK_* variables, else Traefik's defaults), and the routers the
// compose labels, its file provider and its Kubernetes resources define. Each router is tied to
// what it sends requests to (the compose service its labels are on, or the one a file provider's
// URL names) and says whether plain HTTP is redirected to HTTPS for it. Labels whose Traefik is not
// in the repository (an external network, a Traefik run elsewhere) are read all the same: what
// their Traefik does is unknown.
import { shownPath } from '../../../base/relPath';
import * as path from 'node:path';
import type { Loc } from '../../../eval/values';
import { composeDir, pathDefaults, type ComposeFile, type ComposeService } from '../../../readers/container/compose';
import { finalStage } from '../../../readers/container/dockerfile';
import {
  envOptions,
  fileOptions,
  flagOptions,
  isDynamicConfig,
  labelOptions,
  readDynamic,
  readStatic,
  type TraefikMiddleware,
  type TraefikOption,
  type TraefikRouterConfig,
  type TraefikServiceConfig,
  type TraefikStatic,
} from '../../../readers/proxy/traefik';
import { dockerfileAt, type Collected } from '../collect';
import { bindMount, pathMapper } from '../paths';
import { composeServes, composeServiceDevReason as productionService } from './serves';
import type { EdgeTie, TraefikEdges, TraefikInstance, TraefikMiddlewareUse, TraefikRouter } from './types';

const TRAEFIK_IMAGE = /(^|\/)traefik(:|@|$)/i;

/** The default places of Traefik's configuration file (in its container). */
const CONFIG_PLACES = [
  '/etc/traefik/traefik.yml',
  '/etc/traefik/traefik.yaml',
  '/etc/traefik/traefik.toml',
  '/traefik.yml',
  '/traefik.yaml',
  '/traefik.toml',
];

interface Instance {
  readonly edge: TraefikInstance;
  readonly compose: ComposeFile;
  /** The file provider's dynamic configurations (file, options). */
  readonly files: { readonly file: string; readonly options: TraefikOption[] }[];
}

/** Whether a compose service runs Traefik: its image, or the Dockerfile it builds. */
function isTraefik(r: Collected, c: ComposeFile, s: ComposeService): boolean {
  if (s.image && TRAEFIK_IMAGE.test(pathDefaults(s.image))) return true;
  if (!s.build) return false;
  const d = dockerfileAt(r, path.resolve(composeDir(c), s.build.context, s.build.dockerfile));
  const last = d ? finalStage(d) : undefined;
  return !!last && TRAEFIK_IMAGE.test(last.base);
}

function readInstance(r: Collected, c: ComposeFile, s: ComposeService): Instance {
  const fs = r.ws.fs;
  const dir = composeDir(c);
  const label = `${path.basename(c.file)} (service ${s.name})`;
  const mounts = s.volumes.map((v) => bindMount(pathDefaults(v), dir)).filter((v) => v !== undefined);
  let context = dir;
  let copies: { sources: string[]; dest: string; from?: string }[] = [];
  if (s.build) {
    context = path.resolve(dir, s.build.context);
    const d = dockerfileAt(r, path.resolve(context, s.build.dockerfile));
    copies = (d ? finalStage(d)?.copies : undefined) ?? [];
  }
  const map = pathMapper(r.ws, context, copies, mounts);
  // a file COPY'd onto /etc/traefik (a folder of the image) lands inside it
  const find = (p: string): string | undefined => {
    const direct = map(p);
    if (direct && fs.readText(direct) !== undefined) return direct;
    const parent = map(path.posix.dirname(p));
    return parent && path.basename(parent) === path.posix.basename(p) && fs.readText(parent) !== undefined ? parent : undefined;
  };
  const words = (s.command ?? []).map((t) => ({ text: pathDefaults(t.text), loc: t.loc }));
  const flags = flagOptions(words);
  const configFlag = flags.find((o) => o.key === 'configfile');
  const places = configFlag ? [configFlag.value] : CONFIG_PLACES;
  let stat: TraefikStatic | undefined;
  let staticWhy: string;
  const files: { file: string; options: TraefikOption[] }[] = [];
  const found = places.map((p) => ({ p, file: find(p) })).find((x) => x.file);
  const dev = productionService(r, c.file, s.name);
  if (found) {
    const text = fs.readText(found.file!)!;
    const options = fileOptions(found.file!, text) ?? [];
    stat = readStatic(options, 'file', found.file!);
    staticWhy = `${shownPath(r.project, found.file!)} (at ${found.p} in its container)`;
  } else {
    // a configuration file mounted from outside the repository, or from a volume: not known
    const outside = places.find((p) => {
      const m = map(p) ?? map(path.posix.dirname(p));
      return m !== undefined && fs.readText(m) === undefined && !fs.isDirectory(m);
    });
    const volume = s.volumes.find((v) => !bindMount(pathDefaults(v), dir) && /:\/etc\/traefik(\/|:|$)/.test(v));
    if (configFlag) staticWhy = `its --configFile ${configFlag.value} is not in the repository`;
    else if (outside) staticWhy = `${outside} is mounted from a file not in the repository`;
    else if (volume) staticWhy = `a volume (${volume}) holds /etc/traefik, not in the repository`;
    else if (flags.length > 0) {
      stat = readStatic(flags, 'flags', c.file);
      staticWhy = `the flags of its command (${label})`;
    } else {
      const env = [...s.environment].map(([name, v]) => ({ name, value: v.value, loc: v.token.loc }));
      const envOpts = envOptions(env);
      if (envOpts.length > 0) {
        stat = readStatic(envOpts, 'env', c.file);
        staticWhy = `its TRAEFIK_* variables (${label})`;
      } else {
        stat = readStatic([], 'flags', c.file);
        staticWhy = 'none: Traefik runs with its defaults';
      }
    }
  }
  // the file provider's dynamic configurations, through the same mounts and copies
  const fp = stat?.fileProvider;
  if (fp?.filename) {
    const f = find(fp.filename.text);
    const t = f ? fs.readText(f) : undefined;
    const options = f && t !== undefined ? fileOptions(f, t) : undefined;
    if (f && options && isDynamicConfig(options)) files.push({ file: f, options });
  }
  if (fp?.directory) {
    const d = map(fp.directory.text);
    if (d && fs.isDirectory(d))
      for (const e of fs.readDir(d)) {
        if (!e.isFile || !/\.(ya?ml|toml)$/i.test(e.name)) continue;
        const f = path.join(d, e.name);
        const t = fs.readText(f);
        const options = t !== undefined ? fileOptions(f, t) : undefined;
        if (options && isDynamicConfig(options)) files.push({ file: f, options });
      }
  }
  const redirect = stat?.entryPoints.find((e) => e.redirectTo);
  const entryPointRedirect: TraefikInstance['entryPointRedirect'] = !stat
    ? { state: 'unknown', why: `its static configuration is not known: ${staticWhy}` }
    : redirect
      ? { state: 'yes', from: redirect.name, to: redirect.redirectTo!, loc: redirect.redirectTo!.loc }
      : { state: 'no', why: `no entry point of its static configuration (${staticWhy}) redirects` };
  return {
    edge: {
      label,
      composeFile: c.file,
      service: s.name,
      loc: s.nameLoc,
      production: !dev,
      ...(dev ? { devReason: dev } : {}),
      ...(stat ? { static: stat } : {}),
      staticWhy,
      entryPointRedirect,
    },
    compose: c,
    files,
  };
}

/** A router being tied: its configuration and what it is on. */
interface Pending {
  readonly config: TraefikRouterConfig;
  readonly compose?: ComposeFile;
  readonly service?: ComposeService;
  readonly implicit?: boolean;
  readonly instance?: Instance;
  /** Services defined by the same provider (labels of the compose files its Traefik serves, or the same file). */
  readonly services: readonly (TraefikServiceConfig & { readonly owner?: ComposeService; readonly compose?: ComposeFile })[];
}

export function traefikEdges(
  r: Collected,
  k8sRouters: readonly TraefikRouter[],
  k8sMiddlewares: readonly TraefikMiddleware[],
): TraefikEdges | undefined {
  const labelled = r.compose.flatMap((c) =>
    c.services.filter((s) => s.labels.some((l) => l.key.toLowerCase().startsWith('traefik.'))).map((s) => ({ c, s })),
  );
  const traefiks = r.compose.flatMap((c) => c.services.filter((s) => isTraefik(r, c, s)).map((s) => ({ c, s })));
  if (labelled.length === 0 && traefiks.length === 0 && k8sRouters.length === 0 && k8sMiddlewares.length === 0) return undefined;
  const instances = traefiks.map(({ c, s }) => readInstance(r, c, s));
  const production = instances.filter((i) => i.edge.production);
  /** The Traefik that serves the labels of a compose file: its own, else the only production one of the repository. */
  const instanceFor = (c: ComposeFile): { instance?: Instance; why?: string } => {
    const own = instances.filter((i) => i.compose === c);
    if (own.length === 1) return { instance: own[0]! };
    if (own.length > 1) return { instance: own.find((i) => i.edge.production) ?? own[0]! };
    if (production.length === 1) return { instance: production[0]! };
    return {
      why: production.length > 1 ? 'several Traefik services of the repository could serve them' : 'Traefik is not in the repository',
    };
  };
  // docker provider: every labelled service's routers, middlewares and services, by compose file
  const dockerMiddlewares: TraefikMiddleware[] = [];
  const dockerServices: (TraefikServiceConfig & { owner: ComposeService; compose: ComposeFile })[] = [];
  const read = labelled.map(({ c, s }) => {
    const options = labelOptions(s.labels);
    const dyn = readDynamic(options, 'docker', c.file, s.name);
    dockerMiddlewares.push(...dyn.middlewares);
    dockerServices.push(...dyn.services.map((x) => ({ ...x, owner: s, compose: c })));
    return { c, s, options, dyn };
  });
  const pending: Pending[] = [];
  for (const { c, s, options, dyn } of read) {
    const { instance } = instanceFor(c);
    const enable = options.find((o) => o.key === 'enable');
    const exposed = instance?.edge.static?.exposedByDefault;
    // (compose interpolates `${X:-true}` in labels: its default is what runs unless X is set)
    const enabled = enable
      ? pathDefaults(enable.value).trim().toLowerCase() === 'true'
      : !exposed || exposed.text.trim().toLowerCase() !== 'false';
    if (!enabled) continue;
    const services = dockerServices.filter(
      (x) => x.compose === c || (instance !== undefined && instanceFor(x.compose).instance === instance),
    );
    const configs: { config: TraefikRouterConfig; implicit?: boolean }[] = dyn.routers.map((config) => ({ config }));
    if (configs.length === 0 && enable)
      configs.push({ config: { name: s.name, provider: 'docker', file: c.file, loc: enable.loc, middlewares: [] }, implicit: true });
    for (const { config, implicit } of configs)
      pending.push({ config, compose: c, service: s, ...(implicit ? { implicit } : {}), ...(instance ? { instance } : {}), services });
  }
  // file provider
  const fileMiddlewares: TraefikMiddleware[] = [];
  for (const inst of instances) {
    // the file provider merges every file it reads into one configuration
    const dyns = inst.files.map((f) => readDynamic(f.options, 'file', f.file));
    const services = dyns.flatMap((d) => d.services);
    for (const dyn of dyns) {
      fileMiddlewares.push(...dyn.middlewares);
      for (const config of dyn.routers) pending.push({ config, instance: inst, services });
    }
  }
  const routers = pending.map((p) => tieRouter(r, p, [...dockerMiddlewares, ...fileMiddlewares], instanceFor));
  // a router with TLS is redirected when a router with its rule on the plain entry point redirects
  const withSiblings = routers.map((x) => {
    if (x.httpsRedirect.state === 'yes' || !x.tls) return x;
    const sibling = routers.find(
      (o) =>
        o !== x &&
        o.rule &&
        x.rule &&
        o.rule.text === x.rule.text &&
        o.instance === x.instance &&
        o.httpsRedirect.state === 'yes' &&
        o.httpsRedirect.how === 'middleware',
    );
    return sibling && sibling.httpsRedirect.state === 'yes'
      ? {
          ...x,
          httpsRedirect: { ...sibling.httpsRedirect, why: `the router ${sibling.name}, with the same rule, ${sibling.httpsRedirect.why}` },
        }
      : x;
  });
  return {
    instances: instances.map((i) => i.edge),
    routers: [...withSiblings, ...k8sRouters],
    middlewares: [...dockerMiddlewares, ...fileMiddlewares, ...k8sMiddlewares],
  };
}

function stripProvider(name: string): { name: string; provider?: string } {
  const at = name.lastIndexOf('@');
  return at > 0 ? { name: name.slice(0, at), provider: name.slice(at + 1) } : { name };
}

function tieRouter(
  r: Collected,
  p: Pending,
  all: readonly TraefikMiddleware[],
  instanceFor: (c: ComposeFile) => { instance?: Instance; why?: string },
): TraefikRouter {
  const { config, instance } = p;
  const stat = instance?.edge.static;
  const provider = config.provider;
  // middlewares: its entry points' first, then its own
  const eps = config.entryPoints?.names ?? stat?.entryPoints.map((e) => e.name) ?? [];
  // a middleware named without `@provider` is the router's provider's
  const resolve = (written: string, loc: Loc, fromEntryPoint?: string): TraefikMiddlewareUse => {
    const { name, provider: named } = stripProvider(written);
    const m = all.find((x) => x.name === name && x.provider === (named ?? provider));
    return { name: written, loc, ...(m ? { middleware: m } : {}), ...(fromEntryPoint ? { fromEntryPoint } : {}) };
  };
  const middlewares: TraefikMiddlewareUse[] = [];
  for (const e of stat?.entryPoints ?? [])
    if (eps.includes(e.name)) for (const m of e.middlewares) middlewares.push(resolve(m.text, m.loc, e.name));
  for (const m of config.middlewares) middlewares.push(resolve(m.text, m.loc));
  const epTls = stat?.entryPoints.find((e) => eps.includes(e.name) && e.tls);
  const tls = config.tls
    ? { loc: config.tls.loc, ...(config.tls.certResolver ? { certResolver: config.tls.certResolver } : {}), via: 'router' as const }
    : epTls?.tls
      ? { loc: epTls.tls.loc, ...(epTls.tls.certResolver ? { certResolver: epTls.tls.certResolver } : {}), via: 'entrypoint' as const }
      : undefined;
  // every entry point it listens on has TLS: it takes HTTPS requests only
  const epsTls = eps.map((n) => stat?.entryPoints.find((e) => e.name === n)?.tls);
  const tlsEntryPoints = eps.length > 0 && epsTls.every((t) => t !== undefined) ? { names: eps, loc: epsTls[0]!.loc } : undefined;
  // where its requests go
  let target: TraefikRouter['target'];
  let tie: EdgeTie;
  const svcName = config.service ? stripProvider(config.service.text).name : undefined;
  // a router naming no service: its container's own (docker), the only service of the configuration (file)
  const own = provider === 'docker' ? p.services.filter((s) => (s as { owner?: ComposeService }).owner === p.service) : p.services;
  const defined = svcName ? p.services.find((s) => s.name === svcName) : own.length === 1 ? own[0] : undefined;
  const compose = p.compose ?? instance?.compose;
  if (provider === 'docker' && p.service && p.compose) {
    const owner = (defined as { owner?: ComposeService } | undefined)?.owner ?? p.service;
    const ownerFile = (defined as { compose?: ComposeFile } | undefined)?.compose ?? p.compose;
    target = {
      composeService: owner.name,
      how:
        owner === p.service
          ? `the labels are on the compose service ${owner.name}`
          : `its service ${svcName} is defined by the labels of ${owner.name}`,
    };
    const serves = composeServes(r, ownerFile, owner);
    tie = { state: serves.state, why: serves.why };
  } else {
    const url = defined?.urls[0]?.text;
    const host = url ? /^[a-z]+:\/\/([^/:]+)/i.exec(url)?.[1] : undefined;
    const s = host && compose ? compose.services.find((x) => x.name === host) : undefined;
    if (s && compose) {
      target = {
        composeService: s.name,
        url: url!,
        how: `its service ${svcName ?? defined!.name} sends to ${url}, the compose service ${s.name}`,
      };
      const serves = composeServes(r, compose, s);
      tie = { state: serves.state, why: `${target.how}; ${serves.why}` };
    } else {
      if (url) target = { url, how: `its service ${svcName ?? defined!.name} sends to ${url}` };
      tie = {
        state: 'unknown',
        why: url
          ? `${url} is no compose service of ${compose ? path.basename(compose.file) : 'the repository'}`
          : `its service ${svcName ?? '(none named)'} is not defined in the repository`,
      };
    }
  }
  const dev = p.service && p.compose ? productionService(r, p.compose.file, p.service.name) : instance?.edge.devReason;
  const httpsRedirect = routerRedirect(
    config,
    middlewares,
    tls !== undefined,
    instance,
    eps,
    p.compose ? instanceFor(p.compose).why : undefined,
  );
  return {
    name: config.name,
    provider,
    file: config.file,
    loc: config.loc,
    production: !dev,
    ...(dev ? { devReason: dev } : {}),
    ...(config.rule ? { rule: config.rule } : {}),
    ...(config.entryPoints ? { entryPoints: config.entryPoints } : {}),
    ...(tls ? { tls } : {}),
    ...(tlsEntryPoints ? { tlsEntryPoints } : {}),
    middlewares,
    ...(config.service ? { service: config.service } : {}),
    ...(p.service ? { composeService: p.service.name } : {}),
    ...(p.compose ? { composeFile: p.compose.file } : {}),
    ...(target ? { target } : {}),
    ...(p.implicit ? { implicit: true } : {}),
    ...(instance ? { instance: instance.edge } : {}),
    httpsRedirect,
    tie,
  };
}

function routerRedirect(
  config: TraefikRouterConfig,
  middlewares: readonly TraefikMiddlewareUse[],
  tls: boolean,
  instance: Instance | undefined,
  eps: readonly string[],
  noInstanceWhy: string | undefined,
): TraefikRouter['httpsRedirect'] {
  const m = middlewares.find((x) => x.middleware?.does.redirectScheme?.scheme.toLowerCase() === 'https' || x.middleware?.does.sslRedirect);
  if (m) {
    const loc = m.middleware!.does.redirectScheme?.loc ?? m.middleware!.does.sslRedirect!;
    return { state: 'yes', how: 'middleware', loc, why: `its middleware ${m.name} redirects to https` };
  }
  if (!instance) return { state: 'unknown', why: `the Traefik that serves it is not known (${noInstanceWhy ?? 'not in the repository'})` };
  const redirect = instance.edge.entryPointRedirect;
  if (redirect.state === 'unknown') return { state: 'unknown', why: redirect.why };
  if (redirect.state === 'yes') {
    const stat = instance.edge.static!;
    const plain = eps.filter((e) => {
      const ep = stat.entryPoints.find((x) => x.name === e);
      return ep && !ep.redirectTo && !ep.tls;
    });
    if (tls || plain.length === 0)
      return {
        state: 'yes',
        how: 'entrypoint',
        loc: redirect.loc,
        why: `the entry point ${redirect.from} of ${instance.edge.label} redirects to ${redirect.to.text}`,
      };
    return { state: 'no', why: `it serves plain HTTP on the entry point ${plain[0]}, which does not redirect` };
  }
  return { state: 'no', why: `${redirect.why}, and no middleware of ${config.name} redirects to https` };
}
