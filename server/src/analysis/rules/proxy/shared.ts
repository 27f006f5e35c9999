// What the reverse proxy rules share: the places nginx hands requests to the app, and the edits
// that add a directive where nginx's inheritance makes it take effect.
import { shownPath } from '../../base/relPath';
import { lineIndexAt } from '../../base/lines';
import type { Loc } from '../../eval/values';
import type { NginxDirective } from '../../readers/proxy/nginx';
import { walkCaddy } from '../../readers/proxy/caddy';
import {
  allLocations,
  appPassOf,
  locationFor,
  lookup,
  passUrl,
  proxyHeader,
  servesTls,
  type NginxConfig,
  type NginxLocation,
  type NginxServer,
  type ProxyModel,
  type Scope,
} from '../../readers/proxy/configs';
import { listHolds, hasValue } from '../../models/settings/query';
import * as V from '../../eval/values';
import { proxyTies, type ProxyTies, type Tie } from '../../models/requestPath/fronts';
import type { Fix, RuleContextBase, SettingsRuleContext } from '../types';
import { PerAnalysis } from '../../base/perAnalysis';
import { HOPS } from '../../catalogue/hops';

export interface Proxied {
  readonly config: NginxConfig;
  readonly server: NginxServer;
  readonly location: NginxLocation;
  readonly proxyPass: NginxDirective;
  /** Why this location is taken to front the project's app. */
  readonly tie: Tie;
}

/** The locations that front the project's app, and why the others were left out (none: every one does). */
export type ProxiedList = Proxied[] & { untied?: { readonly unknown: boolean; readonly reason: string } };

/** Whether ALLOWED_HOSTS names a host explicitly ('*' names none); undefined without settings or when it cannot be read. */
function namedHost(ctx: RuleContextBase): ((host: string) => boolean | undefined) | undefined {
  const settings = (ctx as Partial<SettingsRuleContext>).settings;
  if (!settings) return undefined;
  const q = settings.query('ALLOWED_HOSTS');
  if (!hasValue(q) || !V.isSeq(q.value)) return undefined;
  const hosts = q.value;
  return (host) => {
    const domain = domainOf(host);
    return domain ? listHolds(hosts, (i) => (i.kind === 'str' ? i.v !== '*' && allows(i.v, domain) : undefined)) : false;
  };
}

/** The ties computed for an app-server model, by the settings they read ALLOWED_HOSTS from (the rules of one analysis share them). */
const tieCache = new PerAnalysis<object, WeakMap<object, ProxyTies>>();
const NO_SETTINGS = {};

/** Which app each proxy location and site fronts (models/requestPath/fronts.ts), for this rule's project and settings. */
export function tiesOf(ctx: RuleContextBase): ProxyTies {
  const key = (ctx as Partial<SettingsRuleContext>).settings ?? NO_SETTINGS;
  let bySettings = tieCache.get(ctx.appServer);
  if (!bySettings) tieCache.set(ctx.appServer, (bySettings = new WeakMap()));
  let ties = bySettings.get(key);
  if (!ties) {
    ties = proxyTies({ project: ctx.project, appServer: ctx.appServer, named: namedHost(ctx), serverLabel: (s) => serverLabel(ctx, s) });
    bySettings.set(key, ties);
  }
  return ties;
}

export function proxyModel(ctx: RuleContextBase): ProxyModel {
  return ctx.appServer.processes.proxy;
}

/**
 * Every nginx location that hands requests to the project's app with proxy_pass: the ones tied to
 * it (models/requestPath/fronts.ts). A location fronting another app, or one whose tie cannot be told, is left
 * out; `untied` says why when that leaves none.
 */
export function proxiedLocations(ctx: RuleContextBase): ProxiedList {
  const out: ProxiedList = [];
  let other: string | undefined;
  let unknown: string | undefined;
  for (const { use, tie } of tiesOf(ctx).uses) {
    // (a uwsgi_pass speaks uWSGI's protocol: the proxy_* directives these rules read do not apply to it)
    if (!use.nginx || use.nginx.proxyPass.name !== 'proxy_pass') continue;
    if (tie.state === 'app') out.push({ ...use.nginx, tie });
    else if (tie.state === 'other') other ??= `${use.label}: ${tie.why}`;
    else unknown ??= `${use.label}: ${tie.why}`;
  }
  if (out.length === 0 && (other || unknown))
    out.untied = unknown
      ? { unknown: true, reason: `which app the nginx configuration fronts cannot be told (${unknown})` }
      : { unknown: false, reason: `no nginx location proxies to this project's app (${other})` };
  return out;
}

/** The rule does not apply: no nginx configuration proxies to the app (or it cannot be told which does: unknown). */
export function noProxy(ctx: RuleContextBase, proxied: ProxiedList): boolean {
  if (proxied.length > 0) return false;
  if (proxied.untied?.unknown) {
    ctx.unknown(proxied.untied.reason);
    return true;
  }
  ctx.notApplicable(
    proxied.untied?.reason ??
      (proxyModel(ctx).nginx.length === 0
        ? 'no nginx configuration was found in the project'
        : 'no nginx location proxies to the app (proxy_pass)'),
  );
  return true;
}

/** The indentation of the line a directive starts on. */
function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

/** Where the line after a directive starts (the text's end on the last line). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Whether a directive is written on a line of its own (a comment may follow it). */
function ownLine(text: string, d: NginxDirective): boolean {
  const lineStart = text.lastIndexOf('\n', d.loc.start - 1) + 1;
  const after = text.slice(d.loc.end, nextLineStart(text, d.loc.end)).trim();
  return text.slice(lineStart, d.loc.start).trim() === '' && (after === '' || after.startsWith('#'));
}

/**
 * An edit adding `line` (a whole directive, `;` included) where it takes effect for `location`:
 * beside the `name` directives that take effect there (a block with one of them inherits none from
 * outside, so a new one goes with them), else just before proxy_pass. Undefined when the place is
 * not a line of its own, or the directives come from a stock file the model knows (proxy_params).
 */
export function addDirectiveFix(
  ctx: RuleContextBase,
  location: NginxLocation,
  proxyPass: NginxDirective,
  name: string,
  line: string,
  title: string,
): Fix | undefined {
  if (!ctx.wantsFixes) return undefined;
  const l = lookup(location.scope, name);
  if (l.state === 'unknown') return undefined;
  const anchor = l.state === 'set' ? l.directives[l.directives.length - 1]! : proxyPass;
  // a directive the model added for a stock include has the include's place: no edit there
  if (l.state === 'set' && l.directives.some((d) => d.stock !== undefined)) return undefined;
  const text = ctx.fileText(anchor.loc.file);
  if (text === undefined || !ownLine(text, anchor)) return undefined;
  const indent = indentOf(text, anchor.loc.start);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // after the last of the block's own, else on the line before proxy_pass
  const at = l.state === 'set' ? nextLineStart(text, anchor.loc.end) : text.lastIndexOf('\n', anchor.loc.start - 1) + 1;
  const newText = at === text.length && !text.endsWith('\n') ? `${eol}${indent}${line}${eol}` : `${indent}${line}${eol}`;
  return { title, safety: 'safe', preferred: true, edits: [{ file: anchor.loc.file, start: at, end: at, newText }] };
}

/** The scope of a location's server (for messages). */
export function serverLabel(ctx: RuleContextBase, server: NginxServer): string {
  const name = server.names[0]?.name;
  const rel = shownPath(ctx.project, server.file);
  return name ? `the server ${name} (${rel})` : `the server in ${rel}`;
}

/** nginx's sizes: 1m, 512k, 10M, 1g, or bytes. Undefined when it cannot be read. */
export function nginxSize(text: string): number | undefined {
  const m = /^(\d{1,12})([kKmMgG]?)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  return unit === 'k' ? n * 1024 : unit === 'm' ? n * 1024 * 1024 : unit === 'g' ? n * 1024 * 1024 * 1024 : n;
}

/** nginx's times in seconds: 60, 60s, 2m, 1m30s, 500ms, 1h. Undefined when it cannot be read. */
export function nginxSeconds(text: string): number | undefined {
  if (/^\d{1,9}$/.test(text)) return Number(text);
  let total = 0;
  let i = 0;
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  while (i < text.length) {
    let j = i;
    while (j < text.length && text[j]! >= '0' && text[j]! <= '9') j++;
    if (j === i || j - i > 9) return undefined;
    const n = Number(text.slice(i, j));
    const unit = text.startsWith('ms', j) ? 'ms' : text[j];
    if (unit === undefined || units[unit] === undefined) return undefined;
    total += n * units[unit];
    i = j + unit.length;
  }
  return i === 0 ? undefined : total;
}

/** The Host nginx sends by default ($proxy_host): proxy_pass's host and port, `localhost` for a unix socket. */
export function proxyHostOf(arg: string): string | undefined {
  const url = passUrl(arg);
  if (!url || url.host.includes('$')) return undefined;
  return url.host.startsWith('unix:') ? 'localhost' : url.host.toLowerCase();
}

/** What Django's get_host() checks: the domain of a Host header Django can parse, without its port. */
export function domainOf(host: string): string | undefined {
  const m = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::\d+)?$/.exec(host);
  if (!m) return undefined;
  return m[1]!.endsWith('.') ? m[1]!.slice(0, -1) : m[1]!;
}

/** django.http.request.validate_host for one pattern. */
export function allows(pattern: string, domain: string): boolean {
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('.')) return domain === p.slice(1) || domain.endsWith(p);
  return p === domain;
}

export type { Loc, Scope };

/** Every directive that takes part in a server of the project's nginx configurations (outer blocks, the server, its locations), once. */
export function serverDirectives(ctx: RuleContextBase): { directive: NginxDirective; server: NginxServer }[] {
  const out: { directive: NginxDirective; server: NginxServer }[] = [];
  const seen = new Set<string>();
  const add = (d: NginxDirective, server: NginxServer): void => {
    const key = `${d.loc.file}:${d.loc.start}:${d.name}`;
    if (d.stock !== undefined || seen.has(key)) return;
    seen.add(key);
    out.push({ directive: d, server });
  };
  for (const config of proxyModel(ctx).nginx)
    for (const server of config.servers) {
      for (let s: Scope | undefined = server.scope; s; s = s.parent) for (const d of s.directives) add(d, server);
      for (const l of allLocations(server)) for (const d of l.scope.directives) add(d, server);
    }
  return out;
}

/** 'HTTP_X_FORWARDED_PROTO' → 'X-Forwarded-Proto' (the header the proxy must send). */
export function headerOfMetaKey(key: string): string | undefined {
  if (!key.startsWith('HTTP_') || key.length <= 5) return undefined;
  return key
    .slice(5)
    .split('_')
    .map((w) => (w ? w[0]! + w.slice(1).toLowerCase() : w))
    .join('-');
}

/** The rule does not apply: the project has no nginx configuration. */
export function noNginx(ctx: RuleContextBase): boolean {
  if (proxyModel(ctx).nginx.length > 0) return false;
  ctx.notApplicable('no nginx configuration was found in the project');
  return true;
}

export { takesHeader } from '../../models/requestPath/scheme';

/**
 * Whether an nginx server that ends TLS in front of the app proxies to it without the header the
 * production SECURE_PROXY_SSL_HEADER reads: there, turning SECURE_SSL_REDIRECT on redirects every
 * request again and again (DDX101), so no quick fix may turn it on.
 */
export function tlsProxyOmitsSchemeHeader(ctx: SettingsRuleContext): boolean {
  const q = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
  if (!hasValue(q) || !V.isSeq(q.value)) return false;
  const k = q.value.items[0];
  const name = k?.kind === 'str' ? headerOfMetaKey(k.v) : undefined;
  if (!name) return false;
  return proxiedLocations(ctx).some((p) => servesTls(p.server) && proxyHeader(p.location.scope, name).state === 'absent');
}

/**
 * How long nginx waits for the app in a location (`proxy_read_timeout`, its own or inherited; nginx's
 * documented default when unset, catalogue/hops.ts): the seconds with the directive that sets them,
 * or why it cannot be told.
 */
export function readTimeoutOf(
  scope: Scope,
): { readonly seconds: number; readonly directive?: NginxDirective } | { readonly unknown: string } {
  const l = lookup(scope, 'proxy_read_timeout');
  if (l.state === 'unknown') return { unknown: l.reason };
  const d = l.state === 'set' ? l.directives[l.directives.length - 1]! : undefined;
  const fallback = HOPS.nginx.readTimeout.value;
  const seconds = d ? nginxSeconds(d.args[0]?.text ?? '') : typeof fallback === 'number' ? fallback : undefined;
  if (seconds === undefined) return { unknown: `proxy_read_timeout ${d?.args[0]?.text ?? ''} cannot be read` };
  return d ? { seconds, directive: d } : { seconds };
}

/** A URL setting as the path nginx sees ('static/' is served under '/static/'); undefined for a full URL or no string. */
export function urlPath(v: { kind: string; v?: unknown }): string | undefined {
  if (v.kind !== 'str' || typeof v.v !== 'string' || v.v === '' || v.v.includes('://') || v.v.startsWith('//')) return undefined;
  const p = v.v.startsWith('/') ? v.v : `/${v.v}`;
  return p.endsWith('/') ? p : `${p}/`;
}

/**
 * Whether the nginx servers in front of the project's app (or, when none is tied to it, those whose tie
 * cannot be told) answer STATIC_URL themselves: in each, the
 * location nginx chooses for a file under it hands nothing to an app (it serves from disk: alias,
 * root), so the app — WhiteNoise included — never sees a static request. `where` names the first, and
 * `expires` is its expires directive as written, when it has one.
 */
/**
 * Whether the Caddy site in front of the app answers STATIC_URL from disk: a `handle_path`,
 * `handle` or `route` block for its path (`/static/*`) with a `file_server` and no `reverse_proxy`.
 * `expires`: a `header Cache-Control …` it sets there (Caddy's file_server sends none of its own,
 * only Last-Modified and ETag: caddyserver.com/docs/caddyfile/directives/file_server).
 */
function caddyServesStatic(
  ctx: SettingsRuleContext,
):
  | { readonly state: 'yes'; readonly where: string; readonly expires?: string }
  | { readonly state: 'no' }
  | { readonly state: 'unknown'; readonly why: string } {
  const sites = [...new Set(tiesOf(ctx).uses.flatMap(({ use, tie }) => (use.caddy && tie.state === 'app' ? [use.caddy.site] : [])))];
  if (sites.length === 0) return { state: 'no' };
  const url = ctx.settings.query('STATIC_URL');
  const at = hasValue(url) ? urlPath(url.value) : undefined;
  if (!at)
    return url.state === 'supplied' || url.state === 'unknown' ? { state: 'unknown', why: 'STATIC_URL is not known' } : { state: 'no' };
  const prefix = at.endsWith('/') ? at : `${at}/`;
  for (const site of sites) {
    if (site.opaque) return { state: 'unknown', why: site.opaque };
    for (const d of site.directives) {
      if (!['handle_path', 'handle', 'route'].includes(d.name) || !d.block) continue;
      const matcher = d.args[0]?.text;
      if (matcher !== `${prefix}*` && matcher !== prefix.slice(0, -1) + '*') continue;
      const inner = [...walkCaddy(d.block)];
      if (!inner.some((x) => x.name === 'file_server') || inner.some((x) => x.name === 'reverse_proxy')) continue;
      const cache = inner.find((x) => x.name === 'header' && x.args.some((a) => a.text.toLowerCase() === 'cache-control'));
      const expires = cache
        ? cache.args
            .slice(cache.args.findIndex((a) => a.text.toLowerCase() === 'cache-control') + 1)
            .map((a) => a.text)
            .join(' ')
        : undefined;
      const line = lineIndexAt(ctx.fileText(site.file) ?? '', d.nameLoc.start) + 1;
      return {
        state: 'yes',
        where: `the Caddy site of ${shownPath(ctx.project, site.file)}, ${d.name} ${matcher} (line ${line}),`,
        ...(expires ? { expires } : {}),
      };
    }
  }
  return { state: 'no' };
}

export function staticServedInFront(
  ctx: SettingsRuleContext,
):
  | { readonly state: 'yes'; readonly where: string; readonly expires?: string }
  | { readonly state: 'no' }
  | { readonly state: 'unknown'; readonly why: string } {
  const serversTied = (state: Tie['state']): NginxServer[] => [
    ...new Set(tiesOf(ctx).uses.flatMap(({ use, tie }) => (use.nginx && tie.state === state ? [use.nginx.server] : []))),
  ];
  // the servers tied to the app; else those whose tie cannot be told (an upstream named with `${PROJECT_NAME}`
  // placeholders), never one that fronts another app
  const tied = serversTied('app');
  const servers = tied.length > 0 ? tied : serversTied('unknown');
  if (servers.length === 0) return caddyServesStatic(ctx);
  const url = ctx.settings.query('STATIC_URL');
  const at = hasValue(url) ? urlPath(url.value) : undefined;
  if (!at)
    return url.state === 'supplied' || url.state === 'unknown' ? { state: 'unknown', why: 'STATIC_URL is not known' } : { state: 'no' };
  let where: string | undefined;
  let expires: string | undefined;
  for (const server of servers) {
    const choice = locationFor(server.locations, `${at}x`);
    if (choice.state === 'unknown') return { state: 'unknown', why: choice.reason };
    const l = choice.location;
    if (!l || appPassOf(l.scope)) return { state: 'no' };
    // a location of its own for the files (not the site's `/`), with no fallback to a named location
    // that hands what is not on disk to the app (`try_files $uri @app`)
    if (l.path === '/' || l.scope.directives.some((d) => d.name === 'try_files' && d.args.some((a) => a.text.startsWith('@'))))
      return { state: 'no' };
    if (!where) {
      where = `${serverLabel(ctx, server)}, location ${l.path},`;
      const e = lookup(l.scope, 'expires');
      if (e.state === 'set') expires = e.directives[0]!.args.map((a) => a.text).join(' ');
    }
  }
  return where ? { state: 'yes', where, ...(expires !== undefined ? { expires } : {}) } : { state: 'no' };
}
