// The list-editing fix engine: quick fixes that move or remove entries of a list setting (MIDDLEWARE,
// and INSTALLED_APPS for the debug toolbar) in the source text where they are written.
//
// A rule describes what it wants as a Change on the evaluated list ("move SecurityMiddleware above
// SessionMiddleware"). Before a fix is offered:
// - the change is tried on the evaluated list and every middleware rule is run again on the result
//   (the rules' own checks, not a copy of them): the finding must be gone and no rule may report more
//   than before, so a move never trades one ordering problem for another;
// - the change is written into the source, and only where the result is certain to evaluate to the
//   tried list: inside one list literal whose entries form one unbroken run of the final list and
//   whose name is only ever extended at its ends (`+=`, `.append()`, `.insert(0, …)`), never edited
//   at a position (`.insert(2, …)`, slices, `del`), which a reordering would shift; or in the
//   statement of the production module that adds the entry (`MIDDLEWARE.append(x)` becomes
//   `MIDDLEWARE.insert(1, x)`) when that statement is the last to touch the list. Anything else
//   gets no fix.
// Text edits keep everything that is not moved: whole lines move with their comma, trailing comment
// and the comment lines directly above them, in the list's indentation and line endings; a
// single-line list keeps its separators and only its items change places; a removed entry leaves
// its comments behind.
// Several safe moves in one list are also offered as one combined fix, so that "fix all" applies
// them in one go instead of stacking moves that were each computed on the original order.
import { isPartial } from '../../models/settings/query';
import { lineEnding } from './edits';
import type { Loc, Value } from '../../eval/values';
import * as V from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { PythonDocument } from '../../parse/pythonDocument';
import type { Settings, SettingValue } from '../../models/settings/settings';
import type { RuleContext, SettingsChange, Severity } from '../types';
import type { Fix, FixSafety, TextEdit } from './types';
import { PerAnalysis } from '../../base/perAnalysis';

/** An entry of a list setting, where it is written and where it stands in the list. */
export interface ListEntry {
  /** The dotted path, when the item is a known string. */
  readonly name: string | undefined;
  readonly value: Value;
  readonly loc: Loc;
  readonly index: number;
}
type MwItem = ListEntry;

/** What a rule wants done to a list setting to resolve one finding. */
export interface Change {
  /** The list setting edited (MIDDLEWARE, MIDDLEWARE_CLASSES, INSTALLED_APPS). */
  readonly setting: SettingValue;
  readonly kind: 'move' | 'remove';
  /** The entries moved (in the order they end up in) or removed. */
  readonly items: readonly MwItem[];
  /** Where moved entries go: directly before or directly after this entry. */
  readonly before?: MwItem;
  readonly after?: MwItem;
  /** The fix title; it says so when the change alters behaviour. */
  readonly title: string;
  readonly safety: FixSafety;
}

// ---- the evaluated list ------------------------------------------------------------------------

/** The list with the change made, or undefined when the change does not fit the list. */
function applyChange(order: readonly Value[], c: Change): Value[] | undefined {
  if (new Set(order).size !== order.length) return undefined; // one value listed twice (`X + X`): positions are ambiguous
  const taken = new Set(c.items.map((i) => i.value));
  const rest = order.filter((v) => !taken.has(v));
  if (rest.length !== order.length - taken.size) return undefined;
  if (c.kind === 'remove') return rest;
  const anchor = (c.before ?? c.after)?.value;
  const at = anchor ? rest.indexOf(anchor) : -1;
  if (at < 0) return undefined;
  const pos = c.before ? at : at + 1;
  return [...rest.slice(0, pos), ...c.items.map((i) => i.value), ...rest.slice(pos)];
}

/**
 * Entries whose order relative to a moved entry the change reverses: the middleware a moved one
 * now runs before (or after) instead. Rules judge a move's safety by them.
 */
export function passedOver(items: readonly MwItem[], c: Change): MwItem[] {
  const next = applyChange(
    items.map((i) => i.value),
    c,
  );
  if (!next || c.kind !== 'move') return [];
  const moved = new Set(c.items.map((i) => i.value));
  const pos = new Map(next.map((v, i) => [v, i]));
  return items.filter((other) => {
    if (moved.has(other.value)) return false;
    return c.items.some((m) => m.index < other.index !== pos.get(m.value)! < pos.get(other.value)!);
  });
}

/** Django's own middleware and apps (whose behaviour the analysis knows), as opposed to third-party or project code. */
export function isDjangos(item: MwItem): boolean {
  return item.name !== undefined && item.name.startsWith('django.');
}

// ---- re-running the rules on a changed list ------------------------------------------------------

interface SimFinding {
  readonly code: string;
  readonly loc: Loc;
  change?: Change;
}

/** Findings of the simulation in progress; while set, rules report changes instead of building fixes. */
let recording: SimFinding[] | undefined;

/** Every middleware rule's findings on the settings with `override` applied; undefined when a rule fails on it. */
function simulate(ctx: RuleContext, override?: { name: string; items: Value[] }): SimFinding[] | undefined {
  const found: SimFinding[] = [];
  const outer = recording;
  recording = found;
  try {
    let change: SettingsChange | undefined;
    if (override) {
      const v = ctx.settings.get(override.name).value as V.SeqValue;
      change = { setting: override.name, value: V.seq(v.kind, override.items, v.origin, v.loc) };
    }
    return ctx.recheck(change, (f) => found.push({ code: f.code, loc: f.loc })) ? found : undefined;
  } finally {
    recording = outer;
  }
}

const sameLoc = (a: Loc, b: Loc): boolean => a.file === b.file && a.start === b.start && a.end === b.end;

function counts(findings: readonly SimFinding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.code, (m.get(f.code) ?? 0) + 1);
  return m;
}

/** No rule reports more than before. */
function noWorse(before: readonly SimFinding[], after: readonly SimFinding[]): boolean {
  const b = counts(before);
  return [...counts(after)].every(([code, n]) => n <= (b.get(code) ?? 0));
}

/** The finding is gone and nothing got worse. */
function resolves(before: readonly SimFinding[], after: readonly SimFinding[], f: SimFinding): boolean {
  return !after.some((x) => x.code === f.code && sameLoc(x.loc, f.loc)) && noWorse(before, after);
}

// ---- what rules call ---------------------------------------------------------------------------

/**
 * Reports a finding with the quick fixes that carry out `change` (none when it cannot be done
 * safely).
 */
export function reportWithChange(
  ctx: RuleContext,
  finding: { loc: Loc; message: string; severity?: Severity },
  change: Change | undefined,
): void {
  if (recording) {
    ctx.report(finding);
    const last = recording[recording.length - 1];
    if (last && change) last.change = change;
    return;
  }
  let fixes: Fix[] = [];
  if (change && ctx.wantsFixes) {
    try {
      fixes = fixesFor(ctx, ctx.code, finding.loc, change);
    } catch {
      // a fix that cannot be built is not offered; the finding stands
      fixes = [];
    }
  }
  ctx.report({ ...finding, fixes });
}

interface ListState {
  readonly baseline: readonly SimFinding[];
  readonly fixes: Map<SimFinding, Fix[]>;
}

/** Per analysis (its Settings object) and list setting: every finding's fixes, computed together. */
const states = new PerAnalysis<Settings, Map<string, ListState>>();

function fixesFor(ctx: RuleContext, code: string, loc: Loc, change: Change): Fix[] {
  const name = change.setting.name;
  let byName = states.get(ctx.settings);
  if (!byName) states.set(ctx.settings, (byName = new Map()));
  let state = byName.get(name);
  if (!state) byName.set(name, (state = listState(ctx, name)));
  const f = state.baseline.find((x) => x.code === code && sameLoc(x.loc, loc) && x.change?.title === change.title);
  return f ? (state.fixes.get(f) ?? []) : [];
}

function itemsOf(ctx: RuleContext, name: string): Value[] | undefined {
  const v = ctx.settings.get(name).value;
  return V.isSeq(v) && !isPartial(v) ? v.items : undefined;
}

/**
 * How many findings of one list get a fix verified on its own, and how many changes the combined
 * fix tries. Each verification re-runs the group's rules over the whole list, so a list with
 * hundreds of findings (200 debug-toolbar entries) would take quadratic time; past these, the
 * remaining findings get no fix of their own (applying the first ones and analysing again offers
 * the next), which keeps the work linear in the length of the list.
 */
export const MAX_VERIFIED_PER_LIST = 16;
const MAX_COMBINED_TRIES = 32;

function listState(ctx: RuleContext, name: string): ListState {
  const fixes = new Map<SimFinding, Fix[]>();
  const baseline = simulate(ctx);
  const order = itemsOf(ctx, name);
  if (!baseline || !order) return { baseline: baseline ?? [], fixes };
  const own = baseline.filter((f) => f.change?.setting.name === name);
  const single = new Map<SimFinding, Fix>();
  for (const f of own.slice(0, MAX_VERIFIED_PER_LIST)) {
    const next = applyChange(order, f.change!);
    const after = next && simulate(ctx, { name, items: next });
    if (!next || !after || !resolves(baseline, after, f)) continue;
    const edits = realize(ctx, order, next, [f.change!], false);
    if (edits) single.set(f, { title: f.change!.title, safety: f.change!.safety, edits });
  }
  const safe = [...single.values()].filter((x) => x.safety === 'safe');
  const plan = safe.length >= 2 ? combinedPlan(ctx, name, order, baseline) : undefined;
  const resolvedByPlan = (f: SimFinding): boolean => !!plan && !plan.after.some((x) => x.code === f.code && sameLoc(x.loc, f.loc));
  if (safe.length >= 2) {
    // Moves computed on the same order do not stack. With a combined fix, only the moves it covers
    // (their findings get it first, and their edits lie inside its own) stay safe, so that "fix all"
    // takes the combined fix alone; without one, only the first move stays safe (one per pass).
    const span = plan?.fix.edits[0];
    const covered = (f: SimFinding, x: Fix): boolean =>
      resolvedByPlan(f) && !!span && x.edits.every((e) => e.file === span.file && e.start > span.start && e.end < span.end);
    let kept = !!plan;
    for (const [f, x] of single) {
      if (x.safety !== 'safe' || covered(f, x)) continue;
      if (!kept) kept = true;
      else single.set(f, { ...x, safety: 'unsafe', title: `${x.title} (apply alone: the other ${name} fixes move entries it counts on)` });
    }
  }
  for (const f of own) {
    const list: Fix[] = [];
    if (resolvedByPlan(f)) list.push(plan!.fix);
    const x = single.get(f);
    if (x) list.push(x.safety === 'safe' && list.length === 0 ? { ...x, preferred: true } : x);
    fixes.set(f, list);
  }
  return { baseline, fixes };
}

/**
 * The safe changes applied one after the other, each computed by the rules on the list the previous
 * ones left, as one fix. Only when there are at least two and they all land in one list literal.
 */
function combinedPlan(
  ctx: RuleContext,
  name: string,
  order: Value[],
  baseline: readonly SimFinding[],
): { fix: Fix; after: readonly SimFinding[] } | undefined {
  let current = order;
  let sim = baseline;
  const applied: Change[] = [];
  let tries = 0;
  for (let round = 0; round < 8; round++) {
    let progressed = false;
    for (const f of sim) {
      const c = f.change;
      if (!c || c.safety !== 'safe' || c.setting.name !== name) continue;
      if (++tries > MAX_COMBINED_TRIES) break;
      const next = applyChange(current, c);
      const after = next && simulate(ctx, { name, items: next });
      if (!next || !after || !resolves(sim, after, f)) continue;
      current = next;
      sim = after;
      applied.push(c);
      progressed = true;
      break;
    }
    if (!progressed) break;
  }
  if (applied.length < 2 || !noWorse(baseline, sim)) return undefined;
  const edits = realize(ctx, order, current, applied, true);
  if (!edits) return undefined;
  const what = applied.map((c) => c.title.charAt(0).toLowerCase() + c.title.slice(1)).join('; ');
  return { fix: { title: `Fix ${name}: ${what}`, safety: 'safe', preferred: true, edits }, after: sim };
}

// ---- from a change to text edits ---------------------------------------------------------------

/** Edits turning the source into one that evaluates to `next`, or undefined when that is not certain. */
function realize(ctx: RuleContext, order: Value[], next: Value[], changes: readonly Change[], whole: boolean): TextEdit[] | undefined {
  const first = changes[0]!;
  const statementFirst = changes.length === 1 && first.kind === 'remove';
  if (statementFirst) {
    const s = removeStatement(ctx, order, first);
    if (s) return s;
  }
  const lit = literalEdits(ctx, order, next, changes, whole);
  if (lit) return lit;
  if (changes.length === 1 && first.kind === 'move') return moveStatement(ctx, order, next, first);
  return undefined;
}

// Source access: documents come from the workspace's parse cache (the buffer being edited, else the
// file as the workspace read it).
function docOf(ctx: RuleContext, file: string): PythonDocument | undefined {
  const doc = ctx.document(file);
  if (!doc || /\r(?!\n)/.test(doc.text)) return undefined; // old-Mac line endings: lines cannot be told apart reliably
  return doc.hasError ? undefined : doc;
}

/** A node with the chain of its ancestors (chunk root first) and the chunk's base offset. */
interface Located {
  readonly text: string;
  readonly base: number;
  /** Ancestors, outermost first; the node itself is last. */
  readonly chain: readonly PyNode[];
}

/** The outermost node written exactly at `loc`. */
function nodeAt(ctx: RuleContext, loc: Loc): Located | undefined {
  const doc = docOf(ctx, loc.file);
  if (!doc) return undefined;
  for (const chunk of doc.chunks) {
    const b = chunk.base;
    if (b + chunk.node.start > loc.start || b + chunk.node.end < loc.end) continue;
    const chain: PyNode[] = [chunk.node];
    let n = chunk.node;
    while (b + n.start !== loc.start || b + n.end !== loc.end) {
      const c = n.children.find((k) => b + k.start <= loc.start && b + k.end >= loc.end);
      if (!c) return undefined;
      chain.push(c);
      n = c;
    }
    return { text: doc.text, base: b, chain };
  }
  return undefined;
}

const node = (l: Located): PyNode => l.chain[l.chain.length - 1]!;
const parentOf = (l: Located): PyNode | undefined => l.chain[l.chain.length - 2];

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The value of a plain string literal node ("x", 'x', r"x"), or undefined. */
function stringValue(text: string, base: number, n: PyNode): string | undefined {
  if (n.type !== 'string') return undefined;
  const m = /^[rRuU]?(['"])([^'"\\\r\n]*)\1$/.exec(text.slice(base + n.start, base + n.end));
  return m?.[2];
}

function operatorText(n: PyNode): string | undefined {
  return n.children.find((c) => !c.named && c.field === 'operator')?.text ?? undefined;
}

// ---- how the rest of the configuration uses the list --------------------------------------------

/**
 * True when every mention of the `tracked` names in the files the production settings ran only
 * extends their list at its ends, reads it, or builds it from literals and concatenations, so that
 * reordering or removing entries inside one of their literals changes nothing else. `skip` is a
 * statement that the fix deletes.
 */
function onlyEndEdits(
  ctx: RuleContext,
  tracked: ReadonlySet<string>,
  present: ReadonlySet<string>,
  skip?: { file: string; start: number; end: number },
): boolean {
  for (const file of ctx.evaluation.files) {
    const text = ctx.fileText(file);
    if (text === undefined) return false;
    if (![...tracked].some((t) => text.includes(t))) continue;
    const doc = docOf(ctx, file);
    if (!doc) return false;
    for (const chunk of doc.chunks) {
      const base = chunk.base;
      let ok = true;
      const visit = (n: PyNode, anc: PyNode[]): void => {
        if (!ok) return;
        if (skip && skip.file === file && base + n.start >= skip.start && base + n.end <= skip.end) return;
        if (n.type === 'identifier' && n.text !== null && tracked.has(n.text) && !mentionAllowed(n, anc, text, base, tracked, present)) {
          ok = false;
          return;
        }
        anc.push(n);
        for (const c of n.children) visit(c, anc);
        anc.pop();
      };
      visit(chunk.node, []);
      if (!ok) return false;
    }
  }
  return true;
}

function mentionAllowed(
  id: PyNode,
  anc: readonly PyNode[],
  text: string,
  base: number,
  tracked: ReadonlySet<string>,
  present: ReadonlySet<string>,
): boolean {
  let i = anc.length - 1;
  let p = anc[i];
  let ref: PyNode = id;
  if (!p) return false;
  if (p.type === 'keyword_argument' && field(p, 'name') === id) return true; // f(MIDDLEWARE=…) names a parameter
  if (p.type === 'dotted_name') {
    // `from .base import MIDDLEWARE` (an alias would let other names edit the list unseen)
    const g = anc[i - 1];
    return g?.type === 'import_from_statement' && field(g, 'module_name') !== p;
  }
  if (p.type === 'attribute' && field(p, 'attribute') === id) {
    ref = p; // base.MIDDLEWARE
    p = anc[--i];
    if (!p) return false;
  }
  if (p.type === 'assignment' && field(p, 'left') === ref) return buildsList(field(p, 'right'));
  if (p.type === 'augmented_assignment' && field(p, 'left') === ref) return operatorText(p) === '+=';
  if (p.type === 'attribute' && field(p, 'object') === ref) {
    const call = anc[i - 1];
    const method = field(p, 'attribute')?.text;
    if (call?.type !== 'call' || field(call, 'function') !== p || !method) return false;
    const args = namedChildren(field(call, 'arguments') ?? call).filter((a) => a !== p);
    switch (method) {
      case 'append':
      case 'extend':
      case 'index':
      case 'count':
      case 'copy':
        return true;
      case 'insert':
        return args[0]?.type === 'integer' && args[0].text === '0';
      case 'remove': {
        // removing a value the final list does not hold: which occurrence it removed cannot change
        const v = args.length === 1 ? stringValue(text, base, args[0]!) : undefined;
        return v !== undefined && !present.has(v);
      }
      default:
        return false;
    }
  }
  if (p.type === 'comparison_operator') {
    const ops = p.children.filter((c) => !c.named).map((c) => c.type);
    return namedChildren(p)[0] !== ref && ops.every((o) => o === 'in' || o === 'not in');
  }
  if ((p.type === 'for_statement' || p.type === 'for_in_clause') && field(p, 'right') === ref) return true;
  if (p.type === 'argument_list') {
    const call = anc[i - 1];
    if (call?.type === 'call' && field(call, 'function')?.text === 'len' && namedChildren(p).length === 1) return true;
  }
  // an operand of the list built for a tracked name: `MIDDLEWARE = BASE + [...]`, `MIDDLEWARE += EXTRA`
  let cur: PyNode = ref;
  while (
    p &&
    (p.type === 'parenthesized_expression' || (p.type === 'binary_operator' && operatorText(p) === '+') || isCopyCall(p, anc[i - 1]))
  ) {
    cur = p.type === 'argument_list' ? anc[--i]! : p;
    p = anc[--i];
  }
  if (!p || field(p, 'right') !== cur) return false;
  const left = field(p, 'left');
  const target = left?.type === 'identifier' ? left.text : left?.type === 'attribute' ? field(left, 'attribute')?.text : undefined;
  if (!target || !tracked.has(target)) return false;
  return p.type === 'assignment' || (p.type === 'augmented_assignment' && operatorText(p) === '+=');
}

/** `list(x)` / `tuple(x)`: the argument list of such a call (a copy in the same order). */
function isCopyCall(p: PyNode, call: PyNode | undefined): boolean {
  if (p.type !== 'argument_list' || call?.type !== 'call') return false;
  const fn = field(call, 'function')?.text;
  return (fn === 'list' || fn === 'tuple') && namedChildren(p).length === 1;
}

/** An expression building a list in order from literals, names and concatenations. */
function buildsList(e: PyNode | undefined): boolean {
  if (!e) return false;
  switch (e.type) {
    case 'list':
    case 'tuple':
    case 'identifier':
    case 'attribute':
      return true;
    case 'parenthesized_expression':
      return buildsList(namedChildren(e)[0]);
    case 'binary_operator':
      return operatorText(e) === '+' && buildsList(field(e, 'left')) && buildsList(field(e, 'right'));
    case 'call': {
      const fn = field(e, 'function')?.text;
      const args = namedChildren(field(e, 'arguments') ?? e);
      return (fn === 'list' || fn === 'tuple') && args.length === 1 && buildsList(args[0]);
    }
    default:
      return false;
  }
}

function presentNames(order: readonly Value[]): Set<string> {
  return new Set(order.flatMap((v) => (v.kind === 'str' ? [v.v] : [])));
}

// ---- list literals -----------------------------------------------------------------------------

interface Literal {
  readonly file: string;
  readonly text: string;
  readonly base: number;
  readonly node: PyNode;
  readonly elements: readonly PyNode[];
  /** The evaluated value each element became, in element order. */
  readonly values: readonly Value[];
  /** Index in the evaluated list of the first element (the elements are one run there). */
  readonly at: number;
}

/** The list literal `item` is written in, when the whole literal is one run of `order` and only its owner's ends are ever edited. */
function literalOf(ctx: RuleContext, order: readonly Value[], item: MwItem, setting: string): Literal | undefined {
  const at = nodeAt(ctx, item.loc);
  const list = at && parentOf(at);
  if (!at || !list || (list.type !== 'list' && list.type !== 'tuple')) return undefined;
  const elements = namedChildren(list);
  const file = item.loc.file;
  const values: Value[] = [];
  const indexes: number[] = [];
  for (const el of elements) {
    const matches = order.flatMap((v, i) =>
      v.loc && v.loc.file === file && v.loc.start === at.base + el.start && v.loc.end === at.base + el.end ? [i] : [],
    );
    if (matches.length !== 1) return undefined; // not a plain entry (a name, `*other`), or evaluated twice
    values.push(order[matches[0]!]!);
    indexes.push(matches[0]!);
  }
  if (indexes.some((x, k) => x !== indexes[0]! + k)) return undefined;
  const owner = ownerOf(at.chain.slice(0, -1));
  if (!owner) return undefined;
  if (!onlyEndEdits(ctx, new Set([setting, owner]), presentNames(order))) return undefined;
  return { file, text: at.text, base: at.base, node: list, elements, values, at: indexes[0]! };
}

/**
 * The name a list literal builds (the chain ends at the literal): `NAME = [...]`, `NAME += [...]`,
 * `NAME = OTHER + [...]`, `NAME.extend([...])`. Undefined when it is anything else (an argument,
 * a dict value…), whose other uses could not be followed.
 */
function ownerOf(chain: readonly PyNode[]): string | undefined {
  let i = chain.length - 1;
  let cur = chain[i]!;
  let p = chain[i - 1];
  while (p && (p.type === 'parenthesized_expression' || (p.type === 'binary_operator' && operatorText(p) === '+'))) {
    cur = p;
    p = chain[--i - 1];
  }
  if (!p) return undefined;
  if ((p.type === 'assignment' || (p.type === 'augmented_assignment' && operatorText(p) === '+=')) && field(p, 'right') === cur) {
    const left = field(p, 'left');
    return left?.type === 'identifier' ? (left.text ?? undefined) : undefined;
  }
  if (p.type === 'argument_list' && cur.type !== 'binary_operator' && namedChildren(p).length === 1) {
    const call = chain[i - 2];
    const fn = call?.type === 'call' ? field(call, 'function') : undefined;
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    if (fn && field(fn, 'attribute')?.text === 'extend' && obj?.type === 'identifier') return obj.text ?? undefined;
  }
  return undefined;
}

/** Element order of the literal after the changes, as element indexes; undefined when a change reaches outside it. */
function reorderElements(lit: Literal, changes: readonly Change[]): number[] | undefined {
  const index = new Map(lit.values.map((v, i) => [v, i]));
  let seq = lit.values.map((_, i) => i);
  for (const c of changes) {
    const els = c.items.map((i) => index.get(i.value));
    if (els.some((e) => e === undefined)) return undefined;
    const taken = new Set(els as number[]);
    seq = seq.filter((e) => !taken.has(e));
    if (c.kind === 'remove') continue;
    const anchor = index.get((c.before ?? c.after)!.value);
    const pos = anchor === undefined ? -1 : seq.indexOf(anchor);
    if (pos < 0) return undefined;
    const at = c.before ? pos : pos + 1;
    seq = [...seq.slice(0, at), ...(els as number[]), ...seq.slice(at)];
  }
  return seq;
}

function literalEdits(ctx: RuleContext, order: Value[], next: Value[], changes: readonly Change[], whole: boolean): TextEdit[] | undefined {
  const first = changes[0]!.items[0];
  if (!first) return undefined;
  const lit = literalOf(ctx, order, first, changes[0]!.setting.name);
  if (!lit) return undefined;
  const seq = reorderElements(lit, changes);
  if (!seq) return undefined;
  // The source edit must evaluate to exactly the list the rules were re-run on.
  const result = [...order.slice(0, lit.at), ...seq.map((e) => lit.values[e]!), ...order.slice(lit.at + lit.values.length)];
  if (result.length !== next.length || result.some((v, i) => v !== next[i])) return undefined;
  const layout = lineLayout(lit) ?? slotLayout(lit);
  return layout?.(changes, seq, whole);
}

type Layout = (changes: readonly Change[], seq: readonly number[], whole: boolean) => TextEdit[] | undefined;

interface Block {
  readonly el: number;
  /** Offsets of the block: its own comment lines above, the element's lines, through the line ending. */
  readonly start: number;
  readonly end: number;
  readonly elStart: number;
  readonly elEnd: number;
  readonly lineStart: number;
  readonly comma: boolean;
  readonly indent: string;
}

interface Seg {
  readonly id: string;
  readonly text: string;
  /** For an element's block: the element, and where it ends in `text` (for adding a comma). */
  readonly el?: number;
  readonly elEnd?: number;
  readonly comma?: boolean;
}

/** The rest of an element's line: its comma (1), the comment, the line end (spaces after a comma only: [ \t]*,?[ \t]* split a run of spaces each way). */
export const ELEMENT_LINE_REST = /^[ \t]*(,?)(?:(?<=,)[ \t]*)?(?:#[^\r\n]*)?\r?\n/;

/**
 * Layout with each element on lines of its own (`[` and `]` on theirs): elements move as whole
 * lines. Undefined for any other layout.
 */
function lineLayout(lit: Literal): Layout | undefined {
  const { text, base, node: list, file } = lit;
  const open = base + list.start;
  const close = base + list.end - 1;
  const afterOpen = /^[ \t]*(?:#[^\r\n]*)?\r?\n/.exec(text.slice(open + 1));
  if (!afterOpen || lit.elements.length === 0) return undefined;
  const interiorStart = open + 1 + afterOpen[0].length;
  const interiorEnd = lineStart(text, close);
  if (!/^[ \t]*$/.test(text.slice(interiorEnd, close))) return undefined;
  const blocks: Block[] = [];
  let prevEnd = interiorStart;
  for (const [el, n] of lit.elements.entries()) {
    const elStart = base + n.start;
    const elEnd = base + n.end;
    const ls = lineStart(text, elStart);
    if (ls < prevEnd || !/^[ \t]*$/.test(text.slice(ls, elStart))) return undefined;
    const rest = ELEMENT_LINE_REST.exec(text.slice(elEnd));
    if (!rest) return undefined;
    const end = elEnd + rest[0].length;
    if (end > interiorEnd) return undefined;
    // comment lines directly above belong to the element, unless they look like a commented-out entry
    let start = ls;
    while (start > prevEnd) {
      const above = lineStart(text, start - 1);
      if (!/^[ \t]*#(?![ \t]*['"])/.test(text.slice(above, start))) break;
      start = above;
    }
    blocks.push({ el, start, end, elStart, elEnd, lineStart: ls, comma: rest[1] === ',', indent: text.slice(ls, elStart) });
    prevEnd = end;
  }
  const eol = lineEnding(text);
  const original: Seg[] = [];
  const offsets = new Map<string, [number, number]>();
  let cursor = interiorStart;
  for (const b of blocks) {
    original.push({ id: `g${b.el}`, text: text.slice(cursor, b.start) });
    offsets.set(`g${b.el}`, [cursor, b.start]);
    original.push({ id: `b${b.el}`, text: text.slice(b.start, b.end), el: b.el, elEnd: b.elEnd - b.start, comma: b.comma });
    offsets.set(`b${b.el}`, [b.start, b.end]);
    cursor = b.end;
  }
  original.push({ id: 'tail', text: text.slice(cursor, interiorEnd) });
  offsets.set('tail', [cursor, interiorEnd]);
  // between the elements' lines only blank and comment lines (a comma on a line of its own would not move)
  if (original.some((s) => s.el === undefined && !/^(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*$/.test(s.text))) return undefined;

  const reindent = (seg: Seg, from: Block, to: Block): Seg => {
    if (from.indent === to.indent || /[\r\n]/.test(text.slice(from.elStart, from.elEnd))) return seg;
    const lines = seg.text.split(/(?<=\n)/);
    const out = lines.map((l) => (l.startsWith(from.indent) ? to.indent + l.slice(from.indent.length) : l));
    const shift = out.join('').length - seg.text.length;
    return { ...seg, text: out.join(''), elEnd: seg.elEnd! + shift };
  };
  const remnant = (b: Block): Seg => {
    // the element goes; its comments stay, each on a line of its own
    const lead = text.slice(b.start, b.lineStart);
    const comments: string[] = [];
    const collect = (n: PyNode): void => {
      if (n.type === 'comment' && n.text) comments.push(n.text);
      n.children.forEach(collect);
    };
    collect(lit.elements[b.el]!);
    const trailing = /#[^\r\n]*/.exec(text.slice(b.elEnd, b.end));
    if (trailing) comments.push(trailing[0]);
    const lineEnd = /\r?\n$/.exec(text.slice(b.start, b.end))?.[0] ?? eol;
    return { id: `r${b.el}`, text: lead + comments.map((c) => b.indent + c + lineEnd).join('') };
  };

  return (changes, seq, whole) => {
    let segs = [...original];
    const find = (el: number): number => segs.findIndex((s) => s.el === el);
    for (const c of changes) {
      const els = c.items.map((i) => lit.values.indexOf(i.value));
      if (c.kind === 'remove') {
        for (const el of els) segs[find(el)] = remnant(blocks[el]!);
        continue;
      }
      const anchorEl = lit.values.indexOf((c.before ?? c.after)!.value);
      const moving = els.map((el) => segs[find(el)]!);
      segs = segs.filter((s) => !moving.includes(s));
      const a = find(anchorEl);
      const target = blocks[anchorEl]!;
      const placed = moving.map((s) => reindent(s, blocks[s.el!]!, target));
      segs.splice(c.before ? a : a + 1, 0, ...placed);
    }
    const order = segs.filter((s) => s.el !== undefined).map((s) => s.el!);
    if (order.length !== seq.length || order.some((e, i) => e !== seq[i])) return undefined;
    // every element but the last needs its comma (a tuple of one needs it too)
    const lastBlock = segs.map((s) => s.el !== undefined).lastIndexOf(true);
    segs = segs.map((s, i) => {
      const needs = i !== lastBlock || (list.type === 'tuple' && order.length === 1);
      return s.el !== undefined && needs && !s.comma
        ? { ...s, text: s.text.slice(0, s.elEnd!) + ',' + s.text.slice(s.elEnd!), comma: true }
        : s;
    });
    if (whole) {
      const interior = segs.map((s) => s.text).join('');
      return [
        { file, start: open, end: close + 1, newText: text.slice(open, interiorStart) + interior + text.slice(interiorEnd, close + 1) },
      ];
    }
    return segmentEdits(file, text, original, segs, offsets, interiorEnd);
  };
}

/** Minimal edits from one segment sequence to another (a longest common subsequence of segment ids). */
function segmentEdits(
  file: string,
  text: string,
  before: readonly Seg[],
  after: readonly Seg[],
  offsets: ReadonlyMap<string, [number, number]>,
  end: number,
): TextEdit[] {
  const n = before.length;
  const m = after.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = before[i]!.id === after[j]!.id ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const raw: TextEdit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i]!.id === after[j]!.id) {
      if (before[i]!.text !== after[j]!.text) {
        const [s, e] = offsets.get(before[i]!.id)!;
        raw.push({ file, start: s, end: e, newText: after[j]!.text });
      }
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      const [s, e] = offsets.get(before[i]!.id)!;
      if (s !== e) raw.push({ file, start: s, end: e, newText: '' });
      i++;
    } else {
      const at = i < n ? offsets.get(before[i]!.id)![0] : end;
      if (after[j]!.text) raw.push({ file, start: at, end: at, newText: after[j]!.text });
      j++;
    }
  }
  return mergeTouching(text, raw);
}

/**
 * Edits that touch (an insertion where a deletion starts) become one: clients may apply touching
 * edits in either order. Input edits are in document order, insertions before removals at one point.
 */
function mergeTouching(text: string, edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && e.start <= last.end)
      out[out.length - 1] = {
        ...last,
        end: Math.max(last.end, e.end),
        newText: last.newText + text.slice(last.end, Math.max(last.end, e.start)) + e.newText,
      };
    else out.push(e);
  }
  return out;
}

/**
 * Layout without comments inside the brackets (`["a", "b"]`, or items wrapped over lines): the
 * items change places and the separators between them stay as they are.
 */
function slotLayout(lit: Literal): Layout | undefined {
  const { text, base, node: list, file } = lit;
  if (list.children.some((c) => c.type === 'comment') || lit.elements.length === 0) return undefined;
  const open = base + list.start;
  const close = base + list.end - 1;
  const els = lit.elements.map((n) => text.slice(base + n.start, base + n.end));
  const seps: string[] = [];
  let cursor = open + 1;
  for (const n of lit.elements) {
    seps.push(text.slice(cursor, base + n.start));
    cursor = base + n.end;
  }
  const tail = text.slice(cursor, close);
  return (_changes, seq, whole) => {
    let interior = seq.map((e, i) => seps[i] + els[e]).join('') + (seq.length === 0 ? seps[0] : '') + tail;
    if (list.type === 'tuple' && seq.length === 1 && !tail.includes(',')) interior = seps[0] + els[seq[0]!] + ',' + tail;
    const old = text.slice(open + 1, close);
    if (whole) return [{ file, start: open, end: close + 1, newText: `${text[open]}${interior}${text[close]}` }];
    let p = 0;
    while (p < old.length && p < interior.length && old[p] === interior[p]) p++;
    let s = 0;
    while (s < old.length - p && s < interior.length - p && old[old.length - 1 - s] === interior[interior.length - 1 - s]) s++;
    // widen to whole items, so that the edit replaces items rather than pieces of them
    for (const n of lit.elements) {
      const a = base + n.start - open - 1;
      const b = base + n.end - open - 1;
      if (a < p && p < b) p = a;
      if (a < old.length - s && old.length - s < b) s = old.length - b;
    }
    return [{ file, start: open + 1 + p, end: close - s, newText: interior.slice(p, interior.length - s) }];
  };
}

// ---- statements that add one entry ---------------------------------------------------------------

interface AddingStatement {
  readonly at: Located;
  /** The expression statement. */
  readonly stmt: PyNode;
  readonly form: 'append' | 'insert' | 'augmented' | 'extend';
  readonly call?: PyNode;
  /** For `+= [x]` and `.extend([x])`: the one-entry literal. */
  readonly literal?: PyNode;
  /** The statement's parent (module-level when undefined) and its ancestors. */
  readonly parents: readonly PyNode[];
}

/** The statement that adds `item` and nothing else to `setting`: `.append(x)`, `.insert(i, x)`, `+= [x]`, `.extend([x])`. */
function addingStatement(ctx: RuleContext, item: MwItem, setting: string): AddingStatement | undefined {
  const at = nodeAt(ctx, item.loc);
  if (!at) return undefined;
  const chain = at.chain;
  const k = chain.length - 1;
  const p = chain[k - 1];
  const named = (target: PyNode | undefined): boolean => target?.type === 'identifier' && target.text === setting;
  let expr: PyNode | undefined;
  let form: AddingStatement['form'] | undefined;
  let call: PyNode | undefined;
  let literal: PyNode | undefined;
  let depth = 0;
  if (p?.type === 'argument_list') {
    call = chain[k - 2];
    const fn = call?.type === 'call' ? field(call, 'function') : undefined;
    const method = fn?.type === 'attribute' && named(field(fn, 'object')) ? field(fn, 'attribute')?.text : undefined;
    const args = namedChildren(p);
    if (method === 'append' && args.length === 1) form = 'append';
    else if (method === 'insert' && args.length === 2 && args[1] === node(at) && args[0]!.type === 'integer') form = 'insert';
    expr = call;
    depth = k - 2;
  } else if ((p?.type === 'list' || p?.type === 'tuple') && namedChildren(p).length === 1) {
    literal = p;
    const g = chain[k - 2];
    if (g?.type === 'augmented_assignment' && operatorText(g) === '+=' && field(g, 'right') === p && named(field(g, 'left'))) {
      form = 'augmented';
      expr = g;
      depth = k - 2;
    } else if (g?.type === 'argument_list' && namedChildren(g).length === 1) {
      call = chain[k - 3];
      const fn = call?.type === 'call' ? field(call, 'function') : undefined;
      if (fn?.type === 'attribute' && named(field(fn, 'object')) && field(fn, 'attribute')?.text === 'extend') {
        form = 'extend';
        expr = call;
        depth = k - 3;
      }
    }
  }
  const stmt = chain[depth - 1];
  if (!form || !expr || stmt?.type !== 'expression_statement' || namedChildren(stmt).length !== 1) return undefined;
  // alone on its lines: nothing before it, only a comment after it
  const text = at.text;
  const s = at.base + stmt.start;
  const e = at.base + stmt.end;
  if (!/^[ \t]*$/.test(text.slice(lineStart(text, s), s)) || !/^[ \t]*(?:#[^\r\n]*)?(?:\r?\n|$)/.test(text.slice(e))) return undefined;
  const parents = chain.slice(0, depth - 1);
  return { at, stmt, form, call, literal, parents };
}

/** Removes the statement that adds the removed entry; its comments stay (and `pass` keeps a block from becoming empty). */
function removeStatement(ctx: RuleContext, order: Value[], c: Change): TextEdit[] | undefined {
  if (c.items.length !== 1) return undefined;
  const item = c.items[0]!;
  const st = addingStatement(ctx, item, c.setting.name);
  if (!st) return undefined;
  const { at, stmt } = st;
  const text = at.text;
  const start = lineStart(text, at.base + stmt.start);
  const tail = /^[ \t]*(#[^\r\n]*)?(\r?\n|$)/.exec(text.slice(at.base + stmt.end))!;
  const end = at.base + stmt.end + tail[0].length;
  const file = item.loc.file;
  const rest = order.filter((v) => v !== item.value);
  if (!onlyEndEdits(ctx, new Set([c.setting.name]), presentNames(rest), { file, start, end })) return undefined;
  const comments: string[] = [];
  const collect = (n: PyNode): void => {
    if (n.type === 'comment' && n.text) comments.push(n.text);
    n.children.forEach(collect);
  };
  collect(stmt);
  if (tail[1]) comments.push(tail[1]);
  const indent = text.slice(start, at.base + stmt.start);
  const eol = tail[2] || lineEnding(text);
  const block = st.parents[st.parents.length - 1];
  const alone = block?.type === 'block' && namedChildren(block).length === 1;
  const lines = [...(alone ? ['pass'] : []), ...comments].map((l) => indent + l + eol);
  // at the very end of a file without a final newline, the line before keeps its own ending
  let from = start;
  if (lines.length === 0 && !tail[2] && start > 0) from = start - (text[start - 2] === '\r' ? 2 : 1);
  return [{ file, start: from, end, newText: lines.join('') }];
}

/**
 * Rewrites the production module's statement that adds the moved entry into `.insert(k, x)` at the
 * position the move asks for. Only when that statement is the last thing to touch the list (at
 * module level, after every import, no later mention), so that `k` is counted on the final list.
 */
function moveStatement(ctx: RuleContext, order: Value[], next: Value[], c: Change): TextEdit[] | undefined {
  if (c.items.length !== 1) return undefined;
  const item = c.items[0]!;
  const prod = ctx.project.production?.module.file;
  if (item.loc.file !== prod) return undefined;
  const st = addingStatement(ctx, item, c.setting.name);
  if (!st || st.parents.length !== 0) return undefined;
  const { at, stmt } = st;
  const doc = docOf(ctx, prod);
  if (!doc) return undefined;
  const stmtEnd = at.base + stmt.end;
  for (const chunk of doc.chunks) {
    if (chunk.base < stmtEnd) continue;
    let touches = false;
    const visit = (n: PyNode): void => {
      if (touches) return;
      if (
        n.type === 'import_statement' ||
        n.type === 'import_from_statement' ||
        n.type === 'future_import_statement' ||
        (n.type === 'identifier' && n.text === c.setting.name)
      )
        touches = true;
      else n.children.forEach(visit);
    };
    visit(chunk.node);
    if (touches) return undefined;
  }
  // The evaluated list must show the statement's own effect, untouched since.
  const index = order.indexOf(item.value);
  if (st.form === 'insert') {
    const k = Number(namedChildren(field(st.call!, 'arguments')!)[0]!.text);
    if (!Number.isInteger(k) || k < 0 || index !== Math.min(k, order.length - 1)) return undefined;
  } else if (index !== order.length - 1) return undefined;
  const k = next.indexOf(item.value);
  const file = prod;
  const b = at.base;
  const text = at.text;
  switch (st.form) {
    case 'insert': {
      const arg = namedChildren(field(st.call!, 'arguments')!)[0]!;
      return [{ file, start: b + arg.start, end: b + arg.end, newText: String(k) }];
    }
    case 'append': {
      const name = field(field(st.call!, 'function')!, 'attribute')!;
      return [
        { file, start: b + name.start, end: b + name.end, newText: 'insert' },
        { file, start: item.loc.start, end: item.loc.start, newText: `${k}, ` },
      ];
    }
    case 'extend': {
      const name = field(field(st.call!, 'function')!, 'attribute')!;
      const lit = st.literal!;
      return [
        { file, start: b + name.start, end: b + name.end, newText: 'insert' },
        { file, start: b + lit.start, end: b + lit.start + 1, newText: `${k}, ` },
        { file, start: b + lit.end - 1, end: b + lit.end, newText: '' },
      ];
    }
    case 'augmented': {
      const left = field(namedChildren(st.stmt)[0]!, 'left')!;
      const lit = st.literal!;
      if (/[\r\n]/.test(text.slice(b + left.end, b + lit.start))) return undefined;
      return [
        { file, start: b + left.end, end: b + lit.start + 1, newText: `.insert(${k}, ` },
        { file, start: b + lit.end - 1, end: b + lit.end, newText: ')' },
      ];
    }
  }
}
