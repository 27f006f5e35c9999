// DDM003: RunSQL without reverse_sql.
import type { Rule } from '../types';
import { checkReverse } from './irreversible';

export const runSqlIrreversible: Rule = {
  code: 'DDM003',
  name: 'run-sql-irreversible',
  title: 'RunSQL without reverse_sql',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  fixSafety: 'unsafe',
  docs: {
    what: 'A `RunSQL` operation has no `reverse_sql` (or `reverse_sql=None`).',
    why: 'Django cannot unapply the migration: rolling back a bad release with `migrate app <earlier>` stops with `IrreversibleError` here, and the rollback needs a database restore instead.',
    example: 'migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm")',
    fix: 'Write the SQL that undoes it as `reverse_sql`, or pass `migrations.RunSQL.noop` when there is nothing to undo. The quick fix adds `reverse_sql=migrations.RunSQL.noop` (unsafe: it marks the migration reversible without undoing the SQL change).',
    good: 'migrations.RunSQL(\n    "CREATE EXTENSION IF NOT EXISTS pg_trgm",\n    reverse_sql="DROP EXTENSION IF EXISTS pg_trgm",\n)',
    references: [
      { title: 'Django: RunSQL', url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#runsql' },
      { title: 'Django: reversing migrations', url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#reversing-migrations' },
    ],
  },
  check(ctx) {
    checkReverse(ctx, 'RunSQL', 'reverse_sql', 'the SQL change');
  },
};
