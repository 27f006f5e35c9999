// The deployment files read as processes (Kubernetes manifests, platform files, uWSGI, supervisord
// and Circus configurations): which reader reads a scanned file, and the settings module each
// production process names in its environment.
import * as path from 'node:path';
import type { FileSystem } from '../files/fs';
import type { ScannedFile } from '../files/scan';
import { isJinjaTemplate, parseAppConfig, readAppConfigTemplate } from './process/appConfigs';
import { renderedWith, type AnsibleScope } from './ansible';
import { devReasonOfPath } from './devPaths';
import {
  addObjects,
  type ChartContext,
  looksLikeManifest,
  ObjectNames,
  readManifest,
  readManifestDocuments,
  type Objects,
} from './kubernetes/manifests';
import { chartDefines, chartOfTemplate, findCharts, type HelmChart } from './kubernetes/helmCharts';
import { inConditional, readHelmTemplate } from './kubernetes/helm';
import { holdsUnknown, renderHelm } from './kubernetes/helmRender';
import type { Loc } from '../eval/values';
import { buildKustomization, isKustomization } from './kubernetes/kustomize';
import { parsePlatformFile, platformOf, readAsRendered } from './platforms/index';
import { readAppJson } from './platforms/heroku';
import { readCfVarsFile, readCloudFoundry, type CfVarsFile } from './platforms/cloudFoundry';
import { readElasticBeanstalk } from './platforms/elasticBeanstalk';
import { readRailway } from './platforms/railway';
import { RAILWAY_DOCKERFILE } from '../catalogue/platformRuntime';
import { APP_JSON_ENV, CLOUD_FOUNDRY_VARS_FILES } from '../catalogue/platformVariables';
import { memoByText } from './text';
import type { DeployFile } from './workload';
import { lineIndexAt } from '../base/lines';

/** The kinds of scanned files a deployment reader may read. */
export const DEPLOY_KINDS: ReadonlySet<string> = new Set(['manifest', 'config', 'appconfig']);

const manifestAlone = memoByText((file: string, text: string) => readManifest(file, text));

/**
 * A deployment file read by its reader; undefined when it is none (a YAML file that is no manifest,
 * an ini file that configures something else, nginx.conf). Manifests are read with `objects`, the
 * ConfigMaps, Secrets and autoscalers of all the project's manifests (collectObjects), when given,
 * and a chart's template with `chartOf` its chart (its values and named templates), when given.
 */
export function readDeployFile(
  fs: FileSystem,
  f: ScannedFile,
  objects?: Objects,
  chartOf?: (file: string) => ChartContext | undefined,
  ansibleOf?: (file: string) => AnsibleScope | undefined,
): DeployFile | undefined {
  if (!DEPLOY_KINDS.has(f.kind)) return undefined;
  const text = fs.readText(f.path);
  if (text === undefined) return undefined;
  try {
    if (f.kind === 'manifest') {
      if (isKustomization(f.path)) return readKustomization(fs, f.path, objects);
      if (!looksLikeManifest(text)) return undefined;
      const chart = text.includes('{{') ? chartOf?.(f.path) : undefined;
      if (chart) return readManifest(f.path, text, objects, chart);
      return objects ? readManifest(f.path, text, objects) : manifestAlone(f.path, text);
    }
    if (f.kind === 'config') {
      // a Kubernetes manifest may be named like a platform file (k8s/app.yaml): its content says
      if (/\.ya?ml$/.test(f.path) && looksLikeManifest(text))
        return objects ? readManifest(f.path, text, objects) : manifestAlone(f.path, text);
      // app.json's values are production's where its README's Heroku Button creates production from it
      if (platformOf(f.path) === 'heroku-app')
        return readAsRendered(f.path, text, (t) => readAppJson(f.path, t, herokuButton(fs, path.dirname(f.path))));
      // a Cloud Foundry manifest's `((name))` from the production vars file beside it
      // (the bundle's configuration files together, its Procfile and platform hooks)
      if (platformOf(f.path) === 'elasticbeanstalk') return readElasticBeanstalk(fs, f.path, text);
      if (platformOf(f.path) === 'cloudfoundry') {
        const vars = productionVarsFile(fs, f.path);
        if (vars) return readAsRendered(f.path, text, (t) => readCloudFoundry(f.path, t, vars));
      }
      // a railway file beside a Dockerfile, which Railway builds (catalogue RAILWAY_DOCKERFILE)
      if (platformOf(f.path) === 'railway' && fs.readText(path.join(path.dirname(f.path), RAILWAY_DOCKERFILE.value)) !== undefined)
        return readAsRendered(f.path, text, (t) => readRailway(f.path, t, true));
      return platformOf(f.path) ? parsePlatformFile(f.path, text) : undefined;
    }
    // an Ansible role's template, filled in with the role's and its inventory's variables; a template
    // a Salt state renders, with the values its state and production's pillar give (readers/salt.ts)
    if (f.rendered) return readAppConfigTemplate(f.path, text, undefined, f.rendered.expressions);
    if (isJinjaTemplate(f.path)) return readAppConfigTemplate(f.path, text, ansibleOf?.(f.path));
    return parseAppConfig(f.path, text);
  } catch {
    return undefined;
  }
}

/**
 * The variables file named for production beside a Cloud Foundry manifest (catalogue
 * CLOUD_FOUNDRY_VARS_FILES), for a manifest not itself named for staging, development or tests.
 */
function productionVarsFile(fs: FileSystem, manifest: string): CfVarsFile | undefined {
  if (/stag|dev|test|review|preview|sandbox|local/i.test(path.basename(manifest))) return undefined;
  const dir = path.dirname(manifest);
  for (const name of CLOUD_FOUNDRY_VARS_FILES.production) {
    const file = path.join(dir, ...name.split('/'));
    const text = fs.readText(file);
    if (text === undefined) continue;
    const got = readCfVarsFile(name, file, text);
    if (got) return got;
  }
  return undefined;
}

/** The README beside an app.json whose Heroku Button creates apps from it ("README.md's Heroku Button"), if any. */
function herokuButton(fs: FileSystem, dir: string): string | undefined {
  for (const name of ['README.md', 'README.rst', 'README', 'README.txt', 'readme.md', 'Readme.md']) {
    const text = fs.readText(path.join(dir, name));
    if (text !== undefined && APP_JSON_ENV.button.test(text)) return `${name}'s Heroku Button`;
  }
  return undefined;
}

/**
 * What a kustomization deploys: the workloads it builds (resources and bases, patched), read with
 * the tree's objects and the ones it generates or patches.
 */
function readKustomization(fs: FileSystem, file: string, objects?: Objects): DeployFile {
  const b = buildKustomization(fs, file);
  const own: Objects = {
    configMaps: new ObjectNames(objects?.configMaps),
    secrets: new ObjectNames(objects?.secrets),
    autoscalers: new Map(objects?.autoscalers),
    services: new Map(objects?.services),
    serviceList: [...(objects?.serviceList ?? [])],
    operatorSecrets: new ObjectNames(objects?.operatorSecrets),
    ...(objects?.secretTemplates ? { secretTemplates: objects.secretTemplates } : {}),
  };
  addObjects(own, b.documents);
  return readManifestDocuments(file, b.documents, own, 'Kubernetes manifests of a kustomization', b.notes);
}

/** The manifest files among `files` with their texts (for reading each with the others' objects). */
export function manifestTexts(fs: FileSystem, files: readonly ScannedFile[]): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const f of files) {
    if (f.kind !== 'manifest' && !(f.kind === 'config' && /\.ya?ml$/.test(f.path))) continue;
    const text = fs.readText(f.path);
    if (text !== undefined && looksLikeManifest(text)) out.push({ file: f.path, text });
  }
  return out;
}

/** A settings module a deployment process's environment names. */
export interface DeployMention {
  readonly module: string;
  readonly file: string;
  /** Zero-based line of the value. */
  readonly line: number;
  /** The process ("Deployment web (container django)"). */
  readonly label: string;
  /** Not a production process: why. */
  readonly devReason?: string;
}

/**
 * The chart a template file of `files` belongs to, with its production values and named templates
 * (for readDeployFile); the charts are found when a template first asks, once. `root`: the folder
 * the deployment files that name values files are read from (the workspace folder).
 */
export function chartContexts(fs: FileSystem, files: readonly ScannedFile[], root: string): (file: string) => ChartContext | undefined {
  let charts: HelmChart[] | undefined;
  const contexts = new Map<HelmChart, ChartContext>();
  return (file) => {
    if (!files.some((f) => /^Chart\.ya?ml$/.test(path.basename(f.path)))) return undefined;
    charts ??= findCharts(fs, files, root);
    const c = chartOfTemplate(charts, file);
    if (!c) return undefined;
    let ctx = contexts.get(c);
    if (!ctx) {
      ctx = { values: c.values, defines: chartDefines(fs, c) };
      contexts.set(c, ctx);
    }
    return ctx;
  };
}

/** The DJANGO_SETTINGS_MODULE each process of a deployment file sets (literal values only). */
export function deployMentions(
  fs: FileSystem,
  f: ScannedFile,
  root: string,
  chartOf?: (file: string) => ChartContext | undefined,
  ansibleOf?: (file: string) => AnsibleScope | undefined,
): DeployMention[] {
  const d = readDeployFile(fs, f, undefined, chartOf, ansibleOf);
  if (!d) return [];
  const text = fs.readText(f.path) ?? '';
  const out: DeployMention[] = [];
  const fileDev = devReasonOfPath(path.relative(root, f.path));
  for (const p of d.processes) {
    const e = p.env.get('DJANGO_SETTINGS_MODULE');
    if (!e || e.from) continue;
    // a chart's template inserting a value (`value: {{ .Values.web.settingsModule | quote }}`): the
    // value the chart's production values give it, placed in the values file that sets it
    const v = e.token.dynamic
      ? (chartValue(f.path, text, e.token.loc, chartOf) ?? ansibleValue(f.path, text, e.token.loc, ansibleOf))
      : { value: e.value, loc: e.token.loc };
    if (!v || !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(v.value)) continue;
    // (a kustomization's value sits in the resource or patch that wrote it)
    const at = v.loc.file || f.path;
    const line = at === f.path ? lineIndexAt(text, v.loc.start) : lineIndexAt(fs.readText(at) ?? '', v.loc.start);
    if (out.some((o) => o.file === at && o.line === line && o.module === v.value)) continue;
    const devReason = fileDev ?? p.devReason;
    out.push({ module: v.value, file: at, line, label: p.label, ...(devReason ? { devReason } : {}) });
  }
  return out;
}

/**
 * The value an Ansible template writes (`DJANGO_SETTINGS_MODULE={{ project_name }}.settings_prod` in a
 * unit's `Environment=`) where each of its `{{ variable }}` has one plain value among the variables
 * of the plays, the role and the inventory (readers/ansible.ts renderedWith): undefined otherwise.
 */
function ansibleValue(
  file: string,
  text: string,
  loc: Loc,
  ansibleOf: ((file: string) => AnsibleScope | undefined) | undefined,
): { value: string; loc: Loc } | undefined {
  if (loc.file !== file || !isJinjaTemplate(file)) return undefined;
  const source = text.slice(loc.start, loc.end);
  const scope = source.includes('{{') ? ansibleOf?.(file) : undefined;
  const value = scope ? renderedWith(scope, source) : undefined;
  return value ? { value, loc } : undefined;
}

/**
 * The value a chart's template writes where it holds one template action alone (`{{ .Values.x }}`,
 * `{{ .Values.x | quote }}`), outside any condition or loop, rendered with the chart's production
 * values (values.yaml, then the production values files a deployment names): undefined when it is not
 * one, no chart holds the file, or the values do not decide it.
 */
function chartValue(
  file: string,
  text: string,
  loc: Loc,
  chartOf: ((file: string) => ChartContext | undefined) | undefined,
): { value: string; loc: Loc } | undefined {
  if (loc.file !== file) return undefined;
  const source = text.slice(loc.start, loc.end);
  if (!/^\{\{[^{}]*\}\}$/.test(source)) return undefined;
  const chart = chartOf?.(file);
  if (!chart || inConditional(readHelmTemplate(text), loc.start)) return undefined;
  const r = renderHelm(file, source, chart.values, chart.defines);
  if (holdsUnknown(r.text) || r.maybe(0)) return undefined;
  const quoted = /^(["'])(.*)\1$/.exec(r.text.trim());
  const value = quoted ? quoted[2]! : r.text.trim();
  if (value === '') return undefined;
  const start = r.text.indexOf(value);
  const at = r.place(start, start + value.length);
  // (a value copied from the template's text sits where the template writes it)
  return { value, loc: at.file === file ? loc : at };
}
