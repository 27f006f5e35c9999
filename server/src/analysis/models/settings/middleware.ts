// The middleware the analysis knows: their dotted paths and what each one does to requests and
// responses (which is what makes an order right or wrong).
//
// Facts, from Django's "Middleware ordering" reference and the middleware sources
// (django/middleware/*.py, django/contrib/*/middleware.py); the libraries' middleware paths and
// what they do to a response come from the library catalogue (catalogue/libraries). "Above" means
// earlier in the list: it sees the request first and the response last.
import { isSupplied, listHolds } from './query';
import type { Settings } from './settings';
import * as V from '../../eval/values';
import type { PythonDocument } from '../../parse/pythonDocument';
import { readMiddlewareClass, type MiddlewareInfo, type SourceReader } from './middlewareClass';
import { PerAnalysis } from '../../base/perAnalysis';
import {
  ALLAUTH,
  ALLOW_CIDR,
  CORS_HEADERS,
  DEBUG_TOOLBAR,
  DJANGO_CSP,
  DOCKERFLOW,
  DOCKERFLOW_MIDDLEWARE,
  HEALTHZ,
  HEALTHZ_MIDDLEWARE,
  PROMETHEUS,
  RESPONSE_ONLY_MIDDLEWARE,
  WHITENOISE,
} from '../../catalogue/libraries';

export type { MiddlewareInfo, SourceReader } from './middlewareClass';

export const MW = {
  security: 'django.middleware.security.SecurityMiddleware',
  whitenoise: WHITENOISE.middleware.whitenoise,
  cors: CORS_HEADERS.middleware.cors,
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
  debugToolbar: DEBUG_TOOLBAR.middleware.toolbar,
  prometheusBefore: PROMETHEUS.middleware.before,
  allowCidr: ALLOW_CIDR.middleware.allowCidr,
  htmlmin: 'htmlmin.middleware.HtmlMinifyMiddleware',
  minifyHtml: 'django_minify_html.middleware.MinifyHtmlMiddleware',
  allauthAccount: ALLAUTH.middleware.account,
  djangoCsp: DJANGO_CSP.middleware.csp,
  /** Django 6.0's own CSP middleware. */
  csp: 'django.middleware.csp.ContentSecurityPolicyMiddleware',
  maintenanceMode: 'maintenance_mode.middleware.MaintenanceModeMiddleware',
} as const;

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

/**
 * Of those, the ones that do it in their response phase, replacing the response a middleware below
 * them made (ConditionalGet's 304, the fallbacks' pages and redirects, LocaleMiddleware's language
 * redirect for a 404): with either setting, a middleware below them has already handled the
 * response they throw away. The others answer in their request phase (WhiteNoise, CommonMiddleware's
 * PREPEND_WWW and APPEND_SLASH redirects, made in process_request for a path that does not resolve;
 * from 1.9 its process_response also turns a view's 404 into the slash redirect, a redirect whose
 * target then gets every header), which under MIDDLEWARE_CLASSES still passes the response through
 * every middleware's process_response (catalogue/djangoMiddleware.ts).
 */
export const REPLACES_RESPONSE: ReadonlySet<string> = new Set([MW.conditionalGet, MW.flatpages, MW.redirects, MW.locale]);

/**
 * Of those, the ones whose only answer is a 304 Not Modified to a browser revalidating a response it
 * stored (ConditionalGet): the browser keeps the headers it stored with the response, and the
 * middleware answers nothing in its request phase (catalogue/djangoMiddleware.ts
 * NOT_MODIFIED_KEEPS_STORED_HEADERS). Order rules report them above SecurityMiddleware or
 * CorsMiddleware as information only.
 */
export const ANSWERS_ONLY_NOT_MODIFIED: ReadonlySet<string> = new Set([MW.conditionalGet]);

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

/**
 * The toolbar's middleware, or a library's subclass of it (strawberry-django's and
 * django-graphiql-debug-toolbar's `…debug_toolbar….DebugToolbarMiddleware`, as netbox uses).
 */
export function isToolbarMiddleware(name: string | undefined): boolean {
  return name === MW.debugToolbar || (!!name && name.endsWith('.DebugToolbarMiddleware') && name.includes(DEBUG_TOOLBAR.modules[0]));
}

/** Whether a listed middleware is `known`: the same path, or (for the debug toolbar) a library's subclass of it. */
export function isMiddleware(name: string, known: string): boolean {
  return name === known || (known === MW.debugToolbar && isToolbarMiddleware(name));
}

/**
 * Whether a middleware can answer a request in its request phase (returning a response without
 * calling the rest of the chain), so that a request it answers never reaches the middleware below
 * it: how it does, or false when it never does. From the middleware sources. Responses made later
 * (process_view, process_exception: CsrfViewMiddleware's 403, LoginRequiredMiddleware's and
 * XViewMiddleware's answers) travel back through every middleware, so they do not count; the
 * middleware that replace a response on its way out (RESPONDS_ITSELF) do.
 */
const ANSWERS: ReadonlyMap<string, string | false> = new Map<string, string | false>([
  ...RESPONDS_ITSELF,
  [MW.security, 'answers with HTTPS redirects itself'],
  [MW.fetchCache, 'answers with cached pages itself'],
  [MW.cors, 'answers CORS preflight requests itself'],
  [MW.maintenanceMode, 'answers with a maintenance page itself'],
  // its only answer is the 400 of DisallowedHost for a Host it refuses (the library catalogue:
  // ALLOW_CIDR_MIDDLEWARE), the answer Django itself gives wherever get_host() is first called
  [MW.allowCidr, false],
  // python-dockerflow's: it answers its health-monitoring paths only (the library catalogue:
  // DOCKERFLOW_MIDDLEWARE), every other request passes on
  [DOCKERFLOW.middleware.dockerflow, 'answers its health-monitoring paths itself'],
  // django-healthz's: it answers its two probe paths only (the library catalogue: HEALTHZ_MIDDLEWARE)
  [HEALTHZ.middleware.healthCheck, 'answers its probe paths itself'],
  // they only read the request, add headers, tag, log, or transform the response
  [MW.session, false],
  [MW.auth, false],
  [MW.remoteUser, false],
  [MW.persistentRemoteUser, false],
  [MW.loginRequired, false],
  [MW.messages, false],
  [MW.csrf, false],
  [MW.xframe, false],
  [MW.updateCache, false],
  [MW.gzip, false],
  [MW.brokenLinks, false],
  [MW.xview, false],
  [MW.debugToolbar, false],
  [MW.prometheusBefore, false],
  [MW.htmlmin, false],
  [MW.minifyHtml, false],
  ['django.contrib.sites.middleware.CurrentSiteMiddleware', false],
  [MW.csp, false],
  [PROMETHEUS.middleware.after, false],
  ['django_guid.middleware.guid_middleware', false],
  ['django_guid.middleware.GuidMiddleware', false],
  // library middleware whose source shows only a response phase (django-csp's, django-cookies-samesite's):
  // the library catalogue's RESPONSE_ONLY_MIDDLEWARE
  ...RESPONSE_ONLY_MIDDLEWARE.map((r) => [r.middleware, false] as const),
  ['simple_history.middleware.HistoryRequestMiddleware', false],
  // django-reversion's: it wraps the rest of the chain in a revision (a transaction) and returns what
  // get_response gave (reversion/middleware.py at etianen/django-reversion 51abcac5: `__call__` returns
  // `self.get_response(request)`, process_request only opens the revision)
  ['reversion.middleware.RevisionMiddleware', false],
  ['django_structlog.middlewares.RequestMiddleware', false],
  ['log_request_id.middleware.RequestIDMiddleware', false],
  // django-datadog-logger's: it sets request.request_id, calls get_response and adds an X-Request-ID
  // header (django_datadog_logger/middleware/request_id.py, namespace-ee/django-datadog-logger)
  ['django_datadog_logger.middleware.request_id.RequestIdMiddleware', false],
  // django-tracer's (REVSYS): its __call__ sets request.id to a new UUID, calls get_response and adds
  // an X-Request-ID header, nothing else (tracer/middleware.py at revsys/django-tracer's v0.9.2 tag)
  ['tracer.middleware.RequestID', false],
  // raven's (the old Sentry client): SentryResponseErrorIdMiddleware only has a process_response that
  // adds an X-Sentry-ID header, Sentry404CatchMiddleware one that reports 404s and returns the response
  // (raven/contrib/django/middleware/__init__.py, getsentry/raven-python; raven_compat re-exports them)
  ['raven.contrib.django.middleware.SentryResponseErrorIdMiddleware', false],
  ['raven.contrib.django.raven_compat.middleware.SentryResponseErrorIdMiddleware', false],
  ['raven.contrib.django.middleware.Sentry404CatchMiddleware', false],
  ['raven.contrib.django.raven_compat.middleware.Sentry404CatchMiddleware', false],
  ['crum.CurrentRequestUserMiddleware', false],
  ['django_htmx.middleware.HtmxMiddleware', false],
  ['django_otp.middleware.OTPMiddleware', false],
  // response compressors like GZipMiddleware (their READMEs: "similar to Django's GZipMiddleware",
  // "a drop-in replacement for Django's GZipMiddleware"): they only encode the response
  ['django_http_compression.middleware.HttpCompressionMiddleware', false],
  ['compression_middleware.middleware.CompressionMiddleware', false],
]);

/** Library middleware that answer only requests for fixed paths (health checks answering their probes), from the library catalogue. */
const ONLY_PATHS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  [DOCKERFLOW.middleware.dockerflow, DOCKERFLOW_MIDDLEWARE.answersOnlyPaths.value],
  [HEALTHZ.middleware.healthCheck, HEALTHZ_MIDDLEWARE.answersOnlyPaths.value],
]);

/** What the analysis knows of a path without reading any code: its table entry. */
function tableInfo(path: string): MiddlewareInfo | undefined {
  if (isToolbarMiddleware(path)) return { is: MW.debugToolbar, answers: false };
  const answers = ANSWERS.get(path);
  const known = (Object.values(MW) as string[]).includes(path);
  if (answers === undefined && !known) return undefined;
  const onlyPaths = ONLY_PATHS.get(path);
  return { is: known ? path : undefined, answers, ...(onlyPaths ? { onlyPaths } : {}) };
}

/** Per analysis (the key middlewareInfo is given), what each entry was found to be. */
const infoCache = new PerAnalysis<object, Map<string, MiddlewareInfo>>();

/**
 * What a MIDDLEWARE entry is: a known middleware (by table), or a workspace class read statically
 * (deriving from a known one, answering requests or not), or nothing known ({}). `cacheKey` is an
 * object made for one analysis and no other (the files cannot change under it): the analysis's
 * Settings, not the evaluation, which the language server keeps from one analysis to the next
 * while the settings modules are unchanged (a class's file edited meanwhile is read again).
 */
export function middlewareInfo(reader: SourceReader, path: string, cacheKey: object): MiddlewareInfo {
  let cache = infoCache.get(cacheKey);
  if (!cache) infoCache.set(cacheKey, (cache = new Map()));
  let info = cache.get(path);
  if (!info) cache.set(path, (info = keptOrRead(reader, path)));
  return info;
}

/**
 * Whether the settings' MIDDLEWARE holds the known middleware `known`: its own path, or a workspace
 * class deriving from it (a project's `class CustomWhiteNoise(WhiteNoiseMiddleware)` is WhiteNoise,
 * as it is to the ordering rules). True or false; undefined when an entry that may be it cannot be
 * read (see listHolds). An entry whose class cannot be read is judged by its path alone, as the
 * ordering rules judge it.
 */
export function holdsMiddleware(reader: SourceReader, settings: Settings, known: string): boolean | undefined {
  return listHolds(settings.get('MIDDLEWARE').value, (i) =>
    i.kind === 'str' ? isMiddleware(i.v, known) || middlewareInfo(reader, i.v, settings).is === known : undefined,
  );
}

/** What an entry was found to be, with each document read for it as it was then (see keptOrRead). */
interface KeptInfo {
  readonly info: MiddlewareInfo;
  readonly reads: readonly (readonly [file: string, doc: PythonDocument | undefined, text: string | undefined])[];
}

/** What entries were found to be in earlier analyses, by the import roots they were looked up from. */
const keptInfo = new WeakMap<readonly string[], Map<string, KeptInfo>>();

/** At most this many entries are kept per set of import roots (beyond, all are dropped). */
const KEPT_INFO_MAX = 256;

/**
 * What an entry is, read again only when a document its reading read is no longer the one it was,
 * with the same text: the answer depends on nothing else (the known middleware table is fixed),
 * and the language server asked it for every entry on every keystroke (a workspace class's module
 * looked up under each import root).
 */
function keptOrRead(reader: SourceReader, path: string): MiddlewareInfo {
  let kept = keptInfo.get(reader.importRoots);
  if (!kept) keptInfo.set(reader.importRoots, (kept = new Map()));
  const before = kept.get(path);
  if (
    before?.reads.every(([file, doc, text]) => {
      const now = reader.document(file);
      return now === doc && now?.text === text;
    })
  )
    return before.info;
  const reads: [string, PythonDocument | undefined, string | undefined][] = [];
  const recording: SourceReader = {
    importRoots: reader.importRoots,
    document: (file) => {
      const doc = reader.document(file);
      reads.push([file, doc, doc?.text]);
      return doc;
    },
  };
  const info = readMiddlewareClass(recording, path, tableInfo) ?? {};
  if (kept.size >= KEPT_INFO_MAX) kept.clear();
  kept.set(path, { info, reads });
  return info;
}

const SESSION_MESSAGE_STORAGES = new Set([
  'django.contrib.messages.storage.fallback.FallbackStorage',
  'django.contrib.messages.storage.session.SessionStorage',
]);

/**
 * Middleware that read request.session while handling the request (they raise ImproperlyConfigured
 * without SessionMiddleware above them), with what makes them need it: AuthenticationMiddleware
 * always, MessageMiddleware with a session-based storage (the default FallbackStorage too),
 * CsrfViewMiddleware with CSRF_USE_SESSIONS. `needs` answers true/false, undefined when unknown (a
 * value the deployment supplies counts as not needing it: the project chose it).
 */
export const NEEDS_SESSION: ReadonlyMap<string, { readonly what: string; readonly needs: (settings: Settings) => boolean | undefined }> =
  new Map([
    [MW.auth, { what: 'AuthenticationMiddleware', needs: () => true }],
    [
      MW.messages,
      {
        what: 'MessageMiddleware (session-based message storage)',
        needs: (settings: Settings) => {
          const s = settings.get('MESSAGE_STORAGE', V.str('django.contrib.messages.storage.fallback.FallbackStorage', 'default'));
          if (s.value.kind === 'unknown') return isSupplied(s.value) ? false : undefined;
          return s.value.kind === 'str' && SESSION_MESSAGE_STORAGES.has(s.value.v);
        },
      },
    ],
    [
      MW.csrf,
      {
        what: 'CsrfViewMiddleware (CSRF_USE_SESSIONS is on)',
        needs: (settings: Settings) => {
          const v = settings.get('CSRF_USE_SESSIONS').value;
          return v.kind === 'unknown' && isSupplied(v) ? false : V.truthy(v);
        },
      },
    ],
  ]);
