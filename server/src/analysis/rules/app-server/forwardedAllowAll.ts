// DDG110: the app server trusts X-Forwarded-* headers from any client.
import type { Loc } from '../../eval/values';
import { commaItems } from '../../models/appServer/validate';
import { hasSwitch, optionValue } from '../../readers/process/commands';
import { placeOf } from '../helpers';
import type { Rule, RuleContextBase } from '../types';
import { noGunicorn, type ProxyOnly, proxyOnly, settingLabel, unknownValue, whereNote } from './shared';

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

/**
 * Over the processes a finding is about: every one reached only through a proxy (nothing to say), or
 * each either that or kept to the ingress controller's pods by a NetworkPolicy (said at information,
 * naming it: it holds only where the cluster's network plugin enforces it), or not.
 */
function reach(ctx: RuleContextBase, all: readonly ProxyOnly[]): 'skip' | { note: string } | undefined {
  if (all.length > 0 && all.every((r) => r.state === 'yes')) return 'skip';
  const policy = all.find((r) => r.state === 'policy');
  if (!policy || policy.state !== 'policy' || all.some((r) => r.state === 'no')) return undefined;
  return {
    note: ` ${policy.why.charAt(0).toUpperCase()}${policy.why.slice(1)} (${placeOf(ctx, policy.loc)}), if ${policy.holdsIf} (the repository cannot show it).`,
  };
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
    what: 'Reports `forwarded_allow_ips = "*"` (or a `*` among the addresses) in a production gunicorn config, `--forwarded-allow-ips *` on a production gunicorn or uvicorn command line, FORWARDED_ALLOW_IPS=* in the environment a production process gets, and `--proxy-headers` on a production daphne command line (daphne has no list of trusted proxies: it believes the headers from every client). Processes that only a proxy can reach are left alone: Procfile processes and the processes of platform files (heroku.yml, app.json, render.yaml, fly.toml, app.yaml…), also a start script they run (behind the platform router), docker-compose services that publish no port beside a proxy service or routed by a proxy run elsewhere (Traefik labels, the VIRTUAL_HOST nginx-proxy reads), also when they start the server through the command of their image or a start script. Kubernetes workloads whose pods a NetworkPolicy lets only the ingress controller reach (its every ingress peer labelled as the pods or namespace of ingress-nginx or Traefik, or a podSelector alone selecting only the pods of proxy workloads of the same manifests, such as the nginx Deployment in front of the app; no ipBlock) are reported as information naming the NetworkPolicy: it holds only where the cluster\'s network plugin enforces NetworkPolicies, which the repository does not show.',
    why: "Gunicorn and uvicorn believe the X-Forwarded-For, X-Forwarded-Proto and related headers only from the addresses listed here (by default only 127.0.0.1). With `*`, any client that can reach the server directly can claim any IP address (defeating IP allow-lists, rate limits and audit logs) and claim https (so Django's SECURE_PROXY_SSL_HEADER treats a plain-http request as secure). `*` is only safe when nothing but the proxy can connect to the app server: a container network no one else joins, or a platform router (Heroku) that overwrites the headers.",
    example: '# gunicorn.conf.py\nforwarded_allow_ips = "*"',
    fix: "List the proxy's addresses or network (gunicorn 24.1 and later accept CIDR networks such as 10.0.0.0/8); keep `*` only when the app server cannot be reached except through the proxy, and say so in a `# noqa: DDG110` comment.",
    good: '# gunicorn.conf.py\nforwarded_allow_ips = "10.0.0.5,10.0.0.6"',
    references: [
      { title: 'Gunicorn: forwarded_allow_ips', url: 'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips' },
      { title: 'Uvicorn: running behind a proxy', url: 'https://www.uvicorn.org/deployment/#running-behind-nginx' },
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
      // (catalogue/hops.ts NETWORK_POLICY_ENFORCEMENT: enforced only by a network plugin that supports it)
      { title: 'Kubernetes: Network Policies', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const uvicorns = m.commands.filter((c) => c.server === 'uvicorn' && c.source.production);
    const daphnes = m.commands.filter((c) => c.server === 'daphne' && c.source.production);
    if (uvicorns.length === 0 && daphnes.length === 0 && noGunicorn(ctx)) return;
    for (const inv of daphnes) {
      const o = hasSwitch(inv, '--proxy-headers');
      const r = reach(ctx, [proxyOnly(m, inv.source)]);
      if (!o || r === 'skip') continue;
      ctx.report({
        loc: o.flag.loc,
        message: `daphne --proxy-headers (${inv.source.label}) believes X-Forwarded-For and X-Forwarded-Port from every client (daphne has no list of trusted proxies): anyone who reaches daphne directly can fake their address; keep daphne reachable only through the proxy (bind 127.0.0.1 or a unix socket).${r?.note ?? ''}`,
        ...(r ? { severity: 'information' as const } : {}),
      });
    }
    for (const o of m.occurrences('forwarded_allow_ips')) {
      if (unknownValue(ctx, o)) continue;
      if (o.value.kind !== 'str') continue; // a list is DDG102's
      const star = commaItems(o.value.v).find((e) => e.entry === '*');
      if (!star) continue;
      const r = reach(
        ctx,
        o.runs.map((x) => proxyOnly(m, x.invocation?.source)),
      );
      if (r === 'skip') continue;
      ctx.report({
        loc: entryLoc(ctx, o.loc, o.value.v, star.start, star.end),
        message: `${o.source === 'config' ? 'forwarded_allow_ips' : settingLabel(o)} is "*"${whereNote(o)}: any client that reaches the app server directly can fake its IP and https; list the proxy's addresses instead.${r?.note ?? ''}`,
        ...(r ? { severity: 'information' as const } : {}),
      });
    }
    for (const inv of uvicorns) {
      const r = reach(ctx, [proxyOnly(m, inv.source)]);
      if (hasSwitch(inv, '--no-proxy-headers') || r === 'skip') continue;
      const o = optionValue(inv, '--forwarded-allow-ips');
      const t = o?.value ?? undefined;
      if (t && !t.dynamic) {
        const star = commaItems(t.text).find((e) => e.entry === '*');
        if (star)
          ctx.report({
            loc: t.loc,
            message: `uvicorn --forwarded-allow-ips is "*" (${inv.source.label}): any client that reaches it directly can fake its IP and https; list the proxy's addresses instead.${r?.note ?? ''}`,
            ...(r ? { severity: 'information' as const } : {}),
          });
        continue;
      }
      const env = inv.env.get('FORWARDED_ALLOW_IPS');
      if (!o && env && !env.token.dynamic && commaItems(env.value).some((e) => e.entry === '*')) {
        ctx.report({
          loc: env.token.loc,
          message: `FORWARDED_ALLOW_IPS is "*" for uvicorn (${inv.source.label}): any client that reaches it directly can fake its IP and https; list the proxy's addresses instead.${r?.note ?? ''}`,
          ...(r ? { severity: 'information' as const } : {}),
        });
      }
    }
  },
};
