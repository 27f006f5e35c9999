// Programs that generate production's Kubernetes manifests (readers/kubernetes/manifestGenerators.ts,
// models/process/passes/generatedDeployment.ts): which files are taken for one, which tool, what
// command their containers are shown to run, and when committed manifests make them moot.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { readProcesses, type ProcessModel } from '../../server/src/analysis/models/process/index';
import { isPlaceholder } from '../../server/src/analysis/secrets/placeholders';

const APP: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': 'import os\nSECRET_KEY = os.environ["K"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'requirements.txt': 'Django==5.2.8\ngunicorn==23.0.0\n',
  Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
};

function model(files: Record<string, string>): ProcessModel {
  const ws = new Workspace(new MemoryFileSystem({ ...APP, ...files }, '/p'), ['/p']);
  return readProcesses(ws, ws.projects()[0]!);
}

const PROGRAM =
  'const env = [{ name: "SECRET_KEY", valueFrom: { secretKeyRef: { name: "app", key: "secretKey" } } }];\n' +
  'const web = { kind: "Deployment", spec: { template: { spec: { containers: [{ image: "app", ARGS env }] } } } };\n' +
  'console.log(JSON.stringify(web));\n';

describe('programs generating production’s Kubernetes manifests', () => {
  it('takes a program of the project in a kubernetes/ folder building a workload with an environment', () => {
    const m = model({ 'kubernetes/manifest.mts': PROGRAM.replace('ARGS', '') });
    assert.deepEqual(
      m.generated.map((g) => [g.shown, g.generator.tool.id, g.serves?.field]),
      [['kubernetes/manifest.mts', 'program', undefined]],
    );
    // (the image's CMD stays production's: the generated Deployment may pass its own)
    assert.ok(m.invocations.some((i) => i.server === 'runserver' && i.source.production));
  });

  it('sets the image’s CMD aside where the program gives a container args starting an app server', () => {
    const m = model({ 'k8s/main.ts': PROGRAM.replace('ARGS', 'args: ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"],') });
    assert.equal(m.generated[0]?.serves?.words[0], 'gunicorn');
    const rs = m.invocations.find((i) => i.server === 'runserver');
    assert.equal(rs?.source.production, false);
    assert.match(rs?.source.replacedBy ?? '', /k8s\/main\.ts generates passes `args: \[gunicorn/);
  });

  it('tells cdk8s, Pulumi and Tanka programs by their imports or file', () => {
    const cdk8s = model({
      'deploy/main.py':
        'from cdk8s import App, Chart\nfrom imports import k8s\nk8s.KubeDeployment(chart, "web", spec=k8s.DeploymentSpec())\n',
    });
    assert.equal(cdk8s.generated[0]?.generator.tool.id, 'cdk8s');
    const pulumi = model({
      'infra/index.ts': 'import * as k8s from "@pulumi/kubernetes";\nnew k8s.apps.v1.Deployment("web", { spec: {} });\n',
    });
    assert.equal(pulumi.generated[0]?.generator.tool.id, 'pulumi-kubernetes');
    const tanka = model({
      'environments/prod/main.jsonnet': "local k = import 'k.libsonnet';\n{ web: k.apps.v1.deployment.new('web', 1, []) }\n",
    });
    assert.equal(tanka.generated[0]?.generator.tool.id, 'tanka');
  });

  it('takes none in a development folder, none that builds no workload, and none beside production manifests it reads', () => {
    assert.deepEqual(model({ 'kubernetes/dev/manifest.mts': PROGRAM.replace('ARGS', '') }).generated, []);
    assert.deepEqual(model({ 'kubernetes/config.ts': 'export const replicas = 2;\n' }).generated, []);
    const committed =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: app\n';
    assert.deepEqual(model({ 'kubernetes/manifest.mts': PROGRAM.replace('ARGS', ''), 'kubernetes/web.yaml': committed }).generated, []);
  });
});

describe('values that say of themselves they are no secret', () => {
  it('are placeholders: *_insecure_*, insecure-…, dev-only; not Django’s generated django-insecure- key', () => {
    for (const v of ['app_insecure_client_secret', 'insecure-dev-key', 'dev-only-token', 'development_only', 'not-a-secret'])
      assert.ok(isPlaceholder(v), v);
    for (const v of ['django-insecure-8f#k2l!q0z@x7m3v1c9b5n4', 'securely-stored', 'q8Zr2vLw5insecurely']) assert.ok(!isPlaceholder(v), v);
  });
});
