// DDH004: reports parts of the settings the analysis skipped.
import type { Rule } from '../types';
import { ANALYSIS_REFS, reportNotes } from './reportNotes';

export const analysisSkipped: Rule = {
  code: 'DDH004',
  name: 'analysis-incomplete',
  title: 'Parts of the settings were skipped',
  severity: 'information',
  group: 'analysis',
  checklist: 'analysis',
  target: 'settings',
  docs: {
    what: 'Reports what the analysis skipped: statements around a syntax error, a file it could not read (binary, too large), a module whose analysis ran out of its time budget.',
    why: 'Findings for the skipped parts are missing; the rest is still checked.',
    example: 'DEBUG = (   # unclosed parenthesis',
    fix: 'Fix the syntax error; keep settings modules small enough to read.',
    references: ANALYSIS_REFS,
  },
  check: (ctx) => reportNotes(ctx, ['syntax-error', 'budget', 'unreadable']),
};
