// A shell-style tokeniser for command lines: POSIX quoting (single, double, $'…'), backslash escapes
// and `\`-newline continuations, comments, parameter expansions (`$PORT`, `${WEB_CONCURRENCY:-4}`),
// command substitution, redirections, heredocs, and the operators that separate simple commands
// (`&&`, `||`, `;`, `|`, `&`, newlines). It does not run anything: it yields the simple commands a
// shell would run, each word with its location, and says which ones only run conditionally (inside
// `if`/`case`, after `||`, in a function body).
//
// Modes: 'shell' is sh/bash (Procfiles, shell-form Dockerfile instructions, scripts, `sh -c`);
// 'split' splits words only, as docker-compose does with a string `command:` (no operators, no
// comments; `$$` is a literal `$`); 'systemd' is systemd's own splitting of ExecStart= (quotes and
// escapes, `$VAR`/`${VAR}` from Environment=, `%` specifiers).
import { MappedBuilder, MappedText, type EnvUse, type Token } from './text';

export type ShellMode = 'shell' | 'split' | 'systemd';

export interface Assignment {
  readonly name: string;
  readonly value: Token;
  /** The whole `NAME=value` word. */
  readonly token: Token;
}

export interface SimpleCommand {
  /** The words: the program first, then its arguments. Empty for a bare assignment (`PORT=8000`). */
  readonly words: Token[];
  /** `NAME=value` words before the program (they set the program's environment). */
  readonly assignments: Assignment[];
  /** The command may not run (inside if/case/a function, or after `||`). */
  readonly conditional: boolean;
  /** The operator before this command in its list (undefined at the start of a line). */
  readonly after?: '&&' | '||' | '|' | ';' | '&';
  /** It is run in the background (`cmd &`). */
  readonly background: boolean;
  /**
   * The `if` tests that decide whether it runs, outermost first: each test's words and whether the
   * command runs when that test succeeds (then) or fails (elif/else). Absent outside any `if`.
   */
  readonly branch?: readonly BranchTest[];
}

/** One `if`/`elif` test a command depends on: it runs when the test's outcome is `when`. */
export interface BranchTest {
  /** The test command's words (`[ "$X" = True ]`); empty when the test is not one simple command. */
  readonly words: readonly Token[];
  readonly when: boolean;
}

/** An `if … fi` being read: its tests so far and which part the tokeniser is in. */
interface IfFrame {
  /** The tests of `if` and each `elif`; undefined when a test is several commands. */
  tests: (Token[] | undefined)[];
  part: 'test' | 'then' | 'else';
}

export interface TokenizeOptions {
  readonly mode?: ShellMode;
  /** Values of variables the context defines (Dockerfile ENV, systemd Environment=, earlier assignments). */
  readonly lookup?: (name: string) => string | undefined;
}

const META = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '(', ')', '<', '>']);
const SPLIT_BLANK = new Set([' ', '\t', '\n', '\r']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface RawWord {
  token: Token;
  /** Characters of the word that were not quoted, by index in token.text (for assignments). */
  unquotedPrefix: number;
}

/** Splits `m` into simple commands. */
export function tokenize(m: MappedText, options: TokenizeOptions = {}): SimpleCommand[] {
  return new Tokenizer(m, options).run();
}

/** The words of `m` split without operators (docker-compose string commands, systemd lines). */
export function splitWords(m: MappedText, mode: 'split' | 'systemd', lookup?: (name: string) => string | undefined): Token[] {
  const cmds = new Tokenizer(m, { mode, lookup }).run();
  return cmds.flatMap((c) => [...c.assignments.map((a) => a.token), ...c.words]);
}

class Tokenizer {
  private i = 0;
  private readonly s: string;
  private readonly mode: ShellMode;
  private readonly out: SimpleCommand[] = [];
  private words: RawWord[] = [];
  private after: SimpleCommand['after'];
  private pendingHeredocs: { delim: string; strip: boolean }[] = [];
  // control structure state
  private ifDepth = 0;
  private readonly ifs: IfFrame[] = [];
  private caseDepth = 0;
  private readonly braces: ('fn' | 'group')[] = [];
  private fnDepth = 0;
  private pendingFunction = false;
  private orChain = false;
  /** Inside `case … in`, reading a pattern (up to its `)`). */
  private casePattern = false;

  constructor(
    private readonly m: MappedText,
    private readonly options: TokenizeOptions,
  ) {
    this.s = m.text;
    this.mode = options.mode ?? 'shell';
  }

  run(): SimpleCommand[] {
    const s = this.s;
    const shell = this.mode === 'shell';
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === ' ' || c === '\t' || (!shell && (c === '\n' || c === '\r'))) {
        this.i++;
        continue;
      }
      if (c === '\\' && (s[this.i + 1] === '\n' || (s[this.i + 1] === '\r' && s[this.i + 2] === '\n'))) {
        this.i += s[this.i + 1] === '\n' ? 2 : 3;
        continue;
      }
      if (!shell) {
        this.words.push(this.readWord());
        continue;
      }
      if (c === '\r') {
        this.i++;
        continue;
      }
      if (c === '\n') {
        this.i++;
        this.endCommand('newline');
        this.skipHeredocs();
        continue;
      }
      if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        continue;
      }
      const two = s.slice(this.i, this.i + 2);
      if (two === '&&' || two === '||' || two === ';;') {
        this.i += 2;
        this.endCommand(two);
        if (two === ';;' && this.caseDepth > 0) this.casePattern = true;
        continue;
      }
      if (c === '|' && this.casePattern) {
        this.i++;
        continue;
      }
      if (c === ';' || c === '|' || c === '&') {
        if (c === '&' && s[this.i + 1] === '>') {
          this.readRedirection();
          continue;
        }
        this.i++;
        this.endCommand(c === ';' ? ';' : c === '|' ? '|' : '&');
        continue;
      }
      if (c === '(' || c === ')') {
        this.i++;
        this.endCommand(c);
        continue;
      }
      if (c === '<' || c === '>') {
        this.readRedirection();
        continue;
      }
      // a word; a number directly followed by < or > is a file descriptor of a redirection
      const fd = /^\d+[<>]/.exec(s.slice(this.i, this.i + 4));
      if (fd) {
        this.i += fd[0].length - 1;
        this.readRedirection();
        continue;
      }
      this.words.push(this.readWord());
    }
    this.endCommand('newline');
    return this.out;
  }

  // ---- commands and control structures ---------------------------------------------------------

  private endCommand(op: '&&' | '||' | '|' | ';' | ';;' | '&' | '(' | ')' | 'newline'): void {
    let words = this.words;
    this.words = [];
    const after = this.after;
    this.after = op === '&&' || op === '||' || op === '|' || op === ';' || op === '&' ? op : op === ';;' ? ';' : undefined;
    if (op === ')' && this.casePattern) {
      // a case pattern (`web)`, `"web"|"app")`)
      this.casePattern = false;
      if (words.length === 0 || words[0]!.token.text !== 'esac') return;
    }
    if (op === '(' && words.length === 1 && this.s.slice(this.i).trimStart().startsWith(')')) {
      // `name() {`: a function definition; its body only runs when called
      this.pendingFunction = true;
      this.after = undefined;
      return;
    }
    if (words.length === 0) return;
    // leading reserved words
    let conditionalHere = false;
    let startsTest = false;
    const strip = (): void => {
      words = words.slice(1);
    };
    let guard = 0;
    while (words.length > 0 && guard++ < 10 && !words[0]!.token.quoted) {
      const w = words[0]!.token.text;
      if (w === 'then' || w === 'else') {
        const top = this.ifs[this.ifs.length - 1];
        if (top) top.part = w;
        strip();
      } else if (w === 'do' || w === '!' || w === 'time') strip();
      else if (w === 'if' || w === 'elif' || w === 'while' || w === 'until') {
        if (w === 'if') {
          this.ifDepth++;
          this.ifs.push({ tests: [], part: 'test' });
        }
        if (w === 'elif') {
          const top = this.ifs[this.ifs.length - 1];
          if (top) top.part = 'test';
        }
        if (w === 'if' || w === 'elif') startsTest = true;
        conditionalHere = true;
        strip();
      } else if (w === 'fi') {
        this.ifDepth = Math.max(0, this.ifDepth - 1);
        this.ifs.pop();
        strip();
      } else if (w === 'done') strip();
      else if (w === 'esac') {
        this.caseDepth = Math.max(0, this.caseDepth - 1);
        this.casePattern = false;
        strip();
      } else if (w === 'case') {
        this.caseDepth++;
        // `case x in web)` on one line: the pattern ended with this command
        this.casePattern = op !== ')';
        return;
      } else if (w === '{') {
        this.braces.push(this.pendingFunction ? 'fn' : 'group');
        if (this.pendingFunction) this.fnDepth++;
        this.pendingFunction = false;
        strip();
      } else if (w === '}') {
        if (this.braces.pop() === 'fn') this.fnDepth = Math.max(0, this.fnDepth - 1);
        strip();
      } else if (w === 'function' && words.length >= 2) {
        this.pendingFunction = true;
        words = words.slice(2);
      } else break;
    }
    if (words.length === 0) return;
    // trailing `}` / `fi` written on the same line after `;`
    const assignments: Assignment[] = [];
    while (words.length > 0) {
      const a = this.assignmentOf(words[0]!);
      if (!a) break;
      assignments.push(a);
      words = words.slice(1);
    }
    const orChain = after === '||' || (this.orChain && (after === '&&' || after === '|'));
    this.orChain = orChain;
    const top = this.ifs[this.ifs.length - 1];
    if (top && top.part === 'test') {
      // the test of `if`/`elif`: one simple command, or several (then it cannot be read)
      if (startsTest) top.tests.push([...assignments.map((a) => a.token), ...words.map((w) => w.token)]);
      else if (top.tests.length > 0) top.tests[top.tests.length - 1] = undefined;
    }
    const branch = this.branchHere();
    this.out.push({
      words: words.map((w) => w.token),
      assignments,
      conditional: conditionalHere || orChain || this.ifDepth > 0 || this.caseDepth > 0 || this.fnDepth > 0,
      after,
      background: op === '&',
      ...(branch ? { branch } : {}),
    });
  }

  /** The tests deciding whether a command read now runs (see SimpleCommand.branch). */
  private branchHere(): BranchTest[] | undefined {
    const out: BranchTest[] = [];
    for (const frame of this.ifs) {
      if (frame.part === 'test') continue;
      const n = frame.tests.length;
      // then: the earlier tests failed and the last one succeeded; else: every test failed
      frame.tests.forEach((t, k) => out.push({ words: t ?? [], when: frame.part === 'then' && k === n - 1 }));
    }
    return out.length > 0 ? out : undefined;
  }

  private assignmentOf(w: RawWord): Assignment | undefined {
    const t = w.token;
    const eq = t.text.indexOf('=');
    if (eq <= 0 || eq > w.unquotedPrefix) return undefined;
    const name = t.text.slice(0, eq);
    if (!NAME_RE.test(name)) return undefined;
    const map = t.map.sub(eq + 1, t.text.length);
    const value: Token = {
      text: map.text,
      loc: map.length > 0 ? map.loc(0, map.length) : { file: t.loc.file, start: t.loc.end, end: t.loc.end },
      map,
      quoted: t.quoted,
      env: t.env,
      dynamic: t.dynamic,
    };
    return { name, value, token: t };
  }

  // ---- redirections and heredocs ---------------------------------------------------------------

  private readRedirection(): void {
    const s = this.s;
    if (s[this.i] === '&') this.i++;
    const op = /^(<<<|<<-|<<|>>|>&|<&|<>|>\||<|>)/.exec(s.slice(this.i))?.[0] ?? s[this.i]!;
    this.i += op.length;
    while (s[this.i] === ' ' || s[this.i] === '\t') this.i++;
    if (this.i >= s.length || META.has(s[this.i]!)) return;
    const target = this.readWord();
    if (op === '<<' || op === '<<-') this.pendingHeredocs.push({ delim: target.token.text, strip: op === '<<-' });
  }

  private skipHeredocs(): void {
    const s = this.s;
    for (const h of this.pendingHeredocs) {
      while (this.i < s.length) {
        let end = s.indexOf('\n', this.i);
        if (end < 0) end = s.length;
        let line = s.slice(this.i, end).replace(/\r$/, '');
        if (h.strip) line = line.replace(/^\t+/, '');
        this.i = Math.min(s.length, end + 1);
        if (line === h.delim) break;
      }
    }
    this.pendingHeredocs = [];
  }

  // ---- words ------------------------------------------------------------------------------------

  private readWord(): RawWord {
    const s = this.s;
    const m = this.m;
    const shell = this.mode === 'shell';
    const systemd = this.mode === 'systemd';
    const b = new MappedBuilder(m.file, m.starts[this.i] ?? m.at);
    const start = this.i;
    const env: EnvUse[] = [];
    let quoted = false;
    let dynamic = false;
    let forwardsArgs = false;
    let unquotedPrefix = -1;
    const markQuoted = (): void => {
      if (unquotedPrefix < 0) unquotedPrefix = b.length;
      quoted = true;
    };
    const pushRange = (i: number, j: number): void => b.pushMapped(m, i, j);
    const pushAs = (text: string, i: number, j: number): void => b.push(text, m.starts[i] ?? m.at, m.ends[j - 1] ?? m.at);
    /** A `…` command substitution: kept as written, and what it prints cannot be known. */
    const commandSubstitution = (): void => {
      const close = s.indexOf('`', this.i + 1);
      const end = close < 0 ? s.length : close + 1;
      dynamic = true;
      pushRange(this.i, end);
      this.i = end;
    };
    const expansion = (inDouble: boolean): void => {
      // at s[this.i] === '$'
      const i0 = this.i;
      const nx = s[i0 + 1];
      if (this.mode === 'split' && nx === '$') {
        pushAs('$', i0, i0 + 2);
        this.i += 2;
        return;
      }
      if (nx === '{') {
        const close = matchBrace(s, i0 + 1);
        const inner = s.slice(i0 + 2, close);
        this.i = close + 1;
        const mm = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=?+])([\s\S]*))?$/.exec(inner);
        if (mm) {
          const name = mm[1]!;
          const op = mm[2];
          const ctx = this.options.lookup?.(name);
          if (!op) {
            if (ctx !== undefined) {
              env.push({ name, value: ctx, valueFrom: 'context' });
              pushAs(ctx, i0, this.i);
            } else {
              env.push({ name });
              dynamic = true;
              pushRange(i0, this.i);
            }
            return;
          }
          if (op.endsWith('-') || op.endsWith('=')) {
            const value = ctx ?? unquote(mm[3] ?? '');
            env.push({ name, value, valueFrom: ctx !== undefined ? 'context' : 'default' });
            pushAs(value, i0, this.i);
            return;
          }
          env.push({ name });
        }
        dynamic = true;
        pushRange(i0, this.i);
        return;
      }
      if (!systemd && nx === '(') {
        const close = matchParen(s, i0 + 1);
        this.i = close + 1;
        dynamic = true;
        pushRange(i0, this.i);
        return;
      }
      if (nx === "'" && shell && !inDouble) {
        // $'…' ANSI-C quoting
        markQuoted();
        this.i += 2;
        while (this.i < s.length && s[this.i] !== "'") {
          if (s[this.i] === '\\' && this.i + 1 < s.length) {
            const e = s[this.i + 1]!;
            const map: Record<string, string> = {
              n: '\n',
              t: '\t',
              r: '\r',
              '\\': '\\',
              "'": "'",
              '"': '"',
              a: '\x07',
              b: '\b',
              e: '\x1b',
              f: '\f',
              v: '\v',
            };
            pushAs(map[e] ?? e, this.i, this.i + 2);
            this.i += 2;
          } else {
            pushRange(this.i, this.i + 1);
            this.i++;
          }
        }
        this.i++;
        return;
      }
      const nm = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i0 + 1, i0 + 200));
      if (nm) {
        const name = nm[0];
        this.i = i0 + 1 + name.length;
        const ctx = this.options.lookup?.(name);
        if (ctx !== undefined) {
          env.push({ name, value: ctx, valueFrom: 'context' });
          pushAs(ctx, i0, this.i);
        } else {
          env.push({ name });
          dynamic = true;
          pushRange(i0, this.i);
        }
        return;
      }
      if (nx !== undefined && /[@*#?$!0-9-]/.test(nx)) {
        this.i = i0 + 2;
        if (nx === '@' || nx === '*') forwardsArgs = true;
        dynamic = true;
        pushRange(i0, this.i);
        return;
      }
      pushRange(i0, i0 + 1);
      this.i = i0 + 1;
    };

    while (this.i < s.length) {
      const c = s[this.i]!;
      if (shell ? META.has(c) : SPLIT_BLANK.has(c)) break;
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === undefined) {
          this.i++;
          break;
        }
        if (n === '\n') {
          this.i += 2;
          continue;
        }
        if (n === '\r' && s[this.i + 2] === '\n') {
          this.i += 3;
          continue;
        }
        markQuoted();
        if (systemd) {
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', '\\': '\\', '"': '"', "'": "'", ';': ';' };
          pushAs(map[n] ?? n, this.i, this.i + 2);
        } else pushAs(n, this.i, this.i + 2);
        this.i += 2;
        continue;
      }
      if (c === "'") {
        markQuoted();
        const close = s.indexOf("'", this.i + 1);
        const end = close < 0 ? s.length : close;
        pushRange(this.i + 1, end);
        this.i = end + 1;
        continue;
      }
      if (c === '"') {
        markQuoted();
        this.i++;
        while (this.i < s.length && s[this.i] !== '"') {
          const d = s[this.i]!;
          if (d === '\\' && this.i + 1 < s.length) {
            const n = s[this.i + 1]!;
            if (n === '\n') {
              this.i += 2;
              continue;
            }
            if (systemd || this.mode === 'split' || '$`"\\'.includes(n)) {
              pushAs(n, this.i, this.i + 2);
              this.i += 2;
              continue;
            }
            pushRange(this.i, this.i + 1);
            this.i++;
            continue;
          }
          if (d === '$') {
            expansion(true);
            continue;
          }
          if (d === '`' && shell) {
            commandSubstitution();
            continue;
          }
          pushRange(this.i, this.i + 1);
          this.i++;
        }
        this.i++;
        continue;
      }
      if (c === '$') {
        expansion(false);
        continue;
      }
      if (c === '`' && shell) {
        commandSubstitution();
        continue;
      }
      if (c === '%' && systemd) {
        const n = s[this.i + 1];
        if (n === '%') {
          pushAs('%', this.i, this.i + 2);
          this.i += 2;
          continue;
        }
        dynamic = true;
        pushRange(this.i, Math.min(s.length, this.i + 2));
        this.i += 2;
        continue;
      }
      pushRange(this.i, this.i + 1);
      this.i++;
    }
    const map = b.build();
    const loc = m.loc(start, this.i);
    if (!quoted && map.text === '*') dynamic = true;
    const token: Token = { text: map.text, loc, map, quoted, env, dynamic, ...(forwardsArgs ? { forwardsArgs } : {}) };
    return { token, unquotedPrefix: unquotedPrefix < 0 ? map.text.length : unquotedPrefix };
  }
}

/** Index of the `}` closing the `{` at `open` (nested braces and quotes respected). */
function matchBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      if (close < 0) return s.length - 1;
      i = close;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return s.length - 1;
}

/** Index of the `)` closing the `(` at `open`. */
function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      if (close < 0) return s.length - 1;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return s.length - 1;
}

/** Quote removal for the default of `${X:-default}`. */
function unquote(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      if (close < 0) {
        out += s.slice(i + 1);
        break;
      }
      out += s.slice(i + 1, close);
      i = close;
    } else if (c === '\\' && i + 1 < s.length) out += s[++i];
    else out += c;
  }
  return out;
}

/** Tokenises the text of one token again (the argument of `sh -c "…"`). */
export function retokenize(t: Token, lookup?: (name: string) => string | undefined): SimpleCommand[] {
  return tokenize(t.map, { mode: 'shell', lookup });
}

export { MappedText };
