// The VS Code side: starts the language server (dist/server.js) and shows what it sends. All analysis
// lives in the server; nothing here reads settings files or runs the user's code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'djangoDeployHygiene';
const CLIENT_NAME = 'Django Deploy Hygiene';

/** Files the server reads besides Python modules: process and environment files. */
export const WATCHED_GLOB = '**/{*.py,Procfile,Procfile.*,Dockerfile,Dockerfile.*,*.dockerfile,docker-compose*.yml,docker-compose*.yaml,compose*.yml,compose*.yaml,*.service,.env,.env.*,*.sh,requirements*.txt,pyproject.toml,Pipfile,Pipfile.lock,poetry.lock,uv.lock,setup.cfg,.gitignore}';

let client: LanguageClient | undefined;

/** Restarts the server when it dies, and says so once per session. */
class RestartingErrorHandler implements ErrorHandler {
  private told = false;
  private restarts: number[] = [];

  constructor(private readonly output: vscode.LogOutputChannel) {}

  error(): { action: ErrorAction } {
    return { action: ErrorAction.Continue };
  }

  closed(): { action: CloseAction; message?: string } {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 3 * 60_000);
    this.restarts.push(now);
    if (this.restarts.length > 5) {
      return { action: CloseAction.DoNotRestart, message: `${CLIENT_NAME}: the language server stopped 5 times in 3 minutes and will not be restarted. See the output channel for details.` };
    }
    this.output.warn('The language server stopped; restarting it.');
    if (!this.told) {
      this.told = true;
      void vscode.window.showWarningMessage(`${CLIENT_NAME}: the language server stopped unexpectedly and was restarted.`);
    }
    return { action: CloseAction.Restart, handled: true } as { action: CloseAction };
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(WATCHED_GLOB);
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'procfile' },
      { scheme: 'file', language: 'dotenv' },
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'file', pattern: '**/*.service' },
      { scheme: 'file', pattern: '**/{docker-compose,compose}*.{yml,yaml}' },
      { scheme: 'file', pattern: '**/*.sh' },
    ],
    synchronize: { fileEvents: watcher },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new RestartingErrorHandler(output),
    initializationOptions: { trusted: vscode.workspace.isTrusted },
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
