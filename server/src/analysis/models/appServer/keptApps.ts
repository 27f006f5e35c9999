// App modules evaluated, each on its own (not in the config modules' evaluator): what it reads is
// then all in its own calls, and with AppServerOptions.reuse the evaluation is kept for the next
// analysis of the workspace, which takes it again while the workspace answers those calls alike
// (the language server: every keystroke's analysis evaluated the app module again for the proxy
// rules).
import { Evaluator } from '../../eval/evaluator';
import { RecordingHost, type HostCall } from '../../reuse/recordingHost';
import type { ModuleRef, ModuleResult } from '../../eval/scope';
import type { ProjectFileView } from '../project/files';
import type { AppServerBuild } from './build';

/** An app module's evaluation, with the workspace's answers it was made from (see AppServerOptions.reuse). */
interface KeptApp {
  readonly calls: readonly HostCall[];
  readonly mod: ModuleResult;
}

/** The kept app module evaluations of each workspace, by project root, file and module name. */
const keptApps = new WeakMap<ProjectFileView, Map<string, KeptApp>>();

/** At most this many app module evaluations are kept per workspace (beyond, all are dropped). */
const KEPT_APPS_MAX = 64;

/** The evaluation of an app module: the kept one while the workspace answers its calls alike, else a new one. */
export function evaluateApp(b: AppServerBuild, ref: ModuleRef): ModuleResult {
  const { ws, project, options, appModules } = b;
  const recorder = new RecordingHost(ws.hostFor(project));
  let kept = options.reuse ? keptApps.get(ws) : undefined;
  if (options.reuse && !kept) keptApps.set(ws, (kept = new Map()));
  const keptKey = `${project.root}\0${ref.file}\0${ref.name}\0${ref.isPackage}`;
  const before = kept?.get(keptKey);
  if (before && before.calls.every((c) => recorder.replay(c))) {
    appModules.set(ref.file, before.mod);
    return before.mod;
  }
  const calls: HostCall[] = [];
  recorder.logs.push(calls);
  const mod = new Evaluator(recorder, { deadline: options.deadline }).evaluate(ref);
  recorder.logs.pop();
  appModules.set(ref.file, mod);
  if (kept) {
    if (kept.size >= KEPT_APPS_MAX) kept.clear();
    // an evaluation cut short (its budget) or failing is not kept: it may go further next time
    if (mod.status === 'done') kept.set(keptKey, { calls, mod });
    else kept.delete(keptKey);
  }
  return mod;
}
