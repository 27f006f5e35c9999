// What daphne's --proxy-headers makes it believe, from every client (daphne has no list of trusted
// proxies): the client's address and port from X-Forwarded-For and X-Forwarded-Port and, from 2.2.2,
// the scheme from X-Forwarded-Proto (read when X-Forwarded-For is there too, which a client sends as
// easily). Read by DDG110.

import type { Source } from './facts';

export const DAPHNE_PROXY_HEADERS: {
  readonly believes: 'address-and-scheme';
  readonly headers: readonly string[];
  readonly sources: readonly Source[];
} = {
  believes: 'address-and-scheme',
  headers: ['X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'],
  sources: [
    {
      url: 'https://github.com/django/daphne/blob/4.2.2/daphne/cli.py',
      quote:
        'proxy_forwarded_address_header=self._get_forwarded_host(args=args), proxy_forwarded_port_header=self._get_forwarded_port(args=args), proxy_forwarded_proto_header=("X-Forwarded-Proto" if args.proxy_headers else None)',
      versions: '2.2.2 and later (X-Forwarded-Proto); the address and port before',
    },
    {
      url: 'https://github.com/django/daphne/blob/4.2.2/daphne/utils.py',
      quote:
        'if address_header_name in headers: … result_addr = [address_value, 0] … if proto_header_name in headers: result_scheme = header_value(headers, proto_header_name)',
    },
  ],
};
