// The host names a Traefik router's rule lets through (models/requestPath/path.ts traefikRuleHosts):
// DDH202 says a wildcard ALLOWED_HOSTS at information only when every alternative requires a Host.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { traefikRuleHosts } from '../../server/src/analysis/models/requestPath/path';

describe("a Traefik rule's host names", () => {
  it('are those of Host(…) and HostHeader(…), in every alternative', () => {
    assert.deepEqual(traefikRuleHosts('Host(`shop.example.org`)'), ['`shop.example.org`']);
    assert.deepEqual(traefikRuleHosts('Host(`${SITE_HOST}`)'), ['`${SITE_HOST}`']);
    assert.deepEqual(traefikRuleHosts('Host(`a.example`, `b.example`) && PathPrefix(`/api`)'), ['`a.example`', '`b.example`']);
    assert.deepEqual(traefikRuleHosts('Host(`a.example`) || HostHeader(`b.example`)'), ['`a.example`', '`b.example`']);
  });
  it('are those of a non-negated Host(…) whatever negated matchers narrow its alternative', () => {
    assert.deepEqual(traefikRuleHosts('Host(`${HOST}`) && !PathPrefix(`/static/`) && !PathPrefix(`/flower`)'), ['`${HOST}`']);
    assert.deepEqual(traefikRuleHosts('!PathPrefix(`/admin`) && Host(`a.example`)'), ['`a.example`']);
    assert.deepEqual(traefikRuleHosts('Host(`a.example`) && !Host(`b.example`)'), ['`a.example`']);
  });
  it('are none when an alternative may match another host', () => {
    assert.equal(traefikRuleHosts('PathPrefix(`/`)'), undefined);
    assert.equal(traefikRuleHosts('Host(`a.example`) || PathPrefix(`/api`)'), undefined);
    assert.equal(traefikRuleHosts('!Host(`a.example`)'), undefined);
    assert.equal(traefikRuleHosts('!Host(`a.example`) && PathPrefix(`/api`)'), undefined);
    assert.equal(traefikRuleHosts('Host(`a.example`) || !PathPrefix(`/api`)'), undefined);
    assert.equal(traefikRuleHosts('!(Host(`a.example`) && Path(`/x`))'), undefined);
    assert.equal(traefikRuleHosts('HostRegexp(`{any:.+}`)'), undefined);
    assert.equal(traefikRuleHosts('(Host(`a.example`) || Path(`/x`)) && Method(`GET`)'), undefined);
    assert.equal(traefikRuleHosts('Host()'), undefined);
  });
});
