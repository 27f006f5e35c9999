// The module's namespace as a value: globals() (and locals() or vars() at the top level), live as
// Python keeps it — iterated, it holds the names bound then; its methods (update, setdefault, get,
// keys…) read and bind the names of the module that called globals(), wherever it is passed.
import type { CallArgs, EvalApi } from '../api';
import { NAMESPACE_KEYS } from '../core';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { a0, method } from './objects';

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
export function globalsObject(api: EvalApi, loc: Loc): Value {
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

export function localsUnknown(loc: Loc): Value {
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

export function globalsAttr(name: string, loc: Loc, owner: EvalApi | undefined): Value {
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
