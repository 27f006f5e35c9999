// The rules phase of a project's analysis: every rule the project's options and Django version
// leave on run in catalogue order against the production settings, the deployment files and (when
// asked) the migrations, each stopped at the rules' deadline; what they report and their outcomes
// collected. A rule that throws shows as unknown; it never takes the analysis down.
import {
  appKind,
  codeMentions,
  codeReadsSetting,
  codeSendsMail,
  codeStoresUploads,
  schedulerStarts,
  codeUsesCache,
  codeVariesOnAuthorization,
  type AppKind,
  type AppKindAnswer,
  type SchedulerStarts,
  type AppKindInput,
} from '../models/settings/appKind';
import { assetPipeline, type AssetPipelineAnswer } from '../models/settings/assetPipeline';
import { appCookies, type AppCookies } from '../models/settings/appCookies';
import type { FileSystem } from '../files/fs';
import { EvaluationCancelled } from '../eval/evaluator';
import type { EvalNote } from '../eval/scope';
import type { Loc } from '../eval/values';
import { buildAppServer, type AppServerModel } from '../models/appServer/model';
import { MigrationRun } from '../models/migrations/run';
import type { DjangoProject } from '../models/project/model';
import { pathServed } from '../models/project/urls';
import { enterPhase } from '../base/progress';
import { withParseDeadline } from '../parse/treeSitter';
import { Fixer } from '../rules/fixes/fixer';
import { RULES } from '../rules/registry';
import type { Finding, Fix, Rule, RuleContextBase, RuleOutcome, Severity } from '../rules/types';
import { appliesToVersion, contextFor, mirroredCheckExists, overdue, RuleOutOfTime, type RunInput } from './ruleContext';
import type { Production } from './production';
import type { AnalysisOptions } from './types';
import type { Workspace } from './workspace';

/** What the rules said: their findings and each rule's outcome. */
export class Collector {
  readonly findings: Finding[] = [];
  /** Findings whose severity the user set (a severity override): the chain does not lower them. */
  readonly userSeverity = new WeakSet<Finding>();
  readonly outcomes = new Map<string, RuleOutcome>();
  /** The app-server model, when a rule asked for it. */
  appServer?: AppServerModel;
}

/**
 * The app-server model (gunicorn, uWSGI… as production runs them), built when a rule first asks for
 * it, under the rules' deadline, once per analysis.
 */
function appServerOnDemand(
  ws: Workspace,
  project: DjangoProject,
  options: AnalysisOptions,
  rulesDeadline: number,
  collected: Collector,
): () => AppServerModel {
  return () =>
    (collected.appServer ??= withParseDeadline(rulesDeadline, () =>
      buildAppServer(ws, project, { deadline: rulesDeadline, reuse: options.reuseModules === true }),
    ));
}

/**
 * Runs the rules on a project: what they reported and each rule's outcome. The rules past
 * `rulesDeadline` (left out, or stopped) are named in one DDH004 finding at `projectAnchor`. The
 * migration files checked (options.migrations) join production.files.
 */
export function runRules(
  ws: Workspace,
  project: DjangoProject,
  options: AnalysisOptions,
  production: Production,
  notes: readonly EvalNote[],
  projectAnchor: Loc,
  fileText: (file: string) => string | undefined,
  rulesDeadline: number,
): Collector {
  const { files, evaluation, settings, anchor, modules } = production;
  const prod = project.production;
  const collected = new Collector();
  const lazyAppServer = appServerOnDemand(ws, project, options, rulesDeadline, collected);
  let fixer: Fixer | undefined;
  const wantsFixes = options.fixes !== false;
  const lazyFixer = (): Fixer => (fixer ??= new Fixer(ws, project, modules, prod?.module.file, wantsFixes));
  const kindInput = (s: NonNullable<typeof settings>): AppKindInput => ({
    settings: s,
    // the analysis' own reader: each file read once per analysis, open documents as edited
    fs: Object.assign(Object.create(ws.fs) as FileSystem, { readText: fileText }),
    importRoots: project.importRoots,
    files: project.files,
    root: project.root,
    shownRoot: project.shownRoot,
    ...(project.repositoryRoot ? { repositoryRoot: project.repositoryRoot } : {}),
  });
  // (answers only: an AppKind keeps no reference to the analysis' settings or texts)
  let kind: AppKind | undefined;
  const lazyAppKind = (): AppKind | undefined => (settings ? (kind ??= appKind(kindInput(settings))) : undefined);
  let mail: AppKindAnswer | undefined;
  const lazyCodeMail = (): AppKindAnswer | undefined => (settings ? (mail ??= codeSendsMail(kindInput(settings))) : undefined);
  let cache: AppKindAnswer | undefined;
  const lazyCodeCache = (): AppKindAnswer | undefined => (settings ? (cache ??= codeUsesCache(kindInput(settings))) : undefined);
  let varies: AppKindAnswer | undefined;
  const lazyVaries = (): AppKindAnswer | undefined => (settings ? (varies ??= codeVariesOnAuthorization(kindInput(settings))) : undefined);
  let uploads: AppKindAnswer | undefined;
  const lazyCodeUploads = (): AppKindAnswer | undefined => (settings ? (uploads ??= codeStoresUploads(kindInput(settings))) : undefined);
  let cookies: AppCookies | undefined;
  const lazyCookies = (): AppCookies | undefined => (settings ? (cookies ??= appCookies(kindInput(settings))) : undefined);
  let schedulers: SchedulerStarts | undefined;
  const lazySchedulers = (): SchedulerStarts | undefined => (settings ? (schedulers ??= schedulerStarts(kindInput(settings))) : undefined);
  let pipeline: AssetPipelineAnswer | undefined;
  const lazyPipeline = (): AssetPipelineAnswer | undefined => (settings ? (pipeline ??= assetPipeline(kindInput(settings))) : undefined);
  const mentions = new Map<string, AppKindAnswer>();
  const lazyMentions = (word: string): AppKindAnswer | undefined => {
    if (!settings) return undefined;
    let a = mentions.get(word);
    if (!a) mentions.set(word, (a = codeMentions(kindInput(settings), word)));
    return a;
  };
  const reads = new Map<string, AppKindAnswer>();
  const lazyReads = (name: string): AppKindAnswer | undefined => {
    if (!settings) return undefined;
    let a = reads.get(name);
    if (!a) reads.set(name, (a = codeReadsSetting(kindInput(settings), name)));
    return a;
  };
  const disabled = new Set((options.disabledRules ?? []).map((c) => c.toUpperCase()));
  const overrides = options.severityOverrides ?? {};
  const only = options.onlyRules ? new Set(options.onlyRules) : undefined;

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
      appKind: lazyAppKind,
      codeSendsMail: lazyCodeMail,
      codeUsesCache: lazyCodeCache,
      codeVariesOnAuthorization: lazyVaries,
      codeStoresUploads: lazyCodeUploads,
      cookiesSet: lazyCookies,
      schedulerStarts: lazySchedulers,
      assetPipeline: lazyPipeline,
      codeMentions: lazyMentions,
      codeReadsSetting: lazyReads,
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
  return collected;
}

/** A DDH004 finding saying what ran out of time after the evaluation (whose own notes DDH004 reports). */
export function budgetFinding(loc: Loc, message: string): Finding {
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

/** Runs one rule; true when it was stopped at its deadline (what it reported before stays). */
function runRule(rule: Rule, input: RunInput, out: Collector, rethrow = false): boolean {
  let unknownReason: { reason: string; loc?: Loc } | undefined;
  let notApplicable: string | undefined;
  let reported = 0;
  const ctx = contextFor(rule, input, {
    report: ({ message, loc, fixes, severity, django, together, basis, follows }) => {
      overdue(input);
      reported++;
      const where = loc ?? input.anchor;
      const finding: Finding = {
        code: rule.code,
        severity: input.severity ?? severity ?? rule.severity,
        message,
        loc: where,
        // before the check it mirrors existed, the finding stands without its id (appliesSince)
        django: !mirroredCheckExists(rule, input.project.djangoVersion.version)
          ? null
          : django === undefined
            ? (rule.django?.[0] ?? null)
            : django,
        fixes: input.wantsFixes ? ((fixes ?? []) as Fix[]) : [],
        checklist: rule.checklist,
        ...(together ? { together } : {}),
        ...(follows ? { follows } : {}),
        // the rule's own links; the engine adds its own and weighs them after the rules (basis.ts)
        ...(basis && basis.length > 0 ? { basis: [...basis] } : {}),
      };
      out.findings.push(finding);
      if (input.severity) out.userSeverity.add(finding);
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
    for (const f of one.findings) if (one.userSeverity.has(f)) out.userSeverity.add(f);
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
