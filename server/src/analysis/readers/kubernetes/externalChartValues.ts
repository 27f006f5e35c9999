// A values file for a Helm chart the repository does not hold (`docker/values-prod.yaml` beside no
// Chart.yaml: `helm upgrade --install mysite some-repo/django-app -f docker/values-prod.yaml`). The
// chart's templates are elsewhere, so what it deploys is known only as far as its values say: the
// image it runs (`image: {repository: …}`), whether it serves the app through an Ingress
// (`ingress: {enabled: true, hosts: …}`), and the environment it gives the app in the common list
// form (`env:`, `environmentVariables:`, `extraEnv:`: `[{name: ENV, value: prod}]`) or mapping form.
// Only a file named for production (values-prod.yaml, prod-values.yml, values.production.yaml), or a
// values file in a folder named so (helm/production/values.yaml, deploy/prod/values.yaml: the folders
// between it and the project's root, none of them a development one) is read, and only when it has
// an image or an Ingress: production's deployment of the app, by the shape its values have; a
// staging one (values-staging.yaml, helm/staging/values.yaml) only when no production one is beside
// it. Read by the process model's development-compose passes, which take such a file as production's
// deployment elsewhere (models/process/passes/developmentCompose.ts); its Ingress (`ingress:` with
// its class, annotations and tls, as charts commonly take them) is a hop in front of the app
// (models/requestPath/path.ts), and the environment the chart gives the app is open: its templates
// are elsewhere, and may set any variable (models/process/deploymentVariables.ts).
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { devReasonOfPath, namedForProduction, namedForStaging } from '../devPaths';
import { parseYaml, yget, yscalar, type YamlNode, type YamlScalar } from '../yaml';
import type { IngressAnnotation, IngressObject, IngressTlsEntry, K8sText } from './ingress';

export interface ExternalChartValues {
  readonly file: string;
  /** The image repository it deploys, as written. */
  readonly image?: string;
  /** It enables the chart's Ingress. */
  readonly ingress: boolean;
  /** The environment it gives the app, as written (a value written with a template or a reference: absent). */
  readonly env: ReadonlyMap<string, string>;
  /** The Ingress its values describe, as an object of the chart would be (no backends: the chart ties it to its own Service). */
  readonly ingressObject?: IngressObject;
  /** The Secrets its values name (`secret: {name: postgres}`, `existingSecret: postgres`): the chart gives the app variables from them. */
  readonly secrets: readonly string[];
}

/** Whether a file's name is a values file's: values.yaml, values-prod.yaml, prod-values.yml, values.production.yaml. */
function valuesName(base: string): boolean {
  const m = /\.ya?ml$/i.exec(base);
  return m !== null && base.slice(0, m.index).toLowerCase().split(/[-_.]/).includes('values');
}
/** The keys charts commonly take the app's environment under. */
const ENV_KEYS = ['env', 'environmentVariables', 'extraEnv', 'envVars'];

/**
 * Whether a values file is production's by its name (values-prod.yaml), or by a folder between it
 * and the root (helm/production/values.yaml) when no folder of its path is a development one.
 */
function forProduction(root: string, file: string): boolean {
  if (namedForProduction(path.basename(file))) return true;
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && namedForProduction(path.dirname(rel)) && devReasonOfPath(rel) === undefined;
}

/** Whether a values file says staging, by its name or its folders (values-staging.yaml, helm/staging/values.yaml). */
function forStaging(root: string, file: string): boolean {
  return (
    namedForStaging(path.basename(file)) ||
    (!namedForProduction(path.basename(file)) && namedForStaging(path.relative(root, path.dirname(file))))
  );
}

/** The production values files of charts the repository does not hold (a staging one only without a production one). */
export function externalChartValues(fs: FileSystem, root: string, files: readonly ScannedFile[]): ExternalChartValues[] {
  const found = readAll(fs, root, files);
  const production = found.filter((v) => !forStaging(root, v.file));
  return production.length > 0 ? production : found;
}

function readAll(fs: FileSystem, root: string, files: readonly ScannedFile[]): ExternalChartValues[] {
  const out: ExternalChartValues[] = [];
  for (const f of files) {
    if (f.kind !== 'manifest') continue;
    const base = path.basename(f.path);
    if (!valuesName(base) || !forProduction(root, f.path)) continue;
    if (inChart(fs, root, path.dirname(f.path))) continue;
    const text = fs.readText(f.path);
    if (text === undefined) continue;
    const doc = parseYaml(f.path, text);
    if (doc?.kind !== 'map' || yget(doc, 'apiVersion') !== undefined || yget(doc, 'services') !== undefined) continue;
    const image = yscalar(yget(yget(doc, 'image'), 'repository'))?.value;
    const enabled = yscalar(yget(yget(doc, 'ingress'), 'enabled'))?.value.toLowerCase();
    const ingress = enabled === 'true' || enabled === 'yes' || enabled === 'on';
    if (!image && !ingress) continue;
    const env = new Map<string, string>();
    for (const key of ENV_KEYS) readEnv(yget(doc, key), env);
    const ingressNode = yget(doc, 'ingress');
    const ingressObject = ingress && ingressNode?.kind === 'map' ? ingressOf(ingressNode) : undefined;
    out.push({
      file: f.path,
      ...(image ? { image } : {}),
      ingress,
      env,
      ...(ingressObject ? { ingressObject } : {}),
      secrets: secretsOf(doc),
    });
  }
  return out;
}

/** A scalar as an object's text (a value holding a template expression is not known). */
function textOf(s: YamlScalar | undefined): K8sText | undefined {
  if (!s || s.value.trim() === '') return undefined;
  return { text: s.value, loc: s.loc, ...(s.value.includes('{{') ? { dynamic: true } : {}) };
}

/**
 * The Ingress of a chart's `ingress:` values, in the shape charts commonly take it (helm create's):
 * `ingressClassName` or `className`, `annotations` (the `kubernetes.io/ingress.class` one naming
 * the class too), `hosts` (names, or `{host: …}` items), `tls` (`[{hosts: […], secretName: …}]`).
 */
function ingressOf(node: YamlNode): IngressObject {
  const loc = yget(node, 'enabled')?.loc ?? node.loc;
  const annotations: IngressAnnotation[] = [];
  const a = yget(node, 'annotations');
  if (a?.kind === 'map')
    for (const e of a.entries) {
      const v = yscalar(e.value);
      annotations.push({ name: e.key.value, value: textOf(v) ?? { text: '', loc: e.key.loc }, keyLoc: e.key.loc });
    }
  const classField = textOf(yscalar(yget(node, 'ingressClassName')) ?? yscalar(yget(node, 'className')));
  const classAnnotation = annotations.find((x) => x.name === 'kubernetes.io/ingress.class')?.value;
  const hosts: K8sText[] = [];
  const h = yget(node, 'hosts');
  for (const item of h?.kind === 'seq' ? h.items : []) {
    const t = textOf(item.kind === 'scalar' ? item : yscalar(yget(item, 'host')));
    if (t) hosts.push(t);
  }
  const tls: IngressTlsEntry[] = [];
  const t = yget(node, 'tls');
  for (const item of t?.kind === 'seq' ? t.items : []) {
    if (item.kind !== 'map') continue;
    const th = yget(item, 'hosts');
    const secretName = textOf(yscalar(yget(item, 'secretName')));
    tls.push({
      hosts: (th?.kind === 'seq' ? th.items : []).map((x) => textOf(yscalar(x))).filter((x): x is K8sText => x !== undefined),
      ...(secretName ? { secretName } : {}),
      loc: item.loc,
    });
  }
  return {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    apiVersionText: { text: 'networking.k8s.io/v1', loc },
    loc,
    ...(classField ? { classField } : {}),
    ...(classAnnotation && classAnnotation.text !== '' ? { classAnnotation } : {}),
    annotations,
    tls,
    hosts,
    backends: [],
    legacy: [],
  };
}

/** The Secrets values name for the app: `secret: {name: X}` and `existingSecret: X` under a top-level key (not the Ingress's certificates). */
function secretsOf(doc: YamlNode): string[] {
  const out: string[] = [];
  if (doc.kind !== 'map') return out;
  for (const e of doc.entries) {
    if (e.key.value === 'ingress' || e.value?.kind !== 'map') continue;
    const named = yscalar(yget(yget(e.value, 'secret'), 'name'))?.value ?? yscalar(yget(e.value, 'existingSecret'))?.value;
    if (named && !named.includes('{{') && !out.includes(named)) out.push(named);
  }
  return out;
}

/** Whether a folder is in a chart of the repository (a Chart.yaml in it or above it, up to the root). */
function inChart(fs: FileSystem, root: string, dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.exists(path.join(d, 'Chart.yaml'))) return true;
    if (d === root || path.dirname(d) === d || !d.startsWith(root)) return false;
  }
}

/** `[{name: ENV, value: prod}]` or `{ENV: prod}`: each plain value as written. */
function readEnv(node: YamlNode | undefined, into: Map<string, string>): void {
  if (node?.kind === 'seq') {
    for (const item of node.items) {
      const name = yscalar(yget(item, 'name'))?.value;
      const value = yscalar(yget(item, 'value'))?.value;
      if (name && value !== undefined && !value.includes('{{')) into.set(name, value);
    }
  } else if (node?.kind === 'map') {
    for (const e of node.entries) {
      const value = yscalar(e.value)?.value;
      if (value !== undefined && !value.includes('{{')) into.set(e.key.value, value);
    }
  }
}
