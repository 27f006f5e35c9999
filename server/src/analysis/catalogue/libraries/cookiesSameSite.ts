// django-cookies-samesite: a middleware for Django before 3.1 that adds the SameSite attribute to
// the session and CSRF cookies on the way out. It has a process_response only: it never answers a
// request. Read from jotes/django-cookies-samesite, django_cookies_samesite/middleware.py at the
// v0.9.0 tag (its last release).
import type { Fact, Library } from './types';

export const COOKIES_SAMESITE = {
  distribution: 'django-cookies-samesite',
  modules: ['django_cookies_samesite'],
  readAt: 'v0.9.0',
  middleware: { cookiesSameSite: 'django_cookies_samesite.middleware.CookiesSameSite' },
} as const satisfies Library;

export const COOKIES_SAMESITE_MIDDLEWARE = {
  /** It only edits the Set-Cookie headers of the response it is handed, and returns that response. */
  responseOnly: {
    value: true,
    source: {
      url: 'https://github.com/jotes/django-cookies-samesite/blob/v0.9.0/django_cookies_samesite/middleware.py#L35-L119',
      quote:
        'class CookiesSameSite(MiddlewareMixin): … def __init__(self, *args, **kwargs) … def update_cookie(self, cookie, request, response) … def process_response(self, request, response): … response.cookies[cookie]["samesite"] = flag … return response (no process_request, process_view or __call__ of its own)',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
