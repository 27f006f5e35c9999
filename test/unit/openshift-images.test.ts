// OpenShift BuildConfigs and image triggers (readers/kubernetes/openshiftImages.ts): what a
// BuildConfig builds from which Dockerfile into which image stream, the image stream a
// DeploymentConfig's ImageChange trigger (or a Deployment's image.openshift.io/triggers annotation)
// gives a container, and the tie the process model makes of them: a container runs the image built
// from the Dockerfile a BuildConfig of the repository builds into its image stream; another
// Dockerfile's image, or an image stream none builds, is not the app's.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeProject } from '../../server/src/analysis/engine/engine';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { readProcesses } from '../../server/src/analysis/models/process/index';
import { readManifest } from '../../server/src/analysis/readers/kubernetes/manifests';
import { imageStreamMatch, imageStreamName, readBuildConfigs } from '../../server/src/analysis/readers/kubernetes/openshiftImages';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';

const BUILDS = `apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: builds
parameters:
  - name: NAME
    value: shop
objects:
  - apiVersion: build.openshift.io/v1
    kind: BuildConfig
    metadata:
      name: \${NAME}-api
    spec:
      source:
        contextDir: api
      strategy:
        dockerStrategy: {}
      output:
        to:
          kind: ImageStreamTag
          name: \${NAME}-api:latest
  - apiVersion: build.openshift.io/v1
    kind: BuildConfig
    metadata:
      name: \${NAME}-web
    spec:
      source:
        contextDir: web
      strategy:
        dockerStrategy:
          dockerfilePath: docker/Dockerfile.prod
      output:
        to:
          kind: ImageStreamTag
          name: \${NAME}-web:latest
  - apiVersion: build.openshift.io/v1
    kind: BuildConfig
    metadata:
      name: s2i
    spec:
      strategy:
        sourceStrategy:
          from:
            kind: ImageStreamTag
            name: python:3.12
      output:
        to:
          kind: ImageStreamTag
          name: s2i:latest
`;

function dc(name: string, stream: string): string {
  return `  - apiVersion: apps.openshift.io/v1
    kind: DeploymentConfig
    metadata:
      name: ${name}
    spec:
      selector:
        name: ${name}
      triggers:
        - type: ImageChange
          imageChangeParams:
            containerNames: [${name}]
            from:
              kind: ImageStreamTag
              name: ${stream}
      template:
        metadata:
          labels:
            name: ${name}
        spec:
          containers:
            - name: ${name}
              image: " "
`;
}

const DEPLOY = `apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: deploy
parameters:
  - name: NAME
    value: shop
objects:
${dc('api', '${NAME}-api:${TAG}')}${dc('web', '${NAME}-web:latest')}${dc('backup', 'backup-container:2.0')}`;

function project(withBuilds: boolean): Record<string, string> {
  return {
    '/api/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    '/api/mysite/__init__.py': '',
    '/api/mysite/settings.py': 'DEBUG = False\nALLOWED_HOSTS = ["shop.example.org"]\n',
    '/api/mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    '/api/requirements.txt': 'Django==5.2.8\ngunicorn==23.0.0\n',
    '/api/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD ["gunicorn", "mysite.wsgi", "--bind=0.0.0.0:8000"]\n',
    '/web/docker/Dockerfile.prod': 'FROM nginx:1.27\nCOPY build /usr/share/nginx/html\n',
    '/openshift/deploy.yaml': DEPLOY,
    ...(withBuilds ? { '/openshift/builds.yaml': BUILDS } : {}),
  };
}

/** The deployments the request path finds running the app. */
function deployments(files: Record<string, string>): string[] {
  const ws = new Workspace(new MemoryFileSystem(files, '/r'), ['/r']);
  const p = ws.projects()[0]!;
  const a = analyzeProject(ws, p);
  return (a.requestPath?.deployments ?? []).map((d) => d.label);
}

describe('OpenShift BuildConfigs and image triggers', () => {
  before(async () => {
    await loadParser();
  });

  it('reads a BuildConfig: its Dockerfile in contextDir (Dockerfile unless dockerfilePath), its output, S2I without a Dockerfile', () => {
    const b = readBuildConfigs('/r/openshift/builds.yaml', BUILDS, '/r');
    assert.equal(b.length, 3);
    assert.equal(b[0]!.strategy, 'docker');
    assert.equal(b[0]!.dockerfile, '/r/api/Dockerfile');
    assert.equal(b[0]!.output?.name, '${NAME}-api:latest');
    assert.equal(b[0]!.output?.processed, 'shop-api:latest');
    assert.equal(b[1]!.dockerfile, '/r/web/docker/Dockerfile.prod');
    assert.equal(b[2]!.strategy, 'source');
    assert.equal(b[2]!.dockerfile, undefined);
  });

  it('an image stream name leaves its tag and digest aside, and a registry port', () => {
    assert.equal(imageStreamName('${NAME}-api:${VERSION}'), '${NAME}-api');
    assert.equal(imageStreamName('shop@sha256:abc'), 'shop');
    assert.equal(imageStreamName('registry:5000/ns/shop:1'), 'registry:5000/ns/shop');
  });

  it('an image stream a parameter or a chart value names may be one written out, when its literal parts agree', () => {
    const ref = (name: string, processed?: string) => ({
      kind: 'ImageStreamTag',
      name,
      ...(processed ? { processed } : {}),
      loc: { file: '', start: 0, end: 0 },
    });
    assert.equal(imageStreamMatch(ref('${NAME}-api:latest'), ref('${NAME}-api:${TAG}')), 'yes');
    assert.equal(imageStreamMatch(ref('${NAME}-api:1', 'shop-api:1'), ref('shop-api:2')), 'yes');
    assert.equal(imageStreamMatch(ref('${NAME}-api:1'), ref('shop-api:{{ .Values.tag }}')), 'maybe');
    assert.equal(imageStreamMatch(ref('${NAME}-api:1'), ref('backup-container:2')), 'no');
    assert.equal(imageStreamMatch(ref('${NAME}-api'), ref('${APP}-web')), 'no');
  });

  it("reads a DeploymentConfig's ImageChange trigger and a Deployment's image.openshift.io/triggers annotation per container", () => {
    const dcs = readManifest('/r/openshift/deploy.yaml', DEPLOY).processes;
    assert.deepEqual(
      dcs.map((p) => [p.container, p.imageStream?.name, p.imageStream?.processed, p.image]),
      [
        ['api', '${NAME}-api:${TAG}', 'shop-api:${TAG}', undefined],
        ['web', '${NAME}-web:latest', 'shop-web:latest', undefined],
        ['backup', 'backup-container:2.0', undefined, undefined],
      ],
    );
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"app:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}]'
spec:
  template:
    spec:
      containers:
        - name: web
          image: app
        - name: side
          image: busybox
`;
    const ps = readManifest('/r/k8s/app.yaml', deployment).processes;
    assert.equal(ps[0]!.imageStream?.name, 'app:latest');
    assert.equal(ps[1]!.imageStream, undefined);
  });

  it("ties the app only to the container whose trigger's image stream a BuildConfig builds from its Dockerfile", () => {
    const tied = deployments(project(true));
    assert.equal(tied.length, 1, tied.join('; '));
    // the frontend runs the image of its own Dockerfile; the backup an image stream no BuildConfig builds
    const ws = new Workspace(new MemoryFileSystem(project(true), '/r'), ['/r']);
    const ws2 = readProcesses(ws, ws.projects()[0]!).workloads;
    assert.deepEqual(
      ws2.map((w) => [w.process.container, w.process.dockerfile?.file, !!w.process.otherImage]),
      [
        ['api', '/r/api/Dockerfile', false],
        ['web', '/r/web/docker/Dockerfile.prod', false],
        ['backup', undefined, true],
      ],
    );
    assert.match(tied[0]!, /DeploymentConfig api/);
  });

  it('without BuildConfigs, every container with an image of no name is presumed to run the app, as before', () => {
    const tied = deployments(project(false));
    assert.equal(tied.length, 3, tied.join('; '));
  });
});
