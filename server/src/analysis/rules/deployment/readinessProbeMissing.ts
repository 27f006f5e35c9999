// DDG325: a production Kubernetes workload that serves the app has no readiness probe in any of its
// pod's containers, so the pod takes traffic as soon as its containers have started.
import { KUBERNETES_READINESS_DEFAULT } from '../../catalogue/kubernetesProbes';
import { workloadsOfImage } from '../../models/process/imageRuns';
import type { Workload } from '../../models/process/index';
import type { Rule } from '../types';
import { processKey, productionPythonDockerfiles, productionServers, startSources } from '../app-server/topology';

/** The pod a container belongs to: its manifest and its object. */
function podKey(w: Workload): string | undefined {
  const o = w.process.object;
  return o ? `${w.source.file}\0${o.kind}\0${o.loc.start}` : undefined;
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export const readinessProbeMissing: Rule = {
  code: 'DDG325',
  name: 'readiness-probe-missing',
  title: 'A Kubernetes workload serving the app has no readiness probe',
  severity: 'warning',
  group: 'deployment',
  checklist: 'health-endpoint',
  target: 'process',
  docs: {
    what: 'Reports a production Kubernetes Deployment, StatefulSet or DaemonSet whose pod runs the app server — a container whose command starts it, directly or through a start script, or that runs the image whose CMD does — and none of whose containers has a `readinessProbe`. A probe of another container of the pod (an nginx sidecar asking the app through its own port) counts: the pod is ready only when every container with a probe is. A Helm template that writes probes from the values of its chart (`{{- with .Values.readinessProbe }}`) is not judged. Init containers, Jobs and CronJobs serve no traffic and are not judged; neither are workloads of other software.',
    why: 'Without a readiness probe Kubernetes counts a container as ready the moment it has started, so the Service sends it requests while gunicorn is still importing the app or the start script is still migrating: every rollout, restart and scale-up answers some requests with connection errors or 502s, and a pod whose app hangs keeps getting traffic. A rolling update also moves on to the next pod before this one can serve.',
    example:
      'containers:\n  - name: web\n    image: ghcr.io/example/shop:1.4\n    command: ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]\n    ports:\n      - containerPort: 8000',
    fix: 'Add a `readinessProbe` that asks the app over HTTP (a cheap view that returns 200, checking the database if it must be reachable to serve), on the port it listens on; a `livenessProbe` on a view that does not touch the database restarts a hung container.',
    good: 'readinessProbe:\n  httpGet:\n    path: /healthz/\n    port: 8000\n  periodSeconds: 10\nlivenessProbe:\n  httpGet:\n    path: /healthz/\n    port: 8000\n  initialDelaySeconds: 30',
    references: [
      {
        title: 'Kubernetes: pod lifecycle, container probes',
        url: KUBERNETES_READINESS_DEFAULT.source.url,
      },
      {
        title: 'Kubernetes: configure liveness, readiness and startup probes',
        url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
      },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const workloads = m.processes.workloads.filter(
      (w) =>
        w.source.production &&
        w.source.kind === 'kubernetes' &&
        !w.process.once &&
        !w.process.scheduled &&
        !w.process.label.includes('(init container ') &&
        LONG_RUNNING.has(w.process.object?.kind ?? ''),
    );
    if (workloads.length === 0) return ctx.notApplicable('no production Kubernetes workload runs a long-lived container');
    const servers = productionServers(ctx);
    if (servers.length === 0) return;
    // the sources that start the app server: its command, the scripts and images on the way
    const sources = startSources(m, servers);
    const starts = new Set(sources.map(processKey));
    const sole = productionPythonDockerfiles(m, ctx.project).length === 1;
    const byImage = new Set<Workload>();
    for (const s of sources)
      if (s.kind === 'dockerfile')
        for (const r of workloadsOfImage(m.processes, ctx.project, s.file, sole))
          if (r.workload && !r.workload.process.words) byImage.add(r.workload);
    const serving = workloads.filter((w) => starts.has(processKey(w.source)) || byImage.has(w));
    if (serving.length === 0) return ctx.notApplicable('no production Kubernetes workload is seen to run the app server');
    // a pod is judged once: a readiness probe on any of its containers gates it
    const pods = new Map<string, Workload[]>();
    for (const w of workloads) {
      const k = podKey(w);
      if (k) pods.set(k, [...(pods.get(k) ?? []), w]);
    }
    const done = new Set<string>();
    for (const w of serving) {
      const k = podKey(w);
      if (!k || done.has(k)) continue;
      done.add(k);
      const pod = pods.get(k) ?? [w];
      if (pod.some((c) => c.process.probes.some((p) => p.kind === 'readinessProbe'))) continue;
      // a template that writes probes the analysis did not render (`{{- with .Values.readinessProbe }}`)
      const unread = pod.find((c) => c.process.probesUnread);
      if (unread) {
        ctx.unknown(`${w.source.label}: ${unread.process.probesUnread}`, w.process.object!.loc);
        continue;
      }
      const liveness = pod.some((c) => c.process.probes.some((p) => p.kind === 'livenessProbe'));
      const o = w.process.object!;
      ctx.report({
        loc: w.process.imageLoc ?? o.loc,
        message: `${w.source.label} serves the app, but no container of its pod has a readinessProbe: Kubernetes counts a container ready once it has started (its default), so every rollout or restart sends requests before the app listens${liveness ? '' : ', and nothing restarts a hung app'}; add a readinessProbe that asks the app over HTTP.`,
      });
    }
  },
};
