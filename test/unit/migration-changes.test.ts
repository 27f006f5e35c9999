// The migration change set (server/src/analysis/models/migrations/changes.ts) on real temporary git
// repositories: what is new relative to the default branch, --since, --all, and the fallbacks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  isMigrationFile,
  migrationChangeSet,
  projectMigrationFiles,
  runGit,
  UnknownRefError,
  type GitRunner,
  type RepositoryChangesCache,
} from '../../server/src/analysis/models/migrations/changes';
import { buildChecklist } from '../../server/src/analysis/outputs/checklist/checklist';
import { analyzeProject } from '../../server/src/analysis/engine/engine';
import { NodeFileSystem } from '../../server/src/analysis/files/fs';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { Workspace } from '../../server/src/analysis/engine/workspace';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
}

function write(root: string, rel: string, text = '# migration\n'): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** A project with two apps and their migrations, committed on `main`. */
function project(): { root: string; files: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'ddh-migchanges-'));
  made.push(root);
  write(root, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_.settings")\n');
  write(root, 'site_/__init__.py', '');
  write(root, 'site_/settings.py', 'DEBUG = False\n');
  const files = [
    write(root, 'shop/migrations/0001_initial.py'),
    write(root, 'shop/migrations/0002_order.py'),
    write(root, 'blog/migrations/0001_initial.py'),
  ];
  write(root, 'shop/migrations/__init__.py', '');
  write(root, 'blog/migrations/__init__.py', '');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'initial');
  return { root, files };
}

describe('migration files', () => {
  it("names the modules of migrations packages as Django's loader does", () => {
    assert.ok(isMigrationFile('/p/shop/migrations/0001_initial.py'));
    assert.ok(isMigrationFile('shop\\migrations\\0002_x.py'));
    assert.ok(!isMigrationFile('/p/shop/migrations/__init__.py'));
    assert.ok(!isMigrationFile('/p/shop/migrations/~0003_draft.py'));
    assert.ok(!isMigrationFile('/p/shop/migrations/0001_initial.pyc'));
    assert.ok(!isMigrationFile('/p/shop/mymigrations/0001_initial.py'));
  });

  it("lists every migration of the project's apps, not a nested project's nor a virtualenv's", () => {
    const { root, files } = project();
    write(root, '.venv/lib/site-packages/django/contrib/auth/migrations/0001_initial.py');
    write(root, 'tools/other/manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "o.settings")\n');
    write(root, 'tools/other/o/__init__.py', '');
    write(root, 'tools/other/o/settings.py', 'DEBUG = False\n');
    const nested = write(root, 'tools/other/app/migrations/0001_initial.py');
    const ws = new Workspace(new NodeFileSystem(), [root]);
    const projects = ws.projects();
    const outer = projects.find((p) => p.root === root)!;
    const inner = projects.find((p) => p.root === path.join(root, 'tools/other'))!;
    assert.ok(outer && inner, projects.map((p) => p.root).join(', '));
    assert.deepEqual(projectMigrationFiles(ws, outer, projects), [...files].sort());
    assert.deepEqual(projectMigrationFiles(ws, inner, projects), [nested]);
  });
});

describe('migration change set', () => {
  it('on the default branch with nothing changed: an empty set against main', async () => {
    const { root, files } = project();
    const cs = await migrationChangeSet(root, files);
    assert.equal(cs.scope, 'changed');
    assert.deepEqual(cs.files, []);
    assert.equal(cs.base?.ref, 'main');
    assert.match(cs.description, /since the merge base with main \([0-9a-f]{7}\)/);
  });

  it('a feature branch: migrations added (committed, staged, untracked) or changed since the merge base', async () => {
    const { root, files } = project();
    git(root, 'checkout', '-q', '-b', 'feature');
    const committed = write(root, 'shop/migrations/0003_price.py');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'price');
    // main moved on meanwhile: its new migration is not this branch's change
    git(root, 'checkout', '-q', 'main');
    const onMain = write(root, 'blog/migrations/0002_main_only.py');
    git(root, 'add', onMain);
    git(root, 'commit', '-q', '-m', 'main only');
    git(root, 'checkout', '-q', 'feature');
    const staged = write(root, 'blog/migrations/0002_tags.py');
    git(root, 'add', staged);
    const untracked = write(root, 'shop/migrations/0004_stock.py');
    writeFileSync(files[1]!, '# migration, edited\n'); // shop 0002 changed, not staged
    const all = [...files, committed, staged, untracked];
    const cs = await migrationChangeSet(root, all);
    assert.equal(cs.scope, 'changed');
    assert.deepEqual(cs.files, [staged, files[1]!, committed, untracked].sort());
    assert.deepEqual(cs.untracked, [untracked]);
    assert.equal(cs.base?.ref, 'main');
    // a deleted migration is not reported (there is nothing to read)
    rmSync(files[2]!);
    const after = await migrationChangeSet(
      root,
      all.filter((f) => f !== files[2]),
    );
    assert.ok(!after.files.includes(files[2]!));
  });

  it("prefers origin's HEAD over a local main", async () => {
    const { root, files } = project();
    const remote = mkdtempSync(path.join(tmpdir(), 'ddh-migchanges-remote-'));
    made.push(remote);
    git(remote, 'init', '-q', '--bare', '-b', 'trunk');
    git(root, 'remote', 'add', 'origin', remote);
    git(root, 'push', '-q', 'origin', 'main:trunk');
    git(root, 'fetch', '-q', 'origin');
    git(root, 'remote', 'set-head', 'origin', 'trunk');
    // local main moves ahead of origin's trunk: its new migration is not yet on the default branch
    const ahead = write(root, 'shop/migrations/0003_ahead.py');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'ahead');
    const cs = await migrationChangeSet(root, [...files, ahead]);
    assert.equal(cs.base?.ref, 'origin/trunk');
    assert.deepEqual(cs.files, [ahead]);
  });

  it('projects of one repository share its answer: git is asked about the repository once', async () => {
    const { root, files } = project();
    const added = write(root, 'blog/migrations/0002_x.py');
    const calls: string[] = [];
    const counting: GitRunner = (cwd, args) => {
      calls.push(args.join(' '));
      return runGit(cwd, args);
    };
    const cache: RepositoryChangesCache = new Map();
    const shop = await migrationChangeSet(root, files.slice(0, 2), {}, counting, cache);
    const first = calls.length;
    const blog = await migrationChangeSet(path.join(root, 'blog'), [files[2]!, added], {}, counting, cache);
    assert.deepEqual([shop.files, blog.files], [[], [added]]);
    // the second project only asks where its repository is
    assert.deepEqual(calls.slice(first), ['rev-parse --show-toplevel', 'rev-parse --verify --quiet HEAD^{commit}']);
  });

  it('--since REF compares with that ref; an unknown ref is an error', async () => {
    const { root, files } = project();
    const first = git(root, 'rev-parse', 'HEAD').trim();
    const next = write(root, 'shop/migrations/0003_next.py');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'next');
    const cs = await migrationChangeSet(root, [...files, next], { since: first });
    assert.deepEqual(cs.files, [next]);
    assert.equal(cs.base?.commit, first);
    await assert.rejects(migrationChangeSet(root, files, { since: 'no-such-branch' }), UnknownRefError);
    await assert.rejects(migrationChangeSet(root, files, { since: '--output=/tmp/x' }), UnknownRefError);
  });

  it('--all: every file, without git', async () => {
    const files = ['/x/b/migrations/0001_a.py', '/x/a/migrations/0001_a.py'];
    let called = 0;
    const noGit: GitRunner = async () => {
      called++;
      return { ok: false, error: 'git is not installed' };
    };
    const cs = await migrationChangeSet('/x', files, { all: true }, noGit);
    assert.deepEqual(cs.files, [...files].sort());
    assert.equal(cs.scope, 'all');
    assert.equal(called, 0);
  });

  it('no repository, or no git: the newest migration of each app, saying why', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ddh-migchanges-nogit-'));
    made.push(root);
    const files = [
      write(root, 'shop/migrations/0001_initial.py'),
      write(root, 'shop/migrations/0010_later.py'),
      write(root, 'shop/migrations/0009_earlier.py'),
      write(root, 'blog/migrations/0001_initial.py'),
    ];
    // GIT_CEILING_DIRECTORIES keeps git from finding a repository around the temporary folder
    const outside: GitRunner = async (cwd, args) => {
      try {
        return {
          ok: true,
          stdout: execFileSync('git', [...args], {
            cwd,
            encoding: 'utf8',
            stdio: 'pipe',
            env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(root) },
          }),
        };
      } catch (e) {
        return { ok: false, error: String((e as { stderr?: string }).stderr ?? e) };
      }
    };
    const cs = await migrationChangeSet(root, files, {}, outside);
    assert.equal(cs.scope, 'newest');
    assert.equal(cs.fallback, 'not a git repository');
    assert.deepEqual(cs.files, [files[3]!, files[1]!]);
    const missing = await migrationChangeSet(root, files, {}, async () => ({ ok: false, error: 'git is not installed' }));
    assert.equal(missing.fallback, 'git is not installed');
    assert.equal(missing.files.length, 2);
  });

  it('a repository without commits: every migration is new', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ddh-migchanges-fresh-'));
    made.push(root);
    git(root, 'init', '-q', '-b', 'main');
    const staged = write(root, 'shop/migrations/0001_initial.py');
    git(root, 'add', '.');
    const untracked = write(root, 'shop/migrations/0002_more.py');
    const cs = await migrationChangeSet(root, [staged, untracked]);
    assert.equal(cs.scope, 'changed');
    assert.deepEqual(cs.files, [staged, untracked]);
  });

  it('a branch without main or master to compare with: the fallback names --since', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ddh-migchanges-trunk-'));
    made.push(root);
    git(root, 'init', '-q', '-b', 'trunk');
    const f = write(root, 'shop/migrations/0001_initial.py');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'x');
    const cs = await migrationChangeSet(root, [f]);
    assert.equal(cs.scope, 'newest');
    assert.match(cs.fallback ?? '', /--since/);
  });

  it('the git of a hook (GIT_DIR, GIT_INDEX_FILE in the environment) does not pick the repository', async () => {
    const { root, files } = project();
    const other = project();
    const saved = { dir: process.env.GIT_DIR, index: process.env.GIT_INDEX_FILE };
    process.env.GIT_DIR = path.join(other.root, '.git');
    process.env.GIT_INDEX_FILE = path.join(other.root, '.git', 'index');
    try {
      const added = write(root, 'blog/migrations/0002_x.py');
      const cs = await migrationChangeSet(root, [...files, added]);
      assert.deepEqual(cs.files, [added]);
    } finally {
      if (saved.dir === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved.dir;
      if (saved.index === undefined) delete process.env.GIT_INDEX_FILE;
      else process.env.GIT_INDEX_FILE = saved.index;
    }
  });
});

describe("the checklist's migrations item", () => {
  before(() => loadParser());
  it('is one to review by hand where migrations were not checked, computed where they were', () => {
    const { root, files } = project();
    const ws = new Workspace(new NodeFileSystem(), [root]);
    const p = ws.projects()[0]!;
    const item = (c: ReturnType<typeof buildChecklist>) => c.groups.flatMap((g) => g.items).find((i) => i.id === 'migrations-reviewed')!;
    const unchecked = item(buildChecklist(ws, analyzeProject(ws, p)));
    assert.deepEqual([unchecked.status, unchecked.manual], ['manual', true]);
    const none = item(
      buildChecklist(ws, analyzeProject(ws, p, { migrations: [] }), { checked: true, count: 0, description: '0 of 3 migrations checked' }),
    );
    assert.deepEqual(
      [none.status, none.manual, none.description, none.detail],
      ['passed', false, 'no new migrations', '0 of 3 migrations checked.'],
    );
    // these files are comments only: what cannot be read is unknown, never passed
    const some = item(
      buildChecklist(ws, analyzeProject(ws, p, { migrations: files }), { checked: true, count: 3, description: 'every migration' }),
    );
    assert.deepEqual(
      [some.status, some.description],
      ['unknown', 'the operations of 0001_initial cannot be read: it has no Migration class'],
    );
    assert.match(some.detail, /^every migration\.\n/);
  });
});
