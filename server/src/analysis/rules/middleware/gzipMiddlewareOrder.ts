// DDH506: GZipMiddleware below a middleware that reads or rewrites the response body.
import type { Rule } from '../types';
import { MW, READS_BODY, RESPONDS_ITSELF, nameList, short, violations, type OrderConstraint } from './order';
import { isDjangos, passedOver, reportWithChange, type Change } from '../fixes/listEdits';

/** GZipMiddleware above every middleware that reads the body (they must see it uncompressed). */
const ORDER: OrderConstraint = { item: MW.gzip, absent: 'GZipMiddleware is not installed', mustPrecede: READS_BODY };

export const gzipMiddlewareOrder: Rule = {
  code: 'DDH506',
  name: 'gzip-middleware-order',
  title: 'GZipMiddleware is below a middleware that uses the body',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "`GZipMiddleware` comes after a middleware that reads or rewrites the response body on its way out: `ConditionalGetMiddleware` (computes the ETag from the body), or an HTML minifier (`htmlmin`'s `HtmlMinifyMiddleware`, django-minify-html's `MinifyHtmlMiddleware`). CommonMiddleware is fine on either side (GZipMiddleware sets Content-Length itself). The debug toolbar, which also injects into the body, is reported by DDH509: it has no place in production.",
    why: "Responses travel up the list, so a middleware above GZipMiddleware gets the already compressed bytes: an ETag computed on gzip output, a minifier that skips or mangles the page. Django's GZipMiddleware documentation suggests putting it first, so that compression is the last thing that happens to a response.",
    example:
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.http.ConditionalGetMiddleware",\n    "django.middleware.gzip.GZipMiddleware",\n    ...\n]',
    fix: "Move GZipMiddleware above the middleware that use the body (below UpdateCacheMiddleware, which must come before it). Also weigh the BREACH attack described in the GZipMiddleware documentation before compressing pages that contain secrets. The quick fix moves GZipMiddleware directly above the first of them. It is safe when it only passes middleware that use the body and Django's own middleware that never answer a request themselves; passing one that does (CommonMiddleware's redirects, WhiteNoise) or a third-party one is unsafe, since its responses then get compressed too.",
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.gzip.GZipMiddleware",\n    "django.middleware.http.ConditionalGetMiddleware",\n    ...\n]',
    references: [
      { title: 'Django: GZip middleware', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.gzip' },
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
    ],
  },
  check(ctx) {
    const found = violations(ctx, ORDER);
    const culprit = found?.above[0];
    if (!found || !culprit) return;
    const { list, item: gzip } = found;
    const change: Change = {
      setting: list.setting,
      kind: 'move',
      items: [gzip],
      before: culprit,
      title: `Move GZipMiddleware above ${short(culprit.name!)}`,
      safety: 'safe',
    };
    const others = passedOver(list.items, change).filter(
      (i) => !(i.name !== undefined && READS_BODY.has(i.name)) && !(isDjangos(i) && !RESPONDS_ITSELF.has(i.name!)),
    );
    reportWithChange(
      ctx,
      {
        loc: gzip.loc,
        message: `GZipMiddleware comes after ${short(culprit.name!)}, which ${READS_BODY.get(culprit.is ?? culprit.name!)}: it gets the compressed bytes; move GZipMiddleware above it.`,
      },
      others.length === 0
        ? change
        : {
            ...change,
            safety: 'unsafe',
            title: `${change.title} (changes behaviour: responses of ${nameList(others)} then get compressed)`,
          },
    );
  },
};
