// The fixture harness itself (test/helpers/snapshots.ts, used by rules.test.ts): snapshots are
// compared, written only when asked (or when new outside CI), never in CI; orphans are found; a good
// case's stated outcome fails when its rule gives up.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { casesOf } from '../helpers/fixtures';
import { checkSnapshot, orphanSnapshots } from '../helpers/snapshots';

const tmp = mkdtempSync(path.join(tmpdir(), 'ddh-snapshots-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('snapshot files', () => {
  it('a missing snapshot fails under CI=true and is not written', () => {
    const file = path.join(tmp, 'bad-missing-ci.py.snap');
    assert.deepEqual(checkSnapshot(file, 'x\n', { CI: 'true' }), { kind: 'missing' });
    assert.equal(existsSync(file), false);
  });

  it('a missing snapshot is written outside CI, and by UPDATE_SNAPSHOTS=1 even in CI', () => {
    const local = path.join(tmp, 'bad-new.py.snap');
    assert.equal(checkSnapshot(local, 'new\n', {}).kind, 'written');
    assert.equal(readFileSync(local, 'utf8'), 'new\n');
    const ci = path.join(tmp, 'bad-new-ci.py.snap');
    assert.equal(checkSnapshot(ci, 'new\n', { CI: 'true', UPDATE_SNAPSHOTS: '1' }).kind, 'written');
  });

  it('a different snapshot fails unless UPDATE_SNAPSHOTS=1, which rewrites it', () => {
    const file = path.join(tmp, 'bad-changed.py.snap');
    writeFileSync(file, 'old\n');
    assert.deepEqual(checkSnapshot(file, 'new\n', {}), { kind: 'differs', expected: 'old\n' });
    assert.equal(readFileSync(file, 'utf8'), 'old\n');
    assert.equal(checkSnapshot(file, 'new\n', { UPDATE_SNAPSHOTS: '1' }).kind, 'written');
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
  });

  it('a snapshot checked out with CRLF line endings still matches', () => {
    const file = path.join(tmp, 'bad-crlf.py.snap');
    writeFileSync(file, 'a\r\nb\r\n');
    assert.deepEqual(checkSnapshot(file, 'a\nb\n', { CI: 'true' }), { kind: 'same' });
  });

  it('finds snapshots whose bad case is gone', () => {
    const dir = mkdtempSync(path.join(tmp, 'rule-'));
    mkdirSync(path.join(dir, 'bad-folder'));
    for (const f of ['bad-a.py', 'bad-a.py.snap', 'bad-folder.snap', 'bad-gone.snap', 'bad-gone.py.snap', 'good-b.py', 'good-b.py.snap'])
      writeFileSync(path.join(dir, f), '');
    assert.deepEqual(
      orphanSnapshots(dir)
        .map((f) => path.basename(f))
        .sort(),
      ['bad-gone.py.snap', 'bad-gone.snap', 'good-b.py.snap'],
    );
  });

  it('a snapshot is not a fixture case', () => {
    assert.ok(casesOf('DDH101').length > 0);
    assert.ok(casesOf('DDH101').every((c) => !c.name.endsWith('.snap')));
  });
});
