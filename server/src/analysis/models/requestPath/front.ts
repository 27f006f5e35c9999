// What the hops in front of Django already do of a protection a Django-side finding asks for: the
// repository's nginx or Caddy tied to the app (coverage.ts) first, then the platforms, routers and
// ingresses of each deployment's request path (path.ts). The sentence a finding adds, and the
// severity it drops to when every path is covered or whether it is cannot be told.
import type { AppServerModel } from '../appServer/model';
import type { DjangoProject } from '../project/model';
import { type ProxyCover, proxyCover } from './coverage';
import { type PathProtection, pathCover, pathNote, requestPaths } from './path';

export function frontCover(ctx: { readonly project: DjangoProject; readonly appServer: AppServerModel }, p: PathProtection): ProxyCover {
  const proxied = proxyCover(ctx, p);
  if (proxied.note !== '') return { ...proxied, byProxyConfig: true };
  return pathNote(pathCover(requestPaths(ctx.project, ctx.appServer), p), p);
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
