// The language server and the dependency files: the checklist's Django version source never shows
// a URL (or the token in it), and a [tool.django-deploy-check] table with an unknown key is said
// once, as a warning notification.
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { TestClient } from '../helpers/lspClient';
import { FIXTURES } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

describe('language server: dependency files', () => {
  const clients: TestClient[] = [];
  after(async () => {
    for (const c of clients) await c.stop();
  });

  it("answers the checklist with the matched constraint only, never the URL's token", async () => {
    const client = await TestClient.start(path.join(FIXTURES, 'projects', 'deps-url-token'));
    clients.push(client);
    await client.waitFor(() => [...client.diagnostics.values()].some((d) => d.length > 0), 'first analysis');
    const result = (await client.connection.sendRequest(
      'djangoDeployHygiene/checklist',
    )) as import('../../server/src/protocol').ChecklistResult;
    const c = result.checklists[0]!;
    assert.equal(c.djangoVersion.assumed, true);
    assert.match(c.djangoVersion.source, /^pyproject\.toml: django @ \(a URL, no version\)/);
    assert.doesNotMatch(JSON.stringify(result), /glpat-DeployTokenValue123|oauth2|gitlab\.example\.com/);
    for (const diags of client.diagnostics.values()) for (const d of diags) assert.doesNotMatch(String(d.message), /glpat-|oauth2/);
  });

  it('shows a warning for an unknown key of [tool.django-deploy-check], once', async () => {
    const dir = tempDir('ddh-lsp-config-');
    cpSync(path.join(FIXTURES, 'projects', 'deps-poetry'), dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'pyproject.toml'),
      '[tool.django-deploy-check]\nsettings = "shop.settings"\nsevrity = { DDH401 = "off" }\n',
    );
    const shown: string[] = [];
    const client = await TestClient.start(dir);
    clients.push(client);
    client.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      shown.push(`${p.type} ${p.message}`);
    });
    await client.waitFor(() => [...client.diagnostics.values()].some((d) => d.length > 0), 'first analysis');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      shown.filter((m) => m.includes('sevrity')),
      [
        `2 Django Deploy Hygiene: ${path.join(dir, 'pyproject.toml')}: unknown key \`sevrity\` (did you mean \`severity\`?): ignored; the table knows settings, django-version, disable, severity, fail-on`,
      ],
    );
  });
});
