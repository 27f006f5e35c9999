// DDH901: no logging configured in production, so Django's defaults apply.
import { isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Rule } from '../types';
import { sentryInits } from './calls';
import { installedApp } from '../helpers';
import { RAVEN, RAVEN_DJANGO } from '../../catalogue/libraries';

/** Calls that configure the standard logging module themselves. */
const CONFIGURES_LOGGING = new Set(['logging.config.dictConfig', 'logging.config.fileConfig', 'logging.basicConfig']);

export const loggingNotConfigured: Rule = {
  code: 'DDH901',
  name: 'logging-not-configured',
  title: 'Logging is not configured',
  severity: 'information',
  group: 'logging-monitoring',
  checklist: 'logging',
  target: 'settings',
  docs: {
    what: "The production settings leave Django's default logging in place: `LOGGING` is unset or an empty dict, or configures neither `root` nor `loggers` (handlers alone are never used: a handler only writes what a logger hands it), `LOGGING_CONFIG` is not `None`, no `logging.config.dictConfig()` / `fileConfig()` / `logging.basicConfig()` call is made, no `sentry_sdk.init()` call sends errors elsewhere, and raven's Django app (`raven.contrib.django.raven_compat`, Sentry's legacy client, which reports uncaught exceptions) is not in `INSTALLED_APPS`. Judged as production must run, with DEBUG off, whatever DEBUG says (DEBUG on is DDH107's finding).",
    why: "Django's default configuration sends the `django` logger to two handlers: a console handler that only works while DEBUG is on, and `mail_admins`, which e-mails errors to `ADMINS` while DEBUG is off. So in production, with DEBUG off, nothing Django logs reaches stdout or stderr: the traceback of an unhandled exception (a 500) is e-mailed to ADMINS if there are any — and if ADMINS is empty, as it is by default, recorded nowhere at all. The app server does not log it either, since Django turned the exception into a response.",
    example: '# production.py\nDEBUG = False\n# no LOGGING, no ADMINS, no error tracker',
    fix: 'Configure LOGGING with a handler that writes to stderr (where the platform collects logs), for the root logger and `django` at INFO or WARNING, and add an error tracker such as Sentry. There is no quick fix: where the logs should go depends on the platform.',
    good: 'LOGGING = {\n    "version": 1,\n    "disable_existing_loggers": False,\n    "handlers": {"console": {"class": "logging.StreamHandler"}},\n    "root": {"handlers": ["console"], "level": "INFO"},\n}',
    references: [
      {
        title: 'Django: default logging configuration',
        url: 'https://docs.djangoproject.com/en/stable/ref/logging/#default-logging-configuration',
      },
      { title: 'Django: configuring logging', url: 'https://docs.djangoproject.com/en/stable/topics/logging/#configuring-logging' },
      { title: 'Django: error reporting (ADMINS)', url: 'https://docs.djangoproject.com/en/stable/howto/error-reporting/' },
    ],
  },
  check(ctx) {
    const config = ctx.settings.get('LOGGING_CONFIG').value;
    if (config.kind === 'none') return ctx.notApplicable('LOGGING_CONFIG is None: the project configures logging itself');
    if (ctx.calls.some((c) => CONFIGURES_LOGGING.has(c.callee)))
      return ctx.notApplicable('the settings configure logging with the logging module');
    if (sentryInits(ctx).length > 0) return ctx.notApplicable('errors are sent to Sentry');
    // raven's Django app (Sentry's legacy client) reports uncaught exceptions once installed
    if (RAVEN_DJANGO.reportsUncaught.value && installedApp(ctx.settings, RAVEN.apps.django))
      return ctx.notApplicable(`errors are sent to Sentry (${RAVEN.apps.django} is in INSTALLED_APPS)`);
    const s = ctx.settings.get('LOGGING');
    const v = s.value;
    if (v.kind === 'unknown') return isSupplied(v) ? undefined : ctx.unknown(`LOGGING is not known statically: ${v.reason}`, s.loc);
    let handlersOnly = false;
    if (v.kind === 'dict') {
      if (v.partial) return ctx.unknown('LOGGING may hold entries the analysis cannot read', s.loc);
      const present = (k: string): boolean => {
        const x = V.dictGetStr(v, k);
        return x !== null && x !== undefined && V.truthy(x) !== false;
      };
      // handlers only log what a logger hands them: without "root" or "loggers" they stay unused
      if (present('loggers') || present('root')) return;
      handlersOnly = present('handlers');
    } else if (s.isSet) return;
    // judged as production must run, with DEBUG off (DEBUG on is DDH107's finding)
    const admins = ctx.settings.get('ADMINS').value;
    const hasAdmins = V.truthy(admins);
    if (hasAdmins === undefined && !(admins.kind === 'unknown' && isSupplied(admins))) return ctx.unknown('ADMINS is not known statically');
    const what = !s.isSet
      ? 'LOGGING is not configured'
      : handlersOnly
        ? 'LOGGING defines handlers but attaches them to no logger (no "root", no "loggers")'
        : 'LOGGING configures no handlers or loggers';
    ctx.report({
      loc: s.loc,
      message:
        hasAdmins === false
          ? `${what}: with DEBUG off Django's default logging writes nothing and ADMINS is empty, so unhandled errors (500s) leave no trace; add a LOGGING handler that writes to stderr.`
          : `${what}: with DEBUG off Django's default logging only e-mails errors to ADMINS and writes nothing to the logs; add a LOGGING handler that writes to stderr.`,
    });
  },
};
