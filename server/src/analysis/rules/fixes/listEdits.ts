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
//
// This module is what rules call (reportWithChange) and where a change is verified and its fixes
// built; the rest lives beside it:
//   listChange.ts        a change on the evaluated list (apply, the entries a move passes over)
//   listSource.ts        the source as the fixes read it (documents, the node at a place)
//   listUses.ts          whether the rest of the configuration only ever edits the list at its ends
//   listLiteral.ts       the list literal an entry is written in, its elements, their order after a change
//   listLiteralEdits.ts  moving and removing entries inside one literal, as text edits
//   listStatements.ts    the statements that add one entry: removed, or rewritten into `.insert(k, x)`
import { isPartial } from '../../models/settings/query';
import type { Loc, Value } from '../../eval/values';
import * as V from '../../eval/values';
import type { Settings } from '../../models/settings/settings';
import type { RuleContext, SettingsChange, Severity } from '../types';
import type { Fix, TextEdit } from './types';
import { PerAnalysis } from '../../base/perAnalysis';
import { applyChange, type Change } from './listChange';
import { literalEdits } from './listLiteralEdits';
import { moveStatement, removeStatement } from './listStatements';

export { isDjangos, passedOver, type Change, type ListEntry } from './listChange';

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
