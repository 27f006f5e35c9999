// Dynaconf's Django extension: `settings = dynaconf.DjangoDynaconf(__name__)` at the end of a
// settings module overrides any upper-case name from DJANGO_* environment variables (and its
// settings files). Read from Debian's dynaconf 3.1.7 (dynaconf/contrib/django_dynaconf_v2.py).
import type { Fact, Library } from './types';

const AT = 'https://github.com/dynaconf/dynaconf/blob/3.1.7/dynaconf/contrib/django_dynaconf_v2.py';

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
  /** The prefix of the environment variables it reads for Django. */
  envPrefix: {
    value: 'DJANGO',
    source: { url: `${AT}#L64`, quote: 'options.setdefault("ENVVAR_PREFIX_FOR_DYNACONF", "DJANGO")' },
  },
} as const satisfies Record<string, Fact<unknown>>;
