// The property of issue 13.3: any string a fixture holds (every file under test/fixtures/rules and
// examples/) that the secrets module recognises never appears in the CLI's text, JSON, SARIF,
// GitHub, GitLab or JUnit report, its checklist (Markdown and JSON) or its `--diff`. Every fixture
// case holding such a string is laid out as a project of one tree and the CLI runs over the tree
// once per output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { CLI, FIXTURES } from '../helpers/paths';
import { appears, fixtureSecrets, layOutFixtures } from '../helpers/secretFixtures';

function cli(root: string, ...args: string[]): string {
  const argv = args[0] === 'checklist' ? ['checklist', root, ...args.slice(1)] : [root, ...args];
  const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

describe('no recognised secret of a fixture appears in any CLI output', () => {
  let root = '';
  let secrets = new Map<string, string>();
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ddh-secrets-'));
    // a project's outputs come from its own files only: the cases without a recognised secret cannot print one
    const projects = layOutFixtures(root, true);
    assert.ok(projects > 25, `${projects} projects`);
    const found = fixtureSecrets();
    secrets = found.secrets;
    // the product's own words are not the fixtures' secrets, even when a fixture reuses one:
    // saleor's development database URL is quoted in DDH705's documentation
    assert.ok(found.ownWords.length <= 3, `fixture secrets quoted in the rule docs: ${found.ownFrom.join(', ')}`);
    // the harvest itself must find what the fixtures are known to hold
    for (const known of [
      'hunter2hunter2',
      'sk_live_51HxQ9aLmNoPqRsTuVwXyZ0123',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYhunter2KEY',
      'SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
      'glpat-abcdefghijklmnopqrst',
    ]) {
      assert.ok(secrets.has(known), `the fixtures' ${known.slice(0, 4)}… is not recognised`);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const outputs: [string, string[]][] = [
    ['text', []],
    ['JSON', ['--format', 'json']],
    ['SARIF', ['--format', 'sarif']],
    ['GitHub annotations', ['--format', 'github']],
    ['GitLab Code Quality', ['--format', 'gitlab']],
    ['JUnit', ['--format', 'junit']],
    ['checklist Markdown', ['checklist', '--format', 'markdown']],
    ['checklist JSON', ['checklist', '--format', 'json']],
    ['--diff', ['--diff', '--unsafe-fixes']],
  ];
  for (const [what, args] of outputs) {
    it(what, () => {
      const out = cli(root, ...args);
      assert.ok(out.length > 1000, `${what}: ${out.slice(0, 500)}`);
      const leaks = [...secrets].filter(([s]) => appears(out, s));
      assert.deepEqual(
        leaks.map(([s, where]) => `${where}: ${s.slice(0, 3)}…`),
        [],
        `${what} prints recognised secrets`,
      );
    });
  }
});

describe('a credential too short to mask as a word never shows in a fix diff', () => {
  it('the removed line of a short signing key masks the literal, not the word elsewhere', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ddh-short-'));
    try {
      // the fixture holds a three-character JWT signing key and a two-character webhook secret
      // default; "abc" under a name that is no secret's stays as it is
      copyFileSync(path.join(FIXTURES, 'rules/DDH103/bad-short-signing-key.py'), path.join(dir, 'settings.py'));
      const out = cli(dir, '--diff', '--unsafe-fixes');
      assert.match(out, /-\s+"SIGNING_KEY": "\*\*\*",/);
      assert.match(out, /-WEBHOOK_SECRET = os\.environ\.get\("WEBHOOK_SECRET", "\*\*\*"\)/);
      assert.doesNotMatch(out, /"z9q"|"wh"/);
      assert.match(out, / CACHE_KEY = "abc"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
