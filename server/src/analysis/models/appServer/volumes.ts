// Whether a file the app writes (a SQLite database) lies on a persistent volume for every
// production process that serves the app, and how many processes write to it there: the app
// server's workers (gunicorn's `workers`, 1 unless set) and the containers' replicas.
import type { Loc } from '../../eval/values';
import { persistentVolumesHolding, type PersistentMount } from '../process/index';
import type { AppServerModel } from './types';

export interface FileOnVolume {
  /** The volume of each container that serves the app. */
  readonly mounts: readonly PersistentMount[];
  /** More than one process writes: what runs them ("gunicorn runs 4 workers", "3 replicas of …") and where that is written. */
  readonly writers?: { readonly text: string; readonly loc: Loc };
}

/**
 * `file` (a path the settings name: absolute in the workspace, or relative to the process's folder)
 * as the production processes that serve the app see it (runserver aside): on a persistent volume
 * of each of their containers, with the processes that write it; undefined when a serving process
 * runs where none holds it, or none serves. `containerPath`: the file is written as the containers see
 * it (an absolute path outside the workspace, `/var/log/mysite/django.log`), not as a workspace path.
 */
export function fileOnVolume(model: AppServerModel, file: string, containerPath = false): FileOnVolume | undefined {
  const serving = model.commands.filter((c) => c.source.production && c.server !== 'runserver' && !c.source.otherProject);
  if (serving.length === 0) return undefined;
  const mounts = persistentVolumesHolding(model.processes, serving, file, containerPath);
  if (!mounts) return undefined;
  let writers: FileOnVolume['writers'];
  for (const r of model.runs) {
    if (!r.production || !r.invocation || !serving.includes(r.invocation)) continue;
    const w = r.settings.get('workers');
    if (w?.value.kind === 'int' && w.value.v > 1) {
      writers = { text: `gunicorn runs ${w.value.v} workers`, loc: w.loc };
      break;
    }
  }
  const replicated = mounts.find((m) => m.replicas !== undefined);
  if (!writers && replicated?.replicas)
    writers = { text: `${replicated.by} runs ${replicated.replicas.count} replicas`, loc: replicated.replicas.loc };
  return { mounts, ...(writers ? { writers } : {}) };
}
