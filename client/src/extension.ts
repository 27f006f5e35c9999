// The VS Code side: starts the language server (dist/server.js) and renders what it sends —
// diagnostics and code actions (through vscode-languageclient), the production checklist view and
// the status-bar count. All analysis lives in the server; nothing here reads settings files or runs
// the user's code, except "Run Django's check --deploy", on request, in a trusted workspace.
//
// activate() is a list of registrations, each in its module: the checklist's surfaces (surfaces.ts),
// the settings documents (settingsDocument.ts), the client's copy of the checklists (checklists.ts),
// the commands (commands.ts), the language client (languageClient.ts) and what the server tells it.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  CHECKLIST_CHANGED,
  DJANGO_CHECK_RESULT,
  SETTINGS_VIEW_REQUEST,
  type DjangoCheckResult,
  type SettingsViewResult,
} from '../../server/src/protocol';
import { Checklists } from './checklists';
import { ChecklistView } from './checklistView';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';
import { SETTINGS_SCHEME, SettingsDocuments } from './settingsDocument';
import { CLIENT_NAME, type Shared } from './shared';
import { registerSurfaces } from './surfaces';

let shared: Shared | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);
  const djangoResults = new Map<string, DjangoCheckResult>();
  const view = new ChecklistView(context.workspaceState, (root) => djangoResults.get(root));
  const s: Shared = { context, output, view, djangoResults, client: undefined };
  shared = s;
  const surfaces = registerSurfaces(s);
  const settingsDocuments = registerSettingsDocuments(s);
  const checklists = new Checklists(s, surfaces);
  registerCommands(s, checklists, surfaces);
  const client = createLanguageClient(s);
  s.client = client;
  listenToServer(s, client, checklists, settingsDocuments);
  await client.start();
}

/** The production settings as Django will see them, in read-only documents the server fills. */
function registerSettingsDocuments(s: Shared): SettingsDocuments {
  const settingsDocuments = new SettingsDocuments((params) =>
    s.client?.isRunning() ? s.client.sendRequest<SettingsViewResult>(SETTINGS_VIEW_REQUEST, params) : undefined,
  );
  s.context.subscriptions.push(settingsDocuments, vscode.workspace.registerTextDocumentContentProvider(SETTINGS_SCHEME, settingsDocuments));
  return settingsDocuments;
}

/** What the server says: the checklist changed (the first time: its first analysis is done), and a restart. */
function listenToServer(s: Shared, client: LanguageClient, checklists: Checklists, settingsDocuments: SettingsDocuments): void {
  // Listeners registered before start survive server restarts.
  s.context.subscriptions.push(
    client.onNotification(CHECKLIST_CHANGED, () => {
      if (checklists.waiting) {
        // the first analysis of a new server is done: hand it Django's results before asking for the
        // checklist, so that it has merged them when it answers (sent earlier, the server would announce
        // a change before it has analysed anything, and answer with no projects)
        for (const r of s.djangoResults.values()) void s.client?.sendNotification(DJANGO_CHECK_RESULT, r);
        checklists.analysisDone();
      }
      void checklists.refresh();
      settingsDocuments.refresh();
    }),
  );
  s.context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) checklists.expectAnalysis(); // a restarted server analyses from scratch
    }),
  );
}

export async function deactivate(): Promise<void> {
  await shared?.client?.stop();
  if (shared) shared.client = undefined;
}
