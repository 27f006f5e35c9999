// The CLI's text report, for people: findings grouped by file (each line still
// `file:line:col: severity CODE message`, which editors and CI problem matchers parse), a summary
// line per project (production module, versions and their source, counts by severity), the closing
// line; colours when stdout is a terminal. `--statistics` prints counts per rule instead, as ruff does.
import { SEVERITY_ORDER, type Severity } from '../analysis/rules/types';
import type { JsonDiagnostic } from './jsonDiagnostic';

export interface TextProject {
  /** The project's folder relative to the analysed one ('.' for itself), as findings name it. */
  readonly root: string;
  /** How to print it (control characters escaped), when that differs. */
  readonly label?: string;
  /** What the project summary says: production module and evidence, versions, what could not be read. */
  readonly summary: readonly string[];
}

export interface TextOptions {
  readonly color: boolean;
}

const SGR: Record<Severity | 'file' | 'code' | 'dim' | 'bold', [string, string]> = {
  error: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  information: ['\x1b[34m', '\x1b[39m'],
  hint: ['\x1b[2m', '\x1b[22m'],
  file: ['\x1b[1m', '\x1b[22m'],
  code: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};

function painter(color: boolean): (style: keyof typeof SGR, text: string) => string {
  return color ? (style, text) => `${SGR[style][0]}${text}${SGR[style][1]}` : (_style, text) => text;
}

/** "9 errors, 14 warnings, 4 information, 1 hint" (severities that occur, most severe first). */
export function severityCounts(diags: readonly Pick<JsonDiagnostic, 'severity'>[]): string {
  const by = new Map<Severity, number>();
  for (const d of diags) by.set(d.severity, (by.get(d.severity) ?? 0) + 1);
  return SEVERITY_ORDER.filter((s) => by.get(s))
    .map((s) => `${by.get(s)} ${s}${s === 'information' || by.get(s) === 1 ? '' : 's'}`)
    .join(', ');
}

/**
 * Whether to colour a stream: a terminal, unless NO_COLOR is set (https://no-color.org); FORCE_COLOR
 * (other than 0) colours a pipe too.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  return stream.isTTY === true;
}

/** Findings grouped by file (in the order given), a blank line between files, then the projects' lines and the closing line. */
export function formatTextReport(
  diags: readonly JsonDiagnostic[],
  projects: readonly TextProject[],
  closing: string,
  opts: TextOptions,
): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  const byFile = new Map<string, JsonDiagnostic[]>();
  for (const d of diags) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  for (const [file, list] of byFile) {
    for (const d of list)
      out.push(`${paint('file', file)}:${d.line}:${d.column}: ${paint(d.severity, d.severity)} ${paint('code', d.code)} ${d.message}`);
    out.push('');
  }
  for (const p of projects) {
    const mine = diags.filter((d) => d.project === p.root);
    const counts = mine.length === 0 ? 'no findings' : severityCounts(mine);
    out.push(paint('dim', `# ${p.label ?? p.root}: ${[...p.summary, counts].join('; ')}`));
  }
  out.push(paint('bold', closing));
  return out.join('\n') + '\n';
}

/** Counts per rule, most frequent first (ruff's --statistics): `  12  DDH101  [error]  hardcoded-secret-key`. */
export function formatStatistics(diags: readonly JsonDiagnostic[], opts: TextOptions): string {
  const paint = painter(opts.color);
  const by = new Map<string, { n: number; d: JsonDiagnostic }>();
  for (const d of diags) {
    const e = by.get(d.code);
    if (e) e.n++;
    else by.set(d.code, { n: 1, d });
  }
  const rows = [...by.values()].sort((a, b) => b.n - a.n || a.d.code.localeCompare(b.d.code));
  const width = String(rows[0]?.n ?? 0).length;
  const lines = rows.map(
    ({ n, d }) => `${String(n).padStart(width)}  ${paint('code', d.code)}  ${paint(d.severity, `[${d.severity}]`.padEnd(13))} ${d.name}`,
  );
  lines.push(paint('bold', diags.length === 0 ? 'No problems found.' : `Found ${severityCounts(diags)}.`));
  return lines.join('\n') + '\n';
}
