// DDG307: a celery worker or beat started in the background of the web process's command line
// (`celery … & gunicorn …`).
import type { Rule } from '../types';
import { isCelery, processKey, tasksOf } from './topology';

export const workerInWeb: Rule = {
  code: 'DDG307',
  name: 'worker-inside-web-process',
  title: 'Background worker started inside the web process',
  severity: 'warning',
  group: 'deployment',
  checklist: 'background-workers',
  target: 'process',
  docs: {
    what: 'Reports a production command line or start script that starts a celery worker or beat and the app server together, one of them in the background with `&` (`celery -A mysite worker & gunicorn mysite.wsgi`).',
    why: "The platform or container runtime watches one process. When the backgrounded one crashes nobody restarts it (tasks silently stop being processed, or the site goes down while the container looks healthy); it is not stopped gracefully on deploy, so tasks are cut off mid-run; it shares the web instance's memory and CPU; and scaling the web process scales the workers (and any beat) with it.",
    example: '# start.sh\ncelery -A mysite worker --loglevel=info &\nexec gunicorn mysite.wsgi --bind 0.0.0.0:8000',
    fix: 'Run the worker (and one beat) as processes of their own: a `worker:` line in the Procfile, a separate docker-compose service, or a separate systemd unit.',
    good: '# Procfile\nweb: gunicorn mysite.wsgi\nworker: celery -A mysite worker --loglevel=info',
    references: [
      { title: 'Celery: daemonization', url: 'https://docs.celeryq.dev/en/stable/userguide/daemonizing.html' },
      { title: 'Heroku: Celery (process types)', url: 'https://devcenter.heroku.com/articles/celery-heroku' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const workers = tasksOf(m, (t) => isCelery(t, 'worker') || isCelery(t, 'beat'));
    if (workers.length === 0) {
      ctx.notApplicable('no production process starts a celery worker or beat');
      return;
    }
    for (const { task, source } of workers) {
      const key = processKey(source);
      const server = m.commands.find((c) => c.server !== 'runserver' && processKey(c.source) === key && (task.background || c.background));
      if (!server) continue;
      ctx.report({
        loc: (task.subcommand ?? task.program).loc,
        message: `celery ${task.subcommand?.text ?? ''} is started together with ${server.server} in ${source.label}${task.background ? ' (in the background with &)' : ` (${server.server} in the background with &)`}: nobody restarts it when it crashes and it scales with the web process; run it as a process of its own.`,
      });
    }
  },
};
