// A Django project deployed by SaltStack: the state tree's `file.managed` states render Jinja
// templates (a supervisord program, an nginx site) with their context and the production minions'
// pillar. The SLS files are Jinja rendered to YAML (read with their Jinja blank, every offset kept);
// `salt://` resolves under the folder of the state tree's top.sls; the pillar is production's where
// the pillar top file maps files to a production target (or a pillar file is named for production),
// and otherwise a pillar lookup stays unknown, shown as written.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  pillarKeys,
  productionPillar,
  saltManagedFiles,
  saltRenderedTemplates,
  saltSourcePath,
  slsAsYaml,
} from '../../server/src/analysis/readers/salt';
import { readAppConfigTemplate } from '../../server/src/analysis/readers/process/appConfigs';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { scanWorkspace } from '../../server/src/analysis/files/scan';
import { discoverProjects } from '../../server/src/analysis/models/project/model';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';

const STATE = [
  "{% import 'project/_vars.sls' as vars with context %}",
  '{% set venv = vars.venv_dir %}',
  '',
  'include:',
  '  - supervisor',
  '',
  'gunicorn_conf:',
  '  file.managed:',
  "    - name: /etc/supervisor/conf.d/{{ pillar['project_name'] }}-gunicorn.conf",
  '    - source: salt://project/web/gunicorn.conf',
  '    - template: jinja',
  '    - defaults:',
  '        workers: 2',
  '    - context:',
  "        project: {{ pillar['project_name'] }}",
  '        virtualenv_root: "{{ venv }}"',
  '        workers: 3',
  '',
  "{% if 'ssl' in pillar %}",
  "/etc/nginx/sites-enabled/{{ pillar['project_name'] }}.conf:",
  '  file:',
  '    - managed',
  '    - source:',
  '      - salt://project/web/missing.conf',
  '      - salt://project/web/site.conf',
  '    - template: jinja',
  '{% endif %}',
  '',
].join('\n');

const PROGRAM = [
  "[program:{{ pillar['project_name'] }}-server]",
  'command={{ virtualenv_root }}/bin/gunicorn {{ project }}.wsgi:application --bind=0.0.0.0:8000 --workers={{ workers }}',
  'environment=DJANGO_SETTINGS_MODULE="{{ project }}.settings.{{ pillar[\'environment\'] }}"',
  '',
].join('\n');

const SITE = [
  'server {',
  '    listen 443 ssl;',
  "    server_name {{ pillar['domain'] }};",
  '    location / {',
  '        proxy_set_header Host $host;',
  '        proxy_set_header X-Forwarded-Protocol ssl;',
  '        proxy_pass http://127.0.0.1:8000;',
  '    }',
  '}',
  '',
].join('\n');

const PILLAR_TOP = [
  'base:',
  "  '*':",
  '    - project',
  "  'environment:staging':",
  '    - match: grain',
  '    - staging',
  "  'environment:production':",
  '    - match: grain',
  '    - production',
  '',
].join('\n');

/** A project whose settings/ holds local, staging and production modules, deployed by the state tree under conf/salt. */
function project(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const files: Record<string, string | undefined> = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.local")\n',
    'shop/__init__.py': '',
    'shop/wsgi.py':
      'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.local")\napplication = get_wsgi_application()\n',
    'shop/urls.py': 'urlpatterns = []\n',
    'shop/settings/__init__.py': '',
    'shop/settings/base.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["shop.example.org"]\n',
    'shop/settings/local.py': 'from .base import *\nDEBUG = True\n',
    'shop/settings/staging.py': 'from .base import *\n',
    'shop/settings/production.py': 'from .base import *\n',
    'shop/settings/live.py': 'from .base import *\n',
    'requirements/production.txt': 'Django==5.2.8\ngunicorn==20.1.0\n',
    'conf/salt/top.sls': "base:\n  '*':\n    - project.web.app\n",
    'conf/salt/project/web/app.sls': STATE,
    'conf/salt/project/web/gunicorn.conf': PROGRAM,
    'conf/salt/project/web/site.conf': SITE,
    'conf/pillar/top.sls': PILLAR_TOP,
    'conf/pillar/project.sls': 'project_name: shop\n',
    'conf/pillar/staging.sls': 'environment: staging\ndomain: staging.shop.example.org\n',
    'conf/pillar/production.sls': 'environment: live\ndomain: shop.example.org\nssl: true\n',
    ...extra,
  };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('SLS files', () => {
  it('are read as YAML with their Jinja blank, every offset kept', () => {
    const yaml = slsAsYaml(STATE);
    assert.equal(yaml.length, STATE.length);
    assert.equal(yaml.split('\n')[0]!.trim(), '');
    assert.ok(yaml.split('\n')[8]!.includes('/etc/supervisor/conf.d/'));
    assert.ok(!yaml.includes('{'));
  });

  it('give each file.managed state (short and long form) with its name, sources, template and context as written', () => {
    const states = saltManagedFiles('/p/conf/salt/project/web/app.sls', STATE);
    assert.deepEqual(
      states.map((s) => [s.id, s.name, s.sources, s.template, s.line]),
      [
        [
          'gunicorn_conf',
          "/etc/supervisor/conf.d/{{ pillar['project_name'] }}-gunicorn.conf",
          ['salt://project/web/gunicorn.conf'],
          'jinja',
          6,
        ],
        [
          "/etc/nginx/sites-enabled/{{ pillar['project_name'] }}.conf",
          "/etc/nginx/sites-enabled/{{ pillar['project_name'] }}.conf",
          ['salt://project/web/missing.conf', 'salt://project/web/site.conf'],
          'jinja',
          19,
        ],
      ],
    );
    // context over defaults, each as written (Jinja kept, quotes off)
    assert.deepEqual(Object.fromEntries(states[0]!.context), {
      workers: '3',
      project: "{{ pillar['project_name'] }}",
      virtualenv_root: '{{ venv }}',
    });
  });

  it('never throw on text that is not YAML', () => {
    assert.deepEqual(saltManagedFiles('/p/x.sls', 'file.managed: [\n  - {{ }}: :\n'), []);
    assert.deepEqual(saltManagedFiles('/p/x.sls', '{% for x in y %}\n'.repeat(1000)), []);
  });

  it('resolve salt:// under the file roots, never another scheme, Jinja or ..', () => {
    assert.equal(saltSourcePath('/p/conf/salt', 'salt://project/web/site.conf'), '/p/conf/salt/project/web/site.conf');
    assert.equal(saltSourcePath('/p/conf/salt', 'salt://project/web/site.conf?saltenv=base'), '/p/conf/salt/project/web/site.conf');
    assert.equal(saltSourcePath('/p/conf/salt', 'https://example.org/site.conf'), undefined);
    assert.equal(saltSourcePath('/p/conf/salt', "salt://{{ pillar['x'] }}/site.conf"), undefined);
    assert.equal(saltSourcePath('/p/conf/salt', 'salt://../secret'), undefined);
  });

  it('read the pillar lookups a template writes', () => {
    assert.deepEqual(pillarKeys("pillar['project_name']"), ['project_name']);
    assert.deepEqual(pillarKeys('pillar["db"]["host"]'), ['db', 'host']);
    assert.deepEqual(pillarKeys('pillar.domain'), ['domain']);
    assert.deepEqual(pillarKeys("pillar.get('db:host', 'localhost')"), ['db', 'host']);
    assert.deepEqual(pillarKeys("salt['pillar.get']('environment')"), ['environment']);
    assert.equal(pillarKeys("pillar['x'] | lower"), undefined);
    assert.equal(pillarKeys('grains.id'), undefined);
  });
});

describe("the production minions' pillar", () => {
  const fsOf = (files: Record<string, string>) => new MemoryFileSystem(files, '/p');
  const pillarOf = (files: Record<string, string>) => {
    const fs = fsOf(files);
    return productionPillar(fs, scanWorkspace(fs, '/p').files, '/p/conf/salt', (f) => f.slice(3));
  };

  it("is the files the top file maps to every minion and to the production target, later files' keys over earlier", () => {
    const p = pillarOf(project({ 'conf/pillar/production.sls': 'project_name: shop2\nenvironment: production\n' }))!;
    assert.equal(p.lookup(['project_name'])?.value, 'shop2');
    assert.equal(p.lookup(['environment'])?.value, 'production');
    assert.equal(p.lookup(['domain']), undefined);
    assert.match(p.why, /conf\/pillar\/top\.sls maps production to environment:production/);
  });

  it('without a production target, is the files for every minion and a pillar file named for production', () => {
    const p = pillarOf(project({ 'conf/pillar/top.sls': "base:\n  '*':\n    - project\n  'web*':\n    - web\n" }))!;
    assert.equal(p.lookup(['environment'])?.value, 'live');
    assert.match(p.why, /production\.sls/);
  });

  it('is not known when nothing names production, nor is a value Jinja writes or one both branches of an if write', () => {
    assert.equal(
      pillarOf(project({ 'conf/pillar/top.sls': "base:\n  '*':\n    - project\n", 'conf/pillar/production.sls': undefined })),
      undefined,
    );
    const p = pillarOf(
      project({
        'conf/pillar/production.sls':
          "{% if grains['id'] == 'a' %}\nenvironment: a\n{% else %}\nenvironment: b\n{% endif %}\ndomain: {{ grains['fqdn'] }}\nport: 8000\ndebug: false\n",
      }),
    )!;
    assert.equal(p.lookup(['environment']), undefined);
    assert.equal(p.lookup(['domain']), undefined);
    assert.equal(p.lookup(['port'])?.value, '8000');
    // printed as Python prints YAML's false
    assert.equal(p.lookup(['debug'])?.value, 'False');
  });
});

describe('a template a Salt state renders', () => {
  before(async () => {
    await loadParser();
  });

  const rendered = (files: Record<string, string>) => {
    const fs = new MemoryFileSystem(files, '/p');
    return saltRenderedTemplates(fs, scanWorkspace(fs, '/p').files, (f) => f.slice(3));
  };

  it('fills in the context the state gives and the pillar, the rest unknown', () => {
    const [program, site] = rendered(project());
    assert.equal(program!.template, '/p/conf/salt/project/web/gunicorn.conf');
    assert.equal(program!.by, 'the Salt state gunicorn_conf in conf/salt/project/web/app.sls:7');
    const values = program!.expressions.map((e) => [PROGRAM.slice(e.start, e.end), e.value]);
    assert.deepEqual(values, [
      ["{{ pillar['project_name'] }}", 'shop'],
      ['{{ virtualenv_root }}', undefined],
      ['{{ project }}', 'shop'],
      ['{{ workers }}', '3'],
      ['{{ project }}', 'shop'],
      ["{{ pillar['environment'] }}", 'live'],
    ]);
    // the first source that exists is the one rendered
    assert.equal(site!.template, '/p/conf/salt/project/web/site.conf');
  });

  it('is read as the supervisord program it becomes, its known values in place, the rest shown as written', () => {
    const [program] = rendered(project());
    const read = readAppConfigTemplate(program!.template, PROGRAM, undefined, program!.expressions)!;
    const p = read.processes[0]!;
    assert.equal(p.label, 'gunicorn.conf (program shop-server)');
    assert.equal(p.env.get('DJANGO_SETTINGS_MODULE')?.value, 'shop.settings.live');
    const unknown = rendered(
      project({ 'conf/pillar/top.sls': "base:\n  '*':\n    - project\n", 'conf/pillar/production.sls': undefined }),
    )[0]!;
    assert.ok(unknown.expressions.every((e) => e.value === undefined || e.value === '3'));
    const plain = readAppConfigTemplate(unknown.template, PROGRAM, undefined, unknown.expressions)!.processes[0]!;
    assert.equal(plain.label, "gunicorn.conf (program {{ pillar['project_name'] }}-server)");
  });

  it("chooses the settings module the program's DJANGO_SETTINGS_MODULE names with production's pillar", () => {
    const fs = new MemoryFileSystem(project(), '/p');
    const [p] = discoverProjects(fs, scanWorkspace(fs, '/p'));
    assert.equal(p!.production?.module.name, 'shop.settings.live');
    assert.match(p!.production!.reason, /conf\/salt\/project\/web\/gunicorn\.conf/);
  });

  it('without a production pillar, the module is not taken from the program (its environment unknown)', () => {
    const fs = new MemoryFileSystem(
      project({ 'conf/pillar/top.sls': "base:\n  '*':\n    - project\n", 'conf/pillar/production.sls': undefined }),
      '/p',
    );
    const [p] = discoverProjects(fs, scanWorkspace(fs, '/p'));
    assert.equal(p!.production?.module.name, 'shop.settings.production');
    assert.doesNotMatch(p!.production!.reason, /gunicorn\.conf/);
  });

  it("ties the program's gunicorn to the pinned version and the nginx site to it", () => {
    const a = analyzeWorkspace(new Workspace(new MemoryFileSystem(project(), '/p'), ['/p'])).projects[0]!;
    const codes = a.findings.map((f) => `${f.code} ${f.severity} ${f.loc.file.slice(3)}`);
    assert.ok(codes.includes('DDG114 warning requirements/production.txt'), codes.join('\n'));
    // X-Forwarded-Protocol: ssl from the loopback: gunicorn gives Django the https scheme
    assert.ok(!codes.some((c) => c.startsWith('DDX115')), codes.join('\n'));
    const files = project();
    files['conf/salt/project/web/site.conf'] = SITE.replace('        proxy_set_header X-Forwarded-Protocol ssl;\n', '');
    const b = analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/p'), ['/p'])).projects[0]!;
    assert.ok(
      b.findings.some((f) => f.code === 'DDX115'),
      b.findings.map((f) => f.code).join(' '),
    );
  });
});
