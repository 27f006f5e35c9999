// Hostile dependency and ignore files (issue 17 items 2 and 3): a catastrophic .gitignore glob and
// dependency files shaped to make a regular expression quadratic must not block the scan. The
// assertions are on the results (a test must not time anything); the run's durations are printed
// for the record.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitIgnore } from '../../server/src/analysis/files/gitignore';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { detectVersions } from '../../server/src/analysis/models/project/version';
import { readProjectConfig } from '../../server/src/analysis/models/project/config';
import { pinnedGunicorn } from '../../server/src/analysis/models/appServer/model';
import { scanWorkspace } from '../../server/src/analysis/files/scan';

function timed<T>(what: string, f: () => T): T {
  const t = performance.now();
  const r = f();
  console.log(`# ${what}: ${(performance.now() - t).toFixed(1)} ms`);
  return r;
}

const SKELETON = { 'manage.py': '', 'm/__init__.py': '', 'm/settings.py': 'X = 1\n' };

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

describe('hostile dependency files', () => {
  it('a pyproject.toml of 100k blank lines is read (and names nothing)', () => {
    const text = '[project]\nname = "x"\n' + '\n'.repeat(100_000) + 'dependencies = ["django>=4.2,<5"]\n';
    const fs = new MemoryFileSystem({ ...SKELETON, 'pyproject.toml': text }, '/p');
    const files = [{ path: '/p/pyproject.toml', kind: 'pyproject' as const }];
    const v = timed('pyproject.toml, 100k blank lines', () => detectVersions(fs, files, '/p'));
    assert.equal(v.django.version, '4.2');
    assert.equal(v.django.assumed, false);
    const c = timed('[tool.django-deploy-check] in it', () => readProjectConfig(fs, '/p'));
    assert.equal(c.file, undefined);
    assert.equal(
      timed('pinnedGunicorn over it', () => pinnedGunicorn('pyproject', text + 'gunicorn\n')),
      undefined,
    );
  });

  it('a pyproject.toml of blank lines inside the config table and a comment-only body', () => {
    const text = '[tool.django-deploy-check]\n' + '\n'.repeat(100_000) + 'django-version = "4.2"\n' + '#'.repeat(100_000) + '\n';
    const fs = new MemoryFileSystem({ 'pyproject.toml': text }, '/p');
    const c = timed('config table with 100k blank lines', () => readProjectConfig(fs, '/p'));
    assert.equal(c.djangoVersion, '4.2');
  });

  it('a poetry.lock of `[[package]]` and 60k newlines is read', () => {
    const text = '[[package]]\n' + '\n'.repeat(60_000) + 'name = "gunicorn"\n' + '\n'.repeat(60_000);
    const fs = new MemoryFileSystem({ ...SKELETON, 'poetry.lock': text }, '/p');
    const files = [{ path: '/p/poetry.lock', kind: 'lockfile' as const }];
    const v = timed('poetry.lock, [[package]] and 60k newlines', () => detectVersions(fs, files, '/p'));
    assert.equal(v.django.assumed, true);
    assert.equal(v.gunicorn, undefined);
    assert.equal(
      timed('pinnedGunicorn over it', () => pinnedGunicorn('lockfile', text)),
      undefined,
    );
    // lock files are read line by line: a package table whose lines are 60k newlines apart is still
    // one table, and a broken header after it ends it
    const broken = '[[package]]\nname = "gunicorn"\n' + '\n'.repeat(60_000) + 'version = "1"\n[[package\nname = "x"\n';
    assert.equal(
      timed('a lock table spread over 60k lines', () => pinnedGunicorn('lockfile', broken)),
      '1',
    );
  });

  it('a requirements file of 100k blank lines and spaces, and one long line', () => {
    const text = ' \n'.repeat(100_000) + 'django' + ' '.repeat(100_000) + '=x\n' + 'Django==3.2.1\n';
    const fs = new MemoryFileSystem({ ...SKELETON, 'requirements.txt': text }, '/p');
    const v = timed('requirements.txt, 100k blank lines', () =>
      detectVersions(fs, [{ path: '/p/requirements.txt', kind: 'requirements' }], '/p'),
    );
    assert.equal(v.django.version, '3.2');
    assert.equal(
      timed('pinnedGunicorn over it', () => pinnedGunicorn('requirements', text + 'gunicorn' + ' '.repeat(100_000) + '\n')),
      undefined,
    );
  });

  it('requirement files that include each other in a cycle end', () => {
    const fs = new MemoryFileSystem(
      { ...SKELETON, 'requirements/a.txt': '-r b.txt\n', 'requirements/b.txt': '-r a.txt\n-r ../../../../etc/passwd\n' },
      '/p',
    );
    const v = detectVersions(fs, [{ path: '/p/requirements/a.txt', kind: 'requirements' }], '/p');
    assert.equal(v.django.assumed, true);
  });
});
