// django-deploy-check: the analysis core as a command-line tool for CI and pre-commit.
//
//   django-deploy-check [PATH] [--format text|json|sarif] [--fail-on LEVEL] [--settings MODULE]
//   django-deploy-check rules [--format text|json]
//   django-deploy-check migrations [PATH] [--since REF | --all] [the options of a check]
//   django-deploy-check settings [PATH] [--format text|json] [--diff] [--settings MODULE]
//
// Exit status: 0 nothing at or above --fail-on, 1 something is, 2 usage error, unreadable PATH, or a
// project that could not be analysed (its analysis failed, or the run's time limit left it out; the
// other projects' findings are still printed).
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { AnalysisStopped } from '../analysis/base/progress';
import { analyzeProject, analyzeWorkspace, type AnalysisOptions, type ProjectAnalysis } from '../analysis/engine/engine';
import { Workspace } from '../analysis/engine/workspace';
import { NodeFileSystem } from '../analysis/files/fs';
import { migrationGitFacts, UnknownRefError, type ChangeSet } from '../analysis/models/migrations/changes';
import { readProjectConfig } from '../analysis/models/project/config';
import type { DjangoProject } from '../analysis/models/project/model';
import { loadParser } from '../analysis/parse/treeSitter';
import { analysedProject } from '../codeCacheHook';
import { type CliArgs, parseArgs, USAGE, UsageError } from './args';
import { bounded } from './bounded';
import { checkCommand } from './checkCommand';
import { checklistCommand } from './checklistCommand';
import type { JsonDiagnostic } from './jsonDiagnostic';
import { changeSets, migrationAnalyzer } from './migrations';
import { type Progress, progress, say, timing, VERSION } from './output';
import { listRules } from './rulesCommand';
import { settingsCommand } from './settingsCommand';

export type { JsonDiagnostic };

/**
 * A run: the command line read, PATH checked, the projects found (and, for migrations and the
 * checklist, their change sets asked of git) while the grammar loads, every project analysed under
 * its deadline, then the command's own output (checkCommand.ts, checklistCommand.ts,
 * settingsCommand.ts; rules needs no project). The exit status.
 */
async function run(argv: string[]): Promise<number> {
  const args = commandLine(argv);
  if (typeof args === 'number') return args;
  if (args.command === 'rules') {
    process.stdout.write(listRules(args.format) + '\n');
    return 0;
  }
  // web-tree-sitter compiles its WebAssembly off the main thread: start it now, and find the
  // projects (files only, no parsing) while it compiles.
  const parserReady = loadParser();
  parserReady.catch(() => undefined); // awaited below; an early usage error must not leave it unhandled
  const root = readableFolder(args.path);
  if (root === undefined) return 2;
  const fs = new NodeFileSystem();
  // fail-on is the run's: from PATH's pyproject.toml; the rest is each project's (the nearest
  // pyproject.toml, read by the core under these options)
  const config = readProjectConfig(fs, root);
  const failOn = args.failOnExplicit ? args.failOn : (config.failOn ?? args.failOn);
  const shownProgress = progress(root);
  const options = analysisOptions(args, shownProgress);
  const ws = new Workspace(fs, [root]);
  timing('start');
  const projects = findProjects(ws, options, args.projectDeadline);
  if (!projects) return 2;
  timing('projects found');
  // migrations (and the checklist's migrations item): each project's change set, from git
  let sets: ReadonlyMap<string, ChangeSet> | undefined;
  if (args.command === 'migrations' || args.command === 'checklist') {
    sets = await changeSetsOf(ws, projects, args);
    if (!sets) return 2;
  }
  const analyse = analyser(args, sets);
  await parserReady;
  timing('grammar loaded');
  const analysis = analyzeWorkspace(ws, options, analyse);
  shownProgress.done();
  timing('analysed');
  if (analysis.projects.length > 0) analysedProject();
  if (args.command === 'settings') return settingsCommand(root, ws, analysis, args.format, args.diff);
  if (args.command === 'checklist') return checklistCommand(root, ws, analysis, args.format, sets);
  return checkCommand({ args, root, fs, options, analyse, progress: shownProgress, failOn, sets }, ws, analysis);
}

/** The arguments; or, once the help, the version or a usage error is printed, the exit status. */
function commandLine(argv: string[]): CliArgs | number {
  let args: CliArgs | 'help' | 'version';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      say(`${e.message} (see --help)`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  return args;
}

/** PATH resolved, when it is a folder that can be read (undefined once it is said why not). */
function readableFolder(given: string): string | undefined {
  const root = path.resolve(given);
  let st: nodeFs.Stats;
  try {
    st = nodeFs.statSync(root);
    nodeFs.readdirSync(st.isDirectory() ? root : path.dirname(root));
  } catch (e) {
    say(`cannot read ${given}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return undefined;
  }
  if (!st.isDirectory()) {
    say(`${given} is not a directory`);
    return undefined;
  }
  return root;
}

/** The analysis options of the command line (each project's pyproject.toml goes under them, in the core). */
function analysisOptions(args: CliArgs, shownProgress: Progress): AnalysisOptions {
  return {
    productionSettingsModule: args.settings,
    djangoVersion: args.djangoVersion,
    disabledRules: args.disable,
    // only a run that applies or shows fixes needs them built
    fixes: args.command !== 'settings' && (args.fix || args.diff),
    // the settings view needs the evaluation only
    ...(args.command === 'settings' ? { onlyRules: [] } : {}),
    runDeadline: Date.now() + args.timeLimit * 1000,
    onProject: shownProgress.onProject,
  };
}

/** The projects under PATH, found under the project deadline (undefined once it is said that it ran out). */
function findProjects(ws: Workspace, options: AnalysisOptions, deadlineMs: number): DjangoProject[] | undefined {
  try {
    return bounded(deadlineMs, () => ws.projects(options));
  } catch (e) {
    if (!(e instanceof AnalysisStopped)) throw e;
    say(`finding the projects was ${e.message}`);
    return undefined;
  }
}

/** Each project's change set, from git (undefined once it is said that --since names no commit). */
async function changeSetsOf(
  ws: Workspace,
  projects: readonly DjangoProject[],
  args: CliArgs,
): Promise<ReadonlyMap<string, ChangeSet> | undefined> {
  let sets: Awaited<ReturnType<typeof changeSets>>;
  try {
    sets = await changeSets(ws, projects, { since: args.since, all: args.all });
  } catch (e) {
    if (!(e instanceof UnknownRefError)) throw e;
    say(`--since: ${e.message}`);
    return undefined;
  }
  timing('change sets');
  if (args.command === 'migrations') {
    // said once: the reason is the same for every project of a folder
    const fallbacks = new Set([...sets.values()].map((cs) => cs.fallback).filter((f) => f !== undefined));
    for (const f of fallbacks) say(`${f}: checking the newest migration of each app (--all checks every one)`);
  }
  return sets;
}

/** How the command analyses one project, under the project deadline: one that does not come back is reported as stopped. */
function analyser(
  args: CliArgs,
  sets: ReadonlyMap<string, ChangeSet> | undefined,
): (ws: Workspace, project: DjangoProject, options: AnalysisOptions) => ProjectAnalysis {
  const unbounded =
    args.command === 'migrations'
      ? migrationAnalyzer(sets!)
      : args.command === 'checklist'
        ? (w: Workspace, p: DjangoProject, o: AnalysisOptions) =>
            analyzeProject(w, p, { ...o, migrations: sets!.get(p.root)?.files ?? [], migrationGit: migrationGitFacts(sets!.get(p.root)) })
        : analyzeProject;
  // each project under its hard deadline: one that does not come back is reported as stopped
  return (w, p, o) => bounded(args.projectDeadline, () => unbounded(w, p, o));
}

/**
 * Exits once stdout and stderr have taken everything written. Waiting for the event loop to empty
 * instead costs tens of milliseconds: Node also waits for V8's background work, such as optimising
 * the grammar's WebAssembly, which nobody needs any more.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

run(process.argv.slice(2)).then(exitWhenFlushed, (e: unknown) => {
  process.stderr.write(`django-deploy-check: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  exitWhenFlushed(2);
});
