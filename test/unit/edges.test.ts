// The hops in front of the app that the deployment files describe (issue 53): Kubernetes Ingresses
// (plain, built by a kustomization, rendered from a Helm chart with its production values), their
// controller, TLS, annotations and backends; Traefik's routers from compose labels, its file
// provider and its static configuration; the app's ports published beside a compose proxy; and the
// tie of each to the production app (ProcessModel.edges). Fixtures: test/fixtures/edges/*.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem, NodeFileSystem, type FileSystem } from '../../server/src/analysis/files/fs';
import { readProcesses, type Edges, type IngressEdge, type TraefikRouter } from '../../server/src/analysis/models/process/index';
import { parseCompose, parsePort } from '../../server/src/analysis/readers/container/compose';
import { renderHelm, type ValuesSource } from '../../server/src/analysis/readers/kubernetes/helmRender';
import { findCharts } from '../../server/src/analysis/readers/kubernetes/helmCharts';
import {
  envOptions,
  fileOptions,
  flagOptions,
  labelOptions,
  readDynamic,
  readStatic,
} from '../../server/src/analysis/readers/proxy/traefik';
import { parseYaml, type YamlNode } from '../../server/src/analysis/readers/yaml';
import { scanWorkspace } from '../../server/src/analysis/files/scan';
import { FIXTURES } from '../helpers/paths';

const EDGES = path.join(FIXTURES, 'edges');

function edgesOf(fs: FileSystem, root: string): Edges {
  const ws = new Workspace(fs, [root]);
  return readProcesses(ws, ws.projects()[0]!).edges;
}

function fixture(name: string): { edges: Edges; root: string } {
  const root = path.join(EDGES, name);
  return { edges: edgesOf(new NodeFileSystem(), root), root };
}

/** The text a location spans. */
function at(loc: { file: string; start: number; end: number }): string {
  return readFileSync(loc.file, 'utf8').slice(loc.start, loc.end);
}

function ingress(e: Edges, name: string, file?: string): IngressEdge {
  const found = e.ingresses.filter((i) => i.name?.text === name && (!file || i.file.endsWith(file)));
  assert.equal(found.length, 1, `one Ingress ${name}${file ? ` in ${file}` : ''} (found ${found.length})`);
  return found[0]!;
}

function router(e: Edges, name: string): TraefikRouter {
  const found = e.traefik.routers.filter((r) => r.name === name);
  assert.equal(found.length, 1, `one router ${name}`);
  return found[0]!;
}

function annotation(i: IngressEdge, name: string): string | undefined {
  return i.annotations.find((a) => a.name === name)?.value.text;
}

/** Values read from one YAML text (what a chart's values.yaml gives). */
function valuesFrom(text: string): ValuesSource {
  const root = parseYaml('/chart/values.yaml', text);
  return {
    described: 'values.yaml',
    lookup(p) {
      let n: YamlNode | undefined = root;
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

const SKELETON: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': 'SECRET_KEY = "x"\nDEBUG = False\nALLOWED_HOSTS = ["shop.example.org"]\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]\n',
};

describe('Helm templates rendered with their values', () => {
  const template = `{{- if .Values.ingress.enabled -}}
{{- $fullName := include "app.fullname" . -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullName }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
  {{- with .Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if .Values.ingress.tls }}
  tls:
    {{- toYaml .Values.ingress.tls | nindent 4 }}
  {{- end }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
    {{- end }}
{{- end }}
`;

  it('renders what the values decide, each value placed in the values file', () => {
    const r = renderHelm(
      '/chart/templates/ingress.yaml',
      template,
      valuesFrom(`ingress:
  enabled: true
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 20m
  tls:
    - secretName: a-tls
      hosts: [a.example.org]
  hosts:
    - host: a.example.org
    - host: b.example.org
`),
    );
    const doc = parseYaml('/out', r.text);
    assert.equal(doc?.kind, 'map');
    assert.match(r.text, /proxy-body-size: 20m/);
    assert.match(r.text, /host: "a\.example\.org"\n {4}- host: "b\.example\.org"/);
    assert.match(r.text, /secretName: a-tls/);
    // a named template is not rendered: a placeholder, the same for the same expression
    assert.match(r.text, /name: ⟨include_app\.fullname_\.⟩/);
    assert.match(r.text, /⟨include_app\.labels_\.⟩: ""/);
    const i = r.text.indexOf('20m');
    const placed = r.place(i, i + 3);
    assert.equal(placed.file, '/chart/values.yaml');
    const k = r.text.indexOf('Ingress');
    assert.deepEqual(r.place(k, k + 7), {
      file: '/chart/templates/ingress.yaml',
      start: template.indexOf('Ingress'),
      end: template.indexOf('Ingress') + 7,
    });
    assert.equal(r.maybe(k), undefined);
  });

  it('leaves out what the values turn off, and says why', () => {
    const r = renderHelm('/chart/templates/ingress.yaml', template, valuesFrom('ingress:\n  enabled: false\n'));
    assert.equal(r.text.trim(), '');
    assert.equal(r.off.length, 1);
    assert.match(r.off[0]!.why, /\.Values\.ingress\.enabled is false \(set in values\.yaml\)/);
  });

  it('renders a block whose condition the values do not decide as maybe, never guessing', () => {
    const r = renderHelm(
      '/chart/templates/ingress.yaml',
      template,
      valuesFrom('ingress:\n  enabled: true\n  annotations: {}\n  hosts: []\n'),
    );
    const t = r.text.indexOf('tls:');
    assert.ok(t >= 0);
    assert.match(r.maybe(t) ?? '', /only when \.Values\.ingress\.tls \(values\.yaml does not set ingress\.tls\)/);
    // an empty mapping is decided: no annotations
    assert.doesNotMatch(r.text, /annotations:/);
    // a template outside any chart: every value unknown
    const loose = renderHelm('/k8s/x.yaml', 'kind: Ingress\nmetadata:\n  name: {{ .Values.name }}\n', undefined);
    assert.match(loose.text, /name: ⟨\.Values\.name⟩/);
  });

  it('reads Helm’s values as go-yaml does, and Go’s truth', () => {
    const t =
      '{{ if .Values.a }}A{{ end }}{{ if .Values.b }}B{{ end }}{{ if .Values.c }}C{{ end }}{{ if .Values.d }}D{{ end }}{{ .Values.e | default "dflt" }}';
    const r = renderHelm('/t.yaml', t, valuesFrom('a: "false"\nb: no\nc: 0\nd: [x]\ne: ""\n'));
    assert.equal(r.text, 'ADdflt');
  });
});

describe('a chart’s production values', () => {
  const chart = (extra: Record<string, string>): Record<string, string> => ({
    'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
    'chart/values.yaml': 'ingress:\n  enabled: false\n',
    'chart/templates/ingress.yaml': 'kind: Ingress\n',
    ...extra,
  });
  const valuesOf = (files: Record<string, string>): ReturnType<typeof findCharts>[number]['values'] => {
    const fs = new MemoryFileSystem(files, '/p');
    return findCharts(fs, scanWorkspace(fs, '/p').files, '/p')[0]!.values;
  };
  const enabled = (v: ValuesSource): unknown => {
    const r = v.lookup(['ingress', 'enabled']);
    return r === 'absent' || 'unknown' in r ? r : r.node?.kind === 'scalar' ? r.node.value : r.node;
  };

  it('values.yaml alone when nothing names production’s', () => {
    const v = valuesOf(chart({}));
    assert.deepEqual(v.files, ['/p/chart/values.yaml']);
    assert.equal(enabled(v), 'false');
  });

  it('a values file named for production, over values.yaml', () => {
    for (const name of ['values-prod.yaml', 'values.production.yaml', 'prod-values.yaml', 'values/production.yaml']) {
      const v = valuesOf(
        chart({ [`chart/${name}`]: 'ingress:\n  enabled: true\n', 'chart/values-staging.yaml': 'ingress:\n  enabled: maybe\n' }),
      );
      assert.deepEqual(v.files, ['/p/chart/values.yaml', `/p/chart/${name}`], name);
      assert.equal(enabled(v), 'true', name);
    }
  });

  it('the files a deployment names: a helm command line, a helmfile', () => {
    const ci = valuesOf(
      chart({
        'deploy/live.yaml': 'ingress:\n  enabled: true\n',
        '.github/workflows/deploy.yml':
          'jobs:\n  d:\n    steps:\n      - run: helm upgrade --install app ./chart -f deploy/live.yaml --wait\n',
      }),
    );
    assert.deepEqual(ci.files, ['/p/chart/values.yaml', '/p/deploy/live.yaml']);
    assert.match(ci.why, /helm upgrade in \.github\/workflows\/deploy\.yml/);
    const hf = valuesOf(
      chart({
        'envs/production.yaml': 'ingress:\n  enabled: true\n',
        'envs/dev.yaml': 'ingress:\n  enabled: false\n',
        'helmfile.yaml':
          'environments:\n  production: {}\n  dev: {}\nreleases:\n  - name: app\n    chart: ./chart\n    values:\n      - envs/{{ .Environment.Name }}.yaml\n',
      }),
    );
    assert.deepEqual(hf.files, ['/p/chart/values.yaml', '/p/envs/production.yaml']);
    assert.match(hf.why, /helmfile\.yaml, release app, environment production/);
  });

  it('several production files that disagree: what they set differently is unknown', () => {
    const v = valuesOf(
      chart({
        'chart/values-prod-eu.yaml': 'ingress:\n  enabled: true\n  className: nginx\n',
        'chart/values-prod-us.yaml': 'ingress:\n  enabled: true\n  className: alb\n',
      }),
    );
    assert.equal(v.competing?.length, 2);
    assert.equal(enabled(v), 'true');
    const cls = v.lookup(['ingress', 'className']);
    assert.ok(cls !== 'absent' && 'unknown' in cls);
  });
});

describe('compose: labels, exposed and published ports', () => {
  it('reads labels as a list or a mapping, and Swarm’s deploy.labels', () => {
    const c = parseCompose(
      '/p/docker-compose.yml',
      'services:\n  a:\n    labels:\n      - "traefik.enable=true"\n      - flag\n    deploy:\n      labels:\n        traefik.http.routers.r.rule: Host(`x`)\n  b:\n    labels:\n      x.y: "1"\n',
    );
    const a = c.services[0]!;
    assert.deepEqual(
      a.labels.map((l) => [l.key, l.value, l.deploy]),
      [
        ['traefik.enable', 'true', false],
        ['flag', '', false],
        ['traefik.http.routers.r.rule', 'Host(`x`)', true],
      ],
    );
    assert.deepEqual(
      c.services[1]!.labels.map((l) => [l.key, l.value]),
      [['x.y', '1']],
    );
  });

  it('says what a ports item publishes, and where', () => {
    assert.deepEqual(parsePort('8000:8000'), { hostIp: '', published: '8000', target: '8000', allInterfaces: true });
    assert.deepEqual(parsePort('127.0.0.1:8000:8000'), { hostIp: '127.0.0.1', published: '8000', target: '8000', allInterfaces: false });
    assert.deepEqual(parsePort('8000'), { hostIp: '', published: '', target: '8000', allInterfaces: true });
    assert.deepEqual(parsePort('[::1]:8000:8000/tcp'), {
      hostIp: '[::1]',
      published: '8000',
      target: '8000',
      protocol: 'tcp',
      allInterfaces: false,
    });
    assert.deepEqual(parsePort('0.0.0.0:80:8000'), { hostIp: '0.0.0.0', published: '80', target: '8000', allInterfaces: true });
    assert.deepEqual(parsePort('${WEB_PORT:-8080}:8000'), { hostIp: '', published: '8080', target: '8000', allInterfaces: true });
    assert.equal(parsePort('${WEB_PORT}:8000'), undefined);
  });
});

describe('Traefik’s configuration read', () => {
  const loc = { file: '/c.yml', start: 0, end: 0 };
  it('its static configuration from flags, variables and files alike', () => {
    const flags = readStatic(
      flagOptions(
        [
          '--entryPoints.web.address=:80',
          '--entrypoints.web.http.redirections.entryPoint.to=websecure',
          '--accesslog',
          '--providers.docker.exposedByDefault=false',
        ].map((text) => ({ text, loc })),
      ),
      'flags',
      '/c.yml',
    );
    assert.equal(flags.entryPoints[0]!.redirectTo?.text, 'websecure');
    assert.ok(flags.accessLog);
    assert.equal(flags.exposedByDefault?.text, 'false');
    const env = readStatic(
      envOptions([{ name: 'TRAEFIK_ENTRYPOINTS_WEB_HTTP_REDIRECTIONS_ENTRYPOINT_TO', value: 'websecure', loc }]),
      'env',
      '/c.yml',
    );
    assert.equal(env.entryPoints[0]!.name, 'web');
    assert.equal(env.entryPoints[0]!.redirectTo?.text, 'websecure');
    const toml = readStatic(
      fileOptions(
        '/traefik.toml',
        '[entryPoints.web]\naddress = ":80"\n[entryPoints.web.http.redirections.entryPoint]\nto = "websecure"\nscheme = "https"\n[accessLog]\n',
      )!,
      'file',
      '/traefik.toml',
    );
    assert.equal(toml.entryPoints[0]!.redirectTo?.text, 'websecure');
    assert.ok(toml.accessLog);
    const yml = readStatic(
      fileOptions('/traefik.yml', 'entryPoints:\n  web:\n    address: ":80"\n    forwardedHeaders:\n      trustedIPs: ["10.0.0.0/8"]\n')!,
      'file',
      '/traefik.yml',
    );
    assert.equal(yml.entryPoints[0]!.trustedIPs?.text, '10.0.0.0/8');
    assert.equal(yml.accessLog, undefined);
  });

  it('its log level: log.level in a file, a flag with its value after = or in the next word, Traefik v1’s logLevel', () => {
    const words = (list: string[]) => list.map((text, i) => ({ text, loc: { file: '/c.yml', start: i, end: i + 1 } }));
    const next = readStatic(flagOptions(words(['--api.insecure', '--log.level', 'DEBUG', '--accesslog'])), 'flags', '/c.yml');
    assert.equal(next.logLevel?.text, 'DEBUG');
    // placed at the value's word, and the words after it still read as flags
    assert.equal(next.logLevel?.loc.start, 2);
    assert.ok(next.accessLog);
    assert.equal(readStatic(flagOptions(words(['--log.level=TRACE'])), 'flags', '/c.yml').logLevel?.text, 'TRACE');
    // a switch written without a value stays a switch
    assert.equal(flagOptions(words(['--api.insecure', '--accesslog']))[0]!.value, 'true');
    assert.equal(readStatic(fileOptions('/traefik.yml', 'log:\n  level: DEBUG\n')!, 'file', '/traefik.yml').logLevel?.text, 'DEBUG');
    assert.equal(readStatic(fileOptions('/traefik.toml', '[log]\n  level = "DEBUG"\n')!, 'file', '/traefik.toml').logLevel?.text, 'DEBUG');
    assert.equal(readStatic(fileOptions('/traefik.toml', 'logLevel = "DEBUG"\n')!, 'file', '/traefik.toml').logLevel?.text, 'DEBUG');
    assert.equal(readStatic(envOptions([{ name: 'TRAEFIK_LOG_LEVEL', value: 'DEBUG', loc }]), 'env', '/c.yml').logLevel?.text, 'DEBUG');
    assert.equal(
      readStatic(fileOptions('/traefik.yml', 'entryPoints:\n  web:\n    address: ":80"\n')!, 'file', '/traefik.yml').logLevel,
      undefined,
    );
  });

  it('routers and what each middleware does, from labels', () => {
    const labels = [
      'traefik.http.routers.app.rule=Host(`a`)',
      'traefik.http.routers.app.middlewares=sec,redir@docker',
      'traefik.http.middlewares.sec.headers.STSSeconds=63072000',
      'traefik.http.middlewares.sec.headers.stsPreload=true',
      'traefik.http.middlewares.sec.headers.customResponseHeaders.X-Frame-Options=SAMEORIGIN',
      'traefik.http.middlewares.redir.redirectscheme.scheme=https',
    ].map((l) => ({ key: l.slice(0, l.indexOf('=')), value: l.slice(l.indexOf('=') + 1), valueLoc: loc }));
    const d = readDynamic(labelOptions(labels), 'docker', '/c.yml', 'web');
    assert.deepEqual(
      d.routers[0]!.middlewares.map((m) => m.text),
      ['sec', 'redir@docker'],
    );
    const sec = d.middlewares.find((m) => m.name === 'sec')!;
    assert.deepEqual(sec.does.hsts, { seconds: 63072000, preload: true, loc });
    assert.deepEqual(
      sec.does.responseHeaders.map((h) => [h.name, h.value]),
      [['X-Frame-Options', 'SAMEORIGIN']],
    );
    assert.equal(d.middlewares.find((m) => m.name === 'redir')!.does.redirectScheme?.scheme, 'https');
  });
});

describe('Kubernetes Ingresses of plain manifests', () => {
  const { edges: e } = fixture('k8s-plain');

  it('an ingress-nginx Ingress with TLS, its annotations as written and placed', () => {
    const i = ingress(e, 'shop-public');
    assert.equal(i.production, true);
    assert.equal(i.apiVersion, 'networking.k8s.io/v1');
    assert.equal(at(i.loc), 'Ingress');
    assert.equal(i.className?.text, 'nginx');
    assert.equal(i.className?.from, 'spec.ingressClassName');
    assert.equal(i.controller.kind, 'ingress-nginx');
    assert.equal(i.tls.state, 'yes');
    if (i.tls.state === 'yes') {
      assert.deepEqual(
        i.tls.hosts.map((h) => h.text),
        ['shop.example.org'],
      );
      assert.equal(i.tls.secretName?.text, 'shop-example-org-tls');
    }
    assert.equal(annotation(i, 'nginx.ingress.kubernetes.io/ssl-redirect'), 'false');
    assert.equal(annotation(i, 'nginx.ingress.kubernetes.io/force-ssl-redirect'), 'true');
    assert.equal(annotation(i, 'nginx.ingress.kubernetes.io/proxy-body-size'), '25m');
    assert.equal(annotation(i, 'nginx.ingress.kubernetes.io/proxy-read-timeout'), '120');
    assert.equal(annotation(i, 'nginx.ingress.kubernetes.io/enable-access-log'), 'false');
    assert.equal(at(i.annotations.find((a) => a.name.endsWith('proxy-body-size'))!.value.loc), '"25m"');
    assert.deepEqual(
      i.hosts.map((h) => h.text),
      ['shop.example.org'],
    );
    assert.deepEqual(
      i.backends.map((b) => [b.service?.text, b.port?.text, b.path?.text, b.pathType?.text]),
      [['shop-api', '80', '/', 'Prefix']],
    );
    assert.equal(i.tie.state, 'app');
    assert.match(i.tie.why, /the Service shop-api selects the pods of the Deployment shop-web; .*runs gunicorn/);
    assert.deepEqual(i.legacy, []);
  });

  it('an Ingress without TLS', () => {
    const i = ingress(e, 'shop-plain');
    assert.equal(i.tls.state, 'no');
    assert.equal(i.controller.kind, 'ingress-nginx');
    assert.equal(i.tie.state, 'app');
  });

  it('a Traefik Ingress: by its class, or by its annotations (router.tls as its TLS)', () => {
    const byClass = ingress(e, 'shop-traefik-class');
    assert.equal(byClass.controller.kind, 'traefik');
    assert.equal(byClass.backends[0]!.port?.text, 'http');
    const byAnnotations = ingress(e, 'shop-traefik');
    assert.equal(byAnnotations.controller.kind, 'traefik');
    assert.match(byAnnotations.controller.why, /traefik\.ingress\.kubernetes\.io annotations/);
    assert.equal(byAnnotations.tls.state, 'yes');
    if (byAnnotations.tls.state === 'yes') assert.match(byAnnotations.tls.via ?? '', /router\.tls/);
  });

  it('an Ingress without a class: the cluster’s default, unknown', () => {
    const i = ingress(e, 'shop-default-class');
    assert.equal(i.controller.kind, 'unknown');
    assert.match(i.controller.why, /no class/);
  });

  it('the controller of an IngressClass of the repository, named by the old annotation', () => {
    const i = ingress(e, 'storefront');
    assert.equal(i.className?.from, 'annotation kubernetes.io/ingress.class');
    assert.equal(i.controller.kind, 'ingress-nginx');
    assert.match(i.controller.why, /the IngressClass internal \(controller k8s\.io\/ingress-nginx\)/);
    assert.deepEqual(
      e.ingressClasses.map((c) => c.name?.text),
      ['internal'],
    );
  });

  it('an Ingress to a frontend beside one to the app: each backend tied', () => {
    const split = ingress(e, 'storefront');
    assert.deepEqual(
      split.backends.map((b) => [b.path?.text, b.tie.state]),
      [
        ['/', 'other'],
        ['/api', 'app'],
      ],
    );
    assert.equal(split.tie.state, 'app');
    const frontend = ingress(e, 'storefront-only');
    assert.equal(frontend.tie.state, 'other');
    assert.match(frontend.tie.why, /the Service storefront selects the pods of the Deployment storefront; .*runs node/);
  });

  it('v1 Ingresses that still use removed fields, and the old API', () => {
    const legacy = ingress(e, 'shop-legacy');
    assert.deepEqual(legacy.legacy.map((l) => l.what).sort(), ['no pathType', 'serviceName', 'servicePort']);
    assert.equal(at(legacy.legacy.find((l) => l.what === 'serviceName')!.loc), 'serviceName');
    assert.equal(legacy.tie.state, 'app');
    const beta = ingress(e, 'shop-beta');
    assert.equal(beta.apiVersion, 'extensions/v1beta1');
    assert.deepEqual(beta.legacy, []);
    assert.equal(beta.backends[0]!.isDefault, true);
    assert.equal(beta.backends[0]!.tie.state, 'app');
  });

  it('an Ingress in a development folder is not production’s', () => {
    const dev = ingress(e, 'shop-dev');
    assert.equal(dev.production, false);
    assert.match(dev.devReason ?? '', /dev/);
  });
});

describe('Kubernetes Ingresses a kustomization builds', () => {
  const { edges: e, root } = fixture('k8s-kustomize');

  it('a production overlay adds TLS by a patch; the development overlay’s is not production’s', () => {
    const prod = e.ingresses.filter((i) => i.source.file.endsWith(path.join('overlays', 'production', 'kustomization.yaml')));
    const dev = e.ingresses.filter((i) => i.source.file.endsWith(path.join('overlays', 'dev', 'kustomization.yaml')));
    assert.equal(prod.length, 1);
    assert.equal(dev.length, 1);
    assert.equal(prod[0]!.production, true);
    assert.equal(prod[0]!.file, path.join(root, 'deploy/base/ingress.yaml'));
    assert.equal(at(prod[0]!.loc), 'Ingress');
    assert.equal(prod[0]!.tls.state, 'yes');
    if (prod[0]!.tls.state === 'yes') assert.equal(prod[0]!.tls.loc.file, path.join(root, 'deploy/overlays/production/ingress-tls.yaml'));
    assert.equal(annotation(prod[0]!, 'nginx.ingress.kubernetes.io/proxy-body-size'), '10m');
    assert.equal(prod[0]!.tie.state, 'app');
    assert.equal(dev[0]!.production, false);
    assert.equal(dev[0]!.tls.state, 'no');
    // the base is read through its overlays, never alone
    assert.equal(e.ingresses.length, 2);
  });
});

describe('Kubernetes Ingresses of a Helm chart', () => {
  it('values.yaml turns the Ingress off, values-prod.yaml on, with TLS and class nginx', () => {
    const { edges: e, root } = fixture('helm-prod-values');
    assert.equal(e.ingresses.length, 1);
    const i = e.ingresses[0]!;
    assert.equal(i.source.kind, 'helm');
    assert.deepEqual(i.source.values?.files, [path.join(root, 'chart/values.yaml'), path.join(root, 'chart/values-prod.yaml')]);
    assert.match(i.source.values?.why ?? '', /values-prod\.yaml \(its name says production\)/);
    assert.equal(i.deployed.state, 'yes');
    assert.equal(i.file, path.join(root, 'chart/templates/ingress.yaml'));
    assert.equal(at(i.loc), 'Ingress');
    assert.equal(i.className?.text, 'nginx');
    assert.equal(i.className?.loc.file, path.join(root, 'chart/values-prod.yaml'));
    assert.equal(i.controller.kind, 'ingress-nginx');
    assert.equal(i.tls.state, 'yes');
    if (i.tls.state === 'yes') assert.equal(i.tls.secretName?.text, 'shop-example-org-tls');
    assert.equal(annotation(i, 'nginx.ingress.kubernetes.io/proxy-body-size'), '50m');
    assert.equal(at(i.annotations[0]!.value.loc), '"50m"');
    assert.deepEqual(
      i.hosts.map((h) => h.text),
      ['shop.example.org'],
    );
    // the backend's Service is the chart's (the same named template), whose pods run the image
    assert.equal(i.backends[0]!.service?.dynamic, true);
    assert.equal(i.backends[0]!.port?.text, '8000');
    assert.equal(i.tie.state, 'app');
    assert.match(i.tie.why, /runs its image's own command and sets DJANGO_SETTINGS_MODULE/);
  });

  it('with values.yaml alone the Ingress is off, and says why', () => {
    const root = path.join(EDGES, 'helm-prod-values');
    const files: Record<string, string> = { ...SKELETON };
    for (const f of [
      'chart/Chart.yaml',
      'chart/values.yaml',
      'chart/templates/_helpers.tpl',
      'chart/templates/deployment.yaml',
      'chart/templates/service.yaml',
      'chart/templates/ingress.yaml',
    ])
      files[f] = readFileSync(path.join(root, f), 'utf8');
    const e = edgesOf(new MemoryFileSystem(files, '/p'), '/p');
    assert.equal(e.ingresses.length, 0);
    assert.equal(e.ingressesOff.length, 1);
    assert.match(e.ingressesOff[0]!.why, /\.Values\.ingress\.enabled is false \(set in values\.yaml\)/);
  });

  it('TLS that no values file decides is unknown, and so are annotations the values do not say', () => {
    const { edges: e } = fixture('helm-tls-unknown');
    const i = e.ingresses[0]!;
    assert.equal(i.tls.state, 'unknown');
    if (i.tls.state === 'unknown') assert.match(i.tls.why, /values\.yaml does not set ingress\.tls/);
    assert.equal(annotation(i, 'nginx.ingress.kubernetes.io/proxy-body-size'), '8m');
    assert.match(i.unknownAnnotations ?? '', /extraAnnotations/);
    assert.equal(i.controller.kind, 'ingress-nginx');
    assert.equal(i.tie.state, 'app');
  });
});

describe('Traefik in front of compose services', () => {
  it('labels with a Traefik service whose entry point redirects', () => {
    const { edges: e, root } = fixture('compose-traefik');
    const compose = path.join(root, 'docker-compose.prod.yml');
    assert.equal(e.traefik.instances.length, 1);
    const t = e.traefik.instances[0]!;
    assert.equal(t.static?.from, 'flags');
    assert.equal(t.entryPointRedirect.state, 'yes');
    if (t.entryPointRedirect.state === 'yes') {
      assert.equal(t.entryPointRedirect.from, 'web');
      assert.equal(t.entryPointRedirect.to.text, 'websecure');
    }
    assert.ok(t.static?.accessLog);
    assert.equal(t.static?.entryPoints.find((x) => x.name === 'websecure')?.trustedIPs?.text, '10.0.0.0/8');
    const shop = router(e, 'shop');
    assert.equal(shop.provider, 'docker');
    assert.equal(shop.composeService, 'web');
    assert.equal(shop.composeFile, compose);
    assert.equal(shop.rule?.text, 'Host(`shop.example.org`)');
    assert.deepEqual(shop.entryPoints?.names, ['websecure']);
    assert.equal(shop.tls?.certResolver?.text, 'le');
    assert.equal(shop.instance, t);
    assert.equal(shop.httpsRedirect.state, 'yes');
    if (shop.httpsRedirect.state === 'yes') assert.equal(shop.httpsRedirect.how, 'entrypoint');
    const headers = shop.middlewares.find((m) => m.name === 'shop-headers')?.middleware;
    assert.deepEqual(
      { seconds: headers?.does.hsts?.seconds, sub: headers?.does.hsts?.includeSubdomains },
      { seconds: 31536000, sub: true },
    );
    assert.deepEqual(
      headers?.does.responseHeaders.map((h) => [h.name, h.value]),
      [
        ['X-Frame-Options', 'DENY'],
        ['X-Content-Type-Options', 'nosniff'],
        ['X-Robots-Tag', 'noindex'],
      ],
    );
    assert.deepEqual(
      headers?.does.sslProxyHeaders.map((h) => [h.name, h.value]),
      [['X-Forwarded-Proto', 'https']],
    );
    assert.equal(shop.middlewares.find((m) => m.name === 'shop-buffer')?.middleware?.does.maxRequestBodyBytes?.value, 10485760);
    assert.equal(shop.tie.state, 'app');
    const grafana = router(e, 'grafana');
    assert.equal(grafana.tie.state, 'other');
    // the app's port is only exposed to the compose network: nothing published around Traefik
    assert.deepEqual(e.publishedAppPorts, []);
  });

  it('labels only, Traefik outside the repository: its redirection is unknown unless a middleware redirects', () => {
    const { edges: e } = fixture('compose-traefik-external');
    assert.equal(e.traefik.instances.length, 0);
    const http = router(e, 'shop-http');
    assert.equal(http.instance, undefined);
    assert.equal(http.httpsRedirect.state, 'yes');
    if (http.httpsRedirect.state === 'yes') assert.equal(http.httpsRedirect.how, 'middleware');
    const secure = router(e, 'shop');
    assert.equal(secure.tls?.via, 'router');
    assert.equal(secure.httpsRedirect.state, 'yes');
    assert.match(secure.httpsRedirect.state === 'yes' ? secure.httpsRedirect.why : '', /the router shop-http, with the same rule/);
    assert.equal(secure.tie.state, 'app');
    const flower = router(e, 'flower');
    assert.equal(flower.httpsRedirect.state, 'unknown');
    assert.match(flower.httpsRedirect.state === 'unknown' ? flower.httpsRedirect.why : '', /not in the repository/);
    assert.equal(flower.tie.state, 'other');
  });

  it('a Traefik image built with its traefik.yml: the file provider’s router tied by its URL; no redirection', () => {
    const { edges: e, root } = fixture('compose-traefik-file');
    const t = e.traefik.instances[0]!;
    assert.equal(t.static?.from, 'file');
    assert.equal(t.static?.file, path.join(root, 'compose/traefik/traefik.yml'));
    assert.equal(t.entryPointRedirect.state, 'no');
    const r = router(e, 'web-secure-router');
    assert.equal(r.provider, 'file');
    assert.equal(r.target?.composeService, 'django');
    assert.equal(r.tie.state, 'app');
    assert.equal(r.httpsRedirect.state, 'no');
    assert.equal(r.middlewares[0]?.middleware?.type, 'headers');
  });
});

describe('the app’s ports published beside a compose proxy', () => {
  it('records a port on every interface, not one on loopback nor one only exposed', () => {
    const { edges: e, root } = fixture('compose-nginx-ports');
    assert.deepEqual(
      e.publishedAppPorts.map((p) => [p.service, p.text, p.published, p.target, p.proxies]),
      [['web', '8000:8000', '8000', '8000', ['nginx']]],
    );
    const p = e.publishedAppPorts[0]!;
    assert.equal(p.composeFile, path.join(root, 'docker-compose.yml'));
    assert.equal(at(p.loc), '"8000:8000"');
    assert.match(p.why, /starts gunicorn/);
  });

  it('nothing without a proxy service, or in a development file', () => {
    const base = { ...SKELETON };
    const plain = edgesOf(
      new MemoryFileSystem({ ...base, 'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n' }, '/p'),
      '/p',
    );
    assert.deepEqual(plain.publishedAppPorts, []);
    const dev = edgesOf(
      new MemoryFileSystem(
        { ...base, 'docker-compose.dev.yml': 'services:\n  nginx:\n    image: nginx\n  web:\n    build: .\n    ports: ["8000:8000"]\n' },
        '/p',
      ),
      '/p',
    );
    assert.deepEqual(dev.publishedAppPorts, []);
  });
});

describe('a project without such hops', () => {
  it('has no edges, and reads no more than before', () => {
    const e = edgesOf(new MemoryFileSystem({ ...SKELETON, Procfile: 'web: gunicorn mysite.wsgi\n' }, '/p'), '/p');
    assert.deepEqual(e.ingresses, []);
    assert.deepEqual(e.traefik.routers, []);
    assert.deepEqual(e.publishedAppPorts, []);
  });
});

describe('Traefik’s Kubernetes resources', () => {
  it('an IngressRoute tied through its Service, with its Middleware resolved', () => {
    const { edges: e } = fixture('k8s-plain');
    const r = router(e, 'shop-route');
    assert.equal(r.provider, 'kubernetescrd');
    assert.equal(r.production, true);
    assert.equal(r.rule?.text, 'Host(`route.example.org`)');
    assert.deepEqual(r.entryPoints?.names, ['websecure']);
    assert.equal(r.tls?.certResolver?.text, 'le');
    assert.equal(r.target?.k8sService, 'shop-api');
    assert.equal(r.tie.state, 'app');
    const hsts = r.middlewares[0]?.middleware?.does.hsts;
    assert.deepEqual({ seconds: hsts?.seconds, sub: hsts?.includeSubdomains }, { seconds: 63072000, sub: true });
    // Traefik's own configuration is not in the repository
    assert.equal(r.instance, undefined);
    assert.equal(r.httpsRedirect.state, 'unknown');
    assert.ok(e.traefik.middlewares.some((m) => m.provider === 'kubernetescrd' && m.name === 'shop-hsts'));
  });
});

describe('nginx-proxy of a service whose env file a deploy job writes', () => {
  it('takes VIRTUAL_HOST as the script writes it (set, value not known), not from the sample beside it', () => {
    // (DDH704/good-ci-job-copies-written-env: befor-deploy runs apps/setup_env.ci.sh from the repository root, which
    // appends VIRTUAL_HOST=$VIRTUAL_HOST to ./.env, and copies it to the server; .env.sample leaves it empty)
    const root = path.join(FIXTURES, 'rules', 'DDH704', 'good-ci-job-copies-written-env');
    const e = edgesOf(new NodeFileSystem(), root);
    const v = e.nginxProxy?.vhosts.find((x) => x.service === 'web');
    assert.ok(v?.host, 'web has a VIRTUAL_HOST');
    assert.equal(v.hostUnread, undefined);
    assert.equal(v.host.known, false);
    assert.equal(v.host.template, undefined);
    assert.equal(path.relative(root, v.host.loc.file), path.join('apps', 'setup_env.ci.sh'));
    assert.match(v.host.writtenBy ?? '', /^\.\/\.env, which apps\/setup_env\.ci\.sh writes \(its value set where it deploys\)$/);
  });
});

describe('nginx-proxy built from a Dockerfile of the repository', () => {
  it('is the hop of the service it can serve, its host presumed from the env file the repository does not hold', () => {
    const { edges: e, root } = fixture('compose-nginx-proxy-built');
    // (compose-nginx-proxy-built: `build: {context: ./nginx}` FROM jwilder/nginx-proxy, acme-companion beside it)
    assert.deepEqual(
      e.nginxProxy.instances.map((i) => [i.service, i.production, i.certsMounted, i.companion?.label]),
      [['nginx-proxy', true, true, 'docker-compose.prod.yml (service acme-companion)']],
    );
    assert.deepEqual(
      e.nginxProxy.vhosts.map((v) => [v.service, v.host, v.hostUnread, v.tie.state]),
      [['web', undefined, './.env', 'app']],
    );
    assert.match(
      e.nginxProxy.vhosts[0]!.hostPresumed ?? '',
      /Docker socket .* web is the only other service of the file that opens a port/,
    );
    // (nginx/nginx.conf, which nginx/Dockerfile does not copy in, is not the project's proxy configuration)
    const ws = new Workspace(new NodeFileSystem(), [root]);
    const project = ws.projects()[0]!;
    assert.deepEqual(
      project.uncopiedProxyConfigs?.map((u) => path.relative(root, u.file)),
      [path.join('nginx', 'nginx.conf')],
    );
    assert.ok(!project.files.some((f) => f.path === path.join(root, 'nginx', 'nginx.conf')));
  });

  it('is not presumed to serve a service when another one opens a port too', () => {
    const files = {
      'app/manage.py': SKELETON['manage.py']!,
      'app/mysite/__init__.py': '',
      'app/mysite/settings.py': SKELETON['mysite/settings.py']!,
      'app/mysite/wsgi.py': SKELETON['mysite/wsgi.py']!,
      'app/Dockerfile': SKELETON.Dockerfile!,
      'nginx/Dockerfile': 'FROM nginxproxy/nginx-proxy:1.6\n',
      'docker-compose.prod.yml':
        'services:\n  web:\n    build: ./app\n    expose: [8000]\n    env_file: [./.env]\n  admin:\n    image: admin\n    expose: [8080]\n  proxy:\n    build: {context: ./nginx}\n    ports: ["80:80", "443:443"]\n    volumes: ["/var/run/docker.sock:/tmp/docker.sock:ro"]\n',
    };
    const e = edgesOf(new MemoryFileSystem(files, '/p'), '/p');
    assert.deepEqual(
      e.nginxProxy.vhosts.map((v) => [v.service, v.hostUnread, v.hostPresumed]),
      [['web', './.env', undefined]],
    );
  });
});

describe("OpenShift's ingress-to-route controller", () => {
  const project = {
    'manage.py': '',
    'shop/__init__.py': '',
    'shop/settings.py': 'DEBUG = False\n',
    'shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
  };
  const web = (image: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n          command: [gunicorn, shop.wsgi, --bind, 0.0.0.0:8000]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 8000}]\n`;
  const ing = (extra: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n${extra}  rules:\n    - host: shop.example.org\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8000}}}}\n  tls:\n    - {}\n`;
  const edgesFor = (files: Record<string, string>): Edges => edgesOf(new MemoryFileSystem({ ...project, ...files }, '/p'), '/p');
  it('an Ingress without a class, where the repository deploys to OpenShift, is made a Route (presumed)', () => {
    const byBuild = edgesFor({
      'k8s/app.yaml': web('shop:1'),
      'k8s/ingress.yaml': ing(''),
      'k8s/build.yaml': 'apiVersion: build.openshift.io/v1\nkind: BuildConfig\nmetadata: {name: web}\nspec: {}\n',
    });
    const i = byBuild.ingresses[0]!;
    assert.equal(i.controller.kind, 'openshift');
    assert.match(
      i.controller.presumed ?? '',
      /^presumed from its BuildConfig web \(build\.openshift\.io\/v1, k8s\/build\.yaml\); no ingressClassName$/,
    );
    const byImage = edgesFor({
      'k8s/app.yaml': web('image-registry.openshift-image-registry.svc:5000/shop/web:latest'),
      'k8s/ingress.yaml': ing(''),
    });
    assert.equal(byImage.ingresses[0]!.controller.kind, 'openshift');
    assert.match(byImage.ingresses[0]!.controller.why, /OpenShift's internal registry/);
    // no sign of OpenShift: the cluster's default class, unknown
    const plain = edgesFor({ 'k8s/app.yaml': web('shop:1'), 'k8s/ingress.yaml': ing('') });
    assert.equal(plain.ingresses[0]!.controller.kind, 'unknown');
    // another class: its controller's, not OpenShift's
    const other = edgesFor({
      'k8s/app.yaml': web('image-registry.openshift-image-registry.svc:5000/shop/web:latest'),
      'k8s/ingress.yaml': ing('  ingressClassName: traefik\n'),
    });
    assert.equal(other.ingresses[0]!.controller.kind, 'traefik');
    // an IngressClass whose controller is openshift.io/ingress-to-route
    const byClass = edgesFor({
      'k8s/app.yaml': web('shop:1'),
      'k8s/ingress.yaml': ing('  ingressClassName: openshift-default\n'),
      'k8s/class.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: openshift-default}\nspec: {controller: openshift.io/ingress-to-route}\n',
    });
    assert.equal(byClass.ingresses[0]!.controller.kind, 'openshift');
    assert.equal(byClass.ingresses[0]!.controller.presumed, undefined);
  });
});
