// `obj.name` for every kind of value: a module's attributes, a library object's, the methods of
// str, list, set, dict and Path (builtins/, os.ts), os.environ's and globals()'s, a file's; an
// attribute of an `ext` value extends its dotted name (`sentry_sdk.init`), one of an unknown
// string is a method giving unknown strings.
import type { CallArgs, EvalApi } from '../api';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { dictAttr } from '../builtins/dict';
import { listAttr, setAttr, withReceiver } from '../builtins/list';
import { strAttr } from '../builtins/str';
import { environAttr } from './environment';
import { stdlibModule } from './modules';
import { globalsAttr, type GlobalsData } from './namespace';
import { method } from './objects';
import { pathAttr } from './os';
import { pydanticAttr } from './pydantic';

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
    if (obj.tag === 'file') return fileAttr(name, loc, (obj.data as { path?: Value } | undefined)?.path);
    if (obj.tag === 'pydantic.settings') return pydanticAttr(obj, name, loc);
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
    // a method of the built-in types (`key.upper()` of an unknown item): its result is unknown, keeping
    // the value's provenance; any other attribute of an unknown object (`config.DEBUG` of an instance
    // the analysis cannot build) is unknown, not a method, which would read as a true value
    if (BUILTIN_METHODS.has(name)) return method(`${name}`, (args) => unknownMethodResult(obj, name, args, undefined));
    return V.unknownFrom([obj], `${name} of an unknown value`, loc);
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

/** The methods of str, bytes, list, tuple, dict and set (Python 3.12): what an unknown value's method call may be. */
const BUILTIN_METHODS = new Set(
  [
    'capitalize casefold center count decode encode endswith expandtabs find format format_map index isalnum isalpha isascii',
    'isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans',
    'partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith',
    'strip swapcase title translate upper zfill hex',
    'append clear copy extend insert pop remove reverse sort',
    'fromkeys get items keys popitem setdefault update values',
    'add difference difference_update discard intersection intersection_update isdisjoint issubset issuperset',
    'symmetric_difference symmetric_difference_update union',
  ]
    .join(' ')
    .split(' '),
);

function unknownMethodResult(obj: V.UnknownValue, name: string, args: CallArgs, type: V.UnknownValue['type']): Value {
  // the name of an environment variable narrowed to a prefix (`if key.startswith("DJANGO_")`), as
  // it is or changed by a method that keeps the prefix (`key.upper()`)
  const identity = obj.variableName && obj.names?.prefixes ? obj.names : undefined;
  const named = identity ? { names: identity, map: (v: string) => v } : obj.variableNameAs;
  if (named && args.kw.size === 0) {
    const prefixes = named.names.prefixes ?? [];
    // (an upper-case prefix stays the prefix of the upper-cased name)
    if (name === 'upper' && args.pos.length === 0 && prefixes.length > 0 && prefixes.every((p) => p === p.toUpperCase()))
      return {
        ...V.unknownFrom([obj], 'upper() of the name of an environment variable', args.loc, 'str'),
        upper: true,
        variableNameAs: { names: named.names, map: (v) => named.map(v).toUpperCase() },
      };
    // `key.removeprefix("DJANGO_")`, `key.replace("DJANGO_", "", 1)`: the rest of its name;
    // `key.replace("DJANGO_", "")`: every occurrence of the prefix removed
    const [p, by, count] = args.pos;
    if ((name === 'removeprefix' || name === 'replace') && p?.kind === 'str' && prefixes.includes(p.v)) {
      const first =
        name === 'removeprefix'
          ? args.pos.length === 1
          : by?.kind === 'str' && by.v === '' && count?.kind === 'int' && count.v === 1 && args.pos.length === 3;
      const every = name === 'replace' && by?.kind === 'str' && by.v === '' && args.pos.length === 2;
      if (first && identity) return V.afterPrefix(obj, p.v, args.loc);
      if (first) return V.afterPrefix(obj, p.v, args.loc, (v) => named.map(v).slice(p.v.length));
      if (every) return V.afterPrefix(obj, p.v, args.loc, (v) => named.map(v).split(p.v).join(''));
    }
  }
  // a string known in part (a deployment's `mysql://${DB_USER}:…`): startswith/endswith decided by
  // its known prefix or suffix where that settles every option
  if ((name === 'startswith' || name === 'endswith') && obj.knownText && args.kw.size === 0 && args.pos.length === 1) {
    const r = partlyKnownAffix(obj, name, args.pos[0]!);
    if (r !== undefined) return V.derive(V.bool(r), args.loc, [obj, ...args.pos]);
  }
  const r = V.unknownFrom([obj, ...args.pos], `${name}() of an unknown value`, args.loc, name === 'split' ? 'list' : type);
  return name === 'upper' ? { ...r, type: 'str', upper: true } : r;
}

/**
 * `s.startswith(p)` (or endswith) of a string known in part: true when the known prefix (suffix)
 * holds an option, false when it rules every option out, undefined otherwise.
 */
function partlyKnownAffix(obj: V.UnknownValue, name: 'startswith' | 'endswith', arg: Value): boolean | undefined {
  const options = arg.kind === 'tuple' ? arg.items : [arg];
  if (options.length === 0 || options.some((o) => o.kind !== 'str')) return undefined;
  const known = name === 'startswith' ? V.knownPrefix(obj) : V.knownSuffix(obj);
  let undecided = false;
  for (const o of options) {
    const p = (o as V.StrValue).v;
    const n = Math.min(p.length, known.length);
    const agrees = name === 'startswith' ? known.slice(0, n) === p.slice(0, n) : known.slice(known.length - n) === p.slice(p.length - n);
    if (!agrees) continue;
    if (known.length >= p.length) return true;
    undecided = true;
  }
  return undecided ? undefined : false;
}

function fileAttr(name: string, loc: Loc, path: Value | undefined): Value {
  // a write is recorded (a generated key written to a file is persisted: DDH106)
  if (name === 'write' || name === 'writelines')
    return method(`file.${name}`, (args, api) => {
      api.record('file.write', args);
      api.wroteFile(path, args.loc);
      return V.unknown('the count of characters written', args.loc, 'int');
    });
  if (['read', 'readline', 'readlines', 'read_text'].includes(name)) {
    return method(`file.${name}`, (args) => ({
      ...V.unknown('read from a file', args.loc, 'str'),
      producedBy: 'file' as const,
      ...(path ? { readPath: path } : {}),
    }));
  }
  if (name === '__enter__') return method('file.__enter__', (args) => V.object('file', path ? { path } : undefined, args.loc));
  return V.unknown(`file.${name}`, loc);
}
