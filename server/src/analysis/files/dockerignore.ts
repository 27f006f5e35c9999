// .dockerignore semantics, as BuildKit applies them to the files of a build context (moby/patternmatcher,
// catalogue/dockerBuild.ts DOCKERIGNORE_FILES): one pattern a line, `#` lines and blank lines
// skipped, each pattern cleaned (`./a/` is `a`, a leading `/` dropped) and matched against the
// path relative to the context's root, or any folder above it (`node_modules` excludes everything in
// it); `*` and `?` within one path segment, `[…]` classes, `\` escapes (Go's filepath.Match), `**`
// any number of folders; a `!` pattern takes back what an earlier one excluded; the last matching
// pattern decides. Matching walks the pattern and the path with one resumption point per star, as
// filepath.Match does, never backtracking further: linear in practice, at worst their product.
import * as path from 'node:path';

interface DockerIgnorePattern {
  readonly exclusion: boolean;
  readonly segments: readonly string[];
  /** The pattern as written (for messages), `!` included. */
  readonly written: string;
  /** 1-based line in the file. */
  readonly line: number;
}

export interface DockerIgnoreRules {
  readonly patterns: readonly DockerIgnorePattern[];
}

/** Reads a .dockerignore's text. */
export function parseDockerIgnore(text: string): DockerIgnoreRules {
  const patterns: DockerIgnorePattern[] = [];
  text.split('\n').forEach((raw, i) => {
    let p = raw.trim();
    if (p === '' || p.startsWith('#')) return;
    const written = p;
    const exclusion = p.startsWith('!');
    if (exclusion) p = p.slice(1).trim();
    if (p === '') return;
    p = path.posix.normalize(p);
    if (p.length > 1 && p.startsWith('/')) p = p.replace(/^\/+/, '');
    if (p === '.' || p === '/') p = '';
    const segments = p === '' ? [] : p.split('/').filter((s) => s !== '');
    patterns.push({ exclusion, segments, written, line: i + 1 });
  });
  return { patterns };
}

/**
 * The pattern that decides whether the build leaves out `rel` (a path relative to the context's root,
 * `/`-separated): the last that matches it or a folder above it; excluded when that one is not a `!`
 * pattern. Undefined: no pattern matches, the file is sent.
 */
export function dockerIgnoreDecision(
  rules: DockerIgnoreRules,
  rel: string,
): { excluded: boolean; pattern: string; line: number } | undefined {
  const parts = rel.split('/').filter((s) => s !== '' && s !== '.');
  let decision: { excluded: boolean; pattern: string; line: number } | undefined;
  for (const p of rules.patterns) {
    let matched = false;
    for (let n = parts.length; n >= 1 && !matched; n--) matched = matchSegments(p.segments, parts.slice(0, n));
    if (matched) decision = { excluded: !p.exclusion, pattern: p.written, line: p.line };
  }
  return decision;
}

/** Whether the pattern's segments match the path's: `**` any number of segments, others one each. */
function matchSegments(pattern: readonly string[], parts: readonly string[]): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < parts.length) {
    if (i < pattern.length && pattern[i] === '**') {
      star = i++;
      resume = j;
    } else if (i < pattern.length && matchSegment(pattern[i]!, parts[j]!)) {
      i++;
      j++;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else return false;
  }
  while (i < pattern.length && pattern[i] === '**') i++;
  return i === pattern.length;
}

/** Go's filepath.Match within one segment: `*`, `?`, `[…]` (`^` or `!` negates, ranges), `\` escapes. */
function matchSegment(pattern: string, name: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < name.length) {
    const c = pattern[i];
    if (c === '*') {
      star = ++i;
      resume = j;
      continue;
    }
    const step = i < pattern.length ? matchOne(pattern, i, name[j]!) : -1;
    if (step > 0) {
      i += step;
      j++;
    } else if (star >= 0) {
      i = star;
      j = ++resume;
    } else return false;
  }
  while (pattern[i] === '*') i++;
  return i === pattern.length;
}

/** The length of the pattern item at `i` when it matches `ch` (a literal, `?`, an escape, a class); -1 when not. */
function matchOne(pattern: string, i: number, ch: string): number {
  const c = pattern[i]!;
  if (c === '?') return 1;
  if (c === '\\' && i + 1 < pattern.length) return pattern[i + 1] === ch ? 2 : -1;
  if (c !== '[') return c === ch ? 1 : -1;
  let k = i + 1;
  const negated = pattern[k] === '^' || pattern[k] === '!';
  if (negated) k++;
  let found = false;
  let first = true;
  while (k < pattern.length && (first || pattern[k] !== ']')) {
    first = false;
    let lo = pattern[k]!;
    if (lo === '\\' && k + 1 < pattern.length) lo = pattern[++k]!;
    k++;
    let hi = lo;
    if (pattern[k] === '-' && k + 1 < pattern.length && pattern[k + 1] !== ']') {
      hi = pattern[k + 1]!;
      if (hi === '\\' && k + 2 < pattern.length) hi = pattern[++k + 1]!;
      k += 2;
    }
    if (lo <= ch && ch <= hi) found = true;
  }
  if (k >= pattern.length) return -1; // no closing `]`: Go's ErrBadPattern, no match
  return found !== negated ? k + 1 - i : -1;
}
