// What can be kept of an evaluation, and how: a deep copy of modules' results (copyGroup), the
// containers a kept evaluation holds (keepEvaluation, keepContainers: what a lent module's importer
// changes in them is recorded, see lending.ts), and the calls its statements added to other modules.
import type { UserFn } from '../eval/frame';
import { Scope, type CallRecord, type ModuleResult } from '../eval/scope';
import type { Value } from '../eval/values';
import { envSchemes, immutableData } from './reach';
import type { StatementRecord } from './records';
import type { ModuleTracker } from './tracker';

/**
 * A deep copy of modules' results: their namespaces' values (containers copied, aliases kept),
 * calls, notes and files; functions and module objects of the group point into the copy. Undefined
 * when something reachable cannot be copied faithfully.
 */
export function copyGroup(
  group: readonly ModuleResult[],
  register?: (container: Value) => void,
): { group: ModuleResult[]; mods: Map<ModuleResult, ModuleResult>; value: (v: Value) => Value; ok: () => boolean } | undefined {
  const mods = new Map<ModuleResult, ModuleResult>();
  const scopes = new Map<Scope, Scope>();
  for (const m of group) {
    const scope = Object.assign(Object.create(Scope.prototype) as Scope, m.scope, {
      vars: new Map(),
      journal: undefined,
      lent: undefined,
      lentDeleted: undefined,
    });
    const copy: ModuleResult = { ...m, scope, notes: [...m.notes], calls: [], files: new Set(m.files) };
    mods.set(m, copy);
    scopes.set(m.scope, scope);
  }
  const seen = new Map<object, unknown>();
  let ok = true;
  const value = (v: Value): Value => {
    switch (v.kind) {
      case 'list':
      case 'tuple':
      case 'set': {
        const done = seen.get(v);
        if (done) return done as Value;
        const c = { ...v, items: [] as Value[] };
        seen.set(v, c);
        c.items = v.items.map(value);
        register?.(c);
        return c;
      }
      case 'dict': {
        const done = seen.get(v);
        if (done) return done as Value;
        const c = { ...v, keys: [] as Value[], values: [] as Value[] };
        seen.set(v, c);
        c.keys = v.keys.map(value);
        c.values = v.values.map(value);
        register?.(c);
        return c;
      }
      case 'object': {
        if (v.data === undefined || v.data === null || typeof v.data !== 'object') return v;
        const done = seen.get(v);
        if (done) return done as Value;
        if (v.tag === 'wsmodule') {
          const m = mods.get(v.data as ModuleResult);
          if (!m) ok = false;
          const c = { ...v, data: m };
          seen.set(v, c);
          return c;
        }
        if (v.tag === 'user-fn') {
          const d = v.data as UserFn;
          const mod = mods.get(d.mod);
          const scope = scopes.get(d.scope);
          if (!mod || !scope) ok = false;
          const c = { ...v, data: { ...d, mod, scope, params: [] as UserFn['params'] } };
          seen.set(v, c);
          c.data.params = d.params.map((p) => (p.default ? { ...p, default: value(p.default) } : p));
          return c;
        }
        // a bound method closes over its object; other objects are shared, so they must not hold
        // anything that can change (a list of items, a map of attributes)
        if (v.tag === 'method' || !immutableData(v)) ok = false;
        return v;
      }
      default:
        return v;
    }
  };
  const call = (c: CallRecord): CallRecord => {
    const done = seen.get(c);
    if (done) return done as CallRecord;
    const copy: CallRecord = {
      ...c,
      args: c.args.map(value),
      kwargs: new Map([...c.kwargs].map(([k, v]) => [k, value(v)] as const)),
    };
    seen.set(c, copy);
    return copy;
  };
  for (const m of group) {
    const copy = mods.get(m)!;
    for (const [name, b] of m.scope.vars) copy.scope.vars.set(name, { ...b, value: value(b.value) });
    for (const c of m.calls) copy.calls.push(call(c));
    if (!ok) return undefined;
  }
  return { group: group.map((m) => mods.get(m)!), mods, value, ok: () => ok };
}

/**
 * Adds the containers of an evaluation being kept (its namespaces, and what its statements' records
 * hold) to `kept`; false when one cannot be followed (see keepContainers).
 */
export function keepEvaluation(
  own: readonly ModuleResult[],
  tracker: ModuleTracker,
  kept: WeakSet<object>,
  foreign: readonly ModuleResult[] = [],
): boolean {
  // (values of the modules it read, evaluated before it, are followed too: see keepTracked)
  const group = foreign.length > 0 ? [...own, ...foreign] : own;
  for (const m of group) for (const b of m.scope.vars.values()) if (!keepContainers(b.value, kept, group)) return false;
  for (const r of tracker.records) {
    for (const b of r.before.values()) if (b && !keepContainers(b.value, kept, group)) return false;
    for (const v of r.mutated) if (!keepContainers(v, kept, group)) return false;
  }
  return true;
}

/** The value a tracked statement wrote under `name` (a name, or a key path `root\0key…`); the root's when the path cannot be followed. */
export function writtenValue(scope: Scope, name: string): Value | undefined {
  const [root, ...keys] = name.split('\0');
  const top = scope.vars.get(root!)?.value;
  let v = top;
  for (const k of keys) {
    if (v?.kind !== 'dict') return top;
    const i = v.keys.findIndex((x) => x.kind === 'str' && x.v === k);
    if (i < 0) return top;
    v = v.values[i];
  }
  return v;
}

/**
 * Adds every container reachable from `v` (and the default values of functions) to `kept`; false
 * when it reaches something copyGroup would not copy (an object holding what can change, a bound
 * method, another group's module): what changes it would not be recorded.
 */
export function keepContainers(v: Value | undefined, kept: WeakSet<object>, group: readonly ModuleResult[]): boolean {
  const stack = v ? [v] : [];
  let seen: Set<Value> | undefined;
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'list' || x.kind === 'tuple' || x.kind === 'set') {
      if (kept.has(x)) continue;
      kept.add(x);
      for (const i of x.items) stack.push(i);
    } else if (x.kind === 'dict') {
      if (kept.has(x)) continue;
      kept.add(x);
      for (const k of x.keys) stack.push(k);
      for (const i of x.values) stack.push(i);
    } else if (x.kind === 'object' && x.data !== undefined && x.data !== null && typeof x.data === 'object') {
      if (seen?.has(x)) continue;
      (seen ??= new Set()).add(x);
      if (x.tag === 'wsmodule') {
        if (!group.includes(x.data as ModuleResult)) return false;
      } else if (x.tag === 'user-fn') {
        if (!group.includes((x.data as UserFn).mod)) return false;
        for (const p of (x.data as UserFn).params) if (p.default) stack.push(p.default);
      } else if (x.tag === 'fn' && envSchemes(x.data) !== undefined) {
        // a django-environ Env: its schema (made once, never changed) holds the casts and defaults
        // given to it, which may be containers (`(list, ["a"])`); they are followed as the others
        for (const sc of envSchemes(x.data)!.values()) {
          if (sc.cast) stack.push(sc.cast);
          if (sc.default) stack.push(sc.default);
        }
        if (!immutableData({ ...(x.data as object), schemes: undefined })) return false;
      } else if (x.tag === 'method' || !immutableData(x)) return false;
    }
  }
  return true;
}

/** Whether a statement of `records` called function `fn`, or a function of the same name written in the same file (a copy of it). */
export function callsOf(records: readonly StatementRecord[], fn: Value): boolean {
  if (fn.kind !== 'object') return true;
  const d = fn.data as UserFn;
  for (const r of records)
    for (const x of r.called ?? [])
      if (
        x === fn ||
        (x.kind === 'object' && x.tag === 'user-fn' && (x.data as UserFn).name === d.name && (x.data as UserFn).file === d.file)
      )
        return true;
  return false;
}

/** The calls the statements of `tracker` added to other modules, in statement order, by module. */
export function callsByModule(tracker: ModuleTracker): Map<ModuleResult, CallRecord[]> {
  const out = new Map<ModuleResult, CallRecord[]>();
  for (const r of tracker.records)
    if (r.otherCalls !== undefined)
      for (const [m, calls] of r.otherCalls) {
        let l = out.get(m);
        if (l === undefined) out.set(m, (l = []));
        l.push(...calls);
      }
  return out;
}

/** Whether two lists hold the same calls (the same objects), in the same order. */
export function sameCalls(a: readonly CallRecord[], b: readonly CallRecord[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
