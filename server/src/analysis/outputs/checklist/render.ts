// The checklist as text (terminal) and Markdown (a pull request description), for the CLI and the
// editor's "Copy checklist as Markdown". `where` turns a location into "file:line".
import type { Loc } from '../../eval/values';
import { EXPLAINED_REASON } from '../../rules/types';
import type { Checklist, ItemStatus } from './checklist';
import { requestPathLines } from './path';
import { summaryLines } from './summary';

const TEXT_MARK: Record<ItemStatus, string> = { failing: '✗', attention: '!', unknown: '?', passed: '✓', manual: '○' };
const MD_MARK: Record<ItemStatus, string> = { failing: '❌', attention: '⚠️', unknown: '❔', passed: '✅', manual: '✋' };
const LABEL: Record<ItemStatus, string> = {
  failing: 'failing',
  attention: 'needs attention',
  unknown: 'unknown',
  passed: 'passed',
  manual: 'manual',
};

export type Where = (loc: Loc) => string | undefined;

function header(c: Checklist): string[] {
  return summaryLines(c.summary);
}

/**
 * Manual items ticked by hand, as `<project root>#<item id>` (the keys the editor remembers per
 * workspace): a tick belongs to one project.
 */
export type Ticked = ReadonlySet<string>;

function isTicked(c: Checklist, id: string, ticked: Ticked): boolean {
  return ticked.has(`${c.root}#${id}`);
}

/** The counts line; a ticked manual item counts as passed, as the editor's view shows it. */
function summary(c: Checklist, ticked: Ticked): string {
  const counts = { ...c.counts };
  for (const g of c.groups) {
    for (const i of g.items) {
      if (i.manual && i.status === 'manual' && isTicked(c, i.id, ticked)) {
        counts.manual--;
        counts.passed++;
      }
    }
  }
  // items that do not apply count as passed (they fail nothing) but are said apart
  const na = c.groups.flatMap((g) => g.items).filter((i) => i.notApplicable !== undefined).length;
  counts.passed -= na;
  const parts = (['failing', 'attention', 'unknown', 'passed', 'manual'] as ItemStatus[])
    .filter((s) => counts[s])
    .map((s) => `${counts[s]} ${LABEL[s]}`);
  if (na > 0) parts.push(`${na} not applicable`);
  return parts.join(', ');
}

export function checklistText(lists: readonly Checklist[], where: Where, ticked: Ticked = new Set()): string {
  const out: string[] = [];
  for (const c of lists) {
    out.push(`Production checklist: ${c.name}`);
    for (const h of header(c)) out.push(`  ${h}`);
    out.push(`  ${summary(c, ticked)}`);
    for (const g of c.groups) {
      out.push('', g.title);
      for (const l of requestPathLines(c.requestPath, g.id)) out.push(`  ${l}`);
      for (const item of g.items) {
        const done = item.manual && isTicked(c, item.id, ticked);
        const mark = done ? '✓' : item.notApplicable !== undefined ? '–' : TEXT_MARK[item.status];
        const why = explainedEntries(item);
        const tail =
          item.notApplicable !== undefined
            ? ` — ${item.description}`
            : why.length > 0
              ? ' — set aside as explained by the comment where it is set'
              : item.status === 'passed' || done
                ? ''
                : ` — ${item.manual ? 'check by hand' : item.description}`;
        out.push(`  ${mark} ${item.title}${tail}`);
        for (const e of item.status === 'passed' ? why : item.entries) {
          const at = e.loc ? where(e.loc) : undefined;
          out.push(`      ${at ? at + ': ' : ''}${e.label}`);
        }
      }
    }
    out.push('');
  }
  out.push(`Legend: ✓ passed  ✗ failing  ! needs attention  ? unknown  ○ manual  – not applicable`);
  return out.join('\n') + '\n';
}

export function checklistMarkdown(lists: readonly Checklist[], where: Where, ticked: Ticked = new Set()): string {
  const out: string[] = [];
  for (const c of lists) {
    out.push(`### Production checklist: ${c.name}`, '');
    out.push(
      header(c)
        .map((h) => `_${h}_`)
        .join(' · '),
      '',
    );
    out.push(`**${summary(c, ticked)}**`, '');
    for (const g of c.groups) {
      out.push(`**${g.title}**`, '');
      const path = requestPathLines(c.requestPath, g.id);
      if (path.length > 0) out.push(`_${escapeMd(path[0]!)}_`, ...path.slice(1).map((l) => `- ${escapeMd(l.trim())}`), '');
      for (const item of g.items) {
        const tickedHere = item.manual && isTicked(c, item.id, ticked);
        const done = item.status === 'passed' || tickedHere;
        const mark = tickedHere ? '✅' : item.notApplicable !== undefined ? '➖' : MD_MARK[item.status];
        const tail =
          item.notApplicable !== undefined
            ? ` — ${escapeMd(item.description)}`
            : done
              ? ''
              : ` — ${item.manual ? 'check by hand' : escapeMd(item.description)}`;
        out.push(`- [${done ? 'x' : ' '}] ${mark} ${escapeMd(item.title)}${tail}`);
        for (const e of item.status === 'passed' ? explainedEntries(item) : []) {
          const at = e.loc ? where(e.loc) : undefined;
          out.push(`  - ${at ? `\`${at}\` ` : ''}${escapeMd(e.label)}`);
        }
        if (!done) {
          for (const e of item.entries.slice(0, 5)) {
            const at = e.loc ? where(e.loc) : undefined;
            out.push(`  - ${at ? `\`${at}\` ` : ''}${escapeMd(e.label)}`);
          }
          if (item.entries.length > 5) out.push(`  - … and ${item.entries.length - 5} more`);
        }
      }
      out.push('');
    }
  }
  out.push(
    '<sub>Generated by Django Deploy Hygiene. ✅ passed · ❌ failing · ⚠️ needs attention · ❔ unknown · ✋ check by hand · ➖ not applicable</sub>',
  );
  return out.join('\n') + '\n';
}

/** The rows of a passed item that say which comment explained a choice set aside (engine/intent.ts). */
function explainedEntries(item: Checklist['groups'][number]['items'][number]): Checklist['groups'][number]['items'][number]['entries'] {
  return item.explained ? item.entries.filter((e) => e.label.startsWith(EXPLAINED_REASON)) : [];
}

function escapeMd(s: string): string {
  // GitHub does not read intraword underscores as emphasis: SECRET_KEY stays readable.
  return s.replace(/([<>*[\]])/g, '\\$1');
}
