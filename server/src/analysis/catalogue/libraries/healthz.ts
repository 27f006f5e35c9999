// django-healthz (Rehive's health checks): its middleware answers two probe paths itself — `/healthz`
// (alive) and `/readiness` (the configured database, cache and queue checks) — and nothing else:
// every other request passes on. Its README puts it first in MIDDLEWARE. Read from rehive/django-healthz,
// healthz/middleware.py at 8969208c (the 0.0.5 release).
import type { Fact, Library } from './types';

export const HEALTHZ = {
  distribution: 'django-healthz',
  modules: ['healthz'],
  readAt: 'healthz/middleware.py at 8969208c (0.0.5)',
  middleware: { healthCheck: 'healthz.middleware.HealthCheckMiddleware' },
} as const satisfies Library;

export const HEALTHZ_MIDDLEWARE = {
  /** The only requests it answers itself: the kubelet's or a load balancer's probes. */
  answersOnlyPaths: {
    value: ['/readiness', '/healthz'],
    source: {
      url: 'https://github.com/rehive/django-healthz/blob/8969208c524fed4d4b0248e9605f8292504a650f/healthz/middleware.py',
      quote:
        'def process_request(self, request): … if request.path == "/readiness": return self.readiness(request) elif request.path == "/healthz": return self.healthz(request)',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
