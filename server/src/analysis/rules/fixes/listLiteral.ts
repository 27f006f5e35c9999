// Reading the list literal an entry is written in: the literal with its elements and the values
// they became, when the whole literal is one run of the evaluated list and the name it builds is
// only ever edited at its ends; and the literal's element order after a change.
import type { Value } from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { RuleContext } from '../types';
import type { Change, ListEntry } from './listChange';
import { nodeAt, operatorText, parentOf } from './listSource';
import { onlyEndEdits, presentNames } from './listUses';

/** A list literal of the source, with its elements and the values they became. */
export interface Literal {
  readonly file: string;
  readonly text: string;
  readonly base: number;
  readonly node: PyNode;
  readonly elements: readonly PyNode[];
  /** The evaluated value each element became, in element order. */
  readonly values: readonly Value[];
  /** Index in the evaluated list of the first element (the elements are one run there). */
  readonly at: number;
}

/** The list literal `item` is written in, when the whole literal is one run of `order` and only its owner's ends are ever edited. */
export function literalOf(ctx: RuleContext, order: readonly Value[], item: ListEntry, setting: string): Literal | undefined {
  const at = nodeAt(ctx, item.loc);
  const list = at && parentOf(at);
  if (!at || !list || (list.type !== 'list' && list.type !== 'tuple')) return undefined;
  const elements = namedChildren(list);
  const file = item.loc.file;
  const values: Value[] = [];
  const indexes: number[] = [];
  for (const el of elements) {
    const matches = order.flatMap((v, i) =>
      v.loc && v.loc.file === file && v.loc.start === at.base + el.start && v.loc.end === at.base + el.end ? [i] : [],
    );
    if (matches.length !== 1) return undefined; // not a plain entry (a name, `*other`), or evaluated twice
    values.push(order[matches[0]!]!);
    indexes.push(matches[0]!);
  }
  if (indexes.some((x, k) => x !== indexes[0]! + k)) return undefined;
  const owner = ownerOf(at.chain.slice(0, -1));
  if (!owner) return undefined;
  if (!onlyEndEdits(ctx, new Set([setting, owner]), presentNames(order))) return undefined;
  return { file, text: at.text, base: at.base, node: list, elements, values, at: indexes[0]! };
}

/**
 * The name a list literal builds (the chain ends at the literal): `NAME = [...]`, `NAME += [...]`,
 * `NAME = OTHER + [...]`, `NAME.extend([...])`. Undefined when it is anything else (an argument,
 * a dict value…), whose other uses could not be followed.
 */
function ownerOf(chain: readonly PyNode[]): string | undefined {
  let i = chain.length - 1;
  let cur = chain[i]!;
  let p = chain[i - 1];
  while (p && (p.type === 'parenthesized_expression' || (p.type === 'binary_operator' && operatorText(p) === '+'))) {
    cur = p;
    p = chain[--i - 1];
  }
  if (!p) return undefined;
  if ((p.type === 'assignment' || (p.type === 'augmented_assignment' && operatorText(p) === '+=')) && field(p, 'right') === cur) {
    const left = field(p, 'left');
    return left?.type === 'identifier' ? (left.text ?? undefined) : undefined;
  }
  if (p.type === 'argument_list' && cur.type !== 'binary_operator' && namedChildren(p).length === 1) {
    const call = chain[i - 2];
    const fn = call?.type === 'call' ? field(call, 'function') : undefined;
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    if (fn && field(fn, 'attribute')?.text === 'extend' && obj?.type === 'identifier') return obj.text ?? undefined;
  }
  return undefined;
}

/** Element order of the literal after the changes, as element indexes; undefined when a change reaches outside it. */
export function reorderElements(lit: Literal, changes: readonly Change[]): number[] | undefined {
  const index = new Map(lit.values.map((v, i) => [v, i]));
  let seq = lit.values.map((_, i) => i);
  for (const c of changes) {
    const els = c.items.map((i) => index.get(i.value));
    if (els.some((e) => e === undefined)) return undefined;
    const taken = new Set(els as number[]);
    seq = seq.filter((e) => !taken.has(e));
    if (c.kind === 'remove') continue;
    const anchor = index.get((c.before ?? c.after)!.value);
    const pos = anchor === undefined ? -1 : seq.indexOf(anchor);
    if (pos < 0) return undefined;
    const at = c.before ? pos : pos + 1;
    seq = [...seq.slice(0, at), ...(els as number[]), ...seq.slice(at)];
  }
  return seq;
}
