// The URL patterns of a project, as far as the workspace shows them: from ROOT_URLCONF's module,
// `urlpatterns` built from `path()`, `re_path()` and `url()` calls with literal routes, following
// `include("app.urls")` and inline lists. Whether a request path is served is answered yes, no, or
// unknown — unknown as soon as something the reading cannot follow could add a pattern (a pattern
// built in a loop, `i18n_patterns`, an include of a module outside the workspace, a router, a
// custom converter's regex, a pattern the linear engine cannot run). Debug-only additions
// (`if settings.DEBUG:`, `+ static(…)`, which adds nothing with DEBUG off) are left out.
import * as path from 'node:path';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import { parseTopLevel } from '../../parse/treeSitter';
import { linearRegExp } from '../../base/linearRegExp';
import type { FileSystem } from '../../files/fs';
import { resolveModuleFile } from './modules';
import { lineIndexAt } from '../../base/lines';

export type Served = { readonly served: true } | { readonly served: false } | { readonly served: 'unknown'; readonly why: string };

type Entry =
  | { readonly kind: 'leaf'; readonly re: RegExp }
  | { readonly kind: 'include'; readonly re: RegExp; readonly patterns: Patterns }
  | { readonly kind: 'unknown'; readonly why: string };

interface Patterns {
  readonly entries: Entry[];
}

const CONVERTERS: Record<string, string> = {
  str: '[^/]+',
  int: '[0-9]+',
  slug: '[-a-zA-Z0-9_]+',
  uuid: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  path: '.+',
};

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A `path()` route as a regex source (a custom converter matches anything: a pattern may serve more, never less). */
function routeSource(route: string): string {
  let out = '';
  let i = 0;
  while (i < route.length) {
    const open = route.indexOf('<', i);
    if (open < 0) {
      out += escapeRe(route.slice(i));
      break;
    }
    const close = route.indexOf('>', open);
    if (close < 0) {
      out += escapeRe(route.slice(i));
      break;
    }
    out += escapeRe(route.slice(i, open));
    const inner = route.slice(open + 1, close);
    const colon = inner.indexOf(':');
    const conv = colon >= 0 ? inner.slice(0, colon) : 'str';
    out += `(?:${CONVERTERS[conv] ?? '.+'})`;
    i = close + 1;
  }
  return out;
}

/** A Python string literal's value (plain or raw, no f-string, no concatenation), else undefined. */
function literal(n: PyNode | undefined, text: string): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  const raw = text.slice(n.start, n.end);
  let i = 0;
  let isRaw = false;
  if (raw[0] === 'r' || raw[0] === 'R') {
    isRaw = true;
    i = 1;
  } else if (raw[0] === 'u' || raw[0] === 'U') i = 1;
  const q = raw[i];
  if ((q !== '"' && q !== "'") || raw.length < i + 2 || raw[raw.length - 1] !== q) return undefined;
  const body = raw.slice(i + 1, -1);
  // no triple quotes, no quote or line break inside, no escapes outside a raw string
  if (body.includes('"') || body.includes("'") || body.includes('\n') || (!isRaw && body.includes('\\'))) return undefined;
  return body;
}

function calleeName(n: PyNode, text: string): string | undefined {
  const f = field(n, 'function');
  if (!f) return undefined;
  const t = text.slice(f.start, f.end);
  return t.split('.').pop();
}

interface Reading {
  readonly fs: FileSystem;
  readonly roots: readonly string[];
  readonly seen: Set<string>;
}

function entriesOfList(r: Reading, list: PyNode, text: string, depth: number): Entry[] {
  const out: Entry[] = [];
  for (const item of namedChildren(list)) {
    if (item.type !== 'call') {
      out.push({ kind: 'unknown', why: 'a URL pattern that is not a path() call' });
      continue;
    }
    const name = calleeName(item, text);
    const args = namedChildren(field(item, 'arguments') ?? item).filter((a) => a.type !== 'keyword_argument');
    if (name !== 'path' && name !== 're_path' && name !== 'url') {
      out.push({ kind: 'unknown', why: `a URL pattern made by ${name ?? 'a call'}()` });
      continue;
    }
    const route = literal(args[0], text);
    if (route === undefined) {
      out.push({ kind: 'unknown', why: 'a URL pattern whose route is not a literal' });
      continue;
    }
    const target = args[1];
    const isInclude = target?.type === 'call' && calleeName(target, text) === 'include';
    const source = name === 'path' ? `^${routeSource(route)}` : route.startsWith('^') ? route : `^(?:${route})`;
    const re = linearRegExp(isInclude || name !== 'path' ? source : `${source}$`);
    if (!re) {
      out.push({ kind: 'unknown', why: `the pattern ${route} cannot be read` });
      continue;
    }
    if (!isInclude) {
      out.push({ kind: 'leaf', re });
      continue;
    }
    const incArgs = namedChildren(field(target!, 'arguments') ?? target!).filter((a) => a.type !== 'keyword_argument');
    const first = incArgs[0];
    const mod = literal(first, text);
    if (mod !== undefined) {
      const p = readModule(r, mod, depth + 1);
      out.push('why' in p ? { kind: 'unknown', why: p.why } : { kind: 'include', re, patterns: p });
    } else if (first?.type === 'list') {
      out.push({ kind: 'include', re, patterns: { entries: entriesOfList(r, first, text, depth + 1) } });
    } else out.push({ kind: 'unknown', why: 'an include() of something other than a module name or a list' });
  }
  return out;
}

/** Whether an `if` test is `settings.DEBUG` (or `DEBUG`): not taken in production. */
function isDebugTest(n: PyNode | undefined, text: string): boolean {
  if (!n) return false;
  const t = text.slice(n.start, n.end).replace(/\s+/g, '');
  return t === 'settings.DEBUG' || t === 'DEBUG';
}

/** The right-hand side of `urlpatterns = …` / `+= …`: lists, `+` of lists, `static(…)` (nothing with DEBUG off). */
function entriesOfExpr(r: Reading, n: PyNode, text: string, depth: number): Entry[] {
  if (n.type === 'list') return entriesOfList(r, n, text, depth);
  if (n.type === 'binary_operator' && n.children.some((c) => !c.named && c.text === '+')) {
    const l = field(n, 'left');
    const rt = field(n, 'right');
    return [...(l ? entriesOfExpr(r, l, text, depth) : []), ...(rt ? entriesOfExpr(r, rt, text, depth) : [])];
  }
  if (n.type === 'call' && (calleeName(n, text) === 'static' || calleeName(n, text) === 'staticfiles_urlpatterns')) return [];
  if (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n)[0];
    return inner ? entriesOfExpr(r, inner, text, depth) : [];
  }
  return [{ kind: 'unknown', why: 'URL patterns built in a way the reading does not follow' }];
}

/**
 * A module's top-level statements that set `urlpatterns` (debug-only additions left out): each
 * assignment or augmented assignment with its right-hand side, or an `other` statement that changes
 * urlpatterns in a way the reading does not follow. `undefined` when the module could not be parsed in time.
 */
function urlpatternStatements(
  text: string,
):
  | { readonly start: number; readonly src: string; readonly assign?: { readonly right: PyNode; readonly replaces: boolean } }[]
  | undefined {
  const top = parseTopLevel(text);
  if (!top) return undefined;
  const out: { start: number; src: string; assign?: { right: PyNode; replaces: boolean } }[] = [];
  for (const { start, node } of top) {
    const src = text.slice(start, start + node.end);
    if (!src.includes('urlpatterns')) continue;
    let stmt = node;
    if (stmt.type === 'if_statement' && isDebugTest(field(stmt, 'condition'), src)) continue;
    if (stmt.type === 'expression_statement') stmt = namedChildren(stmt)[0] ?? stmt;
    // a docstring or other bare string (startproject's urls.py: "The `urlpatterns` list routes URLs to views") changes nothing
    if (stmt.type === 'string' || stmt.type === 'concatenated_string') continue;
    const left = field(stmt, 'left');
    const right = field(stmt, 'right');
    const assigns =
      (stmt.type === 'assignment' || stmt.type === 'augmented_assignment') &&
      left &&
      src.slice(left.start, left.end) === 'urlpatterns' &&
      right;
    out.push(assigns ? { start, src, assign: { right, replaces: stmt.type === 'assignment' } } : { start, src });
  }
  return out;
}

function readModule(r: Reading, name: string, depth: number): Patterns | { why: string } {
  if (depth > 8) return { why: 'includes nested too deeply' };
  const mod = resolveModuleFile(r.fs, r.roots, name);
  if (!mod) return { why: `${name} is not in the workspace` };
  if (r.seen.has(mod.file)) return { why: `${name} includes itself` };
  r.seen.add(mod.file);
  const text = r.fs.readText(mod.file);
  if (text === undefined) return { why: `${name} cannot be read` };
  const statements = urlpatternStatements(text);
  if (!statements) return { why: `${name} could not be parsed in time` };
  const entries: Entry[] = [];
  let assigned = false;
  for (const { src, assign } of statements) {
    if (!assign) {
      entries.push({ kind: 'unknown', why: `${name} changes urlpatterns in a way the reading does not follow` });
      continue;
    }
    if (assign.replaces) entries.length = 0;
    entries.push(...entriesOfExpr(r, assign.right, src, depth));
    assigned = true;
  }
  if (!assigned) return { why: `${name} has no urlpatterns the reading can follow` };
  return { entries };
}

function match(p: Patterns, path: string): Served {
  let unknown: string | undefined;
  for (const e of p.entries) {
    if (e.kind === 'unknown') {
      unknown ??= e.why;
      continue;
    }
    const m = e.re.exec(path);
    if (!m || m.index !== 0) continue;
    if (e.kind === 'leaf') return { served: true };
    const sub = match(e.patterns, path.slice(m[0].length));
    if (sub.served === true) return sub;
    if (sub.served === 'unknown') unknown ??= sub.why;
  }
  return unknown ? { served: 'unknown', why: unknown } : { served: false };
}

/** Whether a request path (`/health/`) is served by the URL patterns of `urlconf`. */
export function pathServed(fs: FileSystem, roots: readonly string[], urlconf: string, requestPath: string): Served {
  const p = readModule({ fs, roots, seen: new Set() }, urlconf, 0);
  if ('why' in p) return { served: 'unknown', why: p.why };
  const q = requestPath.indexOf('?');
  const path = (q >= 0 ? requestPath.slice(0, q) : requestPath).replace(/^\/+/, '');
  return match(p, path);
}

/**
 * Whether Django's LocaleMiddleware can answer with a language redirect for the URLconf `urlconf`:
 * it does only where the root URLconf uses `i18n_patterns()` with the default language prefixed
 * (django/middleware/locale.py: `if response.status_code == 404 and not language_from_path and
 * i18n_patterns_used and prefixed_default_language:`; `i18n_patterns` is only allowed in the root
 * URLconf). True or false; undefined when the module is not in the workspace or builds its
 * patterns from a module it star-imports. `text` reads a workspace file (undefined: no such file).
 */
export function localeRedirects(
  text: (file: string) => string | undefined,
  roots: readonly string[],
  urlconf: string,
): boolean | undefined {
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(urlconf)) return undefined;
  const parts = urlconf.split('.');
  let source: string | undefined;
  for (const root of roots) {
    source = text(`${path.join(root, ...parts)}.py`) ?? text(path.join(root, ...parts, '__init__.py'));
    if (source !== undefined) break;
  }
  if (source === undefined) return undefined;
  if (!source.includes('i18n_patterns')) return /\bimport\s+\*/.test(source) ? undefined : false;
  // i18n_patterns(…, prefix_default_language=False): the default language has no prefix to redirect to
  return !/prefix_default_language\s*=\s*False\b/.test(source);
}

/** A view a URL pattern routes to, as written: `admin.site.urls`, `views.index`, `ItemViewSet.as_view(...)`. */
export interface RouteTarget {
  /** The view expression's source text (for `include(x)` of something other than a module name: `x`). */
  readonly view: string;
  /** True for `include(x)` of an object (`router.urls`, `admin.site.urls`). */
  readonly included: boolean;
  readonly file: string;
  /** Zero-based line of the pattern. */
  readonly line: number;
}

export type RouteTargets = { readonly targets: readonly RouteTarget[] } | { readonly why: string; readonly file?: string };

interface Collecting extends Reading {
  readonly out: RouteTarget[];
}

/** Collects the targets of a list of patterns; the reason it cannot, if any. */
function targetsOfList(r: Collecting, list: PyNode, src: string, file: string, base: number, depth: number): string | undefined {
  for (const item of namedChildren(list)) {
    if (item.type === 'comment') continue;
    if (item.type !== 'call') return 'a URL pattern that is not a path() call';
    const name = calleeName(item, src);
    if (name !== 'path' && name !== 're_path' && name !== 'url') return `a URL pattern made by ${name ?? 'a call'}()`;
    const args = namedChildren(field(item, 'arguments') ?? item).filter((a) => a.type !== 'keyword_argument');
    const target = args[1];
    if (!target) return 'a URL pattern without a view';
    const line = lineIndexAt(r.fs.readText(file) ?? '', base + item.start);
    if (target.type === 'call' && calleeName(target, src) === 'include') {
      const first = namedChildren(field(target, 'arguments') ?? target).filter((a) => a.type !== 'keyword_argument')[0];
      const mod = literal(first, src);
      if (mod !== undefined) {
        const why = targetsOfModule(r, mod, depth + 1);
        if (why) return why;
      } else if (first?.type === 'list') {
        const why = targetsOfList(r, first, src, file, base, depth + 1);
        if (why) return why;
      } else if (first?.type === 'tuple') {
        // include((patterns, app_name)): the patterns are the tuple's first item
        const inner = namedChildren(first)[0];
        if (inner?.type === 'list') {
          const why = targetsOfList(r, inner, src, file, base, depth + 1);
          if (why) return why;
        } else if (inner) r.out.push({ view: src.slice(inner.start, inner.end), included: true, file, line });
        else return 'an include() of an empty tuple';
      } else if (first) r.out.push({ view: src.slice(first.start, first.end), included: true, file, line });
      else return 'an include() without patterns';
      continue;
    }
    r.out.push({ view: src.slice(target.start, target.end), included: false, file, line });
  }
  return undefined;
}

function targetsOfExpr(r: Collecting, n: PyNode, src: string, file: string, base: number, depth: number): string | undefined {
  if (n.type === 'list') return targetsOfList(r, n, src, file, base, depth);
  if (n.type === 'binary_operator' && n.children.some((c) => !c.named && c.text === '+')) {
    const l = field(n, 'left');
    const rt = field(n, 'right');
    return (l && targetsOfExpr(r, l, src, file, base, depth)) || (rt && targetsOfExpr(r, rt, src, file, base, depth)) || undefined;
  }
  if (n.type === 'call' && (calleeName(n, src) === 'static' || calleeName(n, src) === 'staticfiles_urlpatterns')) return undefined;
  if (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n)[0];
    return inner ? targetsOfExpr(r, inner, src, file, base, depth) : undefined;
  }
  // `urlpatterns += router.urls`: the router's views
  if (n.type === 'attribute' && src.slice(n.start, n.end).endsWith('.urls')) {
    r.out.push({ view: src.slice(n.start, n.end), included: true, file, line: lineIndexAt(r.fs.readText(file) ?? '', base + n.start) });
    return undefined;
  }
  return 'URL patterns built in a way the reading does not follow';
}

function targetsOfModule(r: Collecting, name: string, depth: number): string | undefined {
  if (depth > 8) return 'includes nested too deeply';
  const mod = resolveModuleFile(r.fs, r.roots, name);
  if (!mod) return `${name} is not in the workspace`;
  if (r.seen.has(mod.file)) return undefined; // read already: its targets are collected
  r.seen.add(mod.file);
  const text = r.fs.readText(mod.file);
  if (text === undefined) return `${name} cannot be read`;
  const statements = urlpatternStatements(text);
  if (!statements) return `${name} could not be parsed in time`;
  const mark = r.out.length;
  let assigned = false;
  for (const { start, src, assign } of statements) {
    if (!assign) return `${name} changes urlpatterns in a way the reading does not follow`;
    if (assign.replaces) r.out.length = mark;
    const why = targetsOfExpr(r, assign.right, src, mod.file, start, depth);
    if (why) return why;
    assigned = true;
  }
  if (!assigned) return `${name} has no urlpatterns the reading can follow`;
  return undefined;
}

/**
 * Every view the URL patterns of `urlconf` route to, following `include("module")` and inline
 * lists (debug-only additions left out), or why they cannot all be read: a pattern the reading
 * does not follow could route anywhere.
 */
export function routeTargets(fs: FileSystem, roots: readonly string[], urlconf: string): RouteTargets {
  const r: Collecting = { fs, roots, seen: new Set(), out: [] };
  const why = targetsOfModule(r, urlconf, 0);
  if (why) return { why };
  return { targets: r.out };
}
