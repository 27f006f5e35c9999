// The rule catalogue: every rule, grouped as the checklist groups them. Each group's index lists
// its rules; this file only concatenates the groups.
import { analysisRules } from './analysis';
import { appServerRules } from './app-server';
import { cachesSessionsEmailRules } from './caches-sessions-email';
import { databaseRules } from './database';
import { deploymentRules } from './deployment';
import { hostsOriginsRules } from './hosts-origins';
import { httpsCookiesRules } from './https-cookies';
import { loggingMonitoringRules } from './logging-monitoring';
import { middlewareRules } from './middleware';
import { migrationRules } from './migrations';
import { proxyRules } from './proxy';
import { securityHeadersRules } from './security-headers';
import { settingsSecretsRules } from './settings-secrets';
import { staticMediaRules } from './static-media';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [
  ...analysisRules,
  ...settingsSecretsRules,
  ...hostsOriginsRules,
  ...httpsCookiesRules,
  ...securityHeadersRules,
  ...middlewareRules,
  ...staticMediaRules,
  ...databaseRules,
  ...cachesSessionsEmailRules,
  ...loggingMonitoringRules,
  ...appServerRules,
  ...proxyRules,
  ...deploymentRules,
  ...migrationRules,
];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleByCode(code: string): Rule | undefined {
  return BY_CODE.get(code);
}
