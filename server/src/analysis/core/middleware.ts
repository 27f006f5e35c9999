// The middleware the analysis knows: their dotted paths and what each one does to requests and
// responses (which is what makes an order right or wrong).
//
// Facts, from Django's "Middleware ordering" reference and the middleware sources
// (django/middleware/*.py, django/contrib/*/middleware.py), WhiteNoise's and django-cors-headers'
// documentation. "Above" means earlier in the list: it sees the request first and the response last.

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

/**
 * The toolbar's middleware, or a library's subclass of it (strawberry-django's and
 * django-graphiql-debug-toolbar's `…debug_toolbar….DebugToolbarMiddleware`, as netbox uses).
 */
export function isToolbarMiddleware(name: string | undefined): boolean {
  return name === MW.debugToolbar || (!!name && name.endsWith('.DebugToolbarMiddleware') && name.includes('debug_toolbar'));
}

/** Whether a listed middleware is `known`: the same path, or (for the debug toolbar) a library's subclass of it. */
export function isMiddleware(name: string, known: string): boolean {
  return name === known || (known === MW.debugToolbar && isToolbarMiddleware(name));
}
