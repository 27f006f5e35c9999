// The language server's stdout writer (framing.ts, FrameWriter): the bytes vscode-jsonrpc's stream
// writer gives, and a message the worker serialised written as it is, in the order written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { type Message, StreamMessageWriter } from 'vscode-languageserver/node';
import { FrameWriter } from '../../server/src/lsp/framing';

/** An output that keeps every byte written to it. */
function sink(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

const MESSAGES: Message[] = [
  { jsonrpc: '2.0', id: 1, result: null } as Message,
  {
    jsonrpc: '2.0',
    method: 'textDocument/publishDiagnostics',
    // non-ASCII: Content-Length counts bytes, not characters
    params: { uri: 'file:///srv/app/settings.py', diagnostics: [{ message: 'SECRET_KEY — “hardcoded” 🔑', range: {} }] },
  } as Message,
  { jsonrpc: '2.0', id: 'ddh-2', error: { code: -32800, message: 'cancelled' } } as Message,
];

describe('the framing writer of the language server', () => {
  it('writes what vscode-jsonrpc writes, byte for byte', async () => {
    const ours = sink();
    const theirs = sink();
    const frame = new FrameWriter(ours.out);
    const stream = new StreamMessageWriter(theirs.out);
    for (const m of MESSAGES) {
      await frame.write(m);
      await stream.write(m);
    }
    assert.ok(theirs.bytes().includes('Content-Length: '), 'the reference wrote frames');
    assert.deepEqual(ours.bytes(), theirs.bytes());
  });

  it('writes a serialised message as it is, in order with the messages written before and after', () => {
    const direct = sink();
    const mixed = sink();
    const a = new FrameWriter(direct.out);
    for (const m of MESSAGES) void a.write(m);
    const b = new FrameWriter(mixed.out);
    void b.write(MESSAGES[0]!);
    b.writeSerialized(JSON.stringify(MESSAGES[1]));
    void b.write(MESSAGES[2]!);
    assert.deepEqual(mixed.bytes(), direct.bytes());
    const text = mixed.bytes().toString('utf8');
    const body = JSON.stringify(MESSAGES[1]);
    assert.ok(text.includes(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`), 'the length counts bytes');
    assert.notEqual(Buffer.byteLength(body), body.length, 'the body holds characters of more than one byte');
  });
});
