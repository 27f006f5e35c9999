// DDH601: WhiteNoise's storage or runserver app without WhiteNoiseMiddleware.
import { holdsMiddleware, MW } from '../../models/settings/middleware';
import { hasValue, isSupplied } from '../../models/settings/query';
import { installedApp } from '../helpers';
import { WHITENOISE } from '../../catalogue/libraries';
import { staticPath, staticServedBy } from '../../models/requestPath/statics';
import { staticServedInFront } from '../proxy/shared';
import type { Rule, SettingsRuleContext } from '../types';
import { className, staticStorage, storageLabel } from './storage';

/**
 * Who serves STATIC_URL instead of WhiteNoise's middleware: the repository's nginx or Caddy in
 * front, a WSGI wrapper around the app (dj-static) or a hop that answers the prefix itself (fly's
 * [[statics]]) — `all` when every production command line is covered, with the sentence that says
 * by whom; else the sentence naming those covered and those not (empty when none is).
 */
function servedElsewhere(ctx: SettingsRuleContext): { readonly all: boolean; readonly text: string } {
  const front = staticServedInFront(ctx);
  if (front.state === 'yes') return { all: true, text: `${front.where.replace(/,$/, '')} serves STATIC_URL` };
  const url = ctx.settings.query('STATIC_URL');
  const at = hasValue(url) && url.value.kind === 'str' ? staticPath(url.value.v) : undefined;
  if (!at) return { all: false, text: '' };
  const c = staticServedBy(ctx.project, ctx.appServer, at);
  const hows = c.state === 'nobody' ? '' : [...new Set(c.by.map((b) => b.how))].join('; ');
  if (c.state === 'all') return { all: true, text: hows };
  if (c.state === 'some') return { all: false, text: `${hows}, but not for ${c.missing.slice(0, 3).join(', ')}` };
  return { all: false, text: '' };
}

export const whitenoiseMisconfigured: Rule = {
  code: 'DDH601',
  name: 'whitenoise-misconfigured',
  title: 'WhiteNoise configured without its middleware',
  severity: 'warning',
  group: 'static-media',
  checklist: 'static-files',
  target: 'settings',
  docs: {
    what: "Half a WhiteNoise setup in the production settings: the static files storage Django actually uses is one of WhiteNoise's (`whitenoise.storage.CompressedManifestStaticFilesStorage` and friends), or `whitenoise.runserver_nostatic` is in `INSTALLED_APPS`, but `WhiteNoiseMiddleware` is not in `MIDDLEWARE` (a project's class deriving from it, found in the workspace, counts as WhiteNoiseMiddleware). The other half, the middleware with no `STATIC_ROOT` to serve from, is reported by DDH602 (with a WhiteNoise-specific message); a WhiteNoise storage set through a `STATICFILES_STORAGE` that Django 5.1+ ignores is DDH604's.",
    why: 'The storage only prepares files (compressed copies, hashed names) at collectstatic time and `runserver_nostatic` only switches off runserver\'s static serving; serving them in production is the middleware\'s job. Without it, and without a web server or CDN in front that serves `STATIC_ROOT`, every CSS and JavaScript URL answers 404 once DEBUG is off: the classic "static files mysteriously 404 in production".',
    example:
      'STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    ...\n]',
    fix: "Add `whitenoise.middleware.WhiteNoiseMiddleware` directly below SecurityMiddleware. Where something else serves STATIC_URL for every production server — the repository's nginx or Caddy, dj-static's `Cling` wrapping the WSGI application, or the platform (fly.toml's `[[statics]]`) — the finding is information only and names it; a CDN configured outside the repository is not seen: disable this rule for the project then.",
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    ...\n]',
    references: [
      { title: 'WhiteNoise: using WhiteNoise with Django', url: 'https://whitenoise.readthedocs.io/en/stable/django.html' },
      { title: 'Django: deploying static files', url: 'https://docs.djangoproject.com/en/stable/howto/static-files/deployment/' },
    ],
  },
  check(ctx) {
    // a project's class deriving from WhiteNoiseMiddleware is WhiteNoise too (DDH502 reads it so)
    const mw = holdsMiddleware({ importRoots: ctx.project.importRoots, document: (f) => ctx.document(f) }, ctx.settings, MW.whitenoise);
    const result = staticStorage(ctx);
    const storage = 'storage' in result ? result.storage : undefined;
    const usesStorage = storage?.backend.startsWith(WHITENOISE.packagePrefix) ?? false;
    const app = installedApp(ctx.settings, WHITENOISE.apps.runserverNoStatic);
    if (!usesStorage && !app) {
      if ('unknown' in result && result.unknown) return ctx.unknown(result.unknown, result.loc);
      if (app === undefined) return ctx.unknown('INSTALLED_APPS holds items the analysis cannot read');
      return ctx.notApplicable("neither WhiteNoise's storage nor its runserver app is configured");
    }
    if (mw === undefined) {
      const m = ctx.settings.get('MIDDLEWARE');
      return m.value.kind === 'unknown' && isSupplied(m.value) ? undefined : ctx.unknown('MIDDLEWARE is not known statically', m.loc);
    }
    if (mw) return;
    if (usesStorage) {
      const served = servedElsewhere(ctx);
      const head = `${storageLabel(storage!, ctx.version.version)} uses WhiteNoise's ${className(storage!.backend)} but WhiteNoiseMiddleware is not in MIDDLEWARE`;
      ctx.report({
        loc: storage!.loc,
        ...(served.all ? { severity: 'information' as const } : {}),
        message: served.all
          ? `${storageLabel(storage!, ctx.version.version)} uses WhiteNoise's ${className(storage!.backend)} without WhiteNoiseMiddleware in MIDDLEWARE, yet ${served.text}: the static files are served without WhiteNoise.`
          : `${head}: nothing in Django serves the static files${served.text ? ` (${served.text})` : ''}; add the middleware below SecurityMiddleware.`,
      });
    }
    if (app) {
      ctx.report({
        loc: app.loc,
        message:
          "INSTALLED_APPS holds 'whitenoise.runserver_nostatic' but WhiteNoiseMiddleware is not in MIDDLEWARE, so WhiteNoise serves nothing; add the middleware below SecurityMiddleware.",
      });
    }
  },
};
