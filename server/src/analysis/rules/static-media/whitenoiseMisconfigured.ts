// DDH601: WhiteNoise's storage or runserver app without WhiteNoiseMiddleware.
import { holdsMiddleware, MW } from '../../models/settings/middleware';
import { isSupplied } from '../../models/settings/query';
import { installedApp } from '../helpers';
import { WHITENOISE } from '../../catalogue/libraries';
import type { Rule } from '../types';
import { className, staticStorage, storageLabel } from './storage';

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
    fix: 'Add `whitenoise.middleware.WhiteNoiseMiddleware` directly below SecurityMiddleware. If a web server or CDN serves STATIC_ROOT instead, disable this rule for the project.',
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
      ctx.report({
        loc: storage!.loc,
        message: `${storageLabel(storage!, ctx.version.version)} uses WhiteNoise's ${className(storage!.backend)} but WhiteNoiseMiddleware is not in MIDDLEWARE: nothing in Django serves the static files; add the middleware below SecurityMiddleware.`,
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
