// How a module a start script writes from an unquoted heredoc shows what the shell fills in when the
// script runs: each command substitution is written as `$(` and underscores up to its `)`, and one
// that generates a random value (`$(openssl rand -hex 32)`) as `$(random_…)`, keeping its length
// (readers/process/moduleWrites.ts writes them; the evaluator reads them, eval/expressions.ts).

/** What a command substitution that generates a random value starts with, after `$(` or a backquote. */
export const RANDOM_MARK = 'random';

/** What a string a shell-expanded module holds is: a variable alone (`${DB_PASSWORD}`), a random value, or something else the shell computes. */
export function shellExpansion(text: string): { readonly variable: string } | 'random' | 'computed' | undefined {
  const v = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(text);
  if (v) return { variable: v[1]! };
  if (text.includes(`$(${RANDOM_MARK}`) || text.includes(`\`${RANDOM_MARK}`)) return 'random';
  return text.includes('$') || text.includes('`') ? 'computed' : undefined;
}

/**
 * A Python template envsubst renders (`envsubst < settings.py.in > settings.py`, catalogue
 * ciEnvironment.ts ENVSUBST_SUBSTITUTES) as the parser can read it, every character in its place:
 * a placeholder inside a string or a comment stays as written (a string holding `${NAME}` alone is
 * the variable's text, shellExpansion), and one outside them, which envsubst makes Python code
 * (`DEBUG = ${DEBUG}`), becomes a name of the same length the evaluator reads as the variable's
 * text parsed as Python (placeholderVariable): `${DEBUG}` as `__DEBUG_`, `$DEBUG` as `_DEBUG`.
 * Only a variable `only` lists when given (envsubst's SHELL-FORMAT argument). Linear in the text.
 */
export function envsubstAsPython(text: string, only?: ReadonlySet<string>): string {
  if (!text.includes('$')) return text;
  let out = '';
  let last = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      } else if (c === '\n' && quote.length === 1) quote = '';
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '"' || c === "'") quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
    else if (c === '$') {
      const m = PLACEHOLDER.exec(text.slice(i, i + 260));
      if (!m || (only && !only.has(m[1] ?? m[2]!))) continue;
      out += text.slice(last, i) + (m[1] !== undefined ? `__${m[1]}_` : `_${m[2]!}`);
      last = i + m[0].length;
      i = last - 1;
    }
  }
  return out + text.slice(last);
}

/** `${NAME}` (group 1) or `$NAME` (group 2) at the start. */
const PLACEHOLDER = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]{0,250})\}|([A-Za-z_][A-Za-z0-9_]{0,250}))/;

/** The variable a name envsubstAsPython wrote for a placeholder outside a string stands for (`__DEBUG_`: DEBUG), else undefined. */
export function placeholderVariable(name: string): string | undefined {
  return /^__[A-Za-z_][A-Za-z0-9_]*_$/.test(name) ? name.slice(2, -1) : /^_[A-Za-z][A-Za-z0-9_]*$/.test(name) ? name.slice(1) : undefined;
}
