// Where an app server listens, read from its own configuration or command line (a unix socket path,
// a host and port), and whether a proxy's target reaches it. The request-path model ties a proxy to
// the process it fronts with these (models/requestPath/fronts.ts); the project model ties a proxy
// configuration elsewhere in the repository to the process that starts the project (models/project).
import * as path from 'node:path';
import type { ProxyTarget } from '../proxy/configs';
import type { UwsgiConfig } from '../workload';
import { uwsgiBinds } from './appConfigs';
import type { Invocation } from './recognised';

export type Bind =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export interface Binds {
  readonly binds: readonly Bind[];
  readonly text: string;
}

export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ANY = new Set(['0.0.0.0', '::', '[::]', '', '*']);

/** gunicorn's reading of one bind address; undefined for what is not judged (fd://, odd forms). */
export function parseBind(text: string): Bind | undefined {
  const a = text.trim();
  if (a.startsWith('unix:')) return { kind: 'unix', path: a.slice(5) };
  if (a.startsWith('fd://')) return undefined;
  const t = a.replace(/^tcp:\/\//, '');
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 0) return undefined;
    const rest = t.slice(close + 1);
    const port = rest === '' ? 8000 : /^:\d{1,5}$/.test(rest) ? Number(rest.slice(1)) : Number.NaN;
    return Number.isNaN(port) ? undefined : { kind: 'tcp', host: t.slice(0, close + 1), port };
  }
  const colon = t.lastIndexOf(':');
  if (colon < 0) return /^[\w.-]+$/.test(t) ? { kind: 'tcp', host: t.toLowerCase(), port: 8000 } : undefined;
  const port = t.slice(colon + 1);
  if (!/^\d{1,5}$/.test(port)) return undefined;
  return { kind: 'tcp', host: t.slice(0, colon).toLowerCase(), port: Number(port) };
}

/** Whether a connection to `t` reaches a socket bound as `b` (`inContainer`: from another container). */
export function reaches(t: ProxyTarget, b: Bind, inContainer: boolean): boolean {
  // (`unix:///run/app.sock` is the path /run/app.sock)
  if (t.kind === 'unix' || b.kind === 'unix')
    return t.kind === 'unix' && b.kind === 'unix' && path.posix.normalize(t.path) === path.posix.normalize(b.path);
  if (t.port !== b.port) return false;
  if (ANY.has(b.host)) return true;
  if (inContainer) return false;
  return LOOPBACK.has(b.host) ? LOOPBACK.has(t.host) : b.host === t.host;
}

/**
 * Where a uWSGI instance listens, from its configuration's socket options (uwsgiBinds): a path is a
 * unix socket, `host:port` a TCP one, `:port` every interface; undefined when an address is not
 * known (a placeholder, a template's value) or it sets none.
 */
export function uwsgiListens(c: UwsgiConfig): Binds | undefined {
  if (c.opaque) return undefined;
  const options = uwsgiBinds(c);
  if (options.length === 0) return undefined;
  const binds: Bind[] = [];
  for (const o of options) {
    const a = o.value.text.trim();
    if (o.value.dynamic || o.when || a === '' || /[$%@]\(/.test(a)) return undefined;
    if (!a.includes(':')) binds.push({ kind: 'unix', path: a });
    else {
      const b = parseBind(a.startsWith(':') ? `0.0.0.0${a}` : a);
      if (!b) return undefined;
      binds.push(b);
    }
  }
  return { binds, text: options.map((o) => o.value.text).join(', ') };
}

/**
 * Where a command line's server listens from its own flags: gunicorn's `-b`/`--bind` (undefined when
 * it has none: a config module may set it), hypercorn's `--bind`, uvicorn's and daphne's `--uds` or
 * `--host`/`--port` (each server's default when they set none), uWSGI's socket options. Undefined when
 * a value is only known at run time or the server is another.
 */
export function commandLineListens(inv: Invocation): Binds | undefined {
  const value = (...keys: string[]): string | null | undefined => {
    const o = inv.options.find((x) => x.key !== undefined && keys.includes(x.key));
    if (!o) return null;
    return o.value && !o.value.dynamic ? o.value.text : undefined;
  };
  if (inv.server === 'gunicorn') {
    const written = inv.options.filter((o) => o.key === 'bind');
    if (written.length === 0 || written.some((o) => !o.value || o.value.dynamic)) return undefined;
    const binds: Bind[] = [];
    for (const o of written)
      for (const part of o.value!.text.split(',')) {
        const b = parseBind(part);
        if (!b) return undefined;
        binds.push(b);
      }
    return { binds, text: written.map((o) => o.value!.text).join(', ') };
  }
  if (inv.server === 'uwsgi') return inv.uwsgi ? uwsgiListens({ file: inv.program.loc.file, ...inv.uwsgi }) : undefined;
  if (inv.server === 'hypercorn') {
    const b = value('--bind', '-b');
    if (b === undefined) return undefined;
    const bind = parseBind(b ?? '127.0.0.1:8000');
    return bind ? { binds: [bind], text: b ?? "127.0.0.1:8000 (hypercorn's default)" } : undefined;
  }
  if (inv.server !== 'uvicorn' && inv.server !== 'daphne') return undefined;
  const uds = value('--uds', '--unix-socket', '-u');
  if (uds === undefined) return undefined;
  if (uds) return { binds: [{ kind: 'unix', path: uds }], text: `unix:${uds}` };
  const host = value('--host', '--bind', '-b');
  const port = value('--port', '-p');
  if (host === undefined || port === undefined || (port !== null && !/^\d{1,5}$/.test(port))) return undefined;
  const text = `${host ?? '127.0.0.1'}:${port ?? 8000}`;
  return { binds: [{ kind: 'tcp', host: (host ?? '127.0.0.1').toLowerCase(), port: port ? Number(port) : 8000 }], text };
}
