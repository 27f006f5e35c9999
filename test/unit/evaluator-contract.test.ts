// Issue 14: real settings, evaluated as Python and each library run them (values and bindings,
// independent of the rules).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { evaluateSettings } from './evalHarness';

describe('issue 14.1: the environment contract', () => {
  before(async () => {
    await loadParser();
  });

  it('os.getenv(X) != "FALSE" is True when X is not set (get() returns None)', () => {
    const e = evaluateSettings('import os\nDEBUG = os.getenv("DJANGO_DEBUG") != "FALSE"\nSSL = not DEBUG\n');
    assert.equal(e.get('DEBUG'), true);
    assert.equal(e.origin('DEBUG'), 'env-default');
    assert.deepEqual(e.envNames('DEBUG'), ['DJANGO_DEBUG']);
    assert.equal(e.get('SSL'), false);
    assert.equal(e.origin('SSL'), 'env-default');
  });

  it('`x is None` takes the None branch; `is not None` is False', () => {
    const e = evaluateSettings(
      [
        'import os',
        'x = os.getenv("X")',
        'if x is None:',
        '    MODE = "unset"',
        'else:',
        '    MODE = "set"',
        'HAS_Y = os.getenv("Y") is not None',
        'IS_Z = os.environ.get("Z") is None',
      ].join('\n'),
    );
    assert.equal(e.get('MODE'), 'unset');
    assert.equal(e.get('HAS_Y'), false);
    assert.equal(e.origin('HAS_Y'), 'env-default');
    assert.equal(e.get('IS_Z'), true);
  });

  it('os.environ[X] is required: `is None` stays False', () => {
    const e = evaluateSettings('import os\nA = os.environ["A"] is None\n');
    assert.equal(e.get('A'), false);
  });

  it('a None default used as a string makes its variable required (Django cannot start without it)', () => {
    const e = evaluateSettings(
      [
        'import os',
        'RAW = os.getenv("HOSTS")',
        'ALLOWED_HOSTS = RAW.split(",")',
        'URL = os.environ.get("BASE_URL") + "/api"',
        'FIRST = os.environ.get("LIST")[0]',
      ].join('\n'),
    );
    assert.equal(e.get('ALLOWED_HOSTS'), '<env:HOSTS>');
    assert.equal(e.get('RAW'), '<env:HOSTS>', 'the lookup bound before is required too');
    assert.equal(e.get('URL'), '<env:BASE_URL>');
    assert.equal(e.get('FIRST'), '<env:LIST>');
  });

  it('`or` after get() without a default: the fallback is the environment default', () => {
    const e = evaluateSettings('import os\nHOST = os.environ.get("HOST") or "localhost"\n');
    assert.equal(e.get('HOST'), 'localhost');
    assert.equal(e.origin('HOST'), 'env-default');
    assert.deepEqual(e.envNames('HOST'), ['HOST']);
  });

  it('bool(os.environ.get("DEBUG", False)) is False when unset; a SECRET_KEY read with get() is None', () => {
    const e = evaluateSettings('import os\nDEBUG = bool(os.environ.get("DEBUG", False))\nSECRET_KEY = os.environ.get("SECRET_KEY")\n');
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.origin('DEBUG'), 'env-default');
    // fail-closed: Django refuses to start with an empty SECRET_KEY (the rule reports it as required)
    assert.equal(e.get('SECRET_KEY'), null);
    assert.equal(e.origin('SECRET_KEY'), 'env-default');
  });

  it('`if not X: raise` after get() makes X required', () => {
    const e = evaluateSettings(
      'import os\nSECRET_KEY = os.environ.get("SECRET_KEY")\nif not SECRET_KEY:\n    raise ValueError("SECRET_KEY")\n',
    );
    assert.equal(e.get('SECRET_KEY'), '<env:SECRET_KEY>');
  });

  it('the branch a default did not select is read for its library calls, and for what it reads from the variable set', () => {
    const e = evaluateSettings(
      [
        'import os',
        'import sentry_sdk',
        'SENTRY_DSN = os.environ.get("SENTRY_DSN")',
        'if SENTRY_DSN:',
        '    sentry_sdk.init(dsn=SENTRY_DSN.strip(), send_default_pii=True)',
        '    FEATURE = "on"',
        'if os.getenv("S"):',
        '    S_PARTS = os.getenv("S").split(",")',
        'S = os.getenv("S")',
      ].join('\n'),
    );
    const inits = e.mod.calls.filter((c) => c.callee === 'sentry_sdk.init');
    assert.equal(inits.length, 1);
    assert.equal(inits[0]!.conditional, true);
    assert.equal(e.get('SENTRY_DSN'), null, 'the branch does not make SENTRY_DSN required');
    assert.equal(e.value('FEATURE'), undefined, "its bindings are not production's under the defaults");
    // …except a value the branch reads from the variable it tests: the environment's when it is set
    // (neither production's literal nor required: the settings start without it)
    assert.equal(e.origin('S_PARTS'), 'env');
    assert.deepEqual(e.envNames('S_PARTS'), ['S']);
    assert.equal(e.value('S_PARTS')?.env?.[0]?.hasDefault, true);
    assert.equal(e.get('S'), null);
  });
});

describe('issue 14.2: opaque writes are bounded', () => {
  before(async () => {
    await loadParser();
  });

  it('django_heroku.settings(locals()) writes its documented names, not every name', () => {
    const e = evaluateSettings(
      [
        'import django_heroku',
        'from pathlib import Path',
        'BASE_DIR = Path("/srv/app")',
        'DEBUG = True',
        'SECRET_KEY = "12534"',
        'SESSION_COOKIE_SECURE = False',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
        'django_heroku.settings(locals())',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), true, 'what it does not write survives');
    assert.equal(e.get('SESSION_COOKIE_SECURE'), false);
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['*']);
    assert.equal(e.at('ALLOWED_HOSTS'), 'mysite/settings.py:8');
    assert.deepEqual(e.get('MIDDLEWARE'), ['whitenoise.middleware.WhiteNoiseMiddleware', 'django.middleware.security.SecurityMiddleware']);
    assert.equal(e.get('STATIC_ROOT'), '/srv/app/staticfiles');
    assert.deepEqual(e.get('DATABASES'), { default: '<unknown>' }, 'DATABASE_URL, which Heroku sets, gives the database');
    assert.equal(e.get('SECRET_KEY'), '12534');
    assert.equal(e.origin('SECRET_KEY'), 'env-default', 'Heroku replaces it when SECRET_KEY is set');
    assert.deepEqual(e.notes('dynamic'), []);
  });

  it('django_on_heroku.settings(locals()): WhiteNoise after SecurityMiddleware, the other databases kept, the rest as django-heroku', () => {
    const e = evaluateSettings(
      [
        'import django_on_heroku',
        'from pathlib import Path',
        'BASE_DIR = Path("/srv/app")',
        'DEBUG = False',
        'SECRET_KEY = "12534"',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]',
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}, "replica": {"ENGINE": "django.db.backends.sqlite3"}}',
        'django_on_heroku.settings(locals())',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.deepEqual(e.get('MIDDLEWARE'), [
      'django.middleware.security.SecurityMiddleware',
      'whitenoise.middleware.WhiteNoiseMiddleware',
      'django.contrib.sessions.middleware.SessionMiddleware',
    ]);
    assert.equal(e.value('MIDDLEWARE')?.kind, 'tuple', 'config[key] = tuple(middleware)');
    assert.deepEqual(e.get('DATABASES'), { default: '<unknown>', replica: { ENGINE: 'django.db.backends.sqlite3' } });
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['*']);
    assert.equal(e.get('STATIC_ROOT'), '/srv/app/staticfiles');
    assert.equal(e.get('STATICFILES_STORAGE'), 'whitenoise.storage.CompressedManifestStaticFilesStorage');
    assert.equal(e.get('TEST_RUNNER'), undefined, 'only when CI is set');
    assert.equal(e.origin('SECRET_KEY'), 'env-default');
    assert.deepEqual(e.notes('dynamic'), []);
  });

  it('the Heroku helpers read DATABASE_URL as dj_database_url.config(conn_max_age=600, ssl_require=True) when it is set', () => {
    for (const lib of ['django_heroku', 'django_on_heroku']) {
      const e = evaluateSettings(
        [
          'import os',
          `import ${lib}`,
          'BASE_DIR = "/srv/app"',
          'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]',
          'os.environ["DATABASE_URL"] = "postgres://u:p@db:5432/app"',
          'os.environ["SECRET_KEY"] = "from-the-environment"',
          `${lib}.settings(locals())`,
        ].join('\n'),
      );
      const db = e.get('DATABASES') as Record<string, Record<string, unknown>>;
      assert.equal(db.default?.ENGINE, 'django.db.backends.postgresql', lib);
      assert.equal(db.default?.NAME, 'app');
      assert.equal(db.default?.CONN_MAX_AGE, 600);
      assert.deepEqual(db.default?.OPTIONS, { sslmode: 'require' });
      assert.equal(e.get('SECRET_KEY'), 'from-the-environment');
      assert.deepEqual(
        e.get('MIDDLEWARE'),
        ['whitenoise.middleware.WhiteNoiseMiddleware', 'django.contrib.sessions.middleware.SessionMiddleware'],
        'first without SecurityMiddleware',
      );
    }
  });

  it('a Heroku helper flag the analysis cannot read makes what it controls unknown, not skipped', () => {
    const e = evaluateSettings(
      [
        'import django_on_heroku',
        'from myconf import HOSTS_FLAG',
        'BASE_DIR = "/srv/app"',
        'ALLOWED_HOSTS = ["example.com"]',
        'MIDDLEWARE = ["x.Middleware", "django.middleware.security.SecurityMiddleware"]',
        'django_on_heroku.settings(locals(), allowed_hosts=HOSTS_FLAG, logging=False, geodjango=True)',
      ].join('\n'),
    );
    assert.equal(e.get('ALLOWED_HOSTS'), '<unknown>');
    assert.equal(e.get('LOGGING'), undefined, 'logging=False writes nothing');
    assert.deepEqual(e.get('MIDDLEWARE'), [
      'x.Middleware',
      'django.middleware.security.SecurityMiddleware',
      'whitenoise.middleware.WhiteNoiseMiddleware',
    ]);
  });

  it('vars().update(env.email_url(...)) can only bind EMAIL_* names', () => {
    const e = evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        'SESSION_COOKIE_SECURE = False',
        'EMAIL_CONFIG = env.email_url("DD_EMAIL_URL", default="smtp://user@:password@localhost:25")',
        'vars().update(EMAIL_CONFIG)',
      ].join('\n'),
    );
    assert.equal(e.get('SESSION_COOKIE_SECURE'), false, 'a setting that is not EMAIL_* survives');
    assert.equal(e.get('EMAIL_HOST'), '<unknown>', 'the variable, when set, may change the EMAIL_* names');
  });
});

describe('issue 14.5: syntax errors and template files', () => {
  before(async () => {
    await loadParser();
  });

  it('a setting assigned in an unparsable region is unknown, never "never set"; what parses is kept', () => {
    const e = evaluateSettings(
      [
        'DEBUG = False',
        'X = (1 +',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
        'ALLOWED_HOSTS = ["example.com"]',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.notes('syntax-error').length, 1);
    for (const name of ['X', 'MIDDLEWARE', 'ALLOWED_HOSTS']) {
      const v = e.value(name);
      // either read (the parser recovered it) or unknown: never absent
      assert.ok(v === undefined ? e.mod.scope.mayHave(name) : true, `${name} is not "never set"`);
    }
  });

  it('cookiecutter template lines: names assigned around them are unknown, template values unknown', () => {
    const e = evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        'DEBUG = False',
        '{% if cookiecutter.use_whitenoise == "y" -%}',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]',
        '{%- else %}',
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
        '{%- endif %}',
        'EMAIL_HOST = env("EMAIL_HOST", default="{{ cookiecutter.project_slug }}-mail")',
        'SESSION_COOKIE_SECURE = True',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.get('SESSION_COOKIE_SECURE'), true);
    const mw = e.value('MIDDLEWARE');
    assert.ok(
      mw === undefined ? e.mod.scope.mayHave('MIDDLEWARE') : mw.kind === 'unknown' || mw.kind === 'list',
      'MIDDLEWARE is not "never set"',
    );
    assert.equal(e.value('EMAIL_HOST')?.kind, 'unknown', 'a value with template text is unknown');
  });
});

describe("issue 30.4: a helper that hands back the module's own upper-case globals", () => {
  before(async () => {
    await loadParser();
  });

  it('globals().update() of a snapshot of the upper-case globals binds those names, the rest of the module stays known', () => {
    const e = evaluateSettings(
      [
        'DEBUG = False',
        'SESSION_COOKIE_SECURE = False',
        'def get_settings():',
        '    return {k: v for k, v in globals().items() if k.isupper()}',
        'def extra(g):',
        '    g["SESSION_COOKIE_SECURE"] = True',
        '    return g',
        'SNAPSHOT = get_settings()',
        'DEBUG = True',
        'globals().update(extra(dict(SNAPSHOT)))',
        'X = 1',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), false, 'the snapshot holds DEBUG as it was when it was taken');
    assert.equal(e.get('SESSION_COOKIE_SECURE'), true);
    assert.deepEqual(e.get('SNAPSHOT'), { DEBUG: false, SESSION_COOKIE_SECURE: false });
    assert.equal(e.get('X'), 1);
    assert.deepEqual(e.notes('dynamic'), []);
  });

  it("locals() given to another module's helper: its names read and written in the module that called locals()", () => {
    const e = evaluateSettings(
      [
        'from .util import upper_names, harden',
        'DEBUG = False',
        'ALLOWED_HOSTS = ["a.example.com"]',
        'globals().update(upper_names(locals()))',
        'harden(globals())',
        'NAMES = sorted(upper_names(vars()))',
      ].join('\n'),
      {
        'mysite/util.py': [
          'UTIL_ONLY = 1',
          'def upper_names(ns):',
          '    return {k: ns[k] for k in ns if k == k.upper() and not k.startswith("_")}',
          'def harden(ns):',
          '    ns["CSRF_COOKIE_SECURE"] = True',
        ].join('\n'),
      },
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.get('CSRF_COOKIE_SECURE'), true);
    assert.deepEqual(e.get('NAMES'), ['ALLOWED_HOSTS', 'CSRF_COOKIE_SECURE', 'DEBUG'], "the settings module's names, not util's");
  });

  it('the namespace holds what Python binds before the module runs, in its order (__annotations__ with an annotation)', () => {
    const plain = evaluateSettings(['import os', 'DEBUG = False', 'NAMES = list(globals())'].join('\n'));
    assert.deepEqual(plain.get('NAMES'), [
      '__name__',
      '__doc__',
      '__package__',
      '__loader__',
      '__spec__',
      '__file__',
      '__cached__',
      '__builtins__',
      'os',
      'DEBUG',
    ]);
    const annotated = evaluateSettings(['if False:', '    DEBUG: bool = True', 'N = len(globals())'].join('\n'));
    assert.equal(annotated.get('N'), 9, '__annotations__ is bound when the module has an annotation, even one that does not run');
  });

  it('a name only some paths bind leaves the snapshot unknown (never a guess)', () => {
    const e = evaluateSettings(
      [
        'from myconf import FLAG',
        'DEBUG = False',
        'if FLAG:',
        '    EXTRA = 1',
        'SNAP = {k: v for k, v in globals().items() if k.isupper()}',
        'COUNT = len(SNAP)',
      ].join('\n'),
    );
    assert.equal(e.get('COUNT'), '<unknown>');
    assert.equal(e.get('DEBUG'), false);
  });

  it('locals() in a function is its own namespace: updating it binds no global', () => {
    const e = evaluateSettings(['DEBUG = False', 'def f():', '    locals().update({"DEBUG": True})', 'f()'].join('\n'));
    assert.equal(e.get('DEBUG'), false);
  });

  it('a loop over the namespace that binds names is not followed (Python raises RuntimeError there)', () => {
    const top = evaluateSettings(['DEBUG = False', 'for k, v in globals().items():', '    pass', 'Y = 1'].join('\n'));
    assert.equal(top.get('k'), '<unknown>', 'at the top level the loop variables are new globals');
    const inFn = evaluateSettings(
      [
        'DEBUG = False',
        'def copy_lower():',
        '    for k, v in globals().items():',
        '        if k.isupper():',
        '            globals()[k.lower()] = v',
        'copy_lower()',
      ].join('\n'),
    );
    assert.equal(inFn.get('DEBUG'), '<unknown>', 'the names bound while the loop ran make the namespace unknown');
  });
});
