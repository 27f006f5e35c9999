// pydantic's settings classes, as pydantic builds them: a class deriving from BaseSettings (1.x:
// pydantic.BaseSettings; 2.x: pydantic_settings.BaseSettings) declares fields (`DEBUG: bool =
// False`, `SECRET_KEY: str`, `DB: str = Field("x", env="DB_URL")`); an instance reads each field from
// the environment variable named by the prefix and the field's name (case-insensitive unless
// `case_sensitive`), or by its `env=` (1.x) or alias (2.x), cast to the field's type, and takes the
// default when the variable is not set (defaults semantics: what production gets when it is unset).
// The facts are the library catalogue's (catalogue/libraries/configReaders.ts SETTINGS_CLASS);
// test/libdiff compares this with Debian's pydantic 1.10.
import { SETTINGS_CLASS } from '../../catalogue/libraries';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { CallArgs, EvalApi } from '../api';
import * as V from '../values';
import type { EnvRef, Loc, Value } from '../values';
import { asEnvDefault } from './environment';
import { jsonLoads } from './literals';
import { fn } from './objects';

/** A field of a settings class. */
export interface PydanticField {
  readonly name: string;
  /** The annotation as written (`bool`, `list[str]`, `Optional[int]`). */
  readonly annotation: string;
  /** Its default, when it has one (a known or unknown value); undefined: required. */
  readonly default: Value | undefined;
  /** `Field(default_factory=f)`: the default is what calling f returns, for each instance. */
  readonly factory?: Value;
  /** `env=` (1.x) names, or the alias / validation_alias (2.x): read without the prefix. */
  readonly names: readonly string[] | undefined;
  readonly loc: Loc;
}

/**
 * A computed field (pydantic 2's `@computed_field` on a property of the class): not read from the
 * environment, but `model_dump()` includes it, the property's value on the instance (pydantic
 * v2.9.2: main.py#L352 BaseModel.model_dump serialises with the model schema, whose
 * computed_fields _internal/_generate_schema.py#L740 adds; fields.py#L1240 computed_field makes a
 * bare function a property, _internal/_decorators.py#L815 ensure_property). `model_fields` does not
 * hold them (`model_computed_fields` does).
 */
export interface PydanticComputed {
  readonly name: string;
  /** The property's function, a user function; another value when the analysis cannot call it. */
  readonly fn: Value | undefined;
  readonly loc: Loc;
}

/** What a settings class says about reading the environment; `unreadable` when the analysis cannot follow it. */
export interface PydanticSchema {
  readonly version: 1 | 2;
  readonly fields: ReadonlyMap<string, PydanticField>;
  /** Its computed fields (2.x), in the order model_dump() gives them, after the fields. */
  readonly computed: ReadonlyMap<string, PydanticComputed>;
  readonly prefix: string;
  readonly caseSensitive: boolean;
  readonly unreadable?: string;
}

const BASES = new Set<string>(SETTINGS_CLASS.bases.value);

/** Whether an evaluated base is pydantic's BaseSettings (1 or 2), or a settings class of the project. */
export function settingsBaseVersion(b: Value): 1 | 2 | undefined {
  if (b.kind === 'unknown' && b.ext && BASES.has(b.ext)) return b.ext.startsWith('pydantic_settings') ? 2 : 1;
  if (b.kind === 'object' && b.tag === 'user-class') return (b.data as { pydantic?: PydanticSchema }).pydantic?.version;
  return undefined;
}

/** `Field(default, env=…, alias=…)`: what a field's right-hand side says. */
interface FieldInfo {
  readonly default?: Value;
  /** `default_factory=`: called for each instance, its result the default. */
  readonly factory?: Value;
  readonly required: boolean;
  readonly names?: string[];
  readonly unreadable?: string;
}

/** pydantic.Field / pydantic_settings' Field: a marker object the class reads. */
export function fieldCall(args: CallArgs): Value {
  const kw = (k: string): Value | undefined => args.kw.get(k);
  const first = args.pos[0] ?? kw('default');
  const info: { default?: Value; factory?: Value; required: boolean; names?: string[]; unreadable?: string } = { required: false };
  const factory = kw('default_factory');
  if (factory) info.factory = factory;
  else if (first === undefined || (first.kind === 'object' && first.tag === 'Ellipsis')) info.required = true;
  else info.default = first;
  const names: string[] = [];
  for (const k of ['env', 'validation_alias', 'alias']) {
    const v = kw(k);
    if (!v) continue;
    if (v.kind === 'str') names.push(v.v);
    else if (V.isSeq(v) && v.items.every((i) => i.kind === 'str')) names.push(...v.items.map((i) => (i as V.StrValue).v));
    else info.unreadable = `the ${k}= of a Field the analysis cannot read`;
    break;
  }
  if (names.length > 0) info.names = names;
  return V.object('pydantic.field', info satisfies FieldInfo, args.loc);
}

/** `SettingsConfigDict(env_prefix="X_")`: the dict it is. */
export function configDictCall(args: CallArgs): Value {
  return V.dict(
    [...args.kw.keys()].map((k) => V.str(k)),
    [...args.kw.values()],
    'derived',
    args.loc,
  );
}

/**
 * A literal a nested `class Config:` assigns (`env_prefix = "APP_"`, `case_sensitive = True`): its
 * body is not run (a class inside a class body), so its plain literals are read from the source.
 */
function nestedConfig(body: readonly PyNode[], src: (n: PyNode) => string): Map<string, Value> | undefined {
  const cls = body.find((n) => n.type === 'class_definition' && field(n, 'name') && src(field(n, 'name')!) === 'Config');
  const block = cls ? field(cls, 'body') : undefined;
  if (!block) return undefined;
  const out = new Map<string, Value>();
  for (const stmt of namedChildren(block)) {
    const a = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    const left = a?.type === 'assignment' ? field(a, 'left') : undefined;
    const right = a ? field(a, 'right') : undefined;
    if (left?.type !== 'identifier' || !right) continue;
    const text = src(right).trim();
    const str = /^(['"])([^'"\\\n]*)\1$/.exec(text);
    out.set(
      src(left),
      str ? V.str(str[2]!) : text === 'True' ? V.bool(true) : text === 'False' ? V.bool(false) : V.unknown(`Config.${src(left)}`),
    );
  }
  return out;
}

/** The `Config` class or `model_config` dict of a class: prefix and case sensitivity, as far as written. */
function configOf(
  attrs: ReadonlyMap<string, Value>,
  nested: ReadonlyMap<string, Value> | undefined,
): { prefix?: Value; caseSensitive?: Value; fields?: boolean } {
  if (nested && !attrs.has('model_config'))
    return { prefix: nested.get('env_prefix'), caseSensitive: nested.get('case_sensitive'), fields: nested.has('fields') };
  const mc = attrs.get('model_config');
  if (mc?.kind === 'dict') {
    const get = (k: string): Value | undefined => {
      const v = V.dictGetStr(mc, k);
      return v === null ? undefined : (v ?? V.unknown(`model_config["${k}"]`));
    };
    return { prefix: get('env_prefix'), caseSensitive: get('case_sensitive') };
  }
  if (mc !== undefined) return { prefix: V.unknown('model_config'), caseSensitive: V.unknown('model_config') };
  const cfg = attrs.get('Config');
  if (cfg?.kind === 'object' && cfg.tag === 'user-class') {
    const a = (cfg.data as { attrs?: Map<string, Value> }).attrs;
    if (!a) return { prefix: V.unknown('class Config'), caseSensitive: V.unknown('class Config') };
    return { prefix: a.get('env_prefix'), caseSensitive: a.get('case_sensitive'), fields: a.has('fields') };
  }
  return {};
}

/**
 * The schema of a settings class: its annotated names (`NAME: type [= default]`) over its bases',
 * with the prefix and case sensitivity of its config (or its bases'). `body` is the class body's
 * statements, `src` gives a node's text and `loc` its location; `attrs` is what the body bound.
 */
export function pydanticSchema(
  version: 1 | 2,
  body: readonly PyNode[],
  src: (n: PyNode) => string,
  loc: (n: PyNode) => Loc,
  attrs: ReadonlyMap<string, Value> | undefined,
  bases: readonly PydanticSchema[],
): PydanticSchema {
  const fields = new Map<string, PydanticField>();
  const computed = new Map<string, PydanticComputed>();
  let prefix = '';
  let caseSensitive = false;
  let unreadable: string | undefined;
  for (const b of bases) {
    for (const [k, v] of b.fields) fields.set(k, v);
    for (const [k, v] of b.computed) computed.set(k, v);
    prefix = b.prefix;
    caseSensitive = b.caseSensitive;
    unreadable ??= b.unreadable;
  }
  if (!attrs)
    return {
      version,
      fields,
      computed,
      prefix,
      caseSensitive,
      unreadable: unreadable ?? 'a settings class whose body the analysis cannot run',
    };
  const cfg = configOf(attrs, nestedConfig(body, src));
  if (cfg.prefix !== undefined) {
    if (cfg.prefix.kind === 'str') prefix = cfg.prefix.v;
    else unreadable ??= 'an env_prefix the analysis cannot read';
  }
  if (cfg.caseSensitive !== undefined) {
    const t = V.truthy(cfg.caseSensitive);
    if (t === undefined) unreadable ??= 'a case_sensitive the analysis cannot read';
    else caseSensitive = t;
  }
  if (cfg.fields) unreadable ??= 'a Config.fields the analysis does not read';
  for (const stmt of body) {
    const a = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    if (a?.type !== 'assignment') continue;
    const left = field(a, 'left');
    const type = field(a, 'type');
    if (left?.type !== 'identifier' || !type) continue;
    const name = src(left);
    if (name.startsWith('_') || name === 'model_config') continue;
    const annotation = src(type).replace(/\s+/g, '');
    if (/^ClassVar\b|^typing\.ClassVar\b/.test(annotation)) continue;
    const hasValue = field(a, 'right') !== undefined;
    const v = hasValue ? attrs.get(name) : undefined;
    let def: Value | undefined = v;
    let factory: Value | undefined;
    let names: string[] | undefined;
    if (v?.kind === 'object' && v.tag === 'pydantic.field') {
      const info = v.data as FieldInfo;
      def = info.required ? undefined : info.default;
      factory = info.factory;
      names = info.names;
      if (info.unreadable) unreadable ??= info.unreadable;
    }
    // pydantic 1.x: an Optional field without a value defaults to None
    if (!hasValue && version === 1 && /^(Optional\[|typing\.Optional\[)|\|None$|^None\|/.test(annotation))
      def = V.none('default', loc(left));
    fields.set(name, { name, annotation, default: def, ...(factory ? { factory } : {}), names, loc: loc(left) });
    computed.delete(name);
  }
  // @computed_field methods (2.x): the value the class body bound to the name (a property the
  // evaluator defined, statements.ts), or none the analysis can call
  for (const stmt of body) {
    if (stmt.type !== 'decorated_definition') continue;
    const decorators = stmt.children.filter((c) => c.type === 'decorator').map((c) => src(c).replace(/^@\s*/, '').trimEnd());
    if (!decorators.some((d) => COMPUTED.test(d))) continue;
    const def = field(stmt, 'definition');
    const n = def?.type === 'function_definition' ? field(def, 'name') : undefined;
    if (!n) continue;
    const name = src(n);
    const v = attrs.get(name);
    computed.set(name, { name, fn: v?.kind === 'object' && v.tag === 'user-fn' ? v : undefined, loc: loc(n) });
    fields.delete(name);
  }
  return { version, fields, computed, prefix, caseSensitive, unreadable };
}

/** pydantic's computed_field decorator, bare or called (`@computed_field(alias="x")`). */
const COMPUTED = /^(?:pydantic\.)?computed_field\b/;

/**
 * Whether a method's decorators make it a pydantic computed field the evaluator runs as a property:
 * `@computed_field` alone (pydantic makes the function a property), or over `@property` or
 * `@cached_property` (a value the instance computes once, the same for the analysis).
 */
export function isComputedField(decorators: readonly string[]): boolean {
  if (decorators.length === 0 || decorators.length > 2) return false;
  if (!/^(?:pydantic\.)?computed_field(?:\([^()]*\))?$/.test(decorators[0]!)) return false;
  return decorators.length === 1 || /^(?:property|(?:functools\.)?cached_property)$/.test(decorators[1]!);
}

/** What an annotation casts a text to; undefined for a type the analysis does not cast. */
function castOf(annotation: string): 'bool' | 'int' | 'float' | 'str' | 'json' | undefined {
  const a = annotation.replace(/^(typing\.)?Optional\[(.*)\]$/, '$2').replace(/\|None$|^None\|/, '');
  if (a === 'bool') return 'bool';
  if (a === 'int' || a === 'PositiveInt' || a === 'NonNegativeInt') return 'int';
  if (a === 'float') return 'float';
  if (a === 'str' || /^(pydantic\.)?(SecretStr|AnyUrl|AnyHttpUrl|HttpUrl|PostgresDsn|RedisDsn|EmailStr|DirectoryPath|FilePath)$/.test(a))
    return 'str';
  // lists, sets, dicts, tuples are read as JSON
  if (/^(typing\.)?(list|List|set|Set|dict|Dict|tuple|Tuple|Sequence|frozenset)\b/.test(a)) return 'json';
  return undefined;
}

function typeOf(annotation: string): V.UnknownValue['type'] {
  const c = castOf(annotation);
  if (c === 'json') return /^(typing\.)?(dict|Dict)\b/.test(annotation.replace(/^(typing\.)?Optional\[/, '')) ? 'dict' : 'list';
  return c;
}

/** A variable's text cast as pydantic casts it to the field's type; unknown when pydantic would reject it. */
function cast(annotation: string, text: Value, loc: Loc): Value {
  if (text.kind !== 'str') return text;
  const c = castOf(annotation);
  const s = text.v;
  const keep = (v: Value): Value => ({ ...v, origin: text.origin, loc: text.loc ?? loc, env: text.env });
  switch (c) {
    case 'bool': {
      const b = SETTINGS_CLASS.booleans.value;
      const l = s.trim().toLowerCase();
      if ((b.true as readonly string[]).includes(l)) return keep(V.bool(true));
      if ((b.false as readonly string[]).includes(l)) return keep(V.bool(false));
      return V.unknown(`pydantic rejects ${JSON.stringify(s.slice(0, 20))} as a bool (a ValidationError)`, loc, 'bool');
    }
    case 'int':
      return /^\s*[-+]?\d+\s*$/.test(s) ? keep(V.int(Number(s))) : V.unknown('pydantic cannot read this text as an int', loc, 'int');
    case 'float':
      return /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(s)
        ? keep(V.float(Number(s)))
        : V.unknown('pydantic cannot read this text as a float', loc, 'float');
    case 'str':
      return text;
    case 'json': {
      const j = jsonLoads(text, loc);
      return j ? keep(j) : V.unknown('pydantic reads this field as JSON, which the text is not', loc, typeOf(annotation));
    }
    default:
      return V.unknownFrom([text], `a ${annotation} field read from the environment`, loc);
  }
}

/** The environment's value of one of `names`, matched as pydantic matches them. */
function envLookup(names: readonly string[], caseSensitive: boolean, api: EvalApi): { name: string; value: Value } | undefined {
  for (const n of names) {
    const tries = caseSensitive ? [n] : [...new Set([n, n.toUpperCase(), n.toLowerCase()])];
    for (const t of tries) {
      const v = api.envValue(t);
      if (v) return { name: t, value: v };
    }
  }
  return undefined;
}

/**
 * An instance of a settings class: each field from the environment, or its default (a
 * default_factory called); then each computed field, its property called on the instance. `call`
 * calls a function of the project or a library (a raise in it makes the value unknown).
 */
export function pydanticInstance(
  cls: string,
  schema: PydanticSchema,
  args: CallArgs,
  api: EvalApi,
  call: (fn: Value, args: CallArgs, what: string) => Value,
): Value {
  if (schema.unreadable || args.unknownSplat)
    return V.unknown(`an instance of ${cls}: ${schema.unreadable ?? 'arguments the analysis cannot read'}`, args.loc);
  const values = new Map<string, Value>();
  const noArgs = (pos: Value[], loc: Loc): CallArgs => ({ pos, kw: new Map(), kwLocs: new Map(), loc, unknownSplat: false });
  for (const f of schema.fields.values()) {
    // keyword arguments of the call win over the environment (init settings come first)
    const given = args.kw.get(f.name);
    if (given) {
      values.set(f.name, given);
      continue;
    }
    const names = f.names ?? [schema.prefix + f.name];
    const display = schema.caseSensitive ? names[0]! : names[0]!.toUpperCase();
    const found = envLookup(names, schema.caseSensitive, api);
    const hasDefault = f.default !== undefined || f.factory !== undefined;
    const ref: EnvRef = { name: found?.name ?? display, style: 'unknown', hasDefault, loc: f.loc };
    if (found) {
      values.set(f.name, cast(f.annotation, found.value, found.value.loc ?? f.loc));
      continue;
    }
    if (!hasDefault || names.some((n) => api.isRequiredEnv(n) || api.isRequiredEnv(n.toUpperCase()))) {
      values.set(f.name, V.required({ ...ref, hasDefault: false }, typeOf(f.annotation), f.loc));
      continue;
    }
    // default_factory: called with no arguments for each instance (pydantic v2.9.2 fields.py#L568
    // FieldInfo.get_default: `return self.default_factory()`)
    const def = f.factory ? call(f.factory, noArgs([], f.loc), `the default_factory of ${cls}.${f.name}`) : f.default!;
    values.set(f.name, asEnvDefault(def, ref));
  }
  const computed = new Map<string, Value>();
  const instance = V.object('pydantic.settings', { cls, values, computed } satisfies PydanticInstance, args.loc);
  // computed fields: each property called with the instance as self, in the order the class
  // defines them (one that reads a later one reads it unknown)
  for (const c of schema.computed.values())
    computed.set(
      c.name,
      c.fn
        ? call(c.fn, noArgs([instance], c.loc), `the computed field ${cls}.${c.name}`)
        : V.unknown(`the computed field ${cls}.${c.name}, a property the analysis cannot run`, c.loc),
    );
  return instance;
}

interface PydanticInstance {
  readonly cls: string;
  readonly values: ReadonlyMap<string, Value>;
  /** The computed fields' values (2.x): model_dump() gives them after the fields. */
  readonly computed: ReadonlyMap<string, Value>;
}

/**
 * `settings.DEBUG` of an instance: the field's value (or the computed field's). `model_dump()` (2.x)
 * and `dict()` (1.x): a dict of every field's value, the computed fields' after; `model_fields` (2.x) and `__fields__` (1.x): a dict keyed by the
 * fields' names (their FieldInfo unknown), so code that loops over them and reads each field with
 * getattr() follows. Another attribute is unknown.
 */
export function pydanticAttr(obj: V.ObjectValue, name: string, loc: Loc): Value {
  const d = obj.data as PydanticInstance;
  const field = d.values.get(name) ?? d.computed.get(name);
  if (field) return field;
  const keys = (): Value[] => [...d.values.keys()].map((k) => V.str(k, 'derived', loc));
  // (model_dump() includes the computed fields, after the fields; model_fields does not)
  if (name === 'model_dump' || name === 'dict')
    return fn(`${d.cls}.${name}`, (args) =>
      args.pos.length > 0 || args.kw.size > 0 || args.unknownSplat
        ? V.unknown(`${d.cls}.${name}() with arguments the analysis does not follow`, args.loc, 'dict')
        : V.dict(
            [...d.values.keys(), ...d.computed.keys()].map((k) => V.str(k, 'derived', args.loc)),
            [...d.values.values(), ...d.computed.values()],
            'derived',
            args.loc,
          ),
    );
  if (name === 'model_fields' || name === '__fields__')
    return V.dict(
      keys(),
      keys().map((k) => V.unknown(`the FieldInfo of ${d.cls}.${(k as V.StrValue).v}`, loc)),
      'derived',
      loc,
    );
  return V.unknown(`${name} of ${d.cls}`, loc);
}

/** The names pydantic and pydantic_settings give settings code (BaseSettings stays a library class, recognised by name). */
export function pydanticModule(): Record<string, () => Value> {
  return {
    Field: () => fn('pydantic.Field', fieldCall),
    SettingsConfigDict: () => fn('pydantic_settings.SettingsConfigDict', configDictCall),
  };
}
