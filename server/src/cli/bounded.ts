// The CLI's hard deadline for one project: its analysis runs under V8's execution timeout (node:vm
// with `timeout`), which interrupts anything that does not return, a regular expression
// backtracking for ever included. The project is then reported as stopped, with the phase and file
// it was in (analysis/base/progress.ts), and the run goes on with the other projects. A worker
// thread would do the same at the cost of starting a second copy of the bundle on every run.
import * as vm from 'node:vm';
import { monotonicMs } from '../analysis/base/clock';
import { AnalysisStopped, currentWhereabouts } from '../analysis/base/progress';

/** How long one project's analysis may run before it is stopped (default, ms). */
export const PROJECT_DEADLINE_MS = 30_000;

const SLOT = '__djangoDeployHygieneBounded';
const call = new vm.Script(`globalThis.${SLOT}()`, { filename: 'django-deploy-hygiene-bounded' });

/** Runs fn, stopped with AnalysisStopped when it has not returned after `ms`. */
export function bounded<T>(ms: number, fn: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const outer = g[SLOT];
  let result: T | undefined;
  g[SLOT] = () => {
    result = fn();
  };
  const started = monotonicMs();
  try {
    call.runInThisContext({ timeout: Math.max(1, Math.round(ms)), breakOnSigint: false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw new AnalysisStopped(currentWhereabouts(), monotonicMs() - started);
    throw e;
  } finally {
    g[SLOT] = outer;
  }
  return result as T;
}
