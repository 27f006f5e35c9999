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

const LOADERS = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/loaders/__init__.py';
const BASE_LOADER = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/loaders/base.py';
const UTILS = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/utils/__init__.py';
const FILES = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/utils/files.py';
const SETTINGS_FILES_DOC = 'https://www.dynaconf.com/settings_files/';

/**
 * How DjangoDynaconf(__name__, settings_files=[…], environments=True, envvar_prefix="MYAPP") reads
 * the settings files it is given into the module (read from Debian's dynaconf 3.1.7 and checked
 * against it, test/libdiff): the module's own upper-case names are its defaults, each file's
 * sections are loaded over them in order, then its `<PREFIX>_<NAME>` variables.
 */
export const DYNACONF_SETTINGS_FILES = {
  /**
   * The call's keywords naming its options (each alias dynaconf resolves: a lower-case keyword is
   * the option of the same name with `_FOR_DYNACONF`), by option.
   */
  options: {
    value: {
      settingsFiles: ['settings_files', 'settings_file', 'SETTINGS_FILES', 'SETTINGS_FILE', 'SETTINGS_FILE_FOR_DYNACONF'],
      envvarPrefix: ['envvar_prefix', 'ENVVAR_PREFIX', 'ENVVAR_PREFIX_FOR_DYNACONF'],
      environments: ['environments', 'environment', 'ENVIRONMENTS', 'ENVIRONMENT', 'ENVIRONMENTS_FOR_DYNACONF'],
      envSwitcher: ['env_switcher', 'ENV_SWITCHER', 'ENV_SWITCHER_FOR_DYNACONF'],
      defaultEnv: ['default_env', 'DEFAULT_ENV', 'DEFAULT_ENV_FOR_DYNACONF'],
      /** Options that change which files or sections are read: the files are then not read here. */
      unread: [
        'env',
        'ENV',
        'ENV_FOR_DYNACONF',
        'force_env',
        'FORCE_ENV',
        'FORCE_ENV_FOR_DYNACONF',
        'secrets',
        'SECRETS',
        'SECRETS_FOR_DYNACONF',
        'includes',
        'INCLUDES',
        'INCLUDES_FOR_DYNACONF',
        'preload',
        'PRELOAD',
        'PRELOAD_FOR_DYNACONF',
        'merge_enabled',
        'MERGE_ENABLED',
        'MERGE_ENABLED_FOR_DYNACONF',
        'root_path',
        'ROOT_PATH',
        'ROOT_PATH_FOR_DYNACONF',
        'loaders',
        'LOADERS',
        'LOADERS_FOR_DYNACONF',
        'core_loaders',
        'CORE_LOADERS',
        'CORE_LOADERS_FOR_DYNACONF',
        'nested_separator',
        'NESTED_SEPARATOR',
        'NESTED_SEPARATOR_FOR_DYNACONF',
      ],
    },
    source: {
      url: `${BASE}#L79-L103`,
      quote:
        'mispells = {"settings_files": "settings_file", … "environment": "environments", …} … aliases = {key.upper() for key in kwargs if f"{key.upper()}_FOR_DYNACONF" in for_dynaconf_keys} … kwargs[f"{alias}_FOR_DYNACONF"] = value',
    },
  },
  /**
   * The Django extension's defaults: layered environments on, switched by DJANGO_ENV (the
   * ENV_FOR_DYNACONF variable is read too, DJANGO_ENV winning: default_loader reads the switcher last).
   */
  djangoDefaults: {
    value: { environments: true, envSwitcher: 'DJANGO_ENV', envVariable: 'ENV_FOR_DYNACONF' },
    source: {
      url: `${AT}#L62-L67`,
      quote:
        'options.setdefault("ENV_SWITCHER_FOR_DYNACONF", "DJANGO_ENV") / options.setdefault("ENVIRONMENTS_FOR_DYNACONF", True) (and loaders/__init__.py default_loader: env_value = obj.get_environ(env_switcher if key == "ENV_FOR_DYNACONF" else key, …))',
    },
  },
  /** The environment loaded when no variable names one, and the section every environment gets first. */
  defaultEnv: {
    value: { current: 'development', defaults: 'default', global: 'global' },
    source: {
      url: 'https://www.dynaconf.com/configuration/#environments',
      quote: `ENV_FOR_DYNACONF … default: "DEVELOPMENT" … The [default] env … [global] … (${DEFAULTS}#L102: ENV_FOR_DYNACONF = get(ENV_SWITCHER_FOR_DYNACONF, "DEVELOPMENT"); #L109: DEFAULT_ENV_FOR_DYNACONF = get("DEFAULT_ENV_FOR_DYNACONF", "DEFAULT"))`,
    },
  },
  /**
   * The sections of a file loaded, in order (names compared lower-cased): the default one, one
   * named for the variables' prefix, the current environment, then `global`.
   */
  sections: {
    value: ['default', 'prefix', 'current', 'global'],
    source: {
      url: `${UTILS}#L295-L328`,
      quote:
        'env_list = [obj.get("DEFAULT_ENV_FOR_DYNACONF")] … global_env = obj.get("ENVVAR_PREFIX_FOR_DYNACONF") or "DYNACONF" … env_list.append(obj.current_env) … env_list.append("GLOBAL") … return [env.lower() for env in env_list]',
    },
  },
  /**
   * A relative settings file is searched from the settings module's folder up, with a `config`
   * folder at each level; an absolute one is read where it is; a file not found is skipped.
   */
  search: {
    value: { subfolder: 'config' },
    source: {
      url: `${FILES}#L8-L82`,
      quote:
        'paths.append(current_dir) / paths.append(os.path.join(current_dir, "config")) … if os.path.isabs(filename): return filename if os.path.exists(filename) else "" … return ""  (a file not found is not loaded)',
    },
  },
  /** After the files found, `<name>.local.<ext>` of each, when it exists: loaded last, over them. */
  localFiles: {
    value: { infix: '.local.' },
    source: {
      url: `${SETTINGS_FILES_DOC}#local-configuration-files-and-merging-to-existing-data`,
      quote: `When a settings file is loaded, Dynaconf also looks for a file with the same name but with .local. in its name … (${LOADERS}#L140-L147: found_files.extend([get_local_filename(item) for item in found_files if ".local." not in str(item)]))`,
    },
  },
  /** The settings file formats read here, by extension (YAML, loaded with ruamel's safe_load, YAML 1.2). */
  yamlExtensions: {
    value: ['.yaml', '.yml'],
    source: {
      url: `${SETTINGS_FILES_DOC}#supported-formats`,
      quote:
        'YAML_EXTENSIONS = (".yaml", ".yml") (constants.py); yaml_reader = getattr(yaml, obj.get("YAML_LOADER_FOR_DYNACONF"), yaml.safe_load) (loaders/yaml_loader.py, its vendored ruamel.yaml)',
    },
  },
  /**
   * What makes a value merge into the one before it instead of replacing it (a `dynaconf_merge` key
   * of a mapping, item of a list, or top-level key of the file), and the keys that set a nested
   * value (`DATABASES__default__NAME`, `DATABASES.default.NAME`).
   */
  merging: {
    value: { marker: 'dynaconf_merge', nested: ['__', '.'] },
    source: {
      url: `${BASE_LOADER}#L118-L160`,
      quote:
        'file_merge = file_data.get("dynaconf_merge") … file_merge = file_merge or data.pop("DYNACONF_MERGE", False) (base.py set(): if nested_sep and nested_sep in key: key = key.replace(nested_sep, ".") … if "." in key and dotted_lookup is True: return self._dotted_set(…))',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
