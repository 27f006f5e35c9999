// Good fixtures state their rule's outcome (test/helpers/outcomes.ts, used by rules.test.ts): the
// statement is read, and it fails when the rule gives up or when a good case states nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { analyzeCase, casesOf, loadCase } from '../helpers/fixtures';
import { outcomeMismatch, statedOutcomes } from '../helpers/outcomes';
import { withCheck } from '../helpers/ruleStub';

const tmp = mkdtempSync(path.join(tmpdir(), 'ddh-outcomes-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('good cases state their outcome', () => {
  before(async () => {
    await loadParser();
  });

  it('reads `# outcome:` with an optional reason', () => {
    const file = path.join(tmp, 'good-stated.py');
    writeFileSync(file, 'DEBUG = False\n# outcome: unknown  outcome-reason: read from a file\n');
    assert.deepEqual(statedOutcomes([file]), [{ state: 'unknown', reason: 'read from a file', file, line: 2 }]);
  });

  it('fails when the rule gives up where the case states "passed"', () => {
    const c = casesOf('DDH101').find((x) => x.name === 'good-environ.py');
    assert.ok(c);
    const stated = statedOutcomes([c.path]);
    assert.deepEqual(
      stated.map((s) => s.state),
      ['passed'],
    );
    const run = (): string | undefined => outcomeMismatch('DDH101', c.name, stated, analyzeCase(loadCase(c, 'settings')).analysis.projects);
    assert.equal(run(), undefined);
    const problem = withCheck('DDH101', (ctx) => ctx.unknown('gave up'), run);
    assert.match(problem ?? '', /states "passed"; DDH101 concludes: unknown \(gave up\)/);
  });

  it('fails when the reason is not the stated one', () => {
    const c = casesOf('DDH101').find((x) => x.name === 'good-file.py')!;
    const stated = statedOutcomes([c.path]);
    assert.deepEqual(
      stated.map((s) => [s.state, s.reason]),
      [['unknown', 'read from a file']],
    );
    const run = (): string | undefined => outcomeMismatch('DDH101', c.name, stated, analyzeCase(loadCase(c, 'settings')).analysis.projects);
    assert.equal(run(), undefined);
    assert.match(withCheck('DDH101', (ctx) => ctx.unknown('gave up'), run) ?? '', /the reason lacks "read from a file": gave up/);
  });

  it('fails when a good case states nothing', () => {
    const c = casesOf('DDH101').find((x) => x.name === 'good-environ.py')!;
    const problem = outcomeMismatch('DDH101', c.name, [], analyzeCase(loadCase(c, 'settings')).analysis.projects);
    assert.match(problem ?? '', /must state what DDH101 concludes.*it concludes: passed/);
  });
});
