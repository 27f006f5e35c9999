// Disagreements with CPython that the differential test (test/pydiff) found, each pinned with the
// value Python computes (Python 3.11), so that a regression is caught without the Python stage.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { evaluateSettings } from './evalHarness';

before(async () => {
  await loadParser();
});

describe('found by the differential test against CPython', () => {
  it('round(x, n) keeps n digits and is a float; round(x) sends halves to the even neighbour', () => {
    // pydiff seeds 3, 8, 19: round(15.75, 1) was 16, round(0.5, 1) was 1, round(2.5, 1) was 3
    const e = evaluateSettings(
      [
        'A = round(15.75, 1)',
        'B = round(0.5, 1)',
        'C = round(2.5, 1)',
        'D = round(2.5)',
        'E = round(3.5)',
        'F = round(-2.5)',
        'G = round(0.125, 2)',
        'H = round(2.675, 2)',
        'I = round(7, 2)',
        'J = round(1.0, 0)',
        'K = round(0.5)',
      ].join('\n'),
    );
    assert.equal(e.get('A'), 15.8);
    assert.equal(e.value('A')?.kind, 'float');
    assert.equal(e.get('B'), 0.5);
    assert.equal(e.get('C'), 2.5);
    assert.equal(e.get('D'), 2);
    assert.equal(e.value('D')?.kind, 'int');
    assert.equal(e.get('E'), 4);
    assert.equal(e.get('F'), -2);
    assert.equal(e.get('G'), 0.12, 'an exact tie goes to even');
    assert.equal(e.get('H'), 2.67, "2.675 is 2.67499… in binary: Python's 2.67");
    assert.equal(e.get('I'), 7);
    assert.equal(e.value('I')?.kind, 'int');
    assert.equal(e.get('J'), 1);
    assert.equal(e.value('J')?.kind, 'float');
    assert.equal(e.get('K'), 0);
  });

  it('str.title() raises a letter after any non-letter and lowers the others', () => {
    // pydiff seed 6: "cache-envapp".title() was "Cache-envapp"; Python gives "Cache-Envapp"
    const e = evaluateSettings(
      ['A = "cache-envapp".title()', 'B = "ab1cd ef_gh".title()', 'C = "hELLO wORLD".title()', 'D = "x\'s".title()'].join('\n'),
    );
    assert.equal(e.get('A'), 'Cache-Envapp');
    assert.equal(e.get('B'), 'Ab1Cd Ef_Gh');
    assert.equal(e.get('C'), 'Hello World');
    assert.equal(e.get('D'), "X'S");
  });
});
