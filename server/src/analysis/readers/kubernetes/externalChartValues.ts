// A values file for a Helm chart the repository does not hold (`docker/values-prod.yaml` beside no
// Chart.yaml: `helm upgrade --install mysite some-repo/django-app -f docker/values-prod.yaml`). The
// chart's templates are elsewhere, so what it deploys is known only as far as its values say: the
// image it runs (`image: {repository: …}`), whether it serves the app through an Ingress
// (`ingress: {enabled: true, hosts: …}`), and the environment it gives the app in the common list
// form (`env:`, `environmentVariables:`, `extraEnv:`: `[{name: ENV, value: prod}]`) or mapping form.
// Only a file named for production (values-prod.yaml, prod-values.yml, values.production.yaml) is
// read, and only when it has an image or an Ingress: production's deployment of the app, by the
// shape its values have. Read by the process model's development-compose passes, which take such a
// file as production's deployment elsewhere (models/process/passes/developmentCompose.ts).
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { namedForProduction } from '../devPaths';
import { parseYaml, yget, yscalar, type YamlNode } from '../yaml';

export interface ExternalChartValues {
  readonly file: string;
  /** The image repository it deploys, as written. */
  readonly image?: string;
  /** It enables the chart's Ingress. */
  readonly ingress: boolean;
  /** The environment it gives the app, as written (a value written with a template or a reference: absent). */
  readonly env: ReadonlyMap<string, string>;
}

/** Whether a file's name is a values file's: values.yaml, values-prod.yaml, prod-values.yml, values.production.yaml. */
function valuesName(base: string): boolean {
  const m = /\.ya?ml$/i.exec(base);
  return m !== null && base.slice(0, m.index).toLowerCase().split(/[-_.]/).includes('values');
}
/** The keys charts commonly take the app's environment under. */
const ENV_KEYS = ['env', 'environmentVariables', 'extraEnv', 'envVars'];

/** The production values files of charts the repository does not hold. */
export function externalChartValues(fs: FileSystem, root: string, files: readonly ScannedFile[]): ExternalChartValues[] {
  const out: ExternalChartValues[] = [];
  for (const f of files) {
    if (f.kind !== 'manifest') continue;
    const base = path.basename(f.path);
    if (!valuesName(base) || !namedForProduction(base)) continue;
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
    out.push({ file: f.path, ...(image ? { image } : {}), ingress, env });
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
