// Suppression comments and the limits on what one rule may report in one file. A finding's line is
// found by binary search over the file's line starts, and each line's `# noqa` codes are read once:
// re-scanning the line per finding was quadratic (20,000 findings on a 300 KB line took 27 s).
import { lineIndexAt } from '../parse/pythonDocument';
import { textFact } from '../models/settings/textFacts';
import { SEVERITY_ORDER, type Finding, type Severity } from '../rules/types';

const NOQA_RE = /#\s*noqa\s*:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)/i;

/** Codes named by a `# noqa: CODE, CODE` comment on the line containing `offset` (uncached). */
export function noqaCodesAt(text: string, offset: number): ReadonlySet<string> {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return codesOfLine(text.slice(start, end));
}

function codesOfLine(line: string): ReadonlySet<string> {
  // a comment starts with '#': most lines have none and need no regular expression
  if (!line.includes('#')) return NONE;
  const m = NOQA_RE.exec(line);
  if (!m) return NONE;
  return new Set(m[1]!.split(/[\s,]+/).map((c) => c.toUpperCase()));
}

const NONE: ReadonlySet<string> = new Set<string>();

/** `# noqa` codes of the lines of one text, each line read once. */
export class NoqaLines {
  private readonly starts: readonly number[];
  private readonly byLine = new Map<number, ReadonlySet<string>>();

  /** `starts`: the text's line starts when known already (with '\n' as the only line break). */
  constructor(
    private readonly text: string,
    starts?: readonly number[],
  ) {
    this.starts = starts ?? lineStartsLF(text);
  }

  /** The codes on the line containing `offset`. */
  codesAt(offset: number): ReadonlySet<string> {
    const line = this.lineOf(offset);
    let codes = this.byLine.get(line);
    if (!codes) {
      const start = this.starts[line]!;
      const next = this.starts[line + 1];
      codes = codesOfLine(this.text.slice(start, next === undefined ? this.text.length : next - 1));
      this.byLine.set(line, codes);
    }
    return codes;
  }

  private lineOf(offset: number): number {
    return lineIndexAt(this.starts, Math.max(0, Math.min(offset, this.text.length)));
  }
}

/** Line starts after each '\n' only, as noqaCodesAt splits lines (a lone '\r' does not end a `# noqa` line). */
function lineStartsLF(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** `# noqa` lookups for the files of one analysis, each file's lines indexed on first use. */
export class NoqaIndex {
  private readonly files = new Map<string, NoqaLines | undefined>();

  /**
   * `lineStartsOf`: a file's line starts when they are kept already (an open buffer's, updated
   * on each keystroke): a 5,000-line module's are then not found again for each analysis.
   */
  constructor(
    private readonly textOf: (file: string) => string | undefined,
    private readonly lineStartsOf: (file: string, text: string) => readonly number[] | undefined = () => undefined,
  ) {}

  /** Whether `# noqa: CODE` on the first or the last line of the finding names its code. */
  suppresses(f: Finding): boolean {
    let lines = this.files.get(f.loc.file);
    if (!this.files.has(f.loc.file)) {
      const text = this.textOf(f.loc.file);
      // the kept starts break lines at '\r' too: only for a text without one
      const starts = text === undefined || text.includes('\r') ? undefined : this.lineStartsOf(f.loc.file, text);
      if (text === undefined) lines = undefined;
      else if (starts) lines = new NoqaLines(text, starts);
      // a file that did not change since the last analysis (the same text) keeps its index (one
      // with line starts of its own: an open buffer's change in place with its edits)
      else lines = textFact(f.loc.file, text, 'noqa-lines', (t) => new NoqaLines(t));
      this.files.set(f.loc.file, lines);
    }
    if (!lines) return false;
    return lines.codesAt(f.loc.start).has(f.code) || lines.codesAt(Math.max(f.loc.start, f.loc.end - 1)).has(f.code);
  }
}

/** At most this many findings of one rule in one file are shown; the rest are summarised in one. */
export const MAX_FINDINGS_PER_RULE_AND_FILE = 100;

/**
 * Keeps the first MAX_FINDINGS_PER_RULE_AND_FILE findings (in the given order) of each rule in each
 * file, and puts in place of the rest one finding that says how many were left out. The summary is
 * where the first left-out finding was, with the highest severity of those it stands for (so
 * that --fail-on still counts them) and no fixes.
 */
export function capFindings(findings: readonly Finding[], max = MAX_FINDINGS_PER_RULE_AND_FILE): Finding[] {
  const counts = new Map<string, number>();
  const summaries = new Map<string, { index: number; hidden: number; severity: Severity }>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.code}\0${f.loc.file}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n <= max) {
      out.push(f);
      continue;
    }
    const s = summaries.get(key);
    if (s) {
      s.hidden++;
      if (SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(s.severity)) s.severity = f.severity;
    } else {
      summaries.set(key, { index: out.length, hidden: 1, severity: f.severity });
      out.push(f); // replaced below
    }
  }
  for (const [key, s] of summaries) {
    const f = out[s.index]!;
    const name = key
      .slice(key.indexOf('\0') + 1)
      .split(/[\\/]/)
      .pop();
    out[s.index] = {
      ...f,
      severity: s.severity,
      message: `${s.hidden} more ${f.code} finding${s.hidden === 1 ? '' : 's'} in ${name} not shown: at most ${max} of one rule in one file are listed.`,
      fixes: [],
    };
  }
  return out;
}
