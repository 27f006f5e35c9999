// The language server's pass budget covers finding the projects too (discovery and version
// detection, as the CLI's --time-limit does): a pass that runs out while finding them names the
// folders it did not read, keeps nothing it did not see as gone, and the checklist answers with what
// was found. The budget is the server's --pass-budget option; 0 is "already out", so the outcome does
// not depend on how fast the machine is.
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { TestClient } from '../helpers/lspClient';
import { SERVER } from '../helpers/paths';
import type { ChecklistResult } from '../../server/src/protocol';
import { tempDir } from '../helpers/tempDir';

/** A workspace of two small projects whose settings leave DEBUG on. */
function twoProjects(): string {
  const dir = realpathSync(tempDir('ddh-lsp-budget-'));
  for (const name of ['one', 'two']) {
    mkdirSync(path.join(dir, name, `${name}site`), { recursive: true });
    writeFileSync(
      path.join(dir, name, 'manage.py'),
      `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}site.settings")\n`,
    );
    writeFileSync(path.join(dir, name, `${name}site`, '__init__.py'), '');
    writeFileSync(path.join(dir, name, `${name}site`, 'settings.py'), 'DEBUG = True\nSECRET_KEY = "x"\n');
    writeFileSync(path.join(dir, name, 'requirements.txt'), 'Django==4.2.11\n');
  }
  return dir;
}

const settingsUri = (dir: string, name: string): string => `file://${path.join(dir, name, `${name}site`, 'settings.py')}`;
const OUT = /ran out of its .* budget while finding the projects/;

describe('language server: the pass budget bounds finding the projects', () => {
  const clients: TestClient[] = [];
  after(async () => {
    for (const c of clients) await c.stop();
  });

  it('with no time left, names the folders it did not read and analyses nothing it did not find', async () => {
    const dir = twoProjects();
    const client = await TestClient.startBare(process.execPath, [SERVER, '--stdio', '--pass-budget=0'], dir, {});
    clients.push(client);
    // the checklist waits for the pass to settle: its answer is the pass's outcome
    const result = (await client.connection.sendRequest('djangoDeployHygiene/checklist')) as ChecklistResult;
    assert.deepEqual(result.checklists, []);
    const said = client.logs.filter((m) => OUT.test(m));
    assert.ok(said.length > 0, client.logs.join('\n'));
    assert.match(
      said[0]!,
      new RegExp(
        `0 s budget while finding the projects; 2 folders that look like projects were not read this time \\(${path.join(dir, 'one')}, ${path.join(dir, 'two')}\\)`,
      ),
    );
    for (const name of ['one', 'two']) assert.equal(client.diagnostics.get(settingsUri(dir, name))?.length ?? 0, 0);
  });

  it('with its usual budget, the same workspace is found and analysed, and nothing is said about the budget', async () => {
    const dir = twoProjects();
    const client = await TestClient.startBare(process.execPath, [SERVER, '--stdio'], dir, {});
    clients.push(client);
    const result = (await client.connection.sendRequest('djangoDeployHygiene/checklist')) as ChecklistResult;
    assert.deepEqual(result.checklists.map((c) => c.root).sort(), [path.join(dir, 'one'), path.join(dir, 'two')]);
    for (const name of ['one', 'two'])
      assert.ok(
        (client.diagnostics.get(settingsUri(dir, name)) ?? []).some((d) => d.code === 'DDH107'),
        name,
      );
    assert.deepEqual(
      client.logs.filter((m) => OUT.test(m)),
      [],
    );
  });
});
