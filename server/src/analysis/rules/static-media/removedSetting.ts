// DDH604: a setting the detected Django version no longer reads (silently ignored), and in
// 4.2–5.0 the old storage settings together with STORAGES (Django refuses to start).
import { DJANGO_DEFAULTS } from '../../django/defaults';
import * as V from '../../eval/values';
import { atLeast } from '../../project/version';
import type { Rule, RuleContext } from '../types';

interface Removed {
  readonly name: string;
  readonly removedIn: string;
  /** What replaces it. */
  readonly replacement: string;
  /** What Django does instead, now that the setting is ignored. */
  readonly effect: string;
  /** Whether the replacement is configured (then the leftover is harmless): true/false/undefined. */
  readonly replaced: (ctx: RuleContext) => boolean | undefined;
}

const removedIn = (name: string, fallback: string): string => DJANGO_DEFAULTS.find((d) => d.name === name)?.removedIn ?? fallback;

/** Whether STORAGES is set with the alias: true/false/undefined (unknown). */
function storagesHas(ctx: RuleContext, alias: string): boolean | undefined {
  const s = ctx.settings.get('STORAGES');
  if (!s.isSet) return s.value.kind === 'unknown' ? undefined : false;
  if (s.value.kind !== 'dict') return s.value.kind === 'unknown' ? undefined : false;
  const entry = V.dictGetStr(s.value, alias);
  return entry === undefined ? undefined : entry !== null;
}

function isSet(ctx: RuleContext, name: string): boolean | undefined {
  const s = ctx.settings.get(name);
  return s.isSet ? true : s.value.kind === 'unknown' ? undefined : false;
}

const REMOVED: readonly Removed[] = [
  {
    name: 'STATICFILES_STORAGE',
    removedIn: removedIn('STATICFILES_STORAGE', '5.1'),
    replacement: 'STORAGES["staticfiles"]["BACKEND"]',
    effect: "static files use Django's default StaticFilesStorage instead",
    replaced: (ctx) => storagesHas(ctx, 'staticfiles'),
  },
  {
    name: 'DEFAULT_FILE_STORAGE',
    removedIn: removedIn('DEFAULT_FILE_STORAGE', '5.1'),
    replacement: 'STORAGES["default"]["BACKEND"]',
    effect: 'uploaded files go to the local FileSystemStorage (MEDIA_ROOT) instead',
    replaced: (ctx) => storagesHas(ctx, 'default'),
  },
  {
    name: 'MIDDLEWARE_CLASSES',
    removedIn: removedIn('MIDDLEWARE_CLASSES', '2.0'),
    replacement: 'MIDDLEWARE',
    effect: 'no middleware runs at all: no security headers, no CSRF protection, no sessions',
    replaced: (ctx) => isSet(ctx, 'MIDDLEWARE'),
  },
  {
    name: 'PASSWORD_RESET_TIMEOUT_DAYS',
    removedIn: '4.0',
    replacement: 'PASSWORD_RESET_TIMEOUT (in seconds)',
    effect: 'password-reset links stay valid for the default 3 days',
    replaced: (ctx) => isSet(ctx, 'PASSWORD_RESET_TIMEOUT'),
  },
];

export const removedSetting: Rule = {
  code: 'DDH604',
  name: 'removed-setting',
  title: 'Setting removed in this Django version',
  severity: 'warning',
  group: 'static-media',
  checklist: 'static-files',
  target: 'settings',
  docs: {
    what:
      'The production settings set a setting that the detected Django version no longer reads, and its replacement is not set: `STATICFILES_STORAGE` and `DEFAULT_FILE_STORAGE` from Django 5.1 (replaced by the `"staticfiles"` and `"default"` entries of `STORAGES`), `MIDDLEWARE_CLASSES` from 2.0 (replaced by `MIDDLEWARE`), `PASSWORD_RESET_TIMEOUT_DAYS` from 4.0 (replaced by `PASSWORD_RESET_TIMEOUT`, in seconds). In Django 4.2–5.0, where the storage settings still work, setting one of them together with `STORAGES` is reported as an error. Removed settings with no effect on a deployment (`SECURE_BROWSER_XSS_FILTER`, whose header browsers ignore) are not reported.',
    why:
      'Django does not warn about settings it does not know: after an upgrade the old name is simply ignored, and the project quietly runs with the default. A `STATICFILES_STORAGE` pointing at WhiteNoise\'s or a manifest storage silently becomes plain `StaticFilesStorage` (no compression, no hashed names, stale assets); a `DEFAULT_FILE_STORAGE` pointing at S3 silently becomes the local disk, so uploads vanish with the next container. In 4.2–5.0 both forms together make Django refuse to start ("STATICFILES_STORAGE/STORAGES are mutually exclusive").',
    example: '# Django 5.1\nSTATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"\nDEFAULT_FILE_STORAGE = "storages.backends.s3.S3Storage"',
    fix: 'Move the value to its replacement and delete the old setting. There is no quick fix: the storage\'s options usually move into STORAGES with it, which is better done by hand.',
    good: 'STORAGES = {\n    "default": {"BACKEND": "storages.backends.s3.S3Storage"},\n    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},\n}',
    references: [
      { title: 'Django: STORAGES', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#storages' },
      { title: 'Django 5.1 release notes: features removed', url: 'https://docs.djangoproject.com/en/stable/releases/5.1/#features-removed-in-5-1' },
      { title: 'Django 4.2 release notes: custom file storages', url: 'https://docs.djangoproject.com/en/stable/releases/4.2/#custom-file-storages' },
      { title: 'Django: PASSWORD_RESET_TIMEOUT', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#password-reset-timeout' },
    ],
  },
  check(ctx) {
    const version = ctx.version.version;
    let uncertain = false;
    let applies = false;
    for (const r of REMOVED) {
      const s = ctx.settings.get(r.name);
      if (!s.isSet) continue;
      if (!atLeast(version, r.removedIn)) continue;
      applies = true;
      const replaced = r.replaced(ctx);
      if (replaced === undefined) uncertain = true;
      if (replaced !== false) continue;
      ctx.report({
        loc: s.loc,
        message: `${r.name} is ignored since Django ${r.removedIn} (this project uses ${version}), so ${r.effect}; set ${r.replacement} and delete ${r.name}.`,
      });
    }
    if (atLeast(version, '4.2') && !atLeast(version, '5.1') && ctx.settings.get('STORAGES').isSet) {
      for (const name of ['STATICFILES_STORAGE', 'DEFAULT_FILE_STORAGE']) {
        const s = ctx.settings.get(name);
        if (!s.isSet) continue;
        applies = true;
        ctx.report({
          loc: s.loc,
          severity: 'error',
          message: `${name} is set together with STORAGES: Django ${version} refuses to start ("${name}/STORAGES are mutually exclusive"); move it into STORAGES and delete it.`,
        });
      }
    }
    if (uncertain) ctx.unknown('STORAGES, MIDDLEWARE or PASSWORD_RESET_TIMEOUT is not known statically');
    else if (!applies) ctx.notApplicable(`no setting removed in Django ${version} is set`);
  },
};
