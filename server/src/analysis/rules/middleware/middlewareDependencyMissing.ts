// DDH508: a middleware without the app (in INSTALLED_APPS) or the middleware it needs.
import { atLeast } from '../../models/project/version';
import { isSupplied } from '../../models/settings/query';
import type { Value } from '../../eval/values';
import { installedApp } from '../helpers';
import { CORS_HEADERS } from '../../catalogue/libraries';
import type { Rule, RuleContext, Severity } from '../types';
import { MW, find, has, readMiddleware, short, type MwItem, type MwList } from './order';
import { reportWithChange } from '../fixes/listEdits';

interface AppNeed {
  readonly middleware: string;
  readonly apps: readonly string[];
  /** What happens without the app. */
  readonly consequence: string;
  readonly severity?: Severity;
  /**
   * The Django release from which the consequence holds. Importing a model of an app that is not
   * installed only warned before 1.9 (docs/releases/1.9.txt, "Features removed in 1.9": "All models
   * need to be defined inside an installed application or declare an explicit app_label").
   */
  readonly since?: string;
  /** Whether the app is needed in this configuration: true/false/undefined (unknown). */
  readonly when?: (ctx: RuleContext) => boolean | undefined;
}

const DB_SESSION_ENGINES = new Set(['django.contrib.sessions.backends.db', 'django.contrib.sessions.backends.cached_db']);
const OTHER_SESSION_ENGINES = new Set([
  'django.contrib.sessions.backends.cache',
  'django.contrib.sessions.backends.file',
  'django.contrib.sessions.backends.signed_cookies',
]);

const APP_NEEDS: readonly AppNeed[] = [
  {
    middleware: MW.session,
    apps: ['django.contrib.sessions'],
    consequence: 'the django_session table is never created, so every request that touches the session fails',
    when: (ctx) => {
      const v: Value = ctx.settings.get('SESSION_ENGINE').value;
      if (v.kind !== 'str') return v.kind === 'unknown' && !isSupplied(v) ? undefined : false;
      return DB_SESSION_ENGINES.has(v.v) ? true : OTHER_SESSION_ENGINES.has(v.v) ? false : undefined;
    },
  },
  {
    middleware: MW.auth,
    apps: ['django.contrib.auth'],
    consequence: 'loading the middleware imports the auth models, so the site fails to start',
    since: '1.9',
  },
  {
    middleware: MW.flatpages,
    apps: ['django.contrib.flatpages', 'django.contrib.sites'],
    consequence: 'loading the middleware imports their models, so the site fails to start',
    since: '1.9',
  },
  {
    middleware: MW.redirects,
    apps: ['django.contrib.redirects', 'django.contrib.sites'],
    consequence: 'the middleware refuses to load, so the site fails to start',
  },
  {
    middleware: MW.cors,
    apps: [CORS_HEADERS.apps.corsheaders],
    severity: 'warning',
    consequence: "django-cors-headers' checks of the CORS settings never run, so a mistyped setting goes unnoticed",
  },
];

interface MwNeed {
  readonly middleware: string;
  readonly needs: string;
  /** It must also come below the needed middleware (it reads request.user in its request phase). */
  readonly below: boolean;
}

const MW_NEEDS: readonly MwNeed[] = [
  { middleware: MW.remoteUser, needs: MW.auth, below: true },
  { middleware: MW.persistentRemoteUser, needs: MW.auth, below: true },
  { middleware: MW.loginRequired, needs: MW.auth, below: false },
  { middleware: MW.xview, needs: MW.auth, below: false },
];

function checkApps(ctx: RuleContext, list: MwList): boolean {
  let uncertain = false;
  for (const need of APP_NEEDS) {
    const item = find(list, need.middleware);
    if (!item) continue;
    if (need.since && !atLeast(ctx.project.djangoVersion.version, need.since)) continue;
    const missing: string[] = [];
    for (const app of need.apps) {
      const found = installedApp(ctx.settings, app);
      if (found === undefined) uncertain = true;
      else if (found === false) missing.push(app);
    }
    if (missing.length === 0) continue;
    const applies = need.when ? need.when(ctx) : true;
    if (applies === undefined) {
      uncertain = true;
      continue;
    }
    if (!applies) continue;
    ctx.report({
      loc: item.loc,
      severity: need.severity,
      message: `${short(need.middleware)} is installed but INSTALLED_APPS lacks ${missing.map((a) => `'${a}'`).join(' and ')}: ${need.consequence}; add ${missing.length > 1 ? 'them' : 'it'}.`,
    });
  }
  return uncertain;
}

function checkMiddleware(ctx: RuleContext, list: MwList): boolean {
  let uncertain = false;
  for (const need of MW_NEEDS) {
    const item: MwItem | undefined = find(list, need.middleware);
    if (!item) continue;
    const dep = find(list, need.needs);
    if (!dep) {
      if (has(list, need.needs) === undefined) {
        uncertain = true;
        continue;
      }
      ctx.report({
        loc: item.loc,
        message: `${short(need.middleware)} needs ${short(need.needs)}, which ${list.setting.name} lacks: every request fails; add ${short(need.needs)} above it.`,
      });
      continue;
    }
    if (!need.below) continue;
    if (!list.ordered) {
      uncertain = true;
      continue;
    }
    if (dep.index > item.index) {
      reportWithChange(
        ctx,
        {
          loc: item.loc,
          message: `${short(need.middleware)} comes before ${short(need.needs)}, which it needs: every request fails with ImproperlyConfigured; move it below ${short(need.needs)}.`,
        },
        // every request fails as it stands: the move cannot break anything that works
        {
          setting: list.setting,
          kind: 'move',
          items: [item],
          after: dep,
          title: `Move ${short(need.middleware)} below ${short(need.needs)}`,
          safety: 'safe',
        },
      );
    }
  }
  return uncertain;
}

export const middlewareDependencyMissing: Rule = {
  code: 'DDH508',
  name: 'middleware-dependency-missing',
  title: 'Middleware without the app or middleware it needs',
  severity: 'error',
  group: 'middleware',
  checklist: 'middleware-apps',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "A middleware in the production `MIDDLEWARE` whose app is not in `INSTALLED_APPS`, or that needs another middleware the list lacks. Apps: `SessionMiddleware` needs `django.contrib.sessions` with the database session engines (`db`, `cached_db`, the default), not with the cache, file or signed-cookie engines; `AuthenticationMiddleware` needs `django.contrib.auth` (from Django 1.9: before, a model outside the installed apps only warned); the flatpage and redirect fallback middleware need their app and `django.contrib.sites`; django-cors-headers' `CorsMiddleware` works without `corsheaders`, but its settings checks then never run (reported as a warning). `MessageMiddleware` (no models) and WhiteNoise (no app at all) need nothing; the debug toolbar is DDH509's. Middleware: `RemoteUserMiddleware` and `PersistentRemoteUserMiddleware` need `AuthenticationMiddleware` above them, `LoginRequiredMiddleware` and admindocs' `XViewMiddleware` need it anywhere in the list. Middleware that need SessionMiddleware are DDH504's. An AppConfig path (`django.contrib.sessions.apps.SessionsConfig`) counts as the app.",
    why: 'Django only checks some of this itself, for the admin. Otherwise the site fails at start-up (the middleware imports models of an app that is not installed), or on the first request that uses it (no `django_session` table, ImproperlyConfigured from the remote-user middleware).',
    example:
      'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "blog"]\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    ...\n]',
    fix: 'Add the missing app to INSTALLED_APPS (and run its migrations), or add the missing middleware above the one that needs it, or remove the middleware if it is not used. When the needed middleware is there but below, the quick fix moves the remote-user middleware directly below AuthenticationMiddleware (safe: every request fails as it stands). Missing apps and middleware get no quick fix: adding them brings migrations and settings of their own.',
    good: 'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "blog"]',
    references: [
      { title: 'Django: enabling sessions', url: 'https://docs.djangoproject.com/en/stable/topics/http/sessions/#enabling-sessions' },
      {
        title: 'Django: authentication in web requests',
        url: 'https://docs.djangoproject.com/en/stable/topics/auth/default/#authentication-in-web-requests',
      },
      { title: 'Django: authentication using REMOTE_USER', url: 'https://docs.djangoproject.com/en/stable/howto/auth-remote-user/' },
      { title: 'django-cors-headers: setup', url: 'https://github.com/adamchainz/django-cors-headers#setup' },
    ],
  },
  check(ctx) {
    const list = readMiddleware(ctx);
    if (!list) return;
    const uncertainApps = checkApps(ctx, list);
    const uncertainMw = checkMiddleware(ctx, list);
    if (uncertainApps || uncertainMw) ctx.unknown('INSTALLED_APPS, MIDDLEWARE or SESSION_ENGINE holds values the analysis cannot read');
  },
};
