// DDH301: Django's security.W008 — SecurityMiddleware does not redirect HTTP to HTTPS.
import { frontCover } from '../../models/requestPath/front';
import { schemeForced, schemeLost } from '../../models/requestPath/scheme';
import { tiesOf, tlsProxyOmitsSchemeHeader } from '../proxy/shared';
import type { Rule } from '../types';
import { expectedProxy } from '../helpers';
import {
  MW,
  describeNotTrue,
  failingPlace,
  mustBeTrue,
  securitySettingFix,
  withMiddleware,
  type SettingsView,
  type Verdict,
} from '../securitySettings';

/** security.W008's condition on the setting: SECURE_SSL_REDIRECT is True. */
export function sslRedirectVerdict(view: SettingsView): Verdict {
  return mustBeTrue(view, 'SECURE_SSL_REDIRECT', true);
}

export const sslRedirectOff: Rule = {
  code: 'DDH301',
  name: 'ssl-redirect-off',
  title: 'HTTP is not redirected to HTTPS',
  severity: 'warning',
  group: 'https-cookies',
  checklist: 'https-redirect',
  explainable: true,
  django: ['security.W008'],
  djangoVersions: { since: '1.8' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W008`: `SecurityMiddleware` is installed and the production `SECURE_SSL_REDIRECT` is not `True` (Django's default is False; Django wants the boolean True, so `1` or `\"True\"` fail too). Not reported when SecurityMiddleware is missing (that is DDH401), or when the value is read from the environment without a default. When the settings assign it only in a branch production skips (saleor's `if ENABLE_SSL:` with ENABLE_SSL off unless set), the finding lands on that assignment and names the variables that would turn the branch on, with no quick fix; when a base module computed the value from its own DEBUG (`not DEBUG` in base.py, DEBUG = False only in production.py), the message says so. When the nginx or Caddy in front redirects plain HTTP for every site that hands requests to the app, or the platform, router or ingress in front of every deployment of the app does (fly.io's `force_https`, in [http_service] or, in the legacy [[services]] form, on a `[[services.ports]]` entry the `http` handler answers; render, App Engine's `secure: always`, Railway, Cloud Run, an ingress-nginx Ingress with TLS, Caddy's automatic HTTPS for a domain site: their documented defaults are listed in docs/hops.md), nothing is left to do in Django: the rule is not applicable and the checklist says which hop redirects. When that cannot be told (a Caddy site address read from an environment variable the repository gives no value for, `{$DOMAIN}`), the finding drops to information and says why; when only some hops redirect, it stays a warning and names those that do not. A `{$DOMAIN}` whose value the repository gives as a domain name (the compose environment, or the `.env` made from a committed `.env.example`), or that the compose file running Caddy requires to be set and not empty (`DOMAIN: ${DOMAIN:?}`, presumed the site's domain name), is served with Caddy's automatic HTTPS, which redirects it; the checklist says where the value comes from. Heroku's router does not redirect, so a Procfile app keeps the finding. When nothing in front redirects but a platform would by a line of its own file (fly.toml without `force_https = true`), the message names that hop and the line. When the nginx in front listens on plain HTTP, does not redirect it itself, and tells Django every request is https — `uwsgi_param UWSGI_SCHEME https;` or `uwsgi_param HTTPS on;` before `uwsgi_pass` (uWSGI makes `wsgi.url_scheme` of them), or `proxy_set_header X-Forwarded-Proto https;` with `SECURE_PROXY_SSL_HEADER` reading that header — Django sees plain-HTTP requests as https and `SECURE_SSL_REDIRECT` could never redirect them: the finding lands on that nginx line and asks for the redirect in nginx; an nginx listening only with `ssl`, or whose port-80 server redirects, leaves nothing to report. When the settings set `SECURE_PROXY_SSL_HEADER` (Django reads it: a proxy terminating TLS is expected in front) and the repository holds no proxy configuration and shows no hop of any deployment (the image has no runner of the repository's, its compose file or deploy script being kept elsewhere), the hop in front is unknown, not absent: the finding drops to information and says the proxy the settings expect may do it.",
    why: 'A visitor who types the address or follows an old `http://` link talks to the site in plain text: the first request and its cookies can be read and altered on the way, and the page itself is served without TLS. A redirect moves every such request to HTTPS before the application answers it.',
    example: 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", ...]\n# SECURE_SSL_REDIRECT never set (False)',
    fix: 'Set `SECURE_SSL_REDIRECT = True` in the production settings, or redirect at the proxy or load balancer and silence `security.W008`. Behind a proxy that terminates TLS, also set `SECURE_PROXY_SSL_HEADER` (and make the proxy set that header), or every request is redirected again and again. The quick fix sets it in the production module; it is unsafe because every HTTP request is then redirected.',
    good: 'SECURE_SSL_REDIRECT = True\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # behind a TLS-terminating proxy',
    references: [
      { title: 'Django: SECURE_SSL_REDIRECT', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect' },
      { title: 'Django: SSL redirect (SecurityMiddleware)', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#ssl-redirect' },
      { title: 'Django deployment checklist: HTTPS', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#https' },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, sslRedirectVerdict(ctx), ({ setting: s }) => {
      // the nginx or Caddy in front, or the platform, router or ingress of every deployment (docs/hops.md)
      const cover = frontCover(ctx, 'https-redirect', expectedProxy(ctx));
      // every hop in front is known to redirect plain HTTP: nothing to do here, the checklist says where
      if (cover.severity === 'information' && !cover.unknown) {
        ctx.notApplicable(`SECURE_SSL_REDIRECT ${describeNotTrue(s, true)}, and need not be.${cover.note}`);
        return;
      }
      // the nginx in front tells Django every request is https, plain HTTP included (uwsgi_param
      // UWSGI_SCHEME https): SECURE_SSL_REDIRECT could never redirect one, so the finding is that nginx's line
      const pair = ctx.settings.strings('SECURE_PROXY_SSL_HEADER');
      const allForced = schemeForced(tiesOf(ctx), pair?.length === 2 && pair[0] === 'HTTP_X_FORWARDED_PROTO' && pair[1] === 'https');
      // a constant X-Forwarded-Proto is DDX119's, on the proxy's line: one construct, one finding
      const forced = allForced.filter((f) => f.via === 'uwsgi');
      if (forced.length === 0 && allForced.length > 0) {
        ctx.notApplicable(
          `SECURE_SSL_REDIRECT could never redirect here: ${allForced[0]!.label} sets X-Forwarded-Proto to https on plain HTTP, which SECURE_PROXY_SSL_HEADER trusts (DDX119 reports that line).`,
        );
        return;
      }
      if (forced.length > 0) {
        const f = forced[0]!;
        ctx.report({
          loc: f.directive.loc,
          message: `\`${f.written}\` on a plain-HTTP server that does not redirect (${f.label}): Django takes plain HTTP requests for https (${f.readBy}), so SECURE_SSL_REDIRECT can never redirect them; redirect port 80 in nginx (return 301 https://$host$request_uri) or pass $scheme.${
            forced.length > 1
              ? ` Also: ${forced
                  .slice(1, 3)
                  .map((x) => x.label)
                  .join(', ')}.`
              : ''
          }${cover.note}`,
          severity: cover.severity,
        });
        return;
      }
      const place = failingPlace(ctx, s);
      const { loc, skipped } = place;
      // where TLS ends in front and Django sees http (DDX115), turning the redirect on loops
      const loops = ctx.settings.query('SECURE_PROXY_SSL_HEADER').state === 'unset' ? schemeLost(ctx, tiesOf(ctx), true).lost : [];
      const fix =
        skipped || loops.length > 0 || tlsProxyOmitsSchemeHeader(ctx)
          ? undefined
          : securitySettingFix(ctx, s, 'True', {
              title: 'Set SECURE_SSL_REDIRECT = True (redirects every HTTP request to HTTPS)',
              safety: 'unsafe',
            });
      ctx.report({
        ...(place.basis ? { basis: place.basis } : {}),
        loc,
        // whether plain HTTP reaches Django at all is not known then: the message claims only what Django does
        message: `SECURE_SSL_REDIRECT ${describeNotTrue(s, true, place)}: ${cover.severity === 'information' ? 'Django does not redirect plain HTTP requests to HTTPS' : 'plain HTTP requests are answered instead of redirected to HTTPS'}; ${loops.length > 0 ? `set SECURE_PROXY_SSL_HEADER first: TLS ends at ${loops[0]!.label}, so with only this on every request would be redirected again (DDX115)` : 'set it to True (or redirect at the proxy)'}.${cover.note}`,
        severity: cover.severity,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
