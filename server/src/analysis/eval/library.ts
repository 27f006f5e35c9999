// What the evaluator knows of Python's builtins, of the standard-library and third-party modules that
// settings modules use (os, pathlib, sys, django-environ, decouple, dj-database-url…), and of the
// methods of str, list, dict and Path. Anything else from outside the workspace is an `ext` value:
// unknown, but remembered by dotted name so that rules can recognise calls such as sentry_sdk.init.
import {
  applyCast,
  decoupleConfig,
  djDatabaseUrlConfig,
  djDatabaseUrlParse,
  makeCsv,
  makeEnviron,
  osGet,
  osSetDefault,
  trimChars,
} from './envlibs';
import { NAMESPACE_KEYS } from './core';
import { normalizePath } from './paths';
import * as V from './values';
import type { Loc, Value } from './values';
import { dedupe } from './operations';
import { formatValue, pyRepr, pyText } from './pyformat';
import type { CallArgs, EvalApi } from './api';

export type { CallArgs, EvalApi } from './api';

type Impl = (args: CallArgs, api: EvalApi) => Value;

function fn(name: string, impl: Impl, attrs?: Record<string, Value>): V.ObjectValue {
  return V.object('fn', { name, impl, attrs });
}

function method(name: string, impl: Impl, mutates = false): V.ObjectValue {
  return V.object('method', { name, impl, mutates });
}

function a0(args: CallArgs): Value | undefined {
  return args.pos[0];
}

const WHITESPACE = ' \t\n\r\v\f';

// ---- builtins -------------------------------------------------------------------------------------

const EXCEPTIONS = [
  'Exception',
  'BaseException',
  'ImportError',
  'ModuleNotFoundError',
  'KeyError',
  'IndexError',
  'ValueError',
  'TypeError',
  'OSError',
  'IOError',
  'FileNotFoundError',
  'LookupError',
  'RuntimeError',
  'AttributeError',
  'NameError',
  'EnvironmentError',
  'NotImplementedError',
];

function toInt(v: Value, loc: Loc, base = 10): Value {
  if (v.kind === 'int') return v;
  if (v.kind === 'bool') return V.derive(V.int(v.v ? 1 : 0), loc, [v]);
  if (v.kind === 'float') return V.derive(V.int(Math.trunc(v.v)), loc, [v]);
  if (v.kind === 'str') {
    const t = v.v.trim().replace(/_/g, '');
    const n = base === 10 ? (/^[+-]?\d+$/.test(t) ? Number(t) : NaN) : Number.parseInt(t, base);
    if (Number.isNaN(n)) return { ...V.unknown(`int(${V.repr(v)}) raises ValueError`, loc, 'int'), env: v.env };
    return V.derive(V.int(n), loc, [v]);
  }
  return V.unknownFrom([v], 'an int of an unknown value', loc, 'int');
}

function toFloat(v: Value, loc: Loc): Value {
  const n = V.numeric(v);
  if (n !== undefined) return V.derive(V.float(n), loc, [v]);
  if (v.kind === 'str' && v.v.trim() !== '' && Number.isFinite(Number(v.v.trim()))) return V.derive(V.float(Number(v.v.trim())), loc, [v]);
  return V.unknownFrom([v], 'a float of an unknown value', loc, 'float');
}

function toStr(v: Value, loc: Loc): Value {
  if (V.holdsWholeEnvironment(v)) return V.wholeEnvironment('str()', loc, 'str');
  const s = pyText(v);
  if (s !== undefined) return V.derive(V.str(s), v.loc ?? loc, [v]);
  return V.unknownFrom([v], 'str() of a value whose text the analysis does not know', loc, 'str');
}

const BUILTINS: Record<string, (loc: Loc) => Value> = {
  int: () =>
    fn('int', (args) => {
      const v = a0(args);
      if (!v) return V.int(0, 'derived', args.loc);
      const base = args.pos[1] ?? args.kw.get('base');
      return toInt(v, args.loc, base?.kind === 'int' ? base.v : 10);
    }),
  float: () => fn('float', (args) => (a0(args) ? toFloat(a0(args)!, args.loc) : V.float(0, 'derived', args.loc))),
  str: () => fn('str', (args) => (a0(args) ? toStr(a0(args)!, args.loc) : V.str('', 'derived', args.loc))),
  bool: () =>
    fn('bool', (args) => {
      const v = a0(args);
      if (!v) return V.bool(false, 'derived', args.loc);
      const t = V.truthy(v);
      return t === undefined
        ? V.unknownFrom([v], 'bool() of an unknown value', args.loc, 'bool')
        : V.derive(V.bool(t), v.loc ?? args.loc, [v]);
    }),
  list: () => fn('list', (args, api) => seqOf('list', args, api)),
  tuple: () => fn('tuple', (args, api) => seqOf('tuple', args, api)),
  set: () => fn('set', (args, api) => uniqueItems(seqOf('set', args, api))),
  frozenset: () => fn('frozenset', (args, api) => uniqueItems(seqOf('set', args, api))),
  sorted: () =>
    fn('sorted', (args, api) => {
      const items = a0(args) ? api.iterate(a0(args)!) : [];
      if (!items) return V.unknownFrom(args.pos, 'sorted() of an unknown value', args.loc, 'list');
      const src = a0(args);
      const sorted =
        src && (src.kind === 'list' || src.kind === 'tuple' || src.kind === 'set') && src.optional ? undefined : pySorted(items, args, api);
      if (!sorted) return V.unknownFrom(items, 'sorted() of items the analysis cannot order', args.loc, 'list');
      return V.derive(V.seq('list', sorted), args.loc, args.pos);
    }),
  dict: () =>
    fn('dict', (args, api) => {
      const d = V.dict([], [], 'derived', args.loc);
      const src = a0(args);
      // dict(os.environ) is a copy of the whole environment
      if (src?.kind === 'object' && src.tag === 'os.environ') return V.object('os.environ', undefined, args.loc);
      // dict(globals()): the namespace as it is now
      if (src?.kind === 'object' && src.tag === 'globals' && args.kw.size === 0)
        return ((src.data as GlobalsData | undefined)?.api ?? api).globalsSnapshot(args.loc);
      if (src) {
        if (src.kind === 'dict') {
          d.keys.push(...src.keys);
          d.values.push(...src.values);
          d.partial = src.partial;
        } else {
          const pairs = api.iterate(src);
          if (!pairs) d.partial = true;
          else
            for (const p of pairs) {
              const kv = api.iterate(p);
              if (kv && kv.length === 2) V.dictSet(d, kv[0]!, kv[1]!);
              else d.partial = true;
            }
        }
      }
      for (const [k, v] of args.kw) V.dictSet(d, V.str(k), v);
      if (args.unknownSplat) d.partial = true;
      return { ...d, origin: V.combineOrigins(...args.pos, ...args.kw.values()), env: V.combineEnv(...args.pos, ...args.kw.values()) };
    }),
  len: () =>
    fn('len', (args, api) => {
      const v = a0(args);
      if (v?.kind === 'str') return V.derive(V.int(v.v.length), args.loc, [v]);
      const items = v ? api.iterate(v) : undefined;
      return items ? V.derive(V.int(items.length), args.loc, [v!]) : V.unknownFrom(args.pos, 'len() of an unknown value', args.loc, 'int');
    }),
  abs: () => fn('abs', (args) => numeric1(args, Math.abs)),
  round: () => fn('round', pyRound),
  min: () => fn('min', (args, api) => minmax(args, api, Math.min)),
  max: () => fn('max', (args, api) => minmax(args, api, Math.max)),
  sum: () =>
    fn('sum', (args, api) => {
      const items = a0(args) ? api.iterate(a0(args)!) : undefined;
      const ns = items?.map(V.numeric);
      if (!ns || ns.some((n) => n === undefined)) return V.unknownFrom(args.pos, 'sum() of unknown values', args.loc, 'int');
      return V.derive(V.int((ns as number[]).reduce((x, y) => x + y, 0)), args.loc, items!);
    }),
  any: () => fn('any', (args, api) => anyAll(args, api, true)),
  all: () => fn('all', (args, api) => anyAll(args, api, false)),
  range: () =>
    fn('range', (args) => {
      const ns = args.pos.map(V.numeric);
      if (ns.some((n) => n === undefined) || ns.length === 0) return V.unknownFrom(args.pos, 'range() of unknown bounds', args.loc, 'list');
      const [start, stop, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
      const out: Value[] = [];
      if (step === 0) return V.unknown('range() with step 0', args.loc);
      for (let i = start; step > 0 ? i < stop! : i > stop!; i += step!) {
        if (out.length > 1000) return V.unknown('a long range()', args.loc, 'list');
        out.push(V.int(i));
      }
      return V.derive(V.seq('list', out), args.loc, args.pos);
    }),
  enumerate: () =>
    fn('enumerate', (args, api) => {
      const items = a0(args) ? api.iterate(a0(args)!) : undefined;
      if (!items) return V.unknownFrom(args.pos, 'enumerate() of an unknown value', args.loc, 'list');
      return V.derive(
        V.seq(
          'list',
          items.map((it, i) => V.seq('tuple', [V.int(i), it])),
        ),
        args.loc,
        args.pos,
      );
    }),
  zip: () =>
    fn('zip', (args, api) => {
      const lists = args.pos.map((p) => api.iterate(p));
      if (lists.some((l) => !l)) return V.unknownFrom(args.pos, 'zip() of unknown values', args.loc, 'list');
      const n = Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < n; i++)
        out.push(
          V.seq(
            'tuple',
            lists.map((l) => l![i]!),
          ),
        );
      return V.derive(V.seq('list', out), args.loc, args.pos);
    }),
  reversed: () =>
    fn('reversed', (args, api) => {
      const items = a0(args) ? api.iterate(a0(args)!) : undefined;
      return items
        ? V.derive(V.seq('list', [...items].reverse()), args.loc, args.pos)
        : V.unknownFrom(args.pos, 'reversed()', args.loc, 'list');
    }),
  isinstance: () => fn('isinstance', (args) => V.unknownFrom(args.pos, 'isinstance()', args.loc, 'bool')),
  print: () =>
    fn('print', (args, api) => {
      api.record('print', args);
      return V.none('derived', args.loc);
    }),
  open: () => fn('open', (args) => V.object('file', { path: a0(args) }, args.loc)),
  globals: () => fn('globals', (args, api) => globalsObject(api, args.loc)),
  // in a function or a class body, locals() is its own namespace: not the module's
  locals: () => fn('locals', (args, api) => (api.atModuleLevel() ? globalsObject(api, args.loc) : localsUnknown(args.loc))),
  vars: () =>
    fn('vars', (args, api) => {
      const target = a0(args);
      if (!target) return api.atModuleLevel() ? globalsObject(api, args.loc) : localsUnknown(args.loc);
      const names = target.kind === 'object' && target.tag === 'wsmodule' ? api.moduleNames(target) : undefined;
      if (!names) return V.unknown('vars() of an object', args.loc, 'dict');
      return V.dict(
        names.map((n) => V.str(n, 'derived', args.loc)),
        names.map((n) => api.moduleAttr(target, n, args.loc)),
        'derived',
        args.loc,
      );
    }),
  setattr: () =>
    fn('setattr', (args, api) => {
      const [target, name, value] = args.pos;
      if (target?.kind === 'object' && target.tag === 'this-module') {
        if (name?.kind === 'str' && value) api.bindGlobal(name.v, value, args.loc);
        else api.taintByName('setattr() on this module is given', name ?? V.unknown('no name'), args.loc);
      }
      return V.none('derived', args.loc);
    }),
  getattr: () =>
    fn('getattr', (args, api) => {
      const [target, name, dflt] = args.pos;
      if (target?.kind === 'object' && target.tag === 'wsmodule' && name?.kind === 'str') {
        const names = api.moduleNames(target);
        if (dflt && names && !names.includes(name.v)) return dflt;
        return api.moduleAttr(target, name.v, args.loc);
      }
      if (target && name?.kind === 'str') {
        const v = getAttribute(target, name.v, args.loc, api);
        if (v.kind === 'unknown' && dflt && !v.ext) return V.unknownFrom([v, dflt], 'getattr() with a default', args.loc);
        return v;
      }
      return V.unknown('getattr() with an unknown name', args.loc);
    }),
  hasattr: () =>
    fn('hasattr', (args, api) => {
      const [target, name] = args.pos;
      const names = target?.kind === 'object' && target.tag === 'wsmodule' ? api.moduleNames(target) : undefined;
      if (names && name?.kind === 'str') return V.bool(names.includes(name.v), 'derived', args.loc);
      return V.unknownFrom(args.pos, 'hasattr()', args.loc, 'bool');
    }),
  dir: () =>
    fn('dir', (args, api) => {
      const target = a0(args);
      const names = !target
        ? [...api.globalNames()].sort()
        : target.kind === 'object' && target.tag === 'wsmodule'
          ? api.moduleNames(target)
          : undefined;
      if (!names) return V.unknownFrom(args.pos, 'dir() of an object the analysis cannot list', args.loc, 'list');
      return V.seq(
        'list',
        names.map((n) => V.str(n, 'derived', args.loc)),
        'derived',
        args.loc,
      );
    }),
  exec: () =>
    fn('exec', (args, api) => {
      api.taintAll('exec() runs code the analysis cannot see', args.loc);
      return V.none('derived', args.loc);
    }),
  // eval("False") of a known literal (a common way to cast environment strings) is that literal
  eval: () =>
    fn('eval', (args) => literalEval(a0(args), args.loc) ?? V.unknownFrom(args.pos, 'eval() of code the analysis cannot see', args.loc)),
  __import__: () => fn('__import__', (args) => V.unknown('__import__()', args.loc)),
  repr: () =>
    fn('repr', (args) =>
      V.holdsWholeEnvironment(a0(args))
        ? V.wholeEnvironment('repr()', args.loc, 'str')
        : a0(args) && pyRepr(a0(args)!) !== undefined
          ? V.derive(V.str(pyRepr(a0(args)!)!), args.loc, args.pos)
          : V.unknownFrom(args.pos, 'repr()', args.loc, 'str'),
    ),
  type: () => fn('type', (args) => V.unknown('type()', args.loc)),
  map: () => fn('map', (args, api) => mapValues(args, api)),
  filter: () => fn('filter', (args, api) => filterValues(args, api)),
  object: () => fn('object', (args) => V.object('instance', undefined, args.loc)),
};

/** A value parsed from a known string, keeping the string's provenance (an env default stays one). */
function fromParsed(src: V.StrValue, v: unknown, loc: Loc): Value | undefined {
  const base = (x: Value): Value => ({
    ...x,
    origin: src.origin === 'literal' ? 'derived' : src.origin,
    loc: src.loc ?? loc,
    env: src.env,
  });
  if (v === null) return base(V.none());
  if (typeof v === 'boolean') return base(V.bool(v));
  if (typeof v === 'number') return base(Number.isInteger(v) ? V.int(v) : V.float(v));
  if (typeof v === 'string') return base(V.str(v));
  if (Array.isArray(v)) {
    const items = v.map((x) => fromParsed(src, x, loc));
    return items.every((x) => x !== undefined) ? base(V.seq('list', items as Value[])) : undefined;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    const values = entries.map(([, x]) => fromParsed(src, x, loc));
    if (values.some((x) => x === undefined)) return undefined;
    return base(
      V.dict(
        entries.map(([k]) => base(V.str(k))),
        values as Value[],
      ),
    );
  }
  return undefined;
}

/** json.loads() of a known string; undefined when it is not known or not valid JSON (it raises). */
function jsonLoads(src: Value | undefined, loc: Loc): Value | undefined {
  if (src?.kind !== 'str') return undefined;
  try {
    return fromParsed(src, JSON.parse(src.v), loc);
  } catch {
    return undefined;
  }
}

/** eval()/ast.literal_eval() of a known string holding a simple literal: True, 3, "x", [1, "a"]… */
function literalEval(src: Value | undefined, loc: Loc): Value | undefined {
  if (src?.kind !== 'str') return undefined;
  const t = src.v.trim();
  if (t === 'True' || t === 'False' || t === 'None') return fromParsed(src, t === 'None' ? null : t === 'True', loc);
  if (/^-?\d+$/.test(t) || /^-?\d*\.\d+$/.test(t)) return fromParsed(src, Number(t), loc);
  // strings and lists written JSON-style ("…" and [ … ]); anything else is not guessed
  if (/^"[^"\\]*"$/.test(t) || /^'[^'\\]*'$/.test(t)) return fromParsed(src, t.slice(1, -1), loc);
  if (/^\[[\s\w".,:-]*\]$/.test(t)) return jsonLoads({ ...src, v: t }, loc);
  return undefined;
}

/** distutils.util.strtobool: 1 for y/yes/t/true/on/1, 0 for n/no/f/false/off/0, else ValueError. */
function strtobool(args: CallArgs): Value {
  const v = a0(args);
  if (v?.kind !== 'str') return V.unknownFrom(args.pos, 'strtobool() of a value the analysis cannot read', args.loc, 'int');
  const s = v.v.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(s)) return V.derive(V.int(1), v.loc ?? args.loc, [v]);
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(s)) return V.derive(V.int(0), v.loc ?? args.loc, [v]);
  return V.unknown(`strtobool(${V.repr(v)}) raises ValueError`, args.loc, 'int');
}

/** A set holds each item once. */
function uniqueItems(v: Value): Value {
  return v.kind === 'set' ? { ...v, items: dedupe(v.items) } : v;
}

function seqOf(kind: 'list' | 'tuple' | 'set', args: CallArgs, api: EvalApi): Value {
  const src = a0(args);
  if (!src) return V.seq(kind, [], 'derived', args.loc);
  const items = api.iterate(src);
  if (!items) return V.unknownFrom([src], `${kind}() of an unknown value`, args.loc, kind === 'set' ? 'list' : kind);
  return { ...V.seq(kind, [...items], V.combineOrigins(src), src.loc ?? args.loc), env: src.env };
}

function numeric1(args: CallArgs, f: (n: number) => number): Value {
  const v = a0(args);
  const n = v ? V.numeric(v) : undefined;
  if (n === undefined) return V.unknownFrom(args.pos, 'a number the analysis cannot read', args.loc, 'int');
  return V.derive(v!.kind === 'float' && f !== Math.round ? V.float(f(n)) : V.int(f(n)), args.loc, args.pos);
}

/** Python's round to an integer: halves go to the even neighbour (round(2.5) is 2, round(-0.5) is -0). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * `round(x)` (an int, halves to even) and `round(x, n)` (a float for a float x: the nearest
 * multiple of 10**-n to the double's exact value, halves to even; an int for an int x).
 */
function pyRound(args: CallArgs): Value {
  const v = a0(args);
  const nd = args.pos[1] ?? args.kw.get('ndigits');
  const x = v ? V.numeric(v) : undefined;
  if (x === undefined || !Number.isFinite(x)) return V.unknownFrom(args.pos, 'a number the analysis cannot read', args.loc, 'int');
  if (!nd || nd.kind === 'none') return V.derive(V.int(v!.kind === 'float' ? roundHalfEven(x) : x), args.loc, args.pos);
  if (nd.kind !== 'int' || nd.v < 0 || nd.v > 15 || Math.abs(x) >= 1e15)
    return V.unknownFrom(args.pos, 'round() to digits the analysis does not follow', args.loc, v!.kind === 'float' ? 'float' : 'int');
  if (v!.kind !== 'float') return V.derive(V.int(x), args.loc, args.pos);
  // toFixed rounds the double's exact value, as Python does, but a tie up: an exact tie (0.125 to 2
  // digits, the exact expansion ending in 5 just past them) goes to the even neighbour instead
  const abs = Math.abs(x);
  const exact = abs.toFixed(100);
  const cut = exact.indexOf('.') + 1 + nd.v;
  const rest = exact.slice(cut);
  const tie = rest.startsWith('5') && !/[1-9]/.test(rest.slice(1));
  const kept = exact.slice(0, cut);
  const lastDigit = Number(kept.replace('.', '').slice(-1));
  const r = tie && lastDigit % 2 === 0 ? Number(kept) : Number(abs.toFixed(nd.v));
  return V.derive(V.float(x < 0 ? -r : r), args.loc, args.pos);
}

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
function pySorted(items: readonly Value[], args: CallArgs, api: EvalApi): Value[] | undefined {
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

function minmax(args: CallArgs, api: EvalApi, f: (...n: number[]) => number): Value {
  const items = args.pos.length === 1 ? api.iterate(args.pos[0]!) : args.pos;
  const ns = items?.map(V.numeric);
  if (!items || !ns || ns.length === 0 || ns.some((n) => n === undefined)) {
    return V.unknownFrom(items ?? args.pos, 'min()/max() of unknown values', args.loc, 'int');
  }
  const r = f(...(ns as number[]));
  const idx = (ns as number[]).indexOf(r);
  return V.derive(items[idx]!, args.loc, items);
}

function anyAll(args: CallArgs, api: EvalApi, isAny: boolean): Value {
  const items = a0(args) ? api.iterate(a0(args)!) : undefined;
  if (!items) return V.unknownFrom(args.pos, 'any()/all() of unknown values', args.loc, 'bool');
  let sawUnknown = false;
  for (const i of items) {
    const t = V.truthy(i);
    if (t === undefined) sawUnknown = true;
    else if (t === isAny) return V.derive(V.bool(isAny), args.loc, items);
  }
  return sawUnknown ? V.unknownFrom(items, 'any()/all() of unknown values', args.loc, 'bool') : V.derive(V.bool(!isAny), args.loc, items);
}

function mapValues(args: CallArgs, api: EvalApi): Value {
  const [f, src] = args.pos;
  const items = src ? api.iterate(src) : undefined;
  if (!f || !items) return V.unknownFrom(args.pos, 'map() of unknown values', args.loc, 'list');
  return V.derive(
    V.seq(
      'list',
      items.map((i) => api.call(f, { pos: [i], kw: new Map(), kwLocs: new Map(), loc: args.loc, unknownSplat: false })),
    ),
    args.loc,
    args.pos,
  );
}

function filterValues(args: CallArgs, api: EvalApi): Value {
  const [f, src] = args.pos;
  const items = src ? api.iterate(src) : undefined;
  if (!f || !items) return V.unknownFrom(args.pos, 'filter() of unknown values', args.loc, 'list');
  const out: Value[] = [];
  for (const i of items) {
    const keep =
      f.kind === 'none'
        ? V.truthy(i)
        : V.truthy(api.call(f, { pos: [i], kw: new Map(), kwLocs: new Map(), loc: args.loc, unknownSplat: false }));
    if (keep === undefined) return V.unknownFrom(items, 'filter() of unknown values', args.loc, 'list');
    if (keep) out.push(i);
  }
  return V.derive(V.seq('list', out), args.loc, args.pos);
}

const BUILTIN_CACHE = new Map<string, Value>();

/** A builtin name (int, str, print, True…), or undefined. Builtins are stateless: made once. */
export function builtin(name: string, loc: Loc): Value | undefined {
  const cached = BUILTIN_CACHE.get(name);
  if (cached) return cached;
  const make = BUILTINS[name];
  let v: Value | undefined;
  if (make) v = make(loc);
  else if (EXCEPTIONS.includes(name))
    v = V.object('fn', { name, impl: (args: CallArgs) => V.object('exception:' + name, undefined, args.loc) });
  if (v) BUILTIN_CACHE.set(name, v);
  return v;
}

// ---- modules ---------------------------------------------------------------------------------------

function moduleObject(name: string, attrs: Record<string, () => Value>, loc?: Loc): V.ObjectValue {
  return V.object('module:' + name, { name, attrs }, loc);
}

/** A random source; `untyped` for one that returns something else than a string (`uuid.uuid4()`). */
function generated(what: string, untyped = false): Impl {
  return (args) => ({
    ...V.unknown(`${what} is generated each time the process starts`, args.loc, untyped ? undefined : 'str'),
    producedBy: 'generated' as const,
    generatedAt: args.loc,
  });
}

/** A random module's functions (random, secrets, random.SystemRandom()): each result is generated. */
function randomFunctions(module: string, names: readonly string[]): Record<string, () => Value> {
  const out: Record<string, () => Value> = {};
  for (const n of names) out[n] = () => fn(`${module}.${n}`, generated(`${module}.${n}()`, true));
  // an instance of SystemRandom / Random: its methods are random sources too
  out.SystemRandom = () => fn(`${module}.SystemRandom`, generated(`${module}.SystemRandom()`, true));
  out.Random = () => fn(`${module}.Random`, generated(`${module}.Random()`, true));
  return out;
}

const RANDOM_FUNCTIONS = ['choice', 'choices', 'sample', 'randint', 'randrange', 'random', 'getrandbits', 'randbytes', 'uniform'];

/** The CSP source keywords both Django and django-csp name as constants (the nonce is a sentinel both replace per response). */
function cspKeywords(): Record<string, () => Value> {
  const kw = (s: string) => () => V.str(s, 'literal');
  return {
    NONE: kw("'none'"),
    REPORT_SAMPLE: kw("'report-sample'"),
    SELF: kw("'self'"),
    STRICT_DYNAMIC: kw("'strict-dynamic'"),
    UNSAFE_ALLOW_REDIRECTS: kw("'unsafe-allow-redirects'"),
    UNSAFE_EVAL: kw("'unsafe-eval'"),
    UNSAFE_HASHES: kw("'unsafe-hashes'"),
    UNSAFE_INLINE: kw("'unsafe-inline'"),
    WASM_UNSAFE_EVAL: kw("'wasm-unsafe-eval'"),
    NONCE: kw('<CSP_NONCE_SENTINEL>'),
  };
}

const NOTSET = V.object('environ.NOTSET');

/**
 * django-configurations' values (`values.BooleanValue(False)`, `values.SecretValue()`): read from
 * the environment variable DJANGO_<NAME> (or `environ_name`, `environ_prefix`) when the class is
 * set up, with the default when it is not set. The name is the attribute's, known when the class
 * body is done: see configurationsSetting.
 */
interface ConfigurationsValue {
  readonly default: Value | undefined;
  readonly required: boolean;
  readonly environ: boolean;
  readonly environName: string | undefined;
  readonly prefix: string;
  readonly type: V.UnknownValue['type'];
}

const CONFIGURATIONS_VALUES: Record<string, V.UnknownValue['type']> = {
  Value: undefined,
  BooleanValue: 'bool',
  IntegerValue: 'int',
  PositiveIntegerValue: 'int',
  FloatValue: 'float',
  DecimalValue: 'float',
  ListValue: 'list',
  TupleValue: 'tuple',
  SingleNestedListValue: 'list',
  SingleNestedTupleValue: 'tuple',
  SetValue: undefined,
  DictValue: 'dict',
  DatabaseURLValue: 'dict',
  CacheURLValue: 'dict',
  EmailURLValue: 'dict',
  SearchURLValue: 'dict',
  EmailValue: 'str',
  URLValue: 'str',
  IPValue: 'str',
  RegexValue: 'str',
  PathValue: 'str',
  BackendsValue: 'list',
  SecretValue: 'str',
};

function configurationsValues(): Record<string, () => Value> {
  const out: Record<string, () => Value> = {};
  for (const [cls, type] of Object.entries(CONFIGURATIONS_VALUES)) {
    out[cls] = () =>
      fn(`configurations.values.${cls}`, (args) => {
        const kw = (k: string): Value | undefined => args.kw.get(k);
        const flag = (k: string, dflt: boolean): boolean => {
          const v = kw(k);
          return v === undefined ? dflt : V.truthy(v) !== false;
        };
        const name = kw('environ_name');
        const prefix = kw('environ_prefix');
        const data: ConfigurationsValue = {
          default: args.pos[0] ?? kw('default'),
          required: cls === 'SecretValue' || flag('environ_required', false),
          environ: flag('environ', true),
          environName: name?.kind === 'str' ? name.v : undefined,
          prefix: prefix?.kind === 'str' ? prefix.v : 'DJANGO',
          type,
        };
        return V.object('configurations.value', data, args.loc);
      });
  }
  return out;
}

/**
 * The setting a django-configurations class attribute gives: a `values.*` object read from its
 * environment variable (required, or with its default as an environment default); any other
 * value as it is.
 */
export function configurationsSetting(attr: string, v: Value): Value {
  if (v.kind !== 'object' || v.tag !== 'configurations.value') return v;
  const d = v.data as ConfigurationsValue;
  const name = d.environName ?? (d.prefix ? `${d.prefix}_${attr}` : attr);
  const loc = v.loc ?? { file: '', start: 0, end: 0 };
  if (!d.environ) return d.default ?? V.none('literal', loc);
  if (d.required || d.default === undefined) return V.required({ name, style: 'unknown', hasDefault: false, loc }, d.type, loc);
  const dflt = d.default;
  if (dflt.kind === 'unknown' || dflt.kind === 'object') return dflt;
  return { ...V.clone(dflt), origin: 'env-default', env: [{ name, style: 'unknown', hasDefault: true, loc }, ...(dflt.env ?? [])] };
}

const MODULES: Record<string, () => Record<string, () => Value>> = {
  // django-configurations: Configuration stays a library class (recognised by name); values are modelled
  configurations: () => ({}),
  'configurations.values': configurationsValues,
  os: () => ({
    environ: () => V.object('os.environ'),
    getenv: () => fn('os.getenv', osGet),
    putenv: () => fn('os.putenv', (args) => V.none('derived', args.loc)), // not seen by os.environ
    path: () => stdlibModule('os.path')!,
    sep: () => V.str('/', 'literal'),
    linesep: () => V.str('\n', 'literal'),
    name: () => V.str('posix', 'literal'),
    getcwd: () => fn('os.getcwd', (args) => V.unknown('the current directory', args.loc, 'str')),
    cpu_count: () =>
      fn('os.cpu_count', (args) => ({ ...V.unknown("the machine's CPU count", args.loc, 'int'), producedBy: 'cpu-count' as const })),
    urandom: () => fn('os.urandom', generated('os.urandom()')),
  }),
  'os.path': () => ({
    join: () =>
      fn('os.path.join', (args) =>
        pathOp(args, (ps) => ps.reduce((acc, p) => (p.startsWith('/') ? p : acc === '' ? p : acc.replace(/\/$/, '') + '/' + p), '')),
      ),
    dirname: () => fn('os.path.dirname', (args) => pathOp(args, ([p]) => (p!.includes('/') ? p!.replace(/\/[^/]*$/, '') || '/' : ''))),
    basename: () => fn('os.path.basename', (args) => pathOp(args, ([p]) => p!.replace(/^.*\//, ''))),
    abspath: () => fn('os.path.abspath', (args) => pathOp(args, ([p]) => normalizePath(p!))),
    realpath: () => fn('os.path.realpath', (args) => pathOp(args, ([p]) => normalizePath(p!))),
    normpath: () => fn('os.path.normpath', (args) => pathOp(args, ([p]) => normalizePath(p!))),
    expanduser: () => fn('os.path.expanduser', (args) => pathOp(args, ([p]) => (p!.startsWith('~') ? undefined : p!))),
    exists: () => fn('os.path.exists', (args, api) => existence(api, a0(args), args.loc, 'whether a path exists')),
    isfile: () => fn('os.path.isfile', (args, api) => existence(api, a0(args), args.loc, 'whether a file exists')),
    isdir: () => fn('os.path.isdir', (args) => V.unknown('whether a directory exists', args.loc, 'bool')),
  }),
  pathlib: () => ({
    Path: () => fn('pathlib.Path', makePath),
    PurePath: () => fn('pathlib.PurePath', makePath),
    PosixPath: () => fn('pathlib.PosixPath', makePath),
  }),
  sys: () => ({
    modules: () => V.object('sys.modules'),
    argv: () => V.ext('sys.argv'),
    path: () => V.ext('sys.path'),
    platform: () => V.ext('sys.platform'),
    version_info: () => V.ext('sys.version_info'),
    stdout: () => V.ext('sys.stdout'),
    stderr: () => V.ext('sys.stderr'),
  }),
  environ: () => ({
    Env: () =>
      fn('environ.Env', (args) => makeEnviron(args, NOTSET), {
        read_env: fn('environ.Env.read_env', (args) => V.none('derived', args.loc)),
        NOTSET,
      }),
    FileAwareEnv: () => fn('environ.FileAwareEnv', (args) => makeEnviron(args, NOTSET)),
    Path: () => fn('environ.Path', makePath),
    ImproperlyConfigured: () => builtin('Exception', { file: '', start: 0, end: 0 })!,
  }),
  decouple: () => ({
    config: () => fn('decouple.config', decoupleConfig),
    AutoConfig: () => fn('decouple.AutoConfig', () => fn('decouple.config', decoupleConfig)),
    Config: () => fn('decouple.Config', () => fn('decouple.config', decoupleConfig)),
    RepositoryEnv: () => fn('decouple.RepositoryEnv', (args) => V.object('decouple.Repository', undefined, args.loc)),
    RepositoryIni: () => fn('decouple.RepositoryIni', (args) => V.object('decouple.Repository', undefined, args.loc)),
    Csv: () => fn('decouple.Csv', (args) => makeCsv(args)),
    Choices: () =>
      fn('decouple.Choices', (args) =>
        V.object(
          'decouple.Choices',
          { flat: args.pos[0] ?? args.kw.get('flat'), choices: args.kw.get('choices') ?? args.pos[2] },
          args.loc,
        ),
      ),
    UndefinedValueError: () => fn('UndefinedValueError', (args) => V.object('exception:UndefinedValueError', undefined, args.loc)),
  }),
  // django-split-settings: include("components/base.py", optional("local.py")) runs the files in
  // the including module's namespace, in order
  'split_settings.tools': () => ({
    include: () =>
      fn('split_settings.tools.include', (args, api) => {
        const files: { pattern: string; optional: boolean }[] = [];
        for (const a of args.pos) {
          if (a.kind === 'str') files.push({ pattern: a.v, optional: false });
          else if (a.kind === 'object' && a.tag === 'split_settings.optional')
            files.push({ pattern: (a.data as { pattern: string }).pattern, optional: true });
          else {
            api.taintAll('include() of a file the analysis cannot name', args.loc);
            return V.none('derived', args.loc);
          }
        }
        if (args.unknownSplat || args.kw.has('scope')) api.taintAll('include() with arguments the analysis cannot read', args.loc);
        else api.include(files, args.loc);
        return V.none('derived', args.loc);
      }),
    optional: () =>
      fn('split_settings.tools.optional', (args) => {
        const p = a0(args);
        return p?.kind === 'str'
          ? V.object('split_settings.optional', { pattern: p.v }, args.loc)
          : V.unknown('optional() of an unknown file', args.loc);
      }),
  }),
  importlib: () => ({
    import_module: () =>
      fn('importlib.import_module', (args, api) => {
        const name = args.pos[0] ?? args.kw.get('name');
        const pkg = args.pos[1] ?? args.kw.get('package');
        if (name?.kind !== 'str') return V.unknownFrom(args.pos, 'a module imported by a name the analysis cannot read', args.loc);
        const level = /^\.*/.exec(name.v)![0].length;
        if (level > 0 && pkg?.kind === 'str') {
          // resolve against the given package, as importlib does
          const base = pkg.v.split('.').slice(0, pkg.v.split('.').length - (level - 1));
          return api.importModule([...base, name.v.slice(level)].filter(Boolean).join('.'), 0, args.loc);
        }
        return api.importModule(name.v.slice(level), level, args.loc);
      }),
  }),
  dj_database_url: () => ({
    config: () => fn('dj_database_url.config', djDatabaseUrlConfig),
    parse: () => fn('dj_database_url.parse', djDatabaseUrlParse),
  }),
  'django.core.management.utils': () => ({
    get_random_secret_key: () => fn('get_random_secret_key', generated('get_random_secret_key()')),
  }),
  'django.utils.crypto': () => ({
    get_random_string: () => fn('get_random_string', generated('get_random_string()')),
  }),
  // CSP source keywords: Django 6.0's django.utils.csp.CSP and django-csp 4's csp.constants
  'django.utils.csp': () => ({ CSP: () => moduleObject('django.utils.csp.CSP', cspKeywords()) }),
  'csp.constants': () => cspKeywords(),
  'django.core.exceptions': () => ({
    ImproperlyConfigured: () => fn('ImproperlyConfigured', (args) => V.object('exception:ImproperlyConfigured', undefined, args.loc)),
  }),
  secrets: () => ({
    token_urlsafe: () => fn('secrets.token_urlsafe', generated('secrets.token_urlsafe()')),
    token_hex: () => fn('secrets.token_hex', generated('secrets.token_hex()')),
    token_bytes: () => fn('secrets.token_bytes', generated('secrets.token_bytes()')),
    ...randomFunctions('secrets', ['choice', 'randbelow', 'randbits']),
  }),
  random: () => randomFunctions('random', RANDOM_FUNCTIONS),
  uuid: () => ({
    uuid4: () => fn('uuid.uuid4', generated('uuid.uuid4()', true)),
    uuid1: () => fn('uuid.uuid1', generated('uuid.uuid1()', true)),
  }),
  multiprocessing: () => ({
    cpu_count: () =>
      fn('multiprocessing.cpu_count', (args) => ({
        ...V.unknown("the machine's CPU count", args.loc, 'int'),
        producedBy: 'cpu-count' as const,
      })),
  }),
  socket: () => ({
    gethostname: () =>
      fn('socket.gethostname', (args) => ({ ...V.unknown('the host name', args.loc, 'str'), producedBy: 'hostname' as const })),
    gethostbyname: () =>
      fn('socket.gethostbyname', (args) => ({ ...V.unknown('an IP address', args.loc, 'str'), producedBy: 'hostname' as const })),
    getfqdn: () => fn('socket.getfqdn', (args) => ({ ...V.unknown('the host name', args.loc, 'str'), producedBy: 'hostname' as const })),
  }),
  json: () => ({
    loads: () => fn('json.loads', (args) => jsonLoads(a0(args), args.loc) ?? V.unknownFrom(args.pos, 'json.loads()', args.loc)),
    load: () => fn('json.load', (args) => ({ ...V.unknown('JSON read from a file', args.loc), producedBy: 'file' as const })),
    dumps: () =>
      fn('json.dumps', (args) =>
        V.holdsWholeEnvironment(a0(args))
          ? V.wholeEnvironment('json.dumps()', args.loc, 'str')
          : V.unknownFrom(args.pos, 'json.dumps()', args.loc, 'str'),
      ),
  }),
  ast: () => ({
    literal_eval: () =>
      fn(
        'ast.literal_eval',
        (args) =>
          literalEval(a0(args), args.loc) ?? V.unknownFrom(args.pos, 'ast.literal_eval() of a value the analysis cannot read', args.loc),
      ),
  }),
  'distutils.util': () => ({ strtobool: () => fn('distutils.util.strtobool', strtobool) }),
  'setuptools._distutils.util': () => ({ strtobool: () => fn('distutils.util.strtobool', strtobool) }),
  typing: () => ({}),
  __future__: () => ({}),
};

/** A known standard-library or settings-library module, or undefined (then it is an `ext` value). */
export function stdlibModule(name: string, loc?: Loc): V.ObjectValue | undefined {
  const make = MODULES[name];
  if (!make) {
    // `import os.path` binds os; `import django.core.management.utils` binds django (ext)
    return undefined;
  }
  return moduleObject(name, make(), loc);
}

/** os.path.exists(p) / Path(p).exists(): known for the project's own files (see EvalApi.pathExists). */
function existence(api: EvalApi, p: Value | undefined, loc: Loc, what: string): Value {
  const text = p ? pathText(p) : undefined;
  const known = text === undefined ? undefined : api.pathExists(text);
  return known === undefined ? V.unknown(what, loc, 'bool') : V.derive(V.bool(known), loc, [p!]);
}

function pathText(v: Value): string | undefined {
  return v.kind === 'str' || v.kind === 'path' ? v.v : undefined;
}

/** Parts whose joining would pass MAX_STR_LENGTH. */
function tooLong(parts: readonly string[]): boolean {
  let n = 0;
  for (const p of parts) n += p.length + 1;
  return n > V.MAX_STR_LENGTH;
}

function pathOp(args: CallArgs, f: (parts: string[]) => string | undefined): Value {
  const parts = args.pos.map(pathText);
  if (parts.some((p) => p === undefined) || parts.length === 0)
    return V.unknownFrom(args.pos, 'a path built from unknown parts', args.loc, 'str');
  if (tooLong(parts as string[])) return V.tooLarge('a path', args.loc, 'str');
  const r = f(parts as string[]);
  if (r === undefined) return V.unknownFrom(args.pos, 'a path the analysis cannot compute', args.loc, 'str');
  return V.derive(V.str(r), args.loc, args.pos);
}

function makePath(args: CallArgs): Value {
  if (args.pos.length === 0) return V.path('.', 'derived', args.loc);
  const parts = args.pos.map(pathText);
  if (parts.some((p) => p === undefined)) return V.unknownFrom(args.pos, 'a Path of unknown parts', args.loc, 'path');
  if (tooLong(parts as string[])) return V.tooLarge('a path', args.loc, 'path');
  const joined = (parts as string[]).reduce(
    (acc, p) => (p.startsWith('/') ? p : acc === '' || acc === '.' ? p : acc.replace(/\/$/, '') + '/' + p),
    '',
  );
  return V.derive(V.path(normalizePath(joined)), args.loc, args.pos);
}

// ---- attributes -------------------------------------------------------------------------------------

/** `obj.name`: module attributes, library objects, methods of values; ext values extend their name. */
export function getAttribute(obj: Value, name: string, loc: Loc, api: EvalApi): Value {
  if (obj.kind === 'object') {
    if (obj.tag.startsWith('module:')) {
      const d = obj.data as { name: string; attrs: Record<string, () => Value>; made?: Map<string, Value> };
      const make = d.attrs[name];
      if (make) {
        // a module's attributes are stateless library objects: made once per module object
        d.made ??= new Map();
        let v = d.made.get(name);
        if (!v) d.made.set(name, (v = make()));
        return v;
      }
      const sub = stdlibModule(`${d.name}.${name}`, loc);
      return sub ?? V.ext(`${d.name}.${name}`, loc);
    }
    if (obj.tag === 'fn' || obj.tag === 'method') {
      const d = obj.data as { name: string; attrs?: Record<string, Value> };
      const attr = d.attrs?.[name];
      if (attr) return attr;
      return V.ext(`${d.name}.${name}`, loc);
    }
    if (obj.tag === 'os.environ') return environAttr(name, loc);
    if (obj.tag === 'globals') return globalsAttr(name, loc, (obj.data as GlobalsData | undefined)?.api);
    if (obj.tag === 'this-module') return api.lookup(name, loc);
    if (obj.tag === 'file') return fileAttr(name, loc);
    return V.unknown(`${name} of ${obj.tag}`, loc);
  }
  if (obj.kind === 'unknown') {
    if (obj.ext) {
      const child = V.ext(`${obj.ext}.${name}`, loc);
      if (obj.producedBy === 'generated') return { ...child, producedBy: 'generated', generatedAt: obj.generatedAt };
      return obj.supplied ? { ...child, reason: obj.supplied, supplied: obj.supplied } : child;
    }
    // `uuid.uuid4().hex`, `SystemRandom().choice`: an attribute of a random value is random
    if (obj.producedBy === 'generated' && !obj.type)
      return { ...V.unknownFrom([obj], `${name} of a generated value`, loc), ext: undefined };
    if (obj.type === 'str' || obj.type === 'path') {
      // methods of an unknown string still return unknown strings (keeping the env provenance)
      return method(`str.${name}`, (args) => unknownMethodResult(obj, name, args, obj.type));
    }
    return method(`${name}`, (args) => unknownMethodResult(obj, name, args, undefined));
  }
  if (obj.kind === 'str') return strAttr(obj, name, loc);
  if (obj.kind === 'list') return withReceiver(listAttr(obj, name, loc), obj);
  if (obj.kind === 'dict') return withReceiver(dictAttr(obj, name, loc, api), obj);
  if (obj.kind === 'set') return withReceiver(setAttr(obj, name, loc), obj);
  if (obj.kind === 'path') return pathAttr(obj, name, loc);
  if (obj.kind === 'tuple') {
    if (name === 'index' || name === 'count') return listAttr(V.seq('list', obj.items), name, loc);
  }
  return V.unknown(`${name} of a ${V.typeName(obj)}`, loc);
}

function unknownMethodResult(obj: V.UnknownValue, name: string, args: CallArgs, type: V.UnknownValue['type']): Value {
  const r = V.unknownFrom([obj, ...args.pos], `${name}() of an unknown value`, args.loc, name === 'split' ? 'list' : type);
  return name === 'upper' ? { ...r, type: 'str', upper: true } : r;
}

const ENVIRON_METHODS = new Map<string, Value>();

function environAttr(name: string, loc: Loc): Value {
  let v = ENVIRON_METHODS.get(name);
  if (!v) {
    v = environAttrUncached(name, loc);
    if (v.kind === 'object') ENVIRON_METHODS.set(name, v);
  }
  return v;
}

function environAttrUncached(name: string, loc: Loc): Value {
  switch (name) {
    case 'get':
      return method('os.environ.get', osGet);
    case 'setdefault':
      return method('os.environ.setdefault', osSetDefault);
    case 'copy':
      return method('os.environ.copy', () => V.object('os.environ'));
    case 'items':
    case 'values':
      return method(`os.environ.${name}`, (args) => V.wholeEnvironment(`os.environ.${name}()`, args.loc, 'list'));
    case 'keys':
      // the names only: harmless to print
      return method('os.environ.keys', (args) => V.unknown('the names of the whole environment', args.loc, 'list'));
    case 'update':
      return method('os.environ.update', (args, api) => {
        const src = a0(args);
        if (src?.kind === 'dict' && !src.partial)
          src.keys.forEach((k, i) => (k.kind === 'str' ? api.setEnv(k.v, src.values[i]!) : api.setEnv(undefined, src.values[i]!)));
        else if (src) api.setEnv(undefined, src);
        for (const [k, v] of args.kw) api.setEnv(k, v);
        return V.none('derived', args.loc);
      });
    case '__setitem__':
      return method('os.environ.__setitem__', (args, api) => {
        const [k, v] = args.pos;
        if (k && v) api.setEnv(k.kind === 'str' ? k.v : undefined, v);
        return V.none('derived', args.loc);
      });
    default:
      return V.unknown(`os.environ.${name}`, loc);
  }
}

/** After `globals().update(d)`: any name d may hold is unknown (only names with its keyPrefix, when it has one). */
function taintUpdate(api: EvalApi, d: V.DictValue, reason: string, loc: Loc): void {
  const prefix = d.keyPrefix;
  api.taintAll(prefix ? `${reason} (only ${prefix}* names)` : reason, loc, prefix ? (n) => n.startsWith(prefix) : undefined);
}

/**
 * `globals()` (and `locals()` or `vars()` at the module's top level): the module's namespace, which
 * Python keeps live. Iterated (`list(globals())`, `len()`, a comprehension), it holds the names
 * bound at that moment (see globalsSnapshot in core.ts).
 */
function globalsObject(api: EvalApi, loc: Loc): Value {
  const live = liveGlobals(api, 'keys', loc);
  const data: GlobalsData = {
    api,
    get items() {
      return live.items;
    },
  };
  return V.object('globals', data, loc);
}

/**
 * The data of a `globals()` object: the services of the code that called globals() (its module's
 * namespace is the one read and written, wherever the object is passed), and its names now.
 */
export interface GlobalsData {
  readonly api: EvalApi;
  readonly items: Value[] | undefined;
}

const methodOf = method;

function localsUnknown(loc: Loc): Value {
  return V.unknown("the namespace of a function or class body (locals() there is not the module's)", loc, 'dict');
}

/**
 * The data of a live view of the namespace: `items` (what iterate() reads) is computed when it is
 * read; undefined when the names bound are not all known.
 */
function liveGlobals(api: EvalApi, kind: 'keys' | 'values' | 'items', loc: Loc): { readonly items: Value[] | undefined } {
  return {
    get items(): Value[] | undefined {
      const d = api.globalsSnapshot(loc);
      if (d.partial || d.values.some((v) => v.kind === 'unknown' && v.maybeAbsent)) return undefined;
      if (kind === 'keys') return d.keys;
      if (kind === 'values') return d.values;
      return d.keys.map((k, i) => V.seq('tuple', [k, d.values[i]!], 'derived', loc));
    },
  };
}

function globalsAttr(name: string, loc: Loc, owner: EvalApi | undefined): Value {
  // the namespace of the module that called globals(), even from a function of another module
  const method = (tag: string, impl: (args: CallArgs, api: EvalApi) => Value): Value =>
    methodOf(tag, (args, api) => impl(args, owner ?? api));
  switch (name) {
    case 'update':
      return method('globals().update', (args, api) => {
        const src = a0(args);
        // a dict parsed from an environment value (json.loads(os.environ.get("EXTRA", "{}"))): its
        // default's keys are bound, but when the variable is set it can bind any name. A dict whose
        // keys are all written in the code or are the module's own names (`{k: v for k, v in
        // globals().items() if k.isupper()}`) binds those names whatever its values were read from.
        const fixedKeys =
          src?.kind === 'dict' && src.keys.length > 0 && src.keys.every((k) => k.origin === 'literal' || NAMESPACE_KEYS.has(k));
        const fromEnv =
          src?.kind === 'dict' && (src.origin === 'env-default' || src.origin === 'env') && !fixedKeys ? src.env?.[0]?.name : undefined;
        if (src?.kind === 'dict' && !src.partial && src.keys.every((k) => k.kind === 'str') && !args.unknownSplat) {
          src.keys.forEach((k, i) => api.bindGlobal((k as V.StrValue).v, src.values[i]!, args.loc));
          if (fromEnv) taintUpdate(api, src, `globals().update() with names read from the environment variable ${fromEnv}`, args.loc);
        } else if (!src && args.kw.size > 0 && !args.unknownSplat) {
          for (const [k, v] of args.kw) api.bindGlobal(k, v, args.kwLocs.get(k) ?? args.loc);
        } else if (src?.kind === 'dict' && src.partial) {
          src.keys.forEach((k, i) => {
            if (k.kind === 'str') api.bindGlobal(k.v, src.values[i]!, args.loc);
          });
          taintUpdate(api, src, 'globals().update() with a dict the analysis cannot fully read', args.loc);
        } else api.taintAll('globals().update() with values the analysis cannot read', args.loc);
        return V.none('derived', args.loc);
      });
    case 'keys':
    case 'values':
    case 'items':
      // a view: iterated, it holds what the namespace holds then
      return method(`globals().${name}`, (args, api) => V.object('globals-view', liveGlobals(api, name, args.loc), args.loc));
    case 'copy':
      return method('globals().copy', (args, api) => api.globalsSnapshot(args.loc));
    case 'get':
      return method('globals().get', (args, api) => {
        const n = a0(args);
        return n?.kind === 'str' ? api.lookup(n.v, args.loc) : V.unknown('globals().get() of an unknown name', args.loc);
      });
    case 'setdefault':
      return method('globals().setdefault', (args, api) => {
        const [n, v] = args.pos;
        if (n?.kind === 'str' && v) {
          const cur = api.lookup(n.v, args.loc);
          if (cur.kind === 'unknown' && !api.globalNames().includes(n.v)) {
            api.bindGlobal(n.v, v, args.loc);
            return v;
          }
          return cur;
        }
        api.taintAll('globals().setdefault() with a name the analysis cannot read', args.loc);
        return V.unknown('', args.loc);
      });
    default:
      return V.unknown(`globals().${name}`, loc);
  }
}

function fileAttr(name: string, loc: Loc): Value {
  // a write is recorded (a generated key written to a file is persisted: DDH106)
  if (name === 'write' || name === 'writelines')
    return method(`file.${name}`, (args, api) => {
      api.record('file.write', args);
      return V.unknown('the count of characters written', args.loc, 'int');
    });
  if (['read', 'readline', 'readlines', 'read_text'].includes(name)) {
    return method(`file.${name}`, (args) => ({ ...V.unknown('read from a file', args.loc, 'str'), producedBy: 'file' as const }));
  }
  if (name === '__enter__') return method('file.__enter__', (args) => V.object('file', undefined, args.loc));
  return V.unknown(`file.${name}`, loc);
}

function strResult(self: V.StrValue, args: CallArgs, s: string): Value {
  return V.derive(V.str(s), self.loc ?? args.loc, [self, ...args.pos]);
}

/** The characters strip() takes away: its argument's, or whitespace. */
function charsArg(args: CallArgs): string | undefined {
  const c = a0(args);
  if (!c || c.kind === 'none') return WHITESPACE;
  return c.kind === 'str' ? c.v : undefined;
}

/** `str.<name>`, made once per method name (an attribute of a string is read on every evaluation of `x.strip()`). */
const strMethodNames = new Map<string, string>();
function strMethodName(name: string): string {
  let q = strMethodNames.get(name);
  if (q === undefined) strMethodNames.set(name, (q = `str.${name}`));
  return q;
}

function strAttr(self: V.StrValue, name: string, loc: Loc): Value {
  const s = self.v;
  switch (name) {
    case 'lower':
    case 'casefold':
      return method(strMethodName(name), (args) => strResult(self, args, s.toLowerCase()));
    case 'upper':
      return method('str.upper', (args) => strResult(self, args, s.toUpperCase()));
    case 'title':
      return method('str.title', (args) => {
        // Python: a cased letter after a cased letter is lowered, any other is raised ("a-b1c" → "A-B1C")
        if (/[^\x00-\x7f]/.test(s)) return V.unknownFrom([self], 'str.title() of text beyond ASCII', args.loc, 'str');
        let out = '';
        let previousCased = false;
        for (const ch of s) {
          const cased = ch.toLowerCase() !== ch.toUpperCase();
          out += cased ? (previousCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
          previousCased = cased;
        }
        return strResult(self, args, out);
      });
    case 'capitalize':
      return method('str.capitalize', (args) => strResult(self, args, s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()));
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      return method(strMethodName(name), (args) => {
        const chars = charsArg(args);
        if (chars === undefined) return V.unknownFrom(args.pos, 'strip() with unknown characters', args.loc, 'str');
        let a = 0;
        let b = s.length;
        if (name !== 'rstrip') while (a < b && chars.includes(s[a]!)) a++;
        if (name !== 'lstrip') while (b > a && chars.includes(s[b - 1]!)) b--;
        return strResult(self, args, s.slice(a, b));
      });
    case 'split':
    case 'rsplit':
      return method(strMethodName(name), (args) => {
        const sep = a0(args) ?? args.kw.get('sep');
        const max = args.pos[1] ?? args.kw.get('maxsplit');
        const maxN = max ? V.numeric(max) : -1;
        let parts: string[];
        if (!sep || sep.kind === 'none') parts = s.split(/\s+/).filter((p) => p !== '');
        else if (sep.kind === 'str' && sep.v !== '') parts = s.split(sep.v);
        else return V.unknownFrom(args.pos, 'split() with an unknown separator', args.loc, 'list');
        if (maxN !== undefined && maxN >= 0 && parts.length > maxN + 1 && sep?.kind === 'str') {
          parts =
            name === 'split'
              ? [...parts.slice(0, maxN), parts.slice(maxN).join(sep.v)]
              : [parts.slice(0, parts.length - maxN).join(sep.v), ...parts.slice(parts.length - maxN)];
        }
        if (parts.length > V.MAX_ITEMS) return V.tooLarge('a split() list', args.loc, 'list');
        const origin = V.combineOrigins(self, ...args.pos);
        return {
          ...V.seq(
            'list',
            parts.map((p) => ({ ...V.str(p, origin, self.loc ?? args.loc), env: self.env })),
          ),
          origin,
          loc: self.loc ?? args.loc,
          env: self.env,
        };
      });
    case 'splitlines':
      return method('str.splitlines', (args) => {
        const lines = s.split(/\r?\n/).filter((x, i, all) => !(i === all.length - 1 && x === ''));
        if (lines.length > V.MAX_ITEMS) return V.tooLarge('a splitlines() list', args.loc, 'list');
        return V.derive(
          V.seq(
            'list',
            lines.map((p) => V.derive(V.str(p), self.loc, [self])),
          ),
          self.loc ?? args.loc,
          [self],
        );
      });
    case 'replace':
      return method('str.replace', (args) => {
        const [o, n] = args.pos;
        if (o?.kind !== 'str' || n?.kind !== 'str') return V.unknownFrom(args.pos, 'replace() with unknown strings', args.loc, 'str');
        const count = args.pos[2] ?? args.kw.get('count');
        if (count && count.kind !== 'int')
          return V.unknownFrom(args.pos, 'replace() with a count the analysis cannot read', args.loc, 'str');
        // Python: a count of -1 (or none) replaces every occurrence; '' as the old text is not followed with a count
        if (o.v === '')
          return count && count.v >= 0
            ? V.unknownFrom(args.pos, 'replace() of the empty string with a count', args.loc, 'str')
            : strResult(self, args, s);
        let pieces = s.split(o.v);
        if (count && count.v >= 0 && pieces.length - 1 > count.v) pieces = [...pieces.slice(0, count.v), pieces.slice(count.v).join(o.v)];
        if (s.length + (pieces.length - 1) * (n.v.length - o.v.length) > V.MAX_STR_LENGTH)
          return V.tooLarge('a replaced string', args.loc, 'str');
        return strResult(self, args, pieces.join(n.v));
      });
    case 'startswith':
    case 'endswith':
      return method(strMethodName(name), (args) => {
        const p = a0(args);
        const opts = p?.kind === 'tuple' ? p.items : p ? [p] : [];
        if (opts.some((o) => o.kind !== 'str')) return V.unknownFrom(args.pos, `${name}() with unknown strings`, args.loc, 'bool');
        const r = opts.some((o) => (name === 'startswith' ? s.startsWith((o as V.StrValue).v) : s.endsWith((o as V.StrValue).v)));
        return V.derive(V.bool(r), args.loc, [self, ...args.pos]);
      });
    case 'join':
      return method('str.join', (args) => {
        const src = a0(args);
        const items = src?.kind === 'list' || src?.kind === 'tuple' || src?.kind === 'set' ? src.items : undefined;
        if (!items || items.some((i) => i.kind !== 'str'))
          return V.unknownFrom([self, ...(items ?? args.pos)], 'join() of unknown strings', args.loc, 'str');
        if (items.reduce((n, i) => n + (i as V.StrValue).v.length, s.length * Math.max(0, items.length - 1)) > V.MAX_STR_LENGTH)
          return V.tooLarge('a joined string', args.loc, 'str');
        return V.derive(V.str(items.map((i) => (i as V.StrValue).v).join(s)), args.loc, [self, ...items]);
      });
    case 'format':
      return method('str.format', (args) => {
        let i = 0;
        let failed = false;
        let added = 0;
        const out = s.replace(
          /\{\{|\}\}|\{([^{}!:]*)(![rsa])?(?::([^{}]*))?\}/g,
          (m, key: string | undefined, conv: string | undefined, spec: string | undefined) => {
            if (m === '{{') return '{';
            if (m === '}}') return '}';
            const k = key ?? '';
            // a field with attributes or items ({0.x}, {d[k]}) is not followed
            const v =
              k === '' ? args.pos[i++] : /^\d+$/.test(k) ? args.pos[Number(k)] : /^[A-Za-z_]\w*$/.test(k) ? args.kw.get(k) : undefined;
            const shown = v && conv ? (conv === '!s' ? pyText(v) : pyRepr(v)) : v ? pyText(v) : undefined;
            const t =
              v && shown !== undefined && spec ? (formatValue(conv ? V.str(shown) : v, spec, V.MAX_STR_LENGTH) ?? undefined) : shown;
            if (t === undefined) failed = true;
            added += t?.length ?? 0;
            return added > V.MAX_STR_LENGTH ? '' : (t ?? '');
          },
        );
        if (added > V.MAX_STR_LENGTH) return V.tooLarge('a format() string', args.loc, 'str');
        const parts = [self, ...args.pos, ...args.kw.values()];
        if (parts.some((p) => V.holdsWholeEnvironment(p))) return V.wholeEnvironment('format()', args.loc, 'str');
        if (failed || args.unknownSplat) return V.unknownFrom(parts, 'format() with unknown values', args.loc, 'str');
        return V.derive(V.str(out), args.loc, parts);
      });
    case 'encode':
    case 'decode':
      return method(strMethodName(name), (args) => strResult(self, args, s));
    case 'zfill':
      return method('str.zfill', (args) => {
        const w = a0(args) ? V.numeric(a0(args)!) : undefined;
        if (w !== undefined && w > V.MAX_STR_LENGTH) return V.tooLarge('a zfill() string', args.loc, 'str');
        return w === undefined ? V.unknown('zfill()', args.loc, 'str') : strResult(self, args, s.padStart(w, '0'));
      });
    case 'isdigit':
    case 'isdecimal':
    case 'isnumeric':
      return method(strMethodName(name), (args) => V.derive(V.bool(/^\d+$/.test(s)), args.loc, [self]));
    case 'isalpha':
      return method('str.isalpha', (args) => V.derive(V.bool(/^[A-Za-z]+$/.test(s)), args.loc, [self]));
    case 'isupper':
    case 'islower': {
      // Python: at least one cased character, and none of the other case
      const cased = s.toLowerCase() !== s.toUpperCase();
      const r = name === 'isupper' ? cased && s === s.toUpperCase() : cased && s === s.toLowerCase();
      return method(strMethodName(name), (args) => V.derive(V.bool(r), args.loc, [self]));
    }
    case 'isidentifier':
      return method('str.isidentifier', (args) => V.derive(V.bool(/^[A-Za-z_]\w*$/.test(s)), args.loc, [self]));
    case 'count':
      return method('str.count', (args) => {
        const sub = a0(args);
        return sub?.kind === 'str' && sub.v !== ''
          ? V.derive(V.int(s.split(sub.v).length - 1), args.loc, [self, sub])
          : V.unknown('count()', args.loc, 'int');
      });
    case 'find':
    case 'index':
      return method(strMethodName(name), (args) => {
        const sub = a0(args);
        return sub?.kind === 'str' ? V.derive(V.int(s.indexOf(sub.v)), args.loc, [self, sub]) : V.unknown('find()', args.loc, 'int');
      });
    default:
      return V.unknown(`str.${name}`, loc);
  }
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

/** A container's method that changes it, with the container (the evaluator says it changed when it is called: valueMemo.ts). */
function withReceiver(m: Value, self: Value): Value {
  if (m.kind === 'object' && m.tag === 'method' && (m.data as { mutates?: boolean }).mutates)
    (m.data as { receiver?: Value }).receiver = self;
  return m;
}

function listAttr(self: V.SeqValue, name: string, loc: Loc): Value {
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
          // with items that may be absent, only the two ends are known positions
          if (self.optional && at !== 0 && at !== len) self.origin = 'unknown';
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
        const i = v && !self.optional ? self.items.findIndex((x) => V.pyEquals(x, v) === true) : -1;
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

function setAttr(self: V.SeqValue, name: string, loc: Loc): Value {
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

function dictAttr(self: V.DictValue, name: string, loc: Loc, api: EvalApi): Value {
  void api;
  switch (name) {
    case 'get':
      return method('dict.get', (args) => {
        const [k, d] = args.pos;
        if (!k) return V.unknown('get()', args.loc);
        const v = V.dictGet(self, k);
        if (v) return v;
        if (v === null) return d ?? V.none('derived', args.loc);
        return V.unknownFrom([self, k], 'a key the analysis cannot find', args.loc);
      });
    case 'setdefault':
      return method(
        'dict.setdefault',
        (args) => {
          const [k, d] = args.pos;
          if (!k) return V.unknown('setdefault()', args.loc);
          const v = V.dictGet(self, k);
          if (v) return v;
          const value = d ?? V.none('derived', args.loc);
          if (v === null) V.dictSet(self, k, value);
          else self.partial = true;
          return value;
        },
        true,
      );
    case 'update':
      return method(
        'dict.update',
        (args, api) => {
          const src = a0(args);
          if (src?.kind === 'dict' && self.keys.length + src.keys.length > V.MAX_ITEMS) {
            self.partial = true;
            api.note(
              'budget',
              `A dict grows past ${V.MAX_ITEMS.toLocaleString('en-US')} keys here: the analysis stops following its keys.`,
              args.loc,
            );
          } else if (src?.kind === 'dict') {
            src.keys.forEach((k, i) => V.dictSet(self, k, src.values[i]!));
            if (src.partial) self.partial = true;
          } else if (src) self.partial = true;
          for (const [k, v] of args.kw) V.dictSet(self, V.str(k), v);
          if (args.unknownSplat) self.partial = true;
          return V.none('derived', args.loc);
        },
        true,
      );
    case 'pop':
      return method(
        'dict.pop',
        (args) => {
          const [k, d] = args.pos;
          const key = k ? V.keyOf(k) : undefined;
          const i = key === undefined ? -1 : self.keys.findIndex((x) => V.keyOf(x) === key);
          if (i >= 0) {
            const v = self.values[i]!;
            self.keys.splice(i, 1);
            self.values.splice(i, 1);
            return v;
          }
          return d ?? V.unknown('pop()', args.loc);
        },
        true,
      );
    case 'copy':
      return method('dict.copy', (args) => ({ ...V.dict([...self.keys], [...self.values], self.origin, args.loc), partial: self.partial }));
    case 'keys':
    case 'values':
    case 'items':
      // a dict that may hold other keys, or lack some: what it holds is unknown
      if (self.partial || self.values.some((x) => x.kind === 'unknown' && x.maybeAbsent))
        return method(`dict.${name}`, (args) =>
          V.unknownFrom([self], `dict.${name}() of a dict whose keys are not all known`, args.loc, 'list'),
        );
      if (name === 'keys') return method('dict.keys', (args) => V.seq('list', [...self.keys], self.origin, args.loc));
      if (name === 'values') return method('dict.values', (args) => V.seq('list', [...self.values], self.origin, args.loc));
      return method('dict.items', (args) =>
        V.seq(
          'list',
          self.keys.map((k, i) => V.seq('tuple', [k, self.values[i]!])),
          self.origin,
          args.loc,
        ),
      );
    default:
      return V.unknown(`dict.${name}`, loc);
  }
}

function pathAttr(self: V.PathValue, name: string, loc: Loc): Value {
  const p = self.v;
  const mk = (v: string): Value => V.derive(V.path(v), loc, [self]);
  switch (name) {
    case 'parent':
      return mk(p.includes('/') ? p.replace(/\/[^/]*$/, '') || '/' : '.');
    case 'parents': {
      const out: Value[] = [];
      let cur = p;
      while (cur.includes('/') && cur !== '/') {
        cur = cur.replace(/\/[^/]*$/, '') || '/';
        out.push(V.path(cur));
      }
      return V.derive(V.seq('tuple', out), loc, [self]);
    }
    case 'name':
    case 'stem':
    case 'suffix': {
      // pathlib: the name of '.' and '/' is ''; the suffix is from the last dot when the dot is
      // neither the first nor the last character of the name ('.bashrc' and 'a.' have none)
      const base = p === '.' || p === '/' ? '' : p.replace(/^.*\//, '');
      const i = base.lastIndexOf('.');
      const dotted = i > 0 && i < base.length - 1;
      const part = name === 'name' ? base : name === 'stem' ? (dotted ? base.slice(0, i) : base) : dotted ? base.slice(i) : '';
      return V.derive(V.str(part), loc, [self]);
    }
    case 'resolve':
    case 'absolute':
    case 'expanduser':
      return method(`Path.${name}`, (args) => V.derive(V.path(p), args.loc, [self]));
    case 'as_posix':
    case '__str__':
      return method(`Path.${name}`, (args) => V.derive(V.str(p), args.loc, [self]));
    case 'joinpath':
      return method('Path.joinpath', (args) => {
        const parts = args.pos.map(pathText);
        if (parts.some((x) => x === undefined)) return V.unknownFrom(args.pos, 'a path of unknown parts', args.loc, 'path');
        if (tooLong([p, ...(parts as string[])])) return V.tooLarge('a path', args.loc, 'path');
        return V.derive(
          V.path(normalizePath([p, ...(parts as string[])].reduce((acc, x) => (x.startsWith('/') ? x : acc + '/' + x)))),
          args.loc,
          [self, ...args.pos],
        );
      });
    case 'with_name':
    case 'with_suffix':
      return method(`Path.${name}`, (args) => V.unknownFrom(args.pos, `Path.${name}()`, args.loc, 'path'));
    case 'exists':
    case 'is_file':
      return method(`Path.${name}`, (args, api) => existence(api, self, args.loc, 'whether a path exists'));
    case 'is_dir':
      return method(`Path.${name}`, (args) => V.unknown('whether a path exists', args.loc, 'bool'));
    case 'read_text':
    case 'read_bytes':
      return method(`Path.${name}`, (args) => ({ ...V.unknown('read from a file', args.loc, 'str'), producedBy: 'file' as const }));
    case 'write_text':
    case 'write_bytes':
      return method(`Path.${name}`, (args, api) => {
        api.record('file.write', args);
        return V.unknown('the count of characters written', args.loc, 'int');
      });
    case 'open':
      return method('Path.open', (args) => V.object('file', { path: self }, args.loc));
    case 'mkdir':
    case 'touch':
      return method(`Path.${name}`, (args) => V.none('derived', args.loc));
    default:
      return V.unknown(`Path.${name}`, loc);
  }
}

export { applyCast, trimChars };
