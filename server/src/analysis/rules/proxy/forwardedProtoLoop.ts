// DDX101: SECURE_SSL_REDIRECT on behind an nginx that terminates TLS and never tells Django the
// request was https: Django redirects every request to https, forever.
import { GUNICORN_SECURE_SCHEME_HEADERS } from '../../catalogue/gunicornSettings';
import * as V from '../../eval/values';
import { proxyHeader, servesTls } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { addDirectiveFix, headerOfMetaKey, noProxy, proxiedLocations, serverLabel } from './shared';

/** The headers gunicorn reads as https by default (secure_scheme_headers), with the value each needs. */
const GUNICORN_SECURE = GUNICORN_SECURE_SCHEME_HEADERS;

export const forwardedProtoLoop: Rule = {
  code: 'DDX101',
  name: 'forwarded-proto-redirect-loop',
  title: 'HTTPS redirect loop: the proxy never says the request was https',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Reports an nginx location that proxies to the app (`proxy_pass`) in a server that terminates TLS (`listen 443 ssl`), when the production settings turn `SECURE_SSL_REDIRECT` on and the request never carries what would tell Django it came over https: `SECURE_PROXY_SSL_HEADER` names a header the location does not set (or sets to another value), or it is not set and the location sends none of the headers gunicorn itself reads as https (X-Forwarded-Proto, X-Forwarded-Protocol, X-Forwarded-Ssl). nginx's inheritance counts: a location with one `proxy_set_header` of its own inherits none of the server's. `include proxy_params;` (Debian's stock file) sets X-Forwarded-Proto. A location that sends X-Forwarded-Proto while the setting names another header is left to DDX111 (Django then falls back to the app server's scheme). Only locations that front the project's app are looked at (a proxy_pass to where its production gunicorn listens, or in a server answering a host ALLOWED_HOSTS names). A setting or include the analysis cannot read makes the rule unknown.",
    why: 'nginx talks to gunicorn over plain HTTP, so Django sees every request as http unless the proxy says otherwise. With SECURE_SSL_REDIRECT on, SecurityMiddleware answers each of them with a redirect to the https address, which the browser follows back to nginx, which proxies it as http again: the browser stops with "too many redirects" and the site is down for everyone.',
    example:
      '# settings: SECURE_SSL_REDIRECT = True; SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\nserver {\n    listen 443 ssl;\n    location / {\n        proxy_set_header Host $host;\n        proxy_pass http://127.0.0.1:8000;\n    }\n}',
    fix: 'Make the location send the header `SECURE_PROXY_SSL_HEADER` names with the scheme nginx received: `proxy_set_header X-Forwarded-Proto $scheme;` beside the location\'s other `proxy_set_header` lines (the quick fix adds it there). Set `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")` if it is not set.',
    good: 'location / {\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
      { title: 'nginx: proxy_set_header', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header' },
      { title: 'Gunicorn: deploying behind nginx', url: 'https://docs.gunicorn.org/en/stable/deploy.html' },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const redirect = ctx.settings.query('SECURE_SSL_REDIRECT');
    if (redirect.state === 'supplied' || redirect.state === 'unknown') return ctx.undecided(redirect);
    if (redirect.value.kind !== 'bool' || redirect.value.v !== true)
      return ctx.notApplicable('SECURE_SSL_REDIRECT is not True: Django redirects nothing');
    const header = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
    if (header.state === 'supplied' || header.state === 'unknown') return ctx.undecided(header);
    // what the request must carry: the setting's (header, value), or one of gunicorn's own
    let wanted: readonly (readonly [string, string])[];
    if (header.state === 'unset' || header.value.kind === 'none') wanted = GUNICORN_SECURE;
    else {
      const items = V.isSeq(header.value) ? header.value.items : [];
      const [k, v] = items;
      const name = k?.kind === 'str' ? headerOfMetaKey(k.v) : undefined;
      if (items.length !== 2 || !name || v?.kind !== 'str')
        return ctx.unknown('SECURE_PROXY_SSL_HEADER is not a (header, value) pair this rule can read');
      wanted = [[name, v.v]];
    }
    const tls = proxied.filter((p) => servesTls(p.server));
    if (tls.length === 0) return ctx.notApplicable('no nginx server that proxies to the app terminates TLS');
    let unknown: string | undefined;
    for (const p of tls) {
      let ok = false;
      let undecided: string | undefined;
      for (const [name, value] of wanted) {
        const h = proxyHeader(p.location.scope, name);
        if (h.state === 'unknown') undecided ??= h.reason;
        // $scheme is https in a TLS server; a literal must be the value; another variable cannot be told
        else if (h.state === 'set' && (h.value === value || (h.value === '$scheme' && value === 'https') || h.value.includes('$')))
          ok = true;
      }
      if (ok) continue;
      if (undecided) {
        unknown ??= undecided;
        continue;
      }
      const [name, value] = wanted[0]!;
      // the setting names another header while the location sends X-Forwarded-Proto: Django falls
      // back to the app server's scheme, which may come from that header (DDX111 judges it)
      if (wanted !== GUNICORN_SECURE && name.toLowerCase() !== 'x-forwarded-proto') {
        const proto = proxyHeader(p.location.scope, 'X-Forwarded-Proto');
        if (proto.state === 'set' && (proto.value === '$scheme' || proto.value === 'https')) continue;
      }
      const setting =
        header.state === 'unset' || header.value.kind === 'none'
          ? 'SECURE_PROXY_SSL_HEADER is not set (nor any header gunicorn reads as https sent)'
          : `SECURE_PROXY_SSL_HEADER reads ${name}`;
      // with the setting unset, the header works only where the app server reads it itself (gunicorn)
      const fix =
        value === 'https' && wanted !== GUNICORN_SECURE
          ? addDirectiveFix(
              ctx,
              p.location,
              p.proxyPass,
              'proxy_set_header',
              `proxy_set_header ${name} $scheme;`,
              `Add proxy_set_header ${name} $scheme;`,
            )
          : undefined;
      ctx.report({
        loc: p.proxyPass.nameLoc,
        message: `${serverLabel(ctx, p.server)} serves HTTPS and proxies here without ${name}: ${value}, while SECURE_SSL_REDIRECT is on and ${setting}: Django sees http and redirects every request to https, forever.`,
        fixes: fix ? [fix] : [],
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
