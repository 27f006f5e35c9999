// django-debug-toolbar: its app, its middleware, the distribution a requirements file names, and
// where its documentation puts the middleware (as early as possible). Read from its installation
// documentation.
import type { Fact, Library } from './types';

export const DEBUG_TOOLBAR = {
  distribution: 'django-debug-toolbar',
  modules: ['debug_toolbar'],
  readAt: 'installation documentation (latest, 5.x)',
  apps: { toolbar: 'debug_toolbar' },
  middleware: { toolbar: 'debug_toolbar.middleware.DebugToolbarMiddleware' },
} as const satisfies Library;

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
