// How the rest of the configuration uses a list setting: an edit inside one of its literals is safe
// only when every mention of its name in the files the production settings ran extends the list at
// its ends, reads it, or builds it from literals and concatenations.
import type { Value } from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { RuleContext } from '../types';
import { docOf, operatorText, stringValue } from './listSource';

/**
 * True when every mention of the `tracked` names in the files the production settings ran only
 * extends their list at its ends, reads it, or builds it from literals and concatenations, so that
 * reordering or removing entries inside one of their literals changes nothing else. `skip` is a
 * statement that the fix deletes.
 */
export function onlyEndEdits(
  ctx: RuleContext,
  tracked: ReadonlySet<string>,
  present: ReadonlySet<string>,
  skip?: { file: string; start: number; end: number },
): boolean {
  for (const file of ctx.evaluation.files) {
    const text = ctx.fileText(file);
    if (text === undefined) return false;
    if (![...tracked].some((t) => text.includes(t))) continue;
    const doc = docOf(ctx, file);
    if (!doc) return false;
    for (const chunk of doc.chunks) {
      const base = chunk.base;
      let ok = true;
      const visit = (n: PyNode, anc: PyNode[]): void => {
        if (!ok) return;
        if (skip && skip.file === file && base + n.start >= skip.start && base + n.end <= skip.end) return;
        if (n.type === 'identifier' && n.text !== null && tracked.has(n.text) && !mentionAllowed(n, anc, text, base, tracked, present)) {
          ok = false;
          return;
        }
        anc.push(n);
        for (const c of n.children) visit(c, anc);
        anc.pop();
      };
      visit(chunk.node, []);
      if (!ok) return false;
    }
  }
  return true;
}

function mentionAllowed(
  id: PyNode,
  anc: readonly PyNode[],
  text: string,
  base: number,
  tracked: ReadonlySet<string>,
  present: ReadonlySet<string>,
): boolean {
  let i = anc.length - 1;
  let p = anc[i];
  let ref: PyNode = id;
  if (!p) return false;
  if (p.type === 'keyword_argument' && field(p, 'name') === id) return true; // f(MIDDLEWARE=…) names a parameter
  if (p.type === 'dotted_name') {
    // `from .base import MIDDLEWARE` (an alias would let other names edit the list unseen)
    const g = anc[i - 1];
    return g?.type === 'import_from_statement' && field(g, 'module_name') !== p;
  }
  if (p.type === 'attribute' && field(p, 'attribute') === id) {
    ref = p; // base.MIDDLEWARE
    p = anc[--i];
    if (!p) return false;
  }
  if (p.type === 'assignment' && field(p, 'left') === ref) return buildsList(field(p, 'right'));
  if (p.type === 'augmented_assignment' && field(p, 'left') === ref) return operatorText(p) === '+=';
  if (p.type === 'attribute' && field(p, 'object') === ref) {
    const call = anc[i - 1];
    const method = field(p, 'attribute')?.text;
    if (call?.type !== 'call' || field(call, 'function') !== p || !method) return false;
    const args = namedChildren(field(call, 'arguments') ?? call).filter((a) => a !== p);
    switch (method) {
      case 'append':
      case 'extend':
      case 'index':
      case 'count':
      case 'copy':
        return true;
      case 'insert':
        return args[0]?.type === 'integer' && args[0].text === '0';
      case 'remove': {
        // removing a value the final list does not hold: which occurrence it removed cannot change
        const v = args.length === 1 ? stringValue(text, base, args[0]!) : undefined;
        return v !== undefined && !present.has(v);
      }
      default:
        return false;
    }
  }
  if (p.type === 'comparison_operator') {
    const ops = p.children.filter((c) => !c.named).map((c) => c.type);
    return namedChildren(p)[0] !== ref && ops.every((o) => o === 'in' || o === 'not in');
  }
  if ((p.type === 'for_statement' || p.type === 'for_in_clause') && field(p, 'right') === ref) return true;
  if (p.type === 'argument_list') {
    const call = anc[i - 1];
    if (call?.type === 'call' && field(call, 'function')?.text === 'len' && namedChildren(p).length === 1) return true;
  }
  // an operand of the list built for a tracked name: `MIDDLEWARE = BASE + [...]`, `MIDDLEWARE += EXTRA`
  let cur: PyNode = ref;
  while (
    p &&
    (p.type === 'parenthesized_expression' || (p.type === 'binary_operator' && operatorText(p) === '+') || isCopyCall(p, anc[i - 1]))
  ) {
    cur = p.type === 'argument_list' ? anc[--i]! : p;
    p = anc[--i];
  }
  if (!p || field(p, 'right') !== cur) return false;
  const left = field(p, 'left');
  const target = left?.type === 'identifier' ? left.text : left?.type === 'attribute' ? field(left, 'attribute')?.text : undefined;
  if (!target || !tracked.has(target)) return false;
  return p.type === 'assignment' || (p.type === 'augmented_assignment' && operatorText(p) === '+=');
}

/** `list(x)` / `tuple(x)`: the argument list of such a call (a copy in the same order). */
function isCopyCall(p: PyNode, call: PyNode | undefined): boolean {
  if (p.type !== 'argument_list' || call?.type !== 'call') return false;
  const fn = field(call, 'function')?.text;
  return (fn === 'list' || fn === 'tuple') && namedChildren(p).length === 1;
}

/** An expression building a list in order from literals, names and concatenations. */
function buildsList(e: PyNode | undefined): boolean {
  if (!e) return false;
  switch (e.type) {
    case 'list':
    case 'tuple':
    case 'identifier':
    case 'attribute':
      return true;
    case 'parenthesized_expression':
      return buildsList(namedChildren(e)[0]);
    case 'binary_operator':
      return operatorText(e) === '+' && buildsList(field(e, 'left')) && buildsList(field(e, 'right'));
    case 'call': {
      const fn = field(e, 'function')?.text;
      const args = namedChildren(field(e, 'arguments') ?? e);
      return (fn === 'list' || fn === 'tuple') && args.length === 1 && buildsList(args[0]);
    }
    default:
      return false;
  }
}

/** The strings the list holds. */
export function presentNames(order: readonly Value[]): Set<string> {
  return new Set(order.flatMap((v) => (v.kind === 'str' ? [v.v] : [])));
}
