// Environment lookups as written in the source: which function a lookup calls and where its default
// argument is, so that a finding about "what production gets when the variable is unset" lands on
// the default itself and a fix can change just that argument.
import { defaultArgIndex } from '../../eval/library/environment';
import type { EnvRef, Loc, Value } from '../../eval/values';
import { field, findNode, namedChildren, type PyNode } from '../../parse/ast';
import { PythonDocument } from '../../parse/pythonDocument';
import type { RuleContext } from '../types';

/** Lookup calls and helper functions parsed: the same after every keystroke, so by text (at most 1,000). */
const snippets = new Map<string, PythonDocument>();

function parseSnippet(text: string): PythonDocument {
  let doc = snippets.get(text);
  if (doc === undefined) {
    if (snippets.size >= 1000) snippets.clear();
    doc = PythonDocument.parse(text);
    if (!doc.timedOut) snippets.set(text, doc); // (a parse stopped at the deadline is not kept)
  }
  return doc;
}

export interface LookupCall {
  /** The callee as written, without spaces: `os.environ.get`, `env.bool`, `config`. */
  readonly callee: string;
  /** The default argument's value, when the call has one. */
  readonly defaultArg?: Loc;
}

/** Reads the lookup call an environment reference points at; undefined when it is not a plain call. */
export function lookupCall(ctx: RuleContext, env: EnvRef): LookupCall | undefined {
  const text = ctx.textAt(env.loc);
  if (!text || !/^[\w.]+\s*\(/.test(text)) return undefined;
  const doc = parseSnippet(text);
  const chunk = doc.chunks[0];
  if (doc.hasError || doc.chunks.length !== 1 || !chunk) return undefined;
  const call = namedChildren(chunk.node)[0];
  if (call?.type !== 'call') return undefined;
  const fn = field(call, 'function');
  const args = field(call, 'arguments');
  if (!fn || args?.type !== 'argument_list') return undefined;
  const callee = text.slice(chunk.base + fn.start, chunk.base + fn.end).replace(/\s+/g, '');
  const list = namedChildren(args);
  if (list.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return { callee };
  const abs = (n: PyNode): Loc => ({
    file: env.loc.file,
    start: env.loc.start + chunk.base + n.start,
    end: env.loc.start + chunk.base + n.end,
  });
  const kw = list.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'default');
  const kwValue = kw && field(kw, 'value');
  if (kwValue) return { callee, defaultArg: abs(kwValue) };
  const index = defaultArgIndex(env.style, callee);
  const positional = list.filter((a) => a.type !== 'keyword_argument');
  const pos = index === undefined ? undefined : positional[index];
  if (pos || !/^[A-Za-z_]\w*$/.test(callee)) return { callee, defaultArg: pos ? abs(pos) : undefined };
  // a project's own helper (`envbool("DEBUG", "True")`): its default is the second argument only
  // when the helper is a plain (name, default) function that hands that argument to the lookup
  const second = helperDefaultParam(ctx, callee);
  if (!second || list.length !== 2 || list[0]!.type !== 'string') return { callee };
  const arg = list[1]!;
  if (arg.type === 'keyword_argument') {
    const value = field(arg, 'value');
    return { callee, defaultArg: field(arg, 'name')?.text === second && value ? abs(value) : undefined };
  }
  return { callee, defaultArg: abs(arg) };
}

/** The source of `def name(…)` when the production settings bind `name` to a function of the project. */
function helperSource(ctx: RuleContext, name: string): string | undefined {
  const stmt = ctx.settings.binding(name)?.stmt;
  const text = stmt ? ctx.textAt(stmt) : undefined;
  return text && /^def\s/.test(text) ? text : undefined;
}

/** Whether a lookup's callee is a function the project wrote (its own parsing, its own defaults). */
export function isProjectHelper(ctx: RuleContext, callee: string | undefined): boolean {
  return callee !== undefined && /^[A-Za-z_]\w*$/.test(callee) && helperSource(ctx, callee) !== undefined;
}

/**
 * The name of a helper's default parameter when the helper, bound in the production settings, is
 * `def name(var, default)` with exactly two plain parameters whose body reads the variable named by
 * the first and either passes the second as the default of `os.getenv`/`….get(…)` or returns it.
 */
function helperDefaultParam(ctx: RuleContext, name: string): string | undefined {
  const text = helperSource(ctx, name);
  if (!text) return undefined;
  const doc = parseSnippet(text);
  const def = doc.chunks[0]?.node;
  if (doc.hasError || doc.chunks.length !== 1 || def?.type !== 'function_definition') return undefined;
  const params = namedChildren(field(def, 'parameters') ?? def).map((p) =>
    p.type === 'identifier' ? p.text : p.type === 'default_parameter' ? field(p, 'name')?.text : undefined,
  );
  if (params.length !== 2 || params.some((p) => !p)) return undefined;
  const [varParam, defaultParam] = params as [string, string];
  const body = field(def, 'body');
  if (!body || !findNode(body, (n) => n.type === 'identifier' && n.text === varParam)) return undefined;
  const isParam = (n: PyNode | undefined): boolean => n?.type === 'identifier' && n.text === defaultParam;
  const handsOn = findNode(body, (n) => {
    if (n.type === 'return_statement') return isParam(namedChildren(n)[0]);
    if (n.type !== 'call') return false;
    const fn = field(n, 'function');
    const fnText = fn ? text.slice(fn.start, fn.end) : '';
    if (!/(^|\.)(getenv|get)$/.test(fnText)) return false;
    const args = namedChildren(field(n, 'arguments') ?? n);
    return (
      isParam(args.filter((a) => a.type !== 'keyword_argument')[1]) ||
      args.some((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'default' && isParam(field(a, 'value')))
    );
  });
  return handsOn ? defaultParam : undefined;
}

/** Whether `inner` lies within `outer` (same file). */
export function within(inner: Loc | undefined, outer: Loc | undefined): boolean {
  return !!inner && !!outer && inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/**
 * Whether a text is only what lookups without a default render when their variables are not set:
 * `f"{os.getenv('PGPASS')}{os.getenv('PGSUFFIX')}"` is "NoneNone" under defaults semantics, which
 * no one wrote as a credential (the deployment sets the variables; without them the login fails).
 * True when, once every "None" is taken out, nothing is left, and every variable it depends on is
 * read by os.getenv / os.environ.get without a default.
 */
export function renderedFromMissingVariables(ctx: RuleContext, v: Value): boolean {
  if (v.kind !== 'str' || v.origin !== 'env-default' || !v.env?.length) return false;
  if (v.v.replace(/None/g, '').trim() !== '') return false;
  return v.env.every((e) => {
    if (e.style !== 'os') return false;
    const call = lookupCall(ctx, e);
    return call !== undefined && call.defaultArg === undefined && /(^|\.)(getenv|get)$/.test(call.callee);
  });
}
