// Masking: any output's text with the secrets replaced by `***` (messages, fix titles, checklists,
// settings views, `--diff`), URL credentials stripped from any text, and the list of secrets
// ordered for it (distinct, longest first).
import { isTokenUser } from './shapes';

/**
 * `scheme://userinfo@` anywhere in a text: the userinfo is what stripUrlCredentials removes. Read
 * once per run of scheme characters, from its start: (1) what comes before the scheme in the run
 * (`git+` is part of it, but not `1.` or `_`), (2) the scheme, as the leftmost place a scheme can
 * start (a letter after a non-word character) in the run; (3) the userinfo. Tried at each place a
 * scheme could start, `[a-z0-9+.-]*` read the rest of the run each time (quadratic on `a+a+a+…`).
 */
export const URL_USERINFO =
  /(?<![a-z0-9+.-])(?=[a-z0-9+.-]*:\/\/)(?=([a-z0-9+.-]*?)\b([a-z][a-z0-9+.-]*:\/\/))\1\2([^\s/?#@'"`<>]*)@(?=[^\s@])/gi;

/**
 * Any URL in the text with its credentials replaced by `***`: `user:password@` and a user part that
 * is a token by itself (`git+https://oauth2:TOKEN@host/…` → `git+https://***@host/…`). The one
 * function every output that may show a URL goes through (messages, checklists, version sources,
 * summaries, diffs).
 */
export function stripUrlCredentials(text: string): string {
  if (!text.includes('@') || !text.includes('://')) return text;
  return text.replace(URL_USERINFO, (all, before: string, scheme: string, userinfo: string) => {
    if (userinfo === '' || userinfo === '***') return all;
    if (userinfo.includes(':') || isTokenUser(userinfo)) return `${before}${scheme}***@`;
    return all;
  });
}

/** Distinct secrets, longest first (a longer one containing a shorter one is masked whole). */
export function sortSecrets(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** One pattern for all the secrets, longest first, built once per list: messages × secrets string searches were quadratic. */
const patterns = new WeakMap<readonly string[], { re: RegExp | null; long: string[] }>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text with every secret replaced by `***`, and URL credentials stripped. A secret is masked
 * where it stands as a value, not inside a longer word: a password "pass" leaves "password" in a
 * sentence alone (messages never read "a *** written").
 */
export function redact(text: string, secrets: readonly string[]): string {
  let masking = patterns.get(secrets);
  if (masking === undefined) {
    // A pattern of every secret, but for the long ones (a 50,000-character value made V8 refuse
    // the pattern as too large, and the project's analysis failed): those are found by a scan, first,
    // so that a short secret inside a long one cannot leave the rest of the long one shown.
    const long = secrets.filter((s) => s.length > LONG_SECRET).sort((a, b) => b.length - a.length);
    // a weak secret (a short word: a database password that is the project's name, "root") is
    // masked where it stands as a value — a word of letters only where it is quoted or follows `=`
    // or `: `, not as a word of a sentence ("the app runs as root") — and never as a part of a dotted name, a path, a hyphenated word, an image
    // reference or an address: with the password "shop", AUTH_USER_MODEL "shop.User", BASE_DIR
    // "/srv/shop-app", the image "shop:13", "shop@host" and "db:shop" are shown as they are
    const alts = secrets
      .filter((s) => s.length > 0 && s.length <= LONG_SECRET)
      .map((s) =>
        isWeakSecret(s)
          ? `${/^[A-Za-z]+$/.test(s) ? '(?<=^|["\'`=]|: )' : /^\w/.test(s) ? '(?<![A-Za-z0-9_/\\-@]|[A-Za-z0-9_][.:])' : ''}${escapeRe(s)}${/\w$/.test(s) ? '(?![A-Za-z0-9_/\\-@]|[.:][A-Za-z0-9_/])' : ''}`
          : `${/^\w/.test(s) ? '(?<![A-Za-z0-9_])' : ''}${escapeRe(s)}${/\w$/.test(s) ? '(?![A-Za-z0-9_])' : ''}`,
      );
    let re: RegExp | null = null;
    try {
      re = alts.length ? new RegExp(alts.join('|'), 'g') : null;
    } catch {
      // too many secrets for one pattern: every one is scanned for, the longest first
      long.splice(0, long.length, ...secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length));
    }
    masking = { re, long };
    patterns.set(secrets, masking);
  }
  let out = text;
  for (const s of masking.long) out = maskWord(out, s);
  // a weak secret inside a URL ("postgres://postgres:postgres@db") is left to the credentials' strip
  return stripUrlCredentials(masking.re ? out.replace(masking.re, '***') : out);
}

/**
 * A secret that is a short word or a word alone (`shop`, `postgres`, `correcthorsebattery`): it
 * also occurs in text that is no secret (a module path, a folder name), so it is masked only where
 * it stands alone. Such a secret has a finding of its own (a weak or written password).
 */
export function isWeakSecret(s: string): boolean {
  return s.length < 12 || /^[A-Za-z]+$/.test(s);
}

/** Secrets longer than this are masked by a scan rather than in the pattern of the others. */
const LONG_SECRET = 1000;

/** `text` with each occurrence of `s` masked, where the pattern would mask it (not inside a longer word). */
function maskWord(text: string, s: string): string {
  const wordStart = isWordChar(s.charCodeAt(0));
  const wordEnd = isWordChar(s.charCodeAt(s.length - 1));
  let out = '';
  let from = 0;
  let i = text.indexOf(s);
  while (i >= 0) {
    const free = (!wordStart || i === 0 || !isWordChar(text.charCodeAt(i - 1))) && (!wordEnd || !isWordChar(text.charCodeAt(i + s.length)));
    if (free) {
      out += `${text.slice(from, i)}***`;
      from = i + s.length;
      i = text.indexOf(s, from);
    } else i = text.indexOf(s, i + 1);
  }
  return from === 0 ? text : out + text.slice(from);
}

/** [A-Za-z0-9_] (NaN, past the end of a text: false). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * A unified diff with the secrets masked on every line but the file headers (whose paths only get
 * their URL credentials stripped): context and removed lines show what the files held, added lines
 * what a fix wrote from it. `quoted`: credentials too short to be masked as words (`"z9q"` under a
 * JWT signing key), masked where they are a quoted literal's whole content.
 */
export function redactDiff(diff: string, secrets: readonly string[], quoted: readonly string[] = []): string {
  let inHunk = false;
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('@@')) inHunk = true;
      else if (line.startsWith('--- ') && !inHunk) return stripUrlCredentials(line);
      else if (line.startsWith('diff ') || line.startsWith('Index: ')) inHunk = false;
      return inHunk ? maskQuoted(redact(line, secrets), quoted) : stripUrlCredentials(line);
    })
    .join('\n');
}

/** `"s"` and `'s'` in a line, for each short credential s, with s replaced by `***`. */
function maskQuoted(line: string, quoted: readonly string[]): string {
  let out = line;
  for (const s of quoted) for (const q of ['"', "'"]) if (out.includes(q + s + q)) out = out.split(q + s + q).join(`${q}***${q}`);
  return out;
}
