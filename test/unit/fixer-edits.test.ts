// The fixer's edits inside expressions — entries added to a dict literal, keyword arguments set on
// a call, a lookup made required, a literal read from the environment — give exactly the text a
// person would write, in the layout of the code around them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { applyEdits, compatibleFixes } from '../../server/src/analysis/rules/fixes/edits';
import type { Fix } from '../../server/src/analysis/rules/types';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

const HEAD = 'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n';
const SKELETON = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
};

/** The settings module after applying the first fix of the first finding of `code`. */
function fixed(settings: string, code: string, title?: RegExp): string {
  const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': settings }, '/p');
  const ws = new Workspace(fs, ['/p']);
  const findings = analyzeWorkspace(ws, { djangoVersion: '5.2' }).projects.flatMap((p) => p.findings);
  const finding = findings.find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding`);
  const fix = finding.fixes.find((f) => !f.companion && (!title || title.test(f.title)));
  assert.ok(fix, `no fix for ${code}: ${finding.fixes.map((f) => f.title).join(' | ')}`);
  const edits = fix.edits.filter((e) => e.file === '/p/mysite/settings.py');
  return applyEdits(settings, edits);
}

describe('fixer: edits inside expressions', () => {
  before(async () => {
    await loadParser();
  });

  it('adds entries to a multi-line dict on lines of their own, after a trailing comment', () => {
    const src = `${HEAD}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": "db",  # the compose service\n    }\n}\n`;
    assert.equal(
      fixed(src, 'DDH701'),
      `${HEAD}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": "db",  # the compose service\n        "CONN_MAX_AGE": 600,\n        "CONN_HEALTH_CHECKS": True,\n    }\n}\n`,
    );
  });

  it('keeps a dict without a trailing comma without one', () => {
    const src = `${HEAD}DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'HOST': 'db'\n    }\n}\n`;
    assert.equal(
      fixed(src, 'DDH701'),
      `${HEAD}DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'HOST': 'db',\n        'CONN_MAX_AGE': 600,\n        'CONN_HEALTH_CHECKS': True\n    }\n}\n`,
    );
  });

  it('adds entries to a one-line dict on the same line, and replaces an existing key in place', () => {
    const src = `${HEAD}DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 0, "HOST": "db"}}\n`;
    assert.equal(
      fixed(src, 'DDH701'),
      `${HEAD}DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 600, "HOST": "db", "CONN_HEALTH_CHECKS": True}}\n`,
    );
  });

  it("follows a closing bracket on the last entry's line", () => {
    const src = `${HEAD}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": "db"}}\n`;
    assert.equal(
      fixed(src, 'DDH701'),
      `${HEAD}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": "db",\n        "CONN_MAX_AGE": 600,\n        "CONN_HEALTH_CHECKS": True}}\n`,
    );
  });

  it('keeps CRLF line endings', () => {
    const src =
      `${HEAD}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": "db",\n    }\n}\n`.replace(
        /\n/g,
        '\r\n',
      );
    const out = fixed(src, 'DDH701');
    assert.match(out, /"HOST": "db",\r\n {8}"CONN_MAX_AGE": 600,\r\n {8}"CONN_HEALTH_CHECKS": True,\r\n {4}\}/);
    assert.doesNotMatch(out.replace(/\r\n/g, ''), /\n/);
  });

  it('sets keyword arguments of dj_database_url.config()', () => {
    const src = `${HEAD}import dj_database_url\n\nDATABASES = {"default": dj_database_url.config()}\n`;
    assert.equal(
      fixed(src, 'DDH701'),
      `${HEAD}import dj_database_url\n\nDATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}\n`,
    );
    const multi = `${HEAD}import dj_database_url\n\nDATABASES = {\n    "default": dj_database_url.config(\n        env="PRIMARY_DATABASE_URL",\n        conn_max_age=600,\n    )\n}\n`;
    assert.equal(
      fixed(multi, 'DDH702'),
      `${HEAD}import dj_database_url\n\nDATABASES = {\n    "default": dj_database_url.config(\n        env="PRIMARY_DATABASE_URL",\n        conn_max_age=600,\n        conn_health_checks=True,\n    )\n}\n`,
    );
  });

  it('makes a lookup with a written fallback required', () => {
    const entry = (pw: string): string =>
      `${HEAD}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "PASSWORD": ${pw},\n        "CONN_MAX_AGE": 60,\n        "CONN_HEALTH_CHECKS": True,\n    }\n}\n`;
    assert.equal(fixed(entry('os.getenv("DB_PASSWORD", "hunter2")'), 'DDH705'), entry('os.environ["DB_PASSWORD"]'));
    assert.equal(fixed(entry('os.environ.get("DB_PASSWORD", "hunter2")'), 'DDH705'), entry('os.environ["DB_PASSWORD"]'));
    const environ = `import environ\n\nenv = environ.Env()\n${HEAD.replace('import os\n\n', 'import os\n')}`;
    const viaEnv = (pw: string): string => entry(pw).replace(HEAD, environ);
    assert.equal(fixed(viaEnv('env("DB_PASSWORD", default="hunter2")'), 'DDH705'), viaEnv('env("DB_PASSWORD")'));
    assert.equal(
      fixed(viaEnv('env.str(\n            "DB_PASSWORD",\n            default="hunter2",  # local only\n        )'), 'DDH705'),
      viaEnv('env.str(\n            "DB_PASSWORD",\n            # local only\n        )'),
    );
  });

  it('reads a written password from the environment in the style of the file', () => {
    const entry = (pw: string, head = HEAD): string =>
      `${head}DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "PASSWORD": ${pw},\n        "CONN_MAX_AGE": 60,\n        "CONN_HEALTH_CHECKS": True,\n    }\n}\n`;
    assert.equal(fixed(entry('"hunter2"'), 'DDH705'), entry('os.environ["DJANGO_DB_PASSWORD"]'));
    const decouple = 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY")\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n';
    assert.equal(fixed(entry("'hunter2'", decouple), 'DDH705'), entry('config("DB_PASSWORD")', decouple));
  });

  it('offers no edit inside a dict that may get the key from **other', () => {
    const src = `${HEAD}COMMON = {"ENGINE": "django.db.backends.postgresql"}\nDATABASES = {"default": {**COMMON, "HOST": "db"}}\n`;
    const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': src }, '/p');
    const findings = analyzeWorkspace(new Workspace(fs, ['/p']), {}).projects.flatMap((p) => p.findings);
    const f = findings.find((x) => x.code === 'DDH701');
    assert.ok(f);
    // the entry cannot be edited in place: the setting is assigned after the module instead
    assert.ok(f.fixes.every((x) => x.edits.every((e) => !src.slice(e.start, e.end).includes('**'))));
  });
});

describe('fix-all: choosing fixes that apply together', () => {
  const fix = (title: string, ...edits: [number, number, string][]): Fix => ({
    title,
    safety: 'safe',
    edits: edits.map(([start, end, newText]) => ({ file: '/f.py', start, end, newText })),
  });

  it('applies two insertions at the same point one after the other, and an identical one once', () => {
    const text = 'A = 1\n';
    const chosen = compatibleFixes([
      fix('add B', [0, 0, 'import os\n'], [6, 6, 'B = os.environ["B"]\n']),
      fix('add C', [0, 0, 'import os\n'], [6, 6, 'C = os.environ["C"]\n']),
    ]);
    assert.equal(chosen.length, 2);
    assert.equal(
      applyEdits(
        text,
        chosen.flatMap((f) => f.edits),
      ),
      'import os\nA = 1\nB = os.environ["B"]\nC = os.environ["C"]\n',
    );
  });

  it('skips a fix whose edits overlap a chosen one, or insert at the edge of a chosen replacement', () => {
    const chosen = compatibleFixes([fix('replace', [4, 5, '2']), fix('overlap', [3, 6, 'x']), fix('edge', [5, 5, '# note'])]);
    assert.deepEqual(
      chosen.map((f) => f.title),
      ['replace'],
    );
  });
});
