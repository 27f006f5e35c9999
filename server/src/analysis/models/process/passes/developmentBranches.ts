// The branch of a start script production does not take. A script run by production's image and by
// development's compose file alike picks its set-up by a variable (`if [ "${LOCAL_DEV_ENV:-false}" =
// "true" ]; then … runserver; else gunicorn …; fi`, `case "$ENV_NAME" in localdev) … ;; *) … esac`): the
// branch is taken as the environment of the process that starts the script decides. A command whose
// tests every production environment of its script turns away (models/process/branch.ts
// branchProductionSkips) is development's: its record is given a development source, as the other
// passes do for whole files. A branch production may take — a variable it sets to a value not known,
// or a test nothing decides — stays production's.
import { branchProductionSkips, type BranchEnvironment, type VariableValues } from '../branch';
import type { Collected } from '../collect';
import type { ProcessSource, Starter, Starters } from '../model';
import type { ResolvedScript } from '../starters';
import type { BranchTest } from '../../../readers/shell';

/** A variable's value in a source's environment (see VariableValues), else as `under` gives it. */
function valuesOf(src: ProcessSource | undefined, under: VariableValues = () => undefined): VariableValues {
  return (name) => {
    const v = src?.env.get(name);
    // (an app.json value given only to apps created from the file is not production's environment)
    if (v && !v.atCreation) {
      if (v.defaultOf !== undefined) return v.value;
      return v.from || v.maybe || v.token.dynamic ? null : v.value;
    }
    // (an env file production loads that the repository does not have may set anything)
    return src?.unreadEnv?.length ? null : under(name);
  };
}

/** The environment each of several sources gives (one value where they agree, null where they differ). */
function merged(sources: readonly ProcessSource[]): VariableValues {
  return (name) => {
    let out: string | null | undefined;
    for (const s of sources) {
      const x = valuesOf(s)(name);
      if (x === undefined) continue;
      if (out !== undefined && out !== x) return null;
      out = x;
    }
    return out;
  };
}

/** The source whose environment a starter gives the command it starts. */
function starterEnv(st: Starter): ProcessSource | undefined {
  return st.envSource ?? st.source ?? st.workload?.source;
}

interface Environments {
  readonly production: readonly BranchEnvironment[];
  readonly development: readonly BranchEnvironment[];
  readonly closed: boolean;
}

/**
 * The environments a command line of `src` runs in: those of the processes that start its script or
 * image (the starters, over the image's own ENV), production's and development's apart; a source of
 * its own (a compose service's `sh -c`) runs in its own. `closed`: every production environment is
 * written in the repository (compose services, systemd units, no env file it does not have).
 */
function environmentsOf(src: ProcessSource, scripts: readonly ResolvedScript[], starters: Starters): Environments {
  const runners = src.kind === 'shell' ? scripts.filter((s) => s.file === src.file).map((s) => s.source) : [];
  let list: readonly Starter[] = [];
  for (const [k, v] of starters)
    if (k.file === src.file && k.kind === src.kind) {
      list = v;
      break;
    }
  const image = merged(runners.filter((s) => s.production));
  const prodStarters = list.filter((s) => s.production);
  const production: BranchEnvironment[] =
    prodStarters.length > 0
      ? prodStarters.map((st) => ({ label: st.label, values: valuesOf(starterEnv(st), image) }))
      : runners.filter((s) => s.production).map((s) => ({ label: s.label, values: valuesOf(s) }));
  if (production.length === 0) production.push({ label: src.label, values: () => undefined });
  const development: BranchEnvironment[] = [
    ...list.filter((s) => !s.production).map((st) => ({ label: st.label, values: valuesOf(starterEnv(st)) })),
    ...runners.filter((s) => !s.production).map((s) => ({ label: s.label, values: valuesOf(s) })),
  ];
  const closedKind = (k: string): boolean => k === 'compose' || k === 'systemd';
  const closed =
    src.kind === 'shell' || src.kind === 'dockerfile'
      ? prodStarters.length > 0 && prodStarters.every((st) => closedKind(st.kind) && !starterEnv(st)?.unreadEnv?.length)
      : closedKind(src.kind) && !src.unreadEnv?.length;
  return { production, development, closed };
}

/**
 * Gives each production command in a branch production does not take a development source, with
 * why: the invocations, management tasks and scripts a start script runs there. Returns the
 * resolved scripts with their records' sources as they now are.
 */
export function demoteDevelopmentBranches(r: Collected, scripts: readonly ResolvedScript[], starters: Starters): ResolvedScript[] {
  const envs = new Map<string, Environments>();
  const demotedCopies = new Map<ProcessSource, Map<string, ProcessSource>>();
  const decide = <T extends { readonly source: ProcessSource }>(x: T, g: { branch?: readonly BranchTest[]; calls?: unknown }): T => {
    const src = x.source;
    if (!src.production || !g.branch || g.branch.length === 0 || g.calls) return x;
    const key = `${src.kind}\0${src.file}`;
    let e = envs.get(key);
    if (!e) envs.set(key, (e = environmentsOf(src, scripts, starters)));
    // (the command's own environment — a script's exports, an image's ENV — over its starter's)
    const production = e.production.map((p) => ({ label: p.label, values: valuesOf(src, p.values) }));
    const why = branchProductionSkips(g.branch, production, e.development, e.closed);
    if (!why) return x;
    let copies = demotedCopies.get(src);
    if (!copies) demotedCopies.set(src, (copies = new Map()));
    let dev = copies.get(why);
    if (!dev) copies.set(why, (dev = { ...src, production: false, devReason: `${src.label}: ${why}` }));
    return { ...x, source: dev };
  };
  const o = r.out;
  o.invocations = o.invocations.map((x) => decide(x, x));
  o.tasks = o.tasks.map((x) => decide(x, x.task));
  o.installs = o.installs.map((x) => decide(x, x.install));
  const moved = new Map<object, ProcessSource>();
  o.scripts = o.scripts.map((x) => {
    const y = decide(x, x.ref);
    if (y !== x) moved.set(x.ref, y.source);
    return y;
  });
  return scripts.map((s) => {
    const source = moved.get(s.ref);
    return source ? { ...s, source } : s;
  });
}
