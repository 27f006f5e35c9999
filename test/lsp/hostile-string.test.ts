// Issue 29's hostile string, through the language server: a settings module holding one
// 150-character string shaped like a rate limit (it once sent the credential check's pattern into
// exponential backtracking and froze the server for minutes) gets its other findings, DEBUG among
// them, and no "analysis stopped" warning; hovers on another file are answered meanwhile.
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { TestClient, uri } from '../helpers/lspClient';
import { tempDir } from '../helpers/tempDir';

/** The string of the issue, as Python would build it: '0/A\t' + ',0/\tA\t' * 30 + '/'. */
const HOSTILE = `0/A\t${',0/\tA\t'.repeat(30)}/`;

describe('language server: the hostile rate-limit string', () => {
  const clients: TestClient[] = [];
  after(async () => {
    for (const c of clients) await c.stop();
  });

  it('reports DEBUG and the rest, and never stops the analysis', async () => {
    const dir = realpathSync(tempDir('ddh-lsp-hostile-'));
    mkdirSync(path.join(dir, 'mysite'));
    writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
    writeFileSync(path.join(dir, 'mysite', '__init__.py'), '');
    const settings = path.join(dir, 'mysite', 'settings.py');
    // written out as one literal, with the tabs escaped as Python source would have them
    const text = `DEBUG = True\nSECRET_KEY = "x"\nAPI_SECRET = '${HOSTILE.replaceAll('\t', '\\t')}'\nALLOWED_HOSTS = []\n`;
    writeFileSync(settings, text);
    const client = await TestClient.start(dir);
    clients.push(client);
    await client.open(settings, text);
    await client.waitFor(() => client.codesFor(settings).includes('DDH107'), 'DEBUG reported', 15_000);
    assert.ok(client.codesFor(settings).includes('DDH201'), client.codesFor(settings).join(' '));
    assert.ok(!client.logs.some((m) => /stopped/.test(m)), client.logs.join('\n'));
    assert.ok(!(client.diagnostics.get(uri(settings)) ?? []).some((d) => String(d.message).startsWith('Analysis stopped')));
  });
});
