// Migration safety (issue 20): the analysis of a project's Django migration files, statically.
//
// Public API (stable; the CLI, the language server and the checklist build on it):
//
//   analyzeMigrations(ws, project, files, options?) → ProjectAnalysis
//     Checks `files` (absolute paths of migration modules, or 'all' for every migration of the
//     project) with the migration rules only. Same pipeline as analyzeProject: the production
//     settings are evaluated (for the database vendor), then `# noqa`, severity overrides, disabled
//     rules, redaction and fixes work as for every rule. `findings` are ordinary Findings (code
//     DDMxxx, checklist 'migrations-reviewed'); `outcomes` has one entry per migration rule (the
//     worst over the files: failing, unknown, passed, not-applicable); `files` includes the
//     migration files checked (their diagnostics are this analysis's).
//   Or, in one pass with the settings rules: analyzeProject(ws, project, { ...options, migrations: files }).
//
//   migrationFilesOf(ws, project) → string[]   every migration module of the project (sorted)
//   isMigrationFile(path) → boolean            `<app>/migrations/<name>.py`, name not starting with _ or ~
//   readMigration(file, doc) → MigrationFile   one file read statically (see reader.ts)
//   databaseVendor(settings, reason?) → DatabaseVendor   postgresql | mysql | sqlite | unknown, with the reason
//   MIGRATION_RULE_CODES                       the codes of the migration rules
//
// Migration rules (rules/migrations/, target 'migration') get a MigrationRuleContext: the
// migration being checked, the vendor, and the app's MigrationHistory (leaves, earlier definitions
// of a field). Nothing is imported or run; reading is bounded like the rest of the analysis.
import { analyzeProject, type AnalysisOptions, type ProjectAnalysis } from './engine';
import type { DjangoProject } from '../models/project/model';
import { RULES } from '../rules/registry';
import type { Workspace } from './workspace';

export { isMigrationFile, MigrationHistory } from '../models/migrations/history';
export {
  argOf,
  opArg,
  readMigration,
  strOf,
  boolOf,
  type Call,
  type Expr,
  type MigrationFile,
  type Operation,
} from '../readers/python/migration';
export { migrationFilesOf } from '../models/migrations/run';
export { databaseVendor, type DatabaseVendor, type VendorKind } from '../models/migrations/vendor';

/** The codes of the migration rules. */
export const MIGRATION_RULE_CODES: readonly string[] = RULES.filter((r) => r.target === 'migration').map((r) => r.code);

/** Checks migration files of one project with the migration rules only (see the API above). */
export function analyzeMigrations(
  ws: Workspace,
  project: DjangoProject,
  files: readonly string[] | 'all',
  options: AnalysisOptions = {},
): ProjectAnalysis {
  const only = options.onlyRules ? MIGRATION_RULE_CODES.filter((c) => options.onlyRules!.includes(c)) : MIGRATION_RULE_CODES;
  return analyzeProject(ws, project, { ...options, migrations: files, onlyRules: only });
}
