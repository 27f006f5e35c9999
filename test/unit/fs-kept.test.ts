// The real file system keeps the texts it read while a stat of each file is the same (the language
// server reads the same closed modules and deployment files after every keystroke): what changed on
// disk must be read again, with or without a file watcher's word (editors other than VS Code
// register none), and an analysis must then equal a fresh one.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeWorkspace, type AnalysisOptions } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { NodeFileSystem, OverlayFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

// a whole second: a time in milliseconds set with utimes can come back as x.999 from stat
const OLD = new Date(Math.floor((Date.now() - 60_000) / 1000) * 1000);
/** The racy window the tests give the file system: a file is kept once its change time is this old. */
const RACY = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes a file with its modification time a minute back (what a copy keeping times does) and
 * waits past the racy window, so that the file's text is kept when read and a second write has
 * another change time (its granularity is a few milliseconds).
 */
async function writeOld(file: string, text: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, OLD, OLD);
  await sleep(RACY + 15);
}

describe('NodeFileSystem keeps what it read', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ddh-kept-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file once while it is unchanged, and again when its stat changes', async () => {
    const fs = new NodeFileSystem(RACY);
    const f = path.join(dir, 'a.py');
    await writeOld(f, 'DEBUG = False\n');
    assert.equal(fs.readText(f), 'DEBUG = False\n');
    assert.equal(fs.readText(f), 'DEBUG = False\n');
    assert.equal(fs.diskReads, 1, 'kept');
    // same size, the modification time set back: only the change time differs
    await writeOld(f, 'DEBUG = True \n');
    assert.equal(statSync(f).size, 14);
    assert.equal(statSync(f).mtimeMs, OLD.getTime());
    assert.equal(fs.readText(f), 'DEBUG = True \n');
    assert.equal(fs.readText(f), 'DEBUG = True \n');
    assert.equal(fs.diskReads, 2);
    // deleted, then created again
    rmSync(f);
    assert.equal(fs.readText(f), undefined);
    await writeOld(f, 'X = 1\n');
    assert.equal(fs.readText(f), 'X = 1\n');
    // a file just written is read again until it is older than the racy window (a minute here,
    // so that a stalled machine cannot age it between the two reads)
    const racy = new NodeFileSystem(60_000);
    writeFileSync(f, 'X = 2\n');
    assert.equal(racy.readText(f), 'X = 2\n');
    assert.equal(racy.readText(f), 'X = 2\n');
    assert.equal(racy.diskReads, 2, 'not kept while racy');
  });

  it('with a stat window, answers from a stat younger than it: a change on disk is seen once it passed or the file is forgotten', async () => {
    const f = path.join(dir, 'w.py');
    const g = path.join(dir, 'w2.py');
    await writeOld(f, 'A = 1\n');
    // a minute: a stalled machine cannot end it between two reads
    const fs = new NodeFileSystem(RACY, 60_000);
    assert.equal(fs.readText(f), 'A = 1\n');
    assert.equal(fs.exists(g), false);
    await writeOld(f, 'A = 22\n');
    await writeOld(g, 'B = 1\n');
    assert.equal(fs.readText(f), 'A = 1\n', 'the stat taken within the window');
    assert.equal(fs.exists(g), false, 'a missing file as well');
    assert.equal(fs.readText(g), undefined);
    fs.forget(f);
    assert.equal(fs.readText(f), 'A = 22\n', 'forgotten: asked again');
    assert.equal(fs.readText(g), undefined, 'the other file still within its window');
    fs.forget();
    assert.equal(fs.readText(g), 'B = 1\n', 'everything forgotten');
    assert.equal(fs.size(g), 6);
    assert.equal(fs.isDirectory(dir), true);
    // a window of a millisecond has passed by the next read
    const short = new NodeFileSystem(RACY, 1);
    assert.equal(short.readText(f), 'A = 22\n');
    await writeOld(f, 'A = 333\n');
    assert.equal(short.readText(f), 'A = 333\n', 'the window passed');
    rmSync(g);
    assert.equal(short.exists(g), false);
    // without a window (the CLI, tests), every read asks
    const every = new NodeFileSystem(RACY);
    assert.equal(every.readText(f), 'A = 333\n');
    await writeOld(f, 'A = 4444\n');
    assert.equal(every.readText(f), 'A = 4444\n');
  });

  it('forgets a file when told, directly or through an overlay', async () => {
    const fs = new NodeFileSystem(RACY);
    const f = path.join(dir, 'c.py');
    await writeOld(f, 'A = 1\n');
    assert.equal(fs.readText(f), 'A = 1\n');
    const overlay = new OverlayFileSystem(fs, () => undefined);
    overlay.forget(f);
    assert.equal(overlay.readText(f), 'A = 1\n');
    overlay.forget();
    assert.equal(overlay.readText(f), 'A = 1\n');
    assert.equal(overlay.readText(f), 'A = 1\n');
    assert.equal(fs.diskReads, 3);
  });

  it('an analysis after a closed module changed on disk, with and without the watcher, equals a fresh one', async () => {
    await loadParser();
    const root = path.join(dir, 'proj');
    await writeOld(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n');
    await writeOld(path.join(root, 'mysite/__init__.py'), '');
    await writeOld(path.join(root, 'mysite/base.py'), 'DEBUG = False\nSECRET_KEY = "k"\n');
    await writeOld(path.join(root, 'mysite/settings.py'), 'from .base import *\nALLOWED_HOSTS = ["example.com"]\n');
    await writeOld(path.join(root, 'Procfile'), 'web: gunicorn mysite.wsgi\n');
    const options: AnalysisOptions = { productionSettingsModule: 'mysite.settings', fixes: false, reuseModules: true };
    const view = (ws: Workspace) =>
      analyzeWorkspace(ws, options).projects.map((p) => ({
        findings: p.findings.map((f) => [f.code, f.message, f.loc]),
        outcomes: [...p.outcomes],
        notes: p.notes,
      }));
    const fs = new NodeFileSystem(RACY);
    const ws = new Workspace(fs, [root]);
    const before = view(ws);
    const reads = fs.diskReads;
    assert.deepEqual(view(ws), before);
    assert.equal(fs.diskReads, reads, 'nothing read again');
    // the same size and modification time: only the change time tells
    const edits: [string, string][] = [
      ['mysite/base.py', 'DEBUG = True \nSECRET_KEY = "k"\n'],
      ['Procfile', 'web: gunicorn mysite.wsgx\n'],
      ['mysite/base.py', 'DEBUG = False\nSECRET_KEY = "k"\n'],
    ];
    for (const watcher of [false, true]) {
      for (const [file, text] of edits) {
        await writeOld(path.join(root, file), text);
        if (watcher) ws.invalidate(path.join(root, file));
        const got = view(ws);
        assert.deepEqual(got, view(new Workspace(new NodeFileSystem(), [root])), `${file} (watcher: ${watcher})`);
      }
    }
    await writeOld(path.join(root, 'mysite/base.py'), 'DEBUG = True \nSECRET_KEY = "k"\n');
    assert.notDeepEqual(view(ws), before, 'DEBUG = True is reported');
  });
});
