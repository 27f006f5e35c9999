// django-constance: its CONSTANCE_CONFIG, each entry of which is a tuple whose first item alone is a
// value (the default the backend starts with); the others describe it; and where it keeps live
// settings: its backend (Redis by default), and Django's cache only for the database backend with
// CONSTANCE_DATABASE_CACHE_BACKEND. Read from django-constance 4.3.5 (jazzband/django-constance at
// the 4.3.5 tag) and its documentation.
import type { Fact, Library } from './types';

export const CONSTANCE = {
  distribution: 'django-constance',
  modules: ['constance'],
  readAt: '4.3.5',
  apps: { constance: 'constance' },
  settings: {
    backend: {
      name: 'CONSTANCE_BACKEND',
      default: { value: 'constance.backends.redisd.RedisBackend' },
      source: {
        url: 'https://github.com/jazzband/django-constance/blob/4.3.5/constance/settings.py#L3',
        quote: 'BACKEND = getattr(settings, "CONSTANCE_BACKEND", "constance.backends.redisd.RedisBackend")',
      },
    },
    databaseCacheBackend: {
      name: 'CONSTANCE_DATABASE_CACHE_BACKEND',
      default: { value: null },
      source: {
        url: 'https://github.com/jazzband/django-constance/blob/4.3.5/constance/settings.py#L13',
        quote: 'DATABASE_CACHE_BACKEND = getattr(settings, "CONSTANCE_DATABASE_CACHE_BACKEND", None)',
      },
    },
    config: {
      name: 'CONSTANCE_CONFIG',
      default: { value: {} },
      source: {
        url: 'https://django-constance.readthedocs.io/en/latest/#configuration',
        quote:
          "CONSTANCE_CONFIG = {'THE_ANSWER': (42, 'Answer to the Ultimate Question of Life, The Universe, and Everything')} … Here, 42 is the default value for the key THE_ANSWER if it is not found in the backend. The other member of the tuple is a help text the admin will show.",
      },
    },
  },
  /** The backend that keeps live settings in a Django model (and, when told to, in Django's cache). */
  databaseBackend: 'constance.backends.database.DatabaseBackend',
} as const satisfies Library & Record<string, unknown>;

/**
 * Where django-constance touches Django's cache: only its database backend, and only when
 * CONSTANCE_DATABASE_CACHE_BACKEND names a CACHES alias; then it refuses a LocMemCache there
 * (ImproperlyConfigured: "refuse to let your application start"). Its Redis backends keep values in
 * Redis (CachingRedisBackend in a dict of its own per process), its memory backend in the process:
 * none of them uses Django's cache.
 */
export const CONSTANCE_DJANGO_CACHE: Fact<{
  readonly backend: string;
  readonly aliasSetting: string;
  readonly refusesLocMem: boolean;
}> = {
  value: { backend: CONSTANCE.databaseBackend, aliasSetting: CONSTANCE.settings.databaseCacheBackend.name, refusesLocMem: true },
  source: {
    url: 'https://django-constance.readthedocs.io/en/latest/backends.html#database',
    quote:
      "The database backend has the ability to automatically cache the config values and clear them when saving. Assuming you have a CACHES setting set you only need to set the the CONSTANCE_DATABASE_CACHE_BACKEND setting to the name of the configured cache backend to enable this feature … The cache feature won't work with a cache backend that is incompatible with cross-process caching like the local memory cache backend included in Django … If you try this, Constance will throw an error and refuse to let your application start. (constance/backends/database.py at 4.3.5: `if settings.DATABASE_CACHE_BACKEND: self._cache = caches[settings.DATABASE_CACHE_BACKEND]; if isinstance(self._cache, LocMemCache): raise ImproperlyConfigured(…)` else `self._cache = None`)",
  },
};

/**
 * The layout of a CONSTANCE_CONFIG entry: (default, help_text[, field type]); only the item at
 * `valueIndex` is a value, the help text is prose shown in the admin and the type a Python type.
 */
export const CONSTANCE_CONFIG_ENTRY: Fact<{ readonly setting: string; readonly valueIndex: number }> = {
  value: { setting: CONSTANCE.settings.config.name, valueIndex: 0 },
  source: {
    url: 'https://django-constance.readthedocs.io/en/latest/#custom-fields',
    quote:
      "Here, 42 is the default value for the key THE_ANSWER if it is not found in the backend. The other member of the tuple is a help text the admin will show. … CONSTANCE_CONFIG = {'MY_SELECT_KEY': ('yes', 'select yes or no', 'yes_no_null_select')} (the third item: the field type)",
  },
};
