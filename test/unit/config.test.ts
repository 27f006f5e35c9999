// [tool.django-deploy-check] read through the TOML parser: sub-tables, quoted keys, multi-line
// arrays, and a clear warning for what the table cannot use (CLI stderr, editor notification).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readProjectConfig } from '../../server/src/analysis/models/project/config';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { CLI, FIXTURES } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

const read = (text: string) => readProjectConfig(new MemoryFileSystem({ 'pyproject.toml': text }, '/p'), '/p');

describe('[tool.django-deploy-check]', () => {
  it('reads every key, inline', () => {
    const c = read(
      '[tool.django-deploy-check]\nsettings = "mysite.settings.production"\ndjango-version = "4.2"\ndisable = ["ddh202"]\nseverity = { DDH305 = "warning" }\nfail-on = "error"\n',
    );
    assert.deepEqual(
      { ...c, file: undefined },
      {
        settings: 'mysite.settings.production',
        djangoVersion: '4.2',
        disable: ['DDH202'],
        severity: { DDH305: 'warning' },
        failOn: 'error',
        file: undefined,
      },
    );
  });

  it('reads a [tool.django-deploy-check.severity] sub-table with quoted keys (was dropped)', () => {
    const c = read(
      '[tool.django-deploy-check]\ndisable = [\n  "DDH202",  # not for us\n  "DDH203",\n]\n\n[tool.django-deploy-check.severity]\n"DDH305" = "hint"\nDDG104 = \'off\'\n\n[tool.other]\nx = 1\n',
    );
    assert.deepEqual(c.severity, { DDH305: 'hint', DDG104: 'off' });
    assert.deepEqual(c.disable, ['DDH202', 'DDH203']);
    assert.equal(c.warnings, undefined);
  });

  it('keeps a # inside a string and a table name in a string', () => {
    const c = read(
      '[tool.django-deploy-check]\nsettings = "a.b" # the module\n[tool.x]\nnote = "[tool.django-deploy-check] is elsewhere"\n',
    );
    assert.equal(c.settings, 'a.b');
  });

  it('warns about unknown keys and values of the wrong kind, and keeps the rest', () => {
    const c = read(
      '[tool.django-deploy-check]\nsettings = "a.b"\ndjango_version = "4.2"\nexclude = ["x"]\nfail-on = "sometimes"\nseverity = { DDH305 = "loud" }\n',
    );
    assert.equal(c.settings, 'a.b');
    assert.equal(c.failOn, undefined);
    assert.deepEqual(c.severity, {});
    assert.deepEqual(c.warnings, [
      '`fail-on` must be error, warning, information or never, not "sometimes": ignored',
      'severity of DDH305 must be error, warning, information, hint or off, not "loud": ignored',
      'unknown key `django_version` (did you mean `django-version`?): ignored; the table knows settings, django-version, disable, severity, fail-on',
      'unknown key `exclude`: ignored; the table knows settings, django-version, disable, severity, fail-on',
    ]);
  });

  it('a pyproject.toml that is not TOML: a warning when the table is there, nothing otherwise', () => {
    const bad = read('[tool.django-deploy-check]\nsettings = "a.b\n');
    assert.equal(bad.settings, undefined);
    assert.match(bad.warnings?.[0] ?? '', /^pyproject\.toml is not valid TOML \(.+\): \[tool\.django-deploy-check\] was not read$/);
    assert.deepEqual(read('# see [tool.django-deploy-check] in the docs\n[project\n'), {});
    assert.deepEqual(read('[project]\nname = "x"\n'), {});
  });

  it('the CLI prints the warnings on stderr', () => {
    const dir = tempDir('ddh-config-');
    cpSync(path.join(FIXTURES, 'projects', 'deps-poetry'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.django-deploy-check]\nsettings = "shop.settings"\nignore = ["DDH401"]\n');
    const r = spawnSync(process.execPath, [CLI, dir, '--fail-on', 'never'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /pyproject\.toml: unknown key `ignore`: ignored; the table knows settings, django-version, disable, severity, fail-on/,
    );
    assert.match(r.stdout, /DDH401/);
  });
});
