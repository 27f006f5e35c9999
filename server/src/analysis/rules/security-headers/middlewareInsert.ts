// Builds the fix that adds a missing middleware to a MIDDLEWARE list written as one literal
// (`MIDDLEWARE = [...]`): a new item in the list's own layout (one per line, or inline) and quotes.
// Anything else — a list built by concatenation with names, edited later, read from elsewhere — gets
// no fix, since the new item's position in the final list could not be told.
import { lineEnding } from '../fixes/edits';
import * as V from '../../eval/values';
import type { MwList } from '../middleware/order';
import type { Fix, RuleContext, RuleGroup, TextEdit } from '../types';
import { PerAnalysis } from '../../base/perAnalysis';

/**
 * The groups whose rules can react to a middleware being added: the settings SecurityMiddleware,
 * XFrameOptionsMiddleware and CsrfViewMiddleware read (HTTPS, cookies, security headers), and the
 * middleware rules (order, dependencies).
 */
const REACTING: readonly RuleGroup[] = ['https-cookies', 'security-headers', 'middleware'];

type Outcomes = { counts: Map<string, number>; unknown: Set<string> } | undefined;

/** Per analysis (its Settings): the outcomes of the settings as they are, computed once for the three rules. */
const baselines = new PerAnalysis<object, Outcomes>();

/** Findings per rule, and the rules that could not decide, of the reacting rules on the settings with `change` made. */
function outcomesWith(ctx: RuleContext, change: Parameters<RuleContext['recheck']>[0]): Outcomes {
  const settings = ctx.settings;
  if (!change && baselines.has(settings)) return baselines.get(settings);
  const counts = new Map<string, number>();
  const unknown = new Set<string>();
  const ok = ctx.recheck(change, (f) => counts.set(f.code, (counts.get(f.code) ?? 0) + 1), {
    groups: REACTING,
    onUnknown: (code) => unknown.add(code),
  });
  const out = ok ? { counts, unknown } : undefined;
  if (!change) baselines.set(settings, out);
  return out;
}

/**
 * The fix adding a missing middleware, offered only when adding it starts nothing else: the engine
 * runs the rules that can react to it (REACTING) with the middleware added, and when any of them reports more than
 * before, or can no longer decide, the settings that middleware reads come first (their own
 * fixes), since adding it would start reporting them (or turn on values nobody chose). No rule
 * imports another's verdict for this.
 */
export function addMiddlewareFix(ctx: RuleContext, list: MwList, path: string, index: number, title: string): Fix | undefined {
  if (!ctx.wantsFixes) return undefined;
  const fix = insertMiddleware(ctx, list, path, index, title);
  const seq = list.setting.value;
  if (!fix || !V.isSeq(seq)) return undefined;
  const items = [...seq.items];
  items.splice(index, 0, V.str(path, 'literal', list.setting.loc));
  const before = outcomesWith(ctx, undefined);
  const after = outcomesWith(ctx, { setting: list.setting.name, value: V.seq(seq.kind, items, seq.origin, seq.loc) });
  if (!before || !after) return undefined;
  for (const [code, n] of after.counts) if (code !== ctx.code && n > (before.counts.get(code) ?? 0)) return undefined;
  for (const code of after.unknown) if (!before.unknown.has(code)) return undefined;
  return fix;
}

/** The rest of an item's line: spaces (1), its comma (2), spaces after a comma and a comment (3), the line end (4). */
export const ITEM_LINE_REST = /^([ \t]*)(,?)((?:(?<=,)[ \t]*)?(?:#[^\r\n]*)?)(\r\n|\n|\r)/;

/** The edits inserting `path` before item `index` of the list (at the end when index is its length). */
export function insertMiddleware(ctx: RuleContext, list: MwList, path: string, index: number, title: string): Fix | undefined {
  const s = list.setting;
  if (!s.isSet || !list.complete || !list.ordered || list.items.length === 0) return undefined;
  const rhs = ctx.fixer.rhsOf(s.binding);
  const text = rhs ? ctx.fileText(rhs.file) : undefined;
  if (!rhs || text === undefined) return undefined;
  const source = text.slice(rhs.start, rhs.end);
  if (!/^[[(]/.test(source) || !/[\])]$/.test(source)) return undefined;
  // Every item must be a string literal of this statement, in order: the list was not edited later.
  let last = rhs.start;
  for (const item of list.items) {
    const l = item.loc;
    if (l.file !== rhs.file || l.start < last || l.end > rhs.end || !/^['"]/.test(text.slice(l.start, l.end))) return undefined;
    last = l.end;
  }
  const eol = lineEnding(text);
  const lineStart = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const ownLine = (offset: number): boolean => /^[ \t]*$/.test(text.slice(lineStart(offset), offset));
  const neighbour = list.items[Math.min(index, list.items.length - 1)]!;
  const quote = text[neighbour.loc.start]!;
  const literal = `${quote}${path}${quote}`;
  const edits: TextEdit[] = [];
  if (index < list.items.length) {
    const at = neighbour.loc.start;
    if (ownLine(at)) {
      const start = lineStart(at);
      edits.push({ file: rhs.file, start, end: start, newText: `${text.slice(start, at)}${literal},${eol}` });
    } else edits.push({ file: rhs.file, start: at, end: at, newText: `${literal}, ` });
  } else if (ownLine(neighbour.loc.start)) {
    // after the last item's line: its comma (added when missing) and any comment stay where they are
    const rest = ITEM_LINE_REST.exec(text.slice(neighbour.loc.end));
    if (!rest) return undefined;
    const next = neighbour.loc.end + rest[0].length;
    const indent = text.slice(lineStart(neighbour.loc.start), neighbour.loc.start);
    if (!rest[2]) edits.push({ file: rhs.file, start: neighbour.loc.end, end: neighbour.loc.end, newText: ',' });
    edits.push({ file: rhs.file, start: next, end: next, newText: `${indent}${literal},${eol}` });
  } else edits.push({ file: rhs.file, start: neighbour.loc.end, end: neighbour.loc.end, newText: `, ${literal}` });
  return { title, safety: 'unsafe', edits };
}
