// The platform command lines that set an app's environment, as a deployment runbook (DEPLOY.md, a
// README's deployment section) or a committed deploy script writes them: `dokku config:set`,
// `heroku config:set`, `cf set-env`, `fly secrets set`, `railway variables --set`, `gcloud run
// deploy --set-env-vars`. Each with its CLI's documented syntax: where the app is named and how each
// variable is written. readers/platformCommands.ts reads them.
import type { Source } from './facts';

/** The platforms whose command line sets an app's environment. */
export type CommandPlatform = 'dokku' | 'heroku' | 'cloudfoundry' | 'fly' | 'railway' | 'cloudrun';

export interface PlatformCommandSyntax {
  readonly platform: CommandPlatform;
  /** The program names (`fly` and `flyctl`). */
  readonly programs: readonly string[];
  /** The subcommand words that set variables, each alternative as its words (`config:set`; `secrets set`). */
  readonly subcommands: readonly (readonly string[])[];
  /** How the command is shown in the summary ("dokku config:set"). */
  readonly label: string;
  /** Options that take the next word as their value (`-a myapp`), the app's or service's name among them. */
  readonly valueOptions: readonly string[];
  /** Of those, the ones naming the app, service or environment the command sets variables for. */
  readonly appOptions: readonly string[];
  /**
   * How variables are written: `pairs`, NAME=VALUE words (after the app for dokku); `name-value`,
   * cf's APP NAME VALUE; `option-list`, a comma-separated NAME=VALUE list after one of `listOptions`
   * (gcloud; `^X^` first changes the separator to X); `option-each`, one NAME=VALUE per listed option
   * (railway's `--set`).
   */
  readonly form: 'pairs' | 'name-value' | 'option-list' | 'option-each';
  readonly listOptions?: readonly string[];
  /** The first word that is not an option is the app (dokku, cf, gcloud's service). */
  readonly appFirst?: boolean;
  readonly source: Source;
}

export const PLATFORM_COMMANDS: readonly PlatformCommandSyntax[] = [
  {
    platform: 'dokku',
    programs: ['dokku'],
    subcommands: [['config:set']],
    label: 'dokku config:set',
    valueOptions: [],
    appOptions: [],
    form: 'pairs',
    appFirst: true,
    source: {
      url: 'https://dokku.com/docs/configuration/environment-variables/',
      quote: 'config:set [--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]  Set one or more config vars',
      versions: 'Dokku 0.3 and later',
    },
  },
  {
    platform: 'heroku',
    programs: ['heroku'],
    subcommands: [['config:set'], ['config:add']],
    label: 'heroku config:set',
    valueOptions: ['-a', '--app', '-r', '--remote'],
    appOptions: ['-a', '--app', '-r', '--remote'],
    form: 'pairs',
    source: {
      url: 'https://github.com/heroku/cli/blob/main/docs/config.md',
      quote:
        'heroku config:set — set one or more config vars; -a, --app=<value> (required) app to run command against; -r, --remote=<value> git remote of app to use. $ heroku config:set RAILS_ENV=staging RACK_ENV=staging',
      versions: 'Heroku CLI 7 and later (config:add is its alias)',
    },
  },
  {
    platform: 'cloudfoundry',
    programs: ['cf'],
    subcommands: [['set-env'], ['se']],
    label: 'cf set-env',
    valueOptions: [],
    appOptions: [],
    form: 'name-value',
    appFirst: true,
    source: {
      url: 'https://github.com/cloudfoundry/cli/blob/v7.0.0/cf/commands/application/set_env.go',
      quote:
        'Name: "set-env", ShortName: "se", Description: "Set an env variable for an app", Usage: "CF_NAME set-env APP_NAME ENV_VAR_NAME ENV_VAR_VALUE"',
      versions: 'cf CLI 6 and later',
    },
  },
  {
    platform: 'fly',
    programs: ['fly', 'flyctl'],
    subcommands: [['secrets', 'set']],
    label: 'fly secrets set',
    valueOptions: ['-a', '--app', '-c', '--config', '-t', '--access-token'],
    appOptions: ['-a', '--app'],
    form: 'pairs',
    source: {
      url: 'https://fly.io/docs/flyctl/secrets-set/',
      quote:
        "flyctl secrets set [flags] NAME=VALUE NAME=VALUE ... -a, --app string Application name. (fly.io/docs/secrets: an app's secrets are available as environment variables on every Machine belonging to that Fly App)",
    },
  },
  {
    platform: 'railway',
    programs: ['railway'],
    subcommands: [
      ['variables'],
      ['variable'],
      ['vars'],
      ['var'],
      ['variables', 'set'],
      ['variable', 'set'],
      ['vars', 'set'],
      ['var', 'set'],
    ],
    label: 'railway variables',
    valueOptions: ['-s', '--service', '-e', '--environment', '-p', '--project'],
    appOptions: ['-s', '--service', '-e', '--environment'],
    form: 'option-each',
    listOptions: ['--set'],
    source: {
      url: 'https://docs.rs/crate/railwayapp/4.20.0/source/src/commands/variables.rs',
      quote:
        'The "{key}={value}" environment variable pair to set the service variables. Example: railway variables --set "MY_SPECIAL_ENV_VAR=1" --set "BACKEND_PORT=3000"; -s, --service; -e, --environment. (docs.railway.com/cli/variable: railway variable set API_KEY=secret123 DEBUG=true)',
      versions: 'Railway CLI 3 and later',
    },
  },
  {
    platform: 'cloudrun',
    programs: ['gcloud'],
    subcommands: [
      ['run', 'deploy'],
      ['run', 'services', 'update'],
      ['beta', 'run', 'deploy'],
      ['alpha', 'run', 'deploy'],
    ],
    label: 'gcloud run deploy',
    valueOptions: [
      '--image',
      '--region',
      '--project',
      '--platform',
      '--source',
      '--service-account',
      '--memory',
      '--cpu',
      '--port',
      '--env-vars-file',
      '--set-secrets',
      '--update-secrets',
      '--add-cloudsql-instances',
      '--set-cloudsql-instances',
      '--vpc-connector',
      '--timeout',
      '--concurrency',
      '--min-instances',
      '--max-instances',
      '--command',
      '--args',
      '--labels',
      '--tag',
      '--ingress',
    ],
    appOptions: [],
    form: 'option-list',
    listOptions: ['--set-env-vars', '--update-env-vars'],
    appFirst: true,
    source: {
      url: 'https://cloud.google.com/run/docs/configuring/environment-variables',
      quote:
        'To specify environment variables while deploying a service, use the --set-env-vars flag: gcloud run deploy SERVICE --image IMAGE_URL --set-env-vars KEY1=VALUE1,KEY2=VALUE2 (gcloud run services update: --update-env-vars=[KEY=VALUE,…]; `gcloud topic escaping`: ^X^ first sets another separator)',
    },
  },
];

/** An app, service or environment named for a second environment (`myapp-staging`, `review`, `dev`): not production's. */
export const NON_PRODUCTION_APP_WORDS: readonly string[] = [
  'staging',
  'stage',
  'stg',
  'review',
  'dev',
  'develop',
  'development',
  'test',
  'testing',
  'qa',
  'preview',
  'demo',
  'sandbox',
];
