// Whether production mails an unhandled error to ADMINS: Django logs a 500 to django.request at
// ERROR, and only an AdminEmailHandler on that logger's way up (django.request, django, the root)
// mails it. Django's DEFAULT_LOGGING puts one on `django`; LOGGING, applied over it with Python's
// dictConfig, may replace the logger's handlers or disable django.request altogether (its default
// disable_existing_loggers). The facts are catalogue/djangoLogging.ts's; test/libdiff compares this
// reading with what Debian's Django and Python do on generated LOGGING dicts.
import * as V from '../../eval/values';
import type { DictValue, Loc, Value } from '../../eval/values';
import { DJANGO_LOGGING, LOG_LEVELS, type LoggerState } from '../../catalogue/djangoLogging';
import type { Settings } from './settings';

export interface ErrorMail {
  /** yes: an error reaches an AdminEmailHandler (it mails when ADMINS is set); no: none; unknown: cannot tell. */
  readonly state: 'yes' | 'no' | 'unknown';
  readonly why: string;
}

const ERROR = LOG_LEVELS.ERROR!;
const REQUEST = DJANGO_LOGGING.requestLogger.value;
const ADMIN_HANDLER = DJANGO_LOGGING.adminEmailHandler.value;

/** A level as dictConfig accepts it: an int, or an exact level name (anything else makes it raise). */
function levelOf(v: Value): number | undefined {
  if (v.kind === 'int') return v.v;
  if (v.kind === 'str') return LOG_LEVELS[v.v];
  return undefined;
}

type Verdict =
  | { readonly mails: true }
  | { readonly mails: false; readonly why: string }
  | { readonly mails: 'unknown'; readonly why: string };
const quiet = (why: string): Verdict => ({ mails: false, why });
const unsure = (why: string): Verdict => ({ mails: 'unknown', why });

/** Whether a filter of LOGGING's "filters" lets an ERROR record of django.request through in production (DEBUG off). */
function filterPasses(filters: DictValue | null | undefined, name: string): Verdict {
  const cfg = filters ? V.dictGetStr(filters, name) : null;
  if (cfg === null) return unsure(`the filter ${name} is not defined (dictConfig raises)`);
  if (cfg === undefined || cfg.kind !== 'dict') return unsure(`the filter ${name} is not known statically`);
  const factory = V.dictGetStr(cfg, '()');
  if (factory === undefined) return unsure(`the filter ${name} is not known statically`);
  if (factory !== null) {
    const kind = factory.kind === 'str' ? DJANGO_LOGGING.filters.value[factory.v] : undefined;
    if (kind === 'debug-off') return { mails: true };
    if (kind === 'debug-on') return quiet(`its filter ${name} passes records only with DEBUG on`);
    return unsure(`its filter ${name} is ${factory.kind === 'str' ? factory.v : 'not known statically'}`);
  }
  // logging.Filter(name): passes the records of that logger and its children ('' passes all)
  const only = V.dictGetStr(cfg, 'name');
  if (only === null) return { mails: true };
  if (only === undefined || only.kind !== 'str') return unsure(`the filter ${name} is not known statically`);
  const n = only.v;
  return n === '' || n === REQUEST || REQUEST.startsWith(`${n}.`) ? { mails: true } : quiet(`its filter ${name} passes only ${n}`);
}

/** Every filter of a list passes. */
function filtersPass(filters: DictValue | null | undefined, list: Value | null | undefined, owner: string): Verdict {
  if (list === null) return { mails: true };
  const names = list === undefined ? undefined : V.strItems(list);
  if (!names) return unsure(`the filters of ${owner} are not known statically`);
  for (const f of names) {
    const v = filterPasses(filters, f);
    if (v.mails !== true) return v.mails === false ? quiet(`${owner}: ${v.why}`) : unsure(`${owner}: ${v.why}`);
  }
  return { mails: true };
}

/** Whether a handler LOGGING defines mails an ERROR record in production. */
function handlerMails(conf: DictValue, name: string): Verdict {
  const handlers = V.dictGetStr(conf, 'handlers');
  if (handlers === undefined || (handlers !== null && handlers.kind !== 'dict'))
    return unsure('LOGGING["handlers"] is not known statically');
  const cfg = handlers === null ? null : V.dictGetStr(handlers, name);
  if (cfg === null) return unsure(`the handler ${name} is not defined (dictConfig raises)`);
  if (cfg === undefined || cfg.kind !== 'dict') return unsure(`the handler ${name} is not known statically`);
  const factory = V.dictGetStr(cfg, '()');
  const cls = factory === null ? V.dictGetStr(cfg, 'class') : factory;
  if (cls === undefined || cls === null || cls.kind !== 'str') return unsure(`the class of the handler ${name} is not known statically`);
  if (cls.v !== ADMIN_HANDLER)
    // (a subclass of AdminEmailHandler, or another mailer: the analysis cannot tell)
    return /mail/i.test(cls.v) ? unsure(`the handler ${name} is ${cls.v}`) : quiet(`${name} is ${cls.v}`);
  const lv = V.dictGetStr(cfg, 'level');
  if (lv === undefined) return unsure(`the level of the handler ${name} is not known statically`);
  if (lv !== null) {
    const n = levelOf(lv);
    if (n === undefined) return unsure(`the level of the handler ${name} is not known statically`);
    if (n > ERROR) return quiet(`the AdminEmailHandler ${name} takes only levels above ERROR`);
  }
  const filters = V.dictGetStr(conf, 'filters');
  if (filters !== null && (filters === undefined || filters.kind !== 'dict'))
    return V.dictGetStr(cfg, 'filters') === null ? { mails: true } : unsure('LOGGING["filters"] is not known statically');
  return filtersPass(filters, V.dictGetStr(cfg, 'filters'), `the handler ${name}`);
}

/** A logger as LOGGING configures it over `base` (dictConfig keeps the level and propagate it does not give; the handlers are replaced). */
function configured(cfg: DictValue, base: LoggerState, owner: string): LoggerState | string {
  const handlers = V.dictGetStr(cfg, 'handlers');
  const names = handlers === null ? [] : handlers === undefined ? undefined : V.strItems(handlers);
  if (!names) return `the handlers of ${owner} are not known statically`;
  const lv = V.dictGetStr(cfg, 'level');
  const level = lv === null ? base.level : lv === undefined ? undefined : levelOf(lv);
  if (level === undefined) return `the level of ${owner} is not known statically`;
  const prop = V.dictGetStr(cfg, 'propagate');
  const propagate = prop === null ? base.propagate : prop === undefined ? undefined : V.truthy(prop);
  if (propagate === undefined) return `whether ${owner} propagates is not known statically`;
  return { handlers: names, level, propagate };
}

/** A logger's entry in LOGGING: its dict, null when not named, a reason when it cannot be read. */
function entry(loggers: Value | null | undefined, name: string): DictValue | null | string {
  if (loggers === null) return null;
  if (loggers === undefined || loggers.kind !== 'dict') return 'LOGGING["loggers"] is not known statically';
  const cfg = V.dictGetStr(loggers, name);
  if (cfg === null) return null;
  if (cfg === undefined || cfg.kind !== 'dict') return `LOGGING["loggers"]["${name}"] is not known statically`;
  return cfg;
}

function at(loc: Loc | undefined, place: (loc: Loc) => string): string {
  return loc ? ` (${place(loc)})` : '';
}

/**
 * Whether an unhandled error in a view reaches an AdminEmailHandler in production (DEBUG off). `place`
 * names a location for the reasons (`mysite/settings.py:40`).
 */
export function errorMail(settings: Settings, place: (loc: Loc) => string): ErrorMail {
  const yes = (why: string): ErrorMail => ({ state: 'yes', why });
  const no = (why: string): ErrorMail => ({ state: 'no', why });
  const unknown = (why: string): ErrorMail => ({ state: 'unknown', why });
  const lc = settings.get('LOGGING_CONFIG');
  if (lc.isSet) {
    if (lc.value.kind === 'none')
      return no(`LOGGING_CONFIG is None${at(lc.loc, place)}: Django sets up no logging, not even the handler that mails errors to ADMINS`);
    if (lc.value.kind !== 'str' || lc.value.v !== DJANGO_LOGGING.configure.value)
      return unknown(`LOGGING_CONFIG${at(lc.loc, place)} is not dictConfig`);
  }
  const s = settings.get('LOGGING');
  const where = at(s.loc, place);
  const conf = s.value;
  const byDefault = yes("Django's default logging mails errors to ADMINS (its mail_admins handler on the django logger)");
  if (conf.kind === 'unknown') return unknown(`LOGGING${where} is not known statically`);
  if (V.truthy(conf) === false) return byDefault;
  if (conf.kind !== 'dict') return unknown(`LOGGING${where} is not a dict`);
  const inc = V.dictGetStr(conf, 'incremental');
  if (inc !== null && (inc === undefined || V.truthy(inc) !== false)) return unknown(`LOGGING${where} may be incremental`);
  const loggers = V.dictGetStr(conf, 'loggers');
  const req = entry(loggers, REQUEST);
  const dj = entry(loggers, 'django');
  if (typeof req === 'string') return unknown(req);
  if (typeof dj === 'string') return unknown(dj);
  // the root: LOGGING["root"], or (Python 3.9 and later) a logger named "" or "root"
  const rootKey = V.dictGetStr(conf, 'root');
  if (rootKey === undefined || (rootKey !== null && rootKey.kind !== 'dict'))
    return unknown(`LOGGING["root"]${where} is not known statically`);
  const rootNamed = ['', 'root'].map((n) => entry(loggers, n));
  for (const r of rootNamed) if (typeof r === 'string') return unknown(r);
  const rootCfgs = [rootKey, ...rootNamed].filter((r): r is DictValue => r !== null && typeof r !== 'string');
  if (rootCfgs.length > 1) return unknown(`LOGGING${where} configures the root logger more than once`);
  const d = DJANGO_LOGGING.defaults.value;
  const fresh: LoggerState = { handlers: [], level: 0, propagate: true };
  // django.request: named; else the child of a named django, reset; else disabled unless told not to
  let request: LoggerState;
  if (req) {
    const c = configured(req, fresh, REQUEST);
    if (typeof c === 'string') return unknown(c);
    request = c;
  } else {
    request = fresh;
    if (!dj) {
      const dis = V.dictGetStr(conf, 'disable_existing_loggers');
      const disable = dis === null ? DJANGO_LOGGING.disableExisting.value : dis === undefined ? undefined : V.truthy(dis);
      if (disable === undefined) return unknown(`disable_existing_loggers${where} is not known statically`);
      if (disable)
        return no(
          `LOGGING${where} names neither the django nor the ${REQUEST} logger and ${dis === null ? 'leaves disable_existing_loggers at its default (True)' : 'sets disable_existing_loggers'}, so dictConfig disables ${REQUEST}: a 500 is neither logged nor mailed`,
        );
    }
  }
  const django = dj ? configured(dj, d.django, 'the django logger') : d.django;
  if (typeof django === 'string') return unknown(django);
  const root = rootCfgs[0] ? configured(rootCfgs[0], d.root, 'the root logger') : d.root;
  if (typeof root === 'string') return unknown(root);
  if (req) {
    const f = V.dictGetStr(req, 'filters');
    if (f !== null) {
      const filters = V.dictGetStr(conf, 'filters');
      const v = filtersPass(filters?.kind === 'dict' ? filters : filters === null ? null : undefined, f, `the ${REQUEST} logger`);
      if (v.mails === false) return no(`LOGGING${where}: ${v.why}`);
      if (v.mails === 'unknown') return unknown(v.why);
    }
  }
  const level = [request, django, root].find((l) => l.level !== 0)?.level ?? 0;
  if (level > ERROR) return no(`LOGGING${where} sets the level of the ${REQUEST} logger's chain above ERROR, so a 500 is not logged`);
  // the handlers on the way up: django.request's, then django's (its default ones when LOGGING does not name it), then the root's
  const chain: { owner: string; handlers: readonly string[]; defaults: boolean }[] = [
    { owner: REQUEST, handlers: request.handlers, defaults: false },
  ];
  if (request.propagate) {
    chain.push({ owner: 'django', handlers: django.handlers, defaults: !dj });
    if (django.propagate) chain.push({ owner: 'root', handlers: root.handlers, defaults: false });
  }
  const unsureWhy: string[] = [];
  for (const link of chain) {
    for (const h of link.handlers) {
      if (link.defaults) {
        if (d.mailHandlers.includes(h))
          return yes(
            `LOGGING${where} leaves the django logger its default handlers, and with them mail_admins, which mails errors to ADMINS`,
          );
        continue;
      }
      const v = handlerMails(conf, h);
      if (v.mails === true) return yes(`LOGGING${where} gives the ${link.owner} logger the AdminEmailHandler ${h}`);
      if (v.mails === 'unknown') unsureWhy.push(v.why);
    }
  }
  if (unsureWhy.length) return unknown(unsureWhy[0]!);
  const route = chain.map((l) => `${l.owner}: ${l.handlers.length ? l.handlers.join(', ') : 'none'}`).join('; ');
  return no(`LOGGING${where} leaves no AdminEmailHandler on the ${REQUEST} logger's way up (${route}), so errors are not mailed`);
}
