// Assignments and in-place changes: `=` to names, unpacked targets, subscripts and attributes;
// `+=` and the other augmented assignments (a list extended in place keeps its identity, as in
// Python); `del`; and the copy-on-write that keeps a change made in an undecidable branch out of
// the other branch (prepareMutation). Each in-place change is reported (mutating; a tracked
// module's tracker learns the name it was reached through).
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import type { GlobalsData } from './library/namespace';
import type { Binding } from './scope';
import * as V from './values';
import type { Value } from './values';
import type { Frame } from './frame';
import { ImportEvaluator } from './imports';

/** The types of unknown values a list can be extended by (`list += x` takes any iterable). */
const ITERABLE_TYPES: ReadonlySet<string> = new Set(['str', 'list', 'tuple', 'dict']);

export abstract class AssignmentEvaluator extends ImportEvaluator {
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
      else this.taintByName(f, 'globals() is assigned', key, this.loc(target, f), value);
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
