// The property of issue 13.3 in the editor: no string of a fixture that the secrets module
// recognises appears in the language server's diagnostics, hover texts, code-action titles or
// checklist answers (the view's JSON and the Markdown for pull requests).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver-protocol';

import { TestClient } from '../helpers/lspClient';
import { appears, fixtureSecrets, layOutFixtures } from '../helpers/secretFixtures';

describe('language server: no recognised secret in any answer', () => {
  let root = '';
  let client: TestClient;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'ddh-lsp-secrets-'));
    assert.ok(layOutFixtures(root, true) > 20);
    client = await TestClient.start(root);
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('diagnostics, hovers, code-action titles and checklists', async () => {
    const { secrets } = fixtureSecrets();
    const said: string[] = [];
    // the checklist request waits for the analysis of every project
    said.push(JSON.stringify(await client.connection.sendRequest('djangoDeployHygiene/checklist')));
    said.push(String(await client.connection.sendRequest('djangoDeployHygiene/checklistMarkdown', { ticked: [] })));
    const published = [...client.diagnostics].filter(([, ds]) => ds.length > 0);
    assert.ok(published.length > 20, `${published.length} files with diagnostics`);
    let hovers = 0;
    let actions = 0;
    for (const [docUri, diagnostics] of published) {
      const file = fileURLToPath(docUri);
      await client.open(file, readFileSync(file, 'utf8'), file.endsWith('.py') ? 'python' : 'plaintext');
      for (const d of diagnostics as Diagnostic[]) {
        said.push(JSON.stringify(d.message));
        const hover = (await client.connection.sendRequest('textDocument/hover', {
          textDocument: { uri: docUri },
          position: d.range.start,
        })) as Hover | null;
        if (hover) {
          hovers++;
          said.push(JSON.stringify(hover.contents));
        }
        const acts = (await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri: docUri },
          range: d.range,
          context: { diagnostics: [d] },
        })) as CodeAction[];
        for (const a of acts) {
          actions++;
          said.push(a.title);
        }
      }
    }
    assert.ok(hovers > 20 && actions > 20, `${hovers} hovers, ${actions} code actions`);
    const all = said.join('\n');
    const leaks = [...secrets].filter(([s]) => appears(all, s));
    assert.deepEqual(
      leaks.map(([s, where]) => `${where}: ${s.slice(0, 3)}…`),
      [],
      'the server says recognised secrets',
    );
  });
});
