// The methods of dict (get, setdefault, update, pop, keys, items…), changing the dict in place as
// Python does.
import type { EvalApi } from '../api';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { a0, method } from '../library/objects';

export function dictAttr(self: V.DictValue, name: string, loc: Loc, api: EvalApi): Value {
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
