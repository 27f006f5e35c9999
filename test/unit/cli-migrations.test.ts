// `django-deploy-check migrations` (issue 20.3) and the checklist's migrations item (20.5), the
// bundled CLI on copies of test/fixtures/e2e/migrations made git repositories.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CLI, FIXTURES } from '../helpers/paths';

const NEW = 'orders/migrations/0003_order_currency.py';
/** What the branch adds: a NOT NULL column with a one-off default (AddField on line 13). */
const NEW_TEXT = readFileSync(path.join(FIXTURES, 'e2e/migrations-branch/0003_order_currency.py'), 'utf8');

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' });
}

/** The fixture with its two migrations committed on main (0002 adds a NOT NULL column: history), and a new 0003 not committed. */
function repository({ withGit = true } = {}): string {
  const base = mkdtempSync(path.join(tmpdir(), 'ddh-cli-migrations-'));
  made.push(base);
  const dir = path.join(base, 'project');
  cpSync(path.join(FIXTURES, 'e2e/migrations'), dir, { recursive: true });
  if (withGit) {
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'history');
  }
  writeFileSync(path.join(dir, NEW), NEW_TEXT);
  return dir;
}

function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('django-deploy-check migrations', () => {
  it('reports the migrations added since the merge base with main, not the applied history', () => {
    const dir = repository();
    const r = cli(['migrations', dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^orders\/migrations\/0003_order_currency\.py:13:9: warning DDM001 AddField adds order\.currency as NOT NULL/m);
    assert.doesNotMatch(r.stdout, /0002_order_quantity\.py:/, 'the committed migration is history');
    assert.match(r.stdout, /1 of 3 migrations checked: added or changed since the merge base with main \([0-9a-f]{7}\); 1 warning$/m);
    assert.equal(r.stderr, '');
    // --fail-on error: a warning does not fail the run
    assert.equal(cli(['migrations', dir, '--fail-on', 'error']).code, 0);
  });

  it('--all checks the history too; --since REF compares with that ref', () => {
    const dir = repository();
    const all = cli(['migrations', dir, '--all', '--format', 'json']);
    assert.equal(all.code, 1, all.stderr);
    const report = JSON.parse(all.stdout);
    assert.deepEqual(
      report.diagnostics.map((d: { file: string; code: string; severity: string }) => [d.file, d.code, d.severity]),
      [
        ['orders/migrations/0002_order_quantity.py', 'DDM001', 'error'],
        [NEW, 'DDM001', 'warning'],
      ],
    );
    assert.equal(report.projects[0].migrations.scope, 'all');
    assert.equal(report.projects[0].migrations.total, 3);
    // 0003 committed on main: nothing is new against main any more, but it is since the commit before
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'currency');
    assert.deepEqual(JSON.parse(cli(['migrations', dir, '--format', 'json']).stdout).projects[0].migrations.files, []);
    const since = JSON.parse(cli(['migrations', dir, '--since', 'HEAD~1', '--format', 'json']).stdout);
    assert.deepEqual(since.projects[0].migrations.files, [NEW]);
    assert.match(since.projects[0].migrations.description, /^added or changed since HEAD~1 \([0-9a-f]{7}\)$/);
    assert.equal(cli(['migrations', dir, '--since', 'HEAD~1']).code, 1);
  });

  it('DDM012: an untracked migration in an app whose models changed, said only when git can be asked', () => {
    const dir = repository();
    // the models unchanged: the untracked 0003 is not reported as uncommitted
    assert.doesNotMatch(cli(['migrations', dir]).stdout, /DDM012/);
    const models = path.join(dir, 'orders/models.py');
    writeFileSync(models, `${readFileSync(models, 'utf8')}\n# the currency field goes here\n`);
    const r = cli(['migrations', dir, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const ddm012 = report.diagnostics.filter((d: { code: string }) => d.code === 'DDM012');
    assert.deepEqual(
      ddm012.map((d: { file: string; severity: string }) => [d.file, d.severity]),
      [[NEW, 'warning']],
    );
    assert.match(
      ddm012[0].message,
      /^0003_order_currency is not in git while the models of orders changed: a deploy of what is committed ships/,
    );
    assert.deepEqual(report.projects[0].migrations.modelsChanged, ['orders']);
    assert.deepEqual(report.projects[0].migrations.untracked, [NEW]);
    // --all asks no git: not applicable, never a guess
    assert.doesNotMatch(cli(['migrations', dir, '--all']).stdout, /DDM012/);
    // added to git (not committed yet): tracked, no longer reported
    git(dir, 'add', NEW);
    const added = cli(['migrations', dir, '--format', 'json']);
    assert.deepEqual(
      JSON.parse(added.stdout).diagnostics.filter((d: { code: string }) => d.code === 'DDM012'),
      [],
    );
    // a models/ package counts as the app's models too
    git(dir, 'rm', '-q', '--cached', NEW);
    git(dir, 'checkout', '-q', '--', 'orders/models.py');
    assert.doesNotMatch(cli(['migrations', dir]).stdout, /DDM012/);
    mkdirSync(path.join(dir, 'orders/models'));
    writeFileSync(path.join(dir, 'orders/models/extra.py'), 'X = 1\n');
    assert.match(cli(['migrations', dir]).stdout, /0003_order_currency\.py:\d+:\d+: warning DDM012 /);
  });

  it('usage errors: an unknown ref, --since with --all, and either without the migrations command', () => {
    const dir = repository();
    const unknown = cli(['migrations', dir, '--since', 'no-such-branch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--since: git does not know no-such-branch/);
    assert.equal(cli(['migrations', dir, '--since', 'main', '--all']).code, 2);
    const wrong = cli([dir, '--all']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--since and --all go with migrations/);
    assert.match(cli(['--help']).stdout, /django-deploy-check migrations \[PATH\] \[--since REF \| --all\]/);
  });

  it('without git: the newest migration of each app, saying why on stderr', () => {
    const dir = repository({ withGit: false });
    const r = cli(['migrations', dir, '--format', 'json'], { GIT_CEILING_DIRECTORIES: path.dirname(path.dirname(dir)) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not a git repository: checking the newest migration of each app \(--all checks every one\)/);
    const m = JSON.parse(r.stdout).projects[0].migrations;
    assert.deepEqual([m.scope, m.fallback, m.files], ['newest', 'not a git repository', [NEW]]);
  });

  it('every output format; the plain check leaves migrations alone', () => {
    const dir = repository();
    const sarif = JSON.parse(cli(['migrations', dir, '--format', 'sarif']).stdout);
    assert.deepEqual(
      sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId),
      ['DDM001'],
    );
    assert.match(
      cli(['migrations', dir, '--format', 'github']).stdout,
      /^::warning file=orders\/migrations\/0003_order_currency\.py,line=13,/m,
    );
    assert.equal(JSON.parse(cli(['migrations', dir, '--format', 'gitlab']).stdout)[0].check_name, 'DDM001');
    assert.match(
      cli(['migrations', dir, '--format', 'junit']).stdout,
      /<testcase classname="orders\/migrations\/0003_order_currency\.py" name="DDM001/,
    );
    const check = cli([dir, '--format', 'json', '--fail-on', 'never']);
    assert.ok(
      !JSON.parse(check.stdout).diagnostics.some((d: { code: string }) => d.code.startsWith('DDM')),
      'check reports no migration rule',
    );
  });

  it('the checklist item fails with the finding under it, and passes once the expand step is applied with --fix --unsafe-fixes', () => {
    const dir = repository();
    const item = (): {
      status: string;
      description: string;
      detail: string;
      entries: { code: string; loc: { file: string; line: number } }[];
    } =>
      JSON.parse(cli(['checklist', dir, '--format', 'json']).stdout)
        .checklists[0].groups.flatMap((g: { items: unknown[] }) => g.items)
        .find((i: { id: string }) => i.id === 'migrations-reviewed');
    const failing = item();
    assert.equal(failing.status, 'failing');
    assert.equal(failing.description, '1 problem');
    assert.match(failing.detail, /^1 of 3 migrations checked: added or changed since the merge base with main/);
    assert.deepEqual(
      failing.entries.map((e) => [e.code, e.loc.file, e.loc.line]),
      [['DDM001', NEW, 13]],
    );
    assert.match(
      cli(['checklist', dir]).stdout,
      /✗ Migrations reviewed, no destructive changes — 1 problem\n {6}orders\/migrations\/0003_order_currency\.py:13: DDM001/,
    );
    // the fix is unsafe: --fix alone leaves it
    assert.equal(cli(['migrations', dir, '--fix']).code, 1);
    assert.equal(readFileSync(path.join(dir, NEW), 'utf8'), NEW_TEXT);
    const fixed = cli(['migrations', dir, '--fix', '--unsafe-fixes']);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.match(readFileSync(path.join(dir, NEW), 'utf8'), /field=models\.CharField\(default="EUR", max_length=3, null=True\),/);
    const passed = item();
    assert.equal(passed.status, 'passed');
    assert.equal(passed.description, 'no destructive change found');
    // nothing new at all: no new migrations
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'currency');
    const none = item();
    assert.deepEqual([none.status, none.description], ['passed', 'no new migrations']);
  });
});
