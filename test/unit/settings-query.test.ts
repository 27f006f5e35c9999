// The settings query (models/settings/settings.ts, models/settings/query.ts): the one place that says whether a setting
// is known (and how it came to be), supplied by the deployment, unknown, or never set.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  answer,
  defaultLookup,
  fallbackVariables,
  hasValue,
  isDjangoDefault,
  isEnvironmentDefault,
  isLiteral,
  isPartial,
  isSupplied,
  isUndecidable,
  isWrittenInCode,
  provenanceNote,
} from '../../server/src/analysis/models/settings/query';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import * as V from '../../server/src/analysis/eval/values';
import { evaluateSettings } from './evalHarness';

const SRC = [
  'import os',
  'import mystery',
  'DEBUG = False',
  'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
  'ALLOWED_HOSTS = os.environ.get("DJANGO_HOSTS", "localhost").split(",")',
  'EMAIL_HOST = os.environ.get("EMAIL_HOST", "smtp.example.com")',
  'STATIC_URL = "/st" + "atic/"',
  'CACHE_MIDDLEWARE_SECONDS = mystery.seconds()',
  'INSTALLED_APPS = ["django.contrib.admin", mystery.app()]',
  '',
].join('\n');

describe('settings query', () => {
  before(async () => {
    await loadParser();
  });

  it('answers known with the provenance; an environment default is as written unless the variable is set', () => {
    const { settings } = evaluateSettings(SRC);
    const debug = settings.query('DEBUG');
    assert.equal(debug.state, 'known');
    assert.deepEqual(debug.state === 'known' && debug.provenance, { kind: 'literal' });
    const host = settings.query('EMAIL_HOST');
    assert.equal(host.state, 'overridable');
    assert.equal(host.state === 'overridable' && host.provenance.kind === 'environment-default' && host.provenance.variable, 'EMAIL_HOST');
    assert.deepEqual(host.state === 'overridable' && host.overriddenBy.map((o) => [o.kind, o.name]), [['variable', 'EMAIL_HOST']]);
    assert.ok(hasValue(host));
    assert.equal(host.value.kind === 'str' && host.value.v, 'smtp.example.com');
    const hosts = settings.query('ALLOWED_HOSTS');
    assert.equal(
      hosts.state === 'overridable' && hosts.provenance.kind === 'environment-default' && hosts.provenance.variable,
      'DJANGO_HOSTS',
    );
    const url = settings.query('STATIC_URL');
    assert.deepEqual(url.state === 'known' && url.provenance, { kind: 'derived' });
  });

  it('answers overridable for what a module the deployment supplies or may add can replace, naming it', () => {
    const { settings } = evaluateSettings(
      'ALLOWED_HOSTS = ["*"]\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\nDEBUG = False\n',
    );
    const hosts = settings.query('ALLOWED_HOSTS');
    assert.equal(hosts.state, 'overridable');
    assert.deepEqual(hosts.state === 'overridable' && hosts.overriddenBy.map((o) => [o.kind, o.name, o.presence]), [
      ['module', 'local_settings.py', 'optional'],
    ]);
    // every part of the value says it, so that a rule reporting an item names the override
    const item = V.isSeq(hosts.value) ? hosts.value.items[0] : undefined;
    assert.equal(item && provenanceNote(item), ' (unless local_settings.py overrides it)');
    assert.equal(settings.query('DEBUG').state, 'known', 'bound after the import: nothing replaces it');
    const never = settings.query('SECURE_HSTS_SECONDS');
    assert.equal(never.state, 'unset');
    assert.deepEqual(
      never.state === 'unset' && never.overriddenBy?.map((o) => o.name),
      ['local_settings.py'],
      "Django's default unless the module sets it",
    );
  });

  it('answers overridable for what the branch the absence of a variable selects binds', () => {
    const { settings } = evaluateSettings(
      'import os\nif "DATABASE_URL" in os.environ:\n    import dj_database_url\n    DATABASES = {"default": dj_database_url.config()}\nelse:\n    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n',
    );
    const db = settings.query('DATABASES');
    assert.equal(db.state, 'overridable');
    assert.deepEqual(fallbackVariables(db.value), ['DATABASE_URL']);
    const engine = db.value.kind === 'dict' ? V.dictGetStr(db.value, 'default') : undefined;
    assert.ok(engine && engine.kind === 'dict');
    assert.deepEqual(fallbackVariables(V.dictGetStr(engine, 'ENGINE')), ['DATABASE_URL']);
    assert.equal(settings.fallback(db.value)?.use, 'maybe', 'no deployment files: whether the variable is set is not known');
  });

  it('answers supplied for a lookup that fails without its variable', () => {
    const { settings } = evaluateSettings(SRC);
    const key = settings.query('SECRET_KEY');
    assert.equal(key.state, 'supplied');
    assert.equal(key.state === 'supplied' && key.variable, 'DJANGO_SECRET_KEY');
  });

  it('answers unknown with the reason and where to show it', () => {
    const { settings } = evaluateSettings(SRC);
    const q = settings.query('CACHE_MIDDLEWARE_SECONDS');
    assert.equal(q.state, 'unknown');
    assert.ok(q.state === 'unknown' && q.reason.startsWith('CACHE_MIDDLEWARE_SECONDS '));
    assert.equal(q.state === 'unknown' && q.loc.file, q.setting.loc.file);
  });

  it("answers unset with Django's default for the project's version", () => {
    const { settings } = evaluateSettings(SRC, {}, { djangoVersion: '4.2' });
    const q = settings.query('SESSION_COOKIE_SECURE');
    assert.equal(q.state, 'unset');
    assert.equal(q.state === 'unset' && q.version, '4.2');
    assert.equal(q.state === 'unset' && q.djangoDefault?.kind === 'bool' && q.djangoDefault.v, false);
    assert.ok(isDjangoDefault(q.value));
    // a setting Django does not have in that version: no default
    const old = evaluateSettings(SRC, {}, { djangoVersion: '3.2' }).settings.query('SECRET_KEY_FALLBACKS');
    assert.equal(old.state === 'unset' && old.djangoDefault, undefined);
  });

  it('classifies parts of values with the same vocabulary', () => {
    const { settings } = evaluateSettings(SRC);
    const apps = settings.get('INSTALLED_APPS').value;
    assert.ok(isPartial(apps), 'a list with an unreadable item is partial');
    assert.ok(V.isSeq(apps) && isUndecidable(apps.items[1]));
    assert.ok(isSupplied(settings.get('SECRET_KEY').value));
    assert.ok(!isSupplied(undefined) && !isUndecidable(null));
    const host = settings.get('EMAIL_HOST').value;
    assert.ok(isEnvironmentDefault(host) && !isWrittenInCode(host) && !isLiteral(host));
    assert.equal(defaultLookup(host)?.name, 'EMAIL_HOST');
    assert.ok(isLiteral(settings.get('DEBUG').value) && isWrittenInCode(settings.get('STATIC_URL').value));
    assert.equal(answer(V.unknown('dynamic')).state, 'unknown');
  });
});
