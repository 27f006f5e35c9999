// Hovers: the worker's answer to textDocument/hover (the rules' documentation over a finding, a
// setting's production value over its name), and the setting hovers it sends the protocol thread,
// which answers hovers itself while the worker analyses (protocolHover.ts). The texts are hover.ts's.
import { MarkupKind, type Hover, type HoverParams, type Range } from 'vscode-languageserver';
import type { ProjectAnalysis } from '../../analysis/engine/engine';
import { settingPlaces, settingsView } from '../../analysis/outputs/settingsView';
import * as path from 'node:path';
import { FileReferences } from '../../analysis/engine/related';
import { basisMarkdown, type HoverLinks, linkPlaces, rulesHoverMarkdown, settingHoverMarkdown } from '../hover';
import { pathToUri, SETTING_HOVERS_NOTIFICATION, type SettingHoversParams, uriToPath } from '../protocolCommon';
import { settingHoverAt } from '../protocolHover';
import type { ServerState } from '../serverState';

export class Hovers {
  /** The last setting hovers of each project (by root), as sent to the supervisor. */
  private readonly settingHovers = new Map<string, SettingHoversParams>();
  /**
   * Analyses whose setting hovers are still to be computed and sent. Computing them goes over every
   * setting of every module production reads (the settings view, its markdown, the positions of
   * each assignment): on a 5,000-line base, several times the cost of the statement-level
   * re-evaluation of a keystroke (issue 31). So they are computed when typing pauses
   * (HOVER_IDLE_MS after the last analysis, see idle.ts), not after each keystroke's analysis, and
   * before a hover this thread answers itself.
   */
  readonly due = new Map<string, ProjectAnalysis>();

  constructor(private readonly s: ServerState) {}

  flushSettingHovers(): void {
    const due = [...this.due.values()];
    this.due.clear();
    for (const a of due) this.sendSettingHovers(a);
  }

  /** Where each setting is written and what it is in production, to the protocol thread (when it changed). */
  private sendSettingHovers(a: ProjectAnalysis): void {
    const params: SettingHoversParams = { root: a.project.root, files: [] };
    // files named from the workspace folder, as the diagnostics and the settings document name them
    const root = a.project.shownRoot;
    if (a.settings) {
      const places = settingPlaces(a.settings, a.modules);
      const entries = new Map(
        settingsView(
          {
            root,
            settings: a.settings,
            modules: a.modules,
            secrets: a.secrets,
            lineOf: (file, offset) => this.s.positionAt(file, offset)?.line,
          },
          { names: new Set(places.map((p) => p.name)) },
        ).map((e) => [e.name, e]),
      );
      // the files the hover names are links that open them at the line (issue 58)
      const ws = this.s.ws();
      const refs = new FileReferences(
        [root, a.project.root, ...(a.project.repositoryRoot ? [a.project.repositoryRoot] : [])],
        (f) => ws.isOpen(f) || ws.fileExists(f),
        (f) => ws.text(f),
      );
      const links: HoverLinks = {
        place: (file, line) => `${pathToUri(path.resolve(root, file))}#L${line}`,
        text: (words) =>
          linkPlaces(
            words,
            refs.of(words).map((r) => ({
              message: r.message,
              uri: pathToUri(r.loc.file),
              line: r.message.includes(':') ? (this.s.positionAt(r.loc.file, r.loc.start)?.line ?? 0) + 1 : undefined,
            })),
          ),
      };
      const byFile = new Map<string, { range: Range; markdown: string }[]>();
      for (const p of places) {
        const e = entries.get(p.name);
        const start = this.s.positionAt(p.file, p.start);
        const end = this.s.positionAt(p.file, p.end);
        if (!e || !start || !end) continue;
        const list = byFile.get(p.file) ?? [];
        list.push({ range: { start, end }, markdown: settingHoverMarkdown(e, links) });
        byFile.set(p.file, list);
      }
      for (const [file, hovers] of byFile) params.files.push({ uri: pathToUri(file), hovers });
    }
    const before = this.settingHovers.get(a.project.root);
    if (before && JSON.stringify(before) === JSON.stringify(params)) return;
    this.settingHovers.set(a.project.root, params);
    void this.s.connection.sendNotification(SETTING_HOVERS_NOTIFICATION, params);
  }

  hover(p: HoverParams): Hover | null {
    this.flushSettingHovers();
    const file = uriToPath(p.textDocument.uri);
    const open = file ? this.s.open.get(file) : undefined;
    if (!file || !open) return null;
    const offset = open.text.offsetAt(p.position);
    const setting = settingHoverAt(this.settingHovers.values(), p.textDocument.uri, p.position);
    const hits = this.s.analysesFindings(file).filter((f) => f.loc.start <= offset && offset <= f.loc.end);
    if (hits.length === 0)
      return setting ? { contents: { kind: MarkupKind.Markdown, value: setting.markdown }, range: setting.range } : null;
    // a finding that says two rules' findings together shows both rules' documentation
    const codes = [...new Set(hits.flatMap((h) => [h.code, ...(h.joined ?? [])]))];
    const first = hits[0]!;
    // what each finding here rests on, before the rules' documentation
    const restsOn = [...new Set(hits.filter((h) => h.basis?.length).map((h) => basisMarkdown(h.basis!)))];
    const value = [...(setting ? [setting.markdown] : []), ...restsOn, rulesHoverMarkdown(codes)].join('\n\n---\n\n');
    return {
      contents: { kind: MarkupKind.Markdown, value },
      range: { start: open.text.positionAt(first.loc.start), end: open.text.positionAt(first.loc.end) },
    };
  }
}
