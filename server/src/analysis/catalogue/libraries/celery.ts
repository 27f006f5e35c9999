// Celery: its command line's scheduler switch, which its documentation keeps out of production.
import type { Fact, Library } from './types';

export const CELERY = {
  distribution: 'celery',
  modules: ['celery'],
  readAt: '5.x documentation',
  apps: { beat: 'django_celery_beat', results: 'django_celery_results' },
} as const satisfies Library;

export const CELERY_EMBEDDED_BEAT: Fact<readonly string[]> = {
  value: ['-B', '--beat'],
  source: {
    url: 'https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#starting-the-scheduler',
    quote:
      'You can also embed beat inside the worker by enabling the workers -B option, this is convenient if you’ll never run more than one worker node, but it’s not commonly used and for that reason isn’t recommended for production use',
  },
};

/**
 * Beat's schedule: the settings that hold it (the old upper-case name, the name with a Django
 * project's `CELERY` namespace, the lower-case name of Celery 4 and later), each key an entry's
 * name, each entry's `task` the name of the task it runs: names, never credentials
 * (`{"refresh_access_token": {"task": "refresh_access_token", …}}`).
 */
export const CELERY_BEAT_SCHEDULE = {
  settings: {
    value: ['CELERYBEAT_SCHEDULE', 'CELERY_BEAT_SCHEDULE', 'beat_schedule'],
    source: {
      url: 'https://docs.celeryq.dev/en/stable/userguide/configuration.html#new-lowercase-settings',
      quote:
        '``CELERYBEAT_SCHEDULE`` → :setting:`beat_schedule` … (the Django example: app.config_from_object("django.conf:settings", namespace="CELERY"), so every setting takes the CELERY_ prefix)',
      versions: '4.0 and later (CELERYBEAT_SCHEDULE before)',
    },
  },
  taskKey: {
    value: 'task',
    source: {
      url: 'https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#available-fields',
      quote: 'task: The name of the task to execute.',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
