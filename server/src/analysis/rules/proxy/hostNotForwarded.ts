// DDX112: nginx proxies without passing the client's Host, and ALLOWED_HOSTS allows the address it
// sends instead (127.0.0.1, localhost): no 400 (that is DDX102), but Django takes that address for
// the site's host, in every absolute URL it builds and in its CSRF check of https form posts.
import { middlewareHeld } from '../middleware/order';
import * as V from '../../eval/values';
import { listHolds, hasValue } from '../../models/settings/query';
import { proxyHeader, servesTls, websocketOnly } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { addDirectiveFix, allows, domainOf, noProxy, proxiedLocations, proxyHostOf, serverLabel } from './shared';

export const hostNotForwarded: Rule = {
  code: 'DDX112',
  name: 'proxy-host-not-passed-urls',
  title: "The proxy does not pass the site's host: Django builds URLs and checks CSRF with the upstream's",
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Reports an nginx location that fronts the project's app without passing the client's host — no `proxy_set_header Host` (its own, or inherited: a block with one `proxy_set_header` inherits none), `Host $proxy_host`, or a literal host — when the production `ALLOWED_HOSTS` allows the host nginx then sends (the host of `proxy_pass`: `127.0.0.1:8000`, `localhost` for a unix socket), so that Django accepts it; when it refuses it, DDX102 reports instead. Not reported when `USE_X_FORWARDED_HOST` is on: Django then takes the host from X-Forwarded-Host whenever a request has one — the location's own, or, when it sets none, the client's or a hop in front's, which DDX114 reports (its fix, `proxy_set_header X-Forwarded-Host $host`, settles both); nor when a setting or an include cannot be read. X-Forwarded-Host sent while `USE_X_FORWARDED_HOST` is off is ignored by Django and changes nothing here. Not reported for a WebSocket-only location (`proxy_set_header Upgrade $http_upgrade` with a literal `Connection \"upgrade\"`): no page, form post or upload goes through it.",
    why: "Django's idea of the site's host is the Host header (request.get_host()). Given nginx's upstream address, every absolute URL it builds names that address: `request.build_absolute_uri()`, the links of password-reset and other e-mails when django.contrib.sites is not installed (RequestSite), redirects some apps build. Over https, CsrfViewMiddleware compares the browser's Referer (Django 3.2) or Origin (4.0 and later) with that host: they name the public site, so every form post is refused with 403 \"CSRF verification failed\" unless CSRF_TRUSTED_ORIGINS lists the site.",
    example:
      "# settings: ALLOWED_HOSTS = ['example.com', '127.0.0.1']\nlocation / {\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_pass http://127.0.0.1:8000;\n}",
    fix: "Pass the client's host on: `proxy_set_header Host $host;` beside the location's other `proxy_set_header` lines (the quick fix adds it there; Debian's `include proxy_params;` does it too). Then the upstream address need not be in ALLOWED_HOSTS.",
    good: 'location / {\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      {
        title: 'nginx: proxy_set_header (Host defaults to $proxy_host)',
        url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
      },
      {
        title: 'Django: HttpRequest.get_host()',
        url: 'https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpRequest.get_host',
      },
      { title: 'Django: how CSRF protection works', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/#how-it-works' },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const hosts = ctx.settings.query('ALLOWED_HOSTS');
    if (hosts.state === 'supplied' || hosts.state === 'unknown') return ctx.undecided(hosts);
    if (!V.isSeq(hosts.value) || hosts.value.items.length === 0)
      return ctx.notApplicable('ALLOWED_HOSTS is empty or not a list (other rules report it)');
    const xfh = ctx.settings.query('USE_X_FORWARDED_HOST');
    if (xfh.state === 'unknown' || xfh.state === 'supplied') return ctx.undecided(xfh);
    const forwardedHost = hasValue(xfh) && xfh.value.kind === 'bool' && xfh.value.v;
    // the CSRF check of https posts compares with the host unless CSRF_TRUSTED_ORIGINS lists the site
    const csrf = middlewareHeld(ctx, 'django.middleware.csrf.CsrfViewMiddleware') === true;
    const trusted = ctx.settings.query('CSRF_TRUSTED_ORIGINS');
    const noTrusted = trusted.state === 'unset' || (hasValue(trusted) && V.isSeq(trusted.value) && trusted.value.items.length === 0);
    let unknown: string | undefined;
    const reported = new Set<string>();
    for (const p of proxied) {
      // (a WebSocket-only location carries no page, form post or upload)
      if (websocketOnly(p.location.scope)) continue;
      const h = proxyHeader(p.location.scope, 'Host');
      if (h.state === 'unknown') {
        unknown ??= h.reason;
        continue;
      }
      // a variable other than $proxy_host ($host, $http_host, $server_name…) passes a name of the site
      if (h.state === 'set' && h.value.includes('$') && h.value !== '$proxy_host') continue;
      // with USE_X_FORWARDED_HOST on, Django takes the host from X-Forwarded-Host whenever a request
      // has one: set here, Host is not read; not set here, the client's (or a hop in front's) is — the
      // finding is then DDX114's, whose fix (proxy_set_header X-Forwarded-Host $host) settles both
      if (forwardedHost) continue;
      const host = h.state === 'set' && h.value !== '$proxy_host' ? h.value.toLowerCase() : proxyHostOf(p.proxyPass.args[0]?.text ?? '');
      if (!host) continue;
      const domain = domainOf(host);
      // a host Django refuses is DDX102's
      if (!domain) continue;
      const ok = listHolds(hosts.value, (i) => (i.kind === 'str' ? allows(i.v, domain) : undefined));
      if (ok === undefined) {
        unknown ??= 'some ALLOWED_HOSTS entries cannot be read';
        continue;
      }
      if (!ok) continue;
      // the server's own name is what it passes: nothing changes
      if (p.server.names.some((n) => n.name === domain)) continue;
      const at = h.state === 'set' && h.directive.stock === undefined ? h.directive.nameLoc : p.proxyPass.nameLoc;
      const key = `${at.file}:${at.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const fix =
        h.state === 'absent'
          ? addDirectiveFix(
              ctx,
              p.location,
              p.proxyPass,
              'proxy_set_header',
              'proxy_set_header Host $host;',
              'Add proxy_set_header Host $host;',
            )
          : ctx.wantsFixes && h.state === 'set' && h.directive.stock === undefined && h.directive.args[1]
            ? {
                title: "Pass the client's host (Host $host)",
                safety: 'safe' as const,
                preferred: true,
                edits: [{ ...h.directive.args[1].loc, newText: '$host' }],
              }
            : undefined;
      const post =
        csrf && noTrusted && servesTls(p.server)
          ? `; over https every form post gets 403 (CSRF: the Referer/Origin name ${p.server.names[0]?.name ?? 'the site'})`
          : '';
      ctx.report({
        loc: at,
        message: `${serverLabel(ctx, p.server)} proxies here without the client's Host: Django gets Host: ${host}, which ALLOWED_HOSTS allows, and takes it for the site's host in the absolute URLs it builds (password-reset links)${post}.`,
        fixes: fix ? [fix] : [],
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
