// How Django runs the middleware list, where its two settings differ: the old MIDDLEWARE_CLASSES
// (every Django before 1.10, and 1.10 and 1.11 while MIDDLEWARE is None) and MIDDLEWARE (1.10 and
// later). Read from django/core/handlers/base.py and django/middleware/security.py at the 1.9 tag
// (django/django), and the middleware topic guide of 1.9 and 1.10.
import type { Fact } from './facts';

const AT_19 = 'https://github.com/django/django/blob/1.9/django';

/**
 * Under MIDDLEWARE_CLASSES a response a middleware's process_request returns stops the other
 * request middleware and the view, but every middleware's process_response still runs on it, in
 * reverse order, those listed below the one that answered included. (Under MIDDLEWARE a middleware
 * that answers is an onion layer: only the middleware above it see that response.)
 */
export const LEGACY_RESPONSE_MIDDLEWARE_ALWAYS_RUN: Fact<true> = {
  value: true,
  knob: 'MIDDLEWARE_CLASSES',
  source: {
    url: `${AT_19}/core/handlers/base.py`,
    quote:
      'for middleware_method in self._request_middleware: response = middleware_method(request) if response: break … # Apply response middleware, regardless of the response for middleware_method in self._response_middleware: response = middleware_method(request, response)',
    versions:
      'MIDDLEWARE_CLASSES in every release that reads it (to 1.11); the 1.10 guide: "Under MIDDLEWARE_CLASSES, every middleware will always have its process_response method called, even if an earlier middleware short-circuited by returning a response from its process_request method."',
  },
};

/**
 * What SecurityMiddleware does in each phase: its process_request only answers with the HTTPS
 * redirect (SECURE_SSL_REDIRECT), its process_response adds the security headers (HSTS, nosniff,
 * and in later releases the referrer and cross-origin-opener policies).
 */
export const SECURITY_MIDDLEWARE_PHASES = {
  redirectInRequest: {
    value: true,
    knob: 'SECURE_SSL_REDIRECT',
    source: {
      url: `${AT_19}/middleware/security.py`,
      quote:
        'def process_request(self, request): path = request.path.lstrip("/") if (self.redirect and not request.is_secure() and not any(pattern.search(path) for pattern in self.redirect_exempt)): host = self.redirect_host or request.get_host() return HttpResponsePermanentRedirect("https://%s%s" % (host, request.get_full_path()))',
    },
  },
  headersInResponse: {
    value: true,
    source: {
      url: `${AT_19}/middleware/security.py`,
      quote:
        'def process_response(self, request, response): if (self.sts_seconds and request.is_secure() and \'strict-transport-security\' not in response): … if self.content_type_nosniff and \'x-content-type-options\' not in response: response["x-content-type-options"] = "nosniff"',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

/**
 * When CommonMiddleware answers a request itself: a 403 for a user agent DISALLOWED_USER_AGENTS
 * matches, a redirect to the `www.` host with PREPEND_WWW, and a redirect to the URL with a slash
 * appended with APPEND_SLASH (in its request phase, and in its response phase for a 404). With
 * APPEND_SLASH False, PREPEND_WWW False and no disallowed user agent it passes every request on and
 * returns the response below it (it only sets Content-Length).
 */
export const COMMON_MIDDLEWARE_ANSWERS: Fact<{
  readonly settings: readonly { readonly name: string; readonly quiet: 'false' | 'empty' }[];
}> = {
  value: {
    settings: [
      { name: 'APPEND_SLASH', quiet: 'false' },
      { name: 'PREPEND_WWW', quiet: 'false' },
      { name: 'DISALLOWED_USER_AGENTS', quiet: 'empty' },
    ],
  },
  source: {
    url: 'https://github.com/django/django/blob/5.2/django/middleware/common.py',
    quote:
      "def process_request(self, request): # Check for denied User-Agents user_agent = request.META.get('HTTP_USER_AGENT') if user_agent is not None: for user_agent_regex in settings.DISALLOWED_USER_AGENTS: if user_agent_regex.search(user_agent): raise PermissionDenied('Forbidden user agent') … must_prepend = settings.PREPEND_WWW and host and not host.startswith('www.') … if self.should_redirect_with_slash(request): … return self.response_redirect_class(redirect_url) … def should_redirect_with_slash(self, request): if settings.APPEND_SLASH and not request.path_info.endswith('/'): … def process_response(self, request, response): # If the given URL is \"Not Found\", then check if we should redirect to a path with a slash appended. if response.status_code == 404 and self.should_redirect_with_slash(request):",
    versions: 'the same in Django 1.10 to 6.0 (Debian bookworm packages 3.2, which test/parity runs)',
  },
};

/**
 * What ConditionalGetMiddleware's replacement response loses, and why that matters little: it
 * answers a conditional GET whose validator matches with a bare 304 that keeps only a few headers
 * of the response it replaces (django/utils/cache.py `_not_modified`); a browser sends such a request
 * only to revalidate a response it stored, and on a 304 it keeps the stored response's header fields,
 * replacing only those the 304 carries (RFC 9111 4.3.4). So the security and CORS headers the stored
 * response got still apply; and the middleware answers nothing in its request phase, so the HTTPS
 * redirect of a SecurityMiddleware below it still runs.
 */
export const NOT_MODIFIED_KEEPS_STORED_HEADERS: Fact<true> = {
  value: true,
  knob: 'django.middleware.http.ConditionalGetMiddleware',
  source: {
    url: 'https://www.rfc-editor.org/rfc/rfc9111#section-4.3.4',
    quote:
      'RFC 9111 4.3.4 (Freshening Stored Responses upon Validation): "the cache MUST add each header field in the provided response to the stored response, replacing field values that are already present". Django, django/utils/cache.py _not_modified(): "# HTTP 304 … keep only the headers that are relevant to a 304" — Cache-Control, Content-Location, Date, ETag, Expires, Last-Modified, Vary, and the cookies.',
    versions: 'Django 1.11 and later (_not_modified); RFC 9111 (June 2022; RFC 7234 4.3.4 before it)',
  },
};

/**
 * What Django's per-site cache (UpdateCacheMiddleware with FetchFromCacheMiddleware) keys a page by:
 * the request's URL and the request headers the response's `Vary` names, nothing else. It stores a
 * 200 answer to a GET or HEAD for CACHE_MIDDLEWARE_SECONDS (600 unless set; 0, or `max-age=0`, stores
 * nothing), unless the response is `Cache-Control: private`, and FetchFromCacheMiddleware serves it
 * to the next request for that URL whose headers named in Vary match, before any view or
 * authentication runs. Who made the request is in the key only through Vary: SessionMiddleware adds
 * `Vary: Cookie` when the view read the session; a header the caller authenticates with (Authorization)
 * is in it only when the response says `Vary: Authorization`.
 */
export const SITE_CACHE_KEY: Fact<{
  readonly middleware: readonly [string, string];
  readonly secondsSetting: string;
  readonly defaultSeconds: number;
  readonly sessionVary: string;
}> = {
  value: {
    middleware: ['django.middleware.cache.UpdateCacheMiddleware', 'django.middleware.cache.FetchFromCacheMiddleware'],
    secondsSetting: 'CACHE_MIDDLEWARE_SECONDS',
    defaultSeconds: 600,
    sessionVary: 'Cookie',
  },
  knob: 'CACHE_MIDDLEWARE_SECONDS',
  source: {
    url: 'https://github.com/django/django/blob/4.2/django/utils/cache.py',
    quote:
      'def learn_cache_key(request, response, cache_timeout=None, key_prefix=None, cache=None): """Learn what headers to take into account for some request URL from the response object. … The headers are named in the Vary header of the response""" … if response.has_header("Vary"): … headerlist.append("HTTP_" + header) … return _generate_cache_key(request, request.method, headerlist, key_prefix) (django/middleware/cache.py: UpdateCacheMiddleware.process_response: if response.streaming or response.status_code not in (200, 304): return response … if "private" in response.get("Cache-Control", ()): return response … if timeout and response.status_code == 200: cache_key = learn_cache_key(…); FetchFromCacheMiddleware.process_request: if request.method not in ("GET", "HEAD"): request._cache_update_cache = False … cache_key = get_cache_key(request, self.key_prefix, "GET", cache=self.cache); django/contrib/sessions/middleware.py: if accessed: patch_vary_headers(response, ("Cookie",)); docs/topics/cache.txt, The per-site cache: "CACHE_MIDDLEWARE_SECONDS – The number of seconds each page should be cached.", ref/settings.txt: Default: 600)',
    versions:
      'the same from Django 1.10 to 5.2 (Debian python3-django 3.2 and 4.2 read); docs: https://docs.djangoproject.com/en/stable/topics/cache/#the-per-site-cache',
  },
};
