// django-debug-toolbar: its app, its middleware, the distribution a requirements file names, where
// its documentation puts the middleware (as early as possible), and when it shows at all: the
// SHOW_TOOLBAR_CALLBACK of DEBUG_TOOLBAR_CONFIG decides each request; the default one shows only
// with DEBUG on and REMOTE_ADDR in INTERNAL_IPS; a request it does not show passes through the
// middleware untouched and the toolbar's own URLs answer 404. Read from its installation
// documentation and its source (debug_toolbar/settings.py, middleware.py, decorators.py).
import type { Fact, Library } from './types';

const SETTINGS_PY =
  'https://github.com/django-commons/django-debug-toolbar/blob/1d6349f4b6d0381b9ff6c3c5d04ec1b6b0b67bef/debug_toolbar/settings.py';
const MIDDLEWARE_PY =
  'https://github.com/django-commons/django-debug-toolbar/blob/0dac6f26ad819dadfdbfd9d1e15d4401d9282987/debug_toolbar/middleware.py';
const DECORATORS_PY =
  'https://github.com/jazzband/django-debug-toolbar/blob/154eb75f5d81a5077bc4d5f01a948a41457d0a2c/debug_toolbar/decorators.py';

export const DEBUG_TOOLBAR = {
  distribution: 'django-debug-toolbar',
  modules: ['debug_toolbar'],
  readAt: 'installation documentation (latest, 5.x); source at the commits cited',
  apps: { toolbar: 'debug_toolbar' },
  middleware: { toolbar: 'debug_toolbar.middleware.DebugToolbarMiddleware' },
  settings: {
    /** The toolbar's options: a dict over CONFIG_DEFAULTS (SHOW_TOOLBAR_CALLBACK among them). */
    config: {
      name: 'DEBUG_TOOLBAR_CONFIG',
      default: { value: {} },
      source: {
        url: SETTINGS_PY,
        quote: 'USER_CONFIG = getattr(settings, "DEBUG_TOOLBAR_CONFIG", {}); CONFIG = CONFIG_DEFAULTS.copy(); CONFIG.update(USER_CONFIG)',
      },
    },
  },
} as const satisfies Library;

/** What decides whether the toolbar shows on a request, and what it does when it does not. */
export const DEBUG_TOOLBAR_SHOW = {
  /**
   * The key of DEBUG_TOOLBAR_CONFIG that names the callable deciding each request: a function (a
   * lambda, a def) or the dotted path of one; by default the toolbar's own show_toolbar.
   */
  callback: {
    value: { key: 'SHOW_TOOLBAR_CALLBACK', default: 'debug_toolbar.middleware.show_toolbar' },
    source: {
      url: SETTINGS_PY,
      quote: '"SHOW_TOOLBAR_CALLBACK": "debug_toolbar.middleware.show_toolbar",',
    },
  },
  /** The default callback shows the toolbar only with DEBUG on, and then only to a REMOTE_ADDR in INTERNAL_IPS. */
  defaultNeedsDebug: {
    value: true,
    knob: 'DEBUG',
    source: {
      url: MIDDLEWARE_PY,
      quote:
        'if not settings.DEBUG: return False … if request.META.get("REMOTE_ADDR") in settings.INTERNAL_IPS: return True … return False',
    },
  },
  /** A request the callback does not show the toolbar on is handed on, its response returned as it is. */
  hiddenPassesThrough: {
    value: true,
    source: {
      url: MIDDLEWARE_PY,
      quote: 'if not show_toolbar(request) or DebugToolbar.is_toolbar_request(request): return self.get_response(request)',
    },
  },
  /** The toolbar's own views (its panels' data, the SQL explain and select views) answer 404 to a request the callback does not show it on. */
  hiddenUrlsNotFound: {
    value: 404,
    source: {
      url: DECORATORS_PY,
      quote: 'show_toolbar = get_show_toolbar() … if not show_toolbar(request): raise Http404',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

export const DEBUG_TOOLBAR_FACTS = {
  /** Its middleware goes as early as possible (only response-encoding middleware such as GZip above it). */
  middlewareEarly: {
    value: true,
    source: {
      url: 'https://django-debug-toolbar.readthedocs.io/en/latest/installation.html#add-the-middleware',
      quote:
        'You should include the Debug Toolbar middleware as early as possible in the list. However, it must come after any other middleware that encodes the response’s content, such as GZipMiddleware.',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
