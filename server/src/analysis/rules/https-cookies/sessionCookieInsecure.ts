// DDH306: Django's security.W010 / W011 / W012 — the session cookie is not marked Secure.
import type { Rule } from '../types';
import { checkSessionCookie } from './sessionCookie';

export const sessionCookieInsecure: Rule = {
  code: 'DDH306',
  name: 'session-cookie-insecure',
  title: 'Session cookie not marked Secure',
  severity: 'warning',
  group: 'https-cookies',
  checklist: 'secure-cookies',
  django: ['security.W012', 'security.W010', 'security.W011'],
  djangoVersions: { since: '1.8' },
  // SESSION_COOKIE_SECURE is older than Django 1.4: the rule applies before `check --deploy` (1.8) mirrors it
  appliesSince: '1.4',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Mirrors Django's `security.W010`, `W011` and `W012`: the production `SESSION_COOKIE_SECURE` is not `True` (Django's default is False) while sessions are in use. Django picks the id by what uses them: `W010` when `'django.contrib.sessions'` is in `INSTALLED_APPS` (the exact string; an AppConfig path does not count), `W011` when `SessionMiddleware` is in `MIDDLEWARE`, `W012` when both are. Since Django 4.1 only the boolean True passes; before, any true value did. Not reported when neither is installed. When the settings assign it only in a branch production skips (saleor's `if ENABLE_SSL:` with ENABLE_SSL off unless set), the finding lands on that assignment and names the variables that would turn the branch on, with no quick fix; when a base module computed the value from its own DEBUG (`not DEBUG` in base.py, DEBUG = False only in production.py), the message says so. With the app but without `SessionMiddleware` (Django's `W010`/`W013` alone) the finding is information: Django sets no session cookie until the middleware is added. In a token-only JSON API (a URLconf routing no admin, login or template view, no module rendering a template or using `request.session`, and either Django REST framework authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header: the app-kind model, `models/settings/appKind.ts`) the finding is information and says so: Django still reports it, but nothing of the app starts a session. When nothing of the app writes a session the finding is information and says so: SessionMiddleware sets the cookie only for a session something wrote (django/contrib/sessions/middleware.py, catalogue `djangoCookies.ts`), and the app-kind model (`models/settings/appCookies.ts`) finds nothing that does — every route of the URLconf read, none to the admin or Django's login views and no library's views imported, no `login()`, `request.session`, `login_required` or messages in the project's modules, no django-allauth, `RemoteUserMiddleware`, or Django REST framework browsable API beside `SessionAuthentication`, and no `{% csrf_token %}` with `CSRF_USE_SESSIONS`. Anything it cannot read keeps the warning. When every hop in front of the app both redirects plain HTTP to HTTPS and sends Strict-Transport-Security (the repository's nginx or Caddy, or a platform or ingress that does so by its documented default: docs/hops.md), the finding is information: a browser that holds the cookie stays on HTTPS while the policy lasts, so the flag is defence in depth.",
    why: 'Without the Secure flag the browser also sends the session cookie over plain HTTP: one request to an `http://` address (a typed URL, an old link, an image on an HTTP page) hands the session to anyone on the network, who is then logged in as that user.',
    example:
      'INSTALLED_APPS = [..., "django.contrib.sessions", ...]\nMIDDLEWARE = [..., "django.contrib.sessions.middleware.SessionMiddleware", ...]\n# SESSION_COOKIE_SECURE never set (False)',
    fix: 'Set `SESSION_COOKIE_SECURE = True` in the production settings (development over plain HTTP keeps its own value). The quick fix sets it in the production module; it is safe when that module is production-only, unsafe when development runs the same module (login over plain HTTP then stops working there).',
    good: 'SESSION_COOKIE_SECURE = True',
    references: [
      { title: 'Django: SESSION_COOKIE_SECURE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure' },
      {
        title: 'Django deployment checklist: SESSION_COOKIE_SECURE',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#session-cookie-secure',
      },
      { title: 'Django system checks: security', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#security' },
    ],
  },
  check(ctx) {
    checkSessionCookie(ctx, {
      setting: 'SESSION_COOKIE_SECURE',
      ids: ['security.W010', 'security.W011', 'security.W012'],
      consequence: 'browsers also send the session cookie over plain HTTP, where anyone on the network can take over the session',
      shortConsequence: 'it is also sent over plain HTTP',
    });
  },
};
