// DDH207: USE_X_FORWARDED_HOST on: Django takes the host from a header the client can send.
import * as V from '../../eval/values';
import { originNote } from '../helpers';
import { proxyCover } from '../../models/requestPath/coverage';
import type { Rule } from '../types';
import { toEnvironmentFix } from '../fixes/stringEdits';

export const useXForwardedHost: Rule = {
  code: 'DDH207',
  name: 'use-x-forwarded-host',
  title: 'USE_X_FORWARDED_HOST is on',
  severity: 'information',
  group: 'hosts-origins',
  checklist: 'proxy-headers',
  explainable: true,
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Reports a production `USE_X_FORWARDED_HOST` that is on. It is a warning when `ALLOWED_HOSTS` also accepts any host (`"*"`) as written, because nothing then limits what the header can say (a `"*"` that is the default of an environment variable is said as such, one level lower). When the nginx or Caddy in front of every place that hands requests to the app sets `X-Forwarded-Host` itself (nginx: `proxy_set_header X-Forwarded-Host $host`, not the client’s `$http_x_forwarded_host`; Caddy by default), the header says no more than `Host` does: one level lower, naming the configuration.',
    why: 'With the setting on, `request.get_host()` — used for password-reset links, redirects, `build_absolute_uri()` and cache keys — comes from the X-Forwarded-Host header instead of Host. That is right only behind a proxy that always overwrites (or strips) the header; otherwise any client can send its own. `ALLOWED_HOSTS` still validates the value, so a strict list limits the damage to choosing among your own hosts; with `"*"` an attacker can make the site send password-reset links pointing to their server.',
    example: 'USE_X_FORWARDED_HOST = True',
    fix: 'Leave it off unless the proxy in front of Django rewrites the Host header away and sets X-Forwarded-Host itself; then make sure it overwrites any X-Forwarded-Host the client sent. The quick fix reads the setting from the environment with a False default, so that only deployments behind such a proxy turn it on; it is unsafe because those deployments must then set the variable.',
    good: 'USE_X_FORWARDED_HOST = os.environ.get("DJANGO_USE_X_FORWARDED_HOST", "False").lower() in ("1", "true", "yes")',
    references: [
      { title: 'Django: USE_X_FORWARDED_HOST', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#use-x-forwarded-host' },
      {
        title: 'Django security: host header validation',
        url: 'https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation',
      },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('USE_X_FORWARDED_HOST');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    const v = q.value;
    if (V.truthy(v) !== true) return;
    const hosts = ctx.settings.get('ALLOWED_HOSTS').value;
    const star = V.isSeq(hosts) ? hosts.items.find((h) => h.kind === 'str' && h.v.trim() === '*') : undefined;
    const anyHost = star !== undefined;
    // a "*" that is an environment default or a branch's (as written unless the deployment sets the
    // variable) is said as such, and does not raise the finding to a warning on its own
    const starNote = star ? originNote(star) : '';
    const fix = toEnvironmentFix(ctx, s, 'bool');
    // the nginx or Caddy in front of every place that hands requests to the app sets the header itself
    const cover = proxyCover(ctx, 'forwarded-host');
    const covered = cover.severity === 'information' && !cover.unknown;
    ctx.report({
      loc: s.loc,
      severity: anyHost && !starNote ? (covered ? 'information' : 'warning') : covered ? 'hint' : 'information',
      message: anyHost
        ? `USE_X_FORWARDED_HOST is on${originNote(v)} and ALLOWED_HOSTS accepts any host${starNote}: a client can choose the host of password-reset links and redirects; turn it off unless your proxy overwrites X-Forwarded-Host.${cover.note}`
        : `USE_X_FORWARDED_HOST is on${originNote(v)}: Django takes the host from X-Forwarded-Host; make sure the proxy overwrites that header, or turn the setting off.${cover.note}`,
      fixes: fix ? [fix] : [],
    });
  },
};
