// Memos keyed by objects made for one analysis (its Settings, its app-server model), dropped when
// the next analysis starts.
//
// A WeakMap that lives from one analysis to the next and gets a new key on each is worse than it
// looks. Once it has survived two young-generation collections it sits in V8's old generation, and
// its young entries are then kept alive by each young collection whatever their keys (the
// collector treats an old table's values as live, and only a full collection clears them). So
// every analysis's memo values, and everything reachable from them, were copied into the old
// generation: with a Settings key, that is the evaluation and every text the analysis read (on a
// 2,000-line module being typed into, the 200 KB text of each keystroke, and 4-5 MB a collection).
// A table made afresh for each analysis is young while the analysis uses it: its entries go with
// their keys.

let generation = 0;

/** An analysis starts (duringOneAnalysis, outermost call): the memos made before it are dropped. */
export function analysisBoundary(): void {
  generation++;
}

/** A WeakMap for one analysis: what was set during an earlier analysis is not found. */
export class PerAnalysis<K extends object, V> {
  private table = new WeakMap<K, V>();
  private at = generation;

  private current(): WeakMap<K, V> {
    if (this.at !== generation) {
      this.at = generation;
      this.table = new WeakMap();
    }
    return this.table;
  }

  get(key: K): V | undefined {
    return this.current().get(key);
  }

  has(key: K): boolean {
    return this.current().has(key);
  }

  set(key: K, value: V): void {
    this.current().set(key, value);
  }
}
