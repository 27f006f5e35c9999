// Results kept per value across analyses (eval/valueMemo.ts): computed again when the value is
// another object, when a container it read changed in place, and, in a pass, whatever position the
// value comes at.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changed, NestedMemo, ValueMemo } from '../../server/src/analysis/eval/valueMemo';
import * as V from '../../server/src/analysis/eval/values';
import type { Value } from '../../server/src/analysis/eval/values';

/** What a setting's value holds, as text, counting the computations. */
function counter(): { count: () => number; compute: (v: Value, key: string, uses: (c: Value) => void) => string } {
  let n = 0;
  const text = (v: Value, uses: (c: Value) => void): string => {
    if (v.kind === 'str') return v.v;
    if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') {
      uses(v);
      return `[${v.items.map((i) => text(i, uses)).join(',')}]`;
    }
    return v.kind;
  };
  return {
    count: () => n,
    compute: (v, _key, uses) => {
      n++;
      return text(v, uses);
    },
  };
}

describe('value memo', () => {
  it('keeps a result while the value is the same object, by key', () => {
    const memo = new ValueMemo<string>();
    const c = counter();
    const a = V.str('a');
    assert.equal(memo.get(a, 'A', c.compute), 'a');
    assert.equal(memo.get(a, 'A', c.compute), 'a');
    assert.equal(c.count(), 1);
    const a2 = V.str('a2');
    assert.equal(memo.get(a2, 'A', c.compute), 'a2');
    assert.equal(memo.get(a, 'B', c.compute), 'a', 'another key computes again');
    assert.equal(c.count(), 3);
  });

  it('computes again after a container it read changed in place', () => {
    const memo = new ValueMemo<string>();
    const c = counter();
    const inner = V.seq('list', [V.str('x')]);
    const outer = V.seq('list', [inner]);
    assert.equal(memo.get(outer, 'L', c.compute), '[[x]]');
    (inner.items as Value[]).push(V.str('y'));
    changed(inner);
    assert.equal(memo.get(outer, 'L', c.compute), '[[x,y]]');
    assert.equal(c.count(), 2);
  });

  it('a pass finds values by position and by key, and never gives a stale or another key’s result', () => {
    const memo = new ValueMemo<string>();
    const c = counter();
    const list = V.seq('list', [V.str('p')]);
    const a = V.str('a');
    const b = V.str('b');
    // the values in the order of the object's keys
    const run = (pairs: Record<string, Value>): string[] => {
      const get = memo.pass();
      return Object.entries(pairs).map(([k, v]) => get(v, k, c.compute));
    };
    assert.deepEqual(run({ A: a, L: list, B: b }), ['a', '[p]', 'b']);
    assert.equal(c.count(), 3);
    // the same values in the same order: nothing computed
    assert.deepEqual(run({ A: a, L: list, B: b }), ['a', '[p]', 'b']);
    assert.equal(c.count(), 3);
    // a name bound first in the middle shifts the rest: they are found by key
    const n = V.str('n');
    assert.deepEqual(run({ A: a, N: n, L: list, B: b }), ['a', 'n', '[p]', 'b']);
    assert.equal(c.count(), 4);
    // the same value at a position under another key is not the same result
    assert.deepEqual(run({ A: a, M: n, L: list, B: b }), ['a', 'n', '[p]', 'b']);
    assert.equal(c.count(), 5);
    // a container changed in place is computed again although it is met at the same position
    (list.items as Value[]).push(V.str('q'));
    changed(list);
    assert.deepEqual(run({ A: a, M: n, L: list, B: b }), ['a', 'n', '[p,q]', 'b']);
    assert.equal(c.count(), 6);
    // another object at a position (a statement re-run) is computed
    const b2 = V.str('b2');
    assert.deepEqual(run({ A: a, M: n, L: list, B: b2 }), ['a', 'n', '[p,q]', 'b2']);
    assert.equal(c.count(), 7);
  });

  it('keeps what was computed from a container inside a value until it or a container in it changes, and tells the walk what it read', () => {
    const memo = new NestedMemo<string>();
    let n = 0;
    const text = (v: Value, uses: (c: Value) => void): string => {
      if (v.kind === 'str') return v.v;
      if (v.kind === 'list') {
        uses(v);
        return `[${v.items.map((i) => text(i, uses)).join(',')}]`;
      }
      return v.kind;
    };
    const compute = (v: Value) => (uses: (c: Value) => void) => {
      n++;
      return text(v, uses);
    };
    const deep = V.seq('list', [V.str('x')]);
    const group = V.seq('list', [deep, V.str('y')]);
    const read: Value[] = [];
    assert.equal(
      memo.get(group, 'ctx', (c) => read.push(c), compute(group)),
      '[[x],y]',
    );
    assert.deepEqual(read.slice(), [group, deep]);
    // kept: not computed again, and the walk is told the same containers
    read.length = 0;
    assert.equal(
      memo.get(group, 'ctx', (c) => read.push(c), compute(group)),
      '[[x],y]',
    );
    assert.equal(n, 1);
    assert.deepEqual(read.slice(), [group, deep]);
    // another context: computed again
    assert.equal(
      memo.get(group, 'other', () => undefined, compute(group)),
      '[[x],y]',
    );
    assert.equal(n, 2);
    // a container inside it changed in place: computed again
    (deep.items as Value[]).push(V.str('z'));
    changed(deep);
    assert.equal(
      memo.get(group, 'other', () => undefined, compute(group)),
      '[[x,z],y]',
    );
    assert.equal(n, 3);
  });
});
