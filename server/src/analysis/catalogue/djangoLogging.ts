// How Django sets up logging, and how Python's dictConfig applies LOGGING over it: what decides
// whether an unhandled error in a view is mailed to ADMINS. Each fact cites Django's or Python's
// source or documentation; test/libdiff runs the real thing (Debian's Django 3.2 and Python 3.11) on
// generated LOGGING dicts and compares (models/settings/errorMail.ts reads these facts).
import type { Fact } from './facts';

const DJANGO_LOG = 'https://github.com/django/django/blob/055d4703c29f4737c3061b58bb8992e2252cc0bb/django/utils/log.py';
const PY_CONFIG = 'https://github.com/python/cpython/blob/3.11/Lib/logging/config.py';

/** Python's level names, as `logging._checkLevel` accepts them (exact, upper case). */
export const LOG_LEVELS: Readonly<Record<string, number>> = {
  CRITICAL: 50,
  FATAL: 50,
  ERROR: 40,
  WARN: 30,
  WARNING: 30,
  INFO: 20,
  DEBUG: 10,
  NOTSET: 0,
};

/** A logger's configuration as the model keeps it. */
export interface LoggerState {
  readonly handlers: readonly string[];
  /** 0: NOTSET (the parent's level applies). */
  readonly level: number;
  readonly propagate: boolean;
}

export const DJANGO_LOGGING = {
  /** The logger Django reports a 500 (an unhandled exception in a view) to, at ERROR. */
  requestLogger: {
    value: 'django.request',
    source: {
      url: DJANGO_LOG,
      quote: 'request_logger = logging.getLogger("django.request") … log_response(…): if response.status_code >= 500: level = "error"',
    },
  } satisfies Fact<string>,
  /**
   * DEFAULT_LOGGING, applied before LOGGING: the `django` logger (parent of django.request) has the
   * console handler (DEBUG only) and mail_admins, an AdminEmailHandler at ERROR that passes only with
   * DEBUG off; the root logger keeps Python's default (WARNING, no handlers).
   */
  defaults: {
    value: {
      django: { handlers: ['console', 'mail_admins'], level: 20, propagate: true } as LoggerState,
      root: { handlers: [], level: 30, propagate: true } as LoggerState,
      /** The default handlers that mail: mail_admins (filter require_debug_false, level ERROR). */
      mailHandlers: ['mail_admins'] as readonly string[],
    },
    source: {
      url: DJANGO_LOG,
      quote:
        '"mail_admins": {"level": "ERROR", "filters": ["require_debug_false"], "class": "django.utils.log.AdminEmailHandler"} … "loggers": {"django": {"handlers": ["console", "mail_admins"], "level": "INFO"}',
      versions: 'unchanged since Django 1.9 (3.2 in Debian 12, which test/libdiff runs)',
    },
  } satisfies Fact<unknown>,
  /** Django applies LOGGING only when LOGGING_CONFIG is set and LOGGING is not empty; with LOGGING_CONFIG None it configures nothing. */
  configure: {
    value: 'logging.config.dictConfig',
    knob: 'LOGGING_CONFIG',
    source: {
      url: DJANGO_LOG,
      quote:
        'def configure_logging(logging_config, logging_settings): if logging_config: … logging.config.dictConfig(DEFAULT_LOGGING) … if logging_settings: logging_config_func(logging_settings)',
    },
  } satisfies Fact<string>,
  /** The handler class that mails ADMINS, and the filters Django ships. */
  adminEmailHandler: {
    value: 'django.utils.log.AdminEmailHandler',
    source: {
      url: DJANGO_LOG,
      quote: 'def emit(self, record): # Early return when no email will be sent. if (not settings.ADMINS …): return',
    },
  } satisfies Fact<string>,
  filters: {
    value: { 'django.utils.log.RequireDebugFalse': 'debug-off', 'django.utils.log.RequireDebugTrue': 'debug-on' } as Readonly<
      Record<string, 'debug-off' | 'debug-on'>
    >,
    source: { url: DJANGO_LOG, quote: 'class RequireDebugFalse(logging.Filter): def filter(self, record): return not settings.DEBUG' },
  } satisfies Fact<unknown>,
  /** dictConfig disables every existing logger LOGGING does not name (nor a child of one it names) unless disable_existing_loggers is False. */
  disableExisting: {
    value: true,
    knob: 'disable_existing_loggers',
    source: {
      url: 'https://docs.djangoproject.com/en/stable/topics/logging/#configuring-logging',
      quote:
        'If the disable_existing_loggers key in the LOGGING dictConfig is set to True (which is the dictConfig default if the key is missing) then all loggers from the default configuration will be disabled. Disabled loggers are not the same as removed; the logger will still exist, but will silently discard anything logged to it, not even propagating entries to a parent logger.',
    },
  } satisfies Fact<boolean>,
  /** A logger LOGGING names loses its handlers for the ones listed; an existing child of it is reset (no level, no handlers, propagating). */
  replaceHandlers: {
    value: true,
    source: {
      url: PY_CONFIG,
      quote:
        'common_logger_config: if not incremental: for h in logger.handlers[:]: logger.removeHandler(h) … _handle_existing_loggers: if log in child_loggers: logger.setLevel(logging.NOTSET); logger.handlers = []; logger.propagate = True else: logger.disabled = disable_existing',
    },
  } satisfies Fact<boolean>,
} as const;

/**
 * Where a logging handler class writes, for telling a LOGGING that keeps a container's logs in a file
 * only: the standard library's file handlers (a path on the process's file system), its stream
 * handler (stderr unless given another stream), and the handlers that write neither (mail, none).
 */
export const LOG_HANDLER_DESTINATIONS = {
  /** Handlers that write to a file the `filename` names (relative to the process's working folder). */
  file: {
    value: [
      'logging.FileHandler',
      'logging.handlers.RotatingFileHandler',
      'logging.handlers.TimedRotatingFileHandler',
      'logging.handlers.WatchedFileHandler',
    ] as readonly string[],
    knob: 'filename',
    source: {
      url: 'https://docs.python.org/3/library/logging.handlers.html#filehandler',
      quote:
        'class logging.FileHandler(filename, mode=…): Returns a new instance of the FileHandler class. The specified file is opened and used as the stream for logging. … RotatingFileHandler, TimedRotatingFileHandler and WatchedFileHandler (logging.handlers) are file handlers too.',
    },
  } satisfies Fact<readonly string[]>,
  /** Handlers that write to a stream: sys.stderr unless `stream` names another (`ext://sys.stdout`). */
  stream: {
    value: ['logging.StreamHandler'] as readonly string[],
    knob: 'stream',
    source: {
      url: 'https://docs.python.org/3/library/logging.handlers.html#streamhandler',
      quote:
        'class logging.StreamHandler(stream=None): … If stream is specified, the instance will use it for logging output; otherwise, sys.stderr will be used.',
    },
  } satisfies Fact<readonly string[]>,
  /** Handlers that keep nothing a log reader sees: the mail handler (errors only, by e-mail), the null handler. */
  neither: {
    value: ['django.utils.log.AdminEmailHandler', 'logging.NullHandler'] as readonly string[],
    source: {
      url: 'https://docs.python.org/3/library/logging.handlers.html#nullhandler',
      quote:
        'The NullHandler class … does not do any formatting or output. (Django: AdminEmailHandler sends an email to the site ADMINS for each log message it receives.)',
    },
  } satisfies Fact<readonly string[]>,
} as const;

/**
 * What a container's runtime collects as its logs: what the process writes to stdout and stderr,
 * nothing it writes to files in the container (which go with the container when it is replaced).
 */
export const CONTAINER_LOGS = {
  value: 'stdout and stderr',
  source: {
    url: 'https://docs.docker.com/engine/logging/',
    quote:
      "The docker logs command shows information logged by a running container. … By default, docker logs or docker service logs shows the command's output just as it would appear if you ran the command interactively in a terminal. Unix and Linux commands typically open three I/O streams when they run, called STDIN, STDOUT, and STDERR.",
    versions:
      'Kubernetes alike: "The easiest and most adopted logging method for containerized applications is writing to standard output and standard error streams" (https://kubernetes.io/docs/concepts/cluster-administration/logging/); The Twelve-Factor App, XI. Logs (https://12factor.net/logs)',
  },
} satisfies Fact<string>;
