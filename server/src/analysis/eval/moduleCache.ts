// Reusing a module's evaluation between analyses (the language server re-analyses the project
// after each keystroke). Typing in production.py must not re-evaluate the 5,000-line base.py it
// star-imports when base.py did not change: the evaluation of base.py is kept and given again.
//
// When a kept evaluation is the one a full evaluation would compute (soundness): evaluating a
// module depends only on
//   - what the evaluator's host answers while it runs: the documents it reads (compared by text),
//     module resolutions, file statuses and folder listings. Every such call is recorded while the
//     module (and what it imports) is evaluated, and replayed before reuse: any different answer
//     and the module is evaluated again;
//   - the evaluator's state shared between modules when the import starts: the process
//     environment the settings wrote so far (with the deployment's variables), the variables found
//     required, the files whose existence was tested, the expression depth and step limit. They are
//     part of the key, and their state after the module is restored on reuse, as is the step count;
//   - other modules: only modules first evaluated while it ran (they are reused with it). A module
//     that reads a module evaluated before it, or sits in an import cycle, is not kept; a kept one
//     is not reused when one of the modules it imported was evaluated before it this time.
// A module whose evaluation ran out of budget (or was cancelled) is not kept.
//
// Values are mutable (list.append, `X += [...]`, `D["k"] = v` change them in place, as in Python,
// and a function of base.py called from production.py runs in base.py's namespace), so the kept
// evaluation is a deep copy taken when the module finishes, and the first reuse gets a deep copy
// of it: what the importing module does to the values never reaches the cache. Later reuses get
// that same instance again, with what the analysis before did to it put back first (Lending), so
// that a module typed into that read it (a module reading the modules its importer imported
// first) can be kept and patched: see keepTracked and ModuleCache.instances. A module whose
// values hold something that cannot be copied faithfully (a bound method closing over a list, an
// object holding arrays, maps or containers, such as a class with attributes) is not kept.
//
// The module being typed into is not copied: its kept evaluation (tracked, with the modules it
// imported first) gets only the edited statement run again in place, and is lent to the evaluation.
// What that evaluation does to it (the module importing it extends its lists, calls its functions)
// is recorded as it happens (every in-place change of a container goes through the evaluator's
// mutating(); names bound in its namespace through Scope.lent) and put back before the next
// keystroke re-runs a statement on it (Lending). The analysis before that keystroke sees the
// module change from then on (it is being replaced; the statement re-run is not cancelled halfway,
// see Evaluator.uncancellable). Values that stay the same objects keep what rules computed from
// them (valueMemo.ts).
//
// The module the analysis starts from (production.py), when it star-imports the module being typed
// into and did nothing to it but call its functions, is kept too, with what each of its statements
// read and wrote (ImporterEntry). After a keystroke in base.py, base.py is patched and production.py
// runs none of its statements again when none after the star import reads or writes a name the
// re-run statement bound before or binds now (in production.py's namespace, or in base.py's through
// base.py's functions), reads base.py's namespace as a whole or is a barrier, no value it binds
// defaults a variable a later condition makes required, and no value they read reaches a container
// the statement changed in place; the names
// it binds are bound again in production.py (the same places in the namespace's order), the calls
// the star import took from base.py are base.py's new ones, and the locations production.py's
// evaluation made in base.py (in the bodies of base.py's functions it called) follow the edit.
import type { PythonDocument } from '../parse/pythonDocument';
import type { UserFn } from './core';
import { Evaluator } from './evaluator';
import {
  envSchemes,
  immutableData,
  ModuleTracker,
  reaches,
  readsOtherModules,
  rootOf,
  shiftLocs,
  spliceCalls,
  type SharedSnapshot,
  type StatementRecord,
} from './incremental';
import type { ModuleHost, Resolution } from './host';
import { Scope, type CallRecord, type EvalNote, type ModuleRef, type ModuleResult } from './scope';
import { changed } from './valueMemo';
import * as V from './values';
import type { Value } from './values';

export type HostCall =
  | { readonly op: 'resolve'; readonly name: string; readonly level: number; readonly from: ModuleRef; readonly answer: string }
  | { readonly op: 'document'; readonly file: string; readonly text: string | undefined }
  | { readonly op: 'fileStatus'; readonly file: string; readonly answer: string }
  | { readonly op: 'listDir'; readonly dir: string; readonly answer: string | undefined }
  | { readonly op: 'names'; readonly file: string; readonly answer: string | undefined };

const resolutionKey = (r: Resolution): string =>
  r.status === 'missing' ? `missing\0${r.name}` : `${r.status}\0${r.ref.name}\0${r.ref.file}\0${r.ref.isPackage}`;

/** A host that records what it answers for the evaluations under way (see ModuleCache). */
export class RecordingHost implements ModuleHost {
  /** The logs of the evaluations under way, outermost first: each call is added to all of them. */
  readonly logs: HostCall[][] = [];
  readonly fileStatus?: (file: string) => 'found' | 'ignored' | 'missing';
  readonly listDir?: (dir: string) => string[] | undefined;
  readonly unreadableNames?: (file: string) => readonly string[] | undefined;

  constructor(private readonly inner: ModuleHost) {
    if (inner.unreadableNames) {
      const names = inner.unreadableNames.bind(inner);
      this.unreadableNames = (file) => {
        const answer = names(file);
        this.add({ op: 'names', file, answer: answer?.join('\0') });
        return answer;
      };
    }
    if (inner.fileStatus) {
      const fileStatus = inner.fileStatus.bind(inner);
      this.fileStatus = (file) => {
        const answer = fileStatus(file);
        this.add({ op: 'fileStatus', file, answer });
        return answer;
      };
    }
    if (inner.listDir) {
      const listDir = inner.listDir.bind(inner);
      this.listDir = (dir) => {
        const answer = listDir(dir);
        this.add({ op: 'listDir', dir, answer: answer?.join('\0') });
        return answer;
      };
    }
  }

  /** Calls answered so far (statements that ask the workspace are not re-run alone: incremental.ts). */
  count = 0;
  /** While above zero (tracked statements under way), each call is also written to `trail` (Evaluator.hostTrail). */
  trailing = 0;
  readonly trail: string[] = [];

  private add(call: HostCall): void {
    this.count++;
    if (this.trailing > 0) this.trail.push('other');
    for (const log of this.logs) log.push(call);
  }

  resolve(name: string, level: number, from: ModuleRef): Resolution {
    const r = this.inner.resolve(name, level, from);
    this.count++;
    if (this.trailing > 0) this.trail.push(r.status === 'missing' ? `missing\0${name}\0${level}\0${from.file}` : 'other');
    if (this.logs.length > 0) for (const log of this.logs) log.push({ op: 'resolve', name, level, from, answer: resolutionKey(r) });
    return r;
  }

  document(file: string): PythonDocument | undefined {
    const d = this.inner.document(file);
    this.count++;
    if (this.trailing > 0) this.trail.push('other');
    if (this.logs.length > 0) for (const log of this.logs) log.push({ op: 'document', file, text: d?.text });
    return d;
  }

  /** The text of a document, without recording the question. */
  peekText(file: string): string | undefined {
    return this.inner.document(file)?.text;
  }

  /** Whether a file is a document being edited (open in the editor), without recording it. */
  peekEdited(file: string): boolean {
    return this.inner.document(file)?.edited === true;
  }

  /** Asks `call` again (recording it for the evaluations under way): whether the answer is the same. */
  replay(call: HostCall): boolean {
    switch (call.op) {
      case 'resolve':
        return resolutionKey(this.resolve(call.name, call.level, call.from)) === call.answer;
      case 'document':
        return this.document(call.file)?.text === call.text;
      case 'fileStatus':
        return this.fileStatus?.(call.file) === call.answer;
      case 'listDir':
        return this.listDir?.(call.dir)?.join('\0') === call.answer;
      case 'names':
        return this.unreadableNames?.(call.file)?.join('\0') === call.answer;
    }
  }
}

interface Entry {
  /** The evaluator's shared state when the import started (see entryKey). */
  readonly key: string;
  readonly calls: readonly HostCall[];
  /** The module first, then the modules first evaluated while it ran: a deep copy of how it ended (a tracked module's: the evaluation itself, lent, see Lending). */
  readonly group: readonly ModuleResult[];
  readonly included: ReadonlyMap<ModuleResult, ReadonlySet<string>>;
  readonly steps: number;
  /** The evaluator's state shared between modules as the module's evaluation left it. */
  readonly exit: SharedSnapshot;
}

/** What an evaluation added to a lent module (its functions called: their calls, notes and files). */
interface Added {
  readonly calls: readonly CallRecord[];
  readonly notes: readonly EvalNote[];
  readonly files: readonly string[];
}

/** A kept evaluation's instance given to an analysis (see ModuleCache.instances). */
interface Instance {
  readonly entry: Entry;
  readonly group: ModuleResult[];
  readonly mods: Map<ModuleResult, ModuleResult>;
  lending: Lending;
  /** Its containers (made by the copy): its lending records changes of these only. */
  readonly own: WeakSet<object>;
}

/** A module's evaluation kept with what its statements did, to re-run only an edited one (incremental.ts). */
interface TrackedEntry extends Entry {
  readonly tracker: ModuleTracker;
  /** What the evaluation it was last lent to did to it (see patch()). */
  readonly lending?: Lending;
  /** Modules evaluated before it that it read: lent instances of kept evaluations (see keepTracked). */
  readonly foreign?: readonly ModuleResult[];
  /** What its evaluation added to those (calls, notes and files of their functions it called). */
  readonly foreignAdded?: ReadonlyMap<ModuleResult, Added>;
  /**
   * Those of them whose added calls are exactly those its statements' records hold, in order
   * (StatementRecord.otherCalls): after a patch that ran a statement adding calls to one, its calls
   * are rebuilt from the records (rebuildCalls).
   */
  readonly splitCalls?: ReadonlySet<ModuleResult>;
  /**
   * The other modules of its own group (evaluated while it ran: the config.py a base module imports
   * first) whose calls end with exactly those its statements' records hold for them, in order, with
   * how many calls come before those: after a patch that ran a statement adding calls to one, its
   * calls after those are rebuilt from the records (as splitCalls). A group module not here whose
   * calls a statement run again changed ends the patch.
   */
  readonly groupCalls?: ReadonlyMap<ModuleResult, number>;
}

/** The calls the statements of `tracker` added to other modules, in statement order, by module. */
function callsByModule(tracker: ModuleTracker): Map<ModuleResult, CallRecord[]> {
  const out = new Map<ModuleResult, CallRecord[]>();
  for (const r of tracker.records)
    if (r.otherCalls !== undefined)
      for (const [m, calls] of r.otherCalls) {
        let l = out.get(m);
        if (l === undefined) out.set(m, (l = []));
        l.push(...calls);
      }
  return out;
}

/** Whether two lists hold the same calls (the same objects), in the same order. */
function sameCalls(a: readonly CallRecord[], b: readonly CallRecord[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/**
 * The evaluation of the module that star-imports the module being typed into (production.py over
 * base.py), kept with what its statements did, so that a keystroke in the imported module that
 * changes nothing its statements read does not run them again (see patchImporter).
 */
interface ImporterEntry {
  /** The evaluator's shared state when its evaluation started (see entryKey). */
  readonly key: string;
  /** What the workspace answered its evaluation (the imported module's text aside). */
  readonly calls: readonly HostCall[];
  /** The module itself, lent (see Lending). */
  readonly mod: ModuleResult;
  readonly tracker: ModuleTracker;
  /** The module being typed into, and the statement that star-imports it. */
  readonly imported: string;
  readonly at: number;
  readonly included: ReadonlySet<string> | undefined;
  /** Steps of its own statements (the imported module's patch counts its own). */
  readonly steps: number;
  readonly exit: SharedSnapshot;
  /**
   * What its statements added to the imported module (calls, notes and files of its functions
   * called from them): added again after each patch of that module, which puts it back first.
   */
  readonly added: { readonly calls: readonly CallRecord[]; readonly notes: readonly EvalNote[]; readonly files: readonly string[] };
  readonly lending: Lending;
}

/** Kept evaluations of one project's modules, by file (the latest one of each file). */
export class ModuleCache {
  readonly entries = new Map<string, Entry>();
  /** The last full or patched evaluation of each module evaluated again (being typed into, or importing one that is). */
  readonly tracked = new Map<string, TrackedEntry>();
  /** The evaluations of modules that star-import a tracked one (see ImporterEntry). */
  readonly importers = new Map<string, ImporterEntry>();
  /**
   * The texts of the files the previous analysis's evaluations read, and this analysis's. A module
   * that read a file whose text changed since is being typed into (or imports one that is): it is
   * not kept (copying it would be wasted on the next keystroke) until its files stay the same over
   * two analyses. The first analysis keeps what it evaluates: nothing is being typed yet, and the
   * next analysis (a document opened) then lends kept evaluations to the module it records.
   */
  private previous = new Map<string, string | undefined>();
  private current = new Map<string, string | undefined>();

  /** How many analyses started. */
  private begun = 0;

  /** Called when an analysis starts. */
  begin(): void {
    this.begun++;
    this.previous = this.current;
    this.current = new Map();
  }

  /** Whether the previous analysis read `file` with another text (it is being typed into). */
  changed(file: string, text: string | undefined): boolean {
    return this.previous.has(file) && this.previous.get(file) !== text;
  }

  /** Whether a file the previous analysis read other than `except`, passing `test`, has another text now (`textOf`). */
  changedAny(except: string, test: (file: string) => boolean, textOf: (file: string) => string | undefined): boolean {
    for (const [file, text] of this.previous) if (file !== except && test(file) && textOf(file) !== text) return true;
    return false;
  }

  /** Notes the files `calls` read; whether they read what the previous analysis read. */
  read(calls: readonly HostCall[]): boolean {
    let same = true;
    for (const c of calls) {
      if (c.op !== 'document') continue;
      this.current.set(c.file, c.text);
      // (a file no analysis read yet: the first analysis keeps what it evaluates, nothing is typed yet)
      if (this.previous.has(c.file) ? this.previous.get(c.file) !== c.text : this.begun > 1) same = false;
    }
    return same;
  }
  /** How the last evaluations went, for tests and benchmarks. */
  hits = 0;
  misses = 0;
  /** Evaluations that re-ran only the edited statement (or none: an edit between statements). */
  patches = 0;
  /** Evaluations of a module importing the one being typed into that ran none of its statements. */
  importerPatches = 0;
  /** Of the patches, edits inside a function's body that no call of it ran nor read (nothing ran again). */
  unreachedPatches = 0;
  /**
   * The instance of each kept evaluation given to the last analysis that reused it (a copy made
   * once), with what that analysis did to it: the next reuse puts it back and gives the same
   * objects again, so that a tracked module that read it (a module reading a module its importer
   * imported first) finds the values it read (see keepTracked).
   */
  readonly instances = new Map<string, Instance>();
  /** The text of each module open in the editor that a kept evaluation was last declined for, to record it (see reuse). */
  readonly recordTried = new Map<string, string | undefined>();
  /** Why the last patch of a module being typed into was declined (benchmarks, tests). */
  why: string | undefined;
  /** The files each module's last evaluation ran with include() (a module is tracked when one of them is typed into). */
  readonly includes = new Map<string, readonly string[]>();
  /** The containers of the tracked evaluations (what a lent module's importer changes in them is put back: Lending). */
  readonly kept = new WeakSet<object>();

  /** Builds now what the next patch of each kept evaluation would build first (ModuleTracker.prepare). */
  prepare(): void {
    for (const e of this.tracked.values()) e.tracker.prepare();
    for (const e of this.importers.values()) e.tracker.prepare();
  }
}

/** One evaluation under way that may be kept. */
interface Recording {
  readonly file: string;
  readonly key: string;
  readonly log: HostCall[];
  readonly group: ModuleResult[];
  readonly steps: number;
  keep: boolean;
  /**
   * It may still be kept as a tracked evaluation (see keepTracked) although it read modules
   * evaluated before it (`foreign`): when each is a lent instance of a kept evaluation (see
   * ModuleCache.instances) it did nothing to.
   */
  trackable: boolean;
  readonly foreign: Set<ModuleResult>;
  /** The lent instances nothing had been done to when its evaluation started. */
  readonly pristine: Set<Instance>;
}

/** The evaluator with a ModuleCache: see the top of this file. */
export class CachingEvaluator extends Evaluator {
  private readonly recordings: Recording[] = [];
  /** The module whose evaluation starts next (tracked, see startTracking). */
  private trackNext: string | undefined;
  private readonly trackers = new Map<ModuleResult, ModuleTracker>();
  /** Trackers of the evaluations that may be kept as importers (see keepImporter). */
  private readonly importerTrackers = new Map<ModuleResult, ModuleTracker>();
  /** Modules open in the editor that this evaluation evaluates again to record them (see reuse). */
  private readonly recordingOpen = new Set<string>();
  /** The kept modules lent to this evaluation (see patch()): what it does to them is recorded. */
  private readonly lendings: Lending[] = [];

  constructor(
    private readonly recorder: RecordingHost,
    options: ConstructorParameters<typeof Evaluator>[1],
    private readonly cache: ModuleCache,
  ) {
    super(recorder, options);
    cache.begin();
  }

  override evaluate(ref: ModuleRef): ModuleResult {
    this.tracker?.imported(ref.file);
    const existing = this.modules.get(ref.file);
    if (existing) {
      // a module evaluated before the ones under way: what they read from it is not in their key
      for (const r of this.recordings)
        if (!r.group.includes(existing)) {
          r.keep = false;
          r.foreign.add(existing);
        }
      return existing;
    }
    const key = this.entryKey();
    const reused = key === undefined ? undefined : (this.reuse(ref, key) ?? this.patch(ref, key) ?? this.patchImporter(ref, key));
    if (reused) return reused;
    this.cache.misses++;
    const recording: Recording = {
      file: ref.file,
      key: key ?? '',
      log: [],
      group: [],
      steps: this.steps,
      keep: key !== undefined,
      trackable: key !== undefined,
      foreign: new Set(),
      pristine: new Set([...this.cache.instances.values()].filter((i) => i.lending.untouched())),
    };
    this.recordings.push(recording);
    this.recorder.logs.push(recording.log);
    let result: ModuleResult;
    this.trackNext = ref.file;
    try {
      result = super.evaluate(ref);
    } catch (e) {
      for (const r of this.recordings) {
        r.keep = false;
        r.trackable = false;
      }
      throw e;
    } finally {
      this.recordings.pop();
      this.recorder.logs.pop();
    }
    recording.group.unshift(result);
    const included = this.included.get(result);
    if (included) this.cache.includes.set(ref.file, [...included]);
    else this.cache.includes.delete(ref.file);
    for (const r of this.recordings) r.group.push(...recording.group);
    if (recording.keep) this.keep(recording);
    this.keepTracked(recording, this.trackers.get(result));
    const importer = this.importerTrackers.get(result);
    if (importer) this.keepImporter(recording, importer);
    return result;
  }

  protected override startTracking(mod: ModuleResult): ModuleTracker | undefined {
    if (this.trackNext !== mod.ref.file) return undefined;
    this.trackNext = undefined;
    // a module being typed into, or open in the editor (its first keystroke is then patched too);
    // or the one this evaluation starts from, which may star-import it (or a file it ran with
    // include() is: its statements run in this module's namespace)
    const open = (file: string): boolean => this.recorder.peekEdited(file);
    const changed = (file: string): boolean => this.cache.changed(file, this.recorder.peekText(file));
    const typed = (file: string): boolean => open(file) || changed(file);
    // the module this evaluation starts from, open but unchanged while another open module changed
    // (typing in base.py with production.py open): kept as the importer, so that the next keystrokes
    // there run none of its statements (patchImporter), rather than for a first keystroke of its own
    const starting = this.recordings.length === 1;
    const own =
      changed(mod.ref.file) ||
      (open(mod.ref.file) && !(starting && this.cache.changedAny(mod.ref.file, open, (f) => this.recorder.peekText(f))));
    if (!own && !this.cache.includes.get(mod.ref.file)?.some(typed)) {
      if (this.recordings.length !== 1) return undefined;
      const tracker = new ModuleTracker(mod.ref.file, mod.scope);
      tracker.otherLocs = [];
      this.importerTrackers.set(mod, tracker);
      return tracker;
    }
    const tracker = new ModuleTracker(mod.ref.file, mod.scope);
    this.trackers.set(mod, tracker);
    return tracker;
  }

  protected override hostCalls(): number {
    return this.recorder.count;
  }

  protected override startHostTrail(): number {
    this.recorder.trailing++;
    return this.recorder.trail.length;
  }

  protected override hostTrail(from: number): readonly string[] {
    const r = this.recorder;
    const calls = r.trail.slice(from);
    r.trailing--;
    if (r.trailing === 0) r.trail.length = 0;
    return calls;
  }

  protected override mutating(container: Value, f?: Parameters<Evaluator['mutating']>[1]): void {
    super.mutating(container, f);
    for (const l of this.lendings) l.touch(container);
  }

  /** Keeps a module's evaluation with its statements' records, for patch(). */
  private keepTracked(recording: Recording, tracker: ModuleTracker | undefined): void {
    const group = recording.group;
    this.cache.tracked.delete(recording.file);
    // modules evaluated before it that it read: each the lent instance of a kept evaluation, which
    // it did nothing to (patch() then finds the same objects, as they were, or declines)
    // (what its evaluation added to them, the calls, notes and files of their functions it called,
    // is added again after each patch, which finds them as they were given)
    const read = [...recording.foreign];
    const instances = [...new Set(read.map((m) => this.instanceOf(m)))];
    const added = new Map<ModuleResult, Added>();
    const trackable =
      recording.keep ||
      (recording.trackable &&
        read.length > 0 &&
        instances.every((i) => {
          const a = i && recording.pristine.has(i) ? i.lending.additions() : undefined;
          if (a) for (const [m, x] of a) added.set(m, x);
          return a !== undefined;
        }));
    // (with the modules of their groups: the values it read may come from those)
    const foreign = trackable ? instances.flatMap((i) => i?.group ?? []) : [];
    if (
      !tracker ||
      !trackable ||
      tracker.blocked !== undefined ||
      !group.every((m) => m.status === 'done') ||
      group.some((m) => m.notes.some((n) => n.kind === 'import-cycle'))
    )
      return;
    // The evaluation itself is kept, not a copy: it is lent to this evaluation from here on (what
    // the modules importing it do to it is recorded, and put back before the next keystroke), as
    // after a patch. What copyGroup would refuse to copy, Lending cannot follow either.
    if (!keepEvaluation(group, tracker, this.cache.kept, foreign)) return;
    tracker.fullLocs = tracker.locs.length;
    const lending = new Lending(group, this.cache.kept);
    this.lendings.push(lending);
    const same = { group: [...group], mods: new Map(group.map((m) => [m, m] as const)) };
    // the modules it read whose added calls its statements' records account for, in order
    const byModule = foreign.length > 0 || group.length > 1 ? callsByModule(tracker) : undefined;
    const splitCalls = new Set(foreign.filter((m) => sameCalls(byModule?.get(m) ?? [], added.get(m)?.calls ?? [])));
    // the modules of its group whose calls end with those its records hold (see TrackedEntry.groupCalls)
    const groupCalls = new Map<ModuleResult, number>();
    for (const m of group.slice(1)) {
      const own = byModule?.get(m) ?? [];
      const from = m.calls.length - own.length;
      if (from >= 0 && own.every((c, i) => c === m.calls[from + i])) groupCalls.set(m, from);
    }
    this.cache.tracked.set(recording.file, {
      ...this.entryOf(recording, same),
      tracker,
      lending,
      ...(foreign.length > 0 ? { foreign, foreignAdded: added, splitCalls } : {}),
      ...(groupCalls.size > 0 ? { groupCalls } : {}),
    });
  }

  /** The lent instance of a kept evaluation that `m` belongs to (see ModuleCache.instances). */
  private instanceOf(m: ModuleResult): Instance | undefined {
    for (const inst of this.cache.instances.values()) if (inst.group.includes(m)) return inst;
    return undefined;
  }

  /**
   * Whether the modules a tracked module read (evaluated before it) are, in this evaluation, the
   * instances it read, untouched since they were given; when not, those changed are put back (a
   * statement run again may have changed them before it was found not to be re-runnable alone).
   */
  private foreignAsRead(foreign: readonly ModuleResult[] | undefined, restore: boolean): boolean {
    let ok = true;
    for (const m of foreign ?? []) {
      const inst = this.instanceOf(m);
      if (this.modules.get(m.ref.file) !== m || !inst) {
        ok = false;
        continue;
      }
      if (inst.lending.untouched()) continue;
      ok = false;
      if (restore && inst.lending.undo()) {
        inst.lending = new Lending(inst.group, inst.own);
        this.lendings.push(inst.lending);
      } else if (restore) this.cache.instances.delete(m.ref.file);
    }
    return ok;
  }

  /**
   * Keeps the evaluation of the module this evaluation started from when it star-imports the module
   * being typed into and did nothing to it but call its functions (see patchImporter).
   */
  private keepImporter(recording: Recording, tracker: ModuleTracker): void {
    const group = recording.group;
    const mod = group[0]!;
    this.cache.importers.delete(recording.file);
    // (a namespace opened by one of its statements is fine: that statement is a barrier, see patchImporter)
    if (!recording.keep || tracker.blocked !== undefined || mod.status !== 'done') return;
    if (group.some((m) => m.notes.some((n) => n.kind === 'import-cycle'))) return;
    // the module being typed into: its evaluation is the only other one in the group, with the modules it imported first
    const typed = group.filter((m) => m !== mod && this.cache.tracked.get(m.ref.file)?.group[0] === m);
    if (typed.length !== 1) return;
    const t = typed[0]!;
    const entry = this.cache.tracked.get(t.ref.file)!;
    if (group.length !== entry.group.length + 1 || !entry.group.every((m) => group.includes(m))) return;
    // imported by a star import of its own (`from .base import *`), before which the shared state did not change
    const at = tracker.imports.get(t.ref.file);
    if (at === undefined) return;
    const r = tracker.records[at]!;
    if (r.file !== undefined) return;
    if (!/^from\s+[\w.]+\s+import\s+\*\s*(#.*)?$/.test(tracker.text.slice(r.start, r.end))) return;
    for (let i = 0; i < at; i++) if (tracker.records[i]!.sharedAfter !== undefined || readsOtherModules(tracker.records[i]!)) return;
    // what its statements did to the imported module: only calls, notes and files its functions added
    const added = entry.lending?.onlyAdded(t);
    if (!added) return;
    if (!keepEvaluation(group, tracker, this.cache.kept)) return;
    const lending = new Lending([mod], this.cache.kept);
    this.lendings.push(lending);
    this.cache.importers.set(recording.file, {
      key: recording.key,
      calls: recording.log,
      mod,
      tracker,
      imported: t.ref.file,
      at,
      included: this.included.get(mod),
      steps: Math.max(0, this.steps - recording.steps - entry.steps),
      exit: this.sharedState(),
      added,
      lending,
    });
  }

  /**
   * The kept evaluation of a module that star-imports the module being typed into, with none of its
   * statements run again: the imported module is patched (only the edited statement re-run), and
   * what it now binds differently is bound in the importer, when no statement after the import
   * reads or writes those names, in its own namespace or the imported one's (through its
   * functions), nor reads the imported namespace as a whole, nor is a barrier, and no value it
   * binds defaults a variable a condition after the import makes required. Its locations in the
   * imported file follow the edit, and the imported calls are the patched module's. Undefined when
   * that is not so: it is then evaluated in full.
   */
  private patchImporter(ref: ModuleRef, key: string): ModuleResult | undefined {
    const e = this.cache.importers.get(ref.file);
    if (!e) return undefined;
    this.cache.importers.delete(ref.file);
    if (!e.lending.undo()) return undefined;
    if (e.key !== key || this.steps + e.steps > this.maxSteps) return undefined;
    const entry = this.cache.tracked.get(e.imported);
    if (!entry || this.modules.has(e.imported)) return undefined;
    for (const call of e.calls) {
      if (call.op === 'document' && call.file === e.imported) continue;
      if (!this.recorder.replay(call)) return undefined;
    }
    // the imported module first, as the star import would (a failure leaves it patched: it is
    // given as it is to the full evaluation that follows, which then is not kept)
    const t = this.patch(entry.group[0]!.ref, key);
    if (!t) return undefined;
    const tracker = entry.tracker;
    // statements after the edited one ran again: the names they bound are not followed here
    if (tracker.rerun) return undefined;
    // an edit inside a function's body: the importer's own calls of it are not kept, so none of its
    // statements may have called it (nor a copy of it, lent to an earlier evaluation); the names
    // bound to new results of its calls are followed as those an edited statement wrote
    const probed = tracker.probed;
    if (tracker.fnEdited && (!probed || callsOf(e.tracker.records, probed.fn))) return undefined;
    const rec = tracker.patched;
    const old = tracker.replaced;
    // the names it bound before and binds now (the roots of key paths): all still bound, and bound
    // before in the importer (by the star import: the order of the namespace stays)
    const written = probed ? [...probed.rebound] : rec && old ? [...new Set([...old.writes, ...rec.writes])] : [];
    const names = [...new Set(written.map(rootOf))];
    const all = t.scope.get('__all__');
    const exported = all ? V.strItems(all.value) : undefined;
    const imported = (name: string): boolean => (exported ? exported.includes(name) : !name.startsWith('_'));
    for (const name of names)
      if (name === '__all__' || !t.scope.vars.has(name) || (imported(name) && !e.mod.scope.vars.has(name))) return undefined;
    const recs = e.tracker.records;
    const later = { reads: new Set<string>(), foreign: new Set<string>(), required: new Set<string>() };
    if (names.length > 0)
      for (let i = e.at + 1; i < recs.length; i++) {
        const r = recs[i]!;
        // A barrier (it makes names unknown, opens the namespace, or lists its names) saw which
        // names were bound, which stays so: every name the statement binds, before and now, is
        // bound in both namespaces (checked above and below); what it read or made unknown by
        // name is a read or write like any other (checked below).
        if (r.foreignWhole) return undefined;
        for (const name of r.reads.keys()) later.reads.add(name);
        for (const name of r.foreignNames ?? []) later.foreign.add(name);
        for (const name of r.requires ?? []) later.required.add(name);
      }
    for (const name of names) {
      if (later.reads.has(name) || later.foreign.has(name)) return undefined;
      // a condition after the import makes variables required: a value that defaults one would have been rebound there
      const v = t.scope.vars.get(name)?.value;
      if (later.required.size > 0 && v?.origin === 'env-default' && v.env?.some((x) => later.required.has(x.name))) return undefined;
    }
    if (names.length > 0 && e.tracker.laterTouches(e.at, names, true)) return undefined;
    // containers it changed in place (`FEATURES["A"] = …`, the same key path before and now): the
    // importer holds them too; none is reached from what its statements after the import read
    if (rec && old && (rec.mutated.length > 0 || old.mutated.length > 0 || rec.keyed || old.keyed)) {
      if (!rec.keyed || !old.keyed) return undefined;
      const values: Value[] = [];
      for (const name of later.reads) {
        const b = e.mod.scope.vars.get(name);
        if (b) values.push(b.value);
      }
      for (const name of later.foreign) {
        const b = t.scope.vars.get(name);
        if (b) values.push(b.value);
      }
      if (reaches(values, new Set([...old.mutated, ...rec.mutated])) !== false) return undefined;
    }
    // ---- from here the kept importer changes
    const mod = e.mod;
    if (tracker.edit) shiftLocs(e.tracker.otherLocs ?? [], tracker.edit.end, tracker.edit.delta, tracker.edit.file);
    for (const name of written) {
      // a key path changed its root's container in place: the importer's binding is the same
      if (name.includes('\0') || !imported(name)) continue;
      const b = t.scope.vars.get(name)!;
      mod.scope.vars.set(name, { value: b.value, target: b.target, stmt: b.stmt });
    }
    spliceCalls(mod.calls, recs, e.at, [...t.calls]);
    t.calls.push(...e.added.calls);
    t.notes.push(...e.added.notes);
    for (const f of e.added.files) t.files.add(f);
    const text = this.recorder.peekText(e.imported);
    const calls = e.calls.map((c) => (c.op === 'document' && c.file === e.imported ? { ...c, text } : c));
    this.cache.read(calls);
    const lending = new Lending([mod], this.cache.kept);
    this.lendings.push(lending);
    this.cache.importers.set(ref.file, { ...e, calls, lending });
    this.dropCopies(new Set([ref.file]));
    this.cache.importerPatches++;
    this.modules.set(ref.file, mod);
    if (e.included) this.included.set(mod, new Set(e.included));
    this.steps += e.steps;
    this.restoreShared(e.exit);
    for (const r of this.recordings) r.group.push(mod);
    return mod;
  }

  /**
   * The module's kept evaluation with only the statement an edit changed evaluated again, lent to
   * this evaluation (incremental.ts); undefined when that is not sound (it is then evaluated in full).
   */
  private patch(ref: ModuleRef, key: string): ModuleResult | undefined {
    const entry = this.cache.tracked.get(ref.file);
    if (!entry) return undefined;
    this.cache.tracked.delete(ref.file);
    const no = (why: string): undefined => {
      this.cache.why = why;
      return undefined;
    };
    // what the evaluation it was last lent to did to it is put back first
    if (entry.lending && !entry.lending.undo()) return no('what its importer did to it cannot be put back');
    if (entry.key !== key || this.steps + entry.steps > this.maxSteps) return no('the shared state before it changed');
    if (entry.group.some((m) => this.modules.has(m.ref.file))) return no('a module it imported was evaluated before it');
    if (!this.foreignAsRead(entry.foreign, false)) return no('a module it read is not as it read it');
    // its own files: the module's, and those it ran with include() (their statements have records)
    const tracker = entry.tracker;
    const own = (file: string): boolean => file === ref.file || tracker.texts.has(file);
    for (const call of entry.calls) {
      if (call.op === 'document' && own(call.file)) continue;
      if (!this.recorder.replay(call)) return no('the workspace answers differently');
    }
    const doc = this.recorder.document(ref.file);
    if (!doc) return no('the module cannot be read');
    // the one of them that changed (at most one: a keystroke)
    let edited: { file: string; doc: PythonDocument } | undefined;
    const texts = new Map<string, string>([[ref.file, doc.text]]);
    if (doc.text !== tracker.text) edited = { file: ref.file, doc };
    for (const [file, text] of tracker.texts) {
      const d = this.recorder.document(file);
      if (!d) return no('an included file cannot be read');
      texts.set(file, d.text);
      if (d.text === text) continue;
      if (edited) return no('two of its files changed');
      edited = { file, doc: d };
    }
    const modules = new Set(this.modules.keys());
    const shared = this.sharedState();
    const steps = this.steps;
    let outcome = this.patchModule(entry.group[0]!, tracker, edited?.doc ?? doc, edited?.file);
    if (entry.foreign && !this.foreignAsRead(entry.foreign, true)) {
      tracker.why = 'the statement changed a module it read';
      outcome = 'broken';
    }
    if (outcome === 'patched') {
      // a statement run again added calls to a module it read (zulip's get_secret() of config.py),
      // or had added some: those modules' added calls are its statements' (taken out of them as
      // each ran again), in statement order
      const byModule = tracker.otherCallsChanged ? callsByModule(tracker) : undefined;
      if (byModule) {
        // its own group's modules are lent with it: their calls after those made before its records
        // began are its statements' (a statement run again took its new ones out of them again),
        // rebuilt below; when its records do not account for one's calls it is evaluated in full
        if (entry.group.some((m, i) => i > 0 && !entry.groupCalls?.has(m))) {
          tracker.why =
            'a statement run again added calls to a module of its group, or had added some, which its records do not account for';
          outcome = 'broken';
        }
        for (const [m, calls] of byModule) {
          if (entry.group.includes(m)) continue;
          if (!entry.foreign?.includes(m) || (!entry.splitCalls?.has(m) && !sameCalls(calls, entry.foreignAdded?.get(m)?.calls ?? []))) {
            tracker.why = 'a statement run again added calls to a module it read';
            outcome = 'broken';
          }
        }
        if (outcome === 'patched')
          for (const [m, from] of entry.groupCalls ?? []) {
            m.calls.length = from;
            m.calls.push(...(byModule.get(m) ?? []));
          }
      }
      if (outcome === 'patched')
        for (const m of new Set([...(entry.foreignAdded?.keys() ?? []), ...(byModule?.keys() ?? [])])) {
          if (!entry.foreign?.includes(m)) continue;
          const a = entry.foreignAdded?.get(m);
          m.calls.push(...(byModule && entry.splitCalls?.has(m) ? (byModule.get(m) ?? []) : (a?.calls ?? [])));
          if (a) {
            m.notes.push(...a.notes);
            for (const f of a.files) m.files.add(f);
          }
        }
    }
    if (outcome !== 'patched') {
      this.cache.why = tracker.why;
      // what the statement did before it was found not to be re-runnable alone is undone
      for (const file of [...this.modules.keys()]) if (!modules.has(file)) this.modules.delete(file);
      this.restoreShared(shared);
      this.steps = steps;
      return undefined;
    }
    // the containers the statement made are kept ones now; a value that could change other than
    // through them (as copyGroup refuses to copy) ends the kept evaluation
    // (and the new results of an edited function's calls bound to names: Evaluator.probeCalls)
    const made = [
      ...(tracker.rerun ?? (tracker.patched ? [tracker.patched] : [])).flatMap((rec) => [...rec.writes]),
      ...(tracker.probed?.rebound ?? []),
    ];
    for (const name of made)
      if (!keepContainers(writtenValue(entry.group[0]!.scope, name), this.cache.kept, entry.group))
        return no('it made a value the kept evaluation cannot follow');
    const calls = entry.calls.map((c) => (c.op === 'document' && texts.has(c.file) ? { ...c, text: texts.get(c.file) } : c));
    this.cache.why = undefined;
    // The kept modules are lent, not copied: what this evaluation does to them (the module that
    // imports them changing their lists, or calling their functions) is recorded, and put back
    // before they are used again.
    const lending = new Lending(entry.group, this.cache.kept);
    this.lendings.push(lending);
    this.cache.tracked.set(ref.file, { ...entry, calls, lending });
    this.dropCopies(new Set([ref.file, ...tracker.texts.keys()]));
    this.cache.patches++;
    if (tracker.unreached) this.cache.unreachedPatches++;
    this.cache.read(calls);
    for (const m of entry.group) this.modules.set(m.ref.file, m);
    for (const [m, files] of entry.included) this.included.set(m, new Set(files));
    this.steps += entry.steps;
    this.restoreShared(entry.exit);
    for (const r of this.recordings) r.group.push(...entry.group);
    return entry.group[0]!;
  }

  /**
   * A patch moved the locations after the edit in place (shiftLocs) in the evaluation it patched:
   * the kept copies of evaluations of these modules (copyGroup copies containers, not locations or
   * strings) and the instances made from them are dropped, as a reuse of one (its text typed back)
   * would place its values where the patched text has them.
   */
  private dropCopies(files: ReadonlySet<string>): void {
    const dropped = new Set<Entry>();
    for (const [file, e] of this.cache.entries)
      if (e.group.some((m) => files.has(m.ref.file))) {
        dropped.add(e);
        this.cache.entries.delete(file);
      }
    if (dropped.size > 0) for (const [file, i] of this.cache.instances) if (dropped.has(i.entry)) this.cache.instances.delete(file);
  }

  /** The kept evaluation of `ref` made from the same state, copied into this evaluation; else undefined. */
  private reuse(ref: ModuleRef, key: string): ModuleResult | undefined {
    const entry = this.cache.entries.get(ref.file);
    if (!entry || entry.key !== key || this.steps + entry.steps > this.maxSteps) return undefined;
    // a module of it open in the editor and not recorded yet (opened after the evaluation was
    // kept): evaluated again, once for that text, so that it is recorded and its first keystroke
    // patched (startTracking)
    // (or a file a module of it ran with include(): the including module is recorded, startTracking)
    for (const m of entry.group)
      for (const file of [m.ref.file, ...(entry.included.get(m) ?? [])]) {
        if (this.cache.tracked.has(m.ref.file) || !this.recorder.peekEdited(file)) continue;
        // (every kept evaluation holding it, in this evaluation: its own too)
        if (this.recordingOpen.has(file)) return undefined;
        const text = this.recorder.peekText(file);
        if (this.cache.recordTried.get(file) === text) continue;
        this.cache.recordTried.set(file, text);
        this.recordingOpen.add(file);
        return undefined;
      }
    // a module the kept one imported was evaluated before it this time: it reads that one's values
    if (entry.group.some((m) => this.modules.has(m.ref.file))) return undefined;
    for (const call of entry.calls) if (!this.recorder.replay(call)) return undefined;
    // the instance the last reuse gave, put back as it was given; else a new copy (its containers
    // kept ones: what this evaluation does to them is recorded, see Lending)
    const inst = this.cache.instances.get(ref.file);
    let copy: { readonly group: ModuleResult[]; readonly mods: Map<ModuleResult, ModuleResult>; readonly own: WeakSet<object> } | undefined;
    if (inst && inst.entry === entry && inst.lending.undo()) copy = inst;
    else {
      this.cache.instances.delete(ref.file);
      const own = new WeakSet<object>();
      const made = copyGroup(entry.group, (c) => {
        this.cache.kept.add(c);
        own.add(c);
      });
      copy = made ? { ...made, own } : undefined;
    }
    if (!copy) return undefined;
    // (what this evaluation does to the containers of other kept evaluations, a module typed into
    // changing its own dicts, is theirs to record: this instance stays untouched by it)
    const lending = new Lending(copy.group, copy.own);
    this.lendings.push(lending);
    this.cache.instances.set(ref.file, { entry, group: copy.group, mods: copy.mods, lending, own: copy.own });
    this.cache.hits++;
    this.cache.read(entry.calls);
    for (const m of copy.group) this.modules.set(m.ref.file, m);
    for (const [m, files] of entry.included) this.included.set(copy.mods.get(m)!, new Set(files));
    this.steps += entry.steps;
    this.restoreShared(entry.exit);
    for (const r of this.recordings) r.group.push(...copy.group);
    return copy.group[0]!;
  }

  private keep(recording: Recording): void {
    const group = recording.group;
    const stable = this.cache.read(recording.log);
    if (!stable) {
      this.cache.entries.delete(recording.file);
      return;
    }
    // a cycle through a module outside the group gave it a partly-run module
    const ok =
      group.every((m) => m.status === 'done' || m.status === 'raised') &&
      !group.some((m) => m.notes.some((n) => n.kind === 'import-cycle'));
    const copy = ok ? copyGroup(group) : undefined;
    if (!copy) {
      this.cache.entries.delete(recording.file);
      return;
    }
    this.cache.entries.set(recording.file, this.entryOf(recording, copy));
  }

  /** What is kept of a finished evaluation, given a copy of its group. */
  private entryOf(recording: Recording, copy: { group: ModuleResult[]; mods: Map<ModuleResult, ModuleResult> }): Entry {
    const included = new Map<ModuleResult, ReadonlySet<string>>();
    for (const m of recording.group) {
      const files = this.included.get(m);
      if (files) included.set(copy.mods.get(m)!, new Set(files));
    }
    return {
      key: recording.key,
      calls: recording.log,
      group: copy.group,
      included,
      steps: this.steps - recording.steps,
      exit: this.sharedState(),
    };
  }

  /** The shared state as text; undefined when it cannot be written out (nothing is then kept). */
  private entryKey(): string | undefined {
    try {
      return JSON.stringify([this.sharedState(), this.exprDepth, this.maxSteps, this.shadowDepth]);
    } catch {
      return undefined;
    }
  }
}

/**
 * A deep copy of modules' results: their namespaces' values (containers copied, aliases kept),
 * calls, notes and files; functions and module objects of the group point into the copy. Undefined
 * when something reachable cannot be copied faithfully.
 */
function copyGroup(
  group: readonly ModuleResult[],
  register?: (container: Value) => void,
): { group: ModuleResult[]; mods: Map<ModuleResult, ModuleResult>; value: (v: Value) => Value; ok: () => boolean } | undefined {
  const mods = new Map<ModuleResult, ModuleResult>();
  const scopes = new Map<Scope, Scope>();
  for (const m of group) {
    const scope = Object.assign(Object.create(Scope.prototype) as Scope, m.scope, {
      vars: new Map(),
      journal: undefined,
      lent: undefined,
      lentDeleted: undefined,
    });
    const copy: ModuleResult = { ...m, scope, notes: [...m.notes], calls: [], files: new Set(m.files) };
    mods.set(m, copy);
    scopes.set(m.scope, scope);
  }
  const seen = new Map<object, unknown>();
  let ok = true;
  const value = (v: Value): Value => {
    switch (v.kind) {
      case 'list':
      case 'tuple':
      case 'set': {
        const done = seen.get(v);
        if (done) return done as Value;
        const c = { ...v, items: [] as Value[] };
        seen.set(v, c);
        c.items = v.items.map(value);
        register?.(c);
        return c;
      }
      case 'dict': {
        const done = seen.get(v);
        if (done) return done as Value;
        const c = { ...v, keys: [] as Value[], values: [] as Value[] };
        seen.set(v, c);
        c.keys = v.keys.map(value);
        c.values = v.values.map(value);
        register?.(c);
        return c;
      }
      case 'object': {
        if (v.data === undefined || v.data === null || typeof v.data !== 'object') return v;
        const done = seen.get(v);
        if (done) return done as Value;
        if (v.tag === 'wsmodule') {
          const m = mods.get(v.data as ModuleResult);
          if (!m) ok = false;
          const c = { ...v, data: m };
          seen.set(v, c);
          return c;
        }
        if (v.tag === 'user-fn') {
          const d = v.data as UserFn;
          const mod = mods.get(d.mod);
          const scope = scopes.get(d.scope);
          if (!mod || !scope) ok = false;
          const c = { ...v, data: { ...d, mod, scope, params: [] as UserFn['params'] } };
          seen.set(v, c);
          c.data.params = d.params.map((p) => (p.default ? { ...p, default: value(p.default) } : p));
          return c;
        }
        // a bound method closes over its object; other objects are shared, so they must not hold
        // anything that can change (a list of items, a map of attributes)
        if (v.tag === 'method' || !immutableData(v)) ok = false;
        return v;
      }
      default:
        return v;
    }
  };
  const call = (c: CallRecord): CallRecord => {
    const done = seen.get(c);
    if (done) return done as CallRecord;
    const copy: CallRecord = {
      ...c,
      args: c.args.map(value),
      kwargs: new Map([...c.kwargs].map(([k, v]) => [k, value(v)] as const)),
    };
    seen.set(c, copy);
    return copy;
  };
  for (const m of group) {
    const copy = mods.get(m)!;
    for (const [name, b] of m.scope.vars) copy.scope.vars.set(name, { ...b, value: value(b.value) });
    for (const c of m.calls) copy.calls.push(call(c));
    if (!ok) return undefined;
  }
  return { group: group.map((m) => mods.get(m)!), mods, value, ok: () => ok };
}

/** A container as it was before an evaluation it was lent to changed it. */
type Snapshot =
  | { readonly items: Value[]; readonly origin: Value['origin']; readonly optional: boolean | undefined; readonly env: Value['env'] }
  | {
      readonly keys: Value[];
      readonly values: Value[];
      readonly origin: Value['origin'];
      readonly partial: boolean | undefined;
      readonly keyPrefix: string | undefined;
      readonly env: Value['env'];
    };

/**
 * What an evaluation did to the kept modules it was lent (a tracked module and the modules it
 * imported first): the containers it changed in place (as they were before), the names it bound
 * or deleted in their namespaces, the notes, calls and files it added to them. undo() puts it all
 * back, before the kept modules are used again.
 */
class Lending {
  private readonly containers = new Map<Value, Snapshot>();
  private readonly states: readonly {
    readonly mod: ModuleResult;
    readonly notes: number;
    readonly calls: number;
    readonly files: readonly string[];
    readonly status: ModuleResult['status'];
    readonly open: Scope['open'];
  }[];

  constructor(
    group: readonly ModuleResult[],
    private readonly kept: WeakSet<object>,
  ) {
    this.states = group.map((mod) => {
      mod.scope.lent = new Map();
      return { mod, notes: mod.notes.length, calls: mod.calls.length, files: [...mod.files], status: mod.status, open: mod.scope.open };
    });
  }

  /** A container is about to change in place: a kept one is recorded as it is (the first time). */
  touch(c: Value): void {
    if (!this.kept.has(c) || this.containers.has(c)) return;
    if (c.kind === 'dict')
      this.containers.set(c, {
        keys: [...c.keys],
        values: [...c.values],
        origin: c.origin,
        partial: c.partial,
        keyPrefix: c.keyPrefix,
        env: c.env,
      });
    else if (c.kind === 'list' || c.kind === 'tuple' || c.kind === 'set')
      this.containers.set(c, { items: [...c.items], origin: c.origin, optional: c.optional, env: c.env });
  }

  /**
   * What the evaluation added to `mod` (one of the lent modules) when it did nothing else to the
   * lent modules: no container changed, no name bound, no status changed; else undefined.
   */
  onlyAdded(mod: ModuleResult): ImporterEntry['added'] | undefined {
    if (this.containers.size > 0) return undefined;
    let out: ImporterEntry['added'] | undefined;
    for (const s of this.states) {
      const m = s.mod;
      if (m.scope.lent?.size || m.scope.lentDeleted || m.status !== s.status || m.scope.open !== s.open) return undefined;
      if (m.notes.length < s.notes || m.calls.length < s.calls) return undefined;
      const files = [...m.files].filter((f) => !s.files.includes(f));
      if (m === mod) out = { calls: m.calls.slice(s.calls), notes: m.notes.slice(s.notes), files };
      else if (m.notes.length !== s.notes || m.calls.length !== s.calls || files.length > 0) return undefined;
    }
    return out;
  }

  /**
   * What the evaluation added to the lent modules (by module, those it added to) when it did
   * nothing else to them: no container changed, no name bound, no status changed; else undefined.
   */
  additions(): Map<ModuleResult, Added> | undefined {
    if (this.containers.size > 0) return undefined;
    const out = new Map<ModuleResult, Added>();
    for (const s of this.states) {
      const m = s.mod;
      if (m.scope.lent?.size || m.scope.lentDeleted || m.status !== s.status || m.scope.open !== s.open) return undefined;
      if (m.notes.length < s.notes || m.calls.length < s.calls) return undefined;
      const files = [...m.files].filter((f) => !s.files.includes(f));
      if (m.notes.length > s.notes || m.calls.length > s.calls || files.length > 0)
        out.set(m, { calls: m.calls.slice(s.calls), notes: m.notes.slice(s.notes), files });
    }
    return out;
  }

  /** Whether the evaluation did nothing to the lent modules so far. */
  untouched(): boolean {
    if (this.containers.size > 0) return false;
    return this.states.every(
      (s) =>
        !s.mod.scope.lent?.size &&
        !s.mod.scope.lentDeleted &&
        s.mod.notes.length === s.notes &&
        s.mod.calls.length === s.calls &&
        s.mod.files.size === s.files.length &&
        s.mod.status === s.status &&
        s.mod.scope.open === s.open,
    );
  }

  /** Puts the kept modules back as they were lent; false when that cannot be done (a bound name was deleted: its place in the namespace's order is lost). */
  undo(): boolean {
    for (const [c, s] of this.containers) {
      // in place: the arrays may be shared by copies of the value ({...v})
      if ('keys' in s && c.kind === 'dict') {
        c.keys.length = 0;
        c.keys.push(...s.keys);
        c.values.length = 0;
        c.values.push(...s.values);
        c.partial = s.partial;
        c.keyPrefix = s.keyPrefix;
      } else if ('items' in s && (c.kind === 'list' || c.kind === 'tuple' || c.kind === 'set')) {
        c.items.length = 0;
        c.items.push(...s.items);
        c.optional = s.optional;
      }
      c.origin = s.origin;
      c.env = s.env;
      changed(c);
    }
    this.containers.clear();
    let ok = true;
    for (const s of this.states) {
      const { mod } = s;
      mod.notes.length = s.notes;
      mod.calls.length = s.calls;
      mod.files.clear();
      for (const f of s.files) mod.files.add(f);
      mod.status = s.status;
      mod.scope.open = s.open;
      const lent = mod.scope.lent;
      if (mod.scope.lentDeleted) ok = false;
      mod.scope.lent = undefined;
      mod.scope.lentDeleted = undefined;
      for (const [name, b] of lent ?? []) {
        if (!b) mod.scope.vars.delete(name);
        else if (mod.scope.vars.has(name)) mod.scope.vars.set(name, b);
        else ok = false;
      }
    }
    return ok;
  }
}

/**
 * Adds the containers of an evaluation being kept (its namespaces, and what its statements' records
 * hold) to `kept`; false when one cannot be followed (see keepContainers).
 */
function keepEvaluation(
  own: readonly ModuleResult[],
  tracker: ModuleTracker,
  kept: WeakSet<object>,
  foreign: readonly ModuleResult[] = [],
): boolean {
  // (values of the modules it read, evaluated before it, are followed too: see keepTracked)
  const group = foreign.length > 0 ? [...own, ...foreign] : own;
  for (const m of group) for (const b of m.scope.vars.values()) if (!keepContainers(b.value, kept, group)) return false;
  for (const r of tracker.records) {
    for (const b of r.before.values()) if (b && !keepContainers(b.value, kept, group)) return false;
    for (const v of r.mutated) if (!keepContainers(v, kept, group)) return false;
  }
  return true;
}

/** The value a tracked statement wrote under `name` (a name, or a key path `root\0key…`); the root's when the path cannot be followed. */
function writtenValue(scope: Scope, name: string): Value | undefined {
  const [root, ...keys] = name.split('\0');
  const top = scope.vars.get(root!)?.value;
  let v = top;
  for (const k of keys) {
    if (v?.kind !== 'dict') return top;
    const i = v.keys.findIndex((x) => x.kind === 'str' && x.v === k);
    if (i < 0) return top;
    v = v.values[i];
  }
  return v;
}

/**
 * Adds every container reachable from `v` (and the default values of functions) to `kept`; false
 * when it reaches something copyGroup would not copy (an object holding what can change, a bound
 * method, another group's module): what changes it would not be recorded.
 */
function keepContainers(v: Value | undefined, kept: WeakSet<object>, group: readonly ModuleResult[]): boolean {
  const stack = v ? [v] : [];
  let seen: Set<Value> | undefined;
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'list' || x.kind === 'tuple' || x.kind === 'set') {
      if (kept.has(x)) continue;
      kept.add(x);
      for (const i of x.items) stack.push(i);
    } else if (x.kind === 'dict') {
      if (kept.has(x)) continue;
      kept.add(x);
      for (const k of x.keys) stack.push(k);
      for (const i of x.values) stack.push(i);
    } else if (x.kind === 'object' && x.data !== undefined && x.data !== null && typeof x.data === 'object') {
      if (seen?.has(x)) continue;
      (seen ??= new Set()).add(x);
      if (x.tag === 'wsmodule') {
        if (!group.includes(x.data as ModuleResult)) return false;
      } else if (x.tag === 'user-fn') {
        if (!group.includes((x.data as UserFn).mod)) return false;
        for (const p of (x.data as UserFn).params) if (p.default) stack.push(p.default);
      } else if (x.tag === 'fn' && envSchemes(x.data) !== undefined) {
        // a django-environ Env: its schema (made once, never changed) holds the casts and defaults
        // given to it, which may be containers (`(list, ["a"])`); they are followed as the others
        for (const sc of envSchemes(x.data)!.values()) {
          if (sc.cast) stack.push(sc.cast);
          if (sc.default) stack.push(sc.default);
        }
        if (!immutableData({ ...(x.data as object), schemes: undefined })) return false;
      } else if (x.tag === 'method' || !immutableData(x)) return false;
    }
  }
  return true;
}

/** Whether a statement of `records` called function `fn`, or a function of the same name written in the same file (a copy of it). */
function callsOf(records: readonly StatementRecord[], fn: Value): boolean {
  if (fn.kind !== 'object') return true;
  const d = fn.data as UserFn;
  for (const r of records)
    for (const x of r.called ?? [])
      if (
        x === fn ||
        (x.kind === 'object' && x.tag === 'user-fn' && (x.data as UserFn).name === d.name && (x.data as UserFn).file === d.file)
      )
        return true;
  return false;
}
