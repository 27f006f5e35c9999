// The migration side of an analysis pass: which projects' migrations are to be analysed again (a
// migration file opened, edited, closed or changed on disk; the database vendor or the Django version
// changed), their change sets asked of git in the background, and each such project's migration
// analysis, kept apart from its settings analysis (see ServerState.migrationAnalyses).
import { EvaluationCancelled, type AnalysisOptions, type ProjectAnalysis } from '../analysis/engine/engine';
import { analyzeMigrations, databaseVendor } from '../analysis/engine/migrations';
import {
  migrationChangeSet,
  migrationGitFacts,
  projectMigrationFiles,
  type ChangeSet,
  type RepositoryChangesCache,
} from '../analysis/models/migrations/changes';
import type { DjangoProject } from '../analysis/models/project/model';
import { type Diagnostics, filesOf } from './handlers/diagnostics';
import type { Scheduler } from './scheduler';
import type { MigrationAnalysis, ServerState } from './serverState';

/** What the migration rules depend on besides the files: the database vendor and the Django version. */
function migrationKey(a: ProjectAnalysis): string {
  return `${databaseVendor(a.settings, a.project.noProductionReason).kind}|${a.project.djangoVersion.version}|${a.project.production?.module.file ?? ''}`;
}

export class MigrationPass {
  /** Projects whose change set must be asked of git again. */
  private readonly staleChangeSets = new Set<string>();

  constructor(
    private readonly s: ServerState,
    private readonly scheduler: Scheduler,
    private readonly diagnostics: Diagnostics,
  ) {}

  /**
   * A migration file was opened, edited, closed, or changed on disk (`onDisk`: its project's change
   * set is asked of git again). Its project's migrations are analysed on the next round.
   */
  migrationsChanged(file: string, onDisk: boolean): void {
    let projects: DjangoProject[];
    try {
      projects = this.s.projects();
    } catch {
      return;
    }
    const owner = this.s.ownerOf(file, projects);
    if (!owner) return;
    if (onDisk) this.staleChangeSets.add(owner.root);
    this.scheduler.pendingMigrations.add(owner.root);
  }

  /** Asks git for the change sets marked stale (every project's after a full pass); then analyses their migrations. */
  private refreshChangeSets(projects: readonly DjangoProject[]): void {
    if (this.scheduler.refreshingChangeSets || this.staleChangeSets.size === 0) return;
    const roots = new Set(this.staleChangeSets);
    this.staleChangeSets.clear();
    const ws = this.s.ws();
    this.scheduler.refreshingChangeSets = (async () => {
      const cache: RepositoryChangesCache = new Map(); // git is asked once per repository
      for (const p of projects) {
        if (!roots.has(p.root)) continue;
        try {
          const cs = await migrationChangeSet(p.root, projectMigrationFiles(ws, p, projects), {}, undefined, cache);
          const before = this.s.changeSets.get(p.root);
          this.s.changeSets.set(p.root, cs);
          if (cs.fallback && before?.fallback !== cs.fallback)
            this.s.connection.console.info(
              `Django Deploy Hygiene: ${p.root}: ${cs.fallback}; the editor reports on open migrations and ${cs.description}.`,
            );
          const facts = (c: ChangeSet): string => [c.scope, ...c.files, '', ...c.untracked, '', ...c.modelsChanged].join('\0');
          if (!before || facts(before) !== facts(cs)) this.scheduler.pendingMigrations.add(p.root);
        } catch (e) {
          this.s.connection.console.error(`Django Deploy Hygiene: the migration change set of ${p.root}: ${(e as Error).message}`);
        }
      }
    })().finally(() => {
      this.scheduler.refreshingChangeSets = undefined;
      if (this.staleChangeSets.size > 0 || this.scheduler.pendingMigrations.size > 0) this.scheduler.kick();
    });
  }

  /**
   * The migration step of a pass that was not cut short: the change sets asked of git again where
   * stale (every one after a full pass, `all`), then the migrations of the projects pending analysed
   * and published (the files published go to `touched`). True when some were: the checklist's
   * migrations item may change even when no diagnostics do (a change set now known, empty).
   */
  run(projects: readonly DjangoProject[], all: boolean, options: AnalysisOptions, generation: number, touched: string[]): boolean {
    // a full pass (start, settings changed): every change set is asked of git again
    if (all) for (const p of projects) this.staleChangeSets.add(p.root);
    this.refreshChangeSets(projects);
    const pendingMigrations = this.scheduler.pendingMigrations;
    for (const p of projects) {
      // the vendor or the Django version changed: the migration rules' advice may change
      const settings = this.s.analyses.get(p.root);
      const m = this.s.migrationAnalyses.get(p.root);
      if (settings && (all || (m && m.key !== migrationKey(settings)))) pendingMigrations.add(p.root);
    }
    const roots = new Set(pendingMigrations);
    pendingMigrations.clear();
    for (const project of projects) {
      if (!roots.has(project.root)) continue;
      this.analyseProject(project, projects, options, generation, touched);
    }
    return roots.size > 0;
  }

  /** One project's migration analysis, published; one cancelled is pending again. */
  private analyseProject(
    project: DjangoProject,
    projects: readonly DjangoProject[],
    options: AnalysisOptions,
    generation: number,
    touched: string[],
  ): void {
    const previous = this.s.migrationAnalyses.get(project.root);
    const migrationFiles = this.s.migrationFilesFor(project, projects);
    try {
      let next: MigrationAnalysis | undefined;
      if (migrationFiles.length > 0) {
        this.s.analysisCount.migrations++;
        const analysis = analyzeMigrations(this.s.ws(), project, migrationFiles, {
          ...options,
          migrationGit: migrationGitFacts(this.s.changeSets.get(project.root)),
          fixes: false,
          isCancelled: () => generation !== this.scheduler.generation,
        });
        next = {
          analysis: withoutHistoryNote(analysis, this.s.changeSets.get(project.root)),
          files: migrationFiles,
          key: migrationKey(analysis),
        };
        this.s.migrationAnalyses.set(project.root, next);
      } else this.s.migrationAnalyses.delete(project.root);
      for (const file of new Set([...filesOf(previous?.analysis), ...filesOf(next?.analysis)]))
        touched.push(...this.diagnostics.publishFile(file));
    } catch (e) {
      if (e instanceof EvaluationCancelled) {
        this.scheduler.pendingMigrations.add(project.root);
        return;
      }
      this.s.connection.console.error(`Django Deploy Hygiene: migration analysis of ${project.root} failed: ${(e as Error).stack ?? e}`);
    }
  }
}

/**
 * Without git's change set (not a repository, no default branch) the newest migration of each app
 * is checked, however old: each of its findings says so in its Problems row, so that a warning on
 * a migration applied years ago is not taken for one about a new change.
 */
function withoutHistoryNote(analysis: ProjectAnalysis, cs: ChangeSet | undefined): ProjectAnalysis {
  if (cs?.scope !== 'newest' || !cs.fallback) return analysis;
  const checked = new Set(cs.files);
  const note = ` (Checked as the newest migration of its app: ${cs.fallback}, so git cannot tell new migrations from applied ones; if it was applied long ago, this does not matter.)`;
  return { ...analysis, findings: analysis.findings.map((f) => (checked.has(f.loc.file) ? { ...f, message: f.message + note } : f)) };
}
