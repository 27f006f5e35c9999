// What Kubernetes does with a container that has no readiness probe.
import type { Fact } from './facts';

/** A container without a readiness probe is ready once it has started. */
export const KUBERNETES_READINESS_DEFAULT: Fact<'Success'> = {
  value: 'Success',
  knob: 'readinessProbe',
  source: {
    url: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes',
    quote:
      'readinessProbe: Indicates whether the container is ready to respond to requests. … If a container does not provide a readiness probe, the default state is Success.',
  },
};
