// The configuration readers of issue 29: setup.cfg and tox.ini through the INI reader (configparser's
// semantics, setuptools' readings of values), pyproject.toml and Pipfile through the TOML parser,
// the lines a TOML key is found on, the scanners that replaced regular expressions, and files
// shaped to make a pattern quadratic (100,000 blank lines, lines of `a`, lines of spaces), read in a
// temporary project. No timing assertion: the durations are printed for the record.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { constraintParts, readSetupCfg, readToml } from '../../server/src/analysis/readers/python/dependencies';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { iniGet, parseIni } from '../../server/src/analysis/readers/python/ini';
import { pyprojectPackageDir, setupCfgPackageDir, sourceRootsOf } from '../../server/src/analysis/models/project/repository';
import { scanWorkspace } from '../../server/src/analysis/files/scan';
import { setuptoolsRequirements } from '../../server/src/analysis/readers/python/setupcfg';
import { tomlKeyLine } from '../../server/src/analysis/readers/python/tomlLocate';
import { detectVersions, releasesNamed } from '../../server/src/analysis/models/project/version';
import { pick, rng } from '../helpers/random';

describe('the INI reader (configparser semantics)', () => {
  it('sections, both separators, lower-cased keys, continuation lines, empty lines kept inside a value', () => {
    const doc = parseIni('[testenv]\nDeps = django\n\n    pytest\nCommands: pytest  \n[tox]\nenvlist=py311\n');
    assert.deepEqual([...doc.sections.keys()], ['testenv', 'tox']);
    assert.equal(iniGet(doc, 'testenv', 'deps')?.value, 'django\n\npytest');
    // a value starting on the next line starts with an empty line, as in configparser
    assert.equal(iniGet(parseIni('[s]\nk =\n  a\n\n'), 's', 'k')?.value, '\na');
    assert.equal(iniGet(doc, 'testenv', 'deps')?.line, 2);
    assert.equal(iniGet(doc, 'testenv', 'commands')?.value, 'pytest');
    assert.equal(iniGet(doc, 'tox', 'envlist')?.value, 'py311');
    assert.deepEqual(doc.problems, []);
    // keys as written (setuptools' optionxform = str)
    assert.equal(iniGet(parseIni('[s]\nKey = v\n', { keys: 'as-written' }), 's', 'Key')?.value, 'v');
  });

  it('comments: whole lines only (inside a value too, dropped from it); `#` after a value is part of it', () => {
    const doc = parseIni('# top\n[s]\nk = a # not a comment\n  ; a comment line\n  b\n  # another\n; c\n');
    assert.equal(iniGet(doc, 's', 'k')?.value, 'a # not a comment\nb');
  });

  it("inline comments when asked (supervisord's `;` and `#`): cut where one follows whitespace", () => {
    const doc = parseIni('[program:web]\nstopsignal=KILL  ; the old way\ncommand=gunicorn a#b --x # why\nuser=www-data;x\n', {
      inlineComments: [';', '#'],
    });
    assert.equal(iniGet(doc, 'program:web', 'stopsignal')?.value, 'KILL');
    assert.equal(iniGet(doc, 'program:web', 'command')?.value, 'gunicorn a#b --x');
    assert.equal(iniGet(doc, 'program:web', 'user')?.value, 'www-data;x');
  });

  it('the section name runs to the last `]`; the key ends at the first `=` or `:`; `%` is left alone', () => {
    const doc = parseIni('[a]b] junk\nx: y = z\nurl = http://h:80/%(p)s\n');
    assert.deepEqual([...doc.sections.keys()], ['a]b']);
    assert.equal(iniGet(doc, 'a]b', 'x')?.value, 'y = z');
    assert.equal(iniGet(doc, 'a]b', 'url')?.value, 'http://h:80/%(p)s');
  });

  it('line ends: \\n, \\r\\n and \\r alike (line numbers count them)', () => {
    const doc = parseIni('[s]\r\na = 1\r  b\nc = 2');
    assert.equal(iniGet(doc, 's', 'a')?.value, '1\nb');
    assert.equal(iniGet(doc, 's', 'c')?.line, 4);
  });

  it('[DEFAULT] is seen from every section', () => {
    const doc = parseIni('[DEFAULT]\nbase = x\n[s]\nk = 1\n');
    assert.equal(iniGet(doc, 's', 'base')?.value, 'x');
    assert.equal(doc.sections.has('DEFAULT'), false);
  });

  it('what configparser refuses is a problem, and the rest is still read (sections given twice merged, the last value wins)', () => {
    const doc = parseIni('stray\n[s]\na = 1\nno delimiter\n[s]\na = 2\nb = 3\n');
    assert.deepEqual(
      doc.problems.map((p) => [p.kind, p.line]),
      [
        ['missing-section-header', 1],
        ['parsing', 4],
        ['duplicate-section', 5],
        ['duplicate-option', 6],
      ],
    );
    assert.equal(iniGet(doc, 's', 'a')?.value, '2');
    assert.equal(iniGet(doc, 's', 'b')?.value, '3');
  });
});

describe('setup.cfg as setuptools reads it', () => {
  const django = (cfg: string): string | undefined => {
    const r = readSetupCfg(cfg, '/p/setup.cfg', 'django');
    return r?.specifier;
  };

  it('[options] install_requires: one a line, or `;`-separated on one line; ` #` comments cut off', () => {
    assert.equal(django('[options]\ninstall_requires =\n    requests  # http\n    Django>=4.2,<5  # web\n'), '>=4.2,<5');
    assert.equal(django('[options]\ninstall_requires = requests; Django==4.2.7\n'), '==4.2.7');
    assert.equal(django('[options]\ninstall_requires = Django>=3.2 ; python_version>"3.8"\n'), '>=3.2');
    assert.equal(django('[options]\ninstall-requires =\n    Django~=4.2\n'), '~=4.2', 'a dash is an underscore (setuptools warns)');
  });

  it('what setuptools does not read is not read: another section, a key in capitals, a `file:` directive', () => {
    assert.equal(django('[options.extras_require]\ndev =\n    Django==5.0\n'), undefined);
    assert.equal(django('[options]\nInstall_Requires =\n    Django==5.0\n'), undefined);
    assert.equal(django('[options]\ninstall_requires = file: requirements.txt\n'), undefined);
    assert.equal(django('[metadata]\ninstall_requires = Django==5.0\n'), undefined);
  });

  it('setuptools’ line joining: a trailing backslash joins the next line (eating the character before it)', () => {
    assert.deepEqual(setuptoolsRequirements('\nfoo \\\nbar\nbaz'), ['foobar', 'baz']);
    assert.deepEqual(setuptoolsRequirements('\nfoo\nbar\\\nbaz\\'), ['foo']);
    // a chain that grows past the bound is dropped, not joined on and on
    assert.deepEqual(setuptoolsRequirements(`\n${'xx\\\n'.repeat(5000)}y\nDjango`), ['Django']);
  });

  it('package_dir (its "" entry), else [options.packages.find] where; the key’s line', () => {
    assert.deepEqual(setupCfgPackageDir('[options]\npackage_dir = =src\n'), { dir: 'src', line: 2 });
    assert.deepEqual(setupCfgPackageDir('\n\n[options]\n\npackage_dir =\n    pkg = lib/pkg\n    = lib\n'), { dir: 'lib', line: 5 });
    assert.deepEqual(setupCfgPackageDir('[options]\npackages = find:\n[options.packages.find]\nwhere = src, other\n'), {
      dir: 'src',
      line: 4,
    });
    assert.equal(setupCfgPackageDir('[tool:pytest]\nwhere = src\n'), undefined);
  });
});

describe('pyproject.toml through the TOML parser', () => {
  it('package folders: setuptools find/where, package-dir, Poetry from, Hatch packages; the line of the key', () => {
    assert.deepEqual(pyprojectPackageDir('[project]\nname = "x"\n\n[tool.setuptools.packages.find]\nwhere = ["lib"]\n'), {
      dir: 'lib',
      line: 5,
    });
    assert.deepEqual(pyprojectPackageDir('[tool.setuptools]\npackage-dir = {"" = "src"}\n'), { dir: 'src', line: 2 });
    assert.deepEqual(pyprojectPackageDir('[tool.setuptools.package-dir]\n"" = "src"\n'), { dir: 'src', line: 1 });
    assert.deepEqual(
      pyprojectPackageDir(
        '[tool.poetry]\nname = "x"\n[[tool.poetry.packages]]\ninclude = "a"\n[[tool.poetry.packages]]\ninclude = "b"\nfrom = "lib"\n',
      ),
      {
        dir: 'lib',
        line: 7,
      },
    );
    assert.deepEqual(pyprojectPackageDir('[tool.hatch.build.targets.wheel]\npackages = ["src/shop"]\n'), { dir: 'src', line: 2 });
    assert.equal(pyprojectPackageDir('[tool.hatch.build.targets.wheel]\npackages = ["shop"]\n'), undefined);
    // a `where` in another table, in a string, or in a file that is not TOML names nothing
    assert.equal(pyprojectPackageDir('[tool.other]\nwhere = ["lib"]\n'), undefined);
    assert.equal(pyprojectPackageDir('description = """\nwhere = ["lib"]\n"""\n'), undefined);
    assert.equal(pyprojectPackageDir('[tool.setuptools.packages.find]\nwhere = ["lib"\n'), undefined);
  });

  it('tomlKeyLine: headers, dotted and quoted keys, CRLF; the nearest line leading to the key otherwise', () => {
    const text =
      '# c\r\n[tool . "poetry"]\r\nname = "x"\r\ndependencies.django = "^4.2"\r\n[tool.setuptools]\r\npackages = {find = {where = ["src"]}}\r\n';
    assert.equal(tomlKeyLine(text, ['tool', 'poetry', 'name']), 3);
    assert.equal(tomlKeyLine(text, ['tool', 'poetry', 'dependencies', 'django']), 4);
    assert.equal(tomlKeyLine(text, ['tool', 'setuptools', 'packages', 'find', 'where']), 6);
    assert.equal(tomlKeyLine(text, ['tool', 'poetry', 'version']), 2);
    assert.equal(tomlKeyLine(text, ['project']), 1);
  });

  it('CRLF in a multi-line string reads as \\n (as tomllib reads it); a lone CR is still an error', () => {
    const r = readToml('a = """x\r\ny"""\r\nb = \'\'\'\r\nz\r\n\'\'\'\r\n');
    assert.ok('doc' in r);
    assert.deepEqual([r.doc.a, r.doc.b], ['x\ny', 'z\n']);
    assert.ok('error' in readToml('a = 1\rb = 2\n'));
  });
});

describe('scanners instead of regular expressions (same results)', () => {
  const r = rng(2901);
  const chars = [' ', '\t', ',', '<', '>', '=', '!', '~', '^', '*', '1', '4', '.', '2', 'a', 'b', 'r', 'c', 'v', '|', '\u00a0'];
  const random = (n: number): string => Array.from({ length: Math.floor(r() * n) }, () => pick(r, chars)).join('');

  it('Poetry constraint parts: as the split at /\\s*,\\s*|\\s+(?=[<>=!~^0-9*])/ they replace', () => {
    // the old pattern, here on short strings only (it is quadratic on long runs of spaces)
    const old = (s: string): string[] => s.split(/\s*,\s*|\s+(?=[<>=!~^0-9*])/).map((p) => p.trim());
    for (let i = 0; i < 3000; i++) {
      const s = random(24).trim();
      assert.deepEqual(
        constraintParts(s).map((p) => p.trim()),
        old(s),
        JSON.stringify(s),
      );
    }
  });

  it('the releases a constraint names: as /[0-9]+(?:\\.[0-9]+)+(?:(?:a|b|rc)[0-9]+)?/g found them', () => {
    const old = (s: string): string[] => [...s.matchAll(/[0-9]+(?:\.[0-9]+)+(?:(?:a|b|rc)[0-9]+)?/g)].map((m) => m[0]);
    for (let i = 0; i < 3000; i++) {
      const s = random(24);
      assert.deepEqual(releasesNamed(s), old(s), JSON.stringify(s));
    }
    assert.deepEqual(releasesNamed('>=4.2,<5.0rc1 || ==3.2.19'), ['4.2', '5.0rc1', '3.2.19']);
  });
});

describe('hostile configuration files in a project on disk (issue 29: 100,000 lines)', () => {
  const N = 100_000;
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const shapes: Record<string, string> = {
    'blank lines': '\n'.repeat(N),
    'lines of `a`': 'a\n'.repeat(N),
    'lines of spaces': '    \n'.repeat(N),
  };
  // each file bare, and with the shape inside what the readers look for
  const files: Record<string, (body: string) => string> = {
    'pyproject.toml': (body) => body,
    'setup.cfg': (body) => body,
    Pipfile: (body) => body,
    'tox.ini': (body) => body,
  };
  const inside: Record<string, (body: string) => string> = {
    'pyproject.toml': (body) =>
      `[project]\nname = "x"\n${body}dependencies = ["django>=4.2,<5"]\n[tool.setuptools.packages.find]\n${body}where = ["lib"]\n`,
    'setup.cfg': (body) => `[options]\ninstall_requires =\n${body}    Django>=4.2,<5\npackage_dir =\n${body}    =lib\n`,
    Pipfile: (body) => `[packages]\n${body}django = "==4.2.7"\n`,
    'tox.ini': (body) => `[testenv]\ndeps =\n${body}    django\n`,
  };

  function project(name: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddh-config-readers-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'manage.py'), '');
    fs.mkdirSync(path.join(dir, 'lib', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'pkg', '__init__.py'), '');
    fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  function read(name: string, text: string): { ms: number; roots: string[]; django: string; deps?: string } {
    const dir = project(name, text);
    const nfs = new NodeFileSystem();
    const t = performance.now();
    const scan = scanWorkspace(nfs, dir);
    const roots = sourceRootsOf(nfs, dir, dir, scan.files, scan.pythonFiles, scan.directories).map(
      (r) => `${path.relative(dir, r.dir)} ${r.evidence}`,
    );
    const v = detectVersions(nfs, scan.files, dir);
    const deps = name === 'tox.ini' ? iniGet(parseIni(nfs.readText(path.join(dir, name)) ?? ''), 'testenv', 'deps')?.value : undefined;
    return { ms: performance.now() - t, roots, django: v.django.assumed ? 'assumed' : v.django.version, deps };
  }

  for (const [shape, body] of Object.entries(shapes)) {
    for (const name of Object.keys(files)) {
      it(`${name} of ${N.toLocaleString('en')} ${shape}, bare and inside the tables read`, (t) => {
        const bare = read(name, files[name]!(body));
        t.diagnostic(`${name}, ${shape}: ${bare.ms.toFixed(1)} ms`);
        assert.deepEqual(bare.roots, []);
        assert.equal(bare.django, 'assumed');
        const full = read(name, inside[name]!(body));
        t.diagnostic(`${name}, ${shape} inside its tables: ${full.ms.toFixed(1)} ms`);
        if (shape === 'lines of `a`') return; // not TOML; in an INI section, lines that are no option
        if (name === 'pyproject.toml') {
          assert.deepEqual(full.roots, [`lib pyproject.toml:${2 * N + 5} package dir`]);
          assert.equal(full.django, '4.2');
        } else if (name === 'setup.cfg') {
          assert.deepEqual(full.roots, [`lib setup.cfg:${N + 4} package dir`]);
          assert.equal(full.django, '4.2');
        } else if (name === 'Pipfile') assert.equal(full.django, '4.2');
        else
          assert.equal(
            full.deps,
            `${'\n'.repeat(N + 1)}django`,
            'the empty first line and the blank ones kept, as configparser keeps them',
          );
      });
    }
  }

  it('a MemoryFileSystem project with all four at once still names its source root', () => {
    const text = '\n'.repeat(N);
    const mfs = new MemoryFileSystem(
      {
        'manage.py': '',
        'lib/pkg/__init__.py': '',
        'setup.cfg': `${text}[options]\npackage_dir = =lib\n`,
        'pyproject.toml': text,
        Pipfile: text,
        'tox.ini': text,
      },
      '/p',
    );
    const scan = scanWorkspace(mfs, '/p');
    const roots = sourceRootsOf(mfs, '/p', '/p', scan.files, scan.pythonFiles, scan.directories);
    assert.deepEqual(
      roots.map((r) => r.evidence),
      [`setup.cfg:${N + 2} package dir`],
    );
  });
});

describe('file kinds read from the content where the name does not say', () => {
  const kindsOf = (files: Record<string, string>): Record<string, string> => {
    const fsys = new MemoryFileSystem(files, '/w');
    return Object.fromEntries(scanWorkspace(fsys, '/w').files.map((f) => [path.relative('/w', f.path), f.kind]));
  };
  it('a compose file named otherwise is compose; a manifest, a chart values file and a playbook are not', () => {
    const k = kindsOf({
      'docker/default.yml': 'services:\n  web:\n    image: acme/app:1\n    entrypoint: ["./start.sh"]\n',
      'deploy/stack.yml': 'version: "3.8"\nservices:  # the swarm stack\n  db:\n    build: .\n',
      'k8s/web.yaml': 'apiVersion: v1\nkind: List\nservices:\n  web:\n    image: x\n',
      'chart/values.yaml': 'services:\n  web:\n    image: acme/app\n',
      'chart2/Chart.yaml': 'apiVersion: v2\nname: app\n',
      'chart2/prod.yaml': 'services:\n  web:\n    image: acme/app\n',
      'ansible/site.yml': '- hosts: web\n  roles:\n    - app\n',
      'docker/db/.pgpool.yml': 'services:\n  pg-0:\n    image: bitnami/postgresql-repmgr:15\n',
    });
    // (a hidden file is no deployment file at all: nothing deploys it by that name)
    assert.equal(k['docker/db/.pgpool.yml'], undefined);
    assert.equal(k['docker/default.yml'], 'compose');
    assert.equal(k['deploy/stack.yml'], 'compose');
    assert.equal(k['k8s/web.yaml'], 'manifest');
    assert.equal(k['chart/values.yaml'], 'manifest');
    assert.equal(k['chart2/prod.yaml'], 'manifest');
    assert.equal(k['ansible/site.yml'], 'manifest');
  });
  it('Dockerfiles named with a dash or an underscore are Dockerfiles; their notes and lint configs are not', () => {
    const k = kindsOf({
      'deploy/Dockerfile-django': 'FROM python:3.12\n',
      Dockerfile_web: 'FROM python:3.12\n',
      'Dockerfile.prod': 'FROM python:3.12\n',
      'Dockerfile-lint.json': '{}',
      'Dockerfile.md': '# notes\n',
    });
    assert.equal(k['deploy/Dockerfile-django'], 'dockerfile');
    assert.equal(k.Dockerfile_web, 'dockerfile');
    assert.equal(k['Dockerfile.prod'], 'dockerfile');
    assert.notEqual(k['Dockerfile-lint.json'], 'dockerfile');
    assert.notEqual(k['Dockerfile.md'], 'dockerfile');
  });
});
