// Helm charts of a repository and the values production renders them with. A chart is the folder
// of a Chart.yaml; its templates are the YAML files under its templates/ folder (not those whose
// name starts with `_`). Its values are its values.yaml, overridden by production's values files
// when the repository says which they are:
//   - a file a deployment names: a `helm install|upgrade|template … -f FILE` (or `--values`) line
//     of a CI file, a Makefile or a script; a helmfile release of the chart (its `values:` list,
//     `{{ .Environment.Name }}` read as each production environment the helmfile declares); an
//     Argo CD Application of the chart (`spec.source.helm.valueFiles`);
//   - a file of the chart whose name says production (values-prod.yaml, values.production.yaml,
//     prod-values.yaml, values/production.yaml…).
// Exactly one such set of files: it is used. None: values.yaml alone. Several that disagree: what
// they set differently is unknown (never one of them guessed). A file named for development,
// tests or staging is never production's. Values given at install time (`--set`, a file outside
// the repository) are not known: a value no file sets is unknown, not nil (see helmRender.ts).
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import type { ScannedFile } from '../../files/scan';
import { devReasonOfPath } from '../devPaths';
import { parseYamlDocuments, yget, yscalar, type YamlMap, type YamlNode } from '../yaml';
import { collectDefines, type Defines, type ValuesSource } from './helmRender';

/** A chart of the repository. */
export interface HelmChart {
  /** The chart's folder (where Chart.yaml is). */
  readonly dir: string;
  readonly chartFile: string;
  /** The chart's name (Chart.yaml's `name`), when written. */
  readonly name?: string;
  /** The template files it renders, in scan order. */
  readonly templates: readonly string[];
  /** The files of its templates/ folder that may define named templates (its templates, `_helpers.tpl`, `_*.yaml`). */
  readonly helpers: readonly string[];
  readonly values: ChartValues;
}

/** The values a chart is rendered with. */
export interface ChartValues extends ValuesSource {
  /** The values files used, in the order Helm layers them (values.yaml first). */
  readonly files: readonly string[];
  /** Which files, and why ("values.yaml, then values-prod.yaml (its name says production)"). */
  readonly why: string;
  /** Production values files that disagree (their differences are unknown), when there are several. */
  readonly competing?: readonly (readonly string[])[];
  /**
   * Only the chart's own defaults are read (values.yaml): no values file of a production release
   * was found, so what a release installs it with may differ from them.
   */
  readonly defaultsOnly?: true;
}

const TEMPLATE_FILE = /\.ya?ml$/i;
/** `.Chart`'s fields and the Chart.yaml keys they come from (Helm's built-in objects). */
const CHART_FIELDS = [
  ['Name', 'name'],
  ['Version', 'version'],
  ['AppVersion', 'appVersion'],
  ['Description', 'description'],
  ['Type', 'type'],
  ['KubeVersion', 'kubeVersion'],
] as const;
const PROD_WORD = /^(prod|production|prd|live)$/i;
const NOT_PROD_WORD =
  /^(dev|devel|develop|development|local|test|tests|testing|ci|staging|stage|stg|qa|uat|preview|review|sandbox|demo|example|sample)$/i;

function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a values file's path (from the chart) says production, and says nothing else. */
function saysProduction(rel: string): boolean {
  const ws = rel.split(/[\\/]/).flatMap((p) => words(p.replace(/\.ya?ml$/i, '')));
  return ws.some((w) => PROD_WORD.test(w)) && !ws.some((w) => NOT_PROD_WORD.test(w));
}

function saysNotProduction(rel: string): boolean {
  return rel.split(/[\\/]/).some((p) => words(p.replace(/\.ya?ml$/i, '')).some((w) => NOT_PROD_WORD.test(w)));
}

/** The charts among the scanned files, with their templates and production values. */
export function findCharts(fs: FileSystem, files: readonly ScannedFile[], root: string): HelmChart[] {
  const chartFiles = files.filter((f) => path.basename(f.path) === 'Chart.yaml' || path.basename(f.path) === 'Chart.yml');
  if (chartFiles.length === 0) return [];
  const named = namedValues(fs, files, root);
  const out: HelmChart[] = [];
  for (const cf of chartFiles) {
    const dir = path.dirname(cf.path);
    const tdir = path.join(dir, 'templates') + path.sep;
    const templates = files
      .filter((f) => f.path.startsWith(tdir) && TEMPLATE_FILE.test(f.path) && !path.basename(f.path).startsWith('_'))
      .map((f) => f.path);
    const meta = parseYamlDocuments(cf.path, fs.readText(cf.path) ?? '').documents[0];
    const name = yscalar(yget(meta, 'name'))?.value;
    // Helm's built-in `.Chart` object: Chart.yaml's fields, capitalised (helm.sh/docs/chart_template_guide/builtin_objects)
    const chart = new Map<string, string>();
    for (const [field, key] of CHART_FIELDS) {
      const v = yscalar(yget(meta, key))?.value;
      if (v !== undefined) chart.set(field, v);
    }
    const tpl = fs.isDirectory(tdir.slice(0, -1))
      ? fs
          .readDir(tdir.slice(0, -1))
          .filter((e) => e.isFile && /\.tpl$/i.test(e.name))
          .map((e) => path.join(tdir, e.name))
          .sort()
      : [];
    const helpers = [...files.filter((f) => f.path.startsWith(tdir) && TEMPLATE_FILE.test(f.path)).map((f) => f.path), ...tpl];
    const values = chartValues(fs, files, dir, named);
    out.push({
      dir,
      chartFile: cf.path,
      ...(name ? { name } : {}),
      templates,
      helpers,
      values: chart.size > 0 ? { ...values, chart } : values,
    });
  }
  return out;
}

/** The named templates a chart defines (in its templates/ folder; a subchart's or a library chart's are not read). */
export function chartDefines(fs: FileSystem, chart: HelmChart): Defines {
  const texts: { file: string; text: string }[] = [];
  for (const f of chart.helpers) {
    const text = fs.readText(f);
    if (text !== undefined) texts.push({ file: f, text });
  }
  return collectDefines(texts);
}

/** The chart whose templates/ folder holds `file`, among `charts`. */
export function chartOfTemplate(charts: readonly HelmChart[], file: string): HelmChart | undefined {
  return charts.find((c) => file.startsWith(path.join(c.dir, 'templates') + path.sep));
}

/** A set of values files a deployment names for a chart. */
interface Named {
  /** The chart's folder it deploys (absolute), when the deployment says. */
  readonly chart?: string;
  readonly files: readonly string[];
  /** "helm upgrade in .github/workflows/deploy.yml", "helmfile.yaml (release web, environment production)". */
  readonly by: string;
}

function chartValues(fs: FileSystem, files: readonly ScannedFile[], dir: string, named: readonly Named[]): ChartValues {
  const base = ['values.yaml', 'values.yml'].map((n) => path.join(dir, n)).find((f) => fs.exists(f));
  const within = (f: string): boolean => f.startsWith(dir + path.sep);
  // sets of production values files: named by a deployment of this chart, or named for production
  const sets: { files: string[]; why: string }[] = [];
  for (const n of named) {
    if (n.chart !== undefined ? n.chart !== dir : !n.files.every(within)) continue;
    const own = n.files.filter((f) => f !== base);
    if (own.length === 0 || own.some((f) => saysNotProduction(path.relative(dir, f)))) continue;
    sets.push({ files: own, why: `${own.map((f) => path.relative(dir, f)).join(', ')} (${n.by})` });
  }
  for (const f of files) {
    if (!within(f.path) || !TEMPLATE_FILE.test(f.path) || f.path === base) continue;
    const rel = path.relative(dir, f.path);
    const top = rel.split(path.sep)[0]!;
    if (top === 'templates' || top === 'charts' || /^Chart\.ya?ml$/.test(rel) || !saysProduction(rel)) continue;
    if (sets.some((s) => s.files.includes(f.path))) continue;
    sets.push({ files: [f.path], why: `${rel} (its name says production)` });
  }
  const baseText = base ? fs.readText(base) : undefined;
  const baseNode = base && baseText !== undefined ? parseYamlDocuments(base, baseText).documents[0] : undefined;
  const read = (f: string): YamlNode | undefined => {
    const t = fs.readText(f);
    return t === undefined ? undefined : parseYamlDocuments(f, t).documents[0];
  };
  const baseName = base ? path.relative(dir, base) : undefined;
  if (sets.length === 0)
    return {
      ...valuesOf(
        baseNode,
        base ? [base] : [],
        baseName ?? 'no values file',
        baseName ? `${baseName} (the chart's defaults)` : 'the chart has no values.yaml',
      ),
      defaultsOnly: true,
    };
  if (sets.length === 1) {
    const s = sets[0]!;
    let node = baseNode;
    for (const f of s.files) node = coalesce(node, read(f));
    const names = [...(baseName ? [baseName] : []), ...s.files.map((f) => path.relative(dir, f))];
    return valuesOf(node, [...(base ? [base] : []), ...s.files], names.join(' and '), `${baseName ? `${baseName}, then ` : ''}${s.why}`);
  }
  // several: what they set alike is known, the rest is not
  const overlays = sets.map((s) => s.files.reduce<YamlNode | undefined>((n, f) => coalesce(n, read(f)), undefined));
  const disputed = new Set<string>();
  const leaves = overlays.map((o) => leafTexts(o));
  const all = new Set(leaves.flatMap((l) => [...l.keys()]));
  for (const k of all) {
    const vs = leaves.map((l) => l.get(k));
    if (vs.some((v) => v === undefined || v !== vs[0])) disputed.add(k);
  }
  let node = baseNode;
  node = coalesce(node, overlays[0]);
  const names = sets.map((s) => s.files.map((f) => path.relative(dir, f)).join(' + '));
  const v = valuesOf(
    node,
    [...(base ? [base] : []), ...sets.flatMap((s) => s.files)],
    `${baseName ?? 'the values'} and ${names.join(' or ')}`,
    `${baseName ? `${baseName}, then ` : ''}one of ${sets.map((s) => s.why).join('; ')}: what they set differently is not known`,
    disputed,
    `production's values files (${names.join(', ')}) set it differently`,
  );
  return { ...v, competing: sets.map((s) => s.files) };
}

/** Every leaf path of a values tree (keys joined by NUL) with its text. */
function leafTexts(n: YamlNode | undefined, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (n?.kind === 'map') for (const e of n.entries) leafTexts(e.value, prefix === '' ? e.key.value : `${prefix}\0${e.key.value}`, out);
  else if (n?.kind === 'seq') out.set(prefix, `[${n.items.map((i) => (i.kind === 'scalar' ? i.value : '?')).join(',')}]`);
  else out.set(prefix, n?.value ?? '');
  return out;
}

function valuesOf(
  node: YamlNode | undefined,
  files: readonly string[],
  described: string,
  why: string,
  disputed?: ReadonlySet<string>,
  disputedWhy?: string,
): ChartValues {
  return {
    files,
    why,
    described,
    lookup(p) {
      if (disputed && disputed.size > 0) {
        const key = p.join('\0');
        for (const d of disputed) if (d === key || d.startsWith(`${key}\0`) || key.startsWith(`${d}\0`)) return { unknown: disputedWhy! };
      }
      let n: YamlNode | undefined = node;
      for (const k of p) {
        if (n?.kind !== 'map') return 'absent';
        const e = n.entries.find((x) => x.key.value === k);
        if (!e) return 'absent';
        n = e.value;
      }
      return { node: n };
    },
  };
}

/** Helm's coalescing of a values file over another: mappings merge key by key, anything else is replaced. */
export function coalesce(a: YamlNode | undefined, b: YamlNode | undefined): YamlNode | undefined {
  if (b === undefined) return a;
  if (a?.kind !== 'map' || b.kind !== 'map') return b;
  const entries = a.entries.slice();
  for (const e of b.entries) {
    const i = entries.findIndex((x) => x.key.value === e.key.value);
    // `key: null` in the later file deletes the key
    const isNull = e.value?.kind === 'scalar' && e.value.style === 'plain' && (e.value.value === 'null' || e.value.value === '~');
    if (i < 0) {
      if (!isNull) entries.push(e);
    } else if (isNull) entries.splice(i, 1);
    else entries[i] = { key: e.key, value: coalesce(entries[i]!.value, e.value) };
  }
  return { kind: 'map', entries, loc: b.loc } satisfies YamlMap;
}

// ---- values files a deployment names ------------------------------------------------------------

/** The values files the repository's CI files, scripts, helmfiles and Argo CD Applications name. */
function namedValues(fs: FileSystem, files: readonly ScannedFile[], root: string): Named[] {
  const out: Named[] = [];
  for (const f of files) {
    const base = path.basename(f.path);
    if (f.kind === 'ci' || f.kind === 'shell') {
      const text = fs.readText(f.path);
      if (text?.includes('helm')) out.push(...helmCommandLines(fs, text, f.path, root));
    } else if (f.kind === 'manifest' && /^helmfile\.ya?ml$/.test(base)) {
      const text = fs.readText(f.path);
      if (text !== undefined) out.push(...helmfileReleases(fs, text, f.path, root));
    } else if (f.kind === 'manifest') {
      const text = fs.readText(f.path);
      if (text !== undefined && /^kind:\s*Application\b/m.test(text) && text.includes('argoproj.io'))
        out.push(...argoApplications(fs, text, f.path, root));
    }
  }
  return out;
}

/** `helm upgrade|install|template … CHART … -f FILE…` lines (a path with a variable is not followed). */
function helmCommandLines(fs: FileSystem, text: string, file: string, root: string): Named[] {
  const out: Named[] = [];
  const rel = path.relative(root, file);
  if (devReasonOfPath(rel) || saysNotProduction(rel)) return out;
  // a command continued over lines (`\` at the end) is one line
  const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
  for (const line of lines) {
    const words = line
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/^["']|["']$/g, ''));
    const h = words.findIndex((w) => w === 'helm' || w.endsWith('/helm'));
    if (h < 0 || !['upgrade', 'install', 'template'].includes(words[h + 1] ?? '')) continue;
    const valueFiles: string[] = [];
    let chart: string | undefined;
    for (let i = h + 2; i < words.length; i++) {
      const w = words[i]!;
      let v: string | undefined;
      if (w === '-f' || w === '--values') v = words[++i];
      else if (w.startsWith('--values=')) v = w.slice('--values='.length);
      else if (w.startsWith('-f=')) v = w.slice(3);
      if (v !== undefined) {
        if (!v.includes('$')) valueFiles.push(v);
        continue;
      }
      if (!w.startsWith('-') && (w.startsWith('.') || w.includes('/')) && !w.includes('$')) {
        const p = resolveFrom(fs, w, [root, path.dirname(file)], true);
        if (p && (fs.exists(path.join(p, 'Chart.yaml')) || fs.exists(path.join(p, 'Chart.yml')))) chart = p;
      }
    }
    const resolved = valueFiles.map((v) => resolveFrom(fs, v, [...(chart ? [chart] : []), root, path.dirname(file)], false));
    if (resolved.length === 0 || resolved.some((r) => r === undefined)) continue;
    out.push({ ...(chart ? { chart } : {}), files: resolved as string[], by: `helm ${words[h + 1]} in ${rel}` });
  }
  return out;
}

function resolveFrom(fs: FileSystem, p: string, dirs: readonly string[], dir: boolean): string | undefined {
  for (const d of dirs) {
    const f = path.resolve(d, p);
    if (dir ? fs.isDirectory(f) : fs.exists(f)) return f;
  }
  return undefined;
}

/** A helmfile's releases of a chart of the repository, with their values files for production's environments. */
function helmfileReleases(fs: FileSystem, text: string, file: string, root: string): Named[] {
  const out: Named[] = [];
  const dir = path.dirname(file);
  const docs = parseYamlDocuments(file, text).documents;
  const envs = new Set<string>();
  for (const d of docs) {
    const e = yget(d, 'environments');
    if (e?.kind === 'map') for (const x of e.entries) if (PROD_WORD.test(x.key.value)) envs.add(x.key.value);
  }
  for (const d of docs) {
    const releases = yget(d, 'releases');
    if (releases?.kind !== 'seq') continue;
    for (const r of releases.items) {
      const chartText = yscalar(yget(r, 'chart'))?.value;
      if (!chartText || chartText.includes('{{')) continue;
      const chart = resolveFrom(fs, chartText, [dir], true);
      if (!chart) continue;
      const name = yscalar(yget(r, 'name'))?.value ?? '?';
      const values = yget(r, 'values');
      const entries = values?.kind === 'seq' ? values.items.map((i) => yscalar(i)?.value) : [];
      if (entries.length === 0 || entries.some((e) => e === undefined)) continue;
      const templated = entries.some((e) => e!.includes('{{'));
      for (const env of templated ? [...envs] : [undefined]) {
        const paths = entries.map((e) => (env ? e!.replace(/\{\{-?\s*\.Environment\.Name\s*-?\}\}/g, env) : e!));
        if (paths.some((p) => p.includes('{{'))) continue;
        const files = paths.map((p) => resolveFrom(fs, p, [dir], false));
        if (files.some((f) => f === undefined)) continue;
        out.push({
          chart,
          files: files as string[],
          by: `${path.relative(root, file)}, release ${name}${env ? `, environment ${env}` : ''}`,
        });
      }
    }
  }
  return out;
}

/** Argo CD Applications of a chart of the repository: `spec.source(s).path` and `helm.valueFiles`. */
function argoApplications(fs: FileSystem, text: string, file: string, root: string): Named[] {
  const out: Named[] = [];
  const rel = path.relative(root, file);
  if (devReasonOfPath(rel) || saysNotProduction(rel)) return out;
  for (const d of parseYamlDocuments(file, text).documents) {
    if (yscalar(yget(d, 'kind'))?.value !== 'Application') continue;
    const spec = yget(d, 'spec');
    const sources = yget(spec, 'sources');
    for (const s of [yget(spec, 'source'), ...(sources?.kind === 'seq' ? sources.items : [])]) {
      const p = yscalar(yget(s, 'path'))?.value;
      const vf = yget(yget(s, 'helm'), 'valueFiles');
      if (!p || vf?.kind !== 'seq') continue;
      const chart = resolveFrom(fs, p, [root], true);
      if (!chart) continue;
      const files = vf.items.map((i) => {
        const v = yscalar(i)?.value;
        return v && !v.includes('$') ? resolveFrom(fs, v, [chart], false) : undefined;
      });
      if (files.length === 0 || files.some((f) => f === undefined)) continue;
      out.push({ chart, files: files as string[], by: `the Argo CD Application in ${rel}` });
    }
  }
  return out;
}
