// Shared by the middleware rules: a reader for MIDDLEWARE that says how much of the list is known,
// and small queries on it. What the middleware are and do lives in core/middleware.ts.
import { isMiddleware } from '../../core/middleware';
import { isPartial, isSupplied, listHolds } from '../../core/query';
import * as V from '../../eval/values';
import type { ListEntry } from '../../fixes/listEdits';
import { atLeast } from '../../project/version';
import { echoable } from '../helpers';
import type { SettingValue } from '../settings';
import type { RuleContext } from '../types';

export { MW, READS_BODY, RESPONDS_ITSELF, VARIES_RESPONSE } from '../../core/middleware';

/**
 * The class name of a dotted middleware path, for messages ("SessionMiddleware"). Only a name that
 * looks like a class is repeated: list items are user text, and a message never echoes arbitrary text.
 */
export function short(path: string): string {
  const name = path.slice(path.lastIndexOf('.') + 1);
  return /^[A-Z]/.test(name) && echoable(name) ? name : 'a middleware';
}

/** An entry of MIDDLEWARE (a list entry, as the list-editing fix engine reads it). */
export type MwItem = ListEntry;

export interface MwList {
  /** MIDDLEWARE, or MIDDLEWARE_CLASSES for Django < 1.10 (or 1.10/1.11 with MIDDLEWARE None). */
  readonly setting: SettingValue;
  readonly items: readonly MwItem[];
  /** The items are in the order Django will use (false: the list was edited at a position the analysis cannot read). */
  readonly ordered: boolean;
  /** Every item is a known string, and no item may be missing. */
  readonly complete: boolean;
}

/** Why the list's order or content is unknown, for ctx.unknown(). */
export function orderUnknownReason(list: MwList): string {
  return `${list.setting.name} is edited at a position the analysis cannot read, so its order is unknown`;
}

/**
 * The production middleware list. Returns undefined when it cannot be read (and has then said so
 * with ctx.unknown, unless the value is required from the environment, which is safe).
 */
export function readMiddleware(ctx: RuleContext): MwList | undefined {
  let s = ctx.settings.get('MIDDLEWARE');
  const version = ctx.version.version;
  if (!atLeast(version, '1.10') || (!atLeast(version, '2.0') && s.value.kind === 'none')) s = ctx.settings.get('MIDDLEWARE_CLASSES');
  const v = s.value;
  if (v.kind === 'unknown') {
    if (!isSupplied(v))
      ctx.unknown(`${s.name} ${v.reason.startsWith('depends') ? v.reason : `is not known statically: ${v.reason}`}`, s.loc);
    return undefined;
  }
  if (!V.isSeq(v)) return { setting: s, items: [], ordered: true, complete: true };
  const items = v.items.map((item, index) => ({
    name: item.kind === 'str' ? item.v : undefined,
    value: item,
    loc: ctx.settings.locOf(item) ?? s.loc,
    index,
  }));
  const uncertain = isPartial(v);
  return { setting: s, items, ordered: !uncertain, complete: !uncertain && items.every((i) => i.name !== undefined) };
}

/** The first item with this dotted path. */
export function find(list: MwList, name: string): MwItem | undefined {
  return list.items.find((i) => i.name === name);
}

/**
 * The middleware list in a known order with `name` in it, for the rules about where `name` stands.
 * Undefined once the rule has been told why it cannot judge: `name` is not installed (not
 * applicable, for the reason `absent`) or the list or its order cannot be read (unknown).
 */
export function orderedListWith(ctx: RuleContext, name: string, absent: string): { list: MwList; item: MwItem } | undefined {
  const list = readMiddleware(ctx);
  if (!list) return undefined;
  const item = find(list, name);
  if (!item) {
    if (list.complete) ctx.notApplicable(absent);
    else ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
    return undefined;
  }
  if (!list.ordered) {
    ctx.unknown(orderUnknownReason(list), list.setting.loc);
    return undefined;
  }
  return { list, item };
}

/**
 * The items above `item` that `wrong` picks out. When there are none but an item above cannot be
 * read, the rule cannot tell, and says so.
 */
export function wrongAbove(ctx: RuleContext, list: MwList, item: MwItem, wrong: (i: MwItem & { name: string }) => boolean): MwItem[] {
  const above = list.items.filter((i) => i.index < item.index);
  const found = above.filter((i): i is MwItem & { name: string } => i.name !== undefined && wrong(i as MwItem & { name: string }));
  if (found.length === 0 && above.some((i) => i.name === undefined))
    ctx.unknown(`${list.setting.name} has an item above ${short(item.name ?? '')} that the analysis cannot read`, item.loc);
  return found;
}

/**
 * An ordering constraint as data: `item` must come before the middleware `mustPrecede` names
 * (a list of paths or a table of them with what each does), or before every middleware except
 * those `except` names. Checked by violations().
 */
export interface OrderConstraint {
  readonly item: string;
  /** Why the rule does not apply when `item` is not installed. */
  readonly absent: string;
  readonly mustPrecede: readonly string[] | ReadonlyMap<string, string> | { readonly everyExcept: readonly string[] };
}

function mustPrecede(c: OrderConstraint, name: string): boolean {
  const m = c.mustPrecede;
  if (m instanceof Map) return m.has(name);
  if ('everyExcept' in m) return !m.everyExcept.some((known) => isMiddleware(name, known));
  return (m as readonly string[]).some((known) => isMiddleware(name, known));
}

/**
 * The one check of an ordering constraint: the list (in a known order, with the item in it) and the
 * middleware above the item that it must precede, first one first; undefined once the rule has been
 * told why it cannot judge (not installed, list or order unknown). An empty `offending` means the
 * order is right (or, with an unreadable item above, unknown: the rule has been told).
 */
export function violations(ctx: RuleContext, c: OrderConstraint): { list: MwList; item: MwItem; offending: MwItem[] } | undefined {
  const found = orderedListWith(ctx, c.item, c.absent);
  if (!found) return undefined;
  return { ...found, offending: wrongAbove(ctx, found.list, found.item, (i) => mustPrecede(c, i.name)) };
}

/** Whether the list holds the middleware: true/false, undefined when an unknown item might be it. */
export function has(list: MwList, name: string): boolean | undefined {
  if (find(list, name)) return true;
  if (list.complete) return false;
  // items only some paths add, all known and none of them it: absent on every path
  return listHolds(list.setting.value, (i) => (i.kind === 'str' ? i.v === name : undefined)) === false ? false : undefined;
}

/** Items strictly between two indexes. */
export function between(list: MwList, from: number, to: number): MwItem[] {
  return list.items.filter((i) => i.index > from && i.index < to);
}

/** "X" or "X (and 2 more)" for a list of offending items. */
export function nameList(items: readonly MwItem[]): string {
  const first = items[0]?.name ? short(items[0].name) : 'an unknown middleware';
  return items.length > 1 ? `${first} (and ${items.length - 1} more)` : first;
}

export { isToolbarMiddleware } from '../../core/middleware';
