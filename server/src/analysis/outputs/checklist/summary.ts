// The project summary shown by the checklist and the CLI: per project, the production settings
// module and the evidence that chose it, the environment values that select what it loads, the
// versions with their source, and what could not be read. And the run's closing line, which never
// says "No problems found." about a project whose production settings could not be read.
import type { ProjectAnalysis } from '../../engine/engine';
import { stripUrlCredentials } from '../../secrets/index';
import { readableName, relPath } from '../../base/relPath';
import type { Value } from '../../eval/values';

export interface SummaryVersion {
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly assumed: boolean;
}

export interface ProjectSummary {
  readonly root: string;
  readonly name: string;
  readonly production?: {
    readonly module: string;
    readonly file: string;
    readonly evidence: string;
    /** The django-configurations class production runs, and why that one (DJANGO_CONFIGURATION, or its name). */
    readonly configuration?: { readonly cls: string; readonly why: string };
  };
  /** Variables that select what the production module loads, with production's value and its evidence. */
  readonly environment: readonly { readonly name: string; readonly value: string; readonly evidence: string }[];
  readonly versions: readonly SummaryVersion[];
  /** The deployment files read as processes, and the variables production gets from them (names and where). */
  readonly deployment?: {
    readonly files: readonly string[];
    /** The variables production gets that the settings, the app server or a rule read (not PATH, PYTHON*, a platform's own, another container's). */
    readonly variables: readonly { readonly name: string; readonly evidence: string; readonly known: boolean }[];
    /** How many more the deployment files set that nothing of the project reads. */
    readonly ignored?: number;
  };
  /** The repository root above the analysed folder, when its files were read too. */
  readonly repositoryRoot?: string;
  /** What could not be read (production settings missing, modules outside the workspace, skipped files). */
  readonly unread: readonly string[];
}

const MAX_UNREAD = 6;

export function projectSummary(analysis: ProjectAnalysis): ProjectSummary {
  const p = analysis.project;
  const unread: string[] = [];
  if (!p.production) unread.push(`the production settings: ${p.noProductionReason ?? 'no settings module was found'}`);
  const seen = new Set<string>();
  for (const n of analysis.notes) {
    if (n.kind !== 'import-missing' && n.kind !== 'unreadable' && n.kind !== 'budget' && n.kind !== 'syntax-error') continue;
    // one line per module or file: the note's first clause ("x does not exist in the workspace")
    const head = n.message.split(/: /)[0]!;
    const where = n.loc ? `${relPath(p.shownRoot, n.loc.file)}: ` : '';
    const line = `${where}${head}`;
    if (seen.has(line)) continue;
    seen.add(line);
    unread.push(line);
  }
  // (Helm's template text is no name: `Deployment {{ include "x.fullname" . }}-worker` reads as `Deployment x-worker`)
  for (const u of analysis.deployment?.unread ?? []) unread.push(`${readableName(u)}: the variables it sets are not known`);
  for (const n of analysis.deployment?.notRead ?? []) unread.push(`${readableName(n)}: what it would change is not known`);
  for (const n of analysis.deployment?.notRun ?? []) unread.push(n);
  for (const n of analysis.deployment?.suppliedCommands ?? []) unread.push(`${n}: what it runs is not known`);
  const more = unread.length - MAX_UNREAD;
  const shown = more > 0 ? [...unread.slice(0, MAX_UNREAD), `and ${more} more`] : unread;
  const dv = p.djangoVersion;
  const configuration = analysis.evaluation?.configuration;
  return {
    root: p.root,
    name: p.name,
    production: p.production
      ? {
          module: p.production.module.name,
          file: p.production.module.file,
          evidence: p.production.reason,
          ...(configuration ? { configuration: { cls: configuration.cls, why: configuration.why } } : {}),
        }
      : undefined,
    environment: [
      ...(p.productionEnv ?? []).map((e) => ({ name: e.name, value: e.value, evidence: e.evidence })),
      // the class taken by its name when no deployment file names it: said beside the variable that would
      ...(configuration && !(p.productionEnv ?? []).some((e) => e.name === 'DJANGO_CONFIGURATION')
        ? [{ name: 'DJANGO_CONFIGURATION', value: configuration.cls, evidence: configuration.why }]
        : []),
    ],
    versions: [
      { name: 'Django', version: dv.version, source: stripUrlCredentials(dv.source), assumed: dv.assumed },
      // gunicorn and uvicorn when a dependency file names them: the release it pins, else its specifier
      ...(['gunicorn', 'uvicorn'] as const).flatMap((name) => {
        const v = p.versions?.[name];
        return v
          ? [{ name, version: v.exact ?? (v.specifier || 'any version'), source: stripUrlCredentials(v.source), assumed: false }]
          : [];
      }),
    ],
    ...(analysis.deployment
      ? {
          deployment: {
            files: analysis.deployment.files.map((f) =>
              f.variablesSet !== undefined
                ? `${relPath(p.shownRoot, f.file)} (${f.format}, ${f.variablesSet} variable${f.variablesSet === 1 ? '' : 's'})`
                : `${relPath(p.shownRoot, f.file)} (${f.format}, ${f.processes} process${f.processes === 1 ? '' : 'es'}${f.otherApp ? `, not production's: ${f.otherApp}` : f.notProduction ? ", not production's" : ''})`,
            ),
            ...deploymentVariablesRead(analysis),
          },
        }
      : {}),
    ...(p.repositoryRoot ? { repositoryRoot: p.repositoryRoot } : {}),
    unread: shown,
  };
}

/** What the app server and Django itself read from the environment (gunicorn, uWSGI, the settings module's choice). */
const APP_SERVER_VARIABLES =
  /^(?:DJANGO_SETTINGS_MODULE|DJANGO_CONFIGURATION|WEB_CONCURRENCY|PORT|GUNICORN_CMD_ARGS|FORWARDED_ALLOW_IPS|UWSGI_[A-Z0-9_]+)$/;

/**
 * The deployment's variables that something of the project reads: the settings (a value read from
 * the environment, in any module production reads), the app server, the variables that choose what
 * the production module loads. The rest (PATH, PYTHONUNBUFFERED, a platform's FLY_* or DYNO, what
 * another container of a chart gets) are counted, not listed.
 */
function deploymentVariablesRead(analysis: ProjectAnalysis): {
  variables: { name: string; evidence: string; known: boolean }[];
  ignored?: number;
} {
  const all = analysis.deployment?.variables ?? [];
  const read = new Set<string>((analysis.project.productionEnv ?? []).map((e) => e.name));
  const visit = (v: Value, depth: number): void => {
    if (depth > 6) return;
    for (const e of v.env ?? []) read.add(e.name);
    if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') for (const i of v.items) visit(i, depth + 1);
    else if (v.kind === 'dict') for (const i of v.values) visit(i, depth + 1);
  };
  const modules = [...(analysis.modules?.values() ?? []), ...(analysis.evaluation ? [analysis.evaluation] : [])];
  for (const m of modules) for (const b of m.scope.vars.values()) visit(b.value, 0);
  const variables = all
    .filter((v) => read.has(v.name) || APP_SERVER_VARIABLES.test(v.name))
    .map((v) => ({ name: v.name, evidence: readableName(v.evidence), known: v.known }));
  const ignored = all.length - variables.length;
  return { variables, ...(ignored > 0 ? { ignored } : {}) };
}

/** The summary as lines of text (the CLI's `# …` lines, the checklist's header). */
export function summaryLines(s: ProjectSummary): string[] {
  const lines: string[] = [];
  let unread = s.unread;
  if (s.production) {
    const c = s.production.configuration;
    lines.push(
      `production settings ${s.production.module}${c ? `, class ${c.cls}` : ''} (${s.production.evidence}${c ? `; ${c.why}` : ''})`,
    );
  } else {
    lines.push(`no production settings module: ${(unread[0] ?? '').replace(/^the production settings: /, '') || 'none found'}`);
    unread = unread.slice(1);
  }
  if (s.deployment) {
    if (s.deployment.files.length > 0) lines.push(`deployment read: ${s.deployment.files.join(', ')}`);
    const vars = s.deployment.variables;
    if (vars.length > 0) {
      const shownVars = vars.slice(0, 12).map((v) => (v.known ? v.name : `${v.name} (value not in the files)`));
      lines.push(
        `production environment from ${s.deployment.files.length > 0 ? 'it' : 'the process files'}: ${shownVars.join(', ')}${vars.length > 12 ? ` and ${vars.length - 12} more` : ''}${s.deployment.ignored ? ` (${s.deployment.ignored} more the project does not read)` : ''}`,
      );
    }
  }
  for (const v of s.versions) lines.push(`${v.name} ${v.version}${v.assumed ? ` (assumed: ${v.source})` : ` (${v.source})`}`);
  if (unread.length > 0) lines.push(`could not read: ${unread.join('; ')}`);
  return lines;
}

/**
 * The closing line of a run: "No problems found." only when every project's production settings
 * were read; otherwise it says which could not be.
 */
export function closingLine(findings: number, counts: string, analyses: readonly ProjectAnalysis[], rel: (dir: string) => string): string {
  const unreadProjects = analyses.filter((a) => !a.settings).map((a) => rel(a.project.root));
  if (analyses.length === 0) return 'Nothing was analysed.';
  const head =
    findings === 0 ? (unreadProjects.length === 0 ? 'No problems found.' : 'No problems found in what could be read') : `Found ${counts}`;
  if (unreadProjects.length === 0) return findings === 0 ? head : `${head}.`;
  const which =
    unreadProjects.length === analyses.length
      ? analyses.length === 1
        ? 'the production settings could not be read'
        : 'no project’s production settings could be read'
      : `the production settings of ${unreadProjects.join(', ')} could not be read`;
  return `${head}; ${which} (see above).`;
}
