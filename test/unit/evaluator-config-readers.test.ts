// The configuration readers of issue 56 as Python runs them (eval/library/pydantic.ts, environs.ts,
// everett.ts): pydantic settings classes (1.x BaseSettings and pydantic-settings 2.x) with their
// fields' defaults, prefix, case and aliases; environs' parsers with defaults returned as given;
// everett's ConfigManager; an attribute of an object the analysis cannot build is unknown (not a
// method, which read as True); a helper that returns a copy of a module's upper-case names, which
// globals().update() commits.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Evaluator } from '../../server/src/analysis/eval/evaluator';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import type { Value } from '../../server/src/analysis/eval/values';
import { evaluateFiles, evaluateSettings, js, ROOT, SKELETON } from './evalHarness';

before(async () => {
  await loadParser();
});

/** The settings' values under a given environment (the deployment's variables). */
function withEnvironment(src: string, env: Record<string, string>): (name: string) => Value | undefined {
  const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': src }, ROOT), [ROOT]);
  const project = ws.projects({})[0]!;
  const prod = project.production!;
  const environment = new Map(Object.entries(env).map(([k, v]) => [k, { value: v }]));
  const mod = new Evaluator(ws.hostFor(project), { environment }).evaluate({
    name: prod.module.name,
    file: prod.module.file,
    isPackage: prod.module.isPackage,
  });
  return (name) => mod.scope.get(name)?.value;
}

const PYDANTIC_V1 = [
  'from pydantic import BaseSettings, Field',
  'from typing import Optional',
  'class AppSettings(BaseSettings):',
  '    DEBUG: bool = False',
  '    SECRET_KEY: str',
  '    ALLOWED_HOSTS: list = ["example.com"]',
  '    DB_PASSWORD: str = Field("", env="POSTGRES_PASSWORD")',
  '    SENTRY_DSN: Optional[str]',
  '    WORKERS: int = 2',
  '    class Config:',
  '        env_prefix = "APP_"',
  'config = AppSettings()',
  'DEBUG = config.DEBUG',
  'SECRET_KEY = config.SECRET_KEY',
  'ALLOWED_HOSTS = config.ALLOWED_HOSTS',
  'DB_PASSWORD = config.DB_PASSWORD',
  'SENTRY_DSN = config.SENTRY_DSN',
  'WORKERS = config.WORKERS',
].join('\n');

describe('pydantic settings classes', () => {
  it('1.x: a field without its variable is its default (an environment default); one without a default is required', () => {
    const e = evaluateSettings(PYDANTIC_V1);
    assert.equal(js(e.value('DEBUG')), false);
    assert.equal(e.origin('DEBUG'), 'env-default');
    assert.deepEqual(e.envNames('DEBUG'), ['APP_DEBUG']);
    assert.equal(e.origin('SECRET_KEY'), 'env');
    assert.deepEqual(e.envNames('SECRET_KEY'), ['APP_SECRET_KEY']);
    assert.deepEqual(js(e.value('ALLOWED_HOSTS')), ['example.com']);
    // env= names the variable without the prefix
    assert.deepEqual(e.envNames('DB_PASSWORD'), ['POSTGRES_PASSWORD']);
    // 1.x: an Optional field without a value defaults to None
    assert.equal(js(e.value('SENTRY_DSN')), null);
    assert.equal(js(e.value('WORKERS')), 2);
  });

  it('1.x: variables are matched without regard to case and cast to the field type', () => {
    const get = withEnvironment(PYDANTIC_V1, {
      APP_DEBUG: 'yes',
      app_secret_key: 'k',
      APP_ALLOWED_HOSTS: '["a.example.com"]',
      APP_WORKERS: '4',
    });
    assert.equal(js(get('DEBUG')), true);
    assert.equal(js(get('SECRET_KEY')), 'k');
    assert.deepEqual(js(get('ALLOWED_HOSTS')), ['a.example.com']);
    assert.equal(js(get('WORKERS')), 4);
  });

  it('1.x: a bool pydantic rejects is unknown, not True', () => {
    const get = withEnvironment(PYDANTIC_V1, { APP_DEBUG: 'maybe' });
    assert.equal(get('DEBUG')?.kind, 'unknown');
  });

  it('2.x: model_config prefix, aliases read without it, case_sensitive', () => {
    const src = [
      'from pydantic import Field',
      'from pydantic_settings import BaseSettings, SettingsConfigDict',
      'class S(BaseSettings):',
      '    model_config = SettingsConfigDict(env_prefix="DJ_", case_sensitive=True)',
      '    debug: bool = True',
      '    db_url: str = Field("sqlite://", alias="DATABASE_URL")',
      's = S()',
      'DEBUG = s.debug',
      'DB = s.db_url',
    ].join('\n');
    const e = evaluateSettings(src);
    assert.equal(js(e.value('DEBUG')), true);
    assert.deepEqual(e.envNames('DEBUG'), ['DJ_debug']);
    assert.deepEqual(e.envNames('DB'), ['DATABASE_URL']);
    const get = withEnvironment(src, { DJ_DEBUG: 'false', DJ_debug: 'false' });
    assert.equal(js(get('DEBUG')), false);
    // case-sensitive: DJ_DEBUG alone is not read
    assert.equal(js(withEnvironment(src, { DJ_DEBUG: 'false' })('DEBUG')), true);
  });

  it('a subclass inherits the fields and the config; keyword arguments of the call win', () => {
    const e = evaluateSettings(
      [
        'from pydantic_settings import BaseSettings',
        'class Base(BaseSettings):',
        '    DEBUG: bool = True',
        'class Prod(Base):',
        '    ALLOWED: str = "x"',
        'p = Prod(ALLOWED="y")',
        'DEBUG = p.DEBUG',
        'ALLOWED = p.ALLOWED',
      ].join('\n'),
    );
    assert.equal(js(e.value('DEBUG')), true);
    assert.equal(js(e.value('ALLOWED')), 'y');
  });

  it('2.x: Field(default_factory=…) defaults to what the factory returns, for each instance', () => {
    const src = [
      'from pydantic import Field',
      'from pydantic_settings import BaseSettings',
      'class S(BaseSettings):',
      '    HOSTS: list[str] = Field(default_factory=lambda: ["a.example.com", "b.example.com"])',
      '    EXTRA: list[str] = Field(default_factory=list)',
      '    OPTIONS: dict = Field(default_factory=dict)',
      '    CACHES: dict = Field(default_factory=lambda: {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}})',
      '    OTHER: list = Field(default_factory=make_it)',
      's = S()',
      's.EXTRA.append("x")',
      'HOSTS = s.HOSTS',
      'EXTRA = s.EXTRA',
      'FRESH = S().EXTRA',
      'OPTIONS = s.OPTIONS',
      'CACHES = s.CACHES',
      'OTHER = s.OTHER',
    ].join('\n');
    const e = evaluateSettings(`from somewhere import make_it\n${src}`);
    assert.deepEqual(js(e.value('HOSTS')), ['a.example.com', 'b.example.com']);
    assert.equal(e.origin('HOSTS'), 'env-default');
    assert.deepEqual(e.envNames('HOSTS'), ['HOSTS']);
    assert.deepEqual(js(e.value('EXTRA')), ['x']);
    // each instance calls the factory again
    assert.deepEqual(js(e.value('FRESH')), []);
    assert.deepEqual(js(e.value('OPTIONS')), {});
    assert.deepEqual(js(e.value('CACHES')), { default: { BACKEND: 'django.core.cache.backends.redis.RedisCache' } });
    // a factory the analysis cannot call: unknown, not required
    assert.equal(e.value('OTHER')?.kind, 'unknown');
    assert.notEqual(e.origin('OTHER'), 'env');
    // a variable that is set wins over the factory
    assert.deepEqual(
      js(withEnvironment(src.replace('OTHER: list = Field(default_factory=make_it)', ''), { HOSTS: '["c.example.com"]' })('HOSTS')),
      ['c.example.com'],
    );
  });

  it('2.x: model_dump() includes the @computed_field properties, evaluated on the instance; a plain @property is not', () => {
    const src = [
      'from functools import cached_property',
      'from pydantic import Field, computed_field',
      'from pydantic_settings import BaseSettings',
      'from somewhere import build_middleware',
      'class S(BaseSettings):',
      '    DEBUG: bool = False',
      '    REDIS_URL: str = "redis://cache:6379/0"',
      '    EXTRA_MIDDLEWARE: list[str] = Field(default_factory=list)',
      '    @computed_field',
      '    @property',
      '    def MIDDLEWARE(self) -> list[str]:',
      '        base = ["django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]',
      '        if self.DEBUG:',
      '            base.append("debug_toolbar.middleware.DebugToolbarMiddleware")',
      '        return base + self.EXTRA_MIDDLEWARE',
      '    @computed_field',
      '    @cached_property',
      '    def CACHES(self) -> dict:',
      '        return {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": self.REDIS_URL}}',
      '    @computed_field(alias="apps")',
      '    def INSTALLED_APPS(self) -> list[str]:',
      '        return build_middleware(self.DEBUG)',
      '    @computed_field',
      '    @some_other_decorator',
      '    def TEMPLATES(self) -> list:',
      '        return []',
      '    @property',
      '    def NOT_DUMPED(self) -> str:',
      '        return "x"',
      's = S()',
      'dumped = s.model_dump()',
      'MIDDLEWARE = dumped["MIDDLEWARE"]',
      'CACHES = dumped["CACHES"]',
      'INSTALLED_APPS = dumped["INSTALLED_APPS"]',
      'TEMPLATES = dumped["TEMPLATES"]',
      'KEYS = list(dumped)',
      'FIELDS = list(s.model_fields)',
      'DIRECT = s.MIDDLEWARE',
    ].join('\n');
    const e = evaluateSettings(src);
    assert.deepEqual(js(e.value('MIDDLEWARE')), [
      'django.middleware.security.SecurityMiddleware',
      'django.middleware.csrf.CsrfViewMiddleware',
    ]);
    assert.deepEqual(js(e.value('DIRECT')), js(e.value('MIDDLEWARE')));
    // a value that rests on a field's default stays that field's default
    assert.equal(e.value('CACHES')?.kind, 'dict');
    const caches = js(e.value('CACHES')) as { default: { LOCATION: string } };
    assert.equal(caches.default.LOCATION, 'redis://cache:6379/0');
    const entry = e.value('CACHES');
    const inner = entry?.kind === 'dict' ? entry.values[0] : undefined;
    const location = inner?.kind === 'dict' ? inner.values[1] : undefined;
    assert.equal(location?.origin, 'env-default');
    assert.deepEqual(
      location?.env?.map((r) => r.name),
      ['REDIS_URL'],
    );
    // beyond the evaluator (a library's function, a decorator it does not know): unknown, not missing
    assert.equal(e.value('INSTALLED_APPS')?.kind, 'unknown');
    assert.equal(e.value('TEMPLATES')?.kind, 'unknown');
    assert.deepEqual(js(e.value('KEYS')), [
      'DEBUG',
      'REDIS_URL',
      'EXTRA_MIDDLEWARE',
      'MIDDLEWARE',
      'CACHES',
      'INSTALLED_APPS',
      'TEMPLATES',
    ]);
    // model_fields holds the fields only
    assert.deepEqual(js(e.value('FIELDS')), ['DEBUG', 'REDIS_URL', 'EXTRA_MIDDLEWARE']);
    // the environment reaches a computed field through the fields it reads
    const get = withEnvironment(src, { DEBUG: 'true', EXTRA_MIDDLEWARE: '["x.Middleware"]' });
    assert.deepEqual(js(get('MIDDLEWARE')), [
      'django.middleware.security.SecurityMiddleware',
      'django.middleware.csrf.CsrfViewMiddleware',
      'debug_toolbar.middleware.DebugToolbarMiddleware',
      'x.Middleware',
    ]);
  });

  it('an attribute of an object the analysis cannot build is unknown, not a (true) method', () => {
    const e = evaluateSettings(['from somewhere import make', 'cfg = make()()', 'DEBUG = cfg.DEBUG'].join('\n'));
    assert.equal(e.value('DEBUG')?.kind, 'unknown');
  });
});

describe('environs', () => {
  const SRC = [
    'from django.core.management.utils import get_random_secret_key',
    'from environs import Env',
    'env = Env()',
    'env.read_env()',
    'SECRET_KEY = env("SECRET_KEY", get_random_secret_key())',
    'DEBUG = env.bool("DJANGO_DEBUG", default=False)',
    'FLAG = env.bool("FLAG", default="False")',
    'HOSTS = env.list("ALLOWED_HOSTS", default=["example.com"])',
    'PORT = env.int("PORT", 8000)',
    'NEEDED = env.str("NEEDED")',
    'DATABASES = {"default": env.dj_db_url("DATABASE_URL", default="postgres://u:p@db:5432/app", conn_max_age=600)}',
  ].join('\n');

  it('a default is returned as given (not parsed), a per-process random key stays generated, no default is required', () => {
    const e = evaluateSettings(SRC);
    assert.equal(js(e.value('DEBUG')), false);
    assert.equal(e.origin('DEBUG'), 'env-default');
    // env.bool's default is not parsed: the string "False" is what production gets
    assert.equal(js(e.value('FLAG')), 'False');
    assert.deepEqual(js(e.value('HOSTS')), ['example.com']);
    assert.equal(js(e.value('PORT')), 8000);
    assert.equal(e.origin('NEEDED'), 'env');
    const key = e.value('SECRET_KEY')!;
    assert.equal(key.kind, 'unknown');
    assert.equal(key.kind === 'unknown' && key.producedBy, 'generated');
    assert.deepEqual(e.envNames('SECRET_KEY'), ['SECRET_KEY']);
    // dj_db_url parses its default like a set value
    // dj_db_url parses its default like a set value, with dj_database_url.parse's keyword arguments;
    // each part of the entry is the default of DATABASE_URL
    const db = js(e.value('DATABASES')) as { default: { HOST: string; CONN_MAX_AGE: number } };
    assert.equal(db.default.HOST, 'db');
    assert.equal(db.default.CONN_MAX_AGE, 600);
    const entry = e.value('DATABASES');
    const host = entry?.kind === 'dict' ? entry.values[0] : undefined;
    const hostValue = host?.kind === 'dict' ? host.values[host.keys.findIndex((k) => k.kind === 'str' && k.v === 'HOST')] : undefined;
    assert.equal(hostValue?.origin, 'env-default');
    assert.deepEqual(
      hostValue?.env?.map((r) => r.name),
      ['DATABASE_URL'],
    );
  });

  it('a set variable is parsed by the method: marshmallow’s booleans, a comma-separated list', () => {
    const get = withEnvironment(SRC, { DJANGO_DEBUG: 'True', ALLOWED_HOSTS: 'a.example.com,b.example.com', PORT: '9000' });
    assert.equal(js(get('DEBUG')), true);
    assert.deepEqual(js(get('HOSTS')), ['a.example.com', 'b.example.com']);
    assert.equal(js(get('PORT')), 9000);
    assert.equal(withEnvironment(SRC, { DJANGO_DEBUG: 'enabled' })('DEBUG')?.kind, 'unknown');
  });

  it('environs’ ready-made env and a prefixed Env', () => {
    const e = evaluateSettings(
      ['from environs import env, Env', 'A = env.bool("A", True)', 'p = Env(prefix="APP_")', 'B = p.str("B", "b")'].join('\n'),
    );
    assert.equal(js(e.value('A')), true);
    assert.deepEqual(e.envNames('B'), ['APP_B']);
  });
});

describe('everett', () => {
  it('the key is upper-cased; the default is parsed by the parser; no default is required', () => {
    const src = [
      'from everett.manager import ConfigManager, ListOf',
      'config = ConfigManager.basic_config()',
      'DEBUG = config("debug", default="false", parser=bool)',
      'HOSTS = config("allowed_hosts", default="a.example.com,b.example.com", parser=ListOf(str))',
      'SECRET_KEY = config("secret_key")',
      'WORKERS = config("workers", default="3", parser=int)',
    ].join('\n');
    const e = evaluateSettings(src);
    assert.equal(js(e.value('DEBUG')), false);
    assert.deepEqual(e.envNames('DEBUG'), ['DEBUG']);
    assert.deepEqual(js(e.value('HOSTS')), ['a.example.com', 'b.example.com']);
    assert.equal(e.origin('SECRET_KEY'), 'env');
    assert.equal(js(e.value('WORKERS')), 3);
    assert.equal(js(withEnvironment(src, { DEBUG: 'YES' })('DEBUG')), true);
  });
});

describe("a helper's returned dict of the settings", () => {
  // settings/__init__.py: `globals().update(get_settings(base))`, where the helper returns
  // copy.deepcopy({k: v for (k, v) in vars(base).items() if k.isupper()}) and base reads the environment
  const files = (init: string): Record<string, string> => ({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'mysite/__init__.py': '',
    'mysite/settings/util.py': [
      'import copy',
      'def get_settings(settings_module):',
      '    return copy.deepcopy({k: v for (k, v) in vars(settings_module).items() if k.isupper()})',
    ].join('\n'),
    'mysite/settings/base.py': [
      'import os',
      'DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'SESSION_COOKIE_SECURE = False',
      'lower = 1',
    ].join('\n'),
    'mysite/settings/__init__.py': init,
  });

  it('binds the module’s upper-case names with their values; values read from the environment do not make its keys unknown', () => {
    const e = evaluateFiles(
      files(
        'ALLOWED_HOSTS = ["example.com"]\nfrom .util import get_settings\nfrom . import base\nsettings = get_settings(base)\nglobals().update(settings)\n',
      ),
    );
    assert.equal(e.get('SESSION_COOKIE_SECURE'), false);
    assert.equal(e.origin('SESSION_COOKIE_SECURE'), 'literal');
    assert.equal(js(e.value('DEBUG')), false);
    assert.equal(e.origin('DEBUG'), 'env-default');
    assert.deepEqual(e.envNames('SECRET_KEY'), ['SECRET_KEY']);
    // a name the dict does not hold keeps its value; a lower-case name is not copied
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['example.com']);
    assert.equal(e.value('lower'), undefined);
  });

  it('copy.deepcopy copies all the way down: changing the copy leaves the original', () => {
    const e = evaluateSettings(
      [
        'import copy',
        'BASE = {"default": {"NAME": "x"}}',
        'DATABASES = copy.deepcopy(BASE)',
        'DATABASES["default"]["NAME"] = "y"',
        'SHALLOW = copy.copy(BASE)',
        'SHALLOW["other"] = 1',
      ].join('\n'),
    );
    assert.deepEqual(e.get('DATABASES'), { default: { NAME: 'y' } });
    assert.deepEqual(e.get('BASE'), { default: { NAME: 'x' } });
    assert.deepEqual(e.get('SHALLOW'), { default: { NAME: 'x' }, other: 1 });
  });

  it('a dict parsed from an environment variable can still bind any name (the rest of the module is not known)', () => {
    const e = evaluateSettings(
      ['import json, os', 'ALLOWED_HOSTS = ["example.com"]', 'globals().update(json.loads(os.environ.get("EXTRA", "{}")))'].join('\n'),
    );
    assert.equal(e.value('ALLOWED_HOSTS')?.kind, 'unknown');
  });
});

describe('a default the code writes, kept beside the value the deployment gives', () => {
  it('os.getenv, django-environ and decouple keep the written default (through a comparison and lower()) for the fail-open checks', () => {
    const get = withEnvironment(
      [
        'import os',
        'import environ',
        'from decouple import config',
        'env = environ.Env()',
        'A = os.getenv("A_DEBUG", "True").lower() == "true"',
        'B = env.bool("B_DEBUG", default=True)',
        'C = config("C_DEBUG", default=True, cast=bool)',
        'D = os.environ.get("D_DEBUG")',
        'E = os.getenv("E_UNSET", "on")',
      ].join('\n'),
      { A_DEBUG: 'False', B_DEBUG: 'False', C_DEBUG: 'false', D_DEBUG: 'x' },
    );
    for (const name of ['A', 'B', 'C']) {
      const v = get(name);
      assert.deepEqual([v?.kind, v?.kind === 'bool' ? v.v : undefined], ['bool', false], `${name}: the deployment's value`);
      const d = v?.writtenDefault;
      assert.equal(d?.origin, 'env-default', `${name}: the written default is an environment default`);
      assert.equal(d?.kind === 'bool' ? d.v : d?.kind === 'str' ? d.v : undefined, true, `${name}: the written default turns it on`);
    }
    assert.equal(get('D')?.writtenDefault, undefined, 'no default written (None): nothing kept');
    assert.equal(get('E')?.origin, 'env-default', 'not set by the deployment: the default itself');
    assert.equal(get('E')?.writtenDefault, undefined);
  });
});
