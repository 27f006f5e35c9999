// DDG110: the app server trusts X-Forwarded-* headers from any client.
import type { Loc } from '../../eval/values';
import { commaItems } from '../../models/appServer/validate';
import { hasSwitch, optionValue } from '../../readers/process/commands';
import type { Rule, RuleContextBase } from '../types';
import { noGunicorn, onlyReachableViaProxy, settingLabel, unknownValue, whereNote } from './shared';

/** The location of `entry` inside a string value written at `loc` (a plain quoted literal). */
function entryLoc(ctx: RuleContextBase, loc: Loc, value: string, start: number, end: number): Loc {
  const text = ctx.textAt(loc);
  if (text === undefined) return loc;
  const m = /^[rRuU]?(['"])/.exec(text);
  if (m && text.slice(m[0].length, m[0].length + value.length) === value)
    return { file: loc.file, start: loc.start + m[0].length + start, end: loc.start + m[0].length + end };
  if (text === value) return { file: loc.file, start: loc.start + start, end: loc.start + end };
  return loc;
}

export const forwardedAllowAll: Rule = {
  code: 'DDG110',
  name: 'forwarded-allow-ips-wildcard',
  title: 'App server trusts proxy headers from anyone',
  severity: 'warning',
  group: 'app-server',
  checklist: 'proxy-headers',
  target: 'gunicorn',
  docs: {
    what: 'Reports `forwarded_allow_ips = "*"` (or a `*` among the addresses) in a production gunicorn config, `--forwarded-allow-ips *` on a production gunicorn or uvicorn command line, FORWARDED_ALLOW_IPS=* in the environment a production process gets, and `--proxy-headers` on a production daphne command line (daphne has no list of trusted proxies: it believes the headers from every client). Processes that only a proxy can reach are left alone: Procfile processes and the processes of platform files (heroku.yml, app.json, render.yaml, fly.toml, app.yaml…), also a start script they run (behind the platform router), docker-compose services that publish no port beside a proxy service or routed by a proxy run elsewhere (Traefik labels, the VIRTUAL_HOST nginx-proxy reads), also when they start the server through the command of their image or a start script, and Kubernetes workloads whose pods a NetworkPolicy lets only the ingress controller reach (its every ingress peer labelled as the pods or namespace of ingress-nginx or Traefik, no ipBlock).',
    why: "Gunicorn and uvicorn believe the X-Forwarded-For, X-Forwarded-Proto and related headers only from the addresses listed here (by default only 127.0.0.1). With `*`, any client that can reach the server directly can claim any IP address (defeating IP allow-lists, rate limits and audit logs) and claim https (so Django's SECURE_PROXY_SSL_HEADER treats a plain-http request as secure). `*` is only safe when nothing but the proxy can connect to the app server: a container network no one else joins, or a platform router (Heroku) that overwrites the headers.",
    example: '# gunicorn.conf.py\nforwarded_allow_ips = "*"',
    fix: "List the proxy's addresses or network (gunicorn 24.1 and later accept CIDR networks such as 10.0.0.0/8); keep `*` only when the app server cannot be reached except through the proxy, and say so in a `# noqa: DDG110` comment.",
    good: '# gunicorn.conf.py\nforwarded_allow_ips = "10.0.0.5,10.0.0.6"',
    references: [
      { title: 'Gunicorn: forwarded_allow_ips', url: 'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips' },
      { title: 'Uvicorn: running behind a proxy', url: 'https://www.uvicorn.org/deployment/#running-behind-nginx' },
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const uvicorns = m.commands.filter((c) => c.server === 'uvicorn' && c.source.production);
    const daphnes = m.commands.filter((c) => c.server === 'daphne' && c.source.production);
    if (uvicorns.length === 0 && daphnes.length === 0 && noGunicorn(ctx)) return;
    for (const inv of daphnes) {
      const o = hasSwitch(inv, '--proxy-headers');
      if (!o || onlyReachableViaProxy(m, inv.source)) continue;
      ctx.report({
        loc: o.flag.loc,
        message: `daphne --proxy-headers (${inv.source.label}) believes X-Forwarded-For and X-Forwarded-Port from every client (daphne has no list of trusted proxies): anyone who reaches daphne directly can fake their address; keep daphne reachable only through the proxy (bind 127.0.0.1 or a unix socket).`,
      });
    }
    for (const o of m.occurrences('forwarded_allow_ips')) {
      if (unknownValue(ctx, o)) continue;
      if (o.value.kind !== 'str') continue; // a list is DDG102's
      const star = commaItems(o.value.v).find((e) => e.entry === '*');
      if (!star) continue;
      if (o.runs.every((r) => onlyReachableViaProxy(m, r.invocation?.source))) continue;
      ctx.report({
        loc: entryLoc(ctx, o.loc, o.value.v, star.start, star.end),
        message: `${o.source === 'config' ? 'forwarded_allow_ips' : settingLabel(o)} is "*"${whereNote(o)}: any client that reaches the app server directly can fake its IP and https; list the proxy's addresses instead.`,
      });
    }
    for (const inv of uvicorns) {
      if (hasSwitch(inv, '--no-proxy-headers') || onlyReachableViaProxy(m, inv.source)) continue;
      const o = optionValue(inv, '--forwarded-allow-ips');
      const t = o?.value ?? undefined;
      if (t && !t.dynamic) {
        const star = commaItems(t.text).find((e) => e.entry === '*');
        if (star)
          ctx.report({
            loc: t.loc,
            message: `uvicorn --forwarded-allow-ips is "*" (${inv.source.label}): any client that reaches it directly can fake its IP and https; list the proxy's addresses instead.`,
          });
        continue;
      }
      const env = inv.env.get('FORWARDED_ALLOW_IPS');
      if (!o && env && !env.token.dynamic && commaItems(env.value).some((e) => e.entry === '*')) {
        ctx.report({
          loc: env.token.loc,
          message: `FORWARDED_ALLOW_IPS is "*" for uvicorn (${inv.source.label}): any client that reaches it directly can fake its IP and https; list the proxy's addresses instead.`,
        });
      }
    }
  },
};
