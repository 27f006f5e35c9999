// Settings that libraries renamed but still read under their old names, new name → old name.
// django-cors-headers 3.5 renamed its settings and falls back to the old names when the new ones are
// not set.
export const LEGACY_SETTING_NAMES: Readonly<Record<string, string>> = {
  CORS_ALLOW_ALL_ORIGINS: 'CORS_ORIGIN_ALLOW_ALL',
  CORS_ALLOWED_ORIGINS: 'CORS_ORIGIN_WHITELIST',
  CORS_ALLOWED_ORIGIN_REGEXES: 'CORS_ORIGIN_REGEX_WHITELIST',
};
