// DDM010: RunPython code that imports the app's models directly instead of apps.get_model().
import { opArg } from '../../readers/python/migration';
import type { Rule } from '../types';
import { echoable } from '../helpers';
import { checkedMigration, databaseOperations } from './shared';

export const runPythonImportsModels: Rule = {
  code: 'DDM010',
  name: 'run-python-imports-models',
  title: 'RunPython imports models directly',
  severity: 'warning',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  docs: {
    what: 'A function that a `RunPython` of the migration runs (as `code` or `reverse_code`, or called by a lambda given as either), defined in the migration module, imports a models module (`from shop.models import Order`) instead of taking the historical model from `apps.get_model("shop", "Order")`.',
    why: "The imported model is the current code's, not the one the migration sees: as soon as a later release adds or renames a field, running this migration on a fresh database (a new server, CI, a restore) selects columns that do not exist yet and fails, and a data change may write fields the schema does not have. The failure shows up in a later deploy, far from its cause.",
    example: 'def fill(apps, schema_editor):\n    from shop.models import Order\n    Order.objects.update(currency="EUR")',
    fix: 'Use the historical model the migration passes in: `Order = apps.get_model("shop", "Order")`. Helpers defined on the model are not available on it; copy what the migration needs into the migration.',
    good: 'def fill(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    Order.objects.update(currency="EUR")',
    references: [
      { title: 'Django: data migrations', url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#data-migrations' },
      { title: 'Django: historical models', url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#historical-models' },
    ],
  },
  check(ctx) {
    const m = checkedMigration(ctx, false)!;
    const names = new Set<string>();
    for (const op of databaseOperations(m)) {
      if (op.kind !== 'RunPython') continue;
      for (const arg of ['code', 'reverse_code']) {
        const e = opArg(op, arg);
        if (e?.name && !e.name.includes('.')) names.add(e.name);
        // a lambda runs the module's functions it calls
        for (const called of e?.lambdaCalls ?? []) if (m.functions.has(called)) names.add(called);
      }
    }
    if (names.size === 0) return ctx.notApplicable('no RunPython runs a function of the migration module');
    for (const name of names) {
      const fn = m.functions.get(name);
      for (const imp of fn?.modelImports ?? [])
        ctx.report({
          loc: imp.loc,
          message: `${echoable(name) ?? 'The function'} imports ${/^\.*[A-Za-z_][\w.]{0,59}$/.test(imp.module) ? imp.module : 'a models module'} directly: it gets the current models, not the historical ones, so the migration breaks once a later release changes them. Use apps.get_model() instead.`,
        });
    }
  },
};
