// The configuration readers settings modules build their values with, as the evaluator models them
// (eval/library/pydantic.ts, environs.ts, everett.ts): how each names the environment variable of
// a field or a call, which texts each reads as True or False, and what a default is when the
// variable is not set. Versions Debian packages (pydantic 1.10) are run by test/libdiff; the others
// (pydantic-settings 2, environs, everett) are read from their published source, cited here.
import type { Fact, Library } from './types';

const PYDANTIC_V1 = 'https://github.com/pydantic/pydantic/blob/v1.10.4/pydantic';
const PS = 'https://github.com/pydantic/pydantic-settings/blob/d26fc0c3944fe68cf169f86386988bb83e3df2d8/pydantic_settings';
const ENVIRONS_AT = 'https://github.com/sloria/environs/blob/19d9a36674d1eeda150ad52b9fd8f38b5f3dd636/src/environs/__init__.py';
const EVERETT_AT = 'https://github.com/willkg/everett/blob/ee00cfc728ef647351f6e70b39c188b75270e79f/src/everett/manager.py';

export const PYDANTIC = {
  distribution: 'pydantic',
  modules: ['pydantic'],
  readAt: '1.10.4 (BaseSettings)',
  debian: { package: 'python3-pydantic', version: '1.10.4' },
} as const satisfies Library;

export const PYDANTIC_SETTINGS = {
  distribution: 'pydantic-settings',
  modules: ['pydantic_settings'],
  readAt: '2.15.0',
} as const satisfies Library;

/** pydantic's BaseSettings (1.x: pydantic.BaseSettings; 2.x: pydantic_settings.BaseSettings). */
export const SETTINGS_CLASS = {
  /** The classes a settings class derives from, by dotted name. */
  bases: {
    value: [
      'pydantic.BaseSettings',
      'pydantic.env_settings.BaseSettings',
      'pydantic_settings.BaseSettings',
      'pydantic_settings.main.BaseSettings',
    ],
    source: {
      url: `${PS}/main.py`,
      quote: 'class BaseSettings(BaseModel): """Base class for settings, allowing values to be overridden by environment variables."""',
    },
  },
  /** A field's variable is the prefix and its name (or, 1.x, its `env=`; 2.x, its alias or validation_alias without the prefix). */
  envName: {
    value: 'prefix + field name',
    source: {
      url: `${PS}/sources/base.py#L442-L474`,
      quote:
        "if v_alias: env_prefix = self.env_prefix if self.env_prefix_target in ('alias', 'all') else '' … field_info.append((v_alias, self._apply_case_sensitive(env_prefix + v_alias), False)) … if not v_alias …: env_prefix = self.env_prefix if self.env_prefix_target in ('variable', 'all') else '' … field_info.append((field_name, self._apply_case_sensitive(env_prefix + field_name), False))",
      versions:
        'pydantic-settings 2.x; pydantic 1.x: env_names = {cls.env_prefix + field.name} unless the field gives env= (pydantic/env_settings.py#L97-L110)',
    },
  },
  /** Variable names are matched case-insensitively unless case_sensitive is set. */
  caseSensitive: {
    value: false,
    knob: 'case_sensitive',
    source: {
      url: `${PYDANTIC_V1}/env_settings.py#L90-L117`,
      quote: 'case_sensitive: bool = False … if not cls.case_sensitive: env_names = env_names.__class__(n.lower() for n in env_names)',
      versions: "pydantic 1.x; pydantic-settings 2.x: case_sensitive = self.config.get('case_sensitive', False)",
    },
  },
  envPrefix: {
    value: '',
    knob: 'env_prefix',
    source: {
      url: `${PYDANTIC_V1}/env_settings.py#L82`,
      quote: "env_prefix: str = ''",
      versions: "pydantic 1.x; pydantic-settings 2.x: self.config.get('env_prefix', '')",
    },
  },
  /** The texts pydantic reads as a bool (lower-cased first); anything else fails validation. */
  booleans: {
    value: { true: ['1', 'on', 't', 'true', 'y', 'yes'], false: ['0', 'off', 'f', 'false', 'n', 'no'] },
    source: {
      url: `${PYDANTIC_V1}/validators.py#L102-L103`,
      quote: "BOOL_FALSE = {0, '0', 'off', 'f', 'false', 'n', 'no'} BOOL_TRUE = {1, '1', 'on', 't', 'true', 'y', 'yes'}",
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

export const ENVIRONS = {
  distribution: 'environs',
  modules: ['environs'],
  readAt: '15.1.0',
} as const satisfies Library;

export const ENVIRONS_FACTS = {
  /** A default is returned as given, not parsed: `env.bool("DEBUG", default="False")` is the string "False". */
  defaultAsGiven: {
    value: true,
    source: {
      url: `${ENVIRONS_AT}#L114-L120`,
      quote:
        'parsed_key, value, proxied_key = self._get_from_environ(name, default=Ellipsis) … if value is Ellipsis: if default is not Ellipsis: self._values[parsed_key] = default; return default',
    },
  },
  /** dj_db_url, dj_email_url and dj_cache_url parse their default like a set value. */
  parsedDefault: {
    value: ['dj_db_url', 'dj_email_url', 'dj_cache_url'],
    source: {
      url: `${ENVIRONS_AT}#L157-L176`,
      quote: 'parsed_key, raw_value, proxied_key = self._get_from_environ(name, default) … value = func(raw_value, **kwargs)',
    },
  },
  /** Without a default, an unset variable raises (Env is eager by default). */
  eager: {
    value: true,
    source: {
      url: `${ENVIRONS_AT}#L121-L124`,
      quote: 'if self.eager: raise EnvNotSetError(f\'Environment variable "{proxied_key or parsed_key}" not set\')',
    },
  },
  /** env.list splits on the delimiter (a comma); an empty text is an empty list. */
  listDelimiter: {
    value: ',',
    source: { url: `${ENVIRONS_AT}#L219-L227`, quote: 'return typing.cast("str", value).split(delimiter) if value != "" else []' },
  },
  /** marshmallow's Boolean: the texts env.bool reads as True or False (case as written); anything else is invalid. */
  booleans: {
    value: {
      true: ['t', 'T', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'y', 'Y', 'yes', 'Yes', 'YES', '1'],
      false: ['f', 'F', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', 'n', 'N', 'no', 'No', 'NO', '0'],
    },
    source: {
      url: 'https://github.com/marshmallow-code/marshmallow/blob/3.26.1/src/marshmallow/fields.py',
      quote:
        'class Boolean(Field): #: Default truthy values. truthy = {"t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1", 1} … falsy = {"f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0", 0}',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

export const EVERETT = {
  distribution: 'everett',
  modules: ['everett'],
  readAt: '3.x (willkg/everett at ee00cfc7)',
} as const satisfies Library;

export const EVERETT_FACTS = {
  /** config("debug") reads DEBUG: the key upper-cased (with its namespace). */
  upperCaseKey: {
    value: true,
    source: { url: EVERETT_AT, quote: 'def generate_uppercase_key(key, namespace=None): … key = key.upper(); return key' },
  },
  /** A default is a string, parsed by the parser like a set value. */
  parsedDefault: {
    value: true,
    source: {
      url: EVERETT_AT,
      quote: '# Return the default if there is one: if default is not NO_VALUE: try: parsed_val = parser(default) … return parsed_val',
    },
  },
  /** parser=bool is parse_bool: these texts (lower-cased), anything else raises. */
  booleans: {
    value: { true: ['t', 'true', 'yes', 'y', '1', 'on'], false: ['f', 'false', 'no', 'n', '0', 'off'] },
    source: {
      url: EVERETT_AT,
      quote: 'true_vals = ("t", "true", "yes", "y", "1", "on"); false_vals = ("f", "false", "no", "n", "0", "off"); val = val.lower()',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
