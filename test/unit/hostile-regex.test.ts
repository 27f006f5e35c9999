// Strings shaped to make a regular expression backtrack (issue 29.2): the analysis reads them like
// any other value and goes on. No timing assertion: before the rewrite these tests did not finish.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { credentialIn, isFalseFriend, redact } from '../../server/src/analysis/secrets/index';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { CLI, FIXTURES } from '../helpers/paths';

/** '0/A\t' + ',0/\tA\t' * 30 + '/': almost a list of rates; the rate pattern tried 2^30 ways to read it. */
const RATE_ATTACK = '0/A\t' + ',0/\tA\t'.repeat(30) + '/';
const FIXTURE = path.join(FIXTURES, 'projects', 'hostile-rate-secret');

describe('a secret shaped like a list of rates (the exponential rate pattern)', () => {
  before(async () => {
    await loadParser();
  });

  it('is no rate, and is a credential under a secret name', () => {
    assert.equal(isFalseFriend(RATE_ATTACK), false);
    assert.deepEqual(credentialIn(RATE_ATTACK, true, 'API_SECRET'), { kind: 'name', placeholder: false });
    // what the pattern is for still holds, spaces and tabs around each part included
    for (const v of ['5/m', '1/m/user', '100 / day', '0/\tA', '1/m/ip,1/m/key', '5/m; 100/day', '1.5/ 10 s/ip , 2/h'])
      assert.ok(isFalseFriend(v), v);
  });

  it('the settings file holding it: DEBUG is still reported, by the engine and by the CLI', () => {
    const ws = new Workspace(new NodeFileSystem(), [FIXTURE]);
    const findings = analyzeWorkspace(ws).projects.flatMap((p) => p.findings);
    const at = (code: string): string[] => findings.filter((f) => f.code === code).map((f) => `${path.basename(f.loc.file)}:${f.message}`);
    assert.equal(at('DDH107').length, 1, 'DEBUG = True is reported');
    assert.ok(
      findings.some((f) => f.code === 'DDH103'),
      'the literal under API_SECRET is reported as a hardcoded credential',
    );
    const r = spawnSync(process.execPath, [CLI, FIXTURE, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const codes = JSON.parse(r.stdout).diagnostics.map((d: { code: string }) => d.code);
    assert.ok(codes.includes('DDH107'), codes.join(' '));
  });
});

describe("a project's CORS origin pattern with nested quantifiers (DDH205's probe)", () => {
  before(async () => {
    await loadParser();
  });

  const analyse = (regexes: string): string[] => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': `DEBUG = False\nINSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGIN_REGEXES = [${regexes}]\n`,
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    return analyzeWorkspace(ws)
      .projects.flatMap((p) => p.findings)
      .map((f) => f.code);
  };

  it('is run by the linear-time engine: a pattern that backtracked for seconds on the probe origin is read at once', () => {
    // ((.*)*)*x took over 30 s on 'https://attacker.invalid' with the backtracking engine
    assert.ok(!analyse(`r"((.*)*)*x"`).includes('DDH205'));
    assert.ok(!analyse(`r"(.*)*(.*)*x"`).includes('DDH205'));
  });

  it('still finds a pattern that accepts every origin', () => {
    assert.ok(analyse(`r"^https?://.*$"`).includes('DDH205'));
    assert.ok(analyse(`r"((.*)*)*"`).includes('DDH205'));
  });
});

describe('masking a very long secret (the pattern of every secret was too large for V8)', () => {
  it('masks a 50,000-character secret, and the short secret inside it leaves none of it shown', () => {
    const long = `k${'=\n'.repeat(25_000)}`;
    const inner = long.slice(0, 500);
    const text = `before ${long} after`;
    assert.equal(redact(text, [long]), 'before *** after');
    assert.equal(redact(text, [inner, long]), 'before *** after');
    // the boundary rule is the pattern's: not inside a longer word
    const word = 'a'.repeat(2000);
    assert.equal(redact(`x${word} ${word}`, [word]), `x${word} ***`);
    assert.equal(redact('nothing here', [long]), 'nothing here');
  });
});
