// Ansible roles' templates (issue 54, the open world): a uWSGI configuration written as a Jinja
// template whose `env =` lines loop over a dictionary of the role's or the inventory's variables
// gives production's environment, each value placed in the variables file that writes it; the
// dictionary of the highest precedence wins, a value Ansible renders is set with its value unknown,
// one the hosts set differently is unknown, one only some hosts set is maybe set. And nginx's
// uwsgi_pass in front of that uWSGI is a hop of the request path.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  ansibleScopes,
  freeFormArgs,
  includedTaskFiles,
  printedScalar,
  renderedWith,
  roleOfTemplate,
  templateExpressionValue,
  templateLookups,
  templatePrintedValue,
  templateTasks,
} from '../../server/src/analysis/readers/ansible';
import { pythonTemplateAsText } from '../../server/src/analysis/readers/jinja';
import {
  itemsLoops,
  namedPlaceholder,
  templateAddressForm,
  templateAsText,
  templateAsYaml,
  templateShown,
} from '../../server/src/analysis/readers/jinja';
import { readAppConfigTemplate } from '../../server/src/analysis/readers/process/appConfigs';
import { parseYamlDocuments, type YamlScalar } from '../../server/src/analysis/readers/yaml';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { classify, type ScannedFile } from '../../server/src/analysis/files/scan';

const UWSGI = [
  '[uwsgi]',
  'socket = /home/app/uwsgi.sock',
  'module = web.wsgi:application',
  'processes = {{ uwsgi_processes }}',
  '{% for key, val in django_environment.items() %}',
  'env = {{key}}={{val}}',
  '{% endfor %}',
  '',
].join('\n');

const scanned = (paths: string[]): ScannedFile[] => paths.map((p) => ({ path: p, kind: 'manifest' }) as ScannedFile);

describe('Jinja templates', () => {
  it("keeps a bare variable's name in its placeholder, and spells an address of such variables one way", () => {
    assert.equal(namedPlaceholder('{{ project_dir }}', '${', '}'), '${project_dir___}');
    assert.equal(namedPlaceholder('{{project_dir}}', '$(', ')'), '$(project_dir_)');
    assert.equal(namedPlaceholder('{{ a | default("x") }}', '${', '}'), undefined);
    const nginx = templateAsText('unix:{{ project_dir }}/gunicorn.sock', (n, e) => namedPlaceholder(e, '${', '}') ?? '?'.repeat(n));
    const supervisord = templateAsText('unix:{{project_dir}}/gunicorn.sock', (n, e) => namedPlaceholder(e, '$(', ')') ?? '?'.repeat(n));
    assert.equal(templateAddressForm(nginx), 'unix:{{project_dir}}/gunicorn.sock');
    assert.equal(templateAddressForm(supervisord), 'unix:{{project_dir}}/gunicorn.sock');
    assert.equal(templateAddressForm('unix:${project_dir___}/$host.sock'), undefined);
    assert.equal(templateAddressForm('unix:$(tttttttttt)/gunicorn.sock'), undefined);
    // shown to people as the template writes it (a supervisord program's name in a label)
    assert.equal(templateShown('$(project_slug___)-backend'), '{{ project_slug }}-backend');
    assert.equal(templateShown('web-$PORT'), 'web-$PORT');
  });

  it('keeps every offset: expressions become placeholders of their length, statements spaces', () => {
    const text = 'a = {{ x }}\n{% if y %}\nb = 1\n{% endif %}\n{{ ansible_managed | comment }}\n';
    const out = templateAsText(text, (n) => '?'.repeat(n));
    assert.equal(out.length, text.length);
    assert.equal(out.split('\n')[0], `a = ${'?'.repeat(7)}`);
    assert.equal(out.split('\n')[1]!.trim(), '');
    assert.equal(out.split('\n')[2], 'b = 1');
    assert.ok(out.split('\n')[4]!.startsWith('#'));
  });

  it('finds the loops over a dictionary, not a nested one', () => {
    assert.deepEqual(
      itemsLoops(UWSGI).map((l) => [l.dict, l.keyVar, l.valueVar]),
      [['django_environment', 'key', 'val']],
    );
    const nested = '{% for k, v in a.items() %}{% for x in v %}{{x}}{% endfor %}{% endfor %}';
    assert.deepEqual(itemsLoops(nested), []);
    assert.deepEqual(
      itemsLoops('{%- for name, value in app.env.iteritems() -%}\nenv = {{ name }}={{ value }}\n{%- endfor %}').map((l) => l.dict),
      ['app.env'],
    );
  });

  it('prints YAML 1.1 scalars as Python does (Ansible reads its YAML with PyYAML)', () => {
    const doc = parseYamlDocuments('/v.yml', 'a: false\nb: "false"\nc: yes\nd: ~\ne: 5432\nf: "{{ lookup(\'env\', \'X\') }}"\n')
      .documents[0]!;
    const get = (k: string): string | undefined =>
      doc.kind === 'map' ? printedScalar(doc.entries.find((e) => e.key.value === k)!.value as YamlScalar) : undefined;
    assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f'].map(get), ['False', 'false', 'True', 'None', '5432', undefined]);
  });
});

describe('Ansible variables', () => {
  it('finds the role of a template', () => {
    assert.equal(roleOfTemplate('/p/ansible/roles/web/templates/uwsgi.ini.j2'), '/p/ansible/roles/web');
    assert.equal(roleOfTemplate('/p/ansible/app/templates/etc/uwsgi.j2'), '/p/ansible/app');
    assert.equal(roleOfTemplate('/p/deploy/uwsgi.ini.j2'), undefined);
  });

  it('takes host_vars over the role defaults, the production host over staging, and the role vars over all', () => {
    const files = {
      'ansible/app/defaults/main.yml': 'django_environment:\n  DEBUG: true\n  SECRET_KEY: not-secret\n',
      'ansible/inventory/host_vars/example.org.yml': 'django_environment:\n  DEBUG: false\n',
      'ansible/inventory/host_vars/staging.example.org.yml': 'django_environment:\n  DEBUG: true\n',
      'ansible/inventory/group_vars/all.yml': 'uwsgi_processes: 4\n',
      'ansible/app/vars/main.yml': 'socket: /run/app.sock\n',
    };
    const fs = new MemoryFileSystem(files, '/p');
    const scope = ansibleScopes(fs, scanned(Object.keys(files).map((f) => `/p/${f}`)))('/p/ansible/app/templates/uwsgi.j2')!;
    const env = scope.lookup('django_environment');
    assert.deepEqual(
      env.map((b) => [b.file, b.level]),
      [['/p/ansible/inventory/host_vars/example.org.yml', 'host_vars of example.org']],
    );
    assert.deepEqual(
      scope.lookup('uwsgi_processes').map((b) => b.level),
      ['group_vars/all'],
    );
    assert.deepEqual(
      scope.lookup('socket').map((b) => b.level),
      ["the role's vars"],
    );
    assert.deepEqual(scope.lookup('nothing'), []);
  });

  it("reads a play's vars and vars_files between host_vars and the role's vars, and a YAML inventory file's vars below group_vars", () => {
    const files = {
      'deploy/deploy.yml': [
        '- hosts: web',
        '  vars:',
        '    project_name: ChoreChart',
        '    project_path: /srv/chores',
        '    app_port: 8000',
        '  vars_files:',
        '    - vars/prod.yml',
        '  tasks:',
        '    - template: {src: templates/settings_prod.py.j2, dest: "{{ project_path }}/{{ project_name }}/settings_prod.py"}',
        '',
      ].join('\n'),
      'deploy/vars/prod.yml': 'app_port: 9000\n',
      'deploy/templates/settings_prod.py.j2': 'DEBUG = False\n',
      'deploy/other.yml': '- hosts: web\n  vars:\n    project_name: Other\n  tasks:\n    - debug: {msg: hi}\n',
      'inventory/production.yml': 'all:\n  vars:\n    allowed_hosts: "app.example.org"\n    project_path: /ignored\n',
      'inventory/staging.yml': 'all:\n  vars:\n    allowed_hosts: "staging.example.org"\n',
    };
    const fs = new MemoryFileSystem(files, '/p');
    const scope = ansibleScopes(fs, scanned(Object.keys(files).map((f) => `/p/${f}`)))('/p/deploy/templates/settings_prod.py.j2')!;
    assert.deepEqual(
      scope.lookup('project_name').map((b) => b.level),
      ['the vars: of the play in deploy.yml'],
    );
    assert.equal(renderedWith(scope, '{{ project_path }}/{{project_name}}/settings_prod.py'), '/srv/chores/ChoreChart/settings_prod.py');
    assert.deepEqual(
      scope.lookup('app_port').map((b) => b.level),
      ['prod.yml, a vars_files: of the play in deploy.yml'],
    );
    assert.equal(renderedWith(scope, '{{ allowed_hosts }}'), 'app.example.org');
    assert.equal(renderedWith(scope, '{{ ansible_host }}'), undefined);
    assert.equal(renderedWith(scope, '{{ project_path | default("/x") }}'), undefined);
  });
});

describe('a uWSGI configuration written as a Jinja template', () => {
  const read = (files: Record<string, string>) => {
    const fs = new MemoryFileSystem(files, '/p');
    const scopes = ansibleScopes(fs, scanned(Object.keys(files).map((f) => `/p/${f}`)));
    const file = '/p/ansible/app/templates/uwsgi.j2';
    return { d: readAppConfigTemplate(file, UWSGI, scopes(file))!, fs };
  };

  it('gives one env per entry of the dictionary, each placed in the file that writes it', () => {
    const vars = "django_environment:\n  DEBUG: false\n  SECRET_KEY: \"{{ lookup('aws_ssm', '/site/KEY') }}\"\n  SITE: example.org\n";
    const { d, fs } = read({ 'ansible/app/templates/uwsgi.j2': UWSGI, 'ansible/inventory/host_vars/example.org.yml': vars });
    const env = d.processes[0]!.env;
    assert.deepEqual([...env.keys()], ['DEBUG', 'SECRET_KEY', 'SITE']);
    assert.equal(env.get('DEBUG')!.value, 'False');
    assert.equal(env.get('SITE')!.value, 'example.org');
    const site = env.get('SITE')!.token.loc;
    assert.equal(site.file, '/p/ansible/inventory/host_vars/example.org.yml');
    assert.equal(fs.readText(site.file)!.slice(site.start, site.end), 'example.org');
    const name = env.get('SITE')!.nameLoc;
    assert.equal(fs.readText(name.file)!.slice(name.start, name.end), 'SITE');
    assert.equal(env.get('SECRET_KEY')!.value, '');
    assert.match(env.get('SECRET_KEY')!.from ?? '', /rendered where Ansible runs/);
    // the other options are read, the template's own values unknown
    const opts = d.uwsgi!.options.map((o) => [o.key, o.value.dynamic]);
    assert.deepEqual(opts.slice(0, 3), [
      ['socket', false],
      ['module', false],
      ['processes', true],
    ]);
    assert.equal(d.processes[0]!.unreadEnv, undefined);
  });

  it('says the environment is not known when no variables file sets the dictionary', () => {
    const { d } = read({ 'ansible/app/templates/uwsgi.j2': UWSGI });
    assert.deepEqual([...d.processes[0]!.env.keys()], []);
    assert.deepEqual(d.processes[0]!.unreadEnv, [
      "the variables of Ansible's django_environment (no variables file of the role or its inventory sets it)",
    ]);
  });

  it('says the environment is not known when a loop writes env lines of another shape', () => {
    const fs = new MemoryFileSystem({ 'ansible/inventory/host_vars/example.org.yml': 'app_env:\n  DEBUG: false\n' }, '/p');
    const file = '/p/ansible/app/templates/uwsgi.j2';
    const scope = ansibleScopes(fs, scanned(['/p/ansible/inventory/host_vars/example.org.yml']))(file);
    const text = '[uwsgi]\nmodule = web.wsgi\n{% for k, v in app_env.items() %}\nenv = {{ k | upper }}={{ v }}\n{% endfor %}\n';
    const d = readAppConfigTemplate(file, text, scope)!;
    assert.deepEqual([...d.processes[0]!.env.keys()], []);
    assert.deepEqual(d.processes[0]!.unreadEnv, ["the variables a loop over Ansible's app_env writes"]);
  });

  it('leaves a value two production hosts set differently unknown, and one only some set maybe set', () => {
    const { d } = read({
      'ansible/app/templates/uwsgi.j2': UWSGI,
      'ansible/inventory/host_vars/web1.yml': 'django_environment:\n  DEBUG: false\n  REGION: eu\n  ONLY_ONE: x\n',
      'ansible/inventory/host_vars/web2.yml': 'django_environment:\n  DEBUG: false\n  REGION: us\n',
    });
    const env = d.processes[0]!.env;
    assert.equal(env.get('DEBUG')!.value, 'False');
    assert.equal(env.get('DEBUG')!.from, undefined);
    assert.match(env.get('REGION')!.from ?? '', /set differently by host_vars of web1 and host_vars of web2/);
    assert.match(env.get('ONLY_ONE')!.maybe ?? '', /only host_vars of web1 set it/);
  });
});

describe('a project served by uWSGI from an Ansible role, behind nginx with uwsgi_pass', () => {
  before(async () => {
    await loadParser();
  });

  const project = (extra: Record<string, string> = {}): Record<string, string> => ({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")\n',
    'web/__init__.py': '',
    'web/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")\n',
    'web/urls.py': 'urlpatterns = []\n',
    'web/settings.py': [
      'import os',
      'if os.environ.get("DEBUG", "true").lower() == "false":',
      '    DEBUG = False',
      '    SECRET_KEY = os.environ["SECRET_KEY"]',
      'else:',
      '    DEBUG = True',
      '    SECRET_KEY = "non-secret-key"',
      'ALLOWED_HOSTS = ["example.org"]',
      'ROOT_URLCONF = "web.urls"',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]',
      'SESSION_COOKIE_SECURE = True',
      'CSRF_COOKIE_SECURE = True',
      '',
    ].join('\n'),
    'ansible/app/templates/uwsgi.j2': UWSGI,
    'ansible/app/templates/nginx.j2': [
      'server {',
      '    server_name example.org;',
      '    listen 443 ssl;',
      '    ssl_certificate /etc/letsencrypt/live/example.org/fullchain.pem;',
      '    ssl_certificate_key /etc/letsencrypt/live/example.org/privkey.pem;',
      '    location / {',
      '        uwsgi_pass unix:///home/app/uwsgi.sock;',
      '        include uwsgi_params;',
      '        add_header Strict-Transport-Security "max-age=31536000" always;',
      '    }',
      '    location /media {',
      '        proxy_pass https://legacy.example.org/media/;',
      '    }',
      '}',
      'server {',
      '    listen 80;',
      '    server_name example.org;',
      '    return 301 https://$host$request_uri;',
      '}',
      '',
    ].join('\n'),
    ...extra,
  });
  const codes = (files: Record<string, string>) => {
    const a = analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/p'), ['/p'])).projects[0]!;
    // (with the rules not applicable there, as `CODE not-applicable`)
    const na = [...a.outcomes].flatMap(([code, o]) => (o.state === 'not-applicable' ? [`${code} not-applicable`] : []));
    return [...a.findings.map((f) => `${f.code} ${f.severity}`), ...na].sort();
  };

  it('reads DEBUG and SECRET_KEY from the environment the inventory gives, and the nginx in front as the hop that redirects and sends HSTS', () => {
    const found = codes(
      project({ 'ansible/inventory/host_vars/example.org.yml': 'django_environment:\n  DEBUG: false\n  SECRET_KEY: "{{ vault_key }}"\n' }),
    );
    assert.ok(!found.some((c) => c.startsWith('DDH107') || c.startsWith('DDH101')), found.join('\n'));
    // the nginx in front redirects: nothing to do in Django
    assert.ok(found.includes('DDH301 not-applicable'), found.join('\n'));
    assert.ok(found.includes('DDH302 information'), found.join('\n'));
    // uwsgi_params passes HTTPS: uWSGI gives Django the https scheme without SECURE_PROXY_SSL_HEADER
    assert.ok(!found.some((c) => c.startsWith('DDX115')), found.join('\n'));
  });

  it('without the inventory, the development branch is production as far as the repository shows', () => {
    const found = codes(project());
    assert.ok(
      found.some((c) => c.startsWith('DDH107')),
      found.join('\n'),
    );
  });

  it('without uwsgi_params, Django sees http behind the TLS nginx (DDX115)', () => {
    const files = project({
      'ansible/inventory/host_vars/example.org.yml': 'django_environment:\n  DEBUG: false\n  SECRET_KEY: "{{ vault_key }}"\n',
    });
    files['ansible/app/templates/nginx.j2'] = files['ansible/app/templates/nginx.j2']!.replace('        include uwsgi_params;\n', '');
    const found = codes(files);
    assert.ok(
      found.some((c) => c.startsWith('DDX115')),
      found.join('\n'),
    );
  });
});

describe("Ansible's template tasks", () => {
  it('reads free-form arguments, a Jinja expression with spaces kept in its word, quotes removed', () => {
    assert.deepEqual(freeFormArgs('src=a.py.j2 dest={{ app_dir }}/back/a.py owner=www-data mode="0640" backup'), [
      ['src', 'a.py.j2'],
      ['dest', '{{ app_dir }}/back/a.py'],
      ['owner', 'www-data'],
      ['mode', '0640'],
    ]);
  });

  it('finds each form of the task (free-form, the module mapping, args:), in a block, with where Ansible looks for its src', () => {
    const text = [
      '- name: settings',
      '  template: src=local.py.j2 dest={{ app_dir }}/mysite/local.py',
      '- block:',
      '    - ansible.builtin.template:',
      '        src: nginx.conf.j2',
      '        dest: "/etc/nginx/sites-enabled/{{ domain }}.conf"',
      '- template:',
      '  args:',
      '    src: unit.j2',
      '    dest: /etc/systemd/system/app.service',
      '- copy: src=a dest=/b',
      '',
    ].join('\n');
    const tasks = templateTasks('/r/deploy/roles/app/tasks/main.yml', text);
    assert.deepEqual(
      tasks.map((t) => [t.line, t.src, t.dest]),
      [
        [1, 'local.py.j2', '{{ app_dir }}/mysite/local.py'],
        [3, 'nginx.conf.j2', '/etc/nginx/sites-enabled/{{ domain }}.conf'],
        [6, 'unit.j2', '/etc/systemd/system/app.service'],
      ],
    );
    assert.deepEqual(tasks[0]!.candidates, [
      '/r/deploy/roles/app/templates/local.py.j2',
      '/r/deploy/roles/app/local.py.j2',
      '/r/deploy/roles/app/tasks/templates/local.py.j2',
      '/r/deploy/roles/app/tasks/local.py.j2',
    ]);
    // a playbook's task: beside the playbook
    assert.deepEqual(templateTasks('/r/site.yml', '- hosts: all\n  tasks:\n    - template: src=a.j2 dest=/a\n')[0]!.candidates, [
      '/r/templates/a.j2',
      '/r/a.j2',
    ]);
    // a Kubernetes Deployment's `template:` is no task
    assert.deepEqual(templateTasks('/r/k8s/web.yml', 'spec:\n  template:\n    spec:\n      containers: []\n'), []);
  });

  it("finds a template the lookup renders into a variable (set_fact, a role entry's vars), and the tasks files a play includes", () => {
    const text = [
      '- hosts: web',
      '  pre_tasks:',
      '    - set_fact:',
      `        django_project_local_settings: "{{ lookup('template', 'local_settings.py.j2') }}"`,
      '    - include_tasks: playbooks/tasks.yaml',
      '    - ansible.builtin.import_tasks:',
      '        file: more.yml',
      '  roles:',
      '    - role: someone.django',
      '      vars:',
      `        local_settings: "{{ lookup('ansible.builtin.template', 'templates/other.py.j2') }}"`,
      `        motd: "{{ lookup('file', 'motd.txt') }}"`,
      '',
    ].join('\n');
    assert.deepEqual(
      templateLookups('/r/ansible/site.yml', text).map((l) => [l.line, l.variable, l.src, l.candidates[0]]),
      [
        [3, 'django_project_local_settings', 'local_settings.py.j2', '/r/ansible/templates/local_settings.py.j2'],
        [10, 'local_settings', 'templates/other.py.j2', '/r/ansible/templates/templates/other.py.j2'],
      ],
    );
    assert.deepEqual(includedTaskFiles('/r/ansible/site.yml', text), ['playbooks/tasks.yaml', 'more.yml']);
  });

  it("renders a template's bare expression with production's inventory value, one per environment", () => {
    const fs = new MemoryFileSystem({
      '/r/ansible/templates/local_settings.py.j2':
        'DEBUG = {{ django_debug|string }}\nWORKERS = {{ workers }}\nNAME = {{ name }}\nX = "{{ x }}"\n',
      '/r/ansible/environments/production/group_vars/all.yml': 'django_debug: no\nworkers: 4\nname: site\n',
      '/r/ansible/environments/staging/group_vars/all.yml': 'django_debug: yes\nworkers: 1\n',
    });
    const files = scanned(['/r/ansible/environments/production/group_vars/all.yml', '/r/ansible/environments/staging/group_vars/all.yml']);
    const scope = ansibleScopes(fs, files)('/r/ansible/templates/local_settings.py.j2')!;
    assert.equal(templateExpressionValue(scope, ' django_debug|string '), 'False');
    assert.equal(templateExpressionValue(scope, ' django_debug | bool '), 'False');
    assert.equal(templateExpressionValue(scope, ' workers '), '4');
    // a string is code where it is printed: not read
    assert.equal(templateExpressionValue(scope, ' name '), undefined);
    assert.equal(templateExpressionValue(scope, ' nothing '), undefined);
    const text = fs.readText('/r/ansible/templates/local_settings.py.j2')!;
    const rendered = pythonTemplateAsText(text, (e) => templateExpressionValue(scope, e));
    assert.equal(rendered.length, text.length);
    assert.deepEqual(rendered.split('\n').slice(0, 4), [
      'DEBUG = (False                  )',
      'WORKERS = (4          )',
      'NAME = __________',
      'X = "{{ x }}"',
    ]);
  });

  it('reads an inventory variables file without an extension (group_vars/all) as YAML, and the scan lists it as one', () => {
    const fs = new MemoryFileSystem({
      '/r/deploy/templates/local_settings.py.j2': 'DEBUG = {{ django_debug|string }}\n',
      '/r/deploy/environments/production/group_vars/all': 'django_debug: no\n',
      '/r/deploy/environments/staging/group_vars/all': 'django_debug: yes\n',
    });
    const files = scanned(['/r/deploy/environments/production/group_vars/all', '/r/deploy/environments/staging/group_vars/all']);
    const scope = ansibleScopes(fs, files)('/r/deploy/templates/local_settings.py.j2')!;
    assert.equal(templateExpressionValue(scope, ' django_debug|string '), 'False');
    assert.equal(classify('deploy/environments/production/group_vars/all'), 'manifest');
    assert.equal(classify('deploy/inventory/host_vars/web1'), 'manifest');
  });
});

describe('an optional settings override an Ansible role renders from its template, the project in a subfolder', () => {
  before(async () => {
    await loadParser();
  });

  const repository = (task: string, templateDebug = 'False'): Record<string, string> => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.gitignore': 'settings_local.py\n',
    'back/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'back/mysite/__init__.py': '',
    'back/mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'back/mysite/urls.py': 'urlpatterns = []\n',
    'back/mysite/settings.py': [
      'DEBUG = True',
      'ALLOWED_HOSTS = ["*"]',
      'SECRET_KEY = "dev-key"',
      'ROOT_URLCONF = "mysite.urls"',
      'try:',
      '    from .settings_local import *',
      'except ImportError:',
      '    pass',
      '',
    ].join('\n'),
    'deploy/roles/app/templates/settings_local.py.j2': [
      `DEBUG = ${templateDebug}`,
      'ALLOWED_HOSTS = ["{{ domain }}"]',
      'SECRET_KEY = "{{ vault_secret_key }}"',
      'SESSION_COOKIE_SECURE = True',
      'CSRF_COOKIE_SECURE = True',
      '',
    ].join('\n'),
    'deploy/roles/app/templates/gunicorn.service.j2':
      '[Service]\nWorkingDirectory={{ app_dir }}/back\nExecStart={{ app_dir }}/venv/bin/gunicorn --bind unix:/run/gunicorn.sock mysite.wsgi:application\n',
    'deploy/roles/app/tasks/main.yml': `${task}\n- template: src=gunicorn.service.j2 dest=/etc/systemd/system/gunicorn.service\n`,
  });
  const analyse = (files: Record<string, string>, folder: string) =>
    analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/r'), [folder])).projects[0]!;
  const codes = (files: Record<string, string>, folder: string): string[] =>
    analyse(files, folder)
      .findings.map((f) => `${f.code} ${f.severity}`)
      .sort();
  const KV = '- template: src=settings_local.py.j2 dest={{ app_dir }}/back/mysite/settings_local.py mode=0640';
  const MAP = '- ansible.builtin.template:\n    src: settings_local.py.j2\n    dest: "{{ app_dir }}/back/mysite/settings_local.py"';

  for (const [form, task] of [
    ['free-form', KV],
    ['src:/dest:', MAP],
  ] as const) {
    for (const folder of ['/r/back', '/r']) {
      it(`reads the template as the production override (${form}, analysed from ${folder})`, () => {
        const found = codes(repository(task), folder);
        for (const code of ['DDH107', 'DDH101', 'DDH202', 'DDH201', 'DDH306', 'DDH308'])
          assert.ok(!found.some((c) => c.startsWith(code)), `${code}:\n${found.join('\n')}`);
        const a = analyse(repository(task), folder);
        const debug = a.settings?.get('DEBUG');
        assert.equal(debug?.value.kind, 'bool');
        const key = a.settings?.get('SECRET_KEY');
        assert.equal(key?.value.kind, 'unknown');
        assert.match(
          String(key?.value.kind === 'unknown' && key.value.reason),
          /Ansible template task in (\.\.\/)?deploy\/roles\/app\/tasks\/main\.yml:1/,
        );
      });
    }
  }

  it("judges the template's own values: DEBUG = True there is production's, unless the deployment changes it", () => {
    const a = analyse(repository(KV, 'True'), '/r/back');
    const debug = a.findings.filter((f) => f.code === 'DDH107');
    assert.equal(debug.length, 1);
    assert.match(debug[0]!.loc.file, /settings_local\.py\.j2$/);
  });

  it('a template no task renders to the module, or one rendered elsewhere, leaves the base as it was', () => {
    for (const task of ['- debug: msg=hi', '- template: src=settings_local.py.j2 dest=/etc/other/settings_local.py']) {
      const found = codes(repository(task), '/r/back');
      assert.ok(found.includes('DDH107 warning'), `${task}:\n${found.join('\n')}`);
    }
  });
});

describe("an Ansible role's nginx template in front of the app its supervisord or systemd template starts, the project in a subfolder", () => {
  before(async () => {
    await loadParser();
  });

  const NGINX = [
    'upstream app_server {',
    '    server unix:/run/gunicorn.sock fail_timeout=0;',
    '}',
    'server {',
    '    listen 80;',
    '    server_name {{ domain }};',
    '    return 301 https://$host$request_uri;',
    '}',
    'server {',
    '    listen 443 ssl;',
    '    server_name {{ domain }};',
    '    ssl_certificate /etc/letsencrypt/live/{{ domain }}/fullchain.pem;',
    '    ssl_certificate_key /etc/letsencrypt/live/{{ domain }}/privkey.pem;',
    '    location / {',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_pass http://app_server;',
    '    }',
    '}',
    '',
  ].join('\n');
  const COMMAND = '{{ app_dir }}/venv/bin/gunicorn --workers 3 --bind unix:/run/gunicorn.sock mysite.wsgi:application';
  const STARTERS: Record<string, Record<string, string>> = {
    supervisord: {
      'deploy/roles/app/templates/supervisor.conf.j2': `[program:gunicorn]\ndirectory={{ app_dir }}/back\ncommand=${COMMAND}\n`,
    },
    systemd: { 'deploy/roles/app/templates/gunicorn.service.j2': `[Service]\nWorkingDirectory={{ app_dir }}/back\nExecStart=${COMMAND}\n` },
  };
  const repository = (starter: Record<string, string>, nginx = NGINX): Record<string, string> => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'back/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'back/mysite/__init__.py': '',
    'back/mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'back/mysite/urls.py': 'urlpatterns = []\n',
    'back/mysite/settings.py': [
      'import os',
      'DEBUG = False',
      'ALLOWED_HOSTS = ["example.org"]',
      'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
      'ROOT_URLCONF = "mysite.urls"',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      'SESSION_COOKIE_SECURE = True',
      'CSRF_COOKIE_SECURE = True',
      'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
      '',
    ].join('\n'),
    'deploy/roles/app/templates/nginx.conf.j2': nginx,
    'deploy/roles/app/tasks/main.yml': '- template: src=nginx.conf.j2 dest=/etc/nginx/sites-enabled/mysite.conf\n',
    ...starter,
  });
  // DDH301's findings, or its reason when the hop in front makes it not applicable
  const ssl = (files: Record<string, string>, folder: string) => {
    const p = analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/r'), [folder])).projects[0]!;
    const o = p.outcomes.get('DDH301');
    return [
      ...p.findings.filter((f) => f.code === 'DDH301').map((f) => `${f.severity} ${f.message}`),
      ...(o?.state === 'not-applicable' ? [`not-applicable ${o.reason}`] : []),
    ];
  };

  for (const [name, starter] of Object.entries(STARTERS)) {
    for (const folder of ['/r/back', '/r']) {
      it(`ties the nginx that redirects to HTTPS to the gunicorn the ${name} template starts (analysed from ${folder})`, () => {
        const found = ssl(repository(starter), folder);
        assert.equal(found.length, 1, found.join('\n'));
        assert.match(
          found[0]!,
          /^not-applicable .*redirects plain HTTP to HTTPS \((\.\.\/)?deploy\/roles\/app\/templates\/nginx\.conf\.j2\)/,
        );
      });
    }
  }

  it('an nginx that hands requests to another socket is not in front of the app', () => {
    const found = ssl(repository(STARTERS.supervisord!, NGINX.replace('unix:/run/gunicorn.sock', 'unix:/run/other.sock')), '/r/back');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^warning /);
  });
});

describe("a shared Ansible role's tasks/templates/ (not in roles/): nginx and supervisord templates tied by a socket written with the role's variables, the project in back/", () => {
  before(async () => {
    await loadParser();
  });

  const NGINX = [
    'server {',
    '    listen 80;',
    '    server_name {{ domain }};',
    '    return 301 https://$host$request_uri;',
    '}',
    'server {',
    '    listen 443 ssl;',
    '    server_name {{ domain }};',
    '    location / {',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_pass http://unix:{{ project_dir }}/gunicorn.sock;',
    '    }',
    '}',
    '',
  ].join('\n');
  const SUPERVISOR = [
    '[program:{{ project_slug }}]',
    'command={{ venv_dir }}/bin/gunicorn {{ django_module }}.wsgi:application --bind unix:{{ project_dir }}/gunicorn.sock --workers 3',
    '',
  ].join('\n');
  const TASKS = [
    '- template:',
    '    src: django-supervisor.conf.j2',
    '    dest: /etc/supervisor/conf.d/{{ project_slug }}.conf',
    '- template:',
    '    src: nginx.conf.j2',
    '    dest: /etc/nginx/sites-enabled/{{ project_slug }}.conf',
    '',
  ].join('\n');
  const PLAY = (vars: string) =>
    `- hosts: web\n  vars:\n    project_dir: /srv/mysite\n${vars}  tasks:\n    - include_tasks: site-deploy/tasks/web.yml\n`;
  const project = (name: string): Record<string, string> => ({
    [`${name}/manage.py`]: `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n`,
    [`${name}/mysite/__init__.py`]: '',
    [`${name}/mysite/wsgi.py`]: 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    [`${name}/mysite/urls.py`]: 'urlpatterns = []\n',
    [`${name}/mysite/settings.py`]: [
      'import os',
      'DEBUG = False',
      'ALLOWED_HOSTS = ["example.org"]',
      'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
      'ROOT_URLCONF = "mysite.urls"',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      'SESSION_COOKIE_SECURE = True',
      'CSRF_COOKIE_SECURE = True',
      'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
      '',
    ].join('\n'),
  });
  const repository = (over: Record<string, string> = {}): Record<string, string> => ({
    '.git/HEAD': 'ref: refs/heads/main\n',
    ...project('back'),
    'deploy/main.yml': PLAY(''),
    'deploy/site-deploy/tasks/web.yml': TASKS,
    'deploy/site-deploy/tasks/templates/nginx.conf.j2': NGINX,
    'deploy/site-deploy/tasks/templates/django-supervisor.conf.j2': SUPERVISOR,
    ...over,
  });
  // DDH301's findings, or its reason when the hop in front makes it not applicable
  const ssl = (files: Record<string, string>, folder: string) =>
    analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/r'), [folder]))
      .projects.filter((p) => p.project.root === `${folder === '/r' ? '/r/back' : folder}`)
      .flatMap((p) => {
        const o = p.outcomes.get('DDH301');
        return [
          ...p.findings.filter((f) => f.code === 'DDH301').map((f) => `${f.severity} ${f.message}`),
          ...(o?.state === 'not-applicable' ? [`not-applicable ${o.reason}`] : []),
        ];
      });
  const covered = /^not-applicable .*redirects plain HTTP to HTTPS \(\.\.\/deploy\/site-deploy\/tasks\/templates\/nginx\.conf\.j2\)/;

  it('the only Django project of the repository is the {{ django_module }} the supervisord template serves', () => {
    const found = ssl(repository(), '/r/back');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, covered);
  });

  it("the play's vars give {{ django_module }}", () => {
    const found = ssl(repository({ 'deploy/main.yml': PLAY('    django_module: mysite\n'), ...project('other') }), '/r/back');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, covered);
  });

  it("the role's defaults give {{ django_module }}", () => {
    const found = ssl(repository({ 'deploy/site-deploy/defaults/main.yml': 'django_module: mysite\n', ...project('other') }), '/r/back');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, covered);
  });

  it('a {{ django_module }} nothing gives, beside another Django project, is not known to serve this one', () => {
    const found = ssl(repository(project('other')), '/r/back');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^warning /);
  });

  it('a socket written with two different variables is not the same socket', () => {
    const other = { 'deploy/site-deploy/tasks/templates/nginx.conf.j2': NGINX.replace('{{ project_dir }}', '{{ app_dir }}') };
    for (const folder of ['/r/back', '/r']) {
      const found = ssl(repository(other), folder);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0]!, /^warning /, folder);
    }
  });
});

// A compose file's template an Ansible task renders (`docker-compose.yml.j2`): read as YAML with every
// offset kept, its `if` blocks dropped, its expressions placeholders or the values the variables give.
describe('a compose template as YAML (templateAsYaml)', () => {
  const text = [
    'services:',
    '  web:',
    '    image: "ghcr.io/example/app:{{ app_version }}"',
    '    ports:',
    '      - "8000:8000"',
    '{% if debug_port %}',
    '      - "5678:5678"',
    '{% endif %}',
    '    command: gunicorn app.wsgi -w {{ workers | default(4) }} --bind {{ bind }}:8000',
    '',
  ].join('\n');
  it('keeps every offset and line, and drops what an if block writes', () => {
    const out = templateAsYaml(text);
    assert.equal(out.length, text.length);
    assert.equal(out.split('\n').length, text.split('\n').length);
    assert.ok(!out.includes('5678'));
    assert.ok(out.includes('$(app_version___)'));
    const { problems } = parseYamlDocuments('c.yml.j2', out);
    assert.deepEqual(problems, []);
  });
  it('fills in a known value at the end of its quoted string or line, moving the quote; not before more of its line', () => {
    const at = (s: string): { start: number; end: number } => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
    const out = templateAsYaml(text, [
      { ...at('{{ app_version }}'), value: '1.4.2' },
      { ...at('{{ workers | default(4) }}'), value: '4' },
      { ...at('{{ bind }}'), value: '0.0.0.0' },
    ]);
    assert.equal(out.length, text.length);
    assert.ok(out.includes('image: "ghcr.io/example/app:1.4.2"'));
    // (a shorter value with more of its line after it stays a placeholder: spaces in its place
    // would change a quoted value; `{{ bind }}:8000` likewise)
    assert.ok(out.includes('-w $(ttt'));
    assert.ok(out.includes('--bind $(bind___):8000'));
  });
});

describe("an expression's printed value (templatePrintedValue)", () => {
  const scopeOf = (vars: Record<string, string>) => ({
    role: '/r',
    lookup: (name: string) =>
      name in vars
        ? [{ node: parseYamlDocuments('v.yml', `${name}: ${vars[name]}\n`).documents[0]!, file: '/r/v.yml', level: 'x' }].map((b) => ({
            ...b,
            node: (b.node as { entries: { value: YamlScalar }[] }).entries[0]!.value,
          }))
        : [],
  });
  it('a default when no variables file sets the variable, the value when one does', () => {
    assert.equal(templatePrintedValue(scopeOf({}), '{{ workers | default(4) }}'), '4');
    assert.equal(templatePrintedValue(scopeOf({ workers: '9' }), '{{ workers | default(4) }}'), '9');
    assert.equal(templatePrintedValue(scopeOf({ domain: 'shop.example.org' }), '{{ domain }}'), 'shop.example.org');
    assert.equal(templatePrintedValue(scopeOf({}), '{{ domain }}'), undefined);
    assert.equal(templatePrintedValue(scopeOf({ a: '1' }), '{{ a + 1 }}'), undefined);
  });
});
