// "Show the Production Settings as Django Will See Them" (issue 30.1, the checklist opens it): the
// server answers djangoDeployHygiene/settingsView over a real JSON-RPC connection with the text the
// CLI's `settings` command prints for the same folder (the CLI is the oracle), computed by the
// analysis worker from its analyses (an unsaved edit shows), never by the protocol thread.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SETTINGS_VIEW_REQUEST, type SettingsViewResult } from '../../server/src/protocol';
import { TestClient } from '../helpers/lspClient';
import { CLI, REPO } from '../helpers/paths';

const project = path.join(REPO, 'test/fixtures/projects/split-settings');
const production = path.join(project, 'mysite/settings/production.py');

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, 'settings', project, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the production settings view over LSP', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(project);
  });
  after(async () => {
    await client.stop();
  });

  const view = (params: { root?: string; diff?: boolean } = {}): Promise<SettingsViewResult> =>
    client.connection.sendRequest(SETTINGS_VIEW_REQUEST, params) as Promise<SettingsViewResult>;

  it('is the text the CLI prints, for every project and for one, with --diff', async () => {
    const all = await view();
    assert.equal(all.projects, 1);
    assert.equal(all.text, cli(), 'the same text as django-deploy-check settings');
    assert.match(all.text, /^mysite\.settings\.production \(mysite\/settings\/production\.py\), Django /);
    assert.match(
      all.text,
      /\nDEBUG = False {2}# overridable: mysite\/settings\/production\.py:6, overriding mysite\/settings\/base\.py:9; the default used when DJANGO_DEBUG is not set, unless local\.py overrides it/,
    );
    const diff = await view({ root: project, diff: true });
    assert.equal(diff.text, cli('--diff'));
    assert.ok(diff.text.split('\n').length < all.text.split('\n').length, '--diff leaves out the defaults');
  });

  it('never shows a secret', async () => {
    const { text } = await view({ root: project });
    assert.doesNotMatch(text, /django-insecure/);
  });

  it('shows the unsaved text of an open settings module (the worker analyses it again first)', async () => {
    const text = readFileSync(production, 'utf8');
    const line = /^DEBUG = os\.environ\.get\("DJANGO_DEBUG", "False"\).*$/m;
    assert.match(text, line);
    await client.open(production, text);
    await client.change(production, 2, [{ text: text.replace(line, 'DEBUG = True') }]);
    const edited = await view({ root: project });
    assert.match(
      edited.text,
      /\nDEBUG = True {2}# overridable: mysite\/settings\/production\.py:6, overriding mysite\/settings\/base\.py:9; as written in the settings, unless local\.py overrides it/,
    );
    await client.change(production, 3, [{ text }]);
    assert.equal((await view()).text, cli(), 'as the file on disk again');
  });

  it('a root that is no project: nothing', async () => {
    assert.deepEqual(await view({ root: path.join(project, 'mysite') }), { text: '', projects: 0 });
  });
});
