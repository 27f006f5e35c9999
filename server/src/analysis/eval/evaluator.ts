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
import { BudgetExceeded, PyRaise, mentionsVar, type EvalOptions } from './core';
import type { Frame, SharedSnapshot, UserFn } from './frame';
import type { EvaluationHooks, EvaluatorAccess, Tracker } from './hooks';
import type { ModuleHost } from './host';
import { dedupe, parseInteger, compare, unescapePython } from './operations';
import { formatValue, pyRepr, pyText } from './pyformat';
import { handsOverByName, KNOWN_HELPERS } from './helpers';
import { classAttr, memberAttr, memberByValue, surelyMissing, type EnumMember, type UserClass } from './classes';
import { StatementEvaluator } from './statements';
import { inPhase } from '../base/progress';

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
  /** Calls of the project's functions, counted (hooks.ts, EvaluatorAccess.userCalls). */
  private userCalls = 0;

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
    if (tracker && this.configurationClasses.get(mod)?.length) tracker.blocked = 'it defines django-configurations classes';
    // a statement that opens the namespace (dynamic code may bind names) is a barrier of its own;
    // what opens it after the last statement is not a statement's
    const open = mod.scope.open;
    this.finishModule(f);
    if (tracker && mod.scope.open !== open) tracker.blocked ??= 'dynamic code opened its namespace';
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
    if (this.tracker !== undefined) this.tracker.readBound(f.scope, name);
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
          if (t.current !== undefined && (fn.data as UserFn).scope === t.scope) return this.hooks!.sampledCall(t, fn, args, f, loc);
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
    // (a call a tracked statement adds to another module, one of whose functions it called)
    const t = this.tracker;
    if (t !== undefined) t.callRecorded(f.mod, rec);
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

/** A call's keyword argument, its maps made at the first (most calls have none: NO_KEYWORDS). */
function setKeyword(args: CallArgs, name: string, v: Value, l: Loc): void {
  if (args.kw === NO_KEYWORDS) {
    args.kw = new Map();
    args.kwLocs = new Map();
  }
  args.kw.set(name, v);
  args.kwLocs.set(name, l);
}
