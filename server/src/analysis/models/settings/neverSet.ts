// Where a finding about something the settings never set lands, and what it says about the search:
// the one place that chooses it (Settings hands these locations out for unset settings, the engine
// uses the module's first statement for findings about nothing in particular).
//
// - A setting never set goes with the settings block it belongs to in the production module: the
//   last SECURE_* line for a SECURE_* setting, the last cookie line for a cookie setting, the
//   MIDDLEWARE list for either when the module has no such block, the last EMAIL_* line for an
//   e-mail setting…
// - Else the production module's first statement: never a docstring's quotes or a comment at 1:1.
import type { Binding } from '../../eval/scope';
import type { Loc } from '../../eval/values';
import type { PythonDocument } from '../../parse/pythonDocument';

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

type Family = 'secure' | 'cookie' | 'email' | 'cache' | 'static' | 'hosts' | 'database' | 'logging' | 'middleware' | 'other';

/** The settings block a setting belongs with. */
export function familyOf(name: string): Family {
  // (the expressions are constants: a literal in the body is a new object at each call, for every
  // name of the production module after each keystroke)
  if (FAMILY.cookie.test(name)) return 'cookie';
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
  return 'other';
}

const FAMILY = {
  cookie: /_COOKIE(_|$)/,
  secure: /^(SECURE_|CONTENT_SECURITY_POLICY|CSP_)/,
  email: /^EMAIL_/,
  cache: /^CACHE(S|_)/,
  static: /^(STATIC(_|FILES_)|WHITENOISE_)/,
  hosts: /^CORS_/,
  logging: /^SENTRY_/,
} as const;

/** Blocks to look for, in order, for a setting of each family. */
const NEAR: Record<Family, readonly Family[]> = {
  secure: ['secure', 'cookie', 'middleware'],
  cookie: ['cookie', 'secure', 'middleware'],
  email: ['email'],
  cache: ['cache'],
  static: ['static'],
  hosts: ['hosts'],
  database: ['database'],
  logging: ['logging'],
  middleware: ['middleware'],
  other: [],
};

function key(loc: Loc): string {
  return `${loc.file}:${loc.start}:${loc.end}`;
}

/**
 * The places of never-set settings in one production module. Remembers which names it placed where,
 * so that the engine can tell a finding about a setting never set from one about a setting written
 * on the same line.
 */
export class NeverSetPlaces {
  private last: Map<Family, Loc> | undefined;
  private readonly placed = new Map<string, Set<string>>();

  constructor(
    /** The production module's first statement: where findings about nothing in particular land. */
    readonly anchor: Loc,
    private readonly bindings: () => ReadonlyMap<string, Binding>,
  ) {}

  /** Where a finding that `name` is never set lands. */
  placeOf(name: string): Loc {
    const last = this.lastByFamily();
    let loc = this.anchor;
    for (const f of NEAR[familyOf(name)]) {
      const l = last.get(f);
      if (l) {
        loc = l;
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

  /** The last line of each settings block written in the production module. */
  private lastByFamily(): Map<Family, Loc> {
    if (this.last) return this.last;
    const last = new Map<Family, Loc>();
    // (forEach: no [name, binding] pair made per name, after each keystroke)
    this.bindings().forEach((b, name) => {
      // (the file first: after each keystroke, most names of a production module come from its base)
      if (!b.target || b.stmt?.file !== this.anchor.file || name !== name.toUpperCase()) return;
      const f = familyOf(name);
      if (f === 'other') return;
      const prev = last.get(f);
      if (!prev || b.target.start > prev.start) last.set(f, b.target);
    });
    this.last = last;
    return last;
  }
}
