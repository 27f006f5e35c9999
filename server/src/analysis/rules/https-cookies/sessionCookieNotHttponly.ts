// DDH307: Django's security.W013 / W014 / W015 — the session cookie is readable by scripts.
import type { Rule } from '../types';
import { checkSessionCookie } from './sessionCookie';

export const sessionCookieNotHttponly: Rule = {
  code: 'DDH307',
  name: 'session-cookie-not-httponly',
  title: 'Session cookie readable by scripts',
  severity: 'warning',
  group: 'https-cookies',
  checklist: 'secure-cookies',
  django: ['security.W015', 'security.W013', 'security.W014'],
  djangoVersions: { since: '1.8' },
  // SESSION_COOKIE_HTTPONLY defaults to True since Django 1.4: the rule applies before `check --deploy` (1.8) mirrors it
  appliesSince: '1.4',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Mirrors Django's `security.W013`, `W014` and `W015`: the production `SESSION_COOKIE_HTTPONLY` is not `True` while sessions are in use. Django's default is True, so this only fires when a settings module turns it off. The id says what uses sessions: `W013` the app (`'django.contrib.sessions'` in `INSTALLED_APPS`), `W014` the middleware, `W015` both. Since Django 4.1 only the boolean True passes; before, any true value did. With the app but without `SessionMiddleware` (Django's `W010`/`W013` alone) the finding is information: Django sets no session cookie until the middleware is added. In a token-only JSON API (no admin, login or template view routed, no module using the session, and either DRF authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header: `models/settings/appKind.ts`) the finding is information and says so: Django still reports it, but nothing of the app starts a session. When nothing of the app writes a session the finding is information and says so: SessionMiddleware sets the cookie only for a session something wrote (django/contrib/sessions/middleware.py, catalogue `djangoCookies.ts`), and the app-kind model (`models/settings/appCookies.ts`) finds nothing that does — every route of the URLconf read, none to the admin or Django's login views and no library's views imported, no `login()`, `request.session`, `login_required` or messages in the project's modules, no django-allauth, `RemoteUserMiddleware`, or Django REST framework browsable API beside `SessionAuthentication`, and no `{% csrf_token %}` with `CSRF_USE_SESSIONS`. Anything it cannot read keeps the warning.",
    why: 'Without HttpOnly, JavaScript on the page can read the session cookie through `document.cookie`. Any cross-site scripting hole, or a compromised third-party script, can then send the session to an attacker, who is logged in as the user from anywhere.',
    example: 'SESSION_COOKIE_HTTPONLY = False',
    fix: 'Remove the line, or set `SESSION_COOKIE_HTTPONLY = True`. Front-end code never needs the session cookie itself; if it needs to know whether the user is logged in, expose that through a view. The quick fix sets it to True in the production module; it is safe when that module is production-only.',
    good: 'SESSION_COOKIE_HTTPONLY = True',
    references: [
      { title: 'Django: SESSION_COOKIE_HTTPONLY', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-httponly' },
      { title: 'OWASP: HttpOnly', url: 'https://owasp.org/www-community/HttpOnly' },
      { title: 'Django system checks: security', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#security' },
    ],
  },
  check(ctx) {
    checkSessionCookie(ctx, {
      setting: 'SESSION_COOKIE_HTTPONLY',
      ids: ['security.W013', 'security.W014', 'security.W015'],
      consequence: 'scripts on the page, such as an injected one, can read the session cookie and steal the session',
      shortConsequence: 'scripts on a page can read it',
    });
  },
};
