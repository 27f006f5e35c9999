// Granian as an app server (issue 19.5): the module a granian process serves chooses the production
// settings, as it does for gunicorn and uvicorn.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { FIXTURES } from '../helpers/paths';
import { projectsOf, readFolder } from './evalHarness';

before(async () => {
  await loadParser();
});

describe('granian', () => {
  it('the app a production granian serves selects the settings that module names', () => {
    const files = readFolder(path.join(FIXTURES, 'projects', 'model-served-app'));
    const granian = { ...files, Procfile: 'web: granian --interface wsgi shop.prod_wsgi:application --host 0.0.0.0 --port $PORT\n' };
    const [p] = projectsOf(granian);
    assert.equal(p!.production?.module.name, 'shop.settings.eu');
    assert.match(p!.production?.reason ?? '', /the app that Procfile:1 serves/);
  });
});
