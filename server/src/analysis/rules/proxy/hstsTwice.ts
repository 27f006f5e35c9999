// DDX109: Django and nginx both send Strict-Transport-Security, with different values: the response
// carries two headers and browsers keep only the first, Django's.
import { middlewareHeld } from '../middleware/order';
import * as V from '../../eval/values';
import { lookup, proxyHeader, servesTls } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { noProxy, proxiedLocations, serverLabel } from './shared';

/** The header value as a browser compares it: directives lowercased, spaces dropped, in order. */
function normalized(v: string): string {
  return v
    .split(';')
    .map((p) => p.trim().toLowerCase().replace(/\s+/g, ''))
    .filter((p) => p !== '')
    .join('; ');
}

export const hstsTwice: Rule = {
  code: 'DDX109',
  name: 'hsts-in-django-and-proxy',
  title: 'Django and the proxy send different HSTS headers',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-tls',
  target: 'settings',
  docs: {
    what: "Reports an nginx `add_header Strict-Transport-Security` (its own or inherited) in a TLS server's location that proxies to the app, when Django sends the header too — SecurityMiddleware installed, `SECURE_HSTS_SECONDS` above 0, and the request known to be secure (`SECURE_PROXY_SSL_HEADER` names a header the location sets to `$scheme` or `https`) — and the two values differ (max-age, includeSubDomains or preload). A setting or an include the analysis cannot read leaves the rule unknown.",
    why: "nginx's `add_header` does not replace the app's header, it adds a second one after it. Browsers keep only the first Strict-Transport-Security header of a response (RFC 6797, 8.1), which is Django's: the max-age, includeSubDomains or preload written in nginx have no effect, and whoever raises the policy there (for the HSTS preload list, say) is misled.",
    example: '# settings: SECURE_HSTS_SECONDS = 3600\nadd_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
    fix: "Set HSTS in one place: drop the `add_header` in nginx and keep the settings (with their ramp-up), or set `SECURE_HSTS_SECONDS = 0` and keep nginx's header.",
    good: '# nginx: no add_header Strict-Transport-Security\nSECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True',
    references: [
      {
        title: 'RFC 6797, 8.1: Strict-Transport-Security response header field processing',
        url: 'https://www.rfc-editor.org/rfc/rfc6797#section-8.1',
      },
      { title: 'nginx: add_header', url: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header' },
      {
        title: 'Django: HTTP Strict Transport Security',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security',
      },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const mw = middlewareHeld(ctx, 'django.middleware.security.SecurityMiddleware');
    if (mw === undefined) return ctx.unknown('MIDDLEWARE cannot be read');
    if (!mw) return ctx.notApplicable('SecurityMiddleware is not installed: Django sends no HSTS');
    const seconds = ctx.settings.query('SECURE_HSTS_SECONDS');
    if (seconds.state === 'supplied' || seconds.state === 'unknown') return ctx.undecided(seconds);
    if (seconds.value.kind !== 'int' || seconds.value.v <= 0)
      return ctx.notApplicable('Django sends no HSTS (SECURE_HSTS_SECONDS is not above 0)');
    const flags: string[] = [];
    for (const [name, word] of [
      ['SECURE_HSTS_INCLUDE_SUBDOMAINS', 'includesubdomains'],
      ['SECURE_HSTS_PRELOAD', 'preload'],
    ] as const) {
      const q = ctx.settings.query(name);
      if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
      if (V.truthy(q.value) === undefined) return ctx.unknown(`${name} cannot be read`);
      if (V.truthy(q.value)) flags.push(word);
    }
    const django = [`max-age=${seconds.value.v}`, ...flags].join('; ');
    // Django sends it only on requests it knows are secure
    const header = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
    if (header.state === 'supplied' || header.state === 'unknown') return ctx.undecided(header);
    const pair = V.isSeq(header.value) ? header.value.items : [];
    const [k, v] = pair;
    if (pair.length !== 2 || k?.kind !== 'str' || v?.kind !== 'str' || !k.v.startsWith('HTTP_'))
      return ctx.notApplicable('SECURE_PROXY_SSL_HEADER is not set: whether Django sees the requests as secure is left to DDX101');
    const name = k.v
      .slice(5)
      .split('_')
      .map((w) => (w ? w[0]! + w.slice(1).toLowerCase() : w))
      .join('-');
    const reported = new Set<string>();
    let unknown: string | undefined;
    for (const p of proxied) {
      if (!servesTls(p.server)) continue;
      const sent = proxyHeader(p.location.scope, name);
      if (sent.state === 'unknown') {
        unknown ??= sent.reason;
        continue;
      }
      if (sent.state !== 'set' || !(sent.value === v.v || (sent.value === '$scheme' && v.v === 'https'))) continue;
      const added = lookup(p.location.scope, 'add_header');
      if (added.state === 'unknown') {
        unknown ??= added.reason;
        continue;
      }
      if (added.state !== 'set') continue;
      const sts = added.directives.find((d) => d.args[0]?.text.toLowerCase() === 'strict-transport-security' && d.stock === undefined);
      const value = sts?.args[1];
      if (!sts || !value || value.text.includes('$')) continue;
      if (normalized(value.text) === normalized(django)) continue;
      const key = `${value.loc.file}:${value.loc.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      ctx.report({
        loc: value.loc,
        message: `${serverLabel(ctx, p.server)} adds Strict-Transport-Security: ${value.text} after the one Django sends (${django}): browsers keep only the first, Django's, so this value has no effect; set HSTS in one place.`,
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
