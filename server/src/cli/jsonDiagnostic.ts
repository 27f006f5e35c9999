// One diagnostic of the CLI's JSON output (`--format json`), which the other formats are built from.
import type { Severity } from '../analysis/base/severity';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
  django: string | null;
  name: string;
  project: string;
  docs: string;
}
