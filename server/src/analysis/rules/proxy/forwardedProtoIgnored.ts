// DDX111: the twin of DDX101. The proxy does send X-Forwarded-Proto, but nothing turns it into the
// request's scheme: SECURE_PROXY_SSL_HEADER is not set (or names another header), and the app server
// ignores the header because the proxy is not one of the addresses it trusts. With
// SECURE_SSL_REDIRECT on, Django redirects every request to https, forever.
import { middlewareHeld } from '../middleware/order';
import { hasValue } from '../../models/settings/query';
import * as V from '../../eval/values';
import { proxyHeader, servesTls } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { headerOfMetaKey, takesHeader, tiesOf } from './shared';

export const forwardedProtoIgnored: Rule = {
  code: 'DDX111',
  name: 'forwarded-proto-not-read',
  title: 'HTTPS redirect loop: the proxy says https, but nothing reads it',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Reports a place that fronts the project's app (proxy/fronts: an nginx location proxying to where the production gunicorn listens, or to the site ALLOWED_HOSTS names; a Caddy `reverse_proxy`) in a server that terminates TLS, when it sends `X-Forwarded-Proto` (nginx: `proxy_set_header X-Forwarded-Proto $scheme` or `https`, its own or inherited, Debian's proxy_params included; Caddy: always), the production settings turn `SECURE_SSL_REDIRECT` on (with SecurityMiddleware installed), `SECURE_PROXY_SSL_HEADER` is not set or names another header the proxy does not send, and gunicorn does not take the header from that proxy: its `forwarded_allow_ips` (127.0.0.1,::1 unless set, or FORWARDED_ALLOW_IPS) does not hold the proxy's address — a proxy in another container (a compose service name) or on another host, or a loopback proxy gunicorn does not list. A unix socket is trusted by gunicorn. An app server other than gunicorn, its own `secure_scheme_headers`, a `forwarded_allow_ips` listing other addresses, or a setting the analysis cannot read leave the rule unknown. When the proxy sends nothing that says https, DDX101 reports instead.",
    why: 'Django takes the scheme from the header SECURE_PROXY_SSL_HEADER names, and when the setting is not set (or that header is absent) from the app server, which says https only when it trusts the proxy\'s X-Forwarded-Proto. gunicorn trusts it from 127.0.0.1 by default: nginx in another container, or on another machine, says https for nothing. Django sees http, SecurityMiddleware redirects to https, the browser comes back through the proxy as http again: "too many redirects" for every visitor, although the proxy does everything right.',
    example:
      '# settings: SECURE_SSL_REDIRECT = True (SECURE_PROXY_SSL_HEADER not set)\n# gunicorn on the app server: --bind 0.0.0.0:8000\nlocation / {\n    include proxy_params;  # X-Forwarded-Proto $scheme\n    proxy_pass http://10.0.0.12:8000;\n}',
    fix: 'Read the header the proxy sends: `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")` in the production settings (the quick fix; unsafe because Django then believes the header from every client that reaches the app server directly, so make sure only the proxy can), or list the proxy\'s address in gunicorn\'s `forwarded_allow_ips`.',
    good: 'SECURE_SSL_REDIRECT = True\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
    references: [
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
      { title: 'Gunicorn: forwarded_allow_ips', url: 'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips' },
      { title: 'Caddy: reverse_proxy headers', url: 'https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#headers' },
    ],
  },
  check(ctx) {
    const ties = tiesOf(ctx);
    const uses = ties.uses.filter((u) => u.tie.state === 'app');
    if (uses.length === 0)
      return ties.uses.some((u) => u.tie.state === 'unknown')
        ? ctx.unknown('which app the proxy configuration fronts cannot be told')
        : ctx.notApplicable('no proxy location fronts the app');
    const mw = middlewareHeld(ctx, 'django.middleware.security.SecurityMiddleware');
    if (mw === undefined) return ctx.unknown('MIDDLEWARE cannot be read');
    if (!mw) return ctx.notApplicable('SecurityMiddleware is not installed: Django redirects nothing');
    const redirect = ctx.settings.query('SECURE_SSL_REDIRECT');
    if (redirect.state === 'supplied' || redirect.state === 'unknown') return ctx.undecided(redirect);
    if (redirect.value.kind !== 'bool' || redirect.value.v !== true)
      return ctx.notApplicable('SECURE_SSL_REDIRECT is not True: Django redirects nothing');
    const header = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
    if (header.state === 'supplied' || header.state === 'unknown') return ctx.undecided(header);
    // the header the setting names, when set: (name, value)
    let named: [string, string] | undefined;
    if (hasValue(header) && header.value.kind !== 'none') {
      const items = V.isSeq(header.value) ? header.value.items : [];
      const [k, v] = items;
      const name = k?.kind === 'str' ? headerOfMetaKey(k.v) : undefined;
      if (items.length !== 2 || !name || v?.kind !== 'str')
        return ctx.unknown('SECURE_PROXY_SSL_HEADER is not a (header, value) pair this rule can read');
      if (name.toLowerCase() === 'x-forwarded-proto' && v.v === 'https')
        return ctx.notApplicable('SECURE_PROXY_SSL_HEADER reads X-Forwarded-Proto');
      named = [name, v.v];
    }
    const setting = named ? `SECURE_PROXY_SSL_HEADER reads ${named[0]}, which it does not send,` : 'SECURE_PROXY_SSL_HEADER is not set,';
    let unknown: string | undefined;
    const reported = new Set<string>();
    for (const { use, tie } of uses) {
      if (tie.state !== 'app' || !use.targets) continue;
      // what the proxy sends: nginx's proxy_set_header in a TLS server; Caddy always sends X-Forwarded-Proto
      let loc: V.Loc;
      if (use.nginx) {
        const { server, location, proxyPass } = use.nginx;
        if (!servesTls(server)) continue;
        const proto = proxyHeader(location.scope, 'X-Forwarded-Proto');
        if (proto.state === 'unknown') {
          unknown ??= proto.reason;
          continue;
        }
        if (proto.state !== 'set' || (proto.value !== '$scheme' && proto.value !== 'https')) continue;
        if (named) {
          const other = proxyHeader(location.scope, named[0]);
          if (other.state === 'unknown') {
            unknown ??= other.reason;
            continue;
          }
          // the named header is sent: DDX101 judges its value
          if (other.state === 'set') continue;
        }
        loc = proto.directive.stock === undefined ? proto.directive.nameLoc : proxyPass.nameLoc;
      } else if (use.caddy) {
        // (Caddy v1's proxy sends what its block says, by defaults not catalogued: not judged)
        if (use.caddy.v1) continue;
        const site = use.caddy.site;
        const tls = site.addresses.some((a) => !a.text.startsWith('http://') && !a.text.startsWith(':') && !a.text.endsWith(':80'));
        if (!tls || site.opaque) continue;
        // a header_up that touches the scheme headers: not judged
        if (
          (use.caddy.directive.block ?? []).some(
            (d) => d.name === 'header_up' && d.args.some((a) => a.text.toLowerCase().includes('x-forwarded-proto')),
          )
        )
          continue;
        if (named && (use.caddy.directive.block ?? []).some((d) => d.name === 'header_up')) continue;
        loc = use.caddy.directive.nameLoc;
      } else continue;
      for (const { target } of use.targets) {
        const verdicts = tie.endpoints.map((e) => takesHeader(e, target));
        if (verdicts.length === 0) {
          unknown ??= 'the app server behind the proxy is not known';
          continue;
        }
        const open = verdicts.find((v) => v.state === 'unknown');
        if (open?.state === 'unknown') {
          unknown ??= open.why;
          continue;
        }
        const no = verdicts.filter((v) => v.state === 'no');
        if (no.length !== verdicts.length) continue;
        const key = `${loc.file}:${loc.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const fix = ctx.wantsFixes
          ? ctx.fixer.setSetting(ctx.settings.get('SECURE_PROXY_SSL_HEADER'), '("HTTP_X_FORWARDED_PROTO", "https")', {
              safety: 'unsafe',
            })
          : undefined;
        ctx.report({
          loc,
          message: `${use.label} sends X-Forwarded-Proto to ${target.text}, but ${setting} and ${no.map((v) => (v.state === 'no' ? v.why : '')).join('; ')}: Django sees http and, with SECURE_SSL_REDIRECT on, redirects every request to https, forever.`,
          fixes: fix ? [fix] : [],
        });
        break;
      }
    }
    if (unknown) ctx.unknown(unknown);
  },
};
