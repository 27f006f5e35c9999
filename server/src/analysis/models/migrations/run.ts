// One analysis's migration files: which files are checked, each read once, the production database
// vendor and each app's history (shared by the files of one app). The engine runs every migration
// rule once per file with what this gives.
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { isWithin } from '../../files/fs';
import type { DjangoProject } from '../project/model';
import type { Settings } from '../settings/settings';
import type { FileView } from '../../files/view';
import { isMigrationFile, MigrationHistory, type HistorySource } from './history';
import { readMigration, type MigrationFile } from '../../readers/python/migration';
import { databaseVendor, type DatabaseVendor } from './vendor';

/**
 * What git says about a project's migrations (from its change set, changes.ts); absent when there
 * is no change set to be had (no git, not a repository, `--all`): rules that need it say so.
 */
export interface MigrationGitFacts {
  /** Migration files git does not track (absolute paths). */
  readonly untracked: readonly string[];
  /** App folders whose models (models.py or a models/ package) were added or changed relative to the base. */
  readonly modelsChanged: readonly string[];
}

export interface CheckedMigration {
  readonly migration: MigrationFile;
  readonly vendor: DatabaseVendor;
  readonly history: MigrationHistory;
  /** What git says about the project's files, when it could be asked. */
  readonly git: MigrationGitFacts | undefined;
  /** Where findings without a place of their own land: the `class Migration` line, else the first line. */
  readonly anchor: Loc;
}

/** Every migration module of a project (its workspace folder's scan, under the project's root). */
export function migrationFilesOf(ws: FileView, project: DjangoProject): string[] {
  const scan = ws.scanFor(project.root);
  if (!scan) return [];
  return [...scan.pythonFiles].filter((f) => isMigrationFile(f) && isWithin(project.root, f)).sort();
}

export class MigrationRun {
  /** The migration files checked (absolute paths, migration modules only). */
  readonly files: readonly string[];
  readonly vendor: DatabaseVendor;
  private checked: CheckedMigration[] | undefined;
  private readonly read = new Map<string, MigrationFile | undefined>();
  private readonly histories = new Map<string, MigrationHistory>();
  private readonly source: HistorySource;

  constructor(
    private readonly ws: FileView,
    project: DjangoProject,
    files: readonly string[] | 'all',
    settings: Settings | undefined,
    private readonly fileText: (file: string) => string | undefined,
    private readonly git?: MigrationGitFacts,
  ) {
    this.files = files === 'all' ? migrationFilesOf(ws, project) : [...new Set(files)].filter(isMigrationFile);
    this.vendor = databaseVendor(settings, project.noProductionReason);
    this.source = {
      list: (folder) => {
        if (!ws.contains(folder)) return undefined;
        const onDisk = ws.fs.isDirectory(folder)
          ? ws.fs
              .readDir(folder)
              .filter((e) => e.isFile)
              .map((e) => path.join(folder, e.name))
          : [];
        // a new migration open in the editor and not saved yet is part of its app too
        const open = this.files.filter((f) => path.dirname(f) === folder);
        return [...new Set([...onDisk, ...open])];
      },
      read: (file) => this.migration(file),
      text: (file) => fileText(file),
      label: (appFolder) => {
        const text = fileText(path.join(appFolder, 'apps.py'));
        return text ? /^[ \t]+label\s*=\s*["']([A-Za-z_]\w*)["']/m.exec(text)?.[1] : undefined;
      },
    };
  }

  /** The migration in `file`, read once (undefined when it cannot be read or parsed). */
  migration(file: string): MigrationFile | undefined {
    if (!this.read.has(file)) {
      const doc = this.ws.document(file);
      this.read.set(file, doc ? readMigration(file, doc) : undefined);
    }
    return this.read.get(file);
  }

  history(file: string): MigrationHistory {
    const folder = path.dirname(file);
    let h = this.histories.get(folder);
    if (!h) {
      h = new MigrationHistory(folder, this.source);
      this.histories.set(folder, h);
    }
    return h;
  }

  /** The checked migrations, read on first use. */
  migrations(): readonly CheckedMigration[] {
    if (this.checked) return this.checked;
    const out: CheckedMigration[] = [];
    for (const file of this.files) {
      const migration = this.migration(file);
      if (!migration) continue;
      const text = this.fileText(file) ?? '';
      const first = /\S[^\r\n]*/.exec(text);
      const anchor: Loc = migration.classLoc
        ? { file, start: migration.classLoc.start, end: lineEnd(text, migration.classLoc.start) }
        : first
          ? { file, start: first.index, end: first.index + first[0].trimEnd().length }
          : { file, start: 0, end: 0 };
      out.push({ migration, vendor: this.vendor, history: this.history(file), git: this.git, anchor });
    }
    this.checked = out;
    return out;
  }
}

function lineEnd(text: string, from: number): number {
  const i = text.slice(from).search(/[\r\n]/);
  return i < 0 ? text.length : from + i;
}
