// The protocol thread of the language server: it speaks to the client and runs no analysis. Every
// message goes on to the analysis worker (worker.ts, the language server proper), except what must
// be answered even while an analysis is stuck: hovers (from the diagnostics last published),
// cancellations, shutdown and exit. A worker whose event loop has not turned for longer than the
// deadline (a pattern that backtracks for ever on a hostile string, a loop that never ends) is
// terminated and replaced: the file it was working on gets an "analysis stopped" diagnostic naming
// the phase, the other files keep theirs, the new worker is given the open documents and the
// settings again and leaves the stopped project alone until one of its files is edited. A worker
// that runs out of its memory limit, or dies, is replaced the same way.
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type Message,
  type MessageReader,
  type MessageWriter,
  type NotificationMessage,
  type PublishDiagnosticsParams,
  type RequestMessage,
  type ResponseMessage,
} from 'vscode-languageserver/node';
import { describeWhereabouts, type Whereabouts } from '../analysis/base/progress';
import { ruleDocsUrl } from '../analysis/outputs/docsUrl';
import { analysisSkipped } from '../analysis/rules/analysis/analysisSkipped';
import { analysedProject } from '../codeCacheHook';
import {
  configurationItems,
  type DiagnosticData,
  initialFolders,
  initializeResult,
  QUARANTINE_NOTIFICATION,
  type QuarantineParams,
  RULE_DOCS_NOTIFICATION,
  type RuleDocsParams,
  isSerializedMessage,
  type SerializedMessage,
  SETTING_HOVERS_NOTIFICATION,
  type SettingHoversParams,
  SOURCE,
  uriToPath,
} from './protocolCommon';
import type { SerializedWriter } from './framing';
import { LineText, type LineTextChange } from './lineText';
import { hoverForDiagnostics, settingHoverAt } from './protocolHover';
import { ruleHoverMarkdown } from './ruleMarkdown';
import type { SharedProgress } from './sharedProgress';
import { ANALYSIS_DEADLINE_MS, type StartedWorker, startWorker, type WorkerStartOptions } from './workerStart';

/** The documentation of the rule of the "analysis stopped" note (DDH004), which this thread writes. */
const STOP_RULE_DOCS: RuleDocsParams['rules'] = {
  [analysisSkipped.code]: { markdown: ruleHoverMarkdown(analysisSkipped), docs: ruleDocsUrl(analysisSkipped) },
};

export { ANALYSIS_DEADLINE_MS } from './workerStart';
/** LSP's RequestCancelled error code. */
const REQUEST_CANCELLED = -32800;
/** JSON-RPC's InvalidParams error code. */
const INVALID_PARAMS = -32602;
/** A worker that stops sooner than this after it started counts as failing to start. */
const QUICK_FAILURE_MS = 5000;
const MAX_RESTART_DELAY_MS = 30_000;

export interface SupervisorOptions extends WorkerStartOptions {
  /** The first worker, when main.ts started it already (with these options). */
  readonly firstWorker?: StartedWorker;
  /** Called on `exit` with the process's exit code. */
  readonly onExit: (code: number) => void;
}

interface Running {
  readonly worker: Worker;
  readonly progress: SharedProgress;
  readonly generation: number;
  readonly startedAt: number;
}

/** A Message's kind, as JSON-RPC tells them apart. */
function isRequest(m: Message): m is RequestMessage {
  return 'method' in m && 'id' in m && (m as RequestMessage).id !== undefined && (m as RequestMessage).id !== null;
}
function isNotification(m: Message): m is NotificationMessage {
  return 'method' in m && !('id' in m && (m as RequestMessage).id !== undefined && (m as RequestMessage).id !== null);
}

export class Supervisor {
  private current: Running | undefined;
  private generation = 0;
  private readonly deadlineMs: number;
  private initializeParams: InitializeParams | undefined;
  private initialized = false;
  /** The last configuration pushed by the client (editors without workspace/configuration). */
  private lastConfiguration: NotificationMessage | undefined;
  private readonly documents = new Map<string, LineText>();
  /** The document edited last (where a stop with no file of its own is shown). */
  private lastEdited: string | undefined;
  /**
   * What was last published for each URI (hovers are answered from it): the diagnostics, or the
   * publishDiagnostics message's JSON as the worker sent it, read when a hover needs it.
   */
  private readonly diagnostics = new Map<string, Diagnostic[] | string>();
  /** Where each project's settings are written and what they are in production (the worker sends them). */
  private readonly settingHovers = new Map<string, SettingHoversParams>();
  /**
   * Each rule's hover text and documentation address: the worker sends them when it starts; the
   * rule of this thread's own "analysis stopped" note is known from the start (no worker may ever start).
   */
  private ruleDocs: RuleDocsParams['rules'] = STOP_RULE_DOCS;
  /** Whether a worker sent the rules' documentation (it does once its first diagnostics are out). */
  private ruleDocsReceived = false;
  /** Hovers that came before the documentation, while a worker was starting: answered when it comes. */
  private heldHovers: { id: string | number; params: HoverParams }[] = [];
  /** Requests of the client the worker has not answered yet. */
  private readonly pending = new Map<string | number, RequestMessage>();
  /** Requests the workers made of the client, by the id they were sent under. */
  private readonly serverRequests = new Map<number, { generation: number; id: string | number }>();
  private nextServerRequestId = 1;
  /** Answers to this thread's own requests of the client, by id. */
  private readonly ownRequests = new Map<number, (r: ResponseMessage) => void>();
  /**
   * The client's configuration, asked for by this thread as soon as the client is initialized, with
   * the items the worker asks for then (configurationItems): the worker's first request of it is
   * answered from here, so that the worker, which is still loading, does not wait for a round trip
   * to the client before its first analysis. Dropped when the configuration or the folders change.
   */
  private prefetchedConfiguration: { key: string; answer: Promise<ResponseMessage> } | undefined;
  /** The methods a worker registered (a replacement's registrations of the same are answered here). */
  private readonly registered = new Set<string>();
  /** Projects (roots; '*' for the whole workspace) stopped at the deadline and not edited since. */
  private readonly quarantined = new Set<string>();
  private shutdownReceived = false;
  private codeCacheSaid = false;
  private watchdog: NodeJS.Timeout | undefined;
  /** How many workers in a row stopped soon after they started. */
  private quickFailures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  /** How many workers were stopped (tests). */
  stops = 0;

  constructor(
    private readonly reader: MessageReader,
    private readonly writer: MessageWriter,
    private readonly options: SupervisorOptions,
  ) {
    this.deadlineMs = options.deadlineMs ?? ANALYSIS_DEADLINE_MS;
  }

  listen(): void {
    // the worker first: its start overlaps the handshake with the client
    this.current = this.spawn(this.options.firstWorker);
    this.reader.listen((m) => this.fromClient(m));
    this.reader.onClose(() => this.exit());
    this.watchdog = setInterval(() => this.check(), Math.max(50, Math.min(1000, this.deadlineMs / 4)));
    this.watchdog.unref();
  }

  // ---- the client's messages ---------------------------------------------------------------------

  private fromClient(m: Message): void {
    try {
      this.route(m);
    } catch (e) {
      // a malformed message is refused (a request) or dropped (a notification); the server goes on
      if (isRequest(m))
        this.send({
          jsonrpc: '2.0',
          id: m.id,
          error: { code: INVALID_PARAMS, message: `${m.method}: ${(e as Error).message}` },
        } as ResponseMessage);
    }
  }

  private route(m: Message): void {
    if (isRequest(m)) {
      switch (m.method) {
        case 'initialize':
          // answered here (the answer is fixed): a worker that cannot start does not leave the client waiting
          this.initializeParams = m.params as InitializeParams;
          this.watchClientProcess(this.initializeParams.processId);
          this.send({ jsonrpc: '2.0', id: m.id, result: initializeResult() } as ResponseMessage);
          this.toWorker({ ...m, id: `ddh-initialize-${this.current?.generation ?? 0}` } as RequestMessage);
          return;
        case 'textDocument/hover': {
          const p = m.params as HoverParams | undefined;
          const valid =
            typeof p?.textDocument?.uri === 'string' && Number.isInteger(p.position?.line) && Number.isInteger(p.position?.character);
          if (valid && !this.ruleDocsReceived && this.current) {
            this.heldHovers.push({ id: m.id as string | number, params: p });
            return;
          }
          this.send(
            (valid
              ? { jsonrpc: '2.0', id: m.id, result: this.hover(p) }
              : {
                  jsonrpc: '2.0',
                  id: m.id,
                  error: { code: INVALID_PARAMS, message: 'hover: textDocument.uri and position are required' },
                }) as ResponseMessage,
          );
          return;
        }
        case 'shutdown':
          // answered here, whatever the worker is doing: exit ends it without waiting for it
          this.shutdownReceived = true;
          this.send({ jsonrpc: '2.0', id: m.id, result: null } as ResponseMessage);
          return;
      }
      this.pending.set(m.id as string | number, m);
      this.toWorker(m);
      return;
    }
    if (isNotification(m)) {
      const p = m.params as Record<string, unknown> | undefined;
      switch (m.method) {
        case 'exit':
          this.exit();
          return;
        case 'initialized':
          this.initialized = true;
          this.prefetchConfiguration();
          break;
        case '$/cancelRequest': {
          // answered at once, whatever the worker is doing; its own answer, if any, is dropped
          const id = (p as { id: string | number }).id;
          if (this.pending.delete(id))
            this.send({ jsonrpc: '2.0', id, error: { code: REQUEST_CANCELLED, message: 'cancelled' } } as ResponseMessage);
          break;
        }
        case 'workspace/didChangeConfiguration':
          this.lastConfiguration = m;
          this.prefetchedConfiguration = undefined;
          break;
        case 'workspace/didChangeWorkspaceFolders':
          this.prefetchedConfiguration = undefined;
          this.foldersChanged(p as { event: { added: { uri: string; name: string }[]; removed: { uri: string }[] } });
          break;
        case 'textDocument/didOpen': {
          const d = (p as { textDocument: { uri: string; languageId: string; version: number; text: string } }).textDocument;
          this.documents.set(d.uri, LineText.create(d.uri, d.languageId, d.version, d.text));
          this.edited(d.uri);
          break;
        }
        case 'textDocument/didChange': {
          const { textDocument, contentChanges } = p as {
            textDocument: { uri: string; version: number };
            contentChanges: LineTextChange[];
          };
          this.edited(textDocument.uri);
          // The worker is given the edit first, then this thread's copy (kept to give a new worker the
          // open documents) takes it: an array of lines, so that a keystroke makes no copy of the
          // whole text (lineText.ts)
          this.toWorker(m);
          const doc = this.documents.get(textDocument.uri);
          doc?.update(contentChanges, textDocument.version ?? doc.version + 1);
          return;
        }
        case 'textDocument/didClose':
          this.documents.delete((p as { textDocument: { uri: string } }).textDocument.uri);
          break;
      }
      this.toWorker(m);
      return;
    }
    // a response to a worker's request, or to this thread's
    const r = m as ResponseMessage;
    const own = typeof r.id === 'number' ? this.ownRequests.get(r.id) : undefined;
    if (own) {
      this.ownRequests.delete(r.id as number);
      own(r);
      return;
    }
    const asked = typeof r.id === 'number' ? this.serverRequests.get(r.id) : undefined;
    if (!asked) return;
    this.serverRequests.delete(r.id as number);
    if (asked.generation === this.current?.generation) this.toWorker({ ...r, id: asked.id } as ResponseMessage);
  }

  /** Answers the hovers held for the rules' documentation, with what this thread has. */
  private answerHeldHovers(): void {
    const held = this.heldHovers;
    this.heldHovers = [];
    for (const h of held) this.send({ jsonrpc: '2.0', id: h.id, result: this.hover(h.params) } as ResponseMessage);
  }

  /** Asks the client's configuration as the worker will (see prefetchedConfiguration). */
  private prefetchConfiguration(): void {
    const params = this.initializeParams;
    if (!params?.capabilities.workspace?.configuration) return;
    const request = { items: configurationItems(initialFolders(params)) };
    const id = this.nextServerRequestId++;
    const answer = new Promise<ResponseMessage>((resolve) => this.ownRequests.set(id, resolve));
    this.prefetchedConfiguration = { key: JSON.stringify(request), answer };
    this.send({ jsonrpc: '2.0', id, method: 'workspace/configuration', params: request } as RequestMessage);
  }

  /** A file of a stopped project was edited: the project is analysed again (the worker lets it go too). */
  private edited(uri: string): void {
    this.lastEdited = uri;
    const file = uriToPath(uri);
    if (!file) return;
    this.quarantined.delete('*');
    for (const root of this.quarantined) if (file === root || file.startsWith(root + path.sep)) this.quarantined.delete(root);
  }

  private foldersChanged(p: { event: { added: { uri: string; name: string }[]; removed: { uri: string }[] } }): void {
    const params = this.initializeParams;
    if (!params) return;
    const removed = new Set(p.event.removed.map((f) => f.uri));
    const folders = (params.workspaceFolders ?? []).filter((f) => !removed.has(f.uri));
    this.initializeParams = { ...params, workspaceFolders: [...folders, ...p.event.added] };
  }

  /** A path as the user sees it: relative to the workspace folder that holds it (absolute outside every folder). */
  private relative(file: string): string {
    const params = this.initializeParams;
    const folders = (params?.workspaceFolders?.map((f) => f.uri) ?? (params?.rootUri ? [params.rootUri] : []))
      .map((u) => uriToPath(u))
      .filter((f): f is string => !!f);
    let best: string | undefined;
    for (const f of folders) if ((file === f || file.startsWith(f + path.sep)) && (!best || f.length > best.length)) best = f;
    return best ? path.relative(best, file) : file;
  }

  private hover(p: HoverParams): Hover | null {
    const setting = settingHoverAt(this.settingHovers.values(), p.textDocument.uri, p.position);
    const docs = this.ruleDocs;
    return hoverForDiagnostics(
      this.publishedDiagnostics(p.textDocument.uri),
      p.position,
      (code) => (Object.hasOwn(docs, code) ? docs[code]!.markdown : undefined),
      setting,
    );
  }

  /** The diagnostics last published for `uri`. */
  private publishedDiagnostics(uri: string): Diagnostic[] {
    const published = this.diagnostics.get(uri);
    if (typeof published !== 'string') return published ?? [];
    const diagnostics = (JSON.parse(published) as { params: PublishDiagnosticsParams }).params.diagnostics;
    this.diagnostics.set(uri, diagnostics);
    return diagnostics;
  }

  // ---- the worker's messages ---------------------------------------------------------------------

  private fromWorker(run: Running, m: Message | SerializedMessage): void {
    if (run !== this.current) return;
    if (isSerializedMessage(m)) {
      if (m.uri !== undefined) {
        this.diagnostics.set(m.uri, m.serialized);
        this.publishedOnce();
      } else if (m.id === undefined || m.id === null || !this.pending.delete(m.id)) return; // the worker's initialize, or cancelled
      this.sendSerialized(m.serialized);
      return;
    }
    if (isRequest(m)) {
      if (m.method === 'client/registerCapability') {
        const methods = ((m.params as { registrations?: { method: string }[] }).registrations ?? []).map((r) => r.method);
        if (run.generation > 1 && methods.every((x) => this.registered.has(x))) {
          // a replacement registers what its predecessor did: the client has it already
          this.toWorker({ jsonrpc: '2.0', id: m.id, result: null } as ResponseMessage);
          return;
        }
        for (const x of methods) this.registered.add(x);
      }
      const prefetched = this.prefetchedConfiguration;
      if (m.method === 'workspace/configuration' && prefetched?.key === JSON.stringify(m.params ?? null)) {
        this.prefetchedConfiguration = undefined;
        void prefetched.answer.then((r) => {
          if (run === this.current) this.toWorker({ ...r, id: m.id } as ResponseMessage);
        });
        return;
      }
      const id = this.nextServerRequestId++;
      this.serverRequests.set(id, { generation: run.generation, id: m.id as string | number });
      this.send({ ...m, id } as RequestMessage);
      return;
    }
    if (isNotification(m)) {
      if (m.method === RULE_DOCS_NOTIFICATION) {
        this.ruleDocs = { ...(m.params as RuleDocsParams).rules, ...STOP_RULE_DOCS };
        this.ruleDocsReceived = true;
        this.answerHeldHovers();
        return;
      }
      if (m.method === SETTING_HOVERS_NOTIFICATION) {
        // for this thread's hovers only: the client does not know the method
        const p = m.params as SettingHoversParams;
        this.settingHovers.set(p.root, p);
        return;
      }
      if (m.method === 'textDocument/publishDiagnostics') {
        const p = m.params as PublishDiagnosticsParams;
        this.diagnostics.set(p.uri, p.diagnostics);
        this.publishedOnce();
      }
      this.send(m);
      return;
    }
    const r = m as ResponseMessage;
    if (r.id === null || !this.pending.delete(r.id)) return; // the worker's initialize, or cancelled
    this.send(r);
  }

  /** After a worker's diagnostics: the launcher may now keep a code cache of this thread's bundle (see launch.ts). */
  private publishedOnce(): void {
    if (this.codeCacheSaid) return;
    this.codeCacheSaid = true;
    setImmediate(analysedProject);
  }

  private toWorker(m: Message): void {
    this.current?.worker.postMessage(m);
  }

  private send(m: Message): void {
    void this.writer.write(m).catch(() => undefined);
  }

  /** A message the worker serialised: written as it is where the writer can (stdio), else as the message. */
  private sendSerialized(json: string): void {
    const writer = this.writer as MessageWriter & Partial<SerializedWriter>;
    if (writer.writeSerialized) writer.writeSerialized(json);
    else this.send(JSON.parse(json) as Message);
  }

  // ---- workers -----------------------------------------------------------------------------------

  private spawn(started: StartedWorker = startWorker(this.options)): Running {
    const { worker, progress, startedAt } = started;
    const run: Running = { worker, progress, generation: ++this.generation, startedAt };
    worker.on('message', (m: Message) => this.fromWorker(run, m));
    worker.on('error', (e: Error) => {
      if (run !== this.current) return;
      const oom = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.stop(run, oom ? 'ran out of its memory limit' : `failed (${e.message})`);
    });
    worker.on('exit', (code) => {
      if (run !== this.current || this.exiting) return;
      this.stop(run, `ended unexpectedly (exit code ${code})`);
    });
    return run;
  }

  private check(): void {
    const run = this.current;
    if (!run) return;
    const silent = Date.now() - run.progress.lastBeat();
    if (silent > this.deadlineMs) this.stop(run, `ran past its ${formatSeconds(this.deadlineMs)} deadline`);
  }

  /** Stops a worker, says where it stopped, and starts another in its place. */
  private stop(run: Running, why: string): void {
    if (run !== this.current) return;
    this.stops++;
    const where = run.progress.read();
    this.current = undefined;
    void run.worker.terminate().catch(() => undefined);
    // no documentation is coming from it: the hovers waiting for it get what this thread has
    this.answerHeldHovers();
    const at = describeWhereabouts(where, (f) => this.relative(f));
    this.log(
      `Django Deploy Hygiene: the analysis ${why} while ${at}${where.root ? ` (project ${this.relative(where.root) || '.'})` : ''}; it was stopped, and the project is analysed again when one of its files is edited.`,
    );
    this.quarantined.add(where.root ?? '*');
    this.noteStop(where, why);
    // a worker that keeps failing soon after it starts (a bundle that cannot load, a heap limit too
    // small for it) is started again less and less often; what comes meanwhile is replayed to it
    this.quickFailures = Date.now() - run.startedAt < QUICK_FAILURE_MS ? this.quickFailures + 1 : 0;
    const delay = this.quickFailures === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** this.quickFailures);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.exiting) return;
      this.current = this.spawn();
      this.replay();
    }, delay);
  }

  /** The "analysis stopped" diagnostic, beside what the file had. */
  private noteStop(where: Whereabouts, why: string): void {
    let uri: string | undefined;
    if (where.file && isFile(where.file)) uri = pathToUriSafe(where.file);
    uri ??= this.lastEdited;
    if (!uri) return;
    const docs = ruleDocsUrl(analysisSkipped);
    const note: Diagnostic = {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Warning,
      code: analysisSkipped.code,
      codeDescription: { href: docs },
      source: SOURCE,
      message: `Analysis stopped: it ${why} while ${describeWhereabouts(where, (f) => this.relative(f))}. The findings shown are from before; the project is analysed again at the next edit of one of its files.`,
      data: { django: null, docs } satisfies DiagnosticData,
    };
    const kept = this.publishedDiagnostics(uri).filter(
      (d) => !(d.code === 'DDH004' && typeof d.message === 'string' && d.message.startsWith('Analysis stopped:')),
    );
    const diagnostics = [...kept, note];
    this.diagnostics.set(uri, diagnostics);
    this.send({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, diagnostics } } as NotificationMessage);
  }

  /** Gives a new worker what its predecessor was told: the initialization, the settings, the open documents, the pending requests. */
  private replay(): void {
    if (!this.initializeParams) return;
    this.toWorker({
      jsonrpc: '2.0',
      id: `ddh-replay-${this.generation}`,
      method: 'initialize',
      params: this.initializeParams,
    } as RequestMessage);
    this.toWorker({
      jsonrpc: '2.0',
      method: QUARANTINE_NOTIFICATION,
      params: { roots: [...this.quarantined] } satisfies QuarantineParams,
    } as NotificationMessage);
    if (this.lastConfiguration) this.toWorker(this.lastConfiguration);
    for (const doc of this.documents.values())
      this.toWorker({
        jsonrpc: '2.0',
        method: 'textDocument/didOpen',
        params: { textDocument: { uri: doc.uri, languageId: doc.languageId, version: doc.version, text: doc.getText() } },
      } as NotificationMessage);
    if (this.initialized) this.toWorker({ jsonrpc: '2.0', method: 'initialized', params: {} } as NotificationMessage);
    for (const r of this.pending.values()) this.toWorker(r);
  }

  private log(message: string): void {
    this.send({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 2, message } } as NotificationMessage);
  }

  // ---- the end -----------------------------------------------------------------------------------

  private exiting = false;

  private exit(): void {
    if (this.exiting) return;
    this.exiting = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const run = this.current;
    this.current = undefined;
    const code = this.shutdownReceived ? 0 : 1;
    if (!run) return this.options.onExit(code);
    // the worker is ended rather than waited for: it may be in the middle of an analysis
    void run.worker.terminate().finally(() => this.options.onExit(code));
  }

  /** Ends the server when the client's process is gone (as vscode-languageserver does with processId). */
  private watchClientProcess(pid: number | null | undefined): void {
    if (!pid) return;
    setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        this.exit();
      }
    }, 3000).unref();
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function isFile(p: string): boolean {
  try {
    return nodeFs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function pathToUriSafe(p: string): string | undefined {
  try {
    return pathToFileURL(p).href;
  } catch {
    return undefined;
  }
}
