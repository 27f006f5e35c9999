// The analysis pipeline for one project: evaluate the production settings module, run the rules on
// what it evaluates to, apply suppressions and severity overrides, and redact secrets from messages.
// The language server and the CLI are thin adapters over analyzeProject / analyzeWorkspace.
import * as nodePath from 'node:path';
import { withConfig } from '../models/project/config';
import { monotonicMs } from '../base/clock';
import { firstStatement } from '../models/settings/neverSet';
import { EvaluationCancelled, Evaluator } from '../eval/evaluator';
import { ModuleCache } from '../reuse/moduleCache';
import { CachingEvaluator } from '../reuse/moduleReuse';
import { RecordingHost } from '../reuse/recordingHost';
import type { CallRecord, EvalNote, ModuleResult } from '../eval/scope';
import * as V from '../eval/values';
import { Fixer } from '../rules/fixes/fixer';
import { buildAppServer, type AppServerModel } from '../models/appServer/model';
import {
  deploymentVariables,
  duringOneAnalysis,
  productionMounts,
  readProcesses,
  type ProcessSource,
  type ProductionMount,
} from '../models/process/index';
import { pathServed, type Served } from '../models/project/urls';
import type { Loc } from '../eval/values';
import { lowerForAssumedVersion } from './assumedVersion';
import { optionsForFolder, type DjangoProject, type ProjectOptions } from '../models/project/model';
import { capFindings, NoqaIndex } from './noqa';
import { RULES } from '../rules/registry';
import { projectSecrets, redact } from '../secrets/secrets';
import { AnalysisStopped, enterPhase, enterProject } from '../base/progress';
import { Settings } from '../rules/settings';
import { SEVERITY_ORDER } from '../base/severity';
import { withParseDeadline } from '../parse/treeSitter';
import type { PythonDocument } from '../parse/pythonDocument';
import type {
  Finding,
  Fix,
  Rule,
  RuleContextBase,
  RecheckOptions,
  RuleOutcome,
  SettingsChange,
  SettingsRuleContext,
  Severity,
  TextEdit,
} from '../rules/types';
import type { FileKind } from '../files/scan';
import { MigrationRun, type MigrationGitFacts } from '../models/migrations/run';
import type { MigrationRuleContext } from '../rules/types';
import type { Workspace } from './workspace';

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
  /** A rule that throws fails the analysis instead of showing as unknown (tests). */
  readonly rethrowRuleErrors?: boolean;
  /**
   * Keep modules' evaluations in the workspace and reuse those whose inputs did not change (the
   * language server, which re-analyses after each keystroke; see eval/moduleCache.ts).
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
  /** Milliseconds spent. */
  readonly elapsed: number;
}

export { EvaluationCancelled };

/** See ProjectAnalysis.deployment. */
export interface DeploymentEvidence {
  readonly files: readonly { readonly file: string; readonly format: string; readonly processes: number }[];
  readonly variables: readonly { readonly name: string; readonly evidence: string; readonly known: boolean }[];
  /** Environment files production's processes load that the repository does not have ("docker-compose.prod.yml (service web): env_file .env (ignored by git)"). */
  readonly unread: readonly string[];
  /** What the deployment readers could not read in production's files ("k8s/prod/kustomization.yaml: the remote resource … is not read"). */
  readonly notRead?: readonly string[];
}

/** The deployment evidence of a project, when it has such files. */
function deploymentEvidence(ws: Workspace, project: DjangoProject): DeploymentEvidence | undefined {
  if (!project.files.some((f) => DEPLOYMENT_ENV_KINDS.has(f.kind))) return undefined;
  const m = readProcesses(ws, project);
  // each unread source once, with the processes that load it
  const unreadBy = new Map<string, string[]>();
  const addUnread = (s: ProcessSource): void => {
    for (const u of s.unreadEnv ?? []) {
      const labels = unreadBy.get(u) ?? [];
      if (!labels.includes(s.label)) labels.push(s.label);
      unreadBy.set(u, labels);
    }
  };
  for (const i of m.invocations) if (i.source.production && i.server !== 'runserver') addUnread(i.source);
  for (const w of m.workloads) if (w.source.production && !w.process.once && !w.process.scheduled) addUnread(w.source);
  const unread = new Set(
    [...unreadBy].map(([u, labels]) => `${labels[0]}${labels.length > 1 ? ` (and ${labels.length - 1} more)` : ''}: ${u}`),
  );
  // each note once, with the files it is about (a chart's templates: its folder and how many)
  const noteFiles = new Map<string, string[]>();
  for (const w of m.workloads)
    if (w.source.production)
      for (const n of w.process.notes ?? []) {
        const files = noteFiles.get(n) ?? [];
        if (!files.includes(w.source.file)) files.push(w.source.file);
        noteFiles.set(n, files);
      }
  const notRead = new Set<string>();
  for (const [n, files] of noteFiles) {
    const rel = (f: string): string => nodePath.relative(project.root, f) || nodePath.basename(f);
    if (files.length === 1) notRead.add(`${rel(files[0]!)}: ${n}`);
    else {
      let dir = nodePath.dirname(files[0]!);
      while (!files.every((f) => f.startsWith(dir + nodePath.sep)) && dir !== nodePath.dirname(dir)) dir = nodePath.dirname(dir);
      notRead.add(`${rel(dir)}/ (${files.length} files): ${n}`);
    }
  }
  const files = new Map<string, { file: string; format: string; processes: number }>();
  for (const w of m.workloads) {
    const e = files.get(w.source.file) ?? { file: w.source.file, format: w.source.format ?? 'deployment file', processes: 0 };
    e.processes++;
    files.set(w.source.file, e);
  }
  const variables = [...deploymentVariables(m, project.production?.module.name, project.root).values()].map((v) => ({
    name: v.name,
    evidence: v.evidence,
    known: v.value !== undefined,
  }));
  if (files.size === 0 && variables.length === 0 && unread.size === 0 && notRead.size === 0) return undefined;
  return { files: [...files.values()], variables, unread: [...unread], ...(notRead.size > 0 ? { notRead: [...notRead] } : {}) };
}

const DEFAULT_BUDGET_MS = 2000;

/**
 * Where findings about nothing in particular land (and never-set settings with no block of their
 * own): the production module's first statement, never its docstring (see models/settings/neverSet.ts).
 */
export function anchorOf(file: string, text: string | undefined, doc?: PythonDocument): Loc {
  return firstStatement(file, doc, text);
}

/**
 * The files whose written secrets messages may quote besides the settings' values: server configs,
 * process files, environment and dependency files (small, and read again only when they change).
 * The settings modules are not re-read after every keystroke: their values are the settings'.
 */
const SERVER_AND_PROCESS_FILES = new Set<FileKind>([
  'gunicorn',
  'procfile',
  'dockerfile',
  'compose',
  'systemd',
  'dotenv',
  'shell',
  'requirements',
  'pyproject',
  'pipfile',
  'setupcfg',
  'ci',
  'config',
  'manifest',
  'appconfig',
]);

/**
 * Two findings on one place that their rules say together (Finding.together) become one: the
 * first rule's code, the message that says both, the more severe severity, a Django id, both
 * rules' fixes. What a suppression hid is not joined.
 */
function joinTogether(findings: Finding[]): void {
  if (!findings.some((f) => f.together)) return;
  const at = (f: Finding): string => `${f.loc.file}:${f.loc.start}:${f.loc.end}`;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (!f.together) continue;
    const j = findings.findIndex((g) => g.code === f.together!.code && at(g) === at(f));
    const { together, ...plain } = f;
    if (j < 0) {
      findings[i] = plain;
      continue;
    }
    const other = findings[j]!;
    // the same fix from both rules (same title, or the same edits under another title) is offered once
    const same = new Set(f.fixes.flatMap((x) => [x.title, JSON.stringify(x.edits)]));
    findings[i] = {
      ...plain,
      message: together.message,
      severity: SEVERITY_ORDER.indexOf(other.severity) < SEVERITY_ORDER.indexOf(f.severity) ? other.severity : f.severity,
      django: f.django ?? other.django,
      fixes: [...f.fixes, ...other.fixes.filter((x) => !same.has(x.title) && !same.has(JSON.stringify(x.edits)))],
      joined: [other.code],
    };
    findings.splice(j, 1);
    if (j < i) i--;
  }
}

/** What a message about a setting never set says. */
const NEVER_SET_WORDS = /\b(never|not) (set|configured)\b|^No /;

/** "Searched settings/production.py and settings/base.py." for the modules an evaluation read. */
function searchedNote(root: string, files: ReadonlySet<string>, mounts: ReadonlyMap<string, ProductionMount> = new Map()): string {
  const names = [...files].map((f) => {
    const rel = nodePath.relative(root, f).split(nodePath.sep).join('/');
    const m = mounts.get(f);
    return m && !m.real ? `${rel} (${m.from})` : rel;
  });
  const shown = names.length > 5 ? [...names.slice(0, 4), `${names.length - 4} more`] : names;
  return `Searched ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}.`;
}

class Collector {
  readonly findings: Finding[] = [];
  readonly outcomes = new Map<string, RuleOutcome>();
}

/**
 * The environment production runs with, as far as the deployment files say: the variables the
 * processes serving the app get from Kubernetes manifests, platform files and app-server configs
 * (a secret's value unknown), then the variables that select what the production module loads
 * (see DjangoProject.productionEnv).
 */
/** The files whose processes may give production its environment (see deploymentVariables). */
const DEPLOYMENT_ENV_KINDS = new Set<FileKind>(['manifest', 'config', 'appconfig', 'dockerfile', 'compose']);

export function productionEnvironment(
  project: DjangoProject,
  ws?: Workspace,
): Map<string, { value?: string; loc?: Loc; nonEmpty?: boolean; defaultOf?: string; maybe?: string }> {
  const env = new Map<string, { value?: string; loc?: Loc; nonEmpty?: boolean; defaultOf?: string; maybe?: string }>();
  if (ws && project.files.some((f) => DEPLOYMENT_ENV_KINDS.has(f.kind))) {
    for (const [name, v] of deploymentVariables(readProcesses(ws, project), project.production?.module.name, project.root))
      env.set(name, {
        ...(v.value !== undefined ? { value: v.value } : {}),
        loc: v.loc,
        ...(v.nonEmpty ? { nonEmpty: true } : {}),
        ...(v.defaultOf ? { defaultOf: v.defaultOf } : {}),
        ...(v.partial ? { maybe: v.why ?? 'only some production deployments set it' } : {}),
      });
  }
  for (const e of project.productionEnv ?? []) {
    if (e.fromDefault) continue;
    env.set(e.name, {
      value: e.value,
      ...(e.file !== undefined && e.offset !== undefined ? { loc: { file: e.file, start: e.offset, end: e.offset } } : {}),
    });
  }
  return env;
}

const moduleCaches = new WeakMap<Workspace, Map<string, ModuleCache>>();

/** The kept module evaluations of a project of a workspace (see AnalysisOptions.reuseModules). */
export function moduleCache(ws: Workspace, project: DjangoProject): ModuleCache {
  let byRoot = moduleCaches.get(ws);
  if (!byRoot) moduleCaches.set(ws, (byRoot = new Map()));
  let cache = byRoot.get(project.root);
  if (!cache) byRoot.set(project.root, (cache = new ModuleCache()));
  return cache;
}

/**
 * Builds now, while nothing waits, what the next keystroke's analysis of a project would build
 * first from its kept evaluations (the statements' read and write index): the language server
 * calls it when typing pauses.
 */
export function prepareForTyping(ws: Workspace, project: DjangoProject): void {
  moduleCaches.get(ws)?.get(project.root)?.prepare();
}

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
  const files = new Set<string>();
  const prod = project.production;
  const deadline = Date.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  let evaluation: ModuleResult | undefined;
  let settings: Settings | undefined;
  let anchor: Loc | undefined;
  let modules: ReadonlyMap<string, ModuleResult> = new Map();
  // the Python files production's deployment mounts into the package (a ConfigMap at
  // /app/mysite/local_settings.py): imported from there, their findings placed where they are written
  const mounts =
    prod && project.files.some((f) => f.kind === 'manifest' || f.kind === 'config')
      ? withParseDeadline(deadline, () => productionMounts(ws, project))
      : new Map<string, ProductionMount>();
  if (prod) {
    const evalOptions = { deadline, isCancelled: options.isCancelled, environment: productionEnvironment(project, ws) };
    const host = ws.hostFor(project, mounts);
    const evaluator = options.reuseModules
      ? new CachingEvaluator(new RecordingHost(host), evalOptions, moduleCache(ws, project))
      : new Evaluator(host, evalOptions);
    // parsing the modules it reads is held to the same deadline
    evaluation = withParseDeadline(deadline, () =>
      evaluator.evaluate({ name: prod.module.name, file: prod.module.file, isPackage: prod.module.isPackage }),
    );
    modules = evaluator.modules;
    for (const f of evaluation.files) files.add(f);
    anchor = anchorOf(prod.module.file, ws.text(prod.module.file), ws.document(prod.module.file));
    settings = new Settings(evaluation, project.djangoVersion, anchor);
  }
  // The rules get a budget of their own, and so does what follows them.
  const rulesDeadline = Date.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  let appServer: AppServerModel | undefined;
  const lazyAppServer = (): AppServerModel =>
    (appServer ??= withParseDeadline(rulesDeadline, () =>
      buildAppServer(ws, project, { deadline: rulesDeadline, reuse: options.reuseModules === true }),
    ));
  let fixer: Fixer | undefined;
  const wantsFixes = options.fixes !== false;
  const lazyFixer = (): Fixer => (fixer ??= new Fixer(ws, project, modules, prod?.module.file, wantsFixes));
  const notes: EvalNote[] = [...(evaluation?.notes ?? [])];
  const skipped = [...files].filter((f) => ws.skipped.has(f));
  if (skipped.length > 0) {
    // The evaluator only knows a module "could not be read"; say why, once per file.
    for (let i = notes.length - 1; i >= 0; i--) if (notes[i]!.kind === 'unreadable') notes.splice(i, 1);
    for (const f of skipped)
      notes.push({ kind: 'unreadable', message: `${f.split(/[\\/]/).pop()} was not analysed: ${ws.skipped.get(f)}.`, loc: anchor });
  }
  // …and a module the deployment mounts without a content known here: why
  for (let i = 0; i < notes.length; i++) {
    const n = notes[i]!;
    if (n.kind !== 'unreadable' || !n.message.endsWith(' could not be read')) continue;
    const last = n.message.slice(0, -' could not be read'.length).split('.').pop();
    const m = [...mounts.values()].find((x) => !x.content && !x.real && nodePath.basename(x.file) === `${last}.py`);
    if (m) notes[i] = { ...n, message: `${n.message}, as production's deployment mounts it (${m.from}) with a content not known here` };
  }
  const projectAnchor: Loc = anchor ?? { file: project.manage ?? project.files[0]?.path ?? project.root, start: 0, end: 0 };

  const disabled = new Set((options.disabledRules ?? []).map((c) => c.toUpperCase()));
  const overrides = options.severityOverrides ?? {};
  const only = options.onlyRules ? new Set(options.onlyRules) : undefined;
  const collected = new Collector();
  const textCache = new Map<string, string | undefined>();
  const fileText = (file: string): string | undefined => {
    if (!textCache.has(file)) textCache.set(file, ws.text(file));
    return textCache.get(file);
  };

  const outOfTime: string[] = [];
  const migrationRun =
    options.migrations !== undefined
      ? new MigrationRun(ws, project, options.migrations, settings, fileText, options.migrationGit)
      : undefined;
  for (const file of migrationRun?.files ?? []) files.add(file);
  for (const rule of RULES) {
    if (rule.target === 'settings' && !settings) continue;
    if (rule.target === 'migration' && !migrationRun) continue;
    if (only && !only.has(rule.code)) continue;
    if (disabled.has(rule.code) || overrides[rule.code] === 'off') {
      collected.outcomes.set(rule.code, { state: 'disabled' });
      continue;
    }
    if (!appliesToVersion(rule, project.djangoVersion.version)) {
      collected.outcomes.set(rule.code, {
        state: 'not-applicable',
        reason: `Django ${project.djangoVersion.version} does not have this check`,
      });
      continue;
    }
    if (Date.now() > rulesDeadline) {
      outOfTime.push(rule.code);
      collected.outcomes.set(rule.code, { state: 'unknown', reason: 'the analysis budget ran out before this rule ran' });
      continue;
    }
    const input: RunInput = {
      project,
      production: settings && evaluation ? { settings, evaluation } : undefined,
      appServer: lazyAppServer,
      fixer: lazyFixer,
      notes,
      anchor: anchor ?? projectAnchor,
      fileText,
      document: (file) => ws.document(file),
      servedPath: (urlconf, requestPath) => pathServed(ws.fs, project.importRoots, urlconf, requestPath),
      severity: overrides[rule.code] as Severity | undefined,
      wantsFixes,
      deadline: rulesDeadline,
    };
    enterPhase(`running rule ${rule.code} (${rule.name})`, prod?.module.file);
    const stopped =
      rule.target === 'migration'
        ? withParseDeadline(rulesDeadline, () =>
            runMigrationRule(rule, input, migrationRun!, collected, options.rethrowRuleErrors === true),
          )
        : withParseDeadline(rulesDeadline, () => runRule(rule, input, collected, options.rethrowRuleErrors === true));
    if (stopped) outOfTime.push(rule.code);
  }
  if (outOfTime.length > 0) {
    // said once, as DDH004 says what the evaluator skipped (the notes rule has already run)
    collected.findings.push(
      budgetFinding(
        projectAnchor,
        `${outOfTime.length} rule${outOfTime.length === 1 ? '' : 's'} did not finish: the analysis budget ran out (${outOfTime.join(', ')}).`,
      ),
    );
  }

  // Suppressions: SILENCED_SYSTEM_CHECKS (as Django does), then `# noqa: CODE` on the line.
  enterPhase('finding the secrets to mask in messages', prod?.module.file);
  const silenced = new Set(settings ? (V.strItems(settings.get('SILENCED_SYSTEM_CHECKS').value) ?? []) : []);
  const secrets = projectSecrets(
    settings,
    evaluation?.calls ?? [],
    project.files
      .filter((f) => SERVER_AND_PROCESS_FILES.has(f.kind))
      .map((f) => [f.path, ws.isOpen(f.path) ? fileText(f.path) : ws.fs.readText(f.path)] as const),
  );
  // nothing the analysis says shows a secret: messages, fix titles, reasons, notes
  for (let i = 0; i < notes.length; i++) notes[i] = { ...notes[i]!, message: redact(notes[i]!.message, secrets) };
  for (const [code, outcome] of collected.outcomes)
    if (outcome.reason !== undefined) collected.outcomes.set(code, { ...outcome, reason: redact(outcome.reason, secrets) });
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  // a finding about something never set says which modules of the chain were searched
  const neverSet = (f: Finding): boolean => settings?.places.isNeverSetFinding(f.loc, f.message) === true;
  const searched = evaluation && evaluation.files.size > 1 ? searchedNote(project.root, evaluation.files, mounts) : undefined;
  const withSearched = (f: Finding): Finding =>
    searched && NEVER_SET_WORDS.test(f.message) && neverSet(f) ? { ...f, message: `${f.message} ${searched}` } : f;
  const noqa = new NoqaIndex(fileText, (file, text) => {
    const doc = ws.isOpen(file) ? ws.document(file) : undefined;
    return doc?.text === text ? doc.lineStarts : undefined;
  });
  enterPhase('applying # noqa and masking secrets', prod?.module.file);
  const suppressDeadline = Date.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  for (let [i, f] of collected.findings.entries()) {
    if ((i & 255) === 255 && Date.now() > suppressDeadline) {
      // what is left cannot be checked for `# noqa`: not shown rather than shown wrongly
      findings.push(
        budgetFinding(
          projectAnchor,
          `${collected.findings.length - i} findings were not checked for suppressions and are not shown: the analysis budget ran out.`,
        ),
      );
      break;
    }
    // a finding in a file the deployment mounts from a YAML value: placed in that value, with no
    // fix (an edit there is an edit of the YAML)
    const mount = mounts.get(f.loc.file);
    if (mount && !mount.real && mount.content) f = { ...f, loc: mount.content.loc(f.loc.start, f.loc.end), fixes: [] };
    // an assumed Django version: version-dependent findings are information and say so
    const masked = {
      ...f,
      message: redact(f.message, secrets),
      fixes: f.fixes.map((x) => (redact(x.title, secrets) === x.title ? x : { ...x, title: redact(x.title, secrets) })),
    };
    const finding = lowerForAssumedVersion(withSearched(masked), project.djangoVersion, neverSet);
    if ((f.django && silenced.has(f.django)) || noqa.suppresses(f)) {
      const { together: _said, ...alone } = finding;
      suppressed.push(alone);
    } else findings.push(finding);
  }
  for (const [code, outcome] of collected.outcomes) {
    if (outcome.state !== 'failing') continue;
    const remaining = findings.some((f) => f.code === code);
    if (!remaining) collected.outcomes.set(code, { state: 'disabled', reason: 'silenced' });
  }
  joinTogether(findings);
  findings.sort((a, b) =>
    a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.start - b.loc.start || (a.code < b.code ? -1 : 1),
  );
  const shown = capFindings(findings);
  addBundles(shown);
  const deployment = withParseDeadline(rulesDeadline, () => deploymentEvidence(ws, project));
  return {
    project,
    findings: shown,
    suppressed,
    outcomes: collected.outcomes,
    notes,
    files,
    settings,
    evaluation,
    modules,
    anchor,
    secrets,
    ...(deployment ? { deployment } : {}),
    elapsed: monotonicMs() - started,
  };
}

const BUNDLE_TITLES: Record<string, string> = {
  'security-settings': 'Add the missing production security settings',
};

/**
 * Fixes that share a bundle are also offered together, as one action attached to each finding of
 * the bundle: their insertions at the same place are concatenated in catalogue order.
 */
function addBundles(findings: Finding[]): void {
  const byBundle = new Map<string, { finding: Finding; fix: Fix }[]>();
  for (const f of findings) {
    for (const fix of f.fixes) {
      if (!fix.bundle) continue;
      const list = byBundle.get(fix.bundle) ?? [];
      list.push({ finding: f, fix });
      byBundle.set(fix.bundle, list);
    }
  }
  for (const [bundle, items] of byBundle) {
    if (items.length < 2) {
      // Alone, the fix is an ordinary one: fix-all and --fix, which skip bundle members (their
      // combined action stands for them), must still apply it.
      for (const { finding, fix } of items) {
        const fixes = finding.fixes as Fix[];
        fixes[fixes.indexOf(fix)] = { ...fix, bundle: undefined };
      }
      continue;
    }
    const edits: TextEdit[] = [];
    for (const { fix } of items) {
      for (const e of fix.edits) {
        const same = edits.findIndex((x) => x.file === e.file && x.start === e.start && x.end === e.end && e.start === e.end);
        // later pieces drop their own leading blank-line separator
        if (same >= 0) edits[same] = { ...edits[same]!, newText: edits[same]!.newText + e.newText.replace(/^(\r?\n|\r)+/, '') };
        else if (edits.some((x) => x.file === e.file && x.start < e.end && e.start < x.end)) continue;
        else edits.push(e);
      }
    }
    const safety = items.every((i) => i.fix.safety === 'safe') ? 'safe' : 'unsafe';
    const combined: Fix = { title: `${BUNDLE_TITLES[bundle] ?? bundle} (${items.length})`, safety, edits };
    for (const { finding } of items) (finding.fixes as Fix[]).push(combined);
  }
}

function appliesToVersion(rule: Rule, version: string): boolean {
  const r = rule.djangoVersions;
  if (!r) return true;
  const cmp = (a: string, b: string): number => {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    return pa[0]! - pb[0]! || (pa[1] ?? 0) - (pb[1] ?? 0);
  };
  if (r.since && cmp(version, r.since) < 0) return false;
  if (r.removedIn && cmp(version, r.removedIn) >= 0) return false;
  return true;
}

interface RunInput {
  project: DjangoProject;
  /** The migration a migration rule checks (with its vendor and app history). */
  migration?: Pick<MigrationRuleContext, 'migration' | 'vendor' | 'history' | 'git'>;
  /** The evaluated production settings; settings rules only run when they exist. */
  production: { settings: Settings; evaluation: ModuleResult } | undefined;
  appServer: () => AppServerModel;
  fixer: () => Fixer;
  notes: readonly EvalNote[];
  anchor: Loc;
  fileText: (file: string) => string | undefined;
  document: (file: string) => PythonDocument | undefined;
  /** The URL model: whether a request path is served by a URL conf (see models/project/urls.ts). */
  servedPath: (urlconf: string, requestPath: string) => Served;
  severity?: Severity;
  wantsFixes: boolean;
  /** Date.now() past which the rule is stopped where it calls back (see runRule). */
  deadline: number;
}

/** A DDH004 finding saying what ran out of time after the evaluation (whose own notes DDH004 reports). */
function budgetFinding(loc: Loc, message: string): Finding {
  const rule = RULES.find((r) => r.code === 'DDH004');
  return {
    code: 'DDH004',
    severity: rule?.severity ?? 'information',
    message,
    loc,
    django: null,
    fixes: [],
    checklist: rule?.checklist ?? 'analysis',
  };
}

/** Thrown into a rule that reports or asks for a fixer past its deadline. */
class RuleOutOfTime extends Error {}

/** Where a rule's context sends what the rule says. */
interface Sinks {
  report: RuleContextBase['report'];
  unknown: (reason: string, loc?: Loc) => void;
  notApplicable: (reason: string) => void;
}

/** The context every rule gets (a class: one shape for all rules, methods on the prototype). */
class BaseContext implements RuleContextBase {
  constructor(
    readonly code: string,
    protected readonly input: RunInput,
    protected readonly sinks: Sinks,
  ) {}

  get project(): DjangoProject {
    overdue(this.input);
    return this.input.project;
  }
  get version(): DjangoProject['djangoVersion'] {
    overdue(this.input);
    return this.input.project.djangoVersion;
  }
  get appServer(): AppServerModel {
    overdue(this.input);
    return this.input.appServer();
  }
  get fixer(): Fixer {
    overdue(this.input);
    return this.input.fixer();
  }
  get wantsFixes(): boolean {
    return this.input.wantsFixes;
  }
  get notes(): readonly EvalNote[] {
    overdue(this.input);
    return this.input.notes;
  }
  get anchor(): Loc {
    return this.input.anchor;
  }
  report(finding: Parameters<RuleContextBase['report']>[0]): void {
    this.sinks.report(finding);
  }
  unknown(reason: string, loc?: Loc): void {
    this.sinks.unknown(reason, loc);
  }
  undecided(a: Parameters<RuleContextBase['undecided']>[0]): void {
    if (a.state === 'unknown') this.sinks.unknown(a.reason, a.loc);
  }
  notApplicable(reason: string): void {
    this.sinks.notApplicable(reason);
  }
  textAt(loc: Loc): string | undefined {
    overdue(this.input);
    return this.input.fileText(loc.file)?.slice(loc.start, loc.end);
  }
  fileText(file: string): string | undefined {
    overdue(this.input);
    return this.input.fileText(file);
  }
  servedPath(urlconf: string, requestPath: string): Served {
    overdue(this.input);
    return this.input.servedPath(urlconf, requestPath);
  }
  document(file: string): PythonDocument | undefined {
    overdue(this.input);
    return this.input.document(file);
  }
}

/** A settings rule's context: the base plus the evaluated production settings, always there. */
class SettingsContext extends BaseContext implements SettingsRuleContext {
  constructor(
    private readonly rule: Rule,
    input: RunInput,
    sinks: Sinks,
    private readonly production: { settings: Settings; evaluation: ModuleResult },
  ) {
    super(rule.code, input, sinks);
  }

  get settings(): Settings {
    overdue(this.input);
    return this.production.settings;
  }
  get evaluation(): ModuleResult {
    overdue(this.input);
    return this.production.evaluation;
  }
  get calls(): readonly CallRecord[] {
    overdue(this.input);
    return this.production.evaluation.calls ?? [];
  }
  recheck(change: SettingsChange | undefined, onFinding: (f: { code: string; loc: Loc }) => void, options?: RecheckOptions): boolean {
    return recheck(this.rule, this.input, this.production, change, onFinding, options);
  }
}

/** A migration rule's context: the base plus the migration it checks, the vendor and the app's history. */
class MigrationContext extends BaseContext implements MigrationRuleContext {
  get migration(): MigrationRuleContext['migration'] {
    overdue(this.input);
    return this.input.migration!.migration;
  }
  get vendor(): MigrationRuleContext['vendor'] {
    overdue(this.input);
    return this.input.migration!.vendor;
  }
  get history(): MigrationRuleContext['history'] {
    overdue(this.input);
    return this.input.migration!.history;
  }
  get git(): MigrationRuleContext['git'] {
    return this.input.migration!.git;
  }
}

/** The context of `rule`: the base every rule gets, plus the settings for a settings rule. */
function contextFor(
  rule: Rule,
  input: RunInput,
  sinks: Sinks,
  production = input.production,
): RuleContextBase | SettingsRuleContext | undefined {
  if (rule.target === 'migration') return input.migration ? new MigrationContext(rule.code, input, sinks) : undefined;
  if (rule.target !== 'settings') return new BaseContext(rule.code, input, sinks);
  return production ? new SettingsContext(rule, input, sinks, production) : undefined;
}

const ignore = (): void => undefined;

/**
 * Runs the settings rules of `rule`'s group (or of `groups`, those the project's Django version
 * has) on the settings with `change` made; nothing is reported. The rules run
 * without building fixes of their own (a rule whose fix rechecks would otherwise recurse).
 */
function recheck(
  rule: Rule,
  input: RunInput,
  production: { settings: Settings; evaluation: ModuleResult },
  change: SettingsChange | undefined,
  onFinding: (f: { code: string; loc: Loc }) => void,
  options: RecheckOptions = {},
): boolean {
  const settings = change ? production.settings.with(change.setting, change.value) : production.settings;
  const quiet: RunInput = { ...input, wantsFixes: false };
  try {
    for (const other of RULES) {
      if (other.target !== 'settings') continue;
      if (
        options.groups
          ? !options.groups.includes(other.group) || !appliesToVersion(other, input.project.djangoVersion.version)
          : other.group !== rule.group
      )
        continue;
      const sinks: Sinks = {
        report: (f) => onFinding({ code: other.code, loc: f.loc ?? input.anchor }),
        unknown: options.onUnknown ? () => options.onUnknown!(other.code) : ignore,
        notApplicable: ignore,
      };
      other.check(contextFor(other, quiet, sinks, { settings, evaluation: production.evaluation }) as SettingsRuleContext);
    }
    return true;
  } catch (e) {
    if (e instanceof EvaluationCancelled) throw e;
    return false;
  }
}

/**
 * A rule is stopped where it comes back to the engine: reporting, and every accessor of its context
 * (the settings, the project, documents, texts, the fixer, the app-server model). That is its step
 * budget: a rule that loops over the settings or the files is stopped at the deadline, its outcome
 * unknown (or failing, with what it reported). Rules are the product's own code, run in-process
 * (no worker to kill): a loop that never touches its context is a bug the fixture tests, which run
 * every rule, would hang on.
 */
function overdue(input: RunInput): void {
  if (Date.now() > input.deadline) throw new RuleOutOfTime();
}

/** Runs one rule; true when it was stopped at its deadline (what it reported before stays). */
function runRule(rule: Rule, input: RunInput, out: Collector, rethrow = false): boolean {
  let unknownReason: { reason: string; loc?: Loc } | undefined;
  let notApplicable: string | undefined;
  let reported = 0;
  const ctx = contextFor(rule, input, {
    report: ({ message, loc, fixes, severity, django, together }) => {
      overdue(input);
      reported++;
      const where = loc ?? input.anchor;
      out.findings.push({
        code: rule.code,
        severity: input.severity ?? severity ?? rule.severity,
        message,
        loc: where,
        django: django === undefined ? (rule.django?.[0] ?? null) : django,
        fixes: input.wantsFixes ? ((fixes ?? []) as Fix[]) : [],
        checklist: rule.checklist,
        ...(together ? { together } : {}),
      });
    },
    unknown: (reason, loc) => {
      unknownReason ??= { reason, loc };
    },
    notApplicable: (reason) => {
      notApplicable = reason;
    },
  });
  if (!ctx) return false;
  try {
    // the context matches the rule's target (contextFor builds it from the same field)
    (rule as { check(c: RuleContextBase): void }).check(ctx);
  } catch (e) {
    if (e instanceof EvaluationCancelled) throw e;
    if (e instanceof RuleOutOfTime) {
      out.outcomes.set(
        rule.code,
        reported > 0 ? { state: 'failing' } : { state: 'unknown', reason: 'the analysis budget ran out while this rule ran' },
      );
      return true;
    }
    if (rethrow) throw e;
    // A rule must never take the analysis down; its item shows as unknown with the reason.
    out.outcomes.set(rule.code, { state: 'unknown', reason: `internal error in ${rule.code}: ${(e as Error).message}` });
    return false;
  }
  if (reported > 0) out.outcomes.set(rule.code, { state: 'failing' });
  else if (unknownReason) out.outcomes.set(rule.code, { state: 'unknown', reason: unknownReason.reason, loc: unknownReason.loc });
  else if (notApplicable) out.outcomes.set(rule.code, { state: 'not-applicable', reason: notApplicable });
  else out.outcomes.set(rule.code, { state: 'passed' });
  return false;
}

const OUTCOME_RANK: Record<RuleOutcome['state'], number> = { failing: 4, unknown: 3, passed: 2, 'not-applicable': 1, disabled: 0 };

/**
 * Runs a migration rule once for each migration file of the run; its outcome is the worst of the
 * files' (failing, unknown, passed, not applicable). True when it was stopped at its deadline.
 */
function runMigrationRule(rule: Rule, input: RunInput, run: MigrationRun, out: Collector, rethrow: boolean): boolean {
  let outcome: RuleOutcome | undefined;
  const none: RuleOutcome = { state: 'not-applicable', reason: 'no migration file was checked' };
  for (const m of run.migrations()) {
    const one = new Collector();
    enterPhase(`running rule ${rule.code} (${rule.name})`, m.anchor.file);
    const stopped = runRule(rule, { ...input, anchor: m.anchor, migration: m }, one, rethrow);
    out.findings.push(...one.findings);
    const o = one.outcomes.get(rule.code);
    if (o && (!outcome || OUTCOME_RANK[o.state] > OUTCOME_RANK[outcome.state])) outcome = o;
    if (stopped) {
      out.outcomes.set(rule.code, outcome ?? none);
      return true;
    }
  }
  out.outcomes.set(rule.code, outcome ?? none);
  return false;
}

export interface WorkspaceAnalysis {
  readonly projects: ProjectAnalysis[];
  /** Something the whole analysis wants to say once (a truncated scan, a project that failed…). */
  readonly messages: string[];
  /** Projects that were not analysed (their analysis threw, or the run's deadline passed). */
  readonly failed?: readonly DjangoProject[];
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
