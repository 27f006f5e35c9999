// DDX105: nginx gives up on the app (proxy_read_timeout, 60 s unless set) before gunicorn gives up
// on its worker (timeout): slow requests get 504 from nginx while the worker keeps running.
import type { Rule } from '../types';
import { intOf } from '../app-server/shared';
import { addDirectiveFix, noProxy, proxiedLocations, readTimeoutOf, serverLabel } from './shared';

const GUNICORN_DEFAULT = 30;

export const readTimeout: Rule = {
  code: 'DDX105',
  name: 'proxy-timeout-below-gunicorn',
  title: 'The proxy times out before gunicorn does',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'project',
  fixSafety: 'unsafe',
  docs: {
    what: 'Compares the `proxy_read_timeout` of each nginx location that proxies to the app (its own or inherited; 60 s by default) with the worker `timeout` of the production gunicorn (30 s by default; every production run must agree, a value the analysis cannot read makes the rule unknown), and reports a location where nginx gives up first.',
    why: "A request that takes longer than nginx's timeout gets \"504 Gateway Timeout\" from nginx, while gunicorn lets the worker go on until its own timeout: the work (and its database transaction) carries on for nobody, the worker is busy, and a retry from the user starts the same work again. The app server's timeout is meant to be the one that fires first, a little below the proxy's.",
    example: '# gunicorn.conf.py\ntimeout = 120\n# nginx: proxy_read_timeout not set (60 s)',
    fix: "Keep gunicorn's `timeout` below nginx's `proxy_read_timeout`: lower gunicorn's, or raise nginx's (`proxy_read_timeout 130s;` in the location). The quick fix sets nginx's to gunicorn's timeout plus ten seconds; it is unsafe because nginx then waits longer on stuck requests.",
    good: 'location / {\n    proxy_read_timeout 130s;\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      { title: 'nginx: proxy_read_timeout', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout' },
      { title: 'Gunicorn: timeout', url: 'https://docs.gunicorn.org/en/stable/settings.html#timeout' },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const runs = ctx.appServer.runs.filter((r) => r.production);
    if (runs.length === 0) return ctx.notApplicable('no production gunicorn was found');
    const timeouts = new Set<number>();
    let where = '';
    for (const r of runs) {
      if (r.opaque) return ctx.unknown(`${r.label}: ${r.opaque}`);
      const o = r.settings.get('timeout');
      const n = o ? intOf(o.value) : GUNICORN_DEFAULT;
      if (n === undefined) return ctx.unknown(`the gunicorn timeout of ${r.label} cannot be read`);
      timeouts.add(n);
      where = o ? `${r.label} sets timeout ${n}` : `${r.label} keeps gunicorn's default timeout of ${n} s`;
    }
    if (timeouts.size !== 1) return ctx.unknown('the production gunicorn runs have different timeouts');
    const worker = [...timeouts][0]!;
    // 0 disables gunicorn's timeout (DDG105 reports it)
    if (worker === 0) return ctx.notApplicable("gunicorn's timeout is off (0)");
    const reported = new Set<string>();
    let unknown: string | undefined;
    for (const p of proxied) {
      const t = readTimeoutOf(p.location.scope);
      if ('unknown' in t) {
        unknown ??= t.unknown;
        continue;
      }
      const d = t.directive;
      const limit = t.seconds;
      if (limit >= worker) continue;
      const loc = d && d.stock === undefined ? d.args[0]!.loc : p.proxyPass.nameLoc;
      const key = `${loc.file}:${loc.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const value = `${worker + 10}s`;
      const fix =
        d && d.stock === undefined
          ? ctx.wantsFixes
            ? { title: `Set proxy_read_timeout ${value}`, safety: 'unsafe' as const, edits: [{ ...d.args[0]!.loc, newText: value }] }
            : undefined
          : addDirectiveFix(
              ctx,
              p.location,
              p.proxyPass,
              'proxy_read_timeout',
              `proxy_read_timeout ${value};`,
              `Add proxy_read_timeout ${value};`,
            );
      ctx.report({
        loc,
        message: `${serverLabel(ctx, p.server)} waits ${limit} s for the app${d ? '' : " (nginx's default proxy_read_timeout)"}, but ${where}: slower requests get 504 from nginx while the worker keeps running; keep gunicorn's timeout below nginx's.`,
        fixes: fix ? [{ ...fix, safety: 'unsafe', preferred: undefined }] : [],
      });
    }
    if (unknown) ctx.unknown(unknown);
  },
};
