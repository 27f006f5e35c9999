// One analysis pass of the language server (Scheduler.runPending starts it): the projects the
// pending changes affect, analysed one after the other (the edited ones first) within the pass
// budget, letting other messages in every SLICE_MS; each analysis's diagnostics published and its
// hovers queued; then the migration step (migrationPass.ts), and what projects that disappeared had
// published cleared. A pass goes round until nothing is pending.
import * as path from 'node:path';
import { analyzeProject, EvaluationCancelled, type AnalysisOptions, type ProjectAnalysis } from '../analysis/engine/engine';
import { isMigrationFile } from '../analysis/models/migrations/changes';
import type { DjangoProject } from '../analysis/models/project/model';
import { analysedProject } from '../codeCacheHook';
import { type Diagnostics, filesOf } from './handlers/diagnostics';
import type { WhenIdle } from './idle';
import type { MigrationPass } from './migrationPass';
import type { Scheduler } from './scheduler';
import type { ServerState } from './serverState';

/** How long an analysis pass runs before it lets other messages in (see run). */
const SLICE_MS = 20;

export class AnalysisPass {
  /** [tool.django-deploy-check] warnings already shown (each once per session). */
  private readonly configWarned = new Set<string>();

  constructor(
    private readonly s: ServerState,
    private readonly scheduler: Scheduler,
    private readonly diagnostics: Diagnostics,
    private readonly migrations: MigrationPass,
    private readonly idle: WhenIdle,
  ) {}

  /**
   * Analyses the projects the pending changes affect, until nothing is pending. A workspace with
   * many projects takes a while: the pass lets other messages in (an edit, a hover) every SLICE_MS;
   * when an edit arrived meanwhile, it takes it before the projects it had not reached yet, and
   * analyses the edited project first.
   */
  async run(): Promise<void> {
    const q = this.scheduler;
    let slice = performance.now();
    const passDeadline = slice + this.s.passBudgetMs;
    const touched: string[] = [];
    let announce = false;
    // a pass that analysed everything (the start, a configuration change) announces the checklist at once
    let full = false;
    while (q.hasPending()) {
      const files = [...q.pending];
      const all = q.pendingAll;
      const roots = new Set(q.pendingRoots);
      q.pending.clear();
      q.pendingAll = false;
      q.pendingRoots.clear();
      if (all) announce = full = true;
      const generation = ++q.generation;
      const options = this.s.options();
      const projects = this.findProjects(options);
      if (!projects) return;
      let outOfTime = this.unfoundProjects();
      const affected = this.affectedProjects(projects, files, all, roots);
      for (const [index, project] of affected.entries()) {
        if (performance.now() > passDeadline) {
          this.warnOutOfTime(affected.slice(index));
          outOfTime = true;
          break;
        }
        if (performance.now() - slice > SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
          if (q.hasPending()) {
            // an edit came in: take it first, then come back for the projects not reached yet
            for (const p of affected.slice(index)) q.pendingRoots.add(p.root);
            break;
          }
        }
        // the checklist may change where no diagnostic does (an item unknown before, known now)
        if (this.analyseProject(project, files, options, generation, touched)) announce = true;
      }
      if (!outOfTime && this.migrations.run(projects, all, options, generation, touched)) announce = true;
      if (outOfTime) {
        // the projects left out wait for a change of theirs; edits already pending get a pass of their own
        q.pendingAll = false;
        q.pendingRoots.clear();
        if (q.pending.size > 0) setImmediate(() => q.kick());
        break;
      }
      this.forgetGone(projects, touched);
    }
    if (touched.length > 0 || announce) this.idle.announceChecklist(full);
    this.s.onAnalyzed?.(touched);
    // the launcher can now save a code cache that covers a whole first analysis
    if (this.s.analyses.size > 0) setImmediate(analysedProject);
    this.idle.analysedAt = performance.now();
    this.idle.startPractice();
  }

  /** The workspace's projects; undefined (and said in the log) when the workspace could not be read. */
  private findProjects(options: AnalysisOptions): DjangoProject[] | undefined {
    try {
      return this.s.projects(options);
    } catch (e) {
      this.s.connection.console.error(`Django Deploy Hygiene: could not read the workspace: ${(e as Error).message}`);
      return undefined;
    }
  }

  /**
   * Whether finding the projects ran out of the pass budget (said in the log): the projects it did
   * not reach are not gone (what they published stays) and are looked for again on the next pass.
   */
  private unfoundProjects(): boolean {
    const unfound = this.s.ws().unfinishedProjects;
    if (unfound.length === 0) return false;
    this.s.connection.console.warn(
      `Django Deploy Hygiene: the analysis pass ran out of its ${this.s.passBudgetMs / 1000} s budget while finding the projects; ${unfound.length} folder${unfound.length === 1 ? ' that looks like a project was' : 's that look like projects were'} not read this time (${unfound.join(', ')}): they are looked for again on the next pass.`,
    );
    return true;
  }

  private warnOutOfTime(left: readonly DjangoProject[]): void {
    this.s.connection.console.warn(
      `Django Deploy Hygiene: the analysis pass ran out of its ${this.s.passBudgetMs / 1000} s budget; ${left.length} project${left.length === 1 ? ' was' : 's were'} not analysed this time (${left.map((p) => p.root).join(', ')}): they are analysed when a file of theirs changes.`,
    );
  }

  /**
   * The projects to analyse this round: those holding an edited file first, then those a full pass,
   * a set-aside round or a missing analysis asks for. A quarantined project is left out.
   */
  private affectedProjects(
    projects: readonly DjangoProject[],
    files: readonly string[],
    all: boolean,
    roots: ReadonlySet<string>,
  ): DjangoProject[] {
    const quarantined = this.s.quarantined;
    // a migration file is the migration analysis's (below), not a reason to evaluate the settings again
    const edited = (p: DjangoProject, prev: ProjectAnalysis | undefined): boolean =>
      files.some((f) => prev?.files.has(f) || (!isMigrationFile(f) && isProjectFile(p, f)));
    const first: DjangoProject[] = [];
    const then: DjangoProject[] = [];
    for (const p of projects) {
      const prev = this.s.analyses.get(p.root);
      // a stopped worker was analysing it: left alone until one of its files is edited (released())
      if (quarantined.size > 0 && (quarantined.has('*') || quarantined.has(p.root))) continue;
      if (edited(p, prev)) first.push(p);
      else if (all || !prev || roots.has(p.root)) then.push(p);
    }
    return [...first, ...then];
  }

  /**
   * One project's settings analysis: kept, its diagnostics published (the files just edited first;
   * those published go to `touched`) and its setting hovers queued. True when an analysis was kept.
   */
  private analyseProject(
    project: DjangoProject,
    files: readonly string[],
    options: AnalysisOptions,
    generation: number,
    touched: string[],
  ): boolean {
    let kept = false;
    try {
      this.s.analysisCount.settings++;
      const analysis = analyzeProject(this.s.ws(), project, {
        ...options,
        fixes: false,
        reuseModules: true,
        isCancelled: () => generation !== this.scheduler.generation,
      });
      const previous = this.s.analyses.get(project.root);
      this.s.analyses.set(project.root, analysis);
      for (const w of project.config.warnings ?? []) {
        const text = `${project.config.file}: ${w}`;
        // a notification (window/showMessage, type 2 = warning): nothing to answer
        if (!this.configWarned.has(text) && this.configWarned.add(text))
          void this.s.connection.sendNotification('window/showMessage', { type: 2, message: `Django Deploy Hygiene: ${text}` });
      }
      if (previous && findingsKey(previous) !== findingsKey(analysis)) this.s.changedAt.set(project.root, Date.now());
      kept = true;
      // the files just edited first: what the developer is typing into is answered before the rest
      const toPublish = new Set([...filesOf(previous), ...filesOf(analysis)]);
      for (const file of files) if (toPublish.delete(file)) touched.push(...this.diagnostics.publishFile(file));
      for (const file of toPublish) touched.push(...this.diagnostics.publishFile(file));
      // after the diagnostics (making the hovers, every setting's production value, delayed the
      // server's first diagnostics), when typing pauses
      this.idle.queueSettingHovers(analysis);
    } catch (e) {
      if (e instanceof EvaluationCancelled) return kept;
      this.s.connection.console.error(`Django Deploy Hygiene: analysis of ${project.root} failed: ${(e as Error).stack ?? e}`);
    }
    return kept;
  }

  /** Projects that disappeared: clear what they published. */
  private forgetGone(projects: readonly DjangoProject[], touched: string[]): void {
    for (const [root, analysis] of this.s.analyses) {
      if (projects.some((p) => p.root === root)) continue;
      this.s.analyses.delete(root);
      for (const file of new Set(filesOf(analysis))) touched.push(...this.diagnostics.publishFile(file));
    }
    for (const [root, m] of this.s.migrationAnalyses) {
      if (projects.some((p) => p.root === root)) continue;
      this.s.migrationAnalyses.delete(root);
      this.s.changeSets.delete(root);
      for (const file of new Set(filesOf(m.analysis))) touched.push(...this.diagnostics.publishFile(file));
    }
  }
}

/** What a project's findings are, to notice that an edit changed them. */
function findingsKey(a: ProjectAnalysis): string {
  return a.findings.map((f) => `${f.code}@${f.loc.file}:${f.loc.start}`).join('|');
}

function isProjectFile(p: DjangoProject, file: string): boolean {
  return file === p.root || file.startsWith(p.root + path.sep) || p.files.some((f) => f.path === file);
}
