// A Python source file kept as a list of top-level chunks (statements and comments), each holding
// its converted syntax tree. An edit re-parses only the chunks it touches plus a neighbour on each
// side: re-parsing one statement costs about 0.01 ms where tree-sitter's own incremental re-parse
// of a 4,000-line module costs about 11 ms, which would eat the whole per-keystroke budget.
//
// Why this is equivalent to parsing the whole file: top-level Python statements start at column 0
// and, once a statement has ended, the text after it parses the same way whatever came before.
// The re-parsed region starts at an unchanged column-0 statement before the edit and ends with an
// unchanged statement after it (the sentinel). If the sentinel still parses as one top-level node
// with the same extent, the edit did not leak past it (no unclosed bracket or string, no dangling
// `=` joining the next line), provided the region is also lexically closed (every string ends,
// brackets balance): tree-sitter recovers from an unterminated string differently depending on the
// text after it. Otherwise the region grows, and past a limit the file is re-parsed whole. A test
// compares the result with full parses over thousands of random edits. While a syntax error stands
// outside the edited region, the whole file is re-parsed (tree-sitter's error recovery is global).
//
// Documents being edited (`incremental: true`) also keep tree-sitter's own tree, told of every edit;
// when a region cannot be spliced, tree-sitter's incremental re-parse runs on it and only the
// top-level statements whose text changed are converted again. Replaced trees are deleted.
import { Edit, type Tree } from 'web-tree-sitter';
import { type PyNode, pyNode } from './ast';
import { ownCopy, parseTopLevel, parseTree, topLevelNodes } from './treeSitter';

export interface Chunk {
  /** Offset of the chunk's first character in the document. */
  base: number;
  /** Syntax tree, offsets relative to `base`. */
  readonly node: PyNode;
}

/** Offsets of the start of each line (UTF-16 code units, as LSP and tree-sitter's JS binding use). */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * The line starts of `text`, which is the text `starts` were computed from with [start, oldEnd)
 * replaced by `delta` more characters: only the lines around the edit are read again (a keystroke
 * in a 200 KB module must not read the whole text), the others shift. Line breaks are \n, \r\n and
 * \r, as computeLineStarts reads them (an edit may join or split a \r\n pair at either end).
 * `starts` itself is updated and returned when the edit leaves the number of lines as it was (a
 * keystroke: no 5,000-entry array made for it); else a new array is.
 */
export function editLineStarts(starts: number[], text: string, start: number, oldEnd: number, delta: number): number[] {
  // from the start of the line holding the character before the edit (a \r there may pair with what follows)
  const lo = lineIndexAt(starts, Math.max(0, start - 1));
  // up to the first line start that a line break wholly after the edit's end (and the character after it) makes
  let hi = lo + 1;
  while (hi < starts.length && starts[hi]! <= oldEnd + 2) hi++;
  const until = hi < starts.length ? starts[hi]! + delta : text.length + 1;
  const middle: number[] = [];
  for (let i = starts[lo]!; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (i + 1 >= until) break;
    middle.push(i + 1);
  }
  if (middle.length === hi - lo - 1) {
    for (let k = 0; k < middle.length; k++) starts[lo + 1 + k] = middle[k]!;
    if (delta !== 0) for (let k = hi; k < starts.length; k++) starts[k]! += delta;
    return starts;
  }
  const out = starts.slice(0, lo + 1);
  for (const p of middle) out.push(p);
  for (let k = hi; k < starts.length; k++) out.push(starts[k]! + delta);
  return out;
}

/** The zero-based index of the line (by its start offset in `starts`) that holds `offset`. */
export function lineIndexAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Zero-based line and character of an offset (clamped to the text) from the text's line starts. */
export function positionIn(starts: readonly number[], length: number, offset: number): { line: number; character: number } {
  const clamped = Math.max(0, Math.min(offset, length));
  const line = lineIndexAt(starts, clamped);
  return { line, character: clamped - starts[line]! };
}

const MAX_GROW_ATTEMPTS = 4;

export class PythonDocument {
  private _text: string;
  private _chunks: Chunk[];
  private _lineStarts: number[] | undefined;
  private tree: Tree | undefined;
  /** How the last update was done, for tests and benchmarks. */
  lastUpdate: 'full' | 'region' | 'incremental' | 'string' = 'full';
  /**
   * Set when parsing ran out of time (see PARSE_TIME_LIMIT_MS): the document then has no chunks,
   * and whoever reads it says that it was not analysed.
   */
  timedOut = false;

  private constructor(
    text: string,
    chunks: Chunk[],
    tree?: Tree,
    /** Kept with tree-sitter's tree (a document being edited). */
    private incremental = tree !== undefined,
  ) {
    this._text = text;
    this._chunks = chunks;
    this.tree = tree;
  }

  /**
   * Parses a whole text. With `incremental`, the document keeps tree-sitter's tree for cheap
   * re-parses after edits; call dispose() when done with it.
   */
  static parse(text: string, options: { incremental?: boolean } = {}): PythonDocument {
    if (!options.incremental) {
      const chunks = PythonDocument.fullChunks(text);
      const doc = new PythonDocument(text, chunks ?? []);
      doc.timedOut = chunks === undefined;
      return doc;
    }
    const parsed = parseTree(text);
    const tree = parsed ?? undefined;
    const chunks = tree ? topLevelNodes(tree, text).map((p) => ({ base: p.start, node: p.node })) : [];
    const doc = new PythonDocument(text, chunks, tree, true);
    doc.timedOut = parsed === undefined;
    return doc;
  }

  /** Frees tree-sitter's tree (WASM memory). The document stays readable. */
  dispose(): void {
    this.incremental = false;
    this.tree?.delete();
    this.tree = undefined;
  }

  get text(): string {
    return this._text;
  }

  get chunks(): readonly Chunk[] {
    return this._chunks;
  }

  /** Whether it is a document being edited (parsed with `incremental`, not disposed). */
  get edited(): boolean {
    return this.incremental;
  }

  get hasError(): boolean {
    return this._chunks.some((c) => c.node.error);
  }

  /** The offset where each line starts (updated in place by edits: read it, do not keep it across one). */
  get lineStarts(): readonly number[] {
    this._lineStarts ??= computeLineStarts(this._text);
    return this._lineStarts;
  }

  /** Zero-based line and character of an offset. */
  positionAt(offset: number): { line: number; character: number } {
    return positionIn(this.lineStarts, this._text.length, offset);
  }

  /** Replaces the whole text (a full parse). */
  replaceAll(text: string): void {
    this._text = text;
    this._lineStarts = undefined;
    this.lastUpdate = 'full';
    if (this.tree !== undefined || this.incremental) {
      this.tree?.delete();
      const parsed = parseTree(text);
      this.tree = parsed ?? undefined;
      this.timedOut = parsed === undefined;
      this._chunks = this.tree ? topLevelNodes(this.tree, text).map((p) => ({ base: p.start, node: p.node })) : [];
    } else this.setFullChunks(text);
  }

  /** tree-sitter's edit description (rows and UTF-16 columns) for a change of the current text. */
  private treeEdit(start: number, oldEnd: number, newText: string): Edit {
    const s = this.positionAt(start);
    const e = this.positionAt(oldEnd);
    const lines = newText.split(/\r\n|\r|\n/);
    const newEnd =
      lines.length === 1
        ? { row: s.line, column: s.character + newText.length }
        : { row: s.line + lines.length - 1, column: lines[lines.length - 1]!.length };
    return new Edit({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: start + newText.length,
      startPosition: { row: s.line, column: s.character },
      oldEndPosition: { row: e.line, column: e.character },
      newEndPosition: newEnd,
    });
  }

  /**
   * An edit inside the content of a string literal that cannot change its tokens (plain characters
   * typed or deleted, in a content without escapes or braces): the statement's tree is the one it
   * had, its string's text changed and the nodes after the edit moved, without parsing it again
   * (a keystroke in a 265-line statement re-parsed and converted all of it). False when the edit
   * is not such an edit (nothing was changed).
   */
  private editInString(start: number, oldEnd: number, inserted: string, removed: string, delta: number): boolean {
    if (!plainStringText(inserted) || !plainStringText(removed)) return false;
    const chunks = this._chunks;
    // (tree-sitter's recovery from a syntax error weighs what it skips: with an error anywhere, parsed again)
    if (chunks.some((c) => c.node.error)) return false;
    // the statement holding the edit (chunks are in text order)
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid]!.base <= start) lo = mid;
      else hi = mid - 1;
    }
    const c = chunks[lo];
    if (!c || c.node.error || c.base + c.node.start > start || oldEnd > c.base + c.node.end) return false;
    const rs = start - c.base;
    const re = oldEnd - c.base;
    // down to the string-content leaf holding [rs, re] (at a boundary, the content rather than a quote)
    const path: PyNode[] = [c.node];
    let node = c.node;
    while (node.children.length > 0) {
      let next: PyNode | undefined;
      for (const ch of node.children) if (ch.start <= rs && re <= ch.end && (next === undefined || ch.type === 'string_content')) next = ch;
      if (next === undefined) return false;
      path.push(next);
      node = next;
    }
    const parent = path[path.length - 2];
    if (parent?.type !== 'string') return false;
    if (node.type === 'string_content') {
      if (node.text === null || !quietInContent(node.text, rs - node.start, re - node.start, inserted, formatted(parent))) return false;
    } else {
      // typed into an empty string ("", f"", """"""): a parse gives it no content leaf; the
      // edit is then right after its opening quote, and the content leaf is made
      const empty = parent.children.length === 2 && parent.children[1]!.type === 'string_end';
      if (node.type !== 'string_start' || !empty || inserted === '' || rs !== re || rs !== node.end) return false;
    }
    chunks[lo] = { base: c.base, node: editedTree(path, 0, rs, re, inserted, delta) };
    for (let i = lo + 1; i < chunks.length; i++) chunks[i]!.base += delta;
    return true;
  }

  /**
   * Applies one edit: the text between `start` and `oldEnd` (offsets in the current text) becomes
   * `newText`. Re-parses only the region around the edit when that is provably enough. `edited`:
   * the whole text after the edit when the caller has it already (an editor buffer's), taken
   * instead of a copy of its own (a 200 KB module would otherwise be built twice per keystroke).
   */
  applyEdit(start: number, oldEnd: number, newText: string, edited?: string): void {
    const oldText = this._text;
    start = Math.max(0, Math.min(start, oldText.length));
    oldEnd = Math.max(start, Math.min(oldEnd, oldText.length));
    if (this.tree) this.tree.edit(this.treeEdit(start, oldEnd, newText));
    const text =
      edited !== undefined && edited.length === oldText.length - (oldEnd - start) + newText.length && edited.startsWith(newText, start)
        ? edited
        : oldText.slice(0, start) + newText + oldText.slice(oldEnd);
    const delta = newText.length - (oldEnd - start);
    this._text = text;
    if (this._lineStarts) this._lineStarts = editLineStarts(this._lineStarts, text, start, oldEnd, delta);

    if (this.editInString(start, oldEnd, newText, oldText.slice(start, oldEnd), delta)) {
      this.lastUpdate = 'string';
      return;
    }
    const chunks = this._chunks;
    const n = chunks.length;
    // First chunk ending at or after the edit, and the first chunk starting after it.
    let first = 0;
    while (first < n && chunkEnd(chunks[first]!) < start) first++;
    let after = first;
    while (after < n && chunks[after]!.base <= oldEnd) after++;

    // Anchor: an unchanged statement at column 0 strictly before the edit.
    let lo = first - 1;
    while (lo >= 0 && !(isAnchor(chunks[lo]!, oldText) && chunks[lo]!.base < start)) lo--;
    const regionStart = lo >= 0 ? chunks[lo]!.base : 0;

    // Sentinel: an unchanged statement at column 0 after the edit; grows on failure.
    let sentinel = after;
    for (let attempt = 0; attempt < MAX_GROW_ATTEMPTS; attempt++) {
      while (sentinel < n && !isAnchor(chunks[sentinel]!, oldText)) sentinel++;
      if (sentinel >= n) break; // the region runs to the end of the file
      const s = chunks[sentinel]!;
      const sStartNew = s.base + delta;
      const sEndNew = chunkEnd(s) + delta;
      // tree-sitter's recovery from a syntax error depends on the whole file: while an error stands
      // outside the region, only a full parse gives the tree a full parse gives.
      if (chunks.some((c, i) => c.node.error && (i < lo || i > sentinel))) break;
      const regionText = text.slice(regionStart, sEndNew);
      const parsed = (isLexicallyClosed(regionText) ? parseTopLevel(regionText) : undefined) ?? [];
      const last = parsed[parsed.length - 1];
      if (
        last &&
        regionStart + last.start === sStartNew &&
        last.node.end === s.node.end &&
        last.node.type === s.node.type &&
        !last.node.error
      ) {
        const replacement = parsed.map((p) => ({ base: regionStart + p.start, node: p.node }));
        for (let i = sentinel + 1; i < n; i++) chunks[i]!.base += delta;
        chunks.splice(Math.max(lo, 0), sentinel + 1 - Math.max(lo, 0), ...replacement);
        this.lastUpdate = 'region';
        return;
      }
      sentinel = sentinel + 1 + attempt * 4;
    }
    const errorBefore = chunks.some((c, i) => c.node.error && i < lo);
    if (sentinel >= n && regionStart > 0 && !errorBefore && isLexicallyClosed(text.slice(regionStart))) {
      // The region reaches the end of the file: parse from the anchor to the end.
      const parsed = parseTopLevel(text.slice(regionStart));
      if (parsed) {
        chunks.splice(lo, n - lo, ...parsed.map((p) => ({ base: regionStart + p.start, node: p.node })));
        this.lastUpdate = 'region';
        return;
      }
    }
    if (this.tree) {
      // tree-sitter's incremental re-parse; statements whose text is unchanged keep their nodes.
      const old = new Map<string, PyNode>();
      for (const c of chunks) old.set(c.node.type + '\u0000' + oldText.slice(c.base, c.base + c.node.end), c.node);
      const tree = parseTree(text, this.tree);
      this.tree.delete();
      this.tree = tree ?? undefined;
      this.timedOut = tree === undefined;
      this._chunks = tree
        ? topLevelNodes(tree, text, (type, source) => old.get(type + '\u0000' + source)).map((p) => ({ base: p.start, node: p.node }))
        : [];
      this.lastUpdate = 'incremental';
      return;
    }
    if (this.incremental) {
      // the tree was lost to a parse that ran out of time: try a whole parse again
      this.replaceAll(text);
      return;
    }
    this.setFullChunks(text);
    this.lastUpdate = 'full';
  }

  private setFullChunks(text: string): void {
    const chunks = PythonDocument.fullChunks(text);
    this._chunks = chunks ?? [];
    this.timedOut = chunks === undefined;
  }

  /** The whole text's chunks; undefined when the parse ran out of time. */
  private static fullChunks(text: string): Chunk[] | undefined {
    return parseTopLevel(text)?.map((p) => ({ base: p.start, node: p.node }));
  }
}

/**
 * Characters that cannot change how a string literal's content is split into tokens when typed
 * into it or deleted from it: no quote, backslash, brace (f-strings), line break or lone surrogate.
 */
function plainStringText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!plainChar(s.charCodeAt(i), true)) return false;
  return true;
}

/** A character plainStringText allows; `braces`: whether a brace is syntax here (an f-string or t-string, or typed text). */
function plainChar(c: number, braces: boolean): boolean {
  if (c === 34 || c === 39 || c === 92 || c === 10 || c === 13 || (c >= 0xd800 && c <= 0xdfff)) return false;
  return !braces || (c !== 123 && c !== 125);
}

/** Whether a string's braces are its own syntax (an f-string, or a t-string): its prefix says. */
function formatted(string: PyNode): boolean {
  const open = string.children[0];
  if (open?.type !== 'string_start' || open.text === null) return true;
  // the prefix: the letters before the quote
  for (const ch of open.text) {
    if (ch === '"' || ch === "'") return false;
    if (ch === 'f' || ch === 'F' || ch === 't' || ch === 'T') return true;
  }
  return true;
}

/**
 * Whether typing `inserted` (plain text) over [a, b) of a string-content leaf's text `t` leaves
 * the string's tokens as they were, whatever else the content holds (quotes of the other kind, a
 * brace, a backslash of a raw string): a leaf has no escape sequence in it (those are nodes of
 * their own), so only what the edit brings together can make another token. Beside a plain
 * character, nothing can: the typed text is plain, and what a deletion brings together is a plain
 * character and whatever followed the deleted text, as before. At the content's start the
 * character before is the opening quote or an interpolation's closing brace: typing there is
 * safe, and so is a deletion up to a plain character or to the content's end.
 */
function quietInContent(t: string, a: number, b: number, inserted: string, braces: boolean): boolean {
  if (a > 0) return plainChar(t.charCodeAt(a - 1), braces);
  if (inserted !== '' || b >= t.length) return true;
  return plainChar(t.charCodeAt(b), braces);
}

/**
 * The statement `root` (offsets relative to its chunk) with the edit [rs, re) → `inserted` made
 * inside the string-content leaf at the end of `path` (root first): a new tree, the leaf's text
 * changed, its ancestors' ends and every node after it moved by `delta`.
 */
function editedTree(path: readonly PyNode[], depth: number, rs: number, re: number, inserted: string, delta: number): PyNode {
  const n = path[depth]!;
  if (depth === path.length - 1) {
    const t = n.text ?? '';
    return pyNode(
      n.type,
      n.start,
      n.end + delta,
      n.field,
      n.named,
      n.children,
      ownCopy(t.slice(0, rs - n.start) + inserted + t.slice(re - n.start)),
      n.error,
    );
  }
  const next = path[depth + 1]!;
  const at = n.children.indexOf(next);
  if (depth === path.length - 2 && next.type === 'string_start') {
    // an empty string typed into: its content leaf, between the quotes
    const content = pyNode('string_content', rs, rs + inserted.length, null, true, [], ownCopy(inserted), false);
    const children = n.children.map((c, i) => (i <= at ? c : copyTree(c, delta)));
    children.splice(at + 1, 0, content);
    return pyNode(n.type, n.start, n.end + delta, n.field, n.named, children, n.text, n.error);
  }
  const children = n.children.map((c, i) =>
    i < at ? c : i === at ? editedTree(path, depth + 1, rs, re, inserted, delta) : copyTree(c, delta),
  );
  // a string's content deleted to nothing: a parse gives no content leaf
  if (depth === path.length - 2 && children[at]!.start === children[at]!.end) children.splice(at, 1);
  return pyNode(n.type, n.start, n.end + delta, n.field, n.named, children, n.text, n.error);
}

/**
 * A copy of a tree, its offsets moved by `delta`. (The nodes before the edit are the old tree's
 * own: nodes are never changed, and nothing keys on a node below a statement's root.)
 */
function copyTree(n: PyNode, delta: number): PyNode {
  return pyNode(
    n.type,
    n.start + delta,
    n.end + delta,
    n.field,
    n.named,
    n.children.length === 0 ? n.children : n.children.map((c) => copyTree(c, delta)),
    n.text,
    n.error,
  );
}

function chunkEnd(chunk: Chunk): number {
  return chunk.base + chunk.node.end;
}

/** A chunk that can bound a re-parsed region: a statement (not a comment) starting a line. */
function isAnchor(chunk: Chunk, text: string): boolean {
  if (chunk.node.type === 'comment' || chunk.node.error) return false;
  const b = chunk.base;
  if (b === 0) return true;
  const prev = text.charCodeAt(b - 1);
  return prev === 10 || prev === 13;
}

/**
 * True when `text` ends outside any string, bracket or line continuation: Python's tokenizer would be
 * back at the top level, so nothing after it can be swallowed by what it contains.
 */
export function isLexicallyClosed(text: string): boolean {
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      // prefixes (r, b, f, u…) only change escapes for raw strings
      let p = i - 1;
      let raw = false;
      while (p >= 0 && /[rRbBfFuUtT]/.test(text[p]!)) {
        if (text[p] === 'r' || text[p] === 'R') raw = true;
        p--;
      }
      const triple = text.startsWith(c + c + c, i);
      const quote = triple ? c + c + c : c;
      i += quote.length;
      let closed = false;
      while (i < n) {
        const d = text[i]!;
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (!triple && (d === '\n' || d === '\r')) return false;
        if (text.startsWith(quote, i)) {
          i += quote.length;
          closed = true;
          break;
        }
        i++;
      }
      void raw;
      if (!closed) return false;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return false;
      if (next === '\n' || next === '\r') {
        if (i + 2 >= n) return false;
      }
    }
    i++;
  }
  return depth === 0;
}
