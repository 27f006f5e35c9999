// DDH805: Django's per-site cache in front of an API whose callers authenticate by a request header
// (DRF's token, JWT or knox classes, a django-ninja API's bearer auth) and whose views require
// authentication: the cache keys a page by its URL and the headers its Vary names, DRF adds no
// `Vary: Authorization`, so one caller's 200 is served from the cache to every other caller,
// anonymous ones included, until it expires.
import { SITE_CACHE_KEY } from '../../catalogue/djangoMiddleware';
import { DRF_AUTHENTICATION, DRF_KEYS, DRF_PERMISSIONS, DRF_VARY, REST_FRAMEWORK } from '../../catalogue/libraries';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { find, readMiddleware } from '../middleware/order';
import { echoable, placeOf } from '../helpers';
import type { Rule, RuleContext } from '../types';

const CONFIG = REST_FRAMEWORK.settings.config.name;

/** Known as written in the settings (not the environment's, nor a default it may replace). */
function fixed(v: Value | null | undefined): v is Value {
  return !!v && v.kind !== 'unknown' && v.origin !== 'env' && v.origin !== 'env-default' && !v.overriddenBy?.length;
}

/** The class name of a dotted path, for messages (list items are user text: only a name that looks like one is repeated). */
function shortName(dotted: string): string {
  return echoable(dotted.slice(dotted.lastIndexOf('.') + 1)) ?? 'a class';
}

type Reading = { items: string[]; loc: Loc | undefined; set: boolean } | { unknown: string; loc: Loc | undefined };

/** A key of REST_FRAMEWORK: its classes as written, DRF's default when absent, or why it cannot be read. */
function drfKey(ctx: RuleContext, key: { value: string; default: readonly string[] }): Reading {
  const conf = ctx.settings.get(CONFIG);
  const name = `${CONFIG}["${key.value}"]`;
  if (!conf.isSet) return { items: [...key.default], loc: undefined, set: false };
  if (!fixed(conf.value) || conf.value.kind !== 'dict') return { unknown: `${CONFIG} is not known statically`, loc: conf.loc };
  const v = V.dictGetStr(conf.value, key.value);
  if (v === null) return { items: [...key.default], loc: undefined, set: false };
  const items = fixed(v) ? V.strItems(v) : undefined;
  if (!items) return { unknown: `${name} is not known statically`, loc: conf.loc };
  return { items, loc: ctx.settings.locOf(v) ?? conf.loc, set: true };
}

/** Who authenticates by a header, and where the views are said to require authentication. */
interface HeaderApi {
  /** `rest_framework.authentication.TokenAuthentication, api/settings.py:40`. */
  readonly by: string;
  /** `DEFAULT_PERMISSION_CLASSES, IsAuthenticated, api/settings.py:44`, or the views that ask for it. */
  readonly required: string;
}

/** Django REST framework's reading: a header class set, and authentication required by default or by views naming a class. */
function drfApi(ctx: RuleContext): HeaderApi | { none: string } | { unknown: string; loc?: Loc } {
  const auth = drfKey(ctx, DRF_KEYS.authenticationClasses);
  const authName = `${CONFIG}["${DRF_KEYS.authenticationClasses.value}"]`;
  if ('unknown' in auth) return auth;
  // DRF's default (SessionAuthentication, BasicAuthentication) is the browsable API's: not judged
  if (!auth.set) return { none: `${authName} is not set (DRF's default authenticates browsers by the session, which adds Vary: Cookie)` };
  const header = auth.items.filter((c) => DRF_AUTHENTICATION.value[c] === 'header');
  if (header.length === 0) {
    const other = auth.items.find((c) => DRF_AUTHENTICATION.value[c] === undefined);
    return other
      ? { unknown: `${authName} holds ${shortName(other)}, whose way of authenticating is not known`, loc: auth.loc }
      : { none: `${authName} authenticates by the session only, which adds Vary: Cookie` };
  }
  // (catalogue names: echoed whole, so knox's TokenAuthentication is told from DRF's)
  const by = `${header.join(', ')}${auth.loc ? `, ${placeOf(ctx, auth.loc)}` : ''}`;
  const perms = drfKey(ctx, DRF_KEYS.permissionClasses);
  if ('unknown' in perms) return perms;
  const permName = `${CONFIG}["${DRF_KEYS.permissionClasses.value}"]`;
  const requiring = perms.items.find((c) => DRF_PERMISSIONS.value[c] === 'authenticated');
  if (requiring)
    return {
      by,
      required: `${DRF_KEYS.permissionClasses.value}, ${shortName(requiring)}${perms.loc ? `, ${placeOf(ctx, perms.loc)}` : ''}`,
    };
  const other = perms.items.find((c) => DRF_PERMISSIONS.value[c] === undefined);
  if (other) return { unknown: `${permName} holds ${shortName(other)}, which may or may not require authentication`, loc: perms.loc };
  // the default lets anyone in: views that name a class requiring authentication
  for (const c of Object.keys(DRF_PERMISSIONS.value)) {
    if (DRF_PERMISSIONS.value[c] !== 'authenticated') continue;
    const named = ctx.codeMentions(shortName(c));
    if (named?.state === 'yes') return { by, required: `views: ${named.why}` };
  }
  return {
    none: `no view is seen to require authentication (${permName} ${perms.set ? 'lets anyone in' : "is DRF's default, AllowAny"}, and no module names a permission class that requires it)`,
  };
}

export const siteCacheHeaderAuth: Rule = {
  code: 'DDH805',
  name: 'site-cache-header-auth',
  title: 'Per-site cache serves authenticated API responses to anyone',
  severity: 'warning',
  group: 'caches-sessions-email',
  checklist: 'cache',
  target: 'settings',
  docs: {
    what: "Reports Django's per-site cache (`UpdateCacheMiddleware` and `FetchFromCacheMiddleware` in MIDDLEWARE) on an API whose callers authenticate by a request header and whose views require authentication: Django REST framework with a header class in `DEFAULT_AUTHENTICATION_CLASSES` (`TokenAuthentication`, simplejwt's `JWTAuthentication`, knox, OAuth2, Basic) and `DEFAULT_PERMISSION_CLASSES` requiring an authenticated caller (`IsAuthenticated`, `IsAdminUser`, `DjangoModelPermissions`) or, with DRF's default `AllowAny`, a module of the project naming one of those classes (views that set it); or a django-ninja API whose API object authenticates by a header (`NinjaAPI(auth=HttpBearer subclass)`, ninja-jwt's `JWTAuth`). Not reported when `CACHE_MIDDLEWARE_SECONDS` is 0, when authentication is by the session only (SessionMiddleware then adds `Vary: Cookie`), or when the project's code adds `Authorization` to the Vary header (`vary_on_headers(\"Authorization\")`, `patch_vary_headers(response, [\"Authorization\"])`). DRF's default authentication classes (the session, then Basic) are not judged.",
    why: "The per-site cache keys a page by its URL and by the request headers the response names in `Vary`, nothing else, and FetchFromCacheMiddleware answers from the cache before any view or authentication runs. DRF adds only `Vary: Accept` (when a view has several renderers), never `Authorization`, and a token, JWT or bearer authentication reads no session, so nothing adds `Vary: Cookie` either. The first 200 answer to an authenticated GET is stored under its URL for `CACHE_MIDDLEWARE_SECONDS` (600 by default) and served to every later request for that URL: another user gets the first caller's data, and a caller without any token gets past authentication. A warning rather than an error: a view may still opt out (`never_cache`, `Cache-Control: private`), and which GET views answer per-caller data is not read.",
    example:
      'MIDDLEWARE = [\n    "django.middleware.cache.UpdateCacheMiddleware",\n    ...\n    "django.middleware.cache.FetchFromCacheMiddleware",\n]\nREST_FRAMEWORK = {\n    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],\n    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],\n}',
    fix: 'Remove the per-site cache middleware and cache only public views with `cache_page`, or cache data inside the views with the low-level cache API keyed by the user. If the whole site must be cached, make every response vary on the credential: a middleware listed below `UpdateCacheMiddleware` that calls `patch_vary_headers(response, ["Authorization"])` (or `vary_on_headers("Authorization")` on every authenticated view), so that each token gets its own cache entry. No quick fix is offered: which views may stay cached is the project\'s decision.',
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    ...\n]\n# public views only\n@cache_page(60 * 15)\ndef catalogue(request): ...',
    references: [
      { title: 'Django: the per-site cache', url: 'https://docs.djangoproject.com/en/stable/topics/cache/#the-per-site-cache' },
      { title: 'Django: using Vary headers', url: 'https://docs.djangoproject.com/en/stable/topics/cache/#using-vary-headers' },
      {
        title: 'Django source: learn_cache_key (django/utils/cache.py)',
        url: 'https://github.com/django/django/blob/4.2/django/utils/cache.py',
      },
      {
        title: 'Django REST framework: TokenAuthentication',
        url: 'https://www.django-rest-framework.org/api-guide/authentication/#tokenauthentication',
      },
      { title: 'DRF 3.14.0 source: APIView.default_response_headers', url: DRF_VARY.source.url },
    ],
  },
  check(ctx) {
    const list = readMiddleware(ctx);
    if (!list) return;
    const [updateName, fetchName] = SITE_CACHE_KEY.value.middleware;
    const update = find(list, updateName);
    const fetch = find(list, fetchName);
    if (!update || !fetch)
      return list.complete
        ? ctx.notApplicable('the per-site cache (UpdateCacheMiddleware with FetchFromCacheMiddleware) is not installed')
        : ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
    const seconds = ctx.settings.get(SITE_CACHE_KEY.value.secondsSetting);
    if (seconds.isSet && fixed(seconds.value) && seconds.value.kind === 'int' && seconds.value.v === 0)
      return ctx.notApplicable(`${SITE_CACHE_KEY.value.secondsSetting} is 0: the per-site cache stores nothing`);
    // who authenticates by a header: DRF, else a django-ninja API (the app kind's header-only answer without DRF)
    const drfInstalled = ctx.settings.contains('INSTALLED_APPS', REST_FRAMEWORK.apps.restFramework);
    let api: HeaderApi | { none: string } | { unknown: string; loc?: Loc };
    if (drfInstalled !== false || ctx.settings.get(CONFIG).isSet) api = drfApi(ctx);
    else {
      const ninja = ctx.appKind?.headerOnlyApi;
      api =
        ninja?.state === 'yes'
          ? { by: ninja.why, required: "the API object's auth=" }
          : { none: 'no API authenticating by a header is seen' };
    }
    if ('none' in api) return ctx.notApplicable(api.none);
    if ('unknown' in api) return ctx.unknown(api.unknown, api.loc);
    const vary = ctx.codeVariesOnAuthorization;
    if (vary?.state === 'yes') return ctx.notApplicable(`the responses vary on Authorization: ${vary.why}`);
    if (vary?.state === 'unknown') return ctx.unknown(vary.why);
    const secondsText =
      seconds.isSet && fixed(seconds.value) && seconds.value.kind === 'int'
        ? `${seconds.value.v} seconds`
        : `${SITE_CACHE_KEY.value.defaultSeconds} seconds by default`;
    ctx.report({
      loc: update.loc,
      message: `Per-site cache on a header-authenticated API (${api.by}; required by ${api.required}): pages are keyed by URL and Vary, none on Authorization, so one caller's 200 goes to every caller, tokenless ones too, for ${secondsText}.`,
    });
  },
};
