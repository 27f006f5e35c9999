// DDM011: a data migration (RunPython) and schema changes in one atomic migration on PostgreSQL.
import type { Rule } from '../types';
import { checkedMigration, databaseOperations, migrationLabel } from './shared';

/** Operations that change no schema (data, SQL of unknown effect, state only). */
const NOT_SCHEMA = new Set(['RunPython', 'RunSQL', 'SeparateDatabaseAndState', 'AlterModelOptions', 'AlterModelManagers']);

export const dataAndSchema: Rule = {
  code: 'DDM011',
  name: 'data-and-schema-in-one-migration',
  title: 'Data migration and schema change in one atomic migration',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  docs: {
    what: 'On PostgreSQL, an atomic migration (no `atomic = False`) holds both a `RunPython` and operations that change the schema (AddField, AlterField, AddIndex…). Other databases are not checked; an unknown production database leaves the rule undecided. Initial and squashed migrations are not checked: their tables are new, or they only run on a new database.',
    why: 'The whole migration is one transaction: the locks the schema changes take (ACCESS EXCLUSIVE on the altered tables) are held while the Python code walks the data, so every query of those tables waits for the data migration to finish. Django\'s documentation also warns that PostgreSQL can fail such a migration ("cannot ALTER TABLE because it has pending trigger events").',
    example:
      'operations = [\n    migrations.AddField("order", "currency", models.CharField(max_length=3, null=True)),\n    migrations.RunPython(fill_currency, migrations.RunPython.noop),\n]',
    fix: 'Put the data migration in a migration of its own, after the one that changes the schema (and before the one that tightens it), so each runs in a short transaction.',
    references: [
      { title: 'Django: data migrations', url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#data-migrations' },
      { title: 'Django: RunPython (PostgreSQL note)', url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#runpython' },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, true);
    if (!m) return;
    const ops = databaseOperations(m);
    const data = ops.find((op) => op.kind === 'RunPython');
    const schema = ops.filter((op) => !NOT_SCHEMA.has(op.kind));
    if (!data || schema.length === 0) return ctx.notApplicable('the migration does not mix a data migration with schema changes');
    if (m.atomic === false) return;
    if (m.atomic === undefined) return ctx.unknown(`whether ${migrationLabel(m.name)} is atomic is not known statically`, m.atomicLoc);
    if (ctx.vendor.kind === 'unknown') return ctx.unknown(`the production database is not known (${ctx.vendor.reason})`, ctx.vendor.loc);
    if (ctx.vendor.kind !== 'postgresql') return ctx.notApplicable(`the production database is not PostgreSQL (${ctx.vendor.reason})`);
    ctx.report({
      loc: data.loc,
      message: `RunPython runs in the same transaction as ${schema.length} schema change${schema.length === 1 ? '' : 's'} (${schema[0]!.kind}${schema.length > 1 ? '…' : ''}): the tables stay locked while the data migration runs, and PostgreSQL may refuse it (pending trigger events). Move the data migration to a migration of its own.`,
    });
  },
};
