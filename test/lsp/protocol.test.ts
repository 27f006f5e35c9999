// The server survives malformed JSON-RPC, requests for unknown documents and out-of-order edits.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fork, spawn } from 'node:child_process';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../helpers/lspClient';
import { SERVER } from '../helpers/paths';
import { checkHeaders } from '../../server/src/lsp/framing';
import { tempDir } from '../helpers/tempDir';

describe('protocol robustness', () => {
  let client: TestClient;
  let dir: string;
  let settings: string;
  before(async () => {
    dir = tempDir('ddh-proto-');
    mkdirSync(path.join(dir, 'mysite'));
    writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    settings = path.join(dir, 'mysite/settings.py');
    writeFileSync(settings, 'DEBUG = True\n');
    client = await TestClient.start(dir);
    await client.waitFor(() => client.codesFor(settings).includes('DDH107'), 'first diagnostics');
  });
  after(async () => {
    await client.stop();
  });

  const alive = async (): Promise<void> => {
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uri(settings) },
      position: { line: 0, character: 9 },
    });
    assert.notEqual(hover, undefined);
    assert.equal(client.proc.exitCode, null, 'the server process exited');
  };

  it('survives malformed JSON and unknown methods', async () => {
    const garbage = '{"jsonrpc": "2.0", "id": 99, "method": ';
    client.proc.stdin!.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    const notJson = 'this is not json at all';
    client.proc.stdin!.write(`Content-Length: ${Buffer.byteLength(notJson)}\r\n\r\n${notJson}`);
    await assert.rejects(client.connection.sendRequest('djangoDeployHygiene/noSuchMethod', {}));
    await alive();
  });

  it('answers requests for unknown documents', async () => {
    const ghost = uri(path.join(dir, 'ghost.py'));
    assert.equal(
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: ghost }, position: { line: 3, character: 1 } }),
      null,
    );
    assert.deepEqual(
      await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: ghost },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      }),
      [],
    );
    assert.deepEqual(
      await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: ghost },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      }),
      [],
    );
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: ghost } });
    await alive();
  });

  it('survives edits to unopened documents, out-of-range ranges and versions going backwards', async () => {
    await client.change(path.join(dir, 'never-opened.py'), 5, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' },
    ]);
    await client.open(settings, 'DEBUG = True\n');
    await client.change(settings, 2, [
      { range: { start: { line: 40, character: 3 }, end: { line: 99, character: 0 } }, text: '\nSECRET_KEY = "abc"\n' },
    ]);
    await client.change(settings, 1, [{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 12 } }, text: 'False' }]);
    await client.change(settings, 3, [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 2 } }, text: '' }]);
    await client.change(settings, 4, [{ text: 'DEBUG = True\nALLOWED_HOSTS = ["*"]\n' }]);
    await client.waitFor(() => client.codesFor(settings).includes('DDH202'), 'diagnostics after a full-text change');
    await alive();
  });

  it('rejects a request with broken params without dying', async () => {
    await assert.rejects(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 42 } }));
    await alive();
  });

  it('exits cleanly on a malformed Content-Length header instead of going silent (over real stdio)', async () => {
    for (const header of [
      'Content-Length: abc',
      'Content-Length: -5',
      'Content-Length: 99999999999999',
      'Content-Length: 1e3',
      'Content-Type: text/plain',
    ]) {
      const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      const send = (o: object): void => {
        const b = JSON.stringify(o);
        proc.stdin.write(`Content-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`);
      };
      send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      await new Promise<void>((resolve) => {
        const check = (): void => void (/"id":1/.test(stdout) ? resolve() : setTimeout(check, 20));
        check();
      });
      proc.stdin.write(`${header}\r\n\r\n{"jsonrpc":"2.0","id":2,"method":"shutdown"}`);
      const timer = setTimeout(() => proc.kill(), 20_000);
      const code = await exited;
      clearTimeout(timer);
      assert.equal(code, 1, `${header}: the server did not exit by itself (stdout ${stdout.slice(0, 200)})`);
      assert.match(stderr, /stopping on malformed input/, header);
    }
    // what the guard accepts: any header order, extra headers, a zero-length body
    assert.deepEqual(checkHeaders('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 42'), { length: 42 });
    assert.deepEqual(checkHeaders('Content-Length: 0'), { length: 0 });
  });

  it('escapes control characters in diagnostic messages and checklist answers', async () => {
    const evil = path.join(dir, 'mysite/settings.py');
    // the evaluator's note quotes the include() pattern, which the Python literal makes an escape and a newline
    await client.open(evil, 'from split_settings.tools import include\ninclude("x\\x1b[31m\\n::error file=f::y.py")\nDEBUG = True\n');
    await client.waitFor(() => client.codesFor(evil).includes('DDH002'), 'the include() note');
    const message = String(client.diagnostics.get(uri(evil))!.find((d) => d.code === 'DDH002')!.message);
    assert.doesNotMatch(message, /[\u0000-\u001f]/, message);
    assert.match(message, /x\\x1b\[31m\\n::error/);
    const lists = (await client.connection.sendRequest('djangoDeployHygiene/checklist', {})) as object;
    assert.doesNotMatch(JSON.stringify(lists), /\\u001b/, 'a raw escape in the checklist answer');
    await client.open(evil, 'DEBUG = True\n');
  });
});

describe('the server over node-ipc', () => {
  // Over stdio the protocol thread writes the worker's serialised diagnostics and answers as they
  // are; over the other transports it gives them to the transport's writer as messages again.
  it('publishes diagnostics, answers hovers over them and forwards the answers of the worker', async () => {
    const dir = tempDir('ddh-ipc-');
    mkdirSync(path.join(dir, 'mysite'));
    writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    const settings = path.join(dir, 'mysite/settings.py');
    writeFileSync(settings, '# “quoted” — é\nDEBUG = True\n');
    const proc = fork(SERVER, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const conn = createProtocolConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    const published = new Map<string, Diagnostic[]>();
    let poke = (): void => undefined;
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      published.set(p.uri, p.diagnostics);
      poke();
    });
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    try {
      await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: uri(dir),
        workspaceFolders: [{ uri: uri(dir), name: 'ipc' }],
        capabilities: { workspace: { configuration: true } },
      });
      await conn.sendNotification('initialized', {});
      const debug = (): Diagnostic | undefined => published.get(uri(settings))?.find((d) => d.code === 'DDH107');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no DDH107 over node-ipc: ${JSON.stringify([...published])}`)), 20_000);
        poke = () => {
          if (debug()) {
            clearTimeout(timer);
            resolve();
          }
        };
        poke();
      });
      assert.deepEqual(debug()!.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } });
      const hover = (await conn.sendRequest('textDocument/hover', {
        textDocument: { uri: uri(settings) },
        position: { line: 1, character: 9 },
      })) as { contents: { value: string } } | null;
      assert.match(hover?.contents.value ?? '', /DDH107/);
      const lists = (await conn.sendRequest('djangoDeployHygiene/checklist', {})) as { checklists: { production?: { uri: string } }[] };
      assert.equal(lists.checklists[0]?.production?.uri, uri(settings));
    } finally {
      conn.dispose();
      proc.kill();
    }
  });
});
