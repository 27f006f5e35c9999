// DDH702: persistent connections without CONN_HEALTH_CHECKS (Django 4.1+).
import { isDjangoDefault, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import { atLeast } from '../../models/project/version';
import { originNote } from '../helpers';
import type { Rule } from '../types';
import { connectionFix } from './connectionFix';
import { databaseEntries, djangoPool, key, locOfKey, noDatabaseReason, poolOption, pools } from './entries';

export const noConnHealthChecks: Rule = {
  code: 'DDH702',
  name: 'no-conn-health-checks',
  title: 'Persistent connections without health checks',
  severity: 'information',
  group: 'database',
  checklist: 'db-connections',
  explainable: true,
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'A production `DATABASES` entry keeps connections open (`CONN_MAX_AGE` above 0 or `None`, or Django 5.1+\'s connection pool, `OPTIONS["pool"]`) without `CONN_HEALTH_CHECKS = True`, in Django 4.1 or later (the setting does not exist before). SQLite entries are not checked, nor entries with Django\'s no-database backend (`django.db.backends.dummy`), which never connects.',
    why: 'A persistent connection can die between requests: the database restarts or fails over, a pooler or firewall drops idle connections. Without health checks Django reuses the dead connection and the next request on that worker fails with "server closed the connection unexpectedly" or "connection already closed". With them, Django checks a reused connection at the start of a request and reconnects if needed; with the pool on, Django hands the setting to the pool, which checks a connection before lending it.',
    example: 'DATABASES = {"default": {..., "CONN_MAX_AGE": 600}}',
    fix: 'Add `"CONN_HEALTH_CHECKS": True` to the entry (or `conn_health_checks=True` to `dj_database_url.config()`). The quick fix adds it where the entry is written (or as `DATABASES["default"]["CONN_HEALTH_CHECKS"] = True` in the production module); it is safe: it only adds a cheap check when a connection is reused. For `dj_database_url.config()` it is marked unsafe, as the keyword needs dj-database-url 1.0 or later.',
    good: 'DATABASES = {"default": {..., "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}}',
    references: [
      { title: 'Django: CONN_HEALTH_CHECKS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#conn-health-checks' },
      { title: 'Django: persistent connections', url: 'https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections' },
    ],
  },
  check(ctx) {
    if (!atLeast(ctx.version.version, '4.1'))
      return ctx.notApplicable(`CONN_HEALTH_CHECKS does not exist in Django ${ctx.version.version}`);
    const { entries, unknown } = databaseEntries(ctx);
    let undecided = unknown;
    let persistent = 0;
    for (const e of entries) {
      // Django's own pool (5.1+) reuses connections too: health checks apply, CONN_MAX_AGE does not
      const pooled = djangoPool(ctx, e) === 'on';
      if (e.engine === 'sqlite' || e.engine === 'dummy' || e.engineValue === null || (!pooled && pools(ctx, e))) continue;
      const age = key(e, 'CONN_MAX_AGE');
      if (!pooled) {
        if (age === null) continue;
        if (age === undefined || age.kind === 'unknown') {
          if (age === undefined || !isSupplied(age))
            undecided ??= { reason: `CONN_MAX_AGE of ${e.label} is not known statically`, loc: locOfKey(ctx, e, age) };
          continue;
        }
        if (age.kind !== 'none' && V.truthy(age) !== true) continue;
      }
      persistent++;
      const checks = key(e, 'CONN_HEALTH_CHECKS');
      if (checks === undefined || checks?.kind === 'unknown') {
        if (checks === undefined || !isSupplied(checks))
          undecided ??= { reason: `CONN_HEALTH_CHECKS of ${e.label} is not known statically`, loc: e.loc };
        continue;
      }
      if (checks !== null && V.truthy(checks) === true) continue;
      const explicit = checks !== null && !isDjangoDefault(checks) && ctx.settings.locOf(checks) !== undefined;
      const viaUrlLibrary = /^(dj_database_url|db_url)\s*\./.test(ctx.textAt(e.loc) ?? '');
      const fix = connectionFix(
        ctx,
        e,
        { CONN_HEALTH_CHECKS: 'True' },
        viaUrlLibrary
          ? `Set conn_health_checks=True for ${e.label} (needs dj-database-url 1.0 or later)`
          : `Set CONN_HEALTH_CHECKS = True in ${e.label}`,
        viaUrlLibrary ? 'unsafe' : 'safe',
      );
      ctx.report({
        loc: explicit ? locOfKey(ctx, e, checks) : locOfKey(ctx, e, pooled ? poolOption(e) : age),
        fixes: fix ? [fix] : [],
        message: pooled
          ? `${e.label} takes connections from Django's pool (OPTIONS["pool"]) without CONN_HEALTH_CHECKS${checks && explicit ? originNote(checks) : ''}: a pooled connection that died while idle fails the next request; set CONN_HEALTH_CHECKS = True.`
          : `${e.label} keeps connections open (CONN_MAX_AGE ${age?.kind === 'none' ? 'None' : age?.kind === 'int' || age?.kind === 'float' ? V.repr(age) : 'set'}) without CONN_HEALTH_CHECKS${checks && explicit ? originNote(checks) : ''}: a connection that died between requests fails the next request; set CONN_HEALTH_CHECKS = True.`,
      });
    }
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
    else if (persistent === 0) ctx.notApplicable(noDatabaseReason(entries) ?? 'no database keeps persistent connections');
  },
};
