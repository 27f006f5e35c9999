// The evaluator on writes it cannot fully follow (issue 14 item 2): guarded globals() writes, loops
// over os.environ, imports guarded by existence tests or suppressed, modules handed to foreign code,
// star imports from libraries, django-configurations classes; and generated keys (item 6).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { Evaluator } from '../../server/src/analysis/eval/evaluator';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { SKELETON, evaluateFiles, evaluateSettings } from './evalHarness';

before(async () => {
  await loadParser();
});

describe('evaluator: imports that are absent in production', () => {
  it('an import guarded by Path(...).exists() on an uncommitted file is absent (an .example beside it does not count)', () => {
    const e = evaluateSettings(
      [
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent.parent',
        'DEBUG = True',
        'SECRET_KEY = "---"',
        'if (BASE_DIR / "mysite/local_settings.py").exists():',
        '    from .local_settings import *',
        '',
      ].join('\n'),
      { 'mysite/local_settings.py.example': 'DEBUG = False\n' },
    );
    assert.equal(e.get('DEBUG'), true);
    assert.equal(e.get('SECRET_KEY'), '---');
    assert.equal(e.mod.scope.open, undefined);
    assert.deepEqual(e.notes(), []);
  });

  it('with contextlib.suppress(ImportError): a missing module is absent, earlier values survive', () => {
    for (const [head, call] of [
      ['import contextlib', 'contextlib.suppress'],
      ['from contextlib import suppress', 'suppress'],
    ]) {
      const e = evaluateSettings(
        [
          head,
          'DEBUG = False',
          `with ${call}(ImportError):`,
          '    from .custom_dev_settings import *',
          '    CUSTOM = True',
          'AFTER = 1',
          '',
        ].join('\n'),
      );
      assert.equal(e.get('DEBUG'), false);
      assert.equal(e.value('CUSTOM'), undefined);
      assert.equal(e.get('AFTER'), 1);
      // the optional override absent here is said (the settings view says it may change what came before)
      assert.deepEqual(
        e.notes().filter((n) => n.kind !== 'optional-override'),
        [],
      );
      assert.equal(e.notes('optional-override').length, 1);
    }
  });
});

describe('evaluator: a module handed to foreign code', () => {
  it("dynaconf's DjangoDynaconf(__name__) may set any setting after it: nothing is never set, what was set is kept", () => {
    const e = evaluateSettings(
      [
        'from dynaconf import DjangoDynaconf',
        'import logging',
        'logger = logging.getLogger(__name__)',
        'ALLOWED_HOSTS = ["*"]',
        'BEFORE = logger',
        'settings = DjangoDynaconf(__name__, ENVVAR_PREFIX_FOR_DYNACONF="APP")',
      ].join('\n'),
    );
    assert.equal(e.setting('SECRET_KEY').kind, 'unknown');
    assert.equal(e.setting('SECURE_SSL_REDIRECT').kind, 'unknown');
    // it only overlays the deployment's configuration: what the module set stays its default
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['*']);
    // … as written unless DYNACONF_ALLOWED_HOSTS or <prefix>_ALLOWED_HOSTS is set (dynaconf reads both)
    const a = e.settings.query('ALLOWED_HOSTS');
    assert.equal(a.state, 'overridable');
    assert.deepEqual(a.state === 'overridable' ? a.overriddenBy.map((o) => `${o.kind}:${o.name}`) : [], [
      'variable:DYNACONF_ALLOWED_HOSTS',
      'variable:APP_ALLOWED_HOSTS',
    ]);
    // a lower-case name is not the settings'
    assert.equal(e.mod.scope.get('logger')?.overriddenBy, undefined);
    const notes = e.notes('dynamic');
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.message, /DjangoDynaconf\(\)/);
  });

  it('DjangoDynaconf(__name__) without a prefix reads DJANGO_<NAME>; with one it cannot read, every name is unknown', () => {
    const e = evaluateSettings('import dynaconf\nDEBUG = True\nsettings = dynaconf.DjangoDynaconf(__name__)\n');
    const a = e.settings.query('DEBUG');
    assert.equal(a.state, 'overridable');
    assert.deepEqual(a.state === 'overridable' ? a.overriddenBy.map((o) => o.name) : [], ['DYNACONF_DEBUG', 'DJANGO_DEBUG']);
    const u = evaluateSettings(
      'import os, dynaconf\nDEBUG = True\nsettings = dynaconf.DjangoDynaconf(__name__, ENVVAR_PREFIX_FOR_DYNACONF=os.environ["P"])\n',
    );
    assert.equal(u.settings.query('DEBUG').state, 'unknown');
  });

  it('Settings(__name__) from a library, register(globals()) and configure(sys.modules[__name__]) hand the module over; getLogger(__name__) does not', () => {
    for (const [head, call] of [
      ['from somelib import Settings', 'Settings(__name__)'],
      ['from somelib import register', 'register(globals())'],
      ['import sys\nfrom somelib import configure', 'configure(sys.modules[__name__])'],
    ]) {
      const e = evaluateSettings(`${head}\nDEBUG = False\n${call}\n`);
      assert.equal(e.setting('SECRET_KEY').kind, 'unknown', call);
    }
    const e = evaluateSettings('import logging\nDEBUG = False\nlog = logging.getLogger(__name__)\n');
    assert.equal(e.setting('SECRET_KEY').origin, 'default');
    assert.equal(e.get('DEBUG'), false);
    // the module imported again in a branch (`import logging.config` under an `if`) is the same library
    const b = evaluateSettings(
      'import logging\nif not logging.root.handlers:\n    import logging.config\n    logging.config.dictConfig({})\nDEBUG = False\nlogging.getLogger(__name__).warning("x")\n',
    );
    assert.equal(b.setting('SECRET_KEY').origin, 'default');
    assert.equal(b.get('DEBUG'), false);
  });
});

describe('evaluator: what may write the module (a name is not the module)', () => {
  it('a standard-library function given __name__ writes nothing, even when an earlier write made its module unknown', () => {
    // the supplied module's template runs code the analysis cannot read and has no __all__: every name,
    // `logging` included, is unknown after it; logging.getLogger(__name__) is still no hand-over
    const e = evaluateSettings(
      [
        'import logging',
        'DEBUG = False',
        'from .local_settings import *',
        'ALLOWED_HOSTS = ["example.com"]',
        'logger = logging.getLogger(__name__)',
        'logging.getLogger(__name__).info("loaded")',
      ].join('\n'),
      { 'mysite/local_settings.py.example': 'import os\nexec(os.environ.get("X", ""))\n' },
    );
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['example.com']);
    assert.ok(!e.notes('dynamic').some((n) => /getLogger/.test(n.message)));
  });

  it("a supplied module's template with a literal __all__ can only bind those names: `logging` stays the library", () => {
    const e = evaluateSettings(
      ['import logging', 'DEBUG = False', 'from .local_settings import *', 'log = logging.getLogger(__name__)'].join('\n'),
      { 'mysite/local_settings.py.example': 'import os\n__all__ = ["EMAIL_HOST"]\nEMAIL_HOST = "x"\nexec(os.environ.get("X", ""))\n' },
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.setting('EMAIL_HOST').kind, 'unknown');
    assert.equal(e.setting('SECRET_KEY').origin, 'default');
    // the supplied module's own note only
    assert.deepEqual(
      e.notes('dynamic').map((n) => /local_settings/.test(n.message)),
      [true],
    );
  });

  it('a call the analysis cannot follow given only the name is no hand-over unless its name says so; importlib.import_module(__name__) is the module', () => {
    const e = evaluateSettings('import somelib\nDEBUG = False\nsomelib.track(__name__)\n');
    assert.equal(e.setting('SECRET_KEY').origin, 'default');
    const m = evaluateSettings('import importlib\nDEBUG = False\nsetattr(importlib.import_module(__name__), "DEBUG", True)\n');
    assert.equal(m.get('DEBUG'), true);
  });
});

describe('evaluator: a loop copying prefixed environment variables into the module', () => {
  const loop = (write: string): string =>
    [
      'import os, sys',
      'DEBUG = False',
      'ALLOWED_HOSTS = ["example.com"]',
      'for key, value in os.environ.items():',
      '    if key.startswith("DJANGO_"):',
      `        ${write}`,
      'CSRF_COOKIE_SECURE = False',
    ].join('\n');

  it('each setting stays as written (or Django default) unless the deployment sets DJANGO_<NAME>; nothing is unknown', () => {
    for (const write of [
      'globals()[key[len("DJANGO_"):]] = value',
      'globals()[key[7:]] = value',
      'setattr(sys.modules[__name__], key.removeprefix("DJANGO_"), value)',
      'globals()[key.replace("DJANGO_", "", 1)] = value',
    ]) {
      const e = evaluateSettings(loop(write));
      const d = e.settings.query('DEBUG');
      assert.equal(d.state, 'overridable', write);
      assert.deepEqual(d.state === 'overridable' ? d.overriddenBy.map((o) => o.name) : [], ['DJANGO_DEBUG'], write);
      assert.equal(e.settings.query('CSRF_COOKIE_SECURE').state, 'known', write);
      const r = e.settings.get('SECURE_SSL_REDIRECT');
      assert.equal(r.value.origin, 'default', write);
      assert.deepEqual(
        (r.overriddenBy ?? []).map((o) => o.name),
        ['DJANGO_SECURE_SSL_REDIRECT'],
        write,
      );
      assert.equal(e.notes('dynamic').length, 0, write);
    }
  });

  it('a DJANGO_<NAME> the deployment sets gives <NAME>; where its environment is all shown, the rest are as written', () => {
    const e = evaluateSettings(
      loop('globals()[key[len("DJANGO_"):]] = value'),
      {
        'k8s/web.yaml': [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: web}',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: web',
          '          command: [gunicorn, mysite.wsgi]',
          '          env:',
          '          - {name: DJANGO_SECURE_SSL_REDIRECT, value: "True"}',
          '',
        ].join('\n'),
      },
      { deployment: true },
    );
    assert.equal(e.get('SECURE_SSL_REDIRECT'), 'True');
    assert.equal(e.get('DEBUG'), false);
    // the environment all shown (as the differential test runs Python): nothing else can change
    const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': loop('globals()[key[len("DJANGO_"):]] = value') }, '/p');
    const ws = new Workspace(fs, ['/p']);
    const project = ws.projects({})[0]!;
    const ev = new Evaluator(ws.hostFor(project), {
      environment: new Map([['DJANGO_SECURE_HSTS_SECONDS', { value: '60' }]]),
      closedEnvironment: 'the test',
    });
    const mod = ev.evaluate({ name: 'mysite.settings', file: '/p/mysite/settings.py', isPackage: false });
    assert.equal(mod.scope.get('SECURE_HSTS_SECONDS')?.value.kind, 'str');
    assert.equal(mod.scope.get('DEBUG')?.overriddenBy, undefined);
    assert.equal(mod.notes.length, 0);
  });

  it('`if not key.startswith(P): continue` narrows the rest of the body; upper() and replace(P, "") keep the prefix', () => {
    const skip = (rest: readonly string[]): string =>
      [
        'import os',
        'DEBUG = False',
        'ALLOWED_HOSTS = ["example.com"]',
        'for key, value in os.environ.items():',
        '    if not key.startswith("DJANGO_"):',
        '        continue',
        ...rest.map((l) => `    ${l}`),
        'CSRF_COOKIE_SECURE = False',
      ].join('\n');
    for (const rest of [
      ['name = key.upper().replace("DJANGO_", "")', 'globals()[name] = value'],
      ['globals()[key.upper().replace("DJANGO_", "", 1)] = value'],
      ['globals()[key[len("DJANGO_"):]] = value'],
      ['globals()[key.removeprefix("DJANGO_")] = value'],
    ]) {
      const e = evaluateSettings(skip(rest));
      const d = e.settings.query('DEBUG');
      assert.equal(d.state, 'overridable', rest.join('; '));
      assert.deepEqual(d.state === 'overridable' ? d.overriddenBy.map((o) => o.name) : [], ['DJANGO_DEBUG'], rest.join('; '));
      assert.equal(e.settings.query('CSRF_COOKIE_SECURE').state, 'known', rest.join('; '));
      assert.deepEqual(
        (e.settings.get('SECURE_SSL_REDIRECT').overriddenBy ?? []).map((o) => o.name),
        ['DJANGO_SECURE_SSL_REDIRECT'],
        rest.join('; '),
      );
      assert.equal(e.notes('dynamic').length, 0, rest.join('; '));
    }
    // the name the deployment's variable gives, upper-cased and with every DJANGO_ removed
    const fs = new MemoryFileSystem(
      { ...SKELETON, 'mysite/settings.py': skip(['name = key.upper().replace("DJANGO_", "")', 'globals()[name] = value']) },
      '/p',
    );
    const ws = new Workspace(fs, ['/p']);
    const ev = new Evaluator(ws.hostFor(ws.projects({})[0]!), {
      environment: new Map([['DJANGO_secure_hsts_seconds', { value: '60' }]]),
      closedEnvironment: 'the test',
    });
    const mod = ev.evaluate({ name: 'mysite.settings', file: '/p/mysite/settings.py', isPackage: false });
    assert.equal(mod.scope.get('SECURE_HSTS_SECONDS')?.value.kind, 'str');
    // a test that is not negated, or a block that goes on, narrows nothing after it
    for (const head of ['if key.startswith("DJANGO_"):', 'if not key.startswith("DJANGO_"):\n        pass\n    if False:']) {
      const e = evaluateSettings(
        [
          'import os',
          'DEBUG = False',
          'for key, value in os.environ.items():',
          `    ${head}`,
          '        continue',
          '    globals()[key.upper()] = value',
        ].join('\n'),
      );
      assert.equal(e.get('DEBUG'), '<unknown>', head);
    }
  });

  it('without the prefix narrowing, the write may bind any name (unchanged)', () => {
    const e = evaluateSettings(
      ['import os', 'DEBUG = False', 'for key, value in os.environ.items():', '    globals()[key] = value'].join('\n'),
    );
    assert.equal(e.get('DEBUG'), '<unknown>');
  });
});

describe('evaluator: dynaconf objects exported into the module', () => {
  it('populate_obj(sys.modules[__name__]) and django-ansible-base export(__name__, obj): as written unless <PREFIX>_<NAME>, the rest unknown', () => {
    for (const [head, make, exp] of [
      ['import sys\nfrom dynaconf import Dynaconf', 'S = Dynaconf(envvar_prefix="myapp")', 'S.populate_obj(sys.modules[__name__])'],
      ['from ansible_base.lib.dynamic_config import export, factory', 'S = factory(__name__, "MYAPP")', 'export(__name__, S)'],
    ]) {
      const e = evaluateSettings(`${head}\nDEBUG = False\n${make}\n${exp}\n`);
      const d = e.settings.query('DEBUG');
      assert.equal(d.state, 'overridable', exp);
      assert.deepEqual(d.state === 'overridable' ? d.overriddenBy.map((o) => o.name) : [], ['DYNACONF_DEBUG', 'MYAPP_DEBUG'], exp);
      assert.equal(e.setting('SECRET_KEY').kind, 'unknown', exp);
    }
  });
});

describe("evaluator: DjangoDynaconf's settings files (dynaconf 3.1.7)", () => {
  const settings = (call: string, head = 'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n'): string =>
    `${head}TIME_ZONE = "UTC"\nSECRET_KEY = "from-the-module"\nimport dynaconf  # noqa\nsettings = dynaconf.DjangoDynaconf(__name__, ${call})\n`;
  const yaml = [
    'default:',
    "  SECRET_KEY: 'from-default'",
    '  DEBUG: false',
    "  ALLOWED_HOSTS: ['*']",
    '  CONN_MAX_AGE: 60',
    '  RATIO: 1.5',
    '  NOTHING: ~',
    '  OCTAL: 012',
    '  FORMAT: "@format {env[HOME]}/x"',
    'app:',
    '  FROM_PREFIX_SECTION: 1',
    'development:',
    '  DEBUG: true',
    'production:',
    "  SECRET_KEY: 'from-production'",
    '  DATABASES:',
    '    default:',
    '      ENGINE: django.db.backends.postgresql',
    '  CACHES:',
    '    dynaconf_merge: true',
    '    default: {}',
    '  LOGGING__version: 1',
    'global:',
    '  FROM_GLOBAL: yes',
    '',
  ].join('\n');
  const files = 'settings_files=[BASE_DIR / "config" / "settings.yaml", BASE_DIR / "config" / ".secrets.yaml"], envvar_prefix="APP"';

  it("loads the default section, the prefix's, the environment's the deployment names and global, each value typed as YAML 1.2 and placed in the file", () => {
    const e = evaluateSettings(
      settings(files),
      {
        'config/settings.yaml': yaml,
        Dockerfile: 'FROM python:3.12\nCOPY . .\nENV ENV_FOR_DYNACONF=production\nCMD ["gunicorn", "mysite.wsgi"]\n',
      },
      { deployment: true },
    );
    assert.equal(e.get('SECRET_KEY'), 'from-production');
    assert.equal(e.at('SECRET_KEY'), 'config/settings.yaml:15');
    assert.equal(e.get('DEBUG'), false);
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['*']);
    assert.equal(e.get('CONN_MAX_AGE'), 60);
    assert.equal(e.get('RATIO'), 1.5);
    assert.equal(e.get('NOTHING'), null);
    assert.equal(e.get('FROM_GLOBAL'), 'yes');
    assert.equal(e.get('FROM_PREFIX_SECTION'), 1);
    assert.deepEqual(e.get('DATABASES'), { default: { ENGINE: 'django.db.backends.postgresql' } });
    // what the analysis does not type as ruamel does, what dynaconf converts or merges: unknown
    for (const n of ['OCTAL', 'FORMAT', 'CACHES', 'LOGGING']) assert.equal(e.get(n), '<unknown>', n);
    // a setting the files do not give stays the module's
    assert.equal(e.get('TIME_ZONE'), 'UTC');
    // the uncommitted .secrets.yaml may override each, and set any other; APP_<NAME> and DYNACONF_<NAME> too
    const k = e.settings.query('SECRET_KEY');
    assert.equal(k.state, 'overridable');
    assert.deepEqual(k.state === 'overridable' ? k.overriddenBy.map((o) => `${o.kind}:${o.name}`).sort() : [], [
      'file:config/.secrets.yaml',
      'variable:APP_SECRET_KEY',
      'variable:DYNACONF_SECRET_KEY',
    ]);
    assert.equal(e.setting('SECURE_SSL_REDIRECT').kind, 'unknown');
    assert.equal(e.notes('dynamic').length, 0);
  });

  it('without a variable naming one, the environment is development: its values as written unless DJANGO_ENV or ENV_FOR_DYNACONF names another', () => {
    const e = evaluateSettings(settings('settings_files=["settings.yaml"]'), { 'config/settings.yaml': yaml });
    assert.equal(e.get('DEBUG'), true);
    assert.equal(e.get('SECRET_KEY'), 'from-default');
    const d = e.settings.query('DEBUG');
    assert.deepEqual(d.state === 'overridable' ? d.overriddenBy.map((o) => o.name) : [], [
      'DJANGO_ENV',
      'ENV_FOR_DYNACONF',
      'DYNACONF_DEBUG',
      'DJANGO_DEBUG',
    ]);
    // nothing absent: a setting no file and no module line sets is Django's default unless its variable is set
    assert.equal(e.setting('SECURE_SSL_REDIRECT').origin, 'default');
    assert.equal(e.notes('dynamic').length, 0);
    // DJANGO_ENV, the Django extension's switcher, wins over ENV_FOR_DYNACONF
    const w = evaluateSettings(
      settings('settings_files=["settings.yaml"]'),
      {
        'config/settings.yaml': yaml,
        Dockerfile: 'FROM python:3.12\nCOPY . .\nENV ENV_FOR_DYNACONF=production DJANGO_ENV=development\nCMD ["gunicorn", "mysite.wsgi"]\n',
      },
      { deployment: true },
    );
    assert.equal(w.get('SECRET_KEY'), 'from-default');
    assert.equal(w.get('DEBUG'), true);
  });

  it('a .local. file after the files found; environments=False reads the top level; another format leaves the call as before', () => {
    const e = evaluateSettings(settings('settings_files=["settings.yaml"]'), {
      'config/settings.yaml': yaml,
      'config/settings.local.yaml': 'development:\n  SECRET_KEY: from-local\n',
    });
    assert.equal(e.get('SECRET_KEY'), 'from-local');
    assert.equal(e.at('SECRET_KEY'), 'config/settings.local.yaml:2');
    const flat = evaluateSettings(settings('settings_files=["flat.yml"], environments=False'), {
      'config/flat.yml': 'DEBUG: false\ndefault:\n  DEBUG: true\n',
    });
    assert.equal(flat.get('DEBUG'), false);
    assert.deepEqual(flat.get('DEFAULT'), { DEBUG: true });
    const toml = evaluateSettings(settings('settings_files=["settings.toml"]'), { 'config/settings.toml': '[default]\nDEBUG = false\n' });
    assert.equal(toml.setting('SECURE_SSL_REDIRECT').kind, 'unknown');
    assert.equal(toml.notes('dynamic').length, 1);
  });

  it('an environment the analysis cannot read makes what any environment section sets unknown', () => {
    const e = evaluateSettings(
      settings('settings_files=["settings.yaml"]', 'import os\n'),
      {
        'config/settings.yaml': yaml,
        'docker-compose.yml':
          'services:\n  web:\n    build: .\n    command: gunicorn mysite.wsgi\n    environment:\n      DJANGO_ENV: ${STAGE}\n',
        Dockerfile: 'FROM python:3.12\nCOPY . .\n',
      },
      { deployment: true },
    );
    assert.equal(e.get('SECRET_KEY'), '<unknown>');
    assert.equal(e.get('DEBUG'), '<unknown>');
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['*']);
  });
});

describe('evaluator: django-configurations', () => {
  const classes = [
    'import os',
    'from configurations import Configuration, values',
    'BASE_DIR = os.path.dirname(__file__)',
    'class SecurityMixin:',
    '    SECURE_SSL_REDIRECT = True',
    'class Base(Configuration):',
    '    DEBUG = False',
    '    ALLOWED_HOSTS = values.ListValue(["example.com"])',
    '    STATIC_ROOT = os.path.join(BASE_DIR, "static")',
    'class Development(Base):',
    '    DEBUG = True',
    'class Production(SecurityMixin, Base):',
    '    SECRET_KEY = values.SecretValue()',
    '    SECURE_HSTS_SECONDS = values.IntegerValue(0, environ_name="HSTS")',
    '    def post_setup(cls):',
    '        pass',
  ];

  it('the class named Production is the settings: its attributes, inherited ones included, and values.* read from the environment', () => {
    const e = evaluateSettings(classes.join('\n'));
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.get('SECURE_SSL_REDIRECT'), true);
    assert.equal(e.get('STATIC_ROOT'), '/p/mysite/static');
    assert.equal(e.setting('SECRET_KEY').origin, 'env');
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['example.com']);
    assert.equal(e.origin('ALLOWED_HOSTS'), 'env-default');
    assert.equal(e.value('ALLOWED_HOSTS')?.env?.[0]?.name, 'DJANGO_ALLOWED_HOSTS');
    assert.equal(e.value('SECURE_HSTS_SECONDS')?.env?.[0]?.name, 'HSTS');
    assert.equal(e.value('post_setup'), undefined);
    assert.deepEqual(e.notes(), []);
  });

  it('without a class production runs: one DDH003 note per module, not one per class', () => {
    const e = evaluateSettings(classes.join('\n').replace('class Production(', 'class Staging('));
    const notes = e.notes('dynamic');
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.message, /django-configurations classes such as Base/);
    assert.equal(e.setting('DEBUG').kind, 'unknown');
  });

  // a settings package whose __init__.py re-exports classes its modules define (issue 56)
  const pkg = (production: string, extra: Record<string, string> = {}): Record<string, string> => ({
    ...SKELETON,
    'mysite/settings/__init__.py': [
      'from .base import Base',
      'from .development import Development',
      'from .production import Production',
      '__all__ = ["Base", "Development", "Production"]',
    ].join('\n'),
    'mysite/settings/base.py': [
      'from configurations import Configuration, values',
      'class Base(Configuration):',
      '    DEBUG = False',
      '    DB_NAME = values.Value("app")',
      '    ALLOWED_HOSTS = ["example.com"]',
      '    @property',
      '    def MIDDLEWARE(self):',
      '        return ["django.middleware.security.SecurityMiddleware"] + self.EXTRA_MIDDLEWARE',
      '    EXTRA_MIDDLEWARE = []',
      '    def DATABASES(self):',
      '        return {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": self.DB_NAME}}',
    ].join('\n'),
    'mysite/settings/mixins.py': ['class Secure:', '    SESSION_COOKIE_SECURE = True', '    SECURE_SSL_REDIRECT = True'].join('\n'),
    'mysite/settings/development.py': ['from .base import Base', 'class Development(Base):', '    DEBUG = True'].join('\n'),
    'mysite/settings/production.py': production,
    ...extra,
  });

  it('classes defined in the modules of a settings package and imported by its __init__.py: the chosen one gives the settings', () => {
    const e = evaluateFiles(
      pkg(
        [
          'from configurations import Configuration',
          'from .base import Base',
          'from .mixins import Secure',
          'class Production(Secure, Base, Configuration):',
          '    EXTRA_MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]',
          '    @classmethod',
          '    def setup(cls):',
          '        super().setup()',
        ].join('\n'),
      ),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['example.com']);
    assert.equal(e.get('SESSION_COOKIE_SECURE'), true);
    // a property read on the instance, a method called (self's values.* already read from the environment)
    assert.deepEqual(e.get('MIDDLEWARE'), ['django.middleware.security.SecurityMiddleware', 'whitenoise.middleware.WhiteNoiseMiddleware']);
    assert.deepEqual(e.get('DATABASES'), { default: { ENGINE: 'django.db.backends.postgresql', NAME: 'app' } });
    assert.equal(e.value('setup'), undefined);
    // base.py alone has no Production: the package that imports it chooses, nothing is noted
    assert.deepEqual(e.notes(), []);
    assert.deepEqual(
      [...e.evaluator.modules.values()].flatMap((m) => m.notes.map((n) => n.message)),
      [],
    );
  });

  it("a Configuration base gives Django's default over the mixins listed after it (the metaclass copies global_settings)", () => {
    const after = evaluateFiles(
      pkg(['from .base import Base', 'from .mixins import Secure', 'class Production(Base, Secure):', '    pass'].join('\n')),
    );
    // Base's own copy of SESSION_COOKIE_SECURE (Django's False) comes first in the MRO
    assert.equal(after.value('SESSION_COOKIE_SECURE'), undefined);
    assert.equal(after.value('SECURE_SSL_REDIRECT'), undefined);
    const before = evaluateFiles(
      pkg(['from .base import Base', 'from .mixins import Secure', 'class Production(Secure, Base):', '    pass'].join('\n')),
    );
    assert.equal(before.get('SESSION_COOKIE_SECURE'), true);
  });

  it('DJANGO_CONFIGURATION set by the deployment picks the class the package imports under that name', () => {
    const e = evaluateFiles(
      pkg('from .base import Base\nclass Production(Base):\n    pass', {
        Procfile: 'web: DJANGO_CONFIGURATION=Development gunicorn mysite.wsgi\n',
      }),
      { deployment: true },
    );
    assert.equal(e.get('DEBUG'), true);
  });
});

describe('evaluator: writes whose names a condition narrows', () => {
  it('a loop over os.environ writing only names that contain a prefix leaves the settings alone, without a note', () => {
    const e = evaluateSettings(
      [
        'import os',
        'DEBUG = True',
        'for config in os.environ:',
        '    if "APP_" in config:',
        '        value = os.environ[config]',
        '        if value.isdigit():',
        '            globals()[config] = int(value)',
        '        else:',
        '            globals()[config] = value',
        'ALLOWED_HOSTS = ["example.com"]',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), true);
    assert.equal(e.setting('SECRET_KEY').origin, 'default');
    assert.equal(e.setting('APP_COLOR').kind, 'unknown');
    assert.deepEqual(e.notes(), []);
  });

  it('key.startswith(...) in a loop over unknown data: only those names are unknown, and the note says which', () => {
    const e = evaluateSettings(
      [
        'import os, sys, json',
        'DEBUG = False',
        'SECURE_SSL_REDIRECT = True',
        'for key, value in json.loads(os.environ["EXTRA"]).items():',
        '    if key.startswith("SECURE_") and key.isupper():',
        '        setattr(sys.modules[__name__], key, value)',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.get('SECURE_SSL_REDIRECT'), '<unknown>');
    assert.equal(e.setting('SECRET_KEY').origin, 'default');
    assert.equal(e.setting('SECURE_HSTS_SECONDS').kind, 'unknown');
    const notes = e.notes('dynamic');
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.message, /only names that start with "SECURE_" and upper-case names/);
  });

  it('without a narrowing condition, the write may bind any name (unchanged)', () => {
    const e = evaluateSettings(
      ['import os', 'DEBUG = False', 'for config in os.environ:', '    globals()[config] = os.environ[config]'].join('\n'),
    );
    assert.equal(e.get('DEBUG'), '<unknown>');
    assert.equal(e.setting('SECRET_KEY').kind, 'unknown');
  });

  it('key == "X" and key in ("A", "B") narrow to those names; the other branch is not narrowed', () => {
    const e = evaluateSettings(
      [
        'import os, json',
        'A = 1',
        'B = 2',
        'DEBUG = False',
        'for key in json.loads(os.environ["EXTRA"]):',
        '    if key in ("A", "B"):',
        '        globals()[key] = 0',
        '    elif key == "SECRET_KEY":',
        '        globals()[key] = "x"',
      ].join('\n'),
    );
    assert.deepEqual([e.get('A'), e.get('B'), e.get('DEBUG')], ['<unknown>', '<unknown>', false]);
    assert.equal(e.setting('SECRET_KEY').kind, 'unknown');
  });
});

describe('evaluator: keys generated at start-up (item 6)', () => {
  const generated = (expr: string, head = 'import os, random, secrets, string, uuid, base64, binascii, hashlib'): unknown => {
    const e = evaluateSettings(`${head}\nfrom django.core.management.utils import get_random_secret_key\nSECRET_KEY = ${expr}\n`);
    const v = e.value('SECRET_KEY');
    return v?.kind === 'unknown' ? v.producedBy : v?.kind;
  };

  it('every random source, and what is computed from it, is generated', () => {
    for (const expr of [
      'get_random_secret_key()',
      '"".join(random.choice(string.ascii_letters) for _ in range(50))',
      '"".join([secrets.choice("abc") for i in range(50)])',
      '"".join(random.SystemRandom().choice("abcdef") for _ in range(50))',
      '"".join(random.choices("abcdef", k=50))',
      'os.urandom(32).hex()',
      'base64.b64encode(os.urandom(32)).decode()',
      'binascii.hexlify(os.urandom(24)).decode("ascii")',
      'str(uuid.uuid4())',
      'uuid.uuid1().hex',
      'secrets.token_hex(32)',
      'f"{uuid.uuid4()}-{secrets.randbits(64)}"',
      'get_random_secret_key() + "-suffix"',
      'hashlib.sha256(os.urandom(64)).hexdigest()',
    ])
      assert.equal(`${expr}: ${generated(expr)}`, `${expr}: generated`);
    assert.equal(generated('"fixed"'), 'str');
    const loop = evaluateSettings('import random\nSECRET_KEY = ""\nfor _ in range(50):\n    SECRET_KEY += random.choice("abcdef")\n');
    const v = loop.value('SECRET_KEY');
    assert.equal(v?.kind === 'unknown' && v.producedBy, 'generated', 'built in a loop');
  });

  it('a generated key written to a file is recorded as a write of a generated value', () => {
    const e = evaluateSettings(
      [
        'import os',
        'from django.utils.crypto import get_random_string',
        'try:',
        '    from .secret_key import SECRET_KEY',
        'except ImportError:',
        '    secret = get_random_string(50)',
        '    with open(os.path.join(os.path.dirname(__file__), "secret_key.py"), "w") as f:',
        '        f.write("SECRET_KEY=\'{}\'".format(secret))',
        '    SECRET_KEY = secret',
      ].join('\n'),
    );
    const v = e.value('SECRET_KEY');
    assert.equal(v?.kind === 'unknown' && v.producedBy, 'generated');
    const writes = e.mod.calls.filter((c) => c.callee === 'file.write');
    assert.equal(writes.length, 1);
    const arg = writes[0]!.args[0]!;
    assert.equal(arg.kind === 'unknown' && arg.producedBy, 'generated');
    assert.deepEqual(arg.kind === 'unknown' && arg.generatedAt, v?.kind === 'unknown' && v.generatedAt);
  });
});

describe('evaluator: star imports of library settings modules', () => {
  it('a library module outside the workspace keeps what was set before it; a name not set is unknown, with a note', () => {
    const e = evaluateSettings('DEBUG = False\nfrom somelibrary.defaults import *\nALLOWED_HOSTS = ["example.com"]\n');
    assert.equal(e.get('DEBUG'), false);
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['example.com']);
    assert.equal(e.setting('SECRET_KEY').kind, 'unknown');
    const notes = e.notes('dynamic');
    assert.equal(notes.length, 1);
    assert.match(
      notes[0]!.message,
      /somelibrary\.defaults, which is outside the workspace and was not read.*those set before this line are kept/,
    );
  });

  it("well-known ones: Django's global_settings puts every setting back to its default; oscar.defaults defines OSCAR_* names", () => {
    const g = evaluateSettings('DEBUG = True\nMY_FLAG = 1\nfrom django.conf.global_settings import *\nALLOWED_HOSTS = ["example.com"]\n');
    assert.equal(g.setting('DEBUG').origin, 'default');
    assert.equal(g.get('MY_FLAG'), 1);
    assert.deepEqual(g.notes(), []);
    const o = evaluateSettings('from oscar.defaults import *\nDEBUG = False\n');
    assert.equal(o.setting('SECRET_KEY').origin, 'default');
    assert.equal(o.setting('OSCAR_SHOP_NAME').kind, 'unknown');
    assert.deepEqual(o.notes(), []);
  });
});

describe('evaluator: a settings package that star-imports its production module under an environment test (issue 54)', () => {
  const files = (init: string, extra: Record<string, string> = {}): Record<string, string> => ({
    ...SKELETON,
    'mysite/settings/__init__.py': init,
    'mysite/settings/base.py': 'DEBUG = True\nSECRET_KEY = "dev"\nDATABASES = {"default": {"PASSWORD": "dev-pw"}}\nUSE_TZ = True\n',
    'mysite/settings/production.py': 'import os\nDEBUG = False\nDATABASES = {"default": {"PASSWORD": os.environ["DB_PASSWORD"]}}\n',
    'mysite/settings/local.py': 'DEBUG = True\n',
    ...extra,
  });
  const presence = [
    'import os',
    'from .base import *',
    'if "PROD" in os.environ:',
    '    from .production import *',
    'elif "STAGING" in os.environ:',
    '    from .staging import *',
    'else:',
    '    from .local import *',
  ].join('\n');

  it('an environment the repository does not close: the branch that imports the production module is taken, and says why', () => {
    const e = evaluateFiles(files(presence, { Procfile: 'web: gunicorn mysite.wsgi\n' }), { deployment: true });
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.setting('DATABASES').kind, 'dict');
    const over = e.mod.scope.get('DEBUG')?.overriddenBy ?? [];
    assert.deepEqual(
      over.map((o) => [o.kind, o.name, o.presumed]),
      [['variable', 'PROD', 'it imports .production, the production module']],
    );
    // what the production branch does not replace stays as the base writes it, known
    assert.equal(e.get('USE_TZ'), true);
    assert.equal(e.mod.scope.get('USE_TZ')?.overriddenBy, undefined);
  });

  it('a variable compared with "production" selects a branch that imports a module: that branch', () => {
    const init = [
      'import os',
      'from .base import *',
      'if os.environ.get("ENV") == "production":',
      '    from .deploy import *',
      'else:',
      '    from .local import *',
    ].join('\n');
    const e = evaluateFiles(files(init, { 'mysite/settings/deploy.py': 'DEBUG = False\n' }));
    assert.equal(e.get('DEBUG'), false);
  });

  it('an environment written whole in the repository that does not set the variable: the default branch, as before', () => {
    const compose = 'services:\n  web:\n    build: .\n    command: gunicorn mysite.wsgi\n    environment:\n      SECRET_KEY: x\n';
    const e = evaluateFiles(files(presence, { 'docker-compose.yml': compose }), { deployment: true });
    assert.equal(e.get('DEBUG'), true);
    assert.deepEqual(e.get('DATABASES'), { default: { PASSWORD: 'dev-pw' } });
  });

  it('a branch nothing names production is left to the defaults', () => {
    const init = ['import os', 'from .base import *', 'if "FEATURE_X" in os.environ:', '    from .production import *']
      .join('\n')
      .replace('.production', '.extra');
    const e = evaluateFiles(files(init, { 'mysite/settings/extra.py': 'DEBUG = False\n' }));
    assert.equal(e.get('DEBUG'), true);
  });
});
