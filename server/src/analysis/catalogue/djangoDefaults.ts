/**
 * Default values of the Django settings that deployment checks and deployment
 * guides care about, with the version history of each default.
 *
 * Compiled by reading Django's own sources and docs (django/django):
 *   - django/conf/global_settings.py @ 160d36d0f60347e5b8bde4c31d026e32760304b6 (6.1 development)
 *   - docs/releases/6.1.txt @ 61e078ecab9a9e8de9d283adf9fa554b6a145ce8 (MAILERS, EMAIL_* deprecations,
 *     SIGNED_COOKIE_LEGACY_SALT_FALLBACK flip)
 *   - django/core/mail/handler.py @ cc5bb01e642e6f08da4e7f389d37788865c0a36b (MAILERS has no global default)
 *   - docs/releases/4.0.txt (SECURE_BROWSER_XSS_FILTER removed), 3.2 release notes (lazy SECRET_KEY check)
 * plus the version notes in docs/ref/settings.txt. Values are expressed as data, not copied code.
 *
 * Conventions:
 *   - `value` is the default in DJANGO_NEWEST_VERSION; for a removed setting it is the default it had
 *     in the last version that still had it.
 *   - `history[i]` means "in versions older than `before`, the default was `value`". Entries are in
 *     ascending `before` order; the oldest applicable entry wins for a given version.
 *   - Before Django 1.9 most list-valued defaults were tuples (e.g. ALLOWED_HOSTS = ()). That
 *     container-type change is not recorded per setting.
 *   - `since` is only given for settings introduced in 1.8 or later.
 *   - A `null` value with a note saying "not defined" means global_settings has no such name at all
 *     (reading it raises AttributeError), which differs from a default of None.
 */

import type { Fact } from './facts';

/**
 * How Django reads SECURE_PROXY_SSL_HEADER (HttpRequest.scheme): it unpacks the setting into
 * (header, secure_value) — anything but two items raises ImproperlyConfigured —, looks the header up
 * in request.META, whose values are strings, and takes the request for https only when that string
 * (from Django 4.1 on, ticket #33569, the first of its comma-separated values) equals secure_value. A pair whose items
 * are not both strings (`("HTTP_X_FORWARDED_PROTO", None)`) therefore never makes a request https:
 * whatever a client sends in that header, Django does not believe it.
 */
export const PROXY_SSL_HEADER_MATCH: Fact<{ readonly items: 2; readonly itemType: 'str' }> = {
  value: { items: 2, itemType: 'str' },
  knob: 'SECURE_PROXY_SSL_HEADER',
  source: {
    url: 'https://github.com/django/django/blob/3.2/django/http/request.py',
    quote:
      "header, secure_value = settings.SECURE_PROXY_SSL_HEADER … header_value = self.META.get(header); if header_value is not None: return 'https' if header_value == secure_value else 'http'",
    versions:
      'Django 3.2 (Debian python3-django 3.2 read); 4.1 and later (ticket #33569) compare the first comma-separated value the same way',
  },
};

export type PyLiteral = null | boolean | number | string | PyLiteral[] | { tuple: PyLiteral[] } | { dict: Record<string, PyLiteral> };

export interface DjangoDefault {
  name: string;
  /** Default in the NEWEST Django (or, for removed settings, the last default it had). */
  value: PyLiteral;
  /** Versions older than `before` had `value` as the default. */
  history?: { before: string; value: PyLiteral }[];
  /** Version that introduced the setting (only given when >= 1.8). */
  since?: string;
  /** Version that removed the setting. */
  removedIn?: string;
  /** Version that deprecated the setting. */
  deprecatedIn?: string;
  /** Free-text remark (extension of the agreed interface; optional). */
  note?: string;
}

/** Newest Django release line described by this data (6.1 was released in August 2026). */
export const DJANGO_NEWEST_VERSION: string = '6.1';

const d = (entries: Record<string, PyLiteral>): { dict: Record<string, PyLiteral> } => ({ dict: entries });

const PBKDF2 = 'django.contrib.auth.hashers.PBKDF2PasswordHasher';
const PBKDF2_SHA1 = 'django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher';
const ARGON2 = 'django.contrib.auth.hashers.Argon2PasswordHasher';
const BCRYPT_SHA256 = 'django.contrib.auth.hashers.BCryptSHA256PasswordHasher';
const SCRYPT = 'django.contrib.auth.hashers.ScryptPasswordHasher';

export const DJANGO_DEFAULTS: readonly DjangoDefault[] = [
  // ---------------------------------------------------------------- core
  { name: 'DEBUG', value: false },
  {
    name: 'DEBUG_PROPAGATE_EXCEPTIONS',
    value: false,
  },
  {
    name: 'SECRET_KEY',
    value: '',
    note:
      'Empty by default. Since 3.2 an empty/missing value is only rejected (ImproperlyConfigured) when ' +
      'settings.SECRET_KEY is first read, and check --deploy reports it as security.W009. Before 3.2 an ' +
      'empty value made settings loading itself fail, so no check ever ran.',
  },
  { name: 'SECRET_KEY_FALLBACKS', value: [], since: '4.1' },
  { name: 'ALLOWED_HOSTS', value: [] },
  { name: 'INTERNAL_IPS', value: [] },
  { name: 'INSTALLED_APPS', value: [] },
  {
    name: 'MIDDLEWARE',
    value: [],
    since: '1.10',
    history: [{ before: '2.0', value: null }],
    note: 'In 1.10 and 1.11 a None value meant "use the old MIDDLEWARE_CLASSES setting instead".',
  },
  {
    name: 'MIDDLEWARE_CLASSES',
    value: ['django.middleware.common.CommonMiddleware', 'django.middleware.csrf.CsrfViewMiddleware'],
    deprecatedIn: '1.10',
    removedIn: '2.0',
    note: 'Ignored from 1.10 whenever MIDDLEWARE is set (not None).',
  },
  {
    name: 'USE_TZ',
    value: true,
    history: [{ before: '5.0', value: false }],
    note: 'startproject has written USE_TZ = True into new settings files for a long time; only the global default flipped in 5.0.',
  },
  {
    name: 'DEFAULT_AUTO_FIELD',
    value: 'django.db.models.BigAutoField',
    since: '3.2',
    history: [{ before: '6.0', value: 'django.db.models.AutoField' }],
  },
  { name: 'SILENCED_SYSTEM_CHECKS', value: [] },
  { name: 'TEMPLATES', value: [], since: '1.8' },
  { name: 'WSGI_APPLICATION', value: null },

  // ---------------------------------------------------------------- CommonMiddleware
  { name: 'APPEND_SLASH', value: true },
  { name: 'PREPEND_WWW', value: false },
  { name: 'DISALLOWED_USER_AGENTS', value: [] },

  // ---------------------------------------------------------------- security middleware
  { name: 'SECURE_HSTS_SECONDS', value: 0, since: '1.8' },
  { name: 'SECURE_HSTS_INCLUDE_SUBDOMAINS', value: false, since: '1.8' },
  { name: 'SECURE_HSTS_PRELOAD', value: false, since: '1.11' },
  { name: 'SECURE_SSL_REDIRECT', value: false, since: '1.8' },
  { name: 'SECURE_SSL_HOST', value: null, since: '1.8' },
  { name: 'SECURE_REDIRECT_EXEMPT', value: [], since: '1.8' },
  {
    name: 'SECURE_PROXY_SSL_HEADER',
    value: null,
    note: 'Expected shape when set: a 2-tuple (header META name, value), e.g. ("HTTP_X_FORWARDED_PROTO", "https"). Not checked by check --deploy.',
  },
  {
    name: 'SECURE_CONTENT_TYPE_NOSNIFF',
    value: true,
    since: '1.8',
    history: [{ before: '3.0', value: false }],
  },
  {
    name: 'SECURE_BROWSER_XSS_FILTER',
    value: false,
    since: '1.8',
    removedIn: '4.0',
    note: 'Removed outright in 4.0 (no deprecation period); SecurityMiddleware stopped emitting X-XSS-Protection. The security.W007 check for it was already dropped in 3.0.',
  },
  {
    name: 'SECURE_REFERRER_POLICY',
    value: 'same-origin',
    since: '3.0',
    history: [{ before: '3.1', value: null }],
    note: 'Accepts a single policy, a comma-separated string, or an iterable of policies.',
  },
  { name: 'SECURE_CROSS_ORIGIN_OPENER_POLICY', value: 'same-origin', since: '4.0' },
  {
    name: 'SECURE_CSP',
    value: d({}),
    since: '6.0',
    note: 'Read by django.middleware.csp.ContentSecurityPolicyMiddleware; an empty dict emits no header.',
  },
  { name: 'SECURE_CSP_REPORT_ONLY', value: d({}), since: '6.0' },
  {
    name: 'X_FRAME_OPTIONS',
    value: 'DENY',
    history: [{ before: '3.0', value: 'SAMEORIGIN' }],
  },
  { name: 'USE_X_FORWARDED_HOST', value: false },
  { name: 'USE_X_FORWARDED_PORT', value: false, since: '1.9' },

  // ---------------------------------------------------------------- sessions
  { name: 'SESSION_ENGINE', value: 'django.contrib.sessions.backends.db' },
  {
    name: 'SESSION_CACHE_ALIAS',
    value: 'default',
    note: 'Only used by the cache and cached_db session engines.',
  },
  { name: 'SESSION_COOKIE_NAME', value: 'sessionid' },
  { name: 'SESSION_COOKIE_AGE', value: 1209600, note: 'Two weeks, in seconds.' },
  { name: 'SESSION_COOKIE_DOMAIN', value: null },
  { name: 'SESSION_COOKIE_PATH', value: '/' },
  { name: 'SESSION_COOKIE_SECURE', value: false },
  { name: 'SESSION_COOKIE_HTTPONLY', value: true },
  {
    name: 'SESSION_COOKIE_SAMESITE',
    value: 'Lax',
    since: '2.1',
    note: "Allowed: 'Strict', 'Lax', 'None' (string) or False to omit the attribute.",
  },
  { name: 'SESSION_EXPIRE_AT_BROWSER_CLOSE', value: false },
  { name: 'SESSION_SAVE_EVERY_REQUEST', value: false },
  { name: 'SESSION_SERIALIZER', value: 'django.contrib.sessions.serializers.JSONSerializer' },
  { name: 'SESSION_FILE_PATH', value: null },

  // ---------------------------------------------------------------- CSRF
  { name: 'CSRF_COOKIE_NAME', value: 'csrftoken' },
  { name: 'CSRF_COOKIE_AGE', value: 31449600, note: '52 weeks, in seconds.' },
  { name: 'CSRF_COOKIE_DOMAIN', value: null },
  { name: 'CSRF_COOKIE_PATH', value: '/' },
  { name: 'CSRF_COOKIE_SECURE', value: false },
  { name: 'CSRF_COOKIE_HTTPONLY', value: false },
  { name: 'CSRF_COOKIE_SAMESITE', value: 'Lax', since: '2.1' },
  { name: 'CSRF_HEADER_NAME', value: 'HTTP_X_CSRFTOKEN', since: '1.9' },
  {
    name: 'CSRF_TRUSTED_ORIGINS',
    value: [],
    since: '1.9',
    note: 'Since 4.0 every entry must include a scheme (e.g. "https://example.com"); entries without "://" raise 4_0.E001.',
  },
  { name: 'CSRF_USE_SESSIONS', value: false, since: '1.11' },
  { name: 'CSRF_FAILURE_VIEW', value: 'django.views.csrf.csrf_failure' },

  // ---------------------------------------------------------------- signing
  {
    name: 'SIGNED_COOKIE_LEGACY_SALT_FALLBACK',
    value: false,
    since: '5.2.15',
    history: [{ before: '6.1', value: true }],
    deprecatedIn: '6.1',
    note:
      'Transitional setting added by the June 2026 security releases 5.2.15 and 6.0.6 (default True there); ' +
      '6.1 flips the default to False and deprecates it; slated for removal in 7.0.',
  },
  {
    name: 'DEFAULT_HASHING_ALGORITHM',
    value: 'sha256',
    since: '3.1',
    deprecatedIn: '3.1',
    removedIn: '4.0',
    note: 'Transitional setting; security.E100 validated it (must be "sha1" or "sha256").',
  },

  {
    name: 'CSRF_COOKIE_MASKED',
    value: false,
    since: '4.1',
    deprecatedIn: '4.1',
    removedIn: '5.1',
    note: 'Transitional setting (4.1 stopped masking the CSRF cookie); removed in 5.1 per the deprecation timeline.',
  },
  {
    name: 'FORMS_URLFIELD_ASSUME_HTTPS',
    value: false,
    since: '5.0',
    deprecatedIn: '5.0',
    removedIn: '6.0',
    note: 'Transitional setting; from 6.0 forms.URLField always assumes "https" for a URL typed without a scheme.',
  },
  {
    name: 'USE_L10N',
    value: true,
    history: [{ before: '4.0', value: false }],
    deprecatedIn: '4.0',
    removedIn: '5.0',
    note: 'Default flipped to True in 4.0 and deprecated; removed in 5.0: localized formatting is always on.',
  },

  // ---------------------------------------------------------------- databases and caches
  { name: 'DATABASES', value: d({}) },
  {
    // Not a top-level setting: this is the per-alias key inside each DATABASES entry. A top-level
    // CONN_MAX_AGE = ... in a settings module is silently ignored by Django.
    name: 'DATABASES[alias].CONN_MAX_AGE',
    value: 0,
    note: 'Per-database key (0 = close the connection at the end of each request; None = unlimited persistent connections).',
  },
  {
    // Per-alias key inside each DATABASES entry, like CONN_MAX_AGE.
    name: 'DATABASES[alias].CONN_HEALTH_CHECKS',
    value: false,
    since: '4.1',
  },
  {
    name: 'CACHES',
    value: d({ default: d({ BACKEND: 'django.core.cache.backends.locmem.LocMemCache' }) }),
  },

  // ---------------------------------------------------------------- email
  {
    name: 'MAILERS',
    value: null,
    since: '6.1',
    note:
      'Not defined in global_settings in 6.1: defining it is how a project opts in. Without it the deprecated ' +
      'EMAIL_* settings are used. Planned to replace EMAIL_BACKEND and friends in 7.0. mail.E001 (deploy) and ' +
      'mail.W001 inspect it.',
  },
  { name: 'EMAIL_BACKEND', value: 'django.core.mail.backends.smtp.EmailBackend', deprecatedIn: '6.1' },
  { name: 'EMAIL_HOST', value: 'localhost', deprecatedIn: '6.1' },
  { name: 'EMAIL_PORT', value: 25, deprecatedIn: '6.1' },
  { name: 'EMAIL_HOST_USER', value: '', deprecatedIn: '6.1' },
  { name: 'EMAIL_HOST_PASSWORD', value: '', deprecatedIn: '6.1' },
  { name: 'EMAIL_USE_TLS', value: false, deprecatedIn: '6.1' },
  {
    name: 'EMAIL_USE_SSL',
    value: false,
    deprecatedIn: '6.1',
    note: 'Mutually exclusive with EMAIL_USE_TLS (setting both raises ValueError when the SMTP backend is built).',
  },
  { name: 'EMAIL_SSL_CERTFILE', value: null, since: '1.8', deprecatedIn: '6.1' },
  { name: 'EMAIL_SSL_KEYFILE', value: null, since: '1.8', deprecatedIn: '6.1' },
  { name: 'EMAIL_TIMEOUT', value: null, since: '1.8', deprecatedIn: '6.1' },
  {
    name: 'EMAIL_FILE_PATH',
    value: null,
    deprecatedIn: '6.1',
    note: 'Not defined in global_settings (only the file-based backend reads it).',
  },
  { name: 'EMAIL_SUBJECT_PREFIX', value: '[Django] ' },
  { name: 'DEFAULT_FROM_EMAIL', value: 'webmaster@localhost' },
  { name: 'SERVER_EMAIL', value: 'root@localhost' },
  {
    name: 'ADMINS',
    value: [],
    note: 'Since 6.0 the list-of-(name, address)-tuples form is deprecated; use plain address strings.',
  },
  {
    name: 'MANAGERS',
    value: [],
    note: 'global_settings binds MANAGERS to the same object as ADMINS; same tuple-form deprecation as ADMINS since 6.0.',
  },

  // ---------------------------------------------------------------- static and media files
  { name: 'STATIC_URL', value: null },
  { name: 'STATIC_ROOT', value: null },
  { name: 'STATICFILES_DIRS', value: [] },
  {
    name: 'STATICFILES_STORAGE',
    value: 'django.contrib.staticfiles.storage.StaticFilesStorage',
    deprecatedIn: '4.2',
    removedIn: '5.1',
    note: 'Replaced by STORAGES["staticfiles"]; from 5.1 a leftover value is silently ignored.',
  },
  {
    name: 'DEFAULT_FILE_STORAGE',
    value: 'django.core.files.storage.FileSystemStorage',
    deprecatedIn: '4.2',
    removedIn: '5.1',
    note: 'Replaced by STORAGES["default"]; from 5.1 a leftover value is silently ignored.',
  },
  {
    name: 'STORAGES',
    value: d({
      default: d({ BACKEND: 'django.core.files.storage.FileSystemStorage' }),
      staticfiles: d({ BACKEND: 'django.contrib.staticfiles.storage.StaticFilesStorage' }),
    }),
    since: '4.2',
    note: 'In 4.2-5.0 setting STORAGES together with DEFAULT_FILE_STORAGE or STATICFILES_STORAGE is an ImproperlyConfigured error.',
  },
  { name: 'MEDIA_ROOT', value: '' },
  { name: 'MEDIA_URL', value: '' },
  { name: 'FILE_UPLOAD_MAX_MEMORY_SIZE', value: 2621440 },
  {
    name: 'FILE_UPLOAD_PERMISSIONS',
    value: 0o644,
    history: [{ before: '3.0', value: null }],
    note: 'Octal 0o644 (decimal 420). Before 3.0 None meant "platform dependent" (temporary-file uploads could end up 0o600).',
  },
  { name: 'FILE_UPLOAD_DIRECTORY_PERMISSIONS', value: null },
  { name: 'DATA_UPLOAD_MAX_MEMORY_SIZE', value: 2621440, since: '1.10', note: '2.5 MB; None disables the limit.' },
  { name: 'DATA_UPLOAD_MAX_NUMBER_FIELDS', value: 1000, since: '1.10' },
  {
    name: 'DATA_UPLOAD_MAX_NUMBER_FILES',
    value: 100,
    since: '3.2.18',
    note: 'Added by the February 2023 security releases (3.2.18, 4.0.10, 4.1.7) and present in 4.2+.',
  },

  // ---------------------------------------------------------------- logging
  { name: 'LOGGING_CONFIG', value: 'logging.config.dictConfig' },
  { name: 'LOGGING', value: d({}) },

  // ---------------------------------------------------------------- authentication
  {
    name: 'PASSWORD_HASHERS',
    value: [PBKDF2, PBKDF2_SHA1, ARGON2, BCRYPT_SHA256, SCRYPT],
    history: [{ before: '4.0', value: [PBKDF2, PBKDF2_SHA1, ARGON2, BCRYPT_SHA256] }],
    note: 'Lists before 2.1 were longer (they also carried BCryptPasswordHasher, and pre-1.10 the legacy SHA1/MD5 hashers); not recorded.',
  },
  { name: 'AUTH_PASSWORD_VALIDATORS', value: [], since: '1.9' },
];
