// An INI reader with the semantics of Python's `configparser`, as setuptools reads setup.cfg and
// tox reads tox.ini: `ConfigParser(interpolation=None)` with its defaults otherwise.
//
// - Lines end at `\n`, `\r\n` or `\r` (Python opens the files with universal newlines).
// - A section starts at a line whose stripped text is `[name]`: the name runs from the first `[` to
//   the last `]` (`[a]b` is `a`, `[a]]` is `a]`), spaces inside kept, case kept. `[DEFAULT]` holds
//   the defaults every section sees.
// - `key = value` and `key: value`: the key ends at the first `=` or `:`; key and value are
//   stripped; keys are lower-cased (configparser's optionxform) unless `keys: 'as-written'`
//   (setuptools sets optionxform = str).
// - A line indented deeper than the line that started the current option continues its value; an
//   empty line inside a value is kept in it; the value is joined with `\n` and its end stripped.
// - Full-line comments start with `#` or `;` after any indentation, also inside a multi-line value
//   (they are dropped from it). There are no inline comments (configparser's default, which
//   setuptools and tox keep): `a = b # c` has the value `b # c`.
// - `%` is not interpolated (tox reads without interpolation; setuptools' `%%` stays `%%` here).
// - "Whitespace" is Python's (`str.isspace`): it includes \v, \f, \x1c–\x1f, \x85 and the Unicode
//   spaces, and not U+FEFF.
//
// Errors do not stop the reading (the product reads what can be read), they are listed in
// `problems`, in the order of their lines:
// - a line before the first section that is not blank or a comment: configparser stops there
//   (MissingSectionHeaderError); here the first such line is the problem and every line up to the
//   first section is passed over;
// - a line that is neither a section nor an option (no `=` or `:`): configparser collects these and
//   raises ParsingError at the end, after reading everything else, as here; an option whose name is
//   empty (`= x`) is one of those too, and, as in configparser, is kept under the name "";
// - a section or an option (in one section) given twice: configparser's strict mode, its default,
//   raises DuplicateSectionError / DuplicateOptionError, so setuptools and tox refuse such a file.
//   The product still reads it as configparser's `strict=False` does: the sections given twice are
//   one, and an option given again replaces the earlier value (keeping its place in the order).
//   `[DEFAULT]` may be given several times (configparser allows it).
//
// The reader is one pass over the text, with string operations only: linear in its length.

export interface IniValue {
  /** The key as the section holds it (lower-cased unless `keys: 'as-written'`). */
  readonly key: string;
  /** The value: its lines joined with `\n`, stripped. */
  readonly value: string;
  /** The 1-based line of `key = …` (the last one, for a key given twice). */
  readonly line: number;
}

export interface IniSection {
  readonly name: string;
  /** The 1-based line of its first header. */
  readonly line: number;
  /** Its options, in the order configparser keeps them. */
  readonly values: ReadonlyMap<string, IniValue>;
}

export type IniProblemKind = 'missing-section-header' | 'parsing' | 'duplicate-section' | 'duplicate-option';

export interface IniProblem {
  readonly kind: IniProblemKind;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export interface IniDocument {
  /** The `[DEFAULT]` section's options. */
  readonly defaults: ReadonlyMap<string, IniValue>;
  /** Every other section, in the order of their first headers. */
  readonly sections: ReadonlyMap<string, IniSection>;
  readonly problems: readonly IniProblem[];
}

export interface IniOptions {
  /** 'lower' (configparser's default optionxform) or 'as-written' (setuptools: optionxform = str). */
  readonly keys?: 'lower' | 'as-written';
  /**
   * configparser's inline_comment_prefixes: a line is cut at the first of these characters that
   * starts it or follows whitespace (supervisord reads with `(';', '#')`). None by default.
   */
  readonly inlineComments?: readonly string[];
}

/** A line cut at its first inline comment (a prefix at its start or after whitespace), as configparser cuts it. */
function withoutInlineComment(line: string, prefixes: readonly string[]): string {
  for (let i = 0; i < line.length; i++)
    if (prefixes.includes(line[i]!) && (i === 0 || isPythonSpace(line.charCodeAt(i - 1)))) return line.slice(0, i);
  return line;
}

/** Python's `str.isspace` for a UTF-16 code unit (every such character is in the BMP). */
export function isPythonSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Python's `str.strip()`. */
export function pythonStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPythonSpace(s.charCodeAt(a))) a++;
  while (b > a && isPythonSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Python's `str.rstrip()`. */
export function pythonRstrip(s: string): string {
  let b = s.length;
  while (b > 0 && isPythonSpace(s.charCodeAt(b - 1))) b--;
  return b === s.length ? s : s.slice(0, b);
}

/** Python's `str.splitlines()` (its line boundaries: \n, \r, \r\n, \v, \f, \x1c–\x1e, \x85, U+2028, U+2029). */
export function pythonSplitlines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (
      c === 0x0a ||
      c === 0x0d ||
      c === 0x0b ||
      c === 0x0c ||
      c === 0x1c ||
      c === 0x1d ||
      c === 0x1e ||
      c === 0x85 ||
      c === 0x2028 ||
      c === 0x2029
    ) {
      out.push(s.slice(start, i));
      i += c === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      start = i;
    } else i++;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

interface OpenValue {
  key: string;
  lines: string[];
  line: number;
}

/** Reads an INI text as configparser does (see the top of this file). */
export function parseIni(text: string, options: IniOptions = {}): IniDocument {
  const lower = options.keys !== 'as-written';
  const defaults = new Map<string, OpenValue>();
  const sections = new Map<string, { name: string; line: number; values: Map<string, OpenValue> }>();
  const problems: IniProblem[] = [];
  /** Sections and options met in this text (configparser's elements_added, for the strict checks). */
  const sectionsAdded = new Set<string>();
  const optionsAdded = new Map<string, Set<string>>();
  let cursect: Map<string, OpenValue> | undefined;
  let sectname = '';
  /** The option continuation lines go to: undefined after a header, and for an option named "". */
  let current: OpenValue | undefined;
  let indentLevel = 0;
  let missingHeader = false;
  let lineno = 0;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    // the next line, without its end (\n, \r\n or \r)
    let end = pos;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 0x0a || c === 0x0d) break;
      end++;
    }
    const whole = text.slice(pos, end);
    // (a line that is a comment as a whole stays one, and is passed over below)
    const line = options.inlineComments && !/^\s*[#;]/.test(whole) ? withoutInlineComment(whole, options.inlineComments) : whole;
    pos = end < n && text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
    lineno++;
    // its first and last non-space characters
    let a = 0;
    let b = line.length;
    while (a < b && isPythonSpace(line.charCodeAt(a))) a++;
    while (b > a && isPythonSpace(line.charCodeAt(b - 1))) b--;
    if (a === b) {
      // an empty line: part of the value being read, if any
      if (cursect && current) current.lines.push('');
      continue;
    }
    const first = line.charCodeAt(a);
    // a full-line comment (inside a value too): passed over, the value goes on after it
    if (first === 0x23 /* # */ || first === 0x3b /* ; */) continue;
    const value = a === 0 && b === line.length ? line : line.slice(a, b);
    if (cursect && current && a > indentLevel) {
      current.lines.push(value);
      continue;
    }
    indentLevel = a;
    const closing = first === 0x5b /* [ */ ? value.lastIndexOf(']') : -1;
    if (closing >= 2) {
      sectname = value.slice(1, closing);
      const known = sections.get(sectname);
      if (known) {
        if (sectionsAdded.has(sectname))
          problems.push({
            kind: 'duplicate-section',
            line: lineno,
            message: `section [${sectname}] given again (first on line ${known.line})`,
          });
        cursect = known.values;
        sectionsAdded.add(sectname);
      } else if (sectname === 'DEFAULT') cursect = defaults;
      else {
        const s = { name: sectname, line: lineno, values: new Map<string, OpenValue>() };
        sections.set(sectname, s);
        sectionsAdded.add(sectname);
        cursect = s.values;
      }
      current = undefined;
      continue;
    }
    if (!cursect) {
      // only before the first section: configparser stops at the first such line
      if (!missingHeader) problems.push({ kind: 'missing-section-header', line: lineno, message: 'a line before the first [section]' });
      missingHeader = true;
      continue;
    }
    // an option: the key ends at the first delimiter
    let d = 0;
    while (d < value.length) {
      const c = value.charCodeAt(d);
      if (c === 0x3d /* = */ || c === 0x3a /* : */) break;
      d++;
    }
    if (d === value.length) {
      // configparser leaves the option being read as it was
      problems.push({ kind: 'parsing', line: lineno, message: 'neither a [section] nor a key = value line' });
      continue;
    }
    const raw = pythonRstrip(value.slice(0, d));
    if (raw === '') problems.push({ kind: 'parsing', line: lineno, message: 'an option with no name' });
    const key = lower ? raw.toLowerCase() : raw;
    let added = optionsAdded.get(sectname);
    if (!added) optionsAdded.set(sectname, (added = new Set()));
    if (added.has(key)) problems.push({ kind: 'duplicate-option', line: lineno, message: `option ${key} given again in [${sectname}]` });
    added.add(key);
    const opened: OpenValue = { key, lines: [pythonStrip(value.slice(d + 1))], line: lineno };
    cursect.set(key, opened);
    current = key === '' ? undefined : opened;
  }
  const close = (values: Map<string, OpenValue>): Map<string, IniValue> => {
    const out = new Map<string, IniValue>();
    for (const [k, v] of values)
      out.set(k, { key: k, value: pythonRstrip(v.lines.length === 1 ? v.lines[0]! : v.lines.join('\n')), line: v.line });
    return out;
  };
  const closed = new Map<string, IniSection>();
  for (const [name, s] of sections) closed.set(name, { name, line: s.line, values: close(s.values) });
  return { defaults: close(defaults), sections: closed, problems };
}

/** `key` in `section`, or in [DEFAULT] (configparser's get); the key as the document holds it. */
export function iniGet(doc: IniDocument, section: string, key: string): IniValue | undefined {
  const s = doc.sections.get(section);
  return s === undefined ? undefined : (s.values.get(key) ?? doc.defaults.get(key));
}

/** The option names of `section` with [DEFAULT]'s after them (configparser's options()). */
export function iniOptions(doc: IniDocument, section: string): IniValue[] {
  const s = doc.sections.get(section);
  if (!s) return [];
  const out = [...s.values.values()];
  for (const [k, v] of doc.defaults) if (!s.values.has(k)) out.push(v);
  return out;
}
