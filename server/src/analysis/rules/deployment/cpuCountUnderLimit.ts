// DDG313: gunicorn's workers (or uWSGI's processes) computed from the CPU count in a container with a CPU limit.
import type { Loc } from '../../eval/values';
import type { ProcessSource } from '../../models/appServer/model';
import { runsOfImage } from '../../models/process/imageRuns';
import { optionValue } from '../../readers/process/commands';
import { uwsgiInstances, type Workload } from '../../models/process/index';
import { settingLabel, usesCpuCount, workersOnCores } from '../app-server/shared';
import { productionPythonDockerfiles, startChain, workloadOf } from '../app-server/topology';
import { placeOf } from '../helpers';
import type { ProcessRuleContext, Rule } from '../types';

/**
 * The cores of the node the examples are given for: a common size for a Kubernetes node (an
 * illustration of what the CPU count returns there, not a fact about any cluster).
 */
const NODE_CORES = 16;

/**
 * The manifest's container that runs a process with a CPU limit: the process's own workload, or the
 * one that runs it through its start scripts, or the one that runs the image whose command starts it.
 */
function limitedWorkload(ctx: ProcessRuleContext, src: ProcessSource): Workload | undefined {
  const m = ctx.appServer;
  const direct = workloadOf(m, src);
  if (direct?.process.cpuLimit) return direct;
  const sole = productionPythonDockerfiles(m, ctx.project).length === 1;
  for (const owner of [src, ...startChain(m, src).map((c) => c.source)]) {
    const w = workloadOf(m, owner);
    if (w?.process.cpuLimit && w.source.production) return w;
    if (owner.kind !== 'dockerfile') continue;
    const run = runsOfImage(m.processes, ctx.project, owner.file, sole).find((r) => r.production && r.workload?.process.cpuLimit);
    if (run) return run.workload;
  }
  return undefined;
}

/** "Deployment web (container app) is limited to 500m CPU (k8s/web.yaml:20)". */
function limitNote(ctx: ProcessRuleContext, w: Workload): string {
  return `${w.source.label} is limited to ${w.process.cpuLimit!.text} CPU (${placeOf(ctx, w.process.cpuLimit!.loc)})`;
}

/** What fits the limit: gunicorn's (2 × cores) + 1 with the limit's cores (at least 2). */
function fitting(w: Workload): string {
  const cores = w.process.cpuLimit!.value;
  if (cores === undefined) return 'from the limit';
  return `about ${Math.max(2, Math.round(2 * cores + 1))} for ${cores} CPU`;
}

/** How a shell word computes a count from `nproc` (`$(nproc)`, `$(( $(nproc) * 2 + 1 ))`), as a function of the cores. */
function shellCpuCount(text: string): ((cores: number) => number) | undefined {
  const t = text.trim();
  if (/^\$\(\s*nproc(\s+--all)?\s*\)$/.test(t)) return (c) => c;
  const m = /^\$\(\(\s*\$\(\s*nproc(?:\s+--all)?\s*\)\s*(?:\*\s*(\d{1,3})\s*)?(?:\+\s*(\d{1,3})\s*)?\)\)$/.exec(t);
  if (!m) return undefined;
  const k = m[1] ? Number(m[1]) : 1;
  const b = m[2] ? Number(m[2]) : 0;
  return (c) => c * k + b;
}

export const cpuCountUnderLimit: Rule = {
  code: 'DDG313',
  name: 'cpu-count-under-cpu-limit',
  title: 'Workers sized for the node in a container with a CPU limit',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'process',
  docs: {
    what: 'Reports a gunicorn `workers` computed from `multiprocessing.cpu_count()` or `os.cpu_count()` (in the config file gunicorn loads) or from `nproc` by the shell (`-w $(nproc)`, `WEB_CONCURRENCY=$(( $(nproc) * 2 + 1 ))`), or uWSGI `processes`/`workers`/`threads` written with `%k` (uWSGI’s count of the CPU cores, on its command line or in the file it loads), for a process that a Kubernetes manifest runs with `resources.limits.cpu` — its own command, the scripts it runs, or the command of the image it runs. The message says what the count gives on a 16-core node (an example size) and what fits the limit: gunicorn’s (2 × cores) + 1 with the limit’s cores, at least 2. A count written as a number (gunicorn’s `-w`/`workers`, hypercorn’s `-w`, uvicorn’s and granian’s `--workers`) is reported when it is at least twice what fits the limit (`-w 9` under a 1-CPU limit).',
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
    const limitOf = (src: ProcessSource): Workload | undefined => limitedWorkload(ctx, src);
    const limited = m.runs.filter((r) => r.production && r.invocation && limitOf(r.invocation.source));
    const uwsgi = uwsgiInstances(m.processes).filter((u) => u.source.production && u.invocation && limitOf(u.source));
    const others = m.commands.filter(
      (inv) =>
        inv.source.production &&
        (inv.server === 'hypercorn' || inv.server === 'uvicorn' || inv.server === 'granian') &&
        limitOf(inv.source),
    );
    if (limited.length === 0 && uwsgi.length === 0 && others.length === 0)
      return ctx.notApplicable('no app server process runs with a CPU limit in a manifest');
    const seen = new Set<string>();
    const once = (loc: Loc): boolean => {
      const key = `${loc.file}:${loc.start}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    // uWSGI's %k is the number of cores it detects: the node's, not the limit
    for (const u of uwsgi) {
      for (const o of u.config.options) {
        if (o.when || !['processes', 'workers', 'p', 'threads'].includes(o.key) || !o.value.text.includes('%k')) continue;
        if (!once(o.value.loc)) continue;
        const w = limitOf(u.source)!;
        const onNode = o.value.text.trim() === '%k' ? `: ${NODE_CORES} on a ${NODE_CORES}-core node` : '';
        ctx.report({
          loc: o.value.loc,
          message: `${o.key} is computed from %k, uWSGI's count of the CPU cores, but ${limitNote(ctx, w)}: uWSGI counts the node's cores, not the limit${onNode}, all throttled to the limit; write the number that fits it (${fitting(w)}).`,
        });
      }
    }
    // a fixed count far above what the limit fits (`-w 9` under a 1-CPU limit): sized for a node, not the pod
    const tooMany = (n: number, w: Workload, loc: Loc, what: string): void => {
      const cores = w.process.cpuLimit!.value;
      if (cores === undefined || cores <= 0) return;
      const fit = Math.max(2, Math.round(2 * cores + 1));
      if (n < 2 * fit || !once(loc)) return;
      ctx.report({
        loc,
        message: `${what} starts ${n} workers, but ${limitNote(ctx, w)}: ${n} processes share ${cores} CPU, throttled to it, each with its own memory and database connections; size them from the limit (${fitting(w)}), from WEB_CONCURRENCY set in the manifest.`,
      });
    };
    for (const inv of others) {
      const o = optionValue(inv, '--workers')?.value;
      const w = o && !o.dynamic && /^\d{1,4}$/.test(o.text.trim()) ? limitOf(inv.source) : undefined;
      if (w) tooMany(Number(o!.text.trim()), w, o!.loc, `${inv.server} (${inv.source.label})`);
    }
    for (const r of limited) {
      const o = r.settings.get('workers');
      if (!o) continue;
      const w = limitOf(r.invocation!.source)!;
      if (o.value.kind === 'int' && (o.source === 'command line' || (o.source === 'config' && !o.configSetting?.expr))) {
        tooMany(o.value.v, w, o.loc, `gunicorn (${r.label})`);
        continue;
      }
      if (o.source === 'config' && o.config && o.configSetting?.expr) {
        if (!usesCpuCount(o.config, o.configSetting.expr) || !once(o.loc)) continue;
        const n = workersOnCores(o.config, o.configSetting.expr, NODE_CORES);
        ctx.report({
          loc: o.loc,
          message: `workers is computed from the CPU count, but ${limitNote(ctx, w)}: cpu_count() returns the node's cores, not the limit${n !== undefined ? `, so a ${NODE_CORES}-core node starts ${n} workers` : ''}; size workers from the limit: read WEB_CONCURRENCY (${fitting(w)}) and set it in the manifest.`,
        });
        continue;
      }
      // a count a shell computes from the CPUs (`-w $(nproc)`, `WEB_CONCURRENCY=$(( $(nproc) * 2 + 1 ))`)
      const t = o.option?.value ?? (o.source === 'environment' ? r.invocation?.env.get(o.envName ?? '')?.token : undefined);
      const counted = t ? shellCpuCount(t.text) : undefined;
      if (!t || !counted || !once(t.loc)) continue;
      const n = counted(NODE_CORES);
      ctx.report({
        loc: t.loc,
        message: `${settingLabel(o)} is computed from \`nproc\`, but ${limitNote(ctx, w)}: nproc counts the node's cores, not the limit, so a ${NODE_CORES}-core node starts ${n} workers; drop it and set WEB_CONCURRENCY in the manifest from the limit (${fitting(w)}).`,
      });
    }
  },
};
