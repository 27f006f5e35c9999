// `django-deploy-check [check] [PATH]` and `django-deploy-check migrations [PATH]` once the projects
// are analysed: --fix or --diff applied or shown (then the projects analysed again), the report
// written in its --format (to --output too), and the exit status from --fail-on.
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { analyzeWorkspace, type AnalysisOptions, type ProjectAnalysis, type WorkspaceAnalysis } from '../analysis/engine/engine';
import { Workspace } from '../analysis/engine/workspace';
import type { NodeFileSystem } from '../analysis/files/fs';
import { changeSetLine, type ChangeSet } from '../analysis/models/migrations/changes';
import type { DjangoProject } from '../analysis/models/project/model';
import type { CliArgs } from './args';
import { applyFixes } from './fix';
import type { JsonDiagnostic } from './jsonDiagnostic';
import { NO_PROJECT, type Progress, rel, say, timing } from './output';
import { atOrAbove, cleanDiag, formatText, reportIn, toJsonDiagnostics } from './report';
import { formatStatistics, wantsColor } from './text';

/** What a check run goes on with once the projects are analysed. */
export interface CheckRun {
  readonly args: CliArgs;
  /** PATH, resolved. */
  readonly root: string;
  readonly fs: NodeFileSystem;
  readonly options: AnalysisOptions;
  /** How one project is analysed (under its hard deadline). */
  readonly analyse: (ws: Workspace, project: DjangoProject, options: AnalysisOptions) => ProjectAnalysis;
  readonly progress: Progress;
  /** --fail-on, or the fail-on of PATH's pyproject.toml. */
  readonly failOn: string;
  /** The change sets (migrations). */
  readonly sets: ReadonlyMap<string, ChangeSet> | undefined;
}

/** The fixes, then the report; the exit status. */
export function checkCommand(run: CheckRun, ws: Workspace, analysis: WorkspaceAnalysis): number {
  if (run.args.fix || run.args.diff) {
    const status = applyOrShowFixes(run, ws, analysis);
    if (status !== undefined) return status;
    ws = new Workspace(run.fs, [run.root]);
    analysis = analyzeWorkspace(ws, run.options, run.analyse);
    run.progress.done();
  }
  return writeReport(run, ws, analysis);
}

/** --diff: the fixes printed, and the exit status; --fix: the fixes written (undefined: the run goes on to analyse again). */
function applyOrShowFixes(run: CheckRun, ws: Workspace, analysis: WorkspaceAnalysis): number | undefined {
  const { args, root } = run;
  const result = applyFixes(root, ws, analysis, run.options, { unsafe: args.unsafeFixes, write: !args.diff }, run.analyse);
  for (const [file, why] of result.refused) say(`no fix in ${rel(root, file)}: ${why}`);
  if (args.diff) {
    process.stdout.write(result.diff);
    process.stderr.write(
      `django-deploy-check: ${result.fixed} fix${result.fixed === 1 ? '' : 'es'} would change ${result.files.length} file${result.files.length === 1 ? '' : 's'}\n`,
    );
    return result.fixed > 0 ? 1 : 0;
  }
  process.stderr.write(
    `django-deploy-check: applied ${result.fixed} fix${result.fixed === 1 ? '' : 'es'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}${result.skippedUnsafe ? `; ${result.skippedUnsafe} more with --unsafe-fixes` : ''}\n`,
  );
  return undefined;
}

/** The report on stdout (and in --output); the exit status. */
function writeReport(run: CheckRun, ws: Workspace, analysis: WorkspaceAnalysis): number {
  const { args, root } = run;
  const diags = toJsonDiagnostics(root, ws, analysis.projects);
  for (const m of analysis.messages) say(m);
  const failsRun = (d: JsonDiagnostic): boolean => atOrAbove(d.severity, run.failOn);
  const color = wantsColor(process.stdout, process.env);
  const migrationSets = args.command === 'migrations' ? run.sets : undefined;
  const text = (): string =>
    args.statistics
      ? formatStatistics(diags.map(cleanDiag), { color })
      : formatText(diags, analysis.projects, root, color, (p) => {
          const cs = migrationSets?.get(p.project.root);
          return cs ? [changeSetLine(cs)] : [];
        });
  const report = reportIn(args.format, root, diags, analysis, migrationSets, failsRun, text);
  if (args.output !== undefined) {
    try {
      nodeFs.writeFileSync(path.resolve(args.output), report);
    } catch (e) {
      say(`cannot write ${args.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
    process.stdout.write(args.format === 'text' ? report : text());
  } else process.stdout.write(report);
  // (when the time limit cut finding the projects short, the messages above said so instead)
  if (analysis.projects.length === 0 && ws.unfinishedProjects.length === 0 && (args.format === 'text' || args.output !== undefined))
    process.stderr.write(NO_PROJECT);
  timing('written');
  if (analysis.failed && analysis.failed.length > 0) {
    say(
      `${analysis.failed.length} project${analysis.failed.length === 1 ? ' was' : 's were'} not analysed: ${analysis.failed.map((p) => rel(root, p.root)).join(', ')}`,
    );
    return 2;
  }
  // the usage code only when nothing at all could be analysed
  if (analysis.projects.length === 0) return 2;
  return diags.some(failsRun) ? 1 : 0;
}
