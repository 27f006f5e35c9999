// DDM002: RunPython without reverse_code.
import type { Rule } from '../types';
import { checkReverse } from './irreversible';

export const runPythonIrreversible: Rule = {
  code: 'DDM002',
  name: 'run-python-irreversible',
  title: 'RunPython without reverse_code',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  fixSafety: 'unsafe',
  docs: {
    what: 'A `RunPython` operation has no `reverse_code` (or `reverse_code=None`).',
    why: 'Django cannot unapply the migration: `migrate app 0001` to roll back a bad release stops with `IrreversibleError` at this migration, and so does every later rollback past it. The rollback procedure the deployment checklist asks for then needs a database restore instead of one command.',
    example: 'migrations.RunPython(fill_currency)',
    fix: 'Write a `reverse_code` that undoes the change, or pass `migrations.RunPython.noop` when unapplying needs no data change (the forward change is harmless to keep, or the schema rollback removes it anyway). The quick fix adds `reverse_code=migrations.RunPython.noop` (unsafe: it marks the migration reversible without undoing the data change).',
    good: 'migrations.RunPython(fill_currency, reverse_code=migrations.RunPython.noop)',
    references: [
      { title: 'Django: RunPython', url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#runpython' },
      { title: 'Django: reversing migrations', url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#reversing-migrations' },
    ],
  },
  check(ctx) {
    checkReverse(ctx, 'RunPython', 'reverse_code', 'the data change');
  },
};
