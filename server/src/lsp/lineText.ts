// The protocol thread's copy of an open document (supervisor.ts keeps one, to give a new worker the
// open documents): its text as an array of lines, each with its line break. A keystroke joins and
// splits again the few lines around the edit; the text is made whole only when a new worker needs it.
//
// vscode-languageserver-textdocument's TextDocument made a new string of the whole text per edit and
// read a character of it, which makes V8 copy the text into one flat string: past V8's regular object
// size (128 KB; 64 K characters when one is not Latin-1) that is a large-object allocation, about 1 ms
// of this thread's time per keystroke in a 200 KB module on these machines, all of it garbage by the
// next keystroke. The edits are applied as TextDocument.update applies them (the same clamping of
// positions, line breaks \n, \r\n and \r): test/unit/lineText.test.ts compares the two on random edits.

/** A change as LSP's didChange sends it: a range and its new text, or the whole new text. */
export type LineTextChange =
  | { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }
  | { text: string };

/** The lines of `text`, each ending with its line break (\n, \r\n or \r) but the last, which may be empty. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    out.push(text.slice(from, i + 1));
    from = i + 1;
  }
  out.push(text.slice(from));
  return out;
}

const isEol = (c: number): boolean => c === 10 || c === 13;

export class LineText {
  private lines: string[];

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    private _version: number,
    text: string,
  ) {
    this.lines = splitLines(text);
  }

  static create(uri: string, languageId: string, version: number, text: string): LineText {
    return new LineText(uri, languageId, version, text);
  }

  get version(): number {
    return this._version;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** The whole text (a new string each call). */
  getText(): string {
    return this.lines.join('');
  }

  /**
   * Where a position is, as TextDocument.offsetAt places it: a line past the last is the end of the
   * text, a negative one its start; a character past the line's end stops before its line break.
   */
  private place(p: { line: number; character: number }): { line: number; col: number } {
    const last = this.lines.length - 1;
    if (p.line > last) return { line: last, col: this.lines[last]!.length };
    if (p.line < 0) return { line: 0, col: 0 };
    if (!(p.character > 0)) return { line: p.line, col: 0 };
    const text = this.lines[p.line]!;
    let col = Math.min(p.character, text.length);
    while (col > 0 && isEol(text.charCodeAt(col - 1))) col--;
    return { line: p.line, col };
  }

  /** Applies the changes in order, then takes the version. */
  update(changes: readonly LineTextChange[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.lines = splitLines(change.text);
        continue;
      }
      let { start, end } = change.range;
      // as TextDocument: a range given end first is taken start first
      if (start.line > end.line || (start.line === end.line && start.character > end.character)) [start, end] = [end, start];
      const s = this.place(start);
      const e = this.place(end);
      const lines = this.lines;
      const last = lines.length - 1;
      // the lines around the edit, one more on each side: a line break the edit makes or removes
      // at either end pairs with its neighbour (\r then \n) within them
      const a = Math.max(0, s.line - 1);
      const b = Math.min(last, e.line + 1);
      let before = 0;
      for (let k = a; k < s.line; k++) before += lines[k]!.length;
      let upToEnd = 0;
      for (let k = a; k < e.line; k++) upToEnd += lines[k]!.length;
      let segment = '';
      for (let k = a; k <= b; k++) segment += lines[k];
      const edited = segment.slice(0, before + s.col) + change.text + segment.slice(upToEnd + e.col);
      const pieces = splitLines(edited);
      // line b, untouched when it is not the last, ends with its line break: nothing follows it
      if (b < last) pieces.pop();
      // (a paste of many lines: too many arguments for splice)
      if (pieces.length < 10_000) lines.splice(a, b - a + 1, ...pieces);
      else this.lines = lines.slice(0, a).concat(pieces, lines.slice(b + 1));
    }
    this._version = version;
  }
}
