// Whether the app sets Django's session cookie and its CSRF cookie at all. Neither is set on every
// response (catalogue/djangoCookies.ts): SessionMiddleware sets the session cookie only for a
// session something wrote (a login, `request.session[...]`), CsrfViewMiddleware the CSRF cookie only
// when something asked for the token (`{% csrf_token %}`, get_token(), ensure_csrf_cookie, login()).
// Each answer is yes (with the first place that does it), no (with what was searched), or unknown
// (why): conservative, so that anything that may set the cookie — the admin or Django's auth views
// routed, django-allauth installed, a login() call, session use, `{% csrf_token %}` in any template of
// the project, Django REST framework's browsable API, a URLconf the reading cannot follow or one that
// imports a library's views — keeps the rules' usual advice.
import * as path from 'node:path';
import {
  ALLAUTH,
  ALLAUTH_LOGIN,
  DRF_BROWSABLE_CSRF,
  DRF_AUTHENTICATION,
  DRF_KEYS,
  DRF_RENDERERS,
  REST_FRAMEWORK,
} from '../../catalogue/libraries';
import { relPath } from '../../base/relPath';
import { lineIndexAt } from '../../base/lines';
import * as V from '../../eval/values';
import { resolveModuleFile } from '../project/modules';
import { routeTargets } from '../project/urls';
import { type AppKindAnswer, type AppKindInput, fixed, lineOf, ownModules, routerUrls } from './appKind';
import { templateFilesAnywhere } from './assetPipeline';
// (the Django facts this model stands on: catalogue/djangoCookies.ts SESSION_COOKIE_WHEN_MODIFIED, CSRF_COOKIE_WHEN_ASKED, CSRF_TOKEN_ASKERS)

export interface AppCookies {
  /** Whether anything of the app writes the session, so that SessionMiddleware sets the session cookie. */
  readonly session: AppKindAnswer;
  /** Whether anything of the app asks for the CSRF token, so that CsrfViewMiddleware sets the CSRF cookie. */
  readonly csrf: AppKindAnswer;
}

/**
 * Code that writes the session or logs a user in (login() writes the session and rotates the CSRF
 * token): request.session, SessionStore, a login call or view, Django's auth views or URLs, the admin
 * routed, login_required (a login page is somewhere), messages (whose fallback storage may write the
 * session).
 */
const SESSION_CODE =
  /\brequest\.session\b|\.session\[|\bSessionStore\b|\blogin\(|_login\(|\bLoginView\b|\bauth_views\b|\bdjango\.contrib\.auth\.(?:urls|views)\b|\badmin\.site\.urls\b|\blogin_required\b|\bLoginRequiredMixin\b|\bmessages\.(?:add_message|debug|info|success|warning|error)\(/g;

/**
 * Code that asks for the CSRF token (catalogue CSRF_TOKEN_ASKERS): get_token(), ensure_csrf_cookie,
 * rotate_token(), the token in a template string or a context, the flag the middleware reads, a login
 * (rotate_token), Django's auth views or URLs, the admin routed (its login form).
 */
const CSRF_CODE =
  /\bget_token\(|\bensure_csrf_cookie\b|\brotate_token\(|\bcsrf_token\b|\bcsrf_input\b|\bCSRF_COOKIE_(?:NEEDS_UPDATE|USED)\b|\blogin\(|_login\(|\bLoginView\b|\bauth_views\b|\bdjango\.contrib\.auth\.(?:urls|views)\b|\badmin\.site\.urls\b/g;

/** A template that asks for the token: `{% csrf_token %}`, `{{ csrf_token }}`, Jinja2's `{{ csrf_input }}`. */
const TEMPLATE_CSRF = /\bcsrf_token\b|\bcsrf_input\b/;

/**
 * A template the project's code renders by a literal name: render(request, "x.html"),
 * render_to_string("x.html"), TemplateResponse(request, "x.html"), get_template("x.html"),
 * `template_name = "x.html"`.
 */
const TEMPLATE_NAME_USE =
  /\b(?:render|render_to_response|render_to_string|get_template|select_template|TemplateResponse)\(\s*(?:request,\s*)?["']([^"'\n]{1,200})["']|\btemplate_name\s*=\s*["']([^"'\n]{1,200})["']/g;

/** The middleware that logs the user the web server authenticated in (login()): both cookies. */
const REMOTE_USER_MIDDLEWARE = /\.(?:Persistent)?RemoteUserMiddleware$/;

/** An import statement's module (`from a.b import c`, `import a.b`), one per line. */
const IMPORT_LINE = /^[ \t]*(?:from[ \t]+([.\w]+)[ \t]+import\b|import[ \t]+([\w.]+))/gm;

/** Modules a URLconf imports whose views set no cookie of their own, or whose cookies are judged apart (Django's, DRF's by its renderers). */
const QUIET_IMPORTS = new Set(['django', 'os', 'sys', 're', 'typing', 'functools', 'importlib', 'pathlib', 'logging', '__future__']);

interface Hit {
  readonly why: string;
}

/** The last dotted segment of a class path. */
function short(name: string): string {
  return name.split('.').pop() ?? name;
}

/**
 * Whether the app sets the session cookie and the CSRF cookie: see the module's head. Searched: the
 * installed apps and MIDDLEWARE, REST_FRAMEWORK's renderers and authentication, every route of
 * ROOT_URLCONF and what its modules import, the project's own modules and every template file of the
 * project.
 */
export function appCookies(input: AppKindInput): AppCookies {
  const { settings, fs } = input;
  const at = (loc: { file: string; start: number; end: number } | undefined): string =>
    loc ? `${relPath(input.shownRoot, loc.file)}:${lineOf(fs, loc)}` : 'the settings';
  let session: Hit | undefined;
  let csrf: Hit | undefined;
  const unknowns: string[] = [];
  // what leaves only the CSRF answer open (a template the analysis cannot read)
  const csrfUnknowns: string[] = [];
  const both = (why: string): void => {
    session ??= { why };
    csrf ??= { why };
  };

  // the installed apps: django-allauth's login pages
  const apps = settings.get('INSTALLED_APPS');
  const installed = fixed(apps.value) ? settings.strings('INSTALLED_APPS') : undefined;
  if (!installed) unknowns.push('INSTALLED_APPS is not known statically');
  const allauth = !ALLAUTH_LOGIN.value ? undefined : installed?.find((a) => a === ALLAUTH.apps.account || a === ALLAUTH.apps.allauth);
  if (allauth) both(`INSTALLED_APPS (${at(apps.loc)}) lists ${allauth}, whose login pages sign users in with the session`);

  // MIDDLEWARE: RemoteUserMiddleware logs in the user the web server authenticated
  const middleware = settings.strings('MIDDLEWARE');
  if (middleware === undefined) unknowns.push('MIDDLEWARE is not known statically');
  const remote = middleware?.find((m) => REMOTE_USER_MIDDLEWARE.test(m));
  if (remote) both(`MIDDLEWARE (${at(settings.get('MIDDLEWARE').loc)}) has ${short(remote)}, which logs users in with login()`);

  // Django REST framework: its browsable API renders {% csrf_token %}; with SessionAuthentication beside it, a login is expected
  if (installed?.includes(REST_FRAMEWORK.apps.restFramework)) {
    const drf = drfReading(input);
    if ('unknown' in drf) unknowns.push(drf.unknown);
    else if (drf.html && DRF_BROWSABLE_CSRF.value) {
      csrf ??= { why: `${drf.html}, whose forms render {% csrf_token %}` };
      if (drf.session) session ??= { why: `${drf.session}, beside the browsable API (${drf.html})` };
    }
  }

  // the URLconf: every route read, the admin's, library includes and library views
  const urlconf = settings.get('ROOT_URLCONF');
  let routesRead = 0;
  let urlconfName = 'ROOT_URLCONF';
  if (urlconf.value.kind !== 'str' || !fixed(urlconf.value)) unknowns.push(`ROOT_URLCONF (${at(urlconf.loc)}) is not known statically`);
  else {
    urlconfName = urlconf.value.v;
    const routes = routeTargets(fs, input.importRoots, urlconf.value.v);
    if ('why' in routes) unknowns.push(`the URL patterns of ${urlconf.value.v} cannot all be read (${routes.why})`);
    else {
      routesRead = routes.targets.length;
      const files = new Set<string>();
      const root = resolveModuleFile(fs, input.importRoots, urlconf.value.v);
      if (root) files.add(root.file);
      for (const t of routes.targets) {
        files.add(t.file);
        const place = `${relPath(input.shownRoot, t.file)}:${t.line + 1}`;
        if (/\badmin\.site\.urls\b/.test(t.view)) both(`${place} routes the admin, whose login form signs staff in with the session`);
        else if (t.included && !routerUrls(fs, t.file, t.view))
          unknowns.push(`${place} includes ${t.view}, whose views the reading does not follow`);
      }
      // a URL module importing a library's views (they may set either cookie), or Django's auth views
      for (const file of files) {
        const text = fs.readText(file) ?? '';
        IMPORT_LINE.lastIndex = 0;
        for (let m = IMPORT_LINE.exec(text); m; m = IMPORT_LINE.exec(text)) {
          const mod = m[1] ?? m[2] ?? '';
          const place = `${relPath(input.shownRoot, file)}:${lineIndexAt(text, m.index) + 1}`;
          if (/^django\.contrib\.auth\b/.test(mod) && !/^django\.contrib\.auth\.decorators\b/.test(mod)) {
            both(`${place} imports ${mod}, Django's login views`);
            continue;
          }
          const top = mod.split('.')[0] ?? '';
          if (mod.startsWith('.') || QUIET_IMPORTS.has(top) || (REST_FRAMEWORK.modules as readonly string[]).includes(top)) continue;
          if (resolveModuleFile(fs, input.importRoots, mod) || resolveModuleFile(fs, [input.root], mod)) continue;
          unknowns.push(`${place} imports ${mod}, a library whose views may set either cookie`);
        }
      }
    }
  }

  // the project's own modules, and the templates they render by name
  const { modules, more } = ownModules(input);
  if (more) unknowns.push('the project has too many modules to search');
  const rendered: { name: string; at: string }[] = [];
  for (const m of modules) {
    const text = fs.readText(m.path);
    if (text === undefined) continue;
    TEMPLATE_NAME_USE.lastIndex = 0;
    for (let hit = TEMPLATE_NAME_USE.exec(text); hit; hit = TEMPLATE_NAME_USE.exec(text))
      rendered.push({
        name: hit[1] ?? hit[2] ?? '',
        at: `${relPath(input.shownRoot, m.path)}:${lineOf(fs, { file: m.path, start: hit.index, end: hit.index })}`,
      });
    if (session && csrf) continue;
    const first = (re: RegExp): string | undefined => {
      re.lastIndex = 0;
      const hit = re.exec(text);
      return hit
        ? `${relPath(input.shownRoot, m.path)}:${lineOf(fs, { file: m.path, start: hit.index, end: hit.index })} uses ${hit[0]}`
        : undefined;
    };
    if (!session) {
      const hit = first(SESSION_CODE);
      if (hit) session = { why: hit };
    }
    if (!csrf) {
      const hit = first(CSRF_CODE);
      if (hit) csrf = { why: hit };
    }
  }

  // every template file of the project, in whatever folder
  let templateCount = 0;
  if (!csrf) {
    const { templates, truncated } = templateFilesAnywhere(fs, input.root);
    if (truncated) csrfUnknowns.push('the project has too many template files to search');
    templateCount = templates.length;
    // a template the code renders that the repository does not hold (an app's or a library's) may ask for the token
    const held = (name: string): boolean => templates.some((t) => t.split(path.sep).join('/').endsWith(`/${name}`));
    const missing = rendered.find((r) => r.name !== '' && !held(r.name));
    if (missing)
      csrfUnknowns.push(
        `${missing.at} renders ${missing.name}, which the repository does not hold, so whether it asks for the token is not known`,
      );
    for (const t of templates) {
      const text = fs.readText(t);
      const m = text === undefined ? null : TEMPLATE_CSRF.exec(text);
      if (!m || text === undefined) continue;
      csrf = { why: `${relPath(input.shownRoot, t)}:${lineIndexAt(text, m.index) + 1} uses ${m[0]}` };
      break;
    }
  }

  // with CSRF_USE_SESSIONS the token is kept in the session: asking for it writes the session
  const useSessions = settings.get('CSRF_USE_SESSIONS').value;
  const tokenInSession = useSessions.kind === 'unknown' || V.truthy(useSessions) !== false;
  if (!session && csrf && tokenInSession)
    session = {
      why: `${useSessions.kind === 'unknown' ? 'CSRF_USE_SESSIONS may keep' : 'CSRF_USE_SESSIONS keeps'} the CSRF token in the session, and ${csrf.why}`,
    };

  const modulesSaid = `${modules.length === 1 ? 'its one module' : `its ${modules.length} modules`}`;
  const routesSaid = `${urlconfName} routes no admin or login view (${routesRead === 1 ? 'one route' : `${routesRead} routes`} read, no library's views imported)`;
  const answer = (hit: Hit | undefined, open: readonly string[], none: string, brief: string): AppKindAnswer =>
    hit ? { state: 'yes', why: hit.why } : open.length > 0 ? { state: 'unknown', why: open[0]! } : { state: 'no', why: none, brief };
  return {
    session: answer(
      session,
      unknowns,
      `nothing of the app writes a session: ${routesSaid}, none of ${modulesSaid} uses request.session, login(), a login view, login_required or messages, and no installed app signs users in`,
      `no admin or login route in ${urlconfName}, no session use in the project's ${modules.length} modules`,
    ),
    csrf: answer(
      csrf,
      [...unknowns, ...csrfUnknowns],
      `nothing of the app asks for a CSRF token: ${routesSaid}, none of the project's ${templateCount === 1 ? 'one template' : `${templateCount} templates`} uses {% csrf_token %}, none of ${modulesSaid} calls get_token(), ensure_csrf_cookie or login()${installed?.includes(REST_FRAMEWORK.apps.restFramework) ? ', and no browsable API is rendered' : ''}`,
      `no admin or login route in ${urlconfName}, no {% csrf_token %} in the project's ${templateCount} templates, no get_token() in its ${modules.length} modules`,
    ),
  };
}

/** Django REST framework's browsable API and session authentication, as REST_FRAMEWORK (or DRF's defaults) says; or why that is not known. */
function drfReading(input: AppKindInput): { html?: string; session?: string } | { unknown: string } {
  const { settings } = input;
  const conf = settings.get(REST_FRAMEWORK.settings.config.name);
  const name = REST_FRAMEWORK.settings.config.name;
  if (conf.isSet && (!fixed(conf.value) || conf.value.kind !== 'dict')) return { unknown: `${name} is not known statically` };
  const key = (k: { value: string; default: readonly string[] }): { items: string[] | undefined; said: string } => {
    const v = conf.isSet && conf.value.kind === 'dict' ? V.dictGetStr(conf.value, k.value) : null;
    if (v === null) return { items: [...k.default], said: `${name}["${k.value}"] is DRF's default` };
    if (v === undefined || !fixed(v)) return { items: undefined, said: `${name}["${k.value}"]` };
    const loc = v.loc ?? conf.loc;
    return { items: V.strItems(v), said: `${name}["${k.value}"]${loc ? ` (${relPath(input.shownRoot, loc.file)})` : ''}` };
  };
  const renderers = key(DRF_KEYS.rendererClasses);
  if (!renderers.items) return { unknown: `${renderers.said} is not known statically` };
  const html = renderers.items.find((c) => DRF_RENDERERS.value[c] !== 'data');
  if (!html) return {};
  const auth = key(DRF_KEYS.authenticationClasses);
  const session = auth.items === undefined ? auth.items : auth.items.find((c) => DRF_AUTHENTICATION.value[c] !== 'header');
  return {
    html: `${renderers.said}, which holds ${short(html)}`,
    ...(auth.items === undefined
      ? { session: `${auth.said}, which is not known statically` }
      : session
        ? { session: `${auth.said}, which holds ${short(session)}` }
        : {}),
  };
}
