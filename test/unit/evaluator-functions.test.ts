// Small functions of the project evaluated as Python runs them (issue 14 item 3): several returns,
// loops that return early, branches over environment reads keyed by the parameter, `or`/`and`
// defaults; a value computed in a helper is located where the settings call it, as an environment
// default when the environment decided it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { evaluateSettings } from './evalHarness';

const S = 'mysite/settings.py';

before(async () => {
  await loadParser();
});

describe('functions: early returns', () => {
  it('a value bound before `break` in a loop over unknown items is unknown after the loop, not the value before it', () => {
    // (a loop over a platform's bound services: the matching one's URL, then break; none, then raise)
    const e = evaluateSettings(
      [
        'import json',
        'import os',
        'def url_from(vcap):',
        '    url = None',
        '    for s in vcap.get("aws-rds", []):',
        '        if s.get("instance_name") == "db":',
        '            url = s["credentials"]["uri"]',
        '            break',
        '    if not url:',
        '        raise ValueError("no database bound")',
        '    return url',
        'def first_or_none(items):',
        '    found = None',
        '    for i in items:',
        '        if i:',
        '            found = i',
        '            break',
        '    return found',
        'DB_URL = url_from(json.loads(os.environ["VCAP_SERVICES"]))',
        'FIRST = first_or_none(os.environ["ITEMS"].split(","))',
        'KNOWN = first_or_none(["", "b"])',
        'AFTER = "still read"',
      ].join('\n'),
    );
    assert.equal(e.get('DB_URL'), '<unknown>');
    assert.equal(e.get('FIRST'), '<unknown>');
    assert.equal(e.get('KNOWN'), 'b', 'known items are still followed one by one');
    assert.equal(e.get('AFTER'), 'still read');
    assert.deepEqual(e.notes('module-raises'), [], 'the raise after the loop is not certain');
  });

  it('a loop that returns the matching item does not fall through to the raise after it', () => {
    const e = evaluateSettings(
      [
        'import os',
        'def pick(choices, value):',
        '    for c in choices:',
        '        if c == value:',
        '            return c',
        '    raise ValueError(value)',
        'def pick_unknown(choices, value):',
        '    for c in choices:',
        '        if c.startswith(value):',
        '            return c',
        '    raise ValueError(value)',
        'MODE = pick(["dev", "prod"], os.environ.get("MODE", "dev"))',
        'OTHER = pick_unknown(os.environ["CHOICES"].split(","), "x")',
        'AFTER = "still read"',
      ].join('\n'),
    );
    assert.equal(e.get('MODE'), 'dev');
    assert.equal(e.origin('MODE'), 'env-default');
    assert.equal(e.get('OTHER'), '<unknown>', 'one of the items of a list the deployment supplies');
    assert.equal(e.get('AFTER'), 'still read');
    assert.deepEqual(e.notes('module-raises'), [], 'no path that returns was taken for a raise');
  });

  it('several returns keyed by the parameter: the one the argument selects', () => {
    const e = evaluateSettings(
      [
        'import os',
        'def backend(kind):',
        '    if kind == "smtp":',
        '        return "django.core.mail.backends.smtp.EmailBackend"',
        '    elif kind == "console":',
        '        return "django.core.mail.backends.console.EmailBackend"',
        '    return "django.core.mail.backends.dummy.EmailBackend"',
        'A = backend("smtp")',
        'B = backend("console")',
        'C = backend("other")',
        'D = backend(os.environ["KIND"])',
      ].join('\n'),
    );
    assert.equal(e.get('A'), 'django.core.mail.backends.smtp.EmailBackend');
    assert.equal(e.get('B'), 'django.core.mail.backends.console.EmailBackend');
    assert.equal(e.get('C'), 'django.core.mail.backends.dummy.EmailBackend');
    assert.equal(e.get('D'), '<unknown>', 'the deployment chooses: no single value');
  });

  it('a function all of whose paths raise still raises', () => {
    const e = evaluateSettings(
      ['def fail(v):', '    if v:', '        raise ValueError(v)', '    raise KeyError(v)', 'X = fail(1)', 'Y = 2'].join('\n'),
    );
    assert.equal(e.value('Y'), undefined);
    assert.equal(e.notes('module-raises').length, 1);
  });
});

describe('functions: environment defaults decided inside a helper', () => {
  it('a helper that converts its argument: the value the default selects is that default, located at the call', () => {
    const src = [
      'import os',
      'def strtobool(val):',
      '    val = val.lower()',
      '    if val in ("y", "yes", "true", "on", "1"):',
      '        return 1',
      '    elif val in ("n", "no", "false", "off", "0"):',
      '        return 0',
      '    else:',
      '        raise ValueError(val)',
      'def as_bool(val):',
      '    return 1 if val.lower() in ("1", "true") else 0',
      'SESSION_COOKIE_SECURE = bool(strtobool(os.environ.get("SESSION_COOKIE_SECURE") or "False"))',
      'CSRF_COOKIE_SECURE = bool(',
      '    strtobool(os.environ.get("CSRF_COOKIE_SECURE") or "False")',
      ')',
      'SECURE_SSL_REDIRECT = bool(as_bool(os.environ.get("SSL", "false")))',
      'LITERAL = strtobool("yes")',
    ].join('\n');
    const e = evaluateSettings(src);
    for (const [name, variable] of [
      ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_SECURE'],
      ['CSRF_COOKIE_SECURE', 'CSRF_COOKIE_SECURE'],
      ['SECURE_SSL_REDIRECT', 'SSL'],
    ] as const) {
      assert.equal(e.get(name), false, name);
      assert.equal(e.origin(name), 'env-default', name);
      assert.deepEqual(e.envNames(name), [variable], name);
    }
    // never on the helper's `return 0`: on the settings line that calls it
    assert.equal(e.at('SESSION_COOKIE_SECURE'), e.line(S, 'strtobool(os.environ.get("SESSION_COOKIE_SECURE")'));
    assert.equal(e.at('CSRF_COOKIE_SECURE'), e.line(S, '    strtobool(os.environ.get("CSRF_COOKIE_SECURE")'));
    assert.equal(e.at('SECURE_SSL_REDIRECT'), e.line(S, 'SECURE_SSL_REDIRECT ='));
    assert.equal(e.get('LITERAL'), 1);
    assert.notEqual(e.origin('LITERAL'), 'env-default', 'a literal argument decides nothing about the environment');
  });

  it('a helper reading the variable its parameter names, per name (with `or` and `and` defaults)', () => {
    const e = evaluateSettings(
      [
        'import os',
        'def env_list(key, default=None):',
        '    if os.getenv(key):',
        '        return [item.strip() for item in os.getenv(key).split(",")]',
        '    else:',
        '        if default:',
        '            return [default]',
        '        else:',
        '            return []',
        'def env_or(key, default=None):',
        '    return os.getenv(key) or default',
        'def env_and(key):',
        '    return os.getenv(key) and os.getenv(key).split(",")',
        'ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")',
        'INTERNAL_IPS = env_list("INTERNAL_IPS", "127.0.0.1")',
        'SECRET = env_or("SECRET", "fallback-value")',
        'ORIGINS = env_and("ORIGINS")',
      ].join('\n'),
    );
    assert.deepEqual(e.get('ALLOWED_HOSTS'), []);
    assert.equal(e.origin('ALLOWED_HOSTS'), 'env-default');
    assert.deepEqual(e.envNames('ALLOWED_HOSTS'), ['ALLOWED_HOSTS']);
    assert.deepEqual(e.get('INTERNAL_IPS'), ['127.0.0.1']);
    assert.equal(e.origin('INTERNAL_IPS'), 'env-default');
    assert.equal(e.get('SECRET'), 'fallback-value');
    assert.equal(e.origin('SECRET'), 'env-default');
    assert.deepEqual(e.envNames('SECRET'), ['SECRET']);
    assert.equal(e.at('SECRET'), e.line(S, 'SECRET = '));
    assert.equal(e.get('ORIGINS'), null, 'None and anything is None');
    assert.equal(e.origin('ORIGINS'), 'env-default');
  });
});

describe("functions: the project's own classes", () => {
  it('a class body runs once: its names are the attributes, static and class methods are called', () => {
    const e = evaluateSettings(
      [
        'import os',
        'class SERVICE:',
        '    DEBUG = os.environ.get("DEBUG", "0") == "1"',
        '    NAME = "svc"',
        'class Child(SERVICE):',
        '    NAME = "child"',
        'class Setup:',
        '    @staticmethod',
        '    def setup(apps, middleware, position=None):',
        '        apps = apps + ["structlog"]',
        '        if position is None:',
        '            middleware = middleware + ["structlog.Middleware"]',
        '        return apps, middleware',
        '    @classmethod',
        '    def name(cls):',
        '        return cls.PREFIX + "-setup"',
        '    PREFIX = "x"',
        'DEBUG = SERVICE.DEBUG',
        'INHERITED = Child.DEBUG',
        'OWN = Child.NAME',
        'INSTALLED_APPS, MIDDLEWARE = Setup.setup(["django.contrib.sessions"], ["a.Middleware"])',
        'SETUP_NAME = Setup.name()',
        'MISSING = SERVICE.OTHER',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.origin('DEBUG'), 'env-default');
    assert.equal(e.get('INHERITED'), false);
    assert.equal(e.get('OWN'), 'child');
    assert.deepEqual(e.get('INSTALLED_APPS'), ['django.contrib.sessions', 'structlog']);
    assert.deepEqual(e.get('MIDDLEWARE'), ['a.Middleware', 'structlog.Middleware']);
    assert.equal(e.get('SETUP_NAME'), 'x-setup');
    assert.equal(e.get('MISSING'), '<unknown>');
    assert.equal(e.value('NAME'), undefined, 'class attributes are not module names');
  });

  it('Enum classes: members in order, .value and .name, lookup by value, and the enum helper', () => {
    const e = evaluateSettings(
      [
        'import os',
        'from enum import Enum',
        'from django.core.exceptions import ImproperlyConfigured',
        'class Mode(Enum):',
        '    LOCAL = "local"',
        '    SMTP = "smtp"',
        'def env_to_enum(enum_cls, value):',
        '    for x in enum_cls:',
        '        if x.value == value:',
        '            return x',
        '    raise ImproperlyConfigured(f"{value!r} is not in {enum_cls!r}")',
        'MODE = env_to_enum(Mode, os.environ.get("MODE", "local"))',
        'if MODE == Mode.LOCAL:',
        '    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"',
        'if MODE == Mode.SMTP:',
        '    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"',
        'BY_VALUE = Mode("smtp") == Mode.SMTP',
        'NAMES = [m.name for m in Mode]',
        'CHOSEN = os.environ.get("CHOSEN", Mode.SMTP.value)',
      ].join('\n'),
    );
    assert.equal(e.get('EMAIL_BACKEND'), 'django.core.mail.backends.console.EmailBackend');
    assert.equal(e.get('BY_VALUE'), true);
    assert.deepEqual(e.get('NAMES'), ['LOCAL', 'SMTP']);
    assert.equal(e.get('CHOSEN'), 'smtp');
    assert.deepEqual(e.notes('module-raises'), []);
  });
});
