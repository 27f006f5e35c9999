// The Ingresses (and Traefik IngressRoutes, Gateway API HTTPRoutes, OpenShift Routes) of the
// project's Kubernetes deployment sets, with what they mean: the controller that serves each, its
// TLS, and whether it fronts the app. A deployment set is what is deployed together: the loose manifests of the repository, what one kustomization
// builds (a base read through each overlay, never alone), or one Helm chart's templates rendered
// with its production values (readers/kubernetes/helmCharts.ts).
//
// The tie of a backend: its Service (same name in the same set and namespace; a template part
// compared as written, so that `{{ $fullName }}` finds `{{ include "app.fullname" . }}`), the
// workloads whose pod labels that Service's selector matches (or, without such a Service, the
// workload of that name), and what their containers run (serves.ts). An Ingress is 'app' when one
// of its backends is; 'other' when every backend reaches something else.
import type { Loc } from '../../../eval/values';
import { devReasonOfPath } from '../../../readers/devPaths';
import type { ExternalChartValues } from '../../../readers/kubernetes/externalChartValues';
import { chartDefines, findCharts, type HelmChart } from '../../../readers/kubernetes/helmCharts';
import {
  docsOf,
  docsOfFile,
  isGatewayApi,
  isIngress,
  isIngressRoute,
  isOpenShiftRoute,
  isPodOwner,
  isTraefikMiddleware,
  objectOf,
  readGateway,
  readHttpRoute,
  readIngress,
  readIngressClass,
  readIngressRoute,
  readOpenShiftRoute,
  readPodOwner,
  readService,
  readTraefikMiddleware,
  type GatewayObject,
  type HttpRouteObject,
  type IngressClassObject,
  type IngressObject,
  type IngressRouteObject,
  type K8sDoc,
  type K8sObject,
  type K8sText,
  type OpenShiftRouteObject,
  type PodOwnerObject,
  type ServiceObject,
} from '../../../readers/kubernetes/ingress';
import { buildKustomization, deployedName, isKustomization } from '../../../readers/kubernetes/kustomize';
import { looksLikeManifest } from '../../../readers/kubernetes/manifests';
import type { TraefikMiddleware } from '../../../readers/proxy/traefik';
import type { Collected } from '../collect';
import type { Workload } from '../model';
import { relTo } from '../paths';
import { PROXY_IMAGE, runsOtherSoftware } from '../software';
import { workloadServes, type Serves } from './serves';
import { INGRESS_NGINX_ANNOTATIONS, OPENSHIFT_INGRESS_TO_ROUTE } from '../../../catalogue/hops';
import { REMOVED_APIS } from '../../../catalogue/kubernetesApis';
import { configMapNginx } from '../../../readers/kubernetes/configMapNginx';
import type {
  EdgeTie,
  HttpRouteEdge,
  IngressClassEdge,
  IngressController,
  IngressEdge,
  IngressOff,
  IngressTls,
  K8sObjectEdge,
  K8sSource,
  ProxyConfigMap,
  OpenShiftRouteEdge,
  TraefikRouter,
} from './types';

/** A deployment set's objects. */
interface DeploymentSet {
  readonly source: K8sSource;
  /** The text of a file of the set (a proxy's configuration in a ConfigMap is read from it). */
  readonly text?: (file: string) => string | undefined;
  /** What the set is, in messages ("the manifests of the repository", "what k8s/prod/kustomization.yaml builds", "the chart deploy/chart"). */
  readonly label: string;
  readonly ingresses: { readonly ingress: IngressObject; readonly file: string }[];
  readonly routes: { readonly route: IngressRouteObject; readonly file: string }[];
  readonly httpRoutes: { readonly route: HttpRouteObject; readonly file: string }[];
  readonly gateways: { readonly gateway: GatewayObject; readonly file: string }[];
  readonly osRoutes: { readonly route: OpenShiftRouteObject; readonly file: string }[];
  readonly services: ServiceObject[];
  readonly owners: PodOwnerObject[];
  readonly classes: { readonly cls: IngressClassObject; readonly file: string }[];
  readonly middlewares: TraefikMiddleware[];
  /** Every object of the set (any kind). */
  readonly objects: { readonly object: K8sObject; readonly file: string }[];
  /** Why an object's file makes it not production's (by the set's or the object's path). */
  readonly devReason: (file: string) => string | undefined;
  readonly off: IngressOff[];
  /**
   * The objects a chart's template writes whole inside a block its own defaults turn off (no
   * production release's values read): a release that turns the block on deploys them.
   */
  readonly offByDefaults: { readonly object: K8sObject; readonly file: string; readonly why: string }[];
}

/** A whole object's top-level apiVersion and kind in a template's text (no template part in them). */
const TOP_API_VERSION = /^apiVersion:[ \t]*["']?([A-Za-z0-9./-]+)["']?[ \t]*(?:#.*)?$/m;
const TOP_KIND = /^kind:[ \t]*["']?([A-Za-z]+)["']?[ \t]*(?:#.*)?$/m;

// (an object of a List or an OpenShift Template is an item of a sequence: `- kind: Route`)
const MENTIONS_INGRESS = /^[ \t]*(?:-[ \t]+)?kind:[ \t]*["']?(Ingress|IngressRoute|HTTPRoute|Route)["']?[ \t]*$/m;

export interface KubernetesEdges {
  readonly ingresses: IngressEdge[];
  readonly ingressesOff: IngressOff[];
  readonly ingressClasses: IngressClassEdge[];
  readonly routers: TraefikRouter[];
  readonly middlewares: TraefikMiddleware[];
  readonly httpRoutes: HttpRouteEdge[];
  readonly openShiftRoutes: OpenShiftRouteEdge[];
  readonly objects: K8sObjectEdge[];
}

export function kubernetesEdges(r: Collected): KubernetesEdges | undefined {
  const { ws, project } = r;
  const fs = ws.fs;
  const yamlFiles = project.files.filter((f) => f.kind === 'manifest' || (f.kind === 'config' && /\.ya?ml$/.test(f.path)));
  const texts = new Map<string, string>();
  for (const f of yamlFiles) {
    const t = fs.readText(f.path);
    if (t !== undefined) texts.set(f.path, t);
  }
  // (read when a file mentions an Ingress, or an API version the API server no longer serves)
  if (![...texts.values()].some((t) => MENTIONS_INGRESS.test(t) || mentionsRemovedApi(t))) return undefined;
  const rel = (f: string): string => relTo(project, ws, f);
  const charts = findCharts(fs, project.files, ws.scanFor(project.root)?.root ?? project.root);
  const inChart = new Set(charts.flatMap((c) => c.templates));
  const sets: DeploymentSet[] = [];
  // the loose manifests
  const loose = newSet({ kind: 'manifest', file: project.root }, 'the manifests of the repository', (f) => devReasonOfPath(rel(f)));
  for (const [file, text] of texts) {
    if (isKustomization(file) || r.kustomized?.has(file) || inChart.has(file) || !looksLikeManifest(text)) continue;
    addDocs(loose, docsOfFile(file, text, undefined).docs, file);
  }
  sets.push(loose);
  // each kustomization not read through another
  for (const f of yamlFiles) {
    if (!isKustomization(f.path) || r.kustomized?.has(f.path)) continue;
    const b = buildKustomization(fs, f.path);
    const dev = devReasonOfPath(rel(f.path));
    const set = newSet(
      { kind: 'kustomization', file: f.path, ...(b.notes.length > 0 ? { notes: b.notes } : {}) },
      `what ${rel(f.path)} builds`,
      () => dev,
    );
    for (const d of docsOf(b.documents)) addDoc(set, d, d.doc.loc.file, baseKind(fs.readText(d.doc.loc.file), d.doc.loc));
    sets.push(set);
  }
  // each chart
  for (const c of charts) sets.push(chartSet(r, c, rel, texts));
  const allClasses = sets.flatMap((s) => s.classes);
  const openshift = openShiftEvidence(sets, rel);
  const ingresses: IngressEdge[] = [];
  const routers: TraefikRouter[] = [];
  const httpRoutes: HttpRouteEdge[] = [];
  const openShiftRoutes: OpenShiftRouteEdge[] = [];
  const read = (f: string): string | undefined => texts.get(f) ?? fs.readText(f);
  for (const built of sets) {
    const set: DeploymentSet = { ...built, text: read };
    const serves = ownerServes(r, set);
    for (const { ingress, file } of set.ingresses) ingresses.push(ingressEdge(set, ingress, file, allClasses, serves, openshift));
    for (const { route, file } of set.routes) routers.push(...routeRouters(set, route, file, serves));
    for (const { route, file } of set.httpRoutes) httpRoutes.push(httpRouteEdge(set, route, file, serves));
    for (const { route, file } of set.osRoutes) openShiftRoutes.push(openShiftRouteEdge(set, route, file, serves));
  }
  return {
    ingresses,
    ingressesOff: sets.flatMap((s) => s.off),
    ingressClasses: allClasses.map(({ cls, file }) => ({ ...cls, file, production: !devReasonOfPath(rel(file)) })),
    routers,
    middlewares: sets.flatMap((s) => s.middlewares),
    httpRoutes,
    openShiftRoutes,
    objects: sets.flatMap((s) => [
      ...s.objects.map(({ object, file }) => objectEdge(s, object, file)),
      ...s.offByDefaults.map(({ object, file, why }) => ({
        ...objectEdge(s, object, file),
        deployed: { state: 'unknown' as const, why, offByDefaults: true as const },
      })),
    ]),
  };
}

function mentionsRemovedApi(text: string): boolean {
  return REMOVED_APIS.some((r) => text.includes(r.apiVersion));
}

function objectEdge(set: DeploymentSet, o: K8sObject, file: string): K8sObjectEdge {
  const devReason = set.devReason(file);
  return {
    kind: o.kind,
    apiVersion: o.apiVersionText,
    ...(o.name ? { name: o.name } : {}),
    file,
    source: set.source,
    production: !devReason,
    ...(devReason ? { devReason } : {}),
    deployed: o.maybe ? { state: 'unknown', why: o.maybe } : { state: 'yes' },
  };
}

function newSet(source: K8sSource, label: string, devReason: (file: string) => string | undefined): DeploymentSet {
  return {
    source,
    label,
    ingresses: [],
    routes: [],
    httpRoutes: [],
    gateways: [],
    osRoutes: [],
    services: [],
    owners: [],
    classes: [],
    middlewares: [],
    objects: [],
    devReason,
    off: [],
    offByDefaults: [],
  };
}

function addDocs(set: DeploymentSet, docs: readonly K8sDoc[], file: string): void {
  for (const d of docs) addDoc(set, d, file);
}

/**
 * Where the `kind:` of a resource a kustomization builds is written in its own file (a patch that
 * repeats `kind:` replaces the node, not the resource's place): the first `kind:` at the start of a
 * line within the resource's document.
 */
function baseKind(text: string | undefined, at: Loc): Loc | undefined {
  if (text === undefined) return undefined;
  const re = /^kind:[ \t]*["']?([A-Za-z]+)/gm;
  re.lastIndex = at.start;
  const m = re.exec(text);
  if (!m || m.index >= at.end) return undefined;
  const start = m.index + m[0].length - m[1]!.length;
  return { file: at.file, start, end: start + m[1]!.length };
}

function addDoc(set: DeploymentSet, d: K8sDoc, file: string, kindAt?: Loc): void {
  const found = objectOf(d);
  if (!found) return;
  // (pod owners keep the node's place: the process model's workloads are found by it)
  const o = kindAt && !isPodOwner(found) ? { ...found, loc: kindAt } : found;
  set.objects.push({ object: o, file: o.loc.file || file });
  if (isIngress(o)) set.ingresses.push({ ingress: readIngress(d, o), file: o.loc.file || file });
  else if (o.kind === 'IngressClass') set.classes.push({ cls: readIngressClass(d, o), file: o.loc.file || file });
  else if (o.kind === 'Service' && o.apiVersion === 'v1') {
    const deployed = deployedName(d.doc);
    set.services.push({ ...readService(d, o), ...(deployed !== undefined ? { deployedName: deployed } : {}) });
  } else if (isPodOwner(o)) set.owners.push(readPodOwner(d, o));
  else if (isIngressRoute(o)) set.routes.push({ route: readIngressRoute(d, o), file: o.loc.file || file });
  else if (isGatewayApi(o, 'HTTPRoute')) set.httpRoutes.push({ route: readHttpRoute(d, o), file: o.loc.file || file });
  else if (isGatewayApi(o, 'Gateway')) set.gateways.push({ gateway: readGateway(d, o), file: o.loc.file || file });
  else if (isOpenShiftRoute(o)) set.osRoutes.push({ route: readOpenShiftRoute(d, o), file: o.loc.file || file });
  else if (isTraefikMiddleware(o)) {
    const m = readTraefikMiddleware(d, o, o.loc.file || file);
    if (m) set.middlewares.push(m);
  }
}

/** A chart's templates rendered with its values, and the Ingresses its values turn off. */
function chartSet(r: Collected, c: HelmChart, rel: (f: string) => string, texts: ReadonlyMap<string, string>): DeploymentSet {
  const source: K8sSource = {
    kind: 'helm',
    file: c.chartFile,
    values: { files: c.values.files, why: c.values.why, ...(c.values.defaultsOnly ? { defaultsOnly: true as const } : {}) },
  };
  const set = newSet(source, `the chart ${rel(c.dir) || c.name || '.'}`, (f) => devReasonOfPath(rel(f)));
  const defines = chartDefines(r.ws.fs, c);
  for (const t of c.templates) {
    const text = texts.get(t) ?? r.ws.fs.readText(t);
    if (text === undefined) continue;
    const { docs, rendered } = docsOfFile(t, text, c.values, defines);
    const before = set.ingresses.length;
    addDocs(set, docs, t);
    if (!rendered) continue;
    // an Ingress the template writes but the values turned off
    const kept = new Set(set.ingresses.slice(before).map((i) => i.ingress.loc.start));
    for (const m of text.matchAll(/^[ \t]*kind:[ \t]*["']?Ingress["']?[ \t]*$/gm)) {
      const at = m.index + m[0].indexOf('Ingress');
      if (kept.has(at)) continue;
      const off = rendered.off.filter((o) => at >= o.start && at < o.end).sort((a, b) => b.start - a.start)[0];
      if (!off) continue;
      set.off.push({
        file: t,
        loc: { file: t, start: at, end: at + 'Ingress'.length },
        source,
        why: off.why,
        production: !set.devReason(t),
      });
    }
    // an object written whole in a block the chart's own defaults turn off (`{{- if .Values.cronjob.enabled }}`,
    // false in values.yaml): deployed by a release that turns it on
    if (c.values.defaultsOnly)
      for (const o of rendered.off) {
        const block = text.slice(o.start, o.end);
        const api = TOP_API_VERSION.exec(block);
        const kind = TOP_KIND.exec(block);
        if (!api || !kind) continue;
        const apiStart = o.start + api.index + api[0].indexOf(api[1]!, 'apiVersion:'.length);
        const kindStart = o.start + kind.index + kind[0].indexOf(kind[1]!, 'kind:'.length);
        const object: K8sObject = {
          kind: kind[1]!,
          apiVersion: api[1]!,
          apiVersionText: { text: api[1]!, loc: { file: t, start: apiStart, end: apiStart + api[1]!.length } },
          loc: { file: t, start: kindStart, end: kindStart + kind[1]!.length },
        };
        set.offByDefaults.push({ object, file: t, why: o.why });
      }
  }
  return set;
}

// ---- which workloads serve the app ----------------------------------------------------------------

/** The process workloads of a pod owner of the set (its containers, as the process model read them). */
function workloadsOf(r: Collected, set: DeploymentSet, o: PodOwnerObject): Workload[] {
  return r.workloads.filter((w) => {
    const at = w.process.object?.loc;
    if (!at || at.file !== o.loc.file || at.start !== o.loc.start) return false;
    return set.source.kind === 'kustomization' ? w.source.file === set.source.file : w.source.file === o.loc.file;
  });
}

/** What each pod owner of the set runs: 'app' when a container of it runs the app. */
function ownerServes(r: Collected, set: DeploymentSet): (o: PodOwnerObject) => Serves {
  const memo = new Map<PodOwnerObject, Serves>();
  const byOwner = new Map(set.owners.map((o) => [o, workloadsOf(r, set, o)] as const));
  // the owners that may run the image's own command as the app: long-running, no other software, and
  // no command of their own (a task worker given `python manage.py db_worker` by an overlay's patch is
  // decided by its own command, workloadServes, so it leaves the web Deployment the sole one)
  const longRunning = set.owners.filter((o) =>
    (byOwner.get(o) ?? []).some(
      (w) => !w.process.once && !w.process.scheduled && !runsOtherSoftware(w) && !w.process.words && !w.process.shell,
    ),
  );
  return (o) => {
    const known = memo.get(o);
    if (known) return known;
    const ws = byOwner.get(o) ?? [];
    let out: Serves;
    if (ws.length === 0) out = { state: 'unknown', why: `the ${o.kind} ${o.name?.text ?? '?'} runs nothing the process model read` };
    else {
      const each = ws.map((w) => workloadServes(r, w, longRunning.length === 1 && longRunning[0] === o));
      out =
        each.find((s) => s.state === 'app') ??
        (each.every((s) => s.state === 'other') ? each[0]! : each.find((s) => s.state === 'unknown')!);
    }
    memo.set(o, out);
    return out;
  };
}

function sameNamespace(a: K8sText | undefined, b: K8sText | undefined): boolean {
  return !a || !b || a.dynamic || b.dynamic || a.text === b.text;
}

/** The tie of a Service name (an Ingress backend's, an IngressRoute service's) in a set. */
/** How many leading characters two paths share. */
function shared(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Whether every container of a pod owner runs a reverse proxy's image (nginx, Caddy, HAProxy…). */
function runsProxyOnly(o: PodOwnerObject): boolean {
  return o.containers.length > 0 && o.containers.every((c) => !!c.image && PROXY_IMAGE.test(c.image));
}

/**
 * Whether a proxy configuration's text names `host` as where it proxies to (nginx proxy_pass or
 * upstream server, Caddy reverse_proxy, uwsgi_pass), however many spaces or tabs follow the directive
 * (`proxy_pass      http://app:8000;`).
 */
export function proxiesTo(text: string, host: string): boolean {
  const ends = (i: number): boolean => {
    const c = text[i];
    return c === undefined || c === ':' || c === '/' || c === ';' || c === '.' || c === ' ' || c === '\t' || c === '\n' || c === '\r';
  };
  const blank = (c: string | undefined): boolean => c === ' ' || c === '\t';
  for (const directive of ['proxy_pass', 'server', 'reverse_proxy', 'uwsgi_pass']) {
    for (let i = text.indexOf(directive); i >= 0; i = text.indexOf(directive, i + 1)) {
      const before = i === 0 ? '\n' : text[i - 1]!;
      if (!(before === ' ' || before === '\t' || before === '\n' || before === '{')) continue;
      let j = i + directive.length;
      if (!blank(text[j])) continue;
      while (blank(text[j])) j++;
      // a scheme before the host: proxy_pass needs one, reverse_proxy may have http://, server and uwsgi_pass none
      let scheme = '';
      for (const s of ['http://', 'https://']) if (!scheme && text.startsWith(s, j)) scheme = s;
      if (directive === 'proxy_pass' ? !scheme : directive === 'reverse_proxy' ? scheme === 'https://' : !!scheme) continue;
      j += scheme.length;
      if (text.startsWith(host, j) && ends(j + host.length)) return true;
    }
  }
  return false;
}

/**
 * The Service behind a proxy of the set that selects the app's pods, said with where the proxy's
 * configuration names it: a ConfigMap of the set whose text proxies to it.
 */
function proxiedService(
  set: DeploymentSet,
  proxyService: string,
  namespace: K8sText | undefined,
  serves: (o: PodOwnerObject) => Serves,
): { why: string; via: ProxyConfigMap } | undefined {
  if (!set.text) return undefined;
  const configMaps = set.objects.filter((x) => x.object.kind === 'ConfigMap');
  if (configMaps.length === 0) return undefined;
  for (const svc of set.services) {
    const n = svc.name;
    if (!n || n.dynamic || n.text === proxyService || !sameNamespace(svc.namespace, namespace)) continue;
    const tie = serviceTie(set, n, namespace, serves, true);
    if (tie.state !== 'app') continue;
    const cm = configMaps.find((x) => proxiesTo(set.text!(x.file) ?? '', n.text));
    if (cm)
      return {
        why: `its configuration (the ConfigMap ${cm.object.name?.text ?? '?'}) proxies to the Service ${n.text}: ${tie.why}`,
        via: {
          name: cm.object.name?.text ?? '?',
          file: cm.file,
          nginx: cm.object.name ? configMapNginx(cm.file, set.text(cm.file) ?? '', cm.object.name.text) : [],
        },
      };
  }
  return undefined;
}

function serviceTie(
  set: DeploymentSet,
  name: K8sText | undefined,
  namespace: K8sText | undefined,
  serves: (o: PodOwnerObject) => Serves,
  /** Asked for a Service behind a proxy (not followed further). */
  behindProxy = false,
): EdgeTie {
  if (!name) return { state: 'unknown', why: 'it names no Service' };
  // a Service beside the Ingress first (the loose manifests of several folders are one set); by the
  // name written, or the one a kustomization's namePrefix or nameSuffix deploys it under
  const from = name.loc.file;
  const services = set.services
    .filter((s) => (s.name?.text === name.text || s.deployedName === name.text) && sameNamespace(s.namespace, namespace))
    .sort((a, b) => shared(b.loc.file, from) - shared(a.loc.file, from));
  const shown = name.dynamic ? `${name.text} (a template part)` : name.text;
  let owners: PodOwnerObject[] = [];
  let how = '';
  for (const s of services) {
    if (!s.selector || s.selector.size === 0) continue;
    const selected = set.owners.filter(
      (o) => sameNamespace(o.namespace, s.namespace) && [...s.selector!].every(([k, v]) => o.podLabels.get(k) === v),
    );
    if (selected.length > 0) {
      owners = selected;
      how = `the Service ${shown} selects the pods of ${selected.map((o) => `the ${o.kind} ${o.name?.text ?? '?'}`).join(', ')}`;
      break;
    }
  }
  if (owners.length === 0) {
    const named = set.owners.filter((o) => o.name?.text === name.text && sameNamespace(o.namespace, namespace));
    if (named.length > 0) {
      owners = named;
      how = `${services.length > 0 ? `the Service ${shown} selects no pods of the set, ` : `no Service ${shown} in ${set.label}, `}but the ${named[0]!.kind} ${shown} is named like it`;
    }
  }
  if (owners.length === 0)
    return {
      state: 'unknown',
      why:
        services.length > 0
          ? `the Service ${shown} selects no workload of ${set.label}`
          : `no Service ${shown} in ${set.label}${name.dynamic ? ' (its name is a template part the values do not decide)' : ''}`,
    };
  const each = owners.map(serves);
  const app = each.find((s) => s.state === 'app');
  if (app) return { state: 'app', why: `${how}; ${app.why}` };
  // a proxy's pods (an nginx Deployment in front of the app's): the app is behind it when its
  // configuration, a ConfigMap of the set, proxies to a Service that selects the app's pods
  if (!behindProxy && owners.every(runsProxyOnly)) {
    const behind = proxiedService(set, name.text, namespace, serves);
    if (behind) return { state: 'app', why: `${how}, a proxy; ${behind.why}`, via: behind.via };
  }
  if (each.every((s) => s.state === 'other')) return { state: 'other', why: `${how}; ${each[0]!.why}` };
  return { state: 'unknown', why: `${how}; ${each.find((s) => s.state === 'unknown')!.why}` };
}

// ---- Ingresses ------------------------------------------------------------------------------------

const OTHER_CLASSES: Readonly<Record<string, string>> = {
  alb: "AWS's load balancer controller",
  gce: "GKE's ingress controller",
  'gce-internal': "GKE's ingress controller",
  'azure/application-gateway': "Azure's Application Gateway ingress controller",
  'addon-http-application-routing': "AKS's HTTP application routing",
  'webapprouting.kubernetes.azure.com': "AKS's application routing",
  haproxy: 'the HAProxy ingress controller',
  kong: 'Kong',
  contour: 'Contour',
  istio: 'Istio',
  cilium: 'Cilium',
};

const OTHER_ANNOTATIONS: readonly (readonly [string, string])[] = [
  ['nginx.org/', "F5's NGINX Ingress Controller"],
  ['alb.ingress.kubernetes.io/', "AWS's load balancer controller"],
  ['networking.gke.io/', "GKE's ingress controller"],
  ['ingress.gcp.kubernetes.io/', "GKE's ingress controller"],
  ['kubernetes.io/ingress.global-static-ip-name', "GKE's ingress controller"],
  ['appgw.ingress.kubernetes.io/', "Azure's Application Gateway ingress controller"],
  ['haproxy.org/', 'the HAProxy ingress controller'],
  ['haproxy-ingress.github.io/', 'the HAProxy ingress controller'],
  ['konghq.com/', 'Kong'],
  ['projectcontour.io/', 'Contour'],
];

function controllerOf(value: string): IngressController['kind'] {
  if (value === 'k8s.io/ingress-nginx') return 'ingress-nginx';
  if (value === OPENSHIFT_INGRESS_TO_ROUTE.controller.value) return 'openshift';
  if (value === 'traefik.io/ingress-controller' || value === 'containo.us/ingress-controller') return 'traefik';
  return 'other';
}

/** The controller the annotations say, when they say one. */
function byAnnotations(i: IngressObject): IngressController | undefined {
  const has = (prefix: string): Loc | undefined => i.annotations.find((a) => a.name.startsWith(prefix))?.keyLoc;
  const found: IngressController[] = [];
  const nginx = has(INGRESS_NGINX_ANNOTATIONS.value);
  if (nginx) found.push({ kind: 'ingress-nginx', why: 'its nginx.ingress.kubernetes.io annotations are ingress-nginx’s', loc: nginx });
  const traefik = has('traefik.ingress.kubernetes.io/');
  if (traefik) found.push({ kind: 'traefik', why: 'its traefik.ingress.kubernetes.io annotations are Traefik’s', loc: traefik });
  for (const [prefix, name] of OTHER_ANNOTATIONS) {
    const at = has(prefix);
    if (at && !found.some((f) => f.name === name))
      found.push({ kind: 'other', name, why: `its ${prefix} annotations are ${name}’s`, loc: at });
  }
  if (found.length === 1) return found[0];
  if (found.length > 1)
    return { kind: 'unknown', why: `its annotations are for several controllers (${found.map((f) => f.name ?? f.kind).join(', ')})` };
  return undefined;
}

/**
 * ingress-nginx presumed from its annotations alone (catalogue INGRESS_NGINX_ANNOTATIONS: only
 * ingress-nginx reads them, and an Ingress without a class is the cluster's default's): why.
 */
function presumedFrom(c: IngressController, clause: string): { presumed?: string } {
  return c.kind === 'ingress-nginx'
    ? { presumed: `presumed from its ${INGRESS_NGINX_ANNOTATIONS.value.slice(0, -1)} annotations; ${clause}` }
    : {};
}

/** What shows the repository deploys to OpenShift: its first production object of an API only OpenShift serves, or a container pulling from OpenShift's internal registry. */
interface OpenShiftEvidence {
  readonly why: string;
  readonly loc: Loc;
}

/** See OpenShiftEvidence (catalogue OPENSHIFT_INGRESS_TO_ROUTE.deployments). */
function openShiftEvidence(sets: readonly DeploymentSet[], rel: (f: string) => string): OpenShiftEvidence | undefined {
  const { kinds, registry } = OPENSHIFT_INGRESS_TO_ROUTE.deployments.value;
  for (const s of sets)
    for (const { object: o, file } of s.objects) {
      if (o.maybe || s.devReason(file) || !kinds[o.kind]?.includes(o.apiVersion)) continue;
      const name = o.name && !o.name.dynamic ? ` ${o.name.text}` : '';
      return { why: `its ${o.kind}${name} (${o.apiVersion}, ${rel(o.loc.file || file)})`, loc: o.loc };
    }
  for (const s of sets)
    for (const w of s.owners) {
      if (w.maybe || s.devReason(w.loc.file)) continue;
      const c = w.containers.find((x) => x.image?.startsWith(`${registry}:`) || x.image?.startsWith(`${registry}/`));
      if (c) return { why: `the image ${c.image} of OpenShift's internal registry (${rel(w.loc.file)})`, loc: w.loc };
    }
  return undefined;
}

function ingressController(
  i: IngressObject,
  cls: K8sText | undefined,
  classes: readonly { cls: IngressClassObject }[],
  openshift?: OpenShiftEvidence,
): IngressController {
  const annotations = byAnnotations(i);
  if (cls && !cls.dynamic) {
    const c = classes.find((x) => x.cls.name?.text === cls.text);
    if (c?.cls.controller && !c.cls.controller.dynamic) {
      const kind = controllerOf(c.cls.controller.text);
      return {
        kind,
        ...(kind === 'other' ? { name: c.cls.controller.text } : {}),
        why: `the IngressClass ${cls.text} (controller ${c.cls.controller.text})`,
        loc: c.cls.controller.loc,
      };
    }
    if (cls.text === 'nginx') {
      const f5 = i.annotations.find((a) => a.name.startsWith('nginx.org/'));
      const ours = i.annotations.some((a) => a.name.startsWith('nginx.ingress.kubernetes.io/'));
      if (f5 && ours)
        return {
          kind: 'unknown',
          why: 'class nginx, with annotations of both ingress-nginx and F5’s NGINX Ingress Controller',
          loc: cls.loc,
        };
      if (f5)
        return {
          kind: 'other',
          name: "F5's NGINX Ingress Controller",
          why: 'class nginx with nginx.org annotations (F5’s NGINX Ingress Controller)',
          loc: f5.keyLoc,
        };
      return { kind: 'ingress-nginx', why: `its class is nginx${ours ? ', with ingress-nginx’s annotations' : ''}`, loc: cls.loc };
    }
    if (cls.text === 'traefik') return { kind: 'traefik', why: 'its class is traefik', loc: cls.loc };
    const other = OTHER_CLASSES[cls.text];
    if (other) return { kind: 'other', name: other, why: `its class ${cls.text} is ${other}’s`, loc: cls.loc };
    if (annotations)
      return {
        ...annotations,
        why: `its class ${cls.text} is not in the repository; ${annotations.why}`,
        ...presumedFrom(annotations, `its class ${cls.text} is not in the repository`),
      };
    return {
      kind: 'unknown',
      why: `its class ${cls.text} is not an IngressClass of the repository, and nothing else says which controller it is`,
      loc: cls.loc,
    };
  }
  if (cls?.dynamic) {
    if (annotations)
      return {
        ...annotations,
        why: `its class is not known (a template part); ${annotations.why}`,
        ...presumedFrom(annotations, 'its class is a template part'),
      };
    return { kind: 'unknown', why: 'its class is a template part the values do not decide', loc: cls.loc };
  }
  const def = classes.filter((x) => x.cls.isDefault);
  if (def.length === 1 && def[0]!.cls.controller && !def[0]!.cls.controller.dynamic) {
    const c = def[0]!.cls;
    const kind = controllerOf(c.controller!.text);
    return {
      kind,
      ...(kind === 'other' ? { name: c.controller!.text } : {}),
      why: `no class: the default IngressClass ${c.name?.text ?? '?'} (controller ${c.controller!.text})`,
      loc: c.isDefault,
    };
  }
  if (annotations) return { ...annotations, why: `no class, but ${annotations.why}`, ...presumedFrom(annotations, 'no ingressClassName') };
  // on OpenShift, an Ingress without a class is made a Route by its ingress-to-route controller
  if (openshift)
    return {
      kind: 'openshift',
      why: `no class, and the repository deploys to OpenShift (${openshift.why}), whose ingress-to-route controller makes it a Route`,
      loc: openshift.loc,
      presumed: `presumed from ${openshift.why}; no ingressClassName`,
    };
  return { kind: 'unknown', why: 'no class: the cluster’s default ingress class, which the repository does not say' };
}

function ingressTls(set: DeploymentSet, i: IngressObject): IngressTls {
  if (i.tlsUnknown) return { state: 'unknown', why: i.tlsUnknown };
  const certain = i.tls.filter((e) => !e.maybe);
  if (certain.length > 0) {
    const hosts = i.tls.flatMap((e) => e.hosts);
    return {
      state: 'yes',
      hosts,
      ...(certain[0]!.secretName ? { secretName: certain[0]!.secretName } : {}),
      loc: certain[0]!.loc,
      entries: i.tls,
    };
  }
  if (i.tls.length > 0) return { state: 'unknown', why: i.tls[0]!.maybe!, loc: i.tls[0]!.loc };
  const routerTls = i.annotations.find((a) => a.name === 'traefik.ingress.kubernetes.io/router.tls');
  if (routerTls) {
    if (routerTls.value.dynamic)
      return {
        state: 'unknown',
        why: 'its traefik.ingress.kubernetes.io/router.tls annotation is a template part',
        loc: routerTls.value.loc,
      };
    if (routerTls.value.text.trim().toLowerCase() === 'true')
      return {
        state: 'yes',
        hosts: [],
        loc: routerTls.value.loc,
        entries: [],
        via: 'the annotation traefik.ingress.kubernetes.io/router.tls',
      };
  }
  if (i.unknownAnnotations) return { state: 'unknown', why: `it has no spec.tls, but ${i.unknownAnnotations}` };
  // (a spec.tls the chart's own defaults turn off, no production release's values read: each
  // release's values decide it, `helm install --set ingress.tls.enabled=true`)
  if (i.tlsOff && set.source.kind === 'helm' && set.source.values?.defaultsOnly)
    return {
      state: 'unknown',
      why: `${i.tlsOff}: a release's values decide it`,
    };
  return {
    state: 'no',
    why: `it has no spec.tls${set.source.kind === 'helm' ? ` with ${set.source.values?.why ?? 'the chart’s values'}` : ''}`,
  };
}

/**
 * The Ingress a production values file of a chart the repository does not hold describes
 * (readers/kubernetes/externalChartValues.ts): its class, or the annotations, name its controller
 * as they would for an Ingress of the repository; its tls entries end TLS; it fronts the app, the
 * chart those values deploy being the app's deployment. `shown`: the values file as messages name it.
 */
export function chartValuesIngressEdge(
  v: ExternalChartValues,
  shown: string,
  classes: readonly IngressClassObject[],
): IngressEdge | undefined {
  const i = v.ingressObject;
  if (!i) return undefined;
  const cls = i.classField ?? i.classAnnotation;
  const className = classNameOf(i);
  const first = i.tls[0];
  const tls: IngressTls = first
    ? {
        state: 'yes',
        hosts: i.tls.flatMap((e) => e.hosts),
        ...(first.secretName ? { secretName: first.secretName } : {}),
        loc: first.loc,
        entries: i.tls,
      }
    : { state: 'no', why: `its values give no ingress.tls (${shown})` };
  const why = `the production values of a chart the repository does not hold (${shown})`;
  return {
    file: v.file,
    loc: i.loc,
    apiVersion: i.apiVersion,
    source: { kind: 'helm', file: v.file, values: { files: [v.file], why } },
    production: true,
    deployed: { state: 'yes' },
    ...(className ? { className } : {}),
    controller: ingressController(
      i,
      cls,
      classes.map((c) => ({ cls: c })),
    ),
    tls,
    hosts: i.hosts,
    annotations: i.annotations,
    backends: [],
    legacy: [],
    tie: { state: 'app', why: `the chart ${shown} configures deploys the app with it (its templates are not in the repository)` },
  };
}

function ingressEdge(
  set: DeploymentSet,
  i: IngressObject,
  file: string,
  classes: readonly { cls: IngressClassObject }[],
  serves: (o: PodOwnerObject) => Serves,
  openshift?: OpenShiftEvidence,
): IngressEdge {
  const cls = i.classField ?? i.classAnnotation;
  const className = classNameOf(i);
  const backends = i.backends.map((b) => ({
    ...b,
    tie: b.resource
      ? ({ state: 'other', why: 'a resource backend, not a Service' } as const)
      : serviceTie(set, b.service, i.namespace, serves),
  }));
  const app = backends.find((b) => b.tie.state === 'app');
  const where = (b: (typeof backends)[number]): string =>
    b.isDefault ? 'its default backend' : `${b.host ? b.host.text : '*'}${b.path ? b.path.text : ''}`;
  const tie: EdgeTie = app
    ? { state: 'app', why: `${where(app)}: ${app.tie.why}`, ...(app.tie.state === 'app' && app.tie.via ? { via: app.tie.via } : {}) }
    : backends.length > 0 && backends.every((b) => b.tie.state === 'other')
      ? { state: 'other', why: `${where(backends[0]!)}: ${backends[0]!.tie.why}` }
      : backends.length === 0
        ? { state: 'unknown', why: 'it has no backend' }
        : { state: 'unknown', why: backends.find((b) => b.tie.state === 'unknown')!.tie.why };
  const devReason = set.devReason(file);
  return {
    file,
    loc: i.loc,
    apiVersion: i.apiVersion,
    ...(i.name ? { name: i.name } : {}),
    ...(i.namespace ? { namespace: i.namespace } : {}),
    source: set.source,
    production: !devReason,
    ...(devReason ? { devReason } : {}),
    deployed: i.maybe ? { state: 'unknown', why: i.maybe } : { state: 'yes' },
    ...(className ? { className } : {}),
    controller: ingressController(i, cls, classes, openshift),
    tls: ingressTls(set, i),
    hosts: i.hosts,
    annotations: i.annotations,
    ...(i.unknownAnnotations ? { unknownAnnotations: i.unknownAnnotations } : {}),
    backends,
    legacy: i.legacy,
    tie,
  };
}

// ---- The Gateway API's HTTPRoutes ----------------------------------------------------------------

/**
 * An HTTPRoute with what its rules do and reach: a rule takes effect unless an earlier rule of the
 * route has the same matches (the Gateway API gives a tie to the first matching rule in list order);
 * the route reaches the app when a rule that takes effect sends to a Service whose pods run it; each
 * Gateway it attaches to, with the protocols of the listeners it is attached to when the Gateway is
 * in the set (the listener its `sectionName` names, else every listener).
 */
function httpRouteEdge(set: DeploymentSet, route: HttpRouteObject, file: string, serves: (o: PodOwnerObject) => Serves): HttpRouteEdge {
  const devReason = set.devReason(file);
  const rules = route.rules.map((r, i) => ({
    ...r,
    shadowedBy: route.rules.slice(0, i).find((e) => e.matchesText === r.matchesText)?.loc,
  }));
  const ties = rules
    .filter((r) => !r.shadowedBy)
    .flatMap((r) =>
      r.backends.map((b) =>
        b.kind ? ({ state: 'other', why: `a ${b.kind}` } as EdgeTie) : serviceTie(set, b.name, route.namespace, serves),
      ),
    );
  const tie: EdgeTie =
    ties.find((t) => t.state === 'app') ??
    (ties.length > 0 && ties.every((t) => t.state === 'other')
      ? ties[0]!
      : (ties.find((t) => t.state === 'unknown') ?? { state: 'unknown', why: 'it sends to no Service' }));
  const gateways = route.parents.map((p) => {
    const g = set.gateways.find((x) => x.gateway.name?.text === p.name.text && !p.name.dynamic);
    if (!g || g.gateway.listenersUnknown) return { name: p.name.text };
    const listeners = p.sectionName ? g.gateway.listeners.filter((l) => l.name?.text === p.sectionName!.text) : g.gateway.listeners;
    return {
      name: p.name.text,
      inSet: { file: g.file, loc: g.gateway.loc, protocols: listeners.map((l) => (l.protocol?.text ?? '').toUpperCase()) },
    };
  });
  return {
    name: route.name,
    file,
    loc: route.loc,
    production: !devReason,
    ...(devReason ? { devReason } : {}),
    hostnames: route.hostnames,
    rules,
    gateways,
    tie,
  };
}

// ---- OpenShift's Routes ----------------------------------------------------------------------------

/**
 * An OpenShift Route with whether it reaches the app: through the Service of its spec.to (or of an
 * alternate backend) whose selector matches the app's pods. What its TLS and annotations do is the
 * request path's to say (catalogue OPENSHIFT_ROUTE).
 */
function openShiftRouteEdge(
  set: DeploymentSet,
  route: OpenShiftRouteObject,
  file: string,
  serves: (o: PodOwnerObject) => Serves,
): OpenShiftRouteEdge {
  const devReason = set.devReason(file);
  const ties = route.backends.map((b) =>
    b.kind ? ({ state: 'other', why: `a ${b.kind}` } as EdgeTie) : serviceTie(set, b.name, route.namespace, serves),
  );
  const tie: EdgeTie =
    ties.find((t) => t.state === 'app') ??
    (ties.length > 0 && ties.every((t) => t.state === 'other')
      ? ties[0]!
      : (ties.find((t) => t.state === 'unknown') ?? { state: 'unknown', why: 'it names no Service' }));
  return {
    ...(route.name ? { name: route.name } : {}),
    file,
    loc: route.loc,
    production: !devReason,
    ...(devReason ? { devReason } : {}),
    deployed: route.maybe ? { state: 'unknown', why: route.maybe } : { state: 'yes' },
    ...(route.host ? { host: route.host } : {}),
    ...(route.tls ? { tls: route.tls } : {}),
    annotations: route.annotations,
    ...(route.unknownAnnotations ? { unknownAnnotations: route.unknownAnnotations } : {}),
    tie,
  };
}

// ---- Traefik's IngressRoutes ----------------------------------------------------------------------

function routeRouters(set: DeploymentSet, route: IngressRouteObject, file: string, serves: (o: PodOwnerObject) => Serves): TraefikRouter[] {
  const devReason = set.devReason(file);
  return route.routes.map((rt, k) => {
    const ties = rt.services.map((s) =>
      s.kind && s.kind !== 'Service'
        ? ({ state: 'other', why: `a ${s.kind}` } as EdgeTie)
        : serviceTie(set, s.name, route.namespace, serves),
    );
    const app = ties.find((t) => t.state === 'app');
    const tie: EdgeTie =
      app ??
      (ties.length > 0 && ties.every((t) => t.state === 'other')
        ? ties[0]!
        : (ties.find((t) => t.state === 'unknown') ?? { state: 'unknown', why: 'it names no service' }));
    const mws = rt.middlewares.map((m) => ({
      name: m.name.text,
      loc: m.name.loc,
      middleware: set.middlewares.find((x) => x.name === m.name.text),
    }));
    return {
      name: `${route.name?.text ?? '?'}${route.routes.length > 1 ? `[${k}]` : ''}`,
      provider: 'kubernetescrd',
      file,
      loc: rt.loc,
      production: !devReason,
      ...(devReason ? { devReason } : {}),
      ...(rt.match ? { rule: { text: rt.match.text, loc: rt.match.loc } } : {}),
      ...(route.entryPoints.length > 0
        ? { entryPoints: { names: route.entryPoints.map((e) => e.text), loc: route.entryPoints[0]!.loc } }
        : {}),
      ...(route.tls
        ? {
            tls: {
              loc: route.tls.loc,
              ...(route.tls.certResolver ? { certResolver: { text: route.tls.certResolver.text, loc: route.tls.certResolver.loc } } : {}),
              via: 'router' as const,
            },
          }
        : {}),
      middlewares: mws.map((m) => ({ name: m.name, loc: m.loc, ...(m.middleware ? { middleware: m.middleware } : {}) })),
      ...(rt.services[0]
        ? {
            service: { text: rt.services[0].name.text, loc: rt.services[0].name.loc },
            target: { k8sService: rt.services[0].name.text, how: 'the route’s service' },
          }
        : {}),
      httpsRedirect: routeRedirect(mws.map((m) => m.middleware)),
      tie,
    };
  });
}

function routeRedirect(mws: readonly (TraefikMiddleware | undefined)[]): TraefikRouter['httpsRedirect'] {
  const m = mws.find((x) => x?.does.redirectScheme?.scheme === 'https');
  if (m) return { state: 'yes', how: 'middleware', loc: m.does.redirectScheme!.loc, why: `its middleware ${m.name} redirects to https` };
  return { state: 'unknown', why: 'Traefik’s static configuration (its entry points) is not in the repository' };
}

/** The class an Ingress names, with where: its spec.ingressClassName, else the kubernetes.io/ingress.class annotation. */
function classNameOf<T extends object>(i: { readonly classField?: T; readonly classAnnotation?: T }) {
  return i.classField
    ? { ...i.classField, from: 'spec.ingressClassName' as const }
    : i.classAnnotation
      ? { ...i.classAnnotation, from: 'annotation kubernetes.io/ingress.class' as const }
      : undefined;
}
