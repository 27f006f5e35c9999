// Recognising what a command line starts: gunicorn, uvicorn, daphne, hypercorn, granian, uWSGI or Django's
// development server, behind the usual wrappers (exec, env, nohup, tini, gosu, poetry/uv/pipenv run,
// newrelic-admin, ddtrace-run, doppler run, `python -m …`, `sh -c "…"`), and parsing the server's
// options as the server's own argument parser does (gunicorn uses argparse: `--workers=4`,
// `-w4`, `-w 4`, unique prefixes of long options; switches take no value).
import { GUNICORN_FLAG_ALIASES, GUNICORN_SETTINGS, type GunicornSetting } from '../../catalogue/gunicornSettings';
import { readUwsgiArgs, uwsgiOption, type UwsgiCommandLine } from './appConfigs';
import { npmRunAllTasks } from './npmRunAll';
import { retokenize, type BranchTest, type SimpleCommand } from '../shell';
import { subToken, type Token } from '../text';

export type ServerKind = 'gunicorn' | 'uvicorn' | 'daphne' | 'hypercorn' | 'granian' | 'uwsgi' | 'runserver';

export interface ParsedOption {
  /** The flag as written (for `--workers=4`, the `--workers` part). */
  readonly flag: Token;
  /** Canonical name: the gunicorn setting, or the server's long flag. */
  readonly key?: string;
  readonly value?: Token;
  /** The server does not know the flag. */
  readonly unknown?: boolean;
  /** A prefix of several long flags (argparse refuses it). */
  readonly ambiguous?: readonly string[];
  /** A switch (no value). */
  readonly isSwitch?: boolean;
}

export interface AppRef {
  readonly token: Token;
  /** Dotted module (`mysite.wsgi`). */
  readonly module: string;
  /** Attribute (`application`); undefined when left out. */
  readonly attr?: string;
  /** `module:create_app()` (gunicorn calls it). */
  readonly call: boolean;
}

export interface Invocation {
  readonly server: ServerKind;
  /** The program word (`gunicorn`, `/venv/bin/uvicorn`, `manage.py`, the module of `python -m`). */
  readonly program: Token;
  /** `runserver` for Django's development server. */
  readonly subcommand?: Token;
  readonly options: ParsedOption[];
  readonly positionals: Token[];
  readonly app?: AppRef;
  /** `NAME=value` words that set the process environment (prefix assignments, `env A=b`). */
  readonly assignments: { name: string; value: Token; nameLoc: Token['loc'] }[];
  /** Runs only conditionally (if/case/||/function body). */
  readonly conditional: boolean;
  /** The `if` tests it depends on, outermost first (see SimpleCommand.branch). */
  readonly branch?: readonly BranchTest[];
  /** Started in the background (`gunicorn … &`). */
  readonly background?: boolean;
  /** uWSGI's command line, read with uWSGI's option vocabulary (its options are also in `options`, keyed by uWSGI's names). */
  readonly uwsgi?: UwsgiCommandLine;
}

/** A script a command line runs (`./entrypoint.sh`, `/start`), with the words after it. */
export interface ScriptRef {
  readonly script: Token;
  readonly args: Token[];
  /** `make [options] [targets]`: the words after make are its options and targets (readers/process/makefile.ts). */
  readonly make?: boolean;
  /** `npm run <script>` (yarn, pnpm): the script of package.json's `scripts` it runs, and the words after it. */
  readonly npmScript?: string;
  /**
   * `npm-run-all`, `run-p`, `run-s`: `npmScript` is one of its task patterns (`render-*`, `build:**`),
   * matched against package.json's script names as npm-run-all matches them (readers/process/npmRunAll.ts).
   */
  readonly npmPattern?: boolean;
  /**
   * `supervisord -c supervisord.conf`: the process manager starts the programs of a supervisord
   * configuration (readers/process/appConfigs.ts), the file `-c`/`--configuration` names; `config` is left
   * out when none is named (supervisord looks in its default places).
   */
  readonly supervisord?: { readonly config?: Token };
}

/** A command that runs the script's own arguments (`exec "$@"`): an entrypoint handing over to CMD. */
export interface ArgsForward {
  readonly token: Token;
  readonly conditional: boolean;
}

/** A process a command line starts that is not an app server: a Django management command or celery. */
export interface TaskInvocation {
  readonly kind: 'manage' | 'celery';
  /** `manage.py`, `django-admin`, `django` (python -m django), `celery`. */
  readonly program: Token;
  /** The management command (`migrate`, `collectstatic`) or celery's command (`worker`, `beat`). */
  readonly subcommand?: Token;
  /** Every word after the program (celery's options may come before or after its command). */
  readonly args: Token[];
  readonly conditional: boolean;
  /** Started in the background (`celery … &`): the command line goes on to the next command. */
  readonly background: boolean;
  /** The `if` tests it depends on, outermost first (see SimpleCommand.branch). */
  readonly branch?: readonly BranchTest[];
}

/** A program of other software than the app a command line starts (`caddy run`, `nginx -g "daemon off;"`): not Python. */
export interface OtherProgram {
  readonly program: Token;
  readonly conditional: boolean;
}

export interface Recognised {
  readonly invocations: Invocation[];
  readonly scripts: ScriptRef[];
  readonly forwards: ArgsForward[];
  readonly tasks: TaskInvocation[];
  readonly others: OtherProgram[];
}

export interface RecogniseContext {
  readonly lookup?: (name: string) => string | undefined;
  readonly conditional?: boolean;
  readonly branch?: readonly BranchTest[];
  readonly background?: boolean;
}

const MAX_DEPTH = 4;

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
  }
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
  };
}

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
const RUNNERS = new Set(['poetry', 'pipenv', 'pdm', 'hatch', 'rye', 'uv', 'pixi', 'conda']);
const INIT_WRAPPERS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'docker-init']);
const USER_WRAPPERS = new Set(['su-exec', 'gosu', 'setuidgid', 'runuser']);
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

/** Recognises the servers and scripts a simple command starts. */
export function recognise(cmd: SimpleCommand, ctx: RecogniseContext = {}, depth = 0): Recognised {
  return recogniseWords(
    cmd.words,
    cmd.assignments.map((a) => ({ name: a.name, value: a.value, nameLoc: a.token.loc })),
    {
      ...ctx,
      conditional: (ctx.conditional ?? false) || cmd.conditional,
      branch: cmd.branch || ctx.branch ? [...(ctx.branch ?? []), ...(cmd.branch ?? [])] : undefined,
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
  const out: Recognised = { invocations: [], scripts: [], forwards: [], tasks: [], others: [] };
  const assigns = [...assignments];
  let i = 0;
  const skipDashed = (withValue: Set<string> = new Set()): void => {
    while (i < words.length && words[i]!.text.startsWith('-') && words[i]!.text !== '--') {
      if (withValue.has(words[i]!.text)) i++;
      i++;
    }
    if (words[i]?.text === '--') i++;
  };
  for (let guard = 0; i < words.length && guard < 40; guard++) {
    const w = words[i]!;
    const base = basename(w.text);
    if (base === 'exec') {
      i++;
      while (i < words.length && words[i]!.text.startsWith('-')) i += words[i]!.text === '-a' ? 2 : 1;
      continue;
    }
    if (base === 'command' || base === 'nohup' || base === 'time' || base === 'builtin' || base === 'stdbuf' || base === 'unbuffer') {
      i++;
      skipDashed();
      continue;
    }
    if (base === 'env') {
      i++;
      for (; i < words.length; i++) {
        const t = words[i]!;
        if (t.text === '-u' || t.text === '--unset' || t.text === '-C' || t.text === '--chdir' || t.text === '-S') i++;
        else if (t.text.startsWith('-')) continue;
        else {
          const eq = t.text.indexOf('=');
          if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.text.slice(0, eq)))
            assigns.push({ name: t.text.slice(0, eq), value: subToken(t, eq + 1, t.text.length), nameLoc: subToken(t, 0, eq).loc });
          else break;
        }
      }
      continue;
    }
    if (base === 'nice' || base === 'ionice' || base === 'taskset' || base === 'chrt') {
      i++;
      while (i < words.length && words[i]!.text.startsWith('-')) i += /^-[a-zA-Z]$/.test(words[i]!.text) ? 2 : 1;
      continue;
    }
    if (base === 'sudo') {
      i++;
      skipDashed(new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T']));
      continue;
    }
    if (USER_WRAPPERS.has(base)) {
      i += 2;
      continue;
    }
    // `su -c "gunicorn …" django` (honcho Procfiles, supervisor programs): the command runs in the
    // user's shell; `su django -c "…"` and `su -s /bin/sh -c "…"` alike
    if (base === 'su') {
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
      if (!script || depth >= MAX_DEPTH || (script.dynamic && script.text.startsWith('$'))) break;
      recogniseScriptText(script, assigns, ctx, depth, out);
      return out;
    }
    if (base === 'chpst') {
      i++;
      while (i < words.length && words[i]!.text.startsWith('-')) i += /^-[uUenlLmdopfcrt]$/.test(words[i]!.text) ? 2 : 1;
      continue;
    }
    if (INIT_WRAPPERS.has(base)) {
      i++;
      skipDashed(new Set(['-s', '-e', '-p', '-r', '--rewrite']));
      continue;
    }
    if (base === 'newrelic-admin') {
      i++;
      if (words[i]?.text === 'run-program' || words[i]?.text === 'run-python') i++;
      continue;
    }
    if (base === 'ddtrace-run' || base === 'opentelemetry-instrument' || base === 'scout-apm') {
      i++;
      while (i < words.length && words[i]!.text.startsWith('-')) i += words[i]!.text.includes('=') || words[i]!.text === '--' ? 1 : 2;
      continue;
    }
    if (
      base === 'doppler' ||
      base === 'infisical' ||
      base === 'op' ||
      base === 'dotenv' ||
      base === 'chamber' ||
      base === 'aws-vault' ||
      base === 'envconsul'
    ) {
      const dd = words.findIndex((t, k) => k > i && t.text === '--');
      if (dd < 0) break;
      i = dd + 1;
      continue;
    }
    if (base === 'wait-for-it' || base === 'wait-for-it.sh' || base === 'wait-for' || base === 'wait-for.sh' || base === 'dockerize') {
      const dd = words.findIndex((t, k) => k > i && t.text === '--');
      if (dd >= 0) {
        i = dd + 1;
        continue;
      }
      if (base === 'dockerize') {
        i++;
        while (i < words.length && words[i]!.text.startsWith('-')) i += words[i]!.text.includes('=') ? 1 : 2;
        continue;
      }
      break;
    }
    if (RUNNERS.has(base) && words[i + 1]?.text === 'run') {
      i += 2;
      skipDashed(
        new Set([
          '--env-file',
          '--with',
          '--python',
          '-p',
          '--project',
          '--directory',
          '--group',
          '--extra',
          '--package',
          '-e',
          '--environment',
          '-n',
          '--name',
        ]),
      );
      continue;
    }
    if (base === 'watchmedo') {
      const dd = words.findIndex((t, k) => k > i && t.text === '--');
      if (dd < 0) break;
      i = dd + 1;
      continue;
    }
    if (SHELLS.has(base)) {
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
        if (depth >= MAX_DEPTH || (script.dynamic && script.text.startsWith('$'))) break;
        recogniseScriptText(script, assigns, ctx, depth, out);
        return out;
      }
      const t = words[k];
      if (t) out.scripts.push({ script: t, args: words.slice(k + 1) });
      return out;
    }
    if (isPython(base)) {
      i++;
      while (i < words.length && words[i]!.text.startsWith('-') && words[i]!.text !== '-m' && words[i]!.text !== '-c')
        i += PY_OPTS_WITH_VALUE.has(words[i]!.text) ? 2 : 1;
      const next = words[i];
      if (!next) break;
      if (next.text === '-m') {
        const mod = words[i + 1];
        if (!mod) break;
        if (SERVER_PROGRAMS[mod.text]) {
          out.invocations.push(parseServer(SERVER_PROGRAMS[mod.text]!, mod, words.slice(i + 2), assigns, ctx));
          return out;
        }
        // `python -m django runserver`, and `python -m <package> runserver` for a package whose
        // __main__ runs Django's management commands (ralph, sentry-style launchers)
        const sub = words[i + 2];
        if (sub && DEV_SERVER_COMMANDS.has(sub.text) && /^[A-Za-z_][\w.]*$/.test(mod.text)) {
          out.invocations.push(parseRunserver(mod, sub, words.slice(i + 3), assigns, ctx));
          return out;
        }
        if (mod.text === 'django') {
          if (sub) out.tasks.push(manageTask(mod, words.slice(i + 2), ctx));
          return out;
        }
        if (mod.text === 'celery') {
          out.tasks.push(celeryTask(mod, words.slice(i + 2), ctx));
          return out;
        }
        break;
      }
      if (basename(next.text) === 'manage.py' || basename(next.text) === 'django-admin.py' || basename(next.text) === 'django-admin') {
        const sub = words[i + 1];
        if (sub && DEV_SERVER_COMMANDS.has(sub.text)) out.invocations.push(parseRunserver(next, sub, words.slice(i + 2), assigns, ctx));
        else if (sub) out.tasks.push(manageTask(next, words.slice(i + 1), ctx));
        return out;
      }
      break;
    }
    if (base === 'manage.py' || base === 'django-admin' || base === 'django-admin.py') {
      const sub = words[i + 1];
      if (sub && DEV_SERVER_COMMANDS.has(sub.text)) out.invocations.push(parseRunserver(w, sub, words.slice(i + 2), assigns, ctx));
      else if (sub) out.tasks.push(manageTask(w, words.slice(i + 1), ctx));
      return out;
    }
    if (base === 'celery') {
      out.tasks.push(celeryTask(w, words.slice(i + 1), ctx));
      return out;
    }
    if (base === 'make' || base === 'gmake') {
      out.scripts.push({ script: w, args: words.slice(i + 1), make: true });
      return out;
    }
    // `npm run start`, `npm start`, `yarn start`, `pnpm run serve`: a script of package.json
    if (base === 'npm' || base === 'yarn' || base === 'pnpm') {
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
      return out;
    }
    // `npm-run-all -p render-*`, `run-p web worker`, `run-s migrate serve`: the scripts its patterns match
    if (base === 'npm-run-all' || base === 'run-p' || base === 'run-s') {
      for (const t of npmRunAllTasks(words.slice(i + 1)))
        out.scripts.push({ script: w, args: [], npmScript: t.text, ...(t.pattern ? { npmPattern: true } : {}) });
      return out;
    }
    if (OTHER_SOFTWARE.has(base)) {
      out.others.push({ program: w, conditional: ctx.conditional ?? false });
      return out;
    }
    if (base === 'supervisord') {
      out.scripts.push({ script: w, args: words.slice(i + 1), supervisord: supervisordConfig(words.slice(i + 1)) });
      return out;
    }
    const server = SERVER_PROGRAMS[base];
    if (server) {
      out.invocations.push(parseServer(server, w, words.slice(i + 1), assigns, ctx));
      return out;
    }
    if (w.forwardsArgs) {
      out.forwards.push({ token: w, conditional: ctx.conditional ?? false });
      return out;
    }
    if (isScriptLike(w)) {
      out.scripts.push({ script: w, args: words.slice(i + 1) });
      // `entrypoint.sh gunicorn …`: the script usually ends with `exec "$@"`
      if (depth < MAX_DEPTH && words.length > i + 1) {
        const rest = recogniseWords(words.slice(i + 1), assigns, ctx, depth + 1);
        out.invocations.push(...rest.invocations);
        out.scripts.push(...rest.scripts);
        out.forwards.push(...rest.forwards);
        out.tasks.push(...rest.tasks);
        out.others.push(...rest.others);
      }
      return out;
    }
    break;
  }
  return out;
}

// ---- option tables -------------------------------------------------------------------------------

interface FlagSpec {
  readonly key: string;
  readonly takesValue: boolean | 'optional';
}

function table(valueFlags: string, switches: string): Map<string, FlagSpec> {
  const m = new Map<string, FlagSpec>();
  for (const group of valueFlags.split(/\s+/).filter(Boolean)) {
    const flags = group.split('|');
    const key = flags.find((f) => f.startsWith('--')) ?? flags[0]!;
    for (const f of flags) m.set(f, { key, takesValue: true });
  }
  for (const group of switches.split(/\s+/).filter(Boolean)) {
    const flags = group.split('|');
    const key = flags.find((f) => f.startsWith('--')) ?? flags[0]!;
    for (const f of flags) m.set(f, { key, takesValue: false });
  }
  return m;
}

let gunicornFlags: Map<string, { setting: GunicornSetting | undefined; spec: FlagSpec }> | undefined;

/** Gunicorn's flags → settings, from the vocabulary (current settings only). */
export function gunicornFlagTable(): Map<string, { setting: GunicornSetting | undefined; spec: FlagSpec }> {
  if (gunicornFlags) return gunicornFlags;
  const m = new Map<string, { setting: GunicornSetting | undefined; spec: FlagSpec }>();
  for (const s of GUNICORN_SETTINGS) {
    if (s.removedIn) continue;
    for (const f of s.flags)
      m.set(f, {
        setting: s,
        spec: { key: s.name, takesValue: s.flagValue === 'none' ? false : s.flagValue === 'optional' ? 'optional' : true },
      });
  }
  for (const a of GUNICORN_FLAG_ALIASES) for (const f of a.flags) m.set(f, { setting: undefined, spec: { key: f, takesValue: false } });
  gunicornFlags = m;
  return m;
}

const UVICORN = table(
  '--host --port --uds --fd --reload-dir --reload-include --reload-exclude --reload-delay --workers --loop --http --ws --ws-max-size --ws-max-queue --ws-ping-interval --ws-ping-timeout --ws-per-message-deflate --lifespan --interface --env-file --log-config --log-level --forwarded-allow-ips --root-path --limit-concurrency --backlog --limit-max-requests --limit-max-requests-jitter --timeout-keep-alive --timeout-graceful-shutdown --timeout-worker-healthcheck --ssl-keyfile --ssl-certfile --ssl-keyfile-password --ssl-version --ssl-cert-reqs --ssl-ca-certs --ssl-ciphers --header --app-dir --h11-max-incomplete-event-size',
  '--reload --access-log --no-access-log --use-colors --no-use-colors --proxy-headers --no-proxy-headers --server-header --no-server-header --date-header --no-date-header --factory --version --help',
);

const DAPHNE = table(
  '-p|--port -b|--bind --websocket_timeout --websocket_connect_timeout -u|--unix-socket --fd -e|--endpoint -v|--verbosity -t|--http-timeout --access-log --log-fmt --ping-interval --ping-timeout --application-close-timeout --root-path --proxy-headers-host --proxy-headers-port -s|--server-name',
  '--proxy-headers --no-server-name -h|--help',
);

const HYPERCORN = table(
  '--access-logformat --access-logfile --backlog -b|--bind --ca-certs --certfile --cert-reqs --ciphers -c|--config --error-logfile|--log-file --graceful-timeout --read-timeout --max-requests --max-requests-jitter -g|--group -k|--worker-class --keep-alive --keyfile --keyfile-password --insecure-bind --log-config --log-level -p|--pid --quic-bind --root-path --server-name --statsd-host --statsd-prefix -m|--umask -u|--user --verify-mode --websocket-ping-interval -w|--workers',
  '--debug --reload -h|--help',
);

// granian's click options (2.x, and 1.x's --threads/--threading-mode/--opt): no abbreviations,
// `--x/--no-x` switch pairs; every option can also come from a GRANIAN_<NAME> variable
const GRANIAN = table(
  '--host --port --uds --uds-permissions --interface --http --workers --blocking-threads --blocking-threads-idle-timeout --runtime-threads --runtime-blocking-threads --runtime-mode --loop --task-impl --backlog --backpressure --http1-buffer-size --http1-header-read-timeout --http2-initial-connection-window-size --http2-initial-stream-window-size --http2-keep-alive-interval --http2-keep-alive-timeout --http2-max-concurrent-streams --http2-max-frame-size --http2-max-headers-size --http2-max-send-buffer-size --log-level --log-config --access-log-fmt --ssl-certificate --ssl-keyfile --ssl-keyfile-password --ssl-protocol-min --ssl-ca --ssl-crl --url-path-prefix --respawn-interval --rss-sample-interval --rss-samples --workers-lifetime --workers-max-rss --workers-kill-timeout --working-dir --env-files --static-path-route --static-path-mount --static-path-dir-to-file --static-path-expires --metrics-scrape-interval --metrics-address --metrics-port --reload-paths --reload-ignore-dirs --reload-ignore-patterns --reload-ignore-paths --reload-tick --process-name --pid-file --threads --threading-mode --io-blocking-threads',
  '--ws --no-ws --http1-keep-alive --no-http1-keep-alive --http1-pipeline-flush --no-http1-pipeline-flush --http2-adaptive-window --no-http2-adaptive-window --log --no-log --access-log --no-access-log --ssl-client-verify --no-ssl-client-verify --respawn-failed-workers --no-respawn-failed-workers --factory --no-factory --metrics --no-metrics --reload --no-reload --reload-ignore-worker-failure --no-reload-ignore-worker-failure --opt --no-opt --version --help',
);

const RUNSERVER = table(
  '--settings --pythonpath -v|--verbosity',
  '--noreload --nothreading -6|--ipv6 --insecure --nostatic --traceback --no-color --force-color --skip-checks --help',
);

function parseWith(
  words: readonly Token[],
  lookup: (flag: string) => { spec: FlagSpec } | { ambiguous: string[] } | undefined,
  shortSwitchCombos: boolean,
): { options: ParsedOption[]; positionals: Token[] } {
  const options: ParsedOption[] = [];
  const positionals: Token[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text;
    if (onlyPositionals || !t.startsWith('-') || t === '-' || /^-\d/.test(t)) {
      positionals.push(w);
      continue;
    }
    if (t === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    let found = lookup(name);
    let attached: Token | undefined = eq > 0 ? subToken(w, eq + 1, t.length) : undefined;
    let flagTok = eq > 0 ? subToken(w, 0, eq) : w;
    // `-w4` (a short flag with its value attached), `-Dw 4` (combined short switches)
    if (!found && !t.startsWith('--') && t.length > 2) {
      const short = lookup(t.slice(0, 2));
      if (short && 'spec' in short) {
        if (short.spec.takesValue) {
          found = short;
          flagTok = subToken(w, 0, 2);
          attached = subToken(w, 2, t.length);
        } else if (shortSwitchCombos) {
          options.push({ flag: subToken(w, 0, 2), key: short.spec.key, isSwitch: true });
          // the rest as its own flag word
          const rest = subToken(w, 2, t.length);
          words = [...words.slice(0, i + 1), { ...rest, text: '-' + rest.text, map: rest.map }, ...words.slice(i + 1)];
          // the synthetic word's text is one longer than its map: keep its location only
          continue;
        }
      }
    }
    if (!found) {
      options.push({ flag: flagTok, unknown: true, value: attached });
      continue;
    }
    if ('ambiguous' in found) {
      options.push({ flag: flagTok, ambiguous: found.ambiguous, value: attached });
      continue;
    }
    const spec = found.spec;
    if (spec.takesValue === false) {
      options.push({ flag: flagTok, key: spec.key, isSwitch: true, value: attached });
      continue;
    }
    if (attached) {
      options.push({ flag: flagTok, key: spec.key, value: attached });
      continue;
    }
    const next = words[i + 1];
    if (spec.takesValue === 'optional') {
      if (next && !next.text.startsWith('-')) {
        options.push({ flag: flagTok, key: spec.key, value: next });
        i++;
      } else options.push({ flag: flagTok, key: spec.key });
      continue;
    }
    if (next) {
      options.push({ flag: flagTok, key: spec.key, value: next });
      i++;
    } else options.push({ flag: flagTok, key: spec.key });
  }
  return { options, positionals };
}

/** Looks a gunicorn flag up: exactly, or as the unique prefix of long flags (argparse's abbreviations). */
export function lookupGunicornFlag(flag: string): { spec: FlagSpec; setting?: GunicornSetting } | { ambiguous: string[] } | undefined {
  const t = gunicornFlagTable();
  const exact = t.get(flag);
  if (exact) return { spec: exact.spec, setting: exact.setting };
  if (!flag.startsWith('--') || flag.length < 3) return undefined;
  const matches = [...t.entries()].filter(([f]) => f.startsWith('--') && f.startsWith(flag));
  const keys = [...new Set(matches.map(([, v]) => v.spec.key))];
  if (keys.length === 1) return { spec: matches[0]![1].spec, setting: matches[0]![1].setting };
  if (keys.length > 1) return { ambiguous: matches.map(([f]) => f) };
  return undefined;
}

function lookupIn(
  tab: Map<string, FlagSpec>,
  argparse: boolean,
): (flag: string) => { spec: FlagSpec } | { ambiguous: string[] } | undefined {
  return (flag) => {
    const exact = tab.get(flag);
    if (exact) return { spec: exact };
    if (!argparse || !flag.startsWith('--')) return undefined;
    const matches = [...tab.entries()].filter(([f]) => f.startsWith('--') && f.startsWith(flag));
    const keys = [...new Set(matches.map(([, v]) => v.key))];
    if (keys.length === 1) return { spec: matches[0]![1] };
    if (keys.length > 1) return { ambiguous: matches.map(([f]) => f) };
    return undefined;
  };
}

export function parseAppRef(t: Token | undefined): AppRef | undefined {
  if (!t || t.dynamic) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?::([A-Za-z_][A-Za-z0-9_.]*)(\(.*\))?)?$/.exec(t.text);
  if (!m) return undefined;
  return { token: t, module: m[1]!, attr: m[2], call: m[3] !== undefined };
}

/** A uWSGI command line as an invocation: its options by uWSGI's names, the app its `module`/`wsgi` names. */
function parseUwsgi(program: Token, words: readonly Token[], assignments: Invocation['assignments'], ctx: RecogniseContext): Invocation {
  const cl = readUwsgiArgs(words);
  const options: ParsedOption[] = cl.options.map((o) => ({
    flag: { ...o.value, text: `--${o.key}`, loc: o.keyLoc },
    key: o.key,
    ...(o.bare ? { isSwitch: true } : { value: o.value }),
  }));
  const mod = uwsgiOption({ file: program.loc.file, options: cl.options }, 'module', 'wsgi', 'w');
  const ref = mod && !mod.when ? parseAppRef(mod.value) : undefined;
  // uWSGI calls `application` in the module unless `--callable` names another
  const callable = uwsgiOption({ file: program.loc.file, options: cl.options }, 'callable');
  const app = ref && !ref.attr && callable && !callable.value.dynamic ? { ...ref, attr: callable.value.text } : ref;
  return {
    server: 'uwsgi',
    program,
    options,
    positionals: [],
    ...(app ? { app } : {}),
    assignments,
    conditional: ctx.conditional ?? false,
    ...(ctx.branch ? { branch: ctx.branch } : {}),
    ...(ctx.background ? { background: true } : {}),
    uwsgi: cl,
  };
}

function parseServer(
  server: ServerKind,
  program: Token,
  words: readonly Token[],
  assignments: Invocation['assignments'],
  ctx: RecogniseContext,
): Invocation {
  if (server === 'uwsgi') return parseUwsgi(program, words, assignments, ctx);
  const lookup =
    server === 'gunicorn'
      ? (f: string) => lookupGunicornFlag(f)
      : lookupIn(
          server === 'uvicorn' ? UVICORN : server === 'daphne' ? DAPHNE : server === 'granian' ? GRANIAN : HYPERCORN,
          server !== 'uvicorn' && server !== 'granian',
        );
  const { options, positionals } = parseWith(words, lookup, server !== 'uvicorn' && server !== 'granian');
  // gunicorn's `--paste` names an ini file instead of an app
  const paste = server === 'gunicorn' && options.some((o) => o.key === 'paste');
  return {
    server,
    program,
    options,
    positionals,
    app: paste ? undefined : parseAppRef(positionals[0]),
    assignments,
    conditional: ctx.conditional ?? false,
    ...(ctx.branch ? { branch: ctx.branch } : {}),
    ...(ctx.background ? { background: true } : {}),
  };
}

function parseRunserver(
  program: Token,
  sub: Token,
  words: readonly Token[],
  assignments: Invocation['assignments'],
  ctx: RecogniseContext,
): Invocation {
  const { options, positionals } = parseWith(words, lookupIn(RUNSERVER, true), true);
  return {
    server: 'runserver',
    program,
    subcommand: sub,
    options,
    positionals,
    assignments,
    conditional: ctx.conditional ?? false,
    ...(ctx.branch ? { branch: ctx.branch } : {}),
    ...(ctx.background ? { background: true } : {}),
  };
}

/** The last value given for an option key (later flags win). */
export function optionValue(inv: Invocation, key: string): ParsedOption | undefined {
  for (let i = inv.options.length - 1; i >= 0; i--) if (inv.options[i]!.key === key) return inv.options[i];
  return undefined;
}

export function hasSwitch(inv: Invocation, key: string): ParsedOption | undefined {
  return inv.options.find((o) => o.key === key && o.isSwitch);
}

export type { SimpleCommand };

/** Parses words as gunicorn's command line does (for GUNICORN_CMD_ARGS). */
export function parseGunicornArgs(words: readonly Token[]): { options: ParsedOption[]; positionals: Token[] } {
  return parseWith(words, (f) => lookupGunicornFlag(f), true);
}
