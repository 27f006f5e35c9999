// The analysis worker (dist/server-worker.js): the language server proper (server.ts), run in a
// worker thread that the supervisor on the protocol thread starts, feeds every message of the
// client, and terminates when it stops turning its event loop for longer than the deadline (see
// supervisor.ts). Messages come and go over the worker's port as the JSON-RPC objects themselves.
import { parentPort, workerData } from 'node:worker_threads';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  createConnection,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
  ProposedFeatures,
} from 'vscode-languageserver/node';
import { setProgressSink } from '../analysis/core/progress';
import { loadParser } from '../analysis/parse/treeSitter';
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
  constructor(private readonly port: NonNullable<typeof parentPort>) {
    super();
  }

  write(message: Message): Promise<void> {
    this.port.postMessage(message);
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
  loadParser().catch(() => undefined); // initialize() awaits the same promise and reports a failure
  const connection = createConnection(ProposedFeatures.all, new PortReader(parentPort), new PortWriter(parentPort));
  const server = new DeployHygieneServer(connection);
  if (data.passBudgetMs !== undefined) server.passBudgetMs = data.passBudgetMs;
  connection.listen();
}
