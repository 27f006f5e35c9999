// Migrations in the language server, over a real JSON-RPC connection (issue 20.3, 20.5, 20.6): the
// migrations of the change set and the open ones get diagnostics, applied history does not, the
// quick fix comes through code actions, the checklist item follows, and typing in the settings does
// not run the migration rules again unless the database changes; a models module changed on disk
// brings DDM012 on the untracked migration.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, uri } from '../helpers/lspClient';
import { FIXTURES } from '../helpers/paths';
import type { ChecklistResult, MemoryStats, WireItem } from '../../server/src/protocol';

/** What the branch adds: a NOT NULL column with a one-off default (AddField on line 13). */
const NEW_MIGRATION = readFileSync(path.join(FIXTURES, 'e2e/migrations-branch/0003_order_currency.py'), 'utf8');

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' });
}

describe('language server: migrations', () => {
  let dir: string;
  let client: TestClient;
  let history: string;
  let added: string;
  let settings: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ddh-lsp-migrations-'));
    cpSync(path.join(FIXTURES, 'e2e/migrations'), dir, { recursive: true });
    history = path.join(dir, 'orders/migrations/0002_order_quantity.py');
    added = path.join(dir, 'orders/migrations/0003_order_currency.py');
    settings = path.join(dir, 'shop/settings.py');
    // 0002 (which has a NOT NULL AddField of its own) is applied history on main; 0003 is new
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'history');
    writeFileSync(added, NEW_MIGRATION);
    client = await TestClient.start(dir);
  });
  after(async () => {
    await client?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function migrationsItem(): Promise<WireItem> {
    const r = (await client.connection.sendRequest('djangoDeployHygiene/checklist')) as ChecklistResult;
    const item = r.checklists[0]!.groups.flatMap((g) => g.items).find((i) => i.id === 'migrations-reviewed');
    assert.ok(item, 'the checklist has the migrations item');
    return item;
  }

  it('reports the new migration without opening it, and not the applied history', async () => {
    await client.waitFor(() => client.codesFor(added).includes('DDM001'), 'DDM001 on the new migration', 20_000);
    const d = client.diagnostics.get(uri(added))!.find((x) => x.code === 'DDM001')!;
    assert.equal(d.source, 'Django Deploy Hygiene');
    assert.match(String(d.message), /AddField adds order\.currency as NOT NULL/);
    // the AddField call, line 13 (0-based 12)
    assert.equal(d.range.start.line, 12);
    assert.deepEqual(client.codesFor(history), [], 'the committed migration is history');
    const item = await migrationsItem();
    assert.equal(item.status, 'failing');
    assert.match(item.detail, /^1 of 3 migrations checked: added or changed since the merge base with main/);
    assert.deepEqual(
      item.entries.map((e) => [e.code, e.uri]),
      [['DDM001', uri(added)]],
    );
  });

  it('reports an open migration of the history too, and stops when it is closed', async () => {
    await client.open(history, readFileSync(history, 'utf8'));
    await client.waitFor(() => client.codesFor(history).includes('DDM001'), 'DDM001 on the opened history migration', 20_000);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(history) } });
    await client.waitFor(() => client.codesFor(history).length === 0, 'the closed history migration cleared', 20_000);
  });

  it('typing in the settings does not run the migration rules again; changing the database does', async () => {
    const text = readFileSync(settings, 'utf8');
    await client.open(settings, text);
    await client.waitFor(() => client.diagnostics.has(uri(settings)), 'settings analysed');
    // the checklist request answers once nothing is pending: every publication before it has arrived
    await client.connection.sendRequest('djangoDeployHygiene/checklist');
    // the server counts the analyses it runs (the same diagnostics are not published again)
    const analyses = async (): Promise<MemoryStats['analyses']> =>
      ((await client.connection.sendRequest('djangoDeployHygiene/memory')) as MemoryStats).analyses;
    const before = await analyses();
    // a comment typed at the end, then removed: the settings are analysed again
    const end = text.split('\n').length - 1;
    await client.change(settings, 2, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, text: '# x' }]);
    await client.change(settings, 3, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 3 } }, text: '' }]);
    await client.connection.sendRequest('djangoDeployHygiene/checklist'); // settles the analysis
    const typed = await analyses();
    assert.ok(typed.settings > before.settings, `the settings were analysed again: ${JSON.stringify(typed)}`);
    assert.equal(typed.migrations, before.migrations, 'the migration was not analysed again');
    // PostgreSQL → SQLite: the vendor changes, the migration is analysed again
    const at = text.indexOf('django.db.backends.postgresql');
    const line = text.slice(0, at).split('\n').length - 1;
    const col = at - text.lastIndexOf('\n', at - 1) - 1;
    await client.change(settings, 4, [
      {
        range: { start: { line, character: col }, end: { line, character: col + 'django.db.backends.postgresql'.length } },
        text: 'django.db.backends.sqlite3',
      },
    ]);
    await client.connection.sendRequest('djangoDeployHygiene/checklist'); // settles the analysis
    assert.ok((await analyses()).migrations > before.migrations, 'the migration analysed again after the vendor changed');
    await client.change(settings, 5, [
      {
        range: { start: { line, character: col }, end: { line, character: col + 'django.db.backends.sqlite3'.length } },
        text: 'django.db.backends.postgresql',
      },
    ]);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(settings) } });
  });

  it('offers the quick fix; once applied the finding and the failing item are gone', async () => {
    const text = NEW_MIGRATION;
    await client.open(added, text);
    await client.waitFor(() => client.codesFor(added).includes('DDM001'), 'DDM001 on the open migration', 20_000);
    const d = client.diagnostics.get(uri(added))!.find((x) => x.code === 'DDM001') as Diagnostic;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(added) },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((a) => /^Add null=True to order\.currency as the expand step \(unsafe: changes the schema/.test(a.title));
    assert.ok(fix, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, false, 'an unsafe fix is never the preferred one');
    const change = fix.edit!.documentChanges![0] as { textDocument: { uri: string; version: number | null }; edits: TextEdit[] };
    assert.equal(change.textDocument.uri, uri(added));
    assert.equal(change.textDocument.version, 1);
    await client.change(
      added,
      2,
      change.edits.map((e) => ({ range: e.range, text: e.newText })),
    );
    await client.waitFor(() => !client.codesFor(added).includes('DDM001'), 'DDM001 gone after the fix', 20_000);
    const item = await migrationsItem();
    assert.equal(item.status, 'passed', item.detail);
    assert.equal(item.description, 'no destructive change found');
  });

  it('DDM012: a models module changed on disk makes the untracked migration an uncommitted one', async () => {
    assert.ok(!client.codesFor(added).includes('DDM012'), 'the models have not changed yet');
    const models = path.join(dir, 'orders/models.py');
    writeFileSync(models, `${readFileSync(models, 'utf8')}\n# the currency field goes here\n`);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(models), type: 2 }] });
    await client.waitFor(() => client.codesFor(added).includes('DDM012'), 'DDM012 on the untracked migration', 20_000);
    const d = client.diagnostics.get(uri(added))!.find((x) => x.code === 'DDM012')!;
    assert.match(String(d.message), /^0003_order_currency is not in git while the models of orders changed/);
  });
});

describe('language server: migrations of a folder without git history (issue 58)', () => {
  let dir: string;
  let client: TestClient;
  let newest: string;

  before(async () => {
    // a copy, not a repository: no change set, so the newest migration of each app is checked
    dir = mkdtempSync(path.join(tmpdir(), 'ddh-lsp-migrations-nogit-'));
    cpSync(path.join(FIXTURES, 'e2e/migrations'), dir, { recursive: true });
    newest = path.join(dir, 'orders/migrations/0003_order_currency.py');
    writeFileSync(newest, NEW_MIGRATION);
    client = await TestClient.start(dir);
  });
  after(async () => {
    await client?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says in the Problems row that the migration was checked as the newest of its app because git cannot tell', async () => {
    await client.waitFor(() => client.codesFor(newest).includes('DDM001'), 'DDM001 on the newest migration', 20_000);
    const d = client.diagnostics.get(uri(newest))!.find((x) => x.code === 'DDM001')!;
    assert.match(
      String(d.message),
      /\(Checked as the newest migration of its app: not a git repository, so git cannot tell new migrations from applied ones; if it was applied long ago, this does not matter\.\)$/,
    );
  });
});
