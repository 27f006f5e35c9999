// Hostile input: nothing crashes or blocks, each analysis ends within its budget, and what was
// skipped is reported once, clearly.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace, EvaluationCancelled, type AnalysisOptions } from '../../server/src/analysis/engine';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/project/fs';
import type { Finding } from '../../server/src/analysis/rules/types';
import { Workspace } from '../../server/src/analysis/workspace';

const SKELETON = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
};

function analyze(settings: string, extra: Record<string, string> = {}, options: AnalysisOptions = {}): { findings: Finding[]; ms: number; ws: Workspace } {
  const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': settings, ...extra }, '/p');
  const ws = new Workspace(fs, ['/p']);
  const t = performance.now();
  const a = analyzeWorkspace(ws, options);
  return { findings: a.projects.flatMap((p) => p.findings), ms: performance.now() - t, ws };
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code).sort();
}

describe('hostile input', () => {
  before(async () => {
    await loadParser();
  });

  it('reports what parses around a syntax error, and the error once', () => {
    const { findings } = analyze('DEBUG = True\nX = (1 +\nSECRET_KEY = "changeme"\nALLOWED_HOSTS = ["*"]\nY = ]]]\n');
    const c = codes(findings);
    assert.ok(c.includes('DDH107'), c.join());
    assert.ok(c.includes('DDH202'), c.join());
    assert.equal(c.filter((x) => x === 'DDH004').length, 1, 'the syntax error is reported once');
  });

  it('survives an unterminated string that swallows the rest of the module', () => {
    const { findings } = analyze('DEBUG = True\nX = """never closed\nSECRET_KEY = "x"\n');
    assert.ok(codes(findings).includes('DDH107'));
  });

  it('skips a file over the size limit and says so once', () => {
    const big = 'X = 1\n'.repeat(2_000_000); // 12 MB
    const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': 'from .huge import *\nDEBUG = True\n' }, '/p');
    const real = new NodeFileSystem();
    void real;
    fs.write('/p/mysite/huge.py', big);
    // The memory FS has no size limit of its own: go through the real one for this case.
    const dir = mkdtempSync(path.join(tmpdir(), 'ddh-big-'));
    mkdirSync(path.join(dir, 'mysite'));
    writeFileSync(path.join(dir, 'manage.py'), SKELETON['manage.py']);
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(path.join(dir, 'mysite/settings.py'), 'from .huge import *\nDEBUG = True\n');
    writeFileSync(path.join(dir, 'mysite/huge.py'), big);
    const ws = new Workspace(new NodeFileSystem(), [dir]);
    const t = performance.now();
    const a = analyzeWorkspace(ws);
    const ms = performance.now() - t;
    const f = a.projects.flatMap((p) => p.findings);
    assert.ok(codes(f).includes('DDH107'));
    const skipped = f.filter((x) => x.code === 'DDH004');
    assert.equal(skipped.length, 1, codes(f).join());
    assert.match(skipped[0]!.message, /huge\.py was not analysed: larger than 2 MB/);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  it('skips binary files and reads non-UTF-8 text', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ddh-bin-'));
    mkdirSync(path.join(dir, 'mysite'));
    writeFileSync(path.join(dir, 'manage.py'), SKELETON['manage.py']);
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(path.join(dir, 'mysite/settings.py'), 'from .blob import *\nfrom .latin import *\n');
    writeFileSync(path.join(dir, 'mysite/blob.py'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    writeFileSync(path.join(dir, 'mysite/latin.py'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nDEBUG = True\n')]));
    const a = analyzeWorkspace(new Workspace(new NodeFileSystem(), [dir]));
    const f = a.projects.flatMap((p) => p.findings);
    assert.ok(codes(f).includes('DDH107'), 'the Latin-1 module is read');
    assert.ok(f.some((x) => x.code === 'DDH004' && /blob\.py was not analysed: not a text file/.test(x.message)), codes(f).join());
  });

  it('bounds deeply nested expressions', () => {
    for (const src of [`X = ${'('.repeat(20000)}1${')'.repeat(20000)}\nDEBUG = True\n`, `X = ${'['.repeat(5000)}${']'.repeat(5000)}\nDEBUG = True\n`, `X = ${Array(30000).fill('1').join(' + ')}\nDEBUG = True\n`, `X = ${'not '.repeat(10000)}True\nDEBUG = True\n`]) {
      const { findings, ms } = analyze(src);
      assert.ok(codes(findings).includes('DDH107'), `${src.slice(0, 20)}: ${codes(findings).join()}`);
      assert.ok(ms < 5000, `${src.slice(0, 20)} took ${ms} ms`);
    }
  });

  it('ends star-import cycles and self-imports', () => {
    const { findings } = analyze('from .a import *\nDEBUG = True\n', { 'mysite/a.py': 'from .b import *\n', 'mysite/b.py': 'from .a import *\nfrom .settings import *\nfrom mysite.settings import *\n' });
    assert.ok(codes(findings).includes('DDH107'));
    assert.ok(codes(findings).includes('DDH001'));
  });

  it('reports imports of missing workspace modules and carries on for third-party ones', () => {
    const { findings } = analyze('import os\nimport requests\nfrom some_package.settings import BASE\nDEBUG = True\nfrom .missing import X\n');
    assert.ok(codes(findings).includes('DDH107'));
    assert.ok(findings.some((f) => f.code === 'DDH002' && /missing/.test(f.message)));
  });

  it('stops an analysis at its time budget and reports it once', () => {
    // a loop the evaluator unrolls: 1,000 iterations × a big body, repeated
    const body = Array.from({ length: 400 }, (_, i) => `    V${i} = [x * 2 for x in range(900)]`).join('\n');
    const src = `DEBUG = True\nfor i in range(1000):\n${body}\n` + 'for j in range(1000):\n' + body.replace(/V/g, 'W') + '\n';
    const { findings, ms } = analyze(src, {}, { budgetMs: 200 });
    assert.ok(ms < 3000, `took ${ms} ms`);
    assert.equal(findings.filter((f) => f.code === 'DDH004' && /budget/.test(f.message)).length, 1, codes(findings).join());
    assert.ok(codes(findings).includes('DDH107'), 'what was read before the budget ran out is still checked');
  });

  it('honours cancellation', () => {
    // The evaluator polls every 1,024 steps: 8,000 assignments give it several chances. The budget
    // is out of reach, so that only the cancellation can end the analysis on a busy machine.
    const src = 'DEBUG = True\n' + Array.from({ length: 8000 }, (_, i) => `X${i} = ${i}`).join('\n');
    let polls = 0;
    assert.throws(
      () => analyze(src, {}, { isCancelled: () => ++polls > 2, budgetMs: 10 * 60_000 }),
      (e: unknown) => e instanceof EvaluationCancelled,
    );
  });

  it('ends a workspace scan with symlink loops and thousands of files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ddh-loop-'));
    mkdirSync(path.join(dir, 'mysite/sub'), { recursive: true });
    writeFileSync(path.join(dir, 'manage.py'), SKELETON['manage.py']);
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(path.join(dir, 'mysite/settings.py'), 'DEBUG = True\n');
    symlinkSync(dir, path.join(dir, 'mysite/sub/loop'));
    symlinkSync(path.join(dir, 'mysite'), path.join(dir, 'mysite/sub/up'));
    for (let i = 0; i < 3000; i++) writeFileSync(path.join(dir, 'mysite/sub', `m${i}.py`), `X = ${i}\n`);
    const t = performance.now();
    const a = analyzeWorkspace(new Workspace(new NodeFileSystem(), [dir]));
    assert.ok(performance.now() - t < 5000);
    assert.equal(a.projects.length, 1);
    assert.ok(codes(a.projects[0]!.findings).includes('DDH107'));
  });

  it('finds hundreds of projects among thousands of files, and shares a file outside them only with the projects of its part', () => {
    const files: Record<string, string> = {
      'services/Procfile': 'web: gunicorn shop.wsgi\n',
      'deploy/Dockerfile': 'FROM python:3.12\n',
    };
    const project = (dir: string, name: string): void => {
      files[`${dir}/manage.py`] = `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}.settings")\n`;
      files[`${dir}/${name}/__init__.py`] = '';
      files[`${dir}/${name}/settings.py`] = 'DEBUG = False\n';
      files[`${dir}/${name}/wsgi.py`] = '';
    };
    project('services/shop', 'shop');
    project('services/blog', 'blog');
    project('web/site', 'site');
    for (let i = 0; i < 400; i++) project(`fixtures/p${i}`, `p${i}`);
    for (let i = 0; i < 5000; i++) files[`scripts/s${i}.py`] = `X = ${i}\n`;
    const projects = new Workspace(new MemoryFileSystem(files, '/w'), ['/w']).projects();
    assert.equal(projects.length, 403);
    const byRoot = new Map(projects.map((p) => [p.root, p]));
    const rel = (root: string): string[] => byRoot.get(`/w/${root}`)!.files.map((f) => f.path.slice(3)).filter((f) => !f.startsWith(root + '/')).sort();
    assert.deepEqual(rel('services/shop'), ['deploy/Dockerfile', 'services/Procfile'], 'the Procfile of services/ belongs to the projects in it, the top-level Dockerfile to all');
    assert.deepEqual(rel('services/blog'), ['deploy/Dockerfile', 'services/Procfile']);
    assert.deepEqual(rel('web/site'), ['deploy/Dockerfile'], 'the Procfile of services/ is not the web project\'s');
    assert.deepEqual(rel('fixtures/p7'), ['deploy/Dockerfile'], 'Python modules outside every project are nobody\'s deployment files');
  });

  it('keeps every finding range inside its document', () => {
    const { findings, ws } = analyze('DEBUG = True\nSECRET_KEY = "abc"\n\n\n');
    for (const f of findings) {
      const text = ws.document(f.loc.file)!.text;
      assert.ok(f.loc.start >= 0 && f.loc.end <= text.length && f.loc.start <= f.loc.end, `${f.code} ${JSON.stringify(f.loc)}`);
    }
  });

  it('parses pathological documents without throwing', () => {
    for (const src of ['', '\n\n', '\t\t\t', '\\', '"""', "'", '(((', ')))', 'if x:\n', '\u0000', '\ud800', 'é'.repeat(10000), 'x = 1\r\r\r\n\n\r']) {
      const d = PythonDocument.parse(src, { incremental: true });
      d.applyEdit(0, 0, 'A = 1\n');
      d.applyEdit(d.text.length, d.text.length, '\nB = (');
      d.dispose();
    }
  });
});
