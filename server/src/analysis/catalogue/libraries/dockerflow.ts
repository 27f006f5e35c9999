// python-dockerflow (Mozilla's Dockerflow support): its Django middleware logs a request summary for
// every request and answers three health-monitoring paths itself — the version file, the heartbeat
// and the load balancer's heartbeat — and nothing else: every other request passes on. Read from
// mozilla-services/python-dockerflow, src/dockerflow/django/middleware.py at 4f0cccad.
import type { Fact, Library } from './types';

export const DOCKERFLOW = {
  distribution: 'dockerflow',
  modules: ['dockerflow'],
  readAt: 'src/dockerflow/django/middleware.py at 4f0cccad',
  apps: { dockerflow: 'dockerflow.django' },
  middleware: { dockerflow: 'dockerflow.django.middleware.DockerflowMiddleware' },
} as const satisfies Library;

export const DOCKERFLOW_MIDDLEWARE = {
  /** The only requests it answers itself: its health-monitoring paths (a load balancer's or an orchestrator's probes). */
  answersOnlyPaths: {
    value: ['/__version__', '/__heartbeat__', '/__lbheartbeat__'],
    source: {
      url: 'https://github.com/mozilla-services/python-dockerflow/blob/4f0cccadaeb320cf2922cdb5a4e1e8585d8af961/src/dockerflow/django/middleware.py#L31-L49',
      quote:
        "viewpatterns = [ (re.compile(r'/__version__$'), views.version), (re.compile(r'/__heartbeat__$'), views.heartbeat), (re.compile(r'/__lbheartbeat__$'), views.lbheartbeat), ] … def process_request(self, request): for pattern, view in self.viewpatterns: if pattern.match(request.path_info): return view(request) … return None",
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
