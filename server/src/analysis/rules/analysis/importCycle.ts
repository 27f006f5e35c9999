// DDH001: reports settings import cycle.
import type { Rule } from '../types';
import { ANALYSIS_REFS, reportNotes } from './reportNotes';

export const importCycle: Rule = {
  code: 'DDH001',
  name: 'settings-import-cycle',
  title: 'Settings modules import each other in a cycle',
  severity: 'information',
  group: 'analysis',
  checklist: 'analysis',
  target: 'settings',
  docs: {
    what: 'Reports a cycle among the settings modules the production module imports (`production` imports `base`, which imports `production`).',
    why: 'Python hands the inner import a half-run module, so which names it sees depends on statement order — a fragile arrangement that changes silently when a line moves.',
    example: '# base.py\nfrom .production import ALLOWED_HOSTS\n\n# production.py\nfrom .base import *',
    fix: 'Make imports go one way: shared values in `base.py`, environment-specific modules importing from it.',
    references: ANALYSIS_REFS,
  },
  check: (ctx) => reportNotes(ctx, ['import-cycle']),
};
