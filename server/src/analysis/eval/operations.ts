// Python value operations: binary operators, comparisons, containment, %-formatting and format
// specs, string escapes and integer literals. Pure functions of values: no namespace, no frame.
import { percentFormat } from './pyformat';
import * as V from './values';
import type { Loc, Value } from './values';
import { joinPath } from './paths';

/**
 * The type of a value of `kind` (a value kind, or a cast's name such as `int` or `bool`) in the
 * value model's terms (a set reads as a list), or undefined for other kinds.
 */
export function pyType(kind: string | undefined): V.UnknownValue['type'] {
  switch (kind) {
    case 'str':
    case 'bool':
    case 'int':
    case 'float':
    case 'list':
    case 'tuple':
    case 'dict':
    case 'path':
    case 'none':
      return kind;
    case 'set':
      return 'list';
    default:
      return undefined;
  }
}

export function typeOfKnown(v: Value): V.UnknownValue['type'] {
  return pyType(v.kind);
}

export function dedupe(items: Value[]): Value[] {
  const out: Value[] = [];
  const seen = new Set<string>();
  for (const i of items) {
    const k = V.keyOf(i);
    if (k !== undefined) {
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(i);
  }
  return out;
}

export function parseInteger(text: string, loc: Loc): Value {
  if (/^[1-9]\d{0,14}$|^0$/.test(text)) return V.int(Number(text), 'literal', loc); // the common case
  let t = text.replace(/_/g, '').replace(/[lL]$/, '');
  if (/[jJ]$/.test(t)) return V.unknown('a complex number', loc);
  let n: number;
  if (/^0[xX]/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[oO]/.test(t)) n = parseInt(t.slice(2), 8);
  else if (/^0[bB]/.test(t)) n = parseInt(t.slice(2), 2);
  else {
    if (/^0\d+$/.test(t)) t = t.replace(/^0+/, '') || '0'; // Python 2 octal is a syntax error in 3
    n = Number(t);
  }
  return Number.isFinite(n) ? V.int(n, 'literal', loc) : V.unknown('a number too large to follow', loc);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

export function unescapePython(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|\r?\n|.)/g, (m, e: string) => {
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e]!;
    if (e === '\r\n') return '';
    if (/^[0-7]{1,3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e.length > 1 && (e[0] === 'x' || e[0] === 'u' || e[0] === 'U')) {
      const cp = parseInt(e.slice(1), 16);
      // `\U00110000` is a syntax error in Python: keep it as written rather than throw.
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    // unknown escapes stay as written, as in Python; so do truncated \x, \u, \U escapes (a syntax
    // error in Python) instead of throwing
    return m;
  });
}

export function binop(op: string, a: Value, b: Value, loc: Loc): Value {
  const parts = [a, b];
  if (op === '%' && (a.kind === 'str' || a.kind === 'unknown') && V.holdsWholeEnvironment(b))
    return V.wholeEnvironment('%-formatting', loc, 'str');
  // `MIDDLEWARE + extra` with `extra` unreadable: Python only adds a list to a list (a tuple to a
  // tuple), so the items written stay there, in order, with unknown ones beside them
  if (op === '+' && (a.kind === 'unknown') !== (b.kind === 'unknown')) {
    const known = a.kind === 'unknown' ? b : a;
    const other = (a.kind === 'unknown' ? a : b) as V.UnknownValue;
    if ((known.kind === 'list' || known.kind === 'tuple') && !other.tooLarge && (other.type === undefined || other.type === known.kind)) {
      const reason = `${known.kind === 'list' ? 'a list' : 'a tuple'} concatenated with ${other.reason}`;
      const origin = V.combineOrigins(known);
      return a === known
        ? V.withUnreadableItems(known.kind, known.items, [other], [], reason, origin, loc)
        : V.withUnreadableItems(known.kind, [], [other], known.items, reason, origin, loc);
    }
  }
  if (a.kind === 'unknown' || b.kind === 'unknown') {
    const type = a.kind === 'path' || b.kind === 'path' ? 'path' : a.kind === 'str' || b.kind === 'str' ? 'str' : undefined;
    return V.unknownFrom(parts, 'computed from values the analysis cannot read', loc, type);
  }
  const na = V.numeric(a);
  const nb = V.numeric(b);
  const numResult = (n: number, forceFloat = false): Value => {
    if (!Number.isFinite(n)) return V.unknown('a number out of range', loc);
    const isFloat = forceFloat || a.kind === 'float' || b.kind === 'float';
    return V.derive(isFloat ? V.float(n) : V.int(n), loc, parts);
  };
  switch (op) {
    case '+':
      if (na !== undefined && nb !== undefined) return numResult(na + nb);
      if (a.kind === 'str' && b.kind === 'str')
        return a.v.length + b.v.length > V.MAX_STR_LENGTH ? V.tooLarge('a string', loc, 'str') : V.derive(V.str(a.v + b.v), loc, parts);
      if ((a.kind === 'list' || a.kind === 'tuple') && a.kind === b.kind) {
        const bi = (b as V.SeqValue).items;
        return a.items.length + bi.length > V.MAX_ITEMS
          ? V.tooLarge(`a ${a.kind}`, loc, a.kind)
          : { ...V.derive(V.seq(a.kind, a.items.concat(bi)), loc, parts), optional: a.optional || (b as V.SeqValue).optional || undefined };
      }
      break;
    case '-':
      if (na !== undefined && nb !== undefined) return numResult(na - nb);
      if (a.kind === 'set' && b.kind === 'set')
        return V.derive(
          V.seq(
            'set',
            a.items.filter((x) => !b.items.some((y) => V.pyEquals(x, y))),
          ),
          loc,
          parts,
        );
      break;
    case '*':
      if (na !== undefined && nb !== undefined) return numResult(na * nb);
      if (a.kind === 'str' && nb !== undefined && b.kind !== 'float') {
        const n = Math.max(0, nb);
        return a.v.length * n > V.MAX_STR_LENGTH ? V.tooLarge('a string', loc, 'str') : V.derive(V.str(a.v.repeat(n)), loc, parts);
      }
      if ((a.kind === 'list' || a.kind === 'tuple') && nb !== undefined && b.kind !== 'float') {
        const n = Math.max(0, nb);
        if (a.items.length * n > V.MAX_ITEMS) return V.tooLarge(`a ${a.kind}`, loc, a.kind);
        const items: Value[] = [];
        for (let i = 0; i < n; i++) V.pushAll(items, a.items);
        // items only some paths add stay so (maybe-absent), in each copy
        return { ...V.derive(V.seq(a.kind, items), loc, parts), optional: a.optional };
      }
      break;
    case '/':
      if (na !== undefined && nb !== undefined) return nb === 0 ? V.unknown('division by zero', loc) : numResult(na / nb, true);
      if ((a.kind === 'path' && (b.kind === 'str' || b.kind === 'path')) || (a.kind === 'str' && b.kind === 'path')) {
        return a.v.length + b.v.length >= V.MAX_STR_LENGTH
          ? V.tooLarge('a path', loc, 'path')
          : V.derive(V.path(joinPath(a.v, (b as V.StrValue | V.PathValue).v)), loc, parts);
      }
      break;
    case '//':
      if (na !== undefined && nb !== undefined) return nb === 0 ? V.unknown('division by zero', loc) : numResult(Math.floor(na / nb));
      break;
    case '%':
      if (na !== undefined && nb !== undefined) return nb === 0 ? V.unknown('division by zero', loc) : numResult(((na % nb) + nb) % nb);
      if (a.kind === 'str') {
        const s = percentFormat(a.v, b, V.MAX_STR_LENGTH, (key) => (b.kind === 'dict' ? (V.dictGetStr(b, key) ?? undefined) : undefined));
        if (s === null) return V.tooLarge('a %-formatted string', loc, 'str');
        return s === undefined ? V.unknownFrom(parts, 'a %-formatted string', loc, 'str') : V.derive(V.str(s), loc, parts);
      }
      break;
    case '**':
      if (na !== undefined && nb !== undefined) return numResult(na ** nb, nb < 0);
      break;
    case '|':
      if ((a.kind === 'int' || a.kind === 'bool') && (b.kind === 'int' || b.kind === 'bool')) {
        return a.kind === 'bool' && b.kind === 'bool' ? V.derive(V.bool(a.v || b.v), loc, parts) : numResult(na! | nb!);
      }
      if ((a.kind === 'set' && b.kind === 'set') || (a.kind === 'dict' && b.kind === 'dict')) {
        if (
          (a.kind === 'set' ? a.items.length : (a as V.DictValue).keys.length) +
            (b.kind === 'set' ? b.items.length : (b as V.DictValue).keys.length) >
          V.MAX_ITEMS
        )
          return V.tooLarge(`a ${a.kind}`, loc, a.kind === 'set' ? 'list' : 'dict');
      }
      if (a.kind === 'set' && b.kind === 'set') return V.derive(V.seq('set', dedupe(a.items.concat(b.items))), loc, parts);
      if (a.kind === 'dict' && b.kind === 'dict') {
        const d = V.dict([...a.keys], [...a.values]);
        b.keys.forEach((k, i) => V.dictSet(d, k, b.values[i]!));
        d.partial = a.partial || b.partial;
        return V.derive(d, loc, parts);
      }
      break;
    case '&':
      if (na !== undefined && nb !== undefined)
        return a.kind === 'bool' && b.kind === 'bool' ? V.derive(V.bool(a.v && b.v), loc, parts) : numResult(na & nb);
      if (a.kind === 'set' && b.kind === 'set')
        return V.derive(
          V.seq(
            'set',
            a.items.filter((x) => b.items.some((y) => V.pyEquals(x, y))),
          ),
          loc,
          parts,
        );
      break;
    case '^':
      if (na !== undefined && nb !== undefined) return numResult(na ^ nb);
      break;
    case '<<':
      if (na !== undefined && nb !== undefined) return numResult(na * 2 ** nb);
      break;
    case '>>':
      if (na !== undefined && nb !== undefined) return numResult(Math.floor(na / 2 ** nb));
      break;
  }
  return V.unknownFrom(parts, `${V.typeName(a)} ${op} ${V.typeName(b)}`, loc);
}

export function compare(op: string, a: Value, b: Value): boolean | undefined {
  switch (op) {
    case '==':
      return V.pyEquals(a, b);
    case '!=':
    case '<>': {
      const r = V.pyEquals(a, b);
      return r === undefined ? undefined : !r;
    }
    case 'is':
    case 'is not': {
      let r: boolean | undefined;
      // a value required from the environment is set: `os.environ.get("X") is None` is False
      const isSetEnv = (v: Value): boolean => v.kind === 'unknown' && v.origin === 'env' && v.type !== undefined && v.type !== 'none';
      if ((a.kind === 'none' && isSetEnv(b)) || (b.kind === 'none' && isSetEnv(a))) r = false;
      else if (a.kind === 'none' || b.kind === 'none') r = a.kind === 'unknown' || b.kind === 'unknown' ? undefined : a.kind === b.kind;
      else if (a.kind === 'bool' && b.kind === 'bool') r = a.v === b.v;
      // Ellipsis is a singleton: `x is ...`
      else if (a.kind === 'object' && b.kind === 'object' && (a.tag === 'Ellipsis' || b.tag === 'Ellipsis')) r = a.tag === b.tag;
      else if (a.kind === 'unknown' || b.kind === 'unknown') r = undefined;
      else r = a === b ? true : a.kind !== b.kind ? false : undefined;
      return r === undefined ? undefined : op === 'is' ? r : !r;
    }
    case 'in':
    case 'not in': {
      const r = contains(b, a);
      return r === undefined ? undefined : op === 'in' ? r : !r;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const na = V.numeric(a);
      const nb = V.numeric(b);
      let x: number | string | undefined;
      let y: number | string | undefined;
      if (na !== undefined && nb !== undefined) [x, y] = [na, nb];
      else if (a.kind === 'str' && b.kind === 'str') [x, y] = [a.v, b.v];
      else return undefined;
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
  return undefined;
}

export function contains(container: Value, item: Value): boolean | undefined {
  if (container.kind === 'str') {
    if (item.kind !== 'str') return undefined;
    return container.v.includes(item.v);
  }
  if (container.kind === 'list' || container.kind === 'tuple' || container.kind === 'set') {
    let unknownSeen = false;
    for (const x of container.items) {
      const eq = V.pyEquals(x, item);
      if (eq === true) return true;
      if (eq === undefined) unknownSeen = true;
    }
    return unknownSeen ? undefined : false;
  }
  if (container.kind === 'dict') {
    const got = V.dictGet(container, item);
    if (got?.kind === 'unknown' && got.maybeAbsent) return undefined;
    if (got) return true;
    return got === null ? false : undefined;
  }
  return undefined;
}
