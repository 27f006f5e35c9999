// DDH407: Django's security.E023 — SECURE_REFERRER_POLICY holds a value that is not a policy.
import { isPartial } from '../../models/settings/query';
import { REFERRER_POLICY_VALUES } from '../../catalogue/djangoChecks';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { echoable, originNote } from '../helpers';
import type { Rule } from '../types';
import { MW, PASS, securitySettingFix, undecided, withMiddleware, type SettingsView, type Verdict } from '../securitySettings';

const VALID = new Set(REFERRER_POLICY_VALUES);

/** How a policy entry reads in a message (never arbitrary text). */
function shown(v: Value): string {
  if (v.kind === 'str') return v.v === '' ? 'an empty entry' : echoable(v.v) ? `'${v.v}'` : 'an entry';
  return `a ${V.typeName(v)}`;
}

/**
 * security.E023's condition: a str is split on commas and each part stripped; any other iterable is
 * taken item by item; every part must be one of the policies (exact, case-sensitive). None is W022's.
 */
export function referrerPolicyInvalidVerdict(view: SettingsView): Verdict {
  const s = view.settings.get('SECURE_REFERRER_POLICY');
  const v = s.value;
  if (v.kind === 'unknown') return undecided(s);
  if (v.kind === 'none') return PASS;
  let bad: { what: string; loc?: Loc }[] = [];
  let unknownPart = false;
  if (v.kind === 'str')
    bad = v.v
      .split(',')
      .map((p) => p.trim())
      .filter((p) => !VALID.has(p))
      .map((p) => ({ what: shown(V.str(p)) }));
  else if (V.isSeq(v) || v.kind === 'dict') {
    const parts = V.isSeq(v) ? v.items : v.keys;
    unknownPart = (V.isSeq(v) && isPartial(v)) || (v.kind === 'dict' && !!v.partial);
    for (const p of parts) {
      if (p.kind === 'unknown') unknownPart = true;
      else if (p.kind !== 'str' || !VALID.has(p.v)) bad.push({ what: shown(p), loc: view.settings.locOf(p) });
    }
  } else bad = [{ what: `a ${V.typeName(v)}` }];
  if (bad.length === 0)
    return unknownPart ? { state: 'unknown', reason: 'SECURE_REFERRER_POLICY holds entries the analysis cannot read', loc: s.loc } : PASS;
  return {
    state: 'fail',
    setting: s,
    loc: bad[0]!.loc,
    detail: bad.length > 1 ? `${bad[0]!.what} (and ${bad.length - 1} more)` : bad[0]!.what,
  };
}

export const referrerPolicyInvalid: Rule = {
  code: 'DDH407',
  name: 'referrer-policy-invalid',
  title: 'SECURE_REFERRER_POLICY holds an invalid value',
  severity: 'error',
  group: 'security-headers',
  checklist: 'security-headers',
  django: ['security.E023'],
  djangoVersions: { since: '3.0' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.E023` (Django 3.0+): `SecurityMiddleware` is installed and the production `SECURE_REFERRER_POLICY` holds something that is not a referrer policy. A string is split on commas and each part stripped (so a trailing comma leaves an empty, invalid part); a list or tuple is read item by item. Valid, exactly as written: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url.",
    why: 'It is an error: `manage.py check --deploy` exits non-zero, which stops deployment pipelines that run it. Browsers ignore a policy token they do not know, so a misspelt policy silently leaves the browser default in place.',
    example: 'SECURE_REFERRER_POLICY = "same-origin, strict-orgin-when-cross-origin"',
    fix: 'Correct the misspelt entry or remove it; a list of policies is only useful as a fallback chain for old browsers, the last one they understand wins. The quick fix replaces the whole value with "same-origin"; it is unsafe because that may not be the policy you meant.',
    good: 'SECURE_REFERRER_POLICY = "same-origin"',
    references: [
      { title: 'Django: SECURE_REFERRER_POLICY', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-referrer-policy' },
      { title: 'Django system checks: security', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#security' },
      {
        title: 'MDN: Referrer-Policy directives',
        url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referrer-Policy#directives',
      },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, referrerPolicyInvalidVerdict(ctx), ({ setting: s, loc, detail }) => {
      const fix = securitySettingFix(ctx, s, '"same-origin"', {
        title: 'Set SECURE_REFERRER_POLICY = "same-origin" (replaces the whole policy)',
        safety: 'unsafe',
      });
      ctx.report({
        loc: loc ?? s.loc,
        message: `SECURE_REFERRER_POLICY holds ${detail ?? 'an invalid entry'}${originNote(s.value)}, which is not a referrer policy: check --deploy fails (security.E023); use e.g. "same-origin" or "strict-origin-when-cross-origin".`,
        fixes: fix ? [fix] : [],
      });
    });
  },
};
