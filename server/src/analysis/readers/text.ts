// Text with a map back to the file it was read from. Process files hide command lines behind
// several layers (a Dockerfile's `\` continuations, a JSON string's escapes, a YAML block scalar, a
// `sh -c "…"` argument); each layer decodes its text into a MappedText whose every character knows
// the span of the file it came from, so that a finding on `--reload` lands on `--reload` in the file.
import type { Loc } from '../eval/values';

export class MappedText {
  constructor(
    readonly file: string,
    readonly text: string,
    /** File offset where each character starts. */
    readonly starts: readonly number[],
    /** File offset where each character ends (exclusive). */
    readonly ends: readonly number[],
    /** Where the text sits when it is empty (or for positions past its end). */
    readonly at: number,
  ) {}

  /** The identity map of `text.slice(start, end)` of a file. */
  static slice(file: string, text: string, start = 0, end = text.length): MappedText {
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = start; i < end; i++) {
      starts.push(i);
      ends.push(i + 1);
    }
    return new MappedText(file, text.slice(start, end), starts, ends, start);
  }

  get length(): number {
    return this.text.length;
  }

  /** The file location of characters [i, j). */
  loc(i: number, j: number): Loc {
    if (this.text.length === 0) return { file: this.file, start: this.at, end: this.at };
    const a = Math.max(0, Math.min(i, this.text.length - 1));
    const b = Math.max(a + 1, Math.min(j, this.text.length));
    if (j <= i) {
      const p = i < this.text.length ? this.starts[a]! : this.ends[this.text.length - 1]!;
      return { file: this.file, start: p, end: p };
    }
    return { file: this.file, start: this.starts[a]!, end: Math.max(this.starts[a]!, this.ends[b - 1]!) };
  }

  /** A sub-range as its own MappedText. */
  sub(i: number, j: number): MappedText {
    const a = Math.max(0, i);
    const b = Math.min(this.text.length, j);
    const at = a < this.text.length ? this.starts[a]! : this.text.length > 0 ? this.ends[this.text.length - 1]! : this.at;
    return new MappedText(this.file, this.text.slice(a, b), this.starts.slice(a, b), this.ends.slice(a, b), at);
  }
}

/** Builds a MappedText piece by piece. */
export class MappedBuilder {
  private text = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(
    private readonly file: string,
    private readonly at: number,
  ) {}

  /** Appends `s`, every character mapped to the file span [start, end). */
  push(s: string, start: number, end: number): void {
    this.text += s;
    for (let i = 0; i < s.length; i++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  /** Appends characters [i, j) of another mapped text with their own mapping. */
  pushMapped(m: MappedText, i = 0, j = m.length): void {
    this.text += m.text.slice(i, j);
    for (let k = i; k < j; k++) {
      this.starts.push(m.starts[k]!);
      this.ends.push(m.ends[k]!);
    }
  }

  get length(): number {
    return this.text.length;
  }

  build(): MappedText {
    return new MappedText(this.file, this.text, [...this.starts], [...this.ends], this.starts[0] ?? this.at);
  }
}

/** An environment variable a word reads (`$PORT`, `${WEB_CONCURRENCY:-4}`). */
export interface EnvUse {
  readonly name: string;
  /** The value the word used for it: a `:-` default or a value the context defines (Dockerfile ENV…). */
  readonly value?: string;
  /** Where the value comes from when known. */
  readonly valueFrom?: 'default' | 'context';
}

/** One word of a command line after quote removal. */
export interface Token {
  /** The word as the program receives it; expansions without a known value stay as written (`$PORT`). */
  readonly text: string;
  /** The word as written, quotes included. */
  readonly loc: Loc;
  /** The decoded text mapped to the file (for sub-spans such as the value of `--bind=…`). */
  readonly map: MappedText;
  /** Some of it was quoted. */
  readonly quoted: boolean;
  /** Environment variables it reads. */
  readonly env: readonly EnvUse[];
  /** Part of it is only known at run time (a variable without a known value, `$(…)`, a glob…). */
  readonly dynamic: boolean;
  /** `"$@"` / `$@` / `$*`: the arguments the script was given. */
  readonly forwardsArgs?: boolean;
}

/** A token made of a plain mapped string (exec-form JSON items, YAML list items). */
export function literalToken(map: MappedText, loc: Loc, quoted: boolean): Token {
  return { text: map.text, loc, map, quoted, env: [], dynamic: false };
}

/** The location of characters [i, j) of a token's text (its whole location when out of range). */
export function subLoc(t: Token, i: number, j: number): Loc {
  if (t.map.length !== t.text.length || i < 0 || j > t.text.length || j <= i) return t.loc;
  return t.map.loc(i, j);
}

/** A sub-token: characters [i, j) of a token. */
export function subToken(t: Token, i: number, j: number): Token {
  if (t.map.length !== t.text.length) return { ...t, text: t.text.slice(i, j) };
  const map = t.map.sub(i, j);
  return {
    text: t.text.slice(i, j),
    loc: subLoc(t, i, j),
    map,
    quoted: t.quoted,
    env: t.env,
    // (a shell expansion, a glob, or a template's `{{ … }}` that a chart renders)
    dynamic: t.dynamic && /[$`*?[]|\{\{|~\{/.test(t.text.slice(i, j)),
  };
}

/**
 * `parse` kept by file and text: the language server reads the same Dockerfile and compose file
 * after every keystroke in a settings module (several rules read them), so each text is parsed
 * once. The results are shared: nothing may change them. The latest text of at most 256 files.
 */
export function memoByText<T>(parse: (file: string, text: string) => T): (file: string, text: string) => T {
  const last = new Map<string, { readonly text: string; readonly result: T }>();
  return (file, text) => {
    const kept = last.get(file);
    if (kept !== undefined && kept.text === text) return kept.result;
    const result = parse(file, text);
    if (last.size >= 256 && !last.has(file)) last.clear();
    last.set(file, { text, result });
    return result;
  };
}
