// The repository as a pre-commit hook, under the real pre-commit (Debian's package, installed here
// when missing): `pre-commit try-repo <checkout> django-deploy-check --all-files` installs the hook
// the way pre-commit installs any node hook (npm install, npm pack, npm install -g of the tarball,
// with the machine's Node), refuses a project with a hardcoded key and lets it through once the key
// is read from the environment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ensureDebianPackages } from '../helpers/debian.cjs';
import { FIXTURES, REPO } from '../helpers/paths';

const PROJECT = path.join(FIXTURES, 'install/precommit');

describe('pre-commit try-repo', () => {
  let tmp: string;
  let project: string;
  let unavailable: string | undefined;

  before(() => {
    try {
      ensureDebianPackages(['pre-commit', 'git'], { log: (m: string) => process.stderr.write(`${m}\n`) });
    } catch (e) {
      // On CI a missing pre-commit is a failure, never a skip.
      if (process.env.CI === 'true') throw e;
      unavailable = (e as Error).message;
      return;
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddh-pre-commit-'));
    project = path.join(tmp, 'project');
    fs.cpSync(PROJECT, project, { recursive: true });
    git(['init', '-q']);
    git(['add', '-A']);
    git(['commit', '-qm', 'a shop']);
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  function git(args: string[]): void {
    const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }

  function tryRepo(hook = 'django-deploy-check', files = ['--all-files']): { status: number | null; output: string } {
    const env: NodeJS.ProcessEnv = { ...process.env, PRE_COMMIT_HOME: path.join(tmp, 'cache'), PRE_COMMIT_COLOR: 'never' };
    delete env.DDH_BUILD_DIR; // pre-commit's npm install builds in its own clone of the repository
    const r = spawnSync('pre-commit', ['try-repo', REPO, hook, ...files], {
      cwd: project,
      env,
      encoding: 'utf8',
      timeout: 600_000,
    });
    return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  }

  it('fails on a hardcoded SECRET_KEY, passes once it comes from the environment', (t) => {
    if (unavailable) return t.skip(`pre-commit is not installed and cannot be: ${unavailable}`);
    const first = tryRepo();
    assert.equal(first.status, 1, first.output);
    assert.match(first.output, /Django Deploy Hygiene\.+Failed/);
    assert.match(first.output, /shop\/settings\.py:8:14: error DDH101 SECRET_KEY is hardcoded/);
    assert.doesNotMatch(first.output, /q8#n2v/, 'the key is never printed');

    const settings = path.join(project, 'shop/settings.py');
    const text = fs.readFileSync(settings, 'utf8').replace(/^SECRET_KEY = .*$/m, 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]');
    fs.writeFileSync(settings, text);
    git(['add', '-A']);
    const second = tryRepo();
    assert.equal(second.status, 0, second.output);
    assert.match(second.output, /Django Deploy Hygiene\.+Passed/);
  });

  it('the migrations hook runs when a migration is staged: a NOT NULL column without a default fails, the expand step passes', (t) => {
    if (unavailable) return t.skip(`pre-commit is not installed and cannot be: ${unavailable}`);
    const migrations = path.join(project, 'shop/migrations');
    fs.mkdirSync(migrations, { recursive: true });
    fs.writeFileSync(path.join(migrations, '__init__.py'), '');
    fs.writeFileSync(
      path.join(migrations, '0001_initial.py'),
      'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = [\n        migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True, serialize=False))]),\n    ]\n',
    );
    git(['add', '-A']);
    git(['commit', '-qm', 'orders']);
    // nothing staged that the hook looks at: skipped
    const none = tryRepo('django-deploy-check-migrations', []);
    assert.equal(none.status, 0, none.output);
    assert.match(none.output, /Django Deploy Hygiene \(migrations\)\.+\(no files to check\)Skipped/);
    const added = path.join(migrations, '0002_order_quantity.py');
    const text = (field: string): string =>
      `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n        migrations.AddField(model_name="order", name="quantity", field=${field}),\n    ]\n`;
    fs.writeFileSync(added, text('models.PositiveIntegerField()'));
    git(['add', '-A']);
    const failed = tryRepo('django-deploy-check-migrations', []);
    assert.equal(failed.status, 1, failed.output);
    assert.match(failed.output, /Django Deploy Hygiene \(migrations\)\.+Failed/);
    assert.match(
      failed.output,
      /shop\/migrations\/0002_order_quantity\.py:7:9: error DDM001 AddField adds order\.quantity as NOT NULL without a default/,
    );
    fs.writeFileSync(added, text('models.PositiveIntegerField(null=True)'));
    git(['add', '-A']);
    const passed = tryRepo('django-deploy-check-migrations', []);
    assert.equal(passed.status, 0, passed.output);
    assert.match(passed.output, /Django Deploy Hygiene \(migrations\)\.+Passed/);
  });
});
