// DDX108: the server nginx uses for requests whose Host matches no server_name (the default server
// of its port) proxies them to Django with that Host: every scanner's request becomes a
// DisallowedHost error in Django's logs.
import { listHolds } from '../../models/settings/query';
import { filesMountedIntoPods } from '../../models/process/index';
import * as V from '../../eval/values';
import { proxyHeader, type NginxServer } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { noProxy, proxiedLocations, proxyModel } from './shared';

export const defaultServerProxies: Rule = {
  code: 'DDX108',
  name: 'nginx-default-server-proxies',
  title: 'Requests for unknown hosts reach Django',
  severity: 'information',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  docs: {
    what: "For each port of an nginx configuration, finds its default server — the one marked `default_server`, else the first that listens on it — and reports it when it proxies to the app and answers every name (its `server_name` only chooses among servers; no `if ($host …)` check before proxying). With the client's Host passed on (`proxy_set_header Host $host` or `$http_host`, as Debian's proxy_params does) Django refuses those names and logs each; without it, see DDX102. Only servers that front the project's app are looked at: one proxying to where a production app-server process of the project listens (its socket, its port, its compose service), or answering a host the production `ALLOWED_HOSTS` names; a site file of another service of the host (another port, another image) is not this project's. A configuration that keeps a catch-all server of its own (`server_name _; return 444;`) has nothing to report, nor does one a Kubernetes pod mounts (a kustomize configMapGenerator's file): the cluster's Service and Ingress choose by host name before it, nor does a project whose ALLOWED_HOSTS is empty or `'*'` (other rules report those).",
    why: 'Scanners and bots reach servers by IP address or with made-up host names. nginx gives those requests to the default server of the port; when that server is the site itself, they reach Django, which refuses the Host and logs an "Invalid HTTP_HOST header" error for each (and e-mails ADMINS about it when error mail is on). The real errors drown in that noise.',
    example:
      'server {\n    listen 443 ssl;\n    server_name example.com;\n    location / { include proxy_params; proxy_pass http://unix:/run/gunicorn.sock; }\n}',
    fix: 'Add a catch-all server that drops requests for other names before the site: `server { listen 80 default_server; listen 443 ssl default_server; server_name _; ssl_reject_handshake on; return 444; }` (nginx 1.19.4 and later; before it, give it a certificate).',
    good: 'server {\n    listen 443 ssl default_server;\n    server_name _;\n    ssl_reject_handshake on;\n    return 444;\n}',
    references: [
      { title: 'nginx: how nginx processes a request', url: 'https://nginx.org/en/docs/http/request_processing.html' },
      { title: 'Django: ALLOWED_HOSTS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts' },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    // Django refuses the other names only when ALLOWED_HOSTS lists names (not '*')
    const hosts = ctx.settings.query('ALLOWED_HOSTS');
    if (hosts.state === 'supplied' || hosts.state === 'unknown') return ctx.undecided(hosts);
    const open = listHolds(hosts.value, (i) => (i.kind === 'str' ? i.v === '*' : undefined));
    if (open === undefined) return ctx.unknown('some ALLOWED_HOSTS entries cannot be read');
    if (open || !V.isSeq(hosts.value) || hosts.value.items.length === 0)
      return ctx.notApplicable('ALLOWED_HOSTS is empty or allows every host (other rules report it)');
    // an nginx configuration a Kubernetes pod mounts: requests reach it through the cluster's
    // Service and Ingress, which choose by host name themselves (and the repository may not show them)
    const inPods = filesMountedIntoPods(ctx.appServer.processes);
    for (const config of proxyModel(ctx).nginx) {
      if (inPods.has(config.file)) continue;
      // the default server of each port: default_server, else the first server listening on it
      const byPort = new Map<number, NginxServer>();
      for (const s of config.servers)
        for (const l of s.listens) {
          const current = byPort.get(l.port);
          if (!current || (l.defaultServer && !current.listens.some((x) => x.port === l.port && x.defaultServer))) byPort.set(l.port, s);
        }
      const reported = new Set<NginxServer>();
      for (const [port, s] of byPort) {
        if (reported.has(s)) continue;
        const mine = proxied.filter((p) => p.server === s);
        if (mine.length === 0) continue;
        // the client's Host goes on to Django, or the upstream's (DDX102); an include the model cannot read: silent
        const hosts = mine.map((p) => proxyHeader(p.location.scope, 'Host'));
        if (hosts.some((h) => h.state === 'unknown')) continue;
        const passesHost = hosts.some((h) => h.state === 'set' && (h.value === '$host' || h.value === '$http_host'));
        // a server that checks the name itself (`if ($host != …) { return 444; }`) answers it
        if (
          s.scope.directives.some((d) => d.name === 'if' && d.args.some((a) => a.text.includes('$host') || a.text.includes('$http_host')))
        )
          continue;
        reported.add(s);
        const listen = s.listens.find((l) => l.port === port)!;
        ctx.report({
          loc: listen.loc,
          message: passesHost
            ? `This server is nginx's default for port ${port}: requests for any other host name (scanners use the IP address) go to Django with that Host, which logs an "Invalid HTTP_HOST header" error for each; add a catch-all default server that returns 444.`
            : `This server is nginx's default for port ${port}: requests for any other host name (scanners use the IP address) are proxied to the app too; add a catch-all default server that returns 444.`,
        });
      }
    }
  },
};
