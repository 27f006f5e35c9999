// One diagnostic of the CLI's JSON output (`--format json`), which the other formats are built from.
import type { Severity } from '../analysis/base/severity';
import type { BasisKind, BasisState } from '../analysis/rules/types';

/** One link of what a diagnostic rests on (the finding's basis; see engine/basis.ts). */
export interface JsonBasisLink {
  kind: BasisKind;
  subject: string;
  state: BasisState;
  /** Whether the finding may rest on it as on a fact: each link that is not lowers the severity one step. */
  certain: boolean;
  how: string;
  /** For an uncertain link: the clause the message ends with. */
  clause?: string;
}

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
  /** What the finding rests on, from the evidence to the claim (absent when nothing is known of it). */
  basis?: JsonBasisLink[];
}
