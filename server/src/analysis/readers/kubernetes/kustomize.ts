// Kustomize: what `kubectl apply -k DIR` deploys, read from a kustomization's files as kustomize
// builds them. A kustomization lists its resources (manifest files, and folders holding another
// kustomization: a base), generates ConfigMaps and Secrets (`literals`, `envs` files, and `files`:
// a key each, named after the file even where the repository does not have it), changes replica
// counts, and patches the resources: strategic-merge patches (containers, env, ports,
// volumes merged by their keys, `$patch: delete`/`replace`, `null` deleting a field) and JSON 6902
// operations (`add`, `replace`, `remove`), from files or written inline. After its patches it
// renames its resources (namePrefix, nameSuffix: the name each is deployed under, `deployedName`,
// while patches and the process model keep the name as written) and labels them (commonLabels, and
// `labels` with includeSelectors or includeTemplates: a Service's selector and the pod template's
// labels, as kustomize's label transformer does). The resources it builds
// keep every node's own place: a finding on an overlay's patched `DJANGO_DEBUG` lands in the patch,
// one on an unpatched `command` in the base.
//
// A kustomization's resources and patch files are read through it, never alone: the base of a
// production and a development overlay is not itself a deployment. What kustomize does that is not
// read here (remote resources, components, helm charts, replacements, patches aimed by label
// selector or by name pattern, copy/move/test operations) is said in the build's notes, and the
// resources those would change are kept as the other steps left them: the notes say they may differ.
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import { envTemplateNames } from '../../catalogue/templateNames';
import type { Loc } from '../../eval/values';
import { readDotenv } from '../container/dotenv';
import { MappedText } from '../text';
import { objectsOf } from './objects';
import { parseYamlDocuments, yget, yscalar, type YamlMap, type YamlNode, type YamlScalar, type YamlSeq } from '../yaml';

const NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether a file is a kustomization (by its name, as kustomize finds it in a folder). */
export function isKustomization(file: string): boolean {
  return NAMES.includes(path.basename(file));
}

/** What a kustomization builds. */
export interface KustomizeBuild {
  readonly file: string;
  /** The resources it deploys, patched, and the ConfigMaps and Secrets it generates. */
  readonly documents: readonly YamlMap[];
  /** The files read as its resources or patches (through its bases too), and the bases' kustomizations. */
  readonly consumed: ReadonlySet<string>;
  /** What was not read, and why. */
  readonly notes: readonly string[];
  /** The namePrefix and nameSuffix each of `documents` is deployed with (same index; see deployedName). */
  readonly affixes?: readonly { readonly prefix: string; readonly suffix: string }[];
}

/** Bases nested deeper than this are not read (kustomize itself refuses cycles). */
const MAX_DEPTH = 16;

/** The most resources one kustomization builds (no real one comes near). */
const MAX_RESOURCES = 5000;

/** Lists merged item by item in a strategic-merge patch, by the key that names an item. */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  hostAliases: 'ip',
};

/** The build of the kustomization in `file` (memoised per call of `kustomizations`). */
export function buildKustomization(fs: FileSystem, file: string, memo: Map<string, KustomizeBuild> = new Map()): KustomizeBuild {
  return build(fs, file, 0, [], memo);
}

/**
 * The files the kustomizations among `files` (the scan's manifests) read as their resources, patches
 * and bases: read through a kustomization and never alone (a base under a development overlay is
 * not a deployment of its own). Undefined when the project has no kustomization.
 */
export function kustomizedFiles(
  fs: FileSystem,
  files: readonly { readonly kind: string; readonly path: string }[],
): Set<string> | undefined {
  const reach = kustomizeReach(fs, files);
  return reach && new Set([...reach.consumed, ...reach.unlisted]);
}

/**
 * What the kustomizations among `files` (the scan's manifests) do with the manifests of the
 * repository: the files they read as resources, patches and bases (`consumed`), and the manifests
 * in a kustomization's own folder that no kustomization of the repository reads (`unlisted`: a
 * `secret.template.yaml` beside the kustomization, which `kubectl apply -k` never deploys, a
 * template the cluster's Secret is made from). A folder whose kustomization is not fully read
 * (unparsable, or with components, generators or transformers that may name files) has none
 * unlisted. Undefined when the project has no kustomization.
 */
export function kustomizeReach(
  fs: FileSystem,
  files: readonly { readonly kind: string; readonly path: string }[],
): { readonly consumed: ReadonlySet<string>; readonly unlisted: ReadonlySet<string> } | undefined {
  const manifests = files.filter((f) => f.kind === 'manifest').map((f) => f.path);
  if (!manifests.some(isKustomization)) return undefined;
  const memo = new Map<string, KustomizeBuild>();
  const consumed = new Set<string>();
  const folders = new Set<string>();
  for (const f of manifests.filter(isKustomization)) {
    const b = buildKustomization(fs, f, memo);
    for (const c of b.consumed) consumed.add(c);
    if (!b.notes.some((n) => UNSURE_NOTE.test(n))) folders.add(path.dirname(f));
  }
  const unlisted = new Set(
    manifests.filter((f) => !isKustomization(f) && !consumed.has(f) && folders.has(path.dirname(f)) && /\.ya?ml$/i.test(f)),
  );
  return { consumed, unlisted };
}

/** A build note that leaves open which files of its folder the kustomization reads. */
const UNSURE_NOTE = /: not read$|^its (?:components|generators|transformers) are not read$/;

function str(n: YamlNode | undefined): YamlScalar | undefined {
  return yscalar(n);
}

function seq(n: YamlNode | undefined): YamlNode[] {
  return n?.kind === 'seq' ? n.items : [];
}

function docsOf(fs: FileSystem, file: string): YamlNode[] | undefined {
  const text = fs.readText(file);
  if (text === undefined) return undefined;
  return parseYamlDocuments(file, text).documents.filter((d): d is YamlNode => d !== undefined);
}

/** Each kustomization is built once per `memo` (a base listed many times, or by many overlays, is one build). */
function build(fs: FileSystem, file: string, depth: number, stack: readonly string[], memo: Map<string, KustomizeBuild>): KustomizeBuild {
  const known = memo.get(file);
  if (known) return known;
  const b = buildOnce(fs, file, depth, stack, memo);
  memo.set(file, b);
  return b;
}

/** A kustomization being built: what its steps read, and the resources they build. */
interface Building {
  readonly fs: FileSystem;
  readonly file: string;
  readonly dir: string;
  readonly consumed: Set<string>;
  readonly notes: string[];
  readonly docs: YamlMap[];
  /** The kind, namespace and name of each resource kept (see addResource). */
  readonly ids: Set<string>;
  /** The namePrefix and nameSuffix the bases gave each resource of `docs` (same index). */
  readonly affixes: { prefix: string; suffix: string }[];
}

/**
 * The name kustomize deploys each built resource under, where its bases' or its own namePrefix and
 * nameSuffix change the name written in `metadata.name` (kustomize's PrefixSuffixTransformer, after
 * the patches, which aim at the names as written; a reference written with the deployed name is left
 * as it is and finds the renamed resource).
 */
const deployedNames = new WeakMap<YamlMap, string>();

/** The name a built resource is deployed under, when a namePrefix or nameSuffix changes it. */
export function deployedName(doc: YamlNode): string | undefined {
  return doc.kind === 'map' ? deployedNames.get(doc) : undefined;
}

function buildOnce(
  fs: FileSystem,
  file: string,
  depth: number,
  stack: readonly string[],
  memo: Map<string, KustomizeBuild>,
): KustomizeBuild {
  const consumed = new Set<string>();
  const k = docsOf(fs, file)?.[0];
  if (k?.kind !== 'map') return { file, documents: [], consumed, notes: [`${path.basename(file)}: not read`] };
  const b: Building = { fs, file, dir: path.dirname(file), consumed, notes: [], docs: [], ids: new Set(), affixes: [] };
  readResources(b, k, depth, stack, memo);
  for (const key of ['components', 'helmCharts', 'replacements', 'transformers', 'generators'])
    if (yget(k, key)) b.notes.push(`its ${key} are not read`);
  generateObjects(b, k);
  applyPatches(b, k);
  applyReplicas(b, k);
  applyNames(b, k);
  applyLabels(b, k);
  return { file, documents: b.docs, consumed, notes: [...new Set(b.notes)], affixes: b.affixes };
}

/** namePrefix and nameSuffix, around the bases' own: each resource's deployed name (deployedNames). */
function applyNames(b: Building, k: YamlMap): void {
  const prefix = str(yget(k, 'namePrefix'))?.value ?? '';
  const suffix = str(yget(k, 'nameSuffix'))?.value ?? '';
  b.docs.forEach((d, i) => {
    const a = b.affixes[i] ?? { prefix: '', suffix: '' };
    // (kustomize renames no Namespace and no CustomResourceDefinition)
    const kind = str(yget(d, 'kind'))?.value;
    const own = kind === 'Namespace' || kind === 'CustomResourceDefinition' ? { prefix: '', suffix: '' } : { prefix, suffix };
    const next = { prefix: own.prefix + a.prefix, suffix: a.suffix + own.suffix };
    b.affixes[i] = next;
    const name = str(yget(yget(d, 'metadata'), 'name'))?.value;
    if (name !== undefined && (next.prefix || next.suffix)) deployedNames.set(d, next.prefix + name + next.suffix);
  });
}

/** The kinds whose pods carry the labels of their template, and whose selector matches them. */
const SELECTING_OWNERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/**
 * commonLabels, and each `labels` entry's pairs: on every resource, and (commonLabels; includeSelectors)
 * in a Service's selector and a workload's selector and pod template, or (includeTemplates) in the
 * pod template only.
 */
function applyLabels(b: Building, k: YamlMap): void {
  const sets: { pairs: YamlMap; selectors: boolean; templates: boolean }[] = [];
  const common = yget(k, 'commonLabels');
  if (common?.kind === 'map') sets.push({ pairs: common, selectors: true, templates: true });
  for (const l of seq(yget(k, 'labels'))) {
    const pairs = yget(l, 'pairs');
    if (pairs?.kind !== 'map') continue;
    const selectors = str(yget(l, 'includeSelectors'))?.value === 'true';
    sets.push({ pairs, selectors, templates: selectors || str(yget(l, 'includeTemplates'))?.value === 'true' });
  }
  if (sets.length === 0) return;
  b.docs.forEach((d, i) => {
    const kind = str(yget(d, 'kind'))?.value ?? '';
    let out: YamlNode | undefined = d;
    for (const { pairs, selectors, templates } of sets) {
      const labels = mapOf(
        pairs.loc,
        pairs.entries.filter((e) => yscalar(e.value)).map((e) => [e.key.value, e.value, e.key] as const),
      );
      const at = (...keys: string[]): YamlMap => keys.reduceRight<YamlMap>((inner, key) => mapOf(pairs.loc, [[key, inner]]), labels);
      const patch: YamlMap[] = [at('metadata', 'labels')];
      if (kind === 'Service' && selectors) patch.push(at('spec', 'selector'));
      if (SELECTING_OWNERS.has(kind)) {
        if (selectors) patch.push(at('spec', 'selector', 'matchLabels'));
        if (templates) patch.push(at('spec', 'template', 'metadata', 'labels'));
      }
      if (kind === 'Job' && templates) patch.push(at('spec', 'template', 'metadata', 'labels'));
      if (kind === 'CronJob' && templates) patch.push(at('spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'));
      for (const p of patch) out = merge(out, p);
    }
    if (out?.kind === 'map' && out !== d) {
      b.docs[i] = out;
      const name = deployedNames.get(d);
      if (name !== undefined) deployedNames.set(out, name);
      carryUnread(d, out);
    }
  });
}

/**
 * Keeps a resource, unless one of the same kind and name is kept: kustomize refuses a resource
 * twice, so the first is kept, and a tree that lists a base many times stays one set of resources.
 */
function addResource(b: Building, d: YamlMap, affix = { prefix: '', suffix: '' }): void {
  const id = `${str(yget(d, 'kind'))?.value ?? ''}/${str(yget(yget(d, 'metadata'), 'namespace'))?.value ?? ''}/${str(yget(yget(d, 'metadata'), 'name'))?.value ?? ''}`;
  if (b.ids.has(id) || b.docs.length >= MAX_RESOURCES) return;
  b.ids.add(id);
  b.docs.push(d);
  b.affixes.push(affix);
}

/** The resources, and the legacy `bases`: manifest files, and folders holding a base's kustomization. */
function readResources(b: Building, k: YamlMap, depth: number, stack: readonly string[], memo: Map<string, KustomizeBuild>): void {
  const { fs, dir, consumed, notes } = b;
  for (const key of ['resources', 'bases']) {
    for (const r of seq(yget(k, key))) {
      const s = str(r);
      if (!s) continue;
      if (/^[a-z]+:\/\/|^github\.com\/|^git@/.test(s.value)) {
        notes.push(`the remote resource ${s.value} is not read`);
        continue;
      }
      const p = path.resolve(dir, s.value);
      if (fs.isDirectory(p)) {
        readBase(b, s.value, p, depth, stack, memo);
        continue;
      }
      const d = docsOf(fs, p);
      if (!d) {
        notes.push(`the resource ${s.value} is not in the repository`);
        continue;
      }
      consumed.add(p);
      for (const doc of d) {
        // a `kind: List` holds its resources as items (an OpenShift Template is passed on as it is)
        for (const i of objectsOf(doc, false)) addResource(b, i);
      }
    }
  }
}

/** A base: the kustomization in the folder `p` (written `written`), built once, its resources added. */
function readBase(
  b: Building,
  written: string,
  p: string,
  depth: number,
  stack: readonly string[],
  memo: Map<string, KustomizeBuild>,
): void {
  const { fs, consumed, notes } = b;
  const kf = NAMES.map((n) => path.join(p, n)).find((f) => fs.exists(f));
  if (!kf) {
    notes.push(`${written}: no kustomization in that folder`);
    return;
  }
  consumed.add(kf);
  if (depth >= MAX_DEPTH || stack.includes(kf)) {
    notes.push(`${written}: not read (nested too deep, or a cycle)`);
    return;
  }
  const base = build(fs, kf, depth + 1, [...stack, b.file], memo);
  consumed.add(kf);
  for (const c of base.consumed) consumed.add(c);
  for (const n of base.notes) if (!notes.includes(n)) notes.push(n);
  base.documents.forEach((d, i) => addResource(b, d, base.affixes?.[i]));
}

/** The generated ConfigMaps and Secrets (`behavior: merge` adds to the base's one of the same name). */
function generateObjects(b: Building, k: YamlMap): void {
  const docs = b.docs;
  for (const [key, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const g of seq(yget(k, key))) {
      const name = str(yget(g, 'name'));
      if (!name) continue;
      const missing: UnreadEnvFile[] = [];
      const entries = generatorEntries(b, g, key, kind, name, missing);
      const dataKey = kind === 'Secret' ? 'stringData' : 'data';
      const generated: YamlMap = mapOf(g.loc, [
        ['apiVersion', synthetic('v1', name.loc)],
        ['kind', synthetic(kind, name.loc)],
        ['metadata', mapOf(name.loc, [['name', name]])],
        [
          dataKey,
          mapOf(
            g.loc,
            entries.map((e) => [e.key.value, e.value, e.key] as const),
          ),
        ],
      ]);
      const behavior = str(yget(g, 'behavior'))?.value;
      const i = docs.findIndex((d) => str(yget(d, 'kind'))?.value === kind && str(yget(yget(d, 'metadata'), 'name'))?.value === name.value);
      // (merged into the base's: its env files not in the repository too)
      const merged = i >= 0 && behavior === 'merge' ? generatedFromUnread(docs[i]) : [];
      if (i >= 0 && behavior === 'merge') docs[i] = merge(docs[i]!, generated) as YamlMap;
      else if (i >= 0) docs[i] = generated;
      else {
        docs.push(generated);
        b.affixes.push({ prefix: '', suffix: '' });
      }
      if (missing.length + merged.length > 0) unreadEnvFiles.set(docs[i >= 0 ? i : docs.length - 1]!, [...merged, ...missing]);
    }
  }
}

/**
 * An `envs` file of a generator that the repository does not have (`.env`, ignored by git): the
 * object it generates holds variables not known here. With the committed template beside it
 * (`.env.example`, catalogue/templateNames.ts), the variables it names (the deployer's file is made
 * from it), each at its place in the template.
 */
export interface UnreadEnvFile {
  /** As the kustomization writes it (`.env`). */
  readonly written: string;
  readonly template?: { readonly file: string; readonly names: readonly { readonly name: string; readonly loc: Loc }[] };
}

/** The `envs` files of a generated object that are not in the repository (see UnreadEnvFile). */
const unreadEnvFiles = new WeakMap<YamlMap, readonly UnreadEnvFile[]>();

/** The env files of a ConfigMap or Secret a kustomization generates that the repository does not have; empty for any other object. */
export function generatedFromUnread(doc: YamlNode | undefined): readonly UnreadEnvFile[] {
  return doc?.kind === 'map' ? (unreadEnvFiles.get(doc) ?? []) : [];
}

/**
 * Where a key of a generated ConfigMap or Secret comes from: the generator (`secretGenerator`,
 * `configMapGenerator`) and the entry of the kustomization that writes it (a literal, an env file's
 * line, a `files:` entry), and, for a `files:` entry whose file the repository does not have (a
 * git-ignored `secret/SECRET_KEY`), why its value is not known. Kustomize names a `files:` entry's
 * key after the file, or the key written before `=`, so the key is known even when the file is not
 * (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/:
 * "first, with the names and contents of the given files", and `myFileName.ini=whatever.ini` names
 * the key myFileName.ini; …/kustomization/secretgenerator/: "This works like the
 * configMapGenerator", its `files: [tls.crt]` building `data: tls.crt: …`).
 */
export interface GeneratedValue {
  readonly generator: 'secretGenerator' | 'configMapGenerator';
  /** The generator's entry that writes the key. */
  readonly at: Loc;
  /** Its value is not in the repository: why ("secret/SECRET_KEY is not in the repository"). */
  readonly unknown?: string;
  /** Its value is a file's content (`files:`), not shown as a variable's value. */
  readonly file?: string;
}

/** The value nodes of generated objects (kept through merges and patches: the node itself is kept). */
const generatedValues = new WeakMap<YamlNode, GeneratedValue>();

/** Where the value of a generated ConfigMap's or Secret's key comes from; undefined for any other node. */
export function generatedValue(node: YamlNode | undefined): GeneratedValue | undefined {
  return node ? generatedValues.get(node) : undefined;
}

/** A generator's entries: its `literals`, the variables of its `envs` files, and its `files` (each under its name); `missing` gets the env files not in the repository. */
function generatorEntries(
  b: Building,
  g: YamlNode,
  generator: GeneratedValue['generator'],
  kind: 'ConfigMap' | 'Secret',
  name: YamlScalar,
  missing: UnreadEnvFile[],
): YamlMap['entries'] {
  const { fs, dir, consumed, notes } = b;
  const entries: YamlMap['entries'] = [];
  const mark = <T extends YamlNode>(value: T, at: Loc, more: Omit<GeneratedValue, 'generator' | 'at'> = {}): T => {
    generatedValues.set(value, { generator, at, ...more });
    return value;
  };
  for (const l of seq(yget(g, 'literals'))) {
    const s = str(l);
    const eq = s ? s.value.indexOf('=') : -1;
    if (!s || eq <= 0) continue;
    entries.push({ key: scalarOf(s, 0, eq), value: mark(scalarOf(s, eq + 1, s.value.length), s.loc) });
  }
  const envFiles = [...seq(yget(g, 'envs')), ...(str(yget(g, 'env')) ? [yget(g, 'env')!] : [])];
  for (const e of envFiles) {
    const s = str(e);
    if (!s) continue;
    const p = path.resolve(dir, s.value);
    const text = fs.readText(p);
    if (text === undefined) {
      notes.push(`the ${kind} ${name.value}'s env file ${s.value} is not in the repository`);
      missing.push({ written: s.value, ...envTemplateBeside(fs, p) });
      continue;
    }
    consumed.add(p);
    for (const v of readDotenv(p, text).values())
      entries.push({
        key: {
          kind: 'scalar',
          value: v.name,
          map: MappedText.slice(p, text, v.nameLoc.start, v.nameLoc.end),
          style: 'plain',
          loc: v.nameLoc,
        },
        value: mark({ kind: 'scalar', value: v.value, map: v.token.map, style: 'plain', loc: v.token.loc }, v.nameLoc),
      });
  }
  // files: [path] or [key=path]: each file's content under its name (or the key given)
  for (const f of seq(yget(g, 'files'))) {
    const s = str(f);
    if (!s) continue;
    const eq = s.value.indexOf('=');
    const rel = eq > 0 ? s.value.slice(eq + 1) : s.value;
    const p = path.resolve(dir, rel);
    const text = fs.readText(p);
    // the key: the one written before '=', else the file's name (kustomize's secretGenerator
    // reference), known whether or not the repository has the file (a git-ignored secret/SECRET_KEY)
    const key = eq > 0 ? scalarOf(s, 0, eq) : synthetic(path.basename(rel), s.loc);
    if (text === undefined) {
      notes.push(`the ${kind} ${name.value}'s file ${rel} is not in the repository`);
      const unknown = `its file ${rel} is not in the repository`;
      entries.push({ key, value: mark(synthetic('', s.loc), s.loc, { unknown, file: rel }) });
      continue;
    }
    // (not read through the kustomization only: a process config it ships stays a file of its own)
    const map = MappedText.slice(p, text);
    const value: YamlScalar = { kind: 'scalar', value: text, map, style: 'literal', loc: { file: p, start: 0, end: text.length } };
    entries.push({ key, value: mark(value, s.loc, { file: rel }) });
  }
  return entries;
}

/** A patched or labelled copy of a generated object keeps what its env files not in the repository leave unknown. */
function carryUnread(from: YamlMap, to: YamlMap): void {
  const unread = unreadEnvFiles.get(from);
  if (unread) unreadEnvFiles.set(to, unread);
}

/** The committed template beside the env file `file` that is not in the repository, with the names it sets. */
function envTemplateBeside(fs: FileSystem, file: string): Pick<UnreadEnvFile, 'template'> {
  for (const name of envTemplateNames(path.basename(file))) {
    const p = path.join(path.dirname(file), name);
    const text = fs.readText(p);
    if (text === undefined) continue;
    return { template: { file: p, names: [...readDotenv(p, text).values()].map((v) => ({ name: v.name, loc: v.nameLoc })) } };
  }
  return {};
}

/** The patches (patchesStrategicMerge, patches, patchesJson6902), each applied to the resources it targets. */
function applyPatches(b: Building, k: YamlMap): void {
  const { docs, notes } = b;
  const patches: { node: YamlNode; target?: YamlNode; where: string }[] = [];
  for (const e of seq(yget(k, 'patchesStrategicMerge')))
    for (const node of patchDocs(b, e, 'patchesStrategicMerge')) patches.push({ node, where: 'patchesStrategicMerge' });
  for (const key of ['patches', 'patchesJson6902'])
    for (const e of seq(yget(k, key))) {
      const target = e.kind === 'map' ? yget(e, 'target') : undefined;
      for (const node of patchDocs(b, e, key)) patches.push({ node, ...(target ? { target } : {}), where: key });
    }
  for (const p of patches) {
    const matches = targetsOf(p.node, p.target, docs, notes);
    if (!matches) continue;
    for (const i of matches) {
      const patched = p.node.kind === 'seq' ? json6902(docs[i]!, p.node, notes) : merge(docs[i]!, p.node);
      if (patched?.kind === 'map') {
        carryUnread(docs[i]!, patched);
        docs[i] = patched;
      }
    }
  }
}

/** The documents of one patch entry: a path, a `path:` or a `patch:` written inline (patchesStrategicMerge: the patch itself). */
function patchDocs(b: Building, entry: YamlNode, where: string): YamlNode[] {
  const s = str(entry);
  if (s) {
    // a path, or (patchesStrategicMerge) the patch itself written inline
    if (s.value.includes('\n')) return inlineDocs(s);
    const p = path.resolve(b.dir, s.value);
    const d = docsOf(b.fs, p);
    if (!d) b.notes.push(`the patch ${s.value} is not in the repository`);
    else b.consumed.add(p);
    return d ?? [];
  }
  const p = str(yget(entry, 'path'));
  if (p) return patchDocs(b, p, where);
  const inline = str(yget(entry, 'patch'));
  if (inline) return inlineDocs(inline);
  b.notes.push(`a patch of ${where} is not read`);
  return [];
}

/** replicas: [{name, count}]: the count of each named resource with a spec. */
function applyReplicas(b: Building, k: YamlMap): void {
  const docs = b.docs;
  for (const r of seq(yget(k, 'replicas'))) {
    const name = str(yget(r, 'name'))?.value;
    const count = str(yget(r, 'count'));
    if (!name || !count) continue;
    for (let i = 0; i < docs.length; i++)
      if (str(yget(yget(docs[i], 'metadata'), 'name'))?.value === name && yget(docs[i], 'spec'))
        docs[i] = merge(docs[i]!, mapOf(count.loc, [['spec', mapOf(count.loc, [['replicas', count]])]])) as YamlMap;
  }
}

/** The resources a patch applies to: by its `target` (kind, name), or by the patch's own kind and name. */
function targetsOf(patch: YamlNode, target: YamlNode | undefined, docs: readonly YamlMap[], notes: string[]): number[] | undefined {
  let kind: string | undefined;
  let name: string | undefined;
  if (target) {
    if (yget(target, 'labelSelector') || yget(target, 'annotationSelector')) {
      notes.push('a patch aimed by label or annotation selector is not read');
      return undefined;
    }
    kind = str(yget(target, 'kind'))?.value;
    name = str(yget(target, 'name'))?.value;
    if (name && /[*?[\\^$|(+]/.test(name)) {
      notes.push(`a patch aimed at the name pattern ${name} is not read`);
      return undefined;
    }
  } else if (patch.kind === 'map') {
    kind = str(yget(patch, 'kind'))?.value;
    name = str(yget(yget(patch, 'metadata'), 'name'))?.value;
  }
  if (!kind && !name) {
    notes.push('a patch without a target is not read');
    return undefined;
  }
  const out: number[] = [];
  docs.forEach((d, i) => {
    if (kind && str(yget(d, 'kind'))?.value !== kind) return;
    if (name && str(yget(yget(d, 'metadata'), 'name'))?.value !== name) return;
    out.push(i);
  });
  return out;
}

// ---- strategic merge --------------------------------------------------------------------------

function directive(n: YamlNode | undefined): string | undefined {
  return str(yget(n, '$patch'))?.value;
}

/** `patch` merged into `base` as a strategic-merge patch; undefined when the patch deletes it. */
function merge(base: YamlNode | undefined, patch: YamlNode | undefined, key?: string): YamlNode | undefined {
  if (patch === undefined) return undefined;
  if (patch.kind === 'map') {
    const d = directive(patch);
    if (d === 'delete') return undefined;
    const own = patch.entries.filter((e) => !e.key.value.startsWith('$'));
    if (d === 'replace' || base?.kind !== 'map') return { ...patch, entries: own.map((e) => ({ key: e.key, value: clean(e.value) })) };
    const entries: YamlMap['entries'] = [];
    for (const e of base.entries) {
      const p = own.find((o) => o.key.value === e.key.value);
      if (!p) entries.push(e);
      else {
        const v = merge(e.value, p.value, e.key.value);
        // `key: null` deletes the field
        if (v !== undefined) entries.push({ key: e.key, value: v });
      }
    }
    for (const o of own)
      if (!base.entries.some((e) => e.key.value === o.key.value) && o.value !== undefined)
        entries.push({ key: o.key, value: clean(o.value) });
    return { ...base, entries };
  }
  if (patch.kind === 'seq' && base?.kind === 'seq' && key && MERGE_KEYS[key]) {
    const mk = MERGE_KEYS[key]!;
    const id = (n: YamlNode): string | undefined => str(yget(n, mk))?.value;
    if (patch.items.some((i) => i.kind === 'map' && directive(i) === 'replace' && id(i) === undefined))
      return { ...patch, items: patch.items.filter((i) => directive(i) !== 'replace').map((i) => clean(i)!) };
    const items: YamlNode[] = [];
    for (const b of base.items) {
      const p = patch.items.find((i) => id(i) !== undefined && id(i) === id(b));
      if (!p) items.push(b);
      else {
        const v = merge(b, p);
        if (v !== undefined) items.push(v);
      }
    }
    for (const p of patch.items)
      if (directive(p) !== 'delete' && !base.items.some((b) => id(b) !== undefined && id(b) === id(p))) items.push(clean(p)!);
    return { ...base, items };
  }
  return clean(patch);
}

/** A patch's node without its directives (a new field or item taken as written). */
function clean(n: YamlNode | undefined): YamlNode | undefined {
  if (n?.kind === 'map')
    return { ...n, entries: n.entries.filter((e) => !e.key.value.startsWith('$')).map((e) => ({ key: e.key, value: clean(e.value) })) };
  if (n?.kind === 'seq') return { ...n, items: n.items.map((i) => clean(i)!).filter((i) => i !== undefined) };
  return n;
}

// ---- JSON 6902 --------------------------------------------------------------------------------

function json6902(doc: YamlMap, ops: YamlSeq, notes: string[]): YamlNode | undefined {
  let out: YamlNode | undefined = doc;
  for (const o of ops.items) {
    const op = str(yget(o, 'op'))?.value;
    const p = str(yget(o, 'path'))?.value;
    if (!op || p === undefined) continue;
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      notes.push(`the patch operation ${op} ${p} is not read`);
      continue;
    }
    const segments =
      p === ''
        ? []
        : p
            .slice(1)
            .split('/')
            .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const value = op === 'remove' ? undefined : yget(o, 'value');
    const next = applyAt(out, segments, op, value);
    if (next === null) notes.push(`the patch operation ${op} ${p} does not apply`);
    else out = next;
  }
  return out;
}

/** `op` at `segments` below `node`: the new node, or null when the path does not exist. */
function applyAt(
  node: YamlNode | undefined,
  segments: readonly string[],
  op: string,
  value: YamlNode | undefined,
): YamlNode | undefined | null {
  if (segments.length === 0) return op === 'remove' ? undefined : value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (node?.kind === 'map') {
    const i = node.entries.findIndex((e) => e.key.value === head);
    if (rest.length === 0) {
      if (op === 'remove') return i < 0 ? null : { ...node, entries: node.entries.filter((_, j) => j !== i) };
      if (op === 'replace' && i < 0) return null;
      const key: YamlScalar = i >= 0 ? node.entries[i]!.key : synthetic(head, value?.loc ?? node.loc);
      const entries = node.entries.slice();
      if (i >= 0) entries[i] = { key, value };
      else entries.push({ key, value });
      return { ...node, entries };
    }
    if (i < 0) return null;
    const child = applyAt(node.entries[i]!.value, rest, op, value);
    if (child === null) return null;
    const entries = node.entries.slice();
    entries[i] = { key: entries[i]!.key, value: child };
    return { ...node, entries };
  }
  if (node?.kind === 'seq') {
    const idx = head === '-' ? node.items.length : /^\d+$/.test(head) ? Number(head) : -1;
    if (idx < 0 || idx > node.items.length || (idx === node.items.length && (rest.length > 0 || op !== 'add'))) return null;
    const items = node.items.slice();
    if (rest.length === 0) {
      if (op === 'add') items.splice(idx, 0, ...(value ? [value] : []));
      else if (op === 'replace') items.splice(idx, 1, ...(value ? [value] : []));
      else items.splice(idx, 1);
      return { ...node, items };
    }
    const child = applyAt(items[idx], rest, op, value);
    if (child === null) return null;
    if (child === undefined) items.splice(idx, 1);
    else items[idx] = child;
    return { ...node, items };
  }
  return null;
}

// ---- nodes made here --------------------------------------------------------------------------

/** A scalar the build makes (a key it adds, a kind it generates), placed at `loc`. */
function synthetic(value: string, loc: YamlScalar['loc']): YamlScalar {
  return {
    kind: 'scalar',
    value,
    map: new MappedText(
      loc.file,
      value,
      [...value].map(() => loc.start),
      [...value].map(() => loc.end),
      loc.start,
    ),
    style: 'plain',
    loc,
  };
}

/** Part [i, j) of a scalar as a scalar of its own (`KEY` and `value` of a `KEY=value` literal). */
function scalarOf(s: YamlScalar, i: number, j: number): YamlScalar {
  const map = s.map.sub(i, j);
  return { kind: 'scalar', value: map.text, map, style: 'plain', loc: map.loc(0, map.length) };
}

function mapOf(loc: YamlScalar['loc'], entries: readonly (readonly [string, YamlNode | undefined, YamlScalar?])[]): YamlMap {
  return { kind: 'map', loc, entries: entries.map(([k, v, key]) => ({ key: key ?? synthetic(k, v?.loc ?? loc), value: v })) };
}

/** The documents of a patch written inline (`patch: |-`), every node placed in the kustomization. */
function inlineDocs(s: YamlScalar): YamlNode[] {
  const inner = parseYamlDocuments(s.loc.file, s.value).documents.filter((d): d is YamlNode => d !== undefined);
  return inner.map((d) => remap(d, s.map));
}

function remap(n: YamlNode, outer: MappedText): YamlNode {
  const locOf = (l: YamlScalar['loc']): YamlScalar['loc'] => outer.loc(l.start, l.end);
  if (n.kind === 'scalar') {
    const m = n.map;
    const starts = m.starts.map((p) => outer.starts[Math.min(p, outer.length - 1)] ?? outer.at);
    const ends = m.ends.map((p) => outer.ends[Math.max(0, Math.min(p, outer.length) - 1)] ?? outer.at);
    return {
      ...n,
      map: new MappedText(outer.file, m.text, starts, ends, outer.starts[Math.min(m.at, outer.length - 1)] ?? outer.at),
      loc: locOf(n.loc),
    };
  }
  if (n.kind === 'map')
    return {
      ...n,
      loc: locOf(n.loc),
      entries: n.entries.map((e) => ({ key: remap(e.key, outer) as YamlScalar, value: e.value && remap(e.value, outer) })),
    };
  return { ...n, loc: locOf(n.loc), items: n.items.map((i) => remap(i, outer)) };
}
