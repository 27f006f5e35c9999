// The analysis pipeline for one project, in its phases: evaluate the production settings module
// (production.ts), run the rules on what it evaluates to and on the deployment files, building the
// app-server model when a rule asks for it (runRules.ts, the rules' context in ruleContext.ts), then
// make what they found ready to show: secrets redacted, suppressions, severity overrides and an
// assumed Django version applied (findings.ts); and the deployment evidence (deployment.ts).
// The language server and the CLI are thin adapters over analyzeProject / analyzeWorkspace; their
// options and results are types.ts's.
import { withConfig } from '../models/project/config';
import { monotonicMs } from '../base/clock';
import { EvaluationCancelled } from '../eval/evaluator';
import type { Loc } from '../eval/values';
import { duringOneAnalysis } from '../models/process/index';
import { optionsForFolder, type DjangoProject } from '../models/project/model';
import { AnalysisStopped, enterPhase, enterProject } from '../base/progress';
import { withParseDeadline } from '../parse/treeSitter';
import { requestPathView } from '../models/requestPath/view';
import { deploymentEvidence } from './deployment';
import { postProcess } from './findings';
import { evaluateProduction, productionNotes } from './production';
import { runRules } from './runRules';
import type { AnalysisOptions, ProjectAnalysis, WorkspaceAnalysis } from './types';
import type { Workspace } from './workspace';

export type { DeploymentEvidence } from './deployment';
export type { AnalysisOptions, FolderOptions, ProjectAnalysis, WorkspaceAnalysis } from './types';
export { EvaluationCancelled };

const DEFAULT_BUDGET_MS = 2000;

export function analyzeProject(ws: Workspace, project: DjangoProject, shared: AnalysisOptions = {}): ProjectAnalysis {
  // the deployment files' process model is checked against the file system once per analysis
  return duringOneAnalysis(() => ws.readingOnce(() => analyzeOne(ws, project, shared)));
}

function analyzeOne(ws: Workspace, project: DjangoProject, shared: AnalysisOptions): ProjectAnalysis {
  // the folder's options (editor settings), then the project's pyproject.toml under them
  const options = withConfig(optionsForFolder(shared, ws.folderOf(project.root)), project.config);
  const started = monotonicMs();
  enterProject(project.root);
  enterPhase('starting the analysis', project.production?.module.file);
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const production = evaluateProduction(ws, project, options, budgetMs);
  const { files, settings, evaluation, modules, anchor } = production;
  // The rules get a budget of their own, and so does what follows them.
  const rulesDeadline = Date.now() + budgetMs;
  const notes = productionNotes(ws, production);
  const projectAnchor: Loc = anchor ?? { file: project.manage ?? project.files[0]?.path ?? project.root, start: 0, end: 0 };
  const textCache = new Map<string, string | undefined>();
  const fileText = (file: string): string | undefined => {
    if (!textCache.has(file)) textCache.set(file, ws.text(file));
    return textCache.get(file);
  };
  const collected = runRules(ws, project, options, production, notes, projectAnchor, fileText, rulesDeadline);
  const shown = postProcess(ws, project, production, collected, notes, projectAnchor, fileText, budgetMs, options.presume);
  const deployment = withParseDeadline(rulesDeadline, () => deploymentEvidence(ws, project));
  const requestPath = collected.appServer ? requestPathView(project, collected.appServer) : undefined;
  return {
    project,
    findings: shown.findings,
    suppressed: shown.suppressed,
    outcomes: collected.outcomes,
    notes,
    files,
    settings,
    evaluation,
    modules,
    anchor,
    secrets: shown.secrets,
    ...(deployment ? { deployment } : {}),
    ...(requestPath ? { requestPath } : {}),
    elapsed: monotonicMs() - started,
  };
}

/**
 * Analyses every project of the workspace, each on its own: a project whose analysis throws, or
 * that the run's deadline leaves out, is named in `messages` and `failed`, and the others' findings
 * stand (one hostile project in a monorepo does not hide the rest).
 */
export function analyzeWorkspace(
  ws: Workspace,
  options: AnalysisOptions = {},
  /** How one project is analysed (the CLI's migrations command checks each project's change set). */
  analyse: (ws: Workspace, project: DjangoProject, options: AnalysisOptions) => ProjectAnalysis = analyzeProject,
): WorkspaceAnalysis {
  const messages: string[] = [];
  const failed: DjangoProject[] = [];
  const projects = ws.projects(options, options.isCancelled);
  for (const folder of ws.folders) {
    const t = ws.scan(folder).truncated;
    if (t && t !== 'cancelled') messages.push(`${folder}: ${t}`);
  }
  const unfinished = ws.unfinishedProjects;
  if (unfinished.length > 0)
    messages.push(
      `the run's time budget ran out while finding the projects: ${unfinished.length} folder${unfinished.length === 1 ? ' that looks like a project was' : 's that look like projects were'} not read (${unfinished.join(', ')})`,
    );
  // what a project's [tool.django-deploy-check] table could not use, once per pyproject.toml
  const warned = new Set<string>();
  for (const p of projects) for (const w of p.config.warnings ?? []) warned.add(`${p.config.file}: ${w}`);
  messages.push(...warned);
  const out: ProjectAnalysis[] = [];
  let late = 0;
  for (const [i, p] of projects.entries()) {
    options.onProject?.(i, projects.length, p.root);
    if (options.runDeadline !== undefined && Date.now() > options.runDeadline) {
      failed.push(p);
      late++;
      continue;
    }
    try {
      out.push(analyse(ws, p, options));
    } catch (e) {
      // a rule's error made to fail the analysis (the fixture tests) is not isolated away
      if (e instanceof EvaluationCancelled || options.rethrowRuleErrors) throw e;
      failed.push(p);
      if (e instanceof AnalysisStopped) messages.push(`${p.root}: the analysis was ${e.message}; its findings are missing`);
      else messages.push(`${p.root}: the analysis failed (${(e as Error)?.message ?? String(e)}); its findings are missing`);
    }
  }
  if (late > 0)
    messages.push(
      `the run's time budget ran out: ${late} project${late === 1 ? ' was' : 's were'} not analysed (${failed
        .slice(-late)
        .map((p) => p.root)
        .join(', ')})`,
    );
  return { projects: out, messages, failed };
}
