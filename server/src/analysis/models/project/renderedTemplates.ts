// The Python modules the deployment renders into the project from a committed Jinja template: an
// Ansible `template:` task whose `src` is a template of the repository and whose `dest` is a Python
// file (`src=settings_local.py.j2 dest={{ app_dir }}/back/mysite/settings_local.py`). The module
// the task writes is told by its `dest` alone (ModuleHost.renderedFrom: the dest ends with the
// module's path under an import root), never by the template's file name; the template is the one
// Ansible finds for `src` (catalogue/ansible.ts ANSIBLE_SRC_SEARCH).
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { relPath } from '../../base/relPath';
import { templateTasks } from '../../readers/ansible';

/** A committed template the deployment renders into a Python module's place. */
export interface RenderedTemplate {
  /** The template (absolute). */
  readonly template: string;
  /** The task's `dest`, as written (`{{ app_dir }}/back/mysite/settings_local.py`). */
  readonly dest: string;
  /** The task and where it is: "the Ansible template task in deploy/roles/app/tasks/main.yml:2". */
  readonly by: string;
}

/** The files of a project that may hold Ansible tasks: its YAML deployment files. */
const TASK_KINDS: ReadonlySet<ScannedFile['kind']> = new Set(['manifest']);

/**
 * The templates the project's Ansible tasks render to a Python file, the tasks named from `shownRoot`
 * (the workspace folder messages name files from).
 */
export function renderedTemplatesOf(fs: FileSystem, files: readonly ScannedFile[], shownRoot: string): RenderedTemplate[] {
  const out: RenderedTemplate[] = [];
  for (const f of files) {
    if (!TASK_KINDS.has(f.kind)) continue;
    const text = fs.readText(f.path);
    if (text === undefined || !text.includes('.py')) continue;
    for (const t of templateTasks(f.path, text)) {
      if (!/\.py$/.test(t.dest.trim())) continue;
      const template = t.candidates.find((c) => fs.exists(c));
      if (!template) continue;
      out.push({ template, dest: t.dest.trim(), by: `the Ansible template task in ${relPath(shownRoot, f.path)}:${t.line + 1}` });
    }
  }
  return out;
}

/**
 * The rendered template whose `dest` is `modulePath` (the module's file under an import root,
 * `mysite/settings_local.py`): its dest ends with that path after a `/` (or is it).
 */
export function renderedInto(rendered: readonly RenderedTemplate[], modulePath: string): RenderedTemplate | undefined {
  const tail = '/' + modulePath.split('\\').join('/');
  return rendered.find((r) => r.dest === tail.slice(1) || r.dest.endsWith(tail));
}
