// Applying text edits: shared by the CLI (--fix, --diff), the tests, and fix-all.
import type { Fix, TextEdit } from './types';

/** Applies non-overlapping edits to a text (edits may come in any order). Throws on overlap. */
export function applyEdits(text: string, edits: readonly Pick<TextEdit, 'start' | 'end' | 'newText'>[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error('overlapping edits');
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** True when two edits touch the same characters (insertions at the same point overlap too). */
export function editsOverlap(a: Pick<TextEdit, 'start' | 'end'>, b: Pick<TextEdit, 'start' | 'end'>): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/**
 * Chooses fixes to apply together (fix-all): in order, skipping any fix whose edits overlap an
 * already chosen one, or that creates a file another chosen fix creates. Pure insertions at the same
 * point do not clash — they apply one after the other, as two settings added at the end of the
 * production module — and an insertion another chosen fix already makes there (`import os`) is
 * dropped from the later fix rather than made twice.
 */
export function compatibleFixes(fixes: readonly Fix[]): Fix[] {
  const chosen: Fix[] = [];
  const edits: TextEdit[] = [];
  const created = new Set<string>();
  const isInsertion = (e: Pick<TextEdit, 'start' | 'end'>): boolean => e.start === e.end;
  for (const fix of fixes) {
    const own = fix.edits.filter(
      (e) => !(isInsertion(e) && edits.some((c) => c.file === e.file && isInsertion(c) && c.start === e.start && c.newText === e.newText)),
    );
    const clash =
      own.some((e) => edits.some((c) => c.file === e.file && editsOverlap(c, e) && !(isInsertion(c) && isInsertion(e)))) ||
      // an insertion at either end of a replacement chosen before (or the reverse) would be ambiguous
      own.some((e) =>
        edits.some(
          (c) =>
            c.file === e.file &&
            isInsertion(c) !== isInsertion(e) &&
            (isInsertion(e) ? e.start === c.start || e.start === c.end : c.start === e.start || c.start === e.end),
        ),
      ) ||
      (fix.creates ?? []).some((c) => created.has(c.file));
    if (clash) continue;
    chosen.push(own.length === fix.edits.length ? fix : { ...fix, edits: own });
    edits.push(...own);
    for (const c of fix.creates ?? []) created.add(c.file);
  }
  return chosen;
}

/** The line ending a text uses (the first one found; LF when none). */
export function lineEnding(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

/**
 * The indentation unit a Python text uses (four spaces when it cannot tell): the indentation of
 * the first indented line below a line that opens a block (ends with `:`, maybe then a comment),
 * past blank and comment lines (the last indented one of those when the line after them is not
 * indented). A scan of the lines split at line feeds: the pattern it replaces read a run of blank
 * lines in every way it could split them (exponential), and also broke lines at a lone \r.
 */
export function indentUnit(text: string): string {
  // the fixes of one analysis ask for the same file's again
  if (text === lastIndent.text) return lastIndent.unit;
  const unit = findIndentUnit(text);
  lastIndent = { text, unit };
  return unit;
}

let lastIndent = { text: '', unit: '    ' };

function findIndentUnit(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!opensBlock(lines[i]!)) continue;
    let j = i + 1;
    while (j + 1 < lines.length && BLANK_OR_COMMENT.test(lines[j]!)) j++;
    for (let k = j; k > i; k--) {
      const m = /^([ \t]+)\S/.exec(lines[k]!);
      if (m) return m[1]!;
    }
  }
  return '    ';
}

/** A line of spaces, maybe a comment (up to a line break other than a final \r). */
const BLANK_OR_COMMENT = /^\s*(?:#[^\r\u2028\u2029]*)?\r?$/;

/**
 * Whether a line (no line feed) opens a block: after its indentation a character other than a space
 * or `#`, then a `:` before any line break, with only spaces after it, or spaces and a comment that
 * holds no line break but a final \r.
 */
function opensBlock(line: string): boolean {
  // the places the `:` can be: the last character but spaces, the last before a comment's spaces
  const colons: number[] = [];
  const end = lastNonSpace(line, line.length - 1);
  if (line.charCodeAt(end) === COLON) colons.push(end);
  let h = line.indexOf('#');
  if (h >= 0) {
    let lastBreak = -1;
    for (let i = line.length - (line.endsWith('\r') ? 2 : 1); i > h && lastBreak < 0; i--)
      if (isLineBreak(line.charCodeAt(i))) lastBreak = i;
    for (h = line.indexOf('#', Math.max(h, lastBreak + 1)); h >= 0; h = line.indexOf('#', h + 1)) {
      const p = lastNonSpace(line, h - 1);
      if (line.charCodeAt(p) === COLON) colons.push(p);
    }
  }
  if (colons.length === 0) return false;
  let from = 0;
  while (from < line.length && (line[from] === ' ' || line[from] === '\t')) from++;
  if (from === line.length || isSpace(line.charCodeAt(from)) || line[from] === '#') return false;
  from++;
  let firstBreak = from;
  while (firstBreak < line.length && !isLineBreak(line.charCodeAt(firstBreak))) firstBreak++;
  return colons.some((p) => p >= from && p < firstBreak);
}

const COLON = 58;

/** A line break for `.` (\r, \u2028, \u2029: the line feed is not in the line). */
const isLineBreak = (c: number): boolean => c === 13 || c === 0x2028 || c === 0x2029;

/** What \s matches. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The last position at or before `i` that is not a space (-1 when none). */
function lastNonSpace(line: string, i: number): number {
  let p = i;
  while (p >= 0 && isSpace(line.charCodeAt(p))) p--;
  return p;
}

/** A unified diff of two texts (for --diff), with 3 lines of context. */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const lines = (t: string): string[] => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  const a = lines(before);
  const b = lines(after);
  // LCS table on lines (settings files are small enough)
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  type Op = { kind: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i]!, ai: i++, bi: j++ });
    else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: '-', text: a[i]!, ai: i++, bi: j });
    else ops.push({ kind: '+', text: b[j]!, ai: i, bi: j++ });
  }
  const out = [before === '' ? '--- /dev/null' : `--- a/${file}`, `+++ b/${file}`];
  const CONTEXT = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - CONTEXT);
    let end = k;
    // extend the hunk while changes are within 2*CONTEXT of each other
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]!.kind !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap]!.kind === ' ' && gap - next < 2 * CONTEXT) gap++;
      if (gap < ops.length && ops[gap]!.kind !== ' ') end = gap;
      else {
        end = Math.min(ops.length, next + CONTEXT);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk.find((o) => o.kind !== '+')?.ai ?? hunk[0]!.ai;
    const bStart = hunk.find((o) => o.kind !== '-')?.bi ?? hunk[0]!.bi;
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen === 0 ? aStart : aStart + 1},${aLen} +${bLen === 0 ? bStart : bStart + 1},${bLen} @@`);
    for (const o of hunk) out.push(o.kind + o.text);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
