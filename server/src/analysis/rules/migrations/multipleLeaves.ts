// DDM009: two leaf migrations in one app (a merge migration is needed).
import type { Rule } from '../types';
import { echoable } from '../helpers';
import { migrationLabel } from './shared';

export const multipleLeaves: Rule = {
  code: 'DDM009',
  name: 'conflicting-migrations',
  title: 'Two leaf migrations in one app',
  severity: 'error',
  group: 'migrations',
  checklist: 'migrations-reviewed',
  target: 'migration',
  docs: {
    what: "The checked migration is one of two or more leaf migrations of its app: no migration of the app depends on it, nor on another one. Typically two branches each added a migration after the same parent. Squashed migrations stand for those they replace; same-app dependencies are read with the app's label (`label` in its AppConfig).",
    why: '`migrate` refuses to run ("Conflicting migrations detected; multiple leaf nodes in the migration graph"), so a deploy that migrates stops there, and the new code goes out against the old schema or not at all.',
    example: 'blog/migrations/0004_order_currency.py  (depends on 0003)\nblog/migrations/0004_order_note.py      (depends on 0003)',
    fix: 'Run `python manage.py makemigrations --merge` (check that the two migrations do not touch the same fields), or rebase one migration onto the other by changing its dependency and number.',
    good: 'blog/migrations/0005_merge.py  (depends on both 0004 migrations)',
    references: [
      {
        title: 'Django: makemigrations --merge',
        url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#cmdoption-makemigrations-merge',
      },
      {
        title: 'Django: version control and migrations',
        url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#version-control',
      },
    ],
  },
  check(ctx) {
    const m = ctx.migration;
    const h = ctx.history;
    const unreadable = h.unreadable();
    if (unreadable) return ctx.unknown(`the migration graph of ${echoable(h.label) ?? 'the app'} cannot be read: ${unreadable}`);
    const leaves = h.leaves();
    if (leaves.length < 2 || !leaves.includes(m.name)) return;
    const others = leaves.filter((n) => n !== m.name);
    const shown = others.slice(0, 3).map(migrationLabel);
    ctx.report({
      message: `${migrationLabel(m.name)} and ${shown.join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''} are ${others.length === 1 ? 'both' : 'all'} leaf migrations of ${echoable(h.label) ?? 'this app'}: migrate refuses to run with conflicting migrations, stopping the deploy. Run makemigrations --merge.`,
    });
  },
};
