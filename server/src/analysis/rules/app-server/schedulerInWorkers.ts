// DDG116: an in-process scheduler (APScheduler's BackgroundScheduler, AsyncIOScheduler…, or
// django-apscheduler's) started by an AppConfig's ready(), wsgi.py or urls.py while production runs
// gunicorn with more than one worker: every worker starts its own scheduler and runs every job.
import { DJANGO_APSCHEDULER, SCHEDULER_PER_WORKER } from '../../catalogue/libraries';
import type { GunicornRun } from '../../models/appServer/model';
import type { SchedulerStart } from '../../models/settings/appKind';
import { fileOf } from '../helpers';
import type { Rule, RuleContextBase } from '../types';
import { boolOf, envDefaultNote, intOf, noGunicorn, settingLabel } from './shared';

type Count = { n: number; where: string } | { unknown: string } | { one: true } | { preloaded: string };

/** How many workers a run starts, and where that is set; preload_app when the start is made before fork. */
function countOf(ctx: RuleContextBase, run: GunicornRun, start: SchedulerStart): Count {
  const preload = run.settings.get('preload_app');
  if (start.where !== 'urls' && preload && boolOf(preload.value) === true)
    return { preloaded: `${run.label} sets ${settingLabel(preload)} (${fileOf(ctx, preload.loc.file)})` };
  if (run.opaque) return { unknown: `${run.label}: ${run.opaque}` };
  const w = run.settings.get('workers');
  if (!w) return { one: true };
  const n = intOf(w.value);
  if (n === undefined) return { unknown: `the worker count of ${run.label} (${settingLabel(w)}) is not known statically` };
  if (n <= 1) return { one: true };
  return { n, where: `${settingLabel(w)} ${n}${envDefaultNote(w.value)} in ${fileOf(ctx, w.loc.file)} (${run.label})` };
}

const WHERE: Readonly<Record<SchedulerStart['where'], string>> = {
  ready: "an AppConfig's ready()",
  wsgi: 'the WSGI module',
  urls: 'a URLconf',
};

export const schedulerInWorkers: Rule = {
  code: 'DDG116',
  name: 'scheduler-in-web-workers',
  title: 'A job scheduler is started in every gunicorn worker',
  severity: 'warning',
  group: 'app-server',
  checklist: 'background-workers',
  target: 'gunicorn',
  docs: {
    what: "Reports the `.start()` of an in-process job scheduler — APScheduler's BackgroundScheduler, AsyncIOScheduler and the other schedulers whose start() returns and runs the jobs in the process (the catalogue's IN_PROCESS_SCHEDULERS), or one in a module that uses django-apscheduler — in an AppConfig's `ready()` (apps.py), in wsgi.py or in a urls.py of the project, while a production gunicorn run starts more than one worker (`--workers`/`-w`, `workers` in its config file, WEB_CONCURRENCY in its environment). The warning names the count and where it is set. Information when the count cannot be told (a value read at run time), and when the start stands behind an `if` reading an environment variable or a lock (`flock`, `FileLock`, `.acquire(`), which may let one worker start it: the guard is named. Not applicable with one worker or no scheduler started there. With gunicorn's `--preload` (`preload_app`) the app is loaded once in the master before it forks the workers, and a forked process keeps only the thread that forked (POSIX fork), so a scheduler that ready() or wsgi.py starts runs in the master only: not reported. A URLconf is imported lazily, on each worker's first request, so a start in urls.py is reported with `--preload` too. The project's modules are read as text. ready() is followed one call deep: a function of the project it calls — defined in apps.py, imported from a module of the project (`from .scheduler import start_scheduler`), or a module's function (`scheduler.start_scheduler()`) — whose body starts a scheduler is reported on that start, naming the call in ready(); a start reached through more than one call is not seen.",
    why: 'Gunicorn forks its workers, and each imports the app: each runs ready(), wsgi.py and, on its first request, the URLconf, so each starts its own scheduler — four workers, four schedulers, and every job (a nightly e-mail, a billing run, a clean-up) runs four times, at the same moment. A shared job store does not help: APScheduler\'s FAQ says a job store cannot be shared among worker processes ("duplicate execution or the scheduler missing jobs"), and django-apscheduler\'s README says that with more than one worker process jobs may be "missed or executed multiple times"; both say to run the scheduler in a process of its own.',
    example:
      '# mysite/apps.py\nclass CoreConfig(AppConfig):\n    def ready(self):\n        scheduler = BackgroundScheduler()\n        scheduler.add_job(send_digest, "cron", hour=6)\n        scheduler.start()\n\n# Dockerfile\nCMD ["gunicorn", "--workers", "4", "mysite.wsgi"]',
    fix: "Run the scheduler in one process of its own: a management command that starts a BlockingScheduler (django-apscheduler's README shows one), run as its own Procfile type, compose service or container with one replica; start nothing in ready(), wsgi.py or urls.py. Or move the jobs to a task queue's scheduler (celery beat) run once.",
    good: '# Procfile\nweb: gunicorn --workers 4 mysite.wsgi\nscheduler: python manage.py runscheduler',
    references: [
      { title: SCHEDULER_PER_WORKER.apscheduler.value, url: SCHEDULER_PER_WORKER.apscheduler.source.url },
      {
        title: `${DJANGO_APSCHEDULER.distribution}: caveats (jobs ${SCHEDULER_PER_WORKER.djangoApscheduler.value})`,
        url: SCHEDULER_PER_WORKER.djangoApscheduler.source.url,
      },
      { title: 'Gunicorn: preload_app', url: 'https://docs.gunicorn.org/en/stable/settings.html#preload-app' },
      {
        title: 'POSIX fork(): only the calling thread is replicated',
        url: 'https://pubs.opengroup.org/onlinepubs/9799919799/functions/fork.html',
      },
    ],
  },
  check(ctx) {
    const found = ctx.schedulerStarts;
    if (!found) return ctx.notApplicable("no production settings: the project's modules are not searched");
    if (found.starts.length === 0) {
      if (found.more) return ctx.unknown('the project has too many modules to search for a scheduler started in its web workers');
      return ctx.notApplicable('no apps.py ready(), wsgi.py or urls.py of the project starts an in-process scheduler');
    }
    if (noGunicorn(ctx)) return;
    const commandLines = ctx.appServer.runs.some((r) => r.production && r.invocation);
    const runs = ctx.appServer.runs.filter((r) => r.production && (r.invocation || !commandLines));
    let quiet: string | undefined;
    let reported = 0;
    for (const s of found.starts) {
      const counts = runs.map((r) => countOf(ctx, r, s));
      const many = counts.find((c): c is { n: number; where: string } => 'n' in c);
      const unknown = counts.find((c): c is { unknown: string } => 'unknown' in c);
      const started = s.via
        ? `${s.scheduler} started in ${s.via.name}() (${s.at}), which ${WHERE[s.where]} calls (${s.via.at})`
        : `${s.scheduler} started in ${WHERE[s.where]} (${s.at})`;
      if (many) {
        reported++;
        const runsAll = `each of the ${many.n} worker processes starts its own scheduler and runs every job, ${many.n} times at once`;
        ctx.report({
          loc: s.loc,
          message: s.guard
            ? `${started} behind \`${s.guard}\`, while gunicorn runs ${many.where}: unless that guard lets only one worker through, ${runsAll}. Run the scheduler in a process of its own (a management command).`
            : `${started} while gunicorn runs ${many.where}: ${runsAll}. Run the scheduler in a process of its own (a management command), not in the web workers.`,
          ...(s.guard ? { severity: 'information' as const } : {}),
        });
        continue;
      }
      if (unknown) {
        reported++;
        ctx.report({
          loc: s.loc,
          message: `${started}${s.guard ? ` behind \`${s.guard}\`` : ''}, and ${unknown.unknown}: with more than one worker each starts its own scheduler and runs every job once per worker. Run the scheduler in a process of its own.`,
          severity: 'information',
        });
        continue;
      }
      const pre = counts.find((c): c is { preloaded: string } => 'preloaded' in c);
      quiet ??= pre
        ? `${started} runs in gunicorn's master only: ${pre.preloaded}, so the app is loaded before fork`
        : `${started}, and gunicorn runs one worker`;
    }
    if (quiet && reported === 0) ctx.notApplicable(quiet);
  },
};
