// DDX103: nginx's client_max_body_size (1 MB unless set) below the request bodies Django is
// configured to accept: nginx answers 413 before Django sees the request.
import { lookup, websocketOnly } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { addDirectiveFix, nginxSize, noProxy, proxiedLocations, serverLabel } from './shared';

const NGINX_DEFAULT = 1024 * 1024;

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${mb.toFixed(1)} MB`;
}

export const bodyTooSmall: Rule = {
  code: 'DDX103',
  name: 'proxy-body-limit-below-django',
  title: "The proxy's body size limit is below what Django accepts",
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "Reports an nginx location that proxies to the app whose `client_max_body_size` (its own or inherited; nginx's default is 1 MB, `0` means no limit) is below the production `DATA_UPLOAD_MAX_MEMORY_SIZE` when the settings raise it themselves (Django's default of 2.5 MB says nothing about what the site expects, and `None` turns Django's check off without naming a size). A setting the analysis cannot read, or a size nginx writes with a variable, makes the rule unknown. Not reported for a WebSocket-only location (`proxy_set_header Upgrade $http_upgrade` with a literal `Connection \"upgrade\"`): no page, form post or upload goes through it.",
    why: 'Raising DATA_UPLOAD_MAX_MEMORY_SIZE says the site expects request bodies that large (big forms, JSON, base64 payloads). nginx checks the body first: anything above its limit gets "413 Request Entity Too Large" from nginx, Django never sees it, and nothing in Django\'s logs says why.',
    example:
      '# settings: DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024\nlocation / {\n    proxy_pass http://127.0.0.1:8000;  # client_max_body_size: 1m by default\n}',
    fix: "Set `client_max_body_size` at least as large as DATA_UPLOAD_MAX_MEMORY_SIZE (plus room for file uploads, which Django does not count there) in the server or the location that proxies to the app. The quick fix sets it to the setting's size, rounded up to whole megabytes, in the location (or changes the value written).",
    good: 'location / {\n    client_max_body_size 20m;\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      { title: 'nginx: client_max_body_size', url: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size' },
      {
        title: 'Django: DATA_UPLOAD_MAX_MEMORY_SIZE',
        url: 'https://docs.djangoproject.com/en/stable/ref/settings/#data-upload-max-memory-size',
      },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const q = ctx.settings.query('DATA_UPLOAD_MAX_MEMORY_SIZE');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    if (q.state === 'unset') return ctx.notApplicable("DATA_UPLOAD_MAX_MEMORY_SIZE is Django's default");
    if (q.value.kind !== 'int' || q.value.v <= 0) return ctx.notApplicable('DATA_UPLOAD_MAX_MEMORY_SIZE names no size');
    const wanted = q.value.v;
    const reported = new Set<string>();
    let unknown: string | undefined;
    for (const p of proxied) {
      // (a WebSocket-only location carries no page, form post or upload)
      if (websocketOnly(p.location.scope)) continue;
      const l = lookup(p.location.scope, 'client_max_body_size');
      if (l.state === 'unknown') {
        unknown ??= l.reason;
        continue;
      }
      const d = l.state === 'set' ? l.directives[l.directives.length - 1]! : undefined;
      const limit = d ? nginxSize(d.args[0]?.text ?? '') : NGINX_DEFAULT;
      if (limit === undefined) {
        unknown ??= `client_max_body_size ${d?.args[0]?.text ?? ''} cannot be read`;
        continue;
      }
      if (limit === 0 || limit >= wanted) continue;
      const loc = d && d.stock === undefined ? d.args[0]!.loc : p.proxyPass.nameLoc;
      const key = `${loc.file}:${loc.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const size = `${Math.ceil(wanted / (1024 * 1024))}m`;
      const fix =
        d && d.stock === undefined
          ? ctx.wantsFixes
            ? {
                title: `Set client_max_body_size ${size}`,
                safety: 'safe' as const,
                preferred: true,
                edits: [{ ...d.args[0]!.loc, newText: size }],
              }
            : undefined
          : addDirectiveFix(
              ctx,
              p.location,
              p.proxyPass,
              'client_max_body_size',
              `client_max_body_size ${size};`,
              `Add client_max_body_size ${size};`,
            );
      ctx.report({
        loc,
        message: `${serverLabel(ctx, p.server)} accepts request bodies up to ${megabytes(limit)}${d ? '' : " (nginx's default)"} where it proxies to the app, but DATA_UPLOAD_MAX_MEMORY_SIZE accepts ${megabytes(wanted)}: larger requests get 413 from nginx before Django sees them.`,
        fixes: fix ? [fix] : [],
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
