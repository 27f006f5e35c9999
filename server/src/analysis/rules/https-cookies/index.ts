// Https cookies rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { csrfCookieInsecure } from './csrfCookieInsecure';
import { hstsOff } from './hstsOff';
import { hstsWithoutPreload } from './hstsWithoutPreload';
import { hstsWithoutSubdomains } from './hstsWithoutSubdomains';
import { hstsYearWithoutRampUp } from './hstsYearWithoutRampUp';
import { sessionCookieInsecure } from './sessionCookieInsecure';
import { sessionCookieNotHttponly } from './sessionCookieNotHttponly';
import { sslRedirectOff } from './sslRedirectOff';

export const httpsCookiesRules: Rule[] = [
  sslRedirectOff,
  hstsOff,
  hstsWithoutSubdomains,
  hstsWithoutPreload,
  hstsYearWithoutRampUp,
  sessionCookieInsecure,
  sessionCookieNotHttponly,
  csrfCookieInsecure,
];
