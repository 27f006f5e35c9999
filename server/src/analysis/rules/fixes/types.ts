// What a quick fix is: text edits with a title and a safety (as ruff does it), built by the fixer
// and the list-editing engine, offered by the rules' findings.

/**
 * safe: applying it cannot change how the deployed project behaves beyond removing the problem.
 * unsafe: it changes behaviour (e.g. the project now needs an environment variable); offered, never
 * applied by fix-all or `--fix` without `--unsafe-fixes`.
 * display-only: shown as a suggestion, never applied automatically.
 */
export type FixSafety = 'safe' | 'unsafe' | 'display-only';

export interface TextEdit {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly safety: FixSafety;
  readonly edits: readonly TextEdit[];
  /** Files the fix creates (with their full content) when they do not exist, e.g. .env.example. */
  readonly creates?: readonly { readonly file: string; readonly text: string }[];
  /** Mark as the preferred quick fix (only safe fixes are). */
  readonly preferred?: boolean;
  /** Fixes of one bundle are also offered together as one action (e.g. 'security-settings'). */
  readonly bundle?: string;
  /** An action offered beside the fix that does not by itself remove the finding (.env.example). */
  readonly companion?: boolean;
}
