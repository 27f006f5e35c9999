// The analysis runs in a worker thread that the protocol thread stops and replaces when it does not
// come back within the deadline (supervisor.ts). A module whose evaluation never returns stands in
// for a hostile input (DDH_TEST_STALL_ON, read by the worker only): while the worker is stuck, a
// hover on another project's file is answered; then the worker is stopped, the stuck file gets an
// "analysis stopped" warning naming the phase and the file, the other project keeps its findings
// and is analysed by the new worker, and the next edit of the stopped project analyses it again.
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../helpers/lspClient';
import { tempDir } from '../helpers/tempDir';

function project(dir: string, name: string, settings: string): string {
  mkdirSync(path.join(dir, name, `${name}site`), { recursive: true });
  writeFileSync(path.join(dir, name, 'manage.py'), `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}site.settings")\n`);
  writeFileSync(path.join(dir, name, `${name}site`, '__init__.py'), '');
  writeFileSync(path.join(dir, name, 'requirements.txt'), 'Django==4.2.11\n');
  const file = path.join(dir, name, `${name}site`, 'settings.py');
  writeFileSync(file, settings);
  return file;
}

describe('language server: an analysis past its deadline is stopped, the rest goes on', () => {
  const clients: TestClient[] = [];
  after(async () => {
    for (const c of clients) await c.stop();
  });

  it('answers hovers while the worker is stuck, names where it stopped, keeps the other findings, and analyses again at the next edit', async () => {
    const dir = realpathSync(tempDir('ddh-lsp-deadline-'));
    const stuckSettings = project(dir, 'one', 'DEBUG = True\nSECRET_KEY = "x"\n');
    const stall = path.join(dir, 'one', 'onesite', 'slow.py');
    writeFileSync(stall, 'CACHE_TIMEOUT = 5\n');
    const otherSettings = project(dir, 'two', 'DEBUG = True\nALLOWED_HOSTS = []\n');
    const client = await TestClient.start(dir, {}, {}, { args: ['--analysis-deadline=2'], env: { DDH_TEST_STALL_ON: stall } });
    clients.push(client);
    const original = 'DEBUG = True\nSECRET_KEY = "x"\n';
    await client.open(stuckSettings, original);
    await client.open(otherSettings, 'DEBUG = True\nALLOWED_HOSTS = []\n');
    await client.waitFor(
      () => client.codesFor(stuckSettings).includes('DDH107') && client.codesFor(otherSettings).includes('DDH107'),
      'both projects analysed',
    );
    const other = client.diagnostics.get(uri(otherSettings))!.find((d) => d.code === 'DDH107')!;

    // the edit makes production read the module whose evaluation never returns
    await client.change(stuckSettings, 2, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'from .slow import *\n' },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uri(otherSettings) },
      position: other.range.start,
    })) as { contents: { value: string } } | null;
    // answered before the worker was stopped: the warning has not come yet
    assert.equal(client.codesFor(stall).length, 0, 'the hover came after the stop');
    assert.match(hover?.contents.value ?? '', /DDH107/);
    // a request the stuck worker holds is cancelled at once
    const source = new CancellationTokenSource();
    const held = client.connection.sendRequest('djangoDeployHygiene/checklist', undefined, source.token);
    source.cancel();
    await assert.rejects(held, (e: { code?: number }) => e.code === -32800);
    assert.equal(client.codesFor(stall).length, 0, 'the cancellation came after the stop');

    await client.waitFor(() => client.codesFor(stall).includes('DDH004'), 'the analysis-stopped warning', 15_000);
    const note = client.diagnostics.get(uri(stall))!.find((d) => d.code === 'DDH004')!;
    assert.match(
      String(note.message),
      /^Analysis stopped: it ran past its 2 s deadline while evaluating the settings in one\/onesite\/slow\.py\. /,
    );
    assert.ok(
      client.logs.some((m) =>
        /the analysis ran past its 2 s deadline while evaluating the settings in one\/onesite\/slow\.py \(project one\)/.test(m),
      ),
    );
    // the other project keeps its findings (and the new worker analyses it again)
    assert.ok(client.codesFor(otherSettings).includes('DDH107'));
    // the stopped project keeps what it had; a hover there is still answered
    assert.ok(client.codesFor(stuckSettings).includes('DDH107'));

    // the next edit analyses the stopped project again: without the import, in time
    await client.change(stuckSettings, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    await client.change(stuckSettings, 4, [
      { range: { start: { line: 0, character: 7 }, end: { line: 0, character: 11 } }, text: 'False' },
    ]);
    await client.waitFor(() => !client.codesFor(stuckSettings).includes('DDH107'), 'the stopped project analysed again after an edit');
    // and requests the worker answers work again
    const checklist = (await client.connection.sendRequest('djangoDeployHygiene/checklist')) as { checklists: unknown[] };
    assert.equal(checklist.checklists.length, 2);
  });
});

describe('language server: a worker that cannot run', () => {
  it('is started again less and less often, while the protocol thread answers and shuts down cleanly', async () => {
    const dir = realpathSync(tempDir('ddh-lsp-heap-'));
    const settings = project(dir, 'one', 'DEBUG = True\n');
    // a heap far too small for the analysis: every worker dies of it soon after it starts
    const client = await TestClient.start(dir, {}, {}, { args: ['--analysis-heap=1'] });
    await client.open(settings, 'DEBUG = True\n');
    await client.waitFor(
      () => client.logs.filter((m) => /ran out of its memory limit|failed/.test(m)).length >= 2,
      'two failed workers',
      20_000,
    );
    // answered by the protocol thread: the file shows why it has no findings
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uri(settings) },
      position: { line: 0, character: 0 },
    })) as { contents: { value: string } } | null;
    assert.match(hover?.contents.value ?? '', /DDH004/);
    assert.match(String(client.diagnostics.get(uri(settings))?.[0]?.message), /^Analysis stopped: it ran out of its memory limit/);
    // started again with growing delays, not in a tight loop: a few in two seconds, not hundreds
    const before = client.logs.length;
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(client.logs.length - before <= 3, client.logs.slice(before).join('\n'));
    await client.stop();
    assert.ok(await new Promise((r) => (client.proc.exitCode !== null ? r(true) : client.proc.once('exit', () => r(true)))));
  });
});

describe('language server: shutdown while the worker is stuck', () => {
  it('is answered by the protocol thread, and exit ends the process cleanly without waiting for the worker', async () => {
    const dir = realpathSync(tempDir('ddh-lsp-shutdown-'));
    const settings = project(dir, 'one', 'DEBUG = True\n');
    // the very first analysis never returns, and the deadline is far away
    const client = await TestClient.start(dir, {}, {}, { args: ['--analysis-deadline=600'], env: { DDH_TEST_STALL_ON: settings } });
    await client.open(settings, 'DEBUG = True\n');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await client.connection.sendRequest('shutdown'), null);
    const exited = new Promise<number | null>((r) =>
      client.proc.exitCode !== null ? r(client.proc.exitCode) : client.proc.once('exit', (code) => r(code)),
    );
    await client.connection.sendNotification('exit');
    assert.equal(await exited, 0);
    assert.equal(client.codesFor(settings).length, 0, 'no analysis finished, none was stopped');
    client.connection.dispose();
  });
});
