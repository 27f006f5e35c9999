// DDM007: RenameField / RenameModel / AlterModelTable / a changed db_column, while old code runs.
import { opArg, strOf, type Operation } from '../../readers/python/migration';
import type { Rule } from '../types';
import { checkedMigration, fieldKwarg, fieldLabel, modelLabel } from './shared';

export const renameColumn: Rule = {
  code: 'DDM007',
  name: 'rename-column-or-table',
  title: 'Column or table renamed in one step',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  docs: {
    what: "A migration renames a column or a table in its `operations`: `RenameField` (unless the field keeps its `db_column`), `RenameModel` (unless the model sets its own `db_table`), `AlterModelTable`, or an `AlterField` whose `db_column` differs from the one the app's earlier migrations give the field. Renames only in the migration state (`SeparateDatabaseAndState(state_operations=…)`) are not reported. Initial and squashed migrations are not checked: their tables are new, or they only run on a new database.",
    why: 'Old and new code run side by side during a deploy. After the rename the old code asks for the old name and fails on every query of that model; before it, the new code fails on the new name. Either way part of the traffic errors for the length of the rollout.',
    example: 'migrations.RenameField(model_name="order", old_name="total", new_name="amount")',
    fix: 'Keep the column name and rename only in Python (`db_column="total"` on the renamed field, with the rename in `state_operations`), or expand and contract: add the new column, write both, backfill, switch reads, and drop the old column in a later release.',
    good: 'migrations.SeparateDatabaseAndState(\n    state_operations=[migrations.RenameField("order", "total", "amount")],\n    # the field is declared with db_column="total": the column keeps its name\n)',
    references: [
      { title: 'Django: RenameField', url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#renamefield' },
      {
        title: 'Django: SeparateDatabaseAndState',
        url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#separatedatabaseandstate',
      },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, true);
    if (!m) return;
    let seen = false;
    const report = (op: Operation, what: string): void => {
      seen = true;
      ctx.report({
        loc: op.loc,
        message: `${what}: the old code still running during the deploy uses the old name and its queries fail until the rollout ends. Rename in Python only (db_column, state_operations), or add the new name, copy, and drop the old one in a later release.`,
      });
    };
    for (const op of m.operations) {
      if (!op.django || op.scope !== 'top') continue;
      if (op.kind === 'RenameField') {
        const model = strOf(opArg(op, 'model_name'));
        const newName = strOf(opArg(op, 'new_name'));
        // the field as renamed, if a db_column keeps the column: nothing to rename in the database
        const prev = model && newName !== undefined ? ctx.history.previousField(m, model, strOf(opArg(op, 'old_name')) ?? '') : undefined;
        if (prev && fieldKwarg(prev, 'db_column')) continue;
        report(op, `RenameField renames the column of ${fieldLabel(op, 'old_name')}`);
      } else if (op.kind === 'RenameModel') {
        const old = strOf(opArg(op, 'old_name'));
        // a model with its own db_table keeps its table: RenameModel renames nothing in the database
        if (old && typeof ctx.history.previousTable(m, old) === 'string') continue;
        report(op, `RenameModel renames the table of ${modelLabel(old)}`);
      } else if (op.kind === 'AlterModelTable') report(op, `AlterModelTable renames the table of ${modelLabel(strOf(opArg(op, 'name')))}`);
      else if (op.kind === 'AlterField') {
        const column = fieldKwarg(opArg(op, 'field'), 'db_column');
        const model = strOf(opArg(op, 'model_name'));
        const name = strOf(opArg(op, 'name'));
        if (!model || name === undefined) continue;
        const prev = ctx.history.previousField(m, model, name);
        if (!prev) continue;
        const before = fieldKwarg(prev, 'db_column');
        const was = before ? strOf(before) : name;
        const now = column ? strOf(column) : name;
        if (was === undefined || now === undefined) {
          ctx.unknown(`the db_column of ${fieldLabel(op)} is not known statically`, op.loc);
          continue;
        }
        if (was !== now) report(op, `AlterField renames the column of ${fieldLabel(op)} (db_column)`);
      }
    }
    if (!seen) ctx.notApplicable('the migration renames no column or table');
  },
};
