// Recognising what a command line starts: gunicorn, uvicorn, daphne, hypercorn, granian, uWSGI or Django's
// development server, behind the usual wrappers (exec, env, nohup, tini, gosu, poetry/uv/pipenv run,
// newrelic-admin, ddtrace-run, doppler run, `python -m …`, `sh -c "…"`), and parsing the server's
// options as the server's own argument parser does (gunicorn uses argparse: `--workers=4`,
// `-w4`, `-w 4`, unique prefixes of long options; switches take no value).
//
// This module reads a command line word by word: the wrappers are skipped (wrappers.ts), then the
// program is recognised by its kind: a shell running a script given as text, Python (`python -m`,
// `python manage.py`), Django's and celery's commands, the script runners (make, npm, npm-run-all,
// supervisord), an app server (its options parsed by serverArgs.ts), other software, a start
// script. What it finds is described in recognised.ts.
import { npmRunAllTasks } from './npmRunAll';
import { retokenize, type SimpleCommand } from '../shell';
import { subToken, type Token } from '../text';
import type {
  Invocation,
  LitestreamReplicate,
  PackageInstall,
  Recognised,
  RecogniseContext,
  ServerKind,
  TaskInvocation,
} from './recognised';
import { LITESTREAM_REPLICATE } from '../../catalogue/litestream';
import { PACKAGE_INSTALLERS } from '../../catalogue/packageInstallers';
import { parseRunserver, parseServer } from './serverArgs';
import { NOT_A_WRAPPER, skipWrapper, WRAPPER_ENDS } from './wrappers';

export type {
  AppRef,
  ArgsForward,
  Invocation,
  LitestreamReplicate,
  OtherProgram,
  PackageInstall,
  ParsedOption,
  Recognised,
  RecogniseContext,
  ScriptRef,
  ServerKind,
  TaskInvocation,
} from './recognised';
export { gunicornFlagTable, hasSwitch, lookupGunicornFlag, optionValue, parseAppRef, parseGunicornArgs } from './serverArgs';
export type { SimpleCommand };

const MAX_DEPTH = 4;

// ---- programs by name ---------------------------------------------------------------------------

export function basename(p: string): string {
  const s = p.replace(/(?<!\/)\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1);
}

const SERVER_PROGRAMS: Record<string, ServerKind> = {
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  daphne: 'daphne',
  hypercorn: 'hypercorn',
  granian: 'granian',
  uwsgi: 'uwsgi',
};
/** Programs of software that is not Python nor the app: web servers and proxies, databases, caches. */
const OTHER_SOFTWARE = new Set([
  'caddy',
  'nginx',
  'openresty',
  'traefik',
  'haproxy',
  'envoy',
  'httpd',
  'apache2',
  'apachectl',
  'varnishd',
  'redis-server',
  'memcached',
  'postgres',
  'mysqld',
]);
const DEV_SERVER_COMMANDS = new Set(['runserver', 'runserver_plus', 'runsslserver', 'testserver']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
const PY_OPTS_WITH_VALUE = new Set(['-W', '-X', '-Q']);

function isPython(base: string): boolean {
  return /^(python|pypy)(\d+(\.\d+)?)?$/.test(base);
}

function isScriptLike(t: Token): boolean {
  const text = t.text;
  if (t.dynamic && !/\.sh$/.test(text)) return false;
  return (
    /\.sh$/.test(text) ||
    (text.includes('/') && !/\.(py|pyc)$/.test(text) && !/^\$/.test(text)) ||
    /^(docker-)?entrypoint$|^start$/.test(basename(text))
  );
}

// ---- a command line ----------------------------------------------------------------------------

export function recognise(cmd: SimpleCommand, ctx: RecogniseContext = {}, depth = 0): Recognised {
  return recogniseWords(
    cmd.words,
    cmd.assignments.map((a) => ({ name: a.name, value: a.value, nameLoc: a.token.loc })),
    {
      ...ctx,
      conditional: (ctx.conditional ?? false) || cmd.conditional,
      branch: cmd.branch || ctx.branch ? [...(ctx.branch ?? []), ...(cmd.branch ?? [])] : undefined,
      calls: cmd.calls ?? ctx.calls,
      background: (ctx.background ?? false) || cmd.background,
    },
    depth,
  );
}

export function recogniseWords(
  words: readonly Token[],
  assignments: Invocation['assignments'],
  ctx: RecogniseContext,
  depth = 0,
): Recognised {
  const out: Recognised = { invocations: [], scripts: [], forwards: [], tasks: [], others: [], installs: [] };
  const assigns = [...assignments];
  let i = 0;
  for (let guard = 0; i < words.length && guard < 40; guard++) {
    const base = basename(words[i]!.text);
    // a wrapper (exec, env, sudo, tini, poetry run…): the program it runs comes after its own arguments
    const next = skipWrapper(words, i, base, assigns);
    if (next === WRAPPER_ENDS) break;
    if (next !== NOT_A_WRAPPER) {
      i = next;
      continue;
    }
    recogniseProgram(words, i, base, assigns, ctx, depth, out);
    break;
  }
  return out;
}

/**
 * The program of a command line, its wrappers skipped (`words[i]`, whose base name is `base`): what
 * it starts, into `out`. The words after it are its arguments.
 */
function recogniseProgram(
  words: readonly Token[],
  i: number,
  base: string,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  depth: number,
  out: Recognised,
): void {
  const w = words[i]!;
  const install = packageInstall(words, i, base, ctx);
  if (install) out.installs.push(install);
  else if (base === 'su') recogniseSu(words, i, assigns, ctx, depth, out);
  else if (base === LITESTREAM_REPLICATE.value.program) recogniseLitestream(words, i, assigns, ctx, depth, out);
  else if (SHELLS.has(base)) recogniseShell(words, i, assigns, ctx, depth, out);
  else if (isPython(base)) recognisePython(words, i, assigns, ctx, out);
  else if (isManage(base)) recogniseManage(words, i, assigns, ctx, out);
  else if (base === 'celery') out.tasks.push(celeryTask(w, words.slice(i + 1), ctx));
  else if (base === 'make' || base === 'gmake') out.scripts.push({ script: w, args: words.slice(i + 1), make: true });
  else if (base === 'npm' || base === 'yarn' || base === 'pnpm') recogniseNpm(words, i, base, out);
  // `npm-run-all -p render-*`, `run-p web worker`, `run-s migrate serve`: the scripts its patterns match
  else if (base === 'npm-run-all' || base === 'run-p' || base === 'run-s') {
    for (const t of npmRunAllTasks(words.slice(i + 1)))
      out.scripts.push({ script: w, args: [], npmScript: t.text, ...(t.pattern ? { npmPattern: true } : {}) });
  } else if (OTHER_SOFTWARE.has(base)) out.others.push({ program: w, args: words.slice(i + 1), conditional: ctx.conditional ?? false });
  else if (base === 'supervisord')
    out.scripts.push({ script: w, args: words.slice(i + 1), supervisord: supervisordConfig(words.slice(i + 1)), ...guardOf(ctx) });
  else if (SERVER_PROGRAMS[base]) out.invocations.push(parseServer(SERVER_PROGRAMS[base]!, w, words.slice(i + 1), assigns, ctx));
  else if (w.forwardsArgs) out.forwards.push({ token: w, conditional: ctx.conditional ?? false });
  // `source ./common.sh`, `. ./common.sh`: the script runs in this shell, as part of this process
  else if ((base === 'source' || (w.text === '.' && !w.quoted)) && words[i + 1] && isScriptLike(words[i + 1]!))
    out.scripts.push({ script: words[i + 1]!, args: words.slice(i + 2), sourced: true, ...guardOf(ctx) });
  else if (isScriptLike(w) || (!w.dynamic && !w.text.includes('/') && ctx.installedScript?.(w.text)))
    recogniseStartScript(words, i, assigns, ctx, depth, out);
}

// ---- shells: a script given as text -----------------------------------------------------------

/**
 * `su -c "gunicorn …" django` (honcho Procfiles, supervisor programs): the command runs in the
 * user's shell; `su django -c "…"` and `su -s /bin/sh -c "…"` alike.
 */
function recogniseSu(
  words: readonly Token[],
  i: number,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  depth: number,
  out: Recognised,
): void {
  let script: Token | undefined;
  for (let k = i + 1; k < words.length; k++) {
    const t = words[k]!.text;
    if (t === '-c' || t === '--command') {
      script = words[k + 1];
      break;
    }
    if (t.startsWith('--command=')) {
      script = subToken(words[k]!, 10, t.length);
      break;
    }
  }
  if (!script || depth >= MAX_DEPTH || (script.dynamic && script.text.startsWith('$'))) return;
  recogniseScriptText(script, assigns, ctx, depth, out);
}

/**
 * `litestream replicate [options] [DB_PATH REPLICA_URL] -exec "gunicorn …"`: Litestream supervises
 * the command of `-exec` (split into words as a shell would, catalogue/litestream.ts), replicating the
 * database while it runs; what that command starts is recognised, each server marked as replicated.
 * Without -exec (a sidecar, or the app named in the configuration file's `exec:`) nothing is started here.
 */
function recogniseLitestream(
  words: readonly Token[],
  i: number,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  depth: number,
  out: Recognised,
): void {
  const spec = LITESTREAM_REPLICATE.value;
  if (words[i + 1]?.text !== spec.subcommand) return;
  let exec: Token | undefined;
  let config: Token | undefined;
  const positionals: Token[] = [];
  for (let k = i + 2; k < words.length; k++) {
    const w = words[k]!;
    const flag = /^--?([a-z][a-z-]*)(=?)/.exec(w.text);
    if (!flag) {
      positionals.push(w);
      continue;
    }
    const name = flag[1]!;
    if (!spec.valueFlags.includes(name)) continue;
    const value = flag[2] ? subToken(w, flag[0].length, w.text.length) : words[++k];
    if (name === spec.execFlag) exec = value;
    else if (name === spec.configFlag) config = value;
  }
  if (!exec || depth >= MAX_DEPTH || (exec.dynamic && exec.text.startsWith('$'))) return;
  const replicatedBy: LitestreamReplicate = {
    program: words[i]!,
    ...(positionals.length >= 2 ? { database: positionals[0]! } : {}),
    ...(config ? { config } : {}),
  };
  const inner: Recognised = { invocations: [], scripts: [], forwards: [], tasks: [], others: [], installs: [] };
  recogniseScriptText(exec, assigns, ctx, depth, inner);
  out.invocations.push(...inner.invocations.map((inv) => ({ ...inv, replicatedBy })));
  out.scripts.push(...inner.scripts);
  out.forwards.push(...inner.forwards);
  out.tasks.push(...inner.tasks);
  out.others.push(...inner.others);
  out.installs.push(...inner.installs);
}

/** `sh -c "…"` (bash, dash…): the script's commands; `sh script.sh args`: the script. */
function recogniseShell(
  words: readonly Token[],
  i: number,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  depth: number,
  out: Recognised,
): void {
  let k = i + 1;
  let script: Token | undefined;
  for (; k < words.length; k++) {
    const t = words[k]!;
    // (up to its first c: [a-zA-Z]*c[a-zA-Z]* tried each c of -ccc…c)
    if (/^-[abd-zA-Z]*c[a-zA-Z]*$/.test(t.text)) {
      script = words[k + 1];
      break;
    }
    if (t.text === '-o' || t.text === '+o') {
      k++;
      continue;
    }
    if (!t.text.startsWith('-') && !t.text.startsWith('+')) break;
  }
  if (script) {
    if (depth >= MAX_DEPTH || (script.dynamic && script.text.startsWith('$'))) return;
    recogniseScriptText(script, assigns, ctx, depth, out);
    return;
  }
  const t = words[k];
  if (t) out.scripts.push({ script: t, args: words.slice(k + 1), ...guardOf(ctx) });
}

/** The commands of a script given as text (`sh -c "…"`, `su -c "…"`), recognised into `out` with the caller's assignments. */
function recogniseScriptText(
  script: Token,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  depth: number,
  out: Recognised,
): void {
  for (const c of retokenize(script, ctx.lookup)) {
    const r = recognise(c, { ...ctx, conditional: ctx.conditional }, depth + 1);
    out.invocations.push(...r.invocations.map((inv) => ({ ...inv, assignments: [...assigns, ...inv.assignments] })));
    out.scripts.push(...r.scripts);
    out.forwards.push(...r.forwards);
    out.tasks.push(...r.tasks);
    out.others.push(...r.others);
    out.installs.push(...r.installs);
  }
}

// ---- Python, Django and celery ----------------------------------------------------------------

/** `python [options] -m module …` or `python [options] manage.py …`. */
function recognisePython(
  words: readonly Token[],
  i: number,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  out: Recognised,
): void {
  let k = i + 1;
  while (k < words.length && words[k]!.text.startsWith('-') && words[k]!.text !== '-m' && words[k]!.text !== '-c')
    k += PY_OPTS_WITH_VALUE.has(words[k]!.text) ? 2 : 1;
  const next = words[k];
  if (!next) return;
  if (next.text === '-m') recogniseModule(words, k + 1, assigns, ctx, out);
  else if (isManage(basename(next.text)) || namesManage(next)) recogniseManage(words, k, assigns, ctx, out);
}

/**
 * A script path held in a variable named for manage.py (`python $MANAGE_FILE migrate`, a Heroku
 * build hook's `MANAGE_FILE=$(find . -name manage.py …)`): only its name tells what it runs.
 */
function namesManage(w: Token): boolean {
  return w.dynamic && /^\$\{?\w+\}?$/.test(w.text) && w.env.length === 1 && /^MANAGE(_PY|_FILE|_SCRIPT|_PATH)?$/i.test(w.env[0]!.name);
}

/** `python -m <module> …` (the module at `words[m]`): an app server, Django's commands, celery. */
function recogniseModule(
  words: readonly Token[],
  m: number,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  out: Recognised,
): void {
  const mod = words[m];
  if (!mod) return;
  if (SERVER_PROGRAMS[mod.text]) {
    out.invocations.push(parseServer(SERVER_PROGRAMS[mod.text]!, mod, words.slice(m + 1), assigns, ctx));
    return;
  }
  // `python -m django runserver`, and `python -m <package> runserver` for a package whose
  // __main__ runs Django's management commands (ralph, sentry-style launchers)
  const sub = words[m + 1];
  if (sub && DEV_SERVER_COMMANDS.has(sub.text) && /^[A-Za-z_][\w.]*$/.test(mod.text)) {
    out.invocations.push(parseRunserver(mod, sub, words.slice(m + 2), assigns, ctx));
    return;
  }
  if (mod.text === 'django') {
    if (sub) out.tasks.push(manageTask(mod, words.slice(m + 1), ctx));
    return;
  }
  if (mod.text === 'celery') out.tasks.push(celeryTask(mod, words.slice(m + 1), ctx));
  // `python -m pip install …`
  const install = packageInstall(words, m, mod.text, ctx);
  if (install) out.installs.push(install);
}

/** How many words after the program may stand before its command (options and their values: `apt-get -o Opt=v -y install`). */
const MAX_WORDS_BEFORE_COMMAND = 6;

/**
 * The package installation a command line runs (catalogue PACKAGE_INSTALLERS): its program is
 * `words[i]`, whose base name is `base`, and a word among the next few is one of its install commands
 * (or none follows, for a program installing bare); none with an option that keeps it offline.
 */
function packageInstall(words: readonly Token[], i: number, base: string, ctx: RecogniseContext): PackageInstall | undefined {
  const installer = PACKAGE_INSTALLERS.find((p) => p.program === base);
  if (!installer) return undefined;
  const rest = words.slice(i + 1);
  if (rest.some((t) => installer.offline?.includes(t.text.split('=')[0]!))) return undefined;
  const plain = rest.filter((t) => !t.text.startsWith('-'));
  const guard = {
    conditional: ctx.conditional ?? false,
    ...(ctx.branch && ctx.branch.length > 0 ? { branch: ctx.branch } : {}),
    ...(ctx.calls ? { calls: ctx.calls } : {}),
  };
  if (plain.length === 0) return installer.bare ? { program: words[i]!, from: installer.from, ...guard } : undefined;
  for (let k = 0; k < rest.length && k < MAX_WORDS_BEFORE_COMMAND; k++) {
    const t = rest[k]!;
    if (t.text.startsWith('-')) continue;
    const two = `${t.text} ${rest[k + 1]?.text ?? ''}`;
    if (installer.commands.includes(t.text) || installer.commands.includes(two))
      return { program: words[i]!, command: t, from: installer.from, ...guard };
  }
  return undefined;
}

function isManage(base: string): boolean {
  return base === 'manage.py' || base === 'django-admin' || base === 'django-admin.py';
}

/** `manage.py <command> …` (django-admin; the program at `words[p]`): the development server, or a management command. */
function recogniseManage(
  words: readonly Token[],
  p: number,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  out: Recognised,
): void {
  const program = words[p]!;
  const sub = words[p + 1];
  if (sub && DEV_SERVER_COMMANDS.has(sub.text)) out.invocations.push(parseRunserver(program, sub, words.slice(p + 2), assigns, ctx));
  else if (sub) out.tasks.push(manageTask(program, words.slice(p + 1), ctx));
}

const CELERY_COMMANDS = new Set([
  'worker',
  'beat',
  'flower',
  'multi',
  'events',
  'inspect',
  'control',
  'call',
  'purge',
  'shell',
  'status',
  'result',
  'amqp',
  'list',
  'report',
  'upgrade',
  'graph',
  'logtool',
]);

function manageTask(program: Token, rest: readonly Token[], ctx: RecogniseContext): TaskInvocation {
  return {
    kind: 'manage',
    program,
    subcommand: rest[0],
    args: rest.slice(1),
    conditional: ctx.conditional ?? false,
    background: ctx.background ?? false,
    ...(ctx.branch ? { branch: ctx.branch } : {}),
    ...(ctx.calls ? { calls: ctx.calls } : {}),
  };
}

function celeryTask(program: Token, rest: readonly Token[], ctx: RecogniseContext): TaskInvocation {
  return {
    kind: 'celery',
    program,
    subcommand: rest.find((t) => CELERY_COMMANDS.has(t.text)),
    args: [...rest],
    conditional: ctx.conditional ?? false,
    background: ctx.background ?? false,
    ...(ctx.branch ? { branch: ctx.branch } : {}),
    ...(ctx.calls ? { calls: ctx.calls } : {}),
  };
}

// ---- script runners and start scripts ----------------------------------------------------------

/** `npm run start`, `npm start`, `yarn start`, `pnpm run serve`: a script of package.json. */
function recogniseNpm(words: readonly Token[], i: number, base: string, out: Recognised): void {
  const w = words[i]!;
  let k = i + 1;
  while (k < words.length && words[k]!.text.startsWith('-')) k++;
  const first = words[k]?.text;
  const runs = first === 'run' || first === 'run-script';
  const name = runs ? words[k + 1] : words[k];
  const builtin = base === 'npm' ? ['start', 'test', 'stop', 'restart'] : undefined;
  if (
    name &&
    !name.dynamic &&
    (runs || (builtin ? builtin.includes(name.text) : !['install', 'add', 'build', 'exec', 'dlx'].includes(name.text)))
  )
    out.scripts.push({ script: w, args: words.slice(k + (runs ? 2 : 1)), npmScript: name.text });
}

/** The configuration file a supervisord command line names (`-c file`, `-cfile`, `--configuration[=]file`). */
function supervisordConfig(args: readonly Token[]): { config?: Token } {
  for (let k = 0; k < args.length; k++) {
    const t = args[k]!.text;
    if (t === '-c' || t === '--configuration') return args[k + 1] ? { config: args[k + 1]! } : {};
    if (t.startsWith('--configuration=')) return { config: subToken(args[k]!, 16, t.length) };
    if (/^-c./.test(t)) return { config: subToken(args[k]!, 2, t.length) };
  }
  return {};
}

/** Whether a start script runs only conditionally, and the `if` tests it depends on (only when it does). */
function guardOf(ctx: RecogniseContext): { conditional?: true; branch?: RecogniseContext['branch']; calls?: RecogniseContext['calls'] } {
  return {
    ...(ctx.conditional ? { conditional: true as const } : {}),
    ...(ctx.branch ? { branch: ctx.branch } : {}),
    ...(ctx.calls ? { calls: ctx.calls } : {}),
  };
}

/** A start script (`./entrypoint.sh gunicorn …`): the script, and what its arguments start (it usually ends with `exec "$@"`). */
function recogniseStartScript(
  words: readonly Token[],
  i: number,
  assigns: Invocation['assignments'],
  ctx: RecogniseContext,
  depth: number,
  out: Recognised,
): void {
  out.scripts.push({ script: words[i]!, args: words.slice(i + 1), ...guardOf(ctx) });
  if (depth < MAX_DEPTH && words.length > i + 1) {
    const rest = recogniseWords(words.slice(i + 1), assigns, ctx, depth + 1);
    // what the arguments start runs only if the script runs them (`exec "$@"`): each says whose
    // arguments it is (the nearest script), for the model to drop when that script ignores them
    const argsOf = words[i]!;
    const tag = <T extends { argsOf?: Token }>(x: T): T => (x.argsOf ? x : { ...x, argsOf });
    out.invocations.push(...rest.invocations.map(tag));
    out.scripts.push(...rest.scripts.map(tag));
    out.forwards.push(...rest.forwards.map(tag));
    out.tasks.push(...rest.tasks.map(tag));
    out.others.push(...rest.others.map(tag));
    out.installs.push(...rest.installs.map(tag));
  }
}
