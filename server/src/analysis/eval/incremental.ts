// Statement-level re-evaluation of the module being typed into (issue 18): after a keystroke in a
// 5,000-line base module, only the edited top-level statement runs again, on the namespace the
// previous evaluation left, when that is provably what a full evaluation gives.
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
//     makes the module evaluated in full (Evaluator.probeCalls);
//   - a dependency walk: the statements after an edited one that read or write what it wrote (and
//     what those wrote) run again after it, in order, each seeing the names it reads as they are
//     at its place (every statement writing a name the walk wrote is in it); at most 24;
//   - a name an edited statement read that a later statement binds again is bound as it was at the
//     statement's place while it runs again, then put back;
//   - a django-environ schema edited: the Env stays the same object, the changed keys' entries
//     replaced in place; only the statements that looked up a changed key (StatementRecord.envKeys)
//     run again, with their dependents;
//   - the calls a statement added to other modules (StatementRecord.otherCalls): a statement run
//     again takes its own out, and those modules' calls are rebuilt in statement order (moduleCache.ts).
// The typing differential test (test/unit/module-cache.test.ts, "statement-level re-evaluation")
// checks patched results against full evaluations over every fixture, the model projects and
// chains built for these conditions.
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import type { CallArgs } from './api';
import type { Binding, CallRecord, ModuleResult, Scope } from './scope';
import type { Loc, Value } from './values';

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
   * `import boto3`): those questions (Evaluator.hostTrail's keys), in order. It can run again alone
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
   * with nothing else done, runs none of the statements again (Evaluator.probeCalls).
   */
  samples?: CallSample[];
  /**
   * The calls it added to other modules (by calling their functions: zulip's `get_secret()` of
   * config.py), in order; a module's calls end with those of every statement, in statement order
   * (moduleCache.ts, rebuildCalls).
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
   * full evaluation had them there (`if X: D["k"] += (…)`, `L.append(…)`; see Evaluator.rerunStatement).
   */
  snapshots?: Map<Value, Value>;
  /**
   * It changed the state shared between modules (the environment, variables found required, files
   * tested): that state after it, for a statement after it run again alone.
   */
  sharedAfter?: SharedSnapshot;
  /**
   * Environment variables a condition of it made required: every name then bound to a value that
   * defaults one of them was rebound (Evaluator.requireCondition), which no read records.
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
 * again for the statement's result to stay the same (Evaluator.probeCalls).
 */
export interface CallSample {
  readonly fn: Value;
  readonly args: CallArgs;
  /** Where it is called (its location is in the log: it follows edits). */
  readonly loc: Loc;
  readonly result: Value;
  readonly uncertain: number;
  /** The except clauses around the call (Frame.catching, core.ts, which this module does not import). */
  readonly catching: unknown[][];
  readonly callDepth: number;
  readonly shadowDepth: number;
  /**
   * The locations in the log that the call made and its result holds, when the result is that of
   * the call given to an edited function's new body (Evaluator.probeCalls): the next result bound
   * in its place makes them the log's no more (ModuleTracker.dropLocs).
   */
  readonly made?: readonly Loc[];
}

/** The evaluator's state shared between modules, as it was at a point of a module's evaluation. */
export interface SharedSnapshot {
  readonly env: readonly (readonly [string, Value])[];
  readonly required: readonly string[];
  readonly tested: readonly string[];
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

/** What a module's full evaluation recorded, statement by statement (see the top of this file). */
export class ModuleTracker {
  records: StatementRecord[] = [];
  /** The statement being evaluated. */
  current: StatementRecord | undefined;
  /** Every location the evaluation created in the file. */
  locs: Loc[] = [];
  /** How many locations its full evaluation made (a patch is declined once the log has grown well past it). */
  fullLocs = 0;
  /**
   * Locations of the log that nothing kept holds any more (a result an edited function's call gave,
   * replaced by the next: CallSample.made): taken out of the log once they are many (dropLocs).
   */
  readonly deadLocs = new Set<Loc>();

  /**
   * `locs` are in the log no more (see deadLocs): they need not follow edits. The log is rewritten
   * without them once they are a quarter of it, so that typing in a function's body, whose calls'
   * results replace those of the keystroke before, leaves the log as long as it was.
   */
  dropLocs(locs: Iterable<Loc>): void {
    for (const l of locs) this.deadLocs.add(l);
    if (this.deadLocs.size < 1000 || this.deadLocs.size * 4 < this.locs.length) return;
    const dead = this.deadLocs;
    this.locs = this.locs.filter((l) => !dead.has(l));
    dead.clear();
  }

  /** Why the module as a whole cannot be patched (set when its evaluation ended). */
  blocked: string | undefined;
  /** The text evaluated. */
  text = '';
  /** The files include() ran in the module's namespace, with the text of each (their statements have records). */
  readonly texts = new Map<string, string>();
  /** Why the last patch was declined (benchmarks, tests). */
  why: string | undefined;
  /**
   * The module's functions of which a call was not sampled (it did something else than return a
   * value, raised, or the samples were too many): an edit of one's body runs its callers again.
   */
  readonly unsampled = new Set<Value>();
  /** How many calls were sampled (at most MAX_SAMPLES). */
  sampleCount = 0;
  /** While a sampled call runs: the names of the module it read (and those of the calls it made). */
  callReads: Set<string> | undefined;
  /**
   * The last patch was an edit inside a function's body: the function changed in place, and the
   * statements that called it ran again (their new records).
   */
  fnEdited = false;
  /** The last patch was an edit inside a function's body that no call of it ran nor read (Evaluator.unreachedEdit): nothing ran again. */
  unreached = false;
  /**
   * The last patch was an edit inside the body of this function after which no statement ran
   * again: each call gave what it gave, or its statement's name was bound to the new result
   * (`rebound`, Evaluator.probeCalls).
   */
  probed: { readonly fn: Value; readonly rebound: readonly string[] } | undefined;
  /** A statement the last patch ran again added calls to another module, or had added some (see StatementRecord.otherCalls). */
  otherCallsChanged = false;
  rerun: StatementRecord[] | undefined;
  /** The statement the last patch ran again (undefined: it only shifted locations), and its record before. */
  patched: StatementRecord | undefined;
  replaced: StatementRecord | undefined;
  /** The last patch's edit: locations in `file` from `end` on moved by `delta`. */
  edit: { readonly file: string; readonly end: number; readonly delta: number } | undefined;
  /**
   * Locations the evaluation created in other files (the body of a function of an imported module
   * it called), when it is kept as the importer of a module being typed into: they follow that
   * module's edits (moduleCache.ts, patchImporter). Undefined: not kept.
   */
  otherLocs: Loc[] | undefined;
  /** The statement that first imported each workspace module (by file). */
  readonly imports = new Map<string, number>();
  /**
   * Which statements read and which write each name, by the name's root (`D` for `D\0k`), and
   * which statements are barriers, read other modules or change containers: built on the first
   * patch, kept up to date by replace(), so that a patch does not go through every statement after
   * the edited one. Statement indexes do not change (an edit that adds or removes a statement is
   * evaluated in full).
   */
  private index:
    | {
        readonly reads: Map<string, { readonly i: number; readonly name: string }[]>;
        readonly writes: Map<string, { readonly i: number; readonly name: string }[]>;
        readonly barrier: Set<number>;
        readonly foreign: Set<number>;
        readonly mutated: Set<number>;
        readonly shared: Set<number>;
        readonly requires: Set<number>;
        readonly starts: Set<number>;
      }
    | undefined;
  /** The indexes of the records of each file (the module's own, or an included one), in order. */
  private byFile: Map<string, number[]> | undefined;

  constructor(
    readonly file: string,
    readonly scope: Scope,
  ) {}

  read(scope: Scope, name: string): void {
    const r = this.current;
    if (!r) return;
    if (scope === this.scope) {
      r.reads.set(name, (r.reads.get(name) ?? 0) + 1);
      this.callReads?.add(name);
    } else this.foreign(name, scope);
  }

  opaque(why: string): void {
    if (this.current && this.current.opaque === undefined) this.current.opaque = why;
  }

  barrier(why: string): void {
    if (this.current && this.current.barrier === undefined) this.current.barrier = why;
  }

  /** A condition of the statement made these environment variables required (see StatementRecord.requires). */
  requires(names: Iterable<string>): void {
    const r = this.current;
    if (!r) return;
    r.requires ??= new Set();
    for (const n of names) r.requires.add(n);
  }

  /** The statement read another module's `name` (in namespace `scope`, when known), or (undefined) its namespace as a whole. */
  foreign(name?: string, scope?: Scope): void {
    const r = this.current;
    if (!r) return;
    if (name === undefined) r.foreignWhole = true;
    else {
      (r.foreignNames ??= new Set()).add(name);
      if (scope) (r.foreignScopes ??= new Set()).add(scope);
      else r.foreignUnknown = true;
    }
  }

  /**
   * The values of the other modules' namespaces the statements after `k` read names of: what they
   * can see of a container changed in place. Undefined when one of them reads another module as a
   * whole, a name of a namespace not known, or asks the workspace (a module it imports may read
   * anything) other than for modules it does not have (`import boto3`: nothing of it runs).
   */
  foreignValuesAfter(k: number): Value[] | undefined {
    const scopes = new Set<Scope>();
    for (const i of this.indexed().foreign) {
      if (i <= k) continue;
      const r = this.records[i]!;
      if ((r.host && r.missingImports === undefined) || r.foreignWhole || r.foreignUnknown) return undefined;
      for (const s of r.foreignScopes ?? []) scopes.add(s);
    }
    const out: Value[] = [];
    for (const s of scopes) for (const b of s.vars.values()) out.push(b.value);
    return out;
  }

  /** The statement being evaluated imports the workspace module `file` (the first time is kept). */
  imported(file: string): void {
    if (!this.current || this.imports.has(file)) return;
    // (a statement re-run alone is not among the records: its imports are not the full evaluation's)
    const i = this.records.indexOf(this.current);
    if (i >= 0) this.imports.set(file, i);
  }

  /** A container changed in place; `root`: the module-level name it was reached through. */
  mutate(container: Value, root: string | undefined): void {
    const r = this.current;
    if (!r || (container.kind !== 'list' && container.kind !== 'dict' && container.kind !== 'set')) return;
    // (called before each change: the first call of the statement sees the container as it was before it)
    r.snapshots ??= new Map();
    if (!r.snapshots.has(container)) r.snapshots.set(container, copyFields(container));
    r.mutated.push(container);
    if (root !== undefined) r.mutatedRoots.add(root);
    else r.opaque ??= 'a container is changed in place through a name the analysis does not follow';
  }

  defined(fn: Value): void {
    this.current?.fns.push(fn);
  }

  /** The statement being evaluated looked up `name` in an Env's schema (see StatementRecord.envKeys). */
  schemeRead(data: object, name: string | undefined): void {
    const r = this.current;
    if (r === undefined) return;
    r.envKeys ??= new Map();
    let keys = r.envKeys.get(data);
    if (keys === undefined) r.envKeys.set(data, (keys = new Set()));
    keys.add(name ?? '\0');
  }

  /** The statement being evaluated called a function of the project. */
  called(fn: Value): void {
    const r = this.current;
    if (r !== undefined) (r.called ??= new Set()).add(fn);
  }

  /**
   * Builds what a patch looks up (the index, the records by file) now rather than at the first patch:
   * the language server calls it when typing pauses (engine.ts, prepareForTyping). On the generated
   * 5,000-line base (2,492 records) that first build took 6-14 ms of a keystroke.
   */
  prepare(): void {
    this.indexed();
    this.recordsOf(this.file);
  }

  private indexed(): NonNullable<ModuleTracker['index']> {
    if (this.index === undefined) {
      this.index = {
        reads: new Map(),
        writes: new Map(),
        barrier: new Set(),
        foreign: new Set(),
        mutated: new Set(),
        shared: new Set(),
        requires: new Set(),
        starts: new Set(),
      };
      this.records.forEach((r, i) => this.indexRecord(i, r, true));
    }
    return this.index;
  }

  private indexRecord(i: number, r: StatementRecord, add: boolean): void {
    const x = this.index!;
    const list = (m: Map<string, { i: number; name: string }[]>, name: string): void => {
      const root = rootOf(name);
      let l = m.get(root);
      if (add) {
        if (l === undefined) m.set(root, (l = []));
        // in statement order (readsAfter looks at the last ones): a statement run again goes back to its place
        let at = l.length;
        while (at > 0 && l[at - 1]!.i > i) at--;
        l.splice(at, 0, { i, name });
      } else if (l !== undefined) {
        for (let p = l.length - 1; p >= 0; p--) if (l[p]!.i === i) l.splice(p, 1);
      }
    };
    for (const name of r.reads.keys()) list(x.reads, name);
    for (const name of r.writes) list(x.writes, name);
    for (const [set, on] of [
      [x.barrier, r.barrier !== undefined],
      [x.foreign, readsOtherModules(r) || r.host],
      [x.mutated, r.mutated.length > 0],
      [x.shared, r.sharedAfter !== undefined],
      [x.requires, r.requires !== undefined],
      [x.starts, r.sharedAtStart !== undefined],
    ] as const)
      if (add && on) set.add(i);
      else if (!add) set.delete(i);
  }

  /** Statement i read these names too (a call of an edited function it makes read them: Evaluator.probeCalls). */
  addReads(i: number, names: Iterable<string>): void {
    const r = this.records[i]!;
    const added: string[] = [];
    for (const name of names)
      if (!r.reads.has(name)) {
        r.reads.set(name, 1);
        added.push(name);
      }
    if (added.length === 0 || this.index === undefined) return;
    const reads = this.index.reads;
    for (const name of added) {
      const root = rootOf(name);
      let l = reads.get(root);
      if (l === undefined) reads.set(root, (l = []));
      let at = l.length;
      while (at > 0 && l[at - 1]!.i > i) at--;
      l.splice(at, 0, { i, name });
    }
  }

  /** Statement i is now `r` (a patch ran it again). */
  replace(i: number, r: StatementRecord): void {
    const old = this.records[i]!;
    if (old !== r) this.sampleCount -= old.samples?.length ?? 0;
    if (this.index) {
      this.indexRecord(i, this.records[i]!, false);
      this.indexRecord(i, r, true);
    }
    this.records[i] = r;
  }

  /**
   * Whether a statement after `k` reads (or, with `writes`, writes) a name or key path that
   * conflicts with one of `names`; statements in `except` (run again with it: a dependency walk)
   * are not counted.
   */
  laterTouches(k: number, names: Iterable<string>, writes: boolean, except?: ReadonlySet<number>): boolean {
    const m = writes ? this.indexed().writes : this.indexed().reads;
    for (const n of names) {
      const l = m.get(rootOf(n));
      if (l !== undefined) for (const u of l) if (u.i > k && touches(n, u.name) && !except?.has(u.i)) return true;
    }
    return false;
  }

  /**
   * The statements after `k` that read or write what `k` wrote, or what one of them wrote, in
   * statement order (the dependency walk of an edited statement, see patchModule), from the
   * index: at most `max` (undefined: more). With `names`, what `k` wrote is those names instead
   * of its record's writes (a statement run again in a walk that now binds names it did not).
   */
  dependents(k: number, max: number, starts: readonly number[] = [], skip?: string, names?: Iterable<string>): number[] | undefined {
    const x = this.indexed();
    const out = new Set<number>(starts);
    if (out.size > max) return undefined;
    // (what a statement wrote is followed from it on: a statement is in the walk after every one it depends on)
    const written: [string, number][] = [];
    for (const n of names ?? this.records[k]!.writes) if (n !== skip) written.push([n, k]);
    for (const i of starts) for (const n of this.records[i]!.writes) if (n !== skip) written.push([n, i]);
    for (let w = 0; w < written.length; w++) {
      const [n, from] = written[w]!;
      for (const m of [x.reads, x.writes]) {
        const l = m.get(rootOf(n));
        if (l === undefined) continue;
        for (const u of l) {
          if (u.i <= k || u.i <= from || out.has(u.i) || !touches(n, u.name)) continue;
          if (out.size >= max) return undefined;
          out.add(u.i);
          for (const n2 of this.records[u.i]!.writes) written.push([n2, u.i]);
        }
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  /** The statements after `k` that looked up one of `keys` (or a name the analysis could not read) in the Env schema `data`. */
  envReaders(k: number, data: object, keys: ReadonlySet<string>): number[] {
    const out: number[] = [];
    for (let i = k + 1; i < this.records.length; i++) {
      const e = this.records[i]!.envKeys?.get(data);
      if (e === undefined) continue;
      if (e.has('\0')) out.push(i);
      else
        for (const key of keys)
          if (e.has(key)) {
            out.push(i);
            break;
          }
    }
    return out;
  }

  /**
   * The first statement after `k` that writes `name`: its index when it binds the name, -1 when it
   * writes a key path of it (it changes its container in place), undefined when none does.
   */
  firstWriterAfter(k: number, name: string): number | undefined {
    const l = this.indexed().writes.get(name);
    if (l !== undefined) for (const u of l) if (u.i > k) return u.name === name ? u.i : -1;
    return undefined;
  }

  /** The names statements after `k` read (reads are names, never key paths), but for the statements `except`. */
  readsAfter(k: number, except?: ReadonlySet<number>): Set<string> {
    const out = new Set<string>();
    for (const [root, l] of this.indexed().reads) {
      if (l.length === 0 || l[l.length - 1]!.i <= k) continue;
      if (except === undefined || l.some((u) => u.i > k && !except.has(u.i))) out.add(root);
    }
    return out;
  }

  /** Whether a statement after `k` is a barrier (or, with `foreign`, reads other modules or asks the workspace). */
  laterIs(k: number, what: 'barrier' | 'foreign'): boolean {
    for (const i of this.indexed()[what]) if (i > k) return true;
    return false;
  }

  /**
   * The shared state as the full evaluation had it when it reached statement `k` (undefined: as
   * when the module was imported): after the last statement before it that changed it, or when the
   * included file it belongs to started running (an include() statement's own state after it is
   * that after the files it ran, not before the statements of theirs it encloses).
   */
  sharedBefore(k: number): SharedSnapshot | undefined {
    const x = this.indexed();
    let last = -1;
    let snap: SharedSnapshot | undefined;
    for (const i of x.shared) {
      const r = this.records[i]!;
      if (i < k && i > last && !(r.nestEnd !== undefined && r.nestEnd > k)) {
        last = i;
        snap = r.sharedAfter;
      }
    }
    // a start is the state before its statement (it counts at k itself); after statement i-1 and
    // before statement i are the same point
    for (const i of x.starts)
      if (i <= k && i > last) {
        last = i;
        snap = this.records[i]!.sharedAtStart;
      }
    return snap;
  }

  /** The indexes of the records of `file`'s statements (the module's own file, or one it included), in order. */
  recordsOf(file: string): readonly number[] {
    if (this.byFile === undefined) {
      this.byFile = new Map();
      this.records.forEach((r, i) => {
        const f = r.file ?? this.file;
        let l = this.byFile!.get(f);
        if (l === undefined) this.byFile!.set(f, (l = []));
        l.push(i);
      });
    }
    return this.byFile.get(file) ?? [];
  }

  /** The environment variables statements after `k` made required. */
  requiredAfter(k: number): Set<string> {
    const out = new Set<string>();
    for (const i of this.indexed().requires) if (i > k) for (const n of this.records[i]!.requires!) out.add(n);
    return out;
  }

  /** The statements after `k` that write `name` or a key path of it, each with what it writes. */
  writesAfter(k: number, name: string): { readonly i: number; readonly name: string }[] {
    return (this.indexed().writes.get(rootOf(name)) ?? []).filter((u) => u.i > k && touches(name, u.name));
  }

  /** Whether every statement after `k` that changed one of `containers` in place is in `members`. */
  mutatorsIn(k: number, containers: readonly Value[], members: ReadonlySet<number>): boolean {
    const set = new Set(containers);
    for (const i of this.indexed().mutated) if (i > k && !members.has(i) && this.records[i]!.mutated.some((c) => set.has(c))) return false;
    return true;
  }

  /** The containers statements after `k` changed in place. */
  mutatedAfter(k: number): Set<Value> {
    const out = new Set<Value>();
    for (const i of this.indexed().mutated) if (i > k) for (const v of this.records[i]!.mutated) out.add(v);
    return out;
  }
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
function copyFields(c: Value): Value {
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
function touches(a: string, b: string): boolean {
  if (a === b) return true;
  return b.startsWith(a + '\0') || a.startsWith(b + '\0');
}

/**
 * Whether any of `targets` can be reached from `roots` (containers, and the default values of
 * functions' parameters); undefined when the walk is too large to say.
 */
export function reaches(roots: Iterable<Value>, targets: ReadonlySet<Value>, limit = 100_000): boolean | undefined {
  if (targets.size === 0) return false;
  const seen = new Set<Value>();
  const stack = [...roots];
  let left = limit;
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (targets.has(v)) return true;
    if (seen.has(v)) continue;
    seen.add(v);
    if (--left < 0) return undefined;
    switch (v.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        for (const x of v.items) stack.push(x);
        break;
      case 'dict':
        for (const x of v.keys) stack.push(x);
        for (const x of v.values) stack.push(x);
        break;
      case 'object': {
        if (v.tag === 'user-fn') {
          for (const p of (v.data as { params: readonly { default?: Value }[] }).params) if (p.default) stack.push(p.default);
          break;
        }
        const schemes = v.tag === 'fn' ? envSchemes(v.data) : undefined;
        if (schemes !== undefined) {
          // a django-environ Env: the casts and defaults of its schema
          for (const sc of schemes.values()) {
            if (sc.cast) stack.push(sc.cast);
            if (sc.default) stack.push(sc.default);
          }
          if (!immutableData({ ...(v.data as object), schemes: undefined })) return undefined;
          break;
        }
        // a bound method closes over its object; other objects must hold nothing that can change
        if (v.tag === 'method' || !immutableData(v)) return undefined;
        break;
      }
      default:
        break;
    }
  }
  return false;
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

/**
 * Whether an object's data (a library function or module, django-environ's Env with its schema, a
 * file name…) holds no value the evaluated code can change in place: no list, dict or set value
 * (nor a tuple, which may hold one) reachable through its fields, arrays and maps, six levels deep
 * (deeper counts as holding one). Functions are library code and hold none.
 */
export function immutableData(data: unknown, depth = 0): boolean {
  if (data === null || typeof data !== 'object') return true;
  const kind = (data as { kind?: unknown }).kind;
  if (kind === 'list' || kind === 'dict' || kind === 'set' || kind === 'tuple') return false;
  if (depth > 6) return false;
  if (kind === 'object') {
    const o = data as { tag: string; data?: unknown };
    // a library module's attributes are stateless library objects (library.ts), made once
    if (o.tag.startsWith('module:')) return true;
    // (a library object's methods, such as an Env's, close over that object, not over a value)
    return o.tag !== 'user-fn' && o.tag !== 'wsmodule' && immutableData(o.data, depth + 1);
  }
  if (kind !== undefined) return true; // a scalar or unknown value
  const items = Array.isArray(data) ? data : data instanceof Map || data instanceof Set ? [...data.values()] : Object.values(data);
  return items.every((x) => immutableData(x, depth + 1));
}

/**
 * The schema of a django-environ Env object's data (envlibs.ts, EnvObjectData: made once, never
 * changed; its casts and defaults may be containers, `(list, ["a"])`), else undefined.
 */
export function envSchemes(data: unknown): ReadonlyMap<string, { readonly cast?: Value; readonly default?: Value }> | undefined {
  const d = data as { name?: unknown; schemes?: unknown } | undefined;
  return d !== undefined && d !== null && typeof d.name === 'string' && d.name.startsWith('environ.') && d.schemes instanceof Map
    ? (d.schemes as ReadonlyMap<string, { readonly cast?: Value; readonly default?: Value }>)
    : undefined;
}
