// The app-server model of a project: gunicorn config modules and the process command lines that
// start the app (Procfile, Dockerfile, docker-compose, systemd units, shell scripts), combined into
// what actually runs. Rules of target 'gunicorn' and 'process' read it through RuleContext.appServer.
import type { DjangoProject } from '../project/model';
import type { Workspace } from '../workspace';

export interface AppServerModel {
  /** Gunicorn config modules (found by name or named with -c/--config), evaluated. */
  readonly configs: readonly unknown[];
  /** Process command lines that start a server or run the app. */
  readonly commands: readonly unknown[];
}

export interface AppServerOptions {
  /** Wall-clock deadline (ms since epoch) for evaluating config modules. */
  readonly deadline?: number;
}

export function buildAppServer(ws: Workspace, project: DjangoProject, options: AppServerOptions = {}): AppServerModel {
  void ws;
  void project;
  void options;
  return { configs: [], commands: [] };
}
