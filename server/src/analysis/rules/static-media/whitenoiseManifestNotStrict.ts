// DDH606: WHITENOISE_MANIFEST_STRICT = False with a WhiteNoise manifest storage.
import * as V from '../../eval/values';
import { originNote } from '../helpers';
import { WHITENOISE } from '../../catalogue/libraries';
import type { Rule } from '../types';
import { isHashed, staticStorage, storageLabel } from './storage';

export const whitenoiseManifestNotStrict: Rule = {
  code: 'DDH606',
  name: 'whitenoise-manifest-not-strict',
  title: "WhiteNoise's manifest is not strict",
  severity: 'information',
  group: 'static-media',
  checklist: 'static-files',
  target: 'settings',
  docs: {
    what: "The static files storage Django uses is one of WhiteNoise's manifest storages (`CompressedManifestStaticFilesStorage`) and the production settings set `WHITENOISE_MANIFEST_STRICT` to a false value (the default is True).",
    why: 'With the strict manifest, a template that refers to a static file the manifest does not know fails loudly (a ValueError, a 500 on that page) the first time it renders, which a deploy check or a smoke test catches. Switched off, the page renders the unhashed URL instead: the file 404s, or is served under a name browsers cache without ever seeing the next version. Turning it off is sometimes needed for third-party CSS that refers to missing files; it should be a deliberate, documented exception.',
    example:
      'STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}\nWHITENOISE_MANIFEST_STRICT = False',
    fix: 'Delete the setting and fix the missing references (collectstatic prints them), or keep it off deliberately and disable this rule for the project. There is no quick fix: turning it on can make pages fail until the references are fixed.',
    good: 'STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}',
    references: [
      {
        title: 'WhiteNoise: WHITENOISE_MANIFEST_STRICT',
        url: 'https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_MANIFEST_STRICT',
      },
      {
        title: 'Django: ManifestStaticFilesStorage.manifest_strict',
        url: 'https://docs.djangoproject.com/en/stable/ref/contrib/staticfiles/#django.contrib.staticfiles.storage.ManifestStaticFilesStorage.manifest_strict',
      },
    ],
  },
  check(ctx) {
    const result = staticStorage(ctx);
    if ('conflict' in result) return ctx.notApplicable('Django refuses to start with these storage settings (DDH604)');
    if (!('storage' in result))
      return result.unknown
        ? ctx.unknown(result.unknown, result.loc)
        : ctx.notApplicable('the static files storage comes from the environment');
    const storage = result.storage;
    if (!storage.backend.startsWith(WHITENOISE.packagePrefix) || isHashed(storage.backend) !== true)
      return ctx.notApplicable("the static files storage is not one of WhiteNoise's manifest storages");
    const strict = WHITENOISE.settings.manifestStrict;
    const q = ctx.settings.query(strict.name);
    if (q.state === 'unset') return;
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    if (V.truthy(q.value) !== false) return;
    ctx.report({
      loc: q.setting.loc,
      message: `${strict.name} is off${originNote(q.value)} with ${storageLabel(storage, ctx.version.version)} on WhiteNoise's manifest storage: a template that refers to a file missing from the manifest renders its unhashed URL (a 404, or a file cached without versioning) instead of failing where a check would see it; fix the references and delete the setting.`,
    });
  },
};
