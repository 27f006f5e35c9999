// DDG326: the platform stops gunicorn with a signal gunicorn takes as a quick shutdown (fly.io's
// default SIGINT): every deploy kills the workers at once, cutting the requests in flight.
import { FLY_KILL_SIGNAL, GUNICORN_STOP_SIGNALS } from '../../catalogue/stopSignals';
import { lineEnding } from '../fixes/edits';
import type { Rule } from '../types';
import { processKey, productionServers, startSources } from '../app-server/topology';

export const stopSignalQuick: Rule = {
  code: 'DDG326',
  name: 'stop-signal-quick-shutdown',
  title: 'The platform stops gunicorn with a signal that cuts requests',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  fixSafety: 'safe',
  docs: {
    what: "Reports a production fly.io process group that runs gunicorn — its own command, or the image fly.toml builds whose CMD (or a start script it runs) starts it — when fly.io stops it with SIGINT or SIGQUIT: `kill_signal` set so, or not set at all, since SIGINT is fly.io's default. Gunicorn takes INT and QUIT as a quick shutdown and only TERM as a graceful one.",
    why: "Gunicorn's arbiter kills its workers at once on SIGINT or SIGQUIT: the requests they are serving are cut, at every deploy, scale-down and machine restart. On SIGTERM it stops accepting connections and lets each worker finish its requests within graceful_timeout (30 s by default).",
    example: 'app = "shop"\n\n[http_service]\n  internal_port = 8000',
    fix: 'Set `kill_signal = "SIGTERM"` in fly.toml (the quick fix adds or rewrites it), and a `kill_timeout` at least as long as gunicorn\'s graceful_timeout, so that fly.io waits for the requests to finish.',
    good: 'app = "shop"\nkill_signal = "SIGTERM"\nkill_timeout = 30\n\n[http_service]\n  internal_port = 8000',
    references: [
      { title: 'fly.io: app configuration, runtime options (kill_signal, kill_timeout)', url: FLY_KILL_SIGNAL.source.url },
      { title: 'Gunicorn: signal handling', url: GUNICORN_STOP_SIGNALS.source.url },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const fly = m.processes.workloads.filter((w) => w.source.production && w.source.kind === 'platform' && w.process.stopSignal);
    if (fly.length === 0) return ctx.notApplicable('no production platform file says which signal stops the app');
    const gunicorn = productionServers(ctx).filter((i) => i.server === 'gunicorn');
    if (gunicorn.length === 0) return ctx.notApplicable('no production process starts gunicorn');
    // the sources that start gunicorn: its command, the scripts and images on the way
    const sources = startSources(m, gunicorn);
    const starts = new Set(sources.map(processKey));
    const images = new Set(sources.filter((s) => s.kind === 'dockerfile').map((s) => s.file));
    const reported = new Set<string>();
    for (const w of fly) {
      const stop = w.process.stopSignal!;
      const runs =
        starts.has(processKey(w.source)) ||
        (!w.process.shell && !w.process.words && !!w.process.dockerfile && images.has(w.process.dockerfile.file));
      if (!runs || !GUNICORN_STOP_SIGNALS.value.quick.includes(stop.signal)) continue;
      const at = `${stop.loc.file}:${stop.loc.start}`;
      if (reported.has(at)) continue;
      reported.add(at);
      // (fly.io's default: the line is added after `app = …`, a top-level key, when the file starts so)
      const text = ctx.fileText(stop.loc.file) ?? '';
      const end = lineEnd(text, stop.loc.end);
      const line = text.slice(text.lastIndexOf('\n', stop.loc.start - 1) + 1, end);
      const fixable = stop.written || /^\s*app\s*=/.test(line);
      const how = stop.written ? `kill_signal = "${stop.signal}"` : `fly.io's default, ${stop.signal} (kill_signal is not set)`;
      ctx.report({
        loc: stop.loc,
        message: `fly.io stops ${w.source.label}, which runs gunicorn, with ${how}: gunicorn takes ${stop.signal} as a quick shutdown and kills its workers at once, so every deploy cuts the requests in flight; set kill_signal = "SIGTERM", gunicorn's graceful shutdown.`,
        fixes: fixable
          ? [
              {
                title: 'Stop gunicorn with SIGTERM (kill_signal = "SIGTERM")',
                safety: 'safe',
                preferred: true,
                edits: stop.written
                  ? [{ file: stop.loc.file, start: stop.loc.start, end: stop.loc.end, newText: 'SIGTERM' }]
                  : [{ file: stop.loc.file, start: end, end, newText: `${lineEnding(text)}kill_signal = "SIGTERM"` }],
              },
            ]
          : [],
      });
    }
  },
};

/** The offset of the end of the line holding `at` (before its line break, `\r\n` or `\n`). */
function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  if (nl < 0) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}
