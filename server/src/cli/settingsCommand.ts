// `django-deploy-check settings [PATH] [--format text|json] [--diff]`: every setting of each
// project's production module as Django will see it (see analysis/outputs/settingsView.ts).
import { escapeControl } from '../analysis/base/controlChars';
import type { ProjectAnalysis, WorkspaceAnalysis } from '../analysis/engine/engine';
import type { Workspace } from '../analysis/engine/workspace';
import { settingsView, settingsViewText } from '../analysis/outputs/settingsView';
import { clean, NO_PROJECT, rel, say, VERSION } from './output';

/** Prints the settings of the analysed projects; the exit status (2 when a project was not analysed, or none was found). */
export function settingsCommand(root: string, ws: Workspace, analysis: WorkspaceAnalysis, format: string, diff: boolean): number {
  for (const m of analysis.messages) say(m);
  printSettings(root, ws, analysis.projects, format, diff);
  return analysis.failed && analysis.failed.length > 0 ? 2 : analysis.projects.length === 0 ? 2 : 0;
}

/** `settings`: every setting of each project's production module (see analysis/settingsView.ts). */
function printSettings(root: string, ws: Workspace, projects: ProjectAnalysis[], format: string, diff: boolean): void {
  const views = projects.map((p) => ({
    root: rel(root, p.project.root),
    module: p.project.production?.module.name ?? null,
    file: p.project.production ? rel(root, p.project.production.module.file) : null,
    reason: p.project.production ? null : (p.project.noProductionReason ?? null),
    djangoVersion: p.project.djangoVersion.version,
    settings: p.settings
      ? settingsView(
          {
            root,
            settings: p.settings,
            modules: p.modules,
            secrets: p.secrets,
            lineOf: (file, offset) => ws.positionAt(file, offset)?.line,
          },
          { diff },
        )
      : [],
  }));
  if (format === 'json') {
    process.stdout.write(JSON.stringify({ version: VERSION, projects: views }, null, 2) + '\n');
    return;
  }
  const parts = views.map((v) => {
    const head = v.module
      ? `${v.root === '.' ? '' : `${v.root}: `}${v.module} (${v.file}), Django ${v.djangoVersion}${diff ? ', only what differs from the defaults' : ''}`
      : `${v.root}: no production settings module${v.reason ? ` (${v.reason})` : ''}`;
    return clean(head) + '\n' + (v.settings.length ? settingsViewText(v.settings).split('\n').map(escapeControl).join('\n') + '\n' : '');
  });
  if (parts.length === 0) process.stderr.write(NO_PROJECT);
  process.stdout.write(parts.join('\n'));
}
