// Statement evaluation: assignments and mutations, if/try/for/while/with/del, raise and assert,
// function and class definitions, and the inlining of the project's own small functions.
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import { configurationsSetting, type CallArgs, type GlobalsData } from './library';
import type { Binding, ModuleResult } from './scope';
import * as V from './values';
import type { Loc, Value } from './values';
import { mergeValues } from './branches';
import { PyRaise, assignsName, blockOf, excMatches, mentionOf, mentionsVar } from './core';
import type { Frame, Param, Signal, UserFn } from './frame';
import { classKind, type UserClass } from './classes';
import { ImportEvaluator } from './imports';

const MAX_LOOP_ITERATIONS = 1000;
/** The types of unknown values a list can be extended by (`list += x` takes any iterable). */
const ITERABLE_TYPES: ReadonlySet<string> = new Set(['str', 'list', 'tuple', 'dict']);

const MAX_CALL_DEPTH = 12;

/** A class the settings module defines (see classes.ts). */
type ClassData = UserClass;

export abstract class StatementEvaluator extends ImportEvaluator {
  /** The django-configurations classes each module defines, in order. */
  protected readonly configurationClasses = new Map<ModuleResult, ClassData[]>();

  /** The value a name is bound to in the comprehension scopes, the function's locals or the module. */
  protected abstract boundValue(name: string, f: Frame): Value | undefined;

  protected execBlock(nodes: readonly PyNode[], f: Frame): Signal {
    for (let i = 0; i < nodes.length; i++) {
      const sig = this.execStatement(nodes[i]!, f);
      if (sig?.kind === 'uncertain') {
        // some paths left the block early: the rest of it may or may not run
        if (i + 1 < nodes.length) {
          const rest = nodes.slice(i + 1);
          const after = this.branch(
            [() => this.execBlock(rest, f), () => undefined],
            f,
            'depends on whether an earlier branch left the block',
            nodes[i]!,
          );
          return after?.kind === 'uncertain' ? { kind: 'uncertain', mayReturn: sig.mayReturn || after.mayReturn } : sig;
        }
        return sig;
      }
      if (sig) return sig;
    }
    return undefined;
  }

  protected execStatement(node: PyNode, f: Frame): Signal {
    this.tick();
    const range = f.fnRange;
    if (range?.reach !== undefined) {
      // (a call of a function a `def` defines: the statements it starts are marked, see FnReach;
      // a definition inside it makes a function or class holding its text: all of it counts)
      range.reach.ran.add(f.base + node.start - range.start);
      if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'decorated_definition')
        range.reach.whole = true;
    }
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
        return this.execUncertainBody(blockOf(field(node, 'body')), f, `a while loop`, node);
      case 'with_statement':
        return this.execWith(node, f);
      case 'function_definition':
        this.defineFunction(node, f, false);
        return undefined;
      case 'decorated_definition': {
        const def = field(node, 'definition');
        // @staticmethod and @classmethod in a class body: the function itself (a class method is
        // given the class); any other decorator may replace it
        const decorators = node.children.filter((c) => c.type === 'decorator').map((c) => this.src(c, f).replace(/^@\s*/, '').trimEnd());
        const method =
          f.inClass && decorators.length === 1 && /^(staticmethod|classmethod)$/.test(decorators[0]!) ? decorators[0] : undefined;
        if (def?.type === 'function_definition') this.defineFunction(def, f, method === undefined, method === 'classmethod');
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

  protected execExpressionStatement(node: PyNode, f: Frame, stmt: PyNode): void {
    if (node.type === 'assignment') this.execAssignment(node, f, stmt);
    else if (node.type === 'augmented_assignment') this.execAugmented(node, f, stmt);
    else this.eval(node, f);
  }

  protected execAssignment(node: PyNode, f: Frame, stmt: PyNode): void {
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

  protected assign(target: PyNode, value: Value, f: Frame, stmt: PyNode): void {
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

  protected unpack(parts: PyNode[], value: Value, f: Frame, stmt: PyNode): void {
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
    this.assign(
      parts[starIndex]!,
      V.seq('list', items.slice(starIndex, items.length - after), V.combineOrigins(value), value.loc),
      f,
      stmt,
    );
    parts.slice(starIndex + 1).forEach((p, i) => this.assign(p, items[items.length - after + i]!, f, stmt));
  }

  protected assignSubscript(target: PyNode, value: Value, f: Frame): void {
    const containerNode = field(target, 'value');
    const keyNodes = fields(target, 'subscript');
    if (!containerNode || keyNodes.length === 0) return;
    this.prepareMutation(containerNode, f);
    const container = this.eval(containerNode, f);
    this.mutating(container, f);
    if (this.tracker !== undefined && (f.uncertain === 0 || f.locals))
      this.tracker.mutate(container, f.locals ? undefined : this.rootName(containerNode));
    if (container.kind === 'object' && container.tag === 'globals' && keyNodes.length === 1) {
      const key = this.eval(keyNodes[0]!, f);
      // the namespace of the module that called globals(), also from another module's function
      const owner = (container.data as GlobalsData | undefined)?.api;
      if (key.kind === 'str' && owner && owner.moduleName !== f.mod.ref.name) owner.bindGlobal(key.v, value, this.loc(target, f));
      else if (key.kind === 'str') this.bindGlobal(f, key.v, value, this.loc(target, f));
      else this.taintByName(f, 'globals() is assigned', key, this.loc(target, f));
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
    const key =
      keyNodes.length === 1
        ? this.eval(keyNodes[0]!, f)
        : V.seq(
            'tuple',
            keyNodes.map((k) => this.eval(k, f)),
          );
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
      if (key.kind !== 'str' || key.v === f.mod.ref.name)
        this.taintAll(f, 'sys.modules[__name__] is replaced, so Django reads another object than this module', this.loc(target, f));
    } else if (container.kind === 'object' && container.tag === 'os.environ') {
      // os.environ["X"] = "…" at import time: later lookups of X (in any library) read it
      this.setEnv(f, key.kind === 'str' ? key.v : undefined, value);
    }
  }

  /** Makes the name at the root of a mutated expression unknown (the mutation cannot be followed). */
  protected poison(node: PyNode, f: Frame, why: string): void {
    const root = this.rootName(node);
    if (!root) return;
    const b = f.scope.get(root);
    if (!b) return;
    // what else holds the same object (an alias, a dict it was put in) sees the change too
    if (b.value.kind === 'list' || b.value.kind === 'set' || b.value.kind === 'dict')
      this.markUncertain(b.value, `${root} is changed in a way the analysis cannot follow: ${why}`);
    f.scope.set(root, { ...b, value: V.unknown(`${root} is changed in a way the analysis cannot follow: ${why}`, b.value.loc) });
  }

  /** The exception class the first `raise` of a block names (`raise X(…)`, `raise X`), 'Exception' when it names none the analysis reads. */
  protected raisedClass(block: readonly PyNode[]): string | undefined {
    const r = block.find((n) => n.type === 'raise_statement');
    if (!r) return undefined;
    let e: PyNode | undefined = namedChildren(r)[0];
    if (e?.type === 'call') e = field(e, 'function');
    if (e?.type === 'attribute') e = field(e, 'attribute');
    return e?.type === 'identifier' && e.text ? e.text : 'Exception';
  }

  protected rootName(node: PyNode): string | undefined {
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
  protected prepareMutation(node: PyNode, f: Frame): void {
    if (f.uncertain === 0 || f.locals) return;
    const root = this.rootName(node);
    if (!root || f.cow.has(root)) return;
    const b = f.scope.get(root);
    if (!b) return;
    f.cow.add(root);
    const copy = V.clone(b.value);
    f.scope.set(root, { ...b, value: copy });
    if (copy === b.value || (b.value.kind !== 'list' && b.value.kind !== 'dict' && b.value.kind !== 'set')) return;
    // One pass over the bindings (a module's namespace holds thousands; a large module mutates in
    // hundreds of undecided branches): held inside another container (`D = {"apps": A}`), that
    // reference keeps the object, which this branch may change — uncertain for every path; the
    // names bound to the same object (`B = A`) are the same object in Python: they see the change too.
    const held = new HeldInside(b.value);
    const aliases: [string, Binding][] = [];
    for (const [name, other] of f.scope.vars)
      if (other.value === b.value) {
        if (name !== root && !f.cow.has(name)) aliases.push([name, other]);
      } else held.visitBinding(other.value);
    if (held.found) this.markUncertain(b.value, `${root} may be changed by a branch the analysis cannot decide`);
    for (const [name, other] of aliases) {
      f.cow.add(name);
      f.scope.set(name, { ...other, value: copy });
    }
  }

  protected execAugmented(node: PyNode, f: Frame, stmt: PyNode): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const opNode = field(node, 'operator') ?? node.children.find((c) => !c.named);
    if (!left || !right || !opNode) return;
    const op = (opNode.text ?? this.src(opNode, f)).replace('=', '');
    const rhs = this.eval(right, f);
    if (left.type === 'identifier' || left.type === 'subscript' || left.type === 'attribute') {
      this.prepareMutation(left, f);
      const current = this.eval(left, f);
      const inPlace = ((op === '+' || op === '*') && current.kind === 'list') || (op === '|' && current.kind === 'dict');
      if (current.aliasOf && (op === '+' || op === '*' || op === '|')) this.mutatingAliases(current, f);
      if (inPlace) this.mutating(current, f);
      if (this.tracker !== undefined && (f.uncertain === 0 || f.locals) && inPlace)
        this.tracker.mutate(current, f.locals ? undefined : this.rootName(left));
      // In-place list extension keeps identity (aliases see it, as in Python).
      if (op === '+' && current.kind === 'list') {
        const items = this.iterate(rhs);
        if (items && current.items.length + items.length > V.MAX_ITEMS) {
          const big = V.tooLarge('a list', this.loc(node, f), 'list');
          this.noteTooLarge(f, big);
          this.assign(left, big, f, stmt);
          return;
        }
        if (items) {
          V.pushAll(current.items, items);
          this.spend(current);
          return;
        }
        // extended by what cannot be read (`ALLOWED_HOSTS += REALM_HOSTS.values()`): the same list,
        // as in Python (aliases see it), its items then unreadable ones, as `list + unknown` is
        // made (binop) but in place
        if (rhs.kind === 'unknown' && !rhs.tooLarge && (rhs.type === undefined || ITERABLE_TYPES.has(rhs.type))) {
          current.items.push(V.unreadableItems([rhs], `a list concatenated with ${rhs.reason}`, this.loc(node, f)));
          current.optional = true;
          if (current.origin === 'literal' || current.origin === 'default') current.origin = 'derived';
          this.spend(current);
          return;
        }
      }
      // `L *= n` repeats the list in place (aliases see it, as in Python)
      if (op === '*' && current.kind === 'list' && (rhs.kind === 'int' || rhs.kind === 'bool')) {
        const n = Math.max(0, Number(rhs.v));
        if (current.items.length * n > V.MAX_ITEMS) {
          const big = V.tooLarge('a list', this.loc(node, f), 'list');
          this.noteTooLarge(f, big);
          this.assign(left, big, f, stmt);
          return;
        }
        const once = [...current.items];
        current.items.length = 0;
        for (let i = 0; i < n; i++) V.pushAll(current.items, once);
        if (current.origin === 'literal') current.origin = 'derived';
        this.spend(current);
        return;
      }
      if (op === '|' && current.kind === 'dict' && rhs.kind === 'dict') {
        rhs.keys.forEach((k, i) => V.dictSet(current, k, rhs.values[i]!));
        if (rhs.partial) current.partial = true;
        return;
      }
      const result = this.binop(op, current, rhs, this.loc(node, f), f);
      this.assign(left, result, f, stmt);
    }
  }

  protected execIf(node: PyNode, f: Frame): Signal {
    const cond = field(node, 'condition');
    const consequence = blockOf(field(node, 'consequence'));
    const alternatives = fields(node, 'alternative');
    return this.execIfChain(cond, consequence, alternatives, f, node);
  }

  protected execIfChain(cond: PyNode | undefined, body: readonly PyNode[], rest: PyNode[], f: Frame, node: PyNode): Signal {
    if (!cond) return undefined;
    const value = this.eval(cond, f);
    let t = V.truthy(value);
    const restBody = (): Signal => {
      const [next, ...more] = rest;
      if (!next) return undefined;
      if (next.type === 'else_clause') return this.execBlock(blockOf(field(next, 'body') ?? next), f);
      return this.execIfChain(field(next, 'condition'), blockOf(field(next, 'consequence')), more, f, next);
    };
    // `if not SECRET_KEY: raise …` on an environment default: Django cannot start without the
    // variable, so it is in effect required — treat the lookup as required, not as its default.
    if (t !== undefined && value.origin === 'env-default') {
      const chosen = t
        ? body
        : rest.length > 0
          ? blockOf(rest[0]!.type === 'else_clause' ? (field(rest[0]!, 'body') ?? rest[0]!) : field(rest[0]!, 'consequence'))
          : [];
      // …unless an enclosing try catches what it raises and goes on (`try: … if DEBUG: … else: raise
      // Exception(…) except Exception: pass`): then the branch is only taken, as Python takes it
      this.lookedAt(f, chosen);
      const raised = this.raisedClass(chosen);
      if (this.alwaysRaises(chosen) && rest.length <= 1 && !(raised !== undefined && this.envFailureHandled(f, [raised]))) {
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
        // …and when an argument carries the variable's default (`strtobool(os.environ.get("X") or
        // "False")` deciding `if val in ("n", "no", …): return 0`)
        const related = envs.filter((e) => {
          const at = this.variableRead(elsewhere, e.name, f);
          if (at !== undefined) {
            // (what found it is marked read: an edit elsewhere cannot undo it)
            const cut = condStart - f.fnRange!.start;
            if (at.start < cut && at.end > cut) this.lookedAll(f);
            else if (at.start < cut) this.looked(f, f.fnRange!.start + at.start - 1, f.fnRange!.start + at.end + 1);
            else this.looked(f, condEnd + at.start - cut - 1, condEnd + at.end - cut + 1);
            return true;
          }
          if (f.argEnv?.some((a) => a.name === e.name)) return true;
          // (nothing found: any text of the body might have been)
          this.lookedAll(f);
          return false;
        });
        if (related.length > 0)
          f.envDefaultReturn = [
            ...(f.envDefaultReturn ?? []),
            ...related.filter((e) => !f.envDefaultReturn?.some((x) => x.name === e.name)),
          ];
      }
      const elseBlock = rest.length === 1 && rest[0]!.type === 'else_clause' ? blockOf(field(rest[0]!, 'body') ?? rest[0]!) : undefined;
      const [block, other] = t ? [body, elseBlock] : [elseBlock, body];
      const otherText = other && other.length > 0 ? f.text.slice(f.base + other[0]!.start, f.base + other[other.length - 1]!.end) : '';
      if (block && !f.locals && envs.some((e) => mentionsVar(otherText, e.name))) {
        const { result: sig, written } = f.scope.recording(() => this.execBlock(block, f));
        this.markEnvDefaults(written, block, envs, f, otherText);
        return sig;
      }
    }
    // decided by environment defaults: the other branch runs when the deployment sets them
    if (t !== undefined && value.origin === 'env-default' && value.env?.length)
      this.shadowRun(t ? () => restBody() : () => this.execBlock(body, f), value.env, f, identifiersIn(cond));
    if (t === true) return this.execBlock(body, f);
    if (t === false) return restBody();
    t = undefined;
    return this.branch(
      [
        () => {
          this.narrowNames(cond, f);
          return this.execBlock(body, f);
        },
        restBody,
      ],
      f,
      `depends on \`${this.clip(this.src(cond, f))}\`, which the analysis cannot decide`,
      node,
    );
  }

  /**
   * In the branch a condition selects, an unknown string it tests (`key.startswith("AWS_")`,
   * `"APP_" in key`, `key == "X"`, `key in ("A", "B")`, `key.isupper()`, joined by `and`) can only be
   * a name that passes the test: it is rebound, for that branch, to an unknown that says so.
   */
  protected narrowNames(cond: PyNode, f: Frame): void {
    const tests = new Map<string, V.NameSet[]>();
    const add = (id: PyNode | undefined, set: V.NameSet): void => {
      if (id?.type !== 'identifier' || !id.text) return;
      tests.set(id.text, [...(tests.get(id.text) ?? []), set]);
    };
    const strings = (n: PyNode | undefined): string[] | undefined => {
      // literals and names only: evaluating them again has no effect
      if (!n || !['string', 'concatenated_string', 'tuple', 'list', 'set', 'identifier'].includes(n.type)) return undefined;
      const v = this.eval(n, f);
      if (v.kind === 'str') return [v.v];
      const items = v.kind === 'tuple' || v.kind === 'list' || v.kind === 'set' ? this.iterate(v) : undefined;
      return items?.every((i) => i.kind === 'str') ? items.map((i) => (i as V.StrValue).v) : undefined;
    };
    const quoted = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(' or ');
    const walk = (n: PyNode): void => {
      if (n.type === 'parenthesized_expression') {
        const inner = namedChildren(n)[0];
        if (inner) walk(inner);
      } else if (n.type === 'boolean_operator') {
        if (n.children.some((c) => !c.named && c.text === 'and')) for (const c of namedChildren(n)) walk(c);
      } else if (n.type === 'call') {
        const fn = field(n, 'function');
        const args = namedChildren(field(n, 'arguments') ?? n).filter((a) => a.type !== 'comment');
        if (fn?.type !== 'attribute') return;
        const method = field(fn, 'attribute')?.text;
        const obj = field(fn, 'object');
        if (method === 'isupper' && args.length === 0) add(obj, { desc: 'upper-case names', test: V.isUpperName });
        const xs = method === 'startswith' || method === 'endswith' ? strings(args[0]) : undefined;
        if (!xs || args.length !== 1) return;
        add(
          obj,
          method === 'startswith'
            ? { desc: `names that start with ${quoted(xs)}`, test: (name) => xs.some((x) => name.startsWith(x)) }
            : { desc: `names that end with ${quoted(xs)}`, test: (name) => xs.some((x) => name.endsWith(x)) },
        );
      } else if (n.type === 'comparison_operator') {
        const parts = namedChildren(n);
        const ops = n.children.filter((c) => !c.named).map((c) => c.text);
        if (parts.length !== 2 || ops.length !== 1) return;
        const [a, b] = parts as [PyNode, PyNode];
        if (ops[0] === '==') {
          const [id, lit] = a.type === 'identifier' ? [a, b] : [b, a];
          const xs = strings(lit);
          if (xs?.length === 1) add(id, { desc: `the name ${quoted(xs)}`, test: (name) => name === xs[0] });
        } else if (ops[0] === 'in') {
          const xs = strings(a);
          if (b.type === 'identifier' && xs?.length === 1)
            add(b, { desc: `names that contain ${quoted(xs)}`, test: (name) => name.includes(xs[0]!) });
          else if (a.type === 'identifier') {
            const ys = strings(b);
            if (ys) add(a, { desc: `the names ${quoted(ys)}`, test: (name) => ys.includes(name) });
          }
        }
      }
    };
    walk(cond);
    for (const [name, sets] of tests) {
      const current = this.boundValue(name, f);
      if (current?.kind !== 'unknown') continue;
      const all = current.names ? [current.names, ...sets] : sets;
      const names: V.NameSet = { desc: all.map((s) => s.desc).join(' and '), test: (n) => all.every((s) => s.test(n)) };
      const narrowed: Value = { ...current, type: 'str', names };
      if (f.locals?.has(name)) f.locals.set(name, narrowed);
      else if (!f.locals && f.scope.get(name)) f.scope.set(name, { ...f.scope.get(name)!, value: narrowed });
    }
  }

  /**
   * Where code text reads an environment variable: names it as a string literal, or uses a local
   * variable of the inlined function that holds its name (`os.environ[name]`). The first range found.
   */
  protected variableRead(text: string, name: string, f: Frame): { readonly start: number; readonly end: number } | undefined {
    const quoted = mentionOf(text, name);
    if (quoted !== undefined || !f.locals) return quoted;
    for (const [local, v] of f.locals) {
      if (v.kind !== 'str' || v.v !== name) continue;
      // the local used as a name: not part of a longer identifier, not an attribute
      for (let i = text.indexOf(local); i >= 0; i = text.indexOf(local, i + 1)) {
        const before = i > 0 ? text[i - 1]! : ' ';
        const after = text[i + local.length] ?? ' ';
        if (!/[\w.]/.test(before) && !/\w/.test(after)) return { start: i, end: i + local.length };
      }
    }
    return undefined;
  }

  protected execTry(node: PyNode, f: Frame): Signal {
    const body = blockOf(field(node, 'body'));
    const handlers = node.children.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const elseClause = node.children.find((c) => c.type === 'else_clause');
    const finallyClause = node.children.find((c) => c.type === 'finally_clause');
    for (const h of handlers) this.looked(f, f.base + h.start, f.base + h.end);
    const caught = handlers.map((h) => this.handlerNames(h, f));
    f.catching.push(handlers.map((h, i) => ({ names: caught[i]!, reraises: this.alwaysRaises(blockOf(h)) })));
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
        if (finallyClause) this.execBlock(blockOf(finallyClause), f);
        throw raised;
      }
      const handler = handlers[i]!;
      const alias = this.handlerAlias(handler);
      if (alias) this.bind(alias, V.object('exception:' + raised.exc), f);
      const block = blockOf(handler);
      // `except KeyError: X = "fallback"` after an environment lookup: the fallback is what
      // production gets when the variable is not set, i.e. the lookup's default.
      if (raised.env && !f.locals) {
        const env = raised.env;
        const { result, written } = f.scope.recording(() => this.execBlock(block, f));
        sig = result;
        this.markEnvDefaults(written, block, [{ ...env, hasDefault: true }], f, this.src(field(node, 'body') ?? node, f));
      } else sig = this.execBlock(block, f);
    } else if (!sig && elseClause) {
      sig = this.execBlock(blockOf(field(elseClause, 'body') ?? elseClause), f);
    }
    if (finallyClause) {
      const fs = this.execBlock(blockOf(finallyClause), f);
      if (fs) return fs;
    }
    return sig;
  }

  /** A block that ends in a raise (or sys.exit) whatever happens before: it never completes. */
  protected alwaysRaises(block: readonly PyNode[]): boolean {
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
  protected markEnvDefaults(
    written: Map<string, Binding | undefined>,
    block: readonly PyNode[],
    env: readonly V.EnvRef[],
    f: Frame,
    otherText: string,
  ): void {
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
      if (!assignsName(otherText, name)) continue;
      f.scope.set(name, { ...b, value: { ...v, origin: 'env-default', env: [...related, ...(v.env ?? [])] } });
    }
  }

  protected handlerNames(handler: PyNode, f: Frame): string[] {
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

  protected handlerAlias(handler: PyNode): string | undefined {
    const value = handler.children.find((c) => c.type === 'as_pattern');
    const target = value ? field(value, 'alias') : undefined;
    const id = target ? (target.type === 'identifier' ? target : namedChildren(target)[0]) : undefined;
    return id?.text ?? undefined;
  }

  protected execRaise(node: PyNode, f: Frame): Signal {
    const expr = namedChildren(node)[0];
    let exc = 'Exception';
    if (expr) {
      const callee = expr.type === 'call' ? field(expr, 'function') : expr;
      if (callee?.type === 'identifier' && callee.text) exc = callee.text;
      else if (callee?.type === 'attribute') exc = field(callee, 'attribute')?.text ?? exc;
    }
    throw new PyRaise(exc, this.loc(node, f));
  }

  protected execFor(node: PyNode, f: Frame): Signal {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const body = blockOf(field(node, 'body'));
    const elseClause = field(node, 'alternative');
    if (!left || !right) return undefined;
    const iterable = this.eval(right, f);
    // the namespace itself (`for k in globals()`, `globals().items()`): at the top level the loop
    // variable is a new global, and Python raises RuntimeError (dictionary changed size during
    // iteration) on the next item, so the loop is not followed there
    const live = iterable.kind === 'object' && (iterable.tag === 'globals' || iterable.tag === 'globals-view');
    const items = live && !f.locals ? undefined : this.iterate(iterable);
    if (!items || items.length > MAX_LOOP_ITERATIONS) {
      return this.execUncertainBody(body, f, `a loop over \`${this.clip(this.src(right, f))}\``, node, left);
    }
    const elseBody = elseClause ? blockOf(field(elseClause, 'body') ?? elseClause) : [];
    if (!live) return this.runIterations(items, 0, left, body, elseBody, f, node);
    const names = f.scope.vars.size;
    const sig = this.runIterations(items, 0, left, body, elseBody, f, node);
    // the body bound a new global while the loop ran over the namespace: Python stops with a
    // RuntimeError there, which the analysis does not follow
    if (f.scope.vars.size !== names)
      this.taintAll(f, 'a loop over the namespace binds names while it runs (Python raises RuntimeError there)', this.loc(node, f));
    return sig;
  }

  /** Runs loop iterations from `start`; after a `break` that only some paths take, the rest may not run. */
  protected runIterations(
    items: readonly Value[],
    start: number,
    left: PyNode,
    body: readonly PyNode[],
    elseBody: readonly PyNode[],
    f: Frame,
    node: PyNode,
    depth = 0,
  ): Signal {
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
  protected execUncertainBody(body: readonly PyNode[], f: Frame, what: string, node: PyNode, loopVar?: PyNode): Signal {
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
      // a body that may run any number of times may add any number of items, each unreadable (a
      // later run may add other values than the first): the items already there stay certain
      'repeated',
    );
    // a loop absorbs its own break and continue; a return may still leave the function
    if (!loopVar && node.type !== 'while_statement') return sig;
    if (sig?.kind === 'return' || (sig?.kind === 'uncertain' && sig.mayReturn)) return { kind: 'uncertain', mayReturn: true };
    return undefined;
  }

  protected execWith(node: PyNode, f: Frame): Signal {
    const clause = node.children.find((c) => c.type === 'with_clause');
    // `with contextlib.suppress(ImportError):` is `try: … except ImportError: pass`
    const suppressed: string[] = [];
    for (const item of clause ? namedChildren(clause) : []) {
      const value = field(item, 'value') ?? namedChildren(item)[0];
      if (!value) continue;
      const callee = value.type === 'call' ? field(value, 'function') : undefined;
      if (callee) {
        const fn = this.eval(callee, f);
        if (fn.kind === 'unknown' && fn.ext === 'contextlib.suppress') {
          const argsNode = field(value, 'arguments');
          const args = argsNode ? namedChildren(argsNode).filter((a) => a.type !== 'comment') : [];
          for (const a of args) {
            if (a.type === 'identifier' && a.text) suppressed.push(a.text);
            else if (a.type === 'attribute') suppressed.push(field(a, 'attribute')?.text ?? '*');
            else suppressed.push('*'); // `suppress(*errors)`: any exception, as far as the analysis knows
          }
          continue;
        }
      }
      if (value.type === 'as_pattern') {
        const expr = namedChildren(value)[0];
        const alias = field(value, 'alias');
        const v = expr ? this.eval(expr, f) : V.unknown('with-statement value');
        const target = alias ? (alias.type === 'as_pattern_target' ? namedChildren(alias)[0] : alias) : undefined;
        if (target) this.assign(target, v, f, node);
      } else this.eval(value, f);
    }
    const body = blockOf(field(node, 'body'));
    if (suppressed.length === 0) return this.execBlock(body, f);
    f.catching.push([{ names: suppressed, reraises: false }]);
    const depth = this.exprDepth;
    try {
      return this.execBlock(body, f);
    } catch (e) {
      this.exprDepth = depth;
      // the exception ends the block; what ran before it stays, as in Python
      if (e instanceof PyRaise && suppressed.some((n) => excMatches(e.exc, n))) return undefined;
      throw e;
    } finally {
      f.catching.pop();
    }
  }

  protected execDelete(node: PyNode, f: Frame): void {
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
        // (with the frame: a name a branch may have rebound makes the container it may be uncertain)
        this.mutating(c, f);
        if (this.tracker !== undefined && (f.uncertain === 0 || f.locals))
          this.tracker.mutate(c, f.locals ? undefined : this.rootName(containerNode));
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

  protected sliceBounds(node: PyNode, f: Frame, len: number): { start: number; stop: number; step: number } | undefined {
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

  protected defineFunction(node: PyNode, f: Frame, decorated: boolean, classMethod = false): void {
    const name = field(node, 'name')?.text;
    if (!name) return;
    if (decorated) {
      this.bind(name, V.unknown(`${name} is a decorated function`), f, this.loc(node, f), this.loc(node, f));
      return;
    }
    const params = this.parseParams(field(node, 'parameters'), f);
    const body = blockOf(field(node, 'body'));
    const fn = V.object('user-fn', {
      name,
      params,
      body,
      file: f.file,
      text: f.text,
      base: f.base,
      mod: f.mod,
      scope: f.scope,
      expr: undefined,
      classMethod: classMethod || undefined,
      method: f.inClass || undefined,
      reach: { ran: new Set(), seen: [], whole: false },
    } satisfies UserFn);
    this.tracker?.defined(fn);
    this.bind(name, fn, f, this.loc(field(node, 'name')!, f), this.loc(node, f));
  }

  protected parseParams(node: PyNode | undefined, f: Frame): Param[] {
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

  protected defineClass(node: PyNode, f: Frame): void {
    const name = field(node, 'name')?.text;
    if (!name) return;
    // django-configurations: the settings are the attributes of the class DJANGO_CONFIGURATION
    // names when Django starts (with the module-level names); the module's classes are read, and
    // the one production runs is chosen when the module is done (finishModule).
    const bases = field(node, 'superclasses');
    let configurations = false;
    const baseClasses: ClassData[] = [];
    const baseValues: Value[] = [];
    for (const b of bases ? namedChildren(bases) : []) {
      if (b.type === 'keyword_argument') continue;
      const v = this.eval(b, f);
      baseValues.push(v);
      if (v.kind === 'object' && v.tag === 'user-class') baseClasses.push(v.data as ClassData);
      if (
        (v.kind === 'unknown' && v.ext && /^configurations(\.|$)/.test(v.ext)) ||
        (v.kind === 'object' && v.tag === 'user-class' && (v.data as ClassData).configurations)
      )
        configurations = true;
    }
    // a class at module level: its body runs now, as in Python; what it binds are its attributes,
    // over those of its bases (the first base wins, as in the MRO of simple hierarchies)
    let attrs: Map<string, Value> | undefined;
    if (!f.locals && this.shadowDepth === 0) {
      const own = this.runClassBody(node, f);
      if (own && baseClasses.every((c) => c.attrs)) {
        attrs = new Map();
        for (const c of [...baseClasses].reverse()) for (const [k, v] of c.attrs!) attrs.set(k, v);
        for (const [k, v] of own) attrs.set(k, v);
      }
    }
    // Enum classes: their members (classes.ts)
    const data: ClassData = {
      ...(attrs ? classKind(name, attrs, baseValues, this.loc(node, f)) : {}),
      name,
      configurations,
      attrs,
      loc: this.loc(node, f),
    };
    if (configurations && !f.locals)
      (this.configurationClasses.get(f.mod) ?? this.configurationClasses.set(f.mod, []).get(f.mod)!).push(data);
    const cls = V.object('user-class', data);
    this.tracker?.defined(cls);
    this.bind(name, cls, f, this.loc(field(node, 'name')!, f), this.loc(node, f));
  }

  /** The names a class body binds (methods included), or undefined when it cannot be read. */
  protected runClassBody(node: PyNode, f: Frame): Map<string, Value> | undefined {
    const locals = new Map<string, Value>();
    // functions defined here are methods (Frame.inClass)
    const frame = nestedFrame(f, f, locals, [], undefined, true);
    const depth = this.exprDepth;
    try {
      const sig = this.execBlock(blockOf(field(node, 'body')), frame);
      if (sig) return undefined;
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      this.exprDepth = depth;
      return undefined;
    }
    return locals;
  }

  /**
   * At the end of a module with django-configurations classes: the class production runs — named
   * by DJANGO_CONFIGURATION in the deployment's environment, else the one named Production (or
   * Prod, Live) — gives its upper-case attributes as settings. When none can be chosen or read,
   * the settings are unknown, with one note for the construct.
   */
  protected finishModule(f: Frame): void {
    const classes = this.configurationClasses.get(f.mod);
    if (!classes || classes.length === 0) return;
    const env = this.envValues.get('DJANGO_CONFIGURATION');
    const wanted = env?.kind === 'str' ? env.v : undefined;
    const chosen = wanted ? classes.find((c) => c.name === wanted) : classes.find((c) => /^(?:production|prod|live)$/i.test(c.name));
    if (chosen?.attrs) {
      for (const [k, v] of chosen.attrs) {
        if (!V.isUpperName(k) || !/^[A-Z]/.test(k)) continue;
        const value = configurationsSetting(k, v);
        f.mod.scope.set(k, { value, target: value.loc ?? chosen.loc, stmt: value.loc ?? chosen.loc });
      }
      return;
    }
    const first = classes[0]!;
    const why = wanted
      ? `DJANGO_CONFIGURATION names ${wanted}, which is not a django-configurations class the analysis could read here`
      : 'no deployment file names DJANGO_CONFIGURATION and no class is named Production';
    this.taintAll(
      f,
      `the settings are attributes of django-configurations classes such as ${first.name}, chosen by DJANGO_CONFIGURATION when Django starts (${why})`,
      first.loc,
      V.isUpperName,
    );
  }

  protected callUserFunction(fn: V.ObjectValue, args: CallArgs, f: Frame, loc: Loc): Value {
    const d = fn.data as UserFn;
    if (f.callDepth >= MAX_CALL_DEPTH) return V.unknown(`the result of ${d.name}() (calls nested too deep)`, loc);
    // a class method reached through its class is given the class first
    if (d.bound) args = { ...args, pos: [d.bound, ...args.pos] };
    const locals = new Map<string, Value>();
    let i = 0;
    for (const p of d.params) {
      if (p.kind === 'star') {
        locals.set(p.name, V.seq('tuple', args.pos.slice(i)));
        i = args.pos.length;
      } else if (p.kind === 'kwstar') {
        locals.set(
          p.name,
          V.dict(
            [...args.kw.keys()].map((k) => V.str(k)),
            [...args.kw.values()],
          ),
        );
      } else {
        const v = i < args.pos.length ? args.pos[i++] : (args.kw.get(p.name) ?? p.default);
        locals.set(p.name, v ?? V.unknown(`parameter ${p.name} of ${d.name}()`));
      }
    }
    if (args.unknownSplat) for (const p of d.params) if (!args.kw.has(p.name)) locals.set(p.name, V.unknown(`an argument of ${d.name}()`));
    const frame = nestedFrame(f, d, locals, [], argumentDefaults(args), false);
    const first = d.expr ?? d.body[0];
    const last = d.expr ?? d.body[d.body.length - 1];
    if (first && last) frame.fnRange = { start: d.base + first.start, end: d.base + last.end, reach: d.reach };
    let out: Value;
    if (d.expr) out = this.eval(d.expr, frame);
    else {
      const pending = frame.pendingReturns!;
      const depth = this.exprDepth;
      let results: Value[];
      try {
        const sig = this.execBlock(d.body, frame);
        results = [...pending, sig?.kind === 'return' ? sig.value : V.none('derived', loc)];
      } catch (e) {
        // the paths that went on all raise (`for m in Mode: if m.value == v: return m` then
        // `raise`): a running system took one of the paths that returned earlier
        if (!(e instanceof PyRaise) || pending.length === 0) throw e;
        this.exprDepth = depth;
        results = pending;
      }
      // some paths returned earlier: the result is one of those values or this one
      out =
        results.length > 1
          ? mergeValues(results, `the result of ${d.name}() depends on a condition the analysis cannot decide`, loc)
          : results[0]!;
    }
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
  protected atCallSite(v: Value, frame: Frame, args: CallArgs, loc: Loc): Value {
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
}

/**
 * A frame for code run inside `f` (a function's body, a class body) in the module `at` was
 * written in, with every field in one order (one hidden class for all frames).
 */
function nestedFrame(
  f: Frame,
  at: Pick<Frame, 'mod' | 'file' | 'text' | 'base' | 'scope'>,
  locals: Map<string, Value>,
  pendingReturns: Value[] | undefined,
  argEnv: V.EnvRef[] | undefined,
  inClass: boolean,
): Frame {
  return {
    mod: at.mod,
    file: at.file,
    text: at.text,
    base: at.base,
    scope: at.scope,
    locals,
    globalsDeclared: undefined,
    comp: [],
    pendingReturns,
    uncertain: f.uncertain,
    cow: new Set(),
    api: undefined,
    catching: [...f.catching],
    callDepth: f.callDepth + 1,
    fnRange: undefined,
    envDefaultReturn: undefined,
    argEnv,
    inClass,
  };
}

/** The environment lookups whose defaults the arguments of a call are (or are computed from). */
function argumentDefaults(args: CallArgs): V.EnvRef[] | undefined {
  let out: V.EnvRef[] | undefined;
  const add = (v: Value): void => {
    if (v.origin !== 'env-default' || !v.env) return;
    for (const e of v.env) if (!out?.some((o) => o.name === e.name)) (out ??= []).push(e);
  };
  for (const a of args.pos) add(a);
  if (args.kw.size > 0) for (const a of args.kw.values()) add(a);
  return out;
}

/** Whether a call passes the name of an environment variable (`envbool("DEBUG", "True")`). */
function namesVariable(args: CallArgs, name: string): boolean {
  for (const a of args.pos) if (a.kind === 'str' && a.v === name) return true;
  if (args.kw.size > 0) for (const a of args.kw.values()) if (a.kind === 'str' && a.v === name) return true;
  return false;
}

/** The names an expression reads (`SENTRY_DSN` in `if SENTRY_DSN and not DEBUG:`), for narrowing. */
function identifiersIn(node: PyNode): string[] {
  const out: string[] = [];
  const walk = (n: PyNode): void => {
    if (n.type === 'identifier') {
      if (n.text) out.push(n.text);
      return;
    }
    if (n.type === 'attribute') {
      const obj = field(n, 'object');
      if (obj) walk(obj);
      return;
    }
    for (const c of n.children) if (c.named) walk(c);
  };
  walk(node);
  return out;
}

/**
 * Whether a container is held inside another container the bindings visited reach (a bounded
 * search: 20,000 items in all, 8 levels deep; past them it is not found).
 */
class HeldInside {
  found = false;
  private budget = 20_000;
  private readonly seen = new Set<Value>();
  constructor(private readonly target: Value) {}

  visitBinding(v: Value): void {
    if (this.found) return;
    if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set' || v.kind === 'dict') this.found = this.walk(v, 0);
    else this.budget--;
  }

  private walk(v: Value, depth: number): boolean {
    if (this.budget-- <= 0 || depth > 8 || this.seen.has(v)) return false;
    this.seen.add(v);
    const parts = v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set' ? v.items : v.kind === 'dict' ? v.values : undefined;
    if (!parts) return false;
    for (const p of parts) {
      if (p === this.target) return true;
      if (p.kind === 'list' || p.kind === 'tuple' || p.kind === 'set' || p.kind === 'dict') {
        if (this.walk(p, depth + 1)) return true;
      } else this.budget--; // an item holding nothing costs what one step into it would
    }
    return false;
  }
}
