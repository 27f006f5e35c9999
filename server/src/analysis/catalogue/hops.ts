// What each hop between the browser and Django does when its configuration says nothing: the
// documented defaults of ingress controllers, reverse proxies, platforms' routers and WhiteNoise,
// each fact with the vendor's page (or source file at a commit), a short quote that states it, the
// versions it holds for, and the knob that changes it. The request-path model reads these; rules
// never state them. docs/hops.md is generated from this table (scripts/gen-docs.mjs).
//
// A value of 'unknown' means the vendor documents nothing we could cite: a rule that depends on it
// says it cannot tell, never that the hop does or does not do it.
import type { Fact, Source } from './facts';

export type { Fact, Source } from './facts';

export type HopKind =
  | 'ingress-nginx'
  | 'traefik'
  | 'caddy'
  | 'nginx'
  | 'nginx-proxy'
  | 'heroku'
  | 'render'
  | 'fly'
  | 'railway'
  | 'app-engine'
  | 'cloud-run'
  | 'digitalocean'
  | 'clever-cloud'
  | 'cloud-foundry'
  | 'cloud-gov'
  | 'copilot'
  | 'elastic-beanstalk'
  | 'dokku'
  | 'whitenoise';

/**
 * - `always`: for every request the hop handles; `with-tls`: when its configuration has TLS for the
 *   host (an Ingress `tls` section); `configured`: only when its configuration says so; `never`.
 */
export type When = 'always' | 'with-tls' | 'configured' | 'never' | 'unknown';

export interface Hsts {
  readonly maxAge: number;
  readonly includeSubDomains: boolean;
  readonly preload: boolean;
}

/** What the hop does with a forwarded header towards the app. */
export type Forwarded =
  /** sets it from what the hop saw, replacing what the client sent */
  | 'set'
  /** leaves the client's header as it came (a client can forge it) */
  | 'passes-client'
  | 'unknown';

export interface HopDefaults {
  readonly kind: HopKind;
  /** How messages name it: "the ingress-nginx controller". */
  readonly name: string;
  /** Platform hops sit at the edge of a platform; the others are software the project configures. */
  readonly platform: boolean;
  readonly tls: Fact<When>;
  readonly httpsRedirect: Fact<When>;
  readonly hsts: Fact<Hsts | 'none' | 'configured' | 'unknown'>;
  readonly forwardedProto: Fact<Forwarded>;
  readonly forwardedHost: Fact<Forwarded | 'absent'>;
  /** Whether the app sees the client's Host, or the name the hop proxies to. */
  readonly host: Fact<'client' | 'upstream' | 'unknown'>;
  readonly accessLog: Fact<boolean | 'plan' | 'unknown'>;
  /** The largest request body it passes, in bytes; null: no limit; undefined: not documented. */
  readonly bodyLimit: Fact<number | null | 'unknown'>;
  /** How long it waits for the app's response, in seconds; null: no limit. */
  readonly readTimeout: Fact<number | null | 'unknown'>;
  readonly staticFiles: Fact<When>;
  /**
   * The platform hands the app only requests for the app's own host names (its platform name and
   * the custom domains added to it), choosing the app by the request's Host; undefined where no
   * vendor page says so.
   */
  readonly routesByHost?: Fact<boolean>;
}

const ING = 'https://github.com/kubernetes/ingress-nginx/blob/dbb11b92ddb77bee9c35e462479129354c84f939/docs/user-guide/nginx-configuration';
const TRAEFIK = 'https://doc.traefik.io/traefik';
const CADDY = 'https://caddyserver.com/docs';
const NGINX = 'https://nginx.org/en/docs/http';
const NGINX_PROXY = 'https://github.com/nginx-proxy/nginx-proxy/blob/584073da6adc4565a428bf76d596fc1708a8a58b/docs/README.md';
const ACME_COMPANION = 'https://github.com/nginx-proxy/acme-companion/blob/6b369e62b532d3b45cbe5a28fa21b196aa681921/docs/Basic-usage.md';
const HEROKU = 'https://devcenter.heroku.com/articles/http-routing';
const FLY = 'https://fly.io/docs';
const RAILWAY = 'https://docs.railway.com/networking/public-networking/specs-and-limits';
const GAE = 'https://cloud.google.com/appengine/docs/standard/reference/app-yaml';
const RUN = 'https://cloud.google.com/run/docs';
const DO = 'https://docs.digitalocean.com/products/app-platform';
const CLEVER = 'https://www.clever.cloud/developers/doc';
// (read from cloudfoundry/docs-cloudfoundry-concepts at 015cab5 and cloudfoundry/docs-dev-guide at
// 0152419, the sources of the pages cited)
const CF_ROUTING = 'https://docs.cloudfoundry.org/concepts/http-routing.html';
const CF_LOGS = 'https://docs.cloudfoundry.org/devguide/deploy-apps/streaming-logs.html';
// (read from cloud-gov/cg-site at 036be08 and 8d51770, the sources of the pages cited)
const CLOUD_GOV = 'https://cloud.gov/docs';
// (AWS Copilot's pages read from aws/copilot-cli at 7b95356, 2024-03-15, their source)
const COPILOT = 'https://aws.github.io/copilot-cli/docs';
const ALB = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application';
const EB = 'https://docs.aws.amazon.com/elasticbeanstalk/latest/dg';
const DOKKU_NGINX = 'https://github.com/dokku/dokku/blob/3c2a7f23940c70aff11ffd38c63e4e7ff229b8f5/docs/networking/proxies/nginx.md';
const DOKKU_TEMPLATE =
  'https://github.com/dokku/dokku/blob/e6b9851b526435f36903971c4a8712393fcb46dd/plugins/nginx-vhosts/templates/nginx.conf.sigil';
const NOT_DOCUMENTED = (url: string): Source => ({ url, quote: '(not documented by the vendor)' });

export const HOPS: Readonly<Record<HopKind, HopDefaults>> = {
  'ingress-nginx': {
    kind: 'ingress-nginx',
    name: 'the ingress-nginx controller',
    platform: false,
    tls: {
      value: 'with-tls',
      knob: 'Ingress spec.tls[].secretName (hosts)',
      source: {
        url: `${ING}/annotations.md#server-side-https-enforcement-through-redirect`,
        quote: 'By default the controller redirects (308) to HTTPS if TLS is enabled for that ingress.',
      },
    },
    httpsRedirect: {
      value: 'with-tls',
      knob: 'annotations nginx.ingress.kubernetes.io/ssl-redirect, nginx.ingress.kubernetes.io/force-ssl-redirect; ConfigMap ssl-redirect, force-ssl-redirect',
      source: {
        url: `${ING}/annotations.md#server-side-https-enforcement-through-redirect`,
        quote: 'By default the controller redirects (308) to HTTPS if TLS is enabled for that ingress.',
      },
    },
    hsts: {
      value: { maxAge: 31536000, includeSubDomains: true, preload: false },
      knob: 'ConfigMap hsts, hsts-max-age, hsts-include-subdomains, hsts-preload',
      source: {
        url: `${ING}/configmap.md#hsts`,
        quote:
          'Enables or disables the header HSTS in servers running SSL. (hsts "true", hsts-max-age "31536000", hsts-include-subdomains "true", hsts-preload "false")',
        versions: 'controller v1.9.5 and later; earlier controllers send max-age=15724800',
      },
    },
    forwardedProto: {
      value: 'set',
      knob: 'ConfigMap use-forwarded-headers',
      source: {
        url: `${ING}/configmap.md#use-forwarded-headers`,
        quote: 'If false, NGINX ignores incoming X-Forwarded-* headers, filling them with the request information it sees.',
      },
    },
    forwardedHost: {
      value: 'set',
      knob: 'ConfigMap use-forwarded-headers',
      source: {
        url: `${ING}/configmap.md#use-forwarded-headers`,
        quote: 'If false, NGINX ignores incoming X-Forwarded-* headers, filling them with the request information it sees.',
      },
    },
    host: {
      value: 'client',
      knob: 'annotation nginx.ingress.kubernetes.io/upstream-vhost',
      source: {
        url: 'https://github.com/kubernetes/ingress-nginx/blob/dbb11b92ddb77bee9c35e462479129354c84f939/rootfs/etc/nginx/template/nginx.tmpl',
        quote: '{{ $proxySetHeader }} Host $best_http_host;',
      },
    },
    accessLog: {
      value: true,
      knob: 'annotation nginx.ingress.kubernetes.io/enable-access-log; ConfigMap disable-access-log',
      source: {
        url: `${ING}/annotations.md#enable-access-log`,
        quote:
          'Access logs are enabled by default, but in some scenarios access logs might be required to be disabled for a given ingress.',
      },
    },
    bodyLimit: {
      value: 1024 * 1024,
      knob: 'annotation nginx.ingress.kubernetes.io/proxy-body-size; ConfigMap proxy-body-size',
      source: { url: `${ING}/configmap.md#proxy-body-size`, quote: 'proxy-body-size | string | "1m"' },
    },
    readTimeout: {
      value: 60,
      knob: 'annotation nginx.ingress.kubernetes.io/proxy-read-timeout; ConfigMap proxy-read-timeout',
      source: { url: `${ING}/configmap.md#proxy-read-timeout`, quote: 'proxy-read-timeout | int | 60' },
    },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(`${ING}/annotations.md`) },
  },
  traefik: {
    kind: 'traefik',
    name: 'Traefik',
    platform: false,
    tls: {
      value: 'configured',
      knob: 'router tls (label traefik.http.routers.<r>.tls=true; Ingress annotation traefik.ingress.kubernetes.io/router.tls)',
      source: {
        url: `${TRAEFIK}/reference/routing-configuration/http/tls/overview/`,
        quote:
          'By default, an HTTP router with a TLS field will terminate the TLS connections, meaning that it will send decrypted data to the services.',
      },
    },
    httpsRedirect: {
      value: 'configured',
      knob: 'entryPoints.<web>.http.redirections.entryPoint.to; middleware redirectScheme',
      source: {
        url: `${TRAEFIK}/reference/install-configuration/entrypoints/`,
        quote:
          'http.redirections.entryPoint.to — The target element to enable (permanent) redirecting of all incoming requests on an entry point to another one.',
      },
    },
    hsts: {
      value: 'configured',
      knob: 'headers middleware stsSeconds, stsIncludeSubdomains, stsPreload',
      source: {
        url: `${TRAEFIK}/reference/routing-configuration/http/middlewares/headers/`,
        quote: 'stsSeconds | Max age for Strict-Transport-Security header. | -',
      },
    },
    forwardedProto: {
      value: 'set',
      knob: 'entryPoints.<name>.forwardedHeaders.trustedIPs, forwardedHeaders.insecure',
      source: {
        url: `${TRAEFIK}/getting-started/faq/`,
        quote: 'By default, the following headers are automatically added when proxying requests: … X-Forwarded-Proto',
      },
    },
    forwardedHost: {
      value: 'set',
      knob: 'entryPoints.<name>.forwardedHeaders.trustedIPs, forwardedHeaders.insecure',
      source: {
        url: `${TRAEFIK}/getting-started/faq/`,
        quote: 'By default, the following headers are automatically added when proxying requests: … X-Forwarded-Host',
      },
    },
    host: {
      value: 'client',
      knob: 'service loadBalancer.passHostHeader',
      source: {
        url: `${TRAEFIK}/reference/routing-configuration/http/load-balancing/service/`,
        quote: 'Allows forwarding of the client Host header to server. By default, passHostHeader is true.',
      },
    },
    accessLog: {
      value: false,
      knob: 'accessLog (static configuration; --accesslog=true)',
      source: { url: `${TRAEFIK}/v3.3/observability/access-logs/`, quote: 'To enable the access logs: accessLog: {}' },
    },
    bodyLimit: {
      value: null,
      knob: 'buffering middleware maxRequestBodyBytes',
      source: {
        url: `${TRAEFIK}/reference/routing-configuration/http/middlewares/buffering/`,
        quote: 'maxRequestBodyBytes | Maximum allowed body size for the request (in bytes). … 0 means unlimited. | 0',
      },
    },
    readTimeout: {
      value: null,
      knob: 'serversTransport forwardingTimeouts.responseHeaderTimeout',
      source: {
        url: `${TRAEFIK}/reference/routing-configuration/http/load-balancing/serverstransport/`,
        quote: 'forwardingTimeouts.responseHeaderTimeout | … 0 = no timeout | 0s',
      },
    },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(`${TRAEFIK}/`) },
  },
  caddy: {
    kind: 'caddy',
    name: 'Caddy',
    platform: false,
    tls: {
      value: 'always',
      knob: 'a site address with http:// or a :80 port; global auto_https',
      source: {
        url: `${CADDY}/automatic-https`,
        quote: 'Caddy serves public DNS names over HTTPS using certificates from a public ACME CA such as Let’s Encrypt or ZeroSSL.',
      },
    },
    httpsRedirect: {
      value: 'always',
      knob: 'global option auto_https disable_redirects (or off)',
      source: {
        url: `${CADDY}/automatic-https`,
        quote:
          'Caddy keeps all managed certificates renewed and redirects HTTP (default port 80) to HTTPS (default port 443) automatically.',
      },
    },
    hsts: {
      value: 'none',
      knob: 'header Strict-Transport-Security "max-age=…"',
      source: {
        url: 'https://github.com/caddyserver/caddy/tree/0cf03d32f7d99cf160d5375e8a40fbe3d910d515',
        quote:
          'No Strict-Transport-Security header anywhere in Caddy’s source; the header directive adds it (caddyfile/directives/header: "# enable HSTS").',
        versions: 'Caddy 2 (v2.11)',
      },
    },
    forwardedProto: {
      value: 'set',
      knob: 'global servers trusted_proxies; reverse_proxy trusted_proxies',
      source: {
        url: `${CADDY}/caddyfile/directives/reverse_proxy#defaults`,
        quote:
          'For these X-Forwarded-* headers, by default, the proxy will ignore their values from incoming requests, to prevent spoofing.',
      },
    },
    forwardedHost: {
      value: 'set',
      knob: 'global servers trusted_proxies; reverse_proxy trusted_proxies',
      source: {
        url: `${CADDY}/caddyfile/directives/reverse_proxy#defaults`,
        quote:
          'For these X-Forwarded-* headers, by default, the proxy will ignore their values from incoming requests, to prevent spoofing.',
      },
    },
    host: {
      value: 'client',
      knob: 'reverse_proxy header_up Host',
      source: {
        url: `${CADDY}/caddyfile/directives/reverse_proxy#defaults`,
        quote:
          'By default, Caddy passes through incoming headers—including Host—to the backend without modifications, with three exceptions',
        versions: 'to an HTTPS upstream, Caddy 2.11 and later send the upstream’s name',
      },
    },
    accessLog: {
      value: false,
      knob: 'log (in the site block)',
      source: {
        url: `${CADDY}/troubleshooting`,
        quote:
          'Note that HTTP request logs ("access logs") are different from process logs, and need to be explicitly enabled in your config.',
      },
    },
    bodyLimit: {
      value: null,
      knob: 'request_body { max_size … }',
      source: {
        url: `${CADDY}/caddyfile/directives/request_body`,
        quote: 'max_size is the maximum size in bytes allowed for the request body. (no default)',
      },
    },
    readTimeout: {
      value: null,
      knob: 'reverse_proxy transport http { response_header_timeout … }',
      source: {
        url: `${CADDY}/caddyfile/directives/reverse_proxy#the-http-transport`,
        quote:
          'response_header_timeout is the maximum duration to wait for reading response headers from the upstream. Default: No timeout.',
      },
    },
    staticFiles: {
      value: 'configured',
      knob: 'file_server',
      source: {
        url: `${CADDY}/caddyfile/directives/file_server`,
        quote: 'A static file server that supports real and virtual file systems.',
      },
    },
  },
  nginx: {
    kind: 'nginx',
    name: 'nginx',
    platform: false,
    tls: {
      value: 'configured',
      knob: 'listen … ssl with ssl_certificate and ssl_certificate_key',
      source: {
        url: `${NGINX}/configuring_https_servers.html`,
        quote: 'To configure an HTTPS server, the ssl parameter must be enabled on listening sockets in the server block',
      },
    },
    httpsRedirect: {
      value: 'configured',
      knob: 'a plain-HTTP server answering return 301 https://$host$request_uri',
      source: NOT_DOCUMENTED(`${NGINX}/ngx_http_rewrite_module.html#return`),
    },
    hsts: {
      value: 'configured',
      knob: 'add_header Strict-Transport-Security "max-age=…" always',
      source: {
        url: `${NGINX}/ngx_http_headers_module.html#add_header`,
        quote:
          'These directives are inherited from the previous configuration level if and only if there are no add_header directives defined on the current level.',
      },
    },
    forwardedProto: {
      value: 'passes-client',
      knob: 'proxy_set_header X-Forwarded-Proto $scheme',
      source: {
        url: `${NGINX}/ngx_http_proxy_module.html#proxy_pass_request_headers`,
        quote:
          'Indicates whether the header fields of the original request are passed to the proxied server. (default on; nginx sets no X-Forwarded-* itself)',
      },
    },
    forwardedHost: {
      value: 'passes-client',
      knob: 'proxy_set_header X-Forwarded-Host $host',
      source: {
        url: `${NGINX}/ngx_http_proxy_module.html#proxy_pass_request_headers`,
        quote:
          'Indicates whether the header fields of the original request are passed to the proxied server. (default on; nginx sets no X-Forwarded-* itself)',
      },
    },
    host: {
      value: 'upstream',
      knob: 'proxy_set_header Host $host',
      source: {
        url: `${NGINX}/ngx_http_proxy_module.html#proxy_set_header`,
        quote:
          'By default, the header fields Host and Connection from the original request are not passed to the proxied server. (proxy_set_header Host $proxy_host)',
      },
    },
    accessLog: {
      value: true,
      knob: 'access_log off',
      source: { url: `${NGINX}/ngx_http_log_module.html#access_log`, quote: 'Default: access_log logs/access.log combined;' },
    },
    bodyLimit: {
      value: 1024 * 1024,
      knob: 'client_max_body_size',
      source: { url: `${NGINX}/ngx_http_core_module.html#client_max_body_size`, quote: 'Default: client_max_body_size 1m;' },
    },
    readTimeout: {
      value: 60,
      knob: 'proxy_read_timeout',
      source: { url: `${NGINX}/ngx_http_proxy_module.html#proxy_read_timeout`, quote: 'Default: proxy_read_timeout 60s;' },
    },
    staticFiles: {
      value: 'configured',
      knob: 'location /static/ { alias …; }',
      source: { url: `${NGINX}/ngx_http_core_module.html#alias`, quote: 'Defines a replacement for the specified location.' },
    },
  },
  'nginx-proxy': {
    kind: 'nginx-proxy',
    name: 'nginx-proxy',
    platform: false,
    tls: {
      value: 'with-tls',
      knob: "a certificate for the VIRTUAL_HOST in /etc/nginx/certs (acme-companion writes one for a container's ACME_HOST or LETSENCRYPT_HOST)",
      source: {
        url: `${ACME_COMPANION}#step-3---proxied-containers`,
        quote:
          '`VIRTUAL_HOST` controls proxying by **nginx-proxy** and `ACME_HOST` controls certificate creation and SSL enabling by **acme-companion**.',
        versions: 'acme-companion 2.x (ACME_HOST; LETSENCRYPT_HOST is its older name)',
      },
    },
    httpsRedirect: {
      value: 'with-tls',
      knob: 'HTTPS_METHOD (redirect, noredirect, nohttp, nohttps) on the proxy or on the proxied container',
      source: {
        url: `${NGINX_PROXY}#how-ssl-support-works`,
        quote:
          'If a virtual host has a usable cert, port 80 will redirect to 443 for that virtual host … (the default is `HTTPS_METHOD=redirect`)',
      },
    },
    hsts: {
      value: { maxAge: 31536000, includeSubDomains: false, preload: false },
      knob: 'HSTS (off, or the header value) on the proxy or on the proxied container; HTTPS_METHOD=noredirect turns it off',
      source: {
        url: `${NGINX_PROXY}#how-ssl-support-works`,
        quote:
          'By default, HTTP Strict Transport Security (HSTS) is enabled with `max-age=31536000` for HTTPS sites. You can disable HSTS with the environment variable `HSTS=off`',
      },
    },
    forwardedProto: {
      value: 'passes-client',
      knob: 'TRUST_DOWNSTREAM_PROXY=false on the proxy',
      source: {
        url: `${NGINX_PROXY}#trusting-downstream-proxy-headers`,
        quote:
          'For legacy compatibility reasons, `nginx-proxy` forwards any client-supplied `X-Forwarded-Proto` … `X-Forwarded-Host`, and `X-Forwarded-Port` headers unchecked and unmodified.',
        versions: 'TRUST_DOWNSTREAM_PROXY defaults to true; the README says the default may change to false',
      },
    },
    forwardedHost: {
      value: 'passes-client',
      knob: 'TRUST_DOWNSTREAM_PROXY=false on the proxy',
      source: {
        url: `${NGINX_PROXY}#headers`,
        quote:
          '`X-Forwarded-Host`: If the client did not provide this header or if the `TRUST_DOWNSTREAM_PROXY` environment variable is set to `false` (see below), this is set to the value of the `Host` header provided by the client. Otherwise, the header is forwarded to the backend server unmodified.',
      },
    },
    host: {
      value: 'client',
      knob: '/etc/nginx/proxy.conf',
      source: { url: `${NGINX_PROXY}#replacing-default-proxy-settings`, quote: 'proxy_set_header Host $http_host;' },
    },
    accessLog: {
      value: true,
      knob: 'DISABLE_ACCESS_LOGS on the proxy',
      source: {
        url: `${NGINX_PROXY}#disable-access-logs`,
        quote: 'To disable nginx access logs entirely, set the `DISABLE_ACCESS_LOGS` environment variable to any value.',
      },
    },
    bodyLimit: {
      value: 1024 * 1024,
      knob: 'client_max_body_size in a file of /etc/nginx/conf.d or /etc/nginx/vhost.d',
      source: {
        url: `${NGINX}/ngx_http_core_module.html#client_max_body_size`,
        quote: 'Default: client_max_body_size 1m;',
        versions: "nginx-proxy's template sets none (its README shows raising it in conf.d: `client_max_body_size 100m;`)",
      },
    },
    readTimeout: {
      value: 60,
      knob: 'proxy_read_timeout in a file of /etc/nginx/vhost.d',
      source: {
        url: `${NGINX}/ngx_http_proxy_module.html#proxy_read_timeout`,
        quote: 'Default: proxy_read_timeout 60s;',
        versions: "nginx-proxy's template sets none",
      },
    },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(`${NGINX_PROXY}#per-virtual_host`) },
  },
  heroku: {
    kind: 'heroku',
    name: "Heroku's router",
    platform: true,
    tls: {
      value: 'always',
      source: { url: HEROKU, quote: 'Inbound requests are received by a load balancer that offers SSL termination.' },
    },
    httpsRedirect: {
      value: 'never',
      source: {
        url: 'https://help.heroku.com/J2R1S4T8/can-heroku-force-an-application-to-use-ssl-tls',
        quote: 'Redirects need to be performed at the application level as the Heroku router does not provide this functionality.',
      },
    },
    hsts: {
      value: 'none',
      source: { url: HEROKU, quote: 'Heroku adds the following headers to HTTP responses: NEL … Report-To … Reporting-Endpoints' },
    },
    forwardedProto: {
      value: 'set',
      source: { url: HEROKU, quote: 'X-Forwarded-Proto: the originating protocol of the HTTP request (example: https)' },
    },
    forwardedHost: {
      value: 'unknown',
      source: {
        url: HEROKU,
        quote: 'The X-Forwarded-For, X-Forwarded-By, X-Forwarded-Proto, and X-Forwarded-Host headers are not trusted for security reasons',
      },
    },
    host: { value: 'client', source: { url: HEROKU, quote: 'host: HTTP request Host header value (router log field)' } },
    accessLog: { value: true, source: { url: HEROKU, quote: "Per-request router logs appear in your app's log stream." } },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(HEROKU) },
    readTimeout: {
      value: 30,
      source: { url: HEROKU, quote: 'HTTP requests have an initial 30 second window in which the web process must return response data' },
    },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(HEROKU) },
    routesByHost: {
      value: true,
      knob: 'heroku domains:add (a wildcard domain lets every subdomain through)',
      source: {
        url: HEROKU,
        quote: 'The Heroku platform automatically routes HTTP requests sent to your app’s hostname(s) to your web dynos.',
      },
    },
  },
  render: {
    kind: 'render',
    name: "Render's load balancer",
    platform: true,
    tls: {
      value: 'always',
      source: {
        url: 'https://render.com/docs/web-services',
        quote:
          "Render's load balancer terminates SSL for inbound HTTPS requests, then forwards those requests to your web service over HTTP.",
      },
    },
    httpsRedirect: {
      value: 'always',
      source: { url: 'https://render.com/docs/tls', quote: 'Render automatically redirects all HTTP requests to HTTPS' },
    },
    hsts: { value: 'unknown', source: NOT_DOCUMENTED('https://render.com/docs/web-services') },
    forwardedProto: { value: 'unknown', source: NOT_DOCUMENTED('https://render.com/docs/web-services') },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED('https://render.com/docs/web-services') },
    host: { value: 'unknown', source: NOT_DOCUMENTED('https://render.com/docs/web-services') },
    accessLog: {
      value: 'plan',
      source: {
        url: 'https://render.com/docs/logging',
        quote:
          'If you have a Professional workspace or higher, Render generates a log entry for each HTTP request to your team’s web services',
      },
    },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED('https://render.com/docs/web-services') },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED('https://render.com/docs/web-services') },
    staticFiles: {
      value: 'never',
      source: {
        url: 'https://render.com/docs/web-service-caching',
        quote: 'Render provides edge caching for static assets … served by paid web services. (the web service itself serves them)',
      },
    },
  },
  fly: {
    kind: 'fly',
    name: 'the Fly proxy',
    platform: true,
    tls: {
      value: 'always',
      knob: '[http_service] (ports 80 and 443); [[services]] handlers',
      source: {
        url: `${FLY}/reference/configuration/#the-http_service-section`,
        quote:
          'An [http_service] section defines a service that listens on ports 80 and 443. Port 80 will have an HTTP handler. Port 443 will have a TLS and HTTP handler.',
      },
    },
    httpsRedirect: {
      value: 'configured',
      knob: 'force_https = true',
      source: {
        url: `${FLY}/reference/configuration/#the-http_service-section`,
        quote: 'The force_https configuration option automatically redirects HTTP to HTTPS.',
      },
    },
    hsts: {
      value: 'configured',
      knob: '[http_service.http_options.response.headers] Strict-Transport-Security',
      source: NOT_DOCUMENTED(`${FLY}/reference/configuration/`),
    },
    forwardedProto: {
      value: 'set',
      source: {
        url: `${FLY}/networking/request-headers/`,
        quote: 'X-Forwarded-Proto Original client protocol: The protocol which the client used to make the request. Either http or https.',
      },
    },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(`${FLY}/networking/request-headers/`) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(`${FLY}/networking/request-headers/`) },
    accessLog: { value: 'unknown', source: NOT_DOCUMENTED(`${FLY}/monitoring/logging/overview/`) },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(`${FLY}/reference/configuration/`) },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED(`${FLY}/reference/configuration/`) },
    staticFiles: {
      value: 'configured',
      knob: '[[statics]] guest_path, url_prefix',
      source: {
        url: `${FLY}/reference/configuration/#the-statics-sections`,
        quote: 'When you add a [[statics]] section to fly.toml, the Fly Proxy intercepts requests matching your url_prefix.',
      },
    },
  },
  railway: {
    kind: 'railway',
    name: "Railway's edge",
    platform: true,
    tls: { value: 'always', source: { url: RAILWAY, quote: 'All traffic must be HTTPS and use TLS 1.2 or above' } },
    httpsRedirect: { value: 'always', source: { url: RAILWAY, quote: 'HTTP GET requests to port 80 are redirected to HTTPS.' } },
    hsts: { value: 'unknown', source: NOT_DOCUMENTED(RAILWAY) },
    forwardedProto: { value: 'set', source: { url: RAILWAY, quote: 'X-Forwarded-Proto always indicates https.' } },
    forwardedHost: { value: 'set', source: { url: RAILWAY, quote: 'X-Forwarded-Host for identifying the original host header.' } },
    host: { value: 'unknown', source: NOT_DOCUMENTED(RAILWAY) },
    accessLog: {
      value: true,
      source: {
        url: 'https://docs.railway.com/observability/logs',
        quote: 'HTTP logs use the same filter syntax, but have a specific set of attributes for HTTP-specific data.',
      },
    },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(RAILWAY) },
    readTimeout: {
      value: 900,
      source: { url: RAILWAY, quote: 'HTTP requests can run for up to 15 minutes if data keeps transferring' },
    },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(RAILWAY) },
  },
  'app-engine': {
    kind: 'app-engine',
    name: 'App Engine',
    platform: true,
    tls: {
      value: 'always',
      source: {
        url: 'https://cloud.google.com/appengine/docs/flexible/reference/request-headers',
        quote:
          'The Google Cloud Load Balancer terminates all https connections, and then forwards traffic to App Engine instances over http.',
      },
    },
    httpsRedirect: {
      value: 'configured',
      knob: 'handlers: secure: always',
      source: {
        url: `${GAE}#handlers_secure`,
        quote:
          'optional: Both HTTP and HTTPS requests with URLs that match the handler succeed without redirects. … This is the default when secure is not provided for a handler.',
      },
    },
    hsts: {
      value: 'configured',
      knob: 'handlers: http_headers (static handlers only)',
      source: {
        url: `${GAE}#handlers_http_headers`,
        quote: 'You can set HTTP headers for responses of your static file or directory handlers.',
      },
    },
    forwardedProto: {
      value: 'set',
      source: {
        url: 'https://cloud.google.com/appengine/docs/standard/reference/request-headers',
        quote: 'X-Forwarded-Proto [http | https] Shows http or https based on the protocol the client used to connect to your application.',
      },
    },
    forwardedHost: {
      value: 'unknown',
      source: NOT_DOCUMENTED('https://cloud.google.com/appengine/docs/standard/reference/request-headers'),
    },
    host: { value: 'client', source: NOT_DOCUMENTED('https://cloud.google.com/appengine/docs/standard/reference/request-headers') },
    accessLog: {
      value: true,
      source: {
        url: 'https://cloud.google.com/appengine/docs/standard/reference/request-headers',
        quote: 'X-Cloud-Trace-Context: A unique identifier for the request used for Cloud Trace and Cloud Logging',
      },
    },
    bodyLimit: {
      value: 32 * 1024 * 1024,
      source: { url: 'https://cloud.google.com/appengine/quotas#Requests', quote: 'MaxRequestSize = 32 * 1024 * 1024' },
    },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED('https://cloud.google.com/appengine/docs/standard/how-instances-are-managed') },
    staticFiles: {
      value: 'configured',
      knob: 'handlers: static_dir, static_files',
      source: {
        url: `${GAE}#handlers_element`,
        quote:
          'App Engine can handle URLs by executing application code, or by serving static files uploaded with the code, such as images, CSS, or JavaScript.',
      },
    },
    routesByHost: {
      value: true,
      knob: 'custom domain mappings; *-dot- subdomains of the appspot.com name reach the app too',
      source: {
        url: 'https://cloud.google.com/appengine/docs/standard/python/how-requests-are-routed',
        quote: 'App Engine determines that an incoming request is intended for your app by using the domain name of the request.',
      },
    },
  },
  'cloud-run': {
    kind: 'cloud-run',
    name: 'Cloud Run',
    platform: true,
    tls: {
      value: 'always',
      source: {
        url: `${RUN}/triggering/https-request`,
        quote: 'All Cloud Run services have a stable HTTPS URL, which represents the default HTTPS endpoint for the service',
      },
    },
    httpsRedirect: {
      value: 'always',
      source: {
        url: `${RUN}/triggering/https-request`,
        quote: 'Cloud Run redirects all HTTP requests to HTTPS but terminates TLS before they reach your web service.',
      },
    },
    hsts: { value: 'unknown', source: NOT_DOCUMENTED(`${RUN}/triggering/https-request`) },
    forwardedProto: {
      value: 'set',
      source: {
        url: `${RUN}/triggering/https-request`,
        quote:
          'Use the https protocol for all reference web URIs or account for proxy directives in the HTTP Request such as the X-Forwarded-Proto HTTP header.',
      },
    },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(`${RUN}/triggering/https-request`) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(`${RUN}/triggering/https-request`) },
    accessLog: {
      value: true,
      source: {
        url: `${RUN}/logging`,
        quote: 'Request logs (services only): logs of requests sent to Cloud Run services. These logs are created automatically.',
      },
    },
    bodyLimit: {
      value: 32 * 1024 * 1024,
      source: { url: 'https://cloud.google.com/run/quotas', quote: 'Maximum HTTP/1 request size: 32 MiB per request.' },
    },
    readTimeout: {
      value: 300,
      knob: 'timeoutSeconds (gcloud run deploy --timeout)',
      source: {
        url: `${RUN}/configuring/request-timeout`,
        quote: 'The timeout is set by default to 5 minutes (300 seconds) and can be extended up to 60 minutes (3600 seconds).',
      },
    },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(`${RUN}/`) },
  },
  digitalocean: {
    kind: 'digitalocean',
    name: 'DigitalOcean App Platform',
    platform: true,
    tls: {
      value: 'always',
      source: {
        url: `${DO}/how-to/configure-external-cdn`,
        quote: 'By default, App Platform also manages custom domains and TLS certificates for your app.',
      },
    },
    httpsRedirect: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/`) },
    hsts: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/`) },
    forwardedProto: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/`) },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/`) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/`) },
    accessLog: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/`) },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/details/limits`) },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED(`${DO}/details/limits`) },
    staticFiles: {
      value: 'configured',
      knob: 'a static_sites component with routes',
      source: {
        url: `${DO}/how-to/configure-edge-settings`,
        quote: 'By default, App Platform deploys static sites with the Cache-Control header set to cache for 24 hours on CDN edge servers',
      },
    },
  },
  // (read from CleverCloud/documentation at 1957d9f, the source of the pages cited)
  'clever-cloud': {
    kind: 'clever-cloud',
    name: "Clever Cloud's load balancer (Sōzu)",
    platform: true,
    tls: {
      value: 'always',
      source: {
        url: `${CLEVER}/find-help/faq/#how-to-know-if-a-user-comes-from-a-secure-connection`,
        quote:
          "Load-balancers handles all connections ahead of your applications and forward them in plain HTTP, you can't rely on the server port to know the scheme used by the user.",
      },
    },
    // an application option set in the console or with clever-tools, whose default is not documented
    httpsRedirect: {
      value: 'unknown',
      knob: 'the Force HTTPS application option (clever config update --enable-force-https)',
      source: {
        url: `${CLEVER}/administrate/apps-management/#edit-application-configuration`,
        quote:
          'Force HTTPS: Any non secured HTTP request to this application will be redirected to HTTPS with a 301 Moved Permanently status code.',
      },
    },
    hsts: { value: 'unknown', source: NOT_DOCUMENTED(`${CLEVER}/administrate/ssl/`) },
    // the documentation says it is always filled; whether a value the client sends is replaced is not said
    forwardedProto: {
      value: 'unknown',
      source: {
        url: `${CLEVER}/find-help/faq/#how-to-know-if-a-user-comes-from-a-secure-connection`,
        quote: "Instead, you can use the X-Forwarded-Proto HTTP header to get the information, it's set to either 'http' or 'https'.",
      },
    },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(`${CLEVER}/find-help/faq/`) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(`${CLEVER}/find-help/faq/`) },
    accessLog: { value: 'unknown', source: NOT_DOCUMENTED(`${CLEVER}/administrate/`) },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(`${CLEVER}/find-help/troubleshooting/`) },
    readTimeout: {
      value: 180,
      source: {
        url: `${CLEVER}/find-help/troubleshooting/`,
        quote:
          'Clever Cloud uses Sōzu as its load balancer and reverse proxy. Sōzu enforces a 180-second timeout for all backend operations to prevent resource exhaustion from hanging requests.',
      },
    },
    staticFiles: {
      value: 'configured',
      knob: 'STATIC_FILES_PATH and STATIC_URL_PREFIX (served by the runtime’s Nginx)',
      source: {
        url: `${CLEVER}/applications/python/servers/#manage-static-files`,
        quote: 'To enable Nginx to serve your static resources, you have to set two environment variables.',
      },
    },
  },
  // Cloud Foundry's Gorouter behind the load balancer its operator puts in front: what the app
  // sees is the operator's choice (where TLS ends, whether plain HTTP is redirected, which headers
  // the load balancer adds), none of it in the repository; only what the Gorouter itself does is
  // documented for every foundation
  'cloud-foundry': {
    kind: 'cloud-foundry',
    name: "Cloud Foundry's Gorouter",
    platform: true,
    tls: {
      value: 'unknown',
      knob: 'the foundation operator (TLS at the load balancer, at the Gorouter, or both)',
      source: {
        url: `${CF_ROUTING}#client-side-tls`,
        quote:
          'Depending on your needs, you can configure your deployment to terminate TLS at the Gorouter, at the Gorouter and the load balancer, or at the load balancer only.',
      },
    },
    httpsRedirect: {
      value: 'unknown',
      knob: "the load balancer the foundation's operator runs in front of the Gorouter (which does not redirect itself)",
      source: {
        url: `${CF_ROUTING}#X-Forwarded-Proto`,
        quote:
          'Developers can configure their apps to reject insecure requests by inspecting the X-Forwarded-Proto HTTP header on incoming traffic.',
      },
    },
    hsts: {
      value: 'unknown',
      knob: "the load balancer the foundation's operator runs in front of the Gorouter",
      source: NOT_DOCUMENTED(CF_ROUTING),
    },
    // appended to what the client sent, so the app may see `https, http`; whether the operator
    // sanitizes or forces it (router.sanitize_forwarded_proto, force_forwarded_proto_https) is not here
    forwardedProto: {
      value: 'unknown',
      knob: 'router.sanitize_forwarded_proto, router.force_forwarded_proto_https (the foundation operator)',
      source: {
        url: `${CF_ROUTING}#X-Forwarded-Proto`,
        quote:
          'If an incoming request includes the X-Forwarded-Proto header, the Gorouter does the following: Appends it to the existing header; Sets the scheme to HTTP if the client made an insecure request, meaning a request on port 80; Sets the scheme to HTTPS if the client made a secure request, meaning a request on port 443',
      },
    },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(CF_ROUTING) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(CF_ROUTING) },
    accessLog: {
      value: true,
      source: {
        url: `${CF_LOGS}#rtr`,
        quote:
          'The Router emits RTR logs when it routes HTTP requests to the app. Router messages include the app name followed by a Router timestamp and then selections from the HTTP request.',
      },
    },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(CF_ROUTING) },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED(CF_ROUTING) },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(CF_ROUTING) },
  },
  // cloud.gov, GSA's Cloud Foundry: its AWS load balancers end TLS, and the platform redirects plain
  // HTTP and sends HSTS for every application, on *.app.cloud.gov and on custom domains
  'cloud-gov': {
    kind: 'cloud-gov',
    name: 'cloud.gov',
    platform: true,
    tls: {
      value: 'always',
      source: {
        url: `${CLOUD_GOV}/compliance/domain-standards/#ssltls-implementation`,
        quote:
          'The SSL/TLS implementation depends on how your client is reaching cloud.gov, which is either through an AWS load balancer, or through the CDN service based on Amazon CloudFront.',
      },
    },
    httpsRedirect: {
      value: 'always',
      source: {
        url: `${CLOUD_GOV}/compliance/domain-standards/#https`,
        quote:
          'cloud.gov ensures all applications are accessible only over HTTPS with HTTP Strict Transport Security (HSTS) headers in accordance with the HTTPS-Only Standard. Any HTTP requests are permanantly redirected to HTTPS.',
      },
    },
    hsts: {
      value: { maxAge: 31536000, includeSubDomains: false, preload: false },
      knob: 'a Strict-Transport-Security header the app sends itself replaces it',
      source: {
        url: `${CLOUD_GOV}/management/headers/`,
        quote:
          'By default, cloud.gov sets several security-related HTTP headers if your application does not: … Strict-Transport-Security: max-age=31536000',
      },
    },
    forwardedProto: {
      value: 'unknown',
      source: {
        url: `${CF_ROUTING}#X-Forwarded-Proto`,
        quote:
          'If an incoming request includes the X-Forwarded-Proto header, the Gorouter does the following: Appends it to the existing header',
      },
    },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(`${CLOUD_GOV}/management/headers/`) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(`${CLOUD_GOV}/management/headers/`) },
    accessLog: {
      value: true,
      source: {
        url: `${CF_LOGS}#rtr`,
        quote: 'The Router emits RTR logs when it routes HTTP requests to the app.',
      },
    },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(`${CLOUD_GOV}/management/limits/`) },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED(`${CLOUD_GOV}/management/limits/`) },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(`${CLOUD_GOV}/management/static/`) },
  },
  // AWS Copilot's Load Balanced Web Service: the environment's Application Load Balancer, whose
  // HTTPS listener exists only when the application has a domain (copilot app init --domain, kept in
  // AWS, not the repository) or the environment imports certificates; a service with `http.alias`
  // has one. The redirect is then on unless the manifest turns it off (`http.redirect_to_https: false`)
  copilot: {
    kind: 'copilot',
    name: "AWS Copilot's Application Load Balancer",
    platform: true,
    tls: {
      value: 'with-tls',
      knob: "http.alias (with the application's domain), or the environment manifest's http.public.certificates",
      source: {
        url: `${COPILOT}/developing/domain/`,
        quote:
          'associates the certificate with: Your HTTPS listener and redirects HTTP traffic to HTTPS, if the alias is used for the Application Load Balancer (http.alias)',
      },
    },
    httpsRedirect: {
      value: 'with-tls',
      knob: 'http.redirect_to_https',
      source: {
        url: `${COPILOT}/manifest/lb-web-service/#http-redirect-to-https`,
        quote: 'Automatically redirect the Application Load Balancer from HTTP to HTTPS. By default it is true.',
      },
    },
    hsts: {
      value: 'configured',
      knob: "the ALB listener's response header attribute routing.http.response.strict_transport_security.header_value",
      source: {
        url: `${ALB}/enable-header-modification.html`,
        quote: 'Header modification is turned off by default and must be enabled on each listener.',
      },
    },
    forwardedProto: {
      value: 'set',
      source: {
        url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#http-headers',
        quote:
          'Application Load Balancers and Classic Load Balancers add X-Forwarded-For, X-Forwarded-Proto, and X-Forwarded-Port headers to the request.',
      },
    },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/x-forwarded-headers.html`) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/x-forwarded-headers.html`) },
    accessLog: {
      value: false,
      knob: "the environment manifest's http.public.access_logs",
      source: {
        url: `${ALB}/load-balancer-access-logs.html`,
        quote: 'Access logs is an optional feature of Elastic Load Balancing that is disabled by default.',
      },
    },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/load-balancer-limits.html`) },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/application-load-balancers.html`) },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(`${COPILOT}/manifest/lb-web-service/`) },
  },
  // AWS Elastic Beanstalk's load-balanced environment: its Application Load Balancer (the default
  // load balancer type), in front of the nginx on each instance. Its HTTPS listener and any redirect
  // of plain HTTP are the environment's configuration: `.ebextensions/*.config` may write them
  // (`aws:elbv2:listener:443`, a `Resources:` redirect action on the port-80 listener), else they are
  // set outside the repository (the console, `eb config`, saved configurations)
  'elastic-beanstalk': {
    kind: 'elastic-beanstalk',
    name: "Elastic Beanstalk's Application Load Balancer",
    platform: true,
    tls: {
      value: 'configured',
      knob: 'option_settings aws:elbv2:listener:443 (Protocol: HTTPS, SSLCertificateArns) in .ebextensions',
      source: {
        url: `${EB}/configuring-https-elb.html`,
        quote:
          "To update your AWS Elastic Beanstalk environment to use HTTPS, you need to configure an HTTPS listener for the load balancer in your environment. … Single-instance environments don't have a load balancer and don't support HTTPS termination at the load balancer.",
      },
    },
    httpsRedirect: {
      value: 'configured',
      knob: "a redirect action on the load balancer's port-80 listener (.ebextensions Resources: AWSEBV2LoadBalancerListener DefaultActions, or a listener rule)",
      source: {
        url: `${EB}/configuring-https-httpredirect.html`,
        quote:
          "To configure redirection, you first configure your environment to handle HTTPS traffic. Then you redirect HTTP traffic to HTTPS. … To redirect HTTP traffic to HTTPS for your application you can either configure the web servers on your environment's instances or you can configure the environment's Application Load Balancer.",
      },
    },
    hsts: {
      value: 'configured',
      knob: "the ALB listener's response header attribute routing.http.response.strict_transport_security.header_value",
      source: {
        url: `${ALB}/enable-header-modification.html`,
        quote: 'Header modification is turned off by default and must be enabled on each listener.',
      },
    },
    forwardedProto: {
      value: 'set',
      source: {
        url: `${ALB}/x-forwarded-headers.html#x-forwarded-proto`,
        quote:
          'The X-Forwarded-Proto request header helps you identify the protocol (HTTP or HTTPS) that a client used to connect to your load balancer. Your server access logs contain only the protocol used between the server and the load balancer',
      },
    },
    forwardedHost: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/x-forwarded-headers.html`) },
    host: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/x-forwarded-headers.html`) },
    accessLog: {
      value: false,
      knob: 'option_settings aws:elbv2:loadbalancer AccessLogsS3Enabled',
      source: {
        url: `${ALB}/load-balancer-access-logs.html`,
        quote: 'Access logs is an optional feature of Elastic Load Balancing that is disabled by default.',
      },
    },
    bodyLimit: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/load-balancer-limits.html`) },
    readTimeout: { value: 'unknown', source: NOT_DOCUMENTED(`${ALB}/application-load-balancers.html`) },
    staticFiles: {
      value: 'configured',
      knob: 'option_settings aws:elasticbeanstalk:environment:proxy:staticfiles (served by the nginx on the instance)',
      source: {
        url: `${EB}/environment-cfg-staticfiles.html`,
        quote:
          'When the proxy server receives a request for a file under the specified path, it serves the file directly instead of routing the request to your application.',
      },
    },
  },
  dokku: {
    kind: 'dokku',
    name: "Dokku's nginx",
    platform: true,
    tls: {
      value: 'with-tls',
      knob: 'dokku certs:add, or the letsencrypt plugin (dokku letsencrypt:enable), on the Dokku host',
      source: {
        url: DOKKU_TEMPLATE,
        quote:
          '{{ else if eq $scheme "https"}} server { listen … {{ $listen_port }} ssl … ssl_certificate {{ $.APP_SSL_PATH }}/server.crt; (an https port map exists once the app has a certificate)',
        versions: 'Dokku 0.4 and later (certs plugin)',
      },
    },
    httpsRedirect: {
      value: 'with-tls',
      knob: 'a custom nginx.conf.sigil; the proxy port map (dokku ports)',
      source: {
        url: DOKKU_TEMPLATE,
        quote:
          '{{ if (and (eq $listen_port "80") ($.SSL_INUSE)) }} … location / { return 301 https://$host:{{ $.PROXY_SSL_PORT }}$request_uri; }',
      },
    },
    hsts: {
      value: { maxAge: 15724800, includeSubDomains: true, preload: false },
      knob: 'dokku nginx:set <app> hsts false (or --global); hsts-max-age, hsts-include-subdomains, hsts-preload',
      source: {
        url: `${DOKKU_NGINX}#hsts-header`,
        quote:
          'If SSL certificates are present, HSTS will be automatically enabled. (…) `hsts` (type: boolean, default: `true`) (…) `hsts-max-age` (type: integer, default: `15724800`)',
        versions: 'Dokku 0.20.0 and later ("New as of 0.20.0")',
      },
    },
    forwardedProto: {
      value: 'set',
      knob: 'a custom nginx.conf.sigil; dokku nginx:set <app> x-forwarded-proto-value',
      source: { url: DOKKU_TEMPLATE, quote: 'proxy_set_header X-Forwarded-Proto {{ $.PROXY_X_FORWARDED_PROTO }}; (default $scheme)' },
    },
    forwardedHost: {
      value: 'absent',
      source: { url: DOKKU_TEMPLATE, quote: 'proxy_set_header Host $http_host; (and no X-Forwarded-Host)' },
    },
    host: { value: 'client', source: { url: DOKKU_TEMPLATE, quote: 'proxy_set_header Host $http_host;' } },
    accessLog: {
      value: true,
      knob: 'dokku nginx:set <app> access-log-path off',
      source: {
        url: DOKKU_NGINX,
        quote:
          'By default, access and error logs are written for each app to `/var/log/nginx/${APP}-access.log` and `/var/log/nginx/${APP}-error.log` respectively',
      },
    },
    bodyLimit: {
      value: 1024 * 1024,
      knob: 'dokku nginx:set <app> client-max-body-size',
      source: {
        url: `${DOKKU_NGINX}#specifying-a-custom-client_max_body_size`,
        quote:
          'The default value is empty string, which will result in nginx falling back to any configured, higher-level defaults (or `1m` if unconfigued',
      },
    },
    readTimeout: {
      value: 60,
      knob: 'dokku nginx:set <app> proxy-read-timeout',
      source: { url: `${DOKKU_NGINX}#specifying-a-read-timeout`, quote: 'The default value is `60s`' },
    },
    staticFiles: { value: 'never', source: NOT_DOCUMENTED(DOKKU_NGINX) },
  },
  whitenoise: {
    kind: 'whitenoise',
    name: 'WhiteNoise',
    platform: false,
    tls: { value: 'never', source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    httpsRedirect: { value: 'never', source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    hsts: { value: 'none', source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    forwardedProto: { value: 'passes-client', source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    forwardedHost: { value: 'passes-client', source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    host: { value: 'client', source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    accessLog: { value: false, source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    bodyLimit: { value: null, source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    readTimeout: { value: null, source: NOT_DOCUMENTED('https://whitenoise.readthedocs.io/en/stable/django.html') },
    staticFiles: {
      value: 'always',
      source: {
        url: 'https://github.com/evansd/whitenoise/blob/1fd3f9095e4ca56abe619d0654b51f3fee80a37b/src/whitenoise/middleware.py',
        quote: 'if static_file is not None: return self.serve(static_file, request)',
        versions: 'WhiteNoise 6.x (serves the files of STATIC_ROOT present at start-up, at STATIC_URL)',
      },
    },
  },
};

/**
 * Cloud Foundry's Gorouter reaches an app instance through an Envoy proxy in the app's container (so
 * from the container's loopback) only in the consistency mode with TLS to apps, which the
 * foundation's operator configures; without it, the Gorouter connects to the app itself.
 */
export const CLOUD_FOUNDRY_APP_ENVOY: Fact<'configured'> = {
  value: 'configured',
  knob: 'the TLS consistency mode (router.backends.enable_tls, the foundation operator)',
  source: {
    url: `${CF_ROUTING}#with-tls`,
    quote:
      'Before forwarding traffic to an app instance, the Gorouter initiates a TLS handshake with an Envoy proxy running in each app container. … the Gorouter forwards the HTTP request over the TLS session, and the Envoy proxy then forwards it to the app process.',
  },
};

/**
 * The reverse proxy Elastic Beanstalk runs on each instance of its Linux platforms (nginx unless
 * `aws:elasticbeanstalk:environment:proxy` `ProxyServer` says otherwise): the load balancer's
 * requests reach the app server through it, from the instance's own loopback. Its configuration is
 * extended by `.platform/nginx/conf.d/*.conf` and replaced by `.platform/nginx/nginx.conf`.
 */
export const ELASTIC_BEANSTALK_INSTANCE_PROXY: Fact<'always'> = {
  value: 'always',
  knob: 'option_settings aws:elasticbeanstalk:environment:proxy ProxyServer; .platform/nginx/',
  source: {
    url: 'https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/platforms-linux-extend.proxy.html',
    quote:
      "All Amazon Linux 2 and Amazon Linux 2023 platform versions use nginx as their default reverse proxy server. … Elastic Beanstalk configures the proxy server on your environment's instances to forward web traffic to the main web application on the root URL of the environment",
  },
};

/**
 * The access log of the nginx Elastic Beanstalk runs on each instance of its Linux platforms: every
 * request the load balancer hands to the app passes it and is written to /var/log/nginx/access.log
 * (unless `ProxyServer` is set to none, or `.platform/nginx/nginx.conf` replaces the configuration).
 */
export const ELASTIC_BEANSTALK_INSTANCE_ACCESS_LOG: Fact<'/var/log/nginx/access.log'> = {
  value: '/var/log/nginx/access.log',
  knob: 'option_settings aws:elasticbeanstalk:environment:proxy ProxyServer; .platform/nginx/nginx.conf',
  source: {
    url: 'https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-serverlogs.html',
    quote:
      'Elastic Beanstalk platforms are configured to output two logs with information about HTTP requests. The first is in verbose format … /var/log/nginx/access.log',
  },
};

/**
 * Cloud Foundry's internal domain: a route on it (`app.apps.internal`) resolves, on the container
 * network, to the app's instances for other apps of the foundation only; the Gorouter (and the
 * operator's load balancer in front of it) is not on that way, and no browser reaches it. An app
 * whose routes are all internal is reached only through another app (a proxy app), whose edge
 * decides HTTPS, redirects and HSTS. Admins may add internal domains of other names (`--internal`):
 * only the default one is known here.
 */
export const CLOUD_FOUNDRY_INTERNAL_DOMAIN: Fact<readonly string[]> = {
  value: ['apps.internal'],
  source: {
    url: 'https://docs.cloudfoundry.org/devguide/deploy-apps/routes-domains.html#internal-routes',
    quote:
      'apps can communicate with each other securely and directly over internal routes that never leave the platform. … The internal domain is a special type of shared domain used for app communication internal to the platform. When you enable service discovery, the internal domain `apps.internal` becomes available for route mapping. (cf-deployment with service discovery, capi-release 1.49.0 and later; docs-dev-guide at 027c337; and cf-networking.html: "With container networking, apps can communicate with each other directly. Without container networking, all app-to-app traffic must go through the Gorouter.")',
  },
};

/** What WhiteNoise adds to the static files it serves, beyond a hop's facts: held by the library catalogue. */
export { WHITENOISE_STATIC } from './libraries/whitenoise';

/**
 * Caddy redirects HTTP to HTTPS also for a site whose addresses name no host (`:443`, `https://`)
 * when it serves TLS (a `tls` directive, as for on-demand TLS): a catch-all redirect route on the
 * HTTP port, whatever the host asked for.
 */
export const CADDY_CATCH_ALL_REDIRECT: Fact<true> = {
  value: true,
  source: {
    url: 'https://github.com/caddyserver/caddy/blob/0cf03d32f7d99cf160d5375e8a40fbe3d910d515/modules/caddyhttp/autohttps.go',
    quote:
      'on-demand TLS means that hostnames may be used which are not explicitly defined in the config, and we still need to redirect those; so we can append a single catch-all route (notice there is no Host matcher) after the other redirect routes',
  },
};

/**
 * Caddy's automatic HTTPS applies to a site only when its address names a host (a domain name or an
 * IP address): a site whose addresses name only a port (`:80`, `:443`, `:80 :443`) gets no
 * certificate, so Caddy serves it over plain HTTP and redirects nothing (unless a `tls` directive
 * gives it one, CADDY_CATCH_ALL_REDIRECT).
 */
export const CADDY_HOSTLESS_NO_CERTIFICATE: Fact<true> = {
  value: true,
  source: {
    url: 'https://caddyserver.com/docs/automatic-https#activation',
    quote:
      'Caddy implicitly activates automatic HTTPS when it knows a domain name (i.e. hostname) or IP address it is serving. … A site address in the Caddyfile',
    versions: 'Caddy 2',
  },
};

/**
 * A Caddy site whose addresses are all loopback names (`localhost`, `*.localhost`, `127.0.0.1`,
 * `::1`) is a developer's: Caddy matches requests to a site by its host, serves such a host over
 * HTTPS with certificates of its own local certificate authority, trusted only on a machine where
 * it installed its root, and these names reach only the machine asking (RFC 6761 section 6.3:
 * "localhost." and names under it resolve to the loopback address). No public client reaches such a
 * site: it is not a hop of production's request path. (Another local name, `*.local` or
 * `*.internal`, is a network's own: not listed.)
 */
export const CADDY_LOCAL_SITES: Fact<readonly string[]> = {
  value: ['localhost', '*.localhost', '127.0.0.1', '::1'],
  knob: 'the site address (example.com serves the public with a certificate from a public ACME CA)',
  source: {
    url: `${CADDY}/automatic-https#local-https`,
    quote:
      "Caddy serves IP addresses and local/internal hostnames over HTTPS using self-signed certificates that are automatically trusted locally (if permitted). Examples: localhost, 127.0.0.1 … Any client accessing the site without trusting Caddy's root CA certificate will show security errors.",
    versions: 'Caddy 2',
  },
};

/**
 * fly.toml's [[services]] form (flyctl still reads it beside [http_service]): each
 * [[services.ports]] entry hands its connections to handlers — `tls` ends TLS at the Fly proxy with
 * Fly's certificates and forwards plain text, `http` speaks HTTP to the app — and `force_https` on a
 * port the http handler answers redirects HTTP to HTTPS. A service no port of which has the tls
 * handler gets no TLS from the Fly proxy. (Fly's docs write the handlers in lower case, older pages in
 * upper case: read without case.)
 */
export const FLY_SERVICE_HANDLERS: Fact<{ readonly tls: 'tls'; readonly http: 'http' }> = {
  value: { tls: 'tls', http: 'http' },
  knob: '[[services.ports]] handlers, force_https',
  source: {
    url: `${FLY}/reference/services/#connection-handlers`,
    quote:
      'Set the handlers config setting in the services.ports section of fly.toml … "tls": Convert TLS connection to unencrypted TCP … "http": Convert TCP connection to HTTP … The TLS middleware terminates TLS using Fly managed application certificates, then forwards a plaintext connection to the application process.',
    versions: 'fly.toml of Fly Machines (flyctl v0.1 and later); the [[services]] form predates [http_service] and is still read',
  },
};

/**
 * Fly's private network (6PN): the names under `.internal` (`<app>.internal`, and the per-region and
 * per-machine names under it) and `.flycast` (an app's private Flycast address, through the Fly proxy)
 * resolve only on the organisation's machines and the WireGuard peers it admits; no visitor's browser
 * on the public Internet reaches them, so a plain-http origin on one is no page a stranger can serve.
 */
export const FLY_PRIVATE_NETWORK: Fact<readonly string[]> = {
  value: ['.internal', '.flycast'],
  knob: 'the host name (the public one is <app>.fly.dev or a custom domain)',
  source: {
    url: `${FLY}/reference/private-networking/`,
    quote:
      'Applications within the same organization are assigned special addresses (6PN addresses) tied to the organization. Those applications can talk to each other because of those 6PN addresses, but applications from other organizations can’t … Those addresses live under the synthetic top-level domain .internal. (Flycast: "Flycast addresses are private but global IPv6 addresses inside your private network that go through the Fly Proxy", fly.io/docs/networking/flycast/)',
  },
};

/** Whether a host name is on Fly's private network (FLY_PRIVATE_NETWORK): `shop.internal`, `shop.flycast`. */
export function flyPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return FLY_PRIVATE_NETWORK.value.some((suffix) => h.endsWith(suffix) && h.length > suffix.length);
}

/**
 * What uWSGI makes the request's scheme (`wsgi.url_scheme`) of: the UWSGI_SCHEME variable the web
 * server passes, else its HTTPS variable (`on` or `1` is https). A constant `https` (or `HTTPS on`)
 * that an nginx passes for every request, plain HTTP included, makes Django see every request as
 * https: request.is_secure() is True and SecurityMiddleware's SECURE_SSL_REDIRECT never redirects.
 */
export const UWSGI_SCHEME_VARIABLES: Fact<{ readonly scheme: 'UWSGI_SCHEME'; readonly https: 'HTTPS' }> = {
  value: { scheme: 'UWSGI_SCHEME', https: 'HTTPS' },
  knob: 'uwsgi_param UWSGI_SCHEME / uwsgi_param HTTPS in nginx',
  source: {
    url: 'https://uwsgi-docs.readthedocs.io/en/latest/Vars.html#uwsgi-scheme',
    quote:
      'UWSGI_SCHEME: Set the URL scheme when it cannot be reliably determined. This may be used to force HTTPS (with the value https), for instance. (plugins/python/wsgi_subhandler.c: wsgi.url_scheme from UWSGI_SCHEME, else "https" when HTTPS is "on" or "1")',
    versions: 'uWSGI 2.0',
  },
};

/**
 * The official nginx image sends nginx's default access log (access_log logs/access.log, which its
 * packages write to /var/log/nginx/access.log) to the container's standard output: a container FROM
 * it keeps a log of every request in the container's log unless its configuration says `access_log off;`.
 */
export const NGINX_IMAGE_ACCESS_LOG: Fact<'/dev/stdout'> = {
  value: '/dev/stdout',
  knob: 'access_log in the nginx configuration (off turns it off)',
  source: {
    url: 'https://github.com/nginxinc/docker-nginx/blob/fef51235521d1cdf8b05d8cb1378a526d2abf421/stable/debian/Dockerfile',
    quote: '# forward request and error logs to docker log collector && ln -sf /dev/stdout /var/log/nginx/access.log',
    versions: 'the official nginx image (docker-library "nginx"), Debian and Alpine variants',
  },
};

/** Whether a host a Caddy site address names is one of CADDY_LOCAL_SITES (any 127.x.x.x address: the loopback block). */
export function caddyLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[/, '').replace(/\]$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Caddy v1 (before 2.0) hands a site's requests on with `proxy <from> <to…>` (Caddy 2 has no `proxy`
 * directive: its `reverse_proxy` replaced it): the first argument is the request path it proxies, the
 * others, and each `upstream` of its block, the upstreams, `http://` when they name no scheme. What
 * else v1 does by default (its automatic HTTPS, the forwarded headers it passes) is not catalogued
 * here: the request path reads a v1 site's redirect and X-Forwarded-Host as unknown, and the rules on
 * X-Forwarded-Proto do not judge it.
 */
export const CADDY_V1_PROXY: Fact<true> = {
  value: true,
  source: {
    url: 'https://github.com/caddyserver/caddy/blob/019a3b52fe0313bf708d2e2a9d2a1095dd85bf92/caddyhttp/proxy/upstream.go',
    quote:
      'if !c.Args(&upstream.from) { … for _, t := range c.RemainingArgs() { … case "upstream": … if !strings.HasPrefix(host, "http") && !strings.HasPrefix(host, "unix:") { host = "http://" + host',
    versions: 'Caddy v1 (0.x, 1.x)',
  },
};

/**
 * Caddy v1's `header <path> <name> <value>` (or `header <path> { <name> <value> … }`) adds the
 * response header to the requests under that path (`/`: every request of the site).
 */
export const CADDY_V1_HEADER: Fact<'/'> = {
  value: '/',
  source: {
    url: 'https://github.com/caddyserver/caddy/blob/0b3213efe2fac451d25fa1386e5954030f66f6b0/caddyhttp/header/setup.go',
    quote:
      'pattern := c.Val() … head.Path = pattern … for c.NextBlock() { // A block of headers was opened… h := Header{Name: c.Val()} … if c.NextArg() { // … or single header was defined as an argument instead.',
    versions: 'Caddy v1 (0.x, 1.x)',
  },
};

/**
 * A `log` directive in a Caddy site block logs every request to that site, in both versions: Caddy
 * 2's `log` (unless its block says `no_hostname`, which ties it to no site), and Caddy v1's `log`
 * with no argument or only an output (`log stdout`, `log /var/log/access.log`), whose path scope is
 * then `/`; v1's `log <path> <output> [format]` logs only the requests under that path. Without it
 * Caddy keeps no access log (HOPS.caddy.accessLog).
 */
export const CADDY_LOG = {
  v2: {
    value: true,
    source: {
      url: `${CADDY}/caddyfile/directives/log`,
      quote:
        'Enables and configures HTTP request logging (also known as access logs). The log directive applies to the hostnames of the site block it appears in (…) When configured, by default all requests to the site will be logged.',
      versions: 'Caddy 2',
    },
  } as Fact<true>,
  v1: {
    value: '/',
    source: {
      url: 'https://github.com/caddyserver/caddy/blob/033fea6aca05ad9af16861042f85eac83e97aa93/caddyhttp/log/setup.go',
      quote:
        'path := "/" … switch len(args) { case 0: // nothing to change case 1: // Only an output file specified output = args[0] case 2, 3: // Path scope, output file, and maybe a format specified path = args[0]',
      versions: 'Caddy v1 (0.x, 1.x)',
    },
  } as Fact<'/'>,
};

/**
 * The files of an app's repository that only Dokku reads, so that a Procfile beside them is deployed
 * with Dokku (whose nginx is then in front of its web process, HOPS.dokku), not Heroku: app.json's
 * `scripts.dokku` (predeploy, postdeploy), a CHECKS file (zero-downtime checks), DOKKU_SCALE (the
 * process counts) and nginx.conf.sigil (the app's own nginx template).
 */
export const DOKKU_FILES: Fact<{
  readonly appJsonKey: 'dokku';
  readonly appJsonTopKeys: readonly string[];
  readonly files: readonly string[];
}> = {
  value: { appJsonKey: 'dokku', appJsonTopKeys: ['healthchecks', 'cron'], files: ['CHECKS', 'DOKKU_SCALE', 'nginx.conf.sigil'] },
  source: {
    url: 'https://github.com/dokku/dokku/blob/3c2a7f23940c70aff11ffd38c63e4e7ff229b8f5/docs/advanced-usage/deployment-tasks.md',
    quote:
      'app.json: "scripts": { "dokku": { "predeploy": …, "postdeploy": … } }; zero-downtime checks are read from a CHECKS file (docs/deployment/zero-downtime-deploys.md), and from 0.31 from the "healthchecks" key of app.json (same page); scheduled tasks from the "cron" key of app.json (docs/processes/scheduled-cron-tasks.md: "cron": [{ "command": …, "schedule": … }]), keys Heroku\'s app.json schema does not have (devcenter.heroku.com/articles/app-json-schema); DOKKU_SCALE (docs/processes/process-management.md); "committing the default configuration template to a file named `nginx.conf.sigil` in the root of the app repository" (docs/networking/proxies/nginx.md)',
  },
};

/**
 * Browsers never use plain HTTP for these platform domains: their top-level domain is on the HSTS
 * preload list built into the browsers (Chromium's transport_security_state_static.json: `app` and
 * `dev`, mode force-https, include_subdomains).
 */
export const HSTS_PRELOADED_SUFFIXES: Fact<readonly string[]> = {
  value: ['.app', '.dev'],
  source: {
    url: 'https://source.chromium.org/chromium/chromium/src/+/main:net/http/transport_security_state_static.json',
    quote: '{ "name": "app", "policy": "public-suffix", "mode": "force-https", "include_subdomains": true }',
  },
};

/**
 * Variables Heroku's Python buildpack sets for every process of an app it builds (not an app built
 * from a Dockerfile, heroku.yml's container stack): gunicorn then takes X-Forwarded-Proto from the
 * router, whatever its address, and logs each request to stdout unless GUNICORN_CMD_ARGS is set.
 */
export const HEROKU_BUILDPACK_ENVIRONMENT: Fact<Readonly<Record<string, string>>> = {
  value: { FORWARDED_ALLOW_IPS: '*', GUNICORN_CMD_ARGS: '--access-logfile -' },
  source: {
    url: 'https://github.com/heroku/heroku-buildpack-python/blob/main/vendor/python.gunicorn.sh',
    quote: `export FORWARDED_ALLOW_IPS='*' … export GUNICORN_CMD_ARGS=\${GUNICORN_CMD_ARGS:-"--access-logfile -"}`,
  },
};

/**
 * An Ingress with a `tls` section ends TLS at the ingress point, whatever serves it (Traefik is the
 * exception: its `tls` section only picks certificates; see HOPS.traefik.tls).
 */
export const KUBERNETES_INGRESS_TLS: Fact<true> = {
  value: true,
  source: {
    url: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls',
    quote:
      'The Ingress resource only supports a single TLS port, 443, and assumes TLS termination at the ingress point (traffic to the Service and its Pods is in plaintext).',
  },
};

/**
 * ingress-nginx's annotations (the `nginx.ingress.kubernetes.io/` prefix) are read by ingress-nginx
 * alone, and an Ingress that names no class is served by the cluster's default IngressClass: an
 * Ingress without ingressClassName or the kubernetes.io/ingress.class annotation that carries them was
 * written for ingress-nginx, which is, in practice, the cluster's default. Presumed, not shown: the
 * default class is the cluster's, not the repository's.
 */
export const INGRESS_NGINX_ANNOTATIONS: Fact<'nginx.ingress.kubernetes.io/'> = {
  value: 'nginx.ingress.kubernetes.io/',
  knob: 'Ingress spec.ingressClassName; the IngressClass annotated ingressclass.kubernetes.io/is-default-class',
  source: {
    url: 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/',
    quote:
      'You can add these Kubernetes annotations to specific Ingress objects to customize their behavior. (annotation keys and values can only be strings; the prefix is nginx.ingress.kubernetes.io); Kubernetes: "If the ingressClassName is omitted, a default Ingress class should be defined." … "any new Ingresses that do not have an ingressClassName specified will be assigned this default IngressClass." (https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class)',
  },
};

/** A Traefik router with a TLS section takes HTTPS requests only: plain HTTP never reaches its service through it. */
export const TRAEFIK_TLS_ROUTER: Fact<true> = {
  value: true,
  source: {
    url: 'https://doc.traefik.io/traefik/v2.11/routing/routers/#tls',
    quote:
      'When a TLS section is specified, it instructs Traefik that the current router is dedicated to HTTPS requests only (and that the router should ignore HTTP (non TLS) requests).',
  },
};

/**
 * A TLS section on an entry point (`entryPoints.<name>.http.tls`) is the TLS configuration of every
 * router attached to it: a router that listens only on entry points with one takes HTTPS requests only.
 */
export const TRAEFIK_TLS_ENTRYPOINT: Fact<true> = {
  value: true,
  knob: "entryPoints.<name>.http.tls (static configuration); a router's entryPoints",
  source: {
    url: 'https://doc.traefik.io/traefik/v2.11/routing/entrypoints/#tls',
    quote: 'This section is about the default TLS configuration applied to all routers associated with the named entry point.',
  },
};

/**
 * A Traefik router takes only the requests its rule matches; `Host(…)` matches the request's Host
 * against the names it lists. A service reached only through routers whose every alternative requires
 * such a Host receives no request for any other host name.
 */
export const TRAEFIK_HOST_RULE: Fact<true> = {
  value: true,
  knob: 'traefik.http.routers.<name>.rule',
  source: {
    url: 'https://doc.traefik.io/traefik/v2.11/routing/routers/#rule',
    quote:
      'Rules are a set of matchers configured with values, that determine if a particular request matches specific criteria. If the rule is verified, the router becomes active, calls middlewares, and then forwards the request to the service. … Host(`example.com`, ...) Check if the request domain (host header value) targets one of the given domains.',
  },
};

/**
 * The Gateway API (gateway.networking.k8s.io): an HTTPRoute rule's RequestRedirect filter answers
 * with a redirect (to https with `scheme: https`) instead of sending the request on; of two rules of
 * a route that match a request alike, the first in list order takes it; a Gateway's listener says
 * the protocol it accepts (HTTP, HTTPS, TLS), and a route attaches to the listeners of its parentRef
 * (the one its sectionName names, else every listener). The API adds no response header of its own;
 * a route adds one with a ResponseHeaderModifier filter. Spec v1.2 (gateway-api.sigs.k8s.io).
 */
export const GATEWAY_API = {
  redirect: {
    value: true,
    source: {
      url: 'https://gateway-api.sigs.k8s.io/reference/spec/#httprequestredirectfilter',
      quote:
        'HTTPRequestRedirect defines a filter that redirects a request. (…) Scheme is the scheme to be used in the value of the Location header in the response.',
    },
  } as Fact<true>,
  firstRuleWins: {
    value: true,
    source: {
      url: 'https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule',
      quote:
        'If ties still exist within an HTTPRoute, matching precedence MUST be granted to the FIRST matching rule (in list order) with a match meeting the above criteria.',
    },
  } as Fact<true>,
  listeners: {
    value: true,
    source: {
      url: 'https://gateway-api.sigs.k8s.io/reference/spec/#parentreference',
      quote:
        'SectionName is the name of a section within the target resource. (…) When unspecified (empty string), this will reference the entire resource.',
    },
  } as Fact<true>,
  headers: {
    value: true,
    source: {
      url: 'https://gateway-api.sigs.k8s.io/reference/spec/#httpheaderfilter',
      quote: 'HTTPHeaderFilter defines a filter that modifies the headers of an HTTP request or response.',
    },
  } as Fact<true>,
} as const;

/**
 * An OpenShift Route (route.openshift.io/v1, and the group-less `v1` of OpenShift 3, `kind: Route`)
 * in front of a Service, served by OpenShift's router (HAProxy, the default Ingress Controller):
 * - `termination`: edge and reencrypt end TLS at the router (the backend gets http, or TLS the
 *   router opens anew); passthrough hands the client's TLS to the pod; no `tls`: plain HTTP only;
 * - `insecurePolicy`: what an edge or reencrypt route does with plain HTTP: Allow serves it,
 *   Redirect redirects it to HTTPS, None (and no policy at all) serves none of it. Older comments of
 *   the API's Go types called Allow the default; the current API reference, OpenShift 3.11's
 *   "Secured routes" (the default policy disables traffic on the insecure scheme) and the router's
 *   own code (an edge or reencrypt route is put on the plain-HTTP port only with Allow) agree on None;
 * - `forwardedHeaders`: the router adds X-Forwarded-Proto (https when the client's connection was
 *   TLS) and Forwarded to every request it passes on, unless the route's
 *   haproxy.router.openshift.io/set-forwarded-headers (or the Ingress Controller's policy) is never;
 * - `hsts`: the router sends Strict-Transport-Security only for an edge or reencrypt route with the
 *   haproxy.router.openshift.io/hsts_header annotation, whose value must hold a max-age (a Route's
 *   httpHeaders cannot set it).
 */
export const OPENSHIFT_ROUTE = {
  termination: {
    value: true,
    knob: 'Route spec.tls.termination (edge, reencrypt, passthrough)',
    source: {
      url: 'https://github.com/openshift/openshift-docs/blob/9d1859217f9224d71864d38e1371309cb4d15906/rest_api/network_apis/route-route-openshift-io-v1.adoc',
      quote:
        'edge - TLS termination is done by the router and http is used to communicate with the backend (default) * passthrough - Traffic is sent straight to the destination without the router providing TLS termination * reencrypt - TLS termination is done by the router and https is used to communicate with the backend',
    },
  } as Fact<true>,
  insecurePolicy: {
    value: 'None',
    knob: 'Route spec.tls.insecureEdgeTerminationPolicy (Allow, None, Redirect)',
    source: {
      url: 'https://github.com/openshift/openshift-docs/blob/9d1859217f9224d71864d38e1371309cb4d15906/rest_api/network_apis/route-route-openshift-io-v1.adoc',
      quote:
        'If a route does not specify insecureEdgeTerminationPolicy, then the default behavior is "None". * Allow - traffic is sent to the server on the insecure port (edge/reencrypt terminations only). * None - no traffic is allowed on the insecure port (default). * Redirect - clients are redirected to the secure port.',
      versions:
        "OpenShift 4 (and 3.11's Secured routes); the router: https://github.com/openshift/router/blob/4b401a86dccc657a8a5254c2794a312241f40e87/pkg/router/template/util/haproxy/map_entry.go (generateHttpMapEntry: an edge or reencrypt route is on the plain-HTTP port only with InsecureEdgeTerminationPolicyAllow)",
    },
  } as Fact<'None'>,
  forwardedHeaders: {
    value: 'append',
    knob: 'Route annotation haproxy.router.openshift.io/set-forwarded-headers (append, replace, if-none, never); IngressController spec.httpHeaders.forwardedHeaderPolicy',
    source: {
      url: 'https://github.com/openshift/router/blob/4b401a86dccc657a8a5254c2794a312241f40e87/images/router/haproxy/conf/haproxy-config.template',
      quote:
        '$setForwardedHeadersDefaultValue := firstMatch $setForwardedHeadersPattern (env "ROUTER_SET_FORWARDED_HEADERS" "append") "append" … {{- if eq $setHeaders "append" }} … http-request add-header X-Forwarded-Proto https if { ssl_fc }; OpenShift\'s Route-specific annotations (modules/nw-route-specific-annotations.adoc): "`append`: appends the header, preserving any existing header. This is the default value."',
    },
  } as Fact<'append'>,
  hsts: {
    value: 'configured',
    knob: 'Route annotation haproxy.router.openshift.io/hsts_header (max-age=…;includeSubDomains;preload)',
    source: {
      url: 'https://github.com/openshift/openshift-docs/blob/00e03047e2ce916f50836bfbc4874e3aae89b7a4/modules/nw-route-specific-annotations.adoc',
      quote:
        '`haproxy.router.openshift.io/hsts_header` | Sets a Strict-Transport-Security header for the edge terminated or re-encrypt route. (the router\'s template: {{- if matchValues (print $cfg.TLSTermination) "edge" "reencrypt" }} {{- with $hsts := firstMatch $hstsPattern (index $cfg.Annotations "haproxy.router.openshift.io/hsts_header") }} http-response set-header Strict-Transport-Security \'{{ $hsts }}\')',
    },
  } as Fact<'configured'>,
} as const;

/**
 * An Ingress on OpenShift: OpenShift's ingress-to-route controller (route-controller-manager) makes
 * a Route of each path of each rule of an Ingress that names no class, or a class whose controller
 * is `openshift.io/ingress-to-route`, served by OpenShift's router (OPENSHIFT_ROUTE says what that
 * does with the Route):
 * - `controller`: the IngressClass controller name it serves; an Ingress naming another class is
 *   left to that class's controller;
 * - `tlsRoute`: the Route has TLS when the Ingress has an empty tls entry (`tls: [{}]`: the
 *   router's default certificate), a tls entry listing the rule's host (its Secret's certificate,
 *   which must exist as a kubernetes.io/tls Secret, or no Route is made), or the
 *   route.openshift.io/termination annotation; then its termination is edge (reencrypt or
 *   passthrough by that annotation) and its insecureEdgeTerminationPolicy Redirect: plain HTTP is
 *   redirected to HTTPS. Without TLS the Route is insecure (plain HTTP only);
 * - `annotations`: the Route carries the Ingress's annotations (haproxy.router.openshift.io/hsts_header among them);
 * - `deployments`: what shows a repository deploys to OpenShift: objects of APIs only OpenShift
 *   serves (a DeploymentConfig, BuildConfig, ImageStream or Route) and images pulled from
 *   OpenShift's internal registry.
 */
export const OPENSHIFT_INGRESS_TO_ROUTE = {
  controller: {
    value: 'openshift.io/ingress-to-route',
    knob: 'Ingress spec.ingressClassName or the kubernetes.io/ingress.class annotation',
    source: {
      url: 'https://github.com/openshift/route-controller-manager/blob/82ac10941b31083d5cf4098b6145d19e01daa6f5/pkg/route/ingress/ingress.go',
      quote:
        'If the ingress specifies an ingressclass and the ingressclass does not specify openshift.io/ingress-to-route as its controller, ignore the ingress. (ingressManaged: … if ingressClassName != nil { … if ingressclass.Spec.Controller != routev1.IngressToRouteIngressClassControllerName { return false, nil } } return true, nil)',
    },
  } as Fact<'openshift.io/ingress-to-route'>,
  tlsRoute: {
    value: { termination: 'edge', insecurePolicy: 'Redirect' },
    knob: 'Ingress spec.tls (an empty entry `- {}`, or hosts with a kubernetes.io/tls secretName); annotation route.openshift.io/termination (edge, passthrough, reencrypt)',
    source: {
      url: 'https://github.com/openshift/route-controller-manager/blob/82ac10941b31083d5cf4098b6145d19e01daa6f5/pkg/route/ingress/ingress.go',
      quote:
        'tlsConfigForIngress: if !tlsEnabled(ingress, rule, potentiallyNilTLSSecret) { return nil, false } … terminationPolicy := terminationPolicyForIngress(ingress) tlsConfig := &routev1.TLSConfig{ Termination: terminationPolicy, InsecureEdgeTerminationPolicy: routev1.InsecureEdgeTerminationPolicyRedirect, } (terminationPolicyForIngress: passthrough or reencrypt by the annotation, default: routev1.TLSTerminationEdge; tlsEnabled: the termination annotation, a valid TLS secret referenced for the rule host, or an entry reflect.DeepEqual(tls, emptyTLS)); OpenShift\'s "Creating a route using the default certificate through an Ingress object" (https://github.com/openshift/openshift-docs/blob/9986718d6615305509de6177375cffa6b25273c2/modules/nw-ingress-edge-route-default-certificate.adoc): "If you create an Ingress object without specifying any TLS configuration, {product-title} generates an insecure route. To create an Ingress object that generates a secure, edge-terminated route using the default ingress certificate, you can specify an empty TLS configuration" … "tls: insecureEdgeTerminationPolicy: Redirect termination: edge"',
      versions: 'OpenShift 4 (route-controller-manager; openshift-docs "Creating a route through an Ingress object")',
    },
  } as Fact<{ readonly termination: 'edge'; readonly insecurePolicy: 'Redirect' }>,
  annotations: {
    value: true,
    source: {
      url: 'https://github.com/openshift/route-controller-manager/blob/82ac10941b31083d5cf4098b6145d19e01daa6f5/pkg/route/ingress/ingress.go',
      quote:
        'newRouteForIngress: return &routev1.Route{ ObjectMeta: metav1.ObjectMeta{ GenerateName: ingress.Name + "-", … Annotations: ingress.Annotations,',
    },
  } as Fact<true>,
  deployments: {
    value: {
      kinds: {
        DeploymentConfig: ['apps.openshift.io/v1', 'v1'],
        BuildConfig: ['build.openshift.io/v1', 'v1'],
        ImageStream: ['image.openshift.io/v1', 'v1'],
        Route: ['route.openshift.io/v1', 'v1'],
      },
      registry: 'image-registry.openshift-image-registry.svc',
    },
    source: {
      url: 'https://github.com/openshift/openshift-docs/blob/f86dac4e359573e49573ddb79b89c5a745cecf5b/modules/registry-accessing-directly.adoc',
      quote:
        '"Accessing registry directly from the cluster": podman login -u kubeadmin -p $(oc whoami -t) image-registry.openshift-image-registry.svc:5000; the OpenShift API groups apps.openshift.io (DeploymentConfig), build.openshift.io (BuildConfig), image.openshift.io (ImageStream), route.openshift.io (Route) of the OpenShift REST API reference (rest_api/ in openshift-docs), served by OpenShift\'s API server only (the group-less v1 of OpenShift 3 in old templates)',
    },
  } as Fact<{
    readonly kinds: Readonly<Record<string, readonly string[]>>;
    readonly registry: string;
  }>,
} as const;

/**
 * nginx answers a request from an `internal` location only on an internal redirect (the app's
 * X-Accel-Redirect), and then keeps these headers of the app's response (ngx_http_upstream.c, the
 * headers_in table's `redirect` flag): the app, not the file's extension, sets the served file's
 * Content-Type and Content-Disposition.
 */
export const NGINX_X_ACCEL_KEEPS: Fact<readonly string[]> = {
  value: ['Content-Type', 'Content-Disposition', 'Set-Cookie', 'Cache-Control', 'Expires', 'Accept-Ranges'],
  source: {
    url: 'https://github.com/nginx/nginx/blob/release-1.26.0/src/http/ngx_http_upstream.c',
    quote:
      '{ ngx_string("Content-Disposition"), ngx_http_upstream_ignore_header_line, 0, ngx_http_upstream_copy_header_line, 0, 1 } (the last field: redirect); "internal: Specifies that a given location can only be used for internal requests" (ngx_http_core_module)',
  },
};

/**
 * Labels that mark an ingress controller's pods or namespace, as its own deployment writes them: a
 * NetworkPolicy whose every ingress peer carries one lets only that controller reach the pods it
 * selects (models of DDG110's "only a proxy can reach it"). ingress-nginx's manifests label the
 * controller's pods and namespace `app.kubernetes.io/name: ingress-nginx`, and install it in the
 * namespace `ingress-nginx`, which Kubernetes labels `kubernetes.io/metadata.name: ingress-nginx`;
 * Traefik's chart labels its pods `app.kubernetes.io/name: traefik`.
 */
export const INGRESS_CONTROLLER_LABELS: Fact<Readonly<Record<string, readonly string[]>>> = {
  value: {
    'app.kubernetes.io/name': ['ingress-nginx', 'traefik'],
    'kubernetes.io/metadata.name': ['ingress-nginx', 'traefik'],
  },
  source: {
    url: 'https://github.com/kubernetes/ingress-nginx/blob/controller-v1.9.5/deploy/static/provider/cloud/deploy.yaml',
    quote:
      'kind: Namespace … labels: app.kubernetes.io/instance: ingress-nginx, app.kubernetes.io/name: ingress-nginx … name: ingress-nginx (and the controller Deployment\'s pod template: app.kubernetes.io/component: controller, app.kubernetes.io/name: ingress-nginx); Kubernetes: "The Kubernetes control plane sets an immutable label kubernetes.io/metadata.name on all namespaces. The value of the label is the namespace name." (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#automatic-labelling); Traefik\'s chart: app.kubernetes.io/name: traefik (https://github.com/traefik/traefik-helm-chart/blob/v26.0.0/traefik/templates/_helpers.tpl)',
  },
};

/**
 * A NetworkPolicy is enforced by the cluster's network plugin, and only by one that supports
 * NetworkPolicies: whether it holds is the cluster's, not the repository's.
 */
export const NETWORK_POLICY_ENFORCEMENT: Fact<'network-plugin'> = {
  value: 'network-plugin',
  knob: "the cluster's network plugin (Calico, Cilium…)",
  source: {
    url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
    quote:
      'Network policies are implemented by the network plugin. To use network policies, you must be using a networking solution which supports NetworkPolicy. Creating a NetworkPolicy resource without a controller that implements it will have no effect.',
  },
};

/**
 * A Service of type ClusterIP (the default when `type` is not written) is reachable only from inside
 * the cluster: a pod whose every Service is one, with no `hostPort` on its containers, no
 * `hostNetwork` and no NodePort or LoadBalancer Service (nor a Service's `externalIPs`) selecting it,
 * is reached only by the cluster's pods (and, where the cluster's network routes pod addresses from
 * outside it, which the repository does not show, from there: said at information). The kinds that
 * keep that: `value`.
 */
export const CLUSTER_INTERNAL_SERVICE: Fact<readonly string[]> = {
  value: ['ClusterIP'],
  knob: "the Service's `spec.type` (ClusterIP, NodePort, LoadBalancer, ExternalName), `spec.externalIPs`, a container's `ports[].hostPort`, the pod's `hostNetwork`",
  source: {
    url: 'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
    quote:
      "ClusterIP: Exposes the Service on a cluster-internal IP. Choosing this value makes the Service only reachable from within the cluster. This is the default that is used if you don't explicitly specify a type for a Service.",
  },
};

/**
 * Images of reverse proxies and web servers, by their repository's last part (the official images'
 * names: nginx, caddy, traefik, haproxy, httpd…): a container running one is a proxy, not the app,
 * and a Dockerfile FROM one builds the proxy's image.
 */
export const PROXY_IMAGE =
  /(^|\/)(nginx|nginx-unprivileged|openresty|caddy|traefik|haproxy|envoy|httpd|apache|nginx-proxy|swag|h2o|varnish)(:|@|$)/i;

/** Whether a label of a NetworkPolicy peer names an ingress controller (INGRESS_CONTROLLER_LABELS). */
export function isIngressControllerLabel(key: string, value: string | undefined): boolean {
  return value !== undefined && (INGRESS_CONTROLLER_LABELS.value[key] ?? []).includes(value);
}
