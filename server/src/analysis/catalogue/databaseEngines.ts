// Database engine families, from a DATABASES ENGINE path: the database rules and the migration
// analysis (which advice fits the production database) read it alike.
import type { Fact } from './facts';

export type EngineKind = 'postgresql' | 'mysql' | 'sqlite' | 'oracle' | 'dummy' | 'other';

/**
 * Django's "no database" backend: every operation that would reach a database raises
 * ImproperlyConfigured (connection.close() alone is a no-op), so no connection is ever opened and
 * the connection settings of an entry with it (CONN_MAX_AGE, health checks, a pool, SSL, timeouts)
 * are never read. Django gives it to an entry without ENGINE, and to an empty DATABASES.
 */
export const DUMMY_ENGINE: Fact<string> = {
  value: 'django.db.backends.dummy',
  knob: 'DATABASES[alias]["ENGINE"]',
  source: {
    url: 'https://github.com/django/django/blob/5.2/django/db/backends/dummy/base.py',
    quote:
      'Dummy database backend for Django. Django uses this if the database ENGINE setting is empty (None or empty string). Each of these API functions, except connection.close(), raise ImproperlyConfigured. … _cursor = complain; ensure_connection = complain',
    versions: 'every Django release (docs: https://docs.djangoproject.com/en/stable/ref/settings/#engine)',
  },
};

export function engineKind(engine: string): EngineKind {
  if (engine.trim() === DUMMY_ENGINE.value) return 'dummy';
  if (/postgres|postgis|psql|timescale|cockroach/i.test(engine)) return 'postgresql';
  if (/mysql/i.test(engine)) return 'mysql';
  if (/sqlite|spatialite/i.test(engine)) return 'sqlite';
  if (/oracle/i.test(engine)) return 'oracle';
  return 'other';
}

/**
 * The port PgBouncer listens on unless its configuration says otherwise: a DATABASES entry on it
 * reaches PostgreSQL through the pooler, which keeps the server connections open itself.
 */
export const PGBOUNCER_PORT: Fact<string> = {
  value: '6432',
  knob: 'listen_port (pgbouncer.ini)',
  source: {
    url: 'https://www.pgbouncer.org/config.html#listen_port',
    quote: 'listen_port: Which port to listen on. Applies to both TCP and Unix sockets. Default: 6432',
  },
};

/**
 * How Django tells an in-memory SQLite database (one that lives in the process, never a file on
 * disk): its NAME is `:memory:` or holds `mode=memory` (a URI filename).
 */
export const SQLITE_IN_MEMORY: Fact<{ readonly names: readonly string[]; readonly uriMode: string }> = {
  value: { names: [':memory:'], uriMode: 'mode=memory' },
  knob: 'DATABASES[alias]["NAME"]',
  source: {
    url: 'https://github.com/django/django/blob/5.2/django/db/backends/sqlite3/creation.py',
    quote:
      'def is_in_memory_db(database_name): return not isinstance(database_name, Path) and (database_name == ":memory:" or "mode=memory" in database_name)',
  },
};

/** Whether a SQLite NAME is an in-memory database as Django reads it (SQLITE_IN_MEMORY). */
export function sqliteInMemory(name: string): boolean {
  return SQLITE_IN_MEMORY.value.names.includes(name) || name.includes(SQLITE_IN_MEMORY.value.uriMode);
}
