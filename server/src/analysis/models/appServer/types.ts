// The app-server model's shapes: the gunicorn runs with their effective settings and where each
// comes from, the config files they load, the apps they serve and where those are, and the model's
// questions (which config modules production uses, where a setting takes effect, what an app is).
import type { Loc, Value } from '../../eval/values';
import type { AppRef, ParsedOption } from '../../readers/process/commands';
import type { EnvValue, ProcessModel, ServerInvocation } from '../process/index';
import type { Token } from '../../readers/text';
import type { ConfigSetting, GunicornConfig } from '../../readers/python/gunicornConfig';
import type { GunicornSetting } from '../../catalogue/gunicornSettings';
import type { LitestreamConfig } from '../../readers/litestreamConfig';
import type { Dockerfile } from '../../readers/container/dockerfile';
import type { CopiedEnvFile } from './contextEnvFiles';

export type SettingSource = 'config' | 'command line' | 'GUNICORN_CMD_ARGS' | 'environment';

/** One place a setting gets its value. */
export interface SettingOccurrence {
  readonly name: string;
  readonly def: GunicornSetting;
  /** Flag values are strings, converted to int for integer settings when they read as one. */
  readonly value: Value;
  /** Where the value is written (the flag itself for switches). */
  readonly loc: Loc;
  /** Where the setting is named (config name, flag, variable name). */
  readonly nameLoc: Loc;
  readonly source: SettingSource;
  readonly config?: GunicornConfig;
  readonly configSetting?: ConfigSetting;
  readonly option?: ParsedOption;
  /** For 'environment': the variable. */
  readonly envName?: string;
}

export interface ConfigRef {
  readonly text: string;
  readonly loc: Loc;
  readonly token: Token;
  /** found: the file; missing: no such file in the workspace; unknown: cannot tell (variables, paths outside). */
  readonly status: 'found' | 'missing' | 'unknown';
  readonly file?: string;
}

/** The app a run serves. */
export interface AppTarget extends AppRef {
  readonly loc: Loc;
  readonly from: 'command line' | 'wsgi_app';
}

export interface GunicornRun {
  /** "Procfile (web)", "gunicorn.conf.py"… */
  readonly label: string;
  readonly invocation?: ServerInvocation;
  readonly config?: GunicornConfig;
  readonly configRef?: ConfigRef;
  readonly production: boolean;
  /** Effective settings (the value that wins). */
  readonly settings: ReadonlyMap<string, SettingOccurrence>;
  /** Options read from GUNICORN_CMD_ARGS, with the variable's value. */
  readonly cmdArgs?: { readonly env: EnvValue; readonly options: ParsedOption[] };
  /** Where findings about something this run never sets land. */
  readonly anchor: Loc;
  readonly app?: AppTarget;
  /** Why some of the run's settings cannot be known (a config path or options in variables). */
  readonly opaque?: string;
}

export type AppResolution =
  | {
      readonly status: 'found';
      readonly file: string;
      readonly module: string;
      readonly isPackage: boolean;
      readonly attr?: string;
      readonly attrMissing?: boolean;
    }
  | { readonly status: 'missing'; readonly module: string }
  | { readonly status: 'external' | 'unknown'; readonly module: string };

export type AppKind = 'asgi' | 'wsgi';

export interface AppServerModel {
  /** Gunicorn config modules (found by name or named with -c/--config), evaluated. */
  readonly configs: readonly GunicornConfig[];
  /** Process command lines that start a server (gunicorn, uvicorn, daphne, hypercorn, runserver). */
  readonly commands: readonly ServerInvocation[];
  /** Gunicorn runs: each gunicorn command line with its config, and each config no command line loads. */
  readonly runs: readonly GunicornRun[];
  readonly processes: ProcessModel;
  /** The committed Litestream configuration files (litestream.yml) and the databases they name. */
  readonly litestreamConfigs: readonly LitestreamConfig[];
  /** The gunicorn version the project pins, when it pins one exactly. */
  readonly gunicornVersion?: { readonly version: string; readonly source: string };
  /** Whether a config module is used in production (loaded by a production run, or by none and not named for development). */
  configProduction(config: GunicornConfig): boolean;
  /** Where a setting takes effect in production runs (deduplicated by location), with those runs. */
  occurrences(name: string): (SettingOccurrence & { readonly runs: readonly GunicornRun[] })[];
  /** Where the app module of a run or a command line is. */
  resolveApp(app: AppRef, invocation?: ServerInvocation, run?: GunicornRun): AppResolution;
  /** Whether an app is an ASGI or a WSGI application, when that can be told. */
  appKind(app: AppRef, invocation?: ServerInvocation, run?: GunicornRun): AppKind | undefined;
  /** The value the app's module binds to the app's name, when its module was evaluated (a WSGI wrapper's call: `dj_static.Cling(…)`). */
  appValue(app: AppRef, invocation?: ServerInvocation, run?: GunicornRun): Value | undefined;
  /**
   * The project's own management command `name` (`manage.py build`): each module that defines it
   * (`…/management/commands/build.py`) with the commands it runs through `call_command("…")`.
   */
  commandCalls(name: string): readonly { readonly file: string; readonly calls: readonly string[] }[];
  /**
   * The COPY/ADD sources of the image a Dockerfile builds that take an env file git ignores in the
   * build context, which no .dockerignore of the build leaves out (contextEnvFiles.ts).
   */
  envFilesCopied(d: Dockerfile): readonly CopiedEnvFile[];
  /** Where the project's settings read an env file into os.environ at run time (`load_dotenv()`), as "mysite/settings.py:5"; computed once. */
  readonly settingsLoadEnvFile: string | undefined;
}

export interface AppServerOptions {
  /** Wall-clock deadline (ms since epoch) for evaluating config modules. */
  readonly deadline?: number;
  /**
   * Keep the evaluation of each app module (`dojo/wsgi.py`) for the next analysis of the workspace,
   * which takes it again while the workspace answers what it asked alike (the language server:
   * every keystroke's analysis evaluated the app module again for the proxy rules).
   */
  readonly reuse?: boolean;
}
