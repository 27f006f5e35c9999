// DDX115: TLS ends at a hop in front of Django (a platform's router, an ingress), and nothing tells
// Django the request came over https: SECURE_PROXY_SSL_HEADER is not set, and the app server does
// not take X-Forwarded-Proto from that hop. request.is_secure() is then False for every request.
import * as V from '../../eval/values';
import type { GunicornRun, ServerInvocation } from '../../models/appServer/model';
import { commaItems } from '../../models/appServer/validate';
import { type Hop, requestPathsOf } from '../../models/requestPath/path';
import { proxyHeader, servesTls } from '../../readers/proxy/configs';
import type { Rule, SettingsRuleContext } from '../types';
import { takesHeader, tiesOf } from './shared';

type Trust =
  | { readonly state: 'yes' }
  | { readonly state: 'no'; readonly why: string }
  | { readonly state: 'unknown'; readonly why: string };

/** Whether gunicorn takes X-Forwarded-Proto from a hop that is not on its loopback (a platform's router, another pod). */
function gunicornTrusts(r: GunicornRun, hop: Hop): Trust {
  if (r.opaque) return { state: 'unknown', why: `${r.label}: ${r.opaque}` };
  if (r.settings.has('secure_scheme_headers')) return { state: 'unknown', why: `${r.label} sets its own secure_scheme_headers` };
  const o = r.settings.get('forwarded_allow_ips');
  let text = hop.environment?.value.FORWARDED_ALLOW_IPS;
  let where = text !== undefined ? `FORWARDED_ALLOW_IPS=${text} (set by ${hop.label})` : '127.0.0.1,::1 (its default)';
  text ??= '127.0.0.1,::1';
  if (o) {
    if (o.value.kind === 'unknown') return { state: 'unknown', why: `the forwarded_allow_ips of ${r.label} is not known` };
    if (o.value.kind !== 'str') return { state: 'unknown', why: `the forwarded_allow_ips of ${r.label} cannot be read` };
    text = o.value.v;
    where = `forwarded_allow_ips ${text}`;
  }
  const items = commaItems(text).map((i) => i.entry);
  if (items.includes('*')) return { state: 'yes' };
  if (items.every((i) => i === '127.0.0.1' || i === '::1' || i === 'localhost'))
    return { state: 'no', why: `gunicorn trusts X-Forwarded-Proto only from ${where}` };
  return { state: 'unknown', why: `whether ${where} of ${r.label} holds the address of ${hop.label} cannot be told` };
}

/** The same for uvicorn (its --proxy-headers are on by default, from --forwarded-allow-ips, default 127.0.0.1). */
function uvicornTrusts(inv: ServerInvocation, hop: Hop): Trust {
  const opt = (key: string) => inv.options.find((o) => o.key === key);
  if (opt('--no-proxy-headers')) return { state: 'no', why: `${inv.source.label} runs uvicorn with --no-proxy-headers` };
  const o = opt('--forwarded-allow-ips');
  const env = inv.env.get('FORWARDED_ALLOW_IPS');
  const value = o ? o.value : env?.token;
  if (value?.dynamic || (env && env.from)) return { state: 'unknown', why: `the forwarded-allow-ips of ${inv.source.label} is not known` };
  const text = value?.text ?? '127.0.0.1';
  const items = commaItems(text).map((i) => i.entry);
  if (items.includes('*')) return { state: 'yes' };
  if (items.every((i) => i === '127.0.0.1' || i === '::1' || i === 'localhost'))
    return {
      state: 'no',
      why: `uvicorn (${inv.source.label}) trusts X-Forwarded-Proto only from ${value ? text : '127.0.0.1 (its default)'}`,
    };
  return {
    state: 'unknown',
    why: `whether the forwarded-allow-ips of ${inv.source.label} holds the address of ${hop.label} cannot be told`,
  };
}

/** The production command lines that serve the app, each with the trust of its app server in a hop. */
function servers(ctx: SettingsRuleContext): { inv: ServerInvocation; trusts: (hop: Hop) => Trust }[] {
  const out: { inv: ServerInvocation; trusts: (hop: Hop) => Trust }[] = [];
  for (const inv of ctx.appServer.commands) {
    if (!inv.source.production || inv.server === 'runserver') continue;
    if (inv.server === 'gunicorn') {
      const run = ctx.appServer.runs.find((r) => r.invocation === inv);
      out.push({
        inv,
        trusts: (hop) => (run ? gunicornTrusts(run, hop) : { state: 'unknown', why: `${inv.source.label}'s gunicorn settings` }),
      });
    } else if (inv.server === 'uvicorn') out.push({ inv, trusts: (hop) => uvicornTrusts(inv, hop) });
    else if (inv.server === 'uwsgi')
      out.push({ inv, trusts: () => ({ state: 'no', why: `uWSGI (${inv.source.label}) does not read X-Forwarded-Proto` }) });
    else out.push({ inv, trusts: () => ({ state: 'unknown', why: `whether ${inv.server} takes X-Forwarded-Proto is not judged` }) });
  }
  return out;
}

export const schemeLostUpstream: Rule = {
  code: 'DDX115',
  name: 'tls-upstream-scheme-lost',
  title: 'TLS ends in front of Django, which sees every request as http',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Reports the production settings when requests reach Django through a hop that terminates TLS in front of it — a platform's router (Heroku, Render, Fly, Railway, App Engine, Cloud Run, App Platform: they always do, see docs/hops.md), or the repository's nginx server (`listen 443 ssl`) or Caddy site tied to the app — and nothing tells Django the request came over https: `SECURE_PROXY_SSL_HEADER` is not set, and the app server does not turn X-Forwarded-Proto into the request's scheme, because the hop is not on its loopback and it trusts only the loopback (gunicorn's `forwarded_allow_ips` and uvicorn's `--forwarded-allow-ips`, default 127.0.0.1; uWSGI never reads the header). Heroku's Python buildpack sets `FORWARDED_ALLOW_IPS='*'` for every process, so a Procfile app on Heroku is not reported. The message spells out what follows with the settings actually set: with `SECURE_SSL_REDIRECT` on, a redirect loop; with CsrfViewMiddleware on Django 4.0 or later, HTTPS form posts refused unless `CSRF_TRUSTED_ORIGINS` lists the site's https origins; absolute URLs built as http://. An nginx that sends no X-Forwarded-Proto is reported too; with `SECURE_SSL_REDIRECT` on, nginx and Caddy are left to DDX101 and DDX111, which report the loop. An app server setting the analysis cannot read, or one it does not judge, leaves the rule unknown.",
    why: "Behind a TLS-terminating hop the app server receives plain HTTP, so `request.is_secure()` is False unless Django is told otherwise. Then `SECURE_SSL_REDIRECT` redirects every request to https again, forever; the CSRF check compares a browser's `Origin: https://site` with the request's own origin, `http://site`, and refuses the form (Django 4.0 checks Origin for every unsafe request); `build_absolute_uri()` and the password-reset e-mail build http:// links.",
    example:
      '# Procfile of a render.yaml web service, or a fly.toml app:\n# gunicorn mysite.wsgi --bind 0.0.0.0:$PORT\n# settings: SECURE_SSL_REDIRECT = True; SECURE_PROXY_SSL_HEADER never set',
    fix: 'Tell Django which header carries the original scheme: `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")` (the quick fix; unsafe, because Django then believes the header from any client that reaches the app server directly, so the app server must only be reachable through the hop), or let the app server trust the hop (`forwarded_allow_ips = "*"` in gunicorn when only the platform can reach it).',
    good: 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\nSECURE_SSL_REDIRECT = True',
    references: [
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
      { title: 'Django: CSRF_TRUSTED_ORIGINS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins' },
      { title: 'Gunicorn: forwarded_allow_ips', url: 'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips' },
      {
        title: 'The hops in front of Django and their defaults',
        url: 'https://github.com/django-deploy-hygiene/django-deploy-hygiene/blob/main/docs/hops.md',
      },
    ],
  },
  check(ctx) {
    const header = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
    if (header.state === 'supplied' || header.state === 'unknown') return ctx.undecided(header);
    if (header.state === 'known' && header.value.kind !== 'none')
      return ctx.notApplicable('SECURE_PROXY_SSL_HEADER is set: Django reads the scheme from it');
    const running = servers(ctx);
    if (running.length === 0) return ctx.notApplicable('no production command line serves the app');
    // every deployment of every serving command line: the hop that ends TLS, and whether the app server takes the scheme from it
    const lost: { label: string; why: string }[] = [];
    let unknown: string | undefined;
    let ended = false;
    for (const { inv, trusts } of running) {
      for (const d of requestPathsOf(ctx.project, ctx.appServer.processes, inv).deployments) {
        const hop = d.hops.find((h) => h.tls.state === 'yes');
        if (!hop) continue;
        ended = true;
        const t = trusts(hop);
        if (t.state === 'unknown') unknown ??= t.why;
        else if (t.state === 'no' && !lost.some((l) => l.label === hop.label)) lost.push({ label: hop.label, why: t.why });
      }
    }
    // the nginx or Caddy of the repository that ends TLS in front of the app; with SECURE_SSL_REDIRECT
    // on, the loop that follows is DDX101's and DDX111's
    if (!redirectsOn(ctx)) unknown ??= proxiesLosing(ctx, lost, () => (ended = true));
    if (lost.length === 0) {
      if (unknown) return ctx.unknown(unknown);
      // every app server behind such a hop takes the scheme from it: passed
      return ended ? undefined : ctx.notApplicable('no hop that ends TLS in front of the app was found');
    }
    const setting = ctx.settings.get('SECURE_PROXY_SSL_HEADER');
    ctx.report({
      loc: setting.loc,
      message: `TLS ends at ${lost.map((l) => l.label).join(' and ')}, but SECURE_PROXY_SSL_HEADER is not set and ${lost.map((l) => l.why).join('; ')}: Django sees every request as http, so ${consequences(ctx)}; set SECURE_PROXY_SSL_HEADER.`,
      fixes: ctx.wantsFixes
        ? [ctx.fixer.setSetting(setting, '("HTTP_X_FORWARDED_PROTO", "https")', { safety: 'unsafe' })].filter((f) => f !== undefined)
        : [],
    });
  },
};

function redirectsOn(ctx: SettingsRuleContext): boolean {
  const redirect = ctx.settings.query('SECURE_SSL_REDIRECT');
  return (
    ctx.settings.contains('MIDDLEWARE', 'django.middleware.security.SecurityMiddleware') === true &&
    redirect.state === 'known' &&
    V.truthy(redirect.value) === true
  );
}

/**
 * The repository's nginx servers and Caddy sites that end TLS in front of the app and leave Django
 * without the scheme: added to `lost`; returns why that cannot be told somewhere.
 */
function proxiesLosing(ctx: SettingsRuleContext, lost: { label: string; why: string }[], sawTls: () => void): string | undefined {
  let unknown: string | undefined;
  for (const { use, tie } of tiesOf(ctx).uses) {
    if (tie.state !== 'app' || !use.targets) continue;
    let sends: boolean;
    if (use.nginx) {
      if (!servesTls(use.nginx.server)) continue;
      const proto = proxyHeader(use.nginx.location.scope, 'X-Forwarded-Proto');
      if (proto.state === 'unknown') {
        unknown ??= proto.reason;
        continue;
      }
      sends = proto.state === 'set' && (proto.value === '$scheme' || proto.value === 'https');
    } else if (use.caddy) {
      const site = use.caddy.site;
      if (site.opaque || !site.addresses.some((a) => !a.text.startsWith('http://') && !a.text.startsWith(':') && !a.text.endsWith(':80')))
        continue;
      // a header_up of its own: not judged
      if ((use.caddy.directive.block ?? []).some((d) => d.name === 'header_up')) continue;
      sends = true;
    } else continue;
    sawTls();
    if (lost.some((l) => l.label === use.label)) continue;
    if (!sends) {
      lost.push({ label: use.label, why: 'it sends no X-Forwarded-Proto' });
      continue;
    }
    for (const { target } of use.targets) {
      const verdicts = tie.endpoints.map((e) => takesHeader(e, target));
      const open = verdicts.find((v) => v.state === 'unknown');
      if (verdicts.length === 0 || open) {
        unknown ??= open?.state === 'unknown' ? open.why : 'the app server behind the proxy is not known';
        continue;
      }
      const no = verdicts.find((v) => v.state === 'no');
      if (no?.state === 'no' && verdicts.every((v) => v.state === 'no')) {
        lost.push({ label: use.label, why: no.why });
        break;
      }
    }
  }
  return unknown;
}

/** What follows from Django seeing http, with the settings actually set. */
function consequences(ctx: SettingsRuleContext): string {
  const out: string[] = [];
  const mw = (path: string) => ctx.settings.contains('MIDDLEWARE', path);
  const redirect = ctx.settings.query('SECURE_SSL_REDIRECT');
  if (mw('django.middleware.security.SecurityMiddleware') && redirect.state === 'known' && V.truthy(redirect.value) === true)
    out.push('SECURE_SSL_REDIRECT redirects forever');
  if (mw('django.middleware.csrf.CsrfViewMiddleware') && Number.parseFloat(ctx.version.version) >= 4) {
    const origins = ctx.settings.strings('CSRF_TRUSTED_ORIGINS');
    if (origins === undefined || !origins.some((o) => o.startsWith('https://'))) out.push('HTTPS form posts fail the CSRF Origin check');
  }
  out.push('absolute URLs start with http://');
  return out.length > 1 ? `${out.slice(0, -1).join(', ')} and ${out[out.length - 1]}` : out[0]!;
}
