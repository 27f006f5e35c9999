// Environment semantics (issue 3, part 3): "defaults semantics". A lookup with a default yields the
// default (origin env-default, located where the default is written); a lookup without one is
// required (origin env, kind unknown: a safe unknown). Each library's casting rules, quirks included.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Evaluator } from '../../server/src/analysis/eval/evaluator';
import { partlyKnownUrl } from '../../server/src/analysis/eval/library/environment';
import type { DictValue, Value } from '../../server/src/analysis/eval/values';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { literalPieces } from '../../server/src/analysis/models/process/deploymentVariables';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { SKELETON, evaluateSettings, js } from './evalHarness';

const S = 'mysite/settings.py';

before(async () => {
  await loadParser();
});

function dictItem(v: Value | undefined, ...keys: string[]): Value | undefined {
  let cur = v;
  for (const k of keys) {
    if (cur?.kind !== 'dict') return undefined;
    const d: DictValue = cur;
    const i = d.keys.findIndex((x) => x.kind === 'str' && x.v === k);
    cur = i >= 0 ? d.values[i] : undefined;
  }
  return cur;
}

describe('environment: os.environ and os.getenv', () => {
  it('a lookup with a default yields the default; os.environ[X] is required (a safe unknown); get() without a default is None', () => {
    const e = evaluateSettings(
      [
        'import os',
        'A = os.environ["A"]',
        'B = os.environ.get("B")',
        'C = os.environ.get("C", "c-default")',
        'D = os.getenv("D")',
        'E = os.getenv("E", "e-default")',
        'F = os.environ.setdefault("F", "f-default")',
        'G = os.environ.get(',
        '    "G",',
        '    "on another line",',
        ')',
        'H = os.environ.get(key="H", default="kw")',
      ].join('\n'),
    );
    // os.environ.get(X) and os.getenv(X) return None when X is not set: an environment default
    for (const n of ['B', 'D']) {
      assert.equal(e.value(n)!.kind, 'none', n);
      assert.equal(e.origin(n), 'env-default', n);
      assert.deepEqual(e.envNames(n), [n]);
      assert.equal(e.value(n)!.env![0]!.hasDefault, true);
    }
    for (const n of ['A']) {
      assert.equal(e.value(n)!.kind, 'unknown', n);
      assert.equal(e.origin(n), 'env', n);
      assert.deepEqual(e.envNames(n), [n]);
      assert.equal(e.value(n)!.env![0]!.hasDefault, false);
      assert.equal(e.value(n)!.env![0]!.style, 'os');
    }
    assert.equal(e.at('A'), `${S}:2`);
    for (const [n, v] of [
      ['C', 'c-default'],
      ['E', 'e-default'],
      ['F', 'f-default'],
      ['H', 'kw'],
    ]) {
      assert.equal(e.get(n!), v);
      assert.equal(e.origin(n!), 'env-default', n);
      assert.equal(e.value(n!)!.env![0]!.hasDefault, true);
    }
    assert.equal(e.get('G'), 'on another line');
    assert.equal(e.at('G'), `${S}:10`, 'an env default is located where the default is written');
  });

  it('applies the casts settings modules write: == "True", .lower() == "true", in (...), int(), bool(), split()', () => {
    const e = evaluateSettings(
      [
        'import os',
        'A = os.environ.get("A", "False") == "True"',
        'B = os.getenv("B", "TRUE").lower() == "true"',
        'C = os.environ.get("C", "no").lower() in ("1", "true", "yes")',
        'D = int(os.environ.get("D", "8000"))',
        'E = int(os.getenv("E", 60))',
        'F = bool(os.environ.get("F", ""))',
        'G = bool(os.environ.get("G", "False"))',
        'H = os.environ.get("H", "a.com,b.com").split(",")',
        'I = [h.strip() for h in os.environ.get("I", "x, y").split(",") if h.strip()]',
        'J = os.environ.get("J", "1") == "1"',
        'K = float(os.environ.get("K", "0.5"))',
        'L = int(os.environ["L"])',
        'M = os.environ["M"].lower() == "true"',
        'N = os.environ.get("N", "") or "fallback"',
        'O = os.environ.get("O") or "fallback"',
        'P = int(os.environ.get("P", "not a number"))',
      ].join('\n'),
    );
    assert.deepEqual(
      ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'N', 'O'].map((n) => e.get(n)),
      [false, true, false, 8000, 60, false, true, ['a.com', 'b.com'], ['x', 'y'], true, 0.5, 'fallback', 'fallback'],
    );
    for (const n of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'N', 'O']) assert.equal(e.origin(n), 'env-default', n);
    assert.deepEqual(e.envNames('A'), ['A']);
    assert.equal(e.at('A'), `${S}:2`);
    assert.equal(e.value('L')!.origin, 'env', 'int() of a required value is still required');
    assert.equal(e.value('M')!.origin, 'env');
    assert.equal(e.value('P')!.kind, 'unknown', 'int() of a bad default raises: not guessed');
  });

  it('parses known strings as settings modules do: eval/ast.literal_eval of literals, json.loads, strtobool', () => {
    const e = evaluateSettings(
      [
        'import os, json, ast',
        'from distutils.util import strtobool',
        'A = eval(os.environ.get("A", "False"))',
        'B = ast.literal_eval(os.getenv("B", "[1, 2]"))',
        `C = json.loads(os.environ.get("C", '["a.com", "b.com"]'))`,
        'D = bool(strtobool(os.getenv("D", "yes")))',
        'E = json.loads("not json")',
        'F = eval("__import__(\'os\')")',
        'G = json.loads(os.environ.get("G", \'{"default": {"BACKEND": "x"}}\'))',
      ].join('\n'),
    );
    assert.deepEqual([e.get('A'), e.origin('A'), e.at('A')], [false, 'env-default', `${S}:3`]);
    assert.deepEqual(e.get('B'), [1, 2]);
    assert.deepEqual([e.get('C'), e.origin('C')], [['a.com', 'b.com'], 'env-default']);
    assert.deepEqual([e.get('D'), e.origin('D')], [true, 'env-default']);
    assert.equal(e.get('E'), '<unknown>', 'json.loads of invalid JSON raises: not guessed');
    assert.equal(e.get('F'), '<unknown>', 'eval of code is never run');
    assert.deepEqual(e.get('G'), { default: { BACKEND: 'x' } });
  });

  it('"X" in os.environ is False under defaults semantics', () => {
    const e = evaluateSettings(
      [
        'import os',
        'IN = "SENTRY_DSN" in os.environ',
        'NOT_IN = "SENTRY_DSN" not in os.environ',
        'if "USE_S3" in os.environ:',
        '    STORAGE = "s3"',
        'else:',
        '    STORAGE = "local"',
        'K = os.environ["SK"] if "SK" in os.environ else "dev-key"',
        'if "SECRET_KEY" in os.environ:',
        '    SECRET_KEY = os.environ["SECRET_KEY"]',
        'else:',
        '    SECRET_KEY = "dev-only"',
      ].join('\n'),
    );
    assert.equal(e.get('IN'), false);
    assert.equal(e.origin('IN'), 'env-default');
    assert.equal(e.get('NOT_IN'), true);
    assert.equal(e.get('STORAGE'), 'local');
    assert.equal(e.origin('STORAGE'), 'literal', 'chosen by USE_S3, but not its default');
    assert.equal(e.at('STORAGE'), `${S}:7`);
    assert.equal(e.get('K'), 'dev-key');
    assert.equal(e.origin('K'), 'env-default', 'the fallback of a lookup written as a conditional expression');
    assert.deepEqual(e.envNames('K'), ['SK']);
    assert.equal(e.get('SECRET_KEY'), 'dev-only');
    assert.equal(e.origin('SECRET_KEY'), 'env-default', 'the fallback of a lookup written as if/else');
    assert.deepEqual(e.envNames('SECRET_KEY'), ['SECRET_KEY']);
    assert.equal(e.at('SECRET_KEY'), `${S}:12`);
  });

  it('try/except around a required lookup: a fallback is the default, a re-raise makes it required', () => {
    const e = evaluateSettings(
      [
        'import os',
        'from django.core.exceptions import ImproperlyConfigured',
        'try:',
        '    SECRET_KEY = os.environ["SECRET_KEY"]',
        'except KeyError:',
        '    SECRET_KEY = "dev-key"',
        'try:',
        '    API = os.environ["API"]',
        'except KeyError as exc:',
        '    raise ImproperlyConfigured("Set API") from exc',
        'try:',
        '    OTHER = os.environ["OTHER"]',
        'except Exception:',
        '    import sys',
        '    sys.exit("OTHER is required")',
        'AFTER = 1',
      ].join('\n'),
    );
    assert.equal(e.get('SECRET_KEY'), 'dev-key');
    assert.equal(e.origin('SECRET_KEY'), 'env-default');
    assert.deepEqual(e.envNames('SECRET_KEY'), ['SECRET_KEY']);
    assert.equal(e.at('SECRET_KEY'), `${S}:6`);
    assert.equal(e.get('API'), '<env:API>');
    assert.equal(e.get('OTHER'), '<env:OTHER>');
    assert.equal(e.get('AFTER'), 1);
    assert.equal(e.mod.status, 'done');
    assert.deepEqual(e.notes(), []);
  });

  it('a variable the code refuses to run without is required: its default no longer applies', () => {
    const e = evaluateSettings(
      [
        'import os',
        'from django.core.exceptions import ImproperlyConfigured',
        'SECRET_KEY = os.environ.get("SECRET_KEY", "")',
        'if not SECRET_KEY:',
        '    raise ImproperlyConfigured("SECRET_KEY is required")',
        'if "DATABASE_URL" not in os.environ:',
        '    raise ImproperlyConfigured("DATABASE_URL is required")',
        'DB = os.environ.get("DATABASE_URL", "sqlite:///dev.db")',
        'assert os.environ.get("API_TOKEN", ""), "API_TOKEN is required"',
        'TOKEN = os.environ.get("API_TOKEN", "")',
        'DEBUG = os.environ.get("DEBUG", "False") == "True"',
      ].join('\n'),
    );
    assert.equal(e.get('SECRET_KEY'), '<env:SECRET_KEY>');
    assert.equal(e.get('DB'), '<env:DATABASE_URL>');
    assert.equal(e.get('TOKEN'), '<env:API_TOKEN>');
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.mod.status, 'done');
  });

  it('a branch only the environment takes, reading the variable it tests, binds what the environment gives', () => {
    const e = evaluateSettings(
      [
        'import os',
        'env = os.environ.copy()',
        'for key, value in os.environ.items():',
        '    if key.startswith("SITE_"):',
        '        env[key[5:]] = value',
        'if "SECRET_KEY" in env:',
        '    SECRET_KEY = env["SECRET_KEY"]',
        'HOSTS = ["localhost"]',
        'if "HOSTS" in env:',
        '    HOSTS = env["HOSTS"].split(",")',
        'MIDDLEWARE = ["a.A"]',
        'if "CSP_DEFAULT_SRC" in env:',
        '    MIDDLEWARE.append("csp.middleware.CSPMiddleware")',
        'if os.environ.get("STAGE") == "prod":',
        '    PROD_ONLY = True',
        'if "EMAIL_HOST" in os.environ:',
        '    NOT_READ = True',
        'if os.environ.get("ADMINS"):',
        '    ADMINS = [os.environ["ADMINS"]]',
      ].join('\n'),
    );
    // set by the environment when it has the variable (without it Django's default: fails closed)
    assert.equal(e.value('SECRET_KEY')?.kind, 'unknown');
    assert.equal(e.origin('SECRET_KEY'), 'env');
    assert.deepEqual(e.envNames('SECRET_KEY'), ['SECRET_KEY']);
    assert.equal(e.value('SECRET_KEY')?.env?.[0]?.hasDefault, true, 'not required: the settings start without it');
    // …down to the items of a container
    const admins = e.value('ADMINS');
    assert.ok(admins?.kind === 'list' && admins.items[0]?.env?.[0]?.hasDefault === true, JSON.stringify(admins));
    // a literal bound before is that variable's default
    assert.deepEqual(e.get('HOSTS'), ['localhost']);
    assert.equal(e.origin('HOSTS'), 'env-default');
    assert.deepEqual(e.envNames('HOSTS'), ['HOSTS']);
    // an item the branch adds is optional, not absent
    const mw = e.value('MIDDLEWARE');
    assert.ok(mw?.kind === 'list', JSON.stringify(mw));
    assert.equal(mw.items.length, 2, JSON.stringify(mw));
    assert.equal(mw.items[1]?.kind === 'unknown' && mw.items[1].maybeAbsent, true);
    // a branch that does not read the variable it tests is left to the defaults
    assert.equal(e.value('PROD_ONLY'), undefined);
    assert.equal(e.value('NOT_READ'), undefined);
  });

  it("an assignment expression in the condition tests presence as the lookup does; a container read from the variable is the environment's", () => {
    const e = evaluateSettings(
      [
        'import os',
        'env = os.environ.copy()',
        'if hosts := os.environ.get("HOSTS"):',
        '    HOSTS = hosts.split(",")',
        'if admins := env.get("ADMINS"):',
        '    ADMINS = admins.split(",")',
        'if (mode := os.environ.get("MODE")) == "strict":',
        '    STRICT = ["x"]',
        'MAILERS = {}',
        'if os.getenv("MAIL_HOST"):',
        '    MAILERS = {"default": {"OPTIONS": {"host": os.getenv("MAIL_HOST")}}}',
        'BACKEND = "console"',
        'if os.environ.get("TOKEN", "") != "":',
        '    BACKEND = "provider"',
        'if os.environ.get("HOST") is not None:',
        '    BACKEND = "smtp"',
        'SENDER = "console"',
        'if os.getenv("PROVIDER_KEY", ""):',
        '    SENDER = "provider"',
        'if os.environ.get("FLAVOUR", "") == "x":',
        '    FLAVOURED = "yes"',
        'ENGINE = "sqlite"',
        'if os.environ.get("ENGINE_NAME") in ["mysql", "mariadb"]:',
        '    ENGINE = "mysql"',
        'if "CSP_SRC" in env:',
        '    policy = {"default-src": env.get("CSP_SRC").split(",")}',
        '    if env.get("CSP_REPORT_ONLY", "false") == "true":',
        '        CSP_REPORT = policy',
        '    else:',
        '        CSP_POLICY = policy',
      ].join('\n'),
    );
    // bound from the variable when the deployment sets it (not "never set")
    assert.deepEqual(e.envNames('HOSTS'), ['HOSTS']);
    assert.deepEqual(e.envNames('ADMINS'), ['ADMINS']);
    // a test of the value, not of presence, is left to the defaults
    assert.equal(e.value('STRICT'), undefined);
    // a literal dict bound before is the default of the variable the branch's dict reads, down its items
    assert.deepEqual(e.get('MAILERS'), {});
    assert.equal(e.origin('MAILERS'), 'env-default');
    assert.deepEqual(e.envNames('MAILERS'), ['MAIL_HOST']);
    // a literal replaced on a presence test (`!= ""`, `is not None`) is the fallback of those variables
    assert.equal(e.get('BACKEND'), 'console');
    assert.equal(e.origin('BACKEND'), 'env-default');
    assert.deepEqual(e.envNames('BACKEND'), ['TOKEN', 'HOST']);
    // so is one replaced when a lookup defaulting to "" is true (`if os.getenv("X", ""):`)
    assert.equal(e.origin('SENDER'), 'env-default');
    assert.deepEqual(e.envNames('SENDER'), ['PROVIDER_KEY']);
    // a test of a value is not one of presence: left to the defaults (a value among literals too)
    assert.equal(e.value('FLAVOURED'), undefined);
    assert.equal(e.origin('ENGINE'), 'literal');
    // a policy built from the variable, in the branch a nested default selects
    assert.ok(e.value('CSP_POLICY') !== undefined, "CSP_POLICY is the environment's");
    assert.equal(e.value('CSP_REPORT'), undefined);
  });

  it('a branch an environment default selects is taken; its literals stay literals', () => {
    const e = evaluateSettings(
      [
        'import os',
        'ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")',
        'if ENVIRONMENT == "production":',
        '    DEBUG = False',
        'else:',
        '    DEBUG = True',
        'try:',
        '    TOKEN = os.environ["TOKEN"]',
        'except KeyError:',
        '    TOKEN = "dev-token"',
        '    UNRELATED = True',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), true);
    assert.equal(e.origin('DEBUG'), 'literal');
    assert.equal(e.at('DEBUG'), `${S}:6`);
    assert.equal(e.origin('TOKEN'), 'env-default');
    assert.equal(e.origin('UNRELATED'), 'literal', 'not what the failed lookup would have bound');
  });

  it('os.environ.setdefault() and os.environ[...] = … put values in the environment that later lookups read', () => {
    const e = evaluateSettings(
      [
        'import os',
        'import environ',
        'from decouple import config',
        'os.environ.setdefault("DJANGO_ENV", "production")',
        'ENV = os.environ["DJANGO_ENV"]',
        'ENV2 = os.environ.get("DJANGO_ENV", "development")',
        'os.environ["FEATURE"] = "on"',
        'FEATURE = os.environ["FEATURE"]',
        'os.environ.setdefault("DEBUG", "False")',
        'env = environ.Env()',
        'DEBUG = env.bool("DEBUG", default=True)',
        'D2 = config("DEBUG", default=True, cast=bool)',
        'HAS = "FEATURE" in os.environ',
        'os.environ.update({"A": "1"})',
        'A = int(os.environ["A"])',
      ].join('\n'),
    );
    assert.deepEqual([e.get('ENV'), e.origin('ENV'), e.at('ENV')], ['production', 'env-default', `${S}:4`]);
    assert.deepEqual(e.envNames('ENV'), ['DJANGO_ENV']);
    assert.equal(e.get('ENV2'), 'production');
    assert.deepEqual([e.get('FEATURE'), e.origin('FEATURE'), e.at('FEATURE')], ['on', 'literal', `${S}:7`]);
    assert.equal(e.get('DEBUG'), false, 'django-environ parses what is in the environment');
    assert.equal(e.origin('DEBUG'), 'env-default');
    assert.equal(e.get('D2'), false);
    assert.equal(e.get('HAS'), true);
    assert.equal(e.get('A'), 1);
  });

  it('an unknown fallback after `or` keeps what is known of it (a generated key)', () => {
    const e = evaluateSettings(
      'import os\nfrom django.core.management.utils import get_random_secret_key\nSECRET_KEY = os.environ.get("SECRET_KEY") or get_random_secret_key()\n',
    );
    assert.equal(e.value('SECRET_KEY')!.kind, 'unknown');
    assert.equal((e.value('SECRET_KEY') as { producedBy?: string }).producedBy, 'generated');
    assert.deepEqual(e.envNames('SECRET_KEY'), ['SECRET_KEY']);
  });

  it('values made of the whole os.environ stay recognisable (printing them leaks every secret)', () => {
    const e = evaluateSettings(
      [
        'import os, json, logging',
        'from pprint import pprint',
        'print(dict(os.environ))',
        'print({**os.environ})',
        'pprint(dict(os.environ))',
        'logging.info(os.environ.items())',
        'print(f"{os.environ}")',
        'print(str(os.environ)); print(repr(os.environ)); print(json.dumps(dict(os.environ)))',
        'print("env: %s" % os.environ)',
        'print("env: {}".format(dict(os.environ)))',
        'print(os.environ.copy())',
        'print(os.environ.keys())',
        'print(os.environ.get("HOME", "x"))',
      ].join('\n'),
    );
    const whole = e.mod.calls.map((c) =>
      c.args.some((a) => (a.kind === 'object' ? a.tag === 'os.environ' : a.kind === 'unknown' && a.producedBy === 'environ')),
    );
    assert.deepEqual(whole, [true, true, true, true, true, true, true, true, true, true, true, false, false]);
  });

  it('an environment variable with an unknown name is unknown, not required', () => {
    const e = evaluateSettings('import os\nPREFIX = open("p").read()\nX = os.environ.get(PREFIX + "_KEY", "d")\nY = os.environ[PREFIX]\n');
    assert.equal(e.origin('X'), 'unknown');
    assert.equal(e.origin('Y'), 'unknown');
  });
});

describe('environment: django-environ', () => {
  const header = ['import environ', 'env = environ.Env('];

  it('env() and its typed methods: required without default; the default UNCAST unless parse_default=True', () => {
    const e = evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        'environ.Env.read_env()',
        'SECRET_KEY = env("DJANGO_SECRET_KEY")',
        'S = env.str("S")',
        'B = env.bool("B")',
        'D1 = env.bool("DJANGO_DEBUG", default="False")',
        'D2 = env.bool("D2", default=False)',
        'D3 = env.bool("D3", default="False", parse_default=True)',
        'D4 = env.bool("D4", "yes")',
        'I1 = env.int("I1", default="10")',
        'I2 = env.int("I2", default=10)',
        'I3 = env.int("I3", default="10", parse_default=True)',
        'F = env.float("F", default=0.5)',
        'L1 = env.list("L1", default=["a.com"])',
        'L2 = env.list("L2", default="a.com,b.com")',
        'L3 = env.list("L3", default="a.com,b.com", parse_default=True)',
        'T = env.tuple("T", default=("x",))',
        'C1 = env("C1", cast=bool, default="True")',
        'C2 = env("C2", default="d")',
        'P = env.path("P", default="/srv/media")',
        'U = env.url("U", default="https://example.com")',
        'J = env.json("J", default={"a": 1})',
        'REQ_LIST = env.list("REQ_LIST")',
      ].join('\n'),
    );
    assert.equal(e.get('SECRET_KEY'), '<env:DJANGO_SECRET_KEY>');
    assert.equal(e.value('SECRET_KEY')!.env![0]!.style, 'environ');
    assert.equal(e.get('S'), '<env:S>');
    assert.equal(e.get('B'), '<env:B>');
    assert.equal((e.value('B') as { type?: string }).type, 'bool');
    // the quirk: the default comes back exactly as written
    assert.equal(e.get('D1'), 'False');
    assert.equal(e.value('D1')!.kind, 'str');
    assert.equal(e.origin('D1'), 'env-default');
    assert.equal(e.at('D1'), `${S}:7`);
    assert.equal(e.get('D2'), false);
    assert.equal(e.get('D3'), false, 'parse_default=True casts the default');
    assert.equal(e.value('D3')!.kind, 'bool');
    assert.equal(e.get('D4'), 'yes');
    assert.equal(e.get('I1'), '10');
    assert.equal(e.get('I2'), 10);
    assert.equal(e.get('I3'), 10);
    assert.equal(e.get('F'), 0.5);
    assert.deepEqual(e.get('L1'), ['a.com']);
    assert.equal(e.get('L2'), 'a.com,b.com');
    assert.deepEqual(e.get('L3'), ['a.com', 'b.com']);
    assert.deepEqual(e.get('T'), ['x']);
    assert.equal(e.get('C1'), 'True');
    assert.equal(e.get('C2'), 'd');
    assert.equal(e.get('P'), '/srv/media');
    assert.equal(e.get('U'), 'https://example.com');
    assert.deepEqual(e.get('J'), { a: 1 });
    assert.equal(e.get('REQ_LIST'), '<env:REQ_LIST>');
    assert.equal((e.value('REQ_LIST') as { type?: string }).type, 'list');
  });

  it("parse_default casts with django-environ's truthy strings", () => {
    const vals = ['true', 'on', 'ok', 'y', 'yes', '1', 'True', ' YES ', '0', 'false', 'no', 'nope', '', '2'];
    const e = evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        ...vals.map((v, i) => `B${i} = env.bool("B${i}", default=${JSON.stringify(v)}, parse_default=True)`),
      ].join('\n'),
    );
    assert.deepEqual(
      vals.map((_, i) => e.get(`B${i}`)),
      [true, true, true, true, true, true, true, true, false, false, false, false, false, true],
    );
  });

  it('Env(VAR=(type, default)) schemes: their defaults apply to later plain env("VAR"), located at the scheme', () => {
    const e = evaluateSettings(
      [
        ...header,
        '    DEBUG=(bool, False),',
        '    ALLOWED_HOSTS=(list, ["example.com"]),',
        '    PORT=(int, 8000),',
        '    TIMEOUT=(int,),',
        '    NAME=str,',
        ')',
        'DEBUG = env("DEBUG")',
        'ALLOWED_HOSTS = env("ALLOWED_HOSTS")',
        'PORT = env("PORT")',
        'TIMEOUT = env("TIMEOUT")',
        'NAME = env("NAME")',
        'OVERRIDE = env("DEBUG", default=True)',
        'TYPED = env.bool("DEBUG")',
      ].join('\n'),
    );
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.origin('DEBUG'), 'env-default');
    assert.equal(e.at('DEBUG'), `${S}:3`, 'the default is written in the scheme');
    assert.deepEqual(e.envNames('DEBUG'), ['DEBUG']);
    assert.deepEqual(e.get('ALLOWED_HOSTS'), ['example.com']);
    assert.equal(e.at('ALLOWED_HOSTS'), `${S}:4`);
    assert.equal(e.get('PORT'), 8000);
    assert.equal(e.get('TIMEOUT'), '<env:TIMEOUT>', 'a scheme without a default makes the variable required');
    assert.equal((e.value('TIMEOUT') as { type?: string }).type, 'int');
    assert.equal(e.get('NAME'), '<env:NAME>');
    assert.equal(e.get('OVERRIDE'), true, 'an explicit default wins over the scheme');
    assert.equal(e.get('TYPED'), false);
  });

  it('env.db/db_url, env.cache/cache_url and env.email/email_url parse URLs into settings dicts', () => {
    const e = evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        'DATABASES = {"default": env.db()}',
        'DB2 = env.db("DB2_URL", default="postgres://user:pw@db.example.com:5432/app?conn_max_age=600&sslmode=require")',
        'DB3 = env.db_url("DB3", default="sqlite:///db.sqlite3")',
        'CACHES = {"default": env.cache(default="redis://localhost:6379/1")}',
        'C2 = env.cache_url("C2", default="locmemcache://")',
        'C3 = env.cache()',
        'EMAIL = env.email(default="smtp://user:secret@mail.example.com:587")',
        'EMAIL2 = env.email_url("EMAIL2_URL", default="consolemail://")',
      ].join('\n'),
    );
    const db = e.value('DATABASES');
    assert.equal(dictItem(db, 'default')!.origin, 'env');
    assert.deepEqual(
      dictItem(db, 'default')!.env!.map((x) => x.name),
      ['DATABASE_URL'],
    );
    assert.equal(js(dictItem(db, 'default', 'ENGINE')), '<env:DATABASE_URL>');
    assert.deepEqual(e.get('DB2'), {
      ENGINE: 'django.db.backends.postgresql',
      NAME: 'app',
      USER: 'user',
      PASSWORD: 'pw',
      HOST: 'db.example.com',
      PORT: 5432,
      CONN_MAX_AGE: 600,
      CONN_HEALTH_CHECKS: false,
      OPTIONS: { sslmode: 'require' },
    });
    assert.equal(e.origin('DB2'), 'env-default');
    assert.equal(dictItem(e.value('DB2'), 'HOST')!.origin, 'env-default');
    assert.equal(e.where(dictItem(e.value('DB2'), 'HOST')!.loc), `${S}:4`);
    assert.equal((e.get('DB3') as { NAME: string; ENGINE: string }).NAME, 'db.sqlite3');
    assert.equal((e.get('DB3') as { NAME: string; ENGINE: string }).ENGINE, 'django.db.backends.sqlite3');
    assert.deepEqual(js(dictItem(e.value('CACHES'), 'default')), {
      BACKEND: 'django.core.cache.backends.redis.RedisCache',
      LOCATION: 'redis://localhost:6379/1',
    });
    assert.equal((e.get('C2') as { BACKEND: string }).BACKEND, 'django.core.cache.backends.locmem.LocMemCache');
    assert.equal(e.value('C3')!.origin, 'env');
    assert.deepEqual(e.envNames('C3'), ['CACHE_URL']);
    assert.equal((e.get('EMAIL') as { EMAIL_BACKEND: string }).EMAIL_BACKEND, 'django.core.mail.backends.smtp.EmailBackend');
    assert.equal((e.get('EMAIL') as { EMAIL_HOST: string }).EMAIL_HOST, 'mail.example.com');
    assert.equal((e.get('EMAIL2') as { EMAIL_BACKEND: string }).EMAIL_BACKEND, 'django.core.mail.backends.console.EmailBackend');
  });

  it('a required django-environ lookup inside try/except ImproperlyConfigured takes the handler as the default', () => {
    const e = evaluateSettings(
      [
        'import environ',
        'from django.core.exceptions import ImproperlyConfigured',
        'env = environ.Env()',
        'try:',
        '    SECRET_KEY = env("SECRET_KEY")',
        'except ImproperlyConfigured:',
        '    SECRET_KEY = "fallback"',
      ].join('\n'),
    );
    assert.equal(e.get('SECRET_KEY'), 'fallback');
    assert.equal(e.origin('SECRET_KEY'), 'env-default');
  });

  it('environ.Path and FileAwareEnv', () => {
    const e = evaluateSettings(
      'import environ\nROOT = environ.Path(__file__) - 2\nenv = environ.FileAwareEnv()\nK = env("K", default="k")\n',
    );
    assert.equal(e.get('K'), 'k');
  });
});

describe('environment: python-decouple', () => {
  it('config(name) is required; config(name, default=, cast=) casts the default too', () => {
    const e = evaluateSettings(
      [
        'from decouple import config, Csv, Choices',
        'SECRET_KEY = config("SECRET_KEY")',
        'DEBUG = config("DEBUG", default=False, cast=bool)',
        'D2 = config("D2", default="False", cast=bool)',
        'D3 = config("D3", default="on", cast=bool)',
        'D4 = config("D4", default="maybe", cast=bool)',
        'D5 = config("D5", default="", cast=bool)',
        'PORT = config("PORT", default="8000", cast=int)',
        'HOSTS = config("HOSTS", default="a.com, b.com,,c.com", cast=Csv())',
        'TUP = config("TUP", default="x;y", cast=Csv(delimiter=";", post_process=tuple))',
        'INTS = config("INTS", default="1,2", cast=Csv(int))',
        'SAMESITE = config("SAMESITE", default="Lax", cast=Choices(["Lax", "Strict", "None"]))',
        'BADCHOICE = config("BADCHOICE", default="Loose", cast=Choices(["Lax", "Strict"]))',
        'PLAIN = config("PLAIN", default="x")',
        'REQ_BOOL = config("REQ_BOOL", cast=bool)',
        'REQ_CSV = config("REQ_CSV", cast=Csv())',
        'KW = config(option="KW", default=1, cast=str)',
      ].join('\n'),
    );
    assert.equal(e.get('SECRET_KEY'), '<env:SECRET_KEY>');
    assert.equal(e.value('SECRET_KEY')!.env![0]!.style, 'decouple');
    assert.equal(e.get('DEBUG'), false);
    assert.equal(e.origin('DEBUG'), 'env-default');
    assert.equal(e.at('DEBUG'), `${S}:3`);
    assert.equal(e.get('D2'), false, 'decouple casts the default: "False" → False');
    assert.equal(e.value('D2')!.kind, 'bool');
    assert.equal(e.get('D3'), true);
    assert.equal(e.value('D4')!.kind, 'unknown', 'decouple raises ValueError on "maybe"');
    assert.equal(e.get('D5'), false);
    assert.equal(e.get('PORT'), 8000);
    assert.deepEqual(e.get('HOSTS'), ['a.com', 'b.com', 'c.com']);
    assert.equal(e.origin('HOSTS'), 'env-default');
    assert.deepEqual(e.get('TUP'), ['x', 'y']);
    assert.equal(e.value('TUP')!.kind, 'tuple');
    assert.deepEqual(e.get('INTS'), [1, 2]);
    assert.equal(e.get('SAMESITE'), 'Lax');
    assert.equal(e.value('BADCHOICE')!.kind, 'unknown');
    assert.equal(e.get('PLAIN'), 'x');
    assert.equal(e.get('REQ_BOOL'), '<env:REQ_BOOL>');
    assert.equal((e.value('REQ_BOOL') as { type?: string }).type, 'bool');
    assert.equal((e.value('REQ_CSV') as { type?: string }).type, 'list');
    assert.equal(e.get('KW'), '1');
  });

  it('AutoConfig and Config instances behave as config()', () => {
    const e = evaluateSettings(
      'from decouple import AutoConfig\nconfig = AutoConfig(search_path="/srv")\nX = config("X", default="1", cast=int)\nY = config("Y")\n',
    );
    assert.equal(e.get('X'), 1);
    assert.equal(e.get('Y'), '<env:Y>');
  });

  it('a required config() inside try/except UndefinedValueError takes the handler as the default', () => {
    const e = evaluateSettings(
      'from decouple import config, UndefinedValueError\ntry:\n    K = config("K")\nexcept UndefinedValueError:\n    K = "dev"\n',
    );
    assert.equal(e.get('K'), 'dev');
    assert.equal(e.origin('K'), 'env-default');
  });
});

describe('environment: dj-database-url', () => {
  it('config() without default is required; with a default URL, its parts are env defaults', () => {
    const e = evaluateSettings(
      [
        'import dj_database_url',
        'DATABASES = {"default": dj_database_url.config()}',
        'D2 = dj_database_url.config(default="postgres://u:p@db:5432/app", conn_max_age=600, conn_health_checks=True, ssl_require=True)',
        'D3 = dj_database_url.config("OTHER_URL", default="mysql://root@localhost/x")',
        'D4 = dj_database_url.config(env="D4_URL", conn_max_age=60)',
      ].join('\n'),
    );
    const def = dictItem(e.value('DATABASES'), 'default');
    assert.equal(def!.origin, 'env');
    assert.deepEqual(
      def!.env!.map((x) => x.name),
      ['DATABASE_URL'],
    );
    assert.equal(def!.env![0]!.style, 'dj-database-url');
    assert.equal(js(dictItem(def, 'CONN_MAX_AGE')), 0);
    assert.equal(dictItem(def, 'CONN_MAX_AGE')!.origin, 'default');
    assert.deepEqual(e.get('D2'), {
      ENGINE: 'django.db.backends.postgresql',
      NAME: 'app',
      USER: 'u',
      PASSWORD: 'p',
      HOST: 'db',
      PORT: 5432,
      CONN_MAX_AGE: 600,
      CONN_HEALTH_CHECKS: true,
      OPTIONS: { sslmode: 'require' },
    });
    assert.equal(e.origin('D2'), 'env-default');
    assert.equal(dictItem(e.value('D2'), 'CONN_MAX_AGE')!.origin, 'literal');
    assert.equal(e.where(dictItem(e.value('D2'), 'CONN_MAX_AGE')!.loc), `${S}:3`);
    assert.equal((e.get('D3') as { ENGINE: string }).ENGINE, 'django.db.backends.mysql');
    assert.deepEqual(e.envNames('D3'), ['OTHER_URL']);
    assert.equal(js(dictItem(e.value('D4'), 'CONN_MAX_AGE')), 60);
    assert.deepEqual(e.envNames('D4'), ['D4_URL']);
  });

  it('decouple config("DATABASE_URL", cast=dj_database_url.parse): a DATABASES entry of required parts', () => {
    const e = evaluateSettings(
      'import dj_database_url\nfrom decouple import config\nDATABASES = {"default": config("DATABASE_URL", cast=dj_database_url.parse)}\nDATABASES["default"]["CONN_MAX_AGE"] = 600\n',
    );
    const db = (e.value('DATABASES') as DictValue).values[0] as DictValue;
    assert.equal(db.kind, 'dict');
    const get = (k: string): Value => db.values[db.keys.findIndex((x) => x.kind === 'str' && x.v === k)]!;
    assert.deepEqual([get('PASSWORD').origin, js(get('CONN_MAX_AGE'))], ['env', 600]);
    assert.deepEqual(e.envNames('DATABASES'), []);
    assert.deepEqual(
      (get('ENGINE').env ?? []).map((x) => x.name),
      ['DATABASE_URL'],
    );
  });

  it('parse() of a required variable is required; of a literal URL, derived from it', () => {
    const e = evaluateSettings(
      [
        'import os',
        'import dj_database_url',
        'D1 = dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)',
        'D2 = dj_database_url.parse("sqlite:///db.sqlite3")',
        'D3 = dj_database_url.parse("sqlite:////srv/data/db.sqlite3")',
        'D4 = dj_database_url.parse("sqlite://:memory:")',
        'D5 = dj_database_url.parse(os.environ.get("DATABASE_URL", "postgres://localhost/dev"), ssl_require=True)',
        'D6 = dj_database_url.parse("postgres://h/db?connect_timeout=10&sslmode=verify-full")',
      ].join('\n'),
    );
    assert.equal(e.origin('D1'), 'env');
    assert.equal(js(dictItem(e.value('D1'), 'CONN_MAX_AGE')), 600);
    assert.equal((e.get('D2') as { NAME: string }).NAME, 'db.sqlite3');
    assert.equal(dictItem(e.value('D2'), 'NAME')!.origin, 'derived');
    assert.equal((e.get('D3') as { NAME: string }).NAME, '/srv/data/db.sqlite3');
    assert.equal((e.get('D4') as { NAME: string }).NAME, ':memory:');
    assert.equal(e.origin('D5'), 'env-default');
    assert.deepEqual((e.get('D5') as { OPTIONS: object }).OPTIONS, { sslmode: 'require' });
    assert.deepEqual((e.get('D6') as { OPTIONS: object }).OPTIONS, { connect_timeout: 10, sslmode: 'verify-full' });
  });
});

describe('environment: what the repository cannot show decides a branch (issue 54)', () => {
  it('a deployment value known in part: its literal pieces decide the URL scheme (the engine) and startswith, the parts filled in stay unknown', () => {
    // the pieces a deployment file's value is written with: ${X}, $X, $(X), {{ }}, compose's $$
    assert.deepEqual(literalPieces('mysql://${DB_USER}:${DB_PASS}@db:3306/app'), ['mysql://', null, ':', null, '@db:3306/app']);
    assert.deepEqual(literalPieces('postgresql://$(DB_USER):$(DB_PASS)@db/app'), ['postgresql://', null, ':', null, '@db/app']);
    assert.deepEqual(literalPieces('postgres://$${USER}@db/app'), ['postgres://', null, '@db/app']);
    assert.deepEqual(literalPieces('${DATABASE_URL}'), undefined);
    assert.deepEqual(literalPieces('no expansion'), undefined);
    // the URL: what the literal text decides
    const u = partlyKnownUrl(['mysql://', null, ':', null, '@db:3306/app']);
    assert.deepEqual(
      [u?.url.scheme, u?.url.host, u?.url.port, u?.url.path, [...(u?.unknown ?? [])]],
      ['mysql', 'db', '3306', '/app', ['user', 'password']],
    );
    assert.deepEqual([...(partlyKnownUrl(['postgres://shop:', null, '@db/app'])?.unknown ?? [])], ['password']);
    assert.deepEqual(
      [...(partlyKnownUrl(['postgres://', null, '@', null, ':5432/app'])?.unknown ?? [])],
      ['user', 'password', 'host', 'port'],
    );
    assert.deepEqual([...(partlyKnownUrl(['sqlite:///', null, '/db.sqlite3'])?.unknown ?? [])], ['path']);
    assert.equal(partlyKnownUrl([null, '://db/app']), undefined);
    assert.equal(partlyKnownUrl(['post', null, '://db/app']), undefined);

    const src = [
      'import os',
      'import dj_database_url',
      'import environ',
      'env = environ.Env()',
      'D1 = env.db("APP_DB_URL", default="sqlite:///db.sqlite3")',
      'D2 = dj_database_url.config("APP_DB_URL", default="sqlite:///db.sqlite3")',
      'IS_SQLITE = os.environ.get("APP_DB_URL", "").startswith("sqlite")',
      'IS_MYSQL = os.environ.get("APP_DB_URL", "").startswith(("postgres", "mysql"))',
      'IS_MY = os.environ.get("APP_DB_URL", "").startswith("mysql://root")',
      'ENDS = os.environ["APP_DB_URL"].endswith("/app")',
      'SET = bool(os.environ.get("APP_DB_URL"))',
    ].join('\n');
    const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': src }, '/p'), ['/p']);
    const evaluate = (knownText: (string | null)[]) => {
      const ev = new Evaluator(ws.hostFor(ws.projects({})[0]!), { environment: new Map([['APP_DB_URL', { knownText }]]) });
      return ev.evaluate({ name: 'mysite.settings', file: '/p/mysite/settings.py', isPackage: false }).scope;
    };
    const scope = evaluate(['mysql://', null, ':', null, '@db:3306/app']);
    for (const name of ['D1', 'D2']) {
      const db = scope.get(name)?.value;
      assert.equal(js(dictItem(db, 'ENGINE')), 'django.db.backends.mysql', name);
      assert.deepEqual([js(dictItem(db, 'HOST')), js(dictItem(db, 'PORT')), js(dictItem(db, 'NAME'))], ['db', 3306, 'app'], name);
      // the credentials are filled in where it runs: unknown, never the default's nor invented
      assert.deepEqual([dictItem(db, 'USER')?.kind, dictItem(db, 'PASSWORD')?.kind], ['unknown', 'unknown'], name);
    }
    assert.deepEqual(
      ['IS_SQLITE', 'IS_MYSQL', 'IS_MY', 'ENDS', 'SET'].map((n) => js(scope.get(n)?.value)),
      [false, true, '<env:APP_DB_URL>', true, true],
    );
    // a SQLite URL whose path is filled in: SQLite, its NAME unknown
    const sqlite = evaluate(['sqlite:///', null, '/db.sqlite3']);
    assert.equal(js(dictItem(sqlite.get('D1')?.value, 'ENGINE')), 'django.db.backends.sqlite3');
    assert.equal(dictItem(sqlite.get('D1')?.value, 'NAME')?.kind, 'unknown');
    assert.equal(js(sqlite.get('IS_SQLITE')?.value), true);
  });

  it('a variable the system sets where the app runs (HOSTNAME, HOME, USER) is unknown, never its default; a deployment file that sets it gives its value', () => {
    const src = [
      'import os',
      'IS_AWS = "ec2" in os.environ.get("HOSTNAME", "")',
      'if IS_AWS:',
      '    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/c"}}',
      'LOG_DIR = os.getenv("HOME", "/tmp") + "/logs"',
      'HAS_USER = "USER" in os.environ',
      'OTHER = os.environ.get("APP_HOSTNAME", "")',
    ].join('\n');
    const e = evaluateSettings(src);
    const caches = e.setting('CACHES');
    assert.equal(caches.kind, 'unknown');
    assert.match(caches.kind === 'unknown' ? caches.reason : '', /`IS_AWS`: HOSTNAME is set where the app runs/);
    assert.equal(e.get('LOG_DIR'), '<unknown>');
    assert.equal(e.get('HAS_USER'), '<unknown>');
    // (any other variable keeps defaults semantics)
    assert.equal(e.get('OTHER'), '');
    const d = evaluateSettings(
      src,
      {
        'docker-compose.yml':
          'services:\n  web:\n    build: .\n    command: gunicorn mysite.wsgi\n    environment:\n      HOSTNAME: web-ec2-1\n',
      },
      { deployment: true },
    );
    assert.equal(d.setting('CACHES').kind, 'dict');
  });

  it('a flag read from the environment, false by default, tested for truth: what its branch rebinds is as written unless the flag is set', () => {
    for (const cond of ['env("USE_AWS_SES", default=False)', 'env.bool("USE_AWS_SES", default=False)', 'os.environ.get("USE_AWS_SES")']) {
      const e = evaluateSettings(
        [
          'import os',
          'import environ',
          'env = environ.Env()',
          'EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"',
          'INSTALLED_APPS = ["django.contrib.admin"]',
          `if ${cond}:`,
          '    EMAIL_BACKEND = "django_ses.SESBackend"',
        ].join('\n'),
      );
      const q = e.settings.query('EMAIL_BACKEND');
      assert.equal(q.state, 'overridable', cond);
      assert.deepEqual(q.state === 'overridable' ? q.overriddenBy.map((o) => o.name) : [], ['USE_AWS_SES'], cond);
      assert.equal(e.get('EMAIL_BACKEND'), 'django.core.mail.backends.console.EmailBackend', cond);
    }
    // a name holding a value cast from the environment (`if DEBUG:`) is a choice, not a presence: left to the defaults
    const n = evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        'DEBUG = env.bool("DEBUG", default=False)',
        'X_FRAME_OPTIONS = "DENY"',
        'if DEBUG:',
        '    X_FRAME_OPTIONS = "SAMEORIGIN"',
      ].join('\n'),
    );
    assert.equal(n.settings.query('X_FRAME_OPTIONS').state, 'known');
  });

  it('a default branch that imports a module production does not have, and raises without it: the deployment sets the variable', () => {
    const settings = [
      'import logging, os',
      'DEPLOYMENT_TYPE = os.environ.get("DEPLOYMENT_TYPE", "LOCAL")',
      'LOCAL = DEPLOYMENT_TYPE == "LOCAL"',
      'DEBUG = LOCAL',
      'if LOCAL:',
      '    try:',
      '        from mysite.local_settings import *',
      '    except ImportError:',
      '        logging.error("local_settings.py is needed to run locally")',
      '        raise',
      'elif DEPLOYMENT_TYPE == "PRODUCTION":',
      '    ALLOWED_HOSTS = ["www.example.com"]',
    ].join('\n');
    const template = { 'mysite/local_settings_template.py': 'DEBUG = True\nALLOWED_HOSTS = ["*"]\n' };
    const e = evaluateSettings(settings, template);
    assert.equal(e.settings.query('DEBUG').state, 'supplied');
    assert.notEqual(e.get('ALLOWED_HOSTS'), ['*']);
    assert.deepEqual(
      e.notes('dynamic').filter((n) => /local_settings/.test(n.message)),
      [],
    );
    // unguarded, the same
    const u = evaluateSettings(settings.replace(/ {4}try:\n {8}(from .*)\n {4}except ImportError:\n.*\n.*raise/, '    $1'), template);
    assert.equal(u.settings.query('DEBUG').state, 'supplied');
    // a handler that goes on without it, or the module committed: the default branch may run in production
    const pass = evaluateSettings(settings.replace('        raise', '        pass'), template);
    assert.equal(pass.get('DEBUG'), true);
    const committed = evaluateSettings(settings, { 'mysite/local_settings.py': 'ALLOWED_HOSTS = ["*"]\n' });
    assert.equal(committed.get('DEBUG'), true);
    assert.deepEqual(committed.get('ALLOWED_HOSTS'), ['*']);
  });
});
