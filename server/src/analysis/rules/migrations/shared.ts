// What the migration rules share: reading an operation's model and field, where a keyword argument
// is added to a call, and the class attribute `atomic = False`.
import { argOf, boolOf, strOf, type Call, type Expr, type MigrationFile, type Operation } from '../../readers/python/migration';
import { opArg } from '../../readers/python/migration';
import type { TextEdit } from '../fixes/types';
import type { MigrationRuleContext } from '../types';
import { echoable } from '../helpers';

/** Operations that change the database (not a SeparateDatabaseAndState's state-only ones), Django's own. */
export function databaseOperations(m: MigrationFile): Operation[] {
  return m.operations.filter((op) => op.django && op.scope !== 'state');
}

/** `Model.field` for messages (names are shown only when they are plain identifiers). */
export function fieldLabel(op: Operation, nameParam = 'name'): string {
  const model = echoable(strOf(opArg(op, 'model_name')) ?? '') ?? 'the model';
  const name = echoable(strOf(opArg(op, nameParam)) ?? '');
  return name ? `${model}.${name}` : `a field of ${model}`;
}

/**
 * Why the migration's operations never touch a table in use, if they do not: an initial migration
 * creates its app's tables (makemigrations marks the second half of a split initial migration
 * initial too), and a squashed migration runs only where the migrations it replaces have not run
 * (elsewhere Django records it as applied without running it). Undefined for other migrations.
 */
export function onlyOnNewTables(m: MigrationFile): string | undefined {
  if (m.initial) return `${migrationLabel(m.name)} is an initial migration: the tables it changes are new and empty`;
  if (m.replaces.length > 0)
    return `${migrationLabel(m.name)} is a squashed migration: it only runs where the migrations it replaces have not run (a new database)`;
  return undefined;
}

/** A migration's name for messages (`0002_add_email`): file names of other shapes are not echoed. */
export function migrationLabel(name: string): string {
  return /^\w{1,80}$/.test(name) ? name : 'this migration';
}

/** A model name for messages. */
export function modelLabel(name: string | undefined): string {
  return echoable(name ?? '') ?? 'the model';
}

/** The field class of a field expression (`CharField` for `models.CharField(...)`). */
export function fieldClass(field: Expr | undefined): string | undefined {
  return field?.call?.callee?.split('.').pop();
}

/** A keyword argument of a field call. */
export function fieldKwarg(field: Expr | undefined, name: string): Expr | undefined {
  return field?.call ? argOf(field.call, name) : undefined;
}

/** Whether `model` is created by an earlier operation of the same migration (its table is new and empty). */
export function createdEarlier(m: MigrationFile, op: Operation, model: string | undefined): boolean {
  if (!model) return false;
  const lower = model.toLowerCase();
  return m.operations.some(
    (o) =>
      o !== op && o.index < op.index && o.scope !== 'state' && o.kind === 'CreateModel' && strOf(opArg(o, 'name'))?.toLowerCase() === lower,
  );
}

/**
 * The edit that adds `kw=value` to a call's arguments, in the call's layout: after the last
 * argument (on a line of its own when the arguments are one a line), or replacing the value of an
 * existing `kw=`.
 */
export function addKeyword(text: string, call: Call, kw: string, value: string): TextEdit {
  const file = call.loc.file;
  const existing = call.kwargs.find((k) => k.name === kw);
  if (existing) return { file, start: existing.value.loc.start, end: existing.value.loc.end, newText: value };
  const items = [...call.args.map((a) => a.loc), ...call.kwargs.map((k) => ({ start: k.nameLoc.start, end: k.value.loc.end }))];
  if (items.length === 0) return { file, start: call.argsLoc.start + 1, end: call.argsLoc.start + 1, newText: `${kw}=${value}` };
  const last = items.reduce((a, b) => (b.end > a.end ? b : a));
  const after = text.slice(last.end, call.argsLoc.end - 1);
  const comma = /^\s*,/.exec(after);
  if (comma && /[\r\n]/.test(after.slice(comma[0].length))) {
    // one argument a line, with a trailing comma: a line of its own
    const lineStart = Math.max(text.lastIndexOf('\n', last.start - 1), text.lastIndexOf('\r', last.start - 1)) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const at = last.end + comma[0].length;
    return { file, start: at, end: at, newText: `${eol}${indent}${kw}=${value},` };
  }
  if (comma) return { file, start: last.end + comma[0].length, end: last.end + comma[0].length, newText: ` ${kw}=${value}` };
  return { file, start: last.end, end: last.end, newText: `, ${kw}=${value}` };
}

/** The edit that makes a migration non-atomic: `atomic = False` as the class's first attribute, or the existing one set to False. */
export function nonAtomicEdit(text: string, m: MigrationFile): TextEdit | undefined {
  if (m.atomicLoc) {
    const stmt = text.slice(m.atomicLoc.start, m.atomicLoc.end);
    const eq = stmt.indexOf('=');
    if (eq < 0) return undefined;
    return { file: m.file, start: m.atomicLoc.start + eq + 1, end: m.atomicLoc.end, newText: ' False' };
  }
  if (!m.bodyStart) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { file: m.file, start: m.bodyStart.offset, end: m.bodyStart.offset, newText: `atomic = False${eol}${eol}${m.bodyStart.indent}` };
}

/** Whether a literal boolean keyword is True (undefined when absent or not a literal). */
export function isTrue(e: Expr | undefined): boolean | undefined {
  return boolOf(e);
}

/**
 * The migration a rule checks, after the steps every migration rule takes: a rule about tables in
 * use is not applicable to initial and squashed migrations (undefined), and operations that cannot
 * all be read make the outcome unknown (the readable ones are still checked).
 */
export function checkedMigration(ctx: MigrationRuleContext, tablesInUse: boolean): MigrationFile | undefined {
  const m = ctx.migration;
  const fresh = tablesInUse ? onlyOnNewTables(m) : undefined;
  if (fresh) {
    ctx.notApplicable(fresh);
    return undefined;
  }
  if (m.operationsUnknown) ctx.unknown(`the operations of ${migrationLabel(m.name)} cannot be read: ${m.operationsUnknown}`);
  return m;
}
