// Random settings packages for the differential test against CPython (pydiff.test.ts): seeded and
// reproducible (test/helpers/random.ts), composing the constructs real settings use — star-import
// chains across files (and django-split-settings' include), environment reads through os.environ /
// os.getenv, django-environ, python-decouple and dj-database-url with and without defaults and
// casts, os.environ written by the settings, list and dict edits (and aliases of them), if / try /
// for, small helpers (in the module and in a helpers module), f-strings, %-formatting, pathlib and
// os.path, class-based settings, globals() writes and del.
//
// Every program runs without error in an environment holding its `env` (the given environment),
// and, unless it reads a required variable, in an empty one too. Names are typed as they are bound,
// so that an expression only uses a name of the type it needs, and only names bound on every path.
import { pick, rng } from '../helpers/random';

export interface Program {
  readonly seed: number;
  /** Files by path relative to the project's root. */
  readonly files: Record<string, string>;
  /** The production module (dotted). */
  readonly module: string;
  /** The given environment: a value for every variable a required read needs, and some of the others. */
  readonly env: Record<string, string>;
}

type Ty = 'str' | 'int' | 'bool' | 'list' | 'dict' | 'path' | 'float' | 'tuple' | 'set';
const TYPES: readonly Ty[] = ['str', 'int', 'bool', 'list', 'dict', 'path', 'float', 'tuple', 'set'];
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'prod', 'app', 'db', 'web', 'cache', 'static', 'media', 'mail'];
const DB_URLS = ['postgres://user:pw@db.example.com:5432/app', 'sqlite:////tmp/pydiff.sqlite3', 'mysql://root:secret@localhost:3306/shop'];

export class Generator {
  private readonly r: () => number;
  private envN = 0;
  private nameN = 0;
  readonly env: Record<string, string> = {};
  /** Names bound on every path so far (module level), with their types. */
  scope = new Map<string, Ty>();
  private helpers = false;
  private readonly usesSplit: boolean;

  constructor(readonly seed: number) {
    this.r = rng(seed);
    this.usesSplit = this.chance(0.15);
  }

  private chance(p: number): boolean {
    return this.r() < p;
  }
  private int(n: number): number {
    return Math.floor(this.r() * n);
  }
  private word(): string {
    return pick(this.r, WORDS);
  }
  /**
   * Names that may hold a database dict of dj-database-url or django-environ (or something made from
   * one): their key order differs between Debian's old versions and today's releases, so code whose
   * result depends on that order (list(d), str(d), iteration) does not read them.
   */
  private readonly dbNames = new Set<string>();
  private noDb = 0;

  private orderSensitive<T>(fn: () => T): T {
    this.noDb++;
    try {
      return fn();
    } finally {
      this.noDb--;
    }
  }

  private refOf(t: Ty): string | undefined {
    const names = [...this.scope].filter(([n, ty]) => ty === t && !(this.noDb > 0 && this.dbNames.has(n))).map(([n]) => n);
    return names.length ? pick(this.r, names) : undefined;
  }

  /** A new environment variable; `given` is its value in the given environment (set with probability p). */
  private envVar(given: string, p = 0.5): string {
    const name = `PYDIFF_${this.seed % 1000}_${this.envN++}`;
    if (this.chance(p)) this.env[name] = given;
    return name;
  }
  private required(given: string): string {
    const name = `PYDIFF_${this.seed % 1000}_${this.envN++}`;
    this.env[name] = given;
    return name;
  }

  private quote(s: string): string {
    return `'${s}'`;
  }

  expr(t: Ty, depth = 0): string {
    const leaf = depth >= 3 || this.chance(0.3);
    if (leaf) {
      const ref = this.chance(0.5) ? this.refOf(t) : undefined;
      if (ref) return ref;
      return this.literal(t);
    }
    // a compound expression is always parenthesised, whatever operator surrounds it
    return `(${this.compound(t, depth + 1)})`;
  }

  private compound(t: Ty, d: number): string {
    // the second batch of constructs (string methods and formats, builtins, comprehensions…) a third of the time
    if (this.chance(0.35)) {
      const more = this.more(t, d);
      if (more !== undefined) return more;
    }
    switch (t) {
      case 'tuple':
        return this.tupleExpr(d);
      case 'set':
        return this.setExpr(d);
      case 'str':
        return this.strExpr(d);
      case 'int':
        return this.intExpr(d);
      case 'bool':
        return this.boolExpr(d);
      case 'list':
        return this.listExpr(d);
      case 'dict':
        return this.dictExpr(d);
      case 'path':
        return this.pathExpr(d);
      case 'float':
        return this.floatExpr(d);
    }
  }

  literal(t: Ty): string {
    switch (t) {
      case 'str':
        return this.quote(`${this.word()}${this.chance(0.3) ? `-${this.int(100)}` : ''}`);
      case 'int':
        return String(this.int(1000));
      case 'bool':
        return this.chance(0.5) ? 'True' : 'False';
      case 'list':
        return `[${Array.from({ length: this.int(4) }, () => this.quote(this.word())).join(', ')}]`;
      case 'dict':
        return `{${Array.from({ length: 1 + this.int(3) }, (_, i) => `'K${i}': ${this.literal(pick(this.r, ['str', 'int', 'bool'] as const))}`).join(', ')}}`;
      case 'path':
        return pick(this.r, ['Path(__file__).resolve().parent.parent', "Path('/srv/app')", 'Path(__file__).parent']);
      case 'float':
        return pick(this.r, ['0.5', '1.0', '0.25', '2.5', '1e-3', '100.0']);
      case 'tuple':
        return `(${Array.from({ length: this.int(3) }, () => `${this.quote(this.word())}, `).join('')})`.replace(', )', ',)');
      case 'set':
        return this.chance(0.2) ? 'set()' : `{${Array.from({ length: 1 + this.int(3) }, () => this.quote(this.word())).join(', ')}}`;
    }
  }

  private tupleExpr(d: number): string {
    switch (this.int(4)) {
      case 0:
        return `tuple(${this.expr('list', d)})`;
      case 1:
        return `${this.expr('tuple', d)} + (${this.quote(this.word())},)`;
      case 2:
        return `(${this.expr('str', d)}, ${this.quote(this.word())})`;
      default:
        return `tuple(sorted(${this.expr('tuple', d)}))`;
    }
  }

  private setExpr(d: number): string {
    switch (this.int(4)) {
      case 0:
        return `set(${this.expr('list', d)})`;
      case 1:
        return `${this.expr('set', d)} | {${this.quote(this.word())}}`;
      case 2:
        return `${this.expr('set', d)} - {${this.quote(this.word())}}`;
      default:
        return `{s.lower() for s in ${this.expr('list', d)}}`;
    }
  }

  /** More constructs of each type; undefined when the pick needs a name of a type not bound. */
  private more(t: Ty, d: number): string | undefined {
    const w = this.quote(this.word());
    const n = this.int(40);
    switch (t) {
      case 'str':
        return pick(this.r, [
          () => `${this.expr('str', d)}.rstrip('/')`,
          () => `${this.expr('str', d)}.split('-')[0]`,
          () => `${this.expr('str', d)}.partition('-')[2]`,
          () => `'%d items' % ${this.expr('int', d)}`,
          () => `'%.2f' % ${this.expr('float', d)}`,
          () => `'%5s|%-4s' % (${this.expr('str', d)}, ${w})`,
          () => `'{:>8}'.format(${this.expr('str', d)})`,
          () => `'{0}:{1}'.format(${this.expr('str', d)}, ${this.expr('int', d)})`,
          () => `'{k}={v}'.format(k=${w}, v=${this.expr('bool', d)})`,
          () => (this.refOf('int') ? `f"{${this.refOf('int')}:04d}"` : `f"{${n}:>5}"`),
          () => (this.refOf('float') ? `f"{${this.refOf('float')}:.2f}"` : `f"{${n}:x}"`),
          () => (this.refOf('str') ? `f"{${this.refOf('str')}!r}"` : `f"{${w}!r}"`),
          () => (this.refOf('list') ? `f"{${this.refOf('list')}}"` : `f"{${n}}"`),
          () =>
            this.orderSensitive(
              () => `str(${this.expr(pick(this.r, ['int', 'bool', 'float', 'list', 'dict', 'tuple', 'path'] as const), d)})`,
            ),
          () => `repr(${this.expr(pick(this.r, ['str', 'int', 'float', 'list', 'tuple'] as const), d)})`,
          () => `${this.expr('str', d)}.zfill(6)`,
          () => `${this.expr('str', d)}.center(11, '*')`,
          () =>
            `${this.expr('str', d)}.${pick(this.r, ['swapcase()', 'capitalize()', 'casefold()', "lstrip('ae')", "removeprefix('al')", "removesuffix('ta')", 'expandtabs()'])}`,
          () => `${this.expr('str', d)}[::-1]`,
          () => `${this.expr('str', d)}[-3:]`,
          () => `${this.expr('str', d)}[${this.int(5)}:${this.int(9)}:2]`,
          () => this.orderSensitive(() => `'-'.join(sorted(${this.expr('dict', d)}))`),
          () => `os.path.splitext(${this.expr('str', d)})[0]`,
          () => `os.path.normpath(${this.expr('str', d)})`,
          () => `os.path.dirname(${this.expr('str', d)})`,
          () => `${this.expr('str', d)}.ljust(9, '.')`,
          () => `(os.environ.get('${this.envVar(`${this.word()}-env`)}') or ${w})`,
          () => `${this.expr('path', d)}.name`,
          () => `${this.expr('path', d)}.suffix`,
          () => `${this.expr('path', d)}.as_posix()`,
          () => `(lambda s: s.upper() + ${w})(${this.expr('str', d)})`,
          () => `${w}.join(${this.expr('tuple', d)})`,
          () => `${this.expr('str', d)} * ${this.int(3)}`,
          () => `${this.expr('str', d)}.replace('a', '', 1)`,
          () => {
            const e = this.expr('str', d);
            return `${e}.strip().split()[0] if ${e}.split() else ${w}`;
          },
        ])();
      case 'int':
        return pick(this.r, [
          () => `int(${this.expr('bool', d)})`,
          () => `sum([${this.expr('int', d)}, ${this.expr('int', d)}])`,
          () => `abs(${this.expr('int', d)} - 500)`,
          () => `min(${this.expr('int', d)}, ${n})`,
          () => `${this.expr('int', d)} % 7`,
          () => `-${this.expr('int', d)}`,
          () => `${this.expr('int', d)} ** 2`,
          () => this.orderSensitive(() => `len(${this.expr(pick(this.r, ['dict', 'tuple', 'set'] as const), d)})`),
          () => `int(${this.expr('float', d)})`,
          () => `${this.expr('int', d)} << 2`,
          () => `${this.expr('int', d)} & 0xff`,
          () => `True + ${n}`,
          () => `sum(1 for s in ${this.expr('list', d)} if s)`,
          () => `len(range(${this.expr('int', d)} % 10))`,
          () => `int('0x1f', 16)`,
          () => `${this.expr('str', d)}.count('a')`,
          () => `${this.expr('str', d)}.find('e')`,
          () => `divmod(${this.expr('int', d)}, 7)[0]`,
          () => `int(str(${this.expr('int', d)})[:2] or '0')`,
          () => `${this.expr('int', d)} // -3`,
          () => `-${this.expr('int', d)} % 5`,
          () => `round(${this.expr('float', d)})`,
        ])();
      case 'bool':
        return pick(this.r, [
          () => `${n} < ${this.expr('int', d)} < 500`,
          () => `all(s for s in ${this.expr('list', d)})`,
          () => `any(s.startswith('a') for s in ${this.expr('list', d)})`,
          () => `isinstance(${this.expr(pick(this.r, TYPES), d)}, str)`,
          () => `isinstance(${this.expr(pick(this.r, ['int', 'bool'] as const), d)}, int)`,
          () => `not ${this.expr('list', d)}`,
          () => `${this.expr('list', d)} == []`,
          () => this.orderSensitive(() => `${w} in ${this.expr('dict', d)}`),
          () => this.orderSensitive(() => `${this.expr('dict', d)}.get('K0') is None`),
          () => `${this.expr('str', d)}.isdigit()`,
          () => `${this.expr('str', d)}.islower()`,
          () => `bool(${this.expr(pick(this.r, ['int', 'list', 'dict', 'float', 'set', 'tuple'] as const), d)})`,
          () => `${this.expr('float', d)} >= 0.5`,
          () => `${this.expr('tuple', d)} == (${w},)`,
          () => `${this.expr('set', d)} <= {${w}, 'alpha'}`,
          () => `${this.expr('str', d)} < ${w}`,
          () => `${this.expr('list', d)} < [${w}]`,
          () => `os.environ.get('${this.envVar(this.word())}') is None`,
          () => `${this.expr('int', d)} != ${this.expr('float', d)}`,
          () => `${this.expr('bool', d)} is True`,
          () => `${this.expr('path', d)}.is_absolute()`,
        ])();
      case 'list':
        return pick(this.r, [
          () => `${this.expr('list', d)} * 2`,
          () => `[str(i) for i in range(${this.int(4)})]`,
          () => `list(dict.fromkeys(${this.expr('list', d)}))`,
          () => this.orderSensitive(() => `list(${this.expr('dict', d)})`),
          () => `[f"{s}-x" for s in ${this.expr('list', d)}]`,
          () => `${this.expr('list', d)}[::-1]`,
          () => `${this.expr('list', d)}[1:]`,
          () => `list(map(str.lower, ${this.expr('list', d)}))`,
          () => `list(filter(None, ${this.expr('list', d)}))`,
          () => `sorted(set(${this.expr('list', d)}))`,
          () => `sorted(${this.expr('set', d)})`,
          () => `sorted(${this.expr('list', d)}, key=len, reverse=True)`,
          () => `[*${this.expr('list', d)}, *${this.expr('tuple', d)}]`,
          () => `list(${this.expr('tuple', d)})`,
          () => `${this.expr('str', d)}.splitlines()`,
          () => `[a + b for a in ${this.expr('list', d)} for b in ('1', '2')]`,
          () => `[s for s in ${this.expr('list', d)} if len(s) > 3][:2]`,
          () => `${this.expr('str', d)}.rsplit('a', 1)`,
          () => this.orderSensitive(() => `list(${this.expr('dict', d)}.keys())`),
          () => this.orderSensitive(() => `[k for k, v in ${this.expr('dict', d)}.items() if v]`),
        ])();
      case 'dict':
        return pick(this.r, [
          () => `${this.expr('dict', d)}.copy()`,
          () => `dict(zip(${this.expr('list', d)}, ${this.expr('list', d)}))`,
          () => `{s: len(s) for s in ${this.expr('list', d)}}`,
          () => `dict.fromkeys(${this.expr('list', d)}, ${this.expr('int', d)})`,
          // which keys the second overrides depends on a database dict's key set
          () => this.orderSensitive(() => `{**${this.expr('dict', d)}, **${this.expr('dict', d)}}`),
          () => `dict(${this.expr('dict', d)}, **{'K7': ${this.expr('str', d)}})`,
          () => `dict(sorted(${this.expr('dict', d)}.items()))`,
          () => `{'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ${this.expr('path', d)} / 'db.sqlite3'}}`,
          () => `{str(i): s for i, s in enumerate(${this.expr('list', d)})}`,
          () => `{k.upper(): v for k, v in ${this.expr('dict', d)}.items()}`,
        ])();
      default:
        return undefined;
    }
  }

  private strExpr(d: number): string {
    const w = this.word();
    switch (this.int(20)) {
      case 0:
        // (no f-string inside an f-string: the same quotes nest only from Python 3.12)
        return `f"{${this.refOf(pick(this.r, ['str', 'int'] as const)) ?? this.literal('int')}}-${w}"`;
      case 1:
        return `${this.expr('str', d)} + ${this.quote(w)}`;
      case 2:
        return `${this.expr('str', d)}.${pick(this.r, ['upper()', 'lower()', 'strip()', "replace('a', 'o')", 'title()'])}`;
      case 3:
        return `os.environ.get('${this.envVar(`${w}-env`)}', ${this.quote(w)})`;
      case 4:
        return `os.getenv('${this.envVar(`${w}-env`)}', ${this.quote(w)})`;
      case 5:
        return `env.str('${this.envVar(`${w}-env`)}', default=${this.quote(w)})`;
      case 6:
        return `env('${this.envVar(`${w}-env`)}', default=${this.quote(w)})`;
      case 7:
        return `config('${this.envVar(`${w}-env`)}', default=${this.quote(w)})`;
      case 8:
        return `','.join(${this.expr('list', d)})`;
      case 9:
        return `str(${this.expr('path', d)})`;
      case 10:
        return `'{}-{}'.format(${this.expr('str', d)}, ${this.expr('int', d)})`;
      case 11:
        return `'%s/%s' % (${this.expr('str', d)}, ${this.expr('str', d)})`;
      case 12:
        return `(${this.expr('str', d)} if ${this.expr('bool', d)} else ${this.expr('str', d)})`;
      case 13:
        if (this.helpers) return `get_var('${this.envVar(`${w}-env`)}', ${this.quote(w)})`;
        return `os.path.join(${this.expr('str', d)}, ${this.quote(w)})`;
      case 14:
        return `os.path.join(${this.expr('str', d)}, ${this.quote(w)})`;
      case 15:
        return `${this.expr('str', d)}[1:4]`;
      case 16:
        return this.chance(0.3) ? `os.environ['${this.required(`${w}-req`)}']` : `os.environ.get('${this.envVar(`${w}-env`)}', '')`;
      case 17:
        return `os.path.basename(${this.expr('str', d)})`;
      case 18:
        return `${this.quote(w)} * 2`;
      default:
        return `${this.quote(w)}.join([${this.expr('str', d)}, ${this.expr('str', d)}])`;
    }
  }

  private intExpr(d: number): string {
    const n = this.int(100);
    switch (this.int(12)) {
      case 0:
        return `${this.expr('int', d)} + ${this.expr('int', d)}`;
      case 1:
        return `${this.expr('int', d)} * ${n}`;
      case 2:
        return `len(${this.expr('list', d)})`;
      case 3:
        return `int(os.environ.get('${this.envVar(String(n + 7))}', '${n}'))`;
      case 4:
        return `env.int('${this.envVar(String(n + 7))}', default=${n})`;
      case 5:
        return `config('${this.envVar(String(n + 7))}', default=${n}, cast=int)`;
      case 6:
        return `60 * 60 * 24 * ${n}`;
      case 7:
        return `max(${this.expr('int', d)}, ${n})`;
      case 8:
        return `(${this.expr('int', d)} if ${this.expr('bool', d)} else ${n})`;
      case 9:
        return `${this.expr('int', d)} // ${1 + (n % 7)}`;
      case 10:
        return `int(${this.quote(String(n))})`;
      default:
        return `len(${this.expr('str', d)})`;
    }
  }

  private boolValue(): string {
    return pick(this.r, ['true', 'false', '1', '0', 'yes', 'on', 'off', 'True', 'FALSE']);
  }

  private boolExpr(d: number): string {
    switch (this.int(15)) {
      case 0:
        return `not ${this.expr('bool', d)}`;
      case 1:
        return `${this.expr('bool', d)} and ${this.expr('bool', d)}`;
      case 2:
        return `(${this.expr('bool', d)} or ${this.expr('bool', d)})`;
      case 3:
        return `${this.expr('str', d)} == ${this.quote(this.word())}`;
      case 4:
        return `${this.expr('int', d)} > ${this.int(100)}`;
      case 5:
        return `${this.quote(this.word())} in ${this.expr('list', d)}`;
      case 6:
        return `os.environ.get('${this.envVar(this.boolValue())}', '${this.boolValue()}').lower() in ('1', 'true', 'yes')`;
      case 7:
        return `env.bool('${this.envVar(this.boolValue())}', default=${this.literal('bool')})`;
      case 8:
        return `config('${this.envVar(this.boolValue())}', default=${this.literal('bool')}, cast=bool)`;
      case 9:
        return `os.getenv('${this.envVar(this.word())}') is not None`;
      case 10:
        return `'${this.envVar(this.word())}' in os.environ`;
      case 11:
        return `bool(${this.expr('str', d)})`;
      case 12:
        if (this.helpers) return `as_bool(get_var('${this.envVar(this.boolValue())}', ${this.literal('bool')}))`;
        return `${this.expr('str', d)}.startswith(${this.quote(this.word().slice(0, 2))})`;
      case 13:
        return `${this.expr('str', d)}.startswith(${this.quote(this.word().slice(0, 2))})`;
      default:
        return `${this.expr('int', d)} == ${this.expr('int', d)}`;
    }
  }

  private listExpr(d: number): string {
    const w = this.word();
    switch (this.int(13)) {
      case 0:
        return `${this.expr('list', d)} + [${this.quote(w)}]`;
      case 1:
        return `[s.upper() for s in ${this.expr('list', d)}]`;
      case 2:
        return `[s for s in ${this.expr('list', d)} if s != ${this.quote(w)}]`;
      case 3:
        return `env.list('${this.envVar('a,b,c')}', default=[${this.quote(w)}])`;
      case 4:
        return `config('${this.envVar('x, y')}', default='${w},${this.word()}', cast=Csv())`;
      case 5:
        return `os.environ.get('${this.envVar('h1,h2')}', '${w},${this.word()}').split(',')`;
      case 6:
        return `sorted(${this.expr('list', d)})`;
      case 7:
        return `${this.expr('list', d)}[:2]`;
      case 8:
        return `list((${this.quote(w)}, ${this.expr('str', d)}))`;
      case 9:
        return `[${this.expr('str', d)}, ${this.expr('str', d)}]`;
      case 10:
        return `${this.expr('str', d)}.split('-')`;
      case 11:
        if (this.helpers) return `host_list('${this.envVar('a.example.com, b.example.com')}', '${w}.example.com')`;
        return `list(reversed(${this.expr('list', d)}))`;
      default:
        return `[*${this.expr('list', d)}, ${this.quote(w)}]`;
    }
  }

  private dictExpr(d: number): string {
    switch (this.int(9)) {
      case 0:
        return `{'A': ${this.expr('str', d)}, 'B': ${this.expr('int', d)}, 'C': ${this.expr('list', d)}}`;
      case 1:
        return `dict(${this.expr('dict', d)}, extra=${this.expr('bool', d)})`;
      case 2:
        return `{**${this.expr('dict', d)}, 'K9': ${this.expr('str', d)}}`;
      case 3:
        if (this.noDb > 0) return this.literal('dict');
        return `dj_database_url.parse('${pick(this.r, DB_URLS)}')`;
      case 4:
        if (this.noDb > 0) return this.literal('dict');
        return `env.db('${this.envVar(pick(this.r, DB_URLS))}', default='${pick(this.r, DB_URLS)}')`;
      case 5:
        return `{'default': ${this.expr('dict', d)}}`;
      case 6:
        return `{k: v for k, v in ${this.expr('dict', d)}.items()}`;
      case 7:
        return `dict(K1=${this.expr('str', d)}, K2=${this.expr('int', d)})`;
      default:
        return `{'NAME': ${this.expr('str', d)}, 'OPTIONS': {'timeout': ${this.expr('int', d)}}}`;
    }
  }

  private pathExpr(d: number): string {
    switch (this.int(4)) {
      case 0:
        return `${this.expr('path', d)} / ${this.quote(this.word())}`;
      case 1:
        return `${this.expr('path', d)}.parent`;
      case 2:
        return `Path(${this.expr('str', d)})`;
      default:
        return `${this.expr('path', d)}.joinpath(${this.quote(this.word())}, ${this.quote(this.word())})`;
    }
  }

  private floatExpr(d: number): string {
    switch (this.int(6)) {
      case 0:
        return `float(os.environ.get('${this.envVar('0.75')}', '0.5'))`;
      case 1:
        return `env.float('${this.envVar('0.75')}', default=0.5)`;
      case 2:
        return `config('${this.envVar('0.75')}', default=0.5, cast=float)`;
      case 3:
        return `${this.expr('int', d)} / 4`;
      case 4:
        return `${this.expr('float', d)} * 2`;
      default:
        return `round(${this.expr('float', d)}, 1)`;
    }
  }

  private newName(): string {
    return `SETTING_${this.nameN++}`;
  }

  /** An existing setting or a new one (of any type). */
  private target(): { name: string; t: Ty } {
    if (this.scope.size > 0 && this.chance(0.3)) {
      const settings = [...this.scope].filter(([n]) => /^[A-Z]/.test(n));
      if (settings.length > 0) {
        const [name, t] = pick(this.r, settings);
        return { name, t: this.chance(0.8) ? t : pick(this.r, TYPES) };
      }
    }
    return { name: this.newName(), t: pick(this.r, TYPES) };
  }

  /** Statements at an indentation, binding names into the scope. */
  statements(count: number, indent = ''): string[] {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(...this.statement(indent));
    return out;
  }

  private statement(ind: string): string[] {
    const lines = this.statementLines(ind);
    // what a statement binds or edits from a database dict may hold one
    const text = lines.join('\n');
    const fromDb = /env\.db\(|dj_database_url\./.test(text) || [...this.dbNames].some((n) => new RegExp(`\\b${n}\\b`).test(text));
    // every name the statement mentions (bound, edited, or read into something bound)
    if (fromDb) for (const m of text.matchAll(/\b(SETTING_\d+|lower_\d+|Conf\d+|SubConf\d+)\b/g)) this.dbNames.add(m[1]!);
    return lines;
  }

  private statementLines(ind: string): string[] {
    if (this.chance(0.25)) {
      const more = this.moreStatement(ind);
      if (more) return more;
    }
    const k = this.int(22);
    if (k < 7) {
      const { name, t } = this.target();
      const e = this.expr(t);
      this.scope.set(name, t);
      return [`${ind}${name} = ${e}`];
    }
    switch (k) {
      case 7: {
        const l = this.refOf('list');
        if (!l) return this.statement(ind);
        return [this.listEdit(pick(this.r, ['append', 'remove', 'insert0', 'extend', 'iadd'] as const), l, ind)];
      }
      case 8: {
        const dct = this.refOf('dict');
        if (!dct) return this.statement(ind);
        const v = this.expr(pick(this.r, ['str', 'int', 'bool', 'list'] as const));
        return [
          pick(this.r, [
            `${ind}${dct}['K${this.int(5)}'] = ${v}`,
            `${ind}${dct}.update({'K${this.int(5)}': ${v}})`,
            `${ind}${dct}.setdefault('K${this.int(5)}', ${v})`,
            `${ind}${dct}.pop('K${this.int(5)}', None)`,
          ]),
        ];
      }
      case 9: {
        const n = this.refOf('int');
        const s = this.refOf('str');
        if (n && this.chance(0.5)) return [`${ind}${n} += ${this.expr('int')}`];
        if (s) return [`${ind}${s} += ${this.expr('str')}`];
        return this.statement(ind);
      }
      case 10: {
        // if / elif / else binding the same name on every branch
        const { name, t } = this.target();
        const lines = [`${ind}if ${this.expr('bool')}:`, `${ind}    ${name} = ${this.expr(t)}`];
        if (this.chance(0.4)) lines.push(`${ind}elif ${this.expr('bool')}:`, `${ind}    ${name} = ${this.expr(t)}`);
        lines.push(`${ind}else:`, `${ind}    ${name} = ${this.expr(t)}`);
        this.scope.set(name, t);
        return lines;
      }
      case 11: {
        // an if without else that edits what is bound
        const l = this.refOf('list');
        if (!l) return this.statement(ind);
        return [`${ind}if ${this.expr('bool')}:`, `${ind}    ${l} = ${l} + [${this.quote(this.word())}]`];
      }
      case 12: {
        const name = this.newName();
        const given = String(this.int(50));
        this.scope.set(name, 'int');
        return pick(this.r, [
          [
            `${ind}try:`,
            `${ind}    ${name} = int(os.environ['${this.envVar(given)}'])`,
            `${ind}except KeyError:`,
            `${ind}    ${name} = ${this.int(9)}`,
          ],
          [`${ind}try:`, `${ind}    ${name} = {'a': 1}['b']`, `${ind}except KeyError:`, `${ind}    ${name} = ${this.int(9)}`],
          [`${ind}try:`, `${ind}    ${name} = int('x${given}')`, `${ind}except ValueError:`, `${ind}    ${name} = ${given}`],
        ]);
      }
      case 13: {
        const l = this.refOf('list');
        if (!l) return this.statement(ind);
        return [`${ind}for item in [${this.quote(this.word())}, ${this.quote(this.word())}]:`, `${ind}    ${l}.append(item.upper())`];
      }
      case 14: {
        // os.environ written by the settings, then read
        const v = this.envVar(`${this.word()}-given`, 0.3);
        const name = this.newName();
        this.scope.set(name, 'str');
        return [
          this.chance(0.5)
            ? `${ind}os.environ['${v}'] = ${this.quote(this.word())}`
            : `${ind}os.environ.setdefault('${v}', ${this.quote(this.word())})`,
          `${ind}${name} = os.environ.get('${v}', 'unset')`,
        ];
      }
      case 15: {
        // class-based settings: a class with attributes, a subclass overriding one
        const a = this.newName();
        const b = this.newName();
        const ta = pick(this.r, TYPES);
        const tb = pick(this.r, TYPES);
        const cls = `Conf${this.nameN}`;
        const lines = [`${ind}class ${cls}:`, `${ind}    A = ${this.expr(ta)}`, `${ind}    B = ${this.expr(tb)}`];
        const sub = this.chance(0.5);
        if (sub) lines.push(`${ind}class Sub${cls}(${cls}):`, `${ind}    A = ${this.expr(ta)}`);
        lines.push(`${ind}${a} = ${sub ? 'Sub' : ''}${cls}.A`, `${ind}${b} = ${sub ? 'Sub' : ''}${cls}.B`);
        this.scope.set(a, ta);
        this.scope.set(b, tb);
        return lines;
      }
      case 16: {
        // a helper function in the module
        const name = this.newName();
        const fn = `make_${this.nameN}`;
        const arg = this.expr('str');
        this.scope.set(name, 'list');
        return [
          `${ind}def ${fn}(x, suffix=${this.quote(this.word())}):`,
          `${ind}    return [x, x + suffix]`,
          `${ind}${name} = ${fn}(${arg})`,
        ];
      }
      case 17: {
        const name = this.newName();
        const t = pick(this.r, TYPES);
        const e = this.expr(t);
        this.scope.set(name, t);
        return [pick(this.r, [`${ind}globals()['${name}'] = ${e}`, `${ind}globals().update({'${name}': ${e}})`])];
      }
      case 18: {
        // an alias, then an edit through the original
        const l = this.refOf('list');
        if (!l) return this.statement(ind);
        const name = this.newName();
        this.scope.set(name, 'list');
        return [`${ind}${name} = ${l}`, `${ind}${l}.append(${this.quote(this.word())})`];
      }
      case 19: {
        const names = [...this.scope.keys()].filter((n) => n.startsWith('SETTING_'));
        if (names.length < 3) return this.statement(ind);
        const name = pick(this.r, names);
        this.scope.delete(name);
        return [`${ind}del ${name}`];
      }
      case 20: {
        const name = this.newName();
        this.scope.set(name, 'dict');
        return [
          `${ind}${name} = {}`,
          `${ind}for key in (${this.quote(this.word())}, ${this.quote(this.word())}):`,
          `${ind}    ${name}[key] = key.upper()`,
        ];
      }
      default: {
        const name = `lower_${this.nameN++}`;
        const t = pick(this.r, TYPES);
        const e = this.expr(t);
        this.scope.set(name, t);
        return [`${ind}${name} = ${e}`];
      }
    }
  }

  /**
   * The module's own namespace read back (issue 30.4): a helper that returns its upper-case globals,
   * given them through globals() or locals(), then merged back with globals().update() after a
   * change (which it undoes); the names, sorted; how many there are.
   */
  private namespaceStatement(ind: string): string[] {
    const n = this.nameN;
    const keep = this.newName();
    this.scope.set(keep, 'int');
    const lines: string[] = [`${ind}${keep} = ${this.int(9)}`];
    switch (this.int(4)) {
      case 0:
        lines.push(
          `${ind}def settings_of_${n}():`,
          `${ind}    return {k: v for k, v in globals().items() if k.isupper()}`,
          `${ind}_snapshot_${n} = settings_of_${n}()`,
        );
        break;
      case 1:
        lines.push(
          `${ind}def settings_of_${n}(ns):`,
          `${ind}    return {k: ns[k] for k in ns if k == k.upper() and not k.startswith('_')}`,
          `${ind}_snapshot_${n} = settings_of_${n}(${pick(this.r, ['locals()', 'globals()', 'vars()'])})`,
        );
        break;
      case 2:
        lines.push(
          `${ind}def settings_of_${n}():`,
          `${ind}    out = {}`,
          `${ind}    for k, v in globals().items():`,
          `${ind}        if k.isupper():`,
          `${ind}            out[k] = v`,
          `${ind}    return out`,
          `${ind}_snapshot_${n} = settings_of_${n}()`,
        );
        break;
      default: {
        const names = this.newName();
        const count = this.newName();
        this.scope.set(names, 'list');
        this.scope.set(count, 'int');
        return [
          ...lines,
          `${ind}${names} = sorted(k for k in globals() if k.startswith('SETTING_'))`,
          `${ind}${count} = len([k for k in list(globals()) if k.startswith('__')]) + len(dict(globals())) - len(globals().copy())`,
        ];
      }
    }
    // changed after the snapshot, then put back by merging the snapshot into the namespace
    lines.push(`${ind}${keep} = ${keep} + 1`, `${ind}globals().update(_snapshot_${n})`);
    const size = this.newName();
    this.scope.set(size, 'int');
    lines.push(`${ind}${size} = len(_snapshot_${n})`);
    return lines;
  }

  /** More statements; undefined when the pick needs a name of a type not bound. */
  private moreStatement(ind: string): string[] | undefined {
    const l = this.refOf('list');
    const dct = this.refOf('dict');
    const w = this.quote(this.word());
    switch (this.int(17)) {
      case 0:
        return l ? [`${ind}${l}.sort()`] : undefined;
      case 1:
        return l ? [`${ind}${l}.reverse()`] : undefined;
      case 2:
        return l ? [`${ind}if ${l}:`, `${ind}    ${l}.pop()`] : undefined;
      case 3:
        return l ? [`${ind}if ${l}:`, `${ind}    del ${l}[0]`] : undefined;
      case 4:
        return l ? [`${ind}if ${l}:`, `${ind}    ${l}[0] = ${w}`] : undefined;
      case 5:
        return l ? [`${ind}${l}[:] = [s for s in ${l} if s != ${w}]`] : undefined;
      case 6:
        return l ? [`${ind}${l} *= 2`] : undefined;
      case 7:
        return dct ? [`${ind}${dct}.update(K5=${this.expr('str')})`] : undefined;
      case 8: {
        if (!l) return undefined;
        return [`${ind}i = 0`, `${ind}while i < ${1 + this.int(3)}:`, `${ind}    ${l}.append(str(i))`, `${ind}    i += 1`];
      }
      case 9: {
        // a function setting a global
        const name = this.newName();
        const t = pick(this.r, TYPES);
        const e = this.expr(t);
        this.scope.set(name, t);
        return [
          `${ind}def configure_${this.nameN}():`,
          `${ind}    global ${name}`,
          `${ind}    ${name} = ${e}`,
          `${ind}configure_${this.nameN}()`,
        ];
      }
      case 10: {
        // a class with a method and a property
        const name = this.newName();
        const e = this.expr('str');
        this.scope.set(name, 'str');
        return [
          `${ind}class Site${this.nameN}:`,
          `${ind}    host = ${e}`,
          `${ind}    def url(self, path='/'):`,
          `${ind}        return 'https://' + self.host + path`,
          `${ind}    @property`,
          `${ind}    def name(self):`,
          `${ind}        return self.host.upper()`,
          `${ind}${name} = Site${this.nameN}().url(${w}) + Site${this.nameN}().name`,
        ];
      }
      case 11: {
        // try / except / else / finally
        const name = this.newName();
        const a = this.expr('int');
        this.scope.set(name, 'list');
        return [
          `${ind}${name} = []`,
          `${ind}try:`,
          `${ind}    ${name}.append(str(int(${this.quote(String(this.int(9)))}) + ${a}))`,
          `${ind}except ValueError:`,
          `${ind}    ${name}.append('bad')`,
          `${ind}else:`,
          `${ind}    ${name}.append('ok')`,
          `${ind}finally:`,
          `${ind}    ${name}.append('done')`,
        ];
      }
      case 12: {
        // for with break / continue / else
        const name = this.newName();
        const src = this.orderSensitive(() => this.expr('list'));
        this.scope.set(name, 'str');
        return [
          `${ind}${name} = 'none'`,
          `${ind}for s in ${src}:`,
          `${ind}    if s.startswith('a'):`,
          `${ind}        continue`,
          `${ind}    if len(s) > 4:`,
          `${ind}        ${name} = s`,
          `${ind}        break`,
          `${ind}else:`,
          `${ind}    ${name} = 'exhausted'`,
        ];
      }
      case 13: {
        // a value set from None by a test
        const name = this.newName();
        this.scope.set(name, 'str');
        return [
          `${ind}${name} = os.environ.get('${this.envVar(`${this.word()}-env`)}', None)`,
          `${ind}if ${name} is None:`,
          `${ind}    ${name} = ${w}`,
        ];
      }
      case 14: {
        // a database dict edited in place
        const name = this.newName();
        const dbName = this.expr('str');
        const age = this.expr('int');
        this.scope.set(name, 'dict');
        return [
          `${ind}${name} = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': ${dbName}}}`,
          `${ind}${name}['default']['CONN_MAX_AGE'] = ${age}`,
          `${ind}${name}['default'].setdefault('OPTIONS', {})['sslmode'] = 'require'`,
        ];
      }
      case 15:
        return this.namespaceStatement(ind);
      default: {
        // a walrus in a condition
        if (!l) return undefined;
        const name = this.newName();
        this.scope.set(name, 'int');
        return [`${ind}${name} = 0`, `${ind}if (n := len(${l})) > 1:`, `${ind}    ${name} = n`];
      }
    }
  }

  private listEdit(kind: string, l: string, ind: string): string {
    const w = this.quote(this.word());
    switch (kind) {
      case 'append':
        return `${ind}${l}.append(${this.expr('str')})`;
      case 'insert0':
        return `${ind}${l}.insert(0, ${w})`;
      case 'extend':
        return `${ind}${l}.extend([${w}, ${this.expr('str')}])`;
      case 'iadd':
        return `${ind}${l} += [${w}]`;
      default:
        return `${ind}if ${w} in ${l}:\n${ind}    ${l}.remove(${w})`;
    }
  }

  header(helpers: boolean): string[] {
    const lines = [
      'import os',
      'from pathlib import Path',
      '',
      'import dj_database_url',
      'import environ',
      'from decouple import Csv, config',
      '',
    ];
    if (helpers) lines.push('from .helpers import as_bool, get_var, host_list');
    lines.push('env = environ.Env()', '');
    return lines;
  }

  program(): Program {
    const files: Record<string, string> = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
      'mysite/__init__.py': '',
      'mysite/wsgi.py':
        'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\napplication = get_wsgi_application()\n',
      'mysite/settings/__init__.py': '',
    };
    this.helpers = this.chance(0.4);
    if (this.helpers)
      files['mysite/settings/helpers.py'] = [
        'import os',
        '',
        '',
        'def get_var(name, default=None):',
        '    return os.environ.get(name, default)',
        '',
        '',
        'def as_bool(value):',
        "    return str(value).lower() in ('1', 'true', 'yes', 'on')",
        '',
        '',
        'def host_list(name, default):',
        "    return [h.strip() for h in os.environ.get(name, default).split(',') if h.strip()]",
        '',
      ].join('\n');
    files['mysite/settings/base.py'] = [...this.header(this.helpers), ...this.statements(4 + this.int(10)), ''].join('\n');
    let parent = 'base';
    if (this.chance(0.4)) {
      files['mysite/settings/common.py'] = ['from .base import *  # noqa', '', ...this.statements(2 + this.int(6)), ''].join('\n');
      parent = 'common';
    }
    const prod: string[] = [];
    if (this.usesSplit && parent === 'base') prod.push('from split_settings.tools import include', '', "include('base.py')", '');
    else prod.push(`from .${parent} import *  # noqa`, '');
    prod.push(...this.header(this.helpers));
    if (this.chance(0.3)) {
      // an optional local override: absent, or present in the repository
      const present = this.chance(0.4);
      if (present) {
        // new names only (bound only when the file is there: production's code does not read them)
        const local = Array.from({ length: 1 + this.int(3) }, () => `${this.newName()} = ${this.expr(pick(this.r, TYPES))}`);
        files['mysite/settings/local.py'] = [`from .${parent} import *  # noqa`, '', ...this.header(this.helpers), ...local, ''].join('\n');
      }
      prod.push('try:', '    from .local import *  # noqa', 'except ImportError:', '    pass', '');
    }
    if (this.chance(0.2)) {
      // an optional configuration file exec'd where it exists (absent here): what was bound before
      // stays as written unless it overrides it
      prod.push(
        "_CONF = os.environ.get('PYDIFF_APP_CONF', '/nonexistent/pydiff/app.conf')",
        'if os.path.exists(_CONF):',
        '    with open(_CONF) as _fh:',
        '        exec(_fh.read())',
        '',
      );
    }
    prod.push(...this.statements(3 + this.int(10)), '');
    files['mysite/settings/production.py'] = prod.join('\n');
    return { seed: this.seed, files, module: 'mysite.settings.production', env: this.env };
  }
}

export function generateProgram(seed: number): Program {
  return new Generator(seed).program();
}
