// The hover text for a rule: its documentation sections, the same text docs/rules.md is made of;
// and for a setting, what it is in production. The worker computes them (protocolHover.ts answers
// hovers on the protocol thread from what the worker sent).
import { ruleDocsUrl } from '../analysis/outputs/docsUrl';
import { RULES, ruleByCode } from '../analysis/rules/registry';
import type { BasisLink, Rule } from '../analysis/rules/types';
import { pyRepr, type SettingEntry } from '../analysis/outputs/settingsView';
import { ruleHoverMarkdown } from './ruleMarkdown';
import type { RuleDocsParams } from './protocolCommon';

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
export function settingHoverMarkdown(e: SettingEntry, link: HoverLinks = {}): string {
  const place = (file: string, line: number): string => {
    const target = link.place?.(file, line);
    return target ? `[${file}:${line}](${target})` : `${file}:${line}`;
  };
  const where = e.file ? place(e.file, e.line!) : "Django's default";
  const over = e.overrides?.length ? `, overriding ${e.overrides.map((o) => place(o.file, o.line)).join(', ')}` : '';
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
  lines.push(`*${e.state}*: ${link.text ? link.text(e.why) : e.why}`);
  return lines.join('\n\n');
}

const STATE_WORDS: Record<BasisLink['state'], string> = {
  known: 'known',
  presumed: 'presumed',
  overridable: 'as written unless overridden',
  unknown: 'unknown',
};

/**
 * What a finding rests on, for its hover: "**Rests on:**" and one line per link of its chain (the
 * production module, the file, the values, hops and library facts), the uncertain ones marked with
 * what they are, each with why.
 */
export function basisMarkdown(basis: readonly BasisLink[]): string {
  const lines = basis.map((l) => {
    const state = l.state === 'known' ? '' : ` — *${STATE_WORDS[l.state]}*`;
    return `- ${l.kind} ${code(l.subject)}${state}: ${l.how.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}`;
  });
  return ['**Rests on:**', ...lines].join('\n');
}

/**
 * How a hover links the files it names (issue 58): `place(file, line)` gives the address that opens a
 * workspace-relative file at a line, `text(words)` makes each file the words name a link.
 */
export interface HoverLinks {
  readonly place?: (file: string, line: number) => string | undefined;
  readonly text?: (words: string) => string;
}

/** Markdown with each place `refs` finds in `words` made a link that opens it at its line. */
export function linkPlaces(
  words: string,
  places: readonly { readonly message: string; readonly uri: string; readonly line?: number }[],
): string {
  let out = words;
  for (const p of places) {
    const at = out.indexOf(p.message);
    if (at < 0 || out.slice(Math.max(0, at - 1), at) === '[') continue;
    out = `${out.slice(0, at)}[${p.message}](${p.uri}${p.line !== undefined ? `#L${p.line}` : ''})${out.slice(at + p.message.length)}`;
  }
  return out;
}

/** The documentation of rules, one after another (a finding that says two rules' findings together shows both). */
export function rulesHoverMarkdown(codes: readonly string[]): string {
  return codes
    .map((c) => ruleByCode(c))
    .filter((r): r is Rule => !!r)
    .map(ruleHoverMarkdown)
    .join('\n\n---\n\n');
}

/** Every rule's hover text and documentation address, for the protocol thread (RULE_DOCS_NOTIFICATION). */
export function ruleDocsParams(): RuleDocsParams {
  return { rules: Object.fromEntries(RULES.map((r) => [r.code, { markdown: ruleHoverMarkdown(r), docs: ruleDocsUrl(r) }])) };
}
