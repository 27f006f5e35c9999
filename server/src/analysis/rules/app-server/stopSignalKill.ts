// DDG331: a production app server (gunicorn, uvicorn, uWSGI) stopped with SIGKILL as written:
// supervisord `stopsignal=KILL`, systemd `KillSignal=SIGKILL`, compose `stop_signal: SIGKILL`, a
// Dockerfile `STOPSIGNAL SIGKILL`, fly.toml `kill_signal = "SIGKILL"`. The server cannot shut down.
import { GUNICORN_STOP_SIGNALS, SIGKILL_UNCATCHABLE, UVICORN_STOP_SIGNALS, UWSGI_SIGTERM } from '../../catalogue/stopSignals';
import { stoppersOf, type Stopper } from '../../models/process/index';
import type { Loc } from '../../eval/values';
import type { ServerKind } from '../../readers/process/recognised';
import type { Fix, Rule } from '../types';
import { productionServers, startSources } from './topology';

/** The signal each server stops well on, and what it does with it. */
const STOP_WITH: Partial<Record<ServerKind, { signal: string; does: string }>> = {
  gunicorn: {
    signal: GUNICORN_STOP_SIGNALS.value.graceful,
    does: 'gunicorn stops accepting connections and lets each worker finish its requests',
  },
  uvicorn: {
    signal: UVICORN_STOP_SIGNALS.value.graceful[0]!,
    does: 'uvicorn lets the connections finish their responses and runs the lifespan shutdown',
  },
  uwsgi: {
    signal: UWSGI_SIGTERM.value.stopWith,
    does: "uWSGI's master stops its workers and closes its socket (its systemd page stops it so)",
  },
};

const SERVER_NAME: Partial<Record<ServerKind, string>> = { gunicorn: 'gunicorn', uvicorn: 'uvicorn', uwsgi: 'uWSGI' };

export const stopSignalKill: Rule = {
  code: 'DDG331',
  name: 'stop-signal-kill',
  title: 'The app server is stopped with SIGKILL',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  fixSafety: 'safe',
  docs: {
    what: "Reports a production gunicorn, uvicorn or uWSGI whose process manager is told to stop it with SIGKILL: a supervisord program's `stopsignal=KILL` (or `9`), a systemd unit's `KillSignal=SIGKILL`, a compose service's `stop_signal: SIGKILL`, a Dockerfile's `STOPSIGNAL SIGKILL` for the image that runs it (or runs the supervisord that runs it), fly.toml's `kill_signal = \"SIGKILL\"`. The finding is on the line that writes the signal. Another program stopped with SIGKILL (a worker, a cron loop) is not reported.",
    why: 'SIGKILL cannot be caught: the server ends at once, at every deploy, restart and scale-down, without finishing a single request — every request in flight is cut (the client sees a reset or a 502) and what the request was writing is left half done. Gunicorn on SIGTERM, and uvicorn on SIGTERM or SIGINT, stop accepting connections and let the requests in flight finish; uWSGI on SIGQUIT stops its workers and closes its socket. Under supervisord, a killed master can also leave its workers running without it, holding the port the next start needs.',
    example: '[program:web]\ncommand=gunicorn mysite.wsgi --bind 0.0.0.0:8000\nstopsignal=KILL',
    fix: "Stop the server with the signal it shuts down on: TERM for gunicorn and uvicorn, QUIT for uWSGI (the quick fix writes it in place, in the file's own spelling), and give the manager a grace period at least as long as the server's own (supervisord `stopwaitsecs`, systemd `TimeoutStopSec=`, compose `stop_grace_period`) — the manager sends SIGKILL itself when that runs out.",
    good: '[program:web]\ncommand=gunicorn mysite.wsgi --bind 0.0.0.0:8000\nstopsignal=TERM\nstopwaitsecs=35',
    references: [
      { title: 'signal(7): SIGKILL cannot be caught', url: SIGKILL_UNCATCHABLE.source.url },
      { title: 'Gunicorn: signal handling', url: GUNICORN_STOP_SIGNALS.source.url },
      { title: 'Uvicorn: graceful process shutdown', url: UVICORN_STOP_SIGNALS.source.url },
      { title: 'uWSGI: signals for controlling uWSGI', url: UWSGI_SIGTERM.source.url },
      { title: 'supervisord: stopsignal', url: 'https://supervisord.org/configuration.html#program-x-section-values' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const servers = productionServers(ctx).filter((i) => STOP_WITH[i.server]);
    if (servers.length === 0) return ctx.notApplicable('no production process starts gunicorn, uvicorn or uWSGI');
    const found = new Map<string, { loc: Loc; stopper: Stopper; servers: ServerKind[]; labels: string[] }>();
    for (const inv of servers) {
      for (const source of startSources(m, [inv]))
        for (const s of stoppersOf(m.processes, source)) {
          if (s.signal !== SIGKILL_UNCATCHABLE.value.signal || !s.written) continue;
          const key = `${s.written.loc.file}:${s.written.loc.start}`;
          const f = found.get(key) ?? { loc: s.written.loc, stopper: s, servers: [], labels: [] };
          found.set(key, f);
          if (!f.servers.includes(inv.server)) f.servers.push(inv.server);
          if (!f.labels.includes(inv.source.label)) f.labels.push(inv.source.label);
        }
    }
    for (const f of found.values()) {
      // one server, or several that stop alike: the fix writes its signal
      const signals = [...new Set(f.servers.map((k) => STOP_WITH[k]!.signal))];
      const names = f.servers.map((k) => SERVER_NAME[k] ?? k).join(' and ');
      const stop = STOP_WITH[f.servers[0]!]!;
      const instead = signals.length === 1 ? `; stop it with ${signals[0]}, on which ${stop.does}` : '';
      const fix = signals.length === 1 ? signalFix(ctx.fileText(f.loc.file), f.loc, signals[0]!) : undefined;
      ctx.report({
        loc: f.loc,
        message: `${f.stopper.who} stops ${names}${f.labels.every((l) => l === f.stopper.who) ? '' : ` (${f.labels.join(', ')})`} with SIGKILL (${f.stopper.written!.what}): SIGKILL cannot be caught, so every deploy or restart kills the server mid-request and drops every request in flight${instead}.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/**
 * The quick fix: the written signal replaced in place by `signal` in the file's own spelling —
 * `KILL` → `TERM`, `SIGKILL` → `SIGTERM`, `9` → `TERM` (supervisord) or `SIGTERM`, `sigkill` kept lower-case.
 * None when the signal's word cannot be found in the text the location covers.
 */
function signalFix(text: string | undefined, at: Loc, signal: string): Fix | undefined {
  if (text === undefined) return undefined;
  const span = text.slice(at.start, at.end);
  const m = /\b(?:sig)?kill\b|(?<![\w.])9(?![\w.])/i.exec(span);
  if (!m) return undefined;
  const word = m[0];
  const bare = signal.replace(/^SIG/, '');
  let newText: string;
  if (word === '9') newText = /\.conf$|\.ini$/i.test(at.file) ? bare : signal;
  else {
    const spelled = /^sig/i.test(word) ? signal : bare;
    newText = word === word.toLowerCase() ? spelled.toLowerCase() : spelled;
  }
  const start = at.start + m.index;
  return {
    title: `Stop the server with ${signal}`,
    safety: 'safe',
    preferred: true,
    edits: [{ file: at.file, start, end: start + word.length, newText }],
  };
}
