// DDM012: a migration file git does not track, in an app whose models changed relative to the base.
import * as path from 'node:path';
import type { Rule } from '../types';
import { echoable } from '../helpers';
import { migrationLabel } from './shared';

export const uncommittedMigration: Rule = {
  code: 'DDM012',
  name: 'uncommitted-migration',
  title: 'Migration not committed while the models changed',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  docs: {
    what: "The checked migration file is not in git (`git ls-files` does not list it: new and not added), and its app's models (`models.py` or a `models/` package) were added or changed relative to the base the change set compares with (the merge base with the default branch, or `--since REF`). Only said when git could be asked: without a change set (no git, not a repository, `--all`) the rule is not applicable.",
    why: 'What is deployed is what is committed: the model change goes out without the migration that makes its schema, `migrate` on the server leaves the tables as they were, and the new code runs against tables that do not match its models: queries of a column or table it adds fail, and a NOT NULL column it removed still rejects its inserts. The next `makemigrations` elsewhere writes a different migration for the same change, which then conflicts with this one.',
    example: 'git status\n  modified:   blog/models.py\nUntracked files:\n  blog/migrations/0004_order_note.py',
    fix: 'Add the migration to git with the model change (`git add blog/migrations/0004_order_note.py`) and commit them together; if it is a stray file, delete it.',
    good: 'git status\n  modified:   blog/models.py\n  new file:   blog/migrations/0004_order_note.py',
    references: [
      {
        title: 'Django: version control and migrations',
        url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#version-control',
      },
    ],
  },
  check(ctx) {
    const git = ctx.git;
    if (!git) return ctx.notApplicable('git could not be asked which files are committed (no change set)');
    const m = ctx.migration;
    // in git, or its app's models unchanged: checked and fine (passed)
    if (!git.untracked.includes(m.file) || !git.modelsChanged.includes(path.dirname(path.dirname(m.file)))) return;
    const label = echoable(ctx.history.label) ?? 'this app';
    ctx.report({
      message: `${migrationLabel(m.name)} is not in git while the models of ${label} changed: a deploy of what is committed ships the model change without this migration, so migrate leaves the schema as it was and the new code runs against tables that do not match its models (a new column or table it queries is missing). git add it with the model change.`,
    });
  },
};
