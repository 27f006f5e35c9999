// YAML (docker-compose files, and the manifests to come) read with the `yaml` package: its parser
// gives the documents of a file, the anchors, aliases and `<<` merge keys, the errors, and each
// node's place in the file; this module turns them into a small model whose every scalar keeps its
// decoded text mapped character by character to the file (a plain scalar folded over lines, a
// quoted one with escapes, a literal or folded block scalar), so that a finding on `--reload` in a
// `command: >` lands on `--reload`. The decoding mirrors the package's own; a scalar whose decoded
// text is not the package's value (which should not happen) keeps the package's value, every
// character mapped to the whole scalar.
//
// It never throws. A file with syntax errors is read as the package reads it (it recovers, so the
// documents are partial) and the errors are listed as problems. A document whose aliases expand
// past the package's alias-count limit (a "billion laughs") is not read at all: it is undefined,
// with a problem saying so. Aliases are shared nodes, never copies.
import type * as Yaml from 'yaml';
import type { Alias, CST, Document, Node as LibNode, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Loc } from '../eval/values';
import { MappedBuilder, type MappedText } from './text';

export interface YamlScalar {
  readonly kind: 'scalar';
  /** The text as written, decoded (quotes, escapes, folding); never converted to a number or boolean. */
  readonly value: string;
  readonly map: MappedText;
  readonly style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
  /** Quotes included; a block scalar from its `|`/`>` to the end of its last line of content. */
  readonly loc: Loc;
}

export interface YamlMap {
  readonly kind: 'map';
  /** Keys once each (a key given twice keeps its last value), merge keys resolved. */
  readonly entries: { key: YamlScalar; value: YamlNode | undefined }[];
  readonly loc: Loc;
}

export interface YamlSeq {
  readonly kind: 'seq';
  /** Empty items are left out. */
  readonly items: YamlNode[];
  readonly loc: Loc;
}

/** An empty value (`key:` with nothing after it) is no node: undefined. */
export type YamlNode = YamlScalar | YamlMap | YamlSeq;

export interface YamlProblem {
  readonly message: string;
  readonly loc: Loc;
}

export interface YamlStream {
  /** One root per document of the file, undefined for an empty or refused document. */
  readonly documents: readonly (YamlNode | undefined)[];
  readonly problems: readonly YamlProblem[];
}

/**
 * The `yaml` package's alias limit (its `maxAliasCount`, default 100): an anchor's uses times the
 * aliases inside it. A document over it is not read.
 */
export const MAX_YAML_ALIASES = 100;

/** A document nested deeper is not read (with a problem): no real deployment file nests this deep. */
const MAX_DEPTH = 200;

/** When the package's alias check could not run to its end: the most nodes the aliases may expand to. */
const MAX_EXPANDED = 1_000_000;

/**
 * The `yaml` package, evaluated when the first YAML file is read: it is a seventh of the CLI's
 * bundle, and evaluating it at start-up cost every run, with or without a compose file.
 */
let yamlLib: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  return (yamlLib ??= require('yaml') as typeof Yaml);
}

/** The first document of a file (what the compose reader long read), undefined when there is none. */
export function parseYaml(file: string, text: string): YamlNode | undefined {
  return parseYamlDocuments(file, text).documents[0];
}

/** Every document of a file, with the syntax errors and refused documents as problems. */
export function parseYamlDocuments(file: string, text: string): YamlStream {
  const problems: YamlProblem[] = [];
  const documents: (YamlNode | undefined)[] = [];
  const at = (start: number, end = start): Loc => ({ file, start: Math.min(start, text.length), end: Math.min(end, text.length) });
  let docs: Document.Parsed[];
  const { Composer, Parser } = yaml();
  try {
    // parseAllDocuments in two steps: the parser (no recursion) gives each document's tokens, and
    // a document nested too deep is made empty before the composer (which recurses) sees it: deep
    // enough, the recursion does not merely throw, it can take the process down
    const tokens = Array.from(new Parser().parse(text)).map((t) => {
      if (t.type !== 'document' || !t.value || cstDepth(t.value) <= MAX_DEPTH) return t;
      problems.push({ message: `YAML document not read: nested deeper than ${MAX_DEPTH} levels`, loc: at(t.value.offset) });
      return { ...t, value: undefined };
    });
    const composer = new Composer({
      keepSourceTokens: true,
      merge: true,
      logLevel: 'silent',
      // checked in the model instead: the package's check is quadratic in a mapping's keys
      uniqueKeys: false,
    });
    docs = Array.from(composer.compose(tokens)) as Document.Parsed[];
  } catch (e) {
    return { documents, problems: [...problems, { message: `YAML not read: ${errorText(e)}`, loc: at(0) }] };
  }
  for (const doc of docs) {
    for (const e of doc.errors) problems.push({ message: e.message, loc: at(e.pos[0], e.pos[1]) });
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    try {
      // the package's own guard: toJS counts every alias it expands and stops past the limit
      let checked = true;
      try {
        doc.toJS({ maxAliasCount: MAX_YAML_ALIASES, mapAsMap: true });
      } catch (e) {
        if (e instanceof ReferenceError && /excessive alias count/i.test(e.message)) {
          problems.push({ message: `YAML document not read: its aliases expand past ${MAX_YAML_ALIASES} (${e.message})`, loc: at(start) });
          documents.push(undefined);
          continue;
        }
        checked = false;
      }
      const root = new DocumentReader(file, text, doc, problems).root();
      if (!checked && expandedSize(root, new Map()) > MAX_EXPANDED) {
        problems.push({ message: `YAML document not read: its aliases expand to more than ${MAX_EXPANDED} nodes`, loc: at(start) });
        documents.push(undefined);
        continue;
      }
      documents.push(root);
    } catch (e) {
      problems.push({ message: `YAML document not read: ${errorText(e)}`, loc: at(start) });
      documents.push(undefined);
    }
  }
  return { documents, problems };
}

/** How deep the collections of a document's tokens nest (counting stops past MAX_DEPTH). */
function cstDepth(root: CST.Token): number {
  let max = 0;
  const stack: [CST.Token, number][] = [[root, 1]];
  while (stack.length > 0 && max <= MAX_DEPTH) {
    const [t, d] = stack.pop()!;
    max = Math.max(max, d);
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection')
      for (const item of t.items as CST.CollectionItem[]) {
        if (item.key) stack.push([item.key, d + 1]);
        if (item.value) stack.push([item.value, d + 1]);
      }
  }
  return max;
}

/** The value of `key` in a mapping. */
export function yget(node: YamlNode | undefined, key: string): YamlNode | undefined {
  return yentry(node, key)?.value;
}

export function yentry(node: YamlNode | undefined, key: string): { key: YamlScalar; value: YamlNode | undefined } | undefined {
  if (node?.kind !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key.value === key) return node.entries[i];
  return undefined;
}

export function yscalar(node: YamlNode | undefined): YamlScalar | undefined {
  return node?.kind === 'scalar' ? node : undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** How many nodes a tree walk of `node` would visit, aliases expanded (stops counting past the limit). */
function expandedSize(node: YamlNode | undefined, memo: Map<YamlNode, number>): number {
  if (!node) return 0;
  const kept = memo.get(node);
  if (kept !== undefined) return kept;
  let n = 1;
  if (node.kind === 'map') for (const e of node.entries) n += 1 + expandedSize(e.value, memo);
  else if (node.kind === 'seq') for (const i of node.items) n += expandedSize(i, memo);
  n = Math.min(n, MAX_EXPANDED + 1);
  memo.set(node, n);
  return n;
}

const STYLES: Record<string, YamlScalar['style']> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
} satisfies Record<Scalar.Type, YamlScalar['style']>;

/** Builds the model of one document from the package's nodes. */
class DocumentReader {
  private readonly built = new Map<LibNode, YamlNode | undefined>();
  private readonly building = new Set<LibNode>();
  /** The node each alias names: the last one before it with that anchor, as the package resolves it. */
  private readonly targets = new Map<Alias, LibNode | undefined>();
  private readonly y = yaml();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly problems: YamlProblem[],
  ) {
    const anchors = new Map<string, LibNode>();
    this.y.visit(doc, {
      Node: (_key, n) => {
        if (this.y.isAlias(n)) this.targets.set(n, anchors.get(n.source));
        else if (n.anchor) anchors.set(n.anchor, n);
      },
    });
  }

  root(): YamlNode | undefined {
    return this.node(this.doc.contents, 0);
  }

  private loc(start: number, end: number): Loc {
    return { file: this.file, start, end };
  }

  private node(n: unknown, depth: number): YamlNode | undefined {
    const { isAlias, isMap, isScalar } = this.y;
    if (isAlias(n)) {
      const target = this.targets.get(n);
      // an alias inside the node it names (`&a [*a]`) would make the model a cycle
      if (!target || this.building.has(target)) return undefined;
      return this.node(target, depth);
    }
    if (!isScalar(n) && !isMap(n) && !this.y.isSeq(n)) return undefined;
    if (this.built.has(n)) return this.built.get(n);
    if (depth > MAX_DEPTH) {
      const r = n.range ?? [0, 0];
      this.problems.push({ message: `YAML nested deeper than ${MAX_DEPTH} levels: not read`, loc: this.loc(r[0], r[0]) });
      this.built.set(n, undefined);
      return undefined;
    }
    this.building.add(n);
    let out: YamlNode | undefined;
    try {
      out = isScalar(n) ? this.scalar(n) : isMap(n) ? this.map(n, depth) : this.seq(n as YAMLSeq, depth);
    } finally {
      this.building.delete(n);
    }
    this.built.set(n, out);
    return out;
  }

  private map(n: YAMLMap, depth: number): YamlMap {
    // by key, in order: a key given again moves to the end with its new value
    const entries = new Map<string, { key: YamlScalar; value: YamlNode | undefined }>();
    const written = new Set<string>();
    for (const pair of n.items) {
      const k = pair.key;
      if (this.y.isScalar(k) && k.type === 'PLAIN' && k.source === '<<') {
        // a merge key: the entries of the mapping (or mappings, the first one winning) not already here
        const v = this.node(pair.value, depth + 1);
        const sources = v?.kind === 'seq' ? v.items : v ? [v] : [];
        for (const src of sources)
          if (src.kind === 'map') for (const e of src.entries) if (!entries.has(e.key.value)) entries.set(e.key.value, e);
        continue;
      }
      const key = this.node(k, depth + 1);
      if (key?.kind !== 'scalar') continue;
      const value = this.node(pair.value, depth + 1);
      // the package's own check of this (uniqueKeys) compares each key with every one before it
      if (written.has(key.value)) this.problems.push({ message: 'Map keys must be unique', loc: key.loc });
      written.add(key.value);
      entries.delete(key.value);
      entries.set(key.value, { key, value });
    }
    return { kind: 'map', entries: [...entries.values()], loc: this.collectionLoc(n) };
  }

  private seq(n: YAMLSeq, depth: number): YamlSeq {
    const items: YamlNode[] = [];
    for (const item of n.items) {
      const node = this.node(item, depth + 1);
      if (node) items.push(node);
    }
    return { kind: 'seq', items, loc: this.collectionLoc(n) };
  }

  private collectionLoc(n: YAMLMap | YAMLSeq): Loc {
    const [start, end0] = n.range ?? [0, 0];
    let end = end0;
    while (end > start && /\s/.test(this.text[end - 1]!)) end--;
    return this.loc(start, end);
  }

  private scalar(n: Scalar): YamlScalar | undefined {
    const source = typeof n.source === 'string' ? n.source : String(n.value ?? '');
    const style = STYLES[n.type ?? 'PLAIN'] ?? 'plain';
    if (style === 'plain' && source === '') return undefined;
    const [start, end] = n.range ?? [0, 0];
    const tok = n.srcToken;
    let decoded: { map: MappedText; end: number } | undefined;
    try {
      if (tok?.type === 'block-scalar') decoded = blockScalar(this.file, this.text, tok);
      else if (tok && (tok.type === 'scalar' || tok.type === 'single-quoted-scalar' || tok.type === 'double-quoted-scalar'))
        decoded = flowScalar(this.file, this.text, tok);
    } catch {
      decoded = undefined;
    }
    if (decoded && decoded.map.text === source)
      return { kind: 'scalar', value: source, map: decoded.map, style, loc: this.loc(start, decoded.end) };
    // not decoded as the package decoded it: its value, each character on the whole scalar
    const b = new MappedBuilder(this.file, start);
    b.push(source, start, end);
    return { kind: 'scalar', value: source, map: b.build(), style, loc: this.loc(start, end) };
  }
}

// ---- scalars decoded with their map (the package's compose/resolve-flow-scalar and
// resolve-block-scalar, character by character; a character the decoding adds, such as the space a
// line break folds into, is zero-width at the start of the line it joins, or of that line's content
// in a quoted scalar, as the old reader placed them) ---------------------------------------------

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Characters [from, to) of the file, each on itself. */
function copy(b: MappedBuilder, text: string, from: number, to: number): void {
  for (let i = from; i < to; i++) b.push(text[i]!, i, i + 1);
}

function flowScalar(file: string, text: string, tok: CST.FlowScalar): { map: MappedText; end: number } | undefined {
  const from = tok.offset;
  const to = from + tok.source.length;
  if (text.slice(from, to) !== tok.source) return undefined;
  const b = new MappedBuilder(file, from);
  if (tok.type === 'scalar') unfold(b, text, from, to, true);
  else if (tok.type === 'single-quoted-scalar') {
    const inner = new MappedBuilder(file, from + 1);
    unfold(inner, text, from + 1, Math.max(from + 1, to - 1), false);
    const m = inner.build();
    for (let i = 0; i < m.length; i++) {
      if (m.text[i] === "'" && m.text[i + 1] === "'") {
        b.push("'", m.starts[i]!, m.ends[i + 1]!);
        i++;
      } else b.pushMapped(m, i, i + 1);
    }
  } else doubleQuoted(b, text, from, to);
  return { map: b.build(), end: to };
}

/**
 * A plain scalar's lines (or a single-quoted one's inside): a line break folds into a space, n
 * blank lines into n line breaks, put at the start of the next line (plain) or of its content
 * (quoted), where the old reader put them.
 */
function unfold(b: MappedBuilder, text: string, from: number, to: number, atLineStart: boolean): void {
  let nl = text.indexOf('\n', from);
  if (nl < 0 || nl >= to) {
    copy(b, text, from, to);
    return;
  }
  let e = nl;
  if (e > from && text[e - 1] === '\r') e--;
  while (e > from && isBlank(text[e - 1])) e--;
  copy(b, text, from, e);
  let blankLines = 0;
  let pos = nl + 1;
  for (nl = text.indexOf('\n', pos); nl >= 0 && nl < to; nl = text.indexOf('\n', pos)) {
    let a = pos;
    let z = nl;
    if (z > a && text[z - 1] === '\r') z--;
    while (a < z && isBlank(text[a])) a++;
    while (z > a && isBlank(text[z - 1])) z--;
    if (a === z) blankLines++;
    else {
      b.push(blankLines > 0 ? '\n'.repeat(blankLines) : ' ', atLineStart ? pos : a, atLineStart ? pos : a);
      copy(b, text, a, z);
      blankLines = 0;
    }
    pos = nl + 1;
  }
  let a = pos;
  while (a < to && isBlank(text[a])) a++;
  b.push(blankLines > 0 ? '\n'.repeat(blankLines) : ' ', atLineStart ? pos : a, atLineStart ? pos : a);
  copy(b, text, a, to);
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

function doubleQuoted(b: MappedBuilder, text: string, from: number, to: number): void {
  const at = (k: number): string | undefined => (k < to ? text[k] : undefined);
  for (let i = from + 1; i < to - 1; ++i) {
    const ch = text[i]!;
    if (ch === '\r' && at(i + 1) === '\n') continue;
    if (ch === '\n') {
      let fold = '';
      let off = i;
      let c = at(off + 1);
      while (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        if (c === '\r' && at(off + 2) !== '\n') break;
        if (c === '\n') fold += '\n';
        off++;
        c = at(off + 1);
      }
      b.push(fold || ' ', off + 1, off + 1);
      i = off;
    } else if (ch === '\\') {
      const esc = i;
      let next = at(++i);
      if (next !== undefined && Object.hasOwn(ESCAPES, next)) b.push(ESCAPES[next]!, esc, i + 1);
      else if (next === '\n') {
        // an escaped line break: nothing, and the next line's leading blanks go too
        next = at(i + 1);
        while (isBlank(next)) next = at(++i + 1);
      } else if (next === '\r' && at(i + 1) === '\n') {
        next = at(++i + 1);
        while (isBlank(next)) next = at(++i + 1);
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const digits = text.slice(i + 1, Math.min(i + 1 + length, to));
        const code = digits.length === length && /^[0-9a-fA-F]+$/.test(digits) ? Number.parseInt(digits, 16) : Number.NaN;
        let s: string;
        try {
          s = String.fromCodePoint(code);
        } catch {
          s = text.slice(i - 1, Math.min(i + 1 + length, to));
        }
        b.push(s, esc, Math.min(i + 1 + length, to));
        i += length;
      } else b.push(text.slice(i - 1, Math.min(i + 1, to)), esc, Math.min(i + 1, to));
    } else if (isBlank(ch)) {
      // blanks before a line break are dropped
      const ws = i;
      let next = at(i + 1);
      while (isBlank(next)) next = at(++i + 1);
      if (next !== '\n' && !(next === '\r' && at(i + 2) === '\n')) copy(b, text, ws, i + 1);
    } else b.push(ch, i, i + 1);
  }
}

interface BlockLine {
  /** Where the line starts in the file. */
  readonly start: number;
  /** Its leading spaces. */
  readonly indent: number;
  /** Its content [cs, ce), a CR before the line break excluded. */
  readonly cs: number;
  readonly ce: number;
  /** The content was only a CR. */
  readonly empty: boolean;
}

function blockScalar(file: string, text: string, tok: CST.BlockScalar): { map: MappedText; end: number } | undefined {
  const header = tok.props[0];
  if (header?.type !== 'block-scalar-header') return undefined;
  const folded = header.source[0] === '>';
  let explicit = 0;
  let chomp = '';
  for (let i = 1; i < header.source.length; ++i) {
    const ch = header.source[i]!;
    if (!chomp && (ch === '-' || ch === '+')) chomp = ch;
    else {
      const n = Number(ch);
      if (!explicit && n) explicit = n;
    }
  }
  let headerLength = 0;
  let headerLineEnd = -1;
  for (const p of tok.props) {
    if (p.type === 'newline' && headerLineEnd < 0) headerLineEnd = tok.offset + headerLength;
    headerLength += 'source' in p && typeof p.source === 'string' ? p.source.length : 0;
  }
  if (headerLineEnd < 0) headerLineEnd = tok.offset + headerLength;
  const srcStart = tok.offset + headerLength;
  const srcEnd = srcStart + tok.source.length;
  if (text.slice(srcStart, srcEnd) !== tok.source) return undefined;

  const lines: BlockLine[] = [];
  if (tok.source) {
    for (let pos = srcStart; ; ) {
      let k = pos;
      while (k < srcEnd && text[k] === ' ') k++;
      const nl = text.indexOf('\n', k);
      const ce = nl < 0 || nl >= srcEnd ? srcEnd : nl;
      const cr = ce > k && text[ce - 1] === '\r';
      lines.push({ start: pos, indent: k - pos, cs: k, ce: cr ? ce - 1 : ce, empty: ce === k || (cr && ce - 1 === k) });
      if (ce >= srcEnd) break;
      pos = ce + 1;
    }
  }
  const b = new MappedBuilder(file, srcStart);
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i]!.empty) chompStart = i;
    else break;
  }
  if (chompStart === 0) {
    if (chomp === '+' && lines.length > 0) b.push('\n'.repeat(Math.max(1, lines.length - 1)), srcStart, srcStart);
    return { map: b.build(), end: headerLineEnd };
  }
  let trimIndent = tok.indent + explicit;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const l = lines[i]!;
    if (l.empty) {
      if (explicit === 0 && l.indent > trimIndent) trimIndent = l.indent;
    } else {
      if (explicit === 0) trimIndent = l.indent;
      contentStart = i;
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) if (lines[i]!.indent > trimIndent) chompStart = i + 1;

  /** The line's spaces past the content's indentation. */
  const extra = (l: BlockLine, indent: number): void => {
    if (indent > trimIndent) copy(b, text, l.start + trimIndent, l.start + indent);
  };
  for (let i = 0; i < contentStart; ++i) {
    const l = lines[i]!;
    extra(l, l.indent);
    b.push('\n', lines[i + 1]!.start, lines[i + 1]!.start);
  }
  let sep = '';
  let prevMoreIndented = false;
  let lastContent = -1;
  for (let i = contentStart; i < chompStart; ++i) {
    const l = lines[i]!;
    const content = l.empty ? '' : text.slice(l.cs, l.ce);
    // a content line less indented than the first one (an error) keeps no indentation
    const indent = content && l.indent < trimIndent ? 0 : l.indent;
    if (content) lastContent = i;
    if (!folded) {
      b.push(sep, l.start, l.start);
      extra(l, indent);
      copy(b, text, l.cs, l.ce);
      sep = '\n';
    } else if (indent > trimIndent || content[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      b.push(sep, l.start, l.start);
      extra(l, indent);
      copy(b, text, l.cs, l.ce);
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') b.push('\n', l.start, l.start);
      else sep = '\n';
    } else {
      b.push(sep, l.start, l.start);
      copy(b, text, l.cs, l.ce);
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  const lastEnd = lastContent >= 0 ? lines[lastContent]!.ce : headerLineEnd;
  if (chomp === '+') {
    for (let i = chompStart; i < lines.length; ++i) {
      const l = lines[i]!;
      b.push('\n', l.start, l.start);
      extra(l, l.indent);
    }
    const m = b.build();
    if (m.text[m.length - 1] !== '\n') b.push('\n', srcEnd, srcEnd);
  } else if (chomp !== '-') b.push('\n', lastEnd, lastEnd);
  return { map: b.build(), end: lastEnd };
}
