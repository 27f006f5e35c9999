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

  function tryRepo(): { status: number | null; output: string } {
    const env: NodeJS.ProcessEnv = { ...process.env, PRE_COMMIT_HOME: path.join(tmp, 'cache'), PRE_COMMIT_COLOR: 'never' };
    delete env.DDH_BUILD_DIR; // pre-commit's npm install builds in its own clone of the repository
    const r = spawnSync('pre-commit', ['try-repo', REPO, 'django-deploy-check', '--all-files'], {
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
});
