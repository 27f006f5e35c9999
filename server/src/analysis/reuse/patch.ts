// Patching a tracked module after an edit (patchModule): statement-level re-evaluation of the module
// being typed into (issue 18). After a keystroke in a 5,000-line base module, only the edited
// top-level statement runs again, on the namespace the previous evaluation left, when that is
// provably what a full evaluation gives. This file decides what runs again and runs it; the edit is
// located in edit.ts, an edit inside a function's body is functionEdit.ts's, a statement runs again
// in rerun.ts, the statements depending on it are found in walk.ts.
//
// While a module is evaluated in full, a ModuleTracker records for each top-level statement what it
// read and wrote in the module's namespace (names; `D["k"]["j"] = …` with literal keys is a write of
// that key path only), the containers it changed in place, the library calls it made, the
// functions it defined and every location the evaluation created in the file. After an edit of one
// statement k (every other statement has the same text), the new k runs on the final namespace of
// the previous evaluation, instead of the whole module, when all of this holds (else the module is
// evaluated in full):
//   - the module finished normally (no raise, no budget, no dynamic code opening its namespace, no
//     syntax error, no template text, no django-configurations class);
//   - neither the old nor the new k is opaque: it does not read or write the namespace as a whole
//     (globals(), star imports of project-unknown modules, taint), import or read files (host
//     calls), change the state shared between modules (the environment it writes, variables found
//     required, files tested), define a function or class, leave a note, or read another module's
//     namespace while it changes containers in place;
//   - no statement after k is a barrier (it reads the namespace as a whole: dir(), globals(),
//     names made unknown), reads other modules while k changes a container in place, reads or
//     writes what k writes (old or new), or writes what the new k reads: k's inputs on the final
//     namespace are those it had before, and nothing after it saw its outputs (an index of reads
//     and writes by name answers this);
//   - no value the new k binds defaults an environment variable that a condition after it makes
//     required (that condition rebinds such names without reading them);
//   - containers: k changes none in place, except a key path written with literal keys by both the
//     old and the new k (the same target text, a root the value does not read), which the new k
//     overwrites; no container the new k can reach from the names it reads was changed in place
//     after it (through an alias), and none k changed can be reached from what later statements read.
// k runs from the state shared between modules (environment written, variables found required) as
// the full evaluation had it before k: the last statement before k that changed it kept a copy.
// Locations of everything after k shift by the edit's length change (the tracker keeps every
// location object the evaluation made in the file, and every function defined in it).
//
// Issue 31 widened this:
//   - include(): the statements of a file a top-level django-split-settings include() runs in the
//     module's namespace have records of their own (StatementRecord.file), in execution order; an
//     edit in that file re-runs its statement as above (sharedBefore: the state when the file
//     started running, or after its last statement that changed it);
//   - barriers: a statement before one re-runs alone when it binds exactly the names it bound
//     before (the barrier saw which names were bound; what it read or made unknown by name is a
//     read or a write like any other);
//   - an edit inside the body of a function defined at the top level (the text before the body
//     the same): the function changes in place and the statements after it that called it
//     (StatementRecord.called, by identity) run again with the statements depending on them (the
//     dependency walk below, at most 96);
//   - ... unless each call they made (StatementRecord.samples: what it was given and returned, kept
//     when the call did nothing else) gives the same result when given to the new body again, on
//     the namespace as it was at the call: those statements do not run again (a helper such as
//     env_flag() called by hundreds of them, typed into without changing what it returns); a
//     statement `NAME = helper(…)` whose call gives another result, and whose name no later
//     statement reads or writes, has NAME bound to the new result; only the others run again, with
//     what depends on them. A call given to the new body that does anything but return (binds a
//     name, changes a container, leaves a note, asks the workspace, changes the shared state)
//     makes the module evaluated in full (probe.ts);
//   - a dependency walk: the statements after an edited one that read or write what it wrote (and
//     what those wrote) run again after it, in order, each seeing the names it reads as they are
//     at its place (every statement writing a name the walk wrote is in it); at most 24;
//   - a name an edited statement read that a later statement binds again is bound as it was at the
//     statement's place while it runs again, then put back;
//   - a django-environ schema edited: the Env stays the same object, the changed keys' entries
//     replaced in place; only the statements that looked up a changed key (StatementRecord.envKeys)
//     run again, with their dependents;
//   - the calls a statement added to other modules (StatementRecord.otherCalls): a statement run
//     again takes its own out, and those modules' calls are rebuilt in statement order (moduleReuse.ts).
// The typing differential test (test/unit/module-cache.test.ts, "statement-level re-evaluation")
// checks patched results against full evaluations over every fixture, the model projects and
// chains built for these conditions.
import type { PythonDocument } from '../parse/pythonDocument';
import type { ModuleResult } from '../eval/scope';
import type * as V from '../eval/values';
import type { Value } from '../eval/values';
import { declined, followEdit, locateEdit, type Chunk, type Edit, type Plan } from './edit';
import { followUnreachedEdit, planFunctionEdit, rerunCallers } from './functionEdit';
import { envSchemes } from './reach';
import { DEFINES, keyedTarget, type StatementRecord } from './records';
import { broken, rerunStatement } from './rerun';
import { sameLoc, sameValue } from './same';
import type { ModuleTracker } from './tracker';
import type { TrackingContext } from './tracking';
import {
  calledOutside,
  cannotPutBack,
  cannotRerun,
  definesFunctionsOnly,
  dependentsOf,
  foreignSees,
  joinWalk,
  MAX_DEPENDENTS_RERUN,
  seenBefore,
} from './walk';

/**
 * Re-evaluates only the statement an edit changed, on `mod`'s namespace as the previous
 * evaluation left it (see the top of this file for when that is what a full evaluation gives).
 * `declined`: nothing was changed; `broken`: the module must be evaluated in full (its kept
 * state is no longer usable); `patched`: `mod` is the evaluation of the new text.
 */
export function patchModule(
  cx: TrackingContext,
  mod: ModuleResult,
  tracker: ModuleTracker,
  original: PythonDocument,
  file: string = mod.ref.file,
): 'patched' | 'declined' | 'broken' {
  tracker.patched = undefined;
  tracker.replaced = undefined;
  tracker.rerun = undefined;
  tracker.fnEdited = false;
  tracker.unreached = false;
  tracker.probed = undefined;
  tracker.otherCallsChanged = false;
  tracker.edit = undefined;
  tracker.why = undefined;
  if (tracker.blocked || mod.status !== 'done') return declined(tracker, tracker.blocked ?? 'the module did not end normally');
  const e = locateEdit(mod, tracker, original, file);
  if (typeof e === 'string') return declined(tracker, e);
  const plan = planPatch(mod, tracker, e);
  if (typeof plan === 'string') return declined(tracker, plan);
  // ---- from here the kept state changes: a failure means a full evaluation
  if (tracker.locs.length > 2 * tracker.fullLocs + 20_000) return declined(tracker, 'the log of locations doubled'); // evaluate in full, with a fresh log
  followEdit(tracker, e, plan);
  const { rk, ck } = e;
  if (rk && ck && plan.unreached) {
    followUnreachedEdit(tracker, e, rk, ck, plan.unreached);
    return 'patched';
  }
  if (rk && ck && (plan.callers || plan.probe)) return rerunCallers(cx, mod, tracker, e, plan, rk, ck);
  if (!rk || !ck || !plan.patchK) return 'patched';
  return rerunEdited(cx, mod, tracker, e, plan, rk, ck);
}

/** What the patch of edit `e` runs again (nothing changed yet), or why it cannot be patched. */
function planPatch(mod: ModuleResult, tracker: ModuleTracker, e: Edit): Plan | string {
  const { k, rk, ck } = e;
  const plan: Plan = {
    editEnd: rk ? rk.end : e.i < e.n ? tracker.records[e.at[e.i]!]!.start : e.oldText.length,
    patchK: false,
    unreached: undefined,
    callers: undefined,
    probe: undefined,
    rerunWhy: undefined,
    barrierAfter: false,
    walk: undefined,
    envEdit: undefined,
  };
  if (rk && ck) {
    const why = planFunctionEdit(mod, tracker, e, rk, ck, plan);
    if (why !== undefined) return why;
    if (!plan.callers && !plan.probe && !plan.unreached) {
      const patchK = statementPatchable(e, rk, ck);
      if (typeof patchK === 'string') return patchK;
      plan.patchK = patchK;
    }
  }
  if (rk && plan.patchK) {
    const why = planDependents(mod, tracker, e, rk, plan);
    if (why !== undefined) return why;
  }
  // the containers it changed in place can be put back (later statements changing one too run
  // again after it: they are in its walk)
  if (rk && plan.patchK && rk.mutated.length > 0 && !rk.keyed) {
    const why = cannotPutBack(mod, tracker, k, rk, plan.walk?.members);
    if (why !== undefined) return why;
  }
  // (the locations in the function's body after the edit follow it)
  if (plan.unreached) plan.editEnd = plan.unreached.end;
  return plan;
}

/** Whether the edited statement runs again (false: a comment stays a comment); why it cannot, if it cannot. */
function statementPatchable(e: Edit, rk: StatementRecord, ck: Chunk): boolean | string {
  const { oldText, newText } = e;
  const oldComment = oldText.startsWith('#', rk.start) && rk.reads.size === 0 && rk.writes.size === 0;
  if (ck.node.type === 'comment' && oldComment) return false;
  if (ck.node.type === 'comment' || oldComment || ck.node.error) return 'a comment became code, or a syntax error';
  if (
    (rk.opaque && !definesFunctionsOnly(rk)) ||
    rk.barrier ||
    (rk.fns.length > 0 && !definesFunctionsOnly(rk)) ||
    (rk.host && !rk.missingImports)
  )
    return rk.opaque ?? rk.barrier ?? (rk.host ? 'it reads the workspace' : DEFINES);
  const newKeyed = keyedTarget(ck.node, (x) => newText.slice(ck.base + x.start, ck.base + x.end));
  if (rk.keyed && newKeyed?.path !== rk.keyed.path) return 'the key path it writes changed';
  if (/^\s*(?:import|from)\b/.test(newText.slice(ck.base + ck.node.start, ck.base + ck.node.end))) return 'an import';
  return true;
}

/**
 * What the statements after the edited one read and write (the tracker's index, not a pass over
 * them): those that read or write what it wrote run again after it (plan.walk; for a django-environ
 * Env whose schema the edit changed, plan.envEdit: only those that looked up a changed key). A later
 * barrier (it reads the names of the namespace, makes names unknown or opens it to dynamic code)
 * saw which names were bound, not their values (it reads a value by name, a read like any other):
 * the new statement must bind exactly the names the old one bound (plan.barrierAfter, checked after
 * it ran), so that the barrier saw the same names. Why it cannot be patched, if it cannot.
 */
function planDependents(mod: ModuleResult, tracker: ModuleTracker, e: Edit, rk: StatementRecord, plan: Plan): string | undefined {
  const { k, ck } = e;
  plan.barrierAfter = tracker.laterIs(k, 'barrier');
  if (tracker.laterTouches(k, rk.writes, false) || tracker.laterTouches(k, rk.writes, true)) {
    // a django-environ Env bound by the statement (DefectDojo's 265-line `env = FileAwareEnv(…)`,
    // read by nearly every later statement): only those that looked up a key of its schema the
    // edit changed run again (the Env stays the same object, its schema changed in place)
    const name = rk.writes.size === 1 && !rk.keyed ? [...rk.writes][0]! : undefined;
    const bound = name !== undefined ? mod.scope.vars.get(name) : undefined;
    if (name !== undefined && bound && isEnv(bound.value) && !tracker.laterTouches(k, [name], true)) {
      plan.envEdit = { name, old: bound.value };
      plan.walk = { deps: [], members: new Set([k]), written: new Set(), remade: new Set(), skip: name };
      // the locations after the edit inside the statement follow it too (the schema's entries it did not change are kept)
      if (ck)
        plan.editEnd =
          rk.start +
          (rk.end - rk.start) -
          commonSuffix(e.oldText, rk.start, rk.end, e.newText, ck.base + ck.node.start, ck.base + ck.node.end);
    } else {
      // the statements after it that read or write what it wrote (a dependency walk: each runs
      // again after it, in order, see dependentsOf)
      const deps = dependentsOf(mod, tracker, k, rk);
      if (typeof deps === 'string') return deps;
      plan.walk = { deps, members: new Set([k, ...deps]), written: new Set(), remade: new Set() };
    }
  }
  if (rk.keyed && foreignSees(tracker, k, rk.mutated)) return 'a later statement reads other modules that may hold what it changes';
  if (rk.fns.length > 0 && calledOutside(tracker, k, rk.fns, plan.walk?.members))
    return 'a later statement that does not run again called a function it defines';
  return undefined;
}

/**
 * Runs the edited statement again (rerun.ts), then the statements of its walk; an Env whose schema
 * the edit changed stays the same object and takes the changed keys' entries, and the statements
 * that looked up one of them run again.
 */
function rerunEdited(
  cx: TrackingContext,
  mod: ModuleResult,
  tracker: ModuleTracker,
  e: Edit,
  plan: Plan,
  rk: StatementRecord,
  ck: Chunk,
): 'patched' | 'broken' {
  const { k, newText, file } = e;
  const { walk, envEdit } = plan;
  const recs = tracker.records;
  const out = rerunStatement(cx, mod, tracker, k, ck.node, ck.base, newText, file, plan.barrierAfter, walk);
  if (out === 'broken') return 'broken';
  tracker.patched = out;
  tracker.replaced = rk;
  if (envEdit && walk) {
    const b = mod.scope.vars.get(envEdit.name);
    const keys = b ? envChange(envEdit.old, b.value) : undefined;
    if (!b || !keys) return broken(tracker, 'the edited statement no longer makes an Env of the same kind');
    const data = envEdit.old.data as object;
    const deps = tracker.dependents(k, MAX_DEPENDENTS_RERUN, tracker.envReaders(k, data, keys), envEdit.name);
    if (deps === undefined)
      return broken(tracker, `more than ${MAX_DEPENDENTS_RERUN} later statements read what the schema's changed keys give`);
    const why = cannotRerun(mod, tracker, deps, rk);
    if (why !== undefined) return broken(tracker, why);
    // the kept Env takes the changed keys' entries, and stays bound
    const oldSchemes = envSchemes(data) as Map<string, unknown>;
    const newSchemes = envSchemes(b.value.kind === 'object' ? b.value.data : undefined)!;
    for (const key of keys) {
      const entry = newSchemes.get(key);
      if (entry) oldSchemes.set(key, entry);
      else oldSchemes.delete(key);
    }
    mod.scope.vars.set(envEdit.name, { ...b, value: envEdit.old });
    joinWalk(walk, deps);
  }
  if (walk) {
    const rerun = [out];
    for (const d of walk.deps) {
      const rd = recs[d]!;
      // a statement run again that changed containers in place other than through a key path:
      // they are put back as they were before it, so none of the statements run again before it
      // may have changed or read one (they saw them as this statement left them)
      if (rd.mutated.length > 0 && !rd.keyed) {
        const why = seenBefore(
          mod,
          tracker,
          rerun,
          rd.mutated.filter((c) => !walk.remade.has(c)),
        );
        if (why !== undefined) return broken(tracker, `a statement run again before one that changes a container in place ${why}`);
      }
      const chunk = e.chunks[e.at.indexOf(d)]!;
      const o = rerunStatement(cx, mod, tracker, d, chunk.node, chunk.base, newText, file, tracker.laterIs(d, 'barrier'), walk);
      if (o === 'broken') return broken(tracker, `a statement reading what it wrote: ${tracker.why}`);
      rerun.push(o);
    }
    tracker.rerun = rerun;
  }
  return 'patched';
}

/** Whether a value is a django-environ Env (its schema: envSchemes). */
function isEnv(v: Value): v is V.ObjectValue {
  return v.kind === 'object' && v.tag === 'fn' && envSchemes(v.data) !== undefined;
}

/**
 * The keys of the schema of Env `o` whose entries differ in Env `n` (casts and defaults compared
 * as values, with their provenance and locations), when `n` is an Env of the same kind at the
 * same place; else undefined.
 */
function envChange(o: V.ObjectValue, n: Value): Set<string> | undefined {
  if (!isEnv(n) || n.tag !== o.tag || n.origin !== o.origin || !sameLoc(n.loc, o.loc)) return undefined;
  const od = o.data as { name: string; attrs: Record<string, unknown> };
  const nd = n.data as { name: string; attrs: Record<string, unknown> };
  if (od.name !== nd.name || Object.keys(od.attrs).join() !== Object.keys(nd.attrs).join()) return undefined;
  const os = envSchemes(o.data)!;
  const ns = envSchemes(n.data)!;
  const keys = new Set<string>();
  for (const [key, e] of os) {
    const f = ns.get(key);
    if (!f || !sameValue(e.cast, f.cast) || !sameValue(e.default, f.default)) keys.add(key);
  }
  for (const key of ns.keys()) if (!os.has(key)) keys.add(key);
  return keys;
}

/** How many characters the statements old [os, oe) and new [ns, ne) end with in common (at most the shorter's length). */
function commonSuffix(oldText: string, os: number, oe: number, newText: string, ns: number, ne: number): number {
  let p = 0;
  const max = Math.min(oe - os, ne - ns);
  while (p < max && oldText.charCodeAt(os + p) === newText.charCodeAt(ns + p)) p++;
  let s = 0;
  while (s < max - p && oldText.charCodeAt(oe - 1 - s) === newText.charCodeAt(ne - 1 - s)) s++;
  return s;
}
