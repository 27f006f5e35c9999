// DDH401: Django's security.W001 — SecurityMiddleware is not installed.
import { MW, middlewareInstalled, subclassNote } from '../securitySettings';
import type { MwList } from '../middleware/order';
import type { Fix, Rule, RuleContext } from '../types';
import { addMiddlewareFix } from './middlewareInsert';

/** What may stay above SecurityMiddleware (as DDH501 judges it): they never answer a request themselves. */
const MAY_PRECEDE = new Set<string | undefined>([MW.cors, MW.updateCache, MW.gzip, MW.prometheusBefore]);

/**
 * Where SecurityMiddleware goes: directly above WhiteNoise (or above CorsMiddleware right before
 * it) when only middleware that may precede it come first, else at the top: the order DDH501 and
 * DDH502 ask for.
 */
function position(list: MwList): number {
  const wn = list.items.find((i) => i.name === MW.whitenoise);
  if (!wn) return 0;
  let at = wn.index;
  if (at > 0 && list.items[at - 1]!.name === MW.cors) at--;
  return list.items.slice(0, at).every((i) => MAY_PRECEDE.has(i.name)) ? at : 0;
}

/** Adding SecurityMiddleware, where DDH501 and DDH502 want it, when that starts no other finding. */
function fix(ctx: RuleContext, list: MwList): Fix | undefined {
  return addMiddlewareFix(
    ctx,
    list,
    MW.security,
    position(list),
    `Add SecurityMiddleware to ${list.setting.name} (turns on the HTTPS redirect and security headers the settings configure)`,
  );
}

export const securityMiddlewareMissing: Rule = {
  code: 'DDH401',
  name: 'security-middleware-missing',
  title: 'SecurityMiddleware is not installed',
  severity: 'warning',
  group: 'security-headers',
  checklist: 'security-middleware',
  django: ['security.W001'],
  djangoVersions: { since: '1.8' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W001`: `django.middleware.security.SecurityMiddleware` is not in the production `MIDDLEWARE` (`MIDDLEWARE_CLASSES` before Django 1.10). A `MIDDLEWARE` that is never set is Django's empty default, so it is reported too. A class of the project's that subclasses it (`class CustomSecurityMiddleware(SecurityMiddleware)`, read statically) is reported as information: Django's check tests the exact path and reports it all the same, while the subclass does what the middleware does, so the checks of the settings it applies are made on it.",
    why: 'SecurityMiddleware is what applies `SECURE_SSL_REDIRECT`, `SECURE_HSTS_*`, `SECURE_CONTENT_TYPE_NOSNIFF`, `SECURE_REFERRER_POLICY` and `SECURE_CROSS_ORIGIN_OPENER_POLICY`. Without it those settings do nothing, whatever their values: no HTTPS redirect, no HSTS, no security headers.',
    example:
      'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    ...\n]',
    fix: 'Add `"django.middleware.security.SecurityMiddleware"` at the top of the list (with WhiteNoise and django-cors-headers: SecurityMiddleware, CorsMiddleware, WhiteNoiseMiddleware, then the rest). The quick fix inserts it there when the list is written as one literal and the settings it reads already pass Django\'s checks; it is unsafe because it turns on what those settings say (redirects, HSTS).',
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    ...\n]',
    references: [
      {
        title: 'Django: SecurityMiddleware',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security',
      },
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
      { title: 'Django system checks: security', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#security' },
    ],
  },
  check(ctx) {
    const { installed, list } = middlewareInstalled(ctx, MW.security);
    if (installed !== false || !list) return;
    const subclass = subclassNote(ctx, list, MW.security, 'security.W001', 'DDH401');
    if (subclass) return ctx.report({ loc: list.setting.loc, severity: 'information', message: subclass });
    const f = fix(ctx, list);
    ctx.report({
      loc: list.setting.loc,
      message: `SecurityMiddleware is not in ${list.setting.name}: the HTTPS redirect, HSTS and the SECURE_* security headers are never applied, whatever the settings say; add it at the top of the list.`,
      fixes: f ? [f] : [],
    });
  },
};
