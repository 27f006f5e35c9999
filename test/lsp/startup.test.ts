// The server's start over a real JSON-RPC connection: the protocol thread starts the analysis worker
// first, asks the client's configuration itself as soon as the client is initialized (the worker's
// first request of it is answered from there), and holds a hover that comes before the worker sent
// the rules' documentation (it does so just after its first diagnostics) instead of answering it
// without them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TestClient, uri } from '../helpers/lspClient';
import { REPO } from '../helpers/paths';

const example = path.join(REPO, 'examples/mysite');
const settingsFile = path.join(example, 'mysite/settings.py');

function positionOf(file: string, needle: string): { line: number; character: number } {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${file}`);
  const lines = text.slice(0, at).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length + 1 };
}

describe('server start', () => {
  it('asks the client for its configuration once, before the worker is up, and the worker uses the answer', async () => {
    // a setting the worker can only have learnt from that one answer
    const client = await TestClient.start(example, { disabledRules: ['DDH101'] });
    try {
      await client.waitFor(() => (client.diagnostics.get(uri(settingsFile)) ?? []).length > 0, 'the first diagnostics');
      await client.connection.sendRequest('djangoDeployHygiene/checklist');
      assert.equal(client.configurationRequests, 1, 'one configuration request in all');
      assert.equal(client.serverRequests[0], 'workspace/configuration', `asked first: ${client.serverRequests.join(', ')}`);
      assert.ok(!client.codesFor(settingsFile).includes('DDH101'), `DDH101 is disabled by the answer: ${client.codesFor(settingsFile)}`);
      assert.ok(client.codesFor(settingsFile).length > 0);
    } finally {
      await client.stop();
    }
  });

  it('answers a hover that comes before the first diagnostics with the rule documentation, once it is there', async () => {
    const client = await TestClient.start(example);
    try {
      // sent at once: the worker is still starting, nothing is published yet
      const hover = (await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: uri(settingsFile) },
        position: positionOf(settingsFile, 'django-insecure-'),
      })) as { contents: { value: string } } | null;
      assert.ok(hover, 'a hover');
      assert.match(hover.contents.value, /DDH101 hardcoded-secret-key/);
    } finally {
      await client.stop();
    }
  });
});
