// DDG107: gunicorn daemonizes (detaches into the background) in production.
import type { Rule } from '../types';
import { boolOf, configLiteralFix, envDefaultNote, noGunicorn, settingLabel, unknownValue, whereNote } from './shared';

export const gunicornDaemon: Rule = {
  code: 'DDG107',
  name: 'gunicorn-daemon',
  title: 'Gunicorn detaches from its process manager',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'gunicorn',
  fixSafety: 'unsafe',
  docs: {
    what: 'Reports `daemon = True` in a gunicorn config file used in production, and `-D`/`--daemon` on a production gunicorn command line. A systemd unit with `Type=forking`, which expects the process to fork into the background, is the one setup where daemonizing is expected; it is not reported.',
    why: 'Containers, Heroku, systemd (Type=simple/notify/exec), supervisor and runit all start gunicorn and watch that process. With daemon on, gunicorn forks into the background and the process they started exits at once: a container stops (or restarts in a loop), systemd and supervisor believe the service died and start another copy, and logs written to stdout/stderr are lost. Nobody restarts the detached gunicorn when it crashes.',
    example: '# gunicorn.conf.py\ndaemon = True',
    fix: 'Remove `daemon` and let the process manager keep gunicorn in the foreground (this is the default). In a config file the quick fix sets `daemon = False`; it is unsafe because a process manager set up for the fork (an init script that waits for the pidfile) must change too.',
    good: '# gunicorn.conf.py\ndaemon = False',
    references: [
      { title: 'Gunicorn: daemon', url: 'https://docs.gunicorn.org/en/stable/settings.html#daemon' },
      { title: 'Gunicorn: deploying (monitoring with systemd, supervisor, runit)', url: 'https://docs.gunicorn.org/en/stable/deploy.html' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    for (const o of ctx.appServer.occurrences('daemon')) {
      if (unknownValue(ctx, o)) continue;
      if (boolOf(o.value) !== true) continue;
      // systemd Type=forking expects the fork
      if (o.runs.every((r) => r.invocation?.source.kind === 'systemd' && r.invocation.source.systemdType === 'forking')) continue;
      // unsafe: whatever starts gunicorn today (an init script watching the pidfile) may rely on the fork
      const fix = configLiteralFix(ctx, o, /^True$/, () => 'False', 'Set daemon = False (gunicorn stays in the foreground)', 'unsafe');
      ctx.report({
        loc: o.loc,
        fixes: fix ? [fix] : [],
        message: `${o.source === 'config' ? 'daemon = True' : settingLabel(o)}${envDefaultNote(o.value)}${whereNote(o)} detaches gunicorn into the background: containers and process managers (systemd, supervisor, Heroku) expect it in the foreground; remove it.`,
      });
    }
  },
};
