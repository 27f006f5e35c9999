// Two rules that report on one place and say it together (issue 16.1): a hardcoded SECRET_KEY that
// is also weak is one finding (DDH101 with DDH102, security.W009) saying both; when either rule is
// disabled or its finding suppressed, the other one stands alone with its own message.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace, type AnalysisOptions } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import type { Finding } from '../../server/src/analysis/rules/types';

const ROOT = '/together';

function secretKeyFindings(settings: string, options: AnalysisOptions = {}): Finding[] {
  const fs = new MemoryFileSystem(
    {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': settings,
    },
    ROOT,
  );
  const analysis = analyzeWorkspace(new Workspace(fs, [ROOT]), { djangoVersion: '5.2', ...options });
  return analysis.projects.flatMap((p) => p.findings).filter((f) => f.code === 'DDH101' || f.code === 'DDH102');
}

const WEAK = 'DEBUG = False\nALLOWED_HOSTS = ["example.com"]\nSECRET_KEY = "short-key"\n';

describe('findings said together', () => {
  before(async () => {
    await loadParser();
  });

  it('a hardcoded weak key is one finding that says both, with W009', () => {
    const found = secretKeyFindings(WEAK);
    assert.equal(found.length, 1);
    const [f] = found;
    assert.equal(f!.code, 'DDH101');
    assert.deepEqual(f!.joined, ['DDH102']);
    assert.equal(f!.django, 'security.W009');
    assert.match(f!.message, /hardcoded in the settings, and it is only 9 characters long \(Django wants at least 50\)/);
    assert.equal(f!.together, undefined, 'the joining instruction is not part of the output');
  });

  it('a hardcoded strong key is DDH101 alone, without a Django id', () => {
    const found = secretKeyFindings('DEBUG = False\nSECRET_KEY = "k3v9x!b2q7w#e4r%t6y&u8i*o0p)a1s(d3f-g5h=j7k+l9z2x4c6v8b0n"\n');
    assert.deepEqual(
      found.map((f) => [f.code, f.django, f.joined]),
      [['DDH101', null, undefined]],
    );
  });

  it('with DDH101 disabled, DDH102 reports alone with its own message', () => {
    const found = secretKeyFindings(WEAK, { disabledRules: ['DDH101'] });
    assert.deepEqual(
      found.map((f) => f.code),
      ['DDH102'],
    );
    assert.match(found[0]!.message, /^SECRET_KEY is only 9 characters long/);
  });

  it("with DDH102's finding suppressed, DDH101 keeps its own message", () => {
    const found = secretKeyFindings(WEAK.replace('"short-key"', '"short-key"  # noqa: DDH102'));
    assert.deepEqual(
      found.map((f) => [f.code, f.django]),
      [['DDH101', null]],
    );
    assert.match(found[0]!.message, /^SECRET_KEY is hardcoded in the settings: read it/);
  });
});
