// Where a key of a TOML document is written, for the line a finding or a piece of evidence names
// (smol-toml gives values, not places). The document has been read by the parser already: this only
// looks for the line, one pass over the lines with string operations.
//
// A line's key path is its table header's (`[tool.poetry]`, `[[tool.poetry.packages]]`) followed by
// the dotted key before its `=`; keys may be bare, "quoted" or 'literal'. The line of a key is the
// first line whose path is the key's, else the first of those with the longest path that leads to
// it (`packages = [{ from = "lib" }]` under [tool.poetry] for tool.poetry.packages.from, a header for
// a key in an inline table), else 1. Lines inside a multi-line string or array are read as lines too:
// one that looks like a header or a key there could be taken for one (the line is only shown).

/** The key at `s[i]` (dotted, spaces around the dots allowed) and the index after it, or undefined. */
function readKey(s: string, i: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  const n = s.length;
  const skip = (): void => {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  for (;;) {
    skip();
    const c = s[i];
    if (c === '"' || c === "'") {
      // a quoted key: escapes in a "…" key are kept as written (a key path is compared, not decoded,
      // but the common ones are turned back into their characters)
      let j = i + 1;
      let part = '';
      while (j < n && s[j] !== c) {
        if (c === '"' && s[j] === '\\' && j + 1 < n) {
          const e = s[j + 1]!;
          part += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else part += s[j++];
      }
      if (j >= n) return undefined;
      parts.push(part);
      i = j + 1;
    } else {
      const start = i;
      while (i < n) {
        const k = s.charCodeAt(i);
        // A-Z a-z 0-9 _ -
        if ((k >= 65 && k <= 90) || (k >= 97 && k <= 122) || (k >= 48 && k <= 57) || k === 95 || k === 45) i++;
        else break;
      }
      if (i === start) return undefined;
      parts.push(s.slice(start, i));
    }
    skip();
    if (s[i] !== '.') return { parts, end: i };
    i++;
  }
}

/** `keys` are the first of `path` from `from` on. */
function leadsTo(keys: readonly string[], path: readonly string[], from: number): boolean {
  if (from + keys.length > path.length) return false;
  for (let k = 0; k < keys.length; k++) if (keys[k] !== path[from + k]) return false;
  return true;
}

/** The 1-based line where `path` (the keys from the document's root) is written (see above). */
export function tomlKeyLine(text: string, path: readonly string[]): number {
  /** The current table header's length, when it leads to `path` (else -1: its keys are passed over). */
  let header = 0;
  let best = 1;
  let bestLength = 0;
  let lineno = 0;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    lineno++;
    let i = 0;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (line[i] === '[') {
      const array = line[i + 1] === '[';
      const key = readKey(line, i + (array ? 2 : 1));
      if (!key || line[key.end] !== ']' || (array && line[key.end + 1] !== ']')) continue;
      header = leadsTo(key.parts, path, 0) ? key.parts.length : -1;
      if (header > bestLength) {
        best = lineno;
        bestLength = header;
        if (header === path.length) return best;
      }
      continue;
    }
    if (header < 0 || line[i] === '#' || i === line.length) continue;
    const key = readKey(line, i);
    if (!key || line[key.end] !== '=' || !leadsTo(key.parts, path, header)) continue;
    const length = header + key.parts.length;
    if (length > bestLength) {
      best = lineno;
      bestLength = length;
      if (length === path.length) return best;
    }
  }
  return best;
}
