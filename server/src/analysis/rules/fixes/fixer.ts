// Builds the quick fixes rules attach to their findings, in the project's own style:
// - values rewritten to environment loading the way the module (or project) already loads them:
//   os.environ, django-environ's env(...) or python-decouple's config(...), with the variable name
//   following the project's naming (an existing DJANGO_ prefix…); secrets become required (no
//   default), DEBUG defaults to False, host lists to empty;
// - settings inserted where they belong: the production module, inside its `if not DEBUG:` block
//   when that is the project's pattern;
// - `# noqa: CODE` for "disable for this line"; the variable name (never the value) for .env.example.
// A fix that cannot be made safely (the value is not a plain `NAME = value` assignment…) is not
// offered: the builders return undefined.
import * as path from 'node:path';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { PythonDocument } from '../../parse/pythonDocument';
import type { Binding, ModuleResult } from '../../eval/scope';
import type { Loc, Value } from '../../eval/values';
import type { DjangoProject } from '../../models/project/model';
import type { SettingValue } from '../settings';
import type { Fix, FixSafety, TextEdit } from './types';
import type { FileView } from '../../files/view';
import { indentUnit, lineEnding } from './edits';
import { dotenvSets, fromImportLine, fromImportNames, importBinds } from './importLines';

export type EnvKind = 'secret' | 'bool' | 'list' | 'str' | 'int';

export type EnvStyleName = 'os' | 'environ' | 'decouple';

interface EnvStyle {
  readonly name: EnvStyleName;
  /** The name to call: `env` for django-environ, `config` for decouple, `os` for os. */
  readonly handle: string;
  /** Edits that make the handle available in the file (imports, `env = environ.Env()`). */
  readonly setup: TextEdit[];
}

/**
 * `# noqa: A1, B2` up to its last code (where a fix adds one). The spaces after the colon are read
 * once (possessive: `\s*` beside the codes' own spaces was tried at each split of a run); as before,
 * the last character needs a space, a comma or a code character before it.
 */
export const NOQA_CODES = /#\s*noqa\s*:(?=(\s*))\1[A-Z0-9, ]*[A-Z0-9](?<=[A-Z0-9, ][A-Z0-9])/i;

/** What may follow an argument on its own line: its comma and a comment (the comma's spaces read once). */
export const REST_OF_ARGUMENT_LINE = /^\s*(?:,[ \t]*)?(?:#.*)?\r?$/;

/** Where a statement of a document is: the chunk holding it and the node. */
interface Located {
  readonly doc: PythonDocument;
  readonly base: number;
  readonly node: PyNode;
}

export class Fixer {
  private envNamesCache: string[] | undefined;

  constructor(
    private readonly ws: FileView,
    private readonly project: DjangoProject,
    private readonly modules: ReadonlyMap<string, ModuleResult>,
    private readonly productionFile: string | undefined,
    /** False when no fix will be shown: the builders then return nothing, at no cost. */
    private readonly enabled = true,
  ) {}

  // ---- naming ----------------------------------------------------------------------------------

  /** Environment variable names the project already reads. */
  envNames(): string[] {
    if (this.envNamesCache) return this.envNamesCache;
    const names = new Set<string>();
    const visit = (v: Value, depth: number): void => {
      if (depth > 5) return;
      for (const e of v.env ?? []) names.add(e.name);
      if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') v.items.forEach((i) => visit(i, depth + 1));
      else if (v.kind === 'dict') v.values.forEach((i) => visit(i, depth + 1));
    };
    for (const m of this.modules.values()) for (const b of m.scope.vars.values()) visit(b.value, 0);
    this.envNamesCache = [...names].filter((n) => n !== 'DJANGO_SETTINGS_MODULE');
    return this.envNamesCache;
  }

  /** The variable name for a setting: the one the project already uses, else its naming convention. */
  envVarName(setting: string): string {
    const names = this.envNames();
    const existing = names.find((n) => n === setting || n === `DJANGO_${setting}`);
    if (existing) return existing;
    const prefixed = names.filter((n) => n.startsWith('DJANGO_')).length;
    const prefix = names.length === 0 || prefixed * 2 >= names.length ? 'DJANGO_' : '';
    return prefix + setting;
  }

  // ---- locating statements ---------------------------------------------------------------------

  /**
   * The node written exactly at `loc`: the outermost one (a statement), or with `innermost` the
   * deepest of the nodes spanning the same text (the call inside an expression statement).
   */
  private locate(loc: Loc | undefined, innermost = false): Located | undefined {
    if (!loc) return undefined;
    const doc = this.ws.document(loc.file);
    if (!doc) return undefined;
    const find = (node: PyNode, base: number): PyNode | undefined => {
      if (base + node.start === loc.start && base + node.end === loc.end) {
        if (!innermost) return node;
        const same = node.children.find((c) => c.named && base + c.start === loc.start && base + c.end === loc.end);
        return same ? find(same, base) : node;
      }
      for (const c of node.children) {
        if (base + c.start <= loc.start && base + c.end >= loc.end) {
          const hit = find(c, base);
          if (hit) return hit;
        }
      }
      return undefined;
    };
    for (const chunk of doc.chunks) {
      if (chunk.base <= loc.start && chunk.base + chunk.node.end >= loc.end) {
        const node = find(chunk.node, chunk.base);
        if (node) return { doc, base: chunk.base, node };
      }
    }
    return undefined;
  }

  /**
   * The right-hand side of a plain `NAME = value` (or `NAME: T = value`) assignment statement, or
   * undefined for anything else (chained, unpacking, augmented, subscript targets…).
   */
  rhsOf(binding: Binding | undefined): Loc | undefined {
    const stmt = this.locate(binding?.stmt);
    if (!stmt || stmt.node.type !== 'expression_statement' || stmt.node.error) return undefined;
    const assignment = namedChildren(stmt.node)[0];
    if (assignment?.type !== 'assignment') return undefined;
    const left = field(assignment, 'left');
    const right = field(assignment, 'right');
    if (left?.type !== 'identifier' || !right || right.type === 'assignment') return undefined;
    return { file: binding!.stmt!.file, start: stmt.base + right.start, end: stmt.base + right.end };
  }

  // ---- environment style ---------------------------------------------------------------------

  private text(file: string): string | undefined {
    return this.ws.text(file);
  }

  /** Which style the project mostly uses to read the environment. */
  private projectStyle(): EnvStyleName {
    const counts: Record<string, number> = { os: 0, environ: 0, decouple: 0 };
    for (const m of this.modules.values()) {
      const t = this.text(m.ref.file) ?? '';
      // at a line's start after spaces (^\s* let the spaces run over blank lines: quadratic on many of them)
      if (/^(?:(?![\n\r\u2028\u2029])\s)*(?:import environ\b|from environ import)/m.test(t)) counts.environ! += 2;
      if (/^(?:(?![\n\r\u2028\u2029])\s)*(?:from decouple import|import decouple\b)/m.test(t)) counts.decouple! += 2;
      counts.os! += (t.match(/os\.(environ|getenv)/g) ?? []).length > 0 ? 1 : 0;
    }
    if (counts.environ! >= Math.max(counts.decouple!, 1)) return 'environ';
    if (counts.decouple! > 0) return 'decouple';
    return 'os';
  }

  /** A handle bound in `file` before `offset`, or available from its star imports. */
  private handleIn(file: string, offset: number, want: EnvStyleName): string | undefined {
    const mod = this.modules.get(file);
    if (!mod) return undefined;
    for (const [name, b] of mod.scope.vars) {
      const v = b.value;
      if (v.kind !== 'object' || v.tag !== 'fn') continue;
      const d = v.data as { name?: string; schemes?: unknown };
      const isEnviron = d.name === 'environ.Env' && d.schemes !== undefined;
      const isDecouple = d.name === 'decouple.config';
      if ((want === 'environ' && isEnviron) || (want === 'decouple' && isDecouple)) {
        if (!b.target || b.target.file !== file || b.target.start < offset) return name;
      }
    }
    return undefined;
  }

  private styleFor(file: string, offset: number): EnvStyle | undefined {
    const text = this.text(file);
    if (text === undefined) return undefined;
    const preferred = this.projectStyle();
    const order: EnvStyleName[] = [preferred, ...(['environ', 'decouple', 'os'] as EnvStyleName[]).filter((s) => s !== preferred)];
    // A handle already available in the file wins, in the project's preferred order.
    for (const s of order) {
      if (s === 'os') continue;
      const handle = this.handleIn(file, offset, s);
      if (handle) return { name: s, handle, setup: [] };
    }
    if (preferred === 'environ') {
      const setup = this.ensureImport(file, 'environ', 'import environ');
      const eol = lineEnding(text);
      const at = this.afterImports(file);
      return { name: 'environ', handle: 'env', setup: [...setup, { file, start: at, end: at, newText: `env = environ.Env()${eol}` }] };
    }
    if (preferred === 'decouple') return { name: 'decouple', handle: 'config', setup: this.ensureFromImport(file, 'decouple', 'config') };
    return { name: 'os', handle: 'os', setup: this.ensureImport(file, 'os', 'import os') };
  }

  // ---- imports ---------------------------------------------------------------------------------

  /** Offset just after the module docstring, `from __future__` imports and other imports. */
  private afterImports(file: string): number {
    const doc = this.ws.document(file);
    if (!doc) return 0;
    let at = 0;
    for (const chunk of doc.chunks) {
      const n = chunk.node;
      const isDocstring = at === 0 && n.type === 'expression_statement' && namedChildren(n)[0]?.type === 'string';
      if (
        isDocstring ||
        n.type === 'import_statement' ||
        n.type === 'import_from_statement' ||
        n.type === 'future_import_statement' ||
        n.type === 'comment'
      ) {
        at = this.lineEndAfter(doc.text, chunk.base + n.end);
        continue;
      }
      break;
    }
    return at;
  }

  private lineEndAfter(text: string, offset: number): number {
    const nl = text.indexOf('\n', offset);
    return nl < 0 ? text.length : nl + 1;
  }

  /** Adds `import x` when the file binds no `x` yet (before the first statement that is not an import). */
  ensureImport(file: string, bound: string, statement: string): TextEdit[] {
    const text = this.text(file) ?? '';
    if (importBinds(text, bound)) return [];
    const at = this.importInsertionPoint(file);
    const eol = lineEnding(text);
    const needsLeadingNewline = at === text.length && text.length > 0 && !text.endsWith('\n');
    return [{ file, start: at, end: at, newText: `${needsLeadingNewline ? eol : ''}${statement}${eol}` }];
  }

  /** Adds `name` to `from module import …`, creating the statement when missing. */
  ensureFromImport(file: string, module: string, name: string): TextEdit[] {
    const text = this.text(file) ?? '';
    if (fromImportNames(text, module, name)) return [];
    const line = fromImportLine(text, module);
    if (line) {
      const names = line.names
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const sorted = [...names, name].sort((a, b) => a.localeCompare(b));
      return [{ file, start: line.start, end: line.start + line.names.length, newText: sorted.join(', ') }];
    }
    return this.ensureImport(file, name, `from ${module} import ${name}`);
  }

  private importInsertionPoint(file: string): number {
    const doc = this.ws.document(file);
    if (!doc) return 0;
    let afterDocstring = 0;
    for (const chunk of doc.chunks) {
      const n = chunk.node;
      if (n.type === 'comment') continue;
      if (afterDocstring === 0 && n.type === 'expression_statement' && namedChildren(n)[0]?.type === 'string') {
        afterDocstring = this.lineEndAfter(doc.text, chunk.base + n.end);
        continue;
      }
      if (n.type === 'future_import_statement') {
        afterDocstring = this.lineEndAfter(doc.text, chunk.base + n.end);
        continue;
      }
      if (n.type === 'import_statement' || n.type === 'import_from_statement') return chunk.base;
      break;
    }
    return afterDocstring;
  }

  // ---- fixes -------------------------------------------------------------------------------------

  /**
   * Rewrites a setting's value to an environment lookup in the project's style. The lookup is
   * required (no default) for secrets; DEBUG-like booleans default to False, lists to empty.
   */
  toEnvironment(s: SettingValue, kind: EnvKind, opts: { title?: string; safety?: FixSafety; default?: string } = {}): Fix | undefined {
    if (!this.enabled) return undefined;
    const rhs = this.rhsOf(s.binding);
    if (!rhs) return undefined;
    const style = this.styleFor(rhs.file, rhs.start);
    if (!style) return undefined;
    const varName = this.envVarName(s.name);
    const expr = envExpression(style, varName, kind, opts.default);
    const setup = [
      ...style.setup,
      ...(style.name === 'decouple' && kind === 'list' ? this.ensureFromImport(rhs.file, 'decouple', 'Csv') : []),
    ];
    const what =
      kind === 'secret'
        ? `requires ${varName} in the environment`
        : kind === 'bool'
          ? `${varName}, False when unset`
          : kind === 'list'
            ? `${varName}, empty when unset`
            : `${varName}`;
    const warnDotenv = this.committedDotenv() ? '; note: .env is not ignored by git' : '';
    return {
      title: opts.title ?? `Read ${s.name} from the environment (${what}${warnDotenv})`,
      safety: opts.safety ?? 'unsafe',
      edits: mergeSameOffset([...setup, { file: rhs.file, start: rhs.start, end: rhs.end, newText: expr }]),
    };
  }

  /** Adds `NAME=` (never a value) to the project's .env.example. */
  envExample(varName: string): Fix | undefined {
    if (!this.enabled) return undefined;
    const file = path.join(this.project.root, '.env.example');
    const existing = this.ws.fs.readText(file);
    if (existing !== undefined) {
      if (dotenvSets(existing, varName)) return undefined;
      const eol = lineEnding(existing);
      const prefix = existing.length > 0 && !existing.endsWith('\n') ? eol : '';
      return {
        title: `Add ${varName} to .env.example`,
        safety: 'safe',
        companion: true,
        edits: [{ file, start: existing.length, end: existing.length, newText: `${prefix}${varName}=${eol}` }],
      };
    }
    return {
      title: `Add ${varName} to .env.example`,
      safety: 'safe',
      companion: true,
      edits: [],
      creates: [{ file, text: `# Environment variables the production settings need (names only, never values).\n${varName}=\n` }],
    };
  }

  /** A .env in the project that git does not ignore (its secrets are committed). */
  committedDotenv(): string | undefined {
    const file = path.join(this.project.root, '.env');
    if (!this.ws.fs.exists(file)) return undefined;
    const scan = this.ws.scanFor(file);
    return scan && !scan.gitignore.ignores(file, false) ? file : undefined;
  }

  /**
   * True when development also runs the production module (a single settings.py, or manage.py
   * naming the same module): changing it there changes development too.
   */
  productionIsShared(): boolean {
    const prod = this.project.production?.module.name;
    if (!prod) return true;
    if (this.project.settingsModules.length <= 1) return true;
    return this.project.mentions.some((m) => m.kind === 'manage' && m.module === prod);
  }

  /** Safe when the edit only touches production; unsafe when development runs the same module. */
  productionEditSafety(file: string | undefined): FixSafety {
    return file === this.productionFile && !this.productionIsShared() ? 'safe' : 'unsafe';
  }

  /** Replaces a value's source text (e.g. `True` → `False`). */
  replace(loc: Loc, newText: string, title: string, safety: FixSafety): Fix {
    return { title, safety, edits: [{ file: loc.file, start: loc.start, end: loc.end, newText }] };
  }

  /**
   * Makes production assign `name = python`: replaces the value where the production module itself
   * assigns it; otherwise (never set, or set in a module development shares) adds the line to the
   * production module. `bundle` groups fixes that "Add the missing production security settings" applies together.
   */
  setSetting(
    s: SettingValue,
    python: string,
    opts: { title?: string; safety: FixSafety; comment?: string[]; bundle?: string },
  ): Fix | undefined {
    if (!this.enabled) return undefined;
    const title = opts.title ?? `Set ${s.name} = ${python}`;
    if (s.isSet && s.binding?.stmt?.file === this.productionFile) {
      const rhs = this.rhsOf(s.binding);
      if (!rhs) return undefined;
      return {
        title,
        safety: opts.safety,
        edits: [{ file: rhs.file, start: rhs.start, end: rhs.end, newText: python }],
        bundle: opts.bundle,
      };
    }
    const ins = this.insertion([...(opts.comment ?? []).map((c) => `# ${c}`), `${s.name} = ${python}`]);
    if (!ins) return undefined;
    return { title, safety: opts.safety, edits: [ins], bundle: opts.bundle };
  }

  /**
   * Adds `NAME = <environment lookup>` (in the production module's style, importing what it needs)
   * for a setting the settings never set. Undefined when it is set, or the module cannot take it.
   */
  addFromEnvironment(s: SettingValue, kind: EnvKind): { varName: string; edits: TextEdit[] } | undefined {
    if (!this.enabled || s.isSet) return undefined;
    const file = this.productionFile;
    if (!file) return undefined;
    const ins = this.insertion(['__placeholder__']);
    if (!ins) return undefined;
    const style = this.styleFor(file, ins.start);
    if (!style) return undefined;
    const varName = this.envVarName(s.name);
    const line = `${s.name} = ${envExpression(style, varName, kind)}`;
    return { varName, edits: mergeSameOffset([...style.setup, { ...ins, newText: ins.newText.replace('__placeholder__', line) }]) };
  }

  /**
   * An insertion of lines into the production module: at the end of its `if not DEBUG:` block when
   * the module groups production-only settings there, else at the end of the module.
   */
  insertion(lines: string[]): TextEdit | undefined {
    if (!this.enabled) return undefined;
    const file = this.productionFile;
    if (!file) return undefined;
    // django-configurations writes the class's attributes into the module after it ran: a line
    // added to the module would change nothing
    if (this.modules.get(file)?.configuration) return undefined;
    const doc = this.ws.document(file);
    if (!doc || doc.hasError) return undefined;
    const text = doc.text;
    const eol = lineEnding(text);
    const block = this.notDebugBlock(doc);
    if (block) {
      const at = this.lineEndAfter(text, block.end);
      const indent = block.indent;
      const prefix = at === text.length && !text.endsWith('\n') ? eol : '';
      return { file, start: at, end: at, newText: prefix + lines.map((l) => indent + l).join(eol) + eol };
    }
    // A pure insertion at the end, after one blank line.
    const endsWithNewline = /\r?\n$|\r$/.test(text);
    const endsWithBlank = /(\r?\n|\r)[ \t]*(\r?\n|\r)$/.test(text);
    const sep = text.trim() === '' ? '' : (endsWithNewline ? '' : eol) + (endsWithBlank ? '' : eol);
    return { file, start: text.length, end: text.length, newText: sep + lines.join(eol) + eol };
  }

  private notDebugBlock(doc: PythonDocument): { end: number; indent: string } | undefined {
    for (const chunk of doc.chunks) {
      const n = chunk.node;
      if (n.type !== 'if_statement' || n.children.some((c) => c.field === 'alternative')) continue;
      const cond = field(n, 'condition');
      if (!cond || doc.text.slice(chunk.base + cond.start, chunk.base + cond.end).replace(/\s+/g, ' ') !== 'not DEBUG') continue;
      const body = field(n, 'consequence');
      const last = body ? namedChildren(body).pop() : undefined;
      if (!body || !last) continue;
      const lineStart = doc.text.lastIndexOf('\n', chunk.base + last.start - 1) + 1;
      const indent = doc.text.slice(lineStart, chunk.base + last.start);
      if (!/^[ \t]+$/.test(indent)) continue;
      return { end: chunk.base + last.end, indent };
    }
    return undefined;
  }

  /** "Disable DDHnnn for this line": adds the code to the line's `# noqa:` comment (or a new one). */
  noqa(loc: Loc, code: string): Fix | undefined {
    if (!this.enabled) return undefined;
    const text = this.ws.fs.readText(loc.file);
    if (text === undefined) return undefined;
    const start = text.lastIndexOf('\n', loc.start - 1) + 1;
    let end = text.indexOf('\n', loc.start);
    if (end < 0) end = text.length;
    if (text[end - 1] === '\r') end--;
    const line = text.slice(start, end);
    const m = NOQA_CODES.exec(line);
    const title = `Disable ${code} for this line`;
    if (m) {
      const at = start + m.index + m[0].length;
      return { title, safety: 'display-only', edits: [{ file: loc.file, start: at, end: at, newText: `, ${code}` }] };
    }
    // A line inside a string (a multi-line literal) cannot take a comment.
    if (/("""|''')/.test(line) && (line.match(/"""|'''/g)?.length ?? 0) % 2 === 1) return undefined;
    return { title, safety: 'display-only', edits: [{ file: loc.file, start: end, end, newText: `  # noqa: ${code}` }] };
  }

  /** The indentation unit of a file (for fixes that add blocks). */
  indent(file: string): string {
    return indentUnit(this.text(file) ?? '');
  }

  // ---- values inside expressions (dict entries, call arguments) ---------------------------------

  /**
   * Rewrites the expression written at `loc` (a literal such as a password inside a DATABASES
   * entry, or a DSN passed to a call) to an environment lookup named `varName` in the file's style.
   * Undefined unless `loc` is exactly one whole, error-free literal expression.
   */
  exprToEnvironment(
    loc: Loc | undefined,
    varName: string,
    kind: EnvKind,
    opts: { title: string; safety?: FixSafety; default?: string },
  ): Fix | undefined {
    if (!this.enabled) return undefined;
    const at = this.locate(loc, true);
    if (!at || at.node.error || !LITERAL_EXPRESSIONS.has(at.node.type) || isFString(at)) return undefined;
    const style = this.styleFor(loc!.file, loc!.start);
    if (!style) return undefined;
    const expr = envExpression(style, varName, kind, opts.default);
    const setup = [
      ...style.setup,
      ...(style.name === 'decouple' && kind === 'list' ? this.ensureFromImport(loc!.file, 'decouple', 'Csv') : []),
    ];
    return {
      title: opts.title,
      safety: opts.safety ?? 'unsafe',
      edits: mergeSameOffset([...setup, { file: loc!.file, start: loc!.start, end: loc!.end, newText: expr }]),
    };
  }

  /**
   * Makes an environment lookup with a default required: drops its `default=` keyword
   * (django-environ, decouple, dj-database-url), or turns `os.environ.get("X", d)` / `os.getenv("X", d)`
   * into `os.environ["X"]`. Undefined for any other shape.
   */
  requireEnvironment(lookup: Loc | undefined, title: string, safety: FixSafety = 'unsafe'): Fix | undefined {
    if (!this.enabled) return undefined;
    const at = this.locate(lookup, true);
    if (!at || at.node.type !== 'call' || at.node.error) return undefined;
    const text = at.doc.text;
    const fn = field(at.node, 'function');
    const args = field(at.node, 'arguments');
    if (!fn || !args || args.type !== 'argument_list') return undefined;
    const fnText = text.slice(at.base + fn.start, at.base + fn.end).replace(/\s+/g, '');
    const list = namedChildren(args);
    if (/^(os\.environ\.get|os\.getenv|getenv|environ\.get)$/.test(fnText)) {
      const [name, dflt] = list;
      if (!name || !dflt || list.length !== 2 || name.type !== 'string' || dflt.type === 'keyword_argument') return undefined;
      const nameText = text.slice(at.base + name.start, at.base + name.end);
      const mapping = fnText.startsWith('os.') ? 'os.environ' : fnText === 'environ.get' ? 'environ' : undefined;
      if (!mapping) return undefined;
      return { title, safety, edits: [{ file: lookup!.file, start: lookup!.start, end: lookup!.end, newText: `${mapping}[${nameText}]` }] };
    }
    const kw = list.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'default');
    if (!kw) return undefined;
    const removal = this.argumentRemoval(lookup!.file, at, args, kw);
    return removal && { title, safety, edits: [removal] };
  }

  /**
   * Sets `"KEY": python` entries in the dict literal written at `dictLoc`: replaces the value of an
   * existing string key, else adds the entry after the last one (on a line of its own when the
   * dict spans lines). Undefined when the dict has `**other` entries or cannot be edited safely.
   */
  dictEntries(
    dictLoc: Loc | undefined,
    entries: readonly (readonly [key: string, python: string])[],
    opts: { title: string; safety: FixSafety },
  ): Fix | undefined {
    if (!this.enabled) return undefined;
    const at = this.locate(dictLoc, true);
    if (!at || at.node.type !== 'dictionary' || at.node.error) return undefined;
    const text = at.doc.text;
    const pairs = namedChildren(at.node);
    if (pairs.some((p) => p.type !== 'pair')) return undefined; // `**other`: the key may come from there
    const edits: TextEdit[] = [];
    const added: string[] = [];
    const quote = pairs.length && text[at.base + field(pairs[0]!, 'key')!.start] === "'" ? "'" : '"';
    for (const [key, python] of entries) {
      const existing = pairs.find((p) => {
        const k = field(p, 'key');
        const raw = k?.type === 'string' ? text.slice(at.base + k.start, at.base + k.end) : '';
        return /^["']/.test(raw) && raw.slice(1, -1) === key;
      });
      const v = existing && field(existing, 'value');
      if (v) edits.push({ file: dictLoc!.file, start: at.base + v.start, end: at.base + v.end, newText: python });
      else added.push(`${quote}${key}${quote}: ${python}`);
    }
    if (added.length) {
      const append = this.appendToBracketed(dictLoc!.file, at, pairs, added);
      if (!append) return undefined;
      edits.push(...append);
    }
    return { ...opts, edits };
  }

  /**
   * Sets keyword arguments `kw=python` of the call written at `callLoc` (e.g.
   * `dj_database_url.config(conn_max_age=600)`): replaces their values or appends them.
   */
  callKeywords(
    callLoc: Loc | undefined,
    kws: readonly (readonly [kw: string, python: string])[],
    opts: { title: string; safety: FixSafety },
  ): Fix | undefined {
    if (!this.enabled) return undefined;
    const at = this.locate(callLoc, true);
    if (!at || at.node.type !== 'call' || at.node.error) return undefined;
    const args = field(at.node, 'arguments');
    if (!args || args.type !== 'argument_list') return undefined;
    const list = namedChildren(args);
    if (list.some((a) => a.type === 'dictionary_splat')) return undefined; // `**kwargs` may set them already
    const edits: TextEdit[] = [];
    const added: string[] = [];
    for (const [kw, python] of kws) {
      const existing = list.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === kw);
      const value = existing && field(existing, 'value');
      if (value) edits.push({ file: callLoc!.file, start: at.base + value.start, end: at.base + value.end, newText: python });
      else added.push(`${kw}=${python}`);
    }
    if (added.length) {
      const append = this.appendToBracketed(callLoc!.file, { ...at, node: args }, list, added);
      if (!append) return undefined;
      edits.push(...append);
    }
    return { ...opts, edits };
  }

  /**
   * Insertions of `added` after the last of `items` inside a bracketed node (dict, argument list),
   * following its layout: lines of their own with the items' indentation when the items stand on
   * lines of their own, else `, item` on the same line. A trailing comma stays as the layout had it.
   */
  private appendToBracketed(file: string, at: Located, items: PyNode[], added: readonly string[]): TextEdit[] | undefined {
    const text = at.doc.text;
    const open = at.base + at.node.start;
    const close = at.base + at.node.end - 1; // the closing bracket
    if (items.length === 0) return [{ file, start: open + 1, end: close, newText: added.join(', ') }];
    const last = items[items.length - 1]!;
    const lastEnd = at.base + last.end;
    const between = text.slice(lastEnd, close);
    const comma = /^\s*,/.test(between) ? lastEnd + between.indexOf(',') + 1 : undefined;
    const multiLine = text.slice(open, at.base + items[0]!.start).includes('\n');
    if (!multiLine) {
      // `{"a": 1}` → `{"a": 1, "B": 2}`; `f(a, )` → `f(a, b, )`
      const joined = added.join(', ');
      return comma !== undefined
        ? [{ file, start: comma, end: comma, newText: ` ${joined},` }]
        : [{ file, start: lastEnd, end: lastEnd, newText: `, ${joined}` }];
    }
    const lineStart = text.lastIndexOf('\n', at.base + last.start - 1) + 1;
    const indent = text.slice(lineStart, at.base + last.start);
    if (!/^[ \t]*$/.test(indent)) return undefined; // the last item shares its line with another
    const eol = lineEnding(text);
    const after = comma ?? lastEnd;
    const nl = text.indexOf('\n', after);
    const trailing = comma === undefined ? '' : ',';
    if (nl < 0 || nl >= close) {
      // the closing bracket is on the last item's line: `"B": 2}` → `"B": 2,⏎    "C": 3}`
      return [
        {
          file,
          start: after,
          end: after,
          newText: `${comma === undefined ? ',' : ''}${added.map((a) => `${eol}${indent}${a}`).join(',')}${trailing}`,
        },
      ];
    }
    // lines of their own after the last item's line (whose comment stays where it is)
    const lines = added.map((a, i) => `${indent}${a}${i < added.length - 1 ? ',' : trailing}${eol}`).join('');
    const insert: TextEdit = { file, start: nl + 1, end: nl + 1, newText: lines };
    return comma === undefined ? [{ file, start: lastEnd, end: lastEnd, newText: ',' }, insert] : [insert];
  }

  /** An edit removing one argument (with the comma that separates it) from an argument list. */
  private argumentRemoval(file: string, at: Located, args: PyNode, arg: PyNode): TextEdit | undefined {
    const text = at.doc.text;
    const list = namedChildren(args);
    const i = list.indexOf(arg);
    if (i < 0) return undefined;
    const argStart = at.base + arg.start;
    const argEnd = at.base + arg.end;
    const lineStart = text.lastIndexOf('\n', argStart - 1) + 1;
    let lineEnd = text.indexOf('\n', argEnd);
    if (lineEnd < 0) lineEnd = text.length;
    const ownLine = text.slice(lineStart, argStart).trim() === '' && REST_OF_ARGUMENT_LINE.test(text.slice(argEnd, lineEnd));
    if (ownLine && lineStart > at.base + args.start && lineEnd < at.base + args.end) {
      // an argument on a line of its own goes with its line, but for a comment on it; the previous
      // argument's comma stays, which Python accepts before `)` too
      const hash = text.indexOf('#', argEnd);
      if (hash >= 0 && hash < lineEnd) return { file, start: argStart, end: hash, newText: '' };
      return { file, start: lineStart, end: Math.min(lineEnd + 1, text.length), newText: '' };
    }
    if (text.slice(argStart, argEnd).includes('#')) return undefined;
    if (i > 0) return { file, start: at.base + list[i - 1]!.end, end: argEnd, newText: '' }; // `a, default=x` → `a`
    const next = list[1];
    return { file, start: argStart, end: next ? at.base + next.start : argEnd, newText: '' };
  }
}

/** Expressions that are written values, which a fix may replace by an environment lookup. */
const LITERAL_EXPRESSIONS = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);

function isFString(at: Located): boolean {
  const t = at.doc.text.slice(at.base + at.node.start, at.base + at.node.start + 3);
  return /^[rRbBuU]?[fF]|^[fF]/.test(t);
}

/** The lookup expression for each style. */
export function envExpression(style: { name: EnvStyleName; handle: string }, varName: string, kind: EnvKind, dflt?: string): string {
  const q = JSON.stringify(varName);
  const h = style.handle;
  switch (style.name) {
    case 'environ':
      if (kind === 'secret') return `${h}(${q})`;
      if (kind === 'bool') return `${h}.bool(${q}, default=${dflt ?? 'False'})`;
      if (kind === 'list') return `${h}.list(${q}, default=${dflt ?? '[]'})`;
      if (kind === 'int') return `${h}.int(${q}, default=${dflt ?? '0'})`;
      return dflt !== undefined ? `${h}(${q}, default=${dflt})` : `${h}(${q})`;
    case 'decouple':
      if (kind === 'secret') return `${h}(${q})`;
      if (kind === 'bool') return `${h}(${q}, default=${dflt ?? 'False'}, cast=bool)`;
      if (kind === 'list') return `${h}(${q}, default=${dflt ?? '""'}, cast=Csv())`;
      if (kind === 'int') return `${h}(${q}, default=${dflt ?? '0'}, cast=int)`;
      return dflt !== undefined ? `${h}(${q}, default=${dflt})` : `${h}(${q})`;
    case 'os':
      if (kind === 'secret') return `os.environ[${q}]`;
      if (kind === 'bool')
        return `os.environ.get(${q}, ${JSON.stringify(dflt === 'True' ? 'True' : 'False')}).lower() in ("1", "true", "yes")`;
      if (kind === 'list') return `[item.strip() for item in os.environ.get(${q}, "").split(",") if item.strip()]`;
      if (kind === 'int') return `int(os.environ.get(${q}, ${JSON.stringify(dflt ?? '0')}))`;
      return dflt !== undefined ? `os.environ.get(${q}, ${dflt})` : `os.environ[${q}]`;
  }
}

/** Insertions at the same offset become one edit (LSP clients reject overlapping edits). */
function mergeSameOffset(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = out.find((o) => o.file === e.file && o.start === e.start && o.end === e.start && e.start === e.end);
    if (same) out[out.indexOf(same)] = { ...same, newText: same.newText + e.newText };
    else out.push(e);
  }
  return out;
}
