// DDX117: SECURE_PROXY_SSL_HEADER trusts a header that the nginx in front passes on from the client
// (it neither sets nor clears it), so a client decides whether Django takes a request for https.
import { proxySslHeaderUse } from '../../models/settings/proxySslHeader';
import { lookup, proxyHeader, servesTls, uwsgiParam } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { addDirectiveFix, headerOfMetaKey, noProxy, proxiedLocations, serverLabel, tiesOf } from './shared';

export const schemeFromClient: Rule = {
  code: 'DDX117',
  name: 'proxy-ssl-header-from-client',
  title: 'SECURE_PROXY_SSL_HEADER trusts a header the client chooses',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Reports an nginx location that hands requests to the project's app (`proxy_pass`, or `uwsgi_pass` to uWSGI) without setting the header the production `SECURE_PROXY_SSL_HEADER` names (`proxy_set_header X-Forwarded-Proto $scheme;`, or `uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;`; its own or inherited, `include proxy_params;` counts): nginx passes request headers it does not set itself, so the client's own reaches Django. Only a server that takes plain HTTP is reported (one that takes only TLS hands on https requests whatever the header says): a warning where the same server also ends TLS (it is the edge: the client talks to nginx directly), information where it listens only on plain HTTP, since a load balancer in front of it may set the header (then nginx must pass it on). A header setting Django can never match as written — a second item that is not a string, such as django-environ's `env.tuple(..., default=(\"HTTP_X_FORWARDED_PROTO\", None))` — makes no request https whatever a client sends, so nothing is reported (DDH206 reports the value; a value the deployment's variable gives instead is not in the repository). A setting or an include the analysis cannot read leaves the rule unknown.",
    why: "SECURE_PROXY_SSL_HEADER tells Django to believe that a request came over https when the header says so. Only a proxy that sets the header on every request makes that true: when nginx passes on whatever the client sent, a client on plain HTTP sends `X-Forwarded-Proto: https` and Django takes the request for a secure one — no redirect to https, secure cookies set over plain HTTP, https absolute URLs for an http page. Django's documentation: make sure the proxy strips the header from incoming requests, or sets it.",
    example:
      "# settings: SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')\nlocation / {\n    proxy_set_header Host $host;\n    proxy_pass http://127.0.0.1:8000;\n}",
    fix: "Set the header in every location that hands requests to the app: `proxy_set_header X-Forwarded-Proto $scheme;` (the quick fix adds it beside the location's other `proxy_set_header` lines), or for uWSGI `uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;`. Behind a load balancer that sets it, pass the balancer's value on, and make sure only the balancer can reach nginx.",
    good: 'location / {\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
      { title: 'nginx: proxy_set_header', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header' },
      {
        title: 'nginx: uwsgi_pass_request_headers',
        url: 'https://nginx.org/en/docs/http/ngx_http_uwsgi_module.html#uwsgi_pass_request_headers',
      },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    const uwsgi = tiesOf(ctx).uses.filter((u) => u.tie.state === 'app' && u.use.nginx?.proxyPass.name === 'uwsgi_pass');
    if (uwsgi.length === 0 && noProxy(ctx, proxied)) return;
    const q = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    if (q.state === 'unset' || q.value.kind === 'none')
      return ctx.notApplicable('SECURE_PROXY_SSL_HEADER is not set: Django reads no header for the scheme');
    const use = proxySslHeaderUse(q.value);
    if (use.state === 'off') return ctx.notApplicable('SECURE_PROXY_SSL_HEADER is off: Django reads no header for the scheme');
    if (use.state === 'unknown') return ctx.unknown(use.reason);
    // as written it spoofs nothing; a value the deployment's variable gives instead is not in the repository (DDH206 reports this one)
    if (use.state === 'never-https')
      return ctx.notApplicable(
        `SECURE_PROXY_SSL_HEADER never makes a request https as written: ${use.why}${q.state === 'overridable' ? ` (unless ${q.overriddenBy[0]?.name ?? 'the deployment'} replaces it)` : ''}`,
      );
    const key = use.key;
    const header = headerOfMetaKey(key);
    if (!header) return ctx.notApplicable(`SECURE_PROXY_SSL_HEADER names ${key}, which is not a request header`);
    let unknown: string | undefined;
    const reported = new Set<string>();
    const places = [
      ...proxied.map((p) => ({ ...p, via: 'proxy' as const })),
      ...uwsgi.map((u) => ({ ...u.use.nginx!, via: 'uwsgi' as const })),
    ];
    for (const p of places) {
      const set = p.via === 'proxy' ? proxyHeader(p.location.scope, header) : uwsgiParam(p.location.scope, key);
      if (set.state === 'unknown') {
        unknown ??= set.reason;
        continue;
      }
      if (set.state === 'set') continue;
      // uWSGI: nginx passes no request headers when told not to
      if (p.via === 'uwsgi') {
        const pass = lookup(p.location.scope, 'uwsgi_pass_request_headers');
        if (pass.state === 'unknown') {
          unknown ??= pass.reason;
          continue;
        }
        if (pass.state === 'set' && pass.directives[pass.directives.length - 1]!.args[0]?.text === 'off') continue;
      }
      // a server that takes only TLS: every request it hands on is https, whatever the header says
      const plain = p.server.listens.length === 0 || p.server.listens.some((l) => !l.ssl);
      if (!plain) continue;
      const at = `${p.proxyPass.loc.file}:${p.proxyPass.loc.start}`;
      if (reported.has(at)) continue;
      reported.add(at);
      const tls = servesTls(p.server);
      const fix =
        p.via === 'proxy'
          ? addDirectiveFix(
              ctx,
              p.location,
              p.proxyPass,
              'proxy_set_header',
              `proxy_set_header ${header} $scheme;`,
              `Add proxy_set_header ${header} $scheme;`,
            )
          : addDirectiveFix(ctx, p.location, p.proxyPass, 'uwsgi_param', `uwsgi_param ${key} $scheme;`, `Add uwsgi_param ${key} $scheme;`);
      ctx.report({
        loc: p.proxyPass.nameLoc,
        severity: tls ? 'warning' : 'information',
        message: `${serverLabel(ctx, p.server)} hands plain-HTTP requests to the app here without setting ${p.via === 'uwsgi' ? `${key} (uwsgi_param)` : header}, so the client's own reaches Django, which takes a request for https when it says so (SECURE_PROXY_SSL_HEADER): ${tls ? 'a client on plain HTTP decides that its request is secure' : 'unless a load balancer in front of nginx sets it, a client on plain HTTP decides that its request is secure'}; set it to $scheme here.`,
        fixes: fix ? [fix] : [],
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
