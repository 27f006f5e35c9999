// DDH501: SecurityMiddleware is not at the top of MIDDLEWARE.
import type { Rule } from '../types';
import { MW, nameList, short, violations, type MwItem, type MwList, type OrderConstraint } from './order';
import { isDjangos, passedOver, reportWithChange, type Change } from '../../fixes/listEdits';

/**
 * Middleware that may sit above SecurityMiddleware: they never answer a request themselves, so
 * the HTTPS redirect and the security headers still reach every response. WhiteNoise is left to
 * DDH502, which says where it belongs; DebugToolbarMiddleware and its subclasses (which the
 * toolbar's documentation puts first) to DDH509, which says they do not belong in production.
 */
const ORDER: OrderConstraint = {
  item: MW.security,
  absent: 'SecurityMiddleware is not installed (Django reports that as security.W001)',
  mustPrecede: { everyExcept: [MW.cors, MW.updateCache, MW.gzip, MW.prometheusBefore, MW.whitenoise, MW.debugToolbar] },
};

export const securityMiddlewareNotFirst: Rule = {
  code: 'DDH501',
  name: 'security-middleware-not-first',
  title: 'SecurityMiddleware is not at the top',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "`django.middleware.security.SecurityMiddleware` comes after another middleware in the production `MIDDLEWARE`. A few middleware may come before it because they never answer a request themselves: django-cors-headers' `CorsMiddleware`, `UpdateCacheMiddleware`, `GZipMiddleware` and django-prometheus' `PrometheusBeforeMiddleware`. WhiteNoise above it is reported by DDH502 instead, and django-debug-toolbar's middleware (which its documentation puts first) by DDH509, since it should not be in production at all.",
    why: "Middleware run top-down on the request. Everything above SecurityMiddleware runs before the HTTPS redirect (`SECURE_SSL_REDIRECT`), so a plain-HTTP request can reach it; and any response such a middleware returns itself (a redirect, a cached page, a static file) goes out without the HSTS, nosniff, referrer-policy and cross-origin-opener headers. Django's middleware-ordering notes put it near the top for this reason.",
    example:
      'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.security.SecurityMiddleware",\n    ...\n]',
    fix: "Move SecurityMiddleware to the top of the list. With django-cors-headers and WhiteNoise, the order that satisfies both projects is SecurityMiddleware, CorsMiddleware, WhiteNoiseMiddleware, then the rest (CorsMiddleware may also come first). The quick fix moves SecurityMiddleware (with a CorsMiddleware or WhiteNoiseMiddleware directly below it, which belong there) above the first middleware that must not precede it. It is safe when it only passes Django's own middleware, which then simply run after the HTTPS redirect; passing a third-party or project middleware is unsafe, since that one may sit above SecurityMiddleware on purpose (a health check answered over plain HTTP).",
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    ...\n]',
    references: [
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
      {
        title: 'Django: SecurityMiddleware',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security',
      },
      { title: 'Django: SECURE_SSL_REDIRECT', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect' },
    ],
  },
  check(ctx) {
    const found = violations(ctx, ORDER);
    if (!found || found.offending.length === 0) return;
    const { list, item: sec, offending } = found;
    reportWithChange(
      ctx,
      {
        loc: sec.loc,
        message: `SecurityMiddleware comes after ${nameList(offending)}: move it to the top of ${list.setting.name} so its HTTPS redirect and security headers cover every response.`,
      },
      moveToTop(list, sec, offending[0]!),
    );
  },
};

/** SecurityMiddleware, with the CorsMiddleware / WhiteNoiseMiddleware directly below it, moved above `target`. */
function moveToTop(list: MwList, sec: MwItem, target: MwItem): Change {
  const items = [sec];
  for (const next of list.items.slice(sec.index + 1)) {
    if (next.name !== MW.cors && next.name !== MW.whitenoise) break;
    items.push(next);
  }
  const companions =
    items.length > 1
      ? ` (with the ${items
          .slice(1)
          .map((i) => short(i.name!))
          .join(' and ')} below it)`
      : '';
  const where = target.index === 0 ? `to the top of ${list.setting.name}` : `above ${short(target.name!)}`;
  const change: Change = { setting: list.setting, kind: 'move', items, before: target, title: '', safety: 'safe' };
  const others = passedOver(list.items, change).filter((i) => !isDjangos(i));
  if (others.length === 0) return { ...change, title: `Move SecurityMiddleware${companions} ${where}` };
  return {
    ...change,
    safety: 'unsafe',
    title: `Move SecurityMiddleware${companions} ${where} (changes behaviour: ${nameList(others)} then ${others.length > 1 ? 'run' : 'runs'} after its HTTPS redirect)`,
  };
}
