// The settings query (models/settings/settings.ts, models/settings/query.ts): the one place that says whether a setting
// is known (and how it came to be), supplied by the deployment, unknown, or never set.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  answer,
  defaultLookup,
  isDjangoDefault,
  isEnvironmentDefault,
  isLiteral,
  isPartial,
  isSupplied,
  isUndecidable,
  isWrittenInCode,
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

  it('answers known with the provenance, naming the variable of an environment default', () => {
    const { settings } = evaluateSettings(SRC);
    const debug = settings.query('DEBUG');
    assert.equal(debug.state, 'known');
    assert.deepEqual(debug.state === 'known' && debug.provenance, { kind: 'literal' });
    const host = settings.query('EMAIL_HOST');
    assert.equal(host.state, 'known');
    assert.equal(host.state === 'known' && host.provenance.kind === 'environment-default' && host.provenance.variable, 'EMAIL_HOST');
    assert.equal(host.value.kind === 'str' && host.value.v, 'smtp.example.com');
    const hosts = settings.query('ALLOWED_HOSTS');
    assert.equal(hosts.state === 'known' && hosts.provenance.kind === 'environment-default' && hosts.provenance.variable, 'DJANGO_HOSTS');
    const url = settings.query('STATIC_URL');
    assert.deepEqual(url.state === 'known' && url.provenance, { kind: 'derived' });
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
