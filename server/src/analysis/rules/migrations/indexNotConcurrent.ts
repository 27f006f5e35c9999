// DDM005: an index or constraint built under lock on PostgreSQL (AddIndex, AddConstraint,
// AlterUniqueTogether / AlterIndexTogether, an AddField whose column is indexed, on an existing table).
import { opArg, strOf, type Expr, type Operation } from '../../readers/python/migration';
import type { Fix, TextEdit } from '../fixes/types';
import type { MigrationRuleContext, Rule } from '../types';
import {
  checkedMigration,
  createdEarlier,
  databaseOperations,
  fieldClass,
  fieldKwarg,
  fieldLabel,
  modelLabel,
  nonAtomicEdit,
} from './shared';

const CONCURRENTLY = 'django.contrib.postgres.operations.AddIndexConcurrently';

export const indexNotConcurrent: Rule = {
  code: 'DDM005',
  name: 'index-built-under-lock',
  title: 'Index or constraint built under lock on PostgreSQL',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  fixSafety: 'unsafe',
  docs: {
    what: "On PostgreSQL, a migration adds an index or a constraint to a table that already exists without the concurrent operations: `AddIndex` (use `AddIndexConcurrently`), `AddConstraint` of a unique constraint, `AlterUniqueTogether` / `AlterIndexTogether`, or `AddConstraint` of a check constraint (use `AddConstraintNotValid` then `ValidateConstraint`), or an `AddField` whose new column gets an index: `unique=True` (and every `OneToOneField`), `db_index=True`, and a `ForeignKey` or `SlugField` without `db_index=False` (Django indexes those by default). A `ManyToManyField` adds a table of its own and is not reported. Tables created earlier in the same migration are empty and not reported; other databases are not checked (the advice is PostgreSQL's), and an unknown production database leaves the rule undecided. Initial and squashed migrations are not checked: their tables are new, or they only run on a new database.",
    why: '`CREATE INDEX` blocks every write to the table until the index is built; on a large table that is minutes of failed or queued inserts and updates, i.e. downtime during the deploy. A new column is no exception: its values are all NULL or the default, but building its index still reads every row. Adding a check constraint scans the whole table under an exclusive lock, blocking reads too.',
    example: 'migrations.AddIndex(model_name="order", index=models.Index(fields=["placed"], name="order_placed"))',
    fix: 'Build indexes with `AddIndexConcurrently` in a migration of its own with `atomic = False`; add check constraints with `AddConstraintNotValid`, then `ValidateConstraint` in a later migration (it only takes a lock that lets reads and writes go on); build a unique index concurrently first and then add the constraint using it (with `SeparateDatabaseAndState` and RunSQL). For an indexed `AddField`, add the column with `db_index=False` (without `unique`; a one-to-one as a `ForeignKey`), then build the index concurrently in a non-atomic migration (`AddIndexConcurrently`, or RunSQL `CREATE UNIQUE INDEX CONCURRENTLY` declared with `SeparateDatabaseAndState` for a unique one). The quick fix for `AddIndex` uses `AddIndexConcurrently` and sets `atomic = False` (unsafe: a failed concurrent build leaves an invalid index to drop, and other operations of the migration lose their transaction — moving them to a migration of their own is not automatic).',
    good: 'from django.contrib.postgres.operations import AddIndexConcurrently\n\n\nclass Migration(migrations.Migration):\n    atomic = False\n    operations = [AddIndexConcurrently("order", models.Index(fields=["placed"], name="order_placed"))]',
    references: [
      {
        title: 'Django: concurrent index operations',
        url: 'https://docs.djangoproject.com/en/stable/ref/contrib/postgres/operations/#concurrent-index-operations',
      },
      {
        title: 'Django: adding constraints without enforcing validation',
        url: 'https://docs.djangoproject.com/en/stable/ref/contrib/postgres/operations/#adding-constraints-without-enforcing-validation',
      },
      {
        title: 'PostgreSQL: building indexes concurrently',
        url: 'https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
      },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, true);
    if (!m) return;
    const found: { op: Operation; what: string; instead: string }[] = [];
    for (const op of databaseOperations(m)) {
      const model = strOf(opArg(op, op.kind.startsWith('Alter') ? 'name' : 'model_name'));
      if (createdEarlier(m, op, model)) continue;
      const label = modelLabel(model);
      if (op.kind === 'AddField') {
        const added = addedFieldIndex(op);
        if (added) found.push({ op, ...added });
      } else if (op.kind === 'AddIndex')
        found.push({ op, what: `AddIndex on ${label} builds the index`, instead: 'use AddIndexConcurrently in a non-atomic migration' });
      else if (op.kind === 'AddConstraint') {
        const cls = opArg(op, 'constraint')?.call?.callee?.split('.').pop();
        if (cls === 'CheckConstraint')
          found.push({
            op,
            what: `AddConstraint of a check constraint on ${label} scans the table`,
            instead: 'use AddConstraintNotValid, then ValidateConstraint in a later migration',
          });
        else if (cls === 'UniqueConstraint' || cls === 'ExclusionConstraint')
          found.push({
            op,
            what: `AddConstraint of a ${cls === 'UniqueConstraint' ? 'unique' : 'exclusion'} constraint on ${label} builds its index`,
            instead: 'build the index concurrently first, then add the constraint using it',
          });
      } else if (op.kind === 'AlterUniqueTogether' || op.kind === 'AlterIndexTogether') {
        const list = opArg(op, op.kind === 'AlterUniqueTogether' ? 'unique_together' : 'index_together');
        if (list?.items?.length === 0 || list?.value.kind === 'none') continue;
        found.push({
          op,
          what: `${op.kind} on ${label} builds an index`,
          instead: 'add an index with AddIndexConcurrently in a non-atomic migration',
        });
      }
    }
    if (found.length === 0) return ctx.notApplicable('the migration adds no index or constraint to an existing table');
    if (ctx.vendor.kind === 'unknown') return ctx.unknown(`the production database is not known (${ctx.vendor.reason})`, ctx.vendor.loc);
    if (ctx.vendor.kind !== 'postgresql') return ctx.notApplicable(`the production database is not PostgreSQL (${ctx.vendor.reason})`);
    const text = ctx.fileText(m.file);
    for (const f of found) {
      const fix = f.op.kind === 'AddIndex' && text !== undefined && ctx.wantsFixes ? concurrentlyFix(ctx, text, f.op) : undefined;
      ctx.report({
        loc: f.op.loc,
        message: `${f.what} under a lock that blocks writes to the table until it is done: on a large table the site stalls during the deploy. On PostgreSQL, ${f.instead}.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/** A literal boolean keyword of a field call: its value, the default when absent, undefined when not a literal. */
function flag(field: Expr, name: string, dflt: boolean): boolean | undefined {
  const e = fieldKwarg(field, name);
  if (!e) return dflt;
  return e.value.kind === 'bool' ? e.value.v : undefined;
}

/**
 * The index an AddField builds with its column, when the field says so: `unique=True` (and a
 * OneToOneField, always unique), `db_index=True`, and the fields Django indexes unless told
 * `db_index=False` (ForeignKey, SlugField). ManyToManyField adds a table, not a column: nothing.
 */
function addedFieldIndex(op: Operation): { what: string; instead: string } | undefined {
  const field = opArg(op, 'field');
  if (!field?.call) return undefined;
  const cls = fieldClass(field);
  if (cls === 'ManyToManyField' || flag(field, 'primary_key', false) !== false) return undefined;
  const label = fieldLabel(op);
  if (cls === 'OneToOneField' || flag(field, 'unique', false) === true)
    return {
      what: `AddField of ${label} ${cls === 'OneToOneField' ? '(a OneToOneField)' : 'with unique=True'} builds a unique index`,
      instead:
        'add the column unindexed, then build the index with RunSQL CREATE UNIQUE INDEX CONCURRENTLY in a non-atomic migration (declared with SeparateDatabaseAndState)',
    };
  const byDefault = cls === 'ForeignKey' || cls === 'SlugField';
  const indexed = flag(field, 'db_index', byDefault);
  if (indexed !== true) return undefined;
  return {
    what:
      byDefault && !fieldKwarg(field, 'db_index')
        ? `AddField of ${label} builds an index (Django indexes a ${cls} unless db_index=False)`
        : `AddField of ${label} with db_index=True builds an index`,
    instead: 'add the column with db_index=False, then build the index with AddIndexConcurrently in a non-atomic migration',
  };
}

/** AddIndex → AddIndexConcurrently (imported if needed) with `atomic = False`. */
function concurrentlyFix(ctx: MigrationRuleContext, text: string, op: Operation): Fix | undefined {
  const m = ctx.migration;
  const callee = op.call.callee;
  if (op.scope !== 'top' || callee === undefined || text.slice(op.call.loc.start, op.call.loc.start + callee.length) !== callee)
    return undefined;
  const atomic = m.atomic === false ? undefined : nonAtomicEdit(text, m);
  if (m.atomic !== false && !atomic) return undefined;
  const bound = [...m.imports].find(([, full]) => full === CONCURRENTLY)?.[0];
  const edits: TextEdit[] = [];
  if (!bound) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const line = 'from django.contrib.postgres.operations import AddIndexConcurrently';
    edits.push(
      m.importsEnd !== undefined
        ? { file: m.file, start: m.importsEnd, end: m.importsEnd, newText: `${eol}${line}` }
        : { file: m.file, start: 0, end: 0, newText: `${line}${eol}` },
    );
  }
  edits.push({ file: m.file, start: op.call.loc.start, end: op.call.loc.start + callee.length, newText: bound ?? 'AddIndexConcurrently' });
  if (atomic) edits.push(atomic);
  const alone = m.operations.filter((o) => o.scope === 'top').length === 1;
  return {
    title: alone
      ? 'Use AddIndexConcurrently and set atomic = False'
      : 'Use AddIndexConcurrently and set atomic = False (unsafe: the other operations lose their transaction; moving them to a migration of their own is not automatic)',
    safety: 'unsafe',
    edits,
  };
}
