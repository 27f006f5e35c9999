// DDH503: CorsMiddleware below a middleware that answers requests itself.
import { hasValue } from '../../models/settings/query';
import { CORS_BEHAVIOUR, CORS_HEADERS, WHITENOISE_STATIC } from '../../catalogue/libraries';
import * as V from '../../eval/values';
import type { Settings } from '../../models/settings/settings';
import { localeRedirects } from '../../models/project/urls';
import type { Rule, SettingsRuleContext } from '../types';
import {
  ANSWERS_ONLY_NOT_MODIFIED,
  MW,
  RESPONDS_ITSELF,
  find,
  nameList,
  short,
  violations,
  type MwItem,
  type MwList,
  type OrderConstraint,
} from './order';
import { isDjangos, passedOver, reportWithChange, type Change } from '../fixes/listEdits';

/** CorsMiddleware above every middleware that answers requests itself (those responses get no CORS headers). */
const ORDER: OrderConstraint = { item: MW.cors, absent: 'CorsMiddleware is not installed', mustPrecede: RESPONDS_ITSELF };

/** The middleware that answer requests themselves in this project: without those `skip` names. */
function withoutAnswering(skip: readonly string[]): OrderConstraint {
  return { ...ORDER, mustPrecede: new Map([...RESPONDS_ITSELF].filter(([name]) => !skip.includes(name))) };
}

/**
 * Whether LocaleMiddleware answers with redirects in this project: only where the root URLconf
 * uses i18n_patterns (models/project/urls.ts localeRedirects); true when that cannot be read.
 */
function localeAnswers(ctx: SettingsRuleContext): boolean {
  const urlconf = ctx.settings.get('ROOT_URLCONF').value;
  if (urlconf.kind !== 'str') return true;
  return localeRedirects((f) => ctx.fileText(f), ctx.project.importRoots, urlconf.v) !== false;
}

/** Whether WhiteNoise keeps its default of allowing every origin on its static files (not known False). */
function whitenoiseAllowsAllOrigins(settings: Settings): boolean {
  const a = settings.query(WHITENOISE_STATIC.allowAllOrigins.knob);
  const off = (hasValue(a) || a.state === 'unset') && a.value.kind === 'bool' && !a.value.v;
  return WHITENOISE_STATIC.allowAllOrigins.value && !off;
}

/** The settings with which django-cors-headers allows an origin (CORS_BEHAVIOUR.headersOnlyForAllowedOrigins). */
const ALLOWING = [
  CORS_HEADERS.settings.allowAllOrigins,
  CORS_HEADERS.settings.allowedOrigins,
  CORS_HEADERS.settings.allowedOriginRegexes,
  CORS_HEADERS.settings.originModel,
];

/**
 * Why django-cors-headers puts no CORS header on any response, whatever CorsMiddleware's place:
 * every setting that allows an origin is at its default (never set, or set to an empty list or
 * False), and no module of the project names the signal a receiver would allow requests through.
 * Undefined when it may allow some origin.
 */
function allowsNoOrigin(ctx: SettingsRuleContext): string | undefined {
  for (const setting of ALLOWING) {
    const a = ctx.settings.answerOf(ctx.settings.effective(setting.name));
    if (a.state === 'unset') {
      if (a.overriddenBy?.length) return undefined;
      continue;
    }
    // a value the deployment gives or may replace, or one the analysis cannot read, may allow some
    if (a.state !== 'known' || V.truthy(a.value) !== false) return undefined;
  }
  const signal = CORS_BEHAVIOUR.checkRequestEnabledSignal.value;
  const code = ctx.codeMentions(signal);
  if (code?.state !== 'no') return undefined;
  const { allowedOrigins, allowedOriginRegexes, allowAllOrigins } = CORS_HEADERS.settings;
  return `django-cors-headers allows no origin: ${allowedOrigins.name}, ${allowedOriginRegexes.name} and ${allowAllOrigins.name} (and their old names) are empty or never set, and ${code.why}, its signal for allowing requests in code, so no response gets CORS headers wherever CorsMiddleware stands`;
}

export const corsMiddlewareTooLow: Rule = {
  code: 'DDH503',
  name: 'cors-middleware-too-low',
  title: 'CorsMiddleware is below a middleware that returns responses',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "django-cors-headers' `CorsMiddleware` comes after a middleware that can answer a request itself or replace the response: `CommonMiddleware` (APPEND_SLASH / PREPEND_WWW redirects), `LocaleMiddleware` (language redirects, only where the root URLconf uses `i18n_patterns` with the default language prefixed: without them it redirects nothing), `ConditionalGetMiddleware` (rebuilds 304 responses with only a few headers) and the flatpage / redirect fallback middleware, and `WhiteNoiseMiddleware` (static files) only when `WHITENOISE_ALLOW_ALL_ORIGINS = False`: by default WhiteNoise sends `Access-Control-Allow-Origin: *` on every static file itself (WhiteNoise 1.0 and later; see docs/hops.md). CsrfViewMiddleware is not on the list: its 403 comes from `process_view`, and such a response passes back through every middleware, CorsMiddleware included. Not applicable when django-cors-headers allows no origin at all: `CORS_ALLOWED_ORIGINS`, `CORS_ALLOWED_ORIGIN_REGEXES` and `CORS_ALLOW_ALL_ORIGINS` (and their pre-3.5 names, and the pre-3.0 `CORS_MODEL`) empty or never set, and no module of the project naming its `check_request_enabled` signal, through which a receiver allows requests in code: it then adds no CORS header to any response, wherever it stands. ConditionalGetMiddleware alone above it is information: its bare 304s answer only a browser revalidating a response it stored, which keeps the CORS headers stored with it (RFC 9111 4.3.4; catalogue NOT_MODIFIED_KEEPS_STORED_HEADERS).",
    why: 'CorsMiddleware adds the Access-Control-* headers on the way out and answers preflight (OPTIONS) requests on the way in. A response returned by a middleware above it never reaches it, so the browser blocks it: fonts and scripts served by WhiteNoise to another origin, redirects from CommonMiddleware, 304s. django-cors-headers asks for the middleware "as high as possible", naming CommonMiddleware and WhiteNoiseMiddleware.',
    example:
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    ...\n]',
    fix: "Move CorsMiddleware up, directly below SecurityMiddleware and above WhiteNoiseMiddleware (see DDH502 for why that order suits both projects). The quick fix does that (directly above the first middleware that answers itself when SecurityMiddleware is missing or below it). It is safe when CorsMiddleware only passes Django's own middleware and WhiteNoise; passing a third-party or project middleware is unsafe, since preflight requests, which CorsMiddleware answers itself, then skip it.",
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    ...\n]',
    references: [
      { title: 'django-cors-headers: setup', url: 'https://github.com/adamchainz/django-cors-headers#setup' },
      {
        title: 'Django: how middleware work (short-circuiting)',
        url: 'https://docs.djangoproject.com/en/stable/topics/http/middleware/#middleware-order-and-layering',
      },
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
    ],
  },
  check(ctx) {
    const skip = [...(whitenoiseAllowsAllOrigins(ctx.settings) ? [MW.whitenoise] : []), ...(localeAnswers(ctx) ? [] : [MW.locale])];
    const found = violations(ctx, skip.length === 0 ? ORDER : withoutAnswering(skip));
    const culprit = found?.above[0];
    if (!found || !culprit) return;
    const off = allowsNoOrigin(ctx);
    if (off) return ctx.notApplicable(off);
    const { list, item: cors } = found;
    // only ConditionalGet's 304s: the browser keeps the CORS headers stored with the response it
    // revalidates (NOT_MODIFIED_KEEPS_STORED_HEADERS)
    if (found.above.every((i) => ANSWERS_ONLY_NOT_MODIFIED.has(i.is ?? i.name ?? '')))
      return reportWithChange(
        ctx,
        {
          loc: cors.loc,
          severity: 'information',
          message: `CorsMiddleware comes after ${short(culprit.name!)}, which ${RESPONDS_ITSELF.get(culprit.is ?? culprit.name!)}: those 304s carry no CORS headers, which costs little, as a browser revalidates only a response it stored and keeps the CORS headers stored with it (RFC 9111 4.3.4); move CorsMiddleware above it to keep the usual order.`,
        },
        moveUp(list, cors, culprit),
      );
    reportWithChange(
      ctx,
      {
        loc: cors.loc,
        message: `CorsMiddleware comes after ${short(culprit.name!)}, which ${RESPONDS_ITSELF.get(culprit.is ?? culprit.name!)}: those responses get no CORS headers; move CorsMiddleware above it.`,
      },
      moveUp(list, cors, culprit),
    );
  },
};

/** Directly below SecurityMiddleware when that is above the culprit (the order both projects accept), else directly above the culprit. */
function moveUp(list: MwList, cors: MwItem, culprit: MwItem): Change {
  const sec = find(list, MW.security);
  const base = { setting: list.setting, kind: 'move' as const, items: [cors], safety: 'safe' as const };
  const [change, where]: [Change, string] =
    sec && sec.index < culprit.index
      ? [{ ...base, after: sec, title: '' }, 'directly below SecurityMiddleware']
      : [{ ...base, before: culprit, title: '' }, `above ${short(culprit.name!)}`];
  const others = passedOver(list.items, change).filter((i) => !isDjangos(i) && i.name !== MW.whitenoise);
  if (others.length === 0) return { ...change, title: `Move CorsMiddleware ${where}` };
  return {
    ...change,
    safety: 'unsafe',
    title: `Move CorsMiddleware ${where} (changes behaviour: preflight requests then skip ${nameList(others)})`,
  };
}
