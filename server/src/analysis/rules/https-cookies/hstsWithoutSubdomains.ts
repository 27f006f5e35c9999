// DDH303: Django's security.W005 — HSTS is on but does not cover subdomains.
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

/** security.W005's condition: HSTS seconds truthy and SECURE_HSTS_INCLUDE_SUBDOMAINS is not True. */
export function hstsSubdomainsVerdict(view: SettingsView): Verdict {
  const flag = mustBeTrue(view, 'SECURE_HSTS_INCLUDE_SUBDOMAINS', true);
  return flag.state === 'pass' ? flag : whileHstsOn(view, 'SECURE_HSTS_INCLUDE_SUBDOMAINS', () => flag);
}

export const hstsWithoutSubdomains: Rule = {
  code: 'DDH303',
  name: 'hsts-without-subdomains',
  title: 'HSTS does not cover subdomains',
  severity: 'information',
  group: 'https-cookies',
  checklist: 'hsts',
  explainable: true,
  django: ['security.W005'],
  djangoVersions: { since: '1.8' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W005`: `SecurityMiddleware` is installed, `SECURE_HSTS_SECONDS` is set, and the production `SECURE_HSTS_INCLUDE_SUBDOMAINS` is not `True`, so the HSTS header lacks `includeSubDomains`. Advice rather than a defect: include subdomains only when every one of them serves HTTPS.",
    why: "HSTS then protects only the exact host that sent it. An attacker on the network can still lure a browser to `http://anything.example.com` and set cookies for the parent domain from there (cookie tossing), which undermines the HTTPS-only cookies of the main site. Browsers' preload lists also require includeSubDomains.",
    example: 'SECURE_HSTS_SECONDS = 31536000\n# SECURE_HSTS_INCLUDE_SUBDOMAINS never set (False)',
    fix: 'Check that every subdomain (mail, old marketing sites, internal tools reachable by name) serves HTTPS, then set `SECURE_HSTS_INCLUDE_SUBDOMAINS = True`; best while `SECURE_HSTS_SECONDS` is still small, so a forgotten subdomain is locked out only briefly. The quick fix sets it in the production module; it is unsafe because browsers then refuse plain HTTP on every subdomain.',
    good: 'SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True',
    references: [
      {
        title: 'Django: SECURE_HSTS_INCLUDE_SUBDOMAINS',
        url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-include-subdomains',
      },
      {
        title: 'Django: HTTP Strict Transport Security',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security',
      },
      {
        title: 'MDN: Strict-Transport-Security',
        url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security',
      },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, hstsSubdomainsVerdict(ctx), ({ setting: s }) => {
      const place = failingPlace(ctx, s);
      const { loc, skipped } = place;
      const fix = skipped
        ? undefined
        : securitySettingFix(ctx, s, 'True', {
            title: 'Set SECURE_HSTS_INCLUDE_SUBDOMAINS = True (browsers then refuse plain HTTP on every subdomain)',
            safety: 'unsafe',
          });
      ctx.report({
        ...(place.basis ? { basis: place.basis } : {}),
        loc,
        message: `SECURE_HSTS_INCLUDE_SUBDOMAINS ${describeNotTrue(s, true, place)}: HSTS protects only this host, not its subdomains; once every subdomain serves HTTPS, set it to True.`,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
