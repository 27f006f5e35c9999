// The dependency walk after an edit: the statements after an edited statement that read or write
// what it wrote (and, in turn, what those wrote) run again after it, in order (Walk), each when it
// can run again alone: not opaque, no barrier, no workspace read, no variable made required, the
// containers it changes in place put back as they were before it (cannotPutBack), no function it
// defines called by a statement that does not run again (calledOutside). rerun.ts runs them.
import type { UserFn } from '../eval/frame';
import type { ModuleResult } from '../eval/scope';
import type { Value } from '../eval/values';
import { reaches } from './reach';
import { DEFINES, rootOf, type StatementRecord } from './records';
import type { ModuleTracker } from './tracker';

/** At most this many statements run again after an edited one (a dependency walk; see MAX_CALLERS_RERUN, functionEdit.ts). */
export const MAX_DEPENDENTS_RERUN = 96;

/**
 * The statements after an edited one that read or write what it wrote (see dependentsOf), run
 * again after it in order; the names bound by those run so far (in the namespace, their values are
 * those at the point the next one runs: every later statement writing one of them is in the walk).
 */
export interface Walk {
  readonly deps: number[];
  readonly members: Set<number>;
  readonly written: Set<string>;
  /**
   * The containers a statement of the walk put back as it was before it, to run again on it: a
   * later statement of the walk changing one runs on it as the statements before leave it
   * (`INSTALLED_APPS += […]` after another), not put back to what it saw before the edit.
   */
  readonly remade: Set<Value>;
  /** The name of an Env the edited statement binds (its readers are not followed by name, see patchModule). */
  readonly skip?: string;
}

/**
 * For an edited statement k that later statements read or write what it wrote: those statements
 * (and, in turn, those reading or writing what they wrote), when each can run again alone (as
 * bodyEdit's callers: not opaque, no barrier, containers changed in place only through a key path
 * or put back as they were before it (cannotPutBack), no workspace read, no function defined but
 * as definesFunctionsOnly allows, no variable made required, in the same file), at most
 * MAX_DEPENDENTS_RERUN; else why not.
 */
export function dependentsOf(mod: ModuleResult, tracker: ModuleTracker, k: number, rk: StatementRecord): number[] | string {
  const deps = tracker.dependents(k, MAX_DEPENDENTS_RERUN);
  if (deps === undefined) return `more than ${MAX_DEPENDENTS_RERUN} later statements read or write what it wrote`;
  return cannotRerun(mod, tracker, deps, rk) ?? deps;
}

/**
 * The later statements reading `names` (that statement `k` of a walk binds now and did not), and
 * in turn those reading or writing what they write, join the walk when each can run again alone
 * (cannotRerun) and the walk stays within MAX_DEPENDENTS_RERUN; else why not.
 */
export function widenWalk(
  mod: ModuleResult,
  tracker: ModuleTracker,
  k: number,
  rk: StatementRecord,
  names: readonly string[],
  walk: Walk,
): string | undefined {
  const deps = tracker.dependents(k, MAX_DEPENDENTS_RERUN, [], walk.skip, names);
  const joining = deps?.filter((d) => !walk.members.has(d));
  if (joining === undefined || joining.length + walk.members.size > MAX_DEPENDENTS_RERUN)
    return `the new statement binds names that more than ${MAX_DEPENDENTS_RERUN} statements of the walk would read`;
  const why = cannotRerun(mod, tracker, joining, rk);
  if (why !== undefined) return `the new statement binds names a later statement reads, and ${why}`;
  joinWalk(walk, joining);
  return undefined;
}

/**
 * Whether a statement after record `k` that reads names of other modules may see `containers`
 * (changed in place by a key path): their namespaces reach one, or what they read is not known
 * (a namespace read as a whole, an import). A statement calling a helper of another module
 * (DjangoGirls' `sanitize()` after `DATABASES["default"] = …`) sees nothing of this module's dicts.
 */
export function foreignSees(tracker: ModuleTracker, k: number, containers: Iterable<Value>): boolean {
  if (!tracker.laterIs(k, 'foreign')) return false;
  const values = tracker.foreignValuesAfter(k);
  if (values === undefined) return true;
  return reaches(values, new Set(containers)) !== false;
}

/**
 * Why the containers the edited statement `rk` (record `k`) changed in place, other than through
 * a literal key path, cannot be put back as they were before it so that it runs again on them
 * (`if API_TOKENS_ENABLED: REST_FRAMEWORK["…"] += (…)`), if they cannot: a statement after it
 * changes one too, or reads other modules whose namespaces may hold one (what later statements
 * of the module read is checked once it ran: rerunStatement).
 */
export function cannotPutBack(
  mod: ModuleResult,
  tracker: ModuleTracker,
  k: number,
  rk: StatementRecord,
  /** Statements that run again after it (a dependency walk's): they read what it leaves again. */
  rerunAfter?: ReadonlySet<number>,
): string | undefined {
  const saved = rk.snapshots;
  if (saved === undefined || rk.mutated.some((c) => !saved.has(c))) return 'it changes a container in place';
  const after = tracker.mutatedAfter(k);
  const changedLater = rk.mutated.filter((c) => after.has(c));
  // (unless each statement changing one later runs again after it, on the container as it leaves it: Walk.remade)
  if (changedLater.length > 0 && !(rerunAfter && tracker.mutatorsIn(k, changedLater, rerunAfter)))
    return 'it changes a container in place that a later statement changes too';
  const later: Value[] = [];
  for (const name of tracker.readsAfter(k, rerunAfter)) {
    const b = mod.scope.vars.get(name);
    if (b) later.push(b.value);
  }
  if (reaches(later, new Set(rk.mutated)) !== false) return 'it changes a container in place that a later statement reads';
  if (foreignSees(tracker, k, rk.mutated)) return 'a later statement reads other modules that may hold a container it changes';
  return undefined;
}

/** Why one of the statements `deps` cannot run again after the edited statement `rk`, if one cannot (see dependentsOf). */
export function cannotRerun(mod: ModuleResult, tracker: ModuleTracker, deps: readonly number[], rk: StatementRecord): string | undefined {
  const recs = tracker.records;
  // (the statements run again: the edited one or the edited function's definition, and deps)
  let members: Set<number> | undefined;
  for (const i of deps) {
    const r = recs[i]!;
    if (r.file !== rk.file) return 'a statement of another file reads or writes what it wrote';
    if (
      r.fns.length > 0 &&
      definesFunctionsOnly(r) &&
      !r.barrier &&
      !(r.host && !r.missingImports) &&
      !(r.mutated.length > 0 && !r.keyed) &&
      !r.requires
    ) {
      members ??= new Set([recs.indexOf(rk), ...deps]);
      if (calledOutside(tracker, i, r.fns, members))
        return 'a later statement reading or writing what it wrote defines a function that a statement not run again called';
      if (r.keyed && foreignSees(tracker, i, r.mutated)) return 'a later statement reads other modules that may hold what it changes';
      continue;
    }
    if (
      r.mutated.length > 0 &&
      !r.keyed &&
      !r.opaque &&
      !r.barrier &&
      !(r.host && !r.missingImports) &&
      r.fns.length === 0 &&
      !r.requires
    ) {
      // it changed containers in place (`if FLAG: INSTALLED_APPS += […]` reading the edited
      // statement's FLAG): put back as they were before it, it runs again on them, when no
      // statement after it changes one, nor reads one unless it runs again after it too (the
      // statements run again before it are checked as they run: rerunStatement's caller)
      members ??= new Set([recs.indexOf(rk), ...deps]);
      const why = cannotPutBack(mod, tracker, i, r, members);
      if (why !== undefined) return `a later statement reading or writing what it wrote cannot run again alone (${why})`;
      continue;
    }
    if (r.opaque || r.barrier || (r.host && !r.missingImports) || r.fns.length > 0 || (r.mutated.length > 0 && !r.keyed) || r.requires)
      return `a later statement reading or writing what it wrote cannot run again alone (${r.opaque ?? r.barrier ?? 'it changes a container, makes a variable required or reads the workspace'})`;
    if (r.keyed && foreignSees(tracker, i, r.mutated)) return 'a later statement reads other modules that may hold what it changes';
  }
  return undefined;
}

/**
 * Whether a statement's only reason not to run again alone is that it defines functions (`def`,
 * `lambda`; not a class, nor a method): run again, it makes new function objects, which is what a
 * full evaluation makes, as long as no statement that does not run again called the old ones
 * (calledOutside). Names bound to them are followed like any other: the statements reading them
 * run again too (the dependency walk).
 */
export function definesFunctionsOnly(r: StatementRecord): boolean {
  return (
    r.opaque === DEFINES &&
    r.fns.length > 0 &&
    r.fns.every((fn) => fn.kind === 'object' && fn.tag === 'user-fn' && !(fn.data as UserFn).method && !(fn.data as UserFn).classMethod)
  );
}

/**
 * Whether a statement after record `k`, other than `members` (the statements run again), called one
 * of `fns` (by identity: StatementRecord.called): its result would be the old function's.
 */
export function calledOutside(tracker: ModuleTracker, k: number, fns: readonly Value[], members: ReadonlySet<number> | undefined): boolean {
  const defined = new Set(fns);
  const recs = tracker.records;
  for (let i = k + 1; i < recs.length; i++) {
    if (members?.has(i)) continue;
    const called = recs[i]!.called;
    if (called) for (const fn of called) if (defined.has(fn)) return true;
  }
  return false;
}

/**
 * Why the statements run again so far (`rerun`, their new records) may have seen `containers` as a
 * later statement left them, if they may: one changed one, read other modules, or read a name
 * whose value at its place reaches one.
 */
export function seenBefore(
  mod: ModuleResult,
  tracker: ModuleTracker,
  rerun: readonly StatementRecord[],
  containers: readonly Value[],
): string | undefined {
  const targets = new Set(containers);
  const recs = tracker.records;
  for (const r of rerun) {
    if (r.mutated.some((c) => targets.has(c))) return 'changed one too';
    if (r.foreignNames !== undefined || r.foreignWhole || r.foreignUnknown) return 'read other modules';
    const k = recs.indexOf(r);
    const values: Value[] = [];
    for (const name of r.reads.keys()) {
      // the binding at its place: the one before the first statement after it that binds the name
      const w = k >= 0 ? tracker.firstWriterAfter(k, name) : undefined;
      const b = w !== undefined && w >= 0 ? recs[w]!.before.get(name) : mod.scope.vars.get(name);
      if (b) values.push(b.value);
    }
    if (reaches(values, targets) !== false) return 'read a name reaching one';
  }
  return undefined;
}

/**
 * Whether name `name`, read by statement `k` of a walk, holds here what a full evaluation has
 * although later statements write it: it is bound to a container the walk put back (Walk.remade:
 * by `k` itself or a statement run before it), and every later statement writing it changes that
 * container in place, without binding the name, and runs again after `k`.
 */
export function remadeRead(mod: ModuleResult, tracker: ModuleTracker, k: number, name: string, walk: Walk): boolean {
  const b = mod.scope.vars.get(name);
  if (!b || !walk.remade.has(b.value)) return false;
  const recs = tracker.records;
  for (const u of tracker.writesAfter(k, name)) {
    const r = recs[u.i]!;
    if (
      rootOf(u.name) !== name ||
      !walk.members.has(u.i) ||
      r.before.has(name) ||
      !r.mutatedRoots.has(name) ||
      !r.mutated.includes(b.value)
    )
      return false;
  }
  return true;
}

/**
 * Statements `ids` (after every statement of the walk run so far) join the walk, in statement order
 * among those still to run: a walk's loop reads its deps by index, so they run in their turn.
 */
export function joinWalk(walk: Walk, ids: readonly number[]): void {
  for (const d of ids) {
    if (walk.members.has(d)) continue;
    walk.members.add(d);
    let at = walk.deps.length;
    while (at > 0 && walk.deps[at - 1]! > d) at--;
    walk.deps.splice(at, 0, d);
  }
}
