// DDG105: gunicorn's worker timeout disabled (0) or above five minutes.
import type { GunicornRun } from '../../models/appServer/model';
import { proxiedLocations, readTimeoutOf } from '../proxy/shared';
import { requestPathsOf } from '../../models/requestPath/path';
import type { GunicornRuleContext, Rule } from '../types';
import { CLOUD_RUN_GUNICORN } from '../../catalogue/platformRuntime';
import { envDefaultNote, intOf, noGunicorn, onCloudRun, settingLabel, unknownValue, whereNote } from './shared';

export const MAX_TIMEOUT = 300;

/**
 * How long the nginx locations that hand requests to these gunicorn runs wait for them (the shortest
 * `proxy_read_timeout`, 60 s when unset); undefined when no location is tied to them or one cannot be read.
 */
function proxyWaits(ctx: GunicornRuleContext, runs: readonly GunicornRun[]): number | undefined {
  const mine = proxiedLocations(ctx).filter((p) => p.tie.state === 'app' && p.tie.endpoints.some((e) => e.run && runs.includes(e.run)));
  if (mine.length === 0) return undefined;
  let least: number | undefined;
  for (const p of mine) {
    const t = readTimeoutOf(p.location.scope);
    if ('unknown' in t) return undefined;
    least = least === undefined ? t.seconds : Math.min(least, t.seconds);
  }
  return least;
}

/**
 * How long the hops in front of every deployment of these runs wait for the app (the least), when
 * each deployment has a hop that says (an ingress-nginx Ingress's proxy-read-timeout, or its default).
 */
function hopWaits(ctx: GunicornRuleContext, runs: readonly GunicornRun[]): number | undefined {
  let least: number | undefined;
  for (const r of runs) {
    if (!r.invocation) return undefined;
    const { deployments } = requestPathsOf(ctx.project, ctx.appServer, r.invocation);
    if (deployments.length === 0) return undefined;
    for (const d of deployments) {
      const t = d.hops.find((h) => h.readTimeout)?.readTimeout;
      if (!t || 'unknown' in t) return undefined;
      least = least === undefined ? t.seconds : Math.min(least, t.seconds);
    }
  }
  return least;
}

/** The run's workers serve several requests at once with threads (`--threads 8`, gthread). */
function threaded(r: GunicornRun): boolean {
  const t = r.settings.get('threads');
  const n = t ? intOf(t.value) : undefined;
  return n !== undefined && n > 1;
}

export const workerTimeout: Rule = {
  code: 'DDG105',
  name: 'gunicorn-timeout',
  title: 'Gunicorn worker timeout disabled or very long',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'gunicorn',
  // a long timeout the comment where it is set explains (uploads or reports that take minutes)
  explainable: true,
  docs: {
    what: `Reports a gunicorn \`timeout\` (\`-t\`/\`--timeout\`) of 0, which disables the worker timeout, or above ${MAX_TIMEOUT} seconds, unless the nginx in front of those gunicorn runs waits as long for them (\`proxy_read_timeout 600s\` beside \`--timeout 600\` in every location tied to them), or the ingress-nginx Ingress in front of every deployment of them does (\`nginx.ingress.kubernetes.io/proxy-read-timeout: "600"\`): a long timeout the deployment chose for long requests on both sides. A timeout of 0 with threads (\`--threads 8 --timeout 0\`) where every deployment of the command line is a Cloud Run service is not reported: it is what Google's Cloud Run quickstart runs, Cloud Run's request timeout (300 s unless set) ending a slow request; with sync workers and no threads it still is.`,
    why: 'The timeout is how gunicorn notices a worker that is stuck (a request waiting on a dead connection, an endless loop): after that many seconds of silence it kills and replaces the worker. With 0 a stuck worker is never replaced, and once every worker is stuck the site stops answering; with a very long timeout the same happens for minutes at a time. The proxy in front usually gives up much earlier (nginx after 60 s, Heroku after 30 s), so the client gets an error while the worker stays busy. Work that really takes minutes belongs in a task queue, not in a request.',
    example: '# gunicorn.conf.py\ntimeout = 0',
    fix: `Keep the timeout a little above the slowest legitimate request and below the proxy's timeout (30–120 s is usual); move long jobs to a task queue (Celery, RQ, Django's tasks).`,
    good: 'timeout = 60',
    references: [
      { title: 'Gunicorn: timeout', url: 'https://docs.gunicorn.org/en/stable/settings.html#timeout' },
      { title: 'Gunicorn FAQ: worker timeouts', url: 'https://docs.gunicorn.org/en/stable/faq.html' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    for (const o of ctx.appServer.occurrences('timeout')) {
      if (unknownValue(ctx, o)) continue;
      const n = intOf(o.value);
      if (n === undefined) continue;
      if (n === 0) {
        // Cloud Run's quickstart turns the worker timeout off with threaded workers, Cloud Run's own
        // request timeout then ending a slow request (catalogue CLOUD_RUN_GUNICORN): the documented shape
        const cloudRun = n === CLOUD_RUN_GUNICORN.value.timeout ? onCloudRun(ctx, o.runs) : undefined;
        if (cloudRun && o.runs.every(threaded)) {
          ctx.notApplicable(
            `${settingLabel(o)} is 0${whereNote(o)} on ${cloudRun.join(', ')}, with threads, as Google's Cloud Run quickstart runs it: Cloud Run's request timeout ends a slow request (${CLOUD_RUN_GUNICORN.source.url})`,
          );
          continue;
        }
        ctx.report({
          loc: o.loc,
          message: `${settingLabel(o)} is 0${envDefaultNote(o.value)}${whereNote(o)}, which disables the worker timeout: a stuck request holds its worker forever; set it to 30–120 seconds.`,
        });
      } else if (n > MAX_TIMEOUT) {
        // the nginx in front waits as long for these runs (`proxy_read_timeout 600s` beside
        // `--timeout 600`): a long timeout the deployment chose for long requests, not an oversight
        const waits = proxyWaits(ctx, o.runs) ?? hopWaits(ctx, o.runs);
        if (waits !== undefined && waits >= n) continue;
        ctx.report({
          loc: o.loc,
          message: `${settingLabel(o)} is ${n} seconds${envDefaultNote(o.value)}${whereNote(o)}: a stuck worker goes unnoticed that long; keep it below the proxy's timeout (30–120 s) and move long work to a task queue.`,
        });
      }
    }
  },
};
