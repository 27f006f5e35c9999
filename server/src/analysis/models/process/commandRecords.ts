// The commands a process source runs, as the model's records: each command line recognised
// (readers/process/commands.ts) into the app servers, management and celery tasks, scripts, argument
// forwards and other programs it starts, each with the source's environment and the command's own
// assignments; a uWSGI command line with the configuration it loads (uwsgi.ts). A `make` target or
// an `npm run` script a process runs is followed into its recipe or package.json script, read as
// the process's own commands. Every source adapter adds its commands here.
import * as path from 'node:path';
import {
  recognise,
  type ArgsForward,
  type Invocation,
  type OtherProgram,
  type PackageInstall,
  type ScriptRef,
  type TaskInvocation,
} from '../../readers/process/commands';
import { defaultTarget, makeRule } from '../../readers/process/makefile';
import { matchScripts } from '../../readers/process/npmRunAll';
import { parseYamlDocuments, yget, yscalar } from '../../readers/yaml';
import { tokenize, type SimpleCommand } from '../../readers/shell';
import type { MappedText } from '../../readers/text';
import type { Collected } from './collect';
import { envLookup, type ProcessSource } from './model';
import { uwsgiRun } from './uwsgi';

export function addCommands(
  r: Collected,
  commands: readonly SimpleCommand[],
  source: ProcessSource,
  lookup?: (name: string) => string | undefined,
): void {
  for (const c of commands) addRecognised(r, recognise(c, { lookup }), source);
}

export function addRecognised(
  r: Collected,
  rec: {
    invocations: Invocation[];
    scripts: ScriptRef[];
    forwards: ArgsForward[];
    tasks: TaskInvocation[];
    others: OtherProgram[];
    installs?: PackageInstall[];
  },
  source: ProcessSource,
): void {
  for (const inv of rec.invocations) {
    const env = new Map(source.env);
    for (const a of inv.assignments) env.set(a.name, { name: a.name, value: a.value.text, token: a.value, nameLoc: a.nameLoc });
    const uwsgiConfig = inv.uwsgi ? uwsgiRun(r, inv.uwsgi, source, env) : undefined;
    r.out.invocations.push({ ...inv, source, env, ...(uwsgiConfig ? { uwsgiConfig } : {}) });
  }
  for (const s of rec.scripts) {
    r.out.scripts.push({ ref: s, source });
    if (s.make) followMake(r, s, source);
    if (s.npmScript) followNpmScript(r, s, source);
  }
  for (const f of rec.forwards) r.out.forwards.push({ forward: f, source });
  for (const t of rec.tasks) r.out.tasks.push({ task: t, source });
  for (const o of rec.others) r.out.others.push({ other: o, source });
  for (const install of rec.installs ?? []) r.out.installs.push({ install, source });
}

/** The folder a process runs `make` or `npm` in: its working folder, its Procfile's or platform file's, or the project's. */
function runnerDir(r: Collected, source: ProcessSource): string {
  return source.workingDir ?? (source.kind === 'procfile' || source.kind === 'platform' ? path.dirname(source.file) : r.project.root);
}

/** The commands of a recipe line or a package.json script, as the process's own; the make and npm runs they start are followed one level deeper. */
function addFollowed(r: Collected, text: MappedText, source: ProcessSource, depth: number, seen?: Set<string>): void {
  const lookup = envLookup(source.env);
  for (const c of tokenize(text, { lookup })) {
    const rec = recognise(c, { lookup });
    addRecognised(r, { ...rec, scripts: rec.scripts.filter((x) => !x.make && !x.npmScript) }, source);
    for (const x of rec.scripts) {
      if (x.make) followMake(r, x, source, depth + 1);
      if (x.npmScript) followNpmScript(r, x, source, depth + 1, seen);
    }
  }
}

/**
 * `make serve`: the commands of the target's recipe in the Makefile of the process's folder (or the
 * one `-f`/`-C` names), read as the process's own commands, in the Makefile (a finding on
 * `--reload` lands there). A target whose recipe runs make again is followed a few levels deep.
 */
function followMake(r: Collected, s: ScriptRef, source: ProcessSource, depth = 0): void {
  if (depth > 2) return;
  let dir = runnerDir(r, source);
  let file: string | undefined;
  const targets: string[] = [];
  for (let i = 0; i < s.args.length; i++) {
    const a = s.args[i]!;
    if (a.dynamic) return;
    if (a.text === '-C' || a.text === '--directory') dir = path.resolve(dir, s.args[++i]?.text ?? '.');
    else if (a.text === '-f' || a.text === '--file' || a.text === '--makefile') file = s.args[++i]?.text;
    else if (a.text.startsWith('-') || a.text.includes('=')) continue;
    else targets.push(a.text);
  }
  const makefile = file
    ? path.resolve(dir, file)
    : ['GNUmakefile', 'makefile', 'Makefile'].map((n) => path.join(dir, n)).find((p) => r.ws.fs.exists(p));
  if (!makefile || !makefile.startsWith(r.project.repositoryRoot ?? r.project.root)) return;
  const text = r.ws.fs.readText(makefile);
  if (text === undefined) return;
  if (targets.length === 0) {
    const t = defaultTarget(text);
    if (t) targets.push(t);
  }
  // each target after its prerequisites, once (make's order)
  const done = new Set<string>();
  const run = (t: string, level: number): void => {
    if (done.has(t) || level > 8) return;
    done.add(t);
    const rule = makeRule(makefile, text, t);
    if (!rule) return;
    for (const p of rule.prerequisites) run(p, level + 1);
    for (const line of rule.recipe) addFollowed(r, line, source, depth);
  };
  for (const t of targets) run(t, 0);
}

/**
 * `npm run start` (yarn, pnpm): the command of package.json's `scripts.start` in the process's folder,
 * read as the process's own command, in package.json. Its `prestart` runs first, as npm runs it.
 * An npm-run-all pattern (`npm-run-all -p render-*`) runs every script it matches; a script already
 * followed for this process (the one running the pattern, one two patterns match) is read once.
 */
function followNpmScript(r: Collected, s: ScriptRef, source: ProcessSource, depth = 0, seen: Set<string> = new Set()): void {
  if (depth > 2 || !s.npmScript) return;
  const dir = runnerDir(r, source);
  const file = path.join(dir, 'package.json');
  if (!file.startsWith(r.project.repositoryRoot ?? r.project.root)) return;
  const text = r.ws.fs.readText(file);
  if (text === undefined) return;
  const scripts = yget(parseYamlDocuments(file, text).documents[0], 'scripts');
  const names = s.npmPattern && scripts?.kind === 'map' ? scripts.entries.map((e) => e.key.value) : [];
  const runs = (s.npmPattern ? matchScripts(s.npmScript, names) : [s.npmScript]).filter((n) => !seen.has(n));
  for (const run of runs) seen.add(run);
  for (const run of runs)
    for (const name of [`pre${run}`, run]) {
      const cmd = yscalar(yget(scripts, name));
      if (cmd) addFollowed(r, cmd.map, source, depth, seen);
    }
}
