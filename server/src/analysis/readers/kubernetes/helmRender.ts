// Rendering a Helm template with the chart's values, as far as the values decide it: what the
// Ingress, Service and workload objects of a chart need (which objects are rendered at all, their
// names, labels, selectors, annotations, TLS, hosts and backends). A small reading of Go's
// text/template with Helm's functions: text, `{{ value }}`, `if`/`else if`/`else`, `with`, `range`
// (over a list or a mapping), variables (`$x := …`, `$x = …`, `$`), pipelines, and the functions
// charts use around those (quote, default, toYaml, nindent/indent, required, and/or/not/eq/ne,
// empty, printf, trunc/trimSuffix/lower/upper/trim…).
//
// Nothing is guessed. A value the values files do not set, one several production values files
// set differently, what `include`, `template`, `tpl`, `lookup`, `.Release`, `.Capabilities` or
// `.Chart` give, and any function not read here are *unknown*: printed as a placeholder
// `⟨expression⟩` (the same expression gives the same placeholder, so that a Service named
// `{{ include "app.fullname" . }}` is found by the Ingress whose backend is `{{ $fullName }}`,
// `$fullName := include "app.fullname" .`), and a block whose condition is unknown is rendered
// (its `if` branch, once for a `range`) with its output marked *maybe*, with why. An unknown
// value inserted as YAML (`{{- include "app.labels" . | nindent 4 }}`) becomes a key of its own,
// `⟨include_app.labels_.⟩: ""`, so that the mapping around it stays a mapping and says it holds
// more than is known.
//
// The output is text for the YAML reader, every piece of it placed in the files it comes from:
// the template's text where it is copied, the values file where a value is printed, the action
// where a placeholder stands (see Rendered.place).
import type { Loc } from '../../eval/values';
import type { YamlNode, YamlScalar } from '../yaml';

/** The character an unknown value's placeholder starts with (and ⟩ ends it). */
export const UNKNOWN_OPEN = '\u27e8';
export const UNKNOWN_CLOSE = '\u27e9';

/** Whether a rendered text holds an unknown value. */
export function holdsUnknown(text: string): boolean {
  return text.includes(UNKNOWN_OPEN);
}

/** A piece of rendered text and where it comes from. */
interface Piece {
  readonly text: string;
  /** Where the text is written: `copy` when each character is the file's own at src.start + i. */
  readonly src?: { readonly file: string; readonly start: number; readonly end: number; readonly copy: boolean };
}

/** The values a template is rendered with: a lookup of a path under `.Values`. */
export interface ValuesSource {
  /**
   * The value at `path` (keys under `.Values`): a node (undefined: set to null or empty), 'absent'
   * when no values file sets it, or 'unknown' with why (the production values files disagree).
   */
  lookup(path: readonly string[]): { readonly node: YamlNode | undefined } | 'absent' | { readonly unknown: string };
  /** The values files, as the messages name them ("values.yaml and values-prod.yaml"). */
  readonly described: string;
}

/** A rendered template. */
export interface Rendered {
  readonly text: string;
  /** Where an offset range of the output is written (a file of the repository). */
  place(start: number, end: number): Loc;
  /** Why the output at `offset` is rendered only maybe (a condition the values do not decide); undefined when it is certain. */
  maybe(offset: number): string | undefined;
  /** The blocks the values turned off (a false `if`, an empty `with`/`range`), in the template: [start, end) and why. */
  readonly off: readonly { readonly start: number; readonly end: number; readonly why: string }[];
}

// ---- the template's syntax ----------------------------------------------------------------------

type Expr =
  | { readonly t: 'field'; readonly base: '.' | '$' | string; readonly path: readonly string[] }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly v: number; readonly text: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'nil' }
  | { readonly t: 'call'; readonly fn: string; readonly args: readonly Expr[] }
  | { readonly t: 'pipe'; readonly cmds: readonly Expr[] };

type TNode =
  | { readonly t: 'text'; readonly start: number; readonly end: number }
  | { readonly t: 'out'; readonly expr: Expr; readonly start: number; readonly end: number; readonly src: string }
  | { readonly t: 'assign'; readonly name: string; readonly declare: boolean; readonly expr: Expr; readonly src: string }
  | {
      readonly t: 'if';
      readonly branches: readonly { readonly cond: Expr; readonly src: string; readonly body: TNode[] }[];
      readonly otherwise?: TNode[];
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly t: 'with' | 'range';
      readonly vars: readonly string[];
      readonly expr: Expr;
      readonly src: string;
      readonly body: TNode[];
      readonly otherwise?: TNode[];
      readonly start: number;
      readonly end: number;
    };

interface Action {
  readonly body: string;
  readonly start: number;
  readonly end: number;
}

/** The text and actions of a template, with `{{-` and `-}}` trimming the text beside them. */
function lex(text: string): ({ t: 'text'; start: number; end: number } | ({ t: 'action' } & Action))[] {
  const out: ({ t: 'text'; start: number; end: number } | ({ t: 'action' } & Action))[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= text.length) {
    const open = text.indexOf('{{', pos);
    let textEnd = open < 0 ? text.length : open;
    let textStart = pos;
    if (trimNext) while (textStart < textEnd && isSpace(text.charCodeAt(textStart))) textStart++;
    if (open < 0) {
      out.push({ t: 'text', start: textStart, end: textEnd });
      break;
    }
    const leftTrim = text[open + 2] === '-' && isSpace(text.charCodeAt(open + 3));
    if (leftTrim) while (textEnd > textStart && isSpace(text.charCodeAt(textEnd - 1))) textEnd--;
    if (textEnd > textStart) out.push({ t: 'text', start: textStart, end: textEnd });
    const close = closeOf(text, open + 2);
    if (close < 0) {
      // an action never closed: the rest is text
      out.push({ t: 'text', start: open, end: text.length });
      break;
    }
    const rightTrim = text[close - 1] === '-' && isSpace(text.charCodeAt(close - 2));
    const bodyStart = open + (leftTrim ? 3 : 2);
    const bodyEnd = close - (rightTrim ? 1 : 0);
    out.push({ t: 'action', body: text.slice(bodyStart, bodyEnd).trim(), start: open, end: close + 2 });
    trimNext = rightTrim;
    pos = close + 2;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Where the `}}` closing an action opened before `from` is (strings and comments skipped); -1 when none. */
function closeOf(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      const e = text.indexOf('`', i + 1);
      if (e < 0) return -1;
      i = e + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      if (e < 0) return -1;
      i = e + 2;
    } else if (c === '}' && text[i + 1] === '}') return i;
    else i++;
  }
  return -1;
}

// ---- expressions --------------------------------------------------------------------------------

type Tok = { k: 'word' | 'str' | 'num' | 'field' | 'var' | 'punct'; v: string };

function tokens(s: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) {
          const e = s[j + 1]!;
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else v += s[j++];
      }
      if (j >= s.length) return undefined;
      out.push({ k: 'str', v });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = s.indexOf('`', i + 1);
      if (j < 0) return undefined;
      out.push({ k: 'str', v: s.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '|' || c === ',') {
      out.push({ k: 'punct', v: c });
      i++;
      continue;
    }
    if (c === ':' && s[i + 1] === '=') {
      out.push({ k: 'punct', v: ':=' });
      i += 2;
      continue;
    }
    if (c === '=') {
      out.push({ k: 'punct', v: '=' });
      i++;
      continue;
    }
    if (c === '.' || c === '$') {
      let j = i + 1;
      while (j < s.length && (isWordChar(s[j]!) || s[j] === '.')) j++;
      out.push({ k: c === '.' ? 'field' : 'var', v: s.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9-]/.test(c) && /[0-9]/.test(s[c === '-' ? i + 1 : i] ?? '')) {
      let j = i + 1;
      while (j < s.length && /[0-9.eE_xXa-fA-F]/.test(s[j]!)) j++;
      out.push({ k: 'num', v: s.slice(i, j) });
      i = j;
      continue;
    }
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < s.length && (isWordChar(s[j]!) || s[j] === '.')) j++;
      out.push({ k: 'word', v: s.slice(i, j) });
      i = j;
      continue;
    }
    return undefined;
  }
  return out;
}

/** A pipeline's expression (commands joined by `|`); undefined when it is not read here. */
function parsePipe(ts: Tok[], pos: { i: number }, stop: (t: Tok) => boolean): Expr | undefined {
  const cmds: Expr[] = [];
  for (;;) {
    const args: Expr[] = [];
    while (pos.i < ts.length && !stop(ts[pos.i]!) && !(ts[pos.i]!.k === 'punct' && ts[pos.i]!.v === '|')) {
      const a = parseOperand(ts, pos);
      if (!a) return undefined;
      args.push(a);
    }
    if (args.length === 0) return undefined;
    const head = args[0]!;
    if (head.t === 'call' && head.args.length === 0) cmds.push({ t: 'call', fn: head.fn, args: args.slice(1) });
    else if (args.length === 1) cmds.push(head);
    else return undefined;
    if (pos.i < ts.length && ts[pos.i]!.k === 'punct' && ts[pos.i]!.v === '|') {
      pos.i++;
      continue;
    }
    break;
  }
  return cmds.length === 1 ? cmds[0] : { t: 'pipe', cmds };
}

function parseOperand(ts: Tok[], pos: { i: number }): Expr | undefined {
  const t = ts[pos.i]!;
  pos.i++;
  if (t.k === 'str') return { t: 'str', v: t.v };
  if (t.k === 'num') {
    const n = Number(t.v);
    return Number.isNaN(n) ? undefined : { t: 'num', v: n, text: t.v };
  }
  if (t.k === 'field') return { t: 'field', base: '.', path: t.v.split('.').filter(Boolean) };
  if (t.k === 'var') {
    const [name, ...path] = t.v.split('.');
    return { t: 'field', base: name === '$' ? '$' : name!, path: path.filter(Boolean) };
  }
  if (t.k === 'word') {
    if (t.v === 'true' || t.v === 'false') return { t: 'bool', v: t.v === 'true' };
    if (t.v === 'nil') return { t: 'nil' };
    return { t: 'call', fn: t.v, args: [] };
  }
  if (t.k === 'punct' && t.v === '(') {
    const inner = parsePipe(ts, pos, (x) => x.k === 'punct' && x.v === ')');
    if (!inner || ts[pos.i]?.v !== ')') return undefined;
    pos.i++;
    // (…).field
    return inner;
  }
  return undefined;
}

/** The expression of an action's text; an action not read here is an unknown call of its own text. */
function expression(src: string): Expr {
  const ts = tokens(src);
  const pos = { i: 0 };
  const e = ts ? parsePipe(ts, pos, () => false) : undefined;
  return e && pos.i === ts!.length ? e : { t: 'call', fn: `(${src})`, args: [] };
}

// ---- the tree -----------------------------------------------------------------------------------

const KEYWORD = /^(if|else|end|with|range|define|block|template)\b/;

/** The template as a tree of text, outputs and blocks. */
function parse(text: string): TNode[] {
  const items = lex(text);
  const root: TNode[] = [];
  // the open blocks, innermost last
  type Open = {
    kind: 'if' | 'with' | 'range' | 'define';
    start: number;
    branches: { cond: Expr; src: string; body: TNode[] }[];
    vars: string[];
    otherwise?: TNode[];
    current: TNode[];
    expr?: Expr;
    src: string;
  };
  const stack: Open[] = [];
  const here = (): TNode[] => (stack.length > 0 ? stack[stack.length - 1]!.current : root);
  for (const it of items) {
    if (it.t === 'text') {
      here().push(it);
      continue;
    }
    const body = it.body;
    if (body.startsWith('/*')) continue;
    const kw = KEYWORD.exec(body)?.[1];
    const rest = kw ? body.slice(kw.length).trim() : body;
    if (kw === 'if') {
      const branches = [{ cond: expression(rest), src: rest, body: [] as TNode[] }];
      stack.push({ kind: 'if', start: it.start, branches, vars: [], current: branches[0]!.body, src: rest });
    } else if (kw === 'with' || kw === 'range') {
      const { vars, expr } = rangeHead(rest);
      const b: TNode[] = [];
      stack.push({ kind: kw, start: it.start, branches: [], vars, current: b, expr, src: rest });
      stack[stack.length - 1]!.branches.push({ cond: expr, src: rest, body: b });
    } else if (kw === 'define' || kw === 'block') {
      stack.push({ kind: 'define', start: it.start, branches: [], vars: [], current: [], src: rest });
    } else if (kw === 'else') {
      const top = stack[stack.length - 1];
      if (!top) continue;
      const elseIf = /^if\b/.exec(rest);
      if (elseIf && top.kind === 'if') {
        const cond = rest.slice(2).trim();
        const b: TNode[] = [];
        top.branches.push({ cond: expression(cond), src: cond, body: b });
        top.current = b;
      } else {
        top.otherwise = [];
        top.current = top.otherwise;
      }
    } else if (kw === 'end') {
      const top = stack.pop();
      if (!top || top.kind === 'define') continue;
      const node: TNode =
        top.kind === 'if'
          ? { t: 'if', branches: top.branches, ...(top.otherwise ? { otherwise: top.otherwise } : {}), start: top.start, end: it.end }
          : {
              t: top.kind,
              vars: top.vars,
              expr: top.expr!,
              src: top.src,
              body: top.branches[0]!.body,
              ...(top.otherwise ? { otherwise: top.otherwise } : {}),
              start: top.start,
              end: it.end,
            };
      here().push(node);
    } else if (kw === 'template') {
      here().push({ t: 'out', expr: { t: 'call', fn: 'template', args: templateArgs(rest) }, start: it.start, end: it.end, src: body });
    } else {
      const assign = /^(\$[A-Za-z0-9_]*)\s*(:?=)\s*/.exec(body);
      if (assign)
        here().push({
          t: 'assign',
          name: assign[1]!,
          declare: assign[2] === ':=',
          expr: expression(body.slice(assign[0].length)),
          src: body,
        });
      else here().push({ t: 'out', expr: expression(body), start: it.start, end: it.end, src: body });
    }
  }
  // a block left open runs to the end of the file
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.kind === 'define') continue;
    const node: TNode =
      top.kind === 'if'
        ? { t: 'if', branches: top.branches, ...(top.otherwise ? { otherwise: top.otherwise } : {}), start: top.start, end: text.length }
        : { t: top.kind, vars: top.vars, expr: top.expr!, src: top.src, body: top.branches[0]!.body, start: top.start, end: text.length };
    here().push(node);
  }
  return root;
}

function templateArgs(rest: string): Expr[] {
  const e = expression(rest);
  if (e.t === 'call' && e.fn.startsWith('(')) return [{ t: 'str', v: rest }];
  return [e];
}

/** `$i, $v := X`, `$v := X` or `X`. */
function rangeHead(rest: string): { vars: string[]; expr: Expr } {
  const m = /^(\$[A-Za-z0-9_]*)(?:\s*,\s*(\$[A-Za-z0-9_]*))?\s*:=\s*/.exec(rest);
  if (!m) return { vars: [], expr: expression(rest) };
  return { vars: m[2] ? [m[1]!, m[2]] : [m[1]!], expr: expression(rest.slice(m[0].length)) };
}

// ---- values -------------------------------------------------------------------------------------

type Val =
  | { readonly k: 'nil' }
  | { readonly k: 'bool'; readonly v: boolean; readonly node?: YamlScalar }
  | { readonly k: 'num'; readonly v: number; readonly text: string; readonly node?: YamlScalar }
  | { readonly k: 'str'; readonly v: string; readonly pieces?: readonly Piece[]; readonly node?: YamlScalar }
  | { readonly k: 'map'; readonly node: YamlNode & { kind: 'map' } }
  | { readonly k: 'seq'; readonly node: YamlNode & { kind: 'seq' } }
  /** The root context (`.` at the top, `$`). */
  | { readonly k: 'root' }
  | { readonly k: 'unknown'; readonly expr: string; readonly why: string };

const YAML_TRUE = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']);
const YAML_FALSE = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N']);

/** A values file's node as Helm reads it (YAML 1.1 through go-yaml: yes/no are booleans). */
function fromNode(n: YamlNode | undefined): Val {
  if (!n) return { k: 'nil' };
  if (n.kind === 'map') return { k: 'map', node: n };
  if (n.kind === 'seq') return { k: 'seq', node: n };
  if (n.style !== 'plain') return { k: 'str', v: n.value, node: n };
  const v = n.value;
  if (v === 'null' || v === 'Null' || v === 'NULL' || v === '~') return { k: 'nil' };
  if (YAML_TRUE.has(v)) return { k: 'bool', v: true, node: n };
  if (YAML_FALSE.has(v)) return { k: 'bool', v: false, node: n };
  if (/^[-+]?(0|[1-9][0-9]{0,15})(\.[0-9]{1,16})?$/.test(v)) return { k: 'num', v: Number(v), text: v, node: n };
  return { k: 'str', v, node: n };
}

/** Go's truth of a value; undefined when unknown. */
function truth(v: Val): boolean | undefined {
  switch (v.k) {
    case 'nil':
      return false;
    case 'bool':
      return v.v;
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v !== '';
    case 'map':
      return v.node.entries.length > 0;
    case 'seq':
      return v.node.items.length > 0;
    case 'root':
      return true;
    default:
      return undefined;
  }
}

function unknown(expr: string, why: string): Val {
  return { k: 'unknown', expr, why };
}

/** The placeholder of an unknown expression: its characters a YAML plain scalar keeps as they are. */
export function placeholder(expr: string): string {
  let s = '';
  for (const c of expr.trim()) s += /[A-Za-z0-9._$/-]/.test(c) ? c : '_';
  return `${UNKNOWN_OPEN}${s.replace(/_+/g, '_')}${UNKNOWN_CLOSE}`;
}

// ---- rendering ----------------------------------------------------------------------------------

interface Scope {
  readonly vars: Map<string, Val>;
  readonly up?: Scope;
}

function lookupVar(s: Scope | undefined, name: string): Val | undefined {
  for (let x = s; x; x = x.up) if (x.vars.has(name)) return x.vars.get(name);
  return undefined;
}

function setVar(s: Scope, name: string, v: Val): void {
  for (let x: Scope | undefined = s; x; x = x.up)
    if (x.vars.has(name)) {
      x.vars.set(name, v);
      return;
    }
  s.vars.set(name, v);
}

interface Ctx {
  readonly file: string;
  readonly text: string;
  readonly values: ValuesSource | undefined;
  readonly out: Piece[];
  outLength: number;
  readonly maybe: { start: number; end: number; why: string }[];
  readonly off: { start: number; end: number; why: string }[];
  /** How many nodes rendered so far (a bound on loops over large values). */
  steps: number;
}

const MAX_STEPS = 200_000;

/** Renders a template with `values` (undefined: a template outside any chart, every value unknown). */
export function renderHelm(file: string, text: string, values: ValuesSource | undefined): Rendered {
  const ctx: Ctx = { file, text, values, out: [], outLength: 0, maybe: [], off: [], steps: 0 };
  const tree = parse(text);
  renderNodes(ctx, tree, { k: 'root' }, { vars: new Map([['$', { k: 'root' }]]) }, undefined);
  return finish(ctx);
}

function emit(ctx: Ctx, p: Piece): void {
  if (p.text === '') return;
  ctx.out.push(p);
  ctx.outLength += p.text.length;
}

function renderNodes(ctx: Ctx, nodes: readonly TNode[], dot: Val, scope: Scope, maybeWhy: string | undefined): void {
  for (const n of nodes) {
    if (++ctx.steps > MAX_STEPS) return;
    switch (n.t) {
      case 'text':
        emit(ctx, { text: ctx.text.slice(n.start, n.end), src: { file: ctx.file, start: n.start, end: n.end, copy: true } });
        break;
      case 'assign': {
        const v = evaluate(ctx, n.expr, dot, scope, n.src);
        if (n.declare) scope.vars.set(n.name, v);
        else setVar(scope, n.name, v);
        break;
      }
      case 'out':
        printValue(ctx, evaluate(ctx, n.expr, dot, scope, n.src), n, insertsYaml(ctx.text, n));
        break;
      case 'if':
        renderIf(ctx, n, dot, scope, maybeWhy);
        break;
      case 'with':
      case 'range':
        renderWithRange(ctx, n, dot, scope, maybeWhy);
        break;
    }
  }
}

/** Renders `nodes` with their output marked maybe (why), unless an enclosing block already is. */
function renderMaybe(ctx: Ctx, nodes: readonly TNode[], dot: Val, scope: Scope, why: string, outer: string | undefined): void {
  const start = ctx.outLength;
  renderNodes(ctx, nodes, dot, { vars: new Map(), up: scope }, outer ?? why);
  if (!outer && ctx.outLength > start) ctx.maybe.push({ start, end: ctx.outLength, why });
}

function renderIf(ctx: Ctx, n: Extract<TNode, { t: 'if' }>, dot: Val, scope: Scope, maybeWhy: string | undefined): void {
  for (const b of n.branches) {
    const v = evaluate(ctx, b.cond, dot, scope, b.src);
    const t = truth(v);
    if (t === true) {
      renderNodes(ctx, b.body, dot, { vars: new Map(), up: scope }, maybeWhy);
      return;
    }
    if (t === undefined) {
      const why = `the template writes it only when ${b.src} (${unknownWhy(v)})`;
      renderMaybe(ctx, b.body, dot, scope, why, maybeWhy);
      return;
    }
    ctx.off.push({ start: n.start, end: n.end, why: `${b.src} is false (${decidedBy(ctx, v)})` });
  }
  if (n.otherwise) renderNodes(ctx, n.otherwise, dot, { vars: new Map(), up: scope }, maybeWhy);
}

function renderWithRange(ctx: Ctx, n: Extract<TNode, { t: 'with' | 'range' }>, dot: Val, scope: Scope, maybeWhy: string | undefined): void {
  const v = evaluate(ctx, n.expr, dot, scope, n.src);
  const t = truth(v);
  if (t === false) {
    ctx.off.push({ start: n.start, end: n.end, why: `${n.src} is empty (${decidedBy(ctx, v)})` });
    if (n.otherwise) renderNodes(ctx, n.otherwise, dot, { vars: new Map(), up: scope }, maybeWhy);
    return;
  }
  if (t === undefined) {
    const why = `the template writes it only when ${n.src} (${unknownWhy(v)})`;
    const inner: Scope = { vars: new Map(), up: scope };
    const item: Val = n.t === 'with' ? v : unknown(`${exprText(n.src)}[]`, unknownWhy(v));
    for (const name of n.vars) inner.vars.set(name, item);
    renderMaybe(ctx, n.body, n.t === 'with' ? v : item, inner, why, maybeWhy);
    return;
  }
  if (n.t === 'with') {
    const inner: Scope = { vars: new Map(), up: scope };
    for (const name of n.vars) inner.vars.set(name, v);
    renderNodes(ctx, n.body, v, inner, maybeWhy);
    return;
  }
  // range over a list (index, item) or a mapping (key, value; Go sorts the keys)
  const items: [Val, Val][] =
    v.k === 'seq'
      ? v.node.items.map((x, i) => [{ k: 'num', v: i, text: String(i) }, fromNode(x)])
      : v.k === 'map'
        ? [...v.node.entries]
            .sort((a, b) => (a.key.value < b.key.value ? -1 : a.key.value > b.key.value ? 1 : 0))
            .map((e) => [{ k: 'str', v: e.key.value, node: e.key }, fromNode(e.value)])
        : v.k === 'num'
          ? Array.from({ length: Math.min(Math.max(0, Math.trunc(v.v)), 1000) }, (_, i) => [
              { k: 'num', v: i, text: String(i) },
              { k: 'num', v: i, text: String(i) },
            ])
          : [];
  for (const [key, item] of items) {
    const inner: Scope = { vars: new Map(), up: scope };
    if (n.vars.length === 2) {
      inner.vars.set(n.vars[0]!, key);
      inner.vars.set(n.vars[1]!, item);
    } else if (n.vars.length === 1) inner.vars.set(n.vars[0]!, item);
    renderNodes(ctx, n.body, item, inner, maybeWhy);
    if (ctx.steps > MAX_STEPS) return;
  }
}

function exprText(src: string): string {
  return src.replace(/^\$[A-Za-z0-9_]*(\s*,\s*\$[A-Za-z0-9_]*)?\s*:=\s*/, '');
}

function unknownWhy(v: Val): string {
  return v.k === 'unknown' ? v.why : 'not known';
}

/** What decided a value: the values file and line that set it, or that none sets it. */
function decidedBy(ctx: Ctx, v: Val): string {
  const node = 'node' in v ? v.node : undefined;
  if (node) return `set in ${baseName(node.loc.file)}`;
  return v.k === 'nil' ? `not set by ${ctx.values?.described ?? 'the values'}` : 'as written';
}

function baseName(f: string): string {
  return f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
}

/**
 * Whether an action's output is YAML inserted in place: its pipeline indents (nindent, indent), or
 * it stands alone on its line and writes YAML (toYaml, include, template).
 */
function insertsYaml(text: string, n: { expr: Expr; start: number; end: number }): boolean {
  const cmds = n.expr.t === 'pipe' ? n.expr.cmds : [n.expr];
  if (cmds.some((c) => c.t === 'call' && (c.fn === 'nindent' || c.fn === 'indent'))) return true;
  const last = cmds[cmds.length - 1]!;
  if (last.t !== 'call' || !['toYaml', 'include', 'toJson', 'template'].includes(last.fn)) return false;
  const lineStart = text.lastIndexOf('\n', n.start - 1) + 1;
  let lineEnd = text.indexOf('\n', n.end);
  if (lineEnd < 0) lineEnd = text.length;
  return text.slice(lineStart, n.start).trim() === '' && onlyActions(text.slice(n.end, lineEnd));
}

/** Whether a rest of a line holds nothing but blanks and template actions. */
function onlyActions(rest: string): boolean {
  let i = 0;
  while (i < rest.length) {
    if (isSpace(rest.charCodeAt(i))) i++;
    else if (rest.startsWith('{{', i)) {
      const close = rest.indexOf('}}', i + 2);
      if (close < 0) return false;
      i = close + 2;
    } else return false;
  }
  return true;
}

function printValue(ctx: Ctx, v: Val, n: { start: number; end: number; src: string }, yaml: boolean): void {
  const at = { file: ctx.file, start: n.start, end: n.end, copy: false };
  if (v.k === 'unknown') {
    const ph = placeholder(v.expr);
    if (yaml) {
      // an insertion of YAML not known: a key of its own, on its own line, at the column the action
      // sits or the nindent/indent gives
      const indent = indentOf(ctx, n);
      emit(ctx, { text: `\n${' '.repeat(indent)}${ph}: ""\n${' '.repeat(indent)}`, src: at });
    } else emit(ctx, { text: ph, src: at });
    return;
  }
  if (v.k === 'str' && v.pieces) {
    for (const p of v.pieces) emit(ctx, p);
    return;
  }
  const text = printed(v);
  if (text === undefined) {
    emit(ctx, { text: placeholder(n.src), src: at });
    return;
  }
  const node = 'node' in v ? v.node : undefined;
  emit(ctx, { text, src: node ? { file: node.loc.file, start: node.loc.start, end: node.loc.end, copy: false } : at });
}

/** The indentation an inserted YAML block gets: the nindent/indent argument, else the action's column. */
function indentOf(ctx: Ctx, n: { start: number; src: string }): number {
  const m = /\b(?:nindent|indent)\s+(\d{1,3})\b/.exec(n.src);
  if (m) return Number(m[1]);
  const lineStart = ctx.text.lastIndexOf('\n', n.start - 1) + 1;
  return n.start - lineStart;
}

/** The text Go prints for a value; undefined for what is not printed here (a mapping). */
function printed(v: Val): string | undefined {
  switch (v.k) {
    case 'nil':
      return '';
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'num':
      return v.text;
    case 'str':
      return v.v;
    default:
      return undefined;
  }
}

function exprSource(e: Expr): string {
  switch (e.t) {
    case 'field':
      return `${e.base === '.' ? '' : e.base}${e.path.length > 0 ? '.' : e.base === '.' ? '.' : ''}${e.path.join('.')}`;
    case 'str':
      return JSON.stringify(e.v);
    case 'num':
      return e.text;
    case 'bool':
      return String(e.v);
    case 'nil':
      return 'nil';
    case 'call':
      return [e.fn, ...e.args.map(argSource)].join(' ');
    case 'pipe':
      return e.cmds.map(exprSource).join(' | ');
  }
}

function argSource(e: Expr): string {
  return e.t === 'pipe' || (e.t === 'call' && e.args.length > 0) ? `(${exprSource(e)})` : exprSource(e);
}

function evaluate(ctx: Ctx, e: Expr, dot: Val, scope: Scope, src: string, piped?: Val): Val {
  switch (e.t) {
    case 'str':
      return { k: 'str', v: e.v };
    case 'num':
      return { k: 'num', v: e.v, text: e.text };
    case 'bool':
      return { k: 'bool', v: e.v };
    case 'nil':
      return { k: 'nil' };
    case 'field': {
      const base: Val | undefined = e.base === '.' ? dot : e.base === '$' ? { k: 'root' } : lookupVar(scope, e.base);
      if (!base) return unknown(exprSource(e), `${e.base} is not set in the template`);
      return field(ctx, base, e.path, exprSource(e));
    }
    case 'pipe': {
      let v: Val | undefined;
      for (const c of e.cmds) v = evaluate(ctx, c, dot, scope, src, v);
      return v ?? { k: 'nil' };
    }
    case 'call': {
      const args = e.args.map((a) => evaluate(ctx, a, dot, scope, src));
      if (piped) args.push(piped);
      return call(e, args, dot);
    }
  }
}

/** `base.path…`. */
function field(ctx: Ctx, base: Val, path: readonly string[], expr: string): Val {
  let v = base;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (v.k === 'root') {
      if (key !== 'Values') return unknown(expr, `.${key} is Helm's, not the chart's values`);
      const rest = path.slice(i + 1);
      if (rest.length === 0) return unknown(expr, 'all of the values');
      return valuesAt(ctx, rest, expr);
    }
    if (v.k === 'map') {
      const entry = v.node.entries.find((x) => x.key.value === key);
      v = fromNode(entry?.value);
      continue;
    }
    if (v.k === 'nil') return { k: 'nil' };
    if (v.k === 'unknown') return unknown(`${v.expr}.${path.slice(i).join('.')}`, v.why);
    return unknown(expr, `${key} of a value that has no fields`);
  }
  return v;
}

/** `.Values.path…` as the values files say it. */
function valuesAt(ctx: Ctx, path: readonly string[], expr: string): Val {
  if (!ctx.values) return unknown(expr, 'the template is not part of a chart whose values are read');
  const r = ctx.values.lookup(path);
  if (r === 'absent')
    return unknown(expr, `${ctx.values.described} ${ctx.values.described.includes(' and ') ? 'do' : 'does'} not set ${path.join('.')}`);
  if ('unknown' in r) return unknown(expr, r.unknown);
  return fromNode(r.node);
}

function str(v: Val): string | undefined {
  if (v.k === 'str') return v.v;
  return printed(v);
}

function call(e: Extract<Expr, { t: 'call' }>, args: Val[], dot: Val): Val {
  const expr = exprSource({ ...e, args: e.args });
  const firstUnknown = args.find((a) => a.k === 'unknown');
  const last = args[args.length - 1];
  switch (e.fn) {
    case 'quote':
    case 'squote': {
      if (!last) return { k: 'str', v: '""' };
      if (last.k === 'unknown') return last;
      const s = str(last);
      if (s === undefined) return unknown(expr, 'a value printed as Go prints it');
      const q = e.fn === 'quote' ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`;
      const node = 'node' in last ? last.node : undefined;
      return {
        k: 'str',
        v: q,
        ...(node ? { pieces: [{ text: q, src: { file: node.loc.file, start: node.loc.start, end: node.loc.end, copy: false } }] } : {}),
      };
    }
    case 'default': {
      if (args.length < 2) return firstUnknown ?? { k: 'nil' };
      const t = truth(last!);
      if (t === undefined) return last!;
      return t ? last! : args[0]!;
    }
    case 'required':
      return last ?? { k: 'nil' };
    case 'toYaml':
    case 'toJson': {
      if (!last) return { k: 'nil' };
      if (last.k === 'unknown') return unknown(`toYaml ${last.expr}`, last.why);
      const pieces = toYaml(last);
      return pieces
        ? { k: 'str', v: pieces.map((p) => p.text).join(''), pieces }
        : unknown(expr, 'a value toYaml writes in a way not read here');
    }
    case 'nindent':
    case 'indent': {
      if (args.length < 2) return firstUnknown ?? unknown(expr, 'not read');
      const n = args[0]!.k === 'num' ? args[0]!.v : Number.NaN;
      if (last!.k === 'unknown') return last!;
      if (Number.isNaN(n)) return unknown(expr, 'an indentation not known');
      const pieces = last!.k === 'str' && last!.pieces ? last!.pieces : [{ text: str(last!) ?? '' }];
      const indented = indentPieces(pieces, n, e.fn === 'nindent');
      return { k: 'str', v: indented.map((p) => p.text).join(''), pieces: indented };
    }
    case 'not': {
      const t = last ? truth(last) : undefined;
      return t === undefined ? unknown(expr, last?.k === 'unknown' ? last.why : 'not known') : { k: 'bool', v: !t };
    }
    case 'and':
    case 'or': {
      // Go stops at the first argument that decides
      for (const a of args) {
        const t = truth(a);
        if (t === undefined) return unknown(expr, a.k === 'unknown' ? a.why : 'not known');
        if (e.fn === 'and' ? !t : t) return a;
      }
      return last ?? { k: 'nil' };
    }
    case 'empty': {
      const t = last ? truth(last) : false;
      return t === undefined ? unknown(expr, unknownWhy(last!)) : { k: 'bool', v: !t };
    }
    case 'eq':
    case 'ne': {
      if (firstUnknown) return unknown(expr, firstUnknown.k === 'unknown' ? firstUnknown.why : '');
      const [a, ...others] = args.map((x) => (x.k === 'nil' ? '' : str(x)));
      if (a === undefined || others.some((o) => o === undefined)) return unknown(expr, 'values compared in a way not read here');
      const same = others.some((o) => o === a);
      return { k: 'bool', v: e.fn === 'eq' ? same : !same };
    }
    case 'hasKey': {
      if (args.length !== 2) return unknown(expr, 'not read');
      const [m, k] = args as [Val, Val];
      if (m.k === 'unknown') return m;
      if (m.k !== 'map' || k.k !== 'str') return unknown(expr, 'not read');
      return { k: 'bool', v: m.node.entries.some((x) => x.key.value === k.v) };
    }
    case 'printf': {
      if (firstUnknown) return firstUnknown;
      const [fmt, ...rest] = args.map(str);
      if (fmt === undefined || rest.some((r) => r === undefined)) return unknown(expr, 'not read');
      let k = 0;
      let bad = false;
      const out = fmt.replace(/%[sdv%]/g, (m) => {
        if (m === '%%') return '%';
        if (k < rest.length) return rest[k++]!;
        bad = true;
        return '';
      });
      return bad ? unknown(expr, 'not read') : { k: 'str', v: out };
    }
    case 'lower':
    case 'upper':
    case 'trim':
    case 'toString':
    case 'trunc':
    case 'trimSuffix':
    case 'trimPrefix':
    case 'replace': {
      if (firstUnknown) return unknown(expr, firstUnknown.k === 'unknown' ? firstUnknown.why : '');
      const s = last ? str(last) : undefined;
      if (s === undefined) return unknown(expr, 'not read');
      const a = args.slice(0, -1).map(str);
      const r =
        e.fn === 'lower'
          ? s.toLowerCase()
          : e.fn === 'upper'
            ? s.toUpperCase()
            : e.fn === 'trim'
              ? s.trim()
              : e.fn === 'toString'
                ? s
                : e.fn === 'trunc'
                  ? s.slice(0, Number(a[0]))
                  : e.fn === 'trimSuffix'
                    ? s.endsWith(a[0] ?? '') && a[0]
                      ? s.slice(0, s.length - a[0].length)
                      : s
                    : e.fn === 'trimPrefix'
                      ? s.startsWith(a[0] ?? '') && a[0]
                        ? s.slice(a[0].length)
                        : s
                      : s.split(a[0] ?? '').join(a[1] ?? '');
      return { k: 'str', v: r };
    }
    case 'include':
    case 'template': {
      // a named template, not rendered: the same name with the same context gives the same text
      const name = args[0]?.k === 'str' ? args[0].v : '?';
      const arg = e.args[1];
      const argVal = args[1];
      const ctxText = !arg
        ? ''
        : argVal?.k === 'root' || (arg.t === 'field' && arg.path.length === 0 && dot.k === 'root')
          ? '.'
          : argSource(arg);
      return unknown(`include "${name}" ${ctxText}`.trim(), `the named template ${name} is not rendered`);
    }
    default:
      return unknown(expr, `${e.fn.startsWith('(') ? 'an action' : `the function ${e.fn}`} is not read`);
  }
}

/** `nindent`/`indent`: each line indented by n (and a line break first for nindent). */
function indentPieces(pieces: readonly Piece[], n: number, newline: boolean): Piece[] {
  const pad = ' '.repeat(n);
  const out: Piece[] = newline ? [{ text: '\n' }, { text: pad }] : [{ text: pad }];
  for (const p of pieces) {
    let from = 0;
    for (let i = p.text.indexOf('\n'); i >= 0; i = p.text.indexOf('\n', i + 1)) {
      out.push(slicePiece(p, from, i + 1));
      out.push({ text: pad });
      from = i + 1;
    }
    if (from < p.text.length) out.push(slicePiece(p, from, p.text.length));
  }
  return out;
}

function slicePiece(p: Piece, a: number, b: number): Piece {
  if (!p.src) return { text: p.text.slice(a, b) };
  if (!p.src.copy) return { text: p.text.slice(a, b), src: p.src };
  return { text: p.text.slice(a, b), src: { ...p.src, start: p.src.start + a, end: p.src.start + b } };
}

// ---- toYaml -------------------------------------------------------------------------------------

/** A value written as YAML (each scalar placed in the values file), without a final line break (Helm trims it). */
function toYaml(v: Val): Piece[] | undefined {
  const out: Piece[] = [];
  const node = v.k === 'map' || v.k === 'seq' ? v.node : 'node' in v ? v.node : undefined;
  if (v.k === 'nil') return [{ text: 'null' }];
  if (!node) {
    const s = printed(v);
    return s === undefined ? undefined : [{ text: v.k === 'str' ? yamlString(s) : s }];
  }
  writeNode(out, node, 0, true);
  while (out.length > 0 && out[out.length - 1]!.text === '\n') out.pop();
  return out;
}

function scalarPiece(s: YamlScalar): Piece {
  const v = fromNode(s);
  const text = v.k === 'str' ? yamlString(v.v) : v.k === 'nil' ? 'null' : (printed(v) ?? yamlString(s.value));
  return { text, src: { file: s.loc.file, start: s.loc.start, end: s.loc.end, copy: false } };
}

function keyPiece(k: YamlScalar): Piece {
  return { text: yamlString(k.value), src: { file: k.loc.file, start: k.loc.start, end: k.loc.end, copy: false } };
}

/** Writes a node at `indent`; `inline`: its first line follows a `- ` already written. */
function writeNode(out: Piece[], n: YamlNode, indent: number, inline = false): void {
  const pad = ' '.repeat(indent);
  const lead = (i: number): void => {
    if (!(inline && i === 0)) out.push({ text: pad });
  };
  if (n.kind === 'scalar') {
    out.push(scalarPiece(n), { text: '\n' });
    return;
  }
  if (n.kind === 'map') {
    if (n.entries.length === 0) {
      out.push({ text: '{}\n' });
      return;
    }
    n.entries.forEach((e, i) => {
      lead(i);
      out.push(keyPiece(e.key), { text: ':' });
      const v = e.value;
      if (!v) out.push({ text: ' null\n' });
      else if (v.kind === 'scalar') out.push({ text: ' ' }, scalarPiece(v), { text: '\n' });
      else if ((v.kind === 'map' && v.entries.length === 0) || (v.kind === 'seq' && v.items.length === 0))
        out.push({ text: v.kind === 'map' ? ' {}\n' : ' []\n' });
      else {
        out.push({ text: '\n' });
        writeNode(out, v, v.kind === 'seq' ? indent : indent + 2);
      }
    });
    return;
  }
  if (n.items.length === 0) {
    out.push({ text: '[]\n' });
    return;
  }
  n.items.forEach((item, i) => {
    lead(i);
    out.push({ text: '- ' });
    if (item.kind === 'scalar') out.push(scalarPiece(item), { text: '\n' });
    else writeNode(out, item, indent + 2, true);
  });
}

/** A string as a YAML scalar that reads back as the same string. */
function yamlString(s: string): string {
  if (
    s !== '' &&
    /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/.test(s) &&
    !s.endsWith(' ') &&
    !YAML_TRUE.has(s) &&
    !YAML_FALSE.has(s) &&
    !/^(null|~|[-+]?[0-9][0-9.eE+-]*)$/i.test(s)
  )
    return s;
  return JSON.stringify(s);
}

// ---- the result ---------------------------------------------------------------------------------

function finish(ctx: Ctx): Rendered {
  const starts: number[] = [];
  let at = 0;
  for (const p of ctx.out) {
    starts.push(at);
    at += p.text.length;
  }
  const text = ctx.out.map((p) => p.text).join('');
  const pieceAt = (offset: number): number => {
    let lo = 0;
    let hi = ctx.out.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const fallback: Loc = { file: ctx.file, start: 0, end: 0 };
  const pointAt = (offset: number, end: boolean): { file: string; at: number } | undefined => {
    if (ctx.out.length === 0) return undefined;
    const i = pieceAt(end ? Math.max(0, offset - 1) : offset);
    const p = ctx.out[i]!;
    if (!p.src) return undefined;
    if (!p.src.copy) return { file: p.src.file, at: end ? p.src.end : p.src.start };
    const within = (end ? offset : offset) - starts[i]!;
    return { file: p.src.file, at: Math.min(p.src.end, p.src.start + Math.max(0, within)) };
  };
  return {
    text,
    place(start: number, end: number): Loc {
      const a = pointAt(start, false);
      if (!a) return fallback;
      const b = pointAt(end, true);
      return { file: a.file, start: a.at, end: b && b.file === a.file && b.at >= a.at ? b.at : a.at };
    },
    maybe(offset: number): string | undefined {
      return ctx.maybe.find((m) => offset >= m.start && offset < m.end)?.why;
    },
    off: ctx.off,
  };
}
