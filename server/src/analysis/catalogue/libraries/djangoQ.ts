// django-q2 (and django-q, which it forked): which broker its cluster uses, by the keys of
// Q_CLUSTER, and what it keeps in Django's cache. Read from django-q2 1.11.0 (django-q2/django-q2 at
// the v1.11.0 tag: django_q/conf.py, django_q/brokers/, django_q/tasks.py, docs/configure.rst); the
// original django-q 1.3.9 (Koed00/django-q at v1.3.9) chooses its broker the same way, with Disque
// besides.
import type { Fact, Library } from './types';

const AT = 'https://github.com/django-q2/django-q2/blob/v1.11.0';
const AT_DJANGO_Q = 'https://github.com/Koed00/django-q/blob/v1.3.9';

export const DJANGO_Q = {
  distribution: 'django-q2',
  modules: ['django_q'],
  readAt: '1.11.0',
  apps: { djangoQ: 'django_q' },
  settings: {
    cluster: {
      name: 'Q_CLUSTER',
      default: { value: {} },
      source: {
        url: `${AT}/django_q/conf.py#L53-L56`,
        quote: 'try: conf = settings.Q_CLUSTER.copy() except AttributeError: conf = {}',
      },
    },
  },
} as const satisfies Library;

/**
 * The Q_CLUSTER keys that choose a broker other than Redis, in the order get_broker tries them (a
 * key with a true value wins); without any, the broker is Redis. `only` names the one distribution
 * that reads a key.
 */
export const DJANGO_Q_BROKERS: Fact<readonly { readonly key: string; readonly broker: string; readonly only?: string }[]> = {
  value: [
    { key: 'broker_class', broker: 'custom' },
    { key: 'disque_nodes', broker: 'Disque', only: 'django-q' },
    { key: 'iron_mq', broker: 'IronMQ' },
    { key: 'sqs', broker: 'SQS' },
    { key: 'orm', broker: 'ORM' },
    { key: 'mongo', broker: 'MongoDB' },
  ],
  source: {
    url: `${AT}/django_q/brokers/__init__.py#L179-L208`,
    quote:
      'if Conf.BROKER_CLASS: … elif Conf.IRON_MQ: … elif isinstance(Conf.SQS, dict): … elif Conf.ORM: … elif Conf.MONGO: … # default to redis else: from django_q.brokers import redis_broker return redis_broker.Redis(list_key=list_key)',
    versions: `django-q 1.3.9 tries disque_nodes after broker_class (${AT_DJANGO_Q}/django_q/brokers/__init__.py#L177-L180: elif Conf.DISQUE_NODES: … return disque.Disque(list_key=list_key)); django-q2 dropped it`,
  },
};

/**
 * What django-q keeps in Django's cache: every broker but Redis keeps the cluster statistics there
 * (what the qmonitor, qinfo and qmemory commands read: status.py, monitor_terminal.py); the Redis
 * broker overrides set_stat and keeps them in Redis. The cache is the one Q_CLUSTER's `cache` names.
 */
export const DJANGO_Q_STATS = {
  inCacheUnlessRedis: {
    value: true,
    knob: 'cache',
    source: {
      url: `${AT}/django_q/brokers/__init__.py#L98-L116`,
      quote:
        'def set_stat(self, key: str, value: str, timeout: int): """Saves a cluster statistic to the cache provider""" … return self.cache.set(key, value, timeout)',
      versions: `the Redis broker's own (django_q/brokers/redis_broker.py lines 48-49): def set_stat(self, key: str, value: str, timeout: int): self.connection.set(key, value, timeout); documented in docs/configure.rst line 396: "For some brokers, you will need to set up the Django cache framework to gather statistics for the monitor."`,
    },
  },
  cacheAlias: {
    value: 'default',
    knob: 'cache',
    source: { url: `${AT}/django_q/conf.py#L201`, quote: 'CACHE = conf.get("cache", "default")' },
  },
} as const satisfies Record<string, Fact<unknown>>;

/**
 * Q_CLUSTER's `cached` (default False) keeps every task's result in that cache instead of the
 * database, where result() and fetch() then read it (from the web process, not the cluster's).
 */
export const DJANGO_Q_CACHED_RESULTS = {
  value: false,
  knob: 'cached',
  source: {
    url: `${AT}/django_q/conf.py#L206`,
    quote: 'CACHED = conf.get("cached", False)',
    versions:
      'django_q/tasks.py: def result(task_id, wait=0, cached=Conf.CACHED): … if cached: return result_cached(task_id, wait) … r = broker.cache.get(f"{broker.list_key}:{task_id}")',
  },
} as const satisfies Fact<boolean>;

/**
 * Q_CLUSTER's `django_redis` names a cache whose Redis connection the Redis broker uses (through
 * django-redis' get_redis_connection, which a cache without django-redis' client refuses).
 */
export const DJANGO_Q_DJANGO_REDIS = {
  value: 'django_redis',
  knob: 'django_redis',
  source: {
    url: `${AT}/django_q/brokers/redis_broker.py#L61-L63`,
    quote:
      'def get_connection(list_key: str = None) -> Redis: if django_redis and Conf.DJANGO_REDIS: return django_redis.get_redis_connection(Conf.DJANGO_REDIS)',
  },
} as const satisfies Fact<string>;
