// The Kubernetes API versions the API server no longer serves, per kind, and the fields of a
// networking.k8s.io/v1 Ingress that its v1beta1 shape used: each with the release that removed it,
// the version that replaces it, and the words of Kubernetes' Deprecated API Migration Guide
// (kubernetes/website, content/en/docs/reference/using-api/deprecation-guide.md). The rules read
// this table; they never name these versions themselves. test/unit/kubernetes-schema.test.ts checks
// every entry against the API's published schema (the kubernetes-models package).

export const DEPRECATION_GUIDE = 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/';

export interface RemovedApi {
  /** The `apiVersion` a manifest writes. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The first release that no longer serves it ("1.16"). */
  readonly removedIn: string;
  /** The `apiVersion` to write instead. */
  readonly replacement: string;
  /** The guide's anchor for the entry. */
  readonly url: string;
  /** The guide's words. */
  readonly quote: string;
}

const V116_DEPLOYMENT =
  'The extensions/v1beta1, apps/v1beta1, and apps/v1beta2 API versions of Deployment are no longer served as of v1.16. Migrate manifests and API clients to use the apps/v1 API version, available since v1.9.';
const V116_REPLICASET =
  'The extensions/v1beta1, apps/v1beta1, and apps/v1beta2 API versions of ReplicaSet are no longer served as of v1.16. Migrate manifests and API clients to use the apps/v1 API version, available since v1.9.';
const V116_DAEMONSET =
  'The extensions/v1beta1 and apps/v1beta2 API versions of DaemonSet are no longer served as of v1.16. Migrate manifests and API clients to use the apps/v1 API version, available since v1.9.';
const V116_STATEFULSET =
  'The apps/v1beta1 and apps/v1beta2 API versions of StatefulSet are no longer served as of v1.16. Migrate manifests and API clients to use the apps/v1 API version, available since v1.9.';
const V122_INGRESS =
  'The extensions/v1beta1 and networking.k8s.io/v1beta1 API versions of Ingress is no longer served as of v1.22. Migrate manifests and API clients to use the networking.k8s.io/v1 API version, available since v1.19.';

const at = (anchor: string): string => `${DEPRECATION_GUIDE}#${anchor}`;

function each(
  kind: string,
  versions: readonly string[],
  removedIn: string,
  replacement: string,
  anchor: string,
  quote: string,
): RemovedApi[] {
  return versions.map((apiVersion) => ({ apiVersion, kind, removedIn, replacement, url: at(anchor), quote }));
}

export const REMOVED_APIS: readonly RemovedApi[] = [
  ...each('Deployment', ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], '1.16', 'apps/v1', 'deployment-v116', V116_DEPLOYMENT),
  ...each('ReplicaSet', ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], '1.16', 'apps/v1', 'replicaset-v116', V116_REPLICASET),
  ...each('DaemonSet', ['extensions/v1beta1', 'apps/v1beta2'], '1.16', 'apps/v1', 'daemonset-v116', V116_DAEMONSET),
  ...each('StatefulSet', ['apps/v1beta1', 'apps/v1beta2'], '1.16', 'apps/v1', 'statefulset-v116', V116_STATEFULSET),
  ...each(
    'NetworkPolicy',
    ['extensions/v1beta1'],
    '1.16',
    'networking.k8s.io/v1',
    'networkpolicy-v116',
    'The extensions/v1beta1 API version of NetworkPolicy is no longer served as of v1.16. Migrate manifests and API clients to use the networking.k8s.io/v1 API version, available since v1.8.',
  ),
  ...each('Ingress', ['extensions/v1beta1', 'networking.k8s.io/v1beta1'], '1.22', 'networking.k8s.io/v1', 'ingress-v122', V122_INGRESS),
  ...each(
    'IngressClass',
    ['networking.k8s.io/v1beta1'],
    '1.22',
    'networking.k8s.io/v1',
    'ingressclass-v122',
    'The networking.k8s.io/v1beta1 API version of IngressClass is no longer served as of v1.22. Migrate manifests and API clients to use the networking.k8s.io/v1 API version, available since v1.19.',
  ),
  ...each(
    'CronJob',
    ['batch/v1beta1'],
    '1.25',
    'batch/v1',
    'cronjob-v125',
    'The batch/v1beta1 API version of CronJob is no longer served as of v1.25. Migrate manifests and API clients to use the batch/v1 API version, available since v1.21.',
  ),
  ...each(
    'PodDisruptionBudget',
    ['policy/v1beta1'],
    '1.25',
    'policy/v1',
    'poddisruptionbudget-v125',
    'The policy/v1beta1 API version of PodDisruptionBudget is no longer served as of v1.25. Migrate manifests and API clients to use the policy/v1 API version, available since v1.21.',
  ),
  ...each(
    'HorizontalPodAutoscaler',
    ['autoscaling/v2beta1'],
    '1.25',
    'autoscaling/v2',
    'horizontalpodautoscaler-v125',
    'The autoscaling/v2beta1 API version of HorizontalPodAutoscaler is no longer served as of v1.25. Migrate manifests and API clients to use the autoscaling/v2 API version, available since v1.23.',
  ),
  ...each(
    'HorizontalPodAutoscaler',
    ['autoscaling/v2beta2'],
    '1.26',
    'autoscaling/v2',
    'horizontalpodautoscaler-v126',
    'The autoscaling/v2beta2 API version of HorizontalPodAutoscaler is no longer served as of v1.26. Migrate manifests and API clients to use the autoscaling/v2 API version, available since v1.23.',
  ),
];

/** The entry for a kind written with an API version the API server no longer serves; undefined when it is served. */
export function removedApi(kind: string, apiVersion: string): RemovedApi | undefined {
  return REMOVED_APIS.find((r) => r.kind === kind && r.apiVersion === apiVersion);
}

/** What a networking.k8s.io/v1 Ingress writes that only its v1beta1 shape had, and what v1 wants instead. */
export interface IngressV1Change {
  /** As the Ingress reader names it (readers/kubernetes/ingress.ts IngressLegacy). */
  readonly what: 'serviceName' | 'servicePort' | 'no pathType' | 'spec.backend';
  /** What v1 wants, for messages. */
  readonly instead: string;
  /** The guide's words. */
  readonly quote: string;
}

/** The API version whose Ingress shape these changes are about. */
export const INGRESS_V1 = 'networking.k8s.io/v1';

export const INGRESS_V1_CHANGES: readonly IngressV1Change[] = [
  {
    what: 'serviceName',
    instead: 'service.name',
    quote: 'The backend serviceName field is renamed to service.name',
  },
  {
    what: 'servicePort',
    instead: 'service.port.number (a number) or service.port.name (a port name)',
    quote:
      'Numeric backend servicePort fields are renamed to service.port.number; String backend servicePort fields are renamed to service.port.name',
  },
  {
    what: 'no pathType',
    instead: 'pathType: Prefix, Exact or ImplementationSpecific on each path',
    quote:
      'pathType is now required for each specified path. Options are Prefix, Exact, and ImplementationSpecific. To match the undefined v1beta1 behavior, use ImplementationSpecific.',
  },
  {
    what: 'spec.backend',
    instead: 'spec.defaultBackend',
    quote: 'spec.backend is renamed to spec.defaultBackend',
  },
];

export const INGRESS_V1_URL = at('ingress-v122');
