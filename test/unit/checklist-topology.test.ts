// The checklist items of issue 19.7 for app servers and process topology: "containers" (fed by the
// Dockerfile rules), "migrations-step" and "background-workers" (read from the files that show them).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildChecklist, type ChecklistItem } from '../../server/src/analysis/outputs/checklist/checklist';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

const BASE = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
};

function items(files: Record<string, string>): Map<string, ChecklistItem> {
  const ws = new Workspace(new MemoryFileSystem({ ...BASE, ...files }, '/p'), ['/p']);
  const [a] = analyzeWorkspace(ws).projects;
  const c = buildChecklist(ws, a!);
  return new Map(c.groups.flatMap((g) => g.items).map((i) => [i.id, i]));
}

describe('checklist: process topology and containers', () => {
  before(async () => {
    await loadParser();
  });

  it('a release phase and a worker process of their own pass, and say where', () => {
    const i = items({
      Procfile: 'release: python manage.py migrate --noinput\nweb: gunicorn mysite.wsgi\nworker: celery -A mysite worker -l info\n',
    });
    assert.equal(i.get('migrations-step')?.status, 'passed');
    assert.equal(i.get('migrations-step')?.entries[0]?.label, 'migrations run in a release step here: Procfile');
    assert.equal(i.get('background-workers')?.status, 'passed');
    assert.equal(
      i.get('background-workers')?.entries[0]?.loc?.start,
      'release: python manage.py migrate --noinput\nweb: gunicorn mysite.wsgi\n'.length,
    );
    assert.equal(i.get('migrations-step')?.group, 'deployment');
  });

  it('migrate and a worker inside the web command are not a release step or a worker process', () => {
    const i = items({ Procfile: 'web: python manage.py migrate && gunicorn mysite.wsgi & celery -A mysite worker\n' });
    // the rules' findings on that command decide the items (not "not found" beside them)
    const codes = (id: string) => [...new Set(i.get(id)?.entries.map((e) => e.code))].join(',');
    assert.equal(i.get('migrations-step')?.status, 'failing', codes('migrations-step'));
    assert.equal(i.get('background-workers')?.status, 'failing', codes('background-workers'));
    assert.equal(codes('migrations-step'), 'DDG305');
    assert.equal(codes('background-workers'), 'DDG307');
  });

  it('the containers item lists what the Dockerfile rules found', () => {
    const i = items({
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "mysite.wsgi"]\n',
    });
    const c = i.get('containers');
    assert.equal(c?.group, 'app-server');
    assert.equal(c?.status, 'attention');
    assert.deepEqual([...new Set(c?.entries.map((e) => e.code))].sort(), ['DDG301', 'DDG302', 'DDG303']);
    const clean = items({
      Dockerfile:
        'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nUSER app\nCMD ["gunicorn", "mysite.wsgi"]\n',
    });
    assert.equal(clean.get('containers')?.status, 'passed');
  });
});
