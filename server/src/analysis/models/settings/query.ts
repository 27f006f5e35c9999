// The one place that decides what the analysis knows about a value: rules ask here (or through
// Settings.query for a whole setting) and never test a value's origin themselves.
//
//   known        the value is known, and nothing the deployment does can change it; its
//                provenance says how it came to be (written as a literal, derived from literals,
//                Django's default, or a known container with parts that cannot be read)
//   overridable  *as written unless overridden*: the value is known and stands unless the
//                deployment replaces it — the default of an environment lookup (the variable
//                set), a module imported or a file exec'd after it that the repository does not
//                hold (a deployment's local_settings.py, /etc/app/app.conf); `overriddenBy` names
//                each, the value and its place are kept
//   supplied     the deployment must provide it: a lookup that fails without the variable (Django or
//                the library refuses to start), so its value is not a finding
//   unknown      the evaluator cannot say (dynamic code, unknown imports, undecidable branches)
//   unset        (settings only) never assigned: Django's default for the project's version applies
//                (`overriddenBy` when a module the deployment supplies may set it)
import type { EnvRef, Known, Loc, Override, UnknownValue, Value } from '../../eval/values';

export type Provenance =
  | { readonly kind: 'literal' }
  | { readonly kind: 'derived' }
  /** What production gets when the variable is not set (or something computed from it). */
  | { readonly kind: 'environment-default'; readonly variable?: string; readonly lookup?: EnvRef }
  | { readonly kind: 'django-default' }
  /** A container the evaluator built but some of whose parts it cannot read. */
  | { readonly kind: 'partial' };

export interface KnownAnswer {
  readonly state: 'known';
  readonly value: Known;
  readonly provenance: Provenance;
}
/** As written unless overridden (see the top of this file). */
export interface OverridableAnswer {
  readonly state: 'overridable';
  readonly value: Known;
  readonly provenance: Provenance;
  /** What may replace the value where it runs, first the environment variable whose default it is. */
  readonly overriddenBy: readonly Override[];
}
export interface SuppliedAnswer {
  readonly state: 'supplied';
  /** The variable the deployment must set (the first one the value reads). */
  readonly variable?: string;
  readonly value: UnknownValue;
}
export interface UnknownAnswer {
  readonly state: 'unknown';
  readonly reason: string;
  readonly value: UnknownValue;
}
export type ValueAnswer = KnownAnswer | OverridableAnswer | SuppliedAnswer | UnknownAnswer;

const LITERAL: Provenance = { kind: 'literal' };
const DERIVED: Provenance = { kind: 'derived' };
const DJANGO_DEFAULT: Provenance = { kind: 'django-default' };
const PARTIAL: Provenance = { kind: 'partial' };

/** What the analysis knows about a value. */
export function answer(v: Value): ValueAnswer {
  if (v.kind === 'unknown') {
    if (v.origin === 'env') return { state: 'supplied', variable: v.env?.[0]?.name, value: v };
    return { state: 'unknown', reason: v.reason, value: v };
  }
  const overriddenBy = overridesOf(v);
  if (overriddenBy.length > 0) return { state: 'overridable', value: v, provenance: provenanceOf(v), overriddenBy };
  return { state: 'known', value: v, provenance: provenanceOf(v) };
}

/** Whether an answer has a value the rules can decide on: known, or as written unless overridden. */
export function hasValue<A extends { readonly state: string }>(a: A): a is Extract<A, { state: 'known' | 'overridable' }> {
  return a.state === 'known' || a.state === 'overridable';
}

/**
 * An answer as RuleContext.undecided takes it (which predates the overridable state): an
 * overridable value is one the rule decides on, as a known one.
 */
export function decidable(a: {
  readonly state: string;
  readonly reason?: string;
  readonly loc?: Loc;
}): { readonly state: 'known' | 'unset' | 'supplied' } | { readonly state: 'unknown'; readonly reason: string; readonly loc?: Loc } {
  if (a.state === 'unknown') return { state: 'unknown', reason: a.reason ?? 'not known statically', ...(a.loc ? { loc: a.loc } : {}) };
  return { state: a.state === 'unset' || a.state === 'supplied' ? a.state : 'known' };
}

/**
 * What may replace a known value where it runs: the environment variable whose default it is (its
 * first lookup), then the modules and files the settings model marked on it (Value.overriddenBy).
 */
export function overridesOf(v: Value | null | undefined): readonly Override[] {
  if (v == null || v.kind === 'unknown') return [];
  const lookup = v.origin === 'env-default' ? v.env?.[0] : undefined;
  const env: Override[] = lookup ? [{ kind: 'variable', name: lookup.name, loc: lookup.loc, presence: 'optional' }] : [];
  if (!v.overriddenBy?.length) return env;
  return [...env, ...v.overriddenBy.filter((o) => !(o.kind === 'variable' && o.name === lookup?.name))];
}

/**
 * The environment variables whose absence gave the value: the lookup whose default it is, and the
 * variables whose absence selected the branch that bound it (`if "DATABASE_URL" in os.environ: …
 * else: SQLite`). Where the deployment sets one, production has another value.
 */
export function fallbackVariables(v: Value | null | undefined): readonly string[] {
  return [
    ...new Set(
      overridesOf(v)
        .filter((o) => o.kind === 'variable' && !o.presumed)
        .map((o) => o.name),
    ),
  ];
}

/** The modules and files (not variables) that may replace a value: " unless local_settings.py overrides it" material. */
export function overridingFiles(v: Value | null | undefined): readonly Override[] {
  return v == null ? [] : (v.overriddenBy ?? []).filter((o) => o.kind !== 'variable');
}

/** The variables whose absence selected the branch that bound the value (not a lookup's default). */
function selectingVariables(v: Value): string[] {
  return [...new Set((v.overriddenBy ?? []).filter((o) => o.kind === 'variable' && !o.replaces && !o.presumed).map((o) => o.name))];
}

/** The variables whose presence selects the branch production is presumed to take, with why (Override.presumed). */
function presumedVariables(v: Value): { names: string[]; why: string } | undefined {
  const o = (v.overriddenBy ?? []).filter((x) => x.kind === 'variable' && x.presumed);
  return o.length > 0 ? { names: [...new Set(o.map((x) => x.name))], why: o[0]!.presumed! } : undefined;
}

/** " in the branch taken when PROD is set (…), which production is presumed to take: it imports …". */
export function presumedBranchText(names: readonly string[], why: string): string {
  return `in the branch taken when ${names.slice(0, 2).join(' and ')} ${names.length > 1 ? 'are' : 'is'} set, presumed production's (${why}; no deployment file shows it set)`;
}

/** The variables that replace the value when set (a loader's `<PREFIX>_<NAME>`). */
function replacingVariables(v: Value): string[] {
  return [...new Set((v.overriddenBy ?? []).filter((o) => o.kind === 'variable' && o.replaces).map((o) => o.name))];
}

/**
 * "local_settings.py", "local_settings.py or /etc/app/app.conf": the modules and files that may
 * replace a value, as a message names them (a template the deployment's copy is made from said).
 */
export function overrideNames(ovs: readonly Override[]): string {
  const names = [...new Set(ovs.filter((o) => o.kind !== 'variable').map((o) => o.name))];
  if (names.length <= 2) return names.join(' or ');
  return `${names.slice(0, 2).join(', ')} or ${names.length - 2} more`;
}

/** How a known value came to be. */
export function provenanceOf(v: Known): Provenance {
  switch (v.origin) {
    case 'literal':
      return LITERAL;
    case 'default':
      return DJANGO_DEFAULT;
    case 'env-default':
      return { kind: 'environment-default', variable: v.env?.[0]?.name, lookup: v.env?.[0] };
    case 'unknown':
      return PARTIAL;
    default:
      return DERIVED;
  }
}

// Predicates over the same classification, for the many places that look at one part of a value
// (a dict entry, a list item, a keyword argument). `undefined`/`null` (absent) is none of them.

/** The deployment must provide it: a required environment lookup (or something made only of such). */
export function isSupplied(v: Value | null | undefined): boolean {
  return v != null && v.kind === 'unknown' && v.origin === 'env';
}

/** The analysis cannot say, and the deployment is not known to provide it. */
export function isUndecidable(v: Value | null | undefined): v is UnknownValue {
  return v != null && v.kind === 'unknown' && v.origin !== 'env';
}

/** Written as a literal in the source (not computed, not a default). */
export function isLiteral(v: Value | null | undefined): boolean {
  return v != null && v.kind !== 'unknown' && v.origin === 'literal';
}

/** Written in the code: a literal, or computed from literals only. */
export function isWrittenInCode(v: Value | null | undefined): boolean {
  // a value a deployment file sets (read by the settings from the environment) is written there, not in the code
  return (
    v != null && v.kind !== 'unknown' && (v.origin === 'literal' || v.origin === 'derived') && !v.env?.some((e) => e.style === 'deployment')
  );
}

/** The default of an environment lookup (or computed from one): what production gets without the variable. */
export function isEnvironmentDefault(v: Value | null | undefined): boolean {
  return v != null && v.kind !== 'unknown' && v.origin === 'env-default';
}

/** Django's own default for a setting the settings never assign. */
export function isDjangoDefault(v: Value | null | undefined): boolean {
  return v != null && v.kind !== 'unknown' && v.origin === 'default';
}

/** A known container (list, dict…) holding parts the analysis cannot read. */
export function isPartial(v: Value | null | undefined): boolean {
  return v != null && v.kind !== 'unknown' && v.origin === 'unknown';
}

/**
 * Whether a list, tuple or set holds an item `match` picks (`match` says true, false, or undefined
 * when it cannot tell): true when an item certainly there is one; false when no item is, neither
 * those certainly there nor those only some paths add (`if whitenoise: MIDDLEWARE += (…)`),
 * judged by what each is when present; undefined when an item that may be it cannot be read.
 */
export function listHolds(v: Value, match: (item: Known) => boolean | undefined): boolean | undefined {
  if (v.kind !== 'list' && v.kind !== 'tuple' && v.kind !== 'set') return undefined;
  let undecided = isPartial(v);
  for (const item of v.items) {
    if (item.kind !== 'unknown') {
      const m = match(item);
      if (m === true) return true;
      if (m === undefined) undecided = true;
    } else if (!item.maybeAbsent || !item.possible || match(item.possible) !== false) undecided = true;
  }
  return undecided ? undefined : false;
}

/** The environment lookup whose default a value is, when it is one. */
export function defaultLookup(v: Value | null | undefined): EnvRef | undefined {
  return isEnvironmentDefault(v) ? v!.env?.[0] : undefined;
}

/** ", unless local_settings.py sets it" for a setting never set that a module the deployment supplies or may add may set; else "". */
export function unlessSetNote(v: Value): string {
  const files = overrideNames(overridingFiles(v));
  return files ? `, unless ${files} sets it` : '';
}

/**
 * " (the default used when … is not set)" for environment defaults, " (Django's default)", and
 * ", unless local_settings.py overrides it" for a value a module or file the deployment supplies
 * may replace; else "".
 */
export function provenanceNote(v: Value): string {
  if (v.kind === 'unknown') return '';
  const p = provenanceOf(v);
  const files = overrideNames(overridingFiles(v));
  const tpl = templateOf(v);
  const unless =
    tpl && overridingFiles(v).every((o) => o.name === tpl.name) ? templateClause(tpl) : files ? `unless ${files} overrides it` : '';
  if (p.kind === 'environment-default' && p.variable)
    return ` (the default used when the environment variable ${p.variable} is not set${unless ? `, ${unless}` : ''})`;
  if (p.kind === 'django-default') return unless ? ` (Django's default, ${unless.replace('overrides', 'sets')})` : " (Django's default)";
  const selecting = selectingVariables(v);
  if (selecting.length > 0)
    return ` (set in the branch taken when ${selecting.slice(0, 2).join(' and ')} ${selecting.length > 1 ? 'are' : 'is'} not set${unless ? `, ${unless}` : ''})`;
  const replacing = replacingVariables(v);
  if (replacing.length > 0) return ` (unless ${replacing.slice(0, 2).join(' or ')} is set${unless ? `, ${unless}` : ''})`;
  const presumed = presumedVariables(v);
  if (presumed) return ` (set ${presumedBranchText(presumed.names, presumed.why)}${unless ? `, ${unless}` : ''})`;
  return unless ? ` (${unless})` : '';
}

/**
 * The module the deployment supplies whose committed template wrote `v` (read in its place:
 * eval/imports.ts plainTemplate), when it is one: `v` is written in that template.
 */
export function templateOf(v: Value | null | undefined): Override | undefined {
  return v?.loc?.file ? suppliedTemplate(v.overriddenBy, v.loc.file) : undefined;
}

/** Among `overrides`, the supplied module whose committed template is `file` (by its name), if any. */
export function suppliedTemplate(overrides: readonly Override[] | undefined, file: string): Override | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return overrides?.find((o) => o.kind === 'module' && o.presence === 'supplied' && o.template === base);
}

/** "unless the deployment's local.py changes what local.py.example writes": a value of a supplied module's template, said once (engine/basis.ts says it too). */
export function templateClause(o: Override): string {
  return `unless the deployment's ${o.name} changes what ${o.template ?? 'its template'} writes`;
}

export type { Loc, Override };

/**
 * The variable a deployment file sets (a manifest's `env:`, a platform's `[env]`) that a value was
 * computed from, with the place of its value in that file: the settings read it in production.
 */
export function deploymentVariable(v: Value | null | undefined): EnvRef | undefined {
  return v?.env?.find((e) => e.style === 'deployment');
}
