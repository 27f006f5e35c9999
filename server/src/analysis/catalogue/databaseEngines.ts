// Database engine families, from a DATABASES ENGINE path: the database rules and the migration
// analysis (which advice fits the production database) read it alike.

export type EngineKind = 'postgresql' | 'mysql' | 'sqlite' | 'oracle' | 'other';

export function engineKind(engine: string): EngineKind {
  if (/postgres|postgis|psql|timescale|cockroach/i.test(engine)) return 'postgresql';
  if (/mysql/i.test(engine)) return 'mysql';
  if (/sqlite|spatialite/i.test(engine)) return 'sqlite';
  if (/oracle/i.test(engine)) return 'oracle';
  return 'other';
}
