// DDH505: the site-cache middleware pair is incomplete or in the wrong place.
import type { Rule } from '../types';
import { MW, VARIES_RESPONSE, find, readMiddleware, short, violations, type OrderConstraint } from './order';
import { reportWithChange } from '../fixes/listEdits';

/** UpdateCacheMiddleware above every middleware that varies the response, FetchFromCacheMiddleware below them all. */
const UPDATE: OrderConstraint = { item: MW.updateCache, absent: 'UpdateCacheMiddleware is not installed', mustPrecede: VARIES_RESPONSE };
const FETCH: OrderConstraint = { item: MW.fetchCache, absent: 'FetchFromCacheMiddleware is not installed', mustFollow: VARIES_RESPONSE };

export const cacheMiddlewareOrder: Rule = {
  code: 'DDH505',
  name: 'cache-middleware-order',
  title: 'Cache middleware in the wrong place',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Checks Django's site-cache middleware against the ordering rules of its documentation: `UpdateCacheMiddleware` must come before every middleware that adds to the `Vary` header (`SessionMiddleware` and `CsrfViewMiddleware` add `Cookie`, `GZipMiddleware` adds `Accept-Encoding`, `LocaleMiddleware` adds `Accept-Language`), and `FetchFromCacheMiddleware` after all of them. Also flags one of the pair without the other.",
    why: "UpdateCacheMiddleware stores the response on its way out, keyed by the headers listed in `Vary` at that moment. A middleware above it adds its Vary header too late: with SessionMiddleware or CsrfViewMiddleware there, a page rendered for one logged-in user (or with one user's CSRF token) is stored without `Vary: Cookie` and served to everyone else. FetchFromCacheMiddleware above LocaleMiddleware looks pages up before the language is known, so visitors get pages in the wrong language. Alone, UpdateCacheMiddleware never stores anything (FetchFromCacheMiddleware marks what may be stored) and FetchFromCacheMiddleware never finds anything.",
    example:
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.cache.UpdateCacheMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.cache.FetchFromCacheMiddleware",\n    ...\n]',
    fix: 'Put UpdateCacheMiddleware near the top, above SessionMiddleware, CsrfViewMiddleware, GZipMiddleware and LocaleMiddleware, and FetchFromCacheMiddleware below all of them (the Django documentation puts it last). The finding says which middleware to move it past. The quick fixes move UpdateCacheMiddleware directly above the first middleware that varies the response, and FetchFromCacheMiddleware directly below the last one; they are unsafe, since they change which pages the site cache stores and serves. A lone UpdateCacheMiddleware is removed by a safe fix (it does nothing on its own); a lone FetchFromCacheMiddleware by an unsafe one (pages cached by `cache_page` views are no longer looked up before the view runs).',
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.cache.UpdateCacheMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n    ...\n    "django.middleware.cache.FetchFromCacheMiddleware",\n]',
    references: [
      { title: 'Django: the per-site cache', url: 'https://docs.djangoproject.com/en/stable/topics/cache/#the-per-site-cache' },
      { title: 'Django: order of MIDDLEWARE (cache)', url: 'https://docs.djangoproject.com/en/stable/topics/cache/#order-of-middleware' },
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
    ],
  },
  check(ctx) {
    const list = readMiddleware(ctx);
    if (!list) return;
    const update = find(list, MW.updateCache);
    const fetch = find(list, MW.fetchCache);
    if (!update && !fetch)
      return list.complete
        ? ctx.notApplicable('the site-cache middleware is not installed')
        : ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
    if (!update || !fetch) {
      if (!list.complete) return ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
      const present = (update ?? fetch)!;
      return reportWithChange(
        ctx,
        {
          loc: present.loc,
          message: update
            ? 'UpdateCacheMiddleware without FetchFromCacheMiddleware: the site cache never stores a page; add FetchFromCacheMiddleware at the end of the list, or remove both.'
            : 'FetchFromCacheMiddleware without UpdateCacheMiddleware: the site cache never holds a page; add UpdateCacheMiddleware near the top of the list, or remove both.',
        },
        update
          ? {
              setting: list.setting,
              kind: 'remove',
              items: [update],
              title: 'Remove UpdateCacheMiddleware (it stores nothing without FetchFromCacheMiddleware)',
              safety: 'safe',
            }
          : {
              setting: list.setting,
              kind: 'remove',
              items: [fetch!],
              title:
                'Remove FetchFromCacheMiddleware (changes behaviour: pages cached by cache_page are no longer looked up before the view)',
              safety: 'unsafe',
            },
      );
    }
    const up = violations(ctx, UPDATE);
    if (!up) return;
    const aboveUpdate = up.above;
    const updateItem = up.item;
    const kind = (i: { is?: string; name?: string }): string => i.is ?? i.name!;
    if (aboveUpdate.length > 0) {
      const first = kind(aboveUpdate[0]!);
      // the worst consequence decides the message: a Vary: Cookie lost anywhere above leaks pages
      // between visitors, even when a harmless Vary header comes first (GZip at the very top)
      const cookieItem = aboveUpdate.find((i) => kind(i) === MW.session || kind(i) === MW.csrf);
      const cookie = cookieItem && kind(cookieItem);
      const named =
        cookie && cookie !== first
          ? `${short(aboveUpdate[0]!.name!)} and ${short(cookieItem.name!)}, which add ${VARIES_RESPONSE.get(first)} and ${VARIES_RESPONSE.get(cookie)}`
          : `${short(aboveUpdate[0]!.name!)}, which adds ${VARIES_RESPONSE.get(first)}`;
      const leak = cookie ? 'a page made for one visitor can be served to others' : 'cached pages ignore that header';
      reportWithChange(
        ctx,
        {
          loc: updateItem.loc,
          message: `UpdateCacheMiddleware comes after ${named}: pages are cached without ${cookie && cookie !== first ? 'them' : 'it'} and ${leak}; move UpdateCacheMiddleware above ${short(aboveUpdate[0]!.name!)}.`,
        },
        {
          setting: list.setting,
          kind: 'move',
          items: [updateItem],
          before: aboveUpdate[0]!,
          title: `Move UpdateCacheMiddleware above ${short(aboveUpdate[0]!.name!)} (changes behaviour: changes which pages the site cache stores)`,
          safety: 'unsafe',
        },
      );
    }
    const down = violations(ctx, FETCH);
    if (!down) return;
    const belowFetch = down.below;
    if (belowFetch.length > 0) {
      const last = belowFetch[belowFetch.length - 1]!;
      const lastName = short(last.name!);
      reportWithChange(
        ctx,
        {
          loc: down.item.loc,
          message: `FetchFromCacheMiddleware comes before ${short(belowFetch[0]!.name!)}, which varies the response: cache lookups ignore what it varies on; move FetchFromCacheMiddleware below ${belowFetch.length > 1 ? `${lastName}, the last middleware that varies the response` : 'it'}.`,
        },
        {
          setting: list.setting,
          kind: 'move',
          items: [down.item],
          after: last,
          title: `Move FetchFromCacheMiddleware below ${lastName} (changes behaviour: changes which pages the site cache serves)`,
          safety: 'unsafe',
        },
      );
    }
  },
};
