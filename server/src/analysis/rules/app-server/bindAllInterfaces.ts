// DDG111: the app server listens on every interface although a reverse proxy sits in front of it.
import * as V from '../../eval/values';
import type { Loc } from '../../eval/values';
import type { AppServerModel, GunicornRun } from '../../models/appServer/model';
import { isProxyService } from '../../models/process/index';
import type { Rule } from '../types';

/** The host part of a bind address ('0.0.0.0:8000', '[::]:8000', ':8000', 'unix:…'). */
export function bindHost(addr: string): string | undefined {
  const a = addr.trim().replace(/^tcp:\/\//, '');
  if (a.startsWith('unix:') || a.startsWith('fd://')) return undefined;
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') < 0 ? undefined : a.indexOf(']'));
  const colon = a.lastIndexOf(':');
  if (colon < 0) return /^\d+$/.test(a) ? '' : a;
  const host = a.slice(0, colon);
  return host.includes(':') ? a : host;
}

export function isAllInterfaces(host: string | undefined): boolean {
  return host === '0.0.0.0' || host === '::' || host === '' || host === '*' || host === '0:0:0:0:0:0:0:0';
}

function hostLevel(m: AppServerModel, r: GunicornRun): boolean {
  const src = r.invocation?.source;
  if (!src) return !m.processes.containerized;
  return src.kind === 'systemd' || (src.kind === 'shell' && !m.processes.containerized);
}

export const bindAllInterfaces: Rule = {
  code: 'DDG111',
  name: 'bind-all-interfaces',
  title: 'App server reachable around its reverse proxy',
  severity: 'information',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: 'Where a reverse proxy runs in front of the app on the same host (an nginx or Caddy configuration in the repository, deployed with a systemd unit or a plain start script), reports a gunicorn `bind`, uvicorn or granian `--host`, daphne `-b` or hypercorn `-b` on all interfaces (0.0.0.0, [::]). In docker-compose, where the app must listen on all interfaces inside its container, it reports instead a service that publishes its port on all host interfaces (`ports: ["8000:8000"]`) beside a proxy service. Containers and Procfile processes are otherwise left alone: there, listening on all interfaces is required. A compose port that DDX116 reports (the proxy is tied to the app it publishes) is left to DDX116.',
    why: 'The proxy is where TLS, the allowed host names, request size limits, timeouts, static files and often rate limits and IP allow-lists are enforced. An app server listening on all interfaces can be reached directly on its port, around all of that (and with `forwarded_allow_ips = "*"` a direct client can even pretend to be the proxy). A firewall may block the port today; binding to the loopback interface or a unix socket makes the setup safe without relying on it.',
    example: '# deploy/mysite.service (nginx proxies to 127.0.0.1:8000)\nExecStart=/srv/venv/bin/gunicorn mysite.wsgi --bind 0.0.0.0:8000',
    fix: 'Bind to 127.0.0.1:PORT or a unix socket (`unix:/run/gunicorn.sock`) that the proxy connects to. In docker-compose, publish the app port on 127.0.0.1 (`"127.0.0.1:8000:8000"`) or not at all (`expose:`), and let only the proxy publish ports.',
    good: 'ExecStart=/srv/venv/bin/gunicorn mysite.wsgi --bind unix:/run/gunicorn.sock',
    references: [
      { title: 'Gunicorn: deploying behind nginx', url: 'https://docs.gunicorn.org/en/stable/deploy.html' },
      { title: 'Gunicorn: bind', url: 'https://docs.gunicorn.org/en/stable/settings.html#bind' },
      { title: 'Django: how to use Django with Gunicorn', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/gunicorn/' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const hostProxies = m.processes.proxies.filter((p) => !p.composeFile);
    const composeWithProxy = new Set(m.processes.proxies.map((p) => p.composeFile).filter((f): f is string => !!f));
    if (hostProxies.length === 0 && composeWithProxy.size === 0) {
      ctx.notApplicable('no reverse proxy configuration was found in the project');
      return;
    }
    const proxyName = hostProxies[0]?.label;
    const reported = new Set<string>();
    const report = (loc: Loc, message: string): void => {
      const key = `${loc.file}:${loc.start}`;
      if (reported.has(key)) return;
      reported.add(key);
      ctx.report({ loc, message });
    };
    if (hostProxies.length > 0) {
      for (const o of m.occurrences('bind')) {
        if (!o.runs.some((r) => hostLevel(m, r))) continue;
        const items = V.isSeq(o.value) ? o.value.items : [o.value];
        for (const item of items) {
          if (item.kind !== 'str') continue;
          const host = bindHost(item.v);
          if (!isAllInterfaces(host)) continue;
          const where =
            o.source === 'config'
              ? 'bind'
              : o.source === 'environment'
                ? `PORT (gunicorn then binds ${item.v})`
                : (o.option?.flag.text ?? 'bind');
          report(
            item.loc ?? o.loc,
            `${where} listens on every interface (${item.v}) although ${proxyName} is in front: clients can reach gunicorn directly around the proxy; bind 127.0.0.1 or a unix socket.`,
          );
        }
      }
      for (const inv of m.commands) {
        if (!inv.source.production || inv.server === 'gunicorn' || inv.server === 'runserver') continue;
        if (!(inv.source.kind === 'systemd' || (inv.source.kind === 'shell' && !m.processes.containerized))) continue;
        for (const o of inv.options) {
          if (!o.value || o.value.dynamic) continue;
          const isHost =
            ((inv.server === 'uvicorn' || inv.server === 'granian') && o.key === '--host') ||
            ((inv.server === 'daphne' || inv.server === 'hypercorn') && o.key === '--bind');
          if (!isHost) continue;
          const host = inv.server === 'hypercorn' ? bindHost(o.value.text) : o.value.text;
          if (isAllInterfaces(host))
            report(
              o.value.loc,
              `${inv.server} ${o.flag.text} ${o.value.text} listens on every interface although ${proxyName} is in front: clients can reach it directly around the proxy; use 127.0.0.1 or a unix socket.`,
            );
        }
      }
    }
    // a port DDX116 reports (the request path ties the proxy to the app it publishes) is its finding
    const byDdx116 = new Set(m.processes.edges.publishedAppPorts.map((p) => `${p.loc.file}:${p.loc.start}`));
    for (const c of m.processes.compose) {
      if (!composeWithProxy.has(c.file)) continue;
      for (const s of c.services) {
        if (isProxyService(s)) continue;
        const runsServer = m.commands.some(
          (inv) =>
            inv.source.kind === 'compose' &&
            inv.source.file === c.file &&
            inv.source.service === s.name &&
            inv.source.production &&
            inv.server !== 'runserver',
        );
        if (!runsServer) continue;
        for (const p of s.ports) {
          const parts = p.text.replace(/\/(tcp|udp)$/, '').split(':');
          const hostIp =
            parts.length >= 3
              ? parts
                  .slice(0, parts.length - 2)
                  .join(':')
                  .replace(/^\[|\]$/g, '')
              : parts.length === 1
                ? ''
                : '';
          if (hostIp && !isAllInterfaces(hostIp)) continue;
          if (byDdx116.has(`${p.loc.file}:${p.loc.start}`)) continue;
          report(
            p.loc,
            `the service ${s.name} publishes port ${p.text} on every host interface beside a proxy service: clients can reach the app around the proxy; publish it on 127.0.0.1 ("127.0.0.1:${parts[parts.length - 1]}") or use expose.`,
          );
        }
      }
    }
  },
};
