// DDG323: a production Kubernetes manifest the API server refuses: an object written in an API
// version Kubernetes no longer serves (catalogue/kubernetesApis.ts), or a networking.k8s.io/v1
// Ingress written in the v1beta1 shape (serviceName/servicePort, no pathType, spec.backend).
import { DEPRECATION_GUIDE, INGRESS_V1, INGRESS_V1_CHANGES, INGRESS_V1_URL, removedApi } from '../../catalogue/kubernetesApis';
import type { Loc } from '../../eval/values';
import type { Rule } from '../types';

/** Why a Helm condition writes it: the cluster's version chooses (`.Capabilities`), not the chart's values. */
function clusterChooses(why: string | undefined): boolean {
  return why !== undefined && why.includes('.Capabilities');
}

/** Said of an object or field a Helm condition the chart's values do not decide writes. */
const MAYBE = ' (if the chart writes it: a condition of the template the values do not decide)';

export const removedKubernetesApi: Rule = {
  code: 'DDG323',
  name: 'kubernetes-api-not-served',
  title: 'A Kubernetes manifest the API server refuses (removed API version, v1beta1 Ingress fields)',
  severity: 'error',
  group: 'deployment',
  checklist: 'supported-versions',
  target: 'process',
  docs: {
    what: 'Reports, on the line, an object of a production Kubernetes manifest, kustomization build or Helm chart (rendered with its production values) that the API server of a current cluster refuses: an `apiVersion` Kubernetes no longer serves for its kind — `extensions/v1beta1`, `apps/v1beta1` and `apps/v1beta2` Deployments, ReplicaSets, DaemonSets and StatefulSets (removed in 1.16), `extensions/v1beta1` and `networking.k8s.io/v1beta1` Ingresses and IngressClasses (1.22), `batch/v1beta1` CronJobs, `policy/v1beta1` PodDisruptionBudgets and `autoscaling/v2beta1` HorizontalPodAutoscalers (1.25), `autoscaling/v2beta2` (1.26) — and a `networking.k8s.io/v1` Ingress written in the v1beta1 shape: a backend with `serviceName`/`servicePort` (v1 has `service: {name, port: {number | name}}`), a path without `pathType` (required in v1), `spec.backend` (v1: `spec.defaultBackend`). A Helm template that chooses the version by the cluster’s (`semverCompare … .Capabilities.KubeVersion`, `.Capabilities.APIVersions.Has`) is not reported for the branch an older cluster takes; an object or field the chart’s values decide is reported as a warning that says so. Development manifests are not reported.',
    why: '`kubectl apply` and `helm install` fail: `no matches for kind "Ingress" in version "extensions/v1beta1"`, or the Ingress is refused (`unknown field "serviceName"`, `pathType: Required value`). The deploy stops at that object — a new Ingress never routes, a CronJob never runs — often only when the cluster is upgraded under a deployment that worked for years.',
    example:
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend:\n              serviceName: web\n              servicePort: 8000',
    fix: 'Write the served API version (`apps/v1`, `networking.k8s.io/v1`, `batch/v1`, `policy/v1`, `autoscaling/v2`) and its shape: for an Ingress, `pathType` on each path and `backend: {service: {name: web, port: {number: 8000}}}`; for an apps/v1 workload, `spec.selector.matchLabels` matching the pod template’s labels. `kubectl convert` rewrites an old manifest.',
    good: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: web\n                port:\n                  number: 8000',
    references: [
      { title: 'Kubernetes: Deprecated API Migration Guide', url: DEPRECATION_GUIDE },
      { title: 'Kubernetes: Deprecated API Migration Guide, Ingress (v1.22)', url: INGRESS_V1_URL },
      { title: 'Kubernetes: Ingress', url: 'https://kubernetes.io/docs/concepts/services-networking/ingress/' },
    ],
  },
  check(ctx) {
    const edges = ctx.appServer.processes.edges;
    const objects = edges.k8sObjects.filter((o) => o.production);
    if (objects.length === 0) return ctx.notApplicable('no production Kubernetes manifest in the repository');
    // (a base several overlays build is one place)
    const seen = new Set<string>();
    const once = (loc: Loc, what: string): boolean => {
      const key = `${loc.file}:${loc.start}:${what}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    for (const o of objects) {
      const v = o.apiVersion;
      if (v.dynamic) continue;
      const removed = removedApi(o.kind, v.text.trim());
      if (!removed) continue;
      const maybe = v.maybe ?? (o.deployed.state === 'unknown' ? o.deployed.why : undefined);
      // the chart writes it for the clusters that still serve it: the cluster chooses the branch
      if (clusterChooses(maybe)) continue;
      if (!once(v.loc, 'apiVersion')) continue;
      // (a block the chart's own defaults turn off: the deploy of a release that turns it on fails)
      const offByDefaults = o.deployed.state === 'unknown' && o.deployed.offByDefaults ? o.deployed.why : undefined;
      ctx.report({
        loc: v.loc,
        ...(maybe ? { severity: 'warning' as const } : {}),
        message: `The ${o.kind}${o.name && !o.name.dynamic ? ` ${o.name.text}` : ''} is written in ${removed.apiVersion}, which Kubernetes stopped serving for ${/^[AEIOU]/.test(o.kind) ? 'an' : 'a'} ${o.kind} in ${removed.removedIn}: the API server refuses it (no matches for kind "${o.kind}" in version "${removed.apiVersion}") and the deploy fails${offByDefaults ? ` for a release that turns it on (the chart's defaults leave it out: ${offByDefaults})` : maybe ? MAYBE : ''}; write ${removed.replacement}.`,
      });
    }
    for (const i of edges.ingresses) {
      if (!i.production || i.apiVersion !== INGRESS_V1 || i.legacy.length === 0) continue;
      if (i.deployed.state === 'unknown' && clusterChooses(i.deployed.why) && i.legacy.every((l) => l.maybe)) continue;
      for (const l of i.legacy) {
        if (clusterChooses(l.maybe)) continue;
        const change = INGRESS_V1_CHANGES.find((c) => c.what === l.what);
        if (!change || !once(l.loc, l.what)) continue;
        const maybe = l.maybe ?? (i.deployed.state === 'unknown' && !clusterChooses(i.deployed.why) ? i.deployed.why : undefined);
        const name = i.name && !i.name.dynamic ? ` ${i.name.text}` : '';
        const what =
          l.what === 'no pathType'
            ? `a path of the ${INGRESS_V1} Ingress${name} has no pathType, which ${INGRESS_V1} requires`
            : `the ${INGRESS_V1} Ingress${name} writes ${l.what}, a field of the removed v1beta1 Ingress that ${INGRESS_V1} does not have`;
        ctx.report({
          loc: l.loc,
          ...(maybe ? { severity: 'warning' as const } : {}),
          message: `${what.charAt(0).toUpperCase()}${what.slice(1)}: the API server refuses the Ingress, so it never routes${maybe ? MAYBE : ''}; write ${change.instead}.`,
        });
      }
    }
  },
};
