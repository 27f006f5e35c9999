// SARIF 2.1.0 output, for GitHub code scanning and other CI dashboards.
import { PROJECT_URL, ruleDocsUrl } from '../analysis/outputs/docsUrl';
import { RULES } from '../analysis/rules/registry';
import type { Severity } from '../analysis/rules/types';
import { escapeControl } from '../analysis/base/controlChars';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** A relative path as a URI reference: control characters (and '%') percent-encoded, the rest as it is. */
function uriPath(file: string): string {
  return file.replace(/[\u0000-\u001f\u007f-\u009f%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** What SARIF needs of a diagnostic (the CLI's JSON diagnostics have these fields and more). */
export interface SarifDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly django: string | null;
  readonly project: string;
  /** What the finding rests on (JsonDiagnostic.basis). */
  readonly basis?: readonly object[];
}

export function toSarif(diags: readonly SarifDiagnostic[], version: string): object {
  const index = new Map(RULES.map((r, i) => [r.code, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'django-deploy-check',
            informationUri: PROJECT_URL,
            version,
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs.what.replace(/`/g, '') },
              help: { text: `${r.docs.why}\n\nFix: ${r.docs.fix}`.replace(/`/g, ''), markdown: `${r.docs.why}\n\n**Fix:** ${r.docs.fix}` },
              helpUri: ruleDocsUrl(r),
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { django: r.django?.[0] ?? null, group: r.group, tags: ['security', 'django', r.group] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: './' } },
        results: diags.map((d) => ({
          ruleId: d.code,
          ruleIndex: index.get(d.code),
          level: LEVEL[d.severity],
          message: { text: escapeControl(d.message) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriPath(d.file), uriBaseId: 'SRCROOT' },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
          properties: { django: d.django, project: d.project, ...(d.basis ? { basis: d.basis } : {}) },
        })),
      },
    ],
  };
}
