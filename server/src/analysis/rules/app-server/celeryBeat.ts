// DDG306: celery's scheduler embedded in a worker (`celery worker -B`) in production, or a beat
// process that runs as several instances.
import type { Rule } from '../types';
import { canScale, isCelery, tasksOf } from './topology';

const EMBEDDED_BEAT = /^(-B|--beat|-[EDO]*B[EDO]*)$/;

export const celeryBeat: Rule = {
  code: 'DDG306',
  name: 'celery-beat-duplicated',
  title: 'Celery beat may run more than once',
  severity: 'warning',
  group: 'deployment',
  checklist: 'background-workers',
  target: 'process',
  explainable: true,
  docs: {
    what: 'Reports `celery worker -B` (`--beat`, the scheduler embedded in the worker) on a production command line, and a production `celery beat` process that runs as several instances (a Procfile type is not judged, since its dyno count is set outside the repository; a docker-compose service with more than one replica is). A comment beside the command line or just above it that gives the reason ("never use more than one worker; duplicate schedulers would result in duplicate tasks") sets the finding aside as explained.',
    why: "Beat sends each periodic task when it is due; every running beat sends it again. Embedded in a worker, the scheduler runs once per worker process group: scale the workers to three and every periodic task (nightly e-mails, billing runs, clean-ups) runs three times. Celery's documentation says -B is for development only.",
    example: '# Procfile\nworker: celery -A mysite worker -B --loglevel=info',
    fix: 'Run exactly one `celery -A mysite beat` process of its own, and start the workers without -B.',
    good: '# Procfile\nworker: celery -A mysite worker --loglevel=info\nbeat: celery -A mysite beat --loglevel=info',
    references: [
      {
        title: 'Celery: periodic tasks (starting the scheduler)',
        url: 'https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#starting-the-scheduler',
      },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const celery = tasksOf(m, (t) => t.kind === 'celery');
    if (celery.length === 0) {
      ctx.notApplicable('no production process starts celery');
      return;
    }
    for (const { task, source } of celery) {
      if (isCelery(task, 'worker')) {
        const b = task.args.find((a) => EMBEDDED_BEAT.test(a.text));
        if (b)
          ctx.report({
            loc: b.loc,
            message: `celery worker ${b.text} (${source.label}) runs the beat scheduler inside the worker: with more than one worker every periodic task is sent more than once, and celery means -B for development; run one celery beat process of its own.`,
          });
      } else if (isCelery(task, 'beat')) {
        const scale =
          source.kind === 'compose' || source.kind === 'kubernetes' || source.kind === 'platform' || source.kind === 'appconfig'
            ? canScale(m, source)
            : undefined;
        if (scale)
          ctx.report({
            loc: (task.subcommand ?? task.program).loc,
            message: `celery beat (${source.label}) runs as several instances (${scale}): each instance sends every periodic task, so they run several times; run exactly one beat.`,
          });
      }
    }
  },
};
