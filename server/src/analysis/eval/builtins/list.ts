// The methods of list, tuple and set (append, extend, insert, remove, sort, index, add, update…),
// changing the container in place as Python does (the evaluator is told: withReceiver), and
// Python's order of values (sorted(), list.sort()).
import type { CallArgs, EvalApi } from '../api';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { a0, method } from '../library/objects';

/** Python's order of two values (numbers, strings, lists and tuples of them): -1, 0, 1, or undefined (TypeError, or not followed). */
function pyOrder(a: Value, b: Value): number | undefined {
  const na = a.kind === 'int' || a.kind === 'float' || a.kind === 'bool' ? Number(a.v) : undefined;
  const nb = b.kind === 'int' || b.kind === 'float' || b.kind === 'bool' ? Number(b.v) : undefined;
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (a.kind === 'str' && b.kind === 'str') {
    // UTF-16 order is code-point order but for surrogate pairs
    if (/[\ud800-\udfff]/.test(a.v) || /[\ud800-\udfff]/.test(b.v)) return undefined;
    return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  }
  if ((a.kind === 'list' && b.kind === 'list') || (a.kind === 'tuple' && b.kind === 'tuple')) {
    if (a.optional || b.optional) return undefined;
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const c = pyOrder(a.items[i]!, b.items[i]!);
      if (c !== 0) return c;
    }
    return a.items.length - b.items.length < 0 ? -1 : a.items.length > b.items.length ? 1 : 0;
  }
  return undefined;
}

/** sorted(items, key=…, reverse=…) as Python orders them (stable; reverse keeps equal items in order), or undefined. */
export function pySorted(items: readonly Value[], args: CallArgs, api: EvalApi): Value[] | undefined {
  const key = args.kw.get('key');
  const rev = args.kw.get('reverse');
  const reverse = rev ? V.truthy(rev) : false;
  if (reverse === undefined || args.unknownSplat) return undefined;
  const keys =
    key && key.kind !== 'none'
      ? items.map((i) => api.call(key, { pos: [i], kw: new Map(), kwLocs: new Map(), loc: args.loc, unknownSplat: false }))
      : items;
  let failed = false;
  const order = items.map((_, i) => i);
  order.sort((x, y) => {
    const c = pyOrder(keys[x]!, keys[y]!);
    if (c === undefined) failed = true;
    return reverse ? -(c ?? 0) : (c ?? 0);
  });
  return failed ? undefined : order.map((i) => items[i]!);
}

/**
 * A list method that would grow the list past MAX_ITEMS: the items are not added and the list is
 * marked as not fully known (as after an extend with unknown items), with a note.
 */
function grownTooLarge(self: V.SeqValue, args: CallArgs, api: EvalApi): Value {
  self.origin = 'unknown';
  api.note(
    'budget',
    `A list grows past ${V.MAX_ITEMS.toLocaleString('en-US')} items here: the analysis stops following its items.`,
    args.loc,
  );
  return V.none('derived', args.loc);
}

/** An item of an `optional` list that only some paths add (values.ts maybeAbsent). */
function isMaybeAbsent(v: Value): boolean {
  return v.kind === 'unknown' && v.maybeAbsent === true;
}

/**
 * list.index(v) of a list with items that may be absent: the position of the first item equal to
 * `v` when every item before it is surely there and surely not equal to it (it is at that
 * position whichever paths ran), else -1 (not known).
 */
function indexBeforeOptional(items: readonly Value[], v: Value): number {
  for (let i = 0; i < items.length; i++) {
    const x = items[i]!;
    if (isMaybeAbsent(x)) return -1;
    const eq = V.pyEquals(x, v);
    if (eq === true) return i;
    if (eq === undefined) return -1;
  }
  return -1;
}

/** A container's method that changes it, with the container (the evaluator says it changed when it is called: valueMemo.ts). */
export function withReceiver(m: Value, self: Value): Value {
  if (m.kind === 'object' && m.tag === 'method' && (m.data as { mutates?: boolean }).mutates)
    (m.data as { receiver?: Value }).receiver = self;
  return m;
}

export function listAttr(self: V.SeqValue, name: string, loc: Loc): Value {
  const none = (args: CallArgs): Value => V.none('derived', args.loc);
  switch (name) {
    case 'append':
      return method(
        'list.append',
        (args, api) => {
          if (self.items.length >= V.MAX_ITEMS) return grownTooLarge(self, args, api);
          if (a0(args)) self.items.push(a0(args)!);
          return none(args);
        },
        true,
      );
    case 'insert':
      return method(
        'list.insert',
        (args, api) => {
          const [i, v] = args.pos;
          const n = i ? V.numeric(i) : undefined;
          if (!v) return none(args);
          if (self.items.length >= V.MAX_ITEMS) return grownTooLarge(self, args, api);
          if (n === undefined) {
            api.note('dynamic', 'A list item is inserted at a position the analysis cannot read.', args.loc);
            self.items.push(v);
            self.origin = 'unknown';
            return none(args);
          }
          const len = self.items.length;
          const at = n < 0 ? Math.max(0, len + n) : Math.min(n, len);
          // with items that may be absent, the two ends are known positions, and so is a position
          // counted over items all surely there: from the start with none of those before it
          // (`insert(MIDDLEWARE.index(X) + 1, …)` after X, with an item only some paths add at the
          // end), from the end with none after it
          if (self.optional && at !== 0 && at !== len) {
            const counted = n < 0 ? self.items.slice(at) : self.items.slice(0, at);
            if (counted.some(isMaybeAbsent)) self.origin = 'unknown';
          }
          self.items.splice(at, 0, v);
          return none(args);
        },
        true,
      );
    case 'extend':
      return method(
        'list.extend',
        (args, api) => {
          const src = a0(args);
          const items = src ? api.iterate(src) : undefined;
          if (items && self.items.length + items.length > V.MAX_ITEMS) return grownTooLarge(self, args, api);
          if (items) V.pushAll(self.items, items);
          else self.origin = 'unknown';
          return none(args);
        },
        true,
      );
    case 'remove':
      return method(
        'list.remove',
        (args) => {
          const v = a0(args);
          if (!v) return none(args);
          const i = self.items.findIndex((x) => V.pyEquals(x, v) === true);
          if (i >= 0) self.items.splice(i, 1);
          // the first equal item may be one that is possibly absent: which one went is unknown
          else if (self.optional) self.origin = 'unknown';
          return none(args);
        },
        true,
      );
    case 'pop':
      return method(
        'list.pop',
        (args) => {
          const idx = a0(args) ? V.numeric(a0(args)!) : -1;
          if (self.optional) {
            self.origin = 'unknown';
            return V.unknown('pop() of a list some of whose items may be absent', args.loc);
          }
          if (idx === undefined || self.items.length === 0) return V.unknown('pop()', args.loc);
          const i = idx < 0 ? self.items.length + idx : idx;
          return self.items.splice(i, 1)[0] ?? V.unknown('pop()', args.loc);
        },
        true,
      );
    case 'clear':
      return method(
        'list.clear',
        (args) => {
          self.items.length = 0;
          self.optional = undefined;
          return none(args);
        },
        true,
      );
    case 'reverse':
      return method(
        'list.reverse',
        (args) => {
          self.items.reverse();
          return none(args);
        },
        true,
      );
    case 'sort':
      return method(
        'list.sort',
        (args, api) => {
          self.origin = self.origin === 'literal' ? 'derived' : self.origin;
          const sorted = self.optional ? undefined : pySorted(self.items, args, api);
          // items the analysis cannot order: their order is unknown, which a list cannot say item by item
          if (!sorted) {
            // as many items as before (the maybe-absent ones stay so), each unknown: which is where is not followed
            const was = [...self.items];
            const u = V.unknownFrom(was, 'an item of a list sorted in an order the analysis cannot follow', args.loc);
            self.items.splice(0, self.items.length, ...was.map((i) => (i.kind === 'unknown' && i.maybeAbsent ? i : u)));
          } else self.items.splice(0, self.items.length, ...sorted);
          if (!sorted) self.origin = 'unknown';
          return none(args);
        },
        true,
      );
    case 'copy':
      return method('list.copy', (args) => ({ ...V.seq('list', [...self.items], self.origin, args.loc), optional: self.optional }));
    case 'index':
      return method('list.index', (args) => {
        const v = a0(args);
        const i = v ? (self.optional ? indexBeforeOptional(self.items, v) : self.items.findIndex((x) => V.pyEquals(x, v) === true)) : -1;
        return i >= 0 ? V.int(i, 'derived', args.loc) : V.unknown('index()', args.loc, 'int');
      });
    case 'count':
      return method('list.count', (args) => {
        const v = a0(args);
        return V.int(v ? self.items.filter((x) => V.pyEquals(x, v) === true).length : 0, 'derived', args.loc);
      });
    default:
      return V.unknown(`list.${name}`, loc);
  }
}

export function setAttr(self: V.SeqValue, name: string, loc: Loc): Value {
  switch (name) {
    case 'add':
      return method(
        'set.add',
        (args) => {
          const v = a0(args);
          if (v && !self.items.some((x) => V.pyEquals(x, v) === true)) self.items.push(v);
          return V.none('derived', args.loc);
        },
        true,
      );
    case 'update':
      return method(
        'set.update',
        (args, api) => {
          for (const src of args.pos) {
            const items = api.iterate(src);
            if (!items) self.origin = 'unknown';
            else for (const v of items) if (!self.items.some((x) => V.pyEquals(x, v) === true)) self.items.push(v);
          }
          return V.none('derived', args.loc);
        },
        true,
      );
    case 'discard':
    case 'remove':
      return listAttr(self, 'remove', loc);
    default:
      return V.unknown(`set.${name}`, loc);
  }
}
