// Dynaconf's Django extension: `settings = dynaconf.DjangoDynaconf(__name__)` at the end of a
// settings module overrides any upper-case name from DJANGO_* environment variables (and its
// settings files). Read from Debian's dynaconf 3.1.7 (dynaconf/contrib/django_dynaconf_v2.py).
import type { Fact, Library } from './types';

const AT = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/contrib/django_dynaconf_v2.py';
const ENV_LOADER = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/loaders/env_loader.py';

export const DYNACONF = {
  distribution: 'dynaconf',
  modules: ['dynaconf'],
  readAt: '3.1.7',
  debian: { package: 'python3-dynaconf', version: '3.1.7' },
} as const satisfies Library;

export const DYNACONF_DJANGO = {
  /** The call that hands the settings module to dynaconf. */
  entry: {
    value: 'dynaconf.DjangoDynaconf',
    source: {
      url: AT,
      quote: 'def load(django_settings_module_name=None, **kwargs):  # pragma: no cover (DjangoDynaconf = django_dynaconf_v2.load)',
    },
  },
  /**
   * The prefix of the environment variables it reads for Django: `DJANGO_<NAME>` replaces the
   * module's `<NAME>` (its value parsed as TOML: `false`, `60`, `["a"]`, or `@int 60`…).
   */
  envPrefix: {
    value: 'DJANGO',
    source: { url: `${AT}#L64`, quote: 'options.setdefault("ENVVAR_PREFIX_FOR_DYNACONF", "DJANGO")' },
  },
  /** The call's keyword that changes that prefix. */
  envPrefixOption: {
    value: 'ENVVAR_PREFIX_FOR_DYNACONF',
    source: { url: `${AT}#L64`, quote: 'options.setdefault("ENVVAR_PREFIX_FOR_DYNACONF", "DJANGO")' },
  },
  /** Read before the prefix above, whatever it is: `DYNACONF_<NAME>` replaces `<NAME>` too. */
  globalEnvPrefix: {
    value: 'DYNACONF',
    source: {
      url: `${ENV_LOADER}#L16-L18`,
      quote:
        'global_prefix = obj.get("ENVVAR_PREFIX_FOR_DYNACONF") / if global_prefix is False or global_prefix.upper() != "DYNACONF": / load_from_env(obj, "DYNACONF", key, silent, IDENTIFIER + "_global")',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

const BASE = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/base.py';
const DEFAULTS = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/default_settings.py';
/** django-ansible-base's helpers over dynaconf, read at the commit below. */
const DAB =
  'https://github.com/ansible/django-ansible-base/blob/2ef09a758fc64f7ce58e1f4080736f6c4d474893/ansible_base/lib/dynamic_config/dynaconf_helpers.py';

/**
 * The calls that export a dynaconf settings object into a module, which then ends with what the
 * object read (its settings files and its `<PREFIX>_<NAME>` variables) over what the module set.
 * By the callee's dotted name; `settingsArg` is the position of the settings object (the receiver
 * when undefined) and `moduleArg` that of the module (by object or, `byName`, by its name).
 */
export const DYNACONF_EXPORTS = {
  /** `settings.populate_obj(sys.modules[__name__])`: every key of the object becomes an attribute. */
  populateObj: {
    value: { method: 'populate_obj', moduleArg: 0, byName: false },
    source: {
      url: `${BASE}#L1126-L1140`,
      quote: 'def populate_obj(self, obj, keys=None, ignore=None): … for key in keys: key = upperfy(key) … setattr(obj, key, value)',
    },
  },
  /** django-ansible-base's `export(__name__, DYNACONF)`: populate_obj on sys.modules[module_name]. */
  dabExport: {
    value: { callee: 'ansible_base.lib.dynamic_config.export', moduleArg: 0, settingsArg: 1, byName: true },
    source: {
      url: DAB,
      quote:
        'def export(module_name: str | type, settings: Dynaconf, validation: bool = True): … if isinstance(module_name, str): object_to_populate = sys.modules[module_name] … settings.populate_obj(object_to_populate, …)',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

/** The calls that make a dynaconf settings object, and where each says its variables' prefix. */
export const DYNACONF_CONSTRUCTORS = {
  /** `Dynaconf(envvar_prefix="MYAPP", settings_files=[…])` (and LazySettings, the same class). */
  dynaconf: {
    value: { callees: ['dynaconf.Dynaconf', 'dynaconf.LazySettings'], prefixKeyword: 'envvar_prefix' },
    source: { url: `${BASE}#L46`, quote: 'envvar_prefix="MYAPP",             # `export MYAPP_FOO=bar`' },
  },
  /** django-ansible-base's factory(module_name, app_name, …): its prefix is app_name upper-cased. */
  dabFactory: {
    value: { callees: ['ansible_base.lib.dynamic_config.factory'], prefixArg: 1 },
    source: {
      url: DAB,
      quote:
        'prefix = app_name.upper() … settings = Dynaconf(env_switcher=f"{prefix}_MODE", envvar_prefix=envvar_prefix, root_path=caller_path, loaders=[], **options)',
    },
  },
  /** The prefix a dynaconf object reads when none is given. */
  defaultPrefix: {
    value: { prefix: 'DYNACONF' },
    source: { url: `${DEFAULTS}#L114`, quote: 'ENVVAR_PREFIX_FOR_DYNACONF = get("ENVVAR_PREFIX_FOR_DYNACONF", "DYNACONF")' },
  },
} as const satisfies Record<string, Fact<unknown>>;

/** Read from Debian's dynaconf 3.1.7, as the entries above. */
const PARSE_CONF = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/utils/parse_conf.py';
const ENVVARS_DOC = 'https://www.dynaconf.com/envvars/#type-casting-and-lazy-values';

/**
 * The tokens with which a value dynaconf reads (an environment variable, a settings file's string)
 * says what it becomes: the value's first word, up to a space, names the converter applied to the
 * rest (parse_conf.py: `data.startswith(tuple(converters.keys()))` … `parts = data.partition(" ")`).
 * `none`: markers read as None, whatever follows (`MYAPP_DB_PASSWORD='@none None'`: no password);
 * `flag`: a boolean; `cast`: the rest, typed (a number, a string, JSON, a merge into a list or
 * dict); `template`: the rest is a template formatted when the setting is read, whose references
 * name other settings (`this`) and the process's environment variables (`env`), Python's
 * str.format fields for `@format` and Jinja expressions for `@jinja`.
 */
export const DYNACONF_VALUE_TOKENS = {
  none: {
    value: ['@none', '@null', '@note', '@comment'],
    source: {
      url: ENVVARS_DOC,
      quote: `In addition to \`toml\` parser you can also force your variables to be converted in to a desired data type. … export PREFIX_NONE='@none None' # None (and ${PARSE_CONF}#L227-L232: "# Special markers to be used as placeholders e.g: in prefilled forms # will always return None when evaluated … "@null": lambda value: None, "@none": lambda value: None,")`,
    },
  },
  flag: {
    value: ['@bool'],
    source: {
      url: ENVVARS_DOC,
      quote: `export PREFIX_NONE='@bool off' # bool: False (${PARSE_CONF}#L216: "@bool": lambda value: str(value).lower() in true_values,)`,
    },
  },
  cast: {
    value: ['@str', '@int', '@float', '@json', '@del', '@reset', '@merge', '@merge_unique'],
    source: {
      url: ENVVARS_DOC,
      quote: `export PREFIX_NONE='@int 16' # int: 16 … export PREFIX_ARRAY='@json [42, "Oi", {"foo": "bar"}]' # Heterogeneus list (${PARSE_CONF}#L212-L226: "@str": str, "@int": int, "@float": float, … "@json": json.loads, … "@del": Del, "@merge": Merge,)`,
    },
  },
  template: {
    value: { format: '@format', jinja: '@jinja', context: ['this', 'env'] },
    source: {
      url: ENVVARS_DOC,
      quote: `Dynaconf support 2 types of lazy values \`format\` and \`jinja\` which allows template substitutions. … export PREFIX_PATH='@format {env[HOME]}/.config/{this.DB_NAME}' … export PREFIX_PATH='@jinja {{env.HOME}}/.config/{{this.DB_NAME}} | abspath' (${PARSE_CONF}#L172: return {"env": os.environ, "this": self.settings})`,
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
