// DDH603: the static files storage does not put content hashes in file names.
import { installedApp } from '../helpers';
import type { Rule } from '../types';
import { className, isHashed, staticStorage, storageLabel, storageSettingName } from './storage';

export const staticStorageNotHashed: Rule = {
  code: 'DDH603',
  name: 'static-storage-not-hashed',
  title: 'Static files without hashed names',
  severity: 'information',
  group: 'static-media',
  checklist: 'static-files',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what:
      "The static files storage Django uses in production (`STORAGES[\"staticfiles\"]` from 4.2, `STATICFILES_STORAGE` before; Django's `StaticFilesStorage` when neither is set) does not write content-hashed copies: it is not `ManifestStaticFilesStorage`, WhiteNoise's `CompressedManifestStaticFilesStorage`, django-storages' `S3ManifestStaticStorage` or another manifest storage. A leftover `STATICFILES_STORAGE` that Django 5.1+ ignores does not count (see DDH604).",
    why:
      '`{% static "app.css" %}` then renders the same URL before and after a deploy. Browsers, proxies and CDNs that cached the old file keep serving it, so users get new HTML with stale CSS and JavaScript — or you must give static files short cache lifetimes, which costs every visitor bandwidth and latency. With hashed names (`app.3f2a1c.css`) each deploy gets new URLs and the files can be cached for a year.',
    example: 'STORAGES = {\n    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},\n    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},\n}',
    fix: 'Use a manifest storage: `django.contrib.staticfiles.storage.ManifestStaticFilesStorage`, or with WhiteNoise `whitenoise.storage.CompressedManifestStaticFilesStorage`. collectstatic then fails on a reference to a missing file, which is worth fixing before the deploy rather than after. The quick fix changes the backend; it is unsafe because templates must then reference existing files and collectstatic must run at build time.',
    good: 'STORAGES = {\n    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},\n    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},\n}',
    references: [
      { title: 'Django: ManifestStaticFilesStorage', url: 'https://docs.djangoproject.com/en/stable/ref/contrib/staticfiles/#manifeststaticfilesstorage' },
      { title: 'Django: STORAGES', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#storages' },
      { title: 'WhiteNoise: add compression and caching support', url: 'https://whitenoise.readthedocs.io/en/stable/django.html#add-compression-and-caching-support' },
    ],
  },
  check(ctx) {
    const app = installedApp(ctx.settings, 'django.contrib.staticfiles');
    if (app === false) return ctx.notApplicable('django.contrib.staticfiles is not installed');
    if (app === undefined) return ctx.unknown('INSTALLED_APPS holds items the analysis cannot read');
    const result = staticStorage(ctx);
    if ('conflict' in result) return;
    if (!('storage' in result)) return result.unknown ? ctx.unknown(result.unknown, result.loc) : undefined;
    const st = result.storage;
    const hashed = isHashed(st.backend);
    if (hashed === undefined) return ctx.unknown(`the static files storage ${className(st.backend)} is not one the analysis knows`, st.loc);
    if (hashed) return;
    const version = ctx.version.version;
    const where =
      st.source === 'default'
        ? st.ignored
          ? `Django ${version} ignores STATICFILES_STORAGE, so static files use the default ${className(st.backend)}`
          : `${storageSettingName(version)} is not set, so static files use the default ${className(st.backend)}`
        : `${storageLabel(st, version)} is ${className(st.backend)}`;
    ctx.report({
      loc: st.loc,
      message: `${where}, which keeps file names without content hashes: browsers keep stale CSS and JavaScript after a deploy; use a manifest storage.`,
    });
  },
};
