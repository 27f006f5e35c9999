// A change a rule wants made to a list setting (move entries before or after another, or remove
// them), described on the evaluated list: the list with the change made, and the entries whose
// order relative to a moved one it reverses (rules judge a move's safety by them).
import type { Loc, Value } from '../../eval/values';
import type { SettingValue } from '../../models/settings/settings';
import type { FixSafety } from './types';

/** An entry of a list setting, where it is written and where it stands in the list. */
export interface ListEntry {
  /** The dotted path, when the item is a known string. */
  readonly name: string | undefined;
  readonly value: Value;
  readonly loc: Loc;
  readonly index: number;
}
type MwItem = ListEntry;

/** What a rule wants done to a list setting to resolve one finding. */
export interface Change {
  /** The list setting edited (MIDDLEWARE, MIDDLEWARE_CLASSES, INSTALLED_APPS). */
  readonly setting: SettingValue;
  readonly kind: 'move' | 'remove';
  /** The entries moved (in the order they end up in) or removed. */
  readonly items: readonly MwItem[];
  /** Where moved entries go: directly before or directly after this entry. */
  readonly before?: MwItem;
  readonly after?: MwItem;
  /** The fix title; it says so when the change alters behaviour. */
  readonly title: string;
  readonly safety: FixSafety;
}

/** The list with the change made, or undefined when the change does not fit the list. */
export function applyChange(order: readonly Value[], c: Change): Value[] | undefined {
  if (new Set(order).size !== order.length) return undefined; // one value listed twice (`X + X`): positions are ambiguous
  const taken = new Set(c.items.map((i) => i.value));
  const rest = order.filter((v) => !taken.has(v));
  if (rest.length !== order.length - taken.size) return undefined;
  if (c.kind === 'remove') return rest;
  const anchor = (c.before ?? c.after)?.value;
  const at = anchor ? rest.indexOf(anchor) : -1;
  if (at < 0) return undefined;
  const pos = c.before ? at : at + 1;
  return [...rest.slice(0, pos), ...c.items.map((i) => i.value), ...rest.slice(pos)];
}

/**
 * Entries whose order relative to a moved entry the change reverses: the middleware a moved one
 * now runs before (or after) instead. Rules judge a move's safety by them.
 */
export function passedOver(items: readonly MwItem[], c: Change): MwItem[] {
  const next = applyChange(
    items.map((i) => i.value),
    c,
  );
  if (!next || c.kind !== 'move') return [];
  const moved = new Set(c.items.map((i) => i.value));
  const pos = new Map(next.map((v, i) => [v, i]));
  return items.filter((other) => {
    if (moved.has(other.value)) return false;
    return c.items.some((m) => m.index < other.index !== pos.get(m.value)! < pos.get(other.value)!);
  });
}

/** Django's own middleware and apps (whose behaviour the analysis knows), as opposed to third-party or project code. */
export function isDjangos(item: MwItem): boolean {
  return item.name !== undefined && item.name.startsWith('django.');
}
