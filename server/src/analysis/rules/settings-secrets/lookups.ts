// Environment lookups as written in the source: which function a lookup calls and where its default
// argument is, so that a finding about "what production gets when the variable is unset" lands on
// the default itself and a fix can change just that argument.
import type { EnvRef, Loc } from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import { PythonDocument } from '../../parse/pythonDocument';
import type { RuleContext } from '../types';

export interface LookupCall {
  /** The callee as written, without spaces: `os.environ.get`, `env.bool`, `config`. */
  readonly callee: string;
  /** The default argument's value, when the call has one. */
  readonly defaultArg?: Loc;
}

// django-environ: env(var, cast, default), env.list/tuple/dict(var, cast, default), env.str/bool/…(var, default)
const ENVIRON_CAST_FIRST = new Set(['list', 'tuple', 'dict']);

/** Index of the positional default for a lookup of this style and callee, if it takes one. */
function defaultIndex(style: EnvRef['style'], callee: string): number | undefined {
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  switch (style) {
    case 'os':
      return last === 'get' || last === 'getenv' || last === 'setdefault' ? 1 : undefined;
    case 'environ':
      return !callee.includes('.') || ENVIRON_CAST_FIRST.has(last) ? 2 : 1;
    case 'decouple':
      return 1;
    default:
      return undefined;
  }
}

/** Reads the lookup call an environment reference points at; undefined when it is not a plain call. */
export function lookupCall(ctx: RuleContext, env: EnvRef): LookupCall | undefined {
  const text = ctx.textAt(env.loc);
  if (!text || !/^[\w.]+\s*\(/.test(text)) return undefined;
  const doc = PythonDocument.parse(text);
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
  const abs = (n: PyNode): Loc => ({ file: env.loc.file, start: env.loc.start + chunk.base + n.start, end: env.loc.start + chunk.base + n.end });
  const kw = list.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'default');
  const kwValue = kw && field(kw, 'value');
  if (kwValue) return { callee, defaultArg: abs(kwValue) };
  const index = defaultIndex(env.style, callee);
  const positional = list.filter((a) => a.type !== 'keyword_argument');
  const pos = index === undefined ? undefined : positional[index];
  return { callee, defaultArg: pos ? abs(pos) : undefined };
}

/** Whether `inner` lies within `outer` (same file). */
export function within(inner: Loc | undefined, outer: Loc | undefined): boolean {
  return !!inner && !!outer && inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}
