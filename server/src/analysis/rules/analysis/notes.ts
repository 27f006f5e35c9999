// DDH001–DDH004: what the analysis itself wants the user to know about how it read the settings —
// import cycles, imports that fail in production, dynamic code that hides values, parts skipped.
// Each note is reported once, where it arises.
import type { NoteKind } from '../../eval/scope';
import type { Rule, RuleContext } from '../types';

function reportNotes(ctx: RuleContext, kinds: readonly NoteKind[]): void {
  const seen = new Set<string>();
  for (const note of ctx.notes) {
    if (!kinds.includes(note.kind)) continue;
    const key = `${note.kind}:${note.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ctx.report({ loc: note.loc ?? ctx.anchor, message: note.message });
  }
}

const ANALYSIS_REFS = [{ title: 'Django: splitting settings', url: 'https://docs.djangoproject.com/en/stable/topics/settings/#designating-the-settings' }];

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

export const settingsImportFails: Rule = {
  code: 'DDH002',
  name: 'settings-import-fails',
  title: 'Production settings fail to import',
  severity: 'warning',
  group: 'analysis',
  checklist: 'analysis',
  target: 'settings',
  docs: {
    what:
      'Reports an import in the production settings that fails where the code is deployed — a module missing from the repository or ignored by git (such as `local_settings.py`) imported outside `try`/`except ImportError` — and a `raise` that runs when the module is imported.',
    why: 'Django cannot start when its settings module raises; and when a module is only present on developer machines, its values never reach production.',
    example: 'from .local_settings import *   # ignored by .gitignore',
    fix: 'Guard optional imports with `try`/`except ImportError`, and make sure production does not depend on files outside the repository.',
    good: 'try:\n    from .local_settings import *\nexcept ImportError:\n    pass',
    references: ANALYSIS_REFS,
  },
  check: (ctx) => reportNotes(ctx, ['import-missing', 'import-ignored', 'module-raises']),
};

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

export const analysisRules: Rule[] = [importCycle, settingsImportFails, dynamicSettings, analysisSkipped];
