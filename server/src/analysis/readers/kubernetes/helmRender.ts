// Rendering a Helm template with the chart's values, as far as the values decide it: what the
// Ingress, Service and workload objects of a chart need (which objects are rendered at all, their
// names, labels, selectors, annotations, TLS, hosts and backends). A small reading of Go's
// text/template with Helm's functions: text, `{{ value }}`, `if`/`else if`/`else`, `with`, `range`
// (over a list or a mapping), variables (`$x := …`, `$x = …`, `$`), pipelines, and the functions
// charts use around those (quote, default, toYaml, nindent/indent, required, and/or/not/eq/ne,
// empty, printf, trunc/trimSuffix/lower/upper/trim…).
//
// A named template the chart defines (`{{ define "app.env" }}` in any of its templates, `_helpers.tpl`
// included) is rendered where `include "app.env" X` or `template "app.env" X` calls it, with X for
// its dot and `$`: its text placed in the file that defines it, its output then going through the
// pipeline as any string. It stays unknown (as below) when the chart does not define it (a library
// chart, a subchart), when it includes itself or nests deeper than MAX_INCLUDE_DEPTH, when the
// values do not decide a condition it holds, or when it gives a one-line text holding an unknown
// part (a name or label, compared as a whole elsewhere).
//
// Nothing is guessed. A value the values files do not set, one several production values files
// set differently, what a named template not rendered, `tpl`, `lookup`, `.Release`, `.Capabilities` or
// a `.Chart` field Chart.yaml does not write give, and any function not read here are *unknown*: printed as a placeholder
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
import type { YamlNode } from '../yaml';
import { call } from './helmTemplate/functions';
import { type Expr, isSpace, parse, type TNode } from './helmTemplate/syntax';
import {
  exprSource,
  fromNode,
  type Piece,
  placeholder,
  printed,
  truth,
  UNKNOWN_OPEN,
  unknown,
  unknownWhy,
  type Val,
} from './helmTemplate/values';

export { placeholder, UNKNOWN_CLOSE, UNKNOWN_OPEN } from './helmTemplate/values';

/** Whether a rendered text holds an unknown value. */
export function holdsUnknown(text: string): boolean {
  return text.includes(UNKNOWN_OPEN);
}

export interface ValuesSource {
  /**
   * The value at `path` (keys under `.Values`): a node (undefined: set to null or empty), 'absent'
   * when no values file sets it, or 'unknown' with why (the production values files disagree).
   */
  lookup(path: readonly string[]): { readonly node: YamlNode | undefined } | 'absent' | { readonly unknown: string };
  /** The values files, as the messages name them ("values.yaml and values-prod.yaml"). */
  readonly described: string;
  /**
   * The chart's own fields as `.Chart` names them (`Name`, `Version`, `AppVersion`…, from Chart.yaml's
   * `name`, `version`, `appVersion`: Helm's built-in objects); undefined when not known.
   */
  readonly chart?: ReadonlyMap<string, string>;
}

/** The named templates of a chart (`define` blocks), by name: the file that defines each and its body. */
export type Defines = ReadonlyMap<string, { readonly file: string; readonly text: string; readonly body: readonly TNode[] }>;

/**
 * The named templates the files of a chart define. A name defined twice with different bodies is
 * left out (which one Helm keeps depends on the order it loads the files in).
 */
export function collectDefines(files: readonly { readonly file: string; readonly text: string }[]): Defines {
  const out = new Map<string, { file: string; text: string; body: readonly TNode[] }>();
  const twice = new Set<string>();
  for (const { file, text } of files) {
    if (!text.includes('define') && !text.includes('block')) continue;
    const found = new Map<string, TNode[]>();
    parse(text, found);
    for (const [name, body] of found) {
      const prior = out.get(name);
      if (prior && !(prior.file === file || sameText(prior, { text, body }))) twice.add(name);
      else out.set(name, { file, text, body });
    }
  }
  for (const n of twice) out.delete(n);
  return out;
}

function sameText(a: { text: string; body: readonly TNode[] }, b: { text: string; body: readonly TNode[] }): boolean {
  const span = (x: { text: string; body: readonly TNode[] }): string => {
    const first = x.body[0];
    const last = x.body[x.body.length - 1];
    const start = first && 'start' in first ? first.start : 0;
    const end = last && 'end' in last ? last.end : 0;
    return x.text.slice(start, end);
  };
  return span(a) === span(b);
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
  /**
   * The text of the template (its own file's) that the values certainly leave out: the bodies of the
   * branches of an `if` that are not taken, of a `with`/`range` over an empty value; [start, end).
   */
  readonly skipped: readonly (readonly [number, number])[];
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
  /** The template text certainly left out (Rendered.skipped). */
  readonly skipped: [number, number][];
  /** How many nodes rendered so far (a bound on loops over large values). */
  steps: number;
  /** The chart's named templates. */
  readonly defines: Defines | undefined;
  /** The named templates being rendered, outermost first (a bound on their nesting). */
  readonly including: readonly string[];
}

const MAX_STEPS = 200_000;
/** How deep named templates may include one another before the next one stays unknown. */
const MAX_INCLUDE_DEPTH = 8;

/**
 * Renders a template with `values` (undefined: a template outside any chart, every value unknown)
 * and the chart's named templates `defines` (undefined: none rendered).
 */
export function renderHelm(file: string, text: string, values: ValuesSource | undefined, defines?: Defines): Rendered {
  const ctx: Ctx = { file, text, values, out: [], outLength: 0, maybe: [], off: [], skipped: [], steps: 0, defines, including: [] };
  const tree = parse(text);
  renderNodes(ctx, tree, { k: 'root' }, { vars: new Map([['$', { k: 'root' }]]) }, undefined);
  return finish(ctx);
}

function emit(ctx: Ctx, p: Piece): void {
  if (p.text === '') return;
  if (p.maybe) {
    // (a part of a named template written only maybe: its range, joined to the one just before it)
    const last = ctx.maybe[ctx.maybe.length - 1];
    if (last && last.end === ctx.outLength && last.why === p.maybe) last.end += p.text.length;
    else ctx.maybe.push({ start: ctx.outLength, end: ctx.outLength + p.text.length, why: p.maybe });
  }
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
  for (const [i, b] of n.branches.entries()) {
    const v = evaluate(ctx, b.cond, dot, scope, b.src);
    const t = truth(v);
    if (t === true) {
      renderNodes(ctx, b.body, dot, { vars: new Map(), up: scope }, maybeWhy);
      // (the branches after it and the else are left out)
      for (const later of n.branches.slice(i + 1)) skipText(ctx, later.body);
      if (n.otherwise) skipText(ctx, n.otherwise);
      return;
    }
    if (t === undefined) {
      const why = `the template writes it only when ${b.src} (${unknownWhy(v)})`;
      renderMaybe(ctx, b.body, dot, scope, why, maybeWhy);
      return;
    }
    ctx.off.push({ start: n.start, end: n.end, why: `${b.src} is false (${decidedBy(ctx, v)})` });
    skipText(ctx, b.body);
  }
  if (n.otherwise) renderNodes(ctx, n.otherwise, dot, { vars: new Map(), up: scope }, maybeWhy);
}

/** Records the text of `nodes`, and of every block inside them, as left out (Rendered.skipped). */
function skipText(ctx: Ctx, nodes: readonly TNode[]): void {
  for (const n of nodes) {
    if (n.t === 'text' || n.t === 'out') ctx.skipped.push([n.start, n.end]);
    else if (n.t === 'if') {
      for (const b of n.branches) skipText(ctx, b.body);
      if (n.otherwise) skipText(ctx, n.otherwise);
    } else if (n.t === 'with' || n.t === 'range') {
      skipText(ctx, n.body);
      if (n.otherwise) skipText(ctx, n.otherwise);
    }
  }
}

function renderWithRange(ctx: Ctx, n: Extract<TNode, { t: 'with' | 'range' }>, dot: Val, scope: Scope, maybeWhy: string | undefined): void {
  const v = evaluate(ctx, n.expr, dot, scope, n.src);
  const t = truth(v);
  if (t === false) {
    ctx.off.push({ start: n.start, end: n.end, why: `${n.src} is empty (${decidedBy(ctx, v)})` });
    skipText(ctx, n.body);
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
      const base: Val | undefined =
        e.base === '.' ? dot : e.base === '$' ? (lookupVar(scope, '$') ?? { k: 'root' }) : lookupVar(scope, e.base);
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
      if (e.fn === 'include' || e.fn === 'template') return include(ctx, e, args, dot);
      return call(e, args, dot);
    }
  }
}

/** `include "name" X` / `template "name" X`: the chart's named template rendered with X, else unknown (functions.ts). */
function include(ctx: Ctx, e: Extract<Expr, { t: 'call' }>, args: Val[], dot: Val): Val {
  const notRendered = (why?: string): Val => {
    const u = call(e, args, dot);
    return why && u.k === 'unknown' ? unknown(u.expr, why) : u;
  };
  const name = args[0]?.k === 'str' ? args[0].v : undefined;
  const def = name === undefined ? undefined : ctx.defines?.get(name);
  if (!def || name === undefined) return notRendered();
  if (ctx.including.includes(name)) return notRendered(`the named template ${name} includes itself`);
  if (ctx.including.length >= MAX_INCLUDE_DEPTH)
    return notRendered(`the named template ${name} is included more than ${MAX_INCLUDE_DEPTH} levels deep`);
  const arg = args[1] ?? { k: 'nil' };
  const sub: Ctx = {
    file: def.file,
    text: def.text,
    values: ctx.values,
    out: [],
    outLength: 0,
    maybe: [],
    off: [],
    skipped: [],
    steps: ctx.steps,
    defines: ctx.defines,
    including: [...ctx.including, name],
  };
  renderNodes(sub, def.body, arg, { vars: new Map([['$', arg]]) }, undefined);
  ctx.steps = sub.steps;
  if (sub.steps > MAX_STEPS) return notRendered(`the named template ${name} is too long to render here`);
  const out = sub.out.map((p) => p.text).join('');
  if (holdsUnknown(out) && !out.trim().includes('\n'))
    return notRendered(`the named template ${name} gives a text with a part not known (${out.trim()})`);
  if (sub.maybe.length > 0) {
    // a block of YAML whose parts a condition the values do not decide writes (an env entry only
    // when a value is set): each such part marked maybe, with why; a one-line text (a name, a
    // label), or one all of whose text is maybe, stays unknown
    const why = (m: { why: string }): string =>
      `the named template ${name} writes it only when ${m.why.replace(/^the template writes it only when /, '')}`;
    const pieces: Piece[] = [];
    let at = 0;
    let certain = '';
    for (const p of sub.out) {
      const m = sub.maybe.find((x) => at >= x.start && at < x.end);
      pieces.push(m ? { ...p, maybe: p.maybe ?? why(m) } : p);
      if (!m) certain += p.text;
      at += p.text.length;
    }
    if (!out.trim().includes('\n') || certain.trim() === '')
      return notRendered(why(sub.maybe[0]!).replace(/ writes it only when /, ' writes parts only when '));
    return { k: 'str', v: out, pieces };
  }
  return { k: 'str', v: out, pieces: sub.out };
}

/** `base.path…`. */
function field(ctx: Ctx, base: Val, path: readonly string[], expr: string): Val {
  let v = base;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (v.k === 'root') {
      // `.Chart.AppVersion` (helm create's image tag): Chart.yaml's appVersion
      if (key === 'Chart' && path.length === i + 2) {
        const written = ctx.values?.chart?.get(path[i + 1]!);
        if (written !== undefined) return { k: 'str', v: written };
        return unknown(expr, `Chart.yaml does not write ${path[i + 1]}`);
      }
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
    skipped: ctx.skipped,
  };
}
