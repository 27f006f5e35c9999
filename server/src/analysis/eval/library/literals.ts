// Python literals read from text at run time: json.loads(), ast.literal_eval() and eval() of a
// simple literal, distutils' strtobool() — each keeping the provenance of the string it read.
import type { CallArgs } from '../api';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { a0 } from './objects';

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
export function jsonLoads(src: Value | undefined, loc: Loc): Value | undefined {
  if (src?.kind !== 'str') return undefined;
  try {
    return fromParsed(src, JSON.parse(src.v), loc);
  } catch {
    return undefined;
  }
}

/** eval()/ast.literal_eval() of a known string holding a simple literal: True, 3, "x", [1, "a"]… */
export function literalEval(src: Value | undefined, loc: Loc): Value | undefined {
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
export function strtobool(args: CallArgs): Value {
  const v = a0(args);
  if (v?.kind !== 'str') return V.unknownFrom(args.pos, 'strtobool() of a value the analysis cannot read', args.loc, 'int');
  const s = v.v.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(s)) return V.derive(V.int(1), v.loc ?? args.loc, [v]);
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(s)) return V.derive(V.int(0), v.loc ?? args.loc, [v]);
  return V.unknown(`strtobool(${V.repr(v)}) raises ValueError`, args.loc, 'int');
}
