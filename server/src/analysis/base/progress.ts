// Where the analysis is: the phase it is in (finding the projects, evaluating a settings module,
// running a rule, reading the process files…), the file that phase works on and the project. A
// stuck analysis cannot say where it is stuck, so it says where it goes as it goes: the language
// server's supervisor reads this from shared memory after stopping a worker past its deadline, and
// the CLI after interrupting a project (cli/bounded.ts). Setting it costs a few assignments; a sink
// (the worker's shared memory) is told only of changes.

export interface Whereabouts {
  readonly phase: string;
  readonly file: string | undefined;
  readonly root: string | undefined;
}

/** Told each change of phase, file or project. */
export interface ProgressSink {
  where(phase: string, file: string | undefined, root: string | undefined): void;
}

let phase = 'idle';
let file: string | undefined;
let root: string | undefined;
let sink: ProgressSink | undefined;

/** Where the analysis is told to report (the worker's shared memory); undefined: nowhere. */
export function setProgressSink(s: ProgressSink | undefined): void {
  sink = s;
  sink?.where(phase, file, root);
}

/** The analysis enters a phase, working on `at` (a file or folder) when it is about one. */
export function enterPhase(name: string, at?: string): void {
  if (name === phase && at === file) return;
  phase = name;
  file = at;
  sink?.where(phase, file, root);
}

/** The project (its root) the following phases are about; undefined between projects. */
export function enterProject(projectRoot: string | undefined): void {
  if (projectRoot === root) return;
  root = projectRoot;
  sink?.where(phase, file, root);
}

/** Runs `fn` in a phase, then returns to the phase it was called in (a module evaluated inside another). */
export function inPhase<T>(name: string, at: string | undefined, fn: () => T): T {
  const before = phase;
  const beforeFile = file;
  enterPhase(name, at);
  try {
    return fn();
  } finally {
    enterPhase(before, beforeFile);
  }
}

export function currentWhereabouts(): Whereabouts {
  return { phase, file, root };
}

/** "evaluating the settings in /p/settings.py (project /p)": for messages. */
export function describeWhereabouts(w: Whereabouts, rel: (p: string) => string = (p) => p): string {
  const parts = [w.phase];
  if (w.file) parts.push(`in ${rel(w.file)}`);
  return parts.join(' ');
}

/** An analysis stopped from outside (past its hard deadline): where it was. */
export class AnalysisStopped extends Error {
  constructor(
    readonly where: Whereabouts,
    readonly afterMs: number,
  ) {
    super(`stopped after ${Number((afterMs / 1000).toFixed(1))} s while ${describeWhereabouts(where)}`);
    this.name = 'AnalysisStopped';
  }
}
