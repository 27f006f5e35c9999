// Production or development, decided over the whole project once every source is read: the
// processes the passes find are development's after all (nativeRuntime.ts, startScripts.ts) are
// given their development source here, and a uWSGI configuration only development processes load
// is development's too.
import type { Collected } from '../collect';
import type { ProcessSource, ServerInvocation } from '../model';

/** Each production source a pass found to be development's, with the source it becomes. */
export type Demotions = Map<ProcessSource, ProcessSource>;

/** Every command record of a demoted source moved to its development source (the lists replaced, in order). */
export function applyDemotions(r: Collected, demoted: Demotions): void {
  r.out.invocations = moved(demoted, r.out.invocations);
  r.out.tasks = moved(demoted, r.out.tasks);
  r.out.scripts = moved(demoted, r.out.scripts);
  r.out.forwards = moved(demoted, r.out.forwards);
  r.out.others = moved(demoted, r.out.others);
  r.out.installs = moved(demoted, r.out.installs);
}

function moved<T extends { source: ProcessSource }>(demoted: Demotions, xs: T[]): T[] {
  return demoted.size === 0 ? xs : xs.map((x) => (demoted.has(x.source) ? { ...x, source: demoted.get(x.source)! } : x));
}

/**
 * A uWSGI configuration a command line loads (`uwsgi --ini uwsgi.ini`) runs as that process: for
 * production when one of the processes loading it is. Its workload is replaced in place.
 */
export function demoteUwsgiConfigsLoadedByDevelopment(r: Collected): void {
  const workloads = r.workloads;
  const loaders = new Map<string, ServerInvocation[]>();
  for (const i of r.out.invocations) for (const f of i.uwsgiConfig?.loads ?? []) loaders.set(f, [...(loaders.get(f) ?? []), i]);
  for (let k = 0; k < workloads.length; k++) {
    const w = workloads[k]!;
    const by = w.process.uwsgi ? loaders.get(w.source.file) : undefined;
    if (!by || !w.source.production || by.some((i) => i.source.production)) continue;
    const devReason = `loaded only by ${[...new Set(by.map((i) => i.source.label))].join(', ')} (${by[0]!.source.devReason ?? 'development'})`;
    workloads[k] = { source: { ...w.source, production: false, devReason }, process: w.process };
  }
}
