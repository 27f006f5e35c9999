// Realistic multi-file projects (issue 3, part 6) under test/fixtures/projects/: which module is
// production, what each production setting evaluates to, and where (file:line) and how (origin) it
// was written.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import type { DictValue, UnknownValue, Value } from '../../server/src/analysis/eval/values';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { FIXTURES } from '../helpers/paths';
import { evaluateFiles, evaluateFolder, evaluateSettings, js, lineOf, readFolder, type Evaluated } from './evalHarness';

const dir = (name: string): string => path.join(FIXTURES, 'projects', name);

before(async () => {
  await loadParser();
});

function item(v: Value | undefined, ...keys: (string | number)[]): Value | undefined {
  let cur = v;
  for (const k of keys) {
    if (typeof k === 'number') cur = cur && (cur.kind === 'list' || cur.kind === 'tuple') ? cur.items[k] : undefined;
    else {
      if (cur?.kind !== 'dict') return undefined;
      const d: DictValue = cur;
      const i = d.keys.findIndex((x) => x.kind === 'str' && x.v === k);
      cur = i >= 0 ? d.values[i] : undefined;
    }
  }
  return cur;
}

/** [value, origin, file:line] of a setting, for compact assertions. */
function prov(e: Evaluated, name: string): [unknown, string | undefined, string | undefined] {
  return [e.get(name), e.origin(name), e.at(name)];
}

describe('fixture: cookiecutter-django (config/settings/{base,local,production,test}.py, django-environ)', () => {
  const e = (): Evaluated => evaluateFolder(dir('cookiecutter'));
  const base = 'config/settings/base.py';
  const prod = 'config/settings/production.py';

  it('production is config.settings.production, named by config/wsgi.py (manage.py names local)', () => {
    const ev = e();
    assert.equal(ev.project.production?.module.name, 'config.settings.production');
    assert.equal(ev.project.production?.via, 'entry-point');
    assert.match(ev.project.production!.reason, /wsgi\.py/);
    assert.deepEqual(
      ev.project.settingsModules.map((m) => m.name),
      ['config.settings', 'config.settings.base', 'config.settings.local', 'config.settings.production', 'config.settings.test'],
    );
    assert.equal(ev.project.djangoVersion.version, '4.2');
    assert.match(ev.project.djangoVersion.source, /requirements\/base\.txt/);
  });

  it('evaluates production values with their provenance', () => {
    const ev = e();
    assert.deepEqual(ev.notes(), []);
    assert.equal(ev.mod.status, 'done');
    // required from the environment: safe unknowns
    assert.deepEqual(prov(ev, 'SECRET_KEY'), ['<env:DJANGO_SECRET_KEY>', 'env', ev.line(prod, 'env("DJANGO_SECRET_KEY")')]);
    assert.equal(ev.get('ADMIN_URL'), '<env:DJANGO_ADMIN_URL>');
    assert.equal(ev.get('SENTRY_DSN'), '<env:SENTRY_DSN>');
    // environment defaults, located where the default is written
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'env-default', ev.line(base, 'DEBUG = env.bool')]);
    assert.deepEqual(ev.envNames('DEBUG'), ['DJANGO_DEBUG']);
    assert.deepEqual(prov(ev, 'ALLOWED_HOSTS'), [['example.com'], 'env-default', ev.line(prod, 'default=["example.com"]')]);
    assert.deepEqual(prov(ev, 'SECURE_SSL_REDIRECT'), [true, 'env-default', ev.line(prod, 'SECURE_SSL_REDIRECT = env.bool')]);
    assert.deepEqual(prov(ev, 'SECURE_HSTS_INCLUDE_SUBDOMAINS'), [true, 'env-default', ev.line(prod, 'default=True', 2)]);
    assert.deepEqual(prov(ev, 'SECURE_CONTENT_TYPE_NOSNIFF'), [true, 'env-default', ev.line(prod, 'default=True', 4)]);
    assert.deepEqual(prov(ev, 'EMAIL_SUBJECT_PREFIX'), ['[myproj] ', 'env-default', ev.line(prod, 'default="[myproj] "')]);
    assert.deepEqual(prov(ev, 'SERVER_EMAIL'), [
      'myproj <noreply@example.com>',
      'env-default',
      ev.line(prod, 'default="myproj <noreply@example.com>"'),
    ]);
    assert.deepEqual(ev.envNames('SERVER_EMAIL'), ['DJANGO_SERVER_EMAIL', 'DJANGO_DEFAULT_FROM_EMAIL']);
    // literals in production.py and inherited from base.py
    assert.deepEqual(prov(ev, 'SESSION_COOKIE_SECURE'), [true, 'literal', ev.line(prod, 'SESSION_COOKIE_SECURE = True')]);
    assert.deepEqual(prov(ev, 'SECURE_HSTS_SECONDS'), [60, 'literal', ev.line(prod, 'SECURE_HSTS_SECONDS = 60')]);
    assert.deepEqual(prov(ev, 'X_FRAME_OPTIONS'), ['DENY', 'literal', ev.line(base, 'X_FRAME_OPTIONS')]);
    assert.deepEqual(prov(ev, 'SESSION_COOKIE_HTTPONLY'), [true, 'literal', ev.line(base, 'SESSION_COOKIE_HTTPONLY')]);
    assert.deepEqual(prov(ev, 'EMAIL_BACKEND'), ['anymail.backends.mailgun.EmailBackend', 'literal', ev.line(prod, 'EMAIL_BACKEND = ')]);
    assert.deepEqual(ev.get('SECURE_PROXY_SSL_HEADER'), ['HTTP_X_FORWARDED_PROTO', 'https']);
    // derived values
    assert.deepEqual(prov(ev, 'STATIC_ROOT'), [path.join(dir('cookiecutter'), 'staticfiles'), 'derived', ev.line(base, 'STATIC_ROOT')]);
    assert.equal(ev.get('CELERY_BROKER_URL'), 'redis://redis:6379/0');
    assert.equal(ev.origin('CELERY_BROKER_URL'), 'env-default');
    assert.equal(ev.get('REDIS_SSL'), false);
    assert.equal(ev.get('CELERY_BROKER_USE_SSL'), null);
    assert.equal(ev.get('CELERY_TIMEZONE'), 'UTC');
  });

  it('follows production.py changes to base.py containers', () => {
    const ev = e();
    const apps = ev.value('INSTALLED_APPS');
    assert.equal(js(item(apps, 0)), 'django.contrib.auth');
    assert.equal(ev.where(item(apps, 0)!.loc), ev.line(base, '"django.contrib.auth"'));
    const last = (apps as { items: Value[] }).items.at(-1)!;
    assert.equal(js(last), 'anymail');
    assert.equal(ev.where(last.loc), ev.line(prod, 'INSTALLED_APPS += ["anymail"]'));
    assert.ok(!(js(apps) as string[]).includes('debug_toolbar'), 'local.py is not part of production');
    const db = item(ev.value('DATABASES'), 'default');
    assert.equal(db?.origin, 'env', 'env.db("DATABASE_URL") is required');
    assert.equal(js(item(db, 'ATOMIC_REQUESTS')), true);
    assert.equal(ev.where(item(db, 'ATOMIC_REQUESTS')!.loc), ev.line(base, 'ATOMIC_REQUESTS'));
    const conn = item(db, 'CONN_MAX_AGE')!;
    assert.deepEqual([js(conn), conn.origin, ev.where(conn.loc)], [60, 'env-default', ev.line(prod, 'default=60')]);
    assert.equal(js(item(ev.value('CACHES'), 'default', 'OPTIONS', 'IGNORE_EXCEPTIONS')), true);
    assert.equal(js(item(ev.value('CACHES'), 'default', 'LOCATION')), 'redis://redis:6379/0');
    assert.equal(js(item(ev.value('ANYMAIL'), 'MAILGUN_API_KEY')), '<env:MAILGUN_API_KEY>');
    assert.equal(js(item(ev.value('STORAGES'), 'staticfiles', 'BACKEND')), 'whitenoise.storage.CompressedManifestStaticFilesStorage');
  });

  it('records the sentry_sdk.init call with its keyword arguments', () => {
    const ev = e();
    const init = ev.mod.calls.find((c) => c.callee === 'sentry_sdk.init');
    assert.ok(init);
    assert.equal(js(init.kwargs.get('environment')), 'production');
    assert.equal(js(init.kwargs.get('traces_sample_rate')), 0);
    assert.equal(init.kwargs.get('dsn')?.origin, 'env');
  });

  it('only files of production are owned by its analysis: local.py and test.py get no findings', () => {
    const ws = new Workspace(new NodeFileSystem(), [dir('cookiecutter')]);
    const result = analyzeWorkspace(ws);
    assert.equal(result.projects.length, 1);
    const files = [...result.projects[0]!.files].map((f) => path.relative(dir('cookiecutter'), f)).sort();
    assert.deepEqual(files, ['config/settings/base.py', 'config/settings/production.py']);
    for (const f of result.projects[0]!.findings) assert.ok(!/local\.py|test\.py/.test(f.loc.file), `${f.code} in ${f.loc.file}`);
  });

  it('the local module, chosen by the user, reads as development', () => {
    const ev = evaluateFolder(dir('cookiecutter'), { productionSettingsModule: 'config.settings.local' });
    assert.equal(ev.project.production?.via, 'user');
    assert.deepEqual(prov(ev, 'DEBUG'), [true, 'literal', ev.line('config/settings/local.py', 'DEBUG = True')]);
    assert.equal(ev.origin('SECRET_KEY'), 'env-default');
    assert.ok((ev.get('INSTALLED_APPS') as string[]).includes('debug_toolbar'));
    // USE_DOCKER is required and decides the branch, which adds items the analysis cannot read:
    // the two written before it stay certain
    assert.deepEqual(ev.get('INTERNAL_IPS'), ['127.0.0.1', '10.0.2.2', '<unknown>']);
    assert.equal((ev.value('INTERNAL_IPS') as { optional?: boolean }).optional, true);
  });
});

describe('fixture: base/local/production split settings with an optional, git-ignored local.py', () => {
  const prod = 'mysite/settings/production.py';
  const base = 'mysite/settings/base.py';

  const check = (ev: Evaluated): void => {
    assert.equal(ev.project.production?.module.name, 'mysite.settings.production');
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'env-default', ev.line(prod, 'DEBUG = ')]);
    assert.deepEqual(ev.envNames('DEBUG'), ['DJANGO_DEBUG']);
    assert.deepEqual(prov(ev, 'SECRET_KEY'), ['<env:DJANGO_SECRET_KEY>', 'env', ev.line(prod, 'os.environ["DJANGO_SECRET_KEY"]')]);
    assert.deepEqual(prov(ev, 'ALLOWED_HOSTS'), [['example.com', 'www.example.com'], 'env-default', ev.line(prod, 'ALLOWED_HOSTS')]);
    assert.deepEqual(prov(ev, 'SECURE_SSL_REDIRECT'), [true, 'literal', ev.line(prod, 'SECURE_SSL_REDIRECT')]);
    assert.deepEqual(prov(ev, 'SECURE_HSTS_SECONDS'), [3600, 'env-default', ev.line(prod, 'SECURE_HSTS_SECONDS')]);
    assert.deepEqual(prov(ev, 'ROOT_URLCONF'), ['mysite.urls', 'literal', ev.line(base, 'ROOT_URLCONF')]);
    const mw = ev.value('MIDDLEWARE') as Value & { items: Value[] };
    assert.deepEqual((js(mw) as string[]).slice(0, 3), [
      'django.middleware.security.SecurityMiddleware',
      'whitenoise.middleware.WhiteNoiseMiddleware',
      'django.contrib.sessions.middleware.SessionMiddleware',
    ]);
    assert.equal(ev.where(mw.items[0]!.loc), ev.line(prod, 'SecurityMiddleware'));
    assert.equal(ev.where(mw.items[2]!.loc), ev.line(base, 'SessionMiddleware'));
    const db = item(ev.value('DATABASES'), 'default');
    assert.deepEqual([js(item(db, 'PASSWORD')), item(db, 'PASSWORD')!.origin], ['<env:POSTGRES_PASSWORD>', 'env']);
    assert.deepEqual([js(item(db, 'PORT')), item(db, 'PORT')!.origin], [5432, 'env-default']);
    assert.deepEqual([js(item(db, 'CONN_MAX_AGE')), ev.where(item(db, 'CONN_MAX_AGE')!.loc)], [600, ev.line(prod, 'CONN_MAX_AGE')]);
    assert.deepEqual(prov(ev, 'STATIC_ROOT'), [`Path:${path.join(ev.root, 'staticfiles')}`, 'derived', ev.line(prod, 'STATIC_ROOT')]);
    assert.equal(ev.project.djangoVersion.version, '4.2');
  };

  it('local.py absent', () => {
    const ev = evaluateFolder(dir('split-settings'));
    check(ev);
    // the optional override absent here is said (the settings view says it may change what came before)
    assert.deepEqual(
      ev.notes().filter((n) => n.kind !== 'optional-override'),
      [],
    );
    assert.equal(ev.notes('optional-override').length, 1);
  });

  it('local.py present but ignored by .gitignore: production is unchanged', () => {
    const files = {
      ...readFolder(dir('split-settings')),
      'mysite/settings/local.py': 'from .base import *\nDEBUG = True\nSECRET_KEY = "dev"\nALLOWED_HOSTS = ["*"]\n',
    };
    const ev = evaluateFiles(files);
    check(ev);
    assert.ok(![...ev.mod.files].some((f) => f.endsWith('local.py')));
  });

  it('local.py present and committed: its values are production values', () => {
    const files = { ...readFolder(dir('split-settings')), '.gitignore': '*.pyc\n', 'mysite/settings/local.py': 'DEBUG = True\n' };
    const ev = evaluateFiles(files);
    assert.deepEqual(prov(ev, 'DEBUG'), [true, 'literal', 'mysite/settings/local.py:1']);
  });
});

describe('fixture: settings/__init__.py picks a module from an environment variable', () => {
  it('if/elif/else on DJANGO_ENV (default "production") reads production', () => {
    const ev = evaluateFolder(dir('env-picker'));
    assert.equal(ev.project.production?.module.name, 'mysite.settings');
    assert.deepEqual(prov(ev, 'ALLOWED_HOSTS'), [['shop.example.com'], 'literal', 'mysite/settings/production.py:3']);
    assert.deepEqual(prov(ev, 'SESSION_COOKIE_SECURE'), [true, 'literal', 'mysite/settings/production.py:4']);
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'literal', 'mysite/settings/common.py:4']);
    assert.deepEqual(prov(ev, 'SECRET_KEY'), ['change-me', 'env-default', 'mysite/settings/common.py:3']);
    assert.deepEqual(prov(ev, 'env'), ['production', 'env-default', 'mysite/settings/__init__.py:4']);
    assert.ok(![...ev.mod.files].some((f) => /development|staging/.test(f)), 'only the chosen branch is read');
    assert.deepEqual(ev.notes(), []);
  });

  it('without a default for DJANGO_ENV, the branches merge: equal values stay, others are unknown', () => {
    const files = readFolder(dir('env-picker'));
    files['mysite/settings/__init__.py'] = files['mysite/settings/__init__.py']!.replace(
      'os.environ.get("DJANGO_ENV", "production")',
      'os.environ["DJANGO_ENV"]',
    );
    const ev = evaluateFiles(files);
    assert.equal(ev.get('DEBUG'), '<unknown>');
    assert.equal(ev.get('ALLOWED_HOSTS'), '<unknown>');
    assert.equal(ev.get('SECRET_KEY'), 'change-me', 'the same in every branch');
  });

  it('the importlib variant (import_module + dir + getattr into globals()) reads production', () => {
    const ev = evaluateFolder(dir('importlib-picker'));
    assert.equal(ev.project.production?.module.name, 'mysite.settings');
    assert.deepEqual(prov(ev, 'ALLOWED_HOSTS'), [['shop.example.com'], 'literal', 'mysite/settings/production.py:3']);
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'literal', 'mysite/settings/common.py:4']);
    assert.equal(ev.mod.scope.open, undefined);
    assert.equal(ev.setting('SECURE_HSTS_SECONDS').origin, 'default');
  });
});

describe('fixture: a star-import cycle (base.py imports production.py back)', () => {
  it('is detected and reported once, and evaluated as Python runs it', () => {
    const ev = evaluateFolder(dir('star-cycle'));
    assert.equal(ev.project.production?.module.name, 'mysite.settings.production');
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'literal', 'mysite/settings/production.py:3']);
    assert.deepEqual(prov(ev, 'SECRET_KEY'), ['django-insecure-cycle', 'literal', 'mysite/settings/base.py:6']);
    assert.deepEqual(prov(ev, 'SESSION_TIMEOUT'), [60, 'derived', 'mysite/settings/production.py:4']);
    const notes = ev.notes('import-cycle');
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.message, /mysite\.settings\.production → mysite\.settings\.base → mysite\.settings\.production/);
    assert.equal(ev.where(notes[0]!.loc), 'mysite/settings/base.py:3');
  });

  it('the engine reports it with DDH001 where the cycle closes', () => {
    const ws = new Workspace(new NodeFileSystem(), [dir('star-cycle')]);
    const findings = analyzeWorkspace(ws, { onlyRules: ['DDH001'] }).projects.flatMap((p) => p.findings);
    assert.deepEqual(
      findings.map((f) => `${path.relative(dir('star-cycle'), f.loc.file)}:${ws.positionAt(f.loc.file, f.loc.start)!.line + 1}`),
      ['mysite/settings/base.py:3'],
    );
  });
});

describe('fixture: a Heroku-style settings.py with python-decouple and dj-database-url', () => {
  it('evaluates with decouple casting its defaults', () => {
    const ev = evaluateFolder(dir('decouple-heroku'));
    const s = 'shop/settings.py';
    assert.equal(ev.project.production?.module.name, 'shop.settings');
    assert.equal(ev.project.djangoVersion.version, '3.2');
    assert.deepEqual(prov(ev, 'SECRET_KEY'), ['<env:SECRET_KEY>', 'env', ev.line(s, 'config("SECRET_KEY")')]);
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'env-default', ev.line(s, 'DEBUG = ')]);
    assert.deepEqual(prov(ev, 'ALLOWED_HOSTS'), [['shop.example.com', '.herokuapp.com'], 'env-default', ev.line(s, 'ALLOWED_HOSTS')]);
    assert.deepEqual(prov(ev, 'SESSION_COOKIE_SECURE'), [true, 'env-default', ev.line(s, 'SESSION_COOKIE_SECURE')]);
    assert.deepEqual(prov(ev, 'SECURE_HSTS_SECONDS'), [0, 'env-default', ev.line(s, 'SECURE_HSTS_SECONDS')]);
    const db = item(ev.value('DATABASES'), 'default');
    assert.equal(db?.origin, 'env-default');
    assert.equal(js(item(db, 'ENGINE')), 'django.db.backends.sqlite3');
    assert.equal(js(item(db, 'NAME')), path.join(ev.root, 'db.sqlite3'), 'sqlite:////abs/db.sqlite3 names /abs/db.sqlite3');
    assert.deepEqual([js(item(db, 'CONN_MAX_AGE')), item(db, 'CONN_MAX_AGE')!.origin], [600, 'literal']);
    assert.equal(js(item(db, 'CONN_HEALTH_CHECKS')), true);
  });
});

describe('a project kept in memory with the same shape as on disk gives the same result', () => {
  it('MemoryFileSystem and NodeFileSystem agree on the cookiecutter fixture', () => {
    const onDisk = evaluateFolder(dir('cookiecutter'));
    const inMemory = evaluateFiles(readFolder(dir('cookiecutter')));
    for (const n of ['DEBUG', 'ALLOWED_HOSTS', 'SECRET_KEY', 'SECURE_HSTS_SECONDS', 'INSTALLED_APPS']) {
      assert.deepEqual(inMemory.get(n), onDisk.get(n), n);
      assert.equal(inMemory.at(n), onDisk.at(n), n);
    }
  });
});

describe('fixture: wemake-django-template style, django-split-settings include() by DJANGO_ENV', () => {
  it('the settings package that include()s its components is production; values land in the component files', () => {
    const ev = evaluateFolder(dir('wemake-split'));
    assert.equal(ev.project.production?.module.name, 'server.settings');
    assert.match(ev.project.production!.reason, /split-settings/);
    assert.equal(ev.project.djangoVersion.version, '5.2');
    // environ.setdefault("DJANGO_ENV", "production") then environ["DJANGO_ENV"]: production
    assert.deepEqual(prov(ev, '_ENV'), ['production', 'env-default', 'server/settings/__init__.py:17']);
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'literal', 'server/settings/environments/production.py:13']);
    assert.deepEqual(prov(ev, 'SECURE_HSTS_SECONDS'), [31536000, 'literal', 'server/settings/environments/production.py:46']);
    assert.deepEqual(prov(ev, 'X_FRAME_OPTIONS'), ['DENY', 'literal', 'server/settings/components/common.py:80']);
    assert.deepEqual(prov(ev, 'SECRET_KEY'), ['<env:DJANGO_SECRET_KEY>', 'env', 'server/settings/components/common.py:10']);
    assert.deepEqual(ev.get('ALLOWED_HOSTS'), ['<env:DOMAIN_NAME>', 'localhost']);
    assert.equal(ev.origin('ALLOWED_HOSTS'), 'derived', 'a list written in code, one item from the environment');
    assert.equal(ev.get('BASE_DIR'), `Path:${ev.root}`);
    assert.equal(js(item(ev.value('DATABASES'), 'default', 'CONN_MAX_AGE')), 60);
    assert.equal(ev.get('STATIC_ROOT'), '/var/www/django/static');
    assert.ok(!(ev.get('INSTALLED_APPS') as string[]).includes('debug_toolbar'), 'development.py is not included');
    assert.deepEqual([...ev.mod.files].map((f) => path.relative(ev.root, f)).sort(), [
      'server/settings/__init__.py',
      'server/settings/components/__init__.py',
      'server/settings/components/caches.py',
      'server/settings/components/common.py',
      'server/settings/components/csp.py',
      'server/settings/environments/production.py',
    ]);
    assert.deepEqual(ev.notes(), []);
  });

  it('the optional, git-ignored local.py is not part of production even when present', () => {
    const files = { ...readFolder(dir('wemake-split')), 'server/settings/environments/local.py': 'DEBUG = True\n' };
    const ev = evaluateFiles(files);
    assert.equal(ev.get('DEBUG'), false);
    const committed = evaluateFiles({ ...files, '.gitignore': '' });
    assert.deepEqual(prov(committed, 'DEBUG'), [true, 'literal', 'server/settings/environments/local.py:1']);
  });
});

/** The findings the engine reports for a workspace: "CODE file:line", sorted. */
function findingsOf(ws: Workspace, root: string): string[] {
  const result = analyzeWorkspace(ws);
  const out: string[] = [];
  for (const p of result.projects) {
    for (const f of p.findings) {
      const text = ws.fs.readText(f.loc.file) ?? '';
      out.push(`${f.code} ${path.relative(root, f.loc.file).split(path.sep).join('/')}:${text.slice(0, f.loc.start).split('\n').length}`);
    }
  }
  return out.sort();
}

const findingsIn = (name: string): string[] => findingsOf(new Workspace(new NodeFileSystem(), [dir(name)]), dir(name));
const findingsInMemory = (files: Record<string, string>, root = '/p'): string[] =>
  findingsOf(new Workspace(new MemoryFileSystem(files, root), [root]), root);

describe('fixture: settings read through helper functions (Saleor get_bool_from_env, Healthchecks envbool)', () => {
  const s = 'shop/settings.py';

  it('a helper that returns its default when `name in os.environ` is false yields that environment default', () => {
    const ev = evaluateFolder(dir('env-helpers'));
    // the default True is written at the call; the helper reads DEBUG through its parameter
    assert.deepEqual(prov(ev, 'DEBUG'), [true, 'env-default', ev.line(s, 'bool_from_env("DEBUG", True)')]);
    assert.deepEqual(ev.envNames('DEBUG'), ['DEBUG']);
    assert.equal(
      ev.where(ev.value('DEBUG')!.env![0]!.loc),
      ev.line(s, 'DEBUG = bool_from_env'),
      'the lookup is located at the call that names DEBUG',
    );
    assert.deepEqual(prov(ev, 'ENABLE_SSL'), [false, 'env-default', ev.line(s, 'ENABLE_SSL = ')]);
    assert.equal(ev.value('SECURE_SSL_REDIRECT'), undefined, 'only set when ENABLE_SSL is set');
  });

  it('a value computed in the helper (`text == "True"`) is located at the call, not in the helper', () => {
    const ev = evaluateFolder(dir('env-helpers'));
    assert.deepEqual(prov(ev, 'SESSION_COOKIE_SECURE'), [false, 'env-default', ev.line(s, 'SESSION_COOKIE_SECURE = flag(')]);
    assert.deepEqual(prov(ev, 'CSRF_COOKIE_SECURE'), [false, 'env-default', ev.line(s, 'SESSION_COOKIE_SECURE = flag(')]);
    assert.deepEqual(prov(ev, 'USE_X_FORWARDED_HOST'), [false, 'env-default', ev.line(s, 'USE_X_FORWARDED_HOST = flag(')]);
    assert.deepEqual(prov(ev, 'EMAIL_PORT'), [587, 'env-default', ev.line(s, 'EMAIL_PORT = number(')]);
    assert.equal(ev.where(ev.value('USE_X_FORWARDED_HOST')!.env![0]!.loc), ev.line(s, 'USE_X_FORWARDED_HOST = flag('));
  });

  it('a literal a helper returns in a branch another variable selects stays a literal, where it is written', () => {
    const ev = evaluateFolder(dir('env-helpers'));
    assert.deepEqual(prov(ev, 'MODE'), ['demo', 'literal', ev.line(s, 'return "demo"')]);
  });

  it('DEBUG on by default is reported as an environment default (DDH108), on the default at the call', () => {
    const found = findingsIn('env-helpers');
    assert.ok(found.includes(`DDH108 ${s}:${lineOf(path.join(dir('env-helpers'), s), 'DEBUG = bool_from_env')}`), found.join('\n'));
    assert.ok(!found.some((f) => f.startsWith('DDH107')), 'DEBUG is not a literal True');
    assert.ok(
      !found.some((f) => /shop\/settings\.py:(1[0-9]|2[0-9])$/.test(f) && !f.startsWith('DDH4')),
      `nothing lands inside the helpers: ${found.join(', ')}`,
    );
  });
});

describe('fixture: NetBox-style configuration module the operator supplies (git-ignored, with a template)', () => {
  const s = 'app/app/settings.py';

  it('the module named by the environment (default app.configuration) is supplied at deployment: what it sets is unknown', () => {
    const ev = evaluateFolder(dir('supplied-config'));
    assert.equal(ev.mod.status, 'done');
    for (const n of ['ALLOWED_HOSTS', 'SECRET_KEY', 'DEBUG', 'SESSION_COOKIE_SECURE', 'DATABASE']) assert.equal(ev.get(n), '<unknown>', n);
    assert.match(
      (ev.value('DEBUG') as UnknownValue).reason,
      /configuration_example\.py is its template: the deployment supplies app\.configuration/,
    );
    assert.deepEqual(ev.get('X_FRAME_OPTIONS'), 'SAMEORIGIN');
    assert.deepEqual(ev.notes('import-missing'), []);
    assert.deepEqual(ev.notes('module-raises'), []);
    const note = ev.notes('dynamic');
    assert.equal(note.length, 1);
    assert.match(note[0]!.message, /configuration_example\.py is its template/);
    assert.equal(ev.where(note[0]!.loc), ev.line(s, 'importlib.import_module(config_path)'));
  });

  it('the same when the operator copy exists here, git-ignored: its (developer) values are not production values', () => {
    const files = {
      ...readFolder(dir('supplied-config')),
      'app/app/configuration.py': 'ALLOWED_HOSTS = ["*"]\nSECRET_KEY = "dev"\nDEBUG = True\nDATABASE = {}\n',
    };
    const ev = evaluateFiles(files);
    assert.equal(ev.get('DEBUG'), '<unknown>');
    assert.equal(ev.get('ALLOWED_HOSTS'), '<unknown>');
    assert.match(ev.notes('dynamic')[0]!.message, /configuration\.py is ignored by git/);
  });

  it('no finding claims the settings fail to import or that SECRET_KEY / ALLOWED_HOSTS are never set', () => {
    const found = findingsIn('supplied-config');
    for (const code of ['DDH002', 'DDH101', 'DDH102', 'DDH107', 'DDH201', 'DDH202', 'DDH306'])
      assert.ok(!found.some((f) => f.startsWith(code)), `${code}: ${found.join(', ')}`);
    assert.ok(
      found.includes(`DDH501 ${s}:${lineOf(path.join(dir('supplied-config'), s), '"django.middleware.security.SecurityMiddleware"')}`),
      found.join('\n'),
    );
  });

  it('without the template, the missing module is a failing import (DDH002), and nothing after it is "never set"', () => {
    const files = readFolder(dir('supplied-config'));
    delete files['app/app/configuration_example.py'];
    const ev = evaluateFiles(files);
    assert.equal(ev.mod.status, 'raised');
    assert.equal(ev.setting('SECRET_KEY').kind, 'unknown', 'not read, rather than never set');
    assert.match(ev.mod.scope.open!.reason, /stops at line \d+/);
    const found = findingsInMemory(files);
    assert.ok(
      found.some((f) => f.startsWith('DDH002')),
      found.join(', '),
    );
    for (const code of ['DDH102', 'DDH201', 'DDH401']) assert.ok(!found.some((f) => f.startsWith(code)), `${code}: ${found.join(', ')}`);
  });
});

describe('fixture: Zulip-style site settings, installed from a template and picked by a config file outside the repository', () => {
  it('the production branch imports the supplied module: its names are unknown, not the development values', () => {
    const ev = evaluateFolder(dir('site-settings-template'));
    assert.equal(ev.project.production?.module.name, 'zproject.settings');
    // dev_settings.py has ["*"]; production has what the admin wrote, and then "localhost"
    assert.deepEqual(ev.get('ALLOWED_HOSTS'), ['<unknown>', 'localhost']);
    assert.equal((ev.value('ALLOWED_HOSTS') as { optional?: boolean }).optional, true);
    assert.equal(ev.get('EMAIL_BACKEND'), '<unknown>');
    assert.equal(ev.get('SESSION_COOKIE_SECURE'), '<unknown>');
    assert.deepEqual(prov(ev, 'ROOT_URLCONF'), ['zproject.urls', 'literal', 'zproject/settings.py:15']);
    assert.deepEqual(ev.notes('import-missing'), []);
    assert.match(
      ev.notes('dynamic')[0]!.message,
      /prod_settings_template\.py is its template: the deployment supplies zproject\.prod_settings,/,
    );
  });

  it('reports nothing from dev_settings.py (DDH202 on its ALLOWED_HOSTS = ["*"] would be false)', () => {
    const found = findingsIn('site-settings-template');
    assert.ok(!found.some((f) => f.includes('dev_settings.py')), found.join(', '));
    assert.ok(!found.some((f) => f.startsWith('DDH002')), found.join(', '));
  });
});

describe('fixture: class-based settings copied into the module (Read the Docs load_settings(__name__))', () => {
  it('a method of the project\'s own class given __name__ may set any setting: they are unknown, not "never set"', () => {
    const ev = evaluateFolder(dir('class-settings'));
    assert.equal(ev.project.production?.module.name, 'docs.settings.production');
    for (const n of ['SECRET_KEY', 'ALLOWED_HOSTS', 'DEBUG', 'MIDDLEWARE']) assert.equal(ev.setting(n).kind, 'unknown', n);
    assert.equal(ev.get('LOG_LEVEL'), '<unknown>', 'assigned before load_settings(), which may replace it');
    assert.match(ev.notes('dynamic').at(-1)!.message, /ProductionSettings\.load_settings\(\) is given this module/);
    const found = findingsIn('class-settings');
    for (const code of ['DDH102', 'DDH201', 'DDH401', 'DDH403', 'DDH901'])
      assert.ok(!found.some((f) => f.startsWith(code)), `${code}: ${found.join(', ')}`);
  });
});

describe('fixture: wsgi.py defaults to config.django.base; config/django/production.py extends it', () => {
  it('production is the production-named module beside the default that extends it', () => {
    const ev = evaluateFolder(dir('extends-wsgi-default'));
    assert.equal(ev.project.production?.module.name, 'config.django.production');
    assert.equal(ev.project.production?.via, 'entry-point');
    assert.match(ev.project.production!.reason, /extends config\.django\.base, the default of config\/wsgi\.py:5/);
    assert.deepEqual(
      ev.project.settingsModules.map((m) => m.name),
      ['config.django.base', 'config.django.production', 'config.django.test'],
    );
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'env-default', 'config/django/production.py:5']);
    assert.deepEqual(prov(ev, 'ROOT_URLCONF'), ['config.urls', 'literal', 'config/django/base.py:6']);
    const found = findingsIn('extends-wsgi-default');
    assert.ok(!found.some((f) => /DDH10[178]|DDH202/.test(f)), `base.py's development values are overridden: ${found.join(', ')}`);
  });

  it('an explicit entry point naming the base module (Dockerfile ENV) keeps it', () => {
    const files = {
      ...readFolder(dir('extends-wsgi-default')),
      Dockerfile: 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=config.django.base\n',
    };
    const ev = evaluateFiles(files);
    assert.equal(ev.project.production?.module.name, 'config.django.base');
  });
});

describe('fixture: `if os.path.exists(…/local_settings.py): from .local_settings import *` (Healthchecks)', () => {
  it('a git-ignored local_settings.py does not exist in production: the branch is not taken and nothing is reported', () => {
    const files = { ...readFolder(dir('exists-guarded-local')), 'hc/local_settings.py': 'DEBUG = True\nALLOWED_HOSTS = ["*"]\n' };
    const ev = evaluateFiles(files);
    assert.deepEqual(prov(ev, 'DEBUG'), [false, 'env-default', 'hc/settings.py:7']);
    assert.deepEqual(prov(ev, 'ALLOWED_HOSTS'), [['hc.example.com'], 'literal', 'hc/settings.py:9']);
    assert.deepEqual(ev.notes(), []);
    assert.ok(!findingsInMemory(files).some((f) => f.startsWith('DDH002')));
  });

  it('absent: the import only runs when the file exists, so it is not a failing import either', () => {
    const ev = evaluateFolder(dir('exists-guarded-local'));
    assert.deepEqual(ev.notes(), []);
    assert.equal(ev.get('AFTER'), 1);
    assert.equal(ev.get('HAS_README'), true, 'a committed file of the project exists in production');
    assert.equal(ev.get('HAS_OUTSIDE'), '<unknown>', 'a path outside the project is unknown');
    assert.ok(!findingsIn('exists-guarded-local').some((f) => f.startsWith('DDH002')));
  });

  it('committed: its values are production values', () => {
    const files = { ...readFolder(dir('exists-guarded-local')), '.gitignore': '', 'hc/local_settings.py': 'DEBUG = True\n' };
    const ev = evaluateFiles(files);
    assert.deepEqual(prov(ev, 'DEBUG'), [true, 'literal', 'hc/local_settings.py:1']);
  });
});

describe('fixture: django-configurations classes on a library built on it (composed_configuration), chosen by the compose .env made from a template', () => {
  it('the deployment picks DockerComposeProductionConfiguration; what its library bases may set is unknown, what the project sets is known', () => {
    const ev = evaluateFolder(dir('composed-configuration'), { deployment: true });
    assert.equal(ev.project.production?.module.name, 'app.settings');
    assert.equal(ev.mod.configuration?.cls, 'DockerComposeProductionConfiguration');
    assert.match(ev.mod.configuration!.why, /DJANGO_CONFIGURATION=DockerComposeProductionConfiguration in the deployment/);
    // the project's own classes: known
    assert.deepEqual(ev.get('SECURE_PROXY_SSL_HEADER'), ['HTTP_X_FORWARDED_PROTO', 'https']);
    assert.equal(ev.get('SECURE_SSL_REDIRECT'), false);
    assert.equal(ev.get('ROOT_URLCONF'), 'app.urls');
    assert.equal(ev.get('SESSION_COOKIE_AGE'), 1800);
    // the library's mixins may set the rest: unknown, naming them
    for (const n of ['SECRET_KEY', 'ALLOWED_HOSTS', 'MIDDLEWARE', 'USE_TZ', 'LOGGING', 'DEBUG']) {
      const v = ev.setting(n);
      assert.equal(v.kind, 'unknown', n);
      assert.match(
        (v as UnknownValue).reason ?? '',
        /may be set by .*composed_configuration\.HttpsMixin.*classes the analysis cannot read/,
        n,
      );
    }
    assert.match(ev.notes('dynamic').at(-1)!.message, /DockerComposeProductionConfiguration derives from/);
    const found = findingsIn('composed-configuration');
    for (const code of ['DDH102', 'DDH201', 'DDH401', 'DDH402', 'DDH403', 'DDH109', 'DDH901', 'DDX115', 'DDH804'])
      assert.ok(!found.some((f) => f.startsWith(code)), `${code}: ${found.join(', ')}`);
  });

  it('with no deployment naming a class and none named for production, the configuration is unknown, not the module-level names', () => {
    const files = readFolder(dir('composed-configuration'));
    for (const k of Object.keys(files)) if (k.startsWith('prod/')) delete files[k];
    const ev = evaluateFiles(files);
    assert.equal(ev.mod.configuration, undefined);
    for (const n of ['SECRET_KEY', 'ALLOWED_HOSTS', 'MIDDLEWARE']) assert.equal(ev.setting(n).kind, 'unknown', n);
    assert.match(ev.notes('dynamic').at(-1)!.message, /chosen by DJANGO_CONFIGURATION when Django starts/);
  });

  it('a class with only readable bases keeps what it sets, and an unread base of another package is not a configuration without DJANGO_CONFIGURATION', () => {
    const files = readFolder(dir('composed-configuration'));
    files['app/settings.py'] += '\n\nclass Production(DockerComposeProductionConfiguration):\n    DEBUG = True\n';
    const ev = evaluateFiles(files);
    assert.equal(ev.mod.configuration?.cls, 'Production');
    assert.equal(ev.get('DEBUG'), true);
    const plain = evaluateSettings('from somelib import Base\nclass Conf(Base):\n    DEBUG = True\nDEBUG = False\n');
    assert.equal(plain.get('DEBUG'), false, 'an ordinary class of another library changes nothing');
  });
});
