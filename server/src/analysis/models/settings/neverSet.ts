// Where a finding about something the settings never set lands, and what it says about the search:
// the one place that chooses it (Settings hands these locations out for unset settings, the engine
// uses the module's first statement for findings about nothing in particular).
//
// A setting never set goes where a reader would add it:
// - beside the settings block it belongs with in the production module: the last SECURE_* line for
//   a SECURE_* setting (or the cookie lines), the last cookie line for a cookie setting, the last
//   EMAIL_* line for an e-mail setting…;
// - else beside that block in the settings module production takes it from (a base.py the
//   production module star-imports), never in a module for tests or development;
// - else at the end of the production module: its last setting's name (a module of star imports
//   only, such as `from .base import *`: the end of its statement, not 1:1).
// Never on an unrelated line (`from pathlib import Path`, the MIDDLEWARE list), and always on a
// name, never a whole multi-line statement.
import * as nodePath from 'node:path';
import type { Binding } from '../../eval/scope';
import type { Loc } from '../../eval/values';
import type { PythonDocument } from '../../parse/pythonDocument';
import { roleByName } from '../project/roles';

/** The production module's first statement (not its docstring, not a comment); the first line when it has none. */
export function firstStatement(file: string, doc: PythonDocument | undefined, text: string | undefined): Loc {
  if (doc) {
    for (const c of doc.chunks) {
      const n = c.node;
      if (n.type === 'comment') continue;
      // a docstring: a statement that is only a string
      if (n.type === 'expression_statement' && n.children.length === 1 && n.children[0]!.type === 'string') continue;
      return lineOf(file, doc.text, c.base + n.start);
    }
  }
  if (!text) return { file, start: 0, end: 0 };
  const m = /\S[^\r\n]*/.exec(text);
  if (!m) return { file, start: 0, end: 0 };
  return { file, start: m.index, end: m.index + m[0].trimEnd().length };
}

/** The line at an offset, from its first non-blank character to its end (trailing blanks dropped). */
function lineOf(file: string, text: string, offset: number): Loc {
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : nl;
  return { file, start: offset, end: offset + text.slice(offset, end).trimEnd().length };
}

type Family =
  | 'secure'
  | 'contentSecurityPolicy'
  | 'cookie'
  | 'email'
  | 'cache'
  | 'static'
  | 'hosts'
  | 'database'
  | 'logging'
  | 'middleware'
  | 'apps'
  | 'other';

/** The settings block a setting belongs with. */
export function familyOf(name: string): Family {
  // (the expressions are constants: a literal in the body is a new object at each call, for every
  // name of the production module after each keystroke)
  if (FAMILY.cookie.test(name)) return 'cookie';
  if (FAMILY.contentSecurityPolicy.test(name)) return 'contentSecurityPolicy';
  if (FAMILY.secure.test(name) || name === 'X_FRAME_OPTIONS') return 'secure';
  if (FAMILY.email.test(name) || name === 'SERVER_EMAIL' || name === 'DEFAULT_FROM_EMAIL' || name === 'ADMINS' || name === 'MANAGERS')
    return 'email';
  if (FAMILY.cache.test(name)) return 'cache';
  if (FAMILY.static.test(name) || name === 'STORAGES') return 'static';
  if (name === 'ALLOWED_HOSTS' || name === 'CSRF_TRUSTED_ORIGINS' || FAMILY.hosts.test(name) || name === 'USE_X_FORWARDED_HOST')
    return 'hosts';
  if (name === 'DATABASES' || name === 'CONN_MAX_AGE' || name === 'CONN_HEALTH_CHECKS') return 'database';
  if (name === 'LOGGING' || name === 'LOGGING_CONFIG' || FAMILY.logging.test(name)) return 'logging';
  if (name === 'MIDDLEWARE' || name === 'MIDDLEWARE_CLASSES') return 'middleware';
  if (name === 'INSTALLED_APPS') return 'apps';
  return 'other';
}

const FAMILY = {
  cookie: /_COOKIE(_|$)/,
  secure: /^SECURE_/,
  contentSecurityPolicy: /^(SECURE_CSP|CONTENT_SECURITY_POLICY|CSP_)/,
  email: /^EMAIL_/,
  cache: /^CACHE(S|_)/,
  static: /^(STATIC(_|FILES_)|WHITENOISE_)/,
  hosts: /^CORS_/,
  logging: /^SENTRY_/,
} as const;

/** Blocks to look for, in order, for a setting of each family. */
const NEAR: Record<Family, readonly Family[]> = {
  secure: ['secure', 'cookie'],
  contentSecurityPolicy: ['contentSecurityPolicy', 'secure'],
  cookie: ['cookie', 'secure'],
  email: ['email'],
  cache: ['cache'],
  static: ['static'],
  hosts: ['hosts'],
  database: ['database'],
  logging: ['logging'],
  // (MIDDLEWARE follows INSTALLED_APPS in startproject's settings)
  middleware: ['middleware', 'apps'],
  apps: ['apps'],
  other: [],
};

function key(loc: Loc): string {
  return `${loc.file}:${loc.start}:${loc.end}`;
}

/** Whether a settings file is for tests or development by its name (testing.py, local.py): no place for production's settings. */
function notForProduction(file: string): boolean {
  const stem = nodePath.basename(file, '.py');
  const role = roleByName(stem === '__init__' ? nodePath.basename(nodePath.dirname(file)) : stem);
  return role === 'test' || role === 'development';
}

/**
 * The places of never-set settings in one production module. Remembers which names it placed where,
 * so that the engine can tell a finding about a setting never set from one about a setting written
 * on the same line.
 */
export class NeverSetPlaces {
  private last: { readonly own: Map<Family, Loc>; readonly other: Map<Family, Loc>; readonly end: Loc } | undefined;
  private readonly placed = new Map<string, Set<string>>();

  constructor(
    /** The production module's first statement: where findings about nothing in particular land. */
    readonly anchor: Loc,
    private readonly bindings: () => ReadonlyMap<string, Binding>,
  ) {}

  /** Where a finding that `name` is never set lands. */
  placeOf(name: string): Loc {
    const { own, other, end } = this.blocks();
    const near = NEAR[familyOf(name)];
    let loc = end;
    for (const blocks of [own, other]) {
      const f = near.find((x) => blocks.has(x));
      if (f) {
        loc = blocks.get(f)!;
        break;
      }
    }
    const k = key(loc);
    let names = this.placed.get(k);
    if (!names) this.placed.set(k, (names = new Set()));
    names.add(name);
    return loc;
  }

  /**
   * Whether a finding is about something never set: it lands on the anchor, or on a place this
   * object gave a never-set setting and its message names that setting.
   */
  isNeverSetFinding(loc: Loc, message: string): boolean {
    if (loc.file === this.anchor.file && loc.start === this.anchor.start && loc.end === this.anchor.end) return true;
    const names = this.placed.get(key(loc));
    if (!names) return false;
    for (const m of message.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g)) if (names.has(m[0])) return true;
    return false;
  }

  /**
   * The last line of each settings block written in the production module (`own`) and in the
   * settings modules it takes them from (`other`: of the file holding most of the block, its last
   * line), and the production module's last setting (`end`, else the anchor).
   */
  private blocks(): { own: Map<Family, Loc>; other: Map<Family, Loc>; end: Loc } {
    if (this.last) return this.last;
    const own = new Map<Family, Loc>();
    const elsewhere = new Map<Family, Map<string, Loc[]>>();
    let end: Loc | undefined;
    const excluded = new Map<string, boolean>();
    // (forEach: no [name, binding] pair made per name, after each keystroke)
    this.bindings().forEach((b, name) => {
      if (!b.target || !b.stmt || name !== name.toUpperCase()) return;
      // (the file first: after each keystroke, most names of a production module come from its base)
      if (b.stmt.file === this.anchor.file) {
        if (b.target.file === this.anchor.file && (!end || b.target.start > end.start)) end = b.target;
        const f = familyOf(name);
        if (f === 'other') return;
        const prev = own.get(f);
        if (!prev || b.target.start > prev.start) own.set(f, b.target);
        return;
      }
      const f = familyOf(name);
      if (f === 'other' || b.target.file !== b.stmt.file) return;
      let no = excluded.get(b.stmt.file);
      if (no === undefined) excluded.set(b.stmt.file, (no = notForProduction(b.stmt.file)));
      if (no) return;
      let byFile = elsewhere.get(f);
      if (!byFile) elsewhere.set(f, (byFile = new Map()));
      const list = byFile.get(b.stmt.file) ?? [];
      list.push(b.target);
      byFile.set(b.stmt.file, list);
    });
    const other = new Map<Family, Loc>();
    for (const [f, byFile] of elsewhere) {
      let best: Loc[] | undefined;
      for (const list of byFile.values()) if (!best || list.length > best.length) best = list;
      if (best)
        other.set(
          f,
          best.reduce((a, b) => (b.start > a.start ? b : a)),
        );
    }
    // a module of star imports only (`from .base import *`): its end, the statement's last character,
    // where a line of its own would go after it; never 1:1, which reads as a finding about the import
    const tail =
      this.anchor.end > this.anchor.start ? { file: this.anchor.file, start: this.anchor.end - 1, end: this.anchor.end } : this.anchor;
    this.last = { own, other, end: end ?? tail };
    return this.last;
  }
}
