// DDH602: STATIC_ROOT is not set while staticfiles collects to the local disk.
import { middlewareHeld } from '../middleware/order';
import { decidable, isEnvironmentDefault } from '../../models/settings/query';
import { installedApp, originNote } from '../helpers';
import type { SettingValue } from '../settings';
import type { Fix, Rule, RuleContext } from '../types';
import { className, isLocal, staticStorage } from './storage';
import { WHITENOISE } from '../../catalogue/libraries';

export const staticRootMissing: Rule = {
  code: 'DDH602',
  name: 'static-root-missing',
  title: 'STATIC_ROOT is not set',
  severity: 'warning',
  group: 'static-media',
  checklist: 'static-files',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "`django.contrib.staticfiles` is installed, its storage writes to the local disk (Django's own storages and WhiteNoise's; for a custom storage the rule says \"unknown\"), and the production `STATIC_ROOT` is unset, `None` or empty — including when that is the default of an environment lookup. Remote storages (django-storages' S3, Google Cloud, Azure backends) do not need it and are not flagged. In a token-only JSON API (no admin, login or template view routed, no module rendering a template or using the session, and either Django REST framework authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header: `models/settings/appKind.ts`) the finding is information and says so: no page links a static file, but collectstatic still fails wherever it runs.",
    why: '`collectstatic` refuses to run ("You\'re using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path"), so the build step that gathers CSS and JavaScript fails or is skipped, and with DEBUG off Django itself serves no static files: the site comes up unstyled. WhiteNoise serves files from STATIC_ROOT, so with it the middleware has nothing to serve.',
    example: 'STATIC_URL = "static/"\n# STATIC_ROOT never set',
    fix: 'Set STATIC_ROOT to an absolute directory outside the source tree that collectstatic fills at build time, and serve it (WhiteNoise, the web server, or a CDN). The quick fix sets it to `BASE_DIR / "staticfiles"` (or `os.path.join(BASE_DIR, "staticfiles")` when BASE_DIR is a string) in the production module; it is safe, as only collectstatic reads STATIC_ROOT, unless it replaces an environment lookup.',
    good: 'STATIC_URL = "static/"\nSTATIC_ROOT = BASE_DIR / "staticfiles"',
    references: [
      { title: 'Django: STATIC_ROOT', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#static-root' },
      { title: 'Django: deploying static files', url: 'https://docs.djangoproject.com/en/stable/howto/static-files/deployment/' },
      { title: 'Django: collectstatic', url: 'https://docs.djangoproject.com/en/stable/ref/contrib/staticfiles/#collectstatic' },
    ],
  },
  check(ctx) {
    const app = installedApp(ctx.settings, 'django.contrib.staticfiles');
    if (app === false) return ctx.notApplicable('django.contrib.staticfiles is not installed');
    if (app === undefined) return ctx.unknown('INSTALLED_APPS holds items the analysis cannot read');
    const s = ctx.settings.get('STATIC_ROOT');
    const v = s.value;
    if (v.kind === 'unknown') return ctx.undecided(decidable(ctx.settings.answerOf(s)));
    const empty = v.kind === 'none' || (v.kind === 'str' && v.v.trim() === '');
    if (!empty) return;
    const result = staticStorage(ctx);
    if ('conflict' in result) return;
    if (!('storage' in result)) return result.unknown ? ctx.unknown(result.unknown, result.loc) : undefined;
    const local = isLocal(result.storage.backend);
    if (local === undefined)
      return ctx.unknown(
        `the static files storage ${className(result.storage.backend)} is not one the analysis knows, so whether it needs STATIC_ROOT is unknown`,
        result.storage.loc,
      );
    if (!local) return;
    const whitenoise = middlewareHeld(ctx, WHITENOISE.middleware.whitenoise) === true;
    // a token-only JSON API serves no page that links a static file: collectstatic still fails where it runs
    const api = ctx.appKind?.tokenJsonApi;
    if (api?.state === 'yes') {
      ctx.report({
        loc: s.loc,
        severity: 'information',
        fixes: staticRootFix(ctx, s),
        message: `STATIC_ROOT ${s.isSet ? `is empty${originNote(v)}` : 'is never set in the production settings'}; ${api.brief} serves no page that links a static file, but collectstatic fails wherever it runs; set it to an absolute directory.`,
      });
      return;
    }
    const consequence = whitenoise
      ? 'collectstatic fails and WhiteNoise has nothing to serve'
      : 'collectstatic fails, so no static files are collected for the server to serve';
    ctx.report({
      loc: s.loc,
      fixes: staticRootFix(ctx, s),
      message: s.isSet
        ? `STATIC_ROOT is empty${originNote(v)} while ${className(result.storage.backend)} collects to the local disk: ${consequence}; set it to an absolute directory.`
        : `STATIC_ROOT is never set in the production settings: ${consequence}; set it to an absolute directory such as BASE_DIR / "staticfiles".`,
    });
  },
};

/**
 * Sets STATIC_ROOT to a `staticfiles` folder beside the code, built from BASE_DIR the way the
 * settings build it (a pathlib Path or an os.path string); no fix without a known BASE_DIR.
 */
function staticRootFix(ctx: RuleContext, s: SettingValue): Fix[] {
  const base = ctx.settings.get('BASE_DIR');
  if (!base.isSet || (base.value.kind !== 'path' && base.value.kind !== 'str')) return [];
  const python = base.value.kind === 'path' ? 'BASE_DIR / "staticfiles"' : 'os.path.join(BASE_DIR, "staticfiles")';
  const prodFile = ctx.project.production?.module.file;
  // Only collectstatic reads STATIC_ROOT, so setting it is safe — unless it replaces an
  // environment lookup whose variable a deployment may set.
  const fromEnv = s.isSet && isEnvironmentDefault(s.value);
  const fix = ctx.fixer.setSetting(s, python, {
    title: `Set STATIC_ROOT = ${python}${fromEnv ? ' (ignores the environment variable)' : ''}`,
    safety: fromEnv ? 'unsafe' : 'safe',
  });
  if (!fix) return [];
  if (base.value.kind === 'str' && prodFile) {
    const imports = ctx.fixer.ensureImport(prodFile, 'os', 'import os');
    const clash = imports.some((i) => fix.edits.some((e) => e.file === i.file && e.start === i.start));
    if (clash) return [];
    return [{ ...fix, edits: [...imports, ...fix.edits] }];
  }
  return [fix];
}
