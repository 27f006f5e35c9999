// DDX202: `server_tokens on;` (or `build`) written in a configuration: nginx names its version in
// every error page and Server header.
import type { Rule } from '../types';
import { noNginx, serverDirectives } from './shared';

export const serverTokens: Rule = {
  code: 'DDX202',
  name: 'nginx-server-tokens-on',
  title: 'nginx shows its version',
  severity: 'information',
  group: 'proxy',
  checklist: 'proxy-tls',
  target: 'project',
  fixSafety: 'safe',
  docs: {
    what: 'Reports `server_tokens on;` (or `build`) written in an nginx configuration of the project, in a server or in a block around it.',
    why: "The Server header and nginx's error pages then carry the exact version (`nginx/1.22.1`), which tells a scanner which published vulnerabilities to try. Hiding it fixes nothing by itself but gives nothing away.",
    example: 'http {\n    server_tokens on;\n}',
    fix: 'Write `server_tokens off;` (the quick fix does).',
    good: 'server_tokens off;',
    references: [{ title: 'nginx: server_tokens', url: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens' }],
  },
  check(ctx) {
    if (noNginx(ctx)) return;
    for (const { directive: d } of serverDirectives(ctx)) {
      const v = d.args[0];
      if (d.name !== 'server_tokens' || !v || (v.text !== 'on' && v.text !== 'build')) continue;
      ctx.report({
        loc: v.loc,
        message: `server_tokens ${v.text}: nginx names its version in every response's Server header and error page; write server_tokens off.`,
        fixes: ctx.wantsFixes
          ? [{ title: 'Write server_tokens off', safety: 'safe', preferred: true, edits: [{ ...v.loc, newText: 'off' }] }]
          : [],
      });
    }
  },
};
