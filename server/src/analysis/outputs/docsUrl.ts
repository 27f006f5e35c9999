// Where each rule's documentation lives (diagnostics link to it through codeDescription).
import type { Rule } from '../rules/types';

export const PROJECT_URL = 'https://github.com/django-deploy-hygiene/django-deploy-hygiene';

/** The anchor GitHub generates for the rule's heading in docs/rules.md ("## DDH101 hardcoded-secret-key"). */
export function ruleDocsUrl(rule: Pick<Rule, 'code' | 'name'>): string {
  return `${PROJECT_URL}/blob/main/docs/rules.md#${rule.code.toLowerCase()}-${rule.name}`;
}
