// AWS Elastic Beanstalk's `.ebextensions/*.config` (readers/platforms/elasticBeanstalk.ts): the bundle's
// configuration files read together, the production module they name, Gunicorn on WSGIPath or the
// Procfile, the RDS_* variables the platform sets, the load balancer's HTTPS and redirect, and the
// release steps (container_commands, .platform/hooks).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { classify, type ScannedFile } from '../../server/src/analysis/files/scan';
import { readDeployFile } from '../../server/src/analysis/readers/deploy';
import { EB_FORMAT, EB_NO_ALB_FORMAT, wsgiApp } from '../../server/src/analysis/readers/platforms/elasticBeanstalk';
import { Workspace } from '../../server/src/analysis/engine/workspace';

const read = (files: Record<string, string>, file: string) =>
  readDeployFile(new MemoryFileSystem(files, '/p'), { path: `/p/${file}`, kind: 'config' } as ScannedFile);

const MAP_FORM = [
  'option_settings:',
  '  aws:elasticbeanstalk:application:environment:',
  '    DJANGO_SETTINGS_MODULE: mysite.settings.production',
  '  aws:elasticbeanstalk:container:python:',
  '    WSGIPath: mysite.wsgi:application',
  '    NumThreads: 4',
  '',
].join('\n');

describe('Elastic Beanstalk: the files', () => {
  it('.ebextensions/*.config and the EB CLI config.yml are platform files; .platform/nginx files stay proxy configurations', () => {
    assert.equal(classify('.ebextensions/01_django.config'), 'config');
    assert.equal(classify('app/.ebextensions/django.config'), 'config');
    assert.equal(classify('.elasticbeanstalk/config.yml'), 'config');
    assert.equal(classify('.ebextensions/nginx/README.md'), undefined);
    assert.equal(classify('.platform/nginx/conf.d/proxy.conf'), 'proxy');
    assert.equal(classify('.platform/hooks/predeploy/01_migrate.sh'), 'shell');
  });

  it('wsgiApp: the module:callable as written, an older file path as its module', () => {
    assert.equal(wsgiApp('mysite.wsgi:application'), 'mysite.wsgi:application');
    assert.equal(wsgiApp('mysite/wsgi.py'), 'mysite.wsgi');
    assert.equal(wsgiApp('application'), 'application');
  });
});

describe('Elastic Beanstalk: the environment', () => {
  it('the map form: the environment, Gunicorn on 127.0.0.1:8000 serving WSGIPath, the RDS_* variables set but not known', () => {
    const d = read({ '.ebextensions/01_django.config': MAP_FORM }, '.ebextensions/01_django.config')!;
    assert.equal(d.format, EB_FORMAT);
    const web = d.processes[0]!;
    assert.equal(web.env.get('DJANGO_SETTINGS_MODULE')?.value, 'mysite.settings.production');
    assert.equal(web.shell?.text, 'gunicorn --bind 127.0.0.1:8000 --threads=4 mysite.wsgi:application');
    // the app is mapped to the WSGIPath value
    const app = web.shell!.text.indexOf('mysite.wsgi');
    assert.equal(MAP_FORM.slice(web.shell!.starts[app]!, web.shell!.starts[app]! + 11), 'mysite.wsgi');
    for (const v of ['RDS_HOSTNAME', 'RDS_PORT', 'RDS_DB_NAME', 'RDS_USERNAME', 'RDS_PASSWORD']) {
      assert.equal(web.env.get(v)?.value, '');
      assert.match(web.env.get(v)?.from ?? '', /Elastic Beanstalk, when a database is attached/);
    }
    assert.equal(web.pushedDir, '/p');
    assert.equal(web.platformTls, undefined);
    assert.equal(web.httpsRedirect, undefined);
  });

  it('the list form (JSON), a later file over an earlier one, the default namespace', () => {
    const files = {
      '.ebextensions/01.config': JSON.stringify({
        option_settings: [
          { namespace: 'aws:elasticbeanstalk:application:environment', option_name: 'DJANGO_SETTINGS_MODULE', value: 'a.settings' },
          { namespace: 'aws:elasticbeanstalk:container:python', option_name: 'WSGIPath', value: 'a/wsgi.py' },
        ],
      }),
      '.ebextensions/02.config': 'option_settings:\n  - option_name: DJANGO_SETTINGS_MODULE\n    value: b.settings\n',
    };
    const d = read(files, '.ebextensions/01.config')!;
    assert.equal(d.processes[0]!.env.get('DJANGO_SETTINGS_MODULE')?.value, 'b.settings');
    assert.equal(d.processes[0]!.shell?.text, 'gunicorn --bind 127.0.0.1:8000 --threads=15 a.wsgi');
    // the second file stands for nothing of its own
    assert.equal(read(files, '.ebextensions/02.config')!.processes.length, 0);
  });

  it('a Procfile beside .ebextensions runs in place of Gunicorn on WSGIPath: the environment has no command of its own', () => {
    const d = read(
      { '.ebextensions/django.config': MAP_FORM, Procfile: 'web: gunicorn --bind :8000 mysite.wsgi\n' },
      '.ebextensions/django.config',
    )!;
    assert.equal(d.processes[0]!.shell, undefined);
    assert.equal(d.processes[0]!.env.get('DJANGO_SETTINGS_MODULE')?.value, 'mysite.settings.production');
  });

  it('the load balancer: listener 443 HTTPS ends TLS; a redirect action on the port-80 listener redirects; a single instance has none', () => {
    const listener = `${MAP_FORM}  aws:elbv2:listener:443:\n    Protocol: HTTPS\n    SSLCertificateArns: arn:aws:acm:x\n`;
    const redirect = [
      'Resources:',
      '  AWSEBV2LoadBalancerListener:',
      '    Type: AWS::ElasticLoadBalancingV2::Listener',
      '    Properties:',
      '      Port: 80',
      '      DefaultActions:',
      '        - Type: redirect',
      '          RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}',
      '',
    ].join('\n');
    const d = read({ '.ebextensions/01.config': listener, '.ebextensions/02.config': redirect }, '.ebextensions/01.config')!;
    assert.equal(d.processes[0]!.platformTls?.known, true);
    assert.match(d.processes[0]!.httpsRedirect ?? '', /02\.config: Resources AWSEBV2LoadBalancerListener/);
    const rule = [
      'Resources:',
      '  HttpsRule:',
      '    Type: AWS::ElasticLoadBalancingV2::ListenerRule',
      '    Properties:',
      '      ListenerArn: {Ref: AWSEBV2LoadBalancerListener}',
      '      Priority: 1',
      '      Conditions: [{Field: path-pattern, Values: ["/admin/*"]}]',
      '      Actions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS}}]',
      '',
    ].join('\n');
    // a rule for some paths only is no redirect of plain HTTP
    assert.equal(
      read({ '.ebextensions/01.config': listener, '.ebextensions/02.config': rule }, '.ebextensions/01.config')!.processes[0]!
        .httpsRedirect,
      undefined,
    );
    const every = rule.replace('/admin/*', '*');
    assert.ok(
      read({ '.ebextensions/01.config': listener, '.ebextensions/02.config': every }, '.ebextensions/01.config')!.processes[0]!
        .httpsRedirect,
    );
    const single = `${listener}  aws:elasticbeanstalk:environment:\n    EnvironmentType: SingleInstance\n`;
    const s = read({ '.ebextensions/01.config': single }, '.ebextensions/01.config')!;
    assert.equal(s.format, EB_NO_ALB_FORMAT);
    assert.equal(s.processes[0]!.platformTls, undefined);
  });

  it('the release steps: container_commands in the order of their names, then the platform hooks', () => {
    const config = [
      MAP_FORM,
      'container_commands:',
      '  02_collectstatic:',
      '    command: "python3 manage.py collectstatic --noinput"',
      '  01_migrate:',
      '    command: "python3 manage.py migrate --noinput"',
      '    leader_only: true',
      '',
    ].join('\n');
    const d = read(
      {
        '.ebextensions/django.config': config,
        '.platform/hooks/postdeploy/01_warm.sh': '#!/bin/bash\ncurl -fsS http://127.0.0.1/\n',
      },
      '.ebextensions/django.config',
    )!;
    const once = d.processes.slice(1);
    assert.deepEqual(
      once.map((p) => p.label),
      [
        '.ebextensions/django.config (container_commands 01_migrate)',
        '.ebextensions/django.config (container_commands 02_collectstatic)',
        '.platform/hooks/postdeploy/01_warm.sh (Elastic Beanstalk postdeploy hook)',
      ],
    );
    assert.match(once[0]!.once ?? '', /on one instance \(leader_only\)/);
    assert.match(once[1]!.once ?? '', /on every instance/);
    assert.equal(once[0]!.shell?.text, 'python3 manage.py migrate --noinput');
    assert.equal(once[2]!.shell?.file, '/p/.platform/hooks/postdeploy/01_warm.sh');
  });
});

describe('Elastic Beanstalk: the production module', () => {
  it("the DJANGO_SETTINGS_MODULE option_settings give is production's, over the modules by name", () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")\n',
      'shop/__init__.py': '',
      'shop/settings/__init__.py': '',
      'shop/settings/base.py': 'DEBUG = False\n',
      'shop/settings/dev.py': 'from .base import *\nDEBUG = True\n',
      'shop/settings/production.py': 'from .base import *\n',
      'shop/settings/aws.py': 'from .base import *\nALLOWED_HOSTS = [".elasticbeanstalk.com"]\n',
      'shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")\n',
      '.ebextensions/django.config':
        'option_settings:\n  aws:elasticbeanstalk:application:environment:\n    DJANGO_SETTINGS_MODULE: shop.settings.aws\n  aws:elasticbeanstalk:container:python:\n    WSGIPath: shop.wsgi:application\n',
    };
    const p = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']).projects()[0]!;
    assert.equal(p.production?.module.name, 'shop.settings.aws');
    assert.match(p.production?.reason ?? '', /^named by \.ebextensions\/django\.config:3/);
  });
});
