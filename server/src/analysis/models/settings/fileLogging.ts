// Whether the production LOGGING writes the app's logs to files only: the root logger (the app's own
// loggers propagate to it) and Django's `django` / `django.request` loggers (a 500's traceback), each
// with the handlers on its way up (its own, then its parents' while it propagates), as dictConfig
// applies LOGGING over Django's defaults (catalogue/djangoLogging.ts). A logger writes to files only
// when every handler on its way up is a file handler or one that keeps nothing a log reader sees (the
// mail handler, the null handler), and at least one is a file handler: nothing reaches stdout or stderr.
import * as V from '../../eval/values';
import type { DictValue, Loc, Value } from '../../eval/values';
import { DJANGO_LOGGING, LOG_HANDLER_DESTINATIONS } from '../../catalogue/djangoLogging';
import type { Settings } from './settings';

/** One file handler LOGGING defines, that a logger writing to files only hands records to. */
export interface LogFileHandler {
  readonly name: string;
  readonly cls: string;
  /** The `filename` as LOGGING gives it (unknown when it is read at run time). */
  readonly filename: Value | undefined;
  /** Where the handler is defined (its `class` value, else its dict). */
  readonly loc: Loc | undefined;
  /** The loggers that write only through file handlers and hand records to this one (`root`, `django.request`). */
  readonly loggers: readonly string[];
}

export type FileLogging =
  | { readonly state: 'files-only'; readonly handlers: readonly LogFileHandler[] }
  /** no: `checked` when LOGGING configures the loggers and none writes to files only (else it leaves Django's defaults). */
  | { readonly state: 'no' | 'unknown'; readonly why: string; readonly checked?: boolean };

type Destination = 'file' | 'stream' | 'neither' | 'other';

function destinationOf(cls: string): Destination {
  const d = LOG_HANDLER_DESTINATIONS;
  if (d.file.value.includes(cls)) return 'file';
  if (d.stream.value.includes(cls)) return 'stream';
  if (d.neither.value.includes(cls)) return 'neither';
  return 'other';
}

/** A logger's entry: its dict, null when LOGGING does not name it, a reason when it cannot be read. */
function loggerEntry(conf: DictValue, name: string): DictValue | null | string {
  if (name === 'root') {
    const r = V.dictGetStr(conf, 'root');
    if (r !== null) return r !== undefined && r.kind === 'dict' ? r : 'LOGGING["root"] is not known statically';
  }
  const loggers = V.dictGetStr(conf, 'loggers');
  if (loggers === null) return null;
  if (loggers === undefined || loggers.kind !== 'dict') return 'LOGGING["loggers"] is not known statically';
  for (const key of name === 'root' ? ['', 'root'] : [name]) {
    const cfg = V.dictGetStr(loggers, key);
    if (cfg === null) continue;
    return cfg !== undefined && cfg.kind === 'dict' ? cfg : `LOGGING["loggers"]["${key}"] is not known statically`;
  }
  return null;
}

/**
 * The file handlers of the production LOGGING through which the root, `django` or `django.request`
 * logger writes to files only; no when none does (or LOGGING leaves Django's defaults), unknown
 * when LOGGING cannot be read.
 */
export function fileLogging(settings: Settings): FileLogging {
  const lc = settings.get('LOGGING_CONFIG');
  if (lc.isSet && (lc.value.kind !== 'str' || lc.value.v !== DJANGO_LOGGING.configure.value))
    return { state: 'no', why: 'LOGGING_CONFIG is not dictConfig: the project sets up logging itself' };
  const conf = settings.get('LOGGING').value;
  if (conf.kind === 'unknown') return { state: 'unknown', why: 'LOGGING is not known statically' };
  if (V.truthy(conf) === false) return { state: 'no', why: "LOGGING is not set: Django's default logging writes to stderr" };
  if (conf.kind !== 'dict') return { state: 'unknown', why: 'LOGGING is not a dict' };
  if (conf.partial) return { state: 'unknown', why: 'LOGGING may hold entries the analysis cannot read' };
  const handlers = V.dictGetStr(conf, 'handlers');
  if (handlers !== null && (handlers === undefined || handlers.kind !== 'dict'))
    return { state: 'unknown', why: 'LOGGING["handlers"] is not known statically' };
  // each logger's own handlers and whether it propagates; a logger LOGGING does not name keeps Django's
  // default (django: console, which writes only with DEBUG on, and mail_admins; the root: none)
  const own = new Map<string, { handlers: string[]; propagate: boolean; named: boolean }>();
  for (const name of ['django.request', 'django', 'root']) {
    const e = loggerEntry(conf, name);
    if (typeof e === 'string') return { state: 'unknown', why: e };
    if (e === null) {
      own.set(name, { handlers: [], propagate: true, named: false });
      continue;
    }
    const hs = V.dictGetStr(e, 'handlers');
    const names = hs === null ? [] : V.strItems(hs ?? undefined);
    if (!names) return { state: 'unknown', why: `the handlers of the ${name} logger are not known statically` };
    const prop = V.dictGetStr(e, 'propagate');
    const propagate = prop === null ? true : prop === undefined ? undefined : V.truthy(prop);
    if (propagate === undefined) return { state: 'unknown', why: `whether the ${name} logger propagates is not known statically` };
    own.set(name, { handlers: names, propagate, named: true });
  }
  const found = new Map<string, { name: string; cls: string; filename: Value | undefined; loc: Loc | undefined; loggers: string[] }>();
  const unknownWhy: string[] = [];
  for (const name of ['root', 'django', 'django.request']) {
    const chain = name === 'root' ? ['root'] : name === 'django' ? ['django', 'root'] : ['django.request', 'django', 'root'];
    // only the loggers LOGGING names (or whose parent it names): the defaults write to stderr
    if (!chain.some((c) => own.get(c)!.named)) continue;
    const on: string[] = [];
    for (const c of chain) {
      const o = own.get(c)!;
      on.push(...o.handlers);
      if (!o.propagate) break;
    }
    const files: { name: string; cls: string; cfg: DictValue; clsValue: Value }[] = [];
    let elsewhere = false;
    let unsure: string | undefined;
    for (const h of on) {
      const cfg = handlers === null ? null : V.dictGetStr(handlers, h);
      if (cfg === null || cfg === undefined || cfg.kind !== 'dict') {
        unsure ??= `the handler ${h} is not known statically`;
        continue;
      }
      const factory = V.dictGetStr(cfg, '()');
      const clsValue = factory === null ? V.dictGetStr(cfg, 'class') : factory;
      if (clsValue === undefined || clsValue === null || clsValue.kind !== 'str') {
        unsure ??= `the class of the handler ${h} is not known statically`;
        continue;
      }
      const dest = destinationOf(clsValue.v);
      if (dest === 'file') files.push({ name: h, cls: clsValue.v, cfg, clsValue });
      else if (dest === 'stream' || dest === 'other') elsewhere = true;
    }
    if (elsewhere || files.length === 0) continue;
    if (unsure) {
      unknownWhy.push(unsure);
      continue;
    }
    for (const f of files) {
      const at = found.get(f.name);
      if (at) {
        at.loggers.push(name);
        continue;
      }
      const fn = V.dictGetStr(f.cfg, 'filename');
      found.set(f.name, {
        name: f.name,
        cls: f.cls,
        filename: fn ?? undefined,
        loc: settings.locOf(f.clsValue) ?? settings.locOf(f.cfg),
        loggers: [name],
      });
    }
  }
  if (found.size > 0) return { state: 'files-only', handlers: [...found.values()] };
  if (unknownWhy.length > 0) return { state: 'unknown', why: unknownWhy[0]! };
  return { state: 'no', checked: true, why: 'every logger LOGGING configures writes to a stream or a handler other than a file' };
}
