// Caches sessions email rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';

export const cachesSessionsEmailRules: Rule[] = [
];
