// The project summary (issue 15 items 3 and 7): the checklist and the CLI show per project the
// production module and the evidence that chose it, the selecting environment, the versions and
// their source, and what could not be read; "No problems found." is never printed for a project
// whose production settings could not be read; the usage exit code only when nothing was analysed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { buildChecklist } from '../../server/src/analysis/outputs/checklist/checklist';
import { checklistMarkdown, checklistText } from '../../server/src/analysis/outputs/checklist/render';
import { closingLine, projectSummary } from '../../server/src/analysis/outputs/checklist/summary';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { CLI, FIXTURES } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

before(async () => {
  await loadParser();
});

const dir = (name: string): string => path.join(FIXTURES, 'projects', name);

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI never says "No problems found." about settings it could not read', () => {
  it('a project whose production module is not in the workspace: says what is missing, exits 0, not "No problems found."', () => {
    const r = cli(dir('model-unread'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /No problems found\./);
    assert.match(
      r.stdout,
      /^# \.: no production settings module: shop\.settings\.deployed, named by Dockerfile:3 \(DJANGO_SETTINGS_MODULE\), is not in the workspace/m,
    );
    assert.match(r.stdout, /^No problems found in what could be read; the production settings could not be read \(see above\)\.$/m);
  });

  it('nothing at all to analyse: the usage exit code', () => {
    const empty = tempDir('ddh-empty-');
    const r = cli(empty);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stdout, /No problems found/);
  });

  it('JSON carries the summary: environment, versions, what could not be read', () => {
    const r = cli(dir('model-env-selector'), '--format', 'json');
    const p = JSON.parse(r.stdout).projects[0];
    assert.deepEqual(p.summary.environment, [{ name: 'DJANGO_ENV', value: 'production', evidence: 'docker/docker-compose.prod.yml:8' }]);
    assert.equal(p.summary.versions[0].name, 'Django');
    assert.deepEqual(p.summary.unread, []);
  });
});

describe('closingLine', () => {
  const rel = (d: string): string => path.basename(d);
  it('names the projects whose settings could not be read', () => {
    const ws = new Workspace(
      new MemoryFileSystem(
        {
          'a/manage.py': '',
          'a/a/__init__.py': '',
          'a/a/settings.py': 'DEBUG = False\n',
          'b/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "b.settings.prod")\n',
          'b/b/__init__.py': '',
          'b/b/settings/__init__.py': '',
        },
        '/w',
      ),
      ['/w'],
    );
    const analyses = analyzeWorkspace(ws).projects;
    assert.equal(analyses.length, 2);
    assert.equal(
      closingLine(0, '', analyses, rel),
      'No problems found in what could be read; the production settings of b could not be read (see above).',
    );
    assert.equal(
      closingLine(3, '3 warnings', analyses, rel),
      'Found 3 warnings; the production settings of b could not be read (see above).',
    );
    assert.equal(closingLine(0, '', analyses.slice(0, 1), rel), 'No problems found.');
    assert.equal(closingLine(0, '', [], rel), 'Nothing was analysed.');
  });
});

describe('the checklist header', () => {
  it('shows the production module with its evidence, the selecting variable, the version and its source', () => {
    const ws = new Workspace(new NodeFileSystem(), [dir('model-env-selector')]);
    const [a] = analyzeWorkspace(ws).projects;
    const c = buildChecklist(ws, a!);
    assert.deepEqual(c.summary.environment, [{ name: 'DJANGO_ENV', value: 'production', evidence: 'docker/docker-compose.prod.yml:8' }]);
    const text = checklistText([c], () => undefined);
    assert.match(
      text,
      /^ {2}production settings server\.settings \(named by server\/wsgi\.py:5 \(DJANGO_SETTINGS_MODULE\), the app that docker\/django\/gunicorn\.sh:10 serves; DJANGO_ENV=production from docker\/docker-compose\.prod\.yml:8\)$/m,
    );
    assert.match(text, /^ {2}Django \d+\.\d+ \(assumed: no dependency file names Django/m);
    assert.match(
      checklistMarkdown([c], () => undefined),
      /_production settings server\.settings .*DJANGO_ENV=production from docker\/docker-compose\.prod\.yml:8\)_/,
    );
  });

  it('lists what could not be read: a module outside the workspace', () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': 'from mysite.secrets_local import *\nDEBUG = False\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    const [a] = analyzeWorkspace(ws).projects;
    const s = projectSummary(a!);
    assert.equal(s.unread.length, 1, s.unread.join('\n'));
    assert.match(s.unread[0]!, /^mysite\/settings\.py: mysite\.secrets_local does not exist in the workspace/);
    assert.match(
      checklistText([buildChecklist(ws, a!)], () => undefined),
      /could not read: mysite\/settings\.py: mysite\.secrets_local does not exist in the workspace/,
    );
  });
});

describe('the django-configurations class production runs', () => {
  const base = {
    'manage.py':
      'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nos.environ.setdefault("DJANGO_CONFIGURATION", "Development")\n',
    'mysite/__init__.py': '',
    'mysite/settings.py': [
      'from configurations import Configuration',
      'class Base(Configuration):',
      '    DEBUG = False',
      'class Development(Base):',
      '    DEBUG = True',
      'class Production(Base):',
      '    ALLOWED_HOSTS = ["shop.example.com"]',
      '',
    ].join('\n'),
  };

  it('taken by its name: the header, the JSON production and the environment name the class and why', () => {
    const ws = new Workspace(new MemoryFileSystem(base, '/p'), ['/p']);
    const [a] = analyzeWorkspace(ws).projects;
    const s = projectSummary(a!);
    assert.equal(s.production?.configuration?.cls, 'Production');
    assert.match(s.production!.configuration!.why, /the deployment files the analysis read give DJANGO_CONFIGURATION no value/);
    assert.deepEqual(
      s.environment.map((e) => [e.name, e.value]),
      [['DJANGO_CONFIGURATION', 'Production']],
    );
    assert.match(
      checklistText([buildChecklist(ws, a!)], () => undefined),
      /^ {2}production settings mysite\.settings, class Production \(it is the only settings module.*; the class named Production: the deployment files the analysis read give DJANGO_CONFIGURATION no value/m,
    );
  });

  it('named by the deployment: said once, as the deployment says it', () => {
    const files = {
      ...base,
      Procfile: 'web: DJANGO_CONFIGURATION=Production gunicorn mysite.wsgi\n',
      'mysite/wsgi.py': 'from configurations.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    const s = projectSummary(analyzeWorkspace(ws).projects[0]!);
    assert.equal(s.production?.configuration?.cls, 'Production');
    assert.equal(s.environment.filter((e) => e.name === 'DJANGO_CONFIGURATION').length, 1, JSON.stringify(s.environment));
  });

  it('no class: nothing about one', () => {
    const files = { 'manage.py': base['manage.py'], 'mysite/__init__.py': '', 'mysite/settings.py': 'DEBUG = False\n' };
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    const s = projectSummary(analyzeWorkspace(ws).projects[0]!);
    assert.equal(s.production?.configuration, undefined);
    assert.deepEqual(s.environment, []);
  });
});

describe('versions in the summary', () => {
  it('Django, gunicorn and uvicorn with their source', () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': 'DEBUG = False\n',
      'requirements.txt': 'Django==4.2.11\ngunicorn==23.0.0\nuvicorn>=0.30\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    const s = projectSummary(analyzeWorkspace(ws).projects[0]!);
    assert.deepEqual(
      s.versions.map((v) => [v.name, v.version, v.source]),
      [
        ['Django', '4.2', 'requirements.txt: Django==4.2.11'],
        ['gunicorn', '23.0.0', 'requirements.txt: gunicorn==23.0.0'],
        ['uvicorn', '>=0.30', 'requirements.txt: uvicorn>=0.30'],
      ],
    );
  });
});

describe('deployment files none of whose processes is production’s', () => {
  it('a uWSGI ini nothing runs beside a gunicorn image: listed as not production’s, the image’s files as they are', () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': 'DEBUG = False\n',
      'app/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'requirements.txt': 'Django==5.2.1\ngunicorn==23.0.0\n',
      Dockerfile:
        'FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD ["gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"]\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports:\n      - "8000:8000"\n',
      'serverconfig/app_uwsgi.ini': '[uwsgi]\nmodule = app.wsgi\nmaster = true\n',
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    const s = projectSummary(analyzeWorkspace(ws).projects[0]!);
    const listed = s.deployment?.files ?? [];
    assert.ok(listed.includes("serverconfig/app_uwsgi.ini (uWSGI configuration, 1 process, not production's)"), JSON.stringify(listed));
    assert.ok(listed.includes('Dockerfile (Dockerfile, 1 process)'), JSON.stringify(listed));
  });
});
