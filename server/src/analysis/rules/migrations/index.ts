// Migration rules (issue 20): each checks one migration file. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { notNullAddField } from './notNullAddField';

export const migrationRules: Rule[] = [notNullAddField];
