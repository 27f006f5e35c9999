// Settings that the code does assign, but only in a branch the production settings do not take
// (`if ENABLE_SSL: SECURE_SSL_REDIRECT = not DEBUG` with ENABLE_SSL off by default): a finding about
// such a setting says where it would be set and what turns that branch on, instead of "never set".
import { isEnvironmentDefault } from '../models/settings/query';
import { textMentions } from '../models/settings/textFacts';
import type { Loc } from '../eval/values';
import { field, namedChildren, type PyNode } from '../parse/ast';
import type { PythonDocument } from '../parse/pythonDocument';
import type { SettingValue } from './settings';
import type { RuleContext } from './types';

export interface SkippedAssignment {
  /** The assignment's target (`SECURE_SSL_REDIRECT` in `SECURE_SSL_REDIRECT = …`). */
  readonly loc: Loc;
  /** `if ENABLE_SSL:`, `else: of if DEBUG:`… as written (clipped), or undefined when not echoable. */
  readonly branch: string | undefined;
  /** Environment variables the enclosing conditions read (through names bound to their defaults). */
  readonly env: readonly string[];
  /** Its only guard is DEBUG being off (`if not DEBUG:`, the `else:` of `if DEBUG:`): it is set whenever DEBUG is off. */
  readonly whenDebugOff?: true;
}

/** A condition that is DEBUG being on, or off. */
const DEBUG_ON = /^DEBUG(\s*(==|is)\s*True)?$/;
const DEBUG_OFF = /^(not\s+DEBUG|DEBUG\s*(==|is)\s*False)$/;

const MAX_CONDITION = 48;

/** Values that could never make a failing setting pass: an assignment of one is not "the" place. */
const FALSE_LITERALS = new Set(['False', 'None', '0', '""', "''", '[]', '()', '{}']);

const KEYWORDS = new Set(['not', 'and', 'or', 'in', 'is', 'None', 'True', 'False', 'if', 'else', 'lambda']);

// Documents come from the workspace's parse cache (one parse per file text for all rules).
function docOf(ctx: RuleContext, file: string): PythonDocument | undefined {
  return ctx.document(file);
}

interface Guard {
  readonly kind: 'if' | 'elif' | 'else';
  readonly condition: PyNode;
}

/** An assignment to a name under at least one `if`, within one top-level statement (offsets relative to it). */
interface GuardedAssignment {
  readonly name: string;
  readonly target: PyNode;
  readonly value: PyNode | undefined;
  readonly guards: readonly Guard[];
}

/**
 * The guarded assignments of each top-level statement, by its node. A statement's tree is never
 * changed in place (an edit gives the statement a new tree; the statements after it keep theirs,
 * moved by their chunk's base), so what was found in a tree holds while the tree is kept: after a
 * keystroke only the edited statement is walked again, not the whole module for every setting
 * that production leaves unset.
 */
const guardedByStatement = new WeakMap<PyNode, readonly GuardedAssignment[]>();

const NO_GUARDED: readonly GuardedAssignment[] = [];

/** The assignments to a plain name under at least one `if` in a top-level statement, with the guards around each. */
function guardedIn(statement: PyNode): readonly GuardedAssignment[] {
  const kept = guardedByStatement.get(statement);
  if (kept) return kept;
  let out: GuardedAssignment[] | undefined;
  const visitBlock = (nodes: readonly PyNode[], guards: Guard[]): void => {
    for (const n of nodes) visit(n, guards);
  };
  const blockOf = (n: PyNode | undefined): PyNode[] => (n ? namedChildren(n) : []);
  const visit = (n: PyNode, guards: Guard[]): void => {
    switch (n.type) {
      case 'expression_statement': {
        const a = namedChildren(n)[0];
        if (a?.type !== 'assignment' || guards.length === 0) return;
        const left = field(a, 'left');
        if (left?.type === 'identifier' && left.text !== null)
          (out ??= []).push({ name: left.text, target: left, value: field(a, 'right'), guards });
        return;
      }
      case 'if_statement': {
        const cond = field(n, 'condition');
        if (!cond) return;
        visitBlock(blockOf(field(n, 'consequence')), [...guards, { kind: 'if', condition: cond }]);
        for (const alt of n.children.filter((c) => c.field === 'alternative')) {
          if (alt.type === 'elif_clause') {
            const c = field(alt, 'condition');
            if (c) visitBlock(blockOf(field(alt, 'consequence')), [...guards, { kind: 'elif', condition: c }]);
          } else if (alt.type === 'else_clause') visitBlock(blockOf(field(alt, 'body')), [...guards, { kind: 'else', condition: cond }]);
        }
        return;
      }
      case 'try_statement':
      case 'with_statement':
        // their blocks run at module level too; an `if` inside them still guards the assignment
        for (const c of n.children) {
          if (c.type === 'block') visitBlock(namedChildren(c), guards);
          else if (c.type === 'except_clause' || c.type === 'else_clause' || c.type === 'finally_clause') {
            const body = c.children.find((k) => k.type === 'block');
            if (body) visitBlock(namedChildren(body), guards);
          }
        }
        return;
      default:
        return;
    }
  };
  visit(statement, []);
  const found = out ?? NO_GUARDED;
  guardedByStatement.set(statement, found);
  return found;
}

/** Where `name` is assigned at module level under at least one `if`, with the guards around it. */
function guardedAssignments(
  doc: PythonDocument,
  name: string,
): { target: PyNode; value: PyNode | undefined; base: number; guards: readonly Guard[] }[] {
  const out: { target: PyNode; value: PyNode | undefined; base: number; guards: readonly Guard[] }[] = [];
  for (const chunk of doc.chunks)
    for (const a of guardedIn(chunk.node))
      if (a.name === name) out.push({ target: a.target, value: a.value, base: chunk.base, guards: a.guards });
  return out;
}

/** Whether the file's module namespace reaches the production settings (itself, or star-imported). */
function flowsIntoProduction(ctx: RuleContext, file: string): boolean {
  if (ctx.project.production?.module.file === file) return true;
  if (ctx.settings.assignsIn(file)) return true;
  return false;
}

function conditionText(text: string, base: number, cond: PyNode): string | undefined {
  const src = text
    .slice(base + cond.start, base + cond.end)
    .replace(/\s+/g, ' ')
    .trim();
  // only names, attributes, calls without literals and operators: nothing that could be a value
  if (!/^[\w.\s()!=<>,]+$/.test(src) || src.length > MAX_CONDITION) return undefined;
  return src;
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * `code` with each string literal replaced by `""`: a quote, then escapes (a backslash and the
 * character after it) or characters other than the quote, a backslash and a line break, then the
 * same quote. A scan: the pattern (["'])(?:\\.|(?!\1).)*\1 read each backslash both ways
 * (exponential), and a string left open was read again from each quote it had escaped; when one is
 * left open, a later quote of its kind before the place it stopped stops there too. Not quite the
 * pattern's reading: a backslash is not taken as a character of its own to close a string that its
 * escapes leave open (`"a\"` with nothing after it is no string).
 */
export function withoutStrings(code: string): string {
  let out = '';
  let from = 0;
  const openUntil: Record<string, number> = { '"': -1, "'": -1 };
  for (let i = 0; i < code.length; i++) {
    const q = code[i]!;
    if ((q !== '"' && q !== "'") || i < openUntil[q]!) continue;
    let j = i + 1;
    while (j < code.length && code[j] !== q && !LINE_BREAK.test(code[j]!)) {
      if (code[j] === '\\') {
        if (j + 1 >= code.length || LINE_BREAK.test(code[j + 1]!)) break;
        j++;
      }
      j++;
    }
    if (code[j] === q) {
      out += `${code.slice(from, i)}""`;
      from = j + 1;
      i = j;
    } else openUntil[q] = j;
  }
  return out + code.slice(from);
}

/** Environment variables behind the names a condition reads, as the production settings bind them. */
/** An environment lookup called in a condition: `os.environ.get("X"`, `os.getenv("X"`, `env.str("X"`, `config("X"`. */
const LOOKUP_CALL = /\b(?:os\.environ\.get|os\.getenv|getenv|environ\.get|env|env\.[a-z_]+|config)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']/g;

/** A presence test the condition makes itself: `"SECURE_SSL_HOST" in os.environ` (or `not in`). */
const PRESENCE_TEST = /["']([A-Za-z_][A-Za-z0-9_]*)["']\s+(?:not\s+)?in\s+(?:os\.)?environ\b/g;

function envOf(ctx: RuleContext, condition: string): string[] {
  const out: string[] = [];
  // a lookup the condition makes itself (`if env.str("SCHEME", "").lower() == "https":`)
  for (const m of condition.matchAll(LOOKUP_CALL)) if (!out.includes(m[1]!)) out.push(m[1]!);
  for (const m of condition.matchAll(PRESENCE_TEST)) if (!out.includes(m[1]!)) out.push(m[1]!);
  // names only: the contents of string literals are not names
  const code = withoutStrings(condition);
  for (const id of code.match(/\b[A-Za-z_]\w*\b/g) ?? []) {
    if (KEYWORDS.has(id)) continue;
    const v = ctx.settings.binding(id)?.value;
    if (!v || !isEnvironmentDefault(v)) continue;
    for (const e of v.env ?? []) if (!out.includes(e.name)) out.push(e.name);
  }
  return out;
}

/**
 * An assignment of the setting that the production settings skipped: it stands under an `if` in a
 * file whose namespace reaches production, yet the setting ends up unset. Only for settings that are
 * not set (a branch the analysis cannot decide leaves the setting set, with an unknown value).
 */
export function skippedAssignment(ctx: RuleContext, s: SettingValue): SkippedAssignment | undefined {
  if (s.isSet) return undefined;
  const files = [...ctx.evaluation.files];
  const prod = ctx.project.production?.module.file;
  // the production module first: the place its author meant to set it
  files.sort((a, b) => (a === prod ? -1 : b === prod ? 1 : 0));
  for (const file of files) {
    const text = ctx.fileText(file);
    if (text === undefined || !textMentions(file, text, s.name)) continue;
    const doc = docOf(ctx, file);
    if (!doc || !flowsIntoProduction(ctx, file)) continue;
    for (const a of guardedAssignments(doc, s.name)) {
      if (a.value && FALSE_LITERALS.has(text.slice(a.base + a.value.start, a.base + a.value.end).trim())) continue;
      const inner = a.guards[a.guards.length - 1]!;
      const cond = conditionText(text, a.base, inner.condition);
      const branch = cond === undefined ? undefined : inner.kind === 'else' ? `else: of if ${cond}:` : `${inner.kind} ${cond}:`;
      const c = cond !== undefined && cond.startsWith('(') && cond.endsWith(')') ? cond.slice(1, -1).trim() : cond;
      const debugOff =
        a.guards.length === 1 && c !== undefined && (inner.kind === 'else' ? DEBUG_ON.test(c) : inner.kind === 'if' && DEBUG_OFF.test(c));
      return {
        loc: { file, start: a.base + a.target.start, end: a.base + a.target.end },
        branch,
        env: guardEnv(ctx, text, a.base, a.guards),
        ...(debugOff ? { whenDebugOff: true as const } : {}),
      };
    }
  }
  return undefined;
}

function guardEnv(ctx: RuleContext, text: string, base: number, guards: readonly Guard[]): string[] {
  const env: string[] = [];
  for (const g of guards)
    for (const e of envOf(ctx, text.slice(base + g.condition.start, base + g.condition.end))) if (!env.includes(e)) env.push(e);
  return env;
}

/**
 * Reassignments of a set setting that production skipped because of the environment's defaults:
 * in the file of its final assignment, after it, under `if`s that read variables bound to
 * environment defaults (healthchecks' `if DB == "postgres": DATABASES = {…}`). Had one run, it
 * would be the final assignment. Returns the variables that would select them.
 */
export function skippedAlternatives(ctx: RuleContext, s: SettingValue): readonly string[] {
  const stmt = s.binding?.stmt;
  if (!s.isSet || !stmt) return [];
  const text = ctx.fileText(stmt.file);
  const doc = text !== undefined && textMentions(stmt.file, text, s.name) ? docOf(ctx, stmt.file) : undefined;
  if (!text || !doc) return [];
  const env: string[] = [];
  for (const a of guardedAssignments(doc, s.name)) {
    if (a.base + a.target.start < stmt.end) continue;
    for (const e of guardEnv(ctx, text, a.base, a.guards)) if (!env.includes(e)) env.push(e);
  }
  return env;
}

/**
 * "is only set under `if ENABLE_SSL:`, which the production settings skip when ENABLE_SSL is not
 * set, so Django's default (False) applies" — the state of a setting assigned only in a skipped branch.
 */
export function describeSkipped(skipped: SkippedAssignment, fallback: string): string {
  return `${skippedWhere(skipped)}, so ${fallback} applies`;
}

/** "is only set under `if ENABLE_SSL:`, which the production settings skip when ENABLE_SSL is not set". */
export function skippedWhere(skipped: SkippedAssignment): string {
  const where = skipped.branch ? `under \`${skipped.branch}\`` : 'in a branch';
  const when =
    skipped.env.length > 0
      ? `which the production settings skip when ${skipped.env.slice(0, 2).join(' and ')} ${skipped.env.length > 1 ? 'are' : 'is'} not set`
      : 'which the production settings skip';
  return `is only set ${where}, ${when}`;
}
