// Running a tracked module's statements: each top-level statement (and each statement of a file a
// top-level include() runs in its namespace) runs through trackedStatement, which records on its
// StatementRecord what it read, wrote and changed, whether it asked the workspace, changed the state
// shared between modules, left a note or defined a function; a call of one of the module's own
// functions is kept as a sample (what it was given and returned) when it did nothing else. The
// evaluator runs them through the reuse layer's hooks (moduleReuse.ts), given its access
// (eval/hooks.ts, EvaluatorAccess); patch.ts runs statements again through the same functions.
import { basename } from 'node:path';
import type { PyNode } from '../parse/ast';
import type { CallArgs } from '../eval/api';
import type { EvaluatorAccess } from '../eval/hooks';
import type { Frame, UserFn } from '../eval/frame';
import { Scope, type Binding, type ModuleResult } from '../eval/scope';
import type * as V from '../eval/values';
import type { Loc, Value } from '../eval/values';
import { containersIn, reaches } from './reach';
import { DEFINES, keyedTarget, newRecord, type StatementRecord } from './records';
import type { RecordingHost } from './recordingHost';
import type { ModuleTracker } from './tracker';

/** What running tracked statements uses: the evaluator's access, and the host recording what they ask. */
export interface TrackingContext {
  readonly ev: EvaluatorAccess;
  readonly recorder: RecordingHost;
}

/** At most this many calls are sampled per module (CallSample); the functions of the others are not. */
const MAX_SAMPLES = 50_000;

/** Runs a top-level statement, recording what it reads, writes and changes on its record `rec`. */
export function trackedStatement(cx: TrackingContext, node: PyNode, f: Frame, tracker: ModuleTracker, rec: StatementRecord): void {
  const shared = cx.ev.sharedWrites;
  const open = f.scope.open;
  const notes = f.mod.notes.length;
  const host = cx.recorder.count;
  const keyed = keyedTarget(node, (n) => f.text.slice(f.base + n.start, f.base + n.end));
  tracker.current = rec;
  let written: Map<string, Binding | undefined>;
  const trailFrom = cx.recorder.startTrail();
  let trail: readonly string[] | undefined;
  try {
    written = f.scope.recording(() => cx.ev.execStatement(node, f)).written;
  } finally {
    tracker.current = undefined;
    rec.callEnd = f.mod.calls.length;
    trail = cx.recorder.endTrail(trailFrom);
  }
  for (const [name, b] of written) {
    rec.writes.add(name);
    rec.before.set(name, b);
  }
  if (cx.ev.sharedWrites !== shared) {
    // statements after it read that state (sharedBefore); one before it is re-run on the state as
    // it was there (and the names a required condition rebinds are checked: requiredAfter)
    rec.opaque ??= 'it changes the state shared between modules';
    rec.sharedAfter = cx.ev.sharedState();
  }
  if (f.scope.open !== open) rec.barrier ??= 'it opens the namespace to dynamic code';
  if (f.mod.notes.length !== notes) rec.opaque ??= 'it leaves a note';
  if (cx.recorder.count !== host) {
    rec.host = true;
    // imports of modules the workspace does not have (`import boto3` in an `if`) only bind a
    // module nothing is known of (and the project's facts they ask, Python 2's implicit relative
    // imports: recordingHost.ts): the statement can run again alone if it asks the same again
    if (trail && trail.length > 0 && trail.every((k) => k.startsWith('missing\0') || k.startsWith('fact\0'))) rec.missingImports = trail;
    else rec.opaque ??= 'it reads the workspace';
  }
  if (rec.fns.length > 0) rec.opaque ??= DEFINES;
  if (
    keyed &&
    rec.reads.get(keyed.root) === 1 &&
    rec.mutatedRoots.size === 1 &&
    rec.mutatedRoots.has(keyed.root) &&
    !written.has(keyed.root)
  ) {
    // `ROOT["a"] = …` reads ROOT only to write that key path
    rec.keyed = keyed;
    rec.reads.delete(keyed.root);
    rec.writes.add(keyed.path);
  } else {
    for (const root of rec.mutatedRoots) {
      rec.writes.add(root);
      rec.reads.set(root, (rec.reads.get(root) ?? 0) + 1);
    }
  }
}

/**
 * django-split-settings' include() run by a top-level statement of a tracked module, in plain
 * module context (not in a branch, a try, a function or a class): the included file's statements
 * get records of their own (StatementRecord.file), so that an edit in that file re-runs only the
 * statement it changed. False when it is not so (the evaluator then runs the file as usual).
 */
export function runTrackedInclude(cx: TrackingContext, file: string, f: Frame, loc: Loc, t: ModuleTracker): boolean {
  const outer = t.current;
  if (
    outer === undefined ||
    outer.file !== undefined ||
    file === t.file ||
    t.texts.has(file) ||
    f.scope !== t.scope ||
    f.file !== t.file ||
    f.locals !== undefined ||
    f.uncertain !== 0 ||
    f.catching.length !== 0 ||
    f.callDepth !== 0 ||
    f.comp.length !== 0 ||
    f.inClass ||
    f.fnRange !== undefined ||
    f.pendingReturns !== undefined
  )
    return false;
  const doc = cx.recorder.document(file);
  if (!doc) {
    cx.ev.taintAll(f, `${basename(file)} could not be read`, loc);
    return true;
  }
  f.mod.files.add(file);
  t.texts.set(file, doc.text);
  const g: Frame = { ...f, file, text: doc.text, base: 0, comp: [], cow: new Set(), api: undefined };
  let reportedSyntax = false;
  let first = true;
  try {
    for (const chunk of doc.chunks) {
      const node = chunk.node;
      const rec = newRecord(node, chunk.base + node.start, chunk.base + node.end, f.mod.calls.length);
      rec.file = file;
      if (first) rec.sharedAtStart = cx.ev.sharedState();
      first = false;
      t.records.push(rec);
      if (node.type === 'comment') continue;
      g.base = chunk.base;
      if (node.error) {
        t.blocked ??= 'an included file has a syntax error';
        if (!reportedSyntax) {
          reportedSyntax = true;
          cx.ev.note(
            g,
            'syntax-error',
            `${basename(file)} (included by ${f.mod.ref.name}) has a syntax error; the statements around it are skipped.`,
            cx.ev.loc(node, g),
          );
        }
      }
      trackedStatement(cx, node, g, t, rec);
      t.current = outer;
      if (node.error) cx.ev.unparsable(node, g);
    }
  } finally {
    t.current = outer;
    outer.nestEnd = t.records.length;
  }
  return true;
}

/**
 * Calls the module's function `fn` for statement `rec`, keeping the call as a sample of it
 * (CallSample) when it did nothing but return its result; else the function is marked unsampled.
 */
export function sampledCall(cx: TrackingContext, t: ModuleTracker, fn: V.ObjectValue, args: CallArgs, f: Frame, loc: Loc): Value {
  const rec = t.current!;
  const d = fn.data as UserFn;
  const mod = d.mod;
  const before = sideEffects(cx, mod, rec);
  const calls = cx.ev.userCalls;
  const outerReads = t.callReads;
  const reads = new Set<string>();
  t.callReads = reads;
  let out: Value;
  let returned = false;
  try {
    out = cx.ev.callUserFunction(fn, args, f, loc);
    returned = true;
  } finally {
    t.callReads = outerReads;
    if (outerReads) for (const n of reads) outerReads.add(n);
    // (it raised: no sample)
    if (!returned) t.unsampled.add(fn);
  }
  if (t.unsampled.has(fn)) return out;
  if (t.sampleCount >= MAX_SAMPLES || sideEffects(cx, mod, rec) !== before) {
    t.unsampled.add(fn);
    return out;
  }
  // a result holding containers: made by the call (none reached from what it was given or read,
  // and no other function of the project called, which could give it one of theirs)
  const made = containersIn(out);
  if (made.size > 0) {
    if (cx.ev.userCalls !== calls) {
      t.unsampled.add(fn);
      return out;
    }
    const roots: Value[] = [...args.pos, ...args.kw.values()];
    for (const p of d.params) if (p.default) roots.push(p.default);
    for (const name of reads) {
      const b = d.scope.vars.get(name);
      if (b) roots.push(b.value);
    }
    if (reaches(roots, made) !== false) {
      t.unsampled.add(fn);
      return out;
    }
  }
  t.sampleCount++;
  (rec.samples ??= []).push({
    fn,
    args,
    loc,
    result: out,
    uncertain: f.uncertain,
    catching: [...f.catching],
    callDepth: f.callDepth,
    shadowDepth: cx.ev.shadowDepth,
  });
  return out;
}

/**
 * What a call may change besides its result, as one string of counters (the same before and
 * after: it changed none of it): names bound, containers changed, notes, library calls and
 * workspace questions of the module, the shared state, and what statement `rec` recorded of it
 * (reads of other modules, reasons not to run again alone, variables made required).
 */
export function sideEffects(cx: TrackingContext, mod: ModuleResult, rec: StatementRecord): number {
  // (each counter only grows, and the flags are only set: a change of any changes the sum)
  return (
    Scope.writes +
    cx.ev.mutations +
    mod.notes.length +
    mod.calls.length +
    cx.recorder.count +
    cx.ev.sharedWrites +
    (mod.scope.open ? 1 : 0) +
    (rec.opaque !== undefined ? 1 : 0) +
    (rec.barrier !== undefined ? 1 : 0) +
    (rec.host ? 1 : 0) +
    (rec.foreignNames?.size ?? 0) +
    (rec.foreignWhole ? 1 : 0) +
    (rec.requires?.size ?? 0) +
    rec.mutated.length +
    (rec.otherCalls?.size ?? 0)
  );
}
