// DDX200: an nginx configuration nginx refuses to load (its grammar: a missing `;`, an unbalanced
// brace, a quote left open).
import type { Rule } from '../types';
import { isCaddyfile } from '../../readers/proxy/configs';
import { proxyModel } from './shared';

export const nginxSyntaxError: Rule = {
  code: 'DDX200',
  name: 'nginx-syntax-error',
  title: 'nginx cannot read this configuration',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'project',
  docs: {
    what: "Reports the first grammar error of an nginx configuration file of the project (a `.conf` file with \"nginx\" in its name or in a folder's name; a Caddyfile likewise, with the reader's message) with nginx's own message: an unexpected `;`, `{` or `}`, a block left open, a quote left open, a block directive without its block. The reader follows nginx's tokenizer; the proxy stage of the tests checks its verdicts against `nginx -t`. The other proxy rules read nothing of a file with such an error.",
    why: '`nginx -t` fails, the reload is refused (the old configuration stays) or, on a fresh server, nginx does not start: the change never reaches production, or the site is down.',
    example: 'location / {\n    proxy_pass http://127.0.0.1:8000\n}',
    fix: 'Correct the file where the message says (a missing `;` is reported on the next word nginx reads).',
    good: 'location / {\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [{ title: 'nginx: configuration file structure', url: 'https://nginx.org/en/docs/beginners_guide.html#conf_structure' }],
  },
  check(ctx) {
    const errors = proxyModel(ctx).errors;
    if (errors.length === 0) return;
    for (const e of errors)
      ctx.report({ loc: e.loc, message: `${isCaddyfile(e.loc.file) ? 'Caddy' : 'nginx'} refuses this file: ${e.message}.` });
  },
};
