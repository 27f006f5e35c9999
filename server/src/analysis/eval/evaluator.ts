// The static evaluator: executes a settings module's statements in Python's order over the converted
// syntax tree, without running anything, and yields each module's final namespace with provenance.
//
// Contract (pyright-style): every expression evaluates to a Value; when the evaluator cannot know a
// value it returns an explicit `unknown` (with a reason) instead of guessing. Branches on unknown
// conditions are executed on forked namespaces and merged: a name that ends up different in the
// branches becomes unknown, down to the dict key that differs.
import * as nodePath from 'node:path';
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import type { PythonDocument } from '../parse/pythonDocument';
import { isTemplateName } from '../project/model';
import type { ModuleHost } from './host';
import { builtin, getAttribute, stdlibModule, type CallArgs, type EvalApi } from './library';
import { Scope, type Binding, type CallRecord, type EvalNote, type ModuleRef, type ModuleResult, type NoteKind } from './scope';
import * as V from './values';
import type { Loc, Value } from './values';

export interface EvalOptions {
  /** Upper bound on evaluation steps for one project (statements + expressions). */
  readonly maxSteps?: number;
  /** Wall-clock deadline (ms since epoch, Date.now()). */
  readonly deadline?: number;
  /** Polled regularly; when it returns true the evaluation stops with EvaluationCancelled. */
  readonly isCancelled?: () => boolean;
}

export class EvaluationCancelled extends Error {
  constructor() {
    super('evaluation cancelled');
  }
}

class BudgetExceeded extends Error {}

/** A Python exception raised by the evaluated code (an import that fails, an explicit raise…). */
export class PyRaise extends Error {
  constructor(
    readonly exc: string,
    readonly loc: Loc | undefined,
    /** Set when the exception is an environment lookup failing (the variable is not set). */
    readonly env?: V.EnvRef,
  ) {
    super(`${exc} raised`);
  }
}

/** One `except` clause of an enclosing try statement. */
interface Handler {
  /** Exception class names it catches (`*` for a bare except). */
  readonly names: readonly string[];
  /** The clause always raises again (`except KeyError: raise ImproperlyConfigured(…)`). */
  readonly reraises: boolean;
}

/**
 * How a block ended. `uncertain`: some of the undecidable paths through it left early (break,
 * continue, return) and others did not; what follows in the enclosing blocks may not run.
 */
type Signal = undefined | { kind: 'break' } | { kind: 'continue' } | { kind: 'return'; value: Value } | { kind: 'uncertain'; mayReturn: boolean };

interface Frame {
  readonly mod: ModuleResult;
  readonly file: string;
  readonly text: string;
  base: number;
  readonly scope: Scope;
  /** Local variables of an inlined function call (undefined at module level). */
  locals?: Map<string, Value>;
  globalsDeclared?: Set<string>;
  /** Comprehension variable scopes, innermost last. */
  comp: Map<string, Value>[];
  /** In an inlined function: values returned by paths that left it early (merged with the result). */
  pendingReturns?: Value[];
  /** Depth of branches whose condition is unknown; mutations are copy-on-write there. */
  uncertain: number;
  cow: Set<string>;
  /** The services given to library functions (made once per frame). */
  api?: EvalApi;
  /** The except clauses of the enclosing try statements, innermost last. */
  catching: Handler[][];
  callDepth: number;
  /** In an inlined function: where its body is (absolute offsets in `file`). */
  fnRange: { readonly start: number; readonly end: number } | undefined;
  /**
   * In an inlined function: environment variables whose being unset decided a branch, where the
   * function reads them elsewhere (`if name in os.environ: … return default`). What it returns
   * is then those variables' default.
   */
  envDefaultReturn: V.EnvRef[] | undefined;
}

const MAX_LOOP_ITERATIONS = 1000;
/** Command-line words of development and test runs, never in a production process's sys.argv. */
const DEV_COMMANDS = new Set(['test', 'runserver', 'runserver_plus', 'testserver', 'pytest', 'py.test', 'makemigrations', 'shell', 'shell_plus', 'jenkins']);
/** Shared by calls without keyword arguments; never written to. */
const NO_KEYWORDS: ReadonlyMap<string, Value> = new Map();
const NO_KEYWORD_LOCS: ReadonlyMap<string, Loc> = new Map();
const MAX_CALL_DEPTH = 12;
const MAX_EXPR_DEPTH = 200;
const DEFAULT_MAX_STEPS = 2_000_000;

const EXCEPTION_BASES: Record<string, string[]> = {
  ModuleNotFoundError: ['ModuleNotFoundError', 'ImportError', 'Exception', 'BaseException'],
  ImportError: ['ImportError', 'Exception', 'BaseException'],
  KeyError: ['KeyError', 'LookupError', 'Exception', 'BaseException'],
  IndexError: ['IndexError', 'LookupError', 'Exception', 'BaseException'],
  ValueError: ['ValueError', 'Exception', 'BaseException'],
  TypeError: ['TypeError', 'Exception', 'BaseException'],
  ImproperlyConfigured: ['ImproperlyConfigured', 'Exception', 'BaseException'],
  UndefinedValueError: ['UndefinedValueError', 'Exception', 'BaseException'],
  FileNotFoundError: ['FileNotFoundError', 'OSError', 'IOError', 'EnvironmentError', 'Exception', 'BaseException'],
  OSError: ['OSError', 'IOError', 'EnvironmentError', 'Exception', 'BaseException'],
};

function excMatches(raised: string, handler: string): boolean {
  if (handler === '*') return true;
  const bases = EXCEPTION_BASES[raised] ?? [raised, 'Exception', 'BaseException'];
  return bases.includes(handler);
}

export class Evaluator {
  /** Module results by file. */
  readonly modules = new Map<string, ModuleResult>();
  private steps = 0;
  private readonly maxSteps: number;
  private exprDepth = 0;
  private stack: ModuleResult[] = [];
  /** Environment variables the code refuses to run without (`if not X: raise …`). */
  private readonly requiredEnv = new Set<string>();
  /**
   * What the settings code put in the process environment (`os.environ["X"] = …`, `setdefault`):
   * later lookups read it. An unknown value when set in an undecided branch or under an unknown name.
   */
  private readonly envValues = new Map<string, Value>();
  /** Missing files whose existence the code tests (`if os.path.exists(…/local_settings.py):`). */
  private readonly existenceTested = new Set<string>();
  /** Files each module has included (django-split-settings runs each file once). */
  private readonly included = new Map<ModuleResult, Set<string>>();

  constructor(
    private readonly host: ModuleHost,
    private readonly options: EvalOptions = {},
  ) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  }

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
      mod.scope.open = { reason: `${ref.name} could not be read` };
      mod.status = 'done';
      return mod;
    }
    this.stack.push(mod);
    const depth = this.exprDepth;
    try {
      this.runModule(mod, doc);
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
   * django-split-settings' include(): each file (a path or a glob relative to the including file)
   * runs in the including module's namespace, once; a missing file raises unless optional, and a
   * file git ignores is not deployed, so it counts as missing.
   */
  private includeFiles(files: readonly { pattern: string; optional: boolean }[], f: Frame, loc: Loc): void {
    const dir = nodePath.dirname(f.file);
    const done = (this.included.get(f.mod) ?? this.included.set(f.mod, new Set()).get(f.mod))!;
    for (const { pattern, optional } of files) {
      const full = nodePath.resolve(dir, pattern);
      let matches: string[];
      if (/[*?[]/.test(pattern)) {
        const folder = nodePath.dirname(full);
        if (/[*?[]/.test(nodePath.dirname(pattern)) || !this.host.listDir) {
          this.taintAll(f, `include("${pattern}") names files the analysis cannot list`, loc);
          continue;
        }
        const re = globToRegExp(nodePath.basename(full));
        matches = (this.host.listDir(folder) ?? []).filter((n) => re.test(n)).sort().map((n) => nodePath.join(folder, n));
      } else matches = [full];
      const deployed = matches.filter((m) => (this.host.fileStatus?.(m) ?? 'found') === 'found');
      if (deployed.length === 0) {
        if (optional) continue;
        const ignored = matches.some((m) => this.host.fileStatus?.(m) === 'ignored');
        if (!this.catchesHere(f, 'OSError')) {
          const when = f.uncertain > 0 ? 'when this branch runs, ' : '';
          this.note(f, ignored ? 'import-ignored' : 'import-missing', `include("${pattern}"): ${ignored ? 'the file is ignored by git, so it is not deployed' : 'no such file in the workspace'}: ${when}this include fails, and ${f.mod.ref.name} with it.`, loc);
        }
        throw new PyRaise('OSError', loc);
      }
      for (const file of deployed) {
        if (done.has(file)) continue;
        done.add(file);
        this.runIncluded(file, f, loc);
      }
    }
  }

  /** Runs an included file's statements in the frame's namespace, located in that file. */
  private runIncluded(file: string, f: Frame, loc: Loc): void {
    const doc = this.host.document(file);
    if (!doc) {
      this.taintAll(f, `${nodePath.basename(file)} could not be read`, loc);
      return;
    }
    f.mod.files.add(file);
    const g: Frame = { ...f, file, text: doc.text, base: 0, comp: [], cow: new Set(), api: undefined };
    let reportedSyntax = false;
    for (const chunk of doc.chunks) {
      const node = chunk.node;
      if (node.type === 'comment') continue;
      g.base = chunk.base;
      if (node.error && !reportedSyntax) {
        reportedSyntax = true;
        this.note(g, 'syntax-error', `${nodePath.basename(file)} (included by ${f.mod.ref.name}) has a syntax error; the statements around it are skipped.`, this.loc(node, g));
      }
      this.execStatement(node, g);
    }
  }

  private runModule(mod: ModuleResult, doc: PythonDocument): void {
    // frames are created with every field, in one order: one hidden class for all of them
    const f: Frame = {
      mod,
      file: mod.ref.file,
      text: doc.text,
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
    };
    const file = V.str(mod.ref.file, 'derived');
    mod.scope.set('__file__', { value: file });
    mod.scope.set('__name__', { value: V.str(mod.ref.name, 'derived') });
    mod.scope.set('__package__', {
      value: V.str(mod.ref.isPackage ? mod.ref.name : mod.ref.name.split('.').slice(0, -1).join('.'), 'derived'),
    });
    let reportedSyntax = false;
    for (const chunk of doc.chunks) {
      const node = chunk.node;
      if (node.type === 'comment') continue;
      f.base = chunk.base;
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
        this.execStatement(node, f);
      } catch (e) {
        this.exprDepth = depth;
        if (e instanceof PyRaise) {
          mod.status = 'raised';
          // The statements after the raise were never read: a setting missing from the namespace is
          // unknown, not "never set" (one finding for the raise, not one per setting after it).
          const line = doc.text.slice(0, e.loc?.file === mod.ref.file ? e.loc.start : 0).split('\n').length;
          const where = e.loc?.file === mod.ref.file ? ` at line ${line}` : '';
          mod.scope.open = { reason: `${mod.ref.name} stops${where} (it raises ${e.exc} when imported), so the settings after that point were not read`, loc: e.loc };
          // An import that fails has already been reported where it is.
          if (mod.notes.some((n) => (n.kind === 'import-missing' || n.kind === 'import-ignored') && n.loc?.start === e.loc?.start && n.loc?.file === e.loc?.file)) return;
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
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  private tick(): void {
    this.steps++;
    if ((this.steps & 1023) === 0) {
      if (this.options.isCancelled?.()) throw new EvaluationCancelled();
      if (this.options.deadline !== undefined && Date.now() > this.options.deadline) throw new BudgetExceeded();
    }
    if (this.steps > this.maxSteps) throw new BudgetExceeded();
  }

  private loc(node: PyNode, f: Frame): Loc {
    return { file: f.file, start: f.base + node.start, end: f.base + node.end };
  }

  /** The location of `node`, reusing its value's when the value was written right there. */
  private locOfNode(v: Value, node: PyNode, f: Frame): Loc {
    const l = v.loc;
    return l && l.start === f.base + node.start && l.end === f.base + node.end && l.file === f.file ? l : this.loc(node, f);
  }

  private src(node: PyNode, f: Frame): string {
    return f.text.slice(f.base + node.start, f.base + node.end);
  }

  private note(f: Frame, kind: NoteKind, message: string, loc?: Loc): void {
    if (f.mod.notes.some((n) => n.kind === kind && n.message === message)) return;
    f.mod.notes.push({ kind, message, loc } as EvalNote);
  }

  // ---- statements ---------------------------------------------------------------------------

  private execBlock(nodes: readonly PyNode[], f: Frame): Signal {
    for (let i = 0; i < nodes.length; i++) {
      const sig = this.execStatement(nodes[i]!, f);
      if (sig?.kind === 'uncertain') {
        // some paths left the block early: the rest of it may or may not run
        if (i + 1 < nodes.length) {
          const rest = nodes.slice(i + 1);
          const after = this.branch([() => this.execBlock(rest, f), () => undefined], f, 'depends on whether an earlier branch left the block', nodes[i]!);
          return after?.kind === 'uncertain' ? { kind: 'uncertain', mayReturn: sig.mayReturn || after.mayReturn } : sig;
        }
        return sig;
      }
      if (sig) return sig;
    }
    return undefined;
  }

  private blockOf(node: PyNode | undefined): readonly PyNode[] {
    if (!node) return [];
    if (node.type === 'block') return node.children;
    // else_clause / finally_clause / except_clause hold a block
    const block = node.children.find((c) => c.type === 'block');
    return block ? block.children : [];
  }

  private execStatement(node: PyNode, f: Frame): Signal {
    this.tick();
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.children) if (child.named) this.execExpressionStatement(child, f, node);
        return undefined;
      case 'import_statement':
        this.execImport(node, f);
        return undefined;
      case 'import_from_statement':
        this.execImportFrom(node, f);
        return undefined;
      case 'if_statement':
        return this.execIf(node, f);
      case 'try_statement':
        return this.execTry(node, f);
      case 'for_statement':
        return this.execFor(node, f);
      case 'while_statement':
        return this.execUncertainBody(this.blockOf(field(node, 'body')), f, `a while loop`, node);
      case 'with_statement':
        return this.execWith(node, f);
      case 'function_definition':
        this.defineFunction(node, f, false);
        return undefined;
      case 'decorated_definition': {
        const def = field(node, 'definition');
        if (def?.type === 'function_definition') this.defineFunction(def, f, true);
        else if (def?.type === 'class_definition') this.defineClass(def, f);
        return undefined;
      }
      case 'class_definition':
        this.defineClass(node, f);
        return undefined;
      case 'return_statement': {
        const expr = namedChildren(node)[0];
        return { kind: 'return', value: expr ? this.eval(expr, f) : V.none() };
      }
      case 'raise_statement':
        return this.execRaise(node, f);
      case 'delete_statement':
        this.execDelete(node, f);
        return undefined;
      case 'global_statement':
        for (const id of namedChildren(node)) if (id.text) (f.globalsDeclared ??= new Set()).add(id.text);
        return undefined;
      case 'break_statement':
        return { kind: 'break' };
      case 'continue_statement':
        return { kind: 'continue' };
      case 'assert_statement': {
        const cond = namedChildren(node)[0];
        if (cond) this.requireCondition(this.eval(cond, f), f);
        return undefined;
      }
      case 'match_statement':
        return this.execUncertainBody([], f, 'a match statement', node, node);
      case 'exec_statement':
        this.taintAll(f, 'exec runs code the analysis cannot see', this.loc(node, f));
        return undefined;
      default:
        // pass, comment, future_import_statement, print_statement, nonlocal, type_alias…
        return undefined;
    }
  }

  private execExpressionStatement(node: PyNode, f: Frame, stmt: PyNode): void {
    if (node.type === 'assignment') this.execAssignment(node, f, stmt);
    else if (node.type === 'augmented_assignment') this.execAugmented(node, f, stmt);
    else this.eval(node, f);
  }

  private execAssignment(node: PyNode, f: Frame, stmt: PyNode): void {
    // a = b = value is assignment(left a, right assignment(left b, right value))
    const left0 = field(node, 'left');
    const right0 = field(node, 'right');
    if (left0 && right0 && right0.type !== 'assignment') {
      this.assign(left0, this.eval(right0, f), f, stmt); // the common case: one target
      return;
    }
    const targets: PyNode[] = [];
    let cur: PyNode | undefined = node;
    while (cur && cur.type === 'assignment') {
      const left = field(cur, 'left');
      if (left) targets.push(left);
      cur = field(cur, 'right');
    }
    if (!cur) return; // annotation only: `X: int`
    const value = this.eval(cur, f);
    for (const target of targets) this.assign(target, value, f, stmt);
  }

  private assign(target: PyNode, value: Value, f: Frame, stmt: PyNode): void {
    switch (target.type) {
      case 'identifier':
        this.bind(target.text ?? this.src(target, f), value, f, this.loc(target, f), this.loc(stmt, f));
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
      case 'parenthesized_expression': {
        const parts = namedChildren(target);
        if (target.type === 'parenthesized_expression') {
          if (parts[0]) this.assign(parts[0], value, f, stmt);
          return;
        }
        this.unpack(parts, value, f, stmt);
        return;
      }
      case 'subscript':
        this.assignSubscript(target, value, f);
        return;
      case 'attribute': {
        const obj = field(target, 'object');
        const attr = field(target, 'attribute');
        if (!obj || !attr) return;
        const o = this.eval(obj, f);
        if (o.kind === 'object' && o.tag === 'this-module') {
          this.bind(attr.text ?? '', value, f, this.loc(target, f), this.loc(stmt, f));
        }
        return;
      }
      case 'list_splat_pattern': {
        const inner = namedChildren(target)[0];
        if (inner) this.assign(inner, value, f, stmt);
        return;
      }
      default:
        return;
    }
  }

  private unpack(parts: PyNode[], value: Value, f: Frame, stmt: PyNode): void {
    const items = this.iterate(value);
    const starIndex = parts.findIndex((p) => p.type === 'list_splat_pattern');
    if (!items || (starIndex < 0 ? items.length !== parts.length : items.length < parts.length - 1)) {
      const u = V.unknownFrom([value], 'unpacked from a value the analysis cannot read', value.loc);
      for (const p of parts) this.assign(p, u, f, stmt);
      return;
    }
    if (starIndex < 0) {
      parts.forEach((p, i) => this.assign(p, items[i]!, f, stmt));
      return;
    }
    const after = parts.length - starIndex - 1;
    parts.slice(0, starIndex).forEach((p, i) => this.assign(p, items[i]!, f, stmt));
    this.assign(parts[starIndex]!, V.seq('list', items.slice(starIndex, items.length - after), V.combineOrigins(value), value.loc), f, stmt);
    parts.slice(starIndex + 1).forEach((p, i) => this.assign(p, items[items.length - after + i]!, f, stmt));
  }

  private bind(name: string, value: Value, f: Frame, target?: Loc, stmt?: Loc): void {
    if (f.locals && !f.globalsDeclared?.has(name)) {
      f.locals.set(name, value);
      return;
    }
    if (f.comp.length > 0) {
      // walrus inside a comprehension binds in the enclosing scope
    }
    f.scope.set(name, { value, target, stmt });
  }

  /** Public for library functions: binds a module-level name (globals().update, setattr…). */
  private bindGlobal(f: Frame, name: string, value: Value, loc: Loc): void {
    f.scope.set(name, { value, target: loc, stmt: loc });
  }

  private assignSubscript(target: PyNode, value: Value, f: Frame): void {
    const containerNode = field(target, 'value');
    const keyNodes = fields(target, 'subscript');
    if (!containerNode || keyNodes.length === 0) return;
    this.prepareMutation(containerNode, f);
    const container = this.eval(containerNode, f);
    if (container.kind === 'object' && container.tag === 'globals' && keyNodes.length === 1) {
      const key = this.eval(keyNodes[0]!, f);
      if (key.kind === 'str') this.bindGlobal(f, key.v, value, this.loc(target, f));
      else this.taintAll(f, 'globals() is assigned a name the analysis cannot read', this.loc(target, f), key.kind === 'unknown' && key.upper ? V.isUpperName : undefined);
      return;
    }
    if (keyNodes.length === 1 && keyNodes[0]!.type === 'slice') {
      if (container.kind === 'list' && container.optional) {
        this.poison(containerNode, f, 'a slice of it is assigned while some of its items may be absent');
        return;
      }
      if (container.kind === 'list') {
        const bounds = this.sliceBounds(keyNodes[0]!, f, container.items.length);
        const items = this.iterate(value);
        if (bounds && bounds.step === 1 && items) {
          container.items.splice(bounds.start, Math.max(0, bounds.stop - bounds.start), ...items);
          return;
        }
        this.poison(containerNode, f, 'a slice of it is assigned with values the analysis cannot read');
      }
      return;
    }
    const key = keyNodes.length === 1 ? this.eval(keyNodes[0]!, f) : V.seq('tuple', keyNodes.map((k) => this.eval(k, f)));
    if (container.kind === 'dict') {
      if (V.keyOf(key) === undefined) {
        container.partial = true;
        return;
      }
      V.dictSet(container, key, value);
    } else if (container.kind === 'list') {
      const idx = V.numeric(key);
      if (container.optional) this.poison(containerNode, f, 'an item is assigned by position while some of its items may be absent');
      else if (idx !== undefined && Number.isInteger(idx)) {
        const i = idx < 0 ? container.items.length + idx : idx;
        if (i >= 0 && i < container.items.length) container.items[i] = value;
      } else this.poison(containerNode, f, 'an item is assigned at a position the analysis cannot read');
    } else if (container.kind === 'object' && container.tag === 'sys.modules') {
      // `sys.modules[__name__] = Settings()`: the module Django reads is replaced by an object
      if (key.kind !== 'str' || key.v === f.mod.ref.name) this.taintAll(f, 'sys.modules[__name__] is replaced, so Django reads another object than this module', this.loc(target, f));
    } else if (container.kind === 'object' && container.tag === 'os.environ') {
      // os.environ["X"] = "…" at import time: later lookups of X (in any library) read it
      this.setEnv(f, key.kind === 'str' ? key.v : undefined, value);
    }
  }

  /** Makes the name at the root of a mutated expression unknown (the mutation cannot be followed). */
  private poison(node: PyNode, f: Frame, why: string): void {
    const root = this.rootName(node);
    if (!root) return;
    const b = f.scope.get(root);
    if (b) f.scope.set(root, { ...b, value: V.unknown(`${root} is changed in a way the analysis cannot follow: ${why}`, b.value.loc) });
  }

  private rootName(node: PyNode): string | undefined {
    let cur: PyNode | undefined = node;
    while (cur) {
      if (cur.type === 'identifier') return cur.text ?? undefined;
      if (cur.type === 'subscript') cur = field(cur, 'value');
      else if (cur.type === 'attribute') cur = field(cur, 'object');
      else if (cur.type === 'call') cur = field(cur, 'function');
      else if (cur.type === 'parenthesized_expression') cur = namedChildren(cur)[0];
      else return undefined;
    }
    return undefined;
  }

  /**
   * Inside a branch whose condition is unknown, a mutation must not leak into the other branch:
   * the root name's value is deep-copied (once per branch) before it is mutated.
   */
  private prepareMutation(node: PyNode, f: Frame): void {
    if (f.uncertain === 0 || f.locals) return;
    const root = this.rootName(node);
    if (!root || f.cow.has(root)) return;
    const b = f.scope.get(root);
    if (!b) return;
    f.cow.add(root);
    f.scope.set(root, { ...b, value: V.clone(b.value) });
  }

  private execAugmented(node: PyNode, f: Frame, stmt: PyNode): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const opNode = field(node, 'operator') ?? node.children.find((c) => !c.named);
    if (!left || !right || !opNode) return;
    const op = (opNode.text ?? this.src(opNode, f)).replace('=', '');
    const rhs = this.eval(right, f);
    if (left.type === 'identifier' || left.type === 'subscript' || left.type === 'attribute') {
      this.prepareMutation(left, f);
      const current = this.eval(left, f);
      // In-place list extension keeps identity (aliases see it, as in Python).
      if (op === '+' && current.kind === 'list') {
        const items = this.iterate(rhs);
        if (items) {
          current.items.push(...items);
          return;
        }
      }
      if (op === '|' && current.kind === 'dict' && rhs.kind === 'dict') {
        rhs.keys.forEach((k, i) => V.dictSet(current, k, rhs.values[i]!));
        if (rhs.partial) current.partial = true;
        return;
      }
      const result = this.binop(op, current, rhs, this.loc(node, f));
      this.assign(left, result, f, stmt);
    }
  }

  private execIf(node: PyNode, f: Frame): Signal {
    const cond = field(node, 'condition');
    const consequence = this.blockOf(field(node, 'consequence'));
    const alternatives = fields(node, 'alternative');
    return this.execIfChain(cond, consequence, alternatives, f, node);
  }

  private execIfChain(cond: PyNode | undefined, body: readonly PyNode[], rest: PyNode[], f: Frame, node: PyNode): Signal {
    if (!cond) return undefined;
    const value = this.eval(cond, f);
    let t = V.truthy(value);
    const restBody = (): Signal => {
      const [next, ...more] = rest;
      if (!next) return undefined;
      if (next.type === 'else_clause') return this.execBlock(this.blockOf(field(next, 'body') ?? next), f);
      return this.execIfChain(field(next, 'condition'), this.blockOf(field(next, 'consequence')), more, f, next);
    };
    // `if not SECRET_KEY: raise …` on an environment default: Django cannot start without the
    // variable, so it is in effect required — treat the lookup as required, not as its default.
    if (t !== undefined && value.origin === 'env-default') {
      const chosen = t ? body : rest.length > 0 ? this.blockOf(rest[0]!.type === 'else_clause' ? field(rest[0]!, 'body') ?? rest[0]! : field(rest[0]!, 'consequence')) : [];
      if (this.alwaysRaises(chosen) && rest.length <= 1) {
        this.requireCondition(value, f);
        return t ? restBody() : this.execBlock(body, f);
      }
      // `if "X" in os.environ: A = os.environ["X"] else: A = "fallback"` is a lookup with a
      // default written as a branch: the literal the branch binds is X's default.
      const envs = (value.env ?? []).map((e) => ({ ...e, hasDefault: true }));
      // In a helper (`def get_bool_from_env(name, default): if name in os.environ: … return
      // default`), the same holds for what the helper returns when it also reads the variable
      // outside the condition: its result is the variable's default.
      if (f.locals && f.fnRange && envs.length > 0) {
        const condStart = f.base + cond.start;
        const condEnd = f.base + cond.end;
        const elsewhere = f.text.slice(f.fnRange.start, condStart) + f.text.slice(condEnd, f.fnRange.end);
        const related = envs.filter((e) => this.readsVariable(elsewhere, e.name, f));
        if (related.length > 0) f.envDefaultReturn = [...(f.envDefaultReturn ?? []), ...related.filter((e) => !f.envDefaultReturn?.some((x) => x.name === e.name))];
      }
      const elseBlock = rest.length === 1 && rest[0]!.type === 'else_clause' ? this.blockOf(field(rest[0]!, 'body') ?? rest[0]!) : undefined;
      const [block, other] = t ? [body, elseBlock] : [elseBlock, body];
      const otherText = other && other.length > 0 ? f.text.slice(f.base + other[0]!.start, f.base + other[other.length - 1]!.end) : '';
      if (block && !f.locals && envs.some((e) => mentionsVar(otherText, e.name))) {
        const { result: sig, written } = f.scope.recording(() => this.execBlock(block, f));
        this.markEnvDefaults(written, block, envs, f, otherText);
        return sig;
      }
    }
    if (t === true) return this.execBlock(body, f);
    if (t === false) return restBody();
    t = undefined;
    return this.branch(
      [() => this.execBlock(body, f), restBody],
      f,
      `depends on \`${this.clip(this.src(cond, f))}\`, which the analysis cannot decide`,
      node,
    );
  }

  /**
   * Whether code text reads an environment variable: names it as a string literal, or uses a
   * local variable of the inlined function that holds its name (`os.environ[name]`).
   */
  private readsVariable(text: string, name: string, f: Frame): boolean {
    if (mentionsVar(text, name)) return true;
    if (!f.locals) return false;
    for (const [local, v] of f.locals) {
      if (v.kind !== 'str' || v.v !== name) continue;
      // the local used as a name: not part of a longer identifier, not an attribute
      for (let i = text.indexOf(local); i >= 0; i = text.indexOf(local, i + 1)) {
        const before = i > 0 ? text[i - 1]! : ' ';
        const after = text[i + local.length] ?? ' ';
        if (!/[\w.]/.test(before) && !/\w/.test(after)) return true;
      }
    }
    return false;
  }

  /**
   * The code refuses to run (raises) unless the environment gives `cond` another value: the
   * environment variables it reads are in effect required. Names bound to their defaults become
   * required values, and later lookups of those variables ignore their defaults.
   */
  private requireCondition(cond: Value, f: Frame): void {
    const names = new Set((cond.env ?? []).map((e) => e.name));
    if (names.size === 0) return;
    for (const n of names) this.requiredEnv.add(n);
    for (const [name, b] of f.scope.vars) {
      const v = b.value;
      if (v.origin !== 'env-default' || !v.env?.length) continue;
      const env = v.env.find((e) => names.has(e.name));
      if (!env) continue;
      f.scope.set(name, { ...b, value: V.required({ ...env, hasDefault: false }, v.kind === 'unknown' ? v.type : typeOfKnown(v), v.loc) });
    }
  }

  private execTry(node: PyNode, f: Frame): Signal {
    const body = this.blockOf(field(node, 'body'));
    const handlers = node.children.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const elseClause = node.children.find((c) => c.type === 'else_clause');
    const finallyClause = node.children.find((c) => c.type === 'finally_clause');
    const caught = handlers.map((h) => this.handlerNames(h, f));
    f.catching.push(handlers.map((h, i) => ({ names: caught[i]!, reraises: this.alwaysRaises(this.blockOf(h)) })));
    let sig: Signal;
    let raised: PyRaise | undefined;
    const depth = this.exprDepth;
    try {
      sig = this.execBlock(body, f);
    } catch (e) {
      this.exprDepth = depth;
      if (!(e instanceof PyRaise)) throw e;
      raised = e;
    } finally {
      f.catching.pop();
    }
    if (raised) {
      const i = caught.findIndex((names) => names.some((n) => excMatches(raised!.exc, n)));
      if (i < 0) {
        if (finallyClause) this.execBlock(this.blockOf(finallyClause), f);
        throw raised;
      }
      const handler = handlers[i]!;
      const alias = this.handlerAlias(handler);
      if (alias) this.bind(alias, V.object('exception:' + raised.exc), f);
      const block = this.blockOf(handler);
      // `except KeyError: X = "fallback"` after an environment lookup: the fallback is what
      // production gets when the variable is not set, i.e. the lookup's default.
      if (raised.env && !f.locals) {
        const env = raised.env;
        const { result, written } = f.scope.recording(() => this.execBlock(block, f));
        sig = result;
        this.markEnvDefaults(written, block, [{ ...env, hasDefault: true }], f, this.src(field(node, 'body') ?? node, f));
      } else sig = this.execBlock(block, f);
    } else if (!sig && elseClause) {
      sig = this.execBlock(this.blockOf(field(elseClause, 'body') ?? elseClause), f);
    }
    if (finallyClause) {
      const fs = this.execBlock(this.blockOf(finallyClause), f);
      if (fs) return fs;
    }
    return sig;
  }

  /** A block that ends in a raise (or sys.exit) whatever happens before: it never completes. */
  private alwaysRaises(block: readonly PyNode[]): boolean {
    return block.some((s) => {
      if (s.type === 'raise_statement') return true;
      if (s.type !== 'expression_statement') return false;
      const call = namedChildren(s)[0];
      if (call?.type !== 'call') return false;
      const fn = field(call, 'function');
      const name = fn?.type === 'attribute' ? `${field(fn, 'object')?.text ?? ''}.${field(fn, 'attribute')?.text ?? ''}` : fn?.text;
      return name === 'sys.exit' || name === 'exit' || name === 'quit';
    });
  }

  /**
   * After a block that runs only because an environment variable is not set (the except clause of
   * a failed lookup, the else of `if "X" in os.environ`), a literal it binds is that variable's
   * default — when the other path (`otherText`: the try body, the other branch) binds the same
   * name from that variable. Such literals are re-origined as `env-default`. A literal in a branch
   * an unrelated variable selects (`if ENV == "dev": DEBUG = True`) stays a literal.
   */
  private markEnvDefaults(written: Map<string, Binding | undefined>, block: readonly PyNode[], env: readonly V.EnvRef[], f: Frame, otherText: string): void {
    if (block.length === 0) return;
    const related = env.filter((e) => mentionsVar(otherText, e.name));
    if (related.length === 0) return;
    const start = f.base + block[0]!.start;
    const end = f.base + block[block.length - 1]!.end;
    for (const name of written.keys()) {
      const b = f.scope.get(name);
      if (!b) continue;
      const v = b.value;
      if (v.kind === 'unknown' || v.kind === 'object' || (v.origin !== 'literal' && v.origin !== 'derived')) continue;
      if (!v.loc || v.loc.file !== f.file || v.loc.start < start || v.loc.end > end) continue;
      if (!new RegExp(`(^|[^\\w.])${name}\\s*(=[^=]|:)`, 'm').test(otherText)) continue;
      f.scope.set(name, { ...b, value: { ...v, origin: 'env-default', env: [...related, ...(v.env ?? [])] } });
    }
  }

  private handlerNames(handler: PyNode, f: Frame): string[] {
    const value = handler.children.find((c) => c.named && c.type !== 'block' && c.type !== 'comment');
    if (!value) return ['*'];
    const target = value.type === 'as_pattern' ? namedChildren(value)[0] : value;
    if (!target) return ['*'];
    const names: string[] = [];
    const collect = (n: PyNode): void => {
      if (n.type === 'identifier') names.push(n.text ?? '');
      else if (n.type === 'attribute') {
        const attr = field(n, 'attribute');
        if (attr?.text) names.push(attr.text);
      } else if (n.type === 'tuple' || n.type === 'parenthesized_expression') namedChildren(n).forEach(collect);
    };
    collect(target);
    void f;
    return names;
  }

  private handlerAlias(handler: PyNode): string | undefined {
    const value = handler.children.find((c) => c.type === 'as_pattern');
    const target = value ? field(value, 'alias') : undefined;
    const id = target ? (target.type === 'identifier' ? target : namedChildren(target)[0]) : undefined;
    return id?.text ?? undefined;
  }

  private execRaise(node: PyNode, f: Frame): Signal {
    const expr = namedChildren(node)[0];
    let exc = 'Exception';
    if (expr) {
      const callee = expr.type === 'call' ? field(expr, 'function') : expr;
      if (callee?.type === 'identifier' && callee.text) exc = callee.text;
      else if (callee?.type === 'attribute') exc = field(callee, 'attribute')?.text ?? exc;
    }
    throw new PyRaise(exc, this.loc(node, f));
  }

  private execFor(node: PyNode, f: Frame): Signal {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const body = this.blockOf(field(node, 'body'));
    const elseClause = field(node, 'alternative');
    if (!left || !right) return undefined;
    const iterable = this.eval(right, f);
    const items = this.iterate(iterable);
    if (!items || items.length > MAX_LOOP_ITERATIONS) {
      return this.execUncertainBody(body, f, `a loop over \`${this.clip(this.src(right, f))}\``, node, left);
    }
    const elseBody = elseClause ? this.blockOf(field(elseClause, 'body') ?? elseClause) : [];
    return this.runIterations(items, 0, left, body, elseBody, f, node);
  }

  /** Runs loop iterations from `start`; after a `break` that only some paths take, the rest may not run. */
  private runIterations(items: readonly Value[], start: number, left: PyNode, body: readonly PyNode[], elseBody: readonly PyNode[], f: Frame, node: PyNode, depth = 0): Signal {
    for (let i = start; i < items.length; i++) {
      this.assign(left, items[i]!, f, node);
      const sig = this.execBlock(body, f);
      if (sig?.kind === 'break') return undefined;
      if (sig?.kind === 'return') return sig;
      if (sig?.kind === 'uncertain') {
        const why = 'depends on whether the loop stopped early';
        // each uncertain stop nests a branch; past a few, the remaining iterations are read as one
        // iteration of unknown items (bounded depth, same merge)
        const rest =
          depth < 16
            ? this.branch([() => this.runIterations(items, i + 1, left, body, elseBody, f, node, depth + 1), () => undefined], f, why, node)
            : i + 1 < items.length
              ? this.execUncertainBody(body, f, 'the rest of a loop that may have stopped early', node, left)
              : undefined;
        return sig.mayReturn || rest?.kind === 'uncertain' || rest?.kind === 'return' ? { kind: 'uncertain', mayReturn: true } : undefined;
      }
    }
    return elseBody.length > 0 ? this.execBlock(elseBody, f) : undefined;
  }

  /** A body that may run zero or more times: its effects are merged with not running it. */
  private execUncertainBody(body: readonly PyNode[], f: Frame, what: string, node: PyNode, loopVar?: PyNode): Signal {
    const sig = this.branch(
      [
        () => {
          if (loopVar) this.assign(loopVar, V.unknown(`the loop variable of ${what}`), f, node);
          return this.execBlock(body, f);
        },
        () => undefined,
      ],
      f,
      `depends on ${what}`,
      node,
      // a body that may run any number of times may add any number of items: no optional-item list
      false,
    );
    // a loop absorbs its own break and continue; a return may still leave the function
    if (!loopVar && node.type !== 'while_statement') return sig;
    if (sig?.kind === 'return' || (sig?.kind === 'uncertain' && sig.mayReturn)) return { kind: 'uncertain', mayReturn: true };
    return undefined;
  }

  private execWith(node: PyNode, f: Frame): Signal {
    const clause = node.children.find((c) => c.type === 'with_clause');
    for (const item of clause ? namedChildren(clause) : []) {
      const value = field(item, 'value') ?? namedChildren(item)[0];
      if (!value) continue;
      if (value.type === 'as_pattern') {
        const expr = namedChildren(value)[0];
        const alias = field(value, 'alias');
        const v = expr ? this.eval(expr, f) : V.unknown('with-statement value');
        const target = alias ? (alias.type === 'as_pattern_target' ? namedChildren(alias)[0] : alias) : undefined;
        if (target) this.assign(target, v, f, node);
      } else this.eval(value, f);
    }
    return this.execBlock(this.blockOf(field(node, 'body')), f);
  }

  private execDelete(node: PyNode, f: Frame): void {
    const targets = namedChildren(node).flatMap((c) => (c.type === 'expression_list' ? namedChildren(c) : [c]));
    for (const t of targets) {
      if (t.type === 'identifier' && t.text) {
        if (f.locals) f.locals.delete(t.text);
        else f.scope.delete(t.text);
      } else if (t.type === 'subscript') {
        const containerNode = field(t, 'value');
        const keyNode = field(t, 'subscript');
        if (!containerNode || !keyNode) continue;
        this.prepareMutation(containerNode, f);
        const c = this.eval(containerNode, f);
        const k = this.eval(keyNode, f);
        if (c.kind === 'dict') {
          const key = V.keyOf(k);
          const i = key === undefined ? -1 : c.keys.findIndex((x) => V.keyOf(x) === key);
          if (i >= 0) {
            c.keys.splice(i, 1);
            c.values.splice(i, 1);
          } else if (key === undefined) c.partial = true;
        } else if (c.kind === 'list') {
          const idx = V.numeric(k);
          if (idx !== undefined && !c.optional) c.items.splice(idx < 0 ? c.items.length + idx : idx, 1);
          else this.poison(containerNode, f, 'an item is deleted at a position the analysis cannot read');
        }
      }
    }
  }

  // ---- branching ----------------------------------------------------------------------------

  /**
   * Runs each alternative on its own copy of the namespace and merges the results. An alternative
   * that raises is dropped (a running system did not take it); if all raise, the raise propagates.
   */
  private branch(alternatives: Array<() => Signal>, f: Frame, reason: string, node: PyNode, optionalItems = true): Signal {
    if (f.locals) return this.branchLocals(alternatives, f, reason, node);
    // Each alternative runs on the namespace as it is, with its writes journaled and then undone;
    // only the names some alternative wrote are merged (no copy of the whole namespace).
    const scope = f.scope;
    const outcomes: Map<string, Binding | undefined>[] = [];
    const signals: Signal[] = [];
    let lastRaise: PyRaise | undefined;
    const savedCow = f.cow;
    const outer = scope.journal;
    for (const alt of alternatives) {
      const journal = new Map<string, Binding | undefined>();
      scope.journal = journal;
      f.uncertain++;
      f.cow = new Set();
      const depth = this.exprDepth;
      try {
        signals.push(alt());
        const after = new Map<string, Binding | undefined>();
        for (const name of journal.keys()) after.set(name, scope.vars.get(name));
        outcomes.push(after);
      } catch (e) {
        this.exprDepth = depth;
        if (!(e instanceof PyRaise)) throw e;
        lastRaise = e;
      } finally {
        f.uncertain--;
        f.cow = savedCow;
        scope.journal = outer;
        for (const [name, prev] of journal) {
          if (prev) scope.vars.set(name, prev);
          else scope.vars.delete(name);
        }
      }
    }
    if (outcomes.length === 0) throw lastRaise ?? new PyRaise('Exception', this.loc(node, f));
    const names = new Set<string>();
    for (const o of outcomes) for (const k of o.keys()) names.add(k);
    for (const name of names) {
      const current = scope.vars.get(name);
      const bs = outcomes.map((o) => (o.has(name) ? o.get(name) : current));
      const merged = mergeBindings(bs, reason, this.loc(node, f), optionalItems);
      if (merged) {
        if (merged !== current) scope.set(name, merged);
      } else if (current) scope.delete(name);
    }
    return combineSignals(signals);
  }

  /**
   * Undecidable branches inside an inlined function: each alternative runs on its own copy of the
   * locals; locals that differ become unknown. Paths that return early add their value to the
   * function's possible results (merged when the function ends).
   */
  private branchLocals(alternatives: Array<() => Signal>, f: Frame, reason: string, node: PyNode): Signal {
    const before = f.locals!;
    const outs: { locals: Map<string, Value>; sig: Signal }[] = [];
    let lastRaise: PyRaise | undefined;
    for (const alt of alternatives) {
      f.locals = new Map(before);
      const depth = this.exprDepth;
      try {
        outs.push({ sig: alt(), locals: f.locals });
      } catch (e) {
        this.exprDepth = depth;
        if (!(e instanceof PyRaise)) throw e;
        lastRaise = e;
      }
    }
    f.locals = before;
    if (outs.length === 0) throw lastRaise ?? new PyRaise('Exception', this.loc(node, f));
    const returns = outs.filter((o) => o.sig?.kind === 'return').map((o) => (o.sig as { value: Value }).value);
    const going = outs.filter((o) => !o.sig);
    if (returns.length === outs.length) return { kind: 'return', value: mergeValues(returns, reason, this.loc(node, f)) };
    f.pendingReturns?.push(...returns);
    // the locals of the paths that go on
    const kept = going.length > 0 ? going : outs.filter((o) => o.sig?.kind !== 'return');
    const names = new Set<string>();
    for (const o of kept) for (const k of o.locals.keys()) names.add(k);
    before.clear();
    for (const name of names) {
      const vs = kept.map((o) => o.locals.get(name));
      if (vs.every((v) => v !== undefined && V.sameValue(v, vs[0]!))) before.set(name, vs[0]!);
      else before.set(name, V.unknown(vs.some((v) => v === undefined) ? `only set when it ${meets(reason)}` : reason, vs.find((v) => v)?.loc));
    }
    const exits = outs.filter((o) => o.sig && o.sig.kind !== 'return').map((o) => o.sig);
    if (exits.length === 0) return undefined;
    return combineSignals([...exits, ...(going.length > 0 ? [undefined] : [])]);
  }

  // ---- functions and classes ------------------------------------------------------------------

  private defineFunction(node: PyNode, f: Frame, decorated: boolean): void {
    const name = field(node, 'name')?.text;
    if (!name) return;
    if (decorated) {
      this.bind(name, V.unknown(`${name} is a decorated function`), f, this.loc(node, f), this.loc(node, f));
      return;
    }
    const params = this.parseParams(field(node, 'parameters'), f);
    const body = this.blockOf(field(node, 'body'));
    const fn = V.object('user-fn', { name, params, body, file: f.file, text: f.text, base: f.base, mod: f.mod, scope: f.scope, expr: undefined });
    this.bind(name, fn, f, this.loc(field(node, 'name')!, f), this.loc(node, f));
  }

  private parseParams(node: PyNode | undefined, f: Frame): Param[] {
    const params: Param[] = [];
    for (const p of node ? namedChildren(node) : []) {
      if (p.type === 'identifier') params.push({ name: p.text ?? '', kind: 'plain' });
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        const n = field(p, 'name');
        const v = field(p, 'value');
        params.push({ name: n?.text ?? '', kind: 'plain', default: v ? this.eval(v, f) : undefined });
      } else if (p.type === 'typed_parameter') {
        const id = namedChildren(p)[0];
        if (id?.type === 'identifier') params.push({ name: id.text ?? '', kind: 'plain' });
        else if (id?.type === 'list_splat_pattern') params.push({ name: namedChildren(id)[0]?.text ?? '', kind: 'star' });
        else if (id?.type === 'dictionary_splat_pattern') params.push({ name: namedChildren(id)[0]?.text ?? '', kind: 'kwstar' });
      } else if (p.type === 'list_splat_pattern') params.push({ name: namedChildren(p)[0]?.text ?? '', kind: 'star' });
      else if (p.type === 'dictionary_splat_pattern') params.push({ name: namedChildren(p)[0]?.text ?? '', kind: 'kwstar' });
    }
    return params;
  }

  private defineClass(node: PyNode, f: Frame): void {
    const name = field(node, 'name')?.text;
    if (!name) return;
    // django-configurations: the settings are the attributes of the class DJANGO_CONFIGURATION
    // names when Django starts, not module-level names; the analysis does not read class bodies.
    const bases = field(node, 'superclasses');
    let configurations = false;
    for (const b of bases ? namedChildren(bases) : []) {
      if (b.type === 'keyword_argument') continue;
      const v = this.eval(b, f);
      if ((v.kind === 'unknown' && v.ext && /^configurations(\.|$)/.test(v.ext)) || (v.kind === 'object' && v.tag === 'user-class' && (v.data as { configurations?: boolean }).configurations)) configurations = true;
    }
    if (configurations && !f.locals) {
      this.taintAll(f, `the settings are attributes of django-configurations classes such as ${name}, chosen by DJANGO_CONFIGURATION when Django starts`, this.loc(node, f), V.isUpperName);
    }
    this.bind(name, V.object('user-class', { name, configurations }), f, this.loc(field(node, 'name')!, f), this.loc(node, f));
  }

  private callUserFunction(fn: V.ObjectValue, args: CallArgs, f: Frame, loc: Loc): Value {
    const d = fn.data as UserFn;
    if (f.callDepth >= MAX_CALL_DEPTH) return V.unknown(`the result of ${d.name}() (calls nested too deep)`, loc);
    const locals = new Map<string, Value>();
    let i = 0;
    for (const p of d.params) {
      if (p.kind === 'star') {
        locals.set(p.name, V.seq('tuple', args.pos.slice(i)));
        i = args.pos.length;
      } else if (p.kind === 'kwstar') {
        locals.set(p.name, V.dict([...args.kw.keys()].map((k) => V.str(k)), [...args.kw.values()]));
      } else {
        const v = i < args.pos.length ? args.pos[i++] : args.kw.get(p.name) ?? p.default;
        locals.set(p.name, v ?? V.unknown(`parameter ${p.name} of ${d.name}()`));
      }
    }
    if (args.unknownSplat) for (const p of d.params) if (!args.kw.has(p.name)) locals.set(p.name, V.unknown(`an argument of ${d.name}()`));
    const frame: Frame = {
      mod: d.mod,
      file: d.file,
      text: d.text,
      base: d.base,
      scope: d.scope,
      locals,
      globalsDeclared: undefined,
      comp: [],
      pendingReturns: [],
      uncertain: f.uncertain,
      cow: new Set(),
      api: undefined,
      catching: [...f.catching],
      callDepth: f.callDepth + 1,
      fnRange: undefined,
      envDefaultReturn: undefined,
    };
    const first = d.expr ?? d.body[0];
    const last = d.expr ?? d.body[d.body.length - 1];
    if (first && last) frame.fnRange = { start: d.base + first.start, end: d.base + last.end };
    if (d.expr) return this.atCallSite(this.eval(d.expr, frame), frame, args, loc);
    const sig = this.execBlock(d.body, frame);
    const result = sig?.kind === 'return' ? sig.value : V.none('derived', loc);
    const pending = frame.pendingReturns!;
    // some paths returned earlier: the result is one of those values or this one
    let out = pending.length > 0 ? mergeValues([...pending, result], `the result of ${d.name}() depends on a condition the analysis cannot decide`, loc) : result;
    const defaults = frame.envDefaultReturn;
    if (defaults && out.kind !== 'unknown' && out.kind !== 'object' && out.origin !== 'env-default' && out.origin !== 'env') {
      // `get_bool_from_env("DEBUG", True)` returned its default because DEBUG is not set
      out = { ...V.clone(out), origin: 'env-default', env: [...defaults, ...(out.env ?? [])] };
    }
    return this.atCallSite(out, frame, args, loc);
  }

  /**
   * A helper's result, located where the settings call it: a value the helper computed (`return
   * v == "True"`) is located at the call, and so is an environment lookup whose variable the call
   * names (`envbool("DEBUG", "True")`), so that findings land on the setting's line. A literal
   * written in the helper stays where it is written.
   */
  private atCallSite(v: Value, frame: Frame, args: CallArgs, loc: Loc): Value {
    const range = frame.fnRange;
    if (!range) return v;
    const inside = (l: Loc | undefined): boolean => !!l && l.file === frame.file && l.start >= range.start && l.end <= range.end;
    const moveValue = v.kind !== 'object' && v.origin !== 'literal' && inside(v.loc);
    let moveEnv = false;
    if (v.env) for (const e of v.env) if (inside(e.loc) && namesVariable(args, e.name)) moveEnv = true;
    if (!moveValue && !moveEnv) return v;
    const env = moveEnv ? v.env!.map((e) => (inside(e.loc) && namesVariable(args, e.name) ? { ...e, loc } : e)) : v.env;
    return { ...v, loc: moveValue ? loc : v.loc, env } as Value;
  }

  // ---- imports --------------------------------------------------------------------------------

  private execImport(node: PyNode, f: Frame): void {
    for (const item of namedChildren(node)) {
      const dotted = item.type === 'aliased_import' ? field(item, 'name') : item;
      const alias = item.type === 'aliased_import' ? field(item, 'alias')?.text : undefined;
      if (!dotted) continue;
      const name = this.src(dotted, f);
      const loc = this.loc(item, f);
      if (alias) {
        this.bind(alias, this.importModule(name, 0, f, loc), f, loc, this.loc(node, f));
      } else {
        const top = name.split('.')[0]!;
        // `import a.b.c` runs a.b.c and binds `a`.
        if (name !== top) this.importModule(name, 0, f, loc);
        this.bind(top, this.importModule(top, 0, f, loc), f, loc, this.loc(node, f));
      }
    }
  }

  private execImportFrom(node: PyNode, f: Frame): void {
    const moduleNode = field(node, 'module_name');
    if (!moduleNode) return;
    let level = 0;
    let name = '';
    if (moduleNode.type === 'relative_import') {
      const prefix = moduleNode.children.find((c) => c.type === 'import_prefix');
      level = prefix ? this.src(prefix, f).length : 0;
      const dotted = moduleNode.children.find((c) => c.type === 'dotted_name');
      name = dotted ? this.src(dotted, f) : '';
    } else name = this.src(moduleNode, f);
    const loc = this.loc(node, f);
    const wildcard = node.children.some((c) => c.type === 'wildcard_import');
    const mod = this.importModule(name, level, f, loc);
    if (wildcard) {
      this.starImport(mod, f, loc, level > 0 ? '.'.repeat(level) + name : name);
      return;
    }
    for (const item of fields(node, 'name')) {
      const orig = item.type === 'aliased_import' ? field(item, 'name') : item;
      const alias = item.type === 'aliased_import' ? field(item, 'alias')?.text : undefined;
      if (!orig) continue;
      const attr = this.src(orig, f);
      const itemLoc = this.loc(item, f);
      let value: Value;
      let binding: Binding | undefined;
      if (mod.kind === 'object' && mod.tag === 'wsmodule') {
        const m = mod.data as ModuleResult;
        binding = m.scope.get(attr);
        if (binding) value = binding.value;
        else {
          const sub = this.importModule(attr, 0, f, itemLoc, m.ref);
          value = sub;
        }
      } else value = getAttribute(mod, attr, itemLoc, this.api(f));
      const target = alias ?? attr;
      this.bind(target, value, f, itemLoc, loc);
    }
  }

  /** Imports a module: a workspace module is evaluated (once), others come from the library. */
  private importModule(name: string, level: number, f: Frame, loc: Loc, from?: ModuleRef): Value {
    const fromRef = from ?? f.mod.ref;
    const subName = from ? (from.isPackage ? `${from.name}.${name}` : name) : name;
    const res = from ? this.host.resolve(subName, 0, fromRef) : this.host.resolve(name, level, fromRef);
    const display = level > 0 ? '.'.repeat(level) + name : subName;
    if (res.status === 'found') {
      const inProgress = this.stack.find((m) => m.ref.file === res.ref.file);
      if (inProgress) {
        const chain = [...this.stack.slice(this.stack.indexOf(inProgress)).map((m) => m.ref.name), res.ref.name].join(' → ');
        this.note(f, 'import-cycle', `Import cycle: ${chain}. Python gives the inner import a partly-run module; so does this analysis.`, loc);
        return V.object('wsmodule', inProgress, loc);
      }
      const result = this.evaluate(res.ref);
      for (const file of result.files) f.mod.files.add(file);
      for (const n of result.notes) if (!f.mod.notes.includes(n)) f.mod.notes.push(n);
      for (const c of result.calls) if (!f.mod.calls.includes(c)) f.mod.calls.push(c);
      return V.object('wsmodule', result, loc);
    }
    const guarded = this.catchesHere(f, 'ModuleNotFoundError');
    // In a branch the analysis cannot decide, the import only fails when that branch runs.
    const when = f.uncertain > 0 ? 'when this branch runs, ' : '';
    // A configuration module the deployment supplies (netbox's configuration.py, zulip's
    // prod_settings.py): imported without a fallback, absent or git-ignored here, with a template
    // beside it. Production has it, with contents the analysis cannot see.
    if (res.status === 'ignored' || (!from && (level > 0 || this.inWorkspacePackage(name, fromRef)))) {
      const file = res.status === 'ignored' ? res.ref.file : this.missingModuleFile(name, level, fromRef);
      const template = file && !this.envFailureHandled(f, ['ModuleNotFoundError']) ? this.deployTemplate(file) : undefined;
      if (file && template) {
        const modName = res.status === 'ignored' ? res.ref.name : res.name;
        const why = `${nodePath.basename(file)} is ${res.status === 'ignored' ? 'ignored by git' : 'not in the workspace'} and ${template} is its template: the deployment supplies ${modName}, so the settings read from it are unknown`;
        this.note(f, 'dynamic', `${why}.`, loc);
        return { ...V.ext(modName, loc), reason: why, supplied: why };
      }
    }
    // `if os.path.exists(…/local.py): from .local import *` only imports it when it is there
    const tested = f.uncertain > 0 && this.existenceTested.size > 0 && this.existenceTested.has((res.status === 'ignored' ? res.ref.file : this.missingModuleFile(name, level, fromRef)) ?? '');
    if (res.status === 'ignored') {
      if (!guarded && !tested) {
        const file = res.ref.file.split(/[\\/]/).pop();
        this.note(f, 'import-ignored', `${file} is ignored by git, so it is not deployed: ${when}this import fails in production, and ${f.mod.ref.name} with it.`, loc);
      }
      throw new PyRaise('ModuleNotFoundError', loc);
    }
    if (from) return V.unknown(`${name} is not found in ${from.name}`, loc);
    if (level > 0 || this.inWorkspacePackage(name, fromRef)) {
      if (!guarded && !tested) this.note(f, 'import-missing', `${display} does not exist in the workspace: ${when}this import fails, and ${f.mod.ref.name} with it.`, loc);
      throw new PyRaise('ModuleNotFoundError', loc);
    }
    return stdlibModule(name, loc) ?? V.ext(name, loc);
  }

  /** The file a missing workspace module would be (`from .local import *` → …/local.py), if it can tell. */
  private missingModuleFile(name: string, level: number, from: ModuleRef): string | undefined {
    const parts = name === '' ? [] : name.split('.');
    if (parts.length === 0) return undefined;
    if (level > 0) {
      let dir = nodePath.dirname(from.file);
      for (let i = 1; i < level; i++) dir = nodePath.dirname(dir);
      return nodePath.join(dir, ...parts) + '.py';
    }
    const parent = this.host.resolve(parts.slice(0, -1).join('.'), 0, from);
    if (parent.status === 'missing' || !parent.ref.isPackage) return undefined;
    return nodePath.join(nodePath.dirname(parent.ref.file), parts[parts.length - 1]! + '.py');
  }

  /**
   * The template of a configuration module the deployment supplies, by the names projects give
   * them (configuration_example.py, local.py.example, prod_settings_template.py…), if one exists.
   */
  private deployTemplate(file: string): string | undefined {
    const stem = nodePath.basename(file, '.py');
    return (this.host.listDir?.(nodePath.dirname(file)) ?? []).filter((n) => isTemplateName(stem, n)).sort()[0];
  }

  /** `mysite.settings.local` when `mysite.settings` is a workspace package: a missing workspace module. */
  private inWorkspacePackage(name: string, from: ModuleRef): boolean {
    const parts = name.split('.');
    for (let i = parts.length - 1; i >= 1; i--) {
      const r = this.host.resolve(parts.slice(0, i).join('.'), 0, from);
      if (r.status !== 'missing') return r.ref.isPackage;
    }
    return false;
  }

  private starImport(mod: Value, f: Frame, loc: Loc, display: string): void {
    if (mod.kind === 'object' && mod.tag === 'wsmodule') {
      const m = mod.data as ModuleResult;
      const all = m.scope.get('__all__');
      const names = all ? V.strItems(all.value) : undefined;
      for (const [name, b] of m.scope.vars) {
        if (names ? !names.includes(name) : name.startsWith('_')) continue;
        this.bind(name, b.value, f, b.target, b.stmt);
      }
      if (m.scope.open && (!f.scope.open || f.scope.open.mayBind)) f.scope.open = m.scope.open;
      return;
    }
    if (mod.kind === 'object' && mod.tag.startsWith('module:')) return; // stdlib star-import: irrelevant names
    if (mod.kind === 'unknown' && mod.supplied) {
      this.taintNames(f, mod.supplied, loc);
      return;
    }
    this.taintAll(f, `\`from ${display} import *\` can bind any name and ${display} is outside the workspace`, loc);
  }

  private setEnv(f: Frame, name: string | undefined, value: Value): void {
    if (name === undefined) {
      // any variable may now have any value: every one already set becomes unknown (lookups not yet
      // made keep defaults semantics: the code would have to name them)
      for (const k of this.envValues.keys()) this.envValues.set(k, V.unknown('an environment variable set by the settings with an unknown name'));
      return;
    }
    const s = V.pyStr(value);
    const str = value.kind === 'str' || value.kind === 'unknown' ? value : s !== undefined ? { ...V.str(s), origin: value.origin, loc: value.loc, env: value.env } : V.unknownFrom([value], 'a non-string put in os.environ', value.loc);
    this.envValues.set(name, f.uncertain > 0 ? V.unknownFrom([str], `${name} is set in the environment only in some branches`, str.loc) : str);
  }

  /** Dynamic code may have rebound any name: everything bound so far, and any missing name, is unknown. */
  private taintAll(f: Frame, reason: string, loc: Loc, mayBind?: (name: string) => boolean): void {
    this.note(f, 'dynamic', `${reason}; settings from here on are unknown unless assigned again.`, loc);
    this.taintNames(f, reason, loc, mayBind);
  }

  /** taintAll without a note (the cause was already noted). */
  private taintNames(f: Frame, reason: string, loc: Loc, mayBind?: (name: string) => boolean): void {
    for (const [name, b] of f.scope.vars) {
      if (name.startsWith('__') || (mayBind && !mayBind(name))) continue;
      f.scope.set(name, { ...b, value: V.unknown(reason, b.value.loc) });
    }
    // an unrestricted taint is never narrowed by a later restricted one
    if (!f.scope.open || (f.scope.open.mayBind && !mayBind)) f.scope.open = { reason, loc, mayBind };
  }

  // ---- expressions ------------------------------------------------------------------------------

  eval(node: PyNode, f: Frame): Value {
    this.tick();
    if (this.exprDepth > MAX_EXPR_DEPTH) return V.unknown('expression nested too deeply', this.loc(node, f));
    // no try/finally on this hot path: the places that catch a PyRaise restore the depth
    this.exprDepth++;
    const v = this.evalInner(node, f);
    this.exprDepth--;
    return v;
  }

  private evalInner(node: PyNode, f: Frame): Value {
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
        return this.binop(op.text ?? this.src(op, f), this.eval(left, f), this.eval(right, f), loc);
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
          const r = this.eval(t ? body : alt, f);
          // `os.environ["X"] if "X" in os.environ else "fallback"`: the literal is X's default (when
          // the other alternative reads X; a literal an unrelated variable selects stays a literal)
          const otherText = this.src(t ? alt : body, f);
          const related = (c.env ?? []).filter((e) => mentionsVar(otherText, e.name));
          if (c.origin === 'env-default' && related.length > 0 && r.kind !== 'unknown' && r.kind !== 'object' && (r.origin === 'literal' || r.origin === 'derived') && r.loc && r.loc.file === loc.file && r.loc.start >= loc.start && r.loc.end <= loc.end) {
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
        return V.object('user-fn', { name: 'lambda', params, body: [], expr: body, file: f.file, text: f.text, base: f.base, mod: f.mod, scope: f.scope } satisfies UserFn, loc);
      }
      case 'keyword_argument':
      case 'list_splat':
      case 'dictionary_splat':
        return V.unknown('an argument outside a call', loc);
      default:
        return V.unknown(`a ${node.type.replace(/_/g, ' ')} expression`, loc);
    }
  }

  private clip(s: string): string {
    const one = s.replace(/\s+/g, ' ');
    return one.length > 60 ? one.slice(0, 57) + '…' : one;
  }

  /** The value a name is bound to in the comprehension scopes, the function's locals or the module. */
  private boundValue(name: string, f: Frame): Value | undefined {
    for (let i = f.comp.length - 1; i >= 0; i--) {
      const v = f.comp[i]!.get(name);
      if (v) return v;
    }
    if (f.locals) {
      const v = f.locals.get(name);
      if (v) return v;
    }
    return f.scope.vars.get(name)?.value;
  }

  private lookup(name: string, f: Frame, loc: Loc): Value {
    const bound = this.boundValue(name, f);
    if (bound) return bound;
    const bi = builtin(name, loc);
    if (bi) return bi;
    if (f.scope.mayHave(name)) return V.unknown(f.scope.open!.reason, loc);
    return V.unknown(`${name} is not defined at this point`, loc);
  }

  private evalString(node: PyNode, f: Frame, loc: Loc): Value {
    // fast path: a plain literal without prefix ("…", '…', triple-quoted), the common case
    const c = node.children;
    const quote = c[0]?.text;
    if ((quote === '"' || quote === "'" || quote === '"""' || quote === "'''") && c[c.length - 1]?.type === 'string_end') {
      if (c.length === 2) return V.str('', 'literal', loc);
      if (c.length === 3 && c[1]!.type === 'string_content') {
        const t = c[1]!.text ?? this.src(c[1]!, f);
        return V.str(t.includes('\\') ? unescapePython(t) : t, 'literal', loc);
      }
    }
    const startTok = node.children[0];
    const prefix = (startTok?.text ?? '').replace(/['"]+$/, '').toLowerCase();
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
        let s = conv && this.src(conv, f).includes('r') ? (V.isKnown(v) ? V.repr(v) : undefined) : V.pyStr(v);
        if (spec && s !== undefined) s = formatSpec(v, this.src(spec, f).replace(/^:/, ''));
        if (s === undefined) unknownPart = true;
        else out += s;
      }
    }
    if (parts.some((p) => V.holdsWholeEnvironment(p))) return V.wholeEnvironment('an f-string', loc, 'str');
    if (unknownPart) return V.unknownFrom(parts, 'an f-string with values the analysis cannot read', loc, 'str');
    if (parts.length === 0) return V.str(out, 'literal', loc);
    return { ...V.str(out, V.combineOrigins(...parts), loc), env: V.combineEnv(...parts) };
  }

  private evalSequence(node: PyNode, f: Frame, loc: Loc): Value {
    const kind = node.type === 'list' ? 'list' : node.type === 'set' ? 'set' : 'tuple';
    const items: Value[] = [];
    let unknownSplat: Value | undefined;
    for (const child of node.children) {
      if (!child.named || child.type === 'comment') continue;
      if (child.type === 'list_splat') {
        const inner = namedChildren(child)[0];
        const v = inner ? this.eval(inner, f) : V.unknown('');
        const spread = this.iterate(v);
        if (spread) items.push(...spread);
        else unknownSplat = v;
      } else items.push(this.eval(child, f));
    }
    if (unknownSplat) return V.unknownFrom([unknownSplat], `a ${kind} that unpacks a value the analysis cannot read`, loc, kind === 'set' ? 'list' : kind);
    const allLiteral = items.every((i) => i.origin === 'literal');
    // a known container is never `env` (that origin is for values required from the environment,
    // which are unknown): `[config("DOMAIN"), "localhost"]` is written in code; its items say more
    const origin = allLiteral ? 'literal' : V.combineOrigins(...items);
    return { ...V.seq(kind, kind === 'set' ? dedupe(items) : items, origin === 'env' ? 'derived' : origin, loc), env: V.combineEnv(...items) };
  }

  private evalDict(node: PyNode, f: Frame, loc: Loc): Value {
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
          v.keys.forEach((k, i) => V.dictSet(d, k, v.values[i]!));
          if (v.partial) d.partial = true;
        } else d.partial = true;
        d.origin = 'derived';
      }
    }
    return d;
  }

  private evalBoolOp(node: PyNode, f: Frame, loc: Loc): Value {
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
    if (t === false) return V.derive(b, b.loc ?? loc, [a, b]);
    // `os.environ.get("X") or "fallback"`: when X is not set, production gets the fallback.
    if (a.origin === 'env' && a.env?.length) {
      // an unknown fallback keeps what is known of it (`or get_random_secret_key()` is generated)
      if (b.kind === 'unknown') return { ...V.unknownFrom([a, b], b.reason, loc, b.type), producedBy: b.producedBy, ext: b.ext };
      return { ...b, origin: b.origin === 'env' ? 'env' : 'env-default', env: [...a.env.map((e) => ({ ...e, hasDefault: true })), ...(b.env ?? [])] };
    }
    return V.unknownFrom([a, b], 'a condition on an unknown value', loc);
  }

  private evalComparison(node: PyNode, f: Frame, loc: Loc): Value {
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
          if (set.kind === 'unknown') result = undefined;
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
      if (b.kind === 'unknown' && b.ext === 'sys.argv' && a.kind === 'str' && (ops[i] === 'in' || ops[i] === 'not in') && DEV_COMMANDS.has(a.v)) {
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
      const parts = values.filter((v) => !(v.kind === 'object' && v.tag === 'os.environ') && !(argv && v.kind === 'unknown' && v.ext === 'sys.argv'));
      const d = V.derive(V.bool(result), loc, parts);
      return { ...d, origin: d.origin === 'env' || d.origin === 'unknown' ? d.origin : 'env-default', env: [...envDefaults, ...(d.env ?? [])] };
    }
    return V.derive(V.bool(result), loc, argv ? values.filter((v) => !(v.kind === 'unknown' && v.ext === 'sys.argv')) : values);
  }

  private evalSubscript(node: PyNode, f: Frame, loc: Loc): Value {
    const containerNode = field(node, 'value');
    const keyNodes = fields(node, 'subscript');
    if (!containerNode || keyNodes.length === 0) return V.unknown('an incomplete expression', loc);
    const c = this.eval(containerNode, f);
    if (keyNodes.length === 1 && keyNodes[0]!.type === 'slice') {
      if ((c.kind === 'list' || c.kind === 'tuple') && c.optional) return V.unknownFrom([c], 'a slice of a list some of whose items may be absent', loc);
      if (c.kind === 'list' || c.kind === 'tuple' || c.kind === 'str') {
        const len = c.kind === 'str' ? c.v.length : c.items.length;
        const b = this.sliceBounds(keyNodes[0]!, f, len);
        if (!b) return V.unknownFrom([c], 'a slice with unknown bounds', loc);
        const idx: number[] = [];
        if (b.step > 0) for (let i = b.start; i < b.stop; i += b.step) idx.push(i);
        else for (let i = b.start; i > b.stop; i += b.step) idx.push(i);
        if (c.kind === 'str') return V.derive(V.str(idx.map((i) => c.v[i]).join('')), loc, [c]);
        return V.seq(c.kind, idx.map((i) => c.items[i]!), V.combineOrigins(c), loc);
      }
      return V.unknownFrom([c], 'a slice of an unknown value', loc);
    }
    const key = keyNodes.length === 1 ? this.eval(keyNodes[0]!, f) : V.seq('tuple', keyNodes.map((k) => this.eval(k, f)));
    return this.subscriptValue(c, key, f, loc);
  }

  private subscriptValue(c: Value, key: Value, f: Frame, loc: Loc): Value {
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
    if ((c.kind === 'list' || c.kind === 'tuple') && c.optional) return V.unknownFrom([c, key], 'an item by position of a list some of whose items may be absent', loc);
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

  private sliceBounds(node: PyNode, f: Frame, len: number): { start: number; stop: number; step: number } | undefined {
    // children: [start] ':' [stop] [':' [step]]
    const slots: (PyNode | undefined)[] = [undefined, undefined, undefined];
    let slot = 0;
    for (const c of node.children) {
      if (!c.named && c.text === ':') slot++;
      else if (c.named && slot < 3) slots[slot] = c;
    }
    const num = (n: PyNode | undefined): number | undefined | null => {
      if (!n) return null;
      const v = V.numeric(this.eval(n, f));
      return v === undefined ? undefined : v;
    };
    const step = num(slots[2]);
    const s = num(slots[0]);
    const e = num(slots[1]);
    if (step === undefined || s === undefined || e === undefined) return undefined;
    const st = step ?? 1;
    if (st === 0) return undefined;
    const norm = (x: number, dflt: number): number => {
      if (x < 0) x += len;
      return Math.max(st > 0 ? 0 : -1, Math.min(x, st > 0 ? len : len - 1)) ?? dflt;
    };
    const start = s === null ? (st > 0 ? 0 : len - 1) : norm(s, 0);
    const stop = e === null ? (st > 0 ? len : -1) : norm(e, len);
    return { start, stop, step: st };
  }

  private evalComprehension(node: PyNode, f: Frame, loc: Loc): Value {
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
        parts.forEach((p, i) => bindTarget(p, items && items.length === parts.length ? items[i]! : V.unknownFrom([v], 'unpacked loop item')));
      }
    };
    const run = (i: number): boolean => {
      if (out.length > 10_000) return false;
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
    if (unknownInput) return V.unknownFrom([unknownInput], 'a comprehension over values the analysis cannot read', loc, node.type === 'dictionary_comprehension' ? 'dict' : 'list');
    const combined = V.combineOrigins(...inputs, ...out);
    const origin = combined === 'env' ? 'derived' : combined;
    const env = V.combineEnv(...inputs, ...out);
    if (node.type === 'dictionary_comprehension') return { ...V.dict(outKeys, out, origin, loc), env };
    if (node.type === 'set_comprehension') return { ...V.seq('set', dedupe(out), origin, loc), env };
    return { ...V.seq('list', out, origin, loc), env };
  }

  private evalCall(node: PyNode, f: Frame, loc: Loc): Value {
    const fnNode = field(node, 'function');
    const argsNode = field(node, 'arguments');
    if (!fnNode) return V.unknown('an incomplete call', loc);
    const fn = this.eval(fnNode, f);
    // keyword maps are only allocated for calls that have keyword arguments (most calls do not)
    const args: CallArgs = { pos: [], kw: NO_KEYWORDS as Map<string, Value>, kwLocs: NO_KEYWORD_LOCS as Map<string, Loc>, loc, unknownSplat: false };
    const setKw = (name: string, v: Value, l: Loc): void => {
      if (args.kw === NO_KEYWORDS) {
        args.kw = new Map();
        args.kwLocs = new Map();
      }
      args.kw.set(name, v);
      args.kwLocs.set(name, l);
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
            setKw(name, v, this.locOfNode(v, value, f));
          }
        } else if (a.type === 'list_splat') {
          const inner = namedChildren(a)[0];
          const v = inner ? this.eval(inner, f) : V.unknown('');
          const items = this.iterate(v);
          if (items) args.pos.push(...items);
          else args.unknownSplat = true;
        } else if (a.type === 'dictionary_splat') {
          const inner = namedChildren(a)[0];
          const v = inner ? this.eval(inner, f) : V.unknown('');
          if (v.kind === 'dict' && !v.partial && v.keys.every((k) => k.kind === 'str')) {
            v.keys.forEach((k, i) => setKw((k as V.StrValue).v, v.values[i]!, this.loc(a, f)));
          } else args.unknownSplat = true;
        } else {
          args.pos.push(this.eval(a, f));
        }
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
    if (fn.kind === 'unknown' || (fn.kind === 'object' && fn.tag !== 'user-fn' && fn.tag !== 'fn' && fn.tag !== 'method')) this.handOver(fn, fnNode, args, f, loc);
    return result;
  }

  private callValue(fn: Value, args: CallArgs, f: Frame, loc: Loc): Value {
    if (fn.kind === 'object') {
      if (fn.tag === 'user-fn') return this.callUserFunction(fn, args, f, loc);
      if (fn.tag === 'fn' || fn.tag === 'method') {
        const d = fn.data as { impl: (a: CallArgs, api: EvalApi) => Value };
        return d.impl(args, this.api(f));
      }
      if (fn.tag === 'user-class') return V.unknown(`an instance of ${(fn.data as { name: string }).name}`, loc);
      return V.unknown(`the result of calling ${fn.tag}`, loc);
    }
    if (fn.kind === 'unknown') {
      if (fn.ext) {
        this.record(f, fn.ext, args);
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
  private handOver(fn: Value, fnNode: PyNode, args: CallArgs, f: Frame, loc: Loc): void {
    const library = fn.kind === 'unknown' && fn.ext !== undefined;
    let given = false;
    for (const v of args.pos) if (this.isThisModule(v, library, f)) given = true;
    if (!given && args.kw.size > 0) for (const v of args.kw.values()) if (this.isThisModule(v, library, f)) given = true;
    if (!given) return;
    this.taintAll(f, `${this.clip(this.src(fnNode, f))}() is given this module and may set any of its settings`, loc);
  }

  /** `globals()`, `sys.modules[__name__]`, or (given to the project's own code) the module's name. */
  private isThisModule(v: Value, library: boolean, f: Frame): boolean {
    if (v.kind === 'object') return v.tag === 'globals' || v.tag === 'this-module';
    return !library && v.kind === 'str' && v.v === f.mod.ref.name;
  }

  private record(f: Frame, callee: string, args: CallArgs): void {
    const rec: CallRecord = { callee, args: args.pos, kwargs: args.kw, loc: args.loc, kwargLocs: args.kwLocs, conditional: f.uncertain > 0 || undefined };
    f.mod.calls.push(rec);
  }

  private getAttr(o: Value, name: string, loc: Loc, f: Frame): Value {
    if (o.kind === 'object' && o.tag === 'wsmodule') {
      const m = o.data as ModuleResult;
      const b = m.scope.get(name);
      if (b) return b.value;
      return this.importModule(name, 0, f, loc, m.ref);
    }
    return getAttribute(o, name, loc, this.api(f));
  }

  private catchesHere(f: Frame, exc: string): boolean {
    return f.catching.some((hs) => hs.some((h) => h.names.some((n) => excMatches(exc, n))));
  }

  /**
   * Whether an environment lookup failing here with one of `exc` runs an except clause that goes
   * on (a fallback). When the innermost clause that catches it raises again, the variable is in
   * effect required: the lookup does not raise in a running system and its value is `env`.
   */
  private envFailureHandled(f: Frame, exc: readonly string[]): boolean {
    for (let i = f.catching.length - 1; i >= 0; i--) {
      const h = f.catching[i]!.find((x) => x.names.some((n) => exc.some((e) => excMatches(e, n))));
      if (h) return !h.reraises;
    }
    return false;
  }

  private api(f: Frame): EvalApi {
    return (f.api ??= this.makeApi(f));
  }

  private makeApi(f: Frame): EvalApi {
    return {
      file: f.file,
      moduleName: f.mod.ref.name,
      note: (kind, message, loc) => this.note(f, kind, message, loc),
      record: (callee, args) => this.record(f, callee, args),
      catches: (...exc) => exc.some((e) => this.catchesHere(f, e)),
      envFailureHandled: (...exc) => this.envFailureHandled(f, exc),
      isRequiredEnv: (name) => this.requiredEnv.has(name),
      envValue: (name) => this.envValues.get(name),
      setEnv: (name, value) => this.setEnv(f, name, value),
      raise: (exc, loc, env) => {
        throw new PyRaise(exc, loc, env);
      },
      call: (fn, args) => this.callValue(fn, args, f, args.loc),
      bindGlobal: (name, value, loc) => this.bindGlobal(f, name, value, loc),
      taintAll: (reason, loc, mayBind) => this.taintAll(f, reason, loc, mayBind),
      lookup: (name, loc) => this.lookup(name, f, loc),
      globalNames: () => [...f.scope.vars.keys()],
      importModule: (name, level, loc) => this.importModule(name, level, f, loc),
      moduleNames: (mod) => {
        const m = mod.kind === 'object' && mod.tag === 'wsmodule' ? (mod.data as ModuleResult) : undefined;
        return m && !m.scope.open ? [...m.scope.vars.keys()].sort() : undefined;
      },
      moduleAttr: (mod, name, loc) => this.getAttr(mod, name, loc, f),
      include: (files, loc) => this.includeFiles(files, f, loc),
      iterate: (v) => this.iterate(v),
      pathExists: (p) => this.pathExists(p, f),
    };
  }

  /**
   * Whether a path of the project exists in production: a file in the repository does, one git
   * ignores does not (it is not deployed). Paths outside the project's import root, and files
   * missing here (the deployment may create them), are unknown.
   */
  private pathExists(p: string, f: Frame): boolean | undefined {
    if (!this.host.fileStatus || !nodePath.isAbsolute(p)) return undefined;
    let root = nodePath.dirname(f.mod.ref.file);
    for (let i = f.mod.ref.isPackage ? 0 : 1; i < f.mod.ref.name.split('.').length; i++) root = nodePath.dirname(root);
    const full = nodePath.normalize(p);
    if (!full.startsWith(root + nodePath.sep)) return undefined;
    const status = this.host.fileStatus(full);
    if (status === 'ignored') return false;
    if (status === 'found') return true;
    this.existenceTested.add(full);
    return undefined;
  }

  /** The items a value iterates over, or undefined when unknown. */
  iterate(v: Value): Value[] | undefined {
    switch (v.kind) {
      case 'list':
      case 'tuple':
      case 'set':
        // with items that may be absent, how many times a loop runs (or what len() is) is unknown
        return v.optional ? undefined : v.items;
      case 'dict':
        return v.partial ? undefined : v.keys;
      case 'str':
        return [...v.v].map((c) => V.derive(V.str(c), v.loc, [v]));
      case 'object': {
        const d = v.data as { items?: Value[] } | undefined;
        return d?.items;
      }
      default:
        return undefined;
    }
  }

  binop(op: string, a: Value, b: Value, loc: Loc): Value {
    return binop(op, a, b, loc);
  }
}

interface Param {
  readonly name: string;
  readonly kind: 'plain' | 'star' | 'kwstar';
  readonly default?: Value;
}

interface UserFn {
  readonly name: string;
  readonly params: Param[];
  readonly body: readonly PyNode[];
  readonly expr: PyNode | undefined;
  readonly file: string;
  readonly text: string;
  readonly base: number;
  readonly mod: ModuleResult;
  readonly scope: Scope;
}

// ---- merging ------------------------------------------------------------------------------------

function mergeBindings(bs: (Binding | undefined)[], reason: string, loc: Loc, optionalItems: boolean): Binding | undefined {
  const defined = bs.filter((b): b is Binding => b !== undefined);
  if (defined.length === 0) return undefined;
  const first = defined[0]!;
  if (defined.length === bs.length && defined.every((b) => b === first || b.value === first.value)) return first;
  if (defined.length < bs.length) {
    // bound in some alternatives only
    const assigned = defined.find((b) => b.target) ?? first;
    return { ...assigned, value: V.unknown(`only set when it ${meets(reason)}`, assigned.value.loc) };
  }
  const changed = defined.find((b) => b.value !== bs[0]?.value) ?? first;
  return { ...changed, value: mergeValues(defined.map((b) => b.value), reason, changed.value.loc ?? loc, optionalItems) };
}

/** Merges the values a name has in alternative branches: equal parts stay, differing parts are unknown. */
export function mergeValues(vs: Value[], reason: string, loc: Loc | undefined, optionalItems = true): Value {
  const first = vs[0]!;
  if (vs.every((v) => V.sameValue(first, v))) return first;
  if (vs.every((v) => v.kind === 'dict' && !v.partial)) {
    const ds = vs as V.DictValue[];
    const keys: Value[] = [];
    const seen = new Set<string>();
    for (const d of ds)
      for (const k of d.keys) {
        const kk = V.keyOf(k);
        if (kk !== undefined && !seen.has(kk)) {
          seen.add(kk);
          keys.push(k);
        }
      }
    const values = keys.map((k) => {
      const each = ds.map((d) => V.dictGet(d, k));
      if (each.some((x) => x === null || x === undefined)) {
        const present = each.find((x): x is Value => !!x);
        return V.unknown(`only set when it ${meets(reason)}`, present?.loc);
      }
      return mergeValues(each as Value[], reason, (each[0] as Value).loc, optionalItems);
    });
    return { ...V.dict(keys, values, V.combineOrigins(...vs), loc), env: V.combineEnv(...vs) };
  }
  const seq = optionalItems ? mergeSequences(vs, reason, loc) : undefined;
  if (seq) return seq;
  const changed = vs.find((v) => !V.sameValue(first, v)) ?? first;
  return { ...V.unknown(reason, changed.loc ?? loc), env: V.combineEnv(...vs) };
}

/**
 * Lists (or tuples) that differ only by items some branches add — `if DEBUG:
 * MIDDLEWARE.insert(0, toolbar)` on an undecidable DEBUG — merge into the longest one, with each
 * added item unknown ("only present when …"): the order of the items every branch has stays known.
 * Undefined when the branches reorder or replace items.
 */
function mergeSequences(vs: Value[], reason: string, loc: Loc | undefined): Value | undefined {
  const kind = vs[0]!.kind;
  if ((kind !== 'list' && kind !== 'tuple') || !vs.every((v) => v.kind === kind && v.origin !== 'unknown')) return undefined;
  const seqs = vs as V.SeqValue[];
  const longest = seqs.reduce((a, b) => (b.items.length > a.items.length ? b : a));
  const everywhere = new Array<boolean>(longest.items.length).fill(true);
  for (const s of seqs) {
    // `s` must be a subsequence of the longest list; greedy matching decides that
    let i = 0;
    const matched = new Array<boolean>(longest.items.length).fill(false);
    for (let j = 0; j < longest.items.length && i < s.items.length; j++) {
      if (V.sameValue(s.items[i]!, longest.items[j]!)) {
        matched[j] = true;
        i++;
      }
    }
    if (i < s.items.length) return undefined;
    matched.forEach((m, j) => {
      if (!m) everywhere[j] = false;
    });
  }
  const when = meets(reason);
  const items = longest.items.map((item, j) => (everywhere[j] ? item : { ...V.unknown(`only present when it ${when}`, item.loc, item.kind === 'str' ? 'str' : undefined), env: item.env, maybeAbsent: true }));
  const optional = items.some((i) => i.kind === 'unknown' && i.maybeAbsent);
  return { ...V.seq(kind, items, V.combineOrigins(...vs), longest.loc ?? loc), env: V.combineEnv(...vs), optional: optional || undefined };
}

/** A branch reason as a condition: "depends on `DEBUG`" → "meets `DEBUG`" (for "only set when it …"). */
function meets(reason: string): string {
  return reason.replace(/^depends on /, 'meets ');
}

/** How a set of alternative paths ended, together (see Signal). */
function combineSignals(signals: readonly Signal[]): Signal {
  if (signals.every((s) => s === undefined)) return undefined;
  const first = signals[0];
  if (first && first.kind !== 'return' && first.kind !== 'uncertain' && signals.every((s) => s?.kind === first.kind)) return first;
  return { kind: 'uncertain', mayReturn: signals.some((s) => s?.kind === 'return' || (s?.kind === 'uncertain' && s.mayReturn)) };
}

/** Whether a call passes the name of an environment variable (`envbool("DEBUG", "True")`). */
function namesVariable(args: CallArgs, name: string): boolean {
  for (const a of args.pos) if (a.kind === 'str' && a.v === name) return true;
  if (args.kw.size > 0) for (const a of args.kw.values()) if (a.kind === 'str' && a.v === name) return true;
  return false;
}

/** Whether code text mentions an environment variable by name, as a string literal. */
function mentionsVar(text: string, name: string): boolean {
  return text.includes(`"${name}"`) || text.includes(`'${name}'`);
}

function typeOfKnown(v: Value): V.UnknownValue['type'] {
  switch (v.kind) {
    case 'str':
    case 'bool':
    case 'int':
    case 'float':
    case 'list':
    case 'tuple':
    case 'dict':
    case 'path':
    case 'none':
      return v.kind;
    case 'set':
      return 'list';
    default:
      return undefined;
  }
}

/** A glob pattern for one path segment (`*.py`, `base?.py`, `[ab].py`) as a regular expression. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  // like glob.glob, `*` does not match names starting with a dot
  return new RegExp(`^(?!\\.)${re}$`);
}

function dedupe(items: Value[]): Value[] {
  const out: Value[] = [];
  const seen = new Set<string>();
  for (const i of items) {
    const k = V.keyOf(i);
    if (k !== undefined) {
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(i);
  }
  return out;
}

// ---- literals -----------------------------------------------------------------------------------

function parseInteger(text: string, loc: Loc): Value {
  if (/^[1-9]\d{0,14}$|^0$/.test(text)) return V.int(Number(text), 'literal', loc); // the common case
  let t = text.replace(/_/g, '').replace(/[lL]$/, '');
  if (/[jJ]$/.test(t)) return V.unknown('a complex number', loc);
  let n: number;
  if (/^0[xX]/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[oO]/.test(t)) n = parseInt(t.slice(2), 8);
  else if (/^0[bB]/.test(t)) n = parseInt(t.slice(2), 2);
  else {
    if (/^0\d+$/.test(t)) t = t.replace(/^0+/, '') || '0'; // Python 2 octal is a syntax error in 3
    n = Number(t);
  }
  return Number.isFinite(n) ? V.int(n, 'literal', loc) : V.unknown('a number too large to follow', loc);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

export function unescapePython(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|\r?\n|.)/g, (m, e: string) => {
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e]!;
    if (e === '\r\n') return '';
    if (/^[0-7]{1,3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e.length > 1 && (e[0] === 'x' || e[0] === 'u' || e[0] === 'U')) {
      const cp = parseInt(e.slice(1), 16);
      // `\U00110000` is a syntax error in Python: keep it as written rather than throw.
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    // unknown escapes stay as written, as in Python; so do truncated \x, \u, \U escapes (a syntax
    // error in Python) instead of throwing
    return m;
  });
}

function formatSpec(v: Value, spec: string): string | undefined {
  const s = V.pyStr(v);
  if (s === undefined) return undefined;
  if (spec === '' || spec === 's') return s;
  const n = V.numeric(v);
  const m = /^([<>^]?)(\d*)(?:\.(\d+))?([dfs]?)$/.exec(spec);
  if (!m) return undefined;
  let out = s;
  if (m[4] === 'f' && n !== undefined) out = n.toFixed(m[3] ? Number(m[3]) : 6);
  if (m[2]) {
    const w = Number(m[2]);
    const align = m[1] || (n !== undefined ? '>' : '<');
    if (align === '<') out = out.padEnd(w);
    else if (align === '>') out = out.padStart(w);
    else {
      const total = Math.max(0, w - out.length);
      out = ' '.repeat(Math.floor(total / 2)) + out + ' '.repeat(Math.ceil(total / 2));
    }
  }
  return out;
}

// ---- operators ------------------------------------------------------------------------------------

export function binop(op: string, a: Value, b: Value, loc: Loc): Value {
  const parts = [a, b];
  if (op === '%' && (a.kind === 'str' || a.kind === 'unknown') && V.holdsWholeEnvironment(b)) return V.wholeEnvironment('%-formatting', loc, 'str');
  if (a.kind === 'unknown' || b.kind === 'unknown') {
    const type = a.kind === 'path' || b.kind === 'path' ? 'path' : a.kind === 'str' || b.kind === 'str' ? 'str' : undefined;
    return V.unknownFrom(parts, 'computed from values the analysis cannot read', loc, type);
  }
  const na = V.numeric(a);
  const nb = V.numeric(b);
  const numResult = (n: number, forceFloat = false): Value => {
    if (!Number.isFinite(n)) return V.unknown('a number out of range', loc);
    const isFloat = forceFloat || a.kind === 'float' || b.kind === 'float';
    return V.derive(isFloat ? V.float(n) : V.int(n), loc, parts);
  };
  switch (op) {
    case '+':
      if (na !== undefined && nb !== undefined) return numResult(na + nb);
      if (a.kind === 'str' && b.kind === 'str') return V.derive(V.str(a.v + b.v), loc, parts);
      if ((a.kind === 'list' || a.kind === 'tuple') && a.kind === b.kind) return V.derive(V.seq(a.kind, [...a.items, ...(b as V.SeqValue).items]), loc, parts);
      break;
    case '-':
      if (na !== undefined && nb !== undefined) return numResult(na - nb);
      if (a.kind === 'set' && b.kind === 'set') return V.derive(V.seq('set', a.items.filter((x) => !b.items.some((y) => V.pyEquals(x, y)))), loc, parts);
      break;
    case '*':
      if (na !== undefined && nb !== undefined) return numResult(na * nb);
      if (a.kind === 'str' && nb !== undefined && b.kind !== 'float') return V.derive(V.str(a.v.repeat(Math.max(0, Math.min(nb, 10_000)))), loc, parts);
      if ((a.kind === 'list' || a.kind === 'tuple') && nb !== undefined && nb <= 1000) {
        const items: Value[] = [];
        for (let i = 0; i < nb; i++) items.push(...a.items);
        return V.derive(V.seq(a.kind, items), loc, parts);
      }
      break;
    case '/':
      if (na !== undefined && nb !== undefined) return nb === 0 ? V.unknown('division by zero', loc) : numResult(na / nb, true);
      if (a.kind === 'path' && (b.kind === 'str' || b.kind === 'path')) return V.derive(V.path(joinPath(a.v, b.v)), loc, parts);
      if (a.kind === 'str' && b.kind === 'path') return V.derive(V.path(joinPath(a.v, b.v)), loc, parts);
      break;
    case '//':
      if (na !== undefined && nb !== undefined) return nb === 0 ? V.unknown('division by zero', loc) : numResult(Math.floor(na / nb));
      break;
    case '%':
      if (na !== undefined && nb !== undefined) return nb === 0 ? V.unknown('division by zero', loc) : numResult(((na % nb) + nb) % nb);
      if (a.kind === 'str') {
        const s = percentFormat(a.v, b);
        return s === undefined ? V.unknownFrom(parts, 'a %-formatted string', loc, 'str') : V.derive(V.str(s), loc, parts);
      }
      break;
    case '**':
      if (na !== undefined && nb !== undefined) return numResult(na ** nb, nb < 0);
      break;
    case '|':
      if ((a.kind === 'int' || a.kind === 'bool') && (b.kind === 'int' || b.kind === 'bool')) {
        return a.kind === 'bool' && b.kind === 'bool' ? V.derive(V.bool(a.v || b.v), loc, parts) : numResult(na! | nb!);
      }
      if (a.kind === 'set' && b.kind === 'set') return V.derive(V.seq('set', dedupe([...a.items, ...b.items])), loc, parts);
      if (a.kind === 'dict' && b.kind === 'dict') {
        const d = V.dict([...a.keys], [...a.values]);
        b.keys.forEach((k, i) => V.dictSet(d, k, b.values[i]!));
        d.partial = a.partial || b.partial;
        return V.derive(d, loc, parts);
      }
      break;
    case '&':
      if (na !== undefined && nb !== undefined) return a.kind === 'bool' && b.kind === 'bool' ? V.derive(V.bool(a.v && b.v), loc, parts) : numResult(na & nb);
      if (a.kind === 'set' && b.kind === 'set') return V.derive(V.seq('set', a.items.filter((x) => b.items.some((y) => V.pyEquals(x, y)))), loc, parts);
      break;
    case '^':
      if (na !== undefined && nb !== undefined) return numResult(na ^ nb);
      break;
    case '<<':
      if (na !== undefined && nb !== undefined) return numResult(na * 2 ** nb);
      break;
    case '>>':
      if (na !== undefined && nb !== undefined) return numResult(Math.floor(na / 2 ** nb));
      break;
  }
  return V.unknownFrom(parts, `${V.typeName(a)} ${op} ${V.typeName(b)}`, loc);
}

function joinPath(a: string, b: string): string {
  if (b.startsWith('/')) return normalizePath(b);
  // `BASE_DIR / "static"`: a normalized path and a plain name need no normalizing (the common case)
  if (b !== '' && b !== '.' && b !== '..' && !b.includes('/') && a !== '' && !NOT_NORMAL.test(a)) return a === '/' ? `/${b}` : `${a}/${b}`;
  return normalizePath(a.endsWith('/') ? a + b : a + '/' + b);
}

/** A path that normalizePath would change: empty, `.`/`..` segments, doubled or trailing slashes. */
const NOT_NORMAL = /(^|\/)\.\.?(\/|$)|\/\/|.\/$/;

export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && abs) continue;
    else out.push(part);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}

function percentFormat(fmt: string, arg: Value): string | undefined {
  const args = arg.kind === 'tuple' ? arg.items : [arg];
  let i = 0;
  let failed = false;
  const out = fmt.replace(/%(\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?([sdirfx%])/g, (_m, key: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let v: Value | undefined;
    if (key) {
      if (arg.kind !== 'dict') {
        failed = true;
        return '';
      }
      const got = V.dictGetStr(arg, key.slice(1, -1));
      v = got ?? undefined;
    } else v = args[i++];
    if (!v) {
      failed = true;
      return '';
    }
    const n = V.numeric(v);
    if (conv === 'd' || conv === 'i') {
      if (n === undefined) failed = true;
      return String(Math.trunc(n ?? 0));
    }
    if (conv === 'f') {
      if (n === undefined) failed = true;
      return (n ?? 0).toFixed(6);
    }
    if (conv === 'x') return (n ?? 0).toString(16);
    const s = conv === 'r' ? (V.isKnown(v) ? V.repr(v) : undefined) : V.pyStr(v);
    if (s === undefined) failed = true;
    return s ?? '';
  });
  return failed ? undefined : out;
}

function compare(op: string, a: Value, b: Value): boolean | undefined {
  switch (op) {
    case '==':
      return V.pyEquals(a, b);
    case '!=':
    case '<>': {
      const r = V.pyEquals(a, b);
      return r === undefined ? undefined : !r;
    }
    case 'is':
    case 'is not': {
      let r: boolean | undefined;
      // a value required from the environment is set: `os.environ.get("X") is None` is False
      const isSetEnv = (v: Value): boolean => v.kind === 'unknown' && v.origin === 'env' && v.type !== undefined && v.type !== 'none';
      if ((a.kind === 'none' && isSetEnv(b)) || (b.kind === 'none' && isSetEnv(a))) r = false;
      else if (a.kind === 'none' || b.kind === 'none') r = a.kind === 'unknown' || b.kind === 'unknown' ? undefined : a.kind === b.kind;
      else if (a.kind === 'bool' && b.kind === 'bool') r = a.v === b.v;
      else if (a.kind === 'unknown' || b.kind === 'unknown') r = undefined;
      else r = a === b ? true : a.kind !== b.kind ? false : undefined;
      return r === undefined ? undefined : op === 'is' ? r : !r;
    }
    case 'in':
    case 'not in': {
      const r = contains(b, a);
      return r === undefined ? undefined : op === 'in' ? r : !r;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const na = V.numeric(a);
      const nb = V.numeric(b);
      let x: number | string | undefined;
      let y: number | string | undefined;
      if (na !== undefined && nb !== undefined) [x, y] = [na, nb];
      else if (a.kind === 'str' && b.kind === 'str') [x, y] = [a.v, b.v];
      else return undefined;
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
  return undefined;
}

function contains(container: Value, item: Value): boolean | undefined {
  if (container.kind === 'str') {
    if (item.kind !== 'str') return undefined;
    return container.v.includes(item.v);
  }
  if (container.kind === 'list' || container.kind === 'tuple' || container.kind === 'set') {
    let unknownSeen = false;
    for (const x of container.items) {
      const eq = V.pyEquals(x, item);
      if (eq === true) return true;
      if (eq === undefined) unknownSeen = true;
    }
    return unknownSeen ? undefined : false;
  }
  if (container.kind === 'dict') {
    const got = V.dictGet(container, item);
    if (got) return true;
    return got === null ? false : undefined;
  }
  return undefined;
}
