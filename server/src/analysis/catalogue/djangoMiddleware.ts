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
