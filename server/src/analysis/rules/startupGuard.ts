// A fail-closed guard the settings write for a fail-open default: `if not DEBUG and
// SECRET_KEY.startswith("django-insecure"): raise ImproperlyConfigured(…)` at module level. With it,
// production (DEBUG off) cannot start on the written default: only a deployment that leaves DEBUG
// on runs with it, which is DEBUG's own finding. A finding about the default says so, at information.
// Also the guard written before the assignment, on the value the setting is then given:
// `if not env.DJANGO_SECRET_KEY: raise ImproperlyConfigured(…)` then `SECRET_KEY = env.DJANGO_SECRET_KEY`
// (a config object's attribute, which the evaluator cannot make required the way it does a name).
import type { Binding } from '../eval/scope';
import type { Known, Loc } from '../eval/values';
import { field, namedChildren, type PyNode } from '../parse/ast';
import type { RuleContext } from './types';

export interface StartupGuard {
  /** The `if` that raises. */
  readonly loc: Loc;
  /** Its line, 1-based, and the file's base name: `settings.py:567`. */
  readonly where: string;
  /** The guard raises only while DEBUG is off (`not DEBUG and …`): a deployment with DEBUG on runs with the default. */
  readonly debugOff: boolean;
}

/** Conditions longer than this are not read (a guard is one short test). */
const MAX_CONDITION = 240;

/**
 * The module-level `if` of a settings module that flows into production whose body only raises (or
 * exits) and whose condition holds for `name` bound to `value` (its written default) with DEBUG off:
 * every other part of the condition is DEBUG being off. Undefined when there is none.
 */
export function startupGuard(ctx: RuleContext, name: string, value: Known): StartupGuard | undefined {
  for (const file of ctx.evaluation.files) {
    const text = ctx.fileText(file);
    if (text === undefined || !text.includes(name) || !/\braise\b|\bexit\(/.test(text)) continue;
    if (ctx.project.production?.module.file !== file && !ctx.settings.assignsIn(file)) continue;
    const doc = ctx.document(file);
    if (!doc) continue;
    for (const chunk of doc.chunks) {
      const n = chunk.node;
      if (n.type !== 'if_statement' || n.children.some((c) => c.field === 'alternative')) continue;
      const cond = field(n, 'condition');
      const body = field(n, 'consequence');
      if (!cond || !body || cond.end - cond.start > MAX_CONDITION || !onlyStops(body, text, chunk.base)) continue;
      const src = (x: PyNode): string => text.slice(chunk.base + x.start, chunk.base + x.end);
      const held = holdsAny(cond, (x) => x?.type === 'identifier' && x.text === name, value, src);
      if (!held) continue;
      const line = doc.positionAt(chunk.base + n.start).line + 1;
      return {
        loc: { file, start: chunk.base + n.start, end: chunk.base + cond.end },
        where: `${file.split(/[\\/]/).pop()}:${line}`,
        debugOff: held.debugOff,
      };
    }
  }
  return undefined;
}

/** A block whose statements all stop the import: `raise …`, `sys.exit(…)`. */
function onlyStops(block: PyNode, text: string, base: number): boolean {
  const stmts = namedChildren(block);
  return (
    stmts.length > 0 &&
    stmts.every(
      (s) =>
        s.type === 'raise_statement' ||
        (s.type === 'expression_statement' && /^(?:sys\.)?exit\(/.test(text.slice(base + s.start, base + s.end).trim())),
    )
  );
}

/**
 * Whether `cond` holds for `name` = `value` with DEBUG off: a conjunction (`and`) of one test of the
 * name that the value passes and tests of DEBUG being off. Undefined when it does not, or cannot be told.
 */
function holds(
  cond: PyNode,
  isName: (n: PyNode | undefined) => boolean,
  value: Known,
  src: (n: PyNode) => string,
): { debugOff: boolean } | undefined {
  const parts: PyNode[] = [];
  const split = (n: PyNode): void => {
    const inner = n.type === 'parenthesized_expression' ? namedChildren(n)[0] : n;
    if (inner?.type === 'boolean_operator' && inner.children.some((c) => c.type === 'and')) {
      for (const c of namedChildren(inner)) split(c);
    } else if (inner) parts.push(inner);
  };
  split(cond);
  let tested = false;
  let debugOff = false;
  for (const p of parts) {
    const text = src(p).replace(/\s+/g, ' ').trim();
    if (DEBUG_OFF.test(text)) {
      debugOff = true;
      continue;
    }
    if (tested || testPasses(p, isName, value, src) !== true) return undefined;
    tested = true;
  }
  return tested ? { debugOff } : undefined;
}

/**
 * Whether `cond` holds (as `holds`), or one of its `or` parts does (`if not KEY or len(KEY) < 50:
 * raise`): the guard raises whenever one part holds. With DEBUG off when every part that holds needs it.
 */
function holdsAny(
  cond: PyNode,
  isName: (n: PyNode | undefined) => boolean,
  value: Known,
  src: (n: PyNode) => string,
): { debugOff: boolean } | undefined {
  const whole = holds(cond, isName, value, src);
  if (whole) return whole;
  const inner = cond.type === 'parenthesized_expression' ? namedChildren(cond)[0] : cond;
  if (inner?.type !== 'boolean_operator' || !inner.children.some((c) => c.type === 'or')) return undefined;
  const found = namedChildren(inner)
    .map((c) => holdsAny(c, isName, value, src))
    .filter((x) => x !== undefined);
  return found.length === 0 ? undefined : { debugOff: found.every((x) => x.debugOff) };
}

/** `not DEBUG`, `DEBUG is False`, `DEBUG == False`, `not settings.DEBUG`. */
const DEBUG_OFF = /^(?:not (?:settings\.)?DEBUG|(?:settings\.)?DEBUG (?:is|==) False)$/;

/** A plain string literal's text (no prefix, no escapes), or undefined. */
function literal(n: PyNode | undefined, src: (n: PyNode) => string): string | undefined {
  if (n?.type !== 'string') return undefined;
  const m = /^(["'])([^"'\\\n]*)\1$/.exec(src(n));
  return m ? m[2] : undefined;
}

/** Whether the test `p` of `name` passes for `value`: `==`, `in`, `.startswith()`, `.endswith()`, `not name`, `is None`. */
function testPasses(p: PyNode, isName: (n: PyNode | undefined) => boolean, value: Known, src: (n: PyNode) => string): boolean | undefined {
  const str = value.kind === 'str' ? value.v : undefined;
  if (p.type === 'not_operator') {
    const arg = field(p, 'argument');
    if (!isName(arg)) return undefined;
    return value.kind === 'none' || str === '';
  }
  if (p.type === 'comparison_operator') {
    const kids = namedChildren(p);
    const ops = p.children.filter((c) => !c.named).map((c) => c.type);
    if (kids.length !== 2 || ops.length === 0) return undefined;
    const op = ops.join(' ');
    const [a, b] = kids as [PyNode, PyNode];
    if (op === 'is' && isName(a) && b.type === 'none') return value.kind === 'none';
    if (op === '==') {
      const lit = isName(a) ? literal(b, src) : isName(b) ? literal(a, src) : undefined;
      return lit !== undefined && str !== undefined ? str === lit : undefined;
    }
    if (op === 'in' && str !== undefined) {
      // "insecure" in SECRET_KEY, or SECRET_KEY in ("a", "b")
      if (isName(b)) {
        const lit = literal(a, src);
        return lit !== undefined ? str.includes(lit) : undefined;
      }
      if (isName(a) && (b.type === 'tuple' || b.type === 'list' || b.type === 'set')) {
        const items = namedChildren(b).map((x) => literal(x, src));
        return items.every((x) => x !== undefined) ? items.includes(str) : undefined;
      }
    }
    return undefined;
  }
  if (p.type === 'call' && str !== undefined) {
    const fn = field(p, 'function');
    const args = field(p, 'arguments');
    if (fn?.type !== 'attribute' || !isName(field(fn, 'object')) || !args) return undefined;
    const method = field(fn, 'attribute')?.text;
    const argList = namedChildren(args);
    const lit = argList.length === 1 ? literal(argList[0], src) : undefined;
    if (lit === undefined) return undefined;
    if (method === 'startswith') return str.startsWith(lit);
    if (method === 'endswith') return str.endsWith(lit);
  }
  return undefined;
}

/**
 * A module-level `if` that only raises (or exits) written before the assignment that binds `name`
 * (`binding`), in the same module, whose condition holds for `value` (the setting's written default:
 * None or "") when the expression it tests is the one the assignment gives the setting:
 * `if not env.DJANGO_SECRET_KEY: raise ImproperlyConfigured(…)` … `SECRET_KEY = env.DJANGO_SECRET_KEY`.
 * The expression is a name or an attribute of one (a config object's field, a variable read from
 * the environment), not rebound between the two. `SECRET_KEY` itself tested after the assignment is
 * `startupGuard`'s. Undefined when there is none.
 */
export function guardBeforeAssignment(ctx: RuleContext, binding: Binding | undefined, value: Known): StartupGuard | undefined {
  const stmt = binding?.stmt;
  if (!stmt) return undefined;
  const file = stmt.file;
  if (ctx.project.production?.module.file !== file && !ctx.settings.assignsIn(file)) return undefined;
  const text = ctx.fileText(file);
  const doc = text !== undefined && /\braise\b|\bexit\(/.test(text) ? ctx.document(file) : undefined;
  if (!doc || text === undefined) return undefined;
  const at = doc.chunks.findIndex((c) => c.base + c.node.start <= stmt.start && stmt.start < c.base + c.node.end);
  const assigned = at >= 0 ? assignedExpression(doc.chunks[at]!.node) : undefined;
  if (!assigned) return undefined;
  const srcOf =
    (base: number) =>
    (x: PyNode): string =>
      text.slice(base + x.start, base + x.end);
  const subject = srcOf(doc.chunks[at]!.base)(assigned).replace(/\s+/g, '');
  const root = /^[A-Za-z_]\w*/.exec(subject)?.[0];
  if (!root) return undefined;
  // from the assignment back to the guard: nothing between rebinds the expression's name
  for (let i = at - 1; i >= 0; i--) {
    const { node: n, base } = doc.chunks[i]!;
    if (n.type === 'if_statement' && !n.children.some((c) => c.field === 'alternative')) {
      const cond = field(n, 'condition');
      const body = field(n, 'consequence');
      if (cond && body && cond.end - cond.start <= MAX_CONDITION && onlyStops(body, text, base)) {
        const src = srcOf(base);
        const isSubject = (x: PyNode | undefined): boolean =>
          (x?.type === 'identifier' || x?.type === 'attribute') && src(x).replace(/\s+/g, '') === subject;
        const held = holdsAny(cond, isSubject, value, src);
        if (held) {
          const line = doc.positionAt(base + n.start).line + 1;
          return {
            loc: { file, start: base + n.start, end: base + cond.end },
            where: `${file.split(/[\\/]/).pop()}:${line}`,
            debugOff: held.debugOff,
          };
        }
      }
    }
    if (rebinds(n, root, srcOf(base))) return undefined;
  }
  return undefined;
}

/** The right-hand side of `NAME = <name or attribute>` (one target), or undefined. */
function assignedExpression(n: PyNode): PyNode | undefined {
  const a = n.type === 'expression_statement' ? namedChildren(n)[0] : undefined;
  if (a?.type !== 'assignment' || field(a, 'left')?.type !== 'identifier') return undefined;
  const right = field(a, 'right');
  return right?.type === 'identifier' || right?.type === 'attribute' ? right : undefined;
}

/**
 * Whether a top-level statement may rebind or change `root`: an assignment whose target names it,
 * or any other statement (an import, def, class, loop, with, try, if, a call) that mentions it.
 */
function rebinds(n: PyNode, root: string, src: (x: PyNode) => string): boolean {
  if (n.type === 'comment' || !mentions(src(n), root)) return false;
  const a = n.type === 'expression_statement' ? namedChildren(n)[0] : undefined;
  if (a?.type === 'assignment') {
    const left = field(a, 'left');
    return left === undefined || mentions(src(left), root);
  }
  return true;
}

/** Whether `word` occurs in `text` as a whole identifier. */
function mentions(text: string, word: string): boolean {
  const ident = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1))
    if (!ident(text[i - 1]) && !ident(text[i + word.length])) return true;
  return false;
}
