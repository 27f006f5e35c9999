// The client's copy of the server's checklists: asked for whenever the server says they changed,
// and by commands, which wait for the server's first analysis of the workspace (a server answers a
// request made before it with no projects). Also which project a command is about.
import * as vscode from 'vscode';
import { CHECKLIST_REQUEST, type ChecklistResult, type WireChecklist } from '../../server/src/protocol';
import type { Shared } from './shared';
import type { Surfaces } from './surfaces';

export class Checklists {
  // A server answers a checklist request made before its first analysis of the workspace with no
  // projects, which read as "No Django project found" (in the view's welcome text and in the commands)
  // for the first seconds of a window. It says when that analysis is done (CHECKLIST_CHANGED); until
  // then the view keeps what it showed (nothing, or the last server's checklist) and commands wait.
  private analysed = true;
  private signalAnalysed = (): void => {};
  private whenAnalysed = Promise.resolve();

  constructor(
    private readonly shared: Shared,
    private readonly surfaces: Surfaces,
  ) {
    this.expectAnalysis();
  }

  /** A server starts (or restarts: it analyses from scratch): commands wait for its first analysis. */
  expectAnalysis(): void {
    if (!this.analysed) return; // still waiting: commands already wait for the pending promise
    this.analysed = false;
    this.whenAnalysed = new Promise<void>((resolve) => (this.signalAnalysed = resolve));
  }

  /** Whether commands wait for the first analysis of the server. */
  get waiting(): boolean {
    return !this.analysed;
  }

  /** The server's first analysis is done (it said the checklist changed): commands go on. */
  analysisDone(): void {
    this.analysed = true;
    this.signalAnalysed();
  }

  /** `force`: ask even before the server's first analysis (a command that waited long enough). */
  async refresh(force = false): Promise<void> {
    const client = this.shared.client;
    if (!client?.isRunning() || !(this.analysed || force)) return;
    try {
      const result = await client.sendRequest<ChecklistResult>(CHECKLIST_REQUEST);
      this.shared.view.set(result.checklists);
      this.surfaces.update();
    } catch (e) {
      this.shared.output.error(`Could not get the checklist: ${(e as Error).message}`);
    }
  }

  /** The checklists for a command: after the server's first analysis (or 20 s), freshly asked for. */
  async current(): Promise<WireChecklist[]> {
    if (!this.analysed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.whenAnalysed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 20_000)))]);
      clearTimeout(timer);
    }
    await this.refresh(true);
    return this.shared.view.checklists ?? [];
  }

  /** Whether the workspace has a Django project; says so when it has none. */
  async hasProjects(): Promise<boolean> {
    if ((await this.current()).length > 0) return true;
    void vscode.window.showWarningMessage('No Django project found in this workspace.');
    return false;
  }

  /** The project a command is about: the only one, or the one the user picks (undefined: none, or dismissed). */
  async chooseProject(): Promise<WireChecklist | undefined> {
    return (await this.hasProjects()) ? this.pickChecklist() : undefined;
  }

  private async pickChecklist(): Promise<WireChecklist | undefined> {
    const lists = this.shared.view.checklists ?? [];
    if (lists.length <= 1) return lists[0];
    const pick = await vscode.window.showQuickPick(
      lists.map((c) => ({ label: c.name, description: c.production?.module, checklist: c })),
      { placeHolder: 'Which Django project?' },
    );
    return pick?.checklist;
  }
}
