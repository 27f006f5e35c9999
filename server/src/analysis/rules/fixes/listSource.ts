// The source text of a list setting, as the list fixes read it: the parsed document of a file (from
// the workspace's parse cache: the buffer being edited, else the file as read), the node written
// exactly at a place with its ancestors, and the plain string literals and operators of nodes.
import type { Loc } from '../../eval/values';
import type { PyNode } from '../../parse/ast';
import type { PythonDocument } from '../../parse/pythonDocument';
import type { RuleContext } from '../types';

/**
 * The parsed document of a file. Source access: documents come from the workspace's parse cache
 * (the buffer being edited, else the file as the workspace read it).
 */
export function docOf(ctx: RuleContext, file: string): PythonDocument | undefined {
  const doc = ctx.document(file);
  if (!doc || /\r(?!\n)/.test(doc.text)) return undefined; // old-Mac line endings: lines cannot be told apart reliably
  return doc.hasError ? undefined : doc;
}

/** A node with the chain of its ancestors (chunk root first) and the chunk's base offset. */
export interface Located {
  readonly text: string;
  readonly base: number;
  /** Ancestors, outermost first; the node itself is last. */
  readonly chain: readonly PyNode[];
}

/** The outermost node written exactly at `loc`. */
export function nodeAt(ctx: RuleContext, loc: Loc): Located | undefined {
  const doc = docOf(ctx, loc.file);
  if (!doc) return undefined;
  for (const chunk of doc.chunks) {
    const b = chunk.base;
    if (b + chunk.node.start > loc.start || b + chunk.node.end < loc.end) continue;
    const chain: PyNode[] = [chunk.node];
    let n = chunk.node;
    while (b + n.start !== loc.start || b + n.end !== loc.end) {
      const c = n.children.find((k) => b + k.start <= loc.start && b + k.end >= loc.end);
      if (!c) return undefined;
      chain.push(c);
      n = c;
    }
    return { text: doc.text, base: b, chain };
  }
  return undefined;
}

/** The node itself, and its parent. */
export const node = (l: Located): PyNode => l.chain[l.chain.length - 1]!;
export const parentOf = (l: Located): PyNode | undefined => l.chain[l.chain.length - 2];

/** The offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The value of a plain string literal node ("x", 'x', r"x"), or undefined. */
export function stringValue(text: string, base: number, n: PyNode): string | undefined {
  if (n.type !== 'string') return undefined;
  const m = /^[rRuU]?(['"])([^'"\\\r\n]*)\1$/.exec(text.slice(base + n.start, base + n.end));
  return m?.[2];
}

/** The operator of a binary operator, comparison or augmented assignment (`+`, `+=`…). */
export function operatorText(n: PyNode): string | undefined {
  return n.children.find((c) => !c.named && c.field === 'operator')?.text ?? undefined;
}
