// DDX118: Django reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), but the nginx that hands it the
// request listens on plain HTTP only and sets that header to its own `$scheme`: "http", whatever the
// browser used. Behind an Ingress that ends TLS (its nginx pods configured by a ConfigMap) this is
// certain: request.is_secure() is False for every request. With nothing in the repository ending TLS
// in front of the nginx it is said at information: either the site has no TLS, or TLS ends in front
// of this nginx at something the repository does not show, and the nginx hides it.
import * as V from '../../eval/values';
import type { Loc } from '../../eval/values';
import { hasValue } from '../../models/settings/query';
import { requestPathsOf } from '../../models/requestPath/path';
import { schemeOverwrite } from '../../models/requestPath/scheme';
import { proxyHeader, servesTls } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { headerOfMetaKey, tiesOf } from './shared';

const PASS_ON = '`proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;`';

export const schemeOverwritten: Rule = {
  code: 'DDX118',
  name: 'forwarded-proto-overwritten',
  title: 'An nginx on plain HTTP overwrites X-Forwarded-Proto with http',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Reports the production settings when `SECURE_PROXY_SSL_HEADER` reads X-Forwarded-Proto and the nginx in front of the app listens on plain HTTP only (no `listen … ssl`) and sets `proxy_set_header X-Forwarded-Proto $scheme;` where it proxies: nginx's `$scheme` is the scheme of the request it received, http, so the header Django trusts says http on every request. Behind a Kubernetes Ingress with `tls:` whose Service selects nginx pods configured by a ConfigMap (which proxies to the app's Service), TLS ends at the Ingress and the nginx overwrites the https it was sent: a warning. An nginx of the repository tied to the app (a compose service, a site file) with nothing in the repository ending TLS in front of it is reported at information: either the site has no TLS at all, or TLS ends in front of this nginx at a CDN, load balancer or tunnel the repository does not show, and the nginx hides it. When SECURE_PROXY_SSL_HEADER is not set, DDX115 reports the Ingress case.",
    why: 'Django takes request.is_secure() from the header SECURE_PROXY_SSL_HEADER names. An nginx that sets X-Forwarded-Proto to `$scheme` replaces the value the hop in front of it sent with its own scheme, http, because it received plain HTTP. Django then sees http on every request: SECURE_SSL_REDIRECT redirects forever, the CSRF Origin check refuses HTTPS form posts, absolute URLs start with http://, and secure-only cookies behave as on http.',
    example:
      '# ConfigMap nginx-conf, mounted at /etc/nginx/conf.d behind an Ingress with tls:\nserver {\n    listen 80;\n    location / {\n        proxy_pass http://django:8000;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}',
    fix: 'Pass on the scheme the hop in front sent: `proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;` (or a `map $http_x_forwarded_proto $forwarded_proto { default $http_x_forwarded_proto; "" $scheme; }` that falls back to nginx\'s own scheme when none was sent). Only do so where that hop is the only way to the nginx: a client reaching it directly could say https.',
    good: 'location / {\n    proxy_pass http://django:8000;\n    proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;\n}',
    references: [
      { title: 'nginx: $scheme', url: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#var_scheme' },
      { title: 'nginx: proxy_set_header', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header' },
      {
        title: 'ingress-nginx: the X-Forwarded-* headers it sets (use-forwarded-headers)',
        url: 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#use-forwarded-headers',
      },
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
    const setting = ctx.settings.get('SECURE_PROXY_SSL_HEADER');
    // (A) an Ingress ending TLS in front of nginx pods whose ConfigMap overwrites the header
    let tlsInFront = false;
    const reported = new Set<string>();
    for (const inv of ctx.appServer.commands) {
      if (!inv.source.production || inv.server === 'runserver') continue;
      for (const d of requestPathsOf(ctx.project, ctx.appServer, inv).deployments) {
        for (const hop of d.hops) {
          if (hop.tls.state !== 'yes') continue;
          tlsInFront = true;
          const over = hop.through ? schemeOverwrite(hop.through.nginx) : undefined;
          if (!over || !hop.through || reported.has(hop.label)) continue;
          reported.add(hop.label);
          ctx.report({
            loc: setting.loc,
            message: `TLS ends at ${hop.label}, but the nginx behind it (ConfigMap ${hop.through.name}), on plain HTTP, sets X-Forwarded-Proto ${over.value}: http, so the header SECURE_PROXY_SSL_HEADER reads never says https and request.is_secure() is always False; pass on the Ingress's value: ${PASS_ON}.`,
          });
        }
      }
    }
    if (reported.size > 0 || tlsInFront) return;
    // (B) the repository's nginx tied to the app, on plain HTTP only, nothing ending TLS in front of it
    const uses = tiesOf(ctx).uses.filter((u) => u.tie.state === 'app' && u.use.nginx);
    // an nginx server of the app that serves TLS carries the https requests itself
    if (uses.some((u) => servesTls(u.use.nginx!.server))) return;
    // one finding per server, on its first such location, naming how many more of its locations do the same
    const byServer = new Map<unknown, { label: string; locs: Loc[] }>();
    for (const { use } of uses) {
      const proto = proxyHeader(use.nginx!.location.scope, 'X-Forwarded-Proto');
      if (proto.state !== 'set' || proto.value !== '$scheme') continue;
      const loc = proto.directive.stock === undefined ? proto.directive.nameLoc : use.nginx!.proxyPass.nameLoc;
      const at = `${loc.file}:${loc.start}`;
      if (reported.has(at)) continue;
      reported.add(at);
      const entry = byServer.get(use.nginx!.server) ?? { label: use.label, locs: [] };
      entry.locs.push(loc);
      byServer.set(use.nginx!.server, entry);
    }
    for (const { label, locs } of byServer.values()) {
      const more =
        locs.length === 2
          ? ' (another of its locations does too)'
          : locs.length > 2
            ? ` (${locs.length - 1} more of its locations do too)`
            : '';
      ctx.report({
        loc: locs[0]!,
        severity: 'information',
        message: `${label} listens on plain HTTP only and sets X-Forwarded-Proto $scheme${more}, always http, the header SECURE_PROXY_SSL_HEADER trusts: either there is no TLS, or it ends in front at something the repository does not show (a CDN, a tunnel) and this nginx hides it: then pass on \`$http_x_forwarded_proto\`.`,
      });
    }
  },
};
