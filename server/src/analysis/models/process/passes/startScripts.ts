// Start scripts run only by development: a start script only processes not meant for production
// run (a development image's ENTRYPOINT, a `dev` Procfile's process) is theirs, and what it starts
// is development's too. A script no process is seen to run, or one a production process may run,
// stays production — unless the only images that copy it in start something else themselves (their
// CMD or ENTRYPOINT never names it): copied in, never run. The scripts each process runs are
// resolved to workspace files once, then the demotion rounds spread development along them (a
// script started by a demoted script…).
import * as path from 'node:path';
import { stageChain, type DockerCommand } from '../../../readers/container/dockerfile';
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
  const run = new Set(runs.map((x) => x.file));
  for (const src of shellSources) {
    if (demoted.has(src) || run.has(src.file)) continue;
    const why = copiedNeverRun(r, src.file);
    if (why) demoted.set(src, { ...src, production: false, devReason: `${src.label}: ${why}` });
  }
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

/** The words of an image's start command as written (its exec-form items or its shell-form text). */
function commandText(c: DockerCommand): string {
  return c.form === 'exec' ? (c.items ?? []).map((w) => w.text).join(' ') : (c.text?.text ?? '');
}

/**
 * Why a script nothing runs is not run in the images that copy it in by name (`COPY
 * gunicorn-start.sh /`): each has a command of its own (a CMD, of its stage or one it builds on)
 * that, with its ENTRYPOINT, never names the script under either name, so a container of it starts
 * that instead. Undefined when no image copies it, or one has no CMD or names it.
 */
function copiedNeverRun(r: Collected, file: string): string | undefined {
  const images: string[] = [];
  for (const d of r.dockerfiles) {
    const chain = stageChain(d);
    const names = new Set<string>();
    for (const st of chain)
      for (const c of st.copies) {
        if (c.from) continue;
        for (const src of c.sources) {
          if (path.resolve(r.project.root, src) !== file && path.resolve(path.dirname(d.file), src) !== file) continue;
          names.add(path.basename(file));
          // (copied under another name: `COPY start.sh /usr/local/bin/start`)
          if (!c.dest.endsWith('/') && c.dest !== '.') names.add(path.posix.basename(c.dest));
        }
      }
    if (names.size === 0) continue;
    // (an ENTRYPOINT alone runs the command its runner gives: a compose file or cluster the
    // repository does not show may give the script)
    const cmd = chain.find((st) => st.cmd)?.cmd;
    const entrypoint = chain.find((st) => st.entrypoint)?.entrypoint;
    if (!cmd) return undefined;
    const starts = [cmd, entrypoint].filter((c): c is DockerCommand => !!c).map(commandText);
    if (starts.some((t) => [...names].some((n) => t.includes(n)))) return undefined;
    images.push(path.relative(r.project.root, d.file).split(path.sep).join('/'));
  }
  if (images.length === 0) return undefined;
  return `copied into ${images.join(', ')}, whose own start (CMD/ENTRYPOINT) never runs it, and run by nothing else`;
}
