// DDH608: a setting newer than the Django production runs (STORAGES under Django 3.1): that Django
// does not read it, says nothing, and does what it did before the setting existed.
import { DJANGO_DEFAULTS } from '../../catalogue/djangoDefaults';
import { SETTINGS_INTRODUCED, type IntroducedSetting } from '../../catalogue/djangoSettingsIntroduced';
import * as V from '../../eval/values';
import { atLeast } from '../../models/project/version';
import type { Rule, RuleContext, Severity } from '../types';

/** How much being ignored matters: what older releases do instead changes what production serves. */
const SEVERITY: Readonly<Record<string, Severity>> = {
  STORAGES: 'warning',
  SECURE_CSP: 'warning',
  SECRET_KEY_FALLBACKS: 'warning',
  CSRF_TRUSTED_ORIGINS: 'warning',
};

/** The version the project runs, and where it is read, for a message: "Django 3.1 (requirements.txt: Django>=3.0,<3.2)". */
function runs(ctx: RuleContext): string {
  const v = ctx.version;
  return `Django ${v.exact ?? v.version} (${v.source})`;
}

/** The class a storage setting's default names ("FileSystemStorage"), from Django's defaults. */
function defaultClass(setting: string): string {
  const d = DJANGO_DEFAULTS.find((x) => x.name === setting)?.value;
  return typeof d === 'string' ? (d.split('.').pop() ?? d) : setting;
}

/** Entries written with a scheme (`https://app.example.com`), each with where it is written. */
function schemeEntries(value: V.Value): { text: string; loc?: V.Value['loc'] }[] {
  if (!V.isSeq(value)) return [];
  const out: { text: string; loc?: V.Value['loc'] }[] = [];
  for (const i of value.items) if (i.kind === 'str' && i.v.includes('://')) out.push({ text: i.v, loc: i.loc });
  return out;
}

function check(ctx: RuleContext, s: IntroducedSetting): boolean {
  const setting = ctx.settings.get(s.name);
  if (!setting.isSet) return false;
  const version = ctx.version.version;
  if (atLeast(version, s.since)) return false;
  const severity = SEVERITY[s.name] ?? 'information';
  if (s.kind === 'scheme-form') {
    const entries = schemeEntries(setting.value);
    for (const e of entries) {
      ctx.report({
        loc: e.loc ?? setting.loc,
        severity,
        message: `${s.name} entries with a scheme are read from Django ${s.since}; ${runs(ctx)} reads "${e.text}" as a host name: ${s.before}. Write "${e.text.split('://')[1]}" while production runs Django ${version}.`,
      });
    }
    return entries.length > 0;
  }
  // a project that also sets what the older release reads (STATICFILES_STORAGE beside STORAGES) runs as it asks
  const older = s.olderSettings ?? [];
  if (s.keys && setting.value.kind === 'dict') {
    const dict = setting.value;
    // the keys it configures whose older setting is not set: those files go to the older default
    const missing = s.keys.filter((k) => V.dictGetStr(dict, k.key) != null && !ctx.settings.get(k.setting).isSet);
    if (missing.length === 0) return true;
    const defaults = missing.map((k) => `${k.files} use ${defaultClass(k.setting)}`).join(' and ');
    ctx.report({
      loc: setting.loc,
      severity,
      message: `${s.name} is read from Django ${s.since}; ${runs(ctx)} ignores it — ${defaults}, not the backends ${s.name} names (${missing.map((k) => k.setting).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set): set ${missing.map((k) => k.setting).join(' and ')} while production runs Django ${version}, or upgrade Django to ${s.since} or later.`,
    });
    return true;
  }
  if (older.length > 0 && older.every((o) => ctx.settings.get(o).isSet)) return true;
  ctx.report({
    loc: setting.loc,
    severity,
    message: `${s.name} is read from Django ${s.since}; ${runs(ctx)} ignores it, so ${s.before}${older.length > 0 ? `: set ${older.join(' and ')} as well while production runs Django ${version}, or upgrade Django` : `: upgrade Django to ${s.since} or later, or delete ${s.name}`}.`,
  });
  return true;
}

export const settingNotYetRead: Rule = {
  code: 'DDH608',
  name: 'setting-not-yet-read',
  title: 'Setting newer than the Django production runs',
  severity: 'warning',
  group: 'static-media',
  checklist: 'settings-current',
  target: 'settings',
  docs: {
    what: "The production settings set a setting that the Django release production runs does not read yet, because a later release introduced it: `STORAGES` (Django 4.2), `SECURE_CSP` and `SECURE_CSP_REPORT_ONLY` (6.0), `SECRET_KEY_FALLBACKS` (4.1), `SECURE_CROSS_ORIGIN_OPENER_POLICY` (4.0), `DEFAULT_AUTO_FIELD` (3.2), `FORMS_URLFIELD_ASSUME_HTTPS` (5.0); and `CSRF_TRUSTED_ORIGINS` entries written with a scheme (`https://app.example.com`), the form Django 4.0 reads, under an older Django that reads host names. The Django version is the one production installs (a lock file, a pin, the newest release a constraint and the image's Python allow). `STORAGES`, `SECURE_CSP`, `SECRET_KEY_FALLBACKS` and scheme-form `CSRF_TRUSTED_ORIGINS` entries are warnings; the others information. `STORAGES` together with `DEFAULT_FILE_STORAGE` and `STATICFILES_STORAGE` for the backends it names (a settings module written for several releases) is not reported.",
    why: "Django reads the settings it knows and ignores every other name without a warning. Settings copied from current documentation or a newer project template into a project that pins an older Django therefore do nothing: `STORAGES` naming S3 under Django 3.1 leaves uploads on the container's disk (lost with the next deploy) and static files in STATIC_ROOT; `SECURE_CSP` under Django 5.2 sends no Content-Security-Policy; `SECRET_KEY_FALLBACKS` under Django 4.0 does not keep the old key valid, so rotating SECRET_KEY logs everyone out.",
    example:
      '# requirements.txt: Django>=3.0,<3.2\nSTORAGES = {\n    "default": {"BACKEND": "storages.backends.s3boto3.S3Boto3Storage"},\n}',
    fix: 'Upgrade Django to the release that reads the setting, or write what the running release reads (`DEFAULT_FILE_STORAGE` and `STATICFILES_STORAGE` before 4.2; host names in `CSRF_TRUSTED_ORIGINS` before 4.0). There is no quick fix: which one is right depends on the upgrade plan.',
    good: '# requirements.txt: Django>=3.0,<3.2\nDEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"\nSTATICFILES_STORAGE = "storages.backends.s3boto3.S3StaticStorage"',
    references: [
      {
        title: 'Django 4.2 release notes: custom file storages',
        url: 'https://docs.djangoproject.com/en/4.2/releases/4.2/#custom-file-storages',
      },
      {
        title: 'Django 6.0 release notes: Content Security Policy',
        url: 'https://docs.djangoproject.com/en/6.0/releases/6.0/#content-security-policy-support',
      },
      {
        title: 'Django 4.0 release notes: CSRF_TRUSTED_ORIGINS changes',
        url: 'https://docs.djangoproject.com/en/4.0/releases/4.0/#csrf-trusted-origins-changes',
      },
      { title: 'Django 4.1 release notes', url: 'https://docs.djangoproject.com/en/4.1/releases/4.1/' },
      { title: 'Django: settings reference', url: 'https://docs.djangoproject.com/en/stable/ref/settings/' },
    ],
  },
  check(ctx) {
    let applies = false;
    let unknown = false;
    for (const s of SETTINGS_INTRODUCED) {
      if (check(ctx, s)) applies = true;
      else if (
        !ctx.settings.get(s.name).isSet &&
        ctx.settings.get(s.name).value.kind === 'unknown' &&
        !atLeast(ctx.version.version, s.since)
      )
        unknown = true;
    }
    if (applies) return;
    if (unknown) ctx.unknown('a setting newer than this Django may be set where the analysis cannot see');
    else ctx.notApplicable(`no setting newer than Django ${ctx.version.version} is set`);
  },
};
