// schemeOverwrite (models/requestPath/scheme.ts): where an nginx listening on plain HTTP sets
// X-Forwarded-Proto to its own $scheme, as nginx inherits proxy_set_header (a level with any of its
// own replaces the outer level's), and the nginx values a ConfigMap holds (configMapNginx).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schemeOverwrite } from '../../server/src/analysis/models/requestPath/scheme';
import { configMapNginx } from '../../server/src/analysis/readers/kubernetes/configMapNginx';
import { parseNginx } from '../../server/src/analysis/readers/proxy/nginx';

const over = (text: string) => schemeOverwrite([parseNginx('/x/default.conf', text)]);

describe('schemeOverwrite', () => {
  it('finds $scheme set in the proxying location of a plain-HTTP server', () => {
    const r = over('server { listen 80; location / { proxy_pass http://app:8000; proxy_set_header X-Forwarded-Proto $scheme; } }');
    assert.equal(r?.value, '$scheme');
  });
  it('takes the server level when the location sets no header of its own', () => {
    assert.ok(over('server { listen 80; proxy_set_header X-Forwarded-Proto $scheme; location / { proxy_pass http://app:8000; } }'));
  });
  it("a location's own headers replace the server's", () => {
    const text =
      'server { listen 80; proxy_set_header X-Forwarded-Proto $scheme; location / { proxy_pass http://app:8000; proxy_set_header Host $host; } }';
    assert.equal(over(text), undefined);
  });
  it('passes on the outer value, listens with TLS, or includes a file: none', () => {
    assert.equal(
      over('server { listen 80; location / { proxy_pass http://app:8000; proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto; } }'),
      undefined,
    );
    assert.equal(
      over('server { listen 443 ssl; location / { proxy_pass http://app:8000; proxy_set_header X-Forwarded-Proto $scheme; } }'),
      undefined,
    );
    assert.equal(over('server { listen 80; location / { include proxy_params; proxy_pass http://app:8000; } }'), undefined);
  });
  it('finds it in a nested location and inside http', () => {
    assert.ok(
      over(
        'http { server { listen 80; location / { location /api/ { proxy_pass http://app:8000; proxy_set_header X-Forwarded-Proto $scheme; } } } }',
      ),
    );
  });
});

describe('configMapNginx', () => {
  it('reads the nginx values of the ConfigMap named, not another', () => {
    const yaml = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: other',
      'data:',
      '  a.conf: |',
      '    server { listen 80; }',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: web-nginx',
      'data:',
      '  APP_ENV: production',
      '  default.conf: |',
      '    server {',
      '        listen 80;',
      '        location / { proxy_pass http://web:8000; proxy_set_header X-Forwarded-Proto $scheme; }',
      '    }',
      '',
    ].join('\n');
    const files = configMapNginx('/k8s/nginx.yaml', yaml, 'web-nginx');
    assert.equal(files.length, 1);
    assert.equal(files[0]!.file, '/k8s/nginx.yaml#default.conf');
    assert.ok(schemeOverwrite(files));
  });
});
