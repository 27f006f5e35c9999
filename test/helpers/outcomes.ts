// Good fixtures state what their rule concludes there, so that a rule that gives up (unknown) where
// it used to decide fails its test: `# outcome: passed` (or `not-applicable`, `unknown`, or
// `disabled` for a finding silenced by `# noqa`) on a line of the case (of any of its files for a
// folder case), optionally with `outcome-reason: text` that the rule's reason must contain. A good
// case never concludes `failing`.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProjectAnalysis } from '../../server/src/analysis/engine/engine';

export type StatedOutcome = 'passed' | 'not-applicable' | 'unknown' | 'disabled';

const OUTCOME_RE = /#\s*outcome:\s*([a-z-]+)(?:\s+outcome-reason:\s*(.+?))?\s*$/;

export interface OutcomeStatement {
  readonly state: string;
  readonly reason?: string;
  readonly file: string;
  readonly line: number;
}

export function statedOutcomes(files: readonly string[]): OutcomeStatement[] {
  const out: OutcomeStatement[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .forEach((l, i) => {
        const m = OUTCOME_RE.exec(l);
        if (m) out.push({ state: m[1]!, reason: m[2], file, line: i + 1 });
      });
  }
  return out;
}

export const OUTCOME_STATES: readonly StatedOutcome[] = ['passed', 'not-applicable', 'unknown', 'disabled'];

/** What the rule concluded in each project of a case (a settings rule does not run without production settings). */
export function outcomesOf(code: string, projects: readonly ProjectAnalysis[]): { state: string; reason?: string }[] {
  return projects.map((p) => {
    const o = p.outcomes.get(code);
    if (o) return { state: o.state, reason: o.reason };
    return { state: 'unknown', reason: p.project.noProductionReason ?? 'no production settings module' };
  });
}

/** Why a good case's statement does not hold (undefined when it does). */
export function outcomeMismatch(
  code: string,
  caseName: string,
  stated: readonly OutcomeStatement[],
  projects: readonly ProjectAnalysis[],
): string | undefined {
  const actual = outcomesOf(code, projects);
  const shown = actual.map((o) => (o.reason ? `${o.state} (${o.reason})` : o.state)).join('; ') || 'no project found';
  if (stated.length !== 1)
    return `good case ${caseName} must state what ${code} concludes in one "# outcome: passed" (or not-applicable, unknown, disabled) line; it concludes: ${shown}`;
  const s = stated[0]!;
  if (!(OUTCOME_STATES as readonly string[]).includes(s.state))
    return `${path.basename(s.file)}:${s.line}: "# outcome: ${s.state}" is not one of ${OUTCOME_STATES.join(', ')}`;
  if (actual.length === 0) return `${caseName}: no project found`;
  for (const o of actual) {
    if (o.state !== s.state) return `${caseName} states "${s.state}"; ${code} concludes: ${shown}`;
    if (s.reason && !(o.reason ?? '').includes(s.reason)) return `${caseName}: the reason lacks "${s.reason}": ${o.reason}`;
  }
  return undefined;
}
