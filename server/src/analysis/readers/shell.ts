// A shell-style tokeniser for command lines: POSIX quoting (single, double, $'…'), backslash escapes
// and `\`-newline continuations, comments, parameter expansions (`$PORT`, `${WEB_CONCURRENCY:-4}`),
// command substitution, redirections, heredocs, and the operators that separate simple commands
// (`&&`, `||`, `;`, `|`, `&`, newlines). It does not run anything: it yields the simple commands a
// shell would run, each word with its location, and says which ones only run conditionally (inside
// `if`/`case`, after `||`, in a function body), with the `if` tests and `case` patterns that decide
// it, and a function body's commands with the ways the script calls the function (`calls`).
//
// Modes: 'shell' is sh/bash (Procfiles, shell-form Dockerfile instructions, scripts, `sh -c`);
// 'split' splits words only, as docker-compose does with a string `command:` (no operators, no
// comments; `$$` is a literal `$`); 'systemd' is systemd's own splitting of ExecStart= (quotes and
// escapes, `$VAR`/`${VAR}` from Environment=, `%` specifiers).
import { MappedBuilder, MappedText, type EnvUse, type Token } from './text';
import type { Loc } from '../eval/values';

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
  /** It is inside `( … )`: a subshell runs it. */
  readonly subshell?: true;
  /** It is in a function's body (it runs where the function is called). */
  readonly inFunction?: true;
  /**
   * In a function's body that the script calls from several places: the tests deciding each way it
   * runs, one per call (each call's tests, outermost first, then the command's own). A function
   * called from one place has that call's tests in `branch` instead; one the script never calls
   * has neither (another script sourcing it may call it).
   */
  readonly calls?: readonly (readonly BranchTest[])[];
  /** It is in a loop (`while`, `until`, `for`): its test or its body. */
  readonly loop?: true;
  /** Its redirections, in order (`> .env`, `1>&3`, `<<EOF`); absent when it has none. */
  readonly redirects?: readonly Redirect[];
}

/** One redirection of a simple command. */
export interface Redirect {
  /** The operator as written: `>`, `>>`, `>|`, `>&`, `&>`, `<`, `<<`, `<<-`, `<<<`… */
  readonly op: string;
  /** The file descriptor written before it (`2>`, `3>`), when one is. */
  readonly fd?: number;
  /** The word after the operator (a file, a descriptor after `>&`, a heredoc's delimiter). */
  readonly target: Token;
  /**
   * A heredoc's body (`<<EOF`, `<<-EOF`), the lines up to its delimiter's, as written; `expands`
   * when the delimiter is unquoted (the shell expands `$…` and command substitutions in it).
   */
  readonly heredoc?: { readonly body: MappedText; readonly expands: boolean };
}

/** A redirection while its heredoc's body is still to be read. */
type MutableRedirect = { -readonly [K in keyof Redirect]: Redirect[K] };

/**
 * One `if`/`elif` test a command depends on: it runs when the test's outcome is `when`. An arm of a
 * `case` is a test too (`case`): its word matching one of the arm's patterns; a command in an arm
 * runs when the earlier arms' patterns do not match (when: false) and its own do (when: true).
 */
export interface BranchTest {
  /** The test command's words (`[ "$X" = True ]`); empty when the test is not one simple command, or is a case arm. */
  readonly words: readonly Token[];
  readonly when: boolean;
  /** A `case` arm: the word `case` matches and the arm's patterns (`migration`, `web|app`, `*`). */
  readonly case?: { readonly subject: Token; readonly patterns: readonly Token[] };
}

/** An `if … fi` being read: its tests so far and which part the tokeniser is in. */
interface IfFrame {
  readonly kind: 'if';
  /** The tests of `if` and each `elif`; undefined when a test is several commands. */
  tests: (Token[] | undefined)[];
  part: 'test' | 'then' | 'else';
}

/** A `case … esac` being read: its word and the patterns of each arm so far (the last is the arm being read). */
interface CaseFrame {
  readonly kind: 'case';
  readonly subject: Token | undefined;
  arms: Token[][];
}

export interface TokenizeOptions {
  readonly mode?: ShellMode;
  /** Values of variables the context defines (Dockerfile ENV, systemd Environment=, earlier assignments). */
  readonly lookup?: (name: string) => string | undefined;
}

const META = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '(', ')', '<', '>']);
const SPLIT_BLANK = new Set([' ', '\t', '\n', '\r']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** systemd's escapes (`\n`, `\s` a space…); any other escaped character is itself. */
const SYSTEMD_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', s: ' ', '\\': '\\', '"': '"', "'": "'", ';': ';' };
/** The escapes of $'…' (ANSI-C quoting); any other escaped character is itself. */
const ANSI_C_ESCAPES: Readonly<Record<string, string>> = {
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

interface RawWord {
  token: Token;
  /** Characters of the word that were not quoted, by index in token.text (for assignments). */
  unquotedPrefix: number;
}

/** Splits `m` into simple commands. */
export function tokenize(m: MappedText, options: TokenizeOptions = {}): SimpleCommand[] {
  return new Tokenizer(m, options).run();
}

/** A variable an `export` or `declare` command sets (`export GUNICORN_CMD_ARGS=…`, `declare -x DB=…`). */
export interface SetVariable {
  readonly name: string;
  /** The value as written (its `${…}` parts expanded where the lookup knows them; `token.dynamic` where not). */
  readonly value: Token;
  readonly nameLoc: Loc;
  /** `export`, or `declare -x`: it reaches the programs the shell runs. */
  readonly exported: boolean;
}

/**
 * The variables `c` sets when it is an `export` or `declare` command (undefined for any other
 * command): each `NAME=value` word after it (a bare `export NAME` sets nothing).
 */
export function setVariables(c: SimpleCommand): SetVariable[] | undefined {
  const first = c.words[0]?.text;
  if (first !== 'export' && first !== 'declare') return undefined;
  const exported = first === 'export' || c.words.slice(1).some((w) => /^-[a-z]*x/.test(w.text));
  const out: SetVariable[] = [];
  for (const w of c.words.slice(1)) {
    const eq = w.text.indexOf('=');
    if (eq > 0 && /^[A-Za-z_]\w*$/.test(w.text.slice(0, eq))) {
      const map = w.map.sub(eq + 1, w.text.length);
      out.push({
        name: w.text.slice(0, eq),
        value: { ...w, text: map.text, map, loc: map.length > 0 ? map.loc(0, map.length) : w.loc },
        nameLoc: w.map.loc(0, eq),
        exported,
      });
    }
  }
  return out;
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
  private pendingHeredocs: { delim: string; strip: boolean; expands: boolean; redirect: MutableRedirect }[] = [];
  /** The redirections of the command being read. */
  private redirects: Redirect[] = [];
  /** The file descriptor written before the redirection being read. */
  private pendingFd: number | undefined;
  // control structure state
  private ifDepth = 0;
  /** The `if`s and `case`s the tokeniser is in, outermost first. */
  private readonly frames: (IfFrame | CaseFrame)[] = [];
  private caseDepth = 0;
  private readonly braces: ('fn' | 'group')[] = [];
  private fnDepth = 0;
  /** The functions whose bodies the tokeniser is in, innermost last; the name of the one being defined. */
  private readonly fnNames: string[] = [];
  private pendingFnName: string | undefined;
  /** The function each command of `out` is in (by index), for resolving calls. */
  private readonly fnOf = new Map<number, string>();
  private parenDepth = 0;
  private loopDepth = 0;
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
        const pattern = this.casePattern;
        const fn = this.pendingFunction;
        this.endCommand(c);
        // a subshell's parentheses (not a function definition's `()`, nor a case pattern's `)`)
        if (c === '(' && !this.pendingFunction) this.parenDepth++;
        else if (c === ')' && !pattern && !fn && this.parenDepth > 0) this.parenDepth--;
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
        this.pendingFd = Number(fd[0].slice(0, -1));
        this.readRedirection();
        continue;
      }
      this.words.push(this.readWord());
    }
    this.endCommand('newline');
    return shell ? resolveCalls(this.out, this.fnOf) : this.out;
  }

  /** The innermost `if` being read. */
  private topIf(): IfFrame | undefined {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const f = this.frames[k]!;
      if (f.kind === 'if') return f;
    }
    return undefined;
  }

  /** The innermost `case` being read. */
  private topCase(): CaseFrame | undefined {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const f = this.frames[k]!;
      if (f.kind === 'case') return f;
    }
    return undefined;
  }

  /** Closes the innermost frame of `kind` (and any left open inside it). */
  private closeFrame(kind: 'if' | 'case'): void {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      if (this.frames[k]!.kind === kind) {
        this.frames.length = k;
        return;
      }
    }
  }

  // ---- commands and control structures ---------------------------------------------------------

  private endCommand(op: '&&' | '||' | '|' | ';' | ';;' | '&' | '(' | ')' | 'newline'): void {
    let words = this.words;
    this.words = [];
    const redirects = this.redirects;
    this.redirects = [];
    const after = this.after;
    this.after = op === '&&' || op === '||' || op === '|' || op === ';' || op === '&' ? op : op === ';;' ? ';' : undefined;
    if (op === ')' && this.casePattern) {
      // a case pattern (`web)`, `"web"|"app")`)
      this.casePattern = false;
      if (words.length === 0 || words[0]!.token.text !== 'esac') {
        this.topCase()?.arms.push(words.map((w) => w.token));
        return;
      }
    }
    if (op === '(' && words.length === 1 && this.s.slice(this.i).trimStart().startsWith(')')) {
      // `name() {`: a function definition; its body only runs when called
      this.pendingFunction = true;
      this.pendingFnName = words[0]!.token.text;
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
        const top = this.topIf();
        if (top) top.part = w;
        strip();
      } else if (w === 'do' || w === '!' || w === 'time') strip();
      else if (w === 'for' && words.length >= 2) {
        this.loopDepth++;
        break;
      } else if (w === 'if' || w === 'elif' || w === 'while' || w === 'until') {
        if (w === 'while' || w === 'until') this.loopDepth++;
        if (w === 'if') {
          this.ifDepth++;
          this.frames.push({ kind: 'if', tests: [], part: 'test' });
        }
        if (w === 'elif') {
          const top = this.topIf();
          if (top) top.part = 'test';
        }
        if (w === 'if' || w === 'elif') startsTest = true;
        conditionalHere = true;
        strip();
      } else if (w === 'fi') {
        this.ifDepth = Math.max(0, this.ifDepth - 1);
        this.closeFrame('if');
        strip();
      } else if (w === 'done') {
        this.loopDepth = Math.max(0, this.loopDepth - 1);
        strip();
      } else if (w === 'esac') {
        this.caseDepth = Math.max(0, this.caseDepth - 1);
        this.casePattern = false;
        this.closeFrame('case');
        strip();
      } else if (w === 'case') {
        this.caseDepth++;
        const frame: CaseFrame = { kind: 'case', subject: words[2]?.token.text === 'in' ? words[1]!.token : undefined, arms: [] };
        this.frames.push(frame);
        // `case x in web)` on one line: the pattern ended with this command
        this.casePattern = op !== ')';
        if (op === ')') frame.arms.push(words.slice(3).map((x) => x.token));
        return;
      } else if (w === '{') {
        this.braces.push(this.pendingFunction ? 'fn' : 'group');
        if (this.pendingFunction) {
          this.fnDepth++;
          this.fnNames.push(this.pendingFnName ?? '');
        }
        this.pendingFunction = false;
        this.pendingFnName = undefined;
        strip();
      } else if (w === '}') {
        if (this.braces.pop() === 'fn') {
          this.fnDepth = Math.max(0, this.fnDepth - 1);
          this.fnNames.pop();
        }
        strip();
      } else if (w === 'function' && words.length >= 2) {
        this.pendingFunction = true;
        this.pendingFnName = words[1]!.token.text.replace(/\(\)$/, '');
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
    const top = this.topIf();
    if (top && top.part === 'test') {
      // the test of `if`/`elif`: one simple command, or several (then it cannot be read)
      if (startsTest) top.tests.push([...assignments.map((a) => a.token), ...words.map((w) => w.token)]);
      else if (top.tests.length > 0) top.tests[top.tests.length - 1] = undefined;
    }
    const branch = this.branchHere();
    const fn = this.fnNames[this.fnNames.length - 1];
    if (fn) this.fnOf.set(this.out.length, fn);
    this.out.push({
      words: words.map((w) => w.token),
      assignments,
      conditional: conditionalHere || orChain || this.ifDepth > 0 || this.caseDepth > 0 || this.fnDepth > 0,
      after,
      background: op === '&',
      ...(branch ? { branch } : {}),
      ...(this.parenDepth > 0 ? { subshell: true as const } : {}),
      ...(this.fnDepth > 0 ? { inFunction: true as const } : {}),
      ...(this.loopDepth > 0 ? { loop: true as const } : {}),
      ...(redirects.length > 0 ? { redirects } : {}),
    });
  }

  /** The tests deciding whether a command read now runs (see SimpleCommand.branch). */
  private branchHere(): BranchTest[] | undefined {
    const out: BranchTest[] = [];
    for (const frame of this.frames) {
      if (frame.kind === 'case') {
        // an arm runs when no earlier arm's patterns match and its own do
        const subject = frame.subject;
        if (!subject) continue;
        const n = frame.arms.length;
        frame.arms.forEach((patterns, k) => {
          if (patterns.length > 0) out.push({ words: [], when: k === n - 1, case: { subject, patterns } });
        });
        continue;
      }
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
    const fd = this.pendingFd;
    this.pendingFd = undefined;
    const amp = s[this.i] === '&';
    if (amp) this.i++;
    const op0 = /^(<<<|<<-|<<|>>|>&|<&|<>|>\||<|>)/.exec(s.slice(this.i, this.i + 3))?.[0] ?? s[this.i]!;
    this.i += op0.length;
    const op = amp ? `&${op0}` : op0;
    while (s[this.i] === ' ' || s[this.i] === '\t') this.i++;
    if (this.i >= s.length || META.has(s[this.i]!)) return;
    const target = this.readWord();
    const redirect: MutableRedirect = { op, target: target.token, ...(fd !== undefined ? { fd } : {}) };
    this.redirects.push(redirect);
    if (op === '<<' || op === '<<-')
      this.pendingHeredocs.push({ delim: target.token.text, strip: op === '<<-', expands: !target.token.quoted, redirect });
  }

  private skipHeredocs(): void {
    const s = this.s;
    for (const h of this.pendingHeredocs) {
      const start = this.i;
      let bodyEnd = s.length;
      while (this.i < s.length) {
        let end = s.indexOf('\n', this.i);
        if (end < 0) end = s.length;
        let line = s.slice(this.i, end).replace(/\r$/, '');
        if (h.strip) line = line.replace(/^\t+/, '');
        const lineStart = this.i;
        this.i = Math.min(s.length, end + 1);
        if (line === h.delim) {
          bodyEnd = lineStart;
          break;
        }
      }
      h.redirect.heredoc = { body: this.m.sub(start, Math.max(start, bodyEnd)), expands: h.expands };
    }
    this.pendingHeredocs = [];
  }

  // ---- words ------------------------------------------------------------------------------------
  // One word is read in one pass from this.i: readWord looks at each character and hands each
  // quoting or expansion case to its reader below, which reads it and leaves this.i after it (no
  // character is looked at twice but by the bounded look-aheads). What the word is so far is kept
  // in the fields below, reset for each word.

  /** The word's text, each character mapped to where it is written. */
  private wb!: MappedBuilder;
  /** The variables the word expands (a new list for each word: its token keeps it). */
  private wEnv!: EnvUse[];
  private wQuoted = false;
  private wDynamic = false;
  private wForwardsArgs = false;
  /** Characters of the word before its first quoted one; -1 while none is quoted. */
  private wUnquotedPrefix = -1;

  private readWord(): RawWord {
    const s = this.s;
    const m = this.m;
    const shell = this.mode === 'shell';
    const systemd = this.mode === 'systemd';
    const start = this.i;
    this.wb = new MappedBuilder(m.file, m.starts[this.i] ?? m.at);
    this.wEnv = [];
    this.wQuoted = false;
    this.wDynamic = false;
    this.wForwardsArgs = false;
    this.wUnquotedPrefix = -1;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (shell ? META.has(c) : SPLIT_BLANK.has(c)) break;
      if (c === '\\') {
        if (!this.readEscape()) break;
      } else if (c === "'") this.readSingleQuoted();
      else if (c === '"') this.readDoubleQuoted();
      else if (c === '$') this.readExpansion(false);
      else if (c === '`' && shell) this.readBackquoted();
      else if (c === '%' && systemd) this.readSpecifier();
      else {
        this.pushRange(this.i, this.i + 1);
        this.i++;
      }
    }
    const map = this.wb.build();
    const loc = m.loc(start, this.i);
    const quoted = this.wQuoted;
    if (!quoted && map.text === '*') this.wDynamic = true;
    const token: Token = {
      text: map.text,
      loc,
      map,
      quoted,
      env: this.wEnv,
      dynamic: this.wDynamic,
      ...(this.wForwardsArgs ? { forwardsArgs: true } : {}),
    };
    return { token, unquotedPrefix: this.wUnquotedPrefix < 0 ? map.text.length : this.wUnquotedPrefix };
  }

  private markQuoted(): void {
    if (this.wUnquotedPrefix < 0) this.wUnquotedPrefix = this.wb.length;
    this.wQuoted = true;
  }

  /** Characters [i, j) of the text, as written. */
  private pushRange(i: number, j: number): void {
    this.wb.pushMapped(this.m, i, j);
  }

  /** `text` in place of characters [i, j) of the text (an escape, a variable's value). */
  private pushAs(text: string, i: number, j: number): void {
    this.wb.push(text, this.m.starts[i] ?? this.m.at, this.m.ends[j - 1] ?? this.m.at);
  }

  /**
   * A backslash outside quotes: a `\`-newline continuation is dropped, an escaped character is
   * itself (systemd's escapes read as C's). False when it ends the text (the word ends).
   */
  private readEscape(): boolean {
    const s = this.s;
    const n = s[this.i + 1];
    if (n === undefined) {
      this.i++;
      return false;
    }
    if (n === '\n') {
      this.i += 2;
      return true;
    }
    if (n === '\r' && s[this.i + 2] === '\n') {
      this.i += 3;
      return true;
    }
    this.markQuoted();
    if (this.mode === 'systemd') this.pushAs(SYSTEMD_ESCAPES[n] ?? n, this.i, this.i + 2);
    else this.pushAs(n, this.i, this.i + 2);
    this.i += 2;
    return true;
  }

  /** '…': every character as written, up to the closing quote. */
  private readSingleQuoted(): void {
    this.markQuoted();
    const close = this.s.indexOf("'", this.i + 1);
    const end = close < 0 ? this.s.length : close;
    this.pushRange(this.i + 1, end);
    this.i = end + 1;
  }

  /** "…": expansions and command substitutions inside; a backslash escapes only $ ` " \ (any character in split and systemd modes). */
  private readDoubleQuoted(): void {
    const s = this.s;
    const shell = this.mode === 'shell';
    this.markQuoted();
    this.i++;
    while (this.i < s.length && s[this.i] !== '"') {
      const d = s[this.i]!;
      if (d === '\\' && this.i + 1 < s.length) {
        const n = s[this.i + 1]!;
        if (n === '\n') {
          this.i += 2;
          continue;
        }
        if (this.mode === 'systemd' || this.mode === 'split' || '$`"\\'.includes(n)) {
          this.pushAs(n, this.i, this.i + 2);
          this.i += 2;
          continue;
        }
        this.pushRange(this.i, this.i + 1);
        this.i++;
        continue;
      }
      if (d === '$') {
        this.readExpansion(true);
        continue;
      }
      if (d === '`' && shell) {
        this.readBackquoted();
        continue;
      }
      this.pushRange(this.i, this.i + 1);
      this.i++;
    }
    this.i++;
  }

  /** A `…` command substitution: kept as written, and what it prints cannot be known. */
  private readBackquoted(): void {
    const close = this.s.indexOf('`', this.i + 1);
    const end = close < 0 ? this.s.length : close + 1;
    this.wDynamic = true;
    this.pushRange(this.i, end);
    this.i = end;
  }

  /** A systemd `%` specifier: `%%` is a `%`, any other is filled in by systemd (not known here). */
  private readSpecifier(): void {
    const s = this.s;
    const n = s[this.i + 1];
    if (n === '%') {
      this.pushAs('%', this.i, this.i + 2);
      this.i += 2;
      return;
    }
    this.wDynamic = true;
    this.pushRange(this.i, Math.min(s.length, this.i + 2));
    this.i += 2;
  }

  /** At a `$`: a parameter expansion, a command substitution, ANSI-C quoting, or a plain `$`. */
  private readExpansion(inDouble: boolean): void {
    const s = this.s;
    const i0 = this.i;
    const nx = s[i0 + 1];
    if (this.mode === 'split' && nx === '$') {
      this.pushAs('$', i0, i0 + 2);
      this.i += 2;
      return;
    }
    if (nx === '{') {
      this.readBracedExpansion();
      return;
    }
    if (this.mode !== 'systemd' && nx === '(') {
      const close = matchParen(s, i0 + 1);
      this.i = close + 1;
      this.wDynamic = true;
      this.pushRange(i0, this.i);
      return;
    }
    if (nx === "'" && this.mode === 'shell' && !inDouble) {
      this.readAnsiC();
      return;
    }
    const nm = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i0 + 1, i0 + 200));
    if (nm) {
      const name = nm[0];
      this.i = i0 + 1 + name.length;
      this.expandVariable(name, i0);
      return;
    }
    if (nx !== undefined && /[@*#?$!0-9-]/.test(nx)) {
      this.i = i0 + 2;
      if (nx === '@' || nx === '*') this.wForwardsArgs = true;
      this.wDynamic = true;
      this.pushRange(i0, this.i);
      return;
    }
    this.pushRange(i0, i0 + 1);
    this.i = i0 + 1;
  }

  /** `$NAME` or `${NAME}` ending before this.i, from `i0`: its value when the context gives it, else unknown. */
  private expandVariable(name: string, i0: number): void {
    const ctx = this.options.lookup?.(name);
    if (ctx !== undefined) {
      this.wEnv.push({ name, value: ctx, valueFrom: 'context' });
      this.pushAs(ctx, i0, this.i);
    } else {
      this.wEnv.push({ name });
      this.wDynamic = true;
      this.pushRange(i0, this.i);
    }
  }

  /** `${NAME}`, `${NAME:-default}` (`=`: the same here), `${NAME:?…}`/`${NAME:+…}` and any other `${…}` (unknown). */
  private readBracedExpansion(): void {
    const s = this.s;
    const i0 = this.i;
    const close = matchBrace(s, i0 + 1);
    const inner = s.slice(i0 + 2, close);
    this.i = close + 1;
    const mm = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=?+])([\s\S]*))?$/.exec(inner);
    if (mm) {
      const name = mm[1]!;
      const op = mm[2];
      if (!op) {
        this.expandVariable(name, i0);
        return;
      }
      const ctx = this.options.lookup?.(name);
      if (op.endsWith('-') || op.endsWith('=')) {
        const value = ctx ?? unquote(mm[3] ?? '');
        this.wEnv.push({ name, value, valueFrom: ctx !== undefined ? 'context' : 'default' });
        this.pushAs(value, i0, this.i);
        return;
      }
      this.wEnv.push({ name });
    }
    this.wDynamic = true;
    this.pushRange(i0, this.i);
  }

  /** $'…' ANSI-C quoting: C's escapes read. */
  private readAnsiC(): void {
    const s = this.s;
    this.markQuoted();
    this.i += 2;
    while (this.i < s.length && s[this.i] !== "'") {
      if (s[this.i] === '\\' && this.i + 1 < s.length) {
        const e = s[this.i + 1]!;
        this.pushAs(ANSI_C_ESCAPES[e] ?? e, this.i, this.i + 2);
        this.i += 2;
      } else {
        this.pushRange(this.i, this.i + 1);
        this.i++;
      }
    }
    this.i++;
  }
}

/** At most this many ways a function is reached (calls of calls) are kept. */
const MAX_CALL_PATHS = 16;

/**
 * A function body's commands run where the script calls the function: each gets the tests of the
 * calls (a call from inside another function, that function's calls first). One way: in `branch`,
 * before its own tests; several: in `calls`. A function the script never calls keeps its commands
 * as they are (a script sourcing this one may call it).
 */
function resolveCalls(out: SimpleCommand[], fnOf: ReadonlyMap<number, string>): SimpleCommand[] {
  if (fnOf.size === 0) return out;
  const names = new Set(fnOf.values());
  const memo = new Map<string, BranchTest[][]>();
  const pathsOf = (name: string, depth: number): BranchTest[][] => {
    const known = memo.get(name);
    if (known) return known;
    if (depth > 8) return [];
    memo.set(name, []); // (a function reached again while its calls are read: recursion adds no way)
    const paths: BranchTest[][] = [];
    out.forEach((c, k) => {
      const w = c.words[0];
      if (!w || w.quoted || w.text !== name || paths.length >= MAX_CALL_PATHS) return;
      const caller = fnOf.get(k);
      if (caller === name) return;
      const before = caller ? pathsOf(caller, depth + 1) : [[]];
      for (const p of before) if (paths.length < MAX_CALL_PATHS) paths.push([...p, ...(c.branch ?? [])]);
    });
    memo.set(name, paths);
    return paths;
  };
  for (const n of names) pathsOf(n, 0);
  return out.map((c, k) => {
    const name = fnOf.get(k);
    const paths = name ? memo.get(name) : undefined;
    if (!paths || paths.length === 0) return c;
    const own = c.branch ?? [];
    if (paths.length === 1) {
      const branch = [...paths[0]!, ...own];
      return branch.length > 0 ? { ...c, branch } : c;
    }
    return { ...c, calls: paths.map((p) => [...p, ...own]) };
  });
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
