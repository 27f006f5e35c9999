// The bundled language server over a real JSON-RPC connection (stdio): open, edit, hover.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClient, uri } from '../helpers/lspClient';

import { REPO as root } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';
const example = path.join(root, 'examples/mysite');
const settingsPy = path.join(example, 'mysite/settings.py');

function rangeOf(text: string, needle: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const character = before[before.length - 1]!.length;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

describe('language server over stdio', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(example);
  });
  after(async () => {
    await client.stop();
  });

  it('publishes diagnostics for the production settings without opening them', async () => {
    await client.waitFor(() => client.codesFor(settingsPy).includes('DDH107'), 'DDH107 on settings.py');
    const diags = client.diagnostics.get(uri(settingsPy))!;
    const debug = diags.find((d) => d.code === 'DDH107')!;
    assert.equal(debug.source, 'Django Deploy Hygiene');
    assert.equal(debug.severity, 1);
    assert.match(debug.codeDescription!.href, /docs\/rules\.md#ddh107-debug-enabled$/);
    const text = readFileSync(settingsPy, 'utf8');
    // the range covers the offending value, `True`, not the whole line
    const line = rangeOf(text, 'DEBUG = True').start.line;
    assert.deepEqual(debug.range, { start: { line, character: 8 }, end: { line, character: 12 } });
    for (const d of diags) assert.doesNotMatch(String(d.message), /7b\$w9q|hunter2/, 'a message leaks a secret');
  });

  it('links the files a message names (relatedInformation): the open-hosts finding to the Procfile whose platform router is in front', async () => {
    await client.waitFor(() => client.codesFor(settingsPy).includes('DDH202'), 'DDH202 on settings.py');
    const hosts = client.diagnostics.get(uri(settingsPy))!.find((d) => d.code === 'DDH202')!;
    assert.match(String(hosts.message), /says which platform runs Procfile/);
    const related = hosts.relatedInformation ?? [];
    assert.ok(
      related.some((r) => r.location.uri === uri(path.join(example, 'Procfile')) && r.message === 'Procfile'),
      JSON.stringify(related),
    );
    // never a link to the finding's own file
    assert.ok(related.every((r) => r.location.uri !== uri(settingsPy)));
  });

  it('re-analyses incremental edits: fixing DEBUG removes its diagnostic, breaking it again brings it back', async () => {
    const text = readFileSync(settingsPy, 'utf8');
    await client.open(settingsPy, text);
    const r = rangeOf(text, 'DEBUG = True');
    const trueRange = { start: { line: r.start.line, character: 8 }, end: { line: r.start.line, character: 12 } };
    await client.change(settingsPy, 2, [{ range: trueRange, text: 'False' }]);
    await client.waitFor(
      () => !client.codesFor(settingsPy).includes('DDH107') && client.codesFor(settingsPy).includes('DDH101'),
      'DDH107 gone',
    );
    // type it back one character at a time, as an editor sends it
    const falseRange = { start: trueRange.start, end: { line: trueRange.start.line, character: 13 } };
    await client.change(settingsPy, 3, [{ range: falseRange, text: '' }]);
    let v = 4;
    for (const ch of 'True') {
      const at = { line: trueRange.start.line, character: 8 + 'True'.indexOf(ch) };
      await client.change(settingsPy, v++, [{ range: { start: at, end: at }, text: ch }]);
    }
    await client.waitFor(() => client.codesFor(settingsPy).includes('DDH107'), 'DDH107 back');
  });

  it('shows the rule documentation on hover', async () => {
    const text = readFileSync(settingsPy, 'utf8');
    const r = rangeOf(text, 'django-insecure-');
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uri(settingsPy) },
      position: r.start,
    })) as { contents: { kind: string; value: string } } | null;
    assert.ok(hover, 'no hover');
    assert.match(hover!.contents.value, /DDH101 hardcoded-secret-key/);
    assert.match(hover!.contents.value, /Why it matters/);
    assert.match(hover!.contents.value, /security\.W009/);
  });
});

describe('language server on split settings', () => {
  const project = path.join(root, 'test/fixtures/rules/DDH107/bad-inherited');
  const base = path.join(project, 'mysite/settings/base.py');
  const development = path.join(project, 'mysite/settings/development.py');
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(project);
  });
  after(async () => {
    await client.stop();
  });

  it('reports an inherited DEBUG in base.py, where it is written, and nothing in the development module', async () => {
    await client.waitFor(() => client.codesFor(base).includes('DDH107'), 'DDH107 in base.py');
    await client.open(development, readFileSync(development, 'utf8'));
    await client.open(base, readFileSync(base, 'utf8'));
    await client.waitFor(() => client.diagnostics.has(uri(base)), 'diagnostics for base.py');
    assert.deepEqual(client.codesFor(development), []);
  });

  it('shows on hover what a lowered finding rests on', async () => {
    await client.waitFor(() => client.codesFor(base).includes('DDH107'), 'DDH107 in base.py');
    const debug = client.diagnostics.get(uri(base))!.find((d) => d.code === 'DDH107')!;
    // nothing the deployment runs names mysite.settings.production: the error is only a warning
    assert.equal(debug.severity, 2);
    assert.match(String(debug.message), /\(If mysite\.settings\.production is production's: chosen by its name\.\)$/);
    const r = rangeOf(readFileSync(base, 'utf8'), 'DEBUG = True');
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uri(base) },
      position: { line: r.start.line, character: 9 },
    })) as { contents: { kind: string; value: string } } | null;
    assert.ok(hover, 'no hover');
    assert.match(hover!.contents.value, /\*\*Rests on:\*\*\n- module `mysite\.settings\.production` — \*presumed\*: chosen by its name/);
    // before the rule's documentation
    assert.ok(hover!.contents.value.indexOf('Rests on') < hover!.contents.value.indexOf('DDH107 debug-enabled'));
  });

  it('publishes a file again when its diagnostics or its version change, not on every analysis', async () => {
    const production = path.join(project, 'mysite/settings/production.py');
    await client.open(production, readFileSync(production, 'utf8'));
    await client.waitFor(() => client.diagnostics.has(uri(production)), 'diagnostics for production.py');
    await client.connection.sendRequest('djangoDeployHygiene/checklist'); // settles the analysis
    const count = (file: string): number => client.publishCount.get(uri(file)) ?? 0;
    const [b, p] = [count(base), count(production)];
    const productionCodes = client.codesFor(production);
    // a keystroke in base.py that changes nothing production.py shows: base.py (a new version) only
    const text = readFileSync(base, 'utf8');
    const at = rangeOf(text, 'example.com').start;
    await client.change(base, 2, [{ range: { start: at, end: at }, text: 'x' }]);
    await client.connection.sendRequest('djangoDeployHygiene/checklist');
    assert.equal(count(base), b + 1, 'base.py published for its new version');
    assert.equal(count(production), p, 'production.py not published again with the same diagnostics');
    // DEBUG fixed in base.py: the diagnostics change in base.py only
    const debug = rangeOf(text, 'DEBUG = True');
    const value = { start: { line: debug.start.line, character: 8 }, end: { line: debug.start.line, character: 12 } };
    await client.change(base, 3, [{ range: value, text: 'False' }]);
    await client.waitFor(() => !client.codesFor(base).includes('DDH107'), 'DDH107 gone from base.py');
    assert.deepEqual(client.codesFor(production), productionCodes);
    // production.py's own edit publishes it (its version)
    const end = { line: readFileSync(production, 'utf8').split('\n').length - 1, character: 0 };
    await client.change(production, 2, [{ range: { start: end, end }, text: '# x\n' }]);
    await client.connection.sendRequest('djangoDeployHygiene/checklist');
    assert.equal(count(production), p + 1, 'production.py published for its new version');
  });

  it('publishes a closed file again when its text moves its findings to other lines, the findings the same', async () => {
    // a copy: the file is rewritten on disk; "# ab" becomes "#\n#b", the same length, so every
    // finding keeps its offsets and its message, and DEBUG's line moves down by one
    const dir = tempDir('ddh-moved-');
    cpSync(project, dir, { recursive: true });
    const moved = path.join(dir, 'mysite/settings/base.py');
    writeFileSync(moved, `# ab\n${readFileSync(moved, 'utf8')}`);
    const other = await TestClient.start(dir);
    try {
      const debugLine = (): number | undefined => other.diagnostics.get(uri(moved))?.find((d) => d.code === 'DDH107')?.range.start.line;
      await other.waitFor(() => debugLine() !== undefined, 'DDH107 in base.py');
      const line = debugLine()!;
      const messages = other.diagnostics.get(uri(moved))!.map((d) => d.message);
      writeFileSync(moved, readFileSync(moved, 'utf8').replace('# ab\n', '#\n#b\n'));
      await other.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(moved), type: 2 }] });
      await other.waitFor(() => debugLine() === line + 1, 'DDH107 published on its new line');
      assert.deepEqual(
        other.diagnostics.get(uri(moved))!.map((d) => d.message),
        messages,
        'the findings are the same: only their place in the text moved',
      );
    } finally {
      await other.stop();
    }
  });

  it('follows the user setting that names the production module', async () => {
    client.settings = { productionSettingsModule: 'mysite.settings.development' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    // development.py sets DEBUG = True itself: now the finding is there, and base.py's is overridden
    await client.waitFor(
      () => client.codesFor(development).includes('DDH107') && !client.codesFor(base).includes('DDH107'),
      'DDH107 moved to development.py',
    );
  });
});

describe('language server on a multi-root workspace', () => {
  // Two folders with the same layout (base, development, production): the first chooses its
  // development module in its folder settings, the second has no setting and is detected.
  const first = path.join(root, 'test/fixtures/rules/DDH107/bad-inherited');
  const second = path.join(root, 'test/fixtures/rules/DDH306/bad-inherited');
  const module = (folder: string, name: string): string => path.join(folder, 'mysite/settings', name);
  let client: TestClient;
  before(async () => {
    client = await TestClient.start([first, second], {}, { [uri(first)]: { productionSettingsModule: 'mysite.settings.development' } });
  });
  after(async () => {
    await client.stop();
  });

  it("reads each folder's own settings: the choice of one folder does not apply to the other", async () => {
    // the first folder's development.py sets DEBUG = True and is production there
    await client.waitFor(
      () => client.codesFor(module(first, 'development.py')).includes('DDH107'),
      "DDH107 in the first folder's development.py",
    );
    assert.ok(!client.codesFor(module(first, 'base.py')).includes('DDH107'), "base.py's DEBUG is overridden by the chosen module");
    // the second folder is detected as before: production.py, whose base.py leaves the session cookie insecure
    await client.waitFor(() => client.codesFor(module(second, 'base.py')).includes('DDH306'), "DDH306 in the second folder's base.py");
    assert.deepEqual(
      client.codesFor(module(second, 'development.py')),
      [],
      "the second folder's development module stays a development module",
    );
  });

  it('practises typing once a session, in one project of the two', async () => {
    await client.waitFor(() => client.logs.some((l) => l.includes('ready to re-analyse')), 'the practice over');
    // a second practice would start right after the first: time enough for it to have said so
    await new Promise((r) => setTimeout(r, 2000));
    const said = client.logs.filter((l) => l.includes('ready to re-analyse'));
    assert.equal(said.length, 1, said.join('\n'));
    // named as VS Code names files of a multi-root workspace: the folder's name, then the path in it
    assert.ok(said[0]!.includes(` ${path.basename(first)}/`) || said[0]!.includes(` ${path.basename(second)}/`), said[0]);
  });

  it("follows a change of one folder's settings", async () => {
    client.folderSettings = { [uri(second)]: { productionSettingsModule: 'mysite.settings.development' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor(
      () =>
        client.codesFor(module(second, 'development.py')).includes('DDH107') &&
        client.codesFor(module(first, 'base.py')).includes('DDH107'),
      'the second folder analyses its development module, the first is detected again',
    );
  });
});

describe('language server on a workspace with many projects', () => {
  // 60 copies of a project whose base.py sets DEBUG = True; the first is edited while the first
  // analysis of all of them is under way (it yields between projects and takes the edit first)
  const fixture = path.join(root, 'test/fixtures/rules/DDH107/bad-inherited');
  const folder = tempDir('ddh-many-');
  const base = (i: number): string => path.join(folder, `p${String(i).padStart(2, '0')}`, 'mysite/settings/base.py');
  let client: TestClient;
  before(async () => {
    for (let i = 0; i < 60; i++) cpSync(fixture, path.join(folder, `p${String(i).padStart(2, '0')}`), { recursive: true });
    client = await TestClient.start(folder);
  });
  after(async () => {
    await client.stop();
  });

  it('analyses every project, and an edit made meanwhile wins', async () => {
    const text = readFileSync(base(0), 'utf8');
    // the pass is under way: the first project has its finding (it is analysed again after the edit)
    await client.waitFor(() => client.codesFor(base(0)).includes('DDH107'), 'the first project analysed');
    await client.open(base(0), text);
    await client.change(base(0), 2, [{ range: rangeOf(text, 'DEBUG = True'), text: 'DEBUG = False' }]);
    const all = (): boolean => Array.from({ length: 59 }, (_, i) => i + 1).every((i) => client.codesFor(base(i)).includes('DDH107'));
    await client.waitFor(
      () => all() && client.diagnostics.has(uri(base(0))) && !client.codesFor(base(0)).includes('DDH107'),
      'DDH107 in the 59 unedited projects, not in the edited one',
      30_000,
    );
    // and stays so: nothing published later brings back the edited project's old finding
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(!client.codesFor(base(0)).includes('DDH107'));
    assert.ok(all());
  });
});

describe('code actions', () => {
  const project = path.join(root, 'test/fixtures/rules/DDH107/bad-inherited');
  const base = path.join(project, 'mysite/settings/base.py');
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(project);
  });
  after(async () => {
    await client.stop();
  });

  it('offers the rule fixes, "disable for this line" and "show documentation", with versioned edits', async () => {
    const text = readFileSync(base, 'utf8');
    await client.open(base, text);
    await client.waitFor(() => client.codesFor(base).includes('DDH107'), 'DDH107 in base.py');
    const diag = client.diagnostics.get(uri(base))!.find((d) => d.code === 'DDH107')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(base) },
      range: diag.range,
      context: { diagnostics: [diag] },
    })) as {
      title: string;
      kind: string;
      isPreferred?: boolean;
      edit?: { documentChanges: { textDocument: { uri: string; version: number | null }; edits: { newText: string }[] }[] };
      command?: { command: string };
    }[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Set DEBUG = False in mysite.settings.production'), titles.join(' | '));
    assert.ok(
      titles.some((t) => /^Read DEBUG from the environment \(DJANGO_DEBUG, False when unset/.test(t)),
      titles.join(' | '),
    );
    assert.ok(titles.includes('Disable DDH107 for this line'));
    // (made when asked, for the finding the diagnostic shows: a trailing comment on its line, in the open document's version)
    const noqa = actions.find((a) => a.title === 'Disable DDH107 for this line')!.edit!.documentChanges[0]!;
    assert.equal(noqa.textDocument.uri, uri(base));
    assert.equal(noqa.textDocument.version, 1);
    assert.equal(noqa.edits[0]!.newText, '  # noqa: DDH107');
    assert.ok(titles.includes('Show documentation for DDH107'));
    // the override goes into production.py, which development does not use: safe, preferred
    const override = actions.find((a) => a.title.startsWith('Set DEBUG = False'))!;
    assert.equal(override.isPreferred, true);
    const change = override.edit!.documentChanges[0]!;
    assert.match(change.textDocument.uri, /production\.py$/);
    assert.match(change.edits[0]!.newText, /DEBUG = False/);
    // the environment rewrite edits the open base.py, at the version the client has
    const env = actions.find((a) => a.title.startsWith('Read DEBUG'))!;
    const baseEdit = env.edit!.documentChanges.find((c) => c.textDocument.uri === uri(base))!;
    assert.equal(baseEdit.textDocument.version, 1);
    assert.equal(actions.find((a) => a.title.startsWith('Show documentation'))!.command!.command, 'djangoDeployHygiene.showDocumentation');
  });

  it('fix-all applies only safe fixes to the document', async () => {
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(base) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as { title: string; kind: string }[];
    // the only safe fix (Set DEBUG = False) edits production.py, not this document: nothing to do here
    assert.deepEqual(actions, []);
  });
});

describe('checklist summary of a project chosen by its environment, and of one whose settings are missing', () => {
  const selector = path.join(root, 'test/fixtures/projects/model-env-selector');
  const unread = path.join(root, 'test/fixtures/projects/model-unread');
  let client: TestClient;
  before(async () => {
    client = await TestClient.start([selector, unread]);
  });
  after(async () => {
    await client.stop();
  });

  it('carries the selecting variable, the assumed version and what could not be read', async () => {
    const result = (await client.connection.sendRequest(
      'djangoDeployHygiene/checklist',
    )) as import('../../server/src/protocol').ChecklistResult;
    const byName = new Map(result.checklists.map((c) => [c.name, c]));
    const sel = byName.get('model-env-selector')!;
    assert.deepEqual(
      sel.summary!.environment.map(({ link: _link, ...e }) => e),
      [{ name: 'DJANGO_ENV', value: 'production', evidence: 'docker/docker-compose.prod.yml:8' }],
    );
    // the row opens the place it names (issue 58): the compose file at its line 8
    const link = sel.summary!.environment[0]!.link!;
    assert.match(link.uri, /\/docker\/docker-compose\.prod\.yml$/);
    assert.equal(link.range!.start.line, 7);
    assert.match(sel.summary!.evidence!, /DJANGO_ENV=production from docker\/docker-compose\.prod\.yml:8$/);
    assert.equal(sel.summary!.versions[0]!.assumed, true);
    assert.match(sel.summary!.versions[0]!.source, /no dependency file names Django/);
    const un = byName.get('model-unread')!;
    assert.equal(un.production, undefined);
    assert.equal(un.summary!.evidence, undefined);
    assert.match(un.summary!.unread[0]!, /^the production settings: shop\.settings\.deployed, named by Dockerfile:3/);
  });
});

describe('checklist', () => {
  const example = path.join(root, 'examples/mysite');
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(example);
  });
  after(async () => {
    await client.stop();
  });

  it('answers the checklist request with groups, statuses and clickable findings', async () => {
    await client.waitFor(() => client.codesFor(path.join(example, 'mysite/settings.py')).length > 0, 'first analysis');
    const result = (await client.connection.sendRequest(
      'djangoDeployHygiene/checklist',
    )) as import('../../server/src/protocol').ChecklistResult;
    assert.equal(result.checklists.length, 1);
    const c = result.checklists[0]!;
    assert.equal(c.production?.module, 'mysite.settings');
    assert.equal(c.djangoVersion.version, '4.2');
    const titles = c.groups.map((g) => g.title);
    assert.deepEqual(titles.slice(0, 3), ['Settings & secrets', 'Hosts & origins', 'HTTPS & cookies']);
    assert.ok(titles.includes('Deployment'));
    const debug = c.groups[0]!.items.find((i) => i.id === 'debug-off')!;
    assert.equal(debug.status, 'failing');
    assert.match(debug.entries[0]!.uri!, /settings\.py$/);
    assert.equal(debug.entries[0]!.range!.start.line, 17);
    const manual = c.groups.flatMap((g) => g.items).filter((i) => i.manual);
    assert.ok(manual.length >= 3 && manual.every((i) => i.status === 'manual'));
    assert.equal(c.counts.failing, c.groups.flatMap((g) => g.items).filter((i) => i.status === 'failing').length);
    // the summary the CLI prints (issue 15.7), for the view's rows
    assert.match(c.summary!.evidence!, /^named by mysite\/wsgi\.py:11 \(DJANGO_SETTINGS_MODULE\), the app that Procfile:2 serves$/);
    assert.deepEqual(
      c.summary!.versions.map((v) => `${v.name} ${v.version} ${v.source} ${v.assumed}`),
      ['Django 4.2 requirements.txt: Django==4.2.11 false', 'gunicorn 21.2.0 requirements.txt: gunicorn==21.2.0 false'],
    );
    assert.deepEqual(c.summary!.environment, []);
    assert.deepEqual(c.summary!.unread, []);
    // issue 58: the evidence rows open what they name: the reason's clauses, the versions' source
    assert.deepEqual(
      c.summary!.evidenceParts!.map((p) => [p.text, p.link?.uri.replace(/^.*\/examples\/mysite\//, ''), p.link?.range?.start.line]),
      [
        ['named by mysite/wsgi.py:11 (DJANGO_SETTINGS_MODULE)', 'mysite/wsgi.py', 10],
        ['the app that Procfile:2 serves', 'Procfile', 1],
      ],
    );
    assert.match(c.summary!.versions[0]!.link!.uri, /\/requirements\.txt$/);
    // the request path, with links to the files that say what each hop does
    const path0 = c.requestPath!.deployments[0]!;
    assert.equal(path0.label, 'Procfile (web)');
    assert.match(path0.link!.uri, /\/Procfile$/);
    assert.ok(path0.hops.length > 0 && path0.hops.every((h) => h.does.hsts.text.length > 0));
    // each settings module says why it is production
    assert.deepEqual(
      c.settingsModules.map((m) => [m.name, m.production]),
      [['mysite.settings', true]],
    );
  });

  it('renders Markdown with ticked manual items', async () => {
    const md = (await client.connection.sendRequest('djangoDeployHygiene/checklistMarkdown', {
      ticked: [`${example}#db-backups`],
    })) as string;
    assert.match(md, /^### Production checklist: mysite/m);
    assert.match(md, /- \[ \] ❌ DEBUG is off in production/);
    assert.match(md, /- \[x\] ✅ Backups are automated/);
    assert.match(md, /`mysite\/settings\.py:18`/);
    // the summary counts the tick as the view does; a tick belongs to its own project only
    const plain = (await client.connection.sendRequest('djangoDeployHygiene/checklistMarkdown', {
      ticked: ['/another/project#db-backups'],
    })) as string;
    assert.match(plain, /- \[ \] ✋ Backups are automated/);
    const counts = (text: string): [number, number] => {
      const line = text.split('\n').find((l) => /^\*\*.*passed/.test(l))!;
      return [Number(/(\d+) passed/.exec(line)![1]), Number(/(\d+) manual/.exec(line)![1])];
    };
    const [passed, manual] = counts(plain);
    assert.deepEqual(counts(md), [passed + 1, manual - 1]);
  });

  it('merges what Django reported into the checklist', async () => {
    await client.connection.sendNotification('djangoDeployHygiene/djangoCheckResult', {
      root: example,
      ok: true,
      ranAt: new Date().toISOString(),
      messages: [
        { id: 'security.W018', level: 'warning', message: 'You should not have DEBUG set to True in deployment.' },
        { id: 'security.W999', level: 'warning', message: 'Something only Django knows.' },
      ],
    });
    const result = (await client.connection.sendRequest(
      'djangoDeployHygiene/checklist',
    )) as import('../../server/src/protocol').ChecklistResult;
    const c = result.checklists[0]!;
    const debug = c.groups[0]!.items.find((i) => i.id === 'debug-off')!;
    assert.equal(debug.entries.find((e) => e.code === 'DDH107')!.django, 'confirmed');
    const other = c.groups.find((g) => g.id === 'django')!.items[0]!;
    assert.match(other.entries[0]!.label, /security\.W999/);
    assert.match(c.djangoCheck!.summary, /reported 2 issues/);
    assert.equal(c.djangoCheck!.stale, false);
  });

  it("stops merging Django's answer once an edit changes the findings", async () => {
    const settingsPy = path.join(example, 'mysite/settings.py');
    const text = readFileSync(settingsPy, 'utf8');
    await client.open(settingsPy, text);
    const r = rangeOf(text, 'DEBUG = True');
    await client.change(settingsPy, 2, [
      { range: { start: { line: r.start.line, character: 8 }, end: { line: r.start.line, character: 12 } }, text: 'False' },
    ]);
    await client.waitFor(() => !client.codesFor(settingsPy).includes('DDH107'), 'DDH107 gone');
    const result = (await client.connection.sendRequest(
      'djangoDeployHygiene/checklist',
    )) as import('../../server/src/protocol').ChecklistResult;
    const c = result.checklists[0]!;
    assert.equal(c.djangoCheck!.stale, true);
    assert.match(c.djangoCheck!.summary, /before the latest changes/);
    const debug = c.groups[0]!.items.find((i) => i.id === 'debug-off')!;
    assert.equal(debug.status, 'passed', "Django's old W018 no longer fails the item");
    assert.ok(!c.groups.some((g) => g.id === 'django'), 'the Django-only group is gone with the stale answer');
  });
});

describe('checklist announcements while typing', () => {
  // the idle window made long enough that every keystroke below falls within it
  const IDLE_MS = 5000;
  const settingsPy = path.join(root, 'examples/mysite/mysite/settings.py');
  let client: TestClient;
  const announced: number[] = [];
  before(async () => {
    client = await TestClient.start(path.join(root, 'examples/mysite'), {}, {}, { env: { DDH_TEST_IDLE_MS: String(IDLE_MS) } });
    client.connection.onNotification('djangoDeployHygiene/checklistChanged', () => {
      announced.push(Date.now());
    });
  });
  after(async () => {
    await client.stop();
  });

  it("announces the first analysis at once, and a checklist changed by typing once, when typing pauses, not after each keystroke's analysis", async () => {
    await client.waitFor(() => client.codesFor(settingsPy).includes('DDH107'), 'the first analysis');
    // the start is announced at once (the client waits for it to know the workspace was analysed),
    // well before the idle window
    const deadline = Date.now() + IDLE_MS - 1000;
    while (announced.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(announced.length, 1, 'the first analysis is announced at once');

    const text = readFileSync(settingsPy, 'utf8');
    await client.open(settingsPy, text);
    const r = rangeOf(text, 'DEBUG = True');
    const line = r.start.line;
    // DEBUG = True -> DEBUG = False, then back, a character at a time, each keystroke's diagnostics awaited
    const edits: [number, number, string][] = [
      [8, 12, ''],
      [8, 8, 'F'],
      [9, 9, 'a'],
      [10, 10, 'l'],
      [11, 11, 's'],
      [12, 12, 'e'],
    ];
    let version = 2;
    for (const [from, to, insert] of edits) {
      const v = version++;
      await client.change(settingsPy, v, [{ range: { start: { line, character: from }, end: { line, character: to } }, text: insert }]);
      await client.waitFor(() => client.publishedVersion.get(uri(settingsPy)) === v, `the diagnostics of version ${v}`);
    }
    assert.ok(!client.codesFor(settingsPy).includes('DDH107'), 'DEBUG = False: DDH107 gone');
    assert.equal(announced.length, 1, 'no announcement while typing: each would have the client ask for the checklist again');
    // once typing pauses: one announcement, and the checklist it announces is the typed text's
    const until = Date.now() + IDLE_MS + 15_000;
    while (announced.length === 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(announced.length, 2, 'one announcement once typing paused');
    const result = (await client.connection.sendRequest(
      'djangoDeployHygiene/checklist',
    )) as import('../../server/src/protocol').ChecklistResult;
    const debug = result.checklists[0]!.groups[0]!.items.find((i) => i.id === 'debug-off')!;
    assert.equal(debug.status, 'passed');
  });
});

describe('typing practice after the first analysis', () => {
  const settingsPy = path.join(root, 'examples/mysite/mysite/settings.py');
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(path.join(root, 'examples/mysite'));
  });
  after(async () => {
    await client.stop();
  });

  it('types into a copy of the settings while the developer does not type, publishing nothing, and the first real keystroke is analysed as usual', async () => {
    await client.waitFor(() => client.codesFor(settingsPy).includes('DDH107'), 'the first analysis');
    const published = client.publishCount.get(uri(settingsPy));
    await client.waitFor(() => client.logs.some((l) => l.includes('ready to re-analyse')), 'the practice over');
    const said = client.logs.find((l) => l.includes('ready to re-analyse'))!;
    // said plainly: nothing internal ("typing practice", "keystrokes"), and that the file was not changed
    assert.match(
      said,
      /Django Deploy Hygiene: ready to re-analyse mysite\/settings\.py as you edit it \(about \d+ ms an edit; prepared in the background, the file was not changed\)\.$/,
    );
    assert.doesNotMatch(said, /practice|keystroke/);
    assert.equal(client.publishCount.get(uri(settingsPy)), published, 'nothing published by the practice');
    // the developer types: DEBUG = True -> DEBUG = False
    const text = readFileSync(settingsPy, 'utf8');
    await client.open(settingsPy, text);
    await client.waitFor(() => client.publishedVersion.get(uri(settingsPy)) === 1, 'the open document analysed');
    const r = rangeOf(text, 'DEBUG = True');
    await client.change(settingsPy, 2, [
      { range: { start: { line: r.start.line, character: 8 }, end: { line: r.start.line, character: 12 } }, text: 'False' },
    ]);
    await client.waitFor(() => client.publishedVersion.get(uri(settingsPy)) === 2, 'the keystroke analysed');
    assert.ok(!client.codesFor(settingsPy).includes('DDH107'), 'DEBUG = False: DDH107 gone');
  });
});
