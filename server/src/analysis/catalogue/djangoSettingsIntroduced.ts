// The settings, and the forms of a setting's value, that a Django release started reading: an older
// Django ignores them without a word, so a project that sets one while production runs an older
// release silently runs with what the older release does instead (rules/static-media/settingNotYetRead.ts).
// Each release agrees with `since` in djangoDefaults.ts (test/unit/setting-not-yet-read.test.ts).
import type { Source } from './facts';

export interface IntroducedSetting {
  /** The setting. */
  readonly name: string;
  /** The release that started reading it ("4.2"). */
  readonly since: string;
  /**
   * `setting`: older releases do not read the name at all. `scheme-form`: older releases read the
   * setting but not entries written with a scheme (`https://example.com`), which match nothing there.
   */
  readonly kind: 'setting' | 'scheme-form';
  /** What an older release does instead, in the words of a finding ("no Content-Security-Policy header is sent"). */
  readonly before: string;
  /** The settings older releases read for the same thing, if any (a project may set both to span releases). */
  readonly olderSettings?: readonly string[];
  /** For a dictionary setting: which older setting each key stands for, and what it holds (STORAGES' "default": DEFAULT_FILE_STORAGE, uploaded files). */
  readonly keys?: readonly { readonly key: string; readonly setting: string; readonly files: string }[];
  readonly source: Source;
}

export const SETTINGS_INTRODUCED: readonly IntroducedSetting[] = [
  {
    name: 'STORAGES',
    since: '4.2',
    kind: 'setting',
    before:
      'uploaded files use the storage DEFAULT_FILE_STORAGE names (FileSystemStorage in MEDIA_ROOT by default) and static files the one STATICFILES_STORAGE names (StaticFilesStorage in STATIC_ROOT by default)',
    olderSettings: ['DEFAULT_FILE_STORAGE', 'STATICFILES_STORAGE'],
    keys: [
      { key: 'default', setting: 'DEFAULT_FILE_STORAGE', files: 'uploaded media' },
      { key: 'staticfiles', setting: 'STATICFILES_STORAGE', files: 'static files' },
    ],
    source: {
      url: 'https://docs.djangoproject.com/en/4.2/releases/4.2/#custom-file-storages',
      quote:
        'The new STORAGES setting allows configuring multiple custom file storage backends. It also controls storage engines for managing files (the "default" key) and static files (the "staticfiles" key). The old DEFAULT_FILE_STORAGE and STATICFILES_STORAGE settings are deprecated as of this release.',
      versions: 'Django 4.2 and later',
    },
  },
  {
    name: 'SECURE_CSP',
    since: '6.0',
    kind: 'setting',
    before: 'no Content-Security-Policy header is sent (the middleware that reads it, django.middleware.csp, does not exist either)',
    source: {
      url: 'https://docs.djangoproject.com/en/6.0/releases/6.0/#content-security-policy-support',
      quote:
        'Built-in support for the Content Security Policy (CSP) standard is now available, making it easier to protect web applications against content injection attacks such as cross-site scripting (XSS). CSP allows declaring trusted sources of content by giving browsers strict rules about which scripts, styles, images, or other resources can be loaded. … configured using the new SECURE_CSP and SECURE_CSP_REPORT_ONLY settings, ContentSecurityPolicyMiddleware',
      versions: 'Django 6.0 and later',
    },
  },
  {
    name: 'SECURE_CSP_REPORT_ONLY',
    since: '6.0',
    kind: 'setting',
    before: 'no Content-Security-Policy-Report-Only header is sent',
    source: {
      url: 'https://docs.djangoproject.com/en/6.0/releases/6.0/#content-security-policy-support',
      quote: '… configured using the new SECURE_CSP and SECURE_CSP_REPORT_ONLY settings',
      versions: 'Django 6.0 and later',
    },
  },
  {
    name: 'SECURE_CROSS_ORIGIN_OPENER_POLICY',
    since: '4.0',
    kind: 'setting',
    before: 'no Cross-Origin-Opener-Policy header is sent',
    source: {
      url: 'https://docs.djangoproject.com/en/4.0/releases/4.0/',
      quote:
        "SecurityMiddleware now adds the Cross-Origin Opener Policy header with a value of 'same-origin' to prevent cross-origin popups from sharing the same browsing context. You can prevent this header from being added by setting the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to None.",
      versions: 'Django 4.0 and later',
    },
  },
  {
    name: 'DEFAULT_AUTO_FIELD',
    since: '3.2',
    kind: 'setting',
    before: "models' automatic primary keys are AutoField, whatever it names",
    source: {
      url: 'https://docs.djangoproject.com/en/3.2/releases/3.2/#customizing-type-of-auto-created-primary-keys',
      quote:
        'When defining a model, if no field in a model is defined with primary_key=True an implicit primary key is added. The type of this implicit primary key can now be controlled via the DEFAULT_AUTO_FIELD setting and AppConfig.default_auto_field attribute.',
      versions: 'Django 3.2 and later',
    },
  },
  {
    name: 'SECRET_KEY_FALLBACKS',
    since: '4.1',
    kind: 'setting',
    before:
      'only SECRET_KEY validates signatures: sessions, password-reset links and signed cookies made with the old keys stop validating (a key rotation logs everyone out)',
    source: {
      url: 'https://docs.djangoproject.com/en/4.1/releases/4.1/',
      quote: 'The new SECRET_KEY_FALLBACKS setting allows providing a list of values for secret key rotation.',
      versions: 'Django 4.1 and later',
    },
  },
  {
    name: 'FORMS_URLFIELD_ASSUME_HTTPS',
    since: '5.0',
    kind: 'setting',
    before: 'forms.URLField assumes "http://" for an address typed without a scheme',
    source: {
      url: 'https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0',
      quote:
        'The default scheme for forms.URLField will change from "http" to "https" in Django 6.0. Set FORMS_URLFIELD_ASSUME_HTTPS transitional setting to True to opt into assuming "https" during the Django 5.x release cycle.',
      versions: 'Django 5.0 (transitional, removed in 6.0)',
    },
  },
  {
    name: 'CSRF_TRUSTED_ORIGINS',
    since: '4.0',
    kind: 'scheme-form',
    before: 'it matches no Referer, so a form posted over HTTPS from that origin is refused (403, "Referer checking failed")',
    source: {
      url: 'https://docs.djangoproject.com/en/4.0/releases/4.0/#csrf-trusted-origins-changes',
      quote:
        "Values in the CSRF_TRUSTED_ORIGINS setting must include the scheme (e.g. 'http://' or 'https://') instead of only the hostname.",
      versions: 'Django 4.0 and later; 1.9 to 3.2 read host names ("example.com", ".example.com")',
    },
  },
];
