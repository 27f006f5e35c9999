// Traefik's configuration, wherever a repository writes it:
//   - its *static* configuration (entry points, the HTTP→HTTPS redirection of an entry point, the
//     forwarded headers it trusts, the access log, its providers): a traefik.yml or traefik.toml,
//     the `--flags` of its command line, or TRAEFIK_* variables. Traefik reads one of the three
//     (a file first, else the flags, else the environment: "three different, mutually exclusive
//     ways"), and so does the process model (models/process/edges.ts);
//   - its *dynamic* configuration: routers (rule, entry points, TLS, middlewares, service),
//     middlewares (what each does: redirectScheme, headers, buffering, chain…) and services, from
//     docker-compose labels (`traefik.http.routers.<r>.rule=…`), from a file the file provider
//     reads (YAML or TOML), or from Traefik's Kubernetes resources (kubernetes/ingress.ts).
// Every source is first read into options (a key path and a value, placed where it is written), so
// that one reading of the keys serves them all. Option names are matched as Traefik matches them,
// without regard to case; router, middleware and service names are kept as written.
import type { Loc } from '../../eval/values';
import { TRAEFIK_V1_LOG_LEVEL, TRAEFIK_VALUE_FLAGS } from '../../catalogue/proxyLogLevels';
import { tomlKeyLine } from '../python/tomlLocate';
import { toml } from '../python/parsers';
import { parseYamlDocuments, type YamlNode } from '../yaml';

/** One option of a Traefik configuration: its key path (as written, and lower-cased) and value. */
export interface TraefikOption {
  /** The key path below what holds it, lower-cased and joined with dots (`stsseconds`, `customresponseheaders.x-frame-options`). */
  readonly key: string;
  /** The same path as written. */
  readonly written: string;
  readonly value: string;
  readonly loc: Loc;
}

/** What a middleware does to the requests it handles and the responses it sends back. */
export interface MiddlewareEffects {
  /** redirectScheme: redirects to the scheme (https), permanently or not. */
  readonly redirectScheme?: { readonly scheme: string; readonly permanent?: boolean; readonly loc: Loc };
  /** headers: Strict-Transport-Security (stsSeconds, stsIncludeSubdomains, stsPreload, forceSTSHeader). */
  readonly hsts?: {
    readonly seconds?: number;
    readonly includeSubdomains?: boolean;
    readonly preload?: boolean;
    /** forceSTSHeader: sent on plain HTTP too. */
    readonly force?: boolean;
    readonly loc: Loc;
  };
  /**
   * headers: the response headers it sets (customResponseHeaders, and frameDeny → X-Frame-Options:
   * DENY, contentTypeNosniff → X-Content-Type-Options: nosniff, browserXssFilter, customFrameOptionsValue,
   * contentSecurityPolicy, referrerPolicy, permissionsPolicy); a value '' removes the header.
   */
  readonly responseHeaders: readonly { readonly name: string; readonly value: string; readonly loc: Loc }[];
  /** headers: customRequestHeaders (towards the app; '' removes the header). */
  readonly requestHeaders: readonly { readonly name: string; readonly value: string; readonly loc: Loc }[];
  /** headers: sslProxyHeaders (a request header whose value says the request came over HTTPS). */
  readonly sslProxyHeaders: readonly { readonly name: string; readonly value: string; readonly loc: Loc }[];
  /** headers.sslRedirect (Traefik 2's deprecated redirection to HTTPS). */
  readonly sslRedirect?: Loc;
  /** buffering.maxRequestBodyBytes. */
  readonly maxRequestBodyBytes?: { readonly value: number; readonly loc: Loc };
  /** chain: the middlewares it runs, in order. */
  readonly chain?: readonly string[];
}

export interface TraefikMiddleware {
  readonly name: string;
  /** Where it is defined: compose labels, a file the file provider reads, a Kubernetes Middleware resource. */
  readonly provider: 'docker' | 'file' | 'kubernetescrd';
  readonly file: string;
  readonly loc: Loc;
  /** Its type as Traefik names it, lower-cased (redirectscheme, headers, buffering, chain, basicauth…). */
  readonly type: string;
  readonly options: readonly TraefikOption[];
  readonly does: MiddlewareEffects;
  /** The compose service whose labels define it. */
  readonly service?: string;
}

/** A value with where it is written. */
export interface TraefikText {
  readonly text: string;
  readonly loc: Loc;
}

/** A router as its provider's configuration writes it. */
export interface TraefikRouterConfig {
  readonly name: string;
  readonly provider: 'docker' | 'file';
  readonly file: string;
  /** Its rule, or its first option. */
  readonly loc: Loc;
  readonly rule?: TraefikText;
  /** The entry points it listens on; undefined: all of them. */
  readonly entryPoints?: { readonly names: readonly string[]; readonly loc: Loc };
  /** TLS: `tls=true`, a `tls.certresolver`, `tls.domains`…; undefined without. */
  readonly tls?: { readonly loc: Loc; readonly certResolver?: TraefikText };
  readonly middlewares: readonly TraefikText[];
  /** The service it sends requests to, when named. */
  readonly service?: TraefikText;
}

/** A service of a dynamic configuration: where it sends requests. */
export interface TraefikServiceConfig {
  readonly name: string;
  readonly loc: Loc;
  /** loadBalancer.servers[].url (file provider). */
  readonly urls: readonly TraefikText[];
  /** loadBalancer.server.port (labels: the container's port). */
  readonly port?: TraefikText;
}

/** The routers, middlewares and services of one dynamic configuration. */
export interface TraefikDynamic {
  readonly routers: readonly TraefikRouterConfig[];
  readonly middlewares: readonly TraefikMiddleware[];
  readonly services: readonly TraefikServiceConfig[];
}

// ---- options from each source -------------------------------------------------------------------

/** The options of a YAML document (a list of scalars is one option, its items joined by commas). */
export function yamlOptions(n: YamlNode | undefined): TraefikOption[] {
  const out: TraefikOption[] = [];
  const walk = (x: YamlNode | undefined, path: string[], at: Loc | undefined): void => {
    const written = path.join('.');
    if (x === undefined || (x.kind === 'map' && x.entries.length === 0)) {
      if (at && path.length > 0) out.push({ key: written.toLowerCase(), written, value: '', loc: x?.loc ?? at });
      return;
    }
    if (x.kind === 'scalar') out.push({ key: written.toLowerCase(), written, value: x.value, loc: x.loc });
    else if (x.kind === 'map') for (const e of x.entries) walk(e.value, [...path, e.key.value], e.key.loc);
    else if (x.items.every((i) => i.kind === 'scalar'))
      out.push({
        key: written.toLowerCase(),
        written,
        value: x.items.map((i) => (i.kind === 'scalar' ? i.value : '')).join(','),
        loc: x.loc,
      });
    else x.items.forEach((i, k) => walk(i, [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${k}]`], i.loc));
  };
  walk(n, [], undefined);
  return out;
}

/** The options of a TOML text (each placed on the line of its key); undefined when it does not parse. */
export function tomlOptions(file: string, text: string): TraefikOption[] | undefined {
  let doc: unknown;
  try {
    doc = toml.parse(text);
  } catch {
    return undefined;
  }
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const out: TraefikOption[] = [];
  const lineLoc = (keys: readonly string[]): Loc => {
    const line = tomlKeyLine(text, keys);
    const start = starts[line - 1] ?? 0;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    return { file, start, end };
  };
  const walk = (v: unknown, path: string[]): void => {
    const written = path.join('.');
    if (Array.isArray(v)) {
      if (v.every((i) => typeof i !== 'object' || i === null))
        out.push({ key: written.toLowerCase(), written, value: v.map(String).join(','), loc: lineLoc(path) });
      else v.forEach((i, k) => walk(i, [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${k}]`]));
      return;
    }
    if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0 && path.length > 0) out.push({ key: written.toLowerCase(), written, value: '', loc: lineLoc(path) });
      for (const [k, x] of entries) walk(x, [...path, k]);
      return;
    }
    out.push({ key: written.toLowerCase(), written, value: String(v), loc: lineLoc(path) });
  };
  walk(doc, []);
  return out;
}

/** The options of a configuration file (YAML or TOML by its name). */
export function fileOptions(file: string, text: string): TraefikOption[] | undefined {
  if (/\.toml$/i.test(file)) return tomlOptions(file, text);
  const docs = parseYamlDocuments(file, text).documents;
  return docs.some((d) => d !== undefined) ? docs.flatMap((d) => yamlOptions(d)) : undefined;
}

/**
 * The options of a command line's `--key=value` flags (a flag alone is `true`); `words` are the
 * command's words with their places. A flag that takes a value (catalogue TRAEFIK_VALUE_FLAGS:
 * `--log.level DEBUG`) written without `=` takes the next word, placed there. Other words are left out.
 */
export function flagOptions(words: readonly TraefikText[]): TraefikOption[] {
  const out: TraefikOption[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.text.startsWith('--')) continue;
    const eq = w.text.indexOf('=');
    const written = w.text.slice(2, eq < 0 ? undefined : eq);
    if (written === '') continue;
    const key = written.toLowerCase();
    const next = words[i + 1];
    if (eq < 0 && next && TRAEFIK_VALUE_FLAGS.value.includes(key)) {
      out.push({ key, written, value: next.text, loc: next.loc });
      i++;
      continue;
    }
    out.push({ key, written, value: eq < 0 ? 'true' : w.text.slice(eq + 1), loc: w.loc });
  }
  return out;
}

/** The options of TRAEFIK_* environment variables (`TRAEFIK_ENTRYPOINTS_WEB_ADDRESS` → entrypoints.web.address). */
export function envOptions(env: readonly { readonly name: string; readonly value: string; readonly loc: Loc }[]): TraefikOption[] {
  return env
    .filter((e) => /^TRAEFIK_[A-Z0-9_]+$/i.test(e.name))
    .map((e) => {
      // (Traefik reads the names of the variables in lower case: TRAEFIK_ENTRYPOINTS_WEB_… is the entry point web)
      const written = e.name.slice('TRAEFIK_'.length).split('_').join('.').toLowerCase();
      return { key: written, written, value: e.value, loc: e.loc };
    });
}

/** The options under `prefix` (lower-case, ending with a dot), their keys without it. */
export function under(options: readonly TraefikOption[], prefix: string): TraefikOption[] {
  const out: TraefikOption[] = [];
  for (const o of options)
    if (o.key.startsWith(prefix)) out.push({ ...o, key: o.key.slice(prefix.length), written: o.written.slice(prefix.length) });
  return out;
}

/** Options grouped by their first key segment (a name as written: the first spelling seen). */
function byName(options: readonly TraefikOption[]): Map<string, { name: string; options: TraefikOption[] }> {
  const out = new Map<string, { name: string; options: TraefikOption[] }>();
  for (const o of options) {
    const dot = o.key.indexOf('.');
    const k = dot < 0 ? o.key : o.key.slice(0, dot);
    const name = dot < 0 ? o.written : o.written.slice(0, dot);
    const rest: TraefikOption = { ...o, key: dot < 0 ? '' : o.key.slice(dot + 1), written: dot < 0 ? '' : o.written.slice(dot + 1) };
    const g = out.get(k);
    if (g) g.options.push(rest);
    else out.set(k, { name, options: [rest] });
  }
  return out;
}

function isTrue(v: string): boolean {
  return v.trim().toLowerCase() === 'true';
}

function list(v: string): string[] {
  return v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

// ---- middlewares --------------------------------------------------------------------------------

const HEADER_SWITCHES: Readonly<Record<string, readonly [string, string]>> = {
  framedeny: ['X-Frame-Options', 'DENY'],
  contenttypenosniff: ['X-Content-Type-Options', 'nosniff'],
  browserxssfilter: ['X-XSS-Protection', '1; mode=block'],
};
const HEADER_VALUES: Readonly<Record<string, string>> = {
  customframeoptionsvalue: 'X-Frame-Options',
  contentsecuritypolicy: 'Content-Security-Policy',
  referrerpolicy: 'Referrer-Policy',
  permissionspolicy: 'Permissions-Policy',
  featurepolicy: 'Feature-Policy',
};

/** What a middleware of `type` with `options` (keys below the type) does. */
export function middlewareEffects(type: string, options: readonly TraefikOption[]): MiddlewareEffects {
  const get = (k: string): TraefikOption | undefined => options.find((o) => o.key === k);
  const responseHeaders: { name: string; value: string; loc: Loc }[] = [];
  const requestHeaders: { name: string; value: string; loc: Loc }[] = [];
  const sslProxyHeaders: { name: string; value: string; loc: Loc }[] = [];
  let effects: {
    -readonly [K in keyof MiddlewareEffects]?: MiddlewareEffects[K];
  } = {};
  if (type === 'redirectscheme') {
    const scheme = get('scheme');
    const permanent = get('permanent');
    if (scheme)
      effects.redirectScheme = { scheme: scheme.value, ...(permanent ? { permanent: isTrue(permanent.value) } : {}), loc: scheme.loc };
  } else if (type === 'headers') {
    const sts = get('stsseconds');
    const inc = get('stsincludesubdomains');
    const pre = get('stspreload');
    const force = get('forcestsheader');
    const seconds = sts && /^\d{1,12}$/.test(sts.value.trim()) ? Number(sts.value.trim()) : undefined;
    if (sts || inc || pre)
      effects.hsts = {
        ...(seconds !== undefined ? { seconds } : {}),
        ...(inc ? { includeSubdomains: isTrue(inc.value) } : {}),
        ...(pre ? { preload: isTrue(pre.value) } : {}),
        ...(force ? { force: isTrue(force.value) } : {}),
        loc: (sts ?? inc ?? pre)!.loc,
      };
    for (const o of options) {
      const sw = HEADER_SWITCHES[o.key];
      if (sw && isTrue(o.value)) responseHeaders.push({ name: sw[0], value: sw[1], loc: o.loc });
      const named = HEADER_VALUES[o.key];
      if (named) responseHeaders.push({ name: named, value: o.value, loc: o.loc });
      for (const [prefix, into] of [
        ['customresponseheaders.', responseHeaders],
        ['customrequestheaders.', requestHeaders],
        ['sslproxyheaders.', sslProxyHeaders],
      ] as const)
        if (o.key.startsWith(prefix)) into.push({ name: o.written.slice(prefix.length), value: o.value, loc: o.loc });
    }
    const ssl = get('sslredirect');
    if (ssl && isTrue(ssl.value)) effects.sslRedirect = ssl.loc;
  } else if (type === 'buffering') {
    const max = get('maxrequestbodybytes');
    if (max && /^\d{1,15}$/.test(max.value.trim())) effects.maxRequestBodyBytes = { value: Number(max.value.trim()), loc: max.loc };
  } else if (type === 'chain') {
    const m = get('middlewares');
    if (m) effects.chain = list(m.value);
  }
  effects = { ...effects, responseHeaders, requestHeaders, sslProxyHeaders };
  return effects as MiddlewareEffects;
}

// ---- dynamic configuration ----------------------------------------------------------------------

/**
 * The routers, middlewares and services of a dynamic configuration's options: a compose service's
 * labels (the `traefik.` prefix taken off) or a file's options. `service`: the compose service the
 * labels are on.
 */
export function readDynamic(
  options: readonly TraefikOption[],
  provider: 'docker' | 'file',
  file: string,
  service?: string,
): TraefikDynamic {
  const routers: TraefikRouterConfig[] = [];
  for (const { name, options: ro } of byName(under(options, 'http.routers.')).values()) {
    const get = (k: string): TraefikOption | undefined => ro.find((o) => o.key === k);
    const rule = get('rule');
    const eps = get('entrypoints');
    const mws = get('middlewares');
    const svc = get('service');
    const tlsFlag = get('tls');
    const resolver = get('tls.certresolver');
    const tlsAny = ro.find((o) => o.key.startsWith('tls.'));
    const tls =
      (tlsFlag && tlsFlag.value.trim().toLowerCase() !== 'false') || tlsAny
        ? { loc: (tlsFlag ?? tlsAny)!.loc, ...(resolver ? { certResolver: { text: resolver.value, loc: resolver.loc } } : {}) }
        : undefined;
    routers.push({
      name,
      provider,
      file,
      loc: (rule ?? ro[0]!).loc,
      ...(rule ? { rule: { text: rule.value, loc: rule.loc } } : {}),
      ...(eps ? { entryPoints: { names: list(eps.value), loc: eps.loc } } : {}),
      ...(tls ? { tls } : {}),
      middlewares: mws ? list(mws.value).map((m) => ({ text: m, loc: mws.loc })) : [],
      ...(svc ? { service: { text: svc.value, loc: svc.loc } } : {}),
    });
  }
  const middlewares: TraefikMiddleware[] = [];
  for (const { name, options: mo } of byName(under(options, 'http.middlewares.')).values()) {
    const types = byName(mo);
    for (const [type, { options: to }] of types)
      middlewares.push({
        name,
        provider,
        file,
        loc: (to[0] ?? mo[0]!).loc,
        type,
        options: to,
        does: middlewareEffects(type, to),
        ...(service ? { service } : {}),
      });
  }
  const services: TraefikServiceConfig[] = [];
  for (const { name, options: so } of byName(under(options, 'http.services.')).values()) {
    const urls = so.filter((o) => /^loadbalancer\.servers\[\d+\]\.url$/.test(o.key)).map((o) => ({ text: o.value, loc: o.loc }));
    const port = so.find((o) => o.key === 'loadbalancer.server.port');
    services.push({ name, loc: so[0]!.loc, urls, ...(port ? { port: { text: port.value, loc: port.loc } } : {}) });
  }
  return { routers, middlewares, services };
}

/** A compose service's Traefik labels as options (`traefik.` taken off); `traefik.enable` among them as `enable`. */
export function labelOptions(labels: readonly { readonly key: string; readonly value: string; readonly valueLoc: Loc }[]): TraefikOption[] {
  return labels
    .filter((l) => l.key.toLowerCase().startsWith('traefik.'))
    .map((l) => {
      const written = l.key.slice('traefik.'.length);
      return { key: written.toLowerCase(), written, value: l.value, loc: l.valueLoc };
    });
}

// ---- static configuration -----------------------------------------------------------------------

/** An entry point of the static configuration. */
export interface TraefikEntryPoint {
  readonly name: string;
  readonly address?: TraefikText;
  /** http.redirections.entryPoint.to (Traefik 1: redirect.entryPoint): every request redirected to that entry point. */
  readonly redirectTo?: TraefikText;
  /** http.redirections.entryPoint.scheme (https unless said). */
  readonly redirectScheme?: TraefikText;
  /** http.tls (with its certResolver): TLS for every router of the entry point. */
  readonly tls?: { readonly loc: Loc; readonly certResolver?: TraefikText };
  /** http.middlewares: applied to every router of the entry point. */
  readonly middlewares: readonly TraefikText[];
  /** forwardedHeaders.trustedIPs: the addresses whose X-Forwarded-* it keeps. */
  readonly trustedIPs?: TraefikText;
  /** forwardedHeaders.insecure: it keeps every client's X-Forwarded-*. */
  readonly insecureForwardedHeaders?: TraefikText;
  readonly loc: Loc;
}

/** A static configuration of Traefik. */
export interface TraefikStatic {
  /** Where it is read from. */
  readonly from: 'file' | 'flags' | 'env';
  /** The file it is in (the configuration file, or the compose file of the flags or variables). */
  readonly file: string;
  readonly entryPoints: readonly TraefikEntryPoint[];
  /** accessLog: where it is turned on; undefined when it is not (Traefik keeps no access log by default). */
  readonly accessLog?: Loc;
  /** providers.docker (or swarm) is on: where. */
  readonly docker?: Loc;
  /** providers.docker.exposedByDefault (true unless set to false). */
  readonly exposedByDefault?: TraefikText;
  /** providers.file: the file or folder it reads, as written (a path in Traefik's container). */
  readonly fileProvider?: { readonly filename?: TraefikText; readonly directory?: TraefikText };
  /** `--configFile` (flags): the file Traefik reads instead of the flags. */
  readonly configFile?: TraefikText;
  /** log.level (Traefik v1: logLevel) as written, placed at its value (a TOML file: the key's line); undefined: ERROR, Traefik's default. */
  readonly logLevel?: TraefikText;
}

export function readStatic(options: readonly TraefikOption[], from: TraefikStatic['from'], file: string): TraefikStatic {
  const get = (k: string): TraefikOption | undefined => options.find((o) => o.key === k);
  const entryPoints: TraefikEntryPoint[] = [];
  for (const { name, options: eo } of byName(under(options, 'entrypoints.')).values()) {
    const g = (k: string): TraefikOption | undefined => eo.find((o) => o.key === k);
    const t = (o: TraefikOption | undefined): TraefikText | undefined => (o ? { text: o.value, loc: o.loc } : undefined);
    const to = g('http.redirections.entrypoint.to') ?? g('redirect.entrypoint');
    const scheme = g('http.redirections.entrypoint.scheme');
    const tlsFlag = g('http.tls');
    const tlsAny = eo.find((o) => o.key.startsWith('http.tls.'));
    const resolver = g('http.tls.certresolver');
    const tls =
      (tlsFlag && tlsFlag.value.trim().toLowerCase() !== 'false') || tlsAny
        ? { loc: (tlsFlag ?? tlsAny)!.loc, ...(resolver ? { certResolver: t(resolver)! } : {}) }
        : undefined;
    const mws = g('http.middlewares');
    const trusted = g('forwardedheaders.trustedips');
    const insecure = g('forwardedheaders.insecure');
    const address = g('address');
    entryPoints.push({
      name,
      ...(address ? { address: t(address)! } : {}),
      ...(to ? { redirectTo: t(to)! } : {}),
      ...(scheme ? { redirectScheme: t(scheme)! } : {}),
      ...(tls ? { tls } : {}),
      middlewares: mws ? list(mws.value).map((m) => ({ text: m, loc: mws.loc })) : [],
      ...(trusted ? { trustedIPs: t(trusted)! } : {}),
      ...(insecure ? { insecureForwardedHeaders: t(insecure)! } : {}),
      loc: eo[0]!.loc,
    });
  }
  const accessLog = options.find((o) => o.key === 'accesslog' || o.key.startsWith('accesslog.'));
  const accessOn = accessLog && !(accessLog.key === 'accesslog' && accessLog.value.trim().toLowerCase() === 'false');
  const docker = options.find(
    (o) =>
      (o.key === 'providers.docker' ||
        o.key.startsWith('providers.docker.') ||
        o.key === 'providers.swarm' ||
        o.key.startsWith('providers.swarm.')) &&
      !(o.key.endsWith('docker') && o.value.trim().toLowerCase() === 'false'),
  );
  const exposed = get('providers.docker.exposedbydefault') ?? get('providers.swarm.exposedbydefault');
  const filename = get('providers.file.filename');
  const directory = get('providers.file.directory');
  const configFile = get('configfile');
  const logLevel = get('log.level') ?? get(TRAEFIK_V1_LOG_LEVEL.value);
  return {
    from,
    file,
    entryPoints,
    ...(accessOn ? { accessLog: accessLog.loc } : {}),
    ...(docker ? { docker: docker.loc } : {}),
    ...(exposed ? { exposedByDefault: { text: exposed.value, loc: exposed.loc } } : {}),
    ...(filename || directory
      ? {
          fileProvider: {
            ...(filename ? { filename: { text: filename.value, loc: filename.loc } } : {}),
            ...(directory ? { directory: { text: directory.value, loc: directory.loc } } : {}),
          },
        }
      : {}),
    ...(configFile ? { configFile: { text: configFile.value, loc: configFile.loc } } : {}),
    ...(logLevel ? { logLevel: { text: logLevel.value, loc: logLevel.loc } } : {}),
  };
}

/** Whether a file's options are a static configuration (entry points, providers, an access log). */
export function isStaticConfig(options: readonly TraefikOption[]): boolean {
  return options.some((o) => o.key.startsWith('entrypoints.') || o.key.startsWith('providers.') || o.key.startsWith('accesslog'));
}

/** Whether a file's options hold a dynamic configuration (routers, middlewares or services). */
export function isDynamicConfig(options: readonly TraefikOption[]): boolean {
  return options.some(
    (o) => o.key.startsWith('http.routers.') || o.key.startsWith('http.middlewares.') || o.key.startsWith('http.services.'),
  );
}
