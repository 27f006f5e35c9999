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

/** A glob pattern for one path segment (`*.py`, `base?.py`, `[ab].py`) as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          glob
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  // like glob.glob, `*` does not match names starting with a dot
  return new RegExp(`^(?!\\.)${re}$`);
}
