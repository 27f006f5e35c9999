// The catalogue of settings a Django release started reading agrees with Django's defaults (`since`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DJANGO_DEFAULTS } from '../../server/src/analysis/catalogue/djangoDefaults';
import { SETTINGS_INTRODUCED } from '../../server/src/analysis/catalogue/djangoSettingsIntroduced';

describe('SETTINGS_INTRODUCED', () => {
  it("names the release djangoDefaults.ts gives as each setting's `since`, and cites Django's release notes", () => {
    for (const s of SETTINGS_INTRODUCED.filter((x) => x.kind === 'setting')) {
      const d = DJANGO_DEFAULTS.find((x) => x.name === s.name);
      assert.equal(d?.since, s.since, s.name);
      assert.match(s.source.url, /^https:\/\/docs\.djangoproject\.com\/en\/\d+\.\d+\/releases\//, s.name);
    }
    const versions = Object.fromEntries(SETTINGS_INTRODUCED.map((s) => [`${s.name}:${s.kind}`, s.since]));
    assert.deepEqual(
      {
        STORAGES: versions['STORAGES:setting'],
        SECURE_CSP: versions['SECURE_CSP:setting'],
        CSRF_TRUSTED_ORIGINS: versions['CSRF_TRUSTED_ORIGINS:scheme-form'],
        SECURE_CROSS_ORIGIN_OPENER_POLICY: versions['SECURE_CROSS_ORIGIN_OPENER_POLICY:setting'],
        DEFAULT_AUTO_FIELD: versions['DEFAULT_AUTO_FIELD:setting'],
        FORMS_URLFIELD_ASSUME_HTTPS: versions['FORMS_URLFIELD_ASSUME_HTTPS:setting'],
        SECRET_KEY_FALLBACKS: versions['SECRET_KEY_FALLBACKS:setting'],
      },
      {
        STORAGES: '4.2',
        SECURE_CSP: '6.0',
        CSRF_TRUSTED_ORIGINS: '4.0',
        SECURE_CROSS_ORIGIN_OPENER_POLICY: '4.0',
        DEFAULT_AUTO_FIELD: '3.2',
        FORMS_URLFIELD_ASSUME_HTTPS: '5.0',
        SECRET_KEY_FALLBACKS: '4.1',
      },
    );
  });
});
