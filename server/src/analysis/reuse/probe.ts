// Probing the calls of an edited function: after an edit inside the body of a function the module
// defines, each call its callers made (their samples: CallSample, tracking.ts) is given to the new
// body again, with the same arguments, on the namespace as it was at the call. A statement whose
// calls all give what they gave need not run again; one that binds a name to the call's result
// (`LIST = env_list(…)`), read and written by no statement after it, has the name bound to the new
// result instead. A helper such as env_flag() called by hundreds of statements is typed into
// without any of them running again (functionEdit.ts decides when to probe).
import { field, type PyNode } from '../parse/ast';
import { BudgetExceeded, PyRaise } from '../eval/core';
import type { Frame, SharedSnapshot, UserFn } from '../eval/frame';
import type { ModuleResult } from '../eval/scope';
import type * as V from '../eval/values';
import type { Loc, Value } from '../eval/values';
import { containersIn, locsIn, mayHold, reaches } from './reach';
import { newRecord, type CallSample, type StatementRecord } from './records';
import { sameResult } from './same';
import type { ModuleTracker } from './tracker';
import { sideEffects, type TrackingContext } from './tracking';

/** At most this many calls of an edited function are given to its new body again (probeCalls). */
const MAX_PROBES = 20_000;

/** One probeCalls under way: what each statement's calls are checked against, and what they leave. */
interface Probe {
  readonly cx: TrackingContext;
  readonly mod: ModuleResult;
  readonly tracker: ModuleTracker;
  readonly fn: V.ObjectValue;
  readonly d: UserFn;
  /** A superset of what is changed in place from each caller on (that from the first), and the variables made required. */
  readonly later: Set<Value>;
  readonly required: Set<string>;
  /** The default values of the function's parameters. */
  readonly defaults: Value[];
  /** Whether each name a call read reaches one of `later` (found once per name). */
  readonly readReaches: Map<string, boolean>;
  /** The frame the calls are given again in (one for all of them). */
  readonly f: Frame;
  /** The length of the log of locations, and of the other files' log, before the calls. */
  readonly locs: number;
  readonly otherLocs: number | undefined;
  readonly depth: number;
  /** The shared state before the probe, and the one put last (callers after the same statement that changed it need none put again). */
  readonly shared: SharedSnapshot;
  put: SharedSnapshot;
  /** One record for every call given again: a call's record is needed only while its statement's calls are given again. */
  spare: StatementRecord | undefined;
  /** The locations of the new results bound (the others' are dropped from the log). */
  readonly kept: Loc[];
  /** Those of the results replaced, that a call given again made (CallSample.made). */
  readonly dead: (readonly Loc[])[];
}

/** A call of a statement given again whose result differs, when it is the statement's only one. */
interface Single {
  readonly sample: CallSample;
  readonly out: Value;
  readonly probe: StatementRecord;
  readonly locs: Loc[];
}

/**
 * After an edit inside the body of function `fn` (installed): each call the statements `callers`
 * made of it (their samples: CallSample) is given to the new body again, with the same
 * arguments, on the namespace the evaluation left, as it was at the call. A statement whose calls
 * all give the same result (values, provenance and locations) and do nothing else need not run
 * again; one that binds a name to the call's result (`LIST = env_list(…)`), read and written by
 * no statement after it, has the name bound to the new result instead (the name is added to
 * `rebound`). The others are returned: they run again. 'changed' when a call did something
 * besides returning (the kept state is no longer usable).
 *
 * The namespace is as it was at a call of statement c when no statement from c on binds a name
 * the call reads, and no container reached from what it reads, was given or returned was changed
 * in place from c on; the shared state (the environment) is put as it was before c, which c did
 * not change.
 */
export function probeCalls(
  cx: TrackingContext,
  mod: ModuleResult,
  tracker: ModuleTracker,
  fn: V.ObjectValue,
  callers: readonly number[],
  rebound: string[],
): number[] | 'changed' {
  const d = fn.data as UserFn;
  const recs = tracker.records;
  let total = 0;
  for (const c of callers) for (const s of recs[c]!.samples ?? []) if (s.fn === fn) total++;
  if (total > MAX_PROBES) return [...callers];
  // (a superset of what is changed in place from each caller on: that from the first)
  const later = tracker.mutatedAfter(callers[0]! - 1);
  const required = tracker.requiredAfter(callers[0]! - 1);
  const defaults: Value[] = [];
  for (const p of d.params) if (p.default) defaults.push(p.default);
  if (reaches(defaults, later) !== false) return [...callers];
  const shared = cx.ev.sharedState();
  const p: Probe = {
    cx,
    mod,
    tracker,
    fn,
    d,
    later,
    required,
    defaults,
    readReaches: new Map(),
    f: cx.ev.moduleFrame(d.mod, d.text),
    locs: tracker.locs.length,
    otherLocs: tracker.otherLocs?.length,
    depth: cx.ev.exprDepth,
    shared,
    put: shared,
    spare: undefined,
    kept: [],
    dead: [],
  };
  const outer = cx.ev.tracker;
  const outerCurrent = tracker.current;
  const outerOld = tracker.oldBindings;
  const shadow = cx.ev.shadowDepth;
  const rerun: number[] = [];
  // (what the calls made of the samples and the functions not sampled is not the evaluation's)
  const sampleCount = tracker.sampleCount;
  const unsampled = [...tracker.unsampled];
  cx.ev.tracker = tracker;
  tracker.oldBindings = undefined;
  cx.ev.stack.push(mod);
  cx.ev.uncancellable++;
  try {
    for (const c of callers) {
      const out = probeStatement(p, c, rebound);
      if (out === 'changed') return 'changed';
      if (out === 'rerun') rerun.push(c);
    }
    return rerun;
  } finally {
    tracker.locs.length = p.locs;
    for (const l of p.kept) tracker.locs.push(l);
    for (const x of p.dead) tracker.dropLocs(x);
    tracker.sampleCount = sampleCount;
    if (tracker.unsampled.size !== unsampled.length) {
      tracker.unsampled.clear();
      for (const x of unsampled) tracker.unsampled.add(x);
    }
    tracker.current = outerCurrent;
    cx.ev.tracker = outer;
    tracker.oldBindings = outerOld;
    cx.ev.shadowDepth = shadow;
    cx.ev.stack.pop();
    cx.ev.uncancellable--;
    cx.ev.restoreShared(shared);
  }
}

/**
 * The calls statement c made of the edited function, given again: 'kept' when the statement need
 * not run again (each gave what it gave, or its name is bound to the new result), 'rerun' when it
 * runs again, 'changed' when a call did something besides returning.
 */
function probeStatement(p: Probe, c: number, rebound: string[]): 'kept' | 'rerun' | 'changed' {
  const { cx, mod, tracker, fn } = p;
  const rc = tracker.records[c]!;
  const all = rc.samples;
  // (a statement making one call, of this function: its samples as they are)
  const samples = all === undefined ? [] : all.length === 1 && all[0]!.fn === fn ? all : all.filter((s) => s.fn === fn);
  if (rc.sharedAfter !== undefined || samples.length === 0) return 'rerun';
  const want = tracker.sharedBefore(c) ?? p.shared;
  if (want !== p.put) cx.ev.restoreShared((p.put = want));
  const given = giveAgain(p, c, rc, samples);
  if (given === 'changed') return 'changed';
  const { verified, same, single } = given;
  if (verified && same) return 'kept';
  // (the locations the new result holds, all of which must follow later edits)
  const held = single && single.probe.fns.length === 0 ? locsIn(single.out) : undefined;
  if (!verified || !single || !held || !rebindResult(mod, tracker, c, single.sample, single.out, p.required)) return 'rerun';
  rebound.push([...rc.writes][0]!);
  // the statement now holds the new result: its record follows (what the call read, its locations, its sample)
  tracker.addReads(c, single.probe.reads.keys());
  for (const x of single.probe.called ?? []) (rc.called ??= new Set()).add(x);
  for (const [data, keys] of single.probe.envKeys ?? []) {
    rc.envKeys ??= new Map();
    const into = rc.envKeys.get(data) ?? new Set<string>();
    rc.envKeys.set(data, into);
    for (const key of keys) into.add(key);
  }
  // (of the locations the call made, those the new result holds, each once: the others are not
  // kept anywhere; those the result it replaces held, if a call like this one made them, no more)
  const made: Loc[] = [];
  for (const l of single.locs) if (held.delete(l)) made.push(l);
  for (const l of made) p.kept.push(l);
  if (single.sample.made) p.dead.push(single.sample.made);
  rc.samples = rc.samples!.map((x) => (x === single.sample ? { ...x, result: single.out, made } : x));
  return 'kept';
}

/**
 * Gives each of statement c's calls of the edited function (`samples`) to its new body again:
 * whether each could be given on the namespace as it was (verified), and gave what it gave (same);
 * the one call whose result differs, when it is the statement's only one. 'changed' when a call
 * did something besides returning.
 */
function giveAgain(
  p: Probe,
  c: number,
  rc: StatementRecord,
  samples: readonly CallSample[],
): { readonly verified: boolean; readonly same: boolean; readonly single: Single | undefined } | 'changed' {
  const { cx, mod, tracker, fn, d, later, f } = p;
  let same = true;
  let verified = true;
  let single: Single | undefined;
  for (const s of samples) {
    // what it was given and returned is as it was then
    if (later.size > 0 && (mayHold(s.result) || s.args.pos.some(mayHold) || s.args.kw.size > 0)) {
      if (reaches([s.result, ...s.args.pos, ...s.args.kw.values()], later) !== false) {
        verified = false;
        break;
      }
    }
    // (one record and one frame for every call given again: a call's record is needed only
    // while its statement's calls are given again, and only for the last of them)
    const probe = p.spare ?? newRecord(rc.node, rc.start, rc.end, mod.calls.length);
    p.spare = undefined;
    tracker.current = probe;
    const before = sideEffects(cx, d.mod, probe);
    const calls = cx.ev.userCalls;
    f.uncertain = s.uncertain;
    f.catching = s.catching;
    f.callDepth = s.callDepth;
    cx.ev.shadowDepth = s.shadowDepth;
    // (the locations the call makes are dropped from the log, but those of a new result bound: probeStatement)
    tracker.locs.length = p.locs;
    if (p.otherLocs !== undefined) tracker.otherLocs!.length = p.otherLocs;
    let out: Value | undefined;
    try {
      out = cx.ev.callUserFunction(fn, s.args, f, s.loc);
    } catch (e) {
      cx.ev.exprDepth = p.depth;
      if (!(e instanceof PyRaise || e instanceof BudgetExceeded)) throw e;
    }
    if (sideEffects(cx, d.mod, probe) !== before) return 'changed';
    if (out === undefined || probe.foreignNames || probe.foreignWhole) {
      verified = false;
      break;
    }
    // the names it read: bound then as now, holding nothing changed since
    const roots: Value[] = [...s.args.pos, ...s.args.kw.values(), ...p.defaults];
    for (const name of probe.reads.keys()) {
      if (tracker.laterTouches(c - 1, [name], true)) verified = false;
      const v = d.scope.vars.get(name)?.value;
      if (v === undefined) continue;
      roots.push(v);
      let r = p.readReaches.get(name);
      if (r === undefined) p.readReaches.set(name, (r = reaches([v], later) !== false));
      if (r) verified = false;
    }
    // containers it returns: made by the call, as the sample's were
    if (mayHold(out)) {
      const containers = containersIn(out);
      if (containers.size > 0 && (cx.ev.userCalls !== calls || reaches(roots, containers) !== false)) verified = false;
    }
    if (!verified) break;
    if (!sameResult(out, s.result, 0)) {
      same = false;
      single = samples.length === 1 ? { sample: s, out, probe, locs: tracker.locs.slice(p.locs) } : undefined;
    }
    if (single?.probe !== probe && emptyRecord(probe)) p.spare = probe;
  }
  return { verified, same, single };
}

/**
 * Binds the name statement c binds to `value`, the new result of its only call of an edited
 * function (`sample`), when the statement is `NAME = call(…)` and did nothing else: the name is
 * bound to the old result, and no statement after it reads or writes the name, nor makes an
 * environment variable the new value defaults required. Whether it did.
 */
function rebindResult(
  mod: ModuleResult,
  tracker: ModuleTracker,
  c: number,
  sample: CallSample,
  value: Value,
  required: ReadonlySet<string>,
): boolean {
  const rc = tracker.records[c]!;
  if (rc.samples?.length !== 1 || rc.opaque || rc.barrier || rc.host || rc.mutated.length > 0 || rc.keyed || rc.writes.size !== 1)
    return false;
  const name = rc.writes.values().next().value!;
  const b = mod.scope.vars.get(name);
  if (!b || b.value !== sample.result) return false;
  // the statement is `NAME = <the call>`: the call is its whole right-hand side
  const shape = nameCallShape(rc.node);
  const base = rc.start - rc.node.start;
  if (shape === undefined || shape.name !== name) return false;
  if (sample.loc.file !== (rc.file ?? tracker.file) || sample.loc.start !== base + shape.start || sample.loc.end !== base + shape.end)
    return false;
  if (tracker.laterTouches(c, [name], false) || tracker.laterTouches(c, [name], true)) return false;
  if (required.size > 0 && value.origin === 'env-default' && value.env?.some((e) => required.has(e.name))) return false;
  mod.scope.vars.set(name, { ...b, value });
  return true;
}

/**
 * Whether the record of a call given again (probeCalls) recorded nothing but reads, which are
 * cleared so that it serves the next call: the others are left to be collected.
 */
function emptyRecord(r: StatementRecord): boolean {
  if (
    r.writes.size > 0 ||
    r.before.size > 0 ||
    r.mutated.length > 0 ||
    r.mutatedRoots.size > 0 ||
    r.fns.length > 0 ||
    r.opaque !== undefined ||
    r.barrier !== undefined ||
    r.host ||
    r.foreignNames !== undefined ||
    r.foreignWhole !== undefined ||
    r.foreignScopes !== undefined ||
    r.foreignUnknown !== undefined ||
    r.called !== undefined ||
    r.samples !== undefined ||
    r.envKeys !== undefined ||
    r.requires !== undefined ||
    r.otherCalls !== undefined ||
    r.snapshots !== undefined ||
    r.sharedAfter !== undefined
  )
    return false;
  r.reads.clear();
  return true;
}

/** The shape `NAME = call(…)` of a statement, read once per tree node (a kept statement's calls are probed on every keystroke in a function's body). */
const nameCallShapes = new WeakMap<PyNode, { readonly name: string; readonly start: number; readonly end: number } | null>();
function nameCallShape(node: PyNode): { readonly name: string; readonly start: number; readonly end: number } | undefined {
  let shape = nameCallShapes.get(node);
  if (shape === undefined) {
    const assign = node.type === 'expression_statement' && node.children.length === 1 ? node.children[0]! : undefined;
    const left = assign?.type === 'assignment' && !field(assign, 'type') ? field(assign, 'left') : undefined;
    const right = left ? field(assign!, 'right') : undefined;
    shape =
      left?.type === 'identifier' && typeof left.text === 'string' && right?.type === 'call'
        ? { name: left.text, start: right.start, end: right.end }
        : null;
    nameCallShapes.set(node, shape);
  }
  return shape ?? undefined;
}
