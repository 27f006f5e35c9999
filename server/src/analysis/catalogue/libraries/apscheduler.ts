// APScheduler and django-apscheduler: the schedulers that run their jobs on a thread (or the event
// loop) of the process that starts them, and what both projects say of starting one in each of
// several worker processes. Read from APScheduler 3.x (agronholm/apscheduler, docs/faq.rst and
// apscheduler/schedulers/) and django-apscheduler's README (jcass77/django-apscheduler at commit
// 0d41a07c15a564230f23803d18d76393a8d2ab13).
import type { Fact, Library } from './types';

const APS_FAQ = 'https://apscheduler.readthedocs.io/en/3.x/faq.html#how-do-i-share-a-single-job-store-among-one-or-more-worker-processes';
const DJANGO_APS_README = 'https://github.com/jcass77/django-apscheduler/blob/0d41a07c15a564230f23803d18d76393a8d2ab13/README.md#caveats';

export const APSCHEDULER = {
  distribution: 'APScheduler',
  modules: ['apscheduler'],
  readAt: '3.10.4',
} as const satisfies Library;

export const DJANGO_APSCHEDULER = {
  distribution: 'django-apscheduler',
  modules: ['django_apscheduler'],
  readAt: '0.3.0',
  apps: { djangoApscheduler: 'django_apscheduler' },
} as const satisfies Library;

/**
 * The APScheduler classes whose start() returns at once and runs the jobs in the starting process
 * (a thread, or the running event loop): started in a web worker, each worker runs every job.
 * BlockingScheduler's start() never returns, so it is a process of its own (a management command).
 */
export const IN_PROCESS_SCHEDULERS: Fact<readonly string[]> = {
  value: ['BackgroundScheduler', 'AsyncIOScheduler', 'GeventScheduler', 'TornadoScheduler', 'TwistedScheduler', 'QtScheduler'],
  source: {
    url: 'https://apscheduler.readthedocs.io/en/3.x/userguide.html#choosing-the-right-scheduler-job-store-s-executor-s-and-trigger-s',
    quote:
      'BlockingScheduler: use when the scheduler is the only thing running in your process. BackgroundScheduler: use when you’re not using any of the frameworks below, and want the scheduler to run in the background inside your application. AsyncIOScheduler: use if your application uses the asyncio module',
  },
};

/** What APScheduler and django-apscheduler say of one scheduler per worker process. */
export const SCHEDULER_PER_WORKER = {
  apscheduler: {
    value: 'duplicate execution',
    source: {
      url: APS_FAQ,
      quote:
        'How do I share a single job store among one or more worker processes? Short answer: You can’t. Long answer: Sharing a persistent job store among two or more processes will lead to incorrect scheduler behavior like duplicate execution or the scheduler missing jobs, etc. … Workaround: Run the scheduler in a dedicated process',
    },
  },
  djangoApscheduler: {
    value: 'executed multiple times',
    source: {
      url: DJANGO_APS_README,
      quote:
        'If you intend to run more than one worker process as part of your Django deployment in production, then it is likely that you will have to implement your own remote processing logic … Neglecting this step could result in jobs being missed or executed multiple times',
    },
  },
} as const satisfies Record<string, Fact<string>>;
