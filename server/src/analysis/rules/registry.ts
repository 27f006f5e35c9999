// The rule catalogue: every rule, grouped as the checklist groups them. Each group's index lists
// its rules; this file only concatenates the groups.
import { analysisRules } from './analysis';
import { hostsOriginsRules } from './hosts-origins';
import { settingsSecretsRules } from './settings-secrets';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [...analysisRules, ...settingsSecretsRules, ...hostsOriginsRules];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleByCode(code: string): Rule | undefined {
  return BY_CODE.get(code);
}
