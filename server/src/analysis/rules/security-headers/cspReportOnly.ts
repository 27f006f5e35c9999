// DDH411: only a report-only Content Security Policy: violations are reported, nothing is blocked.
import { sourceReader } from '../middleware/order';
import { appliedPolicies, cspConfig, djangoCspMajor, DJANGO_CSP_SETTINGS } from '../../models/settings/csp';
import type { Rule } from '../types';

export const cspReportOnly: Rule = {
  code: 'DDH411',
  name: 'csp-report-only',
  title: 'CSP is report-only',
  severity: 'information',
  group: 'security-headers',
  checklist: 'csp',
  explainable: true,
  target: 'settings',
  docs: {
    what: "Every Content Security Policy the production settings apply is report-only: Django 6.0's `SECURE_CSP_REPORT_ONLY` without `SECURE_CSP`, django-csp's `CONTENT_SECURITY_POLICY_REPORT_ONLY` without `CONTENT_SECURITY_POLICY`, or django-csp 3.x's `CSP_REPORT_ONLY = True`.",
    why: 'A report-only policy is the right first step: browsers report what the policy would block and block nothing. Left there, it protects against nothing, while a header check or a scanner sees a CSP and moves on.',
    example: 'SECURE_CSP_REPORT_ONLY = {"default-src": [CSP.SELF], "report-uri": "/csp-report/"}',
    fix: 'Once the reports show only the violations you expect, enforce the same policy (`SECURE_CSP`, or `CONTENT_SECURITY_POLICY`); keep a report-only policy beside it to try the next tightening.',
    good: 'SECURE_CSP = {"default-src": [CSP.SELF]}\nSECURE_CSP_REPORT_ONLY = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE], "report-uri": "/csp-report/"}',
    references: [
      { title: 'Django: SECURE_CSP_REPORT_ONLY', url: 'https://docs.djangoproject.com/en/6.0/ref/settings/#secure-csp-report-only' },
      {
        title: 'MDN: Content-Security-Policy-Report-Only',
        url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy-Report-Only',
      },
    ],
  },
  check(ctx) {
    const c = cspConfig(ctx.settings, ctx.version.version, sourceReader(ctx));
    if (c.unknown) return ctx.unknown(c.unknown.reason, c.unknown.loc);
    const applied = appliedPolicies(c, djangoCspMajor(ctx.project.versions?.djangoCsp));
    if (applied.length === 0) return ctx.notApplicable('no Content Security Policy is applied');
    if (applied.some((p) => !p.reportOnly)) return;
    const p = applied[0]!;
    const legacy = DJANGO_CSP_SETTINGS.legacyReportOnly;
    const name = p.setting.name.startsWith('CSP_') ? legacy : p.setting.name;
    const at = name === legacy ? ctx.settings.get(legacy).loc : p.setting.loc;
    ctx.report({
      loc: at,
      message: `The only Content Security Policy is report-only (${name}): browsers report violations and block nothing, so it stops no XSS; enforce the policy once its reports are clean.`,
    });
  },
};
