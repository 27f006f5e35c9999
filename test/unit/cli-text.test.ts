// The CLI's text report for people: grouped by file, a summary line per project with its counts,
// colours only on a terminal (NO_COLOR, FORCE_COLOR), --statistics as counts per rule.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

import type { JsonDiagnostic } from '../../server/src/cli/jsonDiagnostic';
import { formatStatistics, formatTextReport, severityCounts, wantsColor } from '../../server/src/cli/text';
import { CLI, EXAMPLE } from '../helpers/paths';

function diag(over: Partial<JsonDiagnostic>): JsonDiagnostic {
  return {
    file: 'a.py',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    code: 'DDH107',
    severity: 'error',
    message: 'm',
    django: null,
    name: 'debug-enabled',
    project: '.',
    docs: '',
    ...over,
  };
}

describe('text report', () => {
  it('groups findings by file, then one summary line per project with its counts, then the closing line', () => {
    const diags = [
      diag({ file: 'shop/settings.py', line: 3, code: 'DDH107', message: 'DEBUG is True' }),
      diag({ file: 'shop/settings.py', line: 9, code: 'DDH202', severity: 'warning', message: 'ALLOWED_HOSTS "*"' }),
      diag({ file: 'gunicorn.conf.py', line: 2, code: 'DDG101', message: 'timout', name: 'unknown-gunicorn-setting' }),
      diag({ file: 'blog/settings.py', line: 1, code: 'DDH901', severity: 'information', message: 'no LOGGING', project: 'blog' }),
    ];
    const out = formatTextReport(
      diags,
      [
        { root: '.', summary: ['production settings shop.settings (named by wsgi.py:5)', 'Django 4.2 (requirements.txt)'] },
        { root: 'blog', summary: ['production settings blog.settings'] },
      ],
      'Found 2 errors, 1 warning, 1 information.',
      { color: false },
    );
    assert.equal(
      out,
      [
        'shop/settings.py:3:1: error DDH107 DEBUG is True',
        'shop/settings.py:9:1: warning DDH202 ALLOWED_HOSTS "*"',
        '',
        'gunicorn.conf.py:2:1: error DDG101 timout',
        '',
        'blog/settings.py:1:1: information DDH901 no LOGGING',
        '',
        '# .: production settings shop.settings (named by wsgi.py:5); Django 4.2 (requirements.txt); 2 errors, 1 warning',
        '# blog: production settings blog.settings; 1 information',
        'Found 2 errors, 1 warning, 1 information.',
        '',
      ].join('\n'),
    );
  });

  it('colours severities, codes and files only when asked, and the text stays the same without the escapes', () => {
    const diags = [diag({ file: 'x.py', message: 'msg' }), diag({ file: 'x.py', severity: 'hint', code: 'DDH304' })];
    const plain = formatTextReport(diags, [{ root: '.', summary: [] }], 'Found 1 error, 1 hint.', { color: false });
    const coloured = formatTextReport(diags, [{ root: '.', summary: [] }], 'Found 1 error, 1 hint.', { color: true });
    assert.match(coloured, /\x1b\[31merror\x1b\[39m/);
    assert.doesNotMatch(plain, /\x1b/);
    assert.equal(coloured.replace(/\x1b\[\d+m/g, ''), plain);
  });

  it('colour: a terminal unless NO_COLOR; FORCE_COLOR colours a pipe', () => {
    assert.equal(wantsColor({ isTTY: true }, {}), true);
    assert.equal(wantsColor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(wantsColor({ isTTY: false }, {}), false);
    assert.equal(wantsColor({}, { FORCE_COLOR: '1' }), true);
    assert.equal(wantsColor({}, { FORCE_COLOR: '0' }), false);
  });

  it('statistics: counts per rule, most frequent first', () => {
    const diags = [
      diag({ code: 'DDH202', severity: 'warning', name: 'allowed-hosts-wildcard' }),
      diag({}),
      diag({}),
      diag({ code: 'DDH101', name: 'hardcoded-secret-key' }),
    ];
    assert.equal(
      formatStatistics(diags, { color: false }),
      [
        '2  DDH107  [error]       debug-enabled',
        '1  DDH101  [error]       hardcoded-secret-key',
        '1  DDH202  [warning]     allowed-hosts-wildcard',
        'Found 3 errors, 1 warning.',
        '',
      ].join('\n'),
    );
    assert.equal(severityCounts([]), '');
  });

  it('the CLI: no escape codes through a pipe, FORCE_COLOR adds them, --statistics sums to the findings', () => {
    const run = (env: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, [CLI, EXAMPLE, '--fail-on', 'never', ...args], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
      }).stdout;
    const piped = run({});
    assert.doesNotMatch(piped, /\x1b\[/);
    assert.match(run({ FORCE_COLOR: '1' }), /\x1b\[31merror\x1b\[39m/);
    assert.doesNotMatch(run({ FORCE_COLOR: '1', NO_COLOR: '1' }), /\x1b\[/);
    const findings = piped.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l)).length;
    const stats = run({}, '--statistics');
    const total = stats
      .split('\n')
      .map((l) => /^\s*(\d+)\s+DD[HG]\d{3}\s/.exec(l)?.[1])
      .filter(Boolean)
      .reduce((n, x) => n + Number(x), 0);
    assert.equal(total, findings);
    assert.match(stats, /^Found \d+ errors/m);
  });
});
