// A small YAML reader for docker-compose files: block mappings and sequences, flow collections,
// plain / single-quoted / double-quoted scalars (multi-line, folded), literal and folded block
// scalars with chomping, comments, anchors, aliases and `<<` merge keys, tags skipped. Every scalar
// keeps its decoded text mapped to the file. It reads the first document and never throws: what it
// cannot read becomes missing nodes.
import type { Loc } from '../eval/values';
import { MappedBuilder, MappedText } from './text';

export interface YamlScalar {
  readonly kind: 'scalar';
  readonly value: string;
  readonly map: MappedText;
  readonly style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
  readonly loc: Loc;
}

export interface YamlMap {
  readonly kind: 'map';
  readonly entries: { key: YamlScalar; value: YamlNode | undefined }[];
  readonly loc: Loc;
}

export interface YamlSeq {
  readonly kind: 'seq';
  readonly items: YamlNode[];
  readonly loc: Loc;
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq;

interface Line {
  readonly start: number;
  readonly text: string;
  readonly indent: number;
  /** Blank or comment only. */
  readonly empty: boolean;
}

const MAX_DEPTH = 60;

export function parseYaml(file: string, text: string): YamlNode | undefined {
  try {
    return new YamlParser(file, text).document();
  } catch {
    return undefined;
  }
}

/** The value of `key` in a mapping. */
export function yget(node: YamlNode | undefined, key: string): YamlNode | undefined {
  if (node?.kind !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key.value === key) return node.entries[i]!.value;
  return undefined;
}

export function yentry(node: YamlNode | undefined, key: string): { key: YamlScalar; value: YamlNode | undefined } | undefined {
  if (node?.kind !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key.value === key) return node.entries[i];
  return undefined;
}

export function yscalar(node: YamlNode | undefined): YamlScalar | undefined {
  return node?.kind === 'scalar' ? node : undefined;
}

class YamlParser {
  private readonly lines: Line[] = [];
  private li = 0;
  private ci = 0;
  private readonly anchors = new Map<string, YamlNode>();
  private depth = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    let off = 0;
    for (const raw of text.split('\n')) {
      const t = raw.replace(/\r$/, '');
      const indent = t.length - t.replace(/^ +/, '').length;
      const rest = t.slice(indent).replace(/^\t+/, '');
      this.lines.push({ start: off, text: t, indent, empty: rest.trim() === '' || rest.startsWith('#') });
      off += raw.length + 1;
    }
  }

  document(): YamlNode | undefined {
    this.nextContent();
    if (this.li < this.lines.length && /^---(\s|$)/.test(this.lines[this.li]!.text)) {
      this.ci = 3;
      this.skipSpaces();
      if (this.atLineEnd()) {
        this.li++;
        this.nextContent();
      }
    }
    if (this.li >= this.lines.length) return undefined;
    return this.block(-1);
  }

  // ---- cursor helpers ---------------------------------------------------------------------------

  private get line(): Line {
    return this.lines[this.li]!;
  }

  private nextContent(): void {
    while (this.li < this.lines.length && this.lines[this.li]!.empty) this.li++;
    if (this.li < this.lines.length) this.ci = this.lines[this.li]!.indent;
  }

  private skipSpaces(): void {
    const t = this.line.text;
    while (this.ci < t.length && (t[this.ci] === ' ' || t[this.ci] === '\t')) this.ci++;
  }

  /** Nothing but spaces or a comment remains on the line. */
  private atLineEnd(): boolean {
    const rest = this.line.text.slice(this.ci);
    return rest.trim() === '' || /^\s*#/.test(rest);
  }

  private pos(li: number, ci: number): number {
    return this.lines[li]!.start + ci;
  }

  private loc(li0: number, ci0: number, li1: number, ci1: number): Loc {
    return { file: this.file, start: this.pos(li0, ci0), end: this.pos(li1, ci1) };
  }

  private ch(): string | undefined {
    return this.line.text[this.ci];
  }

  // ---- block nodes ------------------------------------------------------------------------------

  /** A node starting at the cursor (content of the current line), inside a parent at `parent` indent. */
  private block(parent: number): YamlNode | undefined {
    if (++this.depth > MAX_DEPTH) throw new Error('too deep');
    try {
      return this.blockInner(parent);
    } finally {
      this.depth--;
    }
  }

  private blockInner(parent: number): YamlNode | undefined {
    let anchor: string | undefined;
    for (let guard = 0; guard < 4; guard++) {
      const c = this.ch();
      if (c === '&') {
        const m = /^&([^\s,[\]{}]+)/.exec(this.line.text.slice(this.ci))!;
        anchor = m[1];
        this.ci += m[0].length;
        this.skipSpaces();
      } else if (c === '!') {
        const m = /^!\S*/.exec(this.line.text.slice(this.ci))!;
        this.ci += m[0].length;
        this.skipSpaces();
      } else break;
      if (this.atLineEnd()) {
        this.li++;
        this.nextContent();
        if (this.li >= this.lines.length || (this.line.indent <= parent && !this.isSeqStart())) return undefined;
      }
    }
    const node = this.blockBody(parent);
    if (anchor && node) this.anchors.set(anchor, node);
    return node;
  }

  private isSeqStart(): boolean {
    const t = this.line.text;
    return t[this.ci] === '-' && (this.ci + 1 >= t.length || t[this.ci + 1] === ' ' || t[this.ci + 1] === '\t');
  }

  private blockBody(parent: number): YamlNode | undefined {
    const c = this.ch();
    if (c === '*') {
      const m = /^\*([^\s,[\]{}]+)/.exec(this.line.text.slice(this.ci))!;
      this.ci += m[0].length;
      this.li++;
      this.nextContent();
      return this.anchors.get(m[1]!);
    }
    if (this.isSeqStart()) return this.seq(this.ci);
    if (c === '[' || c === '{') {
      const n = this.flow();
      this.li++;
      this.nextContent();
      return n;
    }
    if (c === '|' || c === '>') return this.blockScalar(parent);
    if (this.keyAhead()) return this.map(this.ci);
    return this.scalarLine(parent);
  }

  /** A `key:` starts at the cursor. */
  private keyAhead(): boolean {
    const t = this.line.text;
    let i = this.ci;
    if (t[i] === '"' || t[i] === "'") {
      const q = t[i]!;
      i++;
      while (i < t.length) {
        if (q === "'" && t[i] === "'" && t[i + 1] === "'") i += 2;
        else if (q === '"' && t[i] === '\\') i += 2;
        else if (t[i] === q) break;
        else i++;
      }
      i++;
      while (t[i] === ' ') i++;
      return t[i] === ':' && (i + 1 >= t.length || /\s/.test(t[i + 1]!));
    }
    if (t[i] === '[' || t[i] === '{' || t[i] === '#' || (t[i] === '-' && /\s/.test(t[i + 1] ?? ' '))) return false;
    for (; i < t.length; i++) {
      if (t[i] === '#' && i > 0 && /\s/.test(t[i - 1]!)) return false;
      if (t[i] === ':' && (i + 1 >= t.length || /\s/.test(t[i + 1]!))) return true;
    }
    return false;
  }

  private map(col: number): YamlMap {
    const entries: { key: YamlScalar; value: YamlNode | undefined }[] = [];
    const l0 = this.li;
    const c0 = this.ci;
    let lEnd = this.li;
    let cEnd = this.ci;
    while (this.li < this.lines.length && this.ci === col && this.keyAhead()) {
      const key = this.key();
      this.skipSpaces();
      let value: YamlNode | undefined;
      if (this.atLineEnd()) {
        this.li++;
        this.nextContent();
        if (this.li < this.lines.length && (this.line.indent > col || (this.line.indent === col && this.isSeqStart())))
          value = this.block(col);
      } else value = this.inlineValue(col);
      lEnd = Math.max(lEnd, this.li - 1);
      if (key.value === '<<' && value) {
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const src of sources)
          if (src.kind === 'map') for (const e of src.entries) if (!entries.some((x) => x.key.value === e.key.value)) entries.push(e);
      } else {
        const existing = entries.findIndex((x) => x.key.value === key.value);
        if (existing >= 0) entries.splice(existing, 1);
        entries.push({ key, value });
      }
      if (this.li >= this.lines.length) break;
      if (this.line.indent !== col) break;
      this.ci = this.line.indent;
    }
    lEnd = Math.min(lEnd, this.lines.length - 1);
    cEnd = this.lines[lEnd]!.text.length;
    return { kind: 'map', entries, loc: this.loc(l0, c0, lEnd, cEnd) };
  }

  private key(): YamlScalar {
    const t = this.line.text;
    const c = t[this.ci];
    let key: YamlScalar;
    if (c === '"' || c === "'") {
      key = this.quoted(c);
      this.skipSpaces();
    } else {
      const start = this.ci;
      let i = this.ci;
      while (i < t.length && !(t[i] === ':' && (i + 1 >= t.length || /\s/.test(t[i + 1]!)))) i++;
      let end = i;
      while (end > start && /\s/.test(t[end - 1]!)) end--;
      const map = MappedText.slice(this.file, this.text, this.pos(this.li, start), this.pos(this.li, end));
      key = { kind: 'scalar', value: map.text, map, style: 'plain', loc: this.loc(this.li, start, this.li, end) };
      this.ci = i;
    }
    if (this.ch() === ':') this.ci++;
    return key;
  }

  /** A value written on the same line as its key or dash. */
  private inlineValue(parent: number): YamlNode | undefined {
    const c = this.ch();
    if (c === '&' || c === '!' || c === '*') return this.block(parent);
    if (c === '[' || c === '{') {
      const n = this.flow();
      this.li++;
      this.nextContent();
      return n;
    }
    if (c === '|' || c === '>') return this.blockScalar(parent);
    return this.scalarLine(parent);
  }

  private seq(col: number): YamlSeq {
    const items: YamlNode[] = [];
    const l0 = this.li;
    const c0 = this.ci;
    while (this.li < this.lines.length && this.ci === col && this.isSeqStart()) {
      this.ci++;
      this.skipSpaces();
      let item: YamlNode | undefined;
      if (this.atLineEnd()) {
        this.li++;
        this.nextContent();
        if (this.li < this.lines.length && this.line.indent > col) item = this.block(col);
      } else if (this.isSeqStart()) item = this.seq(this.ci);
      else if (this.keyAhead()) item = this.map(this.ci);
      else item = this.inlineValue(col);
      if (item) items.push(item);
      if (this.li >= this.lines.length || this.line.indent !== col) break;
      this.ci = this.line.indent;
    }
    const lEnd = Math.max(l0, Math.min(this.li, this.lines.length) - 1);
    return { kind: 'seq', items, loc: this.loc(l0, c0, lEnd, this.lines[lEnd]!.text.length) };
  }

  // ---- scalars ---------------------------------------------------------------------------------

  /** A plain or quoted scalar starting at the cursor, possibly continued on more-indented lines. */
  private scalarLine(parent: number): YamlScalar {
    const c = this.ch();
    if (c === '"' || c === "'") {
      const s = this.quoted(c);
      this.li++;
      this.nextContent();
      return s;
    }
    const b = new MappedBuilder(this.file, this.pos(this.li, this.ci));
    const l0 = this.li;
    const c0 = this.ci;
    let lEnd = this.li;
    let cEnd = this.ci;
    const takeLine = (from: number): void => {
      const t = this.line.text;
      let end = t.length;
      for (let i = from; i < t.length; i++) {
        if (t[i] === '#' && (i === from || /\s/.test(t[i - 1]!))) {
          end = i;
          break;
        }
      }
      while (end > from && /\s/.test(t[end - 1]!)) end--;
      for (let i = from; i < end; i++) b.push(t[i]!, this.pos(this.li, i), this.pos(this.li, i) + 1);
      lEnd = this.li;
      cEnd = end;
    };
    takeLine(this.ci);
    this.li++;
    // continuation lines (more indented than the parent, not comments)
    let blank = 0;
    while (this.li < this.lines.length) {
      const ln = this.line;
      if (ln.text.trim() === '') {
        blank++;
        this.li++;
        continue;
      }
      if (ln.empty || ln.indent <= parent) break;
      this.ci = ln.indent;
      if (blank > 0) b.push('\n'.repeat(blank), this.pos(this.li, 0), this.pos(this.li, 0));
      else b.push(' ', this.pos(this.li, 0), this.pos(this.li, 0));
      blank = 0;
      takeLine(ln.indent);
      this.li++;
    }
    this.nextContent();
    const map = b.build();
    return { kind: 'scalar', value: map.text, map, style: 'plain', loc: this.loc(l0, c0, lEnd, cEnd) };
  }

  /** A quoted scalar at the cursor (may span lines); leaves the cursor after the closing quote. */
  private quoted(q: string): YamlScalar {
    const l0 = this.li;
    const c0 = this.ci;
    const b = new MappedBuilder(this.file, this.pos(this.li, this.ci));
    this.ci++;
    let pendingBreaks = -1;
    for (;;) {
      const t = this.line.text;
      if (this.ci >= t.length) {
        // line folding: a line break becomes a space, blank lines become newlines
        if (this.li + 1 >= this.lines.length) break;
        // trim trailing spaces already pushed? (kept simple: YAML trims them)
        this.li++;
        this.ci = 0;
        this.skipSpaces();
        pendingBreaks = Math.max(pendingBreaks, 0);
        if (this.ci >= this.line.text.length) {
          pendingBreaks++;
          continue;
        }
        b.push(pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ', this.pos(this.li, this.ci), this.pos(this.li, this.ci));
        pendingBreaks = -1;
        continue;
      }
      const c = t[this.ci]!;
      if (q === "'" && c === "'") {
        if (t[this.ci + 1] === "'") {
          b.push("'", this.pos(this.li, this.ci), this.pos(this.li, this.ci + 2));
          this.ci += 2;
          continue;
        }
        this.ci++;
        break;
      }
      if (q === '"' && c === '"') {
        this.ci++;
        break;
      }
      if (q === '"' && c === '\\') {
        const e = t[this.ci + 1];
        if (e === undefined) {
          // escaped line break: no space
          if (this.li + 1 >= this.lines.length) break;
          this.li++;
          this.ci = 0;
          this.skipSpaces();
          continue;
        }
        const simple: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          '"': '"',
          '\\': '\\',
          '/': '/',
          '0': '\0',
          ' ': ' ',
          e: '\x1b',
          a: '\x07',
          b: '\b',
          f: '\f',
          v: '\v',
          N: '\x85',
          _: '\xa0',
        };
        if (simple[e] !== undefined) {
          b.push(simple[e]!, this.pos(this.li, this.ci), this.pos(this.li, this.ci + 2));
          this.ci += 2;
          continue;
        }
        const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        if (hex > 0 && new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(t.slice(this.ci + 2, this.ci + 2 + hex))) {
          b.push(
            String.fromCodePoint(Number.parseInt(t.slice(this.ci + 2, this.ci + 2 + hex), 16)),
            this.pos(this.li, this.ci),
            this.pos(this.li, this.ci + 2 + hex),
          );
          this.ci += 2 + hex;
          continue;
        }
        b.push(e, this.pos(this.li, this.ci), this.pos(this.li, this.ci + 2));
        this.ci += 2;
        continue;
      }
      b.push(c, this.pos(this.li, this.ci), this.pos(this.li, this.ci) + 1);
      this.ci++;
    }
    const map = b.build();
    return { kind: 'scalar', value: map.text, map, style: q === '"' ? 'double' : 'single', loc: this.loc(l0, c0, this.li, this.ci) };
  }

  private blockScalar(parent: number): YamlScalar {
    const header = /^([|>])([+-]?)(\d?)([+-]?)/.exec(this.line.text.slice(this.ci))!;
    const folded = header[1] === '>';
    const chomp = header[2] || header[4] || '';
    const explicit = header[3] ? Number(header[3]) : 0;
    const l0 = this.li;
    const c0 = this.ci;
    this.li++;
    // content indentation: explicit, or that of the first non-blank line
    let indent = explicit > 0 ? Math.max(0, parent) + explicit : -1;
    const body: { li: number; from: number }[] = [];
    let k = this.li;
    while (k < this.lines.length) {
      const ln = this.lines[k]!;
      if (ln.text.trim() === '') {
        body.push({ li: k, from: -1 });
        k++;
        continue;
      }
      if (indent < 0) indent = ln.indent;
      if (ln.indent < indent || ln.indent <= parent) break;
      body.push({ li: k, from: indent });
      k++;
    }
    // trailing blank lines belong to the scalar only for chomping; stop at the last content line
    while (body.length > 0 && body[body.length - 1]!.from < 0) body.pop();
    const b = new MappedBuilder(this.file, this.pos(l0, c0));
    let prevMoreIndented = false;
    body.forEach((x, idx) => {
      const ln = this.lines[x.li]!;
      if (idx > 0) {
        const prev = body[idx - 1]!;
        const sep = !folded || x.from < 0 || prev.from < 0 || prevMoreIndented || (x.from >= 0 && ln.indent > indent) ? '\n' : ' ';
        b.push(sep, ln.start, ln.start);
      }
      if (x.from >= 0) {
        for (let i = x.from; i < ln.text.length; i++) b.push(ln.text[i]!, ln.start + i, ln.start + i + 1);
        prevMoreIndented = ln.indent > indent;
      }
    });
    if (chomp !== '-' && body.length > 0) {
      const last = this.lines[body[body.length - 1]!.li]!;
      b.push('\n', last.start + last.text.length, last.start + last.text.length);
    }
    const lastLi = body.length > 0 ? body[body.length - 1]!.li : l0;
    this.li = Math.max(this.li, lastLi + 1);
    this.nextContent();
    const map = b.build();
    return {
      kind: 'scalar',
      value: map.text,
      map,
      style: folded ? 'folded' : 'literal',
      loc: this.loc(l0, c0, lastLi, this.lines[lastLi]!.text.length),
    };
  }

  // ---- flow collections ------------------------------------------------------------------------

  /** A flow collection at the cursor; leaves the cursor on its last line. */
  private flow(): YamlNode | undefined {
    if (++this.depth > MAX_DEPTH) throw new Error('too deep');
    try {
      return this.flowInner();
    } finally {
      this.depth--;
    }
  }

  private flowSkip(): void {
    for (;;) {
      const t = this.line.text;
      while (this.ci < t.length && /\s/.test(t[this.ci]!)) this.ci++;
      if (this.ci < t.length && t[this.ci] === '#') this.ci = t.length;
      if (this.ci < t.length) return;
      if (this.li + 1 >= this.lines.length) return;
      this.li++;
      this.ci = 0;
    }
  }

  private flowInner(): YamlNode | undefined {
    const open = this.ch();
    const l0 = this.li;
    const c0 = this.ci;
    this.ci++;
    if (open === '[') {
      const items: YamlNode[] = [];
      for (;;) {
        this.flowSkip();
        const c = this.ch();
        if (c === undefined) break;
        if (c === ']') {
          this.ci++;
          break;
        }
        if (c === ',') {
          this.ci++;
          continue;
        }
        const item = this.flowItem();
        if (item) items.push(item);
        else this.ci++;
      }
      return { kind: 'seq', items, loc: this.loc(l0, c0, this.li, this.ci) };
    }
    const entries: { key: YamlScalar; value: YamlNode | undefined }[] = [];
    for (;;) {
      this.flowSkip();
      const c = this.ch();
      if (c === undefined) break;
      if (c === '}') {
        this.ci++;
        break;
      }
      if (c === ',') {
        this.ci++;
        continue;
      }
      const key = this.flowItem();
      this.flowSkip();
      let value: YamlNode | undefined;
      if (this.ch() === ':') {
        this.ci++;
        this.flowSkip();
        if (this.ch() !== ',' && this.ch() !== '}') value = this.flowItem();
      }
      if (key?.kind === 'scalar') entries.push({ key, value });
      else if (!key) this.ci++;
    }
    return { kind: 'map', entries, loc: this.loc(l0, c0, this.li, this.ci) };
  }

  private flowItem(): YamlNode | undefined {
    const c = this.ch();
    if (c === '[' || c === '{') return this.flow();
    if (c === '"' || c === "'") return this.quoted(c);
    if (c === '*') {
      const m = /^\*([^\s,[\]{}]+)/.exec(this.line.text.slice(this.ci))!;
      this.ci += m[0].length;
      return this.anchors.get(m[1]!);
    }
    const t = this.line.text;
    const start = this.ci;
    let i = this.ci;
    while (
      i < t.length &&
      !',[]{}'.includes(t[i]!) &&
      !(t[i] === ':' && (i + 1 >= t.length || /[\s,\]}]/.test(t[i + 1]!))) &&
      !(t[i] === '#' && /\s/.test(t[i - 1] ?? ' '))
    )
      i++;
    let end = i;
    while (end > start && /\s/.test(t[end - 1]!)) end--;
    this.ci = i;
    if (end === start) return undefined;
    const map = MappedText.slice(this.file, this.text, this.pos(this.li, start), this.pos(this.li, end));
    return { kind: 'scalar', value: map.text, map, style: 'plain', loc: this.loc(this.li, start, this.li, end) };
  }
}
