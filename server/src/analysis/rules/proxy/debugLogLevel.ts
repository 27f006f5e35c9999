// DDX205: the proxy in front of the app logs at a debugging level in production: Traefik's
// log.level DEBUG or TRACE (its static configuration file, its command line's flags, its TRAEFIK_*
// variables) in a production Traefik service, Caddy's `debug` global option or a global `log` at
// DEBUG, nginx's `error_log … debug`. Which Traefik is production's is the process model's answer
// (models/process/edges/traefik.ts); an nginx or Caddy file that is a developer's (filed for
// development, a Caddyfile answering only localhost, one only development compose files run) is left
// out as the request-path model leaves it out (models/requestPath/devProxies.ts developmentProxyConfig).
import { shownPath } from '../../base/relPath';
import type { Loc } from '../../eval/values';
import { CADDY_DEBUG, NGINX_ERROR_LOG, TRAEFIK_LOG_LEVEL } from '../../catalogue/proxyLogLevels';
import { developmentProxyConfig } from '../../models/requestPath/devProxies';
import type { CaddyDirective } from '../../readers/proxy/caddy';
import type { Fix, Rule, RuleContextBase } from '../types';
import { proxyModel, serverDirectives } from './shared';

/** The text written at a place, when the file can be read. */
function writtenAt(ctx: RuleContextBase, loc: Loc): string | undefined {
  return ctx.fileText(loc.file)?.slice(loc.start, loc.end);
}

/** Traefik's level rewritten to its default (ERROR), where the level is written once at its place as it is read. */
function traefikFix(ctx: RuleContextBase, loc: Loc, level: string): Fix | undefined {
  if (!ctx.wantsFixes) return undefined;
  const text = writtenAt(ctx, loc);
  if (text === undefined) return undefined;
  const at = text.indexOf(level);
  if (at < 0 || text.indexOf(level, at + 1) >= 0) return undefined;
  const fallback = TRAEFIK_LOG_LEVEL.value.default;
  const newText = level === level.toLowerCase() ? fallback.toLowerCase() : fallback;
  return {
    title: `Set Traefik's log level to ${newText}`,
    safety: 'safe',
    preferred: true,
    edits: [{ file: loc.file, start: loc.start + at, end: loc.start + at + level.length, newText }],
  };
}

export const proxyDebugLogLevel: Rule = {
  code: 'DDX205',
  name: 'proxy-debug-log-level',
  title: 'The proxy logs at debug level',
  severity: 'warning',
  group: 'proxy',
  checklist: 'logging',
  target: 'project',
  fixSafety: 'safe',
  docs: {
    what: "Reports the proxy in front of the app logging at a debugging level in production: Traefik's `log.level` DEBUG or TRACE (Traefik v1: `logLevel`) in the static configuration of a production compose service running Traefik — its traefik.yml or traefik.toml (mounted, or copied into the image it builds), its command's `--log.level=DEBUG` or `--log.level DEBUG`, or `TRAEFIK_LOG_LEVEL` —; Caddy's `debug` global option and a global `log` logger with `level DEBUG`; nginx's `error_log <file> debug;`. A Traefik service of a development compose file (docker-compose.local.yml) and an nginx or Caddy file that is a developer's are left out: one filed for development, a Caddyfile whose every site answers only `localhost` or `127.0.0.1` (Caddy serves such a site with its own local certificate authority; no public client reaches it), and one that only development compose files mount (the local stack that mounts the source code or runs runserver). A site's own Caddy `log` is not reported: Caddy's access logs only write INFO and ERROR entries.",
    why: "A debugging level is for chasing a problem, not for serving traffic. Traefik's default level is ERROR; at DEBUG (or TRACE) it also writes its debugging messages about everything that happens to it, a far larger log in which the errors are lost, kept and shipped at a cost. Caddy documents its `debug` mode as very verbose in production. nginx at `debug` logs every info, notice and warn message besides the errors (its default is `error`), and, when the binary is built `--with-debug` (the `nginx-debug` binary of nginx.org's packages), its debugging log.",
    example: '# traefik.yml\nlog:\n  level: DEBUG',
    fix: "Remove the level or set Traefik's default, ERROR (or WARN, INFO); the quick fix writes ERROR in place of DEBUG. Remove Caddy's `debug` option (its default level is INFO). Write `error_log <file> error;` (or `warn`) for nginx. Turn a debugging level on briefly, when chasing a problem.",
    good: '# traefik.yml\nlog:\n  level: ERROR',
    references: [
      { title: 'Traefik: logs (level)', url: 'https://doc.traefik.io/traefik/observability/logs/' },
      { title: 'Caddy: global options (debug, log)', url: 'https://caddyserver.com/docs/caddyfile/options#debug' },
      { title: 'nginx: error_log', url: 'https://nginx.org/en/docs/ngx_core_module.html#error_log' },
      { title: 'nginx: a debugging log', url: 'https://nginx.org/en/docs/debugging_log.html' },
    ],
  },
  check(ctx) {
    const model = proxyModel(ctx);
    const instances = ctx.appServer.processes.edges.traefik.instances;
    if (instances.length === 0 && model.caddy.length === 0 && model.nginx.length === 0) {
      ctx.notApplicable('no Traefik service, Caddyfile or nginx configuration was found in the project');
      return;
    }
    const seen = new Set<string>();
    const once = (loc: Loc): boolean => {
      const key = `${loc.file}:${loc.start}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    // Traefik: the static configuration of each production Traefik service
    for (const t of instances) {
      const level = t.static?.logLevel;
      if (!t.production || !level) continue;
      const name = level.text.trim().toUpperCase();
      if (!TRAEFIK_LOG_LEVEL.value.debugging.includes(name)) continue;
      // a level a variable gives (`--log.level=${LOG_LEVEL:-DEBUG}`) is decided where it runs
      if (writtenAt(ctx, level.loc)?.includes('$')) continue;
      if (!once(level.loc)) continue;
      const fix = traefikFix(ctx, level.loc, level.text.trim());
      ctx.report({
        loc: level.loc,
        message: `Traefik logs at ${name} (${t.label}${t.static?.from === 'file' ? '' : t.static?.from === 'env' ? ', TRAEFIK_LOG_LEVEL' : ', its command line'}): it writes its debugging messages about everything it does as well as its errors (its default level is ${TRAEFIK_LOG_LEVEL.value.default}), a far larger log in which the errors are lost; set ${TRAEFIK_LOG_LEVEL.value.default} (or WARN) in production.`,
        fixes: fix ? [fix] : [],
      });
    }
    // Caddy: the global options block of each Caddyfile not filed for development
    for (const f of model.caddy) {
      if (f.global.length === 0 || developmentProxyConfig(ctx.project, ctx.appServer.processes, f.file)) continue;
      const rel = shownPath(ctx.project, f.file);
      for (const d of f.global) {
        if (d.name === 'debug' && once(d.nameLoc))
          ctx.report({
            loc: d.nameLoc,
            message: `Caddy's debug global option (${rel}) sets its default logger to ${CADDY_DEBUG.option.value}, which Caddy documents as very verbose in production; remove it (the default level is ${CADDY_DEBUG.logLevel.value.default}).`,
          });
        if (d.name !== 'log') continue;
        const level = debugLevelOf(d);
        if (level && once(level.loc))
          ctx.report({
            loc: level.loc,
            message: `Caddy's ${d.args[0] ? `${d.args[0].text} logger` : 'default logger'} logs at ${level.text} (log { level ${level.text} }, ${rel}), very verbose in production; use ${CADDY_DEBUG.logLevel.value.default} (its default) or WARN.`,
          });
      }
    }
    // nginx: error_log … debug in a configuration not filed for development
    for (const { directive: d } of serverDirectives(ctx)) {
      const level = d.args[1];
      if (d.name !== 'error_log' || !level || level.text !== NGINX_ERROR_LOG.level.value.debugging) continue;
      if (developmentProxyConfig(ctx.project, ctx.appServer.processes, d.loc.file) || !once(level.loc)) continue;
      const { below } = NGINX_ERROR_LOG.level.value;
      ctx.report({
        loc: level.loc,
        severity: 'information',
        message: `error_log ${d.args[0]!.text} debug: nginx logs its ${below.join(', ')} messages as well as its errors (its default level is ${NGINX_ERROR_LOG.level.value.default}), and, when built --with-debug (the ${NGINX_ERROR_LOG.debugBuild.value} binary), its debugging log; use error or warn in production.`,
      });
    }
  },
};

/** The DEBUG level of a global `log` logger (`log [name] { level DEBUG }`), with its place. */
function debugLevelOf(d: CaddyDirective): { text: string; loc: Loc } | undefined {
  for (const x of d.block ?? []) {
    const w = x.name === 'level' ? x.args[0] : undefined;
    if (w && CADDY_DEBUG.logLevel.value.debugging.includes(w.text.toUpperCase())) return { text: w.text, loc: w.loc };
  }
  return undefined;
}
