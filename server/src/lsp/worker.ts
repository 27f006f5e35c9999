// The analysis worker (dist/server-worker.js): the language server proper (server.ts), run in a
// worker thread that the supervisor on the protocol thread starts, feeds every message of the
// client, and terminates when it stops turning its event loop for longer than the deadline (see
// supervisor.ts). Messages come and go over the worker's port as the JSON-RPC objects themselves,
// except the diagnostics and answers the supervisor forwards unchanged: those leave as JSON text.
// With --in-process (main.ts), the protocol thread runs this bundle itself (serveInProcess).
import { parentPort, workerData } from 'node:worker_threads';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  type Connection,
  createConnection,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
  ProposedFeatures,
} from 'vscode-languageserver/node';
import { setProgressSink } from '../analysis/base/progress';
import { loadParser } from '../analysis/parse/treeSitter';
import { ruleDocsParams } from './hover';
import { RULE_DOCS_NOTIFICATION, type SerializedMessage } from './protocolCommon';
import { DeployHygieneServer } from './server';
import { SharedProgress } from './sharedProgress';

/** What the supervisor hands a worker it starts. */
export interface WorkerData {
  readonly progress: SharedArrayBuffer;
  /** See DeployHygieneServer.passBudgetMs. */
  readonly passBudgetMs?: number;
  /** How often the worker beats (ms). */
  readonly beatMs: number;
}

class PortReader extends AbstractMessageReader implements MessageReader {
  constructor(private readonly port: NonNullable<typeof parentPort>) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const handler = (m: Message): void => callback(m);
    this.port.on('message', handler);
    return { dispose: () => this.port.off('message', handler) };
  }
}

class PortWriter extends AbstractMessageWriter implements MessageWriter {
  private docsSent = false;

  constructor(private readonly port: NonNullable<typeof parentPort>) {
    super();
  }

  /**
   * The rules' documentation goes to the supervisor once (it answers hovers over findings with it,
   * and holds the hovers that come before it): ~10 ms of work, done just after the first diagnostics
   * leave, or at the end of the first pass when there are none, so that it does not delay them.
   */
  sendRuleDocs(): void {
    if (this.docsSent) return;
    this.docsSent = true;
    this.port.postMessage({ jsonrpc: '2.0', method: RULE_DOCS_NOTIFICATION, params: ruleDocsParams() });
  }

  /**
   * Diagnostics and answers go to the supervisor as their JSON text (see SerializedMessage): a
   * string crosses to the other thread as one copy, and the protocol thread writes it as it is.
   */
  write(message: Message): Promise<void> {
    const m = message as { method?: string; id?: number | string | null; params?: { uri?: string } };
    if (m.method === 'textDocument/publishDiagnostics') {
      this.port.postMessage({ serialized: JSON.stringify(message), uri: m.params?.uri } satisfies SerializedMessage);
      if (!this.docsSent) setImmediate(() => this.sendRuleDocs());
    } else if (m.method === undefined && m.id !== undefined) {
      this.port.postMessage({ serialized: JSON.stringify(message), id: m.id } satisfies SerializedMessage);
    } else this.port.postMessage(message);
    return Promise.resolve();
  }

  end(): void {}
}

if (parentPort) {
  const data = workerData as WorkerData;
  const progress = new SharedProgress(data.progress);
  // Tests only: DDH_TEST_STALL_ON names a file whose evaluation never returns, as a hostile
  // input once did, to show the supervisor stopping and replacing the worker (test/lsp/deadline.test.ts).
  const stallOn = process.env.DDH_TEST_STALL_ON;
  setProgressSink(
    stallOn
      ? {
          where(phase, file, root) {
            progress.where(phase, file, root);
            if (file === stallOn && phase.startsWith('evaluating')) for (;;);
          },
        }
      : progress,
  );
  progress.beat();
  setInterval(() => progress.beat(), data.beatMs).unref();
  const writer = new PortWriter(parentPort);
  const server = serve(createConnection(ProposedFeatures.all, new PortReader(parentPort), writer), data.passBudgetMs);
  server.onAnalyzed = () => writer.sendRuleDocs();
}

function serve(connection: Connection, passBudgetMs: number | undefined): DeployHygieneServer {
  loadParser().catch(() => undefined); // initialize() awaits the same promise and reports a failure
  const server = new DeployHygieneServer(connection);
  if (passBudgetMs !== undefined) server.passBudgetMs = passBudgetMs;
  connection.listen();
  return server;
}

/**
 * The language server on the calling thread, with no worker and no deadline (main.ts, --in-process):
 * over the given streams, or over the transport named on the command line.
 */
export function serveInProcess(
  stdio: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } | undefined,
  passBudgetMs?: number,
): void {
  serve(stdio ? createConnection(ProposedFeatures.all, stdio.input, stdio.output) : createConnection(ProposedFeatures.all), passBudgetMs);
}
