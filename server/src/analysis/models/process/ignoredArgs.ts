// A start script that never runs its arguments: what the words after it name does not run. A
// Dockerfile's `ENTRYPOINT ["/entrypoint.sh"]` with `CMD ["gunicorn", …]` runs the script with the CMD
// as its arguments; the CMD runs only if the script hands over to them (`exec "$@"`). A script that
// ends with its own `exec gunicorn …` and never reads `$@`, `$*`, `$1`… ignores them, and one that
// reads them only as a mode (`[ "$1" = gunicorn ]`, `MODE=${1:-web}`) runs none of them: the CMD's
// gunicorn is not a process of the deployment (the script's own is).
import { tokenize } from '../../readers/shell';
import { MappedText, type Token } from '../../readers/text';
import type { Collected } from './collect';
import type { ResolvedScript } from './starters';

/** Whether a shell script's text reads its positional parameters anywhere (`"$@"`, `$*`, `$1`, `${2}`, `$#`, `shift`). */
export function readsArguments(text: string): boolean {
  return /\$(?:[@*#1-9]|\{[@*#1-9])/.test(text) || /(?:^|[\s;&|(])shift(?:$|[\s;&|)])/m.test(text);
}

/** A word that holds the script's arguments (`"$@"`, `$*`, `$1`, `${1:-web}`; not `$#`, their count). */
const POSITIONAL = /\$(?:[@*1-9]|\{[@*1-9])/;
/** Commands that only test or print a word: an argument there is read, never run. */
const READ_ONLY = new Set(['[', '[[', 'test', 'echo', 'printf', 'shift', ':', 'true', 'false', 'exit', 'return']);
/** Commands that set a variable from their words (`export MODE=$1`, `local mode="$1"`). */
const SETTERS = new Set(['export', 'local', 'readonly', 'declare', 'typeset']);

/**
 * Whether a shell script may run its arguments as a command: it reads them (readsArguments) anywhere
 * but in a test (`[ "$1" = web ]`), a `case` word, `echo`/`printf`, `shift`, or a variable it sets from
 * them (`MODE="${1:-gunicorn}"`) that it only tests or prints in turn. A script that reads its one
 * argument as a mode (`CMD ["gunicorn"]` picking what its own `exec gunicorn …` starts) runs none of
 * them: the CMD's words are not a command line.
 */
export function runsArguments(file: string, text: string): boolean {
  if (!readsArguments(text)) return false;
  const commands = tokenize(MappedText.slice(file, text));
  // the variables set from the arguments, and then from those (MODE=$1; CMD=$MODE)
  const fromArgs = new Set<string>();
  const carries = (w: Token): boolean => POSITIONAL.test(w.text) || w.env.some((e) => fromArgs.has(e.name));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of commands) {
      const sets = c.words.length === 0 ? c.assignments.map((a) => ({ name: a.name, value: a.value })) : [];
      if (c.words.length > 0 && SETTERS.has(c.words[0]!.text))
        for (const w of c.words.slice(1)) {
          const eq = w.text.indexOf('=');
          if (eq > 0) sets.push({ name: w.text.slice(0, eq), value: w });
        }
      for (const s of sets)
        if (!fromArgs.has(s.name) && carries(s.value)) {
          fromArgs.add(s.name);
          grew = true;
        }
    }
  }
  for (const c of commands) {
    if (c.words.length === 0 || READ_ONLY.has(c.words[0]!.text) || SETTERS.has(c.words[0]!.text)) continue;
    if (c.words.some(carries) || c.assignments.some((a) => carries(a.value))) return true;
  }
  return false;
}

/**
 * Drops from the records what the words after a start script start (`argsOf`), when that script is a
 * workspace file that never runs its arguments (runsArguments); then what the dropped scripts' own
 * arguments start, and so on. Returns the scripts left.
 */
export function dropIgnoredArguments(r: Collected, scripts: readonly ResolvedScript[]): ResolvedScript[] {
  const ignoring = new Set<Token>();
  for (const s of scripts) {
    if (!s.file || s.ref.args.length === 0 || s.ref.make || s.ref.npmScript || s.ref.supervisord) continue;
    const text = r.ws.text(s.file);
    if (text !== undefined && !runsArguments(s.file, text)) ignoring.add(s.ref.script);
  }
  if (ignoring.size === 0) return [...scripts];
  const dead = (x: { argsOf?: Token }): boolean => x.argsOf !== undefined && ignoring.has(x.argsOf);
  // a script in the ignored words is dead, and so are its own arguments
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of r.out.scripts)
      if (dead(s.ref) && !ignoring.has(s.ref.script)) {
        ignoring.add(s.ref.script);
        grew = true;
      }
  }
  const o = r.out;
  o.invocations = o.invocations.filter((x) => !dead(x));
  o.scripts = o.scripts.filter((x) => !dead(x.ref));
  o.forwards = o.forwards.filter((x) => !dead(x.forward));
  o.tasks = o.tasks.filter((x) => !dead(x.task));
  o.others = o.others.filter((x) => !dead(x.other));
  o.installs = o.installs.filter((x) => !dead(x.install));
  return scripts.filter((s) => !dead(s.ref));
}

/**
 * Marks what the words after a shell start script the repository does not hold start
 * (`command: ["/docker-entrypoint.sh"]`, `args: ["gunicorn"]` with an image built elsewhere):
 * `gunicorn` there is an argument to a script that cannot be read, which may add options, take it
 * as a mode or run a command line of its own, not a gunicorn command line whose flags are all known
 * (Invocation.argsOfUnread).
 */
export function markArgumentsOfUnreadScripts(r: Collected, scripts: readonly ResolvedScript[]): void {
  const unread = new Set<Token>();
  for (const s of scripts) {
    if (s.file || s.ref.args.length === 0 || s.ref.make || s.ref.npmScript || s.ref.supervisord) continue;
    const text = s.ref.script.text;
    const base = text.slice(text.lastIndexOf('/') + 1);
    // (a shell script by its name: `.sh`, `entrypoint`, `docker-entrypoint`, `start`)
    if (!s.ref.script.dynamic && (base.endsWith('.sh') || /^(?:docker-)?entrypoint$|^start$/.test(base))) unread.add(s.ref.script);
  }
  if (unread.size === 0) return;
  // (in place: the edges and demotions read so far hold these very records)
  for (const x of r.out.invocations)
    if (x.argsOf && unread.has(x.argsOf) && !x.argsOfUnread) (x as { argsOfUnread?: string }).argsOfUnread = x.argsOf.text;
}
