// The evaluator on writes it cannot fully follow (issue 14 item 2): guarded globals() writes, loops
// over os.environ, imports guarded by existence tests or suppressed, modules handed to foreign code,
// star imports from libraries, django-configurations classes; and generated keys (item 6).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { evaluateSettings } from './evalHarness';

before(async () => {
  await loadParser();
});

describe('evaluator: imports that are absent in production', () => {
  it('an import guarded by Path(...).exists() on an uncommitted file is absent (an .example beside it does not count)', () => {
    const e = evaluateSettings(
      [
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent.parent',
        'DEBUG = True',
        'SECRET_KEY = "---"',
        'if (BASE_DIR / "mysite/local_settings.py").exists():',
        '    from .local_settings import *',
        '',
      ].join('\n'),
      { 'mysite/local_settings.py.example': 'DEBUG = False\n' },
    );
    assert.equal(e.get('DEBUG'), true);
    assert.equal(e.get('SECRET_KEY'), '---');
    assert.equal(e.mod.scope.open, undefined);
    assert.deepEqual(e.notes(), []);
  });

  it('with contextlib.suppress(ImportError): a missing module is absent, earlier values survive', () => {
    for (const [head, call] of [
      ['import contextlib', 'contextlib.suppress'],
      ['from contextlib import suppress', 'suppress'],
    ]) {
      const e = evaluateSettings(
        [
          head,
          'DEBUG = False',
          `with ${call}(ImportError):`,
          '    from .custom_dev_settings import *',
          '    CUSTOM = True',
          'AFTER = 1',
          '',
        ].join('\n'),
      );
      assert.equal(e.get('DEBUG'), false);
      assert.equal(e.value('CUSTOM'), undefined);
      assert.equal(e.get('AFTER'), 1);
      assert.deepEqual(e.notes(), []);
    }
  });
});
