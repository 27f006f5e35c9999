// An edit inside the body of a function the module defines (the text before its body the same):
// the function changes in place, and the statements after it that called it (StatementRecord.called,
// by identity) run again, with the statements depending on them (the dependency walk, walk.ts) —
// unless no call of it ran or read what the edit changed (unreachedEdit: nothing runs again), or
// each call it made gives what it gave when given to the new body again (probe.ts: then only the
// statements whose calls give another result run again, or have their name bound to it).
import { field, type PyNode } from '../parse/ast';
import { blockOf } from '../eval/core';
import type { FnReach, UserFn } from '../eval/frame';
import type { ModuleResult } from '../eval/scope';
import type * as V from '../eval/values';
import type { Chunk, Edit, Plan } from './edit';
import { probeCalls } from './probe';
import type { StatementRecord } from './records';
import { broken, rerunStatement } from './rerun';
import type { ModuleTracker } from './tracker';
import type { TrackingContext } from './tracking';
import { cannotRerun, seenBefore, type Walk } from './walk';

/**
 * The most statements calling an edited function that are run again alone (bodyEdit). Re-running
 * them is never slower than evaluating the module in full, and far cheaper for a few dozen
 * (zulip's zulip_path(), 25 callers and the statements reading them: 10-16 ms in process against
 * 20-50 for the full evaluation); the hundreds of callers of a helper such as env_flag() cost
 * nearly as much (106 against 126 ms, BENCHMARKS.md), and are evaluated in full unless their calls
 * give what they gave (probeCalls: then only the statements whose calls give another result count).
 */
export const MAX_CALLERS_RERUN = 96;

/**
 * For an edit of statement `e.k` inside the body of the function it defines: whether no call of it
 * can tell (plan.unreached), else which statements calling it run again (plan.callers) or have
 * their calls given to the new body first (plan.probe). Why it cannot be patched, if it cannot.
 */
export function planFunctionEdit(
  mod: ModuleResult,
  tracker: ModuleTracker,
  e: Edit,
  rk: StatementRecord,
  ck: Chunk,
  plan: Plan,
): string | undefined {
  const k = e.k;
  // an edit inside the body of a function the module defines (the text before its body is the
  // same): the function is changed in place, and the statements after it that called it (they
  // are recorded by the function's identity) run again
  const called = bodyEdit(tracker, k, rk, ck, e.oldText, e.newText);
  if (typeof called === 'string') return called;
  // ...which no call of it ran nor read: every call gives what it gave, nothing runs again
  const unreached = called ? unreachedEdit(rk, ck, e.oldText, e.newText) : undefined;
  plan.unreached = unreached;
  // the statements that called it run again, with those reading or writing what they wrote (a
  // dependency walk, as for an edited statement); those whose calls the new body is given again
  // first (probeCalls): when each gives what it gave, none of them runs again
  if (called && !unreached) {
    const deps = tracker.dependents(k, MAX_CALLERS_RERUN, called);
    plan.rerunWhy =
      deps === undefined
        ? `more than ${MAX_CALLERS_RERUN} statements call it or read what those wrote`
        : cannotRerun(mod, tracker, deps, rk);
    if (plan.rerunWhy === undefined) plan.callers = deps;
    if (called.length > 0 && !tracker.unsampled.has(rk.fns[0]!)) plan.probe = called;
    else if (plan.rerunWhy !== undefined) return plan.rerunWhy;
  }
  return undefined;
}

/** An edit no call of the edited function could tell (plan.unreached): the function takes the new body, its marks following the edit. */
export function followUnreachedEdit(
  tracker: ModuleTracker,
  e: Edit,
  rk: StatementRecord,
  ck: Chunk,
  unreached: { readonly end: number },
): void {
  const d = (rk.fns[0] as V.ObjectValue).data as { body: readonly PyNode[]; text: string; base: number; reach: FnReach };
  const from = unreached.end - (d.base + d.body[0]!.start);
  d.body = blockOf(field(ck.node, 'body'));
  d.text = e.newText;
  d.base = ck.base;
  // (the marks after the edit follow it: FnReach)
  const ran = [...d.reach.ran];
  d.reach.ran.clear();
  for (const x of ran) d.reach.ran.add(x >= from ? x + e.delta : x);
  for (let x = 0; x < d.reach.seen.length; x++) if (d.reach.seen[x]! >= from) d.reach.seen[x]! += e.delta;
  tracker.unreached = true;
}

/**
 * The edited function takes its new body; its callers' calls are given to it again (plan.probe),
 * and the statements whose calls give another result (or plan.callers) run again, with what
 * depends on them.
 */
export function rerunCallers(
  cx: TrackingContext,
  mod: ModuleResult,
  tracker: ModuleTracker,
  e: Edit,
  plan: Plan,
  rk: StatementRecord,
  ck: Chunk,
): 'patched' | 'broken' {
  const { k, newText, file } = e;
  const recs = tracker.records;
  let callers = plan.callers;
  const d = (rk.fns[0] as V.ObjectValue).data as { body: readonly PyNode[]; text: string; base: number; reach?: FnReach };
  d.body = blockOf(field(ck.node, 'body'));
  d.text = newText;
  d.base = ck.base;
  // (its marks were of the old body)
  if (d.reach) d.reach.whole = true;
  tracker.fnEdited = true;
  const probe = plan.probe;
  if (probe) {
    // the statements whose calls give another result run again, with what depends on them
    const rebound: string[] = [];
    const changed = probeCalls(cx, mod, tracker, rk.fns[0] as V.ObjectValue, probe, rebound);
    if (changed === 'changed') return broken(tracker, 'a call of the function with its new body did more than return');
    if (changed.length === 0) {
      tracker.probed = { fn: rk.fns[0]!, rebound };
      return 'patched';
    }
    const skip = rk.writes.size === 1 ? [...rk.writes][0] : undefined;
    const deps = changed.length < probe.length && skip !== undefined ? tracker.dependents(k, MAX_CALLERS_RERUN, changed, skip) : callers;
    if (deps === undefined)
      return broken(tracker, `more than ${MAX_CALLERS_RERUN} statements calling it get another result, or read what those wrote`);
    const why = deps === callers ? plan.rerunWhy : cannotRerun(mod, tracker, deps, rk);
    if (why !== undefined || deps === undefined) return broken(tracker, `a call of the function gives another result, and ${why}`);
    callers = deps;
  }
  if (!callers) return broken(tracker, 'the statements calling the function cannot run again');
  const rerun: StatementRecord[] = [];
  const fnWalk: Walk = { deps: callers, members: new Set(callers), written: new Set(), remade: new Set() };
  // (chunk indexes by record: the statements after the edit are this file's)
  const chunkOf = new Map(e.at.map((r, x) => [r, x] as const));
  for (const c of callers) {
    const rc = recs[c]!;
    // (as for a dependency walk: containers put back before it were seen by none run before it)
    if (rc.mutated.length > 0 && !rc.keyed) {
      const why = seenBefore(
        mod,
        tracker,
        rerun,
        rc.mutated.filter((c) => !fnWalk.remade.has(c)),
      );
      if (why !== undefined)
        return broken(tracker, `a statement calling the function, run again before one that changes a container in place, ${why}`);
    }
    const chunk = e.chunks[chunkOf.get(c)!]!;
    const out = rerunStatement(cx, mod, tracker, c, chunk.node, chunk.base, newText, file, tracker.laterIs(c, 'barrier'), fnWalk);
    if (out === 'broken') return broken(tracker, `a statement calling the function: ${tracker.why}`);
    rerun.push(out);
  }
  tracker.rerun = rerun;
  return 'patched';
}

/**
 * For an edit of statement k that defines a function, inside its body only: the statements
 * after it that called the function (flat indexes), when each can run again alone (as
 * patchModule's edited statement: nothing after it reads or writes what it writes, no barrier
 * after it, no container changed in place, no workspace read, no function defined); a string
 * (why not) when the edit is inside a function's body but they cannot; undefined when the edit
 * is not inside a function's body.
 */
function bodyEdit(
  tracker: ModuleTracker,
  k: number,
  rk: StatementRecord,
  ck: { readonly node: PyNode; readonly base: number },
  oldText: string,
  newText: string,
): number[] | string | undefined {
  const o = rk.node;
  const n = ck.node;
  if (o.type !== 'function_definition' || n.type !== 'function_definition' || n.error || rk.fns.length !== 1) return undefined;
  const ob = field(o, 'body');
  const nb = field(n, 'body');
  if (!ob || !nb) return undefined;
  const oldBase = rk.start - o.start;
  if (oldText.slice(rk.start, oldBase + ob.start) !== newText.slice(ck.base + n.start, ck.base + nb.start)) return undefined;
  const fn = rk.fns[0]!;
  if (fn.kind !== 'object' || fn.tag !== 'user-fn') return 'the function is not followed';
  // the definition itself did nothing else (its defaults, the same text, are not evaluated again)
  if (rk.opaque !== 'it defines a function or class' || rk.barrier || rk.host || rk.mutated.length > 0 || rk.requires)
    return 'the definition does more than define the function';
  const recs = tracker.records;
  const callers: number[] = [];
  for (let i = k + 1; i < recs.length; i++) if (recs[i]!.called?.has(fn)) callers.push(i);
  return callers;
}

/**
 * An edit inside the body of the function record `rk` defines (bodyEdit: the text before the
 * body is the same) that no call of it can tell: it lies inside a statement of the body that no
 * call started, and touches nothing a call read without running it (FnReach); the body's other
 * statements are the same, at the same places (those after the edit moved by it), and the
 * statements holding the edit end where the edit moved their end. Then every call made so far,
 * by any module, gives with the new body what it gave with the old, as a full evaluation would
 * find: the edit's range in the old text, or undefined.
 */
function unreachedEdit(
  rk: StatementRecord,
  ck: { readonly node: PyNode; readonly base: number },
  oldText: string,
  newText: string,
): { readonly start: number; readonly end: number } | undefined {
  const fn = rk.fns[0];
  if (fn?.kind !== 'object' || fn.tag !== 'user-fn') return undefined;
  const d = fn.data as UserFn;
  const reach = d.reach;
  const first = d.body[0];
  if (!reach || reach.whole || !first || d.expr) return undefined;
  const nb = blockOf(field(ck.node, 'body'));
  // the edit: the text the old and new statement do not share at their ends
  const oStart = rk.start;
  const oEnd = rk.end;
  const nStart = ck.base + ck.node.start;
  const nEnd = ck.base + ck.node.end;
  let p = 0;
  while (oStart + p < oEnd && nStart + p < nEnd && oldText.charCodeAt(oStart + p) === newText.charCodeAt(nStart + p)) p++;
  let q = 0;
  while (q < oEnd - oStart - p && q < nEnd - nStart - p && oldText.charCodeAt(oEnd - 1 - q) === newText.charCodeAt(nEnd - 1 - q)) q++;
  const start = oStart + p;
  const end = oEnd - q;
  const delta = nEnd - nStart - (oEnd - oStart);
  const origin = d.base + first.start;
  // nothing read without being run is within a character of it
  for (let x = 0; x < reach.seen.length; x += 2)
    if (origin + reach.seen[x]! <= end + 1 && start - 1 <= origin + reach.seen[x + 1]!) return undefined;
  const oldAt = (n: PyNode): number => d.base + n.start;
  const newAt = (n: PyNode): number => ck.base + n.start;
  let found = false;
  // the statements of two blocks, old and new, pair by pair
  const pair = (olds: readonly PyNode[], news: readonly PyNode[]): boolean => {
    if (olds.length !== news.length) return false;
    for (let i = 0; i < olds.length; i++) {
      const o = olds[i]!;
      const n = news[i]!;
      if (o.type !== n.type || n.error) return false;
      const os = oldAt(o);
      const oe = d.base + o.end;
      const ns = newAt(n);
      const ne = ck.base + n.end;
      if (oe < start) {
        if (ns !== os || ne !== oe) return false;
      } else if (os > end) {
        if (ns !== os + delta || ne !== oe + delta) return false;
      } else {
        // it holds the edit: strictly inside, its end moved by it
        if (!(os < start && end < oe) || ns !== os || ne !== oe + delta) return false;
        if (!reach.ran.has(os - origin))
          found = true; // no call started it
        else {
          const ob = blocksIn(o);
          const nbs = blocksIn(n);
          if (ob.length !== nbs.length) return false;
          for (let b = 0; b < ob.length; b++) if (!pair(blockOf(ob[b]), blockOf(nbs[b]))) return false;
        }
      }
    }
    return true;
  };
  return pair(d.body, nb) && found ? { start, end } : undefined;
}

/** The blocks of a compound statement (its body, its clauses' bodies), in order; none in a block of theirs. */
function blocksIn(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  const walk = (n: PyNode): void => {
    for (const c of n.children) {
      if (c.type === 'block') out.push(c);
      else if (c.named) walk(c);
    }
  };
  walk(node);
  return out;
}
