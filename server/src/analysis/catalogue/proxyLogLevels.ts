// The log levels of the reverse proxies in front of Django, from their documentation: Traefik's
// `log.level` (its default, the levels that are debugging ones, and how its command line reads a
// level written after the flag), Caddy's `debug` global option and the level of its global `log`
// loggers, and nginx's `error_log` level. DDX205 reads these; the readers read the configurations.
import type { Fact } from './facts';

/**
 * Traefik's log level (`log.level` of its static configuration; Traefik v1's top-level `logLevel`):
 * ERROR unless set; DEBUG and TRACE are the debugging levels (TRACE from Traefik 3 on).
 */
export const TRAEFIK_LOG_LEVEL: Fact<{ readonly default: string; readonly debugging: readonly string[] }> = {
  value: { default: 'ERROR', debugging: ['DEBUG', 'TRACE'] },
  knob: 'log.level',
  source: {
    url: 'https://doc.traefik.io/traefik/observability/logs/',
    quote:
      'Traefik logs concern everything that happens to Traefik itself (startup, configuration, events, shutdown, and so on). … By default, the level is set to ERROR. Alternative logging levels are TRACE, DEBUG, INFO, WARN, ERROR, FATAL, and PANIC.',
    versions: 'Traefik 2 and 3 (TRACE: Traefik 3)',
  },
};

/** Traefik v1's name for the same option: a top-level `logLevel` (`--logLevel`). */
export const TRAEFIK_V1_LOG_LEVEL: Fact<'loglevel'> = {
  value: 'loglevel',
  knob: 'logLevel',
  source: {
    url: 'https://doc.traefik.io/traefik/v1.7/configuration/logs/',
    quote: 'logLevel = "INFO" … --logLevel="DEBUG"',
    versions: 'Traefik 1.x',
  },
};

/**
 * The options of Traefik's command line that take a value, so that a flag written without `=`
 * takes the next word as its value (`--log.level DEBUG`): Traefik's flag parser (paerser) reads
 * the next argument as the value of any flag that is not a boolean. Only these are read so; other
 * flags written without `=` stay switches (`--api.insecure`).
 */
export const TRAEFIK_VALUE_FLAGS: Fact<readonly string[]> = {
  value: ['log.level', 'loglevel'],
  source: {
    url: 'https://github.com/traefik/paerser/blob/5b24a2202ca6fd9bcc271bc4e474ccd62d2c1d31/flag/flagparser.go',
    quote:
      'flagType := f.getFlagType(name) if flagType == reflect.Bool || flagType == reflect.Ptr { f.setValue(name, "true") … } if len(f.args) > 0 { // value is the next arg hasValue = true value, f.args = f.args[0], f.args[1:] }',
  },
};

/**
 * Caddy's `debug` global option: the default logger at DEBUG, "very verbose in production". A
 * global `log` logger's `level` is INFO unless set; DEBUG is its debugging level.
 */
export const CADDY_DEBUG = {
  option: {
    value: 'DEBUG',
    knob: 'debug',
    source: {
      url: 'https://caddyserver.com/docs/caddyfile/options#debug',
      quote:
        'Enables debug mode, which sets the log level to DEBUG for the default logger. This reveals more details that can be useful when troubleshooting (and is very verbose in production).',
      versions: 'Caddy 2',
    },
  } as Fact<'DEBUG'>,
  logLevel: {
    value: { default: 'INFO', debugging: ['DEBUG'] },
    knob: 'log { level … }',
    source: {
      url: 'https://caddyserver.com/docs/caddyfile/options#log',
      quote:
        'level is the minimum entry level to log. Default: INFO. Possible values: DEBUG, INFO, WARN, ERROR, and very rarely, PANIC, FATAL.',
      versions: 'Caddy 2',
    },
  } as Fact<{ readonly default: string; readonly debugging: readonly string[] }>,
};

/**
 * nginx's `error_log file [level]`: `error` unless a level is given; a level logs its messages and
 * every more severe one, so `debug` logs info, notice and warn messages too. The debugging messages
 * themselves are written only by an nginx built `--with-debug` (nginx.org's Linux packages ship it
 * as a second binary, `nginx-debug`).
 */
export const NGINX_ERROR_LOG = {
  level: {
    value: { default: 'error', debugging: 'debug', below: ['info', 'notice', 'warn'] },
    knob: 'error_log <file> <level>',
    source: {
      url: 'https://nginx.org/en/docs/ngx_core_module.html#error_log',
      quote:
        'Log levels above are listed in the order of increasing severity. Setting a certain log level will cause all messages of the specified and more severe log levels to be logged. … If this parameter is omitted then error is used. For debug logging to work, nginx needs to be built with --with-debug',
    },
  } as Fact<{ readonly default: string; readonly debugging: string; readonly below: readonly string[] }>,
  debugBuild: {
    value: 'nginx-debug',
    source: {
      url: 'https://nginx.org/en/docs/debugging_log.html',
      quote:
        'To enable a debugging log, nginx needs to be configured to support debugging during the build … Pre-built Linux packages provide out-of-the-box support for debugging log with the nginx-debug binary (1.9.8)',
    },
  } as Fact<'nginx-debug'>,
};
