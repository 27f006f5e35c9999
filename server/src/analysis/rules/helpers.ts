// Small helpers shared by rule files: describing where a value comes from, finding list items.
import * as V from '../eval/values';
import type { Loc, Value } from '../eval/values';
import type { SettingValue } from './settings';

/** " (the default of the DJANGO_DEBUG environment variable)" for env defaults, else "". */
export function originNote(v: Value): string {
  if (v.origin === 'env-default' && v.env?.length) return ` (the default used when the environment variable ${v.env[0]!.name} is not set)`;
  if (v.origin === 'default') return " (Django's default)";
  return '';
}

/** True when a value was written in the code: a literal, or computed from literals only. */
export function isWrittenInCode(v: Value): boolean {
  return v.kind !== 'unknown' && (v.origin === 'literal' || v.origin === 'derived');
}

/** The reason to give when a rule cannot decide because the setting's value is unknown. */
export function unknownReason(s: SettingValue): string {
  const v = s.value;
  if (v.kind !== 'unknown') return `${s.name} could not be read`;
  return `${s.name} ${v.reason.startsWith('depends') || v.reason.startsWith('only') ? v.reason : `is not known statically: ${v.reason}`}`;
}

/** Items of a sequence setting with their locations (falling back to the setting's location). */
export function itemsWithLoc(s: SettingValue, locOf: (v: Value) => Loc | undefined): { item: Value; loc: Loc }[] {
  if (!V.isSeq(s.value)) return [];
  return s.value.items.map((item) => ({ item, loc: locOf(item) ?? s.loc }));
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}
