// DDG110: the app server trusts X-Forwarded-* headers from any client.
import { DAPHNE_PROXY_HEADERS } from '../../catalogue/daphneProxyHeaders';
import { forwardedTrustOf } from '../../catalogue/gunicornSettings';
import type { Loc } from '../../eval/values';
import type { GunicornRun } from '../../models/appServer/types';
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
 * naming it: it holds only where the cluster's network plugin enforces it), or to the cluster's pods
 * by ClusterIP Services alone (said at information, naming them, instead of advising a list of
 * addresses the proxy's changing pods cannot keep), or not.
 */
function reach(ctx: RuleContextBase, all: readonly ProxyOnly[]): 'skip' | { note: string; cluster?: true } | undefined {
  if (all.length > 0 && all.every((r) => r.state === 'yes')) return 'skip';
  if (all.length === 0 || all.some((r) => r.state === 'no')) return undefined;
  const policy = all.find((r) => r.state === 'policy');
  if (policy?.state === 'policy')
    return {
      note: ` ${policy.why.charAt(0).toUpperCase()}${policy.why.slice(1)} (${placeOf(ctx, policy.loc)}), if ${policy.holdsIf} (the repository cannot show it).`,
    };
  const cluster = all.find((r) => r.state === 'cluster');
  if (cluster?.state !== 'cluster') return undefined;
  return {
    note: ` ${cluster.why.charAt(0).toUpperCase()}${cluster.why.slice(1)} (${placeOf(ctx, cluster.loc)}); a NetworkPolicy admitting only the proxy's pods keeps out the rest.`,
    cluster: true,
  };
}

/** The advice, then what keeps the server out of reach: no advice where the cluster does. */
function ending(advice: string, r: { note: string; cluster?: true } | undefined): string {
  return r?.cluster ? `.${r.note}` : `; ${advice}.${r?.note ?? ''}`;
}

/**
 * What `*` lets any client fake through the runs' worker class (catalogue FORWARDED_ALLOW_IPS_TRUST):
 * the scheme alone under gunicorn's own workers, the address too under uvicorn's.
 */
function faked(runs: readonly GunicornRun[]): string {
  const kinds = new Set(
    runs.map((r) => {
      const wc = r.settings.get('worker_class');
      if (!wc) return 'scheme';
      return wc.value.kind === 'str' ? forwardedTrustOf(wc.value.v) : undefined;
    }),
  );
  const only = kinds.size === 1 ? [...kinds][0] : undefined;
  if (only === 'scheme') return 'can claim https, though not its address';
  if (only === 'address-and-scheme') return "can fake its address (X-Forwarded-For, read by uvicorn's worker) and https";
  return "can claim https, and its address too under a worker class reading X-Forwarded-For (uvicorn's)";
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
    what: "Reports `forwarded_allow_ips = \"*\"` (or a `*` among the addresses) in a production gunicorn config, `--forwarded-allow-ips *` on a production gunicorn or uvicorn command line, FORWARDED_ALLOW_IPS=* in the environment a production process gets, and `--proxy-headers` on a production daphne command line (daphne has no list of trusted proxies: it believes the headers from every client). Processes that only a proxy can reach are left alone: Procfile processes and the processes of platform files (heroku.yml, app.json, render.yaml, fly.toml, app.yaml…), also a start script they run (behind the platform router), docker-compose services that publish no port beside a proxy service or routed by a proxy run elsewhere (Traefik labels, the VIRTUAL_HOST nginx-proxy reads), also when they start the server through the command of their image or a start script. Kubernetes workloads whose pods a NetworkPolicy lets only the ingress controller reach (its every ingress peer labelled as the pods or namespace of ingress-nginx or Traefik, or a podSelector alone selecting only the pods of proxy workloads of the same manifests, such as the nginx Deployment in front of the app; no ipBlock) are reported as information naming the NetworkPolicy: it holds only where the cluster's network plugin enforces NetworkPolicies, which the repository does not show. Kubernetes workloads whose pods only ClusterIP Services select (a Service with no `type` is one), with no hostPort, no hostNetwork, no NodePort or LoadBalancer Service and no Service `externalIPs` selecting them, are reported as information too: only the cluster's pods can reach them, and the proxy's pods change addresses, so no list of addresses is advised. The message says what is faked: under gunicorn's own workers (sync, gthread, gevent, eventlet, tornado, asgi) `forwarded_allow_ips` decides only whether the scheme headers (X-Forwarded-Proto…) are believed, REMOTE_ADDR staying the connecting peer; under uvicorn's worker it becomes uvicorn's own forwarded_allow_ips, which rewrites the client address from X-Forwarded-For as well; daphne's `--proxy-headers` takes the address, the port and (from daphne 2.2.2) the scheme.",
    why: "Gunicorn and uvicorn believe the forwarded headers only from the addresses listed here (by default only 127.0.0.1). With `*`, any client that can reach the server directly can claim https (so Django's SECURE_PROXY_SSL_HEADER, or gunicorn's own wsgi.url_scheme, treats a plain-http request as secure) and, where the server reads X-Forwarded-For (uvicorn, uvicorn's gunicorn worker, daphne), any IP address (defeating IP allow-lists, rate limits and audit logs); gunicorn's own workers never take the address from a header. `*` is only safe when nothing but the proxy can connect to the app server — gunicorn's documentation keeps it for setups that 'have ensured via other means that only your authorized front-ends can access Gunicorn': a container network no one else joins, a platform router (Heroku) that overwrites the headers, or a cluster where only ClusterIP Services reach the pods (then any pod of the cluster still can).",
    example: '# gunicorn.conf.py\nforwarded_allow_ips = "*"',
    fix: "List the proxy's addresses or network (gunicorn 24.1 and later accept CIDR networks such as 10.0.0.0/8); keep `*` only when the app server cannot be reached except through the proxy, and say so in a `# noqa: DDG110` comment. In Kubernetes, where the proxy's pods change addresses, keep the app's pods behind ClusterIP Services only and add a NetworkPolicy that admits only the proxy's (or the ingress controller's) pods.",
    good: '# gunicorn.conf.py\nforwarded_allow_ips = "10.0.0.5,10.0.0.6"',
    references: [
      { title: 'Gunicorn: forwarded_allow_ips', url: 'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips' },
      { title: 'Uvicorn: running behind a proxy', url: 'https://www.uvicorn.org/deployment/#running-behind-nginx' },
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
      // (catalogue/hops.ts NETWORK_POLICY_ENFORCEMENT: enforced only by a network plugin that supports it)
      { title: 'Kubernetes: Network Policies', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/' },
      // (catalogue/hops.ts CLUSTER_INTERNAL_SERVICE; gunicornSettings.ts FORWARDED_ALLOW_IPS_TRUST; daphneProxyHeaders.ts)
      {
        title: 'Kubernetes: Service types',
        url: 'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
      },
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
        message: `daphne --proxy-headers (${inv.source.label}) trusts every client's forwarded headers (no list of proxies): anyone who reaches it directly can fake ${DAPHNE_PROXY_HEADERS.believes === 'address-and-scheme' ? 'their address and https' : 'their address'}${ending('keep daphne reachable only through the proxy (bind 127.0.0.1 or a unix socket)', r)}`,
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
        message: `${o.source === 'config' ? 'forwarded_allow_ips' : settingLabel(o)} is "*"${whereNote(o)}: any client that reaches gunicorn directly ${faked(o.runs)}${ending("list the proxy's addresses instead", r)}`,
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
            message: `uvicorn --forwarded-allow-ips is "*" (${inv.source.label}): any client that reaches it directly can fake its IP and https${ending("list the proxy's addresses instead", r)}`,
            ...(r ? { severity: 'information' as const } : {}),
          });
        continue;
      }
      const env = inv.env.get('FORWARDED_ALLOW_IPS');
      if (!o && env && !env.token.dynamic && commaItems(env.value).some((e) => e.entry === '*')) {
        ctx.report({
          loc: env.token.loc,
          message: `FORWARDED_ALLOW_IPS is "*" for uvicorn (${inv.source.label}): any client that reaches it directly can fake its IP and https${ending("list the proxy's addresses instead", r)}`,
          ...(r ? { severity: 'information' as const } : {}),
        });
      }
    }
  },
};
