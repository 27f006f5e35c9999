// OpenShift Routes in front of the app (catalogue/hops.ts OPENSHIFT_ROUTE): read from an OpenShift
// Template's objects (or a plain manifest), tied to the app through their Service, and the hop the
// request path makes of each — TLS at the router for edge and reencrypt, passthrough unknown, plain
// HTTP redirected, refused (None, or no policy) or served (Allow), HSTS only by the hsts_header
// annotation, and unknown where a template parameter decides.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeProject } from '../../server/src/analysis/engine/engine';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { readProcesses } from '../../server/src/analysis/models/process/index';
import type { HopView } from '../../server/src/analysis/models/requestPath/view';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';

const SETTINGS = `import os
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["shop.example.org"]
`;

/** A project whose openshift/web.yaml is a Template with a Deployment running gunicorn, its Service, and `route` (indented as an item of objects). */
function project(route: string, opts: { template?: boolean } = {}): Record<string, string> {
  const objects = `  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels:
          name: web
      template:
        metadata:
          labels:
            name: web
        spec:
          containers:
            - name: web
              image: registry.example/shop/web:1
              command: ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]
  - apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector:
        name: web
      ports:
        - port: 8000
${route}`;
  const web =
    opts.template === false
      ? `apiVersion: v1\nkind: List\nitems:\n${objects}`
      : `apiVersion: template.openshift.io/v1\nkind: Template\nmetadata:\n  name: shop\nparameters:\n  - name: POLICY\nobjects:\n${objects}`;
  return {
    '/p/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    '/p/mysite/__init__.py': '',
    '/p/mysite/settings.py': SETTINGS,
    '/p/mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    '/p/requirements.txt': 'Django==5.2.8\ngunicorn==23.0.0\n',
    '/p/openshift/web.yaml': web,
  };
}

function route(tls: string, extra = '', api = 'route.openshift.io/v1', to = 'web'): string {
  return `  - apiVersion: ${api}
    kind: Route
    metadata:
      name: web${extra}
    spec:
      host: shop.example.org
      to:
        kind: Service
        name: ${to}${tls}
`;
}

const tlsOf = (termination: string, policy?: string): string =>
  `\n      tls:\n        termination: ${termination}${policy ? `\n        insecureEdgeTerminationPolicy: ${policy}` : ''}`;

function hops(files: Record<string, string>): HopView[] {
  const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
  const a = analyzeProject(ws, ws.projects()[0]!);
  return (a.requestPath?.deployments ?? []).flatMap((d) => d.hops);
}

function oneHop(files: Record<string, string>): HopView {
  const found = hops(files);
  assert.equal(found.length, 1, `one hop (${found.map((h) => h.label).join(', ')})`);
  return found[0]!;
}

describe('OpenShift Routes', () => {
  before(async () => {
    await loadParser();
  });

  it('reads a Route of a Template, and of a List, as an edge tied to the app through its Service', () => {
    for (const template of [true, false]) {
      const ws = new Workspace(new MemoryFileSystem(project(route(tlsOf('edge', 'Redirect'), ''), { template }), '/p'), ['/p']);
      const e = readProcesses(ws, ws.projects()[0]!).edges;
      assert.equal(e.openShiftRoutes.length, 1);
      const r = e.openShiftRoutes[0]!;
      assert.equal(r.name?.text, 'web');
      assert.equal(r.tie.state, 'app', r.tie.why);
      assert.equal(r.tls?.termination?.text, 'edge');
      assert.equal(r.tls?.insecurePolicy?.text, 'Redirect');
    }
  });

  it('an edge Route that redirects: TLS ends at the router, plain HTTP redirected, no HSTS without the annotation', () => {
    const h = oneHop(project(route(tlsOf('edge', 'Redirect'))));
    assert.match(h.label, /^the OpenShift Route web \((p\/)?openshift\/web\.yaml\)$/);
    assert.equal(h.tls.state, 'yes');
    assert.equal(h.does['https-redirect'].state, 'yes');
    assert.equal(h.does.hsts.state, 'no');
    assert.equal(h.does['access-log'].state, 'unknown');
  });

  it('the group-less v1 API of OpenShift 3 templates, reencrypt, and no policy: plain HTTP is not served (None)', () => {
    const h = oneHop(project(route(tlsOf('reencrypt'), '', 'v1')));
    assert.equal(h.tls.state, 'yes');
    assert.equal(h.does['https-redirect'].state, 'yes');
    assert.match(h.does['https-redirect'].text, /None, its documented default/);
  });

  it('Allow serves plain HTTP as well; the hsts_header annotation sends HSTS, one without max-age does not', () => {
    const allow = oneHop(
      project(route(tlsOf('edge', 'Allow'), '\n      annotations:\n        haproxy.router.openshift.io/hsts_header: max-age=31536000')),
    );
    assert.equal(allow.does['https-redirect'].state, 'no');
    assert.equal(allow.does.hsts.state, 'yes');
    const bare = oneHop(project(route(tlsOf('edge'), '\n      annotations:\n        haproxy.router.openshift.io/hsts_header: preload')));
    assert.equal(bare.does.hsts.state, 'no');
  });

  it('passthrough: TLS is the pod’s (unknown), no header from the router; no tls: plain HTTP only', () => {
    const pass = oneHop(project(route(tlsOf('passthrough'))));
    assert.equal(pass.tls.state, 'unknown');
    assert.equal(pass.does['https-redirect'].state, 'yes');
    assert.equal(pass.does.hsts.state, 'no');
    const plain = oneHop(project(route('')));
    assert.equal(plain.tls.state, 'no');
    assert.equal(plain.does['https-redirect'].state, 'no');
  });

  it('a policy a template parameter fills in is unknown; a Route to a Service of something else is no hop of the app', () => {
    const param = oneHop(project(route(tlsOf('edge', '${POLICY}'))));
    assert.equal(param.does['https-redirect'].state, 'unknown');
    assert.match(param.does['https-redirect'].text, /template parameter/);
    assert.deepEqual(hops(project(route(tlsOf('edge', 'Redirect'), '', 'route.openshift.io/v1', 'frontend'))), []);
  });
});
