// DDH604: a setting the detected Django version no longer reads (silently ignored), and in
// 4.2–5.0 the old storage settings together with STORAGES (Django refuses to start).
import { DJANGO_DEFAULTS } from '../../catalogue/djangoDefaults';
import * as V from '../../eval/values';
import { atLeast } from '../../models/project/version';
import type { Rule, RuleContext, Severity } from '../types';

interface Removed {
  readonly name: string;
  readonly removedIn: string;
  /** What replaces it (none: delete the setting). */
  readonly replacement?: string;
  /** What Django does instead, now that the setting is ignored (given the value the settings had). */
  readonly effect: string | ((v: V.Value) => string);
  /** Whether the replacement is configured (then the leftover is harmless): true/false/undefined. */
  readonly replaced?: (ctx: RuleContext) => boolean | undefined;
  /** How much the leftover matters, given its value (the rule's warning when absent). */
  readonly severity?: (v: V.Value) => Severity;
  /** The value Django used when the setting was unset: a leftover naming it changes nothing. */
  readonly defaultValue?: string;
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
    defaultValue: 'django.contrib.staticfiles.storage.StaticFilesStorage',
  },
  {
    name: 'DEFAULT_FILE_STORAGE',
    removedIn: removedIn('DEFAULT_FILE_STORAGE', '5.1'),
    replacement: 'STORAGES["default"]["BACKEND"]',
    effect: 'uploaded files go to the local FileSystemStorage (MEDIA_ROOT) instead',
    replaced: (ctx) => storagesHas(ctx, 'default'),
    defaultValue: 'django.core.files.storage.FileSystemStorage',
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
  {
    name: 'SECURE_BROWSER_XSS_FILTER',
    removedIn: removedIn('SECURE_BROWSER_XSS_FILTER', '4.0'),
    effect: 'no X-XSS-Protection header is sent (browsers ignore it anyway; a Content-Security-Policy is what protects against XSS now)',
    severity: () => 'information',
  },
  {
    name: 'DEFAULT_HASHING_ALGORITHM',
    removedIn: removedIn('DEFAULT_HASHING_ALGORITHM', '4.0'),
    effect: (v) =>
      v.kind === 'str' && v.v === 'sha1'
        ? 'signatures, sessions and password-reset tokens use SHA-256: everything signed with SHA-1 stops validating (users are logged out once)'
        : 'signing always uses SHA-256, as the setting asked',
    severity: () => 'information',
  },
  {
    name: 'USE_L10N',
    removedIn: removedIn('USE_L10N', '5.0'),
    effect: (v) =>
      V.truthy(v) === false
        ? 'localized formatting is always on: numbers and dates in templates follow the active locale (a decimal comma or thousands separator can break values written into JavaScript, CSV or form fields)'
        : 'localized formatting is always on, as the setting asked',
    severity: (v) => (V.truthy(v) === false ? 'warning' : 'information'),
  },
  {
    name: 'CSRF_COOKIE_MASKED',
    removedIn: removedIn('CSRF_COOKIE_MASKED', '5.1'),
    effect: 'the CSRF cookie is never masked (the transition from Django 4.0 that the setting served is over)',
    severity: () => 'information',
  },
  {
    name: 'FORMS_URLFIELD_ASSUME_HTTPS',
    removedIn: removedIn('FORMS_URLFIELD_ASSUME_HTTPS', '6.0'),
    effect: (v) =>
      V.truthy(v) === false
        ? 'forms.URLField assumes "https://" for an address typed without a scheme (it used to assume "http://")'
        : 'forms.URLField assumes "https://" for an address typed without a scheme, as the setting asked',
    severity: () => 'information',
  },
];

/** ADMINS/MANAGERS written as (name, address) pairs: deprecated in Django 6.0 (plain address strings instead). */
const PAIRS_DEPRECATED_IN = '6.0';

function pairItems(v: V.Value): V.Value[] {
  return V.isSeq(v) ? v.items.filter((i) => V.isSeq(i)) : [];
}

export const removedSetting: Rule = {
  code: 'DDH604',
  name: 'removed-setting',
  title: 'Setting this Django version ignores or deprecates',
  severity: 'warning',
  group: 'static-media',
  checklist: 'settings-current',
  target: 'settings',
  docs: {
    what: 'The production settings set a setting that the detected Django version no longer reads, and its replacement (if it has one) is not set: `STATICFILES_STORAGE` and `DEFAULT_FILE_STORAGE` from Django 5.1 (replaced by the `"staticfiles"` and `"default"` entries of `STORAGES`), `MIDDLEWARE_CLASSES` from 2.0 (replaced by `MIDDLEWARE`), `PASSWORD_RESET_TIMEOUT_DAYS` from 4.0 (replaced by `PASSWORD_RESET_TIMEOUT`, in seconds): warnings (a storage setting that names the default storage changes nothing: information). `USE_L10N` from 5.0 is a warning when it was False (localized formatting turns on); as information: `SECURE_BROWSER_XSS_FILTER` and `DEFAULT_HASHING_ALGORITHM` from 4.0, `USE_L10N = True` from 5.0, `CSRF_COOKIE_MASKED` from 5.1, `FORMS_URLFIELD_ASSUME_HTTPS` from 6.0, and `ADMINS`/`MANAGERS` written as (name, address) pairs, deprecated in 6.0. In Django 4.2–5.0, where the storage settings still work, setting one of them together with `STORAGES` is reported as an error.',
    why: 'Django does not warn about settings it does not know: after an upgrade the old name is simply ignored, and the project quietly runs with the default. A `STATICFILES_STORAGE` pointing at WhiteNoise\'s or a manifest storage silently becomes plain `StaticFilesStorage` (no compression, no hashed names, stale assets); a `DEFAULT_FILE_STORAGE` pointing at S3 silently becomes the local disk, so uploads vanish with the next container. A `USE_L10N = False` that Django 5.0 stops reading turns localized number formatting on, which breaks numbers written into JavaScript or CSV by templates in locales with a decimal comma. The transitional settings (`DEFAULT_HASHING_ALGORITHM`, `CSRF_COOKIE_MASKED`, `FORMS_URLFIELD_ASSUME_HTTPS`) did their job during an upgrade and now only mislead readers. In 4.2–5.0 both storage forms together make Django refuse to start ("STATICFILES_STORAGE/STORAGES are mutually exclusive").',
    example:
      '# Django 5.1\nSTATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"\nDEFAULT_FILE_STORAGE = "storages.backends.s3.S3Storage"',
    fix: "Move the value to its replacement (if it has one) and delete the old setting; write ADMINS and MANAGERS as lists of address strings. There is no quick fix: the storage's options usually move into STORAGES with it, and a deleted USE_L10N = False needs the templates checked, which is better done by hand.",
    good: 'STORAGES = {\n    "default": {"BACKEND": "storages.backends.s3.S3Storage"},\n    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},\n}',
    references: [
      { title: 'Django: STORAGES', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#storages' },
      {
        title: 'Django 5.1 release notes: features removed',
        url: 'https://docs.djangoproject.com/en/stable/releases/5.1/#features-removed-in-5-1',
      },
      {
        title: 'Django 4.2 release notes: custom file storages',
        url: 'https://docs.djangoproject.com/en/stable/releases/4.2/#custom-file-storages',
      },
      { title: 'Django: PASSWORD_RESET_TIMEOUT', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#password-reset-timeout' },
      { title: 'Django deprecation timeline', url: 'https://docs.djangoproject.com/en/dev/internals/deprecation/' },
      {
        title: 'Django 6.0 release notes: ADMINS and MANAGERS as strings',
        url: 'https://docs.djangoproject.com/en/6.0/releases/6.0/#features-deprecated-in-6-0',
      },
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
      const replaced = r.replaced ? r.replaced(ctx) : false;
      if (replaced === undefined) uncertain = true;
      if (replaced !== false) continue;
      // a leftover naming the default (`STATICFILES_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"`): ignored, nothing changes
      if (r.defaultValue !== undefined && s.value.kind === 'str' && s.value.v === r.defaultValue) {
        ctx.report({
          loc: s.loc,
          severity: 'information',
          message: `${r.name} is ignored since Django ${r.removedIn} (this project uses ${version}); it names the default, ${r.defaultValue.split('.').pop()}, so nothing changes: delete ${r.name}.`,
        });
        continue;
      }
      const effect = typeof r.effect === 'string' ? r.effect : r.effect(s.value);
      ctx.report({
        loc: s.loc,
        severity: r.severity?.(s.value),
        message: `${r.name} is ignored since Django ${r.removedIn} (this project uses ${version}), so ${effect}; ${r.replacement ? `set ${r.replacement} and delete ${r.name}` : `delete ${r.name}`}.`,
      });
    }
    if (atLeast(version, PAIRS_DEPRECATED_IN)) {
      for (const name of ['ADMINS', 'MANAGERS']) {
        const s = ctx.settings.get(name);
        if (!s.isSet || pairItems(s.value).length === 0) continue;
        // MANAGERS = ADMINS: one finding, on ADMINS
        if (name === 'MANAGERS' && ctx.settings.get('ADMINS').value === s.value) continue;
        applies = true;
        ctx.report({
          loc: s.loc,
          severity: 'information',
          message: `${name} is written as (name, address) pairs, deprecated since Django ${PAIRS_DEPRECATED_IN} (this project uses ${version}; support ends in 7.0, and Django never used the names); list the addresses as strings (e.g. '"Ops" <ops@example.com>').`,
        });
      }
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
