// The hovers the protocol thread answers (supervisor.ts), whatever the worker is doing: from the
// diagnostics last published and the setting hovers and rule documentation the worker sent. No
// analysis here: the protocol thread's bundle does not hold the analysis.
import type { Diagnostic, Hover, Position, Range } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';

/** The setting hover (SettingHoversParams) of a document that covers a position, if any. */
export function settingHoverAt(
  projects: Iterable<{ files: readonly { uri: string; hovers: readonly { range: Range; markdown: string }[] }[] }>,
  uri: string,
  position: Position,
): { range: Range; markdown: string } | undefined {
  for (const p of projects)
    for (const f of p.files)
      if (f.uri === uri) for (const h of f.hovers) if (before(h.range.start, position) && before(position, h.range.end)) return h;
  return undefined;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/**
 * The hover at a position from the diagnostics published for the file: the documentation of the
 * rules whose findings cover it (`ruleMarkdown`: a rule's hover text by code, undefined for a code
 * that is not a rule's). The protocol thread answers with it while the worker analyses.
 */
export function hoverForDiagnostics(
  diagnostics: readonly Diagnostic[],
  position: Position,
  ruleMarkdown: (code: string) => string | undefined,
  setting?: { range: Range; markdown: string },
): Hover | null {
  const hits = diagnostics.filter(
    (d) => typeof d.code === 'string' && before(d.range.start, position) && before(position, d.range.end) && ruleMarkdown(d.code),
  );
  if (hits.length === 0) return setting ? { contents: { kind: MarkupKind.Markdown, value: setting.markdown }, range: setting.range } : null;
  const codes = [...new Set(hits.flatMap((h) => [h.code as string, ...((h.data as { joined?: string[] } | undefined)?.joined ?? [])]))];
  // the setting's production value first, then the documentation of the rules whose findings cover it
  const docs = codes.map(ruleMarkdown).filter((m): m is string => m !== undefined);
  // what each finding here rests on, before the rules' documentation
  const restsOn = [...new Set(hits.map((h) => (h.data as { restsOn?: string } | undefined)?.restsOn).filter((r) => r !== undefined))];
  const value = [...(setting ? [setting.markdown] : []), ...restsOn, docs.join('\n\n---\n\n')].join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: hits[0]!.range };
}
