// .dockerignore patterns read as Docker reads them (files/dockerignore.ts): Go's filepath.Match per
// segment, `**` for any number of folders, a folder's pattern covering what it holds, `!` exceptions
// and the last matching line deciding.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { dockerIgnoreDecision, parseDockerIgnore } from '../../server/src/analysis/files/dockerignore';

const excluded = (text: string, rel: string): boolean => dockerIgnoreDecision(parseDockerIgnore(text), rel)?.excluded === true;

describe('dockerignore', () => {
  it('matches names, cleaned patterns and folders above the path', () => {
    assert.equal(excluded('.env\n', '.env'), true);
    assert.equal(excluded('/.env\n', '.env'), true);
    assert.equal(excluded('./.env\n', '.env'), true);
    assert.equal(excluded('.env\n', 'backend/.env'), false);
    assert.equal(excluded('backend\n', 'backend/.env'), true);
    assert.equal(excluded('# .env\n\n', '.env'), false);
  });
  it('reads *, ?, classes and escapes within one segment', () => {
    assert.equal(excluded('.env*\n', '.env.prod'), true);
    assert.equal(excluded('*.env\n', 'prod.env'), true);
    assert.equal(excluded('*/.env\n', 'backend/.env'), true);
    assert.equal(excluded('*/.env\n', 'a/b/.env'), false);
    assert.equal(excluded('.en?\n', '.env'), true);
    assert.equal(excluded('.e[m-o]v\n', '.env'), true);
    assert.equal(excluded('.e[^n]v\n', '.env'), false);
    assert.equal(excluded('\\.env\n', '.env'), true);
  });
  it('reads ** as any number of folders', () => {
    assert.equal(excluded('**/.env\n', '.env'), true);
    assert.equal(excluded('**/.env\n', 'a/b/.env'), true);
    assert.equal(excluded('a/**/.env\n', 'a/.env'), true);
    assert.equal(excluded('a/**/.env\n', 'b/.env'), false);
    assert.equal(excluded('**\n', 'x/y'), true);
  });
  it('lets the last matching line decide, ! taking back', () => {
    assert.equal(excluded('*\n!mysite/\n!requirements.txt\n', '.env'), true);
    assert.equal(excluded('*\n!mysite/\n', 'mysite/settings.py'), false);
    assert.equal(excluded('.env*\n!.env.example\n', '.env.example'), false);
    assert.equal(excluded('!.env\n.env\n', '.env'), true);
    assert.equal(excluded('.env\n!.env\n', '.env'), false);
  });
  it('stays quick on a hostile pattern', () => {
    const started = Date.now();
    assert.equal(excluded(`${'*a'.repeat(2000)}b\n`, 'a'.repeat(5000)), false);
    assert.equal(excluded(`${'**/'.repeat(500)}x\n`, `${'a/'.repeat(2000)}y`), false);
    assert.ok(Date.now() - started < 2000);
  });
});
