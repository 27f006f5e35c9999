// DDG109: gunicorn writes no access log.
import { proxyCover, proxyCoverOfRun } from '../../models/requestPath/coverage';
import { pathCover, pathNote, requestPathsOf } from '../../models/requestPath/path';
import { isSupplied } from '../../models/settings/query';
import type { Loc } from '../../eval/values';
import type { Rule } from '../types';
import { noGunicorn } from './shared';
import { fileOf } from '../helpers';

const LOGGING_SETTINGS = ['accesslog', 'logconfig', 'logconfig_dict', 'logconfig_json', 'syslog'] as const;

export const noAccessLog: Rule = {
  code: 'DDG109',
  name: 'no-access-log',
  title: 'Gunicorn writes no access log',
  severity: 'information',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'gunicorn',
  docs: {
    what: 'Reports a production gunicorn setup (a command line with its config file, or a config file on its own) that sets none of `accesslog` (`--access-logfile`), `logconfig`, `logconfig_dict`, `logconfig_json` or `syslog`: gunicorn then writes no access log at all. When a hop in front keeps a log of every request for every deployment of that command line (the nginx tied to it by its proxy_pass or upstream — nginx logs every request unless `access_log off;`, its default being `access_log logs/access.log combined` —, wherever the repository keeps it: an nginx site in deploy/ above a project in a subfolder comes with it when it hands requests to where the gunicorn a start script, systemd unit or supervisord program runs listens, the `bind` of the `-c` config included; a Caddy site with a `log` directive — Caddy 2’s, or Caddy v1’s `log stdout` that logs the whole site —, Heroku’s router, App Engine, Cloud Run: see docs/hops.md), gunicorn’s log is not missing: nothing is reported and the checklist says which hop logs; when that depends on something not documented (Render logs requests on some plans only), it says it cannot tell.',
    why: 'Gunicorn\'s access log is off by default. Without it there is no record of which requests reached the app, with status and duration, unless the proxy in front keeps one: investigating an incident, a slow endpoint or a suspicious client starts blind. Platforms that collect stdout (containers, Heroku, systemd\'s journal) only need `accesslog = "-"`.',
    example: '# Procfile\nweb: gunicorn mysite.wsgi',
    fix: 'Set `accesslog = "-"` in the config file (or `--access-logfile -`) to log each request to stdout, or configure the `gunicorn.access` logger with `logconfig_dict`. If the proxy in front already logs every request, this can stay off.',
    good: '# gunicorn.conf.py\naccesslog = "-"',
    references: [
      { title: 'Gunicorn: accesslog', url: 'https://docs.gunicorn.org/en/stable/settings.html#accesslog' },
      { title: 'Gunicorn: logging', url: 'https://docs.gunicorn.org/en/stable/settings.html#logging' },
      { title: 'nginx: access_log (on by default)', url: 'https://nginx.org/en/docs/http/ngx_http_log_module.html#access_log' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    const reported = new Set<string>();
    for (const r of ctx.appServer.runs) {
      if (!r.production) continue;
      let unknown: { reason: string; loc: Loc } | undefined;
      let logs = false;
      for (const name of LOGGING_SETTINGS) {
        const o = r.settings.get(name);
        if (!o) continue;
        const v = o.value;
        if (v.kind === 'unknown') {
          if (isSupplied(v)) logs = true;
          else unknown ??= { reason: `${name} is not known statically: ${v.reason}`, loc: o.loc };
          continue;
        }
        if (
          v.kind === 'none' ||
          (v.kind === 'bool' && !v.v) ||
          (v.kind === 'dict' && v.keys.length === 0 && !v.partial) ||
          (v.kind === 'str' && v.v.trim() === '')
        )
          continue;
        logs = true;
      }
      if (logs) continue;
      if (unknown) {
        ctx.unknown(unknown.reason, unknown.loc);
        continue;
      }
      if (r.opaque) {
        ctx.unknown(`${r.label}: ${r.opaque}`, r.anchor);
        continue;
      }
      if (r.config?.open) {
        ctx.unknown(`${fileOf(ctx, r.config.file)} may set names the analysis cannot see: ${r.config.open}`, r.config.anchor);
        continue;
      }
      const loc = r.config ? r.config.anchor : r.anchor;
      const key = `${loc.file}:${loc.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      // a process a platform runs (a Procfile, a manifest, a platform file) sits behind the platform's
      // router, not behind the nginx or Caddy of the repository
      const kind = r.invocation?.source.kind;
      const behindPlatform = kind === 'procfile' || kind === 'kubernetes' || kind === 'platform';
      // …unless the repository's proxy is tied to this very process (nginx and gunicorn in one image)
      const own = proxyCoverOfRun(ctx, 'access-log', r);
      // …or the platform's router in front of every deployment of this command line (docs/hops.md)
      const front = r.invocation
        ? pathNote(pathCover(requestPathsOf(ctx.project, ctx.appServer, r.invocation), 'access-log'), 'access-log')
        : { note: '' };
      const cover = own.note ? own : front.note ? front : behindPlatform ? { note: '' } : proxyCover(ctx, 'access-log');
      // a request log kept in front of every deployment: gunicorn's access log is not missing, the
      // checklist says which hop keeps it
      const covered = cover.severity === 'information' && !('unknown' in cover && cover.unknown);
      if (covered) {
        ctx.notApplicable(`${r.label} writes no access log, and need not:${cover.note}`);
        continue;
      }
      ctx.report({
        loc,
        message:
          (r.config
            ? `gunicorn writes no access log with ${fileOf(ctx, r.config.file)}${r.invocation ? ` (${r.label})` : ''}: set accesslog = "-" to log each request to stdout.`
            : `gunicorn writes no access log here (${r.label}): add --access-logfile - (or accesslog = "-" in a config file) to log each request.`) +
          cover.note,
        severity: cover.severity,
      });
    }
  },
};
