// DDH707: Django's PostgreSQL connection pool (OPTIONS["pool"]) together with persistent
// connections (Django refuses every connection), or on a Django that does not read it.
import { isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import { originNote } from '../helpers';
import type { Rule } from '../types';
import { connectionFix } from './connectionFix';
import { databaseEntries, djangoPool, key, locOfKey, noDatabaseReason, poolOption } from './entries';

export const poolMisconfigured: Rule = {
  code: 'DDH707',
  name: 'pool-misconfigured',
  title: 'Connection pool that Django refuses',
  severity: 'error',
  group: 'database',
  checklist: 'db-connections',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'A production PostgreSQL entry of `DATABASES` turns on Django\'s connection pool (`OPTIONS["pool"]`, Django 5.1+) and also sets `CONN_MAX_AGE` to anything but 0 (a number of seconds or `None`), or sets `OPTIONS["pool"]` on a Django older than 5.1, which has no pool.',
    why: 'The pool and persistent connections are mutually exclusive: the first time a worker needs the database, Django raises `ImproperlyConfigured("Pooling doesn\'t support persistent connections.")`, so every request that touches the database fails with a 500. The common way in is adding `"pool": True` to settings that already had `CONN_MAX_AGE = 600` (or `dj_database_url.config(conn_max_age=600)`). Before Django 5.1 Django has no pool and passes the unknown option on to the driver, which refuses to connect (`invalid connection option "pool"`): the same outage.',
    example: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", ..., "CONN_MAX_AGE": 600, "OPTIONS": {"pool": True}}}',
    fix: 'With the pool, leave `CONN_MAX_AGE` at 0 (delete it) and keep `CONN_HEALTH_CHECKS = True`: the pool keeps the connections and Django hands the health check to it. Size the pool (`{"min_size": 2, "max_size": 10}`) so that workers × max_size stays below the database\'s connection limit. The quick fix sets `CONN_MAX_AGE` to 0 where the entry is written; it is safe, as Django cannot run with the current value. On Django before 5.1, upgrade, or remove the option and use `CONN_MAX_AGE` or PgBouncer.',
    good: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", ..., "CONN_HEALTH_CHECKS": True, "OPTIONS": {"pool": True}}}',
    references: [
      { title: 'Django: connection pool (PostgreSQL)', url: 'https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-pool' },
      {
        title: 'Django 5.1 release notes: connection pools',
        url: 'https://docs.djangoproject.com/en/stable/releases/5.1/#postgresql-connection-pools',
      },
      { title: 'psycopg: connection pools', url: 'https://www.psycopg.org/psycopg3/docs/advanced/pool.html' },
    ],
  },
  check(ctx) {
    const { entries, unknown } = databaseEntries(ctx);
    let undecided = unknown;
    let pooled = 0;
    for (const e of entries) {
      const pool = djangoPool(ctx, e);
      if (pool === 'off') continue;
      const poolValue = poolOption(e);
      if (typeof pool === 'object') {
        if (!(pool.unknown && isSupplied(pool.unknown)))
          undecided ??= { reason: `OPTIONS["pool"] of ${e.label} is not known statically`, loc: locOfKey(ctx, e, pool.unknown) };
        continue;
      }
      pooled++;
      if (pool === 'ignored') {
        ctx.report({
          loc: locOfKey(ctx, e, poolValue),
          message: `${e.label} sets OPTIONS["pool"], but Django ${ctx.version.version} has no connection pool (new in 5.1) and passes the option on to the driver, which refuses to connect (invalid connection option "pool"); remove it (use CONN_MAX_AGE or PgBouncer) or upgrade Django.`,
        });
        continue;
      }
      const age = key(e, 'CONN_MAX_AGE');
      if (age === null) continue;
      if (age === undefined || age.kind === 'unknown') {
        if (age === undefined || !isSupplied(age))
          undecided ??= { reason: `CONN_MAX_AGE of ${e.label} is not known statically`, loc: locOfKey(ctx, e, age) };
        continue;
      }
      if (age.kind !== 'none' && V.truthy(age) !== true) continue;
      const shown = age.kind === 'none' ? 'None' : age.kind === 'int' || age.kind === 'float' ? V.repr(age) : 'set';
      const fix = connectionFix(
        ctx,
        e,
        { CONN_MAX_AGE: '0' },
        `Set CONN_MAX_AGE = 0 in ${e.label} (the pool keeps the connections)`,
        'safe',
      );
      ctx.report({
        loc: locOfKey(ctx, e, age),
        fixes: fix ? [fix] : [],
        message: `${e.label} turns on Django's connection pool with CONN_MAX_AGE ${shown}${originNote(age)}: Django raises "Pooling doesn't support persistent connections" at the first database access, so every request that needs the database fails; set CONN_MAX_AGE to 0 (the pool keeps the connections).`,
      });
    }
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
    else if (pooled === 0) ctx.notApplicable(noDatabaseReason(entries) ?? 'no PostgreSQL database uses OPTIONS["pool"]');
  },
};
