// App servers' command lines, parsed as each server's own argument parser does: gunicorn's
// argparse (`--workers=4`, `-w4`, `-w 4`, unique prefixes of long options; switches take no value,
// its flags from the gunicorn vocabulary), uvicorn's and granian's click options (no
// abbreviations), daphne's and hypercorn's argparse, Django's runserver, and uWSGI's own vocabulary.
import { GUNICORN_FLAG_ALIASES, GUNICORN_SETTINGS, type GunicornSetting } from '../../catalogue/gunicornSettings';
import { subToken, type Token } from '../text';
import { readUwsgiArgs, uwsgiOption } from './appConfigs';
import type { AppRef, Invocation, ParsedOption, RecogniseContext, ServerKind } from './recognised';

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
    ...(ctx.calls ? { calls: ctx.calls } : {}),
    ...(ctx.background ? { background: true } : {}),
    uwsgi: cl,
  };
}

export function parseServer(
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
    ...(ctx.calls ? { calls: ctx.calls } : {}),
    ...(ctx.background ? { background: true } : {}),
  };
}

export function parseRunserver(
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
    ...(ctx.calls ? { calls: ctx.calls } : {}),
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

/** Parses words as gunicorn's command line does (for GUNICORN_CMD_ARGS). */
export function parseGunicornArgs(words: readonly Token[]): { options: ParsedOption[]; positionals: Token[] } {
  return parseWith(words, (f) => lookupGunicornFlag(f), true);
}
