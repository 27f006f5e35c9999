// Every rule has bad and good fixtures; bad ones produce exactly the marked findings of that rule,
// good ones none. Messages never contain a secret from the fixture.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { RULES } from '../../server/src/analysis/rules/registry';
import { analyzeCase, casesOf, loadCase } from '../helpers/fixtures';

describe('rule fixtures', () => {
  before(async () => {
    await loadParser();
  });

  for (const rule of RULES) {
    describe(`${rule.code} ${rule.name}`, () => {
      const cases = casesOf(rule.code);

      it('has bad and good fixtures', () => {
        assert.ok(cases.some((c) => c.kind === 'bad'), `test/fixtures/rules/${rule.code}/ needs a bad* case`);
        assert.ok(cases.some((c) => c.kind === 'good'), `test/fixtures/rules/${rule.code}/ needs a good* case`);
      });

      for (const c of cases) {
        it(`${c.name}`, () => {
          const loaded = loadCase(c, rule.target);
          const { analysis, ws } = analyzeCase(loaded);
          const findings = analysis.projects.flatMap((p) => p.findings).filter((f) => f.code === rule.code);
          const actual = findings
            .map((f) => {
              const pos = ws.positionAt(f.loc.file, f.loc.start) ?? { line: 0 };
              return `${f.loc.file}:${pos.line + 1}`;
            })
            .sort();
          const expected = loaded.expected
            .filter((e) => e.code === rule.code)
            .map((e) => `${e.file}:${e.line}`)
            .sort();
          if (c.kind === 'bad') assert.ok(expected.length > 0, `${c.name} marks no "# expect: ${rule.code}" line`);
          else assert.equal(expected.length, 0, `good case ${c.name} must not expect ${rule.code}`);
          assert.deepEqual(actual, expected, `findings: ${findings.map((f) => f.message).join(' | ')}`);
          for (const f of findings) {
            assert.ok(f.message.length > 10 && f.message.length < 400, `message length: ${f.message}`);
            assert.doesNotMatch(f.message, /django-insecure-[^"]|hunter2|sk_live_\w{6}/, 'a message leaks a secret');
          }
        });
      }
    });
  }
});
