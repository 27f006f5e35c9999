// Finding severities, most severe first (shared by rules, the project configuration and the outputs).
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
