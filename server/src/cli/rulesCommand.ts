// `django-deploy-check rules [--format text|json]`: every rule, one line each or as JSON.
import { ruleDocsUrl } from '../analysis/outputs/docsUrl';
import { RULES } from '../analysis/rules/registry';

export function listRules(format: string): string {
  if (format === 'json') {
    return JSON.stringify(
      RULES.map((r) => ({
        code: r.code,
        name: r.name,
        django: r.django?.[0] ?? null,
        severity: r.severity,
        summary: r.title,
        group: r.group,
        fixSafety: r.fixSafety ?? null,
        docs: ruleDocsUrl(r),
      })),
      null,
      2,
    );
  }
  const w = Math.max(...RULES.map((r) => r.name.length));
  return RULES.map((r) => `${r.code}  ${r.name.padEnd(w)}  ${r.severity.padEnd(11)}  ${(r.django?.[0] ?? '').padEnd(14)}  ${r.title}`).join(
    '\n',
  );
}
