// The standard-library and settings-library modules settings import, by dotted name, each a table
// of its attributes made when first read: os, os.path, pathlib, sys, django-environ, decouple,
// dj-database-url, django-split-settings, importlib, django-configurations, random sources (random,
// secrets, uuid, Django's get_random_secret_key), json, ast… Any other module outside the workspace
// is an `ext` value: unknown, but remembered by dotted name.
import type { Loc, Value } from '../values';
import * as V from '../values';
import { configurationsValues } from './configurations';
import { decoupleConfig, djDatabaseUrlConfig, djDatabaseUrlParse, makeCsv, makeEnviron, osGet } from './environment';
import { jsonLoads, literalEval, strtobool } from './literals';
import { a0, exceptionClass, fn, moduleObject, type Impl } from './objects';
import { existence, makePath, pathOp } from './os';
import { normalizePath } from '../paths';
import { pydanticModule } from './pydantic';
import { environsModule } from './environs';
import { everettManager } from './everett';

/** A random source; `untyped` for one that returns something else than a string (`uuid.uuid4()`). */
function generated(what: string, untyped = false): Impl {
  return (args) => ({
    ...V.unknown(`${what} is generated each time the process starts`, args.loc, untyped ? undefined : 'str'),
    producedBy: 'generated' as const,
    generatedAt: args.loc,
  });
}

/** A random module's functions (random, secrets, random.SystemRandom()): each result is generated. */
function randomFunctions(module: string, names: readonly string[]): Record<string, () => Value> {
  const out: Record<string, () => Value> = {};
  for (const n of names) out[n] = () => fn(`${module}.${n}`, generated(`${module}.${n}()`, true));
  // an instance of SystemRandom / Random: its methods are random sources too
  out.SystemRandom = () => fn(`${module}.SystemRandom`, generated(`${module}.SystemRandom()`, true));
  out.Random = () => fn(`${module}.Random`, generated(`${module}.Random()`, true));
  return out;
}

const RANDOM_FUNCTIONS = ['choice', 'choices', 'sample', 'randint', 'randrange', 'random', 'getrandbits', 'randbytes', 'uniform'];

/** The CSP source keywords both Django and django-csp name as constants (the nonce is a sentinel both replace per response). */
function cspKeywords(): Record<string, () => Value> {
  const kw = (s: string) => () => V.str(s, 'literal');
  return {
    NONE: kw("'none'"),
    REPORT_SAMPLE: kw("'report-sample'"),
    SELF: kw("'self'"),
    STRICT_DYNAMIC: kw("'strict-dynamic'"),
    UNSAFE_ALLOW_REDIRECTS: kw("'unsafe-allow-redirects'"),
    UNSAFE_EVAL: kw("'unsafe-eval'"),
    UNSAFE_HASHES: kw("'unsafe-hashes'"),
    UNSAFE_INLINE: kw("'unsafe-inline'"),
    WASM_UNSAFE_EVAL: kw("'wasm-unsafe-eval'"),
    NONCE: kw('<CSP_NONCE_SENTINEL>'),
  };
}

const NOTSET = V.object('environ.NOTSET');

const MODULES: Record<string, () => Record<string, () => Value>> = {
  // django-configurations: Configuration stays a library class (recognised by name); values are modelled
  configurations: () => ({}),
  'configurations.values': configurationsValues,
  os: () => ({
    environ: () => V.object('os.environ'),
    getenv: () => fn('os.getenv', osGet),
    putenv: () => fn('os.putenv', (args) => V.none('derived', args.loc)), // not seen by os.environ
    path: () => stdlibModule('os.path')!,
    sep: () => V.str('/', 'literal'),
    linesep: () => V.str('\n', 'literal'),
    name: () => V.str('posix', 'literal'),
    getcwd: () => fn('os.getcwd', (args) => V.unknown('the current directory', args.loc, 'str')),
    cpu_count: () =>
      fn('os.cpu_count', (args) => ({ ...V.unknown("the machine's CPU count", args.loc, 'int'), producedBy: 'cpu-count' as const })),
    urandom: () => fn('os.urandom', generated('os.urandom()')),
  }),
  'os.path': () => ({
    join: () =>
      fn('os.path.join', (args) =>
        pathOp(args, (ps) => ps.reduce((acc, p) => (p.startsWith('/') ? p : acc === '' ? p : acc.replace(/\/$/, '') + '/' + p), '')),
      ),
    dirname: () => fn('os.path.dirname', (args) => pathOp(args, ([p]) => (p!.includes('/') ? p!.replace(/\/[^/]*$/, '') || '/' : ''))),
    basename: () => fn('os.path.basename', (args) => pathOp(args, ([p]) => p!.replace(/^.*\//, ''))),
    abspath: () => fn('os.path.abspath', (args) => pathOp(args, ([p]) => normalizePath(p!))),
    realpath: () => fn('os.path.realpath', (args) => pathOp(args, ([p]) => normalizePath(p!))),
    normpath: () => fn('os.path.normpath', (args) => pathOp(args, ([p]) => normalizePath(p!))),
    expanduser: () => fn('os.path.expanduser', (args) => pathOp(args, ([p]) => (p!.startsWith('~') ? undefined : p!))),
    exists: () => fn('os.path.exists', (args, api) => existence(api, a0(args), args.loc, 'whether a path exists')),
    isfile: () => fn('os.path.isfile', (args, api) => existence(api, a0(args), args.loc, 'whether a file exists')),
    isdir: () => fn('os.path.isdir', (args) => V.unknown('whether a directory exists', args.loc, 'bool')),
  }),
  pathlib: () => ({
    Path: () => fn('pathlib.Path', makePath),
    PurePath: () => fn('pathlib.PurePath', makePath),
    PosixPath: () => fn('pathlib.PosixPath', makePath),
  }),
  // False at run time (type checkers take it as True): `if TYPE_CHECKING:` imports never run, and
  // are no import cycle (https://docs.python.org/3/library/typing.html#typing.TYPE_CHECKING)
  typing: () => ({ TYPE_CHECKING: () => V.bool(false, 'literal') }),
  typing_extensions: () => ({ TYPE_CHECKING: () => V.bool(false, 'literal') }),
  sys: () => ({
    modules: () => V.object('sys.modules'),
    argv: () => V.ext('sys.argv'),
    path: () => V.ext('sys.path'),
    platform: () => V.ext('sys.platform'),
    version_info: () => V.ext('sys.version_info'),
    stdout: () => V.ext('sys.stdout'),
    stderr: () => V.ext('sys.stderr'),
  }),
  environ: () => ({
    Env: () =>
      fn('environ.Env', (args) => makeEnviron(args, NOTSET), {
        read_env: fn('environ.Env.read_env', (args) => V.none('derived', args.loc)),
        NOTSET,
      }),
    FileAwareEnv: () => fn('environ.FileAwareEnv', (args) => makeEnviron(args, NOTSET)),
    Path: () => fn('environ.Path', makePath),
    ImproperlyConfigured: () => exceptionClass('Exception')!,
  }),
  decouple: () => ({
    config: () => fn('decouple.config', decoupleConfig),
    AutoConfig: () => fn('decouple.AutoConfig', () => fn('decouple.config', decoupleConfig)),
    Config: () => fn('decouple.Config', () => fn('decouple.config', decoupleConfig)),
    RepositoryEnv: () => fn('decouple.RepositoryEnv', (args) => V.object('decouple.Repository', undefined, args.loc)),
    RepositoryIni: () => fn('decouple.RepositoryIni', (args) => V.object('decouple.Repository', undefined, args.loc)),
    Csv: () => fn('decouple.Csv', (args) => makeCsv(args)),
    Choices: () =>
      fn('decouple.Choices', (args) =>
        V.object(
          'decouple.Choices',
          { flat: args.pos[0] ?? args.kw.get('flat'), choices: args.kw.get('choices') ?? args.pos[2] },
          args.loc,
        ),
      ),
    UndefinedValueError: () => fn('UndefinedValueError', (args) => V.object('exception:UndefinedValueError', undefined, args.loc)),
  }),
  // django-split-settings: include("components/base.py", optional("local.py")) runs the files in
  // the including module's namespace, in order
  'split_settings.tools': () => ({
    include: () =>
      fn('split_settings.tools.include', (args, api) => {
        const files: { pattern: string; optional: boolean }[] = [];
        for (const a of args.pos) {
          if (a.kind === 'str') files.push({ pattern: a.v, optional: false });
          else if (a.kind === 'object' && a.tag === 'split_settings.optional')
            files.push({ pattern: (a.data as { pattern: string }).pattern, optional: true });
          else {
            api.taintAll('include() of a file the analysis cannot name', args.loc);
            return V.none('derived', args.loc);
          }
        }
        if (args.unknownSplat || args.kw.has('scope')) api.taintAll('include() with arguments the analysis cannot read', args.loc);
        else api.include(files, args.loc);
        return V.none('derived', args.loc);
      }),
    optional: () =>
      fn('split_settings.tools.optional', (args) => {
        const p = a0(args);
        return p?.kind === 'str'
          ? V.object('split_settings.optional', { pattern: p.v }, args.loc)
          : V.unknown('optional() of an unknown file', args.loc);
      }),
  }),
  importlib: () => ({
    import_module: () =>
      fn('importlib.import_module', (args, api) => {
        const name = args.pos[0] ?? args.kw.get('name');
        const pkg = args.pos[1] ?? args.kw.get('package');
        if (name?.kind !== 'str') return V.unknownFrom(args.pos, 'a module imported by a name the analysis cannot read', args.loc);
        // the module being run, by its own name: Python returns it from sys.modules (what a setattr on it then writes)
        if (name.v === api.moduleName && pkg === undefined) return V.object('this-module', undefined, args.loc);
        const level = /^\.*/.exec(name.v)![0].length;
        if (level > 0 && pkg?.kind === 'str') {
          // resolve against the given package, as importlib does
          const base = pkg.v.split('.').slice(0, pkg.v.split('.').length - (level - 1));
          return api.importModule([...base, name.v.slice(level)].filter(Boolean).join('.'), 0, args.loc);
        }
        return api.importModule(name.v.slice(level), level, args.loc);
      }),
  }),
  dj_database_url: () => ({
    config: () => fn('dj_database_url.config', djDatabaseUrlConfig),
    parse: () => fn('dj_database_url.parse', djDatabaseUrlParse),
  }),
  'django.core.management.utils': () => ({
    get_random_secret_key: () => fn('get_random_secret_key', generated('get_random_secret_key()')),
  }),
  'django.utils.crypto': () => ({
    get_random_string: () => fn('get_random_string', generated('get_random_string()')),
  }),
  // CSP source keywords: Django 6.0's django.utils.csp.CSP and django-csp 4's csp.constants
  'django.utils.csp': () => ({ CSP: () => moduleObject('django.utils.csp.CSP', cspKeywords()) }),
  'csp.constants': () => cspKeywords(),
  'django.core.exceptions': () => ({
    ImproperlyConfigured: () => fn('ImproperlyConfigured', (args) => V.object('exception:ImproperlyConfigured', undefined, args.loc)),
  }),
  secrets: () => ({
    token_urlsafe: () => fn('secrets.token_urlsafe', generated('secrets.token_urlsafe()')),
    token_hex: () => fn('secrets.token_hex', generated('secrets.token_hex()')),
    token_bytes: () => fn('secrets.token_bytes', generated('secrets.token_bytes()')),
    ...randomFunctions('secrets', ['choice', 'randbelow', 'randbits']),
  }),
  random: () => randomFunctions('random', RANDOM_FUNCTIONS),
  uuid: () => ({
    uuid4: () => fn('uuid.uuid4', generated('uuid.uuid4()', true)),
    uuid1: () => fn('uuid.uuid1', generated('uuid.uuid1()', true)),
  }),
  multiprocessing: () => ({
    cpu_count: () =>
      fn('multiprocessing.cpu_count', (args) => ({
        ...V.unknown("the machine's CPU count", args.loc, 'int'),
        producedBy: 'cpu-count' as const,
      })),
  }),
  socket: () => ({
    gethostname: () =>
      fn('socket.gethostname', (args) => ({ ...V.unknown('the host name', args.loc, 'str'), producedBy: 'hostname' as const })),
    gethostbyname: () =>
      fn('socket.gethostbyname', (args) => ({ ...V.unknown('an IP address', args.loc, 'str'), producedBy: 'hostname' as const })),
    getfqdn: () => fn('socket.getfqdn', (args) => ({ ...V.unknown('the host name', args.loc, 'str'), producedBy: 'hostname' as const })),
  }),
  json: () => ({
    loads: () => fn('json.loads', (args) => jsonLoads(a0(args), args.loc) ?? V.unknownFrom(args.pos, 'json.loads()', args.loc)),
    load: () => fn('json.load', (args) => ({ ...V.unknown('JSON read from a file', args.loc), producedBy: 'file' as const })),
    dumps: () =>
      fn('json.dumps', (args) =>
        V.holdsWholeEnvironment(a0(args))
          ? V.wholeEnvironment('json.dumps()', args.loc, 'str')
          : V.unknownFrom(args.pos, 'json.dumps()', args.loc, 'str'),
      ),
  }),
  ast: () => ({
    literal_eval: () =>
      fn(
        'ast.literal_eval',
        (args) =>
          literalEval(a0(args), args.loc) ?? V.unknownFrom(args.pos, 'ast.literal_eval() of a value the analysis cannot read', args.loc),
      ),
  }),
  'distutils.util': () => ({ strtobool: () => fn('distutils.util.strtobool', strtobool) }),
  'setuptools._distutils.util': () => ({ strtobool: () => fn('distutils.util.strtobool', strtobool) }),
  // pydantic (1.x BaseSettings) and pydantic-settings (2.x): Field and SettingsConfigDict; BaseSettings
  // stays a library class, recognised by name as a base (library/pydantic.ts)
  pydantic: pydanticModule,
  pydantic_settings: pydanticModule,
  // environs: Env() and its parsers (library/environs.ts); everett's ConfigManager (library/everett.ts)
  environs: environsModule,
  'everett.manager': everettManager,
  // copy.copy / copy.deepcopy: a new container with the same items (deepcopy: copies all the way down)
  copy: () => ({
    copy: () => fn('copy.copy', (args) => shallowCopy(a0(args), args.loc)),
    deepcopy: () => fn('copy.deepcopy', (args) => (a0(args) ? V.clone(a0(args)!) : V.unknown('copy.deepcopy() of nothing', args.loc))),
  }),
  __future__: () => ({}),
};

/** copy.copy(): a list, tuple, set or dict is a new container holding the same items; anything else is itself. */
function shallowCopy(v: Value | undefined, loc: V.Loc): Value {
  if (!v) return V.unknown('copy.copy() of nothing', loc);
  if (V.isSeq(v)) return { ...v, items: [...v.items] };
  if (v.kind === 'dict') return { ...v, keys: [...v.keys], values: [...v.values] };
  return v;
}

/** A known standard-library or settings-library module, or undefined (then it is an `ext` value). */
export function stdlibModule(name: string, loc?: Loc): V.ObjectValue | undefined {
  const make = MODULES[name];
  if (!make) {
    // `import os.path` binds os; `import django.core.management.utils` binds django (ext)
    return undefined;
  }
  return moduleObject(name, make(), loc);
}
