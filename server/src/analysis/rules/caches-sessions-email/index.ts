// Caches sessions email rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { devEmailBackend } from './devEmailBackend';
import { emailHostLocalhost } from './emailHostLocalhost';
import { filebasedCacheInStatic } from './filebasedCacheInStatic';
import { localCacheInProduction } from './localCacheInProduction';
import { siteCacheHeaderAuth } from './siteCacheHeaderAuth';

export const cachesSessionsEmailRules: Rule[] = [
  localCacheInProduction,
  filebasedCacheInStatic,
  devEmailBackend,
  emailHostLocalhost,
  siteCacheHeaderAuth,
];
