// DDH501: SecurityMiddleware below a middleware that can answer a request itself.
import type { Rule } from '../types';
import { MW, answering, infoOf, nameList, short, violations, type MwItem, type MwList, type OrderConstraint } from './order';
import { isDjangos, passedOver, reportWithChange, type Change } from '../fixes/listEdits';
import { PLACED_ABOVE_SECURITY } from '../../catalogue/libraries';

/**
 * Middleware not reported above SecurityMiddleware: those their library documents as first or as
 * high as possible (the library catalogue: django-allow-cidr, django-prometheus' Before middleware,
 * CorsMiddleware), WhiteNoise (DDH502 says where it belongs), DebugToolbarMiddleware and its
 * subclasses (DDH509: not in production at all).
 */
const LEFT_TO_OTHERS = [...PLACED_ABOVE_SECURITY.map((p) => p.middleware), MW.whitenoise, MW.debugToolbar];

/**
 * SecurityMiddleware above every middleware that can answer a request itself (models/settings/middleware.ts
 * knows Django's and common third-party ones, and reads a project's own class from the workspace);
 * those that only tag, log, add headers or transform responses may precede it.
 */
const ORDER: OrderConstraint = {
  item: MW.security,
  absent: 'SecurityMiddleware is not installed (Django reports that as security.W001)',
  mustPrecede: answering(LEFT_TO_OTHERS),
};

export const securityMiddlewareNotFirst: Rule = {
  code: 'DDH501',
  name: 'security-middleware-not-first',
  title: 'SecurityMiddleware is below a middleware that answers requests',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "`django.middleware.security.SecurityMiddleware` comes after a middleware that can answer a request itself in the production `MIDDLEWARE`: one that returns a response without passing the request on (CommonMiddleware's and LocaleMiddleware's redirects, FetchFromCacheMiddleware's cached pages, a maintenance page) or replaces the response on its way out (ConditionalGetMiddleware, the flatpage and redirect fallbacks). The finding names it. Middleware that only read the request, tag or log it, add headers or transform responses (sessions, authentication, CSRF, GZip, UpdateCacheMiddleware, django-guid, django-prometheus…) may come first. A project's own middleware is read from the workspace: a class whose `process_request` returns something, or whose `__call__` returns something other than what `get_response` gave it, answers requests; one deriving from a known middleware behaves as that one. A middleware the analysis cannot read (a package outside the workspace that it has no entry for) is reported as information only. WhiteNoise above it is reported by DDH502 instead; middleware their library documents as first in the list or as high as possible are not reported: django-allow-cidr's `AllowCIDRMiddleware` (it takes over the Host check and must run before anything reads `request.get_host()`), django-prometheus' `PrometheusBeforeMiddleware` and django-cors-headers' `CorsMiddleware` (which answers only preflight requests); and django-debug-toolbar's middleware (which its documentation puts first) by DDH509, since it should not be in production at all.",
    why: "Middleware run top-down on the request. A response that a middleware above SecurityMiddleware returns itself (a redirect, a cached page, a maintenance page) never passes through SecurityMiddleware: it goes out over plain HTTP without the HTTPS redirect (`SECURE_SSL_REDIRECT`) and without the HSTS, nosniff, referrer-policy and cross-origin-opener headers. Django's middleware-ordering notes put SecurityMiddleware near the top for this reason. A middleware that always passes the request on does no such harm above it.",
    example:
      'MIDDLEWARE = [\n    "django.middleware.common.CommonMiddleware",  # answers with APPEND_SLASH redirects\n    "django.middleware.security.SecurityMiddleware",\n    ...\n]',
    fix: "Move SecurityMiddleware to the top of the list. With django-cors-headers and WhiteNoise, the order that satisfies both projects is SecurityMiddleware, CorsMiddleware, WhiteNoiseMiddleware, then the rest (CorsMiddleware may also come first). The quick fix moves SecurityMiddleware (with a CorsMiddleware or WhiteNoiseMiddleware directly below it, which belong there) above the first middleware that answers requests (or that the analysis cannot read). It is safe when it only passes Django's own middleware, which then simply run after the HTTPS redirect; passing a third-party or project middleware is unsafe, since that one may sit above SecurityMiddleware on purpose (a health check answered over plain HTTP).",
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
    if (!found) return;
    const { list, item: sec, above, uncertain } = found;
    const first = above[0] ?? uncertain[0];
    if (!first) return;
    const target = [...above, ...uncertain].reduce((a, b) => (b.index < a.index ? b : a));
    if (above.length > 0) {
      const how = infoOf(ctx, first.name!).answers as string;
      const rest = above.slice(1);
      const more = rest.length > 0 ? `, and after ${nameList(rest)}, which ${rest.length > 1 ? 'answer' : 'answers'} requests too` : '';
      return reportWithChange(
        ctx,
        {
          loc: sec.loc,
          message: `SecurityMiddleware comes after ${short(first.name!)}, which ${how}${more}: those responses skip the HTTPS redirect and the security headers; move SecurityMiddleware above ${rest.length > 0 ? 'them' : 'it'}.`,
        },
        moveToTop(list, sec, target),
      );
    }
    // only middleware the analysis cannot read stand above it: say what to check, as a hint
    reportWithChange(
      ctx,
      {
        loc: sec.loc,
        severity: 'information',
        message: `SecurityMiddleware comes after ${nameList(uncertain)}, which the analysis cannot read: if ${uncertain.length > 1 ? 'one of them answers' : 'it answers'} a request itself (a redirect, an error or maintenance page), that response skips the HTTPS redirect and the security headers.`,
      },
      moveToTop(list, sec, target),
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
