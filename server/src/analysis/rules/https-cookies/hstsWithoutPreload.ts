// DDH304: Django's security.W021 — HSTS is on without the preload directive.
import type { Rule } from '../types';
import {
  MW,
  describeNotTrue,
  failingPlace,
  mustBeTrue,
  securitySettingFix,
  whileHstsOn,
  withMiddleware,
  type SettingsView,
  type Verdict,
} from '../securitySettings';

/** security.W021's condition: HSTS seconds truthy and SECURE_HSTS_PRELOAD is not True. */
export function hstsPreloadVerdict(view: SettingsView): Verdict {
  const flag = mustBeTrue(view, 'SECURE_HSTS_PRELOAD', true);
  return flag.state === 'pass' ? flag : whileHstsOn(view, 'SECURE_HSTS_PRELOAD', () => flag);
}

export const hstsWithoutPreload: Rule = {
  code: 'DDH304',
  name: 'hsts-without-preload',
  title: 'HSTS without preload',
  severity: 'hint',
  group: 'https-cookies',
  checklist: 'hsts',
  django: ['security.W021'],
  djangoVersions: { since: '1.11' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W021` (Django 1.11+): `SecurityMiddleware` is installed, `SECURE_HSTS_SECONDS` is set, and the production `SECURE_HSTS_PRELOAD` is not `True`, so the HSTS header lacks `preload`. Advice: preloading is a commitment, not a default. Preload lists also require `includeSubDomains`: with `SECURE_HSTS_INCLUDE_SUBDOMAINS` written `False`, the finding says so and follows from DDH303's (set aside with it when a comment explains leaving subdomains out).",
    why: "HSTS only protects a browser after its first HTTPS visit; that first request can still be intercepted. Browsers ship a list of preloaded domains that are HTTPS-only from the very first request, and the `preload` directive is the site's consent to being put on it. Being removed from that list takes months, so the flag is set last, once the site is sure.",
    example: 'SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\n# SECURE_HSTS_PRELOAD never set (False)',
    fix: 'When HTTPS works on the domain and every subdomain and the max-age has been ramped up to a year, set `SECURE_HSTS_PRELOAD = True` and submit the domain at hstspreload.org. If you never intend to preload, silence `security.W021` with `SILENCED_SYSTEM_CHECKS`. The quick fix sets the flag in the production module; it is unsafe because anyone can then submit the domain to the preload lists once the max-age reaches a year.',
    good: 'SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True',
    references: [
      { title: 'Django: SECURE_HSTS_PRELOAD', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-preload' },
      { title: 'hstspreload.org', url: 'https://hstspreload.org/' },
      {
        title: 'MDN: Strict-Transport-Security (preloading)',
        url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security#preloading_strict_transport_security',
      },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, hstsPreloadVerdict(ctx), ({ setting: s }) => {
      const place = failingPlace(ctx, s);
      const { loc, skipped } = place;
      // preloading needs includeSubDomains (hstspreload.org's submission requirements): written off,
      // this finding follows from DDH303's and its advice waits for that one
      const sub = ctx.settings.get('SECURE_HSTS_INCLUDE_SUBDOMAINS');
      const subOff = sub.isSet && sub.value.kind === 'bool' && !sub.value.v;
      // (no quick fix then: preload without subdomains is refused by the lists)
      const fix =
        skipped || subOff
          ? undefined
          : securitySettingFix(ctx, s, 'True', {
              title: 'Set SECURE_HSTS_PRELOAD = True (consents to browser preload lists, which is hard to undo)',
              safety: 'unsafe',
            });
      ctx.report({
        ...(place.basis ? { basis: place.basis } : {}),
        loc,
        message: subOff
          ? `SECURE_HSTS_PRELOAD ${describeNotTrue(s, true, place)}: the site cannot be put on browsers' HSTS preload lists, which also need SECURE_HSTS_INCLUDE_SUBDOMAINS, False here (DDH303); once subdomains are covered and HSTS has been ramped up to a year, set both to True if you want that.`
          : `SECURE_HSTS_PRELOAD ${describeNotTrue(s, true, place)}: the site cannot be put on browsers' HSTS preload lists; once HSTS has been ramped up to a year, set it to True if you want that.`,
        fixes: fix ? [fix] : [],
        ...(subOff ? { follows: { code: 'DDH303', loc: sub.loc } } : {}),
      });
    });
  },
};
