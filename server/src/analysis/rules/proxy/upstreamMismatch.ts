// DDX104: nginx proxies to an address gunicorn does not listen on (a TCP port while gunicorn binds
// a unix socket, another port, another socket path): every request is a 502.
import { LOOPBACK, reaches, type Endpoint } from '../../models/requestPath/fronts';
import type { Rule } from '../types';
import { tiesOf } from './shared';

export const upstreamMismatch: Rule = {
  code: 'DDX104',
  name: 'proxy-upstream-not-app-bind',
  title: 'The proxy sends requests where gunicorn does not listen',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  docs: {
    what: "Compares where nginx's `proxy_pass` (directly, or through an `upstream` block) or Caddy's `reverse_proxy` sends requests with where the production gunicorn listens (`bind`, `-b`; gunicorn's default 127.0.0.1:8000 for a host process that sets none): a unix socket against a TCP port, two socket paths, two ports, a loopback address against another interface. A target on the loopback or a unix socket is compared with the gunicorn processes of the host (systemd units, start scripts); a target named after a docker-compose service with the gunicorn of that service, which must then listen on all interfaces of its container. Only a configuration tied to the project's app is compared: a target that is where another process of the project listens, a compose service of another image, or a location of a configuration whose other locations front the app is not this app's; a configuration whose tie is only that it serves a host ALLOWED_HOSTS names is compared with the project's gunicorn. When the tie cannot be told (a loopback target no process of the project listens on, in a server that answers no host ALLOWED_HOSTS names) the finding is information only. Targets with variables, other hosts, and binds the analysis cannot read are left alone.",
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
    const ties = tiesOf(ctx);
    if (ties.uses.length === 0) {
      const model = ctx.appServer.processes.proxy;
      return ctx.notApplicable(
        model.nginx.length === 0 && model.caddy.length === 0
          ? 'no nginx or Caddy configuration was found in the project'
          : 'no proxy_pass or reverse_proxy target can be read',
      );
    }
    const mine = ties.endpoints.filter((e) => e.mine && e.run);
    // (every app server of the project, gunicorn or not: a target one of them listens on is no mismatch)
    const servers = ties.endpoints.filter((e) => e.mine);
    if (mine.length === 0) return ctx.notApplicable('no production gunicorn was found');
    const reported = new Set<string>();
    let unknown: string | undefined;
    for (const { use: u, tie } of ties.uses) {
      if (!u.targets || tie.state === 'other') continue;
      for (const { target: t, loc, upstream } of u.targets) {
        // the gunicorn a target must reach: the one of the compose service it names, else the host's
        const service = t.kind === 'tcp' ? mine.filter((e) => e.service?.toLowerCase() === t.host) : [];
        const local = t.kind === 'unix' || LOOPBACK.has(t.host);
        const candidates: Endpoint[] = service.length > 0 ? service : local ? mine.filter((e) => e.hostLevel) : [];
        if (candidates.length === 0) continue;
        const unread = candidates.find((e) => !e.binds);
        if (unread) {
          if (tie.state === 'app') unknown ??= `where ${unread.label} listens cannot be read`;
          continue;
        }
        // a production app server of the project listens there (gunicorn's bind, a uWSGI's http-socket, uvicorn)
        if (
          servers.some(
            (e) =>
              (service.length > 0 ? t.kind === 'tcp' && e.service?.toLowerCase() === t.host : local && e.hostLevel) &&
              e.binds?.binds.some((b) => reaches(t, b, service.length > 0)),
          )
        )
          continue;
        const key = `${loc.file}:${loc.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const where = candidates.map((e) => `${e.label} listens on ${e.binds!.text}`).join('; ');
        const ownLoopback =
          service.length > 0 && candidates.some((e) => e.binds!.binds.some((b) => b.kind === 'tcp' && LOOPBACK.has(b.host)));
        const to = `${u.label} proxies to ${t.text}${upstream ? ` (upstream ${upstream})` : ''}`;
        if (tie.state === 'unknown') {
          // not known to front this app: it may be another service of the host
          ctx.report({
            loc,
            severity: 'information',
            message: `${to}, where no process of the project listens (${where}): if this configuration fronts this project's app, every request gets 502 Bad Gateway. It may front another service: it answers no host ALLOWED_HOSTS names.`,
          });
          continue;
        }
        ctx.report({
          loc,
          message: `${to}, but ${where}${ownLoopback ? ' (the loopback of its own container)' : ''}: the proxy cannot connect and every request gets 502 Bad Gateway.`,
        });
      }
    }
    if (unknown) ctx.unknown(unknown);
  },
};
