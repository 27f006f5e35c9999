// DDH404: Django's security.W006 — responses lack X-Content-Type-Options: nosniff.
import { proxyCover } from '../../models/requestPath/coverage';
import type { Rule } from '../types';
import {
  MW,
  describeNotTrue,
  failingPlace,
  mustBeTrue,
  productionOnlySafety,
  securitySettingFix,
  withMiddleware,
  type SettingsView,
  type Verdict,
} from '../securitySettings';

/** security.W006's condition on the setting: SECURE_CONTENT_TYPE_NOSNIFF is True. */
export function nosniffVerdict(view: SettingsView): Verdict {
  return mustBeTrue(view, 'SECURE_CONTENT_TYPE_NOSNIFF', true);
}

export const nosniffOff: Rule = {
  code: 'DDH404',
  name: 'nosniff-off',
  title: 'X-Content-Type-Options: nosniff is off',
  severity: 'warning',
  group: 'security-headers',
  checklist: 'security-headers',
  django: ['security.W006'],
  djangoVersions: { since: '1.8' },
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Mirrors Django's `security.W006`: `SecurityMiddleware` is installed and the production `SECURE_CONTENT_TYPE_NOSNIFF` is not `True`. Django's default was False before 3.0 (so it fired out of the box) and is True since, so on 3.0+ only a module that turns it off is reported. The Django version comes from the project's requirements.",
    why: "Without `X-Content-Type-Options: nosniff`, browsers may guess a response's type from its content: a user upload served as text or as an image can be run as a script or a stylesheet on the site's own origin, which turns an upload feature into cross-site scripting.",
    example:
      '# Django 2.2\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", ...]\n# SECURE_CONTENT_TYPE_NOSNIFF never set (False before Django 3.0)',
    fix: 'Set `SECURE_CONTENT_TYPE_NOSNIFF = True` (or remove the line that turns it off on Django 3.0+), and serve files with correct content types. The quick fix sets it in the production module; it is safe when that module is production-only.',
    good: 'SECURE_CONTENT_TYPE_NOSNIFF = True',
    references: [
      {
        title: 'Django: SECURE_CONTENT_TYPE_NOSNIFF',
        url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-content-type-nosniff',
      },
      {
        title: 'Django: X-Content-Type-Options (SecurityMiddleware)',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#x-content-type-options-nosniff',
      },
      { title: 'MDN: X-Content-Type-Options', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options' },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, nosniffVerdict(ctx), ({ setting: s }) => {
      const place = failingPlace(ctx, s);
      const { loc, skipped } = place;
      const fix = skipped
        ? undefined
        : securitySettingFix(ctx, s, 'True', { title: 'Set SECURE_CONTENT_TYPE_NOSNIFF = True', safety: productionOnlySafety(ctx) });
      const cover = proxyCover(ctx, 'nosniff');
      ctx.report({
        ...(place.basis ? { basis: place.basis } : {}),
        loc,
        message: `SECURE_CONTENT_TYPE_NOSNIFF ${describeNotTrue(s, true, place)}: responses lack X-Content-Type-Options: nosniff, so browsers may run an upload as a script; set it to True.${cover.note}`,
        severity: cover.severity,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
