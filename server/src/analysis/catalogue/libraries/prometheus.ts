// django-prometheus: its request metrics come from a pair of middleware, the "Before" one first in
// MIDDLEWARE and the "After" one last (README.md of korfuri/django-prometheus at cdab8813). Neither
// answers a request itself: they count and time what passes.
import type { Fact, Library } from './types';

export const PROMETHEUS = {
  distribution: 'django-prometheus',
  modules: ['django_prometheus'],
  readAt: 'README.md at cdab8813',
  apps: { prometheus: 'django_prometheus' },
  middleware: {
    before: 'django_prometheus.middleware.PrometheusBeforeMiddleware',
    after: 'django_prometheus.middleware.PrometheusAfterMiddleware',
  },
} as const satisfies Library;

export const PROMETHEUS_MIDDLEWARE = {
  /** PrometheusBeforeMiddleware first, above every other (SecurityMiddleware included), PrometheusAfterMiddleware last. */
  beforeFirst: {
    value: true,
    source: {
      url: 'https://github.com/korfuri/django-prometheus/blob/cdab8813a801e591fd95eeba3f9d85c048a8e14a/README.md#quickstart',
      quote:
        "MIDDLEWARE = [ 'django_prometheus.middleware.PrometheusBeforeMiddleware', # All your other middlewares go here, including the default # middlewares like SessionMiddleware, CommonMiddleware, # CsrfViewmiddleware, SecurityMiddleware, etc. 'django_prometheus.middleware.PrometheusAfterMiddleware', ]",
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
