// The handshake and the editor's settings: initialize and initialized, the settings of the window and
// of each workspace folder (asked with workspace/configuration, or pushed by clients without it), and
// the workspace folders as they are added and removed. A change of either analyses everything again.
import {
  DidChangeConfigurationNotification,
  type DidChangeConfigurationParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { loadParser } from '../../analysis/parse/treeSitter';
import { CONFIG_SECTION, configurationItems, initialFolders, initializeResult, uriToPath } from '../protocolCommon';
import type { Scheduler } from '../scheduler';
import type { ServerState } from '../serverState';
import { settingsFrom, type UserSettings } from '../userSettings';

export class Configuration {
  private supportsConfiguration = false;
  private supportsWorkspaceFolders = false;

  constructor(
    private readonly s: ServerState,
    private readonly scheduler: Scheduler,
  ) {}

  initialize(params: InitializeParams): InitializeResult {
    this.s.folders = initialFolders(params);
    this.supportsConfiguration = !!params.capabilities.workspace?.configuration;
    this.supportsWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
    const init = settingsFrom(params.initializationOptions, false);
    if (init) this.s.userSettings = init;
    this.s.ready = loadParser();
    // A request that needs the analysis (the checklist) may come before `initialized`: it runs it then.
    this.scheduler.pendingAll = true;
    return initializeResult();
  }

  async initialized(): Promise<void> {
    const connection = this.s.connection;
    if (this.supportsConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION }).catch(() => undefined);
      const settings = this.loadSettings();
      // while the client answers: the files of the workspace folders are listed (the settings do not
      // change them), which the first pass would otherwise do after the answer
      this.s.ws().listFolders();
      await settings;
    }
    if (this.supportsWorkspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.s.folders = this.s.folders.filter((x) => x !== uriToPath(f.uri));
        for (const f of e.added) {
          const p = uriToPath(f.uri);
          if (p) this.s.folders.push(p);
        }
        this.s.workspace = undefined;
        // a new folder may have settings of its own
        void this.loadSettings().then(() => this.scheduler.scheduleAll());
      });
    }
    await this.s.ready;
    this.scheduler.scheduleAll();
  }

  async didChangeConfiguration(p: DidChangeConfigurationParams): Promise<void> {
    // Clients without workspace/configuration (many editors) push the settings in the notification.
    const pushed = settingsFrom((p as { settings?: unknown } | undefined)?.settings, true);
    if (!this.supportsConfiguration && pushed) this.s.userSettings = pushed;
    await this.loadSettings();
    this.s.workspace?.invalidate('', true);
    this.scheduler.scheduleAll();
  }

  /** The settings of the window, and of each workspace folder (which VS Code resolves with the folder's own over the workspace's). */
  private async loadSettings(): Promise<void> {
    if (!this.supportsConfiguration) return;
    const folders = [...this.s.folders];
    try {
      const answers = (await this.s.connection.workspace.getConfiguration(configurationItems(folders))) as (UserSettings | null)[];
      if (answers[0]) this.s.userSettings = answers[0];
      this.s.folderSettings = new Map(folders.map((f, i) => [f, answers[i + 1] ?? this.s.userSettings]));
    } catch {
      // the client may not answer; keep what we have
    }
  }
}
