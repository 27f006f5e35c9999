// The Kubernetes facts of catalogue/kubernetesApis.ts and DDG323's fixtures, checked against the
// API's published schema: the `kubernetes-models` package (a devDependency, never bundled), whose
// models are generated from the Kubernetes OpenAPI specification of each API version, with the
// schema's validators (required fields, types) and the typed models (.d.ts) that list each
// version's fields.
//
// (a) every field the catalogue names as gone from networking.k8s.io/v1 is absent from that
//     version's schema and present in v1beta1's; every replacement field is present in v1; pathType
//     is required in v1; each removed API version and its replacement define the kind.
// (b) the plain manifests of DDG323's good fixtures validate against the schema of the version they
//     name, strictly (no field the version does not define, as `kubectl apply` validates by
//     default); the v1 Ingress of the bad fixture fails it; the removed versions of the other bad
//     fixture are well-formed in their own (removed) version, so the version is their only fault.
// What the package cannot say is which release stopped serving a version: that rests on the
// Deprecated API Migration Guide, quoted in the catalogue.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { INGRESS_V1, INGRESS_V1_CHANGES, REMOVED_APIS } from '../../server/src/analysis/catalogue/kubernetesApis';
import { REPO } from '../helpers/paths';

const MODELS = join(REPO, 'node_modules', 'kubernetes-models');
const FIXTURES = join(REPO, 'test', 'fixtures', 'rules', 'DDG323');

/** The folder of an API version in the package (the core group's `v1` is `v1`). */
function versionDir(apiVersion: string): string {
  return join(MODELS, ...apiVersion.split('/'));
}

interface Field {
  readonly optional: boolean;
  /** The file of the model the field's type is (itself, or each item of an array), when it is one. */
  readonly model?: string;
}

const parsed = new Map<string, Map<string, Field>>();

/** The fields of the model a .d.ts file declares (its `export interface I… {` block). */
function fieldsOf(file: string): Map<string, Field> {
  const known = parsed.get(file);
  if (known) return known;
  const text = readFileSync(file, 'utf8');
  const imports = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^import \{ (\w+) \} from "([^"]+)";$/.exec(line);
    if (!m) continue;
    const spec = m[2]!;
    const base = spec.startsWith('.') ? join(dirname(file), spec) : join(REPO, 'node_modules', spec);
    imports.set(m[1]!, `${base.replace(/\.js$/, '')}.d.ts`);
  }
  const fields = new Map<string, Field>();
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('export interface I'));
  assert.ok(start >= 0, `no interface in ${file}`);
  for (let i = start + 1; i < lines.length && lines[i] !== '}'; i++) {
    const m = /^ {4}"([^"]+)"(\?)?: (.+?);?$/.exec(lines[i]!);
    if (!m) continue;
    const type = m[3]!;
    const ref = /^(?:Array<)?(\w+)>?$/.exec(type)?.[1];
    const model = ref ? imports.get(ref) : undefined;
    fields.set(m[1]!, { optional: m[2] === '?', ...(model && existsSync(model) ? { model } : {}) });
  }
  parsed.set(file, fields);
  return fields;
}

function modelFile(apiVersion: string, kind: string): string {
  return join(versionDir(apiVersion), `${kind}.d.ts`);
}

/** The fields a value writes that its model does not define, as paths (`spec.rules[0]…serviceName`). */
function unknownFields(value: unknown, file: string, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, k) => unknownFields(v, file, `${at}[${k}]`));
  if (value === null || typeof value !== 'object') return [];
  const fields = fieldsOf(file);
  const out: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const f = fields.get(key);
    if (!f) out.push(`${at}.${key}`);
    else if (f.model) out.push(...unknownFields(v, f.model, `${at}.${key}`));
  }
  return out;
}

/** The package's validator of a kind in a version (required fields, types): the errors it gives. */
async function schemaErrors(doc: { apiVersion: string; kind: string }): Promise<string | undefined> {
  const url = pathToFileURL(join(versionDir(doc.apiVersion), `${doc.kind}.js`)).href;
  const mod = (await import(url)) as Record<string, new (d: unknown) => { validate(): void }>;
  const Model = mod[doc.kind]!;
  try {
    new Model(doc).validate();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The documents of a fixture's plain manifests (not Helm templates). */
function manifests(fixture: string, base = FIXTURES): { apiVersion: string; kind: string; [k: string]: unknown }[] {
  const out: { apiVersion: string; kind: string }[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        if (text.includes('{{')) continue;
        for (const doc of parseAllDocuments(text)) {
          const v = doc.toJSON() as { apiVersion?: string; kind?: string } | null;
          if (v?.apiVersion && v.kind) out.push(v as { apiVersion: string; kind: string });
        }
      }
    }
  };
  walk(join(base, fixture));
  return out;
}

describe('the Kubernetes catalogue against the published schema (kubernetes-models)', () => {
  it('the v1 Ingress has none of the v1beta1 fields the catalogue names, and has their replacements', () => {
    const v1 = (kind: string): Map<string, Field> => fieldsOf(modelFile(INGRESS_V1, kind));
    const beta = (kind: string): Map<string, Field> => fieldsOf(modelFile('networking.k8s.io/v1beta1', kind));
    const whats = new Set(INGRESS_V1_CHANGES.map((c) => c.what));
    assert.deepEqual([...whats].sort(), ['no pathType', 'serviceName', 'servicePort', 'spec.backend']);
    // serviceName, servicePort: v1beta1's backend fields, gone from v1's
    for (const f of ['serviceName', 'servicePort']) {
      assert.ok(beta('IngressBackend').has(f), `v1beta1 IngressBackend.${f}`);
      assert.ok(!v1('IngressBackend').has(f), `v1 IngressBackend has no ${f}`);
    }
    // service.name, service.port.number, service.port.name
    const service = v1('IngressBackend').get('service');
    assert.ok(service?.model, 'v1 IngressBackend.service');
    const svc = fieldsOf(service.model);
    assert.ok(svc.has('name') && svc.get('port')?.model, 'v1 IngressServiceBackend.name, .port');
    const port = fieldsOf(svc.get('port')!.model!);
    assert.ok(port.has('number') && port.has('name'), 'v1 ServiceBackendPort.number, .name');
    // spec.backend → spec.defaultBackend
    assert.ok(beta('IngressSpec').has('backend') && !v1('IngressSpec').has('backend'), 'spec.backend is v1beta1 only');
    assert.ok(v1('IngressSpec').has('defaultBackend'), 'v1 IngressSpec.defaultBackend');
    // pathType: optional in v1beta1, required in v1
    assert.equal(beta('HTTPIngressPath').get('pathType')?.optional, true);
    assert.equal(v1('HTTPIngressPath').get('pathType')?.optional, false);
  });

  it('pathType is required by the v1 schema validator, not by v1beta1’s', async () => {
    const ingress = (apiVersion: string, backend: unknown): { apiVersion: string; kind: string } =>
      ({
        apiVersion,
        kind: 'Ingress',
        metadata: { name: 'web' },
        spec: { rules: [{ http: { paths: [{ path: '/', backend }] } }] },
      }) as { apiVersion: string; kind: string };
    assert.match((await schemaErrors(ingress(INGRESS_V1, { service: { name: 'web', port: { number: 80 } } }))) ?? '', /pathType/);
    assert.equal(await schemaErrors(ingress('networking.k8s.io/v1beta1', { serviceName: 'web', servicePort: 80 })), undefined);
  });

  it('each removed API version and its replacement define the kind', () => {
    // The guide names apps/v1beta1 among the versions of ReplicaSet no longer served, but the
    // published schema of apps/v1beta1 never defined a ReplicaSet: refused all the same.
    const neverDefined = new Set(['apps/v1beta1 ReplicaSet']);
    for (const r of REMOVED_APIS) {
      const key = `${r.apiVersion} ${r.kind}`;
      assert.equal(existsSync(modelFile(r.apiVersion, r.kind)), !neverDefined.has(key), `${key} (the removed version)`);
      assert.ok(existsSync(modelFile(r.replacement, r.kind)), `${r.replacement} ${r.kind} (its replacement)`);
      assert.ok(r.quote.includes(r.apiVersion) && r.quote.includes(r.replacement) && r.quote.includes(`v${r.removedIn}`), r.quote);
    }
  });
});

describe("DDG323's fixtures against the published schema", () => {
  it('the good fixtures validate strictly in the version they name', async () => {
    const docs = manifests('good-current-versions');
    assert.ok(docs.length >= 6);
    for (const d of docs) {
      assert.ok(!REMOVED_APIS.some((r) => r.kind === d.kind && r.apiVersion === d.apiVersion), `${d.kind} ${d.apiVersion}`);
      assert.equal(await schemaErrors(d), undefined, `${d.kind} ${d.apiVersion}`);
      assert.deepEqual(unknownFields(d, modelFile(d.apiVersion, d.kind), d.kind), [], `${d.kind} ${d.apiVersion}`);
    }
  });

  it('the v1 Ingress in the v1beta1 shape fails the v1 schema; the rest of its fixture validates', async () => {
    const docs = manifests('bad-ingress-v1-old-shape');
    const ingress = docs.find((d) => d.kind === 'Ingress')!;
    assert.equal(ingress.apiVersion, INGRESS_V1);
    assert.match((await schemaErrors(ingress)) ?? '', /required property pathType/);
    assert.deepEqual(unknownFields(ingress, modelFile(INGRESS_V1, 'Ingress'), 'Ingress').sort(), [
      'Ingress.spec.rules[0].http.paths[0].backend.serviceName',
      'Ingress.spec.rules[0].http.paths[0].backend.servicePort',
    ]);
    for (const d of docs.filter((x) => x !== ingress)) {
      assert.equal(await schemaErrors(d), undefined, `${d.kind} ${d.apiVersion}`);
      assert.deepEqual(unknownFields(d, modelFile(d.apiVersion, d.kind), d.kind), [], `${d.kind} ${d.apiVersion}`);
    }
  });

  it('the removed versions of the bad fixture are well-formed in their own version: the version is their fault', async () => {
    const docs = manifests('bad-removed-versions').filter((d) => d.apiVersion !== 'v1');
    assert.ok(docs.length >= 5);
    for (const d of docs) {
      assert.ok(
        REMOVED_APIS.some((r) => r.kind === d.kind && r.apiVersion === d.apiVersion),
        `${d.kind} ${d.apiVersion} is a removed version`,
      );
      assert.equal(await schemaErrors(d), undefined, `${d.kind} ${d.apiVersion}`);
      assert.deepEqual(unknownFields(d, modelFile(d.apiVersion, d.kind), d.kind), [], `${d.kind} ${d.apiVersion}`);
    }
  });
});

describe("DDG325's fixtures against the published schema", () => {
  it('their plain manifests (the probes a pod has or lacks) validate strictly in the version they name', async () => {
    const base = join(REPO, 'test', 'fixtures', 'rules', 'DDG325');
    let n = 0;
    for (const fixture of ['bad-command', 'bad-image-cmd', 'good-probe', 'good-sidecar-probe'])
      for (const d of manifests(fixture, base)) {
        n++;
        assert.equal(await schemaErrors(d), undefined, `${fixture}: ${d.kind} ${d.apiVersion}`);
        assert.deepEqual(unknownFields(d, modelFile(d.apiVersion, d.kind), d.kind), [], `${fixture}: ${d.kind} ${d.apiVersion}`);
      }
    assert.ok(n >= 5);
  });
});
