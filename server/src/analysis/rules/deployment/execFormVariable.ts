// DDG321: a shell variable (`${GUNICORN_WORKERS:-4}`, `$PORT`) in a command no shell runs: the
// exec form of a Dockerfile's CMD/ENTRYPOINT, or a Kubernetes container's command/args (which
// expand only `$(VAR)`). The program gets the text as written.
import * as path from 'node:path';
import { NOT_A_WRAPPER, skipWrapper, WRAPPER_ENDS } from '../../readers/process/wrappers';
import { settingByName } from '../../catalogue/gunicornNames';
import type { Loc } from '../../eval/values';
import type { ServerInvocation } from '../../models/appServer/model';
import { finalStage } from '../../readers/container/dockerfile';
import type { Token } from '../../readers/text';
import { productionPythonDockerfiles } from '../app-server/topology';
import type { Rule } from '../types';

/** The start of a shell variable reference: `$NAME` or `${…}` (not Kubernetes' `$(NAME)`). */
const VARIABLE = /\$(?:\{|[A-Za-z_])/;
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);
/** Settings whose value gunicorn reads as a number (or an address with a port): a variable's text makes it refuse to start. */
const NUMERIC = new Set(['pos-int', 'bounded-int', 'octal-int']);
const PORT_FLAGS = new Set(['--port', '--workers', '-p', '--backlog', '--limit-concurrency', '--timeout-keep-alive']);

function sameLoc(a: Loc, b: Loc): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end;
}

/** The word after a shell's `-c` in an exec form (the script a shell runs, where variables are expanded), if any. */
function shellScript(words: readonly Token[]): Token | undefined {
  // (through the wrappers a command line starts its program with: `/usr/bin/env bash -c`, `tini -- sh -c`)
  let at = 0;
  for (let guard = 0; at < words.length && guard < 10; guard++) {
    const next = skipWrapper(words, at, path.basename(words[at]!.text), []);
    if (next === NOT_A_WRAPPER) break;
    if (next === WRAPPER_ENDS) return undefined;
    at = next;
  }
  const first = words[at];
  if (!first || !SHELLS.has(path.basename(first.text))) return undefined;
  // `-c`, `-ec`, `-lc`: a cluster of one-letter options with c among them
  const c = words.findIndex((w, i) => i > at && /^-[a-z]+$/.test(w.text) && w.text.includes('c'));
  return c > at ? words[c + 1] : undefined;
}

/** What the server does with the text, when a server's option or address takes it. */
function consequence(commands: readonly ServerInvocation[], item: Token): { server: string; what: string; refused: boolean } | undefined {
  for (const inv of commands) {
    const o = inv.options.find((x) => x.value && sameLoc(x.value.loc, item.loc));
    if (!o) continue;
    const flag = o.flag.text;
    if (inv.server === 'gunicorn' && o.key) {
      const def = settingByName(o.key);
      if (o.key === 'bind')
        return {
          server: 'gunicorn',
          what: `${flag} gets an address whose port is not a number, and gunicorn refuses to start`,
          refused: true,
        };
      if (def && NUMERIC.has(def.type))
        return { server: 'gunicorn', what: `${flag} gets text, not a number, and gunicorn refuses to start`, refused: true };
      return { server: 'gunicorn', what: `${flag} gets the text itself`, refused: false };
    }
    if (PORT_FLAGS.has(flag))
      return { server: inv.server, what: `${flag} gets text, not a number, and ${inv.server} refuses to start`, refused: true };
    return { server: inv.server, what: `${flag} gets the text itself`, refused: false };
  }
  return undefined;
}

export const execFormVariable: Rule = {
  code: 'DDG321',
  name: 'variable-in-exec-form',
  title: 'A variable in a command no shell runs is passed as written',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: "Reports a shell variable (`$PORT`, `${GUNICORN_WORKERS:-4}`) written in the exec form of a production Dockerfile's CMD or ENTRYPOINT (a JSON array) or in a production Kubernetes container's `command`/`args`, outside the script of a `sh -c`. An error when it is the value of a server's numeric option or address (gunicorn's `--workers`, `--bind host:${PORT}`, uvicorn's `--port`): the server refuses to start; a warning otherwise.",
    why: 'The exec form runs the program directly, without a shell: Docker does not expand variables in it, and Kubernetes expands only `$(VAR)` in `command` and `args`. The program receives the characters `${GUNICORN_WORKERS:-4}`: gunicorn exits with "invalid int value", a bind address gets no port, other programs silently use the text as a name or a path. The default after `:-` never applies.',
    example: 'CMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:${PORT:-8000}", "--workers", "${GUNICORN_WORKERS:-4}"]',
    fix: 'Let a shell expand it: the shell form (`CMD exec gunicorn mysite.wsgi --bind 0.0.0.0:${PORT:-8000}`, with `exec` so that gunicorn gets the stop signal), or `["sh", "-c", "exec gunicorn …"]`; in Kubernetes, `$(VAR)` for a variable of the container. Better still, let the program read the environment itself: gunicorn reads WEB_CONCURRENCY for its workers and PORT for its bind address.',
    good: 'CMD ["sh", "-c", "exec gunicorn mysite.wsgi --bind 0.0.0.0:${PORT:-8000}"]',
    references: [
      {
        title: 'Dockerfile reference: CMD (exec form and variable substitution)',
        url: 'https://docs.docker.com/reference/dockerfile/#cmd',
      },
      {
        title: 'Kubernetes: define a command and arguments (using environment variables)',
        url: 'https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#use-environment-variables-to-define-arguments',
      },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const runs: { words: Token[]; label: string; how: string }[] = [];
    for (const d of productionPythonDockerfiles(m, ctx.project)) {
      const last = finalStage(d);
      const ep = last?.entrypoint?.form === 'exec' ? (last.entrypoint.items ?? []) : [];
      const cmd = last?.cmd?.form === 'exec' ? (last.cmd.items ?? []) : [];
      // a shell-form ENTRYPOINT ignores CMD; a shell-form CMD under an exec ENTRYPOINT is `sh -c` text
      if (last?.entrypoint?.form === 'shell') continue;
      const words = last?.entrypoint?.form === 'exec' && last.cmd?.form === 'shell' ? ep : [...ep, ...cmd];
      if (words.length > 0)
        runs.push({
          words,
          label: `${path.basename(d.file)} ${cmd.length > 0 ? 'CMD' : 'ENTRYPOINT'}`,
          how: 'the exec form (a JSON array) runs it without a shell',
        });
    }
    for (const w of m.processes.workloads) {
      if (!w.source.production || !w.process.words || !w.source.format?.startsWith('Kubernetes')) continue;
      runs.push({ words: [...w.process.words], label: w.source.label, how: 'Kubernetes expands only $(VAR) in command and args' });
    }
    if (runs.length === 0) return ctx.notApplicable('no production Dockerfile or manifest runs a command in exec form');
    for (const r of runs) {
      const script = shellScript(r.words);
      for (const item of r.words) {
        if (item === script || item.dynamic || !VARIABLE.test(item.text)) continue;
        const c = consequence(m.commands, item);
        const message = `${item.text} reaches ${c?.server ?? path.basename(r.words[0]!.text)} as written (${r.label}): ${r.how}, so nothing expands the variable${c ? ` — ${c.what}` : ''}; use a shell (\`sh -c "exec …"\`) or let the program read the environment itself.`;
        ctx.report({
          loc: item.loc,
          message,
          ...(c?.refused ? { severity: 'error' as const, together: { code: 'DDG102', message } } : {}),
        });
      }
    }
  },
};
