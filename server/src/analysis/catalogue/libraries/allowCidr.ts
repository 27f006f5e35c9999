// django-allow-cidr: a middleware that lets ALLOWED_HOSTS hold networks. It takes ALLOWED_HOSTS over
// (sets it to ["*"] and checks the Host header itself), so it must run before anything reads
// request.get_host(): its README puts it first in MIDDLEWARE. Read from mozmeao/django-allow-cidr
// (middleware.py at 907b98c4, README.rst at 2160582d).
import type { Fact, Library } from './types';

const AT = 'https://github.com/mozmeao/django-allow-cidr/blob';

export const ALLOW_CIDR = {
  distribution: 'django-allow-cidr',
  modules: ['allow_cidr'],
  readAt: '0.7.1 (middleware.py at 907b98c4)',
  middleware: { allowCidr: 'allow_cidr.middleware.AllowCIDRMiddleware' },
} as const satisfies Library;

/** Where its documentation puts its middleware, and what it does to a request whose Host it refuses. */
export const ALLOW_CIDR_MIDDLEWARE = {
  /** First in MIDDLEWARE: above SecurityMiddleware, whose HTTPS redirect calls request.get_host(). */
  first: {
    value: true,
    source: {
      url: `${AT}/2160582daa7627aa385fd7ac2817f0ab7b4a1023/README.rst#L20-L28`,
      quote:
        "Add the Middleware to your ``MIDDLEWARE`` settings. It should be the first in the list: MIDDLEWARE = ( 'allow_cidr.middleware.AllowCIDRMiddleware', ... )",
    },
  },
  /** The only answer it gives itself: DisallowedHost (a 400) for a Host neither ALLOWED_HOSTS nor the networks allow. */
  answersOnlyBadHosts: {
    value: true,
    source: {
      url: `${AT}/907b98c471dd97d1071e2ddb7c2e84174f171932/allow_cidr/middleware.py#L38-L57`,
      quote:
        'host = request.get_host() … if not domain or not validate_host(domain, ORIG_ALLOWED_HOSTS): … if should_raise: raise DisallowedHost("Invalid HTTP_HOST header: %r." % host) response = self.get_response(request)',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
