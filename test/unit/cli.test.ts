// The bundled CLI as a user runs it: exit codes, output formats, usage errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { CLI, EXAMPLE as example, FIXTURES } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('django-deploy-check', () => {
  it('prints file:line:col: severity CODE message and exits 1 on the example', () => {
    const r = cli(example);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^mysite\/settings\.py:18:9: error DDH107 DEBUG is True/m);
    assert.match(r.stdout, /production settings mysite\.settings \(named by mysite\/wsgi\.py/);
    assert.doesNotMatch(r.stdout, /7b\$w9q|hunter2/);
  });

  it('writes the documented JSON', () => {
    const r = cli(example, '--format', 'json');
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.ok(Array.isArray(out.diagnostics) && out.diagnostics.length > 0);
    for (const d of out.diagnostics) {
      for (const key of ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message', 'django'])
        assert.ok(key in d, `missing ${key}`);
      assert.doesNotMatch(d.file, /\\|^\//, 'file is relative with forward slashes');
      assert.ok(d.line >= 1 && d.column >= 1, 'positions are 1-based');
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
    }
    // the weak key is said together with the hardcoded one (DDH101 with DDH102)
    const w009 = out.diagnostics.find((d: { code: string }) => d.code === 'DDH101');
    assert.equal(w009.django, 'security.W009');
    assert.equal(out.projects[0].production.module, 'mysite.settings');
    assert.equal(out.projects[0].djangoVersion.version, '4.2');
  });

  it('writes SARIF 2.1.0 with rules and 1-based regions', () => {
    const r = cli(example, '--format', 'sarif');
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.ok(run.tool.driver.rules.length > 5);
    for (const res of run.results) {
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
    }
    const debug = run.results.find((r: { ruleId: string }) => r.ruleId === 'DDH107');
    assert.equal(debug.locations[0].physicalLocation.artifactLocation.uri, 'mysite/settings.py');
    assert.equal(debug.locations[0].physicalLocation.region.startLine, 18);
  });

  it('honours --fail-on', () => {
    assert.equal(cli(example, '--fail-on', 'never').code, 0);
    assert.equal(cli(example, '--fail-on', 'error').code, 1);
  });

  it('exits 0 on a clean project', () => {
    const dir = tempDir('ddh-clean-');
    writeFileSync(
      path.join(dir, 'settings.py'),
      [
        'import os',
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
        'DEBUG = False',
        'ALLOWED_HOSTS = ["example.com"]',
        'MIDDLEWARE = [',
        '    "django.middleware.security.SecurityMiddleware",',
        '    "django.middleware.csrf.CsrfViewMiddleware",',
        '    "django.middleware.clickjacking.XFrameOptionsMiddleware",',
        ']',
        'SECURE_SSL_REDIRECT = True',
        'SECURE_HSTS_SECONDS = 300  # ramping up',
        'SECURE_HSTS_INCLUDE_SUBDOMAINS = True',
        'SECURE_HSTS_PRELOAD = True',
        'CSRF_COOKIE_SECURE = True',
        '',
      ].join('\n'),
    );
    const r = cli(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('exits 2 with a one-line message on usage errors and unreadable paths', () => {
    for (const args of [['--format', 'xml'], ['--fail-on', 'sometimes'], ['--bogus'], ['/nonexistent/path/for/ddh'], [example, example]]) {
      const r = cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^django-deploy-check: /);
    }
  });

  it('prints the checklist as text, JSON and Markdown', () => {
    const text = cli('checklist', example);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Settings & secrets$/m);
    assert.match(text.stdout, /✗ DEBUG is off in production/);
    assert.match(text.stdout, /mysite\/settings\.py:18: DDH107/);
    const json = JSON.parse(cli('checklist', example, '--format', 'json').stdout);
    const item = json.checklists[0].groups[0].items.find((i: { id: string }) => i.id === 'debug-off');
    assert.equal(item.status, 'failing');
    assert.deepEqual(item.entries[0].loc, { file: 'mysite/settings.py', line: 18, column: 9 });
    // the summary's paths are relative like every other path of the report
    assert.equal(json.checklists[0].summary.root, '.');
    assert.equal(json.checklists[0].summary.production.file, 'mysite/settings.py');
    assert.match(cli('checklist', example, '--format', 'markdown').stdout, /^- \[ \] ❌ DEBUG is off in production/m);
  });

  it('lists the rules as JSON and text', () => {
    const json = JSON.parse(cli('rules', '--format', 'json').stdout);
    const w020 = json.find((r: { code: string }) => r.code === 'DDH201');
    assert.deepEqual(Object.keys(w020).slice(0, 5), ['code', 'name', 'django', 'severity', 'summary']);
    assert.equal(w020.django, 'security.W020');
    assert.match(cli('rules').stdout, /^DDH101\s+hardcoded-secret-key/m);
  });

  it("reads [tool.django-deploy-check] from the pyproject.toml nearest to each project; flags win; fail-on from PATH's", () => {
    // a monorepo: backend/ has its own table, other/ only the repository's
    const repo = tempDir('ddh-config-');
    const fixture = path.join(FIXTURES, 'rules/DDH107/bad-inherited'); // base.py: DEBUG = True; development.py too
    cpSync(fixture, path.join(repo, 'backend'), { recursive: true });
    cpSync(fixture, path.join(repo, 'other'), { recursive: true });
    writeFileSync(
      path.join(repo, 'pyproject.toml'),
      '[project]\nname = "monorepo"\n\n[tool.django-deploy-check]\ndisable = ["DDH107"]\nfail-on = "never"\n',
    );
    writeFileSync(
      path.join(repo, 'backend/pyproject.toml'),
      '[tool.django-deploy-check]\nsettings = "mysite.settings.development"\nseverity = { DDH107 = "warning" }\n',
    );
    const run = (
      ...args: string[]
    ): {
      code: number | null;
      out: {
        diagnostics: { file: string; code: string; severity: string }[];
        projects: { root: string; production: { module: string } | null }[];
      };
    } => {
      const r = cli(repo, '--format', 'json', ...args);
      return { code: r.code, out: JSON.parse(r.stdout) };
    };
    const { code, out } = run();
    assert.equal(code, 0, 'fail-on = "never" in the repository\'s pyproject.toml');
    const production = Object.fromEntries(out.projects.map((p) => [p.root, p.production?.module]));
    assert.deepEqual(production, { backend: 'mysite.settings.development', other: 'mysite.settings.production' });
    const ddh107 = out.diagnostics.filter((d) => d.code === 'DDH107').map((d) => `${d.file} ${d.severity}`);
    assert.deepEqual(
      ddh107,
      ['backend/mysite/settings/development.py warning'],
      "backend's own table applies there (nearest wins); other/ has the repository's, which disables DDH107",
    );
    // a flag wins over the tables
    const flagged = run('--settings', 'mysite.settings.production', '--fail-on', 'error');
    assert.deepEqual(Object.fromEntries(flagged.out.projects.map((p) => [p.root, p.production?.module])), {
      backend: 'mysite.settings.production',
      other: 'mysite.settings.production',
    });
    assert.equal(flagged.code, 0, 'no error is left: DDH107 is a warning in backend, disabled in other');
  });

  it('keeps a code cache from the first run that analyses a project, not from --version, rules or a usage error', () => {
    const home = tempDir('ddh-cache-');
    const env = { XDG_CACHE_HOME: home, DDH_NO_CODE_CACHE: '' };
    const caches = (): string[] => {
      try {
        return readdirSync(path.join(home, 'django-deploy-hygiene')).filter((f) => f.endsWith('.v8cache'));
      } catch {
        return [];
      }
    };
    assert.equal(cliWith(env, '--version').code, 0);
    assert.equal(cliWith(env, 'rules').code, 0);
    assert.equal(cliWith(env, '--format', 'yaml', example).code, 2);
    assert.deepEqual(caches(), [], 'runs that analysed nothing leave no cache (it would be accepted, and never replaced)');
    assert.equal(cliWith(env, example).code, 1);
    const [file] = caches();
    assert.ok(file, 'the first analysis writes the cache');
    const full = path.join(home, 'django-deploy-hygiene', file);
    const written = statSync(full).mtimeMs;
    const again = cliWith(env, example);
    assert.equal(again.code, 1);
    assert.equal(again.stdout, cliWith({ DDH_NO_CODE_CACHE: '1' }, example).stdout, 'the same report with and without the cache');
    assert.equal(statSync(full).mtimeMs, written, 'an accepted cache is not written again');
  });
});
