// The wrappers a command line may start its program through, each skipped as it parses its own
// arguments: exec, command, nohup, time, env (whose `NAME=value` words set the environment), nice,
// sudo, gosu/su-exec, chpst, init processes (tini, dumb-init), APM launchers (newrelic-admin,
// ddtrace-run), secret injectors (doppler run --, op run --), wait-for-it, dockerize, project
// runners (poetry run, uv run, pipenv run…: catalogue/projectRunners) and watchmedo.
import { afterProjectRunner, projectRunner } from '../../catalogue/projectRunners';
import { subToken, type Token } from '../text';
import type { Invocation } from './recognised';

/** skipWrapper's answer for a word that is no wrapper: the program itself. */
export const NOT_A_WRAPPER = -1;
/** skipWrapper's answer when the program a wrapper runs cannot be told (`doppler run` without `--`). */
export const WRAPPER_ENDS = -2;

const INIT_WRAPPERS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'docker-init']);
const USER_WRAPPERS = new Set(['su-exec', 'gosu', 'setuidgid', 'runuser']);
/** Wrappers that run the program after their `--` (secrets injected into its environment). */
const SECRET_RUNNERS = new Set(['doppler', 'infisical', 'op', 'dotenv', 'chamber', 'aws-vault', 'envconsul']);
const WAIT_FORS = new Set(['wait-for-it', 'wait-for-it.sh', 'wait-for', 'wait-for.sh', 'dockerize']);

/** The options of each wrapper that take a value (the next word). */
const NO_VALUES: ReadonlySet<string> = new Set();
const SUDO_VALUES: ReadonlySet<string> = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T']);
const INIT_VALUES: ReadonlySet<string> = new Set(['-s', '-e', '-p', '-r', '--rewrite']);

/**
 * When `words[i]` (whose base name is `base`) is a wrapper: the index of the word after its own
 * arguments (where the program it runs is), or WRAPPER_ENDS; the variables `env` sets are added to
 * `assigns`. NOT_A_WRAPPER for any other word.
 */
export function skipWrapper(words: readonly Token[], i: number, base: string, assigns: Invocation['assignments']): number {
  if (base === 'exec') {
    let k = i + 1;
    while (k < words.length && words[k]!.text.startsWith('-')) k += words[k]!.text === '-a' ? 2 : 1;
    return k;
  }
  if (base === 'command' || base === 'nohup' || base === 'time' || base === 'builtin' || base === 'stdbuf' || base === 'unbuffer')
    return skipDashed(words, i + 1, NO_VALUES);
  if (base === 'env') return skipEnv(words, i + 1, assigns);
  if (base === 'nice' || base === 'ionice' || base === 'taskset' || base === 'chrt') {
    let k = i + 1;
    while (k < words.length && words[k]!.text.startsWith('-')) k += /^-[a-zA-Z]$/.test(words[k]!.text) ? 2 : 1;
    return k;
  }
  if (base === 'sudo') return skipDashed(words, i + 1, SUDO_VALUES);
  if (USER_WRAPPERS.has(base)) return i + 2;
  if (base === 'chpst') {
    let k = i + 1;
    while (k < words.length && words[k]!.text.startsWith('-')) k += /^-[uUenlLmdopfcrt]$/.test(words[k]!.text) ? 2 : 1;
    return k;
  }
  if (INIT_WRAPPERS.has(base)) return skipDashed(words, i + 1, INIT_VALUES);
  if (base === 'newrelic-admin') {
    const k = i + 1;
    return words[k]?.text === 'run-program' || words[k]?.text === 'run-python' ? k + 1 : k;
  }
  if (base === 'ddtrace-run' || base === 'opentelemetry-instrument' || base === 'scout-apm') {
    let k = i + 1;
    while (k < words.length && words[k]!.text.startsWith('-')) k += words[k]!.text.includes('=') || words[k]!.text === '--' ? 1 : 2;
    return k;
  }
  if (SECRET_RUNNERS.has(base) || base === 'watchmedo') {
    const dd = dashDashAfter(words, i);
    return dd < 0 ? WRAPPER_ENDS : dd + 1;
  }
  if (WAIT_FORS.has(base)) {
    const dd = dashDashAfter(words, i);
    if (dd >= 0) return dd + 1;
    if (base !== 'dockerize') return WRAPPER_ENDS;
    let k = i + 1;
    while (k < words.length && words[k]!.text.startsWith('-')) k += words[k]!.text.includes('=') ? 1 : 2;
    return k;
  }
  if (projectRunner(base) && words[i + 1]?.text === 'run') {
    const texts = words.map((w) => w.text);
    texts[i] = base;
    return afterProjectRunner(texts, i);
  }
  return NOT_A_WRAPPER;
}

/** The index after the options from `k` on (those in `withValue` with their value), and after a `--` ending them. */
function skipDashed(words: readonly Token[], k: number, withValue: ReadonlySet<string>): number {
  while (k < words.length && words[k]!.text.startsWith('-') && words[k]!.text !== '--') {
    if (withValue.has(words[k]!.text)) k++;
    k++;
  }
  if (words[k]?.text === '--') k++;
  return k;
}

/** `env [options] [NAME=value…]` from `k` on: its assignments added to `assigns`; the index of the program. */
function skipEnv(words: readonly Token[], k: number, assigns: Invocation['assignments']): number {
  for (; k < words.length; k++) {
    const t = words[k]!;
    if (t.text === '-u' || t.text === '--unset' || t.text === '-C' || t.text === '--chdir' || t.text === '-S') k++;
    else if (t.text.startsWith('-')) continue;
    else {
      const eq = t.text.indexOf('=');
      if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.text.slice(0, eq)))
        assigns.push({ name: t.text.slice(0, eq), value: subToken(t, eq + 1, t.text.length), nameLoc: subToken(t, 0, eq).loc });
      else break;
    }
  }
  return k;
}

/** The index of the first `--` after `i`; -1 when there is none. */
function dashDashAfter(words: readonly Token[], i: number): number {
  for (let k = i + 1; k < words.length; k++) if (words[k]!.text === '--') return k;
  return -1;
}
