// The file view a model that evaluates Python of a project (the app-server model reads gunicorn
// config modules) is given: the workspace's read-only file view, and the module host that resolves
// the project's imports as Python does.
import type { ModuleHost } from '../../eval/host';
import type { FileView } from '../../files/view';
import type { DjangoProject } from './types';

export interface ProjectFileView extends FileView {
  /** The module host of a project's evaluation. */
  hostFor(project: DjangoProject): ModuleHost;
}
