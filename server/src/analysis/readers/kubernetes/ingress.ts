// The Kubernetes objects that put a hop in front of the app, and those that say where it sends the
// requests: Ingresses (networking.k8s.io/v1, and the removed extensions/v1beta1 and
// networking.k8s.io/v1beta1), IngressClasses, Services (their selectors and ports), the pod
// labels of the workloads, and Traefik's IngressRoute and Middleware resources. Read from a
// manifest's documents as they are, from what a kustomization builds, or from a Helm template
// rendered with its chart's values (helmRender.ts): every value placed where it is written, a
// template part the values do not decide kept as a placeholder (dynamic, never guessed), and an
// object or field the template writes only when an undecided condition holds marked `maybe`.
//
// What the objects mean together (which controller serves an Ingress, whether it terminates TLS,
// which workload its backends reach) is decided by the process model (models/process/edges.ts).
import type { Loc } from '../../eval/values';
import { type Defines, holdsUnknown, renderHelm, type Rendered, type ValuesSource } from './helmRender';
import { middlewareEffects, type TraefikMiddleware, type TraefikOption } from '../proxy/traefik';
import { objectsOf } from './objects';
import { parseYamlDocuments, yget, yentry, yscalar, type YamlMap, type YamlNode, type YamlScalar } from '../yaml';

/** A document of a deployment set, with where its nodes are written. */
export interface K8sDoc {
  readonly doc: YamlMap;
  /** Where a node of the document is written (a Helm template's output placed back in the chart). */
  place(loc: Loc): Loc;
  /** Why a node is written only maybe (a Helm condition the values do not decide); undefined when certain. */
  maybe(loc: Loc): string | undefined;
  /**
   * A block of the document's Helm template that the values turn off (a false `if`) whose text
   * matches `written` (`tls:`): why it is off; undefined when none.
   */
  off?(written: RegExp): string | undefined;
}

/** A value as written or rendered. */
export interface K8sText {
  /** The text; a template part the values do not decide is a placeholder ⟨…⟩ in it (see dynamic). */
  readonly text: string;
  readonly loc: Loc;
  /** Holds a template part the values do not decide: not known (the same template part gives the same text). */
  readonly dynamic?: boolean;
  /** Written only when a condition of the Helm template holds that the values do not decide: why. */
  readonly maybe?: string;
}

/** The documents of a file: rendered with `values` (and the chart's named templates) when the file is a template (it holds `{{`). */
export function docsOfFile(
  file: string,
  text: string,
  values: ValuesSource | undefined,
  defines?: Defines,
): { docs: K8sDoc[]; rendered?: Rendered } {
  if (!text.includes('{{')) return { docs: docsOf(parseYamlDocuments(file, text).documents) };
  const rendered = renderHelm(file, text, values, defines);
  const place = (l: Loc): Loc => rendered.place(l.start, l.end);
  const maybe = (l: Loc): string | undefined => rendered.maybe(l.start);
  const docs: K8sDoc[] = [];
  for (const d of parseYamlDocuments(file, rendered.text).documents) {
    // (the blocks turned off inside the template's text this document comes from)
    const at = d ? rendered.place(d.loc.start, d.loc.end) : undefined;
    const off = (written: RegExp): string | undefined =>
      at && at.file === file
        ? rendered.off.find((o) => o.start >= at.start && o.start <= at.end && written.test(text.slice(o.start, o.end)))?.why
        : undefined;
    docs.push(...docsOf([d], place, maybe).map((x) => ({ ...x, off })));
  }
  return { docs, rendered };
}

/** Documents whose nodes are placed where they are written (a manifest, a kustomization's build). */
export function docsOf(
  documents: readonly (YamlNode | undefined)[],
  place: (l: Loc) => Loc = (l) => l,
  maybe: (l: Loc) => string | undefined = () => undefined,
): K8sDoc[] {
  const out: K8sDoc[] = [];
  // (a `kind: List`'s items, an OpenShift Template's objects: objects.ts)
  for (const d of documents) for (const x of objectsOf(d)) out.push({ doc: x, place, maybe });
  return out;
}

function text(d: K8sDoc, s: YamlScalar | undefined): K8sText | undefined {
  if (!s) return undefined;
  const maybe = d.maybe(s.loc);
  return { text: s.value, loc: d.place(s.loc), ...(holdsUnknown(s.value) ? { dynamic: true } : {}), ...(maybe ? { maybe } : {}) };
}

function scalarAt(n: YamlNode | undefined, ...keys: string[]): YamlScalar | undefined {
  let x = n;
  for (const k of keys) x = yget(x, k);
  return yscalar(x);
}

function seqOf(n: YamlNode | undefined): YamlNode[] {
  return n?.kind === 'seq' ? n.items : [];
}

/** The kind, apiVersion, name and namespace of an object. */
export interface K8sObject {
  readonly kind: string;
  readonly apiVersion: string;
  /** Its `apiVersion:` value as written or rendered: where, whether a template part, whether written only maybe. */
  readonly apiVersionText: K8sText;
  readonly name?: K8sText;
  readonly namespace?: K8sText;
  /** Where its `kind:` value is written. */
  readonly loc: Loc;
  /** The object is rendered only maybe (a Helm condition the values do not decide): why. */
  readonly maybe?: string;
}

export function objectOf(d: K8sDoc): K8sObject | undefined {
  const kind = yscalar(yget(d.doc, 'kind'));
  const apiVersion = yscalar(yget(d.doc, 'apiVersion'));
  if (!kind || !apiVersion) return undefined;
  const meta = yget(d.doc, 'metadata');
  const name = text(d, scalarAt(meta, 'name'));
  const namespace = text(d, scalarAt(meta, 'namespace'));
  const maybe = d.maybe(kind.loc);
  return {
    kind: kind.value,
    apiVersion: apiVersion.value,
    apiVersionText: text(d, apiVersion)!,
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    loc: d.place(kind.loc),
    ...(maybe ? { maybe } : {}),
  };
}

// ---- Ingress ------------------------------------------------------------------------------------

export interface IngressAnnotation {
  readonly name: string;
  readonly value: K8sText;
  readonly keyLoc: Loc;
}

export interface IngressTlsEntry {
  readonly hosts: readonly K8sText[];
  readonly secretName?: K8sText;
  /** Where the entry is written. */
  readonly loc: Loc;
  readonly maybe?: string;
}

/** Where an Ingress sends a path (or everything else: the default backend). */
export interface IngressBackend {
  readonly host?: K8sText;
  readonly path?: K8sText;
  readonly pathType?: K8sText;
  /** The Service's name (v1 `service.name`, v1beta1 `serviceName`). */
  readonly service?: K8sText;
  /** Its port: a number or a port name (v1 `service.port.number|name`, v1beta1 `servicePort`). */
  readonly port?: K8sText;
  /** A `resource:` backend (not a Service). */
  readonly resource?: boolean;
  /** The default backend (`spec.defaultBackend`, v1beta1 `spec.backend`). */
  readonly isDefault?: boolean;
  readonly loc: Loc;
  readonly maybe?: string;
}

/** A field a v1 Ingress may no longer use (the API server refuses it): another issue reports them. */
export interface IngressLegacy {
  readonly what: 'serviceName' | 'servicePort' | 'no pathType' | 'spec.backend';
  readonly loc: Loc;
  /** Written (or left out) only when a condition of the Helm template holds that the values do not decide: why. */
  readonly maybe?: string;
}

/** An Ingress as its manifest writes it. */
export interface IngressObject extends K8sObject {
  /** spec.ingressClassName. */
  readonly classField?: K8sText;
  /** The `kubernetes.io/ingress.class` annotation. */
  readonly classAnnotation?: K8sText;
  readonly annotations: readonly IngressAnnotation[];
  /** Annotations the template inserts that the values do not say: why (there may be more than those listed). */
  readonly unknownAnnotations?: string;
  readonly tls: readonly IngressTlsEntry[];
  /** spec.tls is written, but what it holds is not known (inserted by the template from values not known): why. */
  readonly tlsUnknown?: string;
  /** No spec.tls: the Helm template writes one only in a block the values turn off (`{{- if .Values.ingress.tls.enabled }}`): why. */
  readonly tlsOff?: string;
  /** The hosts of its rules. */
  readonly hosts: readonly K8sText[];
  readonly backends: readonly IngressBackend[];
  readonly legacy: readonly IngressLegacy[];
}

export function isIngress(o: K8sObject): boolean {
  return o.kind === 'Ingress' && (o.apiVersion.startsWith('networking.k8s.io/') || o.apiVersion.startsWith('extensions/'));
}

/** The placeholder keys of a mapping (an insertion the values do not decide): its expressions. */
function openKeys(m: YamlNode | undefined): string[] {
  return m?.kind === 'map' ? m.entries.filter((e) => holdsUnknown(e.key.value)).map((e) => e.key.value) : [];
}

/** An object's annotations as written, and why there may be more (a template inserts some the values do not decide). */
function annotationsOf(d: K8sDoc): { annotations: IngressAnnotation[]; unknownAnnotations?: string } {
  const annotationsNode = yget(yget(d.doc, 'metadata'), 'annotations');
  const annotations: IngressAnnotation[] = [];
  if (annotationsNode?.kind === 'map')
    for (const e of annotationsNode.entries) {
      if (holdsUnknown(e.key.value)) continue;
      const v = yscalar(e.value);
      const value = v ? text(d, v)! : { text: '', loc: d.place(e.key.loc) };
      annotations.push({ name: e.key.value, value, keyLoc: d.place(e.key.loc) });
    }
  const open = openKeys(annotationsNode);
  const unknownAnnotations =
    open.length > 0
      ? `the template inserts annotations the values do not decide (${open.join(', ')})`
      : annotationsNode?.kind === 'scalar' && holdsUnknown(annotationsNode.value)
        ? 'the template writes annotations the values do not decide'
        : undefined;
  return { annotations, ...(unknownAnnotations ? { unknownAnnotations } : {}) };
}

export function readIngress(d: K8sDoc, o: K8sObject): IngressObject {
  const spec = yget(d.doc, 'spec');
  const v1 = o.apiVersion === 'networking.k8s.io/v1';
  const { annotations, unknownAnnotations } = annotationsOf(d);
  const classAnnotation = annotations.find((a) => a.name === 'kubernetes.io/ingress.class')?.value;
  const classField = text(d, scalarAt(spec, 'ingressClassName'));
  // tls
  const tlsNode = yget(spec, 'tls');
  const tls: IngressTlsEntry[] = [];
  let tlsUnknown: string | undefined;
  if (tlsNode?.kind === 'seq') {
    for (const item of tlsNode.items) {
      if (item.kind !== 'map') continue;
      if (openKeys(item).length > 0) tlsUnknown = 'the template inserts TLS settings the values do not decide';
      const hosts = seqOf(yget(item, 'hosts'))
        .map((h) => text(d, yscalar(h)))
        .filter((h): h is K8sText => h !== undefined);
      const secretName = text(d, scalarAt(item, 'secretName'));
      const maybe = d.maybe(item.loc);
      tls.push({ hosts, ...(secretName ? { secretName } : {}), loc: d.place(item.loc), ...(maybe ? { maybe } : {}) });
    }
  } else if (tlsNode) {
    const open = openKeys(tlsNode);
    tlsUnknown =
      open.length > 0 || (tlsNode.kind === 'scalar' && holdsUnknown(tlsNode.value))
        ? `the template writes spec.tls from values not known (${open.join(', ') || (tlsNode.kind === 'scalar' ? tlsNode.value : '')})`
        : undefined;
  }
  // (none written: one the template writes in a block the values turn off)
  const tlsOff = tlsNode ? undefined : d.off?.(/^[ \t]*tls:/m);
  // rules and backends
  const backends: IngressBackend[] = [];
  const legacy: IngressLegacy[] = [];
  const maybeAt = (l: Loc): { maybe?: string } => {
    const why = d.maybe(l);
    return why ? { maybe: why } : {};
  };
  const hosts: K8sText[] = [];
  const backendOf = (b: YamlNode | undefined, extra: Partial<IngressBackend>, at: YamlNode): IngressBackend => {
    const svc = yget(b, 'service');
    const resource = yget(b, 'resource') !== undefined;
    const name = text(d, scalarAt(svc, 'name')) ?? text(d, scalarAt(b, 'serviceName'));
    const port = text(d, scalarAt(svc, 'port', 'number')) ?? text(d, scalarAt(svc, 'port', 'name')) ?? text(d, scalarAt(b, 'servicePort'));
    if (v1) {
      const sn = yentry(b, 'serviceName');
      const sp = yentry(b, 'servicePort');
      if (sn) legacy.push({ what: 'serviceName', loc: d.place(sn.key.loc), ...maybeAt(sn.key.loc) });
      if (sp) legacy.push({ what: 'servicePort', loc: d.place(sp.key.loc), ...maybeAt(sp.key.loc) });
    }
    const maybe = d.maybe(at.loc);
    return {
      ...extra,
      ...(name ? { service: name } : {}),
      ...(port ? { port } : {}),
      ...(resource ? { resource: true } : {}),
      loc: d.place(at.loc),
      ...(maybe ? { maybe } : {}),
    };
  };
  for (const rule of seqOf(yget(spec, 'rules'))) {
    const host = text(d, scalarAt(rule, 'host'));
    if (host) hosts.push(host);
    for (const p of seqOf(yget(yget(rule, 'http'), 'paths'))) {
      const path = text(d, scalarAt(p, 'path'));
      const pathType = text(d, scalarAt(p, 'pathType'));
      if (v1 && !pathType) {
        const at = yentry(p, 'path')?.key.loc ?? p.loc;
        legacy.push({ what: 'no pathType', loc: d.place(at), ...maybeAt(p.loc) });
      }
      backends.push(
        backendOf(
          yget(p, 'backend'),
          { ...(host ? { host } : {}), ...(path ? { path } : {}), ...(pathType ? { pathType } : {}) },
          yget(p, 'backend') ?? p,
        ),
      );
    }
  }
  const def = yentry(spec, 'defaultBackend') ?? yentry(spec, 'backend');
  if (def?.value) {
    if (v1 && def.key.value === 'backend') legacy.push({ what: 'spec.backend', loc: d.place(def.key.loc), ...maybeAt(def.key.loc) });
    backends.push(backendOf(def.value, { isDefault: true }, def.value));
  }
  return {
    ...o,
    ...(classField ? { classField } : {}),
    ...(classAnnotation ? { classAnnotation } : {}),
    annotations,
    ...(unknownAnnotations ? { unknownAnnotations } : {}),
    tls,
    ...(tlsUnknown ? { tlsUnknown } : {}),
    ...(tlsOff ? { tlsOff } : {}),
    hosts,
    backends,
    legacy,
  };
}

// ---- IngressClass -------------------------------------------------------------------------------

export interface IngressClassObject extends K8sObject {
  /** spec.controller (k8s.io/ingress-nginx, traefik.io/ingress-controller…). */
  readonly controller?: K8sText;
  /** The `ingressclass.kubernetes.io/is-default-class: "true"` annotation: where. */
  readonly isDefault?: Loc;
}

export function readIngressClass(d: K8sDoc, o: K8sObject): IngressClassObject {
  const controller = text(d, scalarAt(yget(d.doc, 'spec'), 'controller'));
  const def = yentry(yget(yget(d.doc, 'metadata'), 'annotations'), 'ingressclass.kubernetes.io/is-default-class');
  const isDefault = yscalar(def?.value)?.value === 'true' ? d.place(def!.value!.loc) : undefined;
  return { ...o, ...(controller ? { controller } : {}), ...(isDefault ? { isDefault } : {}) };
}

// ---- Services and the pods they select ------------------------------------------------------------

export interface ServiceObject extends K8sObject {
  /** spec.selector (a placeholder key: labels a template inserts, compared as written); undefined without one. */
  readonly selector?: ReadonlyMap<string, string>;
  readonly ports: readonly { readonly port?: K8sText; readonly targetPort?: K8sText; readonly name?: K8sText; readonly loc: Loc }[];
  /** spec.type (ClusterIP, NodePort, LoadBalancer, ExternalName). */
  readonly type?: K8sText;
  /** The name a kustomization deploys it under, when its namePrefix or nameSuffix changes the name written (kustomize.ts deployedName). */
  readonly deployedName?: string;
}

function labelMap(n: YamlNode | undefined): Map<string, string> | undefined {
  if (n?.kind !== 'map') return undefined;
  return new Map(n.entries.map((e) => [e.key.value, yscalar(e.value)?.value ?? '']));
}

export function readService(d: K8sDoc, o: K8sObject): ServiceObject {
  const spec = yget(d.doc, 'spec');
  const selector = labelMap(yget(spec, 'selector'));
  const type = text(d, scalarAt(spec, 'type'));
  const ports = seqOf(yget(spec, 'ports')).map((p) => {
    const port = text(d, scalarAt(p, 'port'));
    const targetPort = text(d, scalarAt(p, 'targetPort'));
    const name = text(d, scalarAt(p, 'name'));
    return { ...(port ? { port } : {}), ...(targetPort ? { targetPort } : {}), ...(name ? { name } : {}), loc: d.place(p.loc) };
  });
  return { ...o, ...(selector ? { selector } : {}), ports, ...(type ? { type } : {}) };
}

const POD_OWNERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout', 'DeploymentConfig', 'Pod']);

/** A workload's pods: the labels its pod template gives them. */
export interface PodOwnerObject extends K8sObject {
  /** The pods' labels (a placeholder key: labels a template inserts, compared as written). */
  readonly podLabels: ReadonlyMap<string, string>;
  readonly containers: readonly { readonly name?: string; readonly image?: string; readonly ports: readonly string[] }[];
}

export function isPodOwner(o: K8sObject): boolean {
  return POD_OWNERS.has(o.kind);
}

export function readPodOwner(d: K8sDoc, o: K8sObject): PodOwnerObject {
  const spec = yget(d.doc, 'spec');
  const template = o.kind === 'Pod' ? d.doc : yget(spec, 'template');
  const podLabels = labelMap(yget(yget(template, 'metadata'), 'labels')) ?? new Map<string, string>();
  const podSpec = o.kind === 'Pod' ? spec : yget(template, 'spec');
  const containers = seqOf(yget(podSpec, 'containers')).map((c) => {
    const name = scalarAt(c, 'name')?.value;
    const image = scalarAt(c, 'image')?.value;
    const ports = seqOf(yget(c, 'ports')).flatMap((p) =>
      [scalarAt(p, 'containerPort')?.value, scalarAt(p, 'name')?.value].filter((x): x is string => !!x),
    );
    return { ...(name ? { name } : {}), ...(image ? { image } : {}), ports };
  });
  return { ...o, podLabels, containers };
}

// ---- Traefik's resources --------------------------------------------------------------------------

const TRAEFIK_CRD = /^traefik\.(io|containo\.us)\//;

export function isIngressRoute(o: K8sObject): boolean {
  return o.kind === 'IngressRoute' && TRAEFIK_CRD.test(o.apiVersion);
}

export function isTraefikMiddleware(o: K8sObject): boolean {
  return o.kind === 'Middleware' && TRAEFIK_CRD.test(o.apiVersion);
}

export interface IngressRouteObject extends K8sObject {
  readonly entryPoints: readonly K8sText[];
  readonly routes: readonly {
    readonly match?: K8sText;
    readonly middlewares: readonly { readonly name: K8sText; readonly namespace?: K8sText }[];
    readonly services: readonly { readonly name: K8sText; readonly port?: K8sText; readonly kind?: string }[];
    readonly loc: Loc;
  }[];
  /** spec.tls: where, and its secret or certificate resolver; undefined without TLS. */
  readonly tls?: { readonly secretName?: K8sText; readonly certResolver?: K8sText; readonly loc: Loc };
}

export function readIngressRoute(d: K8sDoc, o: K8sObject): IngressRouteObject {
  const spec = yget(d.doc, 'spec');
  const entryPoints = seqOf(yget(spec, 'entryPoints'))
    .map((e) => text(d, yscalar(e)))
    .filter((e): e is K8sText => e !== undefined);
  const routes = seqOf(yget(spec, 'routes')).map((r) => {
    const match = text(d, scalarAt(r, 'match'));
    const middlewares = seqOf(yget(r, 'middlewares')).flatMap((m) => {
      const name = text(d, scalarAt(m, 'name'));
      const namespace = text(d, scalarAt(m, 'namespace'));
      return name ? [{ name, ...(namespace ? { namespace } : {}) }] : [];
    });
    const services = seqOf(yget(r, 'services')).flatMap((s) => {
      const name = text(d, scalarAt(s, 'name'));
      const port = text(d, scalarAt(s, 'port'));
      const kind = scalarAt(s, 'kind')?.value;
      return name ? [{ name, ...(port ? { port } : {}), ...(kind ? { kind } : {}) }] : [];
    });
    return { ...(match ? { match } : {}), middlewares, services, loc: d.place(r.loc) };
  });
  const tlsEntry = yentry(spec, 'tls');
  let tls: IngressRouteObject['tls'];
  if (tlsEntry) {
    const secretName = text(d, scalarAt(tlsEntry.value, 'secretName'));
    const certResolver = text(d, scalarAt(tlsEntry.value, 'certResolver'));
    tls = { ...(secretName ? { secretName } : {}), ...(certResolver ? { certResolver } : {}), loc: d.place(tlsEntry.key.loc) };
  }
  return { ...o, entryPoints, routes, ...(tls ? { tls } : {}) };
}

/** A Traefik Middleware resource as a middleware (its spec's one key is its type). */
export function readTraefikMiddleware(d: K8sDoc, o: K8sObject, file: string): TraefikMiddleware | undefined {
  const spec = yget(d.doc, 'spec');
  if (spec?.kind !== 'map' || spec.entries.length === 0 || !o.name) return undefined;
  const typeEntry = spec.entries[0]!;
  const options: TraefikOption[] = [];
  const walk = (n: YamlNode | undefined, prefix: string): void => {
    if (n?.kind === 'map') for (const e of n.entries) walk(e.value, prefix === '' ? e.key.value : `${prefix}.${e.key.value}`);
    else if (n?.kind === 'seq') n.items.forEach((i, k) => walk(i, `${prefix}[${k}]`));
    else if (n) options.push({ key: prefix.toLowerCase(), written: prefix, value: n.value, loc: d.place(n.loc) });
  };
  walk(typeEntry.value, '');
  const type = typeEntry.key.value.toLowerCase();
  return {
    name: o.name.text,
    provider: 'kubernetescrd',
    file,
    loc: o.loc,
    type,
    options,
    does: middlewareEffects(type, options),
  };
}

// ---- The Gateway API: Gateways and HTTPRoutes -------------------------------------------------------

/** A Gateway's listener: its name (what a route's parentRef `sectionName` names) and protocol. */
export interface GatewayListener {
  readonly name?: K8sText;
  /** HTTP, HTTPS, TLS, TCP, UDP as written. */
  readonly protocol?: K8sText;
}

export interface GatewayObject extends K8sObject {
  readonly listeners: readonly GatewayListener[];
  /** The listeners are written, but a template inserts them from values not known: why. */
  readonly listenersUnknown?: string;
}

/** What an HTTPRoute rule is attached to: a Gateway (by name, and the listener when `sectionName` names one). */
export interface RouteParent {
  readonly name: K8sText;
  readonly sectionName?: K8sText;
  readonly namespace?: K8sText;
}

export interface HttpRouteRule {
  readonly loc: Loc;
  /** Its matches as written (compared to find a rule an earlier one with the same matches shadows). */
  readonly matchesText: string;
  /** A RequestRedirect filter's scheme, where it is written. */
  readonly redirectScheme?: K8sText;
  /** Response headers a ResponseHeaderModifier filter adds or sets (lower case). */
  readonly responseHeaders: readonly string[];
  /** Its backendRefs: Services (a ref of another kind is `kind`). */
  readonly backends: readonly { readonly name: K8sText; readonly kind?: string }[];
}

export interface HttpRouteObject extends K8sObject {
  readonly parents: readonly RouteParent[];
  readonly hostnames: readonly K8sText[];
  readonly rules: readonly HttpRouteRule[];
}

export function isGatewayApi(o: K8sObject, kind: 'Gateway' | 'HTTPRoute'): boolean {
  return o.kind === kind && o.apiVersion.startsWith('gateway.networking.k8s.io/');
}

export function readGateway(d: K8sDoc, o: K8sObject): GatewayObject {
  const node = yget(yget(d.doc, 'spec'), 'listeners');
  const listeners = seqOf(node).map((l) => {
    const name = text(d, scalarAt(l, 'name'));
    const protocol = text(d, scalarAt(l, 'protocol'));
    return { ...(name ? { name } : {}), ...(protocol ? { protocol } : {}) };
  });
  const open = node?.kind === 'scalar' && holdsUnknown(node.value);
  return { ...o, listeners, ...(open ? { listenersUnknown: 'a template inserts its listeners from values not known' } : {}) };
}

/** The text of a node as written, for comparing two rules' matches (keys and scalars in order). */
function nodeText(n: YamlNode | undefined): string {
  if (!n) return '';
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return `[${n.items.map(nodeText).join(',')}]`;
  return `{${n.entries.map((e) => `${e.key.value}:${nodeText(e.value)}`).join(',')}}`;
}

export function readHttpRoute(d: K8sDoc, o: K8sObject): HttpRouteObject {
  const spec = yget(d.doc, 'spec');
  const parents: RouteParent[] = [];
  for (const p of seqOf(yget(spec, 'parentRefs'))) {
    const kind = scalarAt(p, 'kind')?.value;
    const name = text(d, scalarAt(p, 'name'));
    if (!name || (kind !== undefined && kind !== 'Gateway')) continue;
    const sectionName = text(d, scalarAt(p, 'sectionName'));
    const namespace = text(d, scalarAt(p, 'namespace'));
    parents.push({ name, ...(sectionName ? { sectionName } : {}), ...(namespace ? { namespace } : {}) });
  }
  const hostnames = seqOf(yget(spec, 'hostnames'))
    .map((h) => text(d, yscalar(h)))
    .filter((h): h is K8sText => h !== undefined);
  const rules: HttpRouteRule[] = seqOf(yget(spec, 'rules')).map((r) => {
    let redirectScheme: K8sText | undefined;
    const responseHeaders: string[] = [];
    for (const f of seqOf(yget(r, 'filters'))) {
      const type = scalarAt(f, 'type')?.value;
      if (type === 'RequestRedirect') redirectScheme ??= text(d, scalarAt(f, 'requestRedirect', 'scheme'));
      if (type === 'ResponseHeaderModifier') {
        const m = yget(f, 'responseHeaderModifier');
        for (const op of ['add', 'set'])
          for (const h of seqOf(yget(m, op))) {
            const n = scalarAt(h, 'name')?.value;
            if (n) responseHeaders.push(n.toLowerCase());
          }
      }
    }
    const backends = seqOf(yget(r, 'backendRefs')).flatMap((b) => {
      const name = text(d, scalarAt(b, 'name'));
      const kind = scalarAt(b, 'kind')?.value;
      return name ? [{ name, ...(kind && kind !== 'Service' ? { kind } : {}) }] : [];
    });
    return {
      loc: d.place(r.loc),
      matchesText: nodeText(yget(r, 'matches')),
      ...(redirectScheme ? { redirectScheme } : {}),
      responseHeaders,
      backends,
    };
  });
  return { ...o, parents, hostnames, rules };
}

// ---- OpenShift's Routes ---------------------------------------------------------------------------

/** An OpenShift Route (route.openshift.io/v1; `v1`, the group-less API of OpenShift 3, in old templates). */
export function isOpenShiftRoute(o: K8sObject): boolean {
  return o.kind === 'Route' && (o.apiVersion === 'route.openshift.io/v1' || o.apiVersion === 'v1');
}

/** A Route as its manifest writes it (catalogue/hops.ts OPENSHIFT_ROUTE says what each field does). */
export interface OpenShiftRouteObject extends K8sObject {
  readonly host?: K8sText;
  readonly path?: K8sText;
  /** spec.to and spec.alternateBackends: the Services it sends to (`kind` when not a Service). */
  readonly backends: readonly { readonly name: K8sText; readonly kind?: string }[];
  /** spec.port.targetPort. */
  readonly targetPort?: K8sText;
  /** spec.tls: where, its termination and insecureEdgeTerminationPolicy as written; undefined without tls. */
  readonly tls?: {
    readonly loc: Loc;
    readonly termination?: K8sText;
    readonly insecurePolicy?: K8sText;
    /** A template writes it, or inserts fields in it, from values not known: why. */
    readonly unknown?: string;
  };
  readonly annotations: readonly IngressAnnotation[];
  readonly unknownAnnotations?: string;
}

export function readOpenShiftRoute(d: K8sDoc, o: K8sObject): OpenShiftRouteObject {
  const spec = yget(d.doc, 'spec');
  const backends = [yget(spec, 'to'), ...seqOf(yget(spec, 'alternateBackends'))].flatMap((b) => {
    const name = text(d, scalarAt(b, 'name'));
    const kind = scalarAt(b, 'kind')?.value;
    return name ? [{ name, ...(kind && kind !== 'Service' ? { kind } : {}) }] : [];
  });
  const host = text(d, scalarAt(spec, 'host'));
  const path = text(d, scalarAt(spec, 'path'));
  const targetPort = text(d, scalarAt(spec, 'port', 'targetPort'));
  const tlsEntry = yentry(spec, 'tls');
  let tls: OpenShiftRouteObject['tls'];
  // (`tls:` with nothing, or null, is no TLS configuration)
  const tlsNode = tlsEntry?.value;
  if (tlsEntry && tlsNode && !(tlsNode.kind === 'scalar' && (tlsNode.value === '' || tlsNode.value === 'null' || tlsNode.value === '~'))) {
    const termination = text(d, scalarAt(tlsNode, 'termination'));
    const insecurePolicy = text(d, scalarAt(tlsNode, 'insecureEdgeTerminationPolicy'));
    const open = openKeys(tlsNode);
    const unknown =
      tlsNode.kind === 'scalar' && holdsUnknown(tlsNode.value)
        ? `a template writes its spec.tls from values not known (${tlsNode.value})`
        : open.length > 0
          ? `a template inserts TLS settings the values do not decide (${open.join(', ')})`
          : undefined;
    tls = {
      loc: d.place(tlsEntry.key.loc),
      ...(termination ? { termination } : {}),
      ...(insecurePolicy ? { insecurePolicy } : {}),
      ...(unknown ? { unknown } : {}),
    };
  }
  return {
    ...o,
    ...(host ? { host } : {}),
    ...(path ? { path } : {}),
    backends,
    ...(targetPort ? { targetPort } : {}),
    ...(tls ? { tls } : {}),
    ...annotationsOf(d),
  };
}
