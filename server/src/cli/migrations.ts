// `django-deploy-check migrations [PATH] [--since REF | --all]`: the migration rules on the
// migrations each project added or changed (see analysis/models/migrations/changes.ts for the change set),
// reported like every other run (same formats, exit codes and --fail-on).
import * as path from 'node:path';
import type { AnalysisOptions, ProjectAnalysis } from '../analysis/engine/engine';
import { analyzeMigrations } from '../analysis/engine/migrations';
import {
  migrationChangeSet,
  migrationGitFacts,
  projectMigrationFiles,
  type ChangeSet,
  type ChangeSetRequest,
  type RepositoryChangesCache,
} from '../analysis/models/migrations/changes';
import type { DjangoProject } from '../analysis/models/project/model';
import type { Workspace } from '../analysis/engine/workspace';

/** The change set of each project (by root). Throws UnknownRefError for a --since git does not know. */
export async function changeSets(
  ws: Workspace,
  projects: readonly DjangoProject[],
  request: ChangeSetRequest,
): Promise<Map<string, ChangeSet>> {
  const out = new Map<string, ChangeSet>();
  const cache: RepositoryChangesCache = new Map(); // git is asked once per repository
  for (const p of projects)
    out.set(p.root, await migrationChangeSet(p.root, projectMigrationFiles(ws, p, projects), request, undefined, cache));
  return out;
}

/** Analyses one project's change set with the migration rules (for analyzeWorkspace). */
export function migrationAnalyzer(
  sets: ReadonlyMap<string, ChangeSet>,
): (ws: Workspace, project: DjangoProject, options: AnalysisOptions) => ProjectAnalysis {
  return (ws, project, options) =>
    analyzeMigrations(ws, project, sets.get(project.root)?.files ?? [], {
      ...options,
      migrationGit: migrationGitFacts(sets.get(project.root)),
    });
}

/** The change set in the JSON report, paths relative to the analysed folder. */
export function changeSetJson(root: string, cs: ChangeSet): object {
  const rel = (f: string): string => path.relative(root, f).split(path.sep).join('/');
  return {
    scope: cs.scope,
    description: cs.description,
    fallback: cs.fallback ?? null,
    base: cs.base ?? null,
    total: cs.total,
    files: cs.files.map(rel),
    untracked: cs.untracked.map(rel),
    modelsChanged: cs.modelsChanged.map(rel),
  };
}
