// The checklist counts by certainty (issue 57): an item fails only for findings whose every link is
// certain; a finding that rests on a presumption (here the production module chosen by its name,
// nothing the deployment runs naming it) leaves its item to review, with the link that keeps it so.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { buildChecklist, itemOfRule, type ChecklistItem } from '../../server/src/analysis/outputs/checklist/checklist';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { ruleByCode } from '../../server/src/analysis/rules/registry';

const SETTINGS = 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = True\nALLOWED_HOSTS = ["example.com"]\n';

function debugItem(files: Record<string, string>): ChecklistItem {
  const ws = new Workspace(new MemoryFileSystem({ 'mysite/__init__.py': '', ...files }, '/p'), ['/p']);
  const [a] = analyzeWorkspace(ws).projects;
  const id = itemOfRule(ruleByCode('DDH107')!);
  const item = buildChecklist(ws, a!)
    .groups.flatMap((g) => g.items)
    .find((i) => i.id === id);
  assert.ok(item, `no checklist item ${id}`);
  return item;
}

describe('checklist: failing only for certain findings', () => {
  before(async () => {
    await loadParser();
  });

  it('fails for DEBUG = True in the module wsgi.py names', () => {
    const item = debugItem({
      'mysite/settings.py': SETTINGS,
      'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    });
    assert.equal(item.status, 'failing');
    assert.equal(item.description, '1 problem');
    assert.equal(item.entries[0]?.uncertain, undefined);
  });

  it('leaves it to review when the production module is only chosen by its name', () => {
    const item = debugItem({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.development")\n',
      'mysite/settings/__init__.py': '',
      'mysite/settings/base.py': SETTINGS,
      'mysite/settings/development.py': 'from .base import *\n',
      'mysite/settings/production.py': 'from .base import *\nSECURE_SSL_REDIRECT = True\n',
    });
    assert.equal(item.status, 'attention');
    assert.equal(item.description, '1 to review');
    assert.equal(item.entries[0]?.uncertain, "if mysite.settings.production is production's: chosen by its name");
  });
});
