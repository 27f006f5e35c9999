// What the evaluator needs from the outside world: module resolution and parsed documents.
import type { PythonDocument } from '../parse/pythonDocument';
import type { ModuleRef } from './scope';
import type { Loc } from './values';

/**
 * A data file's tree as the readers give it (readers/yaml.ts: the evaluator cannot import them):
 * each scalar's decoded text, as written, never typed, and its place.
 */
export interface DataScalar {
  readonly kind: 'scalar';
  readonly value: string;
  readonly style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
  readonly loc: Loc;
}
export interface DataMap {
  readonly kind: 'map';
  /** Keys once each (the last one given), merge keys resolved. */
  readonly entries: readonly { readonly key: DataScalar; readonly value: DataNode | undefined }[];
  readonly loc: Loc;
}
export interface DataSeq {
  readonly kind: 'seq';
  readonly items: readonly DataNode[];
  readonly loc: Loc;
}
/** An empty value (`key:` and nothing after it) is undefined. */
export type DataNode = DataScalar | DataMap | DataSeq;

export type Resolution =
  | { readonly status: 'found'; readonly ref: ModuleRef }
  /** The file exists but git ignores it: not part of what is deployed. */
  | { readonly status: 'ignored'; readonly ref: ModuleRef }
  /** Not in the workspace (a third-party or standard-library module, or a missing file). */
  | { readonly status: 'missing'; readonly name: string };

export interface ModuleHost {
  /**
   * Resolves `import name` (level 0) or `from .name import …` (level = number of dots) as seen from
   * `from`. `name` may be empty for `from . import x`.
   */
  resolve(name: string, level: number, from: ModuleRef): Resolution;
  /** The parsed document of a workspace file, or undefined when it cannot be read. */
  document(file: string): PythonDocument | undefined;
  /**
   * Whether a workspace file exists and is deployed (`ignored`: git ignores it), for files named
   * by path rather than by module (django-split-settings' `include("components/base.py")`).
   */
  fileStatus?(file: string): 'found' | 'ignored' | 'missing';
  /** The names of the files in a folder (for `include("components/*.py")`), or undefined. */
  listDir?(dir: string): string[] | undefined;
  /**
   * For a file that cannot be read whose names are known all the same (a settings file the
   * deployment mounts from a Helm template: Python once rendered, its upper-case names written):
   * the upper-case names it may bind, as a sorted list. Undefined: it may bind any name.
   */
  unreadableNames?(file: string): readonly string[] | undefined;
  /**
   * For a file the deployment renders as a template before Python reads it (a settings module an
   * Ansible `template:` task puts in place): how it is rendered. Its template expressions in strings
   * (`'{{ db_password }}'`) are values filled in then, unknown here. Undefined: read as it is.
   */
  renderedBy?(file: string): string | undefined;
  /**
   * For a file the deployment renders as a template (renderedBy): a string's text with its template
   * expressions filled in where the deployment's variables in the repository give each one plain
   * value (`"{{ project_path }}/static"` with the play's `project_path: /srv/app`: `/srv/app/static`).
   * Undefined: some expression is only known where the template is rendered.
   */
  renderedString?(file: string, text: string): string | undefined;
  /**
   * For a module absent or git-ignored here: the committed template the deployment renders into its
   * place (an Ansible `template:` task whose `dest` is the module's path), and the task ("the Ansible
   * template task in deploy/roles/app/tasks/main.yml:2"). Undefined: nothing in the repository
   * renders it.
   */
  renderedFrom?(file: string): { readonly template: string; readonly by: string } | undefined;
  /**
   * When `import x` in the module `from` (a package's) reads the package's own x first, Python 2's
   * implicit relative import (PEP 328; resolve() already does so): what says the project runs on
   * Python 2. Undefined: imports are absolute (Python 3).
   */
  implicitRelativeImports?(from: ModuleRef): string | undefined;
  /**
   * For a file a shell script writes from an unquoted heredoc before Python reads it (a start
   * script's `cat > overrides.py <<EOF`): where and when. The shell fills in its `$(…)`, `${VAR}`,
   * `$VAR` and backquotes then, so a string holding one is a value set then, unknown here.
   * Undefined: read as it is.
   */
  expandedBy?(file: string): string | undefined;
  /**
   * For a file envsubst renders from a committed template when a start script runs (`envsubst <
   * settings.py.in > settings.py`): how. Its placeholders outside strings are names of their length
   * (base/shellExpansions.ts envsubstAsPython), each the variable's text parsed as Python.
   * Undefined: not rendered so.
   */
  envsubstBy?(file: string): string | undefined;
  /**
   * A YAML file a library loads into the settings (dynaconf's settings files): its text and its
   * first document's tree (undefined when empty). Undefined when it cannot be read: outside the
   * workspace, not YAML, unreadable.
   */
  dataFile?(file: string): { readonly text: string; readonly root: DataNode | undefined } | undefined;
}
