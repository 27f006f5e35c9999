// The engine's inputs and outputs: the options of an analysis (a workspace folder's editor settings
// and the run's own), what the analysis of one project holds, and the analysis of a workspace.
import type { RequestPathView } from '../models/requestPath/view';
import type { ModuleResult, EvalNote } from '../eval/scope';
import type { Loc } from '../eval/values';
import type { MigrationGitFacts } from '../models/migrations/run';
import type { DjangoProject, ProjectOptions } from '../models/project/model';
import type { Settings } from '../rules/settings';
import type { Finding, RuleOutcome, Severity } from '../rules/types';
import type { DeploymentEvidence } from './deployment';

/** A link the tests make uncertain in every finding that has it (see AnalysisOptions.presume and basis.ts). */
export type Presumption = 'module' | 'file' | 'value';

/** What a workspace folder may set for itself (its editor settings). */
export interface FolderOptions extends ProjectOptions {
  readonly disabledRules?: readonly string[];
  readonly severityOverrides?: Readonly<Record<string, Severity | 'off'>>;
}

export interface AnalysisOptions extends FolderOptions {
  readonly byFolder?: Readonly<Record<string, FolderOptions>>;
  /**
   * Time budget for one project, in ms (default 2000): reading and evaluating its modules get it,
   * and the rules get as much again (they still check what was read when evaluating ran out).
   */
  readonly budgetMs?: number;
  /** Wall-clock deadline (Date.now() ms) of a whole run (analyzeWorkspace): projects past it are not analysed. */
  readonly runDeadline?: number;
  readonly isCancelled?: () => boolean;
  /** Called before each project of a run is analysed (the CLI's progress line). */
  readonly onProject?: (index: number, count: number, root: string) => void;
  /** Only these rules (tests). */
  readonly onlyRules?: readonly string[];
  /**
   * Build quick fixes (default true). A report nobody will fix from (the CLI without --fix or
   * --diff) skips them: some cost more than the finding (re-checking a reordered MIDDLEWARE).
   */
  readonly fixes?: boolean;
  /**
   * Makes one link of every finding's chain uncertain where the finding has it: the production
   * module chosen by its name only, every file presumed production's, every value overridable
   * (tests: no error may survive it; see basis.ts).
   */
  readonly presume?: Presumption;
  /** A rule that throws fails the analysis instead of showing as unknown (tests). */
  readonly rethrowRuleErrors?: boolean;
  /**
   * Keep modules' evaluations in the workspace and reuse those whose inputs did not change (the
   * language server, which re-analyses after each keystroke; see reuse/moduleCache.ts).
   */
  readonly reuseModules?: boolean;
  /**
   * Migration files to check with the migration rules (absolute paths), or 'all' for every
   * migration of the project. Without it the migration rules do not run (and have no outcome).
   */
  readonly migrations?: readonly string[] | 'all';
  /** What git says about the project's migrations and models (the change set's facts); without it DDM012 is not applicable. */
  readonly migrationGit?: MigrationGitFacts;
}

export interface ProjectAnalysis {
  readonly project: DjangoProject;
  readonly findings: Finding[];
  /** Findings hidden by `# noqa`, SILENCED_SYSTEM_CHECKS, or disabled rules. */
  readonly suppressed: Finding[];
  readonly outcomes: Map<string, RuleOutcome>;
  readonly notes: readonly EvalNote[];
  /** Files whose diagnostics this analysis owns: the production settings and what they import. */
  readonly files: Set<string>;
  readonly settings?: Settings;
  readonly evaluation?: ModuleResult;
  /** Every module the evaluation read, by file (the settings view shows the chain a setting came through). */
  readonly modules?: ReadonlyMap<string, ModuleResult>;
  readonly anchor?: Loc;
  /** Strings in the settings that may be secrets (for redacting any output); never printed. */
  readonly secrets: readonly string[];
  /**
   * What the deployment files read as processes (manifests, platform files, app-server configs)
   * told the analysis: the files, and the variables production gets from them (names only).
   */
  readonly deployment?: DeploymentEvidence;
  /** The hops in front of the production app, deployment by deployment, and what each does (when the app server model was built). */
  readonly requestPath?: RequestPathView;
  /** Milliseconds spent. */
  readonly elapsed: number;
}

export interface WorkspaceAnalysis {
  readonly projects: ProjectAnalysis[];
  /** Something the whole analysis wants to say once (a truncated scan, a project that failed…). */
  readonly messages: string[];
  /** Projects that were not analysed (their analysis threw, or the run's deadline passed). */
  readonly failed?: readonly DjangoProject[];
}
