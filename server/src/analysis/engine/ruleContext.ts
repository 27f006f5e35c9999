// What a rule sees while it runs: its context (the project, the settings for a settings rule, the
// migration for a migration rule, the app-server model, the fixer, the files), every accessor held
// to the rules' deadline, and the re-check a fix is verified with (ctx.recheck).
import { EvaluationCancelled } from '../eval/evaluator';
import type { CallRecord, EvalNote, ModuleResult } from '../eval/scope';
import type { Loc } from '../eval/values';
import type { AppServerModel } from '../models/appServer/model';
import type { DjangoProject } from '../models/project/model';
import type { AppKind, AppKindAnswer, SchedulerStarts } from '../models/settings/appKind';
import type { AppCookies } from '../models/settings/appCookies';
import type { AssetPipelineAnswer } from '../models/settings/assetPipeline';
import type { Served } from '../models/project/urls';
import type { PythonDocument } from '../parse/pythonDocument';
import type { Fixer } from '../rules/fixes/fixer';
import { RULES } from '../rules/registry';
import type { Settings } from '../rules/settings';
import type {
  MigrationRuleContext,
  RecheckOptions,
  Rule,
  RuleContextBase,
  SettingsChange,
  SettingsRuleContext,
  Severity,
} from '../rules/types';

/** Whether a rule applies to a Django version (its djangoVersions range). */
export function appliesToVersion(rule: Rule, version: string): boolean {
  return inVersions(version, rule.appliesSince ?? rule.djangoVersions?.since, rule.djangoVersions?.removedIn);
}

/** Whether the Django check a rule mirrors exists in `version` (its findings carry the check's id only then). */
export function mirroredCheckExists(rule: Rule, version: string): boolean {
  return inVersions(version, rule.djangoVersions?.since, rule.djangoVersions?.removedIn);
}

function inVersions(version: string, since: string | undefined, removedIn: string | undefined): boolean {
  const cmp = (a: string, b: string): number => {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    return pa[0]! - pb[0]! || (pa[1] ?? 0) - (pb[1] ?? 0);
  };
  if (since && cmp(version, since) < 0) return false;
  if (removedIn && cmp(version, removedIn) >= 0) return false;
  return true;
}

/** What a rule runs on (see runRule). */
export interface RunInput {
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
  /** The kind of app the production settings and URLconf show (models/settings/appKind.ts); undefined without settings. */
  appKind: () => AppKind | undefined;
  /** Whether the project's own code sends mail through Django (appKind.ts codeSendsMail), searched when first asked; undefined without settings. */
  codeSendsMail: () => AppKindAnswer | undefined;
  /** Whether the project's own code uses Django's cache (appKind.ts codeUsesCache), searched when first asked; undefined without settings. */
  codeUsesCache: () => AppKindAnswer | undefined;
  /** Whether the project's own code adds Authorization to the Vary header (appKind.ts codeVariesOnAuthorization), searched when first asked; undefined without settings. */
  codeVariesOnAuthorization: () => AppKindAnswer | undefined;
  /** Whether the production app stores uploaded files (appKind.ts codeStoresUploads), searched when first asked; undefined without settings. */
  codeStoresUploads: () => AppKindAnswer | undefined;
  /** Where the project's apps.py ready(), wsgi.py or urls.py starts an in-process scheduler (appKind.ts schedulerStarts), searched when first asked; undefined without settings. */
  schedulerStarts: () => SchedulerStarts | undefined;
  /** Whether the app sets the session cookie and the CSRF cookie (appCookies.ts), searched when first asked; undefined without settings. */
  cookiesSet: () => AppCookies | undefined;
  /** Whether the templates load their CSS and JavaScript through a hashing asset pipeline (assetPipeline.ts), searched when first asked; undefined without settings. */
  assetPipeline: () => AssetPipelineAnswer | undefined;
  /** Whether the project's own code names an identifier (appKind.ts codeMentions), searched once per word; undefined without settings. */
  codeMentions: (word: string) => AppKindAnswer | undefined;
  /** Whether the project's code outside the settings reads a setting (appKind.ts codeReadsSetting), searched once per name; undefined without settings. */
  codeReadsSetting: (name: string) => AppKindAnswer | undefined;
  severity?: Severity;
  wantsFixes: boolean;
  /** Date.now() past which the rule is stopped where it calls back (see runRule). */
  deadline: number;
}

/** Thrown into a rule that reports or asks for a fixer past its deadline. */
export class RuleOutOfTime extends Error {}

/** Where a rule's context sends what the rule says. */
export interface Sinks {
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
  get appKind(): AppKind | undefined {
    overdue(this.input);
    return this.input.appKind();
  }
  get codeSendsMail(): AppKindAnswer | undefined {
    overdue(this.input);
    return this.input.codeSendsMail();
  }
  get codeUsesCache(): AppKindAnswer | undefined {
    overdue(this.input);
    return this.input.codeUsesCache();
  }
  get codeVariesOnAuthorization(): AppKindAnswer | undefined {
    overdue(this.input);
    return this.input.codeVariesOnAuthorization();
  }
  get codeStoresUploads(): AppKindAnswer | undefined {
    overdue(this.input);
    return this.input.codeStoresUploads();
  }
  get cookiesSet(): AppCookies | undefined {
    overdue(this.input);
    return this.input.cookiesSet();
  }
  get schedulerStarts(): SchedulerStarts | undefined {
    overdue(this.input);
    return this.input.schedulerStarts();
  }
  get assetPipeline(): AssetPipelineAnswer | undefined {
    overdue(this.input);
    return this.input.assetPipeline();
  }
  codeMentions(word: string): AppKindAnswer | undefined {
    overdue(this.input);
    return this.input.codeMentions(word);
  }
  codeReadsSetting(name: string): AppKindAnswer | undefined {
    overdue(this.input);
    return this.input.codeReadsSetting(name);
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
export function contextFor(
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
export function overdue(input: RunInput): void {
  if (Date.now() > input.deadline) throw new RuleOutOfTime();
}
