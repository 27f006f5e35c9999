// The DATABASES entries of the production settings, as the database rules read them: literal
// dicts, and the partial dicts of dj-database-url / django-environ (known keys such as
// CONN_MAX_AGE next to parts that come from the environment).
import { isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { DictValue, Loc, Value } from '../../eval/values';
import { atLeast } from '../../models/project/version';
import { echoable } from '../helpers';
import type { RuleContext } from '../types';
import { DUMMY_ENGINE, engineKind, PGBOUNCER_PORT, type EngineKind } from '../../catalogue/databaseEngines';

export { engineKind, type EngineKind };

export interface DbEntry {
  readonly alias: string;
  readonly entry: DictValue;
  /** Where the entry is written (its dict literal or the dj-database-url call). */
  readonly loc: Loc;
  /** The engine family; 'env' when the engine comes from the environment (a URL read at run time). */
  readonly engine: EngineKind | 'env' | undefined;
  readonly engineValue: Value | null | undefined;
  /** DATABASES["default"] */
  readonly label: string;
}

export interface DbEntries {
  readonly entries: readonly DbEntry[];
  /** Why some entry (or DATABASES itself) could not be read, if any. */
  readonly unknown?: { reason: string; loc: Loc };
}

/** The production DATABASES entries; `unknown` says what could not be read (env-required parts are safe). */
export function databaseEntries(ctx: RuleContext): DbEntries {
  const s = ctx.settings.get('DATABASES');
  const v = s.value;
  if (v.kind === 'unknown')
    return isSupplied(v)
      ? { entries: [] }
      : { entries: [], unknown: { reason: `DATABASES is not known statically: ${v.reason}`, loc: s.loc } };
  if (v.kind !== 'dict') return { entries: [] };
  const entries: DbEntry[] = [];
  let unknown: DbEntries['unknown'] = v.partial ? { reason: 'DATABASES may hold entries the analysis cannot read', loc: s.loc } : undefined;
  v.keys.forEach((k, i) => {
    const e = v.values[i]!;
    const alias = k.kind === 'str' ? k.v : '?';
    if (e.kind === 'unknown') {
      if (!isSupplied(e))
        unknown ??= {
          reason: `DATABASES["${echoable(alias) ?? '…'}"] is not known statically: ${e.reason}`,
          loc: ctx.settings.locOf(e) ?? s.loc,
        };
      return;
    }
    if (e.kind !== 'dict') return;
    const engineValue = V.dictGetStr(e, 'ENGINE');
    const engine =
      engineValue === null
        ? undefined
        : engineValue === undefined
          ? undefined
          : engineValue.kind === 'str'
            ? engineKind(engineValue.v)
            : engineValue.kind === 'unknown' && isSupplied(engineValue)
              ? 'env'
              : undefined;
    const shown = echoable(alias);
    entries.push({
      alias,
      entry: e,
      loc: ctx.settings.locOf(e) ?? s.loc,
      engine,
      engineValue,
      label: shown ? `DATABASES["${shown}"]` : 'An entry of DATABASES',
    });
  });
  return { entries, unknown };
}

/**
 * When every entry of DATABASES uses Django's dummy backend (catalogue DUMMY_ENGINE), the reason a
 * connection rule does not apply: no connection is ever opened, so no connection setting is read.
 * Undefined when some entry may reach a database (or there is none).
 */
export function noDatabaseReason(entries: readonly DbEntry[]): string | undefined {
  if (entries.length === 0 || entries.some((e) => e.engine !== 'dummy')) return undefined;
  const labels = entries.map((e) => e.label);
  const which = labels.length === 1 ? `${labels[0]} uses` : `every entry of DATABASES (${labels.join(', ')}) uses`;
  return `${which} ${DUMMY_ENGINE.value}, Django's no-database backend: it opens no connection (any query raises ImproperlyConfigured), so no connection setting applies (${DUMMY_ENGINE.source.url})`;
}

/** A key of an entry: the value, null when surely absent, undefined when the entry may hold it unseen. */
export function key(e: DbEntry, name: string): Value | null | undefined {
  return V.dictGetStr(e.entry, name);
}

/** The OPTIONS dict of an entry: a dict (empty when absent), 'env' when it comes from the environment, undefined when unknown. */
export function options(e: DbEntry): DictValue | 'env' | undefined {
  const o = key(e, 'OPTIONS');
  if (o === null) return e.entry.partial ? undefined : V.dict([], [], 'default', e.loc);
  if (o === undefined) return undefined;
  if (o.kind === 'dict') return o;
  if (o.kind === 'unknown' && isSupplied(o)) return 'env';
  return undefined;
}

/** Where a finding about a key reads best: the key's value when written in a file the analysis read, else the entry. */
export function locOfKey(ctx: RuleContext, e: DbEntry, v: Value | null | undefined): Loc {
  return (v && ctx.settings.locOf(v)) || e.loc;
}

/**
 * OPTIONS["pool"] of a PostgreSQL entry as Django reads it: 'on' (a truthy value, Django 5.1+),
 * 'ignored' (truthy but Django is older than 5.1, which does not read it), 'off' (absent or
 * falsy), or the value itself when the analysis cannot read it.
 */
/** OPTIONS["pool"] of an entry: the value, null when surely absent, undefined when unknown. */
export function poolOption(e: DbEntry): Value | null | undefined {
  const o = options(e);
  if (o === 'env') return null;
  return o === undefined ? undefined : V.dictGetStr(o, 'pool');
}

export function djangoPool(ctx: RuleContext, e: DbEntry): 'on' | 'ignored' | 'off' | { readonly unknown: Value | undefined } {
  if (e.engine !== 'postgresql') return 'off';
  const p = poolOption(e);
  if (p === null) return 'off';
  if (p === undefined || p.kind === 'unknown') return { unknown: p };
  if (V.truthy(p) !== true) return 'off';
  return atLeast(ctx.version.version, '5.1') ? 'on' : 'ignored';
}

/** Engines that pool connections themselves (CONN_MAX_AGE must stay 0 with them). */
/**
 * The entry reaches its database through PgBouncer: its PORT is PgBouncer's (6432), or its HOST
 * names the pooler (`pgbouncer`, a `…-pooler` host name).
 */
export function behindPooler(e: DbEntry): boolean {
  const port = V.dictGetStr(e.entry, 'PORT');
  if (
    port &&
    ((port.kind === 'str' && port.v.trim() === PGBOUNCER_PORT.value) || (port.kind === 'int' && String(port.v) === PGBOUNCER_PORT.value))
  )
    return true;
  const host = V.dictGetStr(e.entry, 'HOST');
  return host !== null && host !== undefined && host.kind === 'str' && /pgbouncer|(^|[.-])pooler([.-]|$)/i.test(host.v);
}

export function pools(ctx: RuleContext, e: DbEntry): boolean {
  if (e.engineValue?.kind === 'str' && /pool/i.test(e.engineValue.v)) return true;
  const o = options(e);
  if (!o || o === 'env') return false;
  const p = V.dictGetStr(o, 'pool');
  return p !== null && p !== undefined && V.truthy(p) === true && atLeast(ctx.version.version, '5.1');
}
