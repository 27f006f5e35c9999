// The addresses a gunicorn config module binds, read from its text alone: a top-level
// `bind = '127.0.0.1:8001'` or `bind = ['unix:/run/app.sock', '127.0.0.1:8001']` of plain string
// literals. Finding the projects reads files only, before the grammar is loaded (cli/main.ts), so
// the project model's tie of a proxy above the analysed folder to the gunicorn a systemd unit starts
// with --config (models/project/fronting.ts) cannot ask tree-sitter or the evaluator
// (readers/python/gunicornConfig.ts, which the app-server model reads the same file with later).
// This is Python's own tokenizing, reduced to what the question needs: strings (prefixes, triple
// quotes, escapes), comments, brackets and backslash continuations, so that logical lines and
// whether each starts at column 0 are Python's. Gunicorn executes the module and takes the last
// value bound to `bind` (gunicorn/config.py, Bind: validate_list_string, a string being one
// address), so any other statement that may bind it — one in a block (`if`, `try`, a function's
// `global bind`), an augmented or chained assignment, a star import, exec() or globals() — leaves
// the bind unknown. Linear in the text; no regular expression on it.

/** Past this the module is not read (a config module is a few hundred lines). */
const MAX_CHARS = 256 * 1024;

type Tok =
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string | undefined }
  | { readonly kind: 'op'; readonly text: string };

interface LogicalLine {
  readonly tokens: Tok[];
  /** The line's first token is at column 0 (a module-level statement). */
  readonly top: boolean;
}

const OPS_BEFORE_EQ = new Set(['=', '<', '>', '!', '+', '-', '*', '/', '%', '&', '|', '^', '@', ':']);
const STRING_PREFIX = new Set(['r', 'u', 'b', 'f', 't', 'br', 'rb', 'fr', 'rf', 'tr', 'rt']);

function isNameChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c > '\x7f';
}

/** A string literal at `i` (after its prefix): its end, and its value when it is plain (no f/b/t prefix, no escape). */
function readString(text: string, i: number, prefix: string): { end: number; value: string | undefined } | undefined {
  const q = text[i]!;
  const triple = text.startsWith(q + q + q, i);
  const quote = triple ? q + q + q : q;
  const raw = prefix.includes('r');
  let plain = !prefix.includes('b') && !prefix.includes('f') && !prefix.includes('t');
  let j = i + quote.length;
  const start = j;
  while (j < text.length) {
    const d = text[j]!;
    if (d === '\\') {
      if (!raw) plain = false;
      j += 2;
      continue;
    }
    if (!triple && (d === '\n' || d === '\r')) return undefined;
    if (text.startsWith(quote, j)) return { end: j + quote.length, value: plain ? text.slice(start, j) : undefined };
    j++;
  }
  return undefined;
}

/** The module's logical lines; undefined where the text does not tokenize (an unterminated string). */
function logicalLines(text: string): LogicalLine[] | undefined {
  const lines: LogicalLine[] = [];
  let tokens: Tok[] = [];
  let top = false;
  let depth = 0;
  const push = (t: Tok, column0: boolean): void => {
    if (tokens.length === 0) top = column0;
    tokens.push(t);
  };
  const end = (): void => {
    if (tokens.length > 0) lines.push({ tokens, top });
    tokens = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      if (depth === 0) end();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '\\') {
      // a continuation joins the next physical line to this logical line
      i++;
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      continue;
    }
    // (the first token of a logical line, at the start of its physical line)
    const startsLine = i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r';
    if (c === '"' || c === "'") {
      const s = readString(text, i, '');
      if (!s) return undefined;
      push({ kind: 'string', value: s.value }, startsLine);
      i = s.end;
      continue;
    }
    if (isNameChar(c)) {
      let j = i;
      while (j < text.length && isNameChar(text[j]!)) j++;
      const word = text.slice(i, j);
      if ((text[j] === '"' || text[j] === "'") && STRING_PREFIX.has(word.toLowerCase())) {
        const s = readString(text, j, word.toLowerCase());
        if (!s) return undefined;
        push({ kind: 'string', value: s.value }, startsLine);
        i = s.end;
        continue;
      }
      push({ kind: 'name', text: word }, startsLine);
      i = j;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    // (`==`, `+=`, `:=`, `**=`, `//=`, `>>=`, `<<=`: one token each, never a plain `=`)
    let op = c;
    if ((c === '*' || c === '/' || c === '<' || c === '>') && text[i + 1] === c && text[i + 2] === '=') op = c + c + '=';
    else if (OPS_BEFORE_EQ.has(c) && text[i + 1] === '=') op = c + '=';
    push({ kind: 'op', text: op }, startsLine);
    i += op.length;
  }
  end();
  return lines;
}

/** The strings of `bind = <rhs>`'s right-hand side: one plain literal (or implicitly concatenated ones), or a list or tuple of them. */
function literalList(rhs: readonly Tok[]): string[] | undefined {
  if (rhs.length === 0) return undefined;
  if (rhs.every((t) => t.kind === 'string')) {
    let s = '';
    for (const t of rhs) {
      if (t.kind !== 'string' || t.value === undefined) return undefined;
      s += t.value;
    }
    return [s];
  }
  const open = rhs[0]!;
  const close = rhs[rhs.length - 1]!;
  if (open.kind !== 'op' || close.kind !== 'op') return undefined;
  if (!((open.text === '[' && close.text === ']') || (open.text === '(' && close.text === ')'))) return undefined;
  const out: string[] = [];
  let current: string | undefined;
  for (const t of rhs.slice(1, -1)) {
    if (t.kind === 'string') {
      if (t.value === undefined) return undefined;
      current = (current ?? '') + t.value;
    } else if (t.kind === 'op' && t.text === ',' && current !== undefined) {
      out.push(current);
      current = undefined;
    } else return undefined;
  }
  if (current !== undefined) out.push(current);
  // (`('127.0.0.1:8001')` is a parenthesised string, not a tuple)
  return out;
}

/** Whether a logical line other than a top-level `bind = …` may bind `bind`, or binds names the reading cannot see. */
function mayBind(line: LogicalLine): boolean {
  const t = line.tokens;
  let depth = 0;
  for (let k = 0; k < t.length; k++) {
    const x = t[k]!;
    if (x.kind === 'op') {
      if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
      else if (x.text === ')' || x.text === ']' || x.text === '}') depth = Math.max(0, depth - 1);
      continue;
    }
    if (x.kind !== 'name') continue;
    const before = t[k - 1];
    const after = t[k + 1];
    if (x.text === 'import' && after?.kind === 'op' && after.text === '*') return true;
    if ((x.text === 'exec' || x.text === 'globals' || x.text === 'vars') && after?.kind === 'op' && after.text === '(') return true;
    if (x.text !== 'bind') continue;
    // `server.bind`, and `f(bind=…)` (a keyword argument) bind nothing of the module
    if (before?.kind === 'op' && before.text === '.') continue;
    if (depth > 0 && after?.kind === 'op' && after.text === '=') continue;
    return true;
  }
  return false;
}

/**
 * The addresses the gunicorn config module `text` binds, when it binds them with one top-level
 * assignment of plain string literals that nothing else in the module may change; undefined when
 * it sets no bind or sets it any other way.
 */
export function literalBind(text: string): string[] | undefined {
  if (text.length > MAX_CHARS) return undefined;
  const lines = logicalLines(text);
  if (!lines) return undefined;
  let binds: string[] | undefined;
  for (const line of lines) {
    const t = line.tokens;
    const first = t[0]!;
    if (line.top && first.kind === 'name' && first.text === 'bind') {
      // `bind = …` or `bind: list[str] = …`, with no other `=` at the top of the line (`bind = x = …`)
      let eq = -1;
      let depth = 0;
      for (let k = 1; k < t.length; k++) {
        const x = t[k]!;
        if (x.kind !== 'op') continue;
        if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
        else if (x.text === ')' || x.text === ']' || x.text === '}') depth = Math.max(0, depth - 1);
        else if (depth === 0 && (x.text === '=' || x.text === ';')) {
          if (eq >= 0 || x.text === ';') return undefined;
          eq = k;
        }
      }
      const second = t[1];
      const annotated = second?.kind === 'op' && second.text === ':';
      if (eq < 0 || (eq !== 1 && !annotated)) return undefined;
      binds = literalList(t.slice(eq + 1));
      if (!binds) return undefined;
      continue;
    }
    if (mayBind(line)) return undefined;
  }
  return binds;
}
