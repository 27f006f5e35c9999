// DDM008: AlterField that rewrites or scans the table under lock on PostgreSQL: a new column type,
// a shorter max_length, unique=True or db_index=True added to an existing column.
import type { Expr } from '../../readers/python/migration';
import { opArg, strOf } from '../../readers/python/migration';
import type { Rule } from '../types';
import { checkedMigration, databaseOperations, fieldClass, fieldKwarg, fieldLabel } from './shared';

/** The PostgreSQL column type family of Django's field classes (changing family rewrites the table). */
const COLUMN_TYPE: Readonly<Record<string, string>> = {
  CharField: 'varchar',
  SlugField: 'varchar',
  EmailField: 'varchar',
  URLField: 'varchar',
  FilePathField: 'varchar',
  FileField: 'varchar',
  ImageField: 'varchar',
  TextField: 'text',
  IntegerField: 'integer',
  PositiveIntegerField: 'integer',
  AutoField: 'integer',
  SmallIntegerField: 'smallint',
  PositiveSmallIntegerField: 'smallint',
  SmallAutoField: 'smallint',
  BigIntegerField: 'bigint',
  PositiveBigIntegerField: 'bigint',
  BigAutoField: 'bigint',
  FloatField: 'double',
  DecimalField: 'numeric',
  BooleanField: 'boolean',
  NullBooleanField: 'boolean',
  DateField: 'date',
  DateTimeField: 'timestamptz',
  TimeField: 'time',
  DurationField: 'interval',
  UUIDField: 'uuid',
  JSONField: 'jsonb',
  BinaryField: 'bytea',
  GenericIPAddressField: 'inet',
};

function intKw(field: Expr, name: string): number | undefined {
  const v = fieldKwarg(field, name)?.value;
  return v?.kind === 'int' ? v.v : undefined;
}

function flag(field: Expr, name: string): boolean | undefined {
  const e = fieldKwarg(field, name);
  if (!e) return false;
  return e.value.kind === 'bool' ? e.value.v : undefined;
}

export const alterFieldRewrite: Rule = {
  code: 'DDM008',
  name: 'alter-field-locks-table',
  title: 'AlterField rewrites or scans the table under lock',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  docs: {
    what: "On PostgreSQL, an `AlterField` changes an existing column in a way that rewrites or scans the whole table under an exclusive lock: another column type (`IntegerField` → `BigIntegerField`, `CharField` → `IntegerField`; `CharField` → `TextField` and a longer `max_length` are exempt), a shorter `max_length`, or `unique=True` / `db_index=True` added (an index built without CONCURRENTLY). The column as it was comes from the app's earlier migrations; when they do not say (another app, a squash, a rename), nothing is reported. Other databases are not checked; an unknown production database leaves the rule undecided. Initial and squashed migrations are not checked: their tables are new, or they only run on a new database.",
    why: 'ALTER COLUMN TYPE takes an ACCESS EXCLUSIVE lock and rewrites every row: reads and writes of the table wait for it, so on a large table the site stalls for the length of the rewrite. A shorter varchar is checked row by row under the same lock; a unique or plain index built in the migration blocks writes until it is done.',
    example: 'migrations.AlterField(model_name="order", name="total", field=models.BigIntegerField())',
    fix: 'For a type change: add a new column, write both, backfill in batches, switch reads, drop the old one later. For an index: `AddIndexConcurrently` in a non-atomic migration (and for unique, the constraint added afterwards using that index). A longer `max_length` or `CharField` → `TextField` needs no rewrite.',
    references: [
      { title: 'Django: AlterField', url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#alterfield' },
      {
        title: 'PostgreSQL: ALTER TABLE (notes on rewrites)',
        url: 'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES',
      },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, true);
    if (!m) return;
    const found: { loc: Expr['loc']; what: string; instead: string }[] = [];
    for (const op of databaseOperations(m)) {
      if (op.kind !== 'AlterField') continue;
      const field = opArg(op, 'field');
      const model = strOf(opArg(op, 'model_name'));
      const name = strOf(opArg(op, 'name'));
      if (!field?.call || !model || name === undefined) continue;
      const prev = ctx.history.previousField(m, model, name);
      if (!prev?.call) continue;
      const [was, now] = [fieldClass(prev), fieldClass(field)];
      const [typeWas, typeNow] = [COLUMN_TYPE[was ?? ''], COLUMN_TYPE[now ?? '']];
      const label = fieldLabel(op);
      if (typeWas && typeNow && typeWas !== typeNow && !(typeWas === 'varchar' && typeNow === 'text'))
        found.push({
          loc: op.loc,
          what: `AlterField changes the column type of ${label} (${was} to ${now}): PostgreSQL rewrites the table`,
          instead: 'Add a new column, backfill it in batches and switch to it',
        });
      else if (typeWas === 'varchar' && typeNow === 'varchar') {
        const [lenWas, lenNow] = [intKw(prev, 'max_length'), intKw(field, 'max_length')];
        if (lenWas !== undefined && lenNow !== undefined && lenNow < lenWas)
          found.push({
            loc: op.loc,
            what: `AlterField shortens ${label} (max_length ${lenWas} to ${lenNow}): PostgreSQL checks every row`,
            instead: 'Shorten the data first, or add a new column and switch to it',
          });
      }
      for (const kw of ['unique', 'db_index'] as const) {
        const [before, after] = [flag(prev, kw), flag(field, kw)];
        if (after === true && before === false)
          found.push({
            loc: op.loc,
            what: `AlterField adds ${kw}=True to ${label}: PostgreSQL builds ${kw === 'unique' ? 'a unique' : 'an'} index`,
            instead: 'Build the index with AddIndexConcurrently in a non-atomic migration',
          });
      }
    }
    if (found.length === 0) return ctx.notApplicable('the migration changes no existing column in a way that locks its table');
    if (ctx.vendor.kind === 'unknown') return ctx.unknown(`the production database is not known (${ctx.vendor.reason})`, ctx.vendor.loc);
    if (ctx.vendor.kind !== 'postgresql') return ctx.notApplicable(`the production database is not PostgreSQL (${ctx.vendor.reason})`);
    for (const f of found)
      ctx.report({
        loc: f.loc,
        message: `${f.what} under a lock that holds up the table's queries until it is done, stalling the site on a large table during the deploy. ${f.instead}.`,
      });
  },
};
