// DDG108: the app server logs at debug level in production.
import { optionValue } from '../../readers/process/commands';
import type { Rule } from '../types';
import { configLiteralFix, envDefaultNote, noGunicorn, settingLabel, unknownValue, whereNote } from './shared';

export const debugLogLevel: Rule = {
  code: 'DDG108',
  name: 'debug-log-level',
  title: 'App server logs at debug level',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'gunicorn',
  fixSafety: 'safe',
  docs: {
    what: 'Reports `loglevel = "debug"` in a gunicorn config file used in production and `--log-level debug` on a production gunicorn command line; also `--log-level debug` or `trace` on a production uvicorn, hypercorn or granian command line.',
    why: "At debug level gunicorn writes its whole configuration to the error log at start-up (every setting, the `-e`/`raw_env` variables with their values included, which often carry secrets) and a line per request with its method and path, besides worker and connection events; it does not log request headers. Uvicorn's and hypercorn's trace level goes further: it logs the raw ASGI messages, request headers with cookies, session ids and Authorization tokens included. Either ends up in log storage readable by more people than the database, and the volume buries the warnings and errors that matter.",
    example: '# gunicorn.conf.py\nloglevel = "debug"',
    fix: 'Use "info" (gunicorn\'s default) or "warning" in production; turn debug on briefly, from the environment, when chasing a problem. In a config file the quick fix sets `loglevel = "info"`.',
    good: '# gunicorn.conf.py\nloglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")',
    references: [
      { title: 'Gunicorn: loglevel', url: 'https://docs.gunicorn.org/en/stable/settings.html#loglevel' },
      { title: 'Uvicorn: settings (logging)', url: 'https://www.uvicorn.org/settings/#logging' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const others = m.commands.filter(
      (c) => (c.server === 'uvicorn' || c.server === 'hypercorn' || c.server === 'granian') && c.source.production,
    );
    if (others.length === 0 && noGunicorn(ctx)) return;
    for (const o of m.occurrences('loglevel')) {
      if (unknownValue(ctx, o)) continue;
      if (o.value.kind !== 'str' || o.value.v.trim().toLowerCase() !== 'debug') continue;
      const fix = configLiteralFix(ctx, o, /^(["'])debug\1$/i, (old) => `${old[0]}info${old[0]}`, 'Set loglevel = "info"', 'safe');
      ctx.report({
        loc: o.loc,
        fixes: fix ? [fix] : [],
        message: `${o.source === 'config' ? `loglevel = "${o.value.v}"` : `${settingLabel(o)} ${o.value.v}`}${envDefaultNote(o.value)}${whereNote(o)} logs gunicorn's whole configuration at start (raw_env values included) and a line for every request: use "info" or "warning" in production.`,
      });
    }
    for (const inv of others) {
      const o = optionValue(inv, '--log-level');
      const v = o?.value;
      if (!v || v.dynamic) continue;
      const level = v.text.trim().toLowerCase();
      if (level !== 'debug' && level !== 'trace') continue;
      ctx.report({
        loc: v.loc,
        message: `${inv.server} --log-level ${level} (${inv.source.label}) logs ${level === 'trace' ? 'the raw ASGI messages with the request headers (cookies, tokens)' : 'internals and connection events'}: use info or warning in production.`,
      });
    }
  },
};
