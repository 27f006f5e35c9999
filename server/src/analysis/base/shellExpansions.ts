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
