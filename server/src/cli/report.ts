// The report of a check (or migrations) run in each --format: the findings as JSON diagnostics (the
// form every format is built from, see jsonDiagnostic.ts), then text (text.ts), JSON with each
// project's summary, SARIF (sarif.ts), or a CI's own format (formats.ts).
import type { ProjectAnalysis, WorkspaceAnalysis } from '../analysis/engine/engine';
import type { Workspace } from '../analysis/engine/workspace';
import type { ChangeSet } from '../analysis/models/migrations/changes';
import { closingLine, projectSummary, summaryLines } from '../analysis/outputs/checklist/summary';
import { ruleDocsUrl } from '../analysis/outputs/docsUrl';
import { RULES } from '../analysis/rules/registry';
import { isCertain, SEVERITY_ORDER, type Severity } from '../analysis/rules/types';
import { stripUrlCredentials } from '../analysis/secrets/index';
import { toGithub, toGitlab, toJunit } from './formats';
import type { JsonDiagnostic } from './jsonDiagnostic';
import { changeSetJson } from './migrations';
import { clean, rel, VERSION } from './output';
import { toSarif } from './sarif';
import { formatTextReport, severityCounts } from './text';

export function toJsonDiagnostics(root: string, ws: Workspace, projects: ProjectAnalysis[]): JsonDiagnostic[] {
  const out: JsonDiagnostic[] = [];
  for (const p of projects) {
    for (const f of p.findings) {
      const s = ws.positionAt(f.loc.file, f.loc.start) ?? { line: 0, character: 0 };
      const e = ws.positionAt(f.loc.file, f.loc.end) ?? s;
      const rule = RULES.find((r) => r.code === f.code)!;
      out.push({
        file: rel(root, f.loc.file),
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        code: f.code,
        severity: f.severity,
        message: f.message,
        django: f.django,
        name: rule.name,
        project: rel(root, p.project.root),
        docs: ruleDocsUrl(rule),
        ...(f.basis?.length
          ? {
              basis: f.basis.map((l) => ({
                kind: l.kind,
                subject: l.subject,
                state: l.state,
                certain: isCertain(l),
                how: l.how,
                ...(l.clause ? { clause: l.clause } : {}),
              })),
            }
          : {}),
      });
    }
  }
  return out;
}

export function atOrAbove(sev: Severity, failOn: string): boolean {
  if (failOn === 'never') return false;
  return SEVERITY_ORDER.indexOf(sev) <= SEVERITY_ORDER.indexOf(failOn as Severity);
}

/** A finding whose path and message are safe to print on one line (control characters escaped). */
export function cleanDiag(d: JsonDiagnostic): JsonDiagnostic {
  return { ...d, file: clean(d.file), message: clean(d.message) };
}

export function formatText(
  diags: JsonDiagnostic[],
  projects: ProjectAnalysis[],
  root: string,
  color: boolean,
  more: (p: ProjectAnalysis) => string[] = () => [],
): string {
  // whatever a path, a message or a summary holds is escaped before colours are added
  const summaries = projects.map((p) => ({
    root: rel(root, p.project.root),
    label: clean(rel(root, p.project.root)),
    summary: [...summaryLines(projectSummary(p)), ...more(p)].map(clean),
  }));
  const closing = clean(closingLine(diags.length, severityCounts(diags), projects, (d) => rel(root, d)));
  return formatTextReport(diags.map(cleanDiag), summaries, closing, { color });
}

/** The report in a format other than text (`text` makes the text one). */
export function reportIn(
  format: string,
  root: string,
  diags: JsonDiagnostic[],
  analysis: WorkspaceAnalysis,
  migrationSets: ReadonlyMap<string, ChangeSet> | undefined,
  failsRun: (d: JsonDiagnostic) => boolean,
  text: () => string,
): string {
  if (format === 'json')
    return JSON.stringify({ version: VERSION, diagnostics: diags, projects: jsonProjects(root, analysis, migrationSets) }, null, 2) + '\n';
  if (format === 'sarif') return JSON.stringify(toSarif(diags, VERSION), null, 2) + '\n';
  if (format === 'github') return toGithub(diags);
  if (format === 'gitlab') return JSON.stringify(toGitlab(diags), null, 2) + '\n';
  if (format === 'junit')
    return toJunit(
      diags,
      analysis.projects.map((p) => rel(root, p.project.root)),
      failsRun,
    );
  return text();
}

/** Each project in the JSON report: its production module, Django version, summary, and (migrations) its change set. */
function jsonProjects(root: string, analysis: WorkspaceAnalysis, migrationSets: ReadonlyMap<string, ChangeSet> | undefined): object[] {
  return analysis.projects.map((p) => ({
    root: rel(root, p.project.root),
    production: p.project.production
      ? {
          module: p.project.production.module.name,
          file: rel(root, p.project.production.module.file),
          reason: p.project.production.reason,
          // django-configurations: the class production runs, and why that one
          configuration: p.evaluation?.configuration
            ? { class: p.evaluation.configuration.cls, why: p.evaluation.configuration.why }
            : null,
        }
      : null,
    noProductionReason: p.project.noProductionReason ?? null,
    djangoVersion: {
      version: p.project.djangoVersion.version,
      source: stripUrlCredentials(p.project.djangoVersion.source),
      assumed: p.project.djangoVersion.assumed,
    },
    summary: ((s) => ({
      environment: s.environment,
      versions: s.versions,
      unread: s.unread,
      repositoryRoot: s.repositoryRoot ? rel(root, s.repositoryRoot) : null,
      ...(s.deployment ? { deployment: s.deployment } : {}),
    }))(projectSummary(p)),
    suppressed: p.suppressed.length,
    ...(migrationSets?.get(p.project.root) ? { migrations: changeSetJson(root, migrationSets.get(p.project.root)!) } : {}),
  }));
}
