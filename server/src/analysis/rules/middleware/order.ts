// Shared knowledge for the middleware rules: the dotted paths of the middleware they know, what
// each one does to requests and responses (which is what makes an order right or wrong), and a
// reader for MIDDLEWARE that says how much of the list is known.
//
// Facts, from Django's "Middleware ordering" reference and the middleware sources
// (django/middleware/*.py, django/contrib/*/middleware.py), WhiteNoise's and django-cors-headers'
// documentation. "Above" means earlier in the list: it sees the request first and the response last.
import { isPartial, isSupplied } from '../../core/query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { atLeast } from '../../project/version';
import { echoable } from '../helpers';
import type { SettingValue } from '../settings';
import type { RuleContext } from '../types';

export const MW = {
  security: 'django.middleware.security.SecurityMiddleware',
  whitenoise: 'whitenoise.middleware.WhiteNoiseMiddleware',
  cors: 'corsheaders.middleware.CorsMiddleware',
  common: 'django.middleware.common.CommonMiddleware',
  brokenLinks: 'django.middleware.common.BrokenLinkEmailsMiddleware',
  session: 'django.contrib.sessions.middleware.SessionMiddleware',
  auth: 'django.contrib.auth.middleware.AuthenticationMiddleware',
  remoteUser: 'django.contrib.auth.middleware.RemoteUserMiddleware',
  persistentRemoteUser: 'django.contrib.auth.middleware.PersistentRemoteUserMiddleware',
  loginRequired: 'django.contrib.auth.middleware.LoginRequiredMiddleware',
  messages: 'django.contrib.messages.middleware.MessageMiddleware',
  csrf: 'django.middleware.csrf.CsrfViewMiddleware',
  xframe: 'django.middleware.clickjacking.XFrameOptionsMiddleware',
  updateCache: 'django.middleware.cache.UpdateCacheMiddleware',
  fetchCache: 'django.middleware.cache.FetchFromCacheMiddleware',
  gzip: 'django.middleware.gzip.GZipMiddleware',
  locale: 'django.middleware.locale.LocaleMiddleware',
  conditionalGet: 'django.middleware.http.ConditionalGetMiddleware',
  flatpages: 'django.contrib.flatpages.middleware.FlatpageFallbackMiddleware',
  redirects: 'django.contrib.redirects.middleware.RedirectFallbackMiddleware',
  xview: 'django.contrib.admindocs.middleware.XViewMiddleware',
  debugToolbar: 'debug_toolbar.middleware.DebugToolbarMiddleware',
  prometheusBefore: 'django_prometheus.middleware.PrometheusBeforeMiddleware',
  htmlmin: 'htmlmin.middleware.HtmlMinifyMiddleware',
  minifyHtml: 'django_minify_html.middleware.MinifyHtmlMiddleware',
  allauthAccount: 'allauth.account.middleware.AccountMiddleware',
} as const;

/**
 * The class name of a dotted middleware path, for messages ("SessionMiddleware"). Only a name that
 * looks like a class is repeated: list items are user text, and a message never echoes arbitrary text.
 */
export function short(path: string): string {
  const name = path.slice(path.lastIndexOf('.') + 1);
  return /^[A-Z]/.test(name) && echoable(name) ? name : 'a middleware';
}

/**
 * Middleware that can answer a request themselves (in their request phase) or replace the
 * response on its way out, so that middleware below them never touch that response: a redirect
 * (Common: APPEND_SLASH/PREPEND_WWW; Locale: language prefix), a static file (WhiteNoise), a 304
 * built from scratch (ConditionalGet keeps only a few headers), a fallback page for a 404.
 * CsrfViewMiddleware and LoginRequiredMiddleware are not here: they answer from process_view, and
 * such a response travels back through every middleware.
 */
export const RESPONDS_ITSELF: ReadonlyMap<string, string> = new Map([
  [MW.whitenoise, 'serves static files itself'],
  [MW.common, 'answers with redirects itself (APPEND_SLASH, PREPEND_WWW)'],
  [MW.locale, 'answers with language redirects itself'],
  [MW.conditionalGet, 'replaces responses with bare 304 Not Modified responses'],
  [MW.flatpages, 'replaces 404 responses with flat pages'],
  [MW.redirects, 'replaces 404 responses with redirects'],
]);

/** Middleware that add to the Vary header or change what the cache key of a request is. */
export const VARIES_RESPONSE: ReadonlyMap<string, string> = new Map([
  [MW.session, "'Vary: Cookie'"],
  [MW.csrf, "'Vary: Cookie'"],
  [MW.gzip, "'Vary: Accept-Encoding'"],
  [MW.locale, "'Vary: Accept-Language' and the active language"],
]);

/** Middleware that read or rewrite the response body (they must see it before GZip compresses it). */
export const READS_BODY: ReadonlyMap<string, string> = new Map([
  [MW.conditionalGet, 'computes the ETag from the body'],
  [MW.htmlmin, 'minifies the HTML body'],
  [MW.minifyHtml, 'minifies the HTML body'],
]);

export interface MwItem {
  /** The dotted path, when the item is a known string. */
  readonly name: string | undefined;
  readonly value: Value;
  readonly loc: Loc;
  readonly index: number;
}

export interface MwList {
  /** MIDDLEWARE, or MIDDLEWARE_CLASSES for Django < 1.10 (or 1.10/1.11 with MIDDLEWARE None). */
  readonly setting: SettingValue;
  readonly items: readonly MwItem[];
  /** The items are in the order Django will use (false: the list was edited at a position the analysis cannot read). */
  readonly ordered: boolean;
  /** Every item is a known string, and no item may be missing. */
  readonly complete: boolean;
}

/** Why the list's order or content is unknown, for ctx.unknown(). */
export function orderUnknownReason(list: MwList): string {
  return `${list.setting.name} is edited at a position the analysis cannot read, so its order is unknown`;
}

/**
 * The production middleware list. Returns undefined when it cannot be read (and has then said so
 * with ctx.unknown, unless the value is required from the environment, which is safe).
 */
export function readMiddleware(ctx: RuleContext): MwList | undefined {
  let s = ctx.settings.get('MIDDLEWARE');
  const version = ctx.version.version;
  if (!atLeast(version, '1.10') || (!atLeast(version, '2.0') && s.value.kind === 'none')) s = ctx.settings.get('MIDDLEWARE_CLASSES');
  const v = s.value;
  if (v.kind === 'unknown') {
    if (!isSupplied(v)) ctx.unknown(`${s.name} ${v.reason.startsWith('depends') ? v.reason : `is not known statically: ${v.reason}`}`, s.loc);
    return undefined;
  }
  if (!V.isSeq(v)) return { setting: s, items: [], ordered: true, complete: true };
  const items = v.items.map((item, index) => ({ name: item.kind === 'str' ? item.v : undefined, value: item, loc: ctx.settings.locOf(item) ?? s.loc, index }));
  const uncertain = isPartial(v);
  return { setting: s, items, ordered: !uncertain, complete: !uncertain && items.every((i) => i.name !== undefined) };
}

/** The first item with this dotted path. */
export function find(list: MwList, name: string): MwItem | undefined {
  return list.items.find((i) => i.name === name);
}

/**
 * The middleware list in a known order with `name` in it, for the rules about where `name` stands.
 * Undefined once the rule has been told why it cannot judge: `name` is not installed (not
 * applicable, for the reason `absent`) or the list or its order cannot be read (unknown).
 */
export function orderedListWith(ctx: RuleContext, name: string, absent: string): { list: MwList; item: MwItem } | undefined {
  const list = readMiddleware(ctx);
  if (!list) return undefined;
  const item = find(list, name);
  if (!item) {
    if (list.complete) ctx.notApplicable(absent);
    else ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
    return undefined;
  }
  if (!list.ordered) {
    ctx.unknown(orderUnknownReason(list), list.setting.loc);
    return undefined;
  }
  return { list, item };
}

/**
 * The items above `item` that `wrong` picks out. When there are none but an item above cannot be
 * read, the rule cannot tell, and says so.
 */
export function wrongAbove(ctx: RuleContext, list: MwList, item: MwItem, wrong: (i: MwItem & { name: string }) => boolean): MwItem[] {
  const above = list.items.filter((i) => i.index < item.index);
  const found = above.filter((i): i is MwItem & { name: string } => i.name !== undefined && wrong(i as MwItem & { name: string }));
  if (found.length === 0 && above.some((i) => i.name === undefined)) ctx.unknown(`${list.setting.name} has an item above ${short(item.name ?? '')} that the analysis cannot read`, item.loc);
  return found;
}

/** Whether the list holds the middleware: true/false, undefined when an unknown item might be it. */
export function has(list: MwList, name: string): boolean | undefined {
  if (find(list, name)) return true;
  return list.complete ? false : undefined;
}

/** Items strictly between two indexes. */
export function between(list: MwList, from: number, to: number): MwItem[] {
  return list.items.filter((i) => i.index > from && i.index < to);
}

/** "X" or "X (and 2 more)" for a list of offending items. */
export function nameList(items: readonly MwItem[]): string {
  const first = items[0]?.name ? short(items[0].name) : 'an unknown middleware';
  return items.length > 1 ? `${first} (and ${items.length - 1} more)` : first;
}

/**
 * The toolbar's middleware, or a library's subclass of it (strawberry-django's and
 * django-graphiql-debug-toolbar's `…debug_toolbar….DebugToolbarMiddleware`, as netbox uses).
 */
export function isToolbarMiddleware(name: string | undefined): boolean {
  return name === MW.debugToolbar || (!!name && name.endsWith('.DebugToolbarMiddleware') && name.includes('debug_toolbar'));
}
