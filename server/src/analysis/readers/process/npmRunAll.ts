// npm-run-all (and its run-p / run-s forms): which package.json scripts a command line runs. Its
// tasks are script names or glob-like patterns, matched the way npm-run-all matches them: minimatch
// over the script name with `:` as the separator, so `*` stays within one `:`-separated part and
// `**` spans parts (`build:*` matches `build:css`, not `build:css:min`; `build:**` both). Each task
// runs as `npm run <name>`, with its pre- and post-scripts. A pattern using other glob syntax
// (`[…]`, `{…}`, `!(…)`) matches nothing here: the scripts it runs stay unknown, never guessed.
import { globMatch } from '../proxy/configs';
import type { Token } from '../text';

/** Options of npm-run-all that take the next word as their value. */
const WITH_VALUE = new Set(['--max-parallel', '--npm-path']);

/** A task of an npm-run-all command line: the script name or pattern (the part before a space). */
export interface NpmRunAllTask {
  readonly text: string;
  readonly pattern: boolean;
}

/** The tasks of `npm-run-all [options] tasks… [-- args]` (the words after the program). */
export function npmRunAllTasks(words: readonly Token[]): NpmRunAllTask[] {
  const out: NpmRunAllTask[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.text === '--') break;
    if (WITH_VALUE.has(w.text)) {
      i++;
      continue;
    }
    if (w.text.startsWith('-')) continue;
    if (w.dynamic) continue;
    const trimmed = w.text.trim();
    const space = trimmed.indexOf(' ');
    const task = space < 0 ? trimmed : trimmed.slice(0, space);
    if (task) out.push({ text: task, pattern: task.includes('*') || task.includes('?') });
  }
  return out;
}

/** Glob syntax this matcher does not read: a pattern holding it matches nothing. */
function unsupported(pattern: string): boolean {
  for (const c of pattern) if (c === '[' || c === '{' || c === '(' || c === '!' || c === '\\') return true;
  return false;
}

/** The script names `pattern` matches, in package.json's order (an exact name matches itself). */
export function matchScripts(pattern: string, names: readonly string[]): string[] {
  if (unsupported(pattern)) return [];
  const pp = pattern.split(':');
  const matches = (name: string): boolean => {
    const ss = name.split(':');
    // parts of the pattern against parts of the name, `**` as zero or more parts
    const memo = new Map<number, boolean>();
    const at = (i: number, j: number): boolean => {
      const key = i * (ss.length + 1) + j;
      const known = memo.get(key);
      if (known !== undefined) return known;
      let r: boolean;
      if (i === pp.length) r = j === ss.length;
      else if (pp[i] === '**') r = at(i + 1, j) || (j < ss.length && at(i, j + 1));
      else r = j < ss.length && globMatch(pp[i]!, ss[j]!) && at(i + 1, j + 1);
      memo.set(key, r);
      return r;
    };
    return at(0, 0);
  };
  return names.filter(matches);
}
