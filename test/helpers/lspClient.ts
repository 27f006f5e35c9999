// A minimal LSP client for tests: starts dist/server.js over stdio and speaks JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

import { SERVER } from './paths';

export { SERVER };

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** How many times diagnostics were published for each URI. */
  readonly publishCount = new Map<string, number>();
  /** The document version the last diagnostics of each URI were published for. */
  readonly publishedVersion = new Map<string, number | undefined>();
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  readonly stderr: string[] = [];
  /** The server's window/logMessage texts, in order. */
  readonly logs: string[] = [];
  /** How many workspace/configuration requests the server sent. */
  configurationRequests = 0;
  /** The methods of the requests the server sent, in order. */
  readonly serverRequests: string[] = [];

  private constructor(readonly proc: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publishCount.set(p.uri, (this.publishCount.get(p.uri) ?? 0) + 1);
      this.publishedVersion.set(p.uri, p.version);
      this.poke();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { scopeUri?: string }[] }) => {
      this.configurationRequests++;
      this.serverRequests.push('workspace/configuration');
      return p.items.map((i) => (i.scopeUri !== undefined ? this.folderSettings[i.scopeUri] : undefined) ?? this.settings);
    });
    this.connection.onRequest('client/registerCapability', () => {
      this.serverRequests.push('client/registerCapability');
      return null;
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.poke();
    });
    proc.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.connection.listen();
  }

  settings: Record<string, unknown> = {};
  /** The settings a workspace folder (by URI) has of its own; the folders without use `settings`. */
  folderSettings: Record<string, Record<string, unknown>> = {};

  /** Starts the server on a workspace of one folder, or of several (multi-root). */
  static async start(
    folders: string | string[],
    settings: Record<string, unknown> = {},
    folderSettings: Record<string, Record<string, unknown>> = {},
    /** More arguments of the server, and variables of its environment. */
    spawnWith: { args?: string[]; env?: Record<string, string> } = {},
  ): Promise<TestClient> {
    const proc = spawn(process.execPath, [SERVER, '--stdio', ...(spawnWith.args ?? [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: spawnWith.env ? { ...process.env, ...spawnWith.env } : process.env,
    });
    const client = new TestClient(proc);
    client.settings = settings;
    client.folderSettings = folderSettings;
    const all = typeof folders === 'string' ? [folders] : folders;
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(all[0]!),
      workspaceFolders: all.map((f) => ({ uri: uri(f), name: path.basename(f) })),
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /**
   * Starts a server the way editors other than VS Code do (Neovim, Helix, Zed, Emacs, Sublime): a
   * command of their configuration, no workspace/configuration support, settings only in
   * initializationOptions; the checklist through workspace/executeCommand.
   */
  static async startBare(command: string, args: string[], folder: string, initializationOptions: unknown): Promise<TestClient> {
    const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestClient(proc);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(folder),
      workspaceFolders: null,
      initializationOptions,
      capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, codeAction: {} } },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  private poke(): void {
    this.waiters = this.waiters.filter((w) => {
      if (w.check()) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  /** Waits until `check` holds (re-evaluated on every diagnostics notification), or fails. */
  waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out waiting for ${what}; diagnostics: ${JSON.stringify([...this.diagnostics.entries()].map(([u, d]) => [u.split('/').slice(-2).join('/'), d.map((x) => x.code)]))}; stderr: ${this.stderr.join('')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  codesFor(file: string): string[] {
    return (this.diagnostics.get(uri(file)) ?? []).map((d) => String(d.code)).sort();
  }

  open(file: string, text: string, languageId = 'python'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId, version: 1, text } });
  }

  change(file: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(file), version },
      contentChanges: changes,
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.proc.kill();
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).href;
}
