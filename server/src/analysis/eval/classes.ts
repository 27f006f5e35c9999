// The project's own classes as namespaces: a class body runs once, when the class is defined, and
// its names become the class's attributes (`SERVICE.DEBUG`, `Setup.configure(...)` through a
// static or class method). Enum classes also have members: iterating the class gives them in
// order, each with its `.name` and `.value`, and two members are equal only when they are the same.
import * as V from './values';
import type { Loc, Value } from './values';
import type { PydanticSchema } from './library/pydantic';

/** What a `user-class` object holds. */
export interface UserClass {
  readonly name: string;
  /** Derives from django-configurations' Configuration. */
  readonly configurations: boolean;
  /** Its attributes (its body's names over its bases'), when the analysis read them all. */
  readonly attrs: Map<string, Value> | undefined;
  readonly loc: Loc;
  /**
   * For a django-configurations class: the classes among its bases (and its readable bases' bases)
   * imported from outside the repository (`composed_configuration.HttpsMixin`), which may set any
   * setting the class and its readable bases do not set.
   */
  readonly unreadBases?: readonly string[];
  /** Some base is not a class of the project nor `object`: an attribute not found may come from it. */
  readonly foreignBase?: boolean;
  /** An Enum class (its public values are members). */
  readonly enum?: boolean;
  /** For an Enum class whose members are all known: its members, in order (what iterating it gives). */
  readonly items?: readonly Value[];
  /** A pydantic settings class: its fields and how an instance reads them (library/pydantic.ts). */
  readonly pydantic?: PydanticSchema;
}

/** What an `enum-member` object holds. */
export interface EnumMember {
  readonly cls: string;
  readonly name: string;
  readonly value: Value;
}

/** Bases that make a class an Enum (the standard library's, and Django's choices). */
const ENUM_BASES =
  /^(enum\.(Enum|IntEnum|StrEnum|Flag|IntFlag)|django\.db\.models\.(TextChoices|IntegerChoices|Choices)|django\.db\.models\.enums\.\w+)$/;

/** Whether one of the evaluated bases is an Enum base (or an Enum class of the project). */
export function isEnumBase(bases: readonly Value[]): boolean {
  return bases.some(
    (b) =>
      (b.kind === 'unknown' && b.ext !== undefined && ENUM_BASES.test(b.ext)) ||
      (b.kind === 'object' && b.tag === 'user-class' && (b.data as UserClass).enum === true),
  );
}

/** Bases the analysis knows to add nothing a setting would read. */
function isPlainBase(b: Value): boolean {
  return b.kind === 'object' && (b.tag === 'user-class' || (b.tag === 'fn' && (b.data as { name?: string }).name === 'object'));
}

/**
 * What kind of class attributes `attrs` and `bases` make: whether a base from outside the project
 * may define more; for an Enum, every public name bound to a known value (not a function) becomes
 * a member with that value (replaced in `attrs`).
 */
export function classKind(
  name: string,
  attrs: Map<string, Value>,
  bases: readonly Value[],
  loc: Loc,
): Pick<UserClass, 'foreignBase' | 'enum' | 'items'> {
  const enumClass = isEnumBase(bases);
  const foreignBase = bases.some((b) => !isPlainBase(b) && !(enumClass && b.kind === 'unknown'));
  if (!enumClass) return { foreignBase };
  const items: Value[] = [];
  let complete = true;
  for (const [attr, v] of attrs) {
    if (attr.startsWith('_') || (v.kind === 'object' && (v.tag === 'user-fn' || v.tag === 'user-class' || v.tag === 'enum-member')))
      continue;
    // `A = auto()` and the like: a member whose value is unknown, so iterating is unknown too
    if (v.kind === 'unknown') {
      complete = false;
      continue;
    }
    const member = V.object('enum-member', { cls: name, name: attr, value: v } satisfies EnumMember, v.loc ?? loc);
    attrs.set(attr, member);
    items.push(member);
  }
  return { foreignBase, enum: true, items: complete ? items : undefined };
}

/** An attribute of a class of the project (its own or its bases'); undefined when not read. */
export function classAttr(cls: UserClass, name: string): Value | undefined {
  return cls.attrs?.get(name);
}

/** Whether an attribute missing from the class's attributes is surely missing. */
export function surelyMissing(cls: UserClass): boolean {
  return cls.attrs !== undefined && !cls.foreignBase;
}

/** `member.value`, `member.name` of an Enum member. */
export function memberAttr(m: EnumMember, name: string, loc: Loc): Value {
  if (name === 'value' || name === '_value_') return m.value;
  if (name === 'name' || name === '_name_') return V.str(m.name, 'derived', loc);
  return V.unknown(`${name} of ${m.cls}.${m.name}`, loc);
}

/** `Mode("dev")`: the member whose value equals the argument, when the analysis can tell. */
export function memberByValue(cls: UserClass, v: Value): Value | undefined {
  if (!cls.items) return undefined;
  for (const m of cls.items) {
    const eq = V.pyEquals((m as V.ObjectValue & { data: EnumMember }).data.value, v);
    if (eq === true) return m;
    if (eq === undefined) return undefined;
  }
  return undefined;
}
