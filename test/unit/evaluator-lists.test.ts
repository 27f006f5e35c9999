// Lists and tuples with unknown parts keep what is certain (issue 14 item 4): an addition under an
// undecidable condition, an append in a loop over unknown data, a spread or a concatenation of
// something unreadable. The items written stay present; a rule that needs an item's absence still
// decides when every possible addition is known and is not it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { listHolds } from '../../server/src/analysis/models/settings/query';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import type { Value } from '../../server/src/analysis/eval/values';
import { evaluateSettings, ROOT, SKELETON } from './evalHarness';

before(async () => {
  await loadParser();
});

const holds = (v: Value | undefined, s: string): boolean | undefined => listHolds(v!, (i) => (i.kind === 'str' ? i.v === s : undefined));

describe('lists with unknown parts', () => {
  it('an addition under an undecidable condition: the written items are certain, the addition known for what it is', () => {
    const e = evaluateSettings(
      [
        'whitenoise = __import__("importlib").util.find_spec("whitenoise")',
        'MIDDLEWARE = (',
        '    "django.middleware.common.CommonMiddleware",',
        '    "django.contrib.sessions.middleware.SessionMiddleware",',
        ')',
        'if whitenoise:',
        '    MIDDLEWARE += ("whitenoise.middleware.WhiteNoiseMiddleware",)',
      ].join('\n'),
    );
    const mw = e.value('MIDDLEWARE');
    assert.equal(holds(mw, 'django.contrib.sessions.middleware.SessionMiddleware'), true);
    assert.equal(holds(mw, 'django.middleware.security.SecurityMiddleware'), false, 'absent on both paths');
    assert.equal(holds(mw, 'whitenoise.middleware.WhiteNoiseMiddleware'), undefined, 'present on one path only');
  });

  it('an append in a loop over unknown data: the items written stay, the additions are unreadable', () => {
    const e = evaluateSettings(
      [
        'import os',
        'APPS = ["django.contrib.sessions", "django.contrib.auth"]',
        'for d in os.listdir("/plugins"):',
        '    if d != "__pycache__":',
        '        APPS.append("plugins." + d)',
        'LOOPED_CONSTANT = ["a"]',
        'for d in os.listdir("/x"):',
        '    LOOPED_CONSTANT.append("b")',
        'EXTRA = os.getenv("EXTRA_APPS")',
        'APPS = APPS + ([] if EXTRA is None else EXTRA.split(","))',
      ].join('\n'),
    );
    const apps = e.value('APPS');
    assert.equal(holds(apps, 'django.contrib.sessions'), true);
    assert.equal(holds(apps, 'django.contrib.admin'), undefined, 'a plugin could be anything');
    assert.equal((apps as { optional?: boolean }).optional, true);
    // a later run of a loop body may add other values than the first: never "known"
    assert.equal(holds(e.value('LOOPED_CONSTANT'), 'c'), undefined);
    assert.equal(holds(e.value('LOOPED_CONSTANT'), 'a'), true);
  });

  it('a spread or a concatenation of something unreadable keeps the written items in order', () => {
    const e = evaluateSettings(
      [
        'from somewhere import EXTRA',
        'import os',
        'BASE = ["django.contrib.sessions"]',
        'SPREAD = [*EXTRA, *BASE, "last"]',
        'PLUS = BASE + EXTRA',
        'PREFIX = EXTRA + BASE',
        'TUPLE = ("a",) + tuple(EXTRA)',
        'ENV = ["x"] + os.environ["MORE"].split(",")',
        'AUG = ["y"]',
        'AUG_ALIAS = AUG',
        'AUG += EXTRA',
        'NOT_A_LIST = "s" + EXTRA',
      ].join('\n'),
    );
    assert.deepEqual(e.get('SPREAD'), ['<unknown>', 'django.contrib.sessions', 'last']);
    assert.deepEqual(e.get('PLUS'), ['django.contrib.sessions', '<unknown>']);
    assert.deepEqual(e.get('PREFIX'), ['<unknown>', 'django.contrib.sessions']);
    assert.deepEqual(e.get('TUPLE'), ['a', '<unknown>']);
    assert.deepEqual(e.get('ENV'), ['x', '<env:MORE>'], 'what the deployment supplies stays supplied');
    assert.deepEqual(e.get('AUG'), ['y', '<unknown>']);
    // `+=` extends the list in place, as Python does: a name bound to it before sees the items too
    assert.equal(e.value('AUG_ALIAS'), e.value('AUG'));
    for (const n of ['SPREAD', 'PLUS', 'PREFIX', 'TUPLE', 'ENV', 'AUG']) {
      assert.equal((e.value(n) as { optional?: boolean }).optional, true, n);
      assert.equal(holds(e.value(n), 'django.contrib.admin'), undefined, n);
    }
    assert.equal(holds(e.value('SPREAD'), 'django.contrib.sessions'), true);
    assert.equal(e.get('NOT_A_LIST'), '<unknown>');
  });
});

describe('rules read the certain items', () => {
  const run = (settings: string): string[] => {
    const fs = new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': settings }, ROOT);
    const r = analyzeWorkspace(new Workspace(fs, [ROOT]));
    return r.projects.flatMap((p) => p.findings.map((f) => `${f.code} ${f.django ?? ''}`.trim()));
  };
  const base = [
    'import os',
    'DEBUG = False',
    'SECRET_KEY = os.environ["SECRET_KEY"]',
    'ALLOWED_HOSTS = ["example.com"]',
    'whitenoise = os.environ.get("WHITENOISE")',
  ];

  it('MIDDLEWARE lacking Security, Csrf and XFrame on both paths: security.W001, W002, W003', () => {
    const found = run(
      [
        ...base,
        'MIDDLEWARE = (',
        '    "django.middleware.common.CommonMiddleware",',
        '    "django.contrib.sessions.middleware.SessionMiddleware",',
        ')',
        'if whitenoise == os.environ["EXPECTED"]:',
        '    MIDDLEWARE += ("whitenoise.middleware.WhiteNoiseMiddleware",)',
      ].join('\n'),
    );
    for (const code of ['DDH401 security.W001', 'DDH402 security.W002', 'DDH403 security.W003'])
      assert.ok(found.includes(code), `${code}: ${found.join(', ')}`);
  });

  it('one path adds the middleware: not reported', () => {
    const found = run(
      [
        ...base,
        'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]',
        'if whitenoise == os.environ["EXPECTED"]:',
        '    MIDDLEWARE += ["django.middleware.security.SecurityMiddleware"]',
      ].join('\n'),
    );
    assert.ok(!found.some((f) => f.startsWith('DDH401')), found.join(', '));
  });

  it('the sessions app written in INSTALLED_APPS still counts for the session cookie check after a loop over unknown data', () => {
    const found = run(
      [
        ...base,
        'INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth"]',
        'for d in os.listdir("/plugins"):',
        '    INSTALLED_APPS.append("plugins." + d)',
        'INSTALLED_APPS = INSTALLED_APPS + os.getenv("MORE", "").split(",")',
      ].join('\n'),
    );
    // security.W010 (the app; W012 with SessionMiddleware too)
    assert.ok(found.includes('DDH306 security.W010'), found.join(', '));
  });
  it('a filter that drops a placeholder a condition picks keeps "this item or nothing"', () => {
    const e = evaluateSettings(
      [
        'import os',
        'TOOLBAR = os.environ["TOOLBAR"] == "1"',
        'def without_placeholders(items):',
        '    return [i for i in items if i is not ...]',
        'MIDDLEWARE = without_placeholders([',
        '    "debug_toolbar.middleware.DebugToolbarMiddleware" if TOOLBAR else ...,',
        '    "django.middleware.security.SecurityMiddleware",',
        '])',
        'BY_NONE = [m for m in ["x.A" if TOOLBAR else None, "x.B"] if m]',
        'BOTH_KEPT = [m for m in ["x.A" if TOOLBAR else "x.C"] if m]',
        'UNDECIDED = [m for m in ["x.A" if TOOLBAR else "x.C"] if m == os.environ["M"]]',
        'PICKED = ["x.A" if TOOLBAR else "x.C"]',
      ].join('\n'),
    );
    const mw = e.value('MIDDLEWARE');
    assert.equal(holds(mw, 'django.middleware.security.SecurityMiddleware'), true);
    assert.equal(holds(mw, 'debug_toolbar.middleware.DebugToolbarMiddleware'), undefined, 'present only when TOOLBAR');
    assert.equal(holds(mw, 'django.middleware.csrf.CsrfViewMiddleware'), false, 'neither written nor possible');
    assert.equal(holds(e.value('BY_NONE'), 'x.B'), true);
    assert.equal(holds(e.value('BY_NONE'), 'x.Z'), false);
    assert.equal(holds(e.value('BY_NONE'), 'x.A'), undefined);
    // every alternative passes: the item is there, one of two
    assert.equal(holds(e.value('BOTH_KEPT'), 'x.Z'), undefined);
    assert.equal(e.value('BOTH_KEPT')?.kind, 'list');
    assert.equal(e.value('UNDECIDED')?.kind, 'unknown', 'a filter no alternative decides leaves the list unknown');
    assert.equal(holds(e.value('PICKED'), 'x.Z'), undefined);
  });
});
