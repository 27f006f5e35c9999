// "Show the Production Settings as Django Will See Them": a read-only document holding what the
// CLI's `settings` command prints for a project, asked of the server (which computes it in its
// analysis worker, from the analysis it keeps). The document is kept up to date while it is open:
// it is asked for again whenever the server says the checklist changed.
import * as vscode from 'vscode';
import { SETTINGS_VIEW_REQUEST, type SettingsViewParams, type SettingsViewResult } from '../../server/src/protocol';

/** The scheme of the settings documents (a content provider's documents are read-only). */
export const SETTINGS_SCHEME = 'djangoDeployHygiene-settings';

/** The document showing a project's production settings (`diff`: only what differs from Django's defaults). */
export function settingsDocumentUri(name: string, root: string, diff = false): vscode.Uri {
  const query = new URLSearchParams({ root, ...(diff ? { diff: '1' } : {}) }).toString();
  return vscode.Uri.from({ scheme: SETTINGS_SCHEME, path: `/${name} production settings`, query });
}

export class SettingsDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** `ask`: sends the request to the running server (undefined when none runs). */
  constructor(private readonly ask: (params: SettingsViewParams) => Promise<SettingsViewResult> | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const root = q.get('root') ?? undefined;
    const pending = this.ask({ root, diff: q.get('diff') === '1' });
    if (!pending) return '# The Django Deploy Hygiene language server is not running.\n';
    try {
      const result = await pending;
      return result.projects > 0 ? result.text : `# No Django project at ${root ?? 'this workspace'} any more.\n`;
    } catch (e) {
      return `# Could not get the production settings: ${(e as Error).message}\n`;
    }
  }

  /** The settings may have changed: the open settings documents are asked for again. */
  refresh(): void {
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === SETTINGS_SCHEME) this.changed.fire(d.uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export { SETTINGS_VIEW_REQUEST };
