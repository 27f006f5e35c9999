// Shared by the middleware rules: a reader for MIDDLEWARE that says how much of the list is known,
// and small queries on it. What the middleware are and do lives in models/settings/middleware.ts.
import {
  holdsMiddleware,
  isMiddleware,
  MW,
  middlewareInfo,
  type MiddlewareInfo,
  type SourceReader,
} from '../../models/settings/middleware';
import { isPartial, isSupplied, listHolds } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc } from '../../eval/values';
import type { ListEntry } from '../fixes/listEdits';
import { atLeast } from '../../models/project/version';
import { echoable, fileOf } from '../helpers';
import type { SettingValue } from '../settings';
import type { RuleContext } from '../types';
import { PerAnalysis } from '../../base/perAnalysis';
import { COMMON_MIDDLEWARE_ANSWERS } from '../../catalogue/djangoMiddleware';

export {
  ANSWERS_ONLY_NOT_MODIFIED,
  MW,
  READS_BODY,
  REPLACES_RESPONSE,
  RESPONDS_ITSELF,
  VARIES_RESPONSE,
} from '../../models/settings/middleware';

/**
 * The class name of a dotted middleware path, for messages ("SessionMiddleware"). Only a name that
 * looks like a class is repeated: list items are user text, and a message never echoes arbitrary text.
 */
export function short(path: string): string {
  const name = path.slice(path.lastIndexOf('.') + 1);
  return /^[A-Z]/.test(name) && echoable(name) ? name : 'a middleware';
}

/**
 * An entry of MIDDLEWARE (a list entry, as the list-editing fix engine reads it), with the known
 * middleware it is: its own path, or for a workspace class deriving from one, that one.
 */
export type MwItem = ListEntry & { readonly is?: string };

export interface MwList {
  /** MIDDLEWARE, or MIDDLEWARE_CLASSES for Django < 1.10 (or 1.10/1.11 with MIDDLEWARE None). */
  readonly setting: SettingValue;
  readonly items: readonly MwItem[];
  /** The items are in the order Django will use (false: the list was edited at a position the analysis cannot read). */
  readonly ordered: boolean;
  /** Every item is a known string, and no item may be missing. */
  readonly complete: boolean;
  /**
   * The list is MIDDLEWARE_CLASSES, which Django runs the old way: a response a process_request
   * returns still passes through every middleware's process_response (catalogue/djangoMiddleware.ts).
   */
  readonly legacy: boolean;
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
  // read once per analysis (its Settings; a rule's recheck of changed settings has its own): a
  // dozen rules ask for it
  let read = lists.get(ctx.settings);
  if (read === undefined) lists.set(ctx.settings, (read = readList(ctx)));
  if (read.unknown) ctx.unknown(read.unknown.reason, read.unknown.loc);
  return read.list;
}

/** The middleware list of each analysis (its Settings), or why it cannot be read (see readMiddleware). */
const lists = new PerAnalysis<object, { readonly list?: MwList; readonly unknown?: { readonly reason: string; readonly loc: Loc } }>();

function readList(ctx: RuleContext): { readonly list?: MwList; readonly unknown?: { readonly reason: string; readonly loc: Loc } } {
  let s = ctx.settings.get('MIDDLEWARE');
  const version = ctx.version.version;
  if (!atLeast(version, '1.10') || (!atLeast(version, '2.0') && s.value.kind === 'none')) s = ctx.settings.get('MIDDLEWARE_CLASSES');
  const v = s.value;
  const legacy = s.name === 'MIDDLEWARE_CLASSES';
  if (v.kind === 'unknown') {
    if (isSupplied(v)) return {};
    return {
      unknown: { reason: `${s.name} ${v.reason.startsWith('depends') ? v.reason : `is not known statically: ${v.reason}`}`, loc: s.loc },
    };
  }
  if (!V.isSeq(v)) return { list: { setting: s, items: [], ordered: true, complete: true, legacy } };
  const items = v.items.map((item, index) => {
    const name = item.kind === 'str' ? item.v : undefined;
    return {
      name,
      is: name === undefined ? undefined : (infoOf(ctx, name).is ?? name),
      value: item,
      loc: ctx.settings.locOf(item) ?? s.loc,
      index,
    };
  });
  const uncertain = isPartial(v);
  return {
    list: { setting: s, items, ordered: !uncertain, complete: !uncertain && items.every((i) => i.name !== undefined), legacy },
  };
}

/** What reads the project's middleware classes for a rule: its import roots and the workspace's parse cache. */
export function sourceReader(ctx: RuleContext): SourceReader {
  return { importRoots: ctx.project.importRoots, document: (f) => ctx.document(f) };
}

/** What the analysis knows of a MIDDLEWARE entry: by table, or read from the workspace (models/settings/middleware.ts). */
export function infoOf(ctx: RuleContext, name: string): MiddlewareInfo {
  return middlewareInfo(sourceReader(ctx), name, ctx.settings);
}

/**
 * Whether the production MIDDLEWARE holds the known middleware `known`: its path, or a project's
 * class deriving from it listed in its place (models/settings/middleware.ts holdsMiddleware). True or
 * false; undefined when an item that may be it cannot be read.
 */
export function middlewareHeld(ctx: RuleContext, known: string): boolean | undefined {
  return holdsMiddleware(sourceReader(ctx), ctx.settings, known);
}

/**
 * How a message names the entry `name` that is the known middleware `known`: the known one's class
 * name, or for a project's class deriving from it, that class with where it is defined ("MyWhiteNoise
 * (mysite/middleware.py, a subclass of WhiteNoiseMiddleware)"); one that overrides the methods doing
 * the middleware's work without calling its own is "a subclass … that overrides process_response, not
 * read": what it still does of that work is not read.
 */
export function entryName(ctx: RuleContext, name: string | undefined, known: string): string {
  if (!name || isMiddleware(name, known)) return short(known);
  const info = infoOf(ctx, name);
  if (info.is !== known) return short(name);
  const where = info.file ? `${fileOf(ctx, info.file)}, ` : '';
  const over = info.overrides?.length ? ` that overrides ${info.overrides.join(' and ')}, not read` : '';
  return `${short(name)} (${where}a subclass of ${short(known)}${over})`;
}

/** The first item that is this middleware: the dotted path itself, or a workspace class deriving from it. */
export function find(list: MwList, name: string): MwItem | undefined {
  return list.items.find((i) => i.name === name || i.is === name);
}

/** The first item with exactly this dotted path (Django's own checks use `in` on the list). */
export function findExact(list: MwList, name: string): MwItem | undefined {
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

/** Picks middleware out of the list: paths, a table of paths, every path but some, or a test (undefined: cannot tell). */
export type Selector =
  | readonly string[]
  | ReadonlyMap<string, unknown>
  | { readonly everyExcept: readonly string[] }
  | ((item: MwItem & { name: string }, ctx: RuleContext) => boolean | undefined);

/**
 * Every middleware that can answer a request itself (models/settings/middleware.ts: by table, or a project's
 * class read from the workspace), except those named and, with `pagesOnly`, a project's class that
 * answers only requests for fixed paths (a health check answering its probes); undefined for one
 * the analysis cannot read.
 */
export function answering(except: readonly string[], pagesOnly = false): Selector {
  return (i, ctx) => {
    if (except.some((k) => i.is === k || isMiddleware(i.name, k))) return false;
    const info = infoOf(ctx, i.name);
    if (pagesOnly && info.onlyPaths) return false;
    if ((info.is ?? i.name) === MW.common && commonPassesEverything(ctx)) return false;
    const a = info.answers;
    return a === undefined ? undefined : a !== false;
  };
}

/**
 * Whether CommonMiddleware answers no request in this project: APPEND_SLASH and PREPEND_WWW known
 * False in production and no disallowed user agent (catalogue COMMON_MIDDLEWARE_ANSWERS). A value
 * the deployment may give or replace, or one the analysis cannot read, may make it answer.
 */
export function commonPassesEverything(ctx: RuleContext): boolean {
  return COMMON_MIDDLEWARE_ANSWERS.value.settings.every(({ name, quiet }) => {
    const a = ctx.settings.query(name);
    if (a.state === 'unset') {
      if (a.overriddenBy?.length) return false;
      return quiet === 'false' ? V.truthy(a.value) === false : a.value.kind === 'list' && a.value.items.length === 0;
    }
    if (a.state !== 'known') return false;
    return quiet === 'false'
      ? V.truthy(a.value) === false
      : (a.value.kind === 'list' || a.value.kind === 'tuple') && a.value.items.length === 0;
  });
}

/**
 * An ordering constraint as data, checked by violations(): `item` must come before every middleware
 * `mustPrecede` picks, after every one `mustFollow` picks, and, when `directlyBelow.item` is
 * installed, directly below it with only `directlyBelow.between` in between (without it, above
 * everything but `directlyBelow.otherwiseAfter`).
 */
export interface OrderConstraint {
  readonly item: string;
  /** Why the rule does not apply when `item` is not installed. */
  readonly absent: string;
  readonly mustPrecede?: Selector;
  readonly mustFollow?: Selector;
  readonly directlyBelow?: { readonly item: string; readonly between: readonly string[]; readonly otherwiseAfter: readonly string[] };
}

/** Whether the selector picks the item: true/false, undefined when it cannot tell. */
function picks(ctx: RuleContext, sel: Selector, item: MwItem & { name: string }): boolean | undefined {
  if (typeof sel === 'function') return sel(item, ctx);
  const is = item.is ?? item.name;
  if (sel instanceof Map) return sel.has(is) || sel.has(item.name);
  if ('everyExcept' in sel) return !sel.everyExcept.some((known) => isMiddleware(is, known) || isMiddleware(item.name, known));
  return (sel as readonly string[]).some((known) => isMiddleware(is, known) || isMiddleware(item.name, known));
}

/** What violations() found: the offending middleware (first in the list first) and those it could not judge. */
export interface Violations {
  readonly list: MwList;
  readonly item: MwItem;
  /** Above the item though it must precede them (or, for directlyBelow, between the two). */
  readonly above: MwItem[];
  /** Below the item though it must follow them. */
  readonly below: MwItem[];
  /** With directlyBelow: the anchor, and whether the item stands above it. */
  readonly anchor?: MwItem;
  readonly aboveAnchor?: boolean;
  /** Items the selectors could not judge (neither offending nor fine). */
  readonly uncertain: MwItem[];
}

/**
 * The one check of an ordering constraint. Undefined once the rule has been told why it cannot
 * judge (not installed, list or order unknown). Empty `above` and `below` mean the order is right,
 * or unknown when an item on the relevant side cannot be read (the rule has then been told).
 */
export function violations(ctx: RuleContext, c: OrderConstraint): Violations | undefined {
  const found = orderedListWith(ctx, c.item, c.absent);
  if (!found) return undefined;
  const { list, item } = found;
  const uncertain: MwItem[] = [];
  const judge = (region: readonly MwItem[], sel: Selector | undefined): MwItem[] => {
    if (!sel) return [];
    const out: MwItem[] = [];
    for (const i of region) {
      if (i.name === undefined) continue;
      const p = picks(ctx, sel, i as MwItem & { name: string });
      if (p) out.push(i);
      else if (p === undefined) uncertain.push(i);
    }
    return out;
  };
  const unreadable = (region: readonly MwItem[], where: string): void => {
    if (region.some((i) => i.name === undefined))
      ctx.unknown(`${list.setting.name} has an item ${where} ${short(item.name ?? '')} that the analysis cannot read`, item.loc);
  };
  const aboveRegion = list.items.filter((i) => i.index < item.index);
  const belowRegion = list.items.filter((i) => i.index > item.index);
  let above: MwItem[];
  let anchor: MwItem | undefined;
  let aboveAnchor = false;
  if (c.directlyBelow) {
    anchor = find(list, c.directlyBelow.item);
    const region = anchor ? between(list, anchor.index, item.index) : aboveRegion;
    aboveAnchor = !!anchor && item.index < anchor.index;
    above = aboveAnchor ? [] : judge(region, { everyExcept: anchor ? c.directlyBelow.between : c.directlyBelow.otherwiseAfter });
    if (!aboveAnchor && above.length === 0) unreadable(region, 'above');
  } else {
    above = judge(aboveRegion, c.mustPrecede);
    if (c.mustPrecede && above.length === 0 && uncertain.length === 0) unreadable(aboveRegion, 'above');
  }
  const below = judge(belowRegion, c.mustFollow);
  if (c.mustFollow && below.length === 0) unreadable(belowRegion, 'below');
  return { list, item, above, below, anchor, aboveAnchor, uncertain };
}

/** Whether the list holds the middleware (or a workspace subclass of it): true/false, undefined when an unknown item might be it. */
export function has(list: MwList, name: string): boolean | undefined {
  if (find(list, name)) return true;
  if (list.complete) return false;
  // items only some paths add, all known and none of them it: absent on every path
  return listHolds(list.setting.value, (i) => (i.kind === 'str' ? i.v === name : undefined)) === false ? false : undefined;
}

/** Whether the list holds exactly this path, as Django's checks test it: true/false, undefined when an unknown item might be it. */
export function hasExact(list: MwList, name: string): boolean | undefined {
  if (findExact(list, name)) return true;
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

export { isToolbarMiddleware } from '../../models/settings/middleware';
