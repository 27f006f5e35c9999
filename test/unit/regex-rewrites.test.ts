// Regular expressions rewritten so that they cannot backtrack super-linearly (issue 29.2, the regex
// gate): each new form is compared with the old one, kept here as an oracle and only ever applied
// to short strings, on every string of a seeded random sample over the alphabet that matters to it
// (a differential test); then the new form is given recheck's attack string for the old one, which
// it must simply finish.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RATE_LIST } from '../../server/src/analysis/secrets';

/** A small seeded generator (mulberry32): the same sample on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` strings of up to `maxTokens` tokens drawn from `tokens`, plus every string of up to 2 tokens. */
function sample(tokens: readonly string[], count = 20_000, maxTokens = 10, seed = 29): string[] {
  const next = random(seed);
  const out = new Set<string>(['']);
  for (const a of tokens) {
    out.add(a);
    for (const b of tokens) out.add(a + b);
  }
  while (out.size < count) {
    const n = 1 + Math.floor(next() * maxTokens);
    let s = '';
    for (let i = 0; i < n; i++) s += tokens[Math.floor(next() * tokens.length)];
    out.add(s);
  }
  return [...out];
}

/**
 * Old and new agree on every input: the first disagreement is the failure. The sample must show
 * the old one giving at least two different answers (a sample it always rejects proves nothing).
 */
function agree<T>(inputs: Iterable<string>, before: (s: string) => T, after: (s: string) => T): void {
  const answers = new Set<string>();
  for (const s of inputs) {
    const expected = before(s);
    assert.deepEqual(after(s), expected, `on ${JSON.stringify(s)}`);
    answers.add(JSON.stringify(expected) ?? 'undefined');
  }
  assert.ok(answers.size >= 2, `the old form gave one answer only: ${[...answers].join()}`);
}

describe('rewritten patterns agree with the old ones', () => {
  it('secrets: a list of rates (the exponential rate pattern, issue 29)', () => {
    const old = /^\d+(\.\d+)?\s*\/\s*\d*\s*[a-z]+(\/[a-z_]+)*(\s*[,;]\s*\d+(\.\d+)?\s*\/\s*\d*\s*[a-z]+(\/[a-z_]+)*)*$/i;
    agree(
      sample(['0', '12', '.', '/', ' ', '\t', ',', ';', 'm', 'A', '_', 'x', '\n']),
      (s) => old.test(s),
      (s) => RATE_LIST.test(s),
    );
    assert.equal(RATE_LIST.test('0/A\t' + ',0/\tA\t'.repeat(30) + '/'), false);
  });
});
