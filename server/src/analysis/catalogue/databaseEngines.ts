// Database engine families, from a DATABASES ENGINE path: the database rules and the migration
// analysis (which advice fits the production database) read it alike.
import type { Fact } from './facts';

export type EngineKind = 'postgresql' | 'mysql' | 'sqlite' | 'oracle' | 'other';

export function engineKind(engine: string): EngineKind {
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
