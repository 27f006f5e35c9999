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

function readModule(r: Reading, name: string, depth: number): Patterns | { why: string } {
  if (depth > 8) return { why: 'includes nested too deeply' };
  const mod = resolveModuleFile(r.fs, r.roots, name);
  if (!mod) return { why: `${name} is not in the workspace` };
  if (r.seen.has(mod.file)) return { why: `${name} includes itself` };
  r.seen.add(mod.file);
  const text = r.fs.readText(mod.file);
  if (text === undefined) return { why: `${name} cannot be read` };
  const top = parseTopLevel(text);
  if (!top) return { why: `${name} could not be parsed in time` };
  const entries: Entry[] = [];
  let assigned = false;
  for (const { start, node } of top) {
    const src = text.slice(start, start + node.end);
    if (!src.includes('urlpatterns')) continue;
    let stmt = node;
    if (stmt.type === 'if_statement' && isDebugTest(field(stmt, 'condition'), src)) continue;
    if (stmt.type === 'expression_statement') stmt = namedChildren(stmt)[0] ?? stmt;
    const left = field(stmt, 'left');
    const right = field(stmt, 'right');
    if (
      (stmt.type === 'assignment' || stmt.type === 'augmented_assignment') &&
      left &&
      src.slice(left.start, left.end) === 'urlpatterns' &&
      right
    ) {
      if (stmt.type === 'assignment') entries.length = 0;
      entries.push(...entriesOfExpr(r, right, src, depth));
      assigned = true;
      continue;
    }
    entries.push({ kind: 'unknown', why: `${name} changes urlpatterns in a way the reading does not follow` });
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
