// The analysis pipeline for one project: evaluate the production settings module, run the rules on
// what it evaluates to, apply suppressions and severity overrides, and redact secrets from messages.
// The language server and the CLI are thin adapters over analyzeProject / analyzeWorkspace.
import { withConfig } from './config';
import { EvaluationCancelled, Evaluator } from './eval/evaluator';
import type { CallRecord, EvalNote, ModuleResult } from './eval/scope';
import * as V from './eval/values';
import { Fixer } from './fixes/fixer';
import { buildAppServer, type AppServerModel } from './gunicorn/model';
import type { Loc } from './eval/values';
import { lowerForAssumedVersion } from './project/assumedVersion';
import { optionsForFolder, type DjangoProject, type ProjectOptions } from './project/model';
import { RULES } from './rules/registry';
import { projectSecrets, redact } from './secrets';
import { Settings } from './rules/settings';
import type { PythonDocument } from './parse/pythonDocument';
import type { Finding, Fix, Rule, RuleContextBase, RuleOutcome, SettingsChange, SettingsRuleContext, Severity, TextEdit } from './rules/types';
import type { FileKind } from './project/scan';
import type { Workspace } from './workspace';

/** What a workspace folder may set for itself (its editor settings). */
export interface FolderOptions extends ProjectOptions {
  readonly disabledRules?: readonly string[];
  readonly severityOverrides?: Readonly<Record<string, Severity | 'off'>>;
}

export interface AnalysisOptions extends FolderOptions {
  readonly byFolder?: Readonly<Record<string, FolderOptions>>;
  /** Time budget for one project, in ms (default 2000). */
  readonly budgetMs?: number;
  readonly isCancelled?: () => boolean;
  /** Only these rules (tests). */
  readonly onlyRules?: readonly string[];
  /**
   * Build quick fixes (default true). A report nobody will fix from (the CLI without --fix or
   * --diff) skips them: some cost more than the finding (re-checking a reordered MIDDLEWARE).
   */
  readonly fixes?: boolean;
  /** A rule that throws fails the analysis instead of showing as unknown (tests). */
  readonly rethrowRuleErrors?: boolean;
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
  readonly anchor?: Loc;
  /** Strings in the settings that may be secrets (for redacting any output); never printed. */
  readonly secrets: readonly string[];
  /** Milliseconds spent. */
  readonly elapsed: number;
}

export { EvaluationCancelled };

const DEFAULT_BUDGET_MS = 2000;

/** Where "never set" findings land: the first non-blank line of the production module. */
export function anchorOf(file: string, text: string | undefined): Loc {
  if (!text) return { file, start: 0, end: 0 };
  const m = /\S[^\r\n]*/.exec(text);
  if (!m) return { file, start: 0, end: 0 };
  return { file, start: m.index, end: m.index + m[0].trimEnd().length };
}

const NOQA_RE = /#\s*noqa\s*:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)/i;

/** Codes named by a `# noqa: CODE, CODE` comment on the line containing `offset`. */
export function noqaCodesAt(text: string, offset: number): Set<string> {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  const m = NOQA_RE.exec(text.slice(start, end));
  if (!m) return new Set();
  return new Set(m[1]!.split(/[\s,]+/).map((c) => c.toUpperCase()));
}

/**
 * The files whose written secrets messages may quote besides the settings' values: server configs,
 * process files, environment and dependency files (small, and read again only when they change).
 * The settings modules are not re-read after every keystroke: their values are the settings'.
 */
const SERVER_AND_PROCESS_FILES = new Set<FileKind>(['gunicorn', 'procfile', 'dockerfile', 'compose', 'systemd', 'dotenv', 'shell', 'requirements', 'pyproject', 'pipfile', 'setupcfg', 'ci', 'config']);

class Collector {
  readonly findings: Finding[] = [];
  readonly outcomes = new Map<string, RuleOutcome>();
}

/** The variables the deployment sets that select what the production module loads (see DjangoProject.productionEnv). */
export function productionEnvironment(project: DjangoProject): Map<string, { value: string; loc?: Loc }> {
  const env = new Map<string, { value: string; loc?: Loc }>();
  for (const e of project.productionEnv ?? []) {
    if (e.fromDefault) continue;
    env.set(e.name, { value: e.value, ...(e.file !== undefined && e.offset !== undefined ? { loc: { file: e.file, start: e.offset, end: e.offset } } : {}) });
  }
  return env;
}

export function analyzeProject(ws: Workspace, project: DjangoProject, shared: AnalysisOptions = {}): ProjectAnalysis {
  // the folder's options (editor settings), then the project's pyproject.toml under them
  const options = withConfig(optionsForFolder(shared, ws.folderOf(project.root)), project.config);
  const started = performance.now();
  const files = new Set<string>();
  const prod = project.production;
  const deadline = Date.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  let evaluation: ModuleResult | undefined;
  let settings: Settings | undefined;
  let anchor: Loc | undefined;
  let modules: ReadonlyMap<string, ModuleResult> = new Map();
  if (prod) {
    const evaluator = new Evaluator(ws.hostFor(project), { deadline, isCancelled: options.isCancelled, environment: productionEnvironment(project) });
    evaluation = evaluator.evaluate({ name: prod.module.name, file: prod.module.file, isPackage: prod.module.isPackage });
    modules = evaluator.modules;
    for (const f of evaluation.files) files.add(f);
    anchor = anchorOf(prod.module.file, ws.document(prod.module.file)?.text);
    settings = new Settings(evaluation, project.djangoVersion, anchor);
  }
  let appServer: AppServerModel | undefined;
  const lazyAppServer = (): AppServerModel => (appServer ??= buildAppServer(ws, project, { deadline }));
  let fixer: Fixer | undefined;
  const wantsFixes = options.fixes !== false;
  const lazyFixer = (): Fixer => (fixer ??= new Fixer(ws, project, modules, prod?.module.file, wantsFixes));
  const notes: EvalNote[] = [...(evaluation?.notes ?? [])];
  const skipped = [...files].filter((f) => ws.skipped.has(f));
  if (skipped.length > 0) {
    // The evaluator only knows a module "could not be read"; say why, once per file.
    for (let i = notes.length - 1; i >= 0; i--) if (notes[i]!.kind === 'unreadable') notes.splice(i, 1);
    for (const f of skipped) notes.push({ kind: 'unreadable', message: `${f.split(/[\\/]/).pop()} was not analysed: ${ws.skipped.get(f)}.`, loc: anchor });
  }
  const projectAnchor: Loc = anchor ?? { file: project.manage ?? project.files[0]?.path ?? project.root, start: 0, end: 0 };

  const disabled = new Set((options.disabledRules ?? []).map((c) => c.toUpperCase()));
  const overrides = options.severityOverrides ?? {};
  const only = options.onlyRules ? new Set(options.onlyRules) : undefined;
  const collected = new Collector();
  const textCache = new Map<string, string | undefined>();
  const fileText = (file: string): string | undefined => {
    if (!textCache.has(file)) textCache.set(file, ws.document(file)?.text);
    return textCache.get(file);
  };

  for (const rule of RULES) {
    if (rule.target === 'settings' && !settings) continue;
    if (only && !only.has(rule.code)) continue;
    if (disabled.has(rule.code) || overrides[rule.code] === 'off') {
      collected.outcomes.set(rule.code, { state: 'disabled' });
      continue;
    }
    if (!appliesToVersion(rule, project.djangoVersion.version)) {
      collected.outcomes.set(rule.code, { state: 'not-applicable', reason: `Django ${project.djangoVersion.version} does not have this check` });
      continue;
    }
    runRule(
      rule,
      {
        project,
        production: settings && evaluation ? { settings, evaluation } : undefined,
        appServer: lazyAppServer,
        fixer: lazyFixer,
        notes,
        anchor: anchor ?? projectAnchor,
        fileText,
        document: (file) => ws.document(file),
        severity: overrides[rule.code] as Severity | undefined,
        wantsFixes,
      },
      collected,
      options.rethrowRuleErrors === true,
    );
  }

  // Suppressions: SILENCED_SYSTEM_CHECKS (as Django does), then `# noqa: CODE` on the line.
  const silenced = new Set(settings ? V.strItems(settings.get('SILENCED_SYSTEM_CHECKS').value) ?? [] : []);
  const secrets = projectSecrets(
    settings ? [...settings.module.scope.vars].map(([name, b]) => [name, b.value] as const) : [],
    evaluation?.calls ?? [],
    project.files.filter((f) => SERVER_AND_PROCESS_FILES.has(f.kind)).map((f) => [f.path, ws.isOpen(f.path) ? fileText(f.path) : ws.fs.readText(f.path)] as const),
  );
  // nothing the analysis says shows a secret: messages, fix titles, reasons, notes
  for (let i = 0; i < notes.length; i++) notes[i] = { ...notes[i]!, message: redact(notes[i]!.message, secrets) };
  for (const [code, outcome] of collected.outcomes) if (outcome.reason !== undefined) collected.outcomes.set(code, { ...outcome, reason: redact(outcome.reason, secrets) });
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of collected.findings) {
    // an assumed Django version: version-dependent findings are information and say so
    const masked = { ...f, message: redact(f.message, secrets), fixes: f.fixes.map((x) => (redact(x.title, secrets) === x.title ? x : { ...x, title: redact(x.title, secrets) })) };
    const finding = lowerForAssumedVersion(masked, project.djangoVersion, anchor);
    const text = fileText(f.loc.file);
    const noqa = text ? new Set([...noqaCodesAt(text, f.loc.start), ...noqaCodesAt(text, Math.max(f.loc.start, f.loc.end - 1))]) : new Set<string>();
    if ((f.django && silenced.has(f.django)) || noqa.has(f.code)) suppressed.push(finding);
    else findings.push(finding);
  }
  for (const [code, outcome] of collected.outcomes) {
    if (outcome.state !== 'failing') continue;
    const remaining = findings.some((f) => f.code === code);
    if (!remaining) collected.outcomes.set(code, { state: 'disabled', reason: 'silenced' });
  }
  findings.sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.start - b.loc.start || (a.code < b.code ? -1 : 1)));
  addBundles(findings);
  return {
    project,
    findings,
    suppressed,
    outcomes: collected.outcomes,
    notes,
    files,
    settings,
    evaluation,
    anchor,
    secrets,
    elapsed: performance.now() - started,
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
    return (pa[0]! - pb[0]!) || ((pa[1] ?? 0) - (pb[1] ?? 0));
  };
  if (r.since && cmp(version, r.since) < 0) return false;
  if (r.removedIn && cmp(version, r.removedIn) >= 0) return false;
  return true;
}

interface RunInput {
  project: DjangoProject;
  /** The evaluated production settings; settings rules only run when they exist. */
  production: { settings: Settings; evaluation: ModuleResult } | undefined;
  appServer: () => AppServerModel;
  fixer: () => Fixer;
  notes: readonly EvalNote[];
  anchor: Loc;
  fileText: (file: string) => string | undefined;
  document: (file: string) => PythonDocument | undefined;
  severity?: Severity;
  wantsFixes: boolean;
}

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
    return this.input.project;
  }
  get version(): DjangoProject['djangoVersion'] {
    return this.input.project.djangoVersion;
  }
  get appServer(): AppServerModel {
    return this.input.appServer();
  }
  get fixer(): Fixer {
    return this.input.fixer();
  }
  get wantsFixes(): boolean {
    return this.input.wantsFixes;
  }
  get notes(): readonly EvalNote[] {
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
    return this.input.fileText(loc.file)?.slice(loc.start, loc.end);
  }
  fileText(file: string): string | undefined {
    return this.input.fileText(file);
  }
  document(file: string): PythonDocument | undefined {
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
    return this.production.settings;
  }
  get evaluation(): ModuleResult {
    return this.production.evaluation;
  }
  get calls(): readonly CallRecord[] {
    return this.production.evaluation.calls ?? [];
  }
  recheck(change: SettingsChange | undefined, onFinding: (f: { code: string; loc: Loc }) => void): boolean {
    return recheck(this.rule, this.input, this.production, change, onFinding);
  }
}

/** The context of `rule`: the base every rule gets, plus the settings for a settings rule. */
function contextFor(rule: Rule, input: RunInput, sinks: Sinks, production = input.production): RuleContextBase | SettingsRuleContext | undefined {
  if (rule.target !== 'settings') return new BaseContext(rule.code, input, sinks);
  return production ? new SettingsContext(rule, input, sinks, production) : undefined;
}

const ignore = (): void => undefined;

/** Runs the settings rules of `rule`'s group on the settings with `change` made; nothing is reported. */
function recheck(
  rule: Rule,
  input: RunInput,
  production: { settings: Settings; evaluation: ModuleResult },
  change: SettingsChange | undefined,
  onFinding: (f: { code: string; loc: Loc }) => void,
): boolean {
  const settings = change ? production.settings.with(change.setting, change.value) : production.settings;
  try {
    for (const other of RULES) {
      if (other.group !== rule.group || other.target !== 'settings') continue;
      const sinks: Sinks = { report: (f) => onFinding({ code: other.code, loc: f.loc ?? input.anchor }), unknown: ignore, notApplicable: ignore };
      other.check(contextFor(other, input, sinks, { settings, evaluation: production.evaluation }) as SettingsRuleContext);
    }
    return true;
  } catch (e) {
    if (e instanceof EvaluationCancelled) throw e;
    return false;
  }
}

function runRule(rule: Rule, input: RunInput, out: Collector, rethrow = false): void {
  let unknownReason: { reason: string; loc?: Loc } | undefined;
  let notApplicable: string | undefined;
  let reported = 0;
  const ctx = contextFor(rule, input, {
    report: ({ message, loc, fixes, severity, django }) => {
      reported++;
      const where = loc ?? input.anchor;
      out.findings.push({
        code: rule.code,
        severity: input.severity ?? severity ?? rule.severity,
        message,
        loc: where,
        django: django === undefined ? rule.django?.[0] ?? null : django,
        fixes: input.wantsFixes ? ((fixes ?? []) as Fix[]) : [],
        checklist: rule.checklist,
      });
    },
    unknown: (reason, loc) => {
      unknownReason ??= { reason, loc };
    },
    notApplicable: (reason) => {
      notApplicable = reason;
    },
  });
  if (!ctx) return;
  try {
    // the context matches the rule's target (contextFor builds it from the same field)
    (rule as { check(c: RuleContextBase): void }).check(ctx);
  } catch (e) {
    if (e instanceof EvaluationCancelled || rethrow) throw e;
    // A rule must never take the analysis down; its item shows as unknown with the reason.
    out.outcomes.set(rule.code, { state: 'unknown', reason: `internal error in ${rule.code}: ${(e as Error).message}` });
    return;
  }
  if (reported > 0) out.outcomes.set(rule.code, { state: 'failing' });
  else if (unknownReason) out.outcomes.set(rule.code, { state: 'unknown', reason: unknownReason.reason, loc: unknownReason.loc });
  else if (notApplicable) out.outcomes.set(rule.code, { state: 'not-applicable', reason: notApplicable });
  else out.outcomes.set(rule.code, { state: 'passed' });
}

export interface WorkspaceAnalysis {
  readonly projects: ProjectAnalysis[];
  /** Something the whole analysis wants to say once (a truncated scan…). */
  readonly messages: string[];
}

export function analyzeWorkspace(ws: Workspace, options: AnalysisOptions = {}): WorkspaceAnalysis {
  const messages: string[] = [];
  const projects = ws.projects(options, options.isCancelled);
  for (const folder of ws.folders) {
    const t = ws.scan(folder).truncated;
    if (t && t !== 'cancelled') messages.push(`${folder}: ${t}`);
  }
  // what a project's [tool.django-deploy-check] table could not use, once per pyproject.toml
  const warned = new Set<string>();
  for (const p of projects) for (const w of p.config.warnings ?? []) warned.add(`${p.config.file}: ${w}`);
  messages.push(...warned);
  return { projects: projects.map((p) => analyzeProject(ws, p, options)), messages };
}
