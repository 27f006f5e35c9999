// The records of a tracked module's evaluation, one per top-level statement (StatementRecord: what
// it read and wrote in the module's namespace, the containers it changed in place, the calls it made,
// the functions it defined, and why it could not run again alone), the samples of the calls of the
// module's own functions, and the helpers that read and move them after an edit. ModuleTracker
// (tracker.ts) writes them while the module runs; patch.ts reads them to decide what runs again.
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import type { CallArgs } from '../eval/api';
import type { Frame, SharedSnapshot } from '../eval/frame';
import type { Binding, CallRecord, ModuleResult, Scope } from '../eval/scope';
import type { Loc, Value } from '../eval/values';

export interface StatementRecord {
  /**
   * The statement's syntax tree (an incremental document keeps the tree of a statement it did not
   * re-parse; one it parsed again with the same text is taken on, so that it is compared by
   * identity, not text, on later keystrokes).
   */
  node: PyNode;
  /**
   * The file a django-split-settings include() ran it from, in the module's namespace (undefined:
   * the module's own file). Its offsets are in that file.
   */
  file?: string;
  /** Offsets of the statement in the text it was evaluated from (absolute). */
  start: number;
  end: number;
  /** Names of the module's namespace looked up, with how many times. */
  readonly reads: Map<string, number>;
  /** Names bound or deleted (and key paths `root\0key…` written with literal keys). */
  readonly writes: Set<string>;
  /** For each name written: its binding before the statement (undefined: unbound). */
  readonly before: Map<string, Binding | undefined>;
  /** Containers changed in place. */
  readonly mutated: Value[];
  /** The module-level names those containers were reached through. */
  readonly mutatedRoots: Set<string>;
  /** Why the statement cannot be re-run alone, if it cannot. */
  opaque: string | undefined;
  /** Why no statement before it can be re-run alone (it reads or changes what any may change). */
  barrier: string | undefined;
  /** It asked the workspace (imports, files): modules it imported may see containers changed before it. */
  host: boolean;
  /**
   * It asked the workspace only to import modules the workspace does not have (third-party ones,
   * `import boto3`): those questions (RecordingHost.endTrail's keys), in order. It can run again alone
   * when it asks exactly these again (the module cache's record of the module's questions stays
   * true); any other question makes it opaque.
   */
  missingImports?: readonly string[];
  /** The names it read in other modules' namespaces (an imported function's globals, `mod.X`). */
  foreignNames?: Set<string>;
  /** It read another module's namespace as a whole (a star import, dir() of a module). */
  foreignWhole?: boolean;
  /** The namespaces of the other modules it read names of (with foreignNames), when each is known. */
  foreignScopes?: Set<Scope>;
  /** It read a name of another module whose namespace is not known here. */
  foreignUnknown?: boolean;
  /** The library calls it made: [first, end) in the module's calls. */
  callStart: number;
  callEnd: number;
  /** Functions and classes it defined (their text and offset follow the file's edits). */
  readonly fns: Value[];
  /** The functions of the project it called (by identity: an edit in one's body runs it again). */
  called?: Set<Value>;
  /**
   * The calls it made of the module's own functions, each with what it was given and returned
   * (CallSample), in order: an edit in a function's body that gives every call the same result,
   * with nothing else done, runs none of the statements again (probe.ts).
   */
  samples?: CallSample[];
  /**
   * The calls it added to other modules (by calling their functions: zulip's `get_secret()` of
   * config.py), in order; a module's calls end with those of every statement, in statement order
   * (moduleReuse.ts, patch).
   */
  otherCalls?: Map<ModuleResult, CallRecord[]>;
  /**
   * The keys of django-environ Env schemas it looked up (by the Env's data; '\0': a name the
   * analysis could not read): an edit of the schema re-runs the statements that looked up a key it
   * changed (patchModule).
   */
  envKeys?: Map<object, Set<string>>;
  /** `ROOT["a"]["b"] = …` with literal string keys: the root and the key path. */
  keyed: { readonly root: string; readonly path: string } | undefined;
  /**
   * Each container it changed in place (`mutated`), as it was before the statement first changed
   * it (its fields, its arrays copied): put back, the statement runs again on the containers as a
   * full evaluation had them there (`if X: D["k"] += (…)`, `L.append(…)`; see rerun.ts).
   */
  snapshots?: Map<Value, Value>;
  /**
   * It changed the state shared between modules (the environment, variables found required, files
   * tested): that state after it, for a statement after it run again alone.
   */
  sharedAfter?: SharedSnapshot;
  /**
   * Environment variables a condition of it made required: every name then bound to a value that
   * defaults one of them was rebound (the evaluator's requireCondition), which no read records.
   */
  requires?: Set<string>;
  /**
   * An include() statement of the module: the statements of the files it ran are the records after
   * it up to this index (they have records of their own; this one holds what the include itself did).
   */
  nestEnd?: number;
  /** The first statement of an included file: the shared state when the file started running. */
  sharedAtStart?: SharedSnapshot;
}

/**
 * A call a statement made of a function of the module, that changed nothing but gave a result: no
 * name bound or container changed (in any namespace), no note, library call, workspace read, change
 * of the shared state, nor read of another module; a result holding containers only when none of
 * them can be reached from what it was given or read (it made them). What a call of the function's
 * new body with the same arguments, at the same depth, in the same branches and handlers, must give
 * again for the statement's result to stay the same (probe.ts).
 */
export interface CallSample {
  readonly fn: Value;
  readonly args: CallArgs;
  /** Where it is called (its location is in the log: it follows edits). */
  readonly loc: Loc;
  readonly result: Value;
  readonly uncertain: number;
  /** The except clauses around the call (Frame.catching), copied. */
  readonly catching: Frame['catching'];
  readonly callDepth: number;
  readonly shadowDepth: number;
  /**
   * The locations in the log that the call made and its result holds, when the result is that of
   * the call given to an edited function's new body (probe.ts): the next result bound
   * in its place makes them the log's no more (ModuleTracker.dropLocs).
   */
  readonly made?: readonly Loc[];
}

export function newRecord(node: PyNode, start: number, end: number, callStart: number): StatementRecord {
  return {
    node,
    start,
    end,
    reads: new Map(),
    writes: new Set(),
    before: new Map(),
    mutated: [],
    mutatedRoots: new Set(),
    opaque: undefined,
    barrier: undefined,
    host: false,
    callStart,
    callEnd: callStart,
    fns: [],
    keyed: undefined,
  };
}

/** Whether a statement read another module's namespace (an imported function's globals, `mod.X`). */
export function readsOtherModules(r: StatementRecord): boolean {
  return r.foreignWhole === true || r.foreignNames !== undefined;
}

/**
 * Moves locations after an edit: those from `end` on by `delta`, and the end of one that reaches
 * it; with `file`, only those in that file.
 */
export function shiftLocs(locs: readonly Loc[], end: number, delta: number, file?: string): void {
  for (const l of locs as { readonly file: string; start: number; end: number }[]) {
    if (file !== undefined && l.file !== file) continue;
    if (l.start >= end) {
      l.start += delta;
      l.end += delta;
    } else if (l.end >= end && l.end > l.start) l.end += delta;
  }
}

/** A container's fields, its arrays (items, keys, values) copied: what `restoreFields` puts back. */
export function copyFields(c: Value): Value {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(c)) out[key] = Array.isArray(v) ? [...v] : v;
  return out as unknown as Value;
}

/** Puts a container back as `copyFields` saw it (the same object: every reference to it sees it). */
export function restoreFields(c: Value, saved: Value): void {
  const target = c as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!(key in saved)) delete target[key];
  for (const [key, v] of Object.entries(saved)) target[key] = Array.isArray(v) ? [...v] : v;
}

/** The name a key path `D\0k\0j` starts from. */
export function rootOf(name: string): string {
  const at = name.indexOf('\0');
  return at < 0 ? name : name.slice(0, at);
}

/** The key path of `ROOT["a"]["b"] = …` with literal string keys (the statement's only target), else undefined. */
export function keyedTarget(stmt: PyNode, src: (n: PyNode) => string): { root: string; path: string } | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const named = namedChildren(stmt);
  const a = named[0];
  if (named.length !== 1 || a?.type !== 'assignment' || field(a, 'type')) return undefined;
  const left = field(a, 'left');
  if (!left || left.type !== 'subscript' || !field(a, 'right')) return undefined;
  const keys: string[] = [];
  let cur: PyNode | undefined = left;
  while (cur?.type === 'subscript') {
    const ks = fields(cur, 'subscript');
    const k = ks[0];
    if (ks.length !== 1 || k?.type !== 'string') return undefined;
    // a plain literal: quote, content, quote (no prefix, no escapes, no f-string)
    const kc = k.children;
    const quote = kc[0] ? src(kc[0]) : '';
    if (kc.length !== 3 || kc[1]!.type !== 'string_content' || (quote !== '"' && quote !== "'")) return undefined;
    const content = src(kc[1]!);
    if (content.includes('\\') || content.includes('\0')) return undefined;
    keys.unshift(content);
    cur = field(cur, 'value');
  }
  if (cur?.type !== 'identifier') return undefined;
  const root = src(cur);
  return { root, path: [root, ...keys].join('\0') };
}

/** Whether a written name or key path conflicts with a name read or written (`x` vs `x\0k`, `x\0k` vs `x\0k\0j`). */
export function touches(a: string, b: string): boolean {
  if (a === b) return true;
  return b.startsWith(a + '\0') || a.startsWith(b + '\0');
}

/** The library calls of a patched statement, put where the old statement's were. */
export function spliceCalls(calls: CallRecord[], records: readonly StatementRecord[], k: number, added: CallRecord[]): void {
  const r = records[k]!;
  const removed = r.callEnd - r.callStart;
  calls.splice(r.callStart, removed, ...added);
  r.callEnd = r.callStart + added.length;
  const shift = added.length - removed;
  if (shift !== 0) {
    for (let i = k + 1; i < records.length; i++) {
      records[i]!.callStart += shift;
      records[i]!.callEnd += shift;
    }
    // an include() statement's calls hold those of the statements of the files it ran
    for (let i = 0; i < k; i++) {
      const e = records[i]!;
      if (e.nestEnd !== undefined && e.nestEnd > k) e.callEnd += shift;
    }
  }
}

/** Why a statement that defines a function or a class is recorded as opaque (StatementRecord.opaque). */
export const DEFINES = 'it defines a function or class';
