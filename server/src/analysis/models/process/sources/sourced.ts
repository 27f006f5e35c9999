// The scripts a deployment's container command sources before it starts the app (`sh -c ". /config/env.sh
// && exec gunicorn …"`): what they export is in the environment of the commands after them. A script
// the repository shows (a ConfigMap key the container mounts there, or a file of the repository the
// image holds) is read as the shell reader reads a start script (readers/shell.ts setVariables); one it
// does not show (a file of the image, a ConfigMap not in the repository) may set any variable: the
// process's environment is open (ProcessSource.unreadEnv).
import type { ScriptRef } from '../../../readers/process/recognised';
import { setVariables, tokenize } from '../../../readers/shell';
import { MappedText } from '../../../readers/text';
import type { DeployProcess } from '../../../readers/workload';
import type { Collected } from '../collect';
import type { EnvValue, ProcessSource } from '../model';
import { isFile, workspaceFileFor } from '../paths';

/** What a process's sourced scripts add: the variables they export, and the ones the repository does not show. */
export interface SourcedEnv {
  readonly env: EnvValue[];
  readonly unread: string[];
}

/**
 * The variables the scripts `refs` names as sourced (unconditionally, by an absolute or relative
 * path written out) export, each read from the mounted ConfigMap key or repository file at that
 * path; a script neither holds is unread.
 */
export function sourcedEnv(r: Collected, p: DeployProcess, source: ProcessSource, refs: readonly ScriptRef[]): SourcedEnv {
  const env: EnvValue[] = [];
  const unread: string[] = [];
  for (const ref of refs) {
    if (!ref.sourced || ref.conditional || ref.script.dynamic) continue;
    const at = ref.script.text;
    const mount = p.mounts?.find((m) => m.path === at);
    const file = mount ? undefined : workspaceFileFor(r, at, source, 'shell');
    const text = mount?.content ?? (isFile(r, file) ? fileText(r, file) : undefined);
    if (!text) {
      // (a ConfigMap key the chart templates, a ConfigMap not in the repository, a file of the image)
      const why = mount ? mount.from : 'not in the repository';
      unread.push(`${at} (which its command sources first; ${why})`);
      continue;
    }
    const where = mount ? `${at} (${mount.from})` : at;
    for (const c of tokenize(text)) {
      if (c.conditional) continue;
      for (const v of setVariables(c) ?? []) {
        if (!v.exported) continue;
        // (`export DB_URL="mysql://${DB_USER}:…"`: set, its value known only where it runs)
        env.push(
          v.value.dynamic
            ? { name: v.name, value: '', token: v.value, nameLoc: v.nameLoc, from: `${where}, which its command sources first` }
            : { name: v.name, value: v.value.text, token: v.value, nameLoc: v.nameLoc, exported: true },
        );
      }
    }
  }
  return { env, unread };
}

function fileText(r: Collected, file: string): MappedText | undefined {
  const text = r.ws.fs.readText(file);
  return text === undefined ? undefined : MappedText.slice(file, text);
}
