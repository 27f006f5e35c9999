// The language server: adapts the analysis core to LSP. It keeps the open Python buffers as
// PythonDocuments edited in place (statement-level incremental re-parse), re-analyses the projects a
// change can affect, and publishes diagnostics for every file of each production configuration.
// The class is handed its connection so that tests can drive it in-process or over stdio.
//
// It runs in the analysis worker (worker.ts). Here each message is registered with the family that
// handles it (handlers/: documents, configuration, diagnostics, code actions, hover, checklist,
// settings view, commands); they share one ServerState (serverState.ts), and the analysis passes
// that the changes schedule (scheduler.ts) are analysisPass.ts's, the work done while the developer
// does not type idle.ts's.
import type { Connection } from 'vscode-languageserver';
import type { ProjectAnalysis } from '../analysis/engine/engine';
import type { FileSystem } from '../analysis/files/fs';
import {
  CHECKLIST_MARKDOWN_REQUEST,
  CHECKLIST_REQUEST,
  DJANGO_CHECK_RESULT,
  MEMORY_REQUEST,
  SETTINGS_VIEW_REQUEST,
  type DjangoCheckResult,
  type MarkdownParams,
  type SettingsViewParams,
} from '../protocol';
import { AnalysisPass } from './analysisPass';
import { ChecklistRequests } from './handlers/checklist';
import { CodeActions } from './handlers/codeActions';
import { executeCommand, memoryStats } from './handlers/commands';
import { Configuration } from './handlers/configuration';
import { Diagnostics } from './handlers/diagnostics';
import { Documents } from './handlers/documents';
import { Hovers } from './handlers/hover';
import { settingsViewOf } from './handlers/settingsView';
import { WhenIdle } from './idle';
import { MigrationPass } from './migrationPass';
import { QUARANTINE_NOTIFICATION, type QuarantineParams } from './protocolCommon';
import { Scheduler } from './scheduler';
import { ServerState } from './serverState';

export class DeployHygieneServer {
  private readonly state: ServerState;
  private readonly idle: WhenIdle;

  constructor(connection: Connection, baseFs?: FileSystem) {
    const s = new ServerState(connection, baseFs);
    this.state = s;
    // the scheduler starts the passes, which take what it has pending
    const scheduler: Scheduler = new Scheduler(s, (): Promise<void> => pass.run());
    const diagnostics = new Diagnostics(s);
    const hovers = new Hovers(s);
    const idle = new WhenIdle(s, scheduler, hovers);
    this.idle = idle;
    const migrations = new MigrationPass(s, scheduler, diagnostics);
    const pass = new AnalysisPass(s, scheduler, diagnostics, migrations, idle);
    const configuration = new Configuration(s, scheduler);
    const documents = new Documents(s, scheduler, migrations);
    const codeActions = new CodeActions(s, scheduler);
    const checklist = new ChecklistRequests(s, scheduler, hovers);

    connection.onInitialize((p) => configuration.initialize(p));
    connection.onInitialized(() => configuration.initialized());
    connection.onDidOpenTextDocument((p) => documents.didOpen(p));
    connection.onDidChangeTextDocument((p) => documents.didChange(p));
    connection.onDidCloseTextDocument((p) => documents.didClose(p.textDocument.uri));
    connection.onDidChangeWatchedFiles((p) => documents.didChangeWatchedFiles(p));
    connection.onDidChangeConfiguration((p) => configuration.didChangeConfiguration(p));
    connection.onNotification(QUARANTINE_NOTIFICATION, (p: QuarantineParams) => documents.quarantine(p));
    connection.onHover((p) => hovers.hover(p));
    connection.onCodeAction((p) => codeActions.codeActions(p));
    connection.onRequest(CHECKLIST_REQUEST, () => checklist.checklist());
    connection.onRequest(CHECKLIST_MARKDOWN_REQUEST, (p: MarkdownParams) => checklist.checklistMarkdown(p));
    connection.onRequest(SETTINGS_VIEW_REQUEST, (p: SettingsViewParams | undefined) => settingsViewOf(s, scheduler, p ?? {}));
    connection.onRequest(MEMORY_REQUEST, () => memoryStats(s));
    connection.onNotification(DJANGO_CHECK_RESULT, (p: DjangoCheckResult) => checklist.djangoCheckResult(p));
    connection.onExecuteCommand((p) => executeCommand(s, checklist, p));
    connection.onShutdown(() => {
      idle.stop();
      documents.closeAll();
    });
  }

  /** See ServerState.passBudgetMs (tests set a smaller one). */
  get passBudgetMs(): number {
    return this.state.passBudgetMs;
  }
  set passBudgetMs(ms: number) {
    this.state.passBudgetMs = ms;
  }

  /** Called after each analysis round (tests and benchmarks wait on it). */
  get onAnalyzed(): ((files: string[]) => void) | undefined {
    return this.state.onAnalyzed;
  }
  set onAnalyzed(f: ((files: string[]) => void) | undefined) {
    this.state.onAnalyzed = f;
  }

  /** Whether typing practice runs after a project's first analysis (DDH_NO_PRACTICE=1 turns it off: a benchmark without it). */
  get practiceEnabled(): boolean {
    return this.idle.practiceEnabled;
  }
  set practiceEnabled(on: boolean) {
    this.idle.practiceEnabled = on;
  }

  /** For tests: the current analysis of each project. */
  get currentAnalyses(): ReadonlyMap<string, ProjectAnalysis> {
    return this.state.analyses;
  }
}
