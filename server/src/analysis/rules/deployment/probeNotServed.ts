// DDG314: a health check or probe requests a path no URL pattern serves.
import { hasValue } from '../../models/settings/query';
import { runsOtherSoftware } from '../../models/process/index';
import { placeOf } from '../helpers';
import type { Rule } from '../types';

/** Middleware that may answer a probe before the URL patterns (django-health-check's, a custom one). */
const PROBE_MIDDLEWARE = /health|heartbeat|ping|probe|alive|ready|status/i;
/** Middleware that routes a request with another URLconf than ROOT_URLCONF (by host, by tenant). */
const URLCONF_MIDDLEWARE = /django_hosts|subdomains|tenant|multihost|hosts\.middleware|urlconf/i;

export const probeNotServed: Rule = {
  code: 'DDG314',
  name: 'probe-path-not-served',
  title: 'A health check requests a path the app does not serve',
  severity: 'warning',
  group: 'deployment',
  checklist: 'health-endpoint',
  target: 'settings',
  docs: {
    what: 'Reports an HTTP health check of a production deployment file — a Kubernetes liveness, readiness or startup probe, fly.toml’s checks, render’s `healthCheckPath`, App Engine’s readiness and liveness checks, a DigitalOcean `health_check.http_path`, railway’s `healthcheckPath` — whose path no URL pattern of `ROOT_URLCONF` serves, following `include()` as far as the workspace shows it. When a pattern the reading cannot follow could serve the path (patterns built in a loop, `i18n_patterns`, an include from outside the workspace, middleware that may answer probes), nothing is reported. Nor when a middleware routes requests with another URLconf (django-hosts, tenant or subdomain routing). A path served only with the slash `APPEND_SLASH` adds is left alone too: the redirect answers 301, which Kubernetes counts as healthy.',
    why: 'The check gets 404: Kubernetes never marks the pod ready (no traffic) or restarts it again and again, and platforms roll the deploy back or keep the instance out of rotation, although the app works.',
    example:
      '# k8s/web.yaml\nreadinessProbe:\n  httpGet:\n    path: /healthz\n    port: 8000\n\n# mysite/urls.py\nurlpatterns = [path("health/", health)]',
    fix: 'Point the check at a URL the app serves, or add a cheap view for it (a view that returns 200 without touching the database for liveness; one that checks the database for readiness).',
    good: 'readinessProbe:\n  httpGet:\n    path: /health/\n    port: 8000',
    references: [
      {
        title: 'Kubernetes: configure liveness, readiness and startup probes',
        url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
      },
      { title: 'Django: URL dispatcher', url: 'https://docs.djangoproject.com/en/stable/topics/http/urls/' },
    ],
  },
  check(ctx) {
    const probes = ctx.appServer.processes.workloads
      // (the probes of a proxy's or a database's container do not reach Django)
      .filter((w) => w.source.production && !w.process.once && !runsOtherSoftware(w))
      .flatMap((w) => w.process.probes.filter((p) => p.path !== undefined && p.pathLoc).map((p) => ({ w, p })));
    if (probes.length === 0) return ctx.notApplicable('no production deployment file makes an HTTP health check');
    const urlconf = ctx.settings.query('ROOT_URLCONF');
    if (!hasValue(urlconf) || urlconf.value.kind !== 'str') return ctx.unknown('ROOT_URLCONF is not known');
    const mw = ctx.settings.query('MIDDLEWARE');
    if (!hasValue(mw)) return ctx.unknown('MIDDLEWARE is not known: a middleware may answer the checks');
    const items = mw.value.kind === 'list' || mw.value.kind === 'tuple' ? mw.value.items : [];
    if (items.some((i) => i.kind !== 'str' || PROBE_MIDDLEWARE.test(i.v)))
      return ctx.unknown('a middleware may answer health checks before the URL patterns');
    // django-hosts and its kind give each request the URLconf of its host: ROOT_URLCONF is not what serves it
    if (items.some((i) => i.kind === 'str' && URLCONF_MIDDLEWARE.test(i.v)))
      return ctx.unknown('a middleware routes requests with another URLconf than ROOT_URLCONF (by host or tenant)');
    const appendSlash = ctx.settings.query('APPEND_SLASH');
    const slashes =
      !(hasValue(appendSlash) && appendSlash.value.kind === 'bool' && !appendSlash.value.v) &&
      items.some((i) => i.kind === 'str' && i.v === 'django.middleware.common.CommonMiddleware');
    for (const { w, p } of probes) {
      if (p.path!.includes('$') || p.path!.includes('{{')) continue;
      const served = ctx.servedPath(urlconf.value.v, p.path!);
      if (served.served !== false) continue;
      if (slashes && !p.path!.split('?')[0]!.endsWith('/') && ctx.servedPath(urlconf.value.v, `${p.path!.split('?')[0]}/`).served !== false)
        continue;
      ctx.report({
        loc: p.pathLoc!,
        message: `The ${p.kind} of ${w.source.label} requests ${p.path}, but no URL pattern of ${urlconf.value.v} serves it (${placeOf(ctx, urlconf.setting.loc)}): it gets 404, so the platform marks the instance unhealthy although the app works; point it at a URL the app serves.`,
      });
    }
  },
};
