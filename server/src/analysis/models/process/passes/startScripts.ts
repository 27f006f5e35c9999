// Start scripts run only by development: a start script only processes not meant for production
// run (a development image's ENTRYPOINT, a `dev` Procfile's process) is theirs, and what it starts
// is development's too. A script no process is seen to run, or one a production process may run,
// stays production. The scripts each process runs are resolved to workspace files once, then the
// demotion rounds spread development along them (a script started by a demoted script…).
import type { Collected } from '../collect';
import type { ProcessSource } from '../model';
import { workspaceFileFor } from '../paths';
import type { Demotions } from './demotion';

export function demoteStartScripts(r: Collected, demoted: Demotions): void {
  const effective = (src: ProcessSource): ProcessSource => demoted.get(src) ?? src;
  const shellSources = [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others]
    .map((x) => x.source)
    .filter((src) => src.kind === 'shell' && src.production);
  const runs = shellSources.length === 0 ? [] : startScriptRuns(r);
  for (let changed = runs.length > 0, rounds = 0; changed && rounds < 8; rounds++) {
    changed = false;
    const starters = new Map<string, ProcessSource[]>();
    for (const { file, source } of runs) starters.set(file, [...(starters.get(file) ?? []), effective(source)]);
    for (const src of shellSources) {
      const by = starters.get(src.file);
      if (demoted.has(src) || !by || by.some((b) => b.production)) continue;
      demoted.set(src, {
        ...src,
        production: false,
        devReason: `started only by ${[...new Set(by.map((b) => b.label))].join(', ')} (${by[0]!.devReason ?? 'development'})`,
      });
      changed = true;
    }
  }
}

/** The workspace's shell script each script a process runs is (not make, npm or supervisord), with that process's source. */
function startScriptRuns(r: Collected): { file: string; source: ProcessSource }[] {
  return r.out.scripts.flatMap((s) => {
    if (s.ref.make || s.ref.npmScript || s.ref.supervisord) return [];
    const file = workspaceFileFor(r, s.ref.script.text, s.source, 'shell');
    return file && file !== s.source.file ? [{ file, source: s.source }] : [];
  });
}
