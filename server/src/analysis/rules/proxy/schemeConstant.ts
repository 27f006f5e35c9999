// DDX119: Django reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), and the proxy that hands it the
// request sets that header to the constant `https` (nginx's `proxy_set_header X-Forwarded-Proto
// https;`, Caddy's `header_up X-Forwarded-Proto https`) while it takes plain HTTP itself (an nginx
// server with a listen without ssl; a Caddy site whose address has no host name, `:{$PORT}`, which
// Caddy serves without automatic HTTPS): every request, plain HTTP too, looks secure to Django.
import * as V from '../../eval/values';
import type { Loc } from '../../eval/values';
import { hasValue } from '../../models/settings/query';
import { autoHttps } from '../../models/requestPath/coverage';
import { proxyHeader } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { headerOfMetaKey, tiesOf } from './shared';

export const schemeConstant: Rule = {
  code: 'DDX119',
  name: 'forwarded-proto-constant',
  title: 'The proxy says https on every request, plain HTTP too',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Reports the proxy line when `SECURE_PROXY_SSL_HEADER` reads X-Forwarded-Proto and the nginx or Caddy in front of the app sets that header to the constant `https` — nginx's `proxy_set_header X-Forwarded-Proto https;`, Caddy's `header_up X-Forwarded-Proto https` in `reverse_proxy` — while it takes plain HTTP itself: an nginx server with a `listen` without `ssl` (or none: port 80), a Caddy site whose address has no host name (`:80`, `:{$PORT}`), which Caddy serves without automatic HTTPS. A server or site that takes only HTTPS (`listen 443 ssl`, a Caddy site named by its host, whose plain HTTP Caddy redirects) is not reported.",
    why: 'Django takes request.is_secure() from the header SECURE_PROXY_SSL_HEADER names. A proxy that writes `https` into it whatever the request was makes every request look secure: SECURE_SSL_REDIRECT never redirects plain HTTP, so pages, forms and the session are served over HTTP, and Django builds https:// URLs for requests that came over http.',
    example: ':{$PORT} {\n    reverse_proxy localhost:8000 {\n        header_up X-Forwarded-Proto https\n    }\n}',
    fix: "Let the proxy pass on the scheme it received: drop the line (Caddy's reverse_proxy sets X-Forwarded-Proto to the request's scheme, and passes on the value of a trusted proxy in front, `trusted_proxies`); in nginx, `proxy_set_header X-Forwarded-Proto $scheme;` (or `$http_x_forwarded_proto` behind a hop that ends TLS).",
    good: ':{$PORT} {\n    reverse_proxy localhost:8000\n}',
    references: [
      {
        title: 'Caddy: reverse_proxy, headers (header_up, X-Forwarded-Proto)',
        url: 'https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#headers',
      },
      { title: 'Caddy: Automatic HTTPS (only for site addresses with a host name)', url: 'https://caddyserver.com/docs/automatic-https' },
      { title: 'nginx: proxy_set_header', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header' },
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
    ],
  },
  check(ctx) {
    const header = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
    if (header.state === 'supplied' || header.state === 'unknown') return ctx.undecided(header);
    if (!hasValue(header) || header.value.kind === 'none')
      return ctx.notApplicable('SECURE_PROXY_SSL_HEADER is not set (DDX115 judges the scheme then)');
    const items = V.isSeq(header.value) ? header.value.items : [];
    const key = items[0]?.kind === 'str' ? headerOfMetaKey(items[0].v) : undefined;
    if (key?.toLowerCase() !== 'x-forwarded-proto') return ctx.notApplicable('SECURE_PROXY_SSL_HEADER does not read X-Forwarded-Proto');
    const reported = new Set<string>();
    const report = (loc: Loc, message: string): void => {
      const at = `${loc.file}:${loc.start}`;
      if (reported.has(at)) return;
      reported.add(at);
      ctx.report({ loc, message });
    };
    for (const { use, tie } of tiesOf(ctx).uses) {
      if (tie.state !== 'app') continue;
      if (use.nginx) {
        const server = use.nginx.server;
        // a server that listens with TLS only takes no plain HTTP
        if (server.listens.length > 0 && server.listens.every((l) => l.ssl)) continue;
        const proto = proxyHeader(use.nginx.location.scope, 'X-Forwarded-Proto');
        if (proto.state !== 'set' || proto.value.toLowerCase() !== 'https') continue;
        report(
          proto.directive.nameLoc,
          `${use.label.charAt(0).toUpperCase()}${use.label.slice(1)} takes plain HTTP and sets X-Forwarded-Proto to https on every request it hands the app, the header SECURE_PROXY_SSL_HEADER trusts: plain HTTP requests look secure to Django too (SECURE_SSL_REDIRECT never redirects them); pass on the scheme: \`proxy_set_header X-Forwarded-Proto $scheme;\`.`,
        );
      }
      if (use.caddy && !use.caddy.v1) {
        const site = use.caddy.site;
        if (site.addresses.length > 0 && site.addresses.every((a) => autoHttps(a.text))) continue;
        for (const d of use.caddy.directive.block ?? []) {
          if (d.name !== 'header_up' || d.args.length !== 2) continue;
          const name = d.args[0]!.text.replace(/^\+/, '').toLowerCase();
          if (name !== 'x-forwarded-proto' || d.args[1]!.text.toLowerCase() !== 'https') continue;
          const addresses = site.addresses.map((a) => a.text).join(', ');
          report(
            d.nameLoc,
            `The Caddy site ${addresses} takes plain HTTP (an address with no host name gets no automatic HTTPS) and sets X-Forwarded-Proto to https on every request it hands the app, the header SECURE_PROXY_SSL_HEADER trusts: plain HTTP requests look secure to Django too (SECURE_SSL_REDIRECT never redirects them); drop this header_up: reverse_proxy sets X-Forwarded-Proto to the scheme it received.`,
          );
        }
      }
    }
  },
};
