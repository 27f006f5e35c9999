// DDG312: the port the platform sends traffic to is not the one gunicorn or uWSGI listens on.
import * as V from '../../eval/values';
import { placeOf } from '../helpers';
import type { Rule } from '../types';
import { workloadOf } from '../app-server/topology';
import { uwsgiBinds } from '../../readers/process/appConfigs';
import { uwsgiInstances } from '../../models/process/index';

/** The port of a bind address ('0.0.0.0:8000', ':8000', '[::]:8000'); 'unix' for a socket; undefined when not written. */
function bindPort(bind: string): number | 'unix' | undefined {
  if (bind.startsWith('unix:') || bind.startsWith('/')) return 'unix';
  const m = /:(\d{1,5})$/.exec(bind);
  return m ? Number(m[1]) : undefined;
}

export const portMismatch: Rule = {
  code: 'DDG312',
  name: 'platform-port-mismatch',
  title: 'The platform sends traffic to a port the app server does not listen on',
  severity: 'error',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: 'Compares the port a deployment file routes traffic to — a Kubernetes container’s `containerPort` (and the probes that call it), fly.toml’s `internal_port`, a DigitalOcean app spec’s `http_port` — with the addresses gunicorn binds in the same process (`--bind`, `bind =` in its config, or `PORT`) or a uWSGI command line listens on (`--http`, `--http-socket`, `--socket`, with the `--ini` file it loads), and reports when none of them is that port, or when the server binds only a unix socket.',
    why: 'The platform’s router, the Service and the health checks connect to the port the file names. When gunicorn listens elsewhere, every request fails with a 502 or a connection refused, the health check fails, and the platform restarts the instance in a loop.',
    example: '# fly.toml\n[http_service]\n  internal_port = 8080\n\n# Dockerfile\nCMD gunicorn mysite.wsgi --bind 0.0.0.0:8000',
    fix: 'Make the two agree: bind gunicorn to the port the platform names (`--bind 0.0.0.0:$PORT` where the platform sets PORT), or change the port in the deployment file.',
    good: '[http_service]\n  internal_port = 8000',
    references: [
      { title: 'fly.io: internal_port', url: 'https://fly.io/docs/reference/configuration/#http_service-section' },
      { title: 'Gunicorn: bind', url: 'https://docs.gunicorn.org/en/stable/settings.html#bind' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const runs = m.runs.filter((r) => r.production && r.invocation && workloadOf(m, r.invocation.source)?.process.ports.length);
    // uWSGI command lines a platform process runs (its binds: --http, --http-socket, --socket…)
    const uwsgi = uwsgiInstances(m.processes).filter(
      (u) => u.source.production && u.invocation && workloadOf(m, u.source)?.process.ports.length,
    );
    if (runs.length === 0 && uwsgi.length === 0)
      return ctx.notApplicable('no deployment file names the port of a process that starts gunicorn or uWSGI');
    for (const r of runs) {
      const w = workloadOf(m, r.invocation!.source)!;
      const bind = r.settings.get('bind');
      if (!bind) continue;
      const items = V.isSeq(bind.value) ? bind.value.items : [bind.value];
      if (items.some((i) => i.kind !== 'str')) continue;
      const ports = items.map((i) => bindPort((i as V.StrValue).v));
      if (ports.some((p) => p === undefined)) continue;
      const wanted = w.process.ports.filter((p) => p.value !== undefined);
      if (wanted.length === 0) continue;
      if (wanted.some((p) => ports.includes(p.value!))) continue;
      const binds = items.map((i) => (i as V.StrValue).v).join(', ');
      const target = wanted[0]!;
      ctx.report({
        loc: target.loc,
        message: `${target.what} ${target.value} is where ${w.source.label} gets its traffic, but gunicorn ${ports.every((p) => p === 'unix') ? 'listens only on a unix socket' : 'listens on'} ${binds} (${placeOf(ctx, bind.loc)}): every request and health check fails; make them the same port.`,
      });
    }
    for (const u of uwsgi) {
      const w = workloadOf(m, u.source)!;
      const binds = uwsgiBinds(u.config);
      // every address uWSGI listens on must be known (a command line with unknown words may add one)
      if (binds.length === 0 || u.config.opaque || binds.some((b) => b.value.dynamic || b.when)) continue;
      const ports = binds.map((b) => (b.value.text.startsWith('@') ? 'unix' : bindPort(b.value.text)));
      if (ports.some((p) => p === undefined)) continue;
      const wanted = w.process.ports.filter((p) => p.value !== undefined);
      if (wanted.length === 0 || wanted.some((p) => ports.includes(p.value!))) continue;
      const target = wanted[0]!;
      const listens = binds.map((b) => `--${b.key} ${b.value.text}`).join(', ');
      ctx.report({
        loc: target.loc,
        message: `${target.what} ${target.value} is where ${w.source.label} gets its traffic, but uWSGI ${ports.every((p) => p === 'unix') ? 'listens only on a unix socket' : 'listens on'} ${listens} (${placeOf(ctx, binds[0]!.value.loc)}): every request and health check fails; make them the same port.`,
      });
    }
  },
};
