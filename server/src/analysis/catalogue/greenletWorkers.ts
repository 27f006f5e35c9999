// Gunicorn's greenlet workers and Django's persistent connections. Django keeps one connection per
// thread (its connection handler is a thread-local); under gevent or eventlet, which patch
// threading, every request runs in a greenlet of its own, which gets a connection of its own: a
// persistent connection (CONN_MAX_AGE > 0) is never reused by the next request and stays open
// until its age runs out, so the database fills with idle connections instead.
import type { Fact } from './facts';

/** Gunicorn's worker classes that run each request in a greenlet (their bundled names). */
export const GREENLET_WORKERS: Fact<readonly string[]> = {
  value: ['gevent', 'gevent_wsgi', 'gevent_pywsgi', 'eventlet'],
  knob: 'worker_class (--worker-class, -k)',
  source: {
    url: 'https://github.com/benoitc/gunicorn/issues/996',
    quote:
      'when switching from `sync` to async `eventlet` workers in Gunicorn; Postgres … begun complaining that maximum connection limit was reached … Even though `CONN_MAX_AGE` was set to `60` database connections were not reused.',
    versions: 'Django 1.6 and later (persistent connections), every gunicorn release with these workers',
  },
};

/** Django: one connection per thread (a greenlet, once threading is patched). */
export const CONNECTION_PER_THREAD: Fact<true> = {
  value: true,
  source: {
    url: 'https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections',
    quote:
      'Since each thread maintains its own connection, your database must support at least as many simultaneous connections as you have worker threads.',
  },
};
