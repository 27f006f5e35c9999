// Hostile dependency and ignore files (issue 17 items 2 and 3): a catastrophic .gitignore glob and
// dependency files shaped to make a regular expression quadratic must not block the scan. The
// assertions are on the results (a test must not time anything); the run's durations are printed
// for the record.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitIgnore } from '../../server/src/analysis/project/gitignore';
import { MemoryFileSystem } from '../../server/src/analysis/project/fs';
import { scanWorkspace } from '../../server/src/analysis/project/scan';

function timed<T>(what: string, f: () => T): T {
  const t = performance.now();
  const r = f();
  console.log(`# ${what}: ${(performance.now() - t).toFixed(1)} ms`);
  return r;
}

describe('hostile .gitignore', () => {
  it('a `*a*a*a*a*a*a*a*a*a*b` pattern against a long file name finishes and decides', () => {
    const long = 'a'.repeat(200) + '.txt';
    const fs = new MemoryFileSystem({ '.gitignore': '*a*a*a*a*a*a*a*a*a*b\n', [long]: 'x', 'requirements.txt': 'Django==4.2\n' }, '/p');
    const gi = new GitIgnore(fs, '/p');
    gi.loadDirectory('/p');
    assert.equal(
      timed('gitignore *a*a*a…b, 204-character name', () => gi.ignores(`/p/${long}`, false)),
      false,
    );
    assert.equal(gi.ignores('/p/aaaaaaaaab', false), true);
    // the whole scan, too
    const scan = timed('scan with the hostile .gitignore', () => scanWorkspace(fs, '/p'));
    assert.ok(scan.files.some((f) => f.kind === 'requirements'));
  });
});
