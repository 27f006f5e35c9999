// DDH906: code that prints or logs the whole environment (os.environ).
import type { CallRecord } from '../../eval/scope';
import * as V from '../../eval/values';
import type { Value } from '../../eval/values';
import type { Rule } from '../types';

const PRINTERS = new Set(['print', 'pprint.pprint', 'pprint.pp', 'sys.stdout.write', 'sys.stderr.write']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'msg']);
/** A logging module or logger object: `logging`, `logging.getLogger()`, `structlog.get_logger()`, `loguru.logger`. */
const LOGGER = /(^|\.)(logging|logger|log|structlog|loguru)$|getLogger\(|get_logger\(/i;
const RUNNERS = new Set(['os.system', 'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.Popen']);

/** Whether a value holds the whole environment (os.environ, a copy, text or items made from it), also nested in containers. */
function holdsEnviron(v: Value, depth = 0): boolean {
  if (V.holdsWholeEnvironment(v)) return true;
  if (depth > 3) return false;
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') return v.items.some((i) => holdsEnviron(i, depth + 1));
  if (v.kind === 'dict') return v.values.some((i) => holdsEnviron(i, depth + 1));
  return false;
}

/** What the call does with its arguments, or undefined when it neither prints nor logs. */
function outputKind(callee: string): 'prints' | 'logs' | undefined {
  if (PRINTERS.has(callee)) return 'prints';
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  if (LOG_METHODS.has(last) && LOGGER.test(callee.slice(0, callee.lastIndexOf('.')))) return 'logs';
  return undefined;
}

/** `env` / `printenv` run through a shell or subprocess, printing the environment. */
function runsEnv(c: CallRecord): boolean {
  if (!RUNNERS.has(c.callee)) return false;
  const cmd = c.args[0] ?? c.kwargs.get('args');
  if (!cmd) return false;
  const first =
    cmd.kind === 'str'
      ? cmd.v
      : cmd.kind === 'list' || cmd.kind === 'tuple'
        ? cmd.items.length === 1 && cmd.items[0]!.kind === 'str'
          ? cmd.items[0]!.v
          : undefined
        : undefined;
  return first !== undefined && /^\s*(env|printenv|set)\s*(\||>|$)/.test(first);
}

export const environmentPrinted: Rule = {
  code: 'DDH906',
  name: 'environment-printed',
  title: 'The whole environment is printed or logged',
  severity: 'error',
  group: 'logging-monitoring',
  checklist: 'error-tracking',
  target: 'settings',
  docs: {
    what: 'The production settings (or a module they import) print or log the whole process environment: `print(os.environ)`, `pprint(os.environ)`, `logger.info(os.environ)` or `logging.debug(...)` with it as an argument (also inside a list or dict), a copy (`dict(os.environ)`, `{**os.environ}`, `os.environ.copy()`) or text made from it (`str()`, an f-string, `json.dumps()`, `.items()`), or run `env` / `printenv` through `os.system()` or `subprocess`. Printing one variable by name, or the names alone (`.keys()`), is not flagged.',
    why: "The environment is where the secrets live: SECRET_KEY, DATABASE_URL with its password, API tokens, cloud credentials. Settings run in every process, so the whole set goes to the logs at every start of every worker and every management command — and logs are kept, shipped to third parties and readable by many more people than the secrets store. A deployment guide's author recounts exactly this: a teammate dumped os.environ while debugging, DATABASE_URL ended up in plain text in the logs, and everything had to be rotated.",
    example: 'import os\nprint(os.environ)   # "just to check the deployment picks up the variables"',
    fix: 'Remove the call. To check which variables a deployment sees, print their names only (`sorted(os.environ)`), or check the one you need without its value (`"DATABASE_URL" in os.environ`). If the environment was already printed in production, rotate every secret it held.',
    good: 'import os\nprint(sorted(os.environ))   # names only',
    references: [
      {
        title: 'Django deployment checklist: critical settings',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#critical-settings',
      },
      {
        title: 'OWASP: logging cheat sheet (data to exclude)',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude',
      },
    ],
  },
  check(ctx) {
    for (const c of ctx.calls) {
      if (runsEnv(c)) {
        ctx.report({
          loc: c.loc,
          message: `${c.callee}() runs a command that prints every environment variable: secrets such as SECRET_KEY and DATABASE_URL end up in the logs; remove it.`,
        });
        continue;
      }
      const kind = outputKind(c.callee);
      if (!kind) continue;
      if (!c.args.some((a) => holdsEnviron(a)) && ![...c.kwargs.values()].some((a) => holdsEnviron(a))) continue;
      ctx.report({
        loc: c.loc,
        message: `${kind === 'prints' ? `${c.callee}()` : `A logging call (.${c.callee.slice(c.callee.lastIndexOf('.') + 1)}())`} ${kind} the whole environment (os.environ): every secret in it, such as SECRET_KEY and DATABASE_URL, ends up in the logs; remove it or print variable names only.`,
      });
    }
  },
};
