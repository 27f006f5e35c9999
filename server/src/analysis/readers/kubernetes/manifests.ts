// Kubernetes manifests: any YAML file whose documents have `apiVersion` and `kind`, read with the
// `yaml` package (multi-document files, anchors, its alias limit). The workloads (Deployment,
// StatefulSet, DaemonSet, ReplicaSet, Argo Rollout, Job, CronJob, Pod) become one process per
// container: its command and args, its environment (`value`, `valueFrom.secretKeyRef` /
// `configMapKeyRef`, `envFrom` of ConfigMaps defined in the same files, Secrets), replicas (and a
// HorizontalPodAutoscaler aimed at it), resource limits, probes and container ports. Init
// containers run once per pod, Jobs and CronJobs once per run.
//
// A Helm template is YAML only once rendered: a document the parser refuses is left out, and a value
// holding `{{ … }}` is a template part, unknown (never guessed).
import * as path from 'node:path';
import { readableName } from '../../base/relPath';
import type { Loc } from '../../eval/values';
import { serviceLinkVariables } from '../../catalogue/kubernetesServiceLinks';
import { CLUSTER_INTERNAL_SERVICE, isIngressControllerLabel, NETWORK_POLICY_ENFORCEMENT, PROXY_IMAGE } from '../../catalogue/hops';
import { EXAMPLE_MANIFEST_WORDS } from '../../catalogue/templateNames';
import { generatedFromUnread, generatedValue, type GeneratedValue } from './kustomize';
import { inConditional, insertedUnder, isHelmValue, readHelmTemplate, shownValue, type HelmTemplate } from './helm';
import { type Defines, holdsUnknown, renderHelm, type ValuesSource } from './helmRender';
import { literalToken, MappedText, type Token } from '../text';
import {
  cpuCores,
  fixedInstances,
  memoryBytes,
  plainInt,
  type DeployEnv,
  type DeployFile,
  type DeployProcess,
  type Instances,
  type MountedFile,
  type Probe,
  type Written,
} from '../workload';
import { parseYamlDocuments, yget, yscalar, type YamlMap, type YamlNode, type YamlScalar } from '../yaml';
import { objectsOf, processedValue, templateParameters, type TemplateParameter } from './objects';
import { imageTriggers, type ImageStreamRef } from './openshiftImages';

/** The kind a Knative Service's processes are labelled with (Cloud Run runs Knative Services). */
export const KNATIVE_SERVICE = 'Service (Knative)';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout', 'Job', 'CronJob', 'Pod', 'DeploymentConfig']);

/** Whether a YAML text looks like a Kubernetes manifest (before parsing it): `apiVersion:` and `kind:` at a line start. */
export function looksLikeManifest(text: string): boolean {
  return /^apiVersion[ \t]*:/m.test(text) && /^kind[ \t]*:/m.test(text);
}

function str(n: YamlNode | undefined): YamlScalar | undefined {
  return yscalar(n);
}

function seq(n: YamlNode | undefined): YamlNode[] {
  return n?.kind === 'seq' ? n.items : [];
}

function isTemplate(s: string): boolean {
  return isHelmValue(s);
}

function written(s: YamlScalar | undefined): Written | undefined {
  if (!s) return undefined;
  return { text: s.value, loc: s.loc, ...(plainInt(s.value) !== undefined ? { value: plainInt(s.value) } : {}) };
}

function token(s: YamlScalar): Token {
  const t = literalToken(s.map, s.loc, s.style !== 'plain');
  return isTemplate(s.value) ? { ...t, dynamic: true } : t;
}

/**
 * A command or args word with Kubernetes' `$(VAR)` references expanded as the kubelet does before
 * the container starts: from the container's environment (`$$` is a literal `$`). A reference to a
 * variable whose value is not written here (a Secret's, a condition's, one not set) leaves the word
 * known only at run time (the kubelet keeps an unresolved reference as written).
 */
function expandReferences(t: Token, env: ReadonlyMap<string, DeployEnv>): Token {
  if (!t.text.includes('$(') || t.dynamic) return t;
  let known = true;
  const text = t.text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (name === undefined) return '$';
    const v = env.get(name);
    if (!v || v.from || v.maybe || isTemplate(v.value)) {
      known = false;
      return m;
    }
    return v.value;
  });
  return known ? { ...t, text } : { ...t, dynamic: true };
}

/**
 * A map of objects by name, where a name a Helm template writes is the same whichever way it calls a
 * named template: `{{ template "app.fullname" . }}-secrets` and `{{- include "app.fullname" . -}}-secrets`
 * render alike (`include` is `template` whose output can be piped).
 */
export class ObjectNames<T> extends Map<string, T> {
  override get(name: string): T | undefined {
    return super.get(objectName(name));
  }
  override has(name: string): boolean {
    return super.has(objectName(name));
  }
  override set(name: string, value: T): this {
    return super.set(objectName(name), value);
  }
}

/** An object's name with the named-template calls a Helm template writes in it written one way. */
export function objectName(name: string): string {
  if (!name.includes('{')) return name;
  // (the YAML reader sees `{{` at a plain scalar's start as `~{`: readHelmTemplate)
  return name.replace(/[~{]\{-?\s*(?:template|include)\s+("[^"]*"|'[^']*')\s+(\.|\$)\s*-?\}\}/g, '{{ include $1 $2 }}');
}

/** The ConfigMaps, Secrets and autoscalers of a tree of manifests, by name. */
export interface Objects {
  readonly configMaps: Map<string, YamlMap>;
  readonly secrets: Map<string, YamlMap>;
  /** HorizontalPodAutoscalers by the name of the workload they scale. */
  readonly autoscalers: Map<string, YamlMap>;
  /** The Services (v1), by name: their service-link variables reach the pods deployed beside them. */
  readonly services?: Map<string, YamlMap>;
  /** Every Service (v1) of the tree, one of a name written twice included: what opens a pod to whom (clusterOnly). */
  readonly serviceList?: YamlMap[];
  /** The NetworkPolicies (networking.k8s.io/v1), by name: which peers may reach the pods they select. */
  readonly networkPolicies?: Map<string, YamlMap>;
  /**
   * The pods the workloads of the tree run: their kind, name and pod labels, and whether every
   * container runs a reverse proxy's image (catalogue PROXY_IMAGE): the peers a NetworkPolicy names.
   */
  readonly podOwners?: { kind: string; name: string; labels: ReadonlyMap<string, string>; proxy: boolean }[];
  /**
   * The Secrets an operator creates in the cluster from a manifest of the tree (an ExternalSecret of
   * external-secrets.io from an external store, a SealedSecret of bitnami.com decrypted), by the
   * Secret's name: what creates it and the keys it will hold (undefined when the manifest does not
   * list them: an ExternalSecret's `dataFrom`).
   */
  readonly operatorSecrets?: Map<string, { readonly by: string; readonly keys?: readonly string[] }>;
  /**
   * Secrets committed as the template the cluster's Secret is made from, never deployed from the
   * repository (a `secret.template.yaml` beside a kustomization that does not list it), by name:
   * the keys the deployed Secret holds, its values the deployer's.
   */
  readonly secretTemplates?: Map<string, { readonly doc: YamlMap; readonly file: string }>;
}

/** The chart a template belongs to: its production values and its named templates. */
export interface ChartContext {
  readonly values: ValuesSource;
  readonly defines: Defines;
}

/** How an unread envFrom names its prefix (`envFrom Secret db-creds with prefix DB_ (not in the repository)`). */
const WITH_PREFIX = ' with prefix ';

/**
 * Whether an environment source the repository does not show (an entry of a process's unreadEnv)
 * may set `variable`: any variable, but an envFrom with a prefix only those starting with it.
 */
export function unreadMayHold(unread: string, variable: string): boolean {
  const at = unread.startsWith('envFrom ') ? unread.lastIndexOf(WITH_PREFIX) : -1;
  if (at < 0) return true;
  const rest = unread.slice(at + WITH_PREFIX.length);
  const space = rest.indexOf(' ');
  return variable.startsWith(space < 0 ? rest : rest.slice(0, space));
}

/**
 * Whether an environment source the repository does not show is made from a committed template
 * that was read (`…; made from .env.example, which is read)`): the names the template gives are
 * set already, and it says which names production's file holds; one it does not name is only
 * maybe added there.
 */
export function unreadFromTemplate(unread: string): boolean {
  return unread.includes('; made from ') && unread.endsWith(', which is read)');
}

/**
 * A template's text with every line that holds only text the values leave out (Rendered.skipped)
 * blanked as its action lines are (same length, same line breaks).
 */
function withoutSkipped(helm: HelmTemplate, skipped: readonly (readonly [number, number])[]): HelmTemplate {
  if (skipped.length === 0) return helm;
  const src = helm.source;
  const out = helm.text.split('');
  const inSkipped = new Uint8Array(src.length);
  for (const [a, b] of skipped) inSkipped.fill(1, Math.max(0, a), Math.min(src.length, b));
  let pos = 0;
  while (pos < src.length) {
    let nl = src.indexOf('\n', pos);
    if (nl < 0) nl = src.length;
    let content = false;
    let all = true;
    for (let i = pos; i < nl; i++) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) continue;
      content = true;
      if (!inSkipped[i]) {
        all = false;
        break;
      }
    }
    if (content && all) for (let i = pos; i < nl; i++) out[i] = ' ';
    pos = nl + 1;
  }
  return { ...helm, text: out.join('') };
}

/**
 * The `securityContext` of a container or pod as written, or, in a chart's template, the map the one
 * line under it inserts (`{{- toYaml .Values.securityContext | nindent 12 }}`) rendered from the
 * chart's values, its places those of the values file that writes them; as written when the line
 * sits in a condition or what it gives is not all known.
 */
function securityContextOf(
  file: string,
  owner: YamlNode | undefined,
  helm: HelmTemplate | undefined,
  chart: ChartContext | undefined,
): YamlNode | undefined {
  const direct = yget(owner, 'securityContext');
  if (!helm || !chart || owner?.kind !== 'map' || (direct?.kind === 'map' && direct.entries.length > 0)) return direct;
  const entry = owner.entries.find((e) => e.key.value === 'securityContext');
  const lines = entry ? insertedUnder(helm, entry.key.loc.start) : [];
  if (lines.length !== 1 || inConditional(helm, lines[0]!)) return direct;
  const r = renderLine(file, helm, lines[0]!, chart);
  if (holdsUnknown(r.text)) return direct;
  const doc = parseYamlDocuments(file, r.text).documents[0];
  if (doc?.kind !== 'map') return direct;
  // (only its scalars are read: each placed where the values file writes it)
  const entries = doc.entries.map((e) => ({
    key: e.key,
    value: e.value?.kind === 'scalar' ? { ...e.value, loc: r.place(e.value.loc.start, e.value.loc.end) } : e.value,
  }));
  return { kind: 'map', entries, loc: r.place(doc.loc.start, doc.loc.end) } satisfies YamlMap;
}

/** The template line starting at `lineStart`, rendered alone with the chart's values and named templates. */
function renderLine(file: string, helm: HelmTemplate, lineStart: number, chart: ChartContext): ReturnType<typeof renderHelm> {
  let end = helm.source.indexOf('\n', lineStart);
  if (end < 0) end = helm.source.length;
  return renderHelm(file, helm.source.slice(lineStart, end).trim(), chart.values, chart.defines);
}

/**
 * A scalar of a chart's template with its `{{ … }}` rendered from the chart's values and Chart.yaml
 * (`{{ .Values.image.repository }}:{{ .Chart.AppVersion }}`), when every part of it is known; else
 * as written.
 */
function renderedScalar(file: string, value: string, chart: ChartContext | undefined): string {
  if (!chart || !value.includes('{{') || value.length > 1000 || value.includes('\n')) return value;
  const r = renderHelm(file, value, chart.values, chart.defines);
  const text = r.text.trim();
  return holdsUnknown(text) || text === '' || text.includes('\n') ? value : text;
}

/**
 * The process of each container of each workload of a manifest file; `chart`: the chart the file
 * is a template of (its named templates inserted into a container's env are rendered).
 */
export function readManifest(file: string, text: string, objects?: Objects, chart?: ChartContext): DeployFile {
  // a Helm template: its action-only lines blanked (helm.ts)
  let helm = readHelmTemplate(text);
  // with the chart's values, the lines of the branches they certainly leave out are not read either
  // (`{{- if .Values.devMode }}` with devMode false): a command or an env that never renders
  if (helm && chart) helm = withoutSkipped(helm, renderHelm(file, text, chart.values, chart.defines).skipped);
  const { documents } = parseYamlDocuments(file, helm?.text ?? text);
  const notes =
    helm && (helm.conditional.length > 0 || helm.inserted.length > 0)
      ? ["the Helm template's conditions, loops and inserted values (the chart's values decide them)"]
      : [];
  return readManifestDocuments(file, documents, objects ?? collectObjects([{ file, text }]), 'Kubernetes manifest', notes, helm, chart);
}

/**
 * The processes of the workloads among `documents` (a file's, or what a kustomization builds), read
 * with the ConfigMaps, Secrets and autoscalers of `own`; `format` and `notes` say what read them.
 */
export function readManifestDocuments(
  file: string,
  documents: readonly (YamlNode | undefined)[],
  own: Objects,
  format = 'Kubernetes manifest',
  notes: readonly string[] = [],
  helm?: HelmTemplate,
  chart?: ChartContext,
): DeployFile {
  const processes: DeployProcess[] = [];
  const literals: DeployEnv[] = [];
  const services = servicesBeside(file, documents, own);
  for (const doc of documents) {
    // (an OpenShift Template's objects, with its parameters filled in where the template says)
    const params = templateParameters(doc);
    for (const d of objectsOf(doc)) {
      const kind = str(yget(d, 'kind'))?.value;
      if (!kind || !str(yget(d, 'apiVersion'))) continue;
      if (kind === 'Secret') {
        // a Secret committed with its values: each one a literal (stringData as written; data is base64)
        literals.push(...secretEntries(d));
        continue;
      }
      // a Knative Service (Cloud Run's service.yaml, `gcloud run services replace`): a workload the platform scales
      const knative = kind === 'Service' && (str(yget(d, 'apiVersion'))?.value ?? '').startsWith('serving.knative.dev/');
      if (!WORKLOADS.has(kind) && !knative) continue;
      processes.push(
        ...workloadProcesses(file, knative ? KNATIVE_SERVICE : kind, d, own, helm, chart, services, imageTriggers(kind, d, params)).map(
          (p) => {
            const q = params.size > 0 ? processedProcess(p, params) : p;
            return notes.length > 0 ? { ...q, notes: [...(q.notes ?? []), ...notes] } : q;
          },
        ),
      );
    }
  }
  return { file, format, processes, literals };
}

/**
 * A container's environment and command in an OpenShift Template, as `oc process` fills in the
 * parameters they reference: a default as written unless `-p` overrides it (defaultOf), a required or
 * generated parameter's value set but not here (from); a parameter that may be left out keeps the
 * reference, filled in when the template is processed.
 */
function processedProcess(p: DeployProcess, params: ReadonlyMap<string, TemplateParameter>): DeployProcess {
  const out = new Map<string, DeployEnv>();
  for (const [name, v] of p.env) {
    const filled = v.from ? undefined : processedValue(v.value, params);
    out.set(
      name,
      filled?.kind === 'default'
        ? { ...v, value: filled.value, defaultOf: filled.parameters.join(' or ') }
        : filled?.kind === 'given'
          ? { ...v, value: '', from: filled.why }
          : v,
    );
  }
  // a command or args word that references a parameter is filled in by `oc process`, before the
  // container starts (a default as much as a value given with -p): known only where it is processed
  const words = p.words?.map((t) => (!t.dynamic && processedValue(t.text, params).kind !== 'as-written' ? { ...t, dynamic: true } : t));
  return { ...p, env: out, ...(words ? { words } : {}) };
}

/**
 * The Services deployed with the workloads of `file`: the ones among its documents (a file's, or
 * what a kustomization builds) and the tree's Services written in the same folder (applied
 * together). A Service whose name is a template is left out.
 */
function servicesBeside(file: string, documents: readonly (YamlNode | undefined)[], own: Objects): YamlMap[] {
  const out = new Map<string, YamlMap>();
  for (const doc of documents.flatMap((d) => objectsOf(d))) {
    if (str(yget(doc, 'kind'))?.value !== 'Service' || str(yget(doc, 'apiVersion'))?.value !== 'v1') continue;
    const name = str(yget(yget(doc, 'metadata'), 'name'));
    // (a name an OpenShift Template's parameter fills in is not known either)
    if (name && !isTemplate(name.value) && !name.value.includes('${')) out.set(name.value, doc);
  }
  const dir = path.dirname(file);
  for (const [name, doc] of own.services ?? []) {
    const n = str(yget(yget(doc, 'metadata'), 'name'));
    if (!out.has(name) && n && !isTemplate(name) && !name.includes('${') && path.dirname(n.loc.file) === dir) out.set(name, doc);
  }
  return [...out.values()];
}

/**
 * The variables Kubernetes gives a pod's containers for the Services beside it (service links,
 * catalogue/kubernetesServiceLinks.ts): none when the pod spec sets `enableServiceLinks: false` or
 * the Service is in another namespace than the workload says.
 */
function serviceLinks(d: YamlMap, spec: YamlNode | undefined, services: readonly YamlMap[]): DeployEnv[] {
  const links = str(yget(spec, 'enableServiceLinks'));
  if (links && links.value !== 'true') return [];
  const ns = (m: YamlMap): string | undefined => str(yget(yget(m, 'metadata'), 'namespace'))?.value;
  const own = ns(d);
  const out: DeployEnv[] = [];
  for (const svc of services) {
    const other = ns(svc);
    if (own !== undefined && other !== undefined && own !== other) continue;
    const name = str(yget(yget(svc, 'metadata'), 'name'))!;
    for (const variable of serviceLinkVariables(name.value))
      out.push({
        name: variable,
        value: '',
        token: token(name),
        nameLoc: name.loc,
        from: `Kubernetes, for the Service ${shownValue(name.value)} (service links)`,
      });
  }
  return out;
}

/**
 * Whether the container runs as a user other than root, from its securityContext and the pod's
 * (the container's field wins): `runAsUser` other than 0, or `runAsNonRoot: true` (the kubelet
 * refuses to start a container that would run as root) with no `runAsUser: 0`. A templated value
 * decides nothing.
 */
function runsAsNonRoot(
  container: YamlNode,
  spec: YamlNode | undefined,
  securityContext: (owner: YamlNode | undefined) => YamlNode | undefined = (o) => yget(o, 'securityContext'),
): { why: string; loc: Loc } | undefined {
  const field = (key: string): { s: YamlScalar; where: string } | undefined => {
    const c = str(yget(securityContext(container), key));
    if (c) return { s: c, where: 'the container' };
    const p = str(yget(securityContext(spec), key));
    return p ? { s: p, where: 'the pod' } : undefined;
  };
  const user = field('runAsUser');
  if (user && (isTemplate(user.s.value) || plainInt(user.s.value) === undefined)) return undefined;
  if (user && plainInt(user.s.value) === 0) return undefined;
  if (user) return { why: `${user.where}'s securityContext sets runAsUser: ${user.s.value}`, loc: user.s.loc };
  const nonRoot = field('runAsNonRoot');
  if (nonRoot?.s.value === 'true') return { why: `${nonRoot.where}'s securityContext sets runAsNonRoot: true`, loc: nonRoot.s.loc };
  return undefined;
}

/** The values a Secret manifest writes: stringData as written, data decoded from base64 (a Helm value's left out). */
function secretEntries(d: YamlNode): DeployEnv[] {
  const out: DeployEnv[] = [];
  for (const key of ['stringData', 'data']) {
    const m = yget(d, key);
    if (m?.kind !== 'map') continue;
    for (const e of m.entries) {
      const v = str(e.value);
      if (!v || isTemplate(v.value)) continue;
      const value = key === 'data' ? decodeBase64(v.value) : v.value;
      if (value === undefined) continue;
      out.push({ name: e.key.value, value, token: token(v), nameLoc: e.key.loc });
    }
  }
  return out;
}

/**
 * The Secrets of manifests that are never deployed from the repository (kustomizeReach's unlisted
 * files: a template beside a kustomization that does not list it), by name, with their files.
 */
export function secretTemplatesOf(files: readonly { file: string; text: string }[]): Map<string, { doc: YamlMap; file: string }> {
  const out = new ObjectNames<{ doc: YamlMap; file: string }>();
  for (const { file, text } of files)
    for (const doc of parseYamlDocuments(file, text).documents.flatMap((d) => objectsOf(d))) {
      const name = str(yget(yget(doc, 'metadata'), 'name'))?.value;
      if (doc.kind === 'map' && str(yget(doc, 'kind'))?.value === 'Secret' && name && !out.has(name)) out.set(name, { doc, file });
    }
  return out;
}

function decodeBase64(s: string): string | undefined {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return undefined;
  const out = Buffer.from(t, 'base64').toString('utf8');
  return out.includes('\uFFFD') ? undefined : out;
}

/** ConfigMaps, Secrets and autoscalers defined in a set of manifest files (the tree a workload is read with). */
export function collectObjects(files: readonly { file: string; text: string }[]): Objects {
  const out: Objects = {
    configMaps: new ObjectNames(),
    secrets: new ObjectNames(),
    autoscalers: new Map(),
    services: new Map(),
    serviceList: [],
    networkPolicies: new Map(),
    podOwners: [],
    operatorSecrets: new ObjectNames(),
  };
  for (const { file, text } of files) {
    const helm = readHelmTemplate(text);
    const documents = parseYamlDocuments(file, helm?.text ?? text).documents;
    addObjects(out, documents);
    if (isExampleManifest(file)) for (const doc of documents.flatMap((d) => objectsOf(d))) exampleObjects.set(doc, path.basename(file));
    if (helm && helm.inserted.length > 0) noteInsertingData(documents, helm, text);
  }
  return out;
}

/**
 * Objects of a manifest whose name says it is an example (`env-configmap.example.yaml`,
 * `secrets-sample.yml`): what the deployer copies and fills in, by the file's name.
 */
const exampleObjects = new WeakMap<YamlNode, string>();

/** Whether a manifest's file name says it is an example: a word of its name before the extension (catalogue/templateNames.ts). */
function isExampleManifest(file: string): boolean {
  const stem = path.basename(file).replace(/\.ya?ml$/i, '');
  return stem
    .toLowerCase()
    .split(/[._-]/)
    .some((w) => EXAMPLE_MANIFEST_WORDS.has(w));
}

/**
 * ConfigMap values of a Helm template that hold a line printing what the values or the chart's files
 * decide (`{{ .Files.Get "files/settings.py" | nindent 4 }}`), with their text as written: that line
 * is blanked for the YAML reader, so the value alone reads as if it were not there.
 */
const insertingData = new WeakMap<YamlScalar, string>();

function noteInsertingData(documents: readonly (YamlNode | undefined)[], helm: HelmTemplate, text: string): void {
  for (const doc of documents.flatMap((d) => objectsOf(d))) {
    if (str(yget(doc, 'kind'))?.value !== 'ConfigMap') continue;
    const data = yget(doc, 'data');
    if (data?.kind !== 'map') continue;
    for (const { value: v } of data.entries) {
      if (v?.kind !== 'scalar') continue;
      if (helm.inserted.some((at) => at >= v.loc.start && at < v.loc.end)) insertingData.set(v, text.slice(v.loc.start, v.loc.end));
    }
  }
}

/** The workloads whose pods serve behind a Service (not a Job's, a CronJob's or a Knative Service's). */
const SERVED_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Rollout',
  'Pod',
  'DeploymentConfig',
]);

/** The kinds whose pods a NetworkPolicy's podSelector may name (as peers). */
const POD_OWNER_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'DeploymentConfig']);

/** Adds the ConfigMaps, Secrets and autoscalers among `documents` to `out` (a later one of a name wins). */
export function addObjects(out: Objects, documents: readonly (YamlNode | undefined)[]): Objects {
  for (const doc of documents.flatMap((d) => objectsOf(d))) {
    const kind = str(yget(doc, 'kind'))?.value;
    const name = str(yget(yget(doc, 'metadata'), 'name'))?.value;
    if (!name) continue;
    if (kind === 'ConfigMap') out.configMaps.set(name, doc);
    else if (kind === 'Secret') out.secrets.set(name, doc);
    else if (kind === 'ExternalSecret' || kind === 'SealedSecret') addOperatorSecret(out, doc, kind, name);
    else if (kind === 'Service' && str(yget(doc, 'apiVersion'))?.value === 'v1') {
      out.services?.set(name, doc);
      out.serviceList?.push(doc);
    } else if (kind === 'NetworkPolicy' && str(yget(doc, 'apiVersion'))?.value === 'networking.k8s.io/v1')
      out.networkPolicies?.set(name, doc);
    else if (kind && POD_OWNER_KINDS.has(kind) && out.podOwners) {
      const images = seq(yget(podSpec(kind, doc), 'containers')).map((c) => str(yget(c, 'image'))?.value);
      const proxy = images.length > 0 && images.every((i) => i !== undefined && !isHelmValue(i) && PROXY_IMAGE.test(i));
      out.podOwners.push({ kind, name, labels: podLabels(kind, doc), proxy });
    } else if (kind === 'HorizontalPodAutoscaler') {
      const target = str(yget(yget(yget(doc, 'spec'), 'scaleTargetRef'), 'name'))?.value;
      if (target) out.autoscalers.set(target, doc);
    }
  }
  return out;
}

/**
 * The Secret an ExternalSecret (external-secrets.io: `spec.target.name`, else its own name; keys
 * from `spec.data[].secretKey`, unknown with `spec.dataFrom`) or a SealedSecret (bitnami.com: its
 * own name, keys of `spec.encryptedData`) makes the operator create.
 */
function addOperatorSecret(out: Objects, doc: YamlMap, kind: string, name: string): void {
  const api = str(yget(doc, 'apiVersion'))?.value ?? '';
  const spec = yget(doc, 'spec');
  if (kind === 'ExternalSecret' && api.startsWith('external-secrets.io/')) {
    const target = str(yget(yget(spec, 'target'), 'name'))?.value ?? name;
    const listed = seq(yget(spec, 'data')).flatMap((d) => {
      const k = str(yget(d, 'secretKey'))?.value;
      return k ? [k] : [];
    });
    const keys = yget(spec, 'dataFrom') ? undefined : listed;
    out.operatorSecrets?.set(target, { by: `the ExternalSecret ${name} creates it from an external store`, ...(keys ? { keys } : {}) });
  } else if (kind === 'SealedSecret' && api.startsWith('bitnami.com/')) {
    const data = yget(spec, 'encryptedData');
    const keys = data?.kind === 'map' ? data.entries.map((e) => e.key.value) : undefined;
    out.operatorSecrets?.set(name, { by: `the SealedSecret ${name} is decrypted into it`, ...(keys ? { keys } : {}) });
  }
}

/** The labels of the pods a workload runs (its pod template's), as written; templated ones left out. */
function podLabels(kind: string, d: YamlMap): Map<string, string> {
  const out = new Map<string, string>();
  const labels = yget(yget(podTemplate(kind, d), 'metadata'), 'labels');
  if (labels?.kind === 'map')
    for (const e of labels.entries) {
      const v = str(e.value)?.value;
      if (v !== undefined && !isHelmValue(v) && !isHelmValue(e.key.value)) out.set(e.key.value, v);
    }
  return out;
}

/**
 * The NetworkPolicy that lets only an ingress controller's pods reach the pods labelled `labels`:
 * it selects them (its podSelector's matchLabels are among theirs), restricts their ingress, and
 * each of its rules admits only peers whose pod or namespace labels name an ingress controller
 * (catalogue/hops.ts INGRESS_CONTROLLER_LABELS) or, by a podSelector alone, only the pods of the
 * tree's own proxy workloads (every container a proxy's image: the nginx Deployment in front of the
 * app); no ipBlock. Its name, whether it admits the controller, and the proxies it admits, or undefined. (Policies add
 * up: another policy selecting the pods and admitting more peers makes them reachable again.)
 */
function ingressOnlyPolicy(
  labels: ReadonlyMap<string, string>,
  objects: Objects,
): { name: string; loc: Loc; controller: boolean; proxies: readonly string[] } | undefined {
  if (labels.size === 0 || !objects.networkPolicies) return undefined;
  let found: { name: string; loc: Loc; controller: boolean; proxies: readonly string[] } | undefined;
  const proxies: string[] = [];
  let controller = false;
  for (const [name, np] of objects.networkPolicies) {
    const spec = yget(np, 'spec');
    const match = yget(yget(spec, 'podSelector'), 'matchLabels');
    if (match?.kind !== 'map' || match.entries.length === 0) continue;
    if (!match.entries.every((e) => labels.get(e.key.value) === str(e.value)?.value)) continue;
    const types = seq(yget(spec, 'policyTypes')).map((t) => str(t)?.value);
    const rules = seq(yget(spec, 'ingress'));
    if (types.length > 0 && !types.includes('Ingress')) continue;
    const onlyController =
      rules.length > 0 &&
      rules.every((r) => {
        const from = seq(yget(r, 'from'));
        return (
          from.length > 0 &&
          from.every((peer) => {
            if (yget(peer, 'ipBlock')) return false;
            const sel = [yget(yget(peer, 'podSelector'), 'matchLabels'), yget(yget(peer, 'namespaceSelector'), 'matchLabels')];
            if (sel.some((m) => m?.kind === 'map' && m.entries.some((e) => isIngressControllerLabel(e.key.value, str(e.value)?.value)))) {
              controller = true;
              return true;
            }
            // (or the pods of the tree's own proxy workloads: a podSelector alone, in the policy's namespace)
            const own = yget(peer, 'namespaceSelector') ? undefined : proxyPeer(sel[0], objects);
            if (own) proxies.push(...own);
            return own !== undefined;
          })
        );
      });
    // a policy that selects the pods and admits others: reachable by them
    if (!onlyController) return undefined;
    found ??= { name, loc: str(yget(np, 'kind'))?.loc ?? np.loc, controller, proxies: [...new Set(proxies)] };
  }
  return found;
}

/**
 * Whether the pods labelled `labels` are reachable only from inside the cluster (catalogue
 * CLUSTER_INTERNAL_SERVICE): some Service selects them (its `selector` among their labels, from the
 * file's documents or the tree's), every one that does is of type ClusterIP (or writes none), none
 * has `externalIPs`, no container of theirs has a `hostPort`, the pod spec no `hostNetwork`, and no
 * NetworkPolicy selecting them admits an `ipBlock`. A templated type, or a Service with an exposing
 * type whose selector cannot be read, decides against it. The ClusterIP Services' names and the
 * first one's `kind:`, or undefined.
 */
function clusterOnly(
  labels: ReadonlyMap<string, string>,
  spec: YamlNode | undefined,
  objects: Objects,
  beside: readonly YamlMap[],
): { names: readonly string[]; loc: Loc } | undefined {
  if (labels.size === 0) return undefined;
  const hostNetwork = str(yget(spec, 'hostNetwork'));
  if (hostNetwork && hostNetwork.value !== 'false') return undefined;
  for (const list of ['containers', 'initContainers'])
    for (const c of seq(yget(spec, list))) for (const p of seq(yget(c, 'ports'))) if (yget(p, 'hostPort')) return undefined;
  const names: string[] = [];
  let loc: Loc | undefined;
  for (const svc of new Set([...beside, ...(objects.serviceList ?? objects.services?.values() ?? [])])) {
    const sspec = yget(svc, 'spec');
    const selector = yget(sspec, 'selector');
    const type = str(yget(sspec, 'type'));
    const internal = type === undefined || CLUSTER_INTERNAL_SERVICE.value.includes(type.value);
    const readable = selector?.kind === 'map' && selector.entries.length > 0;
    const selects = readable && selector.entries.every((e) => labels.get(e.key.value) === str(e.value)?.value);
    if (!selects) {
      // (a Service that may open a port outside the cluster and whose selector a template writes)
      if (!internal && type?.value !== 'ExternalName' && !readable && yget(sspec, 'ports')) return undefined;
      continue;
    }
    if (!internal || yget(sspec, 'externalIPs')) return undefined;
    const name = str(yget(yget(svc, 'metadata'), 'name'))?.value;
    if (name !== undefined && !names.includes(name)) names.push(name);
    loc ??= str(yget(svc, 'kind'))?.loc;
  }
  if (names.length === 0 || !loc) return undefined;
  for (const np of objects.networkPolicies?.values() ?? []) {
    const match = yget(yget(yget(np, 'spec'), 'podSelector'), 'matchLabels');
    const entries = match?.kind === 'map' ? match.entries : [];
    if (!entries.every((e) => labels.get(e.key.value) === str(e.value)?.value)) continue;
    for (const r of seq(yget(yget(np, 'spec'), 'ingress')))
      for (const peer of seq(yget(r, 'from'))) if (yget(peer, 'ipBlock')) return undefined;
  }
  return { names, loc };
}

/**
 * The proxy workloads of the tree whose pods a peer's podSelector matchLabels select, when it selects
 * some and only pods whose every container runs a reverse proxy's image ("Deployment x-nginx");
 * undefined otherwise (it selects the pods of another program, or of nothing the tree holds).
 */
function proxyPeer(match: YamlNode | undefined, objects: Objects): string[] | undefined {
  if (match?.kind !== 'map' || match.entries.length === 0 || !objects.podOwners) return undefined;
  const wanted = match.entries.map((e) => [e.key.value, str(e.value)?.value] as const);
  const selected = objects.podOwners.filter((o) => wanted.every(([k, v]) => v !== undefined && o.labels.get(k) === v));
  if (selected.length === 0 || !selected.every((o) => o.proxy)) return undefined;
  return selected.map((o) => `${o.kind} ${shownValue(o.name)}`);
}

/** What describes a workload's pods (its metadata and spec): a Pod itself, else its pod template. */
function podTemplate(kind: string, d: YamlMap): YamlNode | undefined {
  if (kind === 'Pod') return d;
  const spec = yget(d, 'spec');
  if (kind === 'CronJob') return yget(yget(yget(spec, 'jobTemplate'), 'spec'), 'template');
  return yget(spec, 'template');
}

function podSpec(kind: string, d: YamlMap): YamlNode | undefined {
  return yget(podTemplate(kind, d), 'spec');
}

/**
 * A scalar a Helm template writes as one value of the chart (`replicas: {{ .Values.replicaCount }}`),
 * as the chart's production values files give it, with them named; undefined for any other text or
 * a value they do not give (or disagree on).
 */
function chartScalar(text: string, chart: ChartContext | undefined): { value: string; from: string } | undefined {
  if (!chart) return undefined;
  const m = /^[~{]\{-?\s*\.Values((?:\.[A-Za-z_][\w]*)+)\s*-?\}\}$/.exec(text.trim());
  if (!m) return undefined;
  const r = chart.values.lookup(m[1]!.slice(1).split('.'));
  if (r === 'absent' || 'unknown' in r || r.node?.kind !== 'scalar') return undefined;
  return { value: r.node.value, from: chart.values.described };
}

function instancesOf(kind: string, d: YamlMap, name: string | undefined, objects: Objects, chart?: ChartContext): Instances | undefined {
  const spec = yget(d, 'spec');
  const hpa = name ? objects.autoscalers.get(name) : undefined;
  if (hpa) {
    const hspec = yget(hpa, 'spec');
    const min = str(yget(hspec, 'minReplicas'));
    const max = str(yget(hspec, 'maxReplicas'));
    const loc = (max ?? min ?? str(yget(hpa, 'kind')))!.loc;
    return {
      min: min ? (plainInt(min.value) ?? 1) : 1,
      ...(max && plainInt(max.value) !== undefined ? { max: plainInt(max.value) } : {}),
      autoscaled: true,
      why: `the HorizontalPodAutoscaler ${str(yget(yget(hpa, 'metadata'), 'name'))?.value ?? ''} scales it${max ? ` up to ${max.value} replicas` : ''}`.replace(
        '  ',
        ' ',
      ),
      loc,
    };
  }
  if (kind === KNATIVE_SERVICE) {
    const k = str(yget(d, 'kind'))!;
    return { min: 0, autoscaled: true, why: 'Knative (Cloud Run) starts instances as requests come', loc: k.loc };
  }
  if (kind === 'DaemonSet') {
    const k = str(yget(d, 'kind'))!;
    return { min: 1, autoscaled: true, why: 'a DaemonSet runs one pod on every node', loc: k.loc };
  }
  if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet' || kind === 'Rollout' || kind === 'DeploymentConfig') {
    const r = str(yget(spec, 'replicas'));
    if (!r) return { min: 1, max: 1, why: 'replicas is not set (one pod)', loc: str(yget(d, 'kind'))!.loc };
    // (a chart's value: `replicas: {{ .Values.replicaCount }}`, 1 in values.yaml)
    const valued = chartScalar(r.value, chart);
    if (valued)
      return fixedInstances(valued.value, r.loc, `replicas: ${shownValue(r.value)}, ${shownValue(valued.value)} in ${valued.from}`);
    return fixedInstances(r.value, r.loc, `replicas: ${shownValue(r.value)}`);
  }
  const p = str(yget(spec, 'parallelism'));
  if (kind === 'Job' && p && (plainInt(p.value) ?? 1) > 1)
    return { min: plainInt(p.value), max: plainInt(p.value), why: `parallelism: ${p.value}`, loc: p.loc };
  return undefined;
}

function envOf(
  file: string,
  container: YamlNode,
  objects: Objects,
  unread: string[],
  helm?: HelmTemplate,
  chart?: ChartContext,
  links: readonly DeployEnv[] = [],
): Map<string, DeployEnv> {
  // the service links first: what the container's envFrom and env set wins over them
  const env = new Map<string, DeployEnv>(links.map((l) => [l.name, l]));
  // a Helm template: entries inside a condition or loop are set only when the chart's values say
  // so, and a line inserting values into env adds variables not known here, unless it includes a
  // named template of the chart that renders them (helperEnv)
  const included: DeployEnv[] = [];
  if (helm && container.kind === 'map') {
    // (a line inserting values under env or envFrom, whichever key follows it or none)
    const keys = container.entries.filter((e) => e.key.value === 'env' || e.key.value === 'envFrom');
    let notKnown = false;
    for (const k of keys)
      for (const line of insertedUnder(helm, k.key.loc.start)) {
        const got = k.key.value === 'env' && chart ? helperEnv(file, helm, line, chart, objects) : undefined;
        if (got) included.push(...got.env);
        if (!got?.complete) notKnown = true;
      }
    if (notKnown) unread.push('the values the Helm template inserts into env (not known until the chart is rendered)');
  }
  const maybe = (loc: Loc): { maybe?: string } =>
    inConditional(helm, loc.start) ? { maybe: "set only when a condition of the Helm template holds (the chart's values decide)" } : {};
  // envFrom first: `env` entries win over it
  for (const ef of seq(yget(container, 'envFrom'))) {
    const cm = str(yget(yget(ef, 'configMapRef'), 'name'));
    const sec = str(yget(yget(ef, 'secretRef'), 'name'));
    const prefix = str(yget(ef, 'prefix'))?.value ?? '';
    // a ConfigMap or Secret not in the tree (created by kubectl, a Helm chart, an operator): the
    // variables it sets are not known
    // (with a prefix, said: only variables with it come from there; see unreadMayHold)
    const withPrefix = prefix ? `${WITH_PREFIX}${prefix}` : '';
    if (cm && !objects.configMaps.has(cm.value))
      unread.push(`envFrom ConfigMap ${shownValue(cm.value)}${withPrefix} (not in the repository)`);
    const made = sec && !objects.secrets.has(sec.value) ? objects.operatorSecrets?.get(sec.value) : undefined;
    if (sec && made?.keys)
      for (const k of made.keys)
        env.set(prefix + k, {
          name: prefix + k,
          value: '',
          token: token(sec),
          nameLoc: sec.loc,
          from: `the Secret ${shownValue(sec.value)} (${made.by})`,
          ...maybe(sec.loc),
        });
    else if (sec && made) unread.push(`envFrom Secret ${shownValue(sec.value)}${withPrefix} (${made.by}; its keys are not listed)`);
    else if (sec && !objects.secrets.has(sec.value)) {
      // the committed template the cluster's Secret is made from: the keys it names are set there,
      // each with the template's value unless the deployer changes it (a placeholder's filled in)
      const t = objects.secretTemplates?.get(sec.value);
      const shown = t && path.basename(t.file);
      if (t)
        for (const e of secretEntries(t.doc))
          env.set(prefix + e.name, {
            name: prefix + e.name,
            value: e.value,
            token: e.token,
            nameLoc: e.nameLoc,
            template: `the Secret ${shownValue(sec.value)} made from ${shown}`,
            ...maybe(sec.loc),
          });
      unread.push(
        `envFrom Secret ${shownValue(sec.value)}${withPrefix} (not in the repository${shown ? `; made from ${shown}, which is read` : ''})`,
      );
    }
    if (cm) {
      const doc = objects.configMaps.get(cm.value);
      const data = yget(doc, 'data');
      // (one committed as an example: its values are what the deployer starts from)
      const example = doc && exampleObjects.get(doc);
      const template = example ? `the ConfigMap ${shownValue(cm.value)} made from ${example}` : undefined;
      if (data?.kind === 'map')
        for (const e of data.entries) {
          const v = str(e.value);
          // (a key a kustomize generator writes from a file the repository does not have: set, its value not known)
          const gen = generatedValue(e.value);
          if (v && gen?.unknown)
            env.set(
              prefix + e.key.value,
              generatedEnv(prefix + e.key.value, `the ConfigMap ${shownValue(cm.value)}`, gen, v, maybe(cm.loc)),
            );
          else if (v)
            env.set(prefix + e.key.value, {
              name: prefix + e.key.value,
              value: v.value,
              token: token(v),
              nameLoc: e.key.loc,
              ...(template ? { template } : {}),
              ...maybe(cm.loc),
            });
        }
    }
    if (sec) {
      const s = objects.secrets.get(sec.value);
      for (const key of ['stringData', 'data']) {
        const data = yget(s, key);
        if (data?.kind === 'map')
          for (const e of data.entries) {
            // a key a kustomize secretGenerator writes: its literal's value as written, a file's
            // (or one the repository does not have) set with its value not shown here
            const gen = generatedValue(e.value);
            const v = str(e.value);
            if (gen && v && !gen.file && !gen.unknown) {
              env.set(prefix + e.key.value, {
                name: prefix + e.key.value,
                value: v.value,
                token: token(v),
                nameLoc: e.key.loc,
                ...maybe(sec.loc),
              });
              continue;
            }
            if (gen && v) {
              env.set(prefix + e.key.value, generatedEnv(prefix + e.key.value, `the Secret ${sec.value}`, gen, v, maybe(sec.loc)));
              continue;
            }
            env.set(prefix + e.key.value, {
              name: prefix + e.key.value,
              value: '',
              token: token(sec),
              nameLoc: sec.loc,
              from: `the Secret ${sec.value}`,
              ...maybe(sec.loc),
            });
          }
      }
      // a Secret a kustomization generates from an env file the repository does not have (`envs:
      // [.env]`, ignored by git): it may set any variable; the committed template beside that file
      // (.env.example) names the ones it sets, their values filled in where it is deployed
      for (const u of generatedFromUnread(s)) {
        const made = u.template && path.basename(u.template.file);
        for (const n of u.template?.names ?? [])
          env.set(prefix + n.name, {
            name: prefix + n.name,
            value: '',
            token: token(sec),
            nameLoc: n.loc,
            from: `the Secret ${sec.value} (its ${u.written} made from ${made}, filled in where it is deployed)`,
            ...maybe(sec.loc),
          });
        unread.push(
          `envFrom Secret ${shownValue(sec.value)}${withPrefix} (its env file ${u.written} is not in the repository${made ? `; made from ${made}, which is read` : ''})`,
        );
      }
    }
  }
  for (const e of included) env.set(e.name, e);
  for (const item of seq(yget(container, 'env'))) {
    const e = envItem(item, objects, token, (l) => l);
    if (e) env.set(e.name, { ...e, ...maybe(e.nameLoc) });
  }
  return env;
}

/**
 * A variable a kustomize generator's key sets whose value is not shown here (a `files:` entry: the
 * file's content, or a file the repository does not have): set, by `what`, from the generator's entry.
 */
function generatedEnv(name: string, what: string, gen: GeneratedValue, v: YamlScalar, maybe: { maybe?: string }): DeployEnv {
  const by = `kustomize ${gen.generator}`;
  const value = gen.unknown ? `value unknown (${gen.unknown})` : `its value the content of ${gen.file}`;
  return {
    name,
    value: '',
    token: token(v),
    nameLoc: gen.at,
    from: `${what} (${by}), ${value}`,
    generated: { what, by, at: gen.at, value },
    ...maybe,
  };
}

/**
 * The variables a line of a container's `env` inserts by including a named template of the chart
 * (`{{- include "app.env" . | nindent 12 }}`), rendered with the chart's values and placed in the
 * file that defines it; complete when every entry it writes is read. Undefined when the line does
 * something else, sits in a condition or loop of the template (its dot may not be the chart's), or
 * the named template is not rendered (helmRender.ts says when).
 */
function helperEnv(
  file: string,
  helm: HelmTemplate,
  lineStart: number,
  chart: ChartContext,
  objects: Objects,
): { env: DeployEnv[]; complete: boolean } | undefined {
  if (inConditional(helm, lineStart)) return undefined;
  let lineEnd = helm.source.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = helm.source.length;
  const line = helm.source.slice(lineStart, lineEnd).trim();
  if (!/^\{\{-?\s*(?:include|template)\s+["`]/.test(line) || line.indexOf('{{', 2) >= 0) return undefined;
  const r = renderLine(file, helm, lineStart, chart);
  if (holdsUnknown(r.text) && /^\s*\u27e8[^\u27e9\n]*\u27e9: ""\s*$/.test(r.text)) return undefined;
  const list = parseYamlDocuments(file, r.text).documents[0];
  if (list?.kind !== 'seq') return undefined;
  const at = (l: Loc): Loc => r.place(l.start, l.end);
  const placedToken = (s: YamlScalar): Token => {
    const l = at(s.loc);
    const map = new MappedText(
      l.file,
      s.value,
      [...s.value].map(() => l.start),
      [...s.value].map(() => l.end),
      l.start,
    );
    const t = literalToken(map, l, s.style !== 'plain');
    return holdsUnknown(s.value) ? { ...t, dynamic: true } : t;
  };
  const out: DeployEnv[] = [];
  let complete = true;
  for (const item of list.items) {
    const e = envItem(item, objects, placedToken, at);
    if (!e || holdsUnknown(e.name)) {
      complete = false;
      continue;
    }
    // a value the chart does not decide (a value no values file sets, the release's name): set, its value not known
    const known = holdsUnknown(e.value) ? { ...e, value: '', from: `the Helm chart (${e.value}, not known here)` } : e;
    // (an entry the named template writes inside a condition the values do not decide: set only maybe)
    const maybe = r.maybe(item.loc.start);
    out.push(maybe ? { ...known, maybe } : known);
  }
  return { env: out, complete };
}

/** An entry of a container's `env` list: `value`, `valueFrom` or neither; `tok` and `at` place what it reads. */
function envItem(item: YamlNode, objects: Objects, tok: (s: YamlScalar) => Token, at: (l: Loc) => Loc): DeployEnv | undefined {
  {
    const n = str(yget(item, 'name'));
    if (!n) return undefined;
    const v = yget(item, 'value');
    const vs = str(v);
    if (vs) return { name: n.value, value: vs.value, token: tok(vs), nameLoc: at(n.loc) };
    const from = yget(item, 'valueFrom');
    if (from) {
      const sk = yget(from, 'secretKeyRef');
      const ck = yget(from, 'configMapKeyRef');
      if (ck) {
        const cmName = str(yget(ck, 'name'))?.value;
        const key = str(yget(ck, 'key'))?.value;
        const doc = cmName ? objects.configMaps.get(cmName) : undefined;
        const data = yget(doc, 'data');
        const val = key ? str(yget(data, key)) : undefined;
        const example = doc && exampleObjects.get(doc);
        if (val)
          return {
            name: n.value,
            value: val.value,
            token: token(val),
            nameLoc: at(n.loc),
            ...(example ? { template: `the ConfigMap ${shownValue(cmName!)} made from ${example}` } : {}),
          };
      }
      const what = sk
        ? `the Secret ${str(yget(sk, 'name'))?.value ?? '?'} (key ${str(yget(sk, 'key'))?.value ?? '?'})`
        : ck
          ? `the ConfigMap ${str(yget(ck, 'name'))?.value ?? '?'} (key ${str(yget(ck, 'key'))?.value ?? '?'})`
          : 'a field of the pod';
      return { name: n.value, value: '', token: tok(n), nameLoc: at(n.loc), from: what };
    }
    // `value:` left empty sets the variable to ''
    return { name: n.value, value: '', token: tok(n), nameLoc: at(n.loc) };
  }
}

/**
 * The files a container's volumeMounts place from ConfigMaps: a key mounted alone (`subPath`), or
 * every key (or the `items` chosen) of a ConfigMap mounted as a folder.
 */
function mountsOf(container: YamlNode, spec: YamlNode | undefined, objects: Objects): MountedFile[] {
  const out: MountedFile[] = [];
  const volumes = new Map<string, YamlNode>();
  for (const v of seq(yget(spec, 'volumes'))) {
    const n = str(yget(v, 'name'))?.value;
    const cm = yget(v, 'configMap');
    if (n && cm) volumes.set(n, cm);
  }
  for (const m of seq(yget(container, 'volumeMounts'))) {
    const vol = volumes.get(str(yget(m, 'name'))?.value ?? '');
    const mountPath = str(yget(m, 'mountPath'));
    if (!vol || !mountPath || isTemplate(mountPath.value)) continue;
    // (a templated name finds the ConfigMap written with the same template: the values render both alike)
    const cmName = str(yget(vol, 'name'))?.value;
    if (!cmName) continue;
    const data = yget(objects.configMaps.get(cmName), 'data');
    const known = objects.configMaps.has(cmName);
    // items: [{key, path}] choose keys and name their files
    const items = seq(yget(vol, 'items'))
      .map((i) => ({ key: str(yget(i, 'key'))?.value, path: str(yget(i, 'path'))?.value }))
      .filter((i): i is { key: string; path: string } => i.key !== undefined && i.path !== undefined);
    const keyFor = (file: string): string => items.find((i) => i.path === file)?.key ?? file;
    const file = (key: string, at: string): void => {
      const v = str(yget(data, key));
      // a Helm template's content is Python only once the chart is rendered: there, its content unknown
      // (as is one with a line the template prints: a file or a value where a statement stands)
      const asWritten = v && insertingData.get(v);
      const templated = v !== undefined && (isTemplate(v.value) || asWritten !== undefined);
      out.push({
        path: at,
        ...(v && !templated ? { content: v.map } : v ? { template: asWritten ?? v.value } : {}),
        from: `ConfigMap ${shownValue(cmName)}${known ? `, key ${key}${templated ? ' (a Helm template)' : ''}` : ' (not in the repository)'}`,
        loc: mountPath.loc,
      });
    };
    const sub = str(yget(m, 'subPath'))?.value;
    if (sub !== undefined) file(keyFor(sub), mountPath.value);
    else if (items.length > 0) for (const i of items) file(i.key, `${mountPath.value.replace(/(?<!\/)\/+$/, '')}/${i.path}`);
    else if (data?.kind === 'map')
      for (const e of data.entries) file(e.key.value, `${mountPath.value.replace(/(?<!\/)\/+$/, '')}/${e.key.value}`);
  }
  return out;
}

function probesOf(container: YamlNode): Probe[] {
  const out: Probe[] = [];
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = yget(container, kind);
    if (!p) continue;
    const http = yget(p, 'httpGet');
    const path = str(yget(http, 'path'));
    const port = str(yget(http, 'port')) ?? str(yget(yget(p, 'tcpSocket'), 'port'));
    out.push({
      kind,
      ...(path ? { path: path.value, pathLoc: path.loc } : {}),
      ...(port ? { port: written(port)! } : {}),
      loc: (path ?? port)?.loc ?? (p as { loc: Loc }).loc,
    });
  }
  return out;
}

/** An image field that gives no image: empty or blank, or YAML's null (`image: null`, `image: ~`, `image:`). */
function noImage(s: YamlScalar | undefined): boolean {
  if (!s) return false;
  if (s.value.trim() === '') return true;
  return s.style === 'plain' && (s.value === 'null' || s.value === 'Null' || s.value === 'NULL' || s.value === '~');
}

function workloadProcesses(
  file: string,
  kind: string,
  d: YamlMap,
  objects: Objects,
  helm?: HelmTemplate,
  chart?: ChartContext,
  services: readonly YamlMap[] = [],
  triggers: ReadonlyMap<string, ImageStreamRef> = new Map(),
): DeployProcess[] {
  const metaName = str(yget(yget(d, 'metadata'), 'name'))?.value;
  const name = metaName === undefined ? undefined : shownValue(metaName);
  const kindLoc = str(yget(d, 'kind'))!.loc;
  const spec = podSpec(kind, d);
  const instances = instancesOf(kind, d, name, objects, chart);
  const links = serviceLinks(d, spec, services);
  const policy = ingressOnlyPolicy(podLabels(kind, d), objects);
  const onlyVia = policy
    ? {
        why: `the NetworkPolicy ${shownValue(policy.name)} admits only ${[
          ...(policy.controller ? ["the ingress controller's pods"] : []),
          ...(policy.proxies.length > 0 ? [`the pods of the proxy ${policy.proxies.join(', ')}`] : []),
        ].join(' and ')}`,
        loc: policy.loc,
        holdsIf: `the cluster's network plugin enforces NetworkPolicies`,
        source: NETWORK_POLICY_ENFORCEMENT.source.url,
      }
    : undefined;
  // (a workload that serves: the kinds whose pods a Service fronts, Jobs and Knative Services aside)
  const internal = SERVED_KINDS.has(kind) ? clusterOnly(podLabels(kind, d), spec, objects, services) : undefined;
  const inCluster = internal
    ? {
        why: `only the cluster's pods can reach it: ClusterIP ${internal.names.length > 1 ? 'Services' : 'Service'} ${internal.names.map((n) => shownValue(n)).join(', ')}; no hostPort, hostNetwork, NodePort or LoadBalancer`,
        loc: internal.loc,
        source: CLUSTER_INTERNAL_SERVICE.source.url,
      }
    : undefined;
  const out: DeployProcess[] = [];
  const once = kind === 'Job' ? 'a Job runs it to completion' : kind === 'CronJob' ? 'a CronJob runs it on a schedule' : undefined;
  for (const [list, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    for (const c of seq(yget(spec, list))) {
      if (c.kind !== 'map') continue;
      const rawName = str(yget(c, 'name'))?.value;
      const cname = shownValue(rawName ?? '?');
      // (an OpenShift image trigger sets the container's image: the ImageStreamTag it names, openshiftImages.ts)
      const trigger = !init && rawName !== undefined ? triggers.get(rawName) : undefined;
      const command = seq(yget(c, 'command')).filter((i): i is YamlScalar => i.kind === 'scalar');
      const args = seq(yget(c, 'args')).filter((i): i is YamlScalar => i.kind === 'scalar');
      const unread: string[] = [];
      const env = envOf(file, c, objects, unread, helm, chart, links);
      const words = [...command, ...args].map((s) => expandReferences(token(s), env));
      const resources = yget(yget(c, 'resources'), 'limits');
      const cpu = str(yget(resources, 'cpu'));
      const mem = str(yget(resources, 'memory'));
      const ports = seq(yget(c, 'ports'))
        .map((p) => str(yget(p, 'containerPort')))
        .filter((p): p is YamlScalar => p !== undefined)
        .map((p) => ({ ...written(p)!, what: 'containerPort' }));
      // (`image: null`, `image: ' '`: no image of its own, a trigger gives it one)
      const imageNode = noImage(str(yget(c, 'image'))) ? undefined : str(yget(c, 'image'));
      const image = imageNode?.value;
      // (a chart's `{{ .Values.image.repository }}:{{ .Chart.AppVersion }}`, rendered: the name the image is known by)
      const rendered = imageNode ? renderedScalar(file, imageNode.value, chart) : undefined;
      const mounts = mountsOf(c, spec, objects);
      const nonRoot = runsAsNonRoot(c, spec, (o) => securityContextOf(file, o, helm, chart));
      out.push({
        ...(onlyVia ? { reachableOnlyFrom: onlyVia } : {}),
        ...(inCluster && !init ? { reachableInCluster: inCluster } : {}),
        // the name a reader knows: `{{ include "app.fullname" . }}` read as the chart's name (base/relPath.ts)
        label: readableName(`${kind} ${name ?? '?'} (${init ? 'init container' : 'container'} ${cname})`, file),
        file,
        ...(words.length > 0 ? { words } : {}),
        env,
        ...(unread.length > 0 ? { unreadEnv: unread } : {}),
        // an init container runs as each pod starts: as many times as there are pods
        ...(once ? { once } : {}),
        ...(kind === 'CronJob' ? { scheduled: true } : {}),
        ...(instances ? { instances } : {}),
        ...(cpu
          ? { cpuLimit: { text: cpu.value, loc: cpu.loc, ...(cpuCores(cpu.value) !== undefined ? { value: cpuCores(cpu.value) } : {}) } }
          : {}),
        ...(mem
          ? {
              memoryLimit: {
                text: mem.value,
                loc: mem.loc,
                ...(memoryBytes(mem.value) !== undefined ? { value: memoryBytes(mem.value) } : {}),
              },
            }
          : {}),
        ...(nonRoot ? { nonRoot } : {}),
        probes: init ? [] : probesOf(c),
        // (`{{- with .Values.readinessProbe }}`: probes the values decide are not rendered here)
        ...(helm && !init && /probe/i.test(helm.source)
          ? { probesUnread: "the Helm template writes probes the chart's values decide" }
          : {}),
        ports,
        ...(str(yget(c, 'workingDir')) ? { runDir: str(yget(c, 'workingDir'))!.value } : {}),
        ...(image ? { image, imageLoc: imageNode!.loc } : {}),
        ...(rendered && rendered !== image ? { renderedImage: rendered } : {}),
        ...(trigger ? { imageStream: trigger } : {}),
        container: cname,
        object: { kind, ...(name !== undefined ? { name } : {}), loc: kindLoc },
        ...(mounts.length > 0 ? { mounts } : {}),
        containerized: true,
      });
    }
  }
  return out;
}
