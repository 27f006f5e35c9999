// DDH409: a site that renders HTML sends no Content Security Policy at all.
import { sourceReader } from '../middleware/order';
import { decidable, hasValue } from '../../models/settings/query';
import {
  appliedPolicies,
  CSP_MIDDLEWARE,
  cspConfig,
  djangoCspMajor,
  DJANGO_CSP_SETTINGS,
  DJANGO_CSP_SINCE,
} from '../../models/settings/csp';
import * as V from '../../eval/values';
import { atLeast } from '../../models/project/version';
import { installedApp } from '../helpers';
import { proxyCover, proxyDoesWhere } from '../../models/requestPath/coverage';
import { middlewareInfo } from '../../models/settings/middleware';
import type { Rule } from '../types';

/** Middleware whose name says it may send a CSP of its own (the project's, or another package's). */
const OWN_CSP_MIDDLEWARE = /csp|contentsecurity|securityheaders/i;

export const cspMissing: Rule = {
  code: 'DDH409',
  name: 'csp-missing',
  title: 'No Content Security Policy',
  severity: 'information',
  group: 'security-headers',
  checklist: 'csp',
  target: 'settings',
  docs: {
    what: "The production settings render HTML (`TEMPLATES` is configured, or the admin is installed) but configure no Content Security Policy: neither Django 6.0's `ContentSecurityPolicyMiddleware` with `SECURE_CSP`/`SECURE_CSP_REPORT_ONLY`, nor django-csp's `CSPMiddleware` with its settings, nor a middleware whose name suggests it sends one (`…CSP…`, `…SecurityHeaders…`) or a middleware of the project whose code names the `Content-Security-Policy` header, nor a `CONTENT_SECURITY_POLICY` setting read by the project's own code. Information only: a web server or CDN in front may set the header, which the settings cannot show. When the nginx or Caddy in front of every place that hands requests to the app adds a `Content-Security-Policy` header whose policy restricts scripts (a `script-src` or `default-src` directive, or a value the analysis cannot read), the finding drops to a hint that names the configuration; a policy without them (`frame-ancestors 'none'` alone) forbids framing but lets any script run, and the message says so. Not applicable to a token-only JSON API (no admin, login or template view routed, no module rendering a template, and either Django REST framework authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header, or an API made with django-ninja whose API objects authenticate by a header or token only — `HttpBearer`, `APIKeyHeader`, ninja-jwt's `JWTAuth`, or a class of the project subclassing one — and answer JSON, its only page the API's own docs page, Swagger UI, which shows the API's schema: `models/settings/appKind.ts`); the checklist says why, with the places. With the browsable API routed it is reported. With the admin routed beside such an API, it is reported at information and says what it rests on: the only HTML is the admin's (and the API's docs page), so the policy guards the staff's browsers against an XSS bug in the admin's customisations, not the API.",
    why: 'A Content Security Policy tells the browser which scripts, styles and frames a page may load. It is the second line of defence against cross-site scripting: when a template escapes one value too few, the injected script still does not run. Without it, every XSS bug is exploitable as written.',
    example: 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", ...]   # no CSP middleware',
    fix: 'On Django 6.0+, add `django.middleware.csp.ContentSecurityPolicyMiddleware` and a `SECURE_CSP` policy; before 6.0, install django-csp (4.x) and set `CONTENT_SECURITY_POLICY`. Start with `SECURE_CSP_REPORT_ONLY` to collect violations, then enforce. If the proxy sets the header, disable this rule for the project.',
    good: 'from django.utils.csp import CSP\n\nMIDDLEWARE = [..., "django.middleware.csp.ContentSecurityPolicyMiddleware"]\nSECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE], "object-src": [CSP.NONE], "base-uri": [CSP.NONE]}',
    references: [
      { title: 'Django: Content Security Policy', url: 'https://docs.djangoproject.com/en/6.0/ref/csp/' },
      { title: 'django-csp: configuration', url: 'https://django-csp.readthedocs.io/en/latest/configuration.html' },
      { title: 'MDN: Content Security Policy', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP' },
      {
        title: 'OWASP: Content Security Policy cheat sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html',
      },
    ],
  },
  check(ctx) {
    const templates = ctx.settings.get('TEMPLATES').value;
    const admin = installedApp(ctx.settings, 'django.contrib.admin');
    const rendersHtml =
      (V.isSeq(templates) && templates.items.length > 0) || (templates.kind === 'unknown' && templates.origin === 'env') || !!admin;
    if (!rendersHtml) {
      if (templates.kind === 'unknown' || admin === undefined) return ctx.unknown('TEMPLATES or INSTALLED_APPS is not known statically');
      return ctx.notApplicable('the settings render no HTML (no TEMPLATES, no admin)');
    }
    const api = ctx.appKind?.tokenJsonApi;
    if (api?.state === 'yes') return ctx.notApplicable(`the app renders no HTML of its own: ${api.why}`);
    // an API authenticating by a header whose only pages are the admin's: the policy guards the admin
    const withAdmin = ctx.appKind?.headerApiWithAdmin;
    const adminOnly = withAdmin?.state === 'yes' ? withAdmin.brief : undefined;
    const c = cspConfig(ctx.settings, ctx.version.version, sourceReader(ctx));
    if (c.unknown) return ctx.unknown(c.unknown.reason, c.unknown.loc);
    const mw = ctx.settings.strings('MIDDLEWARE');
    if (mw === undefined) {
      const m = ctx.settings.query('MIDDLEWARE');
      return hasValue(m) ? ctx.unknown('MIDDLEWARE holds items the analysis cannot read', m.setting.loc) : ctx.undecided(decidable(m));
    }
    if (mw.some((m) => OWN_CSP_MIDDLEWARE.test(m))) return; // a CSP middleware: the other CSP rules judge it
    // a middleware of the project's that sends the header itself (`response["Content-Security-Policy"] = …`)
    const reader = { importRoots: ctx.project.importRoots, document: (f: string) => ctx.document(f) };
    if (mw.some((m) => middlewareInfo(reader, m, ctx.settings).headers?.includes('content-security-policy'))) return;
    const major = djangoCspMajor(ctx.project.versions?.djangoCsp);
    // a policy written (DDH412 judges whether its middleware sends it); django-csp 3.x's CSP_*
    // settings count unless the dependency files install django-csp 4, which reads none of them
    if (appliedPolicies(c, major).length > 0 || c.django.length > 0 || c.djangoCsp.length > 0 || (c.legacy.length > 0 && major !== '4'))
      return;
    const ignored =
      c.legacy.length > 0
        ? ` (the ${c.legacy[0]!.name}… settings are django-csp 3.x's, which the django-csp 4 installed here ignores)`
        : '';
    if (ctx.settings.get(DJANGO_CSP_SETTINGS.policy).isSet) return; // read by the project's own code
    // placed where a policy would be added: beside the security settings, else the module's last setting
    const own = atLeast(ctx.version.version, DJANGO_CSP_SINCE) ? 'SECURE_CSP' : DJANGO_CSP_SETTINGS.policy;
    // the nginx or Caddy in front of every place that hands requests to the app sends a policy
    const cover = proxyCover(ctx, 'content-security-policy');
    const covered = cover.severity === 'information' && !cover.unknown;
    // a policy the proxy sends that restricts no script (`frame-ancestors 'none'` alone) covers framing, not XSS
    const other = !covered && cover.note === '' ? proxyDoesWhere(ctx, 'csp-header') : undefined;
    const advice = ignored
      ? `move them into ${DJANGO_CSP_SETTINGS.policy} = {"DIRECTIVES": {...}} and add ${CSP_MIDDLEWARE.djangoCsp} to MIDDLEWARE`
      : atLeast(ctx.version.version, DJANGO_CSP_SINCE)
        ? 'add ContentSecurityPolicyMiddleware with a SECURE_CSP policy (start with SECURE_CSP_REPORT_ONLY)'
        : 'install django-csp with a CONTENT_SECURITY_POLICY (Django 6.0 has its own)';
    if (other)
      return ctx.report({
        loc: ctx.settings.get(own).loc,
        message: `The Content-Security-Policy the proxy in front sends (${other}) has neither script-src nor default-src, and the settings configure none${ignored}: it restricts framing or other loads, not scripts, so an XSS bug in a template runs as written; ${advice}, or give the proxy's policy a script-src.`,
      });
    if (adminOnly)
      return ctx.report({
        ...(covered ? { severity: 'hint' as const } : {}),
        loc: ctx.settings.get(own).loc,
        message: `No Content Security Policy is configured for ${adminOnly}: one would guard staff against XSS in the admin's customisations, not the API; add ${own === 'SECURE_CSP' ? 'SECURE_CSP' : 'django-csp'} if the admin is customised.${cover.note}`,
      });
    ctx.report({
      ...(covered ? { severity: 'hint' as const } : {}),
      loc: ctx.settings.get(own).loc,
      message: `No Content Security Policy is configured for a site that renders HTML${ignored}: an XSS bug in a template runs as written; ${advice}${covered ? '' : ', or make sure the proxy sets the header'}.${cover.note}`,
    });
  },
};
