// Issue 17.8: `user:password@` is stripped from any URL the product shows: a token in the Django
// dependency URL is not printed as the version source of the JSON report or of the checklists.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { CLI } from '../helpers/paths';

function cli(root: string, ...args: string[]): string {
  const argv = args[0] === 'checklist' ? ['checklist', root, ...args.slice(1)] : [root, ...args];
  const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

describe('URL credentials are stripped wherever a URL is shown', () => {
  it('a token in the Django dependency URL is not the version source of the JSON report or the checklists', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ddh-url-'));
    try {
      const files: Record<string, string> = {
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        'mysite/__init__.py': '',
        'mysite/settings.py': 'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
        'pyproject.toml':
          '[project]\nname = "shop"\ndependencies = ["django @ git+https://oauth2:glpat-Tok3nTok3nTok3nTok3n@gitlab.example.com/mirror/django.git"]\n',
      };
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), text);
      }
      for (const args of [
        ['--format', 'json'],
        [],
        ['checklist'],
        ['checklist', '--format', 'markdown'],
        ['checklist', '--format', 'json'],
      ]) {
        const out = cli(root, ...args);
        assert.ok(!out.includes('Tok3n'), `${args.join(' ')}:\n${out}`);
        assert.ok(!out.includes('oauth2:'), `${args.join(' ')}:\n${out}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
