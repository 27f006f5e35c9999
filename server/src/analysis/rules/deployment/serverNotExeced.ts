// DDG324: a container's start script (or the shell text it runs: a shell-form CMD, `sh -c "…"` where
// /bin/sh is dash) runs the app server (or supervisord) as its last command without `exec`: the shell
// stays PID 1, the stop signal goes to it and not to the server, and the server is killed with
// SIGKILL at the end of the grace period.
import { STOP_SEQUENCE } from '../../catalogue/shellSignals';
import * as path from 'node:path';
import { shownPath } from '../../base/relPath';
import type { Rule } from '../types';

export const serverNotExeced: Rule = {
  code: 'DDG324',
  name: 'server-not-execed',
  title: "A container's start script keeps the shell as PID 1: the server never gets the stop signal",
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  fixSafety: 'safe',
  docs: {
    what: "Reports gunicorn, uvicorn, daphne, hypercorn, granian, uWSGI, supervisord, a celery worker or celery beat started as the last command of a shell script that a production container runs (its image's ENTRYPOINT or CMD, a compose service's or a Kubernetes container's command, directly or through an entrypoint script) without `exec`; and as the last command of a shell's text that is the container's main process where that shell is dash: a Dockerfile's shell-form CMD or ENTRYPOINT (Docker runs it with `/bin/sh -c`), or a compose or Kubernetes command `sh -c \"…\"`, in an image whose /bin/sh is dash (the official python, debian, ubuntu and node images without an alpine tag). dash forks even the last command of its text; bash replaces itself with it (`bash -c` is not reported), and Alpine's busybox ash is not catalogued, so an Alpine image's is not reported. Not reported: `exec gunicorn …`; a command in a pipeline, a subshell, a loop or the background (prefixing `exec` would change what the script does; `gunicorn & wait` with a TERM trap that forwards the signal is the way a script can keep running and still pass it on); an image whose ENTRYPOINT is an init that signals the whole process group (dumb-init, `tini -g`).",
    why: "dash and bash run a script's last command as a child and wait for it; only `exec` replaces the shell with the command. So the shell is the container's main process, PID 1. `docker stop` and Kubernetes send SIGTERM to that process only, and Linux delivers to PID 1 only the signals it has a handler for: the shell ignores it, the server never hears of it. After the grace period (10 s for `docker stop`, terminationGracePeriodSeconds, 30 s by default, in Kubernetes) everything is killed with SIGKILL: requests in flight are cut, workers never finish, a celery worker never starts its warm shutdown (finishing the tasks it is running) and beat never saves its schedule, every deploy and scale-down waits the whole grace period. A TERM trap does not help a server run in the foreground: dash and bash run the handler only when the command they wait for has ended. Under tini without `-g` (Docker's `--init`, compose `init: true`) the signal reaches the shell alone, which exits at once, and the server is killed with the container.",
    example: '#!/bin/bash\nset -o errexit\npython manage.py migrate\ngunicorn config.wsgi --bind 0.0.0.0:5000',
    fix: 'Prefix the command with `exec` (the quick fix): the server replaces the shell, becomes PID 1 and gets SIGTERM itself (gunicorn then stops gracefully, finishing requests within its graceful_timeout; a celery worker finishes its tasks). `set -e` and the commands before it are unaffected.',
    good: '#!/bin/bash\nset -o errexit\npython manage.py migrate\nexec gunicorn config.wsgi --bind 0.0.0.0:5000',
    references: [
      {
        title: 'Dockerfile reference: ENTRYPOINT (exec form and signals; exec in a script)',
        url: 'https://docs.docker.com/reference/dockerfile/#entrypoint',
      },
      { title: 'docker container stop', url: 'https://docs.docker.com/reference/cli/docker/container/stop/' },
      {
        title: 'Kubernetes: termination of pods',
        url: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination',
      },
      {
        title: 'pid_namespaces(7): the namespace init process and signals',
        url: 'https://man7.org/linux/man-pages/man7/pid_namespaces.7.html',
      },
      { title: 'Gunicorn: signal handling (TERM: graceful shutdown)', url: 'https://docs.gunicorn.org/en/stable/signals.html' },
    ],
  },
  check(ctx) {
    const p = ctx.appServer.processes;
    const children = p.shellChildren.filter((c) => c.source.production);
    const kinds = new Set(['shell', 'dockerfile', 'compose', 'kubernetes']);
    const starts =
      p.invocations.some((i) => kinds.has(i.source.kind) && i.source.production && i.server !== 'runserver') ||
      p.scripts.some((s) => kinds.has(s.source.kind) && s.source.production && s.ref.supervisord);
    if (!starts) return ctx.notApplicable('no production container or shell script starts an app server or supervisord');
    for (const c of children) {
      // a shell's text (`sh -c "…"`, a shell-form CMD) runs in its own container, production as its source is
      const containers = c.inline
        ? [{ ...c.inline.container, production: c.source.production }]
        : (p.scriptContainers.get(c.source.file) ?? []).filter((x) => x.production);
      // every container that runs it has an init that signals the whole group
      const bare = containers.filter((x) => !x.init);
      if (bare.length === 0) continue;
      const kube = bare.some((x) => x.kind === 'kubernetes');
      const stop = STOP_SEQUENCE[kube ? 'kubernetes' : 'docker'];
      const grace = `${stop.grace}, ${stop.knob.split(',')[0]}`;
      const by = bare[0]!;
      const where = `${by.label}${by.via.length > 0 ? ` ${by.via.join(' → ')}` : ''}${bare.length > 1 ? ` and ${bare.length - 1} more` : ''}`;
      const file = shownPath(ctx.project, c.source.file);
      const prog = c.program;
      const pid1 = bare.every((x) => !x.initAlone);
      const killed = pid1 ? `is SIGKILLed after the grace period (${grace})` : 'never gets it and is SIGKILLed when the container stops';
      const midway = prog === 'celery worker' ? 'mid-task' : prog === 'celery beat' ? 'before it saves its schedule' : 'mid-request';
      let message: string;
      if (c.inline) {
        // a shell's text: the container is the source itself, the shell is the one the text names or the image's /bin/sh
        const { how, shell } = c.inline;
        const [what, why] = how.startsWith('shell-form ')
          ? [`the ${how} in ${file}`, `Docker runs it with /bin/sh -c, and /bin/sh is ${shell} in its base image`]
          : [`\`${how} "…"\` in ${by.label}`, path.basename(how.split(' ')[0]!) === shell ? '' : `/bin/sh is ${shell} in its image`];
        const forks = `${why ? `${why}, which` : `${shell}`} forks even the last command of its text`;
        const shutdown = pid1
          ? `so ${shell} stays PID 1: SIGTERM at shutdown goes to it, and PID 1 ignores it`
          : `so ${by.initAlone} passes SIGTERM to ${shell} alone`;
        message = `${prog} is the last command of ${what}, without exec: ${forks}, ${shutdown}; ${prog} ${killed}, ${midway}. Prefix it with exec.`;
      } else {
        const shutdown = pid1
          ? `a shell stays PID 1 (${where}): SIGTERM at shutdown goes to it, ${c.trap ? `its TERM trap waits for ${prog} to exit` : 'and PID 1 ignores it'}`
          : `${by.initAlone} (${where}) passes SIGTERM to the shell alone`;
        message = `${prog} is the last command of ${file}, without exec, so ${shutdown}; ${prog} ${killed}, ${midway}. Prefix it with exec.`;
      }
      ctx.report({
        loc: c.programToken.loc,
        message,
        fixes: [
          {
            title: `Prefix with exec (${c.program} replaces the shell and gets the stop signal)`,
            safety: 'safe',
            preferred: true,
            edits: [{ file: c.first.loc.file, start: c.first.loc.start, end: c.first.loc.start, newText: 'exec ' }],
          },
        ],
      });
    }
  },
};
