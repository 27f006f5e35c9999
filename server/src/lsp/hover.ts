// The hover text for a rule: its documentation sections, the same text docs/rules.md is made of.
import type { Diagnostic, Hover, Position } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import { ruleDocsUrl } from '../analysis/docsUrl';
import { ruleByCode } from '../analysis/rules/registry';
import type { Rule } from '../analysis/rules/types';

/** The documentation of rules, one after another (a finding that says two rules' findings together shows both). */
export function rulesHoverMarkdown(codes: readonly string[]): string {
  return codes
    .map((c) => ruleByCode(c))
    .filter((r): r is Rule => !!r)
    .map(ruleHoverMarkdown)
    .join('\n\n---\n\n');
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/**
 * The hover at a position from the diagnostics published for the file: the documentation of the
 * rules whose findings cover it. The protocol thread answers with it while the worker analyses.
 */
export function hoverForDiagnostics(diagnostics: readonly Diagnostic[], position: Position): Hover | null {
  const hits = diagnostics.filter(
    (d) => typeof d.code === 'string' && before(d.range.start, position) && before(position, d.range.end) && ruleByCode(d.code),
  );
  if (hits.length === 0) return null;
  const codes = [...new Set(hits.flatMap((h) => [h.code as string, ...((h.data as { joined?: string[] } | undefined)?.joined ?? [])]))];
  return { contents: { kind: MarkupKind.Markdown, value: rulesHoverMarkdown(codes) }, range: hits[0]!.range };
}

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
