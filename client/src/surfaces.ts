// Where the checklist shows besides its own rows: the tree view (its badge and, with one project,
// its message), the status-bar count of failing items, and the context key of the view's "no
// project" welcome text. update() refreshes them from the checklists the view holds.
import * as vscode from 'vscode';
import { CLIENT_NAME, type Shared, VIEW_ID } from './shared';

export interface Surfaces {
  update(): void;
}

/** Creates the tree view and the status-bar item. */
export function registerSurfaces(shared: Shared): Surfaces {
  const { context, view } = shared;
  const tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: view, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('djangoDeployHygiene.status', vscode.StatusBarAlignment.Left, 50);
  status.name = CLIENT_NAME;
  status.command = 'djangoDeployHygiene.showChecklist';
  context.subscriptions.push(tree, status);
  return {
    update: (): void => {
      const lists = view.checklists ?? [];
      void vscode.commands.executeCommand(
        'setContext',
        'djangoDeployHygiene.noProject',
        view.checklists !== undefined && lists.length === 0,
      );
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
      tree.message = lists.length === 1 ? view.headline(lists[0]!) : undefined;
    },
  };
}
