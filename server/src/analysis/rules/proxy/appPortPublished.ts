// DDX116: a production compose file puts a proxy in front of the app and also publishes the app's
// own port on every interface of the host: clients reach the app server around the proxy.
import type { Rule } from '../types';

export const appPortPublished: Rule = {
  code: 'DDX116',
  name: 'app-port-published-beside-proxy',
  title: 'The app server is reachable around the proxy in front of it',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'process',
  docs: {
    what: 'Reports a `ports:` item of a production docker-compose service that runs the project\'s app (gunicorn, uvicorn, uWSGI… by its command, its scripts or its image\'s CMD) when the same file runs a proxy in front of it (an nginx, Caddy or Traefik service) and the item publishes the port on every interface of the host (`"8000:8000"`, `8000:8000` without a host address, the long syntax without `host_ip`). A port published on 127.0.0.1, `expose:` and development compose files are not reported.',
    why: "Docker publishes such a port on every address of the host, and its iptables rules come before the host's firewall: anyone who can reach the host talks to the app server directly, in plain HTTP, past the proxy's TLS, redirects, body limits and headers. If the settings trust a forwarded header (SECURE_PROXY_SSL_HEADER, USE_X_FORWARDED_HOST), such a client also chooses what Django believes about the scheme and the host. The proxy reaches the app over the compose network and needs no published port.",
    example: 'services:\n  nginx:\n    image: nginx:1.27\n    ports: ["443:443"]\n  web:\n    build: .\n    ports:\n      - "8000:8000"',
    fix: 'Drop the `ports:` item (the proxy reaches `web:8000` over the compose network), use `expose:`, or publish it on the loopback only (`"127.0.0.1:8000:8000"`) for a health check from the host.',
    good: 'services:\n  web:\n    build: .\n    expose:\n      - "8000"',
    references: [
      { title: 'Docker: published ports', url: 'https://docs.docker.com/engine/network/#published-ports' },
      { title: 'Docker: packet filtering and firewalls', url: 'https://docs.docker.com/engine/network/packet-filtering-firewalls/' },
      { title: 'Compose file: ports', url: 'https://docs.docker.com/reference/compose-file/services/#ports' },
    ],
  },
  check(ctx) {
    const published = ctx.appServer.processes.edges.publishedAppPorts;
    if (published.length === 0) return ctx.notApplicable('no production compose file publishes the app beside a proxy');
    // a compose file only presumed production's (beside a manifest or a platform file, its name not
    // saying production) lowers the finding: the engine's file link says so (engine/basis.ts)
    for (const p of published) {
      ctx.report({
        loc: p.loc,
        message: `The ${p.service} service publishes the app's port ${p.target} on every interface of the host (${p.text}) beside ${p.proxies.join(', ')}: clients reach the app server directly, in plain HTTP, around the proxy's TLS and headers; use expose: or publish on 127.0.0.1.`,
      });
    }
  },
};
