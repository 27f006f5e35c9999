// The environment libraries the evaluator has modelled from the start (eval/library/environment.ts,
// configurations.ts, imports.ts), named here so that the catalogue lists every library the analysis
// knows: their distributions, import names, and the versions test/pydiff runs them at (Debian 12's).
import type { Fact, Library } from './types';

export const DJANGO_ENVIRON = {
  distribution: 'django-environ',
  modules: ['environ'],
  readAt: '0.12 (eval/library/environment.ts)',
  debian: { package: 'python3-django-environ', version: '0.4.4' },
} as const satisfies Library;

export const DECOUPLE = {
  distribution: 'python-decouple',
  modules: ['decouple'],
  readAt: '3.8 (eval/library/environment.ts)',
  debian: { package: 'python3-decouple', version: '3.6' },
} as const satisfies Library;

export const DJ_DATABASE_URL = {
  distribution: 'dj-database-url',
  modules: ['dj_database_url'],
  readAt: '2.x (eval/library/environment.ts)',
  debian: { package: 'python3-dj-database-url', version: '0.5.0' },
} as const satisfies Library;

export const DJANGO_CONFIGURATIONS = {
  distribution: 'django-configurations',
  modules: ['configurations'],
  readAt: '2.5 (eval/library/configurations.ts)',
} as const satisfies Library;

/**
 * Packages whose classes are django-configurations' Configuration classes (or mixins meant to be
 * combined with them): a settings class deriving from one of their classes is a configuration the
 * importer loads by DJANGO_CONFIGURATION, although the settings module never imports
 * `configurations` itself. The analysis does not hold their code, so what their classes set is not
 * known (eval/functions.ts).
 */
export const CONFIGURATIONS_BASED_PACKAGES = {
  modules: {
    value: ['composed_configuration'] as readonly string[],
    source: {
      url: 'https://github.com/kitware-resonant/django-composed-configuration/blob/0d765a330669157706f632f463f033d5e3fbba75/composed_configuration/_base.py',
      quote:
        'from configurations import Configuration, values … class ComposedConfiguration(Configuration): """Abstract base for composed Configuration."""',
      versions: 'django-composed-configuration (import name composed_configuration)',
    },
  },
} as const satisfies Record<string, Fact<readonly string[]>>;

export const DJANGO_SPLIT_SETTINGS = {
  distribution: 'django-split-settings',
  modules: ['split_settings'],
  readAt: '1.3 (eval/library/modules.ts include())',
  debian: { package: 'python3-django-split-settings', version: '1.1.0' },
} as const satisfies Library;

/**
 * include() runs each file in the including module's globals, while that module, partly run, is in
 * sys.modules: a component that imports the including module gets the names set before the
 * include (Python's import of a partly-initialised module; one set after raises ImportError).
 * Checked against Debian's 1.1.0: `from mysite.settings import ENV` in a component of
 * mysite/settings/__init__.py runs, a name bound after the include raises ImportError.
 */
export const DJANGO_SPLIT_SETTINGS_INCLUDE = {
  scope: {
    value: 'the including module',
    source: {
      url: 'https://github.com/wemake-services/django-split-settings/blob/1.1.0/split_settings/tools.py',
      quote:
        "scope = kwargs.pop('scope', inspect.stack()[1][0].f_globals) … exec(compiled_code, scope) (docs, https://django-split-settings.readthedocs.io/: the local context is passed on to each file, so each following file can access and modify the settings declared in the previous files)",
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

/**
 * python-decouple's `config(name, default)` with no `cast` returns the variable's text as it is when
 * the environment or the .env file sets it (only the default is returned as given): `DEBUG =
 * config("DEBUG", False)` is the string "False" once DEBUG=False is set, which is true. Checked with
 * Debian's python3-decouple 3.6: `DEBUG=False python3 -c 'from decouple import config;
 * print(repr(config("DEBUG", False)))'` prints 'False' (a non-empty string).
 */
export const DECOUPLE_TEXT_WITHOUT_CAST = {
  returnsText: {
    value: true,
    source: {
      url: 'https://github.com/HBNetwork/python-decouple/blob/v3.6/decouple.py#L78-L99',
      quote:
        'if option in os.environ: value = os.environ[option] elif option in self.repository: value = self.repository[option] else: … value = default  if isinstance(cast, Undefined): cast = self._cast_do_nothing elif cast is bool: cast = self._cast_boolean  return cast(value)',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

/**
 * The calls that read a named env file into `os.environ` when the settings run (`load_dotenv("/srv/
 * config/.env")`, `environ.Env.read_env("/srv/config/.env")`): what a production start script
 * writes into that file before the server starts is in the settings' environment
 * (models/process/sources/shell.ts). Neither replaces a variable already set (python-dotenv's
 * `override=False`; django-environ's `setdefault`), which a start script's file does not change:
 * the file is the only place the script sets it.
 */
export const ENV_FILE_LOADERS = {
  functions: {
    value: ['load_dotenv', 'read_env'] as const,
    source: {
      url: 'https://pypi.org/project/python-dotenv/1.2.1/',
      quote:
        'load_dotenv()  # reads variables from a .env file and sets them in os.environ … Read each key-value pair and add it to os.environ. (django-environ, https://django-environ.readthedocs.io/en/latest/api.html: Env.read_env "Read a .env file into os.environ.")',
    },
  },
} as const satisfies Record<string, Fact<readonly string[]>>;
