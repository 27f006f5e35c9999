// DDX104: nginx proxies to an address gunicorn does not listen on (a TCP port while gunicorn binds
// a unix socket, another port, another socket path): every request is a 502.
import * as V from '../../eval/values';
import type { AppServerModel, GunicornRun } from '../../gunicorn/model';
import type { Loc } from '../../eval/values';
import { caddyProxies, proxyTargets, type ProxyTarget } from '../../proxy/model';
import type { Rule } from '../types';
import { proxiedLocations, serverLabel } from './shared';

type Bind = { readonly kind: 'unix'; readonly path: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ANY = new Set(['0.0.0.0', '::', '[::]', '', '*']);

/** gunicorn's reading of one bind address; undefined for what this rule does not judge (fd://, odd forms). */
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

/** The binds of a production run: known strings, gunicorn's default when it sets none, or undefined (unknown). */
function bindsOf(m: AppServerModel, r: GunicornRun): { binds: Bind[]; text: string } | undefined {
  if (r.opaque) return undefined;
  const o = r.settings.get('bind');
  if (!o) {
    // gunicorn's default, unless the platform sets PORT (a container or a Procfile process)
    if (r.invocation ? r.invocation.source.containerized : m.processes.containerized) return undefined;
    return { binds: [{ kind: 'tcp', host: '127.0.0.1', port: 8000 }], text: "127.0.0.1:8000 (gunicorn's default)" };
  }
  const items = V.isSeq(o.value) ? o.value.items : [o.value];
  const binds: Bind[] = [];
  for (const i of items) {
    if (i.kind !== 'str') return undefined;
    for (const part of i.v.split(',')) {
      const b = parseBind(part);
      if (!b) return undefined;
      binds.push(b);
    }
  }
  if (binds.length === 0) return undefined;
  return { binds, text: items.map((i) => (i.kind === 'str' ? i.v : '?')).join(', ') };
}

/** Whether a connection to `t` reaches a socket bound as `b` (`inContainer`: from another container). */
function reaches(t: ProxyTarget, b: Bind, inContainer: boolean): boolean {
  if (t.kind === 'unix' || b.kind === 'unix') return t.kind === 'unix' && b.kind === 'unix' && t.path === b.path;
  if (t.port !== b.port) return false;
  if (ANY.has(b.host)) return true;
  if (inContainer) return false;
  return LOOPBACK.has(b.host) ? LOOPBACK.has(t.host) : b.host === t.host;
}

function hostLevel(m: AppServerModel, r: GunicornRun): boolean {
  const src = r.invocation?.source;
  if (!src) return !m.processes.containerized;
  return src.kind === 'systemd' || (src.kind === 'shell' && !m.processes.containerized);
}

export const upstreamMismatch: Rule = {
  code: 'DDX104',
  name: 'proxy-upstream-not-app-bind',
  title: 'The proxy sends requests where gunicorn does not listen',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'project',
  docs: {
    what: "Compares where nginx's `proxy_pass` (directly, or through an `upstream` block) or Caddy's `reverse_proxy` sends requests with where the production gunicorn listens (`bind`, `-b`; gunicorn's default 127.0.0.1:8000 for a host process that sets none): a unix socket against a TCP port, two socket paths, two ports, a loopback address against another interface. A target on the loopback or a unix socket is compared with the gunicorn processes of the host (systemd units, start scripts); a target named after a docker-compose service with the gunicorn of that service, which must then listen on all interfaces of its container. Targets with variables, other hosts, and binds the analysis cannot read are left alone.",
    why: 'nginx connects to an address nobody listens on: every proxied request fails with "502 Bad Gateway" and nginx\'s error log fills with "connect() failed (111: Connection refused)" or "(2: No such file or directory)". The mismatch usually comes from changing one file (gunicorn moved to a unix socket) and not the other.',
    example:
      '# deploy/gunicorn.service\nExecStart=/srv/venv/bin/gunicorn mysite.wsgi --bind unix:/run/gunicorn.sock\n# deploy/nginx/mysite.conf\nlocation / {\n    proxy_pass http://127.0.0.1:8000;\n}',
    fix: "Point `proxy_pass` (or the `upstream` block's `server`) at the address gunicorn binds — `http://unix:/run/gunicorn.sock` for a socket — or change gunicorn's `bind` to the address nginx uses.",
    good: 'location / {\n    proxy_pass http://unix:/run/gunicorn.sock;\n}',
    references: [
      { title: 'nginx: proxy_pass', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass' },
      { title: 'Gunicorn: bind', url: 'https://docs.gunicorn.org/en/stable/settings.html#bind' },
      { title: 'Gunicorn: deploying behind nginx', url: 'https://docs.gunicorn.org/en/stable/deploy.html' },
    ],
  },
  check(ctx) {
    const model = ctx.appServer.processes.proxy;
    // every place a proxy hands requests on: nginx's proxy_pass (through upstream blocks), Caddy's reverse_proxy
    const uses: { label: string; targets: { target: ProxyTarget; loc: Loc; upstream?: string }[] }[] = [];
    for (const p of proxiedLocations(ctx)) {
      const arg = p.proxyPass.args[0];
      const targets = proxyTargets(p.config, arg?.text ?? '');
      if (!arg || !targets) continue;
      const up = p.config.upstreams.get(/^https?:\/\/([^/]*)/.exec(arg.text)?.[1] ?? '');
      uses.push({
        label: serverLabel(ctx, p.server),
        targets: targets.map((t) => ({
          target: t,
          loc: up?.servers.find((s) => s.address === t.text)?.loc ?? arg.loc,
          upstream: up?.name,
        })),
      });
    }
    for (const c of caddyProxies(model)) {
      if (!c.targets) continue;
      uses.push({ label: `the Caddy site ${c.site.addresses.map((a) => a.text).join(', ')}`, targets: c.targets.map((t) => ({ ...t })) });
    }
    if (uses.length === 0) {
      return ctx.notApplicable(
        model.nginx.length === 0 && model.caddy.length === 0
          ? 'no nginx or Caddy configuration was found in the project'
          : 'no proxy_pass or reverse_proxy target can be read',
      );
    }
    const m = ctx.appServer;
    const runs = m.runs.filter((r) => r.production);
    if (runs.length === 0) return ctx.notApplicable('no production gunicorn was found');
    const reported = new Set<string>();
    let unknown: string | undefined;
    for (const u of uses) {
      for (const { target: t, loc, upstream } of u.targets) {
        const service = t.kind === 'tcp' ? runs.filter((r) => r.invocation?.source.service === t.host) : [];
        const local = t.kind === 'unix' || LOOPBACK.has(t.host);
        const candidates = service.length > 0 ? service : local ? runs.filter((r) => hostLevel(m, r)) : [];
        if (candidates.length === 0) continue;
        const binds = candidates.map((r) => ({ run: r, b: bindsOf(m, r) }));
        if (binds.some((x) => !x.b)) {
          unknown ??= `where ${binds.find((x) => !x.b)!.run.label} listens cannot be read`;
          continue;
        }
        if (binds.some((x) => x.b!.binds.some((b) => reaches(t, b, service.length > 0)))) continue;
        const key = `${loc.file}:${loc.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const where = binds.map((x) => `${x.run.label} listens on ${x.b!.text}`).join('; ');
        const ownLoopback = service.length > 0 && binds.some((x) => x.b!.binds.some((b) => b.kind === 'tcp' && LOOPBACK.has(b.host)));
        ctx.report({
          loc,
          message: `${u.label} proxies to ${t.text}${upstream ? ` (upstream ${upstream})` : ''}, but ${where}${ownLoopback ? ' (the loopback of its own container)' : ''}: the proxy cannot connect and every request gets 502 Bad Gateway.`,
        });
      }
    }
    if (unknown) ctx.unknown(unknown);
  },
};
