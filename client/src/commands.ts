// The extension's commands (package.json's contributes.commands), one table of id → handler: the
// checklist and its manual items, the production settings (open, choose, show as Django sees them),
// the checklist as Markdown, Django's own check --deploy, and the pre-commit hook.
import * as vscode from 'vscode';
import { CHECKLIST_MARKDOWN_REQUEST, DJANGO_CHECK_RESULT } from '../../server/src/protocol';
import type { ChecklistNode } from './checklistView';
import type { Checklists } from './checklists';
import { runDjangoCheck } from './djangoCheck';
import { installPreCommitHook } from './preCommit';
import { chooseProductionSettings } from './productionSettings';
import { settingsDocumentUri } from './settingsDocument';
import { CLIENT_NAME, type Shared, VIEW_ID } from './shared';
import type { Surfaces } from './surfaces';

export function registerCommands(shared: Shared, checklists: Checklists, surfaces: Surfaces): void {
  const { context, output, view, djangoResults } = shared;

  const markDone = async (node: ChecklistNode | undefined, done: boolean | undefined): Promise<void> => {
    if (node?.kind !== 'item' || !node.item.manual) return;
    await view.setDone(node.checklist, node.item, done);
    surfaces.update();
  };

  // One table of commands: id → handler.
  const commands: Record<string, (...args: never[]) => unknown> = {
    'djangoDeployHygiene.refresh': async () => void (await checklists.current()),
    'djangoDeployHygiene.showChecklist': () => vscode.commands.executeCommand(`${VIEW_ID}.focus`),
    'djangoDeployHygiene.openProductionSettings': async () => {
      const c = await checklists.chooseProject();
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
    'djangoDeployHygiene.chooseProductionSettings': () => chooseProductionSettings(checklists),
    // from the checklist's production row (its node), with a project's root, or from the palette
    'djangoDeployHygiene.showProductionSettings': async (target?: ChecklistNode | string) => {
      const c =
        typeof target === 'string'
          ? (await checklists.current()).find((x) => x.root === target)
          : target && 'checklist' in target
            ? target.checklist
            : await checklists.chooseProject();
      if (!c) return;
      const doc = await vscode.workspace.openTextDocument(settingsDocumentUri(c.name, c.root));
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    'djangoDeployHygiene.copyChecklistMarkdown': async () => {
      if (!shared.client?.isRunning()) return void vscode.window.showWarningMessage(`${CLIENT_NAME}: the language server is not running.`);
      if (!(await checklists.hasProjects())) return;
      const md = await shared.client.sendRequest<string>(CHECKLIST_MARKDOWN_REQUEST, { ticked: [...view.ticked()] });
      await vscode.env.clipboard.writeText(md);
      void vscode.window.showInformationMessage('Production checklist copied as Markdown.');
    },
    'djangoDeployHygiene.runDjangoCheck': async () => {
      if (!shared.client) return;
      const c = await checklists.chooseProject();
      if (!c) return; // no project, or the quick pick was dismissed
      const result = await runDjangoCheck(c, output);
      if (!result) return;
      djangoResults.set(result.root, result);
      await shared.client.sendNotification(DJANGO_CHECK_RESULT, result);
    },
    'djangoDeployHygiene.installPreCommitHook': () => installPreCommitHook(context),
    // the row's click toggles; the inline actions say what they do (one per state, each with its own icon)
    'djangoDeployHygiene.toggleManualItem': (node: ChecklistNode) => markDone(node, undefined),
    'djangoDeployHygiene.markManualItemDone': (node: ChecklistNode) => markDone(node, true),
    'djangoDeployHygiene.markManualItemNotDone': (node: ChecklistNode) => markDone(node, false),
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));
}
