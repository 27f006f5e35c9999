// The language server: adapts the analysis core to LSP. It keeps the open Python buffers as
// PythonDocuments edited in place (statement-level incremental re-parse), re-analyses the projects a
// change can affect, and publishes diagnostics for every file of each production configuration.
// The class is handed its connection so that tests can drive it in-process or over stdio.
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  MarkupKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type WorkspaceEdit,
  type DidChangeTextDocumentParams,
  type DidOpenTextDocumentParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type Range,
} from 'vscode-languageserver';
import { ruleDocsUrl } from '../analysis/outputs/docsUrl';
import {
  analyzeProject,
  EvaluationCancelled,
  prepareForTyping,
  type AnalysisOptions,
  type FolderOptions,
  type ProjectAnalysis,
} from '../analysis/engine/engine';
import { PythonDocument } from '../analysis/parse/pythonDocument';
import { isParserLoaded, loadParser } from '../analysis/parse/treeSitter';
import { analysedProject } from '../codeCacheHook';
import { practiceModule, TypingPractice } from '../analysis/engine/practice';
import { MAX_FILE_BYTES, NodeFileSystem, OverlayFileSystem, textTooLarge, type FileSystem } from '../analysis/files/fs';
import type { DjangoProject } from '../analysis/models/project/model';
import { classify } from '../analysis/files/scan';
import { ruleByCode } from '../analysis/rules/registry';
import { compatibleFixes } from '../analysis/rules/fixes/edits';
import { Fixer } from '../analysis/rules/fixes/fixer';
import type { Finding, Fix, Severity } from '../analysis/rules/types';
import { Workspace } from '../analysis/engine/workspace';
import { analyzeMigrations, databaseVendor } from '../analysis/engine/migrations';
import {
  changeSetLine,
  isMigrationFile,
  isModelsFile,
  migrationChangeSet,
  migrationGitFacts,
  projectMigrationFiles,
  type ChangeSet,
  type RepositoryChangesCache,
} from '../analysis/models/migrations/changes';
import { buildChecklist, type Checklist } from '../analysis/outputs/checklist/checklist';
import { checklistMarkdown } from '../analysis/outputs/checklist/render';
import type { Loc } from '../analysis/eval/values';
import {
  CHECKLIST_CHANGED,
  CHECKLIST_MARKDOWN_REQUEST,
  CHECKLIST_REQUEST,
  DJANGO_CHECK_RESULT,
  MEMORY_REQUEST,
  SETTINGS_VIEW_REQUEST,
  type ChecklistResult,
  type MemoryStats,
  type DjangoCheckResult,
  type MarkdownParams,
  type SettingsViewParams,
  type SettingsViewResult,
  type WireChecklist,
  type WireEntry,
  type WireGroup,
  type WireItem,
} from '../protocol';
import { rulesHoverMarkdown, settingHoverMarkdown } from './hover';
import { settingHoverAt } from './protocolHover';
import {
  CHECKLIST_COMMAND,
  CHECKLIST_MARKDOWN_COMMAND,
  CONFIG_SECTION,
  configurationItems,
  type DiagnosticData,
  FIX_ALL_KIND,
  pathToUri,
  QUARANTINE_NOTIFICATION,
  type QuarantineParams,
  SETTING_HOVERS_NOTIFICATION,
  type SettingHoversParams,
  SHOW_DOCS_COMMAND,
  SOURCE,
  uriToPath,
  initialFolders,
  initializeResult,
} from './protocolCommon';
import { settingPlaces, settingsView, settingsViewReportText } from '../analysis/outputs/settingsView';
import { escapeControl, escapeControlDeep } from '../analysis/base/controlChars';

/** How long an analysis pass runs before it lets other messages in (see runPass). */
const SLICE_MS = 20;
/**
 * How long one analysis pass may take in all (each project also has its own budget): the projects
 * it did not reach are named in the log and analysed when next touched or on the next full pass.
 */
export const PASS_BUDGET_MS = 60_000;
/** How long the typing practice waits for the server to be idle again before its next step. */
const PRACTICE_WAIT_MS = 50;
/**
 * How long after the last analysis the typing practice takes its first step: that step is the
 * copy workspace's first analysis (100-150 ms on zulip or DefectDojo), and a developer who types as
 * soon as the file opens would wait for it (zulip's first keystroke through the server: 108-133 ms
 * with it, 17-39 without).
 */
const PRACTICE_QUIET_MS = 300;
/**
 * How long a file's stat is taken as the file's own (see NodeFileSystem): the analysis after each
 * keystroke asks again whether the closed modules and deployment files it reads changed, 38 stats
 * on DefectDojo (half a millisecond of a keystroke). VS Code's watcher reports a change on disk at
 * once (onDidChangeWatchedFiles forgets the file); an editor without one has no analysis when a
 * file changes on disk, and one started by a keystroke in this window does not see the change yet.
 */
const STAT_FRESH_MS = 1000;

/**
 * How long after the last analysis the setting hovers are computed and sent (see queueSettingHovers),
 * and a checklist changed by an edit is announced (see announceChecklist). Tests only:
 * DDH_TEST_IDLE_MS makes it longer, so that a test's keystrokes all fall within it
 * (test/lsp/server.test.ts).
 */
const HOVER_IDLE_MS = Number(process.env.DDH_TEST_IDLE_MS) || 120;

export interface UserSettings {
  productionSettingsModule?: string;
  djangoVersion?: string;
  disabledRules?: string[];
  severityOverrides?: Record<string, Severity | 'off'>;
}

const SETTING_KEYS = ['productionSettingsModule', 'djangoVersion', 'disabledRules', 'severityOverrides'] as const;

/**
 * The settings in what an editor sent: initializationOptions (`{ settings: {...} }`, `{
 * djangoDeployHygiene: {...} }` or the keys themselves) or a didChangeConfiguration payload (`{
 * djangoDeployHygiene: {...} }`, or with `section` false the keys themselves). Values of the wrong
 * type are dropped; undefined when nothing usable was sent.
 */
export function settingsFrom(raw: unknown, sectionOnly: boolean): UserSettings | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const inner = (o[CONFIG_SECTION] ?? (sectionOnly ? undefined : (o.settings ?? o))) as Record<string, unknown> | undefined;
  if (!inner || typeof inner !== 'object' || !SETTING_KEYS.some((k) => k in inner)) return undefined;
  const out: UserSettings = {};
  if (typeof inner.productionSettingsModule === 'string') out.productionSettingsModule = inner.productionSettingsModule;
  if (typeof inner.djangoVersion === 'string') out.djangoVersion = inner.djangoVersion;
  if (Array.isArray(inner.disabledRules)) out.disabledRules = inner.disabledRules.filter((c): c is string => typeof c === 'string');
  if (inner.severityOverrides && typeof inner.severityOverrides === 'object') {
    const levels = new Set(['error', 'warning', 'information', 'hint', 'off']);
    out.severityOverrides = Object.fromEntries(
      Object.entries(inner.severityOverrides as Record<string, unknown>).filter(
        (e): e is [string, Severity | 'off'] => typeof e[1] === 'string' && levels.has(e[1]),
      ),
    );
  }
  return out;
}

interface OpenDoc {
  text: TextDocument;
  /** Parsed form, for Python files (none while the buffer is over the size limit). */
  py?: PythonDocument;
  isPython?: boolean;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export class DeployHygieneServer {
  private readonly open = new Map<string, OpenDoc>();
  private workspace: Workspace | undefined;
  private folders: string[] = [];
  private userSettings: UserSettings = {};
  /** The settings as they apply in each workspace folder (resource scope: a folder may set its own). */
  private folderSettings = new Map<string, UserSettings>();
  private supportsConfiguration = false;
  private supportsWorkspaceFolders = false;
  /**
   * What was last published for each file: the version of the open document (or the text of the
   * closed file) and the findings it came from, and the diagnostics sent.
   */
  private readonly published = new Map<
    string,
    { readonly version: number | undefined; readonly text: string | undefined; readonly findings: string; readonly json: string }
  >();
  private readonly analyses = new Map<string, ProjectAnalysis>();
  /** The analyses run for diagnostics (MEMORY_REQUEST reports them). */
  private readonly analysisCount = { settings: 0, migrations: 0 };
  /**
   * Each project's migration analysis (by root), kept apart from the settings analysis: typing in a
   * settings module never runs the migration rules (only a change of the database vendor or Django
   * version does), and typing in a migration never evaluates more than the migration analysis needs.
   */
  private readonly migrationAnalyses = new Map<string, { analysis: ProjectAnalysis; files: readonly string[]; key: string }>();
  /** Each project's migration change set (git, see changes.ts), once known. */
  private readonly changeSets = new Map<string, ChangeSet>();
  /** Projects whose migrations are to be analysed again, and whether their change set must be asked of git first. */
  private readonly pendingMigrations = new Set<string>();
  private readonly staleChangeSets = new Set<string>();
  private refreshingChangeSets: Promise<void> | undefined;
  /** The analyses again with fixes, built on demand for code actions (see fixedFindings). */
  private readonly withFixes = new Map<string, { generation: number; based: ProjectAnalysis; analysis: ProjectAnalysis }>();
  private readonly migrationsWithFixes = new Map<string, { generation: number; based: ProjectAnalysis; analysis: ProjectAnalysis }>();
  private pending = new Set<string>();
  private pendingAll = false;
  private scheduled = false;
  private generation = 0;
  /** The analysis pass under way, if any (a pass yields between projects; see runPass). */
  private running: Promise<void> | undefined;
  /** Projects (roots) a pass set aside to take an edit first: the next round analyses them. */
  private readonly pendingRoots = new Set<string>();
  /** Resolves when the parser is loaded. */
  private ready: Promise<unknown> = Promise.resolve();
  private readonly baseFs: FileSystem;

  /** Django's own check --deploy results, per project root (run on request by the client). */
  private readonly djangoChecks = new Map<string, DjangoCheckResult>();
  /** When each project's findings last changed (ms since epoch), to tell a stale Django answer. */
  private readonly changedAt = new Map<string, number>();
  /** [tool.django-deploy-check] warnings already shown (each once per session). */
  private readonly configWarned = new Set<string>();

  /** Whether the typing practice (practice.ts) was started: once a session, for one project. */
  private practised = false;
  /** The typing practice under way, if any. */
  private practice: TypingPractice | undefined;
  /** The developer has typed: no practice from then on (their keystrokes are the practice). */
  private typedYet = false;
  /** When the last edit of an open document came in (performance.now()). */
  private editedAt = -Infinity;
  /** When the last analysis pass ended (performance.now()): the practice's first step waits for quiet after it. */
  private analysedAt = 0;
  /** Whether typing practice runs after a project's first analysis (DDH_NO_PRACTICE=1 turns it off: a benchmark without it). */
  practiceEnabled = !process.env.DDH_NO_PRACTICE;

  /** Projects (roots; '*' for every one) a stopped worker was analysing: not analysed until one of their files is edited. */
  private readonly quarantined = new Set<string>();

  /** See PASS_BUDGET_MS (tests set a smaller one). */
  passBudgetMs = PASS_BUDGET_MS;

  /** Called after each analysis round (tests and benchmarks wait on it). */
  onAnalyzed?: (files: string[]) => void;

  constructor(
    private readonly connection: Connection,
    baseFs?: FileSystem,
  ) {
    this.baseFs = baseFs ?? new NodeFileSystem(undefined, STAT_FRESH_MS);
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => this.initialized());
    connection.onDidOpenTextDocument((p) => this.didOpen(p));
    connection.onDidChangeTextDocument((p) => this.didChange(p));
    connection.onDidCloseTextDocument((p) => this.didClose(p.textDocument.uri));
    connection.onDidChangeWatchedFiles((p) => {
      for (const change of p.changes) {
        const file = uriToPath(change.uri);
        if (!file || this.open.has(file)) continue;
        this.released(file);
        // created (1) and deleted (3) change the set of modules; changed (2) only the content
        this.workspace?.invalidate(file, change.type !== 2);
        // a models module changed on disk: git's facts for DDM012 (which apps' models changed) are asked again
        if (isMigrationFile(file) || isModelsFile(file)) this.migrationsChanged(file, true);
        this.schedule(file);
      }
    });
    connection.onDidChangeConfiguration(async (p) => {
      // Clients without workspace/configuration (many editors) push the settings in the notification.
      const pushed = settingsFrom((p as { settings?: unknown } | undefined)?.settings, true);
      if (!this.supportsConfiguration && pushed) this.userSettings = pushed;
      await this.loadSettings();
      this.workspace?.invalidate('', true);
      this.scheduleAll();
    });
    connection.onNotification(QUARANTINE_NOTIFICATION, (p: QuarantineParams) => {
      for (const root of p.roots) this.quarantined.add(root);
    });
    connection.onHover((p) => this.hover(p));
    connection.onCodeAction((p) => this.codeActions(p));
    connection.onRequest(CHECKLIST_REQUEST, () => this.checklist());
    connection.onRequest(CHECKLIST_MARKDOWN_REQUEST, (p: MarkdownParams) => this.checklistMarkdown(p));
    connection.onRequest(SETTINGS_VIEW_REQUEST, (p: SettingsViewParams | undefined) => this.settingsViewOf(p ?? {}));
    connection.onRequest(MEMORY_REQUEST, (): MemoryStats => {
      forcedGc()?.();
      const m = process.memoryUsage();
      return {
        heapUsed: m.heapUsed,
        rss: m.rss,
        external: m.external + m.arrayBuffers,
        openDocuments: this.open.size,
        analyses: { ...this.analysisCount },
      };
    });
    connection.onNotification(DJANGO_CHECK_RESULT, (p: DjangoCheckResult) => {
      this.djangoChecks.set(p.root, p);
      void this.connection.sendNotification(CHECKLIST_CHANGED);
    });
    connection.onExecuteCommand(async (p) => {
      if (p.command === SHOW_DOCS_COMMAND && typeof p.arguments?.[0] === 'string') {
        await this.connection.window.showDocument({ uri: p.arguments[0], external: true }).catch(() => undefined);
      }
      if (p.command === CHECKLIST_COMMAND) return this.checklist();
      if (p.command === CHECKLIST_MARKDOWN_COMMAND)
        return this.checklistMarkdown((p.arguments?.[0] as MarkdownParams | undefined) ?? { ticked: [] });
      return null;
    });
    connection.onShutdown(() => {
      if (this.hoverTimer) clearTimeout(this.hoverTimer);
      this.hoverTimer = undefined;
      this.hoversDue.clear();
      for (const d of this.open.values()) d.py?.dispose();
      this.open.clear();
    });
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.folders = initialFolders(params);
    this.supportsConfiguration = !!params.capabilities.workspace?.configuration;
    this.supportsWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
    const init = settingsFrom(params.initializationOptions, false);
    if (init) this.userSettings = init;
    this.ready = loadParser();
    // A request that needs the analysis (the checklist) may come before `initialized`: it runs it then.
    this.pendingAll = true;
    return initializeResult();
  }

  private async initialized(): Promise<void> {
    if (this.supportsConfiguration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION }).catch(() => undefined);
      const settings = this.loadSettings();
      // while the client answers: the files of the workspace folders are listed (the settings do not
      // change them), which the first pass would otherwise do after the answer
      this.ws().listFolders();
      await settings;
    }
    if (this.supportsWorkspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.folders = this.folders.filter((x) => x !== uriToPath(f.uri));
        for (const f of e.added) {
          const p = uriToPath(f.uri);
          if (p) this.folders.push(p);
        }
        this.workspace = undefined;
        // a new folder may have settings of its own
        void this.loadSettings().then(() => this.scheduleAll());
      });
    }
    await this.ready;
    this.scheduleAll();
  }

  /** The settings of the window, and of each workspace folder (which VS Code resolves with the folder's own over the workspace's). */
  private async loadSettings(): Promise<void> {
    if (!this.supportsConfiguration) return;
    const folders = [...this.folders];
    try {
      const answers = (await this.connection.workspace.getConfiguration(configurationItems(folders))) as (UserSettings | null)[];
      if (answers[0]) this.userSettings = answers[0];
      this.folderSettings = new Map(folders.map((f, i) => [f, answers[i + 1] ?? this.userSettings]));
    } catch {
      // the client may not answer; keep what we have
    }
  }

  private ws(): Workspace {
    if (!this.workspace) {
      const fs = new OverlayFileSystem(this.baseFs, (p) => this.open.get(p)?.text.getText());
      let folders = this.folders;
      if (folders.length === 0) folders = [...new Set([...this.open.keys()].map((f) => path.dirname(f)))];
      this.workspace = new Workspace(fs, folders);
      for (const [file, doc] of this.open) if (doc.py) this.workspace.setOpenDocument(file, doc.py);
    }
    return this.workspace;
  }

  /** The analysis options: each workspace folder's settings, and the first folder's for files outside every folder. */
  private options(): AnalysisOptions {
    const byFolder: Record<string, FolderOptions> = {};
    for (const f of this.folders) byFolder[f] = this.folderOptions(this.folderSettings.get(f) ?? this.userSettings);
    const first = this.folders[0];
    return { ...(first ? byFolder[first] : this.folderOptions(this.userSettings)), byFolder };
  }

  /**
   * The workspace's projects, found within the pass budget (discovery and version detection stop at
   * it, as the CLI's --time-limit makes them): a discovery cut short is not cached, so the next
   * call looks again; ws.unfinishedProjects then names the folders it did not read.
   */
  private projects(options: AnalysisOptions = this.options()): DjangoProject[] {
    // ProjectOptions.runDeadline is the last millisecond within the budget (discovery is late after it)
    return this.ws().projects({ ...options, runDeadline: Date.now() + this.passBudgetMs - 1 });
  }

  /** A folder's editor settings as analysis options (each project's pyproject.toml goes under them, in the core). */
  private folderOptions(u: UserSettings): FolderOptions {
    return {
      productionSettingsModule: u.productionSettingsModule || undefined,
      djangoVersion: u.djangoVersion || undefined,
      disabledRules: u.disabledRules ?? [],
      severityOverrides: u.severityOverrides ?? {},
    };
  }

  // ---- documents -------------------------------------------------------------------------------

  private didOpen(p: DidOpenTextDocumentParams): void {
    const file = uriToPath(p.textDocument.uri);
    if (!file) return;
    const text = TextDocument.create(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
    const doc: OpenDoc = { text };
    this.open.get(file)?.py?.dispose(); // opened again without a close: free the old tree
    this.open.set(file, doc);
    const isPython = file.endsWith('.py') || p.textDocument.languageId === 'python';
    doc.isPython = isPython;
    void this.ready.then(() => {
      // a buffer over the size limit is not parsed: the analysis reports it as too large
      if (isPython && this.open.get(file) === doc && !doc.py && !textTooLarge(doc.text.getText())) {
        doc.py = PythonDocument.parse(doc.text.getText(), { incremental: true });
        this.workspace?.setOpenDocument(file, doc.py);
      }
      if (this.workspace && !this.workspace.scanFor(file)) this.workspace = undefined; // a loose file
      this.workspace?.invalidate(file);
      if (isMigrationFile(file)) this.migrationsChanged(file, false);
      this.schedule(file);
    });
  }

  private didChange(p: DidChangeTextDocumentParams): void {
    const file = uriToPath(p.textDocument.uri);
    if (!file) return;
    const doc = this.open.get(file);
    if (!doc) return;
    for (const change of p.contentChanges) {
      if ('range' in change) {
        const start = doc.text.offsetAt(change.range.start);
        const end = doc.text.offsetAt(change.range.end);
        // past the size limit the buffer is no longer parsed (and is parsed again once back under it)
        if (doc.py && doc.text.getText().length - (end - start) + change.text.length > MAX_FILE_BYTES) this.dropParsed(file, doc);
        doc.text = TextDocument.update(doc.text, [change], p.textDocument.version ?? doc.text.version + 1);
        doc.py?.applyEdit(start, end, change.text, doc.text.getText());
      } else {
        doc.text = TextDocument.update(doc.text, [change], p.textDocument.version ?? doc.text.version + 1);
        if (doc.py && textTooLarge(change.text)) this.dropParsed(file, doc);
        doc.py?.replaceAll(change.text);
      }
    }
    if (doc.py && textTooLarge(doc.text.getText())) this.dropParsed(file, doc);
    else if (!doc.py && doc.isPython && isParserLoaded() && !textTooLarge(doc.text.getText())) {
      doc.py = PythonDocument.parse(doc.text.getText(), { incremental: true });
      this.workspace?.setOpenDocument(file, doc.py);
    }
    this.workspace?.invalidate(file);
    if (isMigrationFile(file)) this.migrationsChanged(file, false);
    this.released(file);
    this.typedYet = true;
    this.editedAt = performance.now();
    this.schedule(file);
  }

  /** Whether the developer is typing: an edit came in less than HOVER_IDLE_MS ago. */
  private typing(): boolean {
    return performance.now() - this.editedAt < HOVER_IDLE_MS;
  }

  /** An edit (in a buffer or on disk) lets the stopped project that holds the file be analysed again. */
  private released(file: string): void {
    if (this.quarantined.size === 0) return;
    this.quarantined.delete('*');
    for (const root of this.quarantined) if (file === root || file.startsWith(root + path.sep)) this.quarantined.delete(root);
  }

  /** Stops parsing an open buffer (it grew past the size limit); its text stays in the overlay. */
  private dropParsed(file: string, doc: OpenDoc): void {
    doc.py?.dispose();
    doc.py = undefined;
    this.workspace?.closeDocument(file);
  }

  private didClose(uri: string): void {
    const file = uriToPath(uri);
    if (!file) return;
    this.open.get(file)?.py?.dispose();
    this.open.delete(file);
    this.workspace?.closeDocument(file);
    if (isMigrationFile(file)) this.migrationsChanged(file, false);
    this.schedule(file);
  }

  // ---- migrations ------------------------------------------------------------------------------

  /** The project a file belongs to: the innermost whose root holds it. */
  private ownerOf(file: string, projects: readonly DjangoProject[]): DjangoProject | undefined {
    let best: DjangoProject | undefined;
    for (const p of projects) if (file.startsWith(p.root + path.sep) && (!best || p.root.length > best.root.length)) best = p;
    return best;
  }

  /**
   * A migration file was opened, edited, closed, or changed on disk (`onDisk`: its project's change
   * set is asked of git again). Its project's migrations are analysed on the next round.
   */
  private migrationsChanged(file: string, onDisk: boolean): void {
    let projects: DjangoProject[];
    try {
      projects = this.projects();
    } catch {
      return;
    }
    const owner = this.ownerOf(file, projects);
    if (!owner) return;
    if (onDisk) this.staleChangeSets.add(owner.root);
    this.pendingMigrations.add(owner.root);
  }

  /** Asks git for the change sets marked stale (every project's after a full pass); then analyses their migrations. */
  private refreshChangeSets(projects: readonly DjangoProject[]): void {
    if (this.refreshingChangeSets || this.staleChangeSets.size === 0) return;
    const roots = new Set(this.staleChangeSets);
    this.staleChangeSets.clear();
    const ws = this.ws();
    this.refreshingChangeSets = (async () => {
      const cache: RepositoryChangesCache = new Map(); // git is asked once per repository
      for (const p of projects) {
        if (!roots.has(p.root)) continue;
        try {
          const cs = await migrationChangeSet(p.root, projectMigrationFiles(ws, p, projects), {}, undefined, cache);
          const before = this.changeSets.get(p.root);
          this.changeSets.set(p.root, cs);
          if (cs.fallback && before?.fallback !== cs.fallback)
            this.connection.console.info(
              `Django Deploy Hygiene: ${p.root}: ${cs.fallback}; the editor reports on open migrations and ${cs.description}.`,
            );
          const facts = (c: ChangeSet): string => [c.scope, ...c.files, '', ...c.untracked, '', ...c.modelsChanged].join('\0');
          if (!before || facts(before) !== facts(cs)) this.pendingMigrations.add(p.root);
        } catch (e) {
          this.connection.console.error(`Django Deploy Hygiene: the migration change set of ${p.root}: ${(e as Error).message}`);
        }
      }
    })().finally(() => {
      this.refreshingChangeSets = undefined;
      if (this.staleChangeSets.size > 0 || this.pendingMigrations.size > 0) this.kick();
    });
  }

  /** The migration files analysed for a project: its change set, and its open migration files. */
  private migrationFilesFor(project: DjangoProject, projects: readonly DjangoProject[]): string[] {
    const files = new Set(this.changeSets.get(project.root)?.files ?? []);
    for (const file of this.open.keys()) if (isMigrationFile(file) && this.ownerOf(file, projects) === project) files.add(file);
    return [...files].sort();
  }

  /** What the migration rules depend on besides the files: the database vendor and the Django version. */
  private static migrationKey(a: ProjectAnalysis): string {
    return `${databaseVendor(a.settings, a.project.noProductionReason).kind}|${a.project.djangoVersion.version}|${a.project.production?.module.file ?? ''}`;
  }

  // ---- analysis --------------------------------------------------------------------------------

  private schedule(file: string): void {
    this.pending.add(file);
    this.kick();
  }

  private scheduleAll(): void {
    this.pendingAll = true;
    this.kick();
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Coalesce the changes that arrive together; run before the next I/O turn.
    setImmediate(() => {
      this.scheduled = false;
      void this.ready.then(() => this.runPending());
    });
  }

  /** Runs what is pending: starts a pass, or lets the pass under way take the new changes. */
  private runPending(): Promise<void> {
    if (this.running) return this.running;
    const pass = this.runPass().finally(() => {
      this.running = undefined;
    });
    this.running = pass;
    return pass;
  }

  private hasPending(): boolean {
    return this.pending.size > 0 || this.pendingAll || this.pendingRoots.size > 0 || this.pendingMigrations.size > 0;
  }

  /**
   * Analyses the projects the pending changes affect, until nothing is pending. A workspace with
   * many projects takes a while: the pass lets other messages in (an edit, a hover) every SLICE_MS;
   * when an edit arrived meanwhile, it takes it before the projects it had not reached yet, and
   * analyses the edited project first.
   */
  private async runPass(): Promise<void> {
    let slice = performance.now();
    const passDeadline = slice + this.passBudgetMs;
    const touched: string[] = [];
    let announce = false;
    // a pass that analysed everything (the start, a configuration change) announces the checklist at once
    let full = false;
    while (this.hasPending()) {
      const files = [...this.pending];
      const all = this.pendingAll;
      const roots = new Set(this.pendingRoots);
      this.pending.clear();
      this.pendingAll = false;
      this.pendingRoots.clear();
      if (all) announce = full = true;
      const generation = ++this.generation;
      let projects: DjangoProject[];
      const options = this.options();
      try {
        projects = this.projects(options);
      } catch (e) {
        this.connection.console.error(`Django Deploy Hygiene: could not read the workspace: ${(e as Error).message}`);
        return;
      }
      // finding the projects ran out of the pass budget: the projects it did not reach are not gone
      // (what they published stays) and are looked for again on the next pass
      const unfound = this.ws().unfinishedProjects;
      let outOfTime = unfound.length > 0;
      if (outOfTime)
        this.connection.console.warn(
          `Django Deploy Hygiene: the analysis pass ran out of its ${this.passBudgetMs / 1000} s budget while finding the projects; ${unfound.length} folder${unfound.length === 1 ? ' that looks like a project was' : 's that look like projects were'} not read this time (${unfound.join(', ')}): they are looked for again on the next pass.`,
        );
      // a migration file is the migration analysis's (below), not a reason to evaluate the settings again
      const edited = (p: DjangoProject, prev: ProjectAnalysis | undefined): boolean =>
        files.some((f) => prev?.files.has(f) || (!isMigrationFile(f) && isProjectFile(p, f)));
      const first: DjangoProject[] = [];
      const then: DjangoProject[] = [];
      for (const p of projects) {
        const prev = this.analyses.get(p.root);
        // a stopped worker was analysing it: left alone until one of its files is edited (released())
        if (this.quarantined.size > 0 && (this.quarantined.has('*') || this.quarantined.has(p.root))) continue;
        if (edited(p, prev)) first.push(p);
        else if (all || !prev || roots.has(p.root)) then.push(p);
      }
      const affected = [...first, ...then];
      for (const [index, project] of affected.entries()) {
        if (performance.now() > passDeadline) {
          const left = affected.slice(index);
          this.connection.console.warn(
            `Django Deploy Hygiene: the analysis pass ran out of its ${this.passBudgetMs / 1000} s budget; ${left.length} project${left.length === 1 ? ' was' : 's were'} not analysed this time (${left.map((p) => p.root).join(', ')}): they are analysed when a file of theirs changes.`,
          );
          outOfTime = true;
          break;
        }
        if (performance.now() - slice > SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
          if (this.hasPending()) {
            // an edit came in: take it first, then come back for the projects not reached yet
            for (const p of affected.slice(index)) this.pendingRoots.add(p.root);
            break;
          }
        }
        try {
          this.analysisCount.settings++;
          const analysis = analyzeProject(this.ws(), project, {
            ...options,
            fixes: false,
            reuseModules: true,
            isCancelled: () => generation !== this.generation,
          });
          const previous = this.analyses.get(project.root);
          this.analyses.set(project.root, analysis);
          for (const w of project.config.warnings ?? []) {
            const text = `${project.config.file}: ${w}`;
            // a notification (window/showMessage, type 2 = warning): nothing to answer
            if (!this.configWarned.has(text) && this.configWarned.add(text))
              void this.connection.sendNotification('window/showMessage', { type: 2, message: `Django Deploy Hygiene: ${text}` });
          }
          if (previous && findingsKey(previous) !== findingsKey(analysis)) this.changedAt.set(project.root, Date.now());
          // the checklist may change where no diagnostic does (an item unknown before, known now)
          announce = true;
          // the files just edited first: what the developer is typing into is answered before the rest
          const toPublish = new Set([...DeployHygieneServer.filesOf(previous), ...DeployHygieneServer.filesOf(analysis)]);
          for (const file of files) if (toPublish.delete(file)) touched.push(...this.publishFile(file));
          for (const file of toPublish) touched.push(...this.publishFile(file));
          // after the diagnostics (making the hovers, every setting's production value, delayed the
          // server's first diagnostics), when typing pauses
          this.queueSettingHovers(analysis);
        } catch (e) {
          if (e instanceof EvaluationCancelled) continue;
          this.connection.console.error(`Django Deploy Hygiene: analysis of ${project.root} failed: ${(e as Error).stack ?? e}`);
        }
      }
      if (!outOfTime) {
        // a full pass (start, settings changed): every change set is asked of git again
        if (all) for (const p of projects) this.staleChangeSets.add(p.root);
        this.refreshChangeSets(projects);
        for (const p of projects) {
          // the vendor or the Django version changed: the migration rules' advice may change
          const settings = this.analyses.get(p.root);
          const m = this.migrationAnalyses.get(p.root);
          if (settings && (all || (m && m.key !== DeployHygieneServer.migrationKey(settings)))) this.pendingMigrations.add(p.root);
        }
        const roots = new Set(this.pendingMigrations);
        this.pendingMigrations.clear();
        // the checklist's migrations item may change even when no diagnostics do (a change set now known, empty)
        if (roots.size > 0) announce = true;
        for (const project of projects) {
          if (!roots.has(project.root)) continue;
          const previous = this.migrationAnalyses.get(project.root);
          const migrationFiles = this.migrationFilesFor(project, projects);
          try {
            let next: { analysis: ProjectAnalysis; files: readonly string[]; key: string } | undefined;
            if (migrationFiles.length > 0) {
              this.analysisCount.migrations++;
              const analysis = analyzeMigrations(this.ws(), project, migrationFiles, {
                ...options,
                migrationGit: migrationGitFacts(this.changeSets.get(project.root)),
                fixes: false,
                isCancelled: () => generation !== this.generation,
              });
              next = { analysis, files: migrationFiles, key: DeployHygieneServer.migrationKey(analysis) };
              this.migrationAnalyses.set(project.root, next);
            } else this.migrationAnalyses.delete(project.root);
            for (const file of new Set([
              ...DeployHygieneServer.filesOf(previous?.analysis),
              ...DeployHygieneServer.filesOf(next?.analysis),
            ]))
              touched.push(...this.publishFile(file));
          } catch (e) {
            if (e instanceof EvaluationCancelled) {
              this.pendingMigrations.add(project.root);
              continue;
            }
            this.connection.console.error(
              `Django Deploy Hygiene: migration analysis of ${project.root} failed: ${(e as Error).stack ?? e}`,
            );
          }
        }
      }
      if (outOfTime) {
        // the projects left out wait for a change of theirs; edits already pending get a pass of their own
        this.pendingAll = false;
        this.pendingRoots.clear();
        if (this.pending.size > 0) setImmediate(() => this.kick());
        break;
      }
      // Projects that disappeared: clear what they published.
      for (const [root, analysis] of this.analyses) {
        if (projects.some((p) => p.root === root)) continue;
        this.analyses.delete(root);
        for (const file of new Set(DeployHygieneServer.filesOf(analysis))) touched.push(...this.publishFile(file));
      }
      for (const [root, m] of this.migrationAnalyses) {
        if (projects.some((p) => p.root === root)) continue;
        this.migrationAnalyses.delete(root);
        this.changeSets.delete(root);
        for (const file of new Set(DeployHygieneServer.filesOf(m.analysis))) touched.push(...this.publishFile(file));
      }
    }
    if (touched.length > 0 || announce) this.announceChecklist(full);
    this.onAnalyzed?.(touched);
    // the launcher can now save a code cache that covers a whole first analysis
    if (this.analyses.size > 0) setImmediate(analysedProject);
    this.analysedAt = performance.now();
    this.startPractice();
  }

  /**
   * Starts the typing practice (practice.ts), once a session, unless the developer has typed
   * already: for the project of a document open in the editor (the first analysed otherwise), in
   * the largest module its production settings read. One project only: a workspace of twenty
   * would otherwise keep a core busy for half a minute after the start.
   */
  private startPractice(): void {
    if (!this.practiceEnabled || this.practised || this.typedYet) return;
    const candidates = [...this.analyses.values()].filter((a) => a.evaluation);
    const chosen = candidates.find((a) => [...this.open.keys()].some((f) => a.files.has(f))) ?? candidates[0];
    const file = chosen?.evaluation ? practiceModule(this.ws(), chosen.evaluation.files) : undefined;
    if (!chosen || !file) return;
    this.practised = true;
    this.practice = new TypingPractice(this.ws(), chosen.project, file, { ...this.options(), fixes: false, reuseModules: true });
    this.practiseWhenIdle();
  }

  /**
   * One practice step when nothing else is to be done (a pass, a change waiting), each in a turn of
   * its own so that a message coming in waits for one step at most; over at the developer's first edit.
   */
  private practiseWhenIdle(): void {
    setImmediate(() => {
      const practice = this.practice;
      if (!practice) return;
      if (this.typedYet) {
        practice.finish();
        this.practice = undefined;
        return;
      }
      if (this.running || this.scheduled || this.hasPending()) {
        setTimeout(() => this.practiseWhenIdle(), PRACTICE_WAIT_MS);
        return;
      }
      const quiet = performance.now() - this.analysedAt;
      if (practice.count === 0 && quiet < PRACTICE_QUIET_MS) {
        setTimeout(() => this.practiseWhenIdle(), PRACTICE_QUIET_MS - quiet);
        return;
      }
      if (practice.step()) this.practiseWhenIdle();
      else {
        this.practice = undefined;
        this.connection.console.log(
          `Django Deploy Hygiene: typing practice in ${practice.file}: ${practice.count} keystrokes analysed in ${Math.round(practice.spent)} ms.`,
        );
      }
    });
  }

  /** Files whose diagnostics an analysis determines: its configuration's files and where it found things. */
  private static filesOf(a: ProjectAnalysis | undefined): string[] {
    if (!a) return [];
    return [...a.files, ...a.findings.map((f) => f.loc.file)];
  }

  private publishFile(file: string): string[] {
    const findings = this.analysesFindings(file);
    const version = this.open.get(file)?.text.version;
    // a diagnostic is made of its finding and of the text it is placed in (its range): the same
    // findings in the same text (the same version of an open document) give the
    // same diagnostics, which are not made again (a keystroke in one module re-analyses the
    // project, whose other files' findings are nearly always those they had)
    const text = version === undefined ? this.ws().text(file) : undefined;
    const said = findingsText(findings);
    const before = this.published.get(file);
    if (before && before.findings === said && before.text === text && before.version === version) return [];
    const diagnostics = findings.map((f) => this.toDiagnostic(f)).filter((d): d is Diagnostic => !!d);
    // the same diagnostics for the same version of the file (none: for any version) are not sent
    // again: a keystroke in base.py re-analyses production.py too, which usually gives what it gave
    const json = JSON.stringify(diagnostics);
    this.published.set(file, { version, text, findings: said, json });
    if (before && before.json === json && (before.version === version || diagnostics.length === 0)) return [];
    void this.connection.sendDiagnostics({ uri: pathToUri(file), version, diagnostics });
    return [file];
  }

  private analysesFindings(file: string): Finding[] {
    const out: Finding[] = [];
    for (const a of this.allAnalyses()) for (const f of a.findings) if (f.loc.file === file) out.push(f);
    return out;
  }

  /** The settings analyses, then the migration analyses. */
  private *allAnalyses(): Iterable<ProjectAnalysis> {
    yield* this.analyses.values();
    for (const m of this.migrationAnalyses.values()) yield m.analysis;
  }

  private positionAt(file: string, offset: number): { line: number; character: number } | undefined {
    const open = this.open.get(file);
    if (open) return open.text.positionAt(offset);
    return this.ws().positionAt(file, offset) ?? (offset === 0 ? { line: 0, character: 0 } : undefined);
  }

  private toDiagnostic(f: Finding): Diagnostic | undefined {
    const start = this.positionAt(f.loc.file, f.loc.start);
    const end = this.positionAt(f.loc.file, f.loc.end);
    if (!start || !end) return undefined;
    const rule = ruleByCode(f.code);
    const docs = rule ? ruleDocsUrl(rule) : '';
    const data: DiagnosticData = { django: f.django, docs };
    if (f.joined?.length) data.joined = [...f.joined];
    return {
      range: { start, end },
      severity: SEVERITY[f.severity],
      code: f.code,
      codeDescription: rule ? { href: docs } : undefined,
      source: SOURCE,
      message: escapeControl(f.message),
      data,
    };
  }

  /**
   * The `# noqa` fix of the published finding a diagnostic of `file` shows, when a trailing comment
   * can be put on its line. Made when code actions are asked for: made for every diagnostic
   * published, it was a third of what each keystroke sent.
   */
  private noqaFor(file: string, d: Diagnostic): Fix | undefined {
    for (const a of this.allAnalyses()) {
      const f = a.findings.find((x) => x.loc.file === file && x.code === d.code && this.sameRange(x, d.range));
      if (!f) continue;
      if (!takesTrailingComment(this.ws().fs.readText(file), f.loc)) return undefined;
      return new Fixer(this.ws(), a.project, new Map(), a.project.production?.module.file).noqa(f.loc, f.code);
    }
    return undefined;
  }

  /** A WorkspaceEdit for fixes, versioned for open documents (a stale edit is then refused). */
  private workspaceEdit(fixes: readonly Fix[]): WorkspaceEdit | undefined {
    const byFile = new Map<string, Fix['edits'][number][]>();
    for (const fix of fixes) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
    for (const fix of fixes) {
      for (const c of fix.creates ?? []) {
        const u = pathToUri(c.file);
        documentChanges.push({ kind: 'create', uri: u, options: { ignoreIfExists: true } });
        documentChanges.push({
          textDocument: { uri: u, version: null },
          edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text }],
        });
      }
    }
    for (const [file, edits] of byFile) {
      const ranges = [];
      for (const e of edits) {
        const start = this.positionAt(file, e.start);
        const end = this.positionAt(file, e.end);
        if (!start || !end) return undefined;
        ranges.push({ range: { start, end }, newText: e.newText });
      }
      documentChanges.push({ textDocument: { uri: pathToUri(file), version: this.open.get(file)?.text.version ?? null }, edits: ranges });
    }
    return { documentChanges };
  }

  // ---- code actions ----------------------------------------------------------------------------

  private codeActions(p: CodeActionParams): CodeAction[] {
    const only = p.context.only;
    const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll));
    if (wantsFixAll) return this.fixAll(p.textDocument.uri);
    if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
    const actions: CodeAction[] = [];
    const seen = new Set<string>();
    const file = uriToPath(p.textDocument.uri);
    for (const d of p.context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const data = d.data as DiagnosticData | undefined;
      if (!data) continue;
      const finding = file ? this.fixedFindings(file).find((f) => f.code === d.code && this.sameRange(f, d.range)) : undefined;
      for (const fix of finding?.fixes ?? []) {
        const key = fix.title;
        if (seen.has(key)) continue;
        const edit = this.workspaceEdit([fix]);
        if (!edit) continue;
        seen.add(key);
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit,
          isPreferred: fix.safety === 'safe' && !fix.companion,
        });
      }
      const noqa = file ? this.noqaFor(file, d) : undefined;
      const noqaEdit = noqa ? this.workspaceEdit([noqa]) : undefined;
      if (noqa && noqaEdit) actions.push({ title: noqa.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: noqaEdit });
      if (data.docs && !seen.has(`docs:${d.code}`)) {
        seen.add(`docs:${d.code}`);
        actions.push({
          title: `Show documentation for ${d.code}`,
          kind: CodeActionKind.QuickFix,
          command: { title: `Show documentation for ${d.code}`, command: SHOW_DOCS_COMMAND, arguments: [data.docs] },
        });
      }
    }
    return actions;
  }

  /** source.fixAll: every safe fix for findings in this document whose edits stay in it. */
  private fixAll(docUri: string): CodeAction[] {
    const file = uriToPath(docUri);
    if (!file) return [];
    const fixes = this.fixedFindings(file)
      .flatMap((f) => f.fixes)
      .filter((x) => x.safety === 'safe' && !x.companion && !x.bundle && !x.creates?.length && x.edits.every((e) => e.file === file));
    const chosen = compatibleFixes(fixes);
    if (chosen.length === 0) return [];
    const edit = this.workspaceEdit(chosen);
    return edit ? [{ title: `Fix all safe Django Deploy Hygiene problems (${chosen.length})`, kind: FIX_ALL_KIND, edit }] : [];
  }

  /**
   * The findings of a file with their fixes: the projects owning it analysed again with fixes on,
   * once per state of the workspace (a code action request usually comes in bursts as the cursor
   * moves, and fix-all on save follows).
   */
  private fixedFindings(file: string): Finding[] {
    const out: Finding[] = [];
    for (const [root, a] of this.analyses) {
      if (!a.findings.some((f) => f.loc.file === file)) continue;
      let cached = this.withFixes.get(root);
      if (!cached || cached.generation !== this.generation || cached.based !== a) {
        try {
          cached = {
            generation: this.generation,
            based: a,
            analysis: analyzeProject(this.ws(), a.project, { ...this.options(), fixes: true, reuseModules: true }),
          };
        } catch (e) {
          this.connection.console.error(`Django Deploy Hygiene: building fixes for ${root} failed: ${(e as Error).stack ?? e}`);
          continue;
        }
        this.withFixes.set(root, cached);
      }
      for (const f of cached.analysis.findings) if (f.loc.file === file) out.push(f);
    }
    for (const [root, m] of this.migrationAnalyses) {
      if (!m.analysis.findings.some((f) => f.loc.file === file)) continue;
      let cached = this.migrationsWithFixes.get(root);
      if (!cached || cached.generation !== this.generation || cached.based !== m.analysis) {
        try {
          cached = {
            generation: this.generation,
            based: m.analysis,
            analysis: analyzeMigrations(this.ws(), m.analysis.project, m.files, {
              ...this.options(),
              migrationGit: migrationGitFacts(this.changeSets.get(root)),
              fixes: true,
            }),
          };
        } catch (e) {
          this.connection.console.error(`Django Deploy Hygiene: building migration fixes for ${root} failed: ${(e as Error).stack ?? e}`);
          continue;
        }
        this.migrationsWithFixes.set(root, cached);
      }
      for (const f of cached.analysis.findings) if (f.loc.file === file) out.push(f);
    }
    return out;
  }

  private sameRange(f: Finding, range: Diagnostic['range']): boolean {
    const start = this.positionAt(f.loc.file, f.loc.start);
    const end = this.positionAt(f.loc.file, f.loc.end);
    return (
      !!start &&
      !!end &&
      start.line === range.start.line &&
      start.character === range.start.character &&
      end.line === range.end.line &&
      end.character === range.end.character
    );
  }

  // ---- hover -----------------------------------------------------------------------------------

  /** The last setting hovers of each project (by root), as sent to the supervisor. */
  private readonly settingHovers = new Map<string, SettingHoversParams>();
  /**
   * Analyses whose setting hovers are still to be computed and sent. Computing them goes over every
   * setting of every module production reads (the settings view, its markdown, the positions of
   * each assignment): on a 5,000-line base, several times the cost of the statement-level
   * re-evaluation of a keystroke (issue 31). So they are computed when typing pauses
   * (HOVER_IDLE_MS after the last analysis), not after each keystroke's analysis, and before a
   * hover this thread answers itself.
   */
  private readonly hoversDue = new Map<string, ProjectAnalysis>();
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;

  private queueSettingHovers(a: ProjectAnalysis): void {
    // a project's first hovers too: a developer who types as soon as the diagnostics show would
    // wait for them (the generated 5,000-line base's first keystroke: ~40 ms of its ~100 through
    // the server). A checklist asked for before typing starts sends them first (checklists()).
    this.hoversDue.set(a.project.root, a);
    this.armHoverTimer();
  }

  private armHoverTimer(): void {
    if (this.hoverTimer) clearTimeout(this.hoverTimer);
    this.hoverTimer = setTimeout(() => {
      this.hoverTimer = undefined;
      // an edit came in, or a pass is under way: wait until it is done (its analyses queue theirs)
      if (this.hasPending() || this.running) this.armHoverTimer();
      else {
        this.flushSettingHovers();
        this.flushChecklistAnnouncement();
        // and what the next keystroke's analysis would build first from the kept evaluations
        const ws = this.workspace;
        if (ws) for (const a of this.analyses.values()) prepareForTyping(ws, a.project);
      }
    }, HOVER_IDLE_MS);
  }

  /** Whether a checklist changed by an edit is still to be announced (see announceChecklist). */
  private checklistDue = false;
  private checklistAnnounced = false;

  /**
   * Tells the client that the checklist may have changed. The VS Code client asks for it again at
   * once (and for the production settings view, when one is open), and building it computes the
   * setting hovers first (see checklists): on DefectDojo's settings.dist.py that work, done after
   * every keystroke's analysis, made the next keystroke's diagnostics wait behind it (issue 31). So
   * the first announcement of this worker (which tells the client the workspace was analysed) and
   * those of a pass that analysed everything go out at once; one after an edit goes out when typing
   * pauses, HOVER_IDLE_MS after the last analysis, with the hovers. A client asking for the
   * checklist meanwhile gets it as the pending analyses leave it (settled).
   */
  private announceChecklist(now: boolean): void {
    if (now || !this.checklistAnnounced) {
      this.checklistAnnounced = true;
      this.checklistDue = false;
      void this.connection.sendNotification(CHECKLIST_CHANGED);
      return;
    }
    this.checklistDue = true;
    this.armHoverTimer();
  }

  private flushChecklistAnnouncement(): void {
    if (!this.checklistDue) return;
    this.checklistDue = false;
    void this.connection.sendNotification(CHECKLIST_CHANGED);
  }

  private flushSettingHovers(): void {
    const due = [...this.hoversDue.values()];
    this.hoversDue.clear();
    for (const a of due) this.sendSettingHovers(a);
  }

  /** Where each setting is written and what it is in production, to the protocol thread (when it changed). */
  private sendSettingHovers(a: ProjectAnalysis): void {
    const root = a.project.root;
    const params: SettingHoversParams = { root, files: [] };
    if (a.settings) {
      const places = settingPlaces(a.settings, a.modules);
      const entries = new Map(
        settingsView(
          {
            root,
            settings: a.settings,
            modules: a.modules,
            secrets: a.secrets,
            lineOf: (file, offset) => this.positionAt(file, offset)?.line,
          },
          { names: new Set(places.map((p) => p.name)) },
        ).map((e) => [e.name, e]),
      );
      const byFile = new Map<string, { range: Range; markdown: string }[]>();
      for (const p of places) {
        const e = entries.get(p.name);
        const start = this.positionAt(p.file, p.start);
        const end = this.positionAt(p.file, p.end);
        if (!e || !start || !end) continue;
        const list = byFile.get(p.file) ?? [];
        list.push({ range: { start, end }, markdown: settingHoverMarkdown(e) });
        byFile.set(p.file, list);
      }
      for (const [file, hovers] of byFile) params.files.push({ uri: pathToUri(file), hovers });
    }
    const before = this.settingHovers.get(root);
    if (before && JSON.stringify(before) === JSON.stringify(params)) return;
    this.settingHovers.set(root, params);
    void this.connection.sendNotification(SETTING_HOVERS_NOTIFICATION, params);
  }

  private hover(p: HoverParams): Hover | null {
    this.flushSettingHovers();
    const file = uriToPath(p.textDocument.uri);
    const open = file ? this.open.get(file) : undefined;
    if (!file || !open) return null;
    const offset = open.text.offsetAt(p.position);
    const setting = settingHoverAt(this.settingHovers.values(), p.textDocument.uri, p.position);
    const hits = this.analysesFindings(file).filter((f) => f.loc.start <= offset && offset <= f.loc.end);
    if (hits.length === 0)
      return setting ? { contents: { kind: MarkupKind.Markdown, value: setting.markdown }, range: setting.range } : null;
    // a finding that says two rules' findings together shows both rules' documentation
    const codes = [...new Set(hits.flatMap((h) => [h.code, ...(h.joined ?? [])]))];
    const first = hits[0]!;
    const value = [...(setting ? [setting.markdown] : []), rulesHoverMarkdown(codes)].join('\n\n---\n\n');
    return {
      contents: { kind: MarkupKind.Markdown, value },
      range: { start: open.text.positionAt(first.loc.start), end: open.text.positionAt(first.loc.end) },
    };
  }

  // ---- checklist ---------------------------------------------------------------------------------

  /** Resolves when nothing is pending or under way: what is pending runs now rather than after the next tick. */
  private async settled(): Promise<void> {
    await this.ready;
    // bounded: edits that keep arriving must not keep a request waiting for ever
    for (let round = 0; round < 20; round++) {
      if (this.scheduled || this.hasPending()) {
        this.scheduled = false;
        await this.runPending();
      } else if (this.running) await this.running;
      else if (this.refreshingChangeSets) await this.refreshingChangeSets;
      else return;
    }
  }

  private async checklists(): Promise<Checklist[]> {
    await this.settled();
    // (the hovers go out first: a client that asked for the checklist once the analysis settled
    // finds them on the protocol thread too, as it did when they were sent after each analysis;
    // but not while the developer types: the VS Code client asks for the checklist as soon as the
    // first analysis is announced, and the hovers of a 5,000-line base took ~50 ms, which the next
    // keystroke waited for. They go out when typing pauses.)
    if (!this.typing()) this.flushSettingHovers();
    const projects = this.projects();
    const out: Checklist[] = [];
    for (const p of projects) {
      const a = this.analyses.get(p.root);
      if (!a) continue;
      // the migrations item is computed from the migration analysis (its rules' findings and outcomes)
      const m = this.migrationAnalyses.get(p.root)?.analysis;
      const cs = this.changeSets.get(p.root);
      const merged: ProjectAnalysis = m
        ? { ...a, findings: [...a.findings, ...m.findings], outcomes: new Map([...a.outcomes, ...m.outcomes]) }
        : a;
      const files = this.migrationFilesFor(p, projects);
      const open = files.filter((f) => !cs?.files.includes(f)).length;
      out.push(
        buildChecklist(this.ws(), merged, {
          checked: !!m || cs !== undefined,
          count: files.length,
          description: cs
            ? changeSetLine(cs, open)
            : `${open} open migration${open === 1 ? '' : 's'} checked (the change set is not known yet)`,
        }),
      );
    }
    return out;
  }

  private async checklist(): Promise<ChecklistResult> {
    const lists = (await this.checklists()).map((c) => this.toWire(c));
    // labels and descriptions escaped as in every output; uris are looked up, not shown
    return { checklists: escapeControlDeep(lists, { multiline: ['detail'], verbatim: ['uri', 'rootUri', 'root'] }) };
  }

  /**
   * The production settings of one project (or all) as the CLI's `settings` command prints them, from
   * the analyses this worker keeps (after the pending ones), with paths relative to the workspace folder.
   */
  private async settingsViewOf(p: SettingsViewParams): Promise<SettingsViewResult> {
    await this.settled();
    const diff = p.diff === true;
    const parts: string[] = [];
    for (const project of this.projects()) {
      if (p.root !== undefined && project.root !== p.root) continue;
      const a = this.analyses.get(project.root);
      if (!a) continue;
      const base = this.folders.find((f) => project.root === f || project.root.startsWith(f + path.sep)) ?? project.root;
      const rel = (file: string): string => path.relative(base, file).split(path.sep).join('/') || '.';
      const prod = project.production;
      const settings = a.settings
        ? settingsView(
            {
              root: base,
              settings: a.settings,
              modules: a.modules,
              secrets: a.secrets,
              lineOf: (file, offset) => this.positionAt(file, offset)?.line,
            },
            { diff },
          )
        : [];
      const report = {
        root: rel(project.root),
        module: prod?.module.name ?? null,
        file: prod ? rel(prod.module.file) : null,
        reason: prod ? null : (project.noProductionReason ?? null),
        djangoVersion: project.djangoVersion.version,
        settings,
      };
      // escaped as the CLI's output is: control characters from the settings never reach the editor raw
      parts.push(
        settingsViewReportText(report, diff)
          .split('\n')
          .map((line) => escapeControl(line))
          .join('\n'),
      );
    }
    return { text: parts.join('\n'), projects: parts.length };
  }

  private async checklistMarkdown(p: MarkdownParams): Promise<string> {
    const lists = await this.checklists();
    // `<project root>#<item id>`, as the client remembers ticks
    const ticked = new Set<string>(p.ticked ?? []);
    const root = this.folders[0] ?? '';
    const where = (loc: Loc): string | undefined => {
      const pos = this.positionAt(loc.file, loc.start);
      const rel = path.relative(root, loc.file).split(path.sep).join('/');
      return escapeControl(pos ? `${rel}:${pos.line + 1}` : rel);
    };
    return checklistMarkdown(escapeControlDeep(lists, { multiline: ['detail'], verbatim: ['file', 'root'] }), where, ticked);
  }

  private wireLoc(loc: Loc | undefined): Pick<WireEntry, 'uri' | 'range'> {
    if (!loc) return {};
    const start = this.positionAt(loc.file, loc.start);
    const end = this.positionAt(loc.file, loc.end);
    return { uri: pathToUri(loc.file), range: start && end ? { start, end } : undefined };
  }

  private toWire(c: Checklist): WireChecklist {
    const dj = this.djangoChecks.get(c.root);
    // Django answered about the files as they were: after a change that moved the findings, its
    // answer no longer confirms or overrides anything (the run row says to run it again).
    const stale = dj !== undefined && (this.changedAt.get(c.root) ?? 0) > Date.parse(dj.ranAt);
    const reported = new Map<string, string>();
    for (const m of dj?.ok && !stale ? dj.messages : []) reported.set(m.id, m.message);
    const mapped = new Set<string>();
    const groups: WireGroup[] = c.groups.map((g) => ({
      id: g.id,
      title: g.title,
      items: g.items.map((item): WireItem => {
        const entries: WireEntry[] = item.entries.map((e) => {
          const rule = e.code ? ruleByCode(e.code) : undefined;
          const confirmed = rule?.django?.some((id) => reported.has(id));
          return {
            label: e.label,
            code: e.code,
            severity: e.severity,
            ...this.wireLoc(e.loc),
            django: confirmed ? 'confirmed' : undefined,
          };
        });
        let status = item.status;
        let description = item.description;
        // Django found something this item mirrors that the static analysis did not.
        for (const id of item.django) {
          if (!reported.has(id)) continue;
          mapped.add(id);
          if (entries.some((e) => e.django === 'confirmed' && e.code && ruleByCode(e.code)?.django?.includes(id))) continue;
          entries.push({ label: `Django ${id}: ${reported.get(id)}`, django: 'django' });
          if (status !== 'failing') {
            status = 'failing';
            description = `Django reports ${id}`;
          }
        }
        return {
          id: item.id,
          title: item.title,
          status,
          description,
          detail: item.detail,
          entries,
          manual: item.manual,
          rules: item.rules,
          django: item.django,
        };
      }),
    }));
    if (dj?.ok && !stale) {
      const other = [...reported].filter(([id]) => !mapped.has(id));
      if (other.length > 0) {
        groups.push({
          id: 'django',
          title: "Django's check --deploy",
          items: [
            {
              id: 'django-other',
              title: 'Other findings of check --deploy',
              status: 'failing',
              description: `${other.length} more`,
              detail: other.map(([id, m]) => `${id}: ${m}`).join('\n'),
              entries: other.map(([id, m]) => ({ label: `${id}: ${m}`, django: 'django' as const })),
              manual: false,
              rules: [],
              django: other.map(([id]) => id),
            },
          ],
        });
      }
    }
    const counts = { failing: 0, attention: 0, unknown: 0, passed: 0, manual: 0 };
    for (const g of groups) for (const i of g.items) counts[i.status]++;
    return {
      root: c.root,
      rootUri: pathToUri(c.root),
      name: c.name,
      production: c.production
        ? { module: c.production.module, uri: pathToUri(c.production.file), reason: c.production.reason }
        : undefined,
      noProductionReason: c.noProductionReason,
      djangoVersion: c.djangoVersion,
      settingsModules: c.settingsModules.map((m) => ({ name: m.name, uri: pathToUri(m.file) })),
      summary: {
        evidence: c.summary.production?.evidence,
        environment: c.summary.environment.map((e) => ({ ...e })),
        versions: c.summary.versions.map((v) => ({ ...v })),
        repositoryRoot: c.summary.repositoryRoot,
        ...(c.summary.deployment
          ? { deployment: { files: [...c.summary.deployment.files], variables: c.summary.deployment.variables.map((v) => ({ ...v })) } }
          : {}),
        unread: [...c.summary.unread],
      },
      groups,
      counts,
      djangoCheck: dj
        ? {
            ranAt: dj.ranAt,
            ok: dj.ok,
            stale,
            summary: dj.ok
              ? `check --deploy reported ${dj.messages.length} issue${dj.messages.length === 1 ? '' : 's'}${stale ? ' before the latest changes' : ''}`
              : `check --deploy could not run: ${dj.error ?? 'unknown error'}`,
          }
        : undefined,
    };
  }

  /** For tests: the current analysis of each project. */
  get currentAnalyses(): ReadonlyMap<string, ProjectAnalysis> {
    return this.analyses;
  }
}

/** What a project's findings are, to notice that an edit changed them. */
function findingsKey(a: ProjectAnalysis): string {
  return a.findings.map((f) => `${f.code}@${f.loc.file}:${f.loc.start}`).join('|');
}

/**
 * Whether `# noqa` can be appended to the finding's line without changing what the file does.
 * Dockerfiles and systemd units have no trailing comments: the text would end up in the command
 * (an exec-form CMD falls back to shell form, ExecStart passes `#` to the server); YAML block
 * scalars and backslash-continued lines would swallow it too.
 */
export function takesTrailingComment(text: string | undefined, loc: Loc): boolean {
  const kind = classify(path.basename(loc.file));
  if (kind === 'dockerfile' || kind === 'systemd') return false;
  if (text === undefined) return false;
  let end = text.indexOf('\n', loc.start);
  if (end < 0) end = text.length;
  const line = text.slice(text.lastIndexOf('\n', loc.start - 1) + 1, end).replace(/\r$/, '');
  if (/\\$/.test(line)) return false;
  if (kind === 'compose') {
    // only a line that is itself `key: value` or `- item` (not the inside of a block or quoted scalar)
    if (!/^\s*(?:-\s+|[\w.-]+\s*:\s+)/.test(line) || /:\s*[|>][-+]?\s*$/.test(line)) return false;
    const start = text.lastIndexOf('\n', loc.start - 1) + 1;
    const before = text.slice(0, start);
    // the previous line opens a block scalar: this line belongs to it
    const prev =
      before
        .replace(/\r?\n$/, '')
        .split(/\r?\n/)
        .pop() ?? '';
    if (/:\s*[|>][-+]?\s*$/.test(prev) && /^\s*/.exec(line)![0].length > /^\s*/.exec(prev)![0].length) return false;
  }
  return true;
}

function isProjectFile(p: DjangoProject, file: string): boolean {
  return file === p.root || file.startsWith(p.root + path.sep) || p.files.some((f) => f.path === file);
}

/**
 * V8's gc(), for MEMORY_REQUEST's figures after a full collection: the global one when the process
 * runs with --expose-gc, or else one taken from a new context once the flag is set at run time (the
 * server runs with no V8 flags, see SERVER_EXEC_ARGV in the client).
 */
function forcedGc(): (() => void) | undefined {
  const global = (globalThis as { gc?: () => void }).gc;
  if (global) return global;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** What of each finding its diagnostic shows (with the text it is placed in, the diagnostic), unambiguously. */
function findingsText(findings: readonly Finding[]): string {
  return JSON.stringify(findings.map((f) => [f.code, f.severity, f.loc.start, f.loc.end, f.django, f.joined, f.message]));
}
