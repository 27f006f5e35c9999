// "Choose the Production Settings Module": a quick pick of the project's settings modules (the one
// in effect says why), and "Detect automatically" while a choice is stored. The choice goes to the
// workspace settings (in a multi-root workspace, those of the project's folder), which the server
// reads for each folder.
import * as vscode from 'vscode';
import type { Checklists } from './checklists';
import { CLIENT_ID } from './shared';

export async function chooseProductionSettings(checklists: Checklists): Promise<void> {
  const c = await checklists.chooseProject();
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
  // each module says why it is production or why not (a production.py no deployment uses says so)
  for (const m of c.settingsModules) {
    const current = m.name === c.production?.module;
    const file = vscode.workspace.asRelativePath(vscode.Uri.parse(m.uri));
    items.push({
      label: m.name,
      description: current ? 'production now' : file,
      detail: current ? `Production because ${c.production!.reason}` : m.why ? `Not production: ${m.why}` : file,
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
}
