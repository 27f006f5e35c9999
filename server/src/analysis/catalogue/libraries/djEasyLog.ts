// django-easy-logging (module dj_easy_log): `load_loguru(globals(), configure_func=None, logging_config=None, loglevel=None)`,
// called at the end of a settings module, routes the standard library's logging to loguru and
// writes three names into the mapping it is given (the module's globals()): LOGGING (a dictConfig
// whose only handler for the `django` logger is a NullHandler, or the `logging_config` given),
// LOGLEVEL and LOGGER, and nothing else. Read from the library's one module, dj_easy_log.py, of
// django-easy-logging (PyPI; the repository neutron-sync/django-easy-logging at e74bb25e, 2024-02-19,
// its newest commit; the project tags no releases).
import type { Fact, Library } from './types';

const SOURCE_URL = 'https://github.com/neutron-sync/django-easy-logging/blob/e74bb25ef7547369aebc0ec95d8a8d4fb7323684/dj_easy_log.py';

export const DJ_EASY_LOG = {
  distribution: 'django-easy-logging',
  modules: ['dj_easy_log'],
  readAt: 'dj_easy_log.py at e74bb25e (2024-02-19; no release is tagged)',
} as const satisfies Library;

export const DJ_EASY_LOG_FACTS = {
  /** The dotted name of the helper given the settings module's globals(). */
  loadLoguru: {
    value: { callee: 'dj_easy_log.load_loguru', settingsArg: 0, loggingConfigKeyword: 'logging_config', loglevelKeyword: 'loglevel' },
    source: {
      url: SOURCE_URL,
      quote: 'def load_loguru(settings, configure_func=None, logging_config=None, loglevel=None, force_reload=False):',
    },
  },
  /** The only names it writes into the mapping it is given. */
  writes: {
    value: ['LOGGING', 'LOGLEVEL', 'LOGGER'],
    source: {
      url: SOURCE_URL,
      quote: "ret = {'LOGGING': logging_config, 'LOGLEVEL': loglevel, 'LOGGER': logger}\n  settings.update(ret)",
    },
  },
  /** LOGGING when no logging_config is given: generate_logging_config(loglevel), which keeps no other logger's output. */
  defaultLogging: {
    value: { version: 1, disableExistingLoggers: true, djangoHandlerClass: 'logging.NullHandler' },
    source: {
      url: SOURCE_URL,
      quote:
        "def generate_logging_config(loglevel): return { 'version': 1, 'disable_existing_loggers': True, … 'handlers': { 'console': { 'level': loglevel, 'class': 'logging.NullHandler', 'formatter': 'simple' } }, 'loggers': { 'django': { 'handlers': ['console'], 'propagate': True, } } }",
    },
  },
  /** LOGLEVEL when no loglevel is given: the LOGLEVEL variable, else INFO with DEBUG on and ERROR with it off. */
  defaultLoglevel: {
    value: { variable: 'LOGLEVEL', whenDebug: 'INFO', otherwise: 'ERROR' },
    source: {
      url: SOURCE_URL,
      quote: "if settings.get('DEBUG'): loglevel = os.environ.get('LOGLEVEL', 'INFO') else: loglevel = os.environ.get('LOGLEVEL', 'ERROR')",
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
