// Reading what a project's dependency files say about one package: requirement files line by line
// (with their `-r`/`-c` includes), pyproject.toml and Pipfile through a TOML parser (smol-toml),
// lock files line by line (see lockPackages), Pipfile.lock as JSON, setup.cfg's install_requires
// through the INI reader (./ini, ./setupcfg: as setuptools reads it), setup.py's install_requires,
// and `pip install` in Dockerfiles.
//
// Every reader is linear in its input and bounded: no regular expression spans lines, a file over
// MAX_DEPENDENCY_BYTES and lines over MAX_LINE are skipped, includes are followed a few levels deep
// and never outside the folder the project's files come from. What a requirement says is kept as
// its name and PEP 440 specifier only: a URL (which may carry a token) is never part of it.
import * as path from 'node:path';
import { pep440, toml } from './parsers';
import type { FileSystem } from '../../files/fs';
import type { IniDocument } from './ini';
import { parseSetupCfg, setuptoolsOption, setuptoolsRequirements } from './setupcfg';

export const MAX_DEPENDENCY_BYTES = 2 * 1024 * 1024;
const MAX_LINE = 4096;
const MAX_INCLUDE_DEPTH = 5;
const MAX_INCLUDED_FILES = 50;

/** What one place says about a package. */
export interface Requirement {
  /** The package name as written ("Django"). */
  readonly name: string;
  /**
   * A PEP 440 specifier (Poetry's `^`/`~` and bare versions already translated): "" allows any
   * release; undefined when the requirement gives no version at all that could be read (a URL).
   */
  readonly specifier: string | undefined;
  /** The release a lock file (or an `==` pin) says is installed. */
  readonly exact?: string;
  /** How the place says it, for display: `Django>=4.2,<5`, `Django 4.2.7`, `Django @ (a URL)`. */
  readonly display: string;
  /** A development or test dependency (Poetry dev groups, Pipfile dev-packages, optional-dependencies). */
  readonly dev?: boolean;
  /** The file it was read from (an included requirements file, for one that includes it). */
  readonly file: string;
}

/** PEP 503 normalised name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Text of a dependency file, or undefined when absent or too large. */
export function readBounded(fs: FileSystem, file: string): string | undefined {
  const size = fs.size(file);
  if (size !== undefined && size > MAX_DEPENDENCY_BYTES) return undefined;
  const text = fs.readText(file);
  return text !== undefined && text.length <= MAX_DEPENDENCY_BYTES ? text : undefined;
}

// ---------------------------------------------------------------------------------------------
// PEP 508 requirement strings

const NAME_CHAR = /[A-Za-z0-9._-]/;

/**
 * A wildcard on an ordering operator (`Django>=3.1.*, < 3.2`), which PEP 440 allows only with `==`
 * and `!=`: older pips took such a requirement as a legacy specifier (packaging's LegacySpecifier,
 * removed in packaging 22.0 and by pip 24.1), and the bound that decides is the other one; read
 * `>=3.1.*` as `>=3.1` rather than give up on the whole requirement.
 */
export function legacyWildcards(spec: string): string {
  return spec
    .split(',')
    .map((part) => (/^(?:>=|<=|>|<|~=)\d+(?:\.\d+)*\.\*$/.test(part) ? part.slice(0, -2) : part))
    .join(',');
}

/**
 * A PEP 508 requirement (`django[argon2]>=4.2,<5 ; python_version >= "3.10"`, `Django (>=4.2)`,
 * `django @ git+https://…`), or undefined when `text` is not one. Hand-written: linear.
 */
export function parsePep508(text: string, wanted?: string): { name: string; specifier: string | undefined; url: boolean } | undefined {
  const s = text.trim();
  if (s.length === 0 || s.length > MAX_LINE || !/[A-Za-z0-9]/.test(s[0]!)) return undefined;
  let i = 0;
  while (i < s.length && NAME_CHAR.test(s[i]!)) i++;
  const name = s.slice(0, i);
  if (wanted !== undefined && normalizeName(name) !== wanted) return undefined;
  const skipSpace = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  skipSpace();
  if (s[i] === '[') {
    const close = s.indexOf(']', i);
    if (close < 0) return undefined;
    i = close + 1;
    skipSpace();
  }
  if (s[i] === '@') return { name, specifier: undefined, url: true };
  const semi = s.indexOf(';', i);
  let spec = (semi < 0 ? s.slice(i) : s.slice(i, semi)).trim();
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1).trim();
  spec = legacyWildcards(spec.replace(/\s+/g, ''));
  if (spec !== '' && !pep440.validRange(spec)) return undefined;
  return { name, specifier: spec, url: false };
}

/** `==4.2.7` / `===4.2.7` (no wildcard): the release it pins. */
export function exactOf(specifier: string | undefined): string | undefined {
  const m = /^===?([0-9][0-9A-Za-z.!+-]*)$/.exec(specifier ?? '');
  return m && !m[1]!.includes('*') ? m[1] : undefined;
}

function fromPep508(text: string, wanted: string, file: string, dev = false): Requirement | undefined {
  const r = parsePep508(text, wanted);
  if (!r) return undefined;
  if (r.url) return { name: r.name, specifier: undefined, display: `${r.name} @ (a URL, no version)`, file, dev };
  return { name: r.name, specifier: r.specifier, exact: exactOf(r.specifier), display: `${r.name}${r.specifier}`, file, dev };
}

// ---------------------------------------------------------------------------------------------
// Poetry's constraint syntax

/** `c` (one character) is white space as JavaScript's `\s` and trim() have it. */
const isSpace = (c: string): boolean => c.trim() === '';

/**
 * The parts of one Poetry alternative: split at commas, and at spaces before an operator, a digit
 * or `*` (`>=4.2 <5`, `>=4.2, <5`); `== 4.2` stays one part. One pass, no regular expression.
 */
export function constraintParts(alt: string): string[] {
  const out: string[] = [];
  let part = '';
  let i = 0;
  while (i < alt.length) {
    const c = alt[i]!;
    if (c === ',') {
      // a comma takes the spaces after it
      out.push(part);
      part = '';
      i++;
      while (i < alt.length && isSpace(alt[i]!)) i++;
    } else if (isSpace(c)) {
      let j = i;
      while (j < alt.length && isSpace(alt[j]!)) j++;
      const next = alt[j];
      // spaces before a comma go with it; before an operator, a digit or `*` they separate
      if (next === undefined || next === ',') {
        // dropped: the part is trimmed anyway
      } else if ('<>=!~^*'.includes(next) || (next >= '0' && next <= '9')) {
        out.push(part);
        part = '';
      } else part += alt.slice(i, j);
      i = j;
    } else {
      part += c;
      i++;
    }
  }
  out.push(part);
  return out;
}

/** A Poetry constraint (`^4.2`, `~3.2`, `4.2.7`, `>=4.2 <5`, `4.2.*`, `*`) as PEP 440 alternatives (`||`). */
export function poetryToPep440(constraint: string): string[] | undefined {
  if (constraint.length > 200) return undefined;
  const out: string[] = [];
  for (const alt of constraint.split('||')) {
    const parts: string[] = [];
    // `>=4.2,<5` or `>=4.2 <5`
    for (const raw of constraintParts(alt.trim())) {
      const p = raw.trim();
      if (p === '' || p === '*') continue;
      const caret = /^\^\s*v?([0-9]+(?:\.[0-9]+)*)$/.exec(p);
      const tilde = /^~(?!=)\s*v?([0-9]+(?:\.[0-9]+)*)$/.exec(p);
      if (caret) {
        const nums = caret[1]!.split('.').map(Number);
        // the upper bound bumps the first non-zero part (or the last given one)
        let k = nums.findIndex((n) => n !== 0);
        if (k < 0 || k >= nums.length) k = nums.length - 1;
        const upper = nums.slice(0, k + 1).map((n, j) => (j === k ? n + 1 : n));
        parts.push(`>=${caret[1]}`, `<${upper.join('.')}`);
      } else if (tilde) {
        const nums = tilde[1]!.split('.').map(Number);
        const upper = nums.length === 1 ? [nums[0]! + 1] : [nums[0]!, nums[1]! + 1];
        parts.push(`>=${tilde[1]}`, `<${upper.join('.')}`);
      } else if (/^v?[0-9]/.test(p)) parts.push(`==${p.replace(/^v/, '')}`);
      else parts.push(p);
    }
    const spec = parts.join(',');
    if (spec !== '' && !pep440.validRange(spec)) return undefined;
    out.push(spec);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// requirement files

/** A requirements file's logical lines: continuations joined, comments dropped (bounded per line). */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let acc = '';
  for (const raw of text.split('\n')) {
    let l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (l.length > MAX_LINE) {
      acc = '';
      continue;
    }
    // a comment starts at `#` at the start or after whitespace (a URL fragment `#egg=` does not)
    const hash = l.search(/(^|\s)#/);
    if (hash >= 0) l = l.slice(0, hash);
    if (l.endsWith('\\')) {
      acc += l.slice(0, -1) + ' ';
      if (acc.length > MAX_LINE) acc = '';
      continue;
    }
    const full = (acc + l).trim();
    acc = '';
    if (full) out.push(full);
  }
  if (acc.trim()) out.push(acc.trim());
  return out;
}

interface RequirementsContext {
  readonly fs: FileSystem;
  /** Includes must stay inside this folder. */
  readonly top: string;
  readonly seen: Set<string>;
}

function inside(top: string, file: string): boolean {
  const rel = path.relative(top, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * What a requirements (or constraints) file says about `wanted`, following `-r`/`-c` includes.
 * Option words (`--hash=…`, `--no-binary :all:`) are dropped; `-e`/URL lines count only through
 * an `#egg=` name, and then without a version.
 */
export function readRequirementsFile(
  fs: FileSystem,
  file: string,
  wanted: string,
  top: string,
  ctx?: RequirementsContext,
  depth = 0,
): Requirement | undefined {
  const c = ctx ?? { fs, top, seen: new Set<string>() };
  if (c.seen.has(file) || c.seen.size >= MAX_INCLUDED_FILES || depth > MAX_INCLUDE_DEPTH) return undefined;
  c.seen.add(file);
  const text = readBounded(fs, file);
  if (text === undefined) return undefined;
  return readRequirementsText(text, file, wanted, c, depth);
}

export function readRequirementsText(
  text: string,
  file: string,
  wanted: string,
  ctx?: RequirementsContext,
  depth = 0,
): Requirement | undefined {
  const includes: string[] = [];
  for (const line of logicalLines(text)) {
    const words = line.split(/\s+/);
    const first = words[0]!;
    const include = /^(?:-r|-c|--requirement|--constraint)(?:=(.*))?$/.exec(first);
    if (include) {
      const target = include[1] || words[1];
      if (target) includes.push(target);
      continue;
    }
    const joined = /^(?:-r|-c)(\S+)$/.exec(first);
    if (joined) {
      includes.push(joined[1]!);
      continue;
    }
    if (first === '-e' || first === '--editable' || /^[a-z+]+:\/\//i.test(first)) {
      const egg = /#egg=([A-Za-z0-9._-]+)/.exec(line);
      if (egg && normalizeName(egg[1]!) === wanted)
        return { name: egg[1]!, specifier: undefined, display: `${egg[1]} (from a URL, no version)`, file };
      continue;
    }
    if (first.startsWith('-')) continue;
    // drop per-requirement options (`--hash=…`)
    const req = words.filter((w, i) => !(w.startsWith('--') || (i > 0 && words[i - 1] === '--hash'))).join(' ');
    const found = fromPep508(req, wanted, file);
    if (found) return found;
  }
  if (!ctx) return undefined;
  for (const inc of includes) {
    if (/^[a-z+]+:\/\//i.test(inc)) continue;
    const target = path.resolve(path.dirname(file), inc);
    if (!inside(ctx.top, target)) continue;
    const real = ctx.fs.realpath(target);
    if (real !== undefined && real !== target && !inside(ctx.fs.realpath(ctx.top) ?? ctx.top, real)) continue;
    const found = readRequirementsFile(ctx.fs, target, wanted, ctx.top, ctx, depth + 1);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// TOML files

export type Toml = Record<string, unknown>;

/** `v` when it is a TOML table. */
export function table(v: unknown): Toml | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? (v as Toml) : undefined;
}

/**
 * A TOML document, or an error message. A CRLF (a newline, wherever TOML allows one) is read as LF
 * first: inside a multi-line string it is then "\n", as Python's tomllib (what pip and most build
 * back-ends read pyproject.toml with) makes it; smol-toml would keep "\r\n".
 */
export function readToml(text: string): { doc: Toml } | { error: string } {
  try {
    return { doc: toml.parse(text.includes('\r\n') ? text.replaceAll('\r\n', '\n') : text) as Toml };
  } catch (e) {
    // the first line only: smol-toml's later lines show the text around the error
    const msg = (e as Error).message.split('\n')[0] ?? 'invalid TOML';
    return { error: msg.replace(/"[^"]*"|'[^']*'/g, '…').slice(0, 200) };
  }
}

function findInTable(t: Toml | undefined, wanted: string): [string, unknown] | undefined {
  if (!t) return undefined;
  for (const [k, v] of Object.entries(t)) if (normalizeName(k) === wanted) return [k, v];
  return undefined;
}

/** A Poetry / Pipfile dependency value: `"^4.2"`, `{ version = "…" }`, `[{ version = … }, …]`. */
function fromPoetryValue(name: string, value: unknown, file: string, dev: boolean, poetry: boolean): Requirement | undefined {
  const values = Array.isArray(value) ? value : [value];
  const specs: string[] = [];
  /** The constraints as written, those that read as constraints only (shown to the user). */
  const written: string[] = [];
  let url = false;
  for (const v of values) {
    const t = table(v);
    const raw = typeof v === 'string' ? v : typeof t?.version === 'string' ? t.version : undefined;
    if (raw === undefined) {
      if (t && (t.git || t.url || t.path || t.file)) url = true;
      continue;
    }
    const trimmed = raw.trim();
    const before = specs.length;
    if (poetry) {
      const alts = poetryToPep440(trimmed);
      if (alts) specs.push(...alts);
    } else {
      const spec = trimmed === '*' ? '' : trimmed.replace(/\s+/g, '');
      if (spec === '' || pep440.validRange(spec)) specs.push(spec);
    }
    if (specs.length > before) written.push(trimmed);
  }
  if (specs.length === 0)
    return url ? { name, specifier: undefined, display: `${name} (from a URL or path, no version)`, file, dev } : undefined;
  // alternatives (`^3.2 || ^4.2`, several markers): the newest any of them allows is what counts;
  // kept as `||` for newestAllowed
  const specifier = specs.includes('') ? '' : specs.join('||');
  // as written: `Django ^3.2`, `django ==3.2.5` (several constraints joined by ||)
  const shown = `${name} ${written.map((w) => w.trim().slice(0, 80)).join(' || ')}`;
  return { name, specifier, exact: specs.length === 1 ? exactOf(specs[0]) : undefined, display: shown, file, dev };
}

/** What pyproject.toml (PEP 621, Poetry, PDM/uv dependency groups) or a Pipfile says about `wanted`. */
export function readTomlDependencies(
  text: string,
  file: string,
  wanted: string,
  cache?: Map<string, unknown>,
): Requirement | { error: string } | undefined {
  let parsed = cache?.get(file) as ReturnType<typeof readToml> | undefined;
  if (!parsed) {
    parsed = readToml(text);
    cache?.set(file, parsed);
  }
  if ('error' in parsed) return parsed;
  const doc = parsed.doc;
  const candidates: Requirement[] = [];
  const project = table(doc.project);
  const pep621 = (list: unknown, dev: boolean): void => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const r = fromPep508(item, wanted, file, dev);
      if (r) candidates.push(r);
    }
  };
  pep621(project?.dependencies, false);
  // Poetry
  const poetry = table(table(doc.tool)?.poetry);
  const main = findInTable(table(poetry?.dependencies), wanted);
  if (main) {
    const r = fromPoetryValue(main[0], main[1], file, false, true);
    if (r) candidates.push(r);
  }
  const devTables = [
    table(poetry?.['dev-dependencies']),
    ...Object.values(table(poetry?.group) ?? {}).map((g) => table(table(g)?.dependencies)),
  ];
  for (const t of devTables) {
    const d = findInTable(t, wanted);
    const r = d && fromPoetryValue(d[0], d[1], file, true, true);
    if (r) candidates.push(r);
  }
  // Pipfile
  const pip = findInTable(table(doc.packages), wanted);
  if (pip) {
    const r = fromPoetryValue(pip[0], pip[1], file, false, false);
    if (r) candidates.push(r);
  }
  const pipDev = findInTable(table(doc['dev-packages']), wanted);
  if (pipDev) {
    const r = fromPoetryValue(pipDev[0], pipDev[1], file, true, false);
    if (r) candidates.push(r);
  }
  // optional dependencies, dependency groups (PEP 735), PDM dev dependencies: development at best
  for (const list of Object.values(table(project?.['optional-dependencies']) ?? {})) pep621(list, true);
  for (const list of Object.values(table(doc['dependency-groups']) ?? {})) pep621(list, true);
  for (const list of Object.values(table(table(table(doc.tool)?.pdm)?.['dev-dependencies']) ?? {})) pep621(list, true);
  return candidates.find((c) => !c.dev) ?? candidates[0];
}

type LockEntry = { readonly name: string; readonly version: string; readonly dev: boolean };

/**
 * Every package a lock file pins, by normalised name: Pipfile.lock as JSON (its `default`, then
 * `develop`); poetry.lock, uv.lock and pdm.lock line by line — they are generated, one
 * `[[package]]` table each with `name = "…"` and `version = "…"` lines before its sub-tables — which
 * is linear and several times faster than parsing a multi-megabyte lock file as TOML.
 */
export function lockPackages(text: string): Map<string, LockEntry> | { error: string } {
  const out = new Map<string, LockEntry>();
  if (text.trimStart().startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      // not the parser's message: V8 quotes the text around the error, which may hold an index URL's password
      return { error: 'not valid JSON' };
    }
    for (const [section, dev] of [
      ['default', false],
      ['develop', true],
    ] as const) {
      for (const [name, entry] of Object.entries(table(table(doc)?.[section]) ?? {})) {
        const version = table(entry)?.version;
        const key = normalizeName(name);
        if (typeof version === 'string' && /^===?[0-9]/.test(version) && !out.has(key))
          out.set(key, { name, version: version.replace(/^===?/, ''), dev });
      }
    }
    return out;
  }
  let inPackage = false;
  let name: string | undefined;
  let version: string | undefined;
  const flush = (): void => {
    if (name !== undefined && version !== undefined && !out.has(normalizeName(name)))
      out.set(normalizeName(name), { name, version, dev: false });
    name = version = undefined;
  };
  for (const raw of text.split('\n')) {
    // only table headers and the name/version lines matter: a first-character test skips the rest
    const c = raw.charCodeAt(0);
    if (c !== 91 /* [ */ && c !== 110 /* n */ && c !== 118 /* v */ && c !== 32 && c !== 9) continue;
    const line = raw.length > MAX_LINE ? '' : raw.trim();
    if (line.startsWith('[')) {
      flush();
      inPackage = line === '[[package]]';
      continue;
    }
    if (!inPackage || !(line.startsWith('name') || line.startsWith('version'))) continue;
    const m = /^(name|version)\s*=\s*"([^"\\]*)"\s*(#.*)?$/.exec(line);
    if (!m) continue;
    if (m[1] === 'name') name ??= m[2];
    else version ??= m[2];
  }
  flush();
  return out;
}

/** The release a lock file says is installed (see lockPackages). `cache` keeps the file's packages between names. */
export function readLockFile(
  text: string,
  file: string,
  wanted: string,
  cache?: Map<string, unknown>,
): Requirement | { error: string } | undefined {
  let packages = cache?.get(file) as ReturnType<typeof lockPackages> | undefined;
  if (!packages) {
    packages = lockPackages(text);
    cache?.set(file, packages);
  }
  if (!(packages instanceof Map)) return packages;
  const p = packages.get(wanted);
  return p && { name: p.name, specifier: `==${p.version}`, exact: p.version, display: `${p.name} ${p.version}`, file, dev: p.dev };
}

// ---------------------------------------------------------------------------------------------
// setup.cfg, setup.py

/**
 * `[options] install_requires` of a setup.cfg, read as setuptools reads it (./setupcfg: configparser's
 * INI, then setuptools' list of requirement strings). A file configparser would refuse (a line
 * that is no option, a key given twice) is still read: its sections given twice are one, a key given
 * again wins. `cache` keeps the file's document between the packages asked for.
 */
export function readSetupCfg(text: string, file: string, wanted: string, cache?: Map<string, unknown>): Requirement | undefined {
  const key = `setupcfg:${file}`;
  let doc = cache?.get(key) as IniDocument | undefined;
  if (!doc) {
    doc = parseSetupCfg(text);
    cache?.set(key, doc);
  }
  const value = setuptoolsOption(doc, 'options', 'install_requires');
  if (!value) return undefined;
  for (const line of setuptoolsRequirements(value.value)) {
    const r = fromPep508(line, wanted, file);
    if (r) return r;
  }
  return undefined;
}

/** The string literals in `install_requires=[…]` of a setup.py (a linear scan, no evaluation). */
export function readSetupPy(text: string, file: string, wanted: string): Requirement | undefined {
  // `install_requires=[` or `"install_requires": [` (a name such as `install_requires=REQS` is not read)
  const m = /install_requires["']?[ \t]*[=:][ \t\r\n]{0,200}\[/.exec(text);
  if (!m) return undefined;
  const open = m.index + m[0].length - 1;
  let i = open + 1;
  const limit = Math.min(text.length, open + 100_000);
  while (i < limit && text[i] !== ']') {
    const q = text[i];
    if (q === '"' || q === "'") {
      const end = text.indexOf(q, i + 1);
      if (end < 0) return undefined;
      const r = fromPep508(text.slice(i + 1, end), wanted, file);
      if (r) return r;
      i = end + 1;
    } else if (q === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? limit : nl;
    } else i++;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles

/** `RUN pip install django==4.2 …` (pip, pip3, python -m pip, uv pip) in a Dockerfile. */
export function readDockerfile(text: string, file: string, wanted: string): Requirement | undefined {
  let acc = '';
  const lines = text.split('\n');
  for (let n = 0; n <= lines.length; n++) {
    let l = n < lines.length ? lines[n]! : '';
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l.length > MAX_LINE) {
      acc = '';
      continue;
    }
    if (/^\s*#/.test(l)) continue;
    if (l.endsWith('\\') && n < lines.length) {
      acc += l.slice(0, -1) + ' ';
      if (acc.length > 4 * MAX_LINE) acc = '';
      continue;
    }
    const logical = acc + l;
    acc = '';
    if (!/\binstall\b/.test(logical)) continue;
    for (const command of logical.split(/&&|\|\||;/)) {
      const words = command
        .trim()
        .split(/\s+/)
        .map((w) => w.replace(/^["']|["']$/g, ''));
      const at = words.findIndex((w, i) => w === 'install' && i > 0 && /(^|\/)pip[0-9.]*$/.test(words[i - 1]!));
      if (at < 0) continue;
      for (let i = at + 1; i < words.length; i++) {
        const w = words[i]!;
        if (w.startsWith('-')) {
          // options that take a value
          if (
            /^(-r|-c|-e|-i|--requirement|--constraint|--index-url|--extra-index-url|-f|--find-links|-t|--target|--prefix|--root)$/.test(w)
          )
            i++;
          continue;
        }
        const r = fromPep508(w, wanted, file);
        if (r) return r;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// the `django-admin startproject` header

/** `Generated by 'django-admin startproject' using Django 4.2.7.` in the first lines of a settings module. */
export function startprojectHeader(text: string): string | undefined {
  const head = text.slice(0, 2000);
  const m = /Generated by 'django-admin startproject' using Django ([0-9]+\.[0-9]+(?:\.[0-9]+)?)/.exec(head);
  return m?.[1];
}
