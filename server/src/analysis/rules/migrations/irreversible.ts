// What RunPython and RunSQL share: an operation without its reverse cannot be rolled back, and the
// quick fix that adds the operation class's `noop` as the reverse.
import { opArg, type Operation } from '../../readers/python/migration';
import type { Fix } from '../fixes/types';
import type { MigrationRuleContext } from '../types';
import { addKeyword, checkedMigration, databaseOperations, migrationLabel } from './shared';

/**
 * Reports every `kind` operation (RunPython, RunSQL) of the migration whose `reverse` argument
 * (reverse_code, reverse_sql) is missing or None.
 */
export function checkReverse(
  ctx: MigrationRuleContext,
  kind: 'RunPython' | 'RunSQL',
  reverse: 'reverse_code' | 'reverse_sql',
  what: string,
): void {
  const m = checkedMigration(ctx, false)!;
  let seen = false;
  for (const op of databaseOperations(m)) {
    if (op.kind !== kind) continue;
    seen = true;
    if (op.call.splat) {
      ctx.unknown(`the arguments of a ${kind} in ${migrationLabel(m.name)} are not all known statically`, op.loc);
      continue;
    }
    const rev = opArg(op, reverse);
    if (rev && rev.value.kind !== 'none') continue;
    const text = ctx.fileText(m.file);
    ctx.report({
      loc: op.loc,
      message: `${kind} without ${reverse}: rolling back past ${migrationLabel(m.name)} fails with IrreversibleError, so a bad deploy cannot be reverted with migrate. Give it a ${reverse} that undoes ${what}, or ${noopName(op)} if there is nothing to undo.`,
      fixes: ctx.wantsFixes && text !== undefined ? [noopFix(text, op, reverse, what)] : [],
    });
  }
  if (!seen) ctx.notApplicable(`the migration has no ${kind}`);
}

/** `migrations.RunPython.noop`, in the module's own spelling of the operation. */
function noopName(op: Operation): string {
  return `${op.call.callee}.noop`;
}

function noopFix(text: string, op: Operation, reverse: string, what: string): Fix {
  return {
    title: `Add ${reverse}=${noopName(op)} (marks it reversible without undoing ${what})`,
    safety: 'unsafe',
    edits: [addKeyword(text, op.call, reverse, noopName(op))],
  };
}
