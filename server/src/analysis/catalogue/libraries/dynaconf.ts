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
