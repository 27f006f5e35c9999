// Hosts & origins rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { allowedHostsEmpty } from './allowedHostsEmpty';
import { allowedHostsWildcard } from './allowedHostsWildcard';
import { corsAllowAll } from './corsAllowAll';
import { corsOriginInsecure } from './corsOriginInsecure';
import { csrfOriginInsecure } from './csrfOriginInsecure';
import { csrfOriginNoScheme } from './csrfOriginNoScheme';
import { proxySslHeaderInvalid } from './proxySslHeaderInvalid';
import { useXForwardedHost } from './useXForwardedHost';

export const hostsOriginsRules: Rule[] = [
  allowedHostsEmpty,
  allowedHostsWildcard,
  csrfOriginNoScheme,
  csrfOriginInsecure,
  corsAllowAll,
  corsOriginInsecure,
  proxySslHeaderInvalid,
  useXForwardedHost,
];
