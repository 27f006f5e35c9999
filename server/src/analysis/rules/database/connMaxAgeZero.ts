// DDH701: persistent database connections are off (CONN_MAX_AGE 0 or unset).
import { isDjangoDefault, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import { productionAsgiServer, productionGreenletServer } from '../../models/appServer/model';
import { GREENLET_WORKERS } from '../../catalogue/greenletWorkers';
import { atLeast } from '../../models/project/version';
import { originNote } from '../helpers';
import type { Rule } from '../types';
import { connectionFix } from './connectionFix';
import { behindPooler, databaseEntries, key, locOfKey, noDatabaseReason, pools } from './entries';

export const connMaxAgeZero: Rule = {
  code: 'DDH701',
  name: 'conn-max-age-zero',
  title: 'Persistent database connections are off',
  severity: 'information',
  group: 'database',
  checklist: 'db-connections',
  explainable: true,
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "A production `DATABASES` entry for a database server (anything but SQLite, or Django's `django.db.backends.dummy`, the no-database backend, which never opens a connection: with only that, the rule is not applicable and says why) has `CONN_MAX_AGE` 0, or leaves it unset (Django's default is 0; `dj_database_url.config()` gives 0 unless called with `conn_max_age`, django-environ's `env.db()` unless the URL has `?conn_max_age=`). Not reported when the entry uses connection pooling instead: Django 5.1+'s `OPTIONS[\"pool\"]`, or a pooling backend such as django-db-connection-pool, or PgBouncer in front of the database (the entry's `PORT` is PgBouncer's default, 6432, or its `HOST` names a pooler): connecting to the pooler is cheap, and it keeps the server connections open itself. Nor when a production app server serves Django over ASGI (gunicorn with a uvicorn or ASGI worker class, uvicorn, daphne, hypercorn, granian with `--interface asgi`): Django's documentation says persistent connections should then be disabled, in favour of the backend's connection pooling. Nor when a production gunicorn runs greenlet workers (`gevent`, `eventlet`): Django keeps a connection per thread, which under these workers is per request, so a persistent connection is never reused (gunicorn issue 996) and idle connections pile up instead.",
    why: 'With 0, Django opens a new database connection at the start of every request and closes it at the end: a TCP (and often TLS) handshake plus authentication per request, typically several milliseconds, and a connection storm on the database under load. Persistent connections reuse one connection per worker thread.',
    example: 'DATABASES = {"default": dj_database_url.config()}   # CONN_MAX_AGE is 0',
    fix: 'Set `CONN_MAX_AGE` to a number of seconds (60–600 is common) together with `CONN_HEALTH_CHECKS = True` (Django 4.1+), or `None` for unlimited reuse when a pooler such as PgBouncer sits in front of the database. Make sure the database accepts workers × threads connections. Under ASGI, where persistent connections are tied to threads, prefer a connection pool (built into Django 5.1+ for PostgreSQL) or PgBouncer. The quick fix sets `CONN_MAX_AGE = 600` (and `CONN_HEALTH_CHECKS = True` on Django 4.1+) where the entry is written: in its dict, as `conn_max_age=600, conn_health_checks=True` of `dj_database_url.config()`, or as `DATABASES["default"]["CONN_MAX_AGE"] = 600` in the production module; it is unsafe because it changes how many connections the database sees.',
    good: 'DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}',
    references: [
      { title: 'Django: persistent connections', url: 'https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections' },
      { title: 'Django: CONN_MAX_AGE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#conn-max-age' },
      { title: 'Django: connection pool (PostgreSQL)', url: 'https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-pool' },
    ],
  },
  check(ctx) {
    // Django's documentation: under ASGI persistent connections should be disabled (pool instead);
    // asked once an entry would be reported (the app server model is built for it)
    let asgi: string | false | undefined;
    const servedOverAsgi = (): string | false => (asgi ??= productionAsgiServer(ctx.appServer) ?? false);
    // under greenlet workers each request has its own connection: a persistent one is never reused
    let greenlets: string | false | undefined;
    const servedByGreenlets = (): string | false => (greenlets ??= productionGreenletServer(ctx.appServer) ?? false);
    const { entries, unknown } = databaseEntries(ctx);
    let undecided = unknown;
    let servers = 0;
    for (const e of entries) {
      // SQLite has no server to connect to; Django's dummy backend never connects at all
      if (e.engine === 'sqlite' || e.engine === 'dummy' || e.engineValue === null) continue;
      if (e.engine === undefined) {
        undecided ??= { reason: `the ENGINE of ${e.label} is not known statically`, loc: e.loc };
        continue;
      }
      servers++;
      // a pool, or PgBouncer in front, which keeps the server connections open itself
      if (pools(ctx, e) || behindPooler(e)) continue;
      const age = key(e, 'CONN_MAX_AGE');
      if (age === undefined) {
        undecided ??= { reason: `${e.label} may set CONN_MAX_AGE where the analysis cannot see it`, loc: e.loc };
        continue;
      }
      if (age !== null) {
        if (age.kind === 'unknown') {
          if (!isSupplied(age)) undecided ??= { reason: `CONN_MAX_AGE of ${e.label} is not known statically`, loc: locOfKey(ctx, e, age) };
          continue;
        }
        if (age.kind === 'none' || V.truthy(age) !== false) continue;
      }
      if (servedOverAsgi() || servedByGreenlets()) continue;
      const want: Record<string, string> = { CONN_MAX_AGE: '600' };
      // health checks unless the entry already has them on (a fix that rewrites a True with True edits nothing)
      const checks = key(e, 'CONN_HEALTH_CHECKS');
      if (atLeast(ctx.version.version, '4.1') && !(checks && checks.kind === 'bool' && checks.v)) want.CONN_HEALTH_CHECKS = 'True';
      const fix = connectionFix(
        ctx,
        e,
        want,
        `Set ${Object.keys(want)
          .map((k) => `${k} = ${want[k]}`)
          .join(' and ')} in ${e.label} (keeps one connection per worker thread open: check the database's connection limit)`,
        'unsafe',
      );
      ctx.report({
        loc: locOfKey(ctx, e, age),
        fixes: fix ? [fix] : [],
        message:
          age === null || isDjangoDefault(age)
            ? `${e.label} does not set CONN_MAX_AGE (default 0): Django opens a new database connection for every request; set CONN_MAX_AGE (e.g. 600, or None behind PgBouncer) or use connection pooling.`
            : `${e.label} has CONN_MAX_AGE 0${originNote(age)}: Django opens a new database connection for every request; set it to e.g. 600 (or None behind PgBouncer) or use connection pooling.`,
      });
    }
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
    else if (servers === 0) ctx.notApplicable(noDatabaseReason(entries) ?? 'no database server is configured');
    else if (asgi) ctx.notApplicable(`production serves Django over ASGI (${asgi}), where persistent connections should be off`);
    else if (greenlets)
      ctx.notApplicable(
        `production runs ${greenlets}: each request runs in a greenlet of its own, which Django gives its own connection, so a persistent connection is never reused (${GREENLET_WORKERS.source.url})`,
      );
  },
};
