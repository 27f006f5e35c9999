// The hover text for a rule: its documentation sections, the same text docs/rules.md is made of.
import type { Diagnostic, Hover, Position, Range } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import { ruleDocsUrl } from '../analysis/docsUrl';
import { ruleByCode } from '../analysis/rules/registry';
import type { Rule } from '../analysis/rules/types';
import { pyRepr, type SettingEntry } from '../analysis/settingsView';

/** Inline code that holds any text (a run of backticks inside gets a longer fence). */
function code(text: string): string {
  let fence = '`';
  while (text.includes(fence)) fence += '`';
  return `${fence}${text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text}${fence}`;
}

const MAX_SHOWN = 300;

/**
 * What a setting is in production, for the hover over its name in any settings module:
 * "In production: `False` — settings/production.py:3, overriding settings/base.py:12", then its
 * state and why (the same entry `django-deploy-check settings` prints; secrets masked there).
 */
export function settingHoverMarkdown(e: SettingEntry): string {
  const where = e.file ? `${e.file}:${e.line}` : "Django's default";
  const over = e.overrides?.length ? `, overriding ${e.overrides.map((o) => `${o.file}:${o.line}`).join(', ')}` : '';
  const via = e.chain && e.chain.length > 2 ? ` (through ${e.chain.slice(1, -1).join(', ')})` : '';
  let value: string;
  if (e.state === 'unknown') value = 'unknown';
  else if (e.state === 'environment' && e.value === null)
    value = `from the environment (${(e.variables ?? []).map(code).join(', ') || 'a variable'})`;
  else {
    const r = pyRepr(e.value);
    value = code(r.length > MAX_SHOWN ? `${r.slice(0, MAX_SHOWN)}…` : r);
  }
  const lines = [`**In production:** ${value} — ${where}${via}${over}`];
  lines.push(`*${e.state}*: ${e.why}`);
  return lines.join('\n\n');
}

/** The documentation of rules, one after another (a finding that says two rules' findings together shows both). */
export function rulesHoverMarkdown(codes: readonly string[]): string {
  return codes
    .map((c) => ruleByCode(c))
    .filter((r): r is Rule => !!r)
    .map(ruleHoverMarkdown)
    .join('\n\n---\n\n');
}

/** The setting hover (SettingHoversParams) of a document that covers a position, if any. */
export function settingHoverAt(
  projects: Iterable<{ files: readonly { uri: string; hovers: readonly { range: Range; markdown: string }[] }[] }>,
  uri: string,
  position: Position,
): { range: Range; markdown: string } | undefined {
  for (const p of projects)
    for (const f of p.files)
      if (f.uri === uri) for (const h of f.hovers) if (before(h.range.start, position) && before(position, h.range.end)) return h;
  return undefined;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/**
 * The hover at a position from the diagnostics published for the file: the documentation of the
 * rules whose findings cover it. The protocol thread answers with it while the worker analyses.
 */
export function hoverForDiagnostics(
  diagnostics: readonly Diagnostic[],
  position: Position,
  setting?: { range: Range; markdown: string },
): Hover | null {
  const hits = diagnostics.filter(
    (d) => typeof d.code === 'string' && before(d.range.start, position) && before(position, d.range.end) && ruleByCode(d.code),
  );
  if (hits.length === 0) return setting ? { contents: { kind: MarkupKind.Markdown, value: setting.markdown }, range: setting.range } : null;
  const codes = [...new Set(hits.flatMap((h) => [h.code as string, ...((h.data as { joined?: string[] } | undefined)?.joined ?? [])]))];
  // the setting's production value first, then the documentation of the rules whose findings cover it
  const value = [...(setting ? [setting.markdown] : []), rulesHoverMarkdown(codes)].join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: hits[0]!.range };
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
