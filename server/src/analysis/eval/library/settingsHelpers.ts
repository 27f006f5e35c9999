// Known helpers that are given the settings module (`django_heroku.settings(locals())`) and write a
// documented, small set of names: modelled by what they write, instead of "may set anything".
import type { CallArgs, EvalApi } from '../api';
import { joinPath } from '../paths';
import * as V from '../values';
import type { Value } from '../values';
import { djDatabaseUrlConfig } from './environment';
import {
  DJ_EASY_LOG_FACTS,
  DYNACONF_CONSTRUCTORS,
  DYNACONF_DJANGO,
  DYNACONF_EXPORTS,
  DYNACONF_SETTINGS_FILES,
} from '../../catalogue/libraries';
import type { CallRecord } from '../scope';

/** The helpers modelled here, by the dotted name of the call. */
export const KNOWN_HELPERS: Readonly<Record<string, (args: CallArgs, api: EvalApi) => void>> = {
  'django_heroku.settings': (args, api) => herokuSettings(DJANGO_HEROKU, args, api),
  'django_on_heroku.settings': (args, api) => herokuSettings(DJANGO_ON_HEROKU, args, api),
  [DJ_EASY_LOG_FACTS.loadLoguru.value.callee]: (args, api) => loadLoguru(args, api),
};

/**
 * django-easy-logging's load_loguru(globals(), …): writes LOGGING, LOGLEVEL and LOGGER into the module and
 * nothing else (catalogue DJ_EASY_LOG_FACTS). LOGGING is the `logging_config` given, else the
 * library's own (version 1, disable_existing_loggers True, a NullHandler for `django`); LOGLEVEL the
 * `loglevel` given, else the LOGLEVEL variable or INFO/ERROR as DEBUG is on or off.
 */
function loadLoguru(args: CallArgs, api: EvalApi): void {
  const facts = DJ_EASY_LOG_FACTS;
  const call = facts.loadLoguru.value;
  const loc = args.loc;
  const str = (s: string): Value => V.str(s, 'derived', loc);
  const level = args.kw.get(call.loglevelKeyword) ?? args.pos[3];
  const given = level !== undefined && level.kind !== 'none' ? level : undefined;
  const byDefault = facts.defaultLoglevel.value;
  const loglevel =
    given ??
    V.unknown(
      `load_loguru()'s level: the ${byDefault.variable} variable, else ${byDefault.whenDebug} with DEBUG on and ${byDefault.otherwise} with it off`,
      loc,
      'str',
    );
  const config = args.kw.get(call.loggingConfigKeyword) ?? args.pos[2];
  let logging: Value;
  if (config !== undefined && config.kind !== 'none') logging = config;
  else {
    const d = facts.defaultLogging.value;
    const dict = V.dict(
      [str('version'), str('disable_existing_loggers')],
      [V.int(d.version, 'derived', loc), V.bool(d.disableExistingLoggers, 'derived', loc)],
      'derived',
      loc,
    );
    dict.partial = true;
    logging = dict;
  }
  const [loggingName, levelName, loggerName] = facts.writes.value;
  api.bindGlobal(loggingName, logging, loc);
  api.bindGlobal(levelName, loglevel, loc);
  api.bindGlobal(loggerName, V.ext('loguru.logger', loc), loc);
}

/**
 * Library calls that take the settings module by its name (`DjangoDynaconf(__name__)`,
 * `Settings(__name__)`, `configure_settings(__name__)`) and may set any of its names afterwards,
 * by the last part of the callee's dotted name: what the call does, for the DDH003 note, and
 * whether it only overlays the deployment's configuration on the module (what the module set stays
 * its default); undefined when a library given `__name__` does something else with it
 * (`logging.getLogger(__name__)`).
 */
export function handsOverByName(
  callee: string,
  args?: CallArgs,
  calls?: readonly CallRecord[],
):
  | {
      readonly what: string;
      readonly overlay: boolean;
      /**
       * The prefixes of the environment variables that replace a name the module set
       * (`<PREFIX>_<NAME>`), given the call's arguments; undefined when they cannot be read.
       */
      readonly envPrefixes?: (args: CallArgs) => readonly string[] | undefined;
    }
  | undefined {
  const exported = args ? dynaconfExport(callee, args, calls ?? []) : undefined;
  if (exported) return exported;
  const last = callee.replace(/\(\)$/, '').split('.').pop() ?? '';
  // dynaconf only overlays what the deployment's settings files and variables say
  if (isDjangoDynaconf(callee))
    return {
      what: "dynaconf loads settings into it from the deployment's settings files and environment variables",
      overlay: true,
      envPrefixes: dynaconfPrefixes,
    };
  if (/^(?:\w*Settings|\w*Config|\w*Configuration|configure\w*|register\w*|\w*_settings|\w*_config)$/i.test(last))
    return { what: 'may set any of its settings', overlay: false };
  return undefined;
}

/** Whether a callee is dynaconf's Django extension (`dynaconf.DjangoDynaconf`, by its last name). */
export function isDjangoDynaconf(callee: string): boolean {
  return callee.replace(/\(\)$/, '').split('.').pop() === DYNACONF_DJANGO.entry.value.split('.').pop();
}

/**
 * A call that exports a dynaconf settings object into the module (catalogue DYNACONF_EXPORTS:
 * `settings.populate_obj(sys.modules[__name__])`, django-ansible-base's `export(__name__,
 * DYNACONF)`): the module ends with what the object read, its files and its `<PREFIX>_<NAME>`
 * variables, over what it set. The prefix is the one the call that made the object gives
 * (DYNACONF_CONSTRUCTORS; the module's last such call, as the object is followed by its name
 * only); undefined, every setting the module set is then as written only as far as the object
 * leaves it, when it cannot be read.
 */
function dynaconfExport(
  callee: string,
  args: CallArgs,
  calls: readonly CallRecord[],
): { readonly what: string; readonly overlay: true; readonly envPrefixes: () => readonly string[] | undefined } | undefined {
  const name = callee.replace(/\(\)$/, '');
  const populate = DYNACONF_EXPORTS.populateObj.value;
  const dab = DYNACONF_EXPORTS.dabExport.value;
  let made: string | undefined;
  if (name.endsWith(`.${populate.method}`)) made = name.slice(0, -populate.method.length - 1);
  else if (name === dab.callee) {
    const obj = args.pos[dab.settingsArg] ?? args.kw.get('settings');
    made = obj?.kind === 'unknown' ? obj.ext : undefined;
  } else return undefined;
  const ctor = made?.endsWith('()') ? made.slice(0, -2) : undefined;
  const { dynaconf, dabFactory, defaultPrefix } = DYNACONF_CONSTRUCTORS;
  const known = ctor !== undefined && ([...dynaconf.value.callees, ...dabFactory.value.callees] as string[]).includes(ctor);
  // populate_obj of something that is not a dynaconf object: not this library's
  if (!known && name !== dab.callee) return undefined;
  const envPrefixes = (): readonly string[] | undefined => {
    if (!known) return undefined;
    const rec = [...calls].reverse().find((c) => c.callee === ctor);
    if (!rec) return undefined;
    const global = DYNACONF_DJANGO.globalEnvPrefix.value;
    let given: Value | undefined;
    if ((dabFactory.value.callees as readonly string[]).includes(ctor!)) given = rec.args[dabFactory.value.prefixArg];
    else given = rec.kwargs.get(dynaconf.value.prefixKeyword);
    if (given === undefined) return [defaultPrefix.value.prefix];
    if (given.kind !== 'str') return undefined;
    const prefix = given.v.toUpperCase();
    return prefix === global ? [global] : [global, prefix];
  };
  const prefixes = envPrefixes();
  const variables = prefixes ? prefixes.map((p) => `${p}_<NAME>`).join(' and ') : '<PREFIX>_<NAME>';
  const what = `exports a dynaconf settings object into it: the module ends with what the library reads from the settings files it loads and from its ${variables} environment variables`;
  return { what, overlay: true, envPrefixes };
}

/**
 * DjangoDynaconf(__name__, ENVVAR_PREFIX_FOR_DYNACONF=…)'s variable prefixes: its global one, then
 * the call's (the catalogue's default when not given); undefined when the given one is not a literal.
 */
function dynaconfPrefixes(args: CallArgs): readonly string[] | undefined {
  // (`envvar_prefix="APP"` is the same option: dynaconf resolves its aliases)
  const given = DYNACONF_SETTINGS_FILES.options.value.envvarPrefix.map((n) => args.kw.get(n)).find((v) => v !== undefined);
  let prefix: string = DYNACONF_DJANGO.envPrefix.value;
  if (given !== undefined) {
    if (given.kind !== 'str') return undefined;
    prefix = given.v.toUpperCase();
  }
  const global = DYNACONF_DJANGO.globalEnvPrefix.value;
  return prefix === global ? [global] : [global, prefix];
}

/**
 * The Heroku helper libraries' settings(config, *, db_colors=False, databases=True,
 * test_runner=True, staticfiles=True, allowed_hosts=True, logging=True, secret_key=True), given the
 * module's namespace. django-heroku (heroku/django-heroku, archived) and its maintained fork
 * django-on-heroku write the same names and differ in three places, which this says.
 */
interface HerokuLibrary {
  /** The call's name, for reasons. */
  readonly call: string;
  /** What TEST_RUNNER becomes when CI is set. */
  readonly runner: string;
  /** django-heroku puts WhiteNoise first; django-on-heroku right after SecurityMiddleware (first without it). */
  readonly whitenoise: 'first' | 'after-security';
  /** django-on-heroku's geodjango=False flag: with it, the database ENGINE becomes its GIS backend. */
  readonly geodjango: boolean;
}

const DJANGO_HEROKU: HerokuLibrary = {
  call: 'django_heroku.settings()',
  runner: 'django_heroku.HerokuDiscoverRunner',
  whitenoise: 'first',
  geodjango: false,
};
const DJANGO_ON_HEROKU: HerokuLibrary = {
  call: 'django_on_heroku.settings()',
  runner: 'django_on_heroku.HerokuDiscoverRunner',
  whitenoise: 'after-security',
  geodjango: true,
};

const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';
const WHITENOISE_MIDDLEWARE = 'whitenoise.middleware.WhiteNoiseMiddleware';
/** The libraries' MAX_CONN_AGE, CONN_MAX_AGE's default when the module does not set one. */
const HEROKU_CONN_MAX_AGE = 600;

/**
 * What settings(locals(), …) writes, in its order:
 * - databases: DATABASES gets {'default': None} when the module has none; when DATABASE_URL is set,
 *   DATABASES['default'] becomes dj_database_url.config(conn_max_age=CONN_MAX_AGE or 600,
 *   ssl_require=True) (with db_colors, each HEROKU_POSTGRESQL_<COLOR>_URL adds a database too).
 *   Heroku sets DATABASE_URL itself, so unless the deployment's files give its value, 'default' is
 *   the environment's (unknown); the module's other databases stay.
 * - test_runner: TEST_RUNNER is the library's runner when CI is set.
 * - staticfiles: STATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles'), STATIC_URL = '/static/',
 *   WhiteNoise added to MIDDLEWARE_CLASSES when the module has it, else MIDDLEWARE (a tuple then),
 *   and the WhiteNoise storage.
 * - allowed_hosts: ALLOWED_HOSTS = ['*']. logging: a LOGGING configuration.
 * - secret_key: SECRET_KEY from the environment when SECRET_KEY is set.
 * A flag the analysis cannot read makes what it controls unknown.
 */
function herokuSettings(lib: HerokuLibrary, args: CallArgs, api: EvalApi): void {
  const loc = args.loc;
  const flag = (name: string, byDefault: boolean): boolean | undefined => {
    const v = args.kw.get(name);
    // a flag read from the environment may be either where the deployment sets it
    return v === undefined ? byDefault : v.env?.length ? undefined : V.truthy(v);
  };
  const bound = (name: string): Value | undefined => (api.globalNames().includes(name) ? api.lookup(name, loc) : undefined);
  const str = (s: string): Value => V.str(s, 'derived', loc);
  // `'X' in os.environ`: set when the deployment's files or the settings code put it there
  const isSet = (name: string): boolean => api.envValue(name) !== undefined;
  /** Binds what a part writes: known when its flag is, unknown when the flag cannot be read. */
  const part = (name: string, on: boolean | undefined, names: readonly string[], write: () => void): void => {
    if (on === true) write();
    else if (on === undefined)
      for (const n of names) api.bindGlobal(n, V.unknown(`${lib.call} may set it (its ${name} flag is unknown)`, loc), loc);
  };

  part('databases', flag('databases', true), ['DATABASES'], () => {
    const current = bound('DATABASES');
    const colors = flag('db_colors', false);
    if (colors !== false) {
      api.bindGlobal('DATABASES', V.unknown(`${lib.call} adds a database for each HEROKU_POSTGRESQL_*_URL variable`, loc, 'dict'), loc);
      return;
    }
    if (current !== undefined && (current.kind !== 'dict' || current.partial)) {
      api.bindGlobal('DATABASES', V.unknownFrom([current], `${lib.call} sets DATABASES["default"] from DATABASE_URL`, loc, 'dict'), loc);
      return;
    }
    const db = current
      ? { ...V.dict([...current.keys], [...current.values], current.origin, current.loc ?? loc), env: current.env }
      : V.dict([str('default')], [V.none('derived', loc)], 'derived', loc);
    const geodjango = lib.geodjango ? flag('geodjango', false) : false;
    if (isSet('DATABASE_URL')) {
      if (isSet('CI') || geodjango !== false) {
        const why = geodjango !== false ? 'puts the GIS backend in its ENGINE (geodjango)' : 'adds a TEST database to it when CI is set';
        V.dictSet(db, str('default'), V.unknown(`${lib.call} reads DATABASES["default"] from DATABASE_URL and ${why}`, loc, 'dict'));
      } else {
        const cma = bound('CONN_MAX_AGE') ?? V.int(HEROKU_CONN_MAX_AGE, 'derived', loc);
        const kw = new Map<string, Value>([
          ['conn_max_age', cma],
          ['ssl_require', V.bool(true, 'derived', loc)],
        ]);
        V.dictSet(db, str('default'), djDatabaseUrlConfig({ pos: [], kw, kwLocs: new Map(), loc, unknownSplat: false }, api));
      }
    } else {
      // Heroku sets DATABASE_URL itself: the database is the environment's
      const env: V.EnvRef = { name: 'DATABASE_URL', style: 'dj-database-url', hasDefault: false, loc };
      V.dictSet(db, str('default'), {
        ...V.unknown(`${lib.call} sets DATABASES["default"] from DATABASE_URL, which Heroku sets`, loc, 'dict'),
        env: [env],
      });
    }
    api.bindGlobal('DATABASES', db, loc);
  });

  part('test_runner', flag('test_runner', true), ['TEST_RUNNER'], () => {
    if (isSet('CI')) api.bindGlobal('TEST_RUNNER', str(lib.runner), loc);
  });

  part('staticfiles', flag('staticfiles', true), ['STATIC_ROOT', 'STATIC_URL', 'MIDDLEWARE', 'STATICFILES_STORAGE'], () => {
    const base = bound('BASE_DIR');
    const root =
      base?.kind === 'str' || base?.kind === 'path'
        ? V.derive(V.str(joinPath(base.v, 'staticfiles')), loc, [base])
        : V.unknown('STATIC_ROOT is BASE_DIR/staticfiles, with BASE_DIR unknown', loc, 'str');
    api.bindGlobal('STATIC_ROOT', root, loc);
    api.bindGlobal('STATIC_URL', str('/static/'), loc);
    const name = bound('MIDDLEWARE_CLASSES') ? 'MIDDLEWARE_CLASSES' : 'MIDDLEWARE';
    api.bindGlobal(name, withWhiteNoise(lib, bound(name), name, loc), loc);
    api.bindGlobal('STATICFILES_STORAGE', str('whitenoise.storage.CompressedManifestStaticFilesStorage'), loc);
  });

  part('allowed_hosts', flag('allowed_hosts', true), ['ALLOWED_HOSTS'], () =>
    api.bindGlobal('ALLOWED_HOSTS', V.seq('list', [str('*')], 'derived', loc), loc),
  );

  part('logging', flag('logging', true), ['LOGGING'], () => {
    const logging = V.dict(
      [str('version'), str('disable_existing_loggers')],
      [V.int(1, 'derived', loc), V.bool(false, 'derived', loc)],
      'derived',
      loc,
    );
    logging.partial = true;
    api.bindGlobal('LOGGING', logging, loc);
  });

  part('secret_key', flag('secret_key', true), ['SECRET_KEY'], () => {
    const set = api.envValue('SECRET_KEY');
    // `if 'SECRET_KEY' in os.environ: config['SECRET_KEY'] = os.environ['SECRET_KEY']`
    if (set) {
      api.bindGlobal('SECRET_KEY', set, loc);
      return;
    }
    const key = bound('SECRET_KEY');
    if (key && key.kind !== 'unknown' && key.kind !== 'object' && key.origin !== 'env-default') {
      api.bindGlobal(
        'SECRET_KEY',
        { ...key, origin: 'env-default', env: [{ name: 'SECRET_KEY', style: 'os', hasDefault: true, loc }, ...(key.env ?? [])] },
        loc,
      );
    }
  });
}

/**
 * `tuple([WhiteNoise] + list(config[name]))` (django-heroku), or the list with WhiteNoise inserted
 * after SecurityMiddleware, first without it (django-on-heroku), as a tuple.
 */
function withWhiteNoise(lib: HerokuLibrary, current: Value | undefined, name: string, loc: V.Loc): Value {
  const items = current?.kind === 'list' || current?.kind === 'tuple' ? current.items : undefined;
  if (!items || !current) return V.unknown(`${lib.call} adds WhiteNoise to ${name}, which the analysis cannot read`, loc, 'tuple');
  const white = V.str(WHITENOISE_MIDDLEWARE, 'derived', loc);
  let at = 0;
  if (lib.whitenoise === 'after-security') {
    const i = items.findIndex((x) => x.kind === 'str' && x.v === SECURITY_MIDDLEWARE);
    // an item the analysis cannot read before it (or anywhere, when it is not there) may be it
    if (items.slice(0, i < 0 ? items.length : i).some((x) => x.kind !== 'str'))
      return V.unknownFrom(
        [current],
        `${lib.call} puts WhiteNoise after SecurityMiddleware in ${name}, whose place is unknown`,
        loc,
        'tuple',
      );
    at = i + 1;
  }
  return {
    ...V.seq('tuple', [...items.slice(0, at), white, ...items.slice(at)], V.combineOrigins(current), loc),
    optional: (current as V.SeqValue).optional,
  };
}
