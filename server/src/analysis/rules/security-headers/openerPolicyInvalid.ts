// DDH408: Django's security.E024 — SECURE_CROSS_ORIGIN_OPENER_POLICY holds an invalid value.
import { CROSS_ORIGIN_OPENER_POLICY_VALUES } from '../../catalogue/djangoChecks';
import * as V from '../../eval/values';
import { echoable, originNote } from '../helpers';
import type { Rule } from '../types';
import { MW, PASS, securitySettingFix, undecided, withMiddleware, type SettingsView, type Verdict } from '../securitySettings';

const VALID = new Set(CROSS_ORIGIN_OPENER_POLICY_VALUES);

/** security.E024's condition: the setting is not None and not exactly one of the three policies. */
export function openerPolicyVerdict(view: SettingsView): Verdict {
  const s = view.settings.get('SECURE_CROSS_ORIGIN_OPENER_POLICY');
  const v = s.value;
  if (v.kind === 'unknown') return undecided(s);
  return v.kind === 'none' || (v.kind === 'str' && VALID.has(v.v)) ? PASS : { state: 'fail', setting: s };
}

export const openerPolicyInvalid: Rule = {
  code: 'DDH408',
  name: 'opener-policy-invalid',
  title: 'SECURE_CROSS_ORIGIN_OPENER_POLICY holds an invalid value',
  severity: 'error',
  group: 'security-headers',
  checklist: 'security-headers',
  django: ['security.E024'],
  djangoVersions: { since: '4.0' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.E024` (Django 4.0+): `SecurityMiddleware` is installed and the production `SECURE_CROSS_ORIGIN_OPENER_POLICY` is neither None nor exactly one of `same-origin`, `same-origin-allow-popups`, `unsafe-none` (a single string, case-sensitive; no lists).",
    why: "It is an error: `manage.py check --deploy` exits non-zero, which stops deployment pipelines that run it. Browsers ignore a value they do not understand, so the pages silently lose the isolation from cross-origin windows (`window.opener` attacks, cross-window leaks) that Django's default `same-origin` gives them.",
    example: 'SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin-allow-popup"',
    fix: 'Use one of the three values: `"same-origin"` (Django\'s default), `"same-origin-allow-popups"` when the pages open popups that must keep their opener (OAuth or payment windows), or None to send no header. The quick fix sets "same-origin"; it is unsafe because popups to other sites lose their link back to the page.',
    good: 'SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin-allow-popups"',
    references: [
      {
        title: 'Django: SECURE_CROSS_ORIGIN_OPENER_POLICY',
        url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-cross-origin-opener-policy',
      },
      {
        title: 'Django: Cross-Origin Opener Policy (SecurityMiddleware)',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#cross-origin-opener-policy',
      },
      {
        title: 'MDN: Cross-Origin-Opener-Policy',
        url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Cross-Origin-Opener-Policy',
      },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, openerPolicyVerdict(ctx), ({ setting: s }) => {
      const v = s.value;
      const shown = v.kind === 'str' ? (v.v === '' ? 'empty' : echoable(v.v) ? `'${v.v}'` : 'not a policy name') : `a ${V.typeName(v)}`;
      const fix = securitySettingFix(ctx, s, '"same-origin"', {
        title: 'Set SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin" (popups to other sites lose their opener)',
        safety: 'unsafe',
      });
      ctx.report({
        loc: s.loc,
        message: `SECURE_CROSS_ORIGIN_OPENER_POLICY is ${shown}${originNote(v)}, not a valid opener policy: check --deploy fails (security.E024); use "same-origin", "same-origin-allow-popups" or "unsafe-none".`,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
