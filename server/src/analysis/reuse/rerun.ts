// Running one top-level statement again, alone, on the namespace the kept evaluation left
// (rerunStatement): its old bindings undone, the names it read bound as they were at its place, the
// containers it changed in place put back; then the new statement runs (tracked, as the full
// evaluation ran it: tracking.ts) and what it did is checked against what the statements after it
// read and wrote (the tracker's index). When a check fails the kept state is no longer usable and
// the module is evaluated in full ('broken', with the reason in ModuleTracker.why).
import type { PyNode } from '../parse/ast';
import { BudgetExceeded, PyRaise } from '../eval/core';
import type { Frame } from '../eval/frame';
import type { Binding, ModuleResult, Scope } from '../eval/scope';
import type { Value } from '../eval/values';
import { reaches } from './reach';
import { newRecord, restoreFields, rootOf, spliceCalls, type StatementRecord } from './records';
import type { ModuleTracker } from './tracker';
import { trackedStatement, type TrackingContext } from './tracking';
import { definesFunctionsOnly, foreignSees, remadeRead, widenWalk, type Walk } from './walk';

/** The kept state can no longer be used (why: ModuleTracker.why): the module is evaluated in full. */
export function broken(tracker: ModuleTracker, why: string): 'broken' {
  tracker.why = why;
  return 'broken';
}

/** What a statement run again found before it ran (undoStatement), for the checks after it ran. */
interface Undone {
  /** The statement's record from the kept evaluation. */
  readonly rk: StatementRecord;
  /** The names the old statement bound (it was the last to write them), when a later statement reads the namespace's names. */
  readonly oldNames: readonly string[];
  /** The names the old statement bound first: kept in place while the new one runs (see undoStatement). */
  readonly firstBound: string[];
  /** The names it read that a later statement binds again: their binding at its place, and the final one. */
  readonly shifted: Map<string, { readonly final: Binding; readonly at: Binding }>;
  /** The containers it changed in place other than through a literal key path, put back as they were before it. */
  readonly putBack: Map<Value, Value> | undefined;
  /** The names of firstBound the new statement read while they were still the old statement's. */
  readonly readOld: Set<string>;
}

/**
 * Runs statement k of the module (its record's statement, or `node` in its place) again alone,
 * on the namespace the kept evaluation left: its old bindings undone, then checked as
 * patchModule says. Its new record, or 'broken' (the module must be evaluated in full).
 */
export function rerunStatement(
  cx: TrackingContext,
  mod: ModuleResult,
  tracker: ModuleTracker,
  k: number,
  node: PyNode,
  base: number,
  newText: string,
  file: string,
  barrierAfter: boolean,
  walk?: Walk,
): StatementRecord | 'broken' {
  const recs = tracker.records;
  const rk = recs[k]!;
  const u = undoStatement(cx, mod, tracker, k, rk, node, barrierAfter, walk);
  if (typeof u === 'string') return broken(tracker, u);
  const rec = runNewStatement(cx, mod, tracker, k, u, node, base, newText, file);
  if (typeof rec === 'string') return broken(tracker, rec);
  const why = checkWhatItDid(mod, tracker, k, u, rec, barrierAfter, walk) ?? checkWhatItReaches(mod, tracker, k, u, rec, walk);
  if (why !== undefined) return broken(tracker, why);
  // the new statement bound a name first: it went to the end of the namespace's order
  let moved = false;
  for (const [name, b] of rec.before) if (b === undefined && !u.firstBound.includes(name)) moved = true;
  const added = mod.calls.splice(rec.callStart);
  rec.callStart = rk.callStart;
  rec.callEnd = rk.callEnd;
  tracker.replace(k, rec);
  spliceCalls(mod.calls, recs, k, added);
  if (moved) reorderAfter(mod.scope, recs, k);
  if (walk) {
    for (const name of rk.before.keys()) walk.written.add(name);
    for (const name of rec.writes) walk.written.add(name);
  }
  return rec;
}

/**
 * Undoes the old statement's bindings, so that the new one runs on the namespace before it. A
 * name the old statement bound first stays where it is in the namespace's order (deleting it
 * would move it to the end, and putting the order back costs a pass over every name): the new
 * statement may not read it, and it is removed after if the new statement does not bind it. Only
 * for an expression statement: a statement with branches merges each name with the binding it
 * had before, without reading it. Why it cannot, if it cannot.
 */
function undoStatement(
  cx: TrackingContext,
  mod: ModuleResult,
  tracker: ModuleTracker,
  k: number,
  rk: StatementRecord,
  node: PyNode,
  barrierAfter: boolean,
  walk: Walk | undefined,
): Undone | string {
  const scope = mod.scope;
  // the names the old statement bound (it was the last to write them): all still bound
  const oldNames = barrierAfter ? [...rk.writes].filter((n) => !n.includes('\0')) : [];
  if (oldNames.some((n) => !scope.vars.has(n))) return 'a later statement reads the names of the namespace, and it unbinds one';
  const firstBound: string[] = [];
  const keepsPlace = node.type === 'expression_statement';
  for (const [name, b] of rk.before) {
    // (a dependency walk: a name a statement run again before it bound holds its value here)
    if (walk?.written.has(name)) continue;
    if (b) scope.vars.set(name, b);
    else if (keepsPlace) firstBound.push(name);
    else scope.vars.delete(name);
  }
  // a name it read that a later statement binds again: bound as it was at its place while it
  // runs (the binding before the first statement after it that binds it), then put back
  const shifted = new Map<string, { readonly final: Binding; readonly at: Binding }>();
  for (const name of rk.reads.keys()) {
    if (rk.before.has(name) || walk?.written.has(name)) continue;
    const w = tracker.firstWriterAfter(k, name);
    const at = w !== undefined && w >= 0 ? tracker.records[w]!.before.get(name) : undefined;
    const final = scope.vars.get(name);
    if (at === undefined || final === undefined) continue;
    shifted.set(name, { final, at });
    scope.vars.set(name, at);
  }
  // the containers it changed in place other than through a literal key path, as they were before
  // it (patchModule checked that no later statement changes or reads one): it runs again on them
  const putBack = !rk.keyed && rk.mutated.length > 0 ? rk.snapshots : undefined;
  if (putBack)
    for (const [c, saved] of putBack) {
      // (a statement of the walk run before it left it as a full evaluation does here)
      if (walk?.remade.has(c)) continue;
      cx.ev.mutating(c);
      restoreFields(c, saved);
      // (the statements of the walk after it run on it as it leaves it; only those put back: one
      // changed as the full evaluation left it, `L[0] = …` before `L += […]`, is not remade)
      walk?.remade.add(c);
    }
  return { rk, oldNames, firstBound, shifted, putBack, readOld: new Set() };
}

/**
 * Runs the new statement (tracked, on a new record), from the state shared between modules as the
 * full evaluation had it there; the names `shifted` are put back to their final bindings after.
 * Its record, or why it cannot be used (it raised, or ran out of budget).
 */
function runNewStatement(
  cx: TrackingContext,
  mod: ModuleResult,
  tracker: ModuleTracker,
  k: number,
  u: Undone,
  node: PyNode,
  base: number,
  newText: string,
  file: string,
): StatementRecord | string {
  const scope = mod.scope;
  const rec = newRecord(node, base + node.start, base + node.end, mod.calls.length);
  if (file !== mod.ref.file) {
    rec.file = file;
    rec.sharedAtStart = u.rk.sharedAtStart;
  }
  const f: Frame = { ...cx.ev.moduleFrame(mod, newText), file };
  f.base = base;
  const outer = cx.ev.tracker;
  cx.ev.tracker = tracker;
  cx.ev.stack.push(mod);
  // the shared state (environment, variables found required) as the full evaluation had it here
  const sharedBefore = tracker.sharedBefore(k);
  if (sharedBefore) cx.ev.restoreShared(sharedBefore);
  const depth = cx.ev.exprDepth;
  cx.ev.uncancellable++;
  const outerOld = tracker.oldBindings;
  const oldBindings = { bindings: new Map<string, Binding>(), read: u.readOld };
  for (const name of u.firstBound) {
    const b = scope.vars.get(name);
    if (b !== undefined) oldBindings.bindings.set(name, b);
  }
  tracker.oldBindings = oldBindings.bindings.size > 0 ? oldBindings : undefined;
  try {
    trackedStatement(cx, node, f, tracker, rec);
  } catch (e) {
    cx.ev.exprDepth = depth;
    if (e instanceof PyRaise || e instanceof BudgetExceeded) return 'it raised or ran out of budget';
    throw e;
  } finally {
    tracker.oldBindings = outerOld;
    cx.ev.uncancellable--;
    cx.ev.stack.pop();
    cx.ev.tracker = outer;
    for (const [name, { final }] of u.shifted) scope.vars.set(name, final);
  }
  return rec;
}

/**
 * Checks what the new statement `rec` did against the old one's record: the names it bound, the
 * containers it changed, what it asked the workspace; a statement of a walk that now binds names
 * it did not widens the walk. The names the old statement bound first that the new one does not
 * bind are unbound. Why it cannot be kept, if it cannot.
 */
function checkWhatItDid(
  mod: ModuleResult,
  tracker: ModuleTracker,
  k: number,
  u: Undone,
  rec: StatementRecord,
  barrierAfter: boolean,
  walk: Walk | undefined,
): string | undefined {
  const { rk, putBack } = u;
  const scope = mod.scope;
  for (const name of u.shifted.keys())
    if (rec.writes.has(name) || [...rec.writes].some((w) => rootOf(w) === name))
      return 'it writes a name a later statement binds again, which it read';
  // the calls it added to other modules are taken out again: those modules' calls are rebuilt
  // from every statement's, in order, once the patch is done (moduleReuse.ts, patch)
  for (const [m, calls] of rec.otherCalls ?? []) m.calls.length -= calls.length;
  if (rec.otherCalls !== undefined || rk.otherCalls !== undefined) tracker.otherCallsChanged = true;
  if (
    (rec.opaque && !definesFunctionsOnly(rec)) ||
    rec.barrier ||
    (rec.fns.length > 0 && !(definesFunctionsOnly(rec) && definesFunctionsOnly(rk))) ||
    (rec.host && !sameTrail(rec.missingImports, rk.missingImports))
  )
    return `the new statement: ${rec.opaque ?? rec.barrier ?? 'it reads the workspace or defines a function'}`;
  if (rk.keyed ? rec.keyed?.path !== rk.keyed.path : rec.keyed !== undefined || (rec.mutated.length > 0 && !putBack))
    return 'the new statement changes a container in place';
  // a container the new statement changed and the old one did not is as it was before it unless a later statement changed it
  if (putBack && rec.mutated.length > 0) {
    const after = tracker.mutatedAfter(k);
    if (rec.mutated.some((c) => !putBack.has(c) && after.has(c))) return 'the new statement changes a container a later statement changes';
  }
  for (const name of u.firstBound) {
    if (u.readOld.has(name)) return 'it read the binding it replaces'; // it read the old statement's binding
    if (rec.writes.has(name)) rec.before.set(name, undefined);
    else scope.vars.delete(name);
  }
  if (barrierAfter) {
    const newNames = [...rec.writes].filter((n) => !n.includes('\0'));
    if (newNames.length !== u.oldNames.length || newNames.some((n) => !u.oldNames.includes(n) || !scope.vars.has(n)))
      return 'a later statement reads the names of the namespace, and it binds other names';
  }
  // a statement of a walk that now binds names it did not (`if not LOG_LEVEL: LOG_LEVEL = …` whose
  // branch the edit flipped): the later statements reading them join the walk, when each can run
  // again alone; a later statement binding one again declines (the binding at its place would
  // not be the one the kept namespace holds)
  if (walk) {
    const added = [...rec.writes].filter((n) => !rk.writes.has(n));
    if (added.length > 0) {
      if (walk.skip !== undefined && added.some((n) => rootOf(n) === walk.skip))
        return 'the new statement binds the Env whose schema the edit changed';
      if (tracker.laterTouches(k, added, true)) return 'the new statement writes a name a later statement writes too';
      if (tracker.laterTouches(k, added, false, walk.members)) {
        const why = widenWalk(mod, tracker, k, rk, added, walk);
        if (why !== undefined) return why;
      }
    }
  }
  return undefined;
}

/**
 * Checks what the new statement `rec` reads and reaches against the statements after it: none of
 * them reads what it wrote or writes what it read (but those of its walk, which run again after
 * it), no condition after it makes a variable it defaults required, and no container it read or
 * changed was changed or is read after it. Why it cannot be kept, if it cannot.
 */
function checkWhatItReaches(
  mod: ModuleResult,
  tracker: ModuleTracker,
  k: number,
  u: Undone,
  rec: StatementRecord,
  walk: Walk | undefined,
): string | undefined {
  const { rk, shifted, putBack } = u;
  const scope = mod.scope;
  // (a dependency walk: the statements run again after it are not counted)
  const members = walk?.members;
  // (an Env whose schema the edit changed: its readers are those that looked up a changed key, see patchModule)
  const written = walk?.skip !== undefined ? [...rec.writes].filter((n) => n !== walk.skip) : rec.writes;
  if (
    tracker.laterTouches(k, written, false, members) ||
    tracker.laterTouches(k, rec.writes, true, members) ||
    tracker.laterTouches(
      k,
      [...rec.reads.keys()].filter((n) => !shifted.has(n)),
      true,
      members,
    )
  )
    return 'a later statement reads what the new statement wrote, or writes what it read';
  if (walk) {
    // a name it read that a statement run again after it writes: its value here is the one a
    // statement run again before it bound, or the one it had before this statement (put back
    // above); any other is the value a later statement left
    // (or a container the later statements writing it only change in place, after it in the walk,
    // which holds here what a full evaluation has: put back by it or a statement run before it)
    for (const name of rec.reads.keys())
      if (
        !walk.written.has(name) &&
        !rk.before.has(name) &&
        !shifted.has(name) &&
        tracker.laterTouches(k, [name], true) &&
        !remadeRead(mod, tracker, k, name, walk)
      )
        return 'it read a name a later statement writes';
  }
  const readValues = (names: Iterable<string>): Value[] => {
    const out: Value[] = [];
    for (const name of names) {
      // (a name it read at its place: that value, and the one later statements see)
      const at = shifted.get(name)?.at;
      if (at) out.push(at.value);
      const b = scope.vars.get(name);
      if (b) out.push(b.value);
    }
    return out;
  };
  // a condition after it makes variables required: a value it bound that defaults one would have
  // been rebound there
  const required = tracker.requiredAfter(k);
  if (required.size > 0)
    for (const name of rec.writes) {
      const v = scope.vars.get(name)?.value;
      if (v?.origin === 'env-default' && v.env?.some((e) => required.has(e.name)))
        return 'a later condition makes a variable it defaults required';
    }
  // what the new statement read was not changed in place after it (through an alias), but by
  // statements of its walk run again after it on a container holding here what a full evaluation
  // has (put back by it or a statement run before it: remadeRead)
  const mutatedAfter = tracker.mutatedAfter(k);
  if (walk) for (const c of mutatedAfter) if (walk.remade.has(c) && tracker.mutatorsIn(k, [c], walk.members)) mutatedAfter.delete(c);
  if (mutatedAfter.size > 0 && reaches(readValues(rec.reads.keys()), mutatedAfter) !== false)
    return 'what it read was changed in place later';
  // what it changed in place is not reached by what later statements read, nor by what it read
  if (rk.keyed) {
    const changed = new Set([...rk.mutated, ...rec.mutated]);
    // (a container a statement of its walk run before it put back: the statements of the walk
    // after it changing or reading it run again after it, on it as it leaves it)
    const remade = walk !== undefined && [...changed].every((c) => walk.remade.has(c));
    const laterReads = tracker.readsAfter(k, remade ? walk.members : undefined);
    if (reaches(readValues(laterReads), changed) !== false) return 'a later statement reaches the container it changed';
    if (reaches(readValues(rec.reads.keys()), changed) !== false) return 'it reaches the container it changed';
    if (foreignSees(tracker, k, changed)) return 'a later statement reads other modules that may hold what it changed';
  } else if (putBack) {
    // (what it read of the containers it changed was put back first: as a full evaluation read it)
    const changed = new Set([...rk.mutated, ...rec.mutated]);
    // (the statements of a walk run again after it read them as it leaves them)
    if (reaches(readValues(tracker.readsAfter(k, walk?.members)), changed) !== false)
      return 'a later statement reaches a container it changed';
    if (foreignSees(tracker, k, changed)) return 'a later statement reads other modules that may hold what it changed';
  }
  return undefined;
}

/**
 * Puts a patched namespace's names in the order a full evaluation binds them (star imports and
 * rules read them in that order): a name sits where the last statement that bound it while it was
 * unbound put it. Statement k was run again and the names it bound first went to the end of the
 * order; every other name is where it was. So the names statements after k bind first are moved
 * after them, in the order those statements bind them: a pass over the statements after k, not a
 * new order of every name.
 */
function reorderAfter(scope: Scope, recs: readonly StatementRecord[], k: number): void {
  const vars = scope.vars;
  const move = (b: Binding | undefined, name: string): void => {
    if (b !== undefined) return;
    const now = vars.get(name);
    if (now === undefined) return; // deleted by a statement after it
    vars.delete(name);
    vars.set(name, now);
  };
  for (let x = k + 1; x < recs.length; x++) recs[x]!.before.forEach(move);
}

/** Whether a statement run again asked the workspace what it asked before (imports of missing modules only), in the same order. */
function sameTrail(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((k, i) => k === b[i]);
}
