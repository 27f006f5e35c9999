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
  SETTINGS_VIEW_REQUEST,
  type ChecklistResult,
  type DjangoCheckResult,
  type SettingsViewResult,
  type WireChecklist,
} from '../../server/src/protocol';
import { ChecklistView, type ChecklistNode } from './checklistView';
import { runDjangoCheck } from './djangoCheck';
import { installPreCommitHook } from './preCommit';
import { SETTINGS_SCHEME, SettingsDocuments, settingsDocumentUri } from './settingsDocument';

const CLIENT_ID = 'djangoDeployHygiene';
const CLIENT_NAME = 'Django Deploy Hygiene';
const VIEW_ID = 'djangoDeployHygiene.checklist';

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
  // the production settings as Django will see them, in read-only documents the server fills
  const settingsDocuments = new SettingsDocuments((params) =>
    client?.isRunning() ? client.sendRequest<SettingsViewResult>(SETTINGS_VIEW_REQUEST, params) : undefined,
  );
  context.subscriptions.push(settingsDocuments, vscode.workspace.registerTextDocumentContentProvider(SETTINGS_SCHEME, settingsDocuments));

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
    status.accessibilityInformation = {
      label:
        failing > 0 ? `${failing} production checklist item${failing === 1 ? '' : 's'} failing` : 'Production checklist: nothing failing',
    };
    status.backgroundColor = failing > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
    tree.badge = failing > 0 ? { value: failing, tooltip: `${failing} failing` } : undefined;
    tree.message = lists.length === 1 ? view.summary(lists[0]!) : undefined;
  };

  // A server answers a checklist request made before its first analysis of the workspace with no
  // projects, which read as "No Django project found" (in the view's welcome text and in the commands)
  // for the first seconds of a window. It says when that analysis is done (CHECKLIST_CHANGED); until
  // then the view keeps what it showed (nothing, or the last server's checklist) and commands wait.
  let analysed = true;
  let signalAnalysed = (): void => {};
  let whenAnalysed = Promise.resolve();
  const expectAnalysis = (): void => {
    if (!analysed) return; // still waiting: commands already wait for the pending promise
    analysed = false;
    whenAnalysed = new Promise<void>((resolve) => (signalAnalysed = resolve));
  };
  expectAnalysis();

  /** `force`: ask even before the server's first analysis (a command that waited long enough). */
  const refresh = async (force = false): Promise<void> => {
    if (!client?.isRunning() || !(analysed || force)) return;
    try {
      const result = await client.sendRequest<ChecklistResult>(CHECKLIST_REQUEST);
      view.set(result.checklists);
      updateSurfaces();
    } catch (e) {
      output.error(`Could not get the checklist: ${(e as Error).message}`);
    }
  };

  /** The checklists for a command: after the server's first analysis (or 20 s), freshly asked for. */
  const currentChecklists = async (): Promise<WireChecklist[]> => {
    if (!analysed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([whenAnalysed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 20_000)))]);
      clearTimeout(timer);
    }
    await refresh(true);
    return view.checklists ?? [];
  };

  /** Whether the workspace has a Django project; says so when it has none. */
  const hasProjects = async (): Promise<boolean> => {
    if ((await currentChecklists()).length > 0) return true;
    void vscode.window.showWarningMessage('No Django project found in this workspace.');
    return false;
  };

  /** The project a command is about: the only one, or the one the user picks (undefined: none, or dismissed). */
  const chooseProject = async (): Promise<WireChecklist | undefined> => ((await hasProjects()) ? pickChecklist() : undefined);

  const pickChecklist = async (): Promise<WireChecklist | undefined> => {
    const lists = view.checklists ?? [];
    if (lists.length <= 1) return lists[0];
    const pick = await vscode.window.showQuickPick(
      lists.map((c) => ({ label: c.name, description: c.production?.module, checklist: c })),
      { placeHolder: 'Which Django project?' },
    );
    return pick?.checklist;
  };

  /**
   * The quick pick of "Choose the Production Settings Module": every settings module of the project
   * (the one in effect says why), and "Detect automatically" while a choice is stored. The choice goes
   * to the workspace settings (in a multi-root workspace, those of the project's folder), which the
   * server reads for each folder.
   */
  const chooseProductionSettings = async (): Promise<void> => {
    const c = await chooseProject();
    if (!c) return;
    const rootUri = vscode.Uri.file(c.root);
    const config = vscode.workspace.getConfiguration(CLIENT_ID, rootUri);
    // In a multi-root workspace the choice belongs to the project's folder (its .vscode/settings.json):
    // the workspace file's value would apply to every folder.
    const folder = vscode.workspace.getWorkspaceFolder(rootUri);
    const perFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 && folder !== undefined;
    const target = perFolder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
    const inspected = config.inspect<string>('productionSettingsModule');
    const stored = (perFolder ? inspected?.workspaceFolderValue : inspected?.workspaceValue) || undefined;
    const where = perFolder ? 'the folder settings' : 'the workspace settings';
    type Choice = vscode.QuickPickItem & { module: string | undefined };
    const items: Choice[] = [];
    if (stored) {
      items.push({
        label: '$(search) Detect automatically',
        description: `instead of ${stored}`,
        detail: 'From wsgi.py or asgi.py, the Procfile, Dockerfile, docker-compose, systemd units, .env.production, then module names',
        module: undefined,
      });
    }
    for (const m of c.settingsModules) {
      const current = m.name === c.production?.module;
      items.push({
        label: m.name,
        description: current ? `current: ${c.production!.reason}` : undefined,
        detail: vscode.workspace.asRelativePath(vscode.Uri.parse(m.uri)),
        module: m.name,
      });
    }
    const pick = await new Promise<Choice | undefined>((resolve) => {
      const qp = vscode.window.createQuickPick<Choice>();
      qp.title = `Production Settings Module of ${c.name}`;
      qp.placeholder = `The module production runs (stored in ${where})`;
      qp.matchOnDetail = true;
      qp.items = items;
      // Enter alone keeps what is in effect, rather than choosing the first module of the list
      qp.activeItems = items.filter((i) => i.module !== undefined && i.module === c.production?.module);
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0]);
        qp.hide();
      });
      qp.onDidHide(() => {
        resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
    if (!pick) return;
    await config.update('productionSettingsModule', pick.module, target);
    if (!pick.module) return void vscode.window.showInformationMessage('The production settings module is detected again.');
    // with a button the toast shows the whole message (without one it is cut to a line)
    const open = perFolder ? 'Open Folder Settings' : 'Open Workspace Settings';
    const answer = await vscode.window.showInformationMessage(`Production settings module: ${pick.module} (stored in ${where}).`, open);
    if (answer !== open) return;
    if (perFolder && folder) await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
    else await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
  };

  const markDone = async (node: ChecklistNode | undefined, done: boolean | undefined): Promise<void> => {
    if (node?.kind !== 'item' || !node.item.manual) return;
    await view.setDone(node.checklist, node.item, done);
    updateSurfaces();
  };

  // One table of commands: id → handler.
  const commands: Record<string, (...args: never[]) => unknown> = {
    'djangoDeployHygiene.refresh': async () => void (await currentChecklists()),
    'djangoDeployHygiene.showChecklist': () => vscode.commands.executeCommand(`${VIEW_ID}.focus`),
    'djangoDeployHygiene.openProductionSettings': async () => {
      const c = await chooseProject();
      if (!c) return; // no project, or the quick pick was dismissed
      if (!c.production) {
        const choose = 'Choose the Production Settings Module';
        const answer = await vscode.window.showWarningMessage(
          `No production settings module is known for ${c.name}: ${c.noProductionReason ?? 'none was found'}.`,
          choose,
        );
        if (answer === choose) await vscode.commands.executeCommand('djangoDeployHygiene.chooseProductionSettings');
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.parse(c.production.uri));
    },
    'djangoDeployHygiene.chooseProductionSettings': () => chooseProductionSettings(),
    // from the checklist's production row (its node), with a project's root, or from the palette
    'djangoDeployHygiene.showProductionSettings': async (target?: ChecklistNode | string) => {
      const c =
        typeof target === 'string'
          ? (await currentChecklists()).find((x) => x.root === target)
          : target && 'checklist' in target
            ? target.checklist
            : await chooseProject();
      if (!c) return;
      const doc = await vscode.workspace.openTextDocument(settingsDocumentUri(c.name, c.root));
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    'djangoDeployHygiene.copyChecklistMarkdown': async () => {
      if (!client?.isRunning()) return void vscode.window.showWarningMessage(`${CLIENT_NAME}: the language server is not running.`);
      if (!(await hasProjects())) return;
      const md = await client.sendRequest<string>(CHECKLIST_MARKDOWN_REQUEST, { ticked: [...view.ticked()] });
      await vscode.env.clipboard.writeText(md);
      void vscode.window.showInformationMessage('Production checklist copied as Markdown.');
    },
    'djangoDeployHygiene.runDjangoCheck': async () => {
      if (!client) return;
      const c = await chooseProject();
      if (!c) return; // no project, or the quick pick was dismissed
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
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6011'] },
    },
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
  context.subscriptions.push(
    client.onNotification(CHECKLIST_CHANGED, () => {
      if (!analysed) {
        // the first analysis of a new server is done: hand it Django's results before asking for the
        // checklist, so that it has merged them when it answers (sent earlier, the server would announce
        // a change before it has analysed anything, and answer with no projects)
        for (const r of djangoResults.values()) void client?.sendNotification(DJANGO_CHECK_RESULT, r);
        analysed = true;
        signalAnalysed();
      }
      void refresh();
      settingsDocuments.refresh();
    }),
  );
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) expectAnalysis(); // a restarted server analyses from scratch
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
