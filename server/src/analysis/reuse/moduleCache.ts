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
// see EvaluatorAccess.uncancellable, eval/hooks.ts). Values that stay the same objects keep what rules computed from
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
//
// This file holds what is kept (ModuleCache and its entries); moduleReuse.ts gives and keeps them
// during an evaluation; keep.ts copies evaluations; lending.ts records what an evaluation does to
// the kept modules it was lent.
import type { SharedSnapshot } from '../eval/frame';
import type { ModuleResult } from '../eval/scope';
import type { Lending, Added } from './lending';
import type { HostCall } from './recordingHost';
import type { ModuleTracker } from './tracker';

export interface Entry {
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

/** A kept evaluation's instance given to an analysis (see ModuleCache.instances). */
export interface Instance {
  readonly entry: Entry;
  readonly group: ModuleResult[];
  readonly mods: Map<ModuleResult, ModuleResult>;
  lending: Lending;
  /** Its containers (made by the copy): its lending records changes of these only. */
  readonly own: WeakSet<object>;
}

/** A module's evaluation kept with what its statements did, to re-run only an edited one (patch.ts). */
export interface TrackedEntry extends Entry {
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
   * are rebuilt from the records (moduleReuse.ts, patch).
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

/**
 * The evaluation of the module that star-imports the module being typed into (production.py over
 * base.py), kept with what its statements did, so that a keystroke in the imported module that
 * changes nothing its statements read does not run them again (see patchImporter).
 */
export interface ImporterEntry {
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
  readonly added: Added;
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
