// The methods of str (lower, strip, split, replace, startswith, join, format…), computed on the
// known text; an attribute of a string is read on every evaluation of `x.strip()`.
import type { CallArgs } from '../api';
import { formatValue, pyRepr, pyText } from '../pyformat';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { a0, method, WHITESPACE } from '../library/objects';

function strResult(self: V.StrValue, args: CallArgs, s: string): Value {
  return V.derive(V.str(s), self.loc ?? args.loc, [self, ...args.pos]);
}

/**
 * The result of a method on a value the deployment gives a lookup whose code writes a default
 * (Value.writtenDefault): the same method on that default kept beside it.
 */
function keepingDefault(self: V.StrValue, result: Value, f: (s: string) => string): Value {
  const d = self.writtenDefault;
  if (d?.kind !== 'str') return result;
  return { ...result, writtenDefault: { ...V.derive(V.str(f(d.v)), d.loc, [d]), origin: 'env-default', env: d.env } };
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

export function strAttr(self: V.StrValue, name: string, loc: Loc): Value {
  const s = self.v;
  switch (name) {
    case 'lower':
    case 'casefold':
      return method(strMethodName(name), (args) => keepingDefault(self, strResult(self, args, s.toLowerCase()), (x) => x.toLowerCase()));
    case 'upper':
      return method('str.upper', (args) => keepingDefault(self, strResult(self, args, s.toUpperCase()), (x) => x.toUpperCase()));
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
      return method(strMethodName(name), (args) => strSplit(self, name, args));
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
      return method('str.replace', (args) => strReplace(self, args));
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
      return method('str.format', (args) => strFormat(self, args));
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

/** `s.split(sep, maxsplit)` and `s.rsplit(…)`. */
function strSplit(self: V.StrValue, name: string, args: CallArgs): Value {
  const s = self.v;
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
}

/** `s.replace(old, new, count)`. */
function strReplace(self: V.StrValue, args: CallArgs): Value {
  const s = self.v;
  const [o, n] = args.pos;
  if (o?.kind !== 'str' || n?.kind !== 'str') return V.unknownFrom(args.pos, 'replace() with unknown strings', args.loc, 'str');
  const count = args.pos[2] ?? args.kw.get('count');
  if (count && count.kind !== 'int') return V.unknownFrom(args.pos, 'replace() with a count the analysis cannot read', args.loc, 'str');
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
}

/** `s.format(…)`: positional, numbered and named fields, with conversions and format specs (pyformat.ts). */
function strFormat(self: V.StrValue, args: CallArgs): Value {
  const s = self.v;
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
      const v = k === '' ? args.pos[i++] : /^\d+$/.test(k) ? args.pos[Number(k)] : /^[A-Za-z_]\w*$/.test(k) ? args.kw.get(k) : undefined;
      const shown = v && conv ? (conv === '!s' ? pyText(v) : pyRepr(v)) : v ? pyText(v) : undefined;
      const t = v && shown !== undefined && spec ? (formatValue(conv ? V.str(shown) : v, spec, V.MAX_STR_LENGTH) ?? undefined) : shown;
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
}
