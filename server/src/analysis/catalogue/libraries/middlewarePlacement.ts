// Where the libraries' documentation puts their middleware relative to Django's SecurityMiddleware:
// the ones documented to come first (or as high as possible), which a rule about what stands above
// SecurityMiddleware must leave in place. Each entry is the library's own fact, with its source.
import { ALLOW_CIDR, ALLOW_CIDR_MIDDLEWARE } from './allowCidr';
import { CORS_BEHAVIOUR, CORS_HEADERS } from './corsHeaders';
import { PROMETHEUS, PROMETHEUS_MIDDLEWARE } from './prometheus';
import type { Fact } from './types';

export interface PlacedFirst {
  /** The middleware's dotted path. */
  readonly middleware: string;
  /** Why it belongs there, for messages and docs. */
  readonly why: string;
  /** The library's words. */
  readonly fact: Fact<boolean>;
}

/** Middleware their libraries document as first in MIDDLEWARE, or as high as possible: above SecurityMiddleware is where they belong. */
export const PLACED_ABOVE_SECURITY: readonly PlacedFirst[] = [
  {
    middleware: ALLOW_CIDR.middleware.allowCidr,
    why: 'django-allow-cidr takes over the Host check and must run before anything reads request.get_host() (its README: first in the list)',
    fact: ALLOW_CIDR_MIDDLEWARE.first,
  },
  {
    middleware: PROMETHEUS.middleware.before,
    why: 'django-prometheus times every request from its first middleware (its README: first, above SecurityMiddleware)',
    fact: PROMETHEUS_MIDDLEWARE.beforeFirst,
  },
  {
    middleware: CORS_HEADERS.middleware.cors,
    why: 'django-cors-headers answers only preflight requests and asks to be placed as high as possible',
    fact: CORS_BEHAVIOUR.placedHigh,
  },
];
