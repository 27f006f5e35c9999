// DDG206: granian in production behind a proxy, with no forwarded-header handling: granian reads no
// X-Forwarded-* header itself, so Django sees the proxy's address as every client's.
import { optionValue } from '../../readers/process/commands';
import type { Rule } from '../types';

const WRAPPER = /\bwrap_(?:asgi|wsgi)_with_proxy_headers\b/;

export const granianProxyHeaders: Rule = {
  code: 'DDG206',
  name: 'granian-proxy-headers',
  title: "Granian ignores the proxy's forwarded headers",
  severity: 'information',
  group: 'app-server',
  checklist: 'proxy-headers',
  target: 'process',
  docs: {
    what: "Reports a production granian command line whose application module does not wrap the application with granian's `wrap_asgi_with_proxy_headers` or `wrap_wsgi_with_proxy_headers` (granian.utils.proxies). Development files are left alone.",
    why: "Uvicorn and gunicorn read X-Forwarded-For and X-Forwarded-Proto from a trusted proxy; granian has no option for it and passes the proxy's connection on as it is. Behind nginx, a load balancer or a platform router, Django then sees the proxy's address as REMOTE_ADDR for every request (audit logs, rate limits and IP allow-lists all see one client) and the request scheme as http. Django's SECURE_PROXY_SSL_HEADER still marks https requests as secure, but nothing restores the client's address.",
    example: '# Procfile\nweb: granian --interface asgi mysite.asgi:application --host 0.0.0.0 --port $PORT',
    fix: 'Wrap the application in its module with granian\'s wrapper, trusting only the proxy\'s addresses: `application = wrap_asgi_with_proxy_headers(get_asgi_application(), trusted_hosts="10.0.0.0/8")`. Leave it as it is when granian is reached directly, with no proxy in front.',
    good: '# mysite/asgi.py\nfrom django.core.asgi import get_asgi_application\nfrom granian.utils.proxies import wrap_asgi_with_proxy_headers\n\napplication = wrap_asgi_with_proxy_headers(get_asgi_application(), trusted_hosts="10.0.0.5")',
    references: [
      { title: 'Granian: proxies and forwarded headers', url: 'https://github.com/emmett-framework/granian#proxies-and-forwarded-headers' },
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const granians = m.commands.filter((c) => c.server === 'granian' && c.source.production);
    if (granians.length === 0) {
      ctx.notApplicable('no production process starts granian');
      return;
    }
    for (const inv of granians) {
      if (!inv.app) {
        ctx.unknown(`the application granian serves is not known (${inv.source.label})`, inv.program.loc);
        continue;
      }
      const r = m.resolveApp(inv.app, inv);
      if (r.status !== 'found') {
        if (r.status === 'unknown')
          ctx.unknown(`the module ${r.module} granian serves could not be told apart from others`, inv.app.token.loc);
        continue;
      }
      const text = ctx.fileText(r.file);
      if (text === undefined) {
        ctx.unknown(`the module ${r.module} could not be read`, inv.app.token.loc);
        continue;
      }
      if (WRAPPER.test(text)) continue;
      const iface = (optionValue(inv, '--interface')?.value?.text ?? inv.env.get('GRANIAN_INTERFACE')?.value ?? '').trim().toLowerCase();
      ctx.report({
        loc: inv.app.token.loc,
        message: `granian (${inv.source.label}) reads no X-Forwarded-* header: behind a proxy Django sees the proxy's address for every client; wrap the application in ${r.module} with granian.utils.proxies.wrap_${iface === 'wsgi' ? 'wsgi' : 'asgi'}_with_proxy_headers(…, trusted_hosts=the proxy's addresses).`,
      });
    }
  },
};
