// The project model on real repository shapes (issue 15): settings chosen by the environment, the
// module a process actually serves, settings outside the analysed folder, one project counted once,
// process files anywhere in the repository, and the project summary.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { repositoryRootAbove } from '../../server/src/analysis/models/project/repository';
import { definesNoSettings } from '../../server/src/analysis/models/project/production';
import { roleByName } from '../../server/src/analysis/models/project/roles';
import { Workspace } from '../../server/src/analysis/engine/workspace';
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
    assert.equal(p!.production?.reason, 'named by shop/prod_wsgi.py:6 (DJANGO_SETTINGS_MODULE), the app that Procfile:2 serves');
  });

  it('an environment the deployment sets wins over the served module’s setdefault(); its assignment wins over everything', () => {
    const files = readFolder(dir('model-served-app'));
    const setdefault = {
      ...files,
      'shop/prod_wsgi.py': files['shop/prod_wsgi.py']!.replace(
        'os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings.eu"',
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.eu")',
      ),
    };
    assert.equal(projectsOf(setdefault)[0]!.production?.module.name, 'shop.settings.eu');
    const withEnv = {
      ...setdefault,
      Procfile: 'web: DJANGO_SETTINGS_MODULE=shop.settings.production gunicorn shop.prod_wsgi:application\n',
    };
    assert.equal(projectsOf(withEnv)[0]!.production?.module.name, 'shop.settings.production');
    const assigned = { ...files, Procfile: 'web: DJANGO_SETTINGS_MODULE=shop.settings.production gunicorn shop.prod_wsgi:application\n' };
    assert.equal(projectsOf(assigned)[0]!.production?.module.name, 'shop.settings.eu');
  });

  it('a task runner’s recipe is no environment of the served app: its setdefault() stays (fresh13’s justfile test-e2e)', () => {
    const files = readFolder(dir('model-served-app'));
    const served = {
      ...files,
      'shop/prod_wsgi.py': files['shop/prod_wsgi.py']!.replace(
        'os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings.eu"',
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.eu")',
      ),
    };
    for (const [file, text] of [
      ['justfile', 'browser-tests *ARGS:\n    DJANGO_SETTINGS_MODULE=shop.settings.production uv run pytest tests/browser {{ARGS}}\n'],
      ['Makefile', 'check:\n\tDJANGO_SETTINGS_MODULE=shop.settings.production python manage.py check\n'],
    ] as const)
      assert.equal(projectsOf({ ...served, [file]: text })[0]!.production?.module.name, 'shop.settings.eu', file);
    // an end-to-end test module is a test module by its name
    assert.equal(roleByName('config.settings.e2e'), 'test');
  });

  it('a development process serving another app does not count', () => {
    const files = readFolder(dir('model-served-app'));
    const dev = { ...files, Procfile: 'web: gunicorn shop.wsgi\n', 'Procfile.dev': 'web: gunicorn shop.prod_wsgi:application --reload\n' };
    assert.equal(projectsOf(dev)[0]!.production?.module.name, 'shop.settings.production', 'wsgi.py default, extended by production.py');
  });
});

describe('the app a uWSGI configuration file serves', () => {
  // a uWSGI ini's `module` loads before a `--wsgi-file` beside it (UWSGI_PYTHON_APP_ORDER), so the
  // settings its module names are production's, not those of a module called deploy.settings
  const files: Record<string, string> = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\n',
    'site_app/__init__.py': '',
    'site_app/settings.py': 'SECRET_KEY = "x"\nDEBUG = False\nALLOWED_HOSTS = ["example.org"]\n',
    'site_app/wsgi.py':
      'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\napplication = get_wsgi_application()\n',
    'deploy/__init__.py': '',
    'deploy/settings.py': 'from site_app.settings import *\nDEBUG = True\n',
    'deploy/wsgi.py':
      'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "deploy.settings")\napplication = get_wsgi_application()\n',
    'deploy/uwsgi.ini': '[uwsgi]\nmaster = true\nmodule = site_app.wsgi\nhttp-socket = :8000\n',
    'deploy/server.sh': '#!/bin/sh\nexec uwsgi --ini deploy/uwsgi.ini --wsgi-file deploy/wsgi.py\n',
    Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app/\nCMD ["deploy/server.sh"]\n',
  };

  it('its module names the production settings, over a module whose name says deploy', () => {
    const p = projectsOf(files)[0]!;
    assert.equal(p.production?.module.name, 'site_app.settings');
    assert.match(p.production?.reason ?? '', /the app that deploy\/uwsgi\.ini:3 serves/);
  });

  it('not inside uWSGI’s configuration logic, nor in a development file', () => {
    const logic = { ...files, 'deploy/uwsgi.ini': '[uwsgi]\nif-env = LEGACY\nmodule = site_app.wsgi\nendif =\n' };
    assert.equal(projectsOf(logic)[0]!.production?.module.name, 'deploy.settings');
    const dev = { ...files, 'deploy/uwsgi.ini': '[uwsgi]\n', 'dev/uwsgi.ini': '[uwsgi]\nmodule = site_app.wsgi\n' };
    assert.equal(projectsOf(dev)[0]!.production?.module.name, 'deploy.settings');
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

  it('a manage.py inside a package, with no project around it, gets full module names', () => {
    const files = readFolder(dir('model-nested-manage'));
    delete files['manage.py'];
    const projects = projectsOf(files);
    assert.deepEqual(
      projects.map((p) => [p.root, p.production?.module.name, p.settingsModules.map((m) => m.name)]),
      [['/p', 'corepkg.app.settings', ['corepkg.app.settings']]],
    );
    // a package's manage.py naming its settings by the short name keeps its own folder as the root
    files['corepkg/app/manage.py'] = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n';
    assert.deepEqual(
      projectsOf(files).map((p) => p.root),
      ['/p/corepkg/app'],
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
    assert.deepEqual(
      projectsOf(files)
        .map((p) => p.production?.module.name)
        .sort(),
      ['site_a.settings', 'site_b.settings'],
    );
  });
});

describe('settings chosen by the environment (item 1)', () => {
  const base = (): Record<string, string> => {
    const files = readFolder(dir('model-env-selector'));
    delete files['docker/docker-compose.prod.yml'];
    delete files['docker/django/gunicorn.sh'];
    return files;
  };
  const env = (files: Record<string, string>): [string | undefined, string | undefined, string | undefined] => {
    const p = projectsOf(files)[0]!;
    const e = p.productionEnv?.[0];
    return [e?.name, e?.value, e?.evidence];
  };

  it('the production compose file sets DJANGO_ENV=production; the summary says which evidence chose it', () => {
    const [p] = projectsIn('model-env-selector');
    assert.equal(p!.production?.module.name, 'server.settings');
    assert.deepEqual(
      p!.productionEnv?.map((e) => [e.name, e.value, e.evidence, e.fromDefault]),
      [['DJANGO_ENV', 'production', 'docker/docker-compose.prod.yml:8', false]],
    );
    assert.match(p!.production!.reason, /; DJANGO_ENV=production from docker\/docker-compose\.prod\.yml:8$/);
  });

  it('each kind of evidence, in order; the development compose file is none', () => {
    assert.deepEqual(env({ ...base(), 'docker/django/gunicorn.sh': readFolder(dir('model-env-selector'))['docker/django/gunicorn.sh']! }), [
      'DJANGO_ENV',
      'production',
      'docker/django/gunicorn.sh:5, which refuses other values',
    ]);
    assert.deepEqual(env({ ...base(), Dockerfile: 'FROM python:3.12\nENV DJANGO_ENV=production\n' }), [
      'DJANGO_ENV',
      'production',
      'Dockerfile:2, ENV',
    ]);
    assert.deepEqual(env({ ...base(), Dockerfile: 'FROM python:3.12\nARG DJANGO_ENV=staging\n' }), [
      'DJANGO_ENV',
      'staging',
      'Dockerfile:2, ARG',
    ]);
    assert.deepEqual(env({ ...base(), Procfile: 'web: DJANGO_ENV=production gunicorn server.wsgi\n' }), [
      'DJANGO_ENV',
      'production',
      'Procfile:1, web',
    ]);
    assert.deepEqual(
      env({
        ...base(),
        'deploy/app.service': '[Service]\nEnvironment=DJANGO_ENV=production\nExecStart=/srv/venv/bin/gunicorn server.wsgi\n',
      }),
      ['DJANGO_ENV', 'production', 'deploy/app.service:2, Environment='],
    );
    assert.deepEqual(env({ ...base(), '.env.production': 'DJANGO_ENV=production\n' }), ['DJANGO_ENV', 'production', '.env.production:1']);
    assert.deepEqual(env({ ...base(), 'fly.toml': 'app = "shop"\n\n[env]\n  DJANGO_ENV = "production"\n' }), [
      'DJANGO_ENV',
      'production',
      'fly.toml:4',
    ]);
    assert.deepEqual(env({ ...base(), 'app.json': '{\n  "env": {\n    "DJANGO_ENV": {"value": "production"}\n  }\n}\n' }), [
      'DJANGO_ENV',
      'production',
      'app.json:3',
    ]);
    assert.deepEqual(
      env({ ...base(), 'render.yaml': 'services:\n  - type: web\n    envVars:\n      - key: DJANGO_ENV\n        value: production\n' }),
      ['DJANGO_ENV', 'production', 'render.yaml:4'],
    );
    // the Dockerfile's ENV beats a Procfile; a development compose file is no evidence
    assert.deepEqual(
      env({
        ...base(),
        Dockerfile: 'FROM python:3.12\nENV DJANGO_ENV=production\n',
        Procfile: 'web: DJANGO_ENV=staging gunicorn server.wsgi\n',
      })[1],
      'production',
    );
    assert.deepEqual(env(base()), [
      'DJANGO_ENV',
      'development',
      'the default of server/settings/__init__.py:6; no deployment file sets DJANGO_ENV',
    ]);
  });

  it('import_module(f"…{os.environ.get(...)}") is a selector too; a module without a dynamic load is not', () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/settings/__init__.py':
        "import importlib\nimport os\n\n_mod = importlib.import_module(f\"mysite.settings.{os.environ.get('APP_ENV', 'dev')}\")\nglobals().update({k: getattr(_mod, k) for k in dir(_mod) if k.isupper()})\n",
      'mysite/settings/dev.py': 'DEBUG = True\n',
      'mysite/settings/prod.py': 'DEBUG = False\n',
      Dockerfile: 'FROM python:3.12\nENV APP_ENV=prod\n',
    };
    assert.deepEqual(env(files), ['APP_ENV', 'prod', 'Dockerfile:2, ENV']);
    const plain = {
      ...files,
      'mysite/settings/__init__.py': 'import os\nMODE = os.environ.get("APP_ENV", "dev")\nDEBUG = MODE == "dev"\n',
    };
    assert.equal(projectsOf(plain)[0]!.productionEnv, undefined);
  });
});

describe('one settings module, one project, whatever the package layout (item 4)', () => {
  it('a nested manage.py naming the same settings file is dropped even when the package chain is incomplete', () => {
    const files = readFolder(dir('model-nested-manage'));
    delete files['corepkg/__init__.py'];
    const projects = projectsOf(files);
    assert.deepEqual(
      projects.map((p) => [p.root, p.production?.module.name]),
      [['/p', 'corepkg.app.settings']],
    );
    assert.ok(
      projects[0]!.files.some((f) => f.path === '/p/corepkg/app/wsgi.py'),
      'the dropped project’s files join the one kept',
    );
  });
});

describe('the repository around the analysed folder (items 3 and 5)', () => {
  const repo = dir('model-repo');
  const findings = (sub: string): string[] => {
    const ws = new Workspace(new NodeFileSystem(), [path.join(repo, sub)]);
    return analyzeWorkspace(ws)
      .projects.flatMap((p) => p.findings)
      .map((f) => `${f.code} ${path.relative(repo, f.loc.file)}:${ws.positionAt(f.loc.file, f.loc.start)!.line + 1}`)
      .sort();
  };

  it('a deployment folder holding only production_settings.py: the Dockerfile above names it, its imports resolve through src/', () => {
    const [p, ...rest] = projectsIn('model-repo', 'deployment/docker');
    assert.equal(rest.length, 0);
    assert.equal(p!.root, path.join(repo, 'deployment/docker'));
    assert.equal(p!.repositoryRoot, repo);
    assert.equal(p!.production?.module.name, 'production_settings');
    assert.equal(p!.production?.reason, 'named by ../../Dockerfile:2 (DJANGO_SETTINGS_MODULE)');
    assert.deepEqual(
      p!.sourceRoots.map((r) => [path.relative(repo, r.dir), r.evidence]),
      [['src', 'src/manage.py is there']],
    );
    assert.ok(p!.importRoots.includes(path.join(repo, 'src')));
    const found = findings('deployment/docker');
    assert.ok(found.includes('DDH202 src/shop/settings/__init__.py:5'), `ALLOWED_HOSTS = ["*"] read from src/: ${found.join(', ')}`);
    assert.ok(found.includes('DDG203 docker/provision/start.sh:8'), 'the start script above the folder');
    assert.ok(found.includes('DDG101 docker/files/etc/gunicorn/shop.py:4'), 'the gunicorn config the start script names');
  });

  it('opened on src/: the start script, the gunicorn config and the image that copies src/ in (above it) belong to the project', () => {
    const [p] = projectsIn('model-repo', 'src');
    assert.equal(p!.production?.module.name, 'shop.settings');
    assert.deepEqual(
      p!.files.filter((f) => !f.path.startsWith(path.join(repo, 'src') + path.sep)).map((f) => [path.relative(repo, f.path), f.kind]),
      [
        ['Dockerfile', 'dockerfile'],
        ['docker/files/etc/gunicorn/shop.py', 'gunicorn'],
        ['docker/provision/start.sh', 'shell'],
      ],
    );
    const found = findings('src');
    assert.ok(found.includes('DDG203 docker/provision/start.sh:8'));
    assert.ok(found.includes('DDG101 docker/files/etc/gunicorn/shop.py:4'));
  });

  it('the same findings from the repository root', () => {
    const found = findings('');
    for (const f of [
      'DDH202 src/shop/settings/__init__.py:5',
      'DDG203 docker/provision/start.sh:8',
      'DDG101 docker/files/etc/gunicorn/shop.py:4',
    ])
      assert.ok(found.includes(f), f);
  });

  it('source roots: setup.cfg and pyproject package dirs, sys.path.insert, PYTHONPATH through COPY', () => {
    const roots = (files: Record<string, string>): string[] =>
      projectsOf(files)[0]!.sourceRoots.map((r) => `${path.relative('/p', r.dir)} ${r.evidence}`);
    const site = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n',
      'site_cfg/__init__.py': '',
      'site_cfg/settings.py': 'DEBUG = False\n',
      'lib/pkg/__init__.py': '',
    };
    assert.deepEqual(roots({ ...site, 'setup.cfg': '[options]\npackage_dir =\n    =lib\n' }), ['lib setup.cfg:2 package dir']);
    assert.deepEqual(roots({ ...site, 'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["lib"]\n' }), [
      'lib pyproject.toml:2 package dir',
    ]);
    assert.deepEqual(roots({ ...site, 'pyproject.toml': '[tool.poetry]\npackages = [{ include = "pkg", from = "lib" }]\n' }), [
      'lib pyproject.toml:2 package dir',
    ]);
    assert.deepEqual(
      roots({ ...site, 'manage.py': site['manage.py'] + 'import sys\nsys.path.insert(0, os.path.join(BASE_DIR, "lib"))\n' }),
      ['lib manage.py:4 sys.path'],
    );
    assert.deepEqual(roots({ ...site, Dockerfile: 'FROM python:3.12\nCOPY lib /opt/lib\nENV PYTHONPATH=/opt/lib\n' }), [
      'lib Dockerfile PYTHONPATH',
    ]);
    assert.deepEqual(roots({ ...site, 'src/other/__init__.py': '' }), ['src src/ layout']);
  });
});

describe('the evaluator runs the settings with the selecting variable production sets (item 1)', () => {
  it('model-env-selector: environments/production.py is read, development.py is not', () => {
    const ws = new Workspace(new NodeFileSystem(), [dir('model-env-selector')]);
    const [a] = analyzeWorkspace(ws).projects;
    const files = [...a!.evaluation!.files].map((f) => path.relative(dir('model-env-selector'), f)).sort();
    assert.deepEqual(files, [
      'server/settings/__init__.py',
      'server/settings/components/common.py',
      'server/settings/environments/production.py',
    ]);
    const env = a!.evaluation!.scope.get('_ENV')!.value;
    assert.equal(env.kind === 'str' ? env.v : undefined, 'production');
    assert.equal(env.loc?.file, path.join(dir('model-env-selector'), 'docker/docker-compose.prod.yml'));
    const debug = a!.evaluation!.scope.get('DEBUG')!.value;
    assert.equal(debug.kind === 'bool' ? debug.v : undefined, false);
    assert.ok(!a!.findings.some((f) => f.code === 'DDH509'), 'no debug toolbar in production');
  });

  it('without deployment evidence the code’s default applies (development) and the summary says so', () => {
    const files = readFolder(dir('model-env-selector'));
    delete files['docker/docker-compose.prod.yml'];
    delete files['docker/django/gunicorn.sh'];
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    const [a] = analyzeWorkspace(ws).projects;
    assert.ok([...a!.evaluation!.files].some((f) => f.endsWith('development.py')));
    assert.match(
      a!.project.production!.reason,
      /DJANGO_ENV=development \(the default of server\/settings\/__init__\.py:6; no deployment file sets DJANGO_ENV\)/,
    );
  });
});

describe('one project when the user names the production module (item 4)', () => {
  it('--settings corepkg.app.settings: the nested manage.py is still not a second project', () => {
    const files = readFolder(dir('model-nested-manage'));
    delete files['corepkg/__init__.py'];
    const projects = projectsOf(files, { productionSettingsModule: 'corepkg.app.settings' });
    assert.deepEqual(
      projects.map((p) => [p.root, p.production?.module.name, p.production?.via]),
      [['/p', 'corepkg.app.settings', 'user']],
    );
  });
});

describe('the repository root', () => {
  it('climbs through folders that look like part of a repository and stops at .git; a folder with its own .git is the top; an unmarked parent stops the climb unless a .git holds it, and a folder of tests or examples always does', () => {
    const fs = new MemoryFileSystem(
      {
        Dockerfile: 'FROM python:3.12\n',
        'repo/.git/HEAD': 'ref: refs/heads/main\n',
        'repo/Dockerfile': 'FROM python:3.12\n',
        'repo/app/sub/manage.py': '',
        'repo/app/docker/entrypoint.sh': '',
        'repo/lib/sub/manage.py': '',
        'repo/tests/site/manage.py': '',
        'repo/volumes/site/manage.py': '',
        'plain/inner/manage.py': '',
      },
      '/w',
    );
    assert.equal(repositoryRootAbove(fs, '/w/repo/app/sub'), '/w/repo');
    assert.equal(repositoryRootAbove(fs, '/w/repo'), undefined, 'its own .git: nothing above belongs to it');
    assert.equal(repositoryRootAbove(fs, '/w/repo/lib/sub'), '/w/repo', 'lib/ has no repository files, but the .git above holds it');
    assert.equal(repositoryRootAbove(fs, '/w/repo/tests/site'), undefined, 'a folder of tests keeps its project apart');
    assert.equal(
      repositoryRootAbove(fs, '/w/repo/volumes/site'),
      '/w/repo',
      'a folder compose mounts the project from: the .git above holds it',
    );
    assert.equal(repositoryRootAbove(fs, '/w/plain/inner'), undefined, 'plain/ has no repository files');
  });

  it('climbs through a folder code is kept in (src/, apps/) that has no repository files of its own, never stopping there', () => {
    const fs = new MemoryFileSystem(
      {
        'repo/.git/HEAD': 'ref: refs/heads/main\n',
        'repo/src/__init__.py': '',
        'repo/src/frontend/package.json': '{}',
        'repo/src/backend/manage.py': '',
        'marked/docker-compose.yml': 'services: {}\n',
        'marked/apps/api/manage.py': '',
        'plain/src/inner/manage.py': '',
        'repo/examples/site/manage.py': '',
      },
      '/w',
    );
    assert.equal(repositoryRootAbove(fs, '/w/repo/src/backend'), '/w/repo', 'src/ is climbed through to the .git above');
    assert.equal(repositoryRootAbove(fs, '/w/marked/apps/api'), '/w/marked', 'apps/ is climbed through to the compose file above');
    assert.equal(repositoryRootAbove(fs, '/w/plain/src/inner'), undefined, 'src/ is never the top itself, and plain/ stops the climb');
    assert.equal(repositoryRootAbove(fs, '/w/repo/examples/site'), undefined, 'a folder of examples is still not joined to the repository');
  });

  it('a tree exported without .git: the folder holding .github or .gitlab-ci.yml is the root, and the climb stops there', () => {
    const fs = new MemoryFileSystem(
      {
        Dockerfile: 'FROM python:3.12\n',
        'gh/.github/workflows/deploy.yml': 'on: push\n',
        'gh/k8s/deployment.yaml': 'kind: Deployment\n',
        'gh/app/manage.py': '',
        'gl/.gitlab-ci.yml': 'stages: [build]\n',
        'gl/src/app/manage.py': '',
        'gl/src/Dockerfile': 'FROM python:3.12\n',
        'only/.github/workflows/ci.yml': 'on: push\n',
        'only/manage.py': '',
        'wf/.github': 'a file, not the folder\n',
        'wf/app/manage.py': '',
      },
      '/w',
    );
    assert.equal(repositoryRootAbove(fs, '/w/gh/app'), '/w/gh', 'k8s/ alone is no marker: .github names the root');
    assert.equal(
      repositoryRootAbove(fs, '/w/gl/src/app'),
      '/w/gl',
      'through src/ (a Dockerfile) to the folder with .gitlab-ci.yml, not above it',
    );
    assert.equal(repositoryRootAbove(fs, '/w/only'), undefined, 'its own .github: nothing above belongs to it');
    assert.equal(repositoryRootAbove(fs, '/w/wf/app'), undefined, 'a file named .github is not the folder a forge reads');
  });
});

describe('a Helm chart above the analysed folder', () => {
  it("opened on engine/: the chart's Deployment names the module through a named template, and its values and Chart.yaml come with it", () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'docker-compose.yml': 'services:\n  engine:\n    build: ./engine\n    environment:\n      DJANGO_SETTINGS_MODULE: settings.hobby\n',
      'engine/manage.py': '',
      'engine/settings/__init__.py': '',
      'engine/settings/base.py': 'DEBUG = False\n',
      'engine/settings/hobby.py': 'from .base import *\n',
      'engine/settings/helm.py': 'from .base import *\nALLOWED_HOSTS = ["oncall.example.org"]\n',
      'engine/engine/__init__.py': '',
      'engine/engine/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.base")\n',
      'engine/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD ["gunicorn", "engine.wsgi"]\n',
      'helm/oncall/Chart.yaml': 'apiVersion: v2\nname: oncall\nversion: 1.0.0\n',
      'helm/oncall/values.yaml': 'image:\n  repository: grafana/oncall\n  tag: v1.0.0\n',
      'helm/oncall/templates/_env.tpl':
        '{{- define "snippet.oncall.env" -}}\n- name: DJANGO_SETTINGS_MODULE\n  value: "settings.helm"\n{{- end }}\n',
      'helm/oncall/templates/deployment.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: {{ .Chart.Name }}-engine',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: engine',
        '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
        '          env:',
        '            {{- include "snippet.oncall.env" . | nindent 12 }}',
        '',
      ].join('\n'),
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/engine']);
    const p = ws.projects()[0]!;
    assert.equal(p.production?.module.name, 'settings.helm');
    assert.deepEqual(
      p.files
        .filter((f) => f.path.startsWith('/w/helm/'))
        .map((f) => path.relative('/w', f.path))
        .sort(),
      ['helm/oncall/Chart.yaml', 'helm/oncall/templates/deployment.yaml', 'helm/oncall/values.yaml'],
    );
  });
});

describe('dependency files above the analysed folder', () => {
  it("opened on the project's folder: the repository root's requirements.txt says the Django version, a sibling folder's does not", () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'requirements.txt': 'django==4.2.17\ngunicorn==23.0.0\n',
      'tools/requirements.txt': 'django==5.2\n',
      Dockerfile: 'FROM python:3.12-slim\n',
      'app/manage.py': '',
      'app/shop/__init__.py': '',
      'app/shop/settings.py': 'DEBUG = False\n',
      'app/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/app']);
    const p = ws.projects()[0]!;
    assert.equal(p.djangoVersion.version, '4.2');
    assert.deepEqual(
      p.files.filter((f) => f.kind === 'requirements').map((f) => path.relative('/w', f.path)),
      ['requirements.txt'],
    );
  });

  it('opened on backend/: the requirements the production image installs from the repository root (requirements/production.txt by its ARG default, including base.txt) say the Django version; the development file beside them does not', () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'requirements/base.txt': 'django==5.2.3\n',
      'requirements/production.txt': '-r base.txt\ngunicorn==23.0.0\n',
      'requirements/local.txt': '-r base.txt\ndjango==4.2.1\n',
      'compose/django/Dockerfile':
        'FROM python:3.12-slim\nARG BUILD_ENVIRONMENT=production\nCOPY ./requirements /requirements\nRUN pip install -r /requirements/${BUILD_ENVIRONMENT}.txt\nCOPY ./backend /app\nWORKDIR /app\nCMD ["gunicorn", "config.wsgi:application"]\n',
      'docker-compose.production.yml':
        'services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/django/Dockerfile\n',
      'backend/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n',
      'backend/config/__init__.py': '',
      'backend/config/settings.py': 'DEBUG = False\n',
      'backend/config/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n',
    };
    const p = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/backend']).projects()[0]!;
    assert.equal(p.djangoVersion.version, '5.2');
    assert.equal(p.djangoVersion.exact, '5.2.3');
    assert.equal(p.djangoVersion.assumed, false);
    // a build argument a compose file may pass: what the build installs is not known
    const passed = {
      ...files,
      'docker-compose.production.yml': `${files['docker-compose.production.yml']}      args:\n        BUILD_ENVIRONMENT: local\n`,
    };
    const q = new Workspace(new MemoryFileSystem(passed, '/w'), ['/w/backend']).projects()[0]!;
    assert.notEqual(q.djangoVersion.source.includes('production.txt'), true);
  });
});

describe('an image built above the analysed folder that copies the project in', () => {
  it('opened on buffalogs/: the compose file at the root and the Dockerfile it builds (COPY buffalogs/ …) belong to the project; sibling images do not', () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'docker-compose.yaml':
        'services:\n  web:\n    build:\n      context: .\n      dockerfile: build/Dockerfile\n  ui:\n    build:\n      context: .\n      dockerfile: frontend/Dockerfile\n',
      'build/Dockerfile': 'FROM python:3.12-slim\nCOPY buffalogs/ /opt/app/\nWORKDIR /opt/app\nCMD ["./run.sh"]\n',
      'frontend/Dockerfile': 'FROM node:22\nCOPY frontend/ /ui/\nCMD ["npm", "start"]\n',
      // a piece of the project copied into another image (its JavaScript to build) is not the project
      'assets/Dockerfile': 'FROM node:22\nADD buffalogs/static/js /npm/\n',
      'buffalogs/manage.py': '',
      'buffalogs/run.sh': '#!/bin/bash\npython manage.py migrate\nexec gunicorn buffalogs.wsgi\n',
      'buffalogs/buffalogs/__init__.py': '',
      'buffalogs/buffalogs/settings.py': 'DEBUG = False\n',
      'buffalogs/buffalogs/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalogs.settings")\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/buffalogs']);
    const p = ws.projects()[0]!;
    assert.deepEqual(
      p.files
        .filter((f) => !f.path.startsWith('/w/buffalogs/'))
        .map((f) => path.relative('/w', f.path))
        .sort(),
      ['build/Dockerfile', 'docker-compose.yaml'],
    );
  });
});

describe('a compose file above the analysed folder that runs the image CI publishes', () => {
  it("opened on backend/: the production compose file runs ghcr.io/acme/shop-backend, which the release workflow builds from the project's Dockerfile", () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.github/workflows/release.yml': [
        'on: {push: {tags: ["v*"]}}',
        'jobs:',
        '  release:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          context: .',
        '          file: ./docker/prod/Dockerfile',
        '          push: true',
        '          tags: ghcr.io/acme/shop-backend:${{ github.ref_name }}',
        '',
      ].join('\n'),
      'docker/prod/Dockerfile':
        'FROM python:3.12-slim\nCOPY backend/ /app/\nWORKDIR /app\nCOPY docker/prod/entrypoint /entrypoint\nENTRYPOINT ["/entrypoint"]\n',
      'docker/prod/entrypoint': '#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn shop.wsgi --bind 0.0.0.0:8000\n',
      'docker-compose-prod.yml': [
        'services:',
        '  backend:',
        '    image: ghcr.io/acme/shop-backend:1.4.0',
        '    environment:',
        '      DJANGO_SECRET_KEY: ${SHOP_SECRET_KEY:-Zr8kq2LmV9xWp4TnB6yHc3JdF7gSa1QeU5oRi0EvKlMzNbXw}',
        '  db:',
        '    image: postgres:16',
        '',
      ].join('\n'),
      // an image of another name is not the project's
      'docker-compose-other.yml': 'services:\n  web:\n    image: ghcr.io/acme/other:1\n',
      'backend/manage.py': '',
      'backend/shop/__init__.py': '',
      'backend/shop/settings.py':
        'import os\nDEBUG = False\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nALLOWED_HOSTS = ["shop.example.com"]\n',
      'backend/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/backend']);
    const p = ws.projects()[0]!;
    assert.deepEqual(
      p.files
        .filter((f) => !f.path.startsWith('/w/backend/'))
        .map((f) => path.relative('/w', f.path))
        .sort(),
      ['.github/workflows/release.yml', 'docker-compose-prod.yml', 'docker/prod/Dockerfile', 'docker/prod/entrypoint'],
    );
    const findings = analyzeWorkspace(ws).projects[0]!.findings;
    const shown = findings.map((f) => `${f.code} ${path.relative('/w', f.loc.file)} ${f.message}`);
    // the committed default of the secret, and the migrate its image runs at every start of that service
    assert.ok(
      shown.some((m) => m.startsWith('DDG311 docker-compose-prod.yml')),
      shown.join('\n'),
    );
    assert.ok(
      shown.some((m) => m.startsWith('DDG305 docker/prod/entrypoint') && m.includes('docker-compose-prod.yml (service backend) runs')),
      shown.join('\n'),
    );
  });
});

describe('Kubernetes manifests above the analysed folder that run the image CI publishes', () => {
  it("opened on shop/: k8s/web.yaml runs acme/shop, which a workflow step builds in ./shop (its working-directory); the Ingress beside it is the project's too", () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.github/workflows/build.yml': [
        'on: {push: {branches: [main]}}',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - name: Build',
        '        working-directory: ./shop',
        '        run: |',
        '          docker build -f Dockerfile.prod -t acme/shop:${GITHUB_SHA::7} .',
        '          docker push acme/shop --all-tags',
        '',
      ].join('\n'),
      'k8s/web.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web}',
        'spec:',
        '  replicas: 3',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: acme/shop:IMAGE_TAG',
        '          ports: [{containerPort: 8000}]',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: web}',
        'spec:',
        '  selector: {app: web}',
        '  ports: [{port: 80, targetPort: 8000}]',
        '',
      ].join('\n'),
      'k8s/tls/ingress.yaml': [
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata: {name: web}',
        'spec:',
        '  ingressClassName: nginx',
        '  tls: [{hosts: [shop.example.com], secretName: shop-tls}]',
        '  rules:',
        '    - host: shop.example.com',
        '      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}',
        '',
      ].join('\n'),
      // another app's workload in the same folder runs another image: not the project's
      'k8s/metabase.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: metabase}\nspec:\n  template:\n    spec:\n      containers:\n        - name: metabase\n          image: metabase/metabase:v0.50\n',
      'shop/Dockerfile.prod': 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]\n',
      'shop/manage.py': '',
      'shop/shop/__init__.py': '',
      'shop/shop/settings.py':
        'import os\nDEBUG = False\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nALLOWED_HOSTS = ["shop.example.com"]\n',
      'shop/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/shop']);
    const p = ws.projects()[0]!;
    assert.deepEqual(
      p.files
        .filter((f) => !f.path.startsWith('/w/shop/'))
        .map((f) => path.relative('/w', f.path))
        .sort(),
      // (the repository's only Django project has all its manifests, another app's Deployment too:
      // the process model tells that one apart, as when the repository is opened)
      ['.github/workflows/build.yml', 'k8s/metabase.yaml', 'k8s/tls/ingress.yaml', 'k8s/web.yaml'],
    );
    const findings = analyzeWorkspace(ws).projects[0]!.findings;
    const shown = findings.map((f) => `${f.code} ${f.severity} ${path.relative('/w', f.loc.file)} ${f.message}`);
    // the request path: TLS ends at the Ingress, in front of the Deployment its Service selects
    assert.ok(
      shown.some((m) => m.startsWith('DDX115') && m.includes('TLS ends at Ingress web (../k8s/tls/ingress.yaml)')),
      shown.join('\n'),
    );
    // the Deployment's three replicas are the project's pods (and another app's image is not)
    assert.ok(
      shown.some((m) => m.startsWith('DDG325 warning k8s/web.yaml')),
      shown.join('\n'),
    );
    assert.ok(!shown.some((m) => m.includes('metabase')), shown.join('\n'));
  });
});

describe('a proxy configuration above the analysed folder that a compose file starting the project builds in', () => {
  it('opened on app/: the caddy service builds caddy/, whose Caddyfile template envsubst renders (${WEBSERVER}); the app service builds from the root', () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'docker-compose-prod.yml': [
        'services:',
        '  caddy:',
        '    build: {context: caddy}',
        '    ports: ["80:80", "443:443"]',
        '  web:',
        '    build: {context: ., dockerfile: app/Dockerfile.prod}',
        '    environment:',
        '      DJANGO_SETTINGS_MODULE: shop.settings',
        '  frontend:',
        '    image: nginx:1.27',
        '    volumes: ["./frontend/nginx:/etc/nginx/conf.d:ro"]',
        '',
      ].join('\n'),
      // the front end's own web server: it serves files and hands nothing on, so it is not in front of the app
      'frontend/nginx/default.conf':
        'server {\n  listen 80;\n  root /usr/share/nginx/html;\n  location / { try_files $uri /index.html; }\n}\n',
      'caddy/Dockerfile': 'FROM caddy:2.8\nCOPY Caddyfile-default.tpl run.sh /etc/caddy/\nCMD ["/etc/caddy/run.sh"]\n',
      'caddy/run.sh':
        '#!/bin/sh\nenvsubst < /etc/caddy/Caddyfile-default.tpl > /etc/caddy/Caddyfile\nexec caddy run --config /etc/caddy/Caddyfile\n',
      'caddy/Caddyfile-default.tpl': '${WEBSERVER} {\n\treverse_proxy web:9000\n}\n',
      // a sample nginx site elsewhere in the repository: no service builds or mounts it
      'docs/nginx-example.conf': 'server {\n  listen 80;\n  location / { proxy_pass http://127.0.0.1:8000; }\n}\n',
      'app/Dockerfile.prod':
        'FROM python:3.12-slim\nCOPY app/ /app/\nWORKDIR /app\nCMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:9000"]\n',
      'app/manage.py': '',
      'app/shop/__init__.py': '',
      'app/shop/settings.py':
        'import os\nDEBUG = False\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nALLOWED_HOSTS = ["shop.example.com"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n',
      'app/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/app']);
    const p = ws.projects()[0]!;
    const above = p.files.filter((f) => !f.path.startsWith('/w/app/')).map((f) => path.relative('/w', f.path));
    assert.ok(above.includes('caddy/Caddyfile-default.tpl'), above.join(', '));
    assert.ok(!above.includes('docs/nginx-example.conf') && !above.includes('frontend/nginx/default.conf'), above.join(', '));
    const findings = analyzeWorkspace(ws).projects[0]!.findings;
    const redirect = findings.filter((f) => f.code === 'DDH301');
    // the site address is the deployment's: whether Caddy redirects (a domain: automatic HTTPS) cannot be told
    assert.equal(redirect.length, 1, findings.map((f) => `${f.code} ${f.message}`).join('\n'));
    assert.equal(redirect[0]!.severity, 'information');
    assert.match(redirect[0]!.message, /filled in from the environment variable WEBSERVER/);
  });
});

describe('a proxy configuration above the analysed folder that the proxy service copies into its own image', () => {
  // the compose file and the proxy's folder at the repository's root, the project opened on server/;
  // the proxy service builds from the root (`context: .`), its Dockerfile copying one file in
  const repo = (proxy: 'caddy' | 'nginx', config: string): Record<string, string> => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'docker-compose.prod.yml': [
      'services:',
      '  django:',
      '    build: {context: ./server}',
      '    command: gunicorn shop.wsgi --bind 0.0.0.0:8000',
      `  ${proxy === 'caddy' ? 'caddy' : 'web'}:`,
      `    build: {context: ., dockerfile: ${proxy}/Dockerfile}`,
      '    ports: ["80:80", "443:443"]',
      '',
    ].join('\n'),
    [`${proxy}/Dockerfile`]:
      proxy === 'caddy'
        ? 'FROM caddy:2.8\nCOPY caddy/Caddyfile /etc/caddy/Caddyfile\n'
        : 'FROM nginx:1.27\nCOPY nginx/default.conf /etc/nginx/conf.d/default.conf\n',
    [proxy === 'caddy' ? 'caddy/Caddyfile' : 'nginx/default.conf']: config,
    // a sample configuration beside it that the image does not copy
    [`${proxy}/${proxy === 'caddy' ? 'Caddyfile.example' : 'example.conf'}`]:
      proxy === 'caddy'
        ? ':80 {\n\treverse_proxy django:8000\n}\n'
        : 'server {\n  listen 80;\n  location / { proxy_pass http://django:8000; }\n}\n',
    'server/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\n',
    'server/manage.py': '',
    'server/shop/__init__.py': '',
    'server/shop/settings.py':
      'import os\nDEBUG = False\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nALLOWED_HOSTS = ["shop.example.com"]\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n',
    'server/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
  });
  const analysed = (files: Record<string, string>) => {
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/server']);
    const above = ws
      .projects()[0]!
      .files.filter((f) => !f.path.startsWith('/w/server/'))
      .map((f) => path.relative('/w', f.path));
    const analysis = analyzeWorkspace(ws).projects[0]!;
    const findings = analysis.findings;
    return { above, findings, outcomes: analysis.outcomes, shown: findings.map((f) => `${f.code} ${f.severity} ${f.message}`).join('\n') };
  };

  it('opened on server/: a domain site of the copied Caddyfile redirects (automatic HTTPS) and sends the HSTS it sets', () => {
    const { above, findings, outcomes, shown } = analysed(
      repo('caddy', 'shop.example.com {\n\theader Strict-Transport-Security "max-age=31536000"\n\treverse_proxy django:8000\n}\n'),
    );
    assert.ok(above.includes('caddy/Caddyfile'), above.join(', '));
    assert.ok(!above.includes('caddy/Caddyfile.example'), above.join(', '));
    const f = findings.filter((x) => x.code === 'DDH302');
    assert.equal(f.length, 1, shown);
    assert.equal(f[0]!.severity, 'information', shown);
    assert.match(f[0]!.message, /covered there/, shown);
    // the redirect is done in front: nothing to do in Django, the rule says so
    assert.ok(!findings.some((x) => x.code === 'DDH301'), shown);
    assert.equal(outcomes.get('DDH301')?.state, 'not-applicable', shown);
    assert.match(outcomes.get('DDH301')?.reason ?? '', /covered there/);
  });

  it('opened on server/: a COPY source written as an absolute path is that file of the build context', () => {
    const files = repo(
      'nginx',
      'upstream app { server django:8000; }\nserver {\n  listen 80;\n  location / { proxy_pass http://app; }\n}\n',
    );
    files['nginx/Dockerfile'] = 'FROM nginx:1.27\nCOPY ["/nginx/default.conf", "/etc/nginx/templates/"]\n';
    const { above } = analysed(files);
    assert.ok(above.includes('nginx/default.conf'), above.join(', '));
    assert.ok(!above.includes('nginx/example.conf'), above.join(', '));
  });

  it('opened on server/: a copied Caddyfile whose site is :80 redirects nothing, so DDH301 stays a warning', () => {
    const { above, findings, shown } = analysed(repo('caddy', ':80 {\n\treverse_proxy django:8000\n}\n'));
    assert.ok(above.includes('caddy/Caddyfile'), above.join(', '));
    assert.equal(findings.find((f) => f.code === 'DDH301')?.severity, 'warning', shown);
  });

  it('opened on server/: a {$DOMAIN} site address with DOMAIN from the shell compose runs in cannot be told', () => {
    const files = repo('caddy', '{$DOMAIN} {\n\treverse_proxy django:8000\n}\n');
    files['docker-compose.prod.yml'] += '    environment:\n      - DOMAIN=${DOMAIN}\n';
    const { findings, shown } = analysed(files);
    const f = findings.find((x) => x.code === 'DDH301');
    assert.equal(f?.severity, 'information', shown);
    assert.match(f!.message, /environment variable DOMAIN/, shown);
  });

  it('opened on server/: an upstream `{$API_HOST}:8000` the proxy service sets to the app service ties the site to the app', () => {
    const files = repo('caddy', '{$DOMAIN} {\n\treverse_proxy {$API_HOST}:8000\n}\n');
    files['docker-compose.prod.yml'] += '    environment:\n      DOMAIN: shop.example.com\n      API_HOST: django\n';
    const { findings, outcomes, shown } = analysed(files);
    assert.ok(!findings.some((x) => x.code === 'DDH301'), shown);
    assert.equal(outcomes.get('DDH301')?.state, 'not-applicable', shown);
    assert.match(outcomes.get('DDH301')?.reason ?? '', /covered there/);
  });

  it('opened on server/: the copied nginx conf.d site that redirects to HTTPS covers DDH301', () => {
    const { above, findings, outcomes, shown } = analysed(
      repo(
        'nginx',
        [
          'server {',
          '  listen 80;',
          '  server_name shop.example.com;',
          '  return 301 https://$host$request_uri;',
          '}',
          'server {',
          '  listen 443 ssl;',
          '  server_name shop.example.com;',
          '  location / {',
          '    proxy_pass http://django:8000;',
          '    proxy_set_header X-Forwarded-Proto $scheme;',
          '  }',
          '}',
          '',
        ].join('\n'),
      ),
    );
    assert.ok(above.includes('nginx/default.conf'), above.join(', '));
    assert.ok(!above.includes('nginx/example.conf'), above.join(', '));
    assert.ok(!findings.some((x) => x.code === 'DDH301'), shown);
    assert.equal(outcomes.get('DDH301')?.state, 'not-applicable', shown);
    assert.match(outcomes.get('DDH301')?.reason ?? '', /covered there/);
  });
});

describe('a proxy configuration above the analysed folder that a compose file mounts from a path with a default', () => {
  it('opened on app/: the caddy service mounts ${HOST_CADDYFILE_PATH:-./caddy/Caddyfile}, read as its default; access log and redirect are the proxy’s', () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      Dockerfile: 'FROM python:3.12-slim\nCOPY app/ /code/\nWORKDIR /code\nCMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]\n',
      'docker-compose.yml': [
        'services:',
        '  web:',
        '    build: .',
        '    environment: {DJANGO_SETTINGS_MODULE: shop.settings}',
        '  caddy:',
        '    image: caddy:2',
        '    ports: ["80:80", "443:443"]',
        '    volumes:',
        '      - "${HOST_CADDYFILE_PATH:-./caddy/Caddyfile}:/etc/caddy/Caddyfile:ro"',
        '',
      ].join('\n'),
      'caddy/Caddyfile': 'shop.example.com {\n\treverse_proxy web:8000\n\tlog {\n\t\toutput stdout\n\t}\n}\n',
      'app/manage.py': '',
      'app/shop/__init__.py': '',
      'app/shop/settings.py':
        'import os\nDEBUG = False\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nALLOWED_HOSTS = ["shop.example.com"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n',
      'app/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/app']);
    const p = ws.projects()[0]!;
    const above = p.files.filter((f) => !f.path.startsWith('/w/app/')).map((f) => path.relative('/w', f.path));
    assert.ok(above.includes('caddy/Caddyfile'), above.join(', '));
    const findings = analyzeWorkspace(ws).projects[0]!.findings;
    const shown = findings.map((f) => `${f.code} ${f.severity} ${f.message}`).join('\n');
    // Caddy's automatic HTTPS redirects the domain; its log directive logs each request
    assert.ok(!findings.some((f) => f.code === 'DDH301' && f.severity === 'warning'), shown);
    assert.ok(!findings.some((f) => f.code === 'DDG109'), shown);
  });
});

describe("the repository's platform files above the analysed folder of its only Django project", () => {
  it('opened on app/: manifest_prod.yml at the root runs the Procfile beside it, which starts the project; its env is production’s', () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      Procfile: 'web: cd app && gunicorn shop.wsgi\n',
      'manifest_prod.yml':
        '---\napplications:\n  - name: shop\n    env:\n      ENV: PRODUCTION\n    routes:\n      - route: shop.apps.example.org\n',
      'app/manage.py': '',
      'app/shop/__init__.py': '',
      'app/shop/settings.py': [
        'import os',
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
        'ALLOWED_HOSTS = ["shop.example.com"]',
        'DEBUG = False',
        'if os.environ.get("ENV") != "PRODUCTION":',
        '    DEBUG = True',
        '',
      ].join('\n'),
      'app/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/app']);
    const p = ws.projects()[0]!;
    const above = p.files.filter((f) => !f.path.startsWith('/w/app/')).map((f) => path.relative('/w', f.path));
    assert.ok(above.includes('manifest_prod.yml'), above.join(', '));
    const findings = analyzeWorkspace(ws).projects[0]!.findings;
    // ENV is PRODUCTION: the branch that turns DEBUG on is not production's
    assert.ok(!findings.some((f) => f.code === 'DDH107'), findings.map((f) => `${f.code} ${f.message}`).join('\n'));
  });
});

describe("a proxy configuration above the analysed folder that hands requests on to where the project's app server listens", () => {
  // a repository that mirrors its servers' filesystem per environment: the nginx site in common/, the
  // uWSGI vassal that starts the project in production/, the site's HTTPS snippet in each environment's
  const files = {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'deploy/common/etc/nginx/sites-available/shop.conf': [
      'upstream shop {',
      '    server unix:///srv/shop/run/shop.sock;',
      '}',
      'server {',
      '    listen 443 ssl;',
      '    server_name shop.example.com;',
      '    include /etc/nginx/snippets/shop-site-https.conf;',
      '    location / {',
      '        uwsgi_pass shop;',
      '        include uwsgi_params;',
      '    }',
      '}',
      'server {',
      '    listen 80;',
      '    server_name shop.example.com;',
      '    location / {',
      '        return 301 https://$host$request_uri;',
      '    }',
      '}',
      '',
    ].join('\n'),
    // another site of the server, in front of a process the repository does not start
    'deploy/common/etc/nginx/sites-available/wiki.conf':
      'server {\n    listen 80;\n    server_name wiki.example.com;\n    location / { proxy_pass http://127.0.0.1:3000; }\n}\n',
    'deploy/production/etc/nginx/snippets/shop-site-https.conf': [
      'ssl_certificate /etc/letsencrypt/live/shop.example.com/fullchain.pem;',
      'ssl_certificate_key /etc/letsencrypt/live/shop.example.com/privkey.pem;',
      'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains";',
      '',
    ].join('\n'),
    'deploy/staging/etc/nginx/snippets/shop-site-https.conf': 'ssl_certificate /etc/ssl/staging.pem;\n',
    'deploy/production/etc/uwsgi/vassals/shop.ini': [
      '[uwsgi]',
      'chdir = /srv/shop/site',
      'module = shop.wsgi',
      'master = true',
      'harakiri = 30',
      'socket = /srv/shop/run/shop.sock',
      'env = DJANGO_SETTINGS_MODULE=shop.settings',
      '',
    ].join('\n'),
    'site/manage.py': '',
    'site/shop/__init__.py': '',
    'site/shop/settings.py': [
      'import os',
      'DEBUG = False',
      'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
      'ALLOWED_HOSTS = ["shop.example.com"]',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      '',
    ].join('\n'),
    'site/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
  };

  it('opened on site/: the nginx site whose upstream is the vassal’s socket comes with the project, with its production snippet; DDH301 and DDH302 are answered by it', () => {
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/site']);
    const p = ws.projects()[0]!;
    const above = p.files
      .filter((f) => !f.path.startsWith('/w/site/'))
      .map((f) => path.relative('/w', f.path))
      .sort();
    assert.deepEqual(above, [
      'deploy/common/etc/nginx/sites-available/shop.conf',
      'deploy/production/etc/nginx/snippets/shop-site-https.conf',
      'deploy/production/etc/uwsgi/vassals/shop.ini',
    ]);
    const analysis = analyzeWorkspace(ws).projects[0]!;
    const findings = analysis.findings;
    const shown = findings.map((f) => `${f.code} ${f.severity} ${f.message}`).join('\n');
    assert.ok(!findings.some((f) => f.code === 'DDH301'), shown);
    assert.equal(analysis.outcomes.get('DDH301')?.state, 'not-applicable', shown);
    assert.match(
      analysis.outcomes.get('DDH301')?.reason ?? '',
      /The proxy in front redirects plain HTTP to HTTPS \(\.\.\/deploy\/common\/etc\/nginx\/sites-available\/shop\.conf\)/,
    );
    const hsts = findings.filter((f) => f.code === 'DDH302');
    assert.equal(hsts.length, 1, shown);
    assert.equal(hsts[0]!.severity, 'information', shown);
    assert.match(hsts[0]!.message, /The proxy in front sends Strict-Transport-Security/);
  });

  it('a site in front of another socket does not come with the project', () => {
    const other = {
      ...files,
      'deploy/common/etc/nginx/sites-available/shop.conf': files['deploy/common/etc/nginx/sites-available/shop.conf'].replace(
        'shop.sock',
        'other.sock',
      ),
    };
    const ws = new Workspace(new MemoryFileSystem(other, '/w'), ['/w/site']);
    const p = ws.projects()[0]!;
    assert.deepEqual(
      p.files.filter((f) => !f.path.startsWith('/w/site/')).map((f) => path.relative('/w', f.path)),
      ['deploy/production/etc/uwsgi/vassals/shop.ini'],
    );
    const redirect = analyzeWorkspace(ws).projects[0]!.findings.filter((f) => f.code === 'DDH301');
    assert.equal(redirect[0]?.severity, 'warning');
  });
});

describe('an nginx above the analysed folder tied to the project through the bind of the gunicorn config its systemd unit names', () => {
  // the project in app/, and contrib/ beside it holding what the server gets: the nginx site, the
  // systemd unit that starts gunicorn with --config (a host path), and that config, which binds
  const files = {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'contrib/nginx.conf': [
      'server {',
      '    listen 443 ssl;',
      '    server_name shop.example.com;',
      '    ssl_certificate /etc/ssl/certs/shop.pem;',
      '    ssl_certificate_key /etc/ssl/private/shop.key;',
      '    add_header Strict-Transport-Security "max-age=31536000";',
      '    location / {',
      '        proxy_pass http://127.0.0.1:8001;',
      '        proxy_set_header X-Forwarded-Host $http_host;',
      '        proxy_set_header X-Real-IP $remote_addr;',
      '        proxy_set_header X-Forwarded-Proto $scheme;',
      '    }',
      '}',
      'server {',
      '    listen 80;',
      '    server_name shop.example.com;',
      '    return 301 https://$host$request_uri;',
      '}',
      '',
    ].join('\n'),
    'contrib/shop.service': [
      '[Unit]',
      'Description=Shop WSGI service',
      '',
      '[Service]',
      'User=shop',
      'WorkingDirectory=/opt/shop',
      'ExecStart=/opt/shop/venv/bin/gunicorn --pid /var/tmp/shop.pid --pythonpath /opt/shop/app --config /opt/shop/gunicorn.py shop.wsgi',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n'),
    'contrib/gunicorn.py': ["bind = '127.0.0.1:8001'", 'workers = 5', 'threads = 3', 'timeout = 120', ''].join('\n'),
    'app/manage.py': '',
    'app/shop/__init__.py': '',
    'app/shop/settings.py': [
      'import os',
      'DEBUG = False',
      'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
      'ALLOWED_HOSTS = ["shop.example.com"]',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      '',
    ].join('\n'),
    'app/shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\napplication = None\n',
  };
  const above = (ws: Workspace): string[] =>
    ws
      .projects()[0]!
      .files.filter((f) => !f.path.startsWith('/w/app/'))
      .map((f) => path.relative('/w', f.path))
      .sort();

  it('opened on app/: the nginx that proxies to the port the config binds comes with the project and answers DDH301 and DDH302', () => {
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/app']);
    assert.deepEqual(above(ws), ['contrib/gunicorn.py', 'contrib/nginx.conf', 'contrib/shop.service']);
    const analysis = analyzeWorkspace(ws).projects[0]!;
    // the unit's gunicorn loads the config (found by its tail among the files that came with the
    // project), so the nginx is a hop of that deployment's request path, not only a note of the rules
    assert.deepEqual(
      (analysis.requestPath?.deployments ?? []).map((d) => `${d.label}: ${d.hops.map((h) => h.label).join(', ')}`),
      ['../contrib/shop.service: nginx (../contrib/nginx.conf)'],
    );
    const findings = analysis.findings;
    const shown = findings.map((f) => `${f.code} ${f.severity} ${f.message}`).join('\n');
    assert.ok(!findings.some((f) => f.code === 'DDH301'), shown);
    assert.equal(analysis.outcomes.get('DDH301')?.state, 'not-applicable', shown);
    assert.match(
      analysis.outcomes.get('DDH301')?.reason ?? '',
      /The proxy in front redirects plain HTTP to HTTPS \(\.\.\/contrib\/nginx\.conf\)/,
    );
    const hsts = findings.filter((f) => f.code === 'DDH302');
    assert.equal(hsts[0]?.severity, 'information', shown);
  });

  it('a list of binds of which one is the port nginx proxies to ties it too', () => {
    const listed = { ...files, 'contrib/gunicorn.py': "bind = ['unix:/run/shop.sock', '127.0.0.1:8001']\nworkers = 5\n" };
    const ws = new Workspace(new MemoryFileSystem(listed, '/w'), ['/w/app']);
    assert.deepEqual(above(ws), ['contrib/gunicorn.py', 'contrib/nginx.conf', 'contrib/shop.service']);
  });

  it('a config binding another port than nginx proxies to does not tie it', () => {
    const other = { ...files, 'contrib/gunicorn.py': "bind = '127.0.0.1:8002'\nworkers = 5\n" };
    const ws = new Workspace(new MemoryFileSystem(other, '/w'), ['/w/app']);
    assert.deepEqual(above(ws), ['contrib/gunicorn.py', 'contrib/shop.service']);
    const redirect = analyzeWorkspace(ws).projects[0]!.findings.filter((f) => f.code === 'DDH301');
    assert.equal(redirect[0]?.severity, 'warning');
  });

  it('a bind the config computes, or one the command line overrides, is not read from the config', () => {
    const computed = { ...files, 'contrib/gunicorn.py': "import os\nbind = os.environ.get('BIND', '127.0.0.1:8001')\n" };
    assert.deepEqual(above(new Workspace(new MemoryFileSystem(computed, '/w'), ['/w/app'])), [
      'contrib/gunicorn.py',
      'contrib/shop.service',
    ]);
    const conditional = { ...files, 'contrib/gunicorn.py': "bind = '127.0.0.1:8001'\nif True:\n    bind = '127.0.0.1:8002'\n" };
    assert.deepEqual(above(new Workspace(new MemoryFileSystem(conditional, '/w'), ['/w/app'])), [
      'contrib/gunicorn.py',
      'contrib/shop.service',
    ]);
    const overridden = {
      ...files,
      'contrib/shop.service': files['contrib/shop.service'].replace('--config', '--bind 127.0.0.1:8002 --config'),
    };
    assert.deepEqual(above(new Workspace(new MemoryFileSystem(overridden, '/w'), ['/w/app'])), [
      'contrib/gunicorn.py',
      'contrib/shop.service',
    ]);
  });
});

describe('a Django app named settings', () => {
  it("its modules are the app's (apps.py, models.py, migrations/ beside them), not settings modules; a settings package stays one", () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': 'DEBUG = False\nINSTALLED_APPS = ["settings"]\n',
      'app/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'settings/__init__.py': '',
      'settings/apps.py': 'from django.apps import AppConfig\n',
      'settings/models.py': 'from django.db import models\n',
      'settings/views.py': '',
      'settings/migrations/__init__.py': '',
      'settings/migrations/0001_initial.py': '',
      'conf/settings/__init__.py': '',
      'conf/settings/base.py': 'DEBUG = False\n',
    };
    const p = projectsOf(files)[0]!;
    assert.deepEqual(
      p.settingsModules.map((m) => m.name),
      ['app.settings', 'conf.settings', 'conf.settings.base'],
    );
  });
});

describe('a settings module that defines no settings is never production', () => {
  // manage.py and wsgi.py default to the package `settings`, whose __init__ is empty; the real module
  // comes from an env file (a committed .envs/.local/.django names settings.development)
  it('an empty package wsgi.py names: its leaf named for the server production runs (settings.server)', () => {
    const [p] = projectsIn('empty-settings-package');
    assert.equal(p!.production?.module.name, 'settings.server');
    assert.equal(
      p!.production?.reason,
      'settings is empty: Django cannot run on it; picked settings.server because its name (settings.server) says production',
    );
    const analysis = analyzeWorkspace(new Workspace(new NodeFileSystem(), [dir('empty-settings-package')]), {});
    const onEmpty = analysis.projects.flatMap((a) => a.findings).filter((f) => f.loc.file.endsWith(path.join('settings', '__init__.py')));
    assert.deepEqual(
      onEmpty.map((d) => d.code),
      [],
    );
  });

  it('a package __init__ that star-imports a leaf is the module wsgi.py names, as before', () => {
    const [p] = projectsIn('empty-settings-package-star');
    assert.equal(p!.production?.module.name, 'settings');
    assert.match(p!.production!.reason, /^named by src\/wsgi\.py:5 \(DJANGO_SETTINGS_MODULE\)/);
  });

  it('no leaf can be told production: the production module is unknown, not the empty package', () => {
    const [p] = projectsIn('empty-settings-package-undecided');
    assert.equal(p!.production, undefined);
    assert.equal(
      p!.noProductionReason,
      'settings is empty: Django cannot run on it; the production settings module is unknown: no other module can be told production among settings.base, settings.other; set djangoDeployHygiene.productionSettingsModule',
    );
  });

  it('comments, docstrings and imports of nothing settings-like define no settings; a star import or a setting does', () => {
    for (const text of [
      '',
      '# nothing\n',
      '"""Doc."""\n',
      "'doc'\nimport os\n",
      'from .celery import app as celery_app\n',
      'from x import (\n  a,\n  b,\n)\n',
    ])
      assert.equal(definesNoSettings(text), true, text);
    for (const text of ['from .base import *\n', 'from .base import SECRET_KEY\n', 'DEBUG = False\n', 'include("base.py")\n'])
      assert.equal(definesNoSettings(text), false, text);
  });
});

describe('deployment files of the repository above a project in a subfolder (`_app/` beside `_caddy/` and `deploy/`)', () => {
  const settings = [
    'import os',
    'DEBUG = False',
    'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    'ALLOWED_HOSTS = [os.environ["PROD_HOST"]]',
    'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]',
    '',
  ].join('\n');
  const app = (dir: string): Record<string, string> => ({
    [`${dir}/manage.py`]: 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    [`${dir}/mysite/__init__.py`]: '',
    [`${dir}/mysite/settings.py`]: settings,
    [`${dir}/mysite/wsgi.py`]: 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = None\n',
  });
  const caddyRepo = (mount: string): Record<string, string> => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'docker-compose.yml': [
      'services:',
      '  caddy:',
      '    image: caddy:2',
      '    ports: ["80:80", "443:443"]',
      '    volumes:',
      `      - ${mount}:/etc/caddy/Caddyfile`,
      '    environment:',
      '      PROD_HOST: ${PROD_HOST}',
      '  django:',
      '    build: ./_app',
      '    command: gunicorn mysite.wsgi:application --bind 0.0.0.0:8000',
      '',
    ].join('\n'),
    '.env.example': 'PROD_HOST=shop.example.com\n',
    '_caddy/Caddyfile': '{$PROD_HOST} {\n\treverse_proxy django:8000\n}\n',
    '_app/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n',
    ...app('_app'),
  });
  const analysed = (files: Record<string, string>, folder: string) => {
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), [folder]);
    const p = analyzeWorkspace(ws).projects.find((x) => x.project.root.endsWith(folder === '/w' ? '_app' : folder.slice(2)))!;
    const above = p.project.files.filter((f) => !f.path.startsWith(`${p.project.root}/`)).map((f) => path.relative('/w', f.path));
    const shown = p.findings.map((f) => `${f.code} ${f.severity} ${f.message}`).join('\n');
    return { p, above, shown };
  };

  for (const folder of ['/w/_app', '/w']) {
    it(`the Caddyfile compose mounts from _caddy/ fronts the app of _app/ (analysed from ${folder}): its domain from .env.example redirects, TLS ends there`, () => {
      const { p, shown } = analysed(caddyRepo('./_caddy/Caddyfile'), folder);
      // PROD_HOST is a domain name as .env.example gives it: Caddy's automatic HTTPS redirects it
      assert.ok(!p.findings.some((f) => f.code === 'DDH301'), shown);
      assert.equal(p.outcomes.get('DDH301')?.state, 'not-applicable', shown);
      assert.match(
        p.outcomes.get('DDH301')?.reason ?? '',
        /PROD_HOST shop\.example\.com as written in the \.env made from (\.\.\/)?\.env\.example/,
      );
      const scheme = p.findings.filter((f) => f.code === 'DDX115');
      assert.equal(scheme.length, 1, shown);
      assert.equal(scheme[0]!.severity, 'warning', shown);
    });
  }

  it('opened on _app/: a Caddyfile mounted from a path compose reads from the shell (${PWD}/_caddy/Caddyfile) comes with the project by the service it names', () => {
    const { p, above, shown } = analysed(caddyRepo('${PWD}/_caddy/Caddyfile'), '/w/_app');
    assert.ok(above.includes('_caddy/Caddyfile'), above.join(', '));
    assert.equal(p.findings.filter((f) => f.code === 'DDX115').length, 1, shown);
    // which container reads it, and so the environment that gives PROD_HOST, is not seen: said so
    const redirect = p.findings.find((f) => f.code === 'DDH301');
    assert.equal(redirect?.severity, 'information', shown);
    assert.match(redirect!.message, /cannot be told: the site address \{\$PROD_HOST\}/, shown);
  });

  it('opened on _app/: a Caddyfile above naming a service of no compose file that starts the project does not come with it', () => {
    const files = caddyRepo('${PWD}/_caddy/Caddyfile');
    files['_caddy/Caddyfile'] = '{$PROD_HOST} {\n\treverse_proxy grafana:3000\n}\n';
    const { above } = analysed(files, '/w/_app');
    assert.ok(!above.includes('_caddy/Caddyfile'), above.join(', '));
  });

  // an nginx site and a gunicorn config in deploy/, a start script running gunicorn -c deploy/gunicorn.conf.py
  const nginxRepo = (accessLog: string): Record<string, string> => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'deploy/nginx-site.conf': [
      'server {',
      '    listen 80;',
      '    server_name shop.example.com;',
      ...(accessLog ? [`    ${accessLog}`] : []),
      '    location / {',
      '        proxy_pass http://127.0.0.1:8000;',
      '        proxy_set_header Host $host;',
      '    }',
      '}',
      '',
    ].join('\n'),
    'deploy/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\nworkers = 3\n',
    'deploy/run.sh':
      '#!/bin/sh\nset -e\ncd "$(dirname "$0")/.."\nexec gunicorn -c deploy/gunicorn.conf.py --chdir src mysite.wsgi:application\n',
    ...app('src'),
  });

  it('opened on src/: the nginx site above that proxies to the bind of the config the start script names keeps the request log (DDG109 not applicable)', () => {
    const { p, above, shown } = analysed(nginxRepo('access_log /var/log/nginx/site.access.log;'), '/w/src');
    assert.ok(above.includes('deploy/nginx-site.conf'), above.join(', '));
    assert.ok(!p.findings.some((f) => f.code === 'DDG109'), shown);
    assert.equal(p.outcomes.get('DDG109')?.state, 'not-applicable', shown);
    assert.match(p.outcomes.get('DDG109')?.reason ?? '', /keeps an access log of every request \(\.\.\/deploy\/nginx-site\.conf\)/);
  });

  it("opened on src/: nginx's default access_log counts as on; `access_log off;` leaves gunicorn's log missing", () => {
    assert.equal(analysed(nginxRepo(''), '/w/src').p.outcomes.get('DDG109')?.state, 'not-applicable');
    const { p, shown } = analysed(nginxRepo('access_log off;'), '/w/src');
    assert.equal(p.findings.filter((f) => f.code === 'DDG109').length, 1, shown);
  });
});

describe('a settings module named from the repository root, above the analysed folder', () => {
  // app/manage.py, wsgi.py and asgi.py name app.config.entrypoint: the image copies the whole repository
  // to /app and start.sh runs `uvicorn app.config.asgi:application` from there, so sys.path's root is the
  // repository's, the folder above the one opened
  const repo = (extra: Record<string, string> = {}): Record<string, string> => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nCMD ["sh", "start.sh"]\n',
    'start.sh': '#!/bin/sh\nexec uvicorn app.config.asgi:application --host 0.0.0.0 --port 8000\n',
    'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n    environment:\n      DJANGO_DEBUG: "0"\n',
    'app/__init__.py': '',
    'app/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.config.entrypoint")\n',
    'app/config/__init__.py': '',
    'app/config/asgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.config.entrypoint")\napplication = None\n',
    'app/config/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.config.entrypoint")\napplication = None\n',
    'app/config/entrypoint.py': [
      'import os',
      'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
      'ALLOWED_HOSTS = ["shop.example.com"]',
      'DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"',
      '',
    ].join('\n'),
    ...extra,
  });

  it('opened on app/: app.config.entrypoint resolves from the repository root, is chosen and analysed', () => {
    const ws = new Workspace(new MemoryFileSystem(repo(), '/w'), ['/w/app']);
    const p = ws.projects()[0]!;
    assert.equal(p.production?.module.name, 'app.config.entrypoint', p.noProductionReason);
    assert.equal(p.production?.module.file, '/w/app/config/entrypoint.py');
    assert.equal(p.repositoryRoot, '/w');
    // the repository's deployment files apply as when the repository is opened: the image that copies
    // the repository (the project in it) and the compose file that builds it
    const above = p.files.filter((f) => !f.path.startsWith('/w/app/')).map((f) => path.relative('/w', f.path));
    for (const f of ['Dockerfile', 'docker-compose.yml', 'start.sh']) assert.ok(above.includes(f), above.join(', '));
    const findings = analyzeWorkspace(ws).projects[0]!.findings;
    const shown = findings.map((f) => `${f.code} ${f.message}`).join('\n');
    // DJANGO_DEBUG's default turns DEBUG on; the compose file production runs sets it
    const debug = findings.find((f) => f.code === 'DDH108');
    assert.ok(debug?.message.includes('../docker-compose.yml:6 sets it'), shown);
  });

  it('a module of that name under the analysed folder wins over the one above it', () => {
    const files = repo({
      'app/app/__init__.py': '',
      'app/app/config/__init__.py': '',
      'app/app/config/entrypoint.py': 'SECRET_KEY = "x"\nDEBUG = False\nALLOWED_HOSTS = ["a.example.com"]\n',
    });
    const p = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/app']).projects()[0]!;
    assert.equal(p.production?.module.file, '/w/app/app/config/entrypoint.py');
  });

  it('nothing above the repository root is resolved', () => {
    const files = Object.fromEntries(Object.entries(repo()).map(([k, v]) => [`repo/${k}`, v]));
    // a package of that name beside the repository, outside it
    files['app/__init__.py'] = '';
    files['app/config/__init__.py'] = '';
    files['app/config/other.py'] = 'DEBUG = True\n';
    const p = new Workspace(new MemoryFileSystem(files, '/w'), ['/w/repo/app']).projects()[0]!;
    assert.equal(p.repositoryRoot, '/w/repo');
    assert.ok(
      p.importRoots.every((r) => r.startsWith('/w/repo')),
      p.importRoots.join(', '),
    );
  });
});

describe('the committed sample of an env file production loads (issue 54)', () => {
  const sample = (): Record<string, string> => readFolder(path.join(FIXTURES, 'rules', 'DDH107', 'good-compose-env-sample-module'));

  it('.env.prod (ignored) made from .env.prod-sample: the sample’s DJANGO_SETTINGS_MODULE wins over wsgi.py’s default and a production module extending it, presumed', () => {
    const p = projectsOf(sample())[0]!;
    assert.equal(p.production?.module.name, 'mysite.conf.docker_settings');
    assert.equal(p.production?.how, 'env-template');
    assert.match(
      p.production!.reason,
      /^named by \.env\.prod-sample:1 \(DJANGO_SETTINGS_MODULE\), the environment of docker-compose\.prod\.yml \(service web\): as written in the sample the deployment copies to \.env\.prod, unless \.env\.prod says otherwise/,
    );
  });

  it('under the other names of a sample (.env.example.prod, env.prod.template)', () => {
    for (const name of ['.env.example.prod', 'env.prod.template', '.env.prod.sample']) {
      const files = sample();
      files[name] = files['.env.prod-sample']!;
      delete files['.env.prod-sample'];
      assert.equal(projectsOf(files)[0]!.production?.module.name, 'mysite.conf.docker_settings', name);
    }
  });

  it('not where the service’s environment: names the module, nor for a development compose file, nor with .env.prod committed', () => {
    const own = sample();
    own['docker-compose.prod.yml'] = own['docker-compose.prod.yml']!.replace(
      '    env_file: .env.prod\n  celery:',
      '    env_file: .env.prod\n    environment:\n      DJANGO_SETTINGS_MODULE: mysite.conf.prod\n  celery:',
    );
    assert.equal(projectsOf(own)[0]!.production?.module.name, 'mysite.conf.prod');
    const dev = sample();
    dev['docker-compose.dev.yml'] = dev['docker-compose.prod.yml']!;
    delete dev['docker-compose.prod.yml'];
    assert.notEqual(projectsOf(dev)[0]!.production?.how, 'env-template');
    const committed = sample();
    committed['.env.prod'] = 'DJANGO_SECRET_KEY=x\n';
    committed['.gitignore'] = '';
    assert.notEqual(projectsOf(committed)[0]!.production?.how, 'env-template');
  });
});
