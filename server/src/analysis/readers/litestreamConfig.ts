// A committed Litestream configuration file (litestream.yml): the databases its `dbs:` list names,
// each `path:` as written (catalogue/litestream.ts LITESTREAM_DATABASES).
import type { Loc } from '../eval/values';
import { LITESTREAM_DATABASES } from '../catalogue/litestream';
import { parseYaml, yget, yscalar } from './yaml';

export interface LitestreamConfig {
  readonly file: string;
  /** Each database's path as written (a path in the container, `$VAR` expanded by Litestream at start). */
  readonly databases: readonly { readonly path: string; readonly loc: Loc }[];
}

/** The databases a Litestream configuration file names; undefined when the text is not one (no `dbs:` list). */
export function readLitestreamConfig(file: string, text: string): LitestreamConfig | undefined {
  const doc = parseYaml(file, text);
  const dbs = yget(doc, LITESTREAM_DATABASES.value.configList);
  if (dbs?.kind !== 'seq') return undefined;
  const databases: { path: string; loc: Loc }[] = [];
  for (const item of dbs.items) {
    const p = yscalar(yget(item, LITESTREAM_DATABASES.value.configPath));
    if (p && p.value.trim() !== '') databases.push({ path: p.value.trim(), loc: p.loc });
  }
  return { file, databases };
}
