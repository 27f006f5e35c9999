// A rule's hover text: its documentation sections, the same text docs/rules.md is made of. Light
// (no rule catalogue): the protocol thread writes the one of its own "analysis stopped" note with it.
import { ruleDocsUrl } from '../analysis/outputs/docsUrl';
import type { Rule } from '../analysis/rules/types';

export function ruleHoverMarkdown(rule: Rule): string {
  const d = rule.docs;
  // Some rules' "what" opens with "Mirrors Django's `security.W018`": saying it in the heading too
  // would show the same words twice, one line apart.
  const django = rule.django?.filter((id) => !d.what.includes(`\`${id}\``)) ?? [];
  const parts = [
    `**${rule.code} ${rule.name}** — ${rule.title}${django.length ? ` · mirrors Django's \`${django.join('`, `')}\`` : ''}`,
    d.what,
    `**Why it matters.** ${d.why}`,
    '**Example**\n```python\n' + d.example + '\n```',
    `**Fix.** ${d.fix}`,
  ];
  if (d.good) parts.push('```python\n' + d.good + '\n```');
  parts.push([...d.references.map((r) => `[${r.title}](${r.url})`), `[Rule documentation](${ruleDocsUrl(rule)})`].join(' · '));
  return parts.join('\n\n');
}
