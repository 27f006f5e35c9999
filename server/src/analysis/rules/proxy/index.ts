// Reverse proxy rules: nginx read with the settings and the app server. Adding a rule: its file,
// its fixtures, and one line here.
import type { Rule } from '../types';
import { bodyTooSmall } from './bodyTooSmall';
import { forwardedProtoLoop } from './forwardedProtoLoop';
import { hostNotPassed } from './hostNotPassed';

export const proxyRules: Rule[] = [forwardedProtoLoop, hostNotPassed, bodyTooSmall];
