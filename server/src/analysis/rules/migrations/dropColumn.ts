// DDM006: RemoveField / DeleteModel while the old code still reads the column or table.
import { opArg, strOf } from '../../readers/python/migration';
import type { Rule } from '../types';
import { checkedMigration, fieldLabel, modelLabel } from './shared';

export const dropColumn: Rule = {
  code: 'DDM006',
  name: 'drop-column-or-table',
  title: 'Column or table dropped in one step',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  docs: {
    what: 'A migration drops a column (`RemoveField`) or a table (`DeleteModel`) directly in its `operations`. The second step of the two-step pattern (the drop in `SeparateDatabaseAndState(database_operations=…)` after the model stopped using it) is not reported, nor is a removal only from the migration state. Initial and squashed migrations are not checked: their tables are new, or they only run on a new database.',
    why: 'During a deploy the old code keeps running until every server has the new release, and Django selects every column a model declares: once the migration drops the column, each of its queries on the model fails ("column does not exist"), and each query on a dropped table fails. With migrations run before the code switch, that is an outage for the length of the rollout; a rollback of the code does not bring the data back either.',
    example: 'migrations.RemoveField(model_name="order", name="legacy_code")',
    fix: 'Two releases: first remove the field from the model and ship a migration that removes it from the state only (`SeparateDatabaseAndState(state_operations=[RemoveField(…)])`; make the column nullable if the code no longer writes it); in the next release, drop the column (`SeparateDatabaseAndState(database_operations=[RemoveField(…)])` or RunSQL).',
    good: 'migrations.SeparateDatabaseAndState(\n    state_operations=[migrations.RemoveField(model_name="order", name="legacy_code")],\n)',
    references: [
      {
        title: 'Django: SeparateDatabaseAndState',
        url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#separatedatabaseandstate',
      },
      { title: 'Django: RemoveField', url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#removefield' },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, true);
    if (!m) return;
    let seen = false;
    for (const op of m.operations) {
      if (!op.django || op.scope !== 'top') continue;
      if (op.kind === 'RemoveField') {
        seen = true;
        ctx.report({
          loc: op.loc,
          message: `RemoveField drops the column of ${fieldLabel(op)} while the old code still running during the deploy selects it: its queries on the model fail until the rollout ends. Remove the field from the model and the state first (SeparateDatabaseAndState), drop the column in the next release.`,
        });
      } else if (op.kind === 'DeleteModel') {
        seen = true;
        ctx.report({
          loc: op.loc,
          message: `DeleteModel drops the table of ${modelLabel(strOf(opArg(op, 'name')))} while the old code still running during the deploy may query it: those requests fail until the rollout ends. Stop using the model in one release, drop the table in the next.`,
        });
      }
    }
    if (!seen) ctx.notApplicable('the migration drops no column or table');
  },
};
