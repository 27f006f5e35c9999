// DDM001: AddField of a NOT NULL column without a default on an existing table.
import { atLeast } from '../../models/project/version';
import { opArg, resolveName, strOf } from '../../readers/python/migration';
import { echoable } from '../helpers';
import type { Rule } from '../types';
import { addKeyword, checkedMigration, createdEarlier, databaseOperations, fieldClass, fieldKwarg, fieldLabel } from './shared';

/** Fields without a column of their own, or whose value the database computes. */
const NO_COLUMN = new Set(['ManyToManyField', 'GeneratedField', 'GenericRelation']);
/** Fields Django fills with '' on existing rows when they have no default (empty_strings_allowed). */
const EMPTY_STRING_FIELDS = new Set([
  'CharField',
  'TextField',
  'SlugField',
  'EmailField',
  'URLField',
  'FilePathField',
  'FileField',
  'ImageField',
  'GenericIPAddressField',
  'BinaryField',
  'CICharField',
  'CITextField',
  'CIEmailField',
]);

/** Django's own field classes (django.db.models, contrib's postgres and gis fields). */
function isDjangoField(full: string): boolean {
  return (
    /^django\.(db\.models|contrib\.(postgres|gis)\.(db\.models|fields))(\.fields)?(\.\w+)*\.\w+Field$/.test(full) ||
    full.startsWith('django.db.models.')
  );
}

export const notNullAddField: Rule = {
  code: 'DDM001',
  name: 'not-null-add-field',
  title: 'NOT NULL column added without a default',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  fixSafety: 'unsafe',
  docs: {
    what: "An `AddField` on a model that already exists adds a column that is NOT NULL (no `null=True`) without a default: no `default=`, or a one-off default (`preserve_default=False`, what `makemigrations` writes when it asks for a value for existing rows), and no `db_default` on Django 5.0+. Many-to-many and generated fields have no column of their own and are not reported, and field classes that are not Django's own (from a library or the project) are not judged; a model created earlier in the same migration has an empty table and is not reported either. Initial and squashed migrations are not checked: their tables are new, or they only run on a new database.",
    why: 'Django only uses a default to fill the existing rows and then drops it from the column: the database keeps no default. During the deploy the old code is still running and inserts rows without the new column, and every such insert fails with a NOT NULL violation until the new code is everywhere. Without any default, Django fills existing rows with NULL (or an empty string for text fields), so on a table with rows the migration itself fails. Filling the rows also rewrites the table under an exclusive lock on older PostgreSQL (before 11) and MySQL, for as long as the rewrite takes.',
    example:
      'migrations.AddField(\n    model_name="order",\n    name="currency",\n    field=models.CharField(max_length=3),\n    preserve_default=False,\n)',
    fix: "Expand, backfill, contract: add the column as `null=True` (or, on Django 5.0+, with a `db_default=` the database fills in), deploy, backfill the existing rows in a data migration or a batch job, and only in a later release make it NOT NULL. The quick fix adds `null=True` to the migration's field (unsafe: it changes the schema, and the model needs `null=True` too, or the next `makemigrations` undoes it).",
    good: 'migrations.AddField(\n    model_name="order",\n    name="currency",\n    field=models.CharField(max_length=3, null=True),\n)',
    references: [
      { title: 'Django: AddField', url: 'https://docs.djangoproject.com/en/stable/ref/migration-operations/#addfield' },
      { title: 'Django: Field.db_default', url: 'https://docs.djangoproject.com/en/stable/ref/models/fields/#db-default' },
      {
        title: 'Django: writing migrations (non-nullable fields)',
        url: 'https://docs.djangoproject.com/en/stable/howto/writing-migrations/#migrations-that-add-unique-fields',
      },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, true);
    if (!m) return;
    const dbDefault = atLeast(ctx.version, '5.0');
    let added = false;
    for (const op of databaseOperations(m)) {
      if (op.kind !== 'AddField') continue;
      added = true;
      const field = opArg(op, 'field');
      const cls = fieldClass(field);
      if (!field?.call || !cls || field.call.splat) {
        ctx.unknown(`the field ${fieldLabel(op)} adds is not a call the analysis can read`, op.loc);
        continue;
      }
      if (NO_COLUMN.has(cls)) continue;
      // a field class of the project or a library (taggit's TaggableManager has no column): not judged
      if (!isDjangoField(resolveName(field.call.callee!, m.imports))) {
        ctx.unknown(
          `${echoable(cls) ?? 'the field class'} is not one of Django's fields: whether it adds a NOT NULL column is not known`,
          field.loc,
        );
        continue;
      }
      if (createdEarlier(m, op, strOf(opArg(op, 'model_name')))) continue;
      const nullArg = fieldKwarg(field, 'null');
      if (nullArg && nullArg.value.kind !== 'bool') {
        ctx.unknown(`whether ${fieldLabel(op)} is nullable is not known statically`, nullArg.loc);
        continue;
      }
      if (nullArg?.value.kind === 'bool' && nullArg.value.v) continue;
      if (dbDefault && fieldKwarg(field, 'db_default')) continue;
      const preserve = opArg(op, 'preserve_default');
      const oneOff = preserve?.value.kind === 'bool' && !preserve.value.v;
      const hasDefault = fieldKwarg(field, 'default') !== undefined;
      if (hasDefault && !oneOff) continue;
      if (preserve && preserve.value.kind !== 'bool') {
        ctx.unknown(`preserve_default of ${fieldLabel(op)} is not known statically`, preserve.loc);
        continue;
      }
      const fails = !hasDefault && !EMPTY_STRING_FIELDS.has(cls);
      const how = hasDefault ? 'with a one-off default only' : 'without a default';
      const expand = dbDefault ? 'null=True (or with db_default)' : 'null=True';
      const text = ctx.fileText(m.file);
      ctx.report({
        loc: op.loc,
        severity: fails ? 'error' : undefined,
        message: `AddField adds ${fieldLabel(op)} as NOT NULL ${how}: ${
          fails ? 'on a table with rows the migration fails, and ' : ''
        }inserts by the old code still running during the deploy fail. Add it as ${expand}, backfill, then make it NOT NULL in a later release.`,
        fixes:
          ctx.wantsFixes && text !== undefined
            ? [
                {
                  title: `Add null=True to ${fieldLabel(op)} as the expand step (unsafe: changes the schema; the model needs null=True too)`,
                  safety: 'unsafe',
                  edits: [addKeyword(text, field.call, 'null', 'True')],
                },
              ]
            : [],
      });
    }
    if (!added) ctx.notApplicable('the migration adds no field');
  },
};
