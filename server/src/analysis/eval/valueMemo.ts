// Results computed from a value and everything in it, kept across analyses while the value is the
// same object and none of the containers in it has changed in place since. The language server
// analyses again after each keystroke, and most of the values the settings hold are the same
// objects as the time before (a module being typed into re-runs only the edited statement, and is
// given without a copy when nothing imports it: reuse/moduleCache.ts), so what is computed from every
// setting's value after each keystroke (the secrets to mask, DDH103's credentials) need not be
// computed again for the ones that did not change.
//
// The evaluator calls changed() wherever it changes a container in place (an item or key assigned
// or deleted, `+=` on a list, `|=` on a dict, a mutating method such as append or update): what was
// computed from that container is dropped. Scalars never change once made.
import type { Value } from './values';

interface Entry {
  stale: boolean;
}

/** For each container, the results computed from it (that it makes stale when it changes). */
const dependents = new WeakMap<object, Entry[]>();

/** Keys kept by one memo (a workspace's settings names, with room to spare); past it the memo starts again. */
const MAX_KEYS = 50_000;

/** More results than this on one container: all are dropped (so that the lists stay short). */
const MAX_DEPENDENTS = 16;

/** A container changed in place: what was computed from it is stale. */
export function changed(container: Value): void {
  const d = dependents.get(container);
  if (d === undefined) return;
  for (const e of d) e.stale = true;
  dependents.delete(container);
}

interface Slot<T> extends Entry {
  readonly value: Value;
  readonly result: T;
  /** It read containers (that may make it stale). */
  readonly watched: boolean;
}

/** What a memo keeps for a value: computed from the value and the key, telling `uses` every container read. */
export type Compute<T> = (v: Value, key: string, uses: (container: Value) => void) => T;

/**
 * Results computed from values, by a key (what else they depend on, such as the setting's name)
 * and the value (the same object). One value is kept per key: the latest.
 */
export class ValueMemo<T> {
  private readonly entries = new Map<string, Slot<T>>();
  /**
   * The last pass (see pass()), by position: the keys, values and results side by side, so that
   * a pass that meets the same values in the same order compares two pointers per value.
   */
  private readonly order = { keys: [] as string[], values: [] as Value[], results: [] as T[], slots: [] as Slot<T>[] };

  /**
   * compute()'s result for `v` and `key`, computed again only when `v` is another object than the
   * last time for `key`, or a container it read changed since. compute() must depend on nothing
   * but `v` and `key` (which it is given: a function made once, not a closure per value), and must
   * call `uses` with every container whose items, keys or values it read.
   */
  get(v: Value, key: string, compute: Compute<T>): T {
    return this.slot(v, key, compute).result;
  }

  /**
   * get() for a pass over many values, such as every setting after each keystroke: the value met
   * at the same position of the last pass, under the same key, is found without a lookup by key.
   * The answers are get()'s: the position only says where to look first.
   */
  pass(): (v: Value, key: string, compute: Compute<T>) => T {
    let i = 0;
    const { keys, values, results, slots } = this.order;
    return (v, key, compute) => {
      const at = i++;
      if (values[at] === v && keys[at] === key) {
        const s = slots[at]!;
        if (!s.watched || !s.stale) return results[at]!;
      }
      const s = this.slot(v, key, compute);
      if (at < MAX_KEYS) {
        keys[at] = key;
        values[at] = v;
        results[at] = s.result;
        slots[at] = s;
      }
      return s.result;
    };
  }

  private slot(v: Value, key: string, compute: Compute<T>): Slot<T> {
    const kept = this.entries.get(key);
    if (kept !== undefined && kept.value === v && !kept.stale) return kept;
    const containers: Value[] = [];
    const result = compute(v, key, (c) => containers.push(c));
    const slot: Slot<T> = { stale: false, value: v, result, watched: containers.length > 0 };
    depend(slot, containers);
    if (this.entries.size >= MAX_KEYS && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, slot);
    return slot;
  }
}

/** `entry` is made stale when any of `containers` changes in place. */
function depend(entry: Entry, containers: readonly Value[]): void {
  for (const c of containers) {
    let d = dependents.get(c);
    if (d === undefined) dependents.set(c, (d = []));
    else if (d.length >= MAX_DEPENDENTS) {
      for (const e of d) e.stale = true;
      d.length = 0;
    }
    d.push(entry);
  }
}

interface Inner<T> extends Entry {
  readonly key: string;
  readonly result: T;
  readonly containers: readonly Value[];
}

/**
 * Results computed from the containers met while walking a value (the groups of a FEATURES-style
 * dict), each kept while it is the same object and nothing in it changed in place. When a statement
 * replaces one group (`FEATURES["G"] = {…}`), the walk of the whole setting is done again, but the
 * groups it did not replace are not walked again. One result per container: the latest key.
 */
export class NestedMemo<T> {
  private readonly entries = new WeakMap<Value, Inner<T>>();

  /**
   * compute()'s result for `container` under `key` (what else it depends on: the walk's context),
   * computed again only when a container it read changed in place since. The walk's own `uses` is
   * told every container the result was computed from, kept or not, as if it had read them itself.
   */
  get(container: Value, key: string, uses: (container: Value) => void, compute: (uses: (container: Value) => void) => T): T {
    let e = this.entries.get(container);
    if (e === undefined || e.key !== key || e.stale) {
      const containers: Value[] = [];
      const result = compute((c) => containers.push(c));
      e = { stale: false, key, result, containers };
      depend(e, containers);
      this.entries.set(container, e);
    }
    for (const c of e.containers) uses(c);
    return e.result;
  }
}
