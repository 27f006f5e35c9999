// DDH403: Django's security.W003 — CsrfViewMiddleware is not installed.
import { MW, middlewareInstalled, subclassNote } from '../securitySettings';
import type { MwList } from '../middleware/order';
import type { Rule } from '../types';
import { addMiddlewareFix } from './middlewareInsert';

/** Middleware that belong below CsrfViewMiddleware: they log users in, rely on CSRF being dealt with, or must see what it varies. */
const BELOW = new Set<string | undefined>([
  MW.auth,
  MW.remoteUser,
  MW.persistentRemoteUser,
  MW.loginRequired,
  MW.messages,
  MW.xframe,
  MW.fetchCache,
  MW.flatpages,
  MW.redirects,
]);
/** Middleware that belong above it (sessions must come first when CSRF_USE_SESSIONS is on; the cache pair must wrap it). */
const ABOVE = new Set<string | undefined>([MW.security, MW.cors, MW.whitenoise, MW.updateCache, MW.gzip, MW.session, MW.common, MW.locale]);

/** Where CsrfViewMiddleware goes, or undefined when the list's order leaves no right place. */
function position(list: MwList): number | undefined {
  const first = list.items.find((i) => BELOW.has(i.name));
  const at = first ? first.index : list.items.length;
  return list.items.slice(at).some((i) => ABOVE.has(i.name)) ? undefined : at;
}

export const csrfMiddlewareMissing: Rule = {
  code: 'DDH403',
  name: 'csrf-middleware-missing',
  title: 'CsrfViewMiddleware is not installed',
  severity: 'warning',
  group: 'security-headers',
  checklist: 'security-middleware',
  django: ['security.W003'],
  djangoVersions: { since: '1.8' },
  // CsrfViewMiddleware is in Django's default MIDDLEWARE_CLASSES since 1.2: the rule applies before `check --deploy` (1.8) mirrors it
  appliesSince: '1.4',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W003`: `django.middleware.csrf.CsrfViewMiddleware` is not in the production `MIDDLEWARE` (`MIDDLEWARE_CLASSES` before Django 1.10; its default there included it), also when `MIDDLEWARE` is never set. In a token-only JSON API (no admin, login or template view routed, no module using the session, and either DRF authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header: `models/settings/appKind.ts`) the finding is information and says so: Django still reports it, but no request is authenticated by a cookie another site could make a browser send. A middleware of another package with Django's class name (`verbose_csrf_middleware.CsrfViewMiddleware`, a replacement with more detailed failure reasons) is reported at information: Django's check reports W003 all the same, since it looks for its own class only. A class of the project's that subclasses it (`class CustomSecurityMiddleware(SecurityMiddleware)`, read statically) is reported as information: Django's check tests the exact path and reports it all the same, while the subclass does what the middleware does, so the checks of the settings it applies are made on it.",
    why: "Without the middleware only views decorated with `@csrf_protect` are protected. Every other view that changes something on POST can be triggered by a form on another site, with the visitor's cookies: cross-site request forgery. Forgetting the decorator on one view is enough.",
    example:
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]',
    fix: 'Add `"django.middleware.csrf.CsrfViewMiddleware"` after SessionMiddleware and CommonMiddleware and before AuthenticationMiddleware, as startproject does, and put `{% csrf_token %}` in the forms. An API that authenticates with tokens rather than cookies can silence `security.W003` instead. The quick fix inserts it there when the list is written as one literal and the CSRF cookie is already Secure; it is unsafe because POST requests without a token are then refused.',
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]',
    references: [
      { title: 'Django: cross-site request forgery protection', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/' },
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
      { title: 'Django system checks: security', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#security' },
    ],
  },
  check(ctx) {
    const { installed, list } = middlewareInstalled(ctx, MW.csrf);
    if (installed !== false || !list) return;
    const subclass = subclassNote(ctx, list, MW.csrf, 'security.W003', 'DDH403');
    if (subclass) return ctx.report({ loc: list.setting.loc, severity: 'information', message: subclass });
    // Offered when adding it starts no other finding (the CSRF cookie settings already pass W016;
    // with CSRF_USE_SESSIONS, SessionMiddleware is above the place it goes).
    const at = position(list);
    const fix =
      at !== undefined
        ? addMiddlewareFix(
            ctx,
            list,
            MW.csrf,
            at,
            `Add CsrfViewMiddleware to ${list.setting.name} (POST requests without a CSRF token are then refused)`,
          )
        : undefined;
    // Django reports it (parity) also where a replacement of its own name is installed
    // (verbose_csrf_middleware.CsrfViewMiddleware): its check knows only Django's class, so the
    // finding is information and says the replacement is there
    const replacement = list.items.find((i) => i.name !== MW.csrf && i.name?.endsWith('.CsrfViewMiddleware'));
    if (replacement?.name) {
      ctx.report({
        loc: list.setting.loc,
        severity: 'information',
        message: `${list.setting.name} has ${replacement.name}, not Django's CsrfViewMiddleware: a replacement by its name, which Django's check (security.W003) does not recognise; if it checks CSRF tokens as Django's does, silence security.W003 (SILENCED_SYSTEM_CHECKS) or add # noqa: DDH403.`,
      });
      return;
    }
    // a token-only JSON API authenticates no request by a cookie another site could make a browser send: said, as information
    const api = ctx.appKind?.tokenJsonApi;
    ctx.report({
      loc: list.setting.loc,
      ...(api?.state === 'yes' ? { severity: 'information' as const } : {}),
      message:
        api?.state === 'yes'
          ? `CsrfViewMiddleware is not in ${list.setting.name}: ${api.brief} authenticates no request by a cookie, so no request can be forged, but a view that uses the session later would be open to it; add it after SessionMiddleware.`
          : `CsrfViewMiddleware is not in ${list.setting.name}: views are open to cross-site request forgery unless each one is decorated with csrf_protect; add it after SessionMiddleware.`,
      fixes: fix ? [fix] : [],
    });
  },
};
