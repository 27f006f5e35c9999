// Tests of the harness replace one rule's check for a moment (a rule that throws, one that gives up).
import assert from 'node:assert/strict';
import { RULES } from '../../server/src/analysis/rules/registry';
import type { Rule, RuleContext } from '../../server/src/analysis/rules/types';

/** Runs `body` with one rule's check replaced, then puts the rule back. */
export function withCheck<T>(code: string, check: (ctx: RuleContext) => void, body: () => T): T {
  const rule = RULES.find((r) => r.code === code) as { check: Rule['check'] } | undefined;
  assert.ok(rule, code);
  const original = rule.check;
  rule.check = check;
  try {
    return body();
  } finally {
    rule.check = original;
  }
}
