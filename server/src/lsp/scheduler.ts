// When the language server analyses: what is pending (edited files, everything, projects a pass set
// aside, projects whose migrations are to be analysed again), coalesced into one analysis pass
// (analysisPass.ts) that runs before the next I/O turn, and the wait of a request that wants the
// analysis settled first (the checklist, the settings view).
import type { ServerState } from './serverState';

export class Scheduler {
  readonly pending = new Set<string>();
  pendingAll = false;
  /** Projects (roots) a pass set aside to take an edit first: the next round analyses them. */
  readonly pendingRoots = new Set<string>();
  /** Projects whose migrations are to be analysed again (see migrationPass.ts). */
  readonly pendingMigrations = new Set<string>();
  scheduled = false;
  generation = 0;
  /** The analysis pass under way, if any (a pass yields between projects; see analysisPass.ts). */
  running: Promise<void> | undefined;
  /** Git being asked for the migration change sets (see migrationPass.ts), if it is. */
  refreshingChangeSets: Promise<void> | undefined;

  constructor(
    private readonly s: ServerState,
    /** Runs one analysis pass (AnalysisPass.run). */
    private readonly runPass: () => Promise<void>,
  ) {}

  schedule(file: string): void {
    this.pending.add(file);
    this.kick();
  }

  scheduleAll(): void {
    this.pendingAll = true;
    this.kick();
  }

  kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Coalesce the changes that arrive together; run before the next I/O turn.
    setImmediate(() => {
      this.scheduled = false;
      void this.s.ready.then(() => this.runPending());
    });
  }

  /** Runs what is pending: starts a pass, or lets the pass under way take the new changes. */
  runPending(): Promise<void> {
    if (this.running) return this.running;
    const pass = this.runPass().finally(() => {
      this.running = undefined;
    });
    this.running = pass;
    return pass;
  }

  hasPending(): boolean {
    return this.pending.size > 0 || this.pendingAll || this.pendingRoots.size > 0 || this.pendingMigrations.size > 0;
  }

  /** Resolves when nothing is pending or under way: what is pending runs now rather than after the next tick. */
  async settled(): Promise<void> {
    await this.s.ready;
    // bounded: edits that keep arriving must not keep a request waiting for ever
    for (let round = 0; round < 20; round++) {
      if (this.scheduled || this.hasPending()) {
        this.scheduled = false;
        await this.runPending();
      } else if (this.running) await this.running;
      else if (this.refreshingChangeSets) await this.refreshingChangeSets;
      else return;
    }
  }
}
