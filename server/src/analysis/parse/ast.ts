// The evaluator's view of Python source: a compact, plain-JS copy of tree-sitter's concrete syntax
// tree. Walking tree-sitter nodes crosses into WASM and allocates on every access; walking these
// does not, and they survive the tree that produced them (trees are deleted right after conversion).

/** A node of the converted tree. Offsets are relative to the top-level chunk that holds the node. */
export interface PyNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  /** Field name under which the parent holds this node (`left`, `right`, `condition`…), or null. */
  readonly field: string | null;
  readonly named: boolean;
  readonly children: readonly PyNode[];
  /** Source text, kept for leaves only (identifiers, numbers, string pieces, operators, comments). */
  readonly text: string | null;
  /** True when this node or a descendant is an ERROR or MISSING node. */
  readonly error: boolean;
}

/**
 * A node, made as every node is: from this one object literal, its fields always in this order, so
 * that all nodes share one hidden class in V8 and the functions reading them (field(),
 * namedChildren(), the evaluator's eval…) stay monomorphic. A node copied with `{ ...n, end }` has
 * a hidden class of its own: the first keystroke that made nodes so (an edit inside a string's
 * content re-makes its statement's path) sent those functions' optimised code back to the
 * interpreter, and the keystrokes after it ran slower until V8 had optimised them again.
 */
export function pyNode(
  type: string,
  start: number,
  end: number,
  field: string | null,
  named: boolean,
  children: readonly PyNode[],
  text: string | null,
  error: boolean,
): PyNode {
  return { type, start, end, field, named, children, text, error };
}

export function field(node: PyNode, name: string): PyNode | undefined {
  for (const child of node.children) if (child.field === name) return child;
  return undefined;
}

export function fields(node: PyNode, name: string): PyNode[] {
  return node.children.filter((c) => c.field === name);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

export function firstNamed(node: PyNode): PyNode | undefined {
  for (const child of node.children) if (child.named && child.type !== 'comment') return child;
  return undefined;
}

/** The text of a node, re-read from the chunk's source text. */
export function nodeText(node: PyNode, chunkText: string): string {
  return node.text ?? chunkText.slice(node.start, node.end);
}

/** Depth-first search for the first node satisfying `pred` (pre-order). */
export function findNode(node: PyNode, pred: (n: PyNode) => boolean): PyNode | undefined {
  if (pred(node)) return node;
  for (const child of node.children) {
    const found = findNode(child, pred);
    if (found) return found;
  }
  return undefined;
}
