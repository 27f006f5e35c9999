// Security headers rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { clickjackingMiddlewareMissing } from './clickjackingMiddlewareMissing';
import { csrfMiddlewareMissing } from './csrfMiddlewareMissing';
import { frameOptionsNotDeny } from './frameOptionsNotDeny';
import { nosniffOff } from './nosniffOff';
import { cspMissing } from './cspMissing';
import { cspNotApplied } from './cspNotApplied';
import { cspReportOnly } from './cspReportOnly';
import { cspUnsafeScriptSrc } from './cspUnsafeScriptSrc';
import { openerPolicyInvalid } from './openerPolicyInvalid';
import { referrerPolicyInvalid } from './referrerPolicyInvalid';
import { referrerPolicyMissing } from './referrerPolicyMissing';
import { securityMiddlewareMissing } from './securityMiddlewareMissing';

export const securityHeadersRules: Rule[] = [
  securityMiddlewareMissing,
  clickjackingMiddlewareMissing,
  csrfMiddlewareMissing,
  nosniffOff,
  frameOptionsNotDeny,
  referrerPolicyMissing,
  referrerPolicyInvalid,
  openerPolicyInvalid,
  cspMissing,
  cspUnsafeScriptSrc,
  cspReportOnly,
  cspNotApplied,
];
