// The static evaluator: executes a settings module's statements in Python's order over the converted
// syntax tree, without running anything, and yields each module's final namespace with provenance.
//
// Contract (pyright-style): every expression evaluates to a Value; when the evaluator cannot know a
// value it returns an explicit `unknown` (with a reason) instead of guessing. Branches on unknown
// conditions are executed on forked namespaces and merged: a name that ends up different in the
// branches becomes unknown, down to the dict key that differs.
//
// The evaluator is split in phases, as pyright splits its own: values.ts (the value model),
// operations.ts (Python value operations), paths.ts, core.ts (state and bookkeeping), branches.ts
// (forking and merging), imports.ts (import resolution), statements.ts (statements and inlined
// functions), and this file: module evaluation, expressions, calls and the services given to
// library functions.
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import { PythonDocument } from '../parse/pythonDocument';
import { builtin, getAttribute, type CallArgs, type EvalApi, type GlobalsData } from './library';
import { Scope, type CallRecord, type ModuleRef, type ModuleResult, type NoteKind } from './scope';
import * as V from './values';
import type { Loc, Value } from './values';
import { mergeValues } from './branches';
import { BudgetExceeded, PyRaise, mentionsVar, type FnReach, type Frame, type UserFn } from './core';
import { dedupe, parseInteger, compare, unescapePython } from './operations';
import { formatValue, pyRepr, pyText } from './pyformat';
import { handsOverByName, KNOWN_HELPERS } from './helpers';
import { classAttr, memberAttr, memberByValue, surelyMissing, type EnumMember, type UserClass } from './classes';
import { StatementEvaluator } from './statements';
import {
  envSchemes,
  keyedTarget,
  newRecord,
  reaches,
  restoreFields,
  rootOf,
  shiftLocs,
  spliceCalls,
  type CallSample,
  type SharedSnapshot,
  type ModuleTracker,
  type StatementRecord,
} from './incremental';
import type { Binding } from './scope';
import { inPhase } from '../base/progress';
import { basename } from 'node:path';

export { EvaluationCancelled, PyRaise, type EvalOptions } from './core';
export { mergeValues } from './branches';
export { binop, unescapePython } from './operations';
export { normalizePath } from './paths';

/** Command-line words of development and test runs, never in a production process's sys.argv. */
const DEV_COMMANDS = new Set([
  'test',
  'runserver',
  'runserver_plus',
  'testserver',
  'pytest',
  'py.test',
  'makemigrations',
  'shell',
  'shell_plus',
  'jenkins',
]);

/** Shared by calls without keyword arguments; never written to. */
const NO_KEYWORDS: ReadonlyMap<string, Value> = new Map();

const NO_KEYWORD_LOCS: ReadonlyMap<string, Loc> = new Map();

/** Template text of a project template (cookiecutter): `{{ cookiecutter.x }}`, `{% if … %}`. */
const TEMPLATE_TEXT = /\{\{-?\s*cookiecutter\.|\{%-?\s*(?:if|elif|else|endif|for|endfor|raw|endraw|set)\b/;
const MAX_EXPR_DEPTH = 200;

/** Methods that change a list, dict or set in place. */
const MUTATING_METHODS = new Set([
  'append',
  'extend',
  'insert',
  'remove',
  'pop',
  'clear',
  'sort',
  'reverse',
  'update',
  'setdefault',
  'add',
  'discard',
  'popitem',
]);

export class Evaluator extends StatementEvaluator {
  /** The object of the last attribute read (the receiver of a method call), for statement tracking. */
  private lastReceiver: Value | undefined;
  /**
   * While a statement that first bound names runs again (rerunStatement), those names' old bindings
   * (kept in place, for the namespace's order), and the names it read while they were still those:
   * a read after the statement bound the name again (`DATABASES = setup_database()`, the function
   * assigning `global DATABASES` before it returns it) sees what a full evaluation sees.
   */
  private oldBindings: { readonly bindings: ReadonlyMap<string, Binding>; readonly read: Set<string> } | undefined;
  /** Calls of the project's functions, counted (a sampled call that made others: CallSample). */
  private userCalls = 0;

  /** Evaluates a module (once; later calls return the memoized result, partial during a cycle). */
  evaluate(ref: ModuleRef): ModuleResult {
    const existing = this.modules.get(ref.file);
    if (existing) return existing;
    const mod: ModuleResult = {
      ref,
      scope: new Scope(),
      notes: [],
      calls: [],
      files: new Set([ref.file]),
      status: 'evaluating',
    };
    this.modules.set(ref.file, mod);
    const doc = this.host.document(ref.file);
    if (!doc) {
      mod.notes.push({ kind: 'unreadable', message: `${ref.name} could not be read` });
      // the upper-case names it may bind, when they are known (the lower-case ones: any)
      const names = this.host.unreadableNames?.(ref.file);
      const known = names ? new Set(names) : undefined;
      mod.scope.open = {
        reason: `${ref.name} could not be read`,
        ...(known ? { mayBind: (n: string) => !V.isUpperName(n) || known.has(n) } : {}),
      };
      mod.status = 'done';
      return mod;
    }
    this.stack.push(mod);
    const depth = this.exprDepth;
    try {
      inPhase('evaluating the settings', ref.file, () => this.runModule(mod, doc));
      if (mod.status === 'evaluating') mod.status = 'done';
    } catch (e) {
      this.exprDepth = depth;
      if (e instanceof BudgetExceeded) {
        mod.status = 'budget';
        mod.scope.open = { reason: 'the analysis budget ran out before the end of the module' };
        mod.notes.push({ kind: 'budget', message: `Stopped reading ${ref.name}: the analysis budget ran out.` });
        if (this.stack.length > 1) throw e;
      } else throw e;
    } finally {
      this.stack.pop();
    }
    return mod;
  }

  /** A module-level frame (frames are created with every field, in one order: one hidden class for all). */
  private moduleFrame(mod: ModuleResult, text: string): Frame {
    return {
      mod,
      file: mod.ref.file,
      text,
      base: 0,
      scope: mod.scope,
      locals: undefined,
      globalsDeclared: undefined,
      comp: [],
      pendingReturns: undefined,
      uncertain: 0,
      cow: new Set(),
      api: undefined,
      catching: [],
      callDepth: 0,
      fnRange: undefined,
      envDefaultReturn: undefined,
      argEnv: undefined,
      inClass: false,
    };
  }

  /** A tracker for the statements of `mod` (incremental.ts), when this evaluator keeps them. */
  protected startTracking(_mod: ModuleResult): ModuleTracker | undefined {
    return undefined;
  }

  /** How many times the workspace was asked something (tracked statements that ask it are not re-run alone). */
  protected hostCalls(): number {
    return 0;
  }

  /**
   * Starts writing down the questions asked of the workspace (a tracked statement's); returns
   * where they start, for hostTrail.
   */
  protected startHostTrail(): number {
    return -1;
  }

  /**
   * The questions asked since `from` (startHostTrail), each as a key: `missing\0name\0level\0file`
   * for an import of a module the workspace does not have, `other` for any other question;
   * undefined when they are not written down.
   */
  protected hostTrail(_from: number): readonly string[] | undefined {
    return undefined;
  }

  protected runModule(mod: ModuleResult, original: PythonDocument): void {
    const { doc, templated } = withoutTemplateLines(original);
    const f = this.moduleFrame(mod, doc.text);
    const outer = this.tracker;
    const tracker = this.startTracking(mod);
    this.tracker = tracker;
    try {
      this.runStatements(mod, doc, templated, f, tracker);
    } finally {
      this.tracker = outer;
    }
  }

  private runStatements(
    mod: ModuleResult,
    doc: PythonDocument,
    templated: readonly [number, number][],
    f: Frame,
    tracker: ModuleTracker | undefined,
  ): void {
    if (tracker) {
      tracker.text = doc.text;
      if (templated.length > 0) tracker.blocked = 'it holds template text';
    }
    const file = V.str(mod.ref.file, 'derived');
    mod.scope.set('__file__', { value: file });
    mod.scope.set('__name__', { value: V.str(mod.ref.name, 'derived') });
    mod.scope.set('__package__', {
      value: V.str(mod.ref.isPackage ? mod.ref.name : mod.ref.name.split('.').slice(0, -1).join('.'), 'derived'),
    });
    let reportedSyntax = false;
    for (const chunk of doc.chunks) {
      const node = chunk.node;
      if (tracker) tracker.records.push(newRecord(node, chunk.base + node.start, chunk.base + node.end, mod.calls.length));
      if (node.type === 'comment') continue;
      f.base = chunk.base;
      if (node.error && tracker) tracker.blocked = 'it has a syntax error';
      if (node.error && !reportedSyntax) {
        reportedSyntax = true;
        mod.notes.push({
          kind: 'syntax-error',
          message: `${mod.ref.name} has a syntax error; the statements around it are skipped.`,
          loc: this.loc(node, f),
        });
      }
      const depth = this.exprDepth;
      try {
        if (tracker) this.trackedStatement(node, f, tracker, tracker.records[tracker.records.length - 1]!);
        else this.execStatement(node, f);
        if (node.error || (templated.length > 0 && overlaps(templated, chunk.base + node.start, chunk.base + node.end)))
          this.unparsable(node, f);
      } catch (e) {
        this.exprDepth = depth;
        if (tracker) tracker.blocked = 'it raises when imported';
        if (e instanceof PyRaise) {
          mod.status = 'raised';
          // The statements after the raise were never read: a setting missing from the namespace is
          // unknown, not "never set" (one finding for the raise, not one per setting after it).
          const line = doc.text.slice(0, e.loc?.file === mod.ref.file ? e.loc.start : 0).split('\n').length;
          const where = e.loc?.file === mod.ref.file ? ` at line ${line}` : '';
          mod.scope.open = {
            reason: `${mod.ref.name} stops${where} (it raises ${e.exc} when imported), so the settings after that point were not read`,
            loc: e.loc,
          };
          // An import that fails has already been reported where it is.
          if (
            mod.notes.some(
              (n) =>
                (n.kind === 'import-missing' || n.kind === 'import-ignored') &&
                n.loc?.start === e.loc?.start &&
                n.loc?.file === e.loc?.file,
            )
          )
            return;
          mod.notes.push({
            kind: 'module-raises',
            message: `${mod.ref.name} raises ${e.exc} here when imported, so nothing after this line runs.`,
            loc: e.loc,
          });
          return;
        }
        throw e;
      }
    }
    if (tracker && this.configurationClasses.get(mod)?.length) tracker.blocked = 'it defines django-configurations classes';
    // a statement that opens the namespace (dynamic code may bind names) is a barrier of its own;
    // what opens it after the last statement is not a statement's
    const open = mod.scope.open;
    this.finishModule(f);
    if (tracker && mod.scope.open !== open) tracker.blocked ??= 'dynamic code opened its namespace';
  }

  /**
   * django-split-settings' include() run by a top-level statement of a tracked module, in plain
   * module context (not in a branch, a try, a function or a class): the included file's statements
   * get records of their own (incremental.ts, StatementRecord.file), so that an edit in that file
   * re-runs only the statement it changed. Otherwise as ImportEvaluator.runIncluded.
   */
  protected override runIncluded(file: string, f: Frame, loc: Loc): void {
    const t = this.tracker;
    const outer = t?.current;
    if (
      t === undefined ||
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
    ) {
      super.runIncluded(file, f, loc);
      return;
    }
    const doc = this.host.document(file);
    if (!doc) {
      this.taintAll(f, `${basename(file)} could not be read`, loc);
      return;
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
        if (first) rec.sharedAtStart = this.sharedState();
        first = false;
        t.records.push(rec);
        if (node.type === 'comment') continue;
        g.base = chunk.base;
        if (node.error) {
          t.blocked ??= 'an included file has a syntax error';
          if (!reportedSyntax) {
            reportedSyntax = true;
            this.note(
              g,
              'syntax-error',
              `${basename(file)} (included by ${f.mod.ref.name}) has a syntax error; the statements around it are skipped.`,
              this.loc(node, g),
            );
          }
        }
        this.trackedStatement(node, g, t, rec);
        t.current = outer;
        if (node.error) this.unparsable(node, g);
      }
    } finally {
      t.current = outer;
      outer.nestEnd = t.records.length;
    }
  }

  /** Runs a top-level statement, recording what it reads, writes and changes (incremental.ts). */
  private trackedStatement(node: PyNode, f: Frame, tracker: ModuleTracker, rec: StatementRecord): void {
    const shared = this.sharedWrites;
    const open = f.scope.open;
    const notes = f.mod.notes.length;
    const host = this.hostCalls();
    const keyed = keyedTarget(node, (n) => this.src(n, f));
    tracker.current = rec;
    let written: Map<string, Binding | undefined>;
    const trailFrom = this.startHostTrail();
    let trail: readonly string[] | undefined;
    try {
      written = f.scope.recording(() => this.execStatement(node, f)).written;
    } finally {
      tracker.current = undefined;
      rec.callEnd = f.mod.calls.length;
      trail = this.hostTrail(trailFrom);
    }
    for (const [name, b] of written) {
      rec.writes.add(name);
      rec.before.set(name, b);
    }
    if (this.sharedWrites !== shared) {
      // statements after it read that state (sharedBefore); one before it is re-run on the state as
      // it was there (and the names a required condition rebinds are checked: requiredAfter)
      rec.opaque ??= 'it changes the state shared between modules';
      rec.sharedAfter = this.sharedState();
    }
    if (f.scope.open !== open) rec.barrier ??= 'it opens the namespace to dynamic code';
    if (f.mod.notes.length !== notes) rec.opaque ??= 'it leaves a note';
    if (this.hostCalls() !== host) {
      rec.host = true;
      // imports of modules the workspace does not have (`import boto3` in an `if`) only bind a
      // module nothing is known of: the statement can run again alone if it asks the same again
      if (trail && trail.length > 0 && trail.every((k) => k.startsWith('missing\0'))) rec.missingImports = trail;
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
   * Re-evaluates only the statement an edit changed, on `mod`'s namespace as the previous
   * evaluation left it (see incremental.ts for when that is what a full evaluation gives).
   * `declined`: nothing was changed; `broken`: the module must be evaluated in full (its kept
   * state is no longer usable); `patched`: `mod` is the evaluation of the new text.
   */
  patchModule(
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
    const no = (why: string): 'declined' => {
      tracker.why = why;
      return 'declined';
    };
    const broke = (why: string): 'broken' => {
      tracker.why = why;
      return 'broken';
    };
    if (tracker.blocked || mod.status !== 'done') return no(tracker.blocked ?? 'the module did not end normally');
    // the module's own file (template lines blanked, as runModule reads it), or a file it included (as runIncluded reads it)
    const own = file === mod.ref.file;
    const { doc, templated } = own ? withoutTemplateLines(original) : { doc: original, templated: [] };
    if (templated.length > 0) return no('it holds template text');
    const oldText = own ? tracker.text : tracker.texts.get(file);
    if (oldText === undefined) return no('the file was not included with records of its own');
    const chunks = doc.chunks;
    const recs = tracker.records;
    const at = tracker.recordsOf(file);
    const n = at.length;
    if (chunks.length !== n) return no('a statement was added or removed');
    const newText = doc.text;
    const delta = newText.length - oldText.length;
    const same = (i: number, shift: number): boolean => {
      const c = chunks[i]!;
      const r = recs[at[i]!]!;
      const s = c.base + c.node.start;
      const len = r.end - r.start;
      if (s !== r.start + shift || c.base + c.node.end !== r.end + shift) return false;
      if (c.node === r.node) return true;
      for (let x = 0; x < len; x++) if (oldText.charCodeAt(r.start + x) !== newText.charCodeAt(s + x)) return false;
      // the same text parsed again (a neighbour of an edit): its new tree is compared by identity from now on
      r.node = c.node;
      return true;
    };
    let i = 0;
    while (i < n && same(i, 0)) i++;
    let j = n - 1;
    while (j >= i && same(j, delta)) j--;
    if (j > i) return no('the edit spans statements');
    // i === j: statement i (of the file) changed; j < i: the edit is between statements
    const k = i === j ? at[i]! : -1;
    const rk = k >= 0 ? recs[k]! : undefined;
    const ck = k >= 0 ? chunks[i]! : undefined;
    let editEnd = rk ? rk.end : i < n ? recs[at[i]!]!.start : oldText.length;
    const first = i === j ? i + 1 : i; // the file's first statement after the edit
    let patchK = false;
    // an edit inside the body of a function the module defines (the text before its body is the
    // same): the function is changed in place, and the statements after it that called it (they
    // are recorded by the function's identity) run again
    const called = rk && ck ? this.bodyEdit(tracker, k, rk, ck, oldText, newText) : undefined;
    if (typeof called === 'string') return no(called);
    // ...which no call of it ran nor read: every call gives what it gave, nothing runs again
    const unreached = called && rk && ck ? this.unreachedEdit(rk, ck, oldText, newText) : undefined;
    // the statements that called it run again, with those reading or writing what they wrote (a
    // dependency walk, as for an edited statement)
    let callers: number[] | undefined;
    // the statements that called it, whose calls the new body is given again first (probeCalls):
    // when each gives what it gave, none of them runs again
    let probe: readonly number[] | undefined;
    let rerunWhy: string | undefined;
    if (called && rk && !unreached) {
      const deps = tracker.dependents(k, MAX_CALLERS_RERUN, called);
      rerunWhy =
        deps === undefined
          ? `more than ${MAX_CALLERS_RERUN} statements call it or read what those wrote`
          : this.cannotRerun(mod, tracker, deps, rk);
      if (rerunWhy === undefined) callers = deps;
      if (called.length > 0 && !tracker.unsampled.has(rk.fns[0]!)) probe = called;
      else if (rerunWhy !== undefined) return no(rerunWhy);
    }
    if (rk && ck && !callers && !probe && !unreached) {
      const oldComment = oldText.startsWith('#', rk.start) && rk.reads.size === 0 && rk.writes.size === 0;
      if (ck.node.type === 'comment' && oldComment) patchK = false;
      else {
        if (ck.node.type === 'comment' || oldComment || ck.node.error) return no('a comment became code, or a syntax error');
        if (
          (rk.opaque && !definesFunctionsOnly(rk)) ||
          rk.barrier ||
          (rk.fns.length > 0 && !definesFunctionsOnly(rk)) ||
          (rk.host && !rk.missingImports)
        )
          return no(rk.opaque ?? rk.barrier ?? (rk.host ? 'it reads the workspace' : DEFINES));
        const newKeyed = keyedTarget(ck.node, (x) => newText.slice(ck.base + x.start, ck.base + x.end));
        if (rk.keyed && newKeyed?.path !== rk.keyed.path) return no('the key path it writes changed');
        if (/^\s*(?:import|from)\b/.test(newText.slice(ck.base + ck.node.start, ck.base + ck.node.end))) return no('an import');
        patchK = true;
      }
    }
    // what the statements after it read and write (the tracker's index, not a pass over them)
    // A later barrier (it reads the names of the namespace, makes names unknown or opens it to
    // dynamic code) saw which names were bound, not their values (it reads a value by name, a read
    // like any other): the new statement must bind exactly the names the old one bound (checked
    // after it ran), so that the barrier saw the same names.
    let barrierAfter = false;
    // the statements after it that read or write what it wrote (a dependency walk: each runs again
    // after it, in order, see dependentsOf)
    let walk: Walk | undefined;
    let envEdit: { readonly name: string; readonly old: V.ObjectValue } | undefined;
    if (rk && patchK) {
      barrierAfter = tracker.laterIs(k, 'barrier');
      if (tracker.laterTouches(k, rk.writes, false) || tracker.laterTouches(k, rk.writes, true)) {
        // a django-environ Env bound by the statement (DefectDojo's 265-line `env = FileAwareEnv(…)`,
        // read by nearly every later statement): only those that looked up a key of its schema the
        // edit changed run again (the Env stays the same object, its schema changed in place)
        const name = rk.writes.size === 1 && !rk.keyed ? [...rk.writes][0]! : undefined;
        const bound = name !== undefined ? mod.scope.vars.get(name) : undefined;
        if (name !== undefined && bound && isEnv(bound.value) && !tracker.laterTouches(k, [name], true)) {
          envEdit = { name, old: bound.value };
          walk = { deps: [], members: new Set([k]), written: new Set(), remade: new Set(), skip: name };
          // the locations after the edit inside the statement follow it too (the schema's entries it did not change are kept)
          if (ck)
            editEnd =
              rk.start +
              (rk.end - rk.start) -
              commonSuffix(oldText, rk.start, rk.end, newText, ck.base + ck.node.start, ck.base + ck.node.end);
        } else {
          const deps = this.dependentsOf(mod, tracker, k, rk);
          if (typeof deps === 'string') return no(deps);
          walk = { deps, members: new Set([k, ...deps]), written: new Set(), remade: new Set() };
        }
      }
      if (rk.keyed && this.foreignSees(tracker, k, rk.mutated))
        return no('a later statement reads other modules that may hold what it changes');
      if (rk.fns.length > 0 && calledOutside(tracker, k, rk.fns, walk?.members))
        return no('a later statement that does not run again called a function it defines');
    }

    // the containers it changed in place can be put back (later statements changing one too run
    // again after it: they are in its walk)
    if (rk && patchK && rk.mutated.length > 0 && !rk.keyed) {
      const why = this.cannotPutBack(mod, tracker, k, rk, walk?.members);
      if (why !== undefined) return no(why);
    }

    // ---- from here the kept state changes: a failure means a full evaluation
    if (tracker.locs.length > 2 * tracker.fullLocs + 20_000) return no('the log of locations doubled'); // evaluate in full, with a fresh log
    // (the locations in the function's body after the edit follow it)
    if (unreached) editEnd = unreached.end;
    if (delta !== 0) {
      tracker.edit = { file, end: editEnd, delta };
      shiftLocs(tracker.locs, editEnd, delta, tracker.texts.size > 0 ? file : undefined);
      for (let x = first; x < n; x++) {
        const r = recs[at[x]!]!;
        r.start += delta;
        r.end += delta;
        for (const fn of r.fns) retext(fn, delta, newText, file, editEnd);
      }
    }
    if (rk && ck && !patchK) recs[k] = { ...rk, node: ck.node, start: ck.base + ck.node.start, end: ck.base + ck.node.end };
    if (own) tracker.text = newText;
    else tracker.texts.set(file, newText);
    if (rk && ck && unreached) {
      const d = (rk.fns[0] as V.ObjectValue).data as { body: readonly PyNode[]; text: string; base: number; reach: FnReach };
      const from = unreached.end - (d.base + d.body[0]!.start);
      d.body = this.blockOf(field(ck.node, 'body'));
      d.text = newText;
      d.base = ck.base;
      // (the marks after the edit follow it: FnReach)
      const ran = [...d.reach.ran];
      d.reach.ran.clear();
      for (const x of ran) d.reach.ran.add(x >= from ? x + delta : x);
      for (let x = 0; x < d.reach.seen.length; x++) if (d.reach.seen[x]! >= from) d.reach.seen[x]! += delta;
      tracker.unreached = true;
      return 'patched';
    }
    if (rk && ck && (callers || probe)) {
      const d = (rk.fns[0] as V.ObjectValue).data as { body: readonly PyNode[]; text: string; base: number; reach?: FnReach };
      d.body = this.blockOf(field(ck.node, 'body'));
      d.text = newText;
      d.base = ck.base;
      // (its marks were of the old body)
      if (d.reach) d.reach.whole = true;
      tracker.fnEdited = true;
      if (probe) {
        // the statements whose calls give another result run again, with what depends on them
        const rebound: string[] = [];
        const changed = this.probeCalls(mod, tracker, rk.fns[0] as V.ObjectValue, probe, rebound);
        if (changed === 'changed') return broke('a call of the function with its new body did more than return');
        if (changed.length === 0) {
          tracker.probed = { fn: rk.fns[0]!, rebound };
          return 'patched';
        }
        const skip = rk.writes.size === 1 ? [...rk.writes][0] : undefined;
        const deps =
          changed.length < probe.length && skip !== undefined ? tracker.dependents(k, MAX_CALLERS_RERUN, changed, skip) : callers;
        if (deps === undefined)
          return broke(`more than ${MAX_CALLERS_RERUN} statements calling it get another result, or read what those wrote`);
        const why = deps === callers ? rerunWhy : this.cannotRerun(mod, tracker, deps, rk);
        if (why !== undefined || deps === undefined) return broke(`a call of the function gives another result, and ${why}`);
        callers = deps;
      }
      if (!callers) return broke('the statements calling the function cannot run again');
      const rerun: StatementRecord[] = [];
      const fnWalk: Walk = { deps: callers, members: new Set(callers), written: new Set(), remade: new Set() };
      // (chunk indexes by record: the statements after the edit are this file's)
      const chunkOf = new Map(at.map((r, x) => [r, x] as const));
      for (const c of callers) {
        const rc = recs[c]!;
        // (as for a dependency walk below: containers put back before it were seen by none run before it)
        if (rc.mutated.length > 0 && !rc.keyed) {
          const why = seenBefore(
            mod,
            tracker,
            rerun,
            rc.mutated.filter((c) => !fnWalk.remade.has(c)),
          );
          if (why !== undefined)
            return broke(`a statement calling the function, run again before one that changes a container in place, ${why}`);
        }
        const chunk = chunks[chunkOf.get(c)!]!;
        const out = this.rerunStatement(mod, tracker, c, chunk.node, chunk.base, newText, file, tracker.laterIs(c, 'barrier'), fnWalk);
        if (out === 'broken') return broke(`a statement calling the function: ${tracker.why}`);
        rerun.push(out);
      }
      tracker.rerun = rerun;
      return 'patched';
    }
    if (!rk || !ck || !patchK) return 'patched';

    const out = this.rerunStatement(mod, tracker, k, ck.node, ck.base, newText, file, barrierAfter, walk);
    if (out === 'broken') return 'broken';
    tracker.patched = out;
    tracker.replaced = rk;
    if (envEdit && walk) {
      const b = mod.scope.vars.get(envEdit.name);
      const keys = b ? envChange(envEdit.old, b.value) : undefined;
      if (!b || !keys) return broke('the edited statement no longer makes an Env of the same kind');
      const data = envEdit.old.data as object;
      const deps = tracker.dependents(k, MAX_DEPENDENTS_RERUN, tracker.envReaders(k, data, keys), envEdit.name);
      if (deps === undefined) return broke(`more than ${MAX_DEPENDENTS_RERUN} later statements read what the schema's changed keys give`);
      const why = this.cannotRerun(mod, tracker, deps, rk);
      if (why !== undefined) return broke(why);
      // the kept Env takes the changed keys' entries, and stays bound
      const oldSchemes = envSchemes(data) as Map<string, unknown>;
      const newSchemes = envSchemes(b.value.kind === 'object' ? b.value.data : undefined)!;
      for (const key of keys) {
        const e = newSchemes.get(key);
        if (e) oldSchemes.set(key, e);
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
          if (why !== undefined) return broke(`a statement run again before one that changes a container in place ${why}`);
        }
        const chunk = chunks[at.indexOf(d)]!;
        const o = this.rerunStatement(mod, tracker, d, chunk.node, chunk.base, newText, file, tracker.laterIs(d, 'barrier'), walk);
        if (o === 'broken') return broke(`a statement reading what it wrote: ${tracker.why}`);
        rerun.push(o);
      }
      tracker.rerun = rerun;
    }
    return 'patched';
  }

  /**
   * For an edited statement k that later statements read or write what it wrote: those statements
   * (and, in turn, those reading or writing what they wrote), when each can run again alone (as
   * bodyEdit's callers: not opaque, no barrier, containers changed in place only through a key path
   * or put back as they were before it (cannotPutBack), no workspace read, no function defined but
   * as definesFunctionsOnly allows, no variable made required, in the same file), at most
   * MAX_DEPENDENTS_RERUN; else why not.
   */
  private dependentsOf(mod: ModuleResult, tracker: ModuleTracker, k: number, rk: StatementRecord): number[] | string {
    const deps = tracker.dependents(k, MAX_DEPENDENTS_RERUN);
    if (deps === undefined) return `more than ${MAX_DEPENDENTS_RERUN} later statements read or write what it wrote`;
    return this.cannotRerun(mod, tracker, deps, rk) ?? deps;
  }

  /**
   * The later statements reading `names` (that statement `k` of a walk binds now and did not), and
   * in turn those reading or writing what they write, join the walk when each can run again alone
   * (cannotRerun) and the walk stays within MAX_DEPENDENTS_RERUN; else why not.
   */
  private widenWalk(
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
    const why = this.cannotRerun(mod, tracker, joining, rk);
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
  private foreignSees(tracker: ModuleTracker, k: number, containers: Iterable<Value>): boolean {
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
  private cannotPutBack(
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
    if (this.foreignSees(tracker, k, rk.mutated)) return 'a later statement reads other modules that may hold a container it changes';
    return undefined;
  }

  /** Why one of the statements `deps` cannot run again after the edited statement `rk`, if one cannot (see dependentsOf). */
  private cannotRerun(mod: ModuleResult, tracker: ModuleTracker, deps: readonly number[], rk: StatementRecord): string | undefined {
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
        if (r.keyed && this.foreignSees(tracker, i, r.mutated))
          return 'a later statement reads other modules that may hold what it changes';
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
        const why = this.cannotPutBack(mod, tracker, i, r, members);
        if (why !== undefined) return `a later statement reading or writing what it wrote cannot run again alone (${why})`;
        continue;
      }
      if (r.opaque || r.barrier || (r.host && !r.missingImports) || r.fns.length > 0 || (r.mutated.length > 0 && !r.keyed) || r.requires)
        return `a later statement reading or writing what it wrote cannot run again alone (${r.opaque ?? r.barrier ?? 'it changes a container, makes a variable required or reads the workspace'})`;
      if (r.keyed && this.foreignSees(tracker, i, r.mutated)) return 'a later statement reads other modules that may hold what it changes';
    }
    return undefined;
  }

  /**
   * For an edit of statement k that defines a function, inside its body only: the statements
   * after it that called the function (flat indexes), when each can run again alone (as
   * patchModule's edited statement: nothing after it reads or writes what it writes, no barrier
   * after it, no container changed in place, no workspace read, no function defined); a string
   * (why not) when the edit is inside a function's body but they cannot; undefined when the edit
   * is not inside a function's body.
   */
  private bodyEdit(
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
  private unreachedEdit(
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
    const nb = this.blockOf(field(ck.node, 'body'));
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
            for (let b = 0; b < ob.length; b++) if (!pair(this.blockOf(ob[b]), this.blockOf(nbs[b]))) return false;
          }
        }
      }
      return true;
    };
    return pair(d.body, nb) && found ? { start, end } : undefined;
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
  private probeCalls(
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
    const readReaches = new Map<string, boolean>();
    const shared = this.sharedState();
    // (the state put last: callers after the same statement that changed it need none put again)
    let put: SharedSnapshot = shared;
    const locs = tracker.locs.length;
    const otherLocs = tracker.otherLocs?.length;
    const outer = this.tracker;
    const outerCurrent = tracker.current;
    const outerOld = this.oldBindings;
    const shadow = this.shadowDepth;
    const depth = this.exprDepth;
    const rerun: number[] = [];
    const f = this.moduleFrame(d.mod, d.text);
    let spare: StatementRecord | undefined;
    // the locations of the new results bound (the others' are dropped), and what the calls made
    // of the samples and the functions not sampled, which are not the evaluation's
    const kept: Loc[] = [];
    // (those of the results replaced, that a call given again made: CallSample.made)
    const dead: (readonly Loc[])[] = [];
    const sampleCount = tracker.sampleCount;
    const unsampled = [...tracker.unsampled];
    this.tracker = tracker;
    this.oldBindings = undefined;
    this.stack.push(mod);
    this.uncancellable++;
    try {
      for (const c of callers) {
        const rc = recs[c]!;
        const all = rc.samples;
        // (a statement making one call, of this function: its samples as they are)
        const samples = all === undefined ? [] : all.length === 1 && all[0]!.fn === fn ? all : all.filter((s) => s.fn === fn);
        if (rc.sharedAfter !== undefined || samples.length === 0) {
          rerun.push(c);
          continue;
        }
        const want = tracker.sharedBefore(c) ?? shared;
        if (want !== put) this.restoreShared((put = want));
        let same = true;
        let verified = true;
        let single: { readonly sample: CallSample; readonly out: Value; readonly probe: StatementRecord; readonly locs: Loc[] } | undefined;
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
          const probe = spare ?? newRecord(rc.node, rc.start, rc.end, mod.calls.length);
          spare = undefined;
          tracker.current = probe;
          const before = this.sideEffects(d.mod, probe);
          const calls = this.userCalls;
          f.uncertain = s.uncertain;
          f.catching = s.catching as Frame['catching'];
          f.callDepth = s.callDepth;
          this.shadowDepth = s.shadowDepth;
          // (the locations the call makes are dropped from the log, but those of a new result bound: below)
          tracker.locs.length = locs;
          if (otherLocs !== undefined) tracker.otherLocs!.length = otherLocs;
          let out: Value | undefined;
          try {
            out = this.callUserFunction(fn, s.args, f, s.loc);
          } catch (e) {
            this.exprDepth = depth;
            if (!(e instanceof PyRaise || e instanceof BudgetExceeded)) throw e;
          }
          if (this.sideEffects(d.mod, probe) !== before) return 'changed';
          if (out === undefined || probe.foreignNames || probe.foreignWhole) {
            verified = false;
            break;
          }
          // the names it read: bound then as now, holding nothing changed since
          const roots: Value[] = [...s.args.pos, ...s.args.kw.values(), ...defaults];
          for (const name of probe.reads.keys()) {
            if (tracker.laterTouches(c - 1, [name], true)) verified = false;
            const v = d.scope.vars.get(name)?.value;
            if (v === undefined) continue;
            roots.push(v);
            let r = readReaches.get(name);
            if (r === undefined) readReaches.set(name, (r = reaches([v], later) !== false));
            if (r) verified = false;
          }
          // containers it returns: made by the call, as the sample's were
          if (mayHold(out)) {
            const containers = containersIn(out);
            if (containers.size > 0 && (this.userCalls !== calls || reaches(roots, containers) !== false)) verified = false;
          }
          if (!verified) break;
          if (!sameResult(out, s.result, 0)) {
            same = false;
            single = samples.length === 1 ? { sample: s, out, probe, locs: tracker.locs.slice(locs) } : undefined;
          }
          if (single?.probe !== probe && emptyRecord(probe)) spare = probe;
        }
        if (verified && same) continue;
        // (the locations the new result holds, all of which must follow later edits)
        const held = single && single.probe.fns.length === 0 ? locsIn(single.out) : undefined;
        if (!verified || !single || !held || !this.rebindResult(mod, tracker, c, single.sample, single.out, required)) {
          rerun.push(c);
          continue;
        }
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
        for (const l of made) kept.push(l);
        if (single.sample.made) dead.push(single.sample.made);
        rc.samples = rc.samples!.map((x) => (x === single.sample ? { ...x, result: single.out, made } : x));
      }
      return rerun;
    } finally {
      tracker.locs.length = locs;
      for (const l of kept) tracker.locs.push(l);
      for (const d of dead) tracker.dropLocs(d);
      tracker.sampleCount = sampleCount;
      if (tracker.unsampled.size !== unsampled.length) {
        tracker.unsampled.clear();
        for (const x of unsampled) tracker.unsampled.add(x);
      }
      tracker.current = outerCurrent;
      this.tracker = outer;
      this.oldBindings = outerOld;
      this.shadowDepth = shadow;
      this.stack.pop();
      this.uncancellable--;
      this.restoreShared(shared);
    }
  }

  /**
   * Binds the name statement c binds to `value`, the new result of its only call of an edited
   * function (`sample`), when the statement is `NAME = call(…)` and did nothing else: the name is
   * bound to the old result, and no statement after it reads or writes the name, nor makes an
   * environment variable the new value defaults required. Whether it did.
   */
  private rebindResult(
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
   * Runs statement k of the module (its record's statement, or `node` in its place) again alone,
   * on the namespace the kept evaluation left: its old bindings undone, then checked as
   * patchModule says. Its new record, or 'broken' (the module must be evaluated in full).
   */
  private rerunStatement(
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
    const own = file === mod.ref.file;
    const ck = { node, base };
    const broke = (why: string): 'broken' => {
      tracker.why = why;
      return 'broken';
    };
    // undo the old statement's bindings, then run the new one on the namespace before it. A name
    // the old statement bound first stays where it is in the namespace's order (deleting it would
    // move it to the end, and putting the order back costs a pass over every name): the new
    // statement may not read it, and it is removed after if the new statement does not bind it.
    // Only for an expression statement: a statement with branches merges each name with the binding
    // it had before, without reading it.
    const scope = mod.scope;
    // the names the old statement bound (it was the last to write them): all still bound
    const oldNames = barrierAfter ? [...rk.writes].filter((n) => !n.includes('\0')) : [];
    if (oldNames.some((n) => !scope.vars.has(n))) return broke('a later statement reads the names of the namespace, and it unbinds one');
    const firstBound: string[] = [];
    const keepsPlace = ck.node.type === 'expression_statement';
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
        this.mutating(c);
        restoreFields(c, saved);
        // (the statements of the walk after it run on it as it leaves it; only those put back: one
        // changed as the full evaluation left it, `L[0] = …` before `L += […]`, is not remade)
        walk?.remade.add(c);
      }
    const rec = newRecord(ck.node, ck.base + ck.node.start, ck.base + ck.node.end, mod.calls.length);
    if (!own) {
      rec.file = file;
      rec.sharedAtStart = rk.sharedAtStart;
    }
    const f: Frame = { ...this.moduleFrame(mod, newText), file };
    f.base = ck.base;
    const outer = this.tracker;
    this.tracker = tracker;
    this.stack.push(mod);
    // the shared state (environment, variables found required) as the full evaluation had it here
    const sharedBefore = tracker.sharedBefore(k);
    if (sharedBefore) this.restoreShared(sharedBefore);
    const depth = this.exprDepth;
    this.uncancellable++;
    const outerOld = this.oldBindings;
    const oldBindings = { bindings: new Map<string, Binding>(), read: new Set<string>() };
    for (const name of firstBound) {
      const b = scope.vars.get(name);
      if (b !== undefined) oldBindings.bindings.set(name, b);
    }
    this.oldBindings = oldBindings.bindings.size > 0 ? oldBindings : undefined;
    try {
      this.trackedStatement(ck.node, f, tracker, rec);
    } catch (e) {
      this.exprDepth = depth;
      if (e instanceof PyRaise || e instanceof BudgetExceeded) return broke('it raised or ran out of budget');
      throw e;
    } finally {
      this.oldBindings = outerOld;
      this.uncancellable--;
      this.stack.pop();
      this.tracker = outer;
      for (const [name, { final }] of shifted) scope.vars.set(name, final);
    }
    for (const name of shifted.keys())
      if (rec.writes.has(name) || [...rec.writes].some((w) => rootOf(w) === name))
        return broke('it writes a name a later statement binds again, which it read');
    // the calls it added to other modules are taken out again: those modules' calls are rebuilt
    // from every statement's, in order, once the patch is done (moduleCache.ts, rebuildCalls)
    for (const [m, calls] of rec.otherCalls ?? []) m.calls.length -= calls.length;
    if (rec.otherCalls !== undefined || rk.otherCalls !== undefined) tracker.otherCallsChanged = true;
    if (
      (rec.opaque && !definesFunctionsOnly(rec)) ||
      rec.barrier ||
      (rec.fns.length > 0 && !(definesFunctionsOnly(rec) && definesFunctionsOnly(rk))) ||
      (rec.host && !sameTrail(rec.missingImports, rk.missingImports))
    )
      return broke(`the new statement: ${rec.opaque ?? rec.barrier ?? 'it reads the workspace or defines a function'}`);
    if (rk.keyed ? rec.keyed?.path !== rk.keyed.path : rec.keyed !== undefined || (rec.mutated.length > 0 && !putBack))
      return broke('the new statement changes a container in place');
    // a container the new statement changed and the old one did not is as it was before it unless a later statement changed it
    if (putBack && rec.mutated.length > 0) {
      const after = tracker.mutatedAfter(k);
      if (rec.mutated.some((c) => !putBack.has(c) && after.has(c)))
        return broke('the new statement changes a container a later statement changes');
    }
    for (const name of firstBound) {
      if (oldBindings.read.has(name)) return broke('it read the binding it replaces'); // it read the old statement's binding
      if (rec.writes.has(name)) rec.before.set(name, undefined);
      else scope.vars.delete(name);
    }
    if (barrierAfter) {
      const newNames = [...rec.writes].filter((n) => !n.includes('\0'));
      if (newNames.length !== oldNames.length || newNames.some((n) => !oldNames.includes(n) || !scope.vars.has(n)))
        return broke('a later statement reads the names of the namespace, and it binds other names');
    }
    // the new statement bound a name first: it went to the end of the namespace's order
    let moved = false;
    for (const [name, b] of rec.before) if (b === undefined && !firstBound.includes(name)) moved = true;
    // a statement of a walk that now binds names it did not (`if not LOG_LEVEL: LOG_LEVEL = …` whose
    // branch the edit flipped): the later statements reading them join the walk, when each can run
    // again alone; a later statement binding one again declines (the binding at its place would
    // not be the one the kept namespace holds)
    if (walk) {
      const added = [...rec.writes].filter((n) => !rk.writes.has(n));
      if (added.length > 0) {
        if (walk.skip !== undefined && added.some((n) => rootOf(n) === walk.skip))
          return broke('the new statement binds the Env whose schema the edit changed');
        if (tracker.laterTouches(k, added, true)) return broke('the new statement writes a name a later statement writes too');
        if (tracker.laterTouches(k, added, false, walk.members)) {
          const why = this.widenWalk(mod, tracker, k, rk, added, walk);
          if (why !== undefined) return broke(why);
        }
      }
    }
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
      return broke('a later statement reads what the new statement wrote, or writes what it read');
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
          return broke('it read a name a later statement writes');
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
          return broke('a later condition makes a variable it defaults required');
      }
    // what the new statement read was not changed in place after it (through an alias), but by
    // statements of its walk run again after it on a container holding here what a full evaluation
    // has (put back by it or a statement run before it: remadeRead)
    const mutatedAfter = tracker.mutatedAfter(k);
    if (walk) for (const c of mutatedAfter) if (walk.remade.has(c) && tracker.mutatorsIn(k, [c], walk.members)) mutatedAfter.delete(c);
    if (mutatedAfter.size > 0 && reaches(readValues(rec.reads.keys()), mutatedAfter) !== false)
      return broke('what it read was changed in place later');
    // what it changed in place is not reached by what later statements read, nor by what it read
    if (rk.keyed) {
      const changed = new Set([...rk.mutated, ...rec.mutated]);
      // (a container a statement of its walk run before it put back: the statements of the walk
      // after it changing or reading it run again after it, on it as it leaves it)
      const remade = walk !== undefined && [...changed].every((c) => walk.remade.has(c));
      const laterReads = tracker.readsAfter(k, remade ? walk.members : undefined);
      if (reaches(readValues(laterReads), changed) !== false) return broke('a later statement reaches the container it changed');
      if (reaches(readValues(rec.reads.keys()), changed) !== false) return broke('it reaches the container it changed');
      if (this.foreignSees(tracker, k, changed)) return broke('a later statement reads other modules that may hold what it changed');
    } else if (putBack) {
      // (what it read of the containers it changed was put back first: as a full evaluation read it)
      const changed = new Set([...rk.mutated, ...rec.mutated]);
      // (the statements of a walk run again after it read them as it leaves them)
      if (reaches(readValues(tracker.readsAfter(k, walk?.members)), changed) !== false)
        return broke('a later statement reaches a container it changed');
      if (this.foreignSees(tracker, k, changed)) return broke('a later statement reads other modules that may hold what it changed');
    }
    const added = mod.calls.splice(rec.callStart);
    rec.callStart = rk.callStart;
    rec.callEnd = rk.callEnd;
    tracker.replace(k, rec);
    spliceCalls(mod.calls, recs, k, added);
    if (moved) reorderAfter(scope, recs, k);
    if (walk) {
      for (const name of rk.before.keys()) walk.written.add(name);
      for (const name of rec.writes) walk.written.add(name);
    }
    return rec;
  }

  eval(node: PyNode, f: Frame): Value {
    this.tick();
    if (this.exprDepth > MAX_EXPR_DEPTH) return V.unknown('expression nested too deeply', this.loc(node, f));
    // no try/finally on this hot path: the places that catch a PyRaise restore the depth
    this.exprDepth++;
    const v = this.evalInner(node, f);
    this.exprDepth--;
    if (v.kind === 'unknown') {
      if (v.tooLarge === true) this.noteTooLarge(f, v);
    } else if (node.type !== 'identifier') this.spend(v);
    return v;
  }

  protected evalInner(node: PyNode, f: Frame): Value {
    if (node.type === 'identifier') {
      // the hot path: a bound name needs no location
      const name = node.text ?? this.src(node, f);
      const bound = this.boundValue(name, f);
      return bound ?? this.lookup(name, f, this.loc(node, f));
    }
    const loc = this.loc(node, f);
    switch (node.type) {
      case 'integer':
        return parseInteger(node.text ?? '', loc);
      case 'float': {
        const t = (node.text ?? '').replace(/_/g, '');
        if (/[jJ]$/.test(t)) return V.unknown('a complex number', loc);
        return V.float(Number(t), 'literal', loc);
      }
      case 'true':
        return V.bool(true, 'literal', loc);
      case 'false':
        return V.bool(false, 'literal', loc);
      case 'none':
        return V.none('literal', loc);
      case 'ellipsis':
        return V.object('Ellipsis', undefined, loc);
      case 'string':
        return this.evalString(node, f, loc);
      case 'concatenated_string': {
        const parts = namedChildren(node).map((c) => this.eval(c, f));
        if (parts.every((p) => p.kind === 'str')) {
          if (parts.reduce((n, p) => n + (p as V.StrValue).v.length, 0) > V.MAX_STR_LENGTH) return V.tooLarge('a string', loc, 'str');
          const origin = parts.every((p) => p.origin === 'literal') ? 'literal' : V.combineOrigins(...parts);
          return { ...V.str(parts.map((p) => (p as V.StrValue).v).join(''), origin, loc), env: V.combineEnv(...parts) };
        }
        return V.unknownFrom(parts, 'a string built from values the analysis cannot read', loc, 'str');
      }
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.eval(inner, f) : V.seq('tuple', [], 'literal', loc);
      }
      case 'list':
      case 'set':
      case 'tuple':
      case 'expression_list':
        return this.evalSequence(node, f, loc);
      case 'dictionary':
        return this.evalDict(node, f, loc);
      case 'binary_operator': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        const op = field(node, 'operator') ?? node.children.find((c) => !c.named);
        if (!left || !right || !op) return V.unknown('an incomplete expression', loc);
        return this.binop(op.text ?? this.src(op, f), this.eval(left, f), this.eval(right, f), loc, f);
      }
      case 'unary_operator': {
        const arg = field(node, 'argument');
        const op = node.children.find((c) => !c.named)?.text ?? '-';
        if (!arg) return V.unknown('an incomplete expression', loc);
        const v = this.eval(arg, f);
        const n = V.numeric(v);
        if (n === undefined) return V.unknownFrom([v], 'a sign applied to an unknown value', loc);
        const origin = v.origin === 'literal' ? 'literal' : V.combineOrigins(v);
        const r = op === '-' ? -n : op === '~' ? ~n : n;
        return { ...(v.kind === 'float' ? V.float(r, origin, loc) : V.int(r, origin, loc)), env: v.env };
      }
      case 'not_operator': {
        const arg = field(node, 'argument');
        const v = arg ? this.eval(arg, f) : V.unknown('');
        const t = V.truthy(v);
        if (t === undefined) return V.unknownFrom([v], 'the negation of an unknown value', loc, 'bool');
        return V.derive(V.bool(!t), loc, [v]);
      }
      case 'boolean_operator':
        return this.evalBoolOp(node, f, loc);
      case 'comparison_operator':
        return this.evalComparison(node, f, loc);
      case 'conditional_expression': {
        const [body, cond, alt] = namedChildren(node);
        if (!body || !cond || !alt) return V.unknown('an incomplete expression', loc);
        const c = this.eval(cond, f);
        const t = V.truthy(c);
        if (t !== undefined) {
          if (c.origin === 'env-default') this.decidedByArguments(f, c.env);
          const r = this.eval(t ? body : alt, f);
          // `os.environ["X"] if "X" in os.environ else "fallback"`: the literal is X's default (when
          // the other alternative reads X; a literal an unrelated variable selects stays a literal)
          const otherText = this.src(t ? alt : body, f);
          const related = (c.env ?? []).filter((e) => mentionsVar(otherText, e.name));
          if (
            c.origin === 'env-default' &&
            related.length > 0 &&
            r.kind !== 'unknown' &&
            r.kind !== 'object' &&
            (r.origin === 'literal' || r.origin === 'derived') &&
            r.loc &&
            r.loc.file === loc.file &&
            r.loc.start >= loc.start &&
            r.loc.end <= loc.end
          ) {
            return { ...r, origin: 'env-default', env: [...related.map((e) => ({ ...e, hasDefault: true })), ...(r.env ?? [])] };
          }
          return r;
        }
        const a = this.eval(body, f);
        const b = this.eval(alt, f);
        if (V.sameValue(a, b)) return a;
        // `os.environ["X"] if "X" in os.environ else "literal"`: the literal is the default.
        return mergeValues([a, b], `depends on \`${this.clip(this.src(cond, f))}\``, loc);
      }
      case 'call':
        return this.evalCall(node, f, loc);
      case 'attribute': {
        const obj = field(node, 'object');
        const attr = field(node, 'attribute');
        if (!obj || !attr) return V.unknown('an incomplete expression', loc);
        const o = this.eval(obj, f);
        this.lastReceiver = o;
        return this.getAttr(o, attr.text ?? '', loc, f);
      }
      case 'subscript':
        return this.evalSubscript(node, f, loc);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.evalComprehension(node, f, loc);
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        const v = value ? this.eval(value, f) : V.unknown('');
        if (name?.text) this.bind(name.text, v, f, this.loc(name, f), loc);
        return v;
      }
      case 'lambda': {
        const params = this.parseParams(field(node, 'parameters'), f);
        const body = field(node, 'body');
        const lambda = V.object(
          'user-fn',
          {
            name: 'lambda',
            params,
            body: [],
            expr: body,
            file: f.file,
            text: f.text,
            base: f.base,
            mod: f.mod,
            scope: f.scope,
          } satisfies UserFn,
          loc,
        );
        this.tracker?.defined(lambda);
        // (a lambda holds the text of the function it is made in: FnReach)
        this.lookedAll(f);
        return lambda;
      }
      case 'keyword_argument':
      case 'list_splat':
      case 'dictionary_splat':
        return V.unknown('an argument outside a call', loc);
      default:
        return V.unknown(`a ${node.type.replace(/_/g, ' ')} expression`, loc);
    }
  }

  /** The value a name is bound to in the comprehension scopes, the function's locals or the module. */
  protected boundValue(name: string, f: Frame): Value | undefined {
    for (let i = f.comp.length - 1; i >= 0; i--) {
      const v = f.comp[i]!.get(name);
      if (v) return v;
    }
    if (f.locals) {
      const v = f.locals.get(name);
      if (v) return v;
    }
    if (this.tracker !== undefined) {
      this.tracker.read(f.scope, name);
      const old = this.oldBindings;
      if (old !== undefined && f.scope === this.tracker.scope) {
        const b = old.bindings.get(name);
        if (b !== undefined && f.scope.vars.get(name) === b) old.read.add(name);
      }
    }
    return f.scope.vars.get(name)?.value;
  }

  protected lookup(name: string, f: Frame, loc: Loc): Value {
    const bound = this.boundValue(name, f);
    if (bound) return bound;
    const bi = builtin(name, loc);
    if (bi) return bi;
    if (f.scope.mayHave(name)) return V.unknown(f.scope.open!.reason, loc);
    return V.unknown(`${name} is not defined at this point`, loc);
  }

  protected evalString(node: PyNode, f: Frame, loc: Loc): Value {
    // fast path: a plain literal without prefix ("…", '…', triple-quoted), the common case
    const c = node.children;
    const quote = c[0]?.text;
    if ((quote === '"' || quote === "'" || quote === '"""' || quote === "'''") && c[c.length - 1]?.type === 'string_end') {
      if (c.length === 2) return V.str('', 'literal', loc);
      if (c.length === 3 && c[1]!.type === 'string_content') {
        const t = c[1]!.text ?? this.src(c[1]!, f);
        if (t.includes('{') && TEMPLATE_TEXT.test(t))
          return V.unknown('template text, filled in when the project is generated', loc, 'str');
        return V.str(t.includes('\\') ? unescapePython(t) : t, 'literal', loc);
      }
    }
    const startTok = node.children[0];
    const prefix = (startTok?.text ?? '').replace(/(?<!['"])['"]+$/, '').toLowerCase();
    const raw = prefix.includes('r');
    const isF = prefix.includes('f') || prefix.includes('t');
    let out = '';
    const parts: Value[] = [];
    let unknownPart = false;
    for (const child of node.children) {
      if (child.type === 'string_content') {
        let t = this.src(child, f);
        if (isF) t = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        out += raw ? t : unescapePython(t);
      } else if (child.type === 'escape_sequence') {
        out += raw ? this.src(child, f) : unescapePython(this.src(child, f));
      } else if (child.type === 'interpolation') {
        const expr = field(child, 'expression');
        const conv = field(child, 'type_conversion');
        const spec = field(child, 'format_specifier');
        const v = expr ? this.eval(expr, f) : V.unknown('');
        parts.push(v);
        const c = conv ? this.src(conv, f) : '';
        let s = c.includes('r') || c.includes('a') ? pyRepr(v) : pyText(v);
        if (spec && s !== undefined) {
          const formatted = formatValue(c ? V.str(s) : v, this.src(spec, f).replace(/^:/, ''), V.MAX_STR_LENGTH);
          if (formatted === null) return V.tooLarge('an f-string', loc, 'str');
          s = formatted;
        }
        if (s === undefined) unknownPart = true;
        else if (out.length + s.length > V.MAX_STR_LENGTH) return V.tooLarge('an f-string', loc, 'str');
        else out += s;
      }
    }
    if (parts.some((p) => V.holdsWholeEnvironment(p))) return V.wholeEnvironment('an f-string', loc, 'str');
    if (unknownPart) return V.unknownFrom(parts, 'an f-string with values the analysis cannot read', loc, 'str');
    if (out.includes('{') && TEMPLATE_TEXT.test(out))
      return V.unknown('template text, filled in when the project is generated', loc, 'str');
    if (parts.length === 0) return V.str(out, 'literal', loc);
    return { ...V.str(out, V.combineOrigins(...parts), loc), env: V.combineEnv(...parts) };
  }

  protected evalSequence(node: PyNode, f: Frame, loc: Loc): Value {
    const kind = node.type === 'list' ? 'list' : node.type === 'set' ? 'set' : 'tuple';
    const items: Value[] = [];
    let unknownSplat: Value | undefined;
    let optional = false;
    for (const child of node.children) {
      if (!child.named || child.type === 'comment') continue;
      if (child.type === 'list_splat') {
        const inner = namedChildren(child)[0];
        const v = inner ? this.eval(inner, f) : V.unknown('');
        const spread = this.iterate(v);
        if (spread) V.pushAll(items, spread);
        else if (kind !== 'set' && (v.kind === 'unknown' ? !v.tooLarge : V.isSeq(v))) {
          // `[*unknown, *INSTALLED_APPS]`: the items written stay certain, in order; what the
          // unreadable part spreads may be among them (an optional list's items, or unknown ones)
          if (V.isSeq(v)) V.pushAll(items, v.items);
          else
            items.push(
              V.unreadableItems(
                [v],
                `the items of \`${this.clip(this.src(inner!, f))}\`, which the analysis cannot read`,
                this.loc(child, f),
              ),
            );
          optional = true;
        } else unknownSplat = v;
      } else items.push(this.eval(child, f));
      if (items.length > V.MAX_ITEMS) return V.tooLarge(`a ${kind}`, loc, kind === 'set' ? 'list' : kind);
    }
    if (unknownSplat)
      return V.unknownFrom([unknownSplat], `a ${kind} that unpacks a value the analysis cannot read`, loc, kind === 'set' ? 'list' : kind);
    // what an unreadable spread may add is said by its items (maybeAbsent), not by the list's origin
    const written = optional ? items.filter((i) => !(i.kind === 'unknown' && i.maybeAbsent)) : items;
    const allLiteral = written.every((i) => i.origin === 'literal');
    // a known container is never `env` (that origin is for values required from the environment,
    // which are unknown): `[config("DOMAIN"), "localhost"]` is written in code; its items say more
    const origin = allLiteral ? 'literal' : V.combineOrigins(...written);
    return {
      ...V.seq(kind, kind === 'set' ? dedupe(items) : items, origin === 'env' ? 'derived' : origin, loc),
      env: V.combineEnv(...items),
      ...(optional ? { optional: true } : {}),
    };
  }

  protected evalDict(node: PyNode, f: Frame, loc: Loc): Value {
    const d = V.dict([], [], 'literal', loc);
    for (const child of node.children) {
      if (!child.named || child.type === 'comment') continue;
      if (child.type === 'pair') {
        const k = field(child, 'key');
        const v = field(child, 'value');
        if (!k || !v) continue;
        const key = this.eval(k, f);
        const value = this.eval(v, f);
        if (V.keyOf(key) === undefined) d.partial = true;
        else V.dictSet(d, key, value);
        if (key.origin !== 'literal' || value.origin !== 'literal') d.origin = 'derived';
      } else if (child.type === 'dictionary_splat') {
        const inner = namedChildren(child)[0];
        const v = inner ? this.eval(inner, f) : V.unknown('');
        // {**os.environ, …} holds the whole environment
        if (v.kind === 'object' && v.tag === 'os.environ') return V.object('os.environ', undefined, loc);
        if (v.kind === 'dict') {
          if (d.keys.length + v.keys.length > V.MAX_ITEMS) return V.tooLarge('a dict', loc, 'dict');
          v.keys.forEach((k, i) => V.dictSet(d, k, v.values[i]!));
          if (v.partial) d.partial = true;
        } else d.partial = true;
        d.origin = 'derived';
      }
    }
    return d;
  }

  protected evalBoolOp(node: PyNode, f: Frame, loc: Loc): Value {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const op = field(node, 'operator')?.text ?? node.children.find((c) => !c.named)?.text;
    if (!left || !right) return V.unknown('an incomplete expression', loc);
    const a = this.eval(left, f);
    const t = V.truthy(a);
    if (op === 'and') {
      if (t === false) return a;
      const b = this.eval(right, f);
      if (t === true) return V.derive(b, b.loc ?? loc, [a, b]);
      return V.unknownFrom([a, b], 'a condition on an unknown value', loc);
    }
    // or
    if (t === true) return a;
    const b = this.eval(right, f);
    // `os.environ.get("X") or "fallback"` (None when X is not set; or a required lookup): when X is
    // not set, production gets the fallback
    const lookup = (a.origin === 'env' || (a.kind === 'none' && a.origin === 'env-default')) && a.env?.length;
    if (t === false && !lookup) return V.derive(b, b.loc ?? loc, [a, b]);
    if (lookup && a.env) {
      // an unknown fallback keeps what is known of it (`or get_random_secret_key()` is generated)
      if (b.kind === 'unknown') return { ...V.unknownFrom([a, b], b.reason, loc, b.type), producedBy: b.producedBy, ext: b.ext };
      return {
        ...b,
        origin: b.origin === 'env' ? 'env' : 'env-default',
        env: [...a.env.map((e) => ({ ...e, hasDefault: true })), ...(b.env ?? [])],
      };
    }
    return V.unknownFrom([a, b], 'a condition on an unknown value', loc);
  }

  protected evalComparison(node: PyNode, f: Frame, loc: Loc): Value {
    // operands are the named children; operators the anonymous tokens between them
    const operands: PyNode[] = [];
    const ops: string[] = [];
    let pending: string[] = [];
    for (const child of node.children) {
      if (child.named && child.type !== 'comment') {
        if (operands.length > 0) ops.push(pending.join(' '));
        pending = [];
        operands.push(child);
      } else if (!child.named) pending.push(child.text ?? child.type);
    }
    const values = operands.map((o) => this.eval(o, f));
    let result: boolean | undefined = true;
    // `"X" in os.environ`: under defaults semantics the variable is not set (an environment default).
    let envDefaults: V.EnvRef[] | undefined;
    let argv = false;
    for (let i = 0; i < ops.length; i++) {
      const a = values[i]!;
      const b = values[i + 1]!;
      if ((ops[i] === 'in' || ops[i] === 'not in') && b.kind === 'object' && b.tag === 'os.environ') {
        if (a.kind !== 'str') {
          result = undefined;
          continue;
        }
        if (this.envValues.has(a.v)) {
          // the settings put it there themselves
          const set = this.envValues.get(a.v)!;
          // a variable the deployment sets is in the environment whatever its value
          if (set.kind === 'unknown' && !this.deploymentValues.has(set)) result = undefined;
          else if (ops[i] === 'not in') {
            result = false;
            break;
          }
          continue;
        }
        (envDefaults ??= []).push({ name: a.v, style: 'os', hasDefault: true, loc: a.loc ?? loc });
        if (ops[i] === 'in') {
          result = false;
          break;
        }
        continue;
      }
      // `"test" in sys.argv`, `"runserver" in sys.argv`: production runs a server or a deployment
      // command (gunicorn, migrate, collectstatic), never the test runner or the development server
      if (
        b.kind === 'unknown' &&
        b.ext === 'sys.argv' &&
        a.kind === 'str' &&
        (ops[i] === 'in' || ops[i] === 'not in') &&
        DEV_COMMANDS.has(a.v)
      ) {
        argv = true;
        if (ops[i] === 'in') {
          result = false;
          break;
        }
        continue;
      }
      const r = compare(ops[i]!, a, b);
      if (r === false) {
        result = false;
        break;
      }
      if (r === undefined) result = undefined;
    }
    if (result === undefined) {
      // `"X" in os.environ` and friends are environment reads whose answer is unknown: safe unknown.
      return V.unknownFrom(values, 'a comparison with an unknown value', loc, 'bool');
    }
    if (envDefaults) {
      const parts = values.filter(
        (v) => !(v.kind === 'object' && v.tag === 'os.environ') && !(argv && v.kind === 'unknown' && v.ext === 'sys.argv'),
      );
      const d = V.derive(V.bool(result), loc, parts);
      return {
        ...d,
        origin: d.origin === 'env' || d.origin === 'unknown' ? d.origin : 'env-default',
        env: [...envDefaults, ...(d.env ?? [])],
      };
    }
    return V.derive(V.bool(result), loc, argv ? values.filter((v) => !(v.kind === 'unknown' && v.ext === 'sys.argv')) : values);
  }

  protected evalSubscript(node: PyNode, f: Frame, loc: Loc): Value {
    const containerNode = field(node, 'value');
    const keyNodes = fields(node, 'subscript');
    if (!containerNode || keyNodes.length === 0) return V.unknown('an incomplete expression', loc);
    const c = this.eval(containerNode, f);
    if (keyNodes.length === 1 && keyNodes[0]!.type === 'slice') {
      if ((c.kind === 'list' || c.kind === 'tuple') && c.optional)
        return V.unknownFrom([c], 'a slice of a list some of whose items may be absent', loc);
      if (c.kind === 'list' || c.kind === 'tuple' || c.kind === 'str') {
        const len = c.kind === 'str' ? c.v.length : c.items.length;
        const b = this.sliceBounds(keyNodes[0]!, f, len);
        if (!b) return V.unknownFrom([c], 'a slice with unknown bounds', loc);
        const idx: number[] = [];
        if (b.step > 0) for (let i = b.start; i < b.stop; i += b.step) idx.push(i);
        // biome-ignore lint/correctness/useValidForDirection: the step is negative on this branch
        else for (let i = b.start; i > b.stop; i += b.step) idx.push(i);
        if (c.kind === 'str') return V.derive(V.str(idx.map((i) => c.v[i]).join('')), loc, [c]);
        return V.seq(
          c.kind,
          idx.map((i) => c.items[i]!),
          V.combineOrigins(c),
          loc,
        );
      }
      return V.unknownFrom([c], 'a slice of an unknown value', loc);
    }
    const key =
      keyNodes.length === 1
        ? this.eval(keyNodes[0]!, f)
        : V.seq(
            'tuple',
            keyNodes.map((k) => this.eval(k, f)),
          );
    return this.subscriptValue(c, key, f, loc);
  }

  protected subscriptValue(c: Value, key: Value, f: Frame, loc: Loc): Value {
    if (c.kind === 'none') c = this.requiredFromNone(c, f, loc) ?? c;
    if (c.kind === 'object') {
      if (c.tag === 'os.environ') {
        if (key.kind !== 'str') return V.unknownFrom([key], 'an environment variable with an unknown name', loc);
        const set = this.envValues.get(key.v);
        if (set) return set;
        const env: V.EnvRef = { name: key.v, style: 'os', hasDefault: false, loc };
        if (this.envFailureHandled(f, ['KeyError'])) throw new PyRaise('KeyError', loc, env);
        return V.required(env, 'str', loc);
      }
      if (c.tag === 'sys.modules') {
        const me = f.scope.get('__name__')?.value;
        if (key.kind === 'str' && me?.kind === 'str' && key.v === me.v) return V.object('this-module');
        return V.unknown('a module from sys.modules', loc);
      }
      if (c.tag === 'globals') {
        // the namespace of the module that called globals(), also from another module's function
        const owner = (c.data as GlobalsData | undefined)?.api;
        if (key.kind === 'str' && owner && owner.moduleName !== f.mod.ref.name) {
          const v = V.dictGet(owner.globalsSnapshot(loc), key);
          return v ?? V.unknown(v === null ? `${key.v} is not bound in ${owner.moduleName}` : `${key.v} of ${owner.moduleName}`, loc);
        }
        if (key.kind === 'str') return this.lookup(key.v, f, loc);
        return V.unknown('a global with an unknown name', loc);
      }
      if (c.tag === 'wsmodule') return V.unknown('a module is not subscriptable', loc);
      return V.unknown(`an item of ${c.tag}`, loc);
    }
    if (c.kind === 'dict') {
      const v = V.dictGet(c, key);
      if (v) return v;
      if (v === null) {
        if (this.catchesHere(f, 'KeyError')) throw new PyRaise('KeyError', loc);
        return V.unknown(`the key ${V.repr(key)} is not in the dict`, loc);
      }
      return V.unknownFrom([c, key], 'a key the analysis cannot find', loc);
    }
    if ((c.kind === 'list' || c.kind === 'tuple') && c.optional)
      return V.unknownFrom([c, key], 'an item by position of a list some of whose items may be absent', loc);
    if (c.kind === 'list' || c.kind === 'tuple' || c.kind === 'str') {
      const n = V.numeric(key);
      if (n === undefined || !Number.isInteger(n)) return V.unknownFrom([c, key], 'an item at an unknown position', loc);
      const len = c.kind === 'str' ? c.v.length : c.items.length;
      const i = n < 0 ? len + n : n;
      if (i < 0 || i >= len) return V.unknown('an index out of range', loc);
      return c.kind === 'str' ? V.derive(V.str(c.v[i]!), loc, [c]) : c.items[i]!;
    }
    if (c.kind === 'unknown') {
      if (c.ext) return V.ext(`${c.ext}[]`, loc);
      return V.unknownFrom([c], 'an item of an unknown value', loc);
    }
    return V.unknown(`an item of a ${V.typeName(c)}`, loc);
  }

  protected evalComprehension(node: PyNode, f: Frame, loc: Loc): Value {
    const body = field(node, 'body') ?? namedChildren(node)[0];
    const clauses = node.children.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    if (!body) return V.unknown('an incomplete comprehension', loc);
    const out: Value[] = [];
    const outKeys: Value[] = [];
    const inputs: Value[] = [];
    let unknownInput: Value | undefined;
    const scope = new Map<string, Value>();
    f.comp.push(scope);
    const bindTarget = (target: PyNode, v: Value): void => {
      if (target.type === 'identifier' && target.text) scope.set(target.text, v);
      else {
        const parts = namedChildren(target);
        const items = this.iterate(v);
        parts.forEach((p, i) =>
          bindTarget(p, items && items.length === parts.length ? items[i]! : V.unknownFrom([v], 'unpacked loop item')),
        );
      }
    };
    let overflow = false;
    const run = (i: number): boolean => {
      if (out.length >= V.MAX_ITEMS) {
        overflow = true;
        return false;
      }
      if (i === clauses.length) {
        if (node.type === 'dictionary_comprehension') {
          const k = field(body, 'key');
          const v = field(body, 'value');
          if (k && v) {
            outKeys.push(this.eval(k, f));
            out.push(this.eval(v, f));
          }
        } else out.push(this.eval(body, f));
        return true;
      }
      const clause = clauses[i]!;
      if (clause.type === 'if_clause') {
        const cond = namedChildren(clause)[0];
        const c = cond ? this.eval(cond, f) : V.unknown('');
        const t = V.truthy(c);
        if (t === undefined) {
          unknownInput = c;
          return false;
        }
        return t ? run(i + 1) : true;
      }
      const left = field(clause, 'left');
      const right = field(clause, 'right');
      if (!left || !right) return false;
      const iterable = this.eval(right, f);
      inputs.push(iterable);
      const items = this.iterate(iterable);
      if (!items) {
        unknownInput = iterable;
        return false;
      }
      for (const item of items) {
        bindTarget(left, item);
        if (!run(i + 1)) return false;
      }
      return true;
    };
    try {
      run(0);
    } finally {
      f.comp.pop();
    }
    if (unknownInput)
      return V.unknownFrom(
        [unknownInput],
        'a comprehension over values the analysis cannot read',
        loc,
        node.type === 'dictionary_comprehension' ? 'dict' : 'list',
      );
    if (overflow) return V.tooLarge('a comprehension', loc, node.type === 'dictionary_comprehension' ? 'dict' : 'list');
    const combined = V.combineOrigins(...inputs, ...out);
    const origin = combined === 'env' ? 'derived' : combined;
    const env = V.combineEnv(...inputs, ...out);
    if (node.type === 'dictionary_comprehension') {
      // a key met again keeps its first place and takes the later value, as in Python
      const d = V.dict([], [], origin, loc);
      outKeys.forEach((k, i) => V.dictSet(d, k, out[i]!));
      return { ...d, env };
    }
    if (node.type === 'set_comprehension') return { ...V.seq('set', dedupe(out), origin, loc), env };
    return { ...V.seq('list', out, origin, loc), env };
  }

  protected evalCall(node: PyNode, f: Frame, loc: Loc): Value {
    const fnNode = field(node, 'function');
    const argsNode = field(node, 'arguments');
    if (!fnNode) return V.unknown('an incomplete call', loc);
    const fn = this.eval(fnNode, f);
    if (
      this.tracker !== undefined &&
      fn.kind === 'object' &&
      fn.tag === 'method' &&
      (fn.data as { mutates?: boolean }).mutates &&
      fnNode.type === 'attribute' &&
      this.lastReceiver !== undefined &&
      (f.uncertain === 0 || f.locals)
    ) {
      const obj = field(fnNode, 'object');
      this.tracker.mutate(this.lastReceiver, f.locals || !obj ? undefined : this.rootName(obj));
    }
    // keyword maps are only allocated for calls that have keyword arguments (most calls do not)
    const args: CallArgs = {
      pos: [],
      kw: NO_KEYWORDS as Map<string, Value>,
      kwLocs: NO_KEYWORD_LOCS as Map<string, Loc>,
      loc,
      unknownSplat: false,
    };
    if (argsNode?.type === 'generator_expression') {
      args.pos.push(this.eval(argsNode, f));
    } else if (argsNode) {
      for (const a of argsNode.children) {
        if (!a.named || a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const name = field(a, 'name')?.text;
          const value = field(a, 'value');
          if (name && value) {
            const v = this.eval(value, f);
            setKeyword(args, name, v, this.locOfNode(v, value, f));
          }
        } else if (a.type === 'list_splat') {
          const inner = namedChildren(a)[0];
          const v = inner ? this.eval(inner, f) : V.unknown('');
          const items = this.iterate(v);
          if (items) V.pushAll(args.pos, items);
          else args.unknownSplat = true;
        } else if (a.type === 'dictionary_splat') {
          const inner = namedChildren(a)[0];
          const v = inner ? this.eval(inner, f) : V.unknown('');
          if (v.kind === 'dict' && !v.partial && v.keys.every((k) => k.kind === 'str')) {
            v.keys.forEach((k, i) => setKeyword(args, (k as V.StrValue).v, v.values[i]!, this.loc(a, f)));
          } else args.unknownSplat = true;
        } else {
          args.pos.push(this.eval(a, f));
        }
      }
    }
    // a mutating method of something that may be another container (Value.aliasOf), known or not
    if (fnNode.type === 'attribute') {
      const obj = field(fnNode, 'object');
      const name = field(fnNode, 'attribute')?.text;
      if (obj && name && MUTATING_METHODS.has(name) && (obj.type === 'identifier' || obj.type === 'attribute')) {
        const target = this.eval(obj, f);
        if (target.aliasOf) this.mutatingAliases(target, f);
      }
    }
    // A mutating method on a value reached through a name: copy-on-write in uncertain branches.
    if (fn.kind === 'object' && fn.tag === 'method' && f.uncertain > 0 && fnNode.type === 'attribute') {
      const d = fn.data as { mutates?: boolean };
      if (d.mutates) {
        const obj = field(fnNode, 'object');
        if (obj) {
          this.prepareMutation(obj, f);
          const fresh = this.eval(fnNode, f);
          return this.callValue(fresh, args, f, loc);
        }
      }
    }
    const result = this.callValue(fn, args, f, loc);
    // a method of the project's own class given this module (`Settings.load_settings(__name__)`)
    // is followed as a function, but what it does to a module by name is not: handed over too
    if (
      fn.kind === 'unknown' ||
      (fn.kind === 'object' && fn.tag !== 'user-fn' && fn.tag !== 'fn' && fn.tag !== 'method') ||
      (fn.kind === 'object' && fn.tag === 'user-fn' && (fn.data as UserFn).method)
    )
      this.handOver(fn, fnNode, args, f, loc);
    return result;
  }

  protected callValue(fn: Value, args: CallArgs, f: Frame, loc: Loc): Value {
    if (fn.kind === 'object') {
      if (fn.tag === 'user-fn') {
        this.userCalls++;
        const t = this.tracker;
        if (t !== undefined) {
          t.called(fn);
          // a function of the module being tracked, called by one of its statements: sampled
          if (t.current !== undefined && (fn.data as UserFn).scope === t.scope) return this.sampledCall(t, t.current, fn, args, f, loc);
        }
        return this.callUserFunction(fn, args, f, loc);
      }
      if (fn.tag === 'fn' || fn.tag === 'method') {
        const d = fn.data as { impl: (a: CallArgs, api: EvalApi) => Value; receiver?: Value };
        if (d.receiver !== undefined) this.mutating(d.receiver); // a mutating method of a container
        return d.impl(args, this.api(f));
      }
      if (fn.tag === 'user-class') {
        // `Mode("dev")`: the member with that value
        const cls = fn.data as UserClass;
        const member = cls.enum && args.pos.length === 1 ? memberByValue(cls, args.pos[0]!) : undefined;
        return member ?? V.unknown(`an instance of ${cls.name}`, loc);
      }
      return V.unknown(`the result of calling ${fn.tag}`, loc);
    }
    if (fn.kind === 'unknown') {
      if (fn.ext) {
        this.record(f, fn.ext, args);
        // a library function of a random value (`base64.b64encode(os.urandom(32))`) is as random
        const random = fn.producedBy === 'generated' ? fn : args.pos.find(V.isGenerated);
        if (random?.kind === 'unknown') return { ...V.ext(`${fn.ext}()`, loc), producedBy: 'generated', generatedAt: random.generatedAt };
        return V.ext(`${fn.ext}()`, loc);
      }
      return V.unknownFrom([fn], 'the result of a call the analysis cannot follow', loc);
    }
    return V.unknown(`a ${V.typeName(fn)} is not callable`, loc);
  }

  /**
   * A call the analysis does not follow that is given this module (`globals()`, `locals()`,
   * `sys.modules[__name__]`, or its name from a method of the project's own classes, as in
   * `Settings.load_settings(__name__)`) can set any of its names: they become unknown.
   * `django_heroku.settings(locals())` is such a call; `logging.getLogger(__name__)` is not.
   */
  protected handOver(fn: Value, fnNode: PyNode, args: CallArgs, f: Frame, loc: Loc): void {
    const ext = fn.kind === 'unknown' ? fn.ext : undefined;
    // a library given the module's name only takes the module when its name says so (below)
    const byName = ext !== undefined ? handsOverByName(ext) : undefined;
    const library = ext !== undefined && byName === undefined;
    let given = false;
    for (const v of args.pos) if (this.isThisModule(v, library, f)) given = true;
    if (!given && args.kw.size > 0) for (const v of args.kw.values()) if (this.isThisModule(v, library, f)) given = true;
    if (!given) return;
    const known = ext ? KNOWN_HELPERS[ext.replace(/\(\)$/, '')] : undefined;
    if (known) return known(args, this.api(f));
    const what = `${this.clip(this.src(fnNode, f))}() is given this module and ${byName?.what ?? 'may set any of its settings'}`;
    if (byName?.overlay) this.openUnset(f, what, loc);
    else this.taintAll(f, what, loc);
  }

  /** `globals()`, `sys.modules[__name__]`, or (given to the project's own code) the module's name. */
  protected isThisModule(v: Value, library: boolean, f: Frame): boolean {
    if (v.kind === 'object') return v.tag === 'globals' || v.tag === 'this-module';
    return !library && v.kind === 'str' && v.v === f.mod.ref.name;
  }

  /**
   * Calls the module's function `fn` for statement `rec`, keeping the call as a sample of it
   * (CallSample) when it did nothing but return its result; else the function is marked unsampled.
   */
  private sampledCall(t: ModuleTracker, rec: StatementRecord, fn: V.ObjectValue, args: CallArgs, f: Frame, loc: Loc): Value {
    const d = fn.data as UserFn;
    const mod = d.mod;
    const before = this.sideEffects(mod, rec);
    const calls = this.userCalls;
    const outerReads = t.callReads;
    const reads = new Set<string>();
    t.callReads = reads;
    let out: Value;
    let returned = false;
    try {
      out = this.callUserFunction(fn, args, f, loc);
      returned = true;
    } finally {
      t.callReads = outerReads;
      if (outerReads) for (const n of reads) outerReads.add(n);
      // (it raised: no sample)
      if (!returned) t.unsampled.add(fn);
    }
    if (t.unsampled.has(fn)) return out;
    if (t.sampleCount >= MAX_SAMPLES || this.sideEffects(mod, rec) !== before) {
      t.unsampled.add(fn);
      return out;
    }
    // a result holding containers: made by the call (none reached from what it was given or read,
    // and no other function of the project called, which could give it one of theirs)
    const made = containersIn(out);
    if (made.size > 0) {
      if (this.userCalls !== calls) {
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
      shadowDepth: this.shadowDepth,
    });
    return out;
  }

  /**
   * What a call may change besides its result, as one string of counters (the same before and
   * after: it changed none of it): names bound, containers changed, notes, library calls and
   * workspace questions of the module, the shared state, and what statement `rec` recorded of it
   * (reads of other modules, reasons not to run again alone, variables made required).
   */
  private sideEffects(mod: ModuleResult, rec: StatementRecord): number {
    // (each counter only grows, and the flags are only set: a change of any changes the sum)
    return (
      Scope.writes +
      this.mutations +
      mod.notes.length +
      mod.calls.length +
      this.hostCalls() +
      this.sharedWrites +
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

  protected record(f: Frame, callee: string, args: CallArgs): void {
    const rec: CallRecord = {
      callee,
      args: args.pos,
      kwargs: args.kw,
      loc: args.loc,
      kwargLocs: args.kwLocs,
      conditional: f.uncertain > 0 || undefined,
    };
    f.mod.calls.push(rec);
    // a call a tracked statement adds to another module (one of its functions it called): see
    // StatementRecord.otherCalls (what a module imported meanwhile adds is not seen here: the
    // records then do not account for that module's calls, which moduleCache.ts checks)
    const t = this.tracker;
    if (t?.current !== undefined && f.mod.scope !== t.scope) {
      const other = (t.current.otherCalls ??= new Map());
      let l = other.get(f.mod);
      if (l === undefined) other.set(f.mod, (l = []));
      l.push(rec);
    }
  }

  protected getAttr(o: Value, name: string, loc: Loc, f: Frame): Value {
    // `os.environ.get("X").split(",")`: None has no such attribute, so X must be set
    if (o.kind === 'none') o = this.requiredFromNone(o, f, loc) ?? o;
    if (o.kind === 'object' && o.tag === 'wsmodule') {
      const m = o.data as ModuleResult;
      this.tracker?.foreign(name, m.scope);
      const b = m.scope.get(name);
      if (b) return b.value;
      return this.importModule(name, 0, f, loc, m.ref);
    }
    if (o.kind === 'object' && o.tag === 'user-class') {
      const cls = o.data as UserClass;
      const v = classAttr(cls, name);
      if (v?.kind === 'object' && v.tag === 'user-fn' && (v.data as UserFn).classMethod)
        return { ...v, data: { ...(v.data as UserFn), bound: o } };
      if (v) return v;
      if (surelyMissing(cls) && !name.startsWith('__')) {
        if (this.catchesHere(f, 'AttributeError')) throw new PyRaise('AttributeError', loc);
        return V.unknown(`${cls.name} has no attribute ${name}`, loc);
      }
      return V.unknown(`${name} of ${cls.name}`, loc);
    }
    if (o.kind === 'object' && o.tag === 'enum-member') return memberAttr(o.data as EnumMember, name, loc);
    return getAttribute(o, name, loc, this.api(f));
  }

  protected api(f: Frame): EvalApi {
    return (f.api ??= this.makeApi(f));
  }

  protected makeApi(f: Frame): EvalApi {
    return new Evaluator.FrameApi(this, f);
  }

  /**
   * The services given to library functions for a frame: one object per frame that calls one
   * (a class: its methods are shared, where an object of closures made two dozen functions for
   * each call of a helper such as env_flag()).
   */
  private static readonly FrameApi = class implements EvalApi {
    readonly file: string;
    readonly moduleName: string;
    constructor(
      private readonly ev: Evaluator,
      private readonly f: Frame,
    ) {
      this.file = f.file;
      this.moduleName = f.mod.ref.name;
    }
    note(kind: NoteKind, message: string, loc?: Loc): void {
      this.ev.note(this.f, kind, message, loc);
    }
    record(callee: string, args: CallArgs): void {
      this.ev.record(this.f, callee, args);
    }
    catches(...exc: string[]): boolean {
      return exc.some((e) => this.ev.catchesHere(this.f, e));
    }
    envFailureHandled(...exc: string[]): boolean {
      return this.ev.envFailureHandled(this.f, exc);
    }
    isRequiredEnv(name: string): boolean {
      return this.ev.requiredEnv.has(name);
    }
    envValue(name: string): Value | undefined {
      return this.ev.envValues.get(name);
    }
    envSchemeRead(data: object, name: string | undefined): void {
      this.ev.tracker?.schemeRead(data, name);
    }
    setEnv(name: string | undefined, value: Value): void {
      this.ev.setEnv(this.f, name, value);
    }
    raise(exc: string, loc: Loc, env?: V.EnvRef): never {
      throw new PyRaise(exc, loc, env);
    }
    call(fn: Value, args: CallArgs): Value {
      return this.ev.callValue(fn, args, this.f, args.loc);
    }
    bindGlobal(name: string, value: Value, loc: Loc): void {
      this.ev.bindGlobal(this.f, name, value, loc);
    }
    taintAll(reason: string, loc: Loc, mayBind?: (name: string) => boolean): void {
      this.ev.taintAll(this.f, reason, loc, mayBind);
    }
    taintByName(what: string, key: Value, loc: Loc): void {
      this.ev.taintByName(this.f, what, key, loc);
    }
    lookup(name: string, loc: Loc): Value {
      return this.ev.lookup(name, this.f, loc);
    }
    globalsSnapshot(loc: Loc): V.DictValue {
      return this.ev.globalsSnapshot(this.f, loc);
    }
    atModuleLevel(): boolean {
      return !this.f.locals && !this.f.inClass;
    }
    globalNames(): string[] {
      this.ev.tracker?.barrier('the names of the namespace are read');
      return [...this.f.scope.vars.keys()];
    }
    importModule(name: string, level: number, loc: Loc): Value {
      return this.ev.importModule(name, level, this.f, loc);
    }
    moduleNames(mod: Value): string[] | undefined {
      const m = mod.kind === 'object' && mod.tag === 'wsmodule' ? (mod.data as ModuleResult) : undefined;
      this.ev.tracker?.foreign();
      return m && !m.scope.open ? [...m.scope.vars.keys()].sort() : undefined;
    }
    moduleAttr(mod: Value, name: string, loc: Loc): Value {
      return this.ev.getAttr(mod, name, loc, this.f);
    }
    include(files: readonly { pattern: string; optional: boolean }[], loc: Loc): void {
      this.ev.includeFiles(files, this.f, loc);
    }
    iterate(v: Value): Value[] | undefined {
      return this.ev.iterate(v);
    }
    pathExists(path: string): boolean | undefined {
      return this.ev.pathExists(path, this.f);
    }
  };
}

// ---- template files -------------------------------------------------------------------------

/** A whole line of template syntax (`{% if cookiecutter.use_celery == "y" %}`, `{%- endif %}`). */
// (to its line's end: ^ and $ see a lone \r, \u2028 or \u2029 as one, and each line start read past it again)
export const TEMPLATE_LINE = /^[ \t]*\{%-?[^\n\r\u2028\u2029]*%\}[ \t]*$/gm;
const TEMPLATE_OPEN = /^\{%-?\s*(?:if|for)\b/;
const TEMPLATE_CLOSE = /^\{%-?\s*(?:endif|endfor)\b/;
// by document and text: an open buffer is one document whose text changes with each keystroke
const untemplated = new WeakMap<PythonDocument, { source: string; doc: PythonDocument; templated: [number, number][] }>();

/**
 * A project template's file (cookiecutter) read as Python: its template lines are blanked (same
 * offsets) so that the statements around them parse; `templated` holds the ranges between an
 * `{% if %}`/`{% for %}` line and its end, whose statements may not be in the generated project.
 */
export function withoutTemplateLines(doc: PythonDocument): { doc: PythonDocument; templated: readonly [number, number][] } {
  if (!doc.text.includes('{%')) return { doc, templated: [] };
  const done = untemplated.get(doc);
  if (done?.source === doc.text) return done;
  const templated: [number, number][] = [];
  const open: number[] = [];
  let any = false;
  const text = doc.text.replace(TEMPLATE_LINE, (line: string, at: number) => {
    any = true;
    const tag = line.trim();
    if (TEMPLATE_OPEN.test(tag)) open.push(at);
    else if (TEMPLATE_CLOSE.test(tag) && open.length > 0) templated.push([open.pop()!, at + line.length]);
    return line.replace(/[^\r\n]/g, ' ');
  });
  const result = any ? { source: doc.text, doc: PythonDocument.parse(text), templated } : { source: doc.text, doc, templated: [] };
  untemplated.set(doc, result);
  return result;
}

function overlaps(ranges: readonly [number, number][], start: number, end: number): boolean {
  return ranges.some(([a, b]) => start < b && end > a);
}

/**
 * The most statements calling an edited function that are run again alone (bodyEdit). Re-running
 * them is never slower than evaluating the module in full, and far cheaper for a few dozen
 * (zulip's zulip_path(), 25 callers and the statements reading them: 10-16 ms in process against
 * 20-50 for the full evaluation); the hundreds of callers of a helper such as env_flag() cost
 * nearly as much (106 against 126 ms, BENCHMARKS.md), and are evaluated in full unless their calls
 * give what they gave (probeCalls: then only the statements whose calls give another result count).
 */
const MAX_CALLERS_RERUN = 96;

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

/** A call's keyword argument, its maps made at the first (most calls have none: NO_KEYWORDS). */
function setKeyword(args: CallArgs, name: string, v: Value, l: Loc): void {
  if (args.kw === NO_KEYWORDS) {
    args.kw = new Map();
    args.kwLocs = new Map();
  }
  args.kw.set(name, v);
  args.kwLocs.set(name, l);
}

/** Whether a value may be or hold a container (containersIn), told without walking it. */
function mayHold(v: Value): boolean {
  switch (v.kind) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'dict':
      return true;
    case 'unknown':
      return v.aliasOf !== undefined || v.possible !== undefined;
    default:
      return v.aliasOf !== undefined;
  }
}

/** At most this many calls are sampled per module (CallSample); the functions of the others are not. */
const MAX_SAMPLES = 50_000;

/**
 * The locations a value holds (its own, its environment lookups', its items'), a few levels deep;
 * undefined when it holds more levels, or objects (a function, a library object: what they hold
 * is not walked).
 */
function locsIn(v: Value): Set<Loc> | undefined {
  const out = new Set<Loc>();
  let deeper = false;
  const walk = (x: Value, depth: number): void => {
    if (x.loc) out.add(x.loc);
    if (x.env) for (const e of x.env) out.add(e.loc);
    if (depth > 8) {
      deeper = true;
      return;
    }
    switch (x.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        for (const i of x.items) walk(i, depth + 1);
        break;
      case 'dict':
        for (const k of x.keys) walk(k, depth + 1);
        for (const i of x.values) walk(i, depth + 1);
        break;
      case 'unknown':
        if (x.generatedAt) out.add(x.generatedAt);
        if (x.possible) walk(x.possible, depth + 1);
        break;
      case 'object':
        deeper = true;
        break;
      default:
        break;
    }
  };
  walk(v, 0);
  return deeper ? undefined : out;
}

/** At most this many calls of an edited function are given to its new body again (probeCalls). */
const MAX_PROBES = 20_000;

/**
 * Whether two results are the same: kind, value, provenance, locations and every other field, the
 * containers' items compared in turn (a few levels deep), objects and what a value may be (aliasOf)
 * by identity.
 */
function sameResult(a: Value, b: Value, depth: number): boolean {
  if (a === b) return true;
  if (depth > 8 || a.kind !== b.kind || a.origin !== b.origin || !sameLoc(a.loc, b.loc)) return false;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  // (the same fields set on both)
  let na = 0;
  let nb = 0;
  for (const k in ra) if (ra[k] !== undefined) na++;
  for (const k in rb) if (rb[k] !== undefined) nb++;
  if (na !== nb) return false;
  for (const k in ra) {
    const x = ra[k];
    const y = rb[k];
    if (x === y || k === 'loc') continue;
    if (x === undefined || y === undefined) return false;
    switch (k) {
      case 'env':
        if (!sameEnvRefs(x as readonly V.EnvRef[], y as readonly V.EnvRef[])) return false;
        break;
      case 'items':
      case 'keys':
      case 'values': {
        const p = x as readonly Value[];
        const q = y as readonly Value[];
        if (p.length !== q.length) return false;
        for (let i = 0; i < p.length; i++) if (!sameResult(p[i]!, q[i]!, depth + 1)) return false;
        break;
      }
      case 'aliasOf': {
        const p = x as readonly Value[];
        const q = y as readonly Value[];
        if (p.length !== q.length || p.some((v, i) => v !== q[i])) return false;
        break;
      }
      case 'possible':
        if (!sameResult(x as Value, y as Value, depth + 1)) return false;
        break;
      case 'generatedAt':
        if (!sameLoc(x as Loc, y as Loc)) return false;
        break;
      default:
        // strings, numbers, flags: equal above; objects (a function's data, a narrowed name set) by identity
        return false;
    }
  }
  return true;
}

/**
 * The containers a value holds or is (its items, keys and values, a maybe-absent item's possible
 * value, the containers a merged value may be), a few levels deep; past them it holds one of
 * unknown identity: the value itself stands for it.
 */
function containersIn(v: Value): Set<Value> {
  const out = new Set<Value>();
  const walk = (x: Value, depth: number): void => {
    if (x.aliasOf) for (const a of x.aliasOf) out.add(a);
    switch (x.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        if (x.kind !== 'tuple') out.add(x);
        if (depth > 8) out.add(x);
        else for (const i of x.items) walk(i, depth + 1);
        break;
      case 'dict':
        out.add(x);
        if (depth <= 8) {
          for (const k of x.keys) walk(k, depth + 1);
          for (const i of x.values) walk(i, depth + 1);
        }
        break;
      case 'unknown':
        if (x.possible) walk(x.possible, depth + 1);
        break;
      default:
        break;
    }
  };
  walk(v, 0);
  return out;
}

/** Why a statement that defines a function or a class is recorded as opaque (StatementRecord.opaque). */
const DEFINES = 'it defines a function or class';

/**
 * Whether a statement's only reason not to run again alone is that it defines functions (`def`,
 * `lambda`; not a class, nor a method): run again, it makes new function objects, which is what a
 * full evaluation makes, as long as no statement that does not run again called the old ones
 * (calledOutside). Names bound to them are followed like any other: the statements reading them
 * run again too (the dependency walk).
 */
function definesFunctionsOnly(r: StatementRecord): boolean {
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
function calledOutside(tracker: ModuleTracker, k: number, fns: readonly Value[], members: ReadonlySet<number> | undefined): boolean {
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
function seenBefore(
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
 * The statements after an edited one that read or write what it wrote (see dependentsOf), run
 * again after it in order; the names bound by those run so far (in the namespace, their values are
 * those at the point the next one runs: every later statement writing one of them is in the walk).
 */
interface Walk {
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
 * Whether name `name`, read by statement `k` of a walk, holds here what a full evaluation has
 * although later statements write it: it is bound to a container the walk put back (Walk.remade:
 * by `k` itself or a statement run before it), and every later statement writing it changes that
 * container in place, without binding the name, and runs again after `k`.
 */
function remadeRead(mod: ModuleResult, tracker: ModuleTracker, k: number, name: string, walk: Walk): boolean {
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
function joinWalk(walk: Walk, ids: readonly number[]): void {
  for (const d of ids) {
    if (walk.members.has(d)) continue;
    walk.members.add(d);
    let at = walk.deps.length;
    while (at > 0 && walk.deps[at - 1]! > d) at--;
    walk.deps.splice(at, 0, d);
  }
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

function sameLoc(a: Loc | undefined, b: Loc | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.file === b.file && a.start === b.start && a.end === b.end);
}

/** Whether two lists of environment lookups are the same, in order (names, styles, defaults, locations). */
function sameEnvRefs(a: readonly V.EnvRef[], b: readonly V.EnvRef[]): boolean {
  if (a.length !== b.length) return false;
  for (let x = 0; x < a.length; x++) {
    const p = a[x]!;
    const q = b[x]!;
    if (
      p.name !== q.name ||
      p.style !== q.style ||
      p.hasDefault !== q.hasDefault ||
      p.fallbackOf !== q.fallbackOf ||
      !sameLoc(p.loc, q.loc)
    )
      return false;
  }
  return true;
}

/** Whether two values are the same (kind, value, provenance, locations; objects the same library object), a few levels deep. */
function sameValue(a: Value | undefined, b: Value | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || depth > 8) return false;
  if (a.kind !== b.kind || a.origin !== b.origin || !sameLoc(a.loc, b.loc) || a.aliasOf || b.aliasOf) return false;
  // (no field the comparison below does not look at)
  if (Object.keys(a).join() !== Object.keys(b).join()) return false;
  if (!sameEnvRefs(a.env ?? [], b.env ?? [])) return false;
  switch (a.kind) {
    case 'list':
    case 'tuple':
    case 'set': {
      const bi = (b as typeof a).items;
      return (
        a.optional === (b as typeof a).optional && a.items.length === bi.length && a.items.every((x, i) => sameValue(x, bi[i], depth + 1))
      );
    }
    case 'dict': {
      const d = b as typeof a;
      return (
        a.partial === d.partial &&
        a.keyPrefix === d.keyPrefix &&
        a.keys.length === d.keys.length &&
        a.keys.every((x, i) => sameValue(x, d.keys[i], depth + 1) && sameValue(a.values[i], d.values[i], depth + 1))
      );
    }
    case 'object':
      return a.tag === (b as typeof a).tag && a.data === (b as typeof a).data;
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
    case 'path':
      return a.v === (b as typeof a).v;
    case 'none':
      return true;
    default:
      return false; // (an unknown value: taken as changed)
  }
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

/** At most this many statements run again after an edited one (a dependency walk; see MAX_CALLERS_RERUN). */
const MAX_DEPENDENTS_RERUN = 96;

/** A function or class defined after an edit: its offsets follow the edit (its nodes are unchanged). */
function retext(v: Value, delta: number, text: string, file: string, editEnd: number): void {
  if (v.kind !== 'object' || v.tag !== 'user-fn') return;
  const d = v.data as {
    base: number;
    text: string;
    readonly file: string;
    readonly body: readonly PyNode[];
    readonly expr: PyNode | undefined;
  };
  // a function a statement after the edit defined by calling one defined before it (`H = make()`,
  // make's nested `def inner`), or one of another file: its text did not move
  if (d.file !== file) return;
  const node = d.body[0] ?? d.expr;
  if (node === undefined || d.base + node.start >= editEnd) d.base += delta;
  d.text = text;
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
