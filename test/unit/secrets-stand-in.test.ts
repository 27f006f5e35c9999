import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentAbove, commentSaysStandIn } from '../../server/src/analysis/secrets/index';

describe('a value the comment above calls a stand-in', () => {
  const text =
    'FROM python\n# Add a bogus env var for the Django secret key in order to allow us to run\n# the collectstatic command\nENV SECRET_KEY=foobar\n';
  it('reads the block of comment lines directly above the value', () => {
    const at = text.indexOf('foobar');
    assert.equal(
      commentAbove(text, at),
      ' Add a bogus env var for the Django secret key in order to allow us to run  the collectstatic command',
    );
    assert.equal(commentSaysStandIn(commentAbove(text, at)), 'bogus');
  });
  it('stops at the first line that is not a comment, and says nothing of other words', () => {
    const t = '# a bogus value\nRUN true\nENV SECRET_KEY=k8Zq\n';
    assert.equal(commentAbove(t, t.indexOf('k8Zq')), '');
    assert.equal(commentSaysStandIn(' the key production signs sessions with'), undefined);
    assert.equal(commentAbove('ENV SECRET_KEY=x\n', 15), '');
  });
});
