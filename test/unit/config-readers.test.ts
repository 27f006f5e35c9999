// The configuration readers of issue 29: setup.cfg and tox.ini through the INI reader (configparser's
// semantics, setuptools' readings of values).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSetupCfg } from '../../server/src/analysis/project/dependencies';
import { iniGet, parseIni } from '../../server/src/analysis/project/ini';
import { setuptoolsRequirements } from '../../server/src/analysis/project/setupcfg';

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
});
