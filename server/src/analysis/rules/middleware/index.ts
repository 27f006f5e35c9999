// Middleware rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { cacheMiddlewareOrder } from './cacheMiddlewareOrder';
import { corsMiddlewareTooLow } from './corsMiddlewareTooLow';
import { debugToolbarInProduction } from './debugToolbarInProduction';
import { duplicateMiddleware } from './duplicateMiddleware';
import { gzipMiddlewareOrder } from './gzipMiddlewareOrder';
import { middlewareDependencyMissing } from './middlewareDependencyMissing';
import { securityMiddlewareNotFirst } from './securityMiddlewareNotFirst';
import { sessionMiddlewareOrder } from './sessionMiddlewareOrder';
import { whitenoiseNotAfterSecurity } from './whitenoiseNotAfterSecurity';

export const middlewareRules: Rule[] = [
  securityMiddlewareNotFirst,
  whitenoiseNotAfterSecurity,
  corsMiddlewareTooLow,
  sessionMiddlewareOrder,
  cacheMiddlewareOrder,
  gzipMiddlewareOrder,
  duplicateMiddleware,
  middlewareDependencyMissing,
  debugToolbarInProduction,
];
