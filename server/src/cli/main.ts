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
import { readProjectConfig } from '../analysis/models/project/config';
import { ruleDocsUrl } from '../analysis/outputs/docsUrl';
import { analyzeProject, analyzeWorkspace, type AnalysisOptions, type ProjectAnalysis } from '../analysis/engine/engine';
import { changeSetLine, migrationGitFacts, UnknownRefError, type ChangeSet } from '../analysis/models/migrations/changes';
import type { DjangoProject } from '../analysis/models/project/model';
import { loadParser } from '../analysis/parse/treeSitter';
import { analysedProject } from '../codeCacheHook';
import { NodeFileSystem } from '../analysis/files/fs';
import { RULES } from '../analysis/rules/registry';
import { stripUrlCredentials } from '../analysis/secrets/index';
import { SEVERITY_ORDER, type Severity } from '../analysis/rules/types';
import { Workspace } from '../analysis/engine/workspace';
import { buildChecklist, type Checklist } from '../analysis/outputs/checklist/checklist';
import { escapeControl, escapeControlDeep } from '../analysis/base/controlChars';
import { checklistMarkdown, checklistText } from '../analysis/outputs/checklist/render';
import { closingLine, projectSummary, summaryLines } from '../analysis/outputs/checklist/summary';
import type { Loc } from '../analysis/eval/values';
import { applyFixes } from './fix';
import { bounded, PROJECT_DEADLINE_MS } from './bounded';
import { AnalysisStopped } from '../analysis/base/progress';
import { toGithub, toGitlab, toJunit } from './formats';
import type { JsonDiagnostic } from './jsonDiagnostic';
import { formatStatistics, formatTextReport, severityCounts, wantsColor } from './text';
import { toSarif } from './sarif';
import { settingsView, settingsViewText } from '../analysis/outputs/settingsView';
import { changeSetJson, changeSets, migrationAnalyzer } from './migrations';

declare const DDH_VERSION: string | undefined;
const VERSION = typeof DDH_VERSION === 'string' ? DDH_VERSION : '0.0.0-dev';

const USAGE = `Usage:
  django-deploy-check [PATH] [options]      analyse the Django project(s) under PATH (default .)
  django-deploy-check rules [--format F]    list every rule
  django-deploy-check checklist [PATH] [--format text|json|markdown]
                                            the production checklist
  django-deploy-check migrations [PATH] [--since REF | --all] [options]
                                            check the migrations added or changed since the
                                            merge base with the default branch (origin's HEAD,
                                            else main or master); without git, the newest
                                            migration of each app
  django-deploy-check settings [PATH] [--format text|json] [--diff]
                                            every setting of the production module as Django
                                            will see it: value (secrets masked), state (known,
                                            environment, unknown, default), where it was set;
                                            --diff: only what differs from Django's defaults

Options:
  --format F                    text (default), json, sarif, github (Actions annotations),
                                gitlab (Code Quality), junit; checklist: text, json, markdown
  --output FILE                 write the --format report to FILE and print the text report
  --statistics                  print how many findings each rule has instead of the findings
  --fail-on error|warning|information|never
                                exit 1 when a finding at or above this severity exists (default warning)
  --settings MODULE             dotted production settings module (overrides detection)
  --django-version X.Y          Django version (overrides detection)
  --disable CODE[,CODE]         disable rules
  --fix                         apply safe fixes, then report what remains
  --unsafe-fixes                with --fix or --diff: also apply fixes that change behaviour
  --diff                        print the fixes as a unified diff instead of writing them;
                                settings: only the settings that differ from Django's defaults
  --time-limit SECONDS          stop analysing further projects after this long (default 300)
  --project-deadline SECONDS    stop a project's analysis that has not finished after this long
                                (default 30): it is reported as stopped, with where it was
  --since REF                   migrations: compare with the merge base of HEAD and REF
  --all                         migrations: check every migration, not only the new ones
  -h, --help                    show this help
  --version                     print the version
`;

class UsageError extends Error {}

/** The run's time limit by default, in seconds: each project also has its own budget (engine.ts). */
const DEFAULT_TIME_LIMIT_S = 300;

interface CliArgs {
  command: 'check' | 'rules' | 'checklist' | 'migrations' | 'settings';
  path: string;
  format: string;
  failOn: string;
  failOnExplicit: boolean;
  settings?: string;
  djangoVersion?: string;
  disable: string[];
  fix: boolean;
  unsafeFixes: boolean;
  diff: boolean;
  output?: string;
  statistics: boolean;
  timeLimit: number;
  /** One project's hard deadline (ms): see bounded.ts. */
  projectDeadline: number;
  /** migrations: the ref to compare with, or every migration. */
  since?: string;
  all: boolean;
}

function parseArgs(argv: string[]): CliArgs | 'help' | 'version' {
  const args: CliArgs = {
    command: 'check',
    path: '.',
    format: 'text',
    failOn: 'warning',
    failOnExplicit: false,
    disable: [],
    fix: false,
    unsafeFixes: false,
    diff: false,
    statistics: false,
    timeLimit: DEFAULT_TIME_LIMIT_S,
    projectDeadline: PROJECT_DEADLINE_MS,
    all: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--version':
        return 'version';
      case '--format':
        args.format = value();
        break;
      case '--statistics':
        args.statistics = true;
        break;
      case '--output':
        args.output = value();
        break;
      case '--fail-on':
        args.failOn = value();
        args.failOnExplicit = true;
        break;
      case '--settings':
        args.settings = value();
        break;
      case '--django-version':
        args.djangoVersion = value();
        break;
      case '--fix':
        args.fix = true;
        break;
      case '--unsafe-fixes':
        args.unsafeFixes = true;
        break;
      case '--diff':
        args.diff = true;
        break;
      case '--since':
        args.since = value();
        break;
      case '--all':
        args.all = true;
        break;
      case '--time-limit': {
        const v = value();
        args.timeLimit = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(args.timeLimit > 0)) throw new UsageError('--time-limit must be a number of seconds above 0');
        break;
      }
      case '--project-deadline': {
        const v = value();
        args.projectDeadline = Number(v) * 1000;
        if (!/^\d+(\.\d+)?$/.test(v) || !(args.projectDeadline > 0))
          throw new UsageError('--project-deadline must be a number of seconds above 0');
        break;
      }
      case '--disable':
        args.disable.push(
          ...value()
            .split(',')
            .map((c) => c.trim().toUpperCase())
            .filter(Boolean),
        );
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (positional[0] === 'rules' || positional[0] === 'checklist' || positional[0] === 'migrations' || positional[0] === 'settings') {
    args.command = positional[0];
    positional.shift();
  } else if (positional[0] === 'check') positional.shift();
  if (positional.length > 1) throw new UsageError(`expected one PATH, got ${positional.length}`);
  if (positional[0]) args.path = positional[0];
  const formats =
    args.command === 'rules' || args.command === 'settings'
      ? ['text', 'json']
      : args.command === 'checklist'
        ? ['text', 'json', 'markdown']
        : ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'];
  if (!formats.includes(args.format)) throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  if (!['error', 'warning', 'information', 'hint', 'never'].includes(args.failOn))
    throw new UsageError('--fail-on must be error, warning, information or never');
  if (args.djangoVersion && !/^\d+\.\d+$/.test(args.djangoVersion)) throw new UsageError('--django-version must look like 4.2');
  if (args.settings && !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(args.settings))
    throw new UsageError('--settings must be a dotted module name');
  if (args.command === 'settings' && (args.fix || args.unsafeFixes))
    throw new UsageError('--fix and --unsafe-fixes do not go with settings');
  if (args.unsafeFixes && !args.fix && !args.diff) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  if ((args.since !== undefined || args.all) && args.command !== 'migrations') throw new UsageError('--since and --all go with migrations');
  if (args.since !== undefined && args.all) throw new UsageError('--since and --all cannot be used together');
  if (args.since !== undefined && (args.since === '' || args.since.startsWith('-'))) throw new UsageError('--since needs a git ref');
  return args;
}

/** `file` relative to `root` with forward slashes ('.' for the root itself). */
function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

export type { JsonDiagnostic };

function toJsonDiagnostics(root: string, ws: Workspace, projects: ProjectAnalysis[]): JsonDiagnostic[] {
  const out: JsonDiagnostic[] = [];
  for (const p of projects) {
    for (const f of p.findings) {
      const s = ws.positionAt(f.loc.file, f.loc.start) ?? { line: 0, character: 0 };
      const e = ws.positionAt(f.loc.file, f.loc.end) ?? s;
      const rule = RULES.find((r) => r.code === f.code)!;
      out.push({
        file: rel(root, f.loc.file),
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        code: f.code,
        severity: f.severity,
        message: f.message,
        django: f.django,
        name: rule.name,
        project: rel(root, p.project.root),
        docs: ruleDocsUrl(rule),
      });
    }
  }
  return out;
}

function atOrAbove(sev: Severity, failOn: string): boolean {
  if (failOn === 'never') return false;
  return SEVERITY_ORDER.indexOf(sev) <= SEVERITY_ORDER.indexOf(failOn as Severity);
}

function listRules(format: string): string {
  if (format === 'json') {
    return JSON.stringify(
      RULES.map((r) => ({
        code: r.code,
        name: r.name,
        django: r.django?.[0] ?? null,
        severity: r.severity,
        summary: r.title,
        group: r.group,
        fixSafety: r.fixSafety ?? null,
        docs: ruleDocsUrl(r),
      })),
      null,
      2,
    );
  }
  const w = Math.max(...RULES.map((r) => r.name.length));
  return RULES.map((r) => `${r.code}  ${r.name.padEnd(w)}  ${r.severity.padEnd(11)}  ${(r.django?.[0] ?? '').padEnd(14)}  ${r.title}`).join(
    '\n',
  );
}

async function run(argv: string[]): Promise<number> {
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
  if (args.command === 'rules') {
    process.stdout.write(listRules(args.format) + '\n');
    return 0;
  }
  // web-tree-sitter compiles its WebAssembly off the main thread: start it now, and find the
  // projects (files only, no parsing) while it compiles.
  const parserReady = loadParser();
  parserReady.catch(() => undefined); // awaited below; an early usage error must not leave it unhandled
  const root = path.resolve(args.path);
  let st: nodeFs.Stats;
  try {
    st = nodeFs.statSync(root);
    nodeFs.readdirSync(st.isDirectory() ? root : path.dirname(root));
  } catch (e) {
    say(`cannot read ${args.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 2;
  }
  if (!st.isDirectory()) {
    say(`${args.path} is not a directory`);
    return 2;
  }
  const fs = new NodeFileSystem();
  // fail-on is the run's: from PATH's pyproject.toml; the rest is each project's (the nearest
  // pyproject.toml, read by the core under these options)
  const config = readProjectConfig(fs, root);
  const failOn = args.failOnExplicit ? args.failOn : (config.failOn ?? args.failOn);
  const shownProgress = progress(root);
  const options: AnalysisOptions = {
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
  let ws = new Workspace(fs, [root]);
  timing('start');
  let projects: DjangoProject[];
  try {
    projects = bounded(args.projectDeadline, () => ws.projects(options));
  } catch (e) {
    if (!(e instanceof AnalysisStopped)) throw e;
    say(`finding the projects was ${e.message}`);
    return 2;
  }
  timing('projects found');
  // migrations (and the checklist's migrations item): each project's change set, from git
  let sets: Awaited<ReturnType<typeof changeSets>> | undefined;
  if (args.command === 'migrations' || args.command === 'checklist') {
    try {
      sets = await changeSets(ws, projects, { since: args.since, all: args.all });
    } catch (e) {
      if (!(e instanceof UnknownRefError)) throw e;
      say(`--since: ${e.message}`);
      return 2;
    }
    timing('change sets');
    if (args.command === 'migrations') {
      // said once: the reason is the same for every project of a folder
      const fallbacks = new Set([...sets.values()].map((cs) => cs.fallback).filter((f) => f !== undefined));
      for (const f of fallbacks) say(`${f}: checking the newest migration of each app (--all checks every one)`);
    }
  }
  const unbounded =
    args.command === 'migrations'
      ? migrationAnalyzer(sets!)
      : args.command === 'checklist'
        ? (w: Workspace, p: DjangoProject, o: AnalysisOptions) =>
            analyzeProject(w, p, { ...o, migrations: sets!.get(p.root)?.files ?? [], migrationGit: migrationGitFacts(sets!.get(p.root)) })
        : analyzeProject;
  // each project under its hard deadline: one that does not come back is reported as stopped
  const analyse = (w: Workspace, p: DjangoProject, o: AnalysisOptions): ProjectAnalysis =>
    bounded(args.projectDeadline, () => unbounded(w, p, o));
  await parserReady;
  timing('grammar loaded');
  let analysis = analyzeWorkspace(ws, options, analyse);
  shownProgress.done();
  timing('analysed');
  if (analysis.projects.length > 0) analysedProject();
  if (args.command === 'settings') {
    for (const m of analysis.messages) say(m);
    printSettings(root, ws, analysis.projects, args.format, args.diff);
    return analysis.failed && analysis.failed.length > 0 ? 2 : analysis.projects.length === 0 ? 2 : 0;
  }
  if (args.command === 'checklist') {
    for (const m of analysis.messages) say(m);
    const status = printChecklist(root, ws, analysis.projects, args.format, sets);
    return analysis.failed && analysis.failed.length > 0 ? 2 : status;
  }
  if (args.fix || args.diff) {
    const result = applyFixes(root, ws, analysis, options, { unsafe: args.unsafeFixes, write: !args.diff }, analyse);
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
    ws = new Workspace(fs, [root]);
    analysis = analyzeWorkspace(ws, options, analyse);
    shownProgress.done();
  }
  const diags = toJsonDiagnostics(root, ws, analysis.projects);
  for (const m of analysis.messages) say(m);
  const failsRun = (d: JsonDiagnostic): boolean => atOrAbove(d.severity, failOn);
  const color = wantsColor(process.stdout, process.env);
  const text = (): string =>
    args.statistics
      ? formatStatistics(diags.map(cleanDiag), { color })
      : formatText(diags, analysis.projects, root, color, (p) => {
          const cs = args.command === 'migrations' ? sets?.get(p.project.root) : undefined;
          return cs ? [changeSetLine(cs)] : [];
        });
  let report: string;
  if (args.format === 'json') {
    const projects = analysis.projects.map((p) => ({
      root: rel(root, p.project.root),
      production: p.project.production
        ? {
            module: p.project.production.module.name,
            file: rel(root, p.project.production.module.file),
            reason: p.project.production.reason,
          }
        : null,
      noProductionReason: p.project.noProductionReason ?? null,
      djangoVersion: {
        version: p.project.djangoVersion.version,
        source: stripUrlCredentials(p.project.djangoVersion.source),
        assumed: p.project.djangoVersion.assumed,
      },
      summary: ((s) => ({
        environment: s.environment,
        versions: s.versions,
        unread: s.unread,
        repositoryRoot: s.repositoryRoot ? rel(root, s.repositoryRoot) : null,
        ...(s.deployment ? { deployment: s.deployment } : {}),
      }))(projectSummary(p)),
      suppressed: p.suppressed.length,
      ...(args.command === 'migrations' && sets?.get(p.project.root) ? { migrations: changeSetJson(root, sets.get(p.project.root)!) } : {}),
    }));
    report = JSON.stringify({ version: VERSION, diagnostics: diags, projects }, null, 2) + '\n';
  } else if (args.format === 'sarif') report = JSON.stringify(toSarif(diags, VERSION), null, 2) + '\n';
  else if (args.format === 'github') report = toGithub(diags);
  else if (args.format === 'gitlab') report = JSON.stringify(toGitlab(diags), null, 2) + '\n';
  else if (args.format === 'junit')
    report = toJunit(
      diags,
      analysis.projects.map((p) => rel(root, p.project.root)),
      failsRun,
    );
  else report = text();
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
    process.stderr.write('django-deploy-check: no Django project found (no manage.py, wsgi.py or settings module)\n');
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

/** DDH_TIMING=1: when each phase ended, in ms since the process started (for benchmarks). */
function timing(phase: string): void {
  if (process.env.DDH_TIMING === '1') process.stderr.write(`django-deploy-check: timing ${phase} ${performance.now().toFixed(1)} ms\n`);
}

/** `settings`: every setting of each project's production module (see analysis/settingsView.ts). */
function printSettings(root: string, ws: Workspace, projects: ProjectAnalysis[], format: string, diff: boolean): void {
  const views = projects.map((p) => ({
    root: rel(root, p.project.root),
    module: p.project.production?.module.name ?? null,
    file: p.project.production ? rel(root, p.project.production.module.file) : null,
    reason: p.project.production ? null : (p.project.noProductionReason ?? null),
    djangoVersion: p.project.djangoVersion.version,
    settings: p.settings
      ? settingsView(
          {
            root,
            settings: p.settings,
            modules: p.modules,
            secrets: p.secrets,
            lineOf: (file, offset) => ws.positionAt(file, offset)?.line,
          },
          { diff },
        )
      : [],
  }));
  if (format === 'json') {
    process.stdout.write(JSON.stringify({ version: VERSION, projects: views }, null, 2) + '\n');
    return;
  }
  const parts = views.map((v) => {
    const head = v.module
      ? `${v.root === '.' ? '' : `${v.root}: `}${v.module} (${v.file}), Django ${v.djangoVersion}${diff ? ', only what differs from the defaults' : ''}`
      : `${v.root}: no production settings module${v.reason ? ` (${v.reason})` : ''}`;
    return clean(head) + '\n' + (v.settings.length ? settingsViewText(v.settings).split('\n').map(escapeControl).join('\n') + '\n' : '');
  });
  if (parts.length === 0) process.stderr.write('django-deploy-check: no Django project found (no manage.py, wsgi.py or settings module)\n');
  process.stdout.write(parts.join('\n'));
}

function printChecklist(
  root: string,
  ws: Workspace,
  projects: ProjectAnalysis[],
  format: string,
  sets: ReadonlyMap<string, ChangeSet> | undefined,
): number {
  const lists = projects.map((p) => {
    const cs = sets?.get(p.project.root);
    return buildChecklist(ws, p, cs && { checked: true, count: cs.files.length, description: changeSetLine(cs) });
  });
  const where = (loc: Loc): string | undefined => {
    const pos = ws.positionAt(loc.file, loc.start);
    return clean(pos ? `${rel(root, loc.file)}:${pos.line + 1}` : rel(root, loc.file));
  };
  // text and Markdown: every string escaped (paths are looked up, then escaped by where())
  const shown = (): Checklist[] => escapeControlDeep(lists, { multiline: ['detail'], verbatim: ['file', 'root'] });
  if (format === 'markdown') process.stdout.write(checklistMarkdown(shown(), where));
  else if (format === 'json') {
    const locJson = (loc: Loc | undefined): object | null => {
      if (!loc) return null;
      const s = ws.positionAt(loc.file, loc.start) ?? { line: 0, character: 0 };
      return { file: rel(root, loc.file), line: s.line + 1, column: s.character + 1 };
    };
    const json = lists.map((c) => ({
      ...c,
      root: rel(root, c.root),
      production: c.production ? { ...c.production, file: rel(root, c.production.file) } : null,
      settingsModules: c.settingsModules.map((m) => ({ name: m.name, file: rel(root, m.file) })),
      // paths relative like the rest of the report
      summary: {
        ...c.summary,
        root: rel(root, c.summary.root),
        production: c.summary.production ? { ...c.summary.production, file: rel(root, c.summary.production.file) } : undefined,
        repositoryRoot: c.summary.repositoryRoot ? rel(root, c.summary.repositoryRoot) : undefined,
      },
      groups: c.groups.map((g) => ({
        ...g,
        items: g.items.map((i) => ({ ...i, entries: i.entries.map((e) => ({ ...e, loc: locJson(e.loc) })) })),
      })),
    }));
    process.stdout.write(JSON.stringify({ version: VERSION, checklists: json }, null, 2) + '\n');
  } else process.stdout.write(checklistText(shown(), where));
  if (lists.length === 0) process.stderr.write('django-deploy-check: no Django project found (no manage.py, wsgi.py or settings module)\n');
  return 0;
}

/** Control characters escaped: a path or a message never starts a line of its own (see controlChars.ts). */
const clean = escapeControl;

/** Writes one line to stderr, escaped. */
function say(message: string): void {
  process.stderr.write(`django-deploy-check: ${clean(message)}\n`);
}

/** A finding whose path and message are safe to print on one line (control characters escaped). */
function cleanDiag(d: JsonDiagnostic): JsonDiagnostic {
  return { ...d, file: clean(d.file), message: clean(d.message) };
}

function formatText(
  diags: JsonDiagnostic[],
  projects: ProjectAnalysis[],
  root: string,
  color: boolean,
  more: (p: ProjectAnalysis) => string[] = () => [],
): string {
  // whatever a path, a message or a summary holds is escaped before colours are added
  const summaries = projects.map((p) => ({
    root: rel(root, p.project.root),
    label: clean(rel(root, p.project.root)),
    summary: [...summaryLines(projectSummary(p)), ...more(p)].map(clean),
  }));
  const closing = clean(closingLine(diags.length, severityCounts(diags), projects, (d) => rel(root, d)));
  return formatTextReport(diags.map(cleanDiag), summaries, closing, { color });
}

/**
 * A progress line on stderr while a run goes through several projects, when stderr is a terminal
 * (rewritten in place; done() clears it); nothing otherwise.
 */
function progress(root: string): { onProject?: (index: number, count: number, dir: string) => void; done(): void } {
  let shown = false;
  if (!process.stderr.isTTY || process.env.CI) return { done: () => undefined };
  return {
    onProject: (index, count, dir) => {
      if (count < 2) return;
      shown = true;
      process.stderr.write(
        `\r\x1b[2K${`analysing ${index + 1}/${count}: ${clean(rel(root, dir))}`.slice(0, (process.stderr.columns ?? 80) - 1)}`,
      );
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
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
