// `django-deploy-check checklist [PATH] [--format text|json|markdown]`: the production checklist of
// each project, its migrations item from the project's change set.
import { escapeControlDeep } from '../analysis/base/controlChars';
import type { ProjectAnalysis, WorkspaceAnalysis } from '../analysis/engine/engine';
import type { Workspace } from '../analysis/engine/workspace';
import type { Loc } from '../analysis/eval/values';
import { changeSetLine, type ChangeSet } from '../analysis/models/migrations/changes';
import { buildChecklist, type Checklist } from '../analysis/outputs/checklist/checklist';
import { checklistMarkdown, checklistText } from '../analysis/outputs/checklist/render';
import { clean, NO_PROJECT, rel, say, VERSION } from './output';

/** Prints the checklists of the analysed projects; the exit status (2 when a project was not analysed). */
export function checklistCommand(
  root: string,
  ws: Workspace,
  analysis: WorkspaceAnalysis,
  format: string,
  sets: ReadonlyMap<string, ChangeSet> | undefined,
): number {
  for (const m of analysis.messages) say(m);
  const status = printChecklist(root, ws, analysis.projects, format, sets);
  return analysis.failed && analysis.failed.length > 0 ? 2 : status;
}

function printChecklist(
  root: string,
  ws: Workspace,
  projects: ProjectAnalysis[],
  format: string,
  sets: ReadonlyMap<string, ChangeSet> | undefined,
): number {
  const lists = projects.map((p) => {
    const cs = sets?.get(p.project.root);
    return buildChecklist(ws, p, cs && { checked: true, count: cs.files.length, description: changeSetLine(cs) });
  });
  const where = (loc: Loc): string | undefined => {
    const pos = ws.positionAt(loc.file, loc.start);
    return clean(pos ? `${rel(root, loc.file)}:${pos.line + 1}` : rel(root, loc.file));
  };
  // text and Markdown: every string escaped (paths are looked up, then escaped by where())
  const shown = (): Checklist[] => escapeControlDeep(lists, { multiline: ['detail'], verbatim: ['file', 'root'] });
  if (format === 'markdown') process.stdout.write(checklistMarkdown(shown(), where));
  else if (format === 'json')
    process.stdout.write(JSON.stringify({ version: VERSION, checklists: checklistsJson(root, ws, lists) }, null, 2) + '\n');
  else process.stdout.write(checklistText(shown(), where));
  if (lists.length === 0) process.stderr.write(NO_PROJECT);
  return 0;
}

/** The checklists as the JSON report gives them: paths relative like the rest of the report, locations as file, line and column. */
function checklistsJson(root: string, ws: Workspace, lists: readonly Checklist[]): object[] {
  const locJson = (loc: Loc | undefined): object | null => {
    if (!loc) return null;
    const s = ws.positionAt(loc.file, loc.start) ?? { line: 0, character: 0 };
    return { file: rel(root, loc.file), line: s.line + 1, column: s.character + 1 };
  };
  return lists.map((c) => ({
    ...c,
    root: rel(root, c.root),
    production: c.production ? { ...c.production, file: rel(root, c.production.file) } : null,
    settingsModules: c.settingsModules.map((m) => ({ name: m.name, file: rel(root, m.file), production: m.production, why: m.why })),
    // paths relative like the rest of the report
    summary: {
      ...c.summary,
      root: rel(root, c.summary.root),
      production: c.summary.production ? { ...c.summary.production, file: rel(root, c.summary.production.file) } : undefined,
      repositoryRoot: c.summary.repositoryRoot ? rel(root, c.summary.repositoryRoot) : undefined,
    },
    groups: c.groups.map((g) => ({
      ...g,
      items: g.items.map((i) => ({
        ...i,
        entries: i.entries.map((e) => ({
          ...e,
          loc: locJson(e.loc),
          ...(e.follows ? { follows: { code: e.follows.code, loc: locJson(e.follows.loc) } } : {}),
          ...(e.related ? { related: e.related.map((r) => ({ label: r.label, loc: locJson(r.loc) })) } : {}),
        })),
      })),
    })),
  }));
}
