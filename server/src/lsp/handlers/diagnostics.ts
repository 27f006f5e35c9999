// Diagnostics: what the analyses found in a file, published as LSP diagnostics when it changed (the
// analysis pass calls publishFile for each file an analysis owns or reports on). A diagnostic carries
// what the code actions need (DiagnosticData); the fixes themselves are built when asked for.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { ProjectAnalysis } from '../../analysis/engine/engine';
import { escapeControl } from '../../analysis/base/controlChars';
import { ruleDocsUrl } from '../../analysis/outputs/docsUrl';
import { ruleByCode } from '../../analysis/rules/registry';
import type { Finding, Severity } from '../../analysis/rules/types';
import { basisMarkdown } from '../hover';
import { type DiagnosticData, pathToUri, SOURCE } from '../protocolCommon';
import type { ServerState } from '../serverState';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export class Diagnostics {
  /**
   * What was last published for each file: the version of the open document (or the text of the
   * closed file) and the findings it came from, and the diagnostics sent.
   */
  private readonly published = new Map<
    string,
    { readonly version: number | undefined; readonly text: string | undefined; readonly findings: string; readonly json: string }
  >();

  constructor(private readonly s: ServerState) {}

  /** Publishes the diagnostics of a file when they changed: [file] when they were sent, [] otherwise. */
  publishFile(file: string): string[] {
    const findings = this.s.analysesFindings(file);
    const version = this.s.open.get(file)?.text.version;
    // a diagnostic is made of its finding and of the text it is placed in (its range): the same
    // findings in the same text (the same version of an open document) give the
    // same diagnostics, which are not made again (a keystroke in one module re-analyses the
    // project, whose other files' findings are nearly always those they had)
    const text = version === undefined ? this.s.ws().text(file) : undefined;
    const said = findingsText(findings);
    const before = this.published.get(file);
    if (before && before.findings === said && before.text === text && before.version === version) return [];
    const diagnostics = findings.map((f) => this.toDiagnostic(f)).filter((d): d is Diagnostic => !!d);
    // the same diagnostics for the same version of the file (none: for any version) are not sent
    // again: a keystroke in base.py re-analyses production.py too, which usually gives what it gave
    const json = JSON.stringify(diagnostics);
    this.published.set(file, { version, text, findings: said, json });
    if (before && before.json === json && (before.version === version || diagnostics.length === 0)) return [];
    void this.s.connection.sendDiagnostics({ uri: pathToUri(file), version, diagnostics });
    return [file];
  }

  private toDiagnostic(f: Finding): Diagnostic | undefined {
    const start = this.s.positionAt(f.loc.file, f.loc.start);
    const end = this.s.positionAt(f.loc.file, f.loc.end);
    if (!start || !end) return undefined;
    const rule = ruleByCode(f.code);
    const docs = rule ? ruleDocsUrl(rule) : '';
    const data: DiagnosticData = { django: f.django, docs };
    if (f.joined?.length) data.joined = [...f.joined];
    if (f.basis?.length) data.restsOn = basisMarkdown(f.basis);
    const relatedInformation = this.related(f);
    return {
      range: { start, end },
      severity: SEVERITY[f.severity],
      code: f.code,
      codeDescription: rule ? { href: docs } : undefined,
      source: SOURCE,
      message: escapeControl(f.message),
      ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
      data,
    };
  }

  /**
   * The places a finding names or follows from, as links: in the Problems panel they are rows under
   * the finding's, in the hover `file(line, col): what`, each opening the file at the line.
   */
  private related(f: Finding): DiagnosticRelatedInformation[] {
    const out: DiagnosticRelatedInformation[] = [];
    for (const r of f.related ?? []) {
      const start = this.s.positionAt(r.loc.file, r.loc.start);
      const end = this.s.positionAt(r.loc.file, r.loc.end);
      if (!start || !end) continue;
      out.push({ location: { uri: pathToUri(r.loc.file), range: { start, end } }, message: escapeControl(r.message) });
    }
    return out;
  }
}

/** Files whose diagnostics an analysis determines: its configuration's files and where it found things. */
export function filesOf(a: ProjectAnalysis | undefined): string[] {
  if (!a) return [];
  return [...a.files, ...a.findings.map((f) => f.loc.file)];
}

/** What of each finding its diagnostic shows (with the text it is placed in, the diagnostic), unambiguously. */
function findingsText(findings: readonly Finding[]): string {
  return JSON.stringify(
    findings.map((f) => [
      f.code,
      f.severity,
      f.loc.start,
      f.loc.end,
      f.django,
      f.joined,
      f.message,
      f.related?.map((r) => [r.loc.file, r.loc.start, r.loc.end, r.message]),
    ]),
  );
}
