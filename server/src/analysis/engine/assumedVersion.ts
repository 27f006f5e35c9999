// When no dependency file names Django, the version the analysis uses is an assumption: findings
// that only hold for some Django versions — a removed setting, a default that changed, a check that
// exists from some release on — are then information, and say what they assume.
import { DJANGO_DEFAULTS } from '../catalogue/djangoDefaults';
import { RULES } from '../rules/registry';
import type { Finding, Rule } from '../rules/types';
import { compareVersions, describeVersion, type DjangoVersion } from '../models/project/version';

/** The oldest release line the rules know: a check available since then does not depend on the version. */
const OLDEST = '1.8';

/** Settings whose default differs between the releases we know (changed, added after 1.8, or removed). */
const VERSIONED_SETTINGS = new Set(
  DJANGO_DEFAULTS.filter((d) => d.history?.length || d.removedIn || (d.since && compareVersions(d.since, OLDEST) > 0)).map((d) => d.name),
);

const SETTING_NAME = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;

/**
 * Whether a finding depends on which Django runs: the rule exists for some releases only, it is
 * about removed settings, or the finding is about something never set (nothing written: Django's
 * default decided) and names a setting whose default depends on the release.
 */
export function dependsOnVersion(finding: Finding, rule: Rule | undefined, neverSet: (f: Finding) => boolean): boolean {
  if (!rule) return false;
  if (rule.name === 'removed-setting' || rule.name === 'setting-not-yet-read') return true;
  const r = rule.djangoVersions;
  if (r?.removedIn || (r?.since && compareVersions(r.since, OLDEST) > 0)) return true;
  return neverSet(finding) && [...finding.message.matchAll(SETTING_NAME)].some((m) => VERSIONED_SETTINGS.has(m[0]));
}

let ruleByCode: Map<string, Rule> | undefined;

/**
 * `finding` as it stands when the Django version is assumed: a version-dependent finding says
 * "assuming Django X (no dependency file names it)", and a warning or error becomes information.
 */
export function lowerForAssumedVersion(finding: Finding, version: DjangoVersion, neverSet: (f: Finding) => boolean): Finding {
  if (!version.assumed) return finding;
  ruleByCode ??= new Map(RULES.map((r) => [r.code, r]));
  if (!dependsOnVersion(finding, ruleByCode.get(finding.code), neverSet)) return finding;
  const said = describeVersion(version);
  const lowered = finding.severity === 'error' || finding.severity === 'warning';
  return {
    ...finding,
    severity: lowered ? 'information' : finding.severity,
    message: `${finding.message} ${said[0]!.toUpperCase()}${said.slice(1)}: pin Django in a dependency file (or set the Django version) to confirm.`,
  };
}
