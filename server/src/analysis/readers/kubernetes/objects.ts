// The objects a Kubernetes document stands for: itself, the items of a `kind: List`, or the objects
// of an OpenShift Template (catalogue/openshiftTemplates.ts: `oc process` creates them), with the
// template's parameters and what a value that references them is once the template is processed.
// The one place the manifest, object and ingress readers (and kustomize, for a List) unpack them.
import { yget, yscalar, type YamlMap, type YamlNode } from '../yaml';

/** Whether a document is an OpenShift Template (template.openshift.io/v1, or the old `v1`). */
export function isOpenShiftTemplate(doc: YamlNode | undefined): boolean {
  if (doc?.kind !== 'map' || yscalar(yget(doc, 'kind'))?.value !== 'Template') return false;
  const api = yscalar(yget(doc, 'apiVersion'))?.value ?? '';
  return api.startsWith('template.openshift.io/') || api === 'v1';
}

/**
 * The objects of a document: a `kind: List`'s items, an OpenShift Template's objects (unless
 * `templates` is false: kustomize passes a Template on as it is), else the document itself.
 */
export function objectsOf(doc: YamlNode | undefined, templates = true): YamlMap[] {
  if (doc?.kind !== 'map' || doc.entries.length === 0) return [];
  const kind = yscalar(yget(doc, 'kind'))?.value;
  const items = kind === 'List' ? yget(doc, 'items') : templates && isOpenShiftTemplate(doc) ? yget(doc, 'objects') : undefined;
  if (kind === 'List' || (templates && isOpenShiftTemplate(doc)))
    return items?.kind === 'seq' ? items.items.filter((i): i is YamlMap => i.kind === 'map') : [];
  return [doc];
}

/** A parameter of an OpenShift Template. */
export interface TemplateParameter {
  readonly name: string;
  /** Its `value:` as written: the default, used unless processing gives another (`oc process -p`). */
  readonly value?: string;
  /** `generate: expression` (and no value): a random string generated when the template is processed. */
  readonly generated?: boolean;
  /** `required: true`: processing refuses to go on without a value. */
  readonly required?: boolean;
}

/** The parameters of an OpenShift Template, by name (none for another document). */
export function templateParameters(doc: YamlNode | undefined): Map<string, TemplateParameter> {
  const out = new Map<string, TemplateParameter>();
  if (!isOpenShiftTemplate(doc)) return out;
  const params = yget(doc, 'parameters');
  for (const p of params?.kind === 'seq' ? params.items : []) {
    const name = yscalar(yget(p, 'name'))?.value;
    if (!name) continue;
    const value = yscalar(yget(p, 'value'))?.value;
    const generated = value === undefined && yscalar(yget(p, 'generate'))?.value === 'expression';
    const required = yscalar(yget(p, 'required'))?.value === 'true';
    out.set(name, {
      name,
      ...(value !== undefined ? { value } : {}),
      ...(generated ? { generated } : {}),
      ...(required ? { required } : {}),
    });
  }
  return out;
}

/**
 * What a value written in a Template's object is once the template is processed:
 * - `as-written`: it references no parameter of the template;
 * - `default`: every parameter it references has a default (`value:`), filled in here; production
 *   gets it unless `oc process -p` gives one of them another value (`parameters` names them);
 * - `given`: a parameter it references has no default and is required or generated: set, to a
 *   value not empty and not in the repository (why);
 * - `open`: a parameter it references has no default and may be left out: filled in when the
 *   template is processed, maybe empty.
 */
export type ProcessedValue =
  | { readonly kind: 'as-written' }
  | { readonly kind: 'default'; readonly value: string; readonly parameters: readonly string[] }
  | { readonly kind: 'given'; readonly why: string }
  | { readonly kind: 'open' };

const REFERENCE = /\$\{\{([A-Za-z0-9_]+)\}\}|\$\{([A-Za-z0-9_]+)\}/g;

/** A value of a Template's object with its parameter references (`${NAME}`, `${{NAME}}`) filled in as far as the template says. */
export function processedValue(value: string, params: ReadonlyMap<string, TemplateParameter>): ProcessedValue {
  if (params.size === 0 || !value.includes('${')) return { kind: 'as-written' };
  const used: TemplateParameter[] = [];
  for (const m of value.matchAll(REFERENCE)) {
    const p = params.get(m[1] ?? m[2] ?? '');
    if (p) used.push(p);
  }
  if (used.length === 0) return { kind: 'as-written' };
  const generated = used.find((p) => p.value === undefined && p.generated);
  if (generated)
    return { kind: 'given', why: `the template parameter ${generated.name}, a random value generated when the template is processed` };
  const required = used.find((p) => p.value === undefined && p.required);
  if (required) return { kind: 'given', why: `the template parameter ${required.name}, given when the template is processed (required)` };
  if (used.some((p) => p.value === undefined)) return { kind: 'open' };
  const filled = value.replace(REFERENCE, (m, a: string | undefined, b: string | undefined) => params.get(a ?? b ?? '')?.value ?? m);
  return { kind: 'default', value: filled, parameters: [...new Set(used.map((p) => p.name))] };
}
