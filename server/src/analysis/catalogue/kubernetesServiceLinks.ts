// The variables Kubernetes gives every container for each Service of its namespace ("service
// links"): `{SVCNAME}_SERVICE_HOST` and `{SVCNAME}_SERVICE_PORT`, the name upper-cased with dashes
// turned to underscores, for the Services that exist when the pod starts, unless the pod spec sets
// `enableServiceLinks: false`. The manifest reader (readers/kubernetes/manifests.ts) adds them to
// the environment of the workloads deployed beside a Service: set by the deployment, their value
// (the Service's cluster IP and port) not known here.
import type { Source } from './facts';

export const SERVICE_LINK_VARIABLES: Source = {
  url: 'https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables',
  quote:
    'When a Pod is run on a Node, the kubelet adds a set of environment variables for each active Service. It adds {SVCNAME}_SERVICE_HOST and {SVCNAME}_SERVICE_PORT variables, where the Service name is upper-cased and dashes are converted to underscores.',
};

export const SERVICE_LINKS_DEFAULT: Source = {
  url: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec',
  quote:
    "enableServiceLinks (boolean): EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true.",
};

/** `SHARED_CACHE_SERVICE_HOST` and `…_PORT` for the Service `shared-cache`; none for a name that is not a DNS label. */
export function serviceLinkVariables(service: string): readonly string[] {
  if (service.length > 63 || !/^[a-z0-9-]+$/.test(service) || service.startsWith('-') || service.endsWith('-')) return [];
  const base = service.toUpperCase().replaceAll('-', '_');
  return [`${base}_SERVICE_HOST`, `${base}_SERVICE_PORT`];
}
