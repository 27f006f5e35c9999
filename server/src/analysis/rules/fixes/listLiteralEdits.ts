// Moving and removing entries inside one list literal, as text edits: with each element on lines of
// its own, whole lines move with their comma, trailing comment and the comment lines directly above
// them (in the list's indentation and line endings), and a removed entry leaves its comments
// behind; in a list without comments, the items change places and the separators stay.
import type { Value } from '../../eval/values';
import type { PyNode } from '../../parse/ast';
import type { RuleContext } from '../types';
import { lineEnding } from './edits';
import type { Change } from './listChange';
import { literalOf, reorderElements, type Literal } from './listLiteral';
import { lineStart } from './listSource';
import type { TextEdit } from './types';

/** Edits that move or remove entries of one list literal, so that the list evaluates to `next`; undefined when that is not certain. */
export function literalEdits(
  ctx: RuleContext,
  order: Value[],
  next: Value[],
  changes: readonly Change[],
  whole: boolean,
): TextEdit[] | undefined {
  const first = changes[0]!.items[0];
  if (!first) return undefined;
  const lit = literalOf(ctx, order, first, changes[0]!.setting.name);
  if (!lit) return undefined;
  const seq = reorderElements(lit, changes);
  if (!seq) return undefined;
  // The source edit must evaluate to exactly the list the rules were re-run on.
  const result = [...order.slice(0, lit.at), ...seq.map((e) => lit.values[e]!), ...order.slice(lit.at + lit.values.length)];
  if (result.length !== next.length || result.some((v, i) => v !== next[i])) return undefined;
  const layout = lineLayout(lit) ?? slotLayout(lit);
  return layout?.(changes, seq, whole);
}

type Layout = (changes: readonly Change[], seq: readonly number[], whole: boolean) => TextEdit[] | undefined;

interface Block {
  readonly el: number;
  /** Offsets of the block: its own comment lines above, the element's lines, through the line ending. */
  readonly start: number;
  readonly end: number;
  readonly elStart: number;
  readonly elEnd: number;
  readonly lineStart: number;
  readonly comma: boolean;
  readonly indent: string;
}

interface Seg {
  readonly id: string;
  readonly text: string;
  /** For an element's block: the element, and where it ends in `text` (for adding a comma). */
  readonly el?: number;
  readonly elEnd?: number;
  readonly comma?: boolean;
}

/** The rest of an element's line: its comma (1), the comment, the line end (spaces after a comma only: [ \t]*,?[ \t]* split a run of spaces each way). */
export const ELEMENT_LINE_REST = /^[ \t]*(,?)(?:(?<=,)[ \t]*)?(?:#[^\r\n]*)?\r?\n/;

/**
 * Layout with each element on lines of its own (`[` and `]` on theirs): elements move as whole
 * lines. Undefined for any other layout.
 */
function lineLayout(lit: Literal): Layout | undefined {
  const { text, base, node: list, file } = lit;
  const open = base + list.start;
  const close = base + list.end - 1;
  const afterOpen = /^[ \t]*(?:#[^\r\n]*)?\r?\n/.exec(text.slice(open + 1));
  if (!afterOpen || lit.elements.length === 0) return undefined;
  const interiorStart = open + 1 + afterOpen[0].length;
  const interiorEnd = lineStart(text, close);
  if (!/^[ \t]*$/.test(text.slice(interiorEnd, close))) return undefined;
  const blocks: Block[] = [];
  let prevEnd = interiorStart;
  for (const [el, n] of lit.elements.entries()) {
    const elStart = base + n.start;
    const elEnd = base + n.end;
    const ls = lineStart(text, elStart);
    if (ls < prevEnd || !/^[ \t]*$/.test(text.slice(ls, elStart))) return undefined;
    const rest = ELEMENT_LINE_REST.exec(text.slice(elEnd));
    if (!rest) return undefined;
    const end = elEnd + rest[0].length;
    if (end > interiorEnd) return undefined;
    // comment lines directly above belong to the element, unless they look like a commented-out entry
    let start = ls;
    while (start > prevEnd) {
      const above = lineStart(text, start - 1);
      if (!/^[ \t]*#(?![ \t]*['"])/.test(text.slice(above, start))) break;
      start = above;
    }
    blocks.push({ el, start, end, elStart, elEnd, lineStart: ls, comma: rest[1] === ',', indent: text.slice(ls, elStart) });
    prevEnd = end;
  }
  const eol = lineEnding(text);
  const original: Seg[] = [];
  const offsets = new Map<string, [number, number]>();
  let cursor = interiorStart;
  for (const b of blocks) {
    original.push({ id: `g${b.el}`, text: text.slice(cursor, b.start) });
    offsets.set(`g${b.el}`, [cursor, b.start]);
    original.push({ id: `b${b.el}`, text: text.slice(b.start, b.end), el: b.el, elEnd: b.elEnd - b.start, comma: b.comma });
    offsets.set(`b${b.el}`, [b.start, b.end]);
    cursor = b.end;
  }
  original.push({ id: 'tail', text: text.slice(cursor, interiorEnd) });
  offsets.set('tail', [cursor, interiorEnd]);
  // between the elements' lines only blank and comment lines (a comma on a line of its own would not move)
  if (original.some((s) => s.el === undefined && !/^(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*$/.test(s.text))) return undefined;

  const reindent = (seg: Seg, from: Block, to: Block): Seg => {
    if (from.indent === to.indent || /[\r\n]/.test(text.slice(from.elStart, from.elEnd))) return seg;
    const lines = seg.text.split(/(?<=\n)/);
    const out = lines.map((l) => (l.startsWith(from.indent) ? to.indent + l.slice(from.indent.length) : l));
    const shift = out.join('').length - seg.text.length;
    return { ...seg, text: out.join(''), elEnd: seg.elEnd! + shift };
  };
  const remnant = (b: Block): Seg => {
    // the element goes; its comments stay, each on a line of its own
    const lead = text.slice(b.start, b.lineStart);
    const comments: string[] = [];
    const collect = (n: PyNode): void => {
      if (n.type === 'comment' && n.text) comments.push(n.text);
      n.children.forEach(collect);
    };
    collect(lit.elements[b.el]!);
    const trailing = /#[^\r\n]*/.exec(text.slice(b.elEnd, b.end));
    if (trailing) comments.push(trailing[0]);
    const lineEnd = /\r?\n$/.exec(text.slice(b.start, b.end))?.[0] ?? eol;
    return { id: `r${b.el}`, text: lead + comments.map((c) => b.indent + c + lineEnd).join('') };
  };

  return (changes, seq, whole) => {
    let segs = [...original];
    const find = (el: number): number => segs.findIndex((s) => s.el === el);
    for (const c of changes) {
      const els = c.items.map((i) => lit.values.indexOf(i.value));
      if (c.kind === 'remove') {
        for (const el of els) segs[find(el)] = remnant(blocks[el]!);
        continue;
      }
      const anchorEl = lit.values.indexOf((c.before ?? c.after)!.value);
      const moving = els.map((el) => segs[find(el)]!);
      segs = segs.filter((s) => !moving.includes(s));
      const a = find(anchorEl);
      const target = blocks[anchorEl]!;
      const placed = moving.map((s) => reindent(s, blocks[s.el!]!, target));
      segs.splice(c.before ? a : a + 1, 0, ...placed);
    }
    const order = segs.filter((s) => s.el !== undefined).map((s) => s.el!);
    if (order.length !== seq.length || order.some((e, i) => e !== seq[i])) return undefined;
    // every element but the last needs its comma (a tuple of one needs it too)
    const lastBlock = segs.map((s) => s.el !== undefined).lastIndexOf(true);
    segs = segs.map((s, i) => {
      const needs = i !== lastBlock || (list.type === 'tuple' && order.length === 1);
      return s.el !== undefined && needs && !s.comma
        ? { ...s, text: s.text.slice(0, s.elEnd!) + ',' + s.text.slice(s.elEnd!), comma: true }
        : s;
    });
    if (whole) {
      const interior = segs.map((s) => s.text).join('');
      return [
        { file, start: open, end: close + 1, newText: text.slice(open, interiorStart) + interior + text.slice(interiorEnd, close + 1) },
      ];
    }
    return segmentEdits(file, text, original, segs, offsets, interiorEnd);
  };
}

/** Minimal edits from one segment sequence to another (a longest common subsequence of segment ids). */
function segmentEdits(
  file: string,
  text: string,
  before: readonly Seg[],
  after: readonly Seg[],
  offsets: ReadonlyMap<string, [number, number]>,
  end: number,
): TextEdit[] {
  const n = before.length;
  const m = after.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = before[i]!.id === after[j]!.id ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const raw: TextEdit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i]!.id === after[j]!.id) {
      if (before[i]!.text !== after[j]!.text) {
        const [s, e] = offsets.get(before[i]!.id)!;
        raw.push({ file, start: s, end: e, newText: after[j]!.text });
      }
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      const [s, e] = offsets.get(before[i]!.id)!;
      if (s !== e) raw.push({ file, start: s, end: e, newText: '' });
      i++;
    } else {
      const at = i < n ? offsets.get(before[i]!.id)![0] : end;
      if (after[j]!.text) raw.push({ file, start: at, end: at, newText: after[j]!.text });
      j++;
    }
  }
  return mergeTouching(text, raw);
}

/**
 * Edits that touch (an insertion where a deletion starts) become one: clients may apply touching
 * edits in either order. Input edits are in document order, insertions before removals at one point.
 */
function mergeTouching(text: string, edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && e.start <= last.end)
      out[out.length - 1] = {
        ...last,
        end: Math.max(last.end, e.end),
        newText: last.newText + text.slice(last.end, Math.max(last.end, e.start)) + e.newText,
      };
    else out.push(e);
  }
  return out;
}

/**
 * Layout without comments inside the brackets (`["a", "b"]`, or items wrapped over lines): the
 * items change places and the separators between them stay as they are.
 */
function slotLayout(lit: Literal): Layout | undefined {
  const { text, base, node: list, file } = lit;
  if (list.children.some((c) => c.type === 'comment') || lit.elements.length === 0) return undefined;
  const open = base + list.start;
  const close = base + list.end - 1;
  const els = lit.elements.map((n) => text.slice(base + n.start, base + n.end));
  const seps: string[] = [];
  let cursor = open + 1;
  for (const n of lit.elements) {
    seps.push(text.slice(cursor, base + n.start));
    cursor = base + n.end;
  }
  const tail = text.slice(cursor, close);
  return (_changes, seq, whole) => {
    let interior = seq.map((e, i) => seps[i] + els[e]).join('') + (seq.length === 0 ? seps[0] : '') + tail;
    if (list.type === 'tuple' && seq.length === 1 && !tail.includes(',')) interior = seps[0] + els[seq[0]!] + ',' + tail;
    const old = text.slice(open + 1, close);
    if (whole) return [{ file, start: open, end: close + 1, newText: `${text[open]}${interior}${text[close]}` }];
    let p = 0;
    while (p < old.length && p < interior.length && old[p] === interior[p]) p++;
    let s = 0;
    while (s < old.length - p && s < interior.length - p && old[old.length - 1 - s] === interior[interior.length - 1 - s]) s++;
    // widen to whole items, so that the edit replaces items rather than pieces of them
    for (const n of lit.elements) {
      const a = base + n.start - open - 1;
      const b = base + n.end - open - 1;
      if (a < p && p < b) p = a;
      if (a < old.length - s && old.length - s < b) s = old.length - b;
    }
    return [{ file, start: open + 1 + p, end: close - s, newText: interior.slice(p, interior.length - s) }];
  };
}
