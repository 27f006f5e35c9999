// DDH003: reports settings the analysis cannot read.
import type { Rule } from '../types';
import { ANALYSIS_REFS, reportNotes } from './reportNotes';

export const dynamicSettings: Rule = {
  code: 'DDH003',
  name: 'dynamic-settings',
  title: 'Settings the analysis cannot read',
  severity: 'information',
  group: 'analysis',
  checklist: 'analysis',
  target: 'settings',
  docs: {
    what: 'Reports code that can bind any setting in ways a static reader cannot follow: `exec`, `globals().update(...)` with unknown contents, `setattr` on the module, a `*`-import from outside the workspace.',
    why: 'Every setting after such a line is "unknown" to this analysis, and hard for a reviewer to check too.',
    example: 'exec(open(os.path.join(BASE_DIR, "extra_settings.py")).read())',
    fix: 'Prefer plain imports (`from .extra import *`) and explicit assignments.',
    references: ANALYSIS_REFS,
  },
  check: (ctx) => reportNotes(ctx, ['dynamic']),
};
