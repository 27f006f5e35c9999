// Results computed from a value and everything in it, kept across analyses while the value is the
// same object and none of the containers in it has changed in place since. The language server
// analyses again after each keystroke, and most of the values the settings hold are the same
// objects as the time before (a module being typed into re-runs only the edited statement, and is
// given without a copy when nothing imports it: moduleCache.ts), so what is computed from every
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

/** More results than this on one container: all are dropped (so that the lists stay short). */
const MAX_DEPENDENTS = 16;

/** A container changed in place: what was computed from it is stale. */
export function changed(container: Value): void {
  const d = dependents.get(container);
  if (d === undefined) return;
  for (const e of d) e.stale = true;
  dependents.delete(container);
}

/** Results computed from values, by value (the same object) and a key (what else they depend on). */
export class ValueMemo<T> {
  private readonly entries = new WeakMap<Value, Map<string, Entry & { readonly result: T }>>();

  /**
   * compute()'s result for `v` and `key`, computed again only when `v` is another object or a
   * container it read changed since. compute() must depend on nothing but `v` (and `key`), and
   * must call `uses` with every container whose items, keys or values it read.
   */
  get(v: Value, key: string, compute: (uses: (container: Value) => void) => T): T {
    let byKey = this.entries.get(v);
    const kept = byKey?.get(key);
    if (kept !== undefined && !kept.stale) return kept.result;
    const containers: Value[] = [];
    const result = compute((c) => containers.push(c));
    const entry = { stale: false, result };
    for (const c of containers) {
      let d = dependents.get(c);
      if (d === undefined) dependents.set(c, (d = []));
      else if (d.length >= MAX_DEPENDENTS) {
        for (const e of d) e.stale = true;
        d.length = 0;
      }
      d.push(entry);
    }
    if (byKey === undefined) this.entries.set(v, (byKey = new Map()));
    byKey.set(key, entry);
    return result;
  }
}
