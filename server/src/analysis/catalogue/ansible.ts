// What Ansible's `template` module does with its arguments: the names the module goes by in a task,
// and where Ansible looks for a relative `src` on the control node (the repository). Read by the
// reader of a playbook's template tasks (readers/ansible.ts templateTasks), which the project model
// uses to find the committed template a settings module is rendered from.
import type { Source } from './facts';

/**
 * The names a task gives the template module: its short name, and its fully qualified ones
 * (`ansible.builtin.template`; `ansible.legacy.template` resolves to it or to a local override).
 */
export const ANSIBLE_TEMPLATE_MODULES: ReadonlySet<string> = new Set(['template', 'ansible.builtin.template', 'ansible.legacy.template']);

export const ANSIBLE_TEMPLATE_MODULE: Source = {
  url: 'https://docs.ansible.com/ansible/latest/collections/ansible/builtin/template_module.html',
  quote:
    'Templates are processed by the Jinja2 templating language. … src: Path of a Jinja2 formatted template on the Ansible controller. This can be a relative or an absolute path. … dest: Location to render the template to on the remote machine.',
  versions: 'ansible-core 2.17',
};

/**
 * Where a relative `src` is looked for, nearest first: in the current role, its `templates/` folder
 * then the role's own folder; then (a parent role is not known here) the task file's folder, its
 * `templates/` then itself; then the play's folder the same way (not known for a role's task). The
 * first file found is the one rendered.
 */
export const ANSIBLE_SRC_SEARCH: Source = {
  url: 'https://docs.ansible.com/ansible/latest/playbook_guide/playbook_pathing.html#resolving-local-relative-paths',
  quote:
    'When you specify a relative path for a local file, Ansible will try to find that file first in the current task’s role, then in other roles that included or depend on the current role, then relative to the file in which the task is defined, and finally relative to the current play. … In its appropriate subdirectory—“files”, “vars”, “templates” or “tasks”, depending on the kind of file Ansible is searching for. Directly in its directory.',
  versions: 'ansible-core 2.17',
};

/** The folder of a role (or a task file's, a play's) a template is looked for in first. */
export const ANSIBLE_TEMPLATES_FOLDER = 'templates';

/**
 * The lookup plugin that renders a template on the controller and returns the text
 * (`lookup('template', 'local_settings.py.j2')`, or its fully qualified name): the task or role that
 * is given that text writes it wherever it says. It looks for the template as the template module
 * looks for `src` (ANSIBLE_SRC_SEARCH: the role's `templates/`, the play's folder and its `templates/`).
 */
export const ANSIBLE_TEMPLATE_LOOKUPS: ReadonlySet<string> = new Set(['template', 'ansible.builtin.template']);

export const ANSIBLE_TEMPLATE_LOOKUP: Source = {
  url: 'https://docs.ansible.com/ansible/latest/collections/ansible/builtin/template_lookup.html',
  quote:
    'Returns a list of strings; for each template in the list of templates you pass in, returns the results of processing that template. … _terms: list of files to template',
  versions: 'ansible-core 2.17',
};

/**
 * The modules that run the tasks of another file in the current play (`include_tasks: tasks.yaml`,
 * `import_tasks:`, the old `include:`): the included tasks' relative paths are then also looked for
 * relative to that play (ANSIBLE_SRC_SEARCH: "finally relative to the current play").
 */
export const ANSIBLE_TASK_INCLUDES: ReadonlySet<string> = new Set([
  'include_tasks',
  'import_tasks',
  'include',
  'ansible.builtin.include_tasks',
  'ansible.builtin.import_tasks',
  'ansible.builtin.include',
]);

export const ANSIBLE_TASK_INCLUDE: Source = {
  url: 'https://docs.ansible.com/ansible/latest/collections/ansible/builtin/include_tasks_module.html',
  quote:
    'Includes a file with a list of tasks to be executed in the current playbook. … file: Specifies the name of the file that lists tasks to add to the current playbook.',
  versions: 'ansible-core 2.17',
};
