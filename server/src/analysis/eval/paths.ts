// Path arithmetic on the strings Python code builds paths from (os.path, pathlib, `/`): one
// normalisation for the whole evaluator, as posixpath.normpath does it.

export function joinPath(a: string, b: string): string {
  if (b.startsWith('/')) return normalizePath(b);
  // `BASE_DIR / "static"`: a normalized path and a plain name need no normalizing (the common case)
  if (b !== '' && b !== '.' && b !== '..' && !b.includes('/') && a !== '' && !NOT_NORMAL.test(a)) return a === '/' ? `/${b}` : `${a}/${b}`;
  return normalizePath(a.endsWith('/') ? a + b : a + '/' + b);
}

/** A path that normalizePath would change: empty, `.`/`..` segments, doubled or trailing slashes. */
const NOT_NORMAL = /(^|\/)\.\.?(\/|$)|\/\/|.\/$/;

export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && abs) continue;
    else out.push(part);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}

/**
 * A glob pattern for one path segment (`*.py`, `base?.py`, `[ab].py`, `[!_]*.py`) as a test of a
 * name: what `^(?!\.)…$` built from it matched (`*` and `?` never match `/`; like glob.glob, `*`
 * does not match a name starting with a dot; a bracket's contents as a character class, `!`
 * negating). Matched by a scan of the name against the pattern's parts: the regular expression
 * backtracked over every way its stars could share the name (the pattern is written in a settings
 * file). Throws a SyntaxError where the class did (a range out of order).
 */
export function globMatcher(glob: string): (name: string) => boolean {
  type Part = { kind: 'star' } | { kind: 'one'; test: (c: string) => boolean };
  const parts: Part[] = [];
  const notSlash = (c: string): boolean => c !== '/';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') parts.push({ kind: 'star' });
    else if (c === '?') parts.push({ kind: 'one', test: notSlash });
    else if (c === '[' && glob.indexOf(']', i + 1) >= 0) {
      const end = glob.indexOf(']', i + 1);
      parts.push({ kind: 'one', test: characterClass(glob.slice(i + 1, end)) });
      i = end;
    } else parts.push({ kind: 'one', test: (x) => x === c });
  }
  return (name) => {
    if (name.startsWith('.')) return false;
    // can[k]: the first k parts can match the name read so far
    let can = new Array<boolean>(parts.length + 1).fill(false);
    can[0] = true;
    for (let k = 0; k < parts.length && parts[k]!.kind === 'star'; k++) can[k + 1] = true;
    // by UTF-16 unit, as the pattern without the u flag read the name
    for (let i = 0; i < name.length; i++) {
      const unit = name[i]!;
      const next = new Array<boolean>(parts.length + 1).fill(false);
      for (let k = 0; k < parts.length; k++) {
        if (!can[k]) continue;
        const p = parts[k]!;
        if (p.kind === 'star') {
          if (unit !== '/') next[k] = true;
        } else if (p.test(unit)) next[k + 1] = true;
      }
      // a star matches nothing too
      for (let k = 0; k < parts.length; k++) if (next[k] && parts[k]!.kind === 'star') next[k + 1] = true;
      can = next;
    }
    return can[parts.length]!;
  };
}

/**
 * The test of one character (a UTF-16 unit) by a glob's bracket contents, as the JavaScript class
 * `[…]` made of them read it: a leading `!` (or `^`) negates; `a-z` is a range; a backslash is
 * itself. An empty class matches nothing, `[!]` anything.
 */
function characterClass(contents: string): (c: string) => boolean {
  let body = contents;
  const negated = body.startsWith('!') || body.startsWith('^');
  if (negated) body = body.slice(1);
  const ranges: [number, number][] = [];
  for (let i = 0; i < body.length; i++) {
    const from = body.charCodeAt(i);
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const to = body.charCodeAt(i + 2);
      if (to < from) throw new SyntaxError(`Invalid regular expression: /[${contents}]/: Range out of order in character class`);
      ranges.push([from, to]);
      i += 2;
    } else ranges.push([from, from]);
  }
  return (c) => {
    const code = c.charCodeAt(0);
    return ranges.some(([a, b]) => code >= a && code <= b) !== negated;
  };
}
