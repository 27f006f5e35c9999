// The CLI's command line: the usage text, and the arguments read and checked (a usage error is
// reported with exit status 2 by main.ts).
import { PROJECT_DEADLINE_MS } from './bounded';

export const USAGE = `Usage:
  django-deploy-check [PATH] [options]      analyse the Django project(s) under PATH (default .)
  django-deploy-check rules [--format F]    list every rule
  django-deploy-check checklist [PATH] [--format text|json|markdown]
                                            the production checklist
  django-deploy-check migrations [PATH] [--since REF | --all] [options]
                                            check the migrations added or changed since the
                                            merge base with the default branch (origin's HEAD,
                                            else main or master); without git, the newest
                                            migration of each app
  django-deploy-check settings [PATH] [--format text|json] [--diff]
                                            every setting of the production module as Django
                                            will see it: value (secrets masked), state (known,
                                            environment, unknown, default), where it was set;
                                            --diff: only what differs from Django's defaults

Options:
  --format F                    text (default), json, sarif, github (Actions annotations),
                                gitlab (Code Quality), junit; checklist: text, json, markdown
  --output FILE                 write the --format report to FILE and print the text report
  --statistics                  print how many findings each rule has instead of the findings
  --fail-on error|warning|information|never
                                exit 1 when a finding at or above this severity exists (default warning)
  --settings MODULE             dotted production settings module (overrides detection)
  --django-version X.Y          Django version (overrides detection)
  --disable CODE[,CODE]         disable rules
  --fix                         apply safe fixes, then report what remains
  --unsafe-fixes                with --fix or --diff: also apply fixes that change behaviour
  --diff                        print the fixes as a unified diff instead of writing them;
                                settings: only the settings that differ from Django's defaults
  --time-limit SECONDS          stop analysing further projects after this long (default 300)
  --project-deadline SECONDS    stop a project's analysis that has not finished after this long
                                (default 30): it is reported as stopped, with where it was
  --since REF                   migrations: compare with the merge base of HEAD and REF
  --all                         migrations: check every migration, not only the new ones
  -h, --help                    show this help
  --version                     print the version
`;

export class UsageError extends Error {}

/** The run's time limit by default, in seconds: each project also has its own budget (engine.ts). */
const DEFAULT_TIME_LIMIT_S = 300;

export interface CliArgs {
  command: 'check' | 'rules' | 'checklist' | 'migrations' | 'settings';
  path: string;
  format: string;
  failOn: string;
  failOnExplicit: boolean;
  settings?: string;
  djangoVersion?: string;
  disable: string[];
  fix: boolean;
  unsafeFixes: boolean;
  diff: boolean;
  output?: string;
  statistics: boolean;
  timeLimit: number;
  /** One project's hard deadline (ms): see bounded.ts. */
  projectDeadline: number;
  /** migrations: the ref to compare with, or every migration. */
  since?: string;
  all: boolean;
}

export function parseArgs(argv: string[]): CliArgs | 'help' | 'version' {
  const args: CliArgs = {
    command: 'check',
    path: '.',
    format: 'text',
    failOn: 'warning',
    failOnExplicit: false,
    disable: [],
    fix: false,
    unsafeFixes: false,
    diff: false,
    statistics: false,
    timeLimit: DEFAULT_TIME_LIMIT_S,
    projectDeadline: PROJECT_DEADLINE_MS,
    all: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--version':
        return 'version';
      case '--format':
        args.format = value();
        break;
      case '--statistics':
        args.statistics = true;
        break;
      case '--output':
        args.output = value();
        break;
      case '--fail-on':
        args.failOn = value();
        args.failOnExplicit = true;
        break;
      case '--settings':
        args.settings = value();
        break;
      case '--django-version':
        args.djangoVersion = value();
        break;
      case '--fix':
        args.fix = true;
        break;
      case '--unsafe-fixes':
        args.unsafeFixes = true;
        break;
      case '--diff':
        args.diff = true;
        break;
      case '--since':
        args.since = value();
        break;
      case '--all':
        args.all = true;
        break;
      case '--time-limit': {
        const v = value();
        args.timeLimit = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(args.timeLimit > 0)) throw new UsageError('--time-limit must be a number of seconds above 0');
        break;
      }
      case '--project-deadline': {
        const v = value();
        args.projectDeadline = Number(v) * 1000;
        if (!/^\d+(\.\d+)?$/.test(v) || !(args.projectDeadline > 0))
          throw new UsageError('--project-deadline must be a number of seconds above 0');
        break;
      }
      case '--disable':
        args.disable.push(
          ...value()
            .split(',')
            .map((c) => c.trim().toUpperCase())
            .filter(Boolean),
        );
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (positional[0] === 'rules' || positional[0] === 'checklist' || positional[0] === 'migrations' || positional[0] === 'settings') {
    args.command = positional[0];
    positional.shift();
  } else if (positional[0] === 'check') positional.shift();
  if (positional.length > 1) throw new UsageError(`expected one PATH, got ${positional.length}`);
  if (positional[0]) args.path = positional[0];
  const formats =
    args.command === 'rules' || args.command === 'settings'
      ? ['text', 'json']
      : args.command === 'checklist'
        ? ['text', 'json', 'markdown']
        : ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'];
  if (!formats.includes(args.format)) throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  if (!['error', 'warning', 'information', 'hint', 'never'].includes(args.failOn))
    throw new UsageError('--fail-on must be error, warning, information or never');
  if (args.djangoVersion && !/^\d+\.\d+$/.test(args.djangoVersion)) throw new UsageError('--django-version must look like 4.2');
  if (args.settings && !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(args.settings))
    throw new UsageError('--settings must be a dotted module name');
  if (args.command === 'settings' && (args.fix || args.unsafeFixes))
    throw new UsageError('--fix and --unsafe-fixes do not go with settings');
  if (args.unsafeFixes && !args.fix && !args.diff) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  if ((args.since !== undefined || args.all) && args.command !== 'migrations') throw new UsageError('--since and --all go with migrations');
  if (args.since !== undefined && args.all) throw new UsageError('--since and --all cannot be used together');
  if (args.since !== undefined && (args.since === '' || args.since.startsWith('-'))) throw new UsageError('--since needs a git ref');
  return args;
}
