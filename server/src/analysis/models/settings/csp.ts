// The Content Security Policy the production settings configure, as the CSP rules read it: Django
// 6.0's own (ContentSecurityPolicyMiddleware with SECURE_CSP / SECURE_CSP_REPORT_ONLY, directive →
// sources dicts) and django-csp's (CSPMiddleware with the 4.x CONTENT_SECURITY_POLICY /
// CONTENT_SECURITY_POLICY_REPORT_ONLY dicts holding "DIRECTIVES", or the 3.x CSP_* settings that
// 4.0 no longer reads).
import type { SettingValue, Settings } from './settings';
import { isSupplied } from './query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { atLeast, sideOf, type PackageVersion } from '../project/version';
import { PerAnalysis } from '../../base/perAnalysis';
import { DJANGO_CSP, DJANGO_CSP_FACTS } from '../../catalogue/libraries';
import { holdsMiddleware, type SourceReader } from './middleware';

export const CSP_MIDDLEWARE = {
  django: 'django.middleware.csp.ContentSecurityPolicyMiddleware',
  djangoCsp: DJANGO_CSP.middleware.csp,
} as const;

/** Django's own CSP exists from this version. */
export const DJANGO_CSP_SINCE = '6.0';

/** The django-csp release that replaced the CSP_* settings with CONTENT_SECURITY_POLICY. */
export const DJANGO_CSP_4 = DJANGO_CSP_FACTS.release4.value;

/** django-csp's setting names (4.x policies, the 3.x report-only switch). */
export const DJANGO_CSP_SETTINGS = {
  policy: DJANGO_CSP.settings.policy.name,
  policyReportOnly: DJANGO_CSP.settings.policyReportOnly.name,
  legacyReportOnly: DJANGO_CSP.settings.legacyReportOnly.name,
} as const;

/**
 * Which django-csp the project's dependency files keep it on: '3' (before 4.0, which reads the
 * CSP_* settings and sends default-src 'self' without any), '4' (4.0 or later), undefined when no
 * file names it or its requirement allows both.
 */
export function djangoCspMajor(p: PackageVersion | undefined): '3' | '4' | undefined {
  const side = p ? sideOf(p, DJANGO_CSP_4) : undefined;
  return side === 'below' ? '3' : side === 'from' ? '4' : undefined;
}

export interface CspPolicy {
  readonly provider: 'django' | 'django-csp';
  /** The setting that holds it (for django-csp 3.x: the first CSP_* setting). */
  readonly setting: SettingValue;
  readonly reportOnly: boolean;
  /** Directive name → its sources; undefined when the directives come from the environment. */
  readonly directives?: ReadonlyMap<string, Value>;
}

export interface CspConfig {
  /** Whether each middleware is installed: true/false, undefined when MIDDLEWARE cannot be read. */
  readonly middleware: { readonly django: boolean | undefined; readonly djangoCsp: boolean | undefined };
  /** Django 6.0+ policies (SECURE_CSP, SECURE_CSP_REPORT_ONLY) that are set and not empty. */
  readonly django: readonly CspPolicy[];
  /** django-csp 4.x policies (CONTENT_SECURITY_POLICY[_REPORT_ONLY] dicts) that are set and not empty. */
  readonly djangoCsp: readonly CspPolicy[];
  /** django-csp 3.x settings (CSP_*) that are set: read only by django-csp before 4.0. */
  readonly legacy: readonly SettingValue[];
  /** The policy the 3.x settings describe (as django-csp 3.x reads them), if any are set. */
  readonly legacyPolicy?: CspPolicy;
  /** A policy setting the analysis cannot read. */
  readonly unknown?: { readonly reason: string; readonly loc: Loc };
}

/** Every setting name django-csp 3.x reads starts with CSP_ (catalogue: DJANGO_CSP_FACTS.legacyPrefix). */
const LEGACY_PREFIX = DJANGO_CSP_FACTS.legacyPrefix.value;
/**
 * The settings django-csp 3.x reads (catalogue: DJANGO_CSP_FACTS.legacySettings): another CSP_*
 * name (`CSP_SELF` imported from csp.constants, a helper `CSP_BLOB = "blob:"`) is a constant no
 * version reads.
 */
const LEGACY_SETTINGS: ReadonlySet<string> = new Set(DJANGO_CSP_FACTS.legacySettings.value);

function directivesOf(v: Value): Map<string, Value> | undefined {
  if (v.kind !== 'dict') return undefined;
  const out = new Map<string, Value>();
  v.keys.forEach((k, i) => {
    if (k.kind === 'str') out.set(k.v.toLowerCase(), v.values[i]!);
  });
  return out;
}

/** The sources of a directive as strings (a list, a tuple, a set, or one space-separated string); unknown items are left out. */
export function sources(v: Value | undefined): string[] {
  if (!v) return [];
  if (v.kind === 'str') return v.v.split(/\s+/).filter(Boolean);
  if (V.isSeq(v)) return v.items.flatMap((i) => (i.kind === 'str' ? i.v.split(/\s+/).filter(Boolean) : []));
  return [];
}

/** Each analysis's configuration, by settings and version: four rules ask, and it goes over every name. */
const configs = new PerAnalysis<Settings, Map<string, CspConfig>>();

/**
 * The CSP configuration the settings make (the same object for the same settings and version: read
 * it, never change it). `reader` reads the project's middleware classes: a project's subclass of a
 * CSP middleware listed in its place (`class EagerNonceCSPMiddleware(CSPMiddleware)`) is that
 * middleware (models/settings/middleware.ts holdsMiddleware).
 */
export function cspConfig(settings: Settings, version: string, reader: SourceReader): CspConfig {
  let byVersion = configs.get(settings);
  if (!byVersion) configs.set(settings, (byVersion = new Map()));
  let c = byVersion.get(version);
  if (!c) byVersion.set(version, (c = readCspConfig(settings, version, reader)));
  return c;
}

function readCspConfig(settings: Settings, version: string, reader: SourceReader): CspConfig {
  const django = holdsMiddleware(reader, settings, CSP_MIDDLEWARE.django);
  const djangoCsp = holdsMiddleware(reader, settings, CSP_MIDDLEWARE.djangoCsp);
  let unknown: CspConfig['unknown'];
  const read = (name: string, provider: CspPolicy['provider'], reportOnly: boolean, inner?: string): CspPolicy | undefined => {
    const s = settings.get(name);
    const v = s.value;
    if (!s.isSet && v.kind !== 'unknown') return undefined;
    if (v.kind === 'unknown') {
      if (isSupplied(v)) return { provider, setting: s, reportOnly };
      unknown ??= { reason: `${name} is not known statically`, loc: s.loc };
      return undefined;
    }
    if (v.kind !== 'dict') return undefined; // a string read by the project's own middleware, None: not this provider's
    let dirs: Value | null | undefined = v;
    if (inner) {
      dirs = V.dictGetStr(v, inner);
      if (dirs === null) return undefined; // django-csp 4: no DIRECTIVES, no policy
      if (dirs === undefined || dirs.kind === 'unknown') {
        if (dirs && isSupplied(dirs)) return { provider, setting: s, reportOnly };
        unknown ??= { reason: `${name}["${inner}"] is not known statically`, loc: s.loc };
        return undefined;
      }
    }
    const map = directivesOf(dirs);
    if (!map) return undefined;
    if (map.size === 0 && !(dirs.kind === 'dict' && dirs.partial)) return undefined; // empty: no header
    return { provider, setting: s, reportOnly, directives: map };
  };
  const djangoPolicies = atLeast(version, DJANGO_CSP_SINCE)
    ? [read('SECURE_CSP', 'django', false), read('SECURE_CSP_REPORT_ONLY', 'django', true)].filter((p): p is CspPolicy => p !== undefined)
    : [];
  const cspPolicies = [
    read(DJANGO_CSP_SETTINGS.policy, 'django-csp', false, DJANGO_CSP_FACTS.directivesKey.value),
    read(DJANGO_CSP_SETTINGS.policyReportOnly, 'django-csp', true, DJANGO_CSP_FACTS.directivesKey.value),
  ].filter((p): p is CspPolicy => p !== undefined);
  const legacy: SettingValue[] = [];
  for (const name of settings.names()) {
    if (!LEGACY_SETTINGS.has(name)) continue;
    const s = settings.get(name);
    if (s.isSet) legacy.push(s);
  }
  let legacyPolicy: CspPolicy | undefined;
  if (legacy.length > 0) {
    const dirs = new Map<string, Value>();
    for (const s of legacy) {
      if ((DJANGO_CSP_FACTS.legacyNotDirectives.value as readonly string[]).includes(s.name)) continue;
      dirs.set(s.name.slice(LEGACY_PREFIX.length).toLowerCase().replace(/_/g, '-'), s.value);
    }
    // django-csp 3.x's default-src when CSP_DEFAULT_SRC is not set
    if (!dirs.has('default-src'))
      dirs.set(
        'default-src',
        V.seq(
          'tuple',
          DJANGO_CSP_FACTS.legacyDefaultSrc.value.map((s) => V.str(s, 'default')),
          'default',
        ),
      );
    const ro = settings.get(DJANGO_CSP_SETTINGS.legacyReportOnly).value;
    legacyPolicy = {
      provider: 'django-csp',
      setting: legacy[0]!,
      reportOnly: ro.kind !== 'unknown' && V.truthy(ro) === true,
      directives: dirs,
    };
  }
  return { middleware: { django, djangoCsp }, django: djangoPolicies, djangoCsp: cspPolicies, legacy, legacyPolicy, unknown };
}

/**
 * The policies a response carries: those whose middleware is installed; django-csp's 3.x settings
 * only without a 4.x dict, and not when the dependency files install django-csp 4 (`major` '4'),
 * which reads none of them (DJANGO_CSP_FACTS.legacyPrefix).
 */
export function appliedPolicies(c: CspConfig, major?: '3' | '4'): CspPolicy[] {
  const out: CspPolicy[] = [];
  if (c.middleware.django !== false) out.push(...c.django);
  if (c.middleware.djangoCsp !== false) {
    out.push(...c.djangoCsp);
    if (c.djangoCsp.length === 0 && c.legacyPolicy && major !== '4') out.push(c.legacyPolicy);
  }
  return out;
}
