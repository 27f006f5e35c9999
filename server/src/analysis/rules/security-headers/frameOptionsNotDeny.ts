// DDH405: Django's security.W019 — X_FRAME_OPTIONS is not 'DENY'.
import { JET, JET_FACTS } from '../../catalogue/libraries';
import { echoable, installedApp, originNote } from '../helpers';
import type { Rule } from '../types';
import { MW, PASS, securitySettingFix, undecided, withMiddleware, type SettingsView, type Verdict } from '../securitySettings';

/** security.W019's condition on the setting: X_FRAME_OPTIONS == 'DENY' (exact). */
export function frameOptionsVerdict(view: SettingsView): Verdict {
  const s = view.settings.get('X_FRAME_OPTIONS');
  if (s.value.kind === 'unknown') return undecided(s);
  return s.value.kind === 'str' && s.value.v === 'DENY' ? PASS : { state: 'fail', setting: s };
}

export const frameOptionsNotDeny: Rule = {
  code: 'DDH405',
  name: 'frame-options-not-deny',
  title: "X_FRAME_OPTIONS is not 'DENY'",
  severity: 'information',
  group: 'security-headers',
  checklist: 'security-headers',
  explainable: true,
  django: ['security.W019'],
  djangoVersions: { since: '1.8' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W019`: `XFrameOptionsMiddleware` is installed and the production `X_FRAME_OPTIONS` is not exactly `'DENY'` (the comparison is case-sensitive). Django's default was `'SAMEORIGIN'` before 3.0, so older projects get this out of the box; since 3.0 the default is `'DENY'`. `'SAMEORIGIN'` with django-jet or django-jet-reboot installed (its `jet` app) is not reported: its related-object popups show the admin's own pages in a frame, which `'DENY'` blanks.",
    why: "`SAMEORIGIN` still stops other sites from framing the pages, so this is advice rather than a hole: but any page of the site that can be made to frame another (an HTML upload, a page embedding a URL from a parameter) can then be used to frame sensitive pages of the same origin. `DENY` rules that out. Modern browsers also honour CSP's `frame-ancestors`, which takes precedence.",
    example:
      '# Django 2.2\nMIDDLEWARE = [..., "django.middleware.clickjacking.XFrameOptionsMiddleware"]\n# X_FRAME_OPTIONS never set (\'SAMEORIGIN\' before Django 3.0)',
    fix: 'Set `X_FRAME_OPTIONS = "DENY"`, and mark the few views that the site frames itself with `@xframe_options_sameorigin`. The quick fix sets it in the production module; it is unsafe because pages the site shows in its own frames stop loading there.',
    good: 'X_FRAME_OPTIONS = "DENY"',
    references: [
      { title: 'Django: X_FRAME_OPTIONS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#x-frame-options' },
      { title: 'Django: clickjacking protection', url: 'https://docs.djangoproject.com/en/stable/ref/clickjacking/' },
      { title: 'MDN: X-Frame-Options', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Frame-Options' },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.xframe, frameOptionsVerdict(ctx), ({ setting: s }) => {
      const v = s.value;
      // an admin skin whose related-object popups frame the admin's own pages needs SAMEORIGIN:
      // DENY would leave them blank (catalogue/libraries/adminSkins.ts)
      const skin =
        v.kind === 'str' && v.v === 'SAMEORIGIN' && JET_FACTS.framesOwnPages.value ? installedApp(ctx.settings, JET.apps.jet) : false;
      if (skin)
        return ctx.notApplicable(
          `X_FRAME_OPTIONS is 'SAMEORIGIN' for django-jet (${JET.apps.jet} in INSTALLED_APPS), whose related-object popups show the admin's own pages in a frame: 'DENY' would leave them blank`,
        );
      const shown = v.kind === 'str' && echoable(v.v) ? `'${v.v}'` : v.kind === 'none' ? 'None' : 'not a valid value';
      const state = s.isSet ? `is ${shown}${originNote(v)}` : `is never set (Django's default before 3.0 is ${shown})`;
      const fix = securitySettingFix(ctx, s, '"DENY"', {
        title: 'Set X_FRAME_OPTIONS = "DENY" (the site can no longer show its own pages in frames)',
        safety: 'unsafe',
      });
      ctx.report({
        loc: s.loc,
        message: `X_FRAME_OPTIONS ${state}, not 'DENY': pages of the site can still be framed by other pages of it; set it to "DENY" unless the site frames itself.`,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
