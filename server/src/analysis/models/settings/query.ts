// The one place that decides what the analysis knows about a value: rules ask here (or through
// Settings.query for a whole setting) and never test a value's origin themselves.
//
//   known     the value is known; its provenance says how it came to be (written as a literal,
//             derived from literals, the default of an environment lookup — naming the variable —,
//             Django's default, or a known container with parts that cannot be read)
//   supplied  the deployment must provide it: a lookup that fails without the variable (Django or
//             the library refuses to start), so its value is not a finding
//   unknown   the evaluator cannot say (dynamic code, unknown imports, undecidable branches)
//   unset     (settings only) never assigned: Django's default for the project's version applies
import type { EnvRef, Known, Loc, UnknownValue, Value } from '../../eval/values';

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
export type ValueAnswer = KnownAnswer | SuppliedAnswer | UnknownAnswer;

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
  return { state: 'known', value: v, provenance: provenanceOf(v) };
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

/** " (the default used when … is not set)" for environment defaults, " (Django's default)", else "". */
export function provenanceNote(v: Value): string {
  if (v.kind === 'unknown') return '';
  const p = provenanceOf(v);
  if (p.kind === 'environment-default' && p.variable) return ` (the default used when the environment variable ${p.variable} is not set)`;
  if (p.kind === 'django-default') return " (Django's default)";
  return '';
}

export type { Loc };

/**
 * The variable a deployment file sets (a manifest's `env:`, a platform's `[env]`) that a value was
 * computed from, with the place of its value in that file: the settings read it in production.
 */
export function deploymentVariable(v: Value | null | undefined): EnvRef | undefined {
  return v?.env?.find((e) => e.style === 'deployment');
}
