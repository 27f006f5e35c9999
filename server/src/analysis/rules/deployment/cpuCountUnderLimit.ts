// DDG313: gunicorn's workers (or uWSGI's processes) computed from the CPU count in a container with a CPU limit.
import { placeOf } from '../helpers';
import type { Rule } from '../types';
import { usesCpuCount } from '../app-server/shared';
import { workloadOf } from '../app-server/topology';
import { uwsgiInstances } from '../../models/process/index';

export const cpuCountUnderLimit: Rule = {
  code: 'DDG313',
  name: 'cpu-count-under-cpu-limit',
  title: 'Workers computed from the CPU count in a container with a CPU limit',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'process',
  docs: {
    what: 'Reports a gunicorn `workers` computed from `multiprocessing.cpu_count()` or `os.cpu_count()` (in the config file gunicorn loads), or uWSGI `processes`/`workers`/`threads` written with `%k` (uWSGI’s count of the CPU cores, on its command line or in the file it loads), for a process that a Kubernetes manifest runs with `resources.limits.cpu`.',
    why: '`cpu_count()` returns the cores of the node the pod lands on, not the container’s CPU limit. On a 32-core node a pod limited to one core starts 65 workers: each a full Django process with its own memory and database connections, all throttled to one core, until the memory limit kills the pod or the database refuses connections.',
    example: '# gunicorn.conf.py\nworkers = multiprocessing.cpu_count() * 2 + 1\n\n# k8s/web.yaml\nresources:\n  limits:\n    cpu: 500m',
    fix: 'Set the count from the limit: read WEB_CONCURRENCY (gunicorn reads it itself) and set it in the manifest beside the limit, or use `len(os.sched_getaffinity(0))` only where the limit is a cpuset.',
    good: '# k8s/web.yaml\nenv:\n  - name: WEB_CONCURRENCY\n    value: "2"',
    references: [
      { title: 'Gunicorn: how many workers?', url: 'https://docs.gunicorn.org/en/stable/design.html#how-many-workers' },
      {
        title: 'Kubernetes: resource management for pods and containers',
        url: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const limited = m.runs.filter((r) => r.production && r.invocation && workloadOf(m, r.invocation.source)?.process.cpuLimit);
    const uwsgi = uwsgiInstances(m.processes).filter(
      (u) => u.source.production && u.invocation && workloadOf(m, u.source)?.process.cpuLimit,
    );
    if (limited.length === 0 && uwsgi.length === 0)
      return ctx.notApplicable('no gunicorn or uWSGI process runs with a CPU limit in a manifest');
    const seen = new Set<string>();
    // uWSGI's %k is the number of cores it detects: the node's, not the limit
    for (const u of uwsgi) {
      for (const o of u.config.options) {
        if (o.when || !['processes', 'workers', 'p', 'threads'].includes(o.key) || !o.value.text.includes('%k')) continue;
        const w = workloadOf(m, u.source)!;
        const key = `${o.value.loc.file}:${o.value.loc.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        ctx.report({
          loc: o.value.loc,
          message: `${o.key} is computed from %k, uWSGI's count of the CPU cores, but ${w.source.label} is limited to ${w.process.cpuLimit!.text} CPU (${placeOf(ctx, w.process.cpuLimit!.loc)}): uWSGI counts the node's cores, not the limit, so the pod starts far more ${o.key} than it may run; write the number that fits the limit.`,
        });
      }
    }
    for (const r of limited) {
      const o = r.settings.get('workers');
      if (!o || o.source !== 'config' || !o.config || !o.configSetting?.expr) continue;
      if (!usesCpuCount(o.config, o.configSetting.expr)) continue;
      const w = workloadOf(m, r.invocation!.source)!;
      const key = `${o.loc.file}:${o.loc.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.report({
        loc: o.loc,
        message: `workers is computed from the CPU count, but ${w.source.label} is limited to ${w.process.cpuLimit!.text} CPU (${placeOf(ctx, w.process.cpuLimit!.loc)}): cpu_count() returns the node's cores, not the limit, so the pod starts far more workers than it may run; size workers from the limit (read WEB_CONCURRENCY and set it in the manifest beside the limit).`,
      });
    }
  },
};
