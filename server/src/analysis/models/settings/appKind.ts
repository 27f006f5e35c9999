// The kind of app the production settings and the URLconf show, for rules whose advice presumes
// one: whether django.contrib.staticfiles is installed (collectstatic exists only with it), and
// whether the app is a token-only JSON API — Django REST framework authenticating by a header only,
// rendering JSON only, routing no admin, login or template view, and no code of the project using
// the session or rendering a template. Each answer is yes, no or unknown with why and where it is
// said (file:line). Unknown whenever the evidence is partial: a rule then keeps its usual advice.
import * as path from 'node:path';
import { DRF_AUTHENTICATION, DRF_KEYS, DRF_RENDERERS, DRF_ROUTERS, REST_FRAMEWORK } from '../../catalogue/libraries';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { devReasonOfPath } from '../../readers/devPaths';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { lineIndexAt } from '../../base/lines';
import { relPath } from '../../base/relPath';
import { routeTargets } from '../project/urls';
import { MW } from './middleware';
import type { Settings } from './settings';

export interface AppKindAnswer {
  readonly state: 'yes' | 'no' | 'unknown';
  /** Why, with the places it is said (`settings.py:40`). */
  readonly why: string;
  /** For a message: what the app is and where that is said, in a few words (`a token-only JSON API, mysite/settings.py:39`). */
  readonly brief?: string;
}

export interface AppKind {
  /** Whether 'django.contrib.staticfiles' is in INSTALLED_APPS. */
  readonly staticfiles: AppKindAnswer;
  /** Whether the app is a DRF API whose callers authenticate by a header only (DEFAULT_AUTHENTICATION_CLASSES without SessionAuthentication). */
  readonly headerOnlyApi: AppKindAnswer;
  /** Whether, besides, it answers JSON only and serves no page: no HTML renderer, no TEMPLATES DIRS, no admin, auth or template route, no module rendering a template or using the session. */
  readonly tokenJsonApi: AppKindAnswer;
}

export interface AppKindInput {
  readonly settings: Settings;
  readonly fs: FileSystem;
  readonly importRoots: readonly string[];
  /** The project's files (its Python modules are searched for session use and template rendering). */
  readonly files: readonly ScannedFile[];
  readonly root: string;
  /** Where messages name files from. */
  readonly shownRoot: string;
}

const STATICFILES_APP = 'django.contrib.staticfiles';
/** How the reason that the static files app is not installed starts (the checklist's collectstatic item says it). */
export const NO_STATICFILES_APP = `'${STATICFILES_APP}' is not in INSTALLED_APPS`;
const SESSIONS_APP = 'django.contrib.sessions';
/** At most this many Python modules are searched; beyond, whether the code uses sessions is unknown. */
const MAX_MODULES = 3000;

/**
 * Code that serves a page or uses the session: rendering a template into a response, a template
 * view, reading or writing request.session, logging a user in (which starts a session).
 */
const PAGE_OR_SESSION =
  /\brequest\.session\b|\brender\(\s*request\b|\bTemplateResponse\b|\bTemplateView\b|\brender_to_response\(|\btemplate_name\s*=|\bauth\.login\(|\blogin\(\s*request\b|\bLoginView\b/;

/** A route to the admin or to Django's auth views (pages with a session). */
const PAGE_ROUTE = /\badmin\.site\b|\bauth_views\b|\bLoginView\b|\bLogoutView\b|\bTemplateView\b|\bRedirectView\b|\bflatpages\b/;

function lineOf(fs: FileSystem, loc: Loc): number {
  return lineIndexAt(fs.readText(loc.file) ?? '', loc.start) + 1;
}

/** True when the value is written in the files as it runs (not from the environment, nor a default it may replace). */
function fixed(v: Value): boolean {
  return v.kind !== 'unknown' && v.origin !== 'env' && v.origin !== 'env-default' && !v.overriddenBy?.length && !V.holdsWholeEnvironment(v);
}

export function appKind(input: AppKindInput): AppKind {
  const { settings, fs } = input;
  const at = (loc: Loc | undefined): string => (loc ? `${relPath(input.shownRoot, loc.file)}:${lineOf(fs, loc)}` : 'the settings');
  const apps = settings.get('INSTALLED_APPS');
  const appsAt = at(apps.loc);
  // never set: Django's default has no apps, but a settings module that sets none is more likely not the one that runs
  const staticIn = apps.isSet && fixed(apps.value) ? settings.contains('INSTALLED_APPS', STATICFILES_APP) : undefined;
  // an AppConfig of the app (Django's docs subclass StaticFilesConfig to change ignore_patterns) installs it too
  const namesake = staticIn === false ? settings.strings('INSTALLED_APPS')?.find((a) => /static/i.test(a)) : undefined;
  const staticfiles: AppKindAnswer =
    namesake !== undefined
      ? { state: 'unknown', why: `INSTALLED_APPS (${appsAt}) lists ${namesake}, which may be the static files app's configuration` }
      : staticIn === undefined
        ? { state: 'unknown', why: apps.isSet ? `INSTALLED_APPS (${appsAt}) is not known statically` : 'INSTALLED_APPS is never set' }
        : staticIn
          ? { state: 'yes', why: `'${STATICFILES_APP}' is in INSTALLED_APPS (${appsAt})` }
          : { state: 'no', why: `${NO_STATICFILES_APP} (${appsAt}), so there is no collectstatic command` };
  const header = headerOnly(input, at);
  return { staticfiles, headerOnlyApi: header.answer, tokenJsonApi: tokenJsonApi(input, at, header) };
}

/**
 * Code that sends mail through Django: its mail API imported (`django.core.mail`, `from django.core
 * import mail`), a user's email_user(), the password-reset views or form, the auth URLconf that
 * routes them.
 */
const MAIL_CODE =
  /\bdjango\.core\.mail\b|\bfrom[ \t]+django\.core[ \t]+import[ \t]+mail\b|\.email_user\(|\bPasswordReset(?:View|Form)\b|\bdjango\.contrib\.auth\.urls\b|\bpassword_reset\b/;

/** The project's own modules (not tests, migrations or development files), at most MAX_MODULES; `more` when there are others. */
function ownModules(input: AppKindInput): { modules: { path: string; rel: string }[]; more: boolean } {
  const modules: { path: string; rel: string }[] = [];
  for (const f of input.files) {
    if (f.kind !== 'python' && f.kind !== 'urls') continue;
    const rel = path.relative(input.root, f.path);
    if (devReasonOfPath(rel) || /(^|[\\/])(migrations|tests?)([\\/]|$)|(^|[\\/])test_[^\\/]*$/.test(rel)) continue;
    if (modules.length >= MAX_MODULES) return { modules, more: true };
    modules.push({ path: f.path, rel });
  }
  return { modules, more: false };
}

/**
 * The first place the project's own modules (not tests, migrations or development files) match
 * `code`: yes with where and what; unknown when there are too many modules to search; no, said by `none`.
 */
function codeMatching(input: AppKindInput, code: RegExp, searched: string, none: (count: number) => string): AppKindAnswer {
  const { modules, more } = ownModules(input);
  for (const m of modules) {
    const text = input.fs.readText(m.path);
    const hit = text === undefined ? null : code.exec(text);
    if (hit)
      return {
        state: 'yes',
        why: `${relPath(input.shownRoot, m.path)}:${lineOf(input.fs, { file: m.path, start: hit.index, end: hit.index })} uses ${hit[0]}`,
      };
  }
  if (more) return { state: 'unknown', why: `the project has too many modules to search for ${searched}` };
  return { state: 'no', why: none(modules.length) };
}

/**
 * Whether the project's own code sends mail through Django: its mail API, a user's email_user(), the
 * password-reset views (the project's modules, not tests, migrations or development files).
 */
export function codeSendsMail(input: AppKindInput): AppKindAnswer {
  return codeMatching(
    input,
    MAIL_CODE,
    'mail',
    (n) => `none of the project's ${n} modules sends mail through Django (its mail API, email_user(), the password-reset views)`,
  );
}

/**
 * Code that uses Django's cache: its API imported (`django.core.cache`, `from django.core import
 * cache`), `caches[...]`, the per-view cache decorators, DRF's throttles (their counters live in the
 * default cache: rest_framework/throttling.py SimpleRateThrottle.cache), django-ratelimit's decorator.
 */
const CACHE_CODE =
  /\bdjango\.core\.cache\b(?!\.backends)|\bfrom[ \t]+django\.core[ \t]+import[ \t]+cache\b|\bcaches\[|\bcache_page\b|\bthrottle_classes\b|\b(?:UserRate|AnonRate|ScopedRate|SimpleRate)Throttle\b|\bDEFAULT_THROTTLE_CLASSES\b|@ratelimit\b/;

/**
 * Whether the project's own code uses Django's cache (CACHE_CODE; the project's modules, not its
 * settings modules, tests, migrations or development files). Templates are not searched: a
 * `{% cache %}` tag is the one use this does not see.
 */
export function codeUsesCache(input: AppKindInput): AppKindAnswer {
  return codeMatching(
    input,
    CACHE_CODE,
    'the cache',
    (n) => `none of the project's ${n} modules uses Django's cache (its API, the cache decorators, DRF's throttles, django-ratelimit)`,
  );
}

/** Where `word` stands in a text as a whole identifier (not inside a longer name), or -1. */
function identifierAt(text: string, word: string): number {
  const part = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) if (!part(text[i - 1]) && !part(text[i + word.length])) return i;
  return -1;
}

/**
 * Whether the project's own code (its modules, not tests, migrations or development files) names
 * the identifier `word` anywhere, an import, a call or a comment alike: yes with the first place,
 * no, or unknown when the project has too many modules to search.
 */
export function codeMentions(input: AppKindInput, word: string): AppKindAnswer {
  const { modules, more } = ownModules(input);
  for (const m of modules) {
    const text = input.fs.readText(m.path);
    const at = text === undefined ? -1 : identifierAt(text, word);
    if (at >= 0)
      return {
        state: 'yes',
        why: `${relPath(input.shownRoot, m.path)}:${lineOf(input.fs, { file: m.path, start: at, end: at })} names ${word}`,
      };
  }
  if (more) return { state: 'unknown', why: `the project has too many modules to search for ${word}` };
  return { state: 'no', why: `none of the project's ${modules.length} modules names ${word}` };
}

type KeyReading = { items: string[] | undefined; loc: Loc | undefined; set: boolean };

/** Whether the app is a DRF API whose every caller authenticates by a header (not the session cookie), and how REST_FRAMEWORK's keys read. */
function headerOnly(
  input: AppKindInput,
  at: (loc: Loc | undefined) => string,
): { answer: AppKindAnswer; auth?: KeyReading; key?: (k: { value: string; default: readonly string[] }) => KeyReading } {
  const { settings } = input;
  const unknown = (why: string) => ({ answer: { state: 'unknown' as const, why } });
  const no = (why: string) => ({ answer: { state: 'no' as const, why } });
  const apps = settings.get('INSTALLED_APPS');
  if (!fixed(apps.value)) return unknown('INSTALLED_APPS is not known statically');
  const drf = settings.contains('INSTALLED_APPS', REST_FRAMEWORK.apps.restFramework);
  if (drf === undefined) return unknown('INSTALLED_APPS holds items the analysis cannot read');
  if (!drf) return no(`${REST_FRAMEWORK.distribution} is not in INSTALLED_APPS`);
  // REST_FRAMEWORK's keys, each as written or DRF's default
  const conf = settings.get(REST_FRAMEWORK.settings.config.name);
  if (conf.isSet && (!fixed(conf.value) || conf.value.kind !== 'dict'))
    return unknown(`${REST_FRAMEWORK.settings.config.name} (${at(conf.loc)}) is not known statically`);
  const key = (k: { value: string; default: readonly string[] }): KeyReading => {
    if (!conf.isSet || conf.value.kind !== 'dict') return { items: [...k.default], loc: undefined, set: false };
    const v = V.dictGetStr(conf.value, k.value);
    if (v === null) return { items: [...k.default], loc: undefined, set: false };
    if (v === undefined || !fixed(v)) return { items: undefined, loc: conf.loc, set: true };
    return { items: V.strItems(v), loc: v.loc ?? conf.loc, set: true };
  };
  const auth = key(DRF_KEYS.authenticationClasses);
  const authName = `${REST_FRAMEWORK.settings.config.name}["${DRF_KEYS.authenticationClasses.value}"]`;
  if (!auth.items) return unknown(`${authName} (${at(auth.loc)}) is not known statically`);
  const session = auth.items.find((c) => DRF_AUTHENTICATION.value[c] === 'session');
  if (session)
    return no(`${authName} ${auth.set ? `(${at(auth.loc)}) holds` : "is DRF's default, which holds"} ${session.split('.').pop()}`);
  const other = auth.items.find((c) => DRF_AUTHENTICATION.value[c] !== 'header');
  if (other) return unknown(`${authName} (${at(auth.loc)}) holds ${other}, whose way of authenticating is not known`);
  return {
    answer: { state: 'yes', why: `${authName}${auth.set ? ` (${at(auth.loc)})` : ''} authenticates by a header only` },
    auth,
    key,
  };
}

function tokenJsonApi(input: AppKindInput, at: (loc: Loc | undefined) => string, header: ReturnType<typeof headerOnly>): AppKindAnswer {
  const { settings, fs } = input;
  const unknown = (why: string): AppKindAnswer => ({ state: 'unknown', why });
  const no = (why: string): AppKindAnswer => ({ state: 'no', why });
  if (header.answer.state !== 'yes' || !header.auth || !header.key) return header.answer;
  const { auth, key } = header;
  const renderers = key(DRF_KEYS.rendererClasses);
  const rendName = `${REST_FRAMEWORK.settings.config.name}["${DRF_KEYS.rendererClasses.value}"]`;
  if (!renderers.items) return unknown(`${rendName} (${at(renderers.loc)}) is not known statically`);
  const html = renderers.items.find((c) => DRF_RENDERERS.value[c] === 'html');
  if (html)
    return no(`${rendName} ${renderers.set ? `(${at(renderers.loc)}) holds` : "is DRF's default, which holds"} ${html.split('.').pop()}`);
  const otherR = renderers.items.find((c) => DRF_RENDERERS.value[c] !== 'data');
  if (otherR) return unknown(`${rendName} (${at(renderers.loc)}) holds ${otherR}, whose media type is not known`);
  // templates: a TEMPLATES entry with DIRS serves pages from them, as far as the settings show
  const templates = settings.get('TEMPLATES');
  if (!fixed(templates.value) || !V.isSeq(templates.value)) return unknown(`TEMPLATES (${at(templates.loc)}) is not known statically`);
  for (const t of templates.value.items) {
    if (t.kind !== 'dict' || !fixed(t)) return unknown(`TEMPLATES (${at(templates.loc)}) holds an entry the analysis cannot read`);
    const dirs = V.dictGetStr(t, 'DIRS');
    if (dirs === undefined || (dirs !== null && (!fixed(dirs) || !V.isSeq(dirs))))
      return unknown(`TEMPLATES' DIRS (${at(templates.loc)}) is not known statically`);
    if (dirs !== null && dirs.items.length > 0) return no(`TEMPLATES (${at(templates.loc)}) names template folders (DIRS)`);
  }
  // the URLconf: every route read, none to the admin, the auth views or a template view
  const urlconf = settings.get('ROOT_URLCONF');
  if (urlconf.value.kind !== 'str' || !fixed(urlconf.value)) return unknown(`ROOT_URLCONF (${at(urlconf.loc)}) is not known statically`);
  const routes = routeTargets(fs, input.importRoots, urlconf.value.v);
  if ('why' in routes) return unknown(`the URL patterns of ${urlconf.value.v} cannot all be read (${routes.why})`);
  for (const t of routes.targets) {
    const place = `${relPath(input.shownRoot, t.file)}:${t.line + 1}`;
    if (PAGE_ROUTE.test(t.view)) return no(`${place} routes ${t.view}, which serves pages`);
    if (t.included && !routerUrls(fs, t.file, t.view))
      return unknown(`${place} includes ${t.view}, whose views the reading does not follow`);
  }
  // the project's code: no view renders a template or uses the session
  const { modules, more } = ownModules(input);
  for (const f of modules) {
    const text = fs.readText(f.path);
    if (text === undefined) continue;
    const m = PAGE_OR_SESSION.exec(text);
    if (m)
      return no(`${relPath(input.shownRoot, f.path)}:${lineOf(fs, { file: f.path, start: m.index, end: m.index })} uses ${m[0].trim()}`);
  }
  if (more) return unknown('the project has too many modules to search for session use');
  const sessions = settings.contains('INSTALLED_APPS', SESSIONS_APP) || (settings.strings('MIDDLEWARE') ?? []).includes(MW.session);
  return {
    state: 'yes',
    brief: `a token-only JSON API (${REST_FRAMEWORK.settings.config.name}: header authentication, JSON renderers, ${at(auth.loc)}; no admin, login or page route)`,
    why: `a token-only JSON API: ${REST_FRAMEWORK.settings.config.name} authenticates by a header only (${at(auth.loc)}) and renders JSON only (${at(renderers.loc)}), ${urlconf.value.v} routes no admin, login or template view, and no module renders a template or uses request.session${sessions ? ' (sessions are installed, but nothing of the app starts one)' : ''}`,
  };
}

/** Whether `view` (`router.urls`) is the URLs of a DRF router the module `file` makes (`router = DefaultRouter()`). */
function routerUrls(fs: FileSystem, file: string, view: string): boolean {
  const m = /^([A-Za-z_]\w*)\.urls$/.exec(view.trim());
  if (!m) return false;
  const text = fs.readText(file) ?? '';
  const name = m[1]!;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith(name)) continue;
    const rest = t.slice(name.length).trimStart();
    if (!rest.startsWith('=') || rest.startsWith('==')) continue;
    const call = rest.slice(1).trim();
    // `DefaultRouter(`, `routers.DefaultRouter(`
    if (DRF_ROUTERS.value.some((r) => call.startsWith(`${r}(`) || call.includes(`.${r}(`))) return true;
  }
  return false;
}
