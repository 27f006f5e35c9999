// DDH406: Django's security.W022 — no Referrer-Policy header (SECURE_REFERRER_POLICY is None).
import { proxyCover } from '../../models/requestPath/coverage';
import type { Rule } from '../types';
import {
  MW,
  PASS,
  productionOnlySafety,
  securitySettingFix,
  undecided,
  withMiddleware,
  type SettingsView,
  type Verdict,
} from '../securitySettings';

/** security.W022's condition on the setting: SECURE_REFERRER_POLICY is None. */
export function referrerPolicyMissingVerdict(view: SettingsView): Verdict {
  const s = view.settings.get('SECURE_REFERRER_POLICY');
  if (s.value.kind === 'unknown') return undecided(s);
  return s.value.kind === 'none' ? { state: 'fail', setting: s } : PASS;
}

export const referrerPolicyMissing: Rule = {
  code: 'DDH406',
  name: 'referrer-policy-missing',
  title: 'No Referrer-Policy header',
  severity: 'information',
  group: 'security-headers',
  checklist: 'security-headers',
  explainable: true,
  django: ['security.W022'],
  djangoVersions: { since: '3.0' },
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Mirrors Django's `security.W022` (Django 3.0+): `SecurityMiddleware` is installed and the production `SECURE_REFERRER_POLICY` is None, so no `Referrer-Policy` header is sent. The default was None in 3.0 and is `'same-origin'` since 3.1, so on 3.1+ only a module that sets None is reported. When the nginx or Caddy in front of every place that hands requests to the app adds a `Referrer-Policy` header, the finding drops to a hint that names the configuration.",
    why: 'Without the header each browser applies its own default, and older ones send the full URL of the page — paths, search terms, tokens in query strings — to every site the page links to or loads resources from.',
    example: 'SECURE_REFERRER_POLICY = None',
    fix: 'Set `SECURE_REFERRER_POLICY = "same-origin"` (Django\'s default since 3.1; other sites get no referrer) or `"strict-origin-when-cross-origin"` (other sites get the origin only). The quick fix sets "same-origin" in the production module; it is safe when that module is production-only.',
    good: 'SECURE_REFERRER_POLICY = "same-origin"',
    references: [
      { title: 'Django: SECURE_REFERRER_POLICY', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-referrer-policy' },
      {
        title: 'Django: Referrer-Policy (SecurityMiddleware)',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#referrer-policy',
      },
      { title: 'MDN: Referrer-Policy', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referrer-Policy' },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, referrerPolicyMissingVerdict(ctx), ({ setting: s }) => {
      const fix = securitySettingFix(ctx, s, '"same-origin"', {
        title: 'Set SECURE_REFERRER_POLICY = "same-origin"',
        safety: productionOnlySafety(ctx),
      });
      const cover = proxyCover(ctx, 'referrer-policy');
      const covered = cover.severity === 'information' && !cover.unknown;
      ctx.report({
        loc: s.loc,
        ...(covered ? { severity: 'hint' as const } : {}),
        message: `SECURE_REFERRER_POLICY ${s.isSet ? 'is None' : "is never set (Django 3.0's default is None)"}: no Referrer-Policy header is sent, so page URLs can leak to other sites; set it to "same-origin".${cover.note}`,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
