// DDH502: WhiteNoiseMiddleware is not directly below SecurityMiddleware.
import type { Rule } from '../types';
import { staticServedInFront } from '../proxy/shared';
import { entryName, MW, nameList, short, violations, type MwItem, type MwList, type OrderConstraint } from './order';
import { isDjangos, passedOver, reportWithChange, type Change } from '../fixes/listEdits';

/**
 * WhiteNoise directly below SecurityMiddleware, with only CorsMiddleware between them; without
 * SecurityMiddleware, above everything but the middleware that never answer and belong at the top.
 */
const ORDER: OrderConstraint = {
  item: MW.whitenoise,
  absent: 'WhiteNoiseMiddleware is not installed',
  directlyBelow: { item: MW.security, between: [MW.cors], otherwiseAfter: [MW.cors, MW.updateCache, MW.gzip, MW.prometheusBefore] },
};

export const whitenoiseNotAfterSecurity: Rule = {
  code: 'DDH502',
  name: 'whitenoise-not-after-security',
  title: 'WhiteNoise is not directly after SecurityMiddleware',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "`whitenoise.middleware.WhiteNoiseMiddleware` is not directly below `SecurityMiddleware` in the production `MIDDLEWARE`: it comes above it, or other middleware sit between them. django-cors-headers' `CorsMiddleware` is the one middleware allowed between the two. Without SecurityMiddleware, WhiteNoise should be the first entry (CorsMiddleware, UpdateCacheMiddleware, GZipMiddleware and PrometheusBeforeMiddleware may precede it). A project's class deriving from one of these middleware, found in the workspace, counts as that middleware. Not reported when the nginx in front answers `STATIC_URL` from disk itself: WhiteNoise then serves no static file.",
    why: 'WhiteNoise answers static-file requests itself and stops there. Above SecurityMiddleware, static files are served over plain HTTP without a redirect and without the security headers. Below other middleware, every static file pays for sessions, CSRF, authentication, locale and so on, and a middleware that answers first (CommonMiddleware\'s slash redirects) can get in the way. WhiteNoise\'s own documentation: directly after SecurityMiddleware, above everything else.\n\nWhere WhiteNoise and django-cors-headers disagree: WhiteNoise says "above all other middleware apart from SecurityMiddleware"; django-cors-headers says CorsMiddleware goes "as high as possible", explicitly above WhiteNoiseMiddleware, or static files (fonts, scripts loaded from another origin) get no CORS headers. Security, Cors, WhiteNoise, then the rest satisfies both as far as possible: CorsMiddleware, like SecurityMiddleware, only adds headers and answers CORS preflight requests, so putting it between them keeps what WhiteNoise\'s advice is for (static files skip everything that is not about headers) while giving static files their CORS headers.',
    example:
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    ...\n]',
    fix: "Move WhiteNoiseMiddleware directly below SecurityMiddleware (below CorsMiddleware if you use django-cors-headers). The quick fix does that (without SecurityMiddleware: above the first middleware that must not precede it). It is safe when WhiteNoise only passes Django's own middleware, which static files never needed; passing a third-party or project middleware is unsafe, since static files then skip it (it may be there to guard them).",
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    ...\n]',
    references: [
      {
        title: 'WhiteNoise: using WhiteNoise with Django',
        url: 'https://whitenoise.readthedocs.io/en/stable/django.html#enable-whitenoise',
      },
      { title: 'django-cors-headers: setup', url: 'https://github.com/adamchainz/django-cors-headers#setup' },
      {
        title: 'django-cors-headers issue #373: CorsMiddleware and WhiteNoise order',
        url: 'https://github.com/adamchainz/django-cors-headers/issues/373',
      },
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
    ],
  },
  check(ctx) {
    const found = violations(ctx, ORDER);
    if (!found) return;
    // nginx in front answers STATIC_URL from disk: WhiteNoise serves no static file, wherever it sits
    const front = staticServedInFront(ctx);
    if (front.state === 'yes')
      return ctx.notApplicable(
        `${front.where} serves STATIC_URL itself, so WhiteNoise serves no static file in production and its place in MIDDLEWARE changes nothing`,
      );
    const { list, item: wn, anchor: sec, aboveAnchor, above } = found;
    // a second SecurityMiddleware entry between them is the same middleware again (DDH507 reports the
    // duplicate): WhiteNoise directly below it is where it belongs
    const offending = sec ? above.filter((m) => m.name !== sec.name) : above;
    if (sec && aboveAnchor) {
      return reportWithChange(
        ctx,
        {
          loc: wn.loc,
          message: `${entryName(ctx, wn.name, MW.whitenoise)} comes before SecurityMiddleware: static files skip the HTTPS redirect and security headers; move it directly below SecurityMiddleware.`,
        },
        belowSecurity(list, wn, sec),
      );
    }
    if (offending.length === 0) return;
    reportWithChange(
      ctx,
      {
        loc: wn.loc,
        message: sec
          ? `${entryName(ctx, wn.name, MW.whitenoise)} comes after ${nameList(offending)}: move it directly below SecurityMiddleware (CorsMiddleware may sit between) so static files skip the other middleware.`
          : `${entryName(ctx, wn.name, MW.whitenoise)} comes after ${nameList(offending)}: put it at the top of ${list.setting.name} (below SecurityMiddleware once you add it).`,
      },
      sec
        ? belowSecurity(list, wn, sec)
        : judged(
            list,
            { setting: list.setting, kind: 'move', items: [wn], before: offending[0]!, title: '', safety: 'safe' },
            offending[0]!.index === 0 ? `to the top of ${list.setting.name}` : `above ${short(offending[0]!.name!)}`,
          ),
    );
  },
};

/** WhiteNoise directly below SecurityMiddleware, or below the CorsMiddleware directly under it. */
function belowSecurity(list: MwList, wn: MwItem, sec: MwItem): Change {
  let anchor = sec;
  for (const next of list.items.slice(sec.index + 1)) {
    if (next.is !== MW.cors) break;
    anchor = next;
  }
  const where = anchor === sec ? 'directly below SecurityMiddleware' : 'directly below the CorsMiddleware under SecurityMiddleware';
  return judged(list, { setting: list.setting, kind: 'move', items: [wn], after: anchor, title: '', safety: 'safe' }, where);
}

/** Safe when WhiteNoise only passes Django's own middleware (and CorsMiddleware, which only adds headers). */
function judged(list: MwList, change: Change, where: string): Change {
  const others = passedOver(list.items, change).filter((i) => !isDjangos(i) && (i as MwItem).is !== MW.cors);
  if (others.length === 0) return { ...change, title: `Move WhiteNoiseMiddleware ${where}` };
  return {
    ...change,
    safety: 'unsafe',
    title: `Move WhiteNoiseMiddleware ${where} (changes behaviour: static files then skip ${nameList(others)})`,
  };
}
