// DDH902: the django.db.backends logger at DEBUG (every SQL query logged, with parameters).
import { isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { DictValue, Value } from '../../eval/values';
import { originNote } from '../helpers';
import { replaceStringLiteral } from '../fixes/stringEdits';
import type { Rule } from '../types';

/** Whether a logging level value means DEBUG: true/false/undefined (unknown). */
function isDebugLevel(v: Value): boolean | undefined {
  if (v.kind === 'str') return v.v === 'DEBUG';
  if (v.kind === 'int') return v.v <= 10 && v.v > 0;
  if (v.kind === 'unknown') return v.ext === 'logging.DEBUG' ? true : v.ext?.startsWith('logging.') ? false : undefined;
  return false;
}

export const dbDebugLogging: Rule = {
  code: 'DDH902',
  name: 'db-debug-logging',
  title: 'SQL queries logged at DEBUG',
  severity: 'warning',
  group: 'logging-monitoring',
  checklist: 'logging',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'The production `LOGGING` gives the `django.db.backends` logger the level DEBUG — directly, or through `django.db` or `django` when it has no level of its own. Django logs every SQL query it runs to that logger at DEBUG, but only while `DEBUG` is on: with DEBUG known to be off the configuration has no effect yet, and the finding is only a hint.',
    why: 'Each query goes to the logs with its parameters: e-mail addresses, password-reset tokens, personal data, whatever the application writes to the database, now readable by everyone with access to the logs and kept for as long as they are. The volume (several lines per request) also costs time and money. With DEBUG off the setting is a trap that springs the day someone turns DEBUG on to investigate a production problem.',
    example: 'LOGGING["loggers"]["django.db.backends"] = {"level": "DEBUG", "handlers": ["console"]}',
    fix: "Set the logger to INFO or WARNING in production (or remove it), and keep SQL logging for development settings. To find slow queries, use the database's slow-query log or an APM tool. The quick fix sets the written level to WARNING; it is safe when the line is the django.db.backends logger of a production-only module, unsafe otherwise (development loses its SQL log, or the django logger its other messages).",
    good: 'LOGGING["loggers"]["django.db.backends"] = {"level": "WARNING", "handlers": ["console"]}',
    references: [
      { title: 'Django: django.db.backends logger', url: 'https://docs.djangoproject.com/en/stable/ref/logging/#django-db-backends' },
      { title: 'Django: configuring logging', url: 'https://docs.djangoproject.com/en/stable/topics/logging/#configuring-logging' },
    ],
  },
  check(ctx) {
    const s = ctx.settings.get('LOGGING');
    const v = s.value;
    if (v.kind === 'unknown') return isSupplied(v) ? undefined : ctx.unknown(`LOGGING is not known statically: ${v.reason}`, s.loc);
    if (v.kind !== 'dict') return ctx.notApplicable('LOGGING is not configured');
    const loggers = V.dictGetStr(v, 'loggers');
    if (loggers === null) return ctx.notApplicable('LOGGING configures no loggers');
    if (loggers === undefined || loggers.kind === 'unknown') return ctx.unknown('LOGGING["loggers"] is not known statically', s.loc);
    if (loggers.kind !== 'dict') return;
    // the effective level: the first of these loggers that sets one (Django's defaults give "django" INFO)
    let level: Value | undefined;
    let owner = '';
    for (const name of ['django.db.backends', 'django.db', 'django']) {
      const cfg = V.dictGetStr(loggers, name);
      if (cfg === undefined) return ctx.unknown(`LOGGING["loggers"] may configure ${name} where the analysis cannot see it`, s.loc);
      if (cfg === null) continue;
      if (cfg.kind !== 'dict')
        return cfg.kind === 'unknown' && !isSupplied(cfg)
          ? ctx.unknown(`LOGGING["loggers"]["${name}"] is not known statically`, s.loc)
          : undefined;
      const lv = V.dictGetStr(cfg as DictValue, 'level');
      if (lv === undefined) return ctx.unknown(`the level of the ${name} logger is not known statically`, s.loc);
      if (lv === null) continue;
      level = lv;
      owner = name;
      break;
    }
    if (!level) return;
    const isDebug = isDebugLevel(level);
    if (isDebug === undefined)
      return level.kind === 'unknown' && isSupplied(level)
        ? undefined
        : ctx.unknown(`the level of the ${owner} logger is not known statically`, ctx.settings.locOf(level) ?? s.loc);
    if (!isDebug) return;
    const debug = V.truthy(ctx.settings.get('DEBUG').value);
    if (debug === undefined) return ctx.unknown('DEBUG is not known statically, and Django only logs SQL queries while it is on');
    const via = owner === 'django.db.backends' ? 'The django.db.backends logger' : `The ${owner} logger (and with it django.db.backends)`;
    const levelLoc = ctx.settings.locOf(level);
    // safe only where nothing else changes: the SQL logger itself, on a line only production reads
    const safe = owner === 'django.db.backends' && levelLoc !== undefined && ctx.fixer.productionEditSafety(levelLoc.file) === 'safe';
    const fix = replaceStringLiteral(
      ctx,
      levelLoc,
      'WARNING',
      safe
        ? `Set the ${owner} logger to WARNING`
        : `Set the ${owner} logger to WARNING (changes behaviour: ${owner === 'django.db.backends' ? 'development, which reads this line too, loses its SQL log' : `its other DEBUG and INFO messages are no longer logged`})`,
      safe ? 'safe' : 'unsafe',
    );
    ctx.report({
      loc: levelLoc ?? s.loc,
      fixes: fix ? [fix] : [],
      severity: debug ? undefined : 'hint',
      message: debug
        ? `${via} is at DEBUG${originNote(level)} while DEBUG is on: every SQL query is logged with its parameters; set it to INFO or WARNING in production.`
        : `${via} is at DEBUG${originNote(level)}: no effect while DEBUG is off, but every SQL query would be logged with its parameters the day it is on; set it to INFO or WARNING.`,
    });
  },
};
