// environs, as it reads the environment: `env = Env()` (or environs' own `env`), then `env("X",
// default)`, `env.bool("DEBUG", default=False)`, `env.str`, `env.int`, `env.list`, `env.json`,
// `env.dj_db_url`… A variable that is set is parsed by the method (marshmallow's fields: env.bool
// reads only the texts marshmallow's Boolean knows); one that is not set gives the default *as
// given* (not parsed: `env.bool("DEBUG", default="False")` is the string "False"), except for
// dj_db_url / dj_email_url / dj_cache_url, which parse their default too; without a default an
// unset variable stops the settings (environs is eager): a required variable. The facts are the
// library catalogue's (catalogue/libraries/configReaders.ts ENVIRONS_FACTS), read from environs'
// published source: Debian does not package it.
import { ENVIRONS_FACTS } from '../../catalogue/libraries';
import type { CallArgs, EvalApi } from '../api';
import * as V from '../values';
import type { EnvRef, Loc, Value } from '../values';
import { asEnvDefault, djDatabaseUrlParse } from './environment';
import { jsonLoads } from './literals';
import { fn } from './objects';

type Kind = 'raw' | 'str' | 'bool' | 'int' | 'float' | 'list' | 'dict' | 'json' | 'path' | 'other' | 'db' | 'url-dict';

/** environs' methods, by what they give. */
const METHODS: Record<string, Kind> = {
  str: 'str',
  bool: 'bool',
  int: 'int',
  float: 'float',
  decimal: 'float',
  list: 'list',
  dict: 'dict',
  json: 'json',
  path: 'path',
  url: 'other',
  uuid: 'other',
  datetime: 'other',
  date: 'other',
  time: 'other',
  timedelta: 'other',
  log_level: 'other',
  enum: 'other',
  dj_db_url: 'db',
  dj_email_url: 'url-dict',
  dj_cache_url: 'url-dict',
};

const TYPES: Partial<Record<Kind, V.UnknownValue['type']>> = {
  raw: 'str',
  str: 'str',
  bool: 'bool',
  int: 'int',
  float: 'float',
  list: 'list',
  dict: 'dict',
  path: 'path',
  db: 'dict',
  'url-dict': 'dict',
};

/** A variable's text parsed as the method parses it; unknown when environs would reject it. */
function parse(kind: Kind, text: Value, args: CallArgs, api: EvalApi, loc: Loc): Value {
  if (text.kind !== 'str')
    return kind === 'db' || kind === 'url-dict' ? V.unknownFrom([text], 'a URL from the environment', loc, 'dict') : text;
  const s = text.v;
  const keep = (v: Value): Value => ({ ...v, origin: text.origin, loc: text.loc ?? loc, env: text.env });
  switch (kind) {
    case 'raw':
    case 'str':
      return text;
    case 'bool': {
      const b = ENVIRONS_FACTS.booleans.value;
      if ((b.true as readonly string[]).includes(s)) return keep(V.bool(true));
      if ((b.false as readonly string[]).includes(s)) return keep(V.bool(false));
      return V.unknown(`environs rejects ${JSON.stringify(s.slice(0, 20))} as a bool (EnvValidationError)`, loc, 'bool');
    }
    case 'int':
      return /^\s*[-+]?\d+\s*$/.test(s) ? keep(V.int(Number(s))) : V.unknown('environs cannot read this text as an int', loc, 'int');
    case 'float':
      return /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(s)
        ? keep(V.float(Number(s)))
        : V.unknown('environs cannot read this text as a number', loc, 'float');
    case 'list': {
      if (args.kw.has('subcast') || args.pos[2] !== undefined)
        return V.unknownFrom([text], 'a list environs casts item by item', loc, 'list');
      const d = args.kw.get('delimiter');
      const delimiter = d === undefined ? ENVIRONS_FACTS.listDelimiter.value : d.kind === 'str' ? d.v : undefined;
      if (delimiter === undefined || delimiter === '')
        return V.unknownFrom([text], 'a list split on a delimiter the analysis cannot read', loc, 'list');
      const parts = s === '' ? [] : s.split(delimiter);
      return keep(
        V.seq(
          'list',
          parts.map((p) => ({ ...V.str(p), origin: text.origin, loc: text.loc ?? loc, env: text.env })),
        ),
      );
    }
    case 'json': {
      const j = jsonLoads(text, loc);
      return j ? keep(j) : V.unknown('environs cannot read this text as JSON', loc);
    }
    case 'db': {
      // dj_db_url(name, default, **kwargs) is dj_database_url.parse(value, **kwargs) (conn_max_age, ssl_require…)
      const kw = new Map([...args.kw].filter(([k]) => k !== 'name' && k !== 'default'));
      return djDatabaseUrlParse({ pos: [text], kw, kwLocs: args.kwLocs, loc, unknownSplat: args.unknownSplat }, api);
    }
    default:
      return V.unknownFrom([text], 'a value environs parses', loc, TYPES[kind]);
  }
}

/** One lookup: `env.<method>(name, default, …)` or `env(name, default)`. */
function lookup(kind: Kind, prefix: string, fileAware: boolean, args: CallArgs, api: EvalApi): Value {
  const nameArg = args.pos[0] ?? args.kw.get('name');
  if (nameArg?.kind !== 'str') return V.unknownFrom(args.pos, 'an environment variable with an unknown name', args.loc, TYPES[kind]);
  const name = prefix + nameArg.v;
  const def = args.pos[1] ?? args.kw.get('default');
  const ref: EnvRef = { name, style: 'unknown', hasDefault: def !== undefined, loc: args.loc };
  // FileAwareEnv reads the file NAME_FILE names first: its content is the deployment's
  const file = fileAware ? api.envValue(`${name}_FILE`) : undefined;
  if (file) return V.required({ ...ref, name: `${name}_FILE`, hasDefault: false }, TYPES[kind], args.loc);
  const set = api.envValue(name);
  if (set) return parse(kind, set, args, api, args.loc);
  if (def === undefined || api.isRequiredEnv(name)) return V.required({ ...ref, hasDefault: false }, TYPES[kind], args.loc);
  // dj_db_url and its kind parse the default like a set value; the others return it as given
  // (the default text is marked first, so that each part of the entry says where it came from)
  if (kind === 'db' || kind === 'url-dict') return parse(kind, asEnvDefault(def, ref), args, api, args.loc);
  return asEnvDefault(def, ref);
}

/** An `Env()`: callable (the raw lookup), with a method for each parser. */
export function makeEnvirons(args: CallArgs, fileAware = false): Value {
  const p = args.kw.get('prefix');
  if (p !== undefined && p.kind !== 'str' && p.kind !== 'none')
    return V.unknown('an environs Env with a prefix the analysis cannot read', args.loc);
  if (fileAware && args.kw.has('file_suffix')) return V.unknown('a FileAwareEnv with a file suffix of its own', args.loc);
  return envObject(p?.kind === 'str' ? p.v : '', fileAware);
}

function envObject(prefix: string, fileAware = false): Value {
  const attrs: Record<string, Value> = {};
  for (const [m, kind] of Object.entries(METHODS)) attrs[m] = fn(`environs.Env.${m}`, (a, api) => lookup(kind, prefix, fileAware, a, api));
  attrs.read_env = fn('environs.Env.read_env', (a) => V.none('derived', a.loc));
  attrs.seal = fn('environs.Env.seal', (a) => V.none('derived', a.loc));
  attrs.prefixed = fn('environs.Env.prefixed', (a) => V.unknown('an environs prefixed() block', a.loc));
  return fn('environs.Env()', (a, api) => lookup('raw', prefix, fileAware, a, api), attrs);
}

/** The environs module: Env, FileAwareEnv (which reads *_FILE variables first), and its ready-made `env`. */
export function environsModule(): Record<string, () => Value> {
  return {
    Env: () => fn('environs.Env', (args) => makeEnvirons(args)),
    FileAwareEnv: () => fn('environs.FileAwareEnv', (args) => makeEnvirons(args, true)),
    env: () => envObject(''),
  };
}
