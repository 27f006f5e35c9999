// What the hops in front of Django already do of a protection a Django-side finding asks for: the
// repository's nginx or Caddy tied to the app (coverage.ts) first, then the platforms, routers and
// ingresses of each deployment's request path (path.ts). The sentence a finding adds, and the
// severity it drops to when every path is covered or whether it is cannot be told.
import type { AppServerModel } from '../appServer/model';
import type { DjangoProject } from '../project/model';
import { type ProxyCover, proxyCover } from './coverage';
import { type PathProtection, pathCover, pathNote, requestPaths } from './path';

/**
 * A proxy in front that the settings expect and the repository does not show: what says so
 * (SECURE_PROXY_SSL_HEADER, with its place), from models/settings proxyExpected.
 */
export interface ExpectedProxy {
  /** "the TLS proxy SECURE_PROXY_SSL_HEADER expects (mysite/settings.py:7) is not shown in front of the app". */
  readonly what: string;
}

export function frontCover(
  ctx: { readonly project: DjangoProject; readonly appServer: AppServerModel },
  p: PathProtection,
  expected?: ExpectedProxy,
): ProxyCover {
  const proxied = proxyCover(ctx, p);
  if (proxied.note !== '') return { ...proxied, byProxyConfig: true };
  const paths = requestPaths(ctx.project, ctx.appServer);
  const cover = pathCover(paths, p);
  // the settings say a proxy terminating TLS is in front (SECURE_PROXY_SSL_HEADER), and the
  // repository holds no proxy configuration (the project's or any other of the repository's:
  // project.proxyElsewhere) and shows no hop of any deployment (its compose, its deploy script or
  // its platform live in another repository): that hop is unknown, not absent
  if (
    expected &&
    (p === 'hsts' || p === 'https-redirect') &&
    cover.state === 'nobody' &&
    paths.deployments.every((d) => d.hops.length === 0) &&
    noProxyShown(ctx.appServer) &&
    ctx.project.proxyElsewhere === undefined
  )
    return {
      note: ` ${expected.what.charAt(0).toUpperCase()}${expected.what.slice(1)}, and may ${p === 'hsts' ? 'send Strict-Transport-Security' : 'redirect plain HTTP to HTTPS'}.`,
      severity: 'information',
      unknown: true,
    };
  return pathNote(cover, p);
}

/**
 * Whether the repository shows no proxy or router at all, in front of the app or not: no nginx or
 * Caddy configuration, no proxy service or program, no Ingress, HTTPRoute or OpenShift Route (one
 * routing elsewhere says the cluster's front is known, and not the app's).
 */
function noProxyShown(m: AppServerModel): boolean {
  const p = m.processes;
  return (
    p.proxy.nginx.length === 0 &&
    p.proxy.caddy.length === 0 &&
    p.proxies.length === 0 &&
    p.edges.ingresses.length === 0 &&
    p.edges.httpRoutes.length === 0 &&
    p.edges.openShiftRoutes.length === 0
  );
}

/**
 * Whether every hop in front of the app both redirects plain HTTP to HTTPS and sends
 * Strict-Transport-Security (the repository's nginx or Caddy, or the documented default of the
 * platform or ingress): a browser that holds a cookie the site set over HTTPS then sends no
 * plain-HTTP request to it while the policy lasts. The clause a cookie finding says it with, or undefined.
 */
export function strictTransportInFront(ctx: { readonly project: DjangoProject; readonly appServer: AppServerModel }): string | undefined {
  const hsts = frontCover(ctx, 'hsts');
  const redirect = frontCover(ctx, 'https-redirect');
  if (hsts.severity !== 'information' || hsts.unknown || redirect.severity !== 'information' || redirect.unknown) return undefined;
  return 'the hop in front redirects HTTP and sends HSTS, so browsers holding the cookie stay on HTTPS';
}
