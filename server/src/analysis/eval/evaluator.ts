// The static evaluator: executes a settings module's statements in Python's order over the converted
// syntax tree, without running anything, and yields each module's final namespace with provenance.
//
// Contract (pyright-style): every expression evaluates to a Value; when the evaluator cannot know a
// value it returns an explicit `unknown` (with a reason) instead of guessing. Branches on unknown
// conditions are executed on forked namespaces and merged: a name that ends up different in the
// branches becomes unknown, down to the dict key that differs.
//
// The evaluator is one class built in phases, each a module that extends the one before (as
// pyright splits its own, and rust-analyzer's hir-ty/infer groups expression, pattern and path
// inference), lowest first:
//   core.ts         state and bookkeeping: frames, budgets, notes, bindings, the environment written
//   branches.ts     forking and merging undecidable branches
//   imports.ts      import resolution, star imports, split-settings' include()
//   assignments.ts  assignments, in-place changes of containers, del
//   control.ts      if, try, for, while, with, raise: which blocks run
//   functions.ts    def and class, and the inlining of the project's own functions
//   statements.ts   each statement kind to its phase
//   calls.ts        calls and attributes, the services given to library functions
//   expressions.ts  every other expression
//   evaluator.ts    (this file) a module's evaluation, and the seams for a layer around it (hooks.ts)
// Beside them: values.ts (the value model), operations.ts and pyformat.ts (Python's operations and
// text of values), frame.ts, scope.ts, builtins/ (builtin functions, methods of str, list, dict),
// library/ (the modules settings import: os, pathlib, django-environ, decouple…), templates.ts.
import type { PyNode } from '../parse/ast';
import type { PythonDocument } from '../parse/pythonDocument';
import type { CallArgs } from './api';
import { Scope, type ModuleRef, type ModuleResult, type NoteKind } from './scope';
import * as V from './values';
import type { Loc, Value } from './values';
import { BudgetExceeded, PyRaise, type EvalOptions } from './core';
import type { Frame, SharedSnapshot, UserFn } from './frame';
import { findNode } from '../parse/ast';
import type { EvaluationHooks, EvaluatorAccess, Tracker } from './hooks';
import type { ModuleHost } from './host';
import { ExpressionEvaluator } from './expressions';
import { overlaps, withoutTemplateLines } from './templates';
import { inPhase } from '../base/progress';

export { EvaluationCancelled, PyRaise, type EvalOptions } from './core';
export { mergeValues } from './branches';
export { binop, unescapePython } from './operations';
export { normalizePath } from './paths';

export class Evaluator extends ExpressionEvaluator {
  constructor(host: ModuleHost, options: EvalOptions = {}, hooks?: EvaluationHooks) {
    super(host, options, hooks);
    hooks?.attach(new Evaluator.Access(this));
  }

  /**
   * Evaluates a module (once; later calls return the memoized result, partial during a cycle). With
   * hooks (a layer around the evaluator), they are asked: they may give a kept evaluation instead.
   */
  evaluate(ref: ModuleRef): ModuleResult {
    return this.hooks !== undefined ? this.hooks.evaluate(ref) : this.evaluateModule(ref);
  }

  /** Evaluates a module (once; later calls return the memoized result, partial during a cycle). */
  protected evaluateModule(ref: ModuleRef): ModuleResult {
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

  /**
   * Calls a function the settings define as Django or a library calls it once the settings have
   * loaded (django-debug-toolbar's SHOW_TOOLBAR_CALLBACK, with a request): its globals are its
   * module's namespace as the module left it, as in Python at that time. A function that rebinds or
   * changes what is outside it (`global`, `nonlocal`, an assignment to an item or an attribute, `del`)
   * is not called, so that the namespace the rules read stays as the module left it. A dotted path
   * names a function of a module the evaluation has read. Unknown, with why, when it is not one of
   * the project's functions or its result cannot be read.
   */
  callAfterLoad(callable: Value, args: readonly Value[], loc: Loc): Value {
    // a dotted path (`"mysite.utils.show_toolbar"`, as libraries import_string() it): a function of
    // a module the evaluation has read; no other module is imported for it
    const fn = callable.kind === 'str' ? this.functionAt(callable.v) : callable;
    if (!fn) return V.unknown(`${callable.kind === 'str' ? callable.v : 'the callable'} is in no module the settings read`, loc);
    if (fn.kind !== 'object' || fn.tag !== 'user-fn') return V.unknown('a callable the analysis cannot read', loc);
    const d = fn.data as UserFn;
    const body = d.expr ? [d.expr] : d.body;
    if (body.some((n) => findNode(n, changesOutside) !== undefined))
      return V.unknown(`${d.name}() changes names or values outside it, which the analysis does not run after the settings load`, loc);
    const f = this.moduleFrame(d.mod, d.text);
    const depth = this.exprDepth;
    try {
      return this.callUserFunction(fn, { pos: [...args], kw: new Map(), kwLocs: new Map(), loc, unknownSplat: false }, f, loc);
    } catch (e) {
      this.exprDepth = depth;
      if (e instanceof PyRaise) return V.unknown(`${d.name}() raises ${e.exc}`, loc);
      if (e instanceof BudgetExceeded) return V.unknown(`the analysis budget ran out while reading ${d.name}()`, loc);
      throw e;
    }
  }

  /** The value a dotted path names in a module this evaluation has read (undefined when none has it). */
  private functionAt(path: string): Value | undefined {
    const dot = path.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const name = path.slice(0, dot);
    for (const mod of this.modules.values()) if (mod.ref.name === name) return mod.scope.get(path.slice(dot + 1))?.value;
    return undefined;
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
      caller: undefined,
    };
  }

  protected runModule(mod: ModuleResult, original: PythonDocument): void {
    const { doc, templated } = withoutTemplateLines(original);
    const f = this.moduleFrame(mod, doc.text);
    const outer = this.tracker;
    const tracker = this.hooks?.startTracking(mod);
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
    tracker: Tracker | undefined,
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
      if (tracker) tracker.enter(node, chunk.base + node.start, chunk.base + node.end, mod.calls.length);
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
        if (tracker) this.hooks!.runStatement(node, f, tracker);
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
    if (tracker && this.configurationsBound(mod).length > 0) tracker.blocked = 'it defines or imports django-configurations classes';
    // a statement that opens the namespace (dynamic code may bind names) is a barrier of its own;
    // what opens it after the last statement is not a statement's
    const open = mod.scope.open;
    this.finishModule(f);
    if (tracker && mod.scope.open !== open) tracker.blocked ??= 'dynamic code opened its namespace';
  }
  /**
   * What the hooks may use of this evaluator (EvaluatorAccess, hooks.ts), given to them once: each
   * member forwards to the evaluator's own, so that the list in hooks.ts is all they can reach.
   */
  private static readonly Access = class implements EvaluatorAccess {
    constructor(private readonly ev: Evaluator) {}
    get modules(): Map<string, ModuleResult> {
      return this.ev.modules;
    }
    get included(): Map<ModuleResult, Set<string>> {
      return this.ev.included;
    }
    sharedState(): SharedSnapshot {
      return this.ev.sharedState();
    }
    restoreShared(s: SharedSnapshot): void {
      this.ev.restoreShared(s);
    }
    get maxSteps(): number {
      return this.ev.maxSteps;
    }
    get steps(): number {
      return this.ev.steps;
    }
    set steps(n: number) {
      this.ev.steps = n;
    }
    get exprDepth(): number {
      return this.ev.exprDepth;
    }
    set exprDepth(n: number) {
      this.ev.exprDepth = n;
    }
    get shadowDepth(): number {
      return this.ev.shadowDepth;
    }
    set shadowDepth(n: number) {
      this.ev.shadowDepth = n;
    }
    get uncancellable(): number {
      return this.ev.uncancellable;
    }
    set uncancellable(n: number) {
      this.ev.uncancellable = n;
    }
    get sharedWrites(): number {
      return this.ev.sharedWrites;
    }
    get mutations(): number {
      return this.ev.mutations;
    }
    get userCalls(): number {
      return this.ev.userCalls;
    }
    get stack(): ModuleResult[] {
      return this.ev.stack;
    }
    get tracker(): Tracker | undefined {
      return this.ev.tracker;
    }
    set tracker(t: Tracker | undefined) {
      this.ev.tracker = t;
    }
    evaluateModule(ref: ModuleRef): ModuleResult {
      return this.ev.evaluateModule(ref);
    }
    moduleFrame(mod: ModuleResult, text: string): Frame {
      return this.ev.moduleFrame(mod, text);
    }
    execStatement(node: PyNode, f: Frame): void {
      this.ev.execStatement(node, f);
    }
    callUserFunction(fn: V.ObjectValue, args: CallArgs, f: Frame, loc: Loc): Value {
      return this.ev.callUserFunction(fn, args, f, loc);
    }
    mutating(container: Value): void {
      this.ev.mutating(container);
    }
    loc(node: PyNode, f: Frame): Loc {
      return this.ev.loc(node, f);
    }
    note(f: Frame, kind: NoteKind, message: string, loc?: Loc): void {
      this.ev.note(f, kind, message, loc);
    }
    taintAll(f: Frame, reason: string, loc: Loc): void {
      this.ev.taintAll(f, reason, loc);
    }
    unparsable(node: PyNode, f: Frame): void {
      this.ev.unparsable(node, f);
    }
  };
}

/** A statement that rebinds or changes what is outside the function it is in (see callAfterLoad). */
function changesOutside(n: PyNode): boolean {
  if (n.type === 'global_statement' || n.type === 'nonlocal_statement' || n.type === 'delete_statement') return true;
  if (n.type !== 'assignment' && n.type !== 'augmented_assignment') return false;
  const target = n.children[0];
  return target !== undefined && target.type !== 'identifier' && target.type !== 'pattern_list' && target.type !== 'tuple_pattern';
}
