// A rule that throws: its checklist item shows as unknown in normal runs (the analysis goes on),
// and the analysis fails when the caller asks for it, as the fixture tests do.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { analyzeCase, casesOf, loadCase } from '../helpers/fixtures';
import { withCheck } from '../helpers/ruleStub';

describe('a rule that throws', () => {
  before(async () => {
    await loadParser();
  });

  const boom = (): void => {
    throw new Error('boom');
  };
  const goodCase = () => casesOf('DDH101').find((x) => x.name === 'good-environ.py')!;

  it('shows as unknown in normal runs', () => {
    const projects = withCheck('DDH101', boom, () => analyzeCase(loadCase(goodCase(), 'settings')).analysis.projects);
    assert.equal(projects[0]!.outcomes.get('DDH101')?.state, 'unknown');
    assert.match(projects[0]!.outcomes.get('DDH101')?.reason ?? '', /internal error in DDH101: boom/);
  });

  it('fails the analysis with rethrowRuleErrors, as the fixture tests run it', () => {
    assert.throws(
      () => withCheck('DDH101', boom, () => analyzeCase(loadCase(goodCase(), 'settings'), { rethrowRuleErrors: true })),
      /boom/,
    );
  });
});
