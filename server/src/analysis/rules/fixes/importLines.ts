// What the fixes read in a file's text before adding to it: whether an import binds a name, the
// `from module import …` line to extend, whether .env.example already names a variable. The names
// are never put into a regular expression (a variable name the settings read, written into a
// pattern, was a pattern of the project's choosing); the patterns are literals that stay on one
// line: `^\s*` ran over every blank line below each line start (quadratic on a file of blank
// lines), and a statement read past its line hid the next line's. (A statement broken over lines
// without a backslash or brackets, which Python rejects, is no longer read.) The spaces before it
// are `(?:(?![\n\r\u2028\u2029])\s)*`, which V8 runs faster than [^\S\n\r\u2028\u2029], the class
// used within it.

/** `import a.b`, `import a as b`, `from m import …` at a line's start: (1) a, (2) b, (3) what follows `import`. */
const IMPORT =
  /^(?:(?![\n\r\u2028\u2029])\s)*(?:import[^\S\n\r\u2028\u2029]+(\w+)(?:\.\w+)*(?:[^\S\n\r\u2028\u2029]+as[^\S\n\r\u2028\u2029]+(\w+))?|from[^\S\n\r\u2028\u2029]+\S+[^\S\n\r\u2028\u2029]+import[^\S\n\r\u2028\u2029]+(.*))/gm;
/** `from module import …` at a line's start: (1) the module, (2) the rest of the line, (3) its names up to a `(`. */
const FROM_IMPORT =
  /^(?:(?![\n\r\u2028\u2029])\s)*from[^\S\n\r\u2028\u2029]+(\S+)[^\S\n\r\u2028\u2029]+import[^\S\n\r\u2028\u2029]+(?=([^\n]*))([^\n\r\u2028\u2029(]*)/gm;
/** A dotenv line's start: (1) its spaces, (2) `export `. */
const DOTENV_LINE = /^((?:(?![\n\r\u2028\u2029])\s)*)(export[^\S\n\r\u2028\u2029]+)?/gm;
const TO_EQUALS = /\s*=/y;

/** Whether `word` stands in `s` as a whole word (`\bword\b`, `word` being word characters). */
function hasWord(s: string, word: string): boolean {
  const isWord = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
  for (let i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) if (!isWord(s[i - 1]) && !isWord(s[i + word.length])) return true;
  return false;
}

/**
 * Whether a Python text binds `name` (word characters) with an import at a line's start:
 * `import name`, `import name.sub`, `import module as name`, `from module import … name …`.
 */
export function importBinds(text: string, name: string): boolean {
  for (const m of text.matchAll(IMPORT)) {
    if (m[1] === name || m[2] === name) return true;
    if (m[3] !== undefined && hasWord(m[3], name)) return true;
  }
  return false;
}

/** Whether a line `from module import …` at a line's start names `name` (word characters). */
export function fromImportNames(text: string, module: string, name: string): boolean {
  for (const m of text.matchAll(FROM_IMPORT)) if (m[1] === module && hasWord(m[2]!, name)) return true;
  return false;
}

/**
 * The first `from module import a, b` line at a line's start that a name can be added to (no
 * parenthesis): where its names start and what they are (without the spaces after them).
 */
export function fromImportLine(text: string, module: string): { start: number; names: string } | undefined {
  for (const m of text.matchAll(FROM_IMPORT)) {
    if (m[1] !== module || text[m.index + m[0].length] === '(') continue;
    return { start: m.index + m[0].length - m[3]!.length, names: m[3]!.trimEnd() };
  }
  return undefined;
}

/** Whether a dotenv text sets `name` on a line of its own: `NAME=`, `export NAME =`. */
export function dotenvSets(text: string, name: string): boolean {
  const setsAt = (at: number): boolean => {
    if (!text.startsWith(name, at)) return false;
    TO_EQUALS.lastIndex = at + name.length;
    return TO_EQUALS.test(text);
  };
  for (const m of text.matchAll(DOTENV_LINE)) {
    const at = m.index + m[1]!.length;
    if ((m[2] !== undefined && setsAt(at + m[2].length)) || setsAt(at)) return true;
  }
  return false;
}
