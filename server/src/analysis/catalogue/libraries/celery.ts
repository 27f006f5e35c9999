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
