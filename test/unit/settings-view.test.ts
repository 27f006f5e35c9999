// `django-deploy-check settings`: every setting of the production module as Django will see it
// (analysis/settingsView.ts), run as a user runs it. The text (--diff) and JSON (--diff) views of
// some project fixtures are pinned in test/fixtures/settings-view/<project>.snap (absolute paths as
// <root>); UPDATE_SNAPSHOTS=1 rewrites them, and a missing one is written except under CI=true.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, EXAMPLE, FIXTURES } from '../helpers/paths';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PROJECTS = [
  'split-settings',
  'env-helpers',
  'class-settings',
  'decouple-heroku',
  'exists-guarded-local',
  'star-cycle',
  'supplied-config',
];
const STATES = ['known', 'overridable', 'environment', 'unknown', 'default'];

interface Entry {
  name: string;
  value: unknown;
  state: string;
  file: string | null;
  line: number | null;
  why: string;
  chain?: string[];
  overrides?: { file: string; line: number }[];
  overriddenBy?: { kind: string; name: string; presence: string; file?: string; line?: number; template?: string }[];
}

function json(dir: string, ...extra: string[]): { module: string | null; settings: Entry[] }[] {
  const r = cli('settings', dir, '--format', 'json', ...extra);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).projects;
}

describe('django-deploy-check settings', () => {
  for (const name of PROJECTS) {
    it(`pins the view of projects/${name}`, () => {
      const dir = path.join(FIXTURES, 'projects', name);
      const text = cli('settings', dir, '--diff');
      assert.equal(text.code, 0, text.stderr);
      const js = cli('settings', dir, '--diff', '--format', 'json');
      assert.equal(js.code, 0, js.stderr);
      const got = `${text.stdout}\n--- --format json ---\n${js.stdout}`.split(dir).join('<root>');
      const snap = path.join(FIXTURES, 'settings-view', `${name}.snap`);
      if (process.env.UPDATE_SNAPSHOTS === '1' || (!existsSync(snap) && process.env.CI !== 'true')) writeFileSync(snap, got);
      assert.ok(existsSync(snap), `${snap} is missing (run UPDATE_SNAPSHOTS=1 npm run test:unit and review it)`);
      assert.equal(
        got,
        readFileSync(snap, 'utf8'),
        `the view of ${name} changed (UPDATE_SNAPSHOTS=1 npm run test:unit, then review the diff)`,
      );
    });
  }

  it('lists every setting with the documented JSON: name, value, state, file, line, why', () => {
    const [p] = json(EXAMPLE);
    assert.equal(p!.module, 'mysite.settings');
    for (const e of p!.settings) {
      for (const k of ['name', 'value', 'state', 'file', 'line', 'why']) assert.ok(k in e, `${e.name} has no ${k}`);
      assert.ok(STATES.includes(e.state), e.state);
      if (e.state === 'default') assert.equal(e.file, null);
      else assert.ok(e.file && !path.isAbsolute(e.file) && (e.line ?? 0) >= 1);
    }
    const by = new Map(p!.settings.map((e) => [e.name, e]));
    assert.deepEqual(by.get('DEBUG'), {
      name: 'DEBUG',
      value: true,
      state: 'known',
      file: 'mysite/settings.py',
      line: 18,
      why: 'written in the settings',
    });
    // never set: Django's default for the project's version
    assert.equal(by.get('SECURE_SSL_REDIRECT')?.state, 'default');
    assert.equal(by.get('SECURE_SSL_REDIRECT')?.value, false);
  });

  it('masks secrets in values, text and JSON alike', () => {
    const text = cli('settings', EXAMPLE);
    const js = cli('settings', EXAMPLE, '--format', 'json');
    for (const out of [text.stdout, js.stdout]) {
      assert.doesNotMatch(out, /7b\$w9q|hunter2/);
      assert.match(out, /\*\*\*/);
    }
  });

  it('says where a setting came through and what it overrides, and the environment it needs', () => {
    const [p] = json(path.join(FIXTURES, 'projects/split-settings'), '--diff');
    const by = new Map(p!.settings.map((e) => [e.name, e]));
    assert.deepEqual(by.get('INSTALLED_APPS')?.chain, ['mysite/settings/base.py', 'mysite/settings/production.py']);
    assert.deepEqual(by.get('STATIC_ROOT')?.overrides, [{ file: 'mysite/settings/base.py', line: 42 }]);
    const key = by.get('SECRET_KEY')!;
    assert.equal(key.state, 'environment');
    assert.equal(key.value, null);
    assert.match(key.why, /DJANGO_SECRET_KEY/);
    const hsts = by.get('SECURE_HSTS_SECONDS')!;
    assert.equal(hsts.state, 'overridable', 'as written unless the variable is set');
    assert.equal(hsts.value, 3600, 'the default used when the variable is not set');
    assert.deepEqual(
      hsts.overriddenBy?.map((o) => [o.kind, o.name]),
      [
        ['variable', 'DJANGO_HSTS_SECONDS'],
        ['variable', 'DJANGO_DEBUG'],
        ['module', 'local.py'],
      ],
      'its variable, the variable whose absence selects the branch that sets it (`if not DEBUG:`), and an optional override imported after it',
    );
  });

  it('--diff leaves out what equals Django’s default; --fix is a usage error', () => {
    const all = json(EXAMPLE)[0]!.settings;
    const diff = json(EXAMPLE, '--diff')[0]!.settings;
    assert.ok(diff.length < all.length);
    assert.ok(diff.every((e) => e.state !== 'default'));
    const dir = mkdtempSync(path.join(tmpdir(), 'ddh-settings-view-'));
    try {
      mkdirSync(path.join(dir, 'mysite'));
      writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
      writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
      writeFileSync(path.join(dir, 'mysite/settings.py'), 'DEBUG = True\nSECURE_SSL_REDIRECT = False\nX_FRAME_OPTIONS = "DENY"\n');
      const names = json(dir, '--diff')[0]!.settings.map((e) => e.name);
      assert.deepEqual(names, ['DEBUG'], 'SECURE_SSL_REDIRECT = False and X_FRAME_OPTIONS = "DENY" are the defaults');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(cli('settings', EXAMPLE, '--fix').code, 2);
    assert.equal(cli('settings', EXAMPLE, '--format', 'sarif').code, 2);
  });

  it('an optional override the repository does not ship keeps what was known, as written unless it overrides it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ddh-settings-view-'));
    try {
      mkdirSync(path.join(dir, 'mysite'));
      writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
      writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
      writeFileSync(
        path.join(dir, 'mysite/settings.py'),
        'DEBUG = True\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\nSECURE_SSL_REDIRECT = True\n',
      );
      const by = new Map(json(dir, '--diff')[0]!.settings.map((e) => [e.name, e]));
      assert.equal(by.get('DEBUG')?.state, 'overridable');
      assert.equal(by.get('DEBUG')?.value, true);
      assert.equal(by.get('DEBUG')!.why, 'as written in the settings, unless local_settings.py overrides it');
      assert.deepEqual(by.get('DEBUG')!.overriddenBy, [
        { kind: 'module', name: 'local_settings.py', presence: 'optional', file: 'mysite/settings.py', line: 3 },
      ]);
      assert.equal(by.get('SECURE_SSL_REDIRECT')?.state, 'known', 'set after the import: the override cannot change it');
      assert.doesNotMatch(by.get('SECURE_SSL_REDIRECT')!.why, /unless/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a lookup with a default whose variable only an example file lists: listed to set, the default used where it is not', () => {
    const dir = path.join(FIXTURES, 'rules', 'DDH101', 'bad-railway-env-example-lists-key');
    const by = new Map(json(dir)[0]!.settings.map((e) => [e.name, e]));
    assert.equal(by.get('SECRET_KEY')?.state, 'environment');
    assert.equal(
      by.get('SECRET_KEY')!.why,
      'railway.env.example lists SECRET_KEY to set (its value is not in the files); where it is not set, the default written in the settings is used',
    );
    assert.doesNotMatch(by.get('SECRET_KEY')!.why, /do not start/);
  });
});
