// DDH308: Django's security.W016 — the CSRF cookie is not marked Secure.
import * as V from '../../eval/values';
import { atLeast } from '../../models/project/version';
import type { Rule } from '../types';
import { strictTransportInFront } from '../../models/requestPath/front';
import {
  MW,
  cookieChecksStrict,
  describeNotTrue,
  failingPlace,
  mustBeTrue,
  productionOnlySafety,
  securitySettingFix,
  undecided,
  withMiddleware,
  type SettingsView,
  type Verdict,
} from '../securitySettings';

/** security.W016's condition on the settings: CSRF_USE_SESSIONS falsy (1.11+) and CSRF_COOKIE_SECURE not True. */
export function csrfCookieVerdict(view: SettingsView): Verdict {
  const cookie = mustBeTrue(view, 'CSRF_COOKIE_SECURE', cookieChecksStrict(view));
  if (cookie.state === 'pass' || !atLeast(view.version, '1.11')) return cookie;
  const useSessions = view.settings.get('CSRF_USE_SESSIONS');
  if (useSessions.value.kind === 'unknown') return undecided(useSessions);
  if (V.truthy(useSessions.value))
    return { state: 'not-applicable', reason: 'CSRF_USE_SESSIONS is on: the token is kept in the session, not in a cookie' };
  return cookie;
}

export const csrfCookieInsecure: Rule = {
  code: 'DDH308',
  name: 'csrf-cookie-insecure',
  title: 'CSRF cookie not marked Secure',
  severity: 'warning',
  group: 'https-cookies',
  checklist: 'secure-cookies',
  django: ['security.W016'],
  djangoVersions: { since: '1.8' },
  // CSRF_COOKIE_SECURE is new in Django 1.4: the rule applies before `check --deploy` (1.8) mirrors it
  appliesSince: '1.4',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Mirrors Django's `security.W016`: `CsrfViewMiddleware` is installed, `CSRF_USE_SESSIONS` is off (Django 1.11+), and the production `CSRF_COOKIE_SECURE` is not `True` (Django's default is False). Since Django 4.1 only the boolean True passes; before, any true value did. Not reported without the CSRF middleware (DDH403 reports that) or when the token is kept in the session. When the settings assign it only in a branch production skips (saleor's `if ENABLE_SSL:` with ENABLE_SSL off unless set), the finding lands on that assignment and names the variables that would turn the branch on, with no quick fix; when a base module computed the value from its own DEBUG (`not DEBUG` in base.py, DEBUG = False only in production.py), the message says so. In a token-only JSON API (no admin, login or template view routed, no module rendering a template, and either DRF authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header: `models/settings/appKind.ts`) the finding is information and says so: Django still reports it, but no page asks for a CSRF token, so the cookie is never set. When nothing of the app asks for a CSRF token the finding is information and says so: CsrfViewMiddleware sets the cookie only when something called `get_token()` in the request (django/middleware/csrf.py, catalogue `djangoCookies.ts`), and the app-kind model (`models/settings/appCookies.ts`) finds nothing that does — every route of the URLconf read, none to the admin or Django's login views and no library's views imported, no `{% csrf_token %}` or `csrf_input` in any template file of the project, no `get_token()`, `ensure_csrf_cookie`, `rotate_token()` or `login()` in its modules, no django-allauth, `RemoteUserMiddleware` or Django REST framework browsable API (whose forms render `{% csrf_token %}`). Anything it cannot read keeps the warning. When every hop in front of the app both redirects plain HTTP to HTTPS and sends Strict-Transport-Security (the repository's nginx or Caddy, or a platform or ingress that does so by its documented default: docs/hops.md), the finding is information: a browser that holds the cookie stays on HTTPS while the policy lasts, so the flag is defence in depth.",
    why: 'Without the Secure flag the browser also sends the CSRF cookie over plain HTTP, where anyone on the network can read it, and with it forge requests that pass the CSRF check for that user.',
    example: 'MIDDLEWARE = [..., "django.middleware.csrf.CsrfViewMiddleware", ...]\n# CSRF_COOKIE_SECURE never set (False)',
    fix: 'Set `CSRF_COOKIE_SECURE = True` in the production settings, or keep the token in the session with `CSRF_USE_SESSIONS = True`. The quick fix sets the flag in the production module; it is safe when that module is production-only, unsafe when development runs the same module over plain HTTP.',
    good: 'CSRF_COOKIE_SECURE = True',
    references: [
      { title: 'Django: CSRF_COOKIE_SECURE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure' },
      {
        title: 'Django deployment checklist: CSRF_COOKIE_SECURE',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#csrf-cookie-secure',
      },
      { title: 'Django: CSRF_USE_SESSIONS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-use-sessions' },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.csrf, csrfCookieVerdict(ctx), ({ setting: s }) => {
      const place = failingPlace(ctx, s);
      const { loc, skipped } = place;
      const fix = skipped
        ? undefined
        : securitySettingFix(ctx, s, 'True', { title: 'Set CSRF_COOKIE_SECURE = True', safety: productionOnlySafety(ctx) });
      // Django reports it (parity), but a token-only JSON API renders no form and sets no CSRF cookie: said, as information
      const api = ctx.appKind?.tokenJsonApi;
      // nothing of the app asks for a CSRF token (models/settings/appCookies.ts): the middleware sets no cookie today
      const unset = api?.state === 'yes' ? undefined : ctx.cookiesSet?.csrf;
      const noneSet = unset?.state === 'no' ? unset : undefined;
      // a hop in front that redirects HTTP and sends HSTS keeps browsers off plain HTTP
      const strict = api?.state === 'yes' || noneSet ? undefined : strictTransportInFront(ctx);
      ctx.report({
        ...(place.basis ? { basis: place.basis } : {}),
        loc,
        ...(api?.state === 'yes' || noneSet || strict ? { severity: 'information' as const } : {}),
        message:
          api?.state === 'yes'
            ? `CSRF_COOKIE_SECURE ${describeNotTrue(s, cookieChecksStrict(ctx), place)}; ${api.brief} sets no CSRF cookie, but once it serves a form the cookie is also sent over plain HTTP; set it to True.`
            : noneSet
              ? `CSRF_COOKIE_SECURE ${describeNotTrue(s, cookieChecksStrict(ctx), place)}; nothing sets a CSRF cookie today (${noneSet.brief ?? noneSet.why}), so this matters only once something does (a form with {% csrf_token %}, the admin, a login): then it is also sent over plain HTTP, where it can be read; set it to True.`
              : strict
                ? `CSRF_COOKIE_SECURE ${describeNotTrue(s, cookieChecksStrict(ctx), place)}, but ${strict}; marking it Secure is defence in depth (without the policy it is also sent over plain HTTP); set it to True.`
                : `CSRF_COOKIE_SECURE ${describeNotTrue(s, cookieChecksStrict(ctx), place)}: browsers also send the CSRF cookie over plain HTTP, where it can be read; set it to True.`,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
