// The production settings view (SETTINGS_VIEW_REQUEST): the settings of one project (or all) as the
// CLI's `settings` command prints them, for the client's read-only settings documents.
import * as path from 'node:path';
import { escapeControl } from '../../analysis/base/controlChars';
import { settingsView, settingsViewReportText } from '../../analysis/outputs/settingsView';
import type { SettingsViewParams, SettingsViewResult } from '../../protocol';
import type { Scheduler } from '../scheduler';
import type { ServerState } from '../serverState';

/**
 * The production settings of one project (or all) as the CLI's `settings` command prints them, from
 * the analyses this worker keeps (after the pending ones), with paths relative to the workspace folder.
 */
export async function settingsViewOf(s: ServerState, scheduler: Scheduler, p: SettingsViewParams): Promise<SettingsViewResult> {
  await scheduler.settled();
  const diff = p.diff === true;
  const parts: string[] = [];
  for (const project of s.projects()) {
    if (p.root !== undefined && project.root !== p.root) continue;
    const a = s.analyses.get(project.root);
    if (!a) continue;
    const base = s.folders.find((f) => project.root === f || project.root.startsWith(f + path.sep)) ?? project.root;
    const rel = (file: string): string => path.relative(base, file).split(path.sep).join('/') || '.';
    const prod = project.production;
    const settings = a.settings
      ? settingsView(
          {
            root: base,
            settings: a.settings,
            modules: a.modules,
            secrets: a.secrets,
            lineOf: (file, offset) => s.positionAt(file, offset)?.line,
          },
          { diff },
        )
      : [];
    const report = {
      root: rel(project.root),
      module: prod?.module.name ?? null,
      file: prod ? rel(prod.module.file) : null,
      reason: prod ? null : (project.noProductionReason ?? null),
      djangoVersion: project.djangoVersion.version,
      settings,
    };
    // escaped as the CLI's output is: control characters from the settings never reach the editor raw
    parts.push(
      settingsViewReportText(report, diff)
        .split('\n')
        .map((line) => escapeControl(line))
        .join('\n'),
    );
  }
  return { text: parts.join('\n'), projects: parts.length };
}
