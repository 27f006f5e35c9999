// Values that grow without bound (issue 17.1): every operation that builds a string or a container
// stops at the size limits (values.ts MAX_STR_LENGTH, MAX_ITEMS); past them the value is unknown,
// the module says so once (a DDH004 note), and the analysis goes on with the rest of the settings.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import * as V from '../../server/src/analysis/eval/values';
import { evaluateSettings, SKELETON } from './evalHarness';

const TAIL = 'DEBUG = True\nSECRET_KEY = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz"\nALLOWED_HOSTS = ["*"]\n';

function repeatLines(line: string, n: number): string {
  return Array.from({ length: n }, () => line).join('\n') + '\n';
}

/** Evaluates `src` + TAIL: the hostile value is unknown, one budget note says why, the tail is read. */
function assertCapped(src: string, name: string): void {
  const e = evaluateSettings(src + TAIL);
  const v = e.value(name);
  assert.equal(v?.kind, 'unknown', `${name} is unknown past the size limit`);
  const notes = e.notes('budget');
  assert.equal(notes.length, 1, notes.map((n) => n.message).join('\n'));
  assert.match(notes[0]!.message, /larger than the analysis follows|grows past/);
  assert.equal(e.get('DEBUG'), true, 'the settings after the hostile lines are still read');
  assert.deepEqual(e.get('ALLOWED_HOSTS'), ['*']);
  assert.equal(e.mod.status, 'done');
}

function findingCodes(settings: string): string[] {
  const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': settings }, '/p');
  const a = analyzeWorkspace(new Workspace(fs, ['/p']));
  return a.projects.flatMap((p) => p.findings.map((f) => f.code)).sort();
}

describe('values that grow without bound', () => {
  before(async () => {
    await loadParser();
  });

  it('A = [1], then 60 lines of A = A + A: unknown past the limit, not 2^60 items', () => {
    assertCapped('A = [1]\n' + repeatLines('A = A + A', 60), 'A');
  });

  it('L = [0]*1000; L = L*1000; L = L*1000', () => {
    assertCapped('L = [0]*1000\nL = L*1000\nL = L*1000\n', 'L');
  });

  it('the string versions: S = S + S sixty times, and S*1000 twice', () => {
    assertCapped('S = "x"\n' + repeatLines('S = S + S', 60), 'S');
    assertCapped('S = "0"*1000\nS = S*1000\nS = S*1000\n', 'S');
  });

  it('a value just under the limits stays known', () => {
    const e = evaluateSettings('L = [0]*100\nL = L*100\nS = "ab"*500\nS = S*1000\n');
    assert.equal((e.value('L') as V.SeqValue).items.length, V.MAX_ITEMS);
    assert.equal((e.value('S') as V.StrValue).v.length, V.MAX_STR_LENGTH);
    assert.equal(e.notes('budget').length, 0);
  });

  it('a repeated string past the limit is unknown, not silently shortened', () => {
    // the old code repeated at most 10,000 times and called the result known
    const e = evaluateSettings('S = "ab" * 20000\nT = "x" * 2000000\n');
    assert.equal((e.value('S') as V.StrValue).v.length, 40_000);
    assert.equal(e.value('T')?.kind, 'unknown');
  });

  it('+= and extend on lists', () => {
    assertCapped('A = [1]\n' + repeatLines('A += A', 60), 'A');
    const e = evaluateSettings('A = [1]\n' + repeatLines('A.extend(A)', 60) + TAIL);
    const a = e.value('A') as V.SeqValue;
    assert.ok(a.items.length <= V.MAX_ITEMS, `${a.items.length} items`);
    assert.equal(a.origin, 'unknown', 'the list is no longer fully known');
    assert.equal(e.notes('budget').length, 1);
    assert.equal(e.get('DEBUG'), true);
  });

  it('appends in nested loops stop at the limit', () => {
    const e = evaluateSettings('A = []\nfor i in range(200):\n    for j in range(100):\n        A.append(j)\n' + TAIL);
    const a = e.value('A') as V.SeqValue;
    assert.equal(a.kind, 'list');
    assert.equal(a.items.length, V.MAX_ITEMS, '20,000 appends stop at the limit');
    assert.equal(a.origin, 'unknown', 'the list is no longer fully known');
    assert.equal(e.notes('budget').length, 1);
    assert.equal(e.get('DEBUG'), true);
  });

  it('comprehensions past the limit are unknown, not a truncated list', () => {
    assertCapped('A = [i * j for i in range(1000) for j in range(1000)]\n', 'A');
    assertCapped('D = {str(i) + "-" + str(j): j for i in range(1000) for j in range(1000)}\n', 'D');
  });

  it('%-formatting, f-strings, format(), join() and replace()', () => {
    assertCapped('S = "x" * 1000000\nT = "%s%s" % (S, S)\n', 'T');
    assertCapped('S = "x" * 1000000\nT = f"{S}{S}"\n', 'T');
    assertCapped('T = f"{1:>2000000}"\n', 'T');
    assertCapped('S = "x" * 1000000\nT = "{}{}".format(S, S)\n', 'T');
    assertCapped('S = "x" * 1000000\nT = "".join([S, S])\n', 'T');
    assertCapped('S = "x" * 1000000\nT = S.replace("x", "yy")\n', 'T');
    assertCapped('T = "0".zfill(10**9)\n', 'T');
  });

  it('splats and paths', () => {
    assertCapped('A = [0] * 10000\nB = [*A, *A]\n', 'B');
    assertCapped('S = "x" * 1000000\nimport os\nP = os.path.join(S, S)\n', 'P');
    assertCapped('from pathlib import Path\nS = "x" * 1000000\nP = Path(S) / S\n', 'P');
  });

  it('a precision toFixed cannot take is unknown, not a crash', () => {
    const e = evaluateSettings('T = f"{1:.200f}"\n' + TAIL);
    assert.equal(e.value('T')?.kind, 'unknown');
    assert.equal(e.get('DEBUG'), true);
  });

  it('values sharing their parts: keys, comparisons and branch merges stay bounded', () => {
    // each line doubles the tree a walk would visit, without growing memory
    const nest = 'T = ("a",)\n' + repeatLines('T = (T, T)', 60) + 'L = [1]\n' + repeatLines('L = [L, L]', 60);
    const e = evaluateSettings(
      nest +
        'D = {T: 1}\n' + // a key too long to build: the dict may hold it, unknown
        'SAME = L == [L[0], L[1]]\n' +
        'import os\nif os.environ.get("X"):\n    L.append(1)\n' + // merge compares the branches' lists
        TAIL,
    );
    assert.equal(e.get('DEBUG'), true);
    assert.notEqual(e.value('SAME')?.kind, 'bool', 'a comparison past the walk limit is unknown');
  });

  it('the whole analysis finishes and still reports the settings after the hostile lines', () => {
    const c = findingCodes('A = [1]\n' + repeatLines('A = A + A', 60) + 'S = "x"\n' + repeatLines('S = S + S', 60) + TAIL);
    assert.ok(c.includes('DDH004'), c.join());
    assert.ok(c.includes('DDH107'), c.join()); // DEBUG = True
    assert.ok(c.includes('DDH202'), c.join()); // ALLOWED_HOSTS = ["*"]
    assert.equal(c.filter((x) => x === 'DDH004').length, 1, 'one note for the module');
  });

  it('many operations each under the limits count against the step budget', () => {
    // 3,000 lists of 9,999 items each would hold 30 million items
    const src = 'A = [0] * 9999\n' + Array.from({ length: 3000 }, (_, i) => `B${i} = A + [1]`).join('\n') + '\n' + TAIL;
    const e = evaluateSettings(src);
    assert.equal(e.mod.status, 'budget');
    assert.match(e.notes('budget')[0]?.message ?? '', /budget ran out/);
  });
});
