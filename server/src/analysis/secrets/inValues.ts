// Secrets in evaluated values: every string the settings bind (and the keyword arguments of the
// library calls they make, such as `sentry_sdk.init(dsn=...)`) that is a secret, kept per value
// while it does not change (every setting is looked at again after every keystroke); and a
// project's secrets, those values' with the ones written in its server, process and environment files.
import { NestedMemo, ValueMemo } from '../eval/valueMemo';
import * as V from '../eval/values';
import type { Value } from '../eval/values';
import { secretParts } from './decision';
import { describesCredential, entryValueIndex, isPublicHalf, isSensitiveName, isUpperName } from './names';
import { sortSecrets } from './redact';
import { CELERY_BEAT_SCHEDULE } from '../catalogue/libraries/index';
import { secretsInText } from './inText';

/** The settings that hold celery beat's schedule. */
const BEAT_SCHEDULES: ReadonlySet<string> = new Set(CELERY_BEAT_SCHEDULE.settings.value);

/**
 * Every string in the settings (and in the keyword arguments of library calls they make, such as
 * `sentry_sdk.init(dsn=...)`) that is a secret, for masking any output. Longest first.
 */
export function secretsInValues(
  forEachBinding: (fn: (name: string, value: Value) => void) => void,
  calls: readonly { readonly kwargs: ReadonlyMap<string, Value> }[],
): string[] {
  const out = new Set<string>();
  const add = (parts: readonly string[]): void => {
    for (let i = 0; i < parts.length; i++) out.add(parts[i]!);
  };
  // every setting after every keystroke in the editor: one lookup for a setting whose value is the
  // same object as the time before, met at the same place in the order
  const secretsOf = bindingSecrets.pass();
  forEachBinding((name, value) => add(secretsOf(value, name, bindingSecretsOf)));
  // each call's keywords under a key of their own (the call's place in the list): many calls give
  // the same keyword (crontab(hour=…), timedelta(minutes=…)), which, kept by keyword alone, took
  // each other's place and were computed again after every keystroke
  const callOf = callSecrets.pass();
  for (let i = 0; i < calls.length; i++) for (const [name, v] of calls[i]!.kwargs) add(callOf(v, `${i}\0${name}`, callKeywordSecrets));
  return sortSecrets(out);
}

const NONE: readonly string[] = [];

/** The secrets in each value the settings bind, by name (kept while it does not change: valueMemo.ts). */
const bindingSecrets = new ValueMemo<readonly string[]>();

/** The secrets in each value of a call's keywords, by the call's place and keyword (kept while it does not change). */
const callSecrets = new ValueMemo<readonly string[]>();

/** The secrets in a call's keyword's value, under `key` (the call's place, NUL, the keyword). */
function callKeywordSecrets(value: Value, key: string, uses: (container: Value) => void): readonly string[] {
  return secretsOfValue(value, key.slice(key.indexOf('\0') + 1), uses);
}

/** The secrets in the value a setting binds (a module-level name in capitals; helpers and imports hold none). */
function bindingSecretsOf(value: Value, name: string, uses: (container: Value) => void): readonly string[] {
  return isUpperName(name) ? secretsOfValue(value, name, uses) : NONE;
}

/** The secrets in a value under `name`: a string's (memoised by text), a container's items'; `uses` is told every container read. */
function secretsOfValue(value: Value, name: string, uses: (container: Value) => void): readonly string[] {
  if (value.kind === 'str') return secretParts(value.v, isSensitiveName(name), name);
  if (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set' || value.kind === 'dict') return secretsIn(value, name, uses);
  return NONE;
}

/** The secrets in a value bound to `name`; `uses` is told every container read. */
function secretsIn(value: Value, name: string, uses: (container: Value) => void): readonly string[] {
  return secretsFrom(value, isSensitiveName(name), 0, name, uses);
}

/** The secrets in the containers met inside a setting's value, by context (kept: valueMemo.ts). */
const innerSecrets = new NestedMemo<readonly string[]>();

/**
 * The secrets in `value`, met at `start` levels deep in a setting's value (`named`: a name above
 * it says it holds secrets; `name`: the nearest such name, else the setting's).
 */
function secretsFrom(value: Value, named: boolean, start: number, name: string, uses: (container: Value) => void): readonly string[] {
  let out: string[] | undefined;
  // every string of the settings, after every keystroke in the editor: no closure per item
  const visit = (v: Value, named: boolean, depth: number, name: string): void => {
    if (depth > 6) return;
    if (depth > start && (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set' || v.kind === 'dict')) {
      // a container inside: its secrets are kept while it does not change (one group of a dict
      // replaced leaves the others as they were)
      const inner = innerSecrets.get(v, `${named ? 1 : 0}\0${depth}\0${name}`, uses, (u) => secretsFrom(v, named, depth, name, u));
      if (inner.length > 0) (out ??= []).push(...inner);
      return;
    }
    if (v.kind === 'str') {
      const parts = secretParts(v.v, named, name);
      if (parts.length > 0) (out ??= []).push(...parts);
    } else if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') {
      uses(v);
      for (let i = 0; i < v.items.length; i++) visit(v.items[i]!, named, depth + 1, name);
    } else if (v.kind === 'dict') {
      uses(v);
      const schedule = BEAT_SCHEDULES.has(name) && depth <= 1;
      // (CONSTANCE_CONFIG: of each entry's tuple only the default is a value, names.ts entryValueIndex)
      const entryValue = depth === 0 ? entryValueIndex(name) : undefined;
      for (let i = 0; i < v.keys.length; i++) {
        const k = v.keys[i]!;
        const entry = v.values[i]!;
        if (entryValue !== undefined && V.isSeq(entry)) {
          uses(entry);
          const item = entry.items[entryValue];
          if (item && k.kind === 'str') visit(item, named || isSensitiveName(k.v), depth + 2, isSensitiveName(k.v) ? k.v : name);
          continue;
        }
        // (the public half of a pair, `"id"` beside `"key"`, is an identifier: names.ts isPublicHalf;
        // beat's schedule's keys and an entry's `task` are task names: catalogue CELERY_BEAT_SCHEDULE)
        const half = k.kind === 'str' && (isPublicHalf(k.v) || (schedule && (depth === 0 || k.v === CELERY_BEAT_SCHEDULE.taskKey.value)));
        const sensitive = !half && k.kind === 'str' && isSensitiveName(k.v);
        const describing = half || (!sensitive && k.kind === 'str' && describesCredential(k.v));
        visit(v.values[i]!, describing ? false : named || sensitive, depth + 1, sensitive ? (k as { v: string }).v : name);
      }
    }
  };
  visit(value, named, start, name);
  return out ?? NONE;
}

/**
 * The secrets of a project, for masking whatever its analysis says: those in the evaluated settings
 * and calls, and those written in the given files (the server, process and environment files).
 */
export function projectSecrets(
  settings: { forEachBound(fn: (name: string, value: Value) => void): void } | undefined,
  calls: readonly { readonly kwargs: ReadonlyMap<string, Value> }[],
  files: Iterable<readonly [string, string | undefined]>,
): string[] {
  const all = secretsInValues((fn) => settings?.forEachBound(fn), calls);
  for (const [file, text] of files) if (text !== undefined) all.push(...secretsInText(text, file));
  return sortSecrets(all);
}
