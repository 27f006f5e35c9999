// The server's output on stdio, written with one system call per turn of the event loop. A message
// is two writes (its header, then its body), and a keystroke sends two messages (the
// edited file's diagnostics, the checklist's notice): four blocking writes to the pipe per keystroke,
// each a system call that wakes the editor. Here they are gathered and written together once what
// the turn sends has been handed over (setImmediate), in the order given.
import { Writable } from 'node:stream';

export class CoalescingWriter extends Writable {
  private pending: Buffer[] = [];
  private scheduled = false;

  constructor(private readonly out: NodeJS.WritableStream) {
    super({ decodeStrings: true });
    // what is still gathered when the process exits goes out first (a pipe's writes are blocking)
    process.on('exit', () => this.flush());
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    // taken: the writer sends the next part of the message now (it is written with this one)
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush(callback);
  }

  /** Writes what was gathered, if anything; `done` once it is handed to the output. */
  flush(done?: () => void): void {
    this.scheduled = false;
    const chunks = this.pending;
    this.pending = [];
    if (chunks.length === 0) {
      done?.();
      return;
    }
    this.out.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), () => done?.());
  }
}
