// What one build of the app-server model shares between its steps (the workspace, the project,
// the config modules read so far, the apps evaluated and resolved), and the lookups of files the
// steps share: whether a path exists, the files whose path ends with a tail, the folders a process
// runs in.
import * as path from 'node:path';
import type { Evaluator } from '../../eval/evaluator';
import type { ModuleResult } from '../../eval/scope';
import type { ScanResult } from '../../files/scan';
import type { GunicornConfig } from '../../readers/python/gunicornConfig';
import type { ProjectFileView } from '../project/files';
import type { DjangoProject } from '../project/model';
import type { ProcessSource } from '../process/index';
import type { AppResolution, AppServerOptions } from './types';

export interface AppServerBuild {
  readonly ws: ProjectFileView;
  readonly project: DjangoProject;
  readonly options: AppServerOptions;
  readonly scan: ScanResult | undefined;
  /** The evaluator of the config modules (an app module is evaluated on its own: keptApps.ts). */
  readonly evaluator: Evaluator;
  /** The config modules read, by file (undefined: the file cannot be read). */
  readonly configs: Map<string, GunicornConfig | undefined>;
  /** The app modules evaluated, by file. */
  readonly appModules: Map<string, ModuleResult>;
  /** The apps resolved, by their search roots, module, attribute and server. */
  readonly appCache: Map<string, AppResolution>;
}

/** Whether a file exists (a Python file of the scan, else asked of the workspace). */
export function exists(b: AppServerBuild, p: string): boolean {
  return (b.scan?.pythonFiles.has(p) ?? false) || b.ws.fileExists(p);
}

/** Files of the workspace whose path ends with `tail` (`config/gunicorn.py`). */
export function bySuffix(b: AppServerBuild, tail: string): string[] {
  const norm = tail
    .replace(/^\.?\/+/, '')
    .split('/')
    .filter((p) => p && p !== '.')
    .join(path.sep);
  if (!norm) return [];
  const out: string[] = [];
  for (const f of b.scan?.pythonFiles ?? []) if (f === norm || f.endsWith(path.sep + norm)) out.push(f);
  return out;
}

/** The folders a process may run in: its working directory, its file's folder, the project's root, the scan's root. */
export function runDirs(b: AppServerBuild, src: ProcessSource | undefined): string[] {
  const dirs: string[] = [];
  if (src?.workingDir) dirs.push(src.workingDir);
  if (src && (src.kind === 'procfile' || src.kind === 'compose' || src.kind === 'dockerfile')) dirs.push(path.dirname(src.file));
  dirs.push(b.project.root);
  if (b.scan) dirs.push(b.scan.root);
  return [...new Set(dirs)];
}
