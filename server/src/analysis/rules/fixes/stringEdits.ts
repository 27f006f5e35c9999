// String edits that rules of several groups offer as fixes: replacing a plain string literal,
// removing one written item from a list literal, rewriting a setting to an environment lookup
// without dropping comments. (Reading a list setting's entries with their locations is here too,
// for the rules that then edit them.)
import { isLiteral } from '../../models/settings/query';
import type { SettingValue } from '../../models/settings/settings';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import type { RuleContextBase, SettingsRuleContext } from '../types';
import type { EnvKind } from './fixer';
import type { Fix, FixSafety } from './types';

/** The items of a list setting with their locations, or undefined when it is not a sequence. */
export function entries(ctx: SettingsRuleContext, s: SettingValue): { item: Value; index: number; loc: Loc }[] | undefined {
  if (!V.isSeq(s.value)) return undefined;
  return s.value.items.map((item, index) => ({ item, index, loc: ctx.settings.locOf(item) ?? s.loc }));
}

/**
 * Removes a written item (with the comma and spaces that separate it from a neighbour) from the
 * list literal it is written in. Undefined unless the item is a literal inside the setting's own
 * statement and the list keeps at least one other item (an empty list may mean something else).
 */
export function removeItemFix(ctx: SettingsRuleContext, s: SettingValue, item: Value, loc: Loc, title: string): Fix | undefined {
  const list = s.value;
  const stmt = s.binding?.stmt;
  if (!V.isSeq(list) || list.items.length < 2 || !isLiteral(item) || !stmt) return undefined;
  if (loc.file !== stmt.file || loc.start < stmt.start || loc.end > stmt.end) return undefined;
  const text = ctx.fileText(loc.file);
  if (!text) return undefined;
  let start = loc.start;
  let end = loc.end;
  const after = /^\s*,[ \t]*/.exec(text.slice(end));
  if (after && !after[0].includes('#')) end += after[0].length;
  else {
    const before = /,\s*$/.exec(text.slice(0, start));
    if (!before) return undefined;
    start -= before[0].length;
  }
  if (text.slice(start, end).includes('#')) return undefined;
  return ctx.fixer.replace({ file: loc.file, start, end }, '', title, 'unsafe');
}

/**
 * Replaces a plain string literal (no prefix, escapes or concatenation) by another string in the
 * same quotes; undefined when the literal is not that simple or does not hold `expected`.
 */
export function rewriteStringFix(
  ctx: SettingsRuleContext,
  loc: Loc,
  expected: string,
  replacement: string,
  title: string,
  safety: FixSafety,
): Fix | undefined {
  const source = ctx.textAt(loc);
  const m = source === undefined ? null : /^(["'])([^"'\\\r\n]*)\1$/.exec(source);
  if (!m || m[2] !== expected || !/^[^"'\\\r\n]*$/.test(replacement)) return undefined;
  return ctx.fixer.replace(loc, `${m[1]}${replacement}${m[1]}`, title, safety);
}

/**
 * The fixer's rewrite of a setting to an environment lookup, unless the value it replaces holds a
 * comment (a commented multi-line list): a fix never drops comments.
 */
export function toEnvironmentFix(ctx: SettingsRuleContext, s: SettingValue, kind: EnvKind, opts: { title?: string } = {}): Fix | undefined {
  const rhs = ctx.fixer.rhsOf(s.binding);
  if (!rhs || (ctx.textAt(rhs) ?? '#').includes('#')) return undefined;
  return ctx.fixer.toEnvironment(s, kind, opts);
}

/**
 * A fix that rewrites the plain string literal written at `loc` (`"x"`, `'x'`, no escapes, no
 * f-string, no implicit concatenation) to `value`, keeping its quotes; undefined for anything else.
 */
export function replaceStringLiteral(
  ctx: RuleContextBase,
  loc: Loc | undefined,
  value: string,
  title: string,
  safety: FixSafety,
): Fix | undefined {
  const text = loc ? ctx.textAt(loc) : undefined;
  const m = text === undefined ? null : /^([rRuU]?)(["'])[^"'\\\r\n]*\2$/.exec(text);
  if (!loc || !m || /["'\\]/.test(value)) return undefined;
  return ctx.fixer.replace(loc, `${m[1]}${m[2]}${value}${m[2]}`, title, safety);
}
