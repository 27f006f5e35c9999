// No import cycles anywhere in server/ or client/: every relative import (type-only ones too, and
// `export … from`) is an edge; a strongly connected component of more than one file, or a file that
// imports itself, fails the test with the cycle spelled out. The analysis layers (rules → core →
// evaluator) stay one-directional only as long as this holds.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { importsOf } from '../helpers/imports';
import { REPO } from '../helpers/paths';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Strongly connected components with a cycle (Tarjan), each as a list of files. */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** One cycle through `start` inside its component, as `a → b → … → a`. */
function pathThrough(graph: ReadonlyMap<string, readonly string[]>, comp: readonly string[]): string {
  const inComp = new Set(comp);
  const start = comp[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const chain = [v];
        while (chain[0] !== start) chain.unshift(prev.get(chain[0]!)!);
        return [...chain, start].map((f) => path.relative(REPO, f)).join(' → ');
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return comp.map((f) => path.relative(REPO, f)).join(', ');
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the checker itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
    ]);
    assert.deepEqual(cyclesOf(g), [['a', 'b', 'c'], ['e']]);
    assert.deepEqual(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
      [],
    );
    assert.deepEqual(
      importsOf(
        path.join(REPO, 'server/src/analysis/engine/engine.ts'),
        "import type { X } from '../rules/types';\n// import { Y } from './workspace';\n/* a glob, models/*.py */ import type { Z } from './workspace';",
      ).map((f) => path.relative(REPO, f)),
      ['server/src/analysis/rules/types.ts', 'server/src/analysis/engine/workspace.ts'],
    );
  });

  for (const tree of ['server/src', 'client/src']) {
    it(`${tree} has none`, () => {
      const graph = new Map<string, string[]>();
      for (const f of sources(path.join(REPO, tree))) graph.set(f, importsOf(f, readFileSync(f, 'utf8')));
      assert.ok(graph.size > 0, `no sources under ${tree}`);
      const cycles = cyclesOf(graph);
      assert.deepEqual(
        cycles.map((c) => pathThrough(graph, c)),
        [],
        'import cycles',
      );
    });
  }

  it("no rule's file imports another rule's file: shared knowledge lives in the core or a helper module, and a fix is verified through ctx.recheck", () => {
    const rulesDir = path.join(REPO, 'server/src/analysis/rules');
    const ruleFiles = new Set(sources(rulesDir).filter((f) => /^export const \w+: Rule = \{/m.test(readFileSync(f, 'utf8'))));
    assert.ok(ruleFiles.size > 50, `${ruleFiles.size} rule files`);
    const found: string[] = [];
    for (const f of ruleFiles)
      for (const dep of importsOf(f, readFileSync(f, 'utf8')))
        if (ruleFiles.has(dep)) found.push(`${path.relative(rulesDir, f)} -> ${path.relative(rulesDir, dep)}`);
    assert.deepEqual(found, []);
  });
});
