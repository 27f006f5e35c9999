// The protocol thread's copy of an open document (server/src/lsp/lineText.ts) against the library
// the language server's worker uses (vscode-languageserver-textdocument): the same text after every
// edit of random sequences, line breaks \n, \r\n and \r mixed, positions past the ends and ranges
// given end first included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineText, type LineTextChange, splitLines } from '../../server/src/lsp/lineText';
import { rng as random } from '../helpers/random';

const PIECES = ['a', 'bc', ' ', '"', '\n', '\r\n', '\r', '\r\r', '\n\r', 'é', '🐍', 'DEBUG = True', '\n\n'];

function text(rnd: () => number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(rnd() * PIECES.length)]!;
  return out;
}

function position(rnd: () => number, lines: number, past: boolean): { line: number; character: number } {
  const r = rnd();
  // mostly inside the text; sometimes past a line's end, or (past) past its last line or before its first
  const line = past && r < 0.05 ? lines + Math.floor(rnd() * 3) : past && r < 0.08 ? -1 : Math.floor(rnd() * lines);
  const character = rnd() < 0.1 ? 50 + Math.floor(rnd() * 20) : rnd() < 0.05 ? -1 : Math.floor(rnd() * 8);
  return { line, character };
}

function change(rnd: () => number, lines: number, past: boolean): LineTextChange {
  if (rnd() < 0.02) return { text: text(rnd, Math.floor(rnd() * 20)) };
  const start = position(rnd, lines, past);
  // a keystroke, a deletion within a line, across lines, or a range given end first
  const end = rnd() < 0.4 ? start : position(rnd, lines, past);
  const inserted = rnd() < 0.4 ? '' : text(rnd, 1 + Math.floor(rnd() * 3));
  return { range: { start, end }, text: inserted };
}

/** Whether a change names a line outside the document (line count `lines`). */
const outside = (c: LineTextChange, lines: number): boolean =>
  'range' in c && [c.range.start.line, c.range.end.line].some((l) => l < 0 || l >= lines);

describe('LineText: the protocol thread copy of an open document', () => {
  it('splits lines as the library counts them, each with its line break', () => {
    assert.deepEqual(splitLines(''), ['']);
    assert.deepEqual(splitLines('a\nb'), ['a\n', 'b']);
    assert.deepEqual(splitLines('a\r\nb\rc\n'), ['a\r\n', 'b\r', 'c\n', '']);
    assert.deepEqual(splitLines('\n\r'), ['\n', '\r', '']);
    for (const t of ['', 'a', 'a\n', '\r\n\r', 'x\r\r\ny\n\nz'])
      assert.equal(splitLines(t).length, TextDocument.create('u', 'python', 1, t).lineCount);
  });

  it('gives the text TextDocument.update gives, after every edit of 400 random sequences', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = random(seed);
      const initial = text(rnd, Math.floor(rnd() * 30));
      let theirs = TextDocument.create('file:///x.py', 'python', 1, initial);
      const ours = LineText.create('file:///x.py', 'python', 1, initial);
      for (let step = 0; step < 60; step++) {
        // one change, or several in one notification, as LSP allows (each on the lines the ones
        // before it leave)
        const changes: LineTextChange[] = [];
        if (rnd() < 0.85) changes.push(change(rnd, theirs.lineCount, true));
        else {
          const scratch = LineText.create('file:///x.py', 'python', 1, theirs.getText());
          for (let k = 2 + Math.floor(rnd() * 3); k > 0; k--) {
            const c = change(rnd, scratch.lineCount, false);
            changes.push(c);
            scratch.update([c], 0);
          }
        }
        const past = changes.some((c) => outside(c, theirs.lineCount));
        TextDocument.update(theirs, changes, step + 2);
        ours.update(changes, step + 2);
        const said = `seed ${seed}, step ${step}: ${JSON.stringify(changes)}`;
        assert.equal(ours.getText(), theirs.getText(), said);
        // the lines are those of the text (the library's own count goes wrong after a position past
        // the last line, which no editor sends: it is made again from the text then)
        assert.equal(ours.lineCount, TextDocument.create('u', 'python', 1, ours.getText()).lineCount, said);
        if (past) theirs = TextDocument.create('file:///x.py', 'python', theirs.version, theirs.getText());
        else assert.equal(ours.lineCount, theirs.lineCount, said);
      }
      assert.equal(ours.version, theirs.version);
    }
  });

  it('types into a large module a character at a time, and takes a paste of many lines', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `NAME_${i} = "value-${i}"\n`).join('');
    const theirs = TextDocument.create('file:///big.py', 'python', 1, big);
    const ours = LineText.create('file:///big.py', 'python', 1, big);
    let version = 1;
    for (let i = 0; i < 200; i++) {
      const line = (i * 37) % 5000;
      const at = { line, character: 10 };
      const changes = [
        i % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line, character: 11 } }, text: '' },
      ];
      TextDocument.update(theirs, changes, ++version);
      ours.update(changes, version);
    }
    assert.equal(ours.getText(), theirs.getText());
    const paste = Array.from({ length: 20_000 }, (_, i) => `P_${i} = ${i}\r\n`).join('');
    const changes = [{ range: { start: { line: 2500, character: 3 }, end: { line: 2600, character: 0 } }, text: paste }];
    TextDocument.update(theirs, changes, ++version);
    ours.update(changes, version);
    assert.equal(ours.getText(), theirs.getText());
    assert.equal(ours.lineCount, theirs.lineCount);
  });
});
