// DDH801: a per-process (LocMemCache) or no-op (DummyCache) cache in production; an error when
// sessions live in it.
import { isSupplied } from '../../models/settings/query';
import { fallbackNote, variablesText } from '../../models/settings/fallback';
import { cacheUse } from '../../models/settings/usage';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { echoable, fallbackBasis, fileOf, originNote, ownPackage, unknownReason } from '../helpers';
import type { Rule, RuleContext } from '../types';

const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';
const DUMMY = 'django.core.cache.backends.dummy.DummyCache';
const CACHE_SESSIONS = 'django.contrib.sessions.backends.cache';
const CACHED_DB_SESSIONS = 'django.contrib.sessions.backends.cached_db';

interface Backend {
  readonly backend: string;
  readonly value: Value;
  readonly loc: Loc;
}

type Lookup = { found: Backend } | { absent: true } | { unknown?: string; loc?: Loc };

function cacheBackend(ctx: RuleContext, alias: string): Lookup {
  const s = ctx.settings.get('CACHES');
  const v = s.value;
  if (v.kind === 'unknown') return isSupplied(v) ? {} : { unknown: unknownReason(s), loc: s.loc };
  if (v.kind !== 'dict') return { absent: true };
  const entry = V.dictGetStr(v, alias);
  if (entry === null) return { absent: true };
  if (entry === undefined) return { unknown: `CACHES may hold a "${alias}" entry the analysis cannot read`, loc: s.loc };
  if (entry.kind === 'unknown')
    return isSupplied(entry) ? {} : { unknown: `CACHES["${echoable(alias) ?? '…'}"] is not known statically: ${entry.reason}`, loc: s.loc };
  if (entry.kind !== 'dict') return { absent: true };
  const backend = V.dictGetStr(entry, 'BACKEND');
  if (backend === null) return { absent: true };
  if (backend === undefined)
    return { unknown: `CACHES["${echoable(alias) ?? '…'}"] may hold a BACKEND the analysis cannot read`, loc: s.loc };
  if (backend.kind === 'unknown')
    return isSupplied(backend)
      ? {}
      : { unknown: `the BACKEND of CACHES["${echoable(alias) ?? '…'}"] is not known statically: ${backend.reason}`, loc: s.loc };
  if (backend.kind !== 'str') return { absent: true };
  return { found: { backend: backend.v, value: backend, loc: ctx.settings.locOf(backend) ?? ctx.settings.locOf(entry) ?? s.loc } };
}

function kind(b: string): 'locmem' | 'dummy' | undefined {
  return b === LOCMEM ? 'locmem' : b === DUMMY ? 'dummy' : undefined;
}

export const localCacheInProduction: Rule = {
  code: 'DDH801',
  name: 'local-cache-in-production',
  title: 'Local-memory or dummy cache in production',
  severity: 'warning',
  group: 'caches-sessions-email',
  checklist: 'cache',
  explainable: true,
  target: 'settings',
  docs: {
    what: 'The production default cache is `LocMemCache` or `DummyCache`, written or because `CACHES` is never set (Django\'s default is a LocMemCache): both are judged alike, by what uses the cache. A warning when the settings show the cache in use (the cache middleware or `CACHE_MIDDLEWARE_*` settings, an app that keeps its state there such as django-ratelimit, django-axes with its cache handler, django-cachalot, or django-constance with its database backend and `CONSTANCE_DATABASE_CACHE_BACKEND = "default"` — which constance refuses at start when that cache is a LocMemCache —, or the settings importing `django.core.cache`; django-constance\'s default Redis backend, its memory backend, and its database backend without `CONSTANCE_DATABASE_CACHE_BACKEND` use no Django cache), a hint when only the project\'s code uses it (its cache API, `cache_page`, DRF throttles, django-ratelimit: the hint says where), and nothing when neither the settings nor the code use it (templates are not searched for `{% cache %}`). django-q counts only as its `Q_CLUSTER` makes it use the cache: with `cached` on (task results) or `django_redis` naming the cache (its Redis connection); with a broker other than Redis (`orm`, `sqs`, `mongo`…) it keeps only the cluster statistics its monitor commands read there, which the hint says, and with its default Redis broker nothing. An error when sessions live in that cache: `SESSION_ENGINE = "django.contrib.sessions.backends.cache"` with a LocMemCache or DummyCache under `SESSION_CACHE_ALIAS`; with the `cached_db` engine a LocMemCache is a warning (the database keeps the sessions, but each worker caches its own copy).',
    why: 'LocMemCache lives inside one worker process: with several gunicorn workers or servers, each has its own cache, so cached values, rate-limit counters and locks disagree between workers, and everything is lost at every restart or deploy. DummyCache caches nothing at all. Sessions in such a cache are per worker and vanish at restart (users are logged out at random), or with DummyCache are never kept (nobody can log in). With cached_db, a logout or session change is seen only by the worker that handled it; the others keep serving their cached copy until it expires.',
    example: '# CACHES never set: Django uses LocMemCache\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"',
    fix: 'Configure a shared cache, e.g. Redis (`django.core.cache.backends.redis.RedisCache`, Django 4.0+) or Memcached, with its location read from the environment. For sessions, use the shared cache or the `db` / `cached_db` engine. There is no quick fix: the deployment must first provide a shared cache.',
    good: 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}\nSESSION_ENGINE = "django.contrib.sessions.backends.cached_db"',
    references: [
      {
        title: 'Django: the cache framework (local-memory caching)',
        url: 'https://docs.djangoproject.com/en/stable/topics/cache/#local-memory-caching',
      },
      {
        title: 'Django: using cached sessions',
        url: 'https://docs.djangoproject.com/en/stable/topics/http/sessions/#using-cached-sessions',
      },
      { title: 'Django: CACHES', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#caches' },
    ],
  },
  check(ctx) {
    const caches = ctx.settings.get('CACHES');
    const engine = ctx.settings.get('SESSION_ENGINE').value;
    const aliasValue = ctx.settings.get('SESSION_CACHE_ALIAS').value;
    const engineName = engine.kind === 'str' ? engine.v : undefined;
    const sessionAlias =
      engineName === CACHE_SESSIONS || engineName === CACHED_DB_SESSIONS ? (aliasValue.kind === 'str' ? aliasValue.v : undefined) : null;
    let undecided: { reason: string; loc?: Loc } | undefined;
    if (engine.kind === 'unknown' && !isSupplied(engine)) undecided = { reason: 'SESSION_ENGINE is not known statically' };
    if (sessionAlias === undefined && aliasValue.kind === 'unknown' && !isSupplied(aliasValue))
      undecided ??= { reason: 'SESSION_CACHE_ALIAS is not known statically' };

    const reportAlias = (alias: string, asSessions: boolean): void => {
      const r = cacheBackend(ctx, alias);
      if (!('found' in r)) {
        if ('unknown' in r && r.unknown) undecided ??= { reason: r.unknown, loc: r.loc };
        return;
      }
      const k = kind(r.found.backend);
      if (!k) return;
      const what = k === 'locmem' ? 'LocMemCache' : 'DummyCache';
      const label = caches.isSet ? `CACHES["${echoable(alias) ?? '…'}"]` : 'the default cache (CACHES is never set)';
      // a functional fallback (a local cache when MEMCACHE_SERVERS or REDIS_URL is missing):
      // production's only where the deployment is seen to leave the variable unset
      const fallback = caches.isSet ? ctx.settings.fallback(r.found.value) : undefined;
      // (the environment file production loads, not in the repository, is there to set it: not production's)
      if (fallback?.use === 'supplied') return;
      if (fallback?.use === 'maybe') {
        return ctx.report({
          loc: r.found.loc,
          basis: fallbackBasis(fallback),
          severity: 'information',
          message: `${label} is a ${what}${fallbackNote(fallback)}: the settings fall back to it without ${variablesText(fallback.variables)}, and the repository does not show whether the deployment sets it; where it does not, ${k === 'locmem' ? 'each worker process has its own cache, emptied at every restart' : 'nothing is ever cached'}${asSessions ? ', sessions included' : ''}.`,
        });
      }
      const note = fallback ? fallbackNote(fallback) : caches.isSet ? originNote(r.found.value) : '';
      if (asSessions && engineName === CACHE_SESSIONS) {
        return ctx.report({
          loc: r.found.loc,
          basis: fallbackBasis(fallback),
          severity: 'error',
          message:
            k === 'locmem'
              ? `SESSION_ENGINE keeps sessions in ${label}, a ${what}${note}: each worker has its own sessions, all lost at restart, so users are logged out at random; use a shared cache or the cached_db engine.`
              : `SESSION_ENGINE keeps sessions in ${label}, a ${what}${note}: sessions are never stored, so nobody stays logged in; use a shared cache or the db engine.`,
        });
      }
      if (asSessions && k === 'locmem') {
        return ctx.report({
          loc: r.found.loc,
          basis: fallbackBasis(fallback),
          message: `The cached_db session engine caches sessions in ${label}, a ${what}${note}: a logout or session change reaches only one worker's cache; use a shared cache such as Redis.`,
        });
      }
      if (alias !== 'default') return;
      // without sessions in it, what a per-process or no-op cache costs depends on what uses it: an
      // explicit LocMemCache and Django's default are judged alike
      const use = cacheUse(
        ctx.settings,
        (f) => ctx.fileText(f),
        (f) => fileOf(ctx, f),
        ownPackage(ctx),
      );
      const subject = caches.isSet ? `CACHES["default"] is ${what}${note}` : `CACHES is never set, so Django uses ${what}`;
      // nothing in the settings uses it: the project's code may (a hint, with where), or nothing does
      const code = use ? undefined : ctx.codeUsesCache;
      if (code?.state === 'no') return ctx.notApplicable(`nothing uses the cache: the settings show no use and ${code.why}`);
      const consequence = k === 'locmem' ? 'each worker process has its own cache, emptied at every restart' : 'nothing is ever cached';
      ctx.report({
        loc: r.found.loc,
        basis: fallbackBasis(fallback),
        severity: use && !use.minor ? 'warning' : 'hint',
        message:
          use && !use.minor
            ? `${subject} and ${use.why}: ${consequence}; use a shared cache such as Redis or Memcached.`
            : use
              ? `${subject}: ${consequence}. Of what the settings show, only ${use.why}; if the code uses the cache, use a shared cache such as Redis or Memcached.`
              : code?.state === 'yes'
                ? `${subject}: ${consequence}. The code uses it (${code.why}); if what it keeps must agree between workers or survive a restart (counters, locks, throttles), use a shared cache such as Redis or Memcached.`
                : `${subject}: ${consequence}. Nothing in the settings shows the cache in use (no cache middleware, cached sessions or cache-backed app); if the code uses it, use a shared cache such as Redis or Memcached.`,
      });
    };

    const sessionsHere = sessionAlias === 'default';
    reportAlias('default', sessionsHere);
    if (sessionAlias && sessionAlias !== 'default') reportAlias(sessionAlias, true);
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
  },
};
