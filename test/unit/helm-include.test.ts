// Named templates of a chart rendered where a template includes them (helmRender.ts), and a
// container's env written by such a template read as the deployment's variables (manifests.ts):
// the settings module it names chosen, a variable it sets from a Secret known to be set.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { deploymentVariables, readProcesses } from '../../server/src/analysis/models/process/index';
import { collectDefines, renderHelm, type ValuesSource } from '../../server/src/analysis/readers/kubernetes/helmRender';
import { parseYamlDocuments, type YamlNode } from '../../server/src/analysis/readers/yaml';

function valuesFrom(text: string): ValuesSource {
  const root = parseYamlDocuments('/c/values.yaml', text).documents[0];
  return {
    described: 'values.yaml',
    lookup(path) {
      let n: YamlNode | undefined = root;
      for (const k of path) {
        if (n?.kind !== 'map') return 'absent';
        const e: { value?: YamlNode } | undefined = n.entries.find((x) => x.key.value === k);
        if (!e) return 'absent';
        n = e.value;
      }
      return { node: n };
    },
  };
}

const HELPERS = [
  '{{- define "web.vars" -}}',
  '- name: MODE',
  '  value: {{ .Values.mode | quote }}',
  '{{- range $k, $v := .Values.extra }}',
  '- name: {{ $k }}',
  '  value: {{ $v | quote }}',
  '{{- end }}',
  '{{- end }}',
  '{{- define "web.loop" -}}{{ include "web.loop" . }}{{- end }}',
  '{{- define "web.maybe" -}}',
  '{{- if .Values.unset }}',
  '- name: X',
  '  value: "1"',
  '{{- end }}',
  '{{- end }}',
  '{{- define "web.dollar" -}}{{ $.A }}{{- end }}',
  '{{- define "web.part" -}}',
  '- name: KEY',
  '  valueFrom:',
  '    secretKeyRef: {name: s, key: k}',
  '{{- if .Values.unset }}',
  '- name: X',
  '  value: "1"',
  '{{- end }}',
  '{{- end }}',
  '',
].join('\n');

describe('Helm: a named template of the chart rendered where it is included', () => {
  const defines = collectDefines([{ file: '/c/templates/_helpers.tpl', text: HELPERS }]);
  const values = valuesFrom('mode: live\nextra:\n  B: two\n  A: one\n');

  it('renders the define with the dot it is given, through nindent, its text placed in the helper file', () => {
    const t = 'env:\n  {{- include "web.vars" . | nindent 2 }}\n';
    const r = renderHelm('/c/templates/deploy.yaml', t, values, defines);
    assert.equal(r.text, 'env:\n  - name: MODE\n    value: "live"\n  - name: A\n    value: "one"\n  - name: B\n    value: "two"\n');
    const at = r.text.indexOf('MODE');
    const loc = r.place(at, at + 4);
    assert.equal(loc.file, '/c/templates/_helpers.tpl');
    assert.equal(HELPERS.slice(loc.start, loc.end), 'MODE');
    // `template` is the same call
    const t2 = renderHelm('/c/templates/d.yaml', 'x: {{ template "web.dollar" .Values.extra }}\n', values, defines);
    assert.equal(t2.text, 'x: one\n', '$ inside the define is the argument it is given');
  });

  it('stays unknown when the chart does not define it, when it includes itself, or when a condition in it is not decided', () => {
    const r = renderHelm('/c/templates/d.yaml', 'a: {{ include "lib.name" . }}\nb: {{ include "web.loop" . }}\n', values, defines);
    assert.equal(r.text, 'a: ⟨include_lib.name_.⟩\nb: ⟨include_web.loop_.⟩\n');
    const m = renderHelm('/c/templates/d.yaml', 'env:\n  {{- include "web.maybe" . | nindent 2 }}\n', values, defines);
    assert.equal(m.text, 'env:\n  ⟨include_web.maybe_.⟩: ""\n  \n');
    // without the chart's defines (a template read alone), as before
    const alone = renderHelm('/c/templates/d.yaml', 'a: {{ include "web.dollar" . }}\n', values);
    assert.equal(alone.text, 'a: ⟨include_web.dollar_.⟩\n');
  });

  it('renders a define whose condition the values do not decide, the part it holds marked maybe', () => {
    const r = renderHelm('/c/templates/d.yaml', 'env:\n  {{- include "web.part" . | nindent 2 }}\n', values, defines);
    assert.equal(r.text, 'env:\n  - name: KEY\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n  - name: X\n    value: "1"\n');
    assert.equal(r.maybe(r.text.indexOf('KEY')), undefined);
    assert.match(r.maybe(r.text.indexOf('- name: X')) ?? '', /^the named template web\.part writes it only when \.Values\.unset/);
    // (a one-line text with a maybe part stays unknown: a name, compared as a whole)
    const d = collectDefines([{ file: '/c/_h.tpl', text: '{{- define "n" -}}app{{ if .Values.unset }}-x{{ end }}{{- end }}' }]);
    assert.equal(renderHelm('/c/d.yaml', 'a: {{ include "n" . }}\n', values, d).text, 'a: ⟨include_n_.⟩\n');
  });

  it('leaves out a name two files define differently', () => {
    const d = collectDefines([
      { file: '/c/templates/_a.tpl', text: '{{- define "x" -}}one{{- end }}' },
      { file: '/c/templates/_b.tpl', text: '{{- define "x" -}}two{{- end }}' },
    ]);
    assert.equal(d.has('x'), false);
  });
});

describe("Helm: a container's env written by a named template of the chart", () => {
  before(async () => {
    await loadParser();
  });
  const files = (valuesYaml: string): Record<string, string> => ({
    'manage.py': '',
    'mysite/__init__.py': '',
    'mysite/settings/__init__.py': '',
    'mysite/settings/base.py':
      'import os\nSECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "k3x9-plain-fallback-key-0a7c2e41b9d8f6")\nALLOWED_HOSTS = ["shop.example.org"]\n',
    'mysite/settings/dev.py': 'from .base import *\nDEBUG = True\n',
    'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n',
    'mysite/settings/cluster.py': 'from .base import *\nDEBUG = False\nSECURE_SSL_REDIRECT = True\n',
    'mysite/wsgi.py':
      'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")\napplication = get_wsgi_application()\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
    'chart/values.yaml': valuesYaml,
    'chart/templates/_env.tpl': [
      '{{- define "shop.env" -}}',
      '- name: DJANGO_SETTINGS_MODULE',
      '  value: mysite.settings.cluster',
      '{{- range $name, $data := .Values.envVars }}',
      '- name: {{ $name }}',
      '{{- if $data.value }}',
      '  value: {{ $data.value | quote }}',
      '{{- else if $data.secret }}',
      '  valueFrom:',
      '    secretKeyRef:',
      '      name: {{ $data.secret.name }}',
      '      key: {{ $data.secret.key }}',
      '{{- end }}',
      '{{- end }}',
      '{{- end }}',
      '',
    ].join('\n'),
    'chart/templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}-web',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          command: ["gunicorn", "mysite.wsgi"]',
      '          env:',
      '            {{- include "shop.env" . | nindent 12 }}',
      '',
    ].join('\n'),
  });
  const secretValues =
    'envVars:\n  DJANGO_SECRET_KEY:\n    secret:\n      name: shop-secrets\n      key: secret-key\n  REGION:\n    value: eu\n';

  it('reads the variables it sets: the settings module it names (chosen over production.py), a variable set from a Secret', () => {
    const ws = new Workspace(new MemoryFileSystem(files(secretValues), '/p'), ['/p']);
    const m = readProcesses(ws, ws.projects()[0]!);
    const vars = deploymentVariables(m, 'mysite.settings.cluster', '/p');
    assert.equal(vars.get('DJANGO_SETTINGS_MODULE')?.value, 'mysite.settings.cluster');
    assert.equal(vars.get('REGION')?.value, 'eu');
    const key = vars.get('DJANGO_SECRET_KEY');
    assert.ok(key, 'set by the deployment');
    const web = m.workloads.find((w) => w.source.file === '/p/chart/templates/deployment.yaml')!;
    assert.equal(web.process.unreadEnv, undefined, 'nothing it inserts is left unread');
    const dsm = web.process.env.get('DJANGO_SETTINGS_MODULE')!;
    assert.equal(dsm.nameLoc.file, '/p/chart/templates/_env.tpl', 'placed where the helper writes it');
    assert.match(web.process.env.get('DJANGO_SECRET_KEY')!.from ?? '', /^the Secret shop-secrets \(key secret-key\)$/);

    const a = analyzeWorkspace(ws).projects[0]!;
    assert.equal(a.project.production?.module.name, 'mysite.settings.cluster');
    assert.deepEqual(
      a.findings.filter((f) => f.code === 'DDG320' || f.code === 'DDH101').map((f) => f.code),
      [],
      'the module the deployment names; the fallback key is not production’s',
    );
  });

  it('without the values that write the Secret reference, the fallback key is still reported', () => {
    const ws = new Workspace(new MemoryFileSystem(files('envVars: {}\n'), '/p'), ['/p']);
    const a = analyzeWorkspace(ws).projects[0]!;
    assert.deepEqual(
      a.findings.filter((f) => f.code === 'DDH101').map((f) => f.code),
      ['DDH101'],
    );
    assert.equal(a.project.production?.module.name, 'mysite.settings.cluster');
  });
});
