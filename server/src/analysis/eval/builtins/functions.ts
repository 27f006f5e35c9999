// Python's builtin functions (int, str, len, sorted, dict, globals, getattr, print…), each a library
// function made once; the builtin exception classes (library/objects.ts).
import type { CallArgs, EvalApi } from '../api';
import { dedupe } from '../operations';
import { pyRepr, pyText } from '../pyformat';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { getAttribute } from '../library/attributes';
import { literalEval } from '../library/literals';
import { globalsObject, localsUnknown, type GlobalsData } from '../library/namespace';
import { a0, exceptionClass, fn } from '../library/objects';
import { pySorted } from './list';

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
        else api.taintByName('setattr() on this module is given', name ?? V.unknown('no name'), args.loc, value);
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
      // the module's own namespace given explicitly (`exec(code, globals(), locals())` at module
      // level, as `exec(code)` there uses it): the code runs in the module as without namespaces
      const given = [args.pos[1] ?? args.kw.get('globals'), args.pos[2] ?? args.kw.get('locals')];
      const modules = (n: Value | undefined): boolean =>
        n === undefined || (n.kind === 'object' && n.tag === 'globals' && (n.data as GlobalsData).api.file === api.file);
      const own =
        (args.pos.length > 1 || args.kw.has('globals') || args.unknownSplat) &&
        (args.unknownSplat || args.pos.length > 3 || !given.every(modules) || !api.atModuleLevel());
      // With dicts of its own as its namespaces (`exec(code, result, result)` in a helper that
      // returns `result`), the code binds its names in those dicts: the module's namespace is not
      // touched (Python's exec: globals and locals are the dicts given; locals defaults to
      // globals), and what the code binds reaches the module only through code that copies it
      // (`globals().update(result)`, which reads the dict as holding unknown keys). A namespace
      // that is not such a dict (globals(), vars(), locals() at module level, an object's
      // __dict__, a value the analysis cannot read) may be the module's: dynamic, as before.
      // (and holding nothing the code could change in place that the module may hold too: a
      // list, a dict, an object)
      const namespaces = [args.pos[1] ?? args.kw.get('globals'), args.pos[2] ?? args.kw.get('locals')];
      const ownDict = (n: Value | undefined): boolean => n?.kind === 'dict' && n.values.every(isImmutable);
      if (
        own &&
        !args.unknownSplat &&
        args.pos.length <= 3 &&
        ownDict(namespaces[0]) &&
        (namespaces[1] === undefined || ownDict(namespaces[1]))
      ) {
        for (const n of new Set(namespaces))
          if (n?.kind === 'dict') api.namespaceRunIn(n, 'a name exec() of code the analysis cannot see may bind');
        return V.none('derived', args.loc);
      }
      const ov = own ? undefined : execOverride(a0(args), api, args.loc);
      if (ov) api.overrideAll(ov.override, ov.reason, args.loc, ov.override.presence === 'supplied');
      else api.taintAll('exec() runs code the analysis cannot see', args.loc);
      return V.none('derived', args.loc);
    }),
  // compile(text, name, "exec") of a file's text: the code of that file (for exec)
  compile: () =>
    fn('compile', (args) => {
      const src = a0(args);
      return src?.kind === 'unknown' && src.readPath
        ? { ...V.unknown('code read from a file', args.loc), producedBy: 'file' as const, readPath: src.readPath }
        : V.unknownFrom(args.pos, 'compile()', args.loc);
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

/** A value no code can change in place (a string, a number, a bool, None, a tuple of such). */
function isImmutable(v: Value): boolean {
  switch (v.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
    case 'none':
    case 'path':
      return true;
    case 'tuple':
      return v.items.every(isImmutable);
    default:
      return false;
  }
}

/**
 * `exec(open(path).read())` of a configuration file the repository does not hold (outside the
 * project, named by an environment variable, git-ignored or missing here): the deployment supplies
 * it (the settings fail without it), or may add it when a failure to read it is caught or the call
 * is in a branch the analysis cannot decide (`if os.path.exists(path):`). Undefined for a file of
 * the repository (its code is not read: dynamic) and for code not read from a file.
 */
function execOverride(src: Value | undefined, api: EvalApi, loc: Loc): { override: V.Override; reason: string } | undefined {
  if (src?.kind !== 'unknown' || src.producedBy !== 'file' || !src.readPath) return undefined;
  const p = src.readPath;
  let name: string;
  if (p.kind === 'str' || p.kind === 'path') {
    if (api.pathExists(p.v) === true) return undefined;
    // a file beside the settings by its name (`extra.py`), any other by its path
    const dir = api.file.slice(0, Math.max(api.file.lastIndexOf('/'), api.file.lastIndexOf('\\')) + 1);
    name = dir && p.v.startsWith(dir) && !/[\\/]/.test(p.v.slice(dir.length)) ? p.v.slice(dir.length) : p.v;
  } else {
    const variable = p.env?.[0]?.name;
    // a path the analysis cannot compute (built from a library's path object it does not model):
    // still a file the code reads, which the repository may not hold; named by what is known
    name = variable ? `the file ${variable} names` : 'a file whose path the analysis cannot compute';
  }
  const optional =
    api.uncertain() || api.catches('FileNotFoundError', 'OSError', 'IOError', 'EnvironmentError', 'Exception', 'BaseException');
  const override: V.Override = { kind: 'file', name, loc, presence: optional ? 'optional' : 'supplied' };
  const reason = `exec() runs ${name}${optional ? ' where it exists' : ''}, which the repository does not hold${optional ? '' : ' (the deployment supplies it)'}`;
  return { override, reason };
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
  else v = exceptionClass(name);
  if (v) BUILTIN_CACHE.set(name, v);
  return v;
}
