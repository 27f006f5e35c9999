// The EMAIL_HOST edits that DDH804's fix offers and DDH803's fix adds to its switch to the SMTP
// backend (switching without a host would only move the problem).
import { emailHostIs } from '../../models/settings/mail';
import type { SettingsRuleContext } from '../types';
import type { TextEdit } from './types';

/**
 * The edits that make EMAIL_HOST a required environment lookup when it is a local host now (added
 * when never set, rewritten when written), with the variable's name; undefined otherwise.
 */
export function emailHostFromEnvironment(ctx: SettingsRuleContext): { varName: string; edits: readonly TextEdit[] } | undefined {
  if (emailHostIs(ctx.settings) !== 'local') return undefined;
  const host = ctx.settings.get('EMAIL_HOST');
  if (!host.isSet) return ctx.fixer.addFromEnvironment(host, 'secret');
  const fix = ctx.fixer.toEnvironment(host, 'secret');
  return fix ? { varName: ctx.fixer.envVarName('EMAIL_HOST'), edits: fix.edits } : undefined;
}
