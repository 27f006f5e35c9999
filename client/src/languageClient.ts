// The language client: starts the language server (dist/server.js) over IPC, restarting it when it
// dies (at most 5 times in 3 minutes), for the documents the server analyses, with the file events
// of what it reads besides them and the extension's settings section.
import * as vscode from 'vscode';
import * as path from 'node:path';
import {
  CloseAction,
  type DocumentSelector,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CLIENT_ID, CLIENT_NAME, type Shared } from './shared';

/** Files the server reads besides Python modules: process, environment and dependency files. */
export const WATCHED_GLOB =
  '**/{*.py,Procfile,Procfile.*,Dockerfile,Dockerfile.*,*.dockerfile,Containerfile,Containerfile.*,docker-compose*.yml,docker-compose*.yaml,compose*.yml,compose*.yaml,*.service,.env,.env.*,*.sh,entrypoint,start,requirements*.txt,pyproject.toml,Pipfile,Pipfile.lock,poetry.lock,uv.lock,pdm.lock,setup.cfg,.gitignore,*.md,Caddyfile,Caddyfile.*,*.caddyfile,nginx.conf,*.conf,*.nginx,*.yml,*.yaml,*.toml,app.json,railway.json,*.ini,*.env,Makefile,makefile,GNUmakefile,package.json,runtime.txt,.python-version}';

/**
 * Node options of the language server: none. The analysis worker's larger young generation (32 MB
 * semi-spaces, for the many short-lived values of re-analysing after a keystroke) is its own
 * resource limit (supervisor.ts): with a V8 flag such as --max-semi-space-size on the command line,
 * Node 20 started the worker ~30 ms slower. npm run bench starts the server with these options.
 */
export const SERVER_EXEC_ARGV: string[] = [];

/** The documents the server analyses: Python modules, and process, deployment, environment and server files. */
const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', language: 'procfile' },
  { scheme: 'file', language: 'dotenv' },
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'file', pattern: '**/*.service' },
  { scheme: 'file', pattern: '**/{docker-compose,compose}*.{yml,yaml}' },
  { scheme: 'file', pattern: '**/*.sh' },
  // start scripts without an extension (cookiecutter-django's compose/production/django/start)
  { scheme: 'file', pattern: '**/{entrypoint,start}' },
  { scheme: 'file', pattern: '**/Containerfile*' },
  // nginx configurations and Caddyfiles (the reverse proxy rules report on them)
  { scheme: 'file', pattern: '**/*.{conf,nginx}' },
  { scheme: 'file', pattern: '**/{Caddyfile,Caddyfile.*,*.caddyfile}' },
  // Kubernetes manifests, platform files and app-server configs (the deployment rules report on them)
  { scheme: 'file', pattern: '**/*.{yml,yaml}' },
  { scheme: 'file', pattern: '**/{fly*.toml,railway.toml,nixpacks.toml,app.json,railway.json}' },
  { scheme: 'file', pattern: '**/*.ini' },
  // environment files a compose service loads (env_file:), whatever their name, and the Makefiles
  // and package.json scripts a process runs (make serve, npm run serve)
  { scheme: 'file', pattern: '**/{.env,.env.*,*.env}' },
  { scheme: 'file', pattern: '**/{Makefile,makefile,GNUmakefile,package.json}' },
];

/** Restarts the server when it dies, and says so once per session. */
class RestartingErrorHandler implements ErrorHandler {
  private told = false;
  private restarts: number[] = [];

  constructor(private readonly output: vscode.LogOutputChannel) {}

  error(): { action: ErrorAction } {
    return { action: ErrorAction.Continue };
  }

  closed(): { action: CloseAction; message?: string; handled?: boolean } {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 3 * 60_000);
    this.restarts.push(now);
    if (this.restarts.length > 5) {
      return {
        action: CloseAction.DoNotRestart,
        message: `${CLIENT_NAME}: the language server stopped 5 times in 3 minutes and will not be restarted. See the output channel for details.`,
      };
    }
    this.output.warn('The language server stopped; restarting it.');
    if (!this.told) {
      this.told = true;
      // with a button the toast shows the whole message (without one it is cut to a line, before "restarted")
      void vscode.window
        .showWarningMessage(`${CLIENT_NAME}: the language server stopped unexpectedly and was restarted.`, 'Show Output')
        .then((a) => a && this.output.show());
    }
    return { action: CloseAction.Restart, handled: true };
  }
}

/** The language client of the server (not started yet), its subscriptions in the extension's context. */
export function createLanguageClient(shared: Shared): LanguageClient {
  const { context, output } = shared;
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6011'] },
    },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(WATCHED_GLOB);
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watcher, configurationSection: 'djangoDeployHygiene' },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new RestartingErrorHandler(output),
    initializationOptions: { trusted: vscode.workspace.isTrusted },
  };
  const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client;
}
