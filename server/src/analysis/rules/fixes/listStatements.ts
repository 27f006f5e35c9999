// Statements that add one entry to a list setting (`.append(x)`, `.insert(i, x)`, `+= [x]`,
// `.extend([x])`): removing the statement for a removed entry, and rewriting the production
// module's last such statement into `.insert(k, x)` for a moved one.
import type { Value } from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { RuleContext } from '../types';
import { lineEnding } from './edits';
import type { Change, ListEntry } from './listChange';
import { docOf, lineStart, node, nodeAt, operatorText, type Located } from './listSource';
import { onlyEndEdits, presentNames } from './listUses';
import type { TextEdit } from './types';

interface AddingStatement {
  readonly at: Located;
  /** The expression statement. */
  readonly stmt: PyNode;
  readonly form: 'append' | 'insert' | 'augmented' | 'extend';
  readonly call?: PyNode;
  /** For `+= [x]` and `.extend([x])`: the one-entry literal. */
  readonly literal?: PyNode;
  /** The statement's parent (module-level when undefined) and its ancestors. */
  readonly parents: readonly PyNode[];
}

/** The statement that adds `item` and nothing else to `setting`: `.append(x)`, `.insert(i, x)`, `+= [x]`, `.extend([x])`. */
function addingStatement(ctx: RuleContext, item: ListEntry, setting: string): AddingStatement | undefined {
  const at = nodeAt(ctx, item.loc);
  if (!at) return undefined;
  const chain = at.chain;
  const k = chain.length - 1;
  const p = chain[k - 1];
  const named = (target: PyNode | undefined): boolean => target?.type === 'identifier' && target.text === setting;
  let expr: PyNode | undefined;
  let form: AddingStatement['form'] | undefined;
  let call: PyNode | undefined;
  let literal: PyNode | undefined;
  let depth = 0;
  if (p?.type === 'argument_list') {
    call = chain[k - 2];
    const fn = call?.type === 'call' ? field(call, 'function') : undefined;
    const method = fn?.type === 'attribute' && named(field(fn, 'object')) ? field(fn, 'attribute')?.text : undefined;
    const args = namedChildren(p);
    if (method === 'append' && args.length === 1) form = 'append';
    else if (method === 'insert' && args.length === 2 && args[1] === node(at) && args[0]!.type === 'integer') form = 'insert';
    expr = call;
    depth = k - 2;
  } else if ((p?.type === 'list' || p?.type === 'tuple') && namedChildren(p).length === 1) {
    literal = p;
    const g = chain[k - 2];
    if (g?.type === 'augmented_assignment' && operatorText(g) === '+=' && field(g, 'right') === p && named(field(g, 'left'))) {
      form = 'augmented';
      expr = g;
      depth = k - 2;
    } else if (g?.type === 'argument_list' && namedChildren(g).length === 1) {
      call = chain[k - 3];
      const fn = call?.type === 'call' ? field(call, 'function') : undefined;
      if (fn?.type === 'attribute' && named(field(fn, 'object')) && field(fn, 'attribute')?.text === 'extend') {
        form = 'extend';
        expr = call;
        depth = k - 3;
      }
    }
  }
  const stmt = chain[depth - 1];
  if (!form || !expr || stmt?.type !== 'expression_statement' || namedChildren(stmt).length !== 1) return undefined;
  // alone on its lines: nothing before it, only a comment after it
  const text = at.text;
  const s = at.base + stmt.start;
  const e = at.base + stmt.end;
  if (!/^[ \t]*$/.test(text.slice(lineStart(text, s), s)) || !/^[ \t]*(?:#[^\r\n]*)?(?:\r?\n|$)/.test(text.slice(e))) return undefined;
  const parents = chain.slice(0, depth - 1);
  return { at, stmt, form, call, literal, parents };
}

/** Removes the statement that adds the removed entry; its comments stay (and `pass` keeps a block from becoming empty). */
export function removeStatement(ctx: RuleContext, order: Value[], c: Change): TextEdit[] | undefined {
  if (c.items.length !== 1) return undefined;
  const item = c.items[0]!;
  const st = addingStatement(ctx, item, c.setting.name);
  if (!st) return undefined;
  const { at, stmt } = st;
  const text = at.text;
  const start = lineStart(text, at.base + stmt.start);
  const tail = /^[ \t]*(#[^\r\n]*)?(\r?\n|$)/.exec(text.slice(at.base + stmt.end))!;
  const end = at.base + stmt.end + tail[0].length;
  const file = item.loc.file;
  const rest = order.filter((v) => v !== item.value);
  if (!onlyEndEdits(ctx, new Set([c.setting.name]), presentNames(rest), { file, start, end })) return undefined;
  const comments: string[] = [];
  const collect = (n: PyNode): void => {
    if (n.type === 'comment' && n.text) comments.push(n.text);
    n.children.forEach(collect);
  };
  collect(stmt);
  if (tail[1]) comments.push(tail[1]);
  const indent = text.slice(start, at.base + stmt.start);
  const eol = tail[2] || lineEnding(text);
  const block = st.parents[st.parents.length - 1];
  const alone = block?.type === 'block' && namedChildren(block).length === 1;
  const lines = [...(alone ? ['pass'] : []), ...comments].map((l) => indent + l + eol);
  // at the very end of a file without a final newline, the line before keeps its own ending
  let from = start;
  if (lines.length === 0 && !tail[2] && start > 0) from = start - (text[start - 2] === '\r' ? 2 : 1);
  return [{ file, start: from, end, newText: lines.join('') }];
}

/**
 * Rewrites the production module's statement that adds the moved entry into `.insert(k, x)` at the
 * position the move asks for. Only when that statement is the last thing to touch the list (at
 * module level, after every import, no later mention), so that `k` is counted on the final list.
 */
export function moveStatement(ctx: RuleContext, order: Value[], next: Value[], c: Change): TextEdit[] | undefined {
  if (c.items.length !== 1) return undefined;
  const item = c.items[0]!;
  const prod = ctx.project.production?.module.file;
  if (item.loc.file !== prod) return undefined;
  const st = addingStatement(ctx, item, c.setting.name);
  if (!st || st.parents.length !== 0) return undefined;
  const { at, stmt } = st;
  const doc = docOf(ctx, prod);
  if (!doc) return undefined;
  const stmtEnd = at.base + stmt.end;
  for (const chunk of doc.chunks) {
    if (chunk.base < stmtEnd) continue;
    let touches = false;
    const visit = (n: PyNode): void => {
      if (touches) return;
      if (
        n.type === 'import_statement' ||
        n.type === 'import_from_statement' ||
        n.type === 'future_import_statement' ||
        (n.type === 'identifier' && n.text === c.setting.name)
      )
        touches = true;
      else n.children.forEach(visit);
    };
    visit(chunk.node);
    if (touches) return undefined;
  }
  // The evaluated list must show the statement's own effect, untouched since.
  const index = order.indexOf(item.value);
  if (st.form === 'insert') {
    const k = Number(namedChildren(field(st.call!, 'arguments')!)[0]!.text);
    if (!Number.isInteger(k) || k < 0 || index !== Math.min(k, order.length - 1)) return undefined;
  } else if (index !== order.length - 1) return undefined;
  const k = next.indexOf(item.value);
  const file = prod;
  const b = at.base;
  const text = at.text;
  switch (st.form) {
    case 'insert': {
      const arg = namedChildren(field(st.call!, 'arguments')!)[0]!;
      return [{ file, start: b + arg.start, end: b + arg.end, newText: String(k) }];
    }
    case 'append': {
      const name = field(field(st.call!, 'function')!, 'attribute')!;
      return [
        { file, start: b + name.start, end: b + name.end, newText: 'insert' },
        { file, start: item.loc.start, end: item.loc.start, newText: `${k}, ` },
      ];
    }
    case 'extend': {
      const name = field(field(st.call!, 'function')!, 'attribute')!;
      const lit = st.literal!;
      return [
        { file, start: b + name.start, end: b + name.end, newText: 'insert' },
        { file, start: b + lit.start, end: b + lit.start + 1, newText: `${k}, ` },
        { file, start: b + lit.end - 1, end: b + lit.end, newText: '' },
      ];
    }
    case 'augmented': {
      const left = field(namedChildren(st.stmt)[0]!, 'left')!;
      const lit = st.literal!;
      if (/[\r\n]/.test(text.slice(b + left.end, b + lit.start))) return undefined;
      return [
        { file, start: b + left.end, end: b + lit.start + 1, newText: `.insert(${k}, ` },
        { file, start: b + lit.end - 1, end: b + lit.end, newText: ')' },
      ];
    }
  }
}
