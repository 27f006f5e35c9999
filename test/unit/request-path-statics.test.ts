// Who serves /static (models/requestPath/statics.ts): the URL path files under STATIC_URL are
// requested at, as a hop's URL prefix or a WSGI wrapper sees it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { staticPath } from '../../server/src/analysis/models/requestPath/statics';

describe('the path of STATIC_URL', () => {
  it('is absolute, with one trailing slash, under the script root for a relative STATIC_URL', () => {
    assert.equal(staticPath('static/'), '/static/');
    assert.equal(staticPath('/static/'), '/static/');
    assert.equal(staticPath('/assets'), '/assets/');
  });
  it('is none for a STATIC_URL on another host: nothing in front of the app serves it', () => {
    assert.equal(staticPath('https://cdn.example.com/static/'), undefined);
    assert.equal(staticPath('//cdn.example.com/static/'), undefined);
  });
});
