// Hosts & origins rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { allowedHostsEmpty } from './allowedHostsEmpty';
import { allowedHostsWildcard } from './allowedHostsWildcard';

export const hostsOriginsRules: Rule[] = [
  allowedHostsEmpty,
  allowedHostsWildcard,
];
