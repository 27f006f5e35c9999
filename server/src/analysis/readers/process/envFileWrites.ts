// The environment files a shell script writes (generate-env.sh: `cat <<EOF > .env`, `exec 3> .env`
// then `cat 1>&3 <<EOF`, `echo "NAME=…" >> "$ENV_FILE"`), read without running it: for each file
// it writes (as written, relative to where the script runs), the variables it writes and what each
// is. A value the script generates (`$(openssl rand -hex 32)`, `/dev/urandom`, python's secrets) is
// set, its value unknown and never committed; one it computes otherwise (a command substitution, a
// value built around a variable) is set, unknown; `${NAME:-default}` with a written default is that
// default unless NAME is set where the script runs; `$NAME` alone is whatever the shell running it
// has; anything else is the literal it writes. A heredoc with a quoted delimiter (`<<'EOF'`) writes
// its lines as they are.
import type { Loc } from '../../eval/values';
import { tokenize, type SimpleCommand } from '../shell';
import { literalToken, MappedText, subToken, type Token } from '../text';
import { readDotenv } from '../container/dotenv';
import { GITHUB_VALUE_CONTEXTS } from '../../catalogue/ciEnvironment';

export type WrittenKind = 'literal' | 'default' | 'generated' | 'computed' | 'environment';

/** A variable a script writes into an environment file. */
export interface WrittenVariable {
  readonly name: string;
  readonly nameLoc: Loc;
  readonly kind: WrittenKind;
  /** literal: the value written; default: the default written (`${NAME:-default}`). */
  readonly value: string;
  /** Where the value is written in the script. */
  readonly token: Token;
  /** default: the variable whose default it is; environment: the variable read. */
  readonly variable?: string;
  /** Written only when a condition holds (inside `if`, after `||`). */
  readonly conditional: boolean;
}

/** The environment files one script writes: the path as written (after the script's own assignments), with its variables by name. */
export type WrittenEnvFiles = Map<string, Map<string, WrittenVariable>>;

const NAME_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=/;
/** Commands that produce random values (a secret a script generates). */
export const GENERATOR = /openssl[ \t]+rand|\/dev\/u?random|secrets\.token_|get_random_secret_key|\buuidgen\b|\bpwgen\b|\bmkpasswd\b/;
const MAX_LINES = 5000;

/**
 * One write of a script to a file: where its standard output (or a descriptor opened on the file)
 * goes, the command that writes, and whether it replaces the file. `opened`: `exec 3> file` alone,
 * which opens the file for later commands (emptying it unless `>>`), `command` writing nothing yet.
 */
export interface ScriptWrite {
  /** The path as written (after the script's own unconditional assignments). */
  readonly dest: string;
  readonly truncates: boolean;
  readonly conditional: boolean;
  readonly command: SimpleCommand;
  readonly opened?: true;
  /** The command whose output a pipe gives it (`cat env.tmpl | envsubst > .env`). */
  readonly feed?: SimpleCommand;
  /** `sed -i 's,^NAME=.*,NAME=value,' file`: the lines it rewrites in the file (dest), which it neither empties nor writes anew. */
  readonly rewrites?: readonly SedRewrite[];
}

/** One `s<d>^NAME=.*<d>NAME=value<d>` of a `sed -i`: NAME's line becomes `NAME=value`. */
export interface SedRewrite {
  readonly name: string;
  /** The replacement's NAME, in the script. */
  readonly nameLoc: Loc;
  /** The replacement's value as the shell hands it to sed (`$X` kept as written when its value is not known). */
  readonly value: Token;
  /** The value as written in the script (quotes included). */
  readonly raw: string;
  /** Written with single quotes: the shell may expand nothing in it. */
  readonly singleQuoted: boolean;
  /** The value as written holds an expansion the shell resolved (`${B:-two}` written, `two` given to sed). */
  readonly expanded: boolean;
}

/**
 * How to read the committed files a CI job's script writes into an environment file (`envsubst <
 * env.tmpl > .env`, `cat a.tmpl b.tmpl > .env`, `cp env.tmpl .env`): their text by the path as
 * written (relative to where the script runs), undefined when not in the repository.
 */
export interface TemplateReader {
  readonly read: (written: string) => { file: string; text: string } | undefined;
}

/**
 * The writes of `text` (a shell script) to files named by a literal path or a variable the script
 * assigns one: `cat <<EOF > file`, `echo … >> file`, `exec 3> file` then `cat 1>&3`. Never throws;
 * bounded by the script's size.
 */
export function scriptWrites(file: string, text: string, script?: MappedText): ScriptWrite[] {
  const out: ScriptWrite[] = [];
  // cheap test first: most scripts write no file at all
  if (!(script?.text ?? text).includes('>')) return out;
  let commands: SimpleCommand[];
  try {
    commands = tokenize(script ?? MappedText.slice(file, text));
  } catch {
    return out;
  }
  let previous: SimpleCommand | undefined;
  const assigned = new Map<string, string>();
  const fds = new Map<number, string>();
  const target = (t: Token): string | undefined => {
    if (!t.dynamic) return t.text;
    const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(t.text);
    return m ? assigned.get(m[1]!) : undefined;
  };
  for (const c of commands) {
    const feed = c.after === '|' ? previous : undefined;
    previous = c;
    // `ENV_FILE=.env` (unconditional, a literal): the name a later redirection writes to
    if (c.words.length === 0) {
      for (const a of c.assignments) {
        if (c.conditional || a.value.dynamic) assigned.delete(a.name);
        else assigned.set(a.name, a.value.text);
      }
      continue;
    }
    if (!c.redirects) continue;
    const program = c.words[0]!.text;
    // `exec 3> .env`: descriptor 3 writes to .env from here on
    if (program === 'exec' && c.words.length === 1) {
      for (const r of c.redirects) {
        if (r.fd === undefined || r.fd < 3 || (r.op !== '>' && r.op !== '>>' && r.op !== '>|')) continue;
        const f = target(r.target);
        if (f === undefined) fds.delete(r.fd);
        else {
          fds.set(r.fd, f);
          out.push({ dest: f, truncates: r.op !== '>>', conditional: c.conditional, command: c, opened: true });
        }
      }
      continue;
    }
    // where its standard output goes
    let dest: string | undefined;
    let truncates = false;
    for (const r of c.redirects) {
      if (r.fd !== undefined && r.fd !== 1) continue;
      if (r.op === '>' || r.op === '>>' || r.op === '>|' || r.op === '&>' || r.op === '&>>') {
        dest = target(r.target);
        truncates = r.op !== '>>' && r.op !== '&>>';
      } else if (r.op === '>&' && /^\d+$/.test(r.target.text)) {
        dest = fds.get(Number(r.target.text));
        truncates = false;
      }
    }
    if (dest !== undefined) out.push({ dest, truncates, conditional: c.conditional, command: c, ...(feed ? { feed } : {}) });
  }
  return out;
}

/** The environment files `text` (a shell script) writes. Never throws; bounded by the script's size. */
export function envFilesWritten(file: string, text: string, script?: MappedText, templates?: TemplateReader): WrittenEnvFiles {
  const out: WrittenEnvFiles = new Map();
  const writes = scriptWrites(file, text, script);
  if (templates) writes.push(...templateCopies(script ?? MappedText.slice(file, text)));
  writes.push(...sedRewrites(script ?? MappedText.slice(file, text), text));
  writes.sort((a, b) => a.command.words[0]!.loc.start - b.command.words[0]!.loc.start);
  for (const w of writes) {
    const c = w.command;
    if (w.rewrites) {
      // sed rewrites only the lines the file has
      const vars = out.get(w.dest);
      if (vars) for (const x of w.rewrites) if (vars.has(x.name)) vars.set(x.name, rewritten(x, w.conditional));
      continue;
    }
    if (w.opened) {
      if (w.truncates && !w.conditional) out.set(w.dest, new Map());
      continue;
    }
    let vars = out.get(w.dest);
    if (!vars || (w.truncates && !w.conditional)) {
      vars = new Map();
      out.set(w.dest, vars);
    }
    const program = c.words[0]!.text;
    const heredoc = c.redirects?.find((r) => r.heredoc)?.heredoc;
    if (program === 'cat' && heredoc && c.words.length === 1) {
      linesOf(heredoc.body, heredoc.expands, w.conditional, vars);
    } else if (program === 'echo') {
      const args = c.words.slice(1).filter((x, k) => !(k === 0 && !x.quoted && /^-[neE]+$/.test(x.text)));
      if (args.length === 1) echoed(text, args[0]!, w.conditional, vars);
    } else if (program === 'printf') {
      // `printf 'X=1\n'` writes its one line as it is; a format with `%s` or several lines is not read
      const args = c.words.slice(1);
      const f = args[0]?.text ?? '';
      const body = f.endsWith('\\n') ? f.slice(0, -2) : f;
      if (args.length === 1 && !body.includes('%') && !body.includes('\\'))
        echoed(text, args[0]!, w.conditional, vars, f.length - body.length);
    } else if (templates) {
      templated(w, templates, vars);
    }
  }
  return out;
}

/**
 * The committed files a write fills the environment file with, and whether envsubst substitutes
 * their `$NAME` (catalogue/ciEnvironment.ts): `envsubst < a.tmpl`, `cat a.tmpl b.tmpl`, `cat a.tmpl |
 * envsubst`, `cp a.tmpl` (templateCopies). Undefined for any other command.
 */
export function templateSources(w: ScriptWrite): { sources: Token[]; substitutes: boolean } | undefined {
  const c = w.command;
  const program = c.words[0]!.text;
  const files = (cmd: SimpleCommand): Token[] | undefined => {
    const args = cmd.words.slice(1);
    return args.length > 0 && args.every((a) => !a.dynamic && !a.text.startsWith('-')) ? args : undefined;
  };
  if (program === 'cp' && w.opened === undefined && c.words.length === 3) return { sources: [c.words[1]!], substitutes: false };
  if (program === 'cat' && !c.redirects?.some((r) => r.heredoc)) {
    const sources = files(c);
    return sources ? { sources, substitutes: false } : undefined;
  }
  if (program !== 'envsubst' || c.words.length > 1) return undefined;
  const input = c.redirects?.find((r) => r.op === '<' && (r.fd === undefined || r.fd === 0));
  if (input && !input.target.dynamic) return { sources: [input.target], substitutes: true };
  if (w.feed?.words[0]?.text === 'cat' && !w.feed.redirects) {
    const sources = files(w.feed);
    return sources ? { sources, substitutes: true } : undefined;
  }
  return undefined;
}

/** `cp a.tmpl .env` (literal paths): a write of the template to the copy. */
function templateCopies(script: MappedText): ScriptWrite[] {
  if (!/\bcp[ \t]/.test(script.text)) return [];
  let commands: SimpleCommand[];
  try {
    commands = tokenize(script);
  } catch {
    return [];
  }
  const out: ScriptWrite[] = [];
  for (const c of commands) {
    if (c.words[0]?.text !== 'cp' || c.words.length !== 3 || c.words.some((w) => w.dynamic || w.text.startsWith('-'))) continue;
    out.push({ dest: c.words[2]!.text, truncates: true, conditional: c.conditional, command: c });
  }
  return out;
}

/** sed's in-place option: `-i`, `-i.bak`, `-Ei`, `--in-place[=SUFFIX]`. */
const SED_IN_PLACE = /^-[Er]?i(?:\.[A-Za-z0-9_~.-]*)?$|^--in-place(?:=.*)?$/;
const SED_FLAGS = /^-[Eersuz]+$/;

/**
 * `sed -i -e 's,^NAME=.*,NAME=value,' … file` (literal files, any delimiter, `-e` or one
 * expression): each such substitution, a rewrite of NAME's line in the file. A `sed` with an option
 * or an expression of another kind is not read. Never throws.
 */
function sedRewrites(script: MappedText, text: string): ScriptWrite[] {
  if (!/\bsed[ \t]/.test(script.text)) return [];
  let commands: SimpleCommand[];
  try {
    commands = tokenize(script);
  } catch {
    return [];
  }
  const out: ScriptWrite[] = [];
  for (const c of commands) {
    if (c.words[0]?.text !== 'sed' || c.redirects) continue;
    let inPlace = false;
    const expressions: Token[] = [];
    const files: Token[] = [];
    let ok = true;
    const args = c.words.slice(1);
    for (let k = 0; k < args.length && ok; k++) {
      const a = args[k]!;
      if (!a.quoted && SED_IN_PLACE.test(a.text)) inPlace = true;
      else if (!a.quoted && a.text === '-e' && k + 1 < args.length) expressions.push(args[++k]!);
      else if (a.text.startsWith('--expression=')) expressions.push(subToken(a, 13, a.text.length));
      else if (!a.quoted && SED_FLAGS.test(a.text)) continue;
      else if (a.text.startsWith('-')) ok = false;
      else files.push(a);
    }
    // without -e, the first word that is not an option is the expression
    if (ok && expressions.length === 0 && files.length > 0) expressions.push(files.shift()!);
    if (!ok || !inPlace || files.length === 0 || files.some((f) => f.dynamic)) continue;
    const rewrites: SedRewrite[] = [];
    for (const e of expressions) rewrites.push(...substitutions(e, text));
    if (rewrites.length === 0) continue;
    for (const f of files) out.push({ dest: f.text, truncates: false, conditional: c.conditional, command: c, rewrites });
  }
  return out;
}

/** The `s<d>^NAME=.*<d>NAME=value<d>` commands of one sed expression (`;` or a newline between them); the others are skipped. */
function substitutions(e: Token, text: string): SedRewrite[] {
  const out: SedRewrite[] = [];
  const s = e.text;
  const written = text.slice(e.loc.start, e.loc.end);
  const singleQuoted = written.includes("'");
  let i = 0;
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === ';' || s[i] === '\n')) i++;
    if (i >= s.length) break;
    const start = i;
    // the command runs to the next `;` or newline outside its parts
    const end = commandEnd(s, i);
    i = end;
    if (s[start] !== 's' || end - start < 4) continue;
    const d = s[start + 1]!;
    if (d === '\\' || d === '\n' || d === ' ') continue;
    const p = partEnd(s, start + 2, end, d);
    if (p < 0) continue;
    const r = partEnd(s, p + 1, end, d);
    if (r < 0) continue;
    const pattern = s.slice(start + 2, p);
    const m = /^\^([A-Za-z_][A-Za-z0-9_]*)=\.\*\$?$/.exec(pattern);
    if (!m) continue;
    const name = m[1]!;
    const replacement = s.slice(p + 1, r);
    if (!replacement.startsWith(`${name}=`)) continue;
    const vs = p + 1 + name.length + 1;
    const ns = p + 1;
    const nameTok = subToken(e, ns, ns + name.length);
    const value = subToken(e, vs, r);
    // (where the value's place in the script is not known, any expansion in the word counts)
    const at = value.loc === e.loc ? written : text.slice(value.loc.start, value.loc.end);
    out.push({ name, nameLoc: nameTok.loc, value, raw: s.slice(vs, r), singleQuoted, expanded: /[$`]/.test(at) });
  }
  return out;
}

/** Where a sed command that starts at `i` ends: the next `;` or newline after its three parts (s commands), else the next `;`. */
function commandEnd(s: string, i: number): number {
  if (s[i] === 's' && i + 1 < s.length) {
    const d = s[i + 1]!;
    let parts = 0;
    let k = i + 2;
    for (; k < s.length && parts < 2; k++) {
      if (s[k] === '\\') k++;
      else if (s[k] === d) parts++;
    }
    if (parts === 2) {
      while (k < s.length && s[k] !== ';' && s[k] !== '\n') k++;
      return k;
    }
  }
  let k = i;
  while (k < s.length && s[k] !== ';' && s[k] !== '\n') k++;
  return k;
}

/** The index of the delimiter `d` closing the part that starts at `i` (before `end`), skipping escaped characters; -1 when none. */
function partEnd(s: string, i: number, end: number, d: string): number {
  for (let k = i; k < end; k++) {
    if (s[k] === '\\') k++;
    else if (s[k] === d) return k;
  }
  return -1;
}

/** What NAME's line holds after a sed rewrite: the literal it writes, or what the shell filled in. */
function rewritten(x: SedRewrite, conditional: boolean): WrittenVariable {
  const base = { name: x.name, nameLoc: x.nameLoc, conditional };
  // sed's own `&` (the whole match) and `\1`: not a value written here
  if (/[&\\]/.test(x.raw)) return { ...base, kind: 'computed', value: '', token: { ...x.value, dynamic: true } };
  // an expansion the shell resolved to its default (`${B:-two}`): the shell's variable when set there
  if (!/[$`]/.test(x.raw) && x.expanded) return { ...base, kind: 'computed', value: '', token: { ...x.value, dynamic: true } };
  if (!/[$`]/.test(x.raw)) {
    const v = dotenvValue(x.raw);
    const token = subToken(x.value, v.from, v.to);
    return { ...base, kind: 'literal', value: v.value, token: { ...token, text: v.value, dynamic: false } };
  }
  if (x.singleQuoted) return { ...base, kind: 'computed', value: '', token: { ...x.value, dynamic: true } };
  const w = expansionOf(x.raw);
  const token = subToken(x.value, w.from, w.to);
  return {
    ...base,
    kind: w.kind,
    value: w.value,
    token: w.kind === 'default' ? { ...token, dynamic: false } : { ...token, dynamic: true },
    ...(w.variable ? { variable: w.variable } : {}),
  };
}

/** The variables of the committed files a write fills the environment file with. */
function templated(w: ScriptWrite, templates: TemplateReader, vars: Map<string, WrittenVariable>): void {
  const t = templateSources(w);
  if (!t) return;
  for (const src of t.sources) {
    const read = templates.read(src.text);
    if (!read) continue;
    for (const [name, v] of readDotenv(read.file, read.text)) {
      const raw = read.text.slice(v.token.loc.start, v.token.loc.end);
      if (t.substitutes && /\$/.test(raw)) {
        // envsubst fills it in from the job's environment (its secrets and variables): set, not known here
        const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v.value.trim());
        vars.set(name, {
          name,
          nameLoc: v.nameLoc,
          kind: whole ? 'environment' : 'computed',
          value: '',
          token: { ...v.token, dynamic: true },
          ...(whole ? { variable: whole[1]! } : {}),
          conditional: w.conditional,
        });
      } else
        vars.set(name, {
          name,
          nameLoc: v.nameLoc,
          kind: v.token.dynamic ? 'computed' : 'literal',
          value: v.token.dynamic ? '' : v.value,
          token: v.token,
          conditional: w.conditional,
        });
    }
  }
}

/** The `NAME=value` lines of a heredoc's body. */
function linesOf(body: MappedText, expands: boolean, conditional: boolean, vars: Map<string, WrittenVariable>): void {
  const s = body.text;
  let pos = 0;
  let n = 0;
  while (pos < s.length && n++ < MAX_LINES) {
    let end = s.indexOf('\n', pos);
    if (end < 0) end = s.length;
    const line = s.slice(pos, end).replace(/\r$/, '');
    const start = pos;
    pos = end + 1;
    const m = NAME_LINE.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const v0 = start + m[0].length;
    const nameStart = start + m[0].length - name.length - 1;
    const nameLoc = body.loc(nameStart, nameStart + name.length);
    const raw = line.slice(m[0].length);
    const written = expands && /[$`\\]/.test(raw) ? expansionOf(raw) : { kind: 'literal' as const, ...dotenvValue(raw) };
    const vs = v0 + written.from;
    const ve = v0 + written.to;
    const token = literalToken(body.sub(vs, ve), body.loc(vs, Math.max(vs + 1, ve)), written.kind === 'literal' && written.quoted === true);
    vars.set(name, {
      name,
      nameLoc,
      kind: written.kind,
      value: written.value,
      token: written.kind === 'literal' || written.kind === 'default' ? token : { ...token, dynamic: true },
      ...(written.variable ? { variable: written.variable } : {}),
      conditional,
    });
  }
}

/** `echo "NAME=value"`: the variable it writes, read from the word as written. */
function echoed(text: string, word0: Token, conditional: boolean, vars: Map<string, WrittenVariable>, trim = 0): void {
  let raw = text.slice(word0.loc.start, word0.loc.end);
  let at = word0.loc.start;
  let expands = true;
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) {
    expands = raw[0] === '"';
    raw = raw.slice(1, -1);
    at++;
  }
  // (printf's trailing `\n`, not the value's)
  const word = trim > 0 ? subToken(word0, 0, word0.text.length - trim) : word0;
  if (trim > 0) raw = raw.slice(0, raw.length - trim);
  const m = NAME_LINE.exec(raw);
  const eq = word.text.indexOf('=');
  if (!m || eq < 0) return;
  const name = m[1]!;
  const rest = raw.slice(m[0].length);
  const file = word.loc.file;
  const nameStart = at + m[0].length - name.length - 1;
  const nameLoc = { file, start: nameStart, end: nameStart + name.length };
  if (!expands || !/[$`\\]/.test(rest)) {
    // a literal: the word as the shell hands it to echo, read as an environment file reads it
    const v = dotenvValue(word.text.slice(eq + 1));
    const token = subToken(word, eq + 1 + v.from, eq + 1 + v.to);
    vars.set(name, { name, nameLoc, kind: 'literal', value: v.value, token: { ...token, text: v.value, dynamic: false }, conditional });
    return;
  }
  const written = expansionOf(rest);
  const vs = at + m[0].length + written.from;
  const ve = at + m[0].length + written.to;
  const map = MappedText.slice(file, text, vs, Math.max(vs, ve));
  const token = literalToken(map, { file, start: vs, end: Math.max(vs, ve) }, false);
  vars.set(name, {
    name,
    nameLoc,
    kind: written.kind,
    value: written.value,
    token: written.kind === 'default' ? token : { ...token, dynamic: true },
    ...(written.variable ? { variable: written.variable } : {}),
    conditional,
  });
}

interface Read {
  readonly kind: WrittenKind;
  readonly value: string;
  /** The value's span in the raw text. */
  readonly from: number;
  readonly to: number;
  readonly quoted?: boolean;
  readonly variable?: string;
}

/** A value as an environment file reader reads it: quoted (the quotes removed) or up to an inline ` #` comment, trimmed. */
function dotenvValue(raw: string): { value: string; from: number; to: number; quoted?: boolean } {
  let i = 0;
  while (raw[i] === ' ' || raw[i] === '\t') i++;
  const q = raw[i];
  if (q === '"' || q === "'") {
    const close = raw.indexOf(q, i + 1);
    if (close > i) return { value: raw.slice(i + 1, close), from: i + 1, to: close, quoted: true };
  }
  let e = raw.indexOf(' #', i);
  if (e < 0) e = raw.length;
  while (e > i && (raw[e - 1] === ' ' || raw[e - 1] === '\t')) e--;
  return { value: raw.slice(i, e), from: i, to: e };
}

/** A value with expansions (an unquoted heredoc's line, a double-quoted echo word): what it writes. */
function expansionOf(raw: string): Read {
  // the value's extent: up to an inline ` #` outside any expansion or quotes (compose's comment)
  let end = raw.length;
  let depth = 0;
  let back = false;
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (back) {
      if (c === '`') back = false;
      continue;
    }
    if (c === '`') back = true;
    else if (c === '$' && (raw[i + 1] === '{' || raw[i + 1] === '(')) {
      depth++;
      i++;
    } else if ((c === '}' || c === ')') && depth > 0) depth--;
    else if (depth === 0 && (c === '"' || c === "'")) quote = quote === c ? undefined : (quote ?? c);
    else if (depth === 0 && !quote && c === '#' && (raw[i - 1] === ' ' || raw[i - 1] === '\t')) {
      end = i;
      break;
    }
  }
  let from = 0;
  while (raw[from] === ' ' || raw[from] === '\t') from++;
  while (end > from && (raw[end - 1] === ' ' || raw[end - 1] === '\t')) end--;
  let inner = raw.slice(from, end);
  // the file's own quotes around it (`"${X:-y}"`)
  let f = from;
  let t = end;
  if (inner.length >= 2 && (inner[0] === '"' || inner[0] === "'") && inner[inner.length - 1] === inner[0]) {
    inner = inner.slice(1, -1);
    f++;
    t--;
  }
  if (GENERATOR.test(inner)) return { kind: 'generated', value: '', from: f, to: t };
  // a GitHub Actions expression, replaced before the shell runs (catalogue/ciEnvironment.ts): a secret's or variable's value
  const expression = /^\$\{\{[ \t]*([a-z]+)\.([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}$/.exec(inner);
  if (expression && (GITHUB_VALUE_CONTEXTS as readonly string[]).includes(expression[1]!))
    return { kind: 'environment', value: '', from: f, to: t, variable: `${expression[1]!}.${expression[2]!}` };
  const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}$/.exec(inner);
  const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
  if (plain) return { kind: 'environment', value: '', from: f, to: t, variable: plain[1]! };
  if (braced) {
    const name = braced[1]!;
    const def = braced[3];
    if (def === undefined) return { kind: 'environment', value: '', from: f, to: t, variable: name };
    if (/[$`\\]/.test(def)) return { kind: 'computed', value: '', from: f, to: t, variable: name };
    const ds = f + name.length + 2 + braced[2]!.length;
    return { kind: 'default', value: def, from: ds, to: ds + def.length, variable: name };
  }
  return { kind: 'computed', value: '', from: f, to: t };
}

/** A file a script copies (`cp env/.env.prod.example env/.env.prod`): the paths as written. */
export interface ScriptCopy {
  readonly src: string;
  readonly dest: string;
  /** Where the `cp` starts in the script (its offset). */
  readonly at: number;
  /**
   * A later command of the script names the copy (`sed -i … env/.env.prod`, `echo "KEY=…" >>
   * env/.env.prod`, an editor): it may change what the copy holds.
   */
  readonly editedAfter: boolean;
}

/** The files `text` (a shell script) copies with `cp SRC DEST` (literal paths), each with whether the script goes on to touch the copy. Never throws. */
export function scriptCopies(file: string, text: string): ScriptCopy[] {
  const out: { src: string; dest: string; at: number; editedAfter: boolean }[] = [];
  if (!/\bcp[ \t]/.test(text)) return out;
  let commands: SimpleCommand[];
  try {
    commands = tokenize(MappedText.slice(file, text));
  } catch {
    return out;
  }
  for (const c of commands) {
    // a later command naming a copy, as a word or a redirection's target
    for (const copy of out) {
      if (copy.editedAfter) continue;
      if (c.words.some((w) => w.text === copy.dest) || (c.redirects ?? []).some((r) => r.target.text === copy.dest))
        copy.editedAfter = true;
    }
    if (c.words[0]?.text !== 'cp') continue;
    const args = c.words.slice(1).filter((w) => !w.text.startsWith('-'));
    if (args.length !== 2 || args.some((w) => w.dynamic)) continue;
    out.push({ src: args[0]!.text, dest: args[1]!.text, at: c.words[0]!.loc.start, editedAfter: false });
  }
  return out;
}
