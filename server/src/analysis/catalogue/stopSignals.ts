// Which signal a platform stops a process with, and what an app server does with each.
import type { Fact } from './facts';

/** fly.io sends SIGINT to stop a machine's process unless fly.toml's kill_signal names another. */
export const FLY_KILL_SIGNAL: Fact<string> = {
  value: 'SIGINT',
  knob: 'kill_signal',
  source: {
    url: 'https://fly.io/docs/reference/configuration/#runtime-options',
    quote:
      'When shutting down a Fly app instance, by default, Fly sends a SIGINT signal to the running process. Typically this triggers a hard shutdown option on most applications. The kill_signal option allows you to change what signal is sent so that you can trigger a softer, less disruptive shutdown.',
  },
};

/** Gunicorn's arbiter: TERM stops gracefully; INT and QUIT stop at once. */
export const GUNICORN_STOP_SIGNALS: Fact<{ readonly graceful: string; readonly quick: readonly string[] }> = {
  value: { graceful: 'SIGTERM', quick: ['SIGINT', 'SIGQUIT'] },
  knob: 'graceful_timeout',
  source: {
    url: 'https://docs.gunicorn.org/en/stable/signals.html',
    quote:
      'QUIT, INT: Quick shutdown. TERM: Graceful shutdown. Waits for workers to finish their current requests up to the graceful_timeout.',
  },
};

/**
 * Uvicorn takes SIGINT and SIGTERM alike as a graceful shutdown: it stops listening, lets the
 * connections finish their responses and the background tasks complete, then runs the lifespan
 * shutdown; a second signal forces the exit.
 */
export const UVICORN_STOP_SIGNALS: Fact<{ readonly graceful: readonly string[] }> = {
  value: { graceful: ['SIGTERM', 'SIGINT'] },
  source: {
    url: 'https://www.uvicorn.org/server-behavior/#graceful-process-shutdown',
    quote:
      'Uvicorn handles process shutdown gracefully, ensuring that connections are properly finalized, and all tasks have run to completion. — uvicorn/server.py: HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM); handle_exit sets should_exit on the first, force_exit on the second.',
    versions: "uvicorn's docs at master; server.py as read at encode/uvicorn commit 00c1280c",
  },
};

/**
 * SIGKILL cannot be caught, blocked or ignored: the process ends at once, with no handler run — no
 * server finishes a request, closes its listening socket or stops its workers on it.
 */
export const SIGKILL_UNCATCHABLE: Fact<{ readonly signal: string }> = {
  value: { signal: 'SIGKILL' },
  source: {
    url: 'https://man7.org/linux/man-pages/man7/signal.7.html',
    quote: 'The signals SIGKILL and SIGSTOP cannot be caught, blocked, or ignored.',
  },
};

/** A process manager that stops the app's process, as the process model tells them apart. */
export type StopManager = 'docker' | 'compose' | 'kubernetes' | 'systemd' | 'supervisord' | 'procfile';

/**
 * The signal each process manager stops a process with when nothing says otherwise, what changes it
 * (spelled as its file spells it), and who it is in a message ("Docker", "systemd").
 */
export const DEFAULT_STOP_SIGNALS: Readonly<Record<StopManager, Fact<{ readonly signal: string; readonly name: string }>>> = {
  docker: {
    value: { signal: 'SIGTERM', name: 'Docker' },
    knob: 'STOPSIGNAL',
    source: {
      url: 'https://docs.docker.com/reference/cli/docker/container/stop/',
      quote:
        "The main process inside the container will receive SIGTERM, and after a grace period, SIGKILL. The first signal can be changed with the STOPSIGNAL instruction in the container's Dockerfile, or the --stop-signal option to docker run and docker create.",
    },
  },
  compose: {
    value: { signal: 'SIGTERM', name: 'Docker Compose' },
    knob: 'stop_signal',
    source: {
      url: 'https://docs.docker.com/reference/compose-file/services/#stop_signal',
      quote:
        'stop_signal defines the signal that Compose uses to stop the service containers. If unset containers are stopped by Compose by sending SIGTERM.',
    },
  },
  kubernetes: {
    value: { signal: 'SIGTERM', name: 'Kubernetes' },
    knob: 'STOPSIGNAL',
    source: {
      url: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-termination/',
      quote:
        'kubelet makes requests to the container runtime to attempt to stop the containers in the pod by first sending a TERM (aka. SIGTERM) signal, with a grace period timeout, to the main process in each container. […] Many container runtimes respect the STOPSIGNAL value defined in the container image and, if different, send the container image configured STOPSIGNAL instead of TERM.',
    },
  },
  systemd: {
    value: { signal: 'SIGTERM', name: 'systemd' },
    knob: 'KillSignal=',
    source: {
      url: 'https://www.freedesktop.org/software/systemd/man/latest/systemd.kill.html#KillSignal=',
      quote: 'KillSignal= Specifies which signal to use when stopping a service. […] Defaults to SIGTERM.',
    },
  },
  supervisord: {
    value: { signal: 'SIGTERM', name: 'supervisord' },
    knob: 'stopsignal=',
    source: {
      url: 'https://supervisord.org/configuration.html#program-x-section-values',
      quote:
        'stopsignal: The signal used to kill the program when a stop is requested. This can be specified using the signal’s name or its number. It is normally one of: TERM, HUP, INT, QUIT, KILL, USR1, or USR2. Default: TERM',
    },
  },
  procfile: {
    value: { signal: 'SIGTERM', name: 'Heroku' },
    source: {
      url: 'https://devcenter.heroku.com/articles/dynos#shutdown',
      quote:
        'the dyno manager will request that your processes shut down gracefully by sending them a SIGTERM signal. […] The application processes have 30 seconds to shut down cleanly […] If any processes remain after that time period, the dyno manager will terminate them forcefully with SIGKILL.',
    },
  },
};

/**
 * What uWSGI does with SIGTERM, by release line: 2.0 (the released line) brutally reloads the
 * workers and the master — the instance keeps running — unless `die-on-term` is set (or
 * `exit-on-reload`, which turns the reload into an exit); SIGINT and SIGQUIT stop it. The unreleased
 * 2.1 line makes SIGTERM stop the instance.
 */
export const UWSGI_SIGTERM: Fact<{
  readonly reloadsOnTerm: readonly string[];
  readonly stops: readonly string[];
  /** The signal uWSGI's systemd page stops it with (KillSignal=SIGQUIT). */
  readonly stopWith: string;
  readonly option: string;
  readonly alsoExits: readonly string[];
  readonly variable: string;
}> = {
  value: {
    reloadsOnTerm: ['2.0'],
    stops: ['SIGINT', 'SIGQUIT'],
    stopWith: 'SIGQUIT',
    option: 'die-on-term',
    alsoExits: ['exit-on-reload'],
    variable: 'UWSGI_DIE_ON_TERM',
  },
  knob: 'die-on-term',
  source: {
    url: 'https://uwsgi-docs.readthedocs.io/en/latest/Management.html#signals-for-controlling-uwsgi',
    quote:
      'SIGTERM: brutally reload all the workers and the master process (use --die-on-term to respect the convention of shutting down the instance). SIGINT: immediately kill the entire uWSGI stack. SIGQUIT: immediately kill the entire uWSGI stack. — Options: die-on-term "exit instead of brutal reload on SIGTERM" (no more needed in 2.1+); exit-on-reload "force exit even if a reload is requested". Systemd.html: "uWSGI 2.0 […] KillSignal=SIGQUIT".',
    versions:
      'uWSGI 2.0.x (2.1 stops on SIGTERM). Checked with Debian\'s uwsgi-core 2.0.21: `--master` alone logs "brutally killing workers… binary reloading uWSGI" on SIGTERM and keeps running; with `--die-on-term` it says "goodbye to uWSGI", with `--exit-on-reload` "GAME OVER (insert coin)", and without `--master` it exits.',
  },
};

/**
 * How systemd reads KillSignal=: a signal number, or a name from its table with or without `SIG`
 * (`SIGQUIT`, `QUIT`; upper case, as the table spells them), or `RTMIN`/`RTMIN+n`. Anything else is
 * logged ("Failed to parse signal name, ignoring") and the line ignored: the unit keeps the
 * default, SIGTERM.
 */
export const SYSTEMD_SIGNAL_NAMES: Fact<{ readonly names: readonly string[] }> = {
  value: {
    names: [
      'HUP',
      'INT',
      'QUIT',
      'ILL',
      'TRAP',
      'ABRT',
      'BUS',
      'FPE',
      'KILL',
      'USR1',
      'SEGV',
      'USR2',
      'PIPE',
      'ALRM',
      'TERM',
      'STKFLT',
      'CHLD',
      'CONT',
      'STOP',
      'TSTP',
      'TTIN',
      'TTOU',
      'URG',
      'XCPU',
      'XFSZ',
      'VTALRM',
      'PROF',
      'WINCH',
      'IO',
      'PWR',
      'SYS',
    ],
  },
  knob: 'KillSignal=',
  source: {
    url: 'https://www.freedesktop.org/software/systemd/man/latest/systemd.kill.html#KillSignal=',
    quote:
      'KillSignal= Specifies which signal to use when stopping a service. […] Defaults to SIGTERM. — src/shared/conf-parser.c config_parse_signal: r = signal_from_string(rvalue); if (r <= 0) { log_syntax(…, "Failed to parse signal name, ignoring: %s", rvalue); return 0; } — src/basic/signal-util.c signal_from_string: a number; else drop a "SIG" prefix and look the name up in the signal table (streq), else RTMIN[+n].',
    versions:
      'systemd source as read at systemd/systemd main (signal-util.c, conf-parser.c); systemd.unit(5): unknown or invalid settings are logged and ignored',
  },
};

/**
 * How supervisord reads `stopsignal=` (supervisor/datatypes.py signal_number): a number, or a name,
 * any case, with or without `SIG`, that Python's `signal` module has; anything else raises
 * "value … is not a valid signal name" while the configuration is read, so the configuration (and
 * the program) is not loaded. supervisord's docs say only that the signal "can be specified using
 * the signal's name or its number".
 */
export const SUPERVISORD_SIGNAL_NAMES: Fact<{ readonly names: readonly string[] }> = {
  value: {
    names: [...SYSTEMD_SIGNAL_NAMES.value.names, 'IOT', 'CLD', 'POLL', 'RTMIN', 'RTMAX'],
  },
  knob: 'stopsignal=',
  source: {
    url: 'https://supervisord.org/configuration.html#program-x-section-values',
    quote:
      "stopsignal: The signal used to kill the program when a stop is requested. This can be specified using the signal’s name or its number. — supervisor/datatypes.py signal_number: name = value.strip().upper(); if not name.startswith('SIG'): name = 'SIG' + name; num = getattr(signal, name, None); if num is None: raise ValueError('value %r is not a valid signal name' % value)",
    versions: 'supervisor 4.x (datatypes.py signal_number); Python signal module names on Linux',
  },
};

/**
 * KillSignal= as systemd reads it: its SIG name, or undefined when systemd does not know it (the
 * line is then ignored and SIGTERM applies: SYSTEMD_SIGNAL_NAMES).
 */
export function systemdSignalName(text: string): string | undefined {
  const t = text.trim();
  if (/^[0-9]{1,3}$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= 64 ? (signalName(t) ?? `signal ${n}`) : undefined;
  }
  const bare = t.startsWith('SIG') ? t.slice(3) : t;
  if (SYSTEMD_SIGNAL_NAMES.value.names.includes(bare)) return `SIG${bare}`;
  if (/^RTMIN(\+[0-9]{1,2})?$/.test(bare)) return `SIG${bare}`;
  return undefined;
}

/** `stopsignal=` as supervisord reads it: its SIG name, or undefined when supervisord rejects it (SUPERVISORD_SIGNAL_NAMES). */
export function supervisordSignalName(text: string): string | undefined {
  const t = text.trim().toUpperCase();
  if (/^[0-9]{1,3}$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= 64 ? (signalName(t) ?? `signal ${n}`) : undefined;
  }
  const bare = t.startsWith('SIG') ? t.slice(3) : t;
  return SUPERVISORD_SIGNAL_NAMES.value.names.includes(bare) ? `SIG${bare}` : undefined;
}

/** A stop signal as the managers write it (`QUIT`, `sigquit`, `SIGQUIT`, `3`), in its SIG-name, or undefined when not a known name or number. */
export function signalName(text: string): string | undefined {
  const t = text.trim().toUpperCase();
  const numbers: Record<string, string> = { '1': 'SIGHUP', '2': 'SIGINT', '3': 'SIGQUIT', '9': 'SIGKILL', '15': 'SIGTERM' };
  if (numbers[t]) return numbers[t];
  if (/^(SIG)?[A-Z][A-Z0-9]*$/.test(t)) return t.startsWith('SIG') ? t : `SIG${t}`;
  return undefined;
}
