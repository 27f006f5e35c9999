// DDH202: ALLOWED_HOSTS accepts any host ("*"), also as an environment default or a fallback.
import { isEnvironmentDefault, isLiteral } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import type { SettingValue } from '../settings';
import { originNote } from '../helpers';
import { listedDefault, listedLink } from '../basis';
import { HOPS } from '../../catalogue/hops';
import { requestPaths } from '../../models/requestPath/path';
import type { BasisLink } from '../types';
import type { Fix, Rule, RuleContext } from '../types';

/**
 * A "*" in a list literal with other hosts is removed; a "*" that is an environment default becomes
 * an empty default; a list of only "*" is read from the environment instead.
 */
function wildcardFixes(ctx: RuleContext, s: SettingValue, item: Value, loc: Loc): Fix[] {
  const list = s.value;
  if (isEnvironmentDefault(item)) {
    return [ctx.fixer.replace(loc, '""', 'Make a missing environment variable mean "no hosts" instead of any host', 'unsafe')];
  }
  if (V.isSeq(list) && list.items.length > 1 && isLiteral(item)) {
    const text = ctx.fileText(loc.file);
    if (text) {
      // remove the item with the comma and spaces that separate it from its neighbour
      let start = loc.start;
      let end = loc.end;
      const after = /^\s*,[ \t]*/.exec(text.slice(end));
      if (after) end += after[0].length;
      else {
        const before = /,\s*$/.exec(text.slice(0, start));
        if (before) start -= before[0].length;
      }
      return [ctx.fixer.replace({ file: loc.file, start, end }, '', 'Remove "*" from ALLOWED_HOSTS', 'unsafe')];
    }
  }
  const env = ctx.fixer.toEnvironment(s, 'list');
  return env ? [env] : [];
}

export const allowedHostsWildcard: Rule = {
  code: 'DDH202',
  name: 'allowed-hosts-wildcard',
  title: 'ALLOWED_HOSTS accepts any host',
  severity: 'warning',
  group: 'hosts-origins',
  checklist: 'allowed-hosts',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Flags `"*"` in the production `ALLOWED_HOSTS`, including when it is the default of an environment lookup or a fallback assigned when the list is empty. Django\'s own checks do not look at wildcards. Also flags `"*.example.com"`, a pattern Django does not understand (it matches nothing; `".example.com"` is the subdomain wildcard). When every deployment sits behind a platform router that hands the app only requests for its own host names (Heroku, App Engine: docs/hops.md), or behind Traefik routers whose rules each require a `Host(…)` and that are the only way to the app (its compose service publishes no port), and `USE_X_FORWARDED_HOST` is off, `"*"` is information that names the router or the rule: a forged Host does not reach Django there, and the list remains the defence for any other way in.',
    why: 'Host-header validation is what stops an attacker from making Django build absolute URLs — password-reset links, redirects, cache keys — with a host of their choosing. `"*"` turns it off.',
    example: 'ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")',
    fix: 'List the exact host names (a leading dot allows subdomains), and let a missing environment variable mean "no hosts" rather than "any host". The quick fix removes `"*"` when other hosts are listed, empties a `"*"` environment default, or reads the list from the environment; all are unsafe: requests for hosts not listed start failing.',
    good: 'ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")',
    references: [
      { title: 'Django: ALLOWED_HOSTS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts' },
      {
        title: 'Django security: host header validation',
        url: 'https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation',
      },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('ALLOWED_HOSTS');
    // the variable is only listed for the deployer to copy into the platform's settings
    // (`railway.env.example`): its written default still runs wherever it is forgotten
    const listed = listedDefault(q.value);
    if (!listed && (q.state === 'supplied' || q.state === 'unknown')) return ctx.undecided(q);
    const s = q.setting;
    const v = listed?.written ?? q.value;
    const items = V.isSeq(v) ? v.items : v.kind === 'str' ? [v] : [];
    for (const item of items) {
      if (item.kind !== 'str') continue;
      const host = item.v.trim();
      const loc = ctx.settings.locOf(item) ?? s.loc;
      if (host === '*') {
        const router = hostRouter(ctx);
        ctx.report({
          loc,
          message: `ALLOWED_HOSTS accepts any host ("*")${originNote(item)}: list the site's host names instead.${router ? ` ${router.note}` : ''}`,
          fixes: wildcardFixes(ctx, s, item, loc),
          ...(router
            ? { severity: 'information' as const, basis: [router.link] }
            : listed
              ? { basis: [listedLink(listed.variable, listed.listed)] }
              : {}),
        });
      } else if (host.startsWith('*.')) {
        ctx.report({
          loc,
          severity: 'warning',
          message: `ALLOWED_HOSTS entry "${host}" matches nothing: Django's subdomain wildcard is "${host.slice(1)}".`,
        });
      }
    }
  },
};

/**
 * The platform router in front of every deployment of the app when it hands the app only requests
 * for the app's own host names (catalogue/hops.ts routesByHost: Heroku, App Engine), and Django takes
 * the host from Host (USE_X_FORWARDED_HOST off): a forged Host then does not reach Django, and "*"
 * is a missing second line rather than an open door.
 */
function hostRouter(ctx: RuleContext): { note: string; link: BasisLink } | undefined {
  const forwarded = V.truthy(ctx.settings.get('USE_X_FORWARDED_HOST').value);
  if (forwarded === true) return undefined;
  const deployments = requestPaths(ctx.project, ctx.appServer).deployments;
  if (deployments.length === 0) return undefined;
  // a hop that is the only way to the app and hands it only some host names (Traefik's Host rules)
  if (deployments.every((d) => d.hops.length > 0 && d.hops.every((h) => h.onlyHosts))) {
    const hop = deployments[0]!.hops[0]!;
    const hows = [...new Set(deployments.flatMap((d) => d.hops.map((h) => h.onlyHosts!.how)))].join('; ');
    return {
      note: `${hows} (${hop.onlyHosts!.source}), so a request for another host does not reach Django there${forwarded === false ? '' : ' (unless USE_X_FORWARDED_HOST, which cannot be read here, is on)'}; the list still guards any other way in.`,
      link: { kind: 'hop', subject: hop.label, state: 'known', how: hows, said: true },
    };
  }
  const fronts = deployments.map((d) => d.hops[0]);
  const routed = fronts.map((h) =>
    h && h.kind !== 'ingress' && h.kind !== 'gateway' && h.kind !== 'openshift-route' ? HOPS[h.kind].routesByHost : undefined,
  );
  if (!routed.every((f) => f?.value === true)) return undefined;
  const hop = fronts[0]!;
  const name = HOPS[hop.kind as keyof typeof HOPS].name;
  const presumed = fronts.find((h) => h?.presumed)?.presumed;
  return {
    note: `${name.charAt(0).toUpperCase()}${name.slice(1)}${presumed ? ` (${presumed})` : ''} hands the app only requests for its own host names (${routed[0]!.source.url}), so a forged Host does not reach Django there${forwarded === false ? '' : ' (unless USE_X_FORWARDED_HOST, which cannot be read here, is on)'}; the list still guards any other way in (a wildcard custom domain, a direct address).`,
    link: {
      kind: 'hop',
      subject: hop.label,
      state: presumed ? 'presumed' : 'known',
      how: `${name} routes requests to the app by their host name (its documented behaviour)`,
      said: true,
    },
  };
}
