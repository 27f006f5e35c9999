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
import { saltRenderedTemplates } from '../../readers/salt';
import { RENDERED_CONFIG_PLACES } from '../../catalogue/salt';

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

/**
 * `files` with each committed template a Salt state renders with Jinja (readers/salt.ts) read as the
 * file it becomes: its kind the one where it is written says (catalogue/salt.ts
 * RENDERED_CONFIG_PLACES: a supervisord program under /etc/supervisor/conf.d/, an nginx site under
 * /etc/nginx/, a systemd unit), else the one its own name gives, and what renders it with the values
 * known for its expressions (ScannedFile.rendered). A template the scan did not list (a name no
 * reader knows) is added when where it is written gives it a kind. The same list when the files hold
 * no Salt state.
 */
export function withSaltTemplates(fs: FileSystem, files: readonly ScannedFile[], shownRoot: string): ScannedFile[] {
  if (!files.some((f) => f.kind === 'salt')) return [...files];
  const rendered = saltRenderedTemplates(fs, files, (f) => relPath(shownRoot, f));
  if (rendered.length === 0) return [...files];
  const out = [...files];
  for (const r of rendered) {
    const place = RENDERED_CONFIG_PLACES.find((p) => p.test(r.dest.trim()));
    const i = out.findIndex((f) => f.path === r.template);
    const kind = place?.kind ?? (i >= 0 ? out[i]!.kind : undefined);
    if (!kind || kind === 'salt') continue;
    const file: ScannedFile = {
      path: r.template,
      kind,
      rendered: { syntax: 'jinja', by: r.pillar ? `${r.by} (${r.pillar})` : r.by, dest: r.dest, expressions: r.expressions },
    };
    if (i >= 0) out[i] = file;
    else out.push(file);
  }
  return out;
}
