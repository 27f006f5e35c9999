// The memory the analysis worker and the supervisor share (lsp/worker.ts, lsp/supervisor.ts): the
// worker's heartbeat, written by a timer of its event loop (a worker stuck in one analysis stops
// beating), and where its analysis is (analysis/base/progress.ts): the phase, the file and the
// project, written as they change. The supervisor reads them when the heartbeat is older than the
// deadline, after which the worker writes nothing more, so no lock is needed.
import type { ProgressSink, Whereabouts } from '../analysis/base/progress';

const PHASE_BYTES = 512;
const PATH_BYTES = 4096;
/** beat (float64), then three lengths (int32), then the phase, the file and the root (UTF-8). */
const HEADER = 8 + 3 * 4;
export const SHARED_PROGRESS_BYTES = HEADER + PHASE_BYTES + 2 * PATH_BYTES;

export class SharedProgress implements ProgressSink {
  private readonly beatCell: Float64Array;
  private readonly lengths: Int32Array;
  private readonly regions: [Uint8Array, Uint8Array, Uint8Array];
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private last: [string, string | undefined, string | undefined] = ['', undefined, undefined];

  /** Memory of its own (the supervisor's), or the supervisor's seen from the worker. */
  constructor(readonly buffer: SharedArrayBuffer = SharedProgress.fresh()) {
    this.beatCell = new Float64Array(buffer, 0, 1);
    this.lengths = new Int32Array(buffer, 8, 3);
    this.regions = [
      new Uint8Array(buffer, HEADER, PHASE_BYTES),
      new Uint8Array(buffer, HEADER + PHASE_BYTES, PATH_BYTES),
      new Uint8Array(buffer, HEADER + PHASE_BYTES + PATH_BYTES, PATH_BYTES),
    ];
  }

  private static fresh(): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(SHARED_PROGRESS_BYTES);
    new Int32Array(buffer, 8, 3).fill(-1);
    new Float64Array(buffer, 0, 1)[0] = Date.now();
    return buffer;
  }

  /** The worker is alive and its event loop turns (Date.now()). */
  beat(now = Date.now()): void {
    this.beatCell[0] = now;
  }

  lastBeat(): number {
    return this.beatCell[0]!;
  }

  where(phase: string, file: string | undefined, root: string | undefined): void {
    const values = [phase, file, root] as const;
    for (let i = 0; i < 3; i++) {
      const v = values[i];
      if (v === this.last[i]) continue;
      this.last[i] = v;
      // a text longer than its region keeps its start (encodeInto stops at a whole character)
      this.lengths[i] = v === undefined ? -1 : this.encoder.encodeInto(v, this.regions[i]!).written;
    }
  }

  read(): Whereabouts {
    const text = (i: number): string | undefined => {
      const n = this.lengths[i]!;
      // TextDecoder does not take a view of shared memory: copy it out first
      return n < 0 ? undefined : this.decoder.decode(this.regions[i]!.slice(0, n));
    };
    return { phase: text(0) || 'starting', file: text(1), root: text(2) };
  }
}
