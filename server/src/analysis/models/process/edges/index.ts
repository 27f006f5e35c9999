// The hops in front of the app that the deployment files describe (types.ts), read once per build
// of the process model, after the passes have decided what production runs: the Kubernetes
// Ingresses, Gateway API routes, OpenShift Routes and Traefik resources of the deployment sets
// (kubernetes.ts), Traefik in front of compose services (traefik.ts), the services nginx-proxy proxies (nginxProxy.ts), and the app's
// ports published around a compose proxy (ports.ts).
import type { Collected } from '../collect';
import { kubernetesEdges } from './kubernetes';
import { nginxProxyEdges } from './nginxProxy';
import { publishedAppPorts } from './ports';
import { traefikEdges } from './traefik';
import { NO_EDGES, type Edges } from './types';

/**
 * The edges of a build. Nothing reports them yet: a reading that fails (a file no reader foresaw)
 * leaves them empty rather than the whole process model unbuilt.
 */
export function readEdges(r: Collected): Edges {
  try {
    return edgesOf(r);
  } catch {
    return NO_EDGES;
  }
}

function edgesOf(r: Collected): Edges {
  const k8s = kubernetesEdges(r);
  const traefik = traefikEdges(r, k8s?.routers ?? [], k8s?.middlewares ?? []);
  const nginxProxy = r.compose.length > 0 ? nginxProxyEdges(r) : undefined;
  const ports = r.compose.length > 0 ? publishedAppPorts(r) : [];
  if (!k8s && !traefik && !nginxProxy && ports.length === 0) return NO_EDGES;
  return {
    ingresses: k8s?.ingresses ?? [],
    ingressesOff: k8s?.ingressesOff ?? [],
    httpRoutes: k8s?.httpRoutes ?? [],
    openShiftRoutes: k8s?.openShiftRoutes ?? [],
    ingressClasses: k8s?.ingressClasses ?? [],
    traefik: traefik ?? NO_EDGES.traefik,
    nginxProxy: nginxProxy ?? NO_EDGES.nginxProxy,
    publishedAppPorts: ports,
    k8sObjects: k8s?.objects ?? [],
  };
}
