// DDH706: PostgreSQL without a statement_timeout.
import { isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Rule } from '../types';
import { databaseEntries, key, noDatabaseReason, options } from './entries';

export const noStatementTimeout: Rule = {
  code: 'DDH706',
  name: 'no-statement-timeout',
  title: 'No statement timeout on PostgreSQL',
  severity: 'hint',
  group: 'database',
  checklist: 'db-connections',
  explainable: true,
  target: 'settings',
  docs: {
    what: 'A production PostgreSQL entry of `DATABASES` does not set `statement_timeout` in `OPTIONS["options"]` (e.g. `"-c statement_timeout=30000"`). A timeout set on the database role or the server (`ALTER ROLE … SET statement_timeout`) is invisible to the analysis, hence only a hint.',
    why: 'Without a timeout a runaway query — a missing index, an unbounded admin search, a lock wait — runs until it finishes. The web worker waits with it (the app server kills the worker at its own timeout, but the query keeps running in the database), connections pile up, and one slow page can take the database down for everyone.',
    example: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app", ...}}',
    fix: 'Add `"options": "-c statement_timeout=30000"` (milliseconds; a bit below the app server timeout) to OPTIONS, or set it on the database role. Migrations and long jobs can raise it per session (`SET statement_timeout`). There is no quick fix: the limit depends on the slowest legitimate query.',
    good: 'DATABASES = {"default": {..., "OPTIONS": {"options": "-c statement_timeout=30000"}}}',
    references: [
      {
        title: 'PostgreSQL: statement_timeout',
        url: 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT',
      },
      { title: 'Django: PostgreSQL notes', url: 'https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-notes' },
    ],
  },
  check(ctx) {
    const { entries, unknown } = databaseEntries(ctx);
    let undecided = unknown;
    let pg = 0;
    for (const e of entries) {
      if (e.engine !== 'postgresql') continue;
      pg++;
      const o = options(e);
      if (o === 'env') continue;
      if (o === undefined) {
        undecided ??= { reason: `the OPTIONS of ${e.label} are not known statically`, loc: e.loc };
        continue;
      }
      const opt = V.dictGetStr(o, 'options');
      if (opt === undefined || opt?.kind === 'unknown') {
        if (opt === undefined || !isSupplied(opt))
          undecided ??= { reason: `OPTIONS["options"] of ${e.label} is not known statically`, loc: e.loc };
        continue;
      }
      if (opt?.kind === 'str' && /statement_timeout/.test(opt.v)) continue;
      const written = key(e, 'OPTIONS');
      ctx.report({
        loc: (written && ctx.settings.locOf(written)) || e.loc,
        message: `${e.label} sets no statement_timeout: a runaway query holds its worker and connection until it ends; add "options": "-c statement_timeout=30000" to OPTIONS (or set it on the database role).`,
      });
    }
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
    else if (pg === 0) ctx.notApplicable(noDatabaseReason(entries) ?? 'no PostgreSQL database is configured');
  },
};
