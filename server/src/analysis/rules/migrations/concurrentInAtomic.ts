// DDM004: AddIndexConcurrently / RemoveIndexConcurrently in an atomic migration.
import type { Rule } from '../types';
import { checkedMigration, databaseOperations, migrationLabel, nonAtomicEdit } from './shared';

const CONCURRENT = new Set(['AddIndexConcurrently', 'RemoveIndexConcurrently']);

export const concurrentInAtomic: Rule = {
  code: 'DDM004',
  name: 'concurrent-index-in-atomic-migration',
  title: 'Concurrent index operation in an atomic migration',
  severity: 'error',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  fixSafety: 'safe',
  docs: {
    what: '`AddIndexConcurrently` or `RemoveIndexConcurrently` (django.contrib.postgres) in a migration that does not set `atomic = False`.',
    why: 'PostgreSQL refuses `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` inside a transaction, and Django runs an atomic migration in one: the migration fails during the deploy ("cannot run inside a transaction block"), and a deploy that migrates before switching code stops there.',
    example:
      'class Migration(migrations.Migration):\n    operations = [AddIndexConcurrently("order", models.Index(fields=["placed"], name="order_placed"))]',
    fix: 'Set `atomic = False` on the migration, and keep the concurrent operation in a migration of its own (other operations then run without a transaction too). The quick fix sets `atomic = False` (safe: the migration cannot run as it is).',
    good: 'class Migration(migrations.Migration):\n    atomic = False\n    operations = [AddIndexConcurrently("order", models.Index(fields=["placed"], name="order_placed"))]',
    references: [
      {
        title: 'Django: AddIndexConcurrently',
        url: 'https://docs.djangoproject.com/en/stable/ref/contrib/postgres/operations/#concurrent-index-operations',
      },
      {
        title: 'Django: non-atomic migrations',
        url: 'https://docs.djangoproject.com/en/stable/howto/writing-migrations/#non-atomic-migrations',
      },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, false)!;
    const ops = databaseOperations(m).filter((op) => CONCURRENT.has(op.kind));
    if (ops.length === 0) return ctx.notApplicable('the migration has no concurrent index operation');
    if (m.atomic === false) return;
    if (m.atomic === undefined) return ctx.unknown(`whether ${migrationLabel(m.name)} is atomic is not known statically`, m.atomicLoc);
    const text = ctx.fileText(m.file);
    const edit = text !== undefined && ctx.wantsFixes ? nonAtomicEdit(text, m) : undefined;
    for (const op of ops)
      ctx.report({
        loc: op.loc,
        message: `${op.kind} in an atomic migration: PostgreSQL refuses to build or drop an index concurrently inside a transaction, so ${migrationLabel(m.name)} fails during the deploy. Set atomic = False on the migration.`,
        fixes: edit ? [{ title: 'Set atomic = False on the migration', safety: 'safe', edits: [edit] }] : [],
      });
  },
};
