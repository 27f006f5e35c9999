// DDG331 where a fixture cannot mark the line: systemd's KillSignal= and a Dockerfile's STOPSIGNAL
// take no comment after the value, so the finding and its fix are checked here, on files in memory.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

const BASE = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'mysite/asgi.py': 'from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n',
};

/** DDG331's findings: the line, the text under it and what its fix writes. */
function findings(files: Record<string, string>): { file: string; line: number; text: string; fix?: string }[] {
  const all = { ...BASE, ...files };
  const ws = new Workspace(new MemoryFileSystem(all, '/p'), ['/p']);
  const [a] = analyzeWorkspace(ws, { fixes: true }).projects;
  return a!.findings
    .filter((f) => f.code === 'DDG331')
    .map((f) => {
      const name = f.loc.file.slice('/p/'.length);
      const text = all[name as keyof typeof all]!;
      return {
        file: name,
        line: text.slice(0, f.loc.start).split('\n').length,
        text: text.slice(f.loc.start, f.loc.end),
        ...(f.fixes?.[0] ? { fix: f.fixes[0].edits[0]!.newText } : {}),
      };
    });
}

describe('DDG331: the app server stopped with SIGKILL', () => {
  before(async () => {
    await loadParser();
  });

  it("a systemd unit's KillSignal=SIGKILL for uvicorn: reported on it, SIGTERM offered", () => {
    const unit =
      '[Service]\nExecStart=/srv/venv/bin/uvicorn mysite.asgi:application --port 8000\nKillSignal=SIGKILL\n\n[Install]\nWantedBy=multi-user.target\n';
    const f = findings({ 'mysite.service': unit });
    assert.equal(f.length, 1, JSON.stringify(f));
    assert.equal(f[0]!.line, 3);
    assert.match(f[0]!.text, /SIGKILL/);
    assert.equal(f[0]!.fix, 'SIGTERM');
  });

  it("a Dockerfile's STOPSIGNAL SIGKILL for the gunicorn it runs: reported, SIGTERM offered", () => {
    const docker =
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nSTOPSIGNAL SIGKILL\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]\n';
    const f = findings({ Dockerfile: docker });
    assert.equal(f.length, 1, JSON.stringify(f));
    assert.equal(f[0]!.line, 4);
    assert.equal(f[0]!.fix, 'SIGTERM');
  });

  it('KillSignal=9 for uWSGI: SIGQUIT offered; KillSignal=SIGTERM: nothing', () => {
    const unit = (sig: string) =>
      `[Service]\nExecStart=/srv/venv/bin/uwsgi --module mysite.wsgi:application --http :8000 --master --die-on-term\nKillSignal=${sig}\n`;
    const f = findings({ 'mysite.service': unit('9') });
    assert.equal(f.length, 1, JSON.stringify(f));
    assert.equal(f[0]!.fix, 'SIGQUIT');
    assert.deepEqual(findings({ 'mysite.service': unit('SIGTERM') }), []);
  });
});
