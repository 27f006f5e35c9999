// DDX114: USE_X_FORWARDED_HOST is on, but the proxy does not set X-Forwarded-Host: nginx passes on
// the one the client sent, and Django takes the site's host from it.
import * as V from '../../eval/values';
import { listHolds } from '../../models/settings/query';
import { proxyHeader } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { addDirectiveFix, noProxy, proxiedLocations, serverLabel } from './shared';

export const forwardedHostFromClient: Rule = {
  code: 'DDX114',
  name: 'forwarded-host-from-client',
  title: 'USE_X_FORWARDED_HOST takes the host from a header the client chooses',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Reports an nginx location that fronts the project's app without `proxy_set_header X-Forwarded-Host` (its own, or inherited: a block with one `proxy_set_header` inherits none) when the production settings turn `USE_X_FORWARDED_HOST` on and `ALLOWED_HOSTS` allows more than the server's own names: a warning with `'*'` (the client names any site), information with a `.domain` wildcard or other names (the client picks among them). A setting or an include the analysis cannot read leaves the rule unknown. Caddy sets X-Forwarded-Host itself and is not reported.",
    why: "With USE_X_FORWARDED_HOST on, Django takes the site's host from X-Forwarded-Host before Host. nginx forwards request headers it does not set itself, so a client that sends `X-Forwarded-Host: attacker.example` chooses the host Django uses for every absolute URL it builds — the links of password-reset e-mails (a reset token sent to the attacker's site), cached pages, redirects — within what ALLOWED_HOSTS allows, which is anything with `'*'`.",
    example:
      "# settings: USE_X_FORWARDED_HOST = True; ALLOWED_HOSTS = ['*']\nlocation / {\n    proxy_set_header Host $host;\n    proxy_pass http://127.0.0.1:8000;\n}",
    fix: "Set the header in the proxy, so the client's never reaches Django: `proxy_set_header X-Forwarded-Host $host;` beside the location's other `proxy_set_header` lines (the quick fix adds it there). Or turn USE_X_FORWARDED_HOST off when the proxy passes Host, and keep ALLOWED_HOSTS to the site's names.",
    good: 'location / {\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Host $host;\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      { title: 'Django: USE_X_FORWARDED_HOST', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#use-x-forwarded-host' },
      { title: 'Django: host header validation', url: 'https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation' },
      { title: 'nginx: proxy_set_header', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header' },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const xfh = ctx.settings.query('USE_X_FORWARDED_HOST');
    if (xfh.state === 'supplied' || xfh.state === 'unknown') return ctx.undecided(xfh);
    if (xfh.state === 'unset' || V.truthy(xfh.value) === false)
      return ctx.notApplicable('USE_X_FORWARDED_HOST is off: Django ignores X-Forwarded-Host');
    if (V.truthy(xfh.value) === undefined) return ctx.unknown('USE_X_FORWARDED_HOST cannot be read');
    const hosts = ctx.settings.query('ALLOWED_HOSTS');
    if (hosts.state === 'supplied' || hosts.state === 'unknown') return ctx.undecided(hosts);
    if (!V.isSeq(hosts.value) || hosts.value.items.length === 0)
      return ctx.notApplicable('ALLOWED_HOSTS is empty or not a list (other rules report it)');
    let unknown: string | undefined;
    const reported = new Set<string>();
    for (const p of proxied) {
      // what a client could choose: any host ('*'), or entries of ALLOWED_HOSTS beyond the server's names
      const names = p.server.names.map((n) => n.name);
      const any = listHolds(hosts.value, (i) => (i.kind === 'str' ? i.v === '*' : undefined));
      const wider = listHolds(hosts.value, (i) => (i.kind === 'str' ? !names.includes(i.v.toLowerCase()) : undefined));
      if (any === undefined || wider === undefined) {
        unknown ??= 'some ALLOWED_HOSTS entries cannot be read';
        continue;
      }
      if (!wider) continue;
      const f = proxyHeader(p.location.scope, 'X-Forwarded-Host');
      if (f.state === 'unknown') {
        unknown ??= f.reason;
        continue;
      }
      if (f.state === 'set') continue;
      const key = `${p.proxyPass.loc.file}:${p.proxyPass.loc.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const fix = addDirectiveFix(
        ctx,
        p.location,
        p.proxyPass,
        'proxy_set_header',
        'proxy_set_header X-Forwarded-Host $host;',
        'Add proxy_set_header X-Forwarded-Host $host;',
      );
      ctx.report({
        loc: p.proxyPass.nameLoc,
        // with '*' the client names any site; otherwise only one of the names ALLOWED_HOSTS lists
        severity: any ? 'warning' : 'information',
        message: `${serverLabel(ctx, p.server)} proxies here without setting X-Forwarded-Host, so the client's own reaches Django, which takes the site's host from it (USE_X_FORWARDED_HOST) for the absolute URLs it builds, password-reset links included: ${any ? 'any host at all (ALLOWED_HOSTS allows *)' : "any host ALLOWED_HOSTS allows, not only the server's names"}.`,
        fixes: fix ? [fix] : [],
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
