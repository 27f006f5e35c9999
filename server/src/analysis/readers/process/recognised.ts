// What recognising a command line finds (commands.ts): the app servers it starts with their
// options and app, the scripts it runs (a start script, a make target, an npm script, supervisord),
// the commands that hand over to their script's arguments (`exec "$@"`), the Django management
// commands and celery processes, and other software's programs.
import type { BranchTest } from '../shell';
import type { Token } from '../text';
import type { UwsgiCommandLine } from './appConfigs';

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
  /** In a function the script calls from several places: the tests of each (see SimpleCommand.calls). */
  readonly calls?: readonly (readonly BranchTest[])[];
  /** Started in the background (`gunicorn … &`). */
  readonly background?: boolean;
  /** uWSGI's command line, read with uWSGI's option vocabulary (its options are also in `options`, keyed by uWSGI's names). */
  readonly uwsgi?: UwsgiCommandLine;
  /** Recognised in the words after a start script (`./entrypoint.sh gunicorn …`): that script's token; it runs only if the script runs its arguments. */
  readonly argsOf?: Token;
  /**
   * Set when that script is not in the repository (an image built elsewhere ships it): its text. What
   * it does with the words (adds options, picks a mode, runs its own command line) cannot be read.
   */
  readonly argsOfUnread?: string;
  /** Started as the `-exec` subprocess of `litestream replicate` (catalogue/litestream.ts), which replicates SQLite databases while it runs. */
  readonly replicatedBy?: LitestreamReplicate;
}

/** `litestream replicate [options] [DB_PATH REPLICA_URL] -exec "…"`: what it replicates, as written. */
export interface LitestreamReplicate {
  /** The `litestream` word. */
  readonly program: Token;
  /** Command-line mode: the one database it replicates (`DB_PATH`). */
  readonly database?: Token;
  /** Its `-config` file; undefined for the default one (or none, in command-line mode). */
  readonly config?: Token;
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
  /** `. ./env.sh`, `source ./env.sh`: the script runs in the shell itself (what it exports holds for the commands after it). */
  readonly sourced?: true;
  /** A start script run only conditionally (if/case/||/function body); set for start scripts, `sh script`, a sourced script and supervisord. */
  readonly conditional?: boolean;
  /** The `if` tests it depends on, outermost first (see SimpleCommand.branch). */
  readonly branch?: readonly BranchTest[];
  /** In a function the script calls from several places: the tests of each (see SimpleCommand.calls). */
  readonly calls?: readonly (readonly BranchTest[])[];
  /** Recognised in the words after a start script (`./entrypoint.sh gunicorn …`): that script's token; it runs only if the script runs its arguments. */
  readonly argsOf?: Token;
}

/** A command that runs the script's own arguments (`exec "$@"`): an entrypoint handing over to CMD. */
export interface ArgsForward {
  readonly token: Token;
  readonly conditional: boolean;
  /** Recognised in the words after a start script (`./entrypoint.sh gunicorn …`): that script's token; it runs only if the script runs its arguments. */
  readonly argsOf?: Token;
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
  /** In a function the script calls from several places: the tests of each (see SimpleCommand.calls). */
  readonly calls?: readonly (readonly BranchTest[])[];
  /** Recognised in the words after a start script (`./entrypoint.sh gunicorn …`): that script's token; it runs only if the script runs its arguments. */
  readonly argsOf?: Token;
}

/** A program of other software than the app a command line starts (`caddy run`, `nginx -g "daemon off;"`): not Python. */
export interface OtherProgram {
  readonly program: Token;
  /** The words after the program (`run --config deploy/Caddyfile`). */
  readonly args?: readonly Token[];
  readonly conditional: boolean;
  /** Recognised in the words after a start script (`./entrypoint.sh gunicorn …`): that script's token; it runs only if the script runs its arguments. */
  readonly argsOf?: Token;
}

/**
 * A command that downloads and installs packages (`apt-get install`, `apk add`, `pip install`, `npm ci`:
 * catalogue/packageInstallers.ts): what an image's build does, found here on a process's command line.
 */
export interface PackageInstall {
  readonly program: Token;
  /** The command word (`install`, `add`, `ci`); absent for a bare `yarn`. */
  readonly command?: Token;
  /** Where it downloads from (`PyPI`, `the npm registry`). */
  readonly from: string;
  readonly conditional: boolean;
  /** The `if` tests it depends on, outermost first (see SimpleCommand.branch). */
  readonly branch?: readonly BranchTest[];
  /** In a function the script calls from several places: the tests of each (see SimpleCommand.calls). */
  readonly calls?: readonly (readonly BranchTest[])[];
  /** Recognised in the words after a start script (`./entrypoint.sh gunicorn …`): that script's token; it runs only if the script runs its arguments. */
  readonly argsOf?: Token;
}

export interface Recognised {
  readonly invocations: Invocation[];
  readonly scripts: ScriptRef[];
  readonly forwards: ArgsForward[];
  readonly tasks: TaskInvocation[];
  readonly others: OtherProgram[];
  readonly installs: PackageInstall[];
}

export interface RecogniseContext {
  readonly lookup?: (name: string) => string | undefined;
  /**
   * A bare command name that the image installs as a script of the workspace (`COPY entrypoint.sh
   * /usr/local/bin/app` then `ENTRYPOINT ["app"]`): run as the start script it is.
   */
  readonly installedScript?: (name: string) => boolean;
  readonly conditional?: boolean;
  readonly branch?: readonly BranchTest[];
  /** In a function the script calls from several places: the tests of each (see SimpleCommand.calls). */
  readonly calls?: readonly (readonly BranchTest[])[];
  readonly background?: boolean;
}
