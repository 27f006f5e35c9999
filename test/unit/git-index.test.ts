// The git index reader against real git: the paths it reads from `.git/index` are the ones
// `git ls-files` lists, for index versions 2, 3 (an intent-to-add entry carries the extended
// flags) and 4 (prefix-compressed paths); and a file committed with `git add -f` under an ignored
// folder is read as committed, by the scan and by the rules (DDG311 on its literal secret).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { GitIgnore } from '../../server/src/analysis/files/gitignore';
import { parseGitIndex, trackedPaths } from '../../server/src/analysis/files/gitIndex';
import { CLI } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

const CI = process.env.CI === 'true';
const hasGit = spawnSync('git', ['--version']).status === 0;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
}

function write(root: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

/** A repository with an ignored folder, one file in it forced in, and enough paths that version 4 compresses. */
function repository(): string {
  const root = tempDir('ddh-gitindex-');
  git(root, 'init', '-q');
  write(root, '.gitignore', '.envs/*\n!.envs/.local/\n');
  write(root, '.envs/.local/.django', 'DEBUG=1\n');
  write(root, '.envs/.production/.django', 'DJANGO_SECRET_KEY=kept-out\n');
  write(root, '.envs/.production/.postgres', 'POSTGRES_PASSWORD=untracked\n');
  for (const name of ['alpha', 'alphabet', 'alphabetical', 'beta']) write(root, `pkg/deep/${name}/módulo ${name}.py`, `# ${name}\n`);
  write(root, 'manage.py', 'import os\n');
  git(root, 'add', '.');
  git(root, 'add', '-f', '.envs/.production/.django');
  return root;
}

function lsFiles(root: string): string[] {
  return git(root, 'ls-files', '-z')
    .split('\0')
    .filter((p) => p !== '')
    .sort();
}

describe('the git index reader', () => {
  for (const version of ['2', '3', '4']) {
    it(`reads the paths git ls-files lists (index version ${version})`, (t) => {
      if (!hasGit) {
        assert.ok(!CI, 'git is missing under CI');
        return t.skip('git is not installed');
      }
      const root = repository();
      // version 3: an intent-to-add entry (`git add -N`) carries the extended flags
      if (version === '3') {
        write(root, 'later.txt', 'later\n');
        git(root, 'add', '-N', 'later.txt');
      }
      git(root, 'update-index', '--index-version', version);
      const bytes = readFileSync(path.join(root, '.git', 'index'));
      assert.equal(bytes.readUInt32BE(4), Number(version));
      const tracked = parseGitIndex(bytes);
      assert.ok(tracked, 'the index is read');
      assert.deepEqual([...tracked.files].sort(), lsFiles(root));
      assert.ok(tracked.dirs.has('.envs/.production') && tracked.dirs.has('pkg/deep/alpha') && tracked.dirs.has('.envs'));
    });
  }

  it('a forced file under an ignored folder is not ignored; its untracked neighbour is', (t) => {
    if (!hasGit) return t.skip('git is not installed');
    const root = repository();
    const ig = new GitIgnore(new NodeFileSystem(), root);
    assert.equal(ig.ignores(path.join(root, '.envs/.production'), true), false);
    assert.equal(ig.ignores(path.join(root, '.envs/.production/.django'), false), false);
    assert.equal(ig.ignores(path.join(root, '.envs/.production/.postgres'), false), true);
    // without an index (an empty .git: a copy of the tree), .gitignore decides alone
    const copy = tempDir('ddh-gitindex-copy-');
    write(copy, '.gitignore', '.envs/*\n');
    write(copy, '.envs/.production/.django', 'X=1\n');
    mkdirSync(path.join(copy, '.git'));
    assert.equal(new GitIgnore(new NodeFileSystem(), copy).ignores(path.join(copy, '.envs/.production/.django'), false), true);
  });

  it('the rules read the forced production env file as committed (DDG311 on its literal secret)', (t) => {
    if (!hasGit) return t.skip('git is not installed');
    const root = tempDir('ddh-gitindex-project-');
    git(root, 'init', '-q');
    write(root, '.gitignore', '.envs/*\n');
    write(root, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
    write(root, 'mysite/__init__.py', '');
    write(
      root,
      'mysite/settings.py',
      'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
    );
    write(root, 'mysite/wsgi.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
    write(
      root,
      'production.yml',
      'services:\n  django:\n    build: .\n    command: gunicorn mysite.wsgi --bind 0.0.0.0:8000\n    env_file:\n      - ./.envs/.production/.django\n',
    );
    write(root, 'Dockerfile', 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD ["gunicorn", "mysite.wsgi"]\n');
    write(root, '.envs/.production/.django', 'DJANGO_SECRET_KEY=q8Zr2vN5xW1kL7pT3yH9bC4mF6dJ0sGaRe2UiOo\n');
    const findings = (): string[] => {
      const r = spawnSync(process.execPath, [CLI, root, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { diagnostics: { code: string; file: string }[] };
      return out.diagnostics.filter((d) => d.code === 'DDG311').map((d) => d.file);
    };
    // not committed (ignored, untracked): a developer's local file, never reported
    git(root, 'add', '.');
    assert.deepEqual(findings(), []);
    // committed with `git add -f`: in the repository, whatever .gitignore says
    git(root, 'add', '-f', '.envs/.production/.django');
    assert.deepEqual(findings(), ['.envs/.production/.django']);
  });
});

describe('the git index reader on bytes that are not an index', () => {
  it('answers nothing known for a wrong signature, an unknown version or a truncated entry', () => {
    const header = (version: number, count: number): Buffer => {
      const b = Buffer.alloc(12);
      b.write('DIRC', 0, 'latin1');
      b.writeUInt32BE(version, 4);
      b.writeUInt32BE(count, 8);
      return b;
    };
    assert.equal(parseGitIndex(Buffer.from('not an index at all')), undefined);
    assert.equal(parseGitIndex(header(5, 0)), undefined);
    assert.equal(parseGitIndex(header(2, 1)), undefined);
    assert.equal(parseGitIndex(Buffer.concat([header(2, 1), Buffer.alloc(30)])), undefined);
    assert.deepEqual([...(parseGitIndex(header(2, 0))?.files ?? ['x'])], []);
  });

  it('a file system without an index (or without byte reads) tracks nothing', () => {
    const fs = new MemoryFileSystem({ 'p/.gitignore': '.envs/*\n', 'p/.envs/.production/.django': 'X=1\n' }, '/');
    assert.equal(trackedPaths(fs, '/p'), undefined);
    assert.equal(new GitIgnore(fs, '/p').ignores('/p/.envs/.production/.django', false), true);
  });
});
