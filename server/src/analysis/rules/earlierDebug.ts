// The split-settings trap: base.py computes `SESSION_COOKIE_SECURE = not DEBUG` or adds the toolbar
// under `if DEBUG:` while its own DEBUG is True; production.py then sets DEBUG = False, too late to
// change what base.py computed. A finding on such a line says so, or it reads as nonsense ("it is
// `not DEBUG`, and DEBUG is off!").
import * as V from '../eval/values';
import type { Loc } from '../eval/values';
import { field, findNode, type PyNode } from '../parse/ast';
import type { PythonDocument } from '../parse/pythonDocument';
import type { RuleContext } from './types';
import { fileOf } from './helpers';

function docOf(ctx: RuleContext, file: string): PythonDocument | undefined {
  return ctx.document(file);
}

const readsDebug = (n: PyNode | undefined): boolean =>
  !!n && findNode(n, (k) => k.type === 'identifier' && k.text === 'DEBUG') !== undefined;

/**
 * A note for a finding at `loc`, written in a module other than the production one, when the code
 * there read that module's DEBUG (in the statement's value, or in an `if` around it) while the
 * production module sets DEBUG itself, to a false value: " (base.py computed it from its own DEBUG;
 * the production module's DEBUG comes too late to change it)". Undefined otherwise.
 */
export function earlierDebugNote(ctx: RuleContext, loc: Loc): string | undefined {
  const prod = ctx.project.production?.module.file;
  if (!prod || loc.file === prod) return undefined;
  const debug = ctx.settings.binding('DEBUG');
  if (debug?.stmt?.file !== prod || V.truthy(debug.value) !== false) return undefined;
  const doc = docOf(ctx, loc.file);
  const chunk = doc?.chunks.find((c) => c.base + c.node.start <= loc.start && c.base + c.node.end >= loc.end);
  if (!chunk) return undefined;
  const base = chunk.base;
  const file = fileOf(ctx, loc.file);
  // the innermost statement around loc, and the `if` conditions on the way to it
  let conditionReadsDebug = false;
  let statement: PyNode | undefined;
  let n: PyNode | undefined = chunk.node;
  while (n) {
    if (n.type === 'function_definition' || n.type === 'class_definition') return undefined;
    if (n.type === 'if_statement' || n.type === 'elif_clause') {
      const cond = field(n, 'condition');
      const inCondition = cond !== undefined && base + cond.start <= loc.start && base + cond.end >= loc.end;
      if (readsDebug(cond) && !inCondition) conditionReadsDebug = true;
    }
    if (n.type === 'expression_statement') statement = n;
    const inner: PyNode | undefined = n.children.find((c) => base + c.start <= loc.start && base + c.end >= loc.end);
    n = inner;
  }
  if (conditionReadsDebug)
    return ` (${file} decides this under an \`if\` on its own DEBUG; the production module's DEBUG comes too late to change it)`;
  const assigned = statement?.children.find((c) => c.type === 'assignment' || c.type === 'augmented_assignment');
  if (statement && readsDebug(assigned ? field(assigned, 'right') : statement))
    return ` (${file} computed it from its own DEBUG; the production module's DEBUG comes too late to change it)`;
  return undefined;
}
