// LSP's base protocol frames each message with a header block whose Content-Length says how many
// bytes follow.
//
// The guard on the server's stdin: vscode-jsonrpc reports a malformed header as an error and then
// waits for ever (a missing, non-numeric, negative or absurd length left the connection
// unresponsive). A message the framing cannot be recovered from ends the server cleanly, with a
// line on stderr, instead: the client sees the exit and may restart it.
//
// The writer of its stdout (FrameWriter): frames a message at once, and writes one the worker
// serialised as it is.
import { Transform, type TransformCallback } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** No LSP message is larger than this (an open 20 MB buffer is far below it). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** A header block longer than this is not a header block. */
const MAX_HEADER_BYTES = 8192;

/** Why a header block is not acceptable, or the body length it announces. */
export function checkHeaders(block: string): { length: number } | { error: string } {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `malformed header line ${JSON.stringify(line.slice(0, 80))}` };
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(value)) return { error: `Content-Length is not a byte count: ${JSON.stringify(value.slice(0, 40))}` };
    length = Number(value);
    if (length > MAX_MESSAGE_BYTES) return { error: `Content-Length ${length} is over the limit of ${MAX_MESSAGE_BYTES} bytes` };
  }
  if (length === undefined) return { error: 'a message has no Content-Length header' };
  return { length };
}

/**
 * Passes the bytes through unchanged while following the framing; calls `onError` (once) and
 * stops passing data on at the first header that cannot be trusted.
 */
export class FramingGuard extends Transform {
  private header = Buffer.alloc(0);
  /** Body bytes still to pass through before the next header block. */
  private remaining = 0;
  private failed = false;

  constructor(private readonly onError: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    let data = chunk;
    while (data.length > 0) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, data.length);
        this.push(data.subarray(0, n));
        this.remaining -= n;
        data = data.subarray(n);
        continue;
      }
      this.header = Buffer.concat([this.header, data]);
      data = Buffer.alloc(0);
      const end = this.header.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.header.length > MAX_HEADER_BYTES) return this.fail('a header block without an end', done);
        break;
      }
      const block = this.header.subarray(0, end).toString('ascii');
      const checked = checkHeaders(block);
      if ('error' in checked) return this.fail(checked.error, done);
      this.push(this.header.subarray(0, end + 4));
      data = this.header.subarray(end + 4);
      this.header = Buffer.alloc(0);
      this.remaining = checked.length;
    }
    done();
  }

  private fail(message: string, done: TransformCallback): void {
    this.failed = true;
    done();
    this.onError(message);
  }
}

/** A writer that takes a message already serialised (the worker's diagnostics and answers: SerializedMessage). */
export interface SerializedWriter {
  writeSerialized(json: string): void;
}

/**
 * Frames each message on `out` when it is written, in order: vscode-jsonrpc's stream writer
 * serialises through a chain of promises and would serialise again what the worker already did.
 */
export class FrameWriter extends AbstractMessageWriter implements MessageWriter, SerializedWriter {
  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    this.writeSerialized(JSON.stringify(msg));
    return Promise.resolve();
  }

  writeSerialized(json: string): void {
    const body = Buffer.from(json, 'utf8');
    this.out.write(`Content-Length: ${body.length}\r\n\r\n`, 'ascii');
    this.out.write(body);
  }

  end(): void {}
}
