// `--diff` never prints a secret (issue 17.7): context and removed lines are masked for every
// literal the secrets module recognises by name or shape, from every file of the diff and every
// module the evaluator read, including base-module values that production overrides.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { applyFixes } from '../../server/src/cli/fix';

const SENDGRID = 'SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function diffOf(files: Record<string, string>, unsafe = true): string {
  const root = '/p';
  const fs = new MemoryFileSystem(files, root);
  const ws = new Workspace(fs, [root]);
  const first = analyzeWorkspace(ws, {});
  return applyFixes(root, ws, first, {}, { unsafe, write: false }).diff;
}

const SKELETON: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
  'mysite/__init__.py': '',
  'mysite/settings/__init__.py': '',
  'mysite/wsgi.py':
    'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\napplication = get_wsgi_application()\n',
};

describe('--diff masks secrets', () => {
  before(async () => {
    await loadParser();
  });

  it('a SendGrid key the rule calls a key is not printed on its removed line', () => {
    const diff = diffOf({
      ...SKELETON,
      'mysite/settings/production.py': `import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\nSENDGRID_KEY = "${SENDGRID}"\n`,
    });
    assert.match(diff, /^-SENDGRID_KEY = /m, 'the fix rewrites the line');
    assert.ok(!diff.includes(SENDGRID), diff);
    assert.ok(!diff.includes('abcdefghijklmnopqrstuv'), diff);
  });

  it('masks what base modules, server and process files hold', () => {
    const secrets = [
      'base-only-pw-1234',
      'enc-key-5678abcd',
      'jwt-signing-9999',
      'db-pass-4321',
      'keyfile-pw-2468',
      'rawenv-key-1357',
      'procfile-key-8642',
      'urlpass-7777',
    ];
    const diff = diffOf({
      ...SKELETON,
      'mysite/settings/base.py': [
        'SECRET_KEY = "k3y-in-base-that-is-long-enough-0123456789abcdef"',
        'EMAIL_HOST_PASSWORD = "base-only-pw-1234"',
        'FIELD_ENCRYPTION_KEY = "enc-key-5678abcd"',
        'SIMPLE_JWT = {}',
        'SIMPLE_JWT["SIGNING_KEY"] = "jwt-signing-9999"',
        'DB_PASS = "db-pass-4321"',
        'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://:urlpass-7777@cache:6379/0"}}',
        'DEBUG = True',
        '',
      ].join('\n'),
      'mysite/settings/production.py':
        'import os\nfrom .base import *\nEMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]\nALLOWED_HOSTS = ["example.com"]\n',
      'gunicorn.conf.py':
        'keyfile_password = "keyfile-pw-2468"\nraw_env = ["SECRET_KEY=rawenv-key-1357"]\nloglevel = "debug"\nworkers = 4\nbind = "0.0.0.0:8000"\n',
      Procfile: 'web: SECRET_KEY=procfile-key-8642 gunicorn mysite.wsgi --reload --log-level debug\n',
    });
    for (const s of secrets) assert.ok(!diff.includes(s), `${s} in\n${diff}`);
  });
});

describe('the analysis masks what it says', () => {
  before(async () => {
    await loadParser();
  });

  it('a value a rule quotes is masked when the project holds it as a secret', () => {
    const root = '/p';
    const ws = new Workspace(
      new MemoryFileSystem(
        {
          ...SKELETON,
          // the word gunicorn's log level rule quotes is also the mail password here
          'mysite/settings/production.py':
            'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\nEMAIL_HOST_PASSWORD = "debug"\n',
          'gunicorn.conf.py': 'loglevel = "debug"\n',
        },
        root,
      ),
      [root],
    );
    const [p] = analyzeWorkspace(ws, {}).projects;
    const quoted = p!.findings.find((f) => f.code === 'DDG108');
    assert.ok(quoted, JSON.stringify(p!.findings.map((f) => f.code)));
    assert.match(quoted.message, /loglevel = "\*\*\*"/);
    for (const f of p!.findings) {
      assert.doesNotMatch(f.message, /(?<![\w])debug(?![\w])/, f.message);
      for (const fix of f.fixes) assert.doesNotMatch(fix.title, /(?<![\w])debug(?![\w])/, fix.title);
    }
  });
});
