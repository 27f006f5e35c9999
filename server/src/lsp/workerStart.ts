// Starting the analysis worker (worker.ts): the supervisor starts every worker through here, and
// main.ts starts the first one before the rest of the protocol thread's bundle is evaluated, so that
// the worker's own start (a new thread, Node's bootstrap, its bundle: most of the server's cold
// start) overlaps that evaluation and the handshake with the client. It imports only what that
// needs: node:worker_threads and the shared progress buffer.
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { SharedProgress } from './sharedProgress';
import type { WorkerData } from './worker';

/** How long the worker may go without turning its event loop before it is stopped (default). */
export const ANALYSIS_DEADLINE_MS = 20_000;
/** The worker's heap limit by default (MB): a hostile project cannot take the editor's memory. */
export const WORKER_HEAP_MB = 2048;
/**
 * The worker's young generation (MB): 96 is V8's size for 32 MB semi-spaces, twice the default.
 * Re-analysing allocates many short-lived values, and minor collections were about a fifth of the
 * edit latency on a 4,000-line module. Given here rather than as the process's
 * --max-semi-space-size=32, which the client passed before the worker: with a V8 flag on its command
 * line (that one, or --expose-gc), Node 20 took ~60 ms to start a worker, ~33 ms without.
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

export interface WorkerStartOptions {
  /** The worker's script (dist/server-worker.js). */
  readonly workerFile: string;
  readonly deadlineMs?: number;
  readonly passBudgetMs?: number;
  readonly resourceLimits?: ResourceLimits;
}

/** A worker just started, with the buffer where it says what it is doing. */
export interface StartedWorker {
  readonly worker: Worker;
  readonly progress: SharedProgress;
  readonly startedAt: number;
}

export function startWorker(options: WorkerStartOptions): StartedWorker {
  const progress = new SharedProgress();
  const deadlineMs = options.deadlineMs ?? ANALYSIS_DEADLINE_MS;
  const data: WorkerData = {
    progress: progress.buffer,
    passBudgetMs: options.passBudgetMs,
    beatMs: Math.max(20, Math.min(250, deadlineMs / 10)),
  };
  const worker = new Worker(options.workerFile, {
    workerData: data,
    resourceLimits: {
      maxOldGenerationSizeMb: WORKER_HEAP_MB,
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
      ...options.resourceLimits,
    },
    // the worker's console goes to this process's stderr, as the server's did
    stdout: false,
    stderr: false,
  });
  return { worker, progress, startedAt: Date.now() };
}
