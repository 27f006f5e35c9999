// everett's ConfigManager, as it reads the environment: `config = ConfigManager.basic_config()` (the
// process environment, then a .env file) or `ConfigManager([ConfigOSEnv(), …])`, then
// `config("debug", default="false", parser=bool)`. The key is upper-cased (with its namespace);
// the value, or else the default (always a string), is parsed by the parser (bool is everett's
// parse_bool); without a default an unset key raises: a required variable. Sources the analysis
// cannot read (INI or YAML files, a dict) make the manager unknown; the .env file is left aside as
// django-environ's read_env() is (defaults semantics). Facts: catalogue/libraries/configReaders.ts
// EVERETT_FACTS, read from everett's published source (Debian does not package it).
import { EVERETT_FACTS } from '../../catalogue/libraries';
import type { CallArgs, EvalApi } from '../api';
import * as V from '../values';
import type { EnvRef, Loc, Value } from '../values';
import { asEnvDefault } from './environment';
import { fn } from './objects';

/** A parser the analysis applies: bool, int, float, str, ListOf(str|int); undefined for another. */
type Parser = { kind: 'bool' | 'int' | 'float' | 'str' } | { kind: 'list'; item: 'str' | 'int' | 'bool'; delimiter: string };

function nameOf(v: Value | undefined): string | undefined {
  return v?.kind === 'object' && (v.tag === 'fn' || v.tag === 'method') ? (v.data as { name?: string }).name : undefined;
}

function parserOf(v: Value | undefined): Parser | undefined {
  if (v === undefined) return { kind: 'str' };
  if (v.kind === 'object' && v.tag === 'everett.ListOf') return v.data as Parser;
  const n = nameOf(v);
  return n === 'bool' || n === 'int' || n === 'float' || n === 'str' ? { kind: n } : undefined;
}

function typeOf(p: Parser | undefined): V.UnknownValue['type'] {
  return p?.kind === 'list' ? 'list' : p?.kind;
}

/** A text parsed by a parser; unknown when the parser would raise. */
function parse(p: Parser, text: Value, loc: Loc): Value {
  if (text.kind !== 'str') return V.unknownFrom([text], 'a value everett parses', loc, typeOf(p));
  const keep = (v: Value): Value => ({ ...v, origin: text.origin, loc: text.loc ?? loc, env: text.env });
  const one = (kind: 'bool' | 'int' | 'float' | 'str', s: string): Value | undefined => {
    if (kind === 'str') return keep(V.str(s));
    if (kind === 'bool') {
      const b = EVERETT_FACTS.booleans.value;
      const l = s.toLowerCase();
      return (b.true as readonly string[]).includes(l)
        ? keep(V.bool(true))
        : (b.false as readonly string[]).includes(l)
          ? keep(V.bool(false))
          : undefined;
    }
    if (kind === 'int') return /^\s*[-+]?\d+\s*$/.test(s) ? keep(V.int(Number(s))) : undefined;
    return /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(s) ? keep(V.float(Number(s))) : undefined;
  };
  if (p.kind === 'list') {
    if (text.v === '') return keep(V.seq('list', []));
    const items = text.v.split(p.delimiter).map((t) => one(p.item, t));
    return items.every((i) => i !== undefined)
      ? keep(V.seq('list', items as Value[]))
      : V.unknown('everett cannot parse an item of this list', loc, 'list');
  }
  return (
    one(p.kind, text.v) ??
    V.unknown(`everett cannot parse ${JSON.stringify(text.v.slice(0, 20))} with ${p.kind} (InvalidValueError)`, loc, p.kind)
  );
}

/** `config(key, namespace=…, default=…, alternate_keys=…, parser=…, raise_error=…)`. */
function lookup(args: CallArgs, api: EvalApi): Value {
  const key = args.pos[0] ?? args.kw.get('key');
  const ns = args.pos[1] ?? args.kw.get('namespace');
  const def = args.pos[2] ?? args.kw.get('default');
  const parser = parserOf(args.kw.get('parser') ?? args.pos[5]);
  if (
    key?.kind !== 'str' ||
    (ns !== undefined && ns.kind !== 'none' && ns.kind !== 'str') ||
    args.kw.has('alternate_keys') ||
    args.unknownSplat
  )
    return V.unknownFrom(args.pos, 'an everett lookup the analysis cannot name', args.loc, typeOf(parser));
  if (!parser) return V.unknown('an everett value parsed by a parser of the project', args.loc);
  const name = (ns?.kind === 'str' && ns.v ? `${ns.v}_${key.v}` : key.v).toUpperCase();
  const ref: EnvRef = { name, style: 'unknown', hasDefault: def !== undefined, loc: args.loc };
  const set = api.envValue(name);
  if (set) return parse(parser, set, args.loc);
  const raise = args.kw.get('raise_error');
  if (def === undefined || def.kind === 'none' || api.isRequiredEnv(name)) {
    if (raise && V.truthy(raise) === false) return { ...V.object('everett.NO_VALUE', undefined, args.loc), env: [ref] };
    return V.required({ ...ref, hasDefault: false }, typeOf(parser), args.loc);
  }
  // the default is a string parsed like a set value
  return asEnvDefault(parse(parser, def, def.loc ?? args.loc), ref);
}

/** A ConfigManager over the given sources: the environment's lookup, or unknown. */
function manager(sources: Value | undefined, loc: Loc): Value {
  const items = sources && V.isSeq(sources) ? sources.items : undefined;
  if (!items) return V.unknown('an everett ConfigManager over sources the analysis cannot read', loc);
  if (!items.some((i) => i.kind === 'object' && i.tag === 'everett.source' && i.data === 'os'))
    return V.unknown('an everett ConfigManager that does not read the environment', loc);
  if (items.some((i) => !(i.kind === 'object' && i.tag === 'everett.source' && (i.data === 'os' || i.data === 'envfile'))))
    return V.unknown('an everett ConfigManager that also reads files the analysis does not read', loc);
  return fn('everett.ConfigManager()', lookup);
}

const source = (kind: string) => () =>
  fn(`everett.manager.${kind}`, (a) =>
    V.object('everett.source', kind === 'ConfigOSEnv' ? 'os' : kind === 'ConfigEnvFileEnv' ? 'envfile' : 'other', a.loc),
  );

/** everett.manager: ConfigManager (with basic_config), its sources and ListOf. */
export function everettManager(): Record<string, () => Value> {
  return {
    ConfigManager: () =>
      fn('everett.manager.ConfigManager', (a) => manager(a.pos[0] ?? a.kw.get('environments'), a.loc), {
        basic_config: fn('everett.manager.ConfigManager.basic_config', () => fn('everett.ConfigManager()', lookup)),
      }),
    ConfigOSEnv: source('ConfigOSEnv'),
    ConfigEnvFileEnv: source('ConfigEnvFileEnv'),
    ConfigDictEnv: source('ConfigDictEnv'),
    ConfigIniEnv: source('ConfigIniEnv'),
    ConfigObjEnv: source('ConfigObjEnv'),
    ListOf: () =>
      fn('everett.manager.ListOf', (a) => {
        const item = nameOf(a.pos[0]);
        const d = a.pos[1] ?? a.kw.get('delimiter');
        if ((item !== 'str' && item !== 'int' && item !== 'bool') || (d !== undefined && d.kind !== 'str'))
          return V.unknown('a ListOf the analysis cannot apply', a.loc);
        return V.object('everett.ListOf', { kind: 'list', item, delimiter: d?.kind === 'str' ? d.v : ',' } satisfies Parser, a.loc);
      }),
  };
}
