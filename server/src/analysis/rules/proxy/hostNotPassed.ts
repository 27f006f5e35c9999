// DDX102: nginx proxies without `proxy_set_header Host`, so Django gets the upstream's address as
// the host, which ALLOWED_HOSTS refuses: every request is a 400 (DisallowedHost).
import { middlewareHeld } from '../middleware/order';
import * as V from '../../eval/values';
import { proxyHeader } from '../../readers/proxy/configs';
import { listHolds } from '../../models/settings/query';
import type { Rule } from '../types';
import { addDirectiveFix, allows, domainOf, noProxy, proxiedLocations, proxyHostOf, serverLabel } from './shared';

export const hostNotPassed: Rule = {
  code: 'DDX102',
  name: 'proxy-host-not-passed',
  title: 'The proxy sends its upstream address as Host, which ALLOWED_HOSTS refuses',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Reports an nginx location that proxies to the app without `proxy_set_header Host` (its own, or inherited: a block with one `proxy_set_header` inherits none), when the Host nginx then sends — the host of `proxy_pass` (`127.0.0.1:8000`, the upstream's name, `localhost` for a unix socket) — is refused by Django: not matched by the production `ALLOWED_HOSTS`, or not a host name Django accepts at all (an upstream named `app_server`: the underscore). Not reported when `USE_X_FORWARDED_HOST` is on and the location sends X-Forwarded-Host, nor when a setting or an include cannot be read.",
    why: "By default nginx replaces the client's Host header with the upstream's address. Django checks that Host against ALLOWED_HOSTS whenever it reads the host — on every request when CommonMiddleware is installed, else in redirects, absolute URLs and CSRF checks over https —, so the site answers 400 Bad Request and logs DisallowedHost for every visitor — although the right name is in ALLOWED_HOSTS. An upstream name with an underscore is refused even by `ALLOWED_HOSTS = ['*']`.",
    example: "# settings: ALLOWED_HOSTS = ['example.com']\nlocation / {\n    proxy_pass http://127.0.0.1:8000;\n}",
    fix: "Pass the client's host on: `proxy_set_header Host $host;` beside the location's other `proxy_set_header` lines (the quick fix adds it there), and keep `server_name` to the names ALLOWED_HOSTS lists.",
    good: 'location / {\n    proxy_set_header Host $host;\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      {
        title: 'nginx: proxy_set_header (Host defaults to $proxy_host)',
        url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
      },
      { title: 'Django: ALLOWED_HOSTS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts' },
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
    // CommonMiddleware reads the host of every request; without it only some views do
    const everyRequest = middlewareHeld(ctx, 'django.middleware.common.CommonMiddleware') === true;
    let unknown: string | undefined;
    for (const p of proxied) {
      const h = proxyHeader(p.location.scope, 'Host');
      if (h.state === 'unknown') {
        unknown ??= h.reason;
        continue;
      }
      if (h.state === 'set') continue;
      if (xfh.state === 'unknown' || xfh.state === 'supplied') {
        unknown ??= 'USE_X_FORWARDED_HOST cannot be read';
        continue;
      }
      if (xfh.value.kind === 'bool' && xfh.value.v) {
        const f = proxyHeader(p.location.scope, 'X-Forwarded-Host');
        if (f.state === 'set') continue;
        if (f.state === 'unknown') {
          unknown ??= f.reason;
          continue;
        }
      }
      const host = proxyHostOf(p.proxyPass.args[0]?.text ?? '');
      if (!host) continue;
      const domain = domainOf(host);
      let why: string;
      if (!domain) why = `${host} is not a host name Django accepts (Invalid HTTP_HOST header), whatever ALLOWED_HOSTS says`;
      else {
        const ok = listHolds(hosts.value, (i) => (i.kind === 'str' ? allows(i.v, domain) : undefined));
        if (ok === undefined) {
          unknown ??= 'some ALLOWED_HOSTS entries cannot be read';
          continue;
        }
        if (ok) continue;
        why = `ALLOWED_HOSTS does not allow ${domain}`;
      }
      const fix = addDirectiveFix(
        ctx,
        p.location,
        p.proxyPass,
        'proxy_set_header',
        'proxy_set_header Host $host;',
        'Add proxy_set_header Host $host;',
      );
      ctx.report({
        loc: p.proxyPass.nameLoc,
        message: `${serverLabel(ctx, p.server)} proxies here without proxy_set_header Host, so Django gets Host: ${host}, and ${why}: ${everyRequest ? 'every request gets' : 'requests that read the host (redirects, absolute URLs, CSRF over https) get'} 400 Bad Request (DisallowedHost).`,
        fixes: fix ? [fix] : [],
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
