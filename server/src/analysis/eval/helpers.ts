// Known helpers that are given the settings module (`django_heroku.settings(locals())`) and write a
// documented, small set of names: modelled by what they write, instead of "may set anything".
import type { CallArgs, EvalApi } from './library';
import { joinPath } from './paths';
import * as V from './values';
import type { Value } from './values';

/** The helpers modelled here, by the dotted name of the call. */
export const KNOWN_HELPERS: Readonly<Record<string, (args: CallArgs, api: EvalApi) => void>> = {
  'django_heroku.settings': djangoHerokuSettings,
};

/**
 * Library calls that take the settings module by its name (`DjangoDynaconf(__name__)`,
 * `Settings(__name__)`, `configure_settings(__name__)`) and may set any of its names afterwards,
 * by the last part of the callee's dotted name: what the call does, for the DDH003 note, and
 * whether it only overlays the deployment's configuration on the module (what the module set stays
 * its default); undefined when a library given `__name__` does something else with it
 * (`logging.getLogger(__name__)`).
 */
export function handsOverByName(callee: string): { readonly what: string; readonly overlay: boolean } | undefined {
  const last = callee.replace(/\(\)$/, '').split('.').pop() ?? '';
  // dynaconf only overlays what the deployment's settings files and variables say
  if (last === 'DjangoDynaconf')
    return { what: "dynaconf loads settings into it from the deployment's settings files and environment variables", overlay: true };
  if (/^(?:\w*Settings|\w*Config|\w*Configuration|configure\w*|register\w*|\w*_settings|\w*_config)$/i.test(last))
    return { what: 'may set any of its settings', overlay: false };
  return undefined;
}

/**
 * django-heroku's settings(config, *, databases=True, test_runner=True, staticfiles=True,
 * allowed_hosts=True, logging=True, secret_key=True): ALLOWED_HOSTS = ["*"]; DATABASES from
 * DATABASE_URL (set on Heroku, so unknown here); STATIC_ROOT (BASE_DIR/staticfiles), STATIC_URL,
 * WhiteNoise put first in MIDDLEWARE and its storage; a LOGGING configuration; SECRET_KEY from the
 * environment when SECRET_KEY is set (what is written stays its default); TEST_RUNNER only on CI.
 */
function djangoHerokuSettings(args: CallArgs, api: EvalApi): void {
  const loc = args.loc;
  const on = (flag: string): boolean => {
    const v = args.kw.get(flag);
    return v === undefined || V.truthy(v) !== false;
  };
  const bound = (name: string): Value | undefined => (api.globalNames().includes(name) ? api.lookup(name, loc) : undefined);
  const str = (s: string): Value => V.str(s, 'derived', loc);
  if (on('allowed_hosts')) api.bindGlobal('ALLOWED_HOSTS', V.seq('list', [str('*')], 'derived', loc), loc);
  if (on('databases'))
    api.bindGlobal(
      'DATABASES',
      V.unknown('django_heroku.settings() sets DATABASES["default"] from DATABASE_URL, which Heroku sets', loc, 'dict'),
      loc,
    );
  if (on('staticfiles')) {
    const base = bound('BASE_DIR');
    const root =
      base?.kind === 'str' || base?.kind === 'path'
        ? V.derive(V.str(joinPath(base.v, 'staticfiles')), loc, [base])
        : V.unknown('STATIC_ROOT is BASE_DIR/staticfiles, with BASE_DIR unknown', loc, 'str');
    api.bindGlobal('STATIC_ROOT', root, loc);
    api.bindGlobal('STATIC_URL', str('/static/'), loc);
    const name = bound('MIDDLEWARE_CLASSES') ? 'MIDDLEWARE_CLASSES' : 'MIDDLEWARE';
    const current = bound(name);
    const items = current?.kind === 'list' || current?.kind === 'tuple' ? current.items : undefined;
    api.bindGlobal(
      name,
      items && current
        ? {
            ...V.seq('tuple', [str('whitenoise.middleware.WhiteNoiseMiddleware'), ...items], V.combineOrigins(current), loc),
            optional: (current as V.SeqValue).optional,
          }
        : V.unknown(`django_heroku.settings() puts WhiteNoise first in ${name}, which the analysis cannot read`, loc, 'tuple'),
      loc,
    );
    api.bindGlobal('STATICFILES_STORAGE', str('whitenoise.storage.CompressedManifestStaticFilesStorage'), loc);
  }
  if (on('logging')) {
    const logging = V.dict(
      [str('version'), str('disable_existing_loggers')],
      [V.int(1, 'derived', loc), V.bool(false, 'derived', loc)],
      'derived',
      loc,
    );
    logging.partial = true;
    api.bindGlobal('LOGGING', logging, loc);
  }
  if (on('secret_key')) {
    const key = bound('SECRET_KEY');
    // `if 'SECRET_KEY' in os.environ: config['SECRET_KEY'] = os.environ['SECRET_KEY']`
    if (key && key.kind !== 'unknown' && key.kind !== 'object' && key.origin !== 'env-default') {
      api.bindGlobal(
        'SECRET_KEY',
        { ...key, origin: 'env-default', env: [{ name: 'SECRET_KEY', style: 'os', hasDefault: true, loc }, ...(key.env ?? [])] },
        loc,
      );
    }
  }
}
