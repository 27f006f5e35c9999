// The project model on real repository shapes (issue 15): settings chosen by the environment, the
// module a process actually serves, settings outside the analysed folder, one project counted once,
// process files anywhere in the repository, and the project summary.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { NodeFileSystem } from '../../server/src/analysis/project/fs';
import { Workspace } from '../../server/src/analysis/workspace';
import { FIXTURES } from '../helpers/paths';
import { projectsOf, readFolder } from './evalHarness';

before(async () => {
  await loadParser();
});

const dir = (name: string): string => path.join(FIXTURES, 'projects', name);

function projectsIn(name: string, sub = ''): ReturnType<Workspace['projects']> {
  const ws = new Workspace(new NodeFileSystem(), [path.join(dir(name), sub)]);
  return ws.projects();
}

describe('the module a production process serves (item 2)', () => {
  it('gunicorn pkg.prod_wsgi:application selects the settings prod_wsgi.py sets, not the ones wsgi.py names', () => {
    const [p] = projectsIn('model-served-app');
    assert.equal(p!.production?.module.name, 'shop.settings.eu');
    assert.equal(p!.production?.reason, 'named by prod_wsgi.py:6 (DJANGO_SETTINGS_MODULE), the app that Procfile (web):2 serves');
  });

  it('an environment the deployment sets wins over the served module’s setdefault(); its assignment wins over everything', () => {
    const files = readFolder(dir('model-served-app'));
    const setdefault = { ...files, 'shop/prod_wsgi.py': files['shop/prod_wsgi.py']!.replace('os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings.eu"', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.eu")') };
    assert.equal(projectsOf(setdefault)[0]!.production?.module.name, 'shop.settings.eu');
    const withEnv = { ...setdefault, Procfile: 'web: DJANGO_SETTINGS_MODULE=shop.settings.production gunicorn shop.prod_wsgi:application\n' };
    assert.equal(projectsOf(withEnv)[0]!.production?.module.name, 'shop.settings.production');
    const assigned = { ...files, Procfile: 'web: DJANGO_SETTINGS_MODULE=shop.settings.production gunicorn shop.prod_wsgi:application\n' };
    assert.equal(projectsOf(assigned)[0]!.production?.module.name, 'shop.settings.eu');
  });

  it('a development process serving another app does not count', () => {
    const files = readFolder(dir('model-served-app'));
    const dev = { ...files, Procfile: 'web: gunicorn shop.wsgi\n', 'Procfile.dev': 'web: gunicorn shop.prod_wsgi:application --reload\n' };
    assert.equal(projectsOf(dev)[0]!.production?.module.name, 'shop.settings.production', 'wsgi.py default, extended by production.py');
  });
});

describe('one project, counted once (item 4)', () => {
  it('a manage.py inside a package the repository’s project imports is not a second project', () => {
    const projects = projectsIn('model-nested-manage');
    assert.deepEqual(
      projects.map((p) => [path.relative(dir('model-nested-manage'), p.root) || '.', p.production?.module.name]),
      [['.', 'corepkg.app.settings']],
    );
  });

  it('a nested manage.py outside any package is still its own project', () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_a.settings")\n',
      'site_a/__init__.py': '',
      'site_a/settings.py': 'DEBUG = False\n',
      'tools/site_b/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_b.settings")\n',
      'tools/site_b/site_b/__init__.py': '',
      'tools/site_b/site_b/settings.py': 'DEBUG = False\n',
    };
    assert.deepEqual(projectsOf(files).map((p) => p.production?.module.name).sort(), ['site_a.settings', 'site_b.settings']);
  });
});
