// Walks over values that tell what a change can reach: whether containers can be reached from
// others (reaches), which containers and locations a value holds, and whether an object's data can
// change in place at all. The reuse layer keeps and re-runs only what these walks prove unchanged.
import type { Loc, Value } from '../eval/values';

/**
 * Whether any of `targets` can be reached from `roots` (containers, and the default values of
 * functions' parameters); undefined when the walk is too large to say.
 */
export function reaches(roots: Iterable<Value>, targets: ReadonlySet<Value>, limit = 100_000): boolean | undefined {
  if (targets.size === 0) return false;
  const seen = new Set<Value>();
  const stack = [...roots];
  let left = limit;
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (targets.has(v)) return true;
    if (seen.has(v)) continue;
    seen.add(v);
    if (--left < 0) return undefined;
    switch (v.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        for (const x of v.items) stack.push(x);
        break;
      case 'dict':
        for (const x of v.keys) stack.push(x);
        for (const x of v.values) stack.push(x);
        break;
      case 'object': {
        if (v.tag === 'user-fn') {
          for (const p of (v.data as { params: readonly { default?: Value }[] }).params) if (p.default) stack.push(p.default);
          break;
        }
        const schemes = v.tag === 'fn' ? envSchemes(v.data) : undefined;
        if (schemes !== undefined) {
          // a django-environ Env: the casts and defaults of its schema
          for (const sc of schemes.values()) {
            if (sc.cast) stack.push(sc.cast);
            if (sc.default) stack.push(sc.default);
          }
          if (!immutableData({ ...(v.data as object), schemes: undefined })) return undefined;
          break;
        }
        // a bound method closes over its object; other objects must hold nothing that can change
        if (v.tag === 'method' || !immutableData(v)) return undefined;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

/**
 * Whether an object's data (a library function or module, django-environ's Env with its schema, a
 * file name…) holds no value the evaluated code can change in place: no list, dict or set value
 * (nor a tuple, which may hold one) reachable through its fields, arrays and maps, six levels deep
 * (deeper counts as holding one). Functions are library code and hold none.
 */
export function immutableData(data: unknown, depth = 0): boolean {
  if (data === null || typeof data !== 'object') return true;
  const kind = (data as { kind?: unknown }).kind;
  if (kind === 'list' || kind === 'dict' || kind === 'set' || kind === 'tuple') return false;
  if (depth > 6) return false;
  if (kind === 'object') {
    const o = data as { tag: string; data?: unknown };
    // a library module's attributes are stateless library objects (eval/library/modules.ts), made once
    if (o.tag.startsWith('module:')) return true;
    // (a library object's methods, such as an Env's, close over that object, not over a value)
    return o.tag !== 'user-fn' && o.tag !== 'wsmodule' && immutableData(o.data, depth + 1);
  }
  if (kind !== undefined) return true; // a scalar or unknown value
  const items = Array.isArray(data) ? data : data instanceof Map || data instanceof Set ? [...data.values()] : Object.values(data);
  return items.every((x) => immutableData(x, depth + 1));
}

/**
 * The schema of a django-environ Env object's data (eval/library/environment.ts, EnvObjectData: made once, never
 * changed; its casts and defaults may be containers, `(list, ["a"])`), else undefined.
 */
export function envSchemes(data: unknown): ReadonlyMap<string, { readonly cast?: Value; readonly default?: Value }> | undefined {
  const d = data as { name?: unknown; schemes?: unknown } | undefined;
  return d !== undefined && d !== null && typeof d.name === 'string' && d.name.startsWith('environ.') && d.schemes instanceof Map
    ? (d.schemes as ReadonlyMap<string, { readonly cast?: Value; readonly default?: Value }>)
    : undefined;
}

/**
 * The containers a value holds or is (its items, keys and values, a maybe-absent item's possible
 * value, the containers a merged value may be), a few levels deep; past them it holds one of
 * unknown identity: the value itself stands for it.
 */
export function containersIn(v: Value): Set<Value> {
  const out = new Set<Value>();
  const walk = (x: Value, depth: number): void => {
    if (x.aliasOf) for (const a of x.aliasOf) out.add(a);
    switch (x.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        if (x.kind !== 'tuple') out.add(x);
        if (depth > 8) out.add(x);
        else for (const i of x.items) walk(i, depth + 1);
        break;
      case 'dict':
        out.add(x);
        if (depth <= 8) {
          for (const k of x.keys) walk(k, depth + 1);
          for (const i of x.values) walk(i, depth + 1);
        }
        break;
      case 'unknown':
        if (x.possible) walk(x.possible, depth + 1);
        break;
      default:
        break;
    }
  };
  walk(v, 0);
  return out;
}

/**
 * The locations a value holds (its own, its environment lookups', its items'), a few levels deep;
 * undefined when it holds more levels, or objects (a function, a library object: what they hold
 * is not walked).
 */
export function locsIn(v: Value): Set<Loc> | undefined {
  const out = new Set<Loc>();
  let deeper = false;
  const walk = (x: Value, depth: number): void => {
    if (x.loc) out.add(x.loc);
    if (x.env) for (const e of x.env) out.add(e.loc);
    if (depth > 8) {
      deeper = true;
      return;
    }
    switch (x.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        for (const i of x.items) walk(i, depth + 1);
        break;
      case 'dict':
        for (const k of x.keys) walk(k, depth + 1);
        for (const i of x.values) walk(i, depth + 1);
        break;
      case 'unknown':
        if (x.generatedAt) out.add(x.generatedAt);
        if (x.possible) walk(x.possible, depth + 1);
        break;
      case 'object':
        deeper = true;
        break;
      default:
        break;
    }
  };
  walk(v, 0);
  return deeper ? undefined : out;
}

/** Whether a value may be or hold a container (containersIn), told without walking it. */
export function mayHold(v: Value): boolean {
  switch (v.kind) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'dict':
      return true;
    case 'unknown':
      return v.aliasOf !== undefined || v.possible !== undefined;
    default:
      return v.aliasOf !== undefined;
  }
}
