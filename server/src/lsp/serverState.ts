// What the language server's handler families share (server.ts makes one and hands it to each): the
// open documents, the workspace and the editor's settings, the analyses kept for each project and
// what the migration analyses know; with the questions several families ask of them (the workspace,
// the analysis options, where an offset of a file is, the findings of a file). What only one family
// uses stays in that family (the diagnostics last published, the analyses with fixes, the hovers).
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisOptions, FolderOptions, ProjectAnalysis } from '../analysis/engine/engine';
import { Workspace } from '../analysis/engine/workspace';
import { NodeFileSystem, OverlayFileSystem, type FileSystem } from '../analysis/files/fs';
import { isMigrationFile, type ChangeSet } from '../analysis/models/migrations/changes';
import type { DjangoProject } from '../analysis/models/project/model';
import type { PythonDocument } from '../analysis/parse/pythonDocument';
import type { Finding } from '../analysis/rules/types';
import type { UserSettings } from './userSettings';

/**
 * How long one analysis pass may take in all (each project also has its own budget): the projects
 * it did not reach are named in the log and analysed when next touched or on the next full pass.
 */
export const PASS_BUDGET_MS = 60_000;
/**
 * How long a file's stat is taken as the file's own (see NodeFileSystem): the analysis after each
 * keystroke asks again whether the closed modules and deployment files it reads changed, 38 stats
 * on DefectDojo (half a millisecond of a keystroke). VS Code's watcher reports a change on disk at
 * once (onDidChangeWatchedFiles forgets the file); an editor without one has no analysis when a
 * file changes on disk, and one started by a keystroke in this window does not see the change yet.
 */
const STAT_FRESH_MS = 1000;

/**
 * How long after the last analysis the setting hovers are computed and sent, and a checklist changed
 * by an edit is announced (see idle.ts); and how long after an edit the developer is taken to be
 * typing (typing()). Tests only:
 * DDH_TEST_IDLE_MS makes it longer, so that a test's keystrokes all fall within it
 * (test/lsp/server.test.ts).
 */
export const HOVER_IDLE_MS = Number(process.env.DDH_TEST_IDLE_MS) || 120;

export interface OpenDoc {
  text: TextDocument;
  /** Parsed form, for Python files (none while the buffer is over the size limit). */
  py?: PythonDocument;
  isPython?: boolean;
}

/** A project's migration analysis, the files it checked, and what it depends on besides them (migrationKey). */
export interface MigrationAnalysis {
  analysis: ProjectAnalysis;
  files: readonly string[];
  key: string;
}

export class ServerState {
  readonly open = new Map<string, OpenDoc>();
  workspace: Workspace | undefined;
  folders: string[] = [];
  userSettings: UserSettings = {};
  /** The settings as they apply in each workspace folder (resource scope: a folder may set its own). */
  folderSettings = new Map<string, UserSettings>();
  readonly analyses = new Map<string, ProjectAnalysis>();
  /** The analyses run for diagnostics (MEMORY_REQUEST reports them). */
  readonly analysisCount = { settings: 0, migrations: 0 };
  /**
   * Each project's migration analysis (by root), kept apart from the settings analysis: typing in a
   * settings module never runs the migration rules (only a change of the database vendor or Django
   * version does), and typing in a migration never evaluates more than the migration analysis needs.
   */
  readonly migrationAnalyses = new Map<string, MigrationAnalysis>();
  /** Each project's migration change set (git, see changes.ts), once known. */
  readonly changeSets = new Map<string, ChangeSet>();
  /** Resolves when the parser is loaded. */
  ready: Promise<unknown> = Promise.resolve();
  readonly baseFs: FileSystem;
  /** When each project's findings last changed (ms since epoch), to tell a stale Django answer. */
  readonly changedAt = new Map<string, number>();
  /** The developer has typed: no practice from then on (their keystrokes are the practice). */
  typedYet = false;
  /** When the last edit of an open document came in (performance.now()). */
  editedAt = -Infinity;
  /** Projects (roots; '*' for every one) a stopped worker was analysing: not analysed until one of their files is edited. */
  readonly quarantined = new Set<string>();
  /** See PASS_BUDGET_MS (tests set a smaller one). */
  passBudgetMs = PASS_BUDGET_MS;
  /** Called after each analysis round (tests and benchmarks wait on it). */
  onAnalyzed?: (files: string[]) => void;

  constructor(
    readonly connection: Connection,
    baseFs?: FileSystem,
  ) {
    this.baseFs = baseFs ?? new NodeFileSystem(undefined, STAT_FRESH_MS);
  }

  ws(): Workspace {
    if (!this.workspace) {
      const fs = new OverlayFileSystem(this.baseFs, (p) => this.open.get(p)?.text.getText());
      let folders = this.folders;
      if (folders.length === 0) folders = [...new Set([...this.open.keys()].map((f) => path.dirname(f)))];
      this.workspace = new Workspace(fs, folders);
      for (const [file, doc] of this.open) if (doc.py) this.workspace.setOpenDocument(file, doc.py);
    }
    return this.workspace;
  }

  /** The analysis options: each workspace folder's settings, and the first folder's for files outside every folder. */
  options(): AnalysisOptions {
    const byFolder: Record<string, FolderOptions> = {};
    for (const f of this.folders) byFolder[f] = this.folderOptions(this.folderSettings.get(f) ?? this.userSettings);
    const first = this.folders[0];
    return { ...(first ? byFolder[first] : this.folderOptions(this.userSettings)), byFolder };
  }

  /**
   * The workspace's projects, found within the pass budget (discovery and version detection stop at
   * it, as the CLI's --time-limit makes them): a discovery cut short is not cached, so the next
   * call looks again; ws.unfinishedProjects then names the folders it did not read.
   */
  projects(options: AnalysisOptions = this.options()): DjangoProject[] {
    // ProjectOptions.runDeadline is the last millisecond within the budget (discovery is late after it)
    return this.ws().projects({ ...options, runDeadline: Date.now() + this.passBudgetMs - 1 });
  }

  /** A folder's editor settings as analysis options (each project's pyproject.toml goes under them, in the core). */
  private folderOptions(u: UserSettings): FolderOptions {
    return {
      productionSettingsModule: u.productionSettingsModule || undefined,
      djangoVersion: u.djangoVersion || undefined,
      disabledRules: u.disabledRules ?? [],
      severityOverrides: u.severityOverrides ?? {},
    };
  }

  /** Whether the developer is typing: an edit came in less than HOVER_IDLE_MS ago. */
  typing(): boolean {
    return performance.now() - this.editedAt < HOVER_IDLE_MS;
  }

  positionAt(file: string, offset: number): { line: number; character: number } | undefined {
    const open = this.open.get(file);
    if (open) return open.text.positionAt(offset);
    return this.ws().positionAt(file, offset) ?? (offset === 0 ? { line: 0, character: 0 } : undefined);
  }

  analysesFindings(file: string): Finding[] {
    const out: Finding[] = [];
    for (const a of this.allAnalyses()) for (const f of a.findings) if (f.loc.file === file) out.push(f);
    return out;
  }

  /** The settings analyses, then the migration analyses. */
  *allAnalyses(): Iterable<ProjectAnalysis> {
    yield* this.analyses.values();
    for (const m of this.migrationAnalyses.values()) yield m.analysis;
  }

  /** The project a file belongs to: the innermost whose root holds it. */
  ownerOf(file: string, projects: readonly DjangoProject[]): DjangoProject | undefined {
    let best: DjangoProject | undefined;
    for (const p of projects) if (file.startsWith(p.root + path.sep) && (!best || p.root.length > best.root.length)) best = p;
    return best;
  }

  /** The migration files analysed for a project: its change set, and its open migration files. */
  migrationFilesFor(project: DjangoProject, projects: readonly DjangoProject[]): string[] {
    const files = new Set(this.changeSets.get(project.root)?.files ?? []);
    for (const file of this.open.keys()) if (isMigrationFile(file) && this.ownerOf(file, projects) === project) files.add(file);
    return [...files].sort();
  }
}
