// Values the static evaluator computes for Python expressions, with their provenance.
//
// Every value says where it was written (`loc`) and how it came to be (`origin`):
//   literal      written as a literal in the source
//   derived      computed from literals only (concatenation, f-string, method call…)
//   env-default  the default of an environment lookup, i.e. what production gets when the variable
//                is not set; also anything computed from such a default
//   env          required from the environment (a lookup without default): a *safe unknown* —
//                Django or the library refuses to start without it, so its value is not a finding
//   default      Django's global default for a setting that is never assigned
//   unknown      the evaluator cannot say (dynamic code, unknown imports, unknown conditions)
// Rules only ever decide on values whose kind is not `unknown`; `env` and `unknown` values have
// kind `unknown` and differ only in origin.

export interface Loc {
  /** Absolute path of the file. */
  readonly file: string;
  /** Offsets in the file's text (UTF-16 code units). */
  readonly start: number;
  readonly end: number;
}

export type Origin = 'literal' | 'derived' | 'env-default' | 'env' | 'default' | 'unknown';

/** An environment variable read by the value, and how. */
export interface EnvRef {
  readonly name: string;
  /**
   * The library style used for the lookup; 'deployment' for a value a deployment file sets (the
   * lookup's place is then the value in that file).
   */
  readonly style: 'os' | 'environ' | 'decouple' | 'dj-database-url' | 'unknown' | 'deployment';
  /** True when the lookup has a default (the value is then that default). */
  readonly hasDefault: boolean;
  readonly loc: Loc;
  /**
   * For a deployment value: it is the default the deployment file gives when this other variable is
   * not set where it runs (compose's `${DEBUG:-True}`).
   */
  readonly fallbackOf?: string;
  /**
   * For a deployment value: it is the value of the committed template the deployment's environment
   * file is made from ("the .env made from .env_sample"), as written unless the deployer changes it.
   */
  readonly template?: string;
  /**
   * For a deployment value: it comes from a file listing the variables for the deployer to copy by
   * hand into the platform's settings (`railway.env.example`), which nothing enforces: set where
   * deployed as far as the repository shows, but it may be forgotten, and the lookup's default then
   * runs (a fail-open default is still reported, a step lower). The file as shown.
   */
  readonly listed?: string;
}

/**
 * Something the deployment may put in place of what the code writes: a module imported after the
 * binding that the deployment supplies or may add (`from .local_settings import *`), a file exec()
 * runs that the repository does not have (`/etc/app/app.conf`), or an environment variable whose
 * absence selected the value (its default, or the branch `if "X" in os.environ: … else: …` takes
 * without it). A value with one is *as written unless overridden*: known, its place kept, and what
 * may replace it named.
 */
export interface Override {
  readonly kind: 'module' | 'file' | 'variable';
  /** As shown: `local_settings.py`, `/etc/app/app.conf`, `DATABASE_URL`. */
  readonly name: string;
  /** Where it happens: the import, the exec() call, the lookup or condition. */
  readonly loc?: Loc;
  /**
   * `supplied`: the settings do not start without it (the deployment provides it: a template is
   * committed); `optional`: the settings start without it, and a deployment may add it.
   */
  readonly presence: 'supplied' | 'optional';
  /**
   * (variables) The variable itself replaces the value (a loader such as dynaconf reads
   * `<PREFIX>_<NAME>`), rather than its absence selecting the branch that bound it.
   */
  readonly replaces?: boolean;
  /** The committed template the deployment's copy is made from (`local_settings.example.py`). */
  readonly template?: string;
  /**
   * (variables) `name` is a prefix: what may replace a setting is the variable `<name><SETTING>`
   * (a loop copying each `DJANGO_<NAME>` variable into the module), one per setting.
   */
  readonly prefix?: boolean;
  /**
   * (variables) Bound in the branch taken when the variable is set, which production is presumed
   * to take although the repository does not show the deployment setting it: why (`it imports
   * the production module`). Without the variable the other branch's values stand.
   */
  readonly presumed?: string;
}

export interface ValueBase {
  origin: Origin;
  loc?: Loc;
  /** Environment lookups the value depends on (first one first). */
  env?: readonly EnvRef[];
  /**
   * The containers a merged value may be, on the paths that kept them (`B = A` then `if x: B = B +
   * [..]`): changing it in place may change them, which the analysis then cannot follow.
   */
  aliasOf?: readonly Value[];
  /**
   * What the deployment may replace the value with (a module or file run after it that the
   * repository does not hold): set by the settings model on the values it hands to rules
   * (models/settings), never by the evaluator, which keeps it on the binding.
   */
  overriddenBy?: readonly Override[];
  /**
   * For a value the deployment gives a lookup whose code writes a default (`config("DEBUG",
   * default=True)` where compose's env file sets DEBUG): that default, an environment default, as
   * the code runs wherever a deployment forgets the variable. A fail-open default is a finding in
   * itself, whatever this deployment sets.
   */
  writtenDefault?: Value;
}

export interface StrValue extends ValueBase {
  readonly kind: 'str';
  readonly v: string;
}
export interface IntValue extends ValueBase {
  readonly kind: 'int';
  readonly v: number;
}
export interface FloatValue extends ValueBase {
  readonly kind: 'float';
  readonly v: number;
}
export interface BoolValue extends ValueBase {
  readonly kind: 'bool';
  readonly v: boolean;
}
export interface NoneValue extends ValueBase {
  readonly kind: 'none';
}
export interface SeqValue extends ValueBase {
  readonly kind: 'list' | 'tuple' | 'set';
  /** Mutable for lists and sets (mutation through aliases is Python's semantics too). */
  items: Value[];
  /**
   * Some items may be absent: branches the analysis cannot decide added them (they are unknown
   * values marked `maybeAbsent`). The other items are surely there, in this order; positions and
   * the length are not known.
   */
  optional?: boolean;
}
export interface DictValue extends ValueBase {
  readonly kind: 'dict';
  keys: Value[];
  values: Value[];
  /** The dict may hold keys the evaluator does not know (a lookup of a missing key is unknown). */
  partial?: boolean;
  /**
   * Every key it can hold, known or not, starts with this (django-environ's email_url() returns
   * EMAIL_* keys whatever the URL): `vars().update(d)` can only bind such names.
   */
  keyPrefix?: string;
}
export interface PathValue extends ValueBase {
  readonly kind: 'path';
  readonly v: string;
}
export interface UnknownValue extends ValueBase {
  readonly kind: 'unknown';
  readonly reason: string;
  /** What is known of its type, e.g. `bool` for `env.bool("DEBUG")`. */
  readonly type?: 'str' | 'bool' | 'int' | 'float' | 'list' | 'tuple' | 'dict' | 'path' | 'none';
  /**
   * Dotted name of something from outside the workspace (`sentry_sdk.init`, `myconf.X`): attribute
   * access and calls extend it, so that rules can recognise library calls.
   */
  readonly ext?: string;
  /**
   * What it is, one of these, when a condition the analysis cannot read chose between written
   * values (`"debug_toolbar…" if TOOLBAR else ...`): a filter that tells them apart (`if i is not
   * ...`) keeps "this item or nothing" rather than giving up on the whole list.
   */
  readonly oneOf?: readonly Known[];
  /** How the value was produced when that matters to rules, e.g. `generated` for random keys. */
  /**
   * `environ`: text or items holding the whole process environment (`str(os.environ)`,
   * `os.environ.items()`, `json.dumps(dict(os.environ))`): printing or logging it leaks every secret.
   */
  readonly producedBy?: 'generated' | 'file' | 'cpu-count' | 'hostname' | 'environ';
  /**
   * For `generated`: where the random source is called (`get_random_string(50)`), kept by what is
   * computed from it, so that a write of the same key to a file can be recognised.
   */
  readonly generatedAt?: Loc;
  /** An unknown string known to be upper-case (`name.upper()`): as a name, it can only bind settings-like names. */
  readonly upper?: boolean;
  /**
   * An unknown string a condition has narrowed (`if key.startswith("AWS_"):`, `if "APP_" in key:`):
   * as a name, it can only bind the names `test` accepts; `desc` says which, for notes.
   */
  readonly names?: NameSet;
  /**
   * An item of an `optional` list that only some paths add: it may not be there at all. Without
   * `possible`, it stands for any number of items the analysis cannot read (`[*unknown, …]`, an
   * append in a loop over unknown data).
   */
  readonly maybeAbsent?: boolean;
  /**
   * For a `maybeAbsent` item: what it is when it is there (`if whitenoise: MIDDLEWARE +=
   * (WhiteNoise,)`), so that a rule that needs an item's absence can still decide when every
   * possible addition is known and is not it.
   */
  readonly possible?: Known;
  /**
   * Set on a module the deployment supplies (git-ignored or absent here, with a template) and on
   * what is read from it: why its contents are unknown.
   */
  readonly supplied?: string;
  /** For a module the deployment supplies (`supplied`): what it is, as an override of the names bound before it. */
  readonly override?: Override;
  /** For a `supplied` module with a committed template: the template's file. */
  readonly templateFile?: string;
  /**
   * For a `supplied` module the deployment renders from its committed template (an Ansible template
   * task or lookup: host.renderedFrom), read: the template stands in for it, so what it does not
   * bind stays as the settings wrote it, not overridable.
   */
  readonly standsIn?: boolean;
  /** For text read from a file (`producedBy: 'file'`): the file's path, as the code gives it. */
  readonly readPath?: Value;
  /**
   * The operation that made it would have built a string or container past what the analysis
   * follows (MAX_STR_LENGTH, MAX_ITEMS): set on the value that operation returned, not on what is
   * computed from it, so that the evaluator notes it once, where it happens.
   */
  readonly tooLarge?: boolean;
  /**
   * A string known not to be empty though its text is not known: a variable the deployment sets
   * from a secret or a platform's database (true, as a condition). Not kept by what is computed
   * from it.
   */
  readonly nonEmpty?: boolean;
  /**
   * A string whose text is known in part: a deployment's value written with parts filled in where
   * it runs (`mysql://${DB_USER}:${DB_PASS}@db:3306/shop`), as its literal pieces in order with
   * `null` for each part filled in. What reads it decides only what the literal pieces decide
   * (`startswith("sqlite")` from the known prefix, a database URL's scheme); the rest stays
   * unknown. Not kept by what is computed from it.
   */
  readonly knownText?: readonly (string | null)[];
  /**
   * A variable only some of production's deployments set (set or not depending on where the app
   * runs), to this text where they set it: a lookup whose default is the same text gets that text
   * either way.
   */
  readonly maybeSetTo?: string;
  /**
   * The name of one of the process's environment variables (the loop variable of `for key in
   * os.environ`, `for key, value in os.environ.items()`); a condition may narrow it (`names`).
   */
  readonly variableName?: boolean;
  /** The value of the variable `variableName` stands for (`value` of `os.environ.items()`, `os.environ[key]`). */
  readonly variableValue?: boolean;
  /**
   * The name of an environment variable with its prefix removed (`key[len("DJANGO_"):]`,
   * `key.removeprefix("DJANGO_")` after `if key.startswith("DJANGO_"):`): as a name it binds, for
   * each variable `test` accepts, the setting the rest of the variable's name names.
   */
  readonly afterPrefix?: {
    readonly prefix: string;
    readonly test?: (variable: string) => boolean;
    /** The name it binds for a variable, when not the rest of its name (`key.upper().replace("DJANGO_", "")`). */
    readonly nameOf?: (variable: string) => string;
  };
  /**
   * The name of an environment variable (`variableName`) changed by a method that keeps its prefix
   * (`key.upper()` after `if key.startswith("DJANGO_")`): what it is for each variable the narrowing
   * accepts, so that a later `.replace("DJANGO_", "")` still binds the names the variables give.
   */
  readonly variableNameAs?: { readonly names: NameSet; readonly map: (variable: string) => string };
  /** Which view of os.environ it is (`os.environ.items()`): what a loop over it gives. */
  readonly environView?: 'items' | 'keys' | 'values';
}

/** The names an unknown string can be, as a condition narrowed it. */
export interface NameSet {
  readonly desc: string;
  readonly test: (name: string) => boolean;
  /** The prefixes a `startswith` test narrowed it to (only one such test: what `key[len(prefix):]` removes). */
  readonly prefixes?: readonly string[];
}

/** A name `str.upper()` can return (what `globals()[k.upper()] = …` can bind). */
export function isUpperName(name: string): boolean {
  return name === name.toUpperCase();
}
/** Whether a value is a random one generated when the process starts, or an unknown computed from one. */
export function isGenerated(v: Value | undefined): v is UnknownValue {
  return v?.kind === 'unknown' && v.producedBy === 'generated';
}

/** Modules, functions, classes, library objects: things with attributes or that can be called. */
export interface ObjectValue extends ValueBase {
  readonly kind: 'object';
  /** e.g. `module:os`, `fn:os.environ.get`, `environ.Env`, `decouple.Csv`, `user-function`. */
  readonly tag: string;
  readonly data?: unknown;
}

export type Value =
  | StrValue
  | IntValue
  | FloatValue
  | BoolValue
  | NoneValue
  | SeqValue
  | DictValue
  | PathValue
  | UnknownValue
  | ObjectValue;

export type Known = Exclude<Value, UnknownValue>;

// ---- constructors -------------------------------------------------------------------------

// Constructors give every value of a kind the same fields in the same order (env included, even
// when undefined), so that derived copies share one hidden class: property reads stay monomorphic.
export function str(v: string, origin: Origin = 'derived', loc?: Loc): StrValue {
  return { kind: 'str', v, origin, loc, env: undefined };
}
export function int(v: number, origin: Origin = 'derived', loc?: Loc): IntValue {
  return { kind: 'int', v, origin, loc, env: undefined };
}
export function float(v: number, origin: Origin = 'derived', loc?: Loc): FloatValue {
  return { kind: 'float', v, origin, loc, env: undefined };
}
export function bool(v: boolean, origin: Origin = 'derived', loc?: Loc): BoolValue {
  return { kind: 'bool', v, origin, loc, env: undefined };
}
export function none(origin: Origin = 'derived', loc?: Loc): NoneValue {
  return { kind: 'none', origin, loc, env: undefined };
}
export function seq(kind: 'list' | 'tuple' | 'set', items: Value[], origin: Origin = 'derived', loc?: Loc): SeqValue {
  return { kind, items, origin, loc, env: undefined };
}
export function dict(keys: Value[], values: Value[], origin: Origin = 'derived', loc?: Loc): DictValue {
  return { kind: 'dict', keys, values, origin, loc, env: undefined, partial: undefined };
}
export function path(v: string, origin: Origin = 'derived', loc?: Loc): PathValue {
  return { kind: 'path', v, origin, loc, env: undefined };
}
export function unknown(reason: string, loc?: Loc, type?: UnknownValue['type']): UnknownValue {
  return { kind: 'unknown', reason, origin: 'unknown', loc, type };
}
/** A value required from the environment (no default): safe, but its content is unknown. */
export function required(env: EnvRef, type?: UnknownValue['type'], loc?: Loc): UnknownValue {
  return { kind: 'unknown', reason: `read from the environment variable ${env.name}`, origin: 'env', loc, type, env: [env] };
}
/** Something from outside the workspace, known only by its dotted name. */
export function ext(name: string, loc?: Loc): UnknownValue {
  return { kind: 'unknown', reason: `comes from ${name.split('(')[0]}, outside the workspace`, origin: 'unknown', loc, ext: name };
}
export function object(tag: string, data?: unknown, loc?: Loc): ObjectValue {
  return { kind: 'object', tag, data, origin: 'derived', loc };
}

// ---- size limits ----------------------------------------------------------------------------

/**
 * The longest string (UTF-16 code units) and the most items (of a list, tuple, set or dict) an
 * operation builds. Settings never come near them; code that does (`A = A + A` sixty times) would
 * exhaust the process, so past them the result is unknown (see `tooLarge`).
 */
export const MAX_STR_LENGTH = 1_000_000;
export const MAX_ITEMS = 10_000;

/** The result of an operation that would pass MAX_STR_LENGTH or MAX_ITEMS. */
export function tooLarge(what: string, loc?: Loc, type?: UnknownValue['type']): UnknownValue {
  const limit =
    type === 'str' || type === 'path'
      ? `${MAX_STR_LENGTH.toLocaleString('en-US')} characters`
      : `${MAX_ITEMS.toLocaleString('en-US')} items`;
  return {
    kind: 'unknown',
    reason: `${what} longer than the analysis follows (over ${limit})`,
    origin: 'unknown',
    loc,
    type,
    tooLarge: true,
  };
}

/**
 * An item of an `optional` list standing for whatever `parts` (values the analysis cannot read)
 * add: possibly nothing, possibly several items.
 */
export function unreadableItems(parts: readonly Value[], reason: string, loc?: Loc): UnknownValue {
  return { ...unknownFrom(parts, reason, loc), maybeAbsent: true };
}

/**
 * A list or tuple of `items` that may also hold, among them, what `unreadable` adds (unknown): the
 * items written are certain, and so is their order.
 */
export function withUnreadableItems(
  kind: 'list' | 'tuple',
  head: readonly Value[],
  unreadable: readonly Value[],
  tail: readonly Value[],
  reason: string,
  origin: Origin,
  loc?: Loc,
): SeqValue {
  const items = [...head, unreadableItems(unreadable, reason, loc), ...tail];
  return {
    ...seq(kind, items, origin === 'unknown' || origin === 'env' ? 'derived' : origin, loc),
    env: combineEnv(...head, ...tail),
    optional: true,
  };
}

/** Appends `src` to `dst` item by item (spreading many items into push() overflows the stack). */
export function pushAll(dst: Value[], src: readonly Value[]): void {
  // `A += A`: src may be dst itself, so its length is taken once
  const n = src.length;
  for (let i = 0; i < n; i++) dst.push(src[i]!);
}

// ---- provenance -----------------------------------------------------------------------------

const ORIGIN_RANK: Record<Origin, number> = {
  literal: 0,
  default: 0,
  derived: 1,
  'env-default': 2,
  env: 3,
  unknown: 4,
};

/** The origin of a value computed from `parts`: the least certain one wins; literals become derived. */
export function combineOrigins(...parts: readonly Value[]): Origin {
  return worstOrigin(parts, undefined);
}

function worstOrigin(parts: readonly Value[], extra: Value | undefined): Origin {
  let worst: Origin = 'derived';
  for (let i = 0; i < parts.length; i++) if (ORIGIN_RANK[parts[i]!.origin] > ORIGIN_RANK[worst]) worst = parts[i]!.origin;
  if (extra && ORIGIN_RANK[extra.origin] > ORIGIN_RANK[worst]) worst = extra.origin;
  return worst;
}

export function combineEnv(...parts: readonly Value[]): EnvRef[] | undefined {
  return mergedEnv(parts, undefined);
}

function mergedEnv(parts: readonly Value[], extra: Value | undefined): EnvRef[] | undefined {
  let out: EnvRef[] | undefined;
  const add = (p: Value): void => {
    if (!p.env) return;
    if (!out) {
      out = [...p.env];
      return;
    }
    for (const e of p.env) if (!out.some((o) => o.name === e.name && o.loc.start === e.loc.start)) out.push(e);
  };
  for (let i = 0; i < parts.length; i++) add(parts[i]!);
  if (extra) add(extra);
  return out;
}

/** Returns a shallow copy of `value` relocated and re-origined (for results derived from `parts`). */
export function derive<T extends Value>(value: T, loc: Loc | undefined, parts: readonly Value[]): T {
  const worst = worstOrigin(parts, value);
  const env = mergedEnv(parts, value);
  // `env` is the origin of values required from the environment, which are unknown: a known
  // result computed with one (`os.environ.get("X") is None`) is derived
  const origin = value.kind === 'unknown' ? (worst === 'env' ? 'env' : 'unknown') : worst === 'env' ? 'derived' : worst;
  return { ...value, origin, loc, env };
}

/** An unknown value derived from `parts`: `env` (safe) when every unknown part is env-required. */
/** The text a partly known string (UnknownValue.knownText) starts with: its literal pieces before the first part filled in. */
export function knownPrefix(v: UnknownValue): string {
  let out = '';
  for (const p of v.knownText ?? []) {
    if (p === null) return out;
    out += p;
  }
  return out;
}

/** The text a partly known string (UnknownValue.knownText) ends with: its literal pieces after the last part filled in. */
export function knownSuffix(v: UnknownValue): string {
  let out = '';
  const parts = v.knownText ?? [];
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p === null) return out;
    out = p + out;
  }
  return out;
}

export function unknownFrom(parts: readonly Value[], reason: string, loc?: Loc, type?: UnknownValue['type']): UnknownValue {
  const unknownParts = parts.filter((p) => p.kind === 'unknown');
  const allEnv = unknownParts.length > 0 && unknownParts.every((p) => p.origin === 'env');
  const env = combineEnv(...parts);
  const first = unknownParts[0] as UnknownValue | undefined;
  // what is computed from a random value is as random (a key built from it is generated too)
  const random = unknownParts.find((p) => (p as UnknownValue).producedBy === 'generated') as UnknownValue | undefined;
  if (random)
    return {
      kind: 'unknown',
      reason: random.reason,
      origin: 'unknown',
      loc,
      type,
      env,
      producedBy: 'generated',
      generatedAt: random.generatedAt,
    };
  return {
    kind: 'unknown',
    reason: first?.reason ?? reason,
    origin: allEnv ? 'env' : 'unknown',
    loc,
    type,
    env,
  };
}

// ---- inspection -----------------------------------------------------------------------------

/** The whole process environment (`os.environ`, `dict(os.environ)`), or something made of all of it. */
export function holdsWholeEnvironment(v: Value | undefined): boolean {
  if (!v) return false;
  if (v.kind === 'object') return v.tag === 'os.environ';
  if (v.kind === 'unknown') return v.producedBy === 'environ';
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set')
    return v.items.some((i) => (i.kind === 'object' ? i.tag === 'os.environ' : i.kind === 'unknown' && i.producedBy === 'environ'));
  if (v.kind === 'dict')
    return v.values.some((i) => (i.kind === 'object' ? i.tag === 'os.environ' : i.kind === 'unknown' && i.producedBy === 'environ'));
  return false;
}

/** Text (or items) made from the whole environment: unknown, marked so that rules recognise it. */
export function wholeEnvironment(what: string, loc?: Loc, type?: UnknownValue['type']): UnknownValue {
  return { ...unknown(`${what} of the whole environment`, loc, type), producedBy: 'environ' };
}

export function isKnown(v: Value | undefined): v is Known {
  return v !== undefined && v.kind !== 'unknown';
}

/** Python truthiness; undefined when it cannot be known. */
export function truthy(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'str':
      return v.v.length > 0;
    case 'int':
    case 'float':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'list':
    case 'tuple':
    case 'set':
      if (v.optional && v.items.every((i) => i.kind === 'unknown' && i.maybeAbsent)) return undefined;
      return v.items.length > 0 ? true : v.origin === 'unknown' ? undefined : false;
    case 'dict':
      return v.keys.length > 0 ? true : v.partial ? undefined : false;
    case 'path':
      return true;
    case 'object':
      return true;
    case 'unknown':
      // (a string known in part is not empty when a literal piece of it is not)
      return (v.nonEmpty === true || v.knownText?.some((p) => p !== null && p !== '') === true) && v.type === 'str' ? true : undefined;
  }
}

/**
 * How many nodes one structural comparison or key visits at most: values can share parts
 * (`A = [A, A]` repeated), and walking such a value as a tree takes exponential time.
 */
const MAX_WALK = 100_000;

/** Python `==` for known scalar and container values; undefined when it cannot be known. */
export function pyEquals(a: Value, b: Value): boolean | undefined {
  return equalsWithin(a, b, { left: MAX_WALK });
}

function equalsWithin(a: Value, b: Value, budget: { left: number }): boolean | undefined {
  if (--budget.left < 0) return undefined;
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (a.kind === 'str' && b.kind === 'str') return a.v === b.v;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if (a.kind === 'path' && b.kind === 'path') return a.v === b.v;
  if ((a.kind === 'list' || a.kind === 'tuple') && a.kind === b.kind) {
    if (a.optional || (b as SeqValue).optional) return undefined;
    const bi = (b as SeqValue).items;
    if (a.items.length !== bi.length) return false;
    let all: boolean | undefined = true;
    for (let i = 0; i < a.items.length; i++) {
      const eq = equalsWithin(a.items[i]!, bi[i]!, budget);
      if (eq === false) return false;
      if (eq === undefined) all = undefined;
    }
    return all;
  }
  // members of the project's Enum classes are equal only to themselves
  if (a.kind === 'object' && b.kind === 'object' && a.tag === 'enum-member' && b.tag === 'enum-member') return a === b;
  if (a.kind === 'object' || b.kind === 'object') return a === b ? true : undefined;
  if (a.kind !== b.kind) return false;
  return undefined;
}

export function numeric(v: Value): number | undefined {
  if (v.kind === 'int' || v.kind === 'float') return v.v;
  if (v.kind === 'bool') return v.v ? 1 : 0;
  return undefined;
}

/** A hashable key for dict lookups, or undefined for unknown/unhashable values (or a key too long to build). */
export function keyOf(v: Value): string | undefined {
  return keyWithin(v, { left: MAX_STR_LENGTH });
}

function keyWithin(v: Value, budget: { left: number }): string | undefined {
  switch (v.kind) {
    case 'str':
      budget.left -= v.v.length;
      return budget.left < 0 ? undefined : 's:' + v.v;
    case 'int':
    case 'float':
      return 'n:' + v.v;
    case 'bool':
      return 'n:' + (v.v ? 1 : 0);
    case 'none':
      return 'none';
    case 'tuple': {
      budget.left -= 4;
      if (budget.left < 0) return undefined;
      const parts: string[] = [];
      for (const item of v.items) {
        const k = keyWithin(item, budget);
        if (k === undefined) return undefined;
        parts.push(k);
      }
      return 't:(' + parts.join(',') + ')';
    }
    default:
      return undefined;
  }
}

/**
 * Whether two hashable keys are the same dict key (as keyOf(a) === keyOf(b), without building the
 * key strings): undefined when either is not hashable.
 */
function sameKey(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'str') return b.kind === 'str' ? a.v === b.v : isHashable(b) ? false : undefined;
  if (b.kind === 'str') return isHashable(a) ? false : undefined;
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka === undefined || kb === undefined ? undefined : ka === kb;
}

function isHashable(v: Value): boolean {
  return (
    v.kind === 'str' ||
    v.kind === 'int' ||
    v.kind === 'float' ||
    v.kind === 'bool' ||
    v.kind === 'none' ||
    (v.kind === 'tuple' && keyOf(v) !== undefined)
  );
}

/** Looks up `key` in a dict: the value, `null` when surely absent, undefined when unknowable. */
export function dictGet(d: DictValue, key: Value): Value | null | undefined {
  if (!isHashable(key)) return undefined;
  let unhashable = false;
  for (let i = d.keys.length - 1; i >= 0; i--) {
    const same = sameKey(d.keys[i]!, key);
    if (same) return d.values[i]!;
    if (same === undefined) unhashable = true;
  }
  if (unhashable) return undefined;
  return d.partial ? undefined : null;
}

export function dictGetStr(d: DictValue, key: string): Value | null | undefined {
  return dictGet(d, str(key));
}

export function dictSet(d: DictValue, key: Value, value: Value): void {
  if (isHashable(key)) {
    for (let i = 0; i < d.keys.length; i++) {
      if (sameKey(d.keys[i]!, key)) {
        d.values[i] = value;
        return;
      }
    }
  }
  d.keys.push(key);
  d.values.push(value);
}

export function isStr(v: Value | undefined): v is StrValue {
  return v?.kind === 'str';
}

export function isSeq(v: Value | undefined): v is SeqValue {
  return v?.kind === 'list' || v?.kind === 'tuple' || v?.kind === 'set';
}

/** The strings of a sequence of strings, or undefined when any item is not a known string. */
export function strItems(v: Value | undefined): string[] | undefined {
  if (!isSeq(v)) return undefined;
  const out: string[] = [];
  for (const item of v.items) {
    if (item.kind !== 'str') return undefined;
    out.push(item.v);
  }
  return out;
}

/** Python-like rendering for messages about non-secret values. */
export function repr(v: Value, depth = 0): string {
  switch (v.kind) {
    case 'str':
      return JSON.stringify(v.v).replace(/^"|"$/g, "'").replace(/\\"/g, '"');
    case 'int':
      return String(v.v);
    case 'float':
      return Number.isInteger(v.v) ? v.v.toFixed(1) : String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'path':
      return `Path('${v.v}')`;
    case 'list':
    case 'tuple':
    case 'set': {
      if (depth > 2) return '…';
      const inner = v.items.slice(0, 6).map((i) => repr(i, depth + 1));
      if (v.items.length > 6) inner.push('…');
      const [o, c] = v.kind === 'list' ? ['[', ']'] : v.kind === 'tuple' ? ['(', ')'] : ['{', '}'];
      return o + inner.join(', ') + (v.kind === 'tuple' && v.items.length === 1 ? ',' : '') + c;
    }
    case 'dict':
      return depth > 1
        ? '{…}'
        : `{${v.keys
            .slice(0, 4)
            .map((k, i) => `${repr(k, depth + 1)}: ${repr(v.values[i]!, depth + 1)}`)
            .join(', ')}${v.keys.length > 4 ? ', …' : ''}}`;
    case 'object':
      return `<${v.tag}>`;
    case 'unknown':
      return '<unknown>';
  }
}

/** Python `str()` of a known scalar, or undefined. */
export function pyStr(v: Value): string | undefined {
  switch (v.kind) {
    case 'str':
      return v.v;
    case 'int':
      return String(v.v);
    case 'float':
      return Number.isInteger(v.v) ? v.v.toFixed(1) : String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'path':
      return v.v;
    default:
      return undefined;
  }
}

export function typeName(v: Value): string {
  switch (v.kind) {
    case 'str':
      return 'str';
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'bool':
      return 'bool';
    case 'none':
      return 'None';
    case 'path':
      return 'Path';
    case 'object':
      return v.tag;
    case 'unknown':
      return v.type ?? 'unknown';
    default:
      return v.kind;
  }
}

/** Deep copy of containers (used when forking namespaces for branches the evaluator cannot decide). */
export function clone<T extends Value>(v: T, seen?: Map<Value, Value>): T {
  if (v.kind !== 'list' && v.kind !== 'tuple' && v.kind !== 'set' && v.kind !== 'dict') return v; // scalars are immutable
  seen ??= new Map<Value, Value>();
  const done = seen.get(v);
  if (done) return done as T;
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') {
    const copy: SeqValue = { ...v, items: [] };
    seen.set(v, copy);
    copy.items = v.items.map((i) => clone(i, seen));
    return copy as T;
  }
  if (v.kind === 'dict') {
    const copy: DictValue = { ...v, keys: [], values: [] };
    seen.set(v, copy);
    copy.keys = v.keys.map((k) => clone(k, seen));
    copy.values = v.values.map((x) => clone(x, seen));
    return copy as T;
  }
  return v;
}

/**
 * Structural equality including provenance-insensitive comparison (for merging branches). Values
 * too large to compare within the walk limit count as different (the merge then makes them unknown).
 */
export function sameValue(a: Value, b: Value): boolean {
  return sameWithin(a, b, { left: MAX_WALK });
}

function sameWithin(a: Value, b: Value, budget: { left: number }): boolean {
  if (a === b) return true;
  if (--budget.left < 0) return false;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'unknown' || b.kind === 'unknown') return false;
  if (a.kind === 'object') return false;
  if (a.kind === 'dict') {
    const bd = b as DictValue;
    if (a.keys.length !== bd.keys.length || !a.partial !== !bd.partial) return false;
    return a.keys.every((k, i) => sameWithin(k, bd.keys[i]!, budget) && sameWithin(a.values[i]!, bd.values[i]!, budget));
  }
  if (a.kind === 'list' || a.kind === 'tuple' || a.kind === 'set') {
    const bs = b as SeqValue;
    return a.items.length === bs.items.length && a.items.every((x, i) => sameWithin(x, bs.items[i]!, budget));
  }
  return equalsWithin(a, b, budget) === true;
}

/**
 * The rest of an environment variable's name after `prefix` (UnknownValue.afterPrefix); `nameOf`
 * when what the code binds is not exactly that rest (an upper-cased name, every occurrence of the
 * prefix removed).
 */
export function afterPrefix(name: UnknownValue, prefix: string, loc: Loc, nameOf?: (variable: string) => string): Value {
  const test = name.names?.test ?? name.variableNameAs?.names.test;
  return {
    ...unknown(`the rest of the name of a ${prefix}… environment variable`, loc, 'str'),
    afterPrefix: { prefix, ...(test ? { test } : {}), ...(nameOf ? { nameOf } : {}) },
  };
}
