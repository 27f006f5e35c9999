// Lending: a kept evaluation is given to the next analysis as the same objects, not a copy; what
// that analysis does to them (the module importing them extends their lists, binds names in their
// namespaces, calls their functions, which add calls and notes) is recorded as it happens, and put
// back before they are used again (undo).
import type { CallRecord, EvalNote, ModuleResult, Scope } from '../eval/scope';
import { changed } from '../eval/valueMemo';
import type { Value } from '../eval/values';

/** What an evaluation added to a lent module (its functions called: their calls, notes and files). */
export interface Added {
  readonly calls: readonly CallRecord[];
  readonly notes: readonly EvalNote[];
  readonly files: readonly string[];
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
export class Lending {
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
  onlyAdded(mod: ModuleResult): Added | undefined {
    if (this.containers.size > 0) return undefined;
    let out: Added | undefined;
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
