// Django, gunicorn and uvicorn versions from the dependency files, read through real parsers (TOML,
// JSON, PEP 440), and what the product says when the Django version is only assumed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { DJANGO_NEWEST_VERSION } from '../../server/src/analysis/catalogue/djangoDefaults';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import {
  parsePep508,
  poetryToPep440,
  readDockerfile,
  readLockFile,
  readRequirementsText,
  readSetupCfg,
  readSetupPy,
  readTomlDependencies,
} from '../../server/src/analysis/readers/python/dependencies';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import {
  DJANGO_RELEASE_LINES,
  detectVersions,
  newestAllowed,
  newestDjangoForPython,
  readConstraint,
  sideOf,
} from '../../server/src/analysis/models/project/version';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { installTargets, installedDependencyFiles, staleDependencyFile } from '../../server/src/analysis/models/project/installs';
import { parseDockerfile } from '../../server/src/analysis/readers/container/dockerfile';
import type { ScannedFile } from '../../server/src/analysis/files/scan';
import { CLI, FIXTURES } from '../helpers/paths';
import { projectsOf } from './evalHarness';

const PROJECTS = path.join(FIXTURES, 'projects');

function fixture(name: string, options = {}) {
  const ws = new Workspace(new NodeFileSystem(), [path.join(PROJECTS, name)]);
  const analysis = analyzeWorkspace(ws, options);
  assert.equal(analysis.projects.length, 1);
  return analysis.projects[0]!;
}

describe('constraints: the newest known release they allow', () => {
  const cases: [string, string | undefined][] = [
    ['==4.*', '4.2'], // was 4.0
    ['==4.1.*', '4.1'],
    ['>=4.2,<5.0', '4.2'],
    ['>=4.2, <5', '4.2'],
    ['>=4.2.7,<4.3', '4.2'],
    ['<4', '3.2'],
    ['<=4.2.3', '4.2'],
    ['!=4.2.*,<5', '4.1'],
    ['~=4.1', '4.2'],
    ['~=4.1.0', '4.1'],
    ['==4.1.7', '4.1'],
    ['===4.2.7', '4.2'],
    ['==5.0rc1', '5.0'],
    ['>3.2', DJANGO_NEWEST_VERSION],
    ['>=4.2', DJANGO_NEWEST_VERSION],
    // Poetry
    ['^3.2', '3.2'],
    ['^4.1', '4.2'],
    ['~3.2', '3.2'],
    ['~4', '4.2'],
    ['4.2.7', '4.2'],
    ['>=3.2 <4.1', '4.0'],
    ['^3.2 || ^4.2', '4.2'],
    ['*', undefined],
    ['', undefined],
    ['not a constraint', undefined],
  ];
  for (const [spec, expected] of cases) {
    it(`${JSON.stringify(spec)} → ${expected}`, () => assert.equal(newestAllowed(spec), expected));
  }

  it('says why when the constraint allows no release it knows', () => {
    const r = readConstraint('>=7.0');
    assert.ok(r && 'none' in r, JSON.stringify(r));
    assert.match((r as { none: string }).none, new RegExp(`newest it knows is ${DJANGO_NEWEST_VERSION.replace('.', '\\.')}`));
  });

  it('knows the release lines up to the newest the defaults describe', () => {
    assert.equal(DJANGO_RELEASE_LINES[DJANGO_RELEASE_LINES.length - 1], DJANGO_NEWEST_VERSION);
  });

  it("translates Poetry's caret and tilde", () => {
    assert.deepEqual(poetryToPep440('^1.2.3'), ['>=1.2.3,<2']);
    assert.deepEqual(poetryToPep440('^0.2.3'), ['>=0.2.3,<0.3']);
    assert.deepEqual(poetryToPep440('^0.0.3'), ['>=0.0.3,<0.0.4']);
    assert.deepEqual(poetryToPep440('~1.2.3'), ['>=1.2.3,<1.3']);
    assert.deepEqual(poetryToPep440('~1'), ['>=1,<2']);
    assert.deepEqual(poetryToPep440('*'), ['']);
  });

  it('which side of a release a requirement keeps a package on (django-csp and its 4.0)', () => {
    const side = (specifier: string | undefined, exact?: string) => sideOf({ specifier, exact }, '4.0');
    assert.equal(side('==3.8', '3.8'), 'below');
    assert.equal(side('==4.0', '4.0'), 'from');
    for (const s of ['<4', '<4.0', '~=3.7', '==3.*', '>=3.7,<4', '^3.8', '3.8.*']) assert.equal(side(s), 'below', s);
    for (const s of ['>=4', '>=4.0', '~=4.0', '^4.0', '>4.0,<5']) assert.equal(side(s), 'from', s);
    for (const s of ['', '*', '>=3.7', '<5', '!=4.0', '>=3.8,<4.1', 'not a constraint']) assert.equal(side(s), undefined, s);
    assert.equal(side(undefined), undefined);
  });
});

describe('dependency readers', () => {
  it('PEP 508 strings: extras, markers, parentheses, URLs', () => {
    assert.deepEqual(parsePep508('django[argon2]>=4.2,<5 ; python_version >= "3.10"'), {
      name: 'django',
      specifier: '>=4.2,<5',
      url: false,
    });
    assert.deepEqual(parsePep508('Django (>=4.2)'), { name: 'Django', specifier: '>=4.2', url: false });
    assert.deepEqual(parsePep508('django @ git+https://u:p@host/django.git'), { name: 'django', specifier: undefined, url: true });
    assert.equal(parsePep508('django shop'), undefined);
    assert.equal(parsePep508('Django shop'), undefined);
  });

  it('requirement lines: hashes, comments, -e with #egg, other django-* packages', () => {
    const r = readRequirementsText(
      'django-environ==0.11\n# Django==1.0\nDjango==4.2.7 \\\n    --hash=sha256:abc  # pinned\n',
      '/r.txt',
      'django',
    );
    assert.equal(r?.exact, '4.2.7');
    assert.equal(r?.display, 'Django==4.2.7');
    const e = readRequirementsText('-e git+https://github.com/django/django.git@main#egg=Django\n', '/r.txt', 'django');
    assert.equal(e?.specifier, undefined);
    assert.doesNotMatch(e!.display, /github|https/);
  });

  it('pyproject.toml: a description that mentions Django is not a requirement', () => {
    assert.equal(
      readTomlDependencies('[project]\nname = "shop"\ndescription = "Django shop"\ndependencies = ["requests"]\n', '/p', 'django'),
      undefined,
    );
    const poetry = readTomlDependencies(
      '[tool.poetry]\ndescription = "Django shop"\n\n[tool.poetry.dependencies]\ndjango = "^3.2"\n',
      '/p',
      'django',
    );
    assert.equal(poetry && 'specifier' in poetry ? poetry.specifier : poetry, '>=3.2,<4');
  });

  it('pyproject.toml: multi-line PEP 621 arrays, Poetry tables, dev groups second', () => {
    const pep = readTomlDependencies(
      '[project]\ndependencies = [\n  "django-environ",\n  # comment\n  "Django>=4.2,<5.0",\n]\n',
      '/p',
      'django',
    );
    assert.ok(pep && 'display' in pep);
    assert.equal(pep.display, 'Django>=4.2,<5.0');
    const dev = readTomlDependencies(
      '[tool.poetry.group.dev.dependencies]\ndjango = "^5.0"\n[tool.poetry.dependencies]\ndjango = { version = "~3.2", extras = ["argon2"] }\n',
      '/p',
      'django',
    );
    assert.ok(dev && 'display' in dev);
    assert.equal(dev.display, 'django ~3.2');
    assert.equal(dev.dev, false);
    // several constraints (by Python version): the newest any allows; only those that read as constraints are shown
    const multi = readTomlDependencies(
      '[tool.poetry.dependencies]\ndjango = [\n  { version = "^3.2", python = "<3.10" },\n  { version = "\\u001b[31m junk", python = ">=3.10" },\n  { version = "^4.2", python = ">=3.10" },\n]\n',
      '/p',
      'django',
    );
    assert.ok(multi && 'display' in multi);
    assert.equal(multi.display, 'django ^3.2 || ^4.2');
    assert.equal(newestAllowed(multi.specifier!), '4.2');
    const bad = readTomlDependencies('[project\n', '/p', 'django');
    assert.ok(bad && 'error' in bad);
  });

  it('Pipfile: packages before dev-packages, "*" allows any', () => {
    const p = readTomlDependencies('[dev-packages]\ndjango = "==5.0"\n[packages]\ndjango = "*"\n', '/Pipfile', 'django');
    assert.ok(p && 'specifier' in p);
    assert.equal(p.specifier, '');
  });

  it('lock files: poetry.lock / uv.lock through TOML, Pipfile.lock through JSON', () => {
    const uv = readLockFile(
      'version = 1\n\n[[package]]\nname = "django"\nversion = "5.1.4"\nsource = { registry = "https://pypi.org/simple" }\n',
      '/uv.lock',
      'django',
    );
    assert.ok(uv && 'exact' in uv);
    assert.equal(uv.exact, '5.1.4');
    const pipenv = readLockFile(
      '{"default": {"gunicorn": {"version": "==21.2.0"}}, "develop": {"django": {"version": "==5.0"}}}',
      '/Pipfile.lock',
      'django',
    );
    assert.ok(pipenv && 'dev' in pipenv);
    assert.equal(pipenv.dev, true);
    // a `name = "django"` in another table of a package is not the package
    assert.equal(
      readLockFile('[[package]]\nname = "x"\nversion = "1"\n[package.extras]\nname = "django"\n', '/poetry.lock', 'django'),
      undefined,
    );
  });

  it('setup.cfg and setup.py install_requires', () => {
    assert.equal(
      readSetupCfg(
        '[metadata]\ndescription = Django app\n[options]\ninstall_requires =\n    django-environ\n    Django>=3.0,<3.1\n',
        '/s',
        'django',
      )?.specifier,
      '>=3.0,<3.1',
    );
    assert.equal(readSetupCfg('[options.extras_require]\ndev =\n    Django==5.0\n', '/s', 'django'), undefined);
    assert.equal(readSetupPy('setup(install_requires=REQS, extras_require={"dev": ["Django==5.0"]})\n', '/s', 'django'), undefined);
    assert.equal(
      readSetupPy(
        'setup(\n    name="x",\n    description="Django thing",\n    install_requires=[\n        "requests",  # http\n        "Django==4.0.1",\n    ],\n)\n',
        '/s',
        'django',
      )?.exact,
      '4.0.1',
    );
  });

  it('Dockerfile pip install', () => {
    assert.equal(
      readDockerfile('RUN pip3 install -U pip && pip3 install "django>=4.2,<5" gunicorn\n', '/D', 'django')?.specifier,
      '>=4.2,<5',
    );
    assert.equal(readDockerfile('# RUN pip install django==1.11\nRUN pip install -r requirements.txt\n', '/D', 'django'), undefined);
    assert.equal(
      readDockerfile('RUN python -m pip install \\\n  --no-cache-dir \\\n  gunicorn==22.0.0\n', '/D', 'gunicorn')?.exact,
      '22.0.0',
    );
  });
});

describe('project versions (fixture projects)', () => {
  before(async () => {
    await loadParser();
  });

  it('deps-poetry: the Poetry dependency, not the description or the dev group', () => {
    const a = fixture('deps-poetry');
    assert.equal(a.project.djangoVersion.version, '3.2');
    assert.equal(a.project.djangoVersion.source, 'pyproject.toml: Django ^3.2');
    assert.equal(a.project.versions.gunicorn?.exact, '20.1.0');
    // [tool.django-deploy-check.severity] with a quoted key is read
    assert.deepEqual(a.project.config.severity, { DDH305: 'hint' });
    assert.equal(a.project.config.warnings, undefined);
  });

  it('deps-includes: -r and -c includes and the constraints file; the dev file does not decide', () => {
    const a = fixture('deps-includes');
    assert.deepEqual(
      [a.project.djangoVersion.version, a.project.djangoVersion.exact, a.project.djangoVersion.source],
      ['4.1', '4.1.13', 'site/constraints.txt: Django==4.1.13'],
    );
    assert.equal(a.project.versions.gunicorn?.exact, '22.0.0');
    assert.equal(a.project.versions.gunicorn?.source, 'site/requirements/base.txt: gunicorn==22.0.0');
    assert.equal(a.project.versions.uvicorn?.exact, undefined);
    assert.equal(a.project.versions.uvicorn?.specifier, '>=0.29,<0.31');
  });

  it('deps-dockerfile: pip install in the Dockerfile (setup.cfg names only requests)', () => {
    const a = fixture('deps-dockerfile');
    assert.deepEqual(
      [a.project.djangoVersion.version, a.project.djangoVersion.assumed, a.project.djangoVersion.source],
      ['4.0', false, 'Dockerfile: Django==4.0.10'],
    );
    assert.equal(a.project.versions.gunicorn?.exact, '21.2.0');
    assert.equal(a.project.versions.uvicorn?.exact, '0.30.1');
  });

  it('deps-none: the startproject header is a lower bound: the newest is assumed and the header said', () => {
    const a = fixture('deps-none');
    const v = a.project.djangoVersion;
    assert.deepEqual([v.version, v.assumed, v.how], [DJANGO_NEWEST_VERSION, true, 'header']);
    assert.match(
      v.assumption!,
      /no dependency file names it; mysite\/settings\.py was generated by Django 3\.2's startproject, so it runs on 3\.2 or later/,
    );
  });

  it('deps-url-token: a URL requirement gives no version, and its token is printed nowhere', () => {
    const a = fixture('deps-url-token');
    const v = a.project.djangoVersion;
    assert.deepEqual([v.version, v.assumed], [DJANGO_NEWEST_VERSION, true]);
    assert.equal(a.project.versions.gunicorn?.exact, '23.0.0');
    const dir = path.join(PROJECTS, 'deps-url-token');
    const outputs = [
      spawnSync(process.execPath, [CLI, dir, '--format', 'json'], { encoding: 'utf8' }),
      spawnSync(process.execPath, [CLI, dir], { encoding: 'utf8' }),
      ...['text', 'json', 'markdown'].map((f) => spawnSync(process.execPath, [CLI, 'checklist', dir, '--format', f], { encoding: 'utf8' })),
    ];
    for (const r of outputs) {
      assert.ok(r.stdout.length > 0, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /glpat-DeployTokenValue123|oauth2|gitlab\.example\.com/);
    }
    assert.equal(
      JSON.parse(outputs[0]!.stdout).projects[0].djangoVersion.source,
      `pyproject.toml: django @ (a URL, no version); assuming the newest (${DJANGO_NEWEST_VERSION})`,
    );
  });

  it('an assumed version lowers version-dependent findings to information and says so', () => {
    const assumed = fixture('deps-url-token').findings.find((f) => f.code === 'DDH203');
    assert.ok(assumed);
    assert.equal(assumed.severity, 'information');
    assert.match(
      assumed.message,
      new RegExp(`Assuming Django ${DJANGO_NEWEST_VERSION.replace('.', '\\.')} \\(pyproject\\.toml names Django without a version\\)`),
    );
    // a known version: the rule's own severity, no assumption in the message
    const known = fixture('deps-url-token', { djangoVersion: DJANGO_NEWEST_VERSION }).findings.find((f) => f.code === 'DDH203');
    assert.ok(known);
    assert.notEqual(known.severity, 'information');
    assert.doesNotMatch(known.message, /Assuming/);
    // findings that do not depend on the version keep their severity
    const middleware = fixture('deps-url-token').findings.find((f) => f.code === 'DDH401');
    assert.equal(middleware?.severity, 'warning');
  });

  it('a constraint above every release it knows: the newest, as an assumption that says why', () => {
    const v = projectsOf({ 'manage.py': '', 'm/__init__.py': '', 'm/settings.py': 'X = 1\n', 'requirements.txt': 'Django>=7.0\n' })[0]!
      .djangoVersion;
    assert.deepEqual([v.version, v.assumed, v.source], [DJANGO_NEWEST_VERSION, true, 'requirements.txt: Django>=7.0']);
    assert.match(
      v.assumption!,
      new RegExp(
        `^requirements\\.txt: Django>=7\\.0 allows no Django release this version of the extension knows \\(the newest it knows is ${DJANGO_NEWEST_VERSION.replace('.', '\\.')}\\)$`,
      ),
    );
  });

  it('a release older than 1.8 runs as itself, never as the newest', () => {
    const version = (req: string) =>
      projectsOf({ 'manage.py': '', 'm/__init__.py': '', 'm/settings.py': 'X = 1\n', 'requirements.txt': `${req}\n` })[0]!.djangoVersion;
    const pinned = version('Django==1.7.9');
    assert.deepEqual([pinned.version, pinned.assumed, pinned.exact], ['1.7', false, '1.7.9']);
    assert.deepEqual([version('Django>=1.6,<1.7').version, version('Django>=1.6,<1.7').assumed], ['1.6', false]);
    assert.equal(version('Django~=1.4.2').version, '1.4');
    // older than every line known: the pinned line itself, or the oldest known as an assumption
    assert.deepEqual([version('Django==1.3.7').version, version('Django==1.3.7').assumed], ['1.3', false]);
    const below = version('Django<1.4');
    assert.deepEqual([below.version, below.assumed], [DJANGO_RELEASE_LINES[0], true]);
    assert.match(below.assumption!, /allows only Django releases older than 1\.4/);
  });

  it('nothing names Django: "no dependency file names it"', () => {
    const v = projectsOf({
      'manage.py': '',
      'm/__init__.py': '',
      'm/settings.py': 'X = 1\n',
      'pyproject.toml': '[project]\ndescription = "Django shop"\n',
    })[0]!.djangoVersion;
    assert.deepEqual([v.version, v.assumed, v.assumption], [DJANGO_NEWEST_VERSION, true, 'no dependency file names it']);
  });

  it('an unreadable lock file is said without quoting it (an index URL may carry a password)', () => {
    const fs = new MemoryFileSystem(
      { 'Pipfile.lock': '{"_meta": {"sources": [{"url": "https://deploy:hunter2secret@pypi.example.com/simple"}]} x' },
      '/p',
    );
    const v = detectVersions(fs, [{ path: '/p/Pipfile.lock', kind: 'lockfile' }], '/p');
    assert.equal(
      v.django.source,
      `no dependency file names Django; assuming the newest (${DJANGO_NEWEST_VERSION}); could not read Pipfile.lock: not valid JSON`,
    );
  });

  it('a requirements file in UTF-16 (pip freeze in PowerShell) is read as pip reads it; a UTF-16 module is not Python', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ddh-utf16-'));
    try {
      const bom = (text: string, le: boolean): Buffer => {
        const b = Buffer.from(text, 'utf16le');
        return Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), le ? b : Buffer.from(b).swap16()]);
      };
      writeFileSync(path.join(dir, 'requirements.txt'), bom('asgiref==3.8.1\r\nDjango==4.2.11\r\ngunicorn==22.0.0\r\n', true));
      writeFileSync(path.join(dir, 'requirements-be.txt'), bom('Django==3.2.25\n', false));
      writeFileSync(path.join(dir, 'settings.py'), bom('DEBUG = True\n', true));
      const nfs = new NodeFileSystem();
      const v = detectVersions(nfs, [{ path: path.join(dir, 'requirements.txt'), kind: 'requirements' }], dir);
      assert.equal(v.django.version, '4.2');
      assert.equal(v.django.source, 'requirements.txt: Django==4.2.11');
      assert.equal(nfs.readText(path.join(dir, 'requirements-be.txt')), 'Django==3.2.25\n');
      // Python refuses a module in UTF-16: it stays unreadable rather than read as if Python ran it
      assert.equal(nfs.readText(path.join(dir, 'settings.py')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads every version source from a memory workspace the same way', () => {
    const fs = new MemoryFileSystem(
      { 'requirements.txt': 'uvicorn==0.30.0\n', 'Pipfile.lock': '{"default": {"django": {"version": "==3.2.19"}}}' },
      '/p',
    );
    const v = detectVersions(
      fs,
      [
        { path: '/p/requirements.txt', kind: 'requirements' },
        { path: '/p/Pipfile.lock', kind: 'lockfile' },
      ],
      '/p',
    );
    assert.deepEqual(
      [v.django.version, v.django.exact, v.django.how, v.uvicorn?.exact, v.gunicorn],
      ['3.2', '3.2.19', 'lock', '0.30.0', undefined],
    );
  });

  it('a changed requirements/ or constraints file is read again (the workspace forgets its projects)', () => {
    const fs = new MemoryFileSystem(
      { 'manage.py': '', 'm/__init__.py': '', 'm/settings.py': 'X = 1\n', 'requirements/base.txt': 'Django==4.1\n' },
      '/p',
    );
    const ws = new Workspace(fs, ['/p']);
    assert.equal(ws.projects()[0]!.djangoVersion.version, '4.1');
    fs.write('/p/requirements/base.txt', 'Django==4.2\n');
    ws.invalidate('/p/requirements/base.txt');
    assert.equal(ws.projects()[0]!.djangoVersion.version, '4.2');
    fs.write('/p/constraints.txt', 'Django==5.0.1\n');
    ws.invalidate('/p/constraints.txt');
    assert.equal(ws.projects()[0]!.djangoVersion.version, '5.0');
  });
});

describe('the Python the deployment runs bounds the Django pip installs', () => {
  before(async () => {
    await loadParser();
  });
  const skeleton = {
    'manage.py': '',
    'mysite/__init__.py': '',
    'mysite/settings.py': 'DEBUG = False\n',
    'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  };
  const version = (files: Record<string, string>) => projectsOf({ ...skeleton, ...files })[0]!.djangoVersion;

  it("each Python's newest installable line (python_requires of each release line)", () => {
    const table = Object.fromEntries(
      ['2.7', '3.4', '3.5', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.14'].map((p) => [p, newestDjangoForPython(p)]),
    );
    assert.deepEqual(table, {
      '2.7': '1.11',
      '3.4': '2.0',
      '3.5': '2.2',
      '3.7': '3.2',
      '3.8': '4.2',
      '3.9': '4.2',
      '3.10': '5.2',
      '3.11': '5.2',
      '3.12': DJANGO_NEWEST_VERSION,
      '3.14': DJANGO_NEWEST_VERSION,
    });
    assert.equal(newestDjangoForPython('2.6'), undefined);
  });

  it('no dependency file: the newest the runtime.txt, .python-version or Dockerfile Python installs is assumed', () => {
    const rt = version({ 'runtime.txt': 'python-3.8.10\n' });
    assert.equal(rt.version, '4.2');
    assert.equal(rt.assumed, true);
    assert.match(rt.source, /assuming Django 4\.2, the newest for Python 3\.8 of the deployment \(runtime\.txt: python-3\.8\.10\)/);
    assert.equal(version({ '.python-version': '3.9\n' }).version, '4.2');
    assert.equal(version({ Dockerfile: 'FROM python:3.7-slim AS base\nCMD ["gunicorn", "mysite.wsgi"]\n' }).version, '3.2');
    // a development image says nothing of production's Python
    assert.equal(version({ 'docker/dev/Dockerfile': 'FROM python:3.7\n' }).version, DJANGO_NEWEST_VERSION);
    assert.equal(version({ 'docker/Dockerfile': 'FROM python:3.8\nENV DJANGO_ENV=development\n' }).version, DJANGO_NEWEST_VERSION);
    // two Dockerfiles: the newer Python bounds least
    assert.equal(
      version({ Dockerfile: 'FROM python:3.8\n', 'docker/Dockerfile.web': 'FROM docker.io/library/python:3.10-alpine\n' }).version,
      '5.2',
    );
    assert.equal(version({}).version, DJANGO_NEWEST_VERSION);
    // a platform's own setting
    const render = version({
      'render.yaml':
        'services:\n  - type: web\n    name: shop\n    startCommand: gunicorn mysite.wsgi\n    envVars:\n      - key: PYTHON_VERSION\n        value: 3.9.18\n',
    });
    assert.deepEqual([render.version, render.source.includes('render.yaml: PYTHON_VERSION=3.9.18')], ['4.2', true]);
    assert.equal(version({ 'app.yaml': 'runtime: python38\nentrypoint: gunicorn -b :$PORT mysite.wsgi\n' }).version, '4.2');
  });

  it("an image built on a Debian or Ubuntu release that installs apt's python3 runs that release's Python", () => {
    const apt =
      'RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip \\\n  && rm -rf /var/lib/apt/lists/*\n';
    const req = { 'requirements.txt': 'Django>=4.2.14\n' };
    const focal = version({ ...req, Dockerfile: `FROM ubuntu:20.04\n${apt}` });
    assert.deepEqual([focal.version, focal.assumed], ['4.2', false]);
    assert.match(focal.source, /Django 4\.2, the newest for Python 3\.8 of the image \(Dockerfile: FROM ubuntu:20\.04 with apt's python3/);
    assert.equal(version({ ...req, Dockerfile: `FROM ubuntu:focal\n${apt}` }).version, '4.2');
    assert.equal(version({ ...req, Dockerfile: `FROM debian:bullseye-slim\n${apt}` }).version, '4.2');
    assert.equal(version({ ...req, Dockerfile: `FROM ubuntu:22.04\n${apt}` }).version, '5.2');
    // bookworm's 3.11 and noble's 3.12 allow the newest
    assert.equal(version({ ...req, Dockerfile: `FROM ubuntu:24.04\n${apt}` }).version, DJANGO_NEWEST_VERSION);
    // no python3 from apt, another Python put in (deadsnakes), or the distribution only in an earlier stage: not known
    assert.equal(version({ ...req, Dockerfile: 'FROM ubuntu:20.04\nRUN apt-get install -y curl\n' }).version, DJANGO_NEWEST_VERSION);
    assert.equal(
      version({
        ...req,
        Dockerfile: `FROM ubuntu:20.04\nRUN add-apt-repository ppa:deadsnakes/ppa && apt-get install -y python3.11 python3\n`,
      }).version,
      DJANGO_NEWEST_VERSION,
    );
    assert.equal(
      version({ ...req, Dockerfile: `FROM ubuntu:20.04 AS build\n${apt}FROM gcr.io/distroless/base\n` }).version,
      DJANGO_NEWEST_VERSION,
    );
  });

  it('an unpinned or open constraint gets the newest release both allow; a pin is never changed', () => {
    const open = version({ 'runtime.txt': 'python-3.8.10', 'requirements.txt': 'Django>=3.2\n' });
    assert.deepEqual([open.version, open.assumed], ['4.2', false]);
    assert.match(open.source, /requirements\.txt: Django>=3\.2; Django 4\.2, the newest for Python 3\.8 of the deployment \(runtime\.txt/);
    const image = version({ Dockerfile: 'FROM python:3.8-slim\n', 'requirements.txt': 'Django>=4.2.14\n' });
    assert.match(image.source, /Django 4\.2, the newest for Python 3\.8 of the image \(Dockerfile: FROM python:3\.8\)/);
    assert.equal(version({ 'runtime.txt': 'python-3.8.10', 'requirements.txt': 'Django\n' }).version, '4.2');
    assert.equal(version({ 'runtime.txt': 'python-3.8.10', 'requirements.txt': 'Django>=3.2,<4\n' }).version, '3.2');
    assert.equal(version({ 'runtime.txt': 'python-3.8.10', 'requirements.txt': 'Django==5.1.2\n' }).version, '5.1');
    // a constraint the Python cannot satisfy is read without the bound (the constraint is the evidence)
    assert.equal(version({ 'runtime.txt': 'python-3.8.10', 'requirements.txt': 'Django>=5.0,<5.2\n' }).version, '5.1');
  });
});

describe('the dependency files production installs set the versions', () => {
  const scanned = (files: Record<string, string>, root: string): ScannedFile[] =>
    Object.keys(files).map((f) => {
      const base = path.posix.basename(f);
      const kind: ScannedFile['kind'] = base.startsWith('Dockerfile')
        ? 'dockerfile'
        : base === 'Procfile'
          ? 'procfile'
          : base.endsWith('.lock')
            ? 'lockfile'
            : base === 'pyproject.toml'
              ? 'pyproject'
              : base === 'docker-compose.yml'
                ? 'compose'
                : 'requirements';
      return { path: path.posix.join(root, f), kind };
    });

  it('reads the install commands of a RUN line', () => {
    assert.deepEqual(
      installTargets('python -m pip install --no-cache-dir -r requirements/prod.txt -c constraints.txt && uv sync --frozen'),
      [
        { paths: ['requirements/prod.txt', 'constraints.txt'], requirements: ['requirements/prod.txt', 'constraints.txt'], dynamic: false },
        { paths: ['uv.lock'], requirements: [], dynamic: false },
      ],
    );
    assert.deepEqual(installTargets('pip install --upgrade pip setuptools wheel; pip install gunicorn==23.0.0'), []);
    assert.deepEqual(installTargets('pip3 install -e .[prod] && poetry install --only main'), [
      { paths: ['.'], requirements: [], dynamic: false },
      { paths: ['poetry.lock'], requirements: [], dynamic: false },
    ]);
    assert.deepEqual(installTargets('pip install -r requirements/$DJANGO_ENV.txt'), [{ paths: [], requirements: [], dynamic: true }]);
    // whatever their name: `-r X -r Y`, `--requirement=X`, uv's pip
    assert.deepEqual(installTargets('uv pip install --system -r deps/base.pip --requirement=prod.in -c constraints.cfg'), [
      {
        paths: ['deps/base.pip', 'prod.in', 'constraints.cfg'],
        requirements: ['deps/base.pip', 'prod.in', 'constraints.cfg'],
        dynamic: false,
      },
    ]);
  });

  it('reads a requirements file of another name a production Dockerfile installs, through its COPY, with its includes', () => {
    const files = {
      Dockerfile:
        'FROM python:3.12\nCOPY deploy/pip-packages /tmp/pip-packages\nCOPY deploy/common.pip /tmp/common.pip\nRUN pip install -r /tmp/pip-packages\nCOPY . /srv\n',
      'deploy/pip-packages': '-r common.pip\nDjango>=3.2,<4.0\n',
      'deploy/common.pip': 'gunicorn==20.1.0\nuvicorn>=0.15,<0.16\n',
      'requirements.txt': 'Django==5.2.8\n',
    };
    const fs = new MemoryFileSystem(files, '/n');
    // the scan knows the Dockerfile and requirements.txt by their names, not deploy/pip-packages
    const list: ScannedFile[] = [
      { path: '/n/Dockerfile', kind: 'dockerfile' },
      { path: '/n/requirements.txt', kind: 'requirements' },
    ];
    const installed = installedDependencyFiles(fs, list, '/n', ['/n/requirements.txt']);
    assert.deepEqual([...installed.named], [['/n/deploy/pip-packages', "Dockerfile's `pip install -r /tmp/pip-packages`"]]);
    assert.equal(installed.complete, true);
    const v = detectVersions(fs, list, '/n');
    assert.deepEqual(
      [v.django.version, v.django.source, v.django.file, v.gunicorn?.exact, v.uvicorn?.specifier],
      [
        '3.2',
        "deploy/pip-packages: Django>=3.2,<4.0, installed by Dockerfile's `pip install -r /tmp/pip-packages`",
        '/n/deploy/pip-packages',
        '20.1.0',
        '>=0.15,<0.16',
      ],
    );
  });

  it('a named file of a development path, one that does not exist, or one a development Dockerfile installs is not read', () => {
    const files = {
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\nRUN pip install -r tests/pip-packages -r missing.pip\n',
      'docker/dev/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\nRUN pip install -r deps/dev-extra.pip\n',
      'tests/pip-packages': 'Django==3.2.25\n',
      'deps/dev-extra.pip': 'Django==3.2.25\n',
      'requirements.txt': 'Django==5.2.8\n',
    };
    const fs = new MemoryFileSystem(files, '/t');
    const list: ScannedFile[] = [
      { path: '/t/Dockerfile', kind: 'dockerfile' },
      { path: '/t/docker/dev/Dockerfile', kind: 'dockerfile' },
      { path: '/t/requirements.txt', kind: 'requirements' },
    ];
    const installed = installedDependencyFiles(fs, list, '/t', ['/t/requirements.txt']);
    assert.deepEqual([...installed.named], []);
    assert.equal(installed.complete, false);
    assert.equal(detectVersions(fs, list, '/t').django.version, '5.2');
  });

  it("reads a requirements file of another name a production build script installs, from the script's folder or the project's", () => {
    const files = {
      'bin/build.sh': '#!/bin/sh\nset -e\n# pip install -r old.pip\npip3 install --upgrade pip && pip3 install -r deps/base.pip\n',
      'deps/base.pip': 'Django==4.2.16\n',
      'old.pip': 'Django==1.11.29\n',
      'scripts/test.sh': 'pip install -r old.pip\n',
    };
    const fs = new MemoryFileSystem(files, '/s');
    const list: ScannedFile[] = [
      { path: '/s/bin/build.sh', kind: 'shell' },
      { path: '/s/scripts/test.sh', kind: 'shell' },
    ];
    const installed = installedDependencyFiles(fs, list, '/s', []);
    assert.deepEqual([...installed.named], [['/s/deps/base.pip', "bin/build.sh's `pip3 install -r deps/base.pip`"]]);
    const v = detectVersions(fs, list, '/s');
    assert.deepEqual(
      [v.django.version, v.django.source],
      ['4.2', "deps/base.pip: Django==4.2.16, installed by bin/build.sh's `pip3 install -r deps/base.pip`"],
    );
  });

  it('names a backup or a freeze of an old release as a leftover, not a plain freeze', () => {
    for (const f of ['requirements-freeze-django1.10.txt', 'requirements-old.txt', 'requirements.txt.bak', 'requirements_legacy.txt'])
      assert.equal(staleDependencyFile(f), true, f);
    for (const f of ['requirements.txt', 'requirements-freeze.txt', 'requirements/production.txt', 'requirements-py3.txt'])
      assert.equal(staleDependencyFile(f), false, f);
  });

  it('COPY to `.` copies into the working folder', () => {
    const d = parseDockerfile('/r/Dockerfile', 'FROM python:3.12\nWORKDIR /srv\nCOPY web/requirements.txt .\nCOPY a.txt b.txt /opt\n');
    assert.deepEqual(
      d.stages[0]!.copies.map((c) => c.dest),
      ['/srv/', '/opt/'],
    );
  });

  it('a Dockerfile at the repository root installs the requirements file it copies from the project folder', () => {
    const files = {
      Dockerfile: 'FROM python:3.12\nWORKDIR /srv\nCOPY web/requirements.txt .\nRUN pip install -r requirements.txt\nCOPY web/ /srv/\n',
      'web/requirements.txt': 'Django==4.2.16\ngunicorn==23.0.0\n',
      'web/requirements-freeze-django1.10.txt': 'Django==1.10.8\ngunicorn==19.4.5\n',
    };
    const fs = new MemoryFileSystem(files, '/r');
    const list = scanned(files, '/r');
    const installed = installedDependencyFiles(
      fs,
      list,
      '/r/web',
      ['/r/web/requirements.txt', '/r/web/requirements-freeze-django1.10.txt'],
      '/r',
    );
    assert.deepEqual([...installed.files], [['/r/web/requirements.txt', 'Dockerfile installs web/requirements.txt']]);
    assert.equal(installed.complete, true);
    const v = detectVersions(fs, list, '/r/web', undefined, [], undefined, '/r');
    assert.deepEqual([v.django.version, v.django.source, v.gunicorn?.exact], ['4.2', 'web/requirements.txt: Django==4.2.16', '23.0.0']);
  });

  it('a file the image installs wins over a lock file nothing installs; a compose build context maps the COPY', () => {
    const files = {
      'docker/web/Dockerfile': 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements/production.txt\n',
      'docker-compose.yml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/web/Dockerfile\n',
      'requirements/production.txt': 'Django==4.2.16\n',
      'poetry.lock': '[[package]]\nname = "django"\nversion = "5.1.4"\n',
    };
    const fs = new MemoryFileSystem(files, '/p');
    const v = detectVersions(fs, scanned(files, '/p'), '/p');
    assert.deepEqual([v.django.version, v.django.source], ['4.2', 'requirements/production.txt: Django==4.2.16']);
  });

  it("the buildpack installs the Procfile's requirements.txt; with an install it cannot follow, a leftover only loses", () => {
    const buildpack = {
      Procfile: 'web: gunicorn m.wsgi\n',
      'requirements.txt': 'Django==5.2.8\n',
      'requirements-old.txt': 'gunicorn==19.9.0\n',
    };
    const fs = new MemoryFileSystem(buildpack, '/h');
    // requirements.txt is installed and names no gunicorn: the file nothing installs sets nothing
    const h = detectVersions(fs, scanned(buildpack, '/h'), '/h');
    assert.deepEqual([h.django.version, h.gunicorn], ['5.2', undefined]);
    const dynamic = {
      Dockerfile: 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements-$TARGET.txt\n',
      'requirements.txt': 'Django==5.2.8\n',
      'requirements-old.txt': 'Django==1.11.29\ngunicorn==19.9.0\n',
    };
    const fs2 = new MemoryFileSystem(dynamic, '/d');
    const v = detectVersions(fs2, scanned(dynamic, '/d'), '/d');
    assert.deepEqual([v.django.version, v.gunicorn?.exact], ['5.2', '19.9.0']);
  });
});
