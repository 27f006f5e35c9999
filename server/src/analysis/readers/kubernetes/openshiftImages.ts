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
  const nb = streamNames(b);
  return streamNames(a).some((x) => nb.includes(x));
}

/** The image stream a reference names, as written and with the template's defaults filled in. */
function streamNames(r: ImageStreamRef): string[] {
  return [imageStreamName(r.name), ...(r.processed ? [imageStreamName(r.processed)] : [])];
}

/**
 * Whether two references may name the same image stream: `yes` (sameImageStream), `maybe` when a
 * part one of them leaves to a parameter or a chart value (`${NAME}-backend`, `{{ .Values.name }}`)
 * could make it the other (`tfrs-backend`), else `no`.
 */
export function imageStreamMatch(a: ImageStreamRef, b: ImageStreamRef): 'yes' | 'maybe' | 'no' {
  if (sameImageStream(a, b)) return 'yes';
  for (const x of streamNames(a)) for (const y of streamNames(b)) if (mayBeSame(x, y)) return 'maybe';
  return 'no';
}

/** The literal pieces of a name between its placeholders (`${X}`, `{{ … }}`), or undefined when it has none. */
function pieces(name: string): string[] | undefined {
  const out: string[] = [];
  let rest = name;
  let found = false;
  for (let n = 0; n < 50; n++) {
    const a = rest.indexOf('${');
    const b = rest.indexOf('{{');
    const at = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    if (at < 0) break;
    const end = rest.indexOf(at === a ? '}' : '}}', at + 2);
    if (end < 0) break;
    found = true;
    out.push(rest.slice(0, at));
    rest = rest.slice(end + (at === a ? 1 : 2));
  }
  out.push(rest);
  return found ? out : undefined;
}

/** Whether a name with placeholders could be the other: its first and last literal pieces agree with the other's. */
function mayBeSame(x: string, y: string): boolean {
  const px = pieces(x);
  const py = pieces(y);
  if (!px && !py) return false;
  const fx = px ?? [x];
  const fy = py ?? [y];
  const head = (p: string[]): string => p[0]!;
  const tail = (p: string[]): string => p[p.length - 1]!;
  // (a name without placeholders must start and end as the other's pieces do; two with placeholders, their ends agree)
  const headsAgree = head(fx).startsWith(head(fy)) || head(fy).startsWith(head(fx));
  const tailsAgree = tail(fx).endsWith(tail(fy)) || tail(fy).endsWith(tail(fx));
  if (px && py) return headsAgree && tailsAgree;
  const [pattern, literal] = px ? [px, y] : [py!, x];
  if (!literal.startsWith(head(pattern)) || !literal.endsWith(tail(pattern))) return false;
  let from = head(pattern).length;
  for (const piece of pattern.slice(1, -1)) {
    const at = literal.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return from <= literal.length - tail(pattern).length;
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
