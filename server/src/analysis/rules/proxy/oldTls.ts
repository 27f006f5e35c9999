// DDX203: ssl_protocols enabling SSLv3, TLS 1.0 or TLS 1.1.
import type { Rule } from '../types';
import { noNginx, serverDirectives } from './shared';

const OLD = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

export const oldTls: Rule = {
  code: 'DDX203',
  name: 'nginx-old-tls-protocols',
  title: 'nginx enables TLS 1.0 or 1.1',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-tls',
  target: 'project',
  fixSafety: 'unsafe',
  docs: {
    what: "Reports an `ssl_protocols` directive of the project's nginx configuration that enables SSLv3, TLS 1.0 or TLS 1.1 (`TLSv1`, `TLSv1.1`).",
    why: 'TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and CBC constructions with known attacks (BEAST, POODLE against SSLv3), every current browser has dropped them, and PCI DSS forbids them. Leaving them on only lets an attacker in the middle downgrade a connection.',
    example: 'ssl_protocols TLSv1 TLSv1.1 TLSv1.2;',
    fix: 'Enable TLS 1.2 and 1.3 only: `ssl_protocols TLSv1.2 TLSv1.3;`. The quick fix writes it; it is unsafe because very old clients (Android 4.3, IE 10 and older) can no longer connect.',
    good: 'ssl_protocols TLSv1.2 TLSv1.3;',
    references: [
      { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
      { title: 'Mozilla SSL Configuration Generator', url: 'https://ssl-config.mozilla.org/' },
      { title: 'nginx: ssl_protocols', url: 'https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_protocols' },
    ],
  },
  check(ctx) {
    if (noNginx(ctx)) return;
    for (const { directive: d } of serverDirectives(ctx)) {
      if (d.name !== 'ssl_protocols') continue;
      const old = d.args.filter((a) => OLD.has(a.text));
      if (old.length === 0 || d.args.length === 0) continue;
      const first = d.args[0]!.loc;
      const last = d.args[d.args.length - 1]!.loc;
      ctx.report({
        loc: old[0]!.loc,
        message: `ssl_protocols enables ${old.map((a) => a.text).join(', ')}: deprecated protocols that let a connection be downgraded; enable TLSv1.2 and TLSv1.3 only.`,
        fixes: ctx.wantsFixes
          ? [
              {
                title: 'Write ssl_protocols TLSv1.2 TLSv1.3',
                safety: 'unsafe',
                edits: [{ file: first.file, start: first.start, end: last.end, newText: 'TLSv1.2 TLSv1.3' }],
              },
            ]
          : [],
      });
    }
  },
};
