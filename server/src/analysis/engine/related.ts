// What ties a project's findings to other places, made once the rules have run and the findings are
// final (findings.ts calls it last): the editor shows these as links (LSP relatedInformation, the
// checklist's rows), the messages say them in words.
//
// - Each file a message names (`docker/single/Dockerfile:47`, `docker/compose/nginx.conf`) is a
//   related place: the file at that line.
// - A finding that follows from another says so and links to it: with DEBUG on in production
//   (DDH107), what the settings add only `if DEBUG:` (the debug toolbar's app and middleware, the
//   middleware order it upsets) goes when DEBUG is off, so those findings are its consequences.
// - Findings about settings never set that land on one place say which modules were searched once
//   (on the first of them), and name only settings modules: not a module the settings import for
//   something else (a message-queue helper), not the test or development settings an `if` the
//   analysis cannot decide may import.
import { shownPath } from '../base/relPath';
import * as nodePath from 'node:path';
import type { ModuleResult } from '../eval/scope';
import type { Loc } from '../eval/values';
import * as V from '../eval/values';
import type { ProductionMount } from '../models/process/index';
import type { DjangoProject } from '../models/project/model';
import { roleByName } from '../models/project/roles';
import type { Settings } from '../models/settings/settings';
import { field, findNode, type PyNode } from '../parse/ast';
import type { PythonDocument } from '../parse/pythonDocument';
import type { Finding, RelatedPlace } from '../rules/types';

/** The cause other findings may follow from: DEBUG on in production. */
const DEBUG_ON = 'DDH107';

/**
 * The modules a never-set finding says were searched: the production module and the settings
 * modules whose names production reads, never a module for tests or development by its name (an
 * `if` the analysis cannot decide may import `testing.py`), never one that is no settings module
 * (a helper the settings import a class from) unless production takes settings from it.
 */
export function searchedFiles(project: DjangoProject, settings: Settings | undefined, files: ReadonlySet<string>): Set<string> {
  const prod = project.production?.module.file;
  const settingsFiles = new Set(project.settingsModules.map((m) => m.file));
  const giving = new Set<string>();
  settings?.module.scope.vars.forEach((b, name) => {
    if (b.stmt && name === name.toUpperCase() && name !== name.toLowerCase()) giving.add(b.stmt.file);
  });
  const out = new Set<string>();
  for (const f of files) {
    if (f === prod) {
      out.add(f);
      continue;
    }
    if (!settingsFiles.has(f) && !giving.has(f)) continue;
    const stem = nodePath.basename(f, '.py');
    const role = roleByName(stem === '__init__' ? nodePath.basename(nodePath.dirname(f)) : stem);
    if (role === 'test' || role === 'development') continue;
    out.add(f);
  }
  return out;
}

/** The note a never-set finding gets: the settings modules searched, when more than one. */
export function searchedNoteOf(
  project: DjangoProject,
  settings: Settings | undefined,
  evaluation: ModuleResult | undefined,
  mounts: ReadonlyMap<string, ProductionMount>,
): string | undefined {
  if (!evaluation) return undefined;
  const files = searchedFiles(project, settings, evaluation.files);
  return files.size > 1 ? searchedNote(project.shownRoot, files, mounts) : undefined;
}

/** "Searched settings/production.py and settings/base.py." for the modules an evaluation read. */
export function searchedNote(root: string, files: ReadonlySet<string>, mounts: ReadonlyMap<string, ProductionMount> = new Map()): string {
  const names = [...files].map((f) => {
    const rel = nodePath.relative(root, f).split(nodePath.sep).join('/');
    const m = mounts.get(f);
    return m && !m.real ? `${rel} (${m.from})` : rel;
  });
  const shown = names.length > 5 ? [...names.slice(0, 4), `${names.length - 4} more`] : names;
  return shown.length === 1 ? `Searched ${shown[0]}.` : `Searched ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}.`;
}

export interface RelateInput {
  readonly project: DjangoProject;
  readonly settings: Settings | undefined;
  readonly evaluation: ModuleResult | undefined;
  /** The "Searched …" note never-set findings got (findings.ts), to say once per place. */
  readonly searched: string | undefined;
  readonly fileText: (file: string) => string | undefined;
  readonly exists: (file: string) => boolean;
  readonly document: (file: string) => PythonDocument | undefined;
}

/** Ties the findings (final, sorted) to the places above, in place. */
export function relateFindings(findings: Finding[], input: RelateInput): void {
  if (findings.length === 0) return;
  // (a narrowed range may start before the literal it was on: `"default": {`; the order is kept by place)
  if (narrowRanges(findings, input.fileText))
    findings.sort((a, b) =>
      a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.start - b.loc.start || (a.code < b.code ? -1 : 1),
    );
  if (input.searched) searchedOnce(findings, input.searched);
  followDebug(findings, input);
  const p = input.project;
  const refs = new FileReferences([p.shownRoot, p.root, ...(p.repositoryRoot ? [p.repositoryRoot] : [])], input.exists, input.fileText);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    // a line the finding already links to (the cause it follows from) is not linked twice
    const linked = f.related ?? [];
    const named = refs
      .of(f.message, f.loc)
      .filter((n) => !linked.some((r) => r.loc.file === n.loc.file && n.loc.start <= r.loc.start && r.loc.start <= n.loc.end));
    if (named.length > 0) findings[i] = { ...f, related: [...(f.related ?? []), ...named] };
  }
}

/** The note on the first finding of each place only (the findings are sorted by place). */
function searchedOnce(findings: Finding[], note: string): void {
  const noted = new Set<string>();
  const suffix = ` ${note}`;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const at = f.message.indexOf(suffix);
    if (at < 0) continue;
    const place = `${f.loc.file}:${f.loc.start}:${f.loc.end}`;
    if (!noted.has(place)) {
      noted.add(place);
      continue;
    }
    findings[i] = { ...f, message: f.message.slice(0, at) + f.message.slice(at + suffix.length) };
  }
}

// ---- ranges on the name that causes a finding ----------------------------------------------------

/**
 * A finding is underlined on the name or key that causes it, never on a whole multi-line literal or
 * call: `MIDDLEWARE = [` … `]` → `MIDDLEWARE`, `"default": {` … `}` → `"default"`,
 * `migrations.AddField(` … `)` → `migrations.AddField`, `class Base(…):` … → `Base`; else its first
 * line. Findings on one line keep their range.
 */
function narrowRanges(findings: Finding[], fileText: (file: string) => string | undefined): boolean {
  let narrowed = false;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (f.loc.end <= f.loc.start) continue;
    const text = fileText(f.loc.file);
    if (text === undefined) continue;
    const nl = text.indexOf('\n', f.loc.start);
    if (nl < 0 || nl >= f.loc.end) continue;
    const loc = nameOf(f.loc.file, text, f.loc.start, nl);
    if (!loc) continue;
    findings[i] = { ...f, loc };
    narrowed = true;
  }
  return narrowed;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /\w/;

/** The name a multi-line range starting at `start` (its line ending at `lineEnd`) is about. */
function nameOf(file: string, text: string, start: number, lineEnd: number): Loc | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start).trimEnd();
  // `NAME = [` / `NAME: list = [`: the assignment's target
  if (before.endsWith('=') && !before.endsWith('==')) {
    let k = 0;
    while (k < before.length && (before[k] === ' ' || before[k] === '\t')) k++;
    let e = k;
    while (e < before.length && NAME_PART.test(before[e]!)) e++;
    if (e > k && NAME_START.test(before[k]!)) return { file, start: lineStart + k, end: lineStart + e };
  }
  // `"default": {`: the key
  if (before.endsWith(':')) {
    const key = before.slice(0, -1).trimEnd();
    const quote = key[key.length - 1];
    if (quote === '"' || quote === "'") {
      const open = key.lastIndexOf(quote, key.length - 2);
      if (open >= 0) return { file, start: lineStart + open, end: lineStart + key.length };
    }
  }
  const first = text.slice(start, lineEnd).trimEnd();
  // `class Base(Configuration):`: the class's name
  if (first.startsWith('class ')) {
    let k = 6;
    while (first[k] === ' ') k++;
    let e = k;
    while (e < first.length && NAME_PART.test(first[e]!)) e++;
    if (e > k) return { file, start: start + k, end: start + e };
  }
  // `migrations.AddField(`: the callee
  let e = 0;
  while (e < first.length && (NAME_PART.test(first[e]!) || first[e] === '.')) e++;
  if (e > 0 && first[e] === '(' && NAME_START.test(first[0]!)) return { file, start, end: start + e };
  return first.length > 0 ? { file, start, end: start + first.length } : undefined;
}

// ---- what follows from DEBUG ---------------------------------------------------------------------

const readsDebug = (n: PyNode | undefined): boolean =>
  !!n && findNode(n, (k) => k.type === 'identifier' && k.text === 'DEBUG') !== undefined;

/** The bodies of the `if` statements on DEBUG in a module (offsets in the file): what DEBUG on adds. */
function debugBodies(doc: PythonDocument): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const c of doc.chunks) for (const b of chunkDebugBodies(c.node)) out.push({ start: c.base + b.start, end: c.base + b.end });
  return out;
}

/**
 * The bodies of one top-level statement (offsets in it), kept per syntax tree: a tree is never
 * changed (an edit makes a new one), and after a keystroke all statements but one are the same.
 */
const bodiesByChunk = new WeakMap<PyNode, readonly { start: number; end: number }[]>();
function chunkDebugBodies(node: PyNode): readonly { start: number; end: number }[] {
  const kept = bodiesByChunk.get(node);
  if (kept) return kept;
  const out: { start: number; end: number }[] = [];
  const visit = (n: PyNode): void => {
    if (n.type === 'function_definition' || n.type === 'class_definition') return;
    if (n.type === 'if_statement' || n.type === 'elif_clause') {
      const cond = field(n, 'condition');
      const body = field(n, 'consequence');
      // `if DEBUG:`, `if settings.DEBUG and …:` — not `if not DEBUG:`
      if (body && readsDebug(cond) && cond!.type !== 'not_operator') out.push({ start: body.start, end: body.end });
    }
    for (const k of n.children) visit(k);
  };
  visit(node);
  bodiesByChunk.set(node, out);
  return out;
}

/**
 * With DEBUG on in production (a DDH107 finding), the findings about what the settings add only
 * under `if DEBUG:` follow from it: placed in such a block, or naming an app or middleware added
 * there (the middleware order the toolbar's middleware upsets).
 */
function followDebug(findings: Finding[], input: RelateInput): void {
  const cause = findings.find((f) => f.code === DEBUG_ON);
  const settings = input.settings;
  if (!cause || !settings) return;
  const bodies = new Map<string, { start: number; end: number }[]>();
  for (const file of settings.module.files) {
    const doc = input.document(file);
    const b = doc ? debugBodies(doc) : [];
    if (b.length > 0) bodies.set(file, b);
  }
  if (bodies.size === 0) return;
  const inBody = (loc: Loc): boolean => (bodies.get(loc.file) ?? []).some((b) => b.start <= loc.start && loc.end <= b.end);
  // the apps and middleware added under `if DEBUG:`, by their dotted path and their last name
  const added = new Set<string>();
  for (const name of ['INSTALLED_APPS', 'MIDDLEWARE']) {
    const v = settings.get(name).value;
    if (!V.isSeq(v)) continue;
    for (const item of v.items) {
      const loc = settings.locOf(item);
      if (item.kind !== 'str' || !loc || !inBody(loc)) continue;
      added.add(item.v);
      const last = item.v.slice(item.v.lastIndexOf('.') + 1);
      if (/^[A-Z]\w{5,}$/.test(last)) added.add(last);
    }
  }
  const where = (loc: Loc): string => {
    const text = input.fileText(loc.file) ?? '';
    let line = 1;
    for (let i = 0; i < loc.start && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return `${shownPath(input.project, loc.file)}:${line}`;
  };
  const causeAt = where(cause.loc);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (f === cause || f.follows || f.code === 'DDG310') continue;
    const follows = inBody(f.loc) || [...added].some((a) => mentions(f.message, a));
    if (!follows) continue;
    findings[i] = {
      ...f,
      message: `${f.message} It follows from DEBUG being on (${DEBUG_ON}, ${causeAt}) and goes when DEBUG is off.`,
      follows: { code: cause.code, loc: cause.loc },
      related: [...(f.related ?? []), { loc: cause.loc, message: `${DEBUG_ON}: DEBUG is on in production (the cause of this finding)` }],
    };
  }
}

/** Whether a message names `word` as a whole (not as part of a longer dotted name or word). */
function mentions(message: string, word: string): boolean {
  const isPart = (c: string | undefined): boolean => c !== undefined && (c === '.' || c === '_' || /\w/.test(c));
  for (let i = message.indexOf(word); i >= 0; i = message.indexOf(word, i + 1)) {
    const after = message[i + word.length];
    if (!isPart(message[i - 1]) && !(isPart(after) && !(after === '.' && !isPart(message[i + word.length + 1])))) return true;
  }
  return false;
}

// ---- the files a message names -------------------------------------------------------------------

/** A word that may name a file: a path with folders, a name with an extension, or a known bare name; `:line` after it. */
const PATH_TOKEN = /[\w.@+-]+(?:\/[\w.@+-]+)*(?::\d+)?/g;
const BARE_NAMES = new Set(['Dockerfile', 'Containerfile', 'Procfile', 'Makefile', 'Caddyfile', 'Pipfile', 'Justfile', 'Vagrantfile']);

/** The files the messages of one project name, looked up once each (also for the editor's rows: lsp/handlers/checklist.ts). */
export class FileReferences {
  private readonly found = new Map<string, string | null>();

  constructor(
    /** The folders a path in a message is relative to: the project's root, then the repository's. */
    private readonly roots: readonly string[],
    private readonly exists: (file: string) => boolean,
    private readonly fileText: (file: string) => string | undefined,
  ) {}

  /** The file a word names, when it is one of the workspace's files. */
  private file(word: string): string | undefined {
    let hit = this.found.get(word);
    if (hit === undefined) {
      hit = null;
      for (const root of this.roots) {
        const file = nodePath.resolve(root, word);
        if (this.exists(file)) {
          hit = file;
          break;
        }
      }
      this.found.set(word, hit);
    }
    return hit ?? undefined;
  }

  /** The places a message names, but the finding's own line (`own`, when the message is a finding's). */
  of(message: string, own?: Loc): RelatedPlace[] {
    const out: RelatedPlace[] = [];
    const seen = new Set<string>();
    for (const m of message.matchAll(PATH_TOKEN)) {
      const before = message.slice(Math.max(0, m.index - 3), m.index);
      if (before.endsWith('/') || before.endsWith(':')) continue; // inside a URL
      let word = m[0];
      let line: number | undefined;
      const colon = word.lastIndexOf(':');
      if (colon > 0) {
        line = Number(word.slice(colon + 1));
        word = word.slice(0, colon);
      }
      while (word.endsWith('.')) word = word.slice(0, -1);
      if (!word.includes('/') && !/\.[A-Za-z][\w-]*$/.test(word) && !BARE_NAMES.has(word) && !/^Dockerfile[-_.]/.test(word)) continue;
      const file = this.file(word);
      if (!file) continue;
      const loc = line !== undefined ? lineLoc(file, this.fileText(file), line) : { file, start: 0, end: 0 };
      if (!loc) continue;
      const key = `${loc.file}:${loc.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // the finding's own file (a config naming itself), its own line: no link to where the reader is
      if (own && loc.file === own.file && (line === undefined || (loc.start <= own.start && own.start <= loc.end))) continue;
      out.push({ loc, message: line !== undefined ? `${word}:${line}` : word });
    }
    // a file named both alone and at a line (`Dockerfile:44 … the Dockerfile`) is one place: its line
    const atLine = new Set(out.filter((p) => /:\d+$/.test(p.message)).map((p) => p.loc.file));
    return out.filter((p) => /:\d+$/.test(p.message) || !atLine.has(p.loc.file));
  }
}

/** A line of a file (1-based) from its first non-blank character to its end; undefined past its end. */
function lineLoc(file: string, text: string | undefined, line: number): Loc | undefined {
  if (text === undefined || line < 1) return undefined;
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\r')) end--;
  return { file, start, end };
}
