// The Python modules a shell script writes (an entrypoint writing the production overrides at first
// start: `cat > /app/mysite/overrides.py <<EOF … EOF`), read without running it: for each `.py` file
// it writes (the path as written), what it writes there. A heredoc `cat` copies to the file is the
// module's text, each character mapped to the script; an unquoted delimiter lets the shell fill in
// `$(…)`, `${VAR}`, `$VAR` and backquotes when the script runs (`expands`). Any other write (an
// append, `echo`, a program's output) leaves the text not known here.
import { MappedBuilder, MappedText } from '../text';
import { RANDOM_MARK } from '../../base/shellExpansions';
import { GENERATOR, scriptWrites, templateSources } from './envFileWrites';

/** One write of a script to a Python file. */
export interface ModuleWrite {
  /** The module's text as the script writes it (a heredoc `cat` copies), or undefined when not known. */
  readonly body?: MappedText;
  /** The shell expands the body when the script runs (an unquoted heredoc delimiter). */
  readonly expands: boolean;
  /** It replaces the file (`>`), rather than appending to it. */
  readonly truncates: boolean;
  /** Written only when a condition holds (inside `if`, after `||`). */
  readonly conditional: boolean;
  /** Where the writing command starts in the script (its offset). */
  readonly at: number;
  /**
   * Rendered by envsubst from one file (`envsubst < app/settings.py.in > app/settings.py`, `cat
   * settings.py.in | envsubst > settings.py`): that file's path as written. Its `$NAME` and
   * `${NAME}` are the values of the script's environment (catalogue/ciEnvironment.ts ENVSUBST_SUBSTITUTES).
   */
  readonly envsubstOf?: string;
}

/** The Python files `text` (a shell script) writes, by path as written, each with its writes in order. */
export function modulesWritten(file: string, text: string): Map<string, ModuleWrite[]> {
  const out = new Map<string, ModuleWrite[]>();
  if (!text.includes('.py')) return out;
  for (const w of scriptWrites(file, text)) {
    if (w.opened || !w.dest.endsWith('.py') || w.dest.includes('$')) continue;
    const c = w.command;
    const r = c.redirects?.find((x) => x.heredoc);
    const raw =
      c.words.length === 1 && c.words[0]!.text === 'cat' && r?.heredoc
        ? r.op === '<<-'
          ? tabsStripped(r.heredoc.body)
          : r.heredoc.body
        : undefined;
    const body = raw && r?.heredoc?.expands ? expansionsMarked(raw) : raw;
    const rendered = raw ? undefined : templateSources(w);
    const envsubstOf = rendered?.substitutes && rendered.sources.length === 1 ? rendered.sources[0]!.text : undefined;
    const list = out.get(w.dest) ?? [];
    list.push({
      ...(body ? { body } : {}),
      expands: r?.heredoc?.expands ?? true,
      truncates: w.truncates,
      conditional: w.conditional,
      at: c.words[0]!.loc.start,
      ...(envsubstOf !== undefined ? { envsubstOf } : {}),
    });
    out.set(w.dest, list);
  }
  return out;
}

/**
 * An expanding heredoc's body with each command substitution (`$(…)`, a backquoted command) written
 * as `$(` and underscores of its length up to its `)`, and `$(random_…)` for one that generates a
 * random value (`$(openssl rand -hex 32)`): what the shell puts there is not known here, and the
 * command's own quotes (`'$(tr -dc 'a-z' …)'`) must not end the Python string around it. Variables
 * (`${DB_PASSWORD}`, `$HOST`) stay as written. Every character keeps its place in the script.
 */
export function expansionsMarked(body: MappedText): MappedText {
  const s = body.text;
  if (!s.includes('$(') && !s.includes('`')) return body;
  let out = '';
  let last = 0;
  const mark = (i: number, j: number, open: string, close: string): void => {
    const inner = j - i - open.length - close.length;
    const random = GENERATOR.test(s.slice(i, j)) && inner >= RANDOM_MARK.length;
    out +=
      s.slice(last, i) + open + (random ? RANDOM_MARK + '_'.repeat(inner - RANDOM_MARK.length) : '_'.repeat(Math.max(0, inner))) + close;
    last = j;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      const close = s.indexOf('`', i + 1);
      if (close < 0) break;
      mark(i, close + 1, '`', '`');
      i = close;
    } else if (c === '$' && s[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < s.length; j++) {
        if (s[j] === '(') depth++;
        else if (s[j] === ')' && --depth === 0) break;
      }
      if (j >= s.length) break;
      mark(i, j + 1, '$(', ')');
      i = j;
    }
  }
  out += s.slice(last);
  return new MappedText(body.file, out, body.starts, body.ends, body.at);
}

/** A `<<-` heredoc's body as the shell gives it: each line's leading tabs removed. */
function tabsStripped(body: MappedText): MappedText {
  const b = new MappedBuilder(body.file, body.at);
  const s = body.text;
  let pos = 0;
  while (pos < s.length) {
    let end = s.indexOf('\n', pos);
    end = end < 0 ? s.length : end + 1;
    let i = pos;
    while (i < end && s[i] === '\t') i++;
    b.pushMapped(body, i, end);
    pos = end;
  }
  return b.build();
}
