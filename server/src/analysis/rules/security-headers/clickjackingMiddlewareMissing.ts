// DDH402: Django's security.W002 — XFrameOptionsMiddleware is not installed.
import { proxyCover } from '../../models/requestPath/coverage';
import { MW, middlewareInstalled, subclassNote } from '../securitySettings';
import type { Rule } from '../types';
import { addMiddlewareFix } from './middlewareInsert';

export const clickjackingMiddlewareMissing: Rule = {
  code: 'DDH402',
  name: 'clickjacking-middleware-missing',
  title: 'XFrameOptionsMiddleware is not installed',
  severity: 'warning',
  group: 'security-headers',
  checklist: 'security-middleware',
  django: ['security.W002'],
  djangoVersions: { since: '1.8' },
  // XFrameOptionsMiddleware is new in Django 1.4: the rule applies before `check --deploy` (1.8) mirrors it
  appliesSince: '1.4',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W002`: `django.middleware.clickjacking.XFrameOptionsMiddleware` is not in the production `MIDDLEWARE` (`MIDDLEWARE_CLASSES` before Django 1.10), also when `MIDDLEWARE` is never set. In a token-only JSON API (no admin, login or template view routed, and either DRF authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header: `models/settings/appKind.ts`) the finding is information and says so: Django still reports it, but there is no page to frame. A class of the project's that subclasses it (`class CustomSecurityMiddleware(SecurityMiddleware)`, read statically) is reported as information: Django's check tests the exact path and reports it all the same, while the subclass does what the middleware does, so the checks of the settings it applies are made on it.",
    why: 'Without it responses carry no `X-Frame-Options` header, so any site can load the pages in an invisible frame and trick a logged-in user into clicking buttons there (clickjacking): changing a password, confirming a payment.',
    example:
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n]',
    fix: 'Add `"django.middleware.clickjacking.XFrameOptionsMiddleware"` (at the end of the list, as startproject does), or send CSP `frame-ancestors` from elsewhere and silence `security.W002`. The quick fix appends it when the list is written as one literal and `X_FRAME_OPTIONS` is already `\'DENY\'`; it is unsafe because no site, this one included, can frame the pages afterwards.',
    good: 'MIDDLEWARE = [\n    ...,\n    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n]',
    references: [
      { title: 'Django: clickjacking protection', url: 'https://docs.djangoproject.com/en/stable/ref/clickjacking/' },
      { title: 'Django: X_FRAME_OPTIONS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#x-frame-options' },
      { title: 'OWASP: clickjacking defense', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Clickjacking_Defense_Cheat_Sheet.html' },
    ],
  },
  check(ctx) {
    const { installed, list } = middlewareInstalled(ctx, MW.xframe);
    if (installed !== false || !list) return;
    const subclass = subclassNote(ctx, list, MW.xframe, 'security.W002', 'DDH402');
    if (subclass) return ctx.report({ loc: list.setting.loc, severity: 'information', message: subclass });
    // With anything but DENY, adding the middleware would start DDH405 (security.W019): then no fix.
    const fetch = list.items.find((i) => i.name === MW.fetchCache);
    const fix = addMiddlewareFix(
      ctx,
      list,
      MW.xframe,
      fetch ? fetch.index : list.items.length,
      `Add XFrameOptionsMiddleware to ${list.setting.name} (no site can show the pages in frames any more)`,
    );
    const cover = proxyCover(ctx, 'frame-options');
    // Django reports it (parity); a token-only JSON API has no page another site could frame: said, as information
    const api = ctx.appKind?.tokenJsonApi;
    ctx.report({
      loc: list.setting.loc,
      message:
        api?.state === 'yes'
          ? `XFrameOptionsMiddleware is not in ${list.setting.name}: responses carry no X-Frame-Options header; ${api.brief} serves no page to frame, but pages added later could be (clickjacking); add it.${cover.note}`
          : `XFrameOptionsMiddleware is not in ${list.setting.name}: responses carry no X-Frame-Options header, so other sites can frame the pages (clickjacking); add it.${cover.note}`,
      severity: api?.state === 'yes' ? 'information' : cover.severity,
      fixes: fix ? [fix] : [],
    });
  },
};
