// Settings & secrets rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { debugEnabled } from './debugEnabled';
import { hardcodedSecretKey } from './hardcodedSecretKey';
import { weakSecretKey } from './weakSecretKey';

export const settingsSecretsRules: Rule[] = [
  hardcodedSecretKey,
  weakSecretKey,
  debugEnabled,
];
