// The hover over a setting's name in any settings module shows what it is in production
// (analysis/settingsView.ts, the view `django-deploy-check settings` prints), over a real JSON-RPC
// connection: the worker sends the hovers to the protocol thread (supervisor.ts), which answers
// with no analysis of its own — also while the worker is busy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClient, uri } from '../helpers/lspClient';
import { REPO } from '../helpers/paths';

const project = path.join(REPO, 'test/fixtures/projects/split-settings');
const base = path.join(project, 'mysite/settings/base.py');
const production = path.join(project, 'mysite/settings/production.py');

function positionOf(file: string, needle: string, nth = 1): { line: number; character: number } {
  const text = readFileSync(file, 'utf8');
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in ${file}`);
  const lines = text.slice(0, at).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length + 1 };
}

/** The text of the hover at `position` in `file`, if any. */
async function hoverText(client: TestClient, file: string, position: { line: number; character: number }): Promise<string | undefined> {
  const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri(file) }, position })) as {
    contents: { value: string };
  } | null;
  return h?.contents.value;
}

describe('hover over a setting name: its production value', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(project);
  });
  after(async () => {
    await client.stop();
  });

  const hover = (file: string, position: { line: number; character: number }): Promise<string | undefined> =>
    hoverText(client, file, position);

  it('in the module that is overridden, says what production has and where', async () => {
    await client.waitFor(() => client.diagnostics.has(uri(production)) || client.diagnostics.has(uri(base)), 'a first analysis');
    // settles the analysis: the worker sent the hovers before it answers (one channel, in order)
    await client.connection.sendRequest('djangoDeployHygiene/checklist');
    const text = await hover(base, positionOf(base, 'STATIC_ROOT ='));
    assert.ok(text, 'a hover over STATIC_ROOT in base.py');
    assert.match(
      text,
      // each place a link that opens the file at the line (issue 58)
      /^\*\*In production:\*\* `'.*\/staticfiles'` — \[mysite\/settings\/production\.py:33\]\(file:\/\/\/.*\/mysite\/settings\/production\.py#L33\), overriding \[mysite\/settings\/base\.py:42\]\(file:\/\/\/.*\/mysite\/settings\/base\.py#L42\)/,
    );
    // the split-settings project ends with an optional `from .local import *` the repository does not hold
    assert.match(text, /\*overridable\*: as computed from what the settings write, unless local\.py overrides it/);
  });

  it('says a required variable comes from the environment, and never shows a secret', async () => {
    const key = await hover(base, positionOf(base, 'SECRET_KEY ='));
    assert.ok(key);
    assert.match(key, /from the environment \(`DJANGO_SECRET_KEY`\)/);
    assert.doesNotMatch(key, /django-insecure/, "base.py's key is overridden, and a secret besides");
    const hsts = await hover(production, positionOf(production, 'SECURE_HSTS_SECONDS ='));
    assert.match(hsts ?? '', /`3600` — \[mysite\/settings\/production\.py:31\]/);
    assert.match(
      hsts ?? '',
      /\*overridable\*: the default used when DJANGO_HSTS_SECONDS is not set, in the branch taken when DJANGO_DEBUG is not set, unless local\.py overrides it/,
    );
  });

  it('a setting star-imported unchanged shows where it was set; elsewhere no hover', async () => {
    const apps = await hover(base, positionOf(base, 'INSTALLED_APPS ='));
    assert.match(apps ?? '', /^\*\*In production:\*\* `\['django\.contrib\.admin'/);
    assert.match(apps ?? '', /— \[mysite\/settings\/base\.py:13\]/);
    assert.equal(await hover(base, positionOf(base, '"""Settings shared')), undefined);
  });
});

describe('setting hovers while the developer types', () => {
  // the pause long enough that every step below, up to the wait for it, falls within it
  const IDLE_MS = 4000;
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(project, {}, {}, { env: { DDH_TEST_IDLE_MS: String(IDLE_MS) } });
  });
  after(async () => {
    await client.stop();
  });

  const hover = (file: string, position: { line: number; character: number }): Promise<string | undefined> =>
    hoverText(client, file, position);

  it('go out when typing pauses: a keystroke right after the first diagnostics, or a checklist asked for while typing, does not wait for them', async () => {
    await client.waitFor(() => client.diagnostics.has(uri(production)) || client.diagnostics.has(uri(base)), 'a first analysis');
    const root = positionOf(production, 'STATIC_ROOT =');
    // a project's first hovers are not made at once after its diagnostics either
    assert.doesNotMatch((await hover(production, root)) ?? '', /In production/, 'no setting hover before the pause or a checklist');
    // a checklist asked for before any typing: the hovers go out first, as before
    await client.connection.sendRequest('djangoDeployHygiene/checklist');
    assert.match(
      (await hover(production, root)) ?? '',
      /^\*\*In production:\*\* `'.*\/staticfiles'` — \[mysite\/settings\/production\.py:33\]/,
    );
    // the developer types: "staticfiles" -> "staticfiles2"
    const text = readFileSync(production, 'utf8');
    await client.open(production, text);
    const at = positionOf(production, 'staticfiles"');
    at.character += 'staticfiles'.length - 1;
    await client.change(production, 2, [{ range: { start: at, end: at }, text: '2' }]);
    await client.waitFor(() => client.publishedVersion.get(uri(production)) === 2, 'the diagnostics of the keystroke');
    // the checklist asked for while typing is answered without making the hovers again
    await client.connection.sendRequest('djangoDeployHygiene/checklist');
    assert.match((await hover(production, root)) ?? '', /\/staticfiles'` — /, 'the hovers as they were: typing has not paused');
    // once typing pauses, they follow the text
    const until = Date.now() + IDLE_MS + 15_000;
    let now = await hover(production, root);
    while (!/staticfiles2'`/.test(now ?? '') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      now = await hover(production, root);
    }
    assert.match(now ?? '', /\/staticfiles2'` — \[mysite\/settings\/production\.py:33\]/);
  });
});
