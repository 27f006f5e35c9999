// A start script that never runs its arguments: what the words after it name does not run. A
// Dockerfile's `ENTRYPOINT ["/entrypoint.sh"]` with `CMD ["gunicorn", …]` runs the script with the CMD
// as its arguments; the CMD runs only if the script hands over to them (`exec "$@"`). A script that
// ends with its own `exec gunicorn …` and never reads `$@`, `$*`, `$1`… ignores them: the CMD's
// gunicorn is not a process of the deployment (the script's own is).
import type { Token } from '../../readers/text';
import type { Collected } from './collect';
import type { ResolvedScript } from './starters';

/** Whether a shell script's text reads its positional parameters anywhere (`"$@"`, `$*`, `$1`, `${2}`, `$#`, `shift`). */
export function readsArguments(text: string): boolean {
  return /\$(?:[@*#1-9]|\{[@*#1-9])/.test(text) || /(?:^|[\s;&|(])shift(?:$|[\s;&|)])/m.test(text);
}

/**
 * Drops from the records what the words after a start script start (`argsOf`), when that script is a
 * workspace file that never reads its arguments; then what the dropped scripts' own arguments start,
 * and so on. Returns the scripts left.
 */
export function dropIgnoredArguments(r: Collected, scripts: readonly ResolvedScript[]): ResolvedScript[] {
  const ignoring = new Set<Token>();
  for (const s of scripts) {
    if (!s.file || s.ref.args.length === 0 || s.ref.make || s.ref.npmScript || s.ref.supervisord) continue;
    const text = r.ws.text(s.file);
    if (text !== undefined && !readsArguments(text)) ignoring.add(s.ref.script);
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
  return scripts.filter((s) => !dead(s.ref));
}
