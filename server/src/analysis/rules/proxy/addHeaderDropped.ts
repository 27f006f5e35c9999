// DDX204: a location with an add_header of its own drops the security headers its server (or http
// block) adds: nginx inherits add_header only into blocks that have none.
import { allLocations, lookup } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { noNginx, proxyModel } from './shared';

const SECURITY = new Set([
  'strict-transport-security',
  'x-frame-options',
  'x-content-type-options',
  'content-security-policy',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
]);

export const addHeaderDropped: Rule = {
  code: 'DDX204',
  name: 'nginx-add-header-drops-outer',
  title: "A location's add_header drops the server's security headers",
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-tls',
  target: 'project',
  docs: {
    what: "Reports an nginx `location` (or nested location) with an `add_header` of its own when a block around it adds security headers (Strict-Transport-Security, X-Frame-Options, X-Content-Type-Options, Content-Security-Policy, Referrer-Policy, Permissions-Policy, Cross-Origin-Opener-Policy) that the location does not add again (gixy's add_header_redefinition).",
    why: 'nginx inherits `add_header` from the outer block only into blocks that have no `add_header` at all. One `add_header Cache-Control …` in `location /static/` silently removes HSTS, the frame and nosniff headers from every response of that location, although the server block seems to send them everywhere.',
    example:
      'server {\n    add_header Strict-Transport-Security "max-age=31536000" always;\n    location /static/ {\n        add_header Cache-Control "public";\n    }\n}',
    fix: "Repeat the outer security headers in the location (an `include snippets/security-headers.conf;` in both places keeps them in one file), or set the location's header another way (`expires`).",
    good: 'location /static/ {\n    include snippets/security-headers.conf;\n    add_header Cache-Control "public";\n}',
    references: [
      { title: 'nginx: add_header (inheritance)', url: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header' },
      {
        title: 'gixy: add_header redefinition',
        url: 'https://github.com/yandex/gixy/blob/master/docs/en/plugins/addheaderredefinition.md',
      },
    ],
  },
  check(ctx) {
    if (noNginx(ctx)) return;
    for (const config of proxyModel(ctx).nginx)
      for (const server of config.servers)
        for (const l of allLocations(server)) {
          if (l.scope.opaque) continue;
          const own = l.scope.directives.filter((d) => d.name === 'add_header' && !d.block);
          if (own.length === 0 || !l.scope.parent) continue;
          const outer = lookup(l.scope.parent, 'add_header');
          if (outer.state !== 'set') continue;
          const mine = new Set(own.map((d) => d.args[0]?.text.toLowerCase()));
          const lost = outer.directives
            .map((d) => d.args[0]?.text ?? '')
            .filter((h) => SECURITY.has(h.toLowerCase()) && !mine.has(h.toLowerCase()));
          if (lost.length === 0) continue;
          ctx.report({
            loc: own[0]!.nameLoc,
            message: `location ${l.path} has an add_header of its own, so nginx drops the outer block's ${lost.join(', ')} from its responses; repeat them here.`,
          });
        }
  },
};
