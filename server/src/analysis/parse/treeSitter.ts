// Loads web-tree-sitter and the tree-sitter-python grammar once per process, from the .wasm files
// the build copies next to the bundle, and converts its trees into the plain PyNode form.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Tree, type TreeCursor } from 'web-tree-sitter';
import { monotonicMs } from '../base/clock';
import { type PyNode, pyNode } from './ast';

/** The WebAssembly globals used here (the project's lib, ES2022 without the DOM, does not declare them). */
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
};
type WasmModule = object;

let loading: Promise<Parser> | undefined;
let ready: Parser | undefined;

/** The folder holding the .wasm files: beside the bundle, or in dist/ above it (test bundles). */
function wasmDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    for (const candidate of [dir, join(dir, 'dist')]) if (existsSync(join(candidate, 'tree-sitter-python.wasm'))) return candidate;
    dir = join(dir, '..');
  }
  throw new Error(`tree-sitter-python.wasm not found near ${__dirname}; run the build first`);
}

/** Loads the grammar (once). Every analysis entry point awaits this before parsing. */
export function loadParser(): Promise<Parser> {
  loading ??= (async () => {
    const dir = wasmDir();
    // both modules compile at once, on V8's threads (the grammar's used to start only once the
    // runtime was running), while the caller goes on; each is then instantiated from its module
    const runtime = WebAssembly.compile(readFileSync(join(dir, 'web-tree-sitter.wasm')));
    const grammar = WebAssembly.compile(readFileSync(join(dir, 'tree-sitter-python.wasm')));
    grammar.catch(() => undefined); // awaited below, after the runtime
    const runtimeModule = await runtime;
    await Parser.init({
      // Emscripten's hook: the runtime's imports in, the instance and its module out
      instantiateWasm: (imports: object, receive: (instance: object, module: WasmModule) => void): object => {
        const instance = new WebAssembly.Instance(runtimeModule, imports);
        receive(instance, runtimeModule);
        return instance.exports;
      },
    } as object);
    const language = Language.loadSync(await grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    ready = parser;
    return parser;
  })();
  return loading;
}

/** The loaded parser; throws when loadParser() has not completed. */
export function parser(): Parser {
  if (!ready) throw new Error('tree-sitter is not loaded: await loadParser() first');
  return ready;
}

export function isParserLoaded(): boolean {
  return ready !== undefined;
}

export interface TopLevelNode {
  /** Offset of the node in the parsed text. */
  readonly start: number;
  /** The node, with offsets relative to `start`. */
  readonly node: PyNode;
}

/**
 * The longest one parse may take. tree-sitter's error recovery can be far slower than linear on
 * hostile text; past this the parse is abandoned and the document is reported as not analysed.
 */
export const PARSE_TIME_LIMIT_MS = 3000;

/** A parse stops at the earlier of its own limit and this deadline (ms since epoch), when set. */
let parseDeadline: number | undefined;

/** Runs `fn` with parses also bounded by `deadline` (Date.now() ms); the previous deadline is restored. */
export function withParseDeadline<T>(deadline: number | undefined, fn: () => T): T {
  const previous = parseDeadline;
  parseDeadline = deadline;
  try {
    return fn();
  } finally {
    parseDeadline = previous;
  }
}

/** Runs tree-sitter under the time limit; undefined when it was abandoned (the parser is reset). */
function boundedParse(text: string, oldTree: Tree | null): Tree | null | undefined {
  const p = parser();
  let end = monotonicMs() + PARSE_TIME_LIMIT_MS;
  if (parseDeadline !== undefined) end = Math.min(end, monotonicMs() + Math.max(0, parseDeadline - Date.now()));
  let stopped = false;
  const tree = p.parse(text, oldTree, {
    // called every hundred or so parser operations; returning true abandons the parse
    progressCallback: () => (stopped ||= monotonicMs() > end),
  });
  if (stopped) {
    tree?.delete();
    p.reset(); // or the next parse would resume this one
    return undefined;
  }
  return tree;
}

/**
 * Parses `text` and returns its top-level nodes (statements and comments), converted, or undefined
 * when the parse ran out of time. The tree is deleted before returning.
 */
export function parseTopLevel(text: string): TopLevelNode[] | undefined {
  const tree = boundedParse(text, null);
  if (tree === undefined) return undefined;
  if (!tree) return [];
  try {
    return topLevelNodes(tree, text);
  } finally {
    tree.delete();
  }
}

/**
 * Parses `text`, re-using `oldTree` (already edited with tree.edit) when given; undefined when the
 * parse ran out of time.
 */
export function parseTree(text: string, oldTree?: Tree): Tree | null | undefined {
  return boundedParse(text, oldTree ?? null);
}

/**
 * Converts the top-level nodes of `tree`. `reuse` returns an already converted node for a top-level
 * node's text (position-independent, so unchanged statements are not converted again).
 */
export function topLevelNodes(tree: Tree, text: string, reuse?: (type: string, source: string) => PyNode | undefined): TopLevelNode[] {
  const cursor = tree.walk();
  const out: TopLevelNode[] = [];
  // When nothing parses as a module, the root itself is an ERROR node: every child is then in error.
  const rootError = cursor.nodeType === 'ERROR';
  // MISSING nodes only exist in a tree with errors: an error-free tree skips asking every node.
  const ctx: ConvertContext = { cursor, text, base: 0, meta: metaOf(tree), mayBeMissing: tree.rootNode.hasError };
  try {
    if (cursor.gotoFirstChild()) {
      do {
        const start = cursor.startIndex;
        const again = reuse?.(cursor.nodeType, text.slice(start, cursor.endIndex));
        ctx.base = start;
        const node = again ?? convert(ctx, 0);
        out.push({
          start,
          node:
            rootError && !node.error
              ? pyNode(node.type, node.start, node.end, node.field, node.named, node.children, node.text, true)
              : node,
        });
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  return out;
}

/** Deeper nesting than this is cut off (as an error node) so that nothing recurses without bound. */
export const MAX_NESTING = 400;

/**
 * What a node's type and field ids stand for, looked up once per id: every cursor property read
 * crosses into WASM (and copies the cursor there), so the converter reads ids, not names.
 */
interface LanguageMeta {
  readonly types: (string | undefined)[];
  readonly named: (boolean | undefined)[];
  readonly fields: (string | null | undefined)[];
  readonly language: Language;
}

const metas = new WeakMap<object, LanguageMeta>();

function metaOf(tree: Tree): LanguageMeta {
  const language = tree.language;
  let m = metas.get(language);
  if (!m) metas.set(language, (m = { types: [], named: [], fields: [], language }));
  return m;
}

interface ConvertContext {
  readonly cursor: TreeCursor;
  readonly text: string;
  base: number;
  readonly meta: LanguageMeta;
  readonly mayBeMissing: boolean;
}

function convert(ctx: ConvertContext, depth: number): PyNode {
  const { cursor, text, base, meta } = ctx;
  const typeId = cursor.nodeTypeId;
  let type = meta.types[typeId];
  if (type === undefined) type = meta.types[typeId] = meta.language.nodeTypeForId(typeId) ?? 'ERROR';
  let named = meta.named[typeId];
  if (named === undefined) named = meta.named[typeId] = type === 'ERROR' || meta.language.nodeTypeIsNamed(typeId);
  const start = cursor.startIndex;
  const end = cursor.endIndex;
  const fieldId = cursor.currentFieldId;
  let fieldName: string | null = null;
  if (fieldId !== 0) {
    fieldName = meta.fields[fieldId] ?? null;
    if (meta.fields[fieldId] === undefined) fieldName = meta.fields[fieldId] = meta.language.fieldNameForId(fieldId);
  }
  let error = type === 'ERROR' || (ctx.mayBeMissing && cursor.nodeIsMissing);
  let children: PyNode[] = EMPTY;
  if (depth >= MAX_NESTING) {
    return pyNode('ERROR', start - base, end - base, fieldName, true, children, null, true);
  }
  if (cursor.gotoFirstChild()) {
    children = [];
    do {
      const child = convert(ctx, depth + 1);
      if (child.error) error = true;
      // a backslash that continues the line is an extra of the grammar, named and placed among a
      // node's children (`a \⏎ if c else b`): it means nothing, and read as a child it shifts the
      // operands (the condition read was the backslash)
      if (child.type === 'line_continuation') continue;
      children.push(child);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return pyNode(
    type,
    start - base,
    end - base,
    fieldName,
    named,
    children,
    children.length === 0 ? ownCopy(text.slice(start, end)) : null,
    error,
  );
}

/**
 * A leaf's text as a string of its own. V8 makes a slice of 13 or more characters a view that keeps
 * the whole source alive; an edited document's chunks would then hold one version of the file per
 * edit made elsewhere (measured: +0.47 MB per keystroke on a 5,000-line module, never freed).
 * Concatenating and slicing again copies the characters into a new, small string.
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

const EMPTY: PyNode[] = [];
