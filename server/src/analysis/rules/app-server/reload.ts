// DDG106: gunicorn's auto-reload switched on in production.
import type { Rule } from '../types';
import { boolOf, configLiteralFix, envDefaultNote, noGunicorn, settingLabel, unknownValue, whereNote } from './shared';

export const gunicornReload: Rule = {
  code: 'DDG106',
  name: 'gunicorn-reload',
  title: 'Gunicorn reloads on code changes in production',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'gunicorn',
  fixSafety: 'safe',
  docs: {
    what: 'Reports `reload = True` in a gunicorn config file used in production, and `--reload` on a production gunicorn command line (Procfile, Dockerfile, docker-compose, systemd unit, start script, GUNICORN_CMD_ARGS).',
    why: 'Reload makes every worker watch the source files and restart when one changes. It exists for development: in production it costs a file watcher per worker (polling every second without inotify), restarts workers mid-request when a deploy or a log rotation touches a watched file, and it is incompatible with `preload_app`. A deploy should restart gunicorn deliberately (a new container, `systemctl reload`, or HUP to the master) instead.',
    example: '# gunicorn.conf.py\nreload = True',
    fix: 'Remove `reload` (or `--reload`) from the production configuration; keep it in a development-only config or command line. In a config file the quick fix sets `reload = False`.',
    good: '# gunicorn.conf.py\nreload = os.environ.get("GUNICORN_RELOAD", "false").lower() == "true"',
    references: [
      { title: 'Gunicorn: reload', url: 'https://docs.gunicorn.org/en/stable/settings.html#reload' },
      { title: 'Gunicorn: signal handling (reloading the configuration)', url: 'https://docs.gunicorn.org/en/stable/signals.html' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    for (const o of ctx.appServer.occurrences('reload')) {
      if (unknownValue(ctx, o)) continue;
      if (boolOf(o.value) !== true) continue;
      const label = settingLabel(o);
      const fix = configLiteralFix(ctx, o, /^True$/, () => 'False', 'Set reload = False', 'safe');
      ctx.report({
        loc: o.loc,
        fixes: fix ? [fix] : [],
        message: `${o.source === 'config' ? 'reload = True' : label}${envDefaultNote(o.value)}${whereNote(o)} makes gunicorn restart workers whenever a source file changes: it is a development feature; remove it in production.`,
      });
    }
  },
};
