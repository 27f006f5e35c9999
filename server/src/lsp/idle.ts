// What the language server does while the developer does not type: the setting hovers and the
// announcement of a checklist an edit changed, HOVER_IDLE_MS after the last analysis (each cost the
// next keystroke's diagnostics their wait when done after every analysis, issue 31), the index the
// next keystroke's analysis builds first (prepareForTyping), and the typing practice of a session's
// start (engine/practice.ts), one step at a time between messages.
import * as path from 'node:path';
import type { ProjectAnalysis } from '../analysis/engine/engine';
import { practiceModule, TypingPractice } from '../analysis/engine/practice';
import { prepareForTyping } from '../analysis/engine/production';
import { CHECKLIST_CHANGED } from '../protocol';
import type { Hovers } from './handlers/hover';
import type { Scheduler } from './scheduler';
import { HOVER_IDLE_MS, type ServerState } from './serverState';

/** How long the typing practice waits for the server to be idle again before its next step. */
const PRACTICE_WAIT_MS = 50;
/**
 * How long after the last analysis the typing practice takes its first step: that step is the
 * copy workspace's first analysis (100-150 ms on zulip or DefectDojo), and a developer who types as
 * soon as the file opens would wait for it (zulip's first keystroke through the server: 108-133 ms
 * with it, 17-39 without).
 */
const PRACTICE_QUIET_MS = 300;

export class WhenIdle {
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether a checklist changed by an edit is still to be announced (see announceChecklist). */
  private checklistDue = false;
  private checklistAnnounced = false;

  /** Whether the typing practice (practice.ts) was started: once a session, for one project. */
  private practised = false;
  /** The typing practice under way, if any. */
  private practice: TypingPractice | undefined;
  /** When the last analysis pass ended (performance.now()): the practice's first step waits for quiet after it. */
  analysedAt = 0;
  /** Whether typing practice runs after a project's first analysis (DDH_NO_PRACTICE=1 turns it off: a benchmark without it). */
  practiceEnabled = !process.env.DDH_NO_PRACTICE;

  constructor(
    private readonly s: ServerState,
    private readonly scheduler: Scheduler,
    private readonly hovers: Hovers,
  ) {}

  queueSettingHovers(a: ProjectAnalysis): void {
    // a project's first hovers too: a developer who types as soon as the diagnostics show would
    // wait for them (the generated 5,000-line base's first keystroke: ~40 ms of its ~100 through
    // the server). A checklist asked for before typing starts sends them first (checklists()).
    this.hovers.due.set(a.project.root, a);
    this.armHoverTimer();
  }

  private armHoverTimer(): void {
    if (this.hoverTimer) clearTimeout(this.hoverTimer);
    this.hoverTimer = setTimeout(() => {
      this.hoverTimer = undefined;
      // an edit came in, or a pass is under way: wait until it is done (its analyses queue theirs)
      if (this.scheduler.hasPending() || this.scheduler.running) this.armHoverTimer();
      else {
        this.hovers.flushSettingHovers();
        this.flushChecklistAnnouncement();
        // and what the next keystroke's analysis would build first from the kept evaluations
        const ws = this.s.workspace;
        if (ws) for (const a of this.s.analyses.values()) prepareForTyping(ws, a.project);
      }
    }, HOVER_IDLE_MS);
  }

  /**
   * Tells the client that the checklist may have changed. The VS Code client asks for it again at
   * once (and for the production settings view, when one is open), and building it computes the
   * setting hovers first (see checklists): on DefectDojo's settings.dist.py that work, done after
   * every keystroke's analysis, made the next keystroke's diagnostics wait behind it (issue 31). So
   * the first announcement of this worker (which tells the client the workspace was analysed) and
   * those of a pass that analysed everything go out at once; one after an edit goes out when typing
   * pauses, HOVER_IDLE_MS after the last analysis, with the hovers. A client asking for the
   * checklist meanwhile gets it as the pending analyses leave it (settled).
   */
  announceChecklist(now: boolean): void {
    if (now || !this.checklistAnnounced) {
      this.checklistAnnounced = true;
      this.checklistDue = false;
      void this.s.connection.sendNotification(CHECKLIST_CHANGED);
      return;
    }
    this.checklistDue = true;
    this.armHoverTimer();
  }

  private flushChecklistAnnouncement(): void {
    if (!this.checklistDue) return;
    this.checklistDue = false;
    void this.s.connection.sendNotification(CHECKLIST_CHANGED);
  }

  /** At shutdown: nothing more is sent. */
  stop(): void {
    if (this.hoverTimer) clearTimeout(this.hoverTimer);
    this.hoverTimer = undefined;
    this.hovers.due.clear();
  }

  /**
   * Starts the typing practice (practice.ts), once a session, unless the developer has typed
   * already: for the project of a document open in the editor (the first analysed otherwise), in
   * the largest module its production settings read. One project only: a workspace of twenty
   * would otherwise keep a core busy for half a minute after the start.
   */
  startPractice(): void {
    if (!this.practiceEnabled || this.practised || this.s.typedYet) return;
    const candidates = [...this.s.analyses.values()].filter((a) => a.evaluation);
    const chosen = candidates.find((a) => [...this.s.open.keys()].some((f) => a.files.has(f))) ?? candidates[0];
    const file = chosen?.evaluation ? practiceModule(this.s.ws(), chosen.evaluation.files) : undefined;
    if (!chosen || !file) return;
    this.practised = true;
    this.practice = new TypingPractice(this.s.ws(), chosen.project, file, { ...this.s.options(), fixes: false, reuseModules: true });
    this.practiseWhenIdle();
  }

  /**
   * One practice step when nothing else is to be done (a pass, a change waiting), each in a turn of
   * its own so that a message coming in waits for one step at most; over at the developer's first edit.
   */
  private practiseWhenIdle(): void {
    setImmediate(() => {
      const practice = this.practice;
      if (!practice) return;
      if (this.s.typedYet) {
        practice.finish();
        this.practice = undefined;
        return;
      }
      if (this.scheduler.running || this.scheduler.scheduled || this.scheduler.hasPending()) {
        setTimeout(() => this.practiseWhenIdle(), PRACTICE_WAIT_MS);
        return;
      }
      const quiet = performance.now() - this.analysedAt;
      if (practice.count === 0 && quiet < PRACTICE_QUIET_MS) {
        setTimeout(() => this.practiseWhenIdle(), PRACTICE_QUIET_MS - quiet);
        return;
      }
      if (practice.step()) this.practiseWhenIdle();
      else {
        this.practice = undefined;
        // said plainly: nothing was typed into the file; its analysis was warmed up for the first edit
        const folder = this.s.folders.find((f) => practice.file.startsWith(f + path.sep));
        const inFolder = folder ? path.relative(folder, practice.file).split(path.sep).join('/') : practice.file;
        // (in a multi-root workspace, as VS Code names files: with the folder's name)
        const rel = folder && this.s.folders.length > 1 ? `${path.basename(folder)}/${inFolder}` : inFolder;
        const each = practice.count > 0 ? Math.max(1, Math.round(practice.spent / practice.count)) : 0;
        this.s.connection.console.log(
          `Django Deploy Hygiene: ready to re-analyse ${rel} as you edit it (about ${each} ms an edit; prepared in the background, the file was not changed).`,
        );
      }
    });
  }
}
