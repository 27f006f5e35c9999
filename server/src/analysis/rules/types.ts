// The shape of a rule. One rule is one file holding all of it: code, name, severity, the Django
// system check it mirrors, its documentation in fixed sections (shown on hover and generated into
// docs/rules.md), its detection and its fixes, with fix safety as data (as ruff does it).
import type { AppKind, AppKindAnswer, SchedulerStarts } from '../models/settings/appKind';
import type { AppCookies } from '../models/settings/appCookies';
import type { AssetPipelineAnswer } from '../models/settings/assetPipeline';
import type { Served } from '../models/project/urls';
import type { CallRecord, EvalNote, ModuleResult } from '../eval/scope';
import type { Fixer } from './fixes/fixer';
import type { Fix, FixSafety } from './fixes/types';
import type { AppServerModel } from '../models/appServer/model';
import type { Loc, Value } from '../eval/values';
import type { DjangoProject } from '../models/project/model';
import type { DjangoVersion } from '../models/project/version';
import type { RuleChecklistId } from '../catalogue/checklistItems';
import type { RuleGroup } from '../catalogue/groups';
import type { PythonDocument } from '../parse/pythonDocument';
import type { Severity } from '../base/severity';
import type { Settings } from './settings';
import type { MigrationFile } from '../readers/python/migration';
import type { MigrationHistory } from '../models/migrations/history';
import type { DatabaseVendor } from '../models/migrations/vendor';
import type { MigrationGitFacts } from '../models/migrations/run';

export { SEVERITY_ORDER, type Severity } from '../base/severity';
export type { Fix, FixSafety, TextEdit } from './fixes/types';

export { GROUPS, type RuleGroup } from '../catalogue/groups';

export interface RuleDoc {
  /** What it checks (one paragraph). */
  readonly what: string;
  /** Why it matters in production. */
  readonly why: string;
  /** A bad example (Python or the file's own syntax). */
  readonly example: string;
  /** What to do instead, in prose. */
  readonly fix: string;
  /** The corrected example. */
  readonly good?: string;
  readonly references: readonly { readonly title: string; readonly url: string }[];
}

/**
 * What a link of a finding's chain is about: the production settings module (how it was chosen),
 * the file the finding is in or rests on (production's, or only presumed so), a value it reads (its
 * state in production), a hop in front of the app or a fact of a library or platform it relies on.
 */
export type BasisKind = 'module' | 'file' | 'value' | 'hop' | 'library';

/**
 * How a link stands. Only `known` is certain; each other state lowers the finding's severity one
 * step (error → warning → information):
 *   known        read in the files the deployment runs, or a documented fact
 *   presumed     taken as production's with nothing that runs it saying so (a module chosen by its
 *                name, a compose file beside another deployment, a template filled in before use)
 *   overridable  as written unless overridden: a committed default of an environment lookup, a
 *                value an optional override file may replace
 *   unknown      the files cannot say
 */
export type BasisState = 'known' | 'presumed' | 'overridable' | 'unknown';

/** One link of the chain from the evidence to a finding's claim (small, serializable data). */
export interface BasisLink {
  readonly kind: BasisKind;
  /** What it is about: a module's dotted name, a file relative to the project's root, a variable or setting, a hop. */
  readonly subject: string;
  readonly state: BasisState;
  /** Why, in words: "named by Dockerfile:4 (DJANGO_SETTINGS_MODULE)", "the default used when DJANGO_DEBUG is not set". */
  readonly how: string;
  /** For a link that is not certain: the clause the message ends with ("unless DJANGO_DEBUG is set where it runs"). */
  readonly clause?: string;
  /**
   * The rule's message already says this link's condition and its severity already weighs it (a
   * functional fallback: "uses SQLite if DATABASE_URL is not set where it runs", at information):
   * the engine neither appends its clause nor lowers the severity again; it stays in the chain.
   */
  readonly said?: boolean;
}

/** Whether a finding may rest on a link as on a fact. */
export function isCertain(link: BasisLink): boolean {
  return link.state === 'known';
}

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly loc: Loc;
  readonly django: string | null;
  readonly fixes: readonly Fix[];
  /** Checklist item the finding belongs to. */
  readonly checklist: RuleChecklistId;
  /**
   * What the finding rests on, from the evidence to the claim: the engine's links (the production
   * module, the file, the value at the finding's place) and the rule's own. Its severity is the
   * rule's lowered one step for each link that is not certain (engine/basis.ts).
   */
  readonly basis?: readonly BasisLink[];
  /** Said instead when a finding of rule `code` lands on the same place: one finding says both (see report). */
  readonly together?: Together;
  /** The codes of other rules whose findings on this place this one states too (see report's `together`). */
  readonly joined?: readonly string[];
  /**
   * Other places the finding is about, for the editor's links (LSP relatedInformation): the files
   * its message names, the finding it follows from. Set after the rules ran (engine/related.ts).
   */
  readonly related?: readonly RelatedPlace[];
  /** The finding this one follows from (DEBUG on → the debug toolbar installed): nested under it in the checklist. */
  readonly follows?: { readonly code: string; readonly loc: Loc };
  /** Set aside because the comment at this place explains the choice (engine/intent.ts): the comment's place and words. */
  readonly explained?: { readonly loc: Loc; readonly text: string };
}

/** A place a finding names or follows from, and what it is. */
export interface RelatedPlace {
  readonly loc: Loc;
  readonly message: string;
}

/** One finding for two rules on one place: the message that says both, and the other rule's code. */
export interface Together {
  readonly code: string;
  readonly message: string;
}

export type RuleTarget = 'settings' | 'gunicorn' | 'process' | 'project' | 'migration';

/** What every rule's check() receives, whatever it looks at. */
export interface RuleContextBase {
  /** The code of the rule being run (a rule never repeats its own code as a string). */
  readonly code: string;
  readonly project: DjangoProject;
  readonly version: DjangoVersion;
  /** Gunicorn configs and process command lines (built on first use). */
  readonly appServer: AppServerModel;
  /** Builds quick fixes in the project's style (see rules/fixes/fixer.ts). */
  readonly fixer: Fixer;
  /** False when nobody will see the fixes (the CLI's plain report): skip building costly ones. */
  readonly wantsFixes: boolean;
  readonly notes: readonly EvalNote[];
  /** Where findings about something never set land: the production module's first line. */
  readonly anchor: Loc;
  /**
   * Reports a finding. `loc` defaults to the anchor. The message must never contain a secret.
   * `together`: when rule `together.code` also reports on the same place (and neither is
   * suppressed), the two become one finding with `together.message`, this rule's code, the more
   * severe severity, both Django ids' first, and both rules' fixes.
   */
  report(finding: {
    message: string;
    loc?: Loc;
    fixes?: Fix[];
    severity?: Severity;
    django?: string | null;
    together?: Together;
    /**
     * What only the rule knows the finding rests on (a hop, a library's default, the variable a
     * fallback is for). A link of the same kind and subject as one the engine derives replaces it;
     * the engine adds the production module, the file and the value at `loc` itself.
     */
    basis?: readonly BasisLink[];
    /**
     * The finding of another rule this one follows from (its advice cannot be taken while that one
     * stands): nested under it in the checklist, and set aside with it when a comment explains it.
     */
    follows?: { readonly code: string; readonly loc: Loc };
  }): void;
  /** The rule could not decide (the value is unknown); the checklist shows "unknown" with the reason. */
  unknown(reason: string, loc?: Loc): void;
  /**
   * The "can I decide?" step for an answer the rule cannot judge: a value the deployment supplies
   * passes (Django or the library refuses to start without it), an unknown one makes the rule's
   * outcome unknown with the answer's reason; a known (or never set) one is left to the rule.
   * Returns nothing, so `return ctx.undecided(q)` reads.
   */
  undecided(
    answer: { readonly state: 'known' | 'unset' | 'supplied' } | { readonly state: 'unknown'; readonly reason: string; readonly loc?: Loc },
  ): void;
  /** The rule does not apply (e.g. a middleware is not installed); the checklist shows it as passed. */
  notApplicable(reason: string): void;
  /** Source text of a location (for fixes). */
  textAt(loc: Loc): string | undefined;
  /** The whole text of a file (for fixes). */
  fileText(file: string): string | undefined;
  /** The parsed document of a file, from the workspace's parse cache (rules never parse files themselves). */
  document(file: string): PythonDocument | undefined;
  /** Whether the URL patterns of `urlconf` serve a request path: yes, no, or unknown and why (models/project/urls.ts). */
  servedPath(urlconf: string, requestPath: string): Served;
  /**
   * The kind of app the production settings and URLconf show (whether the static files app is
   * installed, whether it is a token-only JSON API), each answer with why and where; undefined when
   * the project has no production settings (models/settings/appKind.ts).
   */
  readonly appKind: AppKind | undefined;
  /** Whether the project's own code sends mail through Django (its mail API, email_user(), the password-reset views), searched when first asked; undefined without production settings. */
  readonly codeSendsMail: AppKindAnswer | undefined;
  /** Whether the project's own code uses Django's cache (its API, the cache decorators, DRF's throttles), searched when first asked; undefined without production settings. */
  readonly codeUsesCache: AppKindAnswer | undefined;
  /** Whether the project's own code adds Authorization to its responses' Vary header (vary_on_headers, patch_vary_headers), searched when first asked; undefined without production settings. */
  readonly codeVariesOnAuthorization: AppKindAnswer | undefined;
  /** Whether the production app stores uploaded files (a file field, upload_to, a storage, request.FILES, MEDIA_ROOT in its own code, or a library app that does), searched when first asked; undefined without production settings. */
  readonly codeStoresUploads: AppKindAnswer | undefined;
  /** Where the project's own apps.py ready(), wsgi.py or urls.py starts an in-process scheduler (APScheduler, django-apscheduler), with the guard it stands behind; searched when first asked; undefined without production settings. */
  readonly schedulerStarts: SchedulerStarts | undefined;
  /**
   * Whether anything of the app writes the session (so SessionMiddleware sets the session cookie) and
   * asks for the CSRF token (so CsrfViewMiddleware sets the CSRF cookie): yes with the first place,
   * no with what was searched, unknown with why (models/settings/appCookies.ts); searched when first
   * asked; undefined without production settings.
   */
  readonly cookiesSet: AppCookies | undefined;
  /**
   * Whether the templates load their CSS and JavaScript through an asset pipeline that names its
   * output by a hash of the content (django-compressor, django-webpack-loader with a hashing bundler:
   * models/settings/assetPipeline.ts), searched when first asked; undefined without production settings.
   */
  readonly assetPipeline: AssetPipelineAnswer | undefined;
  /**
   * Whether the project's own code (not tests, migrations or development files) names the
   * identifier `word` (a library's signal, say), with the first place; searched once per word and
   * analysis; undefined without production settings.
   */
  codeMentions(word: string): AppKindAnswer | undefined;
  /**
   * Whether the project's own code outside the settings modules (not tests, migrations or development
   * files) reads the setting `name` (`settings.NAME`, `getattr(settings, "NAME")`), with the first
   * place; searched once per name and analysis; undefined without production settings.
   */
  codeReadsSetting(name: string): AppKindAnswer | undefined;
}

/** A change to try on the settings: `setting` read as `value`, everything else as it is. */
export interface SettingsChange {
  readonly setting: string;
  readonly value: Value;
}

/** What a settings rule's check() receives: the evaluated production settings, always there. */
export interface SettingsRuleContext extends RuleContextBase {
  /** The evaluated production settings (the rule only runs when the project has them). */
  readonly settings: Settings;
  readonly evaluation: ModuleResult;
  readonly calls: readonly CallRecord[];
  /**
   * Runs the rules of this rule's group again on the settings with `change` made, reporting
   * nothing: `onFinding` sees each finding they would make. False when a rule fails on the changed
   * settings. Lets a fix be verified (the finding goes, nothing gets worse) without a rule
   * importing its own group.
   */
  recheck(
    change: SettingsChange | undefined,
    onFinding: (finding: { readonly code: string; readonly loc: Loc }) => void,
    options?: RecheckOptions,
  ): boolean;
}

/** What recheck() runs and tells: its rule's group (the default), or the settings rules of these groups that the project's Django version has. */
export interface RecheckOptions {
  readonly groups?: readonly RuleGroup[];
  /** Each rule that could not decide on the changed settings. */
  readonly onUnknown?: (code: string) => void;
}

/** Gunicorn configuration rules, process rules and whole-project rules read the app-server model and the project. */
export type GunicornRuleContext = RuleContextBase;
export type ProcessRuleContext = RuleContextBase;
export type ProjectRuleContext = RuleContextBase;

/**
 * What a migration rule's check() receives: one migration file (the rule runs once for each file
 * the analysis was asked to check), the production database vendor, and the app's whole history.
 * The context's anchor is the file's `class Migration` line (or its first line).
 */
export interface MigrationRuleContext extends RuleContextBase {
  readonly migration: MigrationFile;
  /** The production database (PostgreSQL, MySQL, SQLite or unknown, with the reason). */
  readonly vendor: DatabaseVendor;
  /** The app's migrations folder, read on first use (leaves, earlier definitions of a field). */
  readonly history: MigrationHistory;
  /** What git says about the project's migrations and models; undefined without a change set. */
  readonly git: MigrationGitFacts | undefined;
}

/** The context of settings rules, which most rule helpers take. */
export type RuleContext = SettingsRuleContext;

interface RuleInfo {
  /** Stable code, e.g. DDH101. */
  readonly code: string;
  /** The pattern it flags, kebab-case, e.g. `hardcoded-secret-key`. */
  readonly name: string;
  /** Short title for lists and the checklist. */
  readonly title: string;
  readonly severity: Severity;
  readonly group: RuleGroup;
  /** Checklist item the rule feeds. */
  readonly checklist: RuleChecklistId;
  /** The Django system check ids it mirrors (first one is the main id), if any. */
  readonly django?: readonly string[];
  /** Django versions the mirrored check exists in ([since, removedIn)). */
  readonly djangoVersions?: { readonly since?: string; readonly removedIn?: string };
  /**
   * The Django version from which what the rule is about exists, when it is older than the check it
   * mirrors (SESSION_COOKIE_SECURE long before `check --deploy` came in 1.8): the rule runs from this
   * version, and its findings carry the Django id only where the check exists (djangoVersions).
   */
  readonly appliesSince?: string;
  readonly fixSafety?: FixSafety;
  /**
   * A choice a maintainer may make on purpose (HSTS without subdomains, a SAMEORIGIN frame policy, a
   * long timeout): a finding on a value written in the settings whose comment beside it or just
   * above its statement (or, for an element of a list or dict on lines of its own, beside or just
   * above that element) gives a reason is set aside as explained (engine/intent.ts). Never for errors.
   * `'information'`: only its information findings, those whose harm the repository shows to be
   * bounded (allow-all CORS without credentials); a warning rests on what a comment cannot vouch for.
   */
  readonly explainable?: boolean | 'information';
  /**
   * For an explainable rule: the words naming what it advises (DDH603: "caching", "hashing"). A
   * comment saying the choice is made "without" one of them ("compression without caching") states
   * the trade-off, so it explains the finding; a provisional one ("TODO", "for now") still does not.
   */
  readonly explainedWithout?: readonly string[];
  readonly docs: RuleDoc;
}

export interface SettingsRule extends RuleInfo {
  readonly target: 'settings';
  check(ctx: SettingsRuleContext): void;
}
export interface GunicornRule extends RuleInfo {
  readonly target: 'gunicorn';
  check(ctx: GunicornRuleContext): void;
}
export interface ProcessRule extends RuleInfo {
  readonly target: 'process';
  check(ctx: ProcessRuleContext): void;
}
export interface ProjectRule extends RuleInfo {
  readonly target: 'project';
  check(ctx: ProjectRuleContext): void;
}

export interface MigrationRule extends RuleInfo {
  readonly target: 'migration';
  check(ctx: MigrationRuleContext): void;
}

/** A rule, typed by what it looks at: its check() gets the context of its target. */
export type Rule = SettingsRule | GunicornRule | ProcessRule | ProjectRule | MigrationRule;

/** How the reason of an outcome set aside by the maintainer's comment starts (engine/intent.ts); the comment's words follow. */
export const EXPLAINED_REASON = 'explained:';

export interface RuleOutcome {
  readonly state: 'passed' | 'failing' | 'unknown' | 'not-applicable' | 'disabled';
  readonly reason?: string;
  readonly loc?: Loc;
}

export type { Value };
