// Hostile input: nothing crashes or blocks, each analysis ends within its budget, and what was
// skipped is reported once, clearly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { evaluateProduction, productionNotes } from '../../server/src/analysis/engine/production';
import { analyzeWorkspace, EvaluationCancelled, type AnalysisOptions } from '../../server/src/analysis/engine/engine';
import { MAX_FINDINGS_PER_RULE_AND_FILE, NoqaIndex, NoqaLines, noqaCodesAt } from '../../server/src/analysis/engine/noqa';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser, withParseDeadline } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem, NodeFileSystem, OverlayFileSystem } from '../../server/src/analysis/files/fs';
import type { Finding } from '../../server/src/analysis/rules/types';
import { scanWorkspace } from '../../server/src/analysis/files/scan';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { discover } from '../../server/src/analysis/models/project/model';
import { detectVersions } from '../../server/src/analysis/models/project/version';
import { withCheck } from '../helpers/ruleStub';
import * as V from '../../server/src/analysis/eval/values';
import { escapeControl } from '../../server/src/analysis/base/controlChars';
import { CLI } from '../helpers/paths';
import { hookScript, outsideWorkspace, shQuote } from '../../client/src/hookScript';
import { tempDir } from '../helpers/tempDir';

const SKELETON = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
};

function analyze(
  settings: string,
  extra: Record<string, string> = {},
  options: AnalysisOptions = {},
): { findings: Finding[]; ms: number; ws: Workspace } {
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

  it('says a module was not analysed because its parse ran out of time, even when a later parse of it succeeds', () => {
    // no budget at all: the evaluation's parse of the settings is cut short at once; the module is
    // parsed again afterwards (where findings about nothing in particular land) without a deadline
    const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': `${'X = [1, 2, 3]\n'.repeat(40_000)}DEBUG = True\n` }, '/p');
    const ws = new Workspace(fs, ['/p']);
    const project = ws.projects({})[0]!;
    const production = evaluateProduction(ws, project, {}, 0);
    const notes = productionNotes(ws, production).map((n) => n.message);
    assert.ok(
      notes.some((m) => /settings\.py was not analysed: parsing it did not finish in time/.test(m)),
      notes.join('\n'),
    );
    assert.ok(!notes.some((m) => /could not be read$/.test(m)), notes.join('\n'));
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
    const dir = tempDir('ddh-big-');
    mkdirSync(path.join(dir, 'mysite'));
    writeFileSync(path.join(dir, 'manage.py'), SKELETON['manage.py']);
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(path.join(dir, 'mysite/settings.py'), 'from .huge import *\nDEBUG = True\n');
    writeFileSync(path.join(dir, 'mysite/huge.py'), big);
    const ws = new Workspace(new NodeFileSystem(), [dir]);
    const a = analyzeWorkspace(ws);
    const f = a.projects.flatMap((p) => p.findings);
    assert.ok(codes(f).includes('DDH107'));
    const skipped = f.filter((x) => x.code === 'DDH004');
    assert.equal(skipped.length, 1, codes(f).join());
    assert.match(skipped[0]!.message, /huge\.py was not analysed: larger than 2 MB/);
  });

  it('skips binary files and reads non-UTF-8 text', () => {
    const dir = tempDir('ddh-bin-');
    mkdirSync(path.join(dir, 'mysite'));
    writeFileSync(path.join(dir, 'manage.py'), SKELETON['manage.py']);
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(path.join(dir, 'mysite/settings.py'), 'from .blob import *\nfrom .latin import *\n');
    writeFileSync(path.join(dir, 'mysite/blob.py'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    writeFileSync(
      path.join(dir, 'mysite/latin.py'),
      Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nDEBUG = True\n')]),
    );
    const a = analyzeWorkspace(new Workspace(new NodeFileSystem(), [dir]));
    const f = a.projects.flatMap((p) => p.findings);
    assert.ok(codes(f).includes('DDH107'), 'the Latin-1 module is read');
    assert.ok(
      f.some((x) => x.code === 'DDH004' && /blob\.py was not analysed: not a text file/.test(x.message)),
      codes(f).join(),
    );
  });

  it('bounds deeply nested expressions', () => {
    for (const src of [
      `X = ${'('.repeat(20000)}1${')'.repeat(20000)}\nDEBUG = True\n`,
      `X = ${'['.repeat(5000)}${']'.repeat(5000)}\nDEBUG = True\n`,
      `X = ${Array(30000).fill('1').join(' + ')}\nDEBUG = True\n`,
      `X = ${'not '.repeat(10000)}True\nDEBUG = True\n`,
    ]) {
      const { findings } = analyze(src);
      assert.ok(codes(findings).includes('DDH107'), `${src.slice(0, 20)}: ${codes(findings).join()}`);
    }
  });

  it('ends star-import cycles and self-imports', () => {
    const { findings } = analyze('from .a import *\nDEBUG = True\n', {
      'mysite/a.py': 'from .b import *\n',
      'mysite/b.py': 'from .a import *\nfrom .settings import *\nfrom mysite.settings import *\n',
    });
    assert.ok(codes(findings).includes('DDH107'));
    assert.ok(codes(findings).includes('DDH001'));
  });

  it('reports imports of missing workspace modules and carries on for third-party ones', () => {
    const { findings } = analyze(
      'import os\nimport requests\nfrom some_package.settings import BASE\nDEBUG = True\nfrom .missing import X\n',
    );
    assert.ok(codes(findings).includes('DDH107'));
    assert.ok(findings.some((f) => f.code === 'DDH002' && /missing/.test(f.message)));
  });

  it('stops an analysis at its time budget and reports it once', () => {
    // a loop the evaluator unrolls: 1,000 iterations × a big body, repeated
    const body = Array.from({ length: 400 }, (_, i) => `    V${i} = [x * 2 for x in range(900)]`).join('\n');
    const src = `DEBUG = True\nfor i in range(1000):\n${body}\n` + 'for j in range(1000):\n' + body.replace(/V/g, 'W') + '\n';
    const { findings } = analyze(src, {}, { budgetMs: 200 });
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
    const dir = tempDir('ddh-loop-');
    mkdirSync(path.join(dir, 'mysite/sub'), { recursive: true });
    writeFileSync(path.join(dir, 'manage.py'), SKELETON['manage.py']);
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(path.join(dir, 'mysite/settings.py'), 'DEBUG = True\n');
    symlinkSync(dir, path.join(dir, 'mysite/sub/loop'));
    symlinkSync(path.join(dir, 'mysite'), path.join(dir, 'mysite/sub/up'));
    for (let i = 0; i < 3000; i++) writeFileSync(path.join(dir, 'mysite/sub', `m${i}.py`), `X = ${i}\n`);
    const a = analyzeWorkspace(new Workspace(new NodeFileSystem(), [dir]));
    assert.equal(a.projects.length, 1);
    assert.ok(codes(a.projects[0]!.findings).includes('DDH107'));
  });

  it('reads a deployment file linked into another folder once, at its real place', () => {
    // `docker/example/docker-compose.yml -> ../../docker-compose.yml`: one file, one finding per line
    const dir = tempDir('ddh-linked-');
    mkdirSync(path.join(dir, 'mysite'), { recursive: true });
    mkdirSync(path.join(dir, 'docker/example'), { recursive: true });
    // a manage.py linked to the one inside the package still says where the project is
    writeFileSync(path.join(dir, 'mysite/manage.py'), SKELETON['manage.py']);
    symlinkSync('mysite/manage.py', path.join(dir, 'manage.py'));
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(path.join(dir, 'mysite/settings.py'), 'import os\nDEBUG = False\nSECRET_KEY = os.environ["SECRET_KEY"]\n');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      'services:\n  web:\n    build: .\n    command: gunicorn mysite.wsgi\n    environment:\n      SECRET_KEY: "k7#Qz!v2mN@4xLp9$Rt6wYb8&Hc3Jd5Fg1Ks0Ae"\n',
    );
    symlinkSync('../../docker-compose.yml', path.join(dir, 'docker/example/docker-compose.yml'));
    // a linked settings module keeps its own name (imports resolve by it)
    symlinkSync('settings.py', path.join(dir, 'mysite/settings_link.py'));
    const a = analyzeWorkspace(new Workspace(new NodeFileSystem(), [dir]));
    const secrets = a.projects[0]!.findings.filter((f) => f.code === 'DDG311').map((f) => path.relative(dir, f.loc.file));
    assert.deepEqual(secrets, ['docker-compose.yml']);
    assert.deepEqual(
      a.projects.map((p) => path.relative(dir, p.project.root)),
      [''],
    );
    const scanned = scanWorkspace(new NodeFileSystem(), dir).files.map((f) => path.relative(dir, f.path));
    assert.ok(scanned.includes('mysite/settings_link.py'), scanned.join(', '));
    assert.ok(!scanned.includes('docker/example/docker-compose.yml'), scanned.join(', '));
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
    const rel = (root: string): string[] =>
      byRoot
        .get(`/w/${root}`)!
        .files.map((f) => f.path.slice(3))
        .filter((f) => !f.startsWith(root + '/'))
        .sort();
    assert.deepEqual(
      rel('services/shop'),
      ['deploy/Dockerfile', 'services/Procfile'],
      'the Procfile of services/ belongs to the projects in it, the top-level Dockerfile to all',
    );
    assert.deepEqual(rel('services/blog'), ['deploy/Dockerfile', 'services/Procfile']);
    assert.deepEqual(rel('web/site'), ['deploy/Dockerfile'], "the Procfile of services/ is not the web project's");
    assert.deepEqual(rel('fixtures/p7'), ['deploy/Dockerfile'], "Python modules outside every project are nobody's deployment files");
  });

  it('keeps every finding range inside its document', () => {
    const { findings, ws } = analyze('DEBUG = True\nSECRET_KEY = "abc"\n\n\n');
    for (const f of findings) {
      const text = ws.document(f.loc.file)!.text;
      assert.ok(f.loc.start >= 0 && f.loc.end <= text.length && f.loc.start <= f.loc.end, `${f.code} ${JSON.stringify(f.loc)}`);
    }
  });

  it('parses pathological documents without throwing', () => {
    for (const src of [
      '',
      '\n\n',
      '\t\t\t',
      '\\',
      '"""',
      "'",
      '(((',
      ')))',
      'if x:\n',
      '\u0000',
      '\ud800',
      'é'.repeat(10000),
      'x = 1\r\r\r\n\n\r',
    ]) {
      const d = PythonDocument.parse(src, { incremental: true });
      d.applyEdit(0, 0, 'A = 1\n');
      d.applyEdit(d.text.length, d.text.length, '\nB = (');
      d.dispose();
    }
  });

  // ---- issue 17 -------------------------------------------------------------------------------

  it('caps the findings of one rule in one file and summarises the rest in one finding', () => {
    const { findings } = analyze(`ALLOWED_HOSTS = [${Array(3000).fill('"*"').join(', ')}]\n`);
    const hosts = findings.filter((f) => f.code === 'DDH202');
    assert.equal(hosts.length, MAX_FINDINGS_PER_RULE_AND_FILE + 1, `${hosts.length} DDH202 findings`);
    const summary = hosts.filter((f) => /2900 more DDH202 findings in settings\.py not shown/.test(f.message));
    assert.equal(
      summary.length,
      1,
      hosts
        .map((f) => f.message)
        .slice(-2)
        .join(' | '),
    );
    assert.equal(summary[0]!.severity, hosts[0]!.severity, 'the summary counts for --fail-on as the findings it stands for');
  });

  it("reads each line's # noqa once: thousands of findings on one long line are all suppressed", () => {
    // as many items as the evaluator follows in one list (past V.MAX_ITEMS the value is unknown)
    const n = Math.min(V.MAX_ITEMS, 20000);
    const line = `ALLOWED_HOSTS = [${Array(n).fill('"*"').join(', ')}]  # noqa: DDH202\n`;
    const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': line }, '/p');
    const a = analyzeWorkspace(new Workspace(fs, ['/p']), { budgetMs: 60_000 });
    const p = a.projects[0]!;
    assert.ok(!p.findings.some((f) => f.code === 'DDH202'));
    const hidden = p.suppressed.filter((f) => f.code === 'DDH202').length;
    assert.ok(hidden >= n, `${hidden} suppressed; findings: ${p.findings.map((f) => `${f.code} ${f.message}`).join(' | ')}`);
    // the cached lookup answers as the plain one does, on every kind of line ending
    const text = 'A = 1  # noqa: DDH101, ddh102\r\nB = 2\n# noqa:DDH103\rC = 3 # NOQA : DDH104 DDH105\n\nD';
    const lines = new NoqaLines(text);
    for (let i = 0; i <= text.length; i++) assert.deepEqual([...lines.codesAt(i)].sort(), [...noqaCodesAt(text, i)].sort(), `offset ${i}`);
  });

  it("answers `# noqa` from an open buffer's kept line starts as from its text, after edits that add and remove lines", () => {
    const doc = PythonDocument.parse('A = 1\nB = 2  # noqa: DDH101\nC = 3\n', { incremental: true });
    const edits: [number, number, string][] = [
      [0, 0, 'X = 0\n\n'],
      [6, 1, ''],
      [doc.text.length, 0, 'D = 4  # noqa: DDH102\nE = 5\n'],
    ];
    const finding = (code: string, at: number): Finding => ({ code, loc: { file: '/p/s.py', start: at, end: at + 1 } }) as Finding;
    for (const [start, del, ins] of edits) {
      doc.applyEdit(start, start + del, ins);
      const text = doc.text;
      const kept = new NoqaIndex(
        () => text,
        () => doc.lineStarts,
      );
      const plain = new NoqaIndex(() => text);
      for (let i = 0; i < text.length; i++)
        for (const code of ['DDH101', 'DDH102'])
          assert.equal(kept.suppresses(finding(code, i)), plain.suppresses(finding(code, i)), `${code} at ${i} of ${JSON.stringify(text)}`);
    }
    // a text with '\r' (which the kept starts break lines at, and `# noqa` does not) is indexed from its text
    const cr = 'A = 1\rB = 2  # noqa: DDH101\n';
    const crIndex = new NoqaIndex(
      () => cr,
      () => [0, 6, cr.length],
    );
    assert.equal(crIndex.suppresses(finding('DDH101', 0)), true, 'the line runs from A to the comment');
    // a file's index is kept for the next analysis while its text is the same, and only then
    const before = 'A = 1  # noqa: DDH101\nB = 2\n';
    const after = 'A = 1\nB = 2  # noqa: DDH101\n';
    assert.equal(new NoqaIndex(() => before).suppresses(finding('DDH101', 0)), true);
    assert.equal(new NoqaIndex(() => after).suppresses(finding('DDH101', 0)), false, 'the edited text is read');
    assert.equal(new NoqaIndex(() => after).suppresses(finding('DDH101', after.indexOf('B'))), true);
    doc.dispose();
  });

  it('reads Procfiles, Dockerfiles and unit files as text, never as Python', () => {
    // backslash continuations made tree-sitter's error recovery quadratic on a unit file
    const unit = '[Service]\nExecStart=/srv/venv/bin/gunicorn \\\n' + '  --workers 3 \\\n'.repeat(2000) + '  mysite.wsgi\n';
    const { findings, ws } = analyze('DEBUG = True\n', {
      Procfile: 'web: gunicorn mysite.wsgi \\\n  --log-file -\n',
      Dockerfile: 'FROM python:3.12\nCMD gunicorn \\\n  mysite.wsgi\n',
      'deploy/mysite.service': unit,
    });
    assert.ok(codes(findings).includes('DDH107'));
    for (const f of ['/p/Procfile', '/p/Dockerfile', '/p/deploy/mysite.service']) {
      assert.equal(ws.document(f), undefined, `${f} was parsed as Python`);
      assert.ok(ws.text(f)?.length, `${f} is read as text`);
    }
  });

  it('holds open editor buffers to the size limit', () => {
    const big = 'X = 1\n'.repeat(600_000); // 3.6 MB
    const overlay = new Map([
      ['/p/mysite/settings.py', `from .huge import *\nDEBUG = True\n`],
      ['/p/mysite/huge.py', big],
    ]);
    // on disk: small files; in the editor: the same settings, and a module grown past the limit
    const inner = new MemoryFileSystem(
      { ...SKELETON, 'mysite/settings.py': overlay.get('/p/mysite/settings.py')!, 'mysite/huge.py': 'X = 1\n' },
      '/p',
    );
    const fs = new OverlayFileSystem(inner, (p) => overlay.get(p));
    assert.equal(fs.readText('/p/mysite/huge.py'), undefined);
    const a = analyzeWorkspace(new Workspace(fs, ['/p']));
    const f = a.projects.flatMap((p) => p.findings);
    assert.ok(codes(f).includes('DDH107'));
    assert.ok(
      f.some((x) => x.code === 'DDH004' && /huge\.py was not analysed: larger than 2 MB/.test(x.message)),
      f.map((x) => x.message).join(' | '),
    );
  });

  it('gives tree-sitter a time limit and says which file it gave up on', () => {
    const doc = withParseDeadline(Date.now() - 1, () => PythonDocument.parse('DEBUG = True\n'.repeat(50_000)));
    assert.equal(doc.timedOut, true);
    assert.equal(doc.chunks.length, 0);
    // the parser is usable again afterwards (an abandoned parse must not be resumed)
    const again = PythonDocument.parse('DEBUG = True\n');
    assert.equal(again.timedOut, false);
    assert.equal(again.chunks.length, 1);
    assert.equal(again.chunks[0]!.node.end, 12);
    const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': 'DEBUG = True\n'.repeat(20_000) }, '/p'), ['/p']);
    assert.equal(
      withParseDeadline(Date.now() - 1, () => ws.document('/p/mysite/settings.py')),
      undefined,
    );
    assert.match(ws.skipped.get('/p/mysite/settings.py') ?? '', /parsing it did not finish/);
    assert.ok(ws.document('/p/mysite/settings.py'), 'a parse that ran out of time is not cached');
  });

  // (the timeout only keeps a regression from hanging the suite: the old engine never stopped this rule)
  it('stops a rule that loops at the deadline, through its context, and says so', { timeout: 120_000 }, () => {
    let loops = 0;
    const { findings } = withCheck(
      'DDH509',
      (ctx) => {
        // a rule that never reports: it only reads the settings, forever
        for (;;) {
          loops++;
          ctx.settings.get('MIDDLEWARE');
        }
      },
      // (a budget that leaves the rules before it time to run on a loaded machine: two CI runs side by side
      // once used up 100 ms before this rule started)
      () => analyze('DEBUG = True\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n', {}, { budgetMs: 400 }),
    );
    assert.ok(loops > 0, 'the looping rule ran before the deadline');
    const note = findings.filter((f) => f.code === 'DDH004' && /did not finish: the analysis budget ran out/.test(f.message));
    assert.equal(note.length, 1, findings.map((f) => `${f.code} ${f.message}`).join('\n'));
    assert.match(note[0]!.message, /DDH509/);
    assert.ok(codes(findings).includes('DDH107'), 'what ran before the deadline is reported');
    const outcome = withCheck(
      'DDH509',
      (ctx) => {
        for (;;) ctx.document(ctx.anchor.file);
      },
      () => {
        const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': 'DEBUG = True\n' }, '/p');
        return analyzeWorkspace(new Workspace(fs, ['/p']), { budgetMs: 100 }).projects[0]!.outcomes.get('DDH509');
      },
    );
    assert.deepEqual(outcome, { state: 'unknown', reason: 'the analysis budget ran out while this rule ran' });
  });

  it('finds projects and reads versions within the run deadline, and says what it left out', () => {
    const files: Record<string, string> = {};
    for (const name of ['one', 'two']) {
      files[`${name}/manage.py`] = `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}site.settings")\n`;
      files[`${name}/${name}site/__init__.py`] = '';
      files[`${name}/${name}site/settings.py`] = 'DEBUG = True\n';
      files[`${name}/requirements.txt`] = 'Django==4.2.11\n';
    }
    const fs = new MemoryFileSystem(files, '/w');
    const scan = new Workspace(fs, ['/w']).scan('/w');
    // in time: both projects, Django read from requirements.txt
    const inTime = discover(fs, scan, { runDeadline: Date.now() + 600_000 });
    assert.deepEqual(inTime.unfinished, []);
    assert.deepEqual(
      inTime.projects.map((p) => [p.root, p.djangoVersion.version, p.djangoVersion.assumed]),
      [
        ['/w/one', '4.2', false],
        ['/w/two', '4.2', false],
      ],
    );
    // past it: nothing is built, and the folders left out are named
    const late = discover(fs, scan, { runDeadline: Date.now() - 1 });
    assert.deepEqual(late.projects, []);
    assert.deepEqual(late.unfinished, ['/w/one', '/w/two']);
    // version detection past the deadline reads no dependency file, and its source says so
    const project = inTime.projects[0]!;
    const v = detectVersions(fs, project.files, project.root, undefined, [], Date.now() - 1);
    assert.equal(v.django.assumed, true);
    assert.match(v.django.source, /requirements\.txt: not read, the time budget ran out/);
  });

  it("keeps a finished discovery whatever the run's deadline, and looks again after one cut short", () => {
    const files: Record<string, string> = {};
    for (const name of ['one', 'two']) {
      files[`${name}/manage.py`] = `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}site.settings")\n`;
      files[`${name}/${name}site/__init__.py`] = '';
      files[`${name}/${name}site/settings.py`] = 'DEBUG = True\n';
    }
    // the language server gives each pass its own deadline: a finished discovery is reused
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w']);
    const first = ws.projects({ runDeadline: Date.now() + 600_000 });
    assert.equal(first.length, 2);
    assert.equal(ws.projects({ runDeadline: Date.now() + 700_000 }), first);
    // one cut short is not kept: the next pass in time finds both projects
    const cut = new Workspace(new MemoryFileSystem(files, '/w'), ['/w']);
    assert.deepEqual(cut.projects({ runDeadline: Date.now() - 1 }), []);
    assert.deepEqual(cut.unfinishedProjects, ['/w/one', '/w/two']);
    assert.deepEqual(
      cut.projects({ runDeadline: Date.now() + 600_000 }).map((p) => p.root),
      ['/w/one', '/w/two'],
    );
    assert.deepEqual(cut.unfinishedProjects, []);
  });

  it('isolates the projects of a monorepo: one that blows up does not hide the others', () => {
    const files: Record<string, string> = {};
    for (const name of ['good', 'bad']) {
      files[`${name}/manage.py`] = `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}site.settings")\n`;
      files[`${name}/${name}site/__init__.py`] = '';
      files[`${name}/${name}site/settings.py`] = 'DEBUG = True\nfrom .local import *\n';
      files[`${name}/${name}site/local.py`] = 'X = 1\n';
    }
    class Exploding extends MemoryFileSystem {
      override readText(p: string): string | undefined {
        // a module only the analysis reads (finding the projects reads the settings module's header)
        if (p === '/w/bad/badsite/local.py') throw new RangeError('Maximum call stack size exceeded');
        return super.readText(p);
      }
    }
    const a = analyzeWorkspace(new Workspace(new Exploding(files, '/w'), ['/w']));
    assert.deepEqual(
      a.projects.map((p) => p.project.root),
      ['/w/good'],
    );
    assert.ok(codes(a.projects[0]!.findings).includes('DDH107'));
    assert.deepEqual(
      a.failed?.map((p) => p.root),
      ['/w/bad'],
    );
    assert.ok(
      a.messages.some((m) => m.includes('/w/bad') && /Maximum call stack/.test(m)),
      a.messages.join('\n'),
    );
    // a run past its deadline names the projects it left out (here, before they were even built)
    const late = analyzeWorkspace(new Workspace(new MemoryFileSystem(files, '/w'), ['/w']), { runDeadline: Date.now() - 1 });
    assert.equal(late.projects.length, 0);
    assert.ok(
      late.messages.some((m) => /time budget ran out while finding the projects: 2 folders .* not read \(\/w\/bad, \/w\/good\)/.test(m)),
      late.messages.join('\n'),
    );
  });

  /** A project on disk: manage.py, mysite/__init__.py and the given files, under `dir`. */
  function onDisk(dir: string, files: Record<string, string | Buffer>): string {
    const all: Record<string, string | Buffer> = { ...SKELETON, ...files };
    for (const [f, t] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), t);
    }
    return dir;
  }
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const SECRET = 'SECRET_KEY = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijkl"\n';

  it('reads nothing outside the analysed folder: include() of a path above it or an absolute one, a symlinked settings module', () => {
    const top = tempDir('ddh-out-');
    const outside = onDisk(path.join(top, 'elsewhere'), {
      'abs.py': 'DEBUG = True\n' + SECRET,
      'rel.py': 'DEBUG = True\n' + SECRET,
      'real.py': 'DEBUG = True\n' + SECRET,
    });
    const proj = onDisk(path.join(top, 'a', 'proj'), {
      'mysite/settings.py': `from split_settings.tools import include\ninclude("../../../elsewhere/rel.py")\ninclude(${JSON.stringify(path.join(outside, 'abs.py'))})\ninclude("/etc/passwd", optional=True)\nfrom .linked import *\n`,
    });
    symlinkSync(path.join(outside, 'real.py'), path.join(proj, 'mysite/linked.py'));
    const before = ['abs.py', 'rel.py', 'real.py'].map((f) => readFileSync(path.join(outside, f), 'utf8'));
    const ws = new Workspace(new NodeFileSystem(), [proj]);
    const f = analyzeWorkspace(ws).projects.flatMap((p) => p.findings);
    assert.ok(!f.some((x) => x.loc.file.startsWith(outside)), f.map((x) => `${x.code} ${x.loc.file}`).join('\n'));
    assert.ok(!codes(f).includes('DDH107'), 'DEBUG = True outside the folder was read');
    assert.equal(ws.text(path.join(outside, 'abs.py')), undefined);
    assert.equal(ws.text('/etc/passwd'), undefined);
    const r = cli(proj, '--fix', '--unsafe-fixes');
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.deepEqual(
      ['abs.py', 'rel.py', 'real.py'].map((f) => readFileSync(path.join(outside, f), 'utf8')),
      before,
      '--fix wrote outside the folder',
    );
  });

  it('--fix never writes through a symlink: a symlinked settings.py, a dangling .env.example', () => {
    const top = tempDir('ddh-link-');
    mkdirSync(path.join(top, 'elsewhere'));
    const target = path.join(top, 'elsewhere', 'settings.py');
    writeFileSync(target, 'DEBUG = False\n' + SECRET + 'ALLOWED_HOSTS = ["example.com"]\n');
    const proj = onDisk(path.join(top, 'proj'), {});
    symlinkSync(target, path.join(proj, 'mysite/settings.py'));
    // a project whose own settings are fine to fix, beside a dangling .env.example link
    const proj2 = onDisk(path.join(top, 'proj2'), {
      'mysite/settings.py': 'DEBUG = False\n' + SECRET + 'ALLOWED_HOSTS = ["example.com"]\n',
    });
    const created = path.join(top, 'elsewhere', 'created-by-fix');
    symlinkSync(created, path.join(proj2, '.env.example'));
    const before = readFileSync(target, 'utf8');
    cli(proj, '--fix', '--unsafe-fixes');
    assert.equal(readFileSync(target, 'utf8'), before, 'the symlinked settings module was rewritten');
    const r = cli(proj2, '--fix', '--unsafe-fixes');
    assert.equal(existsSync(created), false, '--fix created a file through a dangling symlink');
    assert.ok(lstatSync(path.join(proj2, '.env.example')).isSymbolicLink());
    assert.match(r.stderr, /no fix in \.env\.example: it is a symbolic link/);
  });

  it('does not walk symlinked folders that leave the workspace', () => {
    const top = tempDir('ddh-rootlink-');
    onDisk(path.join(top, 'outside'), { 'mysite/settings.py': 'DEBUG = True\n' });
    const proj = onDisk(path.join(top, 'proj'), { 'mysite/settings.py': 'DEBUG = False\n' });
    symlinkSync(path.join(top, 'outside'), path.join(proj, 'rootlink'));
    symlinkSync('/', path.join(proj, 'machine'));
    const ws = new Workspace(new NodeFileSystem(), [proj]);
    assert.deepEqual(
      ws.projects().map((p) => p.root),
      [proj],
    );
    assert.ok(
      ![...ws.scan(proj).directories].some((d) => d.startsWith(path.join(proj, 'rootlink')) || d.startsWith(path.join(proj, 'machine'))),
    );
  });

  it('--fix leaves a file that is not valid UTF-8 alone and says why; keeps a UTF-8 BOM', () => {
    const latin = onDisk(tempDir('ddh-latin-'), {
      'mysite/settings.py': Buffer.concat([
        Buffer.from('# Caf'),
        Buffer.from([0xe9]),
        Buffer.from('\nDEBUG = False\n' + SECRET + 'ALLOWED_HOSTS = ["example.com"]\n'),
      ]),
    });
    const bytes = readFileSync(path.join(latin, 'mysite/settings.py'));
    const r = cli(latin, '--fix', '--unsafe-fixes');
    assert.deepEqual(readFileSync(path.join(latin, 'mysite/settings.py')), bytes, 'the Latin-1 file was rewritten');
    assert.match(r.stderr, /no fix in mysite\/settings\.py: it is not valid UTF-8/);
    const bom = onDisk(tempDir('ddh-bom-'), {
      'mysite/settings.py': '\ufeffDEBUG = False\n' + SECRET + 'ALLOWED_HOSTS = ["example.com"]\n',
    });
    cli(bom, '--fix', '--unsafe-fixes');
    const after = readFileSync(path.join(bom, 'mysite/settings.py'));
    assert.deepEqual([...after.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM was dropped');
    assert.match(after.toString('utf8'), /os\.environ/, 'the fix was applied');
    assert.doesNotMatch(after.toString('utf8').slice(1), /\ufeff/, 'one BOM, not two');
  });

  it('escapes control characters in paths and messages in every output format', () => {
    const top = tempDir('ddh-ctl-');
    const evil = 'x\n::error file=forged.py,line=1::forged\u001b[31m';
    onDisk(path.join(top, evil), { 'mysite/settings.py': 'DEBUG = True\n' });
    const text = cli(top);
    assert.equal(text.status, 1, text.stderr);
    assert.ok(!text.stdout.split('\n').some((l) => l.startsWith('::')), text.stdout);
    assert.ok(!text.stdout.includes('\u001b'));
    assert.match(text.stdout, /x\\n::error file=forged\.py/);
    const sarif = JSON.parse(cli(top, '--format', 'sarif').stdout);
    for (const res of sarif.runs[0].results) assert.doesNotMatch(res.locations[0].physicalLocation.artifactLocation.uri, /[\u0000-\u001f]/);
    for (const format of ['text', 'markdown']) {
      const c = cli('checklist', top, '--format', format);
      assert.ok(!c.stdout.split('\n').some((l) => l.startsWith('::')), c.stdout);
      assert.ok(!c.stdout.includes('\u001b'));
    }
    assert.equal(escapeControl('a\nb\u202ec\td'), 'a\\nb\\u202ec\\td');
  });

  it('quotes the CLI path in the pre-commit hook so that sh expands nothing in it; tells a hooks folder outside the workspace', () => {
    const dir = tempDir('ddh-hook-');
    const marker = path.join(dir, 'pwned');
    const evil = path.join(dir, `ext $(touch ${marker}) \`touch ${marker}\` it's "q" \\n $HOME`, 'dist', 'cli.js');
    // the hook's assignment, then print what sh made of it
    const assignment = hookScript(evil)
      .split('\n')
      .find((l) => l.startsWith('CLI='))!;
    assert.equal(assignment, `CLI=${shQuote(evil)}`);
    const r = spawnSync('sh', ['-c', `${assignment}\nprintf %s "$CLI"`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, evil);
    assert.equal(existsSync(marker), false, 'a command in the path ran');
    // where the hook goes
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, '.git', 'hooks'), { recursive: true });
    mkdirSync(path.join(dir, 'elsewhere'));
    symlinkSync(path.join(dir, 'elsewhere'), path.join(repo, 'linked-hooks'));
    assert.equal(outsideWorkspace(path.join(repo, '.git', 'hooks'), [repo]), false);
    assert.equal(outsideWorkspace(path.join(repo, '.githooks'), [repo]), false, 'a folder that does not exist yet, inside');
    assert.equal(outsideWorkspace(path.join(dir, 'elsewhere', 'hooks'), [repo]), true);
    assert.equal(outsideWorkspace(path.join(repo, 'linked-hooks'), [repo]), true, 'a symlink out of the workspace');
    assert.equal(outsideWorkspace('/usr/share/git-core/templates/hooks', [repo]), true);
  });
});
