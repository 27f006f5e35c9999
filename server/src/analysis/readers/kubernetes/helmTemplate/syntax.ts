// The syntax of a Helm template (Go's text/template as charts write it): the text and actions of a
// template, the expressions of an action (pipelines, fields, variables, calls), and the tree of
// if/else/with/range/define blocks. helmRender.ts renders the tree with the chart's values.

// ---- the template's syntax ----------------------------------------------------------------------

export type Expr =
  | { readonly t: 'field'; readonly base: '.' | '$' | string; readonly path: readonly string[] }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly v: number; readonly text: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'nil' }
  | { readonly t: 'call'; readonly fn: string; readonly args: readonly Expr[] }
  | { readonly t: 'pipe'; readonly cmds: readonly Expr[] };

export type TNode =
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

export interface Action {
  readonly body: string;
  readonly start: number;
  readonly end: number;
}

/** The text and actions of a template, with `{{-` and `-}}` trimming the text beside them. */
export function lex(text: string): ({ t: 'text'; start: number; end: number } | ({ t: 'action' } & Action))[] {
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

export function isSpace(c: number): boolean {
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

export type Tok = { k: 'word' | 'str' | 'num' | 'field' | 'var' | 'punct'; v: string };

export function tokens(s: string): Tok[] | undefined {
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
export function expression(src: string): Expr {
  const ts = tokens(src);
  const pos = { i: 0 };
  const e = ts ? parsePipe(ts, pos, () => false) : undefined;
  return e && pos.i === ts!.length ? e : { t: 'call', fn: `(${src})`, args: [] };
}

// ---- the tree -----------------------------------------------------------------------------------

const KEYWORD = /^(if|else|end|with|range|define|block|template)\b/;

/**
 * The template as a tree of text, outputs and blocks. The `define` blocks are not part of it: their
 * bodies go to `defines` (by name), when given.
 */
export function parse(text: string, defines?: Map<string, TNode[]>): TNode[] {
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
      if (!top) continue;
      if (top.kind === 'define') {
        const name = defineName(top.src);
        if (defines && name !== undefined) defines.set(name, top.current);
        continue;
      }
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

/** The arguments of a `{{ template "name" pipeline }}` action: the name and the pipeline given. */
export function templateArgs(rest: string): Expr[] {
  const e = expression(`template ${rest}`);
  if (e.t === 'call' && e.fn === 'template') return [...e.args];
  return [{ t: 'str', v: rest }];
}

/** The name a `define` or `block` action gives (`"app.env"`, or `` `app.env` ``); undefined when not a string. */
function defineName(rest: string): string | undefined {
  const ts = tokens(rest);
  return ts?.[0]?.k === 'str' ? ts[0].v : undefined;
}

/** `$i, $v := X`, `$v := X` or `X`. */
export function rangeHead(rest: string): { vars: string[]; expr: Expr } {
  const m = /^(\$[A-Za-z0-9_]*)(?:\s*,\s*(\$[A-Za-z0-9_]*))?\s*:=\s*/.exec(rest);
  if (!m) return { vars: [], expr: expression(rest) };
  return { vars: m[2] ? [m[1]!, m[2]] : [m[1]!], expr: expression(rest.slice(m[0].length)) };
}
