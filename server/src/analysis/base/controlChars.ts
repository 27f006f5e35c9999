// Control characters in paths, messages and values are shown escaped in every output, never raw: a
// folder named "x\n::error file=..." must not forge a line (a GitHub annotation) in the text output,
// and bidirectional overrides must not reorder what a reader sees.

/** C0 and C1 controls, DEL, line/paragraph separators and the bidirectional embedding/override/isolate characters. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character escaped (`\n`, `\x1b`, `\u202e`…). */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, escapeOne) : text;
}

/** The same, keeping line breaks (\n) and tabs: for text meant to span lines (an editor's message, a detail). */
export function escapeControlKeepLines(text: string): string {
  CONTROL_BUT_NEWLINE_TAB.lastIndex = 0;
  return CONTROL_BUT_NEWLINE_TAB.test(text) ? text.replace(CONTROL_BUT_NEWLINE_TAB, escapeOne) : text;
}

/**
 * A copy of a JSON-like value with every string escaped, for structures rendered as text (such as
 * checklists): strings under keys in `multiline` keep their line breaks, those under keys in
 * `verbatim` (paths that are looked up, not shown) are left alone.
 */
export function escapeControlDeep<T>(value: T, options: { multiline?: readonly string[]; verbatim?: readonly string[] } = {}): T {
  const multiline = new Set(options.multiline ?? []);
  const verbatim = new Set(options.verbatim ?? []);
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') {
      if (key !== undefined && verbatim.has(key)) return v;
      return key !== undefined && multiline.has(key) ? escapeControlKeepLines(v) : escapeControl(v);
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value, undefined) as T;
}
