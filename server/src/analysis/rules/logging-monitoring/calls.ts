// Helpers for the rules that read library calls the evaluator recorded (ctx.calls).
import type { CallRecord } from '../../eval/scope';
import { SENTRY_INIT } from '../../catalogue/libraries';
import type { Loc, Value } from '../../eval/values';
import type { RuleContext } from '../types';

/** The `sentry_sdk.init(...)` calls of the production settings (and the modules they import). */
export function sentryInits(ctx: RuleContext): CallRecord[] {
  const inits = ctx.calls.filter((c) => c.callee === SENTRY_INIT.callee.value);
  // a later call that surely runs makes a new client with its own options: the earlier ones' are gone
  if (!SENTRY_INIT.replacesClient.value) return inits;
  return inits.filter((_c, i) => !inits.slice(i + 1).some((later) => !later.conditional));
}

/** A keyword argument of a call with its location (the call's when unknown). */
export function kwarg(ctx: RuleContext, c: CallRecord, name: string): { value: Value; loc: Loc } | undefined {
  const value = c.kwargs.get(name);
  if (!value) return undefined;
  return { value, loc: c.kwargLocs.get(name) ?? ctx.settings.locOf(value) ?? c.loc };
}
