// What the reverse proxy rules share: the places nginx hands requests to the app, and the edits
// that add a directive where nginx's inheritance makes it take effect.
import type { Loc } from '../../eval/values';
import type { NginxDirective } from '../../proxy/nginx';
import {
  allLocations,
  lookup,
  proxyPassOf,
  type NginxConfig,
  type NginxLocation,
  type NginxServer,
  type ProxyModel,
  type Scope,
} from '../../proxy/model';
import type { Fix, RuleContextBase } from '../types';

export interface Proxied {
  readonly config: NginxConfig;
  readonly server: NginxServer;
  readonly location: NginxLocation;
  readonly proxyPass: NginxDirective;
}

export function proxyModel(ctx: RuleContextBase): ProxyModel {
  return ctx.appServer.processes.proxy;
}

/** Every location that hands requests to an app with proxy_pass. */
export function proxiedLocations(ctx: RuleContextBase): Proxied[] {
  const out: Proxied[] = [];
  for (const config of proxyModel(ctx).nginx)
    for (const server of config.servers)
      for (const location of allLocations(server)) {
        const proxyPass = proxyPassOf(location.scope);
        if (proxyPass) out.push({ config, server, location, proxyPass });
      }
  return out;
}

/** The rule does not apply: no nginx configuration proxies to an app. */
export function noProxy(ctx: RuleContextBase, proxied: readonly Proxied[]): boolean {
  if (proxied.length > 0) return false;
  ctx.notApplicable(
    proxyModel(ctx).nginx.length === 0
      ? 'no nginx configuration was found in the project'
      : 'no nginx location proxies to the app (proxy_pass)',
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
  const rel = ctx.project.root && server.file.startsWith(ctx.project.root) ? server.file.slice(ctx.project.root.length + 1) : server.file;
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
  if (arg.includes('$')) return undefined;
  const m = /^https?:\/\/([^/]*)/.exec(arg);
  if (!m) return undefined;
  return m[1]!.startsWith('unix:') ? 'localhost' : m[1]!.toLowerCase();
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

/** The rule does not apply: the project has no nginx configuration. */
export function noNginx(ctx: RuleContextBase): boolean {
  if (proxyModel(ctx).nginx.length > 0) return false;
  ctx.notApplicable('no nginx configuration was found in the project');
  return true;
}
