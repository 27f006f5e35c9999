// docs/hops.md: the catalogue of what each hop between the browser and Django does by default
// (catalogue/hops.ts), with the vendor's words and page for each fact. scripts/gen-docs.mjs writes
// it; a test fails when it drifts from the catalogue.
import {
  CADDY_CATCH_ALL_REDIRECT,
  CADDY_HOSTLESS_NO_CERTIFICATE,
  CADDY_LOCAL_SITES,
  type Fact,
  FLY_PRIVATE_NETWORK,
  FLY_SERVICE_HANDLERS,
  HOPS,
  HSTS_PRELOADED_SUFFIXES,
  type HopDefaults,
  type Hsts,
  INGRESS_NGINX_ANNOTATIONS,
  NGINX_IMAGE_ACCESS_LOG,
  OPENSHIFT_INGRESS_TO_ROUTE,
  OPENSHIFT_ROUTE,
  TRAEFIK_HOST_RULE,
  TRAEFIK_TLS_ENTRYPOINT,
  TRAEFIK_TLS_ROUTER,
  UWSGI_SCHEME_VARIABLES,
  WHITENOISE_STATIC,
} from '../catalogue/hops';

const WHEN: Record<string, string> = {
  always: 'yes',
  'with-tls': 'when the configuration has TLS for the host',
  configured: 'only when configured',
  never: 'no',
  unknown: 'not documented',
};

function shown(v: unknown): string {
  if (v === null) return 'no limit';
  if (v === true) return 'yes';
  if (v === false) return 'no';
  if (v === 'plan') return 'on some plans';
  if (v === 'set') return 'set by the hop (a client’s value is replaced)';
  if (v === 'passes-client') return 'the client’s, passed on unchanged';
  if (v === 'absent') return 'not sent';
  if (v === 'client') return 'the client’s Host';
  if (v === 'upstream') return 'the upstream’s name';
  if (v === 'none') return 'not sent';
  if (typeof v === 'string') return WHEN[v] ?? v;
  if (typeof v === 'object' && v && 'maxAge' in v) {
    const h = v as Hsts;
    return `max-age=${h.maxAge}${h.includeSubDomains ? '; includeSubDomains' : ''}${h.preload ? '; preload' : ''}`;
  }
  return String(v);
}

function row(what: string, f: Fact<unknown>, unit = ''): string {
  const value = typeof f.value === 'number' ? `${f.value}${unit}` : shown(f.value);
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const quote = f.source.quote.startsWith('(') ? f.source.quote : `“${f.source.quote}”`;
  return `| ${what} | ${cell(value)} | ${cell(f.knob ?? '')} | ${cell(quote)} [source](${f.source.url})${f.source.versions ? ` (${cell(f.source.versions)})` : ''} |`;
}

function hopSection(h: HopDefaults): string {
  return [
    `## ${h.name} (\`${h.kind}\`)`,
    '| what | by default | changed by | source |',
    '|---|---|---|---|',
    row('terminates TLS', h.tls),
    row('redirects HTTP to HTTPS', h.httpsRedirect),
    ...(h.kind === 'caddy'
      ? [
          row('redirects HTTP for a TLS site without a host name (:443, on-demand TLS)', CADDY_CATCH_ALL_REDIRECT),
          row('gets no certificate for a site whose addresses name no host (:80, :443) and no tls', CADDY_HOSTLESS_NO_CERTIFICATE),
          row('a site only a developer’s machine reaches (not a hop of production’s path)', {
            ...CADDY_LOCAL_SITES,
            value: CADDY_LOCAL_SITES.value.join(', '),
          }),
        ]
      : []),
    ...(h.kind === 'ingress-nginx'
      ? [
          row(
            'serves an Ingress with no class whose annotations are its own (presumed: the cluster’s default class)',
            INGRESS_NGINX_ANNOTATIONS,
          ),
        ]
      : []),
    ...(h.kind === 'traefik'
      ? [
          row('a router with a TLS section takes HTTPS requests only', TRAEFIK_TLS_ROUTER),
          row('a router on entry points that all have TLS takes HTTPS requests only', TRAEFIK_TLS_ENTRYPOINT),
          row('a router whose rule requires Host(…) takes only those host names', TRAEFIK_HOST_RULE),
        ]
      : []),
    ...(h.kind === 'fly'
      ? [
          row('[[services]]: ends TLS on a port with the tls handler; force_https redirects on a port the http handler answers', {
            ...FLY_SERVICE_HANDLERS,
            value: `handlers ${FLY_SERVICE_HANDLERS.value.tls}, ${FLY_SERVICE_HANDLERS.value.http}`,
          }),
          row('private network names (only the organisation’s machines reach them)', {
            ...FLY_PRIVATE_NETWORK,
            value: FLY_PRIVATE_NETWORK.value.join(', '),
          }),
        ]
      : []),
    ...(h.kind === 'nginx'
      ? [
          row('the scheme uWSGI gives the app behind uwsgi_pass', {
            ...UWSGI_SCHEME_VARIABLES,
            value: `${UWSGI_SCHEME_VARIABLES.value.scheme}, else ${UWSGI_SCHEME_VARIABLES.value.https}`,
          }),
        ]
      : []),
    row('sends HSTS', h.hsts),
    row('X-Forwarded-Proto towards the app', h.forwardedProto),
    row('X-Forwarded-Host towards the app', h.forwardedHost),
    row('Host towards the app', h.host),
    row('logs each request', h.accessLog),
    ...(h.kind === 'nginx' ? [row('the official image’s access log', NGINX_IMAGE_ACCESS_LOG)] : []),
    row('largest request body', h.bodyLimit, ' bytes'),
    row('waits for the app', h.readTimeout, ' s'),
    row('serves static files itself', h.staticFiles),
    ...(h.routesByHost ? [row('hands the app only its own host names', h.routesByHost)] : []),
  ].join('\n');
}

/** OpenShift's router: a Route, and an Ingress its ingress-to-route controller makes a Route. */
function openShiftSection(): string {
  const r = OPENSHIFT_ROUTE;
  const c = OPENSHIFT_INGRESS_TO_ROUTE;
  const d = c.deployments.value;
  return [
    "## OpenShift's router (a Route, or an Ingress made a Route)",
    '| what | by default | changed by | source |',
    '|---|---|---|---|',
    row('a Route with tls ends TLS at the router (edge, reencrypt)', r.termination),
    row('what a Route with tls does with plain HTTP (insecureEdgeTerminationPolicy)', r.insecurePolicy),
    row('X-Forwarded-Proto towards the app', r.forwardedHeaders),
    row('sends HSTS', r.hsts),
    row('makes a Route of an Ingress with no class, or of this IngressClass controller', c.controller),
    row("the Route of an Ingress's rule with TLS (an empty tls entry, a tls entry listing its host, or the termination annotation)", {
      ...c.tlsRoute,
      value: `termination ${c.tlsRoute.value.termination}, insecureEdgeTerminationPolicy ${c.tlsRoute.value.insecurePolicy}`,
    }),
    row("the Route carries the Ingress's annotations", c.annotations),
    row('what shows a repository deploys to OpenShift', {
      ...c.deployments,
      value: `${Object.keys(d.kinds).join(', ')}; images of ${d.registry}`,
    }),
  ].join('\n');
}

export function renderHopsMarkdown(): string {
  const w = WHITENOISE_STATIC;
  return `${[
    '<!-- Generated by scripts/gen-docs.mjs from server/src/analysis/catalogue/hops.ts. Do not edit by hand. -->',
    '# What each hop in front of Django does by default',
    'The request-path model reads these facts when a hop’s configuration says nothing: a finding that asks Django for a protection a hop provides names the hop and drops to information; a fact the vendor does not document is “not documented”, and a rule that depends on it says it cannot tell.',
    ...Object.values(HOPS).map(hopSection),
    openShiftSection(),
    [
      '## What WhiteNoise adds to the static files it serves',
      '| what | by default | changed by | source |',
      '|---|---|---|---|',
      row('Access-Control-Allow-Origin: *', w.allowAllOrigins),
      row('Cache-Control max-age of files without a content hash', w.maxAge, ' s'),
      row('Cache-Control max-age of hashed files (immutable)', w.hashedMaxAge, ' s'),
      row('answers before the middleware listed after it', w.answersBeforeLaterMiddleware),
    ].join('\n'),
    [
      '## Platform domains browsers only reach over HTTPS',
      '| what | value | | source |',
      '|---|---|---|---|',
      row('HSTS-preloaded top-level domains', { ...HSTS_PRELOADED_SUFFIXES, value: HSTS_PRELOADED_SUFFIXES.value.join(', ') }),
    ].join('\n'),
  ].join('\n\n')}\n`;
}
