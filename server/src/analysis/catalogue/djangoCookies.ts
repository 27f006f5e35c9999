// When Django sets its two cookies: the session cookie and the CSRF cookie. Neither is set on every
// response: SessionMiddleware sets the session cookie only when a request's session was modified
// (something wrote it: a login, `request.session[...] = …`), and CsrfViewMiddleware sets the CSRF
// cookie only when something asked for the token in that request (get_token(): the `{% csrf_token %}`
// tag through the csrf context processor, `ensure_csrf_cookie`, and rotate_token(), which login()
// calls). Read from django/django at the 4.2 tag; the same in 3.2 (CSRF_COOKIE_USED then) and later.
// The app-kind model (models/settings/appCookies.ts) searches the project for what does either.
import type { Fact } from './facts';
import type { Source } from './facts';

const AT_42 = 'https://github.com/django/django/blob/4.2/django';

/** SessionMiddleware's response phase: the cookie is set only for a session written in the request (or every request with SESSION_SAVE_EVERY_REQUEST, and then only when the session is not empty). */
export const SESSION_COOKIE_WHEN_MODIFIED: Fact<true> = {
  value: true,
  knob: 'SESSION_SAVE_EVERY_REQUEST',
  source: {
    url: `${AT_42}/contrib/sessions/middleware.py`,
    quote:
      'def process_response(self, request, response): """If request.session was modified, or if the configuration is to save the session every time, save the changes and set a session cookie or delete the session cookie if the session has been emptied.""" … if (modified or settings.SESSION_SAVE_EVERY_REQUEST) and not empty: … response.set_cookie(settings.SESSION_COOKIE_NAME, request.session.session_key, …',
    versions: 'every release with SessionMiddleware',
  },
};

/** CsrfViewMiddleware's response phase: the cookie is set only when the request's token was asked for (get_token, rotate_token). */
export const CSRF_COOKIE_WHEN_ASKED: Fact<true> = {
  value: true,
  knob: 'CSRF_USE_SESSIONS',
  source: {
    url: `${AT_42}/middleware/csrf.py`,
    quote:
      'def get_token(request): """Return the CSRF token required for a POST form. … A side effect of calling this function is to make the csrf_protect decorator and the CsrfViewMiddleware add a CSRF cookie and a \'Vary: Cookie\' header to the outgoing response.""" … request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True … def process_response(self, request, response): if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"): self._set_csrf_cookie(request, response)',
    versions: 'CSRF_COOKIE_NEEDS_UPDATE from 4.0; CSRF_COOKIE_USED before, to the same effect',
  },
};

/** What asks for the CSRF token, each with where Django says so. */
export const CSRF_TOKEN_ASKERS: Readonly<Record<'templateTag' | 'ensureCookie' | 'login', Source>> = {
  // the template tag reads the csrf context processor's lazy token, which calls get_token()
  templateTag: {
    url: `${AT_42}/template/context_processors.py`,
    quote:
      'def csrf(request): """Context processor that provides a CSRF token, or the string \'NOTPROVIDED\' if it has not been provided by either a view decorator or the middleware""" def _get_val(): token = get_token(request) … return {"csrf_token": SimpleLazyObject(_get_val)}',
  },
  ensureCookie: {
    url: `${AT_42}/views/decorators/csrf.py`,
    quote:
      'class _EnsureCsrfCookie(CsrfViewMiddleware): … def process_view(self, request, callback, callback_args, callback_kwargs): retval = super().process_view(request, callback, callback_args, callback_kwargs) # Force process_response to send the cookie get_token(request) return retval',
  },
  // login() writes the session and rotates the CSRF token: both cookies
  login: {
    url: `${AT_42}/contrib/auth/__init__.py`,
    quote:
      'def login(request, user, backend=None): """Persist a user id and a backend in the request. This way a user doesn\'t have to reauthenticate on every request.""" … request.session[SESSION_KEY] = user._meta.pk.value_to_string(user) … rotate_token(request)',
  },
};
