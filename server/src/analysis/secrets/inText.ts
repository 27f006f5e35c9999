// Secrets in source text: the secrets written in a file's text, as they are written, so that they
// can be found again in lines of that text (a diff). Python is read token by token (string literals
// under sensitive names, or in the shape of a credential); other files (Procfile, .env, shell,
// Dockerfile, compose, unit files) by their `NAME=value` lines and options; credential-shaped
// tokens anywhere.
import { isPythonTemplate } from '../catalogue/templateNames';
import { credentialIn, secretParts, unquote } from './decision';
import { describesCredential, isPublicHalf, isSensitiveName } from './names';
import { sortSecrets } from './redact';

/** The largest Python text read token by token (about 20 ms); a larger one is read as other files are. */
const MAX_TOKENISED = 256 * 1024;

/** Answers per text (the same strings come back after every keystroke), for Python and for other files. */
const textCaches = { py: new Map<string, readonly string[]>(), text: new Map<string, readonly string[]>() };

/**
 * The secrets written in a file's text, as they are written (escapes and all), so that they can be
 * found again in lines of that text (a diff): Python string literals under a sensitive name (an
 * assignment, a dict key, a keyword, a subscript, the default of an environment lookup, the items
 * of a list assigned to one) or in the shape of a credential, `NAME=value` lines and options
 * elsewhere (Procfile, .env, shell, Dockerfile, compose, unit files), and credential-shaped tokens
 * anywhere (comments too).
 */
export function secretsInText(text: string, file: string): readonly string[] {
  // (a Python module's committed template, `settings.py.sample`, is Python too)
  const python = /\.pyi?$/.test(file) || isPythonTemplate(file.split(/[\\/]/).pop() ?? file);
  const cache = python ? textCaches.py : textCaches.text;
  const cached = cache.get(text);
  if (cached) return cached;
  const out = new Set<string>();
  // a huge module (generated data) is read line by line, as other files are: tokens cost more
  if (python && text.length <= MAX_TOKENISED) pythonSecrets(text, out);
  else assignmentSecrets(text, out);
  shapedTokens(text, out);
  const result = sortSecrets(out);
  if (cache.size >= 200) cache.clear();
  cache.set(text, result);
  return result;
}

/** Credential-shaped tokens anywhere: split on whitespace, quotes and separators. */
function shapedTokens(text: string, out: Set<string>): void {
  if (!/AKIA|ASIA|sk_|rk_|whsec_|gh[pousr]_|github_pat_|glpat-|xox|AIza|SG\.|key-|sk-|@/.test(text)) return;
  for (const m of text.matchAll(/[^\s"'`,;()[\]{}<>=]+/g)) {
    const t = m[0];
    if (t.length < 8) continue;
    for (const p of secretParts(t, false)) out.add(p);
  }
}

const ASSIGN_EQ = /(?:^|[\s"'[{,;(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s"',;)\]}]+)/gm;
const ASSIGN_COLON = /(?:^|[\s"'[{,;(])([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*:[ \t]+("[^"\n]*"|'[^'\n]*'|[^\s"',;)\]}]+)/gm;

/** `NAME=value`, `NAME: value`, `export NAME=value`, `ENV NAME value`, `--keyfile-password value` in a non-Python file. */
function assignmentSecrets(text: string, out: Set<string>): void {
  const add = (name: string, raw: string): void => {
    const value = unquote(withoutComment(raw));
    if (value === '' || !isSensitiveName(name)) return;
    for (const p of secretParts(value, true, name)) out.add(p);
  };
  // `=` and `: ` separately: `web: SECRET_KEY=…` holds both
  for (const re of [ASSIGN_EQ, ASSIGN_COLON]) for (const m of text.matchAll(re)) add(m[1]!, m[2]!);
  // per line, never `\s*` across lines (quadratic on many blank lines)
  for (const m of text.matchAll(/^[ \t]*ENV[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+(\S[^\r\n]*)$/gim)) add(m[1]!, m[2]!);
  for (const m of text.matchAll(OPTION_VALUE)) add(m[2]!, m[3]!);
}

/**
 * `--name=value`, `--name value`: read once per run of name characters from its start, to its first
 * `--` and a letter (1), then the name (2) and the value (3). Tried at each `--`, the name read the
 * rest of the run each time (quadratic on `--a--a--a…`); when a later `--` of the run starts an
 * option, the first does, to the same end.
 */
export const OPTION_VALUE = /(?<![a-z0-9-])(?=([a-z0-9-]*?--)([a-z][a-z0-9-]*))\1\2(?:=|\s+)("[^"\n]*"|'[^'\n]*'|[^\s"']+)/g;

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * A value without its trailing comment (`value  # note`): spaces, a `#` and the rest, which holds no
 * line break. What replace(/\s+#.*$/, '') did, reading the value once: the pattern tried each
 * space of a run, and each `#` read the rest of the value again.
 */
export function withoutComment(raw: string): string {
  let from = 0;
  for (let i = raw.length - 1; i >= 0; i--)
    if (LINE_BREAK.test(raw[i]!)) {
      from = i + 1;
      break;
    }
  for (let h = raw.indexOf('#', from); h >= 0; h = raw.indexOf('#', h + 1)) {
    if (h === 0 || !/\s/.test(raw[h - 1]!)) continue;
    let start = h - 1;
    while (start > 0 && /\s/.test(raw[start - 1]!)) start--;
    return raw.slice(0, start);
  }
  return raw;
}

interface Tok {
  readonly t: 'str' | 'name' | 'op';
  /** The literal's content as written (no prefix or quotes), the name, or the operator. */
  readonly text: string;
}

/**
 * The next token at a position: blanks, a comment, a newline, a line continuation, a string's
 * opening (prefix and quote), a name, a number, a two-character operator, any other character.
 */
const NEXT =
  /[ \t\r\f]+|#[^\n]*|(\n)|\\\r?\n|(?<![\w])([rRbBuUfF]{0,2})("""|'''|"|')|([A-Za-z_][A-Za-z0-9_]*)|[0-9][0-9A-Za-z_.]*|(==|!=|<=|>=|\+=|:=|->|\*\*|\/\/|[\s\S])/y;

/** Python tokens, enough to find string literals and what precedes them; comments and numbers dropped. */
function pythonTokens(src: string): Tok[] {
  const toks: Tok[] = [];
  const n = src.length;
  let i = 0;
  // newlines end a statement only outside brackets
  let depth = 0;
  while (i < n) {
    NEXT.lastIndex = i;
    const m = NEXT.exec(src);
    if (!m) break;
    i = NEXT.lastIndex;
    if (m[1] !== undefined) {
      if (depth === 0 && toks[toks.length - 1]?.text !== '\n') toks.push({ t: 'op', text: '\n' });
    } else if (m[3] !== undefined) {
      // a string: find its end (a backslash escapes the next character, raw or not)
      const close = m[3];
      const triple = close.length === 3;
      const q = close[0]!;
      const start = i;
      let j = i;
      let end = -1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === 92 /* \ */) j += 2;
        else if (!triple && d === 10 /* \n */) break;
        else if (src[j] === q && (!triple || src.startsWith(close, j))) {
          end = j;
          break;
        } else j++;
      }
      toks.push({ t: 'str', text: src.slice(start, end < 0 ? Math.min(j, n) : end) });
      i = end < 0 ? Math.min(j, n) : end + close.length;
    } else if (m[4] !== undefined) toks.push({ t: 'name', text: m[4] });
    else if (m[5] !== undefined) {
      const c = m[5];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      toks.push({ t: 'op', text: c });
    }
  }
  return toks;
}

interface Frame {
  readonly open: string;
  /** A call's parentheses (not a tuple or a group). */
  readonly call: boolean;
  /** Under a sensitive name: the bracket is assigned to one (`SECRET_KEY_FALLBACKS = [`) or sits inside such a value. */
  readonly named: boolean;
  /** For a call: its first argument is a literal naming a sensitive variable (`os.environ.get("DB_PASS", …)`). */
  lookupOfSecret: boolean;
  /** The sensitive name the bracket's values sit under (the variable, setting or key), when known. */
  name?: string;
  /** Tokens seen in the bracket so far at its own level. */
  count: number;
}

/**
 * The credentials too short to be masked wherever they appear (decision.ts Credential.short: `"z9q"`
 * under a JWT signing key) written as Python string literals in a file's text: a diff masks them
 * where they stand as a literal's whole content, since the removed line of a fix shows the value.
 */
export function shortCredentialsInText(text: string, file: string): readonly string[] {
  const python = /\.pyi?$/.test(file) || isPythonTemplate(file.split(/[\\/]/).pop() ?? file);
  if (!python || text.length > MAX_TOKENISED) return [];
  const short = new Set<string>();
  pythonSecrets(text, new Set<string>(), short);
  return [...short];
}

/**
 * String literals under sensitive names, and every literal's `NAME=value` or shape, in Python source;
 * with `short`, also the credentials too short to be masked elsewhere.
 */
function pythonSecrets(src: string, out: Set<string>, short?: Set<string>): void {
  const toks = pythonTokens(src);
  const stack: Frame[] = [];
  // the statement being assigned outside brackets is under a sensitive name (`EMAIL_HOST_PASSWORD = "a" + "b"`)
  let statementNamed = false;
  let statementName: string | undefined;
  /** What the `=` or `:` at index `at` assigns to: a name, the last attribute, a dict key or a subscript's literal key. */
  const target = (at: number): string | undefined => {
    const p = toks[at - 1];
    if (!p) return undefined;
    if (p.t === 'name' || p.t === 'str') return p.text;
    if (p.t === 'op' && p.text === ']') {
      const key = toks[at - 2];
      const open = toks[at - 3];
      if (key?.t === 'str' && open?.t === 'op' && open.text === '[') return key.text;
    }
    return undefined;
  };
  const isAssign = (t: Tok | undefined): boolean =>
    t?.t === 'op' && (t.text === '=' || t.text === ':' || t.text === ':=' || t.text === '+=');
  for (let k = 0; k < toks.length; k++) {
    const tok = toks[k]!;
    const top = stack[stack.length - 1];
    const inherited = top ? top.named || top.lookupOfSecret : statementNamed;
    const inheritedName = top ? top.name : statementName;
    if (tok.t === 'op') {
      if (tok.text === '(' || tok.text === '[' || tok.text === '{') {
        const prev = toks[k - 1];
        const name = isAssign(prev) ? target(k - 1) : undefined;
        const call = tok.text === '(' && (prev?.t === 'name' || (prev?.t === 'op' && (prev.text === ')' || prev.text === ']')));
        if (top) top.count++;
        const sensitive = name !== undefined && isSensitiveName(name);
        stack.push({
          open: tok.text,
          call,
          named: inherited || sensitive,
          lookupOfSecret: false,
          count: 0,
          name: sensitive ? name : inheritedName,
        });
      } else if (tok.text === ')' || tok.text === ']' || tok.text === '}') {
        stack.pop();
        if (stack.length > 0) stack[stack.length - 1]!.count++;
      } else if (tok.text === '\n') {
        if (stack.length === 0) {
          statementNamed = false;
          statementName = undefined;
        }
      } else {
        if (stack.length === 0 && (tok.text === '=' || tok.text === '+=')) {
          const name = target(k);
          statementNamed = name !== undefined && isSensitiveName(name);
          statementName = statementNamed ? name : undefined;
        }
        if (top) top.count++;
      }
      continue;
    }
    if (tok.t === 'name') {
      if (top) top.count++;
      continue;
    }
    // a string literal
    const prev = toks[k - 1];
    const next = toks[k + 1];
    const first = top !== undefined && top.count === 0;
    if (top) top.count++;
    // names, not values: a dict key, the variable a lookup reads, a subscript's key
    if (next?.t === 'op' && next.text === ':' && top?.open === '{') continue;
    const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/.test(tok.text);
    if (first && top!.call && identifier) {
      top!.lookupOfSecret = isSensitiveName(tok.text);
      if (top!.lookupOfSecret) top!.name = tok.text;
      continue;
    }
    if (
      first &&
      top!.open === '[' &&
      identifier &&
      next?.t === 'op' &&
      next.text === ']' &&
      !isAssign(toks[k - 2]) &&
      toks[k - 2]?.t !== 'op'
    )
      continue;
    let named = inherited;
    let name = inheritedName;
    if (isAssign(prev)) {
      const t = target(k - 1);
      if (t !== undefined && t !== 'default' && isSensitiveName(t)) {
        named = true;
        name = t;
        // (a credential's describing key, or its public half: `"id": "dashboard"` beside the key)
      } else if (t !== undefined && (describesCredential(t) || isPublicHalf(t))) named = false;
    }
    for (const p of secretParts(tok.text, named, name)) out.add(p);
    if (short && named && credentialIn(tok.text, true, name)?.short) short.add(tok.text);
  }
}
