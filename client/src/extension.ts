// The VS Code side: starts the language server (dist/server.js) and renders what it sends —
// diagnostics and code actions (through vscode-languageclient), the production checklist view and
// the status-bar count. All analysis lives in the server; nothing here reads settings files or runs
// the user's code, except "Run Django's check --deploy", on request, in a trusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  CHECKLIST_CHANGED,
  CHECKLIST_MARKDOWN_REQUEST,
  CHECKLIST_REQUEST,
  DJANGO_CHECK_RESULT,
  type ChecklistResult,
  type DjangoCheckResult,
  type WireChecklist,
} from '../../server/src/protocol';
import { ChecklistView, type ChecklistNode } from './checklistView';
import { runDjangoCheck } from './djangoCheck';
import { installPreCommitHook } from './preCommit';

const CLIENT_ID = 'djangoDeployHygiene';
const CLIENT_NAME = 'Django Deploy Hygiene';
const VIEW_ID = 'djangoDeployHygiene.checklist';

/** Files the server reads besides Python modules: process, environment and dependency files. */
export const WATCHED_GLOB =
  '**/{*.py,Procfile,Procfile.*,Dockerfile,Dockerfile.*,*.dockerfile,Containerfile,Containerfile.*,docker-compose*.yml,docker-compose*.yaml,compose*.yml,compose*.yaml,*.service,.env,.env.*,*.sh,entrypoint,start,requirements*.txt,pyproject.toml,Pipfile,Pipfile.lock,poetry.lock,uv.lock,pdm.lock,setup.cfg,.gitignore,*.md,Caddyfile,nginx.conf,*.conf}';

/**
 * Node options of the language server. Re-analysing after each keystroke allocates a lot of
 * short-lived values; a larger young generation (32 MB semi-spaces instead of 16) halves the
 * minor collections, which were about a fifth of the edit-to-diagnostics time on a 4,000-line
 * module (npm run bench measures the server with the same options).
 */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=32'];

let client: LanguageClient | undefined;

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
      return { action: CloseAction.DoNotRestart, message: `${CLIENT_NAME}: the language server stopped 5 times in 3 minutes and will not be restarted. See the output channel for details.` };
    }
    this.output.warn('The language server stopped; restarting it.');
    if (!this.told) {
      this.told = true;
      // with a button the toast shows the whole message (without one it is cut to a line, before "restarted")
      void vscode.window.showWarningMessage(`${CLIENT_NAME}: the language server stopped unexpectedly and was restarted.`, 'Show Output')
        .then((a) => a && this.output.show());
    }
    return { action: CloseAction.Restart, handled: true };
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  // Django's results live in the server's memory; a restarted server (after a crash) would forget
  // them and the checklist would silently drop what Django confirmed, so the client keeps the last
  // result per project and hands it to every new server.
  const djangoResults = new Map<string, DjangoCheckResult>();
  const view = new ChecklistView(context.workspaceState, (root) => djangoResults.get(root));
  const tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: view, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('djangoDeployHygiene.status', vscode.StatusBarAlignment.Left, 50);
  status.name = CLIENT_NAME;
  status.command = 'djangoDeployHygiene.showChecklist';
  context.subscriptions.push(tree, status);

  const updateSurfaces = (): void => {
    const lists = view.checklists ?? [];
    void vscode.commands.executeCommand('setContext', 'djangoDeployHygiene.noProject', view.checklists !== undefined && lists.length === 0);
    if (lists.length === 0) {
      status.hide();
      tree.badge = undefined;
      return;
    }
    const failing = view.failingCount();
    status.text = failing > 0 ? `$(shield) ${failing} failing` : '$(shield) checklist ok';
    status.tooltip = `${CLIENT_NAME}: ${failing} production checklist item${failing === 1 ? '' : 's'} failing — click to open the checklist`;
    // without it a screen reader reads the icon's name ("shield") before the count
    status.accessibilityInformation = { label: failing > 0 ? `${failing} production checklist item${failing === 1 ? '' : 's'} failing` : 'Production checklist: nothing failing' };
    status.backgroundColor = failing > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
    tree.badge = failing > 0 ? { value: failing, tooltip: `${failing} failing` } : undefined;
    tree.message = lists.length === 1 ? view.summary(lists[0]!) : undefined;
  };

  const refresh = async (): Promise<void> => {
    if (!client?.isRunning()) return;
    try {
      const result = await client.sendRequest<ChecklistResult>(CHECKLIST_REQUEST);
      view.set(result.checklists);
      updateSurfaces();
    } catch (e) {
      output.error(`Could not get the checklist: ${(e as Error).message}`);
    }
  };

  const pickChecklist = async (): Promise<WireChecklist | undefined> => {
    const lists = view.checklists ?? [];
    if (lists.length <= 1) return lists[0];
    const pick = await vscode.window.showQuickPick(
      lists.map((c) => ({ label: c.name, description: c.production?.module, checklist: c })),
      { placeHolder: 'Which Django project?' },
    );
    return pick?.checklist;
  };

  const markDone = async (node: ChecklistNode | undefined, done: boolean | undefined): Promise<void> => {
    if (node?.kind !== 'item' || !node.item.manual) return;
    await view.setDone(node.checklist, node.item, done);
    updateSurfaces();
  };

  // One table of commands: id → handler.
  const commands: Record<string, (...args: never[]) => unknown> = {
    'djangoDeployHygiene.refresh': () => refresh(),
    'djangoDeployHygiene.showChecklist': () => vscode.commands.executeCommand(`${VIEW_ID}.focus`),
    'djangoDeployHygiene.openProductionSettings': async () => {
      const c = await pickChecklist();
      if (!c?.production) return void vscode.window.showWarningMessage('No production settings module is known yet.');
      await vscode.window.showTextDocument(vscode.Uri.parse(c.production.uri));
    },
    'djangoDeployHygiene.chooseProductionSettings': async () => {
      const c = await pickChecklist();
      if (!c) return void vscode.window.showWarningMessage('No Django project found in this workspace.');
      const pick = await vscode.window.showQuickPick(
        c.settingsModules.map((m) => ({ label: m.name, description: m.name === c.production?.module ? 'current' : undefined, detail: vscode.workspace.asRelativePath(vscode.Uri.parse(m.uri)) })),
        { placeHolder: `Production settings module for ${c.name} (stored in the workspace settings)` },
      );
      if (!pick) return;
      await vscode.workspace.getConfiguration('djangoDeployHygiene', vscode.Uri.file(c.root)).update('productionSettingsModule', pick.label, vscode.ConfigurationTarget.Workspace);
    },
    'djangoDeployHygiene.copyChecklistMarkdown': async () => {
      if (!client?.isRunning()) return;
      const md = await client.sendRequest<string>(CHECKLIST_MARKDOWN_REQUEST, { ticked: [...view.ticked()] });
      await vscode.env.clipboard.writeText(md);
      void vscode.window.showInformationMessage('Production checklist copied as Markdown.');
    },
    'djangoDeployHygiene.runDjangoCheck': async () => {
      if (!client) return;
      if (view.checklists === undefined) await refresh(); // run before the server's first answer
      if ((view.checklists ?? []).length === 0) return void vscode.window.showWarningMessage('No Django project found in this workspace.');
      const c = await pickChecklist();
      if (!c) return; // the quick pick was dismissed
      const result = await runDjangoCheck(c, output);
      if (!result) return;
      djangoResults.set(result.root, result);
      await client.sendNotification(DJANGO_CHECK_RESULT, result);
    },
    'djangoDeployHygiene.installPreCommitHook': () => installPreCommitHook(context),
    // the row's click toggles; the inline actions say what they do (one per state, each with its own icon)
    'djangoDeployHygiene.toggleManualItem': (node: ChecklistNode) => markDone(node, undefined),
    'djangoDeployHygiene.markManualItemDone': (node: ChecklistNode) => markDone(node, true),
    'djangoDeployHygiene.markManualItemNotDone': (node: ChecklistNode) => markDone(node, false),
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6011'] } },
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
      // start scripts without an extension (cookiecutter-django's compose/production/django/start)
      { scheme: 'file', pattern: '**/{entrypoint,start}' },
      { scheme: 'file', pattern: '**/Containerfile*' },
    ],
    synchronize: { fileEvents: watcher, configurationSection: 'djangoDeployHygiene' },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new RestartingErrorHandler(output),
    initializationOptions: { trusted: vscode.workspace.isTrusted },
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  context.subscriptions.push(client);
  // Listeners registered before start survive server restarts.
  context.subscriptions.push(client.onNotification(CHECKLIST_CHANGED, () => void refresh()));
  context.subscriptions.push(client.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      // sent before the checklist request below, so the server has merged them when it answers
      for (const r of djangoResults.values()) void client?.sendNotification(DJANGO_CHECK_RESULT, r);
    }
    void refresh();
  }));
  await client.start();
  await refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
