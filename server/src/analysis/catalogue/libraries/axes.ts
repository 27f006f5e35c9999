// django-axes: where it counts failed logins (the database unless its cache handler is chosen).
// Read from django-axes 5.39.0 (jazzband/django-axes at the 5.39.0 tag), which Debian packages.
import type { Library } from './types';

const AT = 'https://github.com/jazzband/django-axes/blob/5.39.0/axes';

export const AXES = {
  distribution: 'django-axes',
  modules: ['axes'],
  readAt: '5.39.0',
  debian: { package: 'python3-django-axes', version: '5.39.0' },
  apps: { axes: 'axes' },
  middleware: { axes: 'axes.middleware.AxesMiddleware' },
  settings: {
    handler: {
      name: 'AXES_HANDLER',
      default: { value: 'axes.handlers.database.AxesDatabaseHandler' },
      source: {
        url: `${AT}/conf.py#L68-L70`,
        quote: 'settings.AXES_HANDLER = getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler")',
      },
    },
  },
  /** The handlers that keep their counts in Django's cache. */
  cacheHandlers: ['axes.handlers.cache.AxesCacheHandler'],
} as const satisfies Library & Record<string, unknown>;
