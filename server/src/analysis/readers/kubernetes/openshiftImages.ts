// OpenShift's ways of giving a container its image (catalogue/openshiftTemplates.ts): a BuildConfig
// (build.openshift.io/v1) builds an image from a Dockerfile of the repository (dockerStrategy: its
// `dockerfilePath`, `Dockerfile` unless written, relative to `spec.source.contextDir`) or with S2I
// (sourceStrategy: no Dockerfile) into an ImageStreamTag (`spec.output.to`); a DeploymentConfig's
// ImageChange trigger (`spec.triggers[].imageChangeParams`: its `containerNames` and `from`) and a
// Kubernetes workload's `image.openshift.io/triggers` annotation (JSON: `from` and a `fieldPath`
// naming the container) set a container's image to the one an ImageStreamTag holds. Plain records
// here; models/process/sources/deploy.ts ties a container to the Dockerfile its image is built from.
import * as path from 'node:path';
import { BUILDCONFIG_DOCKERFILE_PATH } from '../../catalogue/openshiftTemplates';
import type { Loc } from '../../eval/values';
import { parseYamlDocuments, yget, yscalar, type YamlMap, type YamlNode } from '../yaml';
import { objectsOf, processedValue, templateParameters, type TemplateParameter } from './objects';

/** The ImageStreamTag (or ImageStreamImage) a trigger or a build output names. */
export interface ImageStreamRef {
  /** `ImageStreamTag`, `ImageStreamImage`, `DockerImage`. */
  readonly kind: string;
  /** The name as written (`${NAME}-backend:${VERSION}`). */
  readonly name: string;
  /** The name with the template's parameter defaults filled in, when every one it references has one. */
  readonly processed?: string;
  readonly loc: Loc;
}

/** A BuildConfig of the repository. */
export interface BuildConfigRecord {
  readonly file: string;
  /** Its metadata.name as written. */
  readonly name?: string;
  /** Where its `kind:` is written. */
  readonly loc: Loc;
  /** `docker` (dockerStrategy), `source` (S2I), another strategy, or none written. */
  readonly strategy: 'docker' | 'source' | 'other';
  /**
   * The Dockerfile a dockerStrategy build uses, absolute: `dockerfilePath` (else `Dockerfile`) in
   * `contextDir` (else the repository's root); undefined when a parameter without a default decides
   * it or the BuildConfig gives the Dockerfile inline (`source.dockerfile`).
   */
  readonly dockerfile?: string;
  /** What it builds into (`spec.output.to`). */
  readonly output?: ImageStreamRef;
}

/** The name of the image stream an ImageStreamTag or ImageStreamImage names: its tag (`:v1`) or digest (`@sha256:…`) aside. */
export function imageStreamName(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  // (a parameter reference holds no colon: `${NAME}:${TAG}`; a DockerImage's registry port is before the last slash)
  const colon = noDigest.indexOf(':', noDigest.lastIndexOf('/') + 1);
  return (colon >= 0 ? noDigest.slice(0, colon) : noDigest).trim();
}

/** Whether two references name the same image stream, tag aside: as written, or with the templates' defaults filled in. */
export function sameImageStream(a: ImageStreamRef, b: ImageStreamRef): boolean {
  if (imageStreamName(a.name) === imageStreamName(b.name)) return true;
  return a.processed !== undefined && b.processed !== undefined && imageStreamName(a.processed) === imageStreamName(b.processed);
}

function text(n: YamlNode | undefined): string | undefined {
  return yscalar(n)?.value;
}

/** A value with the template's defaults filled in: undefined when a parameter without a default decides it. */
function filled(value: string, params: ReadonlyMap<string, TemplateParameter>): string | undefined {
  const p = processedValue(value, params);
  return p.kind === 'as-written' ? value : p.kind === 'default' ? p.value : undefined;
}

/** An ImageStreamTag reference (`{kind, name}`) read from a YAML map. */
function streamRef(from: YamlNode | undefined, params: ReadonlyMap<string, TemplateParameter>): ImageStreamRef | undefined {
  const name = yscalar(yget(from, 'name'));
  if (!name || name.value.trim() === '') return undefined;
  const kind = text(yget(from, 'kind')) ?? 'ImageStreamTag';
  const processed = filled(name.value, params);
  return { kind, name: name.value, ...(processed !== undefined && processed !== name.value ? { processed } : {}), loc: name.loc };
}

/** The BuildConfigs of a manifest file (a Template's objects with its parameters); `root`: the folder `contextDir` is relative to. */
export function readBuildConfigs(file: string, source: string, root: string): BuildConfigRecord[] {
  if (!source.includes('BuildConfig')) return [];
  const out: BuildConfigRecord[] = [];
  for (const doc of parseYamlDocuments(file, source).documents) {
    const params = templateParameters(doc);
    for (const d of objectsOf(doc)) {
      const kind = yscalar(yget(d, 'kind'));
      if (kind?.value !== 'BuildConfig') continue;
      out.push(buildConfig(file, d, kind.loc, params, root));
    }
  }
  return out;
}

function buildConfig(file: string, d: YamlMap, loc: Loc, params: ReadonlyMap<string, TemplateParameter>, root: string): BuildConfigRecord {
  const spec = yget(d, 'spec');
  const strategy = yget(spec, 'strategy');
  const type = text(yget(strategy, 'type'));
  const docker = yget(strategy, 'dockerStrategy');
  const s2i = yget(strategy, 'sourceStrategy');
  const kind: BuildConfigRecord['strategy'] = docker || type === 'Docker' ? 'docker' : s2i || type === 'Source' ? 'source' : 'other';
  const name = text(yget(yget(d, 'metadata'), 'name'));
  const to = yget(yget(spec, 'output'), 'to');
  const output = streamRef(to, params);
  let dockerfile: string | undefined;
  const src = yget(spec, 'source');
  if (kind === 'docker' && yget(src, 'dockerfile') === undefined) {
    const context = filled(text(yget(src, 'contextDir')) ?? '', params);
    const dfPath = filled(text(yget(docker, 'dockerfilePath')) ?? BUILDCONFIG_DOCKERFILE_PATH.value, params);
    if (context !== undefined && dfPath !== undefined && !dfPath.includes('${') && !context.includes('${')) {
      const dir = path.resolve(root, context.replace(/^\/+/, ''));
      dockerfile = path.resolve(dir, dfPath);
    }
  }
  return {
    file,
    ...(name !== undefined ? { name } : {}),
    loc,
    strategy: kind,
    ...(dockerfile ? { dockerfile } : {}),
    ...(output ? { output } : {}),
  };
}

/**
 * The ImageStreamTag each container's image comes from, by container name: a DeploymentConfig's
 * ImageChange triggers (each names its containers in `containerNames`), or the
 * `image.openshift.io/triggers` annotation of another workload (each `fieldPath` names a container
 * of the pod template, `containers[?(@.name=="web")].image`). A paused annotation trigger still
 * names the image the container was given.
 */
export function imageTriggers(kind: string, d: YamlMap, params: ReadonlyMap<string, TemplateParameter>): Map<string, ImageStreamRef> {
  const out = new Map<string, ImageStreamRef>();
  if (kind === 'DeploymentConfig') {
    const triggers = yget(yget(d, 'spec'), 'triggers');
    for (const t of triggers?.kind === 'seq' ? triggers.items : []) {
      if (text(yget(t, 'type')) !== 'ImageChange') continue;
      const icp = yget(t, 'imageChangeParams');
      const ref = streamRef(yget(icp, 'from'), params);
      const names = yget(icp, 'containerNames');
      if (!ref) continue;
      for (const n of names?.kind === 'seq' ? names.items : []) {
        const c = text(n);
        if (c !== undefined && !out.has(c)) out.set(c, ref);
      }
    }
    return out;
  }
  const annotation = yscalar(yget(yget(yget(d, 'metadata'), 'annotations'), 'image.openshift.io/triggers'));
  if (!annotation || annotation.value.length > 20_000) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation.value);
  } catch {
    return out;
  }
  for (const t of Array.isArray(parsed) ? parsed : []) {
    if (typeof t !== 'object' || t === null) continue;
    const from = (t as { from?: unknown }).from;
    const fieldPath = (t as { fieldPath?: unknown }).fieldPath;
    if (typeof from !== 'object' || from === null || typeof fieldPath !== 'string') continue;
    const name = (from as { name?: unknown }).name;
    const fkind = (from as { kind?: unknown }).kind;
    const container = fieldPathContainer(fieldPath);
    if (typeof name !== 'string' || name.trim() === '' || container === undefined || out.has(container)) continue;
    const processed = filled(name, params);
    out.set(container, {
      kind: typeof fkind === 'string' ? fkind : 'ImageStreamTag',
      name,
      ...(processed !== undefined && processed !== name ? { processed } : {}),
      loc: annotation.loc,
    });
  }
  return out;
}

/** The container a trigger's fieldPath sets the image of (`spec.template.spec.containers[?(@.name=="web")].image` → web); init containers aside. */
function fieldPathContainer(fieldPath: string): string | undefined {
  const marker = 'containers[?(@.name==';
  const at = fieldPath.indexOf(marker);
  if (at < 0 || (at > 0 && /[A-Za-z]/.test(fieldPath[at - 1]!))) return undefined;
  const quote = fieldPath[at + marker.length];
  if (quote !== '"' && quote !== "'") return undefined;
  const start = at + marker.length + 1;
  const end = fieldPath.indexOf(quote, start);
  return end > start ? fieldPath.slice(start, end) : undefined;
}
