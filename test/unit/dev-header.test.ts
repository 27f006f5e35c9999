import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { devReasonOfHeader } from '../../server/src/analysis/readers/devPaths';

describe('a file whose opening comment says it is for tests or CI', () => {
  it('is told by its opening comment', () => {
    assert.equal(
      devReasonOfHeader('# Docker-compose file for testing via Github Actions\nservices:\n'),
      'its opening comment says it is for GitHub Actions',
    );
    assert.equal(devReasonOfHeader('---\n# used by CI only\n\nservices: {}\n'), 'its opening comment says it is for CI');
    assert.equal(devReasonOfHeader('# Compose for running the tests\nservices: {}\n'), 'its opening comment says it is for tests');
  });
  it('says nothing when the comment names production too, comes later, or names no test', () => {
    assert.equal(devReasonOfHeader('# Production stack, tested in CI\nservices: {}\n'), undefined);
    assert.equal(devReasonOfHeader('services:\n  # for testing\n  web: {}\n'), undefined);
    assert.equal(devReasonOfHeader('# The stack behind the load balancer\nservices: {}\n'), undefined);
    assert.equal(devReasonOfHeader('# contest entries app\nservices: {}\n'), undefined);
  });
});
