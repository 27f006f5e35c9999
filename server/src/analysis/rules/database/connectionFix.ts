// The quick fix shared by the persistent-connection rules (DDH701, DDH702): sets CONN_MAX_AGE and
// CONN_HEALTH_CHECKS of a DATABASES entry where the entry is written — in its dict literal, as
// keyword arguments of dj_database_url.config()/parse() — or, when neither can be edited (a
// django-environ env.db(), a dict built elsewhere), as subscript assignments in the production module.
import { isLiteral } from '../../models/settings/query';
import type { Loc } from '../../eval/values';
import type { Fix, FixSafety, RuleContext, TextEdit } from '../types';
import { type DbEntry, key } from './entries';

const KWARG: Record<string, string> = { CONN_MAX_AGE: 'conn_max_age', CONN_HEALTH_CHECKS: 'conn_health_checks' };

function inside(inner: Loc, outer: Loc): boolean {
  return inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/**
 * A fix giving entry `e` the values in `want` (setting name → Python source). Returns undefined
 * when no edit can be made safely. A key already written outside the entry's literal (e.g.
 * `DATABASES["default"]["CONN_MAX_AGE"] = 0` in production.py) is replaced where it is written,
 * since a new key in the literal would be overridden by it.
 */
export function connectionFix(
  ctx: RuleContext,
  e: DbEntry,
  want: Record<string, string>,
  title: string,
  safety: FixSafety,
): Fix | undefined {
  const elsewhere: TextEdit[] = [];
  const rest: [string, string][] = [];
  for (const [name, python] of Object.entries(want)) {
    const current = key(e, name);
    const at = current ? ctx.settings.locOf(current) : undefined;
    if (current && at && isLiteral(current) && !inside(at, e.loc)) {
      if (!/^\s*[\w.()-]+\s*$/.test(ctx.textAt(at) ?? '')) return undefined; // not a plain written value
      elsewhere.push({ file: at.file, start: at.start, end: at.end, newText: python });
    } else rest.push([name, python]);
  }
  if (rest.length === 0) return { title, safety, edits: elsewhere };
  const written = ctx.textAt(e.loc) ?? '';
  let fix: Fix | undefined;
  if (written.startsWith('{')) fix = ctx.fixer.dictEntries(e.loc, rest, { title, safety });
  else if (/^(dj_database_url|db_url)\s*\.\s*(config|parse)\s*\(/.test(written)) {
    fix = ctx.fixer.callKeywords(
      e.loc,
      rest.map(([n, p]) => [KWARG[n]!, p] as const),
      { title, safety },
    );
  }
  if (!fix) {
    // `DATABASES["default"]["CONN_MAX_AGE"] = 600` in the production module
    const alias = JSON.stringify(e.alias);
    if (e.alias === '?' || ctx.settings.get('DATABASES').value.kind !== 'dict') return undefined;
    const ins = ctx.fixer.insertion(rest.map(([n, p]) => `DATABASES[${alias}][${JSON.stringify(n)}] = ${p}`));
    if (!ins) return undefined;
    fix = { title, safety, edits: [ins] };
  }
  return { ...fix, edits: [...elsewhere, ...fix.edits] };
}
