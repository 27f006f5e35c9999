// DDG204: uvicorn, hypercorn or granian started with --reload in production (and uvicorn's --workers,
// which --reload makes it ignore).
import { hasSwitch, optionValue } from '../../readers/process/commands';
import type { Rule } from '../types';

export const uvicornReload: Rule = {
  code: 'DDG204',
  name: 'uvicorn-reload',
  title: 'Uvicorn reloads on code changes in production',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: "Reports `--reload` on a production uvicorn, hypercorn or granian command line (Procfile, Dockerfile CMD, docker-compose service, systemd unit, start script), saying so when uvicorn is also given `--workers`, which it then ignores. Gunicorn's own `--reload` is DDG106.",
    why: "With --reload uvicorn runs the app in a child process under a file watcher and restarts it whenever a watched file changes. It is meant for development: it ignores --workers (one process serves everything), restarts the app mid-request when files in the working directory change (uploads, logs written into the project folder), and adds the watcher's overhead.",
    example: '# Dockerfile\nCMD ["uvicorn", "mysite.asgi:application", "--host", "0.0.0.0", "--reload"]',
    fix: 'Remove --reload from the production command; use --workers (or gunicorn with uvicorn workers) for more processes.',
    good: 'CMD ["uvicorn", "mysite.asgi:application", "--host", "0.0.0.0", "--workers", "4"]',
    references: [
      { title: 'Uvicorn: settings (development)', url: 'https://www.uvicorn.org/settings/#development' },
      { title: 'Django: how to use Django with Uvicorn', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/asgi/uvicorn/' },
    ],
  },
  check(ctx) {
    const servers = ctx.appServer.commands.filter((c) => c.server === 'uvicorn' || c.server === 'hypercorn' || c.server === 'granian');
    if (servers.length === 0) {
      ctx.notApplicable('the project starts no uvicorn, hypercorn or granian');
      return;
    }
    for (const inv of servers) {
      if (!inv.source.production) continue;
      const o = hasSwitch(inv, '--reload');
      if (!o) continue;
      // granian's click pair: the last of --reload/--no-reload wins
      const last = [...inv.options].reverse().find((x) => x.key === '--reload' || x.key === '--no-reload');
      if (last?.key === '--no-reload') continue;
      const workers = inv.server === 'uvicorn' ? optionValue(inv, '--workers')?.value : undefined;
      const ignored = workers ? ` (--workers ${workers.text} is ignored: uvicorn runs one process under the reloader)` : '';
      ctx.report({
        loc: o.flag.loc,
        message: `${inv.server} --reload (${inv.source.label}) restarts the server whenever a file changes and runs a single process${ignored}: it is for development; remove it in production.`,
      });
    }
  },
};
