// What the client's registrations share (extension.ts makes one at activation and hands it to
// each): the extension's context and output channel, the checklist view, Django's last results, and
// the language client once it is created.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DjangoCheckResult } from '../../server/src/protocol';
import type { ChecklistView } from './checklistView';

export const CLIENT_ID = 'djangoDeployHygiene';
export const CLIENT_NAME = 'Django Deploy Hygiene';
export const VIEW_ID = 'djangoDeployHygiene.checklist';

export interface Shared {
  readonly context: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly view: ChecklistView;
  /**
   * Django's results live in the server's memory; a restarted server (after a crash) would forget
   * them and the checklist would silently drop what Django confirmed, so the client keeps the last
   * result per project and hands it to every new server.
   */
  readonly djangoResults: Map<string, DjangoCheckResult>;
  /** The language client, once created (undefined again after deactivation). */
  client: LanguageClient | undefined;
}
