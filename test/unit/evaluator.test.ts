// The static evaluator on the constructs settings modules use (issue 3, parts 2 and 5): each test
// evaluates a small project in memory and checks the production values, their origin and the line
// where each was written.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Evaluator, unescapePython } from '../../server/src/analysis/eval/evaluator';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { evaluateFiles, evaluateSettings, js, SKELETON } from './evalHarness';

const S = 'mysite/settings.py';

before(async () => {
  await loadParser();
});

describe('evaluator: assignments and containers', () => {
  it('assigns plain, chained and annotated names, and unpacks tuples (also starred targets)', () => {
    const e = evaluateSettings(
      [
        'A = 1',
        'B = C = "same"',
        'D, E = 2, "two"',
        '(F, G) = [3, 4]',
        '[H, *REST, LAST] = (1, 2, 3, 4)',
        'X: int = 5',
        'ANN: str',
        'I, J = K = ("i", "j")',
        'BAD1, BAD2 = (1, 2, 3)',
      ].join('\n'),
    );
    assert.equal(e.get('A'), 1);
    assert.equal(e.origin('A'), 'literal');
    assert.equal(e.at('A'), `${S}:1`);
    assert.equal(e.get('B'), 'same');
    assert.equal(e.get('C'), 'same');
    assert.equal(e.boundAt('C'), `${S}:2`);
    assert.deepEqual([e.get('D'), e.get('E'), e.get('F'), e.get('G')], [2, 'two', 3, 4]);
    assert.equal(e.at('E'), `${S}:3`);
    assert.deepEqual([e.get('H'), e.get('REST'), e.get('LAST')], [1, [2, 3], 4]);
    assert.equal(e.get('X'), 5);
    assert.equal(e.value('ANN'), undefined, 'an annotation alone binds nothing');
    assert.deepEqual([e.get('I'), e.get('J'), e.get('K')], ['i', 'j', ['i', 'j']]);
    assert.equal(e.get('BAD1'), '<unknown>', 'unpacking a wrong number of values is not guessed');
  });

  it('applies augmented assignments to numbers, strings, lists (in place, aliases see it) and dicts', () => {
    const e = evaluateSettings(
      [
        'N = 1',
        'N += 2',
        'N *= 10',
        'N -= 5',
        'P = "a"',
        'P += "b"',
        'L = ["x"]',
        'ALIAS = L',
        'L += ["y"]',
        'L += ("z",)',
        'T = (1,)',
        'T += (2,)',
        'D = {"a": 1}',
        'D |= {"b": 2}',
        'F = 1.5',
        'F //= 1',
      ].join('\n'),
    );
    assert.equal(e.get('N'), 25);
    assert.equal(e.origin('N'), 'derived');
    assert.equal(e.get('P'), 'ab');
    assert.deepEqual(e.get('L'), ['x', 'y', 'z']);
    assert.deepEqual(e.get('ALIAS'), ['x', 'y', 'z'], '+= on a list extends it in place');
    assert.equal(e.line(S, '["y"]'), e.where((e.value('L') as { items: { loc?: never }[] }).items[1]!.loc));
    assert.deepEqual(e.get('T'), [1, 2]);
    assert.equal(e.value('T')!.kind, 'tuple');
    assert.deepEqual(e.get('D'), { a: 1, b: 2 });
    assert.equal(e.get('F'), 1);
  });

  it('builds list, tuple, dict and set literals, concatenations, repetitions and unpacking in literals', () => {
    const e = evaluateSettings(
      [
        'BASE = ["a", "b"]',
        'L = BASE + ["c"]',
        'T = ("x",) + ("y",)',
        'SPREAD = [*BASE, "d", *("e",)]',
        'D = {"k": 1, **{"m": 2}, "k": 3}',
        'S = {1, 2, 2, 3}',
        'S2 = {1} | {4}',
        'S3 = {1, 2} - {2}',
        'REP = ["-"] * 3',
        'EMPTY = ()',
        'NESTED = {"default": {"ENGINE": "x", "OPTIONS": {"sslmode": "require"}}}',
        'KEYS = {("a", 1): "tuple key", 2: "int key", None: "none key", True: "bool key"}',
      ].join('\n'),
    );
    assert.deepEqual(e.get('L'), ['a', 'b', 'c']);
    assert.equal(e.origin('L'), 'derived');
    assert.equal(e.origin('BASE'), 'literal');
    assert.deepEqual(e.get('T'), ['x', 'y']);
    assert.deepEqual(e.get('SPREAD'), ['a', 'b', 'd', 'e']);
    assert.deepEqual(e.get('D'), { k: 3, m: 2 });
    assert.deepEqual(e.get('S'), [1, 2, 3]);
    assert.deepEqual(e.get('S2'), [1, 4]);
    assert.deepEqual(e.get('S3'), [1]);
    assert.deepEqual(e.get('REP'), ['-', '-', '-']);
    assert.deepEqual(e.get('EMPTY'), []);
    assert.deepEqual(e.get('NESTED'), { default: { ENGINE: 'x', OPTIONS: { sslmode: 'require' } } });
    assert.equal(e.origin('NESTED'), 'literal');
    assert.equal(Object.keys(e.get('KEYS') as object).length, 4, 'tuple, int, None and bool keys are distinct keys');
    // items keep where they were written: "c" is on line 2 even inside the concatenation
    const items = (e.value('L') as { items: { loc?: never }[] }).items;
    assert.equal(e.where(items[0]!.loc), `${S}:1`);
    assert.equal(e.where(items[2]!.loc), `${S}:2`);
  });

  it('evaluates comprehensions over known values, with filters, nested loops and unpacking', () => {
    const e = evaluateSettings(
      [
        'import os',
        'HOSTS = ["a.com", "b.com", ""]',
        'CLEAN = [h.upper() for h in HOSTS if h]',
        'PAIRS = {k: v for k, v in [("a", 1), ("b", 2)]}',
        'CROSS = [x + y for x in "ab" for y in "12"]',
        'SETC = {len(h) for h in HOSTS}',
        'GEN = tuple(h for h in HOSTS if h.endswith(".com"))',
        'FROM_ENV = [h.strip() for h in os.environ["HOSTS"].split(",")]',
        'h = "module-level h is untouched"',
        'ALLDONE = [h for h in HOSTS]',
      ].join('\n'),
    );
    assert.deepEqual(e.get('CLEAN'), ['A.COM', 'B.COM']);
    assert.deepEqual(e.get('PAIRS'), { a: 1, b: 2 });
    assert.deepEqual(e.get('CROSS'), ['a1', 'a2', 'b1', 'b2']);
    assert.deepEqual(e.get('SETC'), [5, 0]);
    assert.deepEqual(e.get('GEN'), ['a.com', 'b.com']);
    assert.equal(e.get('FROM_ENV'), '<env:HOSTS>', 'a comprehension over an environment value is a safe unknown');
    assert.equal(e.get('h'), 'module-level h is untouched', 'comprehension variables do not leak');
  });

  it('follows list methods and slice assignment, keeping each item where it was written', () => {
    const e = evaluateSettings(
      [
        'MIDDLEWARE = ["common", "csrf", "auth"]',
        'MIDDLEWARE.insert(0, "security")',
        'MIDDLEWARE.append("last")',
        'MIDDLEWARE.extend(["x", "y"])',
        'MIDDLEWARE.remove("x")',
        'POPPED = MIDDLEWARE.pop()',
        'MIDDLEWARE.insert(-1, "beforelast")',
        'APPS = ["a", "b", "c", "d"]',
        'APPS[1:3] = ["B"]',
        'APPS[0] = "A"',
        'APPS[-1:] = []',
        'del APPS[0]',
        'APPS2 = ["a"]',
        'APPS2[len(APPS2):] = ["tail"]',
        'CL = ["x"]',
        'CL.clear()',
        'RV = ["a", "b"]',
        'RV.reverse()',
      ].join('\n'),
    );
    assert.deepEqual(e.get('MIDDLEWARE'), ['security', 'common', 'csrf', 'auth', 'beforelast', 'last']);
    assert.equal(e.get('POPPED'), 'y');
    const items = (e.value('MIDDLEWARE') as { items: { loc?: never }[] }).items;
    assert.equal(e.where(items[0]!.loc), `${S}:2`);
    assert.equal(e.where(items[1]!.loc), `${S}:1`);
    assert.equal(e.where(items[4]!.loc), `${S}:7`);
    assert.deepEqual(e.get('APPS'), ['B']);
    assert.deepEqual(e.get('APPS2'), ['a', 'tail']);
    assert.deepEqual(e.get('CL'), []);
    assert.deepEqual(e.get('RV'), ['b', 'a']);
  });

  it('follows dict subscript assignment (nested), update, setdefault, pop, del and copies', () => {
    const e = evaluateSettings(
      [
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "db"}}',
        'DATABASES["default"]["CONN_MAX_AGE"] = 600',
        'DATABASES["default"].update({"HOST": "db.internal"}, PORT=5432)',
        'DATABASES["default"].setdefault("OPTIONS", {})["sslmode"] = "require"',
        'DATABASES["replica"] = dict(DATABASES["default"], HOST="replica")',
        'CACHES = {}',
        'CACHES.update(default={"BACKEND": "redis"})',
        'X = {"a": 1, "b": 2}',
        'del X["a"]',
        'GONE = X.pop("b")',
        'COPY = DATABASES["default"].copy()',
        'COPY["NAME"] = "other"',
        'GET = DATABASES.get("missing", "fallback")',
        'IN = "default" in DATABASES',
      ].join('\n'),
    );
    assert.deepEqual(e.get('DATABASES'), {
      default: {
        ENGINE: 'django.db.backends.postgresql',
        NAME: 'db',
        CONN_MAX_AGE: 600,
        HOST: 'db.internal',
        PORT: 5432,
        OPTIONS: { sslmode: 'require' },
      },
      replica: {
        ENGINE: 'django.db.backends.postgresql',
        NAME: 'db',
        CONN_MAX_AGE: 600,
        HOST: 'replica',
        PORT: 5432,
        OPTIONS: { sslmode: 'require' },
      },
    });
    const def = e.value('DATABASES') as import('../../server/src/analysis/eval/values').DictValue;
    const conn = (def.values[0] as import('../../server/src/analysis/eval/values').DictValue).values[2]!;
    assert.equal(e.where(conn.loc), `${S}:2`, 'CONN_MAX_AGE is located where it was assigned');
    assert.equal(conn.origin, 'literal');
    assert.deepEqual(e.get('CACHES'), { default: { BACKEND: 'redis' } });
    assert.deepEqual(e.get('X'), {});
    assert.equal(e.get('GONE'), 2);
    assert.equal((e.get('COPY') as { NAME: string }).NAME, 'other');
    assert.equal((e.get('DATABASES') as { default: { NAME: string } }).default.NAME, 'db', 'a copy does not alias');
    assert.equal(e.get('GET'), 'fallback');
    assert.equal(e.get('IN'), true);
  });

  it('marks a dict assigned at an unknown key as partial, and unknown lookups as unknown', () => {
    const e = evaluateSettings(['import os', 'D = {"a": 1}', 'D[os.environ["K"]] = 2', 'A = D["a"]', 'Z = D["z"]'].join('\n'));
    assert.deepEqual(e.get('D'), { a: 1, $partial: true });
    assert.equal(e.get('A'), 1);
    assert.equal(e.get('Z'), '<unknown>');
  });
});

describe('evaluator: control flow', () => {
  it('takes if/elif/else branches on known values, including `if not DEBUG:`', () => {
    const e = evaluateSettings(
      [
        'DEBUG = False',
        'if not DEBUG:',
        '    SECURE_SSL_REDIRECT = True',
        'else:',
        '    SECURE_SSL_REDIRECT = False',
        'ENV = "staging"',
        'if ENV == "production":',
        '    LEVEL = "prod"',
        'elif ENV == "staging":',
        '    LEVEL = "stage"',
        'else:',
        '    LEVEL = "dev"',
        'if DEBUG:',
        '    ONLY_DEBUG = True',
        'if [] or {} or "" or 0 or None:',
        '    FALSY = True',
      ].join('\n'),
    );
    assert.equal(e.get('SECURE_SSL_REDIRECT'), true);
    assert.equal(e.at('SECURE_SSL_REDIRECT'), `${S}:3`);
    assert.equal(e.get('LEVEL'), 'stage');
    assert.equal(e.at('LEVEL'), `${S}:10`);
    assert.equal(e.value('ONLY_DEBUG'), undefined);
    assert.equal(e.value('FALSY'), undefined);
  });

  it('merges branches on unknown conditions: equal values stay, different ones become unknown, dicts key by key', () => {
    const e = evaluateSettings(
      [
        'import os',
        'DEBUG = os.environ["DEBUG"] == "1"',
        'SAME = 1',
        'DB = {"default": {"ENGINE": "pg", "NAME": "db"}}',
        'KEPT = "kept"',
        'if DEBUG:',
        '    SAME = 1',
        '    X = "debug"',
        '    DB["default"]["NAME"] = "debug.sqlite3"',
        '    ONLY_IF = True',
        'else:',
        '    X = "prod"',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), '<env:DEBUG>');
    assert.equal(e.get('SAME'), 1);
    assert.equal(e.get('X'), '<unknown>');
    assert.match((e.value('X') as { reason: string }).reason, /DEBUG/);
    assert.deepEqual(e.get('DB'), { default: { ENGINE: 'pg', NAME: '<unknown>' } });
    assert.equal(e.get('ONLY_IF'), '<unknown>');
    assert.equal(e.get('KEPT'), 'kept');
  });

  it('merges lists that only some branches add to: the shared items keep their order, the added ones are unknown', () => {
    const e = evaluateSettings(
      [
        'import os',
        'DEBUG = os.environ["DEBUG"] == "1"',
        'MIDDLEWARE = ["a.Security", "b.Common", "c.Csrf"]',
        'APPS = ["x", "y"]',
        'SWAPPED = ["x", "y"]',
        'if DEBUG:',
        '    MIDDLEWARE.insert(0, "debug.Toolbar")',
        '    MIDDLEWARE.append("debug.Last")',
        '    APPS.remove("y")',
        '    SWAPPED.reverse()',
      ].join('\n'),
    );
    assert.deepEqual(e.get('MIDDLEWARE'), ['<unknown>', 'a.Security', 'b.Common', 'c.Csrf', '<unknown>']);
    assert.match((e.value('MIDDLEWARE') as { items: { reason: string }[] }).items[0]!.reason, /only present when it meets `DEBUG`/);
    assert.deepEqual(e.get('APPS'), ['x', '<unknown>'], 'an item one branch removes is unknown too');
    assert.equal(e.get('SWAPPED'), '<unknown>', 'a reordered list is not a list with optional items');
  });

  it('merges lists each branch adds its own items to: the shared items keep their order, each added one is optional where its branch has it', () => {
    const e = evaluateSettings(
      [
        'import os',
        'SSO = os.environ["SSO"] == "1"',
        'MODE = os.environ["MODE"]',
        'MIDDLEWARE = ["a.Security", "b.Session", "c.Csrf", "d.Auth", "e.Messages"]',
        'THREE = ["x", "y", "z"]',
        'if SSO:',
        '    MIDDLEWARE.insert(MIDDLEWARE.index("d.Auth") + 1, "sso.Session")',
        'else:',
        '    MIDDLEWARE.extend(["axes.Axes"])',
        'if MODE == "a":',
        '    THREE.insert(0, "first")',
        'elif MODE == "b":',
        '    THREE.insert(2, "middle")',
        'else:',
        '    THREE.append("last")',
      ].join('\n'),
    );
    assert.deepEqual(e.get('MIDDLEWARE'), ['a.Security', 'b.Session', 'c.Csrf', 'd.Auth', '<unknown>', 'e.Messages', '<unknown>']);
    const items = (e.value('MIDDLEWARE') as { items: { reason?: string; possible?: { v: string } }[] }).items;
    assert.match(items[4]!.reason!, /only present when it meets `SSO`/);
    assert.equal(items[4]!.possible?.v, 'sso.Session');
    assert.equal(items[6]!.possible?.v, 'axes.Axes');
    assert.deepEqual(e.get('THREE'), ['<unknown>', 'x', 'y', '<unknown>', 'z', '<unknown>']);
  });

  it('copies on write in undecided branches: a mutation does not leak into the other branch', () => {
    const e = evaluateSettings(
      [
        'import os',
        'MIDDLEWARE = ["a"]',
        'APPS = ["x"]',
        'OTHER = APPS',
        'if os.environ["FLAG"]:',
        '    MIDDLEWARE.append("b")',
        'else:',
        '    MIDDLEWARE.append("b")',
        'if os.environ["FLAG2"]:',
        '    APPS.append("debug_toolbar")',
      ].join('\n'),
    );
    assert.deepEqual(e.get('MIDDLEWARE'), ['a', 'b'], 'the same mutation in both branches is known');
    assert.deepEqual(e.get('APPS'), ['x', '<unknown>'], 'the item only one branch appends is optional');
    // OTHER is the same list as APPS (as Python has it): the item one branch appends may be in it too
    // (pinned as ['x'] before the differential test against CPython found the alias left behind)
    assert.deepEqual(e.get('OTHER'), ['x', '<unknown>'], 'the alias sees what the uncertain branch may append');
  });

  it('drops branches that raise: a running system did not take them', () => {
    const e = evaluateSettings(
      [
        'import os',
        'MODE = os.environ["MODE"]',
        'if MODE == "a":',
        '    X = 1',
        'elif MODE == "b":',
        '    X = 1',
        'else:',
        '    raise ValueError("bad MODE")',
      ].join('\n'),
    );
    assert.equal(e.get('X'), 1);
    assert.equal(e.mod.status, 'done');
  });

  it('evaluates boolean operators and comparisons (chained, in, is, not)', () => {
    const e = evaluateSettings(
      [
        'A = 0 or "" or "x"',
        'B = 1 and "y"',
        'C = None and 1',
        'D = 1 < 2 <= 2 < 3',
        'E = 1 < 2 > 5',
        'F = "a" in ["a", "b"]',
        'G = "z" not in "abc"',
        'H = None is None',
        'I = 1 is not None',
        'J = not []',
        'K = "b" in {"a": 1, "b": 2}',
        'L = (1, 2) == (1, 2)',
        'M = "B" >= "A"',
        'N = 3 != 3.0',
      ].join('\n'),
    );
    assert.deepEqual(
      ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N'].map((n) => e.get(n)),
      ['x', 'y', null, true, false, true, true, true, true, true, true, true, true, false],
    );
    assert.equal(e.at('A'), `${S}:1`);
  });

  it('evaluates conditional expressions, inlines functions and lambdas, and binds walrus targets', () => {
    const e = evaluateSettings(
      [
        'import os',
        'def env_list(name, default=""):',
        '    raw = os.environ.get(name, default)',
        '    return [x.strip() for x in raw.split(",") if x.strip()]',
        'def flag(v):',
        '    if v in ("1", "true"):',
        '        return True',
        '    return False',
        'HOSTS = env_list("HOSTS", "a.com, b.com")',
        'ON = flag("1")',
        'OFF = flag("no")',
        'LAM = (lambda v: v * 2)(21)',
        'CE = "yes" if ON else "no"',
        'if (W := 3) > 2:',
        '    WW = W',
        'y = 1',
        'del y',
      ].join('\n'),
    );
    assert.deepEqual(e.get('HOSTS'), ['a.com', 'b.com']);
    assert.equal(e.origin('HOSTS'), 'env-default');
    assert.deepEqual(e.envNames('HOSTS'), ['HOSTS']);
    assert.equal(e.get('ON'), true);
    assert.equal(e.get('OFF'), false);
    assert.equal(e.get('LAM'), 42);
    assert.equal(e.get('CE'), 'yes');
    assert.equal(e.get('WW'), 3);
    assert.equal(e.value('y'), undefined, 'del unbinds');
    assert.equal(e.value('raw'), undefined, 'function locals do not leak');
  });

  it('does not guess through functions whose path depends on an unknown condition', () => {
    const e = evaluateSettings(
      [
        'import os',
        'def pick(flag):',
        '    if flag:',
        '        return "a"',
        '    return "b"',
        'def assign(x):',
        '    if x:',
        '        v = "a"',
        '    else:',
        '        v = "b"',
        '    return v',
        'def same(x):',
        '    if x:',
        '        v = "same"',
        '    else:',
        '        v = "same"',
        '    return v + "!"',
        'def env_bool(name, default=False):',
        '    value = os.environ.get(name)',
        '    if value is None:',
        '        return default',
        '    return value.lower() in ("1", "true", "yes")',
        'P1 = pick(os.environ["F"])',
        'P2 = pick(True)',
        'P3 = pick(0)',
        'A1 = assign(os.environ["G"])',
        'A2 = assign(1)',
        'S1 = same(os.environ["H"])',
        'EB = env_bool("EB")',
      ].join('\n'),
    );
    assert.equal(e.get('P1'), '<unknown>');
    assert.deepEqual([e.get('P2'), e.get('P3')], ['a', 'b']);
    assert.equal(e.get('A1'), '<unknown>');
    assert.equal(e.get('A2'), 'a');
    assert.equal(e.get('S1'), 'same!');
    assert.equal(e.get('EB'), false, 'get() is None when EB is not set: the helper returns its default');
    assert.equal(e.origin('EB'), 'env-default');
  });

  it('after a break only some paths take, the rest of the loop is uncertain', () => {
    const e = evaluateSettings(
      [
        'import os',
        'APPS = []',
        'for a in ["x", "y", "z"]:',
        '    if a == os.environ["STOP"]:',
        '        break',
        '    APPS.append(a)',
        'FOUND = None',
        'for a in ["x", "y"]:',
        '    if a == "x":',
        '        FOUND = a',
        '        break',
        'N = 0',
        'while N < 3:',
        '    N += 1',
        'AFTER = 1',
      ].join('\n'),
    );
    assert.deepEqual(e.get('APPS'), ['<unknown>', '<unknown>', '<unknown>'], 'each item is only there when the loop got that far');
    assert.equal((e.value('APPS') as { optional?: boolean }).optional, true);
    assert.equal(e.get('FOUND'), 'x');
    assert.equal(e.get('N'), '<unknown>');
    assert.equal(e.get('AFTER'), 1);
  });

  it('runs for loops over known values, with break/continue/else', () => {
    const e = evaluateSettings(
      [
        'APPS = []',
        'for app in ["a", "b", "c", "d"]:',
        '    if app == "b":',
        '        continue',
        '    if app == "d":',
        '        break',
        '    APPS.append(app)',
        'else:',
        '    NOT_BROKEN = True',
        'TOTAL = 0',
        'for i, n in enumerate([10, 20]):',
        '    TOTAL += i * n',
        'for k in {"x": 1}:',
        '    LASTKEY = k',
        'for done in []:',
        '    NEVER = 1',
        'else:',
        '    ELSE_RAN = True',
      ].join('\n'),
    );
    assert.deepEqual(e.get('APPS'), ['a', 'c']);
    assert.equal(e.value('NOT_BROKEN'), undefined);
    assert.equal(e.get('TOTAL'), 20);
    assert.equal(e.get('LASTKEY'), 'x');
    assert.equal(e.value('NEVER'), undefined);
    assert.equal(e.get('ELSE_RAN'), true);
  });

  it('runs try/except/else/finally: the else clause when nothing raises, the handler when something does', () => {
    const e = evaluateSettings(
      [
        'try:',
        '    A = 1',
        'except Exception:',
        '    A = 2',
        'else:',
        '    B = "else"',
        'finally:',
        '    C = "finally"',
        'D = {}',
        'try:',
        '    V = D["missing"]',
        'except KeyError:',
        '    V = "fallback"',
        'try:',
        '    raise ValueError("x")',
        'except (TypeError, ValueError) as exc:',
        '    R = "caught"',
      ].join('\n'),
    );
    assert.deepEqual([e.get('A'), e.get('B'), e.get('C'), e.get('V'), e.get('R')], [1, 'else', 'finally', 'fallback', 'caught']);
  });
});

describe('evaluator: strings, formatting and paths', () => {
  it('follows str methods: split, strip, lower, upper, replace, join, startswith, format', () => {
    const e = evaluateSettings(
      [
        'SPLIT = "a, b ,c".split(",")',
        'WS = "  a  b ".split()',
        'MAX = "a:b:c".split(":", 1)',
        'RS = "a:b:c".rsplit(":", 1)',
        'STRIP = "  Hi  ".strip()',
        'CHARS = "xxhixx".strip("x")',
        'LOW = "TRUE".lower()',
        'UP = "on".upper()',
        'REP = "a-b".replace("-", "_")',
        'JOIN = ",".join(["a", "b"])',
        'SW = "https://x".startswith(("http://", "https://"))',
        'EW = "x.sqlite3".endswith(".sqlite3")',
        'LINES = "a\\nb\\n".splitlines()',
        'TRUTHY = "True".lower() == "true"',
        'ISUP = "DEBUG".isupper()',
      ].join('\n'),
    );
    assert.deepEqual(e.get('SPLIT'), ['a', ' b ', 'c']);
    assert.deepEqual(e.get('WS'), ['a', 'b']);
    assert.deepEqual(e.get('MAX'), ['a', 'b:c']);
    assert.deepEqual(e.get('RS'), ['a:b', 'c']);
    assert.equal(e.get('STRIP'), 'Hi');
    assert.equal(e.get('CHARS'), 'hi');
    assert.equal(e.get('LOW'), 'true');
    assert.equal(e.get('UP'), 'ON');
    assert.equal(e.get('REP'), 'a_b');
    assert.equal(e.get('JOIN'), 'a,b');
    assert.equal(e.get('SW'), true);
    assert.equal(e.get('EW'), true);
    assert.deepEqual(e.get('LINES'), ['a', 'b']);
    assert.equal(e.get('TRUTHY'), true);
    assert.equal(e.get('ISUP'), true);
    assert.equal(e.origin('LOW'), 'derived');
  });

  it('formats f-strings (with conversions and format specs), %-formatting and str.format', () => {
    const e = evaluateSettings(
      [
        'HOST = "example.com"',
        'PORT = 8000',
        'URL = f"https://{HOST}:{PORT}/"',
        'PAD = f"{PORT:>6}|{3.14159:.2f}|{HOST!r}"',
        'BRACES = f"{{literal}} {HOST}"',
        'PCT = "%s:%d" % (HOST, PORT)',
        'PCTD = "%(h)s" % {"h": HOST}',
        'PCT1 = "host=%s" % HOST',
        'FMT = "{}:{port}".format(HOST, port=PORT)',
        'IDX = "{0}-{0}".format("x")',
        'RAW = r"\\d+"',
        'CONCAT = "a" "b" \'c\'',
        'BYTES_ESC = "tab\\tnew\\nuni\\u00e9"',
      ].join('\n'),
    );
    assert.equal(e.get('URL'), 'https://example.com:8000/');
    assert.equal(e.origin('URL'), 'derived');
    assert.equal(e.get('PAD'), "  8000|3.14|'example.com'");
    assert.equal(e.get('BRACES'), '{literal} example.com');
    assert.equal(e.get('PCT'), 'example.com:8000');
    assert.equal(e.get('PCTD'), 'example.com');
    assert.equal(e.get('PCT1'), 'host=example.com');
    assert.equal(e.get('FMT'), 'example.com:8000');
    assert.equal(e.get('IDX'), 'x-x');
    assert.equal(e.get('RAW'), '\\d+');
    assert.equal(e.get('CONCAT'), 'abc');
    assert.equal(e.origin('CONCAT'), 'literal');
    assert.equal(e.get('BYTES_ESC'), 'tab\tnew\nuni\u00e9');
  });

  it('never throws on malformed escapes (fuzz regression) and keeps them as written', () => {
    assert.equal(unescapePython('\\uZZ'), '\\uZZ');
    assert.equal(unescapePython('\\x'), '\\x');
    assert.equal(unescapePython('\\U00110000'), '\\U00110000');
    assert.equal(unescapePython('\\U0001F600'), '\u{1F600}');
    assert.equal(unescapePython('\\q'), '\\q');
    const e = evaluateSettings('A = "\\uZZ"\nB = "\\x"\nC = "\\U00110000"\nD = 1\n');
    assert.equal(e.get('D'), 1);
    assert.equal(e.get('A'), '\\uZZ');
  });

  it('computes os.path and pathlib paths from __file__', () => {
    const e = evaluateSettings(
      [
        'import os',
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent.parent',
        'OLD_BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))',
        'STATIC_ROOT = BASE_DIR / "staticfiles"',
        'STATIC_STR = str(BASE_DIR / "static")',
        'MEDIA_ROOT = os.path.join(OLD_BASE, "media")',
        'TEMPLATES_DIR = BASE_DIR.joinpath("templates", "x")',
        'NAME = (BASE_DIR / "db.sqlite3").name',
        'SUFFIX = Path("a/b.tar.gz").suffix',
        'UP = os.path.join(BASE_DIR, "..", "shared")',
        'ABS = BASE_DIR / "/etc"',
      ].join('\n'),
    );
    assert.equal(e.get('BASE_DIR'), 'Path:/p');
    assert.equal(e.get('OLD_BASE'), '/p');
    assert.equal(e.get('STATIC_ROOT'), 'Path:/p/staticfiles');
    assert.equal(e.get('STATIC_STR'), '/p/static');
    assert.equal(e.get('MEDIA_ROOT'), '/p/media');
    assert.equal(e.get('TEMPLATES_DIR'), 'Path:/p/templates/x');
    assert.equal(e.get('NAME'), 'db.sqlite3');
    assert.equal(e.get('SUFFIX'), '.gz');
    assert.equal(e.get('ABS'), 'Path:/etc');
    assert.equal(e.origin('STATIC_ROOT'), 'derived');
    assert.equal(e.at('STATIC_ROOT'), `${S}:5`);
  });

  it('reads values from files as unknown (not literal), remembering that they come from a file', () => {
    const e = evaluateSettings(
      [
        'from pathlib import Path',
        'with open("/run/secrets/key") as f:',
        '    SECRET_KEY = f.read().strip()',
        'KEY2 = open("/etc/key").read()',
        'KEY3 = Path("/etc/key").read_text().strip()',
        'import json',
        'CONF = json.load(open("config.json"))',
        'DEBUG = CONF["debug"]',
      ].join('\n'),
    );
    for (const n of ['SECRET_KEY', 'KEY2', 'KEY3', 'CONF', 'DEBUG']) {
      assert.equal(e.value(n)!.kind, 'unknown', n);
      assert.notEqual(e.origin(n), 'literal', n);
      assert.notEqual(e.origin(n), 'env', `${n} is not a safe environment value`);
    }
    assert.equal((e.value('KEY2') as { producedBy?: string }).producedBy, 'file');
  });
});

describe('evaluator: imports across files', () => {
  const split = (prod: string, extra: Record<string, string> = {}): Record<string, string> => ({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.local")\n',
    'mysite/__init__.py': '',
    'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
    'mysite/settings/__init__.py': '',
    'mysite/settings/base.py': [
      'DEBUG = True',
      'SECRET_KEY = "django-insecure-base"',
      'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}',
      '_PRIVATE = "not exported"',
      'ALLOWED_HOSTS = []',
    ].join('\n'),
    'mysite/settings/production.py': prod,
    ...extra,
  });

  it('star-imports base.py: inherited values keep base.py locations, overrides land in production.py', () => {
    const e = evaluateFiles(
      split(
        [
          'from .base import *',
          'DEBUG = False',
          'MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")',
          'DATABASES["default"]["CONN_MAX_AGE"] = 600',
          'ALLOWED_HOSTS += ["example.com"]',
        ].join('\n'),
      ),
    );
    assert.equal(e.project.production?.module.name, 'mysite.settings.production');
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.at('DEBUG'), 'mysite/settings/production.py:2');
    assert.equal(e.get('SECRET_KEY'), 'django-insecure-base');
    assert.equal(e.at('SECRET_KEY'), 'mysite/settings/base.py:2');
    assert.equal(e.boundAt('SECRET_KEY'), 'mysite/settings/base.py:2');
    assert.equal(e.value('_PRIVATE'), undefined, 'names starting with _ are not star-imported');
    assert.deepEqual(e.get('MIDDLEWARE'), ['django.middleware.security.SecurityMiddleware', 'django.middleware.common.CommonMiddleware']);
    const mw = (e.value('MIDDLEWARE') as { items: { loc?: never }[] }).items;
    assert.equal(e.where(mw[0]!.loc), 'mysite/settings/production.py:3');
    assert.equal(e.where(mw[1]!.loc), 'mysite/settings/base.py:3');
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['example.com']);
    assert.deepEqual([...e.mod.files].map((f) => f.replace('/p/', '')).sort(), [
      'mysite/settings/base.py',
      'mysite/settings/production.py',
    ]);
  });

  it('follows absolute star-imports, `import x as y`, `import a.b.c` and `from x import name`', () => {
    const e = evaluateFiles(
      split(
        [
          'from mysite.settings.base import *',
          'import mysite.settings.base as b',
          'import mysite.settings.base',
          'from mysite.settings import base',
          'from .base import DATABASES as DBS, SECRET_KEY',
          'from . import base as rel',
          'A = b.DEBUG',
          'B = mysite.settings.base.SECRET_KEY',
          'C = base.DATABASES["default"]["NAME"]',
          'D = rel.DEBUG',
          'DEBUG = False',
        ].join('\n'),
      ),
    );
    assert.equal(e.get('A'), true);
    assert.equal(e.at('A'), 'mysite/settings/base.py:1');
    assert.equal(e.get('B'), 'django-insecure-base');
    assert.equal(e.get('C'), 'app');
    assert.equal(e.get('D'), true);
    assert.equal((e.get('DBS') as { default: { NAME: string } }).default.NAME, 'app');
    assert.equal(e.boundAt('DBS'), 'mysite/settings/production.py:5');
    assert.equal(e.get('DEBUG'), false);
    assert.deepEqual(e.notes(), []);
  });

  it('honours __all__ in star-imports', () => {
    const e = evaluateFiles(split('from .base import *\n', { 'mysite/settings/base.py': '__all__ = ["A"]\nA = 1\nB = 2\n_C = 3\n' }));
    assert.equal(e.get('A'), 1);
    assert.equal(e.value('B'), undefined);
  });

  it('detects star-import cycles, notes them and does not follow them forever', () => {
    const e = evaluateFiles(
      split('from .base import *\nDEBUG = False\nY = X\n', {
        'mysite/settings/base.py': 'from .production import *\nDEBUG = True\nX = 1\n',
      }),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.get('Y'), 1);
    const cycle = e.notes('import-cycle');
    assert.equal(cycle.length, 1);
    assert.match(cycle[0]!.message, /mysite\.settings\.production → mysite\.settings\.base → mysite\.settings\.production/);
    assert.equal(e.where(cycle[0]!.loc), 'mysite/settings/base.py:1');
  });

  it('detects longer cycles and self-imports', () => {
    const e = evaluateFiles(
      split('from .a import *\nfrom .production import *\nP = 1\n', {
        'mysite/settings/a.py': 'from .b import *\nA = 1\n',
        'mysite/settings/b.py': 'from .a import *\nB = 2\n',
      }),
    );
    assert.deepEqual([e.get('A'), e.get('B'), e.get('P')], [1, 2, 1]);
    assert.equal(e.notes('import-cycle').length, 2);
  });

  describe('a package importing its own submodule while it is initialised (Python: not a cycle)', () => {
    // mysite.settings is the production module: its __init__.py imports mysite.settings.base
    const pkg = (init: string, base: string): Record<string, string> => ({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': init,
      'mysite/settings/base.py': base,
    });
    const base = 'DEBUG = True\nSECRET_KEY = "django-insecure-base"\nlower = 1\n';
    const exported = 'globals().update({k: v for k, v in vars(base).items() if k.isupper()})\n';
    for (const init of ['from mysite.settings import base\n', 'from . import base\n', 'import mysite.settings.base as base\n']) {
      it(`${init.trim()}: the submodule, no cycle, its settings exported through vars()`, () => {
        const e = evaluateFiles(pkg(init + exported, base));
        assert.deepEqual(e.notes('import-cycle'), []);
        assert.equal(e.get('DEBUG'), true);
        assert.equal(e.at('DEBUG'), 'mysite/settings/base.py:1');
        assert.equal(e.get('SECRET_KEY'), 'django-insecure-base');
        assert.equal(e.value('lower'), undefined);
      });
    }

    it('a name the package binds before comes first; the submodule beside it is no cycle either', () => {
      const e = evaluateFiles(pkg('X = 1\nfrom mysite.settings import X as Y, base\nDEBUG = base.DEBUG\n', base));
      assert.equal(e.get('Y'), 1);
      assert.equal(e.get('DEBUG'), true);
      // (reading a name of the module being initialised is the module importing itself)
      const cycle = e.notes('import-cycle');
      assert.equal(cycle.length, 1);
      assert.doesNotMatch(cycle[0]!.message, /ImportError/);
    });

    it('a name neither bound yet nor a submodule: the cycle, and Python raises ImportError', () => {
      // (with a setting of its own: a package that only imports defines no settings and is never
      // taken as the production module, models/project/production.ts definesNoSettings)
      const e = evaluateFiles(pkg('from mysite.settings import base, nothere\nDEBUG = False\n', base));
      const cycle = e.notes('import-cycle');
      assert.equal(cycle.length, 1);
      assert.match(
        cycle[0]!.message,
        /^Import cycle: mysite\.settings → mysite\.settings\. nothere is not bound in the partly-run mysite\.settings yet, and is not a submodule of it: Python raises ImportError/,
      );
      assert.equal(e.where(cycle[0]!.loc), 'mysite/settings/__init__.py:1');
    });

    it('base.py importing from the package it is a submodule of: the cycle (ImportError when the name is not bound yet)', () => {
      const bound = evaluateFiles(pkg('X = 1\nfrom mysite.settings.base import *\n', 'from mysite.settings import X\nDEBUG = X == 1\n'));
      assert.equal(bound.get('DEBUG'), true);
      const [note] = bound.notes('import-cycle');
      assert.match(
        note!.message,
        /^Import cycle: mysite\.settings → mysite\.settings\.base → mysite\.settings\. Python gives the inner import a partly-run module; so does this analysis\.$/,
      );
      assert.equal(bound.where(note!.loc), 'mysite/settings/base.py:1');

      const unbound = evaluateFiles(pkg('from mysite.settings.base import *\nX = 1\n', 'from mysite.settings import X\nDEBUG = X == 1\n'));
      assert.equal(unbound.value('DEBUG')?.kind, 'unknown');
      const [raises] = unbound.notes('import-cycle');
      assert.match(
        raises!.message,
        /X is not bound in the partly-run mysite\.settings yet, and is not a submodule of it: Python raises ImportError \(cannot import name X from partially initialized module mysite\.settings\)/,
      );

      // dynamic code may have bound it: not said to raise
      const open = evaluateFiles(
        pkg(
          'import json, os\nglobals().update(json.loads(os.environ["EXTRA"]))\nfrom mysite.settings.base import *\n',
          'from mysite.settings import X\n',
        ),
      );
      const [maybe] = open.notes('import-cycle');
      assert.match(
        maybe!.message,
        /X is not bound in the partly-run mysite\.settings yet, and is not a submodule of it, unless dynamic code bound it \(globals\(\)\.update\(\) .*\): this analysis reads it as unknown\.$/,
      );
      assert.doesNotMatch(maybe!.message, /ImportError/);
    });
  });

  describe('try: from .local import * except ImportError: pass', () => {
    const prod = 'from .base import *\nDEBUG = False\ntry:\n    from .local import *\nexcept ImportError:\n    pass\nAFTER = 1\n';
    it('local.py absent: not part of production, no note', () => {
      const e = evaluateFiles(split(prod));
      assert.equal(e.get('DEBUG'), false);
      assert.equal(e.get('AFTER'), 1);
      // the optional override absent here is said once (the settings view says it may change what came before)
      assert.deepEqual(
        e.notes().filter((n) => n.kind !== 'optional-override'),
        [],
      );
      assert.equal(e.notes('optional-override').length, 1);
    });
    it('local.py present but ignored by .gitignore: not deployed, so not part of production', () => {
      const e = evaluateFiles(
        split(prod, { '.gitignore': '*.pyc\nmysite/settings/local.py\n', 'mysite/settings/local.py': 'DEBUG = True\nLOCAL = 1\n' }),
      );
      assert.equal(e.get('DEBUG'), false);
      assert.equal(e.value('LOCAL'), undefined);
      // the optional override absent here is said once (the settings view says it may change what came before)
      assert.deepEqual(
        e.notes().filter((n) => n.kind !== 'optional-override'),
        [],
      );
      assert.equal(e.notes('optional-override').length, 1);
      assert.ok(![...e.mod.files].some((f) => f.endsWith('local.py')));
    });
    it('local.py ignored by a nested .gitignore pattern', () => {
      const e = evaluateFiles(split(prod, { 'mysite/settings/.gitignore': 'local.py\n', 'mysite/settings/local.py': 'DEBUG = True\n' }));
      assert.equal(e.get('DEBUG'), false);
    });
    it('local.py present and committed: it is part of production', () => {
      const e = evaluateFiles(split(prod, { 'mysite/settings/local.py': 'DEBUG = True\n' }));
      assert.equal(e.get('DEBUG'), true);
      assert.equal(e.at('DEBUG'), 'mysite/settings/local.py:1');
    });
    it('the absolute form `from mysite.settings.local import *` behaves the same', () => {
      const e = evaluateFiles(
        split('from .base import *\nDEBUG = False\ntry:\n    from mysite.settings.local import *\nexcept ImportError:\n    pass\n'),
      );
      assert.equal(e.get('DEBUG'), false);
      assert.equal(e.mod.scope.open, undefined, 'a missing workspace module is not an unknown external module');
    });
  });

  it('notes an unguarded import of a missing or ignored module: the module raises there', () => {
    const missing = evaluateFiles(split('from .base import *\nfrom .secrets import *\nAFTER = 1\n'));
    assert.equal(missing.notes('import-missing').length, 1);
    assert.equal(missing.where(missing.notes('import-missing')[0]!.loc), 'mysite/settings/production.py:2');
    assert.equal(missing.mod.status, 'raised');
    assert.equal(missing.value('AFTER'), undefined);
    const ignored = evaluateFiles(
      split('from .base import *\nfrom .local import *\n', { '.gitignore': 'local.py\n', 'mysite/settings/local.py': 'X = 1\n' }),
    );
    assert.equal(ignored.notes('import-ignored').length, 1);
    assert.match(ignored.notes('import-ignored')[0]!.message, /local\.py is ignored by git/);
  });

  it('qualifies a failing import in a branch it cannot decide', () => {
    const e = evaluateFiles(
      split('import os\nfrom .base import *\nif os.environ["ENV"] == "staging":\n    from .staging import *\nAFTER = 1\n'),
    );
    assert.equal(e.get('AFTER'), 1);
    assert.match(e.notes('import-missing')[0]!.message, /when this branch runs/);
  });

  it('imports a module named by importlib.import_module, dir() and getattr()', () => {
    const e = evaluateFiles(
      split('X = 1\n', {
        'mysite/settings/__init__.py': [
          'import importlib',
          'import os',
          '_name = os.environ.get("DJANGO_ENV", "production")',
          '_mod = importlib.import_module(f"mysite.settings.{_name}")',
          'for _k in dir(_mod):',
          '    if _k.isupper():',
          '        globals()[_k] = getattr(_mod, _k)',
          'HAS = hasattr(_mod, "DEBUG")',
        ].join('\n'),
        'mysite/settings/production.py': 'from .base import *\nDEBUG = False\n',
        'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      }),
    );
    assert.equal(e.project.production?.module.name, 'mysite.settings');
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.at('DEBUG'), 'mysite/settings/production.py:2');
    assert.equal(e.get('SECRET_KEY'), 'django-insecure-base');
    assert.equal(e.get('HAS'), true);
    assert.equal(e.mod.scope.open, undefined);
  });
});

describe('evaluator: django-split-settings include()', () => {
  const base = (init: string, extra: Record<string, string> = {}): Record<string, string> => ({
    'manage.py': '',
    'mysite/__init__.py': '',
    'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'mysite/settings/__init__.py': init,
    'mysite/settings/components/a.py': 'A = 1\nORDER = ["a"]\n',
    'mysite/settings/components/b.py': 'ORDER.append("b")\nB = A + 1\n',
    'mysite/settings/components/_private.py': 'ORDER.append("private")\n',
    'mysite/settings/components/.hidden.py': 'ORDER.append("hidden")\n',
    ...extra,
  });

  it('runs the files in order in the including namespace, each once, globs sorted, values located in them', () => {
    const e = evaluateFiles(base('from split_settings.tools import include\ninclude("components/a.py", "components/*.py")\nAFTER = B\n'));
    assert.deepEqual(e.get('ORDER'), ['a', 'private', 'b']);
    assert.equal(e.get('B'), 2);
    assert.equal(e.at('B'), 'mysite/settings/components/b.py:2');
    assert.equal(e.get('AFTER'), 2);
    assert.ok([...e.mod.files].some((f) => f.endsWith('components/b.py')));
    assert.equal(e.get('__file__'), '/p/mysite/settings/__init__.py', "included code sees the including module's __file__");
  });

  it('optional() files may be missing or ignored; a missing required file raises with a note', () => {
    const opt = evaluateFiles(
      base('from split_settings.tools import include, optional\ninclude("components/a.py", optional("local.py"))\nX = 1\n'),
    );
    assert.deepEqual([opt.get('A'), opt.get('X')], [1, 1]);
    assert.deepEqual(opt.notes(), []);
    const ignored = evaluateFiles(
      base('from split_settings import tools\ntools.include(tools.optional("local.py"))\nX = 1\n', {
        '.gitignore': 'local.py\n',
        'mysite/settings/local.py': 'X = 2\nLOCAL = True\n',
      }),
    );
    assert.equal(ignored.value('LOCAL'), undefined);
    const missing = evaluateFiles(base('from split_settings.tools import include\ninclude("components/nope.py")\nX = 1\n'));
    assert.equal(missing.value('X'), undefined);
    assert.equal(missing.mod.status, 'raised');
    assert.match(missing.notes('import-missing')[0]!.message, /components\/nope\.py/);
  });

  it('include() of a name the analysis cannot read makes the namespace unknown', () => {
    const e = evaluateFiles(base('import os\nfrom split_settings.tools import include\nA0 = 1\ninclude(os.environ["COMPONENT"])\n'));
    assert.equal(e.get('A0'), '<unknown>');
    assert.equal(e.setting('DEBUG').kind, 'unknown');
  });
});

describe('evaluator: unknown is never guessed', () => {
  it('exec() of code the analysis cannot read makes every name unknown, and names assigned afterwards known again', () => {
    const e = evaluateSettings('import os\nA = 1\nexec(os.environ["EXTRA_CODE"])\nB = 2\n');
    assert.equal(e.get('A'), '<unknown>');
    assert.equal(e.get('B'), 2);
    assert.equal(e.setting('SECURE_HSTS_SECONDS').kind, 'unknown', 'a setting never assigned may have been set by exec');
    assert.equal(e.notes('dynamic').length, 1);
    assert.equal(e.where(e.notes('dynamic')[0]!.loc), `${S}:3`);
  });

  it('exec() of a file the repository does not hold keeps what was bound, as written unless the file overrides it', () => {
    const e = evaluateSettings('import os\nA = 1\nexec(open("extra.py").read())\nB = 2\n');
    assert.equal(e.get('A'), 1);
    assert.deepEqual(
      e.mod.scope.get('A')!.overriddenBy?.map((o) => [o.kind, o.name, o.presence]),
      [['file', 'extra.py', 'supplied']],
    );
    assert.equal(e.mod.scope.get('B')!.overriddenBy, undefined, 'bound after the file ran');
    assert.equal(e.get('B'), 2);
    assert.equal(e.setting('SECURE_HSTS_SECONDS').kind, 'unknown', 'the file the deployment supplies may set a setting never assigned');
    assert.equal(e.notes('dynamic').length, 1);
    assert.equal(e.where(e.notes('dynamic')[0]!.loc), `${S}:3`);
  });

  it("exec() of an optional file (where it exists) keeps what was bound, and a setting never assigned is Django's default", () => {
    const e = evaluateSettings(
      'import os\nA = 1\nCONF = os.environ.get("APP_CONF", "/etc/app/app.conf")\nif os.path.exists(CONF):\n    with open(CONF) as fh:\n        exec(fh.read())\n',
    );
    assert.equal(e.get('A'), 1);
    assert.deepEqual(
      e.mod.scope.get('A')!.overriddenBy?.map((o) => [o.kind, o.name, o.presence]),
      [['file', '/etc/app/app.conf', 'optional']],
    );
    assert.equal(e.setting('SECURE_HSTS_SECONDS').kind, 'int', 'never set: Django default');
    assert.equal(e.notes('optional-override').length, 1);
  });

  it("exec() of an optional file with the module's own namespaces (globals(), locals() at module level) is the same optional override", () => {
    const e = evaluateSettings(
      'import os\nA = 1\np = "/etc/app/local_settings.py"\nif os.path.exists(p):\n    with open(p) as fp:\n        code = compile(fp.read(), p, "exec")\n    exec(code, globals(), locals())\n',
    );
    assert.equal(e.get('A'), 1);
    assert.deepEqual(
      e.mod.scope.get('A')!.overriddenBy?.map((o) => [o.kind, o.name, o.presence]),
      [['file', '/etc/app/local_settings.py', 'optional']],
    );
    assert.equal(e.setting('SECURE_HSTS_SECONDS').kind, 'int', 'never set: Django default');
    // in a function, locals() is the function's: the code's names do not reach the module
    const inFunction = evaluateSettings('A = 1\ndef run(code):\n    exec(code, globals(), locals())\nrun(open("/etc/app/x.py").read())\n');
    assert.equal(inFunction.mod.scope.get('A')!.overriddenBy, undefined);
    assert.equal(inFunction.notes('dynamic').length, 1);
  });

  it('exec() of an optional file whose path the analysis cannot compute is still an optional override, named as such', () => {
    const e = evaluateSettings(
      'import os, somelib\nA = 1\np = os.path.join(somelib.root(), "local_settings.py")\nif os.path.exists(p):\n    exec(open(p).read(), globals())\n',
    );
    assert.equal(e.get('A'), 1);
    assert.deepEqual(
      e.mod.scope.get('A')!.overriddenBy?.map((o) => [o.kind, o.name, o.presence]),
      [['file', 'a file whose path the analysis cannot compute', 'optional']],
    );
  });

  it('exec() of a file into a namespace of its own stays dynamic (what it binds is copied by code the analysis cannot follow)', () => {
    const e = evaluateSettings('import types\nA = 1\nd = types.ModuleType("config")\nexec(open("/etc/app/app.conf").read(), d.__dict__)\n');
    assert.equal(e.mod.scope.get('A')!.overriddenBy, undefined);
    assert.equal(e.notes('dynamic').length, 1);
  });

  it('globals().update() with known keys binds only those names; with unknown contents, any name', () => {
    const known = evaluateSettings(
      'A = 1\nglobals().update({"B": 2, "C": 3})\nglobals().update(D=4)\nglobals()["E"] = 5\nvars()["F"] = 6\n',
    );
    assert.deepEqual(
      ['A', 'B', 'C', 'D', 'E', 'F'].map((n) => known.get(n)),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(known.mod.scope.open, undefined);
    assert.equal(known.setting('SECURE_HSTS_SECONDS').kind, 'int', 'never set: Django default');
    const unknown = evaluateSettings('import json, os\nA = 1\nglobals().update(json.loads(os.environ["CONF"]))\nB = 2\n');
    assert.equal(unknown.get('A'), '<unknown>');
    assert.equal(unknown.get('B'), 2);
    assert.equal(unknown.setting('DEBUG').kind, 'unknown');
    // the names come from the environment: its default ("{}") binds none, but a set variable can bind any
    const fromEnv = evaluateSettings(
      'import json, os\nA = 1\nglobals().update(json.loads(os.environ.get("EXTRA", \'{"X": 1}\')))\nB = 2\n',
    );
    assert.equal(fromEnv.get('A'), '<unknown>');
    assert.equal(fromEnv.get('X'), '<unknown>');
    assert.equal(fromEnv.get('B'), 2);
    assert.match(fromEnv.notes('dynamic')[0]!.message, /EXTRA/);
  });

  it('setattr(sys.modules[__name__], …) binds the named setting; with an unknown name, taints', () => {
    const e = evaluateSettings(
      [
        'import sys, os',
        'A = 1',
        'setattr(sys.modules[__name__], "B", 2)',
        'this = sys.modules[__name__]',
        'this.C = 3',
        'KEEP = "k"',
      ].join('\n'),
    );
    assert.deepEqual([e.get('A'), e.get('B'), e.get('C'), e.get('KEEP')], [1, 2, 3, 'k']);
    assert.equal(e.mod.scope.open, undefined);
    const t = evaluateSettings('import sys, os\nA = 1\nsetattr(sys.modules[__name__], os.environ["N"], 2)\n');
    assert.equal(t.get('A'), '<unknown>');
  });

  it('a call the analysis does not follow that is given this module may set anything: somelib.configure(locals())', () => {
    // (django_heroku.settings(locals()) is modelled by what it writes: evaluator-contract.test.ts)
    const e = evaluateSettings(
      'import somelib, logging\nA = 1\nlogger = logging.getLogger(__name__)\nB = 2\nsomelib.configure(locals())\nC = 3\n',
    );
    assert.deepEqual([e.get('A'), e.get('B'), e.get('C')], ['<unknown>', '<unknown>', 3]);
    assert.equal(e.setting('ALLOWED_HOSTS').kind, 'unknown', 'somelib may set ALLOWED_HOSTS');
    assert.match(e.notes('dynamic')[0]!.message, /somelib\.configure\(\) is given this module/);
    assert.equal(e.where(e.notes('dynamic')[0]!.loc), `${S}:5`);
    // logging.getLogger(__name__) is given the module's name, not the module: nothing changes
    const named = evaluateSettings('import logging\nA = 1\nlogger = logging.getLogger(__name__)\n');
    assert.equal(named.get('A'), 1);
    assert.equal(named.mod.scope.open, undefined);
  });

  it("a method of the project's own class given __name__ or globals() may set anything; other calls of it do not", () => {
    const e = evaluateSettings('class Conf:\n    X = 1\nA = 1\nConf.apply(globals())\n');
    assert.equal(e.get('A'), '<unknown>');
    const plain = evaluateSettings('class Conf:\n    X = 1\nA = 1\nB = Conf.value("A")\n');
    assert.equal(plain.get('A'), 1);
    assert.equal(plain.mod.scope.open, undefined);
  });

  it('replacing sys.modules[__name__] makes the module unknown', () => {
    const e = evaluateSettings('import sys\nA = 1\nclass Settings:\n    pass\nsys.modules[__name__] = Settings()\n');
    assert.equal(e.get('A'), '<unknown>');
    assert.equal(e.setting('DEBUG').kind, 'unknown');
  });

  it('django-configurations classes: the settings are their attributes, unknown at module level', () => {
    const e = evaluateSettings(
      [
        'from configurations import Configuration, values',
        'BASE = 1',
        'class Dev(Configuration):',
        '    DEBUG = True',
        'class Prod(Dev):',
        '    DEBUG = False',
        '    SECRET_KEY = values.SecretValue()',
      ].join('\n'),
    );
    // the class named Prod is production (issue 14.2; evaluator-writes.test.ts has the rest)
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.setting('SECRET_KEY').origin, 'env');
    assert.equal(e.get('Prod'), '<user-class>');
    const dev = evaluateSettings(['from configurations import Configuration', 'class Dev(Configuration):', '    DEBUG = True'].join('\n'));
    for (const n of ['DEBUG', 'SECRET_KEY', 'ALLOWED_HOSTS', 'MIDDLEWARE']) assert.equal(dev.setting(n).kind, 'unknown', n);
    assert.match(dev.notes('dynamic')[0]!.message, /django-configurations classes such as Dev/);
    const other = evaluateSettings('class Dev(object):\n    DEBUG = True\n');
    assert.equal(other.mod.scope.open, undefined, 'an ordinary class changes nothing');
  });

  it('django-configurations: a copy of the package the project ships, setup hooks, and the class named as its module', () => {
    // the project ships django-configurations itself (configurations/base.py); the production module
    // defines one class, named as the module; setup() assigns settings from what is not read here
    const configurations = {
      'configurations/__init__.py': 'from .base import Configuration\n',
      'configurations/base.py': 'class Configuration(object):\n    DEBUG = False\n    @classmethod\n    def setup(cls):\n        pass\n',
      'mysite/base.py': [
        'from configurations import Configuration',
        'class Base(Configuration):',
        '    DEBUG = False',
        '    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      ].join('\n'),
    };
    const hetzner = [
      'import os',
      'from .base import Base',
      'class Hetzner(Base):',
      '    SITE = "x"',
      '    @classmethod',
      '    def setup(cls):',
      '        super().setup()',
      '        cls.setup_hosts()',
      '        cls.SECRET_KEY = os.environ["KEY"]',
      '        setattr(cls, "EMAIL_HOST", read_credentials()["host"])',
      '    @classmethod',
      '    def setup_hosts(cls):',
      '        cls.ALLOWED_HOSTS, cls.lower = [os.environ["HOST"]], 1',
      '    def other(self):',
      '        self.CSRF_COOKIE_SECURE = True',
    ].join('\n');
    const e = evaluateFiles({
      ...SKELETON,
      ...configurations,
      'mysite/hetzner.py': hetzner,
      'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.hetzner")\n',
    });
    assert.equal(e.project.production?.module.name, 'mysite.hetzner');
    assert.deepEqual(e.get('MIDDLEWARE'), ['django.middleware.security.SecurityMiddleware'], "the base class's attributes");
    assert.equal(e.get('DEBUG'), false);
    for (const [name, by] of [
      ['SECRET_KEY', 'Hetzner.setup()'],
      ['EMAIL_HOST', 'Hetzner.setup()'],
      ['ALLOWED_HOSTS', 'Hetzner.setup_hosts()'],
    ]) {
      assert.equal(e.setting(name!).kind, 'unknown', name);
      assert.match(
        (e.setting(name!) as { reason?: string }).reason ?? '',
        new RegExp(`${by!.replace(/[().]/g, '\\$&')} sets ${name}`),
        name,
      );
    }
    // a method django-configurations does not call at setup assigns nothing
    assert.notEqual(e.setting('CSRF_COOKIE_SECURE').kind, 'unknown');
    // a class not named as its module is not chosen without DJANGO_CONFIGURATION
    const other = evaluateFiles({
      ...SKELETON,
      ...configurations,
      'mysite/hetzner.py': hetzner.replace('class Hetzner', 'class Server'),
      'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.hetzner")\n',
    });
    assert.equal(other.setting('MIDDLEWARE').kind, 'unknown');
  });

  it('production never runs the test runner or the development server: "test" / "runserver" in sys.argv is False', () => {
    const e = evaluateSettings(
      [
        'import sys',
        'TESTING = "test" in sys.argv',
        'if "runserver" in sys.argv:',
        '    DEBUG = True',
        'else:',
        '    DEBUG = False',
        'NOT_TEST = "pytest" not in sys.argv',
        'WORKER = "worker" in sys.argv',
      ].join('\n'),
    );
    assert.deepEqual([e.get('TESTING'), e.get('DEBUG'), e.get('NOT_TEST'), e.get('WORKER')], [false, false, true, '<unknown>']);
    assert.deepEqual([e.origin('TESTING'), e.at('DEBUG')], ['derived', `${S}:6`]);
  });

  it('production never runs the test runner: a word or a slice of sys.argv equal to one is False', () => {
    const e = evaluateSettings(
      [
        'import sys',
        'TESTING = sys.argv[1:2] == ["test"]',
        'DEV = sys.argv[1] == "runserver"',
        'NOT_TEST = sys.argv[1] != "test"',
        'OTHER = sys.argv[1] == "worker"',
        'if not TESTING:',
        '    SECURE_SSL_REDIRECT = True',
      ].join('\n'),
    );
    assert.deepEqual(
      [e.get('TESTING'), e.get('DEV'), e.get('NOT_TEST'), e.get('OTHER'), e.get('SECURE_SSL_REDIRECT')],
      [false, false, true, '<unknown>', true],
    );
  });

  it('a module that raises when imported: the settings after the raise are unknown, not "never set"', () => {
    const e = evaluateSettings('import sys\nA = 1\n# stop here\nraise RuntimeError("stop")\nSECRET_KEY = "k"\n');
    assert.equal(e.mod.status, 'raised');
    assert.equal(e.get('A'), 1);
    assert.equal(e.setting('SECRET_KEY').kind, 'unknown');
    assert.match(e.mod.scope.open!.reason, /mysite\.settings stops at line 4 \(it raises RuntimeError/);
  });

  it('os.path.exists() / Path.exists() of project files: committed → True, git-ignored → False, elsewhere unknown', () => {
    const e = evaluateSettings(
      [
        'import os',
        'from pathlib import Path',
        'BASE = Path(__file__).resolve().parent.parent',
        'A = os.path.exists(os.path.join(BASE, "manage.py"))',
        'B = (BASE / "mysite" / "local.py").exists()',
        'C = os.path.isfile(BASE / "nope.py")',
        'D = os.path.exists("/etc/passwd")',
      ].join('\n'),
      { '.gitignore': 'mysite/local.py\n', 'mysite/local.py': 'X = 1\n' },
    );
    assert.deepEqual([e.get('A'), e.get('B'), e.get('C'), e.get('D')], [true, false, '<unknown>', '<unknown>']);
  });

  it('a loop over unknown data makes only the names it touches unknown', () => {
    const e = evaluateSettings(
      [
        'import os, json',
        'APPS = ["a"]',
        'UNTOUCHED = ["u"]',
        'LEVEL = "INFO"',
        'for app in json.loads(os.environ["EXTRA_APPS"]):',
        '    APPS.append(app)',
        '    LAST = app',
        'AFTER = 1',
      ].join('\n'),
    );
    // the loop may append any number of items the analysis cannot read; "a" stays certain
    assert.deepEqual(e.get('APPS'), ['a', '<unknown>']);
    assert.equal((e.value('APPS') as { optional?: boolean }).optional, true);
    assert.equal(e.get('LAST'), '<unknown>');
    assert.deepEqual(e.get('UNTOUCHED'), ['u']);
    assert.equal(e.get('LEVEL'), 'INFO');
    assert.equal(e.get('AFTER'), 1);
    assert.equal(e.mod.scope.open, undefined, 'no name outside the loop body may have been bound');
  });

  it('globals()[key.upper()] in a loop over unknown data can only bind upper-case names', () => {
    const e = evaluateSettings(
      [
        'import os, json',
        'A = 1',
        'helper = "lower-case names cannot be bound"',
        'for key, value in json.loads(os.environ["CONF"]).items():',
        '    globals()[key.upper()] = value',
        'B = 2',
        'LOOKUP = os.environ.get("X", "dflt")',
      ].join('\n'),
    );
    assert.equal(e.get('A'), '<unknown>');
    assert.equal(e.get('helper'), 'lower-case names cannot be bound');
    assert.equal(e.get('B'), 2);
    assert.equal(e.get('LOOKUP'), 'dflt', 'os is still the os module');
    assert.equal(e.setting('SECURE_HSTS_SECONDS').kind, 'unknown');
  });

  it('a star-import from outside the workspace makes every name it may bind unknown, keeping what was set before it (issue 14.2)', () => {
    const e = evaluateSettings('A = 1\nfrom company_defaults.settings import *\nB = 2\n');
    assert.equal(e.get('A'), 1);
    assert.equal(e.get('B'), 2);
    assert.equal(e.setting('DEBUG').kind, 'unknown');
    assert.match(e.notes('dynamic')[0]!.message, /company_defaults\.settings/);
  });

  it('while loops, undecidable loops, calls to unknown code and unknown attributes stay unknown', () => {
    const e = evaluateSettings(
      [
        'import os',
        'from somewhere import compute',
        'N = 0',
        'while N < int(os.environ["LIMIT"]):',
        '    N += 1',
        'X = compute()',
        'Y = X.attr',
        'Z = os.environ["A"] + "suffix"',
        'KEEP = 1',
      ].join('\n'),
    );
    assert.equal(e.get('N'), '<unknown>');
    assert.equal(e.get('X'), '<unknown>');
    assert.equal(e.get('Y'), '<unknown>');
    assert.equal(e.get('Z'), '<env:A>', 'computed only from a required variable: still a safe unknown');
    assert.equal(e.get('KEEP'), 1);
  });

  it('records library calls for rules, marking those that may not run', () => {
    const e = evaluateSettings(
      [
        'import os',
        'import sentry_sdk',
        'from sentry_sdk.integrations.django import DjangoIntegration',
        'sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], integrations=[DjangoIntegration()], send_default_pii=True)',
        'if os.environ["SENTRY_ENV"] == "staging":',
        '    sentry_sdk.init(dsn=os.environ["OTHER_DSN"])',
      ].join('\n'),
    );
    const inits = e.mod.calls.filter((c) => c.callee === 'sentry_sdk.init');
    assert.equal(inits.length, 2);
    assert.equal(inits[0]!.conditional, undefined);
    assert.equal(js(inits[0]!.kwargs.get('send_default_pii')), true);
    assert.equal(e.where(inits[0]!.kwargLocs.get('send_default_pii')), `${S}:4`);
    assert.equal(inits[1]!.conditional, true);
  });

  it('stays within budgets: infinite loops, deep recursion and huge expressions end', () => {
    const e = evaluateSettings(
      [
        'def f(n):',
        '    return f(n + 1)',
        'R = f(0)',
        'while True:',
        '    pass',
        `DEEP = ${'('.repeat(300)}1${')'.repeat(300)}`,
        'BIG = list(range(100000))',
        'X = 1',
      ].join('\n'),
    );
    assert.equal(e.get('R'), '<unknown>');
    assert.equal(e.get('X'), 1);
  });

  it('stops at the step budget with a note, leaving the rest unknown', () => {
    const fs = new MemoryFileSystem(
      { ...SKELETON, 'mysite/settings.py': 'A = 1\n' + 'L = [i for i in range(1000)]\n'.repeat(50) + 'Z = 1\n' },
      '/p',
    );
    const ws = new Workspace(fs, ['/p']);
    const project = ws.projects()[0]!;
    const ev = new Evaluator(ws.hostFor(project), { maxSteps: 5000 });
    const mod = ev.evaluate({ name: 'mysite.settings', file: '/p/mysite/settings.py', isPackage: false });
    assert.equal(mod.status, 'budget');
    assert.equal(js(mod.scope.get('A')?.value), 1);
    assert.equal(mod.scope.get('Z'), undefined);
    assert.ok(mod.scope.open);
    assert.ok(mod.notes.some((n) => n.kind === 'budget'));
  });
});
