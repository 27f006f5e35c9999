// The CLI's hard deadline for one project (cli/bounded.ts): V8's execution timeout interrupts what
// never returns (a loop, a regular expression backtracking for ever), the project is reported as
// stopped with the phase and file it was in (analysis/base/progress.ts), and the other projects of
// the run are analysed as usual.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { bounded } from '../../server/src/cli/bounded';
import { AnalysisStopped, currentWhereabouts, enterPhase, enterProject, inPhase } from '../../server/src/analysis/base/progress';
import { analyzeProject, analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

/** A pattern that backtracks exponentially on the input below (never used by the product). */
const CATASTROPHIC = /^(a|a)+$/;

describe('bounded: the hard deadline of one analysis', () => {
  before(() => loadParser());

  it('returns what the function returns, and lets its errors through', () => {
    assert.equal(
      bounded(1000, () => 42),
      42,
    );
    assert.throws(
      () =>
        bounded(1000, () => {
          throw new RangeError('own');
        }),
      /own/,
    );
  });

  it('stops a regular expression that backtracks for ever, saying where it was', () => {
    enterPhase('running rule TEST (catastrophic)', '/p/mysite/settings.py');
    let error: unknown;
    try {
      bounded(200, () => CATASTROPHIC.test(`${'a'.repeat(60)}!`));
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof AnalysisStopped, String(error));
    assert.equal(error.where.phase, 'running rule TEST (catastrophic)');
    assert.equal(error.where.file, '/p/mysite/settings.py');
    assert.match(error.message, /^stopped after 0\.\d s while running rule TEST \(catastrophic\) in \/p\/mysite\/settings\.py$/);
  });

  it('nests: an inner deadline stops its own work, the outer one goes on', () => {
    const out = bounded(5000, () => {
      try {
        bounded(100, () => {
          for (;;);
        });
      } catch (e) {
        return e instanceof AnalysisStopped ? 'inner stopped' : 'other';
      }
      return 'not stopped';
    });
    assert.equal(out, 'inner stopped');
  });

  it('inPhase returns to the phase it was called in', () => {
    enterPhase('outer', '/a');
    inPhase('inner', '/b', () =>
      assert.deepEqual({ ...currentWhereabouts(), root: undefined }, { phase: 'inner', file: '/b', root: undefined }),
    );
    assert.equal(currentWhereabouts().phase, 'outer');
    assert.equal(currentWhereabouts().file, '/a');
  });

  it('in a run, the stuck project is reported as stopped where it was, and the others are analysed', () => {
    const files: Record<string, string> = {};
    for (const name of ['one', 'two']) {
      files[`${name}/manage.py`] = `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${name}site.settings")\n`;
      files[`${name}/${name}site/__init__.py`] = '';
      files[`${name}/${name}site/settings.py`] = 'DEBUG = True\nALLOWED_HOSTS = []\n';
    }
    const ws = new Workspace(new MemoryFileSystem(files, '/p'), ['/p']);
    // project one has 300 ms and never returns; project two has all the time a loaded machine needs
    // for a first analysis in the process (300 ms was too tight for it under CI's load)
    const run = analyzeWorkspace(ws, {}, (w, p, o) =>
      bounded(p.root.endsWith('one') ? 300 : 30_000, () => {
        if (!p.root.endsWith('one')) return analyzeProject(w, p, o);
        // project one never returns, as a hostile string once made a rule's pattern do
        enterProject(p.root);
        enterPhase('evaluating the settings', '/p/one/onesite/settings.py');
        for (;;);
      }),
    );
    assert.deepEqual(
      run.failed?.map((p) => p.root),
      ['/p/one'],
    );
    assert.ok(
      run.messages.some((m) =>
        /^\/p\/one: the analysis was stopped after 0\.\d s while evaluating the settings in \/p\/one\/onesite\/settings\.py; its findings are missing$/.test(
          m,
        ),
      ),
      run.messages.join('\n'),
    );
    const two = run.projects.find((a) => a.project.root === '/p/two');
    assert.ok(two?.findings.some((f) => f.code === 'DDH107'));
  });
});
