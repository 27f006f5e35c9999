// The app's kind as libraries show it (models/settings/appKind.ts, assetPipeline.ts): an API made
// with django-ninja whose callers authenticate by a header is a token-only JSON API as DRF's is;
// routed beside the admin it is not, but is a header API whose only pages are the admin's; and
// the asset pipelines that hash the CSS and JavaScript the templates load.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import type { AppKind } from '../../server/src/analysis/models/settings/appKind';
import type { AssetPipelineAnswer } from '../../server/src/analysis/models/settings/assetPipeline';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { withCheck } from '../helpers/ruleStub';

const SETTINGS = (apps: string[], extra = ''): string =>
  [
    'import os',
    'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    'DEBUG = False',
    'ALLOWED_HOSTS = ["api.example.com"]',
    `INSTALLED_APPS = ${JSON.stringify(['django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions', 'django.contrib.staticfiles', ...apps])}`,
    'ROOT_URLCONF = "mysite.urls"',
    'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True}]',
    'STATIC_URL = "/static/"',
    'STATIC_ROOT = "/srv/static"',
    extra,
  ].join('\n');

const URLS = 'from django.urls import path\nfrom api.api import api\n\nurlpatterns = [path("api/", api.urls)]\n';
const URLS_ADMIN =
  'from django.contrib import admin\nfrom django.urls import path\nfrom api.api import api\n\nurlpatterns = [path("admin/", admin.site.urls), path("api/", api.urls)]\n';

const api = (head: string, call: string): string =>
  `from ninja import NinjaAPI\n${head}\napi = NinjaAPI(${call})\n\n@api.get("/ping")\ndef ping(request):\n    return {"ok": True}\n`;

/** What DDH409's context answers for a project of these files. */
function kindOf(
  files: Record<string, string>,
  /** The folder analysed, under /p (files are given from /p, with `manage.py` and `mysite/` placed in it). */
  sub = '',
  above: Record<string, string> = {},
): { kind: AppKind | undefined; pipeline: AssetPipelineAnswer | undefined } {
  let kind: AppKind | undefined;
  let pipeline: AssetPipelineAnswer | undefined;
  withCheck(
    'DDH409',
    (ctx) => {
      kind = ctx.appKind;
      pipeline = ctx.assetPipeline;
    },
    () =>
      analyzeWorkspace(
        new Workspace(
          new MemoryFileSystem(
            {
              ...Object.fromEntries(
                Object.entries({
                  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
                  'mysite/__init__.py': '',
                  'api/__init__.py': '',
                  ...files,
                }).map(([k, v]) => [`${sub}${k}`, v]),
              ),
              ...above,
            },
            '/p',
          ),
          [`/p${sub ? `/${sub.replace(/\/$/, '')}` : ''}`],
        ),
      ),
  );
  return { kind, pipeline };
}

describe('app kind: django-ninja', () => {
  before(async () => {
    await loadParser();
  });

  it('an API authenticating by ninja-jwt’s JWTAuth, no admin routed, is a token-only JSON API with its docs page said', () => {
    const { kind } = kindOf({
      'mysite/settings.py': SETTINGS(['ninja_jwt']),
      'mysite/urls.py': URLS,
      'api/api.py': api('from ninja_jwt.authentication import JWTAuth', 'auth=JWTAuth()'),
    });
    assert.equal(kind?.headerOnlyApi.state, 'yes');
    assert.equal(kind?.tokenJsonApi.state, 'yes', kind?.tokenJsonApi.why);
    assert.match(kind!.tokenJsonApi.why, /made with django-ninja.*JWTAuth.*docs page/);
    assert.equal(kind?.headerApiWithAdmin.state, 'no');
  });

  it('a class of the project subclassing HttpBearer authenticates by a header; docs_url=None serves no docs page', () => {
    const { kind } = kindOf({
      'mysite/settings.py': SETTINGS([]),
      'mysite/urls.py': URLS,
      'api/auth.py':
        'from ninja.security import HttpBearer\n\nclass AuthBearer(HttpBearer):\n    def authenticate(self, request, token):\n        return token == "x"\n',
      'api/api.py': api('from api.auth import AuthBearer', 'auth=[AuthBearer()], docs_url=None'),
    });
    assert.equal(kind?.tokenJsonApi.state, 'yes', kind?.tokenJsonApi.why);
    assert.doesNotMatch(kind!.tokenJsonApi.why, /docs page/);
  });

  it('with the admin routed it is no token-only API, but a header API whose only pages are the admin’s', () => {
    const { kind } = kindOf({
      'mysite/settings.py': SETTINGS(['ninja_jwt']),
      'mysite/urls.py': URLS_ADMIN,
      'api/api.py': api('from ninja_jwt.authentication import JWTAuth', 'auth=JWTAuth()'),
    });
    assert.equal(kind?.tokenJsonApi.state, 'no');
    assert.match(kind!.tokenJsonApi.why, /mysite\/urls\.py:5 routes the admin/);
    assert.equal(kind?.headerApiWithAdmin.state, 'yes', kind?.headerApiWithAdmin.why);
    assert.match(kind!.headerApiWithAdmin.brief ?? '', /only HTML is the admin \(mysite\/urls\.py:5\) and its docs page/);
  });

  it('the session (django_auth) or a cookie key is no header API; no auth or a renderer of its own is unknown', () => {
    const session = kindOf({
      'mysite/settings.py': SETTINGS([]),
      'mysite/urls.py': URLS,
      'api/api.py': api('from ninja.security import django_auth', 'auth=django_auth'),
    }).kind;
    assert.equal(session?.headerOnlyApi.state, 'no');
    assert.equal(session?.tokenJsonApi.state, 'no');
    const open = kindOf({ 'mysite/settings.py': SETTINGS([]), 'mysite/urls.py': URLS, 'api/api.py': api('', 'title="Open"') }).kind;
    assert.equal(open?.tokenJsonApi.state, 'unknown');
    assert.match(open!.tokenJsonApi.why, /sets no auth/);
    const rendered = kindOf({
      'mysite/settings.py': SETTINGS([]),
      'mysite/urls.py': URLS,
      'api/api.py': api(
        'from ninja.security import APIKeyHeader\nfrom api.render import HtmlRenderer',
        'auth=APIKeyHeader(), renderer=HtmlRenderer()',
      ),
    }).kind;
    assert.equal(rendered?.tokenJsonApi.state, 'unknown');
    assert.match(rendered!.tokenJsonApi.why, /its own renderer/);
  });
});

describe('asset pipelines', () => {
  before(async () => {
    await loadParser();
  });

  const page = (body: string): string => `{% load static compress %}<html><head>${body}</head></html>\n`;

  it('django-compressor’s {% compress css %} with compression on (its default with DEBUG off) hashes the templates’ CSS', () => {
    const { pipeline } = kindOf({
      'mysite/settings.py': SETTINGS(['compressor']),
      'mysite/urls.py': 'urlpatterns = []\n',
      'mysite/templates/base.html': page(`{% compress css %}<link rel="stylesheet" href="{% static 'css/a.css' %}">{% endcompress %}`),
    });
    assert.equal(pipeline?.state, 'yes', pipeline?.why);
    assert.equal(pipeline?.library, 'django-compressor');
    assert.equal(pipeline?.outside, undefined);
  });

  it('a CSS file linked with {% static %} outside the block is named; COMPRESS_ENABLED = False hashes nothing', () => {
    const tpl = page(
      `{% compress css %}<link rel="stylesheet" href="{% static 'css/a.css' %}">{% endcompress %}\n<script src="{% static "js/b.js" %}"></script>`,
    );
    const outside = kindOf({
      'mysite/settings.py': SETTINGS(['compressor']),
      'mysite/urls.py': 'urlpatterns = []\n',
      'mysite/templates/base.html': tpl,
    });
    assert.match(outside.pipeline?.outside ?? '', /mysite\/templates\/base\.html:2 links js\/b\.js/);
    const off = kindOf({
      'mysite/settings.py': SETTINGS(['compressor'], 'COMPRESS_ENABLED = False'),
      'mysite/urls.py': 'urlpatterns = []\n',
      'mysite/templates/base.html': tpl,
    });
    assert.equal(off.pipeline?.state, 'no');
  });

  it('django-webpack-loader: hashed with [contenthash] in the webpack configuration, not without; unknown with none', () => {
    const files = {
      'mysite/settings.py': SETTINGS(['webpack_loader']),
      'mysite/urls.py': 'urlpatterns = []\n',
      'mysite/templates/base.html': "{% load render_bundle from webpack_loader %}{% render_bundle 'main' %}\n",
    };
    const hashed = kindOf({
      ...files,
      'frontend/webpack.prod.js': 'module.exports = { output: { filename: "[name].[contenthash:8].js" } };\n',
    });
    assert.equal(hashed.pipeline?.state, 'yes', hashed.pipeline?.why);
    const plain = kindOf({ ...files, 'frontend/webpack.config.js': 'module.exports = { output: { filename: "[name].js" } };\n' });
    assert.equal(plain.pipeline?.state, 'no');
    assert.equal(kindOf(files).pipeline?.state, 'unknown');
  });

  it('django-webpack-loader: a filename whose hashed value is on the lines after it (a conditional) hashes; a value ended on its line is read alone', () => {
    const files = {
      'mysite/settings.py': SETTINGS(['webpack_loader']),
      'mysite/urls.py': 'urlpatterns = []\n',
      'mysite/templates/base.html': "{% load render_bundle from webpack_loader %}{% render_bundle 'main' %}\n",
    };
    const split = kindOf({
      ...files,
      'frontend/webpack.config.js':
        'module.exports = (env, argv) => ({\n  output: {\n    filename: argv.mode === "production"\n      ? "[name]-[contenthash].js"\n      : "[name].js",\n  },\n});\n',
    });
    assert.equal(split.pipeline?.state, 'yes', split.pipeline?.why);
    const ended = kindOf({
      ...files,
      'frontend/webpack.config.js':
        'module.exports = {\n  output: {\n    filename: "[name].js",\n    publicPath: "/static/[hash]/",\n  },\n};\n',
    });
    assert.equal(ended.pipeline?.state, 'no', ended.pipeline?.why);
  });

  it('django-webpack-loader: the bundler’s configuration beside the analysed folder in its repository (frontend/ beside backend/)', () => {
    const { pipeline } = kindOf(
      {
        'mysite/settings.py': SETTINGS(['webpack_loader']),
        'mysite/urls.py': 'urlpatterns = []\n',
        'mysite/templates/base.html': "{% load render_bundle from webpack_loader %}{% render_bundle 'main' %}\n",
      },
      'backend/',
      {
        '.git/HEAD': 'ref: refs/heads/main\n',
        'frontend/webpack.config.js': 'module.exports = { output: { filename: "[name].[contenthash].js" } };\n',
      },
    );
    assert.equal(pipeline?.state, 'yes', pipeline?.why);
    assert.match(pipeline?.brief ?? '', /\.\.\/frontend\/webpack\.config\.js/);
  });

  it('django-compressor: COMPRESS_ENABLED from the environment, off as written, presumed on with COMPRESS_OFFLINE or a deployment running compress; a written False stays off', () => {
    const tpl = page(`{% compress css %}<link rel="stylesheet" href="{% static 'css/a.css' %}">{% endcompress %}`);
    const envEnabled = 'COMPRESS_ENABLED = os.environ.get("COMPRESS_ENABLED", "False") == "True"';
    const of = (extra: string, more: Record<string, string> = {}): AssetPipelineAnswer | undefined =>
      kindOf({
        'mysite/settings.py': SETTINGS(['compressor'], extra),
        'mysite/urls.py': 'urlpatterns = []\n',
        'mysite/templates/base.html': tpl,
        ...more,
      }).pipeline;
    assert.equal(of(envEnabled)?.state, 'no');
    const offline = of(`${envEnabled}\nCOMPRESS_OFFLINE = True`);
    assert.equal(offline?.state, 'yes', offline?.why);
    assert.deepEqual(offline?.presumed, { setting: 'COMPRESS_ENABLED', because: 'COMPRESS_OFFLINE is on' });
    const command = of(envEnabled, {
      Dockerfile:
        'FROM python:3.12-slim\nCOPY . /app\nRUN ["python", "manage.py", "compress", "--force"]\nCMD ["gunicorn", "mysite.wsgi"]\n',
    });
    assert.equal(command?.state, 'yes', command?.why);
    assert.match(command?.presumed?.because ?? '', /^Dockerfile:3 runs compress$/);
    assert.equal(of('COMPRESS_ENABLED = False\nCOMPRESS_OFFLINE = True')?.state, 'no');
  });
});
