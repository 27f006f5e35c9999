// Whether a SQLite database file is replicated by Litestream for every production process that
// serves the app: each runs as the `-exec` subprocess of `litestream replicate`, and the database it
// replicates — its command line's DB_PATH, or a `path:` of the configuration file it reads
// (`-config`, else /etc/litestream.yml: a committed litestream.yml) — is the file the settings name
// (catalogue/litestream.ts).
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { LITESTREAM_REPLICATE } from '../../catalogue/litestream';
import { containerPathHolds, type ServerInvocation } from '../process/index';
import type { LitestreamReplicate } from '../../readers/process/recognised';
import type { AppServerModel } from './types';

export interface FileReplicated {
  /** Every serving process is Litestream's subprocess and Litestream is shown to replicate this file. */
  readonly state: 'yes' | 'maybe';
  /** The `litestream` word of the first such command line. */
  readonly by: Loc;
  /** Where the database is named: the command line's DB_PATH or the configuration file's `path:`; undefined when not shown. */
  readonly named?: Loc;
  /** For 'maybe': the configuration file the repository does not show (`/etc/litestream.yml`). */
  readonly unshownConfig?: string;
  /** The serving command lines. */
  readonly serving: readonly ServerInvocation[];
}

/**
 * `file` (a path the settings name: absolute in the workspace or the container, or relative to the
 * process's folder) as Litestream replicates it: 'yes' when every production process serving the
 * app runs under `litestream replicate -exec` replicating it; 'maybe' when they do but the
 * configuration file naming the databases is not in the repository; undefined otherwise (a serving
 * process outside Litestream, none serving, or Litestream shown to replicate other files).
 */
export function fileReplicated(model: AppServerModel, file: string): FileReplicated | undefined {
  const serving = model.commands.filter((c) => c.source.production && c.server !== 'runserver' && !c.source.otherProject);
  if (serving.length === 0 || serving.some((c) => !c.replicatedBy)) return undefined;
  let named: Loc | undefined;
  let unshown: string | undefined;
  for (const inv of serving) {
    const r = inv.replicatedBy!;
    const found = databaseNamed(model, inv, r, file);
    if (found === false) return undefined;
    if (typeof found === 'string') unshown ??= found;
    else named ??= found;
  }
  const by = serving[0]!.replicatedBy!.program.loc;
  return unshown === undefined
    ? { state: 'yes', by, ...(named ? { named } : {}), serving }
    : { state: 'maybe', by, unshownConfig: unshown, serving };
}

/**
 * Where the one Litestream command line replicating `file` names it; false when it is shown to
 * replicate other files only; the configuration file's path when that file is not in the repository.
 */
function databaseNamed(model: AppServerModel, inv: ServerInvocation, r: LitestreamReplicate, file: string): Loc | false | string {
  if (r.database) return sameFile(file, r.database.text, inv) ? r.database.loc : r.database.dynamic ? r.database.text : false;
  const spec = LITESTREAM_REPLICATE.value;
  const configPath = r.config?.text ?? spec.defaultConfig;
  const name = path.posix.basename(configPath);
  const configs = model.litestreamConfigs.filter((c) => (r.config?.dynamic ? true : path.basename(c.file) === name));
  if (configs.length === 0) return configPath;
  for (const c of configs) for (const d of c.databases) if (sameFile(file, d.path, inv)) return d.loc;
  // a path Litestream expands from the environment (`$DB_PATH`) may be it
  const open = configs.flatMap((c) => c.databases).find((d) => d.path.includes('$'));
  return open ? open.path : false;
}

/** Whether the settings' `file` is the database at `dbPath` (as the container sees it) for the process of `inv`. */
function sameFile(file: string, dbPath: string, inv: ServerInvocation): boolean {
  if (dbPath.includes('$')) return false;
  const norm = (p: string): string => path.posix.normalize(p).replace(/(?<!\/)\/+$/, '');
  if (norm(file) === norm(dbPath)) return true;
  if (!dbPath.startsWith('/')) return false;
  return containerPathHolds(file, norm(dbPath), [inv.source]);
}
