// Whether two values are the same, for what a kept evaluation gave and what running again gives:
// kind, value, provenance and locations, a few levels deep (sameValue: objects the same library
// object; sameResult: every field, objects and aliases by identity).
import type * as V from '../eval/values';
import type { Loc, Value } from '../eval/values';

export function sameLoc(a: Loc | undefined, b: Loc | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.file === b.file && a.start === b.start && a.end === b.end);
}

/** Whether two lists of environment lookups are the same, in order (names, styles, defaults, locations). */
export function sameEnvRefs(a: readonly V.EnvRef[], b: readonly V.EnvRef[]): boolean {
  if (a.length !== b.length) return false;
  for (let x = 0; x < a.length; x++) {
    const p = a[x]!;
    const q = b[x]!;
    if (
      p.name !== q.name ||
      p.style !== q.style ||
      p.hasDefault !== q.hasDefault ||
      p.fallbackOf !== q.fallbackOf ||
      p.template !== q.template ||
      !sameLoc(p.loc, q.loc)
    )
      return false;
  }
  return true;
}

/** Whether two values are the same (kind, value, provenance, locations; objects the same library object), a few levels deep. */
export function sameValue(a: Value | undefined, b: Value | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || depth > 8) return false;
  if (a.kind !== b.kind || a.origin !== b.origin || !sameLoc(a.loc, b.loc) || a.aliasOf || b.aliasOf) return false;
  // (no field the comparison below does not look at)
  if (Object.keys(a).join() !== Object.keys(b).join()) return false;
  if (!sameEnvRefs(a.env ?? [], b.env ?? [])) return false;
  switch (a.kind) {
    case 'list':
    case 'tuple':
    case 'set': {
      const bi = (b as typeof a).items;
      return (
        a.optional === (b as typeof a).optional && a.items.length === bi.length && a.items.every((x, i) => sameValue(x, bi[i], depth + 1))
      );
    }
    case 'dict': {
      const d = b as typeof a;
      return (
        a.partial === d.partial &&
        a.keyPrefix === d.keyPrefix &&
        a.keys.length === d.keys.length &&
        a.keys.every((x, i) => sameValue(x, d.keys[i], depth + 1) && sameValue(a.values[i], d.values[i], depth + 1))
      );
    }
    case 'object':
      return a.tag === (b as typeof a).tag && a.data === (b as typeof a).data;
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
    case 'path':
      return a.v === (b as typeof a).v;
    case 'none':
      return true;
    default:
      return false; // (an unknown value: taken as changed)
  }
}

/**
 * Whether two results are the same: kind, value, provenance, locations and every other field, the
 * containers' items compared in turn (a few levels deep), objects and what a value may be (aliasOf)
 * by identity.
 */
export function sameResult(a: Value, b: Value, depth: number): boolean {
  if (a === b) return true;
  if (depth > 8 || a.kind !== b.kind || a.origin !== b.origin || !sameLoc(a.loc, b.loc)) return false;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  // (the same fields set on both)
  let na = 0;
  let nb = 0;
  for (const k in ra) if (ra[k] !== undefined) na++;
  for (const k in rb) if (rb[k] !== undefined) nb++;
  if (na !== nb) return false;
  for (const k in ra) {
    const x = ra[k];
    const y = rb[k];
    if (x === y || k === 'loc') continue;
    if (x === undefined || y === undefined) return false;
    switch (k) {
      case 'env':
        if (!sameEnvRefs(x as readonly V.EnvRef[], y as readonly V.EnvRef[])) return false;
        break;
      case 'items':
      case 'keys':
      case 'values': {
        const p = x as readonly Value[];
        const q = y as readonly Value[];
        if (p.length !== q.length) return false;
        for (let i = 0; i < p.length; i++) if (!sameResult(p[i]!, q[i]!, depth + 1)) return false;
        break;
      }
      case 'aliasOf': {
        const p = x as readonly Value[];
        const q = y as readonly Value[];
        if (p.length !== q.length || p.some((v, i) => v !== q[i])) return false;
        break;
      }
      case 'possible':
        if (!sameResult(x as Value, y as Value, depth + 1)) return false;
        break;
      case 'generatedAt':
        if (!sameLoc(x as Loc, y as Loc)) return false;
        break;
      default:
        // strings, numbers, flags: equal above; objects (a function's data, a narrowed name set) by identity
        return false;
    }
  }
  return true;
}
