// The language server's stdio output: what one turn of the event loop writes leaves in one write.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { CoalescingWriter } from '../../server/src/lsp/coalescing';

/** An output that records each write it is given. */
function recorder(): { out: Writable; writes: string[] } {
  const writes: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      writes.push(chunk.toString());
      cb();
    },
  });
  return { out, writes };
}

const written = (w: Writable, data: string, encoding?: BufferEncoding): Promise<void> =>
  new Promise((resolve, reject) => {
    const cb = (e?: Error | null): void => (e ? reject(e) : resolve());
    if (encoding) w.write(data, encoding, cb);
    else w.write(data, cb);
  });

describe('the coalescing output of the language server', () => {
  it('writes the messages of one turn once, in order, each part awaited as vscode-jsonrpc does', async () => {
    const { out, writes } = recorder();
    const w = new CoalescingWriter(out);
    // two messages: header then body, the body written once the header's write is done
    for (const body of ['{"a":1}', '{"b":"é"}']) {
      await written(w, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`, 'ascii');
      await written(w, body);
    }
    assert.deepEqual(writes, [], 'nothing is written before the turn ends');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['Content-Length: 7\r\n\r\n{"a":1}Content-Length: 10\r\n\r\n{"b":"é"}']);
    // the next turn's messages are a write of their own
    await written(w, 'x');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes.slice(1), ['x']);
  });

  it('hands over what it gathered when flushed or ended, before the output is told', async () => {
    const { out, writes } = recorder();
    const w = new CoalescingWriter(out);
    await written(w, 'answer');
    await new Promise<void>((resolve) => w.flush(resolve));
    assert.deepEqual(writes, ['answer']);
    await written(w, 'last');
    await new Promise<void>((resolve) => w.end(resolve));
    assert.deepEqual(writes, ['answer', 'last']);
  });
});
