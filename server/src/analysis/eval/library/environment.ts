// Environment-variable loading as the libraries settings modules use do it — os.environ/os.getenv,
// django-environ, python-decouple, dj-database-url — under "defaults semantics": a lookup with a
// default yields that default (what production gets when the variable is unset); a lookup without
// one is required (Django or the library refuses to start without it), a safe unknown value.
// Each library's own casting rules are followed, quirks included (see the comments).
import type { CallArgs, EvalApi } from '../api';
import { pyType } from '../operations';
import * as V from '../values';
import type { EnvRef, Loc, Value } from '../values';
import { a0, method } from './objects';

type Style = EnvRef['style'];

/** The default of an environment lookup, marked as such. Keeps the default's own location. */
export function asEnvDefault(def: Value, env: EnvRef): Value {
  const envs = [env, ...(def.env ?? [])];
  if (def.kind === 'unknown') return { ...def, env: envs };
  return { ...V.clone(def), origin: 'env-default', env: envs, loc: def.loc ?? env.loc };
}

/**
 * The value the environment gives a lookup, with the default the code writes for it kept beside
 * (Value.writtenDefault): what runs where a deployment forgets the variable.
 */
function keepingDefault(value: Value, def: Value | undefined, env: EnvRef): Value {
  if (def === undefined || def.kind === 'none' || value.writtenDefault) return value;
  return { ...value, writtenDefault: asEnvDefault(def, { ...env, hasDefault: true }) };
}

function envRef(name: string, style: Style, hasDefault: boolean, loc: Loc): EnvRef {
  return { name, style, hasDefault, loc };
}

function arg(args: CallArgs, index: number, name: string): Value | undefined {
  return args.pos[index] ?? args.kw.get(name);
}

function nameArg(args: CallArgs, index: number, name: string, fallback?: string): string | undefined {
  const v = arg(args, index, name);
  if (v === undefined) return fallback;
  return v.kind === 'str' ? v.v : undefined;
}

// ---- os -----------------------------------------------------------------------------------------

/** os.environ.get / os.getenv. */
export function osGet(args: CallArgs, api: EvalApi): Value {
  const name = nameArg(args, 0, 'key');
  if (name === undefined) return V.unknownFrom(args.pos, 'an environment variable with an unknown name', args.loc, 'str');
  const set = api.envValue(name);
  const def = arg(args, 1, 'default');
  // set by only some of production's deployments, to the default's text: that text either way
  if (set?.kind === 'unknown' && set.maybeSetTo !== undefined && def?.kind === 'str' && def.v === set.maybeSetTo)
    return asEnvDefault(def, envRef(name, 'os', true, args.loc));
  if (set) return keepingDefault(set, def, envRef(name, 'os', true, args.loc));
  // a variable the code refuses to run without (`if not X: raise`) is set: its default never applies
  if (api.isRequiredEnv(name)) return V.required(envRef(name, 'os', false, args.loc), 'str', args.loc);
  // without a default, get() returns None when the variable is not set: an environment default of
  // None (a lookup that fails without the variable is os.environ[name])
  return asEnvDefault(def ?? V.none('derived', args.loc), envRef(name, 'os', true, args.loc));
}

/**
 * os.environ.setdefault(name, value): under defaults semantics the variable is not set, so this sets
 * it: later lookups (of any library) read `value`, an environment default.
 */
export function osSetDefault(args: CallArgs, api: EvalApi): Value {
  const name = nameArg(args, 0, 'key');
  if (name === undefined) return V.unknownFrom(args.pos, 'an environment variable with an unknown name', args.loc, 'str');
  const set = api.envValue(name);
  if (set) return set;
  const def = arg(args, 1, 'default');
  if (def === undefined || api.isRequiredEnv(name)) return V.required(envRef(name, 'os', false, args.loc), 'str', args.loc);
  const value = asEnvDefault(def, envRef(name, 'os', true, args.loc));
  api.setEnv(name, value);
  return value;
}

const ENVIRON_METHODS = new Map<string, Value>();

/** An attribute of os.environ: its methods (get, setdefault, update…), made once each. */
export function environAttr(name: string, loc: Loc): Value {
  let v = ENVIRON_METHODS.get(name);
  if (!v) {
    v = environAttrUncached(name, loc);
    if (v.kind === 'object') ENVIRON_METHODS.set(name, v);
  }
  return v;
}

function environAttrUncached(name: string, loc: Loc): Value {
  switch (name) {
    case 'get':
      return method('os.environ.get', osGet);
    case 'setdefault':
      return method('os.environ.setdefault', osSetDefault);
    case 'copy':
      return method('os.environ.copy', () => V.object('os.environ'));
    case 'items':
    case 'values':
      return method(`os.environ.${name}`, (args) => ({
        ...V.wholeEnvironment(`os.environ.${name}()`, args.loc, 'list'),
        environView: name,
      }));
    case 'keys':
      // the names only: harmless to print
      return method('os.environ.keys', (args) => ({
        ...V.unknown('the names of the whole environment', args.loc, 'list'),
        environView: 'keys' as const,
      }));
    case 'update':
      return method('os.environ.update', (args, api) => {
        const src = a0(args);
        if (src?.kind === 'dict' && !src.partial)
          src.keys.forEach((k, i) => (k.kind === 'str' ? api.setEnv(k.v, src.values[i]!) : api.setEnv(undefined, src.values[i]!)));
        else if (src) api.setEnv(undefined, src);
        for (const [k, v] of args.kw) api.setEnv(k, v);
        return V.none('derived', args.loc);
      });
    case '__setitem__':
      return method('os.environ.__setitem__', (args, api) => {
        const [k, v] = args.pos;
        if (k && v) api.setEnv(k.kind === 'str' ? k.v : undefined, v);
        return V.none('derived', args.loc);
      });
    default:
      return V.unknown(`os.environ.${name}`, loc);
  }
}

// ---- django-environ ------------------------------------------------------------------------------

interface Scheme {
  readonly cast?: Value;
  readonly default?: Value;
}

/** An `environ.Env(...)` instance. */
export interface EnvObjectData {
  readonly name: string;
  readonly impl: (args: CallArgs, api: EvalApi) => Value;
  readonly attrs: Record<string, Value>;
  readonly schemes: Map<string, Scheme>;
}

// django-environ's truthy strings (Env.BOOLEAN_TRUE_STRINGS); anything else that is not an int is False.
const ENVIRON_TRUE = new Set(['true', 'on', 'ok', 'y', 'yes', '1']);

function castName(cast: Value | undefined): string | undefined {
  if (!cast) return undefined;
  if (cast.kind === 'object' && (cast.tag === 'fn' || cast.tag === 'method')) return (cast.data as { name: string }).name;
  if (cast.kind === 'list') return 'list';
  if (cast.kind === 'tuple') return 'tuple';
  if (cast.kind === 'dict') return 'dict';
  return undefined;
}

/** django-environ's parse_value for a string read from the environment (or a parsed default). */
function environParse(value: Value, cast: string | undefined, loc: Loc): Value {
  if (value.kind !== 'str') return value;
  const s = value.v;
  switch (cast) {
    case 'bool': {
      const n = Number.parseInt(s, 10);
      const b = /^\s*-?\d+\s*$/.test(s) ? n !== 0 : ENVIRON_TRUE.has(s.toLowerCase().trim());
      return V.derive(V.bool(b), loc, [value]);
    }
    case 'int': {
      const n = Number(s);
      return Number.isInteger(n) ? V.derive(V.int(n), loc, [value]) : V.unknown(`${JSON.stringify(s)} is not an int`, loc);
    }
    case 'float':
      return Number.isFinite(Number(s)) ? V.derive(V.float(Number(s)), loc, [value]) : V.unknown('not a float', loc);
    case 'list':
    case 'tuple':
      return V.derive(
        V.seq(
          cast,
          s
            .split(',')
            .filter((x) => x !== '')
            .map((x) => V.derive(V.str(x), loc, [value])),
        ),
        loc,
        [value],
      );
    default:
      return value;
  }
}

const ENVIRON_METHOD_TYPES: Record<string, V.UnknownValue['type'] | 'url'> = {
  str: 'str',
  bool: 'bool',
  int: 'int',
  float: 'float',
  list: 'list',
  tuple: 'tuple',
  dict: 'dict',
  json: undefined,
  url: 'str',
  path: 'path',
  db_url: 'url',
  db: 'url',
  cache_url: 'url',
  cache: 'url',
  email_url: 'url',
  email: 'url',
  search_url: 'url',
};

const URL_DEFAULT_VAR: Record<string, string> = {
  db_url: 'DATABASE_URL',
  db: 'DATABASE_URL',
  cache_url: 'CACHE_URL',
  cache: 'CACHE_URL',
  email_url: 'EMAIL_URL',
  email: 'EMAIL_URL',
  search_url: 'SEARCH_URL',
};

export function makeEnviron(schemesArgs: CallArgs, notset: Value): Value {
  const schemes = new Map<string, Scheme>();
  for (const [name, spec] of schemesArgs.kw) {
    if (spec.kind === 'tuple' && spec.items.length >= 1) schemes.set(name, { cast: spec.items[0], default: spec.items[1] });
    else schemes.set(name, { cast: spec });
  }
  const data: EnvObjectData = {
    name: 'environ.Env',
    schemes,
    attrs: {},
    impl: (args, api) => environGet(data, args, api, undefined),
  };
  for (const method of Object.keys(ENVIRON_METHOD_TYPES)) {
    data.attrs[method] = V.object('method', {
      name: `environ.Env.${method}`,
      impl: (a: CallArgs, api: EvalApi) => environGet(data, a, api, method),
    });
  }
  data.attrs.read_env = V.object('fn', { name: 'environ.Env.read_env', impl: () => V.none() });
  data.attrs.NOTSET = notset;
  data.attrs.ENVIRON = V.object('os.environ');
  return V.object('fn', data);
}

/**
 * Where a lookup's default stands among its positional arguments, by library and callee as written
 * (`os.environ.get`, `env.list`, `config`): os get/getenv/setdefault(name, default); django-environ
 * env(var, cast, default) and env.list/tuple/dict(var, cast, default), its other methods
 * (var, default); decouple config(option, default, cast). Undefined when the callee takes none.
 * The evaluator reads defaults by it, and rules use it to find the default in the source.
 */
export function defaultArgIndex(style: EnvRef['style'], callee: string): number | undefined {
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  switch (style) {
    case 'os':
      return last === 'get' || last === 'getenv' || last === 'setdefault' ? 1 : undefined;
    case 'environ':
      return !callee.includes('.') || ENVIRON_CAST_FIRST.has(last) ? 2 : 1;
    case 'decouple':
      return 1;
    default:
      return undefined;
  }
}

/** django-environ's methods that take a cast before the default: env.list(var, cast, default). */
const ENVIRON_CAST_FIRST = new Set(['list', 'tuple', 'dict']);

function environGet(data: EnvObjectData, args: CallArgs, api: EvalApi, method: string | undefined): Value {
  const loc = args.loc;
  const isUrl = method !== undefined && ENVIRON_METHOD_TYPES[method] === 'url';
  const name = nameArg(args, 0, 'var', method ? URL_DEFAULT_VAR[method] : undefined);
  api.envSchemeRead?.(data, name);
  if (name === undefined) return V.unknownFrom(args.pos, 'an environment variable with an unknown name', loc);
  const scheme = data.schemes.get(name);
  // positional: env(var, cast, default) / env.str(var, default) / env.list(var, cast, default)
  let cast: string | undefined;
  if (method === undefined) cast = castName(arg(args, 1, 'cast')) ?? castName(scheme?.cast);
  else if (ENVIRON_CAST_FIRST.has(method)) cast = method;
  else cast = isUrl ? undefined : method === 'str' || method === 'url' || method === 'path' ? undefined : method;
  let explicitDefault = arg(args, defaultArgIndex('environ', method === undefined ? 'env' : `env.${method}`)!, 'default');
  if (explicitDefault?.kind === 'object' && explicitDefault.tag === 'environ.NOTSET') explicitDefault = undefined;
  const requiredByCode = api.isRequiredEnv(name);
  const def = requiredByCode ? undefined : (explicitDefault ?? scheme?.default);
  const type = method
    ? ENVIRON_METHOD_TYPES[method] === 'url'
      ? 'dict'
      : (ENVIRON_METHOD_TYPES[method] as V.UnknownValue['type'])
    : castType(cast);
  const env = envRef(name, 'environ', def !== undefined, loc);
  // a value the settings put in os.environ is read and parsed as the environment's own
  const set = api.envValue(name);
  if (set) {
    if (isUrl) return urlConfig(method!, set, env, args, loc);
    return keepingDefault(environParse(set, cast, loc), def, env);
  }
  if (def === undefined) {
    if (!requiredByCode && api.envFailureHandled('ImproperlyConfigured')) api.raise('ImproperlyConfigured', loc, env);
    if (isUrl) return urlConfig(method!, undefined, env, args, loc);
    return V.required(env, type, loc);
  }
  // django-environ returns the default as given, without casting it, unless parse_default=True.
  const parseDefault = V.truthy(args.kw.get('parse_default') ?? V.bool(false)) === true;
  let value = asEnvDefault(def, env);
  if (isUrl) return urlConfig(method!, value, env, args, loc);
  if (parseDefault) value = environParse(value, cast, loc);
  return value;
}

/** The type a cast gives (a string when there is no cast or it is not a type). */
function castType(cast: string | undefined): V.UnknownValue['type'] {
  return pyType(cast) ?? 'str';
}

function urlConfig(method: string, value: Value | undefined, env: EnvRef, args: CallArgs, loc: Loc): Value {
  const kind = method.startsWith('db') ? 'db' : method.startsWith('cache') ? 'cache' : method.startsWith('email') ? 'email' : 'search';
  if (kind === 'db') return databaseDict(value, env, loc, args.kw, args.kw.get('engine'), 'environ');
  if (kind === 'cache') return cacheDict(value, env, loc);
  if (kind === 'email') return emailDict(value, env, loc);
  return value ?? V.required(env, 'dict', loc);
}

// ---- python-decouple -------------------------------------------------------------------------------

// decouple's Config._BOOLEANS: the strings its bool cast accepts.
const DECOUPLE_BOOLEANS: Record<string, boolean> = {
  '1': true,
  yes: true,
  true: true,
  on: true,
  '0': false,
  no: false,
  false: false,
  off: false,
  '': false,
};

export function decoupleConfig(args: CallArgs, api: EvalApi): Value {
  const loc = args.loc;
  const name = nameArg(args, 0, 'option');
  if (name === undefined) return V.unknownFrom(args.pos, 'an environment variable with an unknown name', loc);
  const requiredByCode = api.isRequiredEnv(name);
  const def = requiredByCode ? undefined : arg(args, 1, 'default');
  const cast = arg(args, 2, 'cast');
  const env = envRef(name, 'decouple', def !== undefined, loc);
  const set = api.envValue(name);
  if (set) {
    const got = cast ? applyCast(cast, set, api, loc) : set;
    if (def === undefined) return got;
    // (decouple casts the default too)
    const written = asEnvDefault(def, env);
    const castDefault = cast ? applyCast(cast, written, api, loc) : written;
    if (got.writtenDefault || def.kind === 'none') return got;
    return {
      ...got,
      writtenDefault: castDefault.kind === 'unknown' ? castDefault : { ...castDefault, origin: 'env-default', env: written.env },
    };
  }
  if (def === undefined) {
    if (!requiredByCode && api.envFailureHandled('UndefinedValueError')) api.raise('UndefinedValueError', loc, env);
    // config("DATABASE_URL", cast=dj_database_url.parse): a DATABASES entry whose parts are required
    if (cast?.kind === 'object' && cast.tag === 'fn' && (cast.data as { name?: string }).name === 'dj_database_url.parse') {
      return api.call(cast, { pos: [V.required(env, 'str', loc)], kw: new Map(), kwLocs: new Map(), loc, unknownSplat: false });
    }
    return V.required(env, decoupleCastType(cast), loc);
  }
  // decouple applies the cast to the default too.
  const value = asEnvDefault(def, env);
  if (!cast) return value;
  const casted = applyCast(cast, value, api, loc);
  return casted.kind === 'unknown' ? casted : { ...casted, origin: 'env-default', env: value.env, loc: value.loc };
}

function decoupleCastType(cast: Value | undefined): V.UnknownValue['type'] {
  const n = castName(cast);
  if (cast?.kind === 'object' && cast.tag === 'decouple.Csv') return 'list';
  return castType(n);
}

/** Applies a decouple-style cast (bool, int, float, str, Csv(), Choices(), a callable) to a value. */
export function applyCast(cast: Value, value: Value, api: EvalApi, loc: Loc): Value {
  if (value.kind === 'unknown') return value;
  if (cast.kind === 'object' && cast.tag === 'decouple.Csv') return csvCast(cast.data as CsvData, value, api, loc);
  if (cast.kind === 'object' && cast.tag === 'decouple.Choices') {
    // Choices(flat=[…]) / Choices(choices=[(value, label)…]) raises ValueError for anything else
    const d = (cast.data ?? {}) as { flat?: Value; choices?: Value };
    const allowed: Value[] = [];
    let readable = true;
    const flat = d.flat ? api.iterate(d.flat) : [];
    const pairs = d.choices ? api.iterate(d.choices) : [];
    if (!flat || !pairs) readable = false;
    else {
      allowed.push(...flat);
      for (const p of pairs) {
        const kv = api.iterate(p);
        if (kv?.[0]) allowed.push(kv[0]);
        else readable = false;
      }
    }
    if (!readable || allowed.length === 0) return value;
    const hit = allowed.map((a) => V.pyEquals(a, value));
    if (hit.includes(true)) return value;
    if (hit.includes(undefined)) return V.unknownFrom([value], 'a Choices() value the analysis cannot check', loc);
    return V.unknown(`decouple rejects ${V.repr(value)}: it is not one of the Choices (it raises ValueError)`, loc);
  }
  const name = castName(cast);
  if (name === 'bool') {
    const s = V.pyStr(value)?.toLowerCase();
    if (s === undefined || !(s in DECOUPLE_BOOLEANS))
      return V.unknown(`decouple cannot cast ${V.repr(value)} to bool (it raises ValueError)`, loc, 'bool');
    return V.derive(V.bool(DECOUPLE_BOOLEANS[s]!), value.loc ?? loc, [value]);
  }
  return api.call(cast, { pos: [value], kw: new Map(), kwLocs: new Map(), loc, unknownSplat: false });
}

interface CsvData {
  readonly cast?: Value;
  readonly delimiter: string;
  readonly strip: string;
  readonly postProcess?: Value;
}

export function makeCsv(args: CallArgs): Value {
  const delimiter = nameArg(args, 1, 'delimiter') ?? ',';
  const strip = nameArg(args, 2, 'strip') ?? ' \t\n\r\v\f';
  return V.object(
    'decouple.Csv',
    { cast: arg(args, 0, 'cast'), delimiter, strip, postProcess: arg(args, 3, 'post_process') } satisfies CsvData,
    args.loc,
  );
}

function csvCast(data: CsvData, value: Value, api: EvalApi, loc: Loc): Value {
  if (value.kind === 'none') return V.derive(V.seq('list', []), value.loc ?? loc, [value]);
  const s = V.pyStr(value);
  if (s === undefined) return V.unknownFrom([value], 'a Csv() of an unknown value', loc, 'list');
  // decouple splits with shlex using the delimiter as whitespace: empty fields disappear.
  const stripChars = data.strip;
  const parts = splitOnRuns(s, data.delimiter)
    .map((p) => trimChars(p, stripChars))
    .filter((p) => p !== '');
  let items: Value[] = parts.map((p) => V.derive(V.str(p), value.loc ?? loc, [value]));
  if (data.cast) items = items.map((i) => applyCast(data.cast!, i, api, loc));
  const kind = castName(data.postProcess) === 'tuple' ? 'tuple' : 'list';
  return V.derive(V.seq(kind, items), value.loc ?? loc, [value]);
}

/** `s` split at each run of the characters (UTF-16 units) of `chars`: split(/[chars]+/), without building the pattern. */
export function splitOnRuns(s: string, chars: string): string[] {
  if (chars === '') return [s];
  const out: string[] = [];
  let from = 0;
  let i = 0;
  while (i < s.length) {
    if (!chars.includes(s[i]!)) {
      i++;
      continue;
    }
    out.push(s.slice(from, i));
    while (i < s.length && chars.includes(s[i]!)) i++;
    from = i;
  }
  out.push(s.slice(from));
  return out;
}

export function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a]!)) a++;
  while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

// ---- dj-database-url --------------------------------------------------------------------------

const DB_ENGINES: Record<string, string> = {
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  psql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  'mysql-connector': 'mysql.connector.django',
  mssql: 'sql_server.pyodbc',
  mssqlms: 'mssql',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  sqlite: 'django.db.backends.sqlite3',
  sqlite3: 'django.db.backends.sqlite3',
  oracle: 'django.db.backends.oracle',
  oraclegis: 'django.contrib.gis.db.backends.oracle',
  redshift: 'django_redshift_backend',
  cockroach: 'django_cockroachdb',
  timescale: 'timescale.db.backends.postgresql',
  timescalegis: 'timescale.db.backends.postgis',
};

export function djDatabaseUrlConfig(args: CallArgs, api: EvalApi): Value {
  void api;
  const varName = nameArg(args, 0, 'env', 'DATABASE_URL') ?? 'DATABASE_URL';
  const def = api.isRequiredEnv(varName) ? undefined : arg(args, 1, 'default');
  const env = envRef(varName, 'dj-database-url', def !== undefined && def.kind !== 'none', args.loc);
  const value = api.envValue(varName) ?? (def && def.kind !== 'none' ? asEnvDefault(def, env) : undefined);
  return databaseDict(value, env, args.loc, args.kw, arg(args, 2, 'engine'), 'dj-database-url');
}

export function djDatabaseUrlParse(args: CallArgs, api: EvalApi): Value {
  void api;
  const url = arg(args, 0, 'url');
  if (!url) return V.unknown('dj_database_url.parse() without a URL', args.loc);
  return databaseDict(url, url.env?.[0], args.loc, args.kw, arg(args, 1, 'engine'), 'dj-database-url');
}

/** The DATABASES entry a URL describes (dj-database-url / django-environ), keeping provenance. */
// Query-string options django-environ lifts to the top level of the entry (Env._DB_BASE_OPTIONS).
const ENVIRON_DB_BASE_OPTIONS = new Set([
  'CONN_MAX_AGE',
  'ATOMIC_REQUESTS',
  'AUTOCOMMIT',
  'DISABLE_SERVER_SIDE_CURSORS',
  'CONN_HEALTH_CHECKS',
]);

/** A query-string value as the library casts it: digits → int; dj-database-url also reads true/false. */
function castQueryValue(s: string, style: 'environ' | 'dj-database-url', base: V.ValueBase): Value {
  if (/^-?\d+$/.test(s)) return { ...V.int(Number(s)), ...base };
  if (style === 'dj-database-url' && /^(true|false)$/i.test(s)) return { ...V.bool(s.toLowerCase() === 'true'), ...base };
  if (style === 'environ' && /^(True|False)$/.test(s)) return { ...V.bool(s === 'True'), ...base };
  return { ...V.str(s), ...base };
}

function databaseDict(
  url: Value | undefined,
  env: EnvRef | undefined,
  loc: Loc,
  kw: ReadonlyMap<string, Value>,
  engine: Value | undefined,
  style: 'environ' | 'dj-database-url',
): Value {
  const keys: Value[] = [];
  const values: Value[] = [];
  const put = (k: string, v: Value): void => {
    keys.push(V.str(k));
    values.push(v);
  };
  // a deployment's value filled in in part where it runs (`mysql://${DB_USER}:${DB_PASS}@db/shop`):
  // what its literal text decides (the scheme, so the engine), each part filled in unknown
  const partly = url?.kind === 'unknown' && url.knownText ? partlyKnownUrl(url.knownText) : undefined;
  const known = url && url.kind === 'str' ? parseUrl(url.v) : partly?.url;
  // parts of the URL keep its provenance (a literal URL's parts are derived from it)
  const partBase = (): V.ValueBase => ({
    origin: url!.origin === 'literal' || partly ? 'derived' : url!.origin,
    loc: url!.loc ?? loc,
    env: url!.env,
  });
  const from = (s: string | undefined, part?: UrlPart): Value =>
    part && partly?.unknown.has(part)
      ? V.unknownFrom([url!], 'part of a database URL', loc)
      : s === undefined
        ? env
          ? V.required(env, 'str', loc)
          : V.unknown('part of a database URL', loc)
        : { ...V.str(s), ...partBase() };
  const topLevel: [string, Value][] = [];
  if (known) {
    const scheme = known.scheme.split('+')[0]!;
    const eng = engine?.kind === 'str' ? engine : from(DB_ENGINES[scheme] ?? `unknown scheme ${scheme}`);
    put('ENGINE', eng);
    // Both libraries drop the path's leading slash: sqlite:///db.sqlite3 is the relative
    // db.sqlite3, sqlite:////srv/db.sqlite3 the absolute /srv/db.sqlite3; no path is in-memory.
    const isSqlite = scheme.startsWith('sqlite') || scheme === 'spatialite';
    const name = known.path.replace(/^\//, '');
    put('NAME', from(isSqlite && name === '' ? ':memory:' : name, 'path'));
    put('USER', from(known.user ?? '', 'user'));
    put('PASSWORD', from(known.password ?? '', 'password'));
    put('HOST', from(known.host ?? '', 'host'));
    put('PORT', known.port && !partly?.unknown.has('port') ? { ...V.int(Number(known.port)), ...partBase() } : from('', 'port'));
  } else {
    for (const k of ['ENGINE', 'NAME', 'USER', 'PASSWORD', 'HOST', 'PORT'])
      put(k, url && url.kind !== 'str' ? V.unknownFrom([url], 'part of a database URL', loc) : from(undefined));
    if (engine?.kind === 'str') values[0] = engine;
  }
  const conn = kw.get('conn_max_age');
  put('CONN_MAX_AGE', conn ?? V.int(0, 'default', loc));
  const health = kw.get('conn_health_checks');
  put('CONN_HEALTH_CHECKS', health ?? V.bool(false, 'default', loc));
  const options = V.dict([], [], 'derived', loc);
  const ssl = kw.get('ssl_require');
  if (ssl && V.truthy(ssl) === true) V.dictSet(options, V.str('sslmode'), V.str('require', ssl.origin, ssl.loc));
  else if (ssl && V.truthy(ssl) === undefined) options.partial = true;
  if (partly?.unknown.has('query')) options.partial = true;
  else if (known?.query) {
    for (const [k, v] of known.query) {
      if (style === 'environ' && ENVIRON_DB_BASE_OPTIONS.has(k.toUpperCase()))
        topLevel.push([k.toUpperCase(), castQueryValue(v, style, partBase())]);
      else V.dictSet(options, V.str(k), castQueryValue(v, style, partBase()));
    }
  }
  put('OPTIONS', options);
  for (const [k, v] of topLevel) {
    const i = keys.findIndex((x) => x.kind === 'str' && x.v === k);
    if (i >= 0) values[i] = v;
    else put(k, v);
  }
  const d = V.dict(keys, values, url ? V.combineOrigins(url) : 'env', loc);
  if (!known) d.partial = true;
  return { ...d, env: env ? [env] : url?.env };
}

type UrlPart = 'user' | 'password' | 'host' | 'port' | 'path' | 'query';

/** Where a partly known URL's text is filled in (never a character of a value from the environment). */
const FILLED = '\u0000';

/**
 * A URL whose text is known in part (UnknownValue.knownText), parsed as the literal text decides
 * it, with the parts a piece filled in where it runs may change: the scheme only when written
 * before any such piece. A piece is taken to hold no `/`, `?` or `#`, which a URL's credentials
 * percent-encode, but may hold `@` and `:` (the host is after the URL's last `@`, as urlparse
 * reads it; the user before the first `:` of the credentials).
 */
export function partlyKnownUrl(
  pieces: readonly (string | null)[],
): { readonly url: ParsedUrl; readonly unknown: ReadonlySet<UrlPart> } | undefined {
  const text = pieces.map((p) => p ?? FILLED).join('');
  const url = parseUrl(text);
  if (!url) return undefined;
  const unknown = new Set<UrlPart>();
  const authority = /^[^:]*:\/\/([^/?#]*)/.exec(text.trim())?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  const credentials = at >= 0 ? authority.slice(0, at) : '';
  if (authority.slice(at + 1).includes(FILLED)) for (const p of ['user', 'password', 'host', 'port'] as const) unknown.add(p);
  else if (credentials.includes(FILLED)) {
    const colon = credentials.indexOf(':');
    if ((colon >= 0 ? credentials.slice(0, colon) : credentials).includes(FILLED)) unknown.add('user');
    unknown.add('password');
    if (colon >= 0 && !credentials.slice(colon + 1).includes(FILLED) && !unknown.has('user')) unknown.delete('password');
  }
  if (url.path.includes(FILLED)) unknown.add('path');
  if (url.query?.some(([k, v]) => k.includes(FILLED) || v.includes(FILLED))) unknown.add('query');
  return { url, unknown };
}

const CACHE_BACKENDS: Record<string, string> = {
  dbcache: 'django.core.cache.backends.db.DatabaseCache',
  dummycache: 'django.core.cache.backends.dummy.DummyCache',
  filecache: 'django.core.cache.backends.filebased.FileBasedCache',
  locmemcache: 'django.core.cache.backends.locmem.LocMemCache',
  memcache: 'django.core.cache.backends.memcached.PyMemcacheCache',
  pymemcache: 'django.core.cache.backends.memcached.PyMemcacheCache',
  pylibmc: 'django.core.cache.backends.memcached.PyLibMCCache',
  redis: 'django.core.cache.backends.redis.RedisCache',
  rediss: 'django.core.cache.backends.redis.RedisCache',
  rediscache: 'django_redis.cache.RedisCache',
};

function cacheDict(url: Value | undefined, env: EnvRef, loc: Loc): Value {
  const known = url?.kind === 'str' ? parseUrl(url.v) : undefined;
  if (!known) {
    const d = V.dict([V.str('BACKEND'), V.str('LOCATION')], [V.required(env, 'str', loc), V.required(env, 'str', loc)], 'env', loc);
    d.partial = true;
    return { ...d, env: [env] };
  }
  const origin = url!.origin === 'literal' ? 'env-default' : url!.origin;
  const backend = CACHE_BACKENDS[known.scheme] ?? `unknown scheme ${known.scheme}`;
  const location =
    known.scheme === 'filecache'
      ? known.path
      : known.scheme.startsWith('redis')
        ? url!.kind === 'str'
          ? url!.v
          : ''
        : `${known.host ?? ''}${known.port ? ':' + known.port : ''}`;
  return {
    ...V.dict([V.str('BACKEND'), V.str('LOCATION')], [V.str(backend, origin, url!.loc), V.str(location, origin, url!.loc)], origin, loc),
    env: [env],
  };
}

const EMAIL_BACKENDS: Record<string, string> = {
  smtp: 'django.core.mail.backends.smtp.EmailBackend',
  smtps: 'django.core.mail.backends.smtp.EmailBackend',
  'smtp+tls': 'django.core.mail.backends.smtp.EmailBackend',
  'smtp+ssl': 'django.core.mail.backends.smtp.EmailBackend',
  consolemail: 'django.core.mail.backends.console.EmailBackend',
  filemail: 'django.core.mail.backends.filebased.EmailBackend',
  memorymail: 'django.core.mail.backends.locmem.EmailBackend',
  dummymail: 'django.core.mail.backends.dummy.EmailBackend',
};

function emailDict(url: Value | undefined, env: EnvRef, loc: Loc): Value {
  const known = url?.kind === 'str' ? parseUrl(url.v) : undefined;
  if (!known) {
    const d = V.dict([V.str('EMAIL_BACKEND')], [V.required(env, 'str', loc)], 'env', loc);
    d.partial = true;
    return { ...d, env: [env], keyPrefix: 'EMAIL_' };
  }
  const origin = url!.origin === 'literal' ? 'env-default' : url!.origin;
  const s = (x: string): Value => V.str(x, origin, url!.loc);
  return {
    ...V.dict(
      ['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'].map((k) => V.str(k)),
      [
        s(EMAIL_BACKENDS[known.scheme] ?? `unknown scheme ${known.scheme}`),
        s(known.host ?? ''),
        s(known.user ?? ''),
        s(known.password ?? ''),
      ],
      origin,
      loc,
    ),
    env: [env],
    keyPrefix: 'EMAIL_',
  };
}

export interface ParsedUrl {
  readonly scheme: string;
  readonly user?: string;
  readonly password?: string;
  readonly host?: string;
  readonly port?: string;
  readonly path: string;
  readonly query?: [string, string][];
}

/** A small URL parser good enough for database/cache/email URLs (scheme://user:pass@host:port/path?q). */
export function parseUrl(url: string): ParsedUrl | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url.trim());
  if (!m) return undefined;
  const [, scheme, authority, path, query] = m;
  let user: string | undefined;
  let password: string | undefined;
  let hostport = authority!;
  const at = hostport.lastIndexOf('@');
  if (at >= 0) {
    const cred = hostport.slice(0, at);
    hostport = hostport.slice(at + 1);
    const colon = cred.indexOf(':');
    user = decodeURIComponentSafe(colon >= 0 ? cred.slice(0, colon) : cred);
    password = colon >= 0 ? decodeURIComponentSafe(cred.slice(colon + 1)) : undefined;
  }
  let host = hostport;
  let port: string | undefined;
  const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  if (pm) {
    host = pm[1]!;
    port = pm[2] || undefined;
  }
  return {
    scheme: scheme!.toLowerCase(),
    user,
    password,
    // as Python's urlparse(...).hostname, which dj-database-url and django-environ read: lower-cased
    host: decodeURIComponentSafe(host.toLowerCase()),
    port,
    path: decodeURIComponentSafe(path ?? ''),
    query: query
      ? query
          .split('&')
          .filter(Boolean)
          .map((kv) => {
            const i = kv.indexOf('=');
            return [decodeURIComponentSafe(i >= 0 ? kv.slice(0, i) : kv), decodeURIComponentSafe(i >= 0 ? kv.slice(i + 1) : '')] as [
              string,
              string,
            ];
          })
      : undefined,
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
