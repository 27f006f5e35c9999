// DDX106: nginx serves a host name (server_name) and passes it to Django as Host, but ALLOWED_HOSTS
// does not allow it: every request for that name is a 400.
import { middlewareHeld } from '../middleware/order';
import * as V from '../../eval/values';
import { listHolds } from '../../models/settings/query';
import { proxyHeader } from '../../readers/proxy/configs';
import { settingLink } from '../basis';
import { fallbackNote, variablesText } from '../../models/settings/fallback';
import { fallbackBasis } from '../helpers';
import type { Rule } from '../types';
import { allows, domainOf, noProxy, proxiedLocations } from './shared';

export const serverNameNotAllowed: Rule = {
  code: 'DDX106',
  name: 'proxy-server-name-not-allowed',
  title: 'The proxy serves a host name ALLOWED_HOSTS refuses',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  docs: {
    what: "Reports a literal name of an nginx `server_name` (not `_`, a wildcard or a regular expression) whose server proxies to the app with the client's host (`proxy_set_header Host $host` or `$http_host`, as Debian's proxy_params does), when the production `ALLOWED_HOSTS` does not allow that name. Not reported when ALLOWED_HOSTS or an include cannot be read.",
    why: 'nginx accepts the requests for that name and hands them to Django, which refuses their Host: every visitor of that name gets 400 Bad Request and the logs fill with DisallowedHost. It usually happens when a name is added to nginx (www., a new domain) and not to the settings.',
    example:
      "# settings: ALLOWED_HOSTS = ['example.com']\nserver {\n    server_name example.com www.example.com;\n    location / { include proxy_params; proxy_pass http://unix:/run/gunicorn.sock; }\n}",
    fix: 'Add the name to ALLOWED_HOSTS (`www.example.com`, or `.example.com` for the domain and its subdomains), or stop serving it in nginx (a separate server that redirects www. to the bare name).',
    good: "ALLOWED_HOSTS = ['example.com', 'www.example.com']",
    references: [
      { title: 'Django: ALLOWED_HOSTS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts' },
      { title: 'nginx: server names', url: 'https://nginx.org/en/docs/http/server_names.html' },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const hosts = ctx.settings.query('ALLOWED_HOSTS');
    if (hosts.state === 'supplied' || hosts.state === 'unknown') return ctx.undecided(hosts);
    // (`os.environ.get("ALLOWED_HOSTS", "").split(" ")` unset is [""]: it allows no host either)
    if (!V.isSeq(hosts.value) || hosts.value.items.every((i) => i.kind === 'str' && i.v.trim() === ''))
      return ctx.notApplicable('ALLOWED_HOSTS is empty or not a list (other rules report it)');
    // CommonMiddleware reads the host of every request; without it only some views do
    const everyRequest = middlewareHeld(ctx, 'django.middleware.common.CommonMiddleware') === true;
    // ALLOWED_HOSTS a fallback (the default of a lookup, a branch taken without a variable): the
    // host the proxy names is what the deployment's variable supplies; where an environment file
    // production loads, not in the repository, may set it, the fallback is not production's
    const fallback = ctx.settings.fallback(hosts.value);
    if (fallback?.use === 'supplied') return ctx.notApplicable(`ALLOWED_HOSTS is a fallback${fallbackNote(fallback)} (${fallback.by})`);
    const reported = new Set<string>();
    let unknown: string | undefined;
    for (const p of proxied) {
      const h = proxyHeader(p.location.scope, 'Host');
      if (h.state === 'unknown') {
        unknown ??= h.reason;
        continue;
      }
      if (h.state !== 'set' || (h.value !== '$host' && h.value !== '$http_host')) continue;
      for (const n of p.server.names) {
        const domain = domainOf(n.name);
        if (!domain) continue;
        const ok = listHolds(hosts.value, (i) => (i.kind === 'str' ? allows(i.v, domain) : undefined));
        if (ok === undefined) {
          unknown ??= 'some ALLOWED_HOSTS entries cannot be read';
          continue;
        }
        if (ok) continue;
        const key = `${n.loc.file}:${n.loc.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const requests = everyRequest ? 'every request' : 'each request that reads the host (redirects, absolute URLs, CSRF over https)';
        if (fallback?.use === 'maybe') {
          // a claim resting on a fallback the deployment may replace: information, saying so
          ctx.report({
            loc: n.loc,
            severity: 'information',
            basis: fallbackBasis(fallback),
            message: `nginx serves ${n.name} and passes it to Django as Host, but ALLOWED_HOSTS does not allow it${fallbackNote(fallback)}: the settings fall back to that list without ${variablesText(fallback.variables)}, and the repository does not show whether the deployment sets it; where it does not, ${requests} for ${n.name} gets 400 Bad Request (DisallowedHost).`,
          });
          continue;
        }
        // (a fallback production's deployment is seen to take: said, and certain)
        const link = fallback ? fallbackBasis(fallback) : settingLink('ALLOWED_HOSTS', hosts);
        ctx.report({
          loc: n.loc,
          ...(link ? { basis: Array.isArray(link) ? link : [link] } : {}),
          message: `nginx serves ${n.name} and passes it to Django as Host, but ALLOWED_HOSTS does not allow it${fallback ? fallbackNote(fallback) : ''}: ${requests} for ${n.name} gets 400 Bad Request (DisallowedHost).`,
        });
      }
    }
    if (unknown) ctx.unknown(unknown);
  },
};
